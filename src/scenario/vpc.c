/* The `vpc` section -> StratusVpcConfig (its row of the section table), with the static
 * checks of the layout itself: blocks inside the VPC and apart, references that resolve,
 * NAT gateways whose subnets reach an internet gateway. */
#include "vpc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stratus/cidr.h"
#include "stratus/units.h"

#define STRV(a) ((const char *const *) (a)->pdata)

static bool
parse_cidr_node (FieldCtx *ctx, const YNode *v, const char *key, StratusCidr *out)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  GError *inner = NULL;
  if (!stratus_cidr_parse (v->value, out, &inner))
    return field_fail_wrapped (ctx, v, key, inner);
  return true;
}

/* An optional key whose value must be of `kind`; *out is NULL when it is absent. */
static bool
get_optional (FieldCtx *ctx, const YNode *map, const char *key, YNodeKind kind,
              const YNode **out)
{
  *out = ynode_map_get (map, key);
  return *out == NULL || field_expect_kind (ctx, *out, kind, key);
}

/* The names of the entries of `map` (may be NULL), NULL-terminated, for lookups and
 * hints; the strings belong to the tree. */
static GPtrArray *
names_of (const YNode *map)
{
  GPtrArray *a = g_ptr_array_new ();
  for (guint i = 0; map != NULL && i < ynode_length (map); i++)
    g_ptr_array_add (a, ynode_map_key (map, i)->value);
  g_ptr_array_add (a, NULL);
  return a;
}

/* `v` names one of `names`; else "key: unknown WHAT 'x'" with a hint or the known names. */
bool
vpc_check_ref (FieldCtx *ctx, const YNode *v, const char *key, const char *what,
           const char *const *names)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  if (g_strv_contains (names, v->value))
    return true;
  char *h = field_hint (v->value, names);
  if (h[0] != '\0')
    field_fail_at (ctx, v, "%s: unknown %s '%s'%s", key, what, v->value, h);
  else if (names[0] == NULL)
    field_fail_at (ctx, v, "%s: unknown %s '%s' (the vpc section declares none)", key, what,
                   v->value);
  else
    {
      char *list = g_strjoinv (", ", (char **) names);
      field_fail_at (ctx, v, "%s: unknown %s '%s' (known: %s)", key, what, v->value, list);
      g_free (list);
    }
  g_free (h);
  return false;
}

/* ---- freeing ---------------------------------------------------------------------- */

static void
route_clear (gpointer p)
{
  g_free (((StratusRouteConfig *) p)->nat_gateway);
}

static void
sg_rule_clear (gpointer p)
{
  g_free (((StratusSgRuleConfig *) p)->group);
}

static void
route_table_free (StratusRouteTableConfig *t)
{
  g_free (t->name);
  g_clear_pointer (&t->routes, g_array_unref);
  g_free (t);
}

static void
subnet_free (StratusSubnetConfig *sn)
{
  g_free (sn->name);
  g_free (sn->az);
  g_free (sn->route_table);
  g_free (sn->network_acl);
  g_free (sn);
}

static void
nat_gateway_free (StratusNatGatewayConfig *n)
{
  g_free (n->name);
  g_free (n->subnet);
  g_clear_pointer (&n->elastic_ips, g_ptr_array_unref);
  g_free (n);
}

static void
security_group_free (StratusSecurityGroupConfig *g)
{
  g_free (g->name);
  g_clear_pointer (&g->inbound, g_array_unref);
  g_clear_pointer (&g->outbound, g_array_unref);
  g_free (g);
}

static void
network_acl_free (StratusNetworkAclConfig *a)
{
  g_free (a->name);
  g_clear_pointer (&a->inbound, g_array_unref);
  g_clear_pointer (&a->outbound, g_array_unref);
  g_free (a);
}

static void
vpc_config_free (StratusVpcConfig *vpc)
{
  if (vpc == NULL)
    return;
  g_free (vpc->internet_gateway);
  g_free (vpc->main_route_table);
  g_ptr_array_unref (vpc->subnets);
  g_ptr_array_unref (vpc->route_tables);
  g_ptr_array_unref (vpc->nat_gateways);
  g_ptr_array_unref (vpc->elastic_ips);
  g_ptr_array_unref (vpc->security_groups);
  g_ptr_array_unref (vpc->network_acls);
  g_free (vpc);
}

