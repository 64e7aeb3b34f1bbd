/* Behaviour of the first model: hop latencies, ALB algorithms, 503 on a full queue or no
 * targets, 504 on client timeout, warm-up, rate shapes, conservation of requests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tmpdir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/alb.h"
#include "stratus/model.h"

/* Header of a one-fleet scenario; %s slots: azs list, latency map. */
static StratusScenario *
load (const char *text, const char *const *overrides)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "model.yaml", overrides, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  return s;
}

static StratusRunResult *
run (const StratusScenario *s, uint32_t replication)
{
  StratusRunOptions options = { .seed = s->seed, .replication = replication };
  return stratus_model_run (s, &options);
}

static uint64_t
arrivals_in_rows (const StratusRunResult *r)
{
  uint64_t n = 0;
  for (guint i = 0; i < stratus_run_result_interval_count (r); i++)
    n += stratus_run_result_interval (r, i).arrivals;
  return n;
}

/* Every request sent in the window is answered, timed out, or still in flight at the end. */
static void
assert_conservation (const StratusRunResult *r)
{
  assert_int_equal (r->total, r->outcomes[STRATUS_OUTCOME_OK] + stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503) + stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504));
  assert_int_equal (arrivals_in_rows (r), r->total + r->in_flight_at_end);
  assert_int_equal (stratus_histogram_count (r->latency), r->outcomes[STRATUS_OUTCOME_OK]);
}

static const char *const base_yaml =
  "duration: 10m\n"
  "azs: [us-east-1a]\n"
  "latency: {same_az: 0.1ms, cross_az: 0.6ms, internet: 15ms}\n"
  "load_balancers:\n"
  "  lb: {processing_time: 0.5ms, target_group: tg}\n"
  "instances:\n"
  "  web: {count: 2, type: c5.4xlarge, workers: 1000, service_time: 10ms, target_group: tg}\n"
  "workload:\n"
  "  users: {entry: lb, rate: 50/s}\n";

