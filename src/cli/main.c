/* stratus: the command line. Thin: parses options, calls the library, maps failures to
 * exit statuses (docs/cli.md): 0 success; 1 a failure while running or writing; 2 bad
 * input, bad usage or refused by a limit; 130 interrupted. Only 0 writes anything. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/compare.h"
#include "stratus/budget.h"
#include "stratus/cost.h"
#include "stratus/diagram.h"
#include "stratus/model.h"
#include "stratus/output_set.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "stratus/scenario.h"
#include "stratus/units.h"

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2
#define EXIT_INTERRUPTED 130

static const char *const usage_summary =
  "Commands:\n"
  "  run FILE        simulate a scenario and print its report\n"
  "  validate FILE   check a scenario without running it\n"
  "  diagram FILE -o OUT.svg|png|pdf   draw the scenario's architecture\n"
  "  pricing [REGION | FILE]   print a pricing catalog (prices, dates, sources)\n"
  "  compare A.yaml B.yaml [C.yaml ...]   run scenarios side by side (cost, latency,\n"
  "                  availability, errors) with paired differences from the first\n"
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
  "\n"
  "Exit statuses:\n"
  "  0    success\n"
  "  1    a failure while running or writing (disk full, unwritable --out, event limit\n"
  "       reached): one line on stderr, no output files\n"
  "  2    bad scenario, bad usage, or refused by a limit: one line, nothing written\n"
  "  130  interrupted (SIGINT or SIGTERM): one line saying what was kept (nothing)\n"
  "\n"
  "Run 'stratus COMMAND --help' for a command's options. Scenario keys: "
  "docs/scenario-reference.md; commands and outputs: docs/cli.md.";

static int
usage_error (const char *message)
{
  fprintf (stderr, "stratus: %s\nRun 'stratus --help' for usage.\n", message);
  return EXIT_BAD_INPUT;
}

/* ---- progress ---------------------------------------------------------------------- */

typedef struct
{
  gint64 started;
  gint64 last_print;
  bool show;    /* print the line (stderr is a terminal and no --quiet) */
  bool printed; /* a line is on the terminal */
  guint replication, replications;
  StratusTime duration;
  StratusTime now; /* simulated time at the last call */
} Progress;

/* The engine's progress callback: records the simulated time, and on a terminal prints
 * (at most 4 times a second, after 2 s) one line that clear_progress erases. */
static void
show_progress (void *data, StratusTime now)
{
  Progress *p = data;
  p->now = now;
  if (!p->show)
    return;
  gint64 t = g_get_monotonic_time ();
  if (t - p->started < 2 * G_USEC_PER_SEC || t - p->last_print < G_USEC_PER_SEC / 4)
    return;
  p->last_print = t;
  p->printed = true;
  char *sim = stratus_format_duration (now - now % STRATUS_SECOND);
  char *total = stratus_format_duration (p->duration);
  fprintf (stderr, "\r\033[Kstratus: replication %u/%u, simulated %s of %s (%.0f%%)",
           p->replication + 1, p->replications, sim, total,
           100.0 * (double) now / (double) p->duration);
  fflush (stderr);
  g_free (sim);
  g_free (total);
}

/* Erases the progress line if one is shown; every exit path of `run` calls it. */
static void
clear_progress (Progress *p)
{
  if (p->printed)
    fprintf (stderr, "\r\033[K");
  p->printed = false;
}

/* ---- commands ---------------------------------------------------------------------- */

static char **overrides = NULL;

static GOptionEntry set_entry[] = {
  { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &overrides,
    "Override a scenario value (repeatable), e.g. --set instances.web.count=8", "PATH=VALUE" },
  G_OPTION_ENTRY_NULL
};

static StratusScenario *
load_scenario (const char *path)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, (const char *const *) overrides, &error);
  if (s == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      g_error_free (error);
    }
  return s;
}

static bool
parse_options (GOptionContext *ctx, int *argc, char ***argv, const char *command)
{
  GError *error = NULL;
  g_option_context_add_main_entries (ctx, set_entry, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      fprintf (stderr, "stratus %s: %s\nRun 'stratus %s --help' for usage.\n", command,
               error->message, command);
      g_error_free (error);
      return false;
    }
  return true;
}