static StratusVpcConfig *
vpc_new (void)
{
  StratusVpcConfig *vpc = g_new0 (StratusVpcConfig, 1);
  vpc->subnets = g_ptr_array_new_with_free_func ((GDestroyNotify) subnet_free);
  vpc->route_tables = g_ptr_array_new_with_free_func ((GDestroyNotify) route_table_free);
  vpc->nat_gateways = g_ptr_array_new_with_free_func ((GDestroyNotify) nat_gateway_free);
  vpc->elastic_ips = g_ptr_array_new_with_free_func (g_free);
  vpc->security_groups = g_ptr_array_new_with_free_func ((GDestroyNotify) security_group_free);
  vpc->network_acls = g_ptr_array_new_with_free_func ((GDestroyNotify) network_acl_free);
  return vpc;
}

/* ---- lookups ---------------------------------------------------------------------- */

static const StratusSubnetConfig *
find_subnet (const StratusVpcConfig *vpc, const char *name)
{
  for (guint i = 0; i < vpc->subnets->len; i++)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (vpc->subnets, i);
      if (strcmp (sn->name, name) == 0)
        return sn;
    }
  return NULL;
}



/* ---- the parse, section by section ------------------------------------------------ */

typedef struct
{
  FieldCtx *ctx;
  StratusVpcConfig *vpc;
  const char *const *azs;
  GPtrArray *nat_names, *table_names, *group_names, *acl_names, *subnet_names;
} VpcParse;

static const char *const protocol_names[] = { "tcp", "udp", "icmp", "all", NULL };
static const int protocol_numbers[] = { STRATUS_PROTOCOL_TCP, STRATUS_PROTOCOL_UDP,
                                        STRATUS_PROTOCOL_ICMP, STRATUS_PROTOCOL_ALL };

static bool
parse_protocol (FieldCtx *ctx, const YNode *rule, const char *what, int *out)
{
  const YNode *v = field_require (ctx, rule, "protocol", what);
  int index;
  if (v == NULL || !field_check_choice (ctx, v, "protocol", protocol_names, &index))
    return false;
  *out = protocol_numbers[index];
  return true;
}

static bool
parse_port_number (const char *text, long *out)
{
  if (!g_ascii_isdigit (text[0]))
    return false;
  char *end = NULL;
  errno = 0;
  long x = strtol (text, &end, 10);
  if (*end != '\0' || errno != 0 || x > 65535)
    return false;
  *out = x;
  return true;
}

/* `ports`: a port, a range "1024-65535" or "all"; required for tcp and udp, and absent or
 * "all" for icmp and all. */
static bool
parse_ports (FieldCtx *ctx, const YNode *rule, const char *what, int protocol, uint16_t *from,
             uint16_t *to)
{
  const YNode *v = ynode_map_get (rule, "ports");
  *from = 0;
  *to = 65535;
  if (protocol != STRATUS_PROTOCOL_TCP && protocol != STRATUS_PROTOCOL_UDP)
    {
      if (v == NULL)
        return true;
      if (!field_expect_kind (ctx, v, YNODE_SCALAR, "ports"))
        return false;
      if (strcmp (v->value, "all") == 0)
        return true;
      return field_fail_at (ctx, v,
                            "ports: only tcp and udp rules have ports (this %s rule covers them "
                            "all: remove the key or write 'all')",
                            protocol == STRATUS_PROTOCOL_ICMP ? "icmp" : "all-traffic");
    }
  if (v == NULL)
    return field_fail_at (ctx, rule, "%s: missing required key 'ports' (a port, a range like "
                          "1024-65535, or all)", what);
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, "ports"))
    return false;
  if (strcmp (v->value, "all") == 0)
    return true;
  long a, b;
  const char *dash = strchr (v->value, '-');
  bool ok;
  if (dash == NULL)
    {
      ok = parse_port_number (v->value, &a);
      b = a;
    }
  else
    {
      char *first = g_strndup (v->value, (gsize) (dash - v->value));
      ok = parse_port_number (first, &a) && parse_port_number (dash + 1, &b);
      g_free (first);
    }
  if (!ok)
    return field_fail_at (ctx, v, "ports: expected a port (0 to 65535), a range like "
                          "1024-65535, or all, found '%s'", v->value);
  if (a > b)
    return field_fail_at (ctx, v, "ports: the range %ld-%ld is backwards (write %ld-%ld)", a,
                          b, b, a);
  *from = (uint16_t) a;
  *to = (uint16_t) b;
  return true;
}

