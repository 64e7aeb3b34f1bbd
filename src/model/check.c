/* `stratus validate`: every path the scenario implies, checked on its topology alone (no
 * engine, random stream, collector or request pool): clients -> each load-balancer node,
 * each node -> each instance of its target group, each instance -> each outbound
 * destination, and each placement of a fleet with database work -> every member of its
 * database (writer, standbys, readers, replicas) on the database's port. */
#include "stratus/model.h"
#include "stratus/topology.h"
#include "stratus/units.h"

/* Appends one described path (with its text) to `explain`. */
static void
explain_path (GString *explain, const char *from, const char *to, const char *traffic,
              const StratusPath *path)
{
  char *latency = stratus_format_duration (path->latency);
  g_string_append_printf (explain, "%s -> %s (%s): %s\n", from, to, traffic,
                          path->drop == STRATUS_DROP_NONE ? "open" : path->blocker);
  for (guint i = 0; i < path->hops->len; i++)
    g_string_append_printf (explain, "  %u. %s\n", i + 1,
                            (char *) g_ptr_array_index (path->hops, i));
  if (path->drop == STRATUS_DROP_NONE)
    g_string_append_printf (explain, "  one-way latency %s\n", latency);
  g_free (latency);
}

/* What a check is doing: the first blocked path goes to `error`; with `explain`, every
 * path is described there and the check goes on past blocked ones. */
typedef struct
{
  const StratusScenario *s;
  StratusTopology *topology;
  GArray *instance_endpoints; /* per fleet: the endpoint of its first instance */
  GString *explain;
  GError **error;
  bool ok;
} Check;

/* True while the check has something left to do. */
static bool
check_going (const Check *c)
{
  return c->ok || c->explain != NULL;
}

/* Checks one path. Its text is made only when it is printed: with --explain, or for the
 * first blocked path. */
static void
check_path (Check *c, int src, int dst, int protocol, uint16_t port, const char *from,
            const char *to, int line, int column)
{
  const StratusPath *verdict = stratus_topology_path (c->topology, src, dst, protocol, port);
  bool blocked = verdict->drop != STRATUS_DROP_NONE;
  if (c->explain == NULL && (!blocked || !c->ok))
    return;
  StratusNetwork *net = stratus_topology_network (c->topology);
  StratusPath *path = stratus_network_describe_path (net, src, dst, protocol, port);
  char *traffic = g_strdup_printf ("%s/%u", protocol == STRATUS_PROTOCOL_UDP ? "udp" : "tcp", port);
  if (c->explain != NULL)
    explain_path (c->explain, from, to, traffic, path);
  if (blocked && c->ok)
    {
      g_set_error (c->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s:%d:%d: %s -> %s: %s (stratus validate --explain shows every hop)",
                   c->s->path, line, column, from, to, path->blocker);
      c->ok = false;
    }
  g_free (traffic);
  stratus_path_free (path);
}

/* The endpoint's name in the topology's network. */
static const char *
name_of (const Check *c, int endpoint)
{
  return stratus_network_endpoint_name (stratus_topology_network (c->topology), endpoint);
}

/* Places every instance of the scenario; remembers each fleet's first endpoint. */
static void
place_instances (Check *c)
{
  for (guint f = 0; f < c->s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (c->s->fleets, f);
      int first = -1;
      for (int i = 0; i < fleet->count; i++)
        {
          char *name = g_strdup_printf ("%s-%d", fleet->name, i + 1);
          int id = stratus_topology_add_instance (c->topology, f, (unsigned) i, name, NULL);
          if (i == 0)
            first = id;
          g_free (name);
        }
      g_array_append_val (c->instance_endpoints, first);
    }
}

/* Clients -> each node of every load balancer a workload enters (once per balancer, in
 * the order of the workloads). */
static void
check_ingress (Check *c)
{
  const StratusScenario *s = c->s;
  bool *seen = g_new0 (bool, s->load_balancers->len + 1);
  for (guint i = 0; i < s->workloads->len && check_going (c); i++)
    {
      const StratusWorkloadConfig *wc = g_ptr_array_index (s->workloads, i);
      int found = stratus_scenario_load_balancer_index (s, wc->entry);
      g_assert (found >= 0); /* the scenario checked the reference */
      unsigned b = (unsigned) found;
      if (seen[b])
        continue; /* another workload enters it too */
      seen[b] = true;
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, b);
      for (unsigned k = 0; k < stratus_placement_lb_node_count (s, lb); k++)
        {
          int node = stratus_topology_lb_node (c->topology, b, k);
          check_path (c, stratus_topology_client (c->topology), node, STRATUS_PROTOCOL_TCP,
                      lb->port, "internet", name_of (c, node), lb->line, lb->column);
        }
    }
  g_free (seen);
}

