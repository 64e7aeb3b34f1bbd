/* `stratus compare`: runs two or more scenarios with the same seed and replications
 * (replication k of every scenario in turn, on the same random streams: common random
 * numbers) and prints one table of their figures and of their differences from the first,
 * with paired confidence intervals (stratus/compare.h). The conventions are `run`'s
 * (docs/cli.md): one-line errors, exit statuses 0/1/2/130, --out written as one unit and
 * nothing written unless the status is 0, a progress line on a terminal. */
#include "cli/compare.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_batch.h"
#include "cli/cli_common.h"
#include "stratus/compare.h"
#include "stratus/report.h"

/* ---- options ------------------------------------------------------------------------------ */

typedef struct
{
  CliRunArgs common; /* --seed, --reps, --out, --charts, --quiet, the limits */
  char **overrides;  /* --set (owned) */
  char *jobs_text;
  unsigned jobs;
} CompareArgs;

static void
compare_args_clear (CompareArgs *a)
{
  cli_run_args_clear (&a->common);
  g_strfreev (a->overrides);
  g_free (a->jobs_text);
}

/* Prints a usage error (the message and a hint); false, for the checks. */
static bool
refuse (const char *message)
{
  cli_usage_error ("compare", message);
  return false;
}

/* Parses and checks the options into `a` (the default limits of `run`); false (usage error
 * printed) if one is bad. */
static bool
check_args (CompareArgs *a)
{
  if (!cli_check_reps_charts (&a->common, "compare",
                              "--charts needs --out DIR (the chart is written there)")
      || !cli_check_seed (&a->common, "compare")
      || !cli_parse_jobs (a->jobs_text, "compare", &a->jobs))
    return false;
  stratus_budget_default_limits (&a->common.limits);
  return true;
}

/* Parses argv into `a`, leaving the scenario files in argv[1..]; false (message printed)
 * on a malformed option. */
static bool
parse_args (CompareArgs *a, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "reps", 0, 0, G_OPTION_ARG_STRING, &a->common.reps_text,
      "Replications of each scenario, 1 to 100000; figures get 95% confidence intervals and "
      "differences paired ones (default 1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a->common.seed_text,
      "Seed of every scenario (default: the first scenario's 'seed')", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &a->jobs_text,
      "Runs at once, on threads (default: the number of processors); the table is the same "
      "whatever N", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a->common.out_dir,
      "Also write compare.json, compare.csv and compare.txt into DIR, all together", "DIR" },
    { "charts", 0, 0, G_OPTION_ARG_STRING, &a->common.charts,
      "Also draw compare-cost.FORMAT (png, svg or pdf) into the --out folder", "FORMAT" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->overrides,
      "Override a value in every scenario (repeatable), e.g. --set duration=20m",
      "PATH=VALUE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->common.quiet, "No progress line on stderr", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new (
    "A.yaml B.yaml [C.yaml ...] - run scenarios side by side and compare them");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n"
         "  stratus compare scenarios/layouts/public-ip.yaml scenarios/layouts/nat-single.yaml "
         "scenarios/layouts/nat-per-az.yaml --reps 5\n"
         "  stratus compare a.yaml b.yaml --reps 10 --seed 7 --out results/ --charts png\n"
         "  stratus compare a.yaml b.yaml --set duration=20m --quiet\n"
         "\nEvery scenario runs with the same seed and replications (replication k of each in "
         "turn), so each sees the same random streams: the same arrivals when their workloads "
         "are the same. The table gives each scenario's monthly cost by category, latency p50 "
         "and p99, availability and errors by reason (mean ± 95% CI), and for every scenario "
         "after the first its difference from the first with the paired 95% CI (from the "
         "per-replication differences). A figure a scenario's report lacks reads '-'.\n"
         "\nExit status: 0 done; 1 a failure while running or writing (unwritable --out, disk "
         "full, event limit reached); 2 a bad scenario (one line 'file:line:column: message'), "
         "fewer than two scenarios, bad options, or refused by a limit; 130 interrupted "
         "(SIGINT/SIGTERM). Whenever the status is not 0, nothing is written.");
  GError *error = NULL;
  bool ok = g_option_context_parse (ctx, argc, argv, &error);
  g_option_context_free (ctx);
  if (!ok)
    {
      refuse (error->message);
      g_error_free (error);
    }
  return ok;
}

/* ---- scenarios ---------------------------------------------------------------------------- */

