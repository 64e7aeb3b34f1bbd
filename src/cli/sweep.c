/* `stratus sweep FILE --vary KEY=V1,V2 [--vary KEY=A..B:STEP] [--points FILE.csv]` and
 * `stratus merge DIR...` (stratus/sweep.h, docs/sweeps.md, docs/scale-out.md). A sweep
 * runs every (point, replication) pair on --jobs threads, or only its shard's pairs
 * (--shard I/N: a partial result in --out DIR), or its MPI rank's (under mpirun, gathered
 * on rank 0); every way, the pairs reach the results in pair order, so the outputs are the
 * same bytes. The conventions are `run`'s (docs/cli.md). */
#include "cli/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_batch.h"
#include "cli/cli_common.h"
#include "cli/cli_mpi.h"
#include "cli/cli_sweep_plan.h"
#include "stratus/sweep.h"

/* ---- what sweep and merge share: the outputs ---------------------------------------------- */

/* The options of the outputs (as given, owned). */
typedef struct
{
  char *out_dir, *charts, *format, *x_key;
  char **chart_figures, **text_figures;
  gboolean quiet;
  StratusPlotFormat chart_format;
} OutputArgs;

static void
output_args_clear (OutputArgs *o)
{
  g_free (o->out_dir);
  g_free (o->charts);
  g_free (o->format);
  g_free (o->x_key);
  g_strfreev (o->chart_figures);
  g_strfreev (o->text_figures);
}

/* The charts drawn when --charts is given without --chart. */
static const char *const default_charts[] = { "latency_ms.p99", "cost.monthly_usd", NULL };

/* Checks the output options of `command`; false (usage error printed) if one is bad. */
static bool
check_output_args (OutputArgs *o, const char *command)
{
  if (o->format != NULL && strcmp (o->format, "text") != 0 && strcmp (o->format, "csv") != 0
      && strcmp (o->format, "json") != 0)
    return cli_usage_error (command, "--format must be text, csv or json"), false;
  o->chart_format = STRATUS_PLOT_PNG;
  if (o->charts != NULL && !stratus_plot_format_parse (o->charts, &o->chart_format))
    return cli_usage_error (command, "--charts must be png, svg or pdf"), false;
  if (o->charts != NULL && o->out_dir == NULL)
    return cli_usage_error (command, "--charts needs --out DIR (the charts are written there)"),
           false;
  if (o->chart_figures != NULL && o->charts == NULL)
    return cli_usage_error (command, "--chart needs --charts FORMAT and --out DIR"), false;
  return true;
}

/* The names a sweep may write into --out. */
static const char *const sweep_file_names[] = {
  "sweep.json", "sweep.csv", "sweep.txt", "sweep-*.png", "sweep-*.svg", "sweep-*.pdf", NULL,
};

/* Writes the results: the --out set (checked before the runs: `set`, or NULL) and the
 * table on stdout; the exit status. */
static int
publish_results (const StratusSweepResults *results, const OutputArgs *o,
                 StratusOutputSet *set, const char *command)
{
  const char *const *charts = o->chart_figures != NULL ? (const char *const *) o->chart_figures
                                                       : default_charts;
  /* Without --chart, the default charts whose figure the reports lack are left out. */
  GPtrArray *drawn = g_ptr_array_new ();
  for (const char *const *f = charts; *f != NULL; f++)
    if (o->chart_figures != NULL || stratus_sweep_results_figure_index (results, *f) >= 0)
      g_ptr_array_add (drawn, (char *) *f);
  g_ptr_array_add (drawn, NULL);
  GError *error = NULL;
  bool ok = set == NULL
            || stratus_sweep_results_write_set (results, set,
                                                (const char *const *) o->text_figures,
                                                o->charts != NULL,
                                                (const char *const *) drawn->pdata, o->x_key,
                                                o->chart_format, &error);
  g_ptr_array_unref (drawn);
  int status = cli_publish_outputs (set, ok, error, command);
  if (status != 0)
    return status;
  char *text = o->format != NULL && strcmp (o->format, "json") == 0
                 ? stratus_sweep_results_json (results)
               : o->format != NULL && strcmp (o->format, "csv") == 0
                 ? stratus_sweep_results_csv (results)
                 : stratus_sweep_results_text (results, (const char *const *) o->text_figures);
  return cli_print_stdout (text, command, "results");
}

