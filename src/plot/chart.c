/* Generic time-series charts drawn with cairo, text set with pango.
 *
 * Rendering first computes a layout (Layout) from the chart and the canvas size alone:
 * text sizes scale with the canvas, text is measured with a pango context of fixed font
 * options (no hinting of metrics, no rounding of glyph positions), so the layout and the
 * data-to-device mapping are the same for every surface and every format. */
#include "stratus/chart.h"

#include "chart_time.h"
#include "plot_output.h"

#include <float.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define FONT_FAMILY "DejaVu Sans"

/* A data point of a series. */
typedef struct
{
  double x, y;
} Point;

/* A sample of a series' band: from low to high at x. */
typedef struct
{
  double x, low, high;
} BandSample;

/* A series and everything it owns. */
typedef struct
{
  char *name;
  unsigned colour;
  StratusAxis axis;
  StratusSeriesStyle style;
  bool dashed;
  GArray *points; /* Point */
  GArray *band;   /* BandSample */
} Series;

/* A y axis as configured (the drawn range is worked out at layout time). */
typedef struct
{
  bool set; /* set up by stratus_chart_set_y_axis */
  char *label;
  StratusUnit unit;
  char *suffix;
  bool fixed;
  double min, max;
} YAxis;

struct StratusChart
{
  char *title, *subtitle, *x_label;
  bool clock;
  double clock_offset;
  bool x_fixed;
  double x_min, x_max;
  YAxis y[2];
  GPtrArray *series; /* Series*, owned */
};

/* ---- palette ------------------------------------------------------------------------- */

static const double palette[STRATUS_N_COLOURS][3] = {
  { 0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0 }, { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0 },
  { 0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0 }, { 0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0 },
  { 0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0 }, { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0 },
  { 0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0 }, { 0x00 / 255.0, 0x00 / 255.0, 0x00 / 255.0 },
};

void
stratus_chart_colour_rgb (unsigned colour, double rgb[3])
{
  memcpy (rgb, palette[colour % STRATUS_N_COLOURS], sizeof palette[0]);
}

double
stratus_chart_band_alpha (unsigned colour)
{
  return colour % STRATUS_N_COLOURS == STRATUS_COLOUR_BLACK ? 0.12 : 0.22;
}

/* ---- building ------------------------------------------------------------------------ */

/* Frees one Series (a GPtrArray free function). */
static void
series_free (gpointer data)
{
  Series *s = data;
  g_free (s->name);
  g_array_unref (s->points);
  g_array_unref (s->band);
  g_free (s);
}

StratusChart *
stratus_chart_new (const char *title)
{
  StratusChart *c = g_new0 (StratusChart, 1);
  c->title = g_strdup (title != NULL ? title : "");
  c->x_label = g_strdup ("Elapsed time");
  for (int a = 0; a < 2; a++)
    c->y[a].label = g_strdup ("");
  c->series = g_ptr_array_new_with_free_func (series_free);
  return c;
}

void
stratus_chart_free (StratusChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->title);
  g_free (chart->subtitle);
  g_free (chart->x_label);
  for (int a = 0; a < 2; a++)
    {
      g_free (chart->y[a].label);
      g_free (chart->y[a].suffix);
    }
  g_ptr_array_unref (chart->series);
  g_free (chart);
}

void
stratus_chart_set_subtitle (StratusChart *chart, const char *subtitle)
{
  g_free (chart->subtitle);
  chart->subtitle = g_strdup (subtitle);
}

void
stratus_chart_set_x_label (StratusChart *chart, const char *label)
{
  g_free (chart->x_label);
  chart->x_label = g_strdup (label != NULL ? label : "");
}

void
stratus_chart_set_x_clock (StratusChart *chart, double start_of_day_s)
{
  if (strcmp (chart->x_label, "Elapsed time") == 0)
    stratus_chart_set_x_label (chart, "Time of day");
  chart->clock = true;
  chart->clock_offset = isfinite (start_of_day_s) ? start_of_day_s : 0;
}

void
stratus_chart_set_x_range (StratusChart *chart, double min, double max)
{
  g_return_if_fail (isfinite (min) && isfinite (max) && min < max);
  chart->x_fixed = true;
  chart->x_min = min;
  chart->x_max = max;
}

void
stratus_chart_set_y_axis (StratusChart *chart, StratusAxis axis, const char *label,
                          StratusUnit unit, const char *suffix)
{
  YAxis *y = &chart->y[axis == STRATUS_AXIS_RIGHT];
  y->set = true;
  g_free (y->label);
  y->label = g_strdup (label != NULL ? label : "");
  y->unit = unit;
  g_free (y->suffix);
  y->suffix = g_strdup (suffix);
}

void
stratus_chart_set_y_range (StratusChart *chart, StratusAxis axis, double min, double max)
{
  g_return_if_fail (isfinite (min) && isfinite (max) && min < max);
  YAxis *y = &chart->y[axis == STRATUS_AXIS_RIGHT];
  y->fixed = true;
  y->min = min;
  y->max = max;
}

unsigned
stratus_chart_add_series (StratusChart *chart, const char *name, unsigned colour,
                          StratusAxis axis, StratusSeriesStyle style)
{
  Series *s = g_new0 (Series, 1);
  s->name = g_strdup (name != NULL ? name : "");
  s->colour = colour;
  s->axis = axis == STRATUS_AXIS_RIGHT ? STRATUS_AXIS_RIGHT : STRATUS_AXIS_LEFT;
  s->style = style;
  s->dashed = (colour / STRATUS_N_COLOURS) % 2 == 1;
  s->points = g_array_new (FALSE, FALSE, sizeof (Point));
  s->band = g_array_new (FALSE, FALSE, sizeof (BandSample));
  g_ptr_array_add (chart->series, s);
  return chart->series->len - 1;
}

