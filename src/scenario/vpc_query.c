/* Lookups into a VPC configuration, shared by the checks, the network and the diagram. */
#include <string.h>

#include "stratus/vpc_config.h"

/* Every configuration looked up by name here starts with its name. */
G_STATIC_ASSERT (G_STRUCT_OFFSET (StratusSubnetConfig, name) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (StratusRouteTableConfig, name) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (StratusNatGatewayConfig, name) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (StratusSecurityGroupConfig, name) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (StratusNetworkAclConfig, name) == 0);

/* Index of the element of `list` whose name (the first member of every config struct
 * here) is `name`, or -1. */
static int
index_by_name (const GPtrArray *list, const char *name)
{
  for (guint i = 0; name != NULL && i < list->len; i++)
    if (strcmp (*(char *const *) g_ptr_array_index (list, i), name) == 0)
      return (int) i;
  return -1;
}

int
stratus_vpc_subnet_index (const StratusVpcConfig *vpc, const char *name)
{
  return index_by_name (vpc->subnets, name);
}

int
stratus_vpc_group_index (const StratusVpcConfig *vpc, const char *name)
{
  return index_by_name (vpc->security_groups, name);
}

int
stratus_vpc_nat_index (const StratusVpcConfig *vpc, const char *name)
{
  return index_by_name (vpc->nat_gateways, name);
}

const StratusRouteTableConfig *
stratus_vpc_find_route_table (const StratusVpcConfig *vpc, const char *name)
{
  int i = index_by_name (vpc->route_tables, name);
  return i < 0 ? NULL : g_ptr_array_index (vpc->route_tables, (guint) i);
}

const StratusNetworkAclConfig *
stratus_vpc_find_network_acl (const StratusVpcConfig *vpc, const char *name)
{
  int i = index_by_name (vpc->network_acls, name);
  return i < 0 ? NULL : g_ptr_array_index (vpc->network_acls, (guint) i);
}

const StratusSecurityGroupConfig *
stratus_vpc_find_group (const StratusVpcConfig *vpc, const char *name)
{
  int i = index_by_name (vpc->security_groups, name);
  return i < 0 ? NULL : g_ptr_array_index (vpc->security_groups, (guint) i);
}

const char *
stratus_vpc_route_table_name (const StratusVpcConfig *vpc, const StratusSubnetConfig *subnet)
{
  if (subnet->route_table != NULL)
    return subnet->route_table;
  return vpc->main_route_table != NULL ? vpc->main_route_table : "main (implicit)";
}

const StratusRouteTableConfig *
stratus_vpc_route_table_of (const StratusVpcConfig *vpc, const StratusSubnetConfig *subnet)
{
  const char *name = subnet->route_table != NULL ? subnet->route_table : vpc->main_route_table;
  return stratus_vpc_find_route_table (vpc, name);
}

bool
stratus_vpc_route_lookup (const StratusVpcConfig *vpc, const StratusSubnetConfig *subnet,
                          uint32_t address, StratusRouteConfig *route)
{
  bool found = false;
  if (stratus_cidr_contains (vpc->cidr, address))
    {
      *route = (StratusRouteConfig){ .destination = vpc->cidr, .target = STRATUS_ROUTE_LOCAL };
      found = true;
    }
  const StratusRouteTableConfig *table = stratus_vpc_route_table_of (vpc, subnet);
  for (guint i = 0; table != NULL && i < table->routes->len; i++)
    {
      const StratusRouteConfig *r = &g_array_index (table->routes, StratusRouteConfig, i);
      if (stratus_cidr_contains (r->destination, address)
          && (!found || r->destination.prefix > route->destination.prefix))
        {
          *route = *r;
          found = true;
        }
    }
  return found;
}

bool
stratus_vpc_subnet_is_public (const StratusVpcConfig *vpc, const StratusSubnetConfig *subnet)
{
  const StratusRouteTableConfig *table = stratus_vpc_route_table_of (vpc, subnet);
  for (guint i = 0; table != NULL && i < table->routes->len; i++)
    {
      const StratusRouteConfig *r = &g_array_index (table->routes, StratusRouteConfig, i);
      if (r->destination.prefix == 0 && r->target == STRATUS_ROUTE_INTERNET_GATEWAY)
        return true;
    }
  return false;
}