/* A list of rules under `key` ("inbound"/"outbound") of `map`; `out` is NULL when absent. */
static bool
get_rule_list (FieldCtx *ctx, const YNode *map, const char *key, const YNode **out)
{
  return get_optional (ctx, map, key, YNODE_SEQ, out);
}

static bool
parse_sg_rules (VpcParse *p, const YNode *list, bool inbound, GArray *out)
{
  FieldCtx *ctx = p->ctx;
  const char *peer_key = inbound ? "source" : "destination";
  const char *const keys[] = { "protocol", "ports", peer_key, NULL };
  const char *what = inbound ? "an inbound security-group rule"
                             : "an outbound security-group rule";
  for (guint i = 0; i < ynode_length (list); i++)
    {
      const YNode *rule = ynode_item (list, i);
      StratusSgRuleConfig r = { 0 };
      if (!field_expect_kind (ctx, rule, YNODE_MAP, "rule")
          || !field_check_keys (ctx, rule, keys, what)
          || !parse_protocol (ctx, rule, "rule", &r.protocol)
          || !parse_ports (ctx, rule, "rule", r.protocol, &r.port_from, &r.port_to))
        return false;
      const YNode *peer = field_require (ctx, rule, peer_key, "rule");
      if (peer == NULL || !field_expect_kind (ctx, peer, YNODE_SCALAR, peer_key))
        return false;
      /* A CIDR block or a group's name (a name that looks like a block is a name). */
      if (g_ascii_isdigit (peer->value[0])
          && !g_strv_contains (STRV (p->group_names), peer->value))
        {
          if (!parse_cidr_node (ctx, peer, peer_key, &r.cidr))
            return false;
        }
      else
        {
          if (!vpc_check_ref (ctx, peer, peer_key, "security group", STRV (p->group_names)))
            return false;
          r.group = g_strdup (peer->value);
        }
      g_array_append_val (out, r);
    }
  return true;
}

static bool
parse_security_group (VpcParse *p, const YNode *key, const YNode *v,
                      StratusSecurityGroupConfig *g)
{
  FieldCtx *ctx = p->ctx;
  static const char *const keys[] = { "inbound", "outbound", NULL };
  g->name = g_strdup (key->value);
  g->inbound = g_array_new (FALSE, TRUE, sizeof (StratusSgRuleConfig));
  g_array_set_clear_func (g->inbound, sg_rule_clear);
  g->outbound = g_array_new (FALSE, TRUE, sizeof (StratusSgRuleConfig));
  g_array_set_clear_func (g->outbound, sg_rule_clear);
  const YNode *in, *out;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a security group")
      || !get_rule_list (ctx, v, "inbound", &in) || !get_rule_list (ctx, v, "outbound", &out))
    return false;
  if (in != NULL && !parse_sg_rules (p, in, true, g->inbound))
    return false;
  if (out != NULL)
    return parse_sg_rules (p, out, false, g->outbound);
  /* AWS's default: all traffic may leave. */
  StratusSgRuleConfig all = { STRATUS_PROTOCOL_ALL, 0, 65535, NULL, { 0, 0 } };
  g_array_append_val (g->outbound, all);
  return true;
}

static int
compare_acl_rules (gconstpointer a, gconstpointer b)
{
  int x = ((const StratusAclRuleConfig *) a)->number;
  int y = ((const StratusAclRuleConfig *) b)->number;
  return (x > y) - (x < y);
}

