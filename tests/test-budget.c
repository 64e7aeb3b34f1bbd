/* Estimates of requests, events, rows and memory, and the limits a run must stay within. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stratus/budget.h"
#include "stratus/model.h"

#define HEAD                                                                                 \
  "azs: [us-east-1a, us-east-1b]\n"                                                        \
  "load_balancers:\n  lb: {target_group: q}\n"

/* Loads `text` (which must be valid) with the given overrides; caller frees. */
static StratusScenario *
load (const char *text, const char *const *overrides)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "budget.yaml", overrides, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  return s;
}

static StratusBudgetEstimate
estimate_of (const char *text, unsigned replications)
{
  StratusScenario *s = load (text, NULL);
  StratusBudgetEstimate e;
  stratus_budget_estimate (s, replications, &e);
  stratus_scenario_free (s);
  return e;
}

static void
default_limits_are_half_the_memory_and_2e10_events (void **state)
{
  StratusBudgetLimits limits;
  stratus_budget_default_limits (&limits);
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  assert_int_equal (limits.machine_memory_bytes, (uint64_t) pages * (uint64_t) page);
  assert_int_equal (limits.max_memory_bytes, limits.machine_memory_bytes / 2);
  assert_int_equal (limits.max_events, 20000000000ull);
}

static void
constant_rate_requests_are_rate_times_duration (void **state)
{
  StratusBudgetEstimate e = estimate_of (HEAD "duration: 100s\n"
                                         "instances:\n  s: {service_time: 10ms, target_group: q}\n"
                                         "workload:\n  w: {entry: lb, rate: 50/s}\n",
                                         3);
  assert_float_equal (e.requests, 5000, 1e-9);
  /* 7 events per request, plus one per report interval (2 rows: 100 s in 1-minute rows, +1). */
  assert_float_equal (e.events, 3 * (5000 * 7 + 3), 1e-6);
  assert_float_equal (e.rows, 3 * 3 * 2, 1e-9); /* whole-run rows and one instance's rows */
  assert_string_equal (e.events_key, "workload.w.rate");
}

static void
diurnal_integral_over_a_period_is_the_mean_rate (void **state)
{
  StratusBudgetEstimate e = estimate_of (
    HEAD "duration: 24h\n"
         "instances:\n  s: {service_time: 10ms, target_group: q}\n"
         "workload:\n  w: {entry: lb, rate: {shape: diurnal, min: 100/s, max: 300/s, "
         "period: 24h, peak_at: 14h}}\n",
    1);
  assert_float_equal (e.requests, 200.0 * 86400, 1e-3);
  /* Half a period starting at the trough: (min + max) / 2 x T minus the cosine's part. */
  StratusBudgetEstimate half = estimate_of (
    HEAD "duration: 12h\n"
         "instances:\n  s: {service_time: 10ms, target_group: q}\n"
         "workload:\n  w: {entry: lb, rate: {shape: diurnal, min: 100/s, max: 300/s, "
         "period: 24h, peak_at: 12h}}\n",
    1);
  /* The rate rises from 100 to 300 as (1 - cos) / 2: its integral is exactly 200 x 12 h. */
  assert_float_equal (half.requests, 200.0 * 43200, 1e-3);
}

static void
steps_and_spike_integrals (void **state)
{
  StratusBudgetEstimate steps = estimate_of (
    HEAD "duration: 30s\n"
         "instances:\n  s: {service_time: 10ms, target_group: q}\n"
         "workload:\n  w: {entry: lb, rate: {shape: steps, steps: [{at: 10s, rate: 5/s}, "
         "{at: 20s, rate: 1/s}]}}\n",
    1);
  assert_float_equal (steps.requests, 0 * 10 + 5 * 10 + 1 * 10, 1e-9);
  StratusBudgetEstimate spike = estimate_of (
    HEAD "duration: 60s\n"
         "instances:\n  s: {service_time: 10ms, target_group: q}\n"
         "workload:\n  w: {entry: lb, rate: {shape: spike, base: 10/s, peak: 110/s, at: 50s, "
         "for: 20s}}\n",
    1);
  assert_float_equal (spike.requests, 10 * 60 + 100 * 10, 1e-9); /* cut at the end */
}