/* Checks a --chart / --figure name against the results: a usage error (2) if unknown. */
static int
check_figures_known (const StratusSweepResults *results, const OutputArgs *o,
                     const char *command)
{
  char **lists[] = { o->chart_figures, o->text_figures };
  for (size_t l = 0; l < G_N_ELEMENTS (lists); l++)
    for (char **f = lists[l]; f != NULL && *f != NULL; f++)
      if (stratus_sweep_results_figure_index (results, *f) < 0)
        {
          char *message = g_strdup_printf ("%s %s: no such figure in these reports (sweep.csv "
                                           "lists them all; aliases: p50, p99, availability, "
                                           "monthly_cost)", l == 0 ? "--chart" : "--figure", *f);
          int status = cli_usage_error (command, message);
          g_free (message);
          return status;
        }
  return 0;
}

/* With --charts: a usage error (2, the line printed) if the charts have no x axis (--x not
 * a varied key with numbers for values, or no such key) in `results` or, before the runs,
 * `space`; 0 otherwise. */
static int
check_chart_x (const StratusSweepResults *results, const StratusSweepSpace *space,
               const OutputArgs *o, const char *command)
{
  GError *error = NULL;
  if (o->charts == NULL
      || (results != NULL ? stratus_sweep_results_chart_x_ok (results, o->x_key, &error)
                          : stratus_sweep_space_chart_x_ok (space, o->x_key, &error)))
    return 0;
  int status = cli_usage_error (command, error->message);
  g_error_free (error);
  return status;
}

/* ---- sweep -------------------------------------------------------------------------------- */

typedef struct
{
  CliRunArgs common; /* --seed, --reps, the limits (--out and --charts are in `output`) */
  OutputArgs output;
  char **vary, **points_files, **overrides;
  char *jobs_text, *shard_text, *max_events_text;
  unsigned jobs, shard, shards;
} SweepArgs;

static void
sweep_args_clear (SweepArgs *a)
{
  cli_run_args_clear (&a->common);
  output_args_clear (&a->output);
  g_strfreev (a->vary);
  g_strfreev (a->points_files);
  g_strfreev (a->overrides);
  g_free (a->jobs_text);
  g_free (a->shard_text);
  g_free (a->max_events_text);
}

/* Parses --shard I/N; false (usage error printed) if malformed. */
static bool
parse_shard (SweepArgs *a)
{
  a->shard = 0;
  a->shards = 1;
  if (a->shard_text == NULL)
    return true;
  char **two = g_strsplit (a->shard_text, "/", -1);
  guint64 i = 0, n = 0;
  bool ok = g_strv_length (two) == 2 && g_ascii_string_to_unsigned (two[0], 10, 0, 99999, &i, NULL)
            && g_ascii_string_to_unsigned (two[1], 10, 1, 100000, &n, NULL) && i < n;
  g_strfreev (two);
  if (!ok)
    return cli_usage_error ("sweep", "--shard must be I/N with 0 <= I < N (e.g. --shard 0/3)"),
           false;
  if (a->output.out_dir == NULL)
    return cli_usage_error ("sweep", "--shard needs --out DIR (its partial result is written "
                                     "there, for 'stratus merge')"), false;
  if (a->output.charts != NULL || a->output.format != NULL)
    return cli_usage_error ("sweep", "--shard writes a partial result only: --charts and "
                                     "--format belong to 'stratus merge'"), false;
  a->shard = (unsigned) i;
  a->shards = (unsigned) n;
  return true;
}

