/* The text report (report.txt) and the time series (timeseries.csv) of a StratusReport. */
#include <string.h>

#include "report_private.h"
#include "stratus/units.h"

/* Replications taken in. */
static guint
replications (const StratusReport *report)
{
  return report->replications;
}

/* ---- text -------------------------------------------------------------------------- */

/* "12.3" or "12.3 ± 0.4" for a figure, with `decimals` decimals. */
void
report_append_figure (GString *out, const StratusReport *report, const char *path, int decimals,
                      double scale, const char *suffix)
{
  const Figure *f = report_find (report, path);
  if (f == NULL)
    {
      g_string_append (out, "-");
      return;
    }
  g_string_append_printf (out, "%.*f", decimals, f->summary.mean * scale);
  if (replications (report) > 1)
    g_string_append_printf (out, " \u00b1 %.*f", decimals,
                            stratus_summary_ci95 (&f->summary) * scale);
  g_string_append (out, suffix);
}

#define append_figure report_append_figure

/* "  LABEL N" for a count figure (one decimal with several replications). */
static void
append_count (GString *out, const StratusReport *report, const char *label, const char *path)
{
  g_string_append_printf (out, "  %s ", label);
  append_figure (out, report, path, replications (report) > 1 ? 1 : 0, 1, "");
}

/* "Network  bytes same_az 1.2 GB ...  drops none" */
static void
append_network_text (GString *out, const StratusReport *report)
{
  g_string_append (out, "\nNetwork      bytes");
  for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
    {
      const char *name = stratus_byte_class_name ((StratusByteClass) c);
      char *path = g_strdup_printf ("network.bytes.%s", name);
      double mean = 0;
      stratus_report_figure (report, path, &mean, NULL);
      char *size = g_format_size ((guint64) (mean + 0.5));
      g_string_append_printf (out, "  %s %s", name, size);
      g_free (size);
      g_free (path);
    }
  g_string_append (out, "\n  drops     ");
  bool any = false;
  for (int d = 1; d < STRATUS_N_DROP_REASONS; d++)
    {
      const char *name = stratus_drop_reason_name ((StratusDropReason) d);
      char *path = g_strdup_printf ("network.drops.%s", name);
      double mean = 0;
      stratus_report_figure (report, path, &mean, NULL);
      if (mean > 0)
        {
          g_string_append_printf (out, "  %s ", name);
          append_figure (out, report, path, replications (report) > 1 ? 1 : 0, 1, "");
          any = true;
        }
      g_free (path);
    }
  if (!any)
    g_string_append (out, "  none");
}

/* "errors 502 N 503 N 504 N" (500 too when any request got it), then each failure
 * outcome that happened, with its reason. */
static void
append_outcomes_text (GString *out, const StratusReport *report)
{
  g_string_append (out, "\n  errors     ");
  for (int k = STRATUS_KIND_OK + 1; k < STRATUS_N_OUTCOME_KINDS; k++)
    {
      char *path = g_strdup_printf ("requests.by_status.%s",
                                    stratus_outcome_kind_name ((StratusOutcomeKind) k));
      double mean = 0;
      stratus_report_figure (report, path, &mean, NULL);
      if (k == STRATUS_KIND_500 && mean == 0)
        {
          g_free (path);
          continue;
        }
      append_count (out, report, stratus_outcome_kind_name ((StratusOutcomeKind) k), path);
      g_free (path);
    }
  for (int o = STRATUS_OUTCOME_OK + 1; o < STRATUS_N_OUTCOMES; o++)
    {
      const StratusOutcomeInfo *info = stratus_outcome_info ((StratusOutcome) o);
      char *path = g_strdup_printf ("requests.by_outcome.%s", info->name);
      double mean = 0;
      stratus_report_figure (report, path, &mean, NULL);
      if (mean > 0)
        {
          char *label = g_strdup_printf ("%s (%s):", info->name, info->description);
          g_string_append (out, "\n    ");
          append_count (out, report, label, path);
          g_free (label);
        }
      g_free (path);
    }
}

/* True if some instance did not live through the whole run (launched late or terminated). */
static bool
lifetimes_vary (const StratusReport *report)
{
  for (guint i = 0; i < report->instances->len; i++)
    {
      const InstanceInfo *ir = &g_array_index (report->instances, InstanceInfo, i);
      char *launched = g_strdup_printf ("instances.%s.launched_s", ir->name);
      char *terminated = g_strdup_printf ("instances.%s.terminated_s", ir->name);
      double at = 0;
      bool varies = (stratus_report_figure (report, launched, &at, NULL) && at > 0)
                    || report_find (report, terminated) != NULL;
      g_free (launched);
      g_free (terminated);
      if (varies)
        return true;
    }
  return false;
}

/* The table of instances; with "launched" and "terminated" columns (seconds) when some
 * instance did not live through the whole run. */
