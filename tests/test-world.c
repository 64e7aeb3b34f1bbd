/* A world that changes while it runs: instances launched, registered and deregistered
 * mid-run through the internal API (stratus/model.h), the load balancer's idle timeout
 * with a slow target, calls to internal resources, and `validate` without an engine. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpdir.h"

#include "stratus/engine.h"
#include "result_checks.h"
#include "stratus/model.h"
#include "stratus/report.h"
#include "stratus/chart.h"
#include "stratus/plot.h"

static StratusScenario *
load (const char *text)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "world.yaml", NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  return s;
}

static const StratusInstanceResult *
instance (const StratusRunResult *r, unsigned id)
{
  assert_true (id < r->instances->len);
  return &g_array_index (r->instances, StratusInstanceResult, id);
}

/* ---- a fleet that grows from 2 to 6 instances and shrinks back to 3 ------------------ */

/* Deterministic service (10 ms), 60 requests/s round robin, one worker each. */
static const char *const growing_yaml =
  "duration: 600s\n"
  "warmup: 0s\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "latency: {same_az: 0s, cross_az: 0s, internet: 0s}\n"
  "load_balancers:\n"
  "  lb: {target_group: tg, processing_time: 0s}\n"
  "instances:\n"
  "  web: {count: 2, workers: 1, service_time: {dist: constant, mean: 10ms}, target_group: tg}\n"
  "workload:\n"
  "  users: {entry: lb, rate: 60/s, timeout: 30s}\n"
  "report: {interval: 10s}\n";

#define LAUNCH_AT (100 * STRATUS_SECOND)
#define REGISTER_AT (130 * STRATUS_SECOND)
#define SHRINK_AT (300 * STRATUS_SECOND)

typedef struct
{
  int launched[4];          /* ids of the four launched at 100 s */
  unsigned jobs_at_register; /* jobs on them just before they were registered */
  char state_before[16], state_after_drain[3][16];
} Growth;

static void
register_new (StratusModel *m, void *data)
{
  Growth *g = data;
  for (int i = 0; i < 4; i++)
    {
      g->jobs_at_register += stratus_model_instance_jobs (m, (unsigned) g->launched[i]);
      stratus_model_register (m, (unsigned) g->launched[i]);
    }
}

static void
launch_four (StratusModel *m, void *data)
{
  Growth *g = data;
  for (int i = 0; i < 4; i++)
    g->launched[i] = stratus_model_launch (m, "web");
  g_strlcpy (g->state_before, stratus_model_instance_state (m, (unsigned) g->launched[0]),
             sizeof g->state_before);
  stratus_model_at (m, REGISTER_AT, register_new, g);
}

/* One second after the shrink, the three that went. */
static void
after_drain (StratusModel *m, void *data)
{
  Growth *g = data;
  for (unsigned id = 3; id <= 5; id++)
    g_strlcpy (g->state_after_drain[id - 3], stratus_model_instance_state (m, id),
               sizeof g->state_after_drain[0]);
}

/* Back to 3: the three newest go (ids 3, 4, 5); each drains, then terminates. */
static void
shrink (StratusModel *m, void *data)
{
  for (unsigned id = 3; id <= 5; id++)
    {
      stratus_model_deregister (m, id);
      const char *state = stratus_model_instance_state (m, id);
      assert_true (g_str_equal (state, "draining") || g_str_equal (state, "unused"));
    }
  stratus_model_at (m, SHRINK_AT + STRATUS_SECOND, after_drain, data);
}

static void
setup_growth (StratusModel *m, void *data)
{
  assert_int_equal (stratus_model_instance_count (m), 2);
  assert_int_equal (stratus_model_launch (m, "no-such-fleet"), -1);
  stratus_model_at (m, LAUNCH_AT, launch_four, data);
  stratus_model_at (m, SHRINK_AT, shrink, data);
}

