/* The network: CIDR arithmetic, and paths through a VPC hop by hop (longest-prefix routes,
 * main-table fallback, stateful security groups, stateless numbered network ACLs, internet
 * and NAT gateways), NAT connection and bandwidth limits, counters, the path cache and the
 * flat network. Networks are built from scenario text, endpoints placed as the model does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <string.h>

#include "stratus/cidr.h"
#include "stratus/network.h"
#include "stratus/scenario.h"

/* ---- helpers ------------------------------------------------------------------------ */

#define SAME_AZ (100 * STRATUS_US)
#define CROSS_AZ (600 * STRATUS_US)
#define INTERNET (15 * STRATUS_MS)

static const char head[] = "name: t\n"
                           "duration: 10m\n"
                           "azs: [us-east-1a, us-east-1b]\n"
                           "latency: {same_az: 0.1ms, cross_az: 0.6ms, internet: 15ms}\n";

/* Every VPC below has subnets `a` (us-east-1a) and `b` (us-east-1b) for this internal load
 * balancer; the tests place their own endpoints. */
static const char tail[] = "load_balancers:\n"
                           "  lb:\n"
                           "    scheme: internal\n"
                           "    subnets: [a, b]\n"
                           "    target_group: web\n"
                           "instances:\n"
                           "  web:\n"
                           "    service_time: 10ms\n"
                           "    target_group: web\n"
                           "    subnets: [a]\n"
                           "workload:\n"
                           "  w:\n"
                           "    entry: lb\n"
                           "    rate: 10/s\n";

typedef struct
{
  StratusScenario *scenario;
  StratusNetwork *net;
} Net;

static StratusScenario *
load_text (const char *text)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "t.yaml", NULL, &error);
  if (s == NULL)
    {
      print_error ("scenario refused: %s\n", error->message);
      g_error_free (error);
      fail ();
    }
  return s;
}

/* A network for the scenario made of `head`, `vpc` (a whole "vpc:" section) and `tail`. */
static Net
net_new (const char *vpc)
{
  char *text = g_strconcat (head, vpc, tail, NULL);
  Net n;
  n.scenario = load_text (text);
  g_free (text);
  assert_non_null (n.scenario->vpc);
  n.net = stratus_network_new (n.scenario);
  return n;
}

static void
net_free (Net *n)
{
  stratus_network_free (n->net);
  stratus_scenario_free (n->scenario);
}

static uint32_t
address (const char *text)
{
  uint32_t a = 0;
  GError *error = NULL;
  if (!stratus_address_parse (text, &a, &error))
    {
      print_error ("%s\n", error->message);
      g_error_free (error);
      fail ();
    }
  return a;
}

static int
subnet_index (const StratusScenario *s, const char *name)
{
  int i = stratus_vpc_subnet_index (s->vpc, name);
  if (i < 0)
    fail_msg ("no subnet %s", name);
  return i;
}

/* An address on the internet (a client or an external service). */
static int
add_internet (Net *n, const char *name, const char *where)
{
  StratusEndpointSpec spec = { .name = name, .internet = true, .address = address (where),
                               .subnet = -1, .az = -1 };
  return stratus_network_add_endpoint (n->net, &spec);
}

/* An interface in `subnet`, in the comma-separated security `groups` (NULL: none given,
 * "": an empty list). */
static int
add_interface (Net *n, const char *name, const char *subnet, const char *groups, bool public_ip)
{
  GPtrArray *list = NULL;
  char **names = NULL;
  if (groups != NULL)
    {
      list = g_ptr_array_new ();
      names = g_strsplit (groups, ",", -1);
      for (int i = 0; names[i] != NULL; i++)
        if (names[i][0] != '\0')
          g_ptr_array_add (list, names[i]);
    }
  int subnet_id = subnet_index (n->scenario, subnet);
  const StratusSubnetConfig *sn = g_ptr_array_index (n->scenario->vpc->subnets, (guint) subnet_id);
  StratusEndpointSpec spec = { .name = name, .subnet = subnet_id, .az = sn->az_index,
                               .security_groups = list, .public_ip = public_ip };
  int id = stratus_network_add_endpoint (n->net, &spec);
  if (list != NULL)
    g_ptr_array_unref (list);
  g_strfreev (names);
  return id;
}

static void
dump (const StratusPath *p)
{
  print_error ("path: drop %s%s, blocker %s\n", stratus_drop_reason_name (p->drop),
               p->on_reply ? " (on the reply)" : "", p->blocker ? p->blocker : "(none)");
  for (guint i = 0; i < p->hops->len; i++)
    print_error ("  %s\n", (const char *) g_ptr_array_index (p->hops, i));
}

static bool
hops_mention (const StratusPath *p, const char *needle)
{
  for (guint i = 0; i < p->hops->len; i++)
    if (strstr (g_ptr_array_index (p->hops, i), needle) != NULL)
      return true;
  return false;
}

/* Delivered both ways. */
static void
check_open (const StratusPath *p)
{
  assert_non_null (p);
  if (p->drop != STRATUS_DROP_NONE || p->blocker != NULL || p->on_reply)
    {
      dump (p);
      fail_msg ("expected an open path");
    }
  assert_true (p->hops->len > 0);
  assert_true (p->n_legs > 0);
}

/* Dropped for `reason` (on the reply or not), the blocker containing `needle`. */
static void
check_blocked (const StratusPath *p, StratusDropReason reason, bool on_reply, const char *needle)
{
  assert_non_null (p);
  if (p->drop != reason || p->on_reply != on_reply || p->blocker == NULL
      || strstr (p->blocker, needle) == NULL)
    {
      dump (p);
      fail_msg ("expected drop %s%s with a blocker containing \"%s\"",
                stratus_drop_reason_name (reason), on_reply ? " on the reply" : "", needle);
    }
  assert_true (g_str_has_prefix (p->blocker, "blocked"));
  assert_int_equal (on_reply, g_str_has_suffix (p->blocker, "(on the reply)"));
  /* The hop list ends at the blocking hop. */
  assert_true (p->hops->len > 0);
  assert_true (g_str_has_suffix (g_ptr_array_index (p->hops, p->hops->len - 1), "BLOCKED"));
  assert_int_equal (p->n_legs, 0);
  assert_int_equal (p->nat, -1);
}

static void
check_leg (const StratusPath *p, unsigned i, int resource, StratusByteClass forward,
           StratusByteClass backward)
{
  assert_true (i < p->n_legs);
  assert_int_equal (p->legs[i].resource, resource);
  assert_int_equal (p->legs[i].forward, forward);
  assert_int_equal (p->legs[i].backward, backward);
}

static const StratusPath *
tcp (Net *n, int src, int dst, uint16_t port)
{
  return stratus_network_path (n->net, src, dst, STRATUS_PROTOCOL_TCP, port);
}

/* ---- CIDR ---------------------------------------------------------------------------- */

static StratusCidr
cidr (const char *text)
{
  StratusCidr c = { 0, 0 };
  GError *error = NULL;
  if (!stratus_cidr_parse (text, &c, &error))
    {
      print_error ("%s\n", error->message);
      g_error_free (error);
      fail ();
    }
  return c;
}

/* `text` is refused with a message containing `needle`. */
static void
check_cidr_refused (const char *text, const char *needle)
{
  StratusCidr c = { 0x01020304u, 7 };
  GError *error = NULL;
  if (stratus_cidr_parse (text, &c, &error))
    fail_msg ("'%s' parsed as a CIDR block", text);
  assert_non_null (error);
  assert_true (error->domain == STRATUS_CIDR_ERROR);
  if (strstr (error->message, needle) == NULL)
    fail_msg ("'%s': message \"%s\" lacks \"%s\"", text, error->message, needle);
  g_error_free (error);
  /* Untouched on failure. */
  assert_int_equal (c.address, 0x01020304u);
  assert_int_equal (c.prefix, 7);
  /* No error requested: still refused. */
  assert_false (stratus_cidr_parse (text, &c, NULL));
}

static void
cidr_parse_valid (void **state)
{
  (void) state;
  StratusCidr c = cidr ("10.0.0.0/16");
  assert_int_equal (c.address, 0x0a000000u);
  assert_int_equal (c.prefix, 16);
  c = cidr ("0.0.0.0/0");
  assert_int_equal (c.address, 0);
  assert_int_equal (c.prefix, 0);
  c = cidr ("203.0.113.128/25");
  assert_int_equal (c.address, 0xcb007180u);
  assert_int_equal (c.prefix, 25);
  c = cidr ("255.255.255.255/32");
  assert_int_equal (c.address, 0xffffffffu);
  assert_int_equal (c.prefix, 32);
  /* A bare address is a /32. */
  c = cidr ("10.0.0.0");
  assert_int_equal (c.address, 0x0a000000u);
  assert_int_equal (c.prefix, 32);
  c = cidr ("10.0.1.7");
  assert_int_equal (c.address, 0x0a000107u);
  assert_int_equal (c.prefix, 32);
  c = cidr ("10.0.0.0/8");
  assert_int_equal (c.prefix, 8);
}

static void
cidr_parse_invalid (void **state)
{
  (void) state;
  const char *not_a_block = "is not a CIDR block (example: 10.0.0.0/16)";
  check_cidr_refused ("10.0.256.0/24", not_a_block);
  check_cidr_refused ("300.0.0.0/8", not_a_block);
  check_cidr_refused ("10.0.0.0/33", not_a_block);
  check_cidr_refused ("10.0.0.0/99", not_a_block);
  check_cidr_refused ("10.0.0.0/100", not_a_block);
  check_cidr_refused ("10.0.0.0/", not_a_block);
  check_cidr_refused ("10.0.0.0/-1", not_a_block);
  check_cidr_refused ("10.0.0.0/1a", not_a_block);
  check_cidr_refused ("10.0.0.0/016", not_a_block);
  check_cidr_refused ("10.0.0.0/16/16", not_a_block);
  check_cidr_refused ("10.0.0/24", not_a_block);
  check_cidr_refused ("010.0.0.0/8", not_a_block);
  check_cidr_refused ("/16", not_a_block);
  check_cidr_refused ("", not_a_block);
  check_cidr_refused ("example", not_a_block);
  /* Host bits set: the message names the block it probably meant. */
  check_cidr_refused ("10.0.0.1/16", "'10.0.0.1/16' has bits set past its /16 prefix; did you "
                                     "mean 10.0.0.0/16?");
  check_cidr_refused ("10.0.1.7/24", "did you mean 10.0.1.0/24?");
  check_cidr_refused ("203.0.113.200/25", "did you mean 203.0.113.128/25?");
  check_cidr_refused ("10.0.0.0/0", "did you mean 0.0.0.0/0?");
}

static void
check_address_refused (const char *text)
{
  uint32_t a = 0xdeadbeefu;
  GError *error = NULL;
  if (stratus_address_parse (text, &a, &error))
    fail_msg ("'%s' parsed as an address", text);
  assert_non_null (error);
  assert_true (error->domain == STRATUS_CIDR_ERROR);
  char *expected = g_strdup_printf ("'%s' is not an IPv4 address (example: 10.0.1.7)", text);
  assert_string_equal (error->message, expected);
  g_free (expected);
  g_error_free (error);
  assert_int_equal (a, 0xdeadbeefu);
  assert_false (stratus_address_parse (text, &a, NULL));
}

static void
address_parse_strict (void **state)
{
  (void) state;
  assert_int_equal (address ("10.0.1.7"), 0x0a000107u);
  assert_int_equal (address ("0.0.0.0"), 0);
  assert_int_equal (address ("255.255.255.255"), 0xffffffffu);
  assert_int_equal (address ("198.51.100.7"), 0xc6336407u);
  assert_int_equal (address ("10.0.0.100"), 0x0a000064u);
  /* Leading zeros (octal in some parsers) are refused, a lone zero is fine. */
  check_address_refused ("010.0.0.1");
  check_address_refused ("10.0.0.01");
  check_address_refused ("10.00.0.1");
  check_address_refused ("10.0.0.000");
  /* Octets over 255, overlong octets. */
  check_address_refused ("256.0.0.1");
  check_address_refused ("10.0.0.256");
  check_address_refused ("1000.0.0.1");
  check_address_refused ("10.0.0.12345");
  /* Missing or extra parts, stray characters. */
  check_address_refused ("10.0.0");
  check_address_refused ("10.0.0.");
  check_address_refused ("10..0.1");
  check_address_refused ("10");
  check_address_refused ("");
  check_address_refused ("1.2.3.4.5");
  check_address_refused (" 1.2.3.4");
  check_address_refused ("1.2.3.4 ");
  check_address_refused ("-1.0.0.0");
  check_address_refused ("+1.0.0.0");
  check_address_refused ("1.2.3.4/32");
  check_address_refused ("a.b.c.d");
}

