/* Scaling policies of Auto Scaling groups (auto_scaling_groups.G.policies.NAME): target
 * tracking, step and simple scaling, their metric, alarms and adjustments, with AWS's
 * defaults and limits. */
#include <math.h>
#include <string.h>

#include "scaling.h"
#include "stratus/units.h"

void
scaling_policy_free (StratusScalingPolicyConfig *p)
{
  g_free (p->name);
  g_free (p->target_group);
  g_clear_pointer (&p->steps, g_array_unref);
  g_free (p);
}

/* The keys each policy type takes (after field_check_keys has refused unknown ones). */
static const char *const type_names[] = { "target_tracking", "step", "simple", NULL };
static const char *const type_keys[][11] = {
  [STRATUS_POLICY_TARGET_TRACKING] = { "type", "metric", "target_group", "target", "period",
                                       "scale_out", "scale_in", "disable_scale_in",
                                       "publication_delay", NULL },
  [STRATUS_POLICY_STEP] = { "type", "metric", "target_group", "alarm", "adjustment_type",
                            "min_adjustment_magnitude", "steps", "publication_delay", NULL },
  [STRATUS_POLICY_SIMPLE] = { "type", "metric", "target_group", "alarm", "adjustment_type",
                              "adjustment", "min_adjustment_magnitude", "cooldown",
                              "publication_delay", NULL },
};

/* Every key of `v` is one policy type `type` takes. */
static bool
check_type_keys (FieldCtx *ctx, const YNode *v, StratusPolicyType type)
{
  for (guint i = 0; i < ynode_length (v); i++)
    {
      const YNode *k = ynode_map_key (v, i);
      if (!g_strv_contains (type_keys[type], k->value))
        {
          char *list = g_strjoinv (", ", (char **) type_keys[type] + 1);
          field_fail_at (ctx, k, "%s: not a key of a %s policy (it takes: %s)", k->value,
                         type_names[type], list);
          g_free (list);
          return false;
        }
    }
  return true;
}

/* A metric period: 10 s, 30 s or a multiple of 60 s (CloudWatch's). */
static bool
get_period (FieldCtx *ctx, const YNode *map, StratusTime *out)
{
  if (!field_get_duration (ctx, map, "period", STRATUS_MINUTE, false, out))
    return false;
  if (*out == 10 * STRATUS_SECOND || *out == 30 * STRATUS_SECOND
      || (*out > 0 && *out % STRATUS_MINUTE == 0))
    return true;
  return field_fail_at (ctx, ynode_map_get (map, "period"), "period: must be 10s, 30s or a "
                        "multiple of 60s, as CloudWatch's metric periods are");
}

/* `datapoints` (default `def`) of `evaluation_periods` (default datapoints) of the mapping
 * `map` (NULL: both defaults), both 1 to 100, M <= N, N periods (shape->period, already
 * set) at most a day, else an error at `at`. `key` names the mapping. */
static bool
parse_datapoints (FieldCtx *ctx, const YNode *map, const YNode *at, const char *key, int def,
                  StratusAlarmShape *shape)
{
  if (!field_get_int (ctx, map, "datapoints", def, 1, 100, &shape->datapoints)
      || !field_get_int (ctx, map, "evaluation_periods", shape->datapoints, 1, 100,
                         &shape->evaluation_periods))
    return false;
  const YNode *dp = ynode_map_get (map, "datapoints");
  if (shape->datapoints > shape->evaluation_periods)
    return field_fail_at (ctx, dp != NULL ? dp : ynode_map_get (map, "evaluation_periods"),
                          "%s.datapoints: %d is more "
                          "than evaluation_periods (%d)", key, shape->datapoints,
                          shape->evaluation_periods);
  if (shape->period * shape->evaluation_periods > STRATUS_DAY)
    return field_fail_at (ctx, at, "%s: evaluation_periods x period is more than a day "
                          "(AWS's limit)", key);
  return true;
}

/* Target tracking's `scale_out` / `scale_in` (`key`): {datapoints, evaluation_periods},
 * default `def` of `def`. */
static bool
parse_tracking_shape (FieldCtx *ctx, const YNode *v, const char *key, int def,
                      StratusAlarmShape *shape)
{
  static const char *const keys[] = { "datapoints", "evaluation_periods", NULL };
  const YNode *m = ynode_map_get (v, key);
  if (m != NULL && (!field_expect_kind (ctx, m, YNODE_MAP, key)
                    || !field_check_keys (ctx, m, keys, key)))
    return false;
  const YNode *at = m != NULL ? m : ynode_map_get (v, "period");
  return parse_datapoints (ctx, m, at != NULL ? at : v, key, def, shape);
}

