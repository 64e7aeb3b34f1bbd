/* The `vpc` section of scenarios and the network keys of load balancers, fleets and
 * workloads: a classic two-AZ layout typed field by field, and the position and wording of
 * each static check (blocks, references, routes to the internet, AZs of load balancers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include <glib.h>
#include <string.h>

#include "stratus/cidr.h"
#include "stratus/scenario.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* A classic layout: an ALB in two public subnets, a fleet in two private subnets that
 * reach the internet through one NAT gateway per AZ. The error tests change one thing in
 * it; line numbers matter. */
static const char base[] =
  "name: t\n"                                                                          /* 1 */
  "duration: 10m\n"                                                                    /* 2 */
  "azs: [us-east-1a, us-east-1b]\n"                                                    /* 3 */
  "vpc:\n"                                                                             /* 4 */
  "  cidr: 10.0.0.0/16\n"                                                              /* 5 */
  "  internet_gateway: igw\n"                                                          /* 6 */
  "  main_route_table: main\n"                                                         /* 7 */
  "  elastic_ips: [eip-a, eip-spare]\n"                                                /* 8 */
  "  subnets:\n"                                                                       /* 9 */
  "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public, map_public_ip_on_launch: true}\n" /* 10 */
  "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"           /* 11 */
  "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private-a, network_acl: web-acl}\n" /* 12 */
  "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private-b, network_acl: web-acl}\n" /* 13 */
  "  route_tables:\n"                                                                  /* 14 */
  "    main: {}\n"                                                                     /* 15 */
  "    public:\n"                                                                      /* 16 */
  "      routes:\n"                                                                    /* 17 */
  "        - {destination: 0.0.0.0/0, target: igw}\n"                                  /* 18 */
  "    private-a:\n"                                                                   /* 19 */
  "      routes:\n"                                                                    /* 20 */
  "        - {destination: 0.0.0.0/0, target: nat-a}\n"                                /* 21 */
  "    private-b:\n"                                                                   /* 22 */
  "      routes:\n"                                                                    /* 23 */
  "        - {destination: 0.0.0.0/0, target: nat-b}\n"                                /* 24 */
  "        - {destination: 192.168.0.0/16, target: blackhole}\n"                       /* 25 */
  "  nat_gateways:\n"                                                                  /* 26 */
  "    nat-a: {subnet: public-a, elastic_ips: [eip-a]}\n"                              /* 27 */
  "    nat-b: {subnet: public-b}\n"                                                    /* 28 */
  "  security_groups:\n"                                                               /* 29 */
  "    alb-sg:\n"                                                                      /* 30 */
  "      inbound:\n"                                                                   /* 31 */
  "        - {protocol: tcp, ports: 80, source: 0.0.0.0/0}\n"                          /* 32 */
  "    web-sg:\n"                                                                      /* 33 */
  "      inbound:\n"                                                                   /* 34 */
  "        - {protocol: tcp, ports: 80, source: alb-sg}\n"                             /* 35 */
  "      outbound:\n"                                                                  /* 36 */
  "        - {protocol: tcp, ports: 443, destination: 0.0.0.0/0}\n"                    /* 37 */
  "        - {protocol: all, destination: web-sg}\n"                                   /* 38 */
  "  network_acls:\n"                                                                  /* 39 */
  "    web-acl:\n"                                                                     /* 40 */
  "      inbound:\n"                                                                   /* 41 */
  "        - {rule: 110, action: allow, protocol: tcp, ports: 1024-65535, source: 0.0.0.0/0}\n" /* 42 */
  "        - {rule: 100, action: allow, protocol: tcp, ports: 80, source: 10.0.0.0/16}\n" /* 43 */
  "        - {rule: 120, action: deny, protocol: all, source: 0.0.0.0/0}\n"            /* 44 */
  "      outbound:\n"                                                                  /* 45 */
  "        - {rule: 100, action: allow, protocol: all, destination: 0.0.0.0/0}\n"      /* 46 */
  "load_balancers:\n"                                                                  /* 47 */
  "  web-alb:\n"                                                                       /* 48 */
  "    subnets: [public-a, public-b]\n"                                                /* 49 */
  "    security_groups: [alb-sg]\n"                                                    /* 50 */
  "    target_group: web\n"                                                            /* 51 */
  "instances:\n"                                                                       /* 52 */
  "  web:\n"                                                                           /* 53 */
  "    count: 4\n"                                                                     /* 54 */
  "    service_time: 20ms\n"                                                           /* 55 */
  "    target_group: web\n"                                                            /* 56 */
  "    subnets: [private-a, private-b]\n"                                              /* 57 */
  "    security_groups: [web-sg]\n"                                                    /* 58 */
  "    outbound:\n"                                                                    /* 59 */
  "      payments:\n"                                                                  /* 60 */
  "        destination: 203.0.113.10\n"                                                /* 61 */
  "        port: 443\n"                                                                /* 62 */
  "        service_time: {dist: lognormal, mean: 80ms, cv: 0.5}\n"                     /* 63 */
  "workload:\n"                                                                        /* 64 */
  "  shoppers:\n"                                                                      /* 65 */
  "    entry: web-alb\n"                                                               /* 66 */
  "    rate: 100/s\n";                                                                 /* 67 */

/* A scenario without a vpc section; line numbers matter. */
static const char flat[] = "duration: 2h\n"                  /* 1 */
                           "azs: [us-east-1a]\n"             /* 2 */
                           "load_balancers:\n"               /* 3 */
                           "  lb:\n"                         /* 4 */
                           "    target_group: web\n"         /* 5 */
                           "instances:\n"                    /* 6 */
                           "  web:\n"                        /* 7 */
                           "    service_time: 10ms\n"        /* 8 */
                           "    target_group: web\n"         /* 9 */
                           "workload:\n"                     /* 10 */
                           "  w:\n"                          /* 11 */
                           "    entry: lb\n"                 /* 12 */
                           "    rate: 200/s\n";              /* 13 */



/* `base` with `from` replaced by `to` loads. */
static StratusScenario *
load_subst_ok (const char *from, const char *to)
{
  char *text = subst (base, from, to);
  StratusScenario *s = load_ok (text);
  g_free (text);
  return s;
}




#define expect_subst_error(from, to, prefix, ...)                                           \
  expect_text_error (base, from, to, prefix, __VA_ARGS__)

static void
assert_cidr (StratusCidr actual, const char *expected)
{
  char *text = stratus_cidr_format (actual);
  assert_string_equal (text, expected);
  g_free (text);
}

static const char *
str_at (const GPtrArray *a, guint i)
{
  assert_true (i < a->len);
  return g_ptr_array_index (a, i);
}

static void
assert_names (const GPtrArray *a, const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);
  assert_int_equal (a->len, n);
  for (guint i = 0; i < n; i++)
    assert_string_equal (str_at (a, i), expected[i]);
}

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const StratusSubnetConfig *
subnet (const StratusVpcConfig *vpc, guint i)
{
  assert_true (i < vpc->subnets->len);
  return g_ptr_array_index (vpc->subnets, i);
}

static const StratusRouteTableConfig *
route_table (const StratusVpcConfig *vpc, guint i)
{
  assert_true (i < vpc->route_tables->len);
  return g_ptr_array_index (vpc->route_tables, i);
}

static const StratusRouteConfig *
route (const StratusRouteTableConfig *t, guint i)
{
  assert_true (i < t->routes->len);
  return &g_array_index (t->routes, StratusRouteConfig, i);
}

static const StratusNatGatewayConfig *
nat (const StratusVpcConfig *vpc, guint i)
{
  assert_true (i < vpc->nat_gateways->len);
  return g_ptr_array_index (vpc->nat_gateways, i);
}

static const StratusSecurityGroupConfig *
group (const StratusVpcConfig *vpc, guint i)
{
  assert_true (i < vpc->security_groups->len);
  return g_ptr_array_index (vpc->security_groups, i);
}

static const StratusSgRuleConfig *
sg_rule (const GArray *rules, guint i)
{
  assert_true (i < rules->len);
  return &g_array_index (rules, StratusSgRuleConfig, i);
}

