/* From a CloudFormation template (StratusCfnTemplate, include/stratus/cfn.h) to a stratus
 * scenario (issue 14): the modelled resources become the scenario's keys, what a template
 * cannot say is filled with defaults marked "# from defaults: change me", and every
 * resource stratus does not model is listed in an import report. docs/import.md has the
 * mapping table. */
#pragma once

#include <glib.h>

#include "stratus/cfn.h"

#define STRATUS_IMPORT_DEFAULT_MARK "# from defaults: change me"

typedef struct
{
  char *scenario; /* the scenario's YAML text, headed by comments (source, report) */
  char *report;   /* the import report: one line per resource left out, and warnings */
  unsigned modelled, unmodelled;
} StratusImport;

/* Builds the scenario for `tmpl`. `source` names the template in the header comment (NULL:
 * tmpl->path). On failure returns NULL with one line "file:line:column: message" at the
 * node at fault (a reference the model needs to something missing or unmodelled) in a
 * STRATUS_CFN_ERROR. Deterministic: the same template gives the same bytes. */
StratusImport *stratus_import_template (const StratusCfnTemplate *tmpl, const char *source,
                                        GError **error);
void stratus_import_free (StratusImport *imp);
