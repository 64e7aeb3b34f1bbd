/* The layout of a chart (chart_private.h): ticks of the axes and their labels, and the
 * place of everything on the canvas.
 *
 * The layout (Layout) is computed from the chart and the canvas size alone: text sizes
 * scale with the canvas, text is measured with a pango context of fixed font options (no
 * hinting of metrics, no rounding of glyph positions), so the layout and the
 * data-to-device mapping are the same for every surface and every format. */
#include "chart_private.h"

#include "chart_time.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define FONT_FAMILY "DejaVu Sans"

/* ---- ticks ----------------------------------------------------------------------------- */

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
char *
chart_ticks_label (const Ticks *t, double v)
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

/* A new pango layout of `text` on `pango` in the charts' font at `size`, ellipsized to
 * `max_width` if > 0 (see chart_private.h). Caller unrefs. */
PangoLayout *
chart_text_new (PangoContext *pango, const char *text, double size, bool bold,
                double max_width)
{
  PangoLayout *pl = pango_layout_new (pango);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
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

/* A new pango layout of `text` in `font`, ellipsized to `max_width` if > 0. Caller unrefs. */
PangoLayout *
chart_make_text (const Layout *L, const char *text, FontSpec font, double max_width)
{
  return chart_text_new (L->pango, text, font.size, font.bold, max_width);
}

/* Logical width and height of `pl` in device units. */
void
chart_text_size (PangoLayout *pl, double *w, double *h)
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
  PangoLayout *pl = chart_make_text (L, text, font, 0);
  chart_text_size (pl, w, h);
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
char *
chart_x_label (const Layout *L, double v)
{
  if (L->chart->clock)
    return chart_clock_label (v, L->chart->clock_offset, L->x.step, L->x_clock_multi_day);
  if (L->chart->x_numeric)
    {
      int decimals = L->x.step >= 1 - 1e-9 ? 0 : (int) ceil (-log10 (L->x.step) - 1e-9);
      if (fabs (v) < L->x.step * 1e-6)
        v = 0;
      char digits[64];
      g_snprintf (digits, sizeof digits, "%.*f", CLAMP (decimals, 0, 9), fabs (v));
      GString *out = g_string_new (v < 0 ? "\xe2\x88\x92" : ""); /* U+2212 minus */
      append_grouped (out, digits);
      return g_string_free (out, FALSE);
    }
  return chart_elapsed_label (v, L->x.step);
}

/* First y tick (a whole multiple of the step at or above min). */
double
chart_y_first_tick (const Ticks *t)
{
  return ceil (t->min / t->step - 1e-9) * t->step;
}

/* First x tick (a whole multiple of the step at or after min). */
double
chart_x_first_tick (const Ticks *t, double offset)
{
  return ceil ((t->min + offset) / t->step - 1e-9) * t->step - offset;
}

/* Number of ticks from `first` to `max` (inclusive) `step` apart. */
int
chart_tick_count (double first, double max, double step)
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
  bool numeric = L->chart->x_numeric;
  double (*next) (double) = numeric ? chart_next_step : chart_next_time_step;
  if (numeric && L->chart->x_integers)
    lower = MAX (lower, 1);
  double step = lower < 1 || numeric ? chart_nice_step (MAX (lower, 1e-9)) : 1;
  while (step < lower)
    step = next (step);
  for (int guard = 0; guard < 200; guard++)
    {
      L->x.step = step;
      double first = chart_x_first_tick (&L->x, offset);
      int n = chart_tick_count (first, L->x.max, step);
      if (n > 200 && step < range)
        {
          step = next (step);
          continue;
        }
      double widest = 0;
      for (int i = 0; i < n; i++)
        {
          char *text = chart_x_label (L, first + i * step);
          double w;
          measure (L, text, L->f_tick, &w, NULL);
          widest = MAX (widest, w);
          g_free (text);
        }
      if (step / range * L->pw >= widest + gap || step >= range)
        return;
      step = next (step);
    }
}

/* Creates the Pango context the layout measures text with: unhinted metrics, 72 dpi,
 * unrounded glyph positions, English, left to right (see chart_private.h). Caller unrefs. */
PangoContext *
chart_pango_new (void)
{
  PangoContext *pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (pango, fo);
  cairo_font_options_destroy (fo);
  pango_cairo_context_set_resolution (pango, 72);
  pango_context_set_round_glyph_positions (pango, FALSE);
  pango_context_set_language (pango, pango_language_from_string ("en"));
  pango_context_set_base_dir (pango, PANGO_DIRECTION_LTR);
  return pango;
}

/* Places the title and the subtitle from the top; returns the y below them. */
static double
layout_titles (Layout *L)
{
  const StratusChart *chart = L->chart;
  double s = L->s;
  double y = L->pad, h;
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
  return y + 10 * s;
}

/* Places the legend's items from `y`, left to right, wrapping within `inner_w`; sets the
 * plot's top (L->py) below it. */
