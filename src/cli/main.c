/* stratus: the command line. Thin: parses options, calls the library, maps failures to
 * exit statuses (docs/cli.md): 0 success; 1 a failure while running or writing; 2 bad
 * input, bad usage or refused by a limit; 130 interrupted. Only 0 writes anything. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_batch.h"
#include "cli/cli_common.h"
#include "cli/cli_mpi.h"
#include "cli/compare.h"
#include "cli/optimize.h"
#include "cli/import.h"
#include "cli/sweep.h"
#include "stratus/cost.h"
#include "stratus/diagram.h"
#include "stratus/report.h"

static const char *const usage_summary =
  "Commands:\n"
  "  run FILE        simulate a scenario and print its report\n"
  "  validate FILE   check a scenario without running it\n"
  "  diagram FILE -o OUT.svg|png|pdf   draw the scenario's architecture\n"
  "  pricing [REGION | FILE]   print a pricing catalog (prices, dates, sources)\n"
  "  compare A.yaml B.yaml [C.yaml ...]   run scenarios side by side (cost, latency,\n"
  "                  availability, errors) with paired differences from the first\n"
  "  sweep FILE --vary KEY=V1,V2 | KEY=A..B:STEP   run a scenario over a grid of values:\n"
  "                  every figure's mean and 95% interval per point (threads, --shard I/N,\n"
  "                  or mpirun)\n"
  "  merge DIR...    merge the partial results of a sharded sweep\n"
  "  optimize FILE --vary ... --objective FIGURE [--constraint 'p99<250']   the best point\n"
  "                  of a grid under constraints, with how sure it is (status 3: none)\n"
  "  import TEMPLATE [-o OUT.yaml] [--param K=V ...]   a CloudFormation template as a\n"
  "                  scenario, with a report of what is not modelled\n"
  "  help            this text\n"
  "\n"
  "Examples:\n"
  "  stratus run scenarios/web-two-az.yaml\n"
  "  stratus run scenarios/web-two-az.yaml --reps 10 --out results/\n"
  "  stratus run scenarios/web-two-az.yaml --set instances.web.count=8 --set "
  "workload.shoppers.rate=900/s\n"
  "  stratus validate scenarios/web-two-az.yaml\n"
  "  stratus diagram scenarios/vpc-public-private.yaml -o arch.svg\n"
  "  stratus compare scenarios/layouts/public-ip.yaml scenarios/layouts/nat-single.yaml "
  "--reps 5\n"
  "  stratus sweep scenarios/web-two-az.yaml --vary instances.web.count=2..8:2 --reps 10\n"
  "  stratus pricing ap-northeast-2\n"
  "\n"
  "Exit statuses:\n"
  "  0    success\n"
  "  1    a failure while running or writing (disk full, unwritable --out, event limit\n"
  "       reached): one line on stderr, no output files\n"
  "  2    bad scenario, bad usage, or refused by a limit: one line, nothing written\n"
  "  3    optimize only: no point meets the constraints (the closest are printed)\n"
  "  130  interrupted (SIGINT or SIGTERM): one line saying what was kept (nothing)\n"
  "\n"
  "Run 'stratus COMMAND --help' for a command's options. Scenario keys: "
  "docs/scenario-reference.md; commands and outputs: docs/cli.md.";

/* ---- commands ---------------------------------------------------------------------- */

static char **overrides = NULL;

static GOptionEntry set_entry[] = {
  { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &overrides,
    "Override a scenario value (repeatable), e.g. --set instances.web.count=8", "PATH=VALUE" },
  G_OPTION_ENTRY_NULL
};

static bool
parse_options (GOptionContext *ctx, int *argc, char ***argv, const char *command)
{
  GError *error = NULL;
  g_option_context_add_main_entries (ctx, set_entry, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      cli_usage_error (command, error->message);
      g_error_free (error);
      return false;
    }
  return true;
}

/* ---- limits ------------------------------------------------------------------------ */

