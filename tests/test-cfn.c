/* CloudFormation templates (issue 14): intrinsic functions in both forms, parameters,
 * conditions, pseudo parameters, the JSON form, and refusals of what is not a template. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stratus/cfn.h"

#define HEAD "AWSTemplateFormatVersion: \"2010-09-09\"\n"

/* Loads `text` (labelled t.yaml) with the NULL-terminated overrides; fails the test on an
 * error. */
static StratusCfnTemplate *
load_ok (const char *text, const char *const *params)
{
  StratusCfnOptions opts = { .params = params };
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "t.yaml", &opts, &error);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  return t;
}

/* Loads `text`, expecting an error whose message is exactly `expected` (one line). */
static void
load_fails (const char *text, const char *const *params, const char *expected)
{
  StratusCfnOptions opts = { .params = params };
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "t.yaml", &opts, &error);
  assert_null (t);
  assert_non_null (error);
  assert_null (strchr (error->message, '\n'));
  if (strcmp (error->message, expected) != 0)
    fail_msg ("expected\n  %s\ngot\n  %s", expected, error->message);
  g_error_free (error);
}

/* The rendering of property `key` of resource `id`. */
static void
assert_prop (const StratusCfnTemplate *t, const char *id, const char *key, const char *expected)
{
  const StratusCfnResource *r = stratus_cfn_find_resource (t, id);
  assert_non_null (r);
  const StratusCfnValue *v = stratus_cfn_value_get (r->properties, key);
  if (v == NULL)
    fail_msg ("%s has no property %s", id, key);
  char *text = stratus_cfn_value_render (v);
  if (strcmp (text, expected) != 0)
    fail_msg ("%s.%s: expected %s, got %s", id, key, expected, text);
  g_free (text);
}

/* A template with one resource R whose property P is `value` (after the given sections). */
static char *
one (const char *sections, const char *value)
{
  return g_strdup_printf (HEAD "%sResources:\n  Other:\n    Type: AWS::EC2::VPC\n"
                          "  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: %s\n",
                          sections, value);
}

/* Each function: the short form `shortv` and the long form `longv` render as `expected`. */
static void
both_forms (const char *sections, const char *shortv, const char *longv, const char *expected)
{
  char *a = one (sections, shortv), *b = one (sections, longv);
  StratusCfnTemplate *ta = load_ok (a, NULL), *tb = load_ok (b, NULL);
  assert_prop (ta, "R", "P", expected);
  assert_prop (tb, "R", "P", expected);
  stratus_cfn_template_free (ta);
  stratus_cfn_template_free (tb);
  g_free (a);
  g_free (b);
}

#define PARAMS "Parameters:\n  Name:\n    Type: String\n    Default: web\n" \
               "  Ports:\n    Type: List<Number>\n    Default: \"80,443\"\n"

static void
test_ref (void **state)
{
  (void) state;
  both_forms (PARAMS, "!Ref Name", "{Ref: Name}", "web");
  both_forms ("", "!Ref AWS::Region", "{Ref: AWS::Region}", "us-east-1");
  both_forms ("", "!Ref AWS::StackName", "{Ref: AWS::StackName}", "t");
  both_forms ("", "!Ref AWS::AccountId", "{Ref: AWS::AccountId}", "123456789012");
  both_forms ("", "!Ref Other", "{Ref: Other}", "${Other}");
  char *text = one ("", "!Ref Other");
  StratusCfnTemplate *t = load_ok (text, NULL);
  const StratusCfnValue *v = stratus_cfn_value_get (stratus_cfn_find_resource (t, "R")->properties, "P");
  assert_int_equal (v->kind, STRATUS_CFN_REF);
  assert_string_equal (v->text, "Other");
  assert_int_equal (v->line, 8);
  assert_int_equal (v->column, 10);
  stratus_cfn_template_free (t);
  g_free (text);
  text = one (PARAMS, "!Ref Nmae");
  load_fails (text, NULL, "t.yaml:15:10: 'Nmae' is neither a parameter nor a resource of the "
              "template (did you mean 'Name'?)");
  g_free (text);
}

static void
test_getatt (void **state)
{
  (void) state;
  both_forms ("", "!GetAtt Other.CidrBlock", "{\"Fn::GetAtt\": [Other, CidrBlock]}",
              "${Other.CidrBlock}");
  both_forms ("", "!GetAtt [Other, CidrBlock]", "{\"Fn::GetAtt\": [Other, CidrBlock]}",
              "${Other.CidrBlock}");
  char *text = one ("", "!GetAtt Othr.CidrBlock");
  load_fails (text, NULL, "t.yaml:8:10: Fn::GetAtt: no resource 'Othr' in the template "
              "(did you mean 'Other'?)");
  g_free (text);
}

