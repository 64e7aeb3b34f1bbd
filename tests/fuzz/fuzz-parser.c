/* Deterministic fuzzer of the scenario parser, part of the test suite (no libFuzzer needed):
 * N seeded byte-level mutations of the corpus, each loaded with stratus_scenario_load_string
 * without and with a random override, must give a scenario or exactly one error line
 * "file:LINE:COLUMN: message"; never a crash, a sanitizer report, a GLib critical or a hang.
 *
 *   fuzz-parser [--seed S] [--runs N] [--cwd DIR] CORPUS_DIR...
 *
 * Ends with "fuzz-parser: E executions (L loaded, R refused), F findings, seed S"; exit
 * status 1 if F > 0. See tests/fuzz/README.md. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "stratus/scenario.h"

typedef struct
{
  guint64 executions, loaded, refused;
  unsigned findings;
} Counts;

/* Loads `text` (with `override` if not NULL) and checks the outcome. */
static void
try_input (const char *text, const char *override, unsigned seconds, Counts *counts)
{
  const char *overrides[] = { override, NULL };
  GError *error = NULL;
  fuzz_watch_begin (text, override, seconds);
  StratusScenario *s = stratus_scenario_load_string (text, "fuzz.yaml", overrides, &error);
  fuzz_watch_end ();
  counts->executions++;
  if (s != NULL)
    {
      counts->loaded++;
      stratus_scenario_free (s);
      if (error != NULL)
        fuzz_save_finding ("fuzz-parser", ++counts->findings, text, override,
                           "a scenario AND an error");
    }
  else
    {
      counts->refused++;
      if (!fuzz_error_is_one_line (error))
        {
          char *why = g_strdup_printf ("not one error line with a position: %s",
                                       error != NULL ? error->message : "(no error)");
          fuzz_save_finding ("fuzz-parser", ++counts->findings, text, override, why);
          g_free (why);
        }
    }
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  FuzzArgs args = { 0 };
  fuzz_args_parse (&args, "fuzz-parser", 20000, argc, argv);
  GError *error = NULL;
  FuzzCorpus *corpus = fuzz_corpus_load ((const char *const *) args.corpus, &error);
  if (corpus == NULL)
    {
      fprintf (stderr, "fuzz-parser: %s\n", error->message);
      return 2;
    }
  fuzz_watch_install ("fuzz-parser");
  GRand *rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32) args.seed,
                                                                (guint32) (args.seed >> 32) },
                                            2);
  Counts counts = { 0 };
  gint64 start = g_get_monotonic_time ();
  /* Each corpus text is first tried as it is, then mutants, two executions each. */
  for (guint i = 0; i < corpus->texts->len && counts.executions < args.runs; i++)
    try_input (g_ptr_array_index (corpus->texts, i), NULL, args.seconds, &counts);
  while (counts.executions < args.runs)
    {
      const char *base
        = g_ptr_array_index (corpus->texts, g_rand_int_range (rand, 0, (gint32) corpus->texts->len));
      char *mutant = fuzz_mutate_bytes (rand, base, corpus);
      char *override = fuzz_random_override (rand, base);
      try_input (mutant, NULL, args.seconds, &counts);
      try_input (mutant, override, args.seconds, &counts);
      g_free (override);
      g_free (mutant);
    }
  double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("fuzz-parser: corpus of %u texts, %.1f s\n", corpus->texts->len, seconds);
  printf ("fuzz-parser: %" G_GUINT64_FORMAT " executions (%" G_GUINT64_FORMAT " loaded, "
          "%" G_GUINT64_FORMAT " refused), %u findings, seed %" G_GUINT64_FORMAT "\n",
          counts.executions, counts.loaded, counts.refused, counts.findings, args.seed);
  g_rand_free (rand);
  fuzz_corpus_free (corpus);
  fuzz_args_clear (&args);
  return counts.findings > 0 ? 1 : 0;
}
