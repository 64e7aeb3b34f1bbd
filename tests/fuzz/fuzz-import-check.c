/* The importer's check (see fuzz-import-check.h). */
#include "fuzz-import-check.h"

#include <stdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "stratus/cfn.h"
#include "stratus/import.h"
#include "stratus/scenario.h"
#include "stratus/terraform.h"

/* Reads `text` as the CLI would, with `o`. NULL with `error` set on a refusal. */
static StratusCfnTemplate *
read_input (const char *text, const FuzzImportOptions *o, GError **error)
{
  if (stratus_tf_text_is_plan (text))
    {
      StratusCfnTemplate *t = stratus_tf_plan_load_string (text, "fuzz.json", o->region, error);
      if (t != NULL && o->stack_name != NULL)
        {
          g_free (t->stack_name);
          t->stack_name = g_strdup (o->stack_name);
        }
      return t;
    }
  StratusCfnOptions opts = { .region = o->region, .stack_name = o->stack_name,
                             .params = o->params };
  return stratus_cfn_load_string (text, "fuzz.template", &opts, error);
}

/* NULL for a refusal at `stage` in one line with a position, else the finding. */
static char *
check_refusal (const char *stage, const GError *error)
{
  if (g_getenv ("STRATUS_FUZZ_VERBOSE") != NULL)
    fprintf (stderr, "%s: %s\n", stage, error != NULL ? error->message : "(no error)");
  if (fuzz_error_is_one_line_in (error, STRATUS_CFN_ERROR))
    return NULL;
  return g_strdup_printf ("%s: not one error line with a position: %s", stage,
                          error != NULL ? error->message : "(no error)");
}

/* NULL when `imp` has the same bytes as a second import of `text`, else the finding. */
static char *
check_again (const char *text, const FuzzImportOptions *o, const StratusImport *imp)
{
  StratusCfnTemplate *again = read_input (text, o, NULL);
  StratusImport *imp2 = again ? stratus_import_template (again, NULL, NULL) : NULL;
  bool same = imp2 != NULL && strcmp (imp->scenario, imp2->scenario) == 0
              && strcmp (imp->report, imp2->report) == 0;
  stratus_import_free (imp2);
  stratus_cfn_template_free (again);
  return same ? NULL : g_strdup ("import: two imports of the same input differ");
}

/* Loads the written scenario as the user would next. It may be refused (a mutated template
 * can describe something stratus refuses), but only in one line, and never for its YAML
 * syntax: that would be the importer writing broken YAML. NULL or the finding. */
static char *
check_scenario (const StratusImport *imp, FuzzImportOutcome *outcome)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (imp->scenario, "imported.yaml", NULL, &error);
  char *why = NULL;
  if (s != NULL)
    *outcome = FUZZ_IMPORT_LOADED;
  else if (!fuzz_error_is_one_line (error)
           || g_error_matches (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX))
    why = g_strdup_printf ("scenario: the written scenario is refused with: %s\n%s",
                           error ? error->message : "(no error)", imp->scenario);
  else if (g_getenv ("STRATUS_FUZZ_VERBOSE") != NULL)
    fprintf (stderr, "scenario: %s\n", error->message);
  g_clear_error (&error);
  stratus_scenario_free (s);
  return why;
}

char *
fuzz_import_check (const char *text, const FuzzImportOptions *o, bool twice,
                   FuzzImportOutcome *outcome)
{
  *outcome = FUZZ_IMPORT_REFUSED;
  GError *error = NULL;
  char *why = NULL;
  StratusCfnTemplate *t = read_input (text, o, &error);
  StratusImport *imp = NULL;
  if (t == NULL)
    why = check_refusal ("read", error);
  else if (error != NULL)
    why = g_strdup ("read: a template AND an error");
  else if ((imp = stratus_import_template (t, NULL, &error)) == NULL)
    why = check_refusal ("import", error);
  else
    {
      *outcome = FUZZ_IMPORT_IMPORTED;
      why = twice ? check_again (text, o, imp) : NULL;
      if (why == NULL)
        why = check_scenario (imp, outcome);
    }
  g_clear_error (&error);
  stratus_import_free (imp);
  stratus_cfn_template_free (t);
  return why;
}