static void
model_latency_is_the_sum_of_hops_and_service (void **state)
{
  (void) state;
  StratusScenario *s = load (base_yaml, NULL);
  StratusRunResult *r = run (s, 0);
  /* 2 x internet + ALB processing + 2 x same-AZ hop + service, never any queueing. */
  uint64_t expected = 2 * 15000000 + 500000 + 2 * 100000 + 10000000;
  assert_true (r->outcomes[STRATUS_OUTCOME_OK] > 20000);
  assert_int_equal (stratus_histogram_min (r->latency), expected);
  assert_int_equal (stratus_histogram_max (r->latency), expected);
  assert_int_equal (r->waited, 0);
  assert_conservation (r);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_cross_zone_hops_cost_cross_az_latency (void **state)
{
  (void) state;
  const char *const overrides[] = { "azs=[us-east-1a, us-east-1b]", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  uint64_t same = 2 * 15000000 + 500000 + 2 * 100000 + 10000000;
  uint64_t cross = same + 2 * 500000;
  assert_int_equal (stratus_histogram_min (r->latency), same);
  assert_int_equal (stratus_histogram_max (r->latency), cross);
  /* Cross-zone balancing: both nodes reach both targets, so about half the requests cross. */
  double mean = stratus_histogram_mean (r->latency);
  double cross_share = (mean - (double) same) / (double) (cross - same);
  assert_true (cross_share > 0.4 && cross_share < 0.6);
  /* Instances are spread over the AZs. */
  const StratusInstanceResult *i0 = &g_array_index (r->instances, StratusInstanceResult, 0);
  const StratusInstanceResult *i1 = &g_array_index (r->instances, StratusInstanceResult, 1);
  assert_string_equal (i0->az, "us-east-1a");
  assert_string_equal (i1->az, "us-east-1b");
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_round_robin_spreads_requests_evenly (void **state)
{
  (void) state;
  const char *const overrides[] = { "instances.web.count=4", "azs=[us-east-1a, us-east-1b]", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  uint64_t lo = UINT64_MAX, hi = 0;
  for (guint i = 0; i < r->instances->len; i++)
    {
      uint64_t n = g_array_index (r->instances, StratusInstanceResult, i).served;
      lo = MIN (lo, n);
      hi = MAX (hi, n);
    }
  assert_true (lo > 5000);
  assert_true (hi - lo <= 4); /* each node rotates on its own: off by a few at most */
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static const char *const mixed_fleet_yaml =
  "duration: 10m\n"
  "azs: [us-east-1a]\n"
  "latency: {same_az: 0s, cross_az: 0s, internet: 0s}\n"
  "load_balancers:\n"
  "  lb: {processing_time: 0s, target_group: tg, algorithm: %s}\n"
  "instances:\n"
  "  fast: {count: 1, workers: 1, service_time: {dist: exponential, mean: 5ms}, target_group: tg}\n"
  "  slow: {count: 1, workers: 1, service_time: {dist: exponential, mean: 50ms}, target_group: tg}\n"
  "workload:\n"
  "  users: {entry: lb, rate: 30/s}\n";

/* Each load-balancer node chooses by its own outstanding counts, as a real ALB node does:
 * node 0 has three requests out at target 1; node 1, which sent nothing, still takes the
 * first target of its rotation (target 1), where a view shared by all nodes would send it to
 * target 0. */
static void
alb_least_outstanding_requests_counts_per_node (void **state)
{
  (void) state;
  StratusScenario *s = load ("duration: 1m\n"
                             "azs: [us-east-1a, us-east-1b]\n"
                             "load_balancers:\n"
                             "  lb: {target_group: tg, algorithm: least_outstanding_requests}\n"
                             "instances:\n"
                             "  web: {count: 2, workers: 1, service_time: 1ms, target_group: tg}\n"
                             "workload:\n"
                             "  users: {entry: lb, rate: 1/s}\n",
                             NULL);
  StratusTopology *topology = stratus_topology_new (s);
  const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, 0);
  GPtrArray *instances = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);
  LoadBalancer *lb = alb_new (s, 0, topology);
  assert_int_equal (lb->n_nodes, 2);
  for (unsigned i = 0; i < 2; i++)
    {
      StratusPlacement where = stratus_placement_instance (s, fleet, i);
      Instance *inst = instance_new (i, i == 0 ? "web-1" : "web-2", fleet, 0, where, NULL, 0);
      g_ptr_array_add (instances, inst);
      alb_set_in_service (lb, alb_add_target (lb, inst), true);
    }
  alb_stagger (lb);
  assert_int_equal (lb->nodes[1].cursor, 1);
  for (int i = 0; i < 3; i++)
    alb_sent (lb, 0, 1);
  assert_int_equal (alb_pick (lb, 1, 0), 1); /* its own counts: all zero */
  alb_sent (lb, 1, 1);
  assert_int_equal (alb_pick (lb, 0, 0), 0); /* node 0 knows target 1 is busy */
  alb_sent (lb, 0, 0);
  /* Node 1 now has one out at target 1 and none at 0: it goes to 0. */
  assert_int_equal (alb_pick (lb, 1, 0), 0);
  /* Answers lower the sending node's counts only. */
  for (int i = 0; i < 3; i++)
    alb_answered (lb, 0, 1);
  assert_int_equal (lb->nodes[0].outstanding[1], 0);
  assert_int_equal (lb->nodes[1].outstanding[1], 1);
  /* A target taken out of service is never picked; slots stay put. */
  alb_set_in_service (lb, 0, false);
  for (int i = 0; i < 4; i++)
    assert_int_equal (alb_pick (lb, (unsigned) i % 2, 0), 1);
  alb_set_in_service (lb, 1, false);
  assert_int_equal (alb_pick (lb, 0, 0), -1);
  alb_free (lb);
  g_ptr_array_unref (instances);
  stratus_topology_free (topology);
  stratus_scenario_free (s);
}

static void
model_least_outstanding_requests_favours_the_faster_target (void **state)
{
  (void) state;
  char *rr_text = g_strdup_printf (mixed_fleet_yaml, "round_robin");
  char *lor_text = g_strdup_printf (mixed_fleet_yaml, "least_outstanding_requests");
  StratusScenario *rr = load (rr_text, NULL), *lor = load (lor_text, NULL);
  StratusRunResult *a = run (rr, 0), *b = run (lor, 0);
  uint64_t rr_fast = g_array_index (a->instances, StratusInstanceResult, 0).served;
  uint64_t rr_slow = g_array_index (a->instances, StratusInstanceResult, 1).served;
  uint64_t lor_fast = g_array_index (b->instances, StratusInstanceResult, 0).served;
  uint64_t lor_slow = g_array_index (b->instances, StratusInstanceResult, 1).served;
  /* Round robin alternates blindly; least outstanding requests sends the next request to
   * the idle fast target while the slow one is still busy (measured: about 1.9 to 1). */
  assert_true (llabs ((long long) rr_fast - (long long) rr_slow) <= 1);
  assert_true (lor_fast > 3 * lor_slow / 2);
  /* And it pays: the mean latency drops (measured: 22 ms against 85 ms). */
  assert_true (stratus_histogram_mean (b->latency) < 0.5 * stratus_histogram_mean (a->latency));
  stratus_run_result_free (a);
  stratus_run_result_free (b);
  stratus_scenario_free (rr);
  stratus_scenario_free (lor);
  g_free (rr_text);
  g_free (lor_text);
}

static void
model_full_queue_refuses_with_503 (void **state)
{
  (void) state;
  /* One worker, room for 2 waiting, 100 ms each: capacity 10/s against 50/s offered. */
  const char *const overrides[] = { "instances.web.count=1", "instances.web.workers=1",
                                    "instances.web.queue_limit=2", "instances.web.service_time=100ms",
                                    NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  assert_conservation (r);
  double window = stratus_time_seconds (r->window);
  /* The instance is saturated: it completes its capacity and refuses the rest. */
  assert_true (fabs ((double) r->outcomes[STRATUS_OUTCOME_OK] / window - 10.0) < 0.5);
  assert_true (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503) > r->outcomes[STRATUS_OUTCOME_OK] * 3);
  assert_int_equal (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504), 0);
  /* Nobody waits longer than the two ahead of them plus the one in service. */
  assert_true (stratus_histogram_max (r->latency) <= 2 * 15000000 + 500000 + 200000 + 300000000);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_no_registered_targets_gives_503 (void **state)
{
  (void) state;
  const char *const overrides[] = { "instances.web.count=0", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  assert_true (r->total > 20000);
  assert_int_equal (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503), r->total);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_client_timeout_gives_504_at_the_deadline (void **state)
{
  (void) state;
  /* Service takes 2 s, the client waits 1 s: every request times out. */
  const char *const overrides[] = { "instances.web.service_time=2s", "workload.users.timeout=1s",
                                    NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  assert_conservation (r);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], 0);
  assert_true (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504) > 20000);
  /* Requests sent in the last second are still waiting at the end. */
  assert_true (r->in_flight_at_end > 20 && r->in_flight_at_end < 100);
  /* The 504s land in the interval of their deadline: the first minute holds only 59 s. */
  StratusIntervalRow first = stratus_run_result_interval (r, 0);
  assert_true (stratus_outcome_kind_total (first.outcomes, STRATUS_KIND_504) < first.arrivals);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_response_after_the_timeout_counts_as_504 (void **state)
{
  (void) state;
  /* 30.7 ms of network plus 10 ms of service against a 35 ms timeout. */
  const char *const overrides[] = { "workload.users.timeout=35ms", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  assert_conservation (r);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], 0);
  assert_int_equal (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504), r->total);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_warmup_is_excluded (void **state)
{
  (void) state;
  const char *const overrides[] = { "warmup=5m", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  /* 50/s over the 5 measured minutes: 15000 expected, Poisson sd about 122. */
  assert_true (fabs ((double) arrivals_in_rows (r) - 15000.0) < 5 * 123);
  assert_int_equal (r->window, 5 * STRATUS_MINUTE);
  assert_int_equal (stratus_run_result_interval_count (r), 5);
  assert_int_equal (stratus_run_result_interval (r, 0).start, 5 * STRATUS_MINUTE);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* Arrivals per one-minute row against the shape's expectation, within 5 Poisson sd. */
static void
assert_rows_follow (const StratusRunResult *r, const double *per_second, guint n)
{
  assert_int_equal (stratus_run_result_interval_count (r), n);
  for (guint i = 0; i < n; i++)
    {
      double expected = per_second[i] * 60;
      double got = (double) stratus_run_result_interval (r, i).arrivals;
      if (fabs (got - expected) > 5 * sqrt (expected) + 1)
        fail_msg ("row %u: %g arrivals, expected %g", i, got, expected);
    }
}

static void
model_steps_and_spike_shapes_set_the_arrival_rate (void **state)
{
  (void) state;
  const char *const steps[] = {
    "workload.users.rate={shape: steps, steps: [{at: 0s, rate: 20/s}, {at: 2m, rate: 100/s}, "
    "{at: 4m, rate: 0/s}, {at: 6m, rate: 50/s}]}",
    NULL
  };
  StratusScenario *s = load (base_yaml, steps);
  StratusRunResult *r = run (s, 0);
  const double expect_steps[] = { 20, 20, 100, 100, 0, 0, 50, 50, 50, 50 };
  assert_rows_follow (r, expect_steps, 10);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  const char *const spike[] = {
    "workload.users.rate={shape: spike, base: 10/s, peak: 200/s, at: 3m, for: 2m}", NULL
  };
  s = load (base_yaml, spike);
  r = run (s, 0);
  const double expect_spike[] = { 10, 10, 10, 200, 200, 10, 10, 10, 10, 10 };
  assert_rows_follow (r, expect_spike, 10);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_diurnal_shape_peaks_at_peak_at (void **state)
{
  (void) state;
  const char *const overrides[] = {
    "duration=1d", "report.interval=1h",
    "workload.users.rate={shape: diurnal, min: 10/s, max: 50/s, period: 1d, peak_at: 14h}",
    NULL
  };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *r = run (s, 0);
  assert_int_equal (stratus_run_result_interval_count (r), 24);
  /* Over a whole period the mean rate is (min + max) / 2. */
  double expected = 30.0 * 86400;
  assert_true (fabs ((double) arrivals_in_rows (r) - expected) < 5 * sqrt (expected));
  /* Hour 13-14 is beside the peak (about 49.7/s); 1-2 beside the trough (about 10.3/s). */
  for (guint h = 0; h < 24; h++)
    {
      double mid = (h + 0.5) / 24.0 - 14.0 / 24.0;
      /* The hour's mean rate: integral of the cosine over the hour. */
      double hour_mean = 30 + 20 * (sin (2 * M_PI * (mid + 1.0 / 48)) - sin (2 * M_PI * (mid - 1.0 / 48)))
                                / (2 * M_PI / 24);
      double want = hour_mean * 3600;
      double got = (double) stratus_run_result_interval (r, h).arrivals;
      if (fabs (got - want) > 5 * sqrt (want))
        fail_msg ("hour %u: %g arrivals, expected %g", h, got, want);
    }
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
model_replayed_arrivals_arrive_exactly_then (void **state)
{
  (void) state;
  char *dir = g_dir_make_tmp ("stratus-model-XXXXXX", NULL);
  char *trace = g_build_filename (dir, "arrivals.csv", NULL);
  char *scenario = g_build_filename (dir, "s.yaml", NULL);
  GString *csv = g_string_new ("time_s\n");
  for (int i = 0; i < 1000; i++)
    g_string_append_printf (csv, "%d.25\n", i / 2);
  assert_true (g_file_set_contents (trace, csv->str, -1, NULL));
  char *yaml = g_strconcat (base_yaml, NULL);
  assert_true (g_file_set_contents (scenario, yaml, -1, NULL));
  const char *const overrides[] = { "workload.users.rate={shape: replay, file: arrivals.csv, "
                                    "format: arrivals}", NULL };
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (scenario, overrides, &error);
  assert_non_null (s);
  StratusRunResult *r = run (s, 0);
  /* 1000 arrivals, two per second in the first 500 s; all answered in 40.7 ms. */
  assert_int_equal (r->total, 1000);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], 1000);
  assert_int_equal (stratus_run_result_interval (r, 0).arrivals, 120);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  tmpdir_remove_tree (dir);
  g_free (yaml);
  g_string_free (csv, TRUE);
  g_free (scenario);
  g_free (trace);
  g_free (dir);
}

static void
model_same_seed_same_result_other_replication_differs (void **state)
{
  (void) state;
  const char *const overrides[] = { "instances.web.service_time={dist: exponential, mean: 30ms}",
                                    "instances.web.workers=2", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  StratusRunResult *a = run (s, 0), *b = run (s, 0), *c = run (s, 1);
  assert_int_equal (a->total, b->total);
  assert_true (stratus_histogram_mean (a->latency) == stratus_histogram_mean (b->latency));
  assert_true (stratus_histogram_max (a->latency) == stratus_histogram_max (b->latency));
  assert_true (a->total != c->total
               || stratus_histogram_mean (a->latency) != stratus_histogram_mean (c->latency));
  stratus_run_result_free (a);
  stratus_run_result_free (b);
  stratus_run_result_free (c);
  stratus_scenario_free (s);
}

static void
model_adding_a_fleet_keeps_other_streams (void **state)
{
  (void) state;
  /* Common random numbers: an extra workload and fleet elsewhere must not change the
   * arrivals or service times of the first. */
  StratusScenario *s = load (base_yaml, NULL);
  const char *const more[] = {
    "instances.other={count: 1, service_time: {dist: exponential, mean: 5ms}, target_group: tg2}",
    "load_balancers.lb2={target_group: tg2}", "workload.more={entry: lb2, rate: 7/s}", NULL
  };
  StratusScenario *t = load (base_yaml, more);
  StratusRunResult *a = run (s, 0), *b = run (t, 0);
  const StratusInstanceResult *web1a = &g_array_index (a->instances, StratusInstanceResult, 0);
  const StratusInstanceResult *web1b = &g_array_index (b->instances, StratusInstanceResult, 0);
  assert_int_equal (web1a->served, web1b->served);
  assert_true (stratus_histogram_max (a->latency) <= stratus_histogram_max (b->latency));
  assert_true (b->total > a->total);
  stratus_run_result_free (a);
  stratus_run_result_free (b);
  stratus_scenario_free (s);
  stratus_scenario_free (t);
}

/* ---- degenerate but legal layouts (docs/architecture.md, "Degenerate layouts") ---------- */

/* Every figure of `r` is there and finite: one row per report interval of the window
 * (`rows`), one result per instance (`instances`) with a row per interval each, and the
 * counts add up. */
static void
assert_complete (const StratusRunResult *r, size_t rows, guint instances)
{
  assert_conservation (r);
  assert_int_equal (stratus_run_result_interval_count (r), rows);
  for (size_t i = 0; i < rows; i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      double figures[] = { row.p50_ms, row.p99_ms, row.p999_ms, row.utilisation, row.in_system,
                           row.queue };
      for (size_t k = 0; k < G_N_ELEMENTS (figures); k++)
        assert_true (isfinite (figures[k]) && figures[k] >= 0);
      assert_true (row.utilisation <= 1.0);
    }
  assert_int_equal (r->instances->len, instances);
  for (guint i = 0; i < instances; i++)
    {
      const StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, i);
      assert_true (isfinite (ir->utilisation) && ir->utilisation >= 0 && ir->utilisation <= 1);
      assert_true (isfinite (ir->mean_queue) && isfinite (ir->mean_in_system));
    }
  assert_int_equal (stratus_run_result_instance_interval_count (r), rows * instances);
  for (size_t i = 0; i < rows * instances; i++)
    {
      StratusInstanceRow row = stratus_run_result_instance_interval (r, i);
      assert_true (isfinite (row.utilisation) && isfinite (row.queue));
    }
}

/* The scenario passes `validate` (every path it implies is open). */
static void
assert_checks (const StratusScenario *s)
{
  GError *error = NULL;
  if (!stratus_model_check (s, NULL, &error))
    fail_msg ("%s", error->message);
}

/* A fleet of no instances (the load balancer's group is empty): every request is a 503
 * from the load balancer, nothing is served, and the report has every figure (no instance
 * rows, utilisation 0). */
static void
model_empty_fleet_answers_503_with_a_complete_report (void **state)
{
  (void) state;
  const char *const overrides[] = { "instances.web.count=0", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  assert_checks (s);
  StratusRunResult *r = run (s, 0);
  assert_complete (r, 10, 0);
  assert_true (r->total > 20000);
  assert_int_equal (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503), r->total);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK] + stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_502) + stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504) + r->started, 0);
  for (size_t i = 0; i < 10; i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      assert_true (row.outcomes[STRATUS_OUTCOME_OK] == 0 && stratus_outcome_kind_total (row.outcomes, STRATUS_KIND_503) > 0);
      assert_true (row.utilisation == 0 && row.p99_ms == 0);
      /* The 503 goes back to the client: its bytes cross the internet both ways. */
      assert_true (row.bytes[STRATUS_BYTES_INTERNET_IN] > 0);
    }
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* Two load balancers, one of whose groups is empty: its clients get 503s, the other's are
 * served as if it were alone. */
static void
model_load_balancer_with_an_empty_group_answers_503 (void **state)
{
  (void) state;
  static const char *const yaml =
    "duration: 10m\n"
    "azs: [us-east-1a]\n"
    "load_balancers:\n"
    "  lb: {target_group: tg}\n"
    "  lonely: {target_group: nobody}\n"
    "instances:\n"
    "  web: {count: 2, type: c5.4xlarge, workers: 1000, service_time: 10ms, target_group: tg}\n"
    "  ghost: {count: 0, service_time: 10ms, target_group: nobody}\n"
    "workload:\n"
    "  users: {entry: lb, rate: 50/s}\n"
    "  strays: {entry: lonely, rate: 10/s}\n";
  StratusScenario *s = load (yaml, NULL);
  assert_checks (s);
  StratusRunResult *r = run (s, 0);
  assert_complete (r, 10, 2);
  /* About 10/s of 60/s are 503s; the rest is served. */
  double share = (double) stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503) / (double) r->total;
  assert_true (share > 0.14 && share < 0.19);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK] + stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503), r->total);
  assert_true (llabs ((long long) r->outcomes[STRATUS_OUTCOME_OK] - (long long) r->started) < 5);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* A fleet in no target group gets no traffic, but is reported like any other: served 0,
 * utilisation 0, its workers counted in the interval rows' utilisation. */
