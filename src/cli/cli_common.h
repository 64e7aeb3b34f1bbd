/* What the commands of the command line share (src/cli/cli_common.c): the exit statuses,
 * usage errors, the stop signals, loading and checking a scenario, and the output set and
 * standard output of `run`, `compare` and `sweep` (docs/cli.md). Runs and their progress
 * line: cli_batch.h. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/budget.h"
#include "stratus/model.h"
#include "stratus/output_set.h"
#include "stratus/plot.h"
#include "stratus/scenario.h"

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2
#define EXIT_INTERRUPTED 130

/* ---- usage -------------------------------------------------------------------------------- */

/* Prints a usage error of `command` ("stratus COMMAND: message", or "stratus: message" when
 * `command` is NULL) and the hint to its --help; returns EXIT_BAD_INPUT. */
int cli_usage_error (const char *command, const char *message);

/* The options `run` and `compare` share: as given (owned), and parsed. */
typedef struct
{
  char *seed_text, *reps_text, *out_dir, *charts;
  gboolean quiet;
  guint64 seed;
  guint reps;
  StratusPlotFormat chart_format;
  StratusBudgetLimits limits;
} CliRunArgs;

/* Frees the strings of `a`. */
void cli_run_args_clear (CliRunArgs *a);

/* Parses --reps (default 1) and --charts (default png; it needs --out, else
 * `charts_need_out` is the error) into `a`; false (usage error of `command` printed) if one
 * is bad. */
bool cli_check_reps_charts (CliRunArgs *a, const char *command, const char *charts_need_out);

/* Parses --seed into `a` if given; false (usage error of `command` printed) if it is bad. */
bool cli_check_seed (CliRunArgs *a, const char *command);

/* ---- signals ------------------------------------------------------------------------------ */

/* Set by SIGINT / SIGTERM; the engine checks it about every 65,536 events. */
extern volatile sig_atomic_t cli_stop_requested;

/* Installs the handler of SIGINT and SIGTERM (system calls are restarted): it records the
 * signal in cli_stop_requested and restores the default handlers, so a second one kills at
 * once. */
void cli_install_stop_handlers (void);

/* ---- scenarios and runs ------------------------------------------------------------------- */

/* Loads the scenario with the overrides (NULL-terminated, or NULL); NULL (the file's error
 * line printed) if it fails. */
StratusScenario *cli_load_scenario (const char *path, char **overrides);

/* Estimates what `replications` runs of `s` cost and checks it against `limits`: false
 * (the one line printed) if refused. With `describe`, prints the estimate on stdout. */
bool cli_check_budget (const StratusScenario *s, unsigned replications,
                       const StratusBudgetLimits *limits, bool describe);

/* Checks the paths the scenario implies; false (message printed) if one is blocked. With
 * `explain`, prints every path on stdout. */
bool cli_check_paths (const StratusScenario *s, GString *explain);

/* ---- outputs ------------------------------------------------------------------------------ */

/* Opens the output set of --out DIR, which may hold the `names`, before the runs; NULL with
 * *status set (2 when DIR holds foreign files, 1 when it cannot be used) and the line of
 * `command` printed. */
StratusOutputSet *cli_open_outputs (const char *dir, const char *const *names,
                                    const char *command, int *status);

/* After the runs and the writing of the files into the set's temporary folder (`written`,
 * else `error` says why; true and no set when there is no --out): publishes the set; the exit
 * status (0, 1, or 130 when a signal came first; the line of `command` printed). Frees
 * `error`. */
int cli_publish_outputs (StratusOutputSet *set, bool written, GError *error,
                         const char *command);

/* Prints `text` (freed) on stdout; 1 (the line of `command`, saying it could not write the
 * `what`, printed) if stdout cannot take it. */
int cli_print_stdout (char *text, const char *command, const char *what);