/* Series `index`, which must exist. */
static Series *
get_series (const StratusChart *chart, unsigned index)
{
  g_assert (index < chart->series->len);
  return g_ptr_array_index (chart->series, index);
}

void
stratus_chart_set_dashed (StratusChart *chart, unsigned series, bool dashed)
{
  get_series (chart, series)->dashed = dashed;
}

void
stratus_chart_add_point (StratusChart *chart, unsigned series, double x, double y)
{
  if (!isfinite (x))
    return;
  Point p = { x, y };
  g_array_append_val (get_series (chart, series)->points, p);
}

void
stratus_chart_add_band (StratusChart *chart, unsigned series, double x, double low, double high)
{
  if (!isfinite (x))
    return;
  BandSample b = { x, low, high };
  g_array_append_val (get_series (chart, series)->band, b);
}

unsigned
stratus_chart_series_count (const StratusChart *chart)
{
  return chart->series->len;
}

const char *
stratus_chart_series_name (const StratusChart *chart, unsigned series)
{
  return get_series (chart, series)->name;
}

unsigned
stratus_chart_series_colour (const StratusChart *chart, unsigned series)
{
  return get_series (chart, series)->colour;
}

StratusAxis
stratus_chart_series_axis (const StratusChart *chart, unsigned series)
{
  return get_series (chart, series)->axis;
}

size_t
stratus_chart_series_length (const StratusChart *chart, unsigned series)
{
  return get_series (chart, series)->points->len;
}

size_t
stratus_chart_band_length (const StratusChart *chart, unsigned series)
{
  return get_series (chart, series)->band->len;
}

void
stratus_chart_series_point (const StratusChart *chart, unsigned series, size_t index,
                            double *x, double *y)
{
  const Series *s = get_series (chart, series);
  g_assert (index < s->points->len);
  Point p = g_array_index (s->points, Point, index);
  *x = p.x;
  *y = p.y;
}

void
stratus_chart_band_sample (const StratusChart *chart, unsigned series, size_t index, double *x,
                           double *low, double *high)
{
  const Series *s = get_series (chart, series);
  g_assert (index < s->band->len);
  BandSample b = g_array_index (s->band, BandSample, index);
  *x = b.x;
  *low = b.low;
  *high = b.high;
}

const char *
stratus_chart_title (const StratusChart *chart)
{
  return chart->title;
}

/* ---- ticks ----------------------------------------------------------------------------- */

/* A numeric axis: range, tick step, and how its labels read. */
typedef struct
{
  bool shown;
  double min, max, step;
  double scale;        /* labels show value / scale */
  const char *prefix;  /* after the number: " ms", " s", "%", " KB", "k" */
  int decimals;
  const YAxis *axis;
} Ticks;

/* Chooses scale, prefix and decimals of the labels of `t` (range and step known). */
static void
ticks_choose_format (Ticks *t, StratusUnit unit)
{
  double amax = MAX (fabs (t->min), fabs (t->max));
  t->scale = 1;
  t->prefix = "";
  switch (unit)
    {
    case STRATUS_UNIT_MS:
      if (amax >= 1000)
        t->scale = 1000, t->prefix = " s";
      else
        t->prefix = " ms";
      break;
    case STRATUS_UNIT_PERCENT:
      t->prefix = "%";
      break;
    case STRATUS_UNIT_BYTES:
      {
        static const char *const prefixes[] = { " B", " KB", " MB", " GB", " TB", " PB" };
        int k = 0;
        while (k < 5 && amax >= 1000 * t->scale)
          t->scale *= 1000, k++;
        t->prefix = prefixes[k];
      }
      break;
    case STRATUS_UNIT_NUMBER:
    default:
      if (amax >= 1e10)
        t->scale = 1e9, t->prefix = "G";
      else if (amax >= 1e7)
        t->scale = 1e6, t->prefix = "M";
      else if (amax >= 1e4)
        t->scale = 1e3, t->prefix = "k";
      break;
    }
  double scaled_step = t->step / t->scale;
  t->decimals = scaled_step >= 1 - 1e-9 ? 0 : (int) ceil (-log10 (scaled_step) - 1e-9);
  t->decimals = CLAMP (t->decimals, 0, 9);
}

/* Appends `digits` (an unsigned decimal, maybe with a fraction) to `out` with commas
 * between groups of three digits of its integer part. */
static void
append_grouped (GString *out, const char *digits)
{
  const char *dot = strchr (digits, '.');
  size_t int_len = dot != NULL ? (size_t) (dot - digits) : strlen (digits);
  for (size_t i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  g_string_append (out, digits + int_len);
}

/* The label of tick value `v` on axis `t`. Caller frees. */
static char *
ticks_label (const Ticks *t, double v)
{
  if (fabs (v) < t->step * 1e-6)
    v = 0;
  char digits[64];
  g_snprintf (digits, sizeof digits, "%.*f", t->decimals, fabs (v) / t->scale);
  GString *out = g_string_new (v < 0 ? "\xe2\x88\x92" : ""); /* U+2212 minus */
  StratusUnit unit = t->axis != NULL ? t->axis->unit : STRATUS_UNIT_NUMBER;
  if (v == 0 && unit == STRATUS_UNIT_NUMBER)
    g_string_append (out, "0"); /* not "0k" */
  else if (v == 0 && unit == STRATUS_UNIT_BYTES)
    g_string_append (out, "0 B"); /* not "0 MB" */
  else
    {
      append_grouped (out, digits);
      g_string_append (out, t->prefix);
    }
  if (t->axis != NULL && t->axis->suffix != NULL)
    g_string_append (out, t->axis->suffix);
  return g_string_free (out, FALSE);
}

/* Range of the finite data of `axis`: false if there is none. */
static bool
data_y_range (const StratusChart *chart, StratusAxis axis, double *lo, double *hi)
{
  bool any = false;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint i = 0; i < chart->series->len; i++)
    {
      const Series *s = g_ptr_array_index (chart->series, i);
      if (s->axis != axis)
        continue;
      for (guint k = 0; k < s->points->len; k++)
        {
          double y = g_array_index (s->points, Point, k).y;
          if (isfinite (y))
            *lo = MIN (*lo, y), *hi = MAX (*hi, y), any = true;
        }
      for (guint k = 0; k < s->band->len; k++)
        {
          const BandSample *b = &g_array_index (s->band, BandSample, k);
          if (isfinite (b->low))
            *lo = MIN (*lo, b->low), *hi = MAX (*hi, b->low), any = true;
          if (isfinite (b->high))
            *lo = MIN (*lo, b->high), *hi = MAX (*hi, b->high), any = true;
        }
    }
  return any;
}

