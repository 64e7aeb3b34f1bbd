/* Outbound calls of fleets (instances.F.outbound.CALL): their keys, their destinations (an
 * address, or a load balancer or fleet of the scenario), and the checks that need the whole
 * scenario: default ports, internal load balancers in a VPC, no cycles of calls. */
#include "outbound.h"

#include <string.h>

#include "fleet.h"
#include "stratus/cidr.h"

/* ---- parsing ---------------------------------------------------------------------- */

/* Blocks no host on the internet has: what each is, for the message. */
static const struct
{
  uint32_t address;
  uint8_t prefix;
  const char *what;
} not_internet[] = {
  { 0xffffffffu, 32, "the limited broadcast address" },
  { 0x00000000u, 8, "in 0.0.0.0/8, 'this network' (RFC 1122), which no host has" },
  { 0x7f000000u, 8, "a loopback address (127.0.0.0/8)" },
  { 0xa9fe0000u, 16, "a link-local address (169.254.0.0/16)" },
  { 0xe0000000u, 4, "a multicast address (224.0.0.0/4)" },
  { 0xf0000000u, 4, "a reserved address (240.0.0.0/4)" },
};

/* Refuses, naming `key` at `v`, an address no host on the internet can have (the blocks
 * above) and the clients' own address, STRATUS_CLIENT_ADDRESS. */
static bool
check_internet_address (FieldCtx *ctx, const YNode *v, const char *key, uint32_t address)
{
  if (address == STRATUS_CLIENT_ADDRESS)
    return field_fail_at (ctx, v, "%s: %s is the clients' own address (where stratus places "
                          "the workloads' clients); give the address of another host",
                          key, v->value);
  for (size_t i = 0; i < G_N_ELEMENTS (not_internet); i++)
    {
      StratusCidr block = { not_internet[i].address, not_internet[i].prefix };
      if (stratus_cidr_contains (block, address))
        return field_fail_at (ctx, v, "%s: %s is %s, not a host on the internet", key, v->value,
                              not_internet[i].what);
    }
  return true;
}

/* The IPv4 address of a host on the internet, "203.0.113.10": parsed, then checked with
 * check_internet_address. */
static bool
parse_address_node (FieldCtx *ctx, const YNode *v, const char *key, uint32_t *out)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  GError *inner = NULL;
  if (!stratus_address_parse (v->value, out, &inner))
    return field_fail_wrapped (ctx, v, key, inner);
  return check_internet_address (ctx, v, key, *out);
}

/* Frees a call and what it owns (a partial one too). */
void
outbound_call_free (StratusOutboundCallConfig *o)
{
  g_free (o->name);
  g_free (o->destination_name);
  stratus_dist_clear (&o->service_time);
  g_free (o);
}

/* The name of what a resource destination of `kind` is, for messages. */
static const char *
kind_word (StratusDestinationKind kind)
{
  return kind == STRATUS_DESTINATION_LOAD_BALANCER ? "load balancer" : "fleet";
}

/* Text that could be a component name: letters, digits, '-' and '_', not empty. */
static bool
looks_like_name (const char *text)
{
  if (text[0] == '\0')
    return false;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return false;
  return true;
}

/* "destination: unknown load balancer or fleet 'x'" with a hint over both kinds of names,
 * or the names known; always returns false. */
static bool
fail_unknown_destination (FieldCtx *ctx, const YNode *dest, const OutboundNames *names)
{
  GPtrArray *known = g_ptr_array_new ();
  for (int i = 0; names->load_balancers[i] != NULL; i++)
    g_ptr_array_add (known, (char *) names->load_balancers[i]);
  for (int i = 0; names->fleets[i] != NULL; i++)
    g_ptr_array_add (known, (char *) names->fleets[i]);
  g_ptr_array_add (known, NULL);
  char *h = field_hint (dest->value, (const char *const *) known->pdata);
  if (h[0] != '\0')
    field_fail_at (ctx, dest, "destination: unknown load balancer or fleet '%s'%s", dest->value,
                   h);
  else
    {
      char *list = g_strjoinv (", ", (char **) known->pdata);
      field_fail_at (ctx, dest, "destination: '%s' is neither an IPv4 address nor a load "
                     "balancer or fleet of the scenario (known: %s)", dest->value, list);
      g_free (list);
    }
  g_free (h);
  g_ptr_array_unref (known);
  return false;
}

/* `destination`: an IPv4 address when it parses as one (a host on the internet), else the
 * name of a load balancer or fleet. A value that cannot be a name, or that starts with a
 * digit and names nothing, gets the address error it always had. */