static const StratusAclRuleConfig *
acl_rule (const GArray *rules, guint i)
{
  assert_true (i < rules->len);
  return &g_array_index (rules, StratusAclRuleConfig, i);
}

static const StratusFleetConfig *
fleet (const StratusScenario *s, guint i)
{
  assert_true (i < s->fleets->len);
  return g_ptr_array_index (s->fleets, i);
}

static const StratusLoadBalancerConfig *
load_balancer (const StratusScenario *s, guint i)
{
  assert_true (i < s->load_balancers->len);
  return g_ptr_array_index (s->load_balancers, i);
}

static const StratusWorkloadConfig *
workload (const StratusScenario *s, guint i)
{
  assert_true (i < s->workloads->len);
  return g_ptr_array_index (s->workloads, i);
}

static const StratusOutboundCallConfig *
outbound (const StratusFleetConfig *f, guint i)
{
  assert_true (i < f->outbound->len);
  return g_ptr_array_index (f->outbound, i);
}

/* ---- valid layouts -------------------------------------------------------------------- */

static void
test_classic_layout (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (base);
  const StratusVpcConfig *vpc = s->vpc;
  assert_non_null (vpc);
  assert_cidr (vpc->cidr, "10.0.0.0/16");
  assert_string_equal (vpc->internet_gateway, "igw");
  assert_string_equal (vpc->main_route_table, "main");
  /* The declared Elastic IPs, then the one supplied for nat-b. */
  assert_names (vpc->elastic_ips, NAMES ("eip-a", "eip-spare", "nat-b-eip"));

  assert_int_equal (vpc->subnets->len, 4);
  const StratusSubnetConfig *pa = subnet (vpc, 0), *pb = subnet (vpc, 1);
  const StratusSubnetConfig *qa = subnet (vpc, 2), *qb = subnet (vpc, 3);
  assert_string_equal (pa->name, "public-a");
  assert_cidr (pa->cidr, "10.0.0.0/24");
  assert_string_equal (pa->az, "us-east-1a");
  assert_int_equal (pa->az_index, 0);
  assert_string_equal (pa->route_table, "public");
  assert_null (pa->network_acl);
  assert_true (pa->map_public_ip_on_launch);
  assert_string_equal (pb->name, "public-b");
  assert_string_equal (pb->az, "us-east-1b");
  assert_int_equal (pb->az_index, 1);
  assert_false (pb->map_public_ip_on_launch);
  assert_string_equal (qa->name, "private-a");
  assert_cidr (qa->cidr, "10.0.2.0/24");
  assert_int_equal (qa->az_index, 0);
  assert_string_equal (qa->route_table, "private-a");
  assert_string_equal (qa->network_acl, "web-acl");
  assert_string_equal (qb->name, "private-b");
  assert_cidr (qb->cidr, "10.0.3.0/24");
  assert_int_equal (qb->az_index, 1);

  assert_int_equal (vpc->route_tables->len, 4);
  const StratusRouteTableConfig *main_table = route_table (vpc, 0);
  assert_string_equal (main_table->name, "main");
  assert_int_equal (main_table->routes->len, 0); /* only the implicit local route */
  const StratusRouteTableConfig *pub = route_table (vpc, 1);
  assert_string_equal (pub->name, "public");
  assert_int_equal (pub->routes->len, 1);
  assert_cidr (route (pub, 0)->destination, "0.0.0.0/0");
  assert_int_equal (route (pub, 0)->target, STRATUS_ROUTE_INTERNET_GATEWAY);
  assert_null (route (pub, 0)->nat_gateway);
  const StratusRouteTableConfig *pra = route_table (vpc, 2);
  assert_string_equal (pra->name, "private-a");
  assert_int_equal (route (pra, 0)->target, STRATUS_ROUTE_NAT_GATEWAY);
  assert_string_equal (route (pra, 0)->nat_gateway, "nat-a");
  const StratusRouteTableConfig *prb = route_table (vpc, 3);
  assert_int_equal (prb->routes->len, 2);
  assert_string_equal (route (prb, 0)->nat_gateway, "nat-b");
  assert_cidr (route (prb, 1)->destination, "192.168.0.0/16");
  assert_int_equal (route (prb, 1)->target, STRATUS_ROUTE_BLACKHOLE);
  assert_null (route (prb, 1)->nat_gateway);

  assert_int_equal (vpc->nat_gateways->len, 2);
  assert_string_equal (nat (vpc, 0)->name, "nat-a");
  assert_string_equal (nat (vpc, 0)->subnet, "public-a");
  assert_names (nat (vpc, 0)->elastic_ips, NAMES ("eip-a"));
  assert_string_equal (nat (vpc, 1)->name, "nat-b");
  assert_string_equal (nat (vpc, 1)->subnet, "public-b");
  assert_names (nat (vpc, 1)->elastic_ips, NAMES ("nat-b-eip"));

  assert_int_equal (vpc->security_groups->len, 2);
  const StratusSecurityGroupConfig *alb_sg = group (vpc, 0), *web_sg = group (vpc, 1);
  assert_string_equal (alb_sg->name, "alb-sg");
  assert_int_equal (alb_sg->inbound->len, 1);
  const StratusSgRuleConfig *r = sg_rule (alb_sg->inbound, 0);
  assert_int_equal (r->protocol, STRATUS_PROTOCOL_TCP);
  assert_int_equal (r->port_from, 80);
  assert_int_equal (r->port_to, 80);
  assert_null (r->group);
  assert_cidr (r->cidr, "0.0.0.0/0");
  /* No outbound key: AWS's default, all traffic to anywhere. */
  assert_int_equal (alb_sg->outbound->len, 1);
  r = sg_rule (alb_sg->outbound, 0);
  assert_int_equal (r->protocol, STRATUS_PROTOCOL_ALL);
  assert_int_equal (r->port_from, 0);
  assert_int_equal (r->port_to, 65535);
  assert_null (r->group);
  assert_cidr (r->cidr, "0.0.0.0/0");
  assert_string_equal (web_sg->name, "web-sg");
  r = sg_rule (web_sg->inbound, 0);
  assert_int_equal (r->protocol, STRATUS_PROTOCOL_TCP);
  assert_string_equal (r->group, "alb-sg");
  assert_int_equal (web_sg->outbound->len, 2);
  r = sg_rule (web_sg->outbound, 0);
  assert_int_equal (r->port_from, 443);
  assert_int_equal (r->port_to, 443);
  assert_cidr (r->cidr, "0.0.0.0/0");
  r = sg_rule (web_sg->outbound, 1);
  assert_int_equal (r->protocol, STRATUS_PROTOCOL_ALL);
  assert_int_equal (r->port_from, 0);
  assert_int_equal (r->port_to, 65535);
  assert_string_equal (r->group, "web-sg");

  assert_int_equal (vpc->network_acls->len, 1);
  const StratusNetworkAclConfig *acl = g_ptr_array_index (vpc->network_acls, 0);
  assert_string_equal (acl->name, "web-acl");
  assert_int_equal (acl->inbound->len, 3); /* sorted by number */
  const StratusAclRuleConfig *a = acl_rule (acl->inbound, 0);
  assert_int_equal (a->number, 100);
  assert_true (a->allow);
  assert_int_equal (a->protocol, STRATUS_PROTOCOL_TCP);
  assert_int_equal (a->port_from, 80);
  assert_int_equal (a->port_to, 80);
  assert_cidr (a->cidr, "10.0.0.0/16");
  a = acl_rule (acl->inbound, 1);
  assert_int_equal (a->number, 110);
  assert_int_equal (a->port_from, 1024);
  assert_int_equal (a->port_to, 65535);
  a = acl_rule (acl->inbound, 2);
  assert_int_equal (a->number, 120);
  assert_false (a->allow);
  assert_int_equal (a->protocol, STRATUS_PROTOCOL_ALL);
  assert_int_equal (a->port_from, 0);
  assert_int_equal (a->port_to, 65535);
  assert_int_equal (acl->outbound->len, 1);
  assert_cidr (acl_rule (acl->outbound, 0)->cidr, "0.0.0.0/0");

  const StratusLoadBalancerConfig *lb = load_balancer (s, 0);
  assert_false (lb->internal);
  assert_int_equal (lb->port, 80);
  assert_names (lb->subnets, NAMES ("public-a", "public-b"));
  assert_names (lb->security_groups, NAMES ("alb-sg"));

  const StratusFleetConfig *f = fleet (s, 0);
  assert_int_equal (f->count, 4);
  assert_int_equal (f->port, 80);
  assert_names (f->subnets, NAMES ("private-a", "private-b"));
  assert_names (f->security_groups, NAMES ("web-sg"));
  assert_int_equal (f->public_ip, -1);
  assert_int_equal (f->outbound->len, 1);
  const StratusOutboundCallConfig *o = outbound (f, 0);
  assert_string_equal (o->name, "payments");
  uint32_t address;
  assert_true (stratus_address_parse ("203.0.113.10", &address, NULL));
  assert_int_equal (o->destination, address);
  assert_int_equal (o->port, 443);
  assert_int_equal (o->protocol, STRATUS_PROTOCOL_TCP);
  assert_float_equal (o->per_request, 1.0, 0);
  assert_int_equal (o->service_time.kind, STRATUS_DIST_LOGNORMAL);
  assert_float_equal (o->service_time.mean, 80e6, 1e-6);
  assert_float_equal (o->service_time.cv, 0.5, 1e-12);
  assert_int_equal (o->timeout, 5 * STRATUS_SECOND);
  assert_int_equal (o->request_bytes, 1024);
  assert_int_equal (o->response_bytes, 4096);

  const StratusWorkloadConfig *w = workload (s, 0);
  assert_int_equal (w->request_bytes, 1024);
  assert_int_equal (w->response_bytes, 16 * 1024);
  stratus_scenario_free (s);
}