static void
outbound_calls_add_events (void **state)
{
  StratusBudgetEstimate e = estimate_of (
    HEAD "duration: 10s\n"
         "instances:\n  s:\n    service_time: 10ms\n    target_group: q\n"
         "    outbound:\n      api: {destination: 203.0.113.10, port: 443, per_request: 2.5, "
         "service_time: 5ms}\n"
         "workload:\n  w: {entry: lb, rate: 100/s}\n",
    1);
  assert_float_equal (e.events, 1000 * (7 + 2.5) + 2, 1e-6);
}

/* A call to a fleet of the scenario costs a request's events (7) and that fleet's own calls:
 * 2 calls to `mid` per request, `mid` making 1 call to an address: 7 + 2 x (7 + 1). */
static void
calls_to_resources_cost_a_request_each (void **state)
{
  StratusBudgetEstimate e = estimate_of (
    HEAD "duration: 10s\n"
         "instances:\n  s:\n    service_time: 10ms\n    target_group: q\n"
         "    outbound:\n      inner: {destination: mid, per_request: 2}\n"
         "  mid:\n    service_time: 1ms\n"
         "    outbound:\n      api: {destination: 203.0.113.10, port: 443, service_time: 5ms}\n"
         "workload:\n  w: {entry: lb, rate: 100/s}\n",
    1);
  assert_float_equal (e.events, 1000 * (7 + 2 * (7 + 1)) + 2, 1e-6);
}

/* Checks `text` against `limits`; returns the error message (caller frees) or NULL. */
static char *
refusal (const char *text, const char *const *overrides, const StratusBudgetLimits *limits)
{
  StratusScenario *s = load (text, overrides);
  StratusBudgetEstimate e;
  stratus_budget_estimate (s, 1, &e);
  GError *error = NULL;
  bool ok = stratus_budget_check (s, &e, limits, &error);
  stratus_scenario_free (s);
  if (ok)
    return NULL;
  assert_non_null (error);
  assert_null (strchr (error->message, '\n'));
  char *message = g_strdup (error->message);
  g_error_free (error);
  if (g_getenv ("BUDGET_TEST_VERBOSE"))
    print_message ("%s\n", message);
  return message;
}

static const StratusBudgetLimits roomy = { .max_memory_bytes = 1ull << 40, .max_events = 0 };

static void
too_many_events_is_refused_at_the_rate (void **state)
{
  const char *text = HEAD "duration: 1000s\n"
                          "instances:\n  s: {service_time: 10ms, target_group: q}\n"
                          "workload:\n  w: {entry: lb, rate: 10M/s}\n";
  StratusBudgetLimits limits = { .max_memory_bytes = 1ull << 50, .max_events = 20000000000ull };
  char *m = refusal (text, NULL, &limits);
  assert_non_null (m);
  assert_true (g_str_has_prefix (m, "budget.yaml:8:24: workload.w.rate: the run would fire about 7e+10 events (1e+10 requests per replication, 1 replication), over the limit of 2e+10 events"));
  assert_non_null (strstr (m, "--max-events"));
  g_free (m);
  /* Raised, it passes. */
  limits.max_events = 100000000000ull;
  assert_null (refusal (text, NULL, &limits));
}

static void
an_override_is_named_by_its_set_position (void **state)
{
  const char *text = HEAD "duration: 10s\n"
                          "instances:\n  s: {service_time: 10ms, target_group: q}\n"
                          "workload:\n  w: {entry: lb, rate: 10/s}\n";
  const char *const overrides[] = { "workload.w.rate=10M/s", NULL };
  StratusBudgetLimits limits = { .max_memory_bytes = 1ull << 50, .max_events = 1000000 };
  char *m = refusal (text, overrides, &limits);
  assert_non_null (m);
  assert_true (g_str_has_prefix (m, "--set:1:"));
  assert_non_null (strstr (m, ": workload.w.rate: "));
  g_free (m);
}

