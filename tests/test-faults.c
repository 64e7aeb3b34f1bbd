/* Scheduled faults (the `faults` section): each key loads as written or refused with one
 * line at its place; in the model, an AZ power interruption stops the AZ's instances, its
 * group replaces them in the other AZs only, its database writer fails over, and the AZ
 * is used again once the fault ends; a permanent loss leaves the group balanced over the
 * AZs left; stop_instances and terminate_instances take the count or share asked for (a
 * fixed fleet's stopped instances start again at the end); insufficient capacity keeps
 * launches out of an AZ; db_failover and db_reboot act on the database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include <math.h>
#include <string.h>

#include "stratus/chart.h"
#include "stratus/model.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "stratus/results.h"

/* Three AZs, no VPC: a fixed fleet `api` (6 instances, two per AZ), an Auto Scaling group
 * `web` (6 instances, health checks every 10 s), an Aurora database with its writer in
 * us-east-1a and a reader in us-east-1b; line numbers matter (faults from line 33). */
static const char base[] =
  "duration: 30m\n"                                                          /* 1 */
  "warmup: 0s\n"                                                             /* 2 */
  "azs: [us-east-1a, us-east-1b, us-east-1c]\n"                              /* 3 */
  "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n"              /* 4 */
  "load_balancers:\n"                                                        /* 5 */
  "  alb: {target_group: tg, processing_time: 0s}\n"                         /* 6 */
  "  api-alb: {target_group: api}\n"                                         /* 7 */
  "target_groups:\n"                                                         /* 8 */
  "  tg: {deregistration_delay: 5s, health_check: {interval: 10s, timeout: 2s, " /* 9 */
  "healthy_threshold: 2, unhealthy_threshold: 2}}\n"
  "amis:\n"                                                                  /* 10 */
  "  golden: {boot_time: 20s, app_start_time: 5s}\n"                         /* 11 */
  "launch_templates:\n"                                                      /* 12 */
  "  lt: {ami: golden, instance_type: c5.large, workers: 8, queue_limit: 1000, " /* 13 */
  "service_time: {dist: exponential, mean: 5ms}, "
  "database: {name: db, queries: 1, timeout: 2s}}\n"
  "auto_scaling_groups:\n"                                                   /* 14 */
  "  web: {launch_template: lt, min_size: 6, max_size: 12, desired_capacity: 6, " /* 15 */
  "target_groups: [tg], health_check_type: ELB, health_check_grace_period: 0s}\n"
  "instances:\n"                                                             /* 16 */
  "  api: {count: 6, type: c5.large, service_time: 1ms, target_group: api}\n" /* 17 */
  "databases:\n"                                                             /* 18 */
  "  db:\n"                                                                  /* 19 */
  "    engine: aurora-mysql\n"                                               /* 20 */
  "    instance_class: db.r6g.large\n"                                       /* 21 */
  "    readers: 1\n"                                                         /* 22 */
  "    replica_azs: [us-east-1b]\n"                                          /* 23 */
  "    backup_retention: 0\n"                                                /* 24 */
  "    failover: {detection_time: 5s, promotion_time: 15s}\n"                /* 25 */
  "workload:\n"                                                              /* 26 */
  "  users: {entry: alb, rate: 200/s, timeout: 30s}\n"                       /* 27 */
  "  api-users: {entry: api-alb, rate: 50/s, timeout: 30s}\n"                /* 28 */
  "report: {interval: 1m}\n";                                                /* 29 */

/* `base` with the `faults` section `faults` appended (its first line is line 30). */
static char *
with_faults (const char *faults)
{
  return g_strconcat (base, "faults:\n", faults, NULL);
}

/* `base` with `faults`, loaded and run (seed 1). */
static StratusRunResult *
run_with (const char *faults)
{
  char *text = with_faults (faults);
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  stratus_scenario_free (s);
  return r;
}

