/* From a CloudFormation template to a stratus scenario (issue 14): the context, the
 * helpers, the network (`vpc`) and the assembly of the scenario's text. The fleets, load
 * balancers and Auto Scaling groups are in import_compute.c, the databases in
 * import_db.c. docs/import.md, "From a template to a scenario". */
#include "import_internal.h"

#include "cfn_internal.h"

#include <stdarg.h>
#include <string.h>

const StratusCfnValue *
imp_prop (const StratusCfnResource *r, const char *key)
{
  return stratus_cfn_value_get (r->properties, key);
}

const char *
imp_text (const StratusCfnValue *v)
{
  if (v == NULL)
    return NULL;
  if (v->kind == STRATUS_CFN_STRING || v->kind == STRATUS_CFN_NUMBER || v->kind == STRATUS_CFN_BOOL)
    return v->text;
  return NULL;
}

bool
imp_fail (ImportCtx *c, const char *file, int line, int column, const char *fmt, ...)
{
  if (c->error != NULL)
    return false;
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  c->error = g_error_new (STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_INVALID, "%s:%d:%d: %s",
                          file, line, column, msg);
  g_free (msg);
  return false;
}

/* Appends `prefix`, `text` made one printable line (cfn_printable), and a line break. */
static void
append_line (GString *out, const char *prefix, const char *text)
{
  char *printable = cfn_printable (text);
  g_string_append_printf (out, "%s%s\n", prefix, printable);
  g_free (printable);
}

void
imp_note (ImportCtx *c, const StratusCfnResource *r, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  char *line = g_strdup_printf ("%s (%s, %s:%d:%d): %s", r->logical_id, r->type, r->file,
                                r->line, r->column, msg);
  append_line (c->report, "  ", line);
  g_free (line);
  g_free (msg);
}

/* The reason for `r` is kept in c->why; the report prefers it to its type's. */
void
imp_unmodelled (ImportCtx *c, const StratusCfnResource *r, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_hash_table_insert (c->why, r->logical_id, g_strdup_vprintf (fmt, ap));
  va_end (ap);
}

const char *
imp_name (ImportCtx *c, const char *logical_id)
{
  return g_hash_table_lookup (c->names, logical_id);
}

void
imp_consume (ImportCtx *c, const StratusCfnResource *r)
{
  g_hash_table_add (c->consumed, r->logical_id);
}

bool
imp_is_type (const StratusCfnResource *r, const char *type)
{
  return strcmp (r->type, type) == 0;
}

bool
imp_refers_to (const StratusCfnValue *v, const char *id)
{
  return v != NULL && (v->kind == STRATUS_CFN_REF || v->kind == STRATUS_CFN_GETATT)
         && strcmp (v->text, id) == 0;
}

/* "an" before a type that starts with a vowel ("an AWS::S3::Bucket"), else "a". */
static const char *
article (const char *type)
{
  return strchr ("AEIOUaeiou", type[0]) != NULL && type[0] != '\0' ? "an" : "a";
}

const StratusCfnResource *
imp_target (ImportCtx *c, const StratusCfnResource *owner, const StratusCfnValue *v,
            const char *what, bool required, const char *const *types)
{
  if (v == NULL)
    {
      if (required)
        imp_fail (c, owner->file, owner->line, owner->column,
                  "%s: %s needs %s, which stratus needs to place it", owner->logical_id,
                  owner->type, what);
      return NULL;
    }
  if (v->kind != STRATUS_CFN_REF && v->kind != STRATUS_CFN_GETATT)
    {
      char *shown = stratus_cfn_value_render (v);
      imp_fail (c, v->file, v->line, v->column,
                "%s: '%s' is not a resource of this template (stratus needs the %s itself: "
                "write !Ref to it)", what, shown, types[0]);
      g_free (shown);
      return NULL;
    }
  const StratusCfnResource *r = stratus_cfn_find_resource (c->t, v->text);
  if (r == NULL)
    {
      imp_fail (c, v->file, v->line, v->column, "%s: no resource '%s' in the template", what,
                v->text);
      return NULL;
    }
  for (const char *const *t = types; *t != NULL; t++)
    if (imp_is_type (r, *t))
      return r;
  GString *want = g_string_new (NULL);
  for (const char *const *t = types; *t != NULL; t++)
    g_string_append_printf (want, "%s%s", t == types ? "" : " or ", *t);
  imp_fail (c, v->file, v->line, v->column, "%s: %s is %s %s, not %s %s%s", what,
            r->logical_id, article (r->type), r->type, article (types[0]), want->str,
            g_str_has_prefix (r->type, "AWS::EC2::") || g_str_has_prefix (r->type, "AWS::RDS::")
                ? "" : " (stratus does not model it)");
  g_string_free (want, TRUE);
  return NULL;
}