static bool
parse_acl_rules (VpcParse *p, const char *acl, const YNode *list, bool inbound, GArray *out)
{
  FieldCtx *ctx = p->ctx;
  const char *peer_key = inbound ? "source" : "destination";
  const char *const keys[] = { "rule", "action", "protocol", "ports", peer_key, NULL };
  static const char *const actions[] = { "allow", "deny", NULL };
  const char *what = inbound ? "an inbound network ACL rule" : "an outbound network ACL rule";
  for (guint i = 0; i < ynode_length (list); i++)
    {
      const YNode *rule = ynode_item (list, i);
      StratusAclRuleConfig r = { 0 };
      if (!field_expect_kind (ctx, rule, YNODE_MAP, "rule")
          || !field_check_keys (ctx, rule, keys, what))
        return false;
      const YNode *number = field_require (ctx, rule, "rule", "rule");
      int64_t n;
      if (number == NULL || !field_parse_int64_node (ctx, number, "rule", 1, 32766, &n))
        return false;
      r.number = (int) n;
      for (guint j = 0; j < out->len; j++)
        if (g_array_index (out, StratusAclRuleConfig, j).number == r.number)
          return field_fail_at (ctx, number, "rule: number %d is used twice in the %s rules of "
                                "network ACL %s", r.number, inbound ? "inbound" : "outbound",
                                acl);
      const YNode *action = field_require (ctx, rule, "action", "rule");
      int allow_index;
      if (action == NULL || !field_check_choice (ctx, action, "action", actions, &allow_index)
          || !parse_protocol (ctx, rule, "rule", &r.protocol)
          || !parse_ports (ctx, rule, "rule", r.protocol, &r.port_from, &r.port_to))
        return false;
      r.allow = allow_index == 0;
      const YNode *peer = field_require (ctx, rule, peer_key, "rule");
      if (peer == NULL || !field_expect_kind (ctx, peer, YNODE_SCALAR, peer_key))
        return false;
      if (g_strv_contains (STRV (p->group_names), peer->value))
        return field_fail_at (ctx, peer, "%s: a network ACL rule takes a CIDR block, not a "
                              "security group ('%s')", peer_key, peer->value);
      if (!parse_cidr_node (ctx, peer, peer_key, &r.cidr))
        return false;
      g_array_append_val (out, r);
    }
  g_array_sort (out, compare_acl_rules);
  return true;
}

static bool
parse_network_acl (VpcParse *p, const YNode *key, const YNode *v, StratusNetworkAclConfig *a)
{
  FieldCtx *ctx = p->ctx;
  static const char *const keys[] = { "inbound", "outbound", NULL };
  a->name = g_strdup (key->value);
  a->inbound = g_array_new (FALSE, TRUE, sizeof (StratusAclRuleConfig));
  a->outbound = g_array_new (FALSE, TRUE, sizeof (StratusAclRuleConfig));
  const YNode *in, *out;
  return field_check_name (ctx, key) && field_expect_kind (ctx, v, YNODE_MAP, key->value)
         && field_check_keys (ctx, v, keys, "a network ACL")
         && get_rule_list (ctx, v, "inbound", &in) && get_rule_list (ctx, v, "outbound", &out)
         && (in == NULL || parse_acl_rules (p, a->name, in, true, a->inbound))
         && (out == NULL || parse_acl_rules (p, a->name, out, false, a->outbound));
}