static bool
parse_destination (FieldCtx *ctx, const YNode *dest, const OutboundNames *names,
                   StratusOutboundCallConfig *o)
{
  if (!field_expect_kind (ctx, dest, YNODE_SCALAR, "destination"))
    return false;
  o->destination_kind = STRATUS_DESTINATION_ADDRESS;
  if (stratus_address_parse (dest->value, &o->destination, NULL))
    return check_internet_address (ctx, dest, "destination", o->destination);
  bool lb = g_strv_contains (names->load_balancers, dest->value);
  bool fleet = g_strv_contains (names->fleets, dest->value);
  if (lb && fleet)
    return field_fail_at (ctx, dest, "destination: '%s' names both a load balancer and a "
                          "fleet; give one of them another name", dest->value);
  if (lb || fleet)
    {
      o->destination_kind = lb ? STRATUS_DESTINATION_LOAD_BALANCER : STRATUS_DESTINATION_FLEET;
      o->destination_name = g_strdup (dest->value);
      o->destination = 0;
      return true;
    }
  if (!looks_like_name (dest->value) || g_ascii_isdigit (dest->value[0]))
    return parse_address_node (ctx, dest, "destination", &o->destination);
  return fail_unknown_destination (ctx, dest, names);
}

/* `port` and `protocol`: the port is required for an address and, for a resource, left 0
 * when absent (outbound_link sets the resource's); a call to a resource is tcp. */
static bool
parse_port_protocol (FieldCtx *ctx, const YNode *key, const YNode *v,
                     StratusOutboundCallConfig *o)
{
  static const char *const protocols[] = { "tcp", "udp", NULL };
  bool resource = o->destination_kind != STRATUS_DESTINATION_ADDRESS;
  const YNode *port = resource ? ynode_map_get (v, "port")
                               : field_require (ctx, v, "port", key->value);
  int64_t port_value = 0;
  if (!resource && port == NULL)
    return false;
  if (port != NULL && !field_parse_int64_node (ctx, port, "port", 1, 65535, &port_value))
    return false;
  o->port = (uint16_t) port_value;
  int protocol = 0;
  const YNode *pr = ynode_map_get (v, "protocol");
  if (pr != NULL && !field_check_choice (ctx, pr, "protocol", protocols, &protocol))
    return false;
  if (resource && protocol != 0)
    return field_fail_at (ctx, pr, "protocol: a call to %s %s must be tcp (the scenario's "
                          "load balancers and fleets answer on tcp), found '%s'",
                          kind_word (o->destination_kind), o->destination_name, pr->value);
  o->protocol = protocol == 0 ? STRATUS_PROTOCOL_TCP : STRATUS_PROTOCOL_UDP;
  return true;
}

/* `service_time`: required for an address; refused for a resource, whose own instances
 * serve the call. */
static bool
parse_service_time (FieldCtx *ctx, const YNode *key, const YNode *v,
                    StratusOutboundCallConfig *o)
{
  if (o->destination_kind != STRATUS_DESTINATION_ADDRESS)
    {
      const YNode *k = field_key_node (v, "service_time");
      if (k == NULL)
        return true;
      return field_fail_at (ctx, k, "service_time: the destination %s serves the call itself "
                            "(with its own instances' service_time); remove service_time",
                            o->destination_name);
    }
  const YNode *st = field_require (ctx, v, "service_time", key->value);
  return st != NULL && field_parse_dist (ctx, st, "service_time", &o->service_time);
}

/* An outbound call of a fleet (outbound.NAME); `user_data` is the OutboundNames. */
static bool
parse_call (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "destination", "port", "protocol", "per_request",
                                      "service_time", "timeout", "request_size",
                                      "response_size", NULL };
  const OutboundNames *names = user_data;
  StratusOutboundCallConfig *o = out;
  o->name = g_strdup (key->value);
  o->line = key->line;
  o->column = key->column;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "an outbound call"))
    return false;
  const YNode *dest = field_require (ctx, v, "destination", key->value);
  if (dest == NULL || !parse_destination (ctx, dest, names, o)
      || !parse_port_protocol (ctx, key, v, o))
    return false;
  if (!field_get_number (ctx, v, "per_request", 1, 0, &o->per_request))
    return false;
  if (o->per_request > 1000)
    return field_fail_at (ctx, ynode_map_get (v, "per_request"),
                          "per_request: at most 1000 calls per request (found %g)",
                          o->per_request);
  if (!parse_service_time (ctx, key, v, o)
      || !field_get_duration (ctx, v, "timeout", 5 * STRATUS_SECOND, false, &o->timeout))
    return false;
  if (o->timeout <= 0)
    return field_fail_at (ctx, ynode_map_get (v, "timeout"), "timeout: must be > 0");
  return field_get_size (ctx, v, "request_size", 1024, &o->request_bytes)
         && field_get_size (ctx, v, "response_size", 4096, &o->response_bytes);
}