/* Parses and checks the options into `a`; false (usage error printed) if one is bad. */
static bool
check_sweep_args (SweepArgs *a)
{
  a->common.out_dir = NULL; /* the outputs' own */
  if (!cli_check_reps_charts (&a->common, "sweep", "") || !cli_check_seed (&a->common, "sweep")
      || !check_output_args (&a->output, "sweep") || !cli_parse_jobs (a->jobs_text, "sweep",
                                                                      &a->jobs)
      || !parse_shard (a))
    return false;
  stratus_budget_default_limits (&a->common.limits);
  if (a->max_events_text != NULL
      && !g_ascii_string_to_unsigned (a->max_events_text, 10, 1, G_MAXUINT64,
                                      &a->common.limits.max_events, NULL))
    return cli_usage_error ("sweep", "--max-events must be a whole number >= 1"), false;
  return true;
}

/* Builds the space from --points and --vary, and checks the charts' x axis (known before
 * any run); false (usage error printed) if one is bad. */
static bool
build_space (const SweepArgs *a, StratusSweepSpace *space)
{
  return cli_sweep_space_build (space, a->points_files, a->vary, a->common.reps, "sweep")
         && (a->shard_text != NULL || check_chart_x (NULL, space, &a->output, "sweep") == 0);
}

static bool
parse_sweep_args (SweepArgs *a, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->vary,
      "A key and its values (repeatable; the grid is every combination): KEY=V1,V2,... or "
      "KEY=A..B:STEP", "KEY=VALUES" },
    { "points", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->points_files,
      "A CSV file of points: a header row of keys, one row of values per point (combined "
      "with --vary as a grid)", "FILE.csv" },
    { "reps", 0, 0, G_OPTION_ARG_STRING, &a->common.reps_text,
      "Replications of each point, 1 to 100000 (default 1); the same random streams at "
      "every point (common random numbers)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a->common.seed_text,
      "Seed (default: the scenario's 'seed')", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->overrides,
      "Override a value at every point (repeatable), e.g. --set duration=30m", "PATH=VALUE" },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &a->jobs_text,
      "Replications run at once, on threads (default: the number of processors)", "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &a->shard_text,
      "Run only shard I of N (pairs I, I+N, I+2N, ...) and write its partial result into "
      "--out DIR, for 'stratus merge'", "I/N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a->output.out_dir,
      "Write sweep.txt, sweep.csv and sweep.json (and the charts) into DIR, all together", "DIR" },
    { "charts", 0, 0, G_OPTION_ARG_STRING, &a->output.charts,
      "Also draw charts into --out as png, svg or pdf", "FORMAT" },
    { "chart", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->output.chart_figures,
      "The figure of a chart (repeatable; default latency_ms.p99 and cost.monthly_usd)",
      "FIGURE" },
    { "x", 0, 0, G_OPTION_ARG_STRING, &a->output.x_key,
      "The varied key on the charts' x axis (default: the first with numbers for values)",
      "KEY" },
    { "figure", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->output.text_figures,
      "A figure of the text table (repeatable; default p50, p99, availability, monthly cost, "
      "failed requests)", "FIGURE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a->output.format,
      "Results on stdout: text (default), csv or json", "FORMAT" },
    { "max-events", 0, 0, G_OPTION_ARG_STRING, &a->max_events_text,
      "Stop the sweep past N events over all its runs (default 20000000000)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->output.quiet, "No progress line on stderr", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("FILE - run a scenario over a grid of values");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n"
         "  stratus sweep scenarios/web-two-az.yaml --vary instances.web.count=2..8:2 --reps 10\n"
         "  stratus sweep scenarios/web-two-az.yaml --vary instances.web.count=2,4,8 "
         "--vary instances.web.type=c5.large,c5.xlarge --reps 5 --out sweep/ --charts png\n"
         "  stratus sweep scenarios/web-two-az.yaml --points points.csv --reps 20 --format csv\n"
         "  stratus sweep scenarios/web-two-az.yaml --vary instances.web.count=2..8:2 --reps 10 "
         "--shard 0/3 --out parts/\n"
         "  stratus merge parts/ --out sweep/\n"
         "  mpirun -np 4 stratus sweep scenarios/web-two-az.yaml --vary "
         "instances.web.count=2..8:2 --reps 10 --out sweep/\n"
         "\nEvery point runs the same replications (seeds and random streams): differences "
         "between points are not noise from different random numbers. The outputs are the "
         "same bytes whatever --jobs, however the pairs are sharded and merged, and under "
         "mpirun. Sweeps: docs/sweeps.md; many machines: docs/scale-out.md.\n"
         "\nExit status: 0 done; 1 a failure while running or writing; 2 bad scenario, point "
         "or options (one line on stderr); 130 interrupted. Nothing is written unless 0.");
  GError *error = NULL;
  bool ok = g_option_context_parse (ctx, argc, argv, &error);
  g_option_context_free (ctx);
  if (!ok)
    {
      cli_usage_error ("sweep", error->message);
      g_error_free (error);
      return false;
    }
  a->common.quiet = a->output.quiet;
  return true;
}