bool
imp_name_list (ImportCtx *c, const StratusCfnResource *owner, GString *out,
               const StratusCfnValue *v, const char *what, const char *const *types)
{
  g_string_append_c (out, '[');
  if (v != NULL && v->kind == STRATUS_CFN_LIST)
    for (guint i = 0; i < v->items->len; i++)
      {
        const StratusCfnResource *r = imp_target (c, owner, v->items->pdata[i], what, true, types);
        if (r == NULL)
          return false;
        g_string_append_printf (out, "%s%s", i ? ", " : "", imp_name (c, r->logical_id));
      }
  else if (v != NULL)
    {
      const StratusCfnResource *r = imp_target (c, owner, v, what, true, types);
      if (r == NULL)
        return false;
      g_string_append (out, imp_name (c, r->logical_id));
    }
  g_string_append_c (out, ']');
  return true;
}

/* Whether `text` can be written as a plain YAML scalar in any context (block or flow):
 * letters, digits and . _ / - +, not starting with '-' unless a number follows. */
static bool
is_plain_word (const char *text)
{
  if (text[0] == '\0' || (text[0] == '-' && !g_ascii_isdigit (text[1])))
    return false;
  for (const char *p = text; *p; p++)
    if (!(g_ascii_isalnum (*p) || strchr ("._/-+", *p) != NULL))
      return false;
  return true;
}

void
imp_scalar (GString *out, const char *text)
{
  if (is_plain_word (text) && text[0] != '+')
    {
      g_string_append (out, text);
      return;
    }
  char *body = cfn_escape (text, true);
  g_string_append_printf (out, "\"%s\"", body);
  g_free (body);
}

const char *
imp_word (ImportCtx *c, const StratusCfnValue *v)
{
  const char *text = imp_text (v);
  if (text == NULL || is_plain_word (text))
    return text;
  char *shown = cfn_printable (text);
  imp_fail (c, v->file, v->line, v->column,
            "'%s' is not a value stratus can read here (a number or a word of letters, "
            "digits and . _ / - +)", shown);
  g_free (shown);
  return NULL;
}

/* "PublicSubnetA" -> "public-subnet-a", "ALBSecurityGroup" -> "alb-security-group". */
static char *
kebab (const char *id)
{
  GString *s = g_string_new (NULL);
  size_t n = strlen (id);
  for (size_t i = 0; i < n; i++)
    {
      char ch = id[i];
      if (!g_ascii_isalnum (ch))
        {
          if (s->len > 0 && s->str[s->len - 1] != '-')
            g_string_append_c (s, '-');
          continue;
        }
      if (g_ascii_isupper (ch) && i > 0 && s->len > 0 && s->str[s->len - 1] != '-'
          && (g_ascii_islower (id[i - 1]) || g_ascii_isdigit (id[i - 1])
              || (g_ascii_isupper (id[i - 1]) && i + 1 < n && g_ascii_islower (id[i + 1]))))
        g_string_append_c (s, '-');
      g_string_append_c (s, g_ascii_tolower (ch));
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "resource");
  return g_string_free (s, FALSE);
}

/* ---- the network -------------------------------------------------------------------- */

