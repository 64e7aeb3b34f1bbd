/* Scenario loading: defaults, units, every rate shape and service-time form, and the
 * exact position and wording of each kind of bad input, overrides, hostile YAML, and input
 * files that are not regular, too large, binary or out of range. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include "tmpdir.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stratus/scenario.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* The smallest valid scenario: everything else takes its default. */
static const char minimal[] = "duration: 2h\n"
                              "azs: [us-east-1a]\n"
                              "load_balancers:\n"
                              "  lb:\n"
                              "    target_group: web\n"
                              "instances:\n"
                              "  web:\n"
                              "    service_time: 10ms\n"
                              "    target_group: web\n"
                              "workload:\n"
                              "  w:\n"
                              "    entry: lb\n"
                              "    rate: 200/s\n";

/* The scenario the error tests change one thing in; line numbers matter. */
static const char base[] =
  "name: t\n"                                                                          /* 1 */
  "duration: 10m\n"                                                                    /* 2 */
  "warmup: 1m\n"                                                                       /* 3 */
  "azs: [us-east-1a, us-east-1b]\n"                                                    /* 4 */
  "load_balancers:\n"                                                                  /* 5 */
  "  web-alb:\n"                                                                       /* 6 */
  "    algorithm: round_robin\n"                                                       /* 7 */
  "    target_group: web\n"                                                            /* 8 */
  "instances:\n"                                                                       /* 9 */
  "  web:\n"                                                                           /* 10 */
  "    count: 2\n"                                                                     /* 11 */
  "    service_time: 20ms\n"                                                           /* 12 */
  "    target_group: web\n"                                                            /* 13 */
  "workload:\n"                                                                        /* 14 */
  "  shoppers:\n"                                                                      /* 15 */
  "    entry: web-alb\n"                                                               /* 16 */
  "    rate: {shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}\n"    /* 17 */
  "    timeout: 10s\n";                                                                /* 18 */







/* `text` is refused with a message starting `prefix` ("t.yaml:LINE:COL: ...") and
 * containing each needle. */
#define expect_error(text, prefix, ...)                                                     \
  check_message (load_error_with (text, NULL), prefix, NEEDLES (__VA_ARGS__))

/* `base` with `from` replaced by `to` is refused likewise. */
#define expect_subst_error(from, to, prefix, ...)                                           \
  do                                                                                        \
    {                                                                                       \
      char *text_ = subst (base, from, to);                                                 \
      char *message_ = load_error_with (text_, NULL);                                       \
      g_free (text_);                                                                       \
      check_message (message_, prefix, NEEDLES (__VA_ARGS__));                              \
    }                                                                                       \
  while (0)

static void
write_file (const char *path, const char *contents)
{
  GError *error = NULL;
  if (!g_file_set_contents (path, contents, -1, &error))
    fail_msg ("cannot write %s: %s", path, error->message);
}


/* Writes `scenario` as DIR/scenario.yaml and loads it from the file. */
static StratusScenario *
load_file (const char *dir, const char *scenario, GError **error)
{
  char *path = g_build_filename (dir, "scenario.yaml", NULL);
  write_file (path, scenario);
  StratusScenario *s = stratus_scenario_load (path, NULL, error);
  g_free (path);
  return s;
}

static const StratusFleetConfig *
fleet (const StratusScenario *s, guint i)
{
  assert_true (i < s->fleets->len);
  return g_ptr_array_index (s->fleets, i);
}

static const StratusWorkloadConfig *
workload (const StratusScenario *s, guint i)
{
  assert_true (i < s->workloads->len);
  return g_ptr_array_index (s->workloads, i);
}

static const StratusLoadBalancerConfig *
load_balancer (const StratusScenario *s, guint i)
{
  assert_true (i < s->load_balancers->len);
  return g_ptr_array_index (s->load_balancers, i);
}

/* The rate config of the first workload of `base` with line 17's rate replaced. */
static StratusScenario *
load_with_rate (const char *rate)
{
  char *line = g_strdup_printf ("    rate: %s\n", rate);
  char *text = subst (base, "    rate: {shape: diurnal, min: 200/s, max: 800/s, period: 24h, "
                            "peak_at: 14h}\n", line);
  StratusScenario *s = load_ok (text);
  g_free (text);
  g_free (line);
  return s;
}

/* ---- valid scenarios ------------------------------------------------------------------ */

/* `minimal` with one override is refused with a message starting `prefix`. */
static void
expect_override_error (const char *assignment, const char *prefix, const char *needle)
{
  const char *const overrides[] = { assignment, NULL };
  check_message (load_error_with (minimal, overrides), prefix, NEEDLES (needle));
}

/* A load balancer's idle timeout and deregistration delay: AWS's defaults, set in range,
 * refused out of it with the key's position. */
static void
test_load_balancer_timers (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (minimal);
  assert_int_equal (load_balancer (s, 0)->idle_timeout, 60 * STRATUS_SECOND);
  assert_int_equal (load_balancer (s, 0)->deregistration_delay, 300 * STRATUS_SECOND);
  stratus_scenario_free (s);
  const char *const set[] = { "load_balancers.lb.idle_timeout=4000s",
                              "load_balancers.lb.deregistration_delay=0s", NULL };
  s = load_ok_with (minimal, set);
  assert_int_equal (load_balancer (s, 0)->idle_timeout, 4000 * STRATUS_SECOND);
  assert_int_equal (load_balancer (s, 0)->deregistration_delay, 0);
  stratus_scenario_free (s);
  expect_override_error ("load_balancers.lb.idle_timeout=500ms", "--set:1:",
                         "idle_timeout: must be between 1s and 4000s, as on AWS");
  expect_override_error ("load_balancers.lb.idle_timeout=2h", "--set:1:",
                         "idle_timeout: must be between 1s and 4000s, as on AWS");
  expect_override_error ("load_balancers.lb.deregistration_delay=3601s", "--set:1:",
                         "deregistration_delay: must be between 0s and 3600s, as on AWS");
}

static void
test_distribution_refuses_parameters_it_does_not_take (void **state)
{
  (void) state;
  expect_override_error ("instances.web.service_time={dist: exponential, mean: 10ms, cv: 2}",
                         "--set:1:", "'cv' is not a parameter of the exponential distribution");
  expect_override_error ("instances.web.service_time={dist: lognormal, mean: 10ms, shape: 2}",
                         "--set:1:", "'shape' is not a parameter of the lognormal distribution");
  expect_override_error ("instances.web.service_time={dist: gamma, mean: 10ms, cv: 1, shape: 1}",
                         "--set:1:", "cv or shape, not both");
  expect_override_error ("instances.web.service_time={dist: weibull, mean: 10ms}", "--set:1:",
                         "weibull needs shape (> 0)");
  expect_override_error ("instances.web.service_time={dist: pareto, mean: 10ms}", "--set:1:",
                         "pareto needs shape (> 1");
  expect_override_error ("workload.w.rate={shape: replay, file: x.csv, format: arrivals, step: 1s}",
                         "--set:1:", "only a trace of rates");
  /* A syntax error in a one-line value stays on line 1. */
  expect_override_error ("name=[1", "--set:1:", "YAML syntax error");
  /* Text after a complete value is not silently dropped. */
  expect_override_error ("name={a: 1}}", "--set:1:", "YAML syntax error");
}