/* The upper bound of a metric's values ("percent" ones: 100), or INFINITY. */
static double
metric_max (StratusScalingMetric metric)
{
  return metric == STRATUS_METRIC_REQUEST_COUNT_PER_TARGET ? INFINITY : 100;
}

/* Target tracking: target, period, scale_out, scale_in, disable_scale_in. */
static bool
parse_target_tracking (FieldCtx *ctx, const YNode *key, const YNode *v,
                       StratusScalingPolicyConfig *p)
{
  const YNode *t = field_require (ctx, v, "target", key->value);
  if (t == NULL || !field_get_number (ctx, v, "target", 0, 0, &p->target))
    return false;
  if (p->target <= 0 || p->target > metric_max (p->metric))
    return field_fail_at (ctx, t, p->metric == STRATUS_METRIC_REQUEST_COUNT_PER_TARGET
                          ? "target: must be > 0 requests per target per minute, found %g"
                          : "target: must be in (0, 100] percent, found %g", p->target);
  if (!get_period (ctx, v, &p->out.period))
    return false;
  p->in.period = p->out.period;
  return parse_tracking_shape (ctx, v, "scale_out", 3, &p->out)
         && parse_tracking_shape (ctx, v, "scale_in", 15, &p->in)
         && field_get_bool (ctx, v, "disable_scale_in", false, &p->disable_scale_in);
}

/* The `alarm` of a step or simple policy: exactly one of above / below (the threshold),
 * period, datapoints (default 1) and evaluation_periods (default datapoints). */
static bool
parse_alarm (FieldCtx *ctx, const YNode *key, const YNode *v, StratusScalingPolicyConfig *p)
{
  static const char *const keys[] = { "above", "below", "period", "datapoints",
                                      "evaluation_periods", NULL };
  const YNode *a = field_require (ctx, v, "alarm", key->value);
  if (a == NULL || !field_expect_kind (ctx, a, YNODE_MAP, "alarm")
      || !field_check_keys (ctx, a, keys, "an alarm"))
    return false;
  const YNode *above = ynode_map_get (a, "above"), *below = ynode_map_get (a, "below");
  if ((above == NULL) == (below == NULL))
    return field_fail_at (ctx, above != NULL ? field_key_node (a, "below") : a,
                          "alarm: give exactly one of 'above' and 'below' (the threshold)");
  p->above = above != NULL;
  const char *which = p->above ? "above" : "below";
  if (!field_get_number (ctx, a, which, 0, -HUGE_VAL, &p->threshold))
    return false;
  if (p->threshold < 0 || p->threshold > metric_max (p->metric))
    return field_fail_at (ctx, p->above ? above : below, "alarm.%s: must be between 0 and %s, "
                          "found %g", which, p->metric == STRATUS_METRIC_REQUEST_COUNT_PER_TARGET
                          ? "any number of requests" : "100 percent", p->threshold);
  return get_period (ctx, a, &p->alarm.period) && parse_datapoints (ctx, a, a, "alarm", 1, &p->alarm);
}

/* `adjustment_type` and, for percent change only, `min_adjustment_magnitude` (default 1). */
static bool
parse_adjustment_type (FieldCtx *ctx, const YNode *v, StratusScalingPolicyConfig *p)
{
  static const char *const types[] = { "change_in_capacity", "exact_capacity",
                                       "percent_change_in_capacity", NULL };
  int type = 0;
  const YNode *t = ynode_map_get (v, "adjustment_type");
  if (t != NULL && !field_check_choice (ctx, t, "adjustment_type", types, &type))
    return false;
  p->adjustment_type = (StratusAdjustmentType) type;
  const YNode *mam = field_key_node (v, "min_adjustment_magnitude");
  if (mam != NULL && p->adjustment_type != STRATUS_ADJUST_PERCENT_CHANGE_IN_CAPACITY)
    return field_fail_at (ctx, mam, "min_adjustment_magnitude: only with adjustment_type: "
                          "percent_change_in_capacity");
  return field_get_int (ctx, v, "min_adjustment_magnitude", 1, 1, 100000,
                        &p->min_adjustment_magnitude);
}

