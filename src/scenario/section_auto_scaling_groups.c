/* The `auto_scaling_groups` section: each StratusAutoScalingGroupConfig (sizes, where it
 * launches, its target groups, health checks, policies and scheduled actions), and for
 * each a StratusFleetConfig appended to s->fleets after the `instances` fleets, made from
 * its launch template and AMI, which stands for the group in the rest of the scenario. */
#include <string.h>

#include "fleet.h"
#include "placement.h"
#include "scaling.h"
#include "section.h"
#include "stratus/units.h"

/* Frees a group and what it owns (a partial one too); its fleet is s->fleets'. */
static void
group_free (StratusAutoScalingGroupConfig *g)
{
  g_free (g->name);
  g_free (g->launch_template);
  g_clear_pointer (&g->subnets, g_ptr_array_unref);
  g_clear_pointer (&g->availability_zones, g_ptr_array_unref);
  g_clear_pointer (&g->target_groups, g_ptr_array_unref);
  g_clear_pointer (&g->policies, g_ptr_array_unref);
  g_clear_pointer (&g->scheduled_actions, g_ptr_array_unref);
  g_free (g);
}

/* What parse_group needs besides the group's own mapping. */
typedef struct
{
  StratusScenario *s;
  const YNode *root;
  const OutboundNames *names;
} GroupContext;

/* Fails at `node` with "KEY: unknown WHAT 'name'" and a hint over `known` (NULL-terminated
 * GPtrArray, borrowed), plus `extra` after the name. */
static bool
fail_unknown (FieldCtx *ctx, const YNode *node, const char *key, const char *what,
              const char *name, const char *extra, const GPtrArray *known)
{
  char *h = field_hint (name, (const char *const *) known->pdata);
  field_fail_at (ctx, node, "%s: unknown %s '%s'%s%s", key, what, name, extra, h);
  g_free (h);
  return false;
}

/* The launch template the group names (required), or NULL after an error. */
static const StratusLaunchTemplateConfig *
find_template (FieldCtx *ctx, const YNode *key, const YNode *v, const StratusScenario *s,
               StratusAutoScalingGroupConfig *g)
{
  const YNode *n = field_require (ctx, v, "launch_template", key->value);
  if (n == NULL || !field_get_string (ctx, v, "launch_template", NULL, &g->launch_template))
    return NULL;
  GPtrArray *known = g_ptr_array_new ();
  const StratusLaunchTemplateConfig *found = NULL;
  for (guint i = 0; i < s->launch_templates->len; i++)
    {
      const StratusLaunchTemplateConfig *lt = g_ptr_array_index (s->launch_templates, i);
      g_ptr_array_add (known, lt->name);
      if (strcmp (lt->name, g->launch_template) == 0)
        found = lt;
    }
  g_ptr_array_add (known, NULL);
  if (found == NULL)
    fail_unknown (ctx, n, "launch_template", "launch template", g->launch_template,
                  " (declare it in launch_templates)", known);
  g_ptr_array_unref (known);
  return found;
}

/* `subnets` and `availability_zones`: with a vpc the subnets (checked later, with the
 * placement checks) and no AZs; without one, AZs of the scenario (default: all). */
static bool
parse_zones (FieldCtx *ctx, const YNode *v, const StratusScenario *s,
             StratusAutoScalingGroupConfig *g)
{
  if (!field_get_name_list (ctx, v, "subnets", g->subnets))
    return false;
  const YNode *azs = ynode_map_get (v, "availability_zones");
  if (azs != NULL && s->vpc != NULL)
    return field_fail_at (ctx, field_key_node (v, "availability_zones"), "availability_zones: "
                          "with a vpc, a group's AZs are those of its subnets; remove it");
  if (s->vpc != NULL)
    return true;
  if (azs == NULL)
    {
      for (guint i = 0; i < s->azs->len; i++)
        g_ptr_array_add (g->availability_zones, g_strdup (g_ptr_array_index (s->azs, i)));
      return true;
    }
  if (!field_expect_kind (ctx, azs, YNODE_SEQ, "availability_zones")
      || !field_get_name_list (ctx, v, "availability_zones", g->availability_zones))
    return false;
  if (g->availability_zones->len == 0)
    return field_fail_at (ctx, azs, "availability_zones: give at least one");
  g_ptr_array_add (s->azs, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < g->availability_zones->len; i++)
    if (!g_strv_contains ((const char *const *) s->azs->pdata,
                          g_ptr_array_index (g->availability_zones, i)))
      ok = fail_unknown (ctx, ynode_item (azs, i), "availability_zones", "AZ",
                         g_ptr_array_index (g->availability_zones, i),
                         " (not in the scenario's azs)", s->azs);
  g_ptr_array_set_size (s->azs, s->azs->len - 1);
  return ok;
}

/* min_size and max_size (required, max >= 1, min <= max) and desired_capacity (default
 * min_size, between them). */
