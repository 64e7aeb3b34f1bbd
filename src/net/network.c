/* Paths through a VPC, hop by hop, with the reason and the hop that blocks a message. */
#include "stratus/network.h"

#include <string.h>

#include "stratus/units.h"

/* Replies go to the sender's ephemeral port; network ACLs see this one (inside both
 * Linux's 32768-60999 and the IANA 49152-65535 ranges). */
#define EPHEMERAL_PORT 49152
#define NAT_MIN_BPS 5e9
#define NAT_MAX_BPS 100e9

typedef struct
{
  char *name;
  bool internet;
  uint32_t address;
  int subnet;
  int az;
  GArray *groups; /* int: indices in vpc->security_groups */
  bool public_ip;
  int cls;        /* its class: endpoints of one class get the same verdicts */
} Endpoint;

/* The verdict of every path between two classes of endpoints on one protocol and port:
 * the path of a representative pair, without its text. */
typedef struct
{
  StratusPath *tmpl; /* legs name rep_src, rep_dst or a NAT gateway */
  int rep_src, rep_dst;
  guint id;
} ClassVerdict;

/* A verdict with its legs charged to actual endpoints (-1: the leg does not use it). */
typedef struct
{
  guint verdict;
  int src, dst;
} ResolvedKey;

typedef struct
{
  int n_addresses;
  int az;
  GHashTable *connections; /* destination key -> open count */
  double capacity_bps;
  int64_t window;          /* current one-second window (seconds since 0) */
  uint64_t window_bytes;   /* passed in the window */
  uint64_t window_demand;  /* offered in the window, passed or not */
} Nat;

struct StratusNetwork
{
  const StratusScenario *scenario;
  const StratusVpcConfig *vpc; /* NULL: flat */
  GArray *endpoints;           /* Endpoint */
  uint64_t *next_host;         /* per subnet: next host number to hand out */
  uint32_t next_flat_host;
  Nat *nats;
  int n_nats;
  GHashTable *cache; /* packed (src, dst, protocol, port) -> StratusPath* */
  bool *uniform;      /* per subnet: no rule or route splits it (see subnet_is_uniform) */
  GHashTable *classes;  /* char* descriptor -> class id + 1 */
  GHashTable *verdicts; /* packed (src class, dst class, protocol, port) -> ClassVerdict* */
  GHashTable *resolved; /* ResolvedKey* -> StratusPath* (no text), owned */
  guint n_verdicts;
  GPtrArray *retired; /* paths of earlier topology versions, kept valid until the end */
  unsigned version;
  uint64_t az_down;   /* bit per failed AZ */
  GArray *bytes;     /* uint64_t[STRATUS_N_BYTE_CLASSES] per endpoint */
  uint64_t (*nat_bytes)[STRATUS_N_BYTE_CLASSES]; /* per NAT gateway */
  uint64_t drops[STRATUS_N_DROP_REASONS];
};

static const char *const drop_names[STRATUS_N_DROP_REASONS] = {
  "none", "no_route", "blackhole", "network_acl", "security_group", "no_public_ip",
  "gateway_down", "az_down", "nat_port_exhaustion", "nat_bandwidth", "nat_idle_timeout",
};

static const char *const class_names[STRATUS_N_BYTE_CLASSES] = {
  "same_az", "cross_az", "nat", "internet_in", "internet_out",
};

const char *
stratus_drop_reason_name (StratusDropReason reason)
{
  return drop_names[reason];
}

const char *
stratus_byte_class_name (StratusByteClass cls)
{
  return class_names[cls];
}

/* ---- construction ----------------------------------------------------------------- */



static const StratusSubnetConfig *
subnet_at (const StratusNetwork *net, int i)
{
  return g_ptr_array_index (net->vpc->subnets, (guint) i);
}

static void
path_free (gpointer data)
{
  StratusPath *p = data;
  g_free (p->blocker);
  if (p->hops != NULL)
    g_ptr_array_unref (p->hops);
  g_free (p);
}

void
stratus_path_free (StratusPath *path)
{
  if (path != NULL)
    path_free (path);
}