static void
test_explicit_values (void **state)
{
  (void) state;
  char *a = subst (base, "    security_groups: [alb-sg]\n",
                   "    security_groups: [alb-sg]\n"
                   "    scheme: internal\n"
                   "    port: 8080\n");
  char *b = subst (a, "    security_groups: [web-sg]\n",
                   "    security_groups: [web-sg, alb-sg]\n"
                   "    public_ip: yes\n"
                   "    port: 8443\n");
  char *c = subst (b, "        port: 443\n",
                   "        port: 53\n"
                   "        protocol: udp\n"
                   "        per_request: 0.3\n"
                   "        timeout: 250ms\n"
                   "        request_size: 100B\n"
                   "        response_size: 1.5KiB\n");
  char *c2 = subst (c, "        service_time: {dist: lognormal, mean: 80ms, cv: 0.5}\n",
                    "        service_time: {dist: lognormal, mean: 80ms, cv: 0.5}\n"
                    "      audit: {destination: 198.51.100.8, port: 8443, per_request: 2,"
                    " service_time: 5ms}\n");
  char *d = subst (c2, "    rate: 100/s\n",
                   "    rate: 100/s\n"
                   "    request_size: 2KiB\n"
                   "    response_size: 20KiB\n");
  /* An internal load balancer may sit in private subnets. */
  char *text = subst (d, "    subnets: [public-a, public-b]\n",
                      "    subnets: [private-b, private-a]\n");
  StratusScenario *s = load_ok (text);
  const StratusLoadBalancerConfig *lb = load_balancer (s, 0);
  assert_true (lb->internal);
  assert_int_equal (lb->port, 8080);
  assert_names (lb->subnets, NAMES ("private-b", "private-a"));
  const StratusFleetConfig *f = fleet (s, 0);
  assert_int_equal (f->public_ip, 1);
  assert_int_equal (f->port, 8443);
  assert_names (f->security_groups, NAMES ("web-sg", "alb-sg"));
  assert_int_equal (f->outbound->len, 2);
  const StratusOutboundCallConfig *o = outbound (f, 0);
  assert_int_equal (o->port, 53);
  assert_int_equal (o->protocol, STRATUS_PROTOCOL_UDP);
  assert_float_equal (o->per_request, 0.3, 1e-12);
  assert_int_equal (o->timeout, 250 * STRATUS_MS);
  assert_int_equal (o->request_bytes, 100);
  assert_int_equal (o->response_bytes, 1536);
  o = outbound (f, 1);
  assert_string_equal (o->name, "audit");
  assert_int_equal (o->port, 8443);
  assert_float_equal (o->per_request, 2.0, 0);
  assert_int_equal (o->service_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (o->service_time.mean, 5e6, 1e-6);
  const StratusWorkloadConfig *w = workload (s, 0);
  assert_int_equal (w->request_bytes, 2048);
  assert_int_equal (w->response_bytes, 20 * 1024);
  stratus_scenario_free (s);
  g_free (text);
  g_free (d);
  g_free (c2);
  g_free (c);
  g_free (b);
  g_free (a);

  /* public_ip: no; booleans in either spelling. */
  s = load_subst_ok ("    security_groups: [web-sg]\n",
                     "    security_groups: [web-sg]\n    public_ip: false\n");
  assert_int_equal (fleet (s, 0)->public_ip, 0);
  stratus_scenario_free (s);
  s = load_subst_ok ("route_table: public, map_public_ip_on_launch: true}",
                     "route_table: public, map_public_ip_on_launch: no}");
  assert_false (subnet (s->vpc, 0)->map_public_ip_on_launch);
  stratus_scenario_free (s);
}

static void
test_minimal_vpc (void **state)
{
  (void) state;
  /* No gateways, no tables: an internal load balancer and a fleet in isolated subnets. The
   * main route table is implicit; security groups and ACLs are optional. */
  StratusScenario *s = load_ok ("duration: 1h\n"
                                "azs: [us-east-1a, us-east-1b]\n"
                                "vpc:\n"
                                "  cidr: 172.16.0.0/20\n"
                                "  subnets:\n"
                                "    a: {cidr: 172.16.0.0/28, az: us-east-1a}\n"
                                "    b: {cidr: 172.16.15.0/24, az: us-east-1b}\n"
                                "load_balancers:\n"
                                "  lb: {scheme: internal, subnets: [a, b], target_group: web}\n"
                                "instances:\n"
                                "  web: {service_time: 10ms, target_group: web, subnets: [b]}\n"
                                "workload:\n"
                                "  w: {entry: lb, rate: 10/s}\n");
  const StratusVpcConfig *vpc = s->vpc;
  assert_cidr (vpc->cidr, "172.16.0.0/20");
  assert_null (vpc->internet_gateway);
  assert_null (vpc->main_route_table);
  assert_int_equal (vpc->elastic_ips->len, 0);
  assert_int_equal (vpc->route_tables->len, 0);
  assert_int_equal (vpc->nat_gateways->len, 0);
  assert_int_equal (vpc->security_groups->len, 0);
  assert_int_equal (vpc->network_acls->len, 0);
  assert_null (subnet (vpc, 0)->route_table);
  assert_null (subnet (vpc, 0)->network_acl);
  assert_int_equal (subnet (vpc, 1)->az_index, 1);
  assert_int_equal (load_balancer (s, 0)->security_groups->len, 0);
  assert_int_equal (fleet (s, 0)->security_groups->len, 0);
  stratus_scenario_free (s);

  /* An explicit local route for the VPC's block, and an empty outbound list. */
  s = load_subst_ok ("    main: {}\n",
                     "    main: {routes: [{destination: 10.0.0.0/16, target: local}]}\n");
  assert_int_equal (route (route_table (s->vpc, 0), 0)->target, STRATUS_ROUTE_LOCAL);
  stratus_scenario_free (s);
  s = load_subst_ok ("        - {protocol: tcp, ports: 80, source: 0.0.0.0/0}\n",
                     "        - {protocol: tcp, ports: 80, source: 0.0.0.0/0}\n"
                     "      outbound: []\n");
  assert_int_equal (group (s->vpc, 0)->outbound->len, 0);
  stratus_scenario_free (s);
}

static void
test_without_vpc (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (flat);
  assert_null (s->vpc);
  const StratusLoadBalancerConfig *lb = load_balancer (s, 0);
  assert_false (lb->internal);
  assert_int_equal (lb->port, 80);
  assert_int_equal (lb->subnets->len, 0);
  assert_int_equal (lb->security_groups->len, 0);
  const StratusFleetConfig *f = fleet (s, 0);
  assert_int_equal (f->port, 80);
  assert_int_equal (f->subnets->len, 0);
  assert_int_equal (f->security_groups->len, 0);
  assert_int_equal (f->public_ip, -1);
  assert_int_equal (f->outbound->len, 0);
  assert_int_equal (workload (s, 0)->request_bytes, 1024);
  assert_int_equal (workload (s, 0)->response_bytes, 16384);
  stratus_scenario_free (s);

  /* scheme, port, outbound calls and sizes work without a VPC; an outbound call may then
   * go to any address. */
  char *a = subst (flat, "    target_group: web\ninstances:", "    target_group: web\n"
                   "    scheme: internal\n    port: 443\ninstances:");
  char *b = subst (a, "    service_time: 10ms\n",
                   "    service_time: 10ms\n    port: 8080\n"
                   "    outbound: {db: {destination: 10.0.0.5, port: 5432, service_time: 2ms}}\n");
  char *text = subst (b, "    rate: 200/s\n", "    rate: 200/s\n    response_size: 1MB\n");
  s = load_ok (text);
  assert_null (s->vpc);
  assert_true (load_balancer (s, 0)->internal);
  assert_int_equal (load_balancer (s, 0)->port, 443);
  assert_int_equal (fleet (s, 0)->port, 8080);
  assert_int_equal (outbound (fleet (s, 0), 0)->port, 5432);
  assert_int_equal (workload (s, 0)->response_bytes, 1000000);
  stratus_scenario_free (s);
  g_free (text);
  g_free (b);
  g_free (a);
}

/* ---- errors ----------------------------------------------------------------------------- */

static void
test_error_subnets_without_vpc (void **state)
{
  (void) state;
  expect_text_error (flat, "    target_group: web\ninstances:",
                     "    target_group: web\n    subnets: [a, b]\ninstances:",
                     "t.yaml:6:5: ", "lb: 'subnets' needs a vpc section");
  expect_text_error (flat, "    target_group: web\ninstances:",
                     "    target_group: web\n    security_groups: [sg]\ninstances:",
                     "t.yaml:6:5: ", "lb: 'security_groups' needs a vpc section");
  expect_text_error (flat, "    service_time: 10ms\n",
                     "    service_time: 10ms\n    subnets: [a]\n", "t.yaml:9:5: ",
                     "web: 'subnets' needs a vpc section");
  expect_text_error (flat, "    service_time: 10ms\n",
                     "    service_time: 10ms\n    public_ip: true\n", "t.yaml:9:5: ",
                     "web: 'public_ip' needs a vpc section");
  expect_text_error (flat, "    service_time: 10ms\n",
                     "    service_time: 10ms\n    security_groups: []\n", "t.yaml:9:5: ",
                     "web: 'security_groups' needs a vpc section");
}

static void
test_error_misspelt_keys (void **state)
{
  (void) state;
  expect_subst_error ("  nat_gateways:\n", "  nat_gateway:\n", "t.yaml:26:3: ",
                      "unknown key 'nat_gateway' in the vpc section",
                      "did you mean 'nat_gateways'?");
  expect_subst_error ("az: us-east-1b, route_table: public}",
                      "az: us-east-1b, route_tabel: public}",
                      "t.yaml:11:51: ", "unknown key 'route_tabel' in a subnet",
                      "did you mean 'route_table'?");
  expect_subst_error ("    nat-b: {subnet: public-b}\n",
                      "    nat-b: {subnet: public-b, eips: [x]}\n",
                      "t.yaml:28:31: ", "unknown key 'eips' in a NAT gateway");
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tcp, port: 80, source: alb-sg}\n", "t.yaml:35:27: ",
                      "unknown key 'port' in an inbound security-group rule",
                      "did you mean 'ports'?");
  /* An outbound rule has a destination, not a source. */
  expect_subst_error ("        - {protocol: all, destination: web-sg}\n",
                      "        - {protocol: all, source: web-sg}\n", "t.yaml:38:27: ",
                      "unknown key 'source' in an outbound security-group rule");
  expect_subst_error ("    security_groups: [alb-sg]\n", "    security_group: [alb-sg]\n",
                      "t.yaml:50:5: ", "unknown key 'security_group' in a load balancer",
                      "did you mean 'security_groups'?");
  expect_subst_error ("    security_groups: [web-sg]\n", "    public_ips: true\n",
                      "t.yaml:58:5: ", "unknown key 'public_ips' in an instance fleet",
                      "did you mean 'public_ip'?");
  expect_subst_error ("        port: 443\n", "        port: 443\n        timout: 1s\n",
                      "t.yaml:63:9: ", "unknown key 'timout' in an outbound call",
                      "did you mean 'timeout'?");
  expect_subst_error ("    rate: 100/s\n", "    rate: 100/s\n    request_bytes: 1KiB\n",
                      "t.yaml:68:5: ", "unknown key 'request_bytes' in a workload",
                      "did you mean 'request_size'?");
  expect_subst_error ("      routes:\n        - {destination: 0.0.0.0/0, target: igw}\n",
                      "      route:\n        - {destination: 0.0.0.0/0, target: igw}\n",
                      "t.yaml:17:7: ", "unknown key 'route' in a route table",
                      "did you mean 'routes'?");
}