static const char *const T_SUBNET[] = { "AWS::EC2::Subnet", NULL };
static const char *const T_RT[] = { "AWS::EC2::RouteTable", NULL };
static const char *const T_SG[] = { "AWS::EC2::SecurityGroup", NULL };
static const char *const T_NACL[] = { "AWS::EC2::NetworkAcl", NULL };
static const char *const T_EIP[] = { "AWS::EC2::EIP", NULL };
static const char *const T_VPC[] = { "AWS::EC2::VPC", NULL };

/* The resource of `type` whose property `key` refers to `id` (the first after `from`). */
static const StratusCfnResource *
find_linked (ImportCtx *c, const char *type, const char *key, const char *id, guint *from)
{
  for (guint i = from ? *from : 0; i < c->t->resources->len; i++)
    {
      const StratusCfnResource *r = c->t->resources->pdata[i];
      if (imp_is_type (r, type) && imp_refers_to (imp_prop (r, key), id))
        {
          if (from)
            *from = i + 1;
          return r;
        }
    }
  return NULL;
}

static const char *
protocol (const StratusCfnValue *v)
{
  const char *p = imp_text (v);
  if (p == NULL)
    return NULL;
  if (g_ascii_strcasecmp (p, "tcp") == 0 || strcmp (p, "6") == 0)
    return "tcp";
  if (g_ascii_strcasecmp (p, "udp") == 0 || strcmp (p, "17") == 0)
    return "udp";
  if (g_ascii_strcasecmp (p, "icmp") == 0 || strcmp (p, "1") == 0)
    return "icmp";
  if (strcmp (p, "-1") == 0 || g_ascii_strcasecmp (p, "all") == 0)
    return "all";
  return NULL;
}

static void
ports (GString *out, const char *proto, const char *from, const char *to)
{
  if (strcmp (proto, "tcp") != 0 && strcmp (proto, "udp") != 0)
    return;
  if (from == NULL || strcmp (from, "-1") == 0 || (strcmp (from, "0") == 0 && to && strcmp (to, "65535") == 0))
    g_string_append (out, ", ports: all");
  else if (to == NULL || strcmp (from, to) == 0)
    g_string_append_printf (out, ", ports: %s", from);
  else
    g_string_append_printf (out, ", ports: %s-%s", from, to);
}

/* One security-group rule (an item of SecurityGroupIngress / Egress or a standalone
 * rule's properties); false on an error, true (writing nothing) for a rule skipped. */
static bool
sg_rule (ImportCtx *c, const StratusCfnResource *owner, GString *out, const StratusCfnValue *rule,
         bool inbound)
{
  const char *proto = protocol (stratus_cfn_value_get (rule, "IpProtocol"));
  if (proto == NULL)
    {
      imp_note (c, owner, "a rule with IpProtocol '%s' is left out (stratus knows tcp, udp, icmp, -1)",
                imp_text (stratus_cfn_value_get (rule, "IpProtocol")) ?: "?");
      return true;
    }
  const char *peer_key = inbound ? "SourceSecurityGroupId" : "DestinationSecurityGroupId";
  const StratusCfnValue *peer = stratus_cfn_value_get (rule, peer_key);
  const char *cidr = imp_word (c, stratus_cfn_value_get (rule, "CidrIp"));
  GString *peer_text = g_string_new (NULL);
  if (peer != NULL)
    {
      const StratusCfnResource *g = imp_target (c, owner, peer, peer_key, true, T_SG);
      if (g == NULL)
        {
          g_string_free (peer_text, TRUE);
          return false;
        }
      g_string_append (peer_text, imp_name (c, g->logical_id));
    }
  else if (cidr != NULL)
    g_string_append (peer_text, cidr);
  else
    {
      imp_note (c, owner, "a rule without CidrIp or %s (IPv6 or a prefix list) is left out", peer_key);
      g_string_free (peer_text, TRUE);
      return true;
    }
  g_string_append_printf (out, "        - {protocol: %s", proto);
  ports (out, proto, imp_word (c, stratus_cfn_value_get (rule, "FromPort")),
         imp_word (c, stratus_cfn_value_get (rule, "ToPort")));
  g_string_append_printf (out, ", %s: %s}\n", inbound ? "source" : "destination", peer_text->str);
  g_string_free (peer_text, TRUE);
  return true;
}