/* The scenarios being compared: loaded, their column labels, and their count. */
typedef struct
{
  StratusScenario **scenarios; /* owned */
  char **labels;               /* owned, NULL-terminated */
  unsigned n;
} Scenarios;

static void
scenarios_clear (Scenarios *sc)
{
  for (unsigned i = 0; sc->scenarios != NULL && i < sc->n; i++)
    if (sc->scenarios[i] != NULL)
      stratus_scenario_free (sc->scenarios[i]);
  g_free (sc->scenarios);
  g_strfreev (sc->labels);
}

/* The file's name without its folder and its .yaml / .yml suffix. Caller frees. */
static char *
file_stem (const char *path)
{
  char *base = g_path_get_basename (path);
  for (const char *suffix = ".yaml"; suffix != NULL;
       suffix = strcmp (suffix, ".yaml") == 0 ? ".yml" : NULL)
    if (g_str_has_suffix (base, suffix) && strlen (base) > strlen (suffix))
      base[strlen (base) - strlen (suffix)] = '\0';
  return base;
}

/* True if `label` is among labels[0 .. upto). */
static bool
label_taken (char **labels, unsigned upto, const char *label)
{
  for (unsigned j = 0; j < upto; j++)
    if (strcmp (labels[j], label) == 0)
      return true;
  return false;
}

/* Column labels: each file's stem, made unique by "#2", "#3"... (NULL-terminated; caller
 * frees with g_strfreev). */
static char **
unique_labels (char **files, unsigned n)
{
  char **labels = g_new0 (char *, n + 1);
  for (unsigned i = 0; i < n; i++)
    {
      char *stem = file_stem (files[i]);
      labels[i] = g_strdup (stem);
      for (unsigned k = 2; label_taken (labels, i, labels[i]); k++)
        {
          g_free (labels[i]);
          labels[i] = g_strdup_printf ("%s#%u", stem, k);
        }
      g_free (stem);
    }
  return labels;
}

/* Loads every scenario with the overrides; false (the file's error line printed) at the
 * first that fails. */
static bool
load_all (Scenarios *sc, char **files, unsigned n, char **overrides)
{
  sc->n = n;
  sc->scenarios = g_new0 (StratusScenario *, n);
  sc->labels = unique_labels (files, n);
  for (unsigned i = 0; i < n; i++)
    if ((sc->scenarios[i] = cli_load_scenario (files[i], overrides)) == NULL)
      return false;
  return true;
}

/* Checks each scenario's estimate against the limits and every network path it needs, as
 * `run` does before simulating; false (the one line printed) at the first refusal. */
static bool
check_all (const Scenarios *sc, const CompareArgs *a)
{
  for (unsigned i = 0; i < sc->n; i++)
    if (!cli_check_budget (sc->scenarios[i], a->common.reps, &a->common.limits, false)
        || !cli_check_paths (sc->scenarios[i], NULL))
      return false;
  return true;
}

/* Orders the elements of a GPtrArray of strings (g_ptr_array_sort passes pointers to
 * them). */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The scenario's workload names, sorted and joined by spaces. Caller frees. */
static char *
workload_names (const StratusScenario *s)
{
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; s->workloads != NULL && i < s->workloads->len; i++)
    g_ptr_array_add (names, ((StratusWorkloadConfig *) g_ptr_array_index (s->workloads, i))->name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  char *joined = g_strjoinv (" ", (char **) names->pdata);
  g_ptr_array_unref (names);
  return joined;
}

/* True if every scenario has the same workload names as the first (so the same arrival
 * streams). */
static bool
common_workloads (const Scenarios *sc)
{
  char *first = workload_names (sc->scenarios[0]);
  bool same = true;
  for (unsigned i = 1; i < sc->n && same; i++)
    {
      char *other = workload_names (sc->scenarios[i]);
      same = strcmp (first, other) == 0;
      g_free (other);
    }
  g_free (first);
  return same;
}

/* A new comparison of the scenarios. Caller frees. */
static StratusComparison *
comparison_for (const Scenarios *sc, char **files, uint64_t seed, guint reps)
{
  StratusCompareScenario *described = g_new0 (StratusCompareScenario, sc->n);
  for (unsigned i = 0; i < sc->n; i++)
    described[i] = (StratusCompareScenario){ sc->labels[i], files[i], sc->scenarios[i]->name };
  StratusComparison *c = stratus_comparison_new (described, sc->n, seed, reps,
                                                 common_workloads (sc));
  g_free (described);
  return c;
}

/* ---- running ------------------------------------------------------------------------------ */

