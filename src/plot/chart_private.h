/* The insides of a chart, shared by the files of src/plot/ that make up StratusChart:
 * chart.c (the chart, its series, its file), chart_layout.c (ticks and the layout of the
 * canvas), chart_draw.c (drawing a layout with cairo and pango) and chart_markers.c
 * (markers on the time axis). Private to src/plot/. */
#pragma once

#include <pango/pangocairo.h>
#include <stdbool.h>

#include "stratus/chart.h"

/* The greys every chart draws its text, axes and grid with (RGB, 0-1). */
static const double G_GNUC_UNUSED ink_title[3] = { 0.13, 0.13, 0.13 };
static const double G_GNUC_UNUSED ink_subtitle[3] = { 0.38, 0.38, 0.38 };
static const double G_GNUC_UNUSED ink_label[3] = { 0.27, 0.27, 0.27 };
static const double G_GNUC_UNUSED ink_axis[3] = { 0.53, 0.53, 0.53 };
static const double G_GNUC_UNUSED ink_grid[3] = { 0.90, 0.90, 0.90 };

/* ---- the chart ------------------------------------------------------------------------- */

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

/* A marker on the time axis (stratus_chart_add_marker). */
typedef struct
{
  double x;
  StratusMarkerDirection direction;
} Marker;

/* A shaded span of the time axis (stratus_chart_add_span). */
typedef struct
{
  double from, to;
} Span;

struct StratusChart
{
  char *title, *subtitle, *x_label;
  bool clock;
  bool x_numeric; /* x ticks are plain numbers on 1-2-5 steps (not times) */
  bool x_integers; /* ... and whole numbers: steps of at least 1 */
  double clock_offset;
  bool x_fixed;
  double x_min, x_max;
  YAxis y[2];
  GPtrArray *series; /* Series*, owned */
  GArray *markers;   /* Marker */
  GArray *spans;     /* Span */
};

/* ---- the layout ------------------------------------------------------------------------ */

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

/* Computes the layout of `chart` on a width x height canvas (the chart is borrowed for the
 * layout's life). Free with chart_layout_clear. */
void chart_layout_compute (Layout *L, const StratusChart *chart, double width, double height);

/* Frees what chart_layout_compute allocated. */
void chart_layout_clear (Layout *L);

/* A new pango context of fixed options (unhinted metrics, 72 dpi, unrounded glyph
 * positions, English, left to right), so that text measures the same on every surface;
 * the bar charts (chart_bars.c) use it too. Caller unrefs. */
PangoContext *chart_pango_new (void);

/* A new pango layout of `text` on `pango` in the charts' font at `size` (device units),
 * bold or not, ellipsized to `max_width` if > 0; the bar charts use it too. Caller unrefs. */
PangoLayout *chart_text_new (PangoContext *pango, const char *text, double size, bool bold,
                             double max_width);

/* A new pango layout of `text` in `font`, ellipsized to `max_width` if > 0. Caller unrefs. */
PangoLayout *chart_make_text (const Layout *L, const char *text, FontSpec font,
                              double max_width);

/* Logical width and height of `pl` in device units (either may be NULL). */
void chart_text_size (PangoLayout *pl, double *w, double *h);

/* The label of tick value `v` on axis `t`. Caller frees. */
char *chart_ticks_label (const Ticks *t, double v);

/* Label of x tick value `v`. Caller frees. */
char *chart_x_label (const Layout *L, double v);

/* First y tick (a whole multiple of the step at or above min). */
double chart_y_first_tick (const Ticks *t);

/* First x tick (a whole multiple of the step at or after min). */
double chart_x_first_tick (const Ticks *t, double offset);

/* Number of ticks from `first` to `max` (inclusive) `step` apart. */
int chart_tick_count (double first, double max, double step);

/* Draws the markers of L's chart (chart_markers.c): dotted lines across the plot and
 * triangles on the x axis. Nothing without markers. */
void chart_draw_markers (const Layout *L, cairo_t *cr);

/* Draws the spans of L's chart (chart_markers.c) behind its series. Nothing without
 * spans. */
void chart_draw_spans (const Layout *L, cairo_t *cr);

/* Maps data x to device x. */
static inline double
chart_map_x (const Layout *L, double x)
{
  double v = L->px + (x - L->x.min) / (L->x.max - L->x.min) * L->pw;
  return CLAMP (v, -1e6, 1e6);
}

/* Maps data y of `axis` to device y. */
static inline double
chart_map_y (const Layout *L, int axis, double y)
{
  const Ticks *t = &L->y[axis];
  double v = L->py + L->ph - (y - t->min) / (t->max - t->min) * L->ph;
  return CLAMP (v, -1e6, 1e6);
}