static bool
parse_sizes (FieldCtx *ctx, const YNode *key, const YNode *v, StratusAutoScalingGroupConfig *g)
{
  if (field_require (ctx, v, "min_size", key->value) == NULL
      || field_require (ctx, v, "max_size", key->value) == NULL
      || !field_get_int (ctx, v, "min_size", 0, 0, 100000, &g->min)
      || !field_get_int (ctx, v, "max_size", 0, 1, 100000, &g->max))
    return false;
  if (g->min > g->max)
    return field_fail_at (ctx, ynode_map_get (v, "min_size"), "min_size: %d is above max_size "
                          "(%d)", g->min, g->max);
  if (!field_get_int (ctx, v, "desired_capacity", g->min, 0, 100000, &g->desired))
    return false;
  if (g->desired < g->min || g->desired > g->max)
    return field_fail_at (ctx, ynode_map_get (v, "desired_capacity"), "desired_capacity: %d is "
                          "outside min_size..max_size (%d..%d)", g->desired, g->min, g->max);
  return true;
}

/* `target_groups`: each declared in target_groups or some load balancer's target group. */
static bool
parse_target_groups (FieldCtx *ctx, const YNode *v, const StratusScenario *s,
                     StratusAutoScalingGroupConfig *g)
{
  if (!field_get_name_list (ctx, v, "target_groups", g->target_groups))
    return false;
  GPtrArray *known = g_ptr_array_new ();
  for (guint i = 0; i < s->target_groups->len; i++)
    g_ptr_array_add (known, ((StratusTargetGroupConfig *) g_ptr_array_index (s->target_groups,
                                                                              i))->name);
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (known, ((StratusLoadBalancerConfig *) g_ptr_array_index (
                                s->load_balancers, i))->target_group);
  g_ptr_array_add (known, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < g->target_groups->len; i++)
    if (!g_strv_contains ((const char *const *) known->pdata,
                          g_ptr_array_index (g->target_groups, i)))
      ok = fail_unknown (ctx, ynode_item (ynode_map_get (v, "target_groups"), i),
                         "target_groups", "target group", g_ptr_array_index (g->target_groups, i),
                         " (declare it in target_groups, or name a load balancer's)", known);
  g_ptr_array_unref (known);
  return ok;
}

/* Health checks, warm-up, cooldown and termination policy. */
static bool
parse_behaviour (FieldCtx *ctx, const YNode *v, StratusAutoScalingGroupConfig *g)
{
  static const char *const types[] = { "EC2", "ELB", NULL };
  static const char *const policies[] = { "default", "oldest_instance", "newest_instance", NULL };
  int type = 0, policy = 0;
  const YNode *t = ynode_map_get (v, "health_check_type");
  const YNode *p = ynode_map_get (v, "termination_policy");
  if ((t != NULL && !field_check_choice (ctx, t, "health_check_type", types, &type))
      || (p != NULL && !field_check_choice (ctx, p, "termination_policy", policies, &policy)))
    return false;
  g->health_check_type = (StratusHealthCheckType) type;
  g->termination_policy = (StratusTerminationPolicy) policy;
  if (g->health_check_type == STRATUS_HEALTH_CHECK_ELB && g->target_groups->len == 0)
    return field_fail_at (ctx, t, "health_check_type: ELB needs the group to be in a target "
                          "group (target_groups)");
  return field_get_seconds_between (ctx, v, "health_check_grace_period", 300, 0, 7200,
                      &g->health_check_grace_period)
         && field_get_seconds_between (ctx, v, "default_instance_warmup", 0, 0, 3600,
                         &g->default_instance_warmup)
         && field_get_seconds_between (ctx, v, "default_cooldown", 300, 0, 86400,
                                       &g->default_cooldown);
}

/* `instance_refresh: {min_healthy_percentage: P}` (absent: -1, no refresh; P default 90). */
static bool
parse_refresh (FieldCtx *ctx, const YNode *v, StratusAutoScalingGroupConfig *g)
{
  static const char *const keys[] = { "min_healthy_percentage", NULL };
  g->min_healthy_percentage = -1;
  const YNode *r = ynode_map_get (v, "instance_refresh");
  if (r == NULL)
    return true;
  return field_expect_kind (ctx, r, YNODE_MAP, "instance_refresh")
         && field_check_keys (ctx, r, keys, "instance_refresh")
         && field_get_int (ctx, r, "min_healthy_percentage", 90, 0, 100,
                           &g->min_healthy_percentage);
}

/* The group's fleet, from its launch template's mapping `lt_node` and AMI: appended to
 * s->fleets (which then owns it) and its index kept in g->fleet. */
