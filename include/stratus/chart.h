/* A generic time-series chart: a title, an x axis of time (seconds since the start of the
 * run), a left y axis and an optional right one, series drawn as lines or steps with an
 * optional translucent band (a confidence interval), a legend, and all text set with
 * pango. Knows nothing of reports: src/plot/charts.c builds charts from finished reports.
 *
 * Rendering is a pure function of the chart and the canvas size: the same chart gives the
 * same pixels, and the same bytes in every format. Sizes are in device units (pixels for
 * PNG, points for SVG and PDF); text scales with the canvas so it stays legible. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "stratus/plot.h"

typedef struct StratusChart StratusChart;

typedef enum
{
  STRATUS_AXIS_LEFT,
  STRATUS_AXIS_RIGHT,
} StratusAxis;

/* How the tick labels of a y axis read. The axis picks one scale for all its ticks. */
typedef enum
{
  STRATUS_UNIT_NUMBER,  /* "250", "1,500", "12k", "3.5M"; then the suffix (" req/s") */
  STRATUS_UNIT_MS,      /* values in ms: "250 ms", or "1.5 s" once the axis reaches 1 s */
  STRATUS_UNIT_PERCENT, /* values in percent: "50%" */
  STRATUS_UNIT_BYTES,   /* "512 B", "1.5 KB", "20 MB", "3 GB" (decimal: 1 KB = 1000 B);
                         * then the suffix ("/s") */
} StratusUnit;

/* How a series joins its points. */
typedef enum
{
  STRATUS_SERIES_LINE, /* straight lines between points */
  STRATUS_SERIES_STEP, /* a point's value holds until the next point's x, then jumps */
} StratusSeriesStyle;

/* The colour-blind-safe palette (Okabe & Ito), in the order series should use it. A colour
 * index wraps around the palette; indices from 8 to 15 draw dashed, and so on alternately. */
typedef enum
{
  STRATUS_COLOUR_BLUE,       /* #0072B2 */
  STRATUS_COLOUR_ORANGE,     /* #E69F00 */
  STRATUS_COLOUR_GREEN,      /* #009E73 (bluish green) */
  STRATUS_COLOUR_VERMILLION, /* #D55E00 */
  STRATUS_COLOUR_PURPLE,     /* #CC79A7 (reddish purple) */
  STRATUS_COLOUR_SKY,        /* #56B4E9 (sky blue) */
  STRATUS_COLOUR_YELLOW,     /* #F0E442 */
  STRATUS_COLOUR_BLACK,      /* #000000 */
  STRATUS_N_COLOURS
} StratusColour;

/* The red, green and blue (0..1) of palette colour `colour` (wrapping around). */
void stratus_chart_colour_rgb (unsigned colour, double rgb[3]);

/* Opacity of the bands drawn in palette colour `colour` (lighter for black). */
double stratus_chart_band_alpha (unsigned colour);

/* A new empty chart titled `title` (copied); no series, a left axis labelled "", x axis
 * "Elapsed time". Free with stratus_chart_free. */
StratusChart *stratus_chart_new (const char *title);

/* Frees the chart and everything it holds; NULL is allowed. */
void stratus_chart_free (StratusChart *chart);

/* A second line under the title, smaller and grey (copied; NULL removes it). */
void stratus_chart_set_subtitle (StratusChart *chart, const char *subtitle);

/* The x axis title (copied; default "Elapsed time"). */
void stratus_chart_set_x_label (StratusChart *chart, const char *label);

/* The x axis holds plain numbers, not times: ticks on 1-2-5 steps labelled "4", "1,500",
 * "0.25" (steps of at least 1 when `integers`); its title `label` (copied). */
void stratus_chart_set_x_numeric (StratusChart *chart, const char *label, bool integers);

/* Tick labels of the x axis as times of day ("06:00", "14:30"; "day 2" at a midnight when
 * the axis spans days) rather than elapsed time ("0", "10m", "1h 30m", "2d"): x = 0 is
 * `start_of_day_s` seconds after midnight of day 1. The default x title becomes "Time of
 * day". */
void stratus_chart_set_x_clock (StratusChart *chart, double start_of_day_s);

/* The x range shown, in seconds (min < max); by default that of the data. */
void stratus_chart_set_x_range (StratusChart *chart, double min, double max);

/* Sets up a y axis: its title (copied, e.g. "Latency"), how its ticks read and a suffix
 * appended to every tick label (copied, may be NULL: " req/s", "/s"). Setting up the right
 * axis makes it appear. */
void stratus_chart_set_y_axis (StratusChart *chart, StratusAxis axis, const char *label,
                               StratusUnit unit, const char *suffix);

/* A fixed range for a y axis (min < max), e.g. 0..100 for percentages; by default the
 * range of its data and 0, rounded out to whole ticks (0..1 when all data is 0). */
void stratus_chart_set_y_range (StratusChart *chart, StratusAxis axis, double min,
                                double max);

