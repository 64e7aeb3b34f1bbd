/* `stratus optimize FILE --vary KEY=VALUES --objective FIGURE [--constraint EXPR ...]`
 * (stratus/optimize.h, docs/optimize.md). The points are those of a sweep (--vary,
 * --points); the optimizer says which (point, replication) pairs each round needs, and they
 * run on the thread pool like a sweep's (cli_sweep_plan.h): every point's replication k
 * uses the same random streams, and no pair is ever run twice. The conventions are `run`'s
 * (docs/cli.md), with one more exit status: 3 when no point meets the constraints. */
#include "cli/optimize.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_batch.h"
#include "cli/cli_common.h"
#include "cli/cli_sweep_plan.h"
#include "stratus/optimize.h"
#include "stratus/sweep.h"

#define COMMAND "optimize"

typedef struct
{
  CliRunArgs common; /* --seed, --reps, --out, --quiet, the limits */
  char **vary, **points_files, **overrides, **constraint_texts;
  char *objective, *method_text, *format, *jobs_text, *max_events_text;
  gboolean maximize;
  unsigned jobs;
  StratusOptimizeMethod method;
  GPtrArray *constraints; /* StratusConstraint *, owned */
} OptimizeArgs;

static void
optimize_args_clear (OptimizeArgs *a)
{
  cli_run_args_clear (&a->common);
  g_strfreev (a->vary);
  g_strfreev (a->points_files);
  g_strfreev (a->overrides);
  g_strfreev (a->constraint_texts);
  g_free (a->objective);
  g_free (a->method_text);
  g_free (a->format);
  g_free (a->jobs_text);
  g_free (a->max_events_text);
  if (a->constraints != NULL)
    g_ptr_array_unref (a->constraints);
}

static bool
parse_optimize_args (OptimizeArgs *a, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "objective", 0, 0, G_OPTION_ARG_STRING, &a->objective,
      "The figure whose mean is minimised, or maximised with --maximize (required): a report figure's path or an alias "
      "(monthly_cost, cost, p99, p50, availability)", "FIGURE" },
    { "maximize", 0, 0, G_OPTION_ARG_NONE, &a->maximize,
      "Maximise the objective instead", NULL },
    { "constraint", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->constraint_texts,
      "A condition on a figure's mean (repeatable): FIGURE OP VALUE with OP <, <=, > or >=; "
      "a '%' after VALUE divides it by 100 (availability>=99.95%)", "EXPR" },
    { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->vary,
      "A key and its values (repeatable; the space is every combination): KEY=V1,V2,... or "
      "KEY=A..B:STEP", "KEY=VALUES" },
    { "points", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->points_files,
      "A CSV file of points: a header row of keys, one row of values per point (combined "
      "with --vary as a grid)", "FILE.csv" },
    { "reps", 0, 0, G_OPTION_ARG_STRING, &a->common.reps_text,
      "Replications of a point, at most, 1 to 100000 (default 10): every point the search "
      "keeps to the end has this many", "N" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &a->method_text,
      "auto (default: exhaustive up to 16 points, racing beyond), exhaustive or racing",
      "METHOD" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a->common.seed_text,
      "Seed (default: the scenario's 'seed')", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->overrides,
      "Override a value at every point (repeatable), e.g. --set duration=30m", "PATH=VALUE" },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &a->jobs_text,
      "Replications run at once, on threads (default: the number of processors)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a->common.out_dir,
      "Also write optimize.txt and optimize.json into DIR, together", "DIR" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a->format,
      "The outcome on stdout: text (default) or json", "FORMAT" },
    { "max-events", 0, 0, G_OPTION_ARG_STRING, &a->max_events_text,
      "Refuse a point whose estimate for --reps replications passes N events, and stop a "
      "round past N events (default 20000000000)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->common.quiet, "No progress line on stderr",
      NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new (
    "FILE - the best point of a grid of values under constraints");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (
    ctx,
    "Examples:\n"
    "  stratus optimize scenarios/web-two-az.yaml --vary instances.web.count=1..8:1 "
    "--objective monthly_cost --constraint 'latency_ms.p99<250'\n"
    "  stratus optimize scenarios/web-two-az.yaml --vary instances.web.count=2..12:1 "
    "--vary instances.web.type=c5.large,c5.xlarge --objective monthly_cost --constraint "
    "'latency_ms.p99<250' --constraint 'availability>=99.95%' --reps 20 --out best/\n"
    "  stratus optimize scenarios/web-two-az.yaml --points points.csv --objective "
    "availability --maximize --format json\n"
    "\nThe winner is the point with the best mean of the objective among those whose means "
    "meet every constraint; the output gives each constraint's 95% interval there, the "
    "runners-up, and what became of every point. Up to 16 points every point runs --reps "
    "replications; beyond, racing: round 1 runs min(N, max(3, N/4)) at every point, and "
    "after each round the points that clearly violate a constraint, or are clearly worse "
    "than a point that clearly meets them all, are dropped, the others going on with twice "
    "the replications (those run are kept) up to N. Every point runs the same replications "
    "(common random numbers). Details: docs/optimize.md.\n"
    "\nExit status: 0 a winner; 3 no point meets the constraints (the output says which "
    "came closest; --out is written); 1 a failure while running or writing; 2 bad scenario, "
    "point, option, constraint or figure (one line on stderr); 130 interrupted. Nothing is "
    "written unless 0 or 3.");
  GError *error = NULL;
  bool ok = g_option_context_parse (ctx, argc, argv, &error);
  g_option_context_free (ctx);
  if (!ok)
    {
      cli_usage_error (COMMAND, error->message);
      g_error_free (error);
    }
  return ok;
}

