/* From a CloudFormation template to a stratus scenario: step and simple scaling policies
 * (AWS::AutoScaling::ScalingPolicy) with the AWS::CloudWatch::Alarm that triggers them.
 * docs/import.md, "From a template to a scenario". */
#include "import_internal.h"

#include <string.h>

/* The value of the dimension named `name` in alarm `a`'s Dimensions, or NULL. */
static const StratusCfnValue *
dimension (const StratusCfnResource *a, const char *name)
{
  const StratusCfnValue *dims = imp_prop (a, "Dimensions");
  for (guint i = 0; dims && dims->kind == STRATUS_CFN_LIST && i < dims->items->len; i++)
    {
      const char *n = imp_text (stratus_cfn_value_get (dims->items->pdata[i], "Name"));
      if (n && strcmp (n, name) == 0)
        return stratus_cfn_value_get (dims->items->pdata[i], "Value");
    }
  return NULL;
}

/* Whether alarm `a` lists `policy` (Ref or GetAtt) in its AlarmActions. */
static bool
triggers (const StratusCfnResource *a, const char *policy)
{
  const StratusCfnValue *acts = imp_prop (a, "AlarmActions");
  if (acts && acts->kind != STRATUS_CFN_LIST)
    return imp_refers_to (acts, policy);
  for (guint i = 0; acts && i < acts->items->len; i++)
    if (imp_refers_to (acts->items->pdata[i], policy))
      return true;
  return false;
}

/* Whether `v` (a list or a single value) refers to logical id `id`. */
static bool
list_refers_to (const StratusCfnValue *v, const char *id)
{
  if (v && v->kind == STRATUS_CFN_LIST)
    {
      for (guint i = 0; i < v->items->len; i++)
        if (imp_refers_to (v->items->pdata[i], id))
          return true;
      return false;
    }
  return imp_refers_to (v, id);
}

/* The scenario metric alarm `a` watches for group `asg` (appending ", target_group: X" to
 * `extra` for a request count), or NULL with the reason in `why` (to free). */
static const char *
alarm_metric (ImportCtx *c, const StratusCfnResource *a, const StratusCfnResource *asg,
              GString *extra, char **why)
{
  if (imp_prop (a, "Metrics"))
    {
      *why = g_strdup ("a metric-math alarm (Metrics): stratus alarms watch one metric");
      return NULL;
    }
  const char *ns = imp_text (imp_prop (a, "Namespace")) ?: "";
  const char *name = imp_text (imp_prop (a, "MetricName")) ?: "";
  const char *metric = NULL, *dim = "AutoScalingGroupName";
  if (strcmp (ns, "AWS/EC2") == 0 && strcmp (name, "CPUUtilization") == 0)
    metric = "cpu";
  else if (strcmp (ns, "AWS/ApplicationELB") == 0 && strcmp (name, "RequestCountPerTarget") == 0)
    {
      metric = "request_count_per_target";
      dim = "TargetGroup";
    }
  else if (strcmp (ns, "CWAgent") == 0 && strcmp (name, "mem_used_percent") == 0)
    {
      *why = g_strdup ("metric mem_used_percent: stratus models memory only when the launch "
                       "template sets memory, which a template does not say");
      return NULL;
    }
  else
    {
      *why = g_strdup_printf ("metric %s %s: stratus scales on AWS/EC2 CPUUtilization and "
                              "AWS/ApplicationELB RequestCountPerTarget", ns, name);
      return NULL;
    }
  const StratusCfnValue *v = dimension (a, dim);
  if (strcmp (dim, "AutoScalingGroupName") == 0)
    {
      const char *named = imp_text (imp_prop (asg, "AutoScalingGroupName"));
      bool same_name = v && v->kind == STRATUS_CFN_STRING && named && strcmp (v->text, named) == 0;
      if (!imp_refers_to (v, asg->logical_id) && !same_name)
        {
          *why = g_strdup_printf ("its AutoScalingGroupName dimension is not the group %s",
                                  asg->logical_id);
          return NULL;
        }
      return metric;
    }
  const StratusCfnResource *tg = v && (v->kind == STRATUS_CFN_REF || v->kind == STRATUS_CFN_GETATT)
                                   ? stratus_cfn_find_resource (c->t, v->text) : NULL;
  if (tg == NULL || !list_refers_to (imp_prop (asg, "TargetGroupARNs"), tg->logical_id))
    {
      *why = g_strdup_printf ("its TargetGroup dimension is not a target group of %s",
                              asg->logical_id);
      return NULL;
    }
  g_string_append_printf (extra, "        target_group: %s\n", imp_name (c, tg->logical_id));
  return metric;
}

