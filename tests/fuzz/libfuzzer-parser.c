/* libFuzzer harness for the scenario parser (the long campaign; the test suite runs
 * fuzz-parser.c instead): any bytes, as a scenario file and as an override, must give a
 * scenario or one clean error line, never a crash or a leak.
 * Build and run: see tests/fuzz/README.md. */
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"
#include "stratus/scenario.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The input is "scenario text", optionally followed by "\n#--set " and an override. */
  char *text = g_strndup ((const char *) data, size);
  char *override = strstr (text, "\n#--set ");
  const char *overrides[] = { NULL, NULL };
  if (override != NULL)
    {
      *override = '\0';
      overrides[0] = override + strlen ("\n#--set ");
    }
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "fuzz.yaml", overrides, &error);
  if (s == NULL)
    {
      g_assert (fuzz_error_is_one_line (error));
      g_error_free (error);
    }
  else
    stratus_scenario_free (s);
  g_free (text);
  return 0;
}
