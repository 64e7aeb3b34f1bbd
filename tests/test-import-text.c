/* stratus import with hostile text (what tests/fuzz/fuzz-import.c found): template strings
 * holding line breaks, quotes and control characters never break the written scenario's
 * YAML nor the one-line errors; values written as they are (instance types, ports) must be
 * plain words; regions outside the AZ table are refused, for --region and for a plan's
 * provider; stratus_tf_text_is_plan tells plans from templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stratus/import.h"
#include "stratus/scenario.h"
#include "stratus/terraform.h"

static const char *const PARAMS[] = { "DbPassword=secret", NULL };

/* The text of tests/import/<relative> (STRATUS_SOURCE_ROOT, set by meson). */
static char *
read_source (const char *relative)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *path = g_build_filename (root ? root : ".", "tests", "import", relative, NULL);
  GMappedFile *file = g_mapped_file_new (path, FALSE, NULL);
  if (file == NULL)
    fail_msg ("cannot read %s", path);
  char *text = g_strndup (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
  g_mapped_file_unref (file);
  g_free (path);
  return text;
}

/* `text` with its one occurrence of `from` replaced by `to`. */
static char *
replace_once (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  assert_non_null (at);
  assert_null (strstr (at + 1, from));
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* The 1-based line of `text` that holds `needle`. */
static int
line_of (const char *text, const char *needle)
{
  const char *at = strstr (text, needle);
  assert_non_null (at);
  int line = 1;
  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  return line;
}

/* The import of workshop `text` with `opts`, or NULL with `error` set. */
static StratusImport *
import_text (const char *text, const StratusCfnOptions *opts, GError **error)
{
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "w.yaml", opts, error);
  if (t == NULL)
    return NULL;
  StratusImport *imp = stratus_import_template (t, NULL, error);
  stratus_cfn_template_free (t);
  return imp;
}

/* Line breaks of every kind (\n, NEL, PS), quotes and '#' in a stack name, a Description
 * and a health-check path: the header keeps them in its comments as escapes, the path is a
 * double-quoted scalar, and the scenario loads with the path as written. */