/* Appends "alarm: {above|below: X, period, datapoints, evaluation_periods}" for alarm `a`
 * of `metric`; false with the reason in `why` when it cannot be written. */
static bool
alarm_line (ImportCtx *c, const StratusCfnResource *a, const char *metric, GString *o,
            char **why)
{
  const char *op = imp_text (imp_prop (a, "ComparisonOperator")) ?: "";
  const char *side = NULL;
  if (strcmp (op, "GreaterThanOrEqualToThreshold") == 0 || strcmp (op, "GreaterThanThreshold") == 0)
    side = "above";
  else if (strcmp (op, "LessThanOrEqualToThreshold") == 0 || strcmp (op, "LessThanThreshold") == 0)
    side = "below";
  const char *threshold = imp_word (c, imp_prop (a, "Threshold"));
  if (side == NULL || threshold == NULL)
    {
      *why = g_strdup_printf ("its alarm %s has ComparisonOperator '%s'%s: stratus alarms compare "
                              "the metric with a threshold", a->logical_id, op,
                              threshold ? "" : " and no Threshold");
      return false;
    }
  if (strcmp (op, "GreaterThanThreshold") == 0 || strcmp (op, "LessThanThreshold") == 0)
    imp_note (c, a, "%s is imported as %s= (stratus alarms are inclusive)", op,
              side[0] == 'a' ? ">" : "<");
  const char *stat = imp_text (imp_prop (a, "Statistic"))
                       ?: imp_text (imp_prop (a, "ExtendedStatistic"));
  const char *want = strcmp (metric, "request_count_per_target") == 0 ? "Sum" : "Average";
  if (stat == NULL || strcmp (stat, want) != 0)
    imp_note (c, a, "Statistic %s is imported as the %s stratus measures", stat ? stat : "(none)",
              want);
  const char *period = imp_word (c, imp_prop (a, "Period"));
  g_string_append_printf (o, "        alarm: {%s: %s", side, threshold);
  if (period)
    g_string_append_printf (o, ", period: %ss", period);
  if (period && strcmp (want, "Sum") == 0 && strcmp (period, "60") != 0)
    imp_note (c, a, "the threshold is a sum over %ss; stratus reads it as requests per target "
              "per minute", period);
  const char *evals = imp_word (c, imp_prop (a, "EvaluationPeriods"));
  const char *dps = imp_word (c, imp_prop (a, "DatapointsToAlarm")) ?: evals;
  if (dps)
    g_string_append_printf (o, ", datapoints: %s", dps);
  if (evals)
    g_string_append_printf (o, ", evaluation_periods: %s", evals);
  g_string_append (o, "}\n");
  return true;
}

/* Appends "adjustment_type" (and min_adjustment_magnitude) of policy `p`; false with the
 * reason in `why` for a type stratus does not know. */
static bool
adjustment_type (ImportCtx *c, const StratusCfnResource *p, GString *o, char **why)
{
  const char *t = imp_text (imp_prop (p, "AdjustmentType")) ?: "ChangeInCapacity";
  if (strcmp (t, "ChangeInCapacity") == 0)
    return true;
  if (strcmp (t, "ExactCapacity") == 0)
    g_string_append (o, "        adjustment_type: exact_capacity\n");
  else if (strcmp (t, "PercentChangeInCapacity") == 0)
    {
      g_string_append (o, "        adjustment_type: percent_change_in_capacity\n");
      const char *m = imp_word (c, imp_prop (p, "MinAdjustmentMagnitude"));
      if (m)
        g_string_append_printf (o, "        min_adjustment_magnitude: %s\n", m);
    }
  else
    {
      *why = g_strdup_printf ("AdjustmentType '%s': stratus knows ChangeInCapacity, "
                              "ExactCapacity and PercentChangeInCapacity", t);
      return false;
    }
  return true;
}

/* Appends the steps of step policy `p`; false (an error set) for a step that is not a
 * mapping with a ScalingAdjustment, or with the reason in `why` when there are none. */
