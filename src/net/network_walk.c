/* The path walk: a message's path through a VPC, hop by hop, as AWS would take it (route
 * tables, network ACLs, security groups, internet and NAT gateways), with the reason and
 * the hop that blocks it. */
#include "network_private.h"

#include "stratus/units.h"

/* Replies go to the sender's ephemeral port; network ACLs see this one (inside both
 * Linux's 32768-60999 and the IANA 49152-65535 ranges). */
#define EPHEMERAL_PORT 49152

/* ---- rules -------------------------------------------------------------------------- */

static char *
describe_traffic (int protocol, uint16_t port)
{
  switch (protocol)
    {
    case STRATUS_PROTOCOL_TCP:
      return g_strdup_printf ("tcp/%u", port);
    case STRATUS_PROTOCOL_UDP:
      return g_strdup_printf ("udp/%u", port);
    case STRATUS_PROTOCOL_ICMP:
      return g_strdup ("icmp");
    default:
      return g_strdup ("all traffic");
    }
}

static bool
traffic_matches (int rule_protocol, uint16_t from, uint16_t to, int protocol, uint16_t port)
{
  if (rule_protocol == STRATUS_PROTOCOL_ALL)
    return true;
  if (rule_protocol != protocol)
    return false;
  if (protocol != STRATUS_PROTOCOL_TCP && protocol != STRATUS_PROTOCOL_UDP)
    return true;
  return port >= from && port <= to;
}


/* Longest-prefix match in the subnet's table, the implicit local route included. Returns
 * false when nothing matches; `route` then is untouched. */
static bool
route_lookup (const StratusNetwork *net, int subnet, uint32_t address, StratusRouteConfig *route,
              const char **table_name)
{
  const StratusSubnetConfig *sub = network_subnet_at (net, subnet);
  *table_name = stratus_vpc_route_table_name (net->vpc, sub);
  return stratus_vpc_route_lookup (net->vpc, sub, address, route);
}


/* Network ACL of `subnet`, `inbound` or outbound, for a packet to/from `peer`: the first
 * rule (lowest number) that matches decides; none matching denies. The default ACL (no
 * network_acl on the subnet) allows everything. Writes the deciding rule's description. */
static bool
acl_allows (const StratusNetwork *net, int subnet, bool inbound, uint32_t peer, int protocol,
            uint16_t port, char **why)
{
  const char *acl_name = network_subnet_at (net, subnet)->network_acl;
  const StratusNetworkAclConfig *acl = stratus_vpc_find_network_acl (net->vpc, acl_name);
  const char *sub = network_subnet_at (net, subnet)->name;
  char *traffic = describe_traffic (protocol, port);
  char *peer_text = stratus_address_format (peer);
  const char *dir = inbound ? "inbound" : "outbound";
  const char *prep = inbound ? "from" : "to";
  bool allowed = true;
  if (acl == NULL)
    *why = g_strdup_printf ("network ACL of %s: the default ACL allows %s %s %s %s", sub,
                            dir, traffic, prep, peer_text);
  else
    {
      GArray *rules = inbound ? acl->inbound : acl->outbound;
      const StratusAclRuleConfig *hit = NULL;
      for (guint i = 0; i < rules->len && hit == NULL; i++)
        {
          const StratusAclRuleConfig *r = &g_array_index (rules, StratusAclRuleConfig, i);
          if (stratus_cidr_contains (r->cidr, peer)
              && traffic_matches (r->protocol, r->port_from, r->port_to, protocol, port))
            hit = r;
        }
      allowed = hit != NULL && hit->allow;
      if (hit != NULL)
        *why = g_strdup_printf ("network ACL %s (%s) %s rule %d %s %s %s %s", acl->name, sub,
                                dir, hit->number, hit->allow ? "allows" : "denies", traffic,
                                prep, peer_text);
      else
        *why = g_strdup_printf ("network ACL %s (%s) %s: no rule matches %s %s %s, so the final "
                                "rule denies it", acl->name, sub, dir, traffic, prep, peer_text);
    }
  g_free (traffic);
  g_free (peer_text);
  return allowed;
}

static bool
has_group (const Endpoint *e, int group)
{
  for (guint i = 0; e->groups != NULL && i < e->groups->len; i++)
    if (g_array_index (e->groups, int, i) == group)
      return true;
  return false;
}

