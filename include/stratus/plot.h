/* Charts of a finished report (`stratus run --charts png|svg|pdf`): latency, throughput and
 * errors, utilisation and queues, network bytes, each over time, and per Auto Scaling group
 * its capacity and its utilisation, one file per chart. A
 * chart is built from the report alone, never from live model state, so the same report
 * always gives the same files.
 *
 * The charts are a table of builders (src/plot/charts.c): a later capability adds its
 * chart by adding one entry. A builder may decline (nothing to show for this scenario), in
 * which case no file is written. Generic drawing lives in stratus/chart.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum
{
  STRATUS_PLOT_PNG,
  STRATUS_PLOT_SVG,
  STRATUS_PLOT_PDF,
} StratusPlotFormat;

/* Default chart size: pixels for PNG, points for SVG and PDF. */
#define STRATUS_CHART_WIDTH 1200
#define STRATUS_CHART_HEIGHT 600

/* Parses "png", "svg" or "pdf" (case-insensitive) into *out; false for anything else
 * (then *out is untouched). */
bool stratus_plot_format_parse (const char *name, StratusPlotFormat *out);

/* The file extension of a format, without the dot: "png", "svg", "pdf" (static). */
const char *stratus_plot_format_extension (StratusPlotFormat format);

/* Forward declarations: the full types are in stratus/report.h and stratus/chart.h. */
typedef struct StratusReport StratusReport;
typedef struct StratusChart StratusChart;

/* Number of charts in the table, and the name of chart `index` ("latency": the file is
 * latency.EXT). The name is static. */
size_t stratus_charts_count (void);
const char *stratus_charts_name (size_t index);

/* Builds chart `name` from `report` (borrowed): a name of the table, for each Auto
 * Scaling group "capacity-GROUP" and "utilisation-GROUP", or for each database
 * "database-DB" (GROUP, DB: the name with any character but letters, digits, '.', '_' and
 * '-' as '_'). NULL if there is no such chart
 * or it has nothing to show for this report. Caller frees with stratus_chart_free. */
StratusChart *stratus_charts_build (const StratusReport *report, const char *name);

/* Adds to `chart` a marker for each scaling event (STRATUS_EVENT_SCALING and
 * STRATUS_EVENT_SCHEDULED whose desired capacity changed) of the report's first
 * replication, of group `group` only (NULL: every group): up for a scale-out (from < to),
 * down for a scale-in. Returns how many. Every time-series chart of a report has them; a
 * group's own charts only its own. */
size_t stratus_charts_add_scaling_markers (StratusChart *chart, const StratusReport *report,
                                           const char *group);

/* Writes every chart of `report` into `dir` (an existing folder) as NAME.EXT at the
 * default size (the table's, then each Auto Scaling group's, then each database's), each
 * under a temporary name then renamed. False with `error` set at the
 * first file that could not be written (files already written stay). */
bool stratus_charts_write (const StratusReport *report, const char *dir,
                           StratusPlotFormat format, GError **error);

/* Releases the caches that drawing text leaves behind (pango's default font map, cairo's
 * static data), for a clean exit under leak checkers. Call at most at the end of the
 * program, when no cairo object is alive; charts drawn afterwards rebuild the caches.
 * Fontconfig's own configuration stays (it is reachable, or third-party). */
void stratus_plot_shutdown (void);
