/* The `load_balancers` section: each StratusLoadBalancerConfig, its target group resolved
 * against the declared ones (target_groups) and the fleets', its network keys checked against the VPC (one subnet per AZ, at
 * least two AZs, public subnets when internet-facing). */
#include <string.h>

#include "placement.h"
#include "section.h"
#include "stratus/units.h"

/* Frees a load balancer and everything it owns (a partial one too). */
static void
load_balancer_free (StratusLoadBalancerConfig *lb)
{
  g_free (lb->name);
  g_free (lb->target_group);
  g_clear_pointer (&lb->subnets, g_ptr_array_unref);
  g_clear_pointer (&lb->security_groups, g_ptr_array_unref);
  g_free (lb);
}

/* The idle timeout (1 s to 4000 s, default 60 s) and the deregistration delay (0 to
 * 3600 s, default 300 s): AWS's ranges and defaults. */
static bool
parse_timers (FieldCtx *ctx, const YNode *v, StratusLoadBalancerConfig *lb)
{
  if (!field_get_duration (ctx, v, "idle_timeout", 60 * STRATUS_SECOND, false, &lb->idle_timeout)
      || !field_get_duration (ctx, v, "deregistration_delay", 300 * STRATUS_SECOND, false,
                              &lb->deregistration_delay))
    return false;
  if (lb->idle_timeout < STRATUS_SECOND || lb->idle_timeout > 4000 * STRATUS_SECOND)
    return field_fail_at (ctx, ynode_map_get (v, "idle_timeout"),
                          "idle_timeout: must be between 1s and 4000s, as on AWS");
  if (lb->deregistration_delay > 3600 * STRATUS_SECOND)
    return field_fail_at (ctx, ynode_map_get (v, "deregistration_delay"),
                          "deregistration_delay: must be between 0s and 3600s, as on AWS");
  return true;
}

/* One load balancer (load_balancers.NAME) into the zeroed `out`. */
static bool
parse_load_balancer (FieldCtx *ctx, const YNode *key, const YNode *v, void *out,
                     void *user_data)
{
  static const char *const keys[] = { "algorithm", "processing_time", "target_group", "scheme",
                                      "port", "subnets", "security_groups", "idle_timeout",
                                      "deregistration_delay", NULL };
  static const char *const algorithms[] = { "round_robin", "least_outstanding_requests", NULL };
  static const char *const schemes[] = { "internet-facing", "internal", NULL };
  StratusLoadBalancerConfig *lb = out;
  lb->name = g_strdup (key->value);
  lb->line = key->line;
  lb->column = key->column;
  lb->subnets = g_ptr_array_new_with_free_func (g_free);
  lb->security_groups = g_ptr_array_new_with_free_func (g_free);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a load balancer"))
    return false;
  int algorithm = 0;
  const YNode *a = ynode_map_get (v, "algorithm");
  if (a != NULL && !field_check_choice (ctx, a, "algorithm", algorithms, &algorithm))
    return false;
  lb->algorithm = (StratusAlgorithm) algorithm;
  int scheme = 0;
  const YNode *sc = ynode_map_get (v, "scheme");
  if (sc != NULL && !field_check_choice (ctx, sc, "scheme", schemes, &scheme))
    return false;
  lb->internal = scheme == 1;
  PlacementKeys placement = { &lb->port, lb->subnets, lb->security_groups, NULL };
  /* The required key is checked first: parsing processing_time after a failed require
   * would set a second error over the first. */
  return field_require (ctx, v, "target_group", key->value) != NULL
         && field_get_duration (ctx, v, "processing_time", 500 * STRATUS_US, false,
                                &lb->processing_time)
         && field_get_string (ctx, v, "target_group", NULL, &lb->target_group)
         && placement_parse (ctx, v, &placement) && parse_timers (ctx, v, lb);
}

/* parse: s->load_balancers, in file order. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->load_balancers = g_ptr_array_new_with_free_func ((GDestroyNotify) load_balancer_free);
  return field_parse_named (ctx, root, "load_balancers", sizeof (StratusLoadBalancerConfig),
                            parse_load_balancer, NULL, s->load_balancers);
}

/* A load balancer whose target group is declared (node `v`) takes the group's algorithm and
 * deregistration delay, and may not set its own. */