/* An adjustment (node `n`, key `key`) of the policy's type: exact capacity is >= 0. */
static bool
parse_adjustment (FieldCtx *ctx, const YNode *n, const char *key,
                  const StratusScalingPolicyConfig *p, int *out)
{
  int64_t x;
  if (!field_parse_int64_node (ctx, n, key, -100000, 100000, &x))
    return false;
  if (x < 0 && p->adjustment_type == STRATUS_ADJUST_EXACT_CAPACITY)
    return field_fail_at (ctx, n, "%s: an exact capacity cannot be negative, found %d", key,
                          (int) x);
  *out = (int) x;
  return true;
}

/* One step ({lower, upper, adjustment}) of a step policy into *st. */
static bool
parse_step (FieldCtx *ctx, const YNode *n, const StratusScalingPolicyConfig *p,
            StratusScalingStep *st)
{
  static const char *const keys[] = { "lower", "upper", "adjustment", NULL };
  if (!field_expect_kind (ctx, n, YNODE_MAP, "steps")
      || !field_check_keys (ctx, n, keys, "a step")
      || !field_get_number (ctx, n, "lower", -INFINITY, -HUGE_VAL, &st->lower)
      || !field_get_number (ctx, n, "upper", INFINITY, -HUGE_VAL, &st->upper))
    return false;
  const YNode *adj = field_require (ctx, n, "adjustment", "step");
  if (adj == NULL || !parse_adjustment (ctx, adj, "adjustment", p, &st->adjustment))
    return false;
  if (!(st->lower < st->upper))
    return field_fail_at (ctx, n, "steps: lower (%g) must be below upper (%g)", st->lower,
                          st->upper);
  return true;
}

/* Orders steps by their lower bound. */
static gint
compare_steps (gconstpointer a, gconstpointer b)
{
  double x = ((const StratusScalingStep *) a)->lower, y = ((const StratusScalingStep *) b)->lower;
  return x < y ? -1 : x > y;
}

/* `steps`: 1 to 20, sorted by lower bound into p->steps, neither overlapping nor leaving a
 * gap between them (AWS refuses both). */
static bool
parse_steps (FieldCtx *ctx, const YNode *key, const YNode *v, StratusScalingPolicyConfig *p)
{
  const YNode *list = field_require (ctx, v, "steps", key->value);
  if (list == NULL || !field_expect_kind (ctx, list, YNODE_SEQ, "steps"))
    return false;
  if (ynode_length (list) == 0 || ynode_length (list) > 20)
    return field_fail_at (ctx, list, "steps: give 1 to 20 steps, as on AWS");
  p->steps = g_array_new (FALSE, FALSE, sizeof (StratusScalingStep));
  for (guint i = 0; i < ynode_length (list); i++)
    {
      StratusScalingStep st;
      if (!parse_step (ctx, ynode_item (list, i), p, &st))
        return false;
      for (guint j = 0; j < i; j++)
        {
          const StratusScalingStep *o = &g_array_index (p->steps, StratusScalingStep, j);
          if (st.lower < o->upper && o->lower < st.upper)
            return field_fail_at (ctx, ynode_item (list, i), "steps: [%g, %g) overlaps step "
                                  "%u, [%g, %g)", st.lower, st.upper, j + 1, o->lower, o->upper);
        }
      g_array_append_val (p->steps, st);
    }
  g_array_sort (p->steps, compare_steps);
  for (guint i = 1; i < p->steps->len; i++)
    {
      const StratusScalingStep *a = &g_array_index (p->steps, StratusScalingStep, i - 1);
      const StratusScalingStep *b = &g_array_index (p->steps, StratusScalingStep, i);
      if (a->upper < b->lower)
        return field_fail_at (ctx, list, "steps: nothing covers [%g, %g); steps may not leave "
                              "a gap (AWS refuses it)", a->upper, b->lower);
    }
  return true;
}

/* Step and simple scaling: the alarm, the adjustment type, then the steps or the
 * adjustment and its cooldown (default the group's). */
static bool
parse_alarm_policy (FieldCtx *ctx, const YNode *key, const YNode *v,
                    const StratusAutoScalingGroupConfig *g, StratusScalingPolicyConfig *p)
{
  if (!parse_alarm (ctx, key, v, p) || !parse_adjustment_type (ctx, v, p))
    return false;
  if (p->type == STRATUS_POLICY_STEP)
    return parse_steps (ctx, key, v, p);
  const YNode *adj = field_require (ctx, v, "adjustment", key->value);
  return adj != NULL && parse_adjustment (ctx, adj, "adjustment", p, &p->adjustment)
         && field_get_duration (ctx, v, "cooldown", g->default_cooldown, false, &p->cooldown);
}