/* Collects records into the results (a whole sweep) or a partial (a shard or a rank). */
typedef struct
{
  StratusSweepResults *results;
  StratusSweepPartial *partial;
} Collector;

static void
collect_record (void *data, size_t pair, StratusSweepRecord *record)
{
  Collector *c = data;
  if (c->results != NULL)
    stratus_sweep_results_add (c->results, pair, record);
  else
    stratus_sweep_partial_add (c->partial, pair, record);
  stratus_sweep_record_free (record);
}

/* The pairs of shard `shard` of `shards` (pair % shards == shard), in order; `*n` set. */
static size_t *
shard_pairs (size_t total, unsigned shard, unsigned shards, size_t *n)
{
  size_t *pairs = g_new (size_t, total / shards + 1);
  *n = 0;
  for (size_t p = shard; p < total; p += shards)
    pairs[(*n)++] = p;
  return pairs;
}

/* Writes the partial as DIR/part-I-of-N.sweep (DIR created if missing; the file replaced
 * atomically); the exit status. */
static int
write_partial (const StratusSweepPartial *partial, const char *dir, unsigned shard,
               unsigned shards, size_t pairs)
{
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      fprintf (stderr, "stratus sweep: cannot create %s: %s; nothing written\n", dir,
               g_strerror (errno));
      return EXIT_RUN_FAILED;
    }
  char *name = g_strdup_printf ("part-%u-of-%u.sweep", shard, shards);
  char *path = g_build_filename (dir, name, NULL);
  char *text = stratus_sweep_partial_serialize (partial);
  GError *error = NULL;
  int status = 0;
  if (cli_stop_requested)
    {
      fputs ("stratus: interrupted while writing the results; nothing written\n", stderr);
      status = EXIT_INTERRUPTED;
    }
  else if (!g_file_set_contents (path, text, -1, &error))
    {
      fprintf (stderr, "stratus sweep: %s; nothing written\n", error->message);
      g_error_free (error);
      status = EXIT_RUN_FAILED;
    }
  else
    printf ("shard %u/%u: %zu (point, replication) pair%s written to %s\n", shard, shards,
            pairs, pairs == 1 ? "" : "s", path);
  g_free (text);
  g_free (path);
  g_free (name);
  return status;
}

/* Under mpirun: runs this rank's pairs, gathers every rank's partial on rank 0, which
 * merges and publishes; the exit status (the same on every rank). */