static void
test_error_cidrs (void **state)
{
  (void) state;
  expect_subst_error ("  cidr: 10.0.0.0/16\n", "  cidr: 10.0.0.1/16\n", "t.yaml:5:9: ",
                      "cidr: '10.0.0.1/16' has bits set past its /16 prefix",
                      "did you mean 10.0.0.0/16?");
  expect_subst_error ("  cidr: 10.0.0.0/16\n", "  cidr: 10.0/16\n", "t.yaml:5:9: ",
                      "cidr: '10.0/16' is not a CIDR block");
  expect_subst_error ("  cidr: 10.0.0.0/16\n", "  cidr: 10.0.0.0/8\n", "t.yaml:5:9: ",
                      "cidr: a VPC's block must be between /16 and /28 (found /8)");
  expect_subst_error ("  cidr: 10.0.0.0/16\n", "", "t.yaml:5:3: ",
                      "vpc: missing required key 'cidr'");
  expect_subst_error ("{cidr: 10.0.1.0/24, az: us-east-1b", "{cidr: 10.0.1.0/29, az: us-east-1b",
                      "t.yaml:11:22: ", "cidr: a subnet's block must be between /16 and /28",
                      "/29");
  expect_subst_error ("{cidr: 10.0.1.0/24, az: us-east-1b", "{cidr: 10.0.1.0/33, az: us-east-1b",
                      "t.yaml:11:22: ", "is not a CIDR block");
}

static void
test_error_subnet_outside_vpc (void **state)
{
  (void) state;
  expect_subst_error ("{cidr: 10.0.3.0/24, az: us-east-1b", "{cidr: 10.1.3.0/24, az: us-east-1b",
                      "t.yaml:13:23: ", "cidr: 10.1.3.0/24 is outside the VPC's block 10.0.0.0/16");
  expect_subst_error ("{cidr: 10.0.3.0/24, az: us-east-1b", "{cidr: 10.0.0.0/16, az: us-east-1b",
                      "t.yaml:13:23: ", "overlaps subnet public-a");
}

