/* The network and instance faults (nat_gateway_failure, disrupt_connectivity of subnets
 * by scope, latency_injection, cpu_stress, memory_leak) and random faults (mtbf, mttr):
 * each key loads as written or is refused with one line at its place; in the model each
 * fault does what it says while it is on and nothing once it ends; random faults' measured
 * availability agrees with MTBF / (MTBF + MTTR) and its redundant combination within the
 * confidence interval over replications. */
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

/* Two AZs, public subnets with a NAT gateway each, private subnets for `web` (4
 * instances, 10 ms of work, a call to an internet API for every request through its AZ's
 * NAT gateway); report rows of 1 minute; faults from line 43. */
static const char base[] =
  "duration: 30m\n"                                                                  /* 1 */
  "warmup: 0s\n"                                                                     /* 2 */
  "azs: [us-east-1a, us-east-1b]\n"                                                  /* 3 */
  "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 5ms}\n"                      /* 4 */
  "vpc:\n"                                                                           /* 5 */
  "  cidr: 10.0.0.0/16\n"                                                            /* 6 */
  "  internet_gateway: igw\n"                                                        /* 7 */
  "  subnets:\n"                                                                     /* 8 */
  "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"         /* 9 */
  "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"         /* 10 */
  "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private-a}\n"     /* 11 */
  "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private-b}\n"     /* 12 */
  "  route_tables:\n"                                                                /* 13 */
  "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"                  /* 14 */
  "    private-a: {routes: [{destination: 0.0.0.0/0, target: nat-a}]}\n"             /* 15 */
  "    private-b: {routes: [{destination: 0.0.0.0/0, target: nat-b}]}\n"             /* 16 */
  "  nat_gateways:\n"                                                                /* 17 */
  "    nat-a: {subnet: public-a}\n"                                                  /* 18 */
  "    nat-b: {subnet: public-b}\n"                                                  /* 19 */
  "  security_groups:\n"                                                             /* 20 */
  "    alb-sg: {inbound: [{protocol: tcp, ports: 80, source: 0.0.0.0/0}]}\n"         /* 21 */
  "    web-sg: {inbound: [{protocol: tcp, ports: 80, source: alb-sg}]}\n"            /* 22 */
  "load_balancers:\n"                                                                /* 23 */
  "  alb: {subnets: [public-a, public-b], security_groups: [alb-sg], target_group: tg, " /* 24 */
  "processing_time: 0s}\n"
  "target_groups:\n"                                                                 /* 25 */
  "  tg: {health_check: {interval: 10s, timeout: 2s, healthy_threshold: 2, "         /* 26 */
  "unhealthy_threshold: 2}}\n"
  "instances:\n"                                                                     /* 27 */
  "  web:\n"                                                                         /* 28 */
  "    count: 4\n"                                                                   /* 29 */
  "    type: c5.large\n"                                                             /* 30 */
  "    subnets: [private-a, private-b]\n"                                            /* 31 */
  "    security_groups: [web-sg]\n"                                                  /* 32 */
  "    workers: 64\n"                                                                /* 33 */
  "    service_time: 10ms\n"                                                         /* 34 */
  "    target_group: tg\n"                                                           /* 35 */
  "    memory: {base: 3GiB}\n"                                                       /* 36 */
  "    outbound:\n"                                                                  /* 37 */
  "      api: {destination: 203.0.113.10, port: 443, service_time: 5ms, timeout: 2s}\n" /* 38 */
  "workload:\n"                                                                      /* 39 */
  "  users: {entry: alb, rate: 40/s, timeout: 30s}\n"                                /* 40 */
  "report: {interval: 1m}\n";                                                        /* 41 */

/* `base` with the `faults` section `faults` (its first entry on line 43). */
static char *
with_faults (const char *faults)
{
  return g_strconcat (base, "faults:\n", faults, NULL);
}

/* `base` with `faults`, run once (seed `seed`). */
static StratusRunResult *
run_seed (const char *faults, uint64_t seed)
{
  char *text = with_faults (faults);
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusRunOptions options = { .seed = seed };
  StratusRunResult *r = stratus_model_run (s, &options);
  stratus_scenario_free (s);
  return r;
}

/* Sums of the rows that start in [from, to) minutes: one outcome's count, or drops of one
 * reason with `drop` true. */