static void
cidr_contains_covers_overlaps (void **state)
{
  (void) state;
  StratusCidr vpc = cidr ("10.0.0.0/16");
  assert_true (stratus_cidr_contains (vpc, address ("10.0.0.0")));
  assert_true (stratus_cidr_contains (vpc, address ("10.0.255.255")));
  assert_false (stratus_cidr_contains (vpc, address ("10.1.0.0")));
  assert_false (stratus_cidr_contains (vpc, address ("9.255.255.255")));
  assert_true (stratus_cidr_contains (cidr ("0.0.0.0/0"), address ("255.255.255.255")));
  assert_true (stratus_cidr_contains (cidr ("0.0.0.0/0"), 0));
  assert_true (stratus_cidr_contains (cidr ("10.0.1.7/32"), address ("10.0.1.7")));
  assert_false (stratus_cidr_contains (cidr ("10.0.1.7/32"), address ("10.0.1.6")));
  assert_false (stratus_cidr_contains (cidr ("203.0.113.128/25"), address ("203.0.113.127")));
  assert_true (stratus_cidr_contains (cidr ("203.0.113.128/25"), address ("203.0.113.128")));

  assert_true (stratus_cidr_covers (vpc, cidr ("10.0.2.0/24")));
  assert_true (stratus_cidr_covers (vpc, vpc));
  assert_true (stratus_cidr_covers (vpc, cidr ("10.0.255.255/32")));
  assert_false (stratus_cidr_covers (cidr ("10.0.2.0/24"), vpc));
  assert_false (stratus_cidr_covers (vpc, cidr ("10.1.0.0/24")));
  assert_false (stratus_cidr_covers (vpc, cidr ("10.0.0.0/15")));
  assert_true (stratus_cidr_covers (cidr ("0.0.0.0/0"), cidr ("203.0.113.0/24")));
  assert_true (stratus_cidr_covers (cidr ("0.0.0.0/0"), cidr ("0.0.0.0/0")));

  assert_true (stratus_cidr_overlaps (vpc, cidr ("10.0.2.0/24")));
  assert_true (stratus_cidr_overlaps (cidr ("10.0.2.0/24"), vpc));
  assert_true (stratus_cidr_overlaps (vpc, vpc));
  assert_true (stratus_cidr_overlaps (cidr ("0.0.0.0/0"), cidr ("10.0.0.1/32")));
  /* Adjacent blocks share nothing. */
  assert_false (stratus_cidr_overlaps (cidr ("10.0.0.0/24"), cidr ("10.0.1.0/24")));
  assert_false (stratus_cidr_overlaps (cidr ("10.0.1.0/24"), cidr ("10.0.0.0/24")));
  assert_false (stratus_cidr_overlaps (cidr ("203.0.113.0/25"), cidr ("203.0.113.128/25")));
  assert_false (stratus_cidr_overlaps (vpc, cidr ("172.16.0.0/12")));
}

static void
cidr_size_nth_format (void **state)
{
  (void) state;
  assert_int_equal (stratus_cidr_size (cidr ("10.0.0.1/32")), 1);
  assert_int_equal (stratus_cidr_size (cidr ("10.0.0.0/31")), 2);
  assert_int_equal (stratus_cidr_size (cidr ("10.0.1.0/24")), 256);
  assert_int_equal (stratus_cidr_size (cidr ("10.0.0.0/16")), 65536);
  assert_true (stratus_cidr_size (cidr ("0.0.0.0/0")) == UINT64_C (4294967296));

  StratusCidr sub = cidr ("10.0.1.0/24");
  assert_int_equal (stratus_cidr_nth (sub, 0), address ("10.0.1.0"));
  assert_int_equal (stratus_cidr_nth (sub, 4), address ("10.0.1.4"));
  assert_int_equal (stratus_cidr_nth (sub, 255), address ("10.0.1.255"));
  assert_int_equal (stratus_cidr_nth (cidr ("0.0.0.0/0"), UINT64_C (4294967295)), 0xffffffffu);
  assert_int_equal (stratus_cidr_nth (cidr ("10.0.1.7"), 0), address ("10.0.1.7"));

  assert_int_equal (stratus_cidr_mask (0), 0);
  assert_int_equal (stratus_cidr_mask (1), 0x80000000u);
  assert_int_equal (stratus_cidr_mask (24), 0xffffff00u);
  assert_int_equal (stratus_cidr_mask (32), 0xffffffffu);

  const char *blocks[] = { "0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "203.0.113.128/25",
                           "255.255.255.255/32", "192.168.0.0/16", "100.64.0.0/10" };
  for (size_t i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      char *text = stratus_cidr_format (cidr (blocks[i]));
      assert_string_equal (text, blocks[i]);
      StratusCidr again = cidr (text);
      assert_int_equal (again.address, cidr (blocks[i]).address);
      assert_int_equal (again.prefix, cidr (blocks[i]).prefix);
      g_free (text);
    }
  char *text = stratus_cidr_format (cidr ("10.0.0.9"));
  assert_string_equal (text, "10.0.0.9/32");
  g_free (text);

  const char *addresses[] = { "0.0.0.0", "10.0.1.7", "198.51.100.7", "255.255.255.255",
                              "1.20.255.0" };
  for (size_t i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      char *a = stratus_address_format (address (addresses[i]));
      assert_string_equal (a, addresses[i]);
      g_free (a);
    }
}

/* ---- routes -------------------------------------------------------------------------- */

/* Subnet `app` routes the internet to a NAT gateway, except 203.0.113.0/24 (a blackhole)
 * and, within it, 203.0.113.128/25 (straight to the internet gateway). The routes are
 * listed neither by prefix length nor with the winner first. */
static const char routes_vpc[] =
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  internet_gateway: igw\n"
  "  subnets:\n"
  "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
  "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
  "    app: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: mixed}\n"
  "  route_tables:\n"
  "    public:\n"
  "      routes:\n"
  "        - {destination: 0.0.0.0/0, target: igw}\n"
  "    mixed:\n"
  "      routes:\n"
  "        - {destination: 203.0.113.0/24, target: blackhole}\n"
  "        - {destination: 0.0.0.0/0, target: nat}\n"
  "        - {destination: 203.0.113.128/25, target: igw}\n"
  "  nat_gateways:\n"
  "    nat: {subnet: a}\n"
  "  security_groups:\n"
  "    app-sg: {}\n";

static void
route_longest_prefix_wins (void **state)
{
  (void) state;
  Net n = net_new (routes_vpc);
  int private_app = add_interface (&n, "app-1", "app", "app-sg", false);
  int public_app = add_interface (&n, "app-2", "app", "app-sg", true);
  int elsewhere = add_internet (&n, "elsewhere", "198.51.100.7");
  int next_door = add_internet (&n, "next-door", "203.0.114.1");
  int low = add_internet (&n, "low", "203.0.113.5");
  int low_edge = add_internet (&n, "low-edge", "203.0.113.127");
  int high_edge = add_internet (&n, "high-edge", "203.0.113.128");
  int high = add_internet (&n, "high", "203.0.113.200");

  /* Only 0.0.0.0/0 matches: the NAT gateway (in subnet a, the same AZ). */
  const int reaches_nat[] = { elsewhere, next_door };
  for (size_t i = 0; i < G_N_ELEMENTS (reaches_nat); i++)
    for (int src = private_app; src <= public_app; src++)
      {
        const StratusPath *p = tcp (&n, src, reaches_nat[i], 443);
        check_open (p);
        assert_int_equal (p->nat, 0);
        assert_int_equal (p->latency, SAME_AZ + INTERNET);
        assert_true (hops_mention (p, "to NAT gateway nat in a (0.0.0.0/0)"));
      }

  /* The /24 beats 0.0.0.0/0: a blackhole, even for an interface with a public IP. */
  const int blackholed[] = { low, low_edge };
  for (size_t i = 0; i < G_N_ELEMENTS (blackholed); i++)
    for (int src = private_app; src <= public_app; src++)
      check_blocked (tcp (&n, src, blackholed[i], 443), STRATUS_DROP_BLACKHOLE, false,
                     "blocked: route table mixed has a blackhole route for 203.0.113.");

  /* The /25 beats the /24: the internet gateway, which needs a public IP. */
  const int direct[] = { high_edge, high };
  for (size_t i = 0; i < G_N_ELEMENTS (direct); i++)
    {
      const StratusPath *p = tcp (&n, private_app, direct[i], 443);
      check_blocked (p, STRATUS_DROP_NO_PUBLIC_IP, false,
                     "blocked: app-1 has no public IPv4 address for the internet gateway to "
                     "translate");
      assert_true (hops_mention (p, "to internet gateway igw (203.0.113.128/25): ok"));
      p = tcp (&n, public_app, direct[i], 443);
      check_open (p);
      assert_int_equal (p->nat, -1);
      assert_int_equal (p->latency, INTERNET);
      assert_int_equal (p->n_legs, 1);
      check_leg (p, 0, public_app, STRATUS_BYTES_INTERNET_OUT, STRATUS_BYTES_INTERNET_IN);
      assert_true (hops_mention (p, "to internet gateway igw (203.0.113.128/25): ok"));
      assert_true (hops_mention (p, "app-2 has a public IPv4 address for the internet gateway "
                                    "to translate: ok"));
    }
  net_free (&n);
}

/* A blackhole in the NAT gateway's own subnet is a blackhole too, not a missing route. */
static void
route_blackhole_beyond_the_nat (void **state)
{
  (void) state;
  Net n = net_new ("vpc:\n"
                   "  cidr: 10.0.0.0/16\n"
                   "  internet_gateway: igw\n"
                   "  subnets:\n"
                   "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
                   "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
                   "    app: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
                   "  route_tables:\n"
                   "    public:\n"
                   "      routes:\n"
                   "        - {destination: 0.0.0.0/0, target: igw}\n"
                   "        - {destination: 203.0.113.0/24, target: blackhole}\n"
                   "    private:\n"
                   "      routes:\n"
                   "        - {destination: 0.0.0.0/0, target: nat}\n"
                   "  nat_gateways:\n"
                   "    nat: {subnet: a}\n"
                   "  security_groups:\n"
                   "    app-sg: {}\n");
  int app = add_interface (&n, "app-1", "app", "app-sg", false);
  int dark = add_internet (&n, "dark", "203.0.113.10");
  int lit = add_internet (&n, "lit", "198.51.100.20");
  check_blocked (tcp (&n, app, dark, 443), STRATUS_DROP_BLACKHOLE, false,
                 "NAT gateway nat: route table public has a blackhole route for 203.0.113.10");
  check_open (tcp (&n, app, lit, 443));
  net_free (&n);
}

/* A NAT gateway lives in one AZ: when that AZ fails, subnets of other AZs routed to it
 * lose the internet too; endpoints in the failed AZ drop everything. Paths looked up
 * before stay valid with their old verdict; new lookups see the new topology. */
static void
nat_gateway_down_with_its_az (void **state)
{
  (void) state;
  Net n = net_new ("vpc:\n"
                   "  cidr: 10.0.0.0/16\n"
                   "  internet_gateway: igw\n"
                   "  subnets:\n"
                   "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
                   "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
                   "    app-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
                   "    app-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private}\n"
                   "  route_tables:\n"
                   "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"
                   "    private: {routes: [{destination: 0.0.0.0/0, target: nat}]}\n"
                   "  nat_gateways:\n"
                   "    nat: {subnet: a}\n"
                   "  security_groups:\n"
                   "    app-sg: {inbound: [{protocol: tcp, ports: 80, source: app-sg}]}\n");
  int in_a = add_interface (&n, "app-1", "app-a", "app-sg", false);
  int in_b = add_interface (&n, "app-2", "app-b", "app-sg", false);
  int api = add_internet (&n, "api", "198.51.100.20");
  const StratusPath *before = tcp (&n, in_b, api, 443);
  check_open (before);
  assert_int_equal (before->latency, CROSS_AZ + INTERNET);
  unsigned version = stratus_network_version (n.net);

  stratus_network_set_az_down (n.net, 0, true);
  assert_true (stratus_network_az_is_down (n.net, 0));
  assert_false (stratus_network_az_is_down (n.net, 1));
  assert_int_equal (stratus_network_version (n.net), version + 1);
  check_open (before); /* still readable, with the verdict of its time */
  check_blocked (tcp (&n, in_b, api, 443), STRATUS_DROP_GATEWAY_DOWN, false,
                 "NAT gateway nat is in us-east-1a, which is down");
  check_blocked (tcp (&n, in_a, api, 443), STRATUS_DROP_AZ_DOWN, false,
                 "app-1 is in us-east-1a, which is down");
  check_blocked (tcp (&n, in_b, in_a, 80), STRATUS_DROP_AZ_DOWN, false, "app-1");

  stratus_network_set_az_down (n.net, 0, true); /* no change: no new version */
  assert_int_equal (stratus_network_version (n.net), version + 1);
  stratus_network_set_az_down (n.net, 0, false);
  check_open (tcp (&n, in_b, api, 443));
  check_open (tcp (&n, in_b, in_a, 80));
  net_free (&n);
}

/* Subnets without a route table of their own use the main table, here one that routes
 * the internet to the internet gateway. */
static void
route_main_table_fallback (void **state)
{
  (void) state;
  Net n = net_new ("vpc:\n"
                   "  cidr: 10.0.0.0/16\n"
                   "  internet_gateway: igw\n"
                   "  main_route_table: main\n"
                   "  subnets:\n"
                   "    a: {cidr: 10.0.0.0/24, az: us-east-1a}\n"
                   "    b: {cidr: 10.0.1.0/24, az: us-east-1b}\n"
                   "    isolated: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: local-only}\n"
                   "  route_tables:\n"
                   "    main:\n"
                   "      routes:\n"
                   "        - {destination: 0.0.0.0/0, target: igw}\n"
                   "    local-only: {}\n"
                   "  security_groups:\n"
                   "    open:\n"
                   "      inbound:\n"
                   "        - {protocol: all, source: 0.0.0.0/0}\n");
  int client = add_internet (&n, "client", "198.51.100.7");
  int api = add_internet (&n, "api", "203.0.113.10");
  int web = add_interface (&n, "web", "a", "open", true);
  int other = add_interface (&n, "other", "b", "open", true);
  int hidden = add_interface (&n, "hidden", "isolated", "open", true);

  const StratusPath *p = tcp (&n, web, api, 443);
  check_open (p);
  assert_true (hops_mention (p, "route table main sends 203.0.113.10 to internet gateway igw"));
  p = tcp (&n, client, other, 80);
  check_open (p);
  assert_int_equal (p->latency, INTERNET);
  check_leg (p, 0, other, STRATUS_BYTES_INTERNET_IN, STRATUS_BYTES_INTERNET_OUT);
  assert_true (hops_mention (p, "route table main sends 198.51.100.7 to internet gateway igw"));

  /* A table of its own, with only the local route, is not completed by the main one. */
  check_blocked (tcp (&n, hidden, api, 443), STRATUS_DROP_NO_ROUTE, false,
                 "no route in table local-only for 203.0.113.10");
  check_blocked (tcp (&n, client, hidden, 80), STRATUS_DROP_NO_ROUTE, true,
                 "no route in table local-only for 198.51.100.7 to the internet gateway");
  /* Inside the VPC the local route serves every table. */
  p = tcp (&n, hidden, web, 80);
  check_open (p);
  assert_true (hops_mention (p, "route table local-only sends 10.0.0."));
  assert_true (hops_mention (p, "to local (10.0.0.0/16): ok"));
  net_free (&n);
}

