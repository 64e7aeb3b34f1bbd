/* The charts of a finished report. The report's rows are first gathered into a ChartData
 * (intervals by replication, instances by interval), then each builder of the table turns
 * it into a StratusChart. With several replications every series is, per interval, the
 * mean over replications with a 95% Student-t band.
 *
 * To add a chart: write `static StratusChart *build_NAME (const ChartData *d)` (NULL when
 * it has nothing to show) and add { "NAME", build_NAME } to chart_table. The charts of
 * each Auto Scaling group (charts_groups.c) and of each database (charts_databases.c)
 * follow the table's. */
#include "stratus/plot.h"

#include "charts_private.h"

#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "stratus/chart.h"
#include "stratus/report.h"
#include "stratus/stats.h"
#include "stratus/units.h"

/* ---- the data of a report ------------------------------------------------------------- */

/* Row of replication `rep`, interval `k`, or NULL if it has none. */
static const StratusIntervalRow *
row_at (const ChartData *d, unsigned rep, size_t k)
{
  return d->present[rep * d->n + k] ? &d->rows[rep * d->n + k] : NULL;
}

/* Public within src/plot (charts_private.h): gathers the rows of `report` into `d`. */
void
chart_data_init (ChartData *d, const StratusReport *report)
{
  memset (d, 0, sizeof *d);
  d->report = report;
  const StratusScenario *scenario = stratus_report_scenario (report);
  d->name = scenario != NULL && scenario->name != NULL ? scenario->name : "scenario";
  d->interval_text = stratus_format_duration (scenario != NULL ? scenario->report_interval
                                                               : STRATUS_MINUTE);

  /* Rows come replication after replication: a new replication number starts a group. */
  size_t count = stratus_report_row_count (report);
  GArray *group_len = g_array_new (FALSE, TRUE, sizeof (size_t));
  unsigned last = G_MAXUINT;
  for (size_t i = 0; i < count; i++)
    {
      unsigned rep;
      StratusIntervalRow row;
      stratus_report_row (report, i, &rep, &row);
      if (i == 0 || rep != last)
        g_array_append_val (group_len, (size_t){ 0 });
      last = rep;
      size_t *len = &g_array_index (group_len, size_t, group_len->len - 1);
      (*len)++;
      d->n = MAX (d->n, *len);
    }
  d->reps = group_len->len;
  d->rows = g_new0 (StratusIntervalRow, (size_t) d->reps * d->n);
  d->present = g_new0 (bool, (size_t) d->reps * d->n);
  d->x = g_new0 (double, d->n);
  bool *x_set = g_new0 (bool, d->n);
  double ok_sum = 0;
  unsigned group = 0;
  size_t k = 0;
  d->x_min = INFINITY;
  d->x_max = -INFINITY;
  for (size_t i = 0; i < count; i++)
    {
      unsigned rep;
      StratusIntervalRow row;
      stratus_report_row (report, i, &rep, &row);
      if (i > 0 && rep != last)
        group++, k = 0;
      last = rep;
      d->rows[group * d->n + k] = row;
      d->present[group * d->n + k] = true;
      double start = stratus_time_seconds (row.start), length = stratus_time_seconds (row.length);
      if (!x_set[k])
        {
          d->x[k] = start + length / 2;
          x_set[k] = true;
        }
      d->x_min = MIN (d->x_min, start);
      d->x_max = MAX (d->x_max, start + length);
      ok_sum += (double) row.outcomes[STRATUS_OUTCOME_OK];
      k++;
    }
  g_free (x_set);
  d->mean_ok = count > 0 ? ok_sum / (double) count : 0;
  g_array_unref (group_len);

  /* Instance rows: per replication, per interval in order, one per instance alive in it;
   * each goes to the interval that starts when it does. */
  d->n_instances = stratus_report_instance_count (report);
  size_t cells = (size_t) d->reps * d->n * d->n_instances;
  d->util = g_new (double, cells);
  d->queue = g_new (double, cells);
  for (size_t c = 0; c < cells; c++)
    d->util[c] = d->queue[c] = NAN;
  size_t icount = stratus_report_instance_row_count (report);
  group = 0;
  size_t interval = 0;
  for (size_t i = 0; i < icount && d->n_instances > 0; i++)
    {
      unsigned rep;
      StratusInstanceRow row;
      stratus_report_instance_row (report, i, &rep, &row);
      if (i > 0 && rep != last)
        group++, interval = 0;
      last = rep;
      while (group < d->reps && interval < d->n
             && (!d->present[group * d->n + interval]
                 || d->rows[group * d->n + interval].start < row.start))
        interval++;
      if (group >= d->reps || interval >= d->n || row.instance >= d->n_instances)
        continue;
      size_t c = (group * d->n + interval) * d->n_instances + row.instance;
      d->util[c] = row.utilisation * 100;
      d->queue[c] = row.queue;
    }
}

