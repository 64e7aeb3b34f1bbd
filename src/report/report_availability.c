/* Availability, for a scenario with faults: the share of requests that succeeded, the
 * time the service was down (report intervals whose share of failed requests is above
 * report.downtime_threshold), and for each fault the time from its start until the
 * failures fell back under the threshold and the requests that failed meanwhile, the time
 * until something noticed it (and what), the writes it cost and their data-loss window,
 * and with a resilience policy whether its time to recover and data-loss window met the
 * targets of its disruption type; figures over replications like every other. */
#include "report_private.h"

#include <math.h>

#include "stratus/units.h"

bool
report_row_down (const StratusIntervalRow *row, double threshold)
{
  uint64_t failed = stratus_outcome_failed_total (row->outcomes);
  uint64_t answered = failed + row->outcomes[STRATUS_OUTCOME_OK];
  if (answered == 0)
    return row->arrivals > 0;
  return (double) failed / (double) answered > threshold;
}

double
report_row_success_ratio (const StratusIntervalRow *row)
{
  uint64_t ok = row->outcomes[STRATUS_OUTCOME_OK];
  uint64_t answered = stratus_outcome_failed_total (row->outcomes) + ok;
  if (answered == 0)
    return row->arrivals > 0 ? 0 : NAN;
  return (double) ok / (double) answered;
}

/* Until when an outage may begin for it to be fault `f`'s: its end, or the next start of
 * another fault of `s` if that is sooner (NEVER: the end of the run). */
static StratusTime
outage_limit (const StratusScenario *s, const StratusFaultConfig *f)
{
  StratusTime limit = f->duration != STRATUS_TIME_NEVER ? stratus_time_add (f->at, f->duration)
                                                        : STRATUS_TIME_NEVER;
  for (guint k = 0; k < s->faults->len; k++)
    {
      const StratusFaultConfig *g = g_ptr_array_index (s->faults, k);
      if (g->at > f->at)
        limit = MIN (limit, g->at);
    }
  return limit;
}

/* Fault `f` of `s` over `rows` (n, in time order): its outage is the first run of down
 * rows, at or after the one it starts in, that begins before outage_limit (clients may
 * see the failures only at their timeouts); the time from its start to the start of the
 * first up row after that run (0 without an outage; to the end of the run when none
 * recovers), and the requests that failed in the run. */
static void
fault_recovery (const StratusScenario *s, const StratusFaultConfig *f,
                const StratusIntervalRow *rows, size_t n, StratusTime *recover,
                uint64_t *failed)
{
  *recover = 0;
  *failed = 0;
  StratusTime limit = outage_limit (s, f);
  size_t i = 0;
  while (i < n && rows[i].start + rows[i].length <= f->at)
    i++;
  while (i < n && rows[i].start < limit && !report_row_down (&rows[i], s->downtime_threshold))
    i++;
  if (i == n || rows[i].start >= limit)
    return; /* no outage */
  for (; i < n && report_row_down (&rows[i], s->downtime_threshold); i++)
    *failed += stratus_outcome_failed_total (rows[i].outcomes);
  *recover = (i < n ? rows[i].start : s->duration) - f->at;
}

/* The policy's target for fault `f`, or NULL when the scenario has no policy or it gives
 * none for the fault's disruption type. Borrowed from the scenario. */
static const StratusResilienceTarget *
policy_target (const StratusScenario *s, const StratusFaultConfig *f)
{
  const StratusResilienceTarget *t
    = &s->resilience_policy.targets[stratus_fault_disruption (f->kind)];
  return s->resilience_policy.enabled && t->set ? t : NULL;
}

/* Fault `f` (number `k`, key `key`) in replication `r`: when it was detected (and by
 * what: kept from the first replication that detected it), the writes it lost, and with a
 * policy whether its time to recover (`recover`) and data-loss window met the targets. */