/* Rounds [lo, hi] out to whole ticks of a 1-2-5 step, with at most `max_ticks` intervals;
 * with `intervals` > 0, exactly that many (to share the other axis's grid). */
static void
ticks_fit (Ticks *t, double lo, double hi, int max_ticks, int intervals)
{
  if (!(hi > lo))
    {
      double mag = MAX (fabs (lo), 1e-300);
      if (lo == 0)
        hi = 1;
      else if (lo > 0)
        lo = 0, hi = mag;
      else
        hi = 0, lo = -mag;
    }
  /* Guard against ranges too large or too narrow to divide. */
  if (!isfinite (hi - lo))
    lo = -DBL_MAX / 4, hi = DBL_MAX / 4;
  int limit = intervals > 0 ? intervals : MAX (max_ticks, 1);
  double step = chart_nice_step ((hi - lo) / limit);
  for (int guard = 0; guard < 64; guard++)
    {
      double a = floor (lo / step + 1e-9), b = ceil (hi / step - 1e-9);
      if (intervals > 0 ? a + intervals >= b - 1e-9 : b - a <= limit + 1e-9)
        {
          t->min = a * step;
          t->max = (intervals > 0 ? a + intervals : MAX (b, a + 1)) * step;
          t->step = step;
          return;
        }
      step = chart_next_step (step);
    }
  t->min = lo, t->max = hi, t->step = hi - lo;
}

/* Ticks of a fixed range: the range as given, ticks at whole steps inside it. */
static void
ticks_fixed (Ticks *t, double lo, double hi, int max_ticks)
{
  t->min = lo;
  t->max = hi;
  double step = chart_nice_step ((hi - lo) / MAX (max_ticks, 1));
  while ((hi - lo) / step > MAX (max_ticks, 1) + 1e-9)
    step = chart_next_step (step);
  t->step = step;
}

/* ---- layout ------------------------------------------------------------------------------ */

/* A font of the chart's family: size in device units, and weight. */
typedef struct
{
  double size;
  bool bold;
} FontSpec;

/* The canvas layout: everything rendering needs besides the chart. */
typedef struct
{
  const StratusChart *chart;
  double width, height, s; /* canvas and text scale (1 at the default size) */
  PangoContext *pango;
  FontSpec f_title, f_subtitle, f_legend, f_tick, f_axis;
  double pad;
  double px, py, pw, ph; /* plot area */
  double title_y, subtitle_y, legend_y, legend_row_h, legend_row_gap;
  double x_labels_y, x_title_y;
  double left_title_x, right_title_x, right_labels_x, left_labels_x;
  Ticks x;
  bool x_clock_multi_day;
  Ticks y[2];
  bool has_data;
  GArray *legend; /* LegendItem */
  /* text bounds, for stratus_chart_text_bounds */
  double tx0, ty0, tx1, ty1;
} Layout;

/* Where the legend entry of a series goes. */
typedef struct
{
  unsigned series;
  double x, y, w; /* top-left of the item and its width */
} LegendItem;

/* A new pango layout of `text` in `font`, ellipsized to `max_width` if > 0. Caller unrefs. */
static PangoLayout *
make_text (const Layout *L, const char *text, FontSpec font, double max_width)
{
  PangoLayout *pl = pango_layout_new (L->pango);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);
  pango_font_description_set_absolute_size (desc, font.size * PANGO_SCALE);
  pango_font_description_set_weight (desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (pl, desc);
  pango_font_description_free (desc);
  pango_layout_set_single_paragraph_mode (pl, TRUE);
  pango_layout_set_text (pl, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (pl, (int) CLAMP (max_width * PANGO_SCALE, 1, G_MAXINT / 2));
      pango_layout_set_ellipsize (pl, PANGO_ELLIPSIZE_END);
    }
  return pl;
}

/* Logical width and height of `pl` in device units. */
static void
text_size (PangoLayout *pl, double *w, double *h)
{
  PangoRectangle logical;
  pango_layout_get_extents (pl, NULL, &logical);
  if (w != NULL)
    *w = (double) logical.width / PANGO_SCALE;
  if (h != NULL)
    *h = (double) logical.height / PANGO_SCALE;
}

/* Logical width and height of `text` in `font`. */
static void
measure (const Layout *L, const char *text, FontSpec font, double *w, double *h)
{
  PangoLayout *pl = make_text (L, text, font, 0);
  text_size (pl, w, h);
  g_object_unref (pl);
}