static void
test_hostile_strings_stay_in_their_scalar (void **state)
{
  (void) state;
  char *workshop = read_source ("cfn/workshop.yaml");
  char *a = replace_once (workshop, "HealthCheckPath: /health",
                          "HealthCheckPath: \"/h\\\"ealth\\n# not: a key\\P\"");
  char *text = replace_once (a, "Description: Three-tier web application in two AZs",
                             "Description: \"two\\nlines\\Nand\\Lmore\"");
  StratusCfnOptions opts = { .params = PARAMS, .stack_name = "a\nb\xc2\x85" "c: d" };
  GError *error = NULL;
  StratusImport *imp = import_text (text, &opts, &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  assert_non_null (strstr (imp->scenario, "(stack a\\nb\\u0085c: d, region us-east-1)"));
  assert_non_null (strstr (imp->scenario, "# two lines\\u0085and\\u2028more\n"));
  assert_non_null (strstr (imp->scenario, "path: \"/h\\\"ealth\\n# not: a key\\P\""));
  assert_null (strstr (imp->scenario, "\xc2\x85"));
  assert_null (strstr (imp->scenario, "\xe2\x80\xa9"));
  StratusScenario *s = stratus_scenario_load_string (imp->scenario, "imported.yaml", NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (s->name, "a-b-c-d");
  stratus_scenario_free (s);
  stratus_import_free (imp);
  g_free (text);
  g_free (a);
  g_free (workshop);
}

/* An instance type holding a line break would write a key of its own: refused at the
 * value's position, in one line. */
static void
test_typed_value_must_be_a_word (void **state)
{
  (void) state;
  char *workshop = read_source ("cfn/workshop.yaml");
  char *text = replace_once (workshop, "InstanceType: c5.large",
                             "InstanceType: \"c5.large\\nrogue: key\"");
  StratusCfnOptions opts = { .params = PARAMS };
  GError *error = NULL;
  assert_null (import_text (text, &opts, &error));
  char *expected = g_strdup_printf ("w.yaml:%d:23: 'c5.large\\nrogue: key' is not a value "
                                    "stratus can read here (a number or a word of letters, "
                                    "digits and . _ / - +)",
                                    line_of (text, "InstanceType:"));
  assert_string_equal (error->message, expected);
  g_free (expected);
  g_error_free (error);
  g_free (text);
  g_free (workshop);
}

/* An error quoting the template's text (here a !Ref to a name with a line break and a
 * control character) stays one line. */
static void
test_error_quoting_text_is_one_line (void **state)
{
  (void) state;
  const char *text = "Resources:\n"
                     "  Vpc:\n"
                     "    Type: AWS::EC2::VPC\n"
                     "    Properties: {CidrBlock: !Ref \"No\\nSuch\\a\"}\n";
  GError *error = NULL;
  assert_null (stratus_cfn_load_string (text, "t.yaml", NULL, &error));
  assert_null (strchr (error->message, '\n'));
  assert_true (g_str_has_prefix (error->message, "t.yaml:4:29: "));
  assert_non_null (strstr (error->message, "'No\\nSuch\\x07'"));
  g_error_free (error);
}

/* --region outside the AZ table, for a template and for a plan; a plan's provider region
 * too, at its position. */
static void
test_unknown_regions (void **state)
{
  (void) state;
  const char *known = "stratus knows us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1, "
                      "ap-northeast-1, ap-northeast-2";
  char *workshop = read_source ("cfn/workshop.yaml");
  StratusCfnOptions opts = { .params = PARAMS, .region = "us-east-l" };
  GError *error = NULL;
  assert_null (stratus_cfn_load_string (workshop, "w.yaml", &opts, &error));
  char *expected = g_strdup_printf ("--region:1:1: unknown region 'us-east-l' (did you mean "
                                    "'us-east-1'?): %s", known);
  assert_string_equal (error->message, expected);
  g_free (expected);
  g_clear_error (&error);
  opts.region = "mars\n1";
  assert_null (stratus_cfn_load_string (workshop, "w.yaml", &opts, &error));
  expected = g_strdup_printf ("--region:1:1: unknown region 'mars\\n1': %s", known);
  assert_string_equal (error->message, expected);
  g_free (expected);
  g_clear_error (&error);

  char *plan = read_source ("tf/workshop.plan.json");
  assert_null (stratus_tf_plan_load_string (plan, "p.json", "moon-1", &error));
  assert_true (g_str_has_prefix (error->message, "--region:1:1: unknown region 'moon-1'"));
  g_clear_error (&error);
  char *elsewhere = replace_once (plan, "\"constant_value\": \"us-east-1\"",
                                  "\"constant_value\": \"eu-west-9\"");
  assert_null (stratus_tf_plan_load_string (elsewhere, "p.json", NULL, &error));
  expected = g_strdup_printf ("p.json:%d:31: unknown region 'eu-west-9' (did you mean "
                              "'eu-west-1'?): %s",
                              line_of (elsewhere, "\"eu-west-9\""), known);
  assert_string_equal (error->message, expected);
  g_free (expected);
  g_clear_error (&error);
  StratusCfnTemplate *t = stratus_tf_plan_load_string (plan, "p.json", "eu-west-1", &error);
  assert_non_null (t);
  assert_string_equal (t->region, "us-east-1"); /* the provider's region wins, with a warning */
  assert_int_equal (t->warnings->len, 1);
  expected = g_strdup_printf ("p.json:%d:31: the plan's AWS provider region 'us-east-1' is used, "
                              "not --region eu-west-1",
                              line_of (plan, "\"constant_value\": \"us-east-1\""));
  assert_string_equal (t->warnings->pdata[0], expected);
  g_free (expected);
  stratus_cfn_template_free (t);
  g_free (elsewhere);
  g_free (plan);
  g_free (workshop);
}

/* What `stratus import` reads as a plan. */
static void
test_text_is_plan (void **state)
{
  (void) state;
  char *plan = read_source ("tf/workshop.plan.json");
  char *json = read_source ("cfn/workshop.json");
  char *yaml = read_source ("cfn/workshop.yaml");
  assert_true (stratus_tf_text_is_plan (plan));
  assert_false (stratus_tf_text_is_plan (json));
  assert_false (stratus_tf_text_is_plan (yaml));
  assert_true (stratus_tf_text_is_plan ("\n {\"format_version\": \"1.2\", \"resource_changes\": []}"));
  assert_false (stratus_tf_text_is_plan ("{\"format_version\": \"1.2\"}"));
  assert_false (stratus_tf_text_is_plan (""));
  g_free (yaml);
  g_free (json);
  g_free (plan);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_hostile_strings_stay_in_their_scalar),
    cmocka_unit_test (test_typed_value_must_be_a_word),
    cmocka_unit_test (test_error_quoting_text_is_one_line),
    cmocka_unit_test (test_unknown_regions),
    cmocka_unit_test (test_text_is_plan),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