static void
test_sub (void **state)
{
  (void) state;
  both_forms (PARAMS, "!Sub \"${Name}-${AWS::Region}-${!Literal}\"",
              "{\"Fn::Sub\": \"${Name}-${AWS::Region}-${!Literal}\"}", "web-us-east-1-${Literal}");
  both_forms (PARAMS, "!Sub [\"${A}/${Name}\", {A: !Ref AWS::AccountId}]",
              "{\"Fn::Sub\": [\"${A}/${Name}\", {A: {Ref: AWS::AccountId}}]}",
              "123456789012/web");
  /* A resource or attribute makes a string known only at deploy time. */
  char *text = one ("", "!Sub \"arn:${Other}:${Other.CidrBlock}\"");
  StratusCfnTemplate *t = load_ok (text, NULL);
  const StratusCfnValue *v = stratus_cfn_value_get (stratus_cfn_find_resource (t, "R")->properties, "P");
  assert_int_equal (v->kind, STRATUS_CFN_CONCAT);
  assert_int_equal (v->items->len, 4);
  assert_string_equal (v->text, "arn:${Other}:${Other.CidrBlock}");
  stratus_cfn_template_free (t);
  g_free (text);
  text = one ("", "!Sub \"${Missing}\"");
  load_fails (text, NULL, "t.yaml:8:10: 'Missing' is neither a parameter nor a resource of the "
              "template");
  g_free (text);
  text = one ("", "!Sub \"${Oops\"");
  load_fails (text, NULL, "t.yaml:8:10: !Sub: '${' without its '}'");
  g_free (text);
}

static void
test_join (void **state)
{
  (void) state;
  both_forms (PARAMS, "!Join [\"-\", [a, !Ref Name, 3]]",
              "{\"Fn::Join\": [\"-\", [a, {Ref: Name}, 3]]}", "a-web-3");
  both_forms (PARAMS, "!Join [\",\", !Ref Ports]", "{\"Fn::Join\": [\",\", {Ref: Ports}]}",
              "80,443");
  char *text = one ("", "!Join [\"-\"]");
  load_fails (text, NULL, "t.yaml:8:10: !Join takes a list [delimiter, [values]], not a list of 1");
  g_free (text);
}

static void
test_select (void **state)
{
  (void) state;
  both_forms (PARAMS, "!Select [1, !Ref Ports]", "{\"Fn::Select\": [1, {Ref: Ports}]}", "443");
  both_forms ("", "!Select [0, [x, y]]", "{\"Fn::Select\": [\"0\", [x, y]]}", "x");
  char *text = one ("", "!Select [2, [x, y]]");
  load_fails (text, NULL, "t.yaml:8:19: !Select: index 2 is past the end of a list of 2");
  g_free (text);
}

static void
test_split (void **state)
{
  (void) state;
  both_forms ("", "!Split [\",\", \"a,b,,c\"]", "{\"Fn::Split\": [\",\", \"a,b,,c\"]}",
              "[a, b, , c]");
  both_forms ("", "!Select [1, !Split [\"|\", \"x|y\"]]",
              "{\"Fn::Select\": [1, {\"Fn::Split\": [\"|\", \"x|y\"]}]}", "y");
}

static void
test_getazs (void **state)
{
  (void) state;
  both_forms ("", "!GetAZs \"\"", "{\"Fn::GetAZs\": \"\"}",
              "[us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f]");
  both_forms ("", "!Select [1, !GetAZs ]", "{\"Fn::Select\": [1, {\"Fn::GetAZs\": \"\"}]}",
              "us-east-1b");
  both_forms ("", "!GetAZs ap-northeast-2", "{\"Fn::GetAZs\": ap-northeast-2}",
              "[ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d]");
  both_forms ("", "!GetAZs {Ref: AWS::Region}", "{\"Fn::GetAZs\": {Ref: AWS::Region}}",
              "[us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f]");
  /* "" is the template's region, which the options set. */
  char *text = one ("", "!GetAZs \"\"");
  StratusCfnOptions opts = { .region = "ap-northeast-2" };
  StratusCfnTemplate *t = stratus_cfn_load_string (text, "t.yaml", &opts, NULL);
  assert_non_null (t);
  assert_prop (t, "R", "P", "[ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d]");
  stratus_cfn_template_free (t);
  g_free (text);
  text = one ("", "!GetAZs mars-north-1");
  load_fails (text, NULL, "t.yaml:8:10: !GetAZs: no AZ table for region 'mars-north-1' (known: "
              "us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1, ap-northeast-1, "
              "ap-northeast-2)");
  g_free (text);
}

