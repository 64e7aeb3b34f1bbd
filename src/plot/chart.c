/* Generic time-series charts: the chart and its series (building, reading back), the
 * palette, and writing a chart to a file through plot_output. Laying out the canvas is in
 * chart_layout.c, drawing in chart_draw.c; the types they share in chart_private.h. */
#include "chart_private.h"

#include "plot_output.h"

#include <math.h>
#include <string.h>

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
  c->markers = g_array_new (FALSE, FALSE, sizeof (Marker));
  c->spans = g_array_new (FALSE, FALSE, sizeof (Span));
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
  g_array_unref (chart->markers);
  g_array_unref (chart->spans);
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
stratus_chart_set_x_numeric (StratusChart *chart, const char *label, bool integers)
{
  stratus_chart_set_x_label (chart, label);
  chart->x_numeric = true;
  chart->x_integers = integers;
  chart->clock = false;
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

/* ---- files --------------------------------------------------------------------------------- */

/* stratus_chart_render as a PlotRenderFunc. */
static void
render_chart (const void *chart, cairo_t *cr, double width, double height)
{
  stratus_chart_render (chart, cr, width, height);
}

/* Public (stratus/chart.h): the chart as a file of `format` through plot_output; false with
 * a G_FILE_ERROR set if it could not be drawn or written. */
bool
stratus_chart_write (const StratusChart *chart, const char *path, StratusPlotFormat format,
                     int width, int height, GError **error)
{
  return plot_output_write_chart (path, format, width, height, chart->title, render_chart,
                                  chart, error);
}