/* Busy-worker area of instance `id` over the rows in [from, to) of `r` (worker x s). */
static double
busy_in (const StratusRunResult *r, unsigned id, StratusTime from, StratusTime to)
{
  double busy = 0;
  for (size_t i = 0; i < stratus_run_result_instance_interval_count (r); i++)
    {
      StratusInstanceRow row = stratus_run_result_instance_interval (r, i);
      if (row.instance == id && row.start >= from && row.start < to)
        busy += row.utilisation * stratus_time_seconds (row.alive);
    }
  return busy;
}

static void
fleet_grows_and_shrinks_through_the_internal_api (void **state)
{
  (void) state;
  StratusScenario *s = load (growing_yaml);
  Growth g = { 0 };
  StratusRunOptions options = { .seed = 1, .setup = setup_growth, .setup_data = &g };
  StratusRunResult *r = stratus_model_run (s, &options);

  /* Six instances ever, in launch order, named by their fleet's count. */
  assert_int_equal (r->instances->len, 6);
  for (int i = 0; i < 4; i++)
    assert_int_equal (g.launched[i], 2 + i);
  assert_string_equal (instance (r, 5)->name, "web-6");
  assert_string_equal (g.state_before, "initial");
  for (int i = 0; i < 3; i++)
    assert_string_equal (g.state_after_drain[i], "unused");

  /* Launched but not registered: no traffic, not one job. */
  assert_int_equal (g.jobs_at_register, 0);
  for (unsigned id = 2; id < 6; id++)
    {
      assert_true (busy_in (r, id, LAUNCH_AT, REGISTER_AT) == 0);
      assert_true (busy_in (r, id, REGISTER_AT, SHRINK_AT) > 0);
    }

  /* Lifetimes: the first two run throughout; 2 from 100 s; 3-5 until they drained, within
   * one service time of the shrink (a request in service finishes, no new ones come). */
  assert_int_equal (instance (r, 0)->launched, 0);
  assert_int_equal (instance (r, 0)->terminated, STRATUS_TIME_NEVER);
  assert_int_equal (instance (r, 2)->launched, LAUNCH_AT);
  assert_int_equal (instance (r, 2)->terminated, STRATUS_TIME_NEVER);
  assert_int_equal (instance (r, 2)->alive, s->duration - LAUNCH_AT);
  for (unsigned id = 3; id <= 5; id++)
    {
      const StratusInstanceResult *ir = instance (r, id);
      assert_int_equal (ir->launched, LAUNCH_AT);
      assert_true (ir->terminated >= SHRINK_AT && ir->terminated <= SHRINK_AT + 10 * STRATUS_MS);
      assert_int_equal (ir->alive, ir->terminated - LAUNCH_AT);
      assert_true (busy_in (r, id, SHRINK_AT + 10 * STRATUS_SECOND, s->duration) == 0);
    }
  /* Drained, not cut: no request failed. */
  assert_int_equal (stratus_outcome_failed_total (r->outcomes), 0);

  /* Utilisation is busy time over time alive; each request keeps a worker 10 ms. */
  double busy_total = 0;
  uint64_t served = 0;
  for (unsigned id = 0; id < 6; id++)
    {
      const StratusInstanceResult *ir = instance (r, id);
      double alive = stratus_time_seconds (ir->alive);
      assert_true (fabs (ir->utilisation - ir->busy_area / 1e9 / alive) < 1e-12);
      /* served x 10 ms, give or take the request in service at the end */
      assert_true (fabs (ir->busy_area / 1e9 - (double) ir->served * 0.010) <= 0.010 + 1e-9);
      busy_total += ir->busy_area / 1e9;
      served += ir->served;
    }
  /* 60/s over 2 instances: 30% each; over 6: 10% each. */
  double share_6 = busy_in (r, 4, 140 * STRATUS_SECOND, 290 * STRATUS_SECOND) / 150;
  double share_2 = busy_in (r, 0, 0, 100 * STRATUS_SECOND) / 100;
  assert_true (fabs (share_2 - 0.30) < 0.03);
  assert_true (fabs (share_6 - 0.10) < 0.02);

  /* Totals add up: every request answered ok was served once; the rows hold all time. */
  assert_int_equal (r->total, r->outcomes[STRATUS_OUTCOME_OK]);
  assert_true (served >= r->total && served - r->total <= r->in_flight_at_end + 6);
  double rows_busy = 0;
  for (unsigned id = 0; id < 6; id++)
    rows_busy += busy_in (r, id, 0, s->duration);
  assert_true (fabs (rows_busy - busy_total) < 1e-6 * busy_total);

  /* The report lists every instance with its lifetime, and the aggregates per fleet. */
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, r);
  double value = 0;
  assert_true (stratus_report_figure (report, "instances.web-6.launched_s", &value, NULL));
  assert_true (value == 100);
  assert_true (stratus_report_figure (report, "instances.web-6.terminated_s", &value, NULL));
  assert_true (value >= 300 && value <= 300.01);
  assert_false (stratus_report_figure (report, "instances.web-1.terminated_s", NULL, NULL));
  assert_true (stratus_report_figure (report, "by_fleet.web.instances", &value, NULL));
  assert_true (value == 6);
  assert_true (stratus_report_figure (report, "by_fleet.web.served", &value, NULL));
  assert_true (value == (double) served);
  assert_true (stratus_report_figure (report, "by_fleet.web.utilisation", &value, NULL));
  double alive_s = 0;
  for (unsigned id = 0; id < 6; id++)
    alive_s += stratus_time_seconds (instance (r, id)->alive);
  assert_true (fabs (value - busy_total / alive_s) < 1e-9);
  char *text = stratus_report_text (report);
  assert_non_null (strstr (text, "terminated"));
  assert_non_null (strstr (text, "web-6"));
  g_free (text);

  /* The utilisation chart draws web-6 only where it was alive: nothing before 100 s. */
  StratusChart *chart = stratus_charts_build (report, "utilisation");
  assert_non_null (chart);
  int web6 = -1;
  for (unsigned k = 0; k < stratus_chart_series_count (chart); k++)
    if (g_str_equal (stratus_chart_series_name (chart, k), "web-6"))
      web6 = (int) k;
  assert_true (web6 >= 0);
  unsigned before = 0, after = 0;
  for (size_t i = 0; i < stratus_chart_series_length (chart, (unsigned) web6); i++)
    {
      double x, y;
      stratus_chart_series_point (chart, (unsigned) web6, i, &x, &y);
      if (x < 100)
        before += isnan (y) ? 0 : 1;
      else if (x > 140 && x < 290)
        after += isnan (y) ? 0 : 1;
    }
  assert_int_equal (before, 0);
  assert_int_equal (after, 15);
  stratus_chart_free (chart);
  stratus_report_free (report);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* ---- the deregistration delay cuts off what is left ----------------------------------- */

