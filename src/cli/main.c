/* stratus: the command line. Thin: parses options, calls the library, maps failures to
 * exit statuses (0 ok, 1 could not write results, 2 bad input or usage). */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stratus/diagram.h"
#include "stratus/model.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "stratus/scenario.h"
#include "stratus/units.h"

#define EXIT_BAD_INPUT 2

static const char *const usage_summary =
  "Commands:\n"
  "  run FILE        simulate a scenario and print its report\n"
  "  validate FILE   check a scenario without running it\n"
  "  diagram FILE -o OUT.svg|png|pdf   draw the scenario's architecture\n"
  "  help            this text\n"
  "\n"
  "Examples:\n"
  "  stratus run scenarios/web-two-az.yaml\n"
  "  stratus run scenarios/web-two-az.yaml --reps 10 --out results/\n"
  "  stratus run scenarios/web-two-az.yaml --set instances.web.count=8 --set "
  "workload.shoppers.rate=900/s\n"
  "  stratus validate scenarios/web-two-az.yaml\n"
  "  stratus diagram scenarios/vpc-public-private.yaml -o arch.svg\n"
  "\n"
  "Run 'stratus COMMAND --help' for a command's options. Scenario keys: "
  "docs/scenario-reference.md.";

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
  bool printed;
  guint replication, replications;
  StratusTime duration;
} Progress;