#define MAPS "Mappings:\n  Sizes:\n    small: {Type: t3.micro, Count: 2}\n"

static void
test_findinmap (void **state)
{
  (void) state;
  both_forms (MAPS, "!FindInMap [Sizes, small, Type]",
              "{\"Fn::FindInMap\": [Sizes, small, Type]}", "t3.micro");
  char *text = one (MAPS, "!FindInMap [Sizes, smal, Type]");
  load_fails (text, NULL, "t.yaml:11:29: Fn::FindInMap: no top-level key 'smal' (did you mean "
              "'small'?)");
  g_free (text);
  text = one (MAPS, "!FindInMap [Sizes, small, Colour]");
  load_fails (text, NULL, "t.yaml:11:36: Fn::FindInMap: no second-level key 'Colour'");
  g_free (text);
  /* A level that is not a mapping (found by fuzz-import: it crashed the lookup). */
  text = one ("Mappings:\n  Sizes:\n    small: [[]]\n", "!FindInMap [Sizes, small, Type]");
  load_fails (text, NULL, "t.yaml:11:36: Fn::FindInMap: where the second-level key 'Type' "
              "should be, the Mappings hold a list, not a mapping");
  g_free (text);
}

#define CONDS "Parameters:\n  Env:\n    Type: String\n    Default: prod\n" \
              "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n" \
              "  IsTest: {\"Fn::Not\": [{Condition: IsProd}]}\n" \
              "  Both: !And [!Condition IsProd, !Not [!Condition IsTest]]\n" \
              "  Either: {\"Fn::Or\": [{Condition: IsTest}, {\"Fn::Equals\": [a, b]}]}\n"

static void
test_if_and_conditions (void **state)
{
  (void) state;
  both_forms (CONDS, "!If [IsProd, big, small]", "{\"Fn::If\": [IsProd, big, small]}", "big");
  both_forms (CONDS, "!If [IsTest, big, small]", "{\"Fn::If\": [IsTest, big, small]}", "small");
  both_forms (CONDS, "!If [Both, yes, no]", "{\"Fn::If\": [Both, yes, no]}", "yes");
  both_forms (CONDS, "!If [Either, yes, no]", "{\"Fn::If\": [Either, yes, no]}", "no");
  char *text = one (CONDS, "!If [IsPrd, a, b]");
  load_fails (text, NULL, "t.yaml:17:15: no condition 'IsPrd' in the template's Conditions "
              "(did you mean 'IsProd'?)");
  g_free (text);
  text = one (CONDS, "!Equals [a, b]");
  load_fails (text, NULL, "t.yaml:17:10: !Equals can be used only in Conditions (and in "
              "Fn::If's condition there)");
  g_free (text);
  load_fails (HEAD "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\n"
              "Resources:\n  R: {Type: AWS::S3::Bucket}\n", NULL,
              "t.yaml:4:12: condition 'A' depends on itself (a circular chain of conditions)");
}

static void
test_condition_excludes_resource (void **state)
{
  (void) state;
  const char *text = HEAD CONDS "Resources:\n"
                     "  Keep:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n"
                     "  Drop:\n    Type: AWS::S3::Bucket\n    Condition: IsTest\n";
  StratusCfnTemplate *t = load_ok (text, NULL);
  assert_int_equal (t->resources->len, 1);
  assert_non_null (stratus_cfn_find_resource (t, "Keep"));
  assert_null (stratus_cfn_find_resource (t, "Drop"));
  assert_int_equal (t->excluded->len, 1);
  assert_string_equal (g_ptr_array_index (t->excluded, 0), "Drop");
  stratus_cfn_template_free (t);
  const char *const test_env[] = { "Env=test", NULL };
  t = load_ok (text, test_env);
  assert_string_equal (((StratusCfnResource *) g_ptr_array_index (t->resources, 0))->logical_id,
                       "Drop");
  stratus_cfn_template_free (t);
  /* A Ref to a resource left out is an error where the Ref is. */
  load_fails (HEAD CONDS "Resources:\n  Drop:\n    Type: AWS::S3::Bucket\n    Condition: IsTest\n"
              "  User:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Ref Drop\n", NULL,
              "t.yaml:18:10: 'Drop' refers to resource Drop, which its condition 'IsTest' (false) "
              "leaves out");
}

