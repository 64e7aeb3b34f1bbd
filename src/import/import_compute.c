/* From a CloudFormation template to a stratus scenario: load balancers, target groups,
 * instances, AMIs, launch templates, Auto Scaling groups and the workload. */
#include "import_internal.h"

#include <string.h>

static const char *const T_SUBNET[] = { "AWS::EC2::Subnet", NULL };
static const char *const T_SG[] = { "AWS::EC2::SecurityGroup", NULL };
static const char *const T_TG[] = { "AWS::ElasticLoadBalancingV2::TargetGroup", NULL };
static const char *const T_LB[] = { "AWS::ElasticLoadBalancingV2::LoadBalancer", NULL };
static const char *const T_ASG[] = { "AWS::AutoScaling::AutoScalingGroup", NULL };
static const char *const T_LT[] = { "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration", NULL };

#define SERVICE_TIME "    service_time: {dist: lognormal, mean: 20ms, cv: 1.0}" MARK "\n"

/* The first listener of `lb` that forwards, and its target group; NULL when none. */
static const StratusCfnResource *
listener_of (ImportCtx *c, const StratusCfnResource *lb, const StratusCfnResource **tg)
{
  for (guint i = 0; i < c->t->resources->len; i++)
    {
      const StratusCfnResource *l = c->t->resources->pdata[i];
      if (!imp_is_type (l, "AWS::ElasticLoadBalancingV2::Listener")
          || !imp_refers_to (imp_prop (l, "LoadBalancerArn"), lb->logical_id))
        continue;
      const StratusCfnValue *acts = imp_prop (l, "DefaultActions");
      for (guint k = 0; acts && acts->kind == STRATUS_CFN_LIST && k < acts->items->len; k++)
        {
          const StratusCfnValue *a = acts->items->pdata[k];
          const StratusCfnValue *arn = stratus_cfn_value_get (a, "TargetGroupArn");
          if (arn == NULL)
            {
              const StratusCfnValue *groups = stratus_cfn_value_get (
                stratus_cfn_value_get (a, "ForwardConfig"), "TargetGroups");
              if (groups && groups->kind == STRATUS_CFN_LIST && groups->items->len > 0)
                arn = stratus_cfn_value_get (groups->items->pdata[0], "TargetGroupArn");
            }
          if (arn != NULL)
            {
              *tg = imp_target (c, l, arn, "TargetGroupArn", true, T_TG);
              return *tg ? l : NULL;
            }
        }
    }
  return NULL;
}

static const char *
attribute (ImportCtx *c, const StratusCfnResource *r, const char *list_key, const char *key)
{
  const StratusCfnValue *list = imp_prop (r, list_key);
  for (guint i = 0; list && list->kind == STRATUS_CFN_LIST && i < list->items->len; i++)
    {
      const char *k = imp_text (stratus_cfn_value_get (list->items->pdata[i], "Key"));
      if (k && strcmp (k, key) == 0)
        return imp_word (c, stratus_cfn_value_get (list->items->pdata[i], "Value"));
    }
  return NULL;
}