static void
test_error_overlapping_subnets (void **state)
{
  (void) state;
  expect_subst_error ("{cidr: 10.0.3.0/24, az: us-east-1b", "{cidr: 10.0.2.128/25, az: us-east-1b",
                      "t.yaml:13:23: ",
                      "cidr: 10.0.2.128/25 overlaps subnet private-a (10.0.2.0/24)");
  /* A bigger block declared later covers an earlier one. */
  expect_subst_error ("{cidr: 10.0.1.0/24, az: us-east-1b", "{cidr: 10.0.0.0/23, az: us-east-1b",
                      "t.yaml:11:22: ", "cidr: 10.0.0.0/23 overlaps subnet public-a (10.0.0.0/24)");
}

static void
test_error_subnet_references (void **state)
{
  (void) state;
  expect_subst_error ("az: us-east-1b, route_table: public}",
                      "az: us-east-1c, route_table: public}",
                      "t.yaml:11:39: ", "az: 'us-east-1c' is not one of the scenario's azs",
                      "did you mean 'us-east-1");
  expect_subst_error ("az: us-east-1b, route_table: public}",
                      "az: eu-west-1a, route_table: public}", "t.yaml:11:39: ",
                      "is not one of the scenario's azs (us-east-1a, us-east-1b)");
  expect_subst_error ("az: us-east-1b, route_table: public}", "az: us-east-1b, route_table: pubic}",
                      "t.yaml:11:64: ", "route_table: unknown route table 'pubic'",
                      "did you mean 'public'?");
  expect_subst_error ("route_table: private-b, network_acl: web-acl}",
                      "route_table: private-b, network_acl: web-cal}", "t.yaml:13:89: ",
                      "network_acl: unknown network ACL 'web-cal'", "did you mean 'web-acl'?");
  expect_subst_error ("  main_route_table: main\n", "  main_route_table: mian\n", "t.yaml:7:21: ",
                      "main_route_table: unknown route table 'mian'", "did you mean 'main'?");
  expect_subst_error ("map_public_ip_on_launch: true}", "map_public_ip_on_launch: sure}",
                      "t.yaml:10:97: ",
                      "map_public_ip_on_launch: expected true or false, found 'sure'");
}

static void
test_error_routes (void **state)
{
  (void) state;
  expect_subst_error ("{destination: 192.168.0.0/16, target: blackhole}",
                      "{destination: 192.168.0.0/33, target: blackhole}", "t.yaml:25:25: ",
                      "destination: '192.168.0.0/33' is not a CIDR block");
  expect_subst_error ("{destination: 192.168.0.0/16, target: blackhole}",
                      "{destination: 0.0.0.0/0, target: blackhole}", "t.yaml:25:25: ",
                      "destination: route table private-b already has a route for 0.0.0.0/0");
  expect_subst_error ("{destination: 0.0.0.0/0, target: nat-a}",
                      "{destination: 0.0.0.0/0, target: nat-x}", "t.yaml:21:44: ",
                      "target: unknown target 'nat-x'", "did you mean 'nat-a'?");
  expect_subst_error ("{destination: 0.0.0.0/0, target: nat-a}",
                      "{destination: 0.0.0.0/0, target: local}", "t.yaml:21:44: ",
                      "target: 'local' is only for the VPC's own block 10.0.0.0/16");
  expect_subst_error ("{destination: 192.168.0.0/16, target: blackhole}",
                      "{destination: 10.0.3.0/24, target: blackhole}", "t.yaml:25:25: ",
                      "destination: 10.0.3.0/24 lies within the VPC's block 10.0.0.0/16");
  expect_subst_error ("        - {destination: 0.0.0.0/0, target: igw}\n",
                      "        - {destination: 0.0.0.0/0, target: internet}\n", "t.yaml:18:44: ",
                      "target: unknown target 'internet'", "internet gateway igw");
  /* An internet-gateway target needs vpc.internet_gateway to be that name. */
  expect_subst_error ("  internet_gateway: igw\n", "  internet_gateway: gw\n", "t.yaml:18:44: ",
                      "target: unknown target 'igw'", "did you mean 'gw'?");
  expect_subst_error ("  internet_gateway: igw\n", "", "t.yaml:17:44: ",
                      "target: unknown target 'igw'", "the VPC has no internet gateway",
                      "internet_gateway: igw");
  expect_subst_error ("    main: {}\n", "    main: {routes: [{destination: 0.0.0.0/0}]}\n",
                      "t.yaml:15:21: ", "route: missing required key 'target'");
}

static void
test_error_nat_gateways (void **state)
{
  (void) state;
  /* A NAT gateway in a private subnet. */
  expect_subst_error ("    nat-b: {subnet: public-b}\n", "    nat-b: {subnet: private-b}\n",
                      "t.yaml:28:21: ",
                      "nat-b: its subnet private-b does not route 0.0.0.0/0 to an internet "
                      "gateway, so the NAT gateway cannot reach the internet");
  /* A subnet without a route table of its own uses the main one. */
  expect_subst_error ("az: us-east-1b, route_table: public}", "az: us-east-1b}", "t.yaml:28:21: ",
                      "nat-b: its subnet public-b does not route 0.0.0.0/0");
  StratusScenario *s = NULL;
  {
    char *a = subst (base, "az: us-east-1b, route_table: public}", "az: us-east-1b}");
    char *text = subst (a, "  main_route_table: main\n", "  main_route_table: public\n");
    s = load_ok (text);
    assert_null (subnet (s->vpc, 1)->route_table);
    assert_string_equal (s->vpc->main_route_table, "public");
    stratus_scenario_free (s);
    g_free (text);
    g_free (a);
  }
  expect_subst_error ("    nat-b: {subnet: public-b}\n", "    nat-b: {subnet: public-c}\n",
                      "t.yaml:28:21: ", "subnet: unknown subnet 'public-c'",
                      "did you mean 'public-");
  expect_subst_error ("    nat-b: {subnet: public-b}\n", "    nat-b: {elastic_ips: [eip-spare]}\n",
                      "t.yaml:28:12: ", "nat-b: missing required key 'subnet'");
  expect_subst_error ("    nat-b: {subnet: public-b}\n",
                      "    nat-b: {subnet: public-b, elastic_ips: [eip-b]}\n", "t.yaml:28:45: ",
                      "elastic_ips: unknown Elastic IP 'eip-b'", "did you mean 'eip-a'?");
  expect_subst_error ("    nat-b: {subnet: public-b}\n",
                      "    nat-b: {subnet: public-b, elastic_ips: [eip-spare, eip-a]}\n",
                      "t.yaml:28:56: ", "elastic_ips: eip-a is already used by NAT gateway nat-a");
  expect_subst_error ("    nat-b: {subnet: public-b}\n",
                      "    nat-b: {subnet: public-b, elastic_ips: []}\n", "t.yaml:28:44: ",
                      "elastic_ips: a NAT gateway takes 1 to 8 Elastic IPs (found 0)");
  expect_subst_error ("  elastic_ips: [eip-a, eip-spare]\n",
                      "  elastic_ips: [eip-a, eip-spare, eip-a]\n", "t.yaml:8:35: ",
                      "elastic_ips: 'eip-a' is listed twice");
  expect_subst_error ("  elastic_ips: [eip-a, eip-spare]\n",
                      "  elastic_ips: [eip-a, eip-spare, nat-b-eip]\n", "t.yaml:28:5: ",
                      "nat-b: give it elastic_ips", "nat-b-eip");
  expect_subst_error ("    nat-b: {subnet: public-b}\n",
                      "    nat-b: {subnet: public-b}\n    igw: {subnet: public-b}\n",
                      "t.yaml:29:5: ", "igw: the internet gateway has this name already");

  /* 8 Elastic IPs are the most a NAT gateway takes. */
  char *eight = subst (base, "  elastic_ips: [eip-a, eip-spare]\n",
                       "  elastic_ips: [eip-a, eip-spare, e1, e2, e3, e4, e5, e6, e7, e8]\n");
  s = NULL;
  {
    char *text = subst (eight, "    nat-b: {subnet: public-b}\n",
                        "    nat-b: {subnet: public-b,"
                        " elastic_ips: [e1, e2, e3, e4, e5, e6, e7, e8]}\n");
    s = load_ok (text);
    assert_int_equal (nat (s->vpc, 1)->elastic_ips->len, 8);
    assert_int_equal (s->vpc->elastic_ips->len, 10); /* none supplied */
    stratus_scenario_free (s);
    g_free (text);
  }
  expect_text_error (eight, "    nat-b: {subnet: public-b}\n",
                     "    nat-b: {subnet: public-b, elastic_ips: [e1, e2, e3, e4, e5, e6, e7, e8, "
                     "eip-spare]}\n", "t.yaml:28:44: ", "1 to 8 Elastic IPs (found 9)");
  g_free (eight);
}

