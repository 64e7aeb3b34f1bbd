/* The network inside runs: the classic layout routes everything; a missing NAT route, a
 * security group that forgets the ALB and an ALB in private subnets are caught by the
 * checks and, when run anyway, fail the way they would in AWS; bytes are counted per
 * path class; NAT gateways run out of ports at 55,000 connections per address. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "stratus/model.h"

static char *
classic_path (void)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  return g_strdup_printf ("%s/scenarios/vpc-public-private.yaml", root ? root : ".");
}

/* The classic scenario with overrides (shortened to 10 minutes unless overridden). */
static StratusScenario *
classic (const char *const *more)
{
  GPtrArray *overrides = g_ptr_array_new ();
  g_ptr_array_add (overrides, (gpointer) "duration=10m");
  g_ptr_array_add (overrides, (gpointer) "warmup=0s");
  for (int i = 0; more != NULL && more[i] != NULL; i++)
    g_ptr_array_add (overrides, (gpointer) more[i]);
  g_ptr_array_add (overrides, NULL);
  char *path = classic_path ();
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, (const char *const *) overrides->pdata, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  g_free (path);
  g_ptr_array_unref (overrides);
  return s;
}

static StratusRunResult *
run (const StratusScenario *s)
{
  StratusRunOptions options = { .seed = s->seed };
  return stratus_model_run (s, &options);
}

static uint64_t
total_bytes (const StratusRunResult *r, StratusByteClass cls)
{
  uint64_t n = 0;
  for (guint i = 0; i < r->network_bytes->len; i++)
    n += g_array_index (r->network_bytes, StratusResourceBytes, i).bytes[cls];
  return n;
}

static uint64_t
all_drops (const StratusRunResult *r)
{
  uint64_t n = 0;
  for (int d = 0; d < STRATUS_N_DROP_REASONS; d++)
    n += r->drops[d];
  return n;
}

/* stratus_model_check fails with a message holding every needle. */
static void
expect_blocked (const StratusScenario *s, const char *const *needles)
{
  GError *error = NULL;
  assert_false (stratus_model_check (s, NULL, &error));
  assert_non_null (error);
  for (int i = 0; needles[i] != NULL; i++)
    if (strstr (error->message, needles[i]) == NULL)
      fail_msg ("'%s' lacks '%s'", error->message, needles[i]);
  assert_null (strchr (error->message, '\n'));
  g_error_free (error);
}

static void
classic_layout_routes_everything (void **state)
{
  (void) state;
  StratusScenario *s = classic (NULL);
  GString *explain = g_string_new (NULL);
  GError *error = NULL;
  assert_true (stratus_model_check (s, explain, &error));
  /* 2 ingress paths, 2 nodes x 4 targets, 4 instances x 1 outbound call: 14 paths. */
  int paths = 0;
  for (const char *p = explain->str; (p = strstr (p, "): open\n")) != NULL; p++)
    paths++;
  assert_int_equal (paths, 14);
  assert_non_null (strstr (explain->str, "NAT gateway nat-a"));
  g_string_free (explain, TRUE);

  StratusRunResult *r = run (s);
  assert_true (r->total > 60000);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], r->total);
  assert_int_equal (all_drops (r), 0);
  /* Every class of path carried bytes: ALB <-> instances in and across AZs, the calls
   * through the NAT gateways, the internet both ways. */
  for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
    assert_true (total_bytes (r, (StratusByteClass) c) > 0);
  /* One NAT gateway per AZ: private-a's instances use nat-a, in their own AZ, so the
   * calls add no cross-AZ bytes beyond the ALB's. */
  bool saw_nat_a = false;
  for (guint i = 0; i < r->network_bytes->len; i++)
    {
      const StratusResourceBytes *row = &g_array_index (r->network_bytes, StratusResourceBytes, i);
      if (strcmp (row->name, "nat-a") == 0)
        {
          saw_nat_a = true;
          assert_true (row->bytes[STRATUS_BYTES_NAT] > 0);
          assert_int_equal (row->bytes[STRATUS_BYTES_CROSS_AZ], 0);
        }
      if (strcmp (row->name, "web-1") == 0)
        assert_int_equal (row->bytes[STRATUS_BYTES_CROSS_AZ], 0);
    }
  assert_true (saw_nat_a);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