static void
deregister_first (StratusModel *m, void *data)
{
  stratus_model_deregister (m, 0);
}

static void
setup_cut (StratusModel *m, void *data)
{
  stratus_model_at (m, 50 * STRATUS_SECOND, deregister_first, NULL);
}

/* Service takes 20 s and the delay is 5 s: the requests on the instance when it is
 * deregistered are cut off at +5 s with 502 deregistered, the instance terminates then,
 * and its workers' answers never come. */
static void
deregistration_delay_cuts_requests_off_with_502 (void **state)
{
  (void) state;
  StratusScenario *s = load ("duration: 120s\n"
                             "warmup: 0s\n"
                             "azs: [us-east-1a]\n"
                             "latency: {same_az: 0s, cross_az: 0s, internet: 0s}\n"
                             "load_balancers:\n"
                             "  lb: {target_group: tg, processing_time: 0s, deregistration_delay: 5s}\n"
                             "instances:\n"
                             "  web: {count: 2, workers: 4, service_time: {dist: constant, mean: 20s},"
                             " target_group: tg}\n"
                             "workload:\n"
                             "  users: {entry: lb, rate: 0.2/s, timeout: unlimited}\n");
  StratusRunOptions options = { .seed = 3, .setup = setup_cut };
  StratusRunResult *r = stratus_model_run (s, &options);
  const StratusInstanceResult *gone = instance (r, 0);
  assert_int_equal (gone->terminated, 55 * STRATUS_SECOND);
  uint64_t cut = r->outcomes[STRATUS_OUTCOME_502_DEREGISTERED];
  assert_true (cut >= 1);
  assert_int_equal (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_502), cut);
  /* Whatever was cut never finished on the instance. */
  assert_int_equal (r->late_answers, 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* ---- a target slower than the idle timeout ------------------------------------------- */

/* One request at 1.5 s; the target takes 70 s; the idle timeout is AWS's 60 s. The client
 * hears 504 idle_timeout 60 s after the node sent it on, the target's worker stays busy
 * for the full 70 s, and its late answer is discarded and counted. */
static void
slow_target_gets_its_client_a_504_at_the_idle_timeout (void **state)
{
  char *dir = *state;
  char *trace = g_build_filename (dir, "arrivals.csv", NULL);
  assert_true (g_file_set_contents (trace, "1.5\n", -1, NULL));
  char *text = g_strdup_printf ("duration: 200s\n"
                                "warmup: 0s\n"
                                "azs: [us-east-1a]\n"
                                "latency: {same_az: 0s, cross_az: 0s, internet: 0s}\n"
                                "load_balancers:\n"
                                "  lb: {target_group: tg, processing_time: 0s}\n"
                                "instances:\n"
                                "  web: {count: 1, workers: 1, service_time: {dist: constant, mean: 70s},"
                                " target_group: tg}\n"
                                "workload:\n"
                                "  users: {entry: lb, timeout: 120s,"
                                " rate: {shape: replay, file: %s, format: arrivals}}\n"
                                "report: {interval: 1s}\n",
                                trace);
  StratusScenario *s = load (text);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  assert_int_equal (r->total, 1);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_504_IDLE_TIMEOUT], 1);
  assert_int_equal (r->late_answers, 1);
  /* The 504 reached the client at 61.5 s, in the row [61 s, 62 s). */
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      uint64_t expected = row.start == 61 * STRATUS_SECOND ? 1 : 0;
      assert_int_equal (row.outcomes[STRATUS_OUTCOME_504_IDLE_TIMEOUT], expected);
    }
  const StratusInstanceResult *web = instance (r, 0);
  assert_int_equal (web->served, 1);
  assert_true (fabs (web->busy_area - 70e9) < 1);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  g_free (text);
  g_free (trace);
}

