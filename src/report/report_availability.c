/* Availability, for a scenario with faults: the share of requests that succeeded, the
 * time the service was down (report intervals whose share of failed requests is above
 * report.downtime_threshold), and for each fault the time from its start until the
 * failures fell back under the threshold and the requests that failed meanwhile; figures
 * over replications like every other. */
#include "report_private.h"

/* True if the row counts as down: its failed share is above `threshold`, or requests were
 * sent and none answered. */
static bool
row_down (const StratusIntervalRow *row, double threshold)
{
  uint64_t failed = stratus_outcome_failed_total (row->outcomes);
  uint64_t answered = failed + row->outcomes[STRATUS_OUTCOME_OK];
  if (answered == 0)
    return row->arrivals > 0;
  return (double) failed / (double) answered > threshold;
}

/* Fault `f` over `rows` (n, in time order): the time from its start to the start of the
 * first row, at or after the one it starts in, that is up after at least one down one (0
 * when none is down; to the end of the run when none recovers), and the requests that
 * failed in the rows between. */
static void
fault_recovery (const StratusFaultConfig *f, const StratusIntervalRow *rows, size_t n,
                double threshold, StratusTime end, StratusTime *recover, uint64_t *failed)
{
  *recover = 0;
  *failed = 0;
  size_t i = 0;
  while (i < n && rows[i].start + rows[i].length <= f->at)
    i++;
  bool seen_down = false;
  for (; i < n; i++)
    {
      bool down = row_down (&rows[i], threshold);
      if (!down && seen_down)
        {
          *recover = rows[i].start - f->at;
          return;
        }
      if (!down)
        return; /* never went down */
      seen_down = true;
      *failed += stratus_outcome_failed_total (rows[i].outcomes);
    }
  if (seen_down)
    *recover = end - f->at;
}

void
report_availability_add (StratusReport *report, const StratusRunResult *r)
{
  const StratusScenario *s = report->scenario;
  if (s->faults == NULL || s->faults->len == 0)
    return;
  size_t n = stratus_run_result_interval_count (r);
  StratusIntervalRow *rows = g_new (StratusIntervalRow, n ? n : 1);
  StratusTime down = 0;
  uint64_t intervals_down = 0;
  for (size_t i = 0; i < n; i++)
    {
      rows[i] = stratus_run_result_interval (r, i);
      if (row_down (&rows[i], s->downtime_threshold))
        {
          down += rows[i].length;
          intervals_down++;
        }
    }
  report_addf (report, r->total ? (double) r->outcomes[STRATUS_OUTCOME_OK] / (double) r->total
                                : 1,
               false, "availability.success_ratio");
  report_addf (report, stratus_time_seconds (down), false, "availability.downtime_s");
  report_addf (report, (double) intervals_down, true, "availability.intervals_down");
  for (guint k = 0; k < s->faults->len; k++)
    {
      const StratusFaultConfig *f = g_ptr_array_index (s->faults, k);
      if (f->random || f->at < s->warmup)
        continue; /* no rows before the window; random faults: report_random_faults.c */
      StratusTime recover;
      uint64_t failed;
      fault_recovery (f, rows, n, s->downtime_threshold, s->duration, &recover, &failed);
      char *key = report_name_key (f->name);
      report_addf (report, stratus_time_seconds (recover), false, "faults.%s.time_to_recover_s",
                   key);
      report_addf (report, (double) failed, true, "faults.%s.requests_failed", key);
      g_free (key);
    }
  g_free (rows);
}

void
report_availability_text (GString *out, const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  if (s->faults == NULL || s->faults->len == 0)
    return;
  g_string_append (out, "\nAvailability (an interval is down above ");
  g_string_append_printf (out, "%g%% failed requests)\n  success ", s->downtime_threshold * 100);
  report_append_figure (out, report, "availability.success_ratio", 3, 100, "%");
  g_string_append (out, "   downtime ");
  report_append_figure (out, report, "availability.downtime_s", 0, 1, " s");
  g_string_append (out, " (");
  report_append_figure (out, report, "availability.intervals_down", 0, 1, " intervals)");
  for (guint k = 0; k < s->faults->len; k++)
    {
      const StratusFaultConfig *f = g_ptr_array_index (s->faults, k);
      if (f->random)
        continue; /* in "Random faults" */
      char *at = report_clock_text (f->at);
      g_string_append_printf (out, "\n  %-16s %-22s at %s", f->name,
                              stratus_fault_kind_name (f->kind), at);
      g_free (at);
      char *key = report_name_key (f->name);
      char *path = g_strdup_printf ("faults.%s.time_to_recover_s", key);
      if (report_find (report, path) != NULL)
        {
          g_string_append (out, "   recovered after ");
          report_append_figure (out, report, path, 0, 1, " s");
          g_free (path);
          path = g_strdup_printf ("faults.%s.requests_failed", key);
          g_string_append (out, "   requests failed ");
          report_append_figure (out, report, path, 0, 1, "");
        }
      else
        g_string_append (out, "   (during warm-up)");
      g_free (path);
      g_free (key);
    }
  g_string_append_c (out, '\n');
}
