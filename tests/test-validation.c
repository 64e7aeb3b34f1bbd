/* The model against queueing theory. Each scenario in scenarios/validation/ is an
 * M/M/1, M/M/c or M/D/1 queue (zero latencies, unbounded FIFO queue, no timeout).
 *
 *   --replications  10 replications of each file as shipped: the exact mean sojourn
 *                   time, mean wait, probability of waiting and utilisation must lie in
 *                   the 95% Student-t confidence interval of the replication means
 *                   (and, for M/M/1, the p50/p90/p99 of the sojourn time), and Little's
 *                   law L = lambda W must hold in every replication within 1%.
 *   --long          one long run of each: every figure within 2% of the exact value. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "queueing_theory.h"
#include "stratus/model.h"
#include "stratus/report.h"

typedef struct
{
  const char *file;
  double lambda, mu;
  int c;
  bool deterministic; /* M/D/1 */
  const char *long_duration;
} Case;

static const Case cases[] = {
  { "mm1-rho50", 50, 100, 1, false, "40h" },
  { "mm1-rho80", 80, 100, 1, false, "40h" },
  { "mmc2-rho50", 100, 100, 2, false, "20h" },
  { "mmc4-rho80", 320, 100, 4, false, "10h" },
  { "mmc8-rho95", 760, 100, 8, false, "30h" },
  { "md1-rho70", 70, 100, 1, true, "30h" },
};

static bool long_mode;

static double
exact_wait (const Case *k)
{
  return k->deterministic ? md1_wait (k->lambda, k->mu) : mmc_wait (k->c, k->lambda, k->mu);
}

static double
exact_p_wait (const Case *k)
{
  /* M/D/1: an arrival waits iff the server is busy (PASTA), probability rho. */
  return k->deterministic ? k->lambda / k->mu : erlang_c (k->c, k->lambda / k->mu);
}

/* Loads a validation scenario, optionally with a longer duration. */
static StratusScenario *
load_case (const Case *k, const char *duration)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *path = g_strdup_printf ("%s/scenarios/validation/%s.yaml", root ? root : ".", k->file);
  char *override = duration ? g_strdup_printf ("duration=%s", duration) : NULL;
  const char *overrides[] = { override, NULL };
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, overrides, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  g_free (override);
  g_free (path);
  return s;
}

static GPtrArray *
run_reps (const StratusScenario *s, int reps)
{
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_run_result_free);
  for (int i = 0; i < reps; i++)
    {
      StratusRunOptions options = { .seed = s->seed, .replication = (uint32_t) i };
      g_ptr_array_add (results, stratus_model_run (s, &options));
    }
  return results;
}

/* Checks one figure: exact value inside the CI (replications) or within 2% (long run). */
static void
check (const Case *k, const StratusReport *report, const char *path, double exact)
{
  double mean, hw;
  assert_true (stratus_report_figure (report, path, &mean, &hw));
  double rel = fabs (mean - exact) / exact;
  printf ("  %-12s %-32s exact %10.5f  measured %10.5f", k->file, path, exact, mean);
  if (long_mode)
    {
      printf ("  off by %.3f%% (limit 2%%)\n", 100 * rel);
      if (rel > 0.02)
        fail_msg ("%s %s: %g is more than 2%% from the exact %g", k->file, path, mean, exact);
    }
  else
    {
      printf (" \u00b1 %.5f  %s\n", hw, fabs (mean - exact) <= hw ? "inside CI" : "OUTSIDE CI");
      assert_true (hw > 0);
      if (fabs (mean - exact) > hw)
        fail_msg ("%s %s: exact %g is outside the 95%% CI %g \u00b1 %g", k->file, path, exact,
                  mean, hw);
    }
}

static void
validate_case (void **state)
{
  const Case *k = *state;
  StratusScenario *s = load_case (k, long_mode ? k->long_duration : NULL);
  GPtrArray *results = run_reps (s, long_mode ? 1 : 10);
  StratusReport *report = stratus_report_new (s);
  for (guint i = 0; i < results->len; i++)
    stratus_report_add (report, g_ptr_array_index (results, i));

  double wq = exact_wait (k);
  double w = wq + 1 / k->mu;
  check (k, report, "latency_ms.mean", w * 1e3);
  check (k, report, "queueing.wait_ms_mean", wq * 1e3);
  check (k, report, "queueing.p_wait", exact_p_wait (k));
  check (k, report, "instances.server-1.utilisation", k->lambda / (k->c * k->mu));
  check (k, report, "queueing.mean_in_system", k->lambda * w);
  check (k, report, "throughput_rps", k->lambda);
  if (k->c == 1 && !k->deterministic)
    {
      check (k, report, "latency_ms.p50", mm1_sojourn_quantile (k->lambda, k->mu, 0.50) * 1e3);
      check (k, report, "latency_ms.p90", mm1_sojourn_quantile (k->lambda, k->mu, 0.90) * 1e3);
      check (k, report, "latency_ms.p99", mm1_sojourn_quantile (k->lambda, k->mu, 0.99) * 1e3);
    }

  /* Little's law on every sample path: L = X W with X the measured throughput. */
  for (guint i = 0; i < results->len; i++)
    {
      const StratusRunResult *r = g_ptr_array_index (results, i);
      double L = g_array_index (r->instances, StratusInstanceResult, 0).mean_in_system;
      double X = (double) r->outcomes[STRATUS_OUTCOME_OK] / stratus_time_seconds (r->window);
      double W = stratus_histogram_mean (r->latency) / 1e9;
      printf ("  %-12s Little's law rep %u: L %.4f, X W %.4f\n", k->file, i, L, X * W);
      if (fabs (L - X * W) / L > 0.01)
        fail_msg ("%s: Little's law off by more than 1%%: L %g, X W %g", k->file, L, X * W);
    }

  stratus_report_free (report);
  g_ptr_array_unref (results);
  stratus_scenario_free (s);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--long") == 0)
      long_mode = true;
  struct CMUnitTest tests[G_N_ELEMENTS (cases)];
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    tests[i] = (struct CMUnitTest){ .name = cases[i].file, .test_func = validate_case,
                                    .initial_state = (void *) &cases[i] };
  return _cmocka_run_group_tests (long_mode ? "validation_long_run_within_2_percent"
                                            : "validation_replications_95_ci",
                                  tests, G_N_ELEMENTS (tests), NULL, NULL);
}