/* Public within src/plot (charts_private.h): frees what chart_data_init allocated. */
void
chart_data_clear (ChartData *d)
{
  g_free (d->rows);
  g_free (d->present);
  g_free (d->x);
  g_free (d->util);
  g_free (d->queue);
  g_free (d->interval_text);
}

/* A value of a row: what a series plots (NaN: no value in that interval). */
typedef double (*RowValue) (const StratusIntervalRow *row, int arg);

/* Length of a row in seconds. */
static double
row_seconds (const StratusIntervalRow *row)
{
  return stratus_time_seconds (row->length);
}

/* p50 (arg 0), p99 (1) or p99.9 (2) latency in ms; NaN without successful responses. */
static double
value_latency (const StratusIntervalRow *row, int arg)
{
  if (row->outcomes[STRATUS_OUTCOME_OK] == 0)
    return NAN;
  return arg == 0 ? row->p50_ms : arg == 1 ? row->p99_ms : row->p999_ms;
}

/* Requests sent per second. */
static double
value_offered (const StratusIntervalRow *row, int arg)
{
  (void) arg;
  return (double) row->arrivals / row_seconds (row);
}

/* Successful responses per second. */
static double
value_ok (const StratusIntervalRow *row, int arg)
{
  (void) arg;
  return (double) row->outcomes[STRATUS_OUTCOME_OK] / row_seconds (row);
}

/* Failures per second of outcome kind `arg` (a StratusOutcomeKind other than ok). */
static double
value_errors (const StratusIntervalRow *row, int arg)
{
  return (double) stratus_outcome_kind_total (row->outcomes, (StratusOutcomeKind) arg)
         / row_seconds (row);
}

/* Messages dropped per second for drop reason `arg`. */
static double
value_drops (const StratusIntervalRow *row, int arg)
{
  return (double) row->drops[arg] / row_seconds (row);
}

/* Bytes per second of path class `arg`. */
static double
value_bytes (const StratusIntervalRow *row, int arg)
{
  return (double) row->bytes[arg] / row_seconds (row);
}

/* Mean requests waiting in instance queues (all instances together). */
static double
value_queue (const StratusIntervalRow *row, int arg)
{
  (void) arg;
  return row->queue;
}

/* Whether `value` is non-zero in some interval of some replication. */
static bool
nonzero_somewhere (const ChartData *d, RowValue value, int arg)
{
  for (unsigned r = 0; r < d->reps; r++)
    for (size_t k = 0; k < d->n; k++)
      {
        const StratusIntervalRow *row = row_at (d, r, k);
        if (row != NULL && row->length > 0)
          {
            double v = value (row, arg);
            if (isfinite (v) && v != 0)
              return true;
          }
      }
  return false;
}

/* Public within src/plot (charts_private.h): adds to series `series` the point at `x`:
 * the mean of the values in `summary` (a gap when it has none), and with `reps` > 1
 * replications its 95% band, cut at 0 (every quantity charted is non-negative, so the
 * axis need not go below 0 for the band's sake). */
void
charts_add_summary_point_at (StratusChart *chart, unsigned series, unsigned reps, double x,
                             const StratusSummary *summary)
{
  double mean = summary->n > 0 ? summary->mean : NAN;
  stratus_chart_add_point (chart, series, x, mean);
  if (reps > 1)
    {
      double half = summary->n > 1 ? stratus_summary_ci95 (summary) : NAN;
      stratus_chart_add_band (chart, series, x, MAX (0, mean - half), mean + half);
    }
}

