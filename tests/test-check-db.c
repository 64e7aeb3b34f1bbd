/* `stratus validate` on the query paths: from every place a fleet's instances stand to every
 * member of its database (writer, standbys, readers), tcp on the database's port, both
 * ways. A database security group that admits the web tier passes; one that admits another
 * group, a network ACL that forgets the port, or an Auto Scaling group that may launch
 * into a subnet without a way in fails at the fleet's `database` key, naming the blocker;
 * --explain lists the hops. Through the library and through the binary (exit status 2). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli_support.h"
#include "stratus/model.h"
#include "tmpdir.h"

/* The classic layout with two DB subnets and an Aurora cluster (a writer and one reader)
 * queried by the web fleet. printf arguments: the source of db-sg's rule; the ports of the
 * private subnets' outbound network ACL rule meant for the database (their ephemeral ports
 * go out to the public subnets only, so that this rule is what lets the queries out); the
 * web tier's block (`instances:` or an Auto Scaling group). The `database` key stands at
 * line 58, column 5 with the `instances` block. */
static const char *const DB_YAML =
  "name: db\n"
  "duration: 1m\n"
  "warmup: 0s\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  internet_gateway: igw\n"
  "  subnets:\n"
  "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
  "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
  "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, network_acl: private}\n"
  "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, network_acl: private}\n"
  "    db-a: {cidr: 10.0.4.0/24, az: us-east-1a}\n"
  "    db-b: {cidr: 10.0.5.0/24, az: us-east-1b}\n"
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
  "    db-sg:\n"
  "      inbound:\n"
  "        - {protocol: tcp, ports: 3306, source: %s}\n"
  "  network_acls:\n"
  "    private:\n"
  "      inbound:\n"
  "        - {rule: 100, action: allow, protocol: tcp, ports: 80, source: 10.0.0.0/16}\n"
  "        - {rule: 110, action: allow, protocol: tcp, ports: 1024-65535, source: 10.0.0.0/16}\n"
  "      outbound:\n"
  "        - {rule: 100, action: allow, protocol: tcp, ports: %s, destination: 10.0.0.0/16}\n"
  "        - {rule: 110, action: allow, protocol: tcp, ports: 1024-65535,"
  " destination: 10.0.0.0/23}\n"
  "load_balancers:\n"
  "  alb:\n"
  "    subnets: [public-a, public-b]\n"
  "    security_groups: [alb-sg]\n"
  "    target_group: web\n"
  "databases:\n"
  "  app-db:\n"
  "    engine: aurora-mysql\n"
  "    instance_class: db.r6g.large\n"
  "    subnets: [db-a, db-b]\n"
  "    security_groups: [db-sg]\n"
  "    deployment: aurora\n"
  "    readers: 1\n"
  "%s"
  "workload:\n"
  "  w: {entry: alb, rate: 10/s}\n";

/* The fixed fleet: two instances, one per private subnet. */
static const char *const FIXED_FLEET =
  "instances:\n"
  "  web:\n"
  "    count: 2\n"
  "    type: c5.large\n"
  "    subnets: [private-a, private-b]\n"
  "    security_groups: [web-sg]\n"
  "    service_time: 10ms\n"
  "    target_group: web\n"
  "    database: {name: app-db, queries: 2, write_fraction: 0.2, reads_from: reader}\n";

/* An Auto Scaling group of one instance (in private-a) that may launch into private-b and
 * a public subnet, public-a. */
static const char *const GROUP_FLEET =
  "amis:\n"
  "  base: {}\n"
  "launch_templates:\n"
  "  web-lt:\n"
  "    ami: base\n"
  "    instance_type: c5.large\n"
  "    security_groups: [web-sg]\n"
  "    service_time: 10ms\n"
  "    database: {name: app-db, queries: 1}\n"
  "auto_scaling_groups:\n"
  "  web-asg:\n"
  "    launch_template: web-lt\n"
  "    subnets: [private-a, private-b, public-b]\n"
  "    min_size: 1\n"
  "    max_size: 4\n"
  "    target_groups: [web]\n";

/* The scenario with db-sg admitting `source`, the private ACL letting `ports` out and the
 * web tier `fleet`; fails the test if it does not load. Caller frees. */