static uint64_t
rows_sum (const StratusRunResult *r, int from, int to, int what, bool drop)
{
  uint64_t sum = 0;
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    {
      StratusIntervalRow row = stratus_run_result_interval (r, i);
      StratusTime m = row.start / STRATUS_MINUTE;
      if (m >= from && m < to)
        sum += drop ? row.drops[what] : row.outcomes[what];
    }
  return sum;
}

/* The median latency (ms) of the row starting at minute `minute`. */
static double
row_p50 (const StratusRunResult *r, int minute)
{
  StratusIntervalRow row = stratus_run_result_interval (r, (size_t) minute);
  return row.p50_ms;
}

/* Events of `kind` in the timeline. */
static guint
count_events (const StratusRunResult *r, StratusEventKind kind)
{
  guint n = 0;
  for (guint i = 0; i < r->timeline->len; i++)
    n += g_array_index (r->timeline, StratusTimelineEvent, i).kind == kind;
  return n;
}

/* ---- parsing ----------------------------------------------------------------------------- */

/* Every new kind loads with its values and defaults. */
static void
test_parse (void **state)
{
  char *text = with_faults (
    "  nat: {action: nat_gateway_failure, nat_gateway: nat-b, at: 1m, duration: 5m}\n"
    "  cut: {action: disrupt_connectivity, subnets: [private-a], scope: internet, at: 2m}\n"
    "  slow: {action: latency_injection, between: [us-east-1a, us-east-1b], latency: 40ms, "
    "loss: 2%, at: 3m, duration: 1m}\n"
    "  hot: {action: cpu_stress, target: web, percent: 50, at: 4m, duration: 2m}\n"
    "  leak: {action: memory_leak, target: web, count: 1, leak_per_minute: 100MiB, at: 5m}\n"
    "  flaky: {action: nat_gateway_failure, mtbf: 2h, mttr: {dist: exponential, mean: 5m}}\n");
  StratusScenario *s = load_ok (text);
  g_free (text);
  assert_int_equal (s->faults->len, 6);
  const StratusFaultConfig *f = g_ptr_array_index (s->faults, 0);
  assert_int_equal (f->kind, STRATUS_FAULT_NAT_GATEWAY_FAILURE);
  assert_int_equal (f->nat_gateway, 1);
  assert_false (f->random);
  f = g_ptr_array_index (s->faults, 1);
  assert_int_equal (f->kind, STRATUS_FAULT_DISRUPT_CONNECTIVITY);
  assert_int_equal (f->scope, STRATUS_DISRUPT_INTERNET);
  assert_int_equal (f->subnets->len, 1);
  assert_int_equal (g_array_index (f->subnets, int, 0), 2);
  assert_int_equal (f->az, -1);
  f = g_ptr_array_index (s->faults, 2);
  assert_int_equal (f->az, 0);
  assert_int_equal (f->az_b, 1);
  assert_int_equal (f->latency, 40 * STRATUS_MS);
  assert_float_equal (f->loss, 0.02, 1e-12);
  f = g_ptr_array_index (s->faults, 3);
  assert_float_equal (f->load, 0.8, 1e-12); /* the default */
  assert_float_equal (f->percent, 50, 0);
  f = g_ptr_array_index (s->faults, 4);
  assert_float_equal (f->leak_mib_per_minute, 100, 1e-9);
  assert_int_equal (f->count, 1);
  f = g_ptr_array_index (s->faults, 5);
  assert_true (f->random);
  assert_int_equal (f->nat_gateway, -1); /* every NAT gateway */
  assert_float_equal (f->mtbf.mean, 7200e9, 1);
  assert_int_equal (f->mttr.kind, STRATUS_DIST_EXPONENTIAL);
  assert_int_equal (f->at, 0);
  stratus_scenario_free (s);
}