/* The budget options shared by run and validate (strings: parsed by parse_limits). */
static char *max_memory_text = NULL;
static char *max_events_text = NULL;

static GOptionEntry limit_entries[] = {
  { "max-memory", 0, 0, G_OPTION_ARG_STRING, &max_memory_text,
    "Refuse a scenario whose estimated peak memory exceeds SIZE (default: half the machine's "
    "memory), e.g. 8GiB", "SIZE" },
  { "max-events", 0, 0, G_OPTION_ARG_STRING, &max_events_text,
    "Refuse a scenario estimated to need more than N events over all replications, and stop "
    "a run that reaches N (default 20000000000)", "N" },
  G_OPTION_ENTRY_NULL
};

/* The default limits overridden by --max-memory / --max-events; false (usage error
 * printed) if one is malformed. */
static bool
parse_limits (StratusBudgetLimits *limits)
{
  stratus_budget_default_limits (limits);
  if (max_memory_text != NULL)
    {
      uint64_t bytes = 0;
      if (!stratus_budget_parse_memory (max_memory_text, &bytes) || bytes == 0)
        {
          cli_usage_error (NULL, "--max-memory must be a size such as 8GiB or 500MB");
          return false;
        }
      limits->max_memory_bytes = bytes;
    }
  if (max_events_text != NULL)
    {
      guint64 events = 0;
      if (!g_ascii_string_to_unsigned (max_events_text, 10, 1, G_MAXUINT64, &events, NULL))
        {
          cli_usage_error (NULL,
                           "--max-events must be a whole number >= 1 (plain decimal digits)");
          return false;
        }
      limits->max_events = events;
    }
  return true;
}

static int
cmd_pricing (int argc, char **argv)
{
  GOptionContext *ctx = g_option_context_new ("[REGION | FILE] - print a pricing catalog");
  g_option_context_set_description (
    ctx, "Examples:\n  stratus pricing\n  stratus pricing ap-northeast-2\n"
         "  stratus pricing scenarios/my-prices.yaml\n"
         "\nPrints every price of the catalog a scenario of REGION (default us-east-1) uses, or "
         "of a catalog FILE, with its unit, the date it was checked and its source. The shipped "
         "catalogs are read from $STRATUS_PRICING_DIR, the source tree's data/pricing, or the "
         "installed share/stratus/pricing. Prices and billing rules: docs/cost.md.\n"
         "\nExit status: 0 printed; 2 no such region or a bad catalog (one line on stderr).");
  if (!parse_options (ctx, &argc, &argv, "pricing"))
    {
      g_option_context_free (ctx);
      return EXIT_BAD_INPUT;
    }
  g_option_context_free (ctx);
  if (argc > 2)
    return cli_usage_error (NULL, "pricing takes at most one region or catalog file");
  const char *what = argc == 2 ? argv[1] : "us-east-1";
  GError *error = NULL;
  StratusPricing *pricing = g_str_has_suffix (what, ".yaml") || strchr (what, '/') != NULL
                              ? stratus_pricing_load_file (what, &error)
                              : stratus_pricing_load_region (what, &error);
  if (pricing == NULL)
    {
      fprintf (stderr, "stratus: %s\n", error->message);
      g_error_free (error);
      return EXIT_BAD_INPUT;
    }
  char *text = stratus_pricing_text (pricing);
  fputs (text, stdout);
  g_free (text);
  stratus_pricing_free (pricing);
  return 0;
}