/* Adds to series `series` the point of interval k (see charts_add_summary_point_at). */
static void
add_summary_point (StratusChart *chart, unsigned series, const ChartData *d, size_t k,
                   const StratusSummary *summary)
{
  charts_add_summary_point_at (chart, series, d->reps, d->x[k], summary);
}

/* Adds a series of `value` over the intervals (mean over replications, with its band). */
static unsigned
add_row_series (StratusChart *chart, const ChartData *d, const char *name, unsigned colour,
                StratusAxis axis, RowValue value, int arg)
{
  unsigned series = stratus_chart_add_series (chart, name, colour, axis, STRATUS_SERIES_LINE);
  for (size_t k = 0; k < d->n; k++)
    {
      StratusSummary summary = { 0 };
      for (unsigned r = 0; r < d->reps; r++)
        {
          const StratusIntervalRow *row = row_at (d, r, k);
          if (row == NULL || row->length <= 0)
            continue;
          double v = value (row, arg);
          if (isfinite (v))
            stratus_summary_add (&summary, v);
        }
      add_summary_point (chart, series, d, k, &summary);
    }
  return series;
}

/* Public within src/plot (charts_private.h): a new chart titled "NAME: what" over the
 * run's intervals, with the usual subtitle. */
StratusChart *
charts_new_chart (const ChartData *d, const char *what, const char *detail)
{
  char *title = g_strdup_printf ("%s: %s", d->name, what);
  StratusChart *chart = stratus_chart_new (title);
  g_free (title);
  GString *sub = g_string_new (detail);
  if (sub->len > 0)
    g_string_append (sub, " \xc2\xb7 ");
  g_string_append_printf (sub, "per %s interval", d->interval_text);
  if (d->reps > 1)
    g_string_append_printf (sub, " \xc2\xb7 mean of %u replications with 95%% confidence band",
                            d->reps);
  stratus_chart_set_subtitle (chart, sub->str);
  g_string_free (sub, TRUE);
  if (d->x_max > d->x_min)
    stratus_chart_set_x_range (chart, d->x_min, d->x_max);
  stratus_chart_set_x_label (chart, "Time since the start of the run");
  return chart;
}

/* ---- the charts ---------------------------------------------------------------------- */

/* Latency percentiles (ms) and the offered load (req/s) on the right axis. */
static StratusChart *
build_latency (const ChartData *d)
{
  bool p999 = d->mean_ok >= 1000;
  StratusChart *chart = charts_new_chart (d, "latency",
                                   p999 ? "successful responses as clients see them"
                                        : "successful responses as clients see them "
                                          "(p99.9 needs 1,000 per interval)");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Latency", STRATUS_UNIT_MS, NULL);
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_RIGHT, "Offered load", STRATUS_UNIT_NUMBER,
                            " req/s");
  add_row_series (chart, d, "p50", STRATUS_COLOUR_BLUE, STRATUS_AXIS_LEFT, value_latency, 0);
  add_row_series (chart, d, "p99", STRATUS_COLOUR_ORANGE, STRATUS_AXIS_LEFT, value_latency, 1);
  if (p999)
    add_row_series (chart, d, "p99.9", STRATUS_COLOUR_VERMILLION, STRATUS_AXIS_LEFT,
                    value_latency, 2);
  unsigned load = add_row_series (chart, d, "offered load (right axis)", STRATUS_COLOUR_BLACK,
                                  STRATUS_AXIS_RIGHT, value_offered, 0);
  stratus_chart_set_dashed (chart, load, true);
  return chart;
}