static int
sweep_mpi (const CliSweepPlan *plan, const SweepArgs *a, const CliSweepRun *run_template,
           StratusOutputSet *set)
{
  StratusSweepDefinition def;
  cli_sweep_plan_definition (plan, &def);
  unsigned rank = cli_mpi_rank (), size = cli_mpi_size ();
  size_t total = stratus_sweep_space_point_count (plan->space) * plan->replications, n;
  size_t *pairs = shard_pairs (total, rank, size, &n);
  Collector c = { NULL, stratus_sweep_partial_new (&def, rank, size) };
  CliSweepRun run = *run_template;
  run.data = &c;
  run.show_progress = run.show_progress && rank == 0;
  int status = cli_sweep_plan_run (plan, pairs, n, &run);
  g_free (pairs);
  char *text = status == 0 ? stratus_sweep_partial_serialize (c.partial) : g_strdup ("");
  stratus_sweep_partial_free (c.partial);
  /* Every rank's status, then (if all are 0) the partials, on rank 0. */
  status = cli_mpi_worst_status (status);
  char **texts = status == 0 ? cli_mpi_gather_texts (text) : NULL;
  g_free (text);
  if (rank != 0 || status != 0)
    return status;
  StratusSweepPartial **partials = g_new0 (StratusSweepPartial *, size);
  GError *error = NULL;
  for (unsigned r = 0; r < size && error == NULL; r++)
    {
      char *origin = g_strdup_printf ("rank %u", r);
      partials[r] = stratus_sweep_partial_parse (texts[r], origin, &error);
      g_free (origin);
    }
  StratusSweepResults *results = error == NULL
                                   ? stratus_sweep_partials_merge (partials, size, &error)
                                   : NULL;
  for (unsigned r = 0; r < size; r++)
    stratus_sweep_partial_free (partials[r]);
  g_free (partials);
  g_strfreev (texts);
  if (results == NULL)
    {
      fprintf (stderr, "stratus sweep: gathering the ranks' results: %s\n", error->message);
      g_error_free (error);
      return EXIT_RUN_FAILED;
    }
  status = check_figures_known (results, &a->output, "sweep");
  if (status == 0)
    status = publish_results (results, &a->output, set, "sweep");
  stratus_sweep_results_free (results);
  return status;
}

/* After the checks: runs the pairs (all, a shard's, or a rank's) and writes. */
static int
sweep_checked (const CliSweepPlan *plan, const SweepArgs *a, StratusOutputSet *set)
{
  StratusSweepDefinition def;
  cli_sweep_plan_definition (plan, &def);
  CliSweepRun run = {
    .jobs = a->jobs,
    .max_events = a->common.limits.max_events,
    .show_progress = !a->output.quiet && isatty (STDERR_FILENO),
    .consume = collect_record,
  };
  if (cli_mpi_active ())
    return sweep_mpi (plan, a, &run, set);
  size_t total = stratus_sweep_space_point_count (plan->space) * plan->replications, n;
  size_t *pairs = shard_pairs (total, a->shard, a->shards, &n);
  Collector c = { NULL, NULL };
  if (a->shard_text != NULL)
    c.partial = stratus_sweep_partial_new (&def, a->shard, a->shards);
  else
    c.results = stratus_sweep_results_new (&def);
  run.data = &c;
  int status = cli_sweep_plan_run (plan, pairs, n, &run);
  g_free (pairs);
  if (status == 0 && c.partial != NULL)
    status = write_partial (c.partial, a->output.out_dir, a->shard, a->shards, n);
  else if (status == 0)
    status = check_figures_known (c.results, &a->output, "sweep");
  if (status == 0 && c.results != NULL)
    status = publish_results (c.results, &a->output, set, "sweep");
  stratus_sweep_results_free (c.results);
  stratus_sweep_partial_free (c.partial);
  return status;
}

