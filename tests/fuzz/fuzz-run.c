/* Deterministic scenario-level fuzzer, part of the test suite: N seeded value-level
 * mutations of the corpus that keep valid YAML (fuzz-tree.c) are loaded with duration=3s
 * and warmup=0s; a refused one must give one error line with a position; an accepted one
 * goes through the path check and the budget (200 MB, 5e6 events) and, if it passes, is
 * simulated and reported (text and JSON), which must end: no crash, no sanitizer report, no
 * GLib critical, no hang. Every 10th run is simulated twice and must give the same bytes.
 *
 *   fuzz-run [--seed S] [--runs N] [--cwd DIR] CORPUS_DIR...
 *
 * With STRATUS_FUZZ_VERBOSE set, every refusal's line is printed on stderr.
 * Ends with "fuzz-scenario: E executions (K ran, M refused), F findings, seed S"; exit
 * status 1 if F > 0. See tests/fuzz/README.md. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "stratus/budget.h"
#include "stratus/model.h"
#include "stratus/report.h"
#include "stratus/scenario.h"

#define MAX_MEMORY (200ull << 20)
#define MAX_EVENTS 5000000ull

typedef struct
{
  guint64 executions, ran, refused, blocked, cut, events;
  unsigned findings;
  GChecksum *digest; /* of every report, in order */
} Counts;

static const char *current_text;

static void
finding (Counts *counts, const char *why)
{
  fuzz_save_finding ("fuzz-scenario", ++counts->findings, current_text, NULL, why);
}

/* A refusal: checks its error line. */
static void
refused (Counts *counts, const GError *error, const char *stage)
{
  counts->refused++;
  if (g_getenv ("STRATUS_FUZZ_VERBOSE") != NULL)
    fprintf (stderr, "%s: %s\n", stage, error != NULL ? error->message : "(no error)");
  if (!fuzz_error_is_one_line (error))
    {
      char *why = g_strdup_printf ("%s: not one error line with a position: %s", stage,
                                   error != NULL ? error->message : "(no error)");
      finding (counts, why);
      g_free (why);
    }
}

/* Simulates one replication of `s` and reports it; the text and JSON, concatenated, are
 * returned (caller frees), NULL on a finding. */
static char *
simulate (const StratusScenario *s, Counts *counts)
{
  StratusRunOptions options = { .seed = s->seed, .replication = 0, .max_events = MAX_EVENTS };
  StratusRunResult *result = stratus_model_run (s, &options);
  counts->events += result->run_stats.events;
  if (result->end == STRATUS_SIM_END_EVENT_LIMIT)
    counts->cut++; /* the estimate was below the limit, the run was not */
  else if (result->end != STRATUS_SIM_END_DONE)
    finding (counts, "the run ended neither done nor at the event limit");
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, result);
  stratus_run_result_free (result);
  char *text = stratus_report_text (report);
  char *json = stratus_report_json (report);
  stratus_report_free (report);
  JsonParser *parser = json_parser_new ();
  if (text[0] == '\0' || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    finding (counts, "an empty text report or a report.json that is not a JSON object");
  g_object_unref (parser);
  char *both = g_strconcat (text, json, NULL);
  g_free (text);
  g_free (json);
  return both;
}

/* Loads, checks and (if accepted) simulates `text`. */
static void
try_input (const char *text, guint64 index, const FuzzArgs *args, Counts *counts)
{
  static const char *const overrides[] = { "duration=3s", "warmup=0s", NULL };
  current_text = text;
  counts->executions++;
  fuzz_watch_begin (text, NULL, args->seconds);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "fuzz.yaml", overrides, &error);
  if (s == NULL)
    {
      refused (counts, error, "load");
      goto done;
    }
  /* Blocked paths: refused, unless run anyway as with --allow-blocked (every other one). */
  if (!stratus_model_check (s, NULL, &error))
    {
      counts->blocked++;
      bool run_anyway = counts->blocked % 2 == 0;
      if (!run_anyway)
        {
          refused (counts, error, "paths");
          goto done;
        }
      g_clear_error (&error);
    }
  StratusBudgetLimits limits = { .max_memory_bytes = MAX_MEMORY, .max_events = MAX_EVENTS };
  StratusBudgetEstimate estimate;
  stratus_budget_estimate (s, 1, &estimate);
  if (!stratus_budget_check (s, &estimate, &limits, &error))
    {
      refused (counts, error, "budget");
      goto done;
    }
  counts->ran++;
  char *report = simulate (s, counts);
  if (index % 10 == 0)
    {
      char *again = simulate (s, counts);
      if (strcmp (report, again) != 0)
        finding (counts, "the same scenario and seed gave two different reports");
      g_free (again);
    }
  g_checksum_update (counts->digest, (const guchar *) report, -1);
  g_free (report);