static void
model_instance_in_no_target_group_is_idle_and_reported (void **state)
{
  (void) state;
  static const char *const yaml =
    "duration: 10m\n"
    "azs: [us-east-1a]\n"
    "load_balancers:\n"
    "  lb: {target_group: tg}\n"
    "instances:\n"
    "  web: {count: 1, workers: 1, service_time: 10ms, target_group: tg}\n"
    "  spare: {count: 1, workers: 3, service_time: 10ms}\n"
    "workload:\n"
    "  users: {entry: lb, rate: 50/s}\n";
  StratusScenario *s = load (yaml, NULL);
  assert_checks (s);
  StratusRunResult *r = run (s, 0);
  assert_complete (r, 10, 2);
  const StratusInstanceResult *web = &g_array_index (r->instances, StratusInstanceResult, 0);
  const StratusInstanceResult *spare = &g_array_index (r->instances, StratusInstanceResult, 1);
  assert_string_equal (spare->name, "spare-1");
  assert_int_equal (spare->served, 0);
  assert_true (spare->utilisation == 0 && spare->mean_in_system == 0);
  assert_true (llabs ((long long) web->served - (long long) r->outcomes[STRATUS_OUTCOME_OK]) < 5); /* at the edges */
  /* web is half busy (50/s x 10 ms), its one worker of four in all. */
  assert_true (fabs (web->utilisation - 0.5) < 0.03);
  StratusIntervalRow row = stratus_run_result_interval (r, 5);
  assert_true (fabs (row.utilisation - 0.5 / 4) < 0.02);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* queue_limit 0: no request ever waits; one that finds every worker busy is refused (503)
 * at once. */
static void
model_queue_limit_zero_refuses_instead_of_queueing (void **state)
{
  (void) state;
  const char *const overrides[] = { "instances.web.count=1", "instances.web.workers=1",
                                    "instances.web.queue_limit=0", NULL };
  StratusScenario *s = load (base_yaml, overrides);
  assert_checks (s);
  StratusRunResult *r = run (s, 0);
  assert_complete (r, 10, 1);
  assert_int_equal (r->waited, 0);
  assert_true (r->wait_sum_ns == 0);
  /* Erlang's loss formula, M/D/1/1: a request is refused with probability
   * rho / (1 + rho) = 0.5 / 1.5. */
  double refused = (double) stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503) / (double) r->total;
  assert_true (fabs (refused - 1.0 / 3.0) < 0.02);
  const StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, 0);
  assert_true (ir->mean_queue < 1e-12);
  assert_true (llabs ((long long) ir->served - (long long) r->outcomes[STRATUS_OUTCOME_OK]) < 5);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (model_latency_is_the_sum_of_hops_and_service),
    cmocka_unit_test (model_cross_zone_hops_cost_cross_az_latency),
    cmocka_unit_test (model_round_robin_spreads_requests_evenly),
    cmocka_unit_test (alb_least_outstanding_requests_counts_per_node),
    cmocka_unit_test (model_least_outstanding_requests_favours_the_faster_target),
    cmocka_unit_test (model_full_queue_refuses_with_503),
    cmocka_unit_test (model_no_registered_targets_gives_503),
    cmocka_unit_test (model_client_timeout_gives_504_at_the_deadline),
    cmocka_unit_test (model_response_after_the_timeout_counts_as_504),
    cmocka_unit_test (model_warmup_is_excluded),
    cmocka_unit_test (model_steps_and_spike_shapes_set_the_arrival_rate),
    cmocka_unit_test (model_diurnal_shape_peaks_at_peak_at),
    cmocka_unit_test (model_replayed_arrivals_arrive_exactly_then),
    cmocka_unit_test (model_same_seed_same_result_other_replication_differs),
    cmocka_unit_test (model_adding_a_fleet_keeps_other_streams),
    cmocka_unit_test (model_empty_fleet_answers_503_with_a_complete_report),
    cmocka_unit_test (model_load_balancer_with_an_empty_group_answers_503),
    cmocka_unit_test (model_instance_in_no_target_group_is_idle_and_reported),
    cmocka_unit_test (model_queue_limit_zero_refuses_instead_of_queueing),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