/* Bad faults: one line at the place of the mistake. */
static void
test_parse_errors (void **state)
{
  static const struct
  {
    const char *fault, *error;
  } cases[] = {
    { "  x: {action: disrupt_connectivity, az: us-east-1a, scope: internt, at: 1m}\n",
      "t.yaml:43:60: scope: unknown value 'internt'; did you mean 'internet'?" },
    { "  x: {action: disrupt_connectivity, az: us-east-1a, subnets: [public-a], at: 1m}\n",
      "t.yaml:43:53: subnets: give az or subnets, not both" },
    { "  x: {action: disrupt_connectivity, at: 1m}\n",
      "t.yaml:43:6: x: a disrupt_connectivity fault needs az or subnets" },
    { "  x: {action: disrupt_connectivity, subnets: [public-c], at: 1m}\n",
      "t.yaml:43:47: subnets: no subnet named 'public-c' in the vpc" },
    { "  x: {action: nat_gateway_failure, nat_gateway: nat-c, at: 1m}\n",
      "t.yaml:43:49: nat_gateway: no NAT gateway named 'nat-c'; did you mean" },
    { "  x: {action: nat_gateway_failure, at: 1m}\n",
      "t.yaml:43:6: x: missing required key 'nat_gateway'" },
    { "  x: {action: latency_injection, subnets: [public-a], at: 1m}\n",
      "t.yaml:43:6: x: a latency_injection needs latency or loss above 0" },
    { "  x: {action: latency_injection, between: [us-east-1a], latency: 5ms, at: 1m}\n",
      "t.yaml:43:43: between: name two AZs" },
    { "  x: {action: latency_injection, subnets: [public-a], loss: 100%, at: 1m}\n",
      "t.yaml:43:61: loss: must be from 0% to 99%, found 100%" },
    { "  x: {action: latency_injection, az: us-east-1a, latency: 5ms, at: 1m}\n",
      "t.yaml:43:38: az: not a key of a latency_injection fault" },
    { "  x: {action: cpu_stress, target: web, load: 100%, at: 1m}\n",
      "t.yaml:43:46: load: must be from 1% to 99%, found 100%" },
    { "  x: {action: memory_leak, target: web, at: 1m}\n",
      "t.yaml:43:6: x: missing required key 'leak_per_minute'" },
    { "  x: {action: stop_instances, target: web, mtbf: 1h, at: 1m}\n",
      "t.yaml:43:44: mtbf: a random fault needs both mtbf and mttr" },
    { "  x: {action: terminate_instances, target: web, mtbf: 1h, mttr: 1m}\n",
      "t.yaml:43:49: mtbf: random faults (mtbf, mttr) are for az_power_interruption" },
    { "  x: {action: db_instance_failure, database: db, at: 1m}\n",
      "t.yaml:43:46: database: no database named 'db'" },
    { "  x: {action: stop_instances, target: web, mtbf: 1h, mttr: 1m, duration: 5m}\n",
      "t.yaml:43:64: duration: a random fault's repairs take mttr; give no duration" },
  };
  int wrong = 0;
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *text = with_faults (cases[i].fault);
      char *message = load_error (text);
      if (!g_str_has_prefix (message, cases[i].error))
        {
          print_error ("case %zu: expected '%s', got '%s'\n", i, cases[i].error, message);
          wrong++;
        }
      g_free (message);
      g_free (text);
    }
  assert_int_equal (wrong, 0);
  /* A leak needs memory to leak from. */
  char *no_memory = subst (base, "    memory: {base: 3GiB}\n", "");
  char *text = g_strconcat (no_memory, "faults:\n  x: {action: memory_leak, target: web, "
                                       "leak_per_minute: 1MiB, at: 1m}\n", NULL);
  char *message = load_error (text);
  check_message (message, "t.yaml:42:36: target: a memory_leak needs web to model memory",
                 NULL);
  g_free (text);
  g_free (no_memory);
}

/* ---- the model ---------------------------------------------------------------------------- */

/* A failed NAT gateway fails the outbound calls of its AZ's instances (502 call_failed,
 * drops gateway_down) for the fault's minutes only; the other AZ's calls go on. */
static void
test_nat_gateway_failure (void **state)
{
  StratusRunResult *r
    = run_seed ("  nat: {action: nat_gateway_failure, nat_gateway: nat-a, at: 10m, "
                "duration: 5m}\n", 1);
  uint64_t during = rows_sum (r, 10, 15, STRATUS_OUTCOME_502_CALL_FAILED, false);
  uint64_t ok_during = rows_sum (r, 10, 15, STRATUS_OUTCOME_OK, false);
  /* Half the instances are in AZ a: about half the requests fail (40/s x 300 s / 2). */
  assert_in_range (during, 4000, 8000);
  assert_in_range (ok_during, 4000, 8000);
  assert_true (rows_sum (r, 10, 15, STRATUS_DROP_GATEWAY_DOWN, true) >= during);
  assert_int_equal (rows_sum (r, 0, 10, STRATUS_OUTCOME_502_CALL_FAILED, false), 0);
  /* Calls sent just before the end time out in the next 2 s. */
  assert_int_equal (rows_sum (r, 16, 30, STRATUS_OUTCOME_502_CALL_FAILED, false), 0);
  stratus_run_result_free (r);
}

