/* Terraform resource types translated to CloudFormation (docs/import.md has the table).
 * Each function adds the resource (and those a Terraform block stands for: inline routes,
 * network ACL rules and associations, an internet gateway's attachment) with
 * CloudFormation's property names. */
#include <string.h>

#include "tf_internal.h"

#define REF true
#define VAL false

typedef void (*TfFn) (TfCtx *ctx, const TfRes *r, StratusCfnValue *p);

static void
vpc (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "CidrBlock", "cidr_block", VAL);
  tf_copy (c, r, r->view, p, "EnableDnsHostnames", "enable_dns_hostnames", VAL);
  tf_copy (c, r, r->view, p, "EnableDnsSupport", "enable_dns_support", VAL);
}

static void
subnet (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "VpcId", "vpc_id", REF);
  tf_copy (c, r, r->view, p, "CidrBlock", "cidr_block", VAL);
  tf_copy (c, r, r->view, p, "AvailabilityZone", "availability_zone", VAL);
  tf_copy (c, r, r->view, p, "MapPublicIpOnLaunch", "map_public_ip_on_launch", VAL);
}

/* The target of a route (one of the gateway kinds) into `p`. */
static void
route_target (TfCtx *c, const TfRes *r, TfView v, StratusCfnValue *p)
{
  tf_copy (c, r, v, p, "DestinationCidrBlock", "cidr_block", VAL);
  tf_copy (c, r, v, p, "DestinationCidrBlock", "destination_cidr_block", VAL);
  tf_copy (c, r, v, p, "GatewayId", "gateway_id", REF);
  tf_copy (c, r, v, p, "NatGatewayId", "nat_gateway_id", REF);
  tf_copy (c, r, v, p, "InstanceId", "instance_id", REF);
  tf_copy (c, r, v, p, "TransitGatewayId", "transit_gateway_id", REF);
  tf_copy (c, r, v, p, "VpcPeeringConnectionId", "vpc_peering_connection_id", REF);
  tf_copy (c, r, v, p, "VpcEndpointId", "vpc_endpoint_id", REF);
}

static void
route_table (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "VpcId", "vpc_id", REF);
  for (guint i = 0; i < tf_block_count (r->view, "route"); i++)
    {
      char suffix[32];
      g_snprintf (suffix, sizeof suffix, "Route%u", i);
      StratusCfnValue *rp = tf_emit (c, r, suffix, "AWS::EC2::Route");
      tf_put (rp, "RouteTableId", tf_ref (r->logical_id, r->at));
      route_target (c, r, tf_block (r->view, "route", i), rp);
    }
}

static void
route (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "RouteTableId", "route_table_id", REF);
  route_target (c, r, r->view, p);
}

static void
rt_assoc (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "SubnetId", "subnet_id", REF);
  tf_copy (c, r, r->view, p, "RouteTableId", "route_table_id", REF);
}

static void
igw (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  (void) p;
  StratusCfnValue *vpc_id = tf_get (c, r, r->view, "vpc_id", REF);
  if (vpc_id == NULL)
    return;
  StratusCfnValue *a = tf_emit (c, r, "Attachment", "AWS::EC2::VPCGatewayAttachment");
  tf_put (a, "VpcId", vpc_id);
  tf_put (a, "InternetGatewayId", tf_ref (r->logical_id, r->at));
}

static void
igw_attachment (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "VpcId", "vpc_id", REF);
  tf_copy (c, r, r->view, p, "InternetGatewayId", "internet_gateway_id", REF);
}

static void
nat (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "SubnetId", "subnet_id", REF);
  tf_copy (c, r, r->view, p, "AllocationId", "allocation_id", REF);
  tf_copy (c, r, r->view, p, "ConnectivityType", "connectivity_type", VAL);
}

static void
eip (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "Domain", "domain", VAL);
  tf_copy (c, r, r->view, p, "InstanceId", "instance", REF);
}

/* IpProtocol from Terraform's protocol ("all" and "-1" are -1). */
static StratusCfnValue *
protocol (TfCtx *c, const TfRes *r, TfView v, const char *key)
{
  StratusCfnValue *value = tf_get (c, r, v, key, VAL);
  if (value != NULL && value->kind == STRATUS_CFN_STRING && strcmp (value->text, "all") == 0)
    {
      g_free (value->text);
      value->text = g_strdup ("-1");
    }
  return value;
}

