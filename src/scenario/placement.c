/* The network keys of placed resources (load balancers, fleets): one parser and one set of
 * static checks against the VPC, shared by every kind of resource. */
#include "placement.h"

#include "vpc.h"

#define STRV(a) ((const char *const *) (a)->pdata)

bool
placement_parse (FieldCtx *ctx, const YNode *v, const PlacementKeys *keys)
{
  if (!field_get_port (ctx, v, "port", 80, keys->port)
      || !field_get_name_list (ctx, v, "subnets", keys->subnets)
      || !field_get_name_list (ctx, v, "security_groups", keys->security_groups))
    return false;
  if (keys->public_ip == NULL)
    return true;
  *keys->public_ip = -1;
  if (ynode_map_get (v, "public_ip") == NULL)
    return true;
  bool public_ip;
  if (!field_get_bool (ctx, v, "public_ip", false, &public_ip))
    return false;
  *keys->public_ip = public_ip ? 1 : 0;
  return true;
}

/* Without a vpc section, none of the resource's network keys may be given: `subnets` in
 * `v`, the others in the instance mapping `inst`. */
static bool
check_no_vpc_keys (FieldCtx *ctx, const YNode *v, const YNode *inst, const PlacedResource *r)
{
  static const char *const all[] = { "subnets", "security_groups", "public_ip", NULL };
  static const char *const without_public_ip[] = { "subnets", "security_groups", NULL };
  const char *const *keys = r->takes_public_ip ? all : without_public_ip;
  for (int i = 0; keys[i] != NULL; i++)
    {
      const YNode *k = field_key_node (i == 0 ? v : inst, keys[i]);
      if (k != NULL)
        return field_fail_at (ctx, k, "%s: '%s' needs a vpc section (add one, or remove the "
                              "key for a flat network)", r->name, keys[i]);
    }
  return true;
}

/* Every item of `names` (parsed from the list `key` of `v`) is one of the VPC's `what`s,
 * whose names are `known`. */
static bool
check_name_list (FieldCtx *ctx, const YNode *v, const char *key, const GPtrArray *names,
                 const char *what, const char *const *known)
{
  const YNode *list = ynode_map_get (v, key);
  for (guint i = 0; i < names->len; i++)
    if (!vpc_check_ref (ctx, ynode_item (list, i), key, what, known))
      return false;
  return true;
}

/* The names of the VPC's subnets (`groups` false) or security groups, NULL-terminated;
 * the strings are borrowed from the VPC. */
static GPtrArray *
names_of (const StratusVpcConfig *vpc, bool groups)
{
  const GPtrArray *list = groups ? vpc->security_groups : vpc->subnets;
  GPtrArray *a = g_ptr_array_new ();
  for (guint i = 0; i < list->len; i++) /* every entry starts with its name */
    g_ptr_array_add (a, *(char **) g_ptr_array_index (list, i));
  g_ptr_array_add (a, NULL);
  return a;
}

bool
placement_check (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *v,
                 const PlacedResource *r)
{
  const YNode *inst = r->instance_node != NULL ? r->instance_node : v;
  if (vpc == NULL)
    return check_no_vpc_keys (ctx, v, inst, r);
  const YNode *list = ynode_map_get (v, "subnets");
  if (list == NULL)
    return field_fail_at (ctx, v, "%s: missing required key 'subnets' (%s)", r->name,
                          r->why_subnets);
  GPtrArray *subnet_names = names_of (vpc, false);
  GPtrArray *group_names = names_of (vpc, true);
  bool ok = check_name_list (ctx, v, "subnets", r->subnets, "subnet", STRV (subnet_names))
            && (r->check_subnets == NULL || r->check_subnets (ctx, vpc, list, r->resource))
            && check_name_list (ctx, inst, "security_groups", r->security_groups,
                                "security group", STRV (group_names));
  g_ptr_array_unref (subnet_names);
  g_ptr_array_unref (group_names);
  return ok;
}

bool
placement_check_fleet_subnets (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *list,
                               const void *resource)
{
  const StratusFleetConfig *f = resource;
  if (f->subnets->len == 0)
    return field_fail_at (ctx, list, "subnets: needs at least one subnet");
  return true;
}