/* Checks the paths the scenario implies; false (message printed) if one is blocked. */
static bool
check_paths (const StratusScenario *s, GString *explain)
{
  GError *error = NULL;
  bool ok = stratus_model_check (s, explain, &error);
  if (explain != NULL)
    fputs (explain->str, stdout);
  if (!ok)
    {
      fprintf (stderr, "%s\n", error->message);
      g_error_free (error);
    }
  return ok;
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
          usage_error ("--max-memory must be a size such as 8GiB or 500MB");
          return false;
        }
      limits->max_memory_bytes = bytes;
    }
  if (max_events_text != NULL)
    {
      guint64 events = 0;
      if (!g_ascii_string_to_unsigned (max_events_text, 10, 1, G_MAXUINT64, &events, NULL))
        {
          usage_error ("--max-events must be a whole number >= 1 (plain decimal digits)");
          return false;
        }
      limits->max_events = events;
    }
  return true;
}

/* Estimates what `replications` runs of `s` cost and checks it against `limits`: false
 * (the one line printed) if refused. With `describe`, prints the estimate on stdout. */
static bool
check_budget (const StratusScenario *s, unsigned replications, const StratusBudgetLimits *limits,
              bool describe)
{
  StratusBudgetEstimate estimate;
  stratus_budget_estimate (s, replications, &estimate);
  if (describe)
    {
      char *text = stratus_budget_describe (&estimate, limits);
      fputs (text, stdout);
      if (text[0] != '\0' && text[strlen (text) - 1] != '\n')
        fputc ('\n', stdout);
      g_free (text);
    }
  GError *error = NULL;
  if (stratus_budget_check (s, &estimate, limits, &error))
    return true;
  fprintf (stderr, "%s\n", error != NULL ? error->message : "stratus: refused by a limit");
  g_clear_error (&error);
  return false;
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
    return usage_error ("pricing takes at most one region or catalog file");
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
    return usage_error ("validate takes exactly one scenario file");
  StratusBudgetLimits limits;
  if (!parse_limits (&limits))
    return EXIT_BAD_INPUT;
  StratusScenario *s = load_scenario (argv[1]);
  if (s == NULL)
    return EXIT_BAD_INPUT;
  GString *explanation = explain ? g_string_new (NULL) : NULL;
  /* The estimate first: it costs nothing, while paths cost time in the resources. */
  bool paths_ok = check_budget (s, 1, &limits, false) && check_paths (s, explanation);
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
  "  stratus compare scenarios/layouts/public-ip.yaml scenarios/layouts/nat-single.yaml "
  "--reps 5\n"
                                         "  stratus diagram scenarios/web-two-az.yaml -o arch.png\n"
                                         "\nThe format follows the file's extension.");
  bool parsed = parse_options (ctx, &argc, &argv, "diagram");
  g_option_context_free (ctx);
  int status = EXIT_BAD_INPUT;
  if (!parsed)
    goto out;
  if (argc != 2)
    {
      status = usage_error ("diagram takes exactly one scenario file");
      goto out;
    }
  if (output == NULL)
    {
      status = usage_error ("diagram needs -o FILE (.svg, .png or .pdf)");
      goto out;
    }
  char *lower = g_ascii_strdown (output, -1);
  bool known = g_str_has_suffix (lower, ".svg") || g_str_has_suffix (lower, ".png")
               || g_str_has_suffix (lower, ".pdf");
  g_free (lower);
  if (!known)
    {
      status = usage_error ("diagram: -o FILE must end in .svg, .png or .pdf");
      goto out;
    }
  StratusScenario *s = load_scenario (argv[1]);
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

/* ---- signals ----------------------------------------------------------------------- */

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

/* ---- run --------------------------------------------------------------------------- */

typedef struct
{
  /* as given */
  char *seed_text, *reps_text, *out_dir, *format, *charts;
  gboolean quiet, allow_blocked, dry_run;
  /* parsed */
  guint64 seed;
  guint reps;
  bool json;
  StratusPlotFormat chart_format;
  StratusBudgetLimits limits;
} RunArgs;

static void
run_args_clear (RunArgs *a)
{
  g_free (a->seed_text);
  g_free (a->reps_text);
  g_free (a->out_dir);
  g_free (a->format);
  g_free (a->charts);
}

/* Prints a usage error; false, for the option checks. */
static bool
refuse (const char *message)
{
  usage_error (message);
  return false;
}