/* No main_route_table: an implicit main table with only the local route. */
static void
route_implicit_main_table_is_local_only (void **state)
{
  (void) state;
  Net n = net_new ("vpc:\n"
                   "  cidr: 10.0.0.0/16\n"
                   "  internet_gateway: igw\n"
                   "  subnets:\n"
                   "    a: {cidr: 10.0.0.0/24, az: us-east-1a}\n"
                   "    b: {cidr: 10.0.1.0/24, az: us-east-1b}\n"
                   "  security_groups:\n"
                   "    open:\n"
                   "      inbound:\n"
                   "        - {protocol: all, source: 0.0.0.0/0}\n");
  int client = add_internet (&n, "client", "198.51.100.7");
  int api = add_internet (&n, "api", "203.0.113.10");
  int web = add_interface (&n, "web", "a", "open", true);
  int db = add_interface (&n, "db", "b", "open", false);

  check_blocked (tcp (&n, web, api, 443), STRATUS_DROP_NO_ROUTE, false,
                 "no route in table main");
  check_blocked (tcp (&n, web, api, 443), STRATUS_DROP_NO_ROUTE, false,
                 "blocked: web (a) -> internet: no route in table main (implicit) for "
                 "203.0.113.10");
  check_blocked (tcp (&n, db, api, 443), STRATUS_DROP_NO_ROUTE, false,
                 "no route in table main");
  /* The request gets in through the internet gateway; the reply has no way out. */
  check_blocked (tcp (&n, client, web, 80), STRATUS_DROP_NO_ROUTE, true,
                 "no route in table main (implicit) for 198.51.100.7 to the internet gateway");
  /* The local route still joins the subnets. */
  const StratusPath *p = tcp (&n, web, db, 5432);
  check_open (p);
  assert_int_equal (p->latency, CROSS_AZ);
  check_leg (p, 0, web, STRATUS_BYTES_CROSS_AZ, STRATUS_BYTES_CROSS_AZ);
  assert_true (hops_mention (p, "route table main (implicit) sends 10.0.1."));
  net_free (&n);
}

/* ---- security groups ------------------------------------------------------------------ */

static const char groups_vpc[] =
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  internet_gateway: igw\n"
  "  subnets:\n"
  "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
  "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
  "  route_tables:\n"
  "    public:\n"
  "      routes:\n"
  "        - {destination: 0.0.0.0/0, target: igw}\n"
  "  security_groups:\n"
  "    alb-sg:\n"
  "      inbound:\n"
  "        - {protocol: tcp, ports: 80, source: 0.0.0.0/0}\n"
  "    web-sg:\n"
  "      inbound:\n"
  "        - {protocol: tcp, ports: 80, source: alb-sg}\n"
  "        - {protocol: tcp, ports: 8000-8099, source: 10.0.1.0/24}\n"
  "        - {protocol: udp, ports: 53, source: 10.0.0.0/16}\n"
  "      outbound: []\n"
  "    admin-sg:\n"
  "      inbound:\n"
  "        - {protocol: all, source: 10.0.0.0/16}\n"
  "    other-sg:\n"
  "      inbound: []\n";

