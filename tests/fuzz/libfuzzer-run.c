/* libFuzzer harness for whole runs (the long campaign; the test suite runs fuzz-run.c
 * instead). Structure-aware: a custom mutator changes values of the YAML tree (fuzz-tree.c)
 * so that inputs stay valid YAML; each input is loaded with duration=3s and warmup=0s and,
 * if the path check and the budget (200 MB, 5e6 events) accept it, simulated and reported.
 * A refusal must be one error line with a position. Run it from tests/fuzz/files so that
 * the CSV files of the corpus resolve. Build and run: see tests/fuzz/README.md. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"
#include "stratus/budget.h"
#include "stratus/model.h"
#include "stratus/report.h"
#include "stratus/scenario.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerMutate (uint8_t *data, size_t size, size_t max_size);

size_t
LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
  char *text = g_strndup ((const char *) data, size);
  GRand *rand = g_rand_new_with_seed (seed);
  char *mutant = fuzz_mutate_tree (rand, text);
  g_rand_free (rand);
  g_free (text);
  if (mutant == NULL || strlen (mutant) > max_size) /* not a YAML map: bytes then */
    {
      g_free (mutant);
      return LLVMFuzzerMutate (data, size, max_size);
    }
  size_t length = strlen (mutant);
  memcpy (data, mutant, length);
  g_free (mutant);
  return length;
}

/* Simulates and reports an accepted scenario; the report must be complete. */
static void
simulate (const StratusScenario *s)
{
  StratusRunOptions options = { .seed = s->seed, .max_events = 5000000 };
  StratusRunResult *result = stratus_model_run (s, &options);
  g_assert (result->end == STRATUS_SIM_END_DONE || result->end == STRATUS_SIM_END_EVENT_LIMIT);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, result);
  stratus_run_result_free (result);
  char *text = stratus_report_text (report);
  char *json = stratus_report_json (report);
  JsonParser *parser = json_parser_new ();
  g_assert (text[0] != '\0');
  g_assert (json_parser_load_from_data (parser, json, -1, NULL));
  g_object_unref (parser);
  g_free (json);
  g_free (text);
  stratus_report_free (report);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const overrides[] = { "duration=3s", "warmup=0s", NULL };
  char *text = g_strndup ((const char *) data, size);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "fuzz.yaml", overrides, &error);
  if (s != NULL && stratus_model_check (s, NULL, &error))
    {
      StratusBudgetLimits limits = { .max_memory_bytes = 200ull << 20, .max_events = 5000000 };
      StratusBudgetEstimate estimate;
      stratus_budget_estimate (s, 1, &estimate);
      if (stratus_budget_check (s, &estimate, &limits, &error))
        simulate (s);
    }
  if (error != NULL)
    {
      g_assert (fuzz_error_is_one_line (error));
      g_error_free (error);
    }
  stratus_scenario_free (s);
  g_free (text);
  return 0;
}