/* Security groups of `self` for a packet `inbound` from (or outbound to) `peer`. */
static bool
sg_allows (const StratusNetwork *net, const Endpoint *self, bool inbound, const Endpoint *peer,
           uint32_t peer_address, int protocol, uint16_t port, char **why)
{
  char *traffic = describe_traffic (protocol, port);
  char *peer_text = peer != NULL && peer->groups != NULL && peer->groups->len > 0
                      ? g_strdup_printf ("%s", ((StratusSecurityGroupConfig *) g_ptr_array_index (
                                                  net->vpc->security_groups,
                                                  (guint) g_array_index (peer->groups, int, 0)))
                                                 ->name)
                      : stratus_address_format (peer_address);
  const char *dir = inbound ? "inbound" : "outbound";
  const char *prep = inbound ? "from" : "to";
  bool allowed = false;
  GString *names = g_string_new (NULL);
  for (guint g = 0; self->groups != NULL && g < self->groups->len && !allowed; g++)
    {
      int gi = g_array_index (self->groups, int, g);
      const StratusSecurityGroupConfig *sg = g_ptr_array_index (net->vpc->security_groups, (guint) gi);
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", sg->name);
      GArray *rules = inbound ? sg->inbound : sg->outbound;
      for (guint i = 0; i < rules->len && !allowed; i++)
        {
          const StratusSgRuleConfig *r = &g_array_index (rules, StratusSgRuleConfig, i);
          if (!traffic_matches (r->protocol, r->port_from, r->port_to, protocol, port))
            continue;
          if (r->group != NULL)
            allowed = peer != NULL && has_group (peer, stratus_vpc_group_index (net->vpc, r->group));
          else
            allowed = stratus_cidr_contains (r->cidr, peer_address);
          if (allowed)
            {
              char *source = r->group ? g_strdup (r->group) : stratus_cidr_format (r->cidr);
              *why = g_strdup_printf ("security group %s %s rule %u allows %s %s %s", sg->name,
                                      dir, i + 1, traffic, prep, source);
              g_free (source);
            }
        }
    }
  if (!allowed)
    {
      if (names->len == 0)
        *why = g_strdup_printf ("blocked: %s is in no security group, so nothing is allowed %s",
                                self->name, dir);
      else
        *why = g_strdup_printf ("blocked by security group %s (no %s rule for %s %s %s)",
                                names->str, dir, traffic, prep, peer_text);
    }
  g_string_free (names, TRUE);
  g_free (traffic);
  g_free (peer_text);
  return allowed;
}

/* ---- paths ---------------------------------------------------------------------------- */

typedef struct
{
  StratusNetwork *net;
  StratusPath *path;
} Walk;

static void
hop (Walk *w, char *line)
{
  g_ptr_array_add (w->path->hops, line);
}

/* Records `why` as a hop; if not `ok`, the path is blocked there. Takes `why`. */
static bool
step (Walk *w, bool ok, StratusDropReason reason, bool on_reply, char *why)
{
  hop (w, g_strdup_printf ("%s%s: %s", on_reply ? "reply: " : "", why, ok ? "ok" : "BLOCKED"));
  if (!ok)
    {
      w->path->drop = reason;
      w->path->on_reply = on_reply;
      w->path->blocker = g_str_has_prefix (why, "blocked") ? g_strdup (why)
                                                             : g_strdup_printf ("blocked: %s", why);
      if (on_reply)
        {
          char *b = g_strdup_printf ("%s (on the reply)", w->path->blocker);
          g_free (w->path->blocker);
          w->path->blocker = b;
        }
    }
  g_free (why);
  return ok;
}

/* Checks the network ACL of `subnet` and records the hop; false if it blocks. */
static bool
check_acl (Walk *w, int subnet, bool inbound, uint32_t peer, int protocol, uint16_t port,
           bool on_reply)
{
  char *why = NULL;
  bool ok = acl_allows (w->net, subnet, inbound, peer, protocol, port, &why);
  return step (w, ok, STRATUS_DROP_NETWORK_ACL, on_reply, why);
}

/* Checks the security groups of `self` and records the hop; false if they block. */
static bool
check_sg (Walk *w, const Endpoint *self, bool inbound, const Endpoint *peer, uint32_t peer_address,
          int protocol, uint16_t port)
{
  char *why = NULL;
  bool ok = sg_allows (w->net, self, inbound, peer, peer_address, protocol, port, &why);
  return step (w, ok, STRATUS_DROP_SECURITY_GROUP, false, why);
}

