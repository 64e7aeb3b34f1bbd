/* stratus import (issue 14): the workshop architecture as a CloudFormation template, in
 * YAML and in JSON, imported to the same scenario, which loads, passes the model check and
 * runs to the same figures; the import report; determinism; errors through the CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cli_support.h"
#include "stratus/import.h"
#include "stratus/model.h"
#include "stratus/results.h"
#include "stratus/scenario.h"
#include "tmpdir.h"

static const char *const PARAMS[] = { "DbPassword=secret", NULL };

static char *
workshop_path (const char *ext)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  return g_strdup_printf ("%s/tests/import/cfn/workshop.%s", root ? root : ".", ext);
}

static StratusImport *
import_ok (const char *ext)
{
  char *path = workshop_path (ext);
  StratusCfnOptions opts = { .params = PARAMS };
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_cfn_load (path, &opts, &error);
  if (t == NULL)
    fail_msg ("%s", error->message);
  StratusImport *imp = stratus_import_template (t, NULL, &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  stratus_cfn_template_free (t);
  g_free (path);
  return imp;
}

/* The scenario without its header comments (which name the source file and positions). */
static const char *
body (const StratusImport *imp)
{
  const char *b = strstr (imp->scenario, "\nname: ");
  assert_non_null (b);
  return b;
}

static void
test_yaml_and_json_same_scenario (void **state)
{
  (void) state;
  StratusImport *y = import_ok ("yaml"), *j = import_ok ("json");
  assert_string_equal (body (y), body (j));
  assert_int_equal (y->unmodelled, 1);
  assert_non_null (strstr (y->report, "AssetsBucket (AWS::S3::Bucket"));
  assert_non_null (strstr (y->scenario, "#   AssetsBucket (AWS::S3::Bucket"));
  assert_non_null (strstr (y->scenario, "rate: 100/s  " STRATUS_IMPORT_DEFAULT_MARK));
  assert_non_null (strstr (y->scenario, "- {protocol: tcp, ports: 3306, source: web-security-group}"));
  assert_non_null (strstr (y->scenario, "deployment: multi_az_instance\n    read_replicas: 1\n"));
  assert_non_null (strstr (y->scenario, "route_table: private-route-table-a}"));
  assert_non_null (strstr (y->scenario, "nat-a: {subnet: public-subnet-a, elastic_ips: [nat-eip-a]}"));
  stratus_import_free (y);
  stratus_import_free (j);
}

static void
test_deterministic (void **state)
{
  (void) state;
  StratusImport *a = import_ok ("yaml"), *b = import_ok ("yaml");
  assert_string_equal (a->scenario, b->scenario);
  assert_string_equal (a->report, b->report);
  stratus_import_free (a);
  stratus_import_free (b);
}

static StratusRunResult *
load_check_run (const char *ext, uint64_t *ok)
{
  StratusImport *imp = import_ok (ext);
  const char *const overrides[] = { "duration=2m", NULL };
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (imp->scenario, "workshop-imported.yaml",
                                                     overrides, &error);
  if (s == NULL)
    fail_msg ("%s\n%s", error->message, imp->scenario);
  if (!stratus_model_check (s, NULL, &error))
    fail_msg ("%s", error->message);
  StratusRunOptions opts = { .seed = 7 };
  StratusRunResult *r = stratus_model_run (s, &opts);
  *ok = r->outcomes[0];
  stratus_scenario_free (s);
  stratus_import_free (imp);
  return r;
}

static void
test_loads_checks_runs_same_figures (void **state)
{
  (void) state;
  uint64_t ok_y = 0, ok_j = 0;
  StratusRunResult *y = load_check_run ("yaml", &ok_y);
  StratusRunResult *j = load_check_run ("json", &ok_j);
  assert_true (y->total > 5000); /* 100/s for 2 minutes */
  assert_true (ok_y > y->total / 2);
  assert_int_equal (y->total, j->total);
  assert_int_equal (ok_y, ok_j);
  assert_int_equal (y->started, j->started);
  assert_true (y->wait_sum_ns == j->wait_sum_ns);
  stratus_run_result_free (y);
  stratus_run_result_free (j);
}

static void
test_cli (void **state)
{
  const char *dir = *state;
  char *path = workshop_path ("yaml");
  Result r = run_in (NULL, "import", path, NULL);
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_non_null (strstr (r.err, "workshop.yaml:12:3: parameter DbPassword has no Default"));
  result_clear (&r);

  char *out = g_build_filename (dir, "ws.yaml", NULL);
  r = run_in (NULL, "import", path, "--param", "DbPassword=x", "-o", out, NULL);
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "AssetsBucket (AWS::S3::Bucket"));
  result_clear (&r);
  r = run_in (NULL, "validate", "--explain", out, NULL);
  expect_status (&r, 0);
  result_clear (&r);

  r = run_in (NULL, "import", path, "--param", "DbPassword=x", NULL);
  expect_status (&r, 0);
  char *written = read_file (out);
  assert_string_equal (r.out, written);
  assert_non_null (strstr (r.err, "Import report:"));
  g_free (written);
  result_clear (&r);

  r = run_in (NULL, "import", "--help", NULL);
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "Examples:"));
  result_clear (&r);
  g_free (out);
  g_free (path);
}

