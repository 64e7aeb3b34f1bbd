/* Architecture diagrams: which arrows there are. Each flow (clients to a load balancer, a
 * load balancer to a fleet's box, a fleet's box to each destination of its outbound calls
 * and to each member of its database its queries go to) is asked of the layout's
 * topology, for one representative instance per fleet box: a flow the network does not
 * deliver gets no arrow, and an outbound call to the internet goes through the NAT gateway
 * the path crosses, or straight to the internet gateway. Labels give the protocol, the port
 * and the security-group chain that admits the flow. */
#include "diagram_private.h"

#include <string.h>

/* True if the network delivers a message from `src` to `dst` and its reply. */
static bool
delivered (Layout *L, int src, int dst, int protocol, uint16_t port)
{
  return stratus_topology_path (L->topology, src, dst, protocol, port)->drop
         == STRATUS_DROP_NONE;
}

/* True if the network delivers tcp/`port` between `endpoint` and at least one node of the
 * load balancer: from the endpoint to the node when `to_node`, else from the node. */
static bool
lb_delivered (Layout *L, const LbPlace *p, int endpoint, bool to_node, uint16_t port)
{
  for (unsigned k = 0; k < stratus_placement_lb_node_count (L->s, p->cfg); k++)
    {
      int node = stratus_topology_lb_node (L->topology, p->index, k);
      if (delivered (L, to_node ? endpoint : node, to_node ? node : endpoint,
                     STRATUS_PROTOCOL_TCP, port))
        return true;
    }
  return false;
}

/* Internet -> (internet gateway ->) each load balancer the clients reach; one label on the
 * way in with every such load balancer's port and chain. Returns whether a chain is shown. */
static bool
build_ingress (Layout *L)
{
  const StratusVpcConfig *vpc = L->vpc;
  int client = stratus_topology_client (L->topology);
  bool *open = g_new0 (bool, L->lbs->len + 1);
  bool any = false, chains = false;
  GString *ports = g_string_new (NULL);
  GString *sgs = g_string_new (NULL);
  for (guint l = 0; l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      open[l] = lb_delivered (L, p, client, true, p->cfg->port);
      if (!open[l])
        continue;
      any = true;
      char *port = g_strdup_printf ("tcp/%u", p->cfg->port);
      if (strstr (ports->str, port) == NULL)
        g_string_append_printf (ports, "%s%s", ports->len ? ", " : "", port);
      g_free (port);
      char *chain = diagram_sg_chain (vpc, NULL, true, NULL, p->cfg->security_groups, p->cfg->port);
      if (chain != NULL && strstr (sgs->str, chain) == NULL)
        g_string_append_printf (sgs, "%s%s", sgs->len ? ", " : "", chain);
      g_free (chain);
    }
  if (sgs->len > 0)
    {
      g_string_append_printf (ports, "\n%s", sgs->str);
      chains = L->igw >= 0;
    }
  g_string_free (sgs, TRUE);
  char *in_label = g_string_free (ports, FALSE);
  if (vpc != NULL && any && L->igw >= 0)
    {
      diagram_add_arrow (L, "request", L->internet, L->igw, in_label);
      in_label = NULL;
      for (guint l = 0; l < L->lbs->len; l++)
        if (open[l])
          diagram_add_arrow (L, "request", L->igw, g_array_index (L->lbs, LbPlace, l).box, NULL);
    }
  for (guint l = 0; vpc == NULL && l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      if (open[l])
        diagram_add_arrow (L, "request", L->internet, p->box,
                           g_strdup_printf ("tcp/%u", p->cfg->port));
    }
  g_free (in_label);
  g_free (open);
  return chains;
}

/* Each load balancer -> each box of its target group's fleets that some node reaches.
 * Returns whether a label names a chain. */
static bool
build_targets (Layout *L)
{
  bool chains = false;
  for (guint l = 0; l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      for (guint f = 0; f < L->fleets->len; f++)
        {
          const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
          if (!diagram_fleet_behind (p->cfg, fp->fleet)
              || !lb_delivered (L, p, fp->endpoint, false, fp->fleet->port))
            continue;
          char *chain = diagram_sg_chain (L->vpc, p->cfg->security_groups, false,
                                          p->cfg->subnets, fp->fleet->security_groups,
                                          fp->fleet->port);
          char *label = chain != NULL ? g_strdup_printf ("tcp/%u\n%s", fp->fleet->port, chain)
                                      : g_strdup_printf ("tcp/%u", fp->fleet->port);
          chains = chains || chain != NULL;
          g_free (chain);
          diagram_add_arrow (L, "request", p->box, fp->box, label);
        }
    }
  return chains;
}

/* "tcp/443 payments": protocol, port and the calls' names. Caller frees. */
static char *
call_label (const Destination *dest)
{
  GString *s = g_string_new (NULL);
  const StratusOutboundCallConfig *first = g_ptr_array_index (dest->calls, 0);
  g_string_append_printf (s, "%s/%u ", diagram_protocol_name (first->protocol), dest->port);
  for (guint i = 0; i < dest->calls->len; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : ", ",
                            ((const StratusOutboundCallConfig *) g_ptr_array_index (dest->calls, i))->name);
  return g_string_free (s, FALSE);
}

