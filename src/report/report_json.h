/* The JSON writing of the result files, shared by report.json and run.json (report.c,
 * which defines these) and compare.json (src/compare/compare_files.c). Private to the
 * library. */
#pragma once

#include <json-glib/json-glib.h>

/* Sets a double member of `obj` as valid JSON (null when not finite). */
void report_set_double (JsonObject *obj, const char *name, double value);

/* The pretty-printed text of `root` (consumed) with a final newline. Caller frees. */
char *report_json_text (JsonObject *root);