/* Node endpoint `node` -> the `fleet`'s instances (from endpoint `first`) on the
 * health-check port of the load balancer's target group, when it has checks on a port
 * other than the traffic port (that one is checked with the traffic). A blocked one would
 * mark its targets unhealthy. */
static void
check_health_paths (Check *c, const StratusLoadBalancerConfig *lb, int node,
                    const StratusFleetConfig *fleet, int first)
{
  const StratusTargetGroupConfig *tg = lb->target_group_config;
  if (tg == NULL || !tg->health_check.enabled || tg->health_check.port == 0
      || tg->health_check.port == fleet->port)
    return;
  char *from = g_strdup_printf ("%s (health check)", name_of (c, node));
  for (int t = 0; t < fleet->count && check_going (c); t++)
    check_path (c, node, first + t, STRATUS_PROTOCOL_TCP, tg->health_check.port, from,
                name_of (c, first + t), tg->line, tg->column);
  g_free (from);
}

/* Each node -> each target of every load balancer (and on the health-check port). */
static void
check_targets (Check *c)
{
  const StratusScenario *s = c->s;
  for (guint i = 0; i < s->load_balancers->len && check_going (c); i++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      for (unsigned k = 0; k < stratus_placement_lb_node_count (s, lb); k++)
        for (guint f = 0; f < s->fleets->len; f++)
          {
            const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
            if (!stratus_fleet_in_group (fleet, lb->target_group))
              continue;
            int node = stratus_topology_lb_node (c->topology, i, k);
            int first = g_array_index (c->instance_endpoints, int, f);
            for (int t = 0; t < fleet->count; t++)
              check_path (c, node, first + t, STRATUS_PROTOCOL_TCP, fleet->port,
                          name_of (c, node), name_of (c, first + t), lb->line, lb->column);
            check_health_paths (c, lb, node, fleet, first);
          }
    }
}

/* Instance endpoint `src` -> every endpoint an outbound call to a resource reaches: each
 * node of a load balancer, each instance of a fleet. */
static void
check_resource_call (Check *c, int src, const StratusOutboundCallConfig *cfg)
{
  const StratusScenario *s = c->s;
  int r = stratus_scenario_destination_index (s, cfg);
  g_assert (r >= 0); /* the scenario checked the reference */
  bool to_lb = cfg->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER;
  unsigned n = to_lb ? stratus_placement_lb_node_count (s, g_ptr_array_index (s->load_balancers,
                                                                              (guint) r))
                     : (unsigned) ((StratusFleetConfig *) g_ptr_array_index (s->fleets,
                                                                             (guint) r))->count;
  int first = to_lb ? stratus_topology_lb_node (c->topology, (unsigned) r, 0)
                    : g_array_index (c->instance_endpoints, int, r);
  for (unsigned k = 0; k < n && check_going (c); k++)
    {
      char *to = g_strdup_printf ("%s %s", cfg->name, name_of (c, first + (int) k));
      check_path (c, src, first + (int) k, cfg->protocol, cfg->port, name_of (c, src), to,
                  cfg->line, cfg->column);
      g_free (to);
    }
}

/* Each instance -> each of its outbound destinations. */
static void
check_calls (Check *c)
{
  const StratusScenario *s = c->s;
  for (guint f = 0; f < s->fleets->len && check_going (c); f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      int first = g_array_index (c->instance_endpoints, int, f);
      for (int i = 0; i < fleet->count; i++)
        for (guint k = 0; fleet->outbound != NULL && k < fleet->outbound->len; k++)
          {
            const StratusOutboundCallConfig *cfg = g_ptr_array_index (fleet->outbound, k);
            int dst = stratus_topology_call_address (c->topology, cfg);
            if (dst < 0)
              {
                check_resource_call (c, first + i, cfg);
                continue;
              }
            char *address = stratus_address_format (cfg->destination);
            char *to = g_strdup_printf ("%s %s", cfg->name, address);
            check_path (c, first + i, dst, cfg->protocol, cfg->port, name_of (c, first + i), to,
                        cfg->line, cfg->column);
            g_free (to);
            g_free (address);
          }
    }
}