/* The x range of the data (false if none). */
static bool
data_x_range (const StratusChart *chart, double *lo, double *hi)
{
  bool any = false;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint i = 0; i < chart->series->len; i++)
    {
      const Series *s = g_ptr_array_index (chart->series, i);
      for (guint k = 0; k < s->points->len; k++)
        {
          const Point *p = &g_array_index (s->points, Point, k);
          if (isfinite (p->y))
            *lo = MIN (*lo, p->x), *hi = MAX (*hi, p->x), any = true;
        }
      for (guint k = 0; k < s->band->len; k++)
        {
          const BandSample *b = &g_array_index (s->band, BandSample, k);
          if (isfinite (b->low) || isfinite (b->high))
            *lo = MIN (*lo, b->x), *hi = MAX (*hi, b->x), any = true;
        }
    }
  return any;
}

/* Is the right axis shown: set up, or used by a series. */
static bool
right_axis_shown (const StratusChart *chart)
{
  if (chart->y[1].set)
    return true;
  for (guint i = 0; i < chart->series->len; i++)
    if (((const Series *) g_ptr_array_index (chart->series, i))->axis == STRATUS_AXIS_RIGHT)
      return true;
  return false;
}

/* Label of x tick value `v`. Caller frees. */
static char *
x_label (const Layout *L, double v)
{
  if (L->chart->clock)
    return chart_clock_label (v, L->chart->clock_offset, L->x.step, L->x_clock_multi_day);
  return chart_elapsed_label (v, L->x.step);
}

/* First y tick (a whole multiple of the step at or above min). */
static double
y_first_tick (const Ticks *t)
{
  return ceil (t->min / t->step - 1e-9) * t->step;
}

/* First x tick (a whole multiple of the step at or after min). */
static double
x_first_tick (const Ticks *t, double offset)
{
  return ceil ((t->min + offset) / t->step - 1e-9) * t->step - offset;
}

/* Number of ticks from `first` to `max` (inclusive) `step` apart. */
static int
tick_count (double first, double max, double step)
{
  double n = floor ((max - first) / step + 1e-9) + 1;
  return n < 0 ? 0 : n > 10000 ? 10000 : (int) n;
}

/* Picks the smallest x step whose tick labels do not crowd: each tick gets its widest
 * label plus a gap. */
static void
layout_x_ticks (Layout *L)
{
  double range = L->x.max - L->x.min;
  double offset = L->chart->clock ? L->chart->clock_offset : 0;
  double gap = 24 * L->s, min_label = 28 * L->s;
  double lower = range / MAX (1.0, L->pw / (min_label + gap));
  double step = lower < 1 ? chart_nice_step (MAX (lower, 1e-9)) : 1;
  while (step < lower)
    step = chart_next_time_step (step);
  for (int guard = 0; guard < 200; guard++)
    {
      L->x.step = step;
      double first = x_first_tick (&L->x, offset);
      int n = tick_count (first, L->x.max, step);
      if (n > 200 && step < range)
        {
          step = chart_next_time_step (step);
          continue;
        }
      double widest = 0;
      for (int i = 0; i < n; i++)
        {
          char *text = x_label (L, first + i * step);
          double w;
          measure (L, text, L->f_tick, &w, NULL);
          widest = MAX (widest, w);
          g_free (text);
        }
      if (step / range * L->pw >= widest + gap || step >= range)
        return;
      step = chart_next_time_step (step);
    }
}

