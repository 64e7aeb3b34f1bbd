/* The importer's check, shared by its deterministic driver (fuzz-import.c) and its
 * libFuzzer harness (libfuzzer-import.c): one input read the way `stratus import` reads it,
 * mapped to a scenario, and the scenario loaded; every stage must behave. */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* The options of `stratus import` (each may be NULL; strings borrowed). */
typedef struct
{
  const char *region, *stack_name;
  const char *const *params; /* "Name=Value", NULL-terminated */
} FuzzImportOptions;

typedef enum
{
  FUZZ_IMPORT_REFUSED,  /* refused in one line with a position (read or import) */
  FUZZ_IMPORT_IMPORTED, /* imported; the scenario refused in one line (not for its YAML) */
  FUZZ_IMPORT_LOADED,   /* imported, and the scenario loads */
} FuzzImportOutcome;

/* Reads `text` (a plan when stratus_tf_text_is_plan says so, else a template) with `o`,
 * imports it and loads the written scenario; with `twice`, imports again and compares the
 * bytes. NULL when every stage behaved (`outcome` set), else the finding "stage: what went
 * wrong" (caller frees). With STRATUS_FUZZ_VERBOSE set, prints each refusal on stderr. */
char *fuzz_import_check (const char *text, const FuzzImportOptions *o, bool twice,
                         FuzzImportOutcome *outcome);