static void
layout_legend (Layout *L, double y, double inner_w)
{
  const StratusChart *chart = L->chart;
  double s = L->s, pad = L->pad;
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
      PangoLayout *pl = chart_make_text (L, ser->name, L->f_legend, inner_w - swatch - swatch_gap);
      chart_text_size (pl, &w, NULL);
      g_object_unref (pl);
      double item_w = swatch + swatch_gap + w;
      if (lx > pad && lx + item_w > L->width - pad)
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
}

/* Sets the plot's height and the rows of the x tick labels and the x title below it;
 * returns the height of an axis title's line in `axis_h`. */
static void
layout_bottom (Layout *L, double *axis_h)
{
  double s = L->s;
  double tick_h;
  measure (L, "0123456789", L->f_tick, NULL, &tick_h);
  measure (L, "Ag", L->f_axis, NULL, axis_h);
  double bottom = 5 * s + 4 * s + tick_h + (L->chart->x_label[0] ? 6 * s + *axis_h : 0) + L->pad;
  L->ph = MAX (1, L->height - L->py - bottom);
  L->x_labels_y = L->py + L->ph + 9 * s;
  L->x_title_y = L->x_labels_y + tick_h + 6 * s;
}

/* Chooses the ticks of both y axes: about one per 48 units of the plot's height; the right
 * axis shares the left's grid. */
static void
layout_y_ticks (Layout *L)
{
  const StratusChart *chart = L->chart;
  int max_ticks = (int) CLAMP (L->ph / (48 * L->s), 1, 12);
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
}

/* Places, left to right, the left title, left labels, plot, right labels and right title;
 * `axis_h` is the height of an axis title's line. */
static void
layout_horizontal (Layout *L, double axis_h)
{
  const StratusChart *chart = L->chart;
  double s = L->s, pad = L->pad;
  double widest[2] = { 0, 0 };
  for (int a = 0; a < 2; a++)
    {
      const Ticks *t = &L->y[a];
      if (!t->shown)
        continue;
      double first = chart_y_first_tick (t);
      for (int i = 0, n = chart_tick_count (first, t->max, t->step); i < n; i++)
        {
          char *text = chart_ticks_label (t, first + i * t->step);
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
  double right = L->width - pad;
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
      right = L->width - MAX (pad, w / 2 + 4 * s);
    }
  L->pw = MAX (1, right - L->px);
}

/* Sets the x range (fixed, the data's widened if a single instant, or the first minute
 * without data) and chooses its ticks. */
static void
layout_x_range (Layout *L)
{
  const StratusChart *chart = L->chart;
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

/* Computes the layout of `chart` on a width x height canvas. Free with chart_layout_clear. */
void
chart_layout_compute (Layout *L, const StratusChart *chart, double width, double height)
{
  memset (L, 0, sizeof *L);
  L->chart = chart;
  L->width = width;
  L->height = height;
  L->s = CLAMP (sqrt (width * height / (1200.0 * 600.0)), 0.6, 6.0);
  double s = L->s;
  L->tx0 = L->ty0 = INFINITY;
  L->tx1 = L->ty1 = -INFINITY;
  L->pango = chart_pango_new ();

  L->f_title = (FontSpec){ 20 * s, true };
  L->f_subtitle = (FontSpec){ 13 * s, false };
  L->f_legend = (FontSpec){ 13 * s, false };
  L->f_tick = (FontSpec){ 12 * s, false };
  L->f_axis = (FontSpec){ 13 * s, false };
  L->pad = 16 * s;
  double inner_w = MAX (1, width - 2 * L->pad);

  /* Vertical: title, subtitle, legend, plot, x tick labels, x title. */
  double y = layout_titles (L);
  layout_legend (L, y, inner_w);
  double axis_h;
  layout_bottom (L, &axis_h);
  layout_y_ticks (L);
  /* Horizontal: left title, left labels, plot, right labels, right title. */
  layout_horizontal (L, axis_h);
  layout_x_range (L);
}

/* Frees what chart_layout_compute allocated. */
void
chart_layout_clear (Layout *L)
{
  g_clear_object (&L->pango);
  if (L->legend != NULL)
    g_array_unref (L->legend);
  L->legend = NULL;
}

/* ---- public queries ---------------------------------------------------------------------- */

/* Public (stratus/chart.h): the plot area of the chart on a width x height canvas. */
void
stratus_chart_plot_area (const StratusChart *chart, double width, double height, double *x,
                         double *y, double *w, double *h)
{
  Layout L;
  chart_layout_compute (&L, chart, width, height);
  *x = L.px;
  *y = L.py;
  *w = L.pw;
  *h = L.ph;
  chart_layout_clear (&L);
}

/* Public (stratus/chart.h): data (x, y) of `axis` in device units; false if the axis is not
 * shown. */
bool
stratus_chart_map (const StratusChart *chart, double width, double height, StratusAxis axis,
                   double x, double y, double *px, double *py)
{
  Layout L;
  chart_layout_compute (&L, chart, width, height);
  int a = axis == STRATUS_AXIS_RIGHT;
  bool shown = L.y[a].shown;
  if (shown)
    {
      *px = chart_map_x (&L, x);
      *py = chart_map_y (&L, a, y);
    }
  chart_layout_clear (&L);
  return shown;
}