static void
security_group_rule_naming_group_admits_members_only (void **state)
{
  (void) state;
  Net n = net_new (groups_vpc);
  int client = add_internet (&n, "client", "198.51.100.7");
  int alb = add_interface (&n, "alb", "a", "alb-sg", true);
  int alb_b = add_interface (&n, "alb-b", "b", "alb-sg", true);
  int web = add_interface (&n, "web", "a", "web-sg", false);
  int stranger = add_interface (&n, "stranger", "a", "other-sg", false);
  int both = add_interface (&n, "both", "a", "other-sg,alb-sg", false);

  const StratusPath *p = tcp (&n, alb, web, 80);
  check_open (p);
  assert_int_equal (p->latency, SAME_AZ);
  assert_int_equal (p->n_legs, 1);
  check_leg (p, 0, alb, STRATUS_BYTES_SAME_AZ, STRATUS_BYTES_SAME_AZ);
  assert_true (hops_mention (p, "security group web-sg inbound rule 1 allows tcp/80 from alb-sg"));
  p = tcp (&n, alb_b, web, 80);
  check_open (p);
  assert_int_equal (p->latency, CROSS_AZ);
  check_leg (p, 0, alb_b, STRATUS_BYTES_CROSS_AZ, STRATUS_BYTES_CROSS_AZ);
  /* A member of the group among others. */
  check_open (tcp (&n, both, web, 80));

  /* Not a member: blocked, whatever its address. */
  p = tcp (&n, stranger, web, 80);
  check_blocked (p, STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group web-sg (no inbound rule for tcp/80 from other-sg)");
  assert_string_equal (p->blocker,
                       "blocked by security group web-sg (no inbound rule for tcp/80 from "
                       "other-sg)");
  /* The internet does not even reach web's security group: web has no public IP. */
  check_blocked (tcp (&n, client, web, 80), STRATUS_DROP_NO_PUBLIC_IP, false, "web has no");
  /* The rule is for port 80 only. */
  check_blocked (tcp (&n, alb, web, 81), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group web-sg (no inbound rule for tcp/81 from alb-sg)");

  /* The internet reaches the load balancer through its CIDR rule. */
  p = tcp (&n, client, alb, 80);
  check_open (p);
  assert_int_equal (p->latency, INTERNET);
  assert_int_equal (p->n_legs, 1);
  check_leg (p, 0, alb, STRATUS_BYTES_INTERNET_IN, STRATUS_BYTES_INTERNET_OUT);
  net_free (&n);
}

static void
security_group_cidr_sources_and_port_ranges (void **state)
{
  (void) state;
  Net n = net_new (groups_vpc);
  int client = add_internet (&n, "client", "198.51.100.7");
  int web = add_interface (&n, "web", "a", "web-sg", false);
  int in_a = add_interface (&n, "in-a", "a", "other-sg", false);
  int in_b = add_interface (&n, "in-b", "b", "other-sg", false);
  int admin = add_interface (&n, "admin", "a", "admin-sg", true);

  /* tcp 8000-8099 from 10.0.1.0/24 (subnet b): both ends of the range, not past them. */
  check_open (tcp (&n, in_b, web, 8000));
  check_open (tcp (&n, in_b, web, 8050));
  check_open (tcp (&n, in_b, web, 8099));
  check_blocked (tcp (&n, in_b, web, 7999), STRATUS_DROP_SECURITY_GROUP, false,
                 "no inbound rule for tcp/7999 from other-sg");
  check_blocked (tcp (&n, in_b, web, 8100), STRATUS_DROP_SECURITY_GROUP, false,
                 "no inbound rule for tcp/8100 from other-sg");
  /* From outside the block (subnet a): refused. */
  check_blocked (tcp (&n, in_a, web, 8000), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group web-sg (no inbound rule for tcp/8000 from other-sg)");

  /* udp/53 is allowed; tcp/53 is not (the protocol matters). */
  check_open (stratus_network_path (n.net, in_a, web, STRATUS_PROTOCOL_UDP, 53));
  check_blocked (stratus_network_path (n.net, in_a, web, STRATUS_PROTOCOL_UDP, 54),
                 STRATUS_DROP_SECURITY_GROUP, false, "no inbound rule for udp/54");
  check_blocked (tcp (&n, in_a, web, 53), STRATUS_DROP_SECURITY_GROUP, false,
                 "no inbound rule for tcp/53");

  /* protocol all: every protocol and port from inside the VPC. */
  check_open (tcp (&n, in_a, admin, 22));
  check_open (tcp (&n, in_b, admin, 65535));
  check_open (tcp (&n, in_b, admin, 0));
  check_open (stratus_network_path (n.net, in_a, admin, STRATUS_PROTOCOL_UDP, 123));
  check_open (stratus_network_path (n.net, in_a, admin, STRATUS_PROTOCOL_ICMP, 0));
  /* ... and nothing from outside it. */
  const StratusPath *p = tcp (&n, client, admin, 22);
  check_blocked (p, STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group admin-sg (no inbound rule for tcp/22 from "
                 "198.51.100.7)");
  check_blocked (stratus_network_path (n.net, client, admin, STRATUS_PROTOCOL_ICMP, 0),
                 STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group admin-sg (no inbound rule for icmp from "
                 "198.51.100.7)");
  /* An empty inbound list admits nothing, not even from the same subnet. */
  check_blocked (tcp (&n, admin, in_a, 22), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group other-sg (no inbound rule for tcp/22 from admin-sg)");
  net_free (&n);
}

static void
security_groups_are_stateful (void **state)
{
  (void) state;
  Net n = net_new (groups_vpc);
  int alb = add_interface (&n, "alb", "a", "alb-sg", true);
  int alb_b = add_interface (&n, "alb-b", "b", "alb-sg", true);
  int web = add_interface (&n, "web", "a", "web-sg", false);
  int admin = add_interface (&n, "admin", "b", "admin-sg", false);

  /* web-sg has `outbound: []`, so web starts nothing... */
  const StratusSecurityGroupConfig *web_sg = stratus_vpc_find_group (n.scenario->vpc, "web-sg");
  assert_non_null (web_sg);
  assert_int_equal (web_sg->outbound->len, 0);
  check_blocked (tcp (&n, web, admin, 22), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group web-sg (no outbound rule for tcp/22 to admin-sg)");
  check_blocked (tcp (&n, web, alb, 80), STRATUS_DROP_SECURITY_GROUP, false,
                 "no outbound rule for tcp/80 to alb-sg");
  /* ... yet answers the load balancer: the reply rides on the connection. */
  const StratusPath *p = tcp (&n, alb, web, 80);
  check_open (p);
  assert_false (hops_mention (p, "web-sg outbound"));
  check_open (tcp (&n, alb_b, web, 80));
  /* The other way round: alb-sg has AWS's default outbound rule (all traffic), admin-sg
   * admits the VPC; alb-sg admits no replies explicitly, and needs not. */
  p = tcp (&n, alb, admin, 443);
  check_open (p);
  assert_true (hops_mention (p, "security group alb-sg outbound rule 1 allows tcp/443 to "
                                "0.0.0.0/0"));
  net_free (&n);
}

static void
security_group_none_allows_nothing (void **state)
{
  (void) state;
  Net n = net_new (groups_vpc);
  int alb = add_interface (&n, "alb", "a", "alb-sg", true);
  int bare = add_interface (&n, "bare", "a", NULL, false);
  int empty = add_interface (&n, "empty", "b", "", false);
  int admin = add_interface (&n, "admin", "a", "admin-sg", false);

  check_blocked (tcp (&n, alb, bare, 80), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked: bare is in no security group, so nothing is allowed inbound");
  check_blocked (stratus_network_path (n.net, alb, empty, STRATUS_PROTOCOL_ALL, 0),
                 STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked: empty is in no security group, so nothing is allowed inbound");
  /* Nor out. */
  check_blocked (tcp (&n, bare, admin, 22), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked: bare is in no security group, so nothing is allowed outbound");
  net_free (&n);
}

/* ---- network ACLs --------------------------------------------------------------------- */

static const char acl_vpc[] =
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  subnets:\n"
  "    a: {cidr: 10.0.0.0/24, az: us-east-1a}\n"
  "    b: {cidr: 10.0.1.0/24, az: us-east-1b}\n"
  "    deny-first: {cidr: 10.0.2.0/24, az: us-east-1b, network_acl: deny-first}\n"
  "    allow-first: {cidr: 10.0.3.0/24, az: us-east-1b, network_acl: allow-first}\n"
  "    no-ephemeral: {cidr: 10.0.4.0/24, az: us-east-1a, network_acl: no-ephemeral}\n"
  "    closed: {cidr: 10.0.5.0/24, az: us-east-1a, network_acl: closed}\n"
  "  security_groups:\n"
  "    open:\n"
  "      inbound:\n"
  "        - {protocol: all, source: 0.0.0.0/0}\n"
  "  network_acls:\n"
  "    deny-first:\n"
  "      inbound:\n"
  "        - {rule: 200, action: allow, protocol: tcp, ports: 80, source: 10.0.0.0/24}\n"
  "        - {rule: 100, action: deny, protocol: tcp, ports: 80, source: 10.0.0.0/24}\n"
  "        - {rule: 300, action: allow, protocol: tcp, ports: 1024-65535, source: 0.0.0.0/0}\n"
  "      outbound:\n"
  "        - {rule: 100, action: allow, protocol: all, destination: 0.0.0.0/0}\n"
  "    allow-first:\n"
  "      inbound:\n"
  "        - {rule: 200, action: deny, protocol: tcp, ports: 80, source: 10.0.0.0/24}\n"
  "        - {rule: 100, action: allow, protocol: tcp, ports: 80, source: 10.0.0.0/24}\n"
  "      outbound:\n"
  "        - {rule: 100, action: allow, protocol: all, destination: 0.0.0.0/0}\n"
  "    no-ephemeral:\n"
  "      inbound:\n"
  "        - {rule: 100, action: allow, protocol: tcp, ports: 80, source: 0.0.0.0/0}\n"
  "      outbound:\n"
  "        - {rule: 100, action: allow, protocol: tcp, ports: 80-1023, destination: 0.0.0.0/0}\n"
  "    closed: {}\n";

static void
acl_lower_rule_number_wins (void **state)
{
  (void) state;
  Net n = net_new (acl_vpc);
  int src = add_interface (&n, "src", "a", "open", false);
  int src_b = add_interface (&n, "src-b", "b", "open", false);
  int denied = add_interface (&n, "denied", "deny-first", "open", false);
  int allowed = add_interface (&n, "allowed", "allow-first", "open", false);

  /* Sorted by number whatever the file order. */
  const StratusNetworkAclConfig *acl = stratus_vpc_find_network_acl (n.scenario->vpc, "deny-first");
  assert_non_null (acl);
  assert_int_equal (acl->inbound->len, 3);
  assert_int_equal (g_array_index (acl->inbound, StratusAclRuleConfig, 0).number, 100);

  /* deny 100 before allow 200 for the same traffic: blocked. */
  const StratusPath *p = tcp (&n, src, denied, 80);
  check_blocked (p, STRATUS_DROP_NETWORK_ACL, false,
                 "blocked: network ACL deny-first (deny-first) inbound rule 100 denies tcp/80 "
                 "from 10.0.0.");
  /* The numbers swapped: allowed, by rule 100. */
  p = tcp (&n, src, allowed, 80);
  check_open (p);
  assert_true (hops_mention (p, "network ACL allow-first (allow-first) inbound rule 100 allows "
                                "tcp/80 from 10.0.0."));
  assert_int_equal (p->latency, CROSS_AZ);
  /* Both rules are for 10.0.0.0/24 only: from subnet b nothing matches port 80. */
  check_blocked (tcp (&n, src_b, allowed, 80), STRATUS_DROP_NETWORK_ACL, false,
                 "inbound: no rule matches tcp/80 from 10.0.1.");
  /* Rule 300 (1024-65535 from anywhere) still lets other ports into deny-first. */
  check_open (tcp (&n, src, denied, 8080));
  net_free (&n);
}

static void
acl_no_match_final_rule_denies (void **state)
{
  (void) state;
  Net n = net_new (acl_vpc);
  int src = add_interface (&n, "src", "a", "open", false);
  int denied = add_interface (&n, "denied", "deny-first", "open", false);
  int closed = add_interface (&n, "closed", "closed", "open", false);
  char *src_addr = stratus_address_format (stratus_network_endpoint_address (n.net, src));
  char *closed_addr = stratus_address_format (stratus_network_endpoint_address (n.net, closed));

  char *expected = g_strdup_printf ("blocked: network ACL deny-first (deny-first) inbound: no "
                                    "rule matches tcp/443 from %s, so the final rule denies it",
                                    src_addr);
  const StratusPath *p = tcp (&n, src, denied, 443);
  check_blocked (p, STRATUS_DROP_NETWORK_ACL, false, "so the final rule denies it");
  assert_string_equal (p->blocker, expected);
  g_free (expected);
  check_blocked (stratus_network_path (n.net, src, denied, STRATUS_PROTOCOL_UDP, 2000),
                 STRATUS_DROP_NETWORK_ACL, false,
                 "no rule matches udp/2000 from 10.0.0.4, so the final rule denies it");

  /* An ACL without rules: nothing leaves either (checked before the destination's). */
  expected = g_strdup_printf ("blocked: network ACL closed (closed) outbound: no rule matches "
                              "tcp/80 to %s, so the final rule denies it", src_addr);
  p = tcp (&n, closed, src, 80);
  check_blocked (p, STRATUS_DROP_NETWORK_ACL, false, "final rule denies");
  assert_string_equal (p->blocker, expected);
  g_free (expected);
  check_blocked (tcp (&n, src, closed, 80), STRATUS_DROP_NETWORK_ACL, false,
                 "network ACL closed (closed) inbound: no rule matches tcp/80");
  /* The default ACL (no network_acl on the subnet) allows everything. */
  p = stratus_network_path (n.net, src, denied, STRATUS_PROTOCOL_TCP, 8080);
  check_open (p);
  assert_true (hops_mention (p, "network ACL of a: the default ACL allows outbound tcp/8080 to "));
  g_free (src_addr);
  g_free (closed_addr);
  net_free (&n);
}

static void
acl_stateless_reply_needs_ephemeral_ports (void **state)
{
  (void) state;
  Net n = net_new (acl_vpc);
  int src = add_interface (&n, "src", "a", "open", false);
  int server = add_interface (&n, "server", "no-ephemeral", "open", false);
  int denied = add_interface (&n, "denied", "deny-first", "open", false);

  /* The request gets in on tcp/80; the reply to port 49152 finds no outbound rule. */
  const StratusPath *p = tcp (&n, src, server, 80);
  check_blocked (p, STRATUS_DROP_NETWORK_ACL, true,
                 "blocked: network ACL no-ephemeral (no-ephemeral) outbound: no rule matches "
                 "tcp/49152 to 10.0.0.4, so the final rule denies it (on the reply)");
  assert_true (hops_mention (p, "network ACL no-ephemeral (no-ephemeral) inbound rule 100 allows "
                                "tcp/80 from 10.0.0.4: ok"));
  assert_true (hops_mention (p, "security group open inbound rule 1 allows tcp/80"));
  assert_true (g_str_has_prefix (g_ptr_array_index (p->hops, p->hops->len - 1), "reply: "));

  /* The other way: the request leaves on tcp/80 (80-1023), the reply comes back to the
   * ephemeral port, which the inbound rules (tcp/80 only) do not admit. */
  p = tcp (&n, server, src, 80);
  check_blocked (p, STRATUS_DROP_NETWORK_ACL, true,
                 "network ACL no-ephemeral (no-ephemeral) inbound: no rule matches tcp/49152 "
                 "from 10.0.0.4");
  /* deny-first lets replies in (rule 300) and out (rule 100, all): a call from it works. */
  check_open (tcp (&n, denied, src, 80));
  net_free (&n);
}

static void
acl_not_evaluated_within_subnet (void **state)
{
  (void) state;
  Net n = net_new (acl_vpc);
  int one = add_interface (&n, "one", "closed", "open", false);
  int two = add_interface (&n, "two", "closed", "open", false);
  int three = add_interface (&n, "three", "no-ephemeral", "open", false);
  int four = add_interface (&n, "four", "no-ephemeral", "open", false);

  /* `closed` denies everything, yet its members talk to each other. */
  const StratusPath *p = tcp (&n, one, two, 443);
  check_open (p);
  assert_false (hops_mention (p, "network ACL"));
  assert_int_equal (p->latency, SAME_AZ);
  check_leg (p, 0, one, STRATUS_BYTES_SAME_AZ, STRATUS_BYTES_SAME_AZ);
  check_open (stratus_network_path (n.net, two, one, STRATUS_PROTOCOL_UDP, 9));
  /* Replies within a subnet need no ephemeral ports. */
  check_open (tcp (&n, three, four, 80));
  check_open (tcp (&n, four, three, 5000));
  /* Across subnets the same traffic is blocked. */
  check_blocked (tcp (&n, one, three, 80), STRATUS_DROP_NETWORK_ACL, false, "network ACL closed");
  net_free (&n);
}

/* ---- the internet and NAT gateways ------------------------------------------------------ */

/* One NAT gateway, in AZ a, for the private subnets of both AZs. */
static const char internet_vpc[] =
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  internet_gateway: igw\n"
  "  subnets:\n"
  "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public, map_public_ip_on_launch: true}\n"
  "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
  "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
  "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private}\n"
  "  route_tables:\n"
  "    public:\n"
  "      routes:\n"
  "        - {destination: 0.0.0.0/0, target: igw}\n"
  "    private:\n"
  "      routes:\n"
  "        - {destination: 0.0.0.0/0, target: nat-a}\n"
  "  nat_gateways:\n"
  "    nat-a: {subnet: a}\n"
  "  security_groups:\n"
  "    web-sg:\n"
  "      inbound:\n"
  "        - {protocol: tcp, ports: 80, source: 0.0.0.0/0}\n";

static void
internet_requires_public_ip_inbound (void **state)
{
  (void) state;
  Net n = net_new (internet_vpc);
  int client = add_internet (&n, "client", "198.51.100.7");
  int with_ip = add_interface (&n, "with-ip", "a", "web-sg", true);
  int without_ip = add_interface (&n, "without-ip", "a", "web-sg", false);
  int private_ip = add_interface (&n, "private", "private-b", "web-sg", false);

  const StratusPath *p = tcp (&n, client, with_ip, 80);
  check_open (p);
  assert_int_equal (p->latency, INTERNET);
  assert_int_equal (p->nat, -1);
  assert_int_equal (p->n_legs, 1);
  check_leg (p, 0, with_ip, STRATUS_BYTES_INTERNET_IN, STRATUS_BYTES_INTERNET_OUT);
  assert_true (hops_mention (p, "enters through internet gateway igw to with-ip's public "
                                "address: ok"));

  check_blocked (tcp (&n, client, without_ip, 80), STRATUS_DROP_NO_PUBLIC_IP, false,
                 "blocked: without-ip has no public IPv4 address, so the internet gateway igw "
                 "cannot deliver to it");
  check_blocked (tcp (&n, client, private_ip, 80), STRATUS_DROP_NO_PUBLIC_IP, false,
                 "private has no public IPv4 address");
  net_free (&n);
}

static void
internet_without_gateway_no_route (void **state)
{
  (void) state;
  Net n = net_new ("vpc:\n"
                   "  cidr: 10.0.0.0/16\n"
                   "  subnets:\n"
                   "    a: {cidr: 10.0.0.0/24, az: us-east-1a}\n"
                   "    b: {cidr: 10.0.1.0/24, az: us-east-1b}\n"
                   "  security_groups:\n"
                   "    open:\n"
                   "      inbound:\n"
                   "        - {protocol: all, source: 0.0.0.0/0}\n");
  assert_null (n.scenario->vpc->internet_gateway);
  int client = add_internet (&n, "client", "198.51.100.7");
  int api = add_internet (&n, "api", "203.0.113.10");
  int web = add_interface (&n, "web", "a", "open", true);
  int db = add_interface (&n, "db", "b", "open", false);

  check_blocked (tcp (&n, client, web, 80), STRATUS_DROP_NO_ROUTE, false,
                 "blocked: the VPC has no internet gateway, so nothing enters from the internet");
  check_blocked (tcp (&n, client, db, 80), STRATUS_DROP_NO_ROUTE, false,
                 "no internet gateway");
  check_blocked (tcp (&n, web, api, 443), STRATUS_DROP_NO_ROUTE, false, "no route in table");
  check_open (tcp (&n, web, db, 5432));
  net_free (&n);
}

static void
internet_from_public_subnet_needs_public_ip (void **state)
{
  (void) state;
  Net n = net_new (internet_vpc);
  int api = add_internet (&n, "api", "203.0.113.10");
  int without_ip = add_interface (&n, "without-ip", "a", "web-sg", false);
  int with_ip = add_interface (&n, "with-ip", "b", "web-sg", true);

  const StratusPath *p = tcp (&n, without_ip, api, 443);
  check_blocked (p, STRATUS_DROP_NO_PUBLIC_IP, false,
                 "blocked: without-ip has no public IPv4 address for the internet gateway to "
                 "translate");
  assert_true (hops_mention (p, "route table public sends 203.0.113.10 to internet gateway igw "
                                "(0.0.0.0/0): ok"));

  p = tcp (&n, with_ip, api, 443);
  check_open (p);
  assert_int_equal (p->latency, n.scenario->latency.internet);
  assert_int_equal (p->latency, INTERNET);
  assert_int_equal (p->nat, -1);
  assert_int_equal (p->n_legs, 1);
  check_leg (p, 0, with_ip, STRATUS_BYTES_INTERNET_OUT, STRATUS_BYTES_INTERNET_IN);
  net_free (&n);
}

static void
internet_through_nat_in_other_az (void **state)
{
  (void) state;
  Net n = net_new (internet_vpc);
  int api = add_internet (&n, "api", "203.0.113.10");
  int far = add_interface (&n, "far", "private-b", "web-sg", false);
  int near = add_interface (&n, "near", "private-a", "web-sg", false);
  /* Even with a public IP, a private subnet's route goes to the NAT gateway. */
  int odd = add_interface (&n, "odd", "private-b", "web-sg", true);
  /* Legs name the NAT gateway by a negative id; counters list it after the endpoints. */
  int nat = stratus_network_nat_resource (n.net, 0);
  assert_true (nat < 0);
  assert_int_equal (stratus_network_resource_count (n.net), 5);
  assert_string_equal (stratus_network_resource_name (n.net, 4), "nat-a");
  assert_string_equal (stratus_network_resource_name (n.net, far), "far");

  const StratusPath *p = tcp (&n, far, api, 443);
  check_open (p);
  assert_int_equal (p->nat, 0);
  assert_int_equal (p->latency, n.scenario->latency.cross_az + n.scenario->latency.internet);
  assert_int_equal (p->latency, CROSS_AZ + INTERNET);
  assert_int_equal (p->n_legs, 3);
  check_leg (p, 0, far, STRATUS_BYTES_CROSS_AZ, STRATUS_BYTES_CROSS_AZ);
  check_leg (p, 1, nat, STRATUS_BYTES_NAT, STRATUS_BYTES_NAT);
  check_leg (p, 2, nat, STRATUS_BYTES_INTERNET_OUT, STRATUS_BYTES_INTERNET_IN);
  assert_true (hops_mention (p, "route table private sends 203.0.113.10 to NAT gateway nat-a in a "
                                "(0.0.0.0/0): ok"));
  assert_true (hops_mention (p, "NAT gateway nat-a translates to its Elastic IP; route table "
                                "public sends 203.0.113.10 to internet gateway igw"));

  p = tcp (&n, near, api, 443);
  check_open (p);
  assert_int_equal (p->nat, 0);
  assert_int_equal (p->latency, SAME_AZ + INTERNET);
  check_leg (p, 0, near, STRATUS_BYTES_SAME_AZ, STRATUS_BYTES_SAME_AZ);
  check_leg (p, 1, nat, STRATUS_BYTES_NAT, STRATUS_BYTES_NAT);

  p = tcp (&n, odd, api, 443);
  check_open (p);
  assert_int_equal (p->nat, 0);

  /* Bytes along the NAT path: the instance's cross-AZ hop both ways, the NAT's processing
   * both ways, and the internet legs by direction. An endpoint placed after the path was
   * computed (as the model does, instance by instance) does not take the NAT's bytes. */
  p = tcp (&n, far, api, 443);
  int late = add_interface (&n, "late", "private-a", "web-sg", false);
  assert_int_equal (stratus_network_resource_count (n.net), 6);
  assert_string_equal (stratus_network_resource_name (n.net, 5), "nat-a");
  assert_int_equal (stratus_network_nat_resource (n.net, 0), nat);
  stratus_network_count_bytes (n.net, p, 1000, 5000);
  stratus_network_count_bytes (n.net, p, 24, 0);
  assert_int_equal (stratus_network_bytes (n.net, far, STRATUS_BYTES_CROSS_AZ), 6024);
  assert_int_equal (stratus_network_bytes (n.net, far, STRATUS_BYTES_SAME_AZ), 0);
  assert_int_equal (stratus_network_bytes (n.net, 5, STRATUS_BYTES_NAT), 6024);
  assert_int_equal (stratus_network_bytes (n.net, 5, STRATUS_BYTES_INTERNET_OUT), 1024);
  assert_int_equal (stratus_network_bytes (n.net, 5, STRATUS_BYTES_INTERNET_IN), 5000);
  assert_int_equal (stratus_network_bytes (n.net, 5, STRATUS_BYTES_CROSS_AZ), 0);
  for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
    {
      assert_int_equal (stratus_network_bytes (n.net, late, (StratusByteClass) c), 0);
      assert_int_equal (stratus_network_bytes (n.net, api, (StratusByteClass) c), 0);
      assert_int_equal (stratus_network_bytes (n.net, near, (StratusByteClass) c), 0);
    }
  stratus_network_reset_counters (n.net);
  assert_int_equal (stratus_network_bytes (n.net, 5, STRATUS_BYTES_NAT), 0);
  assert_int_equal (stratus_network_bytes (n.net, far, STRATUS_BYTES_CROSS_AZ), 0);
  net_free (&n);
}

/* Interfaces take host addresses from the fifth of their subnet on (AWS reserves four);
 * a NAT gateway takes one first. */
static void
endpoint_addresses_skip_reserved (void **state)
{
  (void) state;
  Net n = net_new (internet_vpc);
  int client = add_internet (&n, "client", "198.51.100.7");
  int in_nat_subnet = add_interface (&n, "first-a", "a", "web-sg", true);
  int first_b = add_interface (&n, "first-b", "b", "web-sg", true);
  int second_b = add_interface (&n, "second-b", "b", "web-sg", true);
  assert_int_equal (stratus_network_endpoint_address (n.net, client), address ("198.51.100.7"));
  assert_int_equal (stratus_network_endpoint_address (n.net, in_nat_subnet), address ("10.0.0.5"));
  assert_int_equal (stratus_network_endpoint_address (n.net, first_b), address ("10.0.1.4"));
  assert_int_equal (stratus_network_endpoint_address (n.net, second_b), address ("10.0.1.5"));
  assert_string_equal (stratus_network_endpoint_name (n.net, second_b), "second-b");
  assert_string_equal (stratus_network_endpoint_name (n.net, client), "client");
  net_free (&n);
}

/* The shipped scenario, placed as the model places it: every path it needs is open. */
static void
shipped_vpc_scenario_paths (void **state)
{
  (void) state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *file = g_build_filename (root ? root : ".", "scenarios", "vpc-public-private.yaml", NULL);
  GError *error = NULL;
  Net n;
  n.scenario = stratus_scenario_load (file, NULL, &error);
  g_free (file);
  if (n.scenario == NULL)
    {
      print_error ("%s\n", error->message);
      g_error_free (error);
      fail ();
    }
  n.net = stratus_network_new (n.scenario);
  int client = add_internet (&n, "client", "198.51.100.7");
  int payments = add_internet (&n, "payments", "203.0.113.10");
  int web[4];
  for (int i = 0; i < 4; i++)
    {
      char *name = g_strdup_printf ("web-%d", i + 1);
      web[i] = add_interface (&n, name, i % 2 ? "private-b" : "private-a", "web-sg", false);
      g_free (name);
    }
  int alb[2] = { add_interface (&n, "web-alb@us-east-1a", "public-a", "alb-sg", true),
                 add_interface (&n, "web-alb@us-east-1b", "public-b", "alb-sg", true) };
  for (int k = 0; k < 2; k++)
    {
      check_open (tcp (&n, client, alb[k], 80));
      for (int i = 0; i < 4; i++)
        {
          const StratusPath *p = tcp (&n, alb[k], web[i], 80);
          check_open (p);
          assert_int_equal (p->latency, k == i % 2 ? SAME_AZ : CROSS_AZ);
        }
    }
  for (int i = 0; i < 4; i++)
    {
      const StratusPath *p = tcp (&n, web[i], payments, 443);
      check_open (p);
      assert_int_equal (p->nat, i % 2); /* the NAT gateway of its own AZ */
      assert_int_equal (p->latency, SAME_AZ + INTERNET);
      check_blocked (tcp (&n, client, web[i], 80), STRATUS_DROP_NO_PUBLIC_IP, false,
                     "has no public IPv4 address");
    }
  /* The ACL of the private subnets lets only 443 out to the internet. */
  check_blocked (tcp (&n, web[0], payments, 80), STRATUS_DROP_NETWORK_ACL, false,
                 "network ACL private (private-a) outbound: no rule matches tcp/80 to "
                 "203.0.113.10");
  /* The fleet does not talk to itself: web-sg admits alb-sg only. */
  check_blocked (tcp (&n, web[0], web[2], 80), STRATUS_DROP_SECURITY_GROUP, false,
                 "blocked by security group web-sg (no inbound rule for tcp/80 from web-sg)");
  net_free (&n);
}

/* ---- NAT gateways: connections and bandwidth ----------------------------------------------- */

static const char nat_vpc[] = "vpc:\n"
                              "  cidr: 10.0.0.0/16\n"
                              "  internet_gateway: igw\n"
                              "  elastic_ips: [eip-1, eip-2]\n"
                              "  subnets:\n"
                              "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
                              "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
                              "  route_tables:\n"
                              "    public:\n"
                              "      routes:\n"
                              "        - {destination: 0.0.0.0/0, target: igw}\n"
                              "  nat_gateways:\n"
                              "    one: {subnet: a}\n"
                              "    two: {subnet: b, elastic_ips: [eip-1, eip-2]}\n";

static void
nat_connection_limit_per_destination (void **state)
{
  (void) state;
  Net n = net_new (nat_vpc);
  const StratusNatGatewayConfig *one = g_ptr_array_index (n.scenario->vpc->nat_gateways, 0);
  const StratusNatGatewayConfig *two = g_ptr_array_index (n.scenario->vpc->nat_gateways, 1);
  assert_int_equal (one->elastic_ips->len, 1);
  assert_int_equal (two->elastic_ips->len, 2);
  uint32_t api = address ("203.0.113.10");
  const int tcp_ = STRATUS_PROTOCOL_TCP;

  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 443, tcp_), 0);
  for (int i = 0; i < STRATUS_NAT_CONNECTIONS_PER_ADDRESS; i++)
    if (!stratus_network_nat_open (n.net, 0, api, 443, tcp_, NULL))
      fail_msg ("connection %d refused", i + 1);
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 443, tcp_), 55000);
  StratusDropReason why = STRATUS_DROP_NONE;
  assert_false (stratus_network_nat_open (n.net, 0, api, 443, tcp_, &why));
  assert_int_equal (why, STRATUS_DROP_NAT_PORT_EXHAUSTION);
  assert_false (stratus_network_nat_open (n.net, 0, api, 443, tcp_, NULL));
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 443, tcp_), 55000);

  /* Another destination port, address or protocol, or another gateway: its own count. */
  why = STRATUS_DROP_NONE;
  assert_true (stratus_network_nat_open (n.net, 0, api, 444, tcp_, &why));
  assert_int_equal (why, STRATUS_DROP_NONE);
  assert_true (stratus_network_nat_open (n.net, 0, api + 1, 443, tcp_, NULL));
  assert_true (stratus_network_nat_open (n.net, 0, api, 443, STRATUS_PROTOCOL_UDP, NULL));
  assert_true (stratus_network_nat_open (n.net, 1, api, 443, tcp_, NULL));
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 444, tcp_), 1);
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api + 1, 443, tcp_), 1);
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 443, STRATUS_PROTOCOL_UDP), 1);
  assert_int_equal (stratus_network_nat_connections (n.net, 1, api, 443, tcp_), 1);
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 443, tcp_), 55000);

  /* One closes: one more opens, and no more. */
  stratus_network_nat_close (n.net, 0, api, 443, tcp_);
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 443, tcp_), 54999);
  assert_true (stratus_network_nat_open (n.net, 0, api, 443, tcp_, NULL));
  assert_false (stratus_network_nat_open (n.net, 0, api, 443, tcp_, NULL));

  /* Closing the last connection to a destination brings its count to zero. */
  stratus_network_nat_close (n.net, 0, api, 444, tcp_);
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 444, tcp_), 0);
  assert_true (stratus_network_nat_open (n.net, 0, api, 444, tcp_, NULL));
  assert_int_equal (stratus_network_nat_connections (n.net, 0, api, 444, tcp_), 1);

  /* Two Elastic IPs: twice the connections. */
  for (int i = 1; i < 2 * STRATUS_NAT_CONNECTIONS_PER_ADDRESS; i++)
    if (!stratus_network_nat_open (n.net, 1, api, 443, tcp_, NULL))
      fail_msg ("connection %d refused with two addresses", i + 1);
  assert_int_equal (stratus_network_nat_connections (n.net, 1, api, 443, tcp_), 110000);
  why = STRATUS_DROP_NONE;
  assert_false (stratus_network_nat_open (n.net, 1, api, 443, tcp_, &why));
  assert_int_equal (why, STRATUS_DROP_NAT_PORT_EXHAUSTION);
  stratus_network_nat_close (n.net, 1, api, 443, tcp_);
  assert_true (stratus_network_nat_open (n.net, 1, api, 443, tcp_, NULL));
  net_free (&n);
}