/* Checks the options and parses the constraints; false (usage error printed) if one is
 * bad. */
static bool
check_optimize_args (OptimizeArgs *a)
{
  if (a->objective == NULL)
    return cli_usage_error (COMMAND, "--objective FIGURE is required (e.g. --objective "
                                     "monthly_cost)"), false;
  if (a->common.reps_text == NULL)
    a->common.reps_text = g_strdup ("10");
  if (!cli_check_reps_charts (&a->common, COMMAND, "") || !cli_check_seed (&a->common, COMMAND)
      || !cli_parse_jobs (a->jobs_text, COMMAND, &a->jobs))
    return false;
  if (a->format != NULL && strcmp (a->format, "text") != 0 && strcmp (a->format, "json") != 0)
    return cli_usage_error (COMMAND, "--format must be text or json"), false;
  a->method = STRATUS_OPTIMIZE_AUTO;
  if (a->method_text != NULL && !stratus_optimize_method_parse (a->method_text, &a->method))
    return cli_usage_error (COMMAND, "--method must be auto, exhaustive or racing"), false;
  stratus_budget_default_limits (&a->common.limits);
  if (a->max_events_text != NULL
      && !g_ascii_string_to_unsigned (a->max_events_text, 10, 1, G_MAXUINT64,
                                      &a->common.limits.max_events, NULL))
    return cli_usage_error (COMMAND, "--max-events must be a whole number >= 1"), false;
  a->constraints = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_constraint_free);
  for (char **t = a->constraint_texts; t != NULL && *t != NULL; t++)
    {
      GError *error = NULL;
      StratusConstraint *c = stratus_constraint_parse (*t, &error);
      if (c == NULL)
        {
          char *message = g_strdup_printf ("--constraint %s", error->message);
          cli_usage_error (COMMAND, message);
          g_free (message);
          g_error_free (error);
          return false;
        }
      g_ptr_array_add (a->constraints, c);
    }
  return true;
}

/* Hands a finished pair's record to the optimizer. */
static void
collect_record (void *data, size_t pair, StratusSweepRecord *record)
{
  stratus_optimizer_add (data, pair, record);
  stratus_sweep_record_free (record);
}

/* Runs the search round by round; the exit status (0, or that of a failed round, or 2 for
 * a figure no report has). */