static void
class_verdict_free (gpointer data)
{
  ClassVerdict *v = data;
  path_free (v->tmpl);
  g_free (v);
}

/* A 64-bit key, mixed (murmur3's finaliser): g_int64_hash folds the halves together, which
 * for packed (src, dst, protocol, port) keys collides so often that lookups turn linear. */
static guint
key64_hash (gconstpointer p)
{
  uint64_t x = *(const uint64_t *) p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return (guint) x;
}

static guint
resolved_hash (gconstpointer p)
{
  const ResolvedKey *k = p;
  uint64_t x = ((uint64_t) k->verdict << 40) ^ ((uint64_t) (uint32_t) k->src << 20)
               ^ (uint64_t) (uint32_t) k->dst;
  return key64_hash (&x);
}

static gboolean
resolved_equal (gconstpointer a, gconstpointer b)
{
  const ResolvedKey *x = a, *y = b;
  return x->verdict == y->verdict && x->src == y->src && x->dst == y->dst;
}

/* True if `block` holds some but not all of the addresses of `subnet`. */
static bool
splits (StratusCidr block, StratusCidr subnet)
{
  return stratus_cidr_overlaps (block, subnet) && !stratus_cidr_covers (block, subnet);
}

/* True if no network ACL rule, security-group rule or route of the VPC names a block that
 * splits the subnet: then every address in it meets the same rules, and a path's verdict
 * depends on its subnet, not on its address. */
static bool
subnet_is_uniform (const StratusVpcConfig *vpc, StratusCidr sub)
{
  for (guint i = 0; i < vpc->network_acls->len; i++)
    {
      const StratusNetworkAclConfig *acl = g_ptr_array_index (vpc->network_acls, i);
      GArray *lists[] = { acl->inbound, acl->outbound };
      for (int l = 0; l < 2; l++)
        for (guint r = 0; r < lists[l]->len; r++)
          if (splits (g_array_index (lists[l], StratusAclRuleConfig, r).cidr, sub))
            return false;
    }
  for (guint i = 0; i < vpc->security_groups->len; i++)
    {
      const StratusSecurityGroupConfig *sg = g_ptr_array_index (vpc->security_groups, i);
      GArray *lists[] = { sg->inbound, sg->outbound };
      for (int l = 0; l < 2; l++)
        for (guint r = 0; r < lists[l]->len; r++)
          {
            const StratusSgRuleConfig *rule = &g_array_index (lists[l], StratusSgRuleConfig, r);
            if (rule->group == NULL && splits (rule->cidr, sub))
              return false;
          }
    }
  for (guint i = 0; i < vpc->route_tables->len; i++)
    {
      const StratusRouteTableConfig *t = g_ptr_array_index (vpc->route_tables, i);
      for (guint r = 0; r < t->routes->len; r++)
        if (splits (g_array_index (t->routes, StratusRouteConfig, r).destination, sub))
          return false;
    }
  return true;
}

static void
nats_init (StratusNetwork *net)
{
  net->n_nats = (int) net->vpc->nat_gateways->len;
  net->nats = g_new0 (Nat, net->n_nats ? net->n_nats : 1);
  net->nat_bytes = g_malloc0 (sizeof *net->nat_bytes * (size_t) (net->n_nats ? net->n_nats : 1));
  for (int i = 0; i < net->n_nats; i++)
    {
      const StratusNatGatewayConfig *cfg = g_ptr_array_index (net->vpc->nat_gateways, (guint) i);
      Nat *nat = &net->nats[i];
      nat->n_addresses = (int) cfg->elastic_ips->len;
      int s = stratus_vpc_subnet_index (net->vpc, cfg->subnet);
      nat->az = s >= 0 ? subnet_at (net, s)->az_index : 0;
      nat->connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      nat->capacity_bps = NAT_MIN_BPS;
      /* The NAT gateway takes an address in its subnet, like any interface. */
      if (s >= 0)
        net->next_host[s]++;
    }
}