/* Readable names of the drop reasons, for legends. */
static const char *const drop_labels[] = {
  [STRATUS_DROP_NONE] = "none",
  [STRATUS_DROP_NO_ROUTE] = "no route",
  [STRATUS_DROP_BLACKHOLE] = "blackhole route",
  [STRATUS_DROP_NETWORK_ACL] = "network ACL",
  [STRATUS_DROP_SECURITY_GROUP] = "security group",
  [STRATUS_DROP_NO_PUBLIC_IP] = "no public IP",
  [STRATUS_DROP_GATEWAY_DOWN] = "NAT gateway down",
  [STRATUS_DROP_AZ_DOWN] = "AZ down",
  [STRATUS_DROP_NAT_PORT_EXHAUSTION] = "NAT port exhaustion",
  [STRATUS_DROP_NAT_BANDWIDTH] = "NAT bandwidth",
  [STRATUS_DROP_NAT_IDLE_TIMEOUT] = "NAT idle timeout",
  [STRATUS_DROP_DISRUPTED] = "connectivity disrupted",
};
G_STATIC_ASSERT (G_N_ELEMENTS (drop_labels) == STRATUS_N_DROP_REASONS);

/* Successful responses per second, and errors and drops per second on the right axis. */
static StratusChart *
build_throughput (const ChartData *d)
{
  /* Per failure kind (StratusOutcomeKind, after ok). */
  static const char *const statuses[STRATUS_N_OUTCOME_KINDS] = {
    NULL, "500 Internal Server Error", "502 Bad Gateway", "503 Service Unavailable",
    "504 Gateway Timeout", "connection reset"
  };
  static const unsigned status_colours[STRATUS_N_OUTCOME_KINDS] = {
    0, STRATUS_COLOUR_BLUE, STRATUS_COLOUR_PURPLE, STRATUS_COLOUR_VERMILLION,
    STRATUS_COLOUR_ORANGE, STRATUS_COLOUR_BLACK
  };
  static const unsigned drop_colours[] = { STRATUS_COLOUR_SKY, STRATUS_COLOUR_BLUE,
                                           STRATUS_COLOUR_BLACK, STRATUS_COLOUR_YELLOW };
  bool any_error = false;
  for (int i = STRATUS_KIND_OK + 1; i < STRATUS_N_OUTCOME_KINDS && !any_error; i++)
    any_error = nonzero_somewhere (d, value_errors, i);
  for (int r = 1; r < STRATUS_N_DROP_REASONS && !any_error; r++)
    any_error = nonzero_somewhere (d, value_drops, r);

  StratusChart *chart = charts_new_chart (d, "throughput and errors",
                                   any_error ? "" : "no errors or drops");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Successful responses",
                            STRATUS_UNIT_NUMBER, " req/s");
  add_row_series (chart, d, "ok (2xx)", STRATUS_COLOUR_GREEN, STRATUS_AXIS_LEFT, value_ok, 0);
  if (!any_error)
    return chart;
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_RIGHT, "Errors and drops", STRATUS_UNIT_NUMBER,
                            "/s");
  for (int i = STRATUS_KIND_OK + 1; i < STRATUS_N_OUTCOME_KINDS; i++)
    if (nonzero_somewhere (d, value_errors, i))
      add_row_series (chart, d, statuses[i], status_colours[i], STRATUS_AXIS_RIGHT, value_errors,
                      i);
  unsigned used = 0;
  for (int r = 1; r < STRATUS_N_DROP_REASONS; r++)
    if (nonzero_somewhere (d, value_drops, r))
      {
        char *name = g_strdup_printf ("dropped: %s", drop_labels[r]);
        /* Drops draw dashed, to tell them from the statuses. */
        unsigned colour = drop_colours[used % G_N_ELEMENTS (drop_colours)];
        unsigned s = add_row_series (chart, d, name, colour, STRATUS_AXIS_RIGHT, value_drops, r);
        stratus_chart_set_dashed (chart, s, true);
        used++;
        g_free (name);
      }
  return chart;
}