static StratusScenario *
db_scenario (const char *source, const char *ports, const char *fleet)
{
  char *text = g_strdup_printf (DB_YAML, source, ports, fleet);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "db.yaml", NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  g_free (text);
  return s;
}

/* The number of times `needle` occurs in `text`. */
static int
occurrences (const char *text, const char *needle)
{
  int n = 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

/* stratus_model_check fails with exactly `want`. */
static void
expect_error (const StratusScenario *s, const char *want)
{
  GError *error = NULL;
  assert_false (stratus_model_check (s, NULL, &error));
  assert_non_null (error);
  assert_string_equal (error->message, want);
  g_error_free (error);
}

/* db-sg admits web-sg: every query path is open; with --explain, each instance -> each
 * member (2 x 2) is listed with its hops, the way in through db-sg among them. */
static void
db_sg_admits_web_tier (void **state)
{
  (void) state;
  StratusScenario *s = db_scenario ("web-sg", "3306", FIXED_FLEET);
  GError *error = NULL;
  assert_true (stratus_model_check (s, NULL, &error));
  assert_null (error);
  GString *explain = g_string_new (NULL);
  assert_true (stratus_model_check (s, explain, &error));
  const char *text = explain->str;
  assert_non_null (strstr (text, "web-1 -> app-db-1 (writer) (tcp/3306): open\n"));
  assert_non_null (strstr (text, "web-1 -> app-db-2 (reader) (tcp/3306): open\n"));
  assert_non_null (strstr (text, "web-2 -> app-db-1 (writer) (tcp/3306): open\n"));
  assert_non_null (strstr (text, "web-2 -> app-db-2 (reader) (tcp/3306): open\n"));
  assert_int_equal (occurrences (text, "(tcp/3306): open\n"), 4);
  /* the hops of one: numbered, through db-sg's rule, the reply, the latency */
  const char *path = strstr (text, "web-1 -> app-db-1 (writer) (tcp/3306): open\n");
  const char *end = strstr (path, "\nweb-");
  char *block = g_strndup (path, end != NULL ? (gsize) (end - path) : strlen (path));
  assert_non_null (strstr (block, "\n  1. "));
  assert_non_null (strstr (block, "\n  2. "));
  assert_non_null (strstr (block, "security group db-sg"));
  assert_non_null (strstr (block, "tcp/3306"));
  assert_non_null (strstr (block, "one-way latency"));
  g_free (block);
  g_string_free (explain, TRUE);
  stratus_scenario_free (s);
}

/* db-sg admits alb-sg instead: the first query path is blocked; the error stands at the
 * fleet's `database` key and names db-sg, the port and the group it lacks. --explain goes
 * on and lists all four paths, blocked. */
static void
db_sg_admits_the_wrong_group (void **state)
{
  (void) state;
  StratusScenario *s = db_scenario ("alb-sg", "3306", FIXED_FLEET);
  expect_error (s, "db.yaml:58:5: web-1 -> app-db-1 (writer): blocked by security group db-sg "
                   "(no inbound rule for tcp/3306 from web-sg) (stratus validate --explain "
                   "shows every hop)");
  GString *explain = g_string_new (NULL);
  GError *error = NULL;
  assert_false (stratus_model_check (s, explain, &error));
  g_clear_error (&error);
  assert_int_equal (occurrences (explain->str, "(tcp/3306): blocked by security group db-sg"), 4);
  assert_non_null (strstr (explain->str, "web-2 -> app-db-2 (reader) (tcp/3306): blocked"));
  g_string_free (explain, TRUE);
  stratus_scenario_free (s);
}

/* The private subnets' network ACL lets 5432 out but not 3306: blocked by the ACL. */
static void
network_acl_without_the_port (void **state)
{
  (void) state;
  StratusScenario *s = db_scenario ("web-sg", "5432", FIXED_FLEET);
  GError *error = NULL;
  assert_false (stratus_model_check (s, NULL, &error));
  assert_non_null (strstr (error->message, "db.yaml:58:5: web-1 -> app-db-1 (writer): "));
  assert_non_null (strstr (error->message, "network ACL private"));
  assert_null (strchr (error->message, '\n'));
  g_error_free (error);
  stratus_scenario_free (s);
}

/* An Auto Scaling group's paths are checked from every subnet it may launch into, not only
 * where its first instance stands: public-b has the default ACL but its instances would
 * carry web-sg as well, so with db-sg admitting web-sg all pass; admitting only the
 * private subnets' blocks, the path from public-b is the one blocked. */
static void
group_checked_from_every_subnet (void **state)
{
  (void) state;
  StratusScenario *s = db_scenario ("web-sg", "3306", GROUP_FLEET);
  GString *explain = g_string_new (NULL);
  GError *error = NULL;
  assert_true (stratus_model_check (s, explain, &error));
  /* web-asg's fleet: web-asg-1 (private-a), then web-asg-2 (private-b), web-asg-3 (public-b) */
  assert_non_null (strstr (explain->str, "web-asg-1 -> app-db-1 (writer) (tcp/3306): open"));
  assert_non_null (strstr (explain->str, "web-asg-2 -> app-db-1 (writer) (tcp/3306): open"));
  assert_non_null (strstr (explain->str, "web-asg-3 -> app-db-2 (reader) (tcp/3306): open"));
  g_string_free (explain, TRUE);
  stratus_scenario_free (s);

  s = db_scenario ("10.0.2.0/23", "3306", GROUP_FLEET);
  assert_false (stratus_model_check (s, NULL, &error));
  assert_non_null (strstr (error->message, "web-asg-3 -> app-db-1 (writer): blocked by "
                                           "security group db-sg"));
  g_error_free (error);
  stratus_scenario_free (s);
}

/* Without a database key, nothing more is checked: the explanation of the classic layout
 * is the one it was (14 paths). */
static void
no_database_no_query_paths (void **state)
{
  (void) state;
  char *path = g_strdup_printf ("%s/scenarios/vpc-public-private.yaml",
                                g_getenv ("STRATUS_SOURCE_ROOT"));
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, NULL, &error);
  assert_non_null (s);
  GString *explain = g_string_new (NULL);
  assert_true (stratus_model_check (s, explain, &error));
  assert_int_equal (occurrences (explain->str, "): open\n"), 14);
  assert_null (strstr (explain->str, "app-db"));
  g_string_free (explain, TRUE);
  stratus_scenario_free (s);
  g_free (path);
}

