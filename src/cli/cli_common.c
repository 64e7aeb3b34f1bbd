/* What the commands of the command line share (cli_common.h): `run` and `validate`
 * (main.c) and `compare` (compare.c) print their errors, take their signals, show their
 * progress and write their outputs through these, so that they keep one set of conventions
 * (docs/cli.md). */
#include "cli/cli_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>


/* ---- usage -------------------------------------------------------------------------------- */

int
cli_usage_error (const char *command, const char *message)
{
  const char *space = command != NULL ? " " : "";
  const char *name = command != NULL ? command : "";
  fprintf (stderr, "stratus%s%s: %s\nRun 'stratus%s%s --help' for usage.\n", space, name,
           message, space, name);
  return EXIT_BAD_INPUT;
}

/* Prints a usage error of `command`; false, for the option checks. */
static bool
refuse (const char *command, const char *message)
{
  cli_usage_error (command, message);
  return false;
}

void
cli_run_args_clear (CliRunArgs *a)
{
  g_free (a->seed_text);
  g_free (a->reps_text);
  g_free (a->out_dir);
  g_free (a->charts);
}

bool
cli_check_reps_charts (CliRunArgs *a, const char *command, const char *charts_need_out)
{
  guint64 reps = 1;
  if (a->reps_text != NULL
      && !g_ascii_string_to_unsigned (a->reps_text, 10, 1, 100000, &reps, NULL))
    return refuse (command,
                   "--reps must be a whole number from 1 to 100000 (plain decimal digits)");
  a->reps = (guint) reps;
  a->chart_format = STRATUS_PLOT_PNG;
  if (a->charts != NULL && !stratus_plot_format_parse (a->charts, &a->chart_format))
    return refuse (command, "--charts must be png, svg or pdf");
  if (a->charts != NULL && a->out_dir == NULL)
    return refuse (command, charts_need_out);
  return true;
}

bool
cli_check_seed (CliRunArgs *a, const char *command)
{
  if (a->seed_text != NULL
      && !g_ascii_string_to_unsigned (a->seed_text, 10, 0, G_MAXINT64, &a->seed, NULL))
    return refuse (command, "--seed must be a whole number >= 0");
  return true;
}

/* ---- signals ------------------------------------------------------------------------------ */

volatile sig_atomic_t cli_stop_requested = 0;

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
  cli_stop_requested = signo;
}

void
cli_install_stop_handlers (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset (&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

/* ---- scenarios and runs ------------------------------------------------------------------- */

StratusScenario *
cli_load_scenario (const char *path, char **overrides)
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

bool
cli_check_budget (const StratusScenario *s, unsigned replications,
                  const StratusBudgetLimits *limits, bool describe)
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

bool
cli_check_paths (const StratusScenario *s, GString *explain)
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

/* ---- outputs ------------------------------------------------------------------------------ */

StratusOutputSet *
cli_open_outputs (const char *dir, const char *const *names, const char *command, int *status)
{
  GError *error = NULL;
  StratusOutputSet *set = stratus_output_set_open (dir, names, &error);
  if (set == NULL)
    {
      fprintf (stderr, "stratus %s: %s\n", command, error->message);
      *status = g_error_matches (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_FOREIGN)
                  ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
      g_error_free (error);
    }
  return set;
}

int
cli_publish_outputs (StratusOutputSet *set, bool written, GError *error, const char *command)
{
  bool ok = written;
  if (ok && cli_stop_requested)
    {
      fputs (set != NULL ? "stratus: interrupted while writing the results; nothing written\n"
                         : "stratus: interrupted after the last replication; nothing written\n",
             stderr);
      return EXIT_INTERRUPTED;
    }
  if (ok && set != NULL)
    ok = stratus_output_set_publish (set, &error);
  if (!ok)
    {
      fprintf (stderr, "stratus %s: %s; nothing written\n", command, error->message);
      g_error_free (error);
      return EXIT_RUN_FAILED;
    }
  return 0;
}

int
cli_print_stdout (char *text, const char *command, const char *what)
{
  int failed = fputs (text, stdout) < 0 || fflush (stdout) != 0;
  int saved = errno;
  g_free (text);
  if (failed)
    {
      fprintf (stderr, "stratus %s: cannot write the %s to standard output: %s\n", command,
               what, g_strerror (saved));
      return EXIT_RUN_FAILED;
    }
  return 0;
}