StratusNetwork *
stratus_network_new (const StratusScenario *scenario)
{
  StratusNetwork *net = g_new0 (StratusNetwork, 1);
  net->scenario = scenario;
  net->vpc = scenario->vpc;
  net->endpoints = g_array_new (FALSE, TRUE, sizeof (Endpoint));
  net->cache = g_hash_table_new_full (key64_hash, g_int64_equal, g_free, NULL);
  net->classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  net->verdicts = g_hash_table_new_full (key64_hash, g_int64_equal, g_free, class_verdict_free);
  net->resolved = g_hash_table_new_full (resolved_hash, resolved_equal, g_free, NULL);
  net->retired = g_ptr_array_new_with_free_func (path_free);
  net->bytes = g_array_new (FALSE, TRUE, sizeof (uint64_t) * STRATUS_N_BYTE_CLASSES);
  net->next_flat_host = 4;
  if (net->vpc != NULL)
    {
      guint n = net->vpc->subnets->len;
      net->next_host = g_new (uint64_t, n ? n : 1);
      net->uniform = g_new (bool, n ? n : 1);
      for (guint i = 0; i < n; i++)
        {
          net->next_host[i] = 4; /* AWS reserves the first four addresses of a subnet */
          net->uniform[i] = subnet_is_uniform (net->vpc, subnet_at (net, (int) i)->cidr);
        }
      nats_init (net);
    }
  return net;
}

/* Frees every path of `table` (a value per entry). */
static void
free_path_values (GHashTable *table)
{
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, NULL, &value))
    path_free (value);
}

void
stratus_network_free (StratusNetwork *net)
{
  if (net == NULL)
    return;
  for (guint i = 0; i < net->endpoints->len; i++)
    {
      Endpoint *e = &g_array_index (net->endpoints, Endpoint, i);
      g_free (e->name);
      if (e->groups)
        g_array_unref (e->groups);
    }
  g_array_unref (net->endpoints);
  for (int i = 0; i < net->n_nats; i++)
    g_hash_table_unref (net->nats[i].connections);
  g_free (net->nats);
  g_free (net->nat_bytes);
  g_free (net->next_host);
  g_free (net->uniform);
  free_path_values (net->cache);
  g_hash_table_unref (net->cache);
  free_path_values (net->resolved);
  g_hash_table_unref (net->resolved);
  g_hash_table_unref (net->verdicts);
  g_hash_table_unref (net->classes);
  g_ptr_array_unref (net->retired);
  g_array_unref (net->bytes);
  g_free (net);
}

/* Moves the paths of `table` that depend on AZ `az` to the retired ones (holders may
 * still point at them); the others stay cached. */
static void
retire_paths (StratusNetwork *net, GHashTable *table, int az)
{
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      StratusPath *path = value;
      if ((path->az_depends >> az & 1) == 0)
        continue;
      g_ptr_array_add (net->retired, path);
      g_hash_table_iter_remove (&it);
    }
}

void
stratus_network_set_az_down (StratusNetwork *net, int az, bool down)
{
  g_assert (az >= 0 && az < 64);
  uint64_t bit = (uint64_t) 1 << az;
  uint64_t mask = down ? net->az_down | bit : net->az_down & ~bit;
  if (mask == net->az_down)
    return;
  net->az_down = mask;
  net->version++;
  retire_paths (net, net->cache, az);
  retire_paths (net, net->resolved, az);
  /* Class verdicts that depend on the AZ are walked again; their ids are not reused, so
   * resolved paths of the others stay keyed right. */
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, net->verdicts);
  while (g_hash_table_iter_next (&it, NULL, &value))
    if ((((ClassVerdict *) value)->tmpl->az_depends >> az & 1) != 0)
      g_hash_table_iter_remove (&it);
}

bool
stratus_network_az_is_down (const StratusNetwork *net, int az)
{
  return az >= 0 && az < 64 && (net->az_down >> az & 1) != 0;
}

unsigned
stratus_network_version (const StratusNetwork *net)
{
  return net->version;
}

const unsigned *
stratus_network_version_location (const StratusNetwork *net)
{
  return &net->version;
}

/* The class of `e`: what a path's verdict may depend on. An internet endpoint: its
 * address. Any other: its subnet, AZ, public address (yes or no) and security groups, and
 * its own address when the subnet is not uniform. Interned: equal descriptions, one id. */