int
cli_sweep (int argc, char **argv)
{
  SweepArgs a = { 0 };
  StratusSweepSpace *space = stratus_sweep_space_new ();
  CliSweepPlan plan = { 0 };
  StratusOutputSet *set = NULL;
  int status = EXIT_BAD_INPUT;
  cli_mpi_init (&argc, &argv);
  bool quiet_rank = cli_mpi_active () && cli_mpi_rank () != 0;
  /* Every rank meets the same bad input: rank 0 alone says so, and writes. */
  if (quiet_rank)
    {
      FILE *out = freopen ("/dev/null", "w", stdout), *err = freopen ("/dev/null", "w", stderr);
      (void) out;
      (void) err;
    }
  if (!parse_sweep_args (&a, &argc, &argv) || !check_sweep_args (&a))
    goto out;
  if (argc != 2)
    {
      status = cli_usage_error ("sweep", "sweep takes exactly one scenario file");
      goto out;
    }
  if (cli_mpi_active () && a.shard_text != NULL)
    {
      status = cli_usage_error ("sweep", "--shard and mpirun both split the pairs: use one");
      goto out;
    }
  if (!build_space (&a, space))
    goto agree;
  cli_install_stop_handlers ();
  plan = (CliSweepPlan){ .file = argv[1], .base_overrides = a.overrides, .space = space,
                         .replications = a.common.reps, .seed_given = a.common.seed_text != NULL,
                         .seed = a.common.seed };
  if (!cli_sweep_plan_load (&plan, &a.common.limits))
    goto agree;
  status = 0;
  if (a.output.out_dir != NULL && a.shard_text == NULL && !quiet_rank)
    set = cli_open_outputs (a.output.out_dir, sweep_file_names, "sweep", &status);
agree:
  /* Under mpirun every rank must take part in the collectives of the run: the ranks agree
   * first on whether all are ready (a rank may fail alone: rank 0 opening --out, a file
   * missing on one node), and stop together if one is not; the failing rank said why. */
  if (cli_mpi_active ())
    {
      int worst = cli_mpi_worst_status (status);
      status = status != 0 ? status : worst;
    }
  if (status == 0)
    status = sweep_checked (&plan, &a, set);
out:
  stratus_output_set_free (set);
  cli_sweep_plan_clear (&plan);
  stratus_sweep_space_free (space);
  sweep_args_clear (&a);
  return cli_mpi_finalize (status);
}

/* ---- merge -------------------------------------------------------------------------------- */

/* The partial result files named by `args` (folders: their part-*-of-*.sweep files, in
 * name order), appended to `files`; false (usage error printed) if one names nothing. */
static bool
collect_partial_files (char **args, GPtrArray *files)
{
  for (char **arg = args; *arg != NULL; arg++)
    {
      if (!g_file_test (*arg, G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (files, g_strdup (*arg));
          continue;
        }
      GDir *dir = g_dir_open (*arg, 0, NULL);
      GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
      for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
        if (g_str_has_prefix (name, "part-") && g_str_has_suffix (name, ".sweep"))
          g_ptr_array_add (names, g_strdup (name));
      if (dir != NULL)
        g_dir_close (dir);
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      if (names->len == 0)
        {
          char *message = g_strdup_printf ("%s holds no partial result (part-I-of-N.sweep, "
                                           "written by 'stratus sweep --shard I/N --out %s')",
                                           *arg, *arg);
          cli_usage_error ("merge", message);
          g_free (message);
          g_ptr_array_unref (names);
          return false;
        }
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (files, g_build_filename (*arg, names->pdata[i], NULL));
      g_ptr_array_unref (names);
    }
  return true;
}

/* Reads and merges the partial files; NULL (the line printed) if one is unreadable,
 * malformed, of another sweep, or if pairs are missing or doubled. */
static StratusSweepResults *
merge_files (GPtrArray *files)
{
  GPtrArray *partials = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_sweep_partial_free);
  GError *error = NULL;
  for (guint i = 0; i < files->len && error == NULL; i++)
    {
      char *text = NULL;
      gsize length = 0;
      if (!g_file_get_contents (files->pdata[i], &text, &length, &error))
        break;
      if (memchr (text, '\0', length) != NULL)
        {
          g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s: holds a NUL byte: not a partial result written by stratus",
                       (char *) files->pdata[i]);
          g_free (text);
          break;
        }
      StratusSweepPartial *p = stratus_sweep_partial_parse (text, files->pdata[i], &error);
      g_free (text);
      if (p != NULL)
        g_ptr_array_add (partials, p);
    }
  StratusSweepResults *results = NULL;
  if (error == NULL)
    results = stratus_sweep_partials_merge ((StratusSweepPartial *const *) partials->pdata,
                                            partials->len, &error);
  g_ptr_array_unref (partials);
  if (results == NULL)
    {
      fprintf (stderr, "stratus merge: %s\n", error->message);
      g_error_free (error);
    }
  return results;
}