static int
cmd_validate (int argc, char **argv)
{
  gboolean explain = FALSE;
  GOptionEntry entries[] = {
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
      "Print every network path the scenario implies, hop by hop", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("FILE - check a scenario without running it");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, limit_entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n  stratus validate scenarios/web-two-az.yaml\n"
         "  stratus validate --explain scenarios/vpc-public-private.yaml\n"
         "  stratus validate scenarios/web-two-az.yaml --max-memory 2GiB\n"
         "\nChecks the scenario, every network path it needs, and its estimated cost (events, "
         "memory) against the limits, as 'run' would before simulating.\n"
         "\nExit status: 0 valid; 2 invalid, a needed network path blocked, or refused by a "
         "limit (one line 'file:line:column: message' on stderr).");
  if (!parse_options (ctx, &argc, &argv, "validate"))
    {
      g_option_context_free (ctx);
      return EXIT_BAD_INPUT;
    }
  g_option_context_free (ctx);
  if (argc != 2)
    return cli_usage_error (NULL, "validate takes exactly one scenario file");
  StratusBudgetLimits limits;
  if (!parse_limits (&limits))
    return EXIT_BAD_INPUT;
  StratusScenario *s = cli_load_scenario (argv[1], overrides);
  if (s == NULL)
    return EXIT_BAD_INPUT;
  GString *explanation = explain ? g_string_new (NULL) : NULL;
  /* The estimate first: it costs nothing, while paths cost time in the resources. */
  bool paths_ok = cli_check_budget (s, 1, &limits, false) && cli_check_paths (s, explanation);
  if (explanation != NULL)
    g_string_free (explanation, TRUE);
  if (!paths_ok)
    {
      stratus_scenario_free (s);
      return EXIT_BAD_INPUT;
    }
  guint n_databases = s->databases != NULL ? s->databases->len : 0;
  g_autofree char *databases = n_databases == 0 ? g_strdup ("")
                                                : g_strdup_printf (", %u database%s", n_databases,
                                                                   n_databases == 1 ? "" : "s");
  printf ("%s: ok: %u AZ%s, %u load balancer%s, %d instance%s%s, %u workload%s\n", argv[1],
          s->azs->len, s->azs->len == 1 ? "" : "s", s->load_balancers->len,
          s->load_balancers->len == 1 ? "" : "s", stratus_scenario_instance_count (s),
          stratus_scenario_instance_count (s) == 1 ? "" : "s", databases, s->workloads->len,
          s->workloads->len == 1 ? "" : "s");
  stratus_scenario_free (s);
  return 0;
}

static int
cmd_diagram (int argc, char **argv)
{
  char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The file to draw: .svg, .png or .pdf (required)", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("FILE - draw the architecture of a scenario");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, "Examples:\n"
                                         "  stratus diagram scenarios/vpc-public-private.yaml -o arch.svg\n"
                                         "  stratus diagram scenarios/web-two-az.yaml -o arch.png\n"
                                         "\nThe format follows the file's extension.");
  bool parsed = parse_options (ctx, &argc, &argv, "diagram");
  g_option_context_free (ctx);
  int status = EXIT_BAD_INPUT;
  if (!parsed)
    goto out;
  if (argc != 2)
    {
      status = cli_usage_error (NULL, "diagram takes exactly one scenario file");
      goto out;
    }
  if (output == NULL)
    {
      status = cli_usage_error (NULL, "diagram needs -o FILE (.svg, .png or .pdf)");
      goto out;
    }
  char *lower = g_ascii_strdown (output, -1);
  bool known = g_str_has_suffix (lower, ".svg") || g_str_has_suffix (lower, ".png")
               || g_str_has_suffix (lower, ".pdf");
  g_free (lower);
  if (!known)
    {
      status = cli_usage_error (NULL, "diagram: -o FILE must end in .svg, .png or .pdf");
      goto out;
    }
  StratusScenario *s = cli_load_scenario (argv[1], overrides);
  if (s == NULL)
    goto out;
  StratusDiagram *diagram = stratus_diagram_new (s);
  GError *error = NULL;
  status = 0;
  if (!stratus_diagram_write (diagram, output, &error))
    {
      fprintf (stderr, "stratus diagram: %s\n", error->message);
      g_error_free (error);
      status = 1;
    }
  stratus_diagram_free (diagram);
  stratus_scenario_free (s);
out:
  g_free (output);
  return status;
}