static int
endpoint_class (StratusNetwork *net, const Endpoint *e)
{
  GString *d = g_string_new (NULL);
  if (e->internet)
    g_string_append_printf (d, "i%u", e->address);
  else
    {
      g_string_append_printf (d, "e%d/%d/%d/", e->subnet, e->az, e->public_ip ? 1 : 0);
      for (guint i = 0; e->groups != NULL && i < e->groups->len; i++)
        g_string_append_printf (d, "%d,", g_array_index (e->groups, int, i));
      if (net->vpc != NULL && (e->subnet < 0 || !net->uniform[e->subnet]))
        g_string_append_printf (d, "a%u", e->address);
    }
  gpointer found = g_hash_table_lookup (net->classes, d->str);
  if (found != NULL)
    {
      g_string_free (d, TRUE);
      return GPOINTER_TO_INT (found) - 1;
    }
  int id = (int) g_hash_table_size (net->classes);
  g_hash_table_insert (net->classes, g_string_free (d, FALSE), GINT_TO_POINTER (id + 1));
  return id;
}

int
stratus_network_add_endpoint (StratusNetwork *net, const StratusEndpointSpec *spec)
{
  Endpoint e = { .name = g_strdup (spec->name), .internet = spec->internet,
                 .subnet = spec->subnet, .az = spec->az, .public_ip = spec->public_ip };
  if (spec->internet)
    e.address = spec->address;
  else if (net->vpc != NULL && spec->subnet >= 0)
    {
      const StratusSubnetConfig *sub = subnet_at (net, spec->subnet);
      uint64_t host = net->next_host[spec->subnet]++;
      /* The last address is reserved too; a full subnet wraps (stratus_model_check refuses
       * it, see stratus_network_overfull_subnet). */
      uint64_t usable = stratus_cidr_size (sub->cidr) - 5;
      e.address = stratus_cidr_nth (sub->cidr, 4 + (host - 4) % (usable ? usable : 1));
      e.az = sub->az_index;
    }
  else
    e.address = (10u << 24) | net->next_flat_host++;
  if (net->vpc != NULL && spec->security_groups != NULL)
    {
      e.groups = g_array_new (FALSE, FALSE, sizeof (int));
      for (guint i = 0; i < spec->security_groups->len; i++)
        {
          int g = stratus_vpc_group_index (net->vpc, g_ptr_array_index (spec->security_groups, i));
          g_assert (g >= 0); /* the scenario checked the reference */
          g_array_append_val (e.groups, g);
        }
    }
  e.cls = endpoint_class (net, &e);
  g_array_append_val (net->endpoints, e);
  uint64_t zero[STRATUS_N_BYTE_CLASSES] = { 0 };
  g_array_append_val (net->bytes, zero);
  return (int) net->endpoints->len - 1;
}

int
stratus_network_overfull_subnet (const StratusNetwork *net, unsigned *placed, unsigned *usable)
{
  for (guint i = 0; net->vpc != NULL && i < net->vpc->subnets->len; i++)
    {
      uint64_t room = stratus_cidr_size (subnet_at (net, (int) i)->cidr) - 5;
      uint64_t used = net->next_host[i] - 4;
      if (used > room)
        {
          *placed = (unsigned) used;
          *usable = (unsigned) room;
          return (int) i;
        }
    }
  return -1;
}

