/* The network: endpoints and their classes, the caches of paths and class verdicts, the
 * failed AZs, and the byte and drop counters. The path walk is in network_walk.c, the NAT
 * gateways' state in network_nat.c. */
#include "network_private.h"

#include <string.h>

#include "stratus/units.h"

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

static const char *const drop_names[STRATUS_N_DROP_REASONS] = {
  "none", "no_route", "blackhole", "network_acl", "security_group", "no_public_ip",
  "gateway_down", "az_down", "nat_port_exhaustion", "nat_bandwidth", "nat_idle_timeout",
  "disrupted",
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

/* A verdict path's value (every field but its text, which verdicts do not have), for
 * interning: equal values are one object. */
static guint
path_value_hash (gconstpointer p)
{
  const StratusPath *x = p;
  uint64_t h = (uint64_t) x->drop * 0x9e3779b97f4a7c15ULL ^ (uint64_t) x->latency
               ^ ((uint64_t) (uint32_t) x->nat << 32) ^ x->az_depends * 31 ^ x->n_legs
               ^ (uint64_t) x->on_reply << 7;
  double loss = x->loss;
  uint64_t bits;
  memcpy (&bits, &loss, sizeof bits);
  h ^= bits * 0xff51afd7ed558ccdULL;
  for (unsigned i = 0; i < x->n_legs; i++)
    h = h * 1099511628211ULL
        ^ ((uint64_t) (uint32_t) x->legs[i].resource << 8 | (uint64_t) x->legs[i].forward << 4
           | (uint64_t) x->legs[i].backward);
  return key64_hash (&h);
}

static gboolean
path_value_equal (gconstpointer a, gconstpointer b)
{
  const StratusPath *x = a, *y = b;
  if (x->drop != y->drop || x->on_reply != y->on_reply || x->latency != y->latency
      || x->nat != y->nat || x->az_depends != y->az_depends || x->loss != y->loss
      || x->n_legs != y->n_legs)
    return FALSE;
  for (unsigned i = 0; i < x->n_legs; i++)
    if (x->legs[i].resource != y->legs[i].resource || x->legs[i].forward != y->legs[i].forward
        || x->legs[i].backward != y->legs[i].backward)
      return FALSE;
  return TRUE;
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
  net->interned = g_hash_table_new_full (path_value_hash, path_value_equal, path_free, NULL);
  net->retired = g_ptr_array_new_with_free_func (path_free);
  net->bytes = g_array_new (FALSE, TRUE, sizeof (uint64_t) * STRATUS_N_BYTE_CLASSES);
  net->next_flat_host = 4;
  net->injections = g_array_new (FALSE, FALSE, sizeof (Injection));
  if (net->vpc != NULL)
    {
      guint n = net->vpc->subnets->len;
      net->subnet_cuts = g_malloc0 (sizeof *net->subnet_cuts * (n ? n : 1));
      net->nat_failed = g_new0 (int, net->vpc->nat_gateways->len + 1);
      net->next_host = g_new (uint64_t, n ? n : 1);
      net->uniform = g_new (bool, n ? n : 1);
      for (guint i = 0; i < n; i++)
        {
          net->next_host[i] = 4; /* AWS reserves the first four addresses of a subnet */
          net->uniform[i] = subnet_is_uniform (net->vpc, network_subnet_at (net, (int) i)->cidr);
        }
      network_nats_init (net);
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
  network_nats_free (net);
  g_free (net->next_host);
  g_free (net->uniform);
  g_free (net->subnet_cuts);
  g_free (net->nat_failed);
  g_array_unref (net->injections);
  free_path_values (net->cache);
  g_hash_table_unref (net->cache);
  g_hash_table_unref (net->resolved); /* its paths are the interned ones */
  g_hash_table_unref (net->interned);
  g_hash_table_unref (net->verdicts);
  g_hash_table_unref (net->classes);
  g_ptr_array_unref (net->retired);
  g_array_unref (net->bytes);
  g_free (net);
}

/* Drops the entries of the resolved verdicts that depend on AZ `az` (-1: every one); the
 * paths themselves are interned and stay valid. */
static void
forget_paths (GHashTable *resolved, int az)
{
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, resolved);
  while (g_hash_table_iter_next (&it, NULL, &value))
    if (az < 0 || (((StratusPath *) value)->az_depends >> az & 1) != 0)
      g_hash_table_iter_remove (&it);
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
  forget_paths (net->resolved, az);
  /* Class verdicts that depend on the AZ are walked again; their ids are not reused, so
   * resolved paths of the others stay keyed right. */
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, net->verdicts);
  while (g_hash_table_iter_next (&it, NULL, &value))
    if ((((ClassVerdict *) value)->tmpl->az_depends >> az & 1) != 0)
      g_hash_table_iter_remove (&it);
}