/* Utilisation per instance (or per AZ with more than 8 instances), and the queue. */
static StratusChart *
build_utilisation (const ChartData *d)
{
  enum { MAX_LINES = 8 };
  bool by_az = d->n_instances > MAX_LINES;
  StratusChart *chart = charts_new_chart (d, "utilisation and queue",
                                   by_az ? "busy workers per AZ (mean over its instances)"
                                         : "busy workers per instance");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Utilisation", STRATUS_UNIT_PERCENT, NULL);
  stratus_chart_set_y_range (chart, STRATUS_AXIS_LEFT, 0, 100);
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_RIGHT, "Queue length (requests)",
                            STRATUS_UNIT_NUMBER, NULL);

  /* Groups: one per instance, or one per AZ in order of first appearance. */
  unsigned n_groups = 0;
  unsigned *group_of = g_new0 (unsigned, MAX (d->n_instances, 1));
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GArray *members = g_array_new (FALSE, TRUE, sizeof (unsigned));
  for (unsigned i = 0; i < d->n_instances; i++)
    {
      const char *label = by_az ? stratus_report_instance_az (d->report, i)
                                : stratus_report_instance_name (d->report, i);
      label = label != NULL ? label : "?";
      unsigned g = 0;
      while (by_az && g < n_groups && strcmp (g_ptr_array_index (names, g), label) != 0)
        g++;
      if (!by_az || g == n_groups)
        {
          g = n_groups++;
          g_ptr_array_add (names, g_strdup (label));
          g_array_append_val (members, (unsigned){ 0 });
        }
      group_of[i] = g;
      g_array_index (members, unsigned, g)++;
    }
  if (by_az)
    for (unsigned g = 0; g < n_groups; g++)
      {
        unsigned m = g_array_index (members, unsigned, g);
        char *name = g_strdup_printf ("%s (%u instance%s)", (char *) g_ptr_array_index (names, g),
                                      m, m == 1 ? "" : "s");
        g_free (g_ptr_array_index (names, g));
        g_ptr_array_index (names, g) = name;
      }
  g_array_unref (members);

  double *sum = g_new (double, MAX (n_groups, 1));
  unsigned *count = g_new (unsigned, MAX (n_groups, 1));
  StratusSummary *summaries = g_new (StratusSummary, (size_t) MAX (n_groups, 1) * MAX (d->n, 1));
  memset (summaries, 0, sizeof (StratusSummary) * MAX (n_groups, 1) * MAX (d->n, 1));
  for (unsigned r = 0; r < d->reps; r++)
    for (size_t k = 0; k < d->n; k++)
      {
        memset (sum, 0, sizeof (double) * MAX (n_groups, 1));
        memset (count, 0, sizeof (unsigned) * MAX (n_groups, 1));
        for (unsigned i = 0; i < d->n_instances; i++)
          {
            double u = d->util[(r * d->n + k) * d->n_instances + i];
            if (isfinite (u))
              sum[group_of[i]] += u, count[group_of[i]]++;
          }
        for (unsigned g = 0; g < n_groups; g++)
          if (count[g] > 0)
            stratus_summary_add (&summaries[g * d->n + k], sum[g] / count[g]);
      }
  for (unsigned g = 0; g < n_groups; g++)
    {
      unsigned series = stratus_chart_add_series (chart, g_ptr_array_index (names, g), g,
                                                  STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
      for (size_t k = 0; k < d->n; k++)
        add_summary_point (chart, series, d, k, &summaries[g * d->n + k]);
    }
  unsigned queue = add_row_series (chart, d, "queue, all instances (right axis)",
                                   STRATUS_COLOUR_BLACK, STRATUS_AXIS_RIGHT, value_queue, 0);
  stratus_chart_set_dashed (chart, queue, true);

  g_free (summaries);
  g_free (sum);
  g_free (count);
  g_free (group_of);
  g_ptr_array_unref (names);
  return chart;
}

/* Readable names of the byte classes, for legends. */
static const char *const byte_labels[] = {
  [STRATUS_BYTES_SAME_AZ] = "within an AZ",
  [STRATUS_BYTES_CROSS_AZ] = "across AZs",
  [STRATUS_BYTES_NAT] = "through NAT gateways",
  [STRATUS_BYTES_INTERNET_IN] = "from the internet",
  [STRATUS_BYTES_INTERNET_OUT] = "to the internet",
};
G_STATIC_ASSERT (G_N_ELEMENTS (byte_labels) == STRATUS_N_BYTE_CLASSES);

