/* Replications run concurrently on one shared scenario give, byte for byte, the outputs
 * they give one after the other. This is what a thread pool (`run --jobs`, `sweep`) relies
 * on: each worker thread runs its own replication (own engine and world, as
 * cli_run_replication does) on the SAME read-only scenario, then builds, queries, renders
 * and frees a one-replication report, while the other workers do the same. The shipped
 * scenarios are shortened through overrides so that the whole test takes some 15 s under
 * AddressSanitizer. It also checks the N-replication report built from the concurrent
 * results added in replication order.
 *
 * Under ThreadSanitizer (a build with -Db_sanitize=thread) it is the race detector's
 * workload; TSan does not see inside GSL, GLib or JSON-GLib (not instrumented), which
 * `valgrind --tool=helgrind` on a plain build does (its one report, in g_private_set at
 * GLib's thread start, is GLib's lock-free lazy initialisation).
 *
 *   test-threads                             the cases below
 *   test-threads [--set=PATH=VALUE]... FILE...  each scenario FILE instead, with those
 *                                            overrides (by default duration=20m) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "stratus/model.h"
#include "stratus/report.h"

#define REPLICATIONS 4 /* replications 0 .. 3 of each scenario */
#define OUTPUTS 6      /* what a worker renders of its report (output_names) */

static const char *const output_names[OUTPUTS] = {
  "report.json", "report.txt", "timeseries.csv", "events.csv", "groups.csv", "databases.csv",
};

/* A shipped scenario and the overrides that shorten it (NULL-terminated). */
typedef struct
{
  const char *name; /* the test's */
  const char *file; /* under scenarios/ (or a path, for the command-line cases) */
  const char *const *overrides;
} Case;

/* Two hours of a fixed fleet behind a load balancer: 15 minutes. */
static const char *const web_two_az_set[] = { "duration=15m", NULL };

/* A VPC with NAT gateways and security groups (the network's path caches): 20 minutes. */
static const char *const vpc_set[] = { "duration=20m", NULL };

/* An Auto Scaling group and an Aurora database whose manual failover moves from 1 h to
 * 5 min, over 15 minutes at a tenth of the load. */
static const char *const three_tier_set[] = {
  "duration=15m", "warmup=1m", "workload.shoppers.rate=100/s",
  "databases.app-db.actions.0.at=5m", NULL,
};

/* The diurnal day compressed into 40 minutes at a tenth of the load, from 2 instances, so
 * that the group scales out on the ramp and again on the flash sale, and in afterwards. */
static const char *const diurnal_set[] = {
  "duration=40m", "warmup=2m", "auto_scaling_groups.web-asg.desired_capacity=2",
  "workload.shoppers.rate.min=20/s", "workload.shoppers.rate.max=200/s",
  "workload.shoppers.rate.period=40m", "workload.shoppers.rate.peak_at=20m",
  "workload.flash-sale.rate.at=25m", "workload.flash-sale.rate.for=5m",
  "workload.flash-sale.rate.peak=300/s", NULL,
};

/* A day of random faults (instances, AZ power, the database's writer) made frequent
 * enough to strike several times in it. */
static const char *const random_faults_set[] = {
  "duration=1d", "workload.shoppers.rate=1/s", "faults.flaky-web.mtbf.mean=6h",
  "faults.az-power.mtbf.mean=1d", "faults.db-writer.mtbf.mean=12h", NULL,
};

/* The same VPC with a fault of every network and instance kind added: packet loss (the
 * world's lazily made loss stream), NAT gateways failing (scheduled and random), a subnet
 * cut off, CPU stress and a memory leak that kills the application again and again. */
static const char *const vpc_faults_set[] = {
  "duration=20m", "instances.web.memory={base: 3GiB}",
  "faults={"
  "slow: {action: latency_injection, between: [us-east-1a, us-east-1b], latency: 40ms, "
  "loss: 2%, at: 6m, duration: 4m}, "
  "nat: {action: nat_gateway_failure, nat_gateway: nat-b, at: 7m, duration: 3m}, "
  "cut: {action: disrupt_connectivity, subnets: [private-a], scope: internet, at: 9m, "
  "duration: 2m}, "
  "hot: {action: cpu_stress, target: web, load: 60%, at: 10m, duration: 3m}, "
  "leak: {action: memory_leak, target: web, count: 1, leak_per_minute: 1GiB, at: 12m}, "
  "flaky: {action: nat_gateway_failure, mtbf: 5m, mttr: {dist: exponential, mean: 1m}}}",
  NULL,
};

