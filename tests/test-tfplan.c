/* Terraform plans (issue 14): `terraform show -json plan.out` read into the
 * StratusCfnTemplate a CloudFormation template gives (include/stratus/terraform.h).
 *
 * The translation (Terraform -> CloudFormation; references become Ref to logical ids):
 *   aws_vpc                     -> AWS::EC2::VPC (CidrBlock, EnableDns*)
 *   aws_subnet                  -> AWS::EC2::Subnet (VpcId, CidrBlock, AvailabilityZone,
 *                                  MapPublicIpOnLaunch)
 *   aws_route_table             -> AWS::EC2::RouteTable (VpcId); each inline route ->
 *                                  AWS::EC2::Route <Id>Route<n>
 *   aws_route                   -> AWS::EC2::Route (RouteTableId, DestinationCidrBlock,
 *                                  GatewayId, NatGatewayId ...)
 *   aws_route_table_association -> AWS::EC2::SubnetRouteTableAssociation
 *   aws_internet_gateway        -> AWS::EC2::InternetGateway + <Id>Attachment
 *                                  AWS::EC2::VPCGatewayAttachment (its vpc_id)
 *   aws_internet_gateway_attachment -> AWS::EC2::VPCGatewayAttachment
 *   aws_nat_gateway             -> AWS::EC2::NatGateway (SubnetId, AllocationId)
 *   aws_eip                     -> AWS::EC2::EIP (Domain)
 *   aws_security_group          -> AWS::EC2::SecurityGroup (GroupName, GroupDescription,
 *                                  VpcId, SecurityGroupIngress/Egress: IpProtocol, FromPort,
 *                                  ToPort, CidrIp | SourceSecurityGroupId |
 *                                  DestinationSecurityGroupId, one rule per peer)
 *   aws_vpc_security_group_{ingress,egress}_rule, aws_security_group_rule
 *                               -> AWS::EC2::SecurityGroupIngress / SecurityGroupEgress
 *   aws_network_acl             -> AWS::EC2::NetworkAcl + <Id>Ingress<n>/<Id>Egress<n>
 *                                  NetworkAclEntry + <Id>Association<n>
 *                                  SubnetNetworkAclAssociation (subnet_ids)
 *   aws_network_acl_rule        -> AWS::EC2::NetworkAclEntry
 *   aws_network_acl_association -> AWS::EC2::SubnetNetworkAclAssociation
 *   aws_lb / aws_alb            -> AWS::ElasticLoadBalancingV2::LoadBalancer (Type, Scheme,
 *                                  Subnets, SecurityGroups)
 *   aws_lb_target_group         -> ...::TargetGroup (Port, Protocol, VpcId, HealthCheck*)
 *   aws_lb_listener             -> ...::Listener (LoadBalancerArn, Port, Protocol,
 *                                  DefaultActions [{Type, TargetGroupArn}])
 *   aws_launch_template         -> AWS::EC2::LaunchTemplate (LaunchTemplateData: ImageId,
 *                                  InstanceType, SecurityGroupIds, UserData)
 *   aws_autoscaling_group       -> AWS::AutoScaling::AutoScalingGroup (MinSize, MaxSize,
 *                                  DesiredCapacity, VPCZoneIdentifier, TargetGroupARNs,
 *                                  LaunchTemplate {LaunchTemplateId, Version})
 *   aws_autoscaling_policy      -> AWS::AutoScaling::ScalingPolicy (AutoScalingGroupName,
 *                                  PolicyType, TargetTrackingConfiguration, StepAdjustments)
 *   aws_cloudwatch_metric_alarm -> AWS::CloudWatch::Alarm (MetricName, Namespace, Dimensions
 *                                  [{Name, Value}], AlarmActions, Threshold ...)
 *   aws_instance                -> AWS::EC2::Instance
 *   aws_db_instance             -> AWS::RDS::DBInstance (Engine, DBInstanceClass, MultiAZ,
 *                                  AllocatedStorage, DBSubnetGroupName,
 *                                  SourceDBInstanceIdentifier, AvailabilityZone)
 *   aws_rds_cluster             -> AWS::RDS::DBCluster (DBClusterIdentifier, Engine,
 *                                  EngineMode, Port, BackupRetentionPeriod,
 *                                  DBClusterInstanceClass, VpcSecurityGroupIds ...)
 *   aws_rds_cluster_instance    -> AWS::RDS::DBInstance (DBClusterIdentifier as a Ref,
 *                                  PromotionTier)
 *   aws_db_subnet_group         -> AWS::RDS::DBSubnetGroup (SubnetIds)
 *   aws_lb_target_group_attachment -> an item of the target group's Targets
 *   aws_autoscaling_attachment  -> a Ref in the group's TargetGroupARNs
 *   anything else               -> Terraform::<type>, planned values under their own names
 * Logical ids: the module path, name and index, each run of letters and digits
 * capitalised (aws_eip.nat[0] -> Nat0), or the whole address when another type in the
 * module has the same name (aws_subnet.public[0] next to aws_route_table.public ->
 * AwsSubnetPublic0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cli_support.h"
#include "stratus/import.h"
#include "stratus/model.h"
#include "stratus/scenario.h"
#include "stratus/terraform.h"

/* A file of the source tree (STRATUS_SOURCE_ROOT, set by meson). */
static char *
source_path (const char *relative)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", relative, NULL);
}