bool
outbound_parse_calls (FieldCtx *ctx, const YNode *fleet, const OutboundNames *names,
                      GPtrArray *out)
{
  return field_parse_named (ctx, fleet, "outbound", sizeof (StratusOutboundCallConfig),
                            parse_call, (void *) names, out);
}

/* ---- links and checks ------------------------------------------------------------- */

/* The fleet named `name` of `s`, or NULL. */
static const StratusFleetConfig *
find_fleet (const StratusScenario *s, const char *name)
{
  for (guint i = 0; i < s->fleets->len; i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      if (strcmp (f->name, name) == 0)
        return f;
    }
  return NULL;
}

void
outbound_link (StratusScenario *s)
{
  for (guint i = 0; i < s->fleets->len; i++)
    {
      StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      for (guint k = 0; k < f->outbound->len; k++)
        {
          StratusOutboundCallConfig *o = g_ptr_array_index (f->outbound, k);
          if (o->port != 0 || o->destination_kind == STRATUS_DESTINATION_ADDRESS)
            continue;
          if (o->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER)
            o->port = stratus_scenario_find_load_balancer (s, o->destination_name)->port;
          else
            o->port = find_fleet (s, o->destination_name)->port;
        }
    }
}

/* The `destination` node of call `k` of the fleet whose mapping is `fleet`. */
static const YNode *
destination_node (const YNode *fleet, guint k)
{
  return ynode_map_get (ynode_item (ynode_map_get (fleet, "outbound"), k), "destination");
}

bool
outbound_check_fleet (FieldCtx *ctx, const StratusScenario *s, const StratusFleetConfig *f,
                      const YNode *fleet)
{
  const StratusVpcConfig *vpc = s->vpc;
  for (guint k = 0; k < f->outbound->len; k++)
    {
      const StratusOutboundCallConfig *o = g_ptr_array_index (f->outbound, k);
      const YNode *dest = destination_node (fleet, k);
      if (o->destination_kind == STRATUS_DESTINATION_ADDRESS
          && stratus_cidr_contains (vpc->cidr, o->destination))
        {
          char *block = stratus_cidr_format (vpc->cidr);
          field_fail_at (ctx, dest, "destination: %s is inside the VPC's block %s (outbound "
                         "calls go to addresses outside the VPC)", dest->value, block);
          g_free (block);
          return false;
        }
      if (o->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER
          && !stratus_scenario_find_load_balancer (s, o->destination_name)->internal)
        return field_fail_at (ctx, dest, "destination: load balancer %s is internet-facing; "
                              "calls from inside the VPC go to internal load balancers "
                              "(scheme: internal)", o->destination_name);
    }
  return true;
}

/* ---- cycles of calls -------------------------------------------------------------- */

/* The graph of calls: nodes 0..F-1 are the fleets, F..F+L-1 the load balancers; a fleet
 * has an edge per call to a resource, a load balancer one per fleet of its target group. */
typedef struct
{
  const StratusScenario *s;
  guint n_fleets;
  GHashTable *fleet_index; /* name -> index + 1 */
  GHashTable *lb_index;    /* name -> index + 1 */
  GArray **group;          /* per load balancer: the fleet indices (guint) of its group */
} CallGraph;

/* Builds the graph of `s`'s calls (borrowing from `s`); release with graph_clear. */
static void
graph_init (CallGraph *g, const StratusScenario *s)
{
  g->s = s;
  g->n_fleets = s->fleets->len;
  g->fleet_index = g_hash_table_new (g_str_hash, g_str_equal);
  g->lb_index = g_hash_table_new (g_str_hash, g_str_equal);
  g->group = g_new0 (GArray *, s->load_balancers->len + 1);
  for (guint i = 0; i < s->fleets->len; i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      g_hash_table_insert (g->fleet_index, f->name, GUINT_TO_POINTER (i + 1));
    }
  for (guint l = 0; l < s->load_balancers->len; l++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, l);
      g_hash_table_insert (g->lb_index, lb->name, GUINT_TO_POINTER (l + 1));
      g->group[l] = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; i < s->fleets->len; i++)
        {
          const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
          if (stratus_fleet_in_group (f, lb->target_group))
            g_array_append_val (g->group[l], i);
        }
    }
}

/* Releases what graph_init allocated. */
static void
graph_clear (CallGraph *g)
{
  for (guint l = 0; l < g->s->load_balancers->len; l++)
    g_array_unref (g->group[l]);
  g_free (g->group);
  g_hash_table_unref (g->fleet_index);
  g_hash_table_unref (g->lb_index);
}