static void
test_error_security_groups (void **state)
{
  (void) state;
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tcp, ports: 80, source: alb-gs}\n", "t.yaml:35:46: ",
                      "source: unknown security group 'alb-gs'", "did you mean 'alb-sg'?");
  expect_subst_error ("        - {protocol: all, destination: web-sg}\n",
                      "        - {protocol: all, destination: 300.0.0.0/8}\n", "t.yaml:38:40: ",
                      "destination: '300.0.0.0/8' is not a CIDR block");
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tpc, ports: 80, source: alb-sg}\n", "t.yaml:35:22: ",
                      "protocol: unknown value 'tpc'", "did you mean 'tcp'?");
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tcp, source: alb-sg}\n", "t.yaml:35:11: ",
                      "rule: missing required key 'ports'");
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tcp, ports: 80}\n", "t.yaml:35:11: ",
                      "rule: missing required key 'source'");
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tcp, ports: 70000, source: alb-sg}\n", "t.yaml:35:34: ",
                      "ports: expected a port (0 to 65535), a range like 1024-65535, or all, "
                      "found '70000'");
  expect_subst_error ("        - {protocol: tcp, ports: 80, source: alb-sg}\n",
                      "        - {protocol: tcp, ports: 90-80, source: alb-sg}\n", "t.yaml:35:34: ",
                      "ports: the range 90-80 is backwards");
  expect_subst_error ("        - {protocol: all, destination: web-sg}\n",
                      "        - {protocol: icmp, ports: 8, destination: web-sg}\n",
                      "t.yaml:38:35: ", "ports: only tcp and udp rules have ports");
  expect_subst_error ("    security_groups: [web-sg]\n", "    security_groups: [web-gs]\n",
                      "t.yaml:58:23: ", "security_groups: unknown security group 'web-gs'",
                      "did you mean 'web-sg'?");
  expect_subst_error ("    security_groups: [alb-sg]\n", "    security_groups: [alb]\n",
                      "t.yaml:50:23: ", "security_groups: unknown security group 'alb'",
                      "did you mean 'alb-sg'?");

  /* Ranges and "all" load. */
  StratusScenario *s = load_subst_ok ("{protocol: tcp, ports: 80, source: alb-sg}",
                                      "{protocol: udp, ports: all, source: 10.0.0.0/8}");
  const StratusSgRuleConfig *r = sg_rule (group (s->vpc, 1)->inbound, 0);
  assert_int_equal (r->protocol, STRATUS_PROTOCOL_UDP);
  assert_int_equal (r->port_from, 0);
  assert_int_equal (r->port_to, 65535);
  assert_null (r->group);
  assert_cidr (r->cidr, "10.0.0.0/8");
  stratus_scenario_free (s);
  s = load_subst_ok ("{protocol: all, destination: web-sg}",
                     "{protocol: icmp, ports: all, destination: 0.0.0.0/0}");
  r = sg_rule (group (s->vpc, 1)->outbound, 1);
  assert_int_equal (r->protocol, STRATUS_PROTOCOL_ICMP);
  assert_int_equal (r->port_to, 65535);
  stratus_scenario_free (s);
}

static void
test_error_network_acls (void **state)
{
  (void) state;
  expect_subst_error ("{rule: 120, action: deny,", "{rule: 110, action: deny,", "t.yaml:44:18: ",
                      "rule: number 110 is used twice in the inbound rules of network ACL web-acl");
  expect_subst_error ("{rule: 120, action: deny,", "{rule: 32767, action: deny,", "t.yaml:44:18: ",
                      "rule: 32767 is out of range (1 to 32766)");
  expect_subst_error ("{rule: 120, action: deny,", "{rule: 120, action: drop,", "t.yaml:44:31: ",
                      "action: unknown value 'drop'", "allow, deny");
  expect_subst_error ("protocol: all, source: 0.0.0.0/0}", "protocol: all, source: web-sg}",
                      "t.yaml:44:60: ",
                      "source: a network ACL rule takes a CIDR block, not a security group "
                      "('web-sg')");
  expect_subst_error ("{rule: 120, action: deny,", "{action: deny,", "t.yaml:44:11: ",
                      "rule: missing required key 'rule'");
}

static void
test_error_load_balancers (void **state)
{
  (void) state;
  expect_subst_error ("    subnets: [public-a, public-b]\n", "", "t.yaml:49:5: ",
                      "web-alb: missing required key 'subnets'", "two Availability Zones");
  /* Subnets in one AZ. */
  expect_subst_error ("    subnets: [public-a, public-b]\n", "    subnets: [public-a]\n",
                      "t.yaml:49:14: ",
                      "web-alb: an Application Load Balancer needs subnets in at least two "
                      "Availability Zones");
  expect_subst_error ("    subnets: [public-a, public-b]\n",
                      "    subnets: [public-a, private-a]\n", "t.yaml:49:25: ",
                      "subnets: public-a and private-a are both in us-east-1a",
                      "one subnet per Availability Zone");
  expect_subst_error ("    subnets: [public-a, public-b]\n",
                      "    subnets: [public-a, public-a]\n", "t.yaml:49:25: ",
                      "subnets: 'public-a' is listed twice");
  expect_subst_error ("    subnets: [public-a, public-b]\n", "    subnets: [public-a, pubic-b]\n",
                      "t.yaml:49:25: ", "subnets: unknown subnet 'pubic-b'",
                      "did you mean 'public-b'?");
  /* An internet-facing load balancer in private subnets. */
  expect_subst_error ("    subnets: [public-a, public-b]\n",
                      "    subnets: [private-a, private-b]\n", "t.yaml:49:15: ",
                      "web-alb is internet-facing but its subnet private-a does not route "
                      "0.0.0.0/0 to an internet gateway");
  expect_subst_error ("    subnets: [public-a, public-b]\n",
                      "    subnets: [public-a, private-b]\n", "t.yaml:49:25: ",
                      "web-alb is internet-facing but its subnet private-b does not route");
  expect_subst_error ("    subnets: [public-a, public-b]\n",
                      "    subnets: [public-a, public-b]\n    scheme: public\n", "t.yaml:50:13: ",
                      "scheme: unknown value 'public'", "internet-facing, internal");
  expect_subst_error ("    target_group: web\ninstances",
                      "    target_group: web\n    port: 0\ninstances", "t.yaml:52:11: ",
                      "port: 0 is out of range (1 to 65535)");
}