/* The timeline's events of `kind` whose group is `group` (NULL: any), in order. */
static GPtrArray *
events (const StratusRunResult *r, StratusEventKind kind, const char *group)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < r->timeline->len; i++)
    {
      StratusTimelineEvent *e = &g_array_index (r->timeline, StratusTimelineEvent, i);
      if (e->kind == kind && (group == NULL || g_strcmp0 (e->group, group) == 0))
        g_ptr_array_add (out, e);
    }
  return out;
}

static const StratusTimelineEvent *
at (GPtrArray *events, guint i)
{
  return g_ptr_array_index (events, i);
}

/* ---- parsing ----------------------------------------------------------------------------- */

/* Every kind loads with its values and defaults. */
static void
test_parse (void **state)
{
  char *text = with_faults ("  dark: {action: az_power_interruption, az: us-east-1a, at: 10m, "
                            "duration: 5m}\n"
                            "  stop: {action: stop_instances, target: web, count: 2, az: "
                            "us-east-1b, at: 1m}\n"
                            "  half: {action: terminate_instances, target: api, percent: 50, "
                            "at: 2m}\n"
                            "  full: {action: insufficient_capacity, az: us-east-1c, at: 3m, "
                            "duration: permanent}\n"
                            "  fo: {action: db_failover, database: db, at: 4m}\n"
                            "  rb: {action: db_reboot, database: db, at: 5m}\n");
  StratusScenario *s = load_ok (text);
  g_free (text);
  assert_int_equal (s->faults->len, 6);
  const StratusFaultConfig *f = g_ptr_array_index (s->faults, 0);
  assert_string_equal (f->name, "dark");
  assert_int_equal (f->kind, STRATUS_FAULT_AZ_POWER_INTERRUPTION);
  assert_int_equal (f->at, 600 * STRATUS_SECOND);
  assert_int_equal (f->duration, 300 * STRATUS_SECOND);
  assert_int_equal (f->az, 0);
  assert_int_equal (f->line, 31);
  f = g_ptr_array_index (s->faults, 1);
  assert_int_equal (f->kind, STRATUS_FAULT_STOP_INSTANCES);
  assert_int_equal (f->count, 2);
  assert_int_equal (f->az, 1);
  assert_int_equal (f->duration, STRATUS_TIME_NEVER);
  assert_int_equal (f->fleet, stratus_scenario_fleet_index (s, "web"));
  f = g_ptr_array_index (s->faults, 2);
  assert_int_equal (f->count, -1);
  assert_float_equal (f->percent, 50, 0);
  assert_int_equal (f->fleet, stratus_scenario_fleet_index (s, "api"));
  f = g_ptr_array_index (s->faults, 3);
  assert_int_equal (f->kind, STRATUS_FAULT_INSUFFICIENT_CAPACITY);
  assert_int_equal (f->duration, STRATUS_TIME_NEVER);
  f = g_ptr_array_index (s->faults, 4);
  assert_int_equal (f->database, 0);
  f = g_ptr_array_index (s->faults, 5);
  assert_int_equal (f->duration, 60 * STRATUS_SECOND); /* a reboot's default */
  assert_string_equal (stratus_fault_kind_name (f->kind), "db_reboot");
  stratus_scenario_free (s);
}

/* `faults` with one fault `text` is refused at `prefix` with each needle. */
#define expect_fault_error(text, prefix, ...)                                              \
  do                                                                                        \
    {                                                                                       \
      char *text_ = with_faults (text);                                                     \
      check_message (load_error (text_), prefix, NEEDLES (__VA_ARGS__));                    \
      g_free (text_);                                                                       \
    }                                                                                       \
  while (0)