static bool
steps (ImportCtx *c, const StratusCfnResource *p, GString *o, char **why)
{
  const StratusCfnValue *list = imp_prop (p, "StepAdjustments");
  if (list == NULL || list->kind != STRATUS_CFN_LIST || list->items->len == 0)
    {
      *why = g_strdup ("a StepScaling policy without StepAdjustments");
      return false;
    }
  g_string_append (o, "        steps:\n");
  for (guint i = 0; i < list->items->len; i++)
    {
      const StratusCfnValue *s = list->items->pdata[i];
      const char *adj = imp_word (c, stratus_cfn_value_get (s, "ScalingAdjustment"));
      if (s->kind != STRATUS_CFN_MAP || adj == NULL)
        return imp_fail (c, s->file, s->line, s->column,
                         "%s: a step adjustment needs a ScalingAdjustment", p->logical_id);
      g_string_append (o, "          - {");
      const char *lo = imp_word (c, stratus_cfn_value_get (s, "MetricIntervalLowerBound"));
      const char *hi = imp_word (c, stratus_cfn_value_get (s, "MetricIntervalUpperBound"));
      if (lo)
        g_string_append_printf (o, "lower: %s, ", lo);
      if (hi)
        g_string_append_printf (o, "upper: %s, ", hi);
      g_string_append_printf (o, "adjustment: %s}\n", adj);
    }
  return true;
}

/* The first alarm that triggers policy `p` (the others noted), or NULL. */
static const StratusCfnResource *
alarm_of (ImportCtx *c, const StratusCfnResource *p)
{
  const StratusCfnResource *first = NULL;
  for (guint i = 0; i < c->t->resources->len; i++)
    {
      const StratusCfnResource *a = c->t->resources->pdata[i];
      if (!imp_is_type (a, "AWS::CloudWatch::Alarm") || !triggers (a, p->logical_id))
        continue;
      if (first == NULL)
        first = a;
      else
        imp_unmodelled (c, a, "triggers %s too, which stratus gives one alarm (%s)",
                        p->logical_id, first->logical_id);
    }
  return first;
}

bool
imp_map_alarm_policy (ImportCtx *c, const StratusCfnResource *asg, const StratusCfnResource *p,
                      GString *out)
{
  const char *type = imp_text (imp_prop (p, "PolicyType")) ?: "SimpleScaling";
  bool step = strcmp (type, "StepScaling") == 0;
  const StratusCfnResource *a = alarm_of (c, p);
  if (a == NULL)
    {
      imp_unmodelled (c, p, "no AWS::CloudWatch::Alarm triggers it");
      return true;
    }
  char *why = NULL;
  GString *o = g_string_new (NULL), *extra = g_string_new (NULL);
  const char *metric = alarm_metric (c, a, asg, extra, &why);
  g_string_append_printf (o, "      %s:\n        type: %s\n        metric: %s\n",
                          imp_name (c, p->logical_id), step ? "step" : "simple",
                          metric ? metric : "");
  g_string_append (o, extra->str);
  bool ok = metric != NULL && alarm_line (c, a, metric, o, &why) && adjustment_type (c, p, o, &why);
  if (ok && step)
    ok = steps (c, p, o, &why);
  else if (ok)
    {
      const char *adj = imp_word (c, imp_prop (p, "ScalingAdjustment"));
      if (adj == NULL)
        {
          why = g_strdup ("a SimpleScaling policy without ScalingAdjustment");
          ok = false;
        }
      else
        g_string_append_printf (o, "        adjustment: %s\n", adj);
      const char *cd = imp_word (c, imp_prop (p, "Cooldown"));
      if (ok && cd)
        g_string_append_printf (o, "        cooldown: %ss\n", cd);
    }
  if (ok)
    {
      bool shared = g_hash_table_contains (c->consumed, a->logical_id);
      imp_consume (c, p);
      imp_consume (c, a);
      g_string_append (out, o->str);
      const char *agg = imp_text (imp_prop (p, "MetricAggregationType"));
      if (agg && strcmp (agg, "Average") != 0)
        imp_note (c, p, "MetricAggregationType %s is imported as Average", agg);
      if (imp_prop (p, "EstimatedInstanceWarmup"))
        imp_note (c, p, "EstimatedInstanceWarmup left out (stratus uses the group's "
                  "default_instance_warmup)");
      const StratusCfnValue *acts = imp_prop (a, "AlarmActions");
      if (!shared && acts && acts->kind == STRATUS_CFN_LIST && acts->items->len > 1)
        imp_note (c, a, "triggers several actions: each scaling policy among them gets a copy "
                  "of the alarm, the others are left out");
    }
  else if (c->error == NULL)
    {
      imp_unmodelled (c, p, "%s", why);
      if (!g_hash_table_contains (c->consumed, a->logical_id))
        imp_unmodelled (c, a, "triggers %s, which is not imported", p->logical_id);
    }
  g_free (why);
  g_string_free (o, TRUE);
  g_string_free (extra, TRUE);
  return c->error == NULL;
}