/* Bytes per second carried per path class (those that carried any). */
static StratusChart *
build_network (const ChartData *d)
{
  static const unsigned colours[] = { STRATUS_COLOUR_BLUE, STRATUS_COLOUR_ORANGE,
                                      STRATUS_COLOUR_PURPLE, STRATUS_COLOUR_GREEN,
                                      STRATUS_COLOUR_VERMILLION };
  G_STATIC_ASSERT (G_N_ELEMENTS (colours) == STRATUS_N_BYTE_CLASSES);
  StratusChart *chart = charts_new_chart (d, "network", "bytes carried per path class, summed over "
                                                 "resources, both directions");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Traffic", STRATUS_UNIT_BYTES, "/s");
  for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
    if (nonzero_somewhere (d, value_bytes, c))
      add_row_series (chart, d, byte_labels[c], colours[c], STRATUS_AXIS_LEFT, value_bytes, c);
  return chart;
}

typedef StratusChart *(*ChartBuilder) (const ChartData *d);

/* Every chart, in the order they are written. */
static const struct
{
  const char *name; /* file name without extension */
  ChartBuilder build;
} chart_table[] = {
  { "latency", build_latency },
  { "throughput", build_throughput },
  { "utilisation", build_utilisation },
  { "network", build_network },
};

size_t
stratus_charts_count (void)
{
  return G_N_ELEMENTS (chart_table);
}

const char *
stratus_charts_name (size_t index)
{
  return index < G_N_ELEMENTS (chart_table) ? chart_table[index].name : NULL;
}

/* The file name of chart `kind` ("capacity", "database") of a group or database called
 * `what`: KIND-WHAT, with every character of WHAT but letters, digits, '.', '_' and '-'
 * as '_'. Caller frees. */
static char *
named_chart_file (const char *kind, const char *what)
{
  char *name = g_strdup_printf ("%s-%s", kind, what != NULL ? what : "");
  for (char *c = name + strlen (kind) + 1; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '_' && *c != '-')
      *c = '_';
  return name;
}

/* The name of group `group`'s chart `kind` ("capacity", "utilisation"): KIND-GROUP (see
 * named_chart_file). Caller frees. */
static char *
group_chart_name (const StratusReport *report, const char *kind, unsigned group)
{
  return named_chart_file (kind, stratus_report_group_name (report, group));
}

/* The name of database `database`'s chart: database-NAME (see named_chart_file). Caller
 * frees. */
static char *
database_chart_name (const StratusReport *report, unsigned database)
{
  return named_chart_file ("database", stratus_report_database_name (report, database));
}

/* The charts of each Auto Scaling group, after those of chart_table. */
static const struct
{
  const char *kind;
  StratusChart *(*build) (const ChartData *d, unsigned group);
} group_charts[] = {
  { "capacity", charts_build_capacity },
  { "utilisation", charts_build_group_utilisation },
};

/* Shades the times random fault `f` had a part down in the first replication (from its
 * timeline: each part's failure and repair). */
static void
add_random_fault_spans (StratusChart *chart, const StratusReport *report,
                        const StratusFaultConfig *f)
{
  int down = 0;
  double from = 0;
  for (size_t i = 0; i < stratus_report_event_count (report); i++)
    {
      const StratusTimelineEvent *e = stratus_report_event (report, i);
      if (g_strcmp0 (e->subject, f->name) != 0)
        continue;
      if (e->kind == STRATUS_EVENT_FAULT_START && down++ == 0)
        from = stratus_time_seconds (e->at);
      else if (e->kind == STRATUS_EVENT_FAULT_END && down > 0 && --down == 0)
        stratus_chart_add_span (chart, from, stratus_time_seconds (e->at));
    }
  if (down > 0)
    stratus_chart_add_span (chart, from, INFINITY);
}

/* Shades the time each of the scenario's lasting faults is on (a permanent one to the end
 * of the chart; instantaneous ones, a termination or a failover, shade nothing). */
static void
add_fault_spans (StratusChart *chart, const StratusReport *report)
{
  const StratusScenario *s = stratus_report_scenario (report);
  for (guint i = 0; s->faults != NULL && i < s->faults->len; i++)
    {
      const StratusFaultConfig *f = g_ptr_array_index (s->faults, i);
      if (f->random)
        {
          add_random_fault_spans (chart, report, f);
          continue;
        }
      if (f->kind == STRATUS_FAULT_TERMINATE_INSTANCES || f->kind == STRATUS_FAULT_DB_FAILOVER)
        continue;
      double from = stratus_time_seconds (f->at);
      stratus_chart_add_span (chart, from,
                              f->duration == STRATUS_TIME_NEVER
                                ? INFINITY
                                : from + stratus_time_seconds (f->duration));
    }
}