/* Parses and checks run's options into `a`; false (usage error printed) if one is bad. */
static bool
check_run_args (RunArgs *a)
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
    return refuse ("--charts needs --out DIR (the charts are written there)");
  if (a->format != NULL && strcmp (a->format, "text") != 0 && strcmp (a->format, "json") != 0)
    return refuse ("--format must be text or json");
  a->json = a->format != NULL && strcmp (a->format, "json") == 0;
  if (a->seed_text != NULL
      && !g_ascii_string_to_unsigned (a->seed_text, 10, 0, G_MAXINT64, &a->seed, NULL))
    return refuse ("--seed must be a whole number >= 0");
  return parse_limits (&a->limits);
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

/* Opens the output set of --out DIR before the run; NULL with *status set (2 when DIR
 * holds foreign files, 1 when it cannot be used) and the line printed. */
static StratusOutputSet *
open_outputs (const char *dir, int *status)
{
  char **names = output_names ();
  GError *error = NULL;
  StratusOutputSet *set = stratus_output_set_open (dir, (const char *const *) names, &error);
  g_strfreev (names);
  if (set == NULL)
    {
      fprintf (stderr, "stratus run: %s\n", error->message);
      *status = g_error_matches (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_FOREIGN)
                  ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
      g_error_free (error);
    }
  return set;
}

/* "during replication 2/10 at simulated 1h02m of 2h" for the progress so far. Caller
 * frees. */
static char *
where_stopped (const Progress *p)
{
  char *sim = stratus_format_duration (p->now - p->now % STRATUS_SECOND);
  char *total = stratus_format_duration (p->duration);
  char *text = g_strdup_printf ("during replication %u/%u at simulated %s of %s",
                                p->replication + 1, p->replications, sim, total);
  g_free (sim);
  g_free (total);
  return text;
}

/* Runs every replication into `report`; returns how the last one ended (the loop stops
 * at the first that was cut short, leaving `progress` where it stopped). */
static StratusSimEnd
simulate (const StratusScenario *s, const RunArgs *a, StratusReport *report, Progress *progress)
{
  uint64_t events = 0;
  for (guint i = 0; i < a->reps; i++)
    {
      progress->replication = i;
      progress->now = 0;
      uint64_t left = a->limits.max_events > events ? a->limits.max_events - events : 1;
      StratusRunOptions options = {
        .seed = a->seed_text != NULL ? a->seed : s->seed,
        .replication = (uint32_t) i,
        .progress = show_progress,
        .progress_data = progress,
        .stop_flag = &stop_requested,
        .max_events = a->limits.max_events != 0 ? left : 0,
      };
      StratusRunResult *result = stratus_model_run (s, &options);
      StratusSimEnd end = result->end;
      if (end == STRATUS_SIM_END_DONE && stop_requested)
        end = STRATUS_SIM_END_INTERRUPTED; /* the signal came after the engine's last check */
      if (end == STRATUS_SIM_END_DONE)
        {
          events += result->run_stats.events;
          stratus_report_add (report, result);
        }
      stratus_run_result_free (result);
      if (end != STRATUS_SIM_END_DONE)
        return end;
    }
  return STRATUS_SIM_END_DONE;
}

/* Writes every file of the run into the set's temporary folder and publishes it; the
 * exit status (0, 1, or 130 when a signal came first; the line printed). */
static int
write_outputs (const StratusReport *report, const RunArgs *a, StratusOutputSet *set)
{
  GError *error = NULL;
  const char *folder = stratus_output_set_folder (set);
  bool ok = stratus_report_write_set (report, set, &error)
            && (a->charts == NULL
                || stratus_charts_write (report, folder, a->chart_format, &error));
  if (ok && stop_requested)
    {
      fprintf (stderr, "stratus: interrupted while writing the results; nothing written\n");
      return EXIT_INTERRUPTED;
    }
  if (ok)
    ok = stratus_output_set_publish (set, &error);
  if (!ok)
    {
      fprintf (stderr, "stratus run: %s; nothing written\n", error->message);
      g_error_free (error);
      return EXIT_RUN_FAILED;
    }
  return 0;
}

/* Prints the report on stdout; 1 (line printed) if stdout cannot take it. */
static int
print_report (const StratusReport *report, const RunArgs *a)
{
  char *text = a->json ? stratus_report_json (report) : stratus_report_text (report);
  int failed = fputs (text, stdout) < 0 || fflush (stdout) != 0;
  int saved = errno;
  g_free (text);
  if (failed)
    {
      fprintf (stderr, "stratus run: cannot write the report to standard output: %s\n",
               g_strerror (saved));
      return EXIT_RUN_FAILED;
    }
  return 0;
}

