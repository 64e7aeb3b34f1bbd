/* Bar charts (stratus/chart_bars.h): stacked bars with error bars, totals and notes. Self-
 * contained beside the time-series charts (chart.c and its layout): it shares their
 * palette (stratus_chart_colour_rgb), their font and text (chart_pango_new, chart_text_new)
 * and the way plot_output writes files. */
#include "chart_private.h"
#include "plot_output.h"

#include "stratus/chart_bars.h"

#include <math.h>
#include <string.h>

/* ---- the chart ---------------------------------------------------------------------------- */

typedef struct
{
  char *name;
  unsigned colour;
} Segment;

typedef struct
{
  char *label;
  GArray *values; /* double per segment (missing ones are 0) */
  double error;   /* half-width on the total; 0 for none */
  bool hide_total;
  GPtrArray *notes; /* char* (owned) */
} Bar;

struct StratusBarChart
{
  char *title, *subtitle, *y_label, *prefix, *suffix;
  int decimals;
  GPtrArray *segments; /* Segment* (owned) */
  GPtrArray *bars;     /* Bar* (owned) */
};

/* Frees a Segment (a GPtrArray free function). */
static void
segment_free (gpointer data)
{
  Segment *s = data;
  g_free (s->name);
  g_free (s);
}

/* Frees a Bar (a GPtrArray free function). */
static void
bar_free (gpointer data)
{
  Bar *b = data;
  g_free (b->label);
  g_array_unref (b->values);
  g_ptr_array_unref (b->notes);
  g_free (b);
}

StratusBarChart *
stratus_bar_chart_new (const char *title)
{
  StratusBarChart *c = g_new0 (StratusBarChart, 1);
  c->title = g_strdup (title != NULL ? title : "");
  c->y_label = g_strdup ("");
  c->decimals = 0;
  c->segments = g_ptr_array_new_with_free_func (segment_free);
  c->bars = g_ptr_array_new_with_free_func (bar_free);
  return c;
}

void
stratus_bar_chart_free (StratusBarChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->title);
  g_free (chart->subtitle);
  g_free (chart->y_label);
  g_free (chart->prefix);
  g_free (chart->suffix);
  g_ptr_array_unref (chart->segments);
  g_ptr_array_unref (chart->bars);
  g_free (chart);
}

void
stratus_bar_chart_set_subtitle (StratusBarChart *chart, const char *subtitle)
{
  g_free (chart->subtitle);
  chart->subtitle = g_strdup (subtitle);
}

void
stratus_bar_chart_set_y_axis (StratusBarChart *chart, const char *label, const char *prefix,
                              const char *suffix, int decimals)
{
  g_free (chart->y_label);
  g_free (chart->prefix);
  g_free (chart->suffix);
  chart->y_label = g_strdup (label != NULL ? label : "");
  chart->prefix = g_strdup (prefix);
  chart->suffix = g_strdup (suffix);
  chart->decimals = CLAMP (decimals, 0, 9);
}

unsigned
stratus_bar_chart_add_segment (StratusBarChart *chart, const char *name, unsigned colour)
{
  Segment *s = g_new0 (Segment, 1);
  s->name = g_strdup (name != NULL ? name : "");
  s->colour = colour;
  g_ptr_array_add (chart->segments, s);
  return chart->segments->len - 1;
}

unsigned
stratus_bar_chart_add_bar (StratusBarChart *chart, const char *label)
{
  Bar *b = g_new0 (Bar, 1);
  b->label = g_strdup (label != NULL ? label : "");
  b->values = g_array_new (FALSE, TRUE, sizeof (double));
  b->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (chart->bars, b);
  return chart->bars->len - 1;
}

/* Bar `index`, which must exist. */
static Bar *
get_bar (const StratusBarChart *chart, unsigned index)
{
  g_assert (index < chart->bars->len);
  return g_ptr_array_index (chart->bars, index);
}

