/* Shared by the fuzz drivers (tests/fuzz/README.md): the corpus, seeded mutations of
 * scenario text (byte-level for the parser, value-level on the YAML tree for whole runs),
 * the checks on an error, and a watchdog that saves the input being tried when the process
 * dies (crash, abort, sanitizer report, GLib critical) or hangs. Everything is a pure
 * function of the GRand it is given, so a seed replays a run exactly. */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* The corpus: scenario texts, each with the name of the file it came from. */
typedef struct
{
  GPtrArray *names; /* char*, basenames */
  GPtrArray *texts; /* char*, file contents */
} FuzzCorpus;

/* Loads every *.yaml of each folder in `dirs` (NULL-terminated), sorted by name within a
 * folder, skipping texts already loaded (same bytes). NULL with `error` set if a folder
 * cannot be read or nothing was found. Free with fuzz_corpus_free. */
FuzzCorpus *fuzz_corpus_load (const char *const *dirs, GError **error);

/* The same for the files whose names end with one of `suffixes` (NULL-terminated, e.g.
 * ".yaml", ".json"); the error names the first suffix when nothing was found. */
FuzzCorpus *fuzz_corpus_load_files (const char *const *dirs, const char *const *suffixes,
                                    GError **error);
void fuzz_corpus_free (FuzzCorpus *corpus);

/* True if `error` is one STRATUS_SCENARIO_ERROR line "file:LINE:COLUMN: message". */
bool fuzz_error_is_one_line (const GError *error);

/* The same for an error of `domain` (e.g. STRATUS_CFN_ERROR for the importer). */
bool fuzz_error_is_one_line_in (const GError *error, GQuark domain);

/* ---- byte-level mutations (the parser fuzzer) ---------------------------------------- */

/* 1 to 4 stacked mutations of `text`: bit flips, inserted / deleted / duplicated ranges,
 * splices with another corpus text, numbers replaced by extremes, unit garbage, duplicated
 * lines (duplicate keys), special YAML tokens, deep nesting. `corpus` may be NULL (no
 * splices). Caller frees. */
char *fuzz_mutate_bytes (GRand *rand, const char *text, const FuzzCorpus *corpus);

/* An override "path=value" for `text` (a path it has, or a made-up one; a value from the
 * extremes, or garbage). Caller frees. */
char *fuzz_random_override (GRand *rand, const char *text);

/* ---- value-level mutations that keep valid YAML (the scenario fuzzer) ---------------- */

/* Parses `text`, changes 1 to 3 values (numbers to extremes, units swapped, rates,
 * distributions, counts, durations, sizes, CIDRs, addresses, names), sometimes drops or
 * copies an entry, and writes the tree back as YAML. NULL if `text` is not a YAML map.
 * Caller frees. */
char *fuzz_mutate_tree (GRand *rand, const char *text);

/* ---- the watchdog -------------------------------------------------------------------- */

/* Installs handlers for SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGALRM, and the
 * sanitizers' death callback: each writes the input being tried to
 * `prefix`-crash.yaml (and its override to `prefix`-crash.override) in the folder the
 * driver started in, says so on stderr, then dies as it would have. */
void fuzz_watch_install (const char *prefix);

/* The input being tried from now on (borrowed until the next call), and a wall-clock limit
 * in seconds for it (SIGALRM; 0: none). */
void fuzz_watch_begin (const char *text, const char *override, unsigned seconds);

/* The input is done: stops the alarm. */
void fuzz_watch_end (void);

/* ---- the drivers' command line ------------------------------------------------------- */

typedef struct
{
  guint64 seed;    /* --seed S (default 1) */
  guint64 runs;    /* --runs N (default: the driver's) */
  char *cwd;       /* --cwd DIR: where relative files (CSV traces, samples) resolve */
  char **corpus;   /* the corpus folders (the remaining arguments), NULL-terminated */
  guint seconds;   /* --time-limit S: wall-clock limit per input (default 60) */
} FuzzArgs;

/* Parses `argv` into `args` (strings owned by it, free with fuzz_args_clear) and changes
 * into --cwd (findings are still saved in the folder the driver started in); on bad usage
 * prints one line and exits with status 2. */
void fuzz_args_parse (FuzzArgs *args, const char *program, guint64 default_runs, int argc,
                      char **argv);
void fuzz_args_clear (FuzzArgs *args);

/* Saves a finding that did not kill the process (a malformed error, a run that did not
 * end as it should) as `prefix`-finding-N.yaml (+ .override) and says why on stderr. */
void fuzz_save_finding (const char *prefix, unsigned n, const char *text, const char *override,
                        const char *why);