/* After the checks: simulates, writes the set (if any) and prints the report. */
static int
run_checked (const StratusScenario *s, const RunArgs *a, StratusOutputSet *set)
{
  StratusReport *report = stratus_report_new (s);
  Progress progress = { .started = g_get_monotonic_time (), .replications = a->reps,
                        .duration = s->duration,
                        .show = !a->quiet && isatty (STDERR_FILENO) };
  StratusSimEnd end = stop_requested ? STRATUS_SIM_END_INTERRUPTED
                                     : simulate (s, a, report, &progress);
  clear_progress (&progress);
  int status = 0;
  if (end != STRATUS_SIM_END_DONE)
    {
      char *where = where_stopped (&progress);
      if (end == STRATUS_SIM_END_INTERRUPTED)
        fprintf (stderr, "stratus: interrupted %s; nothing written\n", where);
      else
        fprintf (stderr, "stratus: stopped at the event limit (%" G_GUINT64_FORMAT " events, "
                 "--max-events raises it) %s; nothing written\n", a->limits.max_events, where);
      g_free (where);
      status = end == STRATUS_SIM_END_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_RUN_FAILED;
    }
  if (status == 0 && set != NULL)
    status = write_outputs (report, a, set);
  else if (status == 0 && stop_requested)
    {
      fprintf (stderr, "stratus: interrupted after the last replication; nothing written\n");
      status = EXIT_INTERRUPTED;
    }
  /* Once the files are published, a signal is too late to undo anything: report. */
  if (status == 0)
    status = print_report (report, a);
  stratus_report_free (report);
  return status;
}

static int
cmd_run (int argc, char **argv)
{
  RunArgs a = { 0 };
  GOptionEntry entries[] = {
    { "charts", 0, 0, G_OPTION_ARG_STRING, &a.charts,
      "Also draw the charts (latency, throughput, utilisation, network; each Auto Scaling "
      "group's capacity and utilisation; each database's) into the --out folder as png, svg "
      "or pdf", "FORMAT" },
    { "allow-blocked", 0, 0, G_OPTION_ARG_NONE, &a.allow_blocked,
      "Run even if a network path the scenario needs is blocked: its traffic is dropped and "
      "counted (for misconfiguration labs)", NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed_text, "Seed (default: the scenario's 'seed')",
      "N" },
    { "reps", 0, 0, G_OPTION_ARG_STRING, &a.reps_text,
      "Independent replications, 1 to 100000; figures get 95% confidence intervals "
      "(default 1)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a.out_dir,
      "Also write report.json, report.txt, timeseries.csv, run.json, events.csv and "
      "groups.csv into DIR, all together (DIR is checked before the run)", "DIR" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a.format, "Report on stdout: text (default) or json",
      "FORMAT" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &a.dry_run,
      "Print the estimated events, rows and memory and the limits, then stop (exit 0, or 2 "
      "if a limit would refuse the run)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "No progress line on stderr", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("FILE - simulate a scenario and report");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, limit_entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n"
         "  stratus run scenarios/web-two-az.yaml\n"
         "  stratus run scenarios/web-two-az.yaml --reps 10 --seed 7 --out results/\n"
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
      status = usage_error ("run takes exactly one scenario file");
      goto out;
    }
  if (!check_run_args (&a))
    goto out;
  install_stop_handlers ();
  s = load_scenario (argv[1]);
  if (s == NULL)
    goto out;
  /* The estimate first: it costs nothing, while paths cost time in the resources. */
  if (!check_budget (s, a.reps, &a.limits, a.dry_run))
    goto out;
  if (!check_paths (s, NULL))
    {
      if (!a.allow_blocked)
        goto out;
      fprintf (stderr, "stratus: running anyway (--allow-blocked): that traffic is dropped\n");
    }
  status = 0;
  if (a.dry_run)
    goto out;
  if (a.out_dir != NULL && (set = open_outputs (a.out_dir, &status)) == NULL)
    goto out;
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
      printf ("stratus %s\n", STRATUS_VERSION);
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
  else
    {
      char *message = g_strdup_printf ("unknown command '%s' (commands: run, validate, diagram, compare, pricing, help)",
                                       argv[1]);
      status = usage_error (message);
      g_free (message);
    }
  g_strfreev (overrides);
  g_free (max_memory_text);
  g_free (max_events_text);
  stratus_plot_shutdown (); /* releases the font caches of charts and diagrams */
  return status;
}
