/* Cost: the shipped catalogs load and price every instance type and DB class of stratus's
 * catalogs; prices parse and money formats exactly; a scenario's `pricing` section
 * overrides prices or refuses unknown keys with one line; bills of hand-made usage match
 * hand-computed amounts to the micro-dollar (the examples of docs/cost.md); the capacity
 * units of an ALB hour follow its highest dimension; a run's report has its bill. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include <glib/gstdio.h>
#include <string.h>

#include "model/alb.h"
#include "stratus/cost.h"
#include "stratus/db_instance_classes.h"
#include "stratus/instance_types.h"
#include "stratus/model.h"
#include "stratus/report.h"

#define GIB ((uint64_t) 1 << 30)
#define HOUR ((StratusTime) 3600 * STRATUS_SECOND)

/* ---- catalogs ------------------------------------------------------------------------ */

/* Both shipped catalogs load, and price every instance type, every DB class for every
 * engine and deployment stratus accepts, and every other key the bill uses. */
static void
test_catalogs_complete (void **state)
{
  static const char *const regions[] = { "us-east-1", "ap-northeast-2" };
  static const char *const engines[] = { "mysql", "postgres" };
  static const char *const others[] = { "public_ipv4", "nat_gateway", "nat_gateway.data",
                                        "alb", "alb.lcu", "transfer.cross_az",
                                        "transfer.internet_out", "rds.storage",
                                        "rds.aurora_storage", "rds.backup" };
  for (size_t r = 0; r < G_N_ELEMENTS (regions); r++)
    {
      GError *error = NULL;
      StratusPricing *p = stratus_pricing_load_region (regions[r], &error);
      if (p == NULL)
        fail_msg ("%s: %s", regions[r], error->message);
      assert_string_equal (stratus_pricing_region (p), regions[r]);
      for (const char *const *t = stratus_instance_type_names (); *t != NULL; t++)
        {
          char *key = g_strdup_printf ("ec2.%s", *t);
          if (!stratus_pricing_has (p, key))
            fail_msg ("%s lacks %s", regions[r], key);
          g_free (key);
        }
      for (const char *const *c = stratus_db_instance_class_names (); *c != NULL; c++)
        {
          for (size_t e = 0; e < G_N_ELEMENTS (engines); e++)
            for (int d = 0; d < 3; d++)
              {
                char *key = g_strdup_printf ("rds.%s.%s%s", engines[e], *c,
                                             d == 0 ? "" : d == 1 ? ".multi_az" : ".multi_az_cluster");
                if (!stratus_pricing_has (p, key))
                  fail_msg ("%s lacks %s", regions[r], key);
                g_free (key);
              }
          if (stratus_db_instance_class_find (*c)->aurora)
            for (int a = 0; a < 2; a++)
              {
                char *key = g_strdup_printf ("rds.%s.%s", a ? "aurora-postgresql" : "aurora-mysql", *c);
                if (!stratus_pricing_has (p, key))
                  fail_msg ("%s lacks %s", regions[r], key);
                g_free (key);
              }
        }
      for (size_t k = 0; k < G_N_ELEMENTS (others); k++)
        assert_true (stratus_pricing_has (p, others[k]));
      char *text = stratus_pricing_text (p);
      assert_non_null (strstr (text, "ec2.c5.large"));
      g_free (text);
      stratus_pricing_free (p);
    }
  GError *error = NULL;
  assert_null (stratus_pricing_load_region ("eu-west-1", &error));
  assert_non_null (strstr (error->message, "no pricing catalog for region eu-west-1"));
  g_error_free (error);
}

/* Prices are exact decimals; money prints to the cent, rounded half up. */
static void
test_price_parse_and_format (void **state)
{
  StratusNanos p = 0;
  assert_true (stratus_price_parse ("0.0225", &p));
  assert_int_equal (p, 22500000);
  assert_true (stratus_price_parse ("12", &p));
  assert_int_equal (p, 12000000000);
  assert_true (stratus_price_parse ("0.000000001", &p));
  assert_int_equal (p, 1);
  assert_false (stratus_price_parse ("0.0000000001", &p));
  assert_false (stratus_price_parse ("-1", &p));
  assert_false (stratus_price_parse ("1e3", &p));
  assert_false (stratus_price_parse ("", &p));
  assert_false (stratus_price_parse ("2000000", &p));
  static const struct
  {
    StratusMicros m;
    const char *text;
  } cases[] = { { 37350000, "37.35" }, { 4999, "0.00" }, { 5000, "0.01" }, { 0, "0.00" },
                { -1250000, "-1.25" }, { 1417, "0.00" } };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *t = stratus_micros_format (cases[i].m);
      assert_string_equal (t, cases[i].text);
      g_free (t);
    }
  assert_int_equal (stratus_micros_monthly (1000000, HOUR), 730000000);
}