/* "app-db-1 (writer)": a database member and its role at the start. Caller frees. */
static char *
member_text (const StratusDbMemberConfig *m)
{
  return g_strdup_printf ("%s (%s)", m->name, stratus_db_role_name (m->role));
}

/* The fleet's instance endpoints to check its database paths from (appended to `out`):
 * its instances, and for an Auto Scaling group one more per subnet (or AZ, flat) none of
 * them stands in, where the group may launch later (placed in the check's topology under
 * the names a run would give them). */
static void
db_sources (Check *c, guint f, GArray *out)
{
  const StratusScenario *s = c->s;
  const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
  int first = g_array_index (c->instance_endpoints, int, f);
  guint n_slots = s->vpc != NULL ? s->vpc->subnets->len : s->azs->len;
  bool *covered = g_new0 (bool, n_slots + 1);
  for (int i = 0; i < fleet->count; i++)
    {
      StratusPlacement p = stratus_placement_instance (s, fleet, (unsigned) i);
      covered[s->vpc != NULL ? p.subnet : p.az] = true;
      int id = first + i;
      g_array_append_val (out, id);
    }
  guint spots = fleet->asg == NULL ? 0
                : s->vpc != NULL   ? fleet->subnets->len
                                   : s->azs->len;
  for (guint k = 0; k < spots; k++)
    {
      StratusPlacement p = stratus_placement_instance (s, fleet, k);
      int slot = s->vpc != NULL ? p.subnet : p.az;
      if (covered[slot])
        continue;
      covered[slot] = true;
      char *name = g_strdup_printf ("%s-%u", fleet->name, out->len + 1); /* next launch */
      int id = stratus_topology_add_instance (c->topology, f, k, name, NULL);
      g_free (name);
      g_array_append_val (out, id);
    }
  g_free (covered);
}

/* Each fleet with database work -> every member of its database, tcp on the database's
 * port, from every place its instances stand (db_sources): after a failover any member may
 * be the writer, and readers serve reads. A blocked path stands at the fleet's `database`
 * key. */
static void
check_databases (Check *c)
{
  const StratusScenario *s = c->s;
  for (guint f = 0; f < s->fleets->len && check_going (c); f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      const StratusDbWorkConfig *work = &fleet->database;
      if (!work->enabled || s->databases == NULL || work->index >= s->databases->len)
        continue;
      const StratusDatabaseConfig *db = g_ptr_array_index (s->databases, work->index);
      GArray *sources = g_array_new (FALSE, FALSE, sizeof (int));
      db_sources (c, f, sources);
      for (guint i = 0; i < sources->len && check_going (c); i++)
        for (guint k = 0; k < db->members->len && check_going (c); k++)
          {
            int src = g_array_index (sources, int, i);
            int dst = stratus_topology_db_member (c->topology, work->index, k);
            char *to = member_text (&g_array_index (db->members, StratusDbMemberConfig, k));
            check_path (c, src, dst, STRATUS_PROTOCOL_TCP, db->port, name_of (c, src), to,
                        work->line, work->column);
            g_free (to);
          }
      g_array_unref (sources);
    }
}

/* "file:line:column: subnet ... has N usable addresses but M network interfaces ..." for
 * the first subnet the configuration overfills; false if there is one. */
static bool
check_capacity (const StratusScenario *s, GError **error)
{
  unsigned placed, usable;
  int full = stratus_network_overfull_subnet_of (s, &placed, &usable);
  if (full < 0)
    return true;
  const StratusSubnetConfig *sub = g_ptr_array_index (s->vpc->subnets, (guint) full);
  char *block = stratus_cidr_format (sub->cidr);
  g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
               "%s:%d:%d: subnet %s (%s) has %u usable addresses but %u network "
               "interfaces are placed in it (instances, load-balancer nodes, NAT gateways)",
               s->path, sub->line, sub->column, sub->name, block, usable, placed);
  g_free (block);
  return false;
}

bool
stratus_model_check (const StratusScenario *s, GString *explain, GError **error)
{
  /* Capacity first, from the configuration: nothing is placed in an overfull layout. */
  if (!check_capacity (s, error))
    return false;
  Check c = { s, stratus_topology_new (s), g_array_new (FALSE, FALSE, sizeof (int)), explain,
              error, true };
  place_instances (&c);
  check_ingress (&c);
  check_targets (&c);
  check_calls (&c);
  check_databases (&c);
  g_array_unref (c.instance_endpoints);
  stratus_topology_free (c.topology);
  return c.ok;
}