/* 5 Gbps for a second is 625,000,000 bytes. */
#define GBPS_SECOND(g) ((uint64_t) (g) * UINT64_C (125000000))

static void
nat_bandwidth_starts_at_5_gbps (void **state)
{
  (void) state;
  Net n = net_new (nat_vpc);
  /* Exactly 5 Gbps in a second passes, in one piece or many; a byte more does not. */
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (5), 0));
  assert_false (stratus_network_nat_transfer (n.net, 0, 1, 999 * STRATUS_MS));
  for (int i = 0; i < 5; i++)
    assert_true (stratus_network_nat_transfer (n.net, 1, GBPS_SECOND (1), i * 100 * STRATUS_MS));
  assert_false (stratus_network_nat_transfer (n.net, 1, 1, 600 * STRATUS_MS));
  /* A refused transfer takes none of the window: a smaller one still fits. */
  net_free (&n);

  n = net_new (nat_vpc);
  assert_false (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (5) + 1, 0));
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (4), STRATUS_MS));
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (1), 2 * STRATUS_MS));
  assert_false (stratus_network_nat_transfer (n.net, 0, 1, 3 * STRATUS_MS));
  net_free (&n);
}

static void
nat_bandwidth_follows_demand (void **state)
{
  (void) state;
  Net n = net_new (nat_vpc);
  /* Demand over 90% (all passed): the next second has 10 Gbps. */
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (5), 0));
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (10), STRATUS_SECOND));
  assert_false (stratus_network_nat_transfer (n.net, 0, 1, STRATUS_SECOND + 900 * STRATUS_MS));

  /* Demand over 90% made of refused bytes counts too. */
  assert_false (stratus_network_nat_transfer (n.net, 1, GBPS_SECOND (6), 500 * STRATUS_MS));
  assert_true (stratus_network_nat_transfer (n.net, 1, GBPS_SECOND (10),
                                             STRATUS_SECOND + 500 * STRATUS_MS));
  assert_false (stratus_network_nat_transfer (n.net, 1, 1, STRATUS_SECOND + 600 * STRATUS_MS));
  net_free (&n);

  /* 80% of the capacity: no growth. */
  n = net_new (nat_vpc);
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (4), 0));
  assert_false (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (5) + 1, STRATUS_SECOND));
  assert_true (stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (5), STRATUS_SECOND));
  assert_false (stratus_network_nat_transfer (n.net, 0, 1, STRATUS_SECOND));
  net_free (&n);

  /* Saturated second after second: 5, 10, 20, 40, 80, then 100 Gbps and no more. */
  n = net_new (nat_vpc);
  const int expected[] = { 5, 10, 20, 40, 80, 100, 100, 100 };
  for (int s = 0; s < (int) G_N_ELEMENTS (expected); s++)
    {
      StratusTime now = s * STRATUS_SECOND + 250 * STRATUS_MS;
      if (!stratus_network_nat_transfer (n.net, 0, GBPS_SECOND (expected[s]), now))
        fail_msg ("second %d: %d Gbps refused", s, expected[s]);
      if (stratus_network_nat_transfer (n.net, 0, 1, now + 500 * STRATUS_MS))
        fail_msg ("second %d: more than %d Gbps passed", s, expected[s]);
    }
  net_free (&n);
}