static void
add_fault_effects (StratusReport *report, const StratusRunResult *r, guint k,
                   const StratusFaultConfig *f, const char *key, StratusTime recover)
{
  const StratusFaultResult *fr = r->faults != NULL && k < r->faults->len
                                   ? &g_array_index (r->faults, StratusFaultResult, k)
                                   : NULL;
  bool detected = fr != NULL && fr->detected != STRATUS_TIME_NEVER;
  report_addf (report, detected ? 1 : 0, true, "faults.%s.detected", key);
  if (detected)
    {
      report_addf (report, stratus_time_seconds (fr->detected - fr->started), false,
                   "faults.%s.time_to_detect_s", key);
      if (g_ptr_array_index (report->fault_detected_by, k) == NULL)
        g_ptr_array_index (report->fault_detected_by, k) = g_strdup (fr->detected_by);
    }
  double rpo_s = fr != NULL ? fr->data_loss_s : 0;
  report_addf (report, fr != NULL ? (double) fr->writes_lost : 0, true, "faults.%s.writes_lost",
               key);
  report_addf (report, rpo_s, false, "faults.%s.rpo_s", key);
  const StratusResilienceTarget *t = policy_target (report->scenario, f);
  if (t == NULL)
    return;
  report_addf (report, recover <= t->rto ? 1 : 0, true, "faults.%s.rto_met", key);
  report_addf (report, rpo_s <= stratus_time_seconds (t->rpo) ? 1 : 0, true,
               "faults.%s.rpo_met", key);
}

/* The report's detected_by slots, one per fault of the scenario (NULL until a replication
 * detects it), made on first use. */
static void
ensure_detected_by (StratusReport *report, guint n)
{
  if (report->fault_detected_by != NULL)
    return;
  report->fault_detected_by = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (report->fault_detected_by, n);
}

void
report_availability_add (StratusReport *report, const StratusRunResult *r)
{
  const StratusScenario *s = report->scenario;
  if (s->faults == NULL || s->faults->len == 0)
    return;
  ensure_detected_by (report, s->faults->len);
  size_t n = stratus_run_result_interval_count (r);
  StratusIntervalRow *rows = g_new (StratusIntervalRow, n ? n : 1);
  StratusTime down = 0;
  uint64_t intervals_down = 0;
  for (size_t i = 0; i < n; i++)
    {
      rows[i] = stratus_run_result_interval (r, i);
      if (report_row_down (&rows[i], s->downtime_threshold))
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
      fault_recovery (s, f, rows, n, &recover, &failed);
      char *key = report_name_key (f->name);
      report_addf (report, stratus_time_seconds (recover), false, "faults.%s.time_to_recover_s",
                   key);
      report_addf (report, (double) failed, true, "faults.%s.requests_failed", key);
      add_fault_effects (report, r, k, f, key, recover);
      g_free (key);
    }
  g_free (rows);
}

void
report_availability_clear (StratusReport *report)
{
  g_clear_pointer (&report->fault_detected_by, g_ptr_array_unref);
}

/* ---- JSON ------------------------------------------------------------------------------ */

void
report_availability_json (JsonObject *root, const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  const StratusResiliencePolicy *policy = &s->resilience_policy;
  if (policy->enabled)
    {
      JsonObject *o = report_object_member (root, "resilience_policy");
      for (int t = 0; t < STRATUS_N_DISRUPTIONS; t++)
        if (policy->targets[t].set)
          {
            JsonObject *target = report_object_member (o, stratus_disruption_name (t));
            report_set_double (target, "rto_s", stratus_time_seconds (policy->targets[t].rto));
            report_set_double (target, "rpo_s", stratus_time_seconds (policy->targets[t].rpo));
          }
    }
  if (s->faults == NULL || report->fault_detected_by == NULL)
    return;
  for (guint k = 0; k < s->faults->len; k++)
    {
      const StratusFaultConfig *f = g_ptr_array_index (s->faults, k);
      char *path = g_strdup_printf ("faults.%s.detected", f->name);
      bool reported = report_find (report, path) != NULL;
      g_free (path);
      if (!reported)
        continue;
      JsonObject *o = report_object_member (report_object_member (root, "faults"), f->name);
      const char *by = g_ptr_array_index (report->fault_detected_by, k);
      if (by != NULL)
        json_object_set_string_member (o, "detected_by", by);
      else
        json_object_set_null_member (o, "detected_by");
      json_object_set_string_member (o, "disruption",
                                     stratus_disruption_name (stratus_fault_disruption (f->kind)));
    }
}