/* Adds a series named `name` (copied; shown in the legend) drawn in palette colour
 * `colour` against `axis`. Returns its index (0, 1, ...), for adding points. */
unsigned stratus_chart_add_series (StratusChart *chart, const char *name, unsigned colour,
                                   StratusAxis axis, StratusSeriesStyle style);

/* Draws series `series` dashed (for instance a reference line such as offered load). */
void stratus_chart_set_dashed (StratusChart *chart, unsigned series, bool dashed);

/* Appends the point (x, y) to series `series`, in increasing x. A non-finite y leaves a gap
 * in the line; a point with a non-finite x is ignored. */
void stratus_chart_add_point (StratusChart *chart, unsigned series, double x, double y);

/* Appends a band sample (x, low .. high) to series `series`, in increasing x: the band is
 * drawn translucent in the series colour between consecutive samples. Non-finite values
 * leave a gap. */
void stratus_chart_add_band (StratusChart *chart, unsigned series, double x, double low,
                             double high);

/* Which way a marker on the time axis points. */
typedef enum
{
  STRATUS_MARKER_UP,   /* e.g. a scale-out */
  STRATUS_MARKER_DOWN, /* e.g. a scale-in */
} StratusMarkerDirection;

/* Adds a marker at time `x` (seconds; ignored if not finite): a small triangle standing on
 * the x axis, pointing up (vermillion) or down (blue), with a thin dotted vertical line
 * across the plot. Markers outside the x range are not drawn; they never widen it. */
void stratus_chart_add_marker (StratusChart *chart, double x, StratusMarkerDirection direction);

/* Number of markers, and marker `index` (< count). */
size_t stratus_chart_marker_count (const StratusChart *chart);
void stratus_chart_marker (const StratusChart *chart, size_t index, double *x,
                           StratusMarkerDirection *direction);

/* Adds a shaded span of the time axis [from, to] (seconds; `to` may be INFINITY: to the
 * end), e.g. a fault: a translucent grey band behind the series, across the plot's height.
 * Ignored unless from is finite and to >= from; it never widens the x range. */
void stratus_chart_add_span (StratusChart *chart, double from, double to);

/* Number of spans, and span `index` (< count). */
size_t stratus_chart_span_count (const StratusChart *chart);
void stratus_chart_span (const StratusChart *chart, size_t index, double *from, double *to);

/* Number of series. */
unsigned stratus_chart_series_count (const StratusChart *chart);

/* Name of series `series` (borrowed, valid while the chart lives). */
const char *stratus_chart_series_name (const StratusChart *chart, unsigned series);

/* Palette colour index and axis of series `series`. */
unsigned stratus_chart_series_colour (const StratusChart *chart, unsigned series);
StratusAxis stratus_chart_series_axis (const StratusChart *chart, unsigned series);

/* Number of points, and of band samples, of series `series`. */
size_t stratus_chart_series_length (const StratusChart *chart, unsigned series);
size_t stratus_chart_band_length (const StratusChart *chart, unsigned series);

/* Point `index` (< length) of series `series`. */
void stratus_chart_series_point (const StratusChart *chart, unsigned series, size_t index,
                                 double *x, double *y);

/* Band sample `index` (< band length) of series `series`. */
void stratus_chart_band_sample (const StratusChart *chart, unsigned series, size_t index,
                                double *x, double *low, double *high);

/* The title (borrowed). */
const char *stratus_chart_title (const StratusChart *chart);

/* Draws the chart on `cr` over (0, 0) .. (width, height) in user units, background
 * included. Leaves the cairo state as it found it. */
void stratus_chart_render (const StratusChart *chart, cairo_t *cr, double width, double height);

/* Writes the chart to `path` as PNG (width x height pixels), SVG or PDF (width x height
 * points), under a temporary name in the same folder then renamed, so readers never see a
 * partial file. The bytes depend only on the chart and the size (no dates). False with
 * `error` set (G_FILE_ERROR) if the file could not be written or the size is not positive. */
bool stratus_chart_write (const StratusChart *chart, const char *path, StratusPlotFormat format,
                          int width, int height, GError **error);

/* The plot area (where data is drawn) on a width x height canvas: left, top, width, height. */
void stratus_chart_plot_area (const StratusChart *chart, double width, double height,
                              double *x, double *y, double *w, double *h);

/* Where the data point (x, y) of `axis` lands on a width x height canvas, in device units
 * (pixel (i, j) covers i..i+1, j..j+1). False if `axis` is not shown (right axis unset). */
bool stratus_chart_map (const StratusChart *chart, double width, double height, StratusAxis axis,
                        double x, double y, double *px, double *py);

/* The box holding every piece of text drawn on a width x height canvas (ink and logical
 * extents): left, top, right, bottom. For checking that no label leaves the canvas. */
void stratus_chart_text_bounds (const StratusChart *chart, double width, double height,
                                double *x0, double *y0, double *x1, double *y1);