static void
test_reference_to_unmodelled (void **state)
{
  (void) state;
  const char *text
    = "AWSTemplateFormatVersion: \"2010-09-09\"\n"
      "Resources:\n"
      "  Bucket:\n    Type: AWS::S3::Bucket\n"
      "  Lt:\n    Type: AWS::EC2::LaunchTemplate\n"
      "    Properties:\n      LaunchTemplateData: {ImageId: ami-1, InstanceType: c5.large}\n"
      "  Asg:\n    Type: AWS::AutoScaling::AutoScalingGroup\n"
      "    Properties:\n      LaunchTemplate: {LaunchTemplateId: !Ref Lt}\n"
      "      MinSize: 1\n      MaxSize: 2\n      TargetGroupARNs: [!Ref Bucket]\n";
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "t.yaml", NULL, &error);
  assert_non_null (t);
  StratusImport *imp = stratus_import_template (t, NULL, &error);
  assert_null (imp);
  assert_string_equal (error->message,
                       "t.yaml:15:25: TargetGroupARNs: Bucket is a AWS::S3::Bucket, not a "
                       "AWS::ElasticLoadBalancingV2::TargetGroup (stratus does not model it)");
  g_error_free (error);
  stratus_cfn_template_free (t);
}

/* tests/import/cfn/policies.yaml imported (no parameters). */
static StratusImport *
import_policies (void)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *path = g_strdup_printf ("%s/tests/import/cfn/policies.yaml", root ? root : ".");
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_cfn_load (path, NULL, &error);
  if (t == NULL)
    fail_msg ("%s", error->message);
  StratusImport *imp = stratus_import_template (t, "policies.yaml", &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  stratus_cfn_template_free (t);
  g_free (path);
  return imp;
}

/* Whether the report has a line for `id` (any position) ending in `what`. */
static bool
report_says (const StratusImport *imp, const char *id, const char *what)
{
  char **lines = g_strsplit (imp->report, "\n", -1);
  bool found = false;
  for (char **l = lines; *l && !found; l++)
    found = g_str_has_prefix (*l, id) && g_str_has_suffix (*l, what);
  g_strfreev (lines);
  return found;
}

static void
test_step_and_simple_policies (void **state)
{
  (void) state;
  StratusImport *imp = import_policies ();
  assert_non_null (strstr (imp->scenario,
                           "    policies:\n"
                           "      step-up:\n"
                           "        type: step\n"
                           "        metric: cpu\n"
                           "        alarm: {above: 70, period: 60s, datapoints: 2, evaluation_periods: 3}\n"
                           "        steps:\n"
                           "          - {lower: 0, upper: 20, adjustment: 1}\n"
                           "          - {lower: 20, adjustment: 3}\n"
                           "      scale-in:\n"
                           "        type: simple\n"
                           "        metric: cpu\n"
                           "        alarm: {below: 20, period: 300s, datapoints: 2, evaluation_periods: 2}\n"
                           "        adjustment: -1\n"
                           "        cooldown: 300s\n"
                           "      requests-policy:\n"
                           "        type: step\n"
                           "        metric: request_count_per_target\n"
                           "        target_group: web-target-group\n"
                           "        alarm: {above: 1000, period: 60s, datapoints: 2, evaluation_periods: 2}\n"
                           "        adjustment_type: percent_change_in_capacity\n"
                           "        min_adjustment_magnitude: 2\n"
                           "        steps:\n"
                           "          - {lower: 0, adjustment: 50}\n"
                           "\n"));
  /* modelled: 19 network and compute resources, 3 policies, 3 alarms */
  assert_int_equal (imp->modelled, 22);
  assert_int_equal (imp->unmodelled, 8);
  assert_true (report_says (imp, "  OrphanPolicy (AWS::AutoScaling::ScalingPolicy",
                            "not modelled: no AWS::CloudWatch::Alarm triggers it"));
  assert_true (report_says (imp, "  BadTypePolicy (AWS::AutoScaling::ScalingPolicy",
                            "not modelled: AdjustmentType 'ChangeCapacityBy': stratus knows "
                            "ChangeInCapacity, ExactCapacity and PercentChangeInCapacity"));
  assert_true (report_says (imp, "  BadTypeAlarm (AWS::CloudWatch::Alarm",
                            "not modelled: triggers BadTypePolicy, which is not imported"));
  assert_true (report_says (imp, "  MemoryPolicy (AWS::AutoScaling::ScalingPolicy",
                            "not modelled: metric mem_used_percent: stratus models memory only "
                            "when the launch template sets memory, which a template does not say"));
  assert_true (report_says (imp, "  VeryHighCpuAlarm (AWS::CloudWatch::Alarm",
                            "not modelled: triggers StepUp too, which stratus gives one alarm "
                            "(HighCpuAlarm)"));
  assert_true (report_says (imp, "  TopicAlarm (AWS::CloudWatch::Alarm",
                            "not modelled: dashboards, and alarms that trigger no scaling policy "
                            "stratus imports, are not simulated"));
  assert_true (report_says (imp, "  HighCpuAlarm (AWS::CloudWatch::Alarm, ",
                            "GreaterThanThreshold is imported as >= (stratus alarms are inclusive)"));
  assert_true (report_says (imp, "  StepUp (AWS::AutoScaling::ScalingPolicy",
                            "EstimatedInstanceWarmup left out (stratus uses the group's "
                            "default_instance_warmup)"));
  assert_null (strstr (imp->report, "LowCpuAlarm"));
  assert_null (strstr (imp->report, "RequestsAlarm"));

  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (imp->scenario, "policies-imported.yaml",
                                                     NULL, &error);
  if (s == NULL)
    fail_msg ("%s\n%s", error->message, imp->scenario);
  if (!stratus_model_check (s, NULL, &error))
    fail_msg ("%s", error->message);
  stratus_scenario_free (s);
  stratus_import_free (imp);
}