static int
search (const CliSweepPlan *plan, const OptimizeArgs *a, StratusOptimizer *optimizer)
{
  CliSweepRun run = {
    .jobs = a->jobs,
    .max_events = a->common.limits.max_events,
    .show_progress = !a->common.quiet && isatty (STDERR_FILENO),
    .consume = collect_record,
    .data = optimizer,
  };
  for (;;)
    {
      size_t n = 0;
      size_t *pairs = stratus_optimizer_next_round (optimizer, &n);
      if (pairs == NULL)
        return 0;
      int status = cli_sweep_plan_run (plan, pairs, n, &run);
      g_free (pairs);
      if (status != 0)
        return status;
      GError *error = NULL;
      if (!stratus_optimizer_end_round (optimizer, &error))
        {
          status = cli_usage_error (COMMAND, error->message);
          g_error_free (error);
          return status;
        }
    }
}

/* The names optimize may write into --out. */
static const char *const optimize_file_names[] = { "optimize.txt", "optimize.json", NULL };

/* Writes the outcome: the --out set (opened before the runs: `set`, or NULL), then stdout;
 * the exit status (0 a winner, 3 none). */
static int
publish (const StratusOptimizer *optimizer, const OptimizeArgs *a, StratusOutputSet *set)
{
  char *text = stratus_optimizer_text (optimizer);
  char *json = stratus_optimizer_json (optimizer);
  GError *error = NULL;
  bool ok = set == NULL
            || (stratus_output_set_write (set, "optimize.txt", text, -1, &error)
                && stratus_output_set_write (set, "optimize.json", json, -1, &error));
  int status = cli_publish_outputs (set, ok, error, COMMAND);
  bool as_json = a->format != NULL && strcmp (a->format, "json") == 0;
  if (status == 0)
    status = cli_print_stdout (as_json ? json : text, COMMAND, "outcome");
  else
    g_free (as_json ? json : text);
  g_free (as_json ? text : json);
  size_t winner;
  if (status == 0 && !stratus_optimizer_winner (optimizer, &winner))
    status = EXIT_INFEASIBLE;
  return status;
}

int
cli_optimize (int argc, char **argv)
{
  OptimizeArgs a = { 0 };
  StratusSweepSpace *space = stratus_sweep_space_new ();
  CliSweepPlan plan = { 0 };
  StratusOutputSet *set = NULL;
  StratusOptimizer *optimizer = NULL;
  int status = EXIT_BAD_INPUT;
  if (!parse_optimize_args (&a, &argc, &argv) || !check_optimize_args (&a))
    goto out;
  if (argc != 2)
    {
      status = cli_usage_error (COMMAND, "optimize takes exactly one scenario file");
      goto out;
    }
  if (!cli_sweep_space_build (space, a.points_files, a.vary, a.common.reps, COMMAND))
    goto out;
  cli_install_stop_handlers ();
  plan = (CliSweepPlan){ .file = argv[1], .base_overrides = a.overrides, .space = space,
                         .replications = a.common.reps, .seed_given = a.common.seed_text != NULL,
                         .seed = a.common.seed };
  if (!cli_sweep_plan_load (&plan, &a.common.limits))
    goto out;
  status = 0;
  if (a.common.out_dir != NULL)
    {
      set = cli_open_outputs (a.common.out_dir, optimize_file_names, COMMAND, &status);
      if (set == NULL)
        goto out;
    }
  StratusSweepDefinition def;
  cli_sweep_plan_definition (&plan, &def);
  StratusOptimizeGoal goal = {
    .objective = a.objective,
    .maximize = a.maximize,
    .constraints = (StratusConstraint *const *) a.constraints->pdata,
    .n_constraints = a.constraints->len,
    .method = a.method,
  };
  optimizer = stratus_optimizer_new (&def, &goal);
  status = search (&plan, &a, optimizer);
  if (status == 0)
    status = publish (optimizer, &a, set);
out:
  stratus_optimizer_free (optimizer);
  stratus_output_set_free (set);
  cli_sweep_plan_clear (&plan);
  stratus_sweep_space_free (space);
  optimize_args_clear (&a);
  return status;
}