static void
assert_prop (const StratusCfnTemplate *t, const char *id, const char *key, const char *expected)
{
  const StratusCfnResource *r = stratus_cfn_find_resource (t, id);
  if (r == NULL)
    fail_msg ("no resource %s", id);
  const StratusCfnValue *v = r->properties;
  char **path = g_strsplit (key, ".", -1);
  for (guint i = 0; path[i] && v; i++)
    v = stratus_cfn_value_get (v, path[i]);
  g_strfreev (path);
  if (v == NULL)
    fail_msg ("%s has no property %s", id, key);
  char *text = stratus_cfn_value_render (v);
  if (strcmp (text, expected) != 0)
    fail_msg ("%s.%s: expected %s, got %s", id, key, expected, text);
  g_free (text);
}

static void
assert_type (const StratusCfnTemplate *t, const char *id, const char *type)
{
  const StratusCfnResource *r = stratus_cfn_find_resource (t, id);
  if (r == NULL)
    fail_msg ("no resource %s", id);
  if (strcmp (r->type, type) != 0)
    fail_msg ("%s: expected %s, got %s", id, type, r->type);
}

static StratusCfnTemplate *
load_workshop (void)
{
  GError *error = NULL;
  char *path = source_path ("tests/import/tf/workshop-count.plan.json");
  StratusCfnTemplate *t = stratus_tf_plan_load (path, NULL, &error);
  g_free (path);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  return t;
}

