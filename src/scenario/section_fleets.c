/* The `instances` section: each StratusFleetConfig (an instance fleet) with its outbound
 * calls (outbound.c), the calls' destinations linked, and the network keys checked against
 * the VPC. */
#include "outbound.h"
#include "placement.h"
#include "section.h"
#include "stratus/instance_types.h"

/* Frees a fleet and everything it owns, its calls included (a partial one too). */
static void
fleet_free (StratusFleetConfig *f)
{
  g_free (f->name);
  g_free (f->type);
  g_free (f->target_group);
  stratus_dist_clear (&f->service_time);
  g_clear_pointer (&f->subnets, g_ptr_array_unref);
  g_clear_pointer (&f->security_groups, g_ptr_array_unref);
  g_clear_pointer (&f->outbound, g_ptr_array_unref);
  g_free (f);
}

/* `type` (from the catalog) and the keys whose defaults depend on it: `workers`, then
 * `queue_limit`. */
static bool
parse_type_and_workers (FieldCtx *ctx, const YNode *v, StratusFleetConfig *f)
{
  const StratusInstanceType *type = stratus_instance_type_find (f->type);
  if (type == NULL)
    {
      char *h = field_hint (f->type, stratus_instance_type_names ());
      field_fail_at (ctx, ynode_map_get (v, "type"), "type: unknown instance type '%s'%s",
                     f->type, h);
      g_free (h);
      return false;
    }
  return field_get_int (ctx, v, "workers", type->vcpus, 1, 1000000, &f->workers)
         && field_get_limit (ctx, v, "queue_limit", -1, &f->queue_limit);
}

/* One fleet (instances.NAME) into the zeroed `out`; `user_data` is the OutboundNames its
 * calls' destinations may take. */
static bool
parse_fleet (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "count", "type", "workers", "queue_limit", "service_time",
                                      "target_group", "port", "subnets", "security_groups",
                                      "public_ip", "outbound", NULL };
  StratusFleetConfig *f = out;
  f->name = g_strdup (key->value);
  f->line = key->line;
  f->column = key->column;
  f->subnets = g_ptr_array_new_with_free_func (g_free);
  f->security_groups = g_ptr_array_new_with_free_func (g_free);
  f->outbound = g_ptr_array_new_with_free_func ((GDestroyNotify) outbound_call_free);
  f->public_ip = -1;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "an instance fleet"))
    return false;
  if (!field_get_int (ctx, v, "count", 1, 0, 100000, &f->count)
      || !field_get_string (ctx, v, "type", "c5.large", &f->type)
      || !field_get_string (ctx, v, "target_group", NULL, &f->target_group)
      || !parse_type_and_workers (ctx, v, f))
    return false;
  PlacementKeys placement = { &f->port, f->subnets, f->security_groups, &f->public_ip };
  const YNode *st = field_require (ctx, v, "service_time", key->value);
  return st != NULL && field_parse_dist (ctx, st, "service_time", &f->service_time)
         && placement_parse (ctx, v, &placement)
         && outbound_parse_calls (ctx, v, user_data, f->outbound);
}

/* parse: s->fleets, in file order. Needs s->load_balancers (call destinations). */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->fleets = g_ptr_array_new_with_free_func ((GDestroyNotify) fleet_free);
  GPtrArray *lb_names = g_ptr_array_new ();
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (lb_names,
                     ((StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, i))->name);
  g_ptr_array_add (lb_names, NULL);
  GPtrArray *fleet_names = g_ptr_array_new ();
  for (guint i = 0; value != NULL && value->kind == YNODE_MAP && i < ynode_length (value); i++)
    g_ptr_array_add (fleet_names, ynode_map_key (value, i)->value);
  g_ptr_array_add (fleet_names, NULL);
  OutboundNames names = { (const char *const *) lb_names->pdata,
                          (const char *const *) fleet_names->pdata };
  bool ok = field_parse_named (ctx, root, "instances", sizeof (StratusFleetConfig), parse_fleet,
                               &names, s->fleets);
  g_ptr_array_unref (lb_names);
  g_ptr_array_unref (fleet_names);
  return ok;
}

/* link: the ports of calls to load balancers and fleets. */
static bool
section_link (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  outbound_link (s);
  return true;
}

/* A fleet's subnets (the `subnets` node `list`): at least one. */
static bool
check_subnets (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *list,
               const void *resource)
{
  const StratusFleetConfig *f = resource;
  if (f->subnets->len == 0)
    return field_fail_at (ctx, list, "subnets: needs at least one subnet");
  return true;
}

/* check: each fleet's network keys and calls against the VPC, then cycles of calls. */
static bool
section_check (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  for (guint i = 0; i < s->fleets->len; i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      const YNode *v = ynode_item (value, i);
      PlacedResource r = {
        .name = f->name,
        .subnets = f->subnets,
        .security_groups = f->security_groups,
        .takes_public_ip = true,
        .why_subnets = "in a VPC, instances are launched into subnets",
        .check_subnets = check_subnets,
        .resource = f,
      };
      if (!placement_check (ctx, s->vpc, v, &r)
          || (s->vpc != NULL && !outbound_check_fleet (ctx, s, f, v)))
        return false;
    }
  return outbound_check_cycles (ctx, value, s);
}

/* free: s->fleets. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->fleets, g_ptr_array_unref);
}

/* The `instances` row. */
const ScenarioSection section_fleets = {
  .key = "instances",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .link = section_link,
  .check = section_check,
  .free = section_free,
};