/* The destination box record of a call to an internet address (borrowed), or NULL. */
static Destination *
destination_of (const Layout *L, const StratusOutboundCallConfig *call)
{
  for (guint k = 0; k < L->destinations->len; k++)
    {
      Destination *dest = &g_array_index (L->destinations, Destination, k);
      if (dest->address == call->destination && dest->port == call->port)
        return dest;
    }
  return NULL;
}

/* A call to an internet address, as the network routes it from the fleet's box: through
 * the NAT gateway the path crosses, then the internet gateway, or straight to the internet
 * gateway (without a vpc, straight to the destination). Blocked: no arrow. */
static void
address_call (Layout *L, const FleetPlace *fp, const StratusOutboundCallConfig *call)
{
  Destination *dest = destination_of (L, call);
  if (dest == NULL)
    return;
  const StratusPath *path = stratus_topology_path (L->topology, fp->endpoint, dest->endpoint,
                                                   call->protocol, call->port);
  if (path->drop != STRATUS_DROP_NONE)
    return;
  if (L->vpc == NULL)
    {
      diagram_add_arrow (L, "outbound", fp->box, dest->box,
                         dest->labelled ? NULL : call_label (dest));
      dest->labelled = true;
      return;
    }
  if (path->nat >= 0)
    {
      diagram_add_arrow (L, "outbound", fp->box, L->nat_box[path->nat], NULL);
      diagram_add_arrow (L, "outbound", L->nat_box[path->nat], L->igw, NULL);
    }
  else
    diagram_add_arrow (L, "outbound", fp->box, L->igw, NULL);
  diagram_add_arrow (L, "outbound", L->igw, dest->box, call_label (dest));
}

/* True if the two calls go to the same resource of the scenario on the same port. */
static bool
same_resource (const StratusOutboundCallConfig *a, const StratusOutboundCallConfig *b)
{
  return a->destination_kind == b->destination_kind && a->port == b->port
         && g_strcmp0 (a->destination_name, b->destination_name) == 0;
}

/* "tcp/8080 inventory\nweb-sg → api-alb-sg": protocol, port, the names of the fleet's calls
 * to that resource and port, and the chain admitting them from the box's subnet into
 * `dst_groups`. Sets *chained when there is a chain. Caller frees. */
static char *
resource_label (const Layout *L, const FleetPlace *fp, const StratusOutboundCallConfig *call,
                const GPtrArray *dst_groups, bool *chained)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s/%u ", diagram_protocol_name (call->protocol), call->port);
  const GPtrArray *calls = fp->fleet->outbound;
  guint named = 0;
  for (guint i = 0; i < calls->len; i++)
    {
      const StratusOutboundCallConfig *c = g_ptr_array_index (calls, i);
      if (same_resource (c, call))
        g_string_append_printf (s, "%s%s", named++ == 0 ? "" : ", ", c->name);
    }
  char *chain = NULL;
  if (L->vpc != NULL)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (L->vpc->subnets, (guint) fp->subnet);
      GPtrArray *from = g_ptr_array_new ();
      g_ptr_array_add (from, sn->name);
      chain = diagram_sg_chain (L->vpc, fp->fleet->security_groups, false, from, dst_groups,
                                call->port);
      g_ptr_array_unref (from);
    }
  if (chain != NULL)
    g_string_append_printf (s, "\n%s", chain);
  *chained = *chained || chain != NULL;
  g_free (chain);
  return g_string_free (s, FALSE);
}

/* Call `k` of the box's fleet, to one of the scenario's load balancers or fleets: an arrow
 * from the box to the load balancer's bar when the network delivers the call to one of its
 * nodes, or to each box of the fleet it reaches. Returns whether a label names a chain. */
static bool
resource_call (Layout *L, const FleetPlace *fp, guint k)
{
  const StratusOutboundCallConfig *call = g_ptr_array_index (fp->fleet->outbound, k);
  bool chained = false;
  for (guint i = 0; i < k; i++)
    if (same_resource (g_ptr_array_index (fp->fleet->outbound, i), call))
      return false; /* its arrow is drawn, and its label names this call too */
  if (call->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER)
    for (guint l = 0; l < L->lbs->len; l++)
      {
        const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
        if (strcmp (p->cfg->name, call->destination_name) == 0
            && lb_delivered (L, p, fp->endpoint, true, call->port))
          diagram_add_arrow (L, "outbound", fp->box, p->box,
                             resource_label (L, fp, call, p->cfg->security_groups, &chained));
      }
  else
    for (guint f = 0; f < L->fleets->len; f++)
      {
        const FleetPlace *to = &g_array_index (L->fleets, FleetPlace, f);
        if (strcmp (to->fleet->name, call->destination_name) == 0
            && delivered (L, fp->endpoint, to->endpoint, call->protocol, call->port))
          diagram_add_arrow (L, "outbound", fp->box, to->box,
                             resource_label (L, fp, call, to->fleet->security_groups, &chained));
      }
  return chained;
}