static void
add_leg (StratusPath *p, int resource, StratusByteClass forward, StratusByteClass backward)
{
  g_assert (p->n_legs < G_N_ELEMENTS (p->legs));
  p->legs[p->n_legs++] = (StratusPathLeg){ resource, forward, backward };
}

static StratusTime
az_hop (const StratusNetwork *net, int a, int b)
{
  return a == b ? net->scenario->latency.same_az : net->scenario->latency.cross_az;
}

static StratusByteClass
az_class (int a, int b)
{
  return a == b ? STRATUS_BYTES_SAME_AZ : STRATUS_BYTES_CROSS_AZ;
}

/* Two interfaces in the VPC. */
static void
walk_inside (Walk *w, int src_id, int dst_id, int protocol, uint16_t port)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = network_endpoint (net, src_id), *dst = network_endpoint (net, dst_id);
  char *dst_addr = stratus_address_format (dst->address);
  StratusRouteConfig route;
  const char *table;
  bool found = route_lookup (net, src->subnet, dst->address, &route, &table);
  char *why;
  if (!found || route.target != STRATUS_ROUTE_LOCAL)
    {
      bool blackhole = found && route.target == STRATUS_ROUTE_BLACKHOLE;
      why = g_strdup_printf ("route table %s has %s for %s", table,
                             blackhole ? "a blackhole route" : "no local route", dst_addr);
      g_free (dst_addr);
      step (w, false, blackhole ? STRATUS_DROP_BLACKHOLE : STRATUS_DROP_NO_ROUTE, false, why);
      return;
    }
  char *dest_text = stratus_cidr_format (route.destination);
  hop (w, g_strdup_printf ("route table %s sends %s to local (%s): ok", table, dst_addr, dest_text));
  g_free (dest_text);
  g_free (dst_addr);
  bool crossing = src->subnet != dst->subnet;
  if (!check_sg (w, src, false, dst, dst->address, protocol, port))
    return;
  if (crossing && !check_acl (w, src->subnet, false, dst->address, protocol, port, false))
    return;
  if (crossing && !check_acl (w, dst->subnet, true, src->address, protocol, port, false))
    return;
  if (!check_sg (w, dst, true, src, src->address, protocol, port))
    return;
  /* The reply: security groups are stateful; ACLs are not. */
  if (crossing
      && !check_acl (w, dst->subnet, false, src->address, protocol, EPHEMERAL_PORT, true))
    return;
  if (crossing
      && !check_acl (w, src->subnet, true, dst->address, protocol, EPHEMERAL_PORT, true))
    return;
  w->path->latency = az_hop (net, src->az, dst->az);
  add_leg (w->path, src_id, az_class (src->az, dst->az), az_class (src->az, dst->az));
}

/* From the internet to an interface (clients to an internet-facing load balancer). */
static void
walk_from_internet (Walk *w, int src_id, int dst_id, int protocol, uint16_t port)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = network_endpoint (net, src_id), *dst = network_endpoint (net, dst_id);
  char *why;
  if (net->vpc->internet_gateway == NULL)
    {
      step (w, false, STRATUS_DROP_NO_ROUTE, false,
            g_strdup ("the VPC has no internet gateway, so nothing enters from the internet"));
      return;
    }
  if (!dst->public_ip)
    {
      step (w, false, STRATUS_DROP_NO_PUBLIC_IP, false,
            g_strdup_printf ("%s has no public IPv4 address, so the internet gateway %s cannot "
                             "deliver to it", dst->name, net->vpc->internet_gateway));
      return;
    }
  hop (w, g_strdup_printf ("enters through internet gateway %s to %s's public address: ok",
                           net->vpc->internet_gateway, dst->name));
  if (!check_acl (w, dst->subnet, true, src->address, protocol, port, false))
    return;
  if (!check_sg (w, dst, true, NULL, src->address, protocol, port))
    return;
  /* The reply must route back through the internet gateway. */
  StratusRouteConfig route;
  const char *table;
  char *src_addr = stratus_address_format (src->address);
  bool found = route_lookup (net, dst->subnet, src->address, &route, &table);
  bool ok = found && route.target == STRATUS_ROUTE_INTERNET_GATEWAY;
  why = ok ? g_strdup_printf ("route table %s sends %s to internet gateway %s", table, src_addr,
                              net->vpc->internet_gateway)
           : g_strdup_printf ("no route in table %s for %s to the internet gateway", table,
                              src_addr);
  g_free (src_addr);
  if (!step (w, ok, found && route.target == STRATUS_ROUTE_BLACKHOLE ? STRATUS_DROP_BLACKHOLE
                                                                      : STRATUS_DROP_NO_ROUTE,
             true, why))
    return;
  if (!check_acl (w, dst->subnet, false, src->address, protocol, EPHEMERAL_PORT, true))
    return;
  w->path->latency = net->scenario->latency.internet;
  add_leg (w->path, dst_id, STRATUS_BYTES_INTERNET_IN, STRATUS_BYTES_INTERNET_OUT);
}

