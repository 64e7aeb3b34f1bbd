/* A bar chart: one bar per category (a scenario, say), each a stack of segments (cost
 * categories) in the colour-blind-safe palette of stratus/chart.h, an optional error bar on
 * the stack's total, the total written above the bar, and lines of notes under the bar's
 * label. A title, a subtitle, a legend of the segments and a y axis from 0 with ticks.
 *
 * As for the line charts, rendering is a pure function of the chart and the canvas size:
 * the same chart gives the same bytes in every format. Sizes are in device units (pixels
 * for PNG, points for SVG and PDF); text scales with the canvas. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "stratus/plot.h"

typedef struct StratusBarChart StratusBarChart;

/* A new chart titled `title` (copied), without bars or segments. Free with
 * stratus_bar_chart_free. */
StratusBarChart *stratus_bar_chart_new (const char *title);

/* Frees the chart and everything it holds; NULL is allowed. */
void stratus_bar_chart_free (StratusBarChart *chart);

/* A second line under the title, smaller and grey (copied; NULL removes it). */
void stratus_bar_chart_set_subtitle (StratusBarChart *chart, const char *subtitle);

/* The y axis: its title (copied), and what its tick labels and the totals above the bars
 * read as: `prefix` NUMBER `suffix` (copied, either may be NULL: "$", " ms") with
 * `decimals` decimals for the totals (ticks use as many as their step needs). */
void stratus_bar_chart_set_y_axis (StratusBarChart *chart, const char *label,
                                   const char *prefix, const char *suffix, int decimals);

/* Adds a segment kind (shown in the legend, stacked in the order added) drawn in palette
 * colour `colour` (stratus_chart_colour_rgb; indices 8 to 15 are hatched, so 16 stay
 * distinct). Returns its index. */
unsigned stratus_bar_chart_add_segment (StratusBarChart *chart, const char *name,
                                        unsigned colour);

/* Adds a bar labelled `label` (copied), left to right; its segments start at 0. Returns its
 * index. */
unsigned stratus_bar_chart_add_bar (StratusBarChart *chart, const char *label);

/* Sets the value of segment `segment` in bar `bar`; a value that is negative or not
 * finite counts as 0. */
void stratus_bar_chart_set_value (StratusBarChart *chart, unsigned bar, unsigned segment,
                                  double value);

/* An error bar on bar `bar`'s total: total - half_width .. total + half_width (none when
 * half_width is 0 or not finite). */
void stratus_bar_chart_set_error (StratusBarChart *chart, unsigned bar, double half_width);

/* Hides the total written above bar `bar` (for a bar whose segments are unknown). */
void stratus_bar_chart_hide_total (StratusBarChart *chart, unsigned bar);

/* Appends a line of text (copied) under bar `bar`'s label. */
void stratus_bar_chart_add_note (StratusBarChart *chart, unsigned bar, const char *note);

/* Number of bars and of segments; bar `bar`'s total (the sum of its segments). */
unsigned stratus_bar_chart_bar_count (const StratusBarChart *chart);
unsigned stratus_bar_chart_segment_count (const StratusBarChart *chart);
double stratus_bar_chart_total (const StratusBarChart *chart, unsigned bar);

/* Draws the chart on `cr` over (0, 0) .. (width, height), background included. Leaves
 * the cairo state as it found it. */
void stratus_bar_chart_render (const StratusBarChart *chart, cairo_t *cr, double width,
                               double height);

/* Writes the chart to `path` as PNG (width x height pixels), SVG or PDF (width x height
 * points), under a temporary name then renamed; the bytes depend only on the chart and the
 * size. False with `error` set (G_FILE_ERROR) if it could not be written or the size is not
 * positive. */
bool stratus_bar_chart_write (const StratusBarChart *chart, const char *path,
                              StratusPlotFormat format, int width, int height,
                              GError **error);