/* ---- run --------------------------------------------------------------------------- */

typedef struct
{
  CliRunArgs common; /* --seed, --reps, --out, --charts, --quiet, the limits */
  /* as given */
  char *format, *jobs_text;
  gboolean allow_blocked, dry_run;
  /* parsed */
  bool json;
  unsigned jobs;
} RunArgs;

static void
run_args_clear (RunArgs *a)
{
  cli_run_args_clear (&a->common);
  g_free (a->format);
  g_free (a->jobs_text);
}

/* Parses and checks run's options into `a`; false (usage error printed) if one is bad. */
static bool
check_run_args (RunArgs *a)
{
  if (!cli_check_reps_charts (&a->common, NULL,
                              "--charts needs --out DIR (the charts are written there)"))
    return false;
  if (a->format != NULL && strcmp (a->format, "text") != 0 && strcmp (a->format, "json") != 0)
    {
      cli_usage_error (NULL, "--format must be text or json");
      return false;
    }
  a->json = a->format != NULL && strcmp (a->format, "json") == 0;
  return cli_parse_jobs (a->jobs_text, NULL, &a->jobs) && cli_check_seed (&a->common, NULL) && parse_limits (&a->common.limits);
}

/* The names a run may write into --out (its files and every chart in every format), as a
 * NULL-terminated array: the caller frees it with g_strfreev. */