static const Case cases[] = {
  { "web-two-az", "web-two-az.yaml", web_two_az_set },
  { "vpc-public-private", "vpc-public-private.yaml", vpc_set },
  { "vpc-public-private+faults", "vpc-public-private.yaml", vpc_faults_set },
  { "three-tier", "three-tier.yaml", three_tier_set },
  { "autoscaling-diurnal", "autoscaling-diurnal.yaml", diurnal_set },
  { "random-faults", "random-faults.yaml", random_faults_set },
};

/* Never set: the workers read it as the CLI's runs read cli_stop_requested. */
static volatile sig_atomic_t stop_requested = 0;

/* A worker's progress, its own (as the CLI's CliProgress per run). */
typedef struct
{
  StratusTime now;
} Progress;

/* The engine's progress callback: records the simulated time in the worker's Progress. */
static void
on_progress (void *data, StratusTime now)
{
  Progress *p = data;
  p->now = now;
}

/* One replication to run and what came of it. */
typedef struct
{
  const StratusScenario *scenario; /* shared by every worker, read-only */
  uint64_t seed;
  guint replication;
  gint *start_line;        /* concurrent jobs: workers still to arrive (each waits for 0) */
  Progress progress;
  StratusRunResult *result; /* owned: kept for the N-replication report */
  double total;            /* the figure requests.total of the report */
  char *outputs[OUTPUTS];  /* owned: output_names, rendered from the report */
} Job;

/* Runs `job`'s replication and renders its one-replication report, as a worker of the thread
 * pool will: everything it writes is its own or `job`'s. */
static void
run_job (Job *job)
{
  StratusRunOptions options = {
    .seed = job->seed,
    .replication = (uint32_t) job->replication,
    .progress = on_progress,
    .progress_data = &job->progress,
    .stop_flag = &stop_requested,
  };
  job->result = stratus_model_run (job->scenario, &options);
  g_assert (job->result->end == STRATUS_SIM_END_DONE);
  StratusReport *report = stratus_report_new (job->scenario);
  stratus_report_add (report, job->result);
  double ci95 = 0;
  if (!stratus_report_figure (report, "requests.total", &job->total, &ci95))
    job->total = -1;
  char *(*const render[OUTPUTS]) (const StratusReport *) = {
    stratus_report_json, stratus_report_text, stratus_report_timeseries_csv,
    stratus_report_events_csv, stratus_report_groups_csv, stratus_report_databases_csv,
  };
  for (int i = 0; i < OUTPUTS; i++)
    job->outputs[i] = render[i](report);
  stratus_report_free (report);
}

/* The thread body: waits at the start line so that every worker runs at once, then runs. */
static gpointer
worker (gpointer data)
{
  Job *job = data;
  (void) g_atomic_int_dec_and_test (job->start_line);
  while (g_atomic_int_get (job->start_line) > 0)
    g_thread_yield ();
  run_job (job);
  return job;
}

/* Frees what `job` owns. */
static void
job_clear (Job *job)
{
  stratus_run_result_free (job->result);
  for (int i = 0; i < OUTPUTS; i++)
    g_free (job->outputs[i]);
}

/* report.json of the REPLICATIONS-replication report of `jobs`' results, added in
 * replication order (as `run --reps N` adds them: the summaries, the first replication's
 * seed and instances depend on the order). Caller frees. */
static char *
all_replications_json (const StratusScenario *s, const Job *jobs)
{
  StratusReport *report = stratus_report_new (s);
  for (guint k = 0; k < REPLICATIONS; k++)
    stratus_report_add (report, jobs[k].result);
  char *json = stratus_report_json (report);
  stratus_report_free (report);
  return json;
}

/* The scenario of `c` with its overrides; fails the test if it does not load. */
static StratusScenario *
load_case (const Case *c)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *path = g_path_is_absolute (c->file) || root == NULL
                 ? g_strdup (c->file)
                 : g_build_filename (root, "scenarios", c->file, NULL);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, c->overrides, &error);
  if (s == NULL)
    fail_msg ("%s: %s", path, error->message);
  g_free (path);
  return s;
}

/* Replications 0 .. REPLICATIONS-1 of `c`, one after the other, then all at once on as many
 * threads sharing the scenario: every output of every replication must be the same. */