/* The ports and protocol of a rule in `v` (Terraform names) into `rule`. */
static void
rule_ports (TfCtx *c, const TfRes *r, TfView v, StratusCfnValue *rule, const char *proto_key)
{
  tf_put (rule, "IpProtocol", protocol (c, r, v, proto_key));
  tf_copy (c, r, v, rule, "FromPort", "from_port", VAL);
  tf_copy (c, r, v, rule, "ToPort", "to_port", VAL);
}

/* Inline ingress / egress blocks: one CloudFormation rule per CIDR and per source group. */
static void
sg_rules (TfCtx *c, const TfRes *r, StratusCfnValue *p, const char *block, const char *cfn_key,
          const char *peer_key)
{
  guint n = tf_block_count (r->view, block);
  if (n == 0)
    return;
  StratusCfnValue *rules = tf_list (r->at);
  for (guint i = 0; i < n; i++)
    {
      TfView v = tf_block (r->view, block, i);
      StratusCfnValue *cidrs = tf_get_list (c, r, v, "cidr_blocks", VAL);
      StratusCfnValue *groups = tf_get_list (c, r, v, "security_groups", REF);
      StratusCfnValue *self = tf_get (c, r, v, "self", VAL);
      if (self != NULL && self->kind == STRATUS_CFN_BOOL && self->boolean)
        {
          if (groups == NULL)
            groups = tf_list (r->at);
          g_ptr_array_add (groups->items, tf_ref (r->logical_id, r->at));
        }
      stratus_cfn_value_free (self);
      for (int kind = 0; kind < 2; kind++)
        {
          StratusCfnValue *peers = kind == 0 ? cidrs : groups;
          for (guint j = 0; peers != NULL && j < peers->items->len; j++)
            {
              StratusCfnValue *rule = tf_map (v.after ? v.after : r->at);
              rule_ports (c, r, v, rule, "protocol");
              tf_put (rule, kind == 0 ? "CidrIp" : peer_key,
                      stratus_cfn_value_copy (g_ptr_array_index (peers->items, j)));
              const char *desc = tf_text (v, "description");
              if (desc != NULL && desc[0] != '\0')
                tf_copy (c, r, v, rule, "Description", "description", VAL);
              g_ptr_array_add (rules->items, rule);
            }
        }
      stratus_cfn_value_free (cidrs);
      stratus_cfn_value_free (groups);
    }
  tf_put (p, cfn_key, rules);
}

static void
security_group (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "GroupName", "name", VAL);
  tf_copy (c, r, r->view, p, "GroupDescription", "description", VAL);
  tf_copy (c, r, r->view, p, "VpcId", "vpc_id", REF);
  sg_rules (c, r, p, "ingress", "SecurityGroupIngress", "SourceSecurityGroupId");
  sg_rules (c, r, p, "egress", "SecurityGroupEgress", "DestinationSecurityGroupId");
}

/* aws_vpc_security_group_ingress_rule / _egress_rule. */
static void
vpc_sg_rule (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  bool egress = g_str_has_suffix (r->type, "egress_rule");
  tf_copy (c, r, r->view, p, "GroupId", "security_group_id", REF);
  rule_ports (c, r, r->view, p, "ip_protocol");
  tf_copy (c, r, r->view, p, egress ? "CidrIp" : "CidrIp", "cidr_ipv4", VAL);
  tf_copy (c, r, r->view, p, "CidrIpv6", "cidr_ipv6", VAL);
  tf_copy (c, r, r->view, p, egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId",
           "referenced_security_group_id", REF);
  tf_copy (c, r, r->view, p, "Description", "description", VAL);
}

/* aws_security_group_rule: its `type` says ingress or egress (set by the dispatcher). */
static void
sg_rule (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  const char *type = tf_text (r->view, "type");
  bool egress = type != NULL && strcmp (type, "egress") == 0;
  tf_copy (c, r, r->view, p, "GroupId", "security_group_id", REF);
  rule_ports (c, r, r->view, p, "protocol");
  StratusCfnValue *cidrs = tf_get_list (c, r, r->view, "cidr_blocks", VAL);
  if (cidrs != NULL && cidrs->items->len > 0)
    tf_put (p, "CidrIp", stratus_cfn_value_copy (g_ptr_array_index (cidrs->items, 0)));
  stratus_cfn_value_free (cidrs);
  tf_copy (c, r, r->view, p, egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId",
           "source_security_group_id", REF);
  tf_copy (c, r, r->view, p, "Description", "description", VAL);
}