/* Computes the layout of `chart` on a width x height canvas. Free with layout_clear. */
static void
layout_compute (Layout *L, const StratusChart *chart, double width, double height)
{
  memset (L, 0, sizeof *L);
  L->chart = chart;
  L->width = width;
  L->height = height;
  L->s = CLAMP (sqrt (width * height / (1200.0 * 600.0)), 0.6, 6.0);
  double s = L->s;
  L->tx0 = L->ty0 = INFINITY;
  L->tx1 = L->ty1 = -INFINITY;

  L->pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (L->pango, fo);
  cairo_font_options_destroy (fo);
  pango_cairo_context_set_resolution (L->pango, 72);
  pango_context_set_round_glyph_positions (L->pango, FALSE);
  pango_context_set_language (L->pango, pango_language_from_string ("en"));
  pango_context_set_base_dir (L->pango, PANGO_DIRECTION_LTR);

  L->f_title = (FontSpec){ 20 * s, true };
  L->f_subtitle = (FontSpec){ 13 * s, false };
  L->f_legend = (FontSpec){ 13 * s, false };
  L->f_tick = (FontSpec){ 12 * s, false };
  L->f_axis = (FontSpec){ 13 * s, false };
  L->pad = 16 * s;
  double pad = L->pad;
  double inner_w = MAX (1, width - 2 * pad);

  /* Vertical: title, subtitle, legend, plot, x tick labels, x title. */
  double y = pad, h;
  L->title_y = y;
  measure (L, chart->title[0] ? chart->title : " ", L->f_title, NULL, &h);
  y += h;
  if (chart->subtitle != NULL && chart->subtitle[0])
    {
      y += 2 * s;
      L->subtitle_y = y;
      measure (L, chart->subtitle, L->f_subtitle, NULL, &h);
      y += h;
    }
  y += 10 * s;

  /* Legend: items left to right, wrapping. */
  L->legend = g_array_new (FALSE, FALSE, sizeof (LegendItem));
  measure (L, "Ag", L->f_legend, NULL, &L->legend_row_h);
  L->legend_row_gap = 4 * s;
  L->legend_y = y;
  double swatch = 24 * s, swatch_gap = 6 * s, item_gap = 20 * s;
  double lx = pad, ly = y;
  for (guint i = 0; i < chart->series->len; i++)
    {
      const Series *ser = g_ptr_array_index (chart->series, i);
      double w;
      PangoLayout *pl = make_text (L, ser->name, L->f_legend, inner_w - swatch - swatch_gap);
      text_size (pl, &w, NULL);
      g_object_unref (pl);
      double item_w = swatch + swatch_gap + w;
      if (lx > pad && lx + item_w > width - pad)
        {
          lx = pad;
          ly += L->legend_row_h + L->legend_row_gap;
        }
      LegendItem item = { i, lx, ly, item_w };
      g_array_append_val (L->legend, item);
      lx += item_w + item_gap;
    }
  if (L->legend->len > 0)
    y = ly + L->legend_row_h + 12 * s;
  else
    y += 2 * s;
  L->py = y;

  double tick_h, axis_h;
  measure (L, "0123456789", L->f_tick, NULL, &tick_h);
  measure (L, "Ag", L->f_axis, NULL, &axis_h);
  double bottom = 5 * s + 4 * s + tick_h + (chart->x_label[0] ? 6 * s + axis_h : 0) + pad;
  L->ph = MAX (1, height - L->py - bottom);
  L->x_labels_y = L->py + L->ph + 9 * s;
  L->x_title_y = L->x_labels_y + tick_h + 6 * s;

  /* Y ticks: about one per 48 units of height; the right axis shares the left's grid. */
  int max_ticks = (int) CLAMP (L->ph / (48 * s), 1, 12);
  for (int a = 0; a < 2; a++)
    {
      const YAxis *ya = &chart->y[a];
      Ticks *t = &L->y[a];
      t->axis = ya;
      t->shown = a == 0 || right_axis_shown (chart);
      if (!t->shown)
        continue;
      double lo, hi;
      bool any = data_y_range (chart, a, &lo, &hi);
      if (any)
        L->has_data = true;
      if (ya->fixed)
        ticks_fixed (t, ya->min, ya->max, max_ticks);
      else
        {
          if (!any)
            lo = hi = 0;
          lo = MIN (lo, 0);
          hi = MAX (hi, 0);
          /* A little headroom, so that a line at the maximum does not run along the top
           * edge of the plot. */
          if (hi > 0)
            hi += 0.02 * (hi - lo);
          /* The right axis takes as many intervals as the left, so grid lines serve both. */
          int share = 0;
          if (a == 1)
            {
              double k = (L->y[0].max - L->y[0].min) / L->y[0].step;
              if (fabs (k - round (k)) < 1e-6 && k >= 1 && k <= 20)
                share = (int) round (k);
            }
          ticks_fit (t, lo, hi, max_ticks, share);
        }
      ticks_choose_format (t, ya->unit);
    }

  /* Horizontal: left title, left labels, plot, right labels, right title. */
  double widest[2] = { 0, 0 };
  for (int a = 0; a < 2; a++)
    {
      const Ticks *t = &L->y[a];
      if (!t->shown)
        continue;
      double first = y_first_tick (t);
      for (int i = 0, n = tick_count (first, t->max, t->step); i < n; i++)
        {
          char *text = ticks_label (t, first + i * t->step);
          double w;
          measure (L, text, L->f_tick, &w, NULL);
          widest[a] = MAX (widest[a], w);
          g_free (text);
        }
    }
  double x = pad;
  L->left_title_x = x;
  if (chart->y[0].label[0])
    x += axis_h + 8 * s;
  x += widest[0];
  L->left_labels_x = x; /* right edge of the left labels */
  x += 4 * s + 5 * s;
  L->px = x;
  double right = width - pad;
  if (L->y[1].shown)
    {
      L->right_title_x = right; /* right edge of the rotated right title */
      if (chart->y[1].label[0])
        right -= axis_h + 8 * s;
      right -= widest[1];
      L->right_labels_x = right; /* left edge of the right labels */
      right -= 4 * s + 5 * s;
    }
  else
    {
      double w;
      measure (L, "00:00", L->f_tick, &w, NULL);
      right = width - MAX (pad, w / 2 + 4 * s);
    }
  L->pw = MAX (1, right - L->px);

  /* X range and ticks. */
  double lo, hi;
  if (chart->x_fixed)
    lo = chart->x_min, hi = chart->x_max;
  else if (data_x_range (chart, &lo, &hi))
    {
      if (!(hi > lo))
        {
          double half = MAX (30, fabs (lo) * 0.05);
          lo -= half, hi += half;
        }
    }
  else
    lo = 0, hi = 60;
  L->x.shown = true;
  L->x.min = lo;
  L->x.max = hi;
  L->x_clock_multi_day = hi - lo > 86400;
  layout_x_ticks (L);
}

/* Frees what layout_compute allocated. */
static void
layout_clear (Layout *L)
{
  g_clear_object (&L->pango);
  if (L->legend != NULL)
    g_array_unref (L->legend);
  L->legend = NULL;
}

/* Maps data x to device x. */
static double
map_x (const Layout *L, double x)
{
  double v = L->px + (x - L->x.min) / (L->x.max - L->x.min) * L->pw;
  return CLAMP (v, -1e6, 1e6);
}

/* Maps data y of `axis` to device y. */
static double
map_y (const Layout *L, int axis, double y)
{
  const Ticks *t = &L->y[axis];
  double v = L->py + L->ph - (y - t->min) / (t->max - t->min) * L->ph;
  return CLAMP (v, -1e6, 1e6);
}

/* ---- drawing ----------------------------------------------------------------------------- */

/* Grows the text bounds by the point (x, y). */
static void
bounds_add (Layout *L, double x, double y)
{
  L->tx0 = MIN (L->tx0, x);
  L->ty0 = MIN (L->ty0, y);
  L->tx1 = MAX (L->tx1, x);
  L->ty1 = MAX (L->ty1, y);
}

/* Draws `pl` in `rgb` so that the point at fractions (ax, ay) of its logical box lands on
 * (x, y), turned by `angle` radians around that point; records its extents. */