/* ---- text ------------------------------------------------------------------------------ */

void
report_append_verdict (GString *out, const StratusReport *report, const char *met_path)
{
  double mean = 0;
  stratus_report_figure (report, met_path, &mean, NULL);
  unsigned reps = report->replications;
  unsigned met = (unsigned) lround (mean * reps);
  if (met == reps)
    g_string_append (out, "met");
  else if (met == 0)
    g_string_append (out, "not met");
  else
    g_string_append_printf (out, "met in %u of %u replications", met, reps);
}

/* "    detected after 12.0 s by the health checks of alb: web-3 unhealthy", or "not
 * detected"; with replications that did not all detect it, in how many. */
static void
append_detection (GString *out, const StratusReport *report, guint k, const char *key)
{
  char *path = g_strdup_printf ("faults.%s.time_to_detect_s", key);
  char *detected = g_strdup_printf ("faults.%s.detected", key);
  double share = 0;
  stratus_report_figure (report, detected, &share, NULL);
  if (report_find (report, path) == NULL)
    g_string_append (out, "\n    not detected: no health check, alarm or failure detection "
                          "noticed it");
  else
    {
      g_string_append (out, "\n    detected after ");
      report_append_figure (out, report, path, 1, 1, " s");
      unsigned reps = report->replications, in = (unsigned) lround (share * reps);
      if (in < reps)
        g_string_append_printf (out, " (in %u of %u replications)", in, reps);
      g_string_append_printf (out, " by %s",
                              (const char *) g_ptr_array_index (report->fault_detected_by, k));
    }
  g_free (detected);
  g_free (path);
}

/* "    writes lost 12   data-loss window 0.004 s". */
static void
append_data_loss (GString *out, const StratusReport *report, const char *key)
{
  char *writes = g_strdup_printf ("faults.%s.writes_lost", key);
  char *rpo = g_strdup_printf ("faults.%s.rpo_s", key);
  g_string_append (out, "\n    writes lost ");
  report_append_figure (out, report, writes, report->replications > 1 ? 1 : 0, 1, "");
  g_string_append (out, "   data-loss window ");
  report_append_figure (out, report, rpo, 3, 1, " s");
  g_free (writes);
  g_free (rpo);
}

/* "    az policy: RTO 120 s (target 10m) met   RPO 0.000 s (target 1m) met". */
static void
append_policy (GString *out, const StratusReport *report, const StratusFaultConfig *f,
               const char *key)
{
  const StratusResilienceTarget *t = policy_target (report->scenario, f);
  if (t == NULL)
    return;
  char *rto = stratus_format_duration (t->rto), *rpo = stratus_format_duration (t->rpo);
  char *paths[] = { g_strdup_printf ("faults.%s.time_to_recover_s", key),
                    g_strdup_printf ("faults.%s.rto_met", key),
                    g_strdup_printf ("faults.%s.rpo_s", key),
                    g_strdup_printf ("faults.%s.rpo_met", key) };
  g_string_append_printf (out, "\n    %s policy: RTO ",
                          stratus_disruption_name (stratus_fault_disruption (f->kind)));
  report_append_figure (out, report, paths[0], 0, 1, " s");
  g_string_append_printf (out, " (target %s) ", rto);
  report_append_verdict (out, report, paths[1]);
  g_string_append (out, "   RPO ");
  report_append_figure (out, report, paths[2], 3, 1, " s");
  g_string_append_printf (out, " (target %s) ", rpo);
  report_append_verdict (out, report, paths[3]);
  for (size_t i = 0; i < G_N_ELEMENTS (paths); i++)
    g_free (paths[i]);
  g_free (rto);
  g_free (rpo);
}

void
report_availability_text (GString *out, const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  if (s->faults == NULL || s->faults->len == 0)
    return;
  bool databases = s->databases != NULL && s->databases->len > 0;
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
          append_detection (out, report, k, key);
          if (databases)
            append_data_loss (out, report, key);
          append_policy (out, report, f, key);
        }
      else
        g_string_append (out, "   (during warm-up)");
      g_free (path);
      g_free (key);
    }
  g_string_append_c (out, '\n');
}
