/* The `instances` section: each StratusFleetConfig (an instance fleet) with its outbound
 * calls (outbound.c), the calls' destinations linked, and the network keys checked against
 * the VPC. */
#include "fleet.h"
#include "outbound.h"
#include "placement.h"
#include "section.h"

/* One fleet (instances.NAME), made by fleet_new, into `out` (a slot of the fleets array);
 * `user_data` is the OutboundNames its calls' destinations may take. */
static bool
parse_fleet (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "count", "type", "workers", "queue_limit", "service_time",
                                      "target_group", "port", "subnets", "security_groups",
                                      "public_ip", "memory", "outbound", "database", NULL };
  StratusFleetConfig *f = fleet_new (key);
  *(StratusFleetConfig **) out = f;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "an instance fleet"))
    return false;
  return field_get_int (ctx, v, "count", 1, 0, 100000, &f->count)
         && field_get_string (ctx, v, "target_group", NULL, &f->target_group)
         && fleet_parse_instance_keys (ctx, v, "type", key->value, user_data, f);
}

/* Adds each fleet of the `instances` mapping to s->fleets as it is parsed (so that the
 * array frees it even when parsing fails). */
static bool
parse_fleets (FieldCtx *ctx, const YNode *map, const OutboundNames *names, StratusScenario *s)
{
  if (!field_expect_kind (ctx, map, YNODE_MAP, "instances"))
    return false;
  for (guint i = 0; i < ynode_length (map); i++)
    {
      StratusFleetConfig *f = NULL;
      bool ok = parse_fleet (ctx, ynode_map_key (map, i), ynode_item (map, i), &f,
                             (void *) names);
      g_ptr_array_add (s->fleets, f);
      if (!ok)
        return false;
    }
  return true;
}

/* parse: s->fleets, in file order (the Auto Scaling groups' fleets come after them). Needs
 * s->load_balancers (call destinations). */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->fleets = g_ptr_array_new_with_free_func ((GDestroyNotify) fleet_free);
  if (value == NULL)
    return true;
  OutboundNames names = fleet_destination_names (root, s);
  bool ok = parse_fleets (ctx, value, &names, s);
  fleet_destination_names_free (&names);
  return ok;
}

/* link: the ports of calls to load balancers and fleets. */
static bool
section_link (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  outbound_link (s);
  return true;
}

/* check: each `instances` fleet's network keys and calls against the VPC (the groups'
 * fleets are checked with their groups), then cycles of calls over every fleet. */
static bool
section_check (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  for (guint i = 0; value != NULL && i < ynode_length (value); i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      const YNode *v = ynode_item (value, i);
      PlacedResource r = {
        .name = f->name,
        .subnets = f->subnets,
        .security_groups = f->security_groups,
        .takes_public_ip = true,
        .why_subnets = "in a VPC, instances are launched into subnets",
        .check_subnets = placement_check_fleet_subnets,
        .resource = f,
      };
      if (!placement_check (ctx, s->vpc, v, &r)
          || (s->vpc != NULL && !outbound_check_fleet (ctx, s, f, v)))
        return false;
    }
  return outbound_check_cycles (ctx, root, s);
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