/* ---- names and counters ----------------------------------------------------------------- */

static void
drop_reason_and_byte_class_names (void **state)
{
  (void) state;
  static const char *const drops[] = { "none", "no_route", "blackhole", "network_acl",
                                       "security_group", "no_public_ip", "gateway_down",
                                       "az_down", "nat_port_exhaustion", "nat_bandwidth",
                                       "nat_idle_timeout", "disrupted" };
  assert_int_equal (G_N_ELEMENTS (drops), STRATUS_N_DROP_REASONS);
  for (int i = 0; i < STRATUS_N_DROP_REASONS; i++)
    {
      const char *name = stratus_drop_reason_name ((StratusDropReason) i);
      assert_non_null (name);
      assert_string_equal (name, drops[i]);
      for (int j = 0; j < i; j++)
        assert_string_not_equal (name, stratus_drop_reason_name ((StratusDropReason) j));
    }
  assert_string_equal (stratus_drop_reason_name (STRATUS_DROP_SECURITY_GROUP), "security_group");
  assert_string_equal (stratus_drop_reason_name (STRATUS_DROP_NAT_PORT_EXHAUSTION),
                       "nat_port_exhaustion");

  static const char *const classes[] = { "same_az", "cross_az", "nat", "internet_in",
                                         "internet_out" };
  assert_int_equal (G_N_ELEMENTS (classes), STRATUS_N_BYTE_CLASSES);
  for (int i = 0; i < STRATUS_N_BYTE_CLASSES; i++)
    {
      assert_string_equal (stratus_byte_class_name ((StratusByteClass) i), classes[i]);
      for (int j = 0; j < i; j++)
        assert_string_not_equal (stratus_byte_class_name ((StratusByteClass) i),
                                 stratus_byte_class_name ((StratusByteClass) j));
    }
}

/* A scenario without a vpc section. */
static const char flat_text[] = "name: t\n"
                                "duration: 10m\n"
                                "azs: [us-east-1a, us-east-1b]\n"
                                "latency: {same_az: 0.2ms, cross_az: 1.5ms, internet: 40ms}\n"
                                "load_balancers:\n"
                                "  lb:\n"
                                "    target_group: web\n"
                                "instances:\n"
                                "  web:\n"
                                "    service_time: 10ms\n"
                                "    target_group: web\n"
                                "workload:\n"
                                "  w:\n"
                                "    entry: lb\n"
                                "    rate: 10/s\n";

static int
add_flat (Net *n, const char *name, int az)
{
  StratusEndpointSpec spec = { .name = name, .subnet = -1, .az = az };
  return stratus_network_add_endpoint (n->net, &spec);
}

static Net
flat_new (void)
{
  Net n;
  n.scenario = load_text (flat_text);
  assert_null (n.scenario->vpc);
  n.net = stratus_network_new (n.scenario);
  return n;
}

static void
counters_count_and_reset (void **state)
{
  (void) state;
  Net n = flat_new ();
  int client = add_internet (&n, "client", "198.51.100.7");
  int lb = add_flat (&n, "lb@us-east-1a", 0);
  int web = add_flat (&n, "web-1", 1);
  assert_int_equal (stratus_network_resource_count (n.net), 3);
  assert_string_equal (stratus_network_resource_name (n.net, lb), "lb@us-east-1a");

  for (int i = 0; i < STRATUS_N_DROP_REASONS; i++)
    assert_int_equal (stratus_network_drops (n.net, (StratusDropReason) i), 0);
  stratus_network_count_drop (n.net, STRATUS_DROP_NO_ROUTE);
  stratus_network_count_drop (n.net, STRATUS_DROP_NO_ROUTE);
  stratus_network_count_drop (n.net, STRATUS_DROP_NAT_IDLE_TIMEOUT);
  assert_int_equal (stratus_network_drops (n.net, STRATUS_DROP_NO_ROUTE), 2);
  assert_int_equal (stratus_network_drops (n.net, STRATUS_DROP_NAT_IDLE_TIMEOUT), 1);
  assert_int_equal (stratus_network_drops (n.net, STRATUS_DROP_BLACKHOLE), 0);

  const StratusPath *in = tcp (&n, client, lb, 80);
  const StratusPath *across = tcp (&n, lb, web, 80);
  stratus_network_count_bytes (n.net, in, 1024, 16384);
  stratus_network_count_bytes (n.net, across, 1024, 16384);
  stratus_network_count_bytes (n.net, across, 1, 2);
  assert_int_equal (stratus_network_bytes (n.net, lb, STRATUS_BYTES_INTERNET_IN), 1024);
  assert_int_equal (stratus_network_bytes (n.net, lb, STRATUS_BYTES_INTERNET_OUT), 16384);
  assert_int_equal (stratus_network_bytes (n.net, lb, STRATUS_BYTES_CROSS_AZ), 17411);
  assert_int_equal (stratus_network_bytes (n.net, lb, STRATUS_BYTES_SAME_AZ), 0);
  assert_int_equal (stratus_network_bytes (n.net, web, STRATUS_BYTES_CROSS_AZ), 0);
  assert_int_equal (stratus_network_bytes (n.net, client, STRATUS_BYTES_INTERNET_IN), 0);

  stratus_network_reset_counters (n.net);
  for (int i = 0; i < STRATUS_N_DROP_REASONS; i++)
    assert_int_equal (stratus_network_drops (n.net, (StratusDropReason) i), 0);
  for (int r = 0; r < stratus_network_resource_count (n.net); r++)
    for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
      assert_int_equal (stratus_network_bytes (n.net, r, (StratusByteClass) c), 0);
  /* Counting goes on after the reset. */
  stratus_network_count_bytes (n.net, in, 10, 20);
  stratus_network_count_drop (n.net, STRATUS_DROP_NO_ROUTE);
  assert_int_equal (stratus_network_bytes (n.net, lb, STRATUS_BYTES_INTERNET_IN), 10);
  assert_int_equal (stratus_network_drops (n.net, STRATUS_DROP_NO_ROUTE), 1);
  net_free (&n);
}

/* ---- the path cache and the flat network ------------------------------------------------ */

static void
path_cache_returns_same_path (void **state)
{
  (void) state;
  Net n = net_new (groups_vpc);
  int alb = add_interface (&n, "alb", "a", "alb-sg", true);
  int web = add_interface (&n, "web", "b", "web-sg", false);
  const StratusPath *p80 = tcp (&n, alb, web, 80);
  const StratusPath *p81 = tcp (&n, alb, web, 81);
  const StratusPath *udp80 = stratus_network_path (n.net, alb, web, STRATUS_PROTOCOL_UDP, 80);
  const StratusPath *back = tcp (&n, web, alb, 80);
  check_open (p80);
  check_blocked (p81, STRATUS_DROP_SECURITY_GROUP, false, "tcp/81");
  check_blocked (udp80, STRATUS_DROP_SECURITY_GROUP, false, "udp/80");
  assert_ptr_not_equal (p80, p81);
  assert_ptr_not_equal (p80, udp80);
  assert_ptr_not_equal (p80, back);
  /* Asked again, in any order: the same paths, unchanged. */
  guint hops = p80->hops->len;
  for (int i = 0; i < 3; i++)
    {
      assert_ptr_equal (tcp (&n, alb, web, 81), p81);
      assert_ptr_equal (tcp (&n, alb, web, 80), p80);
      assert_ptr_equal (stratus_network_path (n.net, alb, web, STRATUS_PROTOCOL_UDP, 80), udp80);
      assert_ptr_equal (tcp (&n, web, alb, 80), back);
    }
  assert_int_equal (p80->hops->len, hops);
  check_open (p80);
  net_free (&n);
}

/* ---- verdicts per class ------------------------------------------------------------------ */

/* `v` is the verdict of `p`: the same outcome, latency, NAT gateway and legs, no text. */
static void
check_same_verdict (const StratusPath *v, const StratusPath *p)
{
  assert_null (v->hops);
  assert_null (v->blocker);
  if (v->drop != p->drop || v->on_reply != p->on_reply)
    {
      dump (p);
      fail_msg ("verdict says %s%s", stratus_drop_reason_name (v->drop),
                v->on_reply ? " on the reply" : "");
    }
  assert_int_equal (v->latency, p->latency);
  assert_int_equal (v->nat, p->nat);
  assert_int_equal (v->n_legs, p->n_legs);
  for (unsigned i = 0; i < p->n_legs; i++)
    check_leg (v, i, p->legs[i].resource, p->legs[i].forward, p->legs[i].backward);
}

/* For every ordered pair of the first `n` endpoints, on tcp/80, tcp/443, tcp/8000 and
 * udp/53: the verdict agrees with the walked path (each asked in a fresh order). */
static void
check_all_verdicts (Net *n, int count)
{
  static const struct
  {
    int protocol;
    uint16_t port;
  } traffic[] = { { STRATUS_PROTOCOL_TCP, 80 },
                  { STRATUS_PROTOCOL_TCP, 443 },
                  { STRATUS_PROTOCOL_TCP, 8000 },
                  { STRATUS_PROTOCOL_UDP, 53 } };
  for (size_t t = 0; t < G_N_ELEMENTS (traffic); t++)
    for (int a = count - 1; a >= 0; a--)
      for (int b = 0; b < count; b++)
        {
          if (a == b)
            continue;
          const StratusPath *v = stratus_network_verdict (n->net, a, b, traffic[t].protocol,
                                                          traffic[t].port);
          const StratusPath *p = stratus_network_path (n->net, a, b, traffic[t].protocol,
                                                       traffic[t].port);
          StratusPath *d = stratus_network_describe_path (n->net, a, b, traffic[t].protocol,
                                                          traffic[t].port);
          check_same_verdict (v, p);
          check_same_verdict (v, d);
          assert_int_equal (d->hops->len, p->hops->len);
          for (guint h = 0; h < p->hops->len; h++)
            assert_string_equal (g_ptr_array_index (d->hops, h), g_ptr_array_index (p->hops, h));
          assert_true ((d->blocker == NULL) == (p->blocker == NULL));
          if (p->blocker != NULL)
            assert_string_equal (d->blocker, p->blocker);
          stratus_path_free (d);
        }
}

/* Verdicts agree with the walked paths in every layout of these tests: routes, security
 * groups (by group and by block), ACLs, internet and NAT gateways. */
static void
verdicts_match_walked_paths (void **state)
{
  (void) state;
  Net n = net_new (internet_vpc);
  add_internet (&n, "client", "198.51.100.7");
  add_internet (&n, "api", "203.0.113.10");
  add_interface (&n, "pub-a", "a", "web-sg", true);
  add_interface (&n, "pub-a2", "a", "web-sg", true);
  add_interface (&n, "pub-b", "b", "web-sg", false);
  add_interface (&n, "priv-a", "private-a", "web-sg", false);
  add_interface (&n, "priv-b", "private-b", NULL, false);
  add_interface (&n, "priv-b2", "private-b", "web-sg", false);
  check_all_verdicts (&n, 8);
  net_free (&n);

  n = net_new (groups_vpc);
  add_internet (&n, "client", "198.51.100.7");
  add_interface (&n, "alb", "a", "alb-sg", true);
  add_interface (&n, "web-a", "a", "web-sg", false);
  add_interface (&n, "web-b", "b", "web-sg", false);
  add_interface (&n, "web-b2", "b", "web-sg", false);
  add_interface (&n, "admin", "b", "admin-sg,other-sg", false);
  add_interface (&n, "none", "a", "", false);
  check_all_verdicts (&n, 7);
  net_free (&n);

  n = net_new (acl_vpc);
  const char *subnets[] = { "a", "b", "deny-first", "allow-first", "no-ephemeral", "closed" };
  for (size_t i = 0; i < G_N_ELEMENTS (subnets); i++)
    add_interface (&n, subnets[i], subnets[i], "open", false);
  check_all_verdicts (&n, (int) G_N_ELEMENTS (subnets));
  net_free (&n);

  n = net_new (routes_vpc);
  add_internet (&n, "blackholed", "203.0.113.10");
  add_internet (&n, "direct", "203.0.113.200");
  add_internet (&n, "via-nat", "192.0.2.1");
  add_interface (&n, "app-1", "app", "app-sg", true);
  add_interface (&n, "app-2", "app", "app-sg", true);
  add_interface (&n, "a-1", "a", "app-sg", true);
  check_all_verdicts (&n, 6);
  net_free (&n);
}

/* Where no rule splits a subnet, endpoints alike share one verdict object: the cost grows
 * with the classes, not with the endpoints. Legs stay per endpoint where they charge it. */