/* Bad faults: one line each, at the key at fault. */
static void
test_parse_errors (void **state)
{
  expect_fault_error ("  f: {action: az_power_interuption, az: us-east-1a, at: 1m}\n",
                      "t.yaml:31:15: ", "did you mean 'az_power_interruption'");
  expect_fault_error ("  f: {action: az_power_interruption, az: us-east-1d, at: 1m}\n",
                      "t.yaml:31:42: ", "az: unknown AZ 'us-east-1d'", "did you mean");
  expect_fault_error ("  f: {action: az_power_interruption, at: 1m}\n", "t.yaml:31:6: ",
                      "missing required key 'az'");
  expect_fault_error ("  f: {action: stop_instances, target: wbe, at: 1m}\n", "t.yaml:31:39: ",
                      "target: no fleet or Auto Scaling group named 'wbe'",
                      "did you mean 'web'");
  expect_fault_error ("  f: {action: stop_instances, target: web, count: 1, percent: 5, at: "
                      "1m}\n",
                      "t.yaml:31:63: ", "percent: give count or percent, not both");
  expect_fault_error ("  f: {action: stop_instances, target: web, percent: 150, at: 1m}\n",
                      "t.yaml:31:53: ", "percent: must be above 0 and at most 100");
  expect_fault_error ("  f: {action: terminate_instances, target: web, at: 1m, duration: "
                      "5m}\n",
                      "t.yaml:31:", "duration: not a key of a terminate_instances fault");
  expect_fault_error ("  f: {action: db_failover, database: db, az: us-east-1a, at: 1m}\n",
                      "t.yaml:31:", "az: not a key of a db_failover fault");
  expect_fault_error ("  f: {action: db_failover, database: dbb, at: 1m}\n", "t.yaml:31:",
                      "database: no database named 'dbb'");
  expect_fault_error ("  f: {action: insufficient_capacity, az: us-east-1a, at: 40m}\n",
                      "t.yaml:31:", "at: 40m is not within the run (duration 30m)");
  expect_fault_error ("  f: {action: insufficient_capacity, az: us-east-1a, at: 1m, dur: "
                      "1m}\n",
                      "t.yaml:31:", "dur", "did you mean 'duration'");
}

/* ---- the model --------------------------------------------------------------------------- */

/* us-east-1a loses power from 5 to 15 minutes: its instances stop at 5 min, the group's
 * replacements launch in the other AZs only until the end, the database fails over to its
 * reader in us-east-1b, the fixed fleet's two stopped instances start again at the end,
 * and launches into us-east-1a resume once it is back. */
static void
test_az_power_interruption (void **state)
{
  g_autoptr (StratusRunResult) r = run_with ("  dark: {action: az_power_interruption, az: "
                                             "us-east-1a, at: 5m, duration: 10m}\n");
  StratusTime start = 300 * STRATUS_SECOND, end = 900 * STRATUS_SECOND;
  GPtrArray *terminated = events (r, STRATUS_EVENT_TERMINATE, NULL);
  guint stopped_in_a = 0;
  for (guint i = 0; i < terminated->len; i++)
    if (at (terminated, i)->at == start)
      {
        assert_string_equal (at (terminated, i)->az, "us-east-1a");
        stopped_in_a++;
      }
  assert_int_equal (stopped_in_a, 4); /* two of the group's and two of the fleet's */
  g_ptr_array_unref (terminated);

  GPtrArray *launches = events (r, STRATUS_EVENT_LAUNCH, "web");
  guint during = 0, back_in_a = 0;
  for (guint i = 0; i < launches->len; i++)
    {
      const StratusTimelineEvent *e = at (launches, i);
      if (e->at >= start && e->at < end)
        {
          assert_string_not_equal (e->az, "us-east-1a");
          during++;
        }
      if (e->at >= end && strcmp (e->az, "us-east-1a") == 0)
        back_in_a++;
    }
  assert_int_equal (during, 2);  /* the two stopped ones replaced at once */
  assert_true (back_in_a >= 1);  /* rebalancing brings the group back into us-east-1a */
  g_ptr_array_unref (launches);

  GPtrArray *api = events (r, STRATUS_EVENT_LAUNCH, "api");
  assert_int_equal (api->len, 0); /* a fixed fleet's launches are not in the timeline... */
  g_ptr_array_unref (api);
  guint api_alive_end = 0;
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *inst = &g_array_index (r->instances, StratusInstanceResult, i);
      if (strcmp (inst->fleet, "api") == 0 && inst->terminated == STRATUS_TIME_NEVER)
        {
          api_alive_end++;
          if (inst->launched == end)
            assert_string_equal (inst->az, "us-east-1a"); /* ... but its restarts are there */
        }
    }
  assert_int_equal (api_alive_end, 6);

  const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
  assert_int_equal (d->failovers, 1);
  const StratusFailoverRecord *f = &g_array_index (d->failover_log, StratusFailoverRecord, 0);
  assert_int_equal (f->failed, start);
  assert_int_equal (f->completed, start + 20 * STRATUS_SECOND);
  GPtrArray *faults = events (r, STRATUS_EVENT_FAULT_START, NULL);
  assert_int_equal (faults->len, 1);
  assert_string_equal (at (faults, 0)->subject, "dark");
  g_ptr_array_unref (faults);
  faults = events (r, STRATUS_EVENT_FAULT_END, NULL);
  assert_int_equal (faults->len, 1);
  assert_int_equal (at (faults, 0)->at, end);
  g_ptr_array_unref (faults);
}