/* A network ACL rule's fields (Terraform names `rule_key`, `action_key`) into `p`. */
static void
nacl_entry (TfCtx *c, const TfRes *r, TfView v, StratusCfnValue *p, const char *rule_key,
            const char *action_key, bool egress)
{
  tf_copy (c, r, v, p, "RuleNumber", rule_key, VAL);
  StratusCfnValue *proto = protocol (c, r, v, "protocol");
  if (proto != NULL && proto->kind == STRATUS_CFN_STRING)
    {
      static const char *const names[][2] = { { "tcp", "6" }, { "udp", "17" }, { "icmp", "1" } };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (strcmp (proto->text, names[i][0]) == 0)
          {
            StratusCfnValue *n = tf_num (g_ascii_strtod (names[i][1], NULL), NULL);
            n->file = proto->file, n->line = proto->line, n->column = proto->column;
            stratus_cfn_value_free (proto);
            proto = n;
            break;
          }
    }
  tf_put (p, "Protocol", proto);
  tf_copy (c, r, v, p, "RuleAction", action_key, VAL);
  StratusCfnValue *e = cfn_value_new (STRATUS_CFN_BOOL, v.after ? v.after : r->at);
  e->boolean = egress;
  e->text = g_strdup (egress ? "true" : "false");
  tf_put (p, "Egress", e);
  tf_copy (c, r, v, p, "CidrBlock", "cidr_block", VAL);
  StratusCfnValue *from = tf_get (c, r, v, "from_port", VAL), *to = tf_get (c, r, v, "to_port", VAL);
  if (from != NULL || to != NULL)
    {
      StratusCfnValue *range = tf_map (v.after ? v.after : r->at);
      tf_put (range, "From", from);
      tf_put (range, "To", to);
      tf_put (p, "PortRange", range);
    }
}

static void
nacl (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "VpcId", "vpc_id", REF);
  for (int egress = 0; egress < 2; egress++)
    {
      const char *block = egress ? "egress" : "ingress";
      for (guint i = 0; i < tf_block_count (r->view, block); i++)
        {
          char suffix[32];
          g_snprintf (suffix, sizeof suffix, "%s%u", egress ? "Egress" : "Ingress", i);
          StratusCfnValue *e = tf_emit (c, r, suffix, "AWS::EC2::NetworkAclEntry");
          tf_put (e, "NetworkAclId", tf_ref (r->logical_id, r->at));
          nacl_entry (c, r, tf_block (r->view, block, i), e, "rule_no", "action", egress);
        }
    }
  StratusCfnValue *subnets = tf_get_list (c, r, r->view, "subnet_ids", REF);
  for (guint i = 0; subnets != NULL && i < subnets->items->len; i++)
    {
      char suffix[32];
      g_snprintf (suffix, sizeof suffix, "Association%u", i);
      StratusCfnValue *a = tf_emit (c, r, suffix, "AWS::EC2::SubnetNetworkAclAssociation");
      tf_put (a, "SubnetId", stratus_cfn_value_copy (g_ptr_array_index (subnets->items, i)));
      tf_put (a, "NetworkAclId", tf_ref (r->logical_id, r->at));
    }
  stratus_cfn_value_free (subnets);
}

static void
nacl_rule (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "NetworkAclId", "network_acl_id", REF);
  StratusCfnValue *egress = tf_get (c, r, r->view, "egress", VAL);
  bool e = egress != NULL && egress->kind == STRATUS_CFN_BOOL && egress->boolean;
  stratus_cfn_value_free (egress);
  nacl_entry (c, r, r->view, p, "rule_number", "rule_action", e);
}

static void
nacl_assoc (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "SubnetId", "subnet_id", REF);
  tf_copy (c, r, r->view, p, "NetworkAclId", "network_acl_id", REF);
}

static void
lb (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "Name", "name", VAL);
  tf_copy (c, r, r->view, p, "Type", "load_balancer_type", VAL);
  StratusCfnValue *internal = tf_get (c, r, r->view, "internal", VAL);
  bool in = internal != NULL && internal->kind == STRATUS_CFN_BOOL && internal->boolean;
  tf_put (p, "Scheme", tf_str (in ? "internal" : "internet-facing",
                               r->view.after ? ynode_map_get (r->view.after, "internal") : NULL));
  stratus_cfn_value_free (internal);
  tf_put (p, "Subnets", tf_get_list (c, r, r->view, "subnets", REF));
  tf_put (p, "SecurityGroups", tf_get_list (c, r, r->view, "security_groups", REF));
}

/* The target group's arguments that CloudFormation keeps in TargetGroupAttributes
 * (deregistration_delay, slow_start, load_balancing_algorithm_type), as {Key, Value}
 * items with the value as text. */