/* `metric` (required) and `target_group` (request count per target only: one of the
 * group's, default its first); memory needs the launch template's `memory`. */
static bool
parse_metric (FieldCtx *ctx, const YNode *key, const YNode *v,
              const StratusAutoScalingGroupConfig *g, const StratusFleetConfig *fleet,
              StratusScalingPolicyConfig *p)
{
  static const char *const metrics[] = { "cpu", "memory", "request_count_per_target", NULL };
  const YNode *m = field_require (ctx, v, "metric", key->value);
  int metric;
  if (m == NULL || !field_check_choice (ctx, m, "metric", metrics, &metric))
    return false;
  p->metric = (StratusScalingMetric) metric;
  if (p->metric == STRATUS_METRIC_MEMORY && !fleet->memory.enabled)
    return field_fail_at (ctx, m, "metric: memory needs launch template %s to set memory "
                          "(base and per_request)", g->launch_template);
  const YNode *tg = ynode_map_get (v, "target_group");
  if (p->metric != STRATUS_METRIC_REQUEST_COUNT_PER_TARGET)
    return tg == NULL || field_fail_at (ctx, field_key_node (v, "target_group"),
                                        "target_group: only a request_count_per_target policy "
                                        "names a target group");
  if (g->target_groups->len == 0)
    return field_fail_at (ctx, m, "metric: request_count_per_target needs the group to be in "
                          "a target group (target_groups)");
  if (!field_get_string (ctx, v, "target_group",
                         g_ptr_array_index (g->target_groups, 0), &p->target_group))
    return false;
  g_ptr_array_add (g->target_groups, NULL);
  bool ok = g_strv_contains ((const char *const *) g->target_groups->pdata, p->target_group);
  if (!ok)
    {
      char *h = field_hint (p->target_group, (const char *const *) g->target_groups->pdata);
      field_fail_at (ctx, tg, "target_group: '%s' is not one of the group's target groups%s",
                     p->target_group, h);
      g_free (h);
    }
  g_ptr_array_set_size (g->target_groups, g->target_groups->len - 1);
  return ok;
}

/* One policy (policies.NAME) into the zeroed `out`; `user_data` is a PolicyContext. */
typedef struct
{
  StratusAutoScalingGroupConfig *g;
  const StratusFleetConfig *fleet;
} PolicyContext;

static bool
parse_policy (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "type", "metric", "target_group", "target", "period",
                                      "scale_out", "scale_in", "disable_scale_in", "alarm",
                                      "adjustment_type", "adjustment", "steps",
                                      "min_adjustment_magnitude", "cooldown",
                                      "publication_delay", NULL };
  const PolicyContext *pc = user_data;
  StratusScalingPolicyConfig *p = out;
  p->name = g_strdup (key->value);
  p->line = key->line;
  p->column = key->column;
  p->out = (StratusAlarmShape){ STRATUS_MINUTE, 3, 3 };
  p->in = (StratusAlarmShape){ STRATUS_MINUTE, 15, 15 };
  p->alarm = (StratusAlarmShape){ STRATUS_MINUTE, 1, 1 };
  p->above = true;
  p->min_adjustment_magnitude = 1;
  p->cooldown = pc->g->default_cooldown;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a scaling policy"))
    return false;
  const YNode *t = field_require (ctx, v, "type", key->value);
  int type;
  if (t == NULL || !field_check_choice (ctx, t, "type", type_names, &type))
    return false;
  p->type = (StratusPolicyType) type;
  if (!check_type_keys (ctx, v, p->type) || !parse_metric (ctx, key, v, pc->g, pc->fleet, p)
      || !field_get_duration (ctx, v, "publication_delay", 0, false, &p->publication_delay))
    return false;
  if (p->publication_delay > 10 * STRATUS_MINUTE)
    return field_fail_at (ctx, ynode_map_get (v, "publication_delay"),
                          "publication_delay: at most 10m");
  if (p->type == STRATUS_POLICY_TARGET_TRACKING)
    return parse_target_tracking (ctx, key, v, p);
  return parse_alarm_policy (ctx, key, v, pc->g, p);
}

bool
scaling_policies_parse (FieldCtx *ctx, const YNode *v, StratusAutoScalingGroupConfig *g,
                        const StratusFleetConfig *fleet)
{
  PolicyContext pc = { g, fleet };
  return field_parse_named (ctx, v, "policies", sizeof (StratusScalingPolicyConfig),
                            parse_policy, &pc, g->policies);
}
