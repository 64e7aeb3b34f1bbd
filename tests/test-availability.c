/* The availability report of issue 11: the `resilience_policy` and `slo` sections load as
 * written or are refused with one line at their place; each fault's time to detect lies
 * within the health checks' bounds when only they can notice it, and is missing when
 * nothing notices it; writes lost are none for Aurora and Multi-AZ instance failovers and
 * the replica's backlog or the writes since the snapshot for a promotion or a restore,
 * charged to the fault that took the writer; the policy is judged met or not on both
 * sides of a target, also over replications; the error budgets are those computed by hand
 * from the run's own counts; success per interval in timeseries.csv; the same seed gives
 * byte-identical reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "scenario_checks.h"
#include "synthetic_result.h"
#include "tmpdir.h"

#include <math.h>
#include <string.h>

#include "stratus/model.h"
#include "stratus/report.h"
#include "stratus/results.h"
#include "stratus/units.h"

/* Three AZs, no VPC: a fixed fleet `web` (6 instances, two per AZ) behind `alb`, whose
 * target group checks every 10 s (timeout 2 s, unhealthy after 2 failures); no database,
 * no alarm. The sections appended start at line 14. */
static const char base[] =
  "duration: 20m\n"                                                           /* 1 */
  "warmup: 0s\n"                                                              /* 2 */
  "azs: [us-east-1a, us-east-1b, us-east-1c]\n"                               /* 3 */
  "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n"               /* 4 */
  "load_balancers:\n"                                                         /* 5 */
  "  alb: {target_group: tg, processing_time: 0s}\n"                          /* 6 */
  "target_groups:\n"                                                          /* 7 */
  "  tg: {deregistration_delay: 5s, health_check: {interval: 10s, timeout: 2s, " /* 8 */
  "healthy_threshold: 2, unhealthy_threshold: 2}}\n"
  "instances:\n"                                                              /* 9 */
  "  web: {count: 6, type: c5.large, workers: 8, service_time: {dist: exponential, " /* 10 */
  "mean: 5ms}, target_group: tg}\n"
  "workload:\n"                                                               /* 11 */
  "  users: {entry: alb, rate: 200/s, timeout: 30s}\n"                        /* 12 */
  "report: {interval: 10s}\n";                                                /* 13 */

/* `base` followed by `tail` (its first line is line 14). Caller frees. */
static char *
with (const char *tail)
{
  return g_strconcat (base, tail, NULL);
}

/* `text` loaded with the NULL-terminated `overrides` (may be NULL), run with `seed`, and
 * reported; the scenario comes back through `out` (caller frees both). */
static StratusReport *
report_of (const char *text, const char *const *overrides, uint64_t seed,
           StratusScenario **out, StratusRunResult **result)
{
  StratusScenario *s = load_ok_with (text, overrides);
  StratusRunOptions options = { .seed = seed };
  StratusRunResult *r = stratus_model_run (s, &options);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, r);
  if (result != NULL)
    *result = r;
  else
    stratus_run_result_free (r);
  *out = s;
  return report;
}