/* Out through the internet gateway: the source needs a public address for it to translate,
 * and the reply must pass the source subnet's ACL. */
static void
walk_out_gateway (Walk *w, int src_id, const Endpoint *dst, int protocol, const char *table,
                  const char *dst_addr, const char *dest_text)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = network_endpoint (net, src_id);
  hop (w, g_strdup_printf ("route table %s sends %s to internet gateway %s (%s): ok", table,
                           dst_addr, net->vpc->internet_gateway, dest_text));
  bool ok = step (w, src->public_ip, STRATUS_DROP_NO_PUBLIC_IP, false,
                  g_strdup_printf ("%s %s public IPv4 address for the internet gateway to "
                                   "translate", src->name, src->public_ip ? "has a" : "has no"));
  if (ok)
    ok = check_acl (w, src->subnet, true, dst->address, protocol, EPHEMERAL_PORT, true);
  if (ok)
    {
      w->path->latency = net->scenario->latency.internet;
      add_leg (w->path, src_id, STRATUS_BYTES_INTERNET_OUT, STRATUS_BYTES_INTERNET_IN);
    }
}

/* Checks that NAT gateway `nat`'s subnet routes `dst` on to the internet gateway and
 * records the hop; false if it does not. */
static bool
nat_routes_on (Walk *w, const StratusNatGatewayConfig *nat, int nat_subnet, const Endpoint *dst,
               const char *dst_addr)
{
  StratusNetwork *net = w->net;
  StratusRouteConfig onward;
  const char *nat_table;
  bool onward_found = route_lookup (net, nat_subnet, dst->address, &onward, &nat_table);
  bool onward_ok = onward_found && onward.target == STRATUS_ROUTE_INTERNET_GATEWAY;
  char *why
    = onward_ok ? g_strdup_printf ("NAT gateway %s translates to its Elastic IP; route table %s "
                                   "sends %s to internet gateway %s",
                                   nat->name, nat_table, dst_addr, net->vpc->internet_gateway)
      : onward_found && onward.target == STRATUS_ROUTE_BLACKHOLE
        ? g_strdup_printf ("NAT gateway %s: route table %s has a blackhole route for %s",
                           nat->name, nat_table, dst_addr)
        : g_strdup_printf ("NAT gateway %s: no route in table %s for %s to an internet "
                           "gateway", nat->name, nat_table, dst_addr);
  StratusDropReason onward_drop = onward_found && onward.target == STRATUS_ROUTE_BLACKHOLE
                                   ? STRATUS_DROP_BLACKHOLE
                                   : STRATUS_DROP_NO_ROUTE;
  return step (w, onward_ok, onward_drop, false, why);
}

/* Out through the NAT gateway `route` names, in another (or the same) subnet: its AZ must
 * be up, its subnet must route on to the internet gateway, and the network ACLs crossed
 * must pass the request and the reply. */
