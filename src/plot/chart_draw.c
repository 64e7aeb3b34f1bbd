/* Drawing a chart's layout (chart_private.h) with cairo, text with pango: the grid, bands,
 * lines and steps, axes and their labels, title, subtitle and legend. */
#include "chart_private.h"

#include <math.h>

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
  PangoLayout *pl = chart_make_text (L, text, font, max_width);
  draw_layout (L, cr, pl, x, y, ax, ay, angle, rgb);
  g_object_unref (pl);
}

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
  double first = chart_y_first_tick (t);
  for (int i = 0, n = chart_tick_count (first, t->max, t->step); i < n; i++)
    {
      double y = crisp (chart_map_y (L, 0, first + i * t->step));
      cairo_move_to (cr, L->px, y);
      cairo_line_to (cr, L->px + L->pw, y);
    }
  double offset = L->chart->clock ? L->chart->clock_offset : 0;
  double xfirst = chart_x_first_tick (&L->x, offset);
  for (int i = 0, n = chart_tick_count (xfirst, L->x.max, L->x.step); i < n; i++)
    {
      double x = crisp (chart_map_x (L, xfirst + i * L->x.step));
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
          double x = chart_map_x (L, b->x);
          Vertex hi = { x, chart_map_y (L, s->axis, b->high) };
          Vertex lo = { x, chart_map_y (L, s->axis, b->low) };
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
      double x = chart_map_x (L, p->x), y = chart_map_y (L, s->axis, p->y);
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
  double xfirst = chart_x_first_tick (&L->x, offset);
  int xn = chart_tick_count (xfirst, L->x.max, L->x.step);
  for (int i = 0; i < xn; i++)
    {
      double x = crisp (chart_map_x (L, xfirst + i * L->x.step));
      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + tick);
    }
  for (int a = 0; a < 2; a++)
    {
      const Ticks *t = &L->y[a];
      if (!t->shown)
        continue;
      double first = chart_y_first_tick (t);
      for (int i = 0, n = chart_tick_count (first, t->max, t->step); i < n; i++)
        {
          double y = crisp (chart_map_y (L, a, first + i * t->step));
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
      char *text = chart_x_label (L, v);
      PangoLayout *pl = chart_make_text (L, text, L->f_tick, 0);
      double w;
      chart_text_size (pl, &w, NULL);
      double x = chart_map_x (L, v);
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
      double first = chart_y_first_tick (t);
      for (int i = 0, n = chart_tick_count (first, t->max, t->step); i < n; i++)
        {
          double v = first + i * t->step;
          char *text = chart_ticks_label (t, v);
          if (a == 0)
            draw_text (L, cr, text, L->f_tick, 0, L->left_labels_x, chart_map_y (L, 0, v), 1, 0.5,
                       0, ink_label);
          else
            draw_text (L, cr, text, L->f_tick, 0, L->right_labels_x, chart_map_y (L, 1, v), 0,
                       0.5, 0, ink_label);
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
  chart_draw_spans (L, cr);
  for (guint i = 0; i < chart->series->len; i++)
    draw_band (L, cr, g_ptr_array_index (chart->series, i));
  for (guint i = 0; i < chart->series->len; i++)
    draw_line (L, cr, g_ptr_array_index (chart->series, i));
  chart_draw_markers (L, cr);
  cairo_restore (cr);

  draw_axes (L, cr);
  draw_header (L, cr);
  if (!L->has_data)
    draw_text (L, cr, "No data", L->f_title, L->pw, L->px + L->pw / 2, L->py + L->ph / 2, 0.5, 0.5,
               0, ink_axis);
  cairo_restore (cr);
}

/* Public (stratus/chart.h): draws the chart on `cr` (borrowed) over a width x height canvas. */
void
stratus_chart_render (const StratusChart *chart, cairo_t *cr, double width, double height)
{
  Layout L;
  chart_layout_compute (&L, chart, width, height);
  render_layout (&L, cr);
  chart_layout_clear (&L);
}

/* Public (stratus/chart.h): the box holding every piece of text drawn, for tests. */
void
stratus_chart_text_bounds (const StratusChart *chart, double width, double height, double *x0,
                           double *y0, double *x1, double *y1)
{
  Layout L;
  chart_layout_compute (&L, chart, width, height);
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  render_layout (&L, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  *x0 = L.tx0;
  *y0 = L.ty0;
  *x1 = L.tx1;
  *y1 = L.ty1;
  chart_layout_clear (&L);
}