/* ---- calls to an internal load balancer and to a fleet -------------------------------- */

static const char *const internal_yaml =
  "duration: 120s\n"
  "warmup: 0s\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  internet_gateway: igw\n"
  "  subnets:\n"
  "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
  "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
  "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
  "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private}\n"
  "  route_tables:\n"
  "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"
  "    private: {routes: []}\n"
  "  security_groups:\n"
  "    alb-sg: {inbound: [{protocol: tcp, ports: 80, source: 0.0.0.0/0}]}\n"
  "    web-sg: {inbound: [{protocol: tcp, ports: 80, source: alb-sg}]}\n"
  "    api-alb-sg: {inbound: [{protocol: tcp, ports: 8080, source: %s}]}\n"
  "    api-sg: {inbound: [{protocol: tcp, ports: 9000, source: api-alb-sg}]}\n"
  "load_balancers:\n"
  "  web-alb: {subnets: [public-a, public-b], security_groups: [alb-sg], target_group: web}\n"
  "  api-alb: {scheme: internal, port: 8080, subnets: [private-a, private-b],"
  " security_groups: [api-alb-sg], target_group: api}\n"
  "instances:\n"
  "  web:\n"
  "    count: 2\n"
  "    workers: 4\n"
  "    service_time: {dist: exponential, mean: 5ms}\n"
  "    target_group: web\n"
  "    subnets: [private-a, private-b]\n"
  "    security_groups: [web-sg]\n"
  "    outbound:\n"
  "      inventory: {destination: api-alb}\n"
  "  api:\n"
  "    count: 3\n"
  "    workers: 1\n"
  "    port: 9000\n"
  "    service_time: {dist: constant, mean: 20ms}\n"
  "    target_group: api\n"
  "    subnets: [private-a, private-b]\n"
  "    security_groups: [api-sg]\n"
  "workload:\n"
  "  shoppers: {entry: web-alb, rate: 50/s}\n";