static void
append_instances_text (GString *out, const StratusReport *report)
{
  guint reps = replications (report);
  bool lifetimes = lifetimes_vary (report);
  g_string_append_printf (out, "\n\n%-14s %-14s %7s %16s %10s %12s", "Instance", "AZ",
                          "workers", "utilisation", "queue", "served");
  if (lifetimes)
    g_string_append_printf (out, " %12s %12s", "launched", "terminated");
  g_string_append_c (out, '\n');
  for (guint i = 0; i < report->instances->len; i++)
    {
      const InstanceInfo *ir = &g_array_index (report->instances, InstanceInfo, i);
      char *base = g_strdup_printf ("instances.%s.", ir->name);
      char *pu = g_strconcat (base, "utilisation", NULL);
      char *pq = g_strconcat (base, "mean_queue", NULL);
      char *ps = g_strconcat (base, "served", NULL);
      GString *u = g_string_new (NULL), *q = g_string_new (NULL), *sv = g_string_new (NULL);
      append_figure (u, report, pu, 1, 100, "%");
      append_figure (q, report, pq, 2, 1, "");
      append_figure (sv, report, ps, reps > 1 ? 1 : 0, 1, "");
      g_string_append_printf (out, "%-14s %-14s %7d %16s %10s %12s", ir->name, ir->az,
                              ir->workers, u->str, q->str, sv->str);
      if (lifetimes)
        {
          char *pl = g_strconcat (base, "launched_s", NULL);
          char *pt = g_strconcat (base, "terminated_s", NULL);
          GString *l = g_string_new (NULL), *t = g_string_new (NULL);
          append_figure (l, report, pl, 1, 1, "s");
          if (report_find (report, pt) != NULL)
            append_figure (t, report, pt, 1, 1, "s");
          else
            g_string_append (t, "-");
          g_string_append_printf (out, " %12s %12s", l->str, t->str);
          g_string_free (l, TRUE);
          g_string_free (t, TRUE);
          g_free (pl);
          g_free (pt);
        }
      g_string_append_c (out, '\n');
      g_string_free (u, TRUE);
      g_string_free (q, TRUE);
      g_string_free (sv, TRUE);
      g_free (pu);
      g_free (pq);
      g_free (ps);
      g_free (base);
    }
}

/* "AZ  instances  instance-hours  served  utilisation", one row per group of `prefix`
 * (by_az, by_fleet); nothing with a single group. */
static void
append_group_text (GString *out, const StratusReport *report, const char *title,
                   const char *prefix, const GPtrArray *names)
{
  if (names->len < 2)
    return;
  guint reps = replications (report);
  g_string_append_printf (out, "\n%-14s %10s %15s %12s %16s\n", title, "instances",
                          "instance-hours", "served", "utilisation");
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      static const struct
      {
        const char *leaf;
        int decimals;
        double scale;
        const char *suffix;
      } columns[] = { { "instances", 0, 1, "" }, { "instance_hours", 2, 1, "" },
                      { "served", 0, 1, "" }, { "utilisation", 1, 100, "%" } };
      static const int widths[] = { 10, 15, 12, 16 };
      g_string_append_printf (out, "%-14s", name);
      for (size_t c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          char *path = g_strdup_printf ("%s.%s.%s", prefix, name, columns[c].leaf);
          GString *cell = g_string_new (NULL);
          int decimals = columns[c].decimals == 0 && reps > 1 ? 1 : columns[c].decimals;
          append_figure (cell, report, path, decimals, columns[c].scale, columns[c].suffix);
          g_string_append_printf (out, " %*s", widths[c], cell->str);
          g_string_free (cell, TRUE);
          g_free (path);
        }
      g_string_append_c (out, '\n');
    }
}

char *
stratus_report_text (const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  g_assert (report->replications > 0);
  GString *out = g_string_new (NULL);
  char *duration = stratus_format_duration (s->duration);
  char *warmup = stratus_format_duration (s->warmup);
  guint reps = replications (report);
  g_string_append_printf (out, "stratus report: %s\n", s->name);
  g_string_append_printf (out, "  seed %" G_GUINT64_FORMAT ", %u replication%s, %s simulated, "
                          "warm-up %s excluded%s\n\n",
                          report->seed, reps, reps == 1 ? "" : "s", duration, warmup,
                          reps > 1 ? "; figures are means \u00b1 95% CI" : "");
  g_free (duration);
  g_free (warmup);

  g_string_append (out, "Requests   ");
  append_count (out, report, "total", "requests.total");
  append_count (out, report, "ok", "requests.ok");
  append_count (out, report, "failed", "requests.failed");
  append_outcomes_text (out, report);
  g_string_append (out, "\n  in flight at end");
  append_count (out, report, "", "requests.in_flight_at_end");
  append_count (out, report, "  late answers", "requests.late_answers");
  if (stratus_report_figure (report, "requests.retries", NULL, NULL))
    {
      g_string_append (out, "\n  retries   ");
      append_count (out, report, "", "requests.retries");
      append_count (out, report, "  offered with retries", "requests.offered_with_retries");
    }
  g_string_append (out, "\nThroughput   ");
  append_figure (out, report, "throughput_rps", 1, 1, " req/s ok");
  g_string_append (out, "   error rate ");
  append_figure (out, report, "error_rate", 3, 100, "%");

  g_string_append (out, "\nLatency (ms, successful requests, at the client)\n ");
  static const struct
  {
    const char *label, *path;
  } lat[] = { { "mean", "latency_ms.mean" }, { "p50", "latency_ms.p50" },
              { "p90", "latency_ms.p90" },   { "p99", "latency_ms.p99" },
              { "p99.9", "latency_ms.p999" }, { "max", "latency_ms.max" } };
  for (size_t i = 0; i < G_N_ELEMENTS (lat); i++)
    {
      g_string_append_printf (out, "%s%s ", i == 0 ? " " : "  ", lat[i].label);
      append_figure (out, report, lat[i].path, 2, 1, "");
    }
  g_string_append (out, "\nQueueing     waited ");
  append_figure (out, report, "queueing.p_wait", 2, 100, "%");
  g_string_append (out, "   mean wait ");
  append_figure (out, report, "queueing.wait_ms_mean", 3, 1, " ms");
  g_string_append (out, "   mean in system ");
  append_figure (out, report, "queueing.mean_in_system", 2, 1, "");

  append_network_text (out, report);
  append_instances_text (out, report);
  append_group_text (out, report, "AZ", "by_az", report->az_names);
  append_group_text (out, report, "Fleet", "by_fleet", report->fleet_names);
  report_cost_text (out, report);
  report_groups_text (out, report);
  report_databases_text (out, report);
  report_availability_text (out, report);
  report_random_faults_text (out, report);
  report_slo_text (out, report);
  report_events_text (out, report);
  return g_string_free (out, FALSE);
}