static bool
sg_rules (ImportCtx *c, const StratusCfnResource *sg, GString *out, bool inbound)
{
  const char *list_key = inbound ? "SecurityGroupIngress" : "SecurityGroupEgress";
  const char *type = inbound ? "AWS::EC2::SecurityGroupIngress" : "AWS::EC2::SecurityGroupEgress";
  GString *rules = g_string_new (NULL);
  bool any = false;
  const StratusCfnValue *list = imp_prop (sg, list_key);
  if (list != NULL && list->kind == STRATUS_CFN_LIST)
    {
      any = true;
      for (guint i = 0; i < list->items->len; i++)
        if (!sg_rule (c, sg, rules, list->items->pdata[i], inbound))
          goto fail;
    }
  guint from = 0;
  const StratusCfnResource *extra;
  while ((extra = find_linked (c, type, "GroupId", sg->logical_id, &from)) != NULL)
    {
      any = true;
      imp_consume (c, extra);
      if (!sg_rule (c, extra, rules, extra->properties, inbound))
        goto fail;
    }
  if (any)
    g_string_append_printf (out, "      %s:%s\n%s", inbound ? "inbound" : "outbound",
                            rules->len ? "" : " []", rules->str);
  g_string_free (rules, TRUE);
  return true;
fail:
  g_string_free (rules, TRUE);
  return false;
}

bool
imp_sg_admits (ImportCtx *c, const char *sg, const char *source)
{
  const StratusCfnResource *r = stratus_cfn_find_resource (c->t, sg);
  if (r == NULL)
    return false;
  const StratusCfnValue *list = imp_prop (r, "SecurityGroupIngress");
  if (list != NULL && list->kind == STRATUS_CFN_LIST)
    for (guint i = 0; i < list->items->len; i++)
      if (imp_refers_to (stratus_cfn_value_get (list->items->pdata[i], "SourceSecurityGroupId"), source))
        return true;
  guint from = 0;
  const StratusCfnResource *extra;
  while ((extra = find_linked (c, "AWS::EC2::SecurityGroupIngress", "GroupId", sg, &from)) != NULL)
    if (imp_refers_to (imp_prop (extra, "SourceSecurityGroupId"), source))
      return true;
  return false;
}