static void
test_novalue (void **state)
{
  (void) state;
  const char *text = HEAD CONDS "Resources:\n  R:\n    Type: AWS::S3::Bucket\n"
                     "    Properties:\n      Gone: !Ref AWS::NoValue\n"
                     "      Maybe: !If [IsTest, x, !Ref AWS::NoValue]\n"
                     "      List: [a, !If [IsProd, !Ref AWS::NoValue, b], c]\n"
                     "      Kept: {\"Fn::If\": [IsProd, y, {Ref: AWS::NoValue}]}\n";
  StratusCfnTemplate *t = load_ok (text, NULL);
  const StratusCfnResource *r = stratus_cfn_find_resource (t, "R");
  assert_null (stratus_cfn_value_get (r->properties, "Gone"));
  assert_null (stratus_cfn_value_get (r->properties, "Maybe"));
  assert_prop (t, "R", "List", "[a, c]");
  assert_prop (t, "R", "Kept", "y");
  assert_int_equal (r->properties->keys->len, 2);
  stratus_cfn_template_free (t);
}

static void
test_base64 (void **state)
{
  (void) state;
  both_forms (PARAMS, "!Base64 hello", "{\"Fn::Base64\": hello}", "aGVsbG8=");
  char *text = one (PARAMS, "!Base64 {\"Fn::Sub\": \"name=${Name}\"}");
  StratusCfnTemplate *t = load_ok (text, NULL);
  const StratusCfnValue *v = stratus_cfn_value_get (stratus_cfn_find_resource (t, "R")->properties, "P");
  assert_true (v->base64);
  assert_string_equal (v->plain, "name=web");
  assert_string_equal (v->text, "bmFtZT13ZWI=");
  stratus_cfn_template_free (t);
  g_free (text);
}

static void
test_importvalue (void **state)
{
  (void) state;
  both_forms ("", "!ImportValue net-VpcId", "{\"Fn::ImportValue\": net-VpcId}",
              "${ImportValue:net-VpcId}");
  char *text = one ("", "!ImportValue {\"Fn::Sub\": \"${AWS::Region}-Vpc\"}");
  StratusCfnTemplate *t = load_ok (text, NULL);
  assert_int_equal (t->warnings->len, 1);
  assert_string_equal (g_ptr_array_index (t->warnings, 0),
                       "t.yaml:8:10: !ImportValue 'us-east-1-Vpc': another stack's export "
                       "cannot be read here; kept as a symbolic import");
  stratus_cfn_template_free (t);
  g_free (text);
}

static void
test_cidr (void **state)
{
  (void) state;
  both_forms ("", "!Cidr [10.0.0.0/16, 3, 8]", "{\"Fn::Cidr\": [10.0.0.0/16, 3, 8]}",
              "[10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24]");
  char *text = one ("", "!Cidr [10.0.0.0/30, 4, 1]");
  load_fails (text, NULL, "t.yaml:8:30: !Cidr: 10.0.0.0/30 holds only 2 blocks of /31");
  g_free (text);
}

static void
test_unknown_function (void **state)
{
  (void) state;
  char *text = one ("", "!Foo bar");
  load_fails (text, NULL, "t.yaml:8:10: unknown function '!Foo' (did you mean '!Not'?)");
  g_free (text);
  text = one ("", "!Joinn [a, [b]]");
  load_fails (text, NULL, "t.yaml:8:10: unknown function '!Joinn' (did you mean '!Join'?)");
  g_free (text);
  text = one ("", "{\"Fn::Selectt\": [0, [a]]}");
  load_fails (text, NULL, "t.yaml:8:11: unknown function 'Fn::Selectt' (did you mean "
              "'Fn::Select'?)");
  g_free (text);
}

#define PARAM_T(spec) HEAD "Parameters:\n  Size:\n" spec \
  "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: !Ref Size\n"