int
stratus_network_overfull_subnet_of (const StratusScenario *s, unsigned *placed,
                                    unsigned *usable)
{
  const StratusVpcConfig *vpc = s->vpc;
  if (vpc == NULL)
    return -1;
  guint n = vpc->subnets->len;
  uint64_t *used = g_new0 (uint64_t, n ? n : 1);
  for (guint i = 0; i < vpc->nat_gateways->len; i++)
    {
      const StratusNatGatewayConfig *nat = g_ptr_array_index (vpc->nat_gateways, i);
      int k = stratus_vpc_subnet_index (vpc, nat->subnet);
      if (k >= 0)
        used[k]++;
    }
  for (guint f = 0; f < s->fleets->len; f++)
    {
      /* Instance i goes to subnet i mod k of the fleet's list (world.c). */
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      guint k = fleet->subnets != NULL ? fleet->subnets->len : 0;
      for (guint j = 0; j < k && fleet->count > 0; j++)
        {
          int sub = stratus_vpc_subnet_index (vpc, g_ptr_array_index (fleet->subnets, j));
          if (sub >= 0)
            used[sub] += (uint64_t) fleet->count / k + (j < (uint64_t) fleet->count % k);
        }
    }
  for (guint i = 0; i < s->load_balancers->len; i++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      for (guint j = 0; lb->subnets != NULL && j < lb->subnets->len; j++)
        {
          int sub = stratus_vpc_subnet_index (vpc, g_ptr_array_index (lb->subnets, j));
          if (sub >= 0)
            used[sub]++;
        }
    }
  int full = -1;
  for (guint i = 0; i < n && full < 0; i++)
    {
      uint64_t room = stratus_cidr_size (((StratusSubnetConfig *) g_ptr_array_index (vpc->subnets,
                                                                                     i))->cidr) - 5;
      if (used[i] > room)
        {
          full = (int) i;
          *placed = (unsigned) MIN (used[i], (uint64_t) UINT_MAX);
          *usable = (unsigned) room;
        }
    }
  g_free (used);
  return full;
}

static const Endpoint *
endpoint (const StratusNetwork *net, int id)
{
  g_assert (id >= 0 && (guint) id < net->endpoints->len);
  return &g_array_index (net->endpoints, Endpoint, id);
}

const char *
stratus_network_endpoint_name (const StratusNetwork *net, int id)
{
  return endpoint (net, id)->name;
}

uint32_t
stratus_network_endpoint_address (const StratusNetwork *net, int id)
{
  return endpoint (net, id)->address;
}

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
  const StratusSubnetConfig *sub = subnet_at (net, subnet);
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
  const char *acl_name = subnet_at (net, subnet)->network_acl;
  const StratusNetworkAclConfig *acl = stratus_vpc_find_network_acl (net->vpc, acl_name);
  const char *sub = subnet_at (net, subnet)->name;
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
  const Endpoint *src = endpoint (net, src_id), *dst = endpoint (net, dst_id);
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
  const Endpoint *src = endpoint (net, src_id), *dst = endpoint (net, dst_id);
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