/* A subnet cut from the internet keeps its instances serving the load balancer but fails
 * their outbound calls (drops `disrupted`); cut from everything, its instances fail their
 * health checks and leave the load balancer, so requests go to the other AZ. */
static void
test_disrupt_subnets (void **state)
{
  StratusRunResult *r
    = run_seed ("  cut: {action: disrupt_connectivity, subnets: [private-a], scope: internet, "
                "at: 10m, duration: 5m}\n", 1);
  uint64_t failed = rows_sum (r, 10, 15, STRATUS_OUTCOME_502_CALL_FAILED, false);
  assert_in_range (failed, 4000, 8000);
  assert_true (rows_sum (r, 10, 15, STRATUS_DROP_DISRUPTED, true) >= failed);
  assert_int_equal (rows_sum (r, 0, 10, STRATUS_DROP_DISRUPTED, true), 0);
  assert_int_equal (rows_sum (r, 16, 30, STRATUS_DROP_DISRUPTED, true), 0);
  stratus_run_result_free (r);

  r = run_seed ("  cut: {action: disrupt_connectivity, subnets: [private-a], at: 10m, "
                "duration: 5m}\n", 1);
  /* Health checks take the cut instances out within 2 x 10 s + 2 s; after that, every
   * request succeeds through AZ b. */
  assert_int_equal (rows_sum (r, 11, 15, STRATUS_OUTCOME_OK, false),
                    rows_sum (r, 11, 15, STRATUS_OUTCOME_OK, false)
                      + rows_sum (r, 11, 15, STRATUS_OUTCOME_502_CALL_FAILED, false));
  StratusIntervalRow row = stratus_run_result_interval (r, 12);
  assert_int_equal (stratus_outcome_failed_total (row.outcomes), 0);
  assert_true (row.outcomes[STRATUS_OUTCOME_OK] > 2000);
  assert_true (rows_sum (r, 10, 11, STRATUS_DROP_DISRUPTED, true) > 0);
  stratus_run_result_free (r);
}

/* Latency injected on the web subnets adds to each message crossing them: the load
 * balancer's request and the answer (2 x 100 ms) and the outbound call's round trip (2 x
 * 100 ms): the median rises by 400 ms while it lasts and falls back after. Loss adds TCP
 * retransmission timeouts (200 ms) to some messages: the p99 shows them. */
static void
test_latency_injection (void **state)
{
  StratusRunResult *r
    = run_seed ("  slow: {action: latency_injection, subnets: [private-a, private-b], "
                "latency: 100ms, at: 10m, duration: 5m}\n", 1);
  double before = row_p50 (r, 5), during = row_p50 (r, 12), after = row_p50 (r, 20);
  assert_float_equal (during - before, 400, 5);
  assert_float_equal (after, before, 1);
  stratus_run_result_free (r);

  r = run_seed ("  lossy: {action: latency_injection, subnets: [private-a, private-b], "
                "loss: 5%, at: 10m, duration: 5m}\n", 1);
  StratusIntervalRow quiet = stratus_run_result_interval (r, 5);
  StratusIntervalRow lossy = stratus_run_result_interval (r, 12);
  assert_true (quiet.p99_ms < 100);
  assert_true (lossy.p99_ms > 200); /* 4 messages x 5%: about 1 request in 5 loses one */
  assert_float_equal (lossy.p50_ms, quiet.p50_ms, 5);
  stratus_run_result_free (r);
}

/* A CPU stress of 80% makes each job take 5 times as long (10 ms of work: 50 ms) while it
 * lasts. */
static void
test_cpu_stress (void **state)
{
  StratusRunResult *r = run_seed ("  hot: {action: cpu_stress, target: web, load: 80%, at: 10m, "
                                  "duration: 5m}\n", 1);
  double before = row_p50 (r, 5), during = row_p50 (r, 12), after = row_p50 (r, 20);
  assert_float_equal (during - before, 40, 3);
  assert_float_equal (after, before, 1);
  stratus_run_result_free (r);
}

/* In an Auto Scaling group, the stress counts in the CPU metric: a group with little
 * traffic reads about 80% + 20% x its own use while stressed, as little as before after. */