/* The batch of a comparison: task t is replication t / n of scenario t % n, so that
 * replication k of scenario 0 reaches the comparison before replication k of the others. */
typedef struct
{
  const Scenarios *sc;
  uint64_t seed;
  unsigned reps;
  StratusComparison *comparison;
} CompareBatch;

static void
describe_task (void *data, size_t index, CliTask *task)
{
  const CompareBatch *cb = data;
  *task = (CliTask){ cb->sc->scenarios[index % cb->sc->n], cb->seed,
                     (unsigned) (index / cb->sc->n) };
}

/* In the worker: a report of that replication alone (the run's result freed at once). */
static void *
reduce_task (void *data, size_t index, StratusRunResult *result)
{
  const CompareBatch *cb = data;
  StratusReport *report = stratus_report_new (cb->sc->scenarios[index % cb->sc->n]);
  stratus_report_add (report, result);
  stratus_run_result_free (result);
  return report;
}

static void
free_report (void *item)
{
  stratus_report_free (item);
}

static void
consume_task (void *data, size_t index, void *item)
{
  CompareBatch *cb = data;
  stratus_comparison_add (cb->comparison, (unsigned) (index % cb->sc->n), item);
  stratus_report_free (item);
}

static char *
label_task (void *data, size_t index)
{
  const CompareBatch *cb = data;
  return g_strdup_printf ("replication %zu/%u of %s", index / cb->sc->n + 1, cb->reps,
                          cb->sc->labels[index % cb->sc->n]);
}

/* Runs replication k of every scenario, k = 0 .. reps-1, on --jobs threads; the exit status
 * (0, or 1 / 130 with the line printed). */
static int
simulate_all (const Scenarios *sc, const CompareArgs *a, uint64_t seed, StratusComparison *c)
{
  CompareBatch cb = { sc, seed, a->common.reps, c };
  CliBatch batch = {
    .tasks = (size_t) a->common.reps * sc->n,
    .jobs = a->jobs,
    .max_events = a->common.limits.max_events,
    .show_progress = !a->common.quiet && isatty (STDERR_FILENO),
    .describe = describe_task,
    .reduce = reduce_task,
    .free_item = free_report,
    .consume = consume_task,
    .label = label_task,
    .data = &cb,
  };
  return cli_batch_run (&batch);
}

/* ---- outputs ------------------------------------------------------------------------------ */

/* Writes the files into the set's temporary folder (if any) and publishes it; the exit
 * status (0, 1, or 130 when a signal came first; the line printed). */
static int
write_outputs (const StratusComparison *c, const CompareArgs *a, StratusOutputSet *set)
{
  GError *error = NULL;
  bool ok = set == NULL
            || stratus_comparison_write_set (c, set, a->common.charts != NULL,
                                             a->common.chart_format, &error);
  return cli_publish_outputs (set, ok, error, "compare");
}

/* After the checks: runs everything, writes the set (if any) and prints the table. */
static int
compare_checked (const Scenarios *sc, char **files, const CompareArgs *a, StratusOutputSet *set)
{
  const CliRunArgs *o = &a->common;
  uint64_t seed = o->seed_text != NULL ? o->seed : sc->scenarios[0]->seed;
  StratusComparison *c = comparison_for (sc, files, seed, o->reps);
  int status = simulate_all (sc, a, seed, c);
  if (status == 0)
    status = write_outputs (c, a, set);
  if (status == 0)
    status = cli_print_stdout (stratus_comparison_text (c), "compare", "table");
  stratus_comparison_free (c);
  return status;
}

int
cli_compare (int argc, char **argv)
{
  CompareArgs a = { 0 };
  Scenarios sc = { 0 };
  StratusOutputSet *set = NULL;
  int status = EXIT_BAD_INPUT;
  if (!parse_args (&a, &argc, &argv))
    goto out;
  if (argc < 3)
    {
      refuse ("compare takes two or more scenario files");
      goto out;
    }
  if (!check_args (&a))
    goto out;
  cli_install_stop_handlers ();
  if (!load_all (&sc, argv + 1, (unsigned) argc - 1, a.overrides) || !check_all (&sc, &a))
    goto out;
  status = 0;
  if (a.common.out_dir != NULL
      && (set = cli_open_outputs (a.common.out_dir, stratus_comparison_file_names (), "compare",
                                  &status)) == NULL)
    goto out;
  status = compare_checked (&sc, argv + 1, &a, set);
out:
  stratus_output_set_free (set); /* removes the temporary folder unless published */
  scenarios_clear (&sc);
  compare_args_clear (&a);
  return status;
}
