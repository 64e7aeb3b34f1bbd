/* Placement of a scenario's endpoints, and paths between them. */
#include "stratus/topology.h"

struct StratusTopology
{
  const StratusScenario *scenario;
  StratusNetwork *net;
  int client;
  GArray *lb_first_node; /* int per load balancer: the endpoint of its node 0 */
  GHashTable *by_address; /* internet address -> endpoint + 1 */
  GArray *db_first_member; /* int per database: the endpoint of its member 0 */
};

/* Subnet `i` of the scenario's vpc. */
static const StratusSubnetConfig *
subnet_at (const StratusScenario *s, int i)
{
  return g_ptr_array_index (s->vpc->subnets, (guint) i);
}

StratusPlacement
stratus_placement_instance (const StratusScenario *s, const StratusFleetConfig *fleet,
                            unsigned ordinal)
{
  StratusPlacement p = { .subnet = -1, .az = (int) (ordinal % s->azs->len),
                         .public_ip = fleet->public_ip == 1 };
  if (s->vpc != NULL)
    {
      const char *name = g_ptr_array_index (fleet->subnets, ordinal % fleet->subnets->len);
      p.subnet = stratus_vpc_subnet_index (s->vpc, name);
      p.az = subnet_at (s, p.subnet)->az_index;
      if (fleet->public_ip < 0)
        p.public_ip = subnet_at (s, p.subnet)->map_public_ip_on_launch;
    }
  return p;
}

unsigned
stratus_placement_lb_node_count (const StratusScenario *s, const StratusLoadBalancerConfig *lb)
{
  return s->vpc != NULL ? lb->subnets->len : s->azs->len;
}

StratusPlacement
stratus_placement_lb_node (const StratusScenario *s, const StratusLoadBalancerConfig *lb,
                           unsigned k)
{
  StratusPlacement p = { .subnet = -1, .az = (int) k, .public_ip = !lb->internal };
  if (s->vpc != NULL)
    {
      p.subnet = stratus_vpc_subnet_index (s->vpc, g_ptr_array_index (lb->subnets, k));
      p.az = subnet_at (s, p.subnet)->az_index;
    }
  return p;
}

/* The endpoint for an internet address (one per address). */
static int
internet_endpoint (StratusTopology *t, uint32_t address, const char *name)
{
  gpointer found = g_hash_table_lookup (t->by_address, GUINT_TO_POINTER (address));
  if (found != NULL)
    return GPOINTER_TO_INT (found) - 1;
  StratusEndpointSpec spec = { .name = name, .internet = true, .address = address,
                               .subnet = -1, .az = -1 };
  int id = stratus_network_add_endpoint (t->net, &spec);
  g_hash_table_insert (t->by_address, GUINT_TO_POINTER (address), GINT_TO_POINTER (id + 1));
  return id;
}

/* Places every node of every load balancer, in file order. */
static void
place_load_balancers (StratusTopology *t)
{
  const StratusScenario *s = t->scenario;
  for (guint i = 0; i < s->load_balancers->len; i++)
    {
      const StratusLoadBalancerConfig *cfg = g_ptr_array_index (s->load_balancers, i);
      int first = -1;
      for (unsigned k = 0; k < stratus_placement_lb_node_count (s, cfg); k++)
        {
          StratusPlacement p = stratus_placement_lb_node (s, cfg, k);
          char *name = g_strdup_printf ("%s@%s", cfg->name,
                                        (char *) g_ptr_array_index (s->azs, (guint) p.az));
          StratusEndpointSpec spec = { .name = name, .subnet = p.subnet, .az = p.az,
                                       .security_groups = cfg->security_groups,
                                       .public_ip = p.public_ip };
          int id = stratus_network_add_endpoint (t->net, &spec);
          if (k == 0)
            first = id;
          g_free (name);
        }
      g_array_append_val (t->lb_first_node, first);
    }
}