/* Each web request makes one call through the internal balancer: the api fleet serves as
 * many requests as the web fleet, queues at its own workers (1 each, 20 ms: utilisation
 * about 50 / 3 x 0.02 = 1/3) and the call's time shows in the client's latency. */
static void
calls_to_an_internal_load_balancer_queue_at_its_targets (void **state)
{
  (void) state;
  char *text = g_strdup_printf (internal_yaml, "web-sg");
  StratusScenario *s = load (text);
  GError *error = NULL;
  assert_true (stratus_model_check (s, NULL, &error));
  StratusRunOptions options = { .seed = 2 };
  StratusRunResult *r = stratus_model_run (s, &options);
  assert_int_equal (stratus_outcome_failed_total (r->outcomes), 0);
  uint64_t web = instance (r, 0)->served + instance (r, 1)->served;
  uint64_t api = instance (r, 2)->served + instance (r, 3)->served + instance (r, 4)->served;
  assert_true (web > 5000);
  assert_true (llabs ((long long) web - (long long) api) <= 10);
  for (unsigned id = 2; id < 5; id++)
    assert_true (fabs (instance (r, id)->utilisation - 1.0 / 3) < 0.05);
  /* At least the call's 20 ms and the web service, never less. */
  assert_true (stratus_histogram_mean (r->latency) / 1e6 > 25);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  g_free (text);
}

/* A security group that does not admit the callers: validate names the blocked call, and
 * a run fails every request with 502 call_failed after the call's timeout (5 s; at 0.5
 * requests/s the 8 web workers keep up). */
static void
blocked_internal_call_is_found_by_validate_and_fails_runs (void **state)
{
  (void) state;
  char *text = g_strdup_printf (internal_yaml, "alb-sg");
  StratusScenario *s = load (text);
  GError *error = NULL;
  assert_false (stratus_model_check (s, NULL, &error));
  assert_non_null (strstr (error->message, "web-1 -> inventory api-alb@us-east-1a"));
  assert_non_null (strstr (error->message, "blocked by security group api-alb-sg"));
  g_clear_error (&error);
  const char *slow[] = { "workload.shoppers.rate=0.5/s", NULL };
  StratusScenario *slow_s = stratus_scenario_load_string (text, "world.yaml", slow, &error);
  assert_non_null (slow_s);
  StratusRunOptions options = { .seed = 2 };
  StratusRunResult *r = stratus_model_run (slow_s, &options);
  stratus_scenario_free (slow_s);
  assert_true (r->total > 40);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_502_CALL_FAILED], r->total);
  assert_true (r->drops[STRATUS_DROP_SECURITY_GROUP] > 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  g_free (text);
}

/* ---- a called instance cut off ---------------------------------------------------------- */

static void
deregister_ledger_1 (StratusModel *m, void *data)
{
  unsigned *id = data;
  for (unsigned i = 0; i < stratus_model_instance_count (m); i++)
    if (g_str_equal (stratus_model_instance_name (m, i), "ledger-1"))
      *id = i;
  stratus_model_deregister (m, *id);
}

static void
setup_ledger_cut (StratusModel *m, void *data)
{
  stratus_model_at (m, 30 * STRATUS_SECOND, deregister_ledger_1, data);
}