/* The figure at `path`, which must exist. */
static double
figure (const StratusReport *report, const char *path)
{
  double v = NAN;
  if (!stratus_report_figure (report, path, &v, NULL))
    fail_msg ("no figure %s", path);
  return v;
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* Both sections load with their values and defaults; every fault kind maps to a
 * disruption type. */
static void
test_parse (void **state)
{
  char *text = with ("resilience_policy:\n"
                     "  instance: {rto: 5m, rpo: 0s}\n"
                     "  database: {rto: 15m, rpo: 5m}\n"
                     "slo:\n"
                     "  latency: {target: 250ms}\n"
                     "  availability: 99.9%\n");
  StratusScenario *s = load_ok (text);
  g_free (text);
  const StratusResiliencePolicy *p = &s->resilience_policy;
  assert_true (p->enabled);
  assert_true (p->targets[STRATUS_DISRUPTION_INSTANCE].set);
  assert_int_equal (p->targets[STRATUS_DISRUPTION_INSTANCE].rto, 300 * STRATUS_SECOND);
  assert_int_equal (p->targets[STRATUS_DISRUPTION_INSTANCE].rpo, 0);
  assert_int_equal (p->targets[STRATUS_DISRUPTION_INSTANCE].line, 15);
  assert_false (p->targets[STRATUS_DISRUPTION_AZ].set);
  assert_int_equal (p->targets[STRATUS_DISRUPTION_DATABASE].rto, 900 * STRATUS_SECOND);
  assert_int_equal (p->targets[STRATUS_DISRUPTION_DATABASE].rpo, 300 * STRATUS_SECOND);
  assert_true (s->slo.enabled && s->slo.latency && s->slo.availability);
  assert_true (s->slo.percentile == 99); /* the default */
  assert_int_equal (s->slo.latency_target, 250 * STRATUS_MS);
  assert_true (s->slo.availability_target == 0.999);
  stratus_scenario_free (s);

  s = load_ok (base);
  assert_false (s->resilience_policy.enabled);
  assert_false (s->slo.enabled);
  stratus_scenario_free (s);

  static const struct
  {
    StratusFaultKind kind;
    StratusDisruptionType type;
  } map[] = { { STRATUS_FAULT_STOP_INSTANCES, STRATUS_DISRUPTION_INSTANCE },
              { STRATUS_FAULT_TERMINATE_INSTANCES, STRATUS_DISRUPTION_INSTANCE },
              { STRATUS_FAULT_AZ_POWER_INTERRUPTION, STRATUS_DISRUPTION_AZ },
              { STRATUS_FAULT_DISRUPT_CONNECTIVITY, STRATUS_DISRUPTION_AZ },
              { STRATUS_FAULT_INSUFFICIENT_CAPACITY, STRATUS_DISRUPTION_AZ },
              { STRATUS_FAULT_DB_FAILOVER, STRATUS_DISRUPTION_DATABASE },
              { STRATUS_FAULT_DB_REBOOT, STRATUS_DISRUPTION_DATABASE } };
  for (size_t i = 0; i < G_N_ELEMENTS (map); i++)
    assert_int_equal (stratus_fault_disruption (map[i].kind), map[i].type);
  assert_int_equal (stratus_fault_disruption (STRATUS_N_FAULT_KINDS), STRATUS_DISRUPTION_AZ);
  assert_string_equal (stratus_disruption_name (STRATUS_DISRUPTION_DATABASE), "database");
}

/* `base` with the line `line` (line 14) is refused with exactly `expected`. */
static void
expect_error_line (const char *line, const char *expected)
{
  char *text = with (line);
  char *message = load_error (text);
  g_free (text);
  if (strcmp (message, expected) != 0)
    {
      print_error ("message:  %s\nexpected: %s\n", message, expected);
      g_free (message);
      fail ();
    }
  g_free (message);
}

/* Bad sections: one exact line each, at the key or value at fault. */
static void
test_parse_errors (void **state)
{
  expect_error_line ("resilience_policy: {instanse: {rto: 5m, rpo: 0s}}\n",
                     "t.yaml:14:21: unknown key 'instanse' in resilience_policy; did you mean "
                     "'instance'?");
  expect_error_line ("resilience_policy: {az: {rto: 5x, rpo: 0s}}\n",
                     "t.yaml:14:31: rto: '5x' is not a valid duration (example: 250ms, 30s, 5m, "
                     "2h, 1h30m)");
  expect_error_line ("resilience_policy: {az: {rto: -5m, rpo: 0s}}\n",
                     "t.yaml:14:31: rto: a duration cannot be negative ('-5m')");
  expect_error_line ("resilience_policy: {az: {rto: 5m}}\n",
                     "t.yaml:14:25: resilience_policy.az: missing required key 'rpo'");
  expect_error_line ("resilience_policy: {az: {rto: 5m, rpo: 0s, rta: 1m}}\n",
                     "t.yaml:14:44: unknown key 'rta' in resilience_policy.az; did you mean "
                     "'rto'?");
  expect_error_line ("resilience_policy: {database: [5m]}\n",
                     "t.yaml:14:31: resilience_policy.database: expected a mapping, found a "
                     "list");
  expect_error_line ("resilience_polcy: {}\n",
                     "t.yaml:14:1: unknown key 'resilience_polcy' in the scenario; did you mean "
                     "'resilience_policy'?");
  expect_error_line ("slo: {availability: 100%}\n",
                     "t.yaml:14:21: availability: must be above 0% and below 100% (100% leaves "
                     "no error budget), found 100%");
  expect_error_line ("slo: {availability: 99.9}\n",
                     "t.yaml:14:21: availability: '99.9' is more than 100%");
  expect_error_line ("slo: {latency: {percentile: 100, target: 250ms}}\n",
                     "t.yaml:14:29: percentile: must be above 0 and below 100, found 100");
  expect_error_line ("slo: {latency: {percentile: abc, target: 1s}}\n",
                     "t.yaml:14:29: percentile: expected a number, found 'abc'");
  expect_error_line ("slo: {latency: {percentile: 99}}\n",
                     "t.yaml:14:16: slo.latency: missing required key 'target'");
  expect_error_line ("slo: {latency: {target: 0s}}\n", "t.yaml:14:25: target: must be above 0");
  expect_error_line ("slo: {latncy: {target: 1s}}\n",
                     "t.yaml:14:7: unknown key 'latncy' in slo; did you mean 'latency'?");
  expect_error_line ("slo: {}\n", "t.yaml:14:6: slo: give latency, availability or both");
}

/* Through the command: a bad section is one line on stderr and exit status 2. */
static void
test_cli_refuses (void **state)
{
  const char *dir = *state;
  char *text = with ("slo: {availability: 100%}\n");
  char *path = write_in (dir, "bad.yaml", text);
  Result r = run_in (NULL, "validate", path, NULL);
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_non_null (strstr (r.err, "bad.yaml:14:21: availability: must be above 0% and below "
                                  "100%"));
  result_clear (&r);
  g_free (path);
  g_free (text);
}

/* ---- time to detect ----------------------------------------------------------------------- */

/* Connectivity to us-east-1c is cut at 5 min: only the load balancer's health checks can
 * notice (no database, no alarm, nothing stops), after (threshold - 1) x interval at the
 * earliest and threshold x interval + timeout at the latest. With threshold 2, interval
 * 10 s, timeout 2 s: 10 to 22 s; with threshold 3, interval 5 s: 10 to 17 s. The figure
 * is the first "-> unhealthy" of the timeline after the cut. */
static void
test_detect_by_health_checks (void **state)
{
  static const struct
  {
    const char *threshold, *interval;
    double low, high;
  } cases[] = { { "2", "10s", 10, 22 }, { "3", "5s", 10, 17 } };
  for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      char *text = with ("faults:\n"
                         "  cut: {action: disrupt_connectivity, az: us-east-1c, at: 5m, "
                         "duration: 5m}\n");
      char *threshold = g_strdup_printf ("target_groups.tg.health_check.unhealthy_threshold=%s",
                                         cases[c].threshold);
      char *interval = g_strdup_printf ("target_groups.tg.health_check.interval=%s",
                                        cases[c].interval);
      const char *const overrides[] = { threshold, interval, NULL };
      StratusScenario *s;
      StratusRunResult *r;
      StratusReport *report = report_of (text, overrides, 1, &s, &r);
      double detect = figure (report, "faults.cut.time_to_detect_s");
      print_message ("threshold %s, interval %s: detected after %.4f s (bounds %g-%g s)\n",
                     cases[c].threshold, cases[c].interval, detect, cases[c].low,
                     cases[c].high);
      assert_true (detect >= cases[c].low && detect <= cases[c].high);
      assert_true (figure (report, "faults.cut.detected") == 1);
      StratusTime first = STRATUS_TIME_NEVER;
      for (guint i = 0; i < r->timeline->len && first == STRATUS_TIME_NEVER; i++)
        {
          const StratusTimelineEvent *e = &g_array_index (r->timeline, StratusTimelineEvent, i);
          if (e->kind == STRATUS_EVENT_HEALTH && e->at >= 300 * STRATUS_SECOND
              && g_str_has_suffix (e->detail, "-> unhealthy"))
            {
              assert_string_equal (e->az, "us-east-1c");
              first = e->at;
            }
        }
      assert_true (detect == stratus_time_seconds (first - 300 * STRATUS_SECOND));
      const StratusFaultResult *fr = &g_array_index (r->faults, StratusFaultResult, 0);
      assert_int_equal (fr->started, 300 * STRATUS_SECOND);
      assert_int_equal (fr->ended, 600 * STRATUS_SECOND);
      assert_non_null (strstr (fr->detected_by, "the health checks of alb: web-"));
      char *txt = stratus_report_text (report);
      char *line = g_strdup_printf ("    detected after %.1f s by the health checks of alb: ",
                                    detect);
      assert_non_null (strstr (txt, line));
      g_free (line);
      g_free (txt);
      char *json = stratus_report_json (report);
      assert_non_null (strstr (json, "\"detected_by\" : \"the health checks of alb: web-"));
      assert_non_null (strstr (json, "\"disruption\" : \"az\""));
      g_free (json);
      stratus_report_free (report);
      stratus_run_result_free (r);
      stratus_scenario_free (s);
      g_free (threshold);
      g_free (interval);
      g_free (text);
    }
}