/* An endpoint for every internet address an outbound call goes to, in file order. */
static void
place_call_addresses (StratusTopology *t)
{
  const StratusScenario *s = t->scenario;
  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      for (guint k = 0; fleet->outbound != NULL && k < fleet->outbound->len; k++)
        {
          const StratusOutboundCallConfig *call = g_ptr_array_index (fleet->outbound, k);
          if (call->destination_kind == STRATUS_DESTINATION_ADDRESS)
            internet_endpoint (t, call->destination, call->name);
        }
    }
}

/* Places every member of every database, in file order. */
static void
place_databases (StratusTopology *t)
{
  const StratusScenario *s = t->scenario;
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    {
      const StratusDatabaseConfig *db = g_ptr_array_index (s->databases, i);
      int first = -1;
      for (guint k = 0; k < db->members->len; k++)
        {
          const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, k);
          StratusEndpointSpec spec = { .name = m->name, .subnet = m->subnet, .az = m->az,
                                       .security_groups = db->security_groups };
          int id = stratus_network_add_endpoint (t->net, &spec);
          if (k == 0)
            first = id;
        }
      g_array_append_val (t->db_first_member, first);
    }
}

StratusTopology *
stratus_topology_new (const StratusScenario *s)
{
  StratusTopology *t = g_new0 (StratusTopology, 1);
  t->scenario = s;
  t->net = stratus_network_new (s);
  t->lb_first_node = g_array_new (FALSE, FALSE, sizeof (int));
  t->by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  t->client = internet_endpoint (t, STRATUS_CLIENT_ADDRESS, "internet");
  place_call_addresses (t);
  place_load_balancers (t);
  t->db_first_member = g_array_new (FALSE, FALSE, sizeof (int));
  place_databases (t);
  return t;
}

void
stratus_topology_free (StratusTopology *t)
{
  if (t == NULL)
    return;
  stratus_network_free (t->net);
  g_array_unref (t->lb_first_node);
  g_array_unref (t->db_first_member);
  g_hash_table_unref (t->by_address);
  g_free (t);
}

StratusNetwork *
stratus_topology_network (const StratusTopology *t)
{
  return t->net;
}

int
stratus_topology_client (const StratusTopology *t)
{
  return t->client;
}

int
stratus_topology_db_member (const StratusTopology *t, unsigned db, unsigned k)
{
  return g_array_index (t->db_first_member, int, db) + (int) k;
}

int
stratus_topology_lb_node (const StratusTopology *t, unsigned lb, unsigned k)
{
  return g_array_index (t->lb_first_node, int, lb) + (int) k;
}

int
stratus_topology_add_instance (StratusTopology *t, unsigned fleet, unsigned ordinal,
                               const char *name, StratusPlacement *where)
{
  const StratusFleetConfig *cfg = g_ptr_array_index (t->scenario->fleets, fleet);
  StratusPlacement p = stratus_placement_instance (t->scenario, cfg, ordinal);
  StratusEndpointSpec spec = { .name = name, .subnet = p.subnet, .az = p.az,
                               .security_groups = cfg->security_groups,
                               .public_ip = p.public_ip };
  if (where != NULL)
    *where = p;
  return stratus_network_add_endpoint (t->net, &spec);
}

int
stratus_topology_call_address (const StratusTopology *t, const StratusOutboundCallConfig *call)
{
  if (call->destination_kind != STRATUS_DESTINATION_ADDRESS)
    return -1;
  gpointer found = g_hash_table_lookup (t->by_address, GUINT_TO_POINTER (call->destination));
  g_assert (found != NULL);
  return GPOINTER_TO_INT (found) - 1;
}

const StratusPath *
stratus_topology_path (StratusTopology *t, int src, int dst, int protocol, uint16_t port)
{
  return stratus_network_verdict (t->net, src, dst, protocol, port);
}

const unsigned *
stratus_topology_version (const StratusTopology *t)
{
  return stratus_network_version_location (t->net);
}