/* Through the binary: the wrong group is exit status 2 with the one line on stderr and
 * nothing on stdout; the right one is 0, and --explain prints the query paths' hops. */
static void
validate_command (void **state)
{
  const char *dir = *state;
  char *bad_text = g_strdup_printf (DB_YAML, "alb-sg", "3306", FIXED_FLEET);
  char *good_text = g_strdup_printf (DB_YAML, "web-sg", "3306", FIXED_FLEET);
  char *bad = write_in (dir, "bad.yaml", bad_text);
  char *good = write_in (dir, "good.yaml", good_text);

  Result r = run_in (NULL, "validate", bad, NULL);
  assert_int_equal (r.status, 2);
  assert_string_equal (r.out, "");
  char *want = g_strdup_printf ("%s:58:5: web-1 -> app-db-1 (writer): blocked by security "
                                "group db-sg (no inbound rule for tcp/3306 from web-sg) "
                                "(stratus validate --explain shows every hop)\n", bad);
  assert_string_equal (r.err, want);
  g_free (want);
  result_clear (&r);

  r = run_in (NULL, "validate", "--explain", good, NULL);
  assert_int_equal (r.status, 0);
  assert_non_null (strstr (r.out, "web-2 -> app-db-2 (reader) (tcp/3306): open\n  1. "));
  assert_non_null (strstr (r.out, "security group db-sg"));
  assert_non_null (strstr (r.out, ": ok: 2 AZs"));
  result_clear (&r);

  g_free (bad_text);
  g_free (good_text);
  g_free (bad);
  g_free (good);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (db_sg_admits_web_tier),
    cmocka_unit_test (db_sg_admits_the_wrong_group),
    cmocka_unit_test (network_acl_without_the_port),
    cmocka_unit_test (group_checked_from_every_subnet),
    cmocka_unit_test (no_database_no_query_paths),
    cmocka_unit_test_setup_teardown (validate_command, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