/* Chart `name` of `d` (a chart_table name, a group chart's or a database chart's), with
 * the scaling markers (a database's chart: its own database's markers instead) and the
 * faults' spans; NULL if there is no such chart or it has nothing to show. */
static StratusChart *
build_named (const ChartData *d, const char *name)
{
  unsigned databases = stratus_report_database_count (d->report);
  for (unsigned i = 0; i < databases; i++)
    {
      char *file = database_chart_name (d->report, i);
      bool match = strcmp (name, file) == 0;
      g_free (file);
      if (match)
        {
          StratusChart *chart = charts_build_database (d, i);
          if (chart != NULL)
            {
              charts_add_database_markers (chart, d->report, i);
              add_fault_spans (chart, d->report);
            }
          return chart;
        }
    }
  StratusChart *chart = NULL;
  for (size_t i = 0; i < G_N_ELEMENTS (chart_table) && chart == NULL; i++)
    if (strcmp (name, chart_table[i].name) == 0)
      chart = chart_table[i].build (d);
  const char *group = NULL; /* a group's own chart shows its own scaling only */
  unsigned groups = stratus_report_group_count (d->report);
  for (unsigned g = 0; g < groups && chart == NULL; g++)
    for (size_t k = 0; k < G_N_ELEMENTS (group_charts) && chart == NULL; k++)
      {
        char *file = group_chart_name (d->report, group_charts[k].kind, g);
        if (strcmp (name, file) == 0)
          {
            chart = group_charts[k].build (d, g);
            group = stratus_report_group_name (d->report, g);
          }
        g_free (file);
      }
  if (chart != NULL)
    {
      stratus_charts_add_scaling_markers (chart, d->report, group);
      add_fault_spans (chart, d->report);
    }
  return chart;
}

StratusChart *
stratus_charts_build (const StratusReport *report, const char *name)
{
  if (name == NULL)
    return NULL;
  ChartData d;
  chart_data_init (&d, report);
  StratusChart *chart = build_named (&d, name);
  chart_data_clear (&d);
  return chart;
}

/* Writes chart `name` of `d` into DIR/NAME.EXT if it has something to show. */
static bool
write_named (const ChartData *d, const char *name, const char *dir, StratusPlotFormat format,
             GError **error)
{
  StratusChart *chart = build_named (d, name);
  if (chart == NULL)
    return true;
  char *file = g_strdup_printf ("%s.%s", name, stratus_plot_format_extension (format));
  char *path = g_build_filename (dir, file, NULL);
  bool ok = stratus_chart_write (chart, path, format, STRATUS_CHART_WIDTH, STRATUS_CHART_HEIGHT,
                                 error);
  g_free (path);
  g_free (file);
  stratus_chart_free (chart);
  return ok;
}

bool
stratus_charts_write (const StratusReport *report, const char *dir, StratusPlotFormat format,
                      GError **error)
{
  ChartData d;
  chart_data_init (&d, report);
  bool ok = true;
  for (size_t i = 0; i < G_N_ELEMENTS (chart_table) && ok; i++)
    ok = write_named (&d, chart_table[i].name, dir, format, error);
  unsigned groups = stratus_report_group_count (report);
  for (unsigned g = 0; g < groups && ok; g++)
    for (size_t k = 0; k < G_N_ELEMENTS (group_charts) && ok; k++)
      {
        char *name = group_chart_name (report, group_charts[k].kind, g);
        ok = write_named (&d, name, dir, format, error);
        g_free (name);
      }
  unsigned databases = stratus_report_database_count (report);
  for (unsigned i = 0; i < databases && ok; i++)
    {
      char *name = database_chart_name (report, i);
      ok = write_named (&d, name, dir, format, error);
      g_free (name);
    }
  chart_data_clear (&d);
  return ok;
}

void
stratus_plot_shutdown (void)
{
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
}