static void
test_one_document_only (void **state)
{
  (void) state;
  char *text = g_strconcat (minimal, "---\nduration: 1h\n", NULL);
  check_message (load_error_with (text, NULL), "t.yaml:14:1: ", NEEDLES ("one YAML document"));
  g_free (text);
}

static void
test_minimal_defaults (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (minimal);
  assert_string_equal (s->path, "t.yaml");
  assert_string_equal (s->name, "t"); /* the file name without its extension */
  assert_int_equal (s->duration, 2 * STRATUS_HOUR);
  assert_int_equal (s->duration, (StratusTime) 7200000000000);
  assert_int_equal (s->warmup, 0);
  assert_int_equal (s->seed, 1);
  assert_string_equal (s->region, "us-east-1");
  assert_int_equal (s->azs->len, 1);
  assert_string_equal (g_ptr_array_index (s->azs, 0), "us-east-1a");
  assert_int_equal (s->latency.same_az, 100 * STRATUS_US);
  assert_int_equal (s->latency.cross_az, 600 * STRATUS_US);
  assert_int_equal (s->latency.internet, 15 * STRATUS_MS);
  assert_int_equal (s->report_interval, STRATUS_MINUTE);

  assert_int_equal (s->load_balancers->len, 1);
  const StratusLoadBalancerConfig *lb = load_balancer (s, 0);
  assert_string_equal (lb->name, "lb");
  assert_int_equal (lb->algorithm, STRATUS_ALGORITHM_ROUND_ROBIN);
  assert_int_equal (lb->processing_time, 500 * STRATUS_US);
  assert_string_equal (lb->target_group, "web");
  assert_ptr_equal (stratus_scenario_find_load_balancer (s, "lb"), lb);
  assert_null (stratus_scenario_find_load_balancer (s, "nope"));

  assert_int_equal (s->fleets->len, 1);
  const StratusFleetConfig *f = fleet (s, 0);
  assert_string_equal (f->name, "web");
  assert_int_equal (f->count, 1);
  assert_string_equal (f->type, "c5.large");
  assert_int_equal (f->workers, 2); /* the vCPUs of a c5.large */
  assert_int_equal (f->queue_limit, -1);
  assert_string_equal (f->target_group, "web");
  assert_int_equal (f->service_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (f->service_time.mean, 10e6, 1e-6);
  assert_int_equal (stratus_scenario_instance_count (s), 1);

  assert_int_equal (s->workloads->len, 1);
  const StratusWorkloadConfig *w = workload (s, 0);
  assert_string_equal (w->name, "w");
  assert_string_equal (w->entry, "lb");
  assert_int_equal (w->rate.shape, STRATUS_RATE_CONSTANT);
  assert_float_equal (w->rate.rate, 200, 1e-9);
  assert_int_equal (w->timeout, 60 * STRATUS_SECOND);
  stratus_scenario_free (s);
}

static void
test_flagship_scenario (void **state)
{
  (void) state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    skip ();
  char *path = g_build_filename (root, "scenarios", "web-two-az.yaml", NULL);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (s->name, "web-two-az");
  assert_int_equal (s->duration, 2 * STRATUS_HOUR);
  assert_int_equal (s->warmup, 5 * STRATUS_MINUTE);
  assert_int_equal (s->azs->len, 2);
  const StratusFleetConfig *f = fleet (s, 0);
  assert_int_equal (f->count, 4);
  assert_int_equal (f->queue_limit, 200);
  assert_int_equal (f->service_time.kind, STRATUS_DIST_LOGNORMAL);
  assert_float_equal (f->service_time.mean, 20e6, 1e-6);
  assert_float_equal (f->service_time.cv, 1.0, 1e-12);
  const StratusWorkloadConfig *w = workload (s, 0);
  assert_int_equal (w->rate.shape, STRATUS_RATE_DIURNAL);
  assert_int_equal (w->timeout, 10 * STRATUS_SECOND);
  stratus_scenario_free (s);
  g_free (path);
}

static void
test_units_converted (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (
    "name: units\n"
    "duration: 1d\n"
    "warmup: 90s\n"
    "seed: 42\n"
    "region: eu-west-1\n"
    "azs: [eu-west-1a, eu-west-1b, eu-west-1c]\n"
    "latency: {same_az: 250us, cross_az: 1.5ms, internet: 0.02s}\n"
    "load_balancers:\n"
    "  lb:\n"
    "    algorithm: least_outstanding_requests\n"
    "    processing_time: 2ms\n"
    "    target_group: api\n"
    "instances:\n"
    "  api:\n"
    "    count: 6\n"
    "    type: m5.xlarge\n"
    "    queue_limit: unlimited\n"
    "    service_time: 1500us\n"
    "    target_group: api\n"
    "  batch:\n"
    "    count: 3\n"
    "    type: c5.2xlarge\n"
    "    workers: 5\n"
    "    queue_limit: 0\n"
    "    service_time: 1s\n"
    "workload:\n"
    "  users:\n"
    "    entry: lb\n"
    "    rate: 12k/min\n"
    "    timeout: unlimited\n"
    "report:\n"
    "  interval: 30s\n");
  assert_string_equal (s->name, "units");
  assert_int_equal (s->duration, 86400 * STRATUS_SECOND);
  assert_int_equal (s->warmup, 90 * STRATUS_SECOND);
  assert_int_equal (s->seed, 42);
  assert_string_equal (s->region, "eu-west-1");
  assert_int_equal (s->azs->len, 3);
  assert_string_equal (g_ptr_array_index (s->azs, 2), "eu-west-1c");
  assert_int_equal (s->latency.same_az, 250 * STRATUS_US);
  assert_int_equal (s->latency.cross_az, 1500 * STRATUS_US);
  assert_int_equal (s->latency.internet, 20 * STRATUS_MS);
  assert_int_equal (s->report_interval, 30 * STRATUS_SECOND);
  const StratusLoadBalancerConfig *lb = load_balancer (s, 0);
  assert_int_equal (lb->algorithm, STRATUS_ALGORITHM_LEAST_OUTSTANDING_REQUESTS);
  assert_int_equal (lb->processing_time, 2 * STRATUS_MS);
  const StratusFleetConfig *api = fleet (s, 0), *batch = fleet (s, 1);
  assert_int_equal (api->workers, 4); /* m5.xlarge: 4 vCPUs */
  assert_int_equal (api->queue_limit, -1);
  assert_float_equal (api->service_time.mean, 1.5e6, 1e-6);
  assert_int_equal (batch->workers, 5);
  assert_int_equal (batch->queue_limit, 0);
  assert_null (batch->target_group);
  assert_float_equal (batch->service_time.mean, 1e9, 1e-3);
  assert_int_equal (stratus_scenario_instance_count (s), 9);
  const StratusWorkloadConfig *w = workload (s, 0);
  assert_float_equal (w->rate.rate, 200, 1e-9);
  assert_int_equal (w->timeout, STRATUS_TIME_NEVER);
  stratus_scenario_free (s);
}

static void
test_rate_shapes (void **state)
{
  (void) state;
  StratusScenario *s = load_with_rate ("200/s");
  assert_int_equal (workload (s, 0)->rate.shape, STRATUS_RATE_CONSTANT);
  assert_float_equal (workload (s, 0)->rate.rate, 200, 1e-9);
  stratus_scenario_free (s);

  s = load_with_rate ("{shape: constant, rate: 3600/h}");
  assert_int_equal (workload (s, 0)->rate.shape, STRATUS_RATE_CONSTANT);
  assert_float_equal (workload (s, 0)->rate.rate, 1, 1e-12);
  stratus_scenario_free (s);

  s = load_with_rate ("{shape: steps, steps: [{at: 0s, rate: 100/s}, {at: 5m, rate: 300/s}]}");
  const StratusRateConfig *r = &workload (s, 0)->rate;
  assert_int_equal (r->shape, STRATUS_RATE_STEPS);
  assert_int_equal (r->steps->len, 2);
  assert_int_equal (g_array_index (r->steps, StratusRateStep, 0).at, 0);
  assert_float_equal (g_array_index (r->steps, StratusRateStep, 0).rate, 100, 1e-9);
  assert_int_equal (g_array_index (r->steps, StratusRateStep, 1).at, 5 * STRATUS_MINUTE);
  assert_float_equal (g_array_index (r->steps, StratusRateStep, 1).rate, 300, 1e-9);
  stratus_scenario_free (s);

  /* Steps that start later get a first step of 0/s at time 0. */
  s = load_with_rate ("{shape: steps, steps: [{at: 1m, rate: 50/s}]}");
  r = &workload (s, 0)->rate;
  assert_int_equal (r->steps->len, 2);
  assert_int_equal (g_array_index (r->steps, StratusRateStep, 0).at, 0);
  assert_float_equal (g_array_index (r->steps, StratusRateStep, 0).rate, 0, 0);
  assert_int_equal (g_array_index (r->steps, StratusRateStep, 1).at, STRATUS_MINUTE);
  stratus_scenario_free (s);

  s = load_with_rate ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}");
  r = &workload (s, 0)->rate;
  assert_int_equal (r->shape, STRATUS_RATE_DIURNAL);
  assert_float_equal (r->min, 200, 1e-9);
  assert_float_equal (r->max, 800, 1e-9);
  assert_int_equal (r->period, 24 * STRATUS_HOUR);
  assert_int_equal (r->peak_at, 14 * STRATUS_HOUR);
  stratus_scenario_free (s);

  s = load_with_rate ("{shape: diurnal, min: 1/s, max: 2/s}"); /* defaults */
  r = &workload (s, 0)->rate;
  assert_int_equal (r->period, 24 * STRATUS_HOUR);
  assert_int_equal (r->peak_at, 12 * STRATUS_HOUR);
  stratus_scenario_free (s);

  s = load_with_rate ("{shape: spike, base: 100/s, peak: 1k/s, at: 2m, for: 30s}");
  r = &workload (s, 0)->rate;
  assert_int_equal (r->shape, STRATUS_RATE_SPIKE);
  assert_float_equal (r->base, 100, 1e-9);
  assert_float_equal (r->peak, 1000, 1e-9);
  assert_int_equal (r->spike_at, 2 * STRATUS_MINUTE);
  assert_int_equal (r->spike_for, 30 * STRATUS_SECOND);
  stratus_scenario_free (s);
}