/* 1M requests/s, each remembered for its 15-minute timeout: 9e8 deadline entries (40.3 GiB),
 * and for the load balancer's 60 s idle timeout at worst: 6e7 more (2.7 GiB). */
#define FORTY_GIB                                                                            \
  HEAD "duration: 15m\n"                                                                     \
       "instances:\n  s: {count: 1000, workers: 1000, service_time: 1ms, target_group: q}\n" \
       "workload:\n  w: {entry: lb, rate: 1M/s, timeout: 15m}\n"

static void
forty_gib_of_deadlines_is_refused_at_the_timeout (void **state)
{
  StratusBudgetLimits limits = { .max_memory_bytes = 12ull << 30, .max_events = 0 };
  gint64 start = g_get_monotonic_time ();
  char *m = refusal (FORTY_GIB, NULL, &limits);
  assert_true (g_get_monotonic_time () - start < G_USEC_PER_SEC);
  assert_non_null (m);
  assert_string_equal (m, "budget.yaml:8:39: workload.w.timeout: the run would need about 42.9 GiB "
                          "of memory, over the limit of 12.0 GiB (--max-memory raises it)");
  g_free (m);
  limits.max_memory_bytes = 64ull << 30;
  assert_null (refusal (FORTY_GIB, NULL, &limits));
  /* Raised past what the machine has, the machine's memory is the limit. */
  limits.machine_memory_bytes = 24ull << 30;
  m = refusal (FORTY_GIB, NULL, &limits);
  assert_string_equal (m, "budget.yaml:8:39: workload.w.timeout: the run would need about 42.9 GiB "
                          "of memory, more than this machine has (24.0 GiB)");
  g_free (m);
}

static void
an_overloaded_fleet_without_queue_limit_is_named (void **state)
{
  /* Capacity 100/s, offered 10k/s for a day, no timeout: the backlog grows without bound. */
  const char *text = HEAD "duration: 1d\n"
                          "instances:\n  s: {workers: 1, service_time: 10ms, target_group: q}\n"
                          "workload:\n  w: {entry: lb, rate: 10k/s, timeout: unlimited}\n";
  StratusBudgetLimits limits = { .max_memory_bytes = 8ull << 30, .max_events = 0 };
  char *m = refusal (text, NULL, &limits);
  assert_non_null (m);
  assert_true (g_str_has_prefix (m, "budget.yaml:6:6: instances.s.queue_limit: "));
  g_free (m);
  /* With a queue limit the backlog is refused at the door: no memory grows. */
  const char *const limited[] = { "instances.s.queue_limit=100", NULL };
  assert_null (refusal (text, limited, &limits));
}

static void
many_instances_are_named_by_their_count (void **state)
{
  const char *text = HEAD "duration: 10s\n"
                          "instances:\n  s: {count: 100000, service_time: 10ms, target_group: q}\n"
                          "workload:\n  w: {entry: lb, rate: 10/s}\n";
  StratusBudgetLimits limits = { .max_memory_bytes = 256ull << 20, .max_events = 0 };
  char *m = refusal (text, NULL, &limits);
  assert_non_null (m);
  assert_true (g_str_has_prefix (m, "budget.yaml:6:14: instances.s.count: "));
  g_free (m);
  assert_null (refusal (text, NULL, &roomy));
}