static bool
parse_route (VpcParse *p, const YNode *v, const StratusRouteTableConfig *t,
             StratusRouteConfig *r)
{
  FieldCtx *ctx = p->ctx;
  const StratusVpcConfig *vpc = p->vpc;
  static const char *const keys[] = { "destination", "target", NULL };
  if (!field_expect_kind (ctx, v, YNODE_MAP, "route")
      || !field_check_keys (ctx, v, keys, "a route"))
    return false;
  const YNode *dest = field_require (ctx, v, "destination", "route");
  if (dest == NULL || !parse_cidr_node (ctx, dest, "destination", &r->destination))
    return false;
  for (guint i = 0; i < t->routes->len; i++)
    {
      const StratusRouteConfig *other = &g_array_index (t->routes, StratusRouteConfig, i);
      if (other->destination.address == r->destination.address
          && other->destination.prefix == r->destination.prefix)
        return field_fail_at (ctx, dest, "destination: route table %s already has a route for "
                              "%s", t->name, dest->value);
    }
  const YNode *target = field_require (ctx, v, "target", "route");
  if (target == NULL || !field_expect_kind (ctx, target, YNODE_SCALAR, "target"))
    return false;
  const char *name = target->value;
  bool is_vpc_block = r->destination.address == vpc->cidr.address
                      && r->destination.prefix == vpc->cidr.prefix;
  char *vpc_text = stratus_cidr_format (vpc->cidr);
  bool ok = true;
  if (strcmp (name, "local") == 0)
    {
      r->target = STRATUS_ROUTE_LOCAL;
      if (!is_vpc_block)
        ok = field_fail_at (ctx, target, "target: 'local' is only for the VPC's own block %s "
                            "(this route is for %s)", vpc_text, dest->value);
    }
  else
    {
      if (strcmp (name, "blackhole") == 0)
        r->target = STRATUS_ROUTE_BLACKHOLE;
      else if (vpc->internet_gateway != NULL && strcmp (name, vpc->internet_gateway) == 0)
        r->target = STRATUS_ROUTE_INTERNET_GATEWAY;
      else if (g_strv_contains (STRV (p->nat_names), name))
        {
          r->target = STRATUS_ROUTE_NAT_GATEWAY;
          r->nat_gateway = g_strdup (name);
        }
      else
        {
          GPtrArray *known = g_ptr_array_new ();
          if (vpc->internet_gateway != NULL)
            g_ptr_array_add (known, vpc->internet_gateway);
          for (guint i = 0; i + 1 < p->nat_names->len; i++)
            g_ptr_array_add (known, g_ptr_array_index (p->nat_names, i));
          g_ptr_array_add (known, (char *) "local");
          g_ptr_array_add (known, (char *) "blackhole");
          g_ptr_array_add (known, NULL);
          char *h = field_hint (name, STRV (known));
          if (h[0] != '\0')
            ok = field_fail_at (ctx, target, "target: unknown target '%s'%s", name, h);
          else if (vpc->internet_gateway == NULL)
            ok = field_fail_at (ctx, target,
                                "target: unknown target '%s': the VPC has no internet gateway "
                                "(declare one with 'internet_gateway: %s' in the vpc section) "
                                "and no NAT gateway of that name", name, name);
          else
            ok = field_fail_at (ctx, target,
                                "target: unknown target '%s' (expected the internet gateway "
                                "%s, a NAT gateway's name, local or blackhole)", name,
                                vpc->internet_gateway);
          g_free (h);
          g_ptr_array_unref (known);
        }
      if (ok && stratus_cidr_covers (vpc->cidr, r->destination))
        ok = field_fail_at (ctx, dest, "destination: %s lies within the VPC's block %s, which "
                            "the implicit local route keeps inside the VPC", dest->value,
                            vpc_text);
    }
  g_free (vpc_text);
  return ok;
}

static bool
parse_route_table (VpcParse *p, const YNode *key, const YNode *v, StratusRouteTableConfig *t)
{
  FieldCtx *ctx = p->ctx;
  static const char *const keys[] = { "routes", NULL };
  t->name = g_strdup (key->value);
  t->routes = g_array_new (FALSE, TRUE, sizeof (StratusRouteConfig));
  g_array_set_clear_func (t->routes, route_clear);
  const YNode *routes;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a route table")
      || !get_optional (ctx, v, "routes", YNODE_SEQ, &routes))
    return false;
  for (guint i = 0; routes != NULL && i < ynode_length (routes); i++)
    {
      StratusRouteConfig r = { 0 };
      bool ok = parse_route (p, ynode_item (routes, i), t, &r);
      g_array_append_val (t->routes, r); /* freed with the table even when parsing failed */
      if (!ok)
        return false;
    }
  return true;
}