static void
draw_layout (Layout *L, cairo_t *cr, PangoLayout *pl, double x, double y, double ax, double ay,
             double angle, const double rgb[3])
{
  PangoRectangle ink, logical;
  pango_layout_get_extents (pl, &ink, &logical);
  double lx = (double) logical.x / PANGO_SCALE, ly = (double) logical.y / PANGO_SCALE;
  double lw = (double) logical.width / PANGO_SCALE, lh = (double) logical.height / PANGO_SCALE;
  double ox = -lx - ax * lw, oy = -ly - ay * lh; /* layout origin in the turned frame */
  double c = cos (angle), sn = sin (angle);
  const PangoRectangle *rects[2] = { &ink, &logical };
  for (int r = 0; r < 2; r++)
    {
      double rx = (double) rects[r]->x / PANGO_SCALE + ox, ry = (double) rects[r]->y / PANGO_SCALE + oy;
      double rw = (double) rects[r]->width / PANGO_SCALE, rh = (double) rects[r]->height / PANGO_SCALE;
      if (rw <= 0 || rh <= 0)
        continue;
      for (int k = 0; k < 4; k++)
        {
          double u = rx + (k & 1 ? rw : 0), v = ry + (k & 2 ? rh : 0);
          bounds_add (L, x + u * c - v * sn, y + u * sn + v * c);
        }
    }
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, ox, oy);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  pango_cairo_show_layout (cr, pl);
  cairo_restore (cr);
}

/* Makes and draws `text` (see draw_layout), ellipsized to `max_width` if > 0. */
static void
draw_text (Layout *L, cairo_t *cr, const char *text, FontSpec font, double max_width, double x,
           double y, double ax, double ay, double angle, const double rgb[3])
{
  PangoLayout *pl = make_text (L, text, font, max_width);
  draw_layout (L, cr, pl, x, y, ax, ay, angle, rgb);
  g_object_unref (pl);
}

static const double ink_title[3] = { 0.13, 0.13, 0.13 };
static const double ink_subtitle[3] = { 0.38, 0.38, 0.38 };
static const double ink_label[3] = { 0.27, 0.27, 0.27 };
static const double ink_axis[3] = { 0.53, 0.53, 0.53 };
static const double ink_grid[3] = { 0.90, 0.90, 0.90 };

/* Sets the source to palette colour `colour` with opacity `alpha`. */
static void
set_colour (cairo_t *cr, unsigned colour, double alpha)
{
  double rgb[3];
  stratus_chart_colour_rgb (colour, rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
}

/* Rounds a device coordinate to the centre of a pixel, for crisp 1-unit lines. */
static double
crisp (double v)
{
  return floor (v) + 0.5;
}

/* Grid lines (at the left axis ticks, or the right's if only it has data) and x ticks. */
static void
draw_grid (Layout *L, cairo_t *cr)
{
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, ink_grid[0], ink_grid[1], ink_grid[2]);
  const Ticks *t = &L->y[0];
  double first = y_first_tick (t);
  for (int i = 0, n = tick_count (first, t->max, t->step); i < n; i++)
    {
      double y = crisp (map_y (L, 0, first + i * t->step));
      cairo_move_to (cr, L->px, y);
      cairo_line_to (cr, L->px + L->pw, y);
    }
  double offset = L->chart->clock ? L->chart->clock_offset : 0;
  double xfirst = x_first_tick (&L->x, offset);
  for (int i = 0, n = tick_count (xfirst, L->x.max, L->x.step); i < n; i++)
    {
      double x = crisp (map_x (L, xfirst + i * L->x.step));
      cairo_move_to (cr, x, L->py);
      cairo_line_to (cr, x, L->py + L->ph);
    }
  cairo_stroke (cr);
}

/* A point in device units. */
typedef struct
{
  double x, y;
} Vertex;

/* The band of `s` as filled polygons, one per run of finite samples (a lone sample: a short
 * bar from low to high). */
static void
draw_band (const Layout *L, cairo_t *cr, const Series *s)
{
  GArray *upper = g_array_new (FALSE, FALSE, sizeof (Vertex));
  GArray *lower = g_array_new (FALSE, FALSE, sizeof (Vertex));
  guint n = s->band->len;
  for (guint k = 0; k <= n; k++)
    {
      const BandSample *b = k < n ? &g_array_index (s->band, BandSample, k) : NULL;
      bool ok = b != NULL && isfinite (b->low) && isfinite (b->high);
      if (ok)
        {
          double x = map_x (L, b->x);
          Vertex hi = { x, map_y (L, s->axis, b->high) }, lo = { x, map_y (L, s->axis, b->low) };
          if (s->style == STRATUS_SERIES_STEP && upper->len > 0)
            {
              Vertex ph = { x, g_array_index (upper, Vertex, upper->len - 1).y };
              Vertex pl = { x, g_array_index (lower, Vertex, lower->len - 1).y };
              g_array_append_val (upper, ph);
              g_array_append_val (lower, pl);
            }
          g_array_append_val (upper, hi);
          g_array_append_val (lower, lo);
          continue;
        }
      if (upper->len == 1)
        {
          Vertex hi = g_array_index (upper, Vertex, 0), lo = g_array_index (lower, Vertex, 0);
          cairo_rectangle (cr, hi.x - 3 * L->s, hi.y, 6 * L->s, lo.y - hi.y);
        }
      else if (upper->len >= 2)
        {
          cairo_move_to (cr, g_array_index (upper, Vertex, 0).x, g_array_index (upper, Vertex, 0).y);
          for (guint i = 1; i < upper->len; i++)
            cairo_line_to (cr, g_array_index (upper, Vertex, i).x,
                           g_array_index (upper, Vertex, i).y);
          for (guint i = lower->len; i-- > 0;)
            cairo_line_to (cr, g_array_index (lower, Vertex, i).x,
                           g_array_index (lower, Vertex, i).y);
          cairo_close_path (cr);
        }
      g_array_set_size (upper, 0);
      g_array_set_size (lower, 0);
    }
  set_colour (cr, s->colour, stratus_chart_band_alpha (s->colour));
  cairo_fill (cr);
  g_array_unref (upper);
  g_array_unref (lower);
}