static bool
nacl_entries (ImportCtx *c, const StratusCfnResource *acl, GString *out, bool egress)
{
  GString *rules = g_string_new (NULL);
  guint from = 0;
  const StratusCfnResource *e;
  while ((e = find_linked (c, "AWS::EC2::NetworkAclEntry", "NetworkAclId", acl->logical_id, &from)) != NULL)
    {
      const char *eg = imp_text (imp_prop (e, "Egress"));
      if ((eg != NULL && strcmp (eg, "true") == 0) != egress)
        continue;
      imp_consume (c, e);
      const char *proto = protocol (imp_prop (e, "Protocol"));
      const char *cidr = imp_word (c, imp_prop (e, "CidrBlock"));
      if (proto == NULL || cidr == NULL)
        {
          imp_note (c, e, "left out: stratus knows tcp, udp, icmp and -1 over IPv4 blocks");
          continue;
        }
      const StratusCfnValue *range = imp_prop (e, "PortRange");
      g_string_append_printf (rules, "        - {rule: %s, action: %s, protocol: %s",
                              imp_word (c, imp_prop (e, "RuleNumber")) ?: "100",
                              imp_word (c, imp_prop (e, "RuleAction")) ?: "allow", proto);
      ports (rules, proto, imp_word (c, stratus_cfn_value_get (range, "From")),
             imp_word (c, stratus_cfn_value_get (range, "To")));
      g_string_append_printf (rules, ", %s: %s}\n", egress ? "destination" : "source", cidr);
    }
  if (rules->len)
    g_string_append_printf (out, "      %s:\n%s", egress ? "outbound" : "inbound", rules->str);
  g_string_free (rules, TRUE);
  return true;
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

void
imp_map_vpc (ImportCtx *c)
{
  const StratusCfnResource *vpc = NULL;
  const char *igw = NULL;
  GPtrArray *res = c->t->resources;
  for (guint i = 0; i < res->len; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (imp_is_type (r, "AWS::EC2::VPC"))
        {
          if (vpc != NULL)
            {
              imp_note (c, r, "left out: stratus models one VPC (%s)", vpc->logical_id);
              imp_consume (c, r);
              continue;
            }
          vpc = r;
          imp_consume (c, r);
        }
      else if (imp_is_type (r, "AWS::EC2::InternetGateway") && igw == NULL)
        {
          igw = imp_name (c, r->logical_id);
          imp_consume (c, r);
        }
      else if (imp_is_type (r, "AWS::EC2::VPCGatewayAttachment")
               || imp_is_type (r, "AWS::EC2::SubnetRouteTableAssociation")
               || imp_is_type (r, "AWS::EC2::SubnetNetworkAclAssociation"))
        imp_consume (c, r);
    }
  if (vpc == NULL)
    return;
  c->has_vpc = true;
  GString *o = c->vpc;
  const char *cidr = imp_word (c, imp_prop (vpc, "CidrBlock"));
  if (cidr == NULL)
    {
      imp_fail (c, vpc->file, vpc->line, vpc->column, "%s: the VPC needs a CidrBlock",
                vpc->logical_id);
      return;
    }
  g_string_append_printf (o, "vpc:\n  cidr: %s\n", cidr);
  if (igw != NULL)
    g_string_append_printf (o, "  internet_gateway: %s\n", igw);
  GString *eips = g_string_new (NULL);
  for (guint i = 0; i < res->len; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (imp_is_type (r, "AWS::EC2::EIP") && find_linked (c, "AWS::EC2::NatGateway", "AllocationId", r->logical_id, NULL))
        {
          g_string_append_printf (eips, "%s%s", eips->len ? ", " : "", imp_name (c, r->logical_id));
          imp_consume (c, r);
        }
    }
  if (eips->len)
    g_string_append_printf (o, "  elastic_ips: [%s]\n", eips->str);
  g_string_free (eips, TRUE);

  GString *sec = g_string_new (NULL);
  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (!imp_is_type (r, "AWS::EC2::Subnet"))
        continue;
      imp_consume (c, r);
      imp_target (c, r, imp_prop (r, "VpcId"), "VpcId", false, T_VPC);
      const char *scidr = imp_word (c, imp_prop (r, "CidrBlock"));
      const char *az = imp_word (c, imp_prop (r, "AvailabilityZone"));
      if (scidr == NULL || az == NULL)
        {
          imp_fail (c, r->file, r->line, r->column,
                    "%s: a subnet needs a CidrBlock and an AvailabilityZone (stratus places it in an AZ)",
                    r->logical_id);
          break;
        }
      bool seen = false;
      for (guint k = 0; k < c->azs->len; k++)
        seen |= strcmp (c->azs->pdata[k], az) == 0;
      if (!seen)
        g_ptr_array_add (c->azs, g_strdup (az));
      g_string_append_printf (sec, "    %s: {cidr: %s, az: %s", imp_name (c, r->logical_id), scidr, az);
      const StratusCfnResource *assoc
        = find_linked (c, "AWS::EC2::SubnetRouteTableAssociation", "SubnetId", r->logical_id, NULL);
      if (assoc != NULL)
        {
          const StratusCfnResource *rt = imp_target (c, assoc, imp_prop (assoc, "RouteTableId"),
                                                     "RouteTableId", true, T_RT);
          if (rt != NULL)
            g_string_append_printf (sec, ", route_table: %s", imp_name (c, rt->logical_id));
        }
      assoc = find_linked (c, "AWS::EC2::SubnetNetworkAclAssociation", "SubnetId", r->logical_id, NULL);
      if (assoc != NULL)
        {
          const StratusCfnResource *acl = imp_target (c, assoc, imp_prop (assoc, "NetworkAclId"),
                                                      "NetworkAclId", true, T_NACL);
          if (acl != NULL)
            g_string_append_printf (sec, ", network_acl: %s", imp_name (c, acl->logical_id));
        }
      const char *pub = imp_text (imp_prop (r, "MapPublicIpOnLaunch"));
      if (pub != NULL && strcmp (pub, "true") == 0)
        g_string_append (sec, ", map_public_ip_on_launch: true");
      g_string_append (sec, "}\n");
    }
  g_ptr_array_sort (c->azs, cmp_str);
  if (sec->len)
    g_string_append_printf (o, "  subnets:\n%s", sec->str);
  g_string_truncate (sec, 0);

  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (!imp_is_type (r, "AWS::EC2::RouteTable"))
        continue;
      imp_consume (c, r);
      g_string_append_printf (sec, "    %s:\n", imp_name (c, r->logical_id));
      GString *routes = g_string_new (NULL);
      guint from = 0;
      const StratusCfnResource *route;
      while ((route = find_linked (c, "AWS::EC2::Route", "RouteTableId", r->logical_id, &from)) != NULL)
        {
          imp_consume (c, route);
          const char *dest = imp_word (c, imp_prop (route, "DestinationCidrBlock"));
          const StratusCfnValue *gw = imp_prop (route, "GatewayId");
          const StratusCfnValue *nat = imp_prop (route, "NatGatewayId");
          const StratusCfnResource *target = NULL;
          if (dest != NULL && gw != NULL)
            target = imp_target (c, route, gw, "GatewayId", true,
                                 (const char *const[]){ "AWS::EC2::InternetGateway", NULL });
          else if (dest != NULL && nat != NULL)
            target = imp_target (c, route, nat, "NatGatewayId", true,
                                 (const char *const[]){ "AWS::EC2::NatGateway", NULL });
          else
            {
              imp_note (c, route, "left out: stratus routes IPv4 blocks to an internet gateway or a NAT gateway");
              continue;
            }
          if (target == NULL)
            break;
          g_string_append_printf (routes, "        - {destination: %s, target: %s}\n", dest,
                                  imp_name (c, target->logical_id));
        }
      if (routes->len)
        g_string_append_printf (sec, "      routes:\n%s", routes->str);
      else
        g_string_append (sec, "      routes: []\n");
      g_string_free (routes, TRUE);
    }
  if (sec->len)
    g_string_append_printf (o, "  route_tables:\n%s", sec->str);
  g_string_truncate (sec, 0);

  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (!imp_is_type (r, "AWS::EC2::NatGateway"))
        continue;
      imp_consume (c, r);
      const StratusCfnResource *sn = imp_target (c, r, imp_prop (r, "SubnetId"), "SubnetId", true, T_SUBNET);
      if (sn == NULL)
        break;
      g_string_append_printf (sec, "    %s: {subnet: %s", imp_name (c, r->logical_id),
                              imp_name (c, sn->logical_id));
      const StratusCfnResource *eip = imp_target (c, r, imp_prop (r, "AllocationId"), "AllocationId",
                                                  false, T_EIP);
      if (eip != NULL)
        g_string_append_printf (sec, ", elastic_ips: [%s]", imp_name (c, eip->logical_id));
      g_string_append (sec, "}\n");
    }
  if (sec->len)
    g_string_append_printf (o, "  nat_gateways:\n%s", sec->str);
  g_string_truncate (sec, 0);

  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (!imp_is_type (r, "AWS::EC2::SecurityGroup"))
        continue;
      imp_consume (c, r);
      g_string_append_printf (sec, "    %s:\n", imp_name (c, r->logical_id));
      gsize before = sec->len;
      if (!sg_rules (c, r, sec, true) || !sg_rules (c, r, sec, false))
        break;
      if (sec->len == before)
        g_string_append (sec, "      inbound: []\n");
    }
  if (sec->len)
    g_string_append_printf (o, "  security_groups:\n%s", sec->str);
  g_string_truncate (sec, 0);

  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (!imp_is_type (r, "AWS::EC2::NetworkAcl"))
        continue;
      imp_consume (c, r);
      g_string_append_printf (sec, "    %s:\n", imp_name (c, r->logical_id));
      gsize before = sec->len;
      nacl_entries (c, r, sec, false);
      nacl_entries (c, r, sec, true);
      if (sec->len == before)
        g_string_append (sec, "      inbound: []\n");
    }
  if (sec->len)
    g_string_append_printf (o, "  network_acls:\n%s", sec->str);
  g_string_free (sec, TRUE);
}

