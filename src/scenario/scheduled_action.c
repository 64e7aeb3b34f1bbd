/* Scheduled actions of Auto Scaling groups (auto_scaling_groups.G.scheduled_actions.NAME):
 * a one-off time or a cron recurrence, and the sizes they set. */
#include "cron.h"
#include "scaling.h"

void
scheduled_action_free (StratusScheduledActionConfig *a)
{
  g_free (a->name);
  g_free (a);
}

/* `at` or `recurrence`, exactly one. */
static bool
parse_when (FieldCtx *ctx, const YNode *key, const YNode *v, StratusScheduledActionConfig *a)
{
  const YNode *at = ynode_map_get (v, "at"), *rec = ynode_map_get (v, "recurrence");
  if (at == NULL && rec == NULL)
    return field_fail_at (ctx, v, "%s: give the action a time, 'at' (from the start of the "
                          "run) or 'recurrence' (cron)", key->value);
  if (at != NULL && rec != NULL)
    return field_fail_at (ctx, field_key_node (v, "recurrence"), "%s: give 'at' or "
                          "'recurrence', not both", key->value);
  a->recurring = rec != NULL;
  a->at = STRATUS_TIME_NEVER;
  if (at != NULL)
    return field_parse_duration_node (ctx, at, "at", false, &a->at);
  if (!field_expect_kind (ctx, rec, YNODE_SCALAR, "recurrence"))
    return false;
  GError *inner = NULL;
  if (!cron_parse (rec->value, &a->recurrence, &inner))
    return field_fail_wrapped (ctx, rec, "recurrence", inner);
  return true;
}

/* min_size, max_size, desired_capacity: at least one; those given agree with each other. */
static bool
parse_sizes (FieldCtx *ctx, const YNode *key, const YNode *v, StratusScheduledActionConfig *a)
{
  if (!field_get_int (ctx, v, "min_size", -1, 0, 100000, &a->min)
      || !field_get_int (ctx, v, "max_size", -1, 0, 100000, &a->max)
      || !field_get_int (ctx, v, "desired_capacity", -1, 0, 100000, &a->desired))
    return false;
  if (a->min < 0 && a->max < 0 && a->desired < 0)
    return field_fail_at (ctx, v, "%s: set at least one of min_size, max_size and "
                          "desired_capacity", key->value);
  if (a->min >= 0 && a->max >= 0 && a->min > a->max)
    return field_fail_at (ctx, ynode_map_get (v, "min_size"), "min_size: %d is above "
                          "max_size (%d)", a->min, a->max);
  const YNode *d = ynode_map_get (v, "desired_capacity");
  if (a->desired >= 0 && a->min >= 0 && a->desired < a->min)
    return field_fail_at (ctx, d, "desired_capacity: %d is below min_size (%d)", a->desired,
                          a->min);
  if (a->desired >= 0 && a->max >= 0 && a->desired > a->max)
    return field_fail_at (ctx, d, "desired_capacity: %d is above max_size (%d)", a->desired,
                          a->max);
  return true;
}

/* One scheduled action (scheduled_actions.NAME) into the zeroed `out`. */
static bool
parse_action (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "at", "recurrence", "min_size", "max_size",
                                      "desired_capacity", NULL };
  StratusScheduledActionConfig *a = out;
  a->name = g_strdup (key->value);
  a->line = key->line;
  a->column = key->column;
  a->min = a->max = a->desired = -1;
  a->at = STRATUS_TIME_NEVER;
  return field_check_name (ctx, key) && field_expect_kind (ctx, v, YNODE_MAP, key->value)
         && field_check_keys (ctx, v, keys, "a scheduled action")
         && parse_when (ctx, key, v, a) && parse_sizes (ctx, key, v, a);
}

bool
scheduled_actions_parse (FieldCtx *ctx, const YNode *v, StratusAutoScalingGroupConfig *g)
{
  return field_parse_named (ctx, v, "scheduled_actions", sizeof (StratusScheduledActionConfig),
                            parse_action, NULL, g->scheduled_actions);
}