static bool
parse_subnet (VpcParse *p, const YNode *key, const YNode *v, StratusSubnetConfig *sn)
{
  FieldCtx *ctx = p->ctx;
  const StratusVpcConfig *vpc = p->vpc;
  static const char *const keys[] = { "cidr", "az", "route_table", "network_acl",
                                      "map_public_ip_on_launch", NULL };
  sn->name = g_strdup (key->value);
  sn->line = key->line;
  sn->column = key->column;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a subnet"))
    return false;
  const YNode *cidr = field_require (ctx, v, "cidr", key->value);
  if (cidr == NULL || !parse_cidr_node (ctx, cidr, "cidr", &sn->cidr))
    return false;
  char *vpc_text = stratus_cidr_format (vpc->cidr);
  bool ok = true;
  if (sn->cidr.prefix < 16 || sn->cidr.prefix > 28)
    ok = field_fail_at (ctx, cidr, "cidr: a subnet's block must be between /16 and /28 "
                        "(found /%u)", sn->cidr.prefix);
  else if (!stratus_cidr_covers (vpc->cidr, sn->cidr))
    ok = field_fail_at (ctx, cidr, "cidr: %s is outside the VPC's block %s", cidr->value,
                        vpc_text);
  g_free (vpc_text);
  if (!ok)
    return false;
  for (guint i = 0; i + 1 < vpc->subnets->len; i++) /* the last one is this subnet */
    {
      const StratusSubnetConfig *other = g_ptr_array_index (vpc->subnets, i);
      if (stratus_cidr_overlaps (other->cidr, sn->cidr))
        {
          char *o = stratus_cidr_format (other->cidr);
          field_fail_at (ctx, cidr, "cidr: %s overlaps subnet %s (%s)", cidr->value,
                         other->name, o);
          g_free (o);
          return false;
        }
    }
  const YNode *az = field_require (ctx, v, "az", key->value);
  if (az == NULL || !field_expect_kind (ctx, az, YNODE_SCALAR, "az"))
    return false;
  sn->az_index = -1;
  for (int i = 0; p->azs[i] != NULL; i++)
    if (strcmp (p->azs[i], az->value) == 0)
      sn->az_index = i;
  if (sn->az_index < 0)
    {
      char *h = field_hint (az->value, p->azs);
      char *list = g_strjoinv (", ", (char **) p->azs);
      field_fail_at (ctx, az, "az: '%s' is not one of the scenario's azs%s%s%s%s", az->value, h,
                     h[0] ? "" : " (", h[0] ? "" : list, h[0] ? "" : ")");
      g_free (list);
      g_free (h);
      return false;
    }
  sn->az = g_strdup (az->value);
  const YNode *table = ynode_map_get (v, "route_table");
  if (table != NULL && !vpc_check_ref (ctx, table, "route_table", "route table", STRV (p->table_names)))
    return false;
  const YNode *acl = ynode_map_get (v, "network_acl");
  if (acl != NULL && !vpc_check_ref (ctx, acl, "network_acl", "network ACL", STRV (p->acl_names)))
    return false;
  return field_get_string (ctx, v, "route_table", NULL, &sn->route_table)
         && field_get_string (ctx, v, "network_acl", NULL, &sn->network_acl)
         && field_get_bool (ctx, v, "map_public_ip_on_launch", false, &sn->map_public_ip_on_launch);
}

/* NAT gateways: checked once subnets and route tables are known. `used` maps each Elastic
 * IP already taken to its NAT gateway. */
static bool
parse_nat_gateway (VpcParse *p, const YNode *key, const YNode *v, StratusNatGatewayConfig *n,
                   GHashTable *used, guint explicit_eips)
{
  FieldCtx *ctx = p->ctx;
  StratusVpcConfig *vpc = p->vpc;
  static const char *const keys[] = { "subnet", "elastic_ips", NULL };
  n->name = g_strdup (key->value);
  n->elastic_ips = g_ptr_array_new_with_free_func (g_free);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a NAT gateway"))
    return false;
  if (strcmp (key->value, "local") == 0 || strcmp (key->value, "blackhole") == 0)
    return field_fail_at (ctx, key, "'%s' is a reserved route target; give the NAT gateway "
                          "another name", key->value);
  if (vpc->internet_gateway != NULL && strcmp (key->value, vpc->internet_gateway) == 0)
    return field_fail_at (ctx, key, "%s: the internet gateway has this name already; route "
                          "targets need different names", key->value);
  const YNode *subnet = field_require (ctx, v, "subnet", key->value);
  if (subnet == NULL || !vpc_check_ref (ctx, subnet, "subnet", "subnet", STRV (p->subnet_names)))
    return false;
  n->subnet = g_strdup (subnet->value);
  if (!stratus_vpc_subnet_is_public (vpc, find_subnet (vpc, n->subnet)))
    return field_fail_at (ctx, subnet, "%s: its subnet %s does not route 0.0.0.0/0 to an "
                          "internet gateway, so the NAT gateway cannot reach the internet",
                          n->name, n->subnet);
  const YNode *eips = ynode_map_get (v, "elastic_ips");
  if (eips == NULL)
    {
      char *anonymous = g_strdup_printf ("%s-eip", n->name);
      for (guint i = 0; i < explicit_eips; i++)
        if (strcmp (g_ptr_array_index (vpc->elastic_ips, i), anonymous) == 0)
          {
            field_fail_at (ctx, key, "%s: give it elastic_ips: the Elastic IP %s it would get "
                           "otherwise is declared in elastic_ips", n->name, anonymous);
            g_free (anonymous);
            return false;
          }
      g_ptr_array_add (n->elastic_ips, anonymous);
      return true;
    }
  if (!field_get_name_list (ctx, v, "elastic_ips", n->elastic_ips))
    return false;
  if (n->elastic_ips->len < 1 || n->elastic_ips->len > 8)
    return field_fail_at (ctx, eips, "elastic_ips: a NAT gateway takes 1 to 8 Elastic IPs "
                          "(found %u)", n->elastic_ips->len);
  GPtrArray *declared = g_ptr_array_new ();
  for (guint i = 0; i < explicit_eips; i++)
    g_ptr_array_add (declared, g_ptr_array_index (vpc->elastic_ips, i));
  g_ptr_array_add (declared, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < n->elastic_ips->len; i++)
    {
      const YNode *item = ynode_item (eips, i);
      const char *owner = g_hash_table_lookup (used, item->value);
      if (!vpc_check_ref (ctx, item, "elastic_ips", "Elastic IP", STRV (declared)))
        ok = false;
      else if (owner != NULL)
        ok = field_fail_at (ctx, item, "elastic_ips: %s is already used by NAT gateway %s",
                            item->value, owner);
      else
        g_hash_table_insert (used, item->value, n->name);
    }
  g_ptr_array_unref (declared);
  return ok;
}