/* Clients reach us-east-1a's load-balancer node while DNS still names it (30 s to detect,
 * then the clients' 60 s TTL): their requests time out (504); after that they reach the
 * other nodes only, and nothing times out until the AZ is back. */
static void
test_dns_drops_a_dead_node (void **state)
{
  char *text = with_faults ("  dark: {action: az_power_interruption, az: us-east-1a, at: 5m, "
                            "duration: 10m}\n");
  const char *const overrides[] = { "report.interval=10s", NULL };
  StratusScenario *s = load_ok_with (text, overrides);
  g_free (text);
  StratusRunOptions options = { .seed = 1 };
  g_autoptr (StratusRunResult) r = stratus_model_run (s, &options);
  StratusTime down = 300 * STRATUS_SECOND, gone = down + 90 * STRATUS_SECOND;
  uint64_t early = 0, late = 0;
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      uint64_t timeouts = row.outcomes[STRATUS_OUTCOME_504_CLIENT_TIMEOUT];
      if (row.start >= down + 30 * STRATUS_SECOND && row.start < gone)
        early += timeouts; /* sent in the first minute, timed out 30 s later */
      if (row.start >= gone + 30 * STRATUS_SECOND && row.start < 900 * STRATUS_SECOND)
        late += timeouts;
    }
  assert_true (early > 1000);
  assert_int_equal (late, 0);
  stratus_scenario_free (s);
}

/* Connectivity to us-east-1b is cut at 5 min (its instances keep running): the load
 * balancer notices each of its targets there through health checks, between (unhealthy
 * threshold - 1) x interval and unhealthy threshold x interval + timeout after the cut
 * (threshold 2, interval 10 s, timeout 2 s: 10 to 22 s), and only those. */
static void
test_detection_by_health_checks (void **state)
{
  g_autoptr (StratusRunResult) r = run_with ("  cut: {action: disrupt_connectivity, az: "
                                             "us-east-1b, at: 5m, duration: 5m}\n");
  StratusTime cut = 300 * STRATUS_SECOND;
  GPtrArray *health = events (r, STRATUS_EVENT_HEALTH, "web");
  GHashTable *first = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < health->len; i++)
    {
      const StratusTimelineEvent *e = at (health, i);
      if (e->at >= cut && e->at < cut + 300 * STRATUS_SECOND
          && g_str_has_suffix (e->detail, "-> unhealthy")
          && !g_hash_table_contains (first, e->subject))
        {
          assert_string_equal (e->az, "us-east-1b");
          double detection = stratus_time_seconds (e->at - cut);
          assert_true (detection >= 10 && detection <= 22);
          g_hash_table_add (first, e->subject);
        }
    }
  assert_int_equal (g_hash_table_size (first), 2); /* the group's two targets there */
  g_hash_table_unref (first);
  g_ptr_array_unref (health);
  /* Nothing was stopped: the instances there only went unhealthy. */
  GPtrArray *faults = events (r, STRATUS_EVENT_FAULT_START, NULL);
  assert_int_equal (faults->len, 1);
  g_ptr_array_unref (faults);
}