static void
target_group_attributes (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  static const char *const keys[][2] = {
    { "deregistration_delay", "deregistration_delay.timeout_seconds" },
    { "slow_start", "slow_start.duration_seconds" },
    { "load_balancing_algorithm_type", "load_balancing.algorithm.type" },
  };
  StratusCfnValue *attrs = tf_list (r->at);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      StratusCfnValue *v = tf_get (c, r, r->view, keys[i][0], VAL);
      if (v == NULL)
        continue;
      if (v->kind == STRATUS_CFN_STRING || v->kind == STRATUS_CFN_NUMBER)
        {
          StratusCfnValue *kv = tf_map (r->at);
          tf_put (kv, "Key", tf_str (keys[i][1], r->at));
          tf_put (kv, "Value", tf_str (v->text, r->at));
          g_ptr_array_add (attrs->items, kv);
        }
      stratus_cfn_value_free (v);
    }
  if (attrs->items->len > 0)
    tf_put (p, "TargetGroupAttributes", attrs);
  else
    stratus_cfn_value_free (attrs);
}

static void
target_group (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "Name", "name", VAL);
  tf_copy (c, r, r->view, p, "Port", "port", VAL);
  tf_copy (c, r, r->view, p, "Protocol", "protocol", VAL);
  tf_copy (c, r, r->view, p, "VpcId", "vpc_id", REF);
  tf_copy (c, r, r->view, p, "TargetType", "target_type", VAL);
  if (tf_block_count (r->view, "health_check") > 0)
    {
      TfView h = tf_sub (r->view, "health_check");
      tf_copy (c, r, h, p, "HealthCheckEnabled", "enabled", VAL);
      tf_copy (c, r, h, p, "HealthCheckPath", "path", VAL);
      tf_copy (c, r, h, p, "HealthCheckPort", "port", VAL);
      tf_copy (c, r, h, p, "HealthCheckProtocol", "protocol", VAL);
      tf_copy (c, r, h, p, "HealthCheckIntervalSeconds", "interval", VAL);
      tf_copy (c, r, h, p, "HealthCheckTimeoutSeconds", "timeout", VAL);
      tf_copy (c, r, h, p, "HealthyThresholdCount", "healthy_threshold", VAL);
      tf_copy (c, r, h, p, "UnhealthyThresholdCount", "unhealthy_threshold", VAL);
      StratusCfnValue *matcher = tf_get (c, r, h, "matcher", VAL);
      if (matcher != NULL)
        {
          StratusCfnValue *m = tf_map (r->at);
          tf_put (m, "HttpCode", matcher);
          tf_put (p, "Matcher", m);
        }
    }
  target_group_attributes (c, r, p);
}

static void
listener (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "LoadBalancerArn", "load_balancer_arn", REF);
  tf_copy (c, r, r->view, p, "Port", "port", VAL);
  tf_copy (c, r, r->view, p, "Protocol", "protocol", VAL);
  tf_copy (c, r, r->view, p, "CertificateArn", "certificate_arn", VAL);
  guint n = tf_block_count (r->view, "default_action");
  StratusCfnValue *actions = tf_list (r->at);
  for (guint i = 0; i < n; i++)
    {
      TfView a = tf_block (r->view, "default_action", i);
      StratusCfnValue *action = tf_map (a.after ? a.after : r->at);
      tf_copy (c, r, a, action, "Type", "type", VAL);
      tf_copy (c, r, a, action, "TargetGroupArn", "target_group_arn", REF);
      g_ptr_array_add (actions->items, action);
    }
  tf_put (p, "DefaultActions", actions);
}

static void
launch_template (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "LaunchTemplateName", "name", VAL);
  StratusCfnValue *d = tf_map (r->at);
  tf_copy (c, r, r->view, d, "ImageId", "image_id", VAL);
  tf_copy (c, r, r->view, d, "InstanceType", "instance_type", VAL);
  tf_copy (c, r, r->view, d, "KeyName", "key_name", VAL);
  tf_put (d, "SecurityGroupIds", tf_get_list (c, r, r->view, "vpc_security_group_ids", REF));
  tf_copy (c, r, r->view, d, "UserData", "user_data", VAL);
  tf_put (p, "LaunchTemplateData", d);
}