static void
test_workshop_types (void **state)
{
  (void) state;
  StratusCfnTemplate *t = load_workshop ();
  static const char *const expected[][2] = {
    { "AwsVpcMain", "AWS::EC2::VPC" },
    { "AwsSubnetPublic0", "AWS::EC2::Subnet" },
    { "AwsSubnetPublic1", "AWS::EC2::Subnet" },
    { "AwsSubnetPrivate0", "AWS::EC2::Subnet" },
    { "AwsSubnetPrivate1", "AWS::EC2::Subnet" },
    { "AwsInternetGatewayMain", "AWS::EC2::InternetGateway" },
    { "AwsInternetGatewayMainAttachment", "AWS::EC2::VPCGatewayAttachment" },
    { "Nat0", "AWS::EC2::EIP" },
    { "AwsNatGatewayMain1", "AWS::EC2::NatGateway" },
    { "AwsRouteTablePublic", "AWS::EC2::RouteTable" },
    { "AwsRouteTablePublicRoute0", "AWS::EC2::Route" },
    { "AwsRouteTablePrivate1Route0", "AWS::EC2::Route" },
    { "AwsRouteTableAssociationPrivate1", "AWS::EC2::SubnetRouteTableAssociation" },
    { "AwsSecurityGroupWeb", "AWS::EC2::SecurityGroup" },
    { "AwsLbWeb", "AWS::ElasticLoadBalancingV2::LoadBalancer" },
    { "AwsLbTargetGroupWeb", "AWS::ElasticLoadBalancingV2::TargetGroup" },
    { "Http", "AWS::ElasticLoadBalancingV2::Listener" },
    { "AwsLaunchTemplateWeb", "AWS::EC2::LaunchTemplate" },
    { "AwsAutoscalingGroupWeb", "AWS::AutoScaling::AutoScalingGroup" },
    { "Cpu", "AWS::AutoScaling::ScalingPolicy" },
    { "AwsDbSubnetGroupDb", "AWS::RDS::DBSubnetGroup" },
    { "Primary", "AWS::RDS::DBInstance" },
    { "Replica", "AWS::RDS::DBInstance" },
    { "Assets", "Terraform::aws_s3_bucket" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_type (t, expected[i][0], expected[i][1]);
  /* 30 Terraform resources (the deleted instance left out) + 1 attachment + 3 routes. */
  assert_int_equal (t->resources->len, 34);
  assert_null (stratus_cfn_find_resource (t, "Legacy"));
  assert_string_equal (t->region, "us-east-1");
  assert_string_equal (t->stack_name, "workshop-count");
  /* Positions point into the plan. */
  const StratusCfnResource *vpc = stratus_cfn_find_resource (t, "AwsVpcMain");
  assert_true (g_str_has_suffix (vpc->file, "workshop-count.plan.json"));
  assert_true (vpc->line > 1);
  stratus_cfn_template_free (t);
}

static void
test_workshop_network (void **state)
{
  (void) state;
  StratusCfnTemplate *t = load_workshop ();
  assert_prop (t, "AwsVpcMain", "CidrBlock", "10.0.0.0/16");
  assert_prop (t, "AwsSubnetPublic0", "VpcId", "${AwsVpcMain}");
  assert_prop (t, "AwsSubnetPublic0", "AvailabilityZone", "us-east-1a");
  assert_prop (t, "AwsSubnetPublic1", "AvailabilityZone", "us-east-1b");
  assert_prop (t, "AwsSubnetPrivate1", "AvailabilityZone", "us-east-1b");
  assert_prop (t, "AwsSubnetPrivate1", "CidrBlock", "10.0.3.0/24");
  assert_prop (t, "AwsSubnetPublic1", "MapPublicIpOnLaunch", "true");
  assert_prop (t, "AwsSubnetPrivate0", "MapPublicIpOnLaunch", "false");
  assert_prop (t, "AwsInternetGatewayMainAttachment", "VpcId", "${AwsVpcMain}");
  assert_prop (t, "AwsInternetGatewayMainAttachment", "InternetGatewayId",
               "${AwsInternetGatewayMain}");
  /* count.index picks the instance with the same index. */
  assert_prop (t, "AwsNatGatewayMain1", "SubnetId", "${AwsSubnetPublic1}");
  assert_prop (t, "AwsNatGatewayMain1", "AllocationId", "${Nat1}");
  assert_prop (t, "Nat0", "Domain", "vpc");
  assert_prop (t, "AwsRouteTablePublicRoute0", "RouteTableId", "${AwsRouteTablePublic}");
  assert_prop (t, "AwsRouteTablePublicRoute0", "DestinationCidrBlock", "0.0.0.0/0");
  assert_prop (t, "AwsRouteTablePublicRoute0", "GatewayId", "${AwsInternetGatewayMain}");
  assert_prop (t, "AwsRouteTablePrivate1Route0", "NatGatewayId", "${AwsNatGatewayMain1}");
  assert_prop (t, "AwsRouteTableAssociationPrivate1", "SubnetId", "${AwsSubnetPrivate1}");
  assert_prop (t, "AwsRouteTableAssociationPrivate1", "RouteTableId", "${AwsRouteTablePrivate1}");
  assert_prop (t, "AwsRouteTableAssociationPublic1", "RouteTableId", "${AwsRouteTablePublic}");
  /* Security groups chained ALB -> web -> db (the web and db ingress unknown as a whole). */
  assert_prop (t, "Alb", "SecurityGroupIngress",
               "[{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}]");
  assert_prop (t, "Alb", "SecurityGroupEgress",
               "[{IpProtocol: -1, FromPort: 0, ToPort: 0, CidrIp: 0.0.0.0/0}]");
  assert_prop (t, "AwsSecurityGroupWeb", "SecurityGroupIngress",
               "[{IpProtocol: tcp, FromPort: 80, ToPort: 80, "
               "SourceSecurityGroupId: ${Alb}}]");
  assert_prop (t, "AwsSecurityGroupDb", "SecurityGroupIngress",
               "[{IpProtocol: tcp, FromPort: 3306, ToPort: 3306, "
               "SourceSecurityGroupId: ${AwsSecurityGroupWeb}}]");
  assert_prop (t, "AwsSecurityGroupDb", "VpcId", "${AwsVpcMain}");
  stratus_cfn_template_free (t);
}

static void
test_workshop_compute_and_db (void **state)
{
  (void) state;
  StratusCfnTemplate *t = load_workshop ();
  assert_prop (t, "AwsLbWeb", "Scheme", "internet-facing");
  assert_prop (t, "AwsLbWeb", "Type", "application");
  assert_prop (t, "AwsLbWeb", "Subnets", "[${AwsSubnetPublic0}, ${AwsSubnetPublic1}]");
  assert_prop (t, "AwsLbWeb", "SecurityGroups", "[${Alb}]");
  assert_prop (t, "AwsLbTargetGroupWeb", "Port", "80");
  assert_prop (t, "AwsLbTargetGroupWeb", "Protocol", "HTTP");
  assert_prop (t, "AwsLbTargetGroupWeb", "HealthCheckPath", "/health");
  assert_prop (t, "AwsLbTargetGroupWeb", "HealthyThresholdCount", "3");
  assert_prop (t, "AwsLbTargetGroupWeb", "Matcher.HttpCode", "200");
  assert_prop (t, "AwsLbTargetGroupWeb", "Name", "web-target-group");
  assert_prop (t, "AwsLbTargetGroupWeb", "TargetGroupAttributes",
               "[{Key: deregistration_delay.timeout_seconds, Value: 60}]");
  assert_prop (t, "AwsSubnetPublic1", "Tags", "[{Key: Name, Value: public-subnet-b}]");
  assert_prop (t, "Http", "LoadBalancerArn", "${AwsLbWeb}");
  assert_prop (t, "Http", "Port", "80");
  assert_prop (t, "Http", "DefaultActions",
               "[{Type: forward, TargetGroupArn: ${AwsLbTargetGroupWeb}}]");
  assert_prop (t, "AwsLaunchTemplateWeb", "LaunchTemplateData.ImageId", "ami-0abcdef1234567890");
  assert_prop (t, "AwsLaunchTemplateWeb", "LaunchTemplateData.InstanceType", "c5.large");
  assert_prop (t, "AwsLaunchTemplateWeb", "LaunchTemplateData.SecurityGroupIds",
               "[${AwsSecurityGroupWeb}]");
  assert_prop (t, "AwsAutoscalingGroupWeb", "MinSize", "2");
  assert_prop (t, "AwsAutoscalingGroupWeb", "MaxSize", "10");
  assert_prop (t, "AwsAutoscalingGroupWeb", "DesiredCapacity", "4");
  assert_prop (t, "AwsAutoscalingGroupWeb", "VPCZoneIdentifier",
               "[${AwsSubnetPrivate0}, ${AwsSubnetPrivate1}]");
  assert_prop (t, "AwsAutoscalingGroupWeb", "TargetGroupARNs", "[${AwsLbTargetGroupWeb}]");
  assert_prop (t, "AwsAutoscalingGroupWeb", "LaunchTemplate",
               "{LaunchTemplateId: ${AwsLaunchTemplateWeb}, Version: $Latest}");
  assert_prop (t, "Cpu", "AutoScalingGroupName", "${AwsAutoscalingGroupWeb}");
  assert_prop (t, "Cpu", "PolicyType", "TargetTrackingScaling");
  assert_prop (t, "Cpu", "TargetTrackingConfiguration",
               "{PredefinedMetricSpecification: {PredefinedMetricType: "
               "ASGAverageCPUUtilization}, TargetValue: 60, DisableScaleIn: false}");
  assert_prop (t, "AwsDbSubnetGroupDb", "SubnetIds", "[${AwsSubnetPrivate0}, ${AwsSubnetPrivate1}]");
  assert_prop (t, "Primary", "Engine", "mysql");
  assert_prop (t, "Primary", "DBInstanceClass", "db.r5.large");
  assert_prop (t, "Primary", "MultiAZ", "true");
  assert_prop (t, "Primary", "AllocatedStorage", "100");
  assert_prop (t, "Primary", "DBSubnetGroupName", "${AwsDbSubnetGroupDb}");
  assert_prop (t, "Primary", "VPCSecurityGroups", "[${AwsSecurityGroupDb}]");
  assert_prop (t, "Replica", "SourceDBInstanceIdentifier", "${Primary}");
  assert_prop (t, "Replica", "AvailabilityZone", "us-east-1b");
  assert_prop (t, "Replica", "MultiAZ", "false");
  assert_prop (t, "Replica", "DBInstanceClass", "db.r5.large");
  assert_prop (t, "Assets", "bucket", "workshop-assets");
  stratus_cfn_template_free (t);
}

/* tests/import/tf/aurora.plan.json, the Terraform twin of tests/import/cfn/aurora.yaml: an
 * Aurora cluster of three aws_rds_cluster_instance (count), a Multi-AZ DB cluster and a
 * serverless one; translated, then imported to the same databases section. */
static void
test_aurora_clusters (void **state)
{
  (void) state;
  GError *error = NULL;
  char *path = source_path ("tests/import/tf/aurora.plan.json");
  StratusCfnTemplate *t = stratus_tf_plan_load (path, NULL, &error);
  g_free (path);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_type (t, "AuroraCluster", "AWS::RDS::DBCluster");
  assert_type (t, "AuroraMemberB", "AWS::RDS::DBInstance");
  assert_prop (t, "AuroraCluster", "DBClusterIdentifier", "orders-aurora");
  assert_prop (t, "AuroraCluster", "Engine", "aurora-mysql");
  assert_prop (t, "AuroraCluster", "EngineMode", "provisioned");
  assert_prop (t, "AuroraCluster", "Port", "3306");
  assert_prop (t, "AuroraCluster", "BackupRetentionPeriod", "14");
  assert_prop (t, "AuroraCluster", "DBSubnetGroupName", "${DbSubnetGroup}");
  assert_prop (t, "AuroraCluster", "VpcSecurityGroupIds", "[${DbSecurityGroup}]");
  assert_prop (t, "AuroraMemberB", "DBClusterIdentifier", "${AuroraCluster}");
  assert_prop (t, "AuroraMemberB", "PromotionTier", "0");
  assert_prop (t, "AuroraMemberC", "PromotionTier", "2");
  assert_prop (t, "AuroraMemberC", "DBInstanceClass", "db.r6g.xlarge");
  assert_prop (t, "ReportsCluster", "DBClusterInstanceClass", "db.m6g.large");
  assert_prop (t, "ReportsCluster", "AllocatedStorage", "100");
  assert_prop (t, "ArchiveCluster", "EngineMode", "serverless");

  StratusImport *imp = stratus_import_template (t, NULL, &error);
  if (imp == NULL)
    fail_msg ("unexpected error: %s", error->message);
  const char *b = strstr (imp->scenario, "\ndatabases:\n");
  assert_non_null (b);
  const char *e = strstr (b + 1, "\n\n");
  assert_non_null (e);
  char *got = g_strndup (b + 1, (gsize) (e - b));
  char *expected_path = source_path ("tests/import/aurora.databases.yaml");
  char *expected = read_file (expected_path);
  assert_string_equal (got, expected);
  assert_non_null (strstr (imp->scenario,
    "    database: {name: aurora-cluster, queries: 2, write_fraction: 0.2, reads_from: reader}"));
  assert_int_equal (imp->unmodelled, 1);
  assert_non_null (strstr (imp->report, "ArchiveCluster (AWS::RDS::DBCluster, "));
  assert_non_null (strstr (imp->report, "not modelled: EngineMode serverless"));
  g_free (expected);
  g_free (expected_path);
  g_free (got);
  stratus_import_free (imp);
  stratus_cfn_template_free (t);
}

/* planned_values only, a child module, the region argument, for_each keys. */
static void
test_planned_values_modules (void **state)
{
  (void) state;
  const char *plan =
    "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\n"
    " \"resources\": [{\"address\": \"aws_vpc.main\", \"mode\": \"managed\", \"type\": \"aws_vpc\",\n"
    "   \"name\": \"main\", \"values\": {\"cidr_block\": \"10.1.0.0/16\"}}],\n"
    " \"child_modules\": [{\"address\": \"module.net\", \"resources\": [\n"
    "  {\"address\": \"module.net.aws_subnet.az[\\\"a\\\"]\", \"mode\": \"managed\",\n"
    "   \"type\": \"aws_subnet\", \"name\": \"az\", \"index\": \"a\",\n"
    "   \"values\": {\"cidr_block\": \"10.1.1.0/24\", \"availability_zone\": \"eu-west-1a\"}},\n"
    "  {\"address\": \"module.net.aws_vpc.inner\", \"mode\": \"managed\", \"type\": \"aws_vpc\",\n"
    "   \"name\": \"inner\", \"values\": {\"cidr_block\": \"10.2.0.0/16\"}}]}]}},\n"
    " \"configuration\": {\"root_module\": {\"module_calls\": {\"net\": {\"module\": {\n"
    "  \"resources\": [{\"address\": \"aws_subnet.az\", \"expressions\": {\"vpc_id\":\n"
    "   {\"references\": [\"aws_vpc.inner.id\", \"aws_vpc.inner\"]}}}]}}}}}}\n";
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_tf_plan_load_string (plan, "p.json", "eu-west-1", &error);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_string_equal (t->region, "eu-west-1");
  assert_int_equal (t->resources->len, 3);
  assert_type (t, "ModuleNetAzA", "AWS::EC2::Subnet");
  assert_prop (t, "ModuleNetAzA", "VpcId", "${ModuleNetInner}");
  assert_prop (t, "ModuleNetAzA", "AvailabilityZone", "eu-west-1a");
  assert_prop (t, "Main", "CidrBlock", "10.1.0.0/16");
  stratus_cfn_template_free (t);
  char *id = stratus_tf_logical_id ("module.net.aws_subnet.public[0]");
  assert_string_equal (id, "ModuleNetAwsSubnetPublic0");
  g_free (id);
}

/* tests/import/tf/network.plan.json: standalone rules and routes, a network ACL with inline
 * and standalone rules, an internet gateway attachment, for_each instances attached to a
 * target group; translated, then imported to a scenario that loads and passes the check. */
static void
test_network_plan (void **state)
{
  (void) state;
  char *path = source_path ("tests/import/tf/network.plan.json");
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_tf_plan_load (path, NULL, &error);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_string_equal (t->region, "us-west-2");
  assert_type (t, "IgwAttachment", "AWS::EC2::VPCGatewayAttachment");
  assert_prop (t, "IgwAttachment", "InternetGatewayId",
               "${Igw}");
  assert_null (stratus_cfn_find_resource (t, "IgwAttachment2"));
  assert_type (t, "Internet", "AWS::EC2::Route");
  assert_prop (t, "Internet", "RouteTableId", "${PublicRoutes}");
  assert_prop (t, "Internet", "GatewayId", "${Igw}");
  assert_prop (t, "PublicAssocB", "SubnetId", "${PublicB}");
  assert_prop (t, "PublicAclIngress1", "PortRange", "{From: 1024, To: 65535}");
  assert_prop (t, "PublicAclIngress1", "Protocol", "6");
  assert_prop (t, "PublicAclEgress0", "Egress", "true");
  assert_prop (t, "PublicAclAssociation1", "SubnetId", "${PublicB}");
  assert_type (t, "DenySsh", "AWS::EC2::NetworkAclEntry");
  assert_prop (t, "DenySsh", "RuleAction", "deny");
  assert_prop (t, "DenySsh", "RuleNumber", "90");
  assert_prop (t, "DenySsh", "NetworkAclId", "${PublicAcl}");
  assert_type (t, "AlbHttp", "AWS::EC2::SecurityGroupIngress");
  assert_prop (t, "AlbHttp", "GroupId", "${AlbSg}");
  assert_prop (t, "AlbHttp", "CidrIp", "0.0.0.0/0");
  assert_type (t, "AlbOut", "AWS::EC2::SecurityGroupEgress");
  assert_type (t, "WebFromAlb", "AWS::EC2::SecurityGroupIngress");
  assert_prop (t, "WebFromAlb", "SourceSecurityGroupId",
               "${AlbSg}");
  assert_type (t, "WebOut", "AWS::EC2::SecurityGroupEgress");
  assert_prop (t, "WebServerA", "SubnetId", "${PublicA}");
  assert_prop (t, "WebServerB", "InstanceType", "t3.small");
  /* The attachments became the target group's Targets (not resources of their own). */
  assert_prop (t, "Web", "Targets",
               "[{Id: ${WebServerA}, Port: 80}, {Id: ${WebServerB}, Port: 80}]");
  assert_null (stratus_cfn_find_resource (t, "WebTargetsA"));

  StratusImport *imp = stratus_import_template (t, NULL, &error);
  if (imp == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_int_equal (imp->unmodelled, 0);
  static const char *const lines[] = {
    "\n  web-server-b:\n    count: 1\n    type: t3.small\n",
    "    target_group: web\n    subnets: [public-b]\n    security_groups: [web-sg]\n",
    "public-a: {cidr: 10.20.1.0/24, az: us-west-2a, route_table: public-routes, network_acl: "
    "public-acl, map_public_ip_on_launch: true}",
    "- {destination: 0.0.0.0/0, target: igw}",
    "    alb-sg:\n      inbound:\n        - {protocol: tcp, ports: 80, source: 0.0.0.0/0}\n"
    "      outbound:\n        - {protocol: all, destination: 0.0.0.0/0}\n",
    "        - {protocol: tcp, ports: 80, source: alb-sg}\n",
    "- {rule: 110, action: allow, protocol: tcp, ports: 1024-65535, source: 0.0.0.0/0}",
    "- {rule: 90, action: deny, protocol: tcp, ports: 22, source: 0.0.0.0/0}",
    "      outbound:\n        - {rule: 100, action: allow, protocol: all, destination: "
    "0.0.0.0/0}",
  };
  for (size_t i = 0; i < G_N_ELEMENTS (lines); i++)
    if (strstr (imp->scenario, lines[i]) == NULL)
      fail_msg ("missing\n%s\nin\n%s", lines[i], imp->scenario);
  StratusScenario *s = stratus_scenario_load_string (imp->scenario, "network.yaml", NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  if (!stratus_model_check (s, NULL, &error))
    fail_msg ("%s", error->message);
  stratus_scenario_free (s);
  stratus_import_free (imp);
  stratus_cfn_template_free (t);
  g_free (path);
}

/* References through modules: a module's output (module.net.public_subnets, itself a
 * splat inside the module) and a module's variable (var.subnet_ids, given by the caller
 * from another module's output), resolved to the resources they name. */
static void
test_module_outputs_and_variables (void **state)
{
  (void) state;
  const char *plan =
    "{\"format_version\": \"1.2\", \"resource_changes\": [\n"
    " {\"address\": \"module.net.aws_vpc.this\", \"module_address\": \"module.net\",\n"
    "  \"mode\": \"managed\", \"type\": \"aws_vpc\", \"name\": \"this\",\n"
    "  \"change\": {\"actions\": [\"create\"], \"after\": {\"cidr_block\": \"10.0.0.0/16\"},\n"
    "   \"after_unknown\": {\"id\": true}}},\n"
    " {\"address\": \"module.net.aws_subnet.public[0]\", \"module_address\": \"module.net\",\n"
    "  \"mode\": \"managed\", \"type\": \"aws_subnet\", \"name\": \"public\", \"index\": 0,\n"
    "  \"change\": {\"actions\": [\"create\"], \"after\": {\"availability_zone\": \"us-east-1a\"},\n"
    "   \"after_unknown\": {\"id\": true, \"vpc_id\": true}}},\n"
    " {\"address\": \"module.net.aws_subnet.public[1]\", \"module_address\": \"module.net\",\n"
    "  \"mode\": \"managed\", \"type\": \"aws_subnet\", \"name\": \"public\", \"index\": 1,\n"
    "  \"change\": {\"actions\": [\"create\"], \"after\": {\"availability_zone\": \"us-east-1b\"},\n"
    "   \"after_unknown\": {\"id\": true, \"vpc_id\": true}}},\n"
    " {\"address\": \"aws_lb.web\", \"mode\": \"managed\", \"type\": \"aws_lb\", \"name\": \"web\",\n"
    "  \"change\": {\"actions\": [\"create\"], \"after\": {\"internal\": false},\n"
    "   \"after_unknown\": {\"subnets\": true}}},\n"
    " {\"address\": \"module.app.aws_autoscaling_group.this\", \"module_address\": \"module.app\",\n"
    "  \"mode\": \"managed\", \"type\": \"aws_autoscaling_group\", \"name\": \"this\",\n"
    "  \"change\": {\"actions\": [\"create\"], \"after\": {\"min_size\": 1, \"max_size\": 2},\n"
    "   \"after_unknown\": {\"vpc_zone_identifier\": true}}}],\n"
    " \"configuration\": {\"root_module\": {\n"
    "  \"resources\": [{\"address\": \"aws_lb.web\", \"expressions\": {\"subnets\":\n"
    "   {\"references\": [\"module.net.public_subnets\", \"module.net\"]}}}],\n"
    "  \"module_calls\": {\n"
    "   \"net\": {\"module\": {\n"
    "    \"outputs\": {\"public_subnets\": {\"expression\": {\"references\": [\"aws_subnet.public\"]}}},\n"
    "    \"resources\": [{\"address\": \"aws_subnet.public\", \"expressions\": {\"vpc_id\":\n"
    "     {\"references\": [\"aws_vpc.this.id\", \"aws_vpc.this\"]}}}]}},\n"
    "   \"app\": {\"expressions\": {\"subnet_ids\": {\"references\":\n"
    "     [\"module.net.public_subnets\", \"module.net\"]}},\n"
    "    \"module\": {\"resources\": [{\"address\": \"aws_autoscaling_group.this\",\n"
    "     \"expressions\": {\"vpc_zone_identifier\": {\"references\": [\"var.subnet_ids\"]}}}]}}}}}}\n";
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_tf_plan_load_string (plan, "m.json", NULL, &error);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_prop (t, "ModuleNetPublic1", "VpcId", "${ModuleNetThis}");
  assert_prop (t, "Web", "Subnets",
               "[${ModuleNetPublic0}, ${ModuleNetPublic1}]");
  assert_prop (t, "ModuleAppThis", "VPCZoneIdentifier",
               "[${ModuleNetPublic0}, ${ModuleNetPublic1}]");
  stratus_cfn_template_free (t);
}

/* tests/import/tf/policies.plan.json: a step and a simple aws_autoscaling_policy, each
 * triggered by an aws_cloudwatch_metric_alarm whose alarm_actions and dimensions are
 * references (unknown ARNs, a group name known at plan time). */
static void
test_alarms_and_step_policies (void **state)
{
  (void) state;
  GError *error = NULL;
  char *path = source_path ("tests/import/tf/policies.plan.json");
  StratusCfnTemplate *t = stratus_tf_plan_load (path, NULL, &error);
  g_free (path);
  if (t == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_type (t, "CpuHigh", "AWS::CloudWatch::Alarm");
  assert_prop (t, "CpuHigh", "AlarmActions", "[${Up}]");
  assert_prop (t, "CpuHigh", "Dimensions",
               "[{Name: AutoScalingGroupName, Value: ${AwsAutoscalingGroupWeb}}]");
  assert_prop (t, "CpuHigh", "AlarmName", "web-cpu-high");
  assert_prop (t, "CpuHigh", "MetricName", "CPUUtilization");
  assert_prop (t, "CpuHigh", "Namespace", "AWS/EC2");
  assert_prop (t, "CpuHigh", "Threshold", "70");
  assert_prop (t, "CpuHigh", "DatapointsToAlarm", "2");
  assert_prop (t, "CpuHigh", "ComparisonOperator",
               "GreaterThanOrEqualToThreshold");
  assert_prop (t, "CpuLow", "AlarmActions", "[${Down}]");
  assert_prop (t, "Up", "StepAdjustments",
               "[{MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1}, "
               "{MetricIntervalLowerBound: 20, ScalingAdjustment: 3}]");
  assert_prop (t, "Up", "MetricAggregationType", "Average");
  assert_prop (t, "Down", "ScalingAdjustment", "-1");

  StratusImport *imp = stratus_import_template (t, NULL, &error);
  if (imp == NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_non_null (strstr (imp->scenario,
                           "      up:\n"
                           "        type: step\n"
                           "        metric: cpu\n"
                           "        alarm: {above: 70, period: 60s, datapoints: 2, evaluation_periods: 3}\n"
                           "        steps:\n"
                           "          - {lower: 0, upper: 20, adjustment: 1}\n"
                           "          - {lower: 20, adjustment: 3}\n"
                           "      down:\n"
                           "        type: simple\n"
                           "        metric: cpu\n"
                           "        alarm: {below: 20, period: 300s, datapoints: 2, evaluation_periods: 2}\n"
                           "        adjustment: -1\n"
                           "        cooldown: 300s\n"));
  assert_int_equal (imp->unmodelled, 0);
  assert_non_null (strstr (imp->report, "LessThanThreshold is imported as <="));
  stratus_import_free (imp);
  stratus_cfn_template_free (t);
}

static void
refused (const char *text, const char *expected)
{
  GError *error = NULL;
  StratusCfnTemplate *t = stratus_tf_plan_load_string (text, "x.json", NULL, &error);
  assert_null (t);
  assert_non_null (error);
  assert_null (strchr (error->message, '\n'));
  if (strcmp (error->message, expected) != 0)
    fail_msg ("expected\n  %s\ngot\n  %s", expected, error->message);
  g_error_free (error);
}

static void
test_refusals (void **state)
{
  (void) state;
  refused ("{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}",
           "x.json:1:1: not a Terraform plan (it looks like a CloudFormation template: it has "
           "Resources; import it as a template)");
  refused ("name: web\nduration: 1h\nregion: us-east-1\n",
           "x.json:1:1: not a Terraform plan (it looks like a stratus scenario: run it with "
           "stratus run)");
  refused ("{}", "x.json:1:1: not a Terraform plan (no format_version, planned_values or "
                 "resource_changes; make it with terraform show -json plan.out)");
  refused ("{\"format_version\": \"1.0\", \"values\": {}}",
           "x.json:1:1: not a Terraform plan (it looks like Terraform state (terraform show "
           "-json without a plan file); give the plan: terraform show -json plan.out)");
  GError *error = NULL;
  assert_null (stratus_tf_plan_load_string ("{\"a\": [1, 2", "x.json", NULL, &error));
  assert_non_null (error);
  assert_null (strchr (error->message, '\n'));
  assert_true (g_str_has_prefix (error->message, "x.json:"));
  assert_non_null (strstr (error->message, ": not a Terraform plan ("));
  g_clear_error (&error);
  refused ("just some words", "x.json:1:1: not a Terraform plan (the top level is a value, "
                              "not a JSON object with format_version and planned_values)");
  assert_null (stratus_tf_plan_load ("/nonexistent/plan.json", NULL, &error));
  assert_string_equal (error->message, "/nonexistent/plan.json:1:1: cannot read the file: "
                                       "no such file");
  g_clear_error (&error);
  /* The CloudFormation test template, through the real file. */
  char *web = source_path ("tests/import/cfn/web.json");
  assert_null (stratus_tf_plan_load (web, NULL, &error));
  g_free (web);
  assert_non_null (strstr (error->message, "not a Terraform plan (it looks like a "
                                           "CloudFormation template"));
  assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_workshop_types),
    cmocka_unit_test (test_workshop_network),
    cmocka_unit_test (test_workshop_compute_and_db),
    cmocka_unit_test (test_aurora_clusters),
    cmocka_unit_test (test_planned_values_modules),
    cmocka_unit_test (test_network_plan),
    cmocka_unit_test (test_module_outputs_and_variables),
    cmocka_unit_test (test_alarms_and_step_policies),
    cmocka_unit_test (test_refusals),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