/* ---- CSV --------------------------------------------------------------------------- */

void
report_csv_field (GString *out, const char *field)
{
  if (field == NULL)
    return;
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = field; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* `v` as "%.6g" (C locale). */
static void
append_double (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

char *
stratus_report_timeseries_csv (const StratusReport *report)
{
  GString *out = g_string_new ("replication,start_s,length_s,arrivals,ok,errors_502,errors_503,"
                               "errors_504,p50_ms,p99_ms,p999_ms,utilisation,in_system,queue");
  bool retries = stratus_report_figure (report, "requests.retries", NULL, NULL);
  /* Per-interval success only where availability is measured: faults or an SLO. */
  const StratusScenario *s = report->scenario;
  bool success = (s->faults != NULL && s->faults->len > 0) || s->slo.enabled;
  for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
    g_string_append_printf (out, ",bytes_%s", stratus_byte_class_name ((StratusByteClass) c));
  for (int d = 1; d < STRATUS_N_DROP_REASONS; d++)
    g_string_append_printf (out, ",drops_%s", stratus_drop_reason_name ((StratusDropReason) d));
  g_string_append (out, ",errors_reset");
  for (int o = STRATUS_OUTCOME_OK + 1; o < STRATUS_N_OUTCOMES; o++)
    g_string_append_printf (out, ",outcome_%s", stratus_outcome_info ((StratusOutcome) o)->name);
  if (retries)
    g_string_append (out, ",retries");
  if (success)
    g_string_append (out, ",success_ratio");
  g_string_append_c (out, '\n');
  size_t n = stratus_record_log_length (report->rows);
  for (size_t i = 0; i < n; i++)
    {
      TaggedRow tagged;
      stratus_record_log_get (report->rows, i, &tagged);
      const StratusIntervalRow *row = &tagged.row;
      g_string_append_printf (out, "%u,", tagged.replication);
      append_double (out, stratus_time_seconds (row->start));
      g_string_append_c (out, ',');
      append_double (out, stratus_time_seconds (row->length));
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                              ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT,
                              row->arrivals, row->outcomes[STRATUS_OUTCOME_OK],
                              stratus_outcome_kind_total (row->outcomes, STRATUS_KIND_502),
                              stratus_outcome_kind_total (row->outcomes, STRATUS_KIND_503),
                              stratus_outcome_kind_total (row->outcomes, STRATUS_KIND_504));
      const double values[] = { row->p50_ms, row->p99_ms, row->p999_ms, row->utilisation,
                                row->in_system, row->queue };
      for (size_t k = 0; k < G_N_ELEMENTS (values); k++)
        {
          g_string_append_c (out, ',');
          append_double (out, values[k]);
        }
      for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
        g_string_append_printf (out, ",%" G_GUINT64_FORMAT, row->bytes[c]);
      for (int d = 1; d < STRATUS_N_DROP_REASONS; d++)
        g_string_append_printf (out, ",%" G_GUINT64_FORMAT, row->drops[d]);
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT,
                              stratus_outcome_kind_total (row->outcomes, STRATUS_KIND_RESET));
      for (int o = STRATUS_OUTCOME_OK + 1; o < STRATUS_N_OUTCOMES; o++)
        g_string_append_printf (out, ",%" G_GUINT64_FORMAT, row->outcomes[o]);
      if (retries)
        g_string_append_printf (out, ",%" G_GUINT64_FORMAT, row->retries);
      if (success)
        {
          g_string_append_c (out, ',');
          report_csv_number (out, report_row_success_ratio (row));
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

