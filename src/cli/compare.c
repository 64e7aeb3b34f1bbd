/* `stratus compare`: runs two or more scenarios with the same seed and replications
 * (replication k of every scenario in turn, on the same random streams: common random
 * numbers) and prints one table of their figures and of their differences from the first,
 * with paired confidence intervals (stratus/compare.h). The conventions are `run`'s
 * (docs/cli.md): one-line errors, exit statuses 0/1/2/130, --out written as one unit and
 * nothing written unless the status is 0, a progress line on a terminal. */
#include "cli/compare.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stratus/budget.h"
#include "stratus/compare.h"
#include "stratus/model.h"
#include "stratus/output_set.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "stratus/scenario.h"
#include "stratus/units.h"

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2
#define EXIT_INTERRUPTED 130

/* ---- options ------------------------------------------------------------------------------ */

typedef struct
{
  /* as given */
  char *seed_text, *reps_text, *out_dir, *charts;
  char **overrides;
  gboolean quiet;
  /* parsed */
  guint64 seed;
  guint reps;
  StratusPlotFormat chart_format;
  StratusBudgetLimits limits;
} CompareArgs;

static void
compare_args_clear (CompareArgs *a)
{
  g_free (a->seed_text);
  g_free (a->reps_text);
  g_free (a->out_dir);
  g_free (a->charts);
  g_strfreev (a->overrides);
}

/* Prints a usage error (the message and a hint); false, for the checks. */
static bool
refuse (const char *message)
{
  fprintf (stderr, "stratus compare: %s\nRun 'stratus compare --help' for usage.\n", message);
  return false;
}

/* Parses and checks the options into `a` (the default limits of `run`); false (usage error
 * printed) if one is bad. */
static bool
check_args (CompareArgs *a)
{
  guint64 reps = 1;
  if (a->reps_text != NULL
      && !g_ascii_string_to_unsigned (a->reps_text, 10, 1, 100000, &reps, NULL))
    return refuse ("--reps must be a whole number from 1 to 100000 (plain decimal digits)");
  a->reps = (guint) reps;
  a->chart_format = STRATUS_PLOT_PNG;
  if (a->charts != NULL && !stratus_plot_format_parse (a->charts, &a->chart_format))
    return refuse ("--charts must be png, svg or pdf");
  if (a->charts != NULL && a->out_dir == NULL)
    return refuse ("--charts needs --out DIR (the chart is written there)");
  if (a->seed_text != NULL
      && !g_ascii_string_to_unsigned (a->seed_text, 10, 0, G_MAXINT64, &a->seed, NULL))
    return refuse ("--seed must be a whole number >= 0");
  stratus_budget_default_limits (&a->limits);
  return true;
}

/* Parses argv into `a`, leaving the scenario files in argv[1..]; false (message printed)
 * on a malformed option. */
