/* Service level objectives (the scenario's `slo` section): each replication's measure
 * against its target, and the error budget it used. Availability: the share of requests
 * that succeeded against the target; the budget allows (1 - target) x requests failures,
 * and used = failed / allowed (above 100% when exceeded). Latency: the percentile of the
 * successful requests' latency against its target; the budget allows (100 - percentile)%
 * of them to be slower than the target, and used = slower share / allowed share. */
#include "report_private.h"

#include "stratus/units.h"

/* slo.availability.*: target, measured, met, requests, failed, allowed_failures,
 * budget_used. */
static void
add_availability (StratusReport *report, const StratusRunResult *r, double target)
{
  uint64_t ok = r->outcomes[STRATUS_OUTCOME_OK], failed = r->total - ok;
  double measured = r->total ? (double) ok / (double) r->total : 1;
  double allowed = (1 - target) * (double) r->total;
  report_addf (report, target, false, "slo.availability.target");
  report_addf (report, measured, false, "slo.availability.measured");
  report_addf (report, measured >= target ? 1 : 0, true, "slo.availability.met");
  report_addf (report, (double) r->total, true, "slo.availability.requests");
  report_addf (report, (double) failed, true, "slo.availability.failed");
  report_addf (report, allowed, false, "slo.availability.allowed_failures");
  report_addf (report, allowed > 0 ? (double) failed / allowed : 0, false,
               "slo.availability.budget_used");
}

/* slo.latency.*: percentile, target_ms, then (when some request succeeded) measured_ms,
 * met, requests, slower, slow_share, allowed_share, budget_used. */
static void
add_latency (StratusReport *report, const StratusRunResult *r, const StratusSloConfig *slo)
{
  double target_ns = (double) slo->latency_target;
  double allowed_share = (100 - slo->percentile) / 100;
  report_addf (report, slo->percentile, false, "slo.latency.percentile");
  report_addf (report, target_ns / 1e6, false, "slo.latency.target_ms");
  uint64_t n = stratus_histogram_count (r->latency);
  if (n == 0)
    return; /* nothing succeeded: no latency to measure */
  double measured = stratus_histogram_percentile (r->latency, slo->percentile);
  uint64_t slower = stratus_histogram_count_above (r->latency, target_ns);
  double share = (double) slower / (double) n;
  report_addf (report, measured / 1e6, false, "slo.latency.measured_ms");
  report_addf (report, measured <= target_ns ? 1 : 0, true, "slo.latency.met");
  report_addf (report, (double) n, true, "slo.latency.requests");
  report_addf (report, (double) slower, true, "slo.latency.slower");
  report_addf (report, share, false, "slo.latency.slow_share");
  report_addf (report, allowed_share, false, "slo.latency.allowed_share");
  report_addf (report, share / allowed_share, false, "slo.latency.budget_used");
}

void
report_slo_add (StratusReport *report, const StratusRunResult *r)
{
  const StratusSloConfig *slo = &report->scenario->slo;
  if (!slo->enabled)
    return;
  if (slo->availability)
    add_availability (report, r, slo->availability_target);
  if (slo->latency)
    add_latency (report, r, slo);
}

/* "  availability  99.063% (target 99.9%) not met   error budget used 936.7%: 30053
 * failed, 3208.2 allowed". */
static void
append_availability (GString *out, const StratusReport *report, const StratusSloConfig *slo)
{
  int count_decimals = report->replications > 1 ? 1 : 0;
  g_string_append (out, "\n  availability  ");
  report_append_figure (out, report, "slo.availability.measured", 3, 100, "%");
  g_string_append_printf (out, " (target %g%%) ", slo->availability_target * 100);
  report_append_verdict (out, report, "slo.availability.met");
  g_string_append (out, "   error budget used ");
  report_append_figure (out, report, "slo.availability.budget_used", 1, 100, "%: ");
  report_append_figure (out, report, "slo.availability.failed", count_decimals, 1,
                        " failed, ");
  report_append_figure (out, report, "slo.availability.allowed_failures", 1, 1, " allowed");
}

/* "  latency       p99 139.98 ms (target 250ms) met   error budget used 45.0%: 0.450%
 * slower than 250ms, 1% allowed". */
static void
append_latency (GString *out, const StratusReport *report, const StratusSloConfig *slo)
{
  char *target = stratus_format_duration (slo->latency_target);
  g_string_append_printf (out, "\n  latency       p%g ", slo->percentile);
  if (report_find (report, "slo.latency.measured_ms") == NULL)
    g_string_append_printf (out, "- (target %s): no request succeeded", target);
  else
    {
      report_append_figure (out, report, "slo.latency.measured_ms", 2, 1, " ms");
      g_string_append_printf (out, " (target %s) ", target);
      report_append_verdict (out, report, "slo.latency.met");
      g_string_append (out, "   error budget used ");
      report_append_figure (out, report, "slo.latency.budget_used", 1, 100, "%: ");
      report_append_figure (out, report, "slo.latency.slow_share", 3, 100, "%");
      g_string_append_printf (out, " slower than %s, %g%% allowed", target,
                              100 - slo->percentile);
    }
  g_free (target);
}

void
report_slo_text (GString *out, const StratusReport *report)
{
  const StratusSloConfig *slo = &report->scenario->slo;
  if (!slo->enabled)
    return;
  g_string_append (out, "\nSLO");
  if (slo->availability)
    append_availability (out, report, slo);
  if (slo->latency)
    append_latency (out, report, slo);
  g_string_append_c (out, '\n');
}