/* ---- the whole -------------------------------------------------------------------- */

static const char *
why_unmodelled (const char *type)
{
  /* CloudFormation's type prefix, Terraform's (as the plan reader keeps it), why. */
  static const struct { const char *cfn, *tf, *why; } table[] = {
    { "AWS::S3::", "Terraform::aws_s3_", "object storage: requests to it are not simulated" },
    { "AWS::IAM::", "Terraform::aws_iam_", "permissions do not change traffic" },
    { "AWS::Lambda::", "Terraform::aws_lambda_", "functions are not simulated" },
    { "AWS::Logs::", "Terraform::aws_cloudwatch_log_", "logs do not change traffic" },
    { "AWS::CloudWatch::", "Terraform::aws_cloudwatch_", "dashboards, and alarms that trigger no scaling policy stratus imports, are not simulated" },
    { "AWS::SNS::", "Terraform::aws_sns_", "notifications are not simulated" },
    { "AWS::SQS::", "Terraform::aws_sqs_", "queues are not simulated" },
    { "AWS::KMS::", "Terraform::aws_kms_", "keys do not change traffic" },
    { "AWS::Route53::", "Terraform::aws_route53_",
      "DNS records are not simulated (clients reach the load balancer)" },
    { "AWS::CertificateManager::", "Terraform::aws_acm_", "TLS is not simulated" },
    { "AWS::SecretsManager::", "Terraform::aws_secretsmanager_", "secrets do not change traffic" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_has_prefix (type, table[i].cfn) || g_str_has_prefix (type, table[i].tf))
      return table[i].why;
  return "stratus does not model this type";
}

StratusImport *
stratus_import_template (const StratusCfnTemplate *tmpl, const char *source, GError **error)
{
  ImportCtx ctx = { .t = tmpl };
  ImportCtx *c = &ctx;
  c->names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  c->used = g_hash_table_new (g_str_hash, g_str_equal);
  c->consumed = g_hash_table_new (g_str_hash, g_str_equal);
  c->why = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  c->report = g_string_new (NULL);
  c->azs = g_ptr_array_new_with_free_func (g_free);
  GString **sections[] = { &c->vpc, &c->lbs, &c->tgs, &c->instances, &c->amis, &c->lts,
                           &c->asgs, &c->dbs, &c->workload };
  for (size_t i = 0; i < G_N_ELEMENTS (sections); i++)
    *sections[i] = g_string_new (NULL);
  for (guint i = 0; i < tmpl->resources->len; i++)
    {
      const StratusCfnResource *r = tmpl->resources->pdata[i];
      char *base = kebab (r->logical_id);
      char *name = g_strdup (base);
      for (int k = 2; g_hash_table_contains (c->used, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s-%d", base, k);
        }
      g_free (base);
      g_hash_table_insert (c->names, r->logical_id, name);
      g_hash_table_add (c->used, name);
    }

  imp_map_vpc (c);
  if (c->error == NULL)
    imp_map_databases (c);
  if (c->error == NULL)
    imp_map_compute (c);
  if (c->error == NULL && c->workload->len == 0)
    imp_fail (c, tmpl->path, 1, 1,
              "the template has no internet-facing Application Load Balancer with a listener: "
              "a stratus scenario needs one for its workload");

  StratusImport *imp = NULL;
  if (c->error != NULL)
    {
      g_propagate_error (error, c->error);
      cfn_error_printable (error);
    }
  else
    {
      GString *unmodelled = g_string_new (NULL);
      unsigned n_un = 0, n_mod = 0;
      for (guint i = 0; i < tmpl->resources->len; i++)
        {
          const StratusCfnResource *r = tmpl->resources->pdata[i];
          if (g_hash_table_contains (c->consumed, r->logical_id))
            {
              n_mod++;
              continue;
            }
          n_un++;
          char *line = g_strdup_printf ("%s (%s, %s:%d:%d): not modelled: %s", r->logical_id,
                                        r->type, r->file, r->line, r->column,
                                        (const char *) g_hash_table_lookup (c->why, r->logical_id)
                                          ?: why_unmodelled (r->type));
          append_line (unmodelled, "  ", line);
          g_free (line);
        }
      GString *rep = g_string_new (NULL);
      g_string_append_printf (rep, "Import report: %u resources modelled, %u not modelled\n",
                              n_mod, n_un);
      g_string_append (rep, unmodelled->str);
      g_string_append (rep, c->report->str);
      for (guint i = 0; i < tmpl->warnings->len; i++)
        append_line (rep, "  warning: ", tmpl->warnings->pdata[i]);
      g_string_free (unmodelled, TRUE);

      GString *s = g_string_new (NULL);
      char *head = g_strdup_printf ("Imported by `stratus import` from %s (stack %s, region %s).",
                                    source ? source : tmpl->path, tmpl->stack_name, tmpl->region);
      append_line (s, "# ", head);
      g_free (head);
      if (tmpl->description != NULL)
        {
          char *d = g_strdup (tmpl->description);
          g_strdelimit (d, "\n\r", ' ');
          append_line (s, "# ", g_strstrip (d));
          g_free (d);
        }
      g_string_append (s, "# What a template cannot say (the workload, service times, database work,\n"
                          "# boot and user-data times, the duration, the seed) is marked\n"
                          "# \"" STRATUS_IMPORT_DEFAULT_MARK "\".\n#\n");
      char **lines = g_strsplit (rep->str, "\n", -1);
      for (char **l = lines; *l && **l; l++)
        g_string_append_printf (s, "# %s\n", *l);
      g_strfreev (lines);
      char *name = kebab (tmpl->stack_name);
      g_string_append_printf (s, "\nname: %s\nduration: 1h" MARK "\nseed: 1" MARK "\nregion: %s\nazs: [",
                              name, tmpl->region);
      g_free (name);
      for (guint i = 0; i < c->azs->len; i++)
        g_string_append_printf (s, "%s%s", i ? ", " : "", (char *) c->azs->pdata[i]);
      g_string_append (s, "]\n");
      const char *heads[] = { NULL, "load_balancers", "target_groups", "instances", "amis",
                              "launch_templates", "auto_scaling_groups", "databases", "workload" };
      for (size_t i = 1; i < G_N_ELEMENTS (sections); i++)
        if ((*sections[i])->len)
          g_string_append_printf (s, "\n%s:\n%s", heads[i], (*sections[i])->str);
      if (c->vpc->len)
        g_string_append_printf (s, "\n%s", c->vpc->str);
      imp = g_new0 (StratusImport, 1);
      imp->scenario = g_string_free (s, FALSE);
      imp->report = g_string_free (rep, FALSE);
      imp->modelled = n_mod;
      imp->unmodelled = n_un;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (sections); i++)
    g_string_free (*sections[i], TRUE);
  g_ptr_array_free (c->azs, TRUE);
  g_string_free (c->report, TRUE);
  g_hash_table_destroy (c->consumed);
  g_hash_table_destroy (c->why);
  g_hash_table_destroy (c->used);
  g_hash_table_destroy (c->names);
  return imp;
}

void
stratus_import_free (StratusImport *imp)
{
  if (imp == NULL)
    return;
  g_free (imp->scenario);
  g_free (imp->report);
  g_free (imp);
}