static void
verdicts_are_shared_within_a_class (void **state)
{
  (void) state;
  Net n = net_new (internet_vpc);
  int client = add_internet (&n, "client", "198.51.100.7");
  int api = add_internet (&n, "api", "203.0.113.10");
  int alb = add_interface (&n, "alb", "a", "web-sg", true);
  int web[6];
  for (int i = 0; i < 6; i++)
    web[i] = add_interface (&n, "web", i % 2 ? "private-b" : "private-a", "web-sg", false);
  const StratusPath *to_a = stratus_network_verdict (n.net, alb, web[0], STRATUS_PROTOCOL_TCP, 80);
  const StratusPath *to_b = stratus_network_verdict (n.net, alb, web[1], STRATUS_PROTOCOL_TCP, 80);
  check_leg (to_a, 0, alb, STRATUS_BYTES_SAME_AZ, STRATUS_BYTES_SAME_AZ);
  check_leg (to_b, 0, alb, STRATUS_BYTES_CROSS_AZ, STRATUS_BYTES_CROSS_AZ);
  for (int i = 2; i < 6; i++)
    {
      const StratusPath *v = stratus_network_verdict (n.net, alb, web[i], STRATUS_PROTOCOL_TCP, 80);
      assert_ptr_equal (v, i % 2 ? to_b : to_a);
      /* The walked paths are per pair: their text names the target's address. */
      assert_ptr_not_equal (tcp (&n, alb, web[i], 80), tcp (&n, alb, web[i - 2], 80));
    }
  /* Calls out charge the caller: one object per instance, with the caller's leg. */
  for (int i = 0; i < 6; i++)
    {
      const StratusPath *v = stratus_network_verdict (n.net, web[i], api, STRATUS_PROTOCOL_TCP, 443);
      assert_int_equal (v->drop, STRATUS_DROP_NONE);
      assert_int_equal (v->legs[0].resource, web[i]);
      assert_ptr_equal (v, stratus_network_verdict (n.net, web[i], api, STRATUS_PROTOCOL_TCP, 443));
    }
  /* Asked again: the same object. */
  assert_ptr_equal (stratus_network_verdict (n.net, client, alb, STRATUS_PROTOCOL_TCP, 80),
                    stratus_network_verdict (n.net, client, alb, STRATUS_PROTOCOL_TCP, 80));
  net_free (&n);
}

/* A rule whose block splits a subnet makes its endpoints' addresses matter: each gets the
 * verdict of its own address. */
static void
verdicts_follow_addresses_where_a_rule_splits_the_subnet (void **state)
{
  (void) state;
  static const char split_vpc[] =
    "vpc:\n"
    "  cidr: 10.0.0.0/16\n"
    "  subnets:\n"
    "    a: {cidr: 10.0.0.0/24, az: us-east-1a}\n"
    "    b: {cidr: 10.0.1.0/24, az: us-east-1b, network_acl: half}\n"
    "  security_groups:\n"
    "    alb-sg: {}\n"
    "    web-sg:\n"
    "      inbound:\n"
    "        - {protocol: tcp, ports: 80, source: 10.0.0.4/31}\n"
    "  network_acls:\n"
    "    half:\n"
    "      inbound:\n"
    "        - {rule: 100, action: allow, protocol: all, source: 10.0.0.0/16}\n"
    "      outbound:\n"
    "        - {rule: 100, action: deny, protocol: all, destination: 10.0.0.6/32}\n"
    "        - {rule: 200, action: allow, protocol: all, destination: 10.0.0.0/16}\n";
  Net n = net_new (split_vpc);
  int src[3]; /* 10.0.0.4, .5, .6 */
  for (int i = 0; i < 3; i++)
    src[i] = add_interface (&n, "alb", "a", "alb-sg", false);
  int web = add_interface (&n, "web", "b", "web-sg", false);
  const StratusPath *v[3];
  for (int i = 0; i < 3; i++)
    v[i] = stratus_network_verdict (n.net, src[i], web, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (v[0]->drop, STRATUS_DROP_NONE);
  assert_int_equal (v[1]->drop, STRATUS_DROP_NONE);
  /* .6 is outside the group's /31 (and the ACL would refuse the reply too). */
  assert_int_equal (v[2]->drop, STRATUS_DROP_SECURITY_GROUP);
  /* Had the subnet been one class, .6 would have shared the open verdict of .4. */
  check_all_verdicts (&n, 4);
  net_free (&n);
}

/* A failed AZ gives new verdicts; the old ones stay valid (and unchanged) for holders. */
static void
verdicts_follow_az_failures (void **state)
{
  (void) state;
  Net n = net_new (groups_vpc);
  int alb = add_interface (&n, "alb", "a", "alb-sg", true);
  int web = add_interface (&n, "web", "b", "web-sg", false);
  const StratusPath *before = stratus_network_verdict (n.net, alb, web, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (before->drop, STRATUS_DROP_NONE);
  stratus_network_set_az_down (n.net, 1, true);
  const StratusPath *down = stratus_network_verdict (n.net, alb, web, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (down->drop, STRATUS_DROP_AZ_DOWN);
  assert_int_equal (before->drop, STRATUS_DROP_NONE);
  stratus_network_set_az_down (n.net, 1, false);
  const StratusPath *after = stratus_network_verdict (n.net, alb, web, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (after->drop, STRATUS_DROP_NONE);
  assert_int_equal (down->drop, STRATUS_DROP_AZ_DOWN);
  net_free (&n);
}

/* A change retires exactly the cached paths it affects: with AZ b down, a path between two
 * interfaces of AZ a (no NAT gateway in b on the way) keeps its cached pointer, for the
 * verdicts and the described paths alike, while paths touching AZ b (an end in it, or a
 * NAT gateway in it) are walked again; placing a new interface retires nothing. */
static void
az_change_retires_only_the_paths_it_affects (void **state)
{
  (void) state;
  Net n = net_new ("vpc:\n"
                   "  cidr: 10.0.0.0/16\n"
                   "  internet_gateway: igw\n"
                   "  subnets:\n"
                   "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
                   "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
                   "    app-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
                   "  route_tables:\n"
                   "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"
                   "    private: {routes: [{destination: 0.0.0.0/0, target: nat}]}\n"
                   "  nat_gateways:\n"
                   "    nat: {subnet: b}\n"
                   "  security_groups:\n"
                   "    app-sg: {inbound: [{protocol: tcp, ports: 80, source: app-sg}]}\n");
  int a1 = add_interface (&n, "app-1", "app-a", "app-sg", false);
  int a2 = add_interface (&n, "app-2", "a", "app-sg", false);
  int b1 = add_interface (&n, "app-3", "b", "app-sg", false);
  int api = add_internet (&n, "api", "198.51.100.20");
  const StratusPath *inside_a = stratus_network_verdict (n.net, a1, a2, STRATUS_PROTOCOL_TCP, 80);
  const StratusPath *to_b = stratus_network_verdict (n.net, a1, b1, STRATUS_PROTOCOL_TCP, 80);
  const StratusPath *via_nat = stratus_network_verdict (n.net, a1, api, STRATUS_PROTOCOL_TCP, 443);
  const StratusPath *described = stratus_network_path (n.net, a1, a2, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (inside_a->az_depends, 1); /* AZ a only */
  assert_int_equal (to_b->az_depends, 3);
  assert_int_equal (via_nat->az_depends, 3); /* its NAT gateway is in b */

  int a3 = add_interface (&n, "app-4", "app-a", "app-sg", false); /* placing retires nothing */
  assert_ptr_equal (stratus_network_verdict (n.net, a1, a2, STRATUS_PROTOCOL_TCP, 80), inside_a);
  assert_ptr_equal (stratus_network_verdict (n.net, a1, b1, STRATUS_PROTOCOL_TCP, 80), to_b);
  assert_int_equal (stratus_network_verdict (n.net, a3, a2, STRATUS_PROTOCOL_TCP, 80)->drop,
                    STRATUS_DROP_NONE);

  stratus_network_set_az_down (n.net, 1, true);
  assert_ptr_equal (stratus_network_verdict (n.net, a1, a2, STRATUS_PROTOCOL_TCP, 80), inside_a);
  assert_ptr_equal (stratus_network_path (n.net, a1, a2, STRATUS_PROTOCOL_TCP, 80), described);
  const StratusPath *to_b_down = stratus_network_verdict (n.net, a1, b1, STRATUS_PROTOCOL_TCP, 80);
  assert_ptr_not_equal (to_b_down, to_b);
  assert_int_equal (to_b_down->drop, STRATUS_DROP_AZ_DOWN);
  assert_int_equal (to_b->drop, STRATUS_DROP_NONE); /* the retired one is still readable */
  assert_int_equal (stratus_network_verdict (n.net, a1, api, STRATUS_PROTOCOL_TCP, 443)->drop,
                    STRATUS_DROP_GATEWAY_DOWN);
  stratus_network_set_az_down (n.net, 1, false);
  assert_ptr_equal (stratus_network_verdict (n.net, a1, a2, STRATUS_PROTOCOL_TCP, 80), inside_a);
  assert_int_equal (stratus_network_verdict (n.net, a1, b1, STRATUS_PROTOCOL_TCP, 80)->drop,
                    STRATUS_DROP_NONE);
  net_free (&n);
}

/* The VPC of the fault tests: public subnets a (AZ a, NAT gateway nat-a) and b (AZ b,
 * NAT gateway nat-b), private subnet app-a routed through nat-b in the other AZ. */
static const char faults_vpc[]
  = "vpc:\n"
    "  cidr: 10.0.0.0/16\n"
    "  internet_gateway: igw\n"
    "  subnets:\n"
    "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
    "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
    "    app-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
    "  route_tables:\n"
    "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"
    "    private: {routes: [{destination: 0.0.0.0/0, target: nat-b}]}\n"
    "  nat_gateways:\n"
    "    nat-a: {subnet: a}\n"
    "    nat-b: {subnet: b}\n"
    "  security_groups:\n"
    "    app-sg: {inbound: [{protocol: tcp, ports: 80, source: app-sg}]}\n";

/* The drop of the path from `src` to `dst` (tcp, `port`). */
static StratusDropReason
drop_of (Net *n, int src, int dst, uint16_t port)
{
  return stratus_network_verdict (n->net, src, dst, STRATUS_PROTOCOL_TCP, port)->drop;
}

/* Connectivity disruptions cut what their scope says and nothing else: all traffic of a
 * subnet; only its traffic to other AZs (a NAT gateway in another AZ included); only its
 * traffic to the internet; nested cuts need as many restores. A failed NAT gateway drops
 * the paths through it; the describe text names the cause. */
static void
disruptions_cut_by_scope (void **state)
{
  (void) state;
  Net n = net_new (faults_vpc);
  int app = add_interface (&n, "app-1", "app-a", "app-sg", false);
  int near = add_interface (&n, "app-2", "a", "app-sg", true);
  int far = add_interface (&n, "app-3", "b", "app-sg", true);
  int api = add_internet (&n, "api", "198.51.100.20");
  int app_a = subnet_index (n.scenario, "app-a"), b = subnet_index (n.scenario, "b");
  assert_int_equal (drop_of (&n, app, near, 80), STRATUS_DROP_NONE);
  assert_int_equal (drop_of (&n, app, far, 80), STRATUS_DROP_NONE);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_NONE);

  stratus_network_disrupt (n.net, app_a, -1, STRATUS_DISRUPT_ALL, true);
  assert_int_equal (drop_of (&n, app, near, 80), STRATUS_DROP_DISRUPTED);
  assert_int_equal (drop_of (&n, near, app, 80), STRATUS_DROP_DISRUPTED);
  assert_int_equal (drop_of (&n, near, far, 80), STRATUS_DROP_NONE);
  StratusPath *why = stratus_network_describe_path (n.net, app, near, STRATUS_PROTOCOL_TCP, 80);
  assert_non_null (strstr (why->blocker, "connectivity of app-1 is disrupted"));
  stratus_path_free (why);
  stratus_network_disrupt (n.net, app_a, -1, STRATUS_DISRUPT_ALL, false);
  assert_int_equal (drop_of (&n, app, near, 80), STRATUS_DROP_NONE);

  stratus_network_disrupt (n.net, app_a, -1, STRATUS_DISRUPT_OTHER_AZS, true);
  assert_int_equal (drop_of (&n, app, near, 80), STRATUS_DROP_NONE);
  assert_int_equal (drop_of (&n, app, far, 80), STRATUS_DROP_DISRUPTED);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_DISRUPTED); /* nat-b is in b */
  stratus_network_disrupt (n.net, app_a, -1, STRATUS_DISRUPT_OTHER_AZS, false);

  stratus_network_disrupt (n.net, -1, 0, STRATUS_DISRUPT_INTERNET, true); /* all of AZ a */
  stratus_network_disrupt (n.net, -1, 0, STRATUS_DISRUPT_INTERNET, true); /* twice */
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_DISRUPTED);
  assert_int_equal (drop_of (&n, near, api, 443), STRATUS_DROP_DISRUPTED);
  assert_int_equal (drop_of (&n, far, api, 443), STRATUS_DROP_NONE);
  assert_int_equal (drop_of (&n, app, far, 80), STRATUS_DROP_NONE);
  stratus_network_disrupt (n.net, -1, 0, STRATUS_DISRUPT_INTERNET, false);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_DISRUPTED);
  stratus_network_disrupt (n.net, -1, 0, STRATUS_DISRUPT_INTERNET, false);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_NONE);

  /* The NAT gateway's own subnet cut: nothing passes through it. */
  stratus_network_disrupt (n.net, b, -1, STRATUS_DISRUPT_INTERNET, true);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_DISRUPTED);
  assert_int_equal (drop_of (&n, near, api, 443), STRATUS_DROP_NONE);
  stratus_network_disrupt (n.net, b, -1, STRATUS_DISRUPT_INTERNET, false);

  unsigned version = stratus_network_version (n.net);
  stratus_network_set_nat_failed (n.net, 1, true);
  assert_true (stratus_network_version (n.net) > version);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_GATEWAY_DOWN);
  assert_int_equal (drop_of (&n, near, api, 443), STRATUS_DROP_NONE); /* no NAT on its way */
  why = stratus_network_describe_path (n.net, app, api, STRATUS_PROTOCOL_TCP, 443);
  assert_non_null (strstr (why->blocker, "NAT gateway nat-b has failed"));
  stratus_path_free (why);
  stratus_network_set_nat_failed (n.net, 1, false);
  assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_NONE);

  /* A fault undone gives back the same verdicts: toggling one a thousand times makes no
   * new paths after the first time (memory follows the states, not the changes). */
  const StratusPath *open_path = stratus_network_verdict (n.net, app, api, STRATUS_PROTOCOL_TCP, 443);
  stratus_network_set_nat_failed (n.net, 1, true);
  (void) drop_of (&n, app, api, 443);
  stratus_network_set_nat_failed (n.net, 1, false);
  unsigned paths = stratus_network_verdict_paths (n.net);
  for (int i = 0; i < 1000; i++)
    {
      stratus_network_set_nat_failed (n.net, 1, true);
      assert_int_equal (drop_of (&n, app, api, 443), STRATUS_DROP_GATEWAY_DOWN);
      stratus_network_set_nat_failed (n.net, 1, false);
      assert_ptr_equal (stratus_network_verdict (n.net, app, api, STRATUS_PROTOCOL_TCP, 443),
                        open_path);
    }
  assert_int_equal (stratus_network_verdict_paths (n.net), paths);
  net_free (&n);
}