static void
test_error_fleets (void **state)
{
  (void) state;
  expect_subst_error ("    subnets: [private-a, private-b]\n", "", "t.yaml:54:5: ",
                      "web: missing required key 'subnets'");
  expect_subst_error ("    subnets: [private-a, private-b]\n", "    subnets: []\n",
                      "t.yaml:57:14: ",
                      "subnets: needs at least one subnet");
  /* A misspelt subnet. */
  expect_subst_error ("    subnets: [private-a, private-b]\n",
                      "    subnets: [private-a, privat-b]\n", "t.yaml:57:26: ",
                      "subnets: unknown subnet 'privat-b'", "did you mean 'private-b'?");
  expect_subst_error ("    subnets: [private-a, private-b]\n", "    subnets: private-a\n",
                      "t.yaml:57:14: ", "subnets: expected a list");
  expect_subst_error ("    security_groups: [web-sg]\n",
                      "    security_groups: [web-sg]\n    public_ip: maybe\n", "t.yaml:59:16: ",
                      "public_ip: expected true or false, found 'maybe'");
  /* Outbound calls leave the VPC. */
  expect_subst_error ("        destination: 203.0.113.10\n", "        destination: 10.0.9.9\n",
                      "t.yaml:61:22: ",
                      "destination: 10.0.9.9 is inside the VPC's block 10.0.0.0/16");
  expect_subst_error ("        destination: 203.0.113.10\n",
                      "        destination: api.example.com\n",
                      "t.yaml:61:22: ", "destination: 'api.example.com' is not an IPv4 address");
  expect_subst_error ("        port: 443\n", "", "t.yaml:61:9: ",
                      "payments: missing required key 'port'");
  expect_subst_error ("        port: 443\n", "        port: 443\n        protocol: icmp\n",
                      "t.yaml:63:19: ", "protocol: unknown value 'icmp'", "tcp, udp");
  expect_subst_error ("        port: 443\n", "        port: 443\n        per_request: -1\n",
                      "t.yaml:63:22: ", "per_request: must be >= 0");
  expect_subst_error ("        port: 443\n", "        port: 443\n        timeout: 0s\n",
                      "t.yaml:63:18: ", "timeout: must be > 0");
  expect_subst_error ("        port: 443\n", "        port: 443\n        request_size: lots\n",
                      "t.yaml:63:23: ", "request_size: ");
  expect_subst_error ("        service_time: {dist: lognormal, mean: 80ms, cv: 0.5}\n", "",
                      "t.yaml:61:9: ", "payments: missing required key 'service_time'");
}

/* Outbound destinations that no host on the internet can have are refused, naming the key
 * and what the address is; the nearest addresses outside each block are accepted. */