void
stratus_bar_chart_set_value (StratusBarChart *chart, unsigned bar, unsigned segment,
                             double value)
{
  g_return_if_fail (segment < chart->segments->len);
  Bar *b = get_bar (chart, bar);
  if (b->values->len <= segment)
    g_array_set_size (b->values, segment + 1);
  g_array_index (b->values, double, segment) = isfinite (value) && value > 0 ? value : 0;
}

void
stratus_bar_chart_set_error (StratusBarChart *chart, unsigned bar, double half_width)
{
  get_bar (chart, bar)->error = isfinite (half_width) && half_width > 0 ? half_width : 0;
}

void
stratus_bar_chart_hide_total (StratusBarChart *chart, unsigned bar)
{
  get_bar (chart, bar)->hide_total = true;
}

void
stratus_bar_chart_add_note (StratusBarChart *chart, unsigned bar, const char *note)
{
  g_ptr_array_add (get_bar (chart, bar)->notes, g_strdup (note != NULL ? note : ""));
}

unsigned
stratus_bar_chart_bar_count (const StratusBarChart *chart)
{
  return chart->bars->len;
}

unsigned
stratus_bar_chart_segment_count (const StratusBarChart *chart)
{
  return chart->segments->len;
}

double
stratus_bar_chart_total (const StratusBarChart *chart, unsigned bar)
{
  const Bar *b = get_bar (chart, bar);
  double total = 0;
  for (guint i = 0; i < b->values->len; i++)
    total += g_array_index (b->values, double, i);
  return total;
}

/* ---- layout ------------------------------------------------------------------------------- */

/* Where everything goes on a width x height canvas. */
typedef struct
{
  const StratusBarChart *chart;
  PangoContext *pango;
  double s, width, height, pad;
  double legend_y, legend_row_h;
  double px, py, pw, ph; /* the plot area */
  double ymax, step;     /* the y axis runs from 0 to ymax, ticks `step` apart */
  int tick_decimals;
  double label_h, note_h;
} BarLayout;

/* The logical width and height of `text` (either output may be NULL). */
static void
bars_measure (const BarLayout *L, const char *text, double size, bool bold, double *w,
              double *h)
{
  PangoLayout *pl = chart_text_new (L->pango, text, size, bold, 0);
  chart_text_size (pl, w, h);
  g_object_unref (pl);
}

/* Draws `text` so that the point at fractions (ax, ay) of its logical box lands on (x, y),
 * turned by `angle` radians about it. */
static void
bars_draw_text (const BarLayout *L, cairo_t *cr, const char *text, double size, bool bold,
                double max_width, double x, double y, double ax, double ay, double angle,
                const double rgb[3])
{
  PangoLayout *pl = chart_text_new (L->pango, text, size, bold, max_width);
  PangoRectangle logical;
  pango_layout_get_extents (pl, NULL, &logical);
  double lx = (double) logical.x / PANGO_SCALE, ly = (double) logical.y / PANGO_SCALE;
  double lw = (double) logical.width / PANGO_SCALE, lh = (double) logical.height / PANGO_SCALE;
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, -lx - ax * lw, -ly - ay * lh);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  pango_cairo_show_layout (cr, pl);
  cairo_restore (cr);
  g_object_unref (pl);
}

/* `v` with `decimals` decimals, commas between thousands, the axis' prefix and suffix
 * ("$1,234.50"). Caller frees. */