static void
show_progress (void *data, StratusTime now)
{
  Progress *p = data;
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
  g_option_context_set_description (ctx, "Examples:\n  stratus validate scenarios/web-two-az.yaml\n"
                                         "  stratus validate --explain scenarios/vpc-public-private.yaml\n"
                                         "\nPrints one line 'file:line:column: message' and "
                                         "exits with status 2 if the scenario is invalid, "
                                         "including a network path it needs that is blocked.");
  if (!parse_options (ctx, &argc, &argv, "validate"))
    {
      g_option_context_free (ctx);
      return EXIT_BAD_INPUT;
    }
  g_option_context_free (ctx);
  if (argc != 2)
    return usage_error ("validate takes exactly one scenario file");
  StratusScenario *s = load_scenario (argv[1]);
  if (s == NULL)
    return EXIT_BAD_INPUT;
  GString *explanation = explain ? g_string_new (NULL) : NULL;
  bool paths_ok = check_paths (s, explanation);
  if (explanation != NULL)
    g_string_free (explanation, TRUE);
  if (!paths_ok)
    {
      stratus_scenario_free (s);
      return EXIT_BAD_INPUT;
    }
  printf ("%s: ok: %u AZ%s, %u load balancer%s, %d instance%s, %u workload%s\n", argv[1],
          s->azs->len, s->azs->len == 1 ? "" : "s", s->load_balancers->len,
          s->load_balancers->len == 1 ? "" : "s", stratus_scenario_instance_count (s),
          stratus_scenario_instance_count (s) == 1 ? "" : "s", s->workloads->len,
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

static int
cmd_run (int argc, char **argv)
{
  char *seed_text = NULL;
  gint reps = 1;
  char *out_dir = NULL;
  char *format = NULL;
  gboolean quiet = FALSE;
  gboolean allow_blocked = FALSE;
  char *charts = NULL;
  GOptionEntry entries[] = {
    { "charts", 0, 0, G_OPTION_ARG_STRING, &charts,
      "Also draw the charts (latency, throughput, utilisation, network) into the --out "
      "folder as png, svg or pdf", "FORMAT" },
    { "allow-blocked", 0, 0, G_OPTION_ARG_NONE, &allow_blocked,
      "Run even if a network path the scenario needs is blocked: its traffic is dropped and "
      "counted (for misconfiguration labs)", NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Seed (default: the scenario's 'seed')",
      "N" },
    { "reps", 0, 0, G_OPTION_ARG_INT, &reps,
      "Independent replications; figures get 95% confidence intervals (default 1)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Also write report.json, report.txt and timeseries.csv into DIR", "DIR" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "Report on stdout: text (default) or json",
      "FORMAT" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line on stderr", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("FILE - simulate a scenario and report");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (
    ctx, "Examples:\n"
         "  stratus run scenarios/web-two-az.yaml\n"
         "  stratus run scenarios/web-two-az.yaml --reps 10 --seed 7 --out results/\n"
         "  stratus run scenarios/web-two-az.yaml --set instances.web.count=8 --format json\n"
         "  stratus run scenarios/vpc-public-private.yaml --out results/ --charts png\n"
         "\nExit status: 0 done, 1 results could not be written, 2 bad scenario or options.");
  bool parsed = parse_options (ctx, &argc, &argv, "run");
  g_option_context_free (ctx);
  int status = EXIT_BAD_INPUT;
  StratusScenario *s = NULL;
  if (!parsed)
    goto out;
  if (argc != 2)
    {
      status = usage_error ("run takes exactly one scenario file");
      goto out;
    }
  if (reps < 1 || reps > 100000)
    {
      status = usage_error ("--reps must be between 1 and 100000");
      goto out;
    }
  StratusPlotFormat chart_format = STRATUS_PLOT_PNG;
  if (charts != NULL && !stratus_plot_format_parse (charts, &chart_format))
    {
      status = usage_error ("--charts must be png, svg or pdf");
      goto out;
    }
  if (charts != NULL && out_dir == NULL)
    {
      status = usage_error ("--charts needs --out DIR (the charts are written there)");
      goto out;
    }
  if (format != NULL && strcmp (format, "text") != 0 && strcmp (format, "json") != 0)
    {
      status = usage_error ("--format must be text or json");
      goto out;
    }
  guint64 seed = 0;
  if (seed_text != NULL
      && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXINT64, &seed, NULL))
    {
      status = usage_error ("--seed must be a whole number >= 0");
      goto out;
    }
  s = load_scenario (argv[1]);
  if (s == NULL)
    goto out;
  if (!check_paths (s, NULL))
    {
      if (!allow_blocked)
        goto out;
      fprintf (stderr, "stratus: running anyway (--allow-blocked): that traffic is dropped\n");
    }

  StratusReport *report = stratus_report_new (s);
  Progress progress = { .started = g_get_monotonic_time (), .replications = (guint) reps,
                        .duration = s->duration };
  bool show = !quiet && isatty (STDERR_FILENO);
  for (gint i = 0; i < reps; i++)
    {
      progress.replication = (guint) i;
      StratusRunOptions options = {
        .seed = seed_text != NULL ? seed : s->seed,
        .replication = (uint32_t) i,
        .progress = show ? show_progress : NULL,
        .progress_data = &progress,
      };
      StratusRunResult *result = stratus_model_run (s, &options);
      stratus_report_add (report, result);
      stratus_run_result_free (result);
    }
  clear_progress (&progress);

  status = 0;
  if (out_dir != NULL)
    {
      GError *error = NULL;
      if (!stratus_report_write_dir (report, out_dir, &error)
          || (charts != NULL && !stratus_charts_write (report, out_dir, chart_format, &error)))
        {
          fprintf (stderr, "stratus run: %s\n", error->message);
          g_error_free (error);
          status = 1;
        }
    }
  char *text = format != NULL && strcmp (format, "json") == 0 ? stratus_report_json (report, true)
                                                               : stratus_report_text (report);
  fputs (text, stdout);
  g_free (text);
  stratus_report_free (report);
out:
  stratus_scenario_free (s);
  g_free (out_dir);
  g_free (format);
  g_free (seed_text);
  g_free (charts);
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
  else
    {
      char *message = g_strdup_printf ("unknown command '%s' (commands: run, validate, diagram, help)",
                                       argv[1]);
      status = usage_error (message);
      g_free (message);
    }
  g_strfreev (overrides);
  stratus_plot_shutdown (); /* releases the font caches of charts and diagrams */
  return status;
}
