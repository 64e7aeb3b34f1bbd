/* stratus import (issue 14): the workshop architecture as a CloudFormation template, in
 * YAML and in JSON, imported to the same scenario, which loads, passes the model check and
 * runs to the same figures; the import report; determinism; errors through the CLI.
 * Aurora and Multi-AZ DB clusters (tests/import/cfn/aurora.yaml): one database each, its
 * members folded in, the exact lines of tests/import/aurora.databases.yaml. */
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
#include "stratus/terraform.h"
#include "tmpdir.h"

static const char *const PARAMS[] = { "DbPassword=secret", NULL };

/* The workshop in one of its three forms: "yaml" and "json" (CloudFormation) or "plan.json"
 * (a Terraform plan). */
static char *
workshop_path (const char *ext)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  const char *dir = strcmp (ext, "plan.json") == 0 ? "tf" : "cfn";
  return g_strdup_printf ("%s/tests/import/%s/workshop.%s", root ? root : ".", dir, ext);
}

/* A file of the source tree (STRATUS_SOURCE_ROOT, set by meson). */
static char *
source_path (const char *relative)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", relative, NULL);
}

/* The import of the template or plan (a name ending in .plan.json) at `path` (freed here)
 * with `params`, which must succeed. */
static StratusImport *
import_path (char *path, const char *const *params)
{
  StratusCfnOptions opts = { .params = params };
  GError *error = NULL;
  StratusCfnTemplate *t = g_str_has_suffix (path, ".plan.json")
                            ? stratus_tf_plan_load (path, NULL, &error)
                            : stratus_cfn_load (path, &opts, &error);
  if (t == NULL)
    fail_msg ("%s", error->message);
  StratusImport *imp = stratus_import_template (t, NULL, &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  stratus_cfn_template_free (t);
  g_free (path);
  return imp;
}

/* The import of the workshop in form `ext` (yaml, json or plan.json). */
static StratusImport *
import_ok (const char *ext)
{
  return import_path (workshop_path (ext), PARAMS);
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

/* The Terraform plan describes the same architecture: the same scenario, names included
 * (its resources are named as the template's logical ids: aws_subnet.public_subnet["a"] is
 * PublicSubnetA), below the header. */
static void
test_terraform_plan_same_scenario (void **state)
{
  (void) state;
  StratusImport *y = import_ok ("yaml"), *tf = import_ok ("plan.json");
  assert_string_equal (body (y), body (tf));
  assert_int_equal (tf->unmodelled, 1);
  assert_non_null (strstr (tf->report, "AssetsBucket (Terraform::aws_s3_bucket"));
  assert_non_null (strstr (tf->report, "object storage: requests to it are not simulated"));
  stratus_import_free (y);
  stratus_import_free (tf);
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

/* Loads `imp`'s scenario (freeing `imp`), checks the model and runs it 2 minutes. */
static StratusRunResult *
load_check_run_import (StratusImport *imp, uint64_t *ok)
{
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

/* The workshop template in format `ext`, imported, loaded, checked and run. */
static StratusRunResult *
load_check_run (const char *ext, uint64_t *ok)
{
  return load_check_run_import (import_ok (ext), ok);
}

static void
test_loads_checks_runs_same_figures (void **state)
{
  (void) state;
  uint64_t ok_y = 0, ok_j = 0, ok_t = 0;
  StratusRunResult *y = load_check_run ("yaml", &ok_y);
  StratusRunResult *j = load_check_run ("json", &ok_j);
  StratusRunResult *t = load_check_run ("plan.json", &ok_t);
  assert_true (y->total > 5000); /* 100/s for 2 minutes */
  assert_true (ok_y > y->total / 2);
  StratusRunResult *others[] = { j, t };
  uint64_t others_ok[] = { ok_j, ok_t };
  for (int i = 0; i < 2; i++)
    {
      assert_int_equal (y->total, others[i]->total);
      assert_int_equal (ok_y, others_ok[i]);
      assert_int_equal (y->started, others[i]->started);
      assert_true (y->wait_sum_ns == others[i]->wait_sum_ns);
    }
  stratus_run_result_free (y);
  stratus_run_result_free (j);
  stratus_run_result_free (t);
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
  char *svg = g_build_filename (dir, "ws.svg", NULL);
  r = run_in (NULL, "diagram", out, "-o", svg, NULL);
  expect_status (&r, 0);
  result_clear (&r);
  char *drawn = read_file (svg);
  assert_non_null (strstr (drawn, "<svg"));
  g_free (drawn);
  g_free (svg);

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
  assert_non_null (strstr (r.out, "terraform show -json"));
  result_clear (&r);

  /* A Terraform plan: picked by its content; --stack-name names it; --param is refused. */
  char *plan = workshop_path ("plan.json");
  r = run_in (NULL, "import", plan, "--stack-name", "lab", NULL);
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "\nname: lab\n"));
  assert_non_null (strstr (r.err, "AssetsBucket (Terraform::aws_s3_bucket"));
  result_clear (&r);
  r = run_in (NULL, "import", plan, "--param", "A=b", NULL);
  expect_status (&r, 2); /* a usage error: the message, then where to find the usage */
  assert_true (g_str_has_prefix (r.err, "stratus import: --param is for CloudFormation templates"));
  result_clear (&r);
  g_free (plan);
  g_free (out);
  g_free (path);
}

/* What a user runs: each form imported by `stratus import`, then `stratus run` with the
 * same seed: the three JSON reports are the same bytes. */
static void
test_cli_three_forms_same_report (void **state)
{
  const char *dir = *state;
  static const char *const forms[] = { "yaml", "json", "plan.json" };
  char *reports[3];
  for (int i = 0; i < 3; i++)
    {
      char *path = workshop_path (forms[i]);
      char *name = g_strdup_printf ("imported-%d.yaml", i);
      char *out = g_build_filename (dir, name, NULL);
      Result r = i < 2 ? run_in (NULL, "import", path, "--param", "DbPassword=x", "-o", out, NULL)
                       : run_in (NULL, "import", path, "-o", out, NULL);
      expect_status (&r, 0);
      result_clear (&r);
      r = run_in (NULL, "run", out, "--seed", "7", "--set", "duration=2m", "--format", "json",
                  "-q", NULL);
      expect_status (&r, 0);
      reports[i] = g_strdup (r.out);
      result_clear (&r);
      g_free (out);
      g_free (name);
      g_free (path);
    }
  assert_non_null (strstr (reports[0], "\"latency_ms\""));
  assert_non_null (strstr (reports[0], "\"databases\""));
  assert_non_null (strstr (reports[0], "\"cost\""));
  assert_string_equal (reports[0], reports[1]);
  assert_string_equal (reports[0], reports[2]);
  for (int i = 0; i < 3; i++)
    g_free (reports[i]);
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
                       "t.yaml:15:25: TargetGroupARNs: Bucket is an AWS::S3::Bucket, not an "
                       "AWS::ElasticLoadBalancingV2::TargetGroup (stratus does not model it)");
  g_error_free (error);
  stratus_cfn_template_free (t);
}

/* The scenario's `databases:` section (up to the blank line that ends it), newly allocated. */
static char *
databases_section (const char *scenario)
{
  const char *b = strstr (scenario, "\ndatabases:\n");
  assert_non_null (b);
  const char *e = strstr (b + 1, "\n\n");
  assert_non_null (e);
  return g_strndup (b + 1, (gsize) (e - b));
}

/* How many times `needle` occurs in `text`. */
static unsigned
occurrences (const char *text, const char *needle)
{
  unsigned n = 0;
  for (const char *p = strstr (text, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_aurora_databases (void **state)
{
  (void) state;
  StratusImport *imp = import_path (source_path ("tests/import/cfn/aurora.yaml"), NULL);
  char *expected_path = source_path ("tests/import/aurora.databases.yaml");
  char *expected = read_file (expected_path);
  char *got = databases_section (imp->scenario);
  assert_string_equal (got, expected);
  /* The Aurora cluster, written out in full here as well. */
  assert_non_null (strstr (got,
    "  aurora-cluster:\n"
    "    engine: aurora-mysql\n"
    "    instance_class: db.r6g.large\n"
    "    subnets: [private-subnet-a, private-subnet-b, private-subnet-c]\n"
    "    security_groups: [db-security-group]\n"
    "    availability_zone: us-east-1a\n"
    "    port: 3306\n"
    "    read_time: {dist: exponential, mean: 1ms}  " STRATUS_IMPORT_DEFAULT_MARK "\n"
    "    write_time: {dist: exponential, mean: 3ms}  " STRATUS_IMPORT_DEFAULT_MARK "\n"
    "    deployment: aurora\n"
    "    readers: 2\n"
    "    reader_promotion_tiers: [0, 2]\n"
    "    replica_azs: [us-east-1b, us-east-1c]\n"
    "    backup_retention: 14\n"));
  assert_non_null (strstr (got,
    "  reports-cluster:\n"
    "    engine: postgres\n"
    "    instance_class: db.m6g.large\n"));
  assert_non_null (strstr (got, "    storage: 100GiB\n    deployment: multi_az_cluster\n"));
  /* Two databases: the members are not databases of their own. */
  assert_int_equal (occurrences (got, "    engine: "), 2);
  assert_null (strstr (imp->scenario, "aurora-writer"));
  assert_null (strstr (imp->scenario, "aurora-reader"));
  /* The web tier reads from the Aurora readers. */
  assert_non_null (strstr (imp->scenario,
    "    database: {name: aurora-cluster, queries: 2, write_fraction: 0.2, reads_from: reader}"));
  /* The serverless cluster is the one resource not modelled, with why. */
  assert_int_equal (imp->unmodelled, 1);
  assert_non_null (strstr (imp->report, "ArchiveCluster (AWS::RDS::DBCluster, "));
  assert_non_null (strstr (imp->report, "not modelled: EngineMode serverless"));
  assert_null (strstr (imp->report, "not imported yet"));
  assert_non_null (strstr (imp->report, "AuroraReaderC (AWS::RDS::DBInstance, "));
  assert_non_null (strstr (imp->report, "a member of class db.r6g.xlarge"));
  assert_non_null (strstr (imp->report, "AuroraWriter (AWS::RDS::DBInstance, "));
  g_free (got);
  g_free (expected);
  g_free (expected_path);

  uint64_t ok = 0;
  StratusRunResult *r = load_check_run_import (imp, &ok);
  assert_true (r->total > 5000);
  assert_true (ok > r->total / 2);
  stratus_run_result_free (r);
}

/* A template with an internet-facing load balancer (so that it imports) and `extra`. */
static StratusImport *
import_with (const char *extra, GError **error)
{
  char *text = g_strconcat (
    "AWSTemplateFormatVersion: \"2010-09-09\"\n"
    "Resources:\n"
    "  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
    "    Properties: {Scheme: internet-facing}\n"
    "  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n"
    "    Properties: {Port: 80}\n"
    "  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n"
    "    Properties:\n      LoadBalancerArn: !Ref Alb\n      Port: 80\n"
    "      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]\n",
    extra, NULL);
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "t.yaml", NULL, error);
  g_free (text);
  assert_non_null (t);
  StratusImport *imp = stratus_import_template (t, NULL, error);
  stratus_cfn_template_free (t);
  return imp;
}

static void
test_cluster_cases (void **state)
{
  (void) state;
  GError *error = NULL;
  /* Legacy `aurora` is aurora-mysql; members named by DBClusterIdentifier text; no tiers. */
  StratusImport *imp = import_with (
    "  Cl:\n    Type: AWS::RDS::DBCluster\n"
    "    Properties: {Engine: aurora, DBClusterIdentifier: legacy}\n"
    "  M1:\n    Type: AWS::RDS::DBInstance\n"
    "    Properties: {DBClusterIdentifier: legacy, Engine: aurora, DBInstanceClass: db.r5.large}\n"
    "  M2:\n    Type: AWS::RDS::DBInstance\n"
    "    Properties: {DBClusterIdentifier: !Ref Cl, Engine: aurora, DBInstanceClass: db.r5.large}\n",
    &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  char *got = databases_section (imp->scenario);
  assert_string_equal (got,
    "databases:\n"
    "  cl:\n"
    "    engine: aurora-mysql\n"
    "    instance_class: db.r5.large\n"
    "    read_time: {dist: exponential, mean: 1ms}  " STRATUS_IMPORT_DEFAULT_MARK "\n"
    "    write_time: {dist: exponential, mean: 3ms}  " STRATUS_IMPORT_DEFAULT_MARK "\n"
    "    deployment: aurora\n"
    "    readers: 1\n");
  assert_int_equal (imp->unmodelled, 0);
  g_free (got);
  stratus_import_free (imp);

  /* A cluster without instances, and an instance whose cluster is not in the template. */
  imp = import_with (
    "  Empty:\n    Type: AWS::RDS::DBCluster\n"
    "    Properties: {Engine: aurora-postgresql}\n"
    "  Stray:\n    Type: AWS::RDS::DBInstance\n"
    "    Properties: {DBClusterIdentifier: elsewhere, Engine: aurora-postgresql, "
    "DBInstanceClass: db.r5.large}\n",
    &error);
  if (imp == NULL)
    fail_msg ("%s", error->message);
  assert_null (strstr (imp->scenario, "\ndatabases:"));
  assert_int_equal (imp->unmodelled, 2);
  assert_non_null (strstr (imp->report, "Empty (AWS::RDS::DBCluster, t.yaml:15:3): not modelled: "
                                        "an Aurora cluster without DB instances serves no queries"));
  assert_non_null (strstr (imp->report, "Stray (AWS::RDS::DBInstance, t.yaml:18:3): not modelled: "
                                        "a member of a DB cluster that is not in the template"));
  stratus_import_free (imp);

  /* A Multi-AZ DB cluster needs its instance class: an error at the cluster. */
  imp = import_with ("  Maz:\n    Type: AWS::RDS::DBCluster\n"
                     "    Properties: {Engine: mysql}\n", &error);
  assert_null (imp);
  assert_string_equal (error->message,
                       "t.yaml:15:3: Maz: a Multi-AZ DB cluster (engine mysql or postgres) needs a "
                       "DBClusterInstanceClass");
  g_clear_error (&error);

  /* An Aurora member without a class: an error at the member. */
  imp = import_with ("  Cl:\n    Type: AWS::RDS::DBCluster\n"
                     "    Properties: {Engine: aurora-mysql}\n"
                     "  W:\n    Type: AWS::RDS::DBInstance\n"
                     "    Properties: {DBClusterIdentifier: !Ref Cl, Engine: aurora-mysql}\n",
                     &error);
  assert_null (imp);
  assert_string_equal (error->message,
                       "t.yaml:18:3: W: a DB instance of cluster Cl needs a DBInstanceClass");
  g_clear_error (&error);
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
    cmocka_unit_test (test_terraform_plan_same_scenario),
    cmocka_unit_test (test_deterministic),
    cmocka_unit_test (test_loads_checks_runs_same_figures),
    cmocka_unit_test_setup_teardown (test_cli, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_cli_three_forms_same_report, tmpdir_setup,
                                     tmpdir_teardown),
    cmocka_unit_test (test_reference_to_unmodelled),
    cmocka_unit_test (test_aurora_databases),
    cmocka_unit_test (test_cluster_cases),
    cmocka_unit_test (test_step_and_simple_policies),
    cmocka_unit_test (test_step_without_adjustment),
    cmocka_unit_test (test_alarm_for_two_policies),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