/* policies.yaml with its one occurrence of `from` replaced by `to` (as long), imported
 * as p.yaml; NULL with `error` set on an import error. */
static StratusImport *
import_edited (const char *from, const char *to, GError **error)
{
  char *path = g_strdup_printf ("%s/tests/import/cfn/policies.yaml",
                                g_getenv ("STRATUS_SOURCE_ROOT") ?: ".");
  char *text = NULL;
  assert_true (g_file_get_contents (path, &text, NULL, NULL));
  char *at = strstr (text, from);
  assert_non_null (at);
  assert_int_equal (strlen (from), strlen (to));
  memcpy (at, to, strlen (to));
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "p.yaml", NULL, error);
  assert_non_null (t);
  StratusImport *imp = stratus_import_template (t, NULL, error);
  stratus_cfn_template_free (t);
  g_free (text);
  g_free (path);
  return imp;
}

static void
test_step_without_adjustment (void **state)
{
  (void) state;
  GError *error = NULL;
  /* The first step of StepUp loses its ScalingAdjustment. */
  StratusImport *imp = import_edited ("MetricIntervalUpperBound: 20, ScalingAdjustment: 1}",
                                      "MetricIntervalUpperBound: 20, Cooldown: 1         }", &error);
  assert_null (imp);
  assert_string_equal (error->message,
                       "p.yaml:117:11: StepUp: a step adjustment needs a ScalingAdjustment");
  g_error_free (error);
}

static void
test_alarm_for_two_policies (void **state)
{
  (void) state;
  GError *error = NULL;
  /* HighCpuAlarm triggers OrphanPolicy too (instead of the topic): each gets the alarm. */
  StratusImport *imp = import_edited ("AlarmActions: [!Ref StepUp, !Ref AlertsTopic]",
                                      "AlarmActions: [!Ref StepUp,!Ref OrphanPolicy]", &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  assert_non_null (strstr (imp->scenario,
                           "      orphan-policy:\n"
                           "        type: simple\n"
                           "        metric: cpu\n"
                           "        alarm: {above: 70, period: 60s, datapoints: 2, evaluation_periods: 3}\n"
                           "        adjustment: 2\n"));
  assert_non_null (strstr (imp->scenario, "      step-up:\n        type: step\n"));
  assert_false (report_says (imp, "  OrphanPolicy (", "no AWS::CloudWatch::Alarm triggers it"));
  GError *err = NULL;
  StratusScenario *s = stratus_scenario_load_string (imp->scenario, "p.yaml", NULL, &err);
  if (s == NULL)
    fail_msg ("%s", err->message);
  stratus_scenario_free (s);
  stratus_import_free (imp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_yaml_and_json_same_scenario),
    cmocka_unit_test (test_deterministic),
    cmocka_unit_test (test_loads_checks_runs_same_figures),
    cmocka_unit_test_setup_teardown (test_cli, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (test_reference_to_unmodelled),
    cmocka_unit_test (test_step_and_simple_policies),
    cmocka_unit_test (test_step_without_adjustment),
    cmocka_unit_test (test_alarm_for_two_policies),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