static void
asg (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "AutoScalingGroupName", "name", VAL);
  tf_copy (c, r, r->view, p, "MinSize", "min_size", VAL);
  tf_copy (c, r, r->view, p, "MaxSize", "max_size", VAL);
  tf_copy (c, r, r->view, p, "DesiredCapacity", "desired_capacity", VAL);
  tf_put (p, "VPCZoneIdentifier", tf_get_list (c, r, r->view, "vpc_zone_identifier", REF));
  tf_put (p, "TargetGroupARNs", tf_get_list (c, r, r->view, "target_group_arns", REF));
  tf_copy (c, r, r->view, p, "HealthCheckType", "health_check_type", VAL);
  tf_copy (c, r, r->view, p, "HealthCheckGracePeriod", "health_check_grace_period", VAL);
  tf_copy (c, r, r->view, p, "DefaultInstanceWarmup", "default_instance_warmup", VAL);
  tf_copy (c, r, r->view, p, "Cooldown", "default_cooldown", VAL);
  tf_put (p, "AvailabilityZones", tf_get_list (c, r, r->view, "availability_zones", VAL));
  if (tf_block_count (r->view, "launch_template") > 0)
    {
      TfView l = tf_sub (r->view, "launch_template");
      StratusCfnValue *lt = tf_map (r->at);
      tf_copy (c, r, l, lt, "LaunchTemplateId", "id", REF);
      tf_copy (c, r, l, lt, "LaunchTemplateName", "name", REF);
      tf_copy (c, r, l, lt, "Version", "version", VAL);
      tf_put (p, "LaunchTemplate", lt);
    }
}

/* A step's bound: Terraform prints it as text, "" when unset (then left out). */
static void
step_bound (TfCtx *c, const TfRes *r, TfView s, StratusCfnValue *step, const char *cfn_key,
            const char *tf_key)
{
  StratusCfnValue *v = tf_get (c, r, s, tf_key, VAL);
  if (v != NULL && v->kind == STRATUS_CFN_STRING && v->text[0] == '\0')
    {
      stratus_cfn_value_free (v);
      return;
    }
  if (v != NULL && v->kind == STRATUS_CFN_STRING)
    {
      char *end = NULL;
      double x = g_ascii_strtod (v->text, &end);
      if (end != v->text && *end == '\0')
        {
          StratusCfnValue *num = tf_num (x, s.after ? s.after : r->at);
          stratus_cfn_value_free (v);
          v = num;
        }
    }
  tf_put (step, cfn_key, v);
}

static void
scaling_policy (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "AutoScalingGroupName", "autoscaling_group_name", REF);
  tf_copy (c, r, r->view, p, "PolicyType", "policy_type", VAL);
  tf_copy (c, r, r->view, p, "AdjustmentType", "adjustment_type", VAL);
  tf_copy (c, r, r->view, p, "ScalingAdjustment", "scaling_adjustment", VAL);
  tf_copy (c, r, r->view, p, "Cooldown", "cooldown", VAL);
  tf_copy (c, r, r->view, p, "EstimatedInstanceWarmup", "estimated_instance_warmup", VAL);
  if (tf_block_count (r->view, "target_tracking_configuration") > 0)
    {
      TfView t = tf_sub (r->view, "target_tracking_configuration");
      StratusCfnValue *tt = tf_map (r->at);
      if (tf_block_count (t, "predefined_metric_specification") > 0)
        {
          TfView m = tf_sub (t, "predefined_metric_specification");
          StratusCfnValue *spec = tf_map (r->at);
          tf_copy (c, r, m, spec, "PredefinedMetricType", "predefined_metric_type", VAL);
          tf_copy (c, r, m, spec, "ResourceLabel", "resource_label", VAL);
          tf_put (tt, "PredefinedMetricSpecification", spec);
        }
      tf_copy (c, r, t, tt, "TargetValue", "target_value", VAL);
      tf_copy (c, r, t, tt, "DisableScaleIn", "disable_scale_in", VAL);
      tf_put (p, "TargetTrackingConfiguration", tt);
    }
  tf_copy (c, r, r->view, p, "MetricAggregationType", "metric_aggregation_type", VAL);
  tf_copy (c, r, r->view, p, "MinAdjustmentMagnitude", "min_adjustment_magnitude", VAL);
  guint n = tf_block_count (r->view, "step_adjustment");
  StratusCfnValue *list = n > 0 ? tf_list (r->at) : NULL;
  for (guint i = 0; i < n; i++)
    {
      TfView s = tf_block (r->view, "step_adjustment", i);
      StratusCfnValue *step = tf_map (s.after ? s.after : r->at);
      step_bound (c, r, s, step, "MetricIntervalLowerBound", "metric_interval_lower_bound");
      step_bound (c, r, s, step, "MetricIntervalUpperBound", "metric_interval_upper_bound");
      tf_copy (c, r, s, step, "ScalingAdjustment", "scaling_adjustment", VAL);
      g_ptr_array_add (list->items, step);
    }
  if (list != NULL)
    tf_put (p, "StepAdjustments", list);
}