/* Without health checks (a target group nobody declares) nothing notices the cut: no
 * time_to_detect figure, detected 0, "not detected" in the text and null in report.json.
 * A stopped instance of a fixed fleet is noticed at once (its state). */
static void
test_undetected_and_stopped (void **state)
{
  static const char plain[] = "duration: 10m\n"
                              "azs: [us-east-1a, us-east-1b]\n"
                              "load_balancers:\n"
                              "  alb: {target_group: web}\n"
                              "instances:\n"
                              "  web: {count: 4, service_time: 5ms, target_group: web}\n"
                              "workload:\n"
                              "  users: {entry: alb, rate: 100/s, timeout: 30s}\n"
                              "report: {interval: 10s}\n"
                              "faults:\n"
                              "  cut: {action: disrupt_connectivity, az: us-east-1b, at: 2m, "
                              "duration: 2m}\n"
                              "  stop: {action: stop_instances, target: web, count: 1, az: "
                              "us-east-1a, at: 6m, duration: 1m}\n";
  StratusScenario *s;
  StratusReport *report = report_of (plain, NULL, 1, &s, NULL);
  assert_false (stratus_report_figure (report, "faults.cut.time_to_detect_s", NULL, NULL));
  assert_true (figure (report, "faults.cut.detected") == 0);
  assert_true (figure (report, "faults.stop.time_to_detect_s") == 0);
  char *txt = stratus_report_text (report);
  assert_non_null (strstr (txt, "    not detected: no health check, alarm or failure detection "
                                "noticed it"));
  assert_non_null (strstr (txt, "    detected after 0.0 s by EC2 instance state: web-"));
  assert_null (strstr (txt, "writes lost")); /* no database */
  g_free (txt);
  char *json = stratus_report_json (report);
  assert_non_null (strstr (json, "\"detected_by\" : null"));
  g_free (json);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* An instance stopped by one fault in us-east-1c 1 s after another cuts us-east-1c off is
 * evidence of the stop (at once, by EC2), not of the cut, which the health checks notice
 * in their bounds; an AZ without capacity leaves no evidence: not detected, though health
 * checks fail in that AZ meanwhile. */
static void
test_detection_evidence (void **state)
{
  char *text = with ("faults:\n"
                     "  full: {action: insufficient_capacity, az: us-east-1c, at: 4m}\n"
                     "  cut: {action: disrupt_connectivity, az: us-east-1c, at: 5m, duration: "
                     "5m}\n"
                     "  stop: {action: stop_instances, target: web, az: us-east-1c, count: 1, "
                     "at: 301s, duration: 1m}\n");
  StratusScenario *s;
  StratusReport *report = report_of (text, NULL, 1, &s, NULL);
  g_free (text);
  double cut = figure (report, "faults.cut.time_to_detect_s");
  assert_true (cut >= 10 && cut <= 22);
  assert_true (figure (report, "faults.stop.time_to_detect_s") == 0);
  assert_true (figure (report, "faults.full.detected") == 0);
  char *txt = stratus_report_text (report);
  assert_non_null (strstr (txt, "s by the health checks of alb: web-"));
  assert_non_null (strstr (txt, "    detected after 0.0 s by EC2 instance state: web-"));
  g_free (txt);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* An Auto Scaling group without health checks (EC2 checks, an undeclared target group)
 * and a low-CPU alarm: when us-east-1a is cut off at 5 min, its two instances idle, the
 * group's CPU halves, and the alarm enters ALARM with the first datapoint after the cut
 * (1 min periods): the cut is detected by the alarm after 60 s. Clients see the outage only
 * at their 30 s timeout: the first interval after the cut is up, and the fault's time to
 * recover still covers the outage that follows. */
static void
test_detect_by_alarm (void **state)
{
  static const char yaml[] =
    "duration: 12m\n"
    "warmup: 0s\n"
    "azs: [us-east-1a, us-east-1b]\n"
    "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n"
    "load_balancers:\n"
    "  alb: {target_group: web, processing_time: 0s}\n"
    "amis:\n"
    "  golden: {boot_time: 20s, app_start_time: 5s}\n"
    "launch_templates:\n"
    "  lt: {ami: golden, instance_type: c5.large, workers: 2, service_time: 10ms}\n"
    "auto_scaling_groups:\n"
    "  web:\n"
    "    launch_template: lt\n"
    "    min_size: 4\n"
    "    max_size: 4\n"
    "    target_groups: [web]\n"
    "    policies:\n"
    "      idle: {type: simple, metric: cpu, alarm: {below: 25}, adjustment: -1}\n"
    "workload:\n"
    "  users: {entry: alb, rate: 360/s, timeout: 30s}\n"
    "report: {interval: 10s}\n"
    "faults:\n"
    "  cut: {action: disrupt_connectivity, az: us-east-1a, at: 5m, duration: 5m}\n";
  StratusScenario *s;
  StratusRunResult *r;
  StratusReport *report = report_of (yaml, NULL, 1, &s, &r);
  assert_true (figure (report, "faults.cut.time_to_detect_s") == 60);
  const StratusFaultResult *fr = &g_array_index (r->faults, StratusFaultResult, 0);
  assert_string_equal (fr->detected_by, "CloudWatch alarm: idle's low alarm in ALARM");
  StratusIntervalRow row;
  stratus_report_row (report, 30, NULL, &row); /* [300 s, 310 s) */
  assert_int_equal (row.start, 300 * STRATUS_SECOND);
  assert_false (stratus_outcome_failed_total (row.outcomes) > 0.05 * (double) row.arrivals);
  double recover = figure (report, "faults.cut.time_to_recover_s");
  print_message ("alarm: detected after 60 s, recovered after %.0f s\n", recover);
  assert_true (recover >= 300);
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* ---- writes lost -------------------------------------------------------------------------- */

/* A fleet in two AZs whose requests make one query each, half of them writes (about 100
 * writes/s), on database `db` (its writer in us-east-1a); us-east-1a loses power from 5 to
 * 15 min. DATABASE is replaced by the database's keys. */
static const char db_base[] =
  "duration: 20m\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "load_balancers:\n"
  "  alb: {target_group: web}\n"
  "instances:\n"
  "  web: {count: 4, workers: 16, service_time: 1ms, target_group: web, database: {name: db, "
  "queries: 1, write_fraction: 0.5, timeout: 2s}}\n"
  "databases:\n"
  "  db: {instance_class: db.r6g.large, backup_retention: 0, DATABASE}\n"
  "workload:\n"
  "  users: {entry: alb, rate: 200/s, timeout: 30s}\n"
  "report: {interval: 10s}\n"
  "faults:\n"
  "  dark: {action: az_power_interruption, az: AZ, at: 5m, duration: 10m}\n";

/* `db_base` with DATABASE and AZ replaced, run; the report (caller frees it, the scenario
 * and the result). */
static StratusReport *
run_db (const char *database, const char *az, StratusScenario **s, StratusRunResult **r)
{
  char *a = subst (db_base, "DATABASE", database);
  char *text = subst (a, "AZ", az);
  g_free (a);
  StratusReport *report = report_of (text, NULL, 1, s, r);
  g_free (text);
  return report;
}

/* Aurora and a Multi-AZ instance fail over to a member that has every write: none lost,
 * no data-loss window (and a failover did happen, on a database that took writes). */
static void
test_no_writes_lost_on_failover (void **state)
{
  const char *const databases[] = { "engine: aurora-mysql, readers: 1",
                                    "engine: mysql, deployment: multi_az_instance" };
  for (size_t i = 0; i < G_N_ELEMENTS (databases); i++)
    {
      StratusScenario *s;
      StratusRunResult *r;
      StratusReport *report = run_db (databases[i], "us-east-1a", &s, &r);
      const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
      assert_int_equal (d->failovers, 1);
      assert_true (d->writes > 10000);
      assert_int_equal (d->lost_writes, 0);
      assert_true (figure (report, "faults.dark.writes_lost") == 0);
      assert_true (figure (report, "faults.dark.rpo_s") == 0);
      /* noticed at once: the instances in us-east-1a stopped */
      assert_true (figure (report, "faults.dark.time_to_detect_s") == 0);
      char *txt = stratus_report_text (report);
      assert_non_null (strstr (txt, "    writes lost 0   data-loss window 0.000 s"));
      g_free (txt);
      stratus_report_free (report);
      stratus_run_result_free (r);
      stratus_scenario_free (s);
    }
}

/* A read replica that applies 90 writes/s behind a writer taking about 100/s lags by
 * thousands of writes when the writer's AZ goes dark; promoting it at 6 min loses them:
 * the fault's writes lost are the promotion's, and its data-loss window the replica's lag
 * then (writes / apply rate, to one write). */
static void
test_writes_lost_by_replica_promotion (void **state)
{
  StratusScenario *s;
  StratusRunResult *r;
  StratusReport *report = run_db ("engine: mysql, read_replicas: 1, apply_rate: 90, actions: "
                                  "[{at: 6m, action: promote_replica}]",
                                  "us-east-1a", &s, &r);
  const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
  const StratusFailoverRecord *promotion = &g_array_index (d->failover_log,
                                                           StratusFailoverRecord, 0);
  assert_int_equal (promotion->failed, 300 * STRATUS_SECOND); /* the writer went at 5 min */
  assert_true (promotion->lost_writes > 1000);
  double lost = figure (report, "faults.dark.writes_lost");
  double rpo = figure (report, "faults.dark.rpo_s");
  assert_true (lost == (double) promotion->lost_writes && lost == (double) d->lost_writes);
  assert_true (rpo > lost / 90 - 1.0 / 90 - 1e-9 && rpo <= lost / 90 + 1e-9);
  const StratusFaultResult *fr = &g_array_index (r->faults, StratusFaultResult, 0);
  assert_true (fr->data_loss_s == rpo);
  print_message ("replica promotion: %.0f writes lost, data-loss window %.3f s\n", lost, rpo);
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* A single-AZ database restored at 6 min from its 2 min snapshot after its writer's AZ
 * went dark at 5 min: the writes since the snapshot are lost, over a window of exactly
 * 3 minutes (snapshot to writer loss). The same restore with the fault in the other AZ
 * (the writer still up) is no fault's doing. */
static void
test_writes_lost_by_restore (void **state)
{
  static const char db[] = "engine: mysql, actions: [{at: 2m, action: snapshot}, {at: 6m, "
                           "action: restore}]";
  StratusScenario *s;
  StratusRunResult *r;
  StratusReport *report = run_db (db, "us-east-1a", &s, &r);
  const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
  assert_true (d->lost_writes > 10000);
  assert_true (figure (report, "faults.dark.writes_lost") == (double) d->lost_writes);
  assert_true (figure (report, "faults.dark.rpo_s") == 180);
  print_message ("restore: %" G_GUINT64_FORMAT " writes lost, data-loss window 180 s\n",
                 d->lost_writes);
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  report = run_db (db, "us-east-1b", &s, &r);
  d = &g_array_index (r->databases, StratusDatabaseResult, 0);
  assert_true (d->lost_writes > 10000);
  assert_true (figure (report, "faults.dark.writes_lost") == 0);
  assert_true (figure (report, "faults.dark.rpo_s") == 0);
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* ---- the resilience policy ---------------------------------------------------------------- */

/* The restore above against targets on both sides of what it measured: its RTO (time to
 * recover, R) against R (met) and R - 10 s (not met), its RPO (180 s) against 3m (met) and
 * 179s (not met). */
static void
test_policy_both_sides (void **state)
{
  char *a = subst (db_base, "DATABASE", "engine: mysql, actions: [{at: 2m, action: snapshot}, "
                                        "{at: 6m, action: restore}]");
  char *text = subst (a, "AZ", "us-east-1a");
  g_free (a);
  StratusScenario *s;
  StratusReport *report = report_of (text, NULL, 1, &s, NULL);
  double recover = figure (report, "faults.dark.time_to_recover_s");
  print_message ("restore: recovered after %.0f s\n", recover);
  assert_true (recover > 10);
  assert_false (stratus_report_figure (report, "faults.dark.rto_met", NULL, NULL));
  stratus_report_free (report);
  stratus_scenario_free (s);

  static const struct
  {
    double rto_delta;
    const char *rpo;
    bool rto_met, rpo_met;
  } cases[] = { { 0, "3m", true, true }, { -10, "179s", false, false },
                { 0, "179s", true, false }, { -10, "3m", false, true } };
  for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      StratusTime rto_target = (StratusTime) (recover + cases[c].rto_delta) * STRATUS_SECOND;
      char *rto = stratus_format_duration (rto_target);
      char *policy = g_strdup_printf ("resilience_policy:\n  az: {rto: %s, rpo: %s}\n", rto,
                                      cases[c].rpo);
      char *full = g_strconcat (text, policy, NULL);
      report = report_of (full, NULL, 1, &s, NULL);
      assert_true (figure (report, "faults.dark.time_to_recover_s") == recover);
      assert_true (figure (report, "faults.dark.rto_met") == cases[c].rto_met);
      assert_true (figure (report, "faults.dark.rpo_met") == cases[c].rpo_met);
      char *txt = stratus_report_text (report);
      StratusTime rpo_target;
      assert_true (stratus_parse_duration (cases[c].rpo, &rpo_target, NULL));
      char *rpo = stratus_format_duration (rpo_target);
      char *line = g_strdup_printf ("    az policy: RTO %.0f s (target %s) %s   RPO 180.000 s "
                                    "(target %s) %s",
                                    recover, rto, cases[c].rto_met ? "met" : "not met", rpo,
                                    cases[c].rpo_met ? "met" : "not met");
      g_free (rto);
      g_free (rpo);
      if (strstr (txt, line) == NULL)
        fail_msg ("no line '%s' in\n%s", line, txt);
      g_free (line);
      g_free (txt);
      char *json = stratus_report_json (report);
      assert_non_null (strstr (json, "\"resilience_policy\" : {"));
      g_free (json);
      stratus_report_free (report);
      stratus_scenario_free (s);
      g_free (full);
      g_free (policy);
    }
  g_free (text);
}

/* `synthetic_result` with its rows replaced by four 30 s rows of 300 requests, those of
 * rows [1, 1 + down) all failed (503), and a fault record detected after `detect_s` (< 0:
 * not detected). */
static StratusRunResult *
synthetic_outage (unsigned replication, int down, double detect_s)
{
  StratusRunResult *r = synthetic_result (replication, SYNTHETIC_EVENTS_NONE, 1);
  stratus_record_log_free (r->intervals);
  r->intervals = stratus_record_log_new (sizeof (StratusIntervalRow));
  for (int k = 0; k < 4; k++)
    {
      StratusIntervalRow row = { .start = k * 30 * STRATUS_SECOND,
                                 .length = 30 * STRATUS_SECOND, .arrivals = 300 };
      bool failed = k >= 1 && k < 1 + down;
      row.outcomes[failed ? STRATUS_OUTCOME_503_NO_TARGETS : STRATUS_OUTCOME_OK] = 300;
      stratus_record_log_append (r->intervals, &row);
    }
  r->faults = g_array_new (FALSE, TRUE, sizeof (StratusFaultResult));
  StratusFaultResult fr = { .started = 30 * STRATUS_SECOND, .ended = STRATUS_TIME_NEVER,
                            .detected = STRATUS_TIME_NEVER };
  if (detect_s >= 0)
    {
      fr.detected = fr.started + (StratusTime) (detect_s * 1e9);
      fr.detected_by = g_strdup ("a probe");
    }
  g_array_append_val (r->faults, fr);
  return r;
}

/* Over two replications that recover after 30 s and 60 s, an RTO target of 45 s is met in
 * one of them: the report gives the mean (45 s) with its 95% interval (t(1) x s / sqrt 2)
 * and says so; detected in one replication only: its time, and in how many. */
static void
test_policy_over_replications (void **state)
{
  char *text = g_strconcat (synthetic_yaml,
                            "faults:\n"
                            "  dark: {action: az_power_interruption, az: us-east-1a, at: 30s}\n"
                            "resilience_policy:\n"
                            "  az: {rto: 45s, rpo: 0s}\n",
                            NULL);
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusReport *report = stratus_report_new (s);
  StratusRunResult *r = synthetic_outage (0, 1, 12.5);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  r = synthetic_outage (1, 2, -1);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  double mean, ci;
  assert_true (stratus_report_figure (report, "faults.dark.time_to_recover_s", &mean, &ci));
  assert_true (mean == 45);
  assert_true (fabs (ci - 12.7062047361747 * sqrt (450) / sqrt (2)) < 1e-3);
  assert_true (figure (report, "faults.dark.rto_met") == 0.5);
  assert_true (figure (report, "faults.dark.rpo_met") == 1);
  assert_true (figure (report, "faults.dark.detected") == 0.5);
  assert_true (figure (report, "faults.dark.time_to_detect_s") == 12.5);
  char *txt = stratus_report_text (report);
  char *rto = g_strdup_printf ("    az policy: RTO 45 \u00b1 %.0f s (target 45s) met in 1 of 2 "
                               "replications   RPO 0.000 \u00b1 0.000 s (target 0s) met",
                               ci);
  if (strstr (txt, rto) == NULL)
    fail_msg ("no line '%s' in\n%s", rto, txt);
  assert_non_null (strstr (txt, "    detected after 12.5 \u00b1 0.0 s (in 1 of 2 replications) "
                                "by a probe"));
  g_free (rto);
  g_free (txt);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* ---- SLO ---------------------------------------------------------------------------------- */

/* The SLO figures against a hand computation from the run's own counts: availability
 * ok / total against 99.9%, allowed failures (1 - 0.999) x total, budget failed /
 * allowed; latency p99 against 20 ms, the share slower than 20 ms against the 1% allowed.
 * Without faults, the SLO is still reported (and no Availability section). */
static void
test_slo_error_budgets (void **state)
{
  static const char slo[] = "slo:\n"
                            "  latency: {percentile: 99, target: 20ms}\n"
                            "  availability: 99.9%\n";
  const char *tails[] = { "faults:\n  dark: {action: az_power_interruption, az: us-east-1a, "
                          "at: 5m, duration: 2m}\n",
                          "" };
  for (size_t t = 0; t < G_N_ELEMENTS (tails); t++)
    {
      char *text = g_strconcat (base, tails[t], slo, NULL);
      StratusScenario *s;
      StratusRunResult *r;
      StratusReport *report = report_of (text, NULL, 1, &s, &r);
      g_free (text);
      uint64_t ok = r->outcomes[STRATUS_OUTCOME_OK], failed = r->total - ok;
      double allowed = 0.001 * (double) r->total;
      assert_true (figure (report, "slo.availability.target") == 0.999);
      assert_true (figure (report, "slo.availability.measured") == (double) ok / (double) r->total);
      assert_true (figure (report, "slo.availability.failed") == (double) failed);
      assert_true (fabs (figure (report, "slo.availability.allowed_failures") - allowed) < 1e-6);
      assert_true (fabs (figure (report, "slo.availability.budget_used") - failed / allowed)
                   < 1e-9 * (1 + failed / allowed));
      assert_true (figure (report, "slo.availability.met")
                   == ((double) ok / (double) r->total >= 0.999));
      double p99 = stratus_histogram_percentile (r->latency, 99);
      uint64_t n = stratus_histogram_count (r->latency);
      uint64_t slower = stratus_histogram_count_above (r->latency, 20e6);
      assert_true (figure (report, "slo.latency.measured_ms") == p99 / 1e6);
      assert_true (figure (report, "slo.latency.slower") == (double) slower);
      assert_true (figure (report, "slo.latency.slow_share") == (double) slower / (double) n);
      assert_true (fabs (figure (report, "slo.latency.budget_used")
                         - (double) slower / (double) n / 0.01) < 1e-12);
      assert_true (figure (report, "slo.latency.met") == (p99 <= 20e6));
      /* the percentile and the share tell the same story */
      assert_true ((p99 <= 20e6) == ((double) slower <= 0.01 * (double) n));
      print_message ("%s: availability %.5f, budget used %.1f%% (%" G_GUINT64_FORMAT
                     " failed, %.1f allowed); p99 %.2f ms, %.3f%% slower than 20 ms\n",
                     t == 0 ? "with a fault" : "no fault", (double) ok / (double) r->total,
                     100 * failed / allowed, failed, allowed, p99 / 1e6,
                     100.0 * (double) slower / (double) n);
      char *txt = stratus_report_text (report);
      assert_non_null (strstr (txt, "\nSLO\n  availability  "));
      assert_non_null (strstr (txt, " (target 99.9%) "));
      assert_non_null (strstr (txt, "\n  latency       p99 "));
      assert_true ((strstr (txt, "\nAvailability") != NULL) == (t == 0));
      g_free (txt);
      char *csv = stratus_report_timeseries_csv (report);
      assert_non_null (strstr (csv, ",success_ratio\n")); /* an SLO alone brings it too */
      g_free (csv);
      if (t == 0)
        assert_true (failed > allowed && figure (report, "slo.availability.met") == 0);
      stratus_report_free (report);
      stratus_run_result_free (r);
      stratus_scenario_free (s);
    }
}

/* The histogram's count above a value agrees with its percentiles: exact below 128. */
static void
test_histogram_count_above (void **state)
{
  StratusHistogram *h = stratus_histogram_new ();
  assert_int_equal (stratus_histogram_count_above (h, 0), 0);
  for (uint64_t v = 1; v <= 100; v++)
    stratus_histogram_record (h, v);
  assert_int_equal (stratus_histogram_count_above (h, 90), 10);
  assert_int_equal (stratus_histogram_count_above (h, 90.5), 10);
  assert_int_equal (stratus_histogram_count_above (h, 0), 100);
  assert_int_equal (stratus_histogram_count_above (h, 100), 0);
  for (uint64_t v = 0; v < 1000; v++)
    stratus_histogram_record (h, 1000000 + v * 997);
  double p = stratus_histogram_percentile (h, 99);
  assert_true (stratus_histogram_count_above (h, p) <= 11);
  assert_true (stratus_histogram_count_above (h, p - 1) > 11);
  stratus_histogram_free (h);
}

/* ---- timeseries.csv and determinism ------------------------------------------------------- */

/* With faults, timeseries.csv ends each row with the interval's success ratio (ok /
 * answered); without faults or an SLO, it has no such column. */
static void
test_success_ratio_column (void **state)
{
  char *text = with ("faults:\n  dark: {action: az_power_interruption, az: us-east-1a, at: 5m, "
                     "duration: 2m}\n");
  StratusScenario *s;
  StratusReport *report = report_of (text, NULL, 1, &s, NULL);
  g_free (text);
  char *csv = stratus_report_timeseries_csv (report);
  char **lines = g_strsplit (csv, "\n", -1);
  assert_true (g_str_has_suffix (lines[0], ",success_ratio"));
  size_t n = stratus_report_row_count (report);
  assert_int_equal (g_strv_length (lines), n + 2); /* header, rows, "" */
  bool below = false;
  for (size_t i = 0; i < n; i++)
    {
      StratusIntervalRow row;
      stratus_report_row (report, i, NULL, &row);
      uint64_t answered = row.outcomes[STRATUS_OUTCOME_OK]
                          + stratus_outcome_failed_total (row.outcomes);
      const char *last = strrchr (lines[i + 1], ',') + 1;
      double ratio = g_ascii_strtod (last, NULL);
      double expected = (double) row.outcomes[STRATUS_OUTCOME_OK] / (double) answered;
      assert_true (answered > 0 && fabs (ratio - expected) <= 1e-6 * expected + 1e-12);
      below = below || ratio < 0.9;
    }
  assert_true (below); /* the outage shows */
  g_strfreev (lines);
  g_free (csv);
  stratus_report_free (report);
  stratus_scenario_free (s);

  report = report_of (base, NULL, 1, &s, NULL);
  csv = stratus_report_timeseries_csv (report);
  assert_null (strstr (csv, "success_ratio"));
  g_free (csv);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* The same seed gives byte-identical report.json, report.txt and timeseries.csv, faults,
 * policy and SLO included; another seed does not. */
static void
test_determinism (void **state)
{
  char *text = with ("faults:\n"
                     "  cut: {action: disrupt_connectivity, az: us-east-1c, at: 5m, duration: "
                     "5m}\n"
                     "  stop: {action: stop_instances, target: web, count: 1, at: 12m, "
                     "duration: 2m}\n"
                     "resilience_policy:\n  az: {rto: 1m, rpo: 0s}\n  instance: {rto: 30s, "
                     "rpo: 0s}\n"
                     "slo: {latency: {percentile: 99.9, target: 50ms}, availability: 99%}\n");
  char *outputs[3][3];
  const uint64_t seeds[] = { 7, 7, 8 };
  for (int k = 0; k < 3; k++)
    {
      StratusScenario *s;
      StratusReport *report = report_of (text, NULL, seeds[k], &s, NULL);
      outputs[k][0] = stratus_report_json (report);
      outputs[k][1] = stratus_report_text (report);
      outputs[k][2] = stratus_report_timeseries_csv (report);
      stratus_report_free (report);
      stratus_scenario_free (s);
    }
  for (int i = 0; i < 3; i++)
    {
      assert_string_equal (outputs[0][i], outputs[1][i]);
      assert_string_not_equal (outputs[0][i], outputs[2][i]);
    }
  assert_non_null (strstr (outputs[0][1], "\nSLO\n"));
  assert_non_null (strstr (outputs[0][1], "    instance policy: RTO "));
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < 3; i++)
      g_free (outputs[k][i]);
  g_free (text);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse),
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test_setup_teardown (test_cli_refuses, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (test_detect_by_health_checks),
    cmocka_unit_test (test_undetected_and_stopped),
    cmocka_unit_test (test_detection_evidence),
    cmocka_unit_test (test_detect_by_alarm),
    cmocka_unit_test (test_no_writes_lost_on_failover),
    cmocka_unit_test (test_writes_lost_by_replica_promotion),
    cmocka_unit_test (test_writes_lost_by_restore),
    cmocka_unit_test (test_policy_both_sides),
    cmocka_unit_test (test_policy_over_replications),
    cmocka_unit_test (test_slo_error_budgets),
    cmocka_unit_test (test_histogram_count_above),
    cmocka_unit_test (test_success_ratio_column),
    cmocka_unit_test (test_determinism),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