static StratusFleetConfig *
make_fleet (FieldCtx *ctx, const YNode *key, const GroupContext *gc,
            const StratusLaunchTemplateConfig *lt, StratusAutoScalingGroupConfig *g)
{
  StratusScenario *s = gc->s;
  StratusFleetConfig *f = fleet_new (key);
  g->fleet = s->fleets->len;
  g_ptr_array_add (s->fleets, f);
  f->asg = g;
  f->count = g->desired;
  const YNode *lt_node = ynode_map_get (ynode_map_get (gc->root, "launch_templates"), lt->name);
  if (!fleet_parse_instance_keys (ctx, lt_node, "instance_type", lt->name, gc->names, f))
    return NULL;
  for (guint i = 0; i < g->subnets->len; i++)
    g_ptr_array_add (f->subnets, g_strdup (g_ptr_array_index (g->subnets, i)));
  f->extra_target_groups = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g->target_groups->len; i++)
    {
      char *name = g_strdup (g_ptr_array_index (g->target_groups, i));
      if (i == 0)
        f->target_group = name;
      else
        g_ptr_array_add (f->extra_target_groups, name);
    }
  const StratusAmiConfig *ami = NULL;
  for (guint i = 0; i < s->amis->len; i++)
    if (strcmp (((StratusAmiConfig *) g_ptr_array_index (s->amis, i))->name, lt->ami) == 0)
      ami = g_ptr_array_index (s->amis, i);
  stratus_dist_copy (&f->boot_time, &ami->boot_time);
  stratus_dist_copy (&f->app_start_time, &ami->app_start_time);
  stratus_dist_copy (&f->user_data_time, &lt->user_data_time);
  return f;
}

/* `key` names no `instances` fleet (fleets and groups share one namespace). */
static bool
check_unique_name (FieldCtx *ctx, const YNode *key, const YNode *root)
{
  if (ynode_map_get (ynode_map_get (root, "instances"), key->value) == NULL)
    return true;
  return field_fail_at (ctx, key, "'%s': an instances fleet already has this name (fleets and "
                        "Auto Scaling groups share their names)", key->value);
}

/* One group (auto_scaling_groups.NAME) into the zeroed `out`, and its fleet. */
static bool
parse_group (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = {
    "launch_template", "subnets", "availability_zones", "min_size", "max_size",
    "desired_capacity", "target_groups", "health_check_type", "health_check_grace_period",
    "default_instance_warmup", "default_cooldown", "termination_policy", "policies",
    "scheduled_actions", "instance_refresh", NULL,
  };
  const GroupContext *gc = user_data;
  StratusAutoScalingGroupConfig *g = out;
  g->name = g_strdup (key->value);
  g->line = key->line;
  g->column = key->column;
  g->subnets = g_ptr_array_new_with_free_func (g_free);
  g->availability_zones = g_ptr_array_new_with_free_func (g_free);
  g->target_groups = g_ptr_array_new_with_free_func (g_free);
  g->policies = g_ptr_array_new_with_free_func ((GDestroyNotify) scaling_policy_free);
  g->scheduled_actions = g_ptr_array_new_with_free_func ((GDestroyNotify) scheduled_action_free);
  if (!field_check_name (ctx, key) || !check_unique_name (ctx, key, gc->root)
      || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "an Auto Scaling group"))
    return false;
  const StratusLaunchTemplateConfig *lt = find_template (ctx, key, v, gc->s, g);
  if (lt == NULL || !parse_zones (ctx, v, gc->s, g) || !parse_sizes (ctx, key, v, g)
      || !parse_target_groups (ctx, v, gc->s, g) || !parse_behaviour (ctx, v, g)
      || !parse_refresh (ctx, v, g))
    return false;
  const StratusFleetConfig *f = make_fleet (ctx, key, gc, lt, g);
  return f != NULL && scaling_policies_parse (ctx, v, g, f) && scheduled_actions_parse (ctx, v, g);
}

/* parse: s->auto_scaling_groups, in file order, and their fleets. Needs s->fleets (the
 * `instances` ones), s->launch_templates, s->amis, s->target_groups, s->load_balancers. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->auto_scaling_groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  OutboundNames names = fleet_destination_names (root, s);
  GroupContext gc = { s, root, &names };
  bool ok = field_parse_named (ctx, root, "auto_scaling_groups",
                               sizeof (StratusAutoScalingGroupConfig), parse_group, &gc,
                               s->auto_scaling_groups);
  fleet_destination_names_free (&names);
  return ok;
}

/* check: each group's subnets and its template's security groups and calls against the
 * VPC, as an `instances` fleet's are. */
static bool
section_check (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  for (guint i = 0; i < s->auto_scaling_groups->len; i++)
    {
      const StratusAutoScalingGroupConfig *g = g_ptr_array_index (s->auto_scaling_groups, i);
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, g->fleet);
      const YNode *lt_node = fleet_instance_node (root, s, g->fleet);
      PlacedResource r = {
        .name = g->name,
        .subnets = f->subnets,
        .security_groups = f->security_groups,
        .takes_public_ip = true,
        .why_subnets = "in a VPC, an Auto Scaling group launches its instances into subnets "
                       "(its vpc_zone_identifier)",
        .check_subnets = placement_check_fleet_subnets,
        .resource = f,
        .instance_node = lt_node,
      };
      if (!placement_check (ctx, s->vpc, ynode_item (value, i), &r)
          || (s->vpc != NULL && !outbound_check_fleet (ctx, s, f, lt_node)))
        return false;
    }
  return true;
}

/* free: s->auto_scaling_groups (their fleets are freed with s->fleets). */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->auto_scaling_groups, g_ptr_array_unref);
}

/* The `auto_scaling_groups` row. */
const ScenarioSection section_auto_scaling_groups = {
  .key = "auto_scaling_groups",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .check = section_check,
  .free = section_free,
};