/* The node's edge number *next and after (advancing *next past it): true with its head in
 * *to, false when the node has no more edges. */
static bool
graph_next_edge (const CallGraph *g, guint node, guint *next, guint *to)
{
  if (node >= g->n_fleets)
    {
      const GArray *group = g->group[node - g->n_fleets];
      if (*next >= group->len)
        return false;
      *to = g_array_index (group, guint, (*next)++);
      return true;
    }
  const StratusFleetConfig *f = g_ptr_array_index (g->s->fleets, node);
  while (*next < f->outbound->len)
    {
      const StratusOutboundCallConfig *o = g_ptr_array_index (f->outbound, (*next)++);
      if (o->destination_kind == STRATUS_DESTINATION_FLEET)
        {
          *to = GPOINTER_TO_UINT (g_hash_table_lookup (g->fleet_index, o->destination_name)) - 1;
          return true;
        }
      if (o->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER)
        {
          *to = g->n_fleets
                + GPOINTER_TO_UINT (g_hash_table_lookup (g->lb_index, o->destination_name)) - 1;
          return true;
        }
    }
  return false;
}

/* The name of a node: its fleet's or load balancer's (borrowed). */
static const char *
graph_node_name (const CallGraph *g, guint node)
{
  if (node < g->n_fleets)
    return ((const StratusFleetConfig *) g_ptr_array_index (g->s->fleets, node))->name;
  return ((const StratusLoadBalancerConfig *) g_ptr_array_index (g->s->load_balancers,
                                                                 node - g->n_fleets))->name;
}

/* A node on the depth-first search's path. */
typedef struct
{
  guint node, next; /* the node, and its next edge to follow */
} Frame;

/* Reports the cycle closed by the edge from the top of `stack` to the node at `from`:
 * positioned at the destination of the last call on it (in the mapping its fleet took its
 * calls from), named from that call's fleet. */
static bool
fail_cycle (FieldCtx *ctx, const CallGraph *g, const YNode *root, const GArray *stack,
            guint from)
{
  guint last = stack->len - 1;
  guint p = g_array_index (stack, Frame, last).node < g->n_fleets ? last : last - 1;
  const Frame *caller = &g_array_index (stack, Frame, p);
  const YNode *dest = destination_node (fleet_instance_node (root, g->s, caller->node),
                                        caller->next - 1);
  if (p == last && from == last)
    return field_fail_at (ctx, dest, "destination: fleet %s calls itself; a fleet may not "
                          "call its own instances", graph_node_name (g, caller->node));
  GString *text = g_string_new (NULL);
  for (guint i = p; i <= last; i++)
    g_string_append_printf (text, "%s -> ", graph_node_name (g, g_array_index (stack, Frame,
                                                                               i).node));
  for (guint i = from; i < p; i++)
    g_string_append_printf (text, "%s -> ", graph_node_name (g, g_array_index (stack, Frame,
                                                                               i).node));
  g_string_append (text, graph_node_name (g, caller->node));
  field_fail_at (ctx, dest, "destination: the outbound calls form a cycle, %s; a call may "
                 "not lead back to its own fleet", text->str);
  g_string_free (text, TRUE);
  return false;
}

bool
outbound_check_cycles (FieldCtx *ctx, const YNode *root, const StratusScenario *s)
{
  CallGraph g;
  graph_init (&g, s);
  enum { WHITE, GREY, BLACK };
  guint8 *colour = g_new0 (guint8, g.n_fleets + s->load_balancers->len);
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (Frame));
  bool ok = true;
  for (guint start = 0; ok && start < g.n_fleets; start++)
    {
      if (colour[start] != WHITE)
        continue;
      Frame first = { start, 0 };
      g_array_append_val (stack, first);
      colour[start] = GREY;
      while (ok && stack->len > 0)
        {
          Frame *top = &g_array_index (stack, Frame, stack->len - 1);
          guint to;
          if (!graph_next_edge (&g, top->node, &top->next, &to))
            {
              colour[top->node] = BLACK;
              g_array_set_size (stack, stack->len - 1);
            }
          else if (colour[to] == GREY)
            {
              guint from = 0;
              while (g_array_index (stack, Frame, from).node != to)
                from++;
              ok = fail_cycle (ctx, &g, root, stack, from);
            }
          else if (colour[to] == WHITE)
            {
              Frame next = { to, 0 };
              colour[to] = GREY;
              g_array_append_val (stack, next);
            }
        }
    }
  g_array_unref (stack);
  g_free (colour);
  graph_clear (&g);
  return ok;
}