/* Sets line width and dashes for drawing series `s`. */
static void
set_line_style (const Layout *L, cairo_t *cr, const Series *s)
{
  cairo_set_line_width (cr, 2 * L->s);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, s->dashed ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
  if (s->dashed)
    {
      double dashes[2] = { 7 * L->s, 4 * L->s };
      cairo_set_dash (cr, dashes, 2, 0);
    }
  else
    cairo_set_dash (cr, NULL, 0, 0);
}

/* The line of `s`: runs of finite points joined; a lone point drawn as a dot. */
static void
draw_line (const Layout *L, cairo_t *cr, const Series *s)
{
  guint n = s->points->len;
  GArray *dots = g_array_new (FALSE, FALSE, sizeof (Vertex));
  guint run = 0;
  double last_y = 0;
  for (guint k = 0; k < n; k++)
    {
      const Point *p = &g_array_index (s->points, Point, k);
      if (!isfinite (p->y))
        {
          if (run == 1)
            {
              Vertex v;
              cairo_get_current_point (cr, &v.x, &v.y);
              g_array_append_val (dots, v);
            }
          cairo_new_sub_path (cr);
          run = 0;
          continue;
        }
      double x = map_x (L, p->x), y = map_y (L, s->axis, p->y);
      if (run == 0)
        cairo_move_to (cr, x, y);
      else
        {
          if (s->style == STRATUS_SERIES_STEP)
            cairo_line_to (cr, x, last_y);
          cairo_line_to (cr, x, y);
        }
      last_y = y;
      run++;
    }
  if (run == 1)
    {
      Vertex v;
      cairo_get_current_point (cr, &v.x, &v.y);
      g_array_append_val (dots, v);
    }
  set_colour (cr, s->colour, 1);
  set_line_style (L, cr, s);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < dots->len; i++)
    {
      const Vertex *v = &g_array_index (dots, Vertex, i);
      cairo_new_sub_path (cr);
      cairo_arc (cr, v->x, v->y, 3 * L->s, 0, 2 * G_PI);
    }
  cairo_fill (cr);
  g_array_unref (dots);
}

/* Axis lines, tick marks, tick labels and axis titles. */
static void
draw_axes (Layout *L, cairo_t *cr)
{
  double s = L->s;
  double tick = 5 * s;
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, ink_axis[0], ink_axis[1], ink_axis[2]);
  double bottom = crisp (L->py + L->ph), left = crisp (L->px) - 1, right = crisp (L->px + L->pw);
  cairo_move_to (cr, left, L->py);
  cairo_line_to (cr, left, bottom);
  cairo_line_to (cr, L->px + L->pw, bottom);
  if (L->y[1].shown)
    {
      cairo_move_to (cr, right, L->py);
      cairo_line_to (cr, right, bottom);
    }
  double offset = L->chart->clock ? L->chart->clock_offset : 0;
  double xfirst = x_first_tick (&L->x, offset);
  int xn = tick_count (xfirst, L->x.max, L->x.step);
  for (int i = 0; i < xn; i++)
    {
      double x = crisp (map_x (L, xfirst + i * L->x.step));
      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + tick);
    }
  for (int a = 0; a < 2; a++)
    {
      const Ticks *t = &L->y[a];
      if (!t->shown)
        continue;
      double first = y_first_tick (t);
      for (int i = 0, n = tick_count (first, t->max, t->step); i < n; i++)
        {
          double y = crisp (map_y (L, a, first + i * t->step));
          double x0 = a == 0 ? left : right;
          cairo_move_to (cr, x0, y);
          cairo_line_to (cr, a == 0 ? x0 - tick : x0 + tick, y);
        }
    }
  cairo_stroke (cr);

  /* Tick labels. */
  for (int i = 0; i < xn; i++)
    {
      double v = xfirst + i * L->x.step;
      char *text = x_label (L, v);
      PangoLayout *pl = make_text (L, text, L->f_tick, 0);
      double w;
      text_size (pl, &w, NULL);
      double x = map_x (L, v);
      /* Keep the label on the canvas. */
      x = CLAMP (x, w / 2 + 2 * s, L->width - w / 2 - 2 * s);
      draw_layout (L, cr, pl, x, L->x_labels_y, 0.5, 0, 0, ink_label);
      g_object_unref (pl);
      g_free (text);
    }
  for (int a = 0; a < 2; a++)
    {
      const Ticks *t = &L->y[a];
      if (!t->shown)
        continue;
      double first = y_first_tick (t);
      for (int i = 0, n = tick_count (first, t->max, t->step); i < n; i++)
        {
          double v = first + i * t->step;
          char *text = ticks_label (t, v);
          if (a == 0)
            draw_text (L, cr, text, L->f_tick, 0, L->left_labels_x, map_y (L, 0, v), 1, 0.5, 0,
                       ink_label);
          else
            draw_text (L, cr, text, L->f_tick, 0, L->right_labels_x, map_y (L, 1, v), 0, 0.5, 0,
                       ink_label);
          g_free (text);
        }
    }

  /* Axis titles: x centred under the plot; y turned along their axis. */
  if (L->chart->x_label[0])
    draw_text (L, cr, L->chart->x_label, L->f_axis, L->pw, L->px + L->pw / 2, L->x_title_y, 0.5,
               0, 0, ink_subtitle);
  if (L->chart->y[0].label[0])
    draw_text (L, cr, L->chart->y[0].label, L->f_axis, L->ph, L->left_title_x, L->py + L->ph / 2,
               0.5, 0, -G_PI / 2, ink_subtitle);
  if (L->y[1].shown && L->chart->y[1].label[0])
    draw_text (L, cr, L->chart->y[1].label, L->f_axis, L->ph, L->right_title_x, L->py + L->ph / 2,
               0.5, 0, G_PI / 2, ink_subtitle);
}