int
cli_merge (int argc, char **argv)
{
  OutputArgs o = { 0 };
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &o.out_dir,
      "Write sweep.txt, sweep.csv and sweep.json (and the charts) into DIR, all together",
      "DIR" },
    { "charts", 0, 0, G_OPTION_ARG_STRING, &o.charts,
      "Also draw charts into --out as png, svg or pdf", "FORMAT" },
    { "chart", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.chart_figures,
      "The figure of a chart (repeatable; default latency_ms.p99 and cost.monthly_usd)",
      "FIGURE" },
    { "x", 0, 0, G_OPTION_ARG_STRING, &o.x_key, "The varied key on the charts' x axis", "KEY" },
    { "figure", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.text_figures,
      "A figure of the text table (repeatable)", "FIGURE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format,
      "Results on stdout: text (default), csv or json", "FORMAT" },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new (
    "DIR|FILE... - merge the partial results of a sharded sweep");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n"
         "  stratus sweep scenarios/web-two-az.yaml --vary instances.web.count=2..8:2 "
         "--reps 10 --shard 0/2 --out parts/\n"
         "  stratus sweep scenarios/web-two-az.yaml --vary instances.web.count=2..8:2 "
         "--reps 10 --shard 1/2 --out parts/\n"
         "  stratus merge parts/ --out sweep/ --charts png\n"
         "\nReads every part-I-of-N.sweep in the folders (or the files given), checks that "
         "they are of one sweep and hold every (point, replication) pair exactly once, and "
         "writes what the unsharded sweep would have written, byte for byte. Recipes for "
         "Slurm job arrays and GNU parallel: docs/scale-out.md.\n"
         "\nExit status: 0 done; 1 a failure while writing; 2 bad usage, or partial results "
         "missing, doubled, malformed or of different sweeps (one line on stderr).");
  GError *error = NULL;
  bool parsed = g_option_context_parse (ctx, &argc, &argv, &error);
  g_option_context_free (ctx);
  int status = EXIT_BAD_INPUT;
  StratusOutputSet *set = NULL;
  StratusSweepResults *results = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  if (!parsed)
    {
      cli_usage_error ("merge", error->message);
      g_error_free (error);
      goto out;
    }
  if (argc < 2)
    {
      status = cli_usage_error ("merge", "merge takes the folders (or files) of the partial "
                                         "results");
      goto out;
    }
  if (!check_output_args (&o, "merge") || !collect_partial_files (argv + 1, files))
    goto out;
  results = merge_files (files);
  if (results == NULL)
    goto out;
  status = check_figures_known (results, &o, "merge");
  if (status == 0)
    status = check_chart_x (results, NULL, &o, "merge");
  if (status != 0)
    goto out;
  if (o.out_dir != NULL)
    {
      set = cli_open_outputs (o.out_dir, sweep_file_names, "merge", &status);
      if (set == NULL)
        goto out;
    }
  status = publish_results (results, &o, set, "merge");
out:
  stratus_output_set_free (set);
  stratus_sweep_results_free (results);
  g_ptr_array_unref (files);
  output_args_clear (&o);
  return status;
}