static void
test_cpu_stress_metric (void **state)
{
  const char *text
    = "duration: 20m\nwarmup: 0s\nazs: [us-east-1a, us-east-1b]\n"
      "load_balancers:\n  alb: {target_group: tg}\n"
      "target_groups:\n  tg: {health_check: {interval: 10s, timeout: 2s}}\n"
      "amis:\n  golden: {boot_time: 10s, app_start_time: 5s}\n"
      "launch_templates:\n  lt: {ami: golden, instance_type: c5.large, workers: 4, "
      "service_time: 10ms}\n"
      "auto_scaling_groups:\n  web: {launch_template: lt, min_size: 2, max_size: 2, "
      "desired_capacity: 2, target_groups: [tg]}\n"
      "workload:\n  users: {entry: alb, rate: 20/s, timeout: 30s}\n"
      "report: {interval: 1m}\n"
      "faults:\n  hot: {action: cpu_stress, target: web, percent: 100, load: 80%, at: 5m, "
      "duration: 5m}\n";
  StratusScenario *s = load_ok (text);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  double quiet = NAN, hot = NAN, after = NAN;
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    {
      StratusGroupRow row = stratus_run_result_group_row (r, i);
      StratusTime m = row.start / STRATUS_MINUTE;
      if (m == 3)
        quiet = row.cpu;
      else if (m == 7)
        hot = row.cpu;
      else if (m == 15)
        after = row.cpu;
    }
  /* 20/s x 10 ms over 2 instances of 2 vCPUs: 5%; stressed, each job takes 50 ms. */
  assert_float_equal (quiet, 5, 1.5);
  assert_float_equal (hot, 80 + 0.2 * 25, 3);
  assert_float_equal (after, 5, 1.5);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* A leak of 256 MiB a minute on an instance with 1 GiB to spare kills its application
 * about every 4 minutes while it lasts (502 target_reset, app_killed events), and
 * never after. */
static void
test_memory_leak (void **state)
{
  StratusRunResult *r = run_seed ("  leak: {action: memory_leak, target: web, count: 1, "
                                  "leak_per_minute: 256MiB, at: 5m, duration: 10m}\n", 1);
  guint kills = count_events (r, STRATUS_EVENT_APP_KILLED);
  assert_in_range (kills, 2, 3); /* at about 9 and 13 minutes (plus start-up time) */
  for (guint i = 0; i < r->timeline->len; i++)
    {
      const StratusTimelineEvent *e = &g_array_index (r->timeline, StratusTimelineEvent, i);
      if (e->kind == STRATUS_EVENT_APP_KILLED)
        assert_in_range (e->at / STRATUS_SECOND, 5 * 60 + 230, 15 * 60);
    }
  assert_true (rows_sum (r, 5, 16, STRATUS_OUTCOME_502_TARGET_RESET, false)
               + rows_sum (r, 5, 16, STRATUS_OUTCOME_503_NO_TARGETS, false) > 0);
  assert_int_equal (rows_sum (r, 16, 30, STRATUS_OUTCOME_502_TARGET_RESET, false), 0);
  stratus_run_result_free (r);
}

/* ---- random faults ------------------------------------------------------------------------ */

/* A fixed fleet of two instances, each failing after an exponential time of mean 1 h and
 * repaired after one of mean 30 min, over 10 replications of 100 h: each instance is up
 * A = 2/3 of the time and at least one is up 1 - (1/3)^2 = 8/9 of it; the measured
 * shares, and the requests' success ratio (a fixed fleet's replacement serves at once),
 * lie within the 95% confidence interval of those values. */
static void
test_random_availability (void **state)
{
  const char *text
    = "duration: 100h\nwarmup: 0s\nazs: [us-east-1a, us-east-1b]\n"
      "load_balancers:\n  alb: {target_group: tg}\n"
      "target_groups:\n  tg: {health_check: {interval: 10s, timeout: 2s, healthy_threshold: 2, "
      "unhealthy_threshold: 2}}\n"
      "instances:\n  web: {count: 2, type: c5.large, service_time: 5ms, target_group: tg}\n"
      "workload:\n  users: {entry: alb, rate: 1/s, timeout: 10s}\n"
      "report: {interval: 1h}\n"
      "faults:\n  flaky: {action: stop_instances, target: web, "
      "mtbf: {dist: exponential, mean: 1h}, mttr: {dist: exponential, mean: 30m}}\n";
  StratusScenario *s = load_ok (text);
  StratusReport *report = stratus_report_new (s);
  enum { REPS = 10 };
  for (uint32_t k = 0; k < REPS; k++)
    {
      StratusRunOptions options = { .seed = 1, .replication = k };
      StratusRunResult *r = stratus_model_run (s, &options);
      assert_int_equal (r->random_faults->len, 1);
      const StratusRandomFaultResult *rf = &g_array_index (r->random_faults,
                                                           StratusRandomFaultResult, 0);
      assert_int_equal (rf->components, 2);
      assert_in_range (rf->failures, 100, 170); /* 2 x 100 h / 1.5 h = 133 expected */
      stratus_report_add (report, r);
      stratus_run_result_free (r);
    }
  static const struct
  {
    const char *measured;
    double expected;
  } checks[] = {
    { "faults.flaky.component_availability", 2.0 / 3.0 },
    { "faults.flaky.any_up_availability", 8.0 / 9.0 },
    { "availability.success_ratio", 8.0 / 9.0 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      double mean = NAN, ci = NAN;
      assert_true (stratus_report_figure (report, checks[i].measured, &mean, &ci));
      print_message ("%s: %.4f ± %.4f (expected %.4f)\n", checks[i].measured, mean, ci,
                     checks[i].expected);
      if (!(fabs (mean - checks[i].expected) <= ci && ci < 0.03))
        fail_msg ("%s: %.4f ± %.4f does not cover %.4f", checks[i].measured, mean, ci,
                  checks[i].expected);
    }
  double expected = NAN;
  assert_true (stratus_report_figure (report, "faults.flaky.any_up_availability_expected",
                                      &expected, NULL));
  assert_float_equal (expected, 8.0 / 9.0, 1e-12);
  char *out = stratus_report_text (report);
  assert_non_null (strstr (out, "Random faults"));
  assert_non_null (strstr (out, "expected 88.889%"));
  g_free (out);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* A random NAT gateway failure over every NAT gateway: the components are the two
 * gateways; the timeline has each failure and repair; the same seed gives the same
 * run. */
static void
test_random_nat (void **state)
{
  const char *fault = "  flaky: {action: nat_gateway_failure, mtbf: 5m, mttr: 1m}\n";
  StratusRunResult *a = run_seed (fault, 3), *b = run_seed (fault, 3);
  const StratusRandomFaultResult *ra = &g_array_index (a->random_faults, StratusRandomFaultResult, 0);
  const StratusRandomFaultResult *rb = &g_array_index (b->random_faults, StratusRandomFaultResult, 0);
  assert_int_equal (ra->components, 2);
  /* Constant times: each gateway fails at 5 min and every 6 min after: 5 times in 30 min,
   * down 1 min each; both at once the whole time either is. */
  assert_int_equal (ra->failures, 10);
  assert_float_equal (ra->down_s, 600, 1e-6);
  assert_float_equal (ra->all_down_s, 300, 1e-6);
  assert_int_equal (rb->failures, ra->failures);
  assert_int_equal (count_events (a, STRATUS_EVENT_FAULT_START), 10);
  assert_int_equal (count_events (a, STRATUS_EVENT_FAULT_END), 10);
  assert_true (rows_sum (a, 5, 6, STRATUS_OUTCOME_502_CALL_FAILED, false) > 0);
  assert_int_equal (rows_sum (a, 0, 5, STRATUS_OUTCOME_502_CALL_FAILED, false), 0);
  assert_int_equal (a->outcomes[STRATUS_OUTCOME_502_CALL_FAILED],
                    b->outcomes[STRATUS_OUTCOME_502_CALL_FAILED]);
  stratus_run_result_free (b);

  /* The charts shade the minutes a part was down: 5-6, 11-12, 17-18, 23-24, 29-30. */
  char *text = with_faults (fault);
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, a);
  stratus_run_result_free (a);
  StratusChart *chart = stratus_charts_build (report, "throughput");
  assert_non_null (chart);
  assert_int_equal (stratus_chart_span_count (chart), 5);
  for (size_t i = 0; i < 5; i++)
    {
      double from, to;
      stratus_chart_span (chart, i, &from, &to);
      assert_float_equal (from, 300 + 360 * (double) i, 1e-9);
      assert_float_equal (to, 360 + 360 * (double) i, 1e-9);
    }
  stratus_chart_free (chart);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* The most instances of fleet `fleet` alive at once at or after `from`, from the
 * instances' launch and termination times. */
static int
max_alive (const StratusRunResult *r, const char *fleet, StratusTime from)
{
  int most = 0;
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *a = &g_array_index (r->instances, StratusInstanceResult, i);
      StratusTime t = MAX (a->launched, from);
      if (strcmp (a->fleet, fleet) != 0 || a->terminated <= t)
        continue;
      int alive = 0;
      for (guint k = 0; k < r->instances->len; k++)
        {
          const StratusInstanceResult *b = &g_array_index (r->instances, StratusInstanceResult, k);
          alive += strcmp (b->fleet, fleet) == 0 && b->launched <= t && b->terminated > t;
        }
      most = MAX (most, alive);
    }
  return most;
}

/* Two power interruptions of one AZ overlapping: the AZ stays dark until the second ends,
 * and the instances the first stopped start only then, in their AZ. */
static void
test_nested_az_faults_park_restarts (void **state)
{
  StratusRunResult *r = run_seed ("  a: {action: az_power_interruption, az: us-east-1a, at: 5m, "
                                  "duration: 5m}\n"
                                  "  b: {action: az_power_interruption, az: us-east-1a, at: 8m, "
                                  "duration: 10m}\n", 1);
  int late = 0;
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *a = &g_array_index (r->instances, StratusInstanceResult, i);
      if (a->launched > 0)
        {
          assert_string_equal (a->az, "us-east-1a");
          assert_int_equal (a->launched, 18 * STRATUS_MINUTE);
          late++;
        }
    }
  assert_int_equal (late, 2);
  assert_int_equal (max_alive (r, "web", 0), 4);
  stratus_run_result_free (r);
}

/* A random stop of a fixed fleet with a termination and an AZ's power cut on top: the
 * fleet never has more instances than its count (after the termination: one less), and
 * what a part repairs into a dark AZ waits for it. */
static void
test_random_stop_keeps_the_count (void **state)
{
  for (uint64_t seed = 1; seed <= 5; seed++)
    {
      StratusRunResult *r
        = run_seed ("  kill: {action: terminate_instances, target: web, count: 1, at: 2m}\n"
                    "  dark: {action: az_power_interruption, az: us-east-1b, at: 10m, "
                    "duration: 8m}\n"
                    "  flaky: {action: stop_instances, target: web, "
                    "mtbf: {dist: exponential, mean: 3m}, mttr: {dist: exponential, mean: 1m}}\n",
                    seed);
      assert_true (max_alive (r, "web", 0) <= 4);
      assert_true (max_alive (r, "web", 2 * STRATUS_MINUTE + 1) <= 3);
      for (guint i = 0; i < r->instances->len; i++)
        {
          const StratusInstanceResult *a = &g_array_index (r->instances, StratusInstanceResult, i);
          if (strcmp (a->az, "us-east-1b") == 0)
            assert_false (a->launched > 10 * STRATUS_MINUTE && a->launched < 18 * STRATUS_MINUTE);
        }
      stratus_run_result_free (r);
    }
  /* `percent` picks the parts: half of 4. */
  StratusRunResult *r = run_seed ("  flaky: {action: stop_instances, target: web, percent: 50, "
                                  "mtbf: 1h, mttr: 1m}\n", 1);
  assert_int_equal (g_array_index (r->random_faults, StratusRandomFaultResult, 0).components, 2);
  stratus_run_result_free (r);
}

/* Overlapping CPU stresses add up: 60% and 20% together leave the application 20% (10 ms
 * of work take 50 ms), the first alone 40% (25 ms). */
static void
test_cpu_stresses_add_up (void **state)
{
  StratusRunResult *r = run_seed ("  a: {action: cpu_stress, target: web, load: 60%, at: 10m, "
                                  "duration: 10m}\n"
                                  "  b: {action: cpu_stress, target: web, load: 20%, at: 12m, "
                                  "duration: 3m}\n", 1);
  double before = row_p50 (r, 5);
  assert_float_equal (row_p50 (r, 13) - before, 40, 3);
  assert_float_equal (row_p50 (r, 17) - before, 15, 3);
  assert_float_equal (row_p50 (r, 25), before, 1);
  stratus_run_result_free (r);
}

/* A fault is detected only by evidence of its own kind: a NAT gateway failure at the same
 * time as a stop of instances is not "detected" by the stopped instances. */
static void
test_detection_by_kind (void **state)
{
  StratusRunResult *r
    = run_seed ("  nat: {action: nat_gateway_failure, nat_gateway: nat-a, at: 5m, duration: 5m}\n"
                "  stop: {action: stop_instances, target: web, count: 1, at: 6m, duration: 1m}\n",
                1);
  const StratusFaultResult *nat = &g_array_index (r->faults, StratusFaultResult, 0);
  const StratusFaultResult *stop = &g_array_index (r->faults, StratusFaultResult, 1);
  assert_int_equal (nat->detected, STRATUS_TIME_NEVER);
  assert_null (nat->detected_by);
  assert_int_equal (stop->detected, 6 * STRATUS_MINUTE);
  stratus_run_result_free (r);
}

/* A web fleet whose requests each query `db` once (MySQL, db.r6g.large, deployment
 * `deployment`), at 1 request/s for 100 h, with a random db_instance_failure of its
 * writer: exponential times between failures of mean 2 h, repairs of mean 20 min. */
static StratusScenario *
db_scenario (const char *deployment)
{
  char *text = g_strdup_printf (
    "duration: 100h\nwarmup: 0s\nazs: [us-east-1a, us-east-1b]\n"
    "load_balancers:\n  alb: {target_group: tg}\n"
    "instances:\n  web: {count: 2, type: c5.large, workers: 16, service_time: 1ms, "
    "target_group: tg, database: {name: db, queries: 1, write_fraction: 0.5, timeout: 2s}}\n"
    "databases:\n  db: {engine: mysql, instance_class: db.r6g.large, deployment: %s, "
    "backup_retention: 0}\n"
    "workload:\n  users: {entry: alb, rate: 1/s, timeout: 30s}\n"
    "report: {interval: 1h}\n"
    "faults:\n  flaky-db: {action: db_instance_failure, database: db, "
    "mtbf: {dist: exponential, mean: 2h}, mttr: {dist: exponential, mean: 20m}}\n",
    deployment);
  StratusScenario *s = load_ok (text);
  g_free (text);
  return s;
}

/* Random failures of a single-AZ database's instance: the requests succeed as often as
 * the instance is up, 2 h / (2 h + 20 min) = 6/7, within the confidence interval over 10
 * replications; Multi-AZ fails over to its standby in a minute or two each time, so its
 * requests fail five times less often (and more) although its instances fail as often. */
static void
test_random_db_instance_failure (void **state)
{
  StratusScenario *single = db_scenario ("single_az");
  StratusReport *report = stratus_report_new (single);
  for (uint32_t k = 0; k < 10; k++)
    {
      StratusRunOptions options = { .seed = 1, .replication = k };
      StratusRunResult *r = stratus_model_run (single, &options);
      stratus_report_add (report, r);
      stratus_run_result_free (r);
    }
  double each = NAN, each_ci = NAN, ok = NAN, ok_ci = NAN;
  assert_true (stratus_report_figure (report, "faults.flaky-db.component_availability", &each,
                                      &each_ci));
  assert_true (stratus_report_figure (report, "availability.success_ratio", &ok, &ok_ci));
  print_message ("single-AZ: instance up %.4f ± %.4f, success %.4f ± %.4f (expected %.4f)\n",
                 each, each_ci, ok, ok_ci, 6.0 / 7.0);
  assert_true (fabs (each - 6.0 / 7.0) <= each_ci && each_ci < 0.03);
  assert_true (fabs (ok - 6.0 / 7.0) <= ok_ci && ok_ci < 0.03);
  stratus_report_free (report);
  stratus_scenario_free (single);

  StratusScenario *multi = db_scenario ("multi_az_instance");
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (multi, &options);
  const StratusRandomFaultResult *rf = &g_array_index (r->random_faults,
                                                       StratusRandomFaultResult, 0);
  double success = (double) r->outcomes[STRATUS_OUTCOME_OK] / (double) r->total;
  print_message ("Multi-AZ: %" G_GUINT64_FORMAT " failures, success %.5f\n", rf->failures,
                 success);
  /* About 50 failures, each costing the failover's minute or two (detection and DNS),
   * against 20 minutes each for the single instance. */
  assert_in_range (rf->failures, 30, 70);
  assert_true (success > 0.98);
  assert_true (1 - success < (1 - ok) / 5);
  stratus_run_result_free (r);
  stratus_scenario_free (multi);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse),
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test (test_nat_gateway_failure),
    cmocka_unit_test (test_disrupt_subnets),
    cmocka_unit_test (test_latency_injection),
    cmocka_unit_test (test_cpu_stress),
    cmocka_unit_test (test_cpu_stress_metric),
    cmocka_unit_test (test_memory_leak),
    cmocka_unit_test (test_random_availability),
    cmocka_unit_test (test_random_nat),
    cmocka_unit_test (test_nested_az_faults_park_restarts),
    cmocka_unit_test (test_random_stop_keeps_the_count),
    cmocka_unit_test (test_cpu_stresses_add_up),
    cmocka_unit_test (test_detection_by_kind),
    cmocka_unit_test (test_random_db_instance_failure),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