/* Title, subtitle and legend. */
static void
draw_header (Layout *L, cairo_t *cr)
{
  double s = L->s;
  double inner_w = MAX (1, L->width - 2 * L->pad);
  draw_text (L, cr, L->chart->title, L->f_title, inner_w, L->pad, L->title_y, 0, 0, 0, ink_title);
  if (L->chart->subtitle != NULL && L->chart->subtitle[0])
    draw_text (L, cr, L->chart->subtitle, L->f_subtitle, inner_w, L->pad, L->subtitle_y, 0, 0, 0,
               ink_subtitle);
  double swatch = 24 * s, swatch_gap = 6 * s;
  for (guint i = 0; i < L->legend->len; i++)
    {
      const LegendItem *item = &g_array_index (L->legend, LegendItem, i);
      const Series *ser = g_ptr_array_index (L->chart->series, item->series);
      double cy = item->y + L->legend_row_h / 2;
      if (ser->band->len > 0)
        {
          set_colour (cr, ser->colour, stratus_chart_band_alpha (ser->colour));
          cairo_rectangle (cr, item->x, cy - 5 * s, swatch, 10 * s);
          cairo_fill (cr);
        }
      set_colour (cr, ser->colour, 1);
      set_line_style (L, cr, ser);
      cairo_move_to (cr, item->x + (ser->dashed ? 0 : s), cy);
      cairo_line_to (cr, item->x + swatch - (ser->dashed ? 0 : s), cy);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      draw_text (L, cr, ser->name, L->f_legend, inner_w - swatch - swatch_gap,
                 item->x + swatch + swatch_gap, item->y, 0, 0, 0, ink_label);
    }
}

/* Draws the whole chart with layout L. */
static void
render_layout (Layout *L, cairo_t *cr)
{
  const StratusChart *chart = L->chart;
  cairo_save (cr);
  cairo_new_path (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, L->width, L->height);
  cairo_fill (cr);

  draw_grid (L, cr);

  cairo_save (cr);
  cairo_rectangle (cr, L->px, L->py - 1, L->pw + 1, L->ph + 2);
  cairo_clip (cr);
  for (guint i = 0; i < chart->series->len; i++)
    draw_band (L, cr, g_ptr_array_index (chart->series, i));
  for (guint i = 0; i < chart->series->len; i++)
    draw_line (L, cr, g_ptr_array_index (chart->series, i));
  cairo_restore (cr);

  draw_axes (L, cr);
  draw_header (L, cr);
  if (!L->has_data)
    draw_text (L, cr, "No data", L->f_title, L->pw, L->px + L->pw / 2, L->py + L->ph / 2, 0.5, 0.5,
               0, ink_axis);
  cairo_restore (cr);
}

void
stratus_chart_render (const StratusChart *chart, cairo_t *cr, double width, double height)
{
  Layout L;
  layout_compute (&L, chart, width, height);
  render_layout (&L, cr);
  layout_clear (&L);
}

void
stratus_chart_plot_area (const StratusChart *chart, double width, double height, double *x,
                         double *y, double *w, double *h)
{
  Layout L;
  layout_compute (&L, chart, width, height);
  *x = L.px;
  *y = L.py;
  *w = L.pw;
  *h = L.ph;
  layout_clear (&L);
}

bool
stratus_chart_map (const StratusChart *chart, double width, double height, StratusAxis axis,
                   double x, double y, double *px, double *py)
{
  Layout L;
  layout_compute (&L, chart, width, height);
  int a = axis == STRATUS_AXIS_RIGHT;
  bool shown = L.y[a].shown;
  if (shown)
    {
      *px = map_x (&L, x);
      *py = map_y (&L, a, y);
    }
  layout_clear (&L);
  return shown;
}

void
stratus_chart_text_bounds (const StratusChart *chart, double width, double height, double *x0,
                           double *y0, double *x1, double *y1)
{
  Layout L;
  layout_compute (&L, chart, width, height);
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  render_layout (&L, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  *x0 = L.tx0;
  *y0 = L.ty0;
  *x1 = L.tx1;
  *y1 = L.ty1;
  layout_clear (&L);
}

/* ---- files --------------------------------------------------------------------------------- */

/* Public (stratus/chart.h): the chart as a file of `format` through plot_output; false with
 * a G_FILE_ERROR set if it could not be drawn or written. */
bool
stratus_chart_write (const StratusChart *chart, const char *path, StratusPlotFormat format,
                     int width, int height, GError **error)
{
  if (width <= 0 || height <= 0 || width > 32767 || height > 32767)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: bad chart size %dx%d", path,
                   width, height);
      return false;
    }
  /* A fixed date, so that the same chart gives the same bytes. */
  const PlotPdfInfo pdf = { "2000-01-01T00:00:00Z", chart->title, "stratus" };
  PlotOutput out;
  cairo_t *cr = plot_output_begin (&out, format, width, height, 1.0, &pdf);
  stratus_chart_render (chart, cr, width, height);
  cairo_status_t status;
  GByteArray *bytes = plot_output_end (&out, cr, &status);
  if (bytes == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return false;
    }
  bool ok = plot_output_write (path, bytes->data, bytes->len, error);
  g_byte_array_unref (bytes);
  return ok;
}