static void
test_parameters (void **state)
{
  (void) state;
  const char *text = PARAM_T ("    Type: String\n    Default: small\n"
                              "    AllowedValues: [small, large]\n");
  StratusCfnTemplate *t = load_ok (text, NULL);
  assert_prop (t, "R", "P", "small");
  assert_false (stratus_cfn_find_parameter (t, "Size")->overridden);
  stratus_cfn_template_free (t);
  const char *const large[] = { "Size=large", NULL };
  t = load_ok (text, large);
  assert_prop (t, "R", "P", "large");
  assert_true (stratus_cfn_find_parameter (t, "Size")->overridden);
  stratus_cfn_template_free (t);
  const char *const huge[] = { "Size=huge", NULL };
  load_fails (text, huge, "t.yaml:3:3: parameter Size: 'huge' (given by --param) is not one of "
              "its AllowedValues (small, large)");
  load_fails (PARAM_T ("    Type: String\n    Default: medium\n    AllowedValues: [small, large]\n"),
              NULL, "t.yaml:5:14: parameter Size: 'medium' is not one of its AllowedValues "
              "(small, large)");
  const char *const typo[] = { "Sise=large", NULL };
  load_fails (text, typo, "--param:1:1: the template has no parameter 'Sise' (did you mean "
              "'Size'?)");
  load_fails (PARAM_T ("    Type: String\n"), NULL,
              "t.yaml:3:3: parameter Size has no Default; give it with --param Size=VALUE");
  load_fails (PARAM_T ("    Type: Number\n    Default: 5\n    MaxValue: 4\n"), NULL,
              "t.yaml:5:14: parameter Size: 5 is outside MinValue..MaxValue (-1.79769e+308..4)");
  load_fails (PARAM_T ("    Type: String\n    Default: ab1\n    AllowedPattern: '[a-z]+'\n"),
              NULL, "t.yaml:5:14: parameter Size: 'ab1' does not match its AllowedPattern [a-z]+");
  load_fails (PARAM_T ("    Type: String\n    Default: abc\n    MaxLength: 2\n"), NULL,
              "t.yaml:5:14: parameter Size: 'abc' has 3 characters, outside MinLength..MaxLength "
              "(0..2)");
  load_fails (PARAM_T ("    Type: AWS::SSM::Parameter::Value<String>\n    Default: /x\n"), NULL,
              "t.yaml:3:3: parameter Size is of type AWS::SSM::Parameter::Value<String>: its "
              "value is read from SSM Parameter Store at deploy time; give it with --param "
              "Size=VALUE");
  t = load_ok (PARAM_T ("    Type: AWS::EC2::VPC::Id\n"), (const char *const[]) { "Size=vpc-1", NULL });
  assert_prop (t, "R", "P", "vpc-1");
  stratus_cfn_template_free (t);
  t = load_ok (PARAM_T ("    Type: List<Number>\n    Default: \"1, 2\"\n"), NULL);
  assert_prop (t, "R", "P", "[1, 2]");
  stratus_cfn_template_free (t);
}

static char *
source_path (const char *relative)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", relative, NULL);
}

static char *
render_resources (const StratusCfnTemplate *t)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < t->resources->len; i++)
    {
      const StratusCfnResource *r = g_ptr_array_index (t->resources, i);
      char *props = stratus_cfn_value_render (r->properties);
      g_string_append_printf (out, "%s %s deps=%u %s\n", r->logical_id, r->type,
                              r->depends_on->len, props);
      g_free (props);
    }
  return g_string_free (out, FALSE);
}

/* The JSON form (long functions, tab indentation) evaluates to the YAML form's resources. */
static void
test_json_matches_yaml (void **state)
{
  (void) state;
  char *yaml_path = source_path ("tests/import/cfn/web.yaml");
  char *json_path = source_path ("tests/import/cfn/web.json");
  StratusCfnOptions opts = { .stack_name = "web" };
  GError *error = NULL;
  StratusCfnTemplate *y = stratus_cfn_load (yaml_path, &opts, &error);
  assert_null (error);
  StratusCfnTemplate *j = stratus_cfn_load (json_path, &opts, &error);
  if (j == NULL)
    fail_msg ("%s", error->message);
  char *ry = render_resources (y), *rj = render_resources (j);
  assert_string_equal (ry, rj);
  assert_string_equal (ry,
    "Vpc AWS::EC2::VPC deps=0 {CidrBlock: 10.0.0.0/16, Tags: [{Key: Name, Value: web-vpc}]}\n"
    "SubnetA AWS::EC2::Subnet deps=0 {VpcId: ${Vpc}, AvailabilityZone: us-east-1a, "
    "CidrBlock: 10.0.0.0/24}\n"
    "Web AWS::EC2::Instance deps=1 {InstanceType: t3.micro, SubnetId: ${SubnetA}, "
    "UserData: Y291bnQ9MQ==, Tags: [{Key: Zone, Value: ${SubnetA.AvailabilityZone}}]}\n");
  /* JSON values keep their positions too. */
  const StratusCfnValue *vpc = stratus_cfn_value_get (stratus_cfn_find_resource (j, "SubnetA")->properties, "VpcId");
  assert_int_equal (vpc->line, 23);
  assert_int_equal (vpc->column, 22); /* the Ref's name; a tab is one column */
  assert_int_equal (stratus_cfn_find_resource (j, "Web")->line, 33);
  assert_string_equal (stratus_cfn_find_parameter (j, "Sizes")->type, "CommaDelimitedList");
  g_free (ry);
  g_free (rj);
  stratus_cfn_template_free (y);
  stratus_cfn_template_free (j);
  g_free (yaml_path);
  g_free (json_path);
}