/* The web fleet calls the ledger fleet directly; ledger instances are also targets of an
 * internal load balancer whose deregistration delay is 1 s. Deregistering ledger-1 stops
 * new calls to it, and 1 s later cuts off the calls still on it (10 s each): their callers'
 * calls fail, and their clients get 502 call_failed. ledger-2 takes the calls after that. */
static void
direct_calls_to_a_deregistered_instance_fail_when_it_is_cut (void **state)
{
  (void) state;
  StratusScenario *s = load ("duration: 120s\n"
                             "warmup: 0s\n"
                             "azs: [us-east-1a]\n"
                             "latency: {same_az: 0s, cross_az: 0s, internet: 0s}\n"
                             "load_balancers:\n"
                             "  lb: {target_group: web, processing_time: 0s}\n"
                             "  ledger-alb: {scheme: internal, target_group: ledgers,"
                             " deregistration_delay: 1s}\n"
                             "instances:\n"
                             "  web: {count: 1, workers: 100, service_time: 1ms, target_group: web,"
                             " outbound: {book: {destination: ledger, timeout: 20s}}}\n"
                             "  ledger: {count: 2, type: c5.4xlarge, workers: 16, service_time: {dist: constant,"
                             " mean: 10s}, target_group: ledgers}\n"
                             "workload:\n"
                             "  users: {entry: lb, rate: 1/s, timeout: 60s}\n");
  unsigned id = 0;
  StratusRunOptions options = { .seed = 5, .setup = setup_ledger_cut, .setup_data = &id };
  StratusRunResult *r = stratus_model_run (s, &options);
  const StratusInstanceResult *ledger1 = instance (r, id);
  assert_string_equal (ledger1->name, "ledger-1");
  assert_int_equal (ledger1->terminated, 31 * STRATUS_SECOND);
  uint64_t failed = r->outcomes[STRATUS_OUTCOME_502_CALL_FAILED];
  assert_true (failed >= 1 && failed <= 10); /* what ledger-1 held at 31 s */
  assert_int_equal (stratus_outcome_failed_total (r->outcomes), failed);
  assert_true (r->outcomes[STRATUS_OUTCOME_OK] > 60);
  /* After the cut every call went to ledger-2. */
  assert_true (instance (r, id + 1)->served > 60);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* ---- random changes keep the books --------------------------------------------------- */

typedef struct
{
  GRand *rand;
  unsigned actions;
} Chaos;

/* One random change now (launch, register, deregister an instance of either fleet), and the
 * next one a few seconds later. */
static void
chaos_step (StratusModel *m, void *data)
{
  Chaos *c = data;
  unsigned n = stratus_model_instance_count (m);
  switch (g_rand_int_range (c->rand, 0, 4))
    {
    case 0:
      stratus_model_launch (m, g_rand_boolean (c->rand) ? "web" : "api");
      break;
    case 1:
      stratus_model_register (m, (unsigned) g_rand_int_range (c->rand, 0, (gint32) n));
      break;
    default:
      stratus_model_deregister (m, (unsigned) g_rand_int_range (c->rand, 0, (gint32) n));
      break;
    }
  if (++c->actions < 120)
    stratus_model_at (m, stratus_model_now (m) + g_rand_int_range (c->rand, 1, 4) * STRATUS_SECOND,
                      chaos_step, c);
}

static void
setup_chaos (StratusModel *m, void *data)
{
  stratus_model_at (m, STRATUS_SECOND, chaos_step, data);
}

/* Launches, registrations and deregistrations at random, with internal calls through a load
 * balancer, client and idle timeouts and cut-offs all in play: every request is accounted
 * for once, lifetimes are consistent, and (under the sanitizers) nothing is used after it is
 * freed. */
static void
random_changes_keep_every_request_accounted_for (void **state)
{
  (void) state;
  char *text = g_strdup_printf (internal_yaml, "web-sg");
  const char *const set[] = { "workload.shoppers.timeout=3s", "instances.api.service_time=800ms",
                              "load_balancers.api-alb.idle_timeout=2s",
                              "load_balancers.api-alb.deregistration_delay=1s",
                              "load_balancers.web-alb.deregistration_delay=2s", NULL };
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "world.yaml", set, &error);
  assert_non_null (s);
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      Chaos c = { g_rand_new_with_seed (seed), 0 };
      StratusRunOptions options = { .seed = seed, .setup = setup_chaos, .setup_data = &c };
      StratusRunResult *r = stratus_model_run (s, &options);
      assert_true (c.actions >= 40); /* every 1 to 3 s through the 120 s run */
      assert_requests_accounted (r);
      assert_true (r->outcomes[STRATUS_OUTCOME_OK] > 0);
      assert_true (stratus_outcome_failed_total (r->outcomes) > 0);
      printf ("chaos seed %u: %u changes, %u instances, %" G_GUINT64_FORMAT " requests: ok %"
              G_GUINT64_FORMAT ", 502 %" G_GUINT64_FORMAT ", 503 %" G_GUINT64_FORMAT ", 504 %"
              G_GUINT64_FORMAT ", late answers %" G_GUINT64_FORMAT "\n",
              seed, c.actions, r->instances->len, r->total, r->outcomes[STRATUS_OUTCOME_OK],
              stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_502),
              stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_503),
              stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504), r->late_answers);
      for (guint i = 0; i < r->instances->len; i++)
        {
          const StratusInstanceResult *ir = instance (r, i);
          assert_true (ir->terminated == STRATUS_TIME_NEVER || ir->terminated >= ir->launched);
          assert_true (ir->alive <= s->duration - s->warmup);
          assert_true (ir->utilisation >= 0 && ir->utilisation <= 1 + 1e-9);
        }
      stratus_run_result_free (r);
      g_rand_free (c.rand);
    }
  stratus_scenario_free (s);
  g_free (text);
}