static char *
bars_value_label (const StratusBarChart *chart, double v, int decimals)
{
  char digits[64];
  g_snprintf (digits, sizeof digits, "%.*f", decimals, fabs (v));
  const char *dot = strchr (digits, '.');
  size_t int_len = dot != NULL ? (size_t) (dot - digits) : strlen (digits);
  GString *out = g_string_new (v < 0 && g_strtod (digits, NULL) != 0 ? "\xe2\x88\x92" : "");
  g_string_append (out, chart->prefix != NULL ? chart->prefix : "");
  for (size_t i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  g_string_append (out, digits + int_len);
  g_string_append (out, chart->suffix != NULL ? chart->suffix : "");
  return g_string_free (out, FALSE);
}

/* The largest total plus error bar of the chart's bars (0 without bars). */
static double
bars_data_max (const StratusBarChart *chart)
{
  double max = 0;
  for (guint i = 0; i < chart->bars->len; i++)
    max = MAX (max, stratus_bar_chart_total (chart, i) + get_bar (chart, i)->error);
  return max;
}

/* Ticks from 0: a step of 1, 2 or 5 times a power of ten giving about five intervals, with
 * room above the tallest bar for its total. */
static void
bars_ticks (BarLayout *L)
{
  double max = bars_data_max (L->chart) * 1.12;
  if (!(max > 0) || !isfinite (max))
    max = 1;
  double raw = max / 5, mag = pow (10, floor (log10 (raw)));
  double f = raw / mag;
  L->step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  L->ymax = ceil (max / L->step - 1e-9) * L->step;
  L->tick_decimals = L->step >= 1 - 1e-9 ? 0 : CLAMP ((int) ceil (-log10 (L->step) - 1e-9), 0, 9);
}

/* The legend entry of `seg` (a swatch, a gap and its name) after the one before, whose
 * right end plus the gap between entries is at (*x, *y): on the next row (*y moved down) if
 * it would cross the right margin. Returns the entry's x and moves *x past it and the gap. */
static double
bars_legend_place (const BarLayout *L, const Segment *seg, double *x, double *y)
{
  double s = L->s, w;
  bars_measure (L, seg->name, 13 * s, false, &w, NULL);
  double item = 14 * s + 6 * s + w;
  if (*x > L->pad && *x + item > L->width - L->pad)
    {
      *x = L->pad;
      *y += L->legend_row_h + 4 * s;
    }
  double at = *x;
  *x += item + 20 * s;
  return at;
}

/* Places the title, subtitle and legend from the top; returns the y below them. */
static double
bars_layout_top (BarLayout *L)
{
  const StratusBarChart *chart = L->chart;
  double s = L->s, y = L->pad, h;
  bars_measure (L, chart->title[0] ? chart->title : " ", 20 * s, true, NULL, &h);
  y += h;
  if (chart->subtitle != NULL && chart->subtitle[0])
    {
      bars_measure (L, chart->subtitle, 13 * s, false, NULL, &h);
      y += 2 * s + h;
    }
  y += 10 * s;
  L->legend_y = y;
  bars_measure (L, "Ag", 13 * s, false, NULL, &L->legend_row_h);
  double x = L->pad;
  for (guint i = 0; i < chart->segments->len; i++)
    bars_legend_place (L, g_ptr_array_index (chart->segments, i), &x, &y);
  return y + (chart->segments->len > 0 ? L->legend_row_h + 12 * s : 2 * s);
}

/* Computes the layout of `chart` on a width x height canvas. Free with bars_layout_clear. */
static void
bars_layout_compute (BarLayout *L, const StratusBarChart *chart, double width, double height)
{
  memset (L, 0, sizeof *L);
  L->chart = chart;
  L->pango = chart_pango_new ();
  L->width = width;
  L->height = height;
  L->s = MAX (0.25, MIN (width / STRATUS_CHART_WIDTH, height / STRATUS_CHART_HEIGHT));
  L->pad = 16 * L->s;
  double s = L->s;
  L->py = bars_layout_top (L);
  bars_ticks (L);
  double tick_w = 0, w, axis_h;
  for (int i = 0, n = (int) floor (L->ymax / L->step + 0.5); i <= n; i++)
    {
      char *text = bars_value_label (chart, i * L->step, L->tick_decimals);
      bars_measure (L, text, 12 * s, false, &w, NULL);
      tick_w = MAX (tick_w, w);
      g_free (text);
    }
  bars_measure (L, "Ag", 13 * s, false, NULL, &axis_h);
  bars_measure (L, "Ag", 13 * s, true, NULL, &L->label_h);
  bars_measure (L, "Ag", 12 * s, false, NULL, &L->note_h);
  guint notes = 0;
  for (guint i = 0; i < chart->bars->len; i++)
    notes = MAX (notes, get_bar (chart, i)->notes->len);
  L->px = L->pad + (chart->y_label[0] ? axis_h + 8 * s : 0) + tick_w + 8 * s;
  L->pw = MAX (1, width - L->px - L->pad);
  double bottom = 8 * s + L->label_h + notes * (L->note_h + 2 * s) + L->pad;
  L->ph = MAX (1, height - L->py - bottom);
}

static void
bars_layout_clear (BarLayout *L)
{
  g_clear_object (&L->pango);
}

/* Device y of data value `v`. */
static double
bars_map_y (const BarLayout *L, double v)
{
  return L->py + L->ph - v / L->ymax * L->ph;
}

/* ---- drawing ------------------------------------------------------------------------------ */

/* Fills the rectangle in palette colour `colour`, hatched with white diagonals for indices
 * 8 to 15 (and so on alternately). */
static void
bars_fill (const BarLayout *L, cairo_t *cr, unsigned colour, double x, double y, double w,
           double h)
{
  double rgb[3];
  stratus_chart_colour_rgb (colour, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  if ((colour / STRATUS_N_COLOURS) % 2 == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2 * L->s);
  for (double d = -h; d < w; d += 8 * L->s)
    {
      cairo_move_to (cr, x + d, y + h);
      cairo_line_to (cr, x + d + h, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The title, subtitle and legend. */
static void
bars_draw_top (const BarLayout *L, cairo_t *cr)
{
  const StratusBarChart *chart = L->chart;
  double s = L->s, y = L->pad, h;
  bars_draw_text (L, cr, chart->title, 20 * s, true, L->width - 2 * L->pad, L->pad, y, 0, 0, 0,
                  ink_title);
  bars_measure (L, chart->title[0] ? chart->title : " ", 20 * s, true, NULL, &h);
  y += h + 2 * s;
  if (chart->subtitle != NULL && chart->subtitle[0])
    bars_draw_text (L, cr, chart->subtitle, 13 * s, false, L->width - 2 * L->pad, L->pad, y, 0,
                    0, 0, ink_subtitle);
  double x = L->pad, ly = L->legend_y;
  for (guint i = 0; i < chart->segments->len; i++)
    {
      const Segment *seg = g_ptr_array_index (chart->segments, i);
      double at = bars_legend_place (L, seg, &x, &ly);
      bars_fill (L, cr, seg->colour, at, ly + (L->legend_row_h - 14 * s) / 2, 14 * s, 14 * s);
      bars_draw_text (L, cr, seg->name, 13 * s, false, 0, at + 20 * s, ly, 0, 0, 0, ink_label);
    }
}

/* The grid, the tick labels, the y title and the x axis line. */
static void
bars_draw_axes (const BarLayout *L, cairo_t *cr)
{
  double s = L->s;
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, ink_grid[0], ink_grid[1], ink_grid[2]);
  int n = (int) floor (L->ymax / L->step + 0.5);
  for (int i = 0; i <= n; i++)
    {
      double y = floor (bars_map_y (L, i * L->step)) + 0.5;
      cairo_move_to (cr, L->px, y);
      cairo_line_to (cr, L->px + L->pw, y);
    }
  cairo_stroke (cr);
  for (int i = 0; i <= n; i++)
    {
      char *text = bars_value_label (L->chart, i * L->step, L->tick_decimals);
      bars_draw_text (L, cr, text, 12 * s, false, 0, L->px - 8 * s, bars_map_y (L, i * L->step),
                      1, 0.5, 0, ink_label);
      g_free (text);
    }
  if (L->chart->y_label[0])
    bars_draw_text (L, cr, L->chart->y_label, 13 * s, false, L->ph, L->pad,
                    L->py + L->ph / 2, 0.5, 0, -G_PI / 2, ink_label);
  cairo_set_source_rgb (cr, ink_axis[0], ink_axis[1], ink_axis[2]);
  double base = floor (L->py + L->ph) + 0.5;
  cairo_move_to (cr, L->px, base);
  cairo_line_to (cr, L->px + L->pw, base);
  cairo_stroke (cr);
}

/* Bar `index`: its stacked segments, error bar, total above, label and notes below. */
static void
bars_draw_bar (const BarLayout *L, cairo_t *cr, guint index)
{
  const StratusBarChart *chart = L->chart;
  const Bar *b = get_bar (chart, index);
  double s = L->s, slot = L->pw / chart->bars->len;
  double centre = L->px + slot * (index + 0.5), bw = MIN (slot * 0.55, 180 * s);
  double x = centre - bw / 2, level = 0;
  for (guint k = 0; k < b->values->len; k++)
    {
      double v = g_array_index (b->values, double, k);
      if (v <= 0)
        continue;
      double top = bars_map_y (L, level + v), bottom = bars_map_y (L, level);
      const Segment *seg = g_ptr_array_index (chart->segments, k);
      bars_fill (L, cr, seg->colour, x, top, bw, bottom - top);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x + bw, top);
      cairo_stroke (cr);
      level += v;
    }
  double above = bars_map_y (L, level);
  if (b->error > 0)
    {
      double hi = bars_map_y (L, level + b->error), lo = bars_map_y (L, MAX (0, level - b->error));
      cairo_set_source_rgb (cr, ink_title[0], ink_title[1], ink_title[2]);
      cairo_set_line_width (cr, 1.5 * s);
      cairo_move_to (cr, centre, lo);
      cairo_line_to (cr, centre, hi);
      cairo_move_to (cr, centre - 8 * s, hi);
      cairo_line_to (cr, centre + 8 * s, hi);
      cairo_move_to (cr, centre - 8 * s, lo);
      cairo_line_to (cr, centre + 8 * s, lo);
      cairo_stroke (cr);
      above = hi;
    }
  if (!b->hide_total)
    {
      char *total = bars_value_label (chart, level, chart->decimals);
      bars_draw_text (L, cr, total, 12 * s, true, slot - 4 * s, centre, above - 4 * s, 0.5, 1, 0,
                      ink_title);
      g_free (total);
    }
  double y = L->py + L->ph + 8 * s;
  bars_draw_text (L, cr, b->label, 13 * s, true, slot - 8 * s, centre, y, 0.5, 0, 0, ink_title);
  y += L->label_h;
  for (guint k = 0; k < b->notes->len; k++)
    {
      bars_draw_text (L, cr, g_ptr_array_index (b->notes, k), 12 * s, false, slot - 8 * s,
                      centre, y + 2 * s, 0.5, 0, 0, ink_subtitle);
      y += L->note_h + 2 * s;
    }
}

void
stratus_bar_chart_render (const StratusBarChart *chart, cairo_t *cr, double width, double height)
{
  BarLayout L;
  bars_layout_compute (&L, chart, width, height);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  bars_draw_top (&L, cr);
  bars_draw_axes (&L, cr);
  for (guint i = 0; i < chart->bars->len; i++)
    bars_draw_bar (&L, cr, i);
  cairo_restore (cr);
  bars_layout_clear (&L);
}

/* ---- files -------------------------------------------------------------------------------- */

/* stratus_bar_chart_render as a PlotRenderFunc. */
static void
render_bar_chart (const void *chart, cairo_t *cr, double width, double height)
{
  stratus_bar_chart_render (chart, cr, width, height);
}

bool
stratus_bar_chart_write (const StratusBarChart *chart, const char *path, StratusPlotFormat format,
                         int width, int height, GError **error)
{
  return plot_output_write_chart (path, format, width, height, chart->title, render_bar_chart,
                                  chart, error);
}