/* True if the fleet's database work sends queries to member `k` of its database: writes
 * always go to the writer (member 0); reads to the writer, to the readable members but the
 * writer (the reader endpoint; the writer when there are none), or to one member. */
static bool
queries_member (const StratusDbWorkConfig *work, const StratusDatabaseConfig *db, guint k)
{
  if (k == 0)
    return true;
  const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, k);
  switch (work->reads_from)
    {
    case STRATUS_DB_READS_READER:
      return stratus_db_role_readable (m->role);
    case STRATUS_DB_READS_INSTANCE:
      return work->reads_member == (int) k;
    default:
      return false;
    }
}

/* True if some reads of the fleet's database work go to a member other than the writer. */
static bool
reads_elsewhere (const StratusDbWorkConfig *work, const StratusDatabaseConfig *db)
{
  for (guint k = 1; k < db->members->len; k++)
    if (queries_member (work, db, k))
      return true;
  return false;
}

/* True if an arrow of the box's fleet into box `to` exists already (its label is there). */
static bool
fleet_reaches (const Layout *L, const FleetPlace *fp, int to)
{
  for (guint i = 0; i < L->d->arrows->len; i++)
    {
      const StratusDiagramArrow *a = g_ptr_array_index (L->d->arrows, i);
      if (a->to == to && strcmp (diagram_box_at (L, a->from)->pub.kind, "fleet") == 0
          && strcmp (diagram_box_at (L, a->from)->pub.name, fp->fleet->name) == 0)
        return true;
    }
  return false;
}

/* "tcp/3306 app-db reads\nweb-sg → db-sg": the port, the database, what goes to the member
 * ("writes" or "reads" when the two are split, nothing when all go to the writer), and the
 * chain admitting the queries from the box's subnet into the database's groups. Sets
 * *chained when there is a chain. Caller frees. */
static char *
query_label (const Layout *L, const FleetPlace *fp, const MemberPlace *mp, bool *chained)
{
  const StratusDbWorkConfig *work = &fp->fleet->database;
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "tcp/%u %s", mp->db->port, mp->db->name);
  if (reads_elsewhere (work, mp->db))
    g_string_append (s, mp->member == 0 ? " writes" : " reads");
  char *chain = NULL;
  if (L->vpc != NULL)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (L->vpc->subnets, (guint) fp->subnet);
      GPtrArray *from = g_ptr_array_new ();
      g_ptr_array_add (from, sn->name);
      chain = diagram_sg_chain (L->vpc, fp->fleet->security_groups, false, from,
                                mp->db->security_groups, mp->db->port);
      g_ptr_array_unref (from);
    }
  if (chain != NULL)
    g_string_append_printf (s, "\n%s", chain);
  *chained = *chained || chain != NULL;
  g_free (chain);
  return g_string_free (s, FALSE);
}

/* The database queries: from each fleet box with database work to its database's writer,
 * and to the members its reads go to, when the network delivers tcp on the database's port
 * from the box's representative to the member (a blocked one has no arrow). The first
 * arrow of a fleet into a member carries the label. Returns whether a label names a
 * chain. */
static bool
build_queries (Layout *L)
{
  bool chains = false;
  for (guint f = 0; f < L->fleets->len; f++)
    {
      const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
      const StratusDbWorkConfig *work = &fp->fleet->database;
      if (!work->enabled || fp->box < 0)
        continue;
      for (guint k = 0; k < L->members->len; k++)
        {
          const MemberPlace *mp = &g_array_index (L->members, MemberPlace, k);
          if (mp->index != work->index || !queries_member (work, mp->db, mp->member)
              || !delivered (L, fp->endpoint, mp->endpoint, STRATUS_PROTOCOL_TCP, mp->db->port))
            continue;
          char *label = fleet_reaches (L, fp, mp->box) ? NULL
                                                       : query_label (L, fp, mp, &chains);
          diagram_add_arrow (L, "query", fp->box, mp->box, label);
        }
    }
  return chains;
}

/* The requests' arrows, then the outbound calls', then the database queries', for the
 * flows the topology delivers. Returns whether any label names a security-group chain. */
bool
diagram_build_arrows (Layout *L)
{
  bool chains = build_ingress (L);
  chains = build_targets (L) || chains;
  for (guint f = 0; f < L->fleets->len; f++)
    {
      const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
      for (guint k = 0; fp->fleet->outbound != NULL && k < fp->fleet->outbound->len; k++)
        {
          const StratusOutboundCallConfig *call = g_ptr_array_index (fp->fleet->outbound, k);
          if (call->destination_kind == STRATUS_DESTINATION_ADDRESS)
            address_call (L, fp, call);
          else
            chains = resource_call (L, fp, k) || chains;
        }
    }
  chains = build_queries (L) || chains;
  return chains;
}