/* Injected latency and loss: on a subnet, paths with an end in it get the extra latency
 * and loss; between two AZs, only paths across them; two injections add up; ending one
 * gives the latency back exactly. */
static void
injections_add_latency_and_loss (void **state)
{
  (void) state;
  Net n = net_new (faults_vpc);
  int app = add_interface (&n, "app-1", "app-a", "app-sg", false);
  int near = add_interface (&n, "app-2", "a", "app-sg", false);
  int far = add_interface (&n, "app-3", "b", "app-sg", false);
  int app_a = subnet_index (n.scenario, "app-a");
  StratusTime same = stratus_network_verdict (n.net, app, near, STRATUS_PROTOCOL_TCP, 80)->latency;
  StratusTime cross = stratus_network_verdict (n.net, app, far, STRATUS_PROTOCOL_TCP, 80)->latency;
  StratusTime extra = 50 * STRATUS_MS;

  stratus_network_inject (n.net, app_a, -1, -1, extra, 0.1, true);
  const StratusPath *p = stratus_network_verdict (n.net, app, near, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (p->latency, same + extra);
  assert_true (fabs (p->loss - 0.1) < 1e-12);
  p = stratus_network_verdict (n.net, near, far, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (p->latency, cross);
  assert_true (p->loss == 0);

  stratus_network_inject (n.net, -1, 0, 1, extra, 0.5, true);
  p = stratus_network_verdict (n.net, app, far, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (p->latency, cross + 2 * extra);
  assert_true (fabs (p->loss - (1 - 0.9 * 0.5)) < 1e-12);
  p = stratus_network_verdict (n.net, near, far, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (p->latency, cross + extra);
  p = stratus_network_verdict (n.net, app, near, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (p->latency, same + extra); /* inside AZ a: not between a and b */

  stratus_network_inject (n.net, app_a, -1, -1, extra, 0.1, false);
  stratus_network_inject (n.net, -1, 0, 1, extra, 0.5, false);
  p = stratus_network_verdict (n.net, app, far, STRATUS_PROTOCOL_TCP, 80);
  assert_int_equal (p->latency, cross);
  assert_true (p->loss == 0);
  net_free (&n);
}

/* Overfull subnets from the configuration alone: fleets spread round robin over their
 * subnets, a node per load-balancer subnet, NAT gateways; the first overfull subnet. */
static void
overfull_subnet_from_the_configuration (void **state)
{
  (void) state;
  static const char small[] =
    "vpc:\n"
    "  cidr: 10.0.0.0/16\n"
    "  internet_gateway: igw\n"
    "  subnets:\n"
    "    a: {cidr: 10.0.0.0/28, az: us-east-1a, route_table: public}\n"
    "    b: {cidr: 10.0.1.0/28, az: us-east-1b, route_table: public}\n"
    "  route_tables:\n"
    "    public:\n"
    "      routes:\n"
    "        - {destination: 0.0.0.0/0, target: igw}\n"
    "  nat_gateways:\n"
    "    nat: {subnet: b}\n";
  /* A /28 has 11 usable addresses. `tail`: the load balancer in a and b, `web` (count 1)
   * in a. Subnet a: 1 node + web; b: 1 node + the NAT gateway. */
  static const struct
  {
    const char *fleet; /* replaces "    subnets: [a]\n" of the fleet */
    int count, full;
    unsigned placed;
  } cases[] = {
    { "    subnets: [a]\n", 10, -1, 0 },      /* a: 11 */
    { "    subnets: [a]\n", 11, 0, 12 },      /* a: 12 */
    { "    subnets: [b, a]\n", 19, 1, 12 },   /* b: 10 + 2, a: 9 + 1 */
    { "    subnets: [b, a]\n", 18, -1, 0 },   /* b: 9 + 2 = 11, a: 9 + 1 */
    { "    subnets: [a, b]\n", 20, 1, 12 },   /* a: 10 + 1 = 11, b: 10 + 2 = 12 */
    { "    subnets: [a, b]\n", 0, -1, 0 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *count = g_strdup_printf ("    count: %d\n%s", cases[i].count, cases[i].fleet);
      char *fleet_tail = g_strdup (tail);
      char *at = strstr (fleet_tail, "    subnets: [a]\n");
      assert_non_null (at);
      *at = '\0';
      char *text = g_strconcat (head, small, fleet_tail, count, at + strlen ("    subnets: [a]\n"),
                                NULL);
      StratusScenario *s = load_text (text);
      unsigned placed = 0, usable = 0;
      int full = stratus_network_overfull_subnet_of (s, &placed, &usable);
      /* Place everything as the model does and compare with the placed network. */
      StratusNetwork *net = stratus_network_new (s);
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, 0);
      for (int k = 0; k < f->count; k++)
        {
          const char *sub = g_ptr_array_index (f->subnets, (guint) k % f->subnets->len);
          StratusEndpointSpec spec = { .name = "web", .subnet = stratus_vpc_subnet_index (s->vpc, sub),
                                       .az = 0 };
          stratus_network_add_endpoint (net, &spec);
        }
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, 0);
      for (guint k = 0; k < lb->subnets->len; k++)
        {
          StratusEndpointSpec spec = { .name = "lb",
                                       .subnet = stratus_vpc_subnet_index (s->vpc,
                                                                           g_ptr_array_index (lb->subnets, k)),
                                       .az = 0 };
          stratus_network_add_endpoint (net, &spec);
        }
      unsigned placed2 = 0, usable2 = 0;
      int full2 = stratus_network_overfull_subnet (net, &placed2, &usable2);
      if (full != cases[i].full || full2 != cases[i].full)
        fail_msg ("case %zu: expected %d, from the configuration %d, placed %d", i,
                  cases[i].full, full, full2);
      if (full >= 0)
        {
          assert_int_equal (placed, cases[i].placed);
          assert_int_equal (placed2, cases[i].placed);
          assert_int_equal (usable, 11);
          assert_int_equal (usable2, 11);
        }
      stratus_network_free (net);
      stratus_scenario_free (s);
      g_free (text);
      g_free (fleet_tail);
      g_free (count);
    }
}

/* Byte counters stop at UINT64_MAX instead of wrapping. */
static void
counters_saturate (void **state)
{
  (void) state;
  assert_int_equal (stratus_bytes_add (1, 2), 3);
  assert_true (stratus_bytes_add (UINT64_MAX - 1, 1) == UINT64_MAX);
  assert_true (stratus_bytes_add (UINT64_MAX - 1, 2) == UINT64_MAX);
  assert_true (stratus_bytes_add (UINT64_MAX, UINT64_MAX) == UINT64_MAX);
  Net n = flat_new ();
  int client = add_internet (&n, "client", "198.51.100.7");
  int lb = add_flat (&n, "lb@us-east-1a", 0);
  const StratusPath *in = stratus_network_verdict (n.net, client, lb, STRATUS_PROTOCOL_TCP, 80);
  /* 5,118 answers of 1e18 bytes (issue 7's B13) would wrap to about 7.25e18. */
  for (int i = 0; i < 5118; i++)
    stratus_network_count_bytes (n.net, in, 1, UINT64_C (1000000000000000000));
  assert_true (stratus_network_bytes (n.net, lb, STRATUS_BYTES_INTERNET_OUT) == UINT64_MAX);
  assert_int_equal (stratus_network_bytes (n.net, lb, STRATUS_BYTES_INTERNET_IN), 5118);
  net_free (&n);
}

static void
flat_network_every_path_open (void **state)
{
  (void) state;
  Net n = flat_new ();
  int client = add_internet (&n, "client", "198.51.100.7");
  int api = add_internet (&n, "api", "203.0.113.10");
  int lb_a = add_flat (&n, "lb@us-east-1a", 0);
  int web_a = add_flat (&n, "web-1", 0);
  int web_b = add_flat (&n, "web-2", 1);
  const StratusTime same = 200 * STRATUS_US, cross = 1500 * STRATUS_US, net = 40 * STRATUS_MS;
  assert_int_equal (n.scenario->latency.same_az, same);
  assert_int_equal (n.scenario->latency.cross_az, cross);
  assert_int_equal (n.scenario->latency.internet, net);

  const StratusPath *p = tcp (&n, client, lb_a, 80);
  check_open (p);
  assert_int_equal (p->latency, net);
  assert_int_equal (p->nat, -1);
  assert_int_equal (p->n_legs, 1);
  check_leg (p, 0, lb_a, STRATUS_BYTES_INTERNET_IN, STRATUS_BYTES_INTERNET_OUT);

  p = tcp (&n, lb_a, web_a, 80);
  check_open (p);
  assert_int_equal (p->latency, same);
  check_leg (p, 0, lb_a, STRATUS_BYTES_SAME_AZ, STRATUS_BYTES_SAME_AZ);

  p = tcp (&n, lb_a, web_b, 80);
  check_open (p);
  assert_int_equal (p->latency, cross);
  check_leg (p, 0, lb_a, STRATUS_BYTES_CROSS_AZ, STRATUS_BYTES_CROSS_AZ);

  p = tcp (&n, web_b, api, 443);
  check_open (p);
  assert_int_equal (p->latency, net);
  assert_int_equal (p->nat, -1);
  check_leg (p, 0, web_b, STRATUS_BYTES_INTERNET_OUT, STRATUS_BYTES_INTERNET_IN);

  /* Any protocol, any port, either way: no rules without a vpc. */
  const int protocols[] = { STRATUS_PROTOCOL_TCP, STRATUS_PROTOCOL_UDP, STRATUS_PROTOCOL_ICMP,
                            STRATUS_PROTOCOL_ALL };
  const int ends[] = { client, lb_a, web_a, web_b };
  for (size_t pr = 0; pr < G_N_ELEMENTS (protocols); pr++)
    for (size_t i = 0; i < G_N_ELEMENTS (ends); i++)
      for (size_t j = 0; j < G_N_ELEMENTS (ends); j++)
        if (i != j)
          {
            p = stratus_network_path (n.net, ends[i], ends[j], protocols[pr], 22);
            check_open (p);
            assert_int_equal (p->nat, -1);
          }
  /* The flat network hands out private addresses of its own. */
  assert_int_not_equal (stratus_network_endpoint_address (n.net, web_a),
                        stratus_network_endpoint_address (n.net, web_b));
  assert_int_equal (stratus_network_endpoint_address (n.net, api), address ("203.0.113.10"));
  net_free (&n);
}

int
main (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (cidr_parse_valid),
    cmocka_unit_test (cidr_parse_invalid),
    cmocka_unit_test (address_parse_strict),
    cmocka_unit_test (cidr_contains_covers_overlaps),
    cmocka_unit_test (cidr_size_nth_format),
    cmocka_unit_test (route_longest_prefix_wins),
    cmocka_unit_test (route_blackhole_beyond_the_nat),
    cmocka_unit_test (nat_gateway_down_with_its_az),
    cmocka_unit_test (route_main_table_fallback),
    cmocka_unit_test (route_implicit_main_table_is_local_only),
    cmocka_unit_test (security_group_rule_naming_group_admits_members_only),
    cmocka_unit_test (security_group_cidr_sources_and_port_ranges),
    cmocka_unit_test (security_groups_are_stateful),
    cmocka_unit_test (security_group_none_allows_nothing),
    cmocka_unit_test (acl_lower_rule_number_wins),
    cmocka_unit_test (acl_no_match_final_rule_denies),
    cmocka_unit_test (acl_stateless_reply_needs_ephemeral_ports),
    cmocka_unit_test (acl_not_evaluated_within_subnet),
    cmocka_unit_test (internet_requires_public_ip_inbound),
    cmocka_unit_test (internet_without_gateway_no_route),
    cmocka_unit_test (internet_from_public_subnet_needs_public_ip),
    cmocka_unit_test (internet_through_nat_in_other_az),
    cmocka_unit_test (endpoint_addresses_skip_reserved),
    cmocka_unit_test (shipped_vpc_scenario_paths),
    cmocka_unit_test (nat_connection_limit_per_destination),
    cmocka_unit_test (nat_bandwidth_starts_at_5_gbps),
    cmocka_unit_test (nat_bandwidth_follows_demand),
    cmocka_unit_test (drop_reason_and_byte_class_names),
    cmocka_unit_test (counters_count_and_reset),
    cmocka_unit_test (path_cache_returns_same_path),
    cmocka_unit_test (verdicts_match_walked_paths),
    cmocka_unit_test (verdicts_are_shared_within_a_class),
    cmocka_unit_test (verdicts_follow_addresses_where_a_rule_splits_the_subnet),
    cmocka_unit_test (verdicts_follow_az_failures),
    cmocka_unit_test (disruptions_cut_by_scope),
    cmocka_unit_test (injections_add_latency_and_loss),
    cmocka_unit_test (az_change_retires_only_the_paths_it_affects),
    cmocka_unit_test (overfull_subnet_from_the_configuration),
    cmocka_unit_test (counters_saturate),
    cmocka_unit_test (flat_network_every_path_open),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