static void
walk_out_nat (Walk *w, int src_id, const Endpoint *dst, int protocol, uint16_t port,
              const StratusRouteConfig *route, const char *table, const char *dst_addr,
              const char *dest_text)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = network_endpoint (net, src_id);
  int n = stratus_vpc_nat_index (net->vpc, route->nat_gateway);
  g_assert (n >= 0);
  const StratusNatGatewayConfig *nat = g_ptr_array_index (net->vpc->nat_gateways, (guint) n);
  int nat_subnet = stratus_vpc_subnet_index (net->vpc, nat->subnet);
  hop (w, g_strdup_printf ("route table %s sends %s to NAT gateway %s in %s (%s): ok", table,
                           dst_addr, nat->name, nat->subnet, dest_text));
  if (net->nats[n].az >= 0 && net->nats[n].az < 64)
    w->path->az_depends |= (uint64_t) 1 << net->nats[n].az;
  if (stratus_network_az_is_down (net, net->nats[n].az))
    {
      step (w, false, STRATUS_DROP_GATEWAY_DOWN, false,
            g_strdup_printf ("NAT gateway %s is in %s, which is down", nat->name,
                             (char *) g_ptr_array_index (net->scenario->azs,
                                                         (guint) net->nats[n].az)));
      return;
    }
  if (net->nat_failed[n] > 0)
    {
      step (w, false, STRATUS_DROP_GATEWAY_DOWN, false,
            g_strdup_printf ("NAT gateway %s has failed", nat->name));
      return;
    }
  bool nat_cut = network_subnet_cut (net, nat_subnet, STRATUS_DISRUPT_ALL)
                 || network_subnet_cut (net, nat_subnet, STRATUS_DISRUPT_INTERNET)
                 || (net->nats[n].az != src->az
                     && (network_subnet_cut (net, nat_subnet, STRATUS_DISRUPT_OTHER_AZS)
                         || network_cut (net, src, STRATUS_DISRUPT_OTHER_AZS)));
  if (nat_cut)
    {
      step (w, false, STRATUS_DROP_DISRUPTED, false,
            g_strdup_printf ("connectivity of NAT gateway %s's subnet %s is disrupted",
                             nat->name, nat->subnet));
      return;
    }
  bool crossing = nat_subnet != src->subnet;
  /* A NAT gateway has no security group; its subnet's ACL sees the packet both ways. */
  if (crossing
      && !check_acl (w, nat_subnet, true, src->address, protocol, port, false))
    return;
  if (!nat_routes_on (w, nat, nat_subnet, dst, dst_addr)
      || !check_acl (w, nat_subnet, false, dst->address, protocol, port, false)
      || !check_acl (w, nat_subnet, true, dst->address, protocol, EPHEMERAL_PORT, true))
    return;
  if (crossing
      && (!check_acl (w, nat_subnet, false, src->address, protocol, EPHEMERAL_PORT, true)))
    return;
  if (!check_acl (w, src->subnet, true, dst->address, protocol, EPHEMERAL_PORT, true))
    return;
  w->path->nat = n;
  w->path->latency = stratus_time_add (az_hop (net, src->az, net->nats[n].az),
                                       net->scenario->latency.internet);
  StratusByteClass to_nat = az_class (src->az, net->nats[n].az);
  add_leg (w->path, src_id, to_nat, to_nat);
  int nat_resource = stratus_network_nat_resource (net, n);
  add_leg (w->path, nat_resource, STRATUS_BYTES_NAT, STRATUS_BYTES_NAT);
  add_leg (w->path, nat_resource, STRATUS_BYTES_INTERNET_OUT, STRATUS_BYTES_INTERNET_IN);
}

/* From an interface out to the internet (outbound calls), directly or through a NAT. */
static void
walk_to_internet (Walk *w, int src_id, int dst_id, int protocol, uint16_t port)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = network_endpoint (net, src_id), *dst = network_endpoint (net, dst_id);
  char *dst_addr = stratus_address_format (dst->address);
  StratusRouteConfig route;
  const char *table;
  char *why;
  bool found = route_lookup (net, src->subnet, dst->address, &route, &table);
  const char *sub = network_subnet_at (net, src->subnet)->name;
  if (!found || route.target == STRATUS_ROUTE_LOCAL)
    {
      why = g_strdup_printf ("%s (%s) -> internet: no route in table %s for %s", src->name, sub,
                             table, dst_addr);
      g_free (dst_addr);
      step (w, false, STRATUS_DROP_NO_ROUTE, false, why);
      return;
    }
  if (route.target == STRATUS_ROUTE_BLACKHOLE)
    {
      why = g_strdup_printf ("route table %s has a blackhole route for %s", table, dst_addr);
      g_free (dst_addr);
      step (w, false, STRATUS_DROP_BLACKHOLE, false, why);
      return;
    }
  char *dest_text = stratus_cidr_format (route.destination);
  bool leaves = check_sg (w, src, false, NULL, dst->address, protocol, port)
                && check_acl (w, src->subnet, false, dst->address, protocol, port, false);
  if (leaves && route.target == STRATUS_ROUTE_INTERNET_GATEWAY)
    walk_out_gateway (w, src_id, dst, protocol, table, dst_addr, dest_text);
  else if (leaves)
    walk_out_nat (w, src_id, dst, protocol, port, &route, table, dst_addr, dest_text);
  g_free (dest_text);
  g_free (dst_addr);
}