/* The CloudFormation dimension name for a resource of Terraform type `type`, or NULL. */
static const char *
dimension_name (const char *type)
{
  if (strcmp (type, "aws_autoscaling_group") == 0)
    return "AutoScalingGroupName";
  if (strcmp (type, "aws_lb_target_group") == 0 || strcmp (type, "aws_alb_target_group") == 0)
    return "TargetGroup";
  if (strcmp (type, "aws_lb") == 0 || strcmp (type, "aws_alb") == 0)
    return "LoadBalancer";
  return NULL;
}

/* The Terraform resource with logical id `id`, or NULL. */
static const TfRes *
by_logical_id (TfCtx *c, const char *id)
{
  for (guint i = 0; i < c->res->len; i++)
    {
      const TfRes *t = g_ptr_array_index (c->res, i);
      if (strcmp (t->logical_id, id) == 0)
        return t;
    }
  return NULL;
}

/* Adds {Name, Value} to the Dimensions list `dims` (taking `value`). */
static void
add_dimension (StratusCfnValue *dims, const char *name, StratusCfnValue *value, const YNode *at)
{
  StratusCfnValue *d = tf_map (at);
  tf_put (d, "Name", tf_str (name, at));
  tf_put (d, "Value", value);
  g_ptr_array_add (dims->items, d);
}

/* The alarm's `dimensions` map as CloudFormation's Dimensions: a Ref for each group,
 * target group or load balancer the expression references (named by its type), then the
 * planned entries those do not cover. */
static void
alarm_dimensions (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  StratusCfnValue *refs = tf_get (c, r, r->view, "dimensions", REF);
  StratusCfnValue *planned = tf_get (c, r, r->view, "dimensions", VAL);
  StratusCfnValue *dims = tf_list (r->at);
  GHashTable *named = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_refs = refs == NULL ? 0 : refs->kind == STRATUS_CFN_LIST ? refs->items->len
                                  : refs->kind == STRATUS_CFN_REF ? 1 : 0;
  for (guint i = 0; i < n_refs; i++)
    {
      const StratusCfnValue *ref = refs->kind == STRATUS_CFN_LIST ? refs->items->pdata[i] : refs;
      const TfRes *t = by_logical_id (c, ref->text);
      const char *name = t != NULL ? dimension_name (t->type) : NULL;
      if (name == NULL || g_hash_table_contains (named, name))
        continue;
      g_hash_table_add (named, (gpointer) name);
      add_dimension (dims, name, tf_ref (ref->text, r->at), r->at);
    }
  for (guint i = 0; planned && planned->kind == STRATUS_CFN_MAP && i < planned->items->len; i++)
    {
      const char *key = planned->keys->pdata[i];
      const StratusCfnValue *v = planned->items->pdata[i];
      if (!g_hash_table_contains (named, key) && v->kind == STRATUS_CFN_STRING)
        add_dimension (dims, key, tf_str (v->text, r->at), r->at);
    }
  if (dims->items->len > 0)
    tf_put (p, "Dimensions", dims);
  else
    stratus_cfn_value_free (dims);
  g_hash_table_destroy (named);
  stratus_cfn_value_free (refs);
  stratus_cfn_value_free (planned);
}

/* aws_cloudwatch_metric_alarm as AWS::CloudWatch::Alarm: metric, threshold, actions. */
static void
metric_alarm (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "AlarmName", "alarm_name", VAL);
  tf_copy (c, r, r->view, p, "Namespace", "namespace", VAL);
  tf_copy (c, r, r->view, p, "MetricName", "metric_name", VAL);
  tf_copy (c, r, r->view, p, "Statistic", "statistic", VAL);
  tf_copy (c, r, r->view, p, "ExtendedStatistic", "extended_statistic", VAL);
  tf_copy (c, r, r->view, p, "Period", "period", VAL);
  tf_copy (c, r, r->view, p, "EvaluationPeriods", "evaluation_periods", VAL);
  tf_copy (c, r, r->view, p, "DatapointsToAlarm", "datapoints_to_alarm", VAL);
  tf_copy (c, r, r->view, p, "Threshold", "threshold", VAL);
  tf_copy (c, r, r->view, p, "ComparisonOperator", "comparison_operator", VAL);
  tf_copy (c, r, r->view, p, "TreatMissingData", "treat_missing_data", VAL);
  alarm_dimensions (c, r, p);
  tf_put (p, "AlarmActions", tf_get_list (c, r, r->view, "alarm_actions", REF));
  if (tf_block_count (r->view, "metric_query") > 0)
    tf_put (p, "Metrics", tf_list (r->at)); /* metric math: the import report says so */
}