static void
map_load_balancers (ImportCtx *c)
{
  GPtrArray *res = c->t->resources;
  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (imp_is_type (r, "AWS::ElasticLoadBalancingV2::TargetGroup"))
        {
          imp_consume (c, r);
          GString *o = c->tgs;
          g_string_append_printf (o, "  %s:\n    port: %s\n", imp_name (c, r->logical_id),
                                  imp_word (c, imp_prop (r, "Port")) ?: "80");
          const char *alg = attribute (c, r, "TargetGroupAttributes", "load_balancing.algorithm.type");
          if (alg && strcmp (alg, "least_outstanding_requests") == 0)
            g_string_append (o, "    algorithm: least_outstanding_requests\n");
          const char *dd = attribute (c, r, "TargetGroupAttributes", "deregistration_delay.timeout_seconds");
          if (dd)
            g_string_append_printf (o, "    deregistration_delay: %ss\n", dd);
          const char *ss = attribute (c, r, "TargetGroupAttributes", "slow_start.duration_seconds");
          if (ss)
            g_string_append_printf (o, "    slow_start: %ss\n", ss);
          GString *hc = g_string_new (NULL);
          const char *v;
          if ((v = imp_text (imp_prop (r, "HealthCheckPath"))))
            {
              g_string_append (hc, ", path: ");
              imp_scalar (hc, v);
            }
          if ((v = imp_word (c, imp_prop (r, "HealthCheckIntervalSeconds"))))
            g_string_append_printf (hc, ", interval: %ss", v);
          if ((v = imp_word (c, imp_prop (r, "HealthCheckTimeoutSeconds"))))
            g_string_append_printf (hc, ", timeout: %ss", v);
          if ((v = imp_word (c, imp_prop (r, "HealthyThresholdCount"))))
            g_string_append_printf (hc, ", healthy_threshold: %s", v);
          if ((v = imp_word (c, imp_prop (r, "UnhealthyThresholdCount"))))
            g_string_append_printf (hc, ", unhealthy_threshold: %s", v);
          if (hc->len)
            g_string_append_printf (o, "    health_check: {%s}\n", hc->str + 2);
          g_string_free (hc, TRUE);
        }
      else if (imp_is_type (r, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
        {
          const char *type = imp_text (imp_prop (r, "Type"));
          if (type && strcmp (type, "application") != 0)
            continue; /* a network or gateway load balancer: in the report */
          imp_consume (c, r);
          const StratusCfnResource *tg = NULL;
          const StratusCfnResource *l = listener_of (c, r, &tg);
          if (c->error)
            return;
          if (l == NULL)
            {
              imp_fail (c, r->file, r->line, r->column,
                        "%s: no Listener forwards this load balancer to a target group "
                        "(stratus needs one for its target_group)", r->logical_id);
              return;
            }
          const char *scheme = imp_word (c, imp_prop (r, "Scheme")) ?: "internet-facing";
          const char *name = imp_name (c, r->logical_id);
          GString *o = c->lbs;
          g_string_append_printf (o, "  %s:\n    processing_time: 0.5ms" MARK "\n    target_group: %s\n"
                                  "    scheme: %s\n    port: %s\n",
                                  name, imp_name (c, tg->logical_id), scheme,
                                  imp_word (c, imp_prop (l, "Port")) ?: "80");
          if (c->has_vpc)
            {
              g_string_append (o, "    subnets: ");
              if (!imp_name_list (c, r, o, imp_prop (r, "Subnets"), "Subnets", T_SUBNET))
                return;
              g_string_append (o, "\n");
              if (imp_prop (r, "SecurityGroups"))
                {
                  g_string_append (o, "    security_groups: ");
                  if (!imp_name_list (c, r, o, imp_prop (r, "SecurityGroups"), "SecurityGroups", T_SG))
                    return;
                  g_string_append (o, "\n");
                }
            }
          const char *idle = attribute (c, r, "LoadBalancerAttributes", "idle_timeout.timeout_seconds");
          if (idle)
            g_string_append_printf (o, "    idle_timeout: %ss\n", idle);
          if (strcmp (scheme, "internal") != 0)
            g_string_append_printf (c->workload,
                                    "  %s-clients:\n    entry: %s\n    rate: 100/s" MARK
                                    "\n    timeout: 10s" MARK "\n",
                                    name, name);
          /* every listener of the load balancer is folded into it */
          for (guint k = 0; k < res->len; k++)
            {
              const StratusCfnResource *x = res->pdata[k];
              if (imp_is_type (x, "AWS::ElasticLoadBalancingV2::Listener")
                  && imp_refers_to (imp_prop (x, "LoadBalancerArn"), r->logical_id))
                {
                  imp_consume (c, x);
                  if (x != l)
                    imp_note (c, x, "folded into %s: stratus models one listener per load balancer (%s)",
                              name, l->logical_id);
                }
            }
        }
    }
}

/* The target group whose Targets list `id`, or NULL. */
static const StratusCfnResource *
target_group_of (ImportCtx *c, const char *id)
{
  for (guint i = 0; i < c->t->resources->len; i++)
    {
      const StratusCfnResource *r = c->t->resources->pdata[i];
      if (!imp_is_type (r, "AWS::ElasticLoadBalancingV2::TargetGroup"))
        continue;
      const StratusCfnValue *ts = imp_prop (r, "Targets");
      for (guint k = 0; ts && ts->kind == STRATUS_CFN_LIST && k < ts->items->len; k++)
        if (imp_refers_to (stratus_cfn_value_get (ts->items->pdata[k], "Id"), id))
          return r;
    }
  return NULL;
}

/* The database work of a fleet whose security groups `sgs` a database's group admits. */
static void
database_work (ImportCtx *c, GString *o, const StratusCfnValue *sgs)
{
  for (guint i = 0; sgs && sgs->kind == STRATUS_CFN_LIST && i < c->t->resources->len; i++)
    {
      const StratusCfnResource *db = c->t->resources->pdata[i];
      const StratusCfnValue *dbsgs = imp_db_security_groups (db);
      if (dbsgs == NULL || !g_hash_table_contains (c->consumed, db->logical_id))
        continue;
      for (guint a = 0; dbsgs && dbsgs->kind == STRATUS_CFN_LIST && a < dbsgs->items->len; a++)
        for (guint b = 0; b < sgs->items->len; b++)
          {
            const StratusCfnValue *x = dbsgs->items->pdata[a], *y = sgs->items->pdata[b];
            if ((x->kind == STRATUS_CFN_REF || x->kind == STRATUS_CFN_GETATT)
                && (y->kind == STRATUS_CFN_REF || y->kind == STRATUS_CFN_GETATT)
                && imp_sg_admits (c, x->text, y->text))
              {
                bool replicas = imp_db_has_readers (c, db);
                g_string_append_printf (o, "    database: {name: %s, queries: 2, write_fraction: 0.2%s}" MARK "\n",
                                        imp_name (c, db->logical_id),
                                        replicas ? ", reads_from: reader" : "");
                return;
              }
          }
    }
}

static const char *
ami_of (ImportCtx *c, const char *image)
{
  /* lower case, other characters as '-', none at either end; "image" when nothing is left */
  GString *s = g_string_new (NULL);
  for (const char *p = image ? image : ""; *p; p++)
    if (g_ascii_isalnum (*p) || (s->len > 0 && p[1] != '\0'))
      g_string_append_c (s, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : '-');
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  char *name = g_string_free (s, FALSE);
  if (name[0] == '\0')
    {
      g_free (name);
      name = g_strdup ("image");
    }
  if (!g_hash_table_contains (c->used, name))
    {
      g_hash_table_add (c->used, name);
      g_hash_table_insert (c->names, name, name); /* owned by names from here */
      g_string_append_printf (c->amis,
                              "  %s:\n    boot_time: {dist: uniform, min: 20s, max: 30s}" MARK
                              "\n    app_start_time: 5s" MARK "\n", name);
      return name;
    }
  const char *kept = g_hash_table_lookup (c->used, name);
  g_free (name);
  return kept;
}

static void
map_launch_templates (ImportCtx *c)
{
  for (guint i = 0; i < c->t->resources->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = c->t->resources->pdata[i];
      bool lc = imp_is_type (r, "AWS::AutoScaling::LaunchConfiguration");
      if (!imp_is_type (r, "AWS::EC2::LaunchTemplate") && !lc)
        continue;
      imp_consume (c, r);
      const StratusCfnValue *d = lc ? r->properties : imp_prop (r, "LaunchTemplateData");
      const char *ami = ami_of (c, imp_text (stratus_cfn_value_get (d, "ImageId")));
      GString *o = c->lts;
      g_string_append_printf (o, "  %s:\n    ami: %s\n", imp_name (c, r->logical_id), ami);
      const char *type = imp_word (c, stratus_cfn_value_get (d, "InstanceType"));
      if (type)
        g_string_append_printf (o, "    instance_type: %s\n", type);
      if (stratus_cfn_value_get (d, "UserData"))
        g_string_append (o, "    user_data_time: 2m" MARK "\n");
      g_string_append (o, SERVICE_TIME);
      const char *sgkey = lc ? "SecurityGroups" : "SecurityGroupIds";
      const StratusCfnValue *sgs = stratus_cfn_value_get (d, sgkey);
      if (c->has_vpc && sgs)
        {
          g_string_append (o, "    security_groups: ");
          if (!imp_name_list (c, r, o, sgs, sgkey, T_SG))
            return;
          g_string_append (o, "\n");
        }
      database_work (c, o, sgs);
    }
}

static void
map_instances (ImportCtx *c)
{
  for (guint i = 0; i < c->t->resources->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = c->t->resources->pdata[i];
      if (!imp_is_type (r, "AWS::EC2::Instance"))
        continue;
      imp_consume (c, r);
      GString *o = c->instances;
      g_string_append_printf (o, "  %s:\n    count: 1\n    type: %s\n" SERVICE_TIME,
                              imp_name (c, r->logical_id), imp_word (c, imp_prop (r, "InstanceType")) ?: "c5.large");
      const StratusCfnResource *tg = target_group_of (c, r->logical_id);
      if (tg)
        g_string_append_printf (o, "    target_group: %s\n", imp_name (c, tg->logical_id));
      if (c->has_vpc)
        {
          const StratusCfnResource *sn = imp_target (c, r, imp_prop (r, "SubnetId"), "SubnetId", true, T_SUBNET);
          if (sn == NULL)
            return;
          g_string_append_printf (o, "    subnets: [%s]\n", imp_name (c, sn->logical_id));
          const StratusCfnValue *sgs = imp_prop (r, "SecurityGroupIds");
          if (sgs)
            {
              g_string_append (o, "    security_groups: ");
              if (!imp_name_list (c, r, o, sgs, "SecurityGroupIds", T_SG))
                return;
              g_string_append (o, "\n");
            }
          database_work (c, o, sgs);
        }
    }
}

static void
map_policies (ImportCtx *c, const StratusCfnResource *asg, GString *o)
{
  GString *pol = g_string_new (NULL), *sched = g_string_new (NULL);
  for (guint i = 0; i < c->t->resources->len; i++)
    {
      const StratusCfnResource *r = c->t->resources->pdata[i];
      if (!imp_refers_to (imp_prop (r, "AutoScalingGroupName"), asg->logical_id))
        continue;
      if (imp_is_type (r, "AWS::AutoScaling::ScalingPolicy"))
        {
          const char *type = imp_text (imp_prop (r, "PolicyType")) ?: "SimpleScaling";
          if (strcmp (type, "StepScaling") == 0 || strcmp (type, "SimpleScaling") == 0)
            {
              if (!imp_map_alarm_policy (c, asg, r, pol))
                break;
              continue;
            }
          const StratusCfnValue *tt = imp_prop (r, "TargetTrackingConfiguration");
          const char *metric = imp_text (stratus_cfn_value_get (
            stratus_cfn_value_get (tt, "PredefinedMetricSpecification"), "PredefinedMetricType"));
          const char *target = imp_word (c, stratus_cfn_value_get (tt, "TargetValue"));
          const char *m = NULL;
          if (metric && strcmp (metric, "ASGAverageCPUUtilization") == 0)
            m = "cpu";
          else if (metric && strcmp (metric, "ALBRequestCountPerTarget") == 0)
            m = "request_count_per_target";
          if (strcmp (type, "TargetTrackingScaling") != 0 || m == NULL || target == NULL)
            {
              imp_unmodelled (c, r, "stratus imports target tracking on ASGAverageCPUUtilization "
                              "or ALBRequestCountPerTarget with a TargetValue");
              continue;
            }
          imp_consume (c, r);
          g_string_append_printf (pol, "      %s: {type: target_tracking, metric: %s, target: %s}\n",
                                  imp_name (c, r->logical_id), m, target);
        }
      else if (imp_is_type (r, "AWS::AutoScaling::ScheduledAction"))
        {
          const char *rec = imp_text (imp_prop (r, "Recurrence"));
          if (rec == NULL)
            continue; /* a one-off StartTime: a date, in the report */
          imp_consume (c, r);
          g_string_append_printf (sched, "      %s: {recurrence: ", imp_name (c, r->logical_id));
          imp_scalar (sched, rec);
          const char *keys[][2] = { { "MinSize", "min_size" }, { "MaxSize", "max_size" },
                                    { "DesiredCapacity", "desired_capacity" } };
          for (size_t k = 0; k < G_N_ELEMENTS (keys); k++)
            {
              const char *v = imp_word (c, imp_prop (r, keys[k][0]));
              if (v)
                g_string_append_printf (sched, ", %s: %s", keys[k][1], v);
            }
          g_string_append (sched, "}\n");
        }
    }
  if (pol->len)
    g_string_append_printf (o, "    policies:\n%s", pol->str);
  if (sched->len)
    g_string_append_printf (o, "    scheduled_actions:\n%s", sched->str);
  g_string_free (pol, TRUE);
  g_string_free (sched, TRUE);
}

static void
map_groups (ImportCtx *c)
{
  for (guint i = 0; i < c->t->resources->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = c->t->resources->pdata[i];
      if (!imp_is_type (r, "AWS::AutoScaling::AutoScalingGroup"))
        continue;
      imp_consume (c, r);
      const StratusCfnValue *ltv = imp_prop (r, "LaunchTemplate");
      const StratusCfnValue *ref = stratus_cfn_value_get (ltv, "LaunchTemplateId");
      if (ref == NULL)
        ref = stratus_cfn_value_get (ltv, "LaunchTemplateName");
      if (ref == NULL)
        ref = imp_prop (r, "LaunchConfigurationName");
      const StratusCfnResource *lt = imp_target (c, r, ref, "LaunchTemplate", true, T_LT);
      if (lt == NULL)
        return;
      GString *o = c->asgs;
      g_string_append_printf (o, "  %s:\n    launch_template: %s\n", imp_name (c, r->logical_id),
                              imp_name (c, lt->logical_id));
      if (c->has_vpc)
        {
          g_string_append (o, "    subnets: ");
          if (!imp_name_list (c, r, o, imp_prop (r, "VPCZoneIdentifier"), "VPCZoneIdentifier", T_SUBNET))
            return;
          g_string_append (o, "\n");
        }
      const char *keys[][2] = { { "MinSize", "min_size" }, { "MaxSize", "max_size" },
                                { "DesiredCapacity", "desired_capacity" } };
      for (size_t k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          const char *v = imp_word (c, imp_prop (r, keys[k][0]));
          if (v)
            g_string_append_printf (o, "    %s: %s\n", keys[k][1], v);
        }
      if (imp_prop (r, "TargetGroupARNs"))
        {
          g_string_append (o, "    target_groups: ");
          if (!imp_name_list (c, r, o, imp_prop (r, "TargetGroupARNs"), "TargetGroupARNs", T_TG))
            return;
          g_string_append (o, "\n");
        }
      const char *v;
      if ((v = imp_word (c, imp_prop (r, "HealthCheckType"))))
        g_string_append_printf (o, "    health_check_type: %s\n", v);
      if ((v = imp_word (c, imp_prop (r, "HealthCheckGracePeriod"))))
        g_string_append_printf (o, "    health_check_grace_period: %ss\n", v);
      if ((v = imp_word (c, imp_prop (r, "DefaultInstanceWarmup"))))
        g_string_append_printf (o, "    default_instance_warmup: %ss\n", v);
      if ((v = imp_word (c, imp_prop (r, "Cooldown"))))
        g_string_append_printf (o, "    default_cooldown: %ss\n", v);
      if (imp_prop (r, "LoadBalancerNames"))
        imp_note (c, r, "LoadBalancerNames (Classic Load Balancers) left out");
      map_policies (c, r, o);
    }
  (void) T_LB;
  (void) T_ASG;
}

void
imp_map_compute (ImportCtx *c)
{
  map_load_balancers (c);
  if (c->error == NULL)
    map_instances (c);
  if (c->error == NULL)
    map_launch_templates (c);
  if (c->error == NULL)
    map_groups (c);
}