/* From an interface out to the internet (outbound calls), directly or through a NAT. */
static void
walk_to_internet (Walk *w, int src_id, int dst_id, int protocol, uint16_t port)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = endpoint (net, src_id), *dst = endpoint (net, dst_id);
  char *dst_addr = stratus_address_format (dst->address);
  StratusRouteConfig route;
  const char *table;
  char *why;
  bool found = route_lookup (net, src->subnet, dst->address, &route, &table);
  const char *sub = subnet_at (net, src->subnet)->name;
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
  if (!check_sg (w, src, false, NULL, dst->address, protocol, port)
      || !check_acl (w, src->subnet, false, dst->address, protocol, port, false))
    {
      g_free (dest_text);
      g_free (dst_addr);
      return;
    }
  if (route.target == STRATUS_ROUTE_INTERNET_GATEWAY)
    {
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
      g_free (dest_text);
      g_free (dst_addr);
      return;
    }
  /* Through a NAT gateway in another (or the same) subnet. */
  int n = stratus_vpc_nat_index (net->vpc, route.nat_gateway);
  g_assert (n >= 0);
  const StratusNatGatewayConfig *nat = g_ptr_array_index (net->vpc->nat_gateways, (guint) n);
  int nat_subnet = stratus_vpc_subnet_index (net->vpc, nat->subnet);
  hop (w, g_strdup_printf ("route table %s sends %s to NAT gateway %s in %s (%s): ok", table,
                           dst_addr, nat->name, nat->subnet, dest_text));
  g_free (dest_text);
  if (net->nats[n].az >= 0 && net->nats[n].az < 64)
    w->path->az_depends |= (uint64_t) 1 << net->nats[n].az;
  if (stratus_network_az_is_down (net, net->nats[n].az))
    {
      g_free (dst_addr);
      step (w, false, STRATUS_DROP_GATEWAY_DOWN, false,
            g_strdup_printf ("NAT gateway %s is in %s, which is down", nat->name,
                             (char *) g_ptr_array_index (net->scenario->azs,
                                                         (guint) net->nats[n].az)));
      return;
    }
  bool crossing = nat_subnet != src->subnet;
  /* A NAT gateway has no security group; its subnet's ACL sees the packet both ways. */
  if (crossing
      && !check_acl (w, nat_subnet, true, src->address, protocol, port, false))
    {
      g_free (dst_addr);
      return;
    }
  StratusRouteConfig onward;
  const char *nat_table;
  bool onward_found = route_lookup (net, nat_subnet, dst->address, &onward, &nat_table);
  bool onward_ok = onward_found && onward.target == STRATUS_ROUTE_INTERNET_GATEWAY;
  why = onward_ok ? g_strdup_printf ("NAT gateway %s translates to its Elastic IP; route table %s "
                                     "sends %s to internet gateway %s",
                                     nat->name, nat_table, dst_addr, net->vpc->internet_gateway)
                  : onward_found && onward.target == STRATUS_ROUTE_BLACKHOLE
                    ? g_strdup_printf ("NAT gateway %s: route table %s has a blackhole route for %s",
                                       nat->name, nat_table, dst_addr)
                    : g_strdup_printf ("NAT gateway %s: no route in table %s for %s to an internet "
                                       "gateway", nat->name, nat_table, dst_addr);
  g_free (dst_addr);
  StratusDropReason onward_drop = onward_found && onward.target == STRATUS_ROUTE_BLACKHOLE
                                   ? STRATUS_DROP_BLACKHOLE
                                   : STRATUS_DROP_NO_ROUTE;
  if (!step (w, onward_ok, onward_drop, false, why)
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

/* The flat network: every path is open; latency from the table. */
static void
walk_flat (Walk *w, int src_id, int dst_id)
{
  StratusNetwork *net = w->net;
  const Endpoint *src = endpoint (net, src_id), *dst = endpoint (net, dst_id);
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

/* Walks the path from `src` to `dst` hop by hop, with its text. The caller owns it. */
static StratusPath *
walk_path (StratusNetwork *net, int src, int dst, int protocol, uint16_t port)
{
  StratusPath *path = g_new0 (StratusPath, 1);
  path->hops = g_ptr_array_new_with_free_func (g_free);
  path->nat = -1;
  Walk w = { net, path };
  const Endpoint *s = endpoint (net, src), *d = endpoint (net, dst);
  if (s->az >= 0 && s->az < 64)
    path->az_depends |= (uint64_t) 1 << s->az;
  if (d->az >= 0 && d->az < 64)
    path->az_depends |= (uint64_t) 1 << d->az;
  const Endpoint *dark = stratus_network_az_is_down (net, s->az)   ? s
                         : stratus_network_az_is_down (net, d->az) ? d
                                                                   : NULL;
  if (dark != NULL)
    step (&w, false, STRATUS_DROP_AZ_DOWN, false,
          g_strdup_printf ("%s is in %s, which is down", dark->name,
                           (char *) g_ptr_array_index (net->scenario->azs, (guint) dark->az)));
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
  return path;
}

/* (a, b, protocol, port) in 64 bits; a, b < 2^20. */
static uint64_t
pack_key (int a, int b, int protocol, uint16_t port)
{
  g_assert (a >= 0 && a < (1 << 20) && b >= 0 && b < (1 << 20));
  return ((uint64_t) a << 44) | ((uint64_t) b << 24) | ((uint64_t) (protocol & 0xff) << 16)
         | port;
}

const StratusPath *
stratus_network_path (StratusNetwork *net, int src, int dst, int protocol, uint16_t port)
{
  uint64_t key = pack_key (src, dst, protocol, port);
  StratusPath *path = g_hash_table_lookup (net->cache, &key);
  if (path != NULL)
    return path;
  path = walk_path (net, src, dst, protocol, port);
  g_hash_table_insert (net->cache, g_memdup2 (&key, sizeof key), path);
  return path;
}

StratusPath *
stratus_network_describe_path (StratusNetwork *net, int src, int dst, int protocol,
                               uint16_t port)
{
  return walk_path (net, src, dst, protocol, port);
}

/* The verdict of the class pair of (src, dst), found by walking this pair if it is the
 * first of its classes. */
static const ClassVerdict *
class_verdict (StratusNetwork *net, int src, int dst, int protocol, uint16_t port)
{
  uint64_t key = pack_key (endpoint (net, src)->cls, endpoint (net, dst)->cls, protocol, port);
  ClassVerdict *v = g_hash_table_lookup (net->verdicts, &key);
  if (v != NULL)
    return v;
  v = g_new0 (ClassVerdict, 1);
  v->tmpl = walk_path (net, src, dst, protocol, port);
  g_clear_pointer (&v->tmpl->hops, g_ptr_array_unref);
  g_clear_pointer (&v->tmpl->blocker, g_free);
  v->rep_src = src;
  v->rep_dst = dst;
  v->id = net->n_verdicts++;
  g_hash_table_insert (net->verdicts, g_memdup2 (&key, sizeof key), v);
  return v;
}

const StratusPath *
stratus_network_verdict (StratusNetwork *net, int src, int dst, int protocol, uint16_t port)
{
  const ClassVerdict *v = class_verdict (net, src, dst, protocol, port);
  ResolvedKey key = { v->id, -1, -1 };
  for (unsigned i = 0; i < v->tmpl->n_legs; i++)
    {
      int r = v->tmpl->legs[i].resource;
      if (r >= 0 && r == v->rep_src)
        key.src = src;
      else if (r >= 0 && r == v->rep_dst)
        key.dst = dst;
    }
  StratusPath *path = g_hash_table_lookup (net->resolved, &key);
  if (path != NULL)
    return path;
  path = g_memdup2 (v->tmpl, sizeof *v->tmpl);
  for (unsigned i = 0; i < path->n_legs; i++)
    {
      int r = path->legs[i].resource;
      if (r >= 0 && r == v->rep_src)
        path->legs[i].resource = src;
      else if (r >= 0 && r == v->rep_dst)
        path->legs[i].resource = dst;
    }
  g_hash_table_insert (net->resolved, g_memdup2 (&key, sizeof key), path);
  return path;
}

/* ---- counters ------------------------------------------------------------------------ */

int
stratus_network_resource_count (const StratusNetwork *net)
{
  return (int) net->endpoints->len + net->n_nats;
}

int
stratus_network_nat_resource (const StratusNetwork *net, int nat)
{
  g_assert (nat >= 0 && nat < net->n_nats);
  return -1 - nat; /* stable whatever endpoints come later */
}

const char *
stratus_network_resource_name (const StratusNetwork *net, int resource)
{
  if (resource < (int) net->endpoints->len)
    return endpoint (net, resource)->name;
  const StratusNatGatewayConfig *nat
    = g_ptr_array_index (net->vpc->nat_gateways, (guint) (resource - (int) net->endpoints->len));
  return nat->name;
}

bool
stratus_network_resource_inside (const StratusNetwork *net, int index)
{
  return index >= (int) net->endpoints->len || !endpoint (net, index)->internet;
}

/* The counters of a leg's resource: an endpoint id, or -1 - n for NAT gateway n. */
static uint64_t *
leg_bytes (StratusNetwork *net, int resource)
{
  if (resource < 0)
    return net->nat_bytes[-1 - resource];
  return (uint64_t *) (void *) (net->bytes->data
                                + (size_t) resource * sizeof (uint64_t) * STRATUS_N_BYTE_CLASSES);
}

void
stratus_network_count_bytes (StratusNetwork *net, const StratusPath *path, uint64_t forward_bytes,
                             uint64_t backward_bytes)
{
  for (unsigned i = 0; i < path->n_legs; i++)
    {
      uint64_t *row = leg_bytes (net, path->legs[i].resource);
      row[path->legs[i].forward] = stratus_bytes_add (row[path->legs[i].forward], forward_bytes);
      row[path->legs[i].backward] = stratus_bytes_add (row[path->legs[i].backward],
                                                       backward_bytes);
    }
}

void
stratus_network_count_drop (StratusNetwork *net, StratusDropReason reason)
{
  net->drops[reason]++;
}

uint64_t
stratus_network_bytes (const StratusNetwork *net, int resource, StratusByteClass cls)
{
  int endpoints = (int) net->endpoints->len;
  g_assert (resource >= 0 && resource < stratus_network_resource_count (net));
  if (resource >= endpoints)
    return net->nat_bytes[resource - endpoints][cls];
  return leg_bytes ((StratusNetwork *) net, resource)[cls];
}

uint64_t
stratus_network_drops (const StratusNetwork *net, StratusDropReason reason)
{
  return net->drops[reason];
}

void
stratus_network_reset_counters (StratusNetwork *net)
{
  memset (net->bytes->data, 0, (size_t) net->bytes->len * sizeof (uint64_t) * STRATUS_N_BYTE_CLASSES);
  memset (net->drops, 0, sizeof net->drops);
  if (net->n_nats > 0)
    memset (net->nat_bytes, 0, sizeof *net->nat_bytes * (size_t) net->n_nats);
}

/* ---- NAT gateways ---------------------------------------------------------------------- */

static gint64
connection_key (uint32_t address, uint16_t port, int protocol)
{
  return ((gint64) address << 24) | ((gint64) port << 8) | (protocol & 0xff);
}

bool
stratus_network_nat_open (StratusNetwork *net, int n, uint32_t address, uint16_t port, int protocol,
                          StratusDropReason *why)
{
  Nat *nat = &net->nats[n];
  gint64 key = connection_key (address, port, protocol);
  guint open = GPOINTER_TO_UINT (g_hash_table_lookup (nat->connections, &key));
  if (open >= (guint) STRATUS_NAT_CONNECTIONS_PER_ADDRESS * (guint) nat->n_addresses)
    {
      if (why)
        *why = STRATUS_DROP_NAT_PORT_EXHAUSTION;
      return false;
    }
  gint64 *k = g_new (gint64, 1);
  *k = key;
  g_hash_table_replace (nat->connections, k, GUINT_TO_POINTER (open + 1));
  return true;
}

void
stratus_network_nat_close (StratusNetwork *net, int n, uint32_t address, uint16_t port, int protocol)
{
  Nat *nat = &net->nats[n];
  gint64 key = connection_key (address, port, protocol);
  guint open = GPOINTER_TO_UINT (g_hash_table_lookup (nat->connections, &key));
  g_assert (open > 0);
  if (open == 1)
    g_hash_table_remove (nat->connections, &key);
  else
    {
      gint64 *k = g_new (gint64, 1);
      *k = key;
      g_hash_table_replace (nat->connections, k, GUINT_TO_POINTER (open - 1));
    }
}

uint32_t
stratus_network_nat_connections (const StratusNetwork *net, int n, uint32_t address, uint16_t port,
                                 int protocol)
{
  gint64 key = connection_key (address, port, protocol);
  return GPOINTER_TO_UINT (g_hash_table_lookup (net->nats[n].connections, &key));
}

bool
stratus_network_nat_transfer (StratusNetwork *net, int n, uint64_t bytes, StratusTime now)
{
  Nat *nat = &net->nats[n];
  int64_t window = now / STRATUS_SECOND;
  if (window != nat->window)
    {
      /* Demand near the capacity in the last busy second doubles it (up to 100 Gbps). */
      if (window == nat->window + 1 && (double) nat->window_demand * 8 > 0.9 * nat->capacity_bps)
        nat->capacity_bps = MIN (NAT_MAX_BPS, 2 * nat->capacity_bps);
      nat->window = window;
      nat->window_bytes = 0;
      nat->window_demand = 0;
    }
  nat->window_demand += bytes;
  if ((double) (nat->window_bytes + bytes) * 8 > nat->capacity_bps)
    return false;
  nat->window_bytes += bytes;
  return true;
}
