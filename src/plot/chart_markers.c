/* Markers on a chart's time axis (stratus/chart.h): kept on the chart, drawn as a thin
 * dotted vertical line across the plot and a small triangle standing on the x axis, up in
 * vermillion or down in blue; and spans of the time axis, shaded grey behind the series. */
#include "chart_private.h"

#include <math.h>

void
stratus_chart_add_marker (StratusChart *chart, double x, StratusMarkerDirection direction)
{
  if (!isfinite (x))
    return;
  Marker m = { x, direction == STRATUS_MARKER_DOWN ? STRATUS_MARKER_DOWN : STRATUS_MARKER_UP };
  g_array_append_val (chart->markers, m);
}

size_t
stratus_chart_marker_count (const StratusChart *chart)
{
  return chart->markers->len;
}

void
stratus_chart_marker (const StratusChart *chart, size_t index, double *x,
                      StratusMarkerDirection *direction)
{
  g_assert (index < chart->markers->len);
  const Marker *m = &g_array_index (chart->markers, Marker, index);
  if (x)
    *x = m->x;
  if (direction)
    *direction = m->direction;
}

/* The triangle of marker `m` at device x `x`: standing on the x axis, its apex up, or
 * hanging from the level of an up one's apex, its apex on the axis. */
static void
draw_triangle (const Layout *L, cairo_t *cr, const Marker *m, double x)
{
  double half = 5 * L->s, height = 9 * L->s, axis = L->py + L->ph;
  double rgb[3];
  stratus_chart_colour_rgb (m->direction == STRATUS_MARKER_UP ? STRATUS_COLOUR_VERMILLION
                                                              : STRATUS_COLOUR_BLUE,
                            rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  if (m->direction == STRATUS_MARKER_UP)
    {
      cairo_move_to (cr, x - half, axis);
      cairo_line_to (cr, x + half, axis);
      cairo_line_to (cr, x, axis - height);
    }
  else
    {
      cairo_move_to (cr, x - half, axis - height);
      cairo_line_to (cr, x + half, axis - height);
      cairo_line_to (cr, x, axis);
    }
  cairo_close_path (cr);
  cairo_fill (cr);
}

void
chart_draw_markers (const Layout *L, cairo_t *cr)
{
  const GArray *markers = L->chart->markers;
  if (markers->len == 0 || !(L->x.max > L->x.min))
    return;
  cairo_save (cr);
  cairo_new_path (cr);
  double dots[2] = { 1.5 * L->s, 3 * L->s };
  cairo_set_dash (cr, dots, 2, 0);
  cairo_set_line_width (cr, 1);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_source_rgba (cr, 0.35, 0.35, 0.35, 0.8);
  for (guint i = 0; i < markers->len; i++)
    {
      const Marker *m = &g_array_index (markers, Marker, i);
      if (m->x < L->x.min || m->x > L->x.max)
        continue;
      double x = floor (chart_map_x (L, m->x)) + 0.5;
      cairo_move_to (cr, x, L->py);
      cairo_line_to (cr, x, L->py + L->ph);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < markers->len; i++)
    {
      const Marker *m = &g_array_index (markers, Marker, i);
      if (m->x >= L->x.min && m->x <= L->x.max)
        draw_triangle (L, cr, m, chart_map_x (L, m->x));
    }
  cairo_restore (cr);
}

void
stratus_chart_add_span (StratusChart *chart, double from, double to)
{
  if (!isfinite (from) || isnan (to) || to < from)
    return;
  Span span = { from, to };
  g_array_append_val (chart->spans, span);
}

size_t
stratus_chart_span_count (const StratusChart *chart)
{
  return chart->spans->len;
}

void
stratus_chart_span (const StratusChart *chart, size_t index, double *from, double *to)
{
  g_assert (index < chart->spans->len);
  const Span *span = &g_array_index (chart->spans, Span, index);
  if (from)
    *from = span->from;
  if (to)
    *to = span->to;
}

void
chart_draw_spans (const Layout *L, cairo_t *cr)
{
  const GArray *spans = L->chart->spans;
  if (spans->len == 0 || !(L->x.max > L->x.min))
    return;
  cairo_save (cr);
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.15);
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);
      double from = MAX (span->from, L->x.min), to = MIN (span->to, L->x.max);
      if (to <= from)
        continue;
      double x0 = chart_map_x (L, from), x1 = chart_map_x (L, to);
      cairo_rectangle (cr, x0, L->py, x1 - x0, L->ph);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}