/* ---- the pricing section --------------------------------------------------------------- */

static const char vpc_yaml[]
  = "duration: 730h\n"                                                              /* 1 */
    "warmup: 0s\n"                                                                  /* 2 */
    "azs: [us-east-1a, us-east-1b]\n"                                               /* 3 */
    "vpc:\n"                                                                        /* 4 */
    "  cidr: 10.0.0.0/16\n"                                                         /* 5 */
    "  internet_gateway: igw\n"                                                     /* 6 */
    "  subnets:\n"                                                                  /* 7 */
    "    a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"             /* 8 */
    "    b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"             /* 9 */
    "  route_tables:\n"                                                             /* 10 */
    "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"               /* 11 */
    "  nat_gateways:\n"                                                             /* 12 */
    "    nat: {subnet: a}\n"                                                        /* 13 */
    "load_balancers:\n"                                                             /* 14 */
    "  alb: {subnets: [a, b], target_group: tg}\n"                                  /* 15 */
    "instances:\n"                                                                  /* 16 */
    "  web: {count: 4, type: c5.large, subnets: [a, b], public_ip: true, "          /* 17 */
    "service_time: 1ms, target_group: tg}\n"
    "workload:\n"                                                                   /* 18 */
    "  users: {entry: alb, rate: 1/s}\n";                                           /* 19 */

/* Overrides change prices; unknown keys and bad prices are refused at their place. */
static void
test_pricing_section (void **state)
{
  char *text = g_strconcat (vpc_yaml, "pricing:\n  prices: {ec2.c5.large: \"0.1\"}\n", NULL);
  StratusScenario *s = load_ok (text);
  g_free (text);
  assert_non_null (s->pricing);
  char *listing = stratus_pricing_text (s->pricing);
  assert_non_null (strstr (listing, "ec2.c5.large"));
  assert_non_null (strstr (listing, "the scenario's pricing section"));
  g_free (listing);
  stratus_scenario_free (s);

  text = g_strconcat (vpc_yaml, "pricing:\n  prices: {ec2.c5.lrge: 0.1}\n", NULL);
  char *message = load_error (text);
  check_message (message, "t.yaml:21:12: prices: 'ec2.c5.lrge' is not a price of the "
                          "us-east-1 catalog; did you mean 'ec2.c5.large'?", NULL);
  g_free (text);
  text = g_strconcat (vpc_yaml, "pricing:\n  prices: {ec2.c5.large: cheap}\n", NULL);
  message = load_error (text);
  check_message (message, "t.yaml:21:26: ec2.c5.large: expected a price in USD", NULL);
  g_free (text);
  text = g_strconcat (vpc_yaml, "pricing:\n  catalog: nowhere.yaml\n", NULL);
  message = load_error (text);
  check_message (message, "t.yaml:21:12: catalog: ", NULL);
  g_free (text);
  text = g_strconcat (vpc_yaml, "pricing:\n  catalgo: x.yaml\n", NULL);
  message = load_error (text);
  check_message (message, "t.yaml:21:3: ", NEEDLES ("did you mean 'catalog'?"));
  g_free (text);
}

/* A catalog file: loaded with its prices; its mistakes are one line at their place in it;
 * a special file is refused without being read. */
