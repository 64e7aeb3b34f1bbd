/* libFuzzer harness for `stratus import` (the long campaign; the test suite runs
 * fuzz-import.c instead): any bytes, as a CloudFormation template or a Terraform plan,
 * must import to a scenario that is well-formed YAML, or be refused in one clean line;
 * never a crash or a leak (fuzz-import-check.c). The parameter the corpus' workshop needs
 * (DbPassword) is given when the text names it. Build and run: see tests/fuzz/README.md. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz-import-check.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = g_strndup ((const char *) data, size);
  static const char *const params[] = { "DbPassword=fuzz", NULL };
  FuzzImportOptions options = { .params = strstr (text, "DbPassword") ? params : NULL };
  FuzzImportOutcome outcome;
  char *why = fuzz_import_check (text, &options, false, &outcome);
  if (why != NULL)
    {
      fprintf (stderr, "fuzz-import: %s\n", why);
      g_assert_not_reached ();
    }
  g_free (text);
  return 0;
}