/* ---- validate makes no engine --------------------------------------------------------- */

static void
validate_checks_paths_without_an_engine (void **state)
{
  (void) state;
  char *path = g_build_filename (g_getenv ("STRATUS_SOURCE_ROOT"), "scenarios",
                                 "vpc-public-private.yaml", NULL);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, NULL, &error);
  assert_non_null (s);
  unsigned before = stratus_sim_created_count ();
  GString *explain = g_string_new (NULL);
  assert_true (stratus_model_check (s, explain, &error));
  assert_true (stratus_model_check (s, NULL, &error));
  assert_int_equal (stratus_sim_created_count (), before);
  assert_non_null (strstr (explain->str, "web-1"));
  /* A run does make one, so the counter counts. */
  StratusRunOptions options = { .seed = 1 };
  const char *short_run[] = { "duration=1s", "warmup=0s", NULL };
  StratusScenario *brief = stratus_scenario_load (path, short_run, &error);
  assert_non_null (brief);
  stratus_run_result_free (stratus_model_run (brief, &options));
  assert_int_equal (stratus_sim_created_count (), before + 1);
  g_string_free (explain, TRUE);
  stratus_scenario_free (brief);
  stratus_scenario_free (s);
  g_free (path);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (fleet_grows_and_shrinks_through_the_internal_api),
    cmocka_unit_test (deregistration_delay_cuts_requests_off_with_502),
    cmocka_unit_test_setup_teardown (slow_target_gets_its_client_a_504_at_the_idle_timeout,
                                     tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (calls_to_an_internal_load_balancer_queue_at_its_targets),
    cmocka_unit_test (blocked_internal_call_is_found_by_validate_and_fails_runs),
    cmocka_unit_test (direct_calls_to_a_deregistered_instance_fail_when_it_is_cut),
    cmocka_unit_test (random_changes_keep_every_request_accounted_for),
    cmocka_unit_test (validate_checks_paths_without_an_engine),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