/* A permanent loss of us-east-1c: the group keeps its 6 instances, three in each AZ left. */
static void
test_permanent_az_loss_balances (void **state)
{
  g_autoptr (StratusRunResult) r = run_with ("  gone: {action: az_power_interruption, az: "
                                             "us-east-1c, at: 5m}\n");
  unsigned per_az[3] = { 0 };
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *inst = &g_array_index (r->instances, StratusInstanceResult, i);
      if (strcmp (inst->fleet, "web") == 0 && inst->terminated == STRATUS_TIME_NEVER)
        per_az[inst->az[9] - 'a']++;
    }
  assert_int_equal (per_az[0], 3);
  assert_int_equal (per_az[1], 3);
  assert_int_equal (per_az[2], 0);
  assert_true (g_array_index (r->groups, StratusGroupResult, 0).desired_end == 6);
}

/* stop_instances (2 of the group's, 5 minutes) and terminate_instances (half the fixed
 * fleet): exactly those many go at their time; the group replaces its own; the fleet's
 * terminated ones never come back. */
static void
test_stop_and_terminate (void **state)
{
  g_autoptr (StratusRunResult) r = run_with ("  two: {action: stop_instances, target: web, "
                                             "count: 2, at: 3m, duration: 5m}\n"
                                             "  half: {action: terminate_instances, target: "
                                             "api, percent: 50, at: 4m}\n");
  unsigned web_at_3m = 0, api_at_4m = 0, api_alive = 0;
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *inst = &g_array_index (r->instances, StratusInstanceResult, i);
      if (strcmp (inst->fleet, "web") == 0 && inst->terminated == 180 * STRATUS_SECOND)
        web_at_3m++;
      if (strcmp (inst->fleet, "api") == 0 && inst->terminated == 240 * STRATUS_SECOND)
        api_at_4m++;
      if (strcmp (inst->fleet, "api") == 0 && inst->terminated == STRATUS_TIME_NEVER)
        api_alive++;
    }
  assert_int_equal (web_at_3m, 2);
  assert_int_equal (api_at_4m, 3);
  assert_int_equal (api_alive, 3);
  GPtrArray *launches = events (r, STRATUS_EVENT_LAUNCH, "web");
  guint replaced = 0;
  for (guint i = 0; i < launches->len; i++)
    replaced += at (launches, i)->at == 180 * STRATUS_SECOND;
  assert_int_equal (replaced, 2);
  g_ptr_array_unref (launches);
}

/* us-east-1a has no capacity from the start: when us-east-1b loses power, its
 * replacements all go to us-east-1c. */
static void
test_insufficient_capacity (void **state)
{
  g_autoptr (StratusRunResult) r = run_with ("  full: {action: insufficient_capacity, az: "
                                             "us-east-1a, at: 1m}\n"
                                             "  dark: {action: az_power_interruption, az: "
                                             "us-east-1b, at: 5m, duration: 5m}\n");
  GPtrArray *launches = events (r, STRATUS_EVENT_LAUNCH, "web");
  guint after = 0;
  for (guint i = 0; i < launches->len; i++)
    if (at (launches, i)->at >= 60 * STRATUS_SECOND)
      {
        assert_string_not_equal (at (launches, i)->az, "us-east-1a");
        after++;
      }
  assert_true (after >= 2);
  g_ptr_array_unref (launches);
}

/* db_failover through a fault: the reader becomes the writer after its promotion time;
 * db_reboot: 90 s without a writer and no failover. */