static bool
parse_args (CompareArgs *a, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "reps", 0, 0, G_OPTION_ARG_STRING, &a->reps_text,
      "Replications of each scenario, 1 to 100000; figures get 95% confidence intervals and "
      "differences paired ones (default 1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a->seed_text,
      "Seed of every scenario (default: the first scenario's 'seed')", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a->out_dir,
      "Also write compare.json, compare.csv and compare.txt into DIR, all together", "DIR" },
    { "charts", 0, 0, G_OPTION_ARG_STRING, &a->charts,
      "Also draw compare-cost.FORMAT (png, svg or pdf) into the --out folder", "FORMAT" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->overrides,
      "Override a value in every scenario (repeatable), e.g. --set duration=20m",
      "PATH=VALUE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->quiet, "No progress line on stderr", NULL },
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

/* ---- signals ------------------------------------------------------------------------------ */

/* Set by SIGINT / SIGTERM; the engine checks it about every 65,536 events. */
static volatile sig_atomic_t stop_requested = 0;

/* Records the signal and restores the default handlers, so a second one kills at once. */
static void
on_stop_signal (int signo)
{
  struct sigaction dfl;
  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  sigaction (SIGINT, &dfl, NULL);
  sigaction (SIGTERM, &dfl, NULL);
  stop_requested = signo;
}

/* Installs on_stop_signal for SIGINT and SIGTERM (system calls are restarted). */
static void
install_stop_handlers (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset (&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

/* ---- progress ----------------------------------------------------------------------------- */

typedef struct
{
  gint64 started, last_print;
  bool show;    /* print the line (stderr is a terminal and no --quiet) */
  bool printed; /* a line is on the terminal */
  guint replication, replications;
  unsigned scenario, scenarios;
  const char *label; /* the scenario running (borrowed) */
  StratusTime duration, now;
} Progress;

/* The engine's progress callback: records the simulated time, and on a terminal prints (at
 * most 4 times a second, after 2 s) one line that clear_progress erases. */
static void
show_progress (void *data, StratusTime now)
{
  Progress *p = data;
  p->now = now;
  gint64 t = g_get_monotonic_time ();
  if (!p->show || t - p->started < 2 * G_USEC_PER_SEC || t - p->last_print < G_USEC_PER_SEC / 4)
    return;
  p->last_print = t;
  p->printed = true;
  char *sim = stratus_format_duration (now - now % STRATUS_SECOND);
  char *total = stratus_format_duration (p->duration);
  fprintf (stderr, "\r\033[Kstratus: replication %u/%u, %s (%u/%u), simulated %s of %s (%.0f%%)",
           p->replication + 1, p->replications, p->label, p->scenario + 1, p->scenarios, sim,
           total, 100.0 * (double) now / (double) p->duration);
  fflush (stderr);
  g_free (sim);
  g_free (total);
}

/* Erases the progress line if one is shown. */
static void
clear_progress (Progress *p)
{
  if (p->printed)
    fprintf (stderr, "\r\033[K");
  p->printed = false;
}

/* "during replication 2/10 of nat-single at simulated 1h02m of 2h". Caller frees. */
static char *
where_stopped (const Progress *p)
{
  char *sim = stratus_format_duration (p->now - p->now % STRATUS_SECOND);
  char *total = stratus_format_duration (p->duration);
  char *text = g_strdup_printf ("during replication %u/%u of %s at simulated %s of %s",
                                p->replication + 1, p->replications, p->label, sim, total);
  g_free (sim);
  g_free (total);
  return text;
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
    {
      GError *error = NULL;
      sc->scenarios[i] = stratus_scenario_load (files[i], (const char *const *) overrides, &error);
      if (sc->scenarios[i] == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          g_error_free (error);
          return false;
        }
    }
  return true;
}

/* Checks each scenario's estimate against the limits and every network path it needs, as
 * `run` does before simulating; false (the one line printed) at the first refusal. */
static bool
check_all (const Scenarios *sc, const CompareArgs *a)
{
  for (unsigned i = 0; i < sc->n; i++)
    {
      StratusBudgetEstimate estimate;
      stratus_budget_estimate (sc->scenarios[i], a->reps, &estimate);
      GError *error = NULL;
      if (!stratus_budget_check (sc->scenarios[i], &estimate, &a->limits, &error)
          || !stratus_model_check (sc->scenarios[i], NULL, &error))
        {
          fprintf (stderr, "%s\n", error != NULL ? error->message : "stratus: refused by a limit");
          g_clear_error (&error);
          return false;
        }
    }
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

/* Runs replication `k` of scenario `i` and adds it to the comparison through a report of
 * that replication alone (the run's result and the report are freed at once). Returns how
 * the run ended; `events` counts the events of finished runs. */
static StratusSimEnd
run_one (const Scenarios *sc, unsigned i, guint k, const CompareArgs *a, uint64_t seed,
         StratusComparison *c, Progress *progress, uint64_t *events)
{
  uint64_t max = a->limits.max_events;
  StratusRunOptions options = {
    .seed = seed,
    .replication = (uint32_t) k,
    .progress = show_progress,
    .progress_data = progress,
    .stop_flag = &stop_requested,
    .max_events = max != 0 ? (max > *events ? max - *events : 1) : 0,
  };
  StratusRunResult *result = stratus_model_run (sc->scenarios[i], &options);
  StratusSimEnd end = result->end;
  if (end == STRATUS_SIM_END_DONE && stop_requested)
    end = STRATUS_SIM_END_INTERRUPTED; /* the signal came after the engine's last check */
  if (end == STRATUS_SIM_END_DONE)
    {
      *events += result->run_stats.events;
      StratusReport *report = stratus_report_new (sc->scenarios[i]);
      stratus_report_add (report, result);
      stratus_run_result_free (result);
      result = NULL;
      stratus_comparison_add (c, i, report);
      stratus_report_free (report);
    }
  stratus_run_result_free (result);
  return end;
}

/* Runs replication k of every scenario in turn, k = 0 .. reps-1; stops at the first run
 * cut short, leaving `progress` where it stopped, and returns how it ended. */
static StratusSimEnd
simulate_all (const Scenarios *sc, const CompareArgs *a, uint64_t seed, StratusComparison *c,
              Progress *progress)
{
  uint64_t events = 0;
  for (guint k = 0; k < a->reps; k++)
    for (unsigned i = 0; i < sc->n; i++)
      {
        progress->replication = k;
        progress->scenario = i;
        progress->label = sc->labels[i];
        progress->duration = sc->scenarios[i]->duration;
        progress->now = 0;
        StratusSimEnd end = stop_requested ? STRATUS_SIM_END_INTERRUPTED
                                           : run_one (sc, i, k, a, seed, c, progress, &events);
        if (end != STRATUS_SIM_END_DONE)
          return end;
      }
  return STRATUS_SIM_END_DONE;
}

/* Prints why the runs stopped early; the exit status (130 or 1). */
static int
report_stop (StratusSimEnd end, const Progress *progress, const CompareArgs *a)
{
  char *where = where_stopped (progress);
  if (end == STRATUS_SIM_END_INTERRUPTED)
    fprintf (stderr, "stratus: interrupted %s; nothing written\n", where);
  else
    fprintf (stderr, "stratus: stopped at the event limit (%" G_GUINT64_FORMAT " events) %s; "
             "nothing written\n", a->limits.max_events, where);
  g_free (where);
  return end == STRATUS_SIM_END_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_RUN_FAILED;
}

/* ---- outputs ------------------------------------------------------------------------------ */

/* Opens the output set of --out DIR before the runs; NULL with *status set (2 when DIR
 * holds foreign files, 1 when it cannot be used) and the line printed. */
static StratusOutputSet *
open_outputs (const char *dir, int *status)
{
  GError *error = NULL;
  StratusOutputSet *set = stratus_output_set_open (dir, stratus_comparison_file_names (), &error);
  if (set == NULL)
    {
      fprintf (stderr, "stratus compare: %s\n", error->message);
      *status = g_error_matches (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_FOREIGN)
                  ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
      g_error_free (error);
    }
  return set;
}

/* Writes the files into the set's temporary folder and publishes it; the exit status (0,
 * 1, or 130 when a signal came first; the line printed). */
static int
write_outputs (const StratusComparison *c, const CompareArgs *a, StratusOutputSet *set)
{
  GError *error = NULL;
  bool ok = stratus_comparison_write_set (c, set, a->charts != NULL, a->chart_format, &error);
  if (ok && stop_requested)
    {
      fprintf (stderr, "stratus: interrupted while writing the results; nothing written\n");
      return EXIT_INTERRUPTED;
    }
  if (ok)
    ok = stratus_output_set_publish (set, &error);
  if (!ok)
    {
      fprintf (stderr, "stratus compare: %s; nothing written\n", error->message);
      g_error_free (error);
      return EXIT_RUN_FAILED;
    }
  return 0;
}

/* Prints the table on stdout; 1 (line printed) if stdout cannot take it. */
static int
print_table (const StratusComparison *c)
{
  char *text = stratus_comparison_text (c);
  int failed = fputs (text, stdout) < 0 || fflush (stdout) != 0;
  int saved = errno;
  g_free (text);
  if (failed)
    {
      fprintf (stderr, "stratus compare: cannot write the table to standard output: %s\n",
               g_strerror (saved));
      return EXIT_RUN_FAILED;
    }
  return 0;
}

/* After the checks: runs everything, writes the set (if any) and prints the table. */
static int
compare_checked (const Scenarios *sc, char **files, const CompareArgs *a, StratusOutputSet *set)
{
  uint64_t seed = a->seed_text != NULL ? a->seed : sc->scenarios[0]->seed;
  StratusComparison *c = comparison_for (sc, files, seed, a->reps);
  Progress progress = { .started = g_get_monotonic_time (), .replications = a->reps,
                        .scenarios = sc->n, .label = sc->labels[0],
                        .duration = sc->scenarios[0]->duration,
                        .show = !a->quiet && isatty (STDERR_FILENO) };
  StratusSimEnd end = simulate_all (sc, a, seed, c, &progress);
  clear_progress (&progress);
  int status = end != STRATUS_SIM_END_DONE ? report_stop (end, &progress, a) : 0;
  if (status == 0 && set != NULL)
    status = write_outputs (c, a, set);
  else if (status == 0 && stop_requested)
    {
      fprintf (stderr, "stratus: interrupted after the last replication; nothing written\n");
      status = EXIT_INTERRUPTED;
    }
  if (status == 0)
    status = print_table (c);
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
  install_stop_handlers ();
  if (!load_all (&sc, argv + 1, (unsigned) argc - 1, a.overrides) || !check_all (&sc, &a))
    goto out;
  status = 0;
  if (a.out_dir != NULL && (set = open_outputs (a.out_dir, &status)) == NULL)
    goto out;
  status = compare_checked (&sc, argv + 1, &a, set);
out:
  stratus_output_set_free (set); /* removes the temporary folder unless published */
  scenarios_clear (&sc);
  compare_args_clear (&a);
  return status;
}