/* Parses each entry of the map `section` (absent = none) with `parse_one`, each a zeroed
 * block of `size` bytes added to `out` first (so `out` frees it even when parsing fails). */
typedef bool (*VpcParseFn) (VpcParse *p, const YNode *key, const YNode *v, void *out);

static bool
parse_each (VpcParse *p, const YNode *section, size_t size, VpcParseFn parse_one, GPtrArray *out)
{
  for (guint i = 0; section != NULL && i < ynode_length (section); i++)
    {
      void *item = g_malloc0 (size);
      g_ptr_array_add (out, item);
      if (!parse_one (p, ynode_map_key (section, i), ynode_item (section, i), item))
        return false;
    }
  return true;
}

static bool
parse_route_table_any (VpcParse *p, const YNode *key, const YNode *v, void *out)
{
  return parse_route_table (p, key, v, out);
}

static bool
parse_security_group_any (VpcParse *p, const YNode *key, const YNode *v, void *out)
{
  return parse_security_group (p, key, v, out);
}

static bool
parse_network_acl_any (VpcParse *p, const YNode *key, const YNode *v, void *out)
{
  return parse_network_acl (p, key, v, out);
}

static bool
parse_subnet_any (VpcParse *p, const YNode *key, const YNode *v, void *out)
{
  return parse_subnet (p, key, v, out);
}

static const char *const vpc_keys[] = { "cidr", "internet_gateway", "main_route_table",
                                        "elastic_ips", "subnets", "route_tables",
                                        "nat_gateways", "security_groups", "network_acls",
                                        NULL };