static bool
link_declared_group (FieldCtx *ctx, const YNode *v, const StratusScenario *s,
                     StratusLoadBalancerConfig *lb)
{
  const StratusTargetGroupConfig *tg = stratus_scenario_find_target_group (s, lb->target_group);
  if (tg == NULL)
    return true;
  static const char *const own[] = { "algorithm", "deregistration_delay" };
  for (size_t k = 0; k < G_N_ELEMENTS (own); k++)
    if (field_key_node (v, own[k]) != NULL)
      return field_fail_at (ctx, field_key_node (v, own[k]), "%s: set it on target group '%s' "
                            "(declared in target_groups)", own[k], tg->name);
  lb->target_group_config = tg;
  lb->algorithm = tg->algorithm;
  lb->deregistration_delay = tg->deregistration_delay;
  return true;
}

/* link: a declared target group's settings; each target group has at least one fleet (an
 * `instances` fleet's target_group, or one of an Auto Scaling group's target_groups). */
static bool
section_link (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  GPtrArray *groups = g_ptr_array_new ();
  for (guint i = 0; i < s->fleets->len; i++)
    {
      StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      if (f->target_group != NULL)
        g_ptr_array_add (groups, f->target_group);
      for (guint k = 0; f->extra_target_groups != NULL && k < f->extra_target_groups->len; k++)
        g_ptr_array_add (groups, g_ptr_array_index (f->extra_target_groups, k));
    }
  g_ptr_array_add (groups, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < s->load_balancers->len; i++)
    {
      StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      if (!link_declared_group (ctx, ynode_item (value, i), s, lb))
        ok = false;
      else if (!g_strv_contains ((const char *const *) groups->pdata, lb->target_group))
        {
          const YNode *node = ynode_map_get (ynode_item (value, i), "target_group");
          char *h = field_hint (lb->target_group, (const char *const *) groups->pdata);
          ok = field_fail_at (ctx, node,
                              "target_group: unknown target group '%s' (no instances are "
                              "registered in it)%s", lb->target_group, h);
          g_free (h);
        }
    }
  g_ptr_array_unref (groups);
  return ok;
}

/* A load balancer's subnets (the `subnets` node `list`, names resolved): one per AZ, in
 * at least two AZs, and routing 0.0.0.0/0 to an internet gateway when internet-facing. */
static bool
check_subnets (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *list,
               const void *resource)
{
  const StratusLoadBalancerConfig *lb = resource;
  int first_az = -1;
  bool two_azs = false;
  for (guint i = 0; i < lb->subnets->len; i++)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (
        vpc->subnets, stratus_vpc_subnet_index (vpc, g_ptr_array_index (lb->subnets, i)));
      for (guint j = 0; j < i; j++)
        {
          const StratusSubnetConfig *other = g_ptr_array_index (
            vpc->subnets, stratus_vpc_subnet_index (vpc, g_ptr_array_index (lb->subnets, j)));
          if (other->az_index == sn->az_index)
            return field_fail_at (ctx, ynode_item (list, i), "subnets: %s and %s are both in "
                                  "%s; a load balancer takes one subnet per Availability Zone",
                                  other->name, sn->name, sn->az);
        }
      if (first_az < 0)
        first_az = sn->az_index;
      two_azs = two_azs || sn->az_index != first_az;
    }
  if (!two_azs)
    return field_fail_at (ctx, list, "%s: an Application Load Balancer needs subnets in at "
                          "least two Availability Zones", lb->name);
  for (guint i = 0; !lb->internal && i < lb->subnets->len; i++)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (
        vpc->subnets, stratus_vpc_subnet_index (vpc, g_ptr_array_index (lb->subnets, i)));
      if (!stratus_vpc_subnet_is_public (vpc, sn))
        return field_fail_at (ctx, ynode_item (list, i), "%s is internet-facing but its subnet "
                              "%s does not route 0.0.0.0/0 to an internet gateway", lb->name,
                              sn->name);
    }
  return true;
}

/* check: each load balancer's network keys against the VPC. */
static bool
section_check (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  for (guint i = 0; i < s->load_balancers->len; i++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      PlacedResource r = {
        .name = lb->name,
        .subnets = lb->subnets,
        .security_groups = lb->security_groups,
        .why_subnets = "in a VPC, a load balancer needs subnets in at least two Availability "
                       "Zones",
        .check_subnets = check_subnets,
        .resource = lb,
      };
      if (!placement_check (ctx, s->vpc, ynode_item (value, i), &r))
        return false;
    }
  return true;
}

/* free: s->load_balancers. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->load_balancers, g_ptr_array_unref);
}

/* The `load_balancers` row. */
const ScenarioSection section_load_balancers = {
  .key = "load_balancers",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .link = section_link,
  .check = section_check,
  .free = section_free,
};