static void
describe_lists_every_figure (void **state)
{
  StratusBudgetEstimate e = estimate_of (HEAD "duration: 100s\n"
                                         "instances:\n  s: {service_time: 10ms, target_group: q}\n"
                                         "workload:\n  w: {entry: lb, rate: 50/s}\n",
                                         2);
  StratusBudgetLimits limits = { .max_memory_bytes = 1ull << 30, .max_events = 1000000 };
  char *text = stratus_budget_describe (&e, &limits);
  assert_non_null (strstr (text, "estimate for 2 replications:"));
  assert_non_null (strstr (text, "requests     5000 per replication"));
  assert_non_null (strstr (text, "events       7.001e+04 (limit 1e+06; driven by workload.w.rate)"));
  assert_non_null (strstr (text, "limit 1.0 GiB"));
  g_free (text);
}

static void
the_estimate_bounds_what_a_run_fires (void **state)
{
  /* The estimate is an upper bound of the events a run really fires (7 per request). */
  const char *text = HEAD "duration: 200s\n"
                          "instances:\n  s: {count: 2, service_time: {dist: exponential, mean: 10ms}, "
                          "target_group: q}\n"
                          "workload:\n  w: {entry: lb, rate: 100/s, timeout: 50ms}\n";
  StratusScenario *s = load (text, NULL);
  StratusBudgetEstimate e;
  stratus_budget_estimate (s, 1, &e);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  double fired = (double) r->run_stats.events;
  assert_true (fired <= e.events);
  assert_true (fired >= 0.5 * e.events); /* and not a wild overestimate */
  assert_int_equal (r->end, STRATUS_SIM_END_DONE);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
a_run_past_its_event_limit_or_stop_flag_ends_early (void **state)
{
  StratusScenario *s = load (HEAD "duration: 1000s\n"
                                  "instances:\n  s: {service_time: 1ms, target_group: q}\n"
                                  "workload:\n  w: {entry: lb, rate: 500/s}\n",
                             NULL);
  /* The engine checks its limits every 65,536 events. */
  StratusRunOptions options = { .seed = 1, .max_events = 100000 };
  StratusRunResult *r = stratus_model_run (s, &options);
  assert_int_equal (r->end, STRATUS_SIM_END_EVENT_LIMIT);
  assert_true (r->run_stats.events >= 100000 && r->run_stats.events < 100000 + 65536);
  stratus_run_result_free (r);
  volatile sig_atomic_t stop = 1;
  StratusRunOptions stopped = { .seed = 1, .stop_flag = &stop };
  r = stratus_model_run (s, &stopped);
  assert_int_equal (r->end, STRATUS_SIM_END_INTERRUPTED);
  assert_int_equal (r->run_stats.events, 65536);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
memory_sizes_parse (void **state)
{
  uint64_t b;
  assert_true (stratus_budget_parse_memory ("8GiB", &b));
  assert_int_equal (b, 8ull << 30);
  assert_true (stratus_budget_parse_memory ("500MB", &b));
  assert_int_equal (b, 500000000ull);
  assert_false (stratus_budget_parse_memory ("lots", &b));
  assert_false (stratus_budget_parse_memory ("0", &b));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (default_limits_are_half_the_memory_and_2e10_events),
    cmocka_unit_test (constant_rate_requests_are_rate_times_duration),
    cmocka_unit_test (diurnal_integral_over_a_period_is_the_mean_rate),
    cmocka_unit_test (steps_and_spike_integrals),
    cmocka_unit_test (outbound_calls_add_events),
    cmocka_unit_test (calls_to_resources_cost_a_request_each),
    cmocka_unit_test (too_many_events_is_refused_at_the_rate),
    cmocka_unit_test (an_override_is_named_by_its_set_position),
    cmocka_unit_test (forty_gib_of_deadlines_is_refused_at_the_timeout),
    cmocka_unit_test (an_overloaded_fleet_without_queue_limit_is_named),
    cmocka_unit_test (many_instances_are_named_by_their_count),
    cmocka_unit_test (describe_lists_every_figure),
    cmocka_unit_test (the_estimate_bounds_what_a_run_fires),
    cmocka_unit_test (a_run_past_its_event_limit_or_stop_flag_ends_early),
    cmocka_unit_test (memory_sizes_parse),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