static void
test_db_faults (void **state)
{
  {
    g_autoptr (StratusRunResult) r = run_with ("  fo: {action: db_failover, database: db, at: "
                                               "2m}\n");
    const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
    assert_int_equal (d->failovers, 1);
    const StratusFailoverRecord *f = &g_array_index (d->failover_log, StratusFailoverRecord, 0);
    assert_true (f->manual);
    assert_int_equal (f->completed - f->failed, 15 * STRATUS_SECOND);
  }
  {
    g_autoptr (StratusRunResult) r = run_with ("  rb: {action: db_reboot, database: db, at: "
                                               "2m, duration: 90s}\n");
    const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
    assert_int_equal (d->failovers, 0);
    assert_true (fabs (stratus_time_seconds (d->downtime) - 90) < 1e-6);
    assert_true (d->failed[STRATUS_QUERY_FAIL_REFUSED] > 1000);
  }
}

/* Every chart shades the lasting faults (a permanent one to the end), not the
 * instantaneous ones. */
static void
test_fault_spans_on_charts (void **state)
{
  char *text = with_faults ("  dark: {action: az_power_interruption, az: us-east-1a, at: 5m, "
                            "duration: 10m}\n"
                            "  full: {action: insufficient_capacity, az: us-east-1c, at: 20m}\n"
                            "  fo: {action: db_failover, database: db, at: 2m}\n");
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  const char *names[] = { "latency", "throughput", "capacity-web", "database-db" };
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      StratusChart *chart = stratus_charts_build (report, names[i]);
      assert_non_null (chart);
      assert_int_equal (stratus_chart_span_count (chart), 2);
      double from, to;
      stratus_chart_span (chart, 0, &from, &to);
      assert_true (from == 300 && to == 900);
      stratus_chart_span (chart, 1, &from, &to);
      assert_true (from == 1200 && isinf (to));
      stratus_chart_free (chart);
    }
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* Availability from the rows: an interval is down above 5% failed requests (10% here);
 * the fault's recovery is the first up interval after its down ones, and the requests it
 * failed those of its down intervals; no figure without faults. */
static void
test_availability_figures (void **state)
{
  char *text = with_faults ("  dark: {action: az_power_interruption, az: us-east-1a, at: 5m, "
                            "duration: 10m}\n");
  const char *const overrides[] = { "report.downtime_threshold=10%", NULL };
  StratusScenario *s = load_ok_with (text, overrides);
  g_free (text);
  assert_float_equal (s->downtime_threshold, 0.1, 1e-12);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  double down_s = 0, intervals = 0;
  StratusTime recovered = -1;
  uint64_t failed = 0;
  bool seen_down = false;
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      uint64_t bad = stratus_outcome_failed_total (row.outcomes);
      uint64_t answered = bad + row.outcomes[STRATUS_OUTCOME_OK];
      bool down = answered ? (double) bad / (double) answered > 0.1 : row.arrivals > 0;
      if (down)
        {
          down_s += stratus_time_seconds (row.length);
          intervals++;
        }
      if (row.start + row.length > 300 * STRATUS_SECOND && recovered < 0)
        {
          if (down)
            {
              seen_down = true;
              failed += bad;
            }
          else if (seen_down)
            recovered = row.start;
        }
    }
  assert_true (seen_down && recovered > 300 * STRATUS_SECOND);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, r);
  double v;
  assert_true (stratus_report_figure (report, "availability.downtime_s", &v, NULL));
  assert_true (v == down_s && v > 0);
  assert_true (stratus_report_figure (report, "availability.intervals_down", &v, NULL));
  assert_true (v == intervals);
  assert_true (stratus_report_figure (report, "faults.dark.time_to_recover_s", &v, NULL));
  assert_true (v == stratus_time_seconds (recovered - 300 * STRATUS_SECOND));
  assert_true (stratus_report_figure (report, "faults.dark.requests_failed", &v, NULL));
  assert_true (v == (double) failed && v > 1000);
  assert_true (stratus_report_figure (report, "availability.success_ratio", &v, NULL));
  assert_true (fabs (v - (double) r->outcomes[STRATUS_OUTCOME_OK] / (double) r->total) < 1e-12);
  char *txt = stratus_report_text (report);
  assert_non_null (strstr (txt, "Availability (an interval is down above 10% failed requests)"));
  assert_non_null (strstr (txt, "dark             az_power_interruption  at 00:05:00"));
  g_free (txt);
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  s = load_ok (base);
  r = stratus_model_run (s, &options);
  report = stratus_report_new (s);
  stratus_report_add (report, r);
  assert_false (stratus_report_figure (report, "availability.success_ratio", NULL, NULL));
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* Clients that retry: every attempt fails (the application's call to a payment API times
 * out after 1 ms: 502), so each request is tried exactly max_attempts times: the offered load is 3 times the
 * requests; without `retry`, once. */