done:
  fuzz_watch_end ();
  g_clear_error (&error);
  stratus_scenario_free (s);
}

/* The corpus texts that load with the overrides (borrowed from the corpus). */
static GPtrArray *
loadable_texts (const FuzzCorpus *corpus)
{
  static const char *const overrides[] = { "duration=3s", "warmup=0s", NULL };
  GPtrArray *valid = g_ptr_array_new ();
  for (guint i = 0; i < corpus->texts->len; i++)
    {
      const char *text = g_ptr_array_index (corpus->texts, i);
      StratusScenario *s = stratus_scenario_load_string (text, "fuzz.yaml", overrides, NULL);
      if (s != NULL)
        g_ptr_array_add (valid, (char *) text);
      stratus_scenario_free (s);
    }
  return valid;
}

int
main (int argc, char **argv)
{
  FuzzArgs args = { 0 };
  fuzz_args_parse (&args, "fuzz-scenario", 3000, argc, argv);
  GError *error = NULL;
  FuzzCorpus *corpus = fuzz_corpus_load ((const char *const *) args.corpus, &error);
  if (corpus == NULL)
    {
      fprintf (stderr, "fuzz-scenario: %s\n", error->message);
      return 2;
    }
  fuzz_watch_install ("fuzz-scenario");
  GRand *rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32) args.seed,
                                                                (guint32) (args.seed >> 32) },
                                            2);
  Counts counts = { .digest = g_checksum_new (G_CHECKSUM_SHA256) };
  gint64 start = g_get_monotonic_time ();
  GPtrArray *valid = loadable_texts (corpus);
  guint64 index = 0;
  while (counts.executions < args.runs)
    {
      /* Mostly mutants of scenarios that load as they are, so that most mutants run. */
      GPtrArray *from = valid->len > 0 && g_rand_int_range (rand, 0, 4) != 0 ? valid
                                                                             : corpus->texts;
      const char *base = g_ptr_array_index (from, g_rand_int_range (rand, 0, (gint32) from->len));
      char *mutant = fuzz_mutate_tree (rand, base);
      if (mutant == NULL) /* not a YAML map: nothing to mutate value by value */
        continue;
      try_input (mutant, index++, &args, &counts);
      g_free (mutant);
    }
  double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("fuzz-scenario: corpus of %u texts (%u load as they are), %.1f s, %" G_GUINT64_FORMAT
          " events simulated, %" G_GUINT64_FORMAT " with a blocked path, %" G_GUINT64_FORMAT
          " cut at %llu events, reports digest %.16s\n",
          corpus->texts->len, valid->len, seconds, counts.events, counts.blocked, counts.cut, MAX_EVENTS,
          g_checksum_get_string (counts.digest));
  printf ("fuzz-scenario: %" G_GUINT64_FORMAT " executions (%" G_GUINT64_FORMAT " ran, "
          "%" G_GUINT64_FORMAT " refused), %u findings, seed %" G_GUINT64_FORMAT "\n",
          counts.executions, counts.ran, counts.refused, counts.findings, args.seed);
  g_ptr_array_unref (valid);
  g_checksum_free (counts.digest);
  g_rand_free (rand);
  fuzz_corpus_free (corpus);
  fuzz_args_clear (&args);
  return counts.findings > 0 ? 1 : 0;
}