static void
instance (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "ImageId", "ami", VAL);
  tf_copy (c, r, r->view, p, "InstanceType", "instance_type", VAL);
  tf_copy (c, r, r->view, p, "SubnetId", "subnet_id", REF);
  tf_copy (c, r, r->view, p, "AvailabilityZone", "availability_zone", VAL);
  tf_put (p, "SecurityGroupIds", tf_get_list (c, r, r->view, "vpc_security_group_ids", REF));
  tf_copy (c, r, r->view, p, "KeyName", "key_name", VAL);
  tf_copy (c, r, r->view, p, "UserData", "user_data", VAL);
  tf_copy (c, r, r->view, p, "LaunchTemplate", "launch_template", REF);
}

/* What aws_db_instance and aws_rds_cluster_instance share. */
static void
db_common (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "DBInstanceIdentifier", "identifier", VAL);
  tf_copy (c, r, r->view, p, "Engine", "engine", VAL);
  tf_copy (c, r, r->view, p, "EngineVersion", "engine_version", VAL);
  tf_copy (c, r, r->view, p, "DBInstanceClass", "instance_class", VAL);
  tf_copy (c, r, r->view, p, "AvailabilityZone", "availability_zone", VAL);
  tf_copy (c, r, r->view, p, "DBSubnetGroupName", "db_subnet_group_name", REF);
  tf_copy (c, r, r->view, p, "PubliclyAccessible", "publicly_accessible", VAL);
}

static void
db_instance (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  db_common (c, r, p);
  tf_copy (c, r, r->view, p, "MultiAZ", "multi_az", VAL);
  tf_copy (c, r, r->view, p, "AllocatedStorage", "allocated_storage", VAL);
  tf_copy (c, r, r->view, p, "StorageType", "storage_type", VAL);
  tf_copy (c, r, r->view, p, "SourceDBInstanceIdentifier", "replicate_source_db", REF);
  tf_put (p, "VPCSecurityGroups", tf_get_list (c, r, r->view, "vpc_security_group_ids", REF));
  tf_copy (c, r, r->view, p, "BackupRetentionPeriod", "backup_retention_period", VAL);
}

static void
cluster_instance (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  db_common (c, r, p);
  tf_copy (c, r, r->view, p, "DBClusterIdentifier", "cluster_identifier", REF);
  tf_copy (c, r, r->view, p, "PromotionTier", "promotion_tier", VAL);
}

static void
cluster (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "DBClusterIdentifier", "cluster_identifier", VAL);
  tf_copy (c, r, r->view, p, "Engine", "engine", VAL);
  tf_copy (c, r, r->view, p, "EngineVersion", "engine_version", VAL);
  tf_copy (c, r, r->view, p, "DBSubnetGroupName", "db_subnet_group_name", REF);
  tf_put (p, "VpcSecurityGroupIds", tf_get_list (c, r, r->view, "vpc_security_group_ids", REF));
  tf_put (p, "AvailabilityZones", tf_get_list (c, r, r->view, "availability_zones", VAL));
  tf_copy (c, r, r->view, p, "DBClusterInstanceClass", "db_cluster_instance_class", VAL);
  tf_copy (c, r, r->view, p, "EngineMode", "engine_mode", VAL);
  tf_copy (c, r, r->view, p, "Port", "port", VAL);
  tf_copy (c, r, r->view, p, "BackupRetentionPeriod", "backup_retention_period", VAL);
  tf_copy (c, r, r->view, p, "AllocatedStorage", "allocated_storage", VAL);
  tf_copy (c, r, r->view, p, "StorageType", "storage_type", VAL);
}

static void
db_subnet_group (TfCtx *c, const TfRes *r, StratusCfnValue *p)
{
  tf_copy (c, r, r->view, p, "DBSubnetGroupName", "name", VAL);
  tf_copy (c, r, r->view, p, "DBSubnetGroupDescription", "description", VAL);
  tf_put (p, "SubnetIds", tf_get_list (c, r, r->view, "subnet_ids", REF));
}