removing_the_nat_route_fails_outbound_calls (void **state)
{
  (void) state;
  /* A short call timeout and a light load, so that the failing instances keep up. */
  const char *const more[] = { "vpc.route_tables.private-a.routes=[]",
                               "instances.web.outbound.payments.timeout=100ms",
                               "instances.web.outbound.payments.service_time=10ms",
                               "workload.shoppers.rate=100/s", NULL };
  StratusScenario *s = classic (more);
  /* validate says why, at the outbound call's line (72) */
  expect_blocked (s, (const char *const[]){ "vpc-public-private.yaml:72:7: ", "web-1 -> payments",
                                            "no route in table private-a for 203.0.113.10",
                                            NULL });
  /* Run anyway: calls from private-a (web-1, web-3) fail after their timeout: 502s. */
  StratusRunResult *r = run (s);
  assert_true (r->drops[STRATUS_DROP_NO_ROUTE] > 1000);
  assert_true (r->outcomes[STRATUS_OUTCOME_OK] > stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_502)); /* private-b still works */
  /* The calls take 10 ms + 2 x 15.1 ms, well inside the 100 ms timeout: with the route in
   * place none fails; without it every dropped call is one 502 (those dropped in the
   * last 100 ms are still in flight at the end). */
  const char *const intact[] = { "instances.web.outbound.payments.timeout=100ms",
                                 "instances.web.outbound.payments.service_time=10ms",
                                 "workload.shoppers.rate=100/s", NULL };
  StratusScenario *t = classic (intact);
  StratusRunResult *baseline = run (t);
  assert_int_equal (baseline->drops[STRATUS_DROP_NO_ROUTE], 0);
  assert_int_equal (stratus_outcome_kind_total (baseline->outcomes, STRATUS_KIND_502), 0);
  assert_int_equal (baseline->outcomes[STRATUS_OUTCOME_OK], baseline->total);
  assert_true (r->drops[STRATUS_DROP_NO_ROUTE] >= stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_502));
  assert_true (r->drops[STRATUS_DROP_NO_ROUTE] - stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_502) <= r->in_flight_at_end);
  stratus_run_result_free (baseline);
  stratus_scenario_free (t);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
security_group_that_forgets_the_alb_blocks_all_traffic (void **state)
{
  (void) state;
  const char *const more[]
    = { "vpc.security_groups.web-sg.inbound=[{protocol: tcp, ports: 80, source: 10.9.0.0/16}]",
        NULL };
  StratusScenario *s = classic (more);
  expect_blocked (s, (const char *const[]){
                       "vpc-public-private.yaml:54:3: ", "web-alb@us-east-1a -> web-1",
                       "blocked by security group web-sg (no inbound rule for tcp/80 from alb-sg)",
                       NULL });
  StratusRunResult *r = run (s);
  /* The ALB cannot connect to any target: nothing succeeds, every answer is a 504. */
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], 0);
  assert_true (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504) > 60000);
  assert_int_equal (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504), r->total);
  assert_true (r->drops[STRATUS_DROP_SECURITY_GROUP] > 60000);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
alb_in_private_subnets_is_not_internet_facing (void **state)
{
  (void) state;
  char *path = classic_path ();
  const char *const overrides[] = { "load_balancers.web-alb.subnets=[private-a, private-b]", NULL };
  GError *error = NULL;
  assert_null (stratus_scenario_load (path, overrides, &error));
  assert_non_null (strstr (error->message, "web-alb is internet-facing but its subnet private-a "
                                           "does not route 0.0.0.0/0 to an internet gateway"));
  g_error_free (error);
  /* As an internal load balancer it loads, but the internet cannot reach it. */
  const char *const internal[] = { "load_balancers.web-alb.subnets=[private-a, private-b]",
                                   "load_balancers.web-alb.scheme=internal", NULL };
  StratusScenario *s = stratus_scenario_load (path, internal, &error);
  assert_non_null (s);
  expect_blocked (s, (const char *const[]){ "internet -> web-alb@us-east-1a",
                                            "has no public IPv4 address", NULL });
  stratus_scenario_free (s);
  g_free (path);
}