static void
concurrent_replications_match_sequential (void **state)
{
  const Case *c = *state;
  gint64 started = g_get_monotonic_time ();
  StratusScenario *s = load_case (c);
  Job sequential[REPLICATIONS], concurrent[REPLICATIONS];
  for (guint k = 0; k < REPLICATIONS; k++)
    {
      sequential[k] = (Job){ .scenario = s, .seed = s->seed, .replication = k };
      run_job (&sequential[k]);
      assert_true (sequential[k].total > 0);
    }
  /* The replications differ (independent streams): equal outputs below mean something. */
  assert_string_not_equal (sequential[0].outputs[0], sequential[1].outputs[0]);
  gint64 sequential_done = g_get_monotonic_time ();

  gint start_line = REPLICATIONS;
  GThread *threads[REPLICATIONS];
  for (guint k = 0; k < REPLICATIONS; k++)
    concurrent[k] = (Job){ .scenario = s, .seed = s->seed, .replication = k,
                           .start_line = &start_line };
  /* Started in reverse order, so that no replication keeps its sequential position. */
  for (int k = REPLICATIONS - 1; k >= 0; k--)
    {
      char *name = g_strdup_printf ("replication-%d", k);
      threads[k] = g_thread_new (name, worker, &concurrent[k]);
      g_free (name);
    }
  for (guint k = 0; k < REPLICATIONS; k++)
    g_thread_join (threads[k]);
  gint64 concurrent_done = g_get_monotonic_time ();

  unsigned different = 0;
  for (guint k = 0; k < REPLICATIONS; k++)
    {
      if (concurrent[k].total != sequential[k].total)
        {
          print_error ("%s: replication %u: requests.total %.17g alone, %.17g concurrently\n",
                       c->name, k, sequential[k].total, concurrent[k].total);
          different++;
        }
      for (int i = 0; i < OUTPUTS; i++)
        if (strcmp (sequential[k].outputs[i], concurrent[k].outputs[i]) != 0)
          {
            print_error ("%s: replication %u: %s differs when run concurrently\n", c->name, k,
                         output_names[i]);
            different++;
          }
    }
  char *sequential_all = all_replications_json (s, sequential);
  char *concurrent_all = all_replications_json (s, concurrent);
  if (strcmp (sequential_all, concurrent_all) != 0)
    {
      print_error ("%s: the %d-replication report.json differs\n", c->name, REPLICATIONS);
      different++;
    }
  g_free (sequential_all);
  g_free (concurrent_all);
  printf ("%s: %d replications: %.2f s one after the other, %.2f s on %d threads, "
          "%u outputs different\n", c->name, REPLICATIONS,
          (double) (sequential_done - started) / 1e6,
          (double) (concurrent_done - sequential_done) / 1e6, REPLICATIONS, different);
  assert_int_equal (different, 0);
  for (guint k = 0; k < REPLICATIONS; k++)
    {
      job_clear (&sequential[k]);
      job_clear (&concurrent[k]);
    }
  stratus_scenario_free (s);
}

int
main (int argc, char **argv)
{
  /* Command-line cases: each FILE with the --set overrides (default duration=20m); none:
   * the shipped cases. */
  GPtrArray *files = g_ptr_array_new (), *set = g_ptr_array_new ();
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--set="))
      g_ptr_array_add (set, argv[i] + strlen ("--set="));
    else
      g_ptr_array_add (files, argv[i]);
  if (set->len == 0)
    g_ptr_array_add (set, "duration=20m");
  g_ptr_array_add (set, NULL);
  size_t n = files->len > 0 ? files->len : G_N_ELEMENTS (cases);
  Case *chosen = g_new0 (Case, n);
  struct CMUnitTest *tests = g_new0 (struct CMUnitTest, n);
  for (size_t i = 0; i < n; i++)
    {
      const char *file = files->len > 0 ? g_ptr_array_index (files, i) : NULL;
      chosen[i] = file != NULL ? (Case){ file, file, (const char *const *) set->pdata } : cases[i];
      tests[i] = (struct CMUnitTest){ .name = chosen[i].name,
                                      .test_func = concurrent_replications_match_sequential,
                                      .initial_state = &chosen[i] };
    }
  int failed = _cmocka_run_group_tests ("concurrent_replications_match_sequential", tests, n,
                                        NULL, NULL);
  g_free (tests);
  g_free (chosen);
  g_ptr_array_unref (set);
  g_ptr_array_unref (files);
  return failed;
}