/* The flat network: every path is open; latency from the table. */
static void
walk_flat (Walk *w, int src_id, int dst_id)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = network_endpoint (net, src_id), *dst = network_endpoint (net, dst_id);
  if (src->internet || dst->internet)
    {
      bool inbound = src->internet;
      int inside = inbound ? dst_id : src_id;
      w->path->latency = src->internet && dst->internet ? 0 : net->scenario->latency.internet;
      if (!(src->internet && dst->internet))
        add_leg (w->path, inside, inbound ? STRATUS_BYTES_INTERNET_IN : STRATUS_BYTES_INTERNET_OUT,
                 inbound ? STRATUS_BYTES_INTERNET_OUT : STRATUS_BYTES_INTERNET_IN);
      hop (w, g_strdup ("flat network (no vpc section): the internet is one hop away: ok"));
      return;
    }
  w->path->latency = az_hop (net, src->az, dst->az);
  add_leg (w->path, src_id, az_class (src->az, dst->az), az_class (src->az, dst->az));
  hop (w, g_strdup_printf ("flat network (no vpc section): %s hop: ok",
                           src->az == dst->az ? "same-AZ" : "cross-AZ"));
}

/* Why a connectivity disruption cuts the path from `s` to `d` (the caller frees it), or
 * NULL when none does. */
static char *
disruption (const StratusNetwork *net, const Endpoint *s, const Endpoint *d)
{
  const Endpoint *ends[] = { s, d };
  for (int i = 0; i < 2; i++)
    {
      const Endpoint *e = ends[i], *other = ends[1 - i];
      if (network_cut (net, e, STRATUS_DISRUPT_ALL))
        return g_strdup_printf ("connectivity of %s is disrupted (all traffic)", e->name);
      if (other->internet && network_cut (net, e, STRATUS_DISRUPT_INTERNET))
        return g_strdup_printf ("connectivity of %s to the internet is disrupted", e->name);
      if (!other->internet && !e->internet && other->az != e->az
          && network_cut (net, e, STRATUS_DISRUPT_OTHER_AZS))
        return g_strdup_printf ("connectivity of %s to other AZs is disrupted", e->name);
    }
  return NULL;
}

StratusPath *
network_walk_path (StratusNetwork *net, int src, int dst, int protocol, uint16_t port)
{
  StratusPath *path = g_new0 (StratusPath, 1);
  path->hops = g_ptr_array_new_with_free_func (g_free);
  path->nat = -1;
  Walk w = { net, path };
  const Endpoint *s = network_endpoint (net, src), *d = network_endpoint (net, dst);
  if (s->az >= 0 && s->az < 64)
    path->az_depends |= (uint64_t) 1 << s->az;
  if (d->az >= 0 && d->az < 64)
    path->az_depends |= (uint64_t) 1 << d->az;
  const Endpoint *dark = stratus_network_az_is_down (net, s->az)   ? s
                         : stratus_network_az_is_down (net, d->az) ? d
                                                                   : NULL;
  char *cut = NULL;
  if (dark != NULL)
    step (&w, false, STRATUS_DROP_AZ_DOWN, false,
          g_strdup_printf ("%s is in %s, which is down", dark->name,
                           (char *) g_ptr_array_index (net->scenario->azs, (guint) dark->az)));
  else if ((cut = disruption (net, s, d)) != NULL)
    step (&w, false, STRATUS_DROP_DISRUPTED, false, cut);
  else if (net->vpc == NULL)
    walk_flat (&w, src, dst);
  else if (s->internet && d->internet)
    hop (&w, g_strdup ("both ends are on the internet: ok"));
  else if (s->internet)
    walk_from_internet (&w, src, dst, protocol, port);
  else if (d->internet)
    walk_to_internet (&w, src, dst, protocol, port);
  else
    walk_inside (&w, src, dst, protocol, port);
  if (path->drop == STRATUS_DROP_NONE && net->injections->len > 0)
    network_apply_injections (net, path, s, d);
  return path;
}

StratusPath *
stratus_network_describe_path (StratusNetwork *net, int src, int dst, int protocol,
                               uint16_t port)
{
  return network_walk_path (net, src, dst, protocol, port);
}