static void
test_replay_traces (void **state)
{
  const char *dir = *state;
  char *sub = g_build_filename (dir, "traces", NULL);
  assert_int_equal (g_mkdir (sub, 0755), 0);
  char *rates = g_build_filename (dir, "rates.csv", NULL);
  char *arrivals = g_build_filename (sub, "arrivals.csv", NULL);
  write_file (rates, "second,rate\n0,100\n1,150.5\n\n# a comment\n2,0\n");
  write_file (arrivals, "timestamp_s\r\n0.5\r\n1.25\r\n1.25\r\n2\r\n");

  /* Paths are relative to the scenario file, not the current directory. */
  char *text = subst (base, "{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "{shape: replay, file: rates.csv, step: 10s}");
  GError *error = NULL;
  StratusScenario *s = load_file (dir, text, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  const StratusRateConfig *r = &workload (s, 0)->rate;
  assert_int_equal (r->shape, STRATUS_RATE_REPLAY_RATES);
  assert_int_equal (r->trace_step, 10 * STRATUS_SECOND);
  assert_int_equal (r->trace_rates->len, 3);
  assert_float_equal (g_array_index (r->trace_rates, double, 0), 100, 1e-12);
  assert_float_equal (g_array_index (r->trace_rates, double, 1), 150.5, 1e-12);
  assert_float_equal (g_array_index (r->trace_rates, double, 2), 0, 0);
  stratus_scenario_free (s);
  g_free (text);

  text = subst (base, "{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                "{shape: replay, file: traces/arrivals.csv, format: arrivals}");
  s = load_file (dir, text, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  r = &workload (s, 0)->rate;
  assert_int_equal (r->shape, STRATUS_RATE_REPLAY_ARRIVALS);
  assert_int_equal (r->trace_arrivals->len, 4);
  assert_int_equal (g_array_index (r->trace_arrivals, StratusTime, 0), 500 * STRATUS_MS);
  assert_int_equal (g_array_index (r->trace_arrivals, StratusTime, 1), 1250 * STRATUS_MS);
  assert_int_equal (g_array_index (r->trace_arrivals, StratusTime, 2), 1250 * STRATUS_MS);
  assert_int_equal (g_array_index (r->trace_arrivals, StratusTime, 3), 2 * STRATUS_SECOND);
  stratus_scenario_free (s);
  g_free (text);

  /* Bad traces: the message points into the trace file. */
  write_file (rates, "second,rate\n0,100\n1, abc\n");
  text = subst (base, "{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                "{shape: replay, file: rates.csv}");
  s = load_file (dir, text, &error);
  assert_null (s);
  char *prefix = g_strdup_printf ("%s:3:4: ", rates);
  check_message (g_strdup (error->message), prefix, NEEDLES ("abc"));
  g_clear_error (&error);
  g_free (prefix);

  write_file (rates, "second,rate\n0,100\n1,-3\n");
  s = load_file (dir, text, &error);
  assert_null (s);
  prefix = g_strdup_printf ("%s:3:3: ", rates);
  check_message (g_strdup (error->message), prefix, NEEDLES ("non-negative"));
  g_clear_error (&error);
  g_free (prefix);

  write_file (rates, "second,rate\n");
  s = load_file (dir, text, &error);
  assert_null (s);
  check_message (g_strdup (error->message), rates, NEEDLES ("no values"));
  g_clear_error (&error);
  g_free (text);

  text = subst (base, "{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                "{shape: replay, file: missing.csv}");
  s = load_file (dir, text, &error);
  assert_null (s);
  char *missing = g_build_filename (dir, "missing.csv", NULL);
  prefix = g_strdup_printf ("%s:1:1: ", missing);
  check_message (g_strdup (error->message), prefix, NEEDLES ("no such file"));
  g_clear_error (&error);
  g_free (prefix);
  g_free (missing);
  g_free (text);

  /* Arrival timestamps must not go back in time, nor overflow the clock. */
  write_file (arrivals, "1\n3\n2\n");
  text = subst (base, "{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                "{shape: replay, file: traces/arrivals.csv, format: arrivals}");
  s = load_file (dir, text, &error);
  assert_null (s);
  char *scenario_path = g_build_filename (dir, "scenario.yaml", NULL);
  prefix = g_strdup_printf ("%s:17:33: ", scenario_path);
  check_message (g_strdup (error->message), prefix, NEEDLES ("must not decrease"));
  g_clear_error (&error);

  write_file (arrivals, "1\n1e11\n");
  s = load_file (dir, text, &error);
  assert_null (s);
  check_message (g_strdup (error->message), prefix, NEEDLES ("too large"));
  g_clear_error (&error);
  g_free (prefix);
  g_free (text);

  /* An error in the scenario file itself names the file as given. */
  s = load_file (dir, "duration: 1m\nduraton: 2m\n", &error);
  assert_null (s);
  prefix = g_strdup_printf ("%s:2:1: ", scenario_path);
  check_message (g_strdup (error->message), prefix, NEEDLES ("did you mean 'duration'?"));
  g_clear_error (&error);
  g_free (prefix);
  g_free (scenario_path);

  g_free (rates);
  g_free (arrivals);
  g_free (sub);
}

static void
test_service_time_forms (void **state)
{
  const char *dir = *state;
  StratusScenario *s = load_ok (base);
  assert_int_equal (fleet (s, 0)->service_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (fleet (s, 0)->service_time.mean, 20e6, 1e-6);
  stratus_scenario_free (s);

  char *text = subst (base, "service_time: 20ms", "service_time: {dist: lognormal, mean: 20ms, cv: 1.5}");
  s = load_ok (text);
  const StratusDist *d = &fleet (s, 0)->service_time;
  assert_int_equal (d->kind, STRATUS_DIST_LOGNORMAL);
  assert_float_equal (d->mean, 20e6, 1e-6);
  assert_float_equal (d->cv, 1.5, 1e-12);
  stratus_scenario_free (s);
  g_free (text);

  text = subst (base, "service_time: 20ms", "service_time: {dist: exponential, mean: 5ms}");
  s = load_ok (text);
  assert_int_equal (fleet (s, 0)->service_time.kind, STRATUS_DIST_EXPONENTIAL);
  assert_float_equal (fleet (s, 0)->service_time.mean, 5e6, 1e-6);
  stratus_scenario_free (s);
  g_free (text);

  /* Empirical samples: numbers in `unit` (default ms) or durations, relative path. */
  char *samples = g_build_filename (dir, "samples.csv", NULL);
  write_file (samples, "latency_ms\n10\n20\n  30\n4ms\n");
  text = subst (base, "service_time: 20ms", "service_time: {dist: empirical, file: samples.csv}");
  GError *error = NULL;
  s = load_file (dir, text, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  d = &fleet (s, 0)->service_time;
  assert_int_equal (d->kind, STRATUS_DIST_EMPIRICAL);
  assert_int_equal (d->n_samples, 4);
  assert_float_equal (d->samples[0], 10e6, 1e-6);
  assert_float_equal (d->samples[1], 20e6, 1e-6);
  assert_float_equal (d->samples[2], 30e6, 1e-6);
  assert_float_equal (d->samples[3], 4e6, 1e-6);
  assert_float_equal (d->mean, 16e6, 1e-6);
  stratus_scenario_free (s);
  g_free (text);

  write_file (samples, "10\n20\n30\n");
  text = subst (base, "service_time: 20ms",
                "service_time: {dist: empirical, file: samples.csv, unit: 1us, mean: 32us}");
  s = load_file (dir, text, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  d = &fleet (s, 0)->service_time;
  assert_float_equal (d->samples[0], 16e3, 1e-6); /* 10us rescaled by 32/20 */
  assert_float_equal (d->mean, 32e3, 1e-6);
  stratus_scenario_free (s);
  g_free (text);

  write_file (samples, "latency_ms\n10\n-20\n");
  text = subst (base, "service_time: 20ms", "service_time: {dist: empirical, file: samples.csv}");
  s = load_file (dir, text, &error);
  assert_null (s);
  char *prefix = g_strdup_printf ("%s:3:1: ", samples);
  check_message (g_strdup (error->message), prefix, NEEDLES ("negative"));
  g_clear_error (&error);
  g_free (prefix);
  g_free (text);
  g_free (samples);

  /* Errors in service_time forms. */
  expect_subst_error ("service_time: 20ms", "service_time: {dist: lognormall, mean: 20ms, cv: 1}",
                      "t.yaml:12:26: ", "unknown value 'lognormall'",
                      "did you mean 'lognormal'?");
  expect_subst_error ("service_time: 20ms", "service_time: {dist: lognormal, cv: 1}",
                      "t.yaml:12:19: ", "missing required key 'mean'");
  expect_subst_error ("service_time: 20ms", "service_time: {dist: gamma, mean: 1ms, cv: 1, shpe: 2}",
                      "t.yaml:12:51: ", "unknown key 'shpe'", "did you mean 'shape'?");
  expect_subst_error ("service_time: 20ms", "service_time: -20ms", "t.yaml:12:19: ",
                      "cannot be negative");
  expect_subst_error ("    service_time: 20ms\n", "", "t.yaml:11:5: ",
                      "web: missing required key 'service_time'");
}

/* ---- errors ----------------------------------------------------------------------- */

static void
test_base_is_valid (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (base);
  assert_int_equal (s->warmup, STRATUS_MINUTE);
  assert_int_equal (stratus_scenario_instance_count (s), 2);
  stratus_scenario_free (s);
}

static void
test_error_syntax (void **state)
{
  (void) state;
  expect_subst_error ("    count: 2\n", "    count: 2: 3\n", "t.yaml:11:13: ", "YAML syntax error",
                      "mapping values are not allowed");
  expect_subst_error ("azs: [us-east-1a, us-east-1b]", "azs: [us-east-1a, us-east-1b",
                      "t.yaml:", "YAML syntax error");
  expect_subst_error ("    count: 2\n", "\tcount: 2\n", "t.yaml:11:1: ", "YAML syntax error");
  expect_error ("a: \"unterminated\n", "t.yaml:2:1: ", "YAML syntax error", "end of stream");
}

static void
test_error_types (void **state)
{
  (void) state;
  expect_subst_error ("count: 2", "count: abc", "t.yaml:11:12: ",
                      "count: expected a whole number, found 'abc'");
  expect_subst_error ("count: 2", "count: 2.5", "t.yaml:11:12: ", "expected a whole number");
  expect_subst_error ("count: 2", "count: [2]", "t.yaml:11:12: ",
                      "count: expected a value, found a list");
  expect_subst_error ("count: 2", "count: 100001", "t.yaml:11:12: ", "out of range");
  expect_subst_error ("count: 2", "count:", "t.yaml:11:11: ", "count: missing value");
  expect_subst_error ("azs: [us-east-1a, us-east-1b]", "azs: us-east-1a", "t.yaml:4:6: ",
                      "azs: expected a list, found a value");
  expect_subst_error ("  web-alb:\n    algorithm: round_robin\n    target_group: web\n",
                      "  - web-alb\n", "t.yaml:6:3: ",
                      "load_balancers: expected a mapping, found a list");
  expect_subst_error ("    entry: web-alb\n", "    entry: {name: web-alb}\n", "t.yaml:16:12: ",
                      "entry: expected a value, found a mapping");
  expect_subst_error ("name: t\n", "seed: -1\n", "t.yaml:1:7: ", "seed:", "out of range");
  expect_subst_error ("name: t\n", "seed: x1\n", "t.yaml:1:7: ", "expected a whole number");
  expect_subst_error ("name: t\n", "latency: 1ms\n", "t.yaml:1:10: ",
                      "latency: expected a mapping, found a value");
}

static void
test_error_unknown_keys (void **state)
{
  (void) state;
  expect_subst_error ("duration: 10m", "duraton: 10m", "t.yaml:2:1: ",
                      "unknown key 'duraton' in the scenario", "did you mean 'duration'?");
  expect_subst_error ("service_time: 20ms", "servce_time: 20ms", "t.yaml:12:5: ",
                      "unknown key 'servce_time'", "did you mean 'service_time'?");
  expect_subst_error ("    timeout: 10s", "    timout: 10s", "t.yaml:18:5: ",
                      "unknown key 'timout' in a workload", "did you mean 'timeout'?");
  expect_subst_error ("peak_at: 14h", "peak: 14h", "t.yaml:17:65: ", "unknown key 'peak'",
                      "did you mean 'peak_at'?");
  expect_subst_error ("warmup: 1m", "WARMUP: 1m", "t.yaml:3:1: ", "did you mean 'warmup'?");
  expect_subst_error ("warmup: 1m", "wamrup: 1m", "t.yaml:3:1: ", "did you mean 'warmup'?");
  /* Case and transposition together. */
  expect_subst_error ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "{shape: spike, base: 1/s, peak: 2/s, at: 1m, FRO: 30s}", "t.yaml:17:56: ",
                      "unknown key 'FRO' in a spike rate", "did you mean 'for'?");
  /* Nothing close: the known keys are listed instead. */
  expect_subst_error ("warmup: 1m", "zzzzzzzz: 1m", "t.yaml:3:1: ", "unknown key 'zzzzzzzz'",
                      "known keys: name, duration");
}

static void
test_error_values (void **state)
{
  (void) state;
  expect_subst_error ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "-5/s", "t.yaml:17:11: ", "rate: rate '-5/s' is negative");
  expect_subst_error ("min: 200/s", "min: -5/s", "t.yaml:17:33: ", "min:", "negative");
  expect_subst_error ("algorithm: round_robin", "algorithm: round_robbin", "t.yaml:7:16: ",
                      "unknown value 'round_robbin'", "did you mean 'round_robin'?");
  expect_subst_error ("    target_group: web\ninstances", "    target_group: wbe\ninstances",
                      "t.yaml:8:19: ", "unknown target group 'wbe'", "did you mean 'web'?");
  expect_subst_error ("entry: web-alb", "entry: web-alv", "t.yaml:16:12: ",
                      "unknown load balancer 'web-alv'", "did you mean 'web-alb'?");
  expect_subst_error ("count: 2", "type: c5.lrge", "t.yaml:11:11: ",
                      "unknown instance type 'c5.lrge'", "did you mean 'c5.large'?");
  expect_subst_error ("warmup: 1m", "duration: 5m", "t.yaml:3:1: ",
                      "duplicate key 'duration' (first given at line 2)");
  expect_subst_error ("    count: 2\n", "    count: 2\n    count: 3\n", "t.yaml:12:5: ",
                      "duplicate key 'count'");
  expect_subst_error ("warmup: 1m", "warmup: 10m", "t.yaml:3:9: ",
                      "warmup: must be shorter than duration");
  expect_subst_error ("warmup: 1m", "warmup: 1h", "t.yaml:3:9: ", "shorter than duration");
  expect_subst_error ("us-east-1b]", "eu-west-1b]", "t.yaml:4:19: ",
                      "'eu-west-1b' is not an Availability Zone of region us-east-1");
  expect_subst_error ("us-east-1b]", "us-east-1a]", "t.yaml:4:19: ", "listed twice");
  expect_subst_error ("us-east-1b]",
                      "us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f, us-east-1g, "
                      "us-east-1h, us-east-1i, us-east-1j, us-east-1k, us-east-1l, us-east-1m, "
                      "us-east-1n, us-east-1o, us-east-1p, us-east-1q, us-east-1r, us-east-1s, "
                      "us-east-1t, us-east-1u, us-east-1v, us-east-1w, us-east-1x, us-east-1y, "
                      "us-east-1z, us-east-1za]",
                      "t.yaml:4:6: ", "azs: at most 26 Availability Zones (a region has at most 6), "
                      "found 27");
  expect_subst_error ("    entry: web-alb\n", "", "t.yaml:16:5: ",
                      "shoppers: missing required key 'entry'");
  expect_subst_error ("duration: 10m\n", "", "t.yaml:1:1: ", "missing required key 'duration'");
  expect_subst_error ("    target_group: web\ninstances", "instances", "t.yaml:7:5: ",
                      "web-alb: missing required key 'target_group'");
  expect_subst_error ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "200", "t.yaml:17:11: ", "rate '200' needs a time unit", "200/s");
  expect_subst_error ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "\"200\"", "t.yaml:17:11: ", "needs a time unit");
  expect_subst_error ("duration: 10m", "duration: 600", "t.yaml:2:11: ",
                      "duration '600' needs a unit");
  expect_subst_error ("timeout: 10s", "timeout: 10", "t.yaml:18:14: ", "needs a unit");
  expect_subst_error ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "{shape: steps, steps: [{at: 0s, rate: 1/s}, {at: 5m, rate: 2/s}, "
                      "{at: 2m, rate: 3/s}]}",
                      "t.yaml:17:81: ", "steps must be in increasing order");
  expect_subst_error ("{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      "{shape: steps, steps: [{at: 1m, rate: 1/s}, {at: 1m, rate: 2/s}]}",
                      "t.yaml:17:60: ", "increasing order");
  expect_subst_error ("max: 800/s", "max: 100/s", "t.yaml:17:45: ", "max: must be >= min");
  expect_subst_error ("diurnal", "sine", "t.yaml:17:19: ", "unknown value 'sine'",
                      "constant, steps, diurnal, spike, replay");
  expect_subst_error ("name: t\n", "region: us-west-2\n", "t.yaml:4:7: ",
                      "not an Availability Zone of region us-west-2");
  expect_subst_error ("count: 2", "queue_limit: -1", "t.yaml:11:18: ", "'unlimited'");
  expect_subst_error ("duration: 10m", "duration: 0s", "t.yaml:2:11: ", "must be > 0");
}

static void
test_error_workloads (void **state)
{
  (void) state;
  char *text = subst (base, "workload:\n  shoppers:\n    entry: web-alb\n", "");
  char *text2 = subst (text, "    rate: {shape: diurnal, min: 200/s, max: 800/s, period: 24h, "
                             "peak_at: 14h}\n    timeout: 10s\n", "");
  check_message (load_error_with (text2, NULL), "t.yaml:1:1: ", NEEDLES ("no workload"));
  g_free (text2);
  g_free (text);
}

static void
test_error_empty (void **state)
{
  (void) state;
  expect_error ("", "t.yaml:1:1: ", "the document is empty");
  expect_error ("# nothing here\n\n", "t.yaml:1:1: ", "the document is empty");
  expect_error ("just a word\n", "t.yaml:1:1: ", "scenario: expected a mapping, found a value");
  expect_error ("- a\n- b\n", "t.yaml:1:1: ", "expected a mapping, found a list");
}

/* A message names what was written, but never spans two lines. */
static void
test_error_one_line (void **state)
{
  (void) state;
  expect_subst_error ("count: 2", "count: \"a\\nb\"", "t.yaml:11:12: ", "'a\\nb'");
  expect_subst_error ("    count: 2\n", "    count: |\n      abc\n      def\n", "t.yaml:11:12: ",
                      "found 'abc\\ndef\\n'");
  expect_subst_error ("warmup: 1m", "\"war\\nmup\": 1m", "t.yaml:3:1: ", "'war\\nmup'");
  expect_subst_error ("warmup: 1m", "\"war\\x01mup\": 1m", "t.yaml:3:1: ", "'war\\x01mup'");
  const char *const set[] = { "instances.web.count=a\nb", NULL };
  check_message (load_error_with (base, set), "--set:1:", NULL);
}

/* Only one message even when two things are wrong in the same component. */
static void
test_error_first_only (void **state)
{
  (void) state;
  /* No target_group and a bad processing_time: reported once, without a GLib warning
   * about overwriting an error (warnings are fatal in this program). */
  expect_subst_error ("    algorithm: round_robin\n    target_group: web\n",
                      "    processing_time: abc\n", "t.yaml:7:5: ",
                      "missing required key 'target_group'");
}

/* ---- overrides ------------------------------------------------------------------------ */

static void
test_overrides (void **state)
{
  (void) state;
  const char *const count[] = { "instances.web.count=8", NULL };
  StratusScenario *s = load_ok_with (base, count);
  assert_int_equal (fleet (s, 0)->count, 8);
  stratus_scenario_free (s);

  const char *const rate[] = { "workload.shoppers.rate=900/s", NULL };
  s = load_ok_with (base, rate);
  assert_int_equal (workload (s, 0)->rate.shape, STRATUS_RATE_CONSTANT);
  assert_float_equal (workload (s, 0)->rate.rate, 900, 1e-9);
  stratus_scenario_free (s);

  /* New keys (and maps on the way) are created; later overrides win. */
  const char *const added[] = { "instances.web.queue_limit=50", "latency.same_az=1ms",
                                "instances.web.count=3", "instances.web.count=5",
                                "azs.1=us-east-1c", "seed=99",
                                "workload.shoppers.rate={shape: constant, rate: 10/s}", NULL };
  s = load_ok_with (base, added);
  assert_int_equal (fleet (s, 0)->queue_limit, 50);
  assert_int_equal (fleet (s, 0)->count, 5);
  assert_int_equal (s->latency.same_az, STRATUS_MS);
  assert_int_equal (s->latency.cross_az, 600 * STRATUS_US);
  assert_string_equal (g_ptr_array_index (s->azs, 1), "us-east-1c");
  assert_int_equal (s->seed, 99);
  assert_float_equal (workload (s, 0)->rate.rate, 10, 1e-9);
  stratus_scenario_free (s);

  /* A whole new fleet. */
  const char *const fleet_set[] = { "instances.extra={count: 2, service_time: 5ms}", NULL };
  s = load_ok_with (base, fleet_set);
  assert_int_equal (s->fleets->len, 2);
  assert_string_equal (fleet (s, 1)->name, "extra");
  assert_int_equal (stratus_scenario_instance_count (s), 4);
  stratus_scenario_free (s);
}

static void
test_override_errors (void **state)
{
  (void) state;
  const char *const misspelt[] = { "instances.web.cout=8", NULL };
  check_message (load_error_with (base, misspelt), "--set:1:15: ",
                 NEEDLES ("unknown key 'cout'", "did you mean 'count'?"));

  const char *const top[] = { "duraton=1h", NULL };
  check_message (load_error_with (base, top), "--set:1:1: ", NEEDLES ("did you mean 'duration'?"));

  const char *const no_equals[] = { "instances.web.count", NULL };
  check_message (load_error_with (base, no_equals), "--set:1:1: ",
                 NEEDLES ("'instances.web.count' is not of the form path=value"));

  const char *const no_path[] = { "=8", NULL };
  check_message (load_error_with (base, no_path), "--set:1:1: ", NEEDLES ("path=value"));

  const char *const bad_value[] = { "instances.web.count=abc", NULL };
  check_message (load_error_with (base, bad_value), "--set:1:21: ",
                 NEEDLES ("count: expected a whole number, found 'abc'"));

  const char *const bad_yaml[] = { "instances.web.count=[1", NULL };
  check_message (load_error_with (base, bad_yaml), "--set:", NEEDLES ("YAML syntax error"));

  const char *const empty_value[] = { "instances.web.count=", NULL };
  check_message (load_error_with (base, empty_value), "--set:1:21: ", NEEDLES ("empty"));

  const char *const into_scalar[] = { "duration.unit=s", NULL };
  check_message (load_error_with (base, into_scalar), "--set:1:10: ",
                 NEEDLES ("cannot set 'duration.unit'", "'duration' is a value"));

  const char *const bad_index[] = { "azs.7=us-east-1c", NULL };
  check_message (load_error_with (base, bad_index), "--set:1:5: ",
                 NEEDLES ("'azs' is a list", "'7' is not one of its item numbers"));

  const char *const empty_segment[] = { "instances..count=2", NULL };
  check_message (load_error_with (base, empty_segment), "--set:1:11: ", NEEDLES ("empty name"));

  /* The first bad override stops the load; the scenario itself is not looked at. */
  const char *const two[] = { "instances.web.count=4", "nope", NULL };
  check_message (load_error_with ("not: [valid", two), "t.yaml:", NEEDLES ("YAML syntax"));
  check_message (load_error_with (base, two), "--set:1:1: ", NEEDLES ("'nope'"));
}

/* ---- hostile input ---------------------------------------------------------------- */

static void
test_aliases_allowed (void **state)
{
  (void) state;
  char *text = subst (base, "    service_time: 20ms\n    target_group: web\n",
                      "    service_time: &st {dist: lognormal, mean: 20ms, cv: 0.5}\n"
                      "    target_group: web\n"
                      "  web2:\n"
                      "    service_time: *st\n");
  StratusScenario *s = load_ok (text);
  assert_int_equal (s->fleets->len, 2);
  assert_int_equal (fleet (s, 1)->service_time.kind, STRATUS_DIST_LOGNORMAL);
  assert_float_equal (fleet (s, 1)->service_time.cv, 0.5, 1e-12);
  stratus_scenario_free (s);
  g_free (text);
}

static void
test_billion_laughs (void **state)
{
  (void) state;
  GString *text = g_string_new ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                                "\"lol\",\"lol\"]\n");
  for (char c = 'b'; c <= 'i'; c++)
    {
      g_string_append_printf (text, "%c: &%c [", c, c);
      for (int i = 0; i < 9; i++)
        g_string_append_printf (text, "%s*%c", i ? "," : "", c - 1);
      g_string_append (text, "]\n");
    }
  g_string_append (text, base);
  gint64 start = g_get_monotonic_time ();
  check_message (load_error_with (text->str, NULL), "t.yaml:", NEEDLES ("too many nodes"));
  assert_true (g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC);
  g_string_free (text, TRUE);

  /* An alias of its own ancestor. */
  expect_error ("a: &a [*a]\n", "t.yaml:1:4: ", "nested too deeply");
  expect_error ("a: &a {b: *a}\n", "t.yaml:1:8: ", "nested too deeply");

  /* Few nodes but a long scalar: the text is bounded too. */
  GString *big = g_string_new ("a: &a \"");
  for (int i = 0; i < 1000000; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"\n");
  for (char c = 'b'; c <= 'd'; c++)
    {
      g_string_append_printf (big, "%c: &%c [", c, c);
      for (int i = 0; i < 10; i++)
        g_string_append_printf (big, "%s*%c", i ? "," : "", c - 1);
      g_string_append (big, "]\n");
    }
  check_message (load_error_with (big->str, NULL), "t.yaml:", NEEDLES ("too much text"));
  g_string_free (big, TRUE);
}

static void
test_deep_nesting (void **state)
{
  (void) state;
  /* Flow nesting, deep enough that libyaml alone would take seconds. */
  GString *text = g_string_new ("a: ");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '\n');
  gint64 start = g_get_monotonic_time ();
  check_message (load_error_with (text->str, NULL), "t.yaml:1:68: ", NEEDLES ("nested too deeply"));
  assert_true (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC);
  g_string_free (text, TRUE);

  /* Block nesting. */
  GString *block = g_string_new (NULL);
  for (int i = 0; i < 200; i++)
    {
      for (int j = 0; j < i; j++)
        g_string_append (block, "  ");
      g_string_append (block, "k:\n");
    }
  check_message (load_error_with (block->str, NULL), "t.yaml:65:129: ",
                 NEEDLES ("nested too deeply"));
  g_string_free (block, TRUE);

  /* 60 levels are fine as YAML (and refused as a scenario for other reasons). */
  GString *ok = g_string_new ("duration: ");
  for (int i = 0; i < 60; i++)
    g_string_append_c (ok, '[');
  for (int i = 0; i < 60; i++)
    g_string_append_c (ok, ']');
  check_message (load_error_with (ok->str, NULL), "t.yaml:1:11: ",
                 NEEDLES ("duration: expected a value, found a list"));
  g_string_free (ok, TRUE);
}

static void
test_nul_and_binary (void **state)
{
  (void) state;
  expect_error ("name: \"a\\0b\"\n", "t.yaml:1:7: ", "NUL");
  expect_error ("name: \xff\xfe\n", "t.yaml:1:", "YAML syntax error");
  expect_error ("? [a, b]\n: c\n", "t.yaml:1:3: ", "a key must be a plain name");
}

/* ---- input files: regular, bounded, text ---------------------------------------- */

/* The error of `base` with its rate replaced by `rate`, loaded from DIR. Caller frees. */
static char *
rate_file_error (const char *dir, const char *rate)
{
  char *text = subst (base, "{shape: diurnal, min: 200/s, max: 800/s, period: 24h, peak_at: 14h}",
                      rate);
  GError *error = NULL;
  StratusScenario *s = load_file (dir, text, &error);
  g_free (text);
  if (s != NULL)
    {
      stratus_scenario_free (s);
      fail_msg ("%s was accepted", rate);
    }
  char *message = g_strdup (error->message);
  g_error_free (error);
  return message;
}

/* `message` is exactly "PATH:LINE:COL: tail" for the file `name` in `dir`; frees it. */
static void
expect_file_message (char *message, const char *dir, const char *name, const char *tail)
{
  char *path = g_build_filename (dir, name, NULL);
  char *expected = g_strdup_printf ("%s:%s", path, tail);
  if (strcmp (message, expected) != 0)
    fail_msg ("message: %s\nexpected: %s", message, expected);
  g_free (expected);
  g_free (path);
  g_free (message);
}

static void
test_input_files_regular_and_bounded (void **state)
{
  const char *dir = *state;
  /* B6: /dev/zero would be read forever */
  char *m = rate_file_error (dir, "{shape: replay, file: /dev/zero}");
  assert_string_equal (m, "/dev/zero:1:1: cannot read the file: not a regular file (a device, "
                          "a FIFO or a socket cannot be read as a table)");
  g_free (m);
  /* a FIFO would block the open (nobody writes to it) */
  char *fifo = g_build_filename (dir, "fifo.csv", NULL);
  assert_int_equal (mkfifo (fifo, 0600), 0);
  expect_file_message (rate_file_error (dir, "{shape: replay, file: fifo.csv}"), dir, "fifo.csv",
                       "1:1: cannot read the file: not a regular file (a device, a FIFO or a "
                       "socket cannot be read as a table)");
  g_free (fifo);
  char *sub = g_build_filename (dir, "folder.csv", NULL);
  assert_int_equal (g_mkdir (sub, 0755), 0);
  expect_file_message (rate_file_error (dir, "{shape: replay, file: folder.csv}"), dir,
                       "folder.csv", "1:1: cannot read the file: it is a folder");
  g_free (sub);
  /* one byte over the size limit is refused before anything is read (a sparse file) */
  char *big = g_build_filename (dir, "big.csv", NULL);
  FILE *f = fopen (big, "w");
  assert_non_null (f);
  assert_int_equal (ftruncate (fileno (f), (off_t) (256 << 20) + 1), 0);
  fclose (f);
  expect_file_message (rate_file_error (dir, "{shape: replay, file: big.csv}"), dir, "big.csv",
                       "1:1: the file is 268435457 bytes, more than the limit of 256 MiB");
  g_free (big);
}

/* An empty file name was read as the folder's own name and gave ":1:1: cannot read the
 * file" (no file, no position: found by fuzz-parser); it is refused at the key. */
static void
test_input_files_named (void **state)
{
  (void) state;
  expect_override_error ("instances.web.service_time={dist: empirical, file: ''}",
                         "--set:1:", "file: the file name is empty");
  expect_override_error ("workload.w.rate={shape: replay, file: \"\"}", "--set:1:",
                         "file: the file name is empty");
}

static void
test_input_files_text_and_values_in_range (void **state)
{
  const char *dir = *state;
  char *csv = g_build_filename (dir, "t.csv", NULL);
  /* B14: a NUL byte silently ended the file; now an error at its line and column */
  assert_true (g_file_set_contents (csv, "1\n2\n\0garbage\nxyz\n", 17, NULL));
  expect_file_message (rate_file_error (dir, "{shape: replay, file: t.csv}"), dir, "t.csv",
                       "3:1: a NUL byte: this is not a text file");
  /* replayed rates above the cap; the cap itself is accepted */
  write_file (csv, "rate\n10000000\n10000001\n");
  expect_file_message (rate_file_error (dir, "{shape: replay, file: t.csv}"), dir, "t.csv",
                       "3:1: rate 10000001/s is above the simulator's limit of 10M/s per "
                       "workload");
  /* arrival timestamps past 100 years; the limit itself is accepted */
  write_file (csv, "3155760000\n3155760001\n");
  char *m = rate_file_error (dir, "{shape: replay, file: t.csv, format: arrivals}");
  assert_non_null (strstr (m, ":17:33: file: arrival timestamp 3.15576e+09 s (value 2 of the "
                              "file) is too large: past the simulator's limit of 36525d (100 "
                              "years)"));
  g_free (m);
  /* B1-empirical: a sample of 1e19 ms, at its line; a number that does not fit is not a
   * header */
  write_file (csv, "1e19\n");
  char *text = subst (base, "service_time: 20ms", "service_time: {dist: empirical, file: t.csv}");
  GError *error = NULL;
  assert_null (load_file (dir, text, &error));
  expect_file_message (g_strdup (error->message), dir, "t.csv",
                       "1:1: sample 1e19 (in units of 1ms) is longer than the simulator's "
                       "limit of 36525d (100 years)");
  g_clear_error (&error);
  write_file (csv, "3155760000000\n"); /* 36525d in ms: the limit */
  StratusScenario *s = load_file (dir, text, &error);
  assert_non_null (s);
  assert_true (fleet (s, 0)->service_time.samples[0] == (double) STRATUS_TIME_INPUT_MAX);
  stratus_scenario_free (s);
  g_free (text);
  g_free (csv);
}

int
main (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_minimal_defaults),
    cmocka_unit_test (test_load_balancer_timers),
    cmocka_unit_test (test_distribution_refuses_parameters_it_does_not_take),
    cmocka_unit_test (test_one_document_only),
    cmocka_unit_test (test_flagship_scenario),
    cmocka_unit_test (test_units_converted),
    cmocka_unit_test (test_rate_shapes),
    cmocka_unit_test_setup_teardown (test_replay_traces, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_service_time_forms, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (test_base_is_valid),
    cmocka_unit_test (test_error_syntax),
    cmocka_unit_test (test_error_types),
    cmocka_unit_test (test_error_unknown_keys),
    cmocka_unit_test (test_error_values),
    cmocka_unit_test (test_error_workloads),
    cmocka_unit_test (test_error_empty),
    cmocka_unit_test (test_error_one_line),
    cmocka_unit_test (test_error_first_only),
    cmocka_unit_test (test_overrides),
    cmocka_unit_test (test_override_errors),
    cmocka_unit_test (test_aliases_allowed),
    cmocka_unit_test (test_billion_laughs),
    cmocka_unit_test (test_deep_nesting),
    cmocka_unit_test (test_nul_and_binary),
    cmocka_unit_test_setup_teardown (test_input_files_regular_and_bounded, tmpdir_setup,
                                     tmpdir_teardown),
    cmocka_unit_test (test_input_files_named),
    cmocka_unit_test_setup_teardown (test_input_files_text_and_values_in_range, tmpdir_setup,
                                     tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