static bool
parse_vpc_body (VpcParse *p, const YNode *v)
{
  FieldCtx *ctx = p->ctx;
  StratusVpcConfig *vpc = p->vpc;
  const YNode *cidr = field_require (ctx, v, "cidr", "vpc");
  if (cidr == NULL || !parse_cidr_node (ctx, cidr, "cidr", &vpc->cidr))
    return false;
  if (vpc->cidr.prefix < 16 || vpc->cidr.prefix > 28)
    return field_fail_at (ctx, cidr, "cidr: a VPC's block must be between /16 and /28 "
                          "(found /%u)", vpc->cidr.prefix);
  const YNode *igw = ynode_map_get (v, "internet_gateway");
  if (igw != NULL)
    {
      if (!field_expect_kind (ctx, igw, YNODE_SCALAR, "internet_gateway")
          || !field_check_name (ctx, igw))
        return false;
      if (strcmp (igw->value, "local") == 0 || strcmp (igw->value, "blackhole") == 0)
        return field_fail_at (ctx, igw, "internet_gateway: '%s' is a reserved route target; "
                              "give the gateway another name", igw->value);
      vpc->internet_gateway = g_strdup (igw->value);
    }
  if (!field_get_name_list (ctx, v, "elastic_ips", vpc->elastic_ips))
    return false;
  guint explicit_eips = vpc->elastic_ips->len;

  const YNode *subnets, *tables, *nats, *groups, *acls;
  if (!get_optional (ctx, v, "subnets", YNODE_MAP, &subnets)
      || !get_optional (ctx, v, "route_tables", YNODE_MAP, &tables)
      || !get_optional (ctx, v, "nat_gateways", YNODE_MAP, &nats)
      || !get_optional (ctx, v, "security_groups", YNODE_MAP, &groups)
      || !get_optional (ctx, v, "network_acls", YNODE_MAP, &acls))
    return false;
  p->subnet_names = names_of (subnets);
  p->table_names = names_of (tables);
  p->nat_names = names_of (nats);
  p->group_names = names_of (groups);
  p->acl_names = names_of (acls);

  if (!parse_each (p, tables, sizeof (StratusRouteTableConfig), parse_route_table_any,
                   vpc->route_tables)
      || !parse_each (p, groups, sizeof (StratusSecurityGroupConfig), parse_security_group_any,
                      vpc->security_groups)
      || !parse_each (p, acls, sizeof (StratusNetworkAclConfig), parse_network_acl_any,
                      vpc->network_acls)
      || !parse_each (p, subnets, sizeof (StratusSubnetConfig), parse_subnet_any, vpc->subnets))
    return false;
  const YNode *main_table = ynode_map_get (v, "main_route_table");
  if (main_table != NULL
      && (!vpc_check_ref (ctx, main_table, "main_route_table", "route table", STRV (p->table_names))
          || !field_get_string (ctx, v, "main_route_table", NULL, &vpc->main_route_table)))
    return false;

  GHashTable *used = g_hash_table_new (g_str_hash, g_str_equal);
  bool ok = true;
  for (guint i = 0; ok && nats != NULL && i < ynode_length (nats); i++)
    {
      StratusNatGatewayConfig *n = g_new0 (StratusNatGatewayConfig, 1);
      g_ptr_array_add (vpc->nat_gateways, n);
      ok = parse_nat_gateway (p, ynode_map_key (nats, i), ynode_item (nats, i), n, used,
                              explicit_eips);
    }
  g_hash_table_unref (used);
  /* The Elastic IPs the parser supplied join the VPC's list. */
  for (guint i = 0; ok && i < vpc->nat_gateways->len; i++)
    {
      StratusNatGatewayConfig *n = g_ptr_array_index (vpc->nat_gateways, i);
      if (ynode_map_get (ynode_item (nats, i), "elastic_ips") == NULL)
        g_ptr_array_add (vpc->elastic_ips, g_strdup (g_ptr_array_index (n->elastic_ips, 0)));
    }
  return ok;
}

/* The `vpc` row's parse: the section `v` (NULL: none, s->vpc stays NULL) into s->vpc, set
 * as soon as it is allocated so that the row's free releases it even when parsing fails.
 * Needs s->azs. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *v, StratusScenario *s)
{
  s->vpc = NULL;
  if (v == NULL)
    return true;
  if (!field_expect_kind (ctx, v, YNODE_MAP, "vpc")
      || !field_check_keys (ctx, v, vpc_keys, "the vpc section"))
    return false;
  s->vpc = vpc_new ();
  GPtrArray *azs = g_ptr_array_new ();
  for (guint i = 0; i < s->azs->len; i++)
    g_ptr_array_add (azs, g_ptr_array_index (s->azs, i));
  g_ptr_array_add (azs, NULL);
  VpcParse p = { .ctx = ctx, .vpc = s->vpc, .azs = STRV (azs) };
  bool ok = parse_vpc_body (&p, v);
  GPtrArray **names[] = { &p.nat_names, &p.table_names, &p.group_names, &p.acl_names,
                          &p.subnet_names, &azs };
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    g_clear_pointer (names[i], g_ptr_array_unref);
  return ok;
}

/* The `vpc` row's free. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->vpc, vpc_config_free);
}

/* The load balancers' and fleets' network keys are checked against the VPC by their own
 * rows (placement.c), so the `vpc` row has nothing to link or check. */
const ScenarioSection section_vpc = {
  .key = "vpc",
  .pass = SECTION_PASS_CONTEXT,
  .parse = section_parse,
  .free = section_free,
};