static char **
output_names (void)
{
  GPtrArray *names = g_ptr_array_new ();
  for (const char *const *n = stratus_report_file_names (); *n != NULL; n++)
    g_ptr_array_add (names, g_strdup (*n));
  const StratusPlotFormat formats[] = { STRATUS_PLOT_PNG, STRATUS_PLOT_SVG, STRATUS_PLOT_PDF };
  for (size_t i = 0; i < stratus_charts_count (); i++)
    for (size_t f = 0; f < G_N_ELEMENTS (formats); f++)
      g_ptr_array_add (names, g_strdup_printf ("%s.%s", stratus_charts_name (i),
                                               stratus_plot_format_extension (formats[f])));
  /* The charts of Auto Scaling groups (capacity-GROUP.EXT, utilisation-GROUP.EXT) and of
   * databases (database-DB.EXT). */
  for (size_t f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *ext = stratus_plot_format_extension (formats[f]);
      g_ptr_array_add (names, g_strdup_printf ("capacity-*.%s", ext));
      g_ptr_array_add (names, g_strdup_printf ("utilisation-*.%s", ext));
      g_ptr_array_add (names, g_strdup_printf ("database-*.%s", ext));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* A run's batch: replication k of the scenario, added to the report in order. */
typedef struct
{
  const StratusScenario *scenario;
  uint64_t seed;
  StratusReport *report;
} RunBatch;

static void
describe_replication (void *data, size_t index, CliTask *task)
{
  const RunBatch *rb = data;
  *task = (CliTask){ rb->scenario, rb->seed, (unsigned) index };
}

static void
add_replication (void *data, size_t index, void *item)
{
  (void) index;
  RunBatch *rb = data;
  stratus_report_add (rb->report, item);
  stratus_run_result_free (item);
}

/* Runs every replication into `report` on --jobs threads; the exit status (0, or 1 / 130
 * with the line printed). */
static int
simulate (const StratusScenario *s, const RunArgs *a, StratusReport *report)
{
  const CliRunArgs *c = &a->common;
  RunBatch rb = { s, c->seed_text != NULL ? c->seed : s->seed, report };
  CliBatch batch = {
    .tasks = c->reps,
    .jobs = a->jobs,
    .max_events = c->limits.max_events,
    .max_events_option = true,
    .show_progress = !c->quiet && isatty (STDERR_FILENO),
    .describe = describe_replication,
    .consume = add_replication,
    .data = &rb,
  };
  return cli_batch_run (&batch);
}

/* Writes every file of the run into the set's temporary folder (if any) and publishes it;
 * the exit status (0, 1, or 130 when a signal came first; the line printed). */
static int
write_outputs (const StratusReport *report, const RunArgs *a, StratusOutputSet *set)
{
  GError *error = NULL;
  bool ok = set == NULL
            || (stratus_report_write_set (report, set, &error)
                && (a->common.charts == NULL
                    || stratus_charts_write (report, stratus_output_set_folder (set),
                                             a->common.chart_format, &error)));
  return cli_publish_outputs (set, ok, error, "run");
}

/* After the checks: simulates, writes the set (if any) and prints the report. */
static int
run_checked (const StratusScenario *s, const RunArgs *a, StratusOutputSet *set)
{
  StratusReport *report = stratus_report_new (s);
  gint64 started = g_get_monotonic_time ();
  int status = simulate (s, a, report);
  stratus_report_set_elapsed (report, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC,
                              MIN (a->jobs, a->common.reps));
  if (status == 0)
    status = write_outputs (report, a, set);
  /* Once the files are published, a signal is too late to undo anything: report. */
  if (status == 0)
    status = cli_print_stdout (a->json ? stratus_report_json (report)
                                       : stratus_report_text (report),
                               "run", "report");
  stratus_report_free (report);
  return status;
}

static int
cmd_run (int argc, char **argv)
{
  RunArgs a = { 0 };
  GOptionEntry entries[] = {
    { "charts", 0, 0, G_OPTION_ARG_STRING, &a.common.charts,
      "Also draw the charts (latency, throughput, utilisation, network; each Auto Scaling "
      "group's capacity and utilisation; each database's) into the --out folder as png, svg "
      "or pdf", "FORMAT" },
    { "allow-blocked", 0, 0, G_OPTION_ARG_NONE, &a.allow_blocked,
      "Run even if a network path the scenario needs is blocked: its traffic is dropped and "
      "counted (for misconfiguration labs)", NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a.common.seed_text,
      "Seed (default: the scenario's 'seed')", "N" },
    { "reps", 0, 0, G_OPTION_ARG_STRING, &a.common.reps_text,
      "Independent replications, 1 to 100000; figures get 95% confidence intervals "
      "(default 1)", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &a.jobs_text,
      "Replications run at once, on threads (default: the number of processors); the report "
      "is the same whatever N", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a.common.out_dir,
      "Also write report.json, report.txt, timeseries.csv, run.json, events.csv and "
      "groups.csv into DIR, all together (DIR is checked before the run)", "DIR" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a.format, "Report on stdout: text (default) or json",
      "FORMAT" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &a.dry_run,
      "Print the estimated events, rows and memory and the limits, then stop (exit 0, or 2 "
      "if a limit would refuse the run)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.common.quiet, "No progress line on stderr", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("FILE - simulate a scenario and report");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, limit_entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n"
         "  stratus run scenarios/web-two-az.yaml\n"
         "  stratus run scenarios/web-two-az.yaml --reps 10 --seed 7 --out results/\n"
         "  stratus run scenarios/web-two-az.yaml --reps 20 --jobs 2\n"
         "  stratus run scenarios/web-two-az.yaml --set instances.web.count=8 --format json\n"
         "  stratus run scenarios/vpc-public-private.yaml --out results/ --charts png\n"
         "  stratus run scenarios/autoscaling-diurnal.yaml --out results/ --charts png\n"
         "  stratus run scenarios/three-tier.yaml --out results/ --charts png\n"
         "  stratus run scenarios/autoscaling-diurnal.yaml --set auto_scaling_groups.web-asg."
         "policies.cpu-50.target=70\n"
         "  stratus run scenarios/web-two-az.yaml --dry-run --reps 10\n"
         "\nExit status: 0 done; 1 a failure while running or writing (unwritable --out, disk "
         "full, event limit reached); 2 bad scenario or options, --out holding files stratus "
         "did not write, or refused by a limit; 130 interrupted (SIGINT/SIGTERM). Whenever "
         "the status is not 0, nothing is written: no report on stdout, DIR as it was.");
  bool parsed = parse_options (ctx, &argc, &argv, "run");
  g_option_context_free (ctx);
  int status = EXIT_BAD_INPUT;
  StratusScenario *s = NULL;
  StratusOutputSet *set = NULL;
  if (!parsed)
    goto out;
  if (argc != 2)
    {
      status = cli_usage_error (NULL, "run takes exactly one scenario file");
      goto out;
    }
  if (!check_run_args (&a))
    goto out;
  cli_install_stop_handlers ();
  s = cli_load_scenario (argv[1], overrides);
  if (s == NULL)
    goto out;
  /* The estimate first: it costs nothing, while paths cost time in the resources. */
  if (!cli_check_budget (s, a.common.reps, &a.common.limits, a.dry_run))
    goto out;
  if (!cli_check_paths (s, NULL))
    {
      if (!a.allow_blocked)
        goto out;
      fprintf (stderr, "stratus: running anyway (--allow-blocked): that traffic is dropped\n");
    }
  status = 0;
  if (a.dry_run)
    goto out;
  if (a.common.out_dir != NULL)
    {
      char **names = output_names ();
      set = cli_open_outputs (a.common.out_dir, (const char *const *) names, "run", &status);
      g_strfreev (names);
      if (set == NULL)
        goto out;
    }
  status = run_checked (s, &a, set);
out:
  stratus_output_set_free (set); /* removes the temporary folder unless published */
  stratus_scenario_free (s);
  run_args_clear (&a);
  return status;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C"); /* reports use '.' whatever the user's locale */
  int status;
  if (argc < 2 || strcmp (argv[1], "help") == 0 || strcmp (argv[1], "--help") == 0
      || strcmp (argv[1], "-h") == 0)
    {
      printf ("stratus %s: a discrete-event simulator of cloud architectures\n\n"
              "Usage: stratus COMMAND [OPTIONS] FILE\n\n%s\n",
              STRATUS_VERSION, usage_summary);
      status = argc < 2 ? EXIT_BAD_INPUT : 0;
    }
  else if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "version") == 0)
    {
      /* The second line says whether `mpirun -np K stratus sweep` splits the pairs. */
      printf ("stratus %s\nmpi: %s\n", STRATUS_VERSION, cli_mpi_built () ? "yes" : "no");
      status = 0;
    }
  else if (strcmp (argv[1], "run") == 0)
    status = cmd_run (argc - 1, argv + 1);
  else if (strcmp (argv[1], "validate") == 0)
    status = cmd_validate (argc - 1, argv + 1);
  else if (strcmp (argv[1], "diagram") == 0)
    status = cmd_diagram (argc - 1, argv + 1);
  else if (strcmp (argv[1], "pricing") == 0)
    status = cmd_pricing (argc - 1, argv + 1);
  else if (strcmp (argv[1], "compare") == 0)
    status = cli_compare (argc - 1, argv + 1);
  else if (strcmp (argv[1], "sweep") == 0)
    status = cli_sweep (argc - 1, argv + 1);
  else if (strcmp (argv[1], "merge") == 0)
    status = cli_merge (argc - 1, argv + 1);
  else if (strcmp (argv[1], "optimize") == 0)
    status = cli_optimize (argc - 1, argv + 1);
  else if (strcmp (argv[1], "import") == 0)
    status = cli_import (argc - 1, argv + 1);
  else
    {
      char *message = g_strdup_printf ("unknown command '%s' (commands: run, validate, diagram, compare, sweep, merge, optimize, import, pricing, help)",
                                       argv[1]);
      status = cli_usage_error (NULL, message);
      g_free (message);
    }
  g_strfreev (overrides);
  g_free (max_memory_text);
  g_free (max_events_text);
  stratus_plot_shutdown (); /* releases the font caches of charts and diagrams */
  return status;
}