static const struct
{
  const char *tf, *cfn;
  TfFn fn;
} table[] = {
  { "aws_vpc", "AWS::EC2::VPC", vpc },
  { "aws_subnet", "AWS::EC2::Subnet", subnet },
  { "aws_route_table", "AWS::EC2::RouteTable", route_table },
  { "aws_route", "AWS::EC2::Route", route },
  { "aws_route_table_association", "AWS::EC2::SubnetRouteTableAssociation", rt_assoc },
  { "aws_internet_gateway", "AWS::EC2::InternetGateway", igw },
  { "aws_internet_gateway_attachment", "AWS::EC2::VPCGatewayAttachment", igw_attachment },
  { "aws_nat_gateway", "AWS::EC2::NatGateway", nat },
  { "aws_eip", "AWS::EC2::EIP", eip },
  { "aws_security_group", "AWS::EC2::SecurityGroup", security_group },
  { "aws_vpc_security_group_ingress_rule", "AWS::EC2::SecurityGroupIngress", vpc_sg_rule },
  { "aws_vpc_security_group_egress_rule", "AWS::EC2::SecurityGroupEgress", vpc_sg_rule },
  { "aws_security_group_rule", NULL, sg_rule },
  { "aws_network_acl", "AWS::EC2::NetworkAcl", nacl },
  { "aws_network_acl_rule", "AWS::EC2::NetworkAclEntry", nacl_rule },
  { "aws_network_acl_association", "AWS::EC2::SubnetNetworkAclAssociation", nacl_assoc },
  { "aws_lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", lb },
  { "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", lb },
  { "aws_lb_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup", target_group },
  { "aws_alb_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup", target_group },
  { "aws_lb_listener", "AWS::ElasticLoadBalancingV2::Listener", listener },
  { "aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener", listener },
  { "aws_launch_template", "AWS::EC2::LaunchTemplate", launch_template },
  { "aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup", asg },
  { "aws_autoscaling_policy", "AWS::AutoScaling::ScalingPolicy", scaling_policy },
  { "aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm", metric_alarm },
  { "aws_instance", "AWS::EC2::Instance", instance },
  { "aws_db_instance", "AWS::RDS::DBInstance", db_instance },
  { "aws_rds_cluster", "AWS::RDS::DBCluster", cluster },
  { "aws_rds_cluster_instance", "AWS::RDS::DBInstance", cluster_instance },
  { "aws_db_subnet_group", "AWS::RDS::DBSubnetGroup", db_subnet_group },
};

/* The planned `tags` map as CloudFormation's Tags list ({Key, Value}; the entries whose
 * value is known text), so that a `Name` tag names the resource in the scenario. */
static void
tags (const TfRes *r, StratusCfnValue *p)
{
  const YNode *map = r->view.after ? ynode_map_get (r->view.after, "tags") : NULL;
  if (map == NULL || map->kind != YNODE_MAP || ynode_length (map) == 0)
    return;
  StratusCfnValue *list = tf_list (map);
  for (guint i = 0; i < ynode_length (map); i++)
    {
      const YNode *v = ynode_item (map, i);
      if (v->kind != YNODE_SCALAR || ynode_is_null (v))
        continue;
      StratusCfnValue *kv = tf_map (v);
      tf_put (kv, "Key", tf_str (ynode_map_key (map, i)->value, ynode_map_key (map, i)));
      tf_put (kv, "Value", tf_str (v->value, v));
      g_ptr_array_add (list->items, kv);
    }
  tf_put (p, "Tags", list);
}

void
tf_translate (TfCtx *ctx, const TfRes *r)
{
  if (tf_is_attachment (r->type) && tf_attach (ctx, r))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (table[i].tf, r->type) == 0)
      {
        const char *cfn = table[i].cfn;
        if (cfn == NULL)
          {
            const char *type = tf_text (r->view, "type");
            cfn = type != NULL && strcmp (type, "egress") == 0 ? "AWS::EC2::SecurityGroupEgress"
                                                               : "AWS::EC2::SecurityGroupIngress";
          }
        StratusCfnValue *p = tf_emit (ctx, r, "", cfn);
        table[i].fn (ctx, r, p);
        tags (r, p);
        return;
      }
  /* Kept for the import report, with the planned values under Terraform's names. */
  char *type = g_strconcat ("Terraform::", r->type, NULL);
  StratusCfnValue *p = tf_emit (ctx, r, "", type);
  g_free (type);
  const YNode *after = r->view.after;
  for (guint i = 0; i < ynode_length (after); i++)
    if (!ynode_is_null (ynode_item (after, i)))
      tf_put (p, ynode_map_key (after, i)->value, cfn_value_from_literal (ynode_item (after, i)));
}