void
network_retire_all (StratusNetwork *net)
{
  net->version++;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, net->cache);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      g_ptr_array_add (net->retired, value);
      g_hash_table_iter_remove (&it);
    }
  forget_paths (net->resolved, -1);
  g_hash_table_remove_all (net->verdicts);
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
      const StratusSubnetConfig *sub = network_subnet_at (net, spec->subnet);
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
      uint64_t room = stratus_cidr_size (network_subnet_at (net, (int) i)->cidr) - 5;
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

const char *
stratus_network_endpoint_name (const StratusNetwork *net, int id)
{
  return network_endpoint (net, id)->name;
}

uint32_t
stratus_network_endpoint_address (const StratusNetwork *net, int id)
{
  return network_endpoint (net, id)->address;
}

/* ---- paths and verdicts ------------------------------------------------------------- */

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
  path = network_walk_path (net, src, dst, protocol, port);
  g_hash_table_insert (net->cache, g_memdup2 (&key, sizeof key), path);
  return path;
}

/* The verdict of the class pair of (src, dst), found by walking this pair if it is the
 * first of its classes. */
static const ClassVerdict *
class_verdict (StratusNetwork *net, int src, int dst, int protocol, uint16_t port)
{
  uint64_t key = pack_key (network_endpoint (net, src)->cls, network_endpoint (net, dst)->cls,
                          protocol, port);
  ClassVerdict *v = g_hash_table_lookup (net->verdicts, &key);
  if (v != NULL)
    return v;
  v = g_new0 (ClassVerdict, 1);
  v->tmpl = network_walk_path (net, src, dst, protocol, port);
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
  StratusPath *same = g_hash_table_lookup (net->interned, path);
  if (same != NULL)
    {
      g_free (path);
      path = same;
    }
  else
    g_hash_table_add (net->interned, path);
  g_hash_table_insert (net->resolved, g_memdup2 (&key, sizeof key), path);
  return path;
}

/* ---- counters ------------------------------------------------------------------------ */

unsigned
stratus_network_verdict_paths (const StratusNetwork *net)
{
  return g_hash_table_size (net->interned);
}

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
    return network_endpoint (net, resource)->name;
  const StratusNatGatewayConfig *nat
    = g_ptr_array_index (net->vpc->nat_gateways, (guint) (resource - (int) net->endpoints->len));
  return nat->name;
}

bool
stratus_network_resource_inside (const StratusNetwork *net, int index)
{
  return index >= (int) net->endpoints->len || !network_endpoint (net, index)->internet;
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
  /* A message goes one way at a time (the request, then its answer): count only that way. */
  if (forward_bytes > 0)
    for (unsigned i = 0; i < path->n_legs; i++)
      {
        uint64_t *row = leg_bytes (net, path->legs[i].resource);
        row[path->legs[i].forward] = stratus_bytes_add (row[path->legs[i].forward], forward_bytes);
      }
  if (backward_bytes > 0)
    for (unsigned i = 0; i < path->n_legs; i++)
      {
        uint64_t *row = leg_bytes (net, path->legs[i].resource);
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