static void
test_error_destinations (void **state)
{
  (void) state;
  static const struct
  {
    const char *address, *needle;
  } refused[] = {
    { "0.0.0.0", "'this network'" },
    { "0.255.1.2", "'this network'" },
    { "127.0.0.1", "loopback" },
    { "127.255.255.254", "loopback" },
    { "169.254.169.254", "link-local" },
    { "224.0.0.1", "multicast" },
    { "239.255.255.255", "multicast" },
    { "240.0.0.1", "reserved" },
    { "255.255.255.255", "limited broadcast" },
    { "198.51.100.7", "the clients' own address" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      char *to = g_strdup_printf ("        destination: %s\n", refused[i].address);
      char *start = g_strdup_printf ("destination: %s is ", refused[i].address);
      expect_subst_error ("        destination: 203.0.113.10\n", to, "t.yaml:61:22: ", start,
                          refused[i].needle);
      g_free (start);
      g_free (to);
    }
  static const char *const accepted[] = { "1.0.0.0", "126.255.255.255", "128.0.0.1",
                                          "169.253.255.255", "169.255.0.1", "223.255.255.255",
                                          "198.51.100.6", "198.51.100.8" };
  for (size_t i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      char *to = g_strdup_printf ("        destination: %s\n", accepted[i]);
      char *text = subst (base, "        destination: 203.0.113.10\n", to);
      StratusScenario *s = load_ok (text);
      uint32_t expected;
      assert_true (stratus_address_parse (accepted[i], &expected, NULL));
      assert_int_equal (outbound (fleet (s, 0), 0)->destination, expected);
      stratus_scenario_free (s);
      g_free (text);
      g_free (to);
    }
}

/* Message sizes: up to 1 TB each (workloads and outbound calls), refused above, naming the
 * key. */
static void
test_error_message_sizes (void **state)
{
  (void) state;
  expect_subst_error ("    rate: 100/s\n", "    rate: 100/s\n    response_size: 1e18B\n",
                      "t.yaml:", "response_size: at most 1TB (10^12 bytes) per message, found "
                      "'1e18B'");
  expect_subst_error ("    rate: 100/s\n", "    rate: 100/s\n    request_size: 1.000001TB\n",
                      "t.yaml:", "request_size: at most 1TB");
  expect_subst_error ("        port: 443\n", "        port: 443\n        response_size: 2TB\n",
                      "t.yaml:63:24: ", "response_size: at most 1TB");
  expect_subst_error ("        port: 443\n", "        port: 443\n        request_size: 1TiB\n",
                      "t.yaml:63:23: ", "request_size: at most 1TB");
  char *a = subst (base, "    rate: 100/s\n", "    rate: 100/s\n    response_size: 1TB\n");
  char *text = subst (a, "        port: 443\n", "        port: 443\n        request_size: 1TB\n");
  StratusScenario *s = load_ok (text);
  assert_int_equal (workload (s, 0)->response_bytes, STRATUS_MESSAGE_BYTES_MAX);
  assert_int_equal (outbound (fleet (s, 0), 0)->request_bytes, STRATUS_MESSAGE_BYTES_MAX);
  stratus_scenario_free (s);
  g_free (text);
  g_free (a);
}

/* ---- outbound calls to resources of the scenario ---------------------------------- */

/* `base`'s vpc section (lines 1-46) with an internal service: web calls the internal load
 * balancer api-alb and the fleet api directly, and a payment API by address. Line numbers
 * matter. */
static const char services[] =
  "load_balancers:\n"                                                                  /* 47 */
  "  web-alb:\n"                                                                       /* 48 */
  "    subnets: [public-a, public-b]\n"                                                /* 49 */
  "    security_groups: [alb-sg]\n"                                                    /* 50 */
  "    target_group: web\n"                                                            /* 51 */
  "  api-alb:\n"                                                                       /* 52 */
  "    scheme: internal\n"                                                             /* 53 */
  "    port: 8080\n"                                                                   /* 54 */
  "    subnets: [private-a, private-b]\n"                                              /* 55 */
  "    target_group: api\n"                                                            /* 56 */
  "instances:\n"                                                                       /* 57 */
  "  web:\n"                                                                           /* 58 */
  "    service_time: 20ms\n"                                                           /* 59 */
  "    target_group: web\n"                                                            /* 60 */
  "    subnets: [private-a, private-b]\n"                                              /* 61 */
  "    outbound:\n"                                                                    /* 62 */
  "      inventory:\n"                                                                 /* 63 */
  "        destination: api-alb\n"                                                     /* 64 */
  "      stock: {destination: api}\n"                                                  /* 65 */
  "      prices: {destination: api, port: 9001, timeout: 1s}\n"                        /* 66 */
  "      payments:\n"                                                                  /* 67 */
  "        destination: 203.0.113.10\n"                                                /* 68 */
  "        port: 443\n"                                                                /* 69 */
  "        service_time: 80ms\n"                                                       /* 70 */
  "  api:\n"                                                                           /* 71 */
  "    service_time: 5ms\n"                                                            /* 72 */
  "    target_group: api\n"                                                            /* 73 */
  "    port: 9000\n"                                                                   /* 74 */
  "    subnets: [private-a, private-b]\n"                                              /* 75 */
  "workload:\n"                                                                        /* 76 */
  "  shoppers:\n"                                                                      /* 77 */
  "    entry: web-alb\n"                                                               /* 78 */
  "    rate: 100/s\n";                                                                 /* 79 */

/* Two services without a vpc, each behind its own load balancer; line numbers matter. */
static const char flat_services[] = "duration: 1h\n"                                 /* 1 */
                                    "azs: [us-east-1a]\n"                            /* 2 */
                                    "load_balancers:\n"                              /* 3 */
                                    "  a-lb: {target_group: a}\n"                    /* 4 */
                                    "  b-lb: {target_group: b, port: 8080}\n"        /* 5 */
                                    "instances:\n"                                   /* 6 */
                                    "  a:\n"                                         /* 7 */
                                    "    service_time: 1ms\n"                        /* 8 */
                                    "    target_group: a\n"                          /* 9 */
                                    "    outbound: {x: {destination: b-lb}}\n"       /* 10 */
                                    "  b:\n"                                         /* 11 */
                                    "    service_time: 1ms\n"                        /* 12 */
                                    "    target_group: b\n"                          /* 13 */
                                    "workload:\n"                                    /* 14 */
                                    "  w: {entry: a-lb, rate: 10/s}\n";              /* 15 */

/* `base`'s vpc section followed by `services`. Caller frees. */
static char *
services_text (void)
{
  const char *end = strstr (base, "load_balancers:\n");
  assert_non_null (end);
  char *vpc = g_strndup (base, (gsize) (end - base));
  char *text = g_strconcat (vpc, services, NULL);
  g_free (vpc);
  return text;
}

#define expect_services_error(from, to, prefix, ...)                                        \
  do                                                                                        \
    {                                                                                       \
      char *services_ = services_text ();                                                   \
      expect_text_error (services_, from, to, prefix, __VA_ARGS__);                         \
      g_free (services_);                                                                   \
    }                                                                                       \
  while (0)

/* A destination that is not an address names a load balancer or a fleet: its kind and
 * name are kept, the port defaults to the listener's or the fleet's, the protocol is tcp
 * and there is no service time of the call's own; an address is as before. */
static void
test_resource_destinations (void **state)
{
  (void) state;
  char *text = services_text ();
  StratusScenario *s = load_ok (text);
  const StratusFleetConfig *f = fleet (s, 0);
  assert_int_equal (f->outbound->len, 4);
  const StratusOutboundCallConfig *o = outbound (f, 0);
  assert_int_equal (o->destination_kind, STRATUS_DESTINATION_LOAD_BALANCER);
  assert_string_equal (o->destination_name, "api-alb");
  assert_int_equal (o->destination, 0);
  assert_int_equal (o->port, 8080);
  assert_int_equal (o->protocol, STRATUS_PROTOCOL_TCP);
  assert_int_equal (o->timeout, 5 * STRATUS_SECOND);
  assert_int_equal (o->service_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (o->service_time.mean, 0, 0);
  o = outbound (f, 1);
  assert_int_equal (o->destination_kind, STRATUS_DESTINATION_FLEET);
  assert_string_equal (o->destination_name, "api");
  assert_int_equal (o->port, 9000);
  o = outbound (f, 2);
  assert_int_equal (o->destination_kind, STRATUS_DESTINATION_FLEET);
  assert_int_equal (o->port, 9001);
  assert_int_equal (o->timeout, STRATUS_SECOND);
  o = outbound (f, 3);
  assert_int_equal (o->destination_kind, STRATUS_DESTINATION_ADDRESS);
  assert_null (o->destination_name);
  uint32_t address;
  assert_true (stratus_address_parse ("203.0.113.10", &address, NULL));
  assert_int_equal (o->destination, address);
  assert_int_equal (o->port, 443);
  assert_float_equal (o->service_time.mean, 80e6, 1e-6);
  stratus_scenario_free (s);
  g_free (text);

  /* Without a vpc, any load balancer may be called, internet-facing ones too. */
  s = load_ok (flat_services);
  o = outbound (fleet (s, 0), 0);
  assert_int_equal (o->destination_kind, STRATUS_DESTINATION_LOAD_BALANCER);
  assert_string_equal (o->destination_name, "b-lb");
  assert_int_equal (o->port, 8080);
  assert_false (load_balancer (s, 1)->internal);
  stratus_scenario_free (s);
}

/* Each rule of resource destinations has its message, at its position. */
static void
test_error_resource_destinations (void **state)
{
  (void) state;
  /* A name of neither kind: a hint over both, or the names known; a value that starts
   * with a digit or cannot be a name keeps the address error. */
  expect_services_error ("        destination: api-alb\n", "        destination: api-ab\n",
                         "t.yaml:64:22: ",
                         "destination: unknown load balancer or fleet 'api-ab'; did you mean "
                         "'api-alb'?");
  expect_services_error ("      stock: {destination: api}\n", "      stock: {destination: apo}\n",
                         "t.yaml:65:28: ", "did you mean 'api'?");
  expect_services_error ("        destination: api-alb\n", "        destination: ledger\n",
                         "t.yaml:64:22: ",
                         "destination: 'ledger' is neither an IPv4 address nor a load balancer "
                         "or fleet of the scenario (known: web-alb, api-alb, web, api)");
  expect_services_error ("        destination: api-alb\n", "        destination: 10\n",
                         "t.yaml:64:22: ", "destination: '10' is not an IPv4 address");
  /* The destination's instances serve the call: no service_time of its own. */
  expect_services_error ("        destination: api-alb\n",
                         "        destination: api-alb\n        service_time: 5ms\n",
                         "t.yaml:65:9: ",
                         "service_time: the destination api-alb serves the call itself",
                         "remove service_time");
  /* Calls to resources are tcp. */
  expect_services_error ("      stock: {destination: api}\n",
                         "      stock: {destination: api, protocol: udp}\n", "t.yaml:65:43: ",
                         "protocol: a call to fleet api must be tcp");
  expect_services_error ("        destination: api-alb\n",
                         "        destination: api-alb\n        protocol: udp\n",
                         "t.yaml:65:19: ", "protocol: a call to load balancer api-alb must be tcp");
  /* With a vpc, an internet-facing load balancer is not called from inside. */
  expect_services_error ("    scheme: internal\n    port: 8080\n    subnets: [private-a, private-b]\n",
                         "    port: 8080\n    subnets: [public-a, public-b]\n", "t.yaml:63:22: ",
                         "destination: load balancer api-alb is internet-facing; calls from "
                         "inside the VPC go to internal load balancers (scheme: internal)");
  /* A fleet does not call itself, directly or through load balancers and other fleets. */
  expect_services_error ("      stock: {destination: api}\n", "      stock: {destination: web}\n",
                         "t.yaml:65:28: ",
                         "destination: fleet web calls itself; a fleet may not call its own "
                         "instances");
  expect_services_error ("    port: 9000\n", "    port: 9000\n    outbound: {back: {destination: web}}\n",
                         "t.yaml:75:36: ",
                         "destination: the outbound calls form a cycle, api -> web -> api-alb -> "
                         "api; a call may not lead back to its own fleet");
  expect_text_error (flat_services, "    target_group: b\n",
                     "    target_group: b\n    outbound: {y: {destination: a-lb}}\n",
                     "t.yaml:14:33: ",
                     "destination: the outbound calls form a cycle, b -> a-lb -> a -> b-lb -> b;");
  expect_text_error (flat_services, "{x: {destination: b-lb}}", "{x: {destination: a-lb}}",
                     "t.yaml:10:33: ", "the outbound calls form a cycle, a -> a-lb -> a;");
  /* A name both kinds have is ambiguous. */
  expect_text_error (flat_services, "  b-lb: {target_group: b, port: 8080}\n",
                     "  b: {target_group: b, port: 8080}\n", "t.yaml:10:33: ",
                     "destination: unknown load balancer or fleet 'b-lb'");
  char *renamed = subst (flat_services, "  b-lb: {target_group: b, port: 8080}\n",
                         "  b: {target_group: b, port: 8080}\n");
  expect_text_error (renamed, "{destination: b-lb}", "{destination: b}", "t.yaml:10:33: ",
                     "destination: 'b' names both a load balancer and a fleet; give one of "
                     "them another name");
  g_free (renamed);
}

int
main (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_classic_layout),
    cmocka_unit_test (test_explicit_values),
    cmocka_unit_test (test_minimal_vpc),
    cmocka_unit_test (test_without_vpc),
    cmocka_unit_test (test_error_subnets_without_vpc),
    cmocka_unit_test (test_error_misspelt_keys),
    cmocka_unit_test (test_error_cidrs),
    cmocka_unit_test (test_error_subnet_outside_vpc),
    cmocka_unit_test (test_error_overlapping_subnets),
    cmocka_unit_test (test_error_subnet_references),
    cmocka_unit_test (test_error_routes),
    cmocka_unit_test (test_error_nat_gateways),
    cmocka_unit_test (test_error_security_groups),
    cmocka_unit_test (test_error_network_acls),
    cmocka_unit_test (test_error_load_balancers),
    cmocka_unit_test (test_error_fleets),
    cmocka_unit_test (test_error_destinations),
    cmocka_unit_test (test_error_message_sizes),
    cmocka_unit_test (test_resource_destinations),
    cmocka_unit_test (test_error_resource_destinations),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