static void
test_retries_multiply_offered_load (void **state)
{
  static const char yaml[] = "duration: 2m\n"
                             "warmup: 0s\n"
                             "azs: [us-east-1a, us-east-1b]\n"
                             "load_balancers:\n"
                             "  alb: {target_group: web}\n"
                             "instances:\n"
                             "  web: {count: 2, type: c5.large, workers: 64, service_time: 1ms, "
                             "target_group: web, outbound: {pay: {destination: 203.0.113.10, "
                             "port: 443, service_time: 1s, timeout: 1ms}}}\n"
                             "workload:\n"
                             "  users: {entry: alb, rate: 100/s, timeout: 10s, "
                             "retry: {max_attempts: 3, base: 10ms, cap: 50ms}}\n";
  StratusScenario *s = load_ok (yaml);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  assert_true (r->total > 10000);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_502_CALL_FAILED], r->total);
  /* Two retries per request that ended; those still in flight at the end have had 0-2. */
  assert_true (r->retries >= 2 * r->total && r->retries <= 2 * (r->total + r->in_flight_at_end));
  uint64_t row_retries = 0, row_arrivals = 0;
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      row_retries += row.retries;
      row_arrivals += row.arrivals;
    }
  assert_int_equal (row_retries, r->retries);
  /* Offered load: about three attempts per request. */
  assert_true (fabs ((double) (row_arrivals + row_retries) / (double) row_arrivals - 3) < 0.01);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, r);
  double offered = 0;
  assert_true (stratus_report_figure (report, "requests.offered_with_retries", &offered, NULL));
  assert_true (offered == (double) (r->total + r->retries));
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  const char *const once[] = { "workload.users.retry.max_attempts=1", NULL };
  s = load_ok_with (yaml, once);
  r = stratus_model_run (s, &options);
  assert_int_equal (r->retries, 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* The retry quota (`retry.quota`, the AWS SDKs' standard-mode token bucket): every attempt
 * fails and nothing succeeds, so nothing is ever given back and the clients retry exactly
 * as often as the quota pays for, then never again. A 502 (the payment call of
 * test_retries_multiply_offered_load failing) costs 5 tokens: 50 tokens pay 10 retries,
 * and 54 still 10 (the 4 left cannot pay a fifth). A client timeout costs 10: 50 tokens
 * pay 5. Without a quota every request makes its 3 attempts: 2 retries each. */
static void
test_retry_quota_caps_retries (void **state)
{
  static const char yaml[] = "duration: 2m\n"
                             "warmup: 0s\n"
                             "azs: [us-east-1a, us-east-1b]\n"
                             "load_balancers:\n"
                             "  alb: {target_group: web}\n"
                             "instances:\n"
                             "  web: {count: 2, type: c5.large, workers: 256, service_time: 1ms, "
                             "target_group: web, outbound: {pay: {destination: 203.0.113.10, "
                             "port: 443, service_time: 1s, timeout: 1ms}}}\n"
                             "workload:\n"
                             "  users: {entry: alb, rate: 100/s, timeout: 10s, "
                             "retry: {max_attempts: 3, base: 0s, quota: 50}}\n";
  static const struct
  {
    const char *overrides[3];
    StratusOutcome outcome; /* every request's */
    uint64_t retries;       /* exactly; 0: no quota, 2 per request */
  } cases[] = {
    { { NULL }, STRATUS_OUTCOME_502_CALL_FAILED, 10 },
    { { "workload.users.retry.quota=54", NULL }, STRATUS_OUTCOME_502_CALL_FAILED, 10 },
    /* The call waits 5 s for an answer that takes 1 s; the clients give up after 100 ms. */
    { { "instances.web.outbound.pay.timeout=5s", "workload.users.timeout=100ms", NULL },
      STRATUS_OUTCOME_504_CLIENT_TIMEOUT, 5 },
    { { "workload.users.retry.quota=0", NULL }, STRATUS_OUTCOME_502_CALL_FAILED, 0 },
  };
  for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      StratusScenario *s = load_ok_with (yaml, cases[c].overrides);
      StratusRunOptions options = { .seed = 1 };
      StratusRunResult *r = stratus_model_run (s, &options);
      print_message ("quota case %zu: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                     " retries, %" G_GUINT64_FORMAT " in flight at the end\n",
                     c, r->total, r->retries, r->in_flight_at_end);
      assert_true (r->total > 10000);
      assert_int_equal (r->outcomes[cases[c].outcome], r->total);
      if (cases[c].retries > 0)
        {
          assert_int_equal (r->retries, cases[c].retries);
          /* All of them at once, in the first interval: the quota is empty after that. */
          uint64_t first = 0, rows = 0;
          for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
            {
              StratusIntervalRow row = stratus_run_result_interval (r, i);
              rows += row.retries;
              if (i == 0)
                first = row.retries;
            }
          assert_int_equal (first, cases[c].retries);
          assert_int_equal (rows, cases[c].retries);
        }
      else
        /* Two retries per request that ended; those still in flight at the end had 0-2. */
        assert_true (r->retries >= 2 * r->total
                     && r->retries <= 2 * (r->total + r->in_flight_at_end));
      stratus_run_result_free (r);
      stratus_scenario_free (s);
    }
}

/* Successes fill the quota again (1 token each, up to the quota): two outages far apart
 * get 10 retries each (50 tokens / 5); were nothing given back, the second would get
 * none. */
static void
test_retry_quota_refills (void **state)
{
  static const char yaml[]
    = "duration: 2m\nwarmup: 0s\nazs: [us-east-1a, us-east-1b]\n"
      "load_balancers:\n  alb: {target_group: web}\n"
      "instances:\n  web: {count: 2, type: c5.large, workers: 64, service_time: 1ms, "
      "target_group: web}\n"
      "workload:\n  users: {entry: alb, rate: 100/s, timeout: 10s, "
      "retry: {max_attempts: 3, base: 0s, quota: 50}}\n"
      "report: {interval: 10s}\n"
      "faults:\n"
      "  one: {action: stop_instances, target: web, at: 20s, duration: 10s}\n"
      "  two: {action: stop_instances, target: web, at: 80s, duration: 10s}\n";
  StratusScenario *s = load_ok (yaml);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  uint64_t first = 0, second = 0;
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      if (row.start < 60 * STRATUS_SECOND)
        first += row.retries;
      else
        second += row.retries;
    }
  assert_true (r->outcomes[STRATUS_OUTCOME_503_NO_TARGETS] > 1000);
  assert_int_equal (first, 10);
  assert_int_equal (second, 10);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse),
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test (test_az_power_interruption),
    cmocka_unit_test (test_dns_drops_a_dead_node),
    cmocka_unit_test (test_detection_by_health_checks),
    cmocka_unit_test (test_permanent_az_loss_balances),
    cmocka_unit_test (test_stop_and_terminate),
    cmocka_unit_test (test_insufficient_capacity),
    cmocka_unit_test (test_db_faults),
    cmocka_unit_test (test_fault_spans_on_charts),
    cmocka_unit_test (test_retries_multiply_offered_load),
    cmocka_unit_test (test_availability_figures),
    cmocka_unit_test (test_retry_quota_caps_retries),
    cmocka_unit_test (test_retry_quota_refills),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