static void
test_catalog_files (void **state)
{
  char *dir = g_dir_make_tmp ("stratus-cost-XXXXXX", NULL);
  char *path = g_build_filename (dir, "prices.yaml", NULL);
  static const struct
  {
    const char *text, *error;
  } cases[] = {
    { "region: x\nprices:\n  - {key: a, usd: \"1.5\", per: hour, date: d, source: s}\n", NULL },
    { "region: x\nprices:\n  - {key: a, usd: \"1\", per: hour, date: d, source: s}\n"
      "  - {key: a, usd: \"2\", per: hour, date: d, source: s}\n",
      ":4:5: key 'a' is priced twice" },
    { "region: x\nprices:\n  - {key: a, usd: \"1,5\", per: hour, date: d, source: s}\n",
      ":3:19: usd: expected a price in USD" },
    { "region: x\nprices:\n  - {key: a, usd: \"1\", per: hour, source: s}\n",
      ":3:5: missing 'date'" },
    { "region: x\nprices:\n  - key: t\n    per: GB-month\n    date: d\n    source: s\n"
      "    tiers: [{up_to_gb: 10, usd: \"0\"}, {up_to_gb: 5, usd: \"1\"}]\n",
      ":7:50: up_to_gb: expected a whole number of GB above the tier before" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_file_set_contents (path, cases[i].text, -1, NULL);
      GError *error = NULL;
      StratusPricing *p = stratus_pricing_load_file (path, &error);
      if (cases[i].error == NULL)
        {
          assert_non_null (p);
          assert_true (stratus_pricing_has (p, "a"));
          stratus_pricing_free (p);
          continue;
        }
      assert_null (p);
      char *expected = g_strconcat (path, cases[i].error, NULL);
      if (!g_str_has_prefix (error->message, expected))
        fail_msg ("case %zu: expected '%s', got '%s'", i, expected, error->message);
      g_free (expected);
      g_error_free (error);
    }
  GError *error = NULL;
  assert_null (stratus_pricing_load_file ("/dev/zero", &error));
  assert_string_equal (error->message, "/dev/zero:1:1: not a regular file");
  g_error_free (error);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

/* ---- bills of hand-made usage ----------------------------------------------------------- */

/* An empty result for `s`: no instance, no bytes, one zero usage per load balancer. */
static StratusRunResult *
empty_result (const StratusScenario *s)
{
  StratusRunResult *r = g_new0 (StratusRunResult, 1);
  r->window = s->duration - s->warmup;
  r->instances = g_array_new (FALSE, TRUE, sizeof (StratusInstanceResult));
  r->network_bytes = g_array_new (FALSE, TRUE, sizeof (StratusResourceBytes));
  r->lb_usage = g_array_new (FALSE, TRUE, sizeof (StratusLbUsage));
  StratusLbUsage zero = { 0 };
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_array_append_val (r->lb_usage, zero);
  return r;
}

static void
free_result (StratusRunResult *r)
{
  g_array_unref (r->instances);
  g_array_unref (r->network_bytes);
  g_array_unref (r->lb_usage);
  g_free (r);
}

/* Adds an instance of `type` running from `from` to `to` (NEVER: the end). */
static void
add_instance (StratusRunResult *r, const char *name, const char *type, StratusTime from,
              StratusTime to, bool public_ip)
{
  StratusInstanceResult inst = { .name = (char *) name, .type = (char *) type, .running = from,
                                 .terminated = to, .public_ip = public_ip };
  g_array_append_val (r->instances, inst);
}

/* Adds `bytes` of `cls` carried by a resource of `kind` (a NAT gateway: index 0). */
static void
add_bytes (StratusRunResult *r, StratusResourceKind kind, StratusByteClass cls, uint64_t bytes)
{
  StratusResourceBytes rb = { .name = (char *) "x", .kind = kind,
                              .index = kind == STRATUS_RESOURCE_NAT ? 0 : -1 };
  rb.bytes[cls] = bytes;
  g_array_append_val (r->network_bytes, rb);
}

/* The bill's amount in `category`. */
static StratusMicros
amount (const StratusBill *b, StratusCostCategory category)
{
  return b->by_category[category];
}

/* The examples of docs/cost.md, in us-east-1, over 730 hours:
 * - one NAT gateway processing 100 GB: 32.85 + 4.50 = 37.35, and its Elastic IP 3.65;
 * - four instances with public IPv4 addresses: 14.60 for the addresses, 4 x 62.05 to run;
 * - the load balancer: 730 x 0.0225 = 16.425 and its two nodes' addresses 7.30;
 * - 150 GB to the internet in the month: 50 GB at 0.09 = 4.50;
 * - 10 GB between AZs of the load balancer with its targets: nothing; 10 GB between
 *   instances: 10 x 0.01 = 0.10. */
static void
test_bill_examples (void **state)
{
  StratusScenario *s = load_ok (vpc_yaml);
  StratusRunResult *r = empty_result (s);
  for (int i = 0; i < 4; i++)
    add_instance (r, "web", "c5.large", 0, STRATUS_TIME_NEVER, true);
  add_bytes (r, STRATUS_RESOURCE_NAT, STRATUS_BYTES_NAT, 100 * GIB);
  add_bytes (r, STRATUS_RESOURCE_INSTANCE, STRATUS_BYTES_INTERNET_OUT, 150 * GIB);
  add_bytes (r, STRATUS_RESOURCE_LB_NODE, STRATUS_BYTES_CROSS_AZ, 10 * GIB);
  add_bytes (r, STRATUS_RESOURCE_INSTANCE, STRATUS_BYTES_CROSS_AZ, 10 * GIB);
  StratusBill *b = stratus_bill_compute (s, s->pricing, r);
  assert_null (b->missing);
  assert_int_equal (amount (b, STRATUS_COST_NAT_HOURS), 32850000);
  assert_int_equal (amount (b, STRATUS_COST_NAT_DATA), 4500000);
  assert_int_equal (amount (b, STRATUS_COST_NAT_HOURS) + amount (b, STRATUS_COST_NAT_DATA),
                    37350000);
  /* 4 instances + 2 load-balancer nodes + 1 Elastic IP, 730 h at 0.005. */
  assert_int_equal (amount (b, STRATUS_COST_PUBLIC_IPV4), 14600000 + 7300000 + 3650000);
  assert_int_equal (amount (b, STRATUS_COST_COMPUTE), 4 * 62050000);
  assert_int_equal (amount (b, STRATUS_COST_LOAD_BALANCER), 16425000);
  assert_int_equal (amount (b, STRATUS_COST_TRANSFER_OUT), 4500000);
  assert_int_equal (amount (b, STRATUS_COST_TRANSFER_CROSS_AZ), 100000);
  StratusMicros sum = 0;
  for (int c = 0; c < STRATUS_N_COST_CATEGORIES; c++)
    sum += b->by_category[c];
  assert_int_equal (sum, b->total);
  assert_int_equal (stratus_micros_monthly (b->total, b->period), b->total);
  stratus_bill_free (b);
  free_result (r);
  stratus_scenario_free (s);
}

/* EC2: a 20 s run is billed 60 s (0.085 / 60 = 0.001417); an instance already running when
 * the window opens is billed from then, without the minimum; public addresses follow the
 * time running. */
static void
test_bill_instance_minimum (void **state)
{
  char *text = subst (vpc_yaml, "duration: 730h\nwarmup: 0s", "duration: 2h\nwarmup: 1h");
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusRunResult *r = empty_result (s);
  add_instance (r, "short", "c5.large", HOUR + 10 * STRATUS_SECOND,
                HOUR + 30 * STRATUS_SECOND, false);
  StratusBill *b = stratus_bill_compute (s, s->pricing, r);
  assert_int_equal (amount (b, STRATUS_COST_COMPUTE), 1417);
  stratus_bill_free (b);
  g_array_set_size (r->instances, 0);
  /* Running since before the window, stopped 20 s into it: 20 s, no minimum. */
  add_instance (r, "old", "c5.large", 0, HOUR + 20 * STRATUS_SECOND, false);
  b = stratus_bill_compute (s, s->pricing, r);
  assert_int_equal (amount (b, STRATUS_COST_COMPUTE), 472); /* 0.085 x 20 / 3600 */
  stratus_bill_free (b);
  free_result (r);
  stratus_scenario_free (s);
}

/* An ALB hour with 50 new connections a second and 0.2 GB processed bills 2 LCU (its
 * highest dimension); 2 LCU-hours cost 0.016. */
static void
test_alb_lcu (void **state)
{
  LbMeter m = { .hour = -1 };
  uint64_t connections = 50 * 3600;
  uint64_t bytes = GIB / 5;
  for (uint64_t i = 0; i < connections; i++)
    lb_meter_request (&m, (StratusTime) i * 20 * STRATUS_MS, 0, i == 0 ? bytes : 0);
  lb_meter_close (&m);
  assert_int_equal (m.micro_lcu_hours, 2000000);
  /* The same bytes alone: 0.2 LCU; 4 GB: 4 LCU, more than the connections' 2. */
  LbMeter g = { .hour = -1 };
  lb_meter_request (&g, 0, 0, GIB / 5);
  lb_meter_close (&g);
  assert_int_equal (g.micro_lcu_hours, 200000);
  /* Two hours are billed apart: 10 new connections a second in each. */
  LbMeter h = { .hour = -1 };
  for (uint64_t i = 0; i < 72000; i++)
    lb_meter_request (&h, (StratusTime) i * 100 * STRATUS_MS, 0, 0);
  lb_meter_close (&h);
  assert_int_equal (h.micro_lcu_hours, 800000);

  char *text = subst (vpc_yaml, "duration: 730h", "duration: 1h");
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusRunResult *r = empty_result (s);
  g_array_index (r->lb_usage, StratusLbUsage, 0).micro_lcu_hours = m.micro_lcu_hours;
  StratusBill *b = stratus_bill_compute (s, s->pricing, r);
  assert_int_equal (amount (b, STRATUS_COST_LOAD_BALANCER), 22500 + 16000);
  stratus_bill_free (b);
  free_result (r);
  stratus_scenario_free (s);
}

/* A Multi-AZ MySQL db.m5.large bills its Multi-AZ rate (0.342 an hour) and twice the
 * storage; single-AZ, 0.171 and one copy; a database run shorter than 10 minutes bills
 * 10. */
static void
test_bill_database (void **state)
{
  static const char db_yaml[]
    = "duration: 730h\nwarmup: 0s\nazs: [us-east-1a, us-east-1b]\n"
      "load_balancers:\n  alb: {target_group: tg}\n"
      "instances:\n  web: {count: 1, type: c5.large, service_time: 1ms, target_group: tg, "
      "database: {name: db, queries: 1}}\n"
      "databases:\n  db: {engine: mysql, instance_class: db.m5.large, deployment: multi_az_instance, "
      "storage: 100GiB}\n"
      "workload:\n  users: {entry: alb, rate: 1/s}\n";
  StratusScenario *s = load_ok (db_yaml);
  StratusRunResult *r = empty_result (s);
  r->databases = g_array_new (FALSE, TRUE, sizeof (StratusDatabaseResult));
  StratusDatabaseResult db = { .name = (char *) "db", .engine = STRATUS_DB_ENGINE_MYSQL,
                               .deployment = STRATUS_DB_MULTI_AZ_INSTANCE,
                               .instance_class = (char *) "db.m5.large",
                               .storage_bytes = 100 * GIB };
  db.members = g_array_new (FALSE, TRUE, sizeof (StratusDbMemberResult));
  StratusDbMemberResult writer = { .name = (char *) "db-1", .role_start = STRATUS_DB_ROLE_WRITER };
  StratusDbMemberResult standby = { .name = (char *) "db-2",
                                    .role_start = STRATUS_DB_ROLE_STANDBY };
  g_array_append_val (db.members, writer);
  g_array_append_val (db.members, standby);
  g_array_append_val (r->databases, db);
  StratusBill *b = stratus_bill_compute (s, s->pricing, r);
  assert_int_equal (amount (b, STRATUS_COST_DATABASE), 249660000);  /* 0.342 x 730 */
  assert_int_equal (amount (b, STRATUS_COST_STORAGE), 23000000);    /* 100 x 0.115 x 2 */
  stratus_bill_free (b);
  g_array_index (r->databases, StratusDatabaseResult, 0).deployment = STRATUS_DB_SINGLE_AZ;
  g_array_set_size (db.members, 1);
  b = stratus_bill_compute (s, s->pricing, r);
  assert_int_equal (amount (b, STRATUS_COST_DATABASE), 124830000);  /* 0.171 x 730 */
  assert_int_equal (amount (b, STRATUS_COST_STORAGE), 11500000);
  stratus_bill_free (b);
  g_array_unref (db.members);
  g_array_unref (r->databases);
  free_result (r);
  stratus_scenario_free (s);
}

/* ---- a run ------------------------------------------------------------------------------ */

/* A run's report has the bill: its categories add up to the total, the month projects it,
 * the JSON lists its lines, and the same seed gives the same bill. */
static void
test_report_has_the_bill (void **state)
{
  char *text = subst (vpc_yaml, "duration: 730h", "duration: 10m");
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusReport *report = stratus_report_new (s);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  double total = 0, monthly = 0, compute = 0;
  assert_true (stratus_report_figure (report, "cost.total_usd", &total, NULL));
  assert_true (stratus_report_figure (report, "cost.monthly_usd", &monthly, NULL));
  assert_true (stratus_report_figure (report, "cost.categories.compute.total_usd", &compute, NULL));
  /* Four c5.large for 10 minutes: 4 x 0.085 / 6 = 4 x 0.0141667. */
  assert_float_equal (compute, 4 * 0.014167, 1e-9); /* each line rounded to the micro-dollar */
  assert_float_equal (monthly, total * 73 * 60, 1e-3);
  char *out = stratus_report_text (report);
  assert_non_null (strstr (out, "Cost (USD, us-east-1"));
  g_free (out);
  char *json = stratus_report_json (report);
  assert_non_null (strstr (json, "\"items\""));
  assert_non_null (strstr (json, "\"monthly_usd\""));
  g_free (json);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* The monthly bill of layout `name` (scenarios/layouts) with `count` web instances,
 * `duration` long, seed 1. */
static double
layout_monthly (const char *name, int count, const char *duration)
{
  char *file = g_strdup_printf ("%s.yaml", name);
  char *path = g_build_filename (g_getenv ("STRATUS_SOURCE_ROOT"), "scenarios", "layouts", file,
                                 NULL);
  char *count_set = g_strdup_printf ("instances.web.count=%d", count);
  char *duration_set = g_strdup_printf ("duration=%s", duration);
  const char *overrides[] = { count_set, duration_set, NULL };
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, overrides, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  StratusRunOptions options = { .seed = 1 };
  StratusRunResult *r = stratus_model_run (s, &options);
  StratusBill *bill = stratus_bill_compute (s, s->pricing, r);
  double monthly = (double) stratus_micros_monthly (bill->total, bill->period) / 1e6;
  print_message ("%s with %d instances: %.2f USD a month\n", name, count, monthly);
  stratus_bill_free (bill);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  g_free (duration_set);
  g_free (count_set);
  g_free (path);
  g_free (file);
  return monthly;
}

/* The three layouts of scenarios/layouts (50 requests/s, 40% calling an internet API,
 * about 500 GB a month through the NAT gateways): with 4 instances, public addresses cost
 * less than one NAT gateway, which costs less than one per AZ; past the break-even (each
 * instance's address, 3.65 a month, against a NAT gateway's 32.85 + its address 3.65 + its
 * data, about 17 instances, as the README shows) one NAT gateway is the cheapest. */
static void
test_layouts_break_even (void **state)
{
  double public4 = layout_monthly ("public-ip", 4, "20m");
  double single4 = layout_monthly ("nat-single", 4, "20m");
  double per_az4 = layout_monthly ("nat-per-az", 4, "20m");
  assert_true (public4 < single4 && single4 < per_az4);
  double public24 = layout_monthly ("public-ip", 24, "20m");
  double single24 = layout_monthly ("nat-single", 24, "20m");
  assert_true (single24 < public24);
  /* The difference is the addresses against the gateway: 20 more instances add 20 x 3.65
   * to the public layout only. */
  assert_float_equal ((public24 - public4) - (single24 - single4), 20 * 3.65, 0.5);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_catalogs_complete),
    cmocka_unit_test (test_price_parse_and_format),
    cmocka_unit_test (test_pricing_section),
    cmocka_unit_test (test_catalog_files),
    cmocka_unit_test (test_bill_examples),
    cmocka_unit_test (test_bill_instance_minimum),
    cmocka_unit_test (test_alb_lcu),
    cmocka_unit_test (test_bill_database),
    cmocka_unit_test (test_report_has_the_bill),
    cmocka_unit_test (test_layouts_break_even),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