static void
public_instance_without_public_ip_cannot_reach_the_internet (void **state)
{
  (void) state;
  /* Move the fleet into the public subnets (routed to the internet gateway) without
   * public addresses: its calls cannot leave. */
  const char *const more[] = { "instances.web.subnets=[public-a, public-b]",
                               "instances.web.public_ip=false",
                               "vpc.security_groups.web-sg.inbound=[{protocol: tcp, ports: 80, source: alb-sg}]",
                               NULL };
  StratusScenario *s = classic (more);
  expect_blocked (s, (const char *const[]){ "web-1 -> payments",
                                            "web-1 has no public IPv4 address", NULL });
  stratus_scenario_free (s);
  const char *const with_ip[] = { "instances.web.subnets=[public-a, public-b]",
                                  "instances.web.public_ip=true", NULL };
  s = classic (with_ip);
  GError *error = NULL;
  assert_true (stratus_model_check (s, NULL, &error));
  StratusRunResult *r = run (s);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], r->total);
  assert_int_equal (total_bytes (r, STRATUS_BYTES_NAT), 0); /* straight out, no NAT */
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
bytes_are_counted_per_path_class_exactly (void **state)
{
  (void) state;
  /* No outbound calls, a client timeout nobody reaches: every request's bytes are
   * known. The clients alternate between the two ALB nodes, each of which rotates over
   * four targets, two per AZ: half the ALB -> target traffic crosses AZs. */
  const char *const more[] = { "instances.web.outbound={}", "workload.shoppers.rate=100/s",
                               "duration=2m", NULL };
  StratusScenario *s = classic (more);
  StratusRunResult *r = run (s);
  uint64_t sent = r->total + r->in_flight_at_end;
  uint64_t answered = r->outcomes[STRATUS_OUTCOME_OK];
  assert_int_equal (total_bytes (r, STRATUS_BYTES_INTERNET_IN), sent * 1024);
  /* Responses still crossing the internet at the end were counted when sent. */
  uint64_t out = total_bytes (r, STRATUS_BYTES_INTERNET_OUT);
  assert_int_equal (out % 16384, 0);
  assert_true (out >= answered * 16384 && out <= sent * 16384);
  uint64_t inside = total_bytes (r, STRATUS_BYTES_SAME_AZ) + total_bytes (r, STRATUS_BYTES_CROSS_AZ);
  assert_true (inside >= answered * (1024 + 16384));
  assert_true (inside <= sent * (1024 + 16384));
  double cross = (double) total_bytes (r, STRATUS_BYTES_CROSS_AZ) / (double) inside;
  assert_true (cross > 0.45 && cross < 0.55);
  assert_int_equal (total_bytes (r, STRATUS_BYTES_NAT), 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
nat_gateway_runs_out_of_ports_at_55000_per_address (void **state)
{
  (void) state;
  /* 1000 calls/s that take 100 s each: about 100,000 open connections to one destination
   * through nat-a alone (one fleet of one instance in private-a), beyond 55,000. */
  const char *const more[] = {
    "duration=3m", "workload.shoppers.rate=1000/s", "workload.shoppers.timeout=unlimited",
    "instances.web.count=1", "instances.web.workers=1000000", "instances.web.queue_limit=unlimited",
    "instances.web.service_time=1ms",
    "instances.web.outbound.payments={destination: 203.0.113.10, port: 443, per_request: 1, "
    "service_time: 100s, timeout: 200s}",
    NULL
  };
  StratusScenario *s = classic (more);
  StratusRunResult *r = run (s);
  assert_true (r->drops[STRATUS_DROP_NAT_PORT_EXHAUSTION] > 10000);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  /* Two Elastic IPs double the limit to 110,000: nothing is refused. */
  const char *const two[] = {
    "duration=3m", "workload.shoppers.rate=1000/s", "workload.shoppers.timeout=unlimited",
    "instances.web.count=1", "instances.web.workers=1000000", "instances.web.queue_limit=unlimited",
    "instances.web.service_time=1ms",
    "instances.web.outbound.payments={destination: 203.0.113.10, port: 443, per_request: 1, "
    "service_time: 100s, timeout: 200s}",
    "vpc.elastic_ips=[eip-1, eip-2]", "vpc.nat_gateways.nat-a.elastic_ips=[eip-1, eip-2]", NULL
  };
  s = classic (two);
  r = run (s);
  assert_int_equal (r->drops[STRATUS_DROP_NAT_PORT_EXHAUSTION], 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
blocked_reply_never_opens_the_connection (void **state)
{
  (void) state;
  /* The private subnets' ACL forgets the ephemeral ports back to the ALB: the SYN-ACK is
   * lost, so the ALB never connects (504 after its 10 s connect timeout) and the
   * instances never see a request. */
  const char *const more[] = {
    "vpc.network_acls.private.outbound=[{rule: 100, action: allow, protocol: tcp, ports: 443, "
    "destination: 0.0.0.0/0}]",
    "workload.shoppers.timeout=30s", NULL
  };
  StratusScenario *s = classic (more);
  expect_blocked (s, (const char *const[]){ "web-alb@us-east-1a -> web-1",
                                            "network ACL private (private-a) outbound",
                                            "(on the reply)", NULL });
  StratusRunResult *r = run (s);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], 0);
  assert_true (stratus_outcome_kind_total (r->outcomes, STRATUS_KIND_504) > 60000);
  assert_true (r->drops[STRATUS_DROP_NETWORK_ACL] > 60000);
  for (guint i = 0; i < r->instances->len; i++)
    assert_int_equal (g_array_index (r->instances, StratusInstanceResult, i).served, 0);
  /* Each 504 came from the ALB after 10 s, before the client's 30 s timeout. */
  assert_true (r->in_flight_at_end > 0);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
overfull_subnet_is_refused (void **state)
{
  (void) state;
  /* A /28 has 16 addresses, 5 of them reserved by AWS: 11 for 14 instances and a node. */
  const char *const more[] = { "vpc.subnets.private-a.cidr=10.0.2.0/28", "instances.web.count=28",
                               NULL };
  StratusScenario *s = classic (more);
  expect_blocked (s, (const char *const[]){ "vpc-public-private.yaml:22:5: ",
                                            "subnet private-a (10.0.2.0/28) has 11 usable "
                                            "addresses but 14 network interfaces",
                                            NULL });
  stratus_scenario_free (s);
}

/* 100,000 instances in two /24s: refused from the configuration at once (placing them and
 * walking their paths first took minutes), with the same message. */
static void
overfull_subnet_is_refused_before_anything_is_placed (void **state)
{
  (void) state;
  const char *const more[] = { "instances.web.count=100000", NULL };
  StratusScenario *s = classic (more);
  gint64 start = g_get_monotonic_time ();
  expect_blocked (s, (const char *const[]){ "vpc-public-private.yaml:22:5: ",
                                            "subnet private-a (10.0.2.0/24) has 251 usable "
                                            "addresses but 50000 network interfaces are placed "
                                            "in it (instances, load-balancer nodes, NAT gateways)",
                                            NULL });
  assert_true (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC);
  stratus_scenario_free (s);
}

/* 30,000 instances in two /18s: checked in well under the test's timeout (the checks were
 * quadratic), and the first blocked path among them is the one reported. */
static void
large_fleet_is_checked_in_linear_time (void **state)
{
  (void) state;
  const char *const more[] = { "vpc.subnets.private-a.cidr=10.0.128.0/18",
                               "vpc.subnets.private-b.cidr=10.0.192.0/18",
                               "instances.web.count=30000", NULL };
  StratusScenario *s = classic (more);
  gint64 start = g_get_monotonic_time ();
  GError *error = NULL;
  if (!stratus_model_check (s, NULL, &error))
    fail_msg ("%s", error->message);
  /* Under the sanitizers too; the quadratic check took over a minute here. */
  assert_true (g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC);
  stratus_scenario_free (s);

  /* Only the node in public-a (10.0.0.5) may reach the fleet. */
  const char *const blocked[] = {
    "vpc.subnets.private-a.cidr=10.0.128.0/18", "vpc.subnets.private-b.cidr=10.0.192.0/18",
    "instances.web.count=30000",
    "vpc.security_groups.web-sg.inbound=[{protocol: tcp, ports: 80, source: 10.0.0.5/32}]", NULL
  };
  s = classic (blocked);
  expect_blocked (s, (const char *const[]){ "vpc-public-private.yaml:",
                                            ": web-alb@us-east-1b -> web-1: blocked by security "
                                            "group web-sg (no inbound rule for tcp/80 from "
                                            "alb-sg) (stratus validate --explain shows every hop)",
                                            NULL });
  stratus_scenario_free (s);
}

static void
every_resource_is_reported_in_every_replication (void **state)
{
  (void) state;
  /* Without outbound calls the NAT gateways carry nothing, yet they are listed (with
   * zeros) so that replications report the same figures. */
  const char *const more[] = { "instances.web.outbound={}", "duration=1m", NULL };
  StratusScenario *s = classic (more);
  StratusRunResult *r = run (s);
  /* 4 instances, 2 ALB nodes, 2 NAT gateways; the internet is not a resource. */
  assert_int_equal (r->network_bytes->len, 8);
  bool nat_listed = false;
  for (guint i = 0; i < r->network_bytes->len; i++)
    {
      const StratusResourceBytes *row = &g_array_index (r->network_bytes, StratusResourceBytes, i);
      assert_string_not_equal (row->name, "internet");
      if (strcmp (row->name, "nat-b") == 0)
        {
          nat_listed = true;
          for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
            assert_int_equal (row->bytes[c], 0);
        }
    }
  assert_true (nat_listed);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (classic_layout_routes_everything),
    cmocka_unit_test (removing_the_nat_route_fails_outbound_calls),
    cmocka_unit_test (security_group_that_forgets_the_alb_blocks_all_traffic),
    cmocka_unit_test (alb_in_private_subnets_is_not_internet_facing),
    cmocka_unit_test (public_instance_without_public_ip_cannot_reach_the_internet),
    cmocka_unit_test (bytes_are_counted_per_path_class_exactly),
    cmocka_unit_test (nat_gateway_runs_out_of_ports_at_55000_per_address),
    cmocka_unit_test (blocked_reply_never_opens_the_connection),
    cmocka_unit_test (overfull_subnet_is_refused),
    cmocka_unit_test (overfull_subnet_is_refused_before_anything_is_placed),
    cmocka_unit_test (large_fleet_is_checked_in_linear_time),
    cmocka_unit_test (every_resource_is_reported_in_every_replication),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