static void
test_not_a_template (void **state)
{
  (void) state;
  char *scenario = source_path ("scenarios/web-two-az.yaml");
  GError *error = NULL;
  assert_null (stratus_cfn_load (scenario, NULL, &error));
  assert_int_equal (error->code, STRATUS_CFN_ERROR_NOT_TEMPLATE);
  char *expected = g_strdup_printf ("%s:3:1: not a CloudFormation template (it looks like a "
                                    "stratus scenario; there is no Resources section)", scenario);
  assert_string_equal (error->message, expected);
  g_clear_error (&error);
  g_free (expected);
  g_free (scenario);
  load_fails ("{\"format_version\": \"1.2\", \"terraform_version\": \"1.7.0\",\n"
              " \"planned_values\": {}}", NULL,
              "t.yaml:1:1: not a CloudFormation template (it looks like a Terraform plan "
              "(terraform_version, planned_values); there is no Resources section)");
  load_fails ("{\"a\": {\"b\": [1, 2]}}", NULL,
              "t.yaml:1:1: not a CloudFormation template (there is no Resources section)");
  load_fails ("just some words", NULL, "t.yaml:1:1: not a CloudFormation template (the top "
              "level is a value, not a mapping with Resources)");
  load_fails ("}{ ]] garbage", NULL, "t.yaml:1:1: not a CloudFormation template (YAML syntax "
              "error: did not find expected node content while parsing a block node)");
  load_fails ("Resources: [a]\n", NULL, "t.yaml:1:12: not a CloudFormation template "
              "(Resources is a list, not a mapping)");
  /* A template with a mistake is not refused as "not a template". */
  load_fails (HEAD "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Propertes: {}\n", NULL,
              "t.yaml:5:5: resource R: unknown key 'Propertes' (did you mean 'Properties'?)");
  load_fails (HEAD "Resource:\n  R: {Type: AWS::S3::Bucket}\nResources: {}\n", NULL,
              "t.yaml:2:1: unknown top-level section 'Resource' (did you mean 'Resources'?)");
}

static void
test_depends_on (void **state)
{
  (void) state;
  StratusCfnTemplate *t = load_ok (HEAD "Resources:\n  A: {Type: AWS::S3::Bucket}\n"
                                   "  B:\n    Type: AWS::S3::Bucket\n    DependsOn: A\n", NULL);
  const StratusCfnResource *b = stratus_cfn_find_resource (t, "B");
  assert_int_equal (b->depends_on->len, 1);
  assert_string_equal (g_ptr_array_index (b->depends_on, 0), "A");
  assert_int_equal (b->line, 4);
  assert_int_equal (b->properties->kind, STRATUS_CFN_MAP);
  stratus_cfn_template_free (t);
  load_fails (HEAD "Resources:\n  A: {Type: AWS::S3::Bucket}\n"
              "  B:\n    Type: AWS::S3::Bucket\n    DependsOn: [Z]\n", NULL,
              "t.yaml:6:17: DependsOn: no resource 'Z' in the template (did you mean 'A'?)");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_ref),
    cmocka_unit_test (test_getatt),
    cmocka_unit_test (test_sub),
    cmocka_unit_test (test_join),
    cmocka_unit_test (test_select),
    cmocka_unit_test (test_split),
    cmocka_unit_test (test_getazs),
    cmocka_unit_test (test_findinmap),
    cmocka_unit_test (test_if_and_conditions),
    cmocka_unit_test (test_condition_excludes_resource),
    cmocka_unit_test (test_novalue),
    cmocka_unit_test (test_base64),
    cmocka_unit_test (test_importvalue),
    cmocka_unit_test (test_cidr),
    cmocka_unit_test (test_unknown_function),
    cmocka_unit_test (test_parameters),
    cmocka_unit_test (test_json_matches_yaml),
    cmocka_unit_test (test_not_a_template),
    cmocka_unit_test (test_depends_on),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
