/* The `databases` section (RDS) and a fleet's `database` key: every key loads with exactly
 * the value written or its default (ports by engine, max_connections by class, failover
 * times by deployment), members are placed by the documented rule with and without a vpc,
 * a launch template's database reaches its group's fleet, overrides apply, and bad input
 * gives one line at the right place. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "stratus/db_instance_classes.h"
#include "stratus/scenario.h"

/* Without a vpc, three AZs; every key of a database and of a fleet's database work set in
 * `app-db` and `web`, defaults in `small` and `plain`; line numbers matter. */
static const char flat[] =
  "duration: 6h\n"                                                          /* 1 */
  "azs: [us-east-1a, us-east-1b, us-east-1c]\n"                             /* 2 */
  "load_balancers:\n"                                                       /* 3 */
  "  alb: {target_group: web}\n"                                            /* 4 */
  "instances:\n"                                                            /* 5 */
  "  web:\n"                                                                /* 6 */
  "    service_time: 10ms\n"                                                /* 7 */
  "    target_group: web\n"                                                 /* 8 */
  "    database:\n"                                                         /* 9 */
  "      name: app-db\n"                                                    /* 10 */
  "      queries: 2.5\n"                                                    /* 11 */
  "      write_fraction: 0.1\n"                                             /* 12 */
  "      reads_from: reader\n"                                              /* 13 */
  "      pool: 20\n"                                                        /* 14 */
  "      timeout: 2s\n"                                                     /* 15 */
  "      on_failure: retry\n"                                               /* 16 */
  "      retries: 3\n"                                                      /* 17 */
  "      backoff: 50ms\n"                                                   /* 18 */
  "      status: 502\n"                                                     /* 19 */
  "      query_bytes: 1KiB\n"                                               /* 20 */
  "      result_bytes: 8KiB\n"                                              /* 21 */
  "  api:\n"                                                                /* 22 */
  "    service_time: 5ms\n"                                                 /* 23 */
  "    database: {name: pg, reads_from: pg-3}\n"                            /* 24 */
  "  plain:\n"                                                              /* 25 */
  "    service_time: 5ms\n"                                                 /* 26 */
  "    database: {name: small}\n"                                           /* 27 */
  "  none:\n"                                                               /* 28 */
  "    service_time: 5ms\n"                                                 /* 29 */
  "databases:\n"                                                            /* 30 */
  "  app-db:\n"                                                             /* 31 */
  "    engine: aurora-mysql\n"                                              /* 32 */
  "    instance_class: db.r6g.large\n"                                      /* 33 */
  "    readers: 3\n"                                                        /* 34 */
  "    reader_promotion_tiers: [2, 0, 15]\n"                                /* 35 */
  "    availability_zone: us-east-1b\n"                                     /* 36 */
  "    port: 3307\n"                                                        /* 37 */
  "    max_connections: 500\n"                                              /* 38 */
  "    read_time: {dist: exponential, mean: 2ms}\n"                         /* 39 */
  "    write_time: 4ms\n"                                                   /* 40 */
  "    storage: 100GiB\n"                                                   /* 41 */
  "    growth_per_write: 2KiB\n"                                            /* 42 */
  "    aurora_lag: 50ms\n"                                                  /* 43 */
  "    failover:\n"                                                         /* 44 */
  "      detection_time: {dist: uniform, min: 1s, max: 2s}\n"               /* 45 */
  "      promotion_time: 15s\n"                                             /* 46 */
  "    dns_ttl: 10s\n"                                                      /* 47 */
  "    restore_time: {base: 10m, per_gib: 5s}\n"                            /* 48 */
  "    backup_window: \"22:30\"\n"                                          /* 49 */
  "    backup_retention: 0\n"                                               /* 50 */
  "    actions:\n"                                                          /* 51 */
  "      - {at: 2h, action: fail_writer, recover_after: 10m}\n"             /* 52 */
  "      - {at: 30m, action: failover}\n"                                   /* 53 */
  "      - {at: 2h, action: snapshot}\n"                                    /* 54 */
  "      - {at: 5h, action: restore}\n"                                     /* 55 */
  "  pg:\n"                                                                 /* 56 */
  "    engine: postgres\n"                                                  /* 57 */
  "    instance_class: db.m5.xlarge\n"                                      /* 58 */
  "    deployment: multi_az_instance\n"                                     /* 59 */
  "    read_replicas: 3\n"                                                  /* 60 */
  "    apply_rate: 2000\n"                                                  /* 61 */
  "    actions:\n"                                                          /* 62 */
  "      - {at: 3h, action: promote_replica, replica: pg-4}\n"              /* 63 */
  "      - {at: 4h, action: promote_replica}\n"                             /* 64 */
  "  small:\n"                                                              /* 65 */
  "    engine: mysql\n"                                                     /* 66 */
  "    instance_class: db.t3.micro\n"                                       /* 67 */
  "workload:\n"                                                             /* 68 */
  "  w: {entry: alb, rate: 10/s}\n";                                        /* 69 */

/* In a VPC over three AZs, with two DB subnets in us-east-1a; line numbers matter. */
static const char in_vpc[] =
  "duration: 1h\n"                                                          /* 1 */
  "azs: [us-east-1a, us-east-1b, us-east-1c]\n"                             /* 2 */
  "vpc:\n"                                                                  /* 3 */
  "  cidr: 10.0.0.0/16\n"                                                   /* 4 */
  "  subnets:\n"                                                            /* 5 */
  "    app-a: {cidr: 10.0.0.0/24, az: us-east-1a}\n"                        /* 6 */
  "    app-b: {cidr: 10.0.1.0/24, az: us-east-1b}\n"                        /* 7 */
  "    db-a: {cidr: 10.0.10.0/24, az: us-east-1a}\n"                        /* 8 */
  "    db-a2: {cidr: 10.0.11.0/24, az: us-east-1a}\n"                       /* 9 */
  "    db-b: {cidr: 10.0.12.0/24, az: us-east-1b}\n"                        /* 10 */
  "    db-c: {cidr: 10.0.13.0/24, az: us-east-1c}\n"                        /* 11 */
  "  security_groups:\n"                                                    /* 12 */
  "    app-sg: {}\n"                                                        /* 13 */
  "    db-sg: {inbound: [{protocol: tcp, ports: 3306, source: app-sg}]}\n"  /* 14 */
  "load_balancers:\n"                                                       /* 15 */
  "  alb: {target_group: app, scheme: internal, subnets: [app-a, app-b]}\n"        /* 16 */
  "instances:\n"                                                            /* 17 */
  "  app:\n"                                                                /* 18 */
  "    service_time: 5ms\n"                                                 /* 19 */
  "    target_group: app\n"                                                 /* 20 */
  "    subnets: [app-a]\n"                                                  /* 21 */
  "    security_groups: [app-sg]\n"                                         /* 22 */
  "    database: {name: app-db}\n"                                          /* 23 */
  "databases:\n"                                                            /* 24 */
  "  app-db:\n"                                                             /* 25 */
  "    engine: mysql\n"                                                     /* 26 */
  "    instance_class: db.m5.large\n"                                       /* 27 */
  "    deployment: multi_az_cluster\n"                                      /* 28 */
  "    subnets: [db-a, db-a2, db-b, db-c]\n"                                /* 29 */
  "    security_groups: [db-sg]\n"                                          /* 30 */
  "workload:\n"                                                             /* 31 */
  "  w: {entry: alb, rate: 10/s}\n";                                        /* 31 */

/* An Auto Scaling group whose launch template names a database; line numbers matter. */
static const char with_group[] =
  "duration: 1h\n"                                                          /* 1 */
  "azs: [us-east-1a, us-east-1b]\n"                                         /* 2 */
  "load_balancers:\n"                                                       /* 3 */
  "  alb: {target_group: tg}\n"                                             /* 4 */
  "amis:\n"                                                                 /* 5 */
  "  a: {}\n"                                                               /* 6 */
  "launch_templates:\n"                                                     /* 7 */
  "  lt:\n"                                                                 /* 8 */
  "    ami: a\n"                                                            /* 9 */
  "    service_time: 10ms\n"                                                /* 10 */
  "    database: {name: orders, reads_from: orders-2, write_fraction: 0.5}\n" /* 11 */
  "  spare:\n"                                                              /* 12 */
  "    ami: a\n"                                                            /* 13 */
  "    service_time: 10ms\n"                                                /* 14 */
  "auto_scaling_groups:\n"                                                  /* 15 */
  "  g:\n"                                                                  /* 16 */
  "    launch_template: lt\n"                                               /* 17 */
  "    min_size: 2\n"                                                       /* 18 */
  "    max_size: 4\n"                                                       /* 19 */
  "    target_groups: [tg]\n"                                               /* 20 */
  "databases:\n"                                                            /* 21 */
  "  orders:\n"                                                             /* 22 */
  "    engine: aurora-postgresql\n"                                         /* 23 */
  "    instance_class: db.r6g.2xlarge\n"                                    /* 24 */
  "    readers: 1\n"                                                        /* 25 */
  "workload:\n"                                                             /* 26 */
  "  w: {entry: alb, rate: 10/s}\n";                                        /* 27 */

/* `text` with `overrides` is refused with a message starting `prefix` and containing each
 * needle. */
#define expect_override_error(text, overrides, prefix, ...)                                \
  check_message (load_error_with (text, overrides), prefix, NEEDLES (__VA_ARGS__))

/* The database named `name` of `s` (fails the test if absent). */
static const StratusDatabaseConfig *
database (const StratusScenario *s, const char *name)
{
  const StratusDatabaseConfig *db = stratus_scenario_find_database (s, name);
  assert_non_null (db);
  return db;
}

/* Member `i` of `db`. */
static const StratusDbMemberConfig *
member (const StratusDatabaseConfig *db, guint i)
{
  assert_true (i < db->members->len);
  return &g_array_index (db->members, StratusDbMemberConfig, i);
}

/* Action `i` of `db`. */
static const StratusDbActionConfig *
action (const StratusDatabaseConfig *db, guint i)
{
  assert_true (i < db->actions->len);
  return &g_array_index (db->actions, StratusDbActionConfig, i);
}

/* The fleet named `name` of `s`. */
static const StratusFleetConfig *
fleet (const StratusScenario *s, const char *name)
{
  int i = stratus_scenario_fleet_index (s, name);
  assert_true (i >= 0);
  return g_ptr_array_index (s->fleets, (guint) i);
}

/* Checks that member `i` of `db` is `name`, of `role`, in AZ `az`, at subnet `subnet`
 * (-1 without a vpc) and of promotion tier `tier`. */
static void
check_member (const StratusDatabaseConfig *db, guint i, const char *name, StratusDbRole role,
              int az, int subnet, int tier)
{
  const StratusDbMemberConfig *m = member (db, i);
  assert_string_equal (m->name, name);
  assert_int_equal (m->role, role);
  assert_int_equal (m->az, az);
  assert_int_equal (m->subnet, subnet);
  assert_int_equal (m->promotion_tier, tier);
}

/* The name of the subnet member `i` of `db` stands in. */
static const char *
member_subnet (const StratusScenario *s, const StratusDatabaseConfig *db, guint i)
{
  int k = member (db, i)->subnet;
  assert_true (k >= 0 && (guint) k < s->vpc->subnets->len);
  return ((const StratusSubnetConfig *) g_ptr_array_index (s->vpc->subnets, (guint) k))->name;
}

/* Checks that `d` is the uniform distribution on [lo, hi] seconds. */
static void
check_uniform (const StratusDist *d, double lo, double hi)
{
  assert_int_equal (d->kind, STRATUS_DIST_UNIFORM);
  assert_float_equal (d->p1, lo * 1e9, 1);
  assert_float_equal (d->p2, hi * 1e9, 1);
  assert_float_equal (d->mean, (lo + hi) / 2 * 1e9, 1);
}

/* ---- the catalog and the names ------------------------------------------------------- */

/* The DB instance class catalog, the default max_connections formulas and the names. */
static void
test_catalog (void **state)
{
  (void) state;
  const StratusDbInstanceClass *c = stratus_db_instance_class_find ("db.r6g.large");
  assert_non_null (c);
  assert_int_equal (c->vcpus, 2);
  assert_float_equal (c->memory_gib, 16, 0);
  assert_true (c->aurora);
  c = stratus_db_instance_class_find ("db.m5.2xlarge");
  assert_int_equal (c->vcpus, 8);
  assert_float_equal (c->memory_gib, 32, 0);
  assert_false (stratus_db_instance_class_find ("db.t3.micro")->aurora);
  assert_false (stratus_db_instance_class_find ("db.t4g.small")->aurora);
  assert_true (stratus_db_instance_class_find ("db.t3.medium")->aurora);
  assert_null (stratus_db_instance_class_find ("db.x9.huge"));
  int n = 0;
  for (const char *const *p = stratus_db_instance_class_names (); *p != NULL; p++)
    {
      assert_non_null (stratus_db_instance_class_find (*p));
      n++;
    }
  assert_int_equal (n, 20);

  /* The default parameter groups' formulas on DBInstanceClassMemory = GiB * 2^30. */
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_MYSQL, 1), 85);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_MYSQL, 8), 682);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_POSTGRES, 1), 112);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_POSTGRES, 16), 1802);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_POSTGRES, 64), 5000);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_AURORA_POSTGRESQL, 64),
                    5000);
  /* Aurora MySQL: max(log2(m/805306368) * 45, log2(m/8187281408) * 1000). */
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_AURORA_MYSQL, 4), 108);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_AURORA_MYSQL, 16),
                    1069);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_AURORA_MYSQL, 64),
                    3069);
  assert_int_equal (stratus_db_default_max_connections (STRATUS_DB_ENGINE_MYSQL, 0.001), 1);

  assert_string_equal (stratus_db_engine_name (STRATUS_DB_ENGINE_AURORA_POSTGRESQL),
                       "aurora-postgresql");
  assert_string_equal (stratus_db_engine_name (STRATUS_DB_ENGINE_MYSQL), "mysql");
  assert_string_equal (stratus_db_deployment_name (STRATUS_DB_MULTI_AZ_CLUSTER),
                       "multi_az_cluster");
  assert_string_equal (stratus_db_deployment_name (STRATUS_DB_AURORA), "aurora");
  static const char *const roles[] = { "writer", "standby", "cluster_standby", "reader",
                                       "replica" };
  static const bool readable[] = { true, false, true, true, true };
  for (int r = 0; r < STRATUS_N_DB_ROLES; r++)
    {
      assert_string_equal (stratus_db_role_name ((StratusDbRole) r), roles[r]);
      assert_int_equal (stratus_db_role_readable ((StratusDbRole) r), readable[r]);
    }
}

/* ---- valid scenarios ----------------------------------------------------------------- */

/* `small`: every default of a mysql database, one writer in the first AZ. */
static void
test_defaults (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (flat);
  assert_int_equal (s->databases->len, 3);
  const StratusDatabaseConfig *db = database (s, "small");
  assert_ptr_equal (db, g_ptr_array_index (s->databases, 2));
  assert_int_equal (db->engine, STRATUS_DB_ENGINE_MYSQL);
  assert_string_equal (db->instance_class, "db.t3.micro");
  assert_int_equal (db->vcpus, 2);
  assert_float_equal (db->memory_gib, 1, 0);
  assert_int_equal (db->subnets->len, 0);
  assert_int_equal (db->security_groups->len, 0);
  assert_int_equal (db->port, 3306);
  assert_int_equal (db->max_connections, 85);
  assert_int_equal (db->read_time.kind, STRATUS_DIST_EXPONENTIAL);
  assert_float_equal (db->read_time.mean, 1e6, 1e-6);
  assert_int_equal (db->write_time.kind, STRATUS_DIST_EXPONENTIAL);
  assert_float_equal (db->write_time.mean, 3e6, 1e-6);
  assert_int_equal (db->storage_bytes, UINT64_C (20) << 30);
  assert_int_equal (db->growth_per_write, 1024);
  assert_int_equal (db->deployment, STRATUS_DB_SINGLE_AZ);
  assert_int_equal (db->readers, 0);
  assert_int_equal (db->replicas, 0);
  assert_float_equal (db->apply_rate, 5000, 0);
  assert_int_equal (db->aurora_lag, 20 * STRATUS_MS);
  check_uniform (&db->detection_time, 10, 30);
  check_uniform (&db->promotion_time, 50, 90);
  assert_int_equal (db->dns_ttl, 5 * STRATUS_SECOND);
  assert_int_equal (db->restore_base, 5 * STRATUS_MINUTE);
  assert_int_equal (db->restore_per_gib, 10 * STRATUS_SECOND);
  assert_int_equal (db->backup_window, 3 * STRATUS_HOUR);
  assert_int_equal (db->backup_retention_days, 7);
  assert_int_equal (db->actions->len, 0);
  assert_int_equal (db->members->len, 1);
  check_member (db, 0, "small-1", STRATUS_DB_ROLE_WRITER, 0, -1, 0);
  assert_int_equal (db->line, 65);
  assert_int_equal (db->column, 3);

  /* A fleet's database work with only its name, and a fleet without one. */
  const StratusDbWorkConfig *w = &fleet (s, "plain")->database;
  assert_true (w->enabled);
  assert_string_equal (w->database, "small");
  assert_int_equal (w->index, 2);
  assert_float_equal (w->queries, 1, 0);
  assert_float_equal (w->write_fraction, 0.2, 0);
  assert_int_equal (w->reads_from, STRATUS_DB_READS_WRITER);
  assert_int_equal (w->pool, 10);
  assert_int_equal (w->timeout, 5 * STRATUS_SECOND);
  assert_false (w->retry);
  assert_int_equal (w->failure_status, 500);
  assert_int_equal (w->query_bytes, 512);
  assert_int_equal (w->result_bytes, 4096);
  assert_int_equal (w->line, 27);
  assert_int_equal (w->column, 5);
  assert_false (fleet (s, "none")->database.enabled);
  assert_null (fleet (s, "none")->database.database);
  assert_null (stratus_scenario_find_database (s, "nope"));
  stratus_scenario_free (s);
}

/* Ports, max_connections and failover times by engine, class and deployment. */
static void
test_defaults_by_engine_and_deployment (void **state)
{
  (void) state;
  static const struct
  {
    const char *engine, *instance_class, *deployment;
    int port, max_connections;
    double detect_lo, detect_hi, promote_lo, promote_hi;
  } cases[] = {
    { "mysql", "db.m5.large", "single_az", 3306, 682, 10, 30, 50, 90 },
    { "mysql", "db.m5.large", "multi_az_instance", 3306, 682, 10, 30, 50, 90 },
    { "postgres", "db.r5.large", "multi_az_cluster", 5432, 1802, 5, 10, 10, 25 },
    { "aurora-mysql", "db.r6g.large", "aurora", 3306, 1069, 5, 10, 10, 20 },
    { "aurora-postgresql", "db.r6g.2xlarge", "aurora", 5432, 5000, 5, 10, 10, 20 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *engine = g_strdup_printf ("databases.small.engine=%s", cases[i].engine);
      char *cls = g_strdup_printf ("databases.small.instance_class=%s", cases[i].instance_class);
      char *dep = g_strdup_printf ("databases.small.deployment=%s", cases[i].deployment);
      const char *const overrides[] = { engine, cls, dep, NULL };
      StratusScenario *s = load_ok_with (flat, overrides);
      const StratusDatabaseConfig *db = database (s, "small");
      assert_string_equal (stratus_db_deployment_name (db->deployment), cases[i].deployment);
      assert_int_equal (db->port, cases[i].port);
      assert_int_equal (db->max_connections, cases[i].max_connections);
      check_uniform (&db->detection_time, cases[i].detect_lo, cases[i].detect_hi);
      check_uniform (&db->promotion_time, cases[i].promote_lo, cases[i].promote_hi);
      stratus_scenario_free (s);
      g_free (engine);
      g_free (cls);
      g_free (dep);
    }
  /* An Aurora engine's deployment is aurora without saying so. */
  const char *const aurora[] = { "databases.small.engine=aurora-mysql",
                                 "databases.small.instance_class=db.t3.medium", NULL };
  StratusScenario *s = load_ok_with (flat, aurora);
  assert_int_equal (database (s, "small")->deployment, STRATUS_DB_AURORA);
  assert_int_equal (database (s, "small")->members->len, 1);
  stratus_scenario_free (s);
}

/* `app-db`: every key written, Aurora readers round robin over the other AZs with their
 * tiers, actions in time order. */
static void
test_aurora_values (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (flat);
  const StratusDatabaseConfig *db = database (s, "app-db");
  assert_int_equal (db->engine, STRATUS_DB_ENGINE_AURORA_MYSQL);
  assert_int_equal (db->deployment, STRATUS_DB_AURORA);
  assert_int_equal (db->vcpus, 2);
  assert_float_equal (db->memory_gib, 16, 0);
  assert_int_equal (db->port, 3307);
  assert_int_equal (db->max_connections, 500);
  assert_int_equal (db->read_time.kind, STRATUS_DIST_EXPONENTIAL);
  assert_float_equal (db->read_time.mean, 2e6, 1e-6);
  assert_int_equal (db->write_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (db->write_time.mean, 4e6, 1e-6);
  assert_int_equal (db->storage_bytes, UINT64_C (100) << 30);
  assert_int_equal (db->growth_per_write, 2048);
  assert_int_equal (db->readers, 3);
  assert_int_equal (db->aurora_lag, 50 * STRATUS_MS);
  check_uniform (&db->detection_time, 1, 2);
  assert_int_equal (db->promotion_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (db->promotion_time.mean, 15e9, 1);
  assert_int_equal (db->dns_ttl, 10 * STRATUS_SECOND);
  assert_int_equal (db->restore_base, 10 * STRATUS_MINUTE);
  assert_int_equal (db->restore_per_gib, 5 * STRATUS_SECOND);
  assert_int_equal (db->backup_window, 22 * STRATUS_HOUR + 30 * STRATUS_MINUTE);
  assert_int_equal (db->backup_retention_days, 0);

  /* The writer in us-east-1b (availability_zone); readers over 1a and 1c in turn. */
  assert_int_equal (db->members->len, 4);
  check_member (db, 0, "app-db-1", STRATUS_DB_ROLE_WRITER, 1, -1, 0);
  check_member (db, 1, "app-db-2", STRATUS_DB_ROLE_AURORA_READER, 0, -1, 2);
  check_member (db, 2, "app-db-3", STRATUS_DB_ROLE_AURORA_READER, 2, -1, 0);
  check_member (db, 3, "app-db-4", STRATUS_DB_ROLE_AURORA_READER, 0, -1, 15);

  /* Sorted by `at`, the two at 2h in file order. */
  assert_int_equal (db->actions->len, 4);
  assert_int_equal (action (db, 0)->kind, STRATUS_DB_ACTION_FAILOVER);
  assert_int_equal (action (db, 0)->at, 30 * STRATUS_MINUTE);
  assert_int_equal (action (db, 0)->line, 53);
  assert_int_equal (action (db, 0)->column, 9);
  assert_int_equal (action (db, 0)->member, -1);
  assert_int_equal (action (db, 0)->recover_after, STRATUS_TIME_NEVER);
  assert_int_equal (action (db, 1)->kind, STRATUS_DB_ACTION_FAIL_WRITER);
  assert_int_equal (action (db, 1)->at, 2 * STRATUS_HOUR);
  assert_int_equal (action (db, 1)->recover_after, 10 * STRATUS_MINUTE);
  assert_int_equal (action (db, 1)->line, 52);
  assert_int_equal (action (db, 2)->kind, STRATUS_DB_ACTION_SNAPSHOT);
  assert_int_equal (action (db, 2)->at, 2 * STRATUS_HOUR);
  assert_int_equal (action (db, 3)->kind, STRATUS_DB_ACTION_RESTORE);
  assert_int_equal (action (db, 3)->at, 5 * STRATUS_HOUR);

  /* The fleet that uses it: every key written. */
  const StratusDbWorkConfig *w = &fleet (s, "web")->database;
  assert_true (w->enabled);
  assert_string_equal (w->database, "app-db");
  assert_int_equal (w->index, 0);
  assert_float_equal (w->queries, 2.5, 0);
  assert_float_equal (w->write_fraction, 0.1, 0);
  assert_int_equal (w->reads_from, STRATUS_DB_READS_READER);
  assert_int_equal (w->pool, 20);
  assert_int_equal (w->timeout, 2 * STRATUS_SECOND);
  assert_true (w->retry);
  assert_int_equal (w->retries, 3);
  assert_int_equal (w->backoff, 50 * STRATUS_MS);
  assert_int_equal (w->failure_status, 502);
  assert_int_equal (w->query_bytes, 1024);
  assert_int_equal (w->result_bytes, 8192);
  assert_int_equal (w->line, 9);
  assert_int_equal (w->column, 5);
  stratus_scenario_free (s);
}

/* `pg`: a multi_az_instance standby in the first other AZ, replicas round robin over the
 * other AZs; promote_replica names its replica or takes the first. */
static void
test_standby_and_replicas (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (flat);
  const StratusDatabaseConfig *db = database (s, "pg");
  assert_int_equal (db->port, 5432);
  assert_int_equal (db->max_connections, 1802);
  assert_int_equal (db->replicas, 3);
  assert_float_equal (db->apply_rate, 2000, 0);
  assert_int_equal (db->members->len, 5);
  check_member (db, 0, "pg-1", STRATUS_DB_ROLE_WRITER, 0, -1, 0);
  check_member (db, 1, "pg-2", STRATUS_DB_ROLE_STANDBY, 1, -1, 0);
  check_member (db, 2, "pg-3", STRATUS_DB_ROLE_REPLICA, 1, -1, 0);
  check_member (db, 3, "pg-4", STRATUS_DB_ROLE_REPLICA, 2, -1, 0);
  check_member (db, 4, "pg-5", STRATUS_DB_ROLE_REPLICA, 1, -1, 0);
  assert_int_equal (db->actions->len, 2);
  assert_int_equal (action (db, 0)->kind, STRATUS_DB_ACTION_PROMOTE_REPLICA);
  assert_int_equal (action (db, 0)->member, 3);
  assert_int_equal (action (db, 1)->member, 2);

  /* `reads_from: pg-3`: that member's own endpoint. */
  const StratusDbWorkConfig *w = &fleet (s, "api")->database;
  assert_int_equal (w->index, 1);
  assert_int_equal (w->reads_from, STRATUS_DB_READS_INSTANCE);
  assert_int_equal (w->reads_member, 2);
  stratus_scenario_free (s);
}

/* Without a vpc a multi_az_cluster takes the first two other AZs. */
static void
test_cluster_without_vpc (void **state)
{
  (void) state;
  const char *const overrides[] = { "databases.pg.deployment=multi_az_cluster",
                                    "databases.pg.read_replicas=0",
                                    "databases.pg.availability_zone=us-east-1c",
                                    "databases.pg.actions=[]", NULL };
  StratusScenario *s = load_ok_with (flat, overrides);
  const StratusDatabaseConfig *db = database (s, "pg");
  assert_int_equal (db->members->len, 3);
  check_member (db, 0, "pg-1", STRATUS_DB_ROLE_WRITER, 2, -1, 0);
  check_member (db, 1, "pg-2", STRATUS_DB_ROLE_CLUSTER_STANDBY, 0, -1, 0);
  check_member (db, 2, "pg-3", STRATUS_DB_ROLE_CLUSTER_STANDBY, 1, -1, 0);
  /* The override's position is kept. */
  const StratusSourcePosition *pos = stratus_scenario_position (s, "databases.pg.deployment");
  assert_non_null (pos);
  assert_string_equal (pos->file, "--set");
  /* reads_from pg-3 is now a readable cluster standby. */
  assert_int_equal (fleet (s, "api")->database.reads_member, 2);
  stratus_scenario_free (s);
}

/* `replica_azs`: read replicas go to the AZs it lists, in turn (the writer's included);
 * an AZ outside the scenario is refused with a suggestion. */
static void
test_replica_azs (void **state)
{
  (void) state;
  const char *const overrides[] = { "databases.pg.replica_azs=[us-east-1c, us-east-1a]", NULL };
  StratusScenario *s = load_ok_with (flat, overrides);
  const StratusDatabaseConfig *db = database (s, "pg");
  assert_int_equal (db->members->len, 5);
  check_member (db, 1, "pg-2", STRATUS_DB_ROLE_STANDBY, 1, -1, 0);
  check_member (db, 2, "pg-3", STRATUS_DB_ROLE_REPLICA, 2, -1, 0);
  check_member (db, 3, "pg-4", STRATUS_DB_ROLE_REPLICA, 0, -1, 0);
  check_member (db, 4, "pg-5", STRATUS_DB_ROLE_REPLICA, 2, -1, 0);
  stratus_scenario_free (s);
  const char *const bad[] = { "databases.pg.replica_azs=[us-east-1d]", NULL };
  GError *error = NULL;
  assert_null (stratus_scenario_load_string (flat, "t.yaml", bad, &error));
  assert_non_null (strstr (error->message, "--set:1:27: replica_azs: unknown AZ 'us-east-1d' "
                                           "(not in the scenario's azs); did you mean"));
  g_error_free (error);
}

/* In a VPC: members in the DB subnet group's subnets, by deployment. */
static void
test_members_in_vpc (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (in_vpc);
  const StratusDatabaseConfig *db = database (s, "app-db");
  assert_int_equal (db->subnets->len, 4);
  assert_int_equal (db->security_groups->len, 1);
  assert_string_equal (g_ptr_array_index (db->security_groups, 0), "db-sg");
  /* Writer in the first subnet; standbys in the first subnet of each of 1b and 1c (db-a2 is
   * in the writer's AZ). */
  assert_int_equal (db->members->len, 3);
  assert_string_equal (member_subnet (s, db, 0), "db-a");
  assert_string_equal (member_subnet (s, db, 1), "db-b");
  assert_string_equal (member_subnet (s, db, 2), "db-c");
  assert_int_equal (member (db, 0)->az, 0);
  assert_int_equal (member (db, 1)->az, 1);
  assert_int_equal (member (db, 2)->az, 2);
  assert_int_equal (member (db, 1)->role, STRATUS_DB_ROLE_CLUSTER_STANDBY);
  stratus_scenario_free (s);

  /* The writer's AZ chosen: the others are db-a, db-a2 (1a) and db-c. */
  const char *const in_b[] = { "databases.app-db.availability_zone=us-east-1b", NULL };
  s = load_ok_with (in_vpc, in_b);
  db = database (s, "app-db");
  assert_string_equal (member_subnet (s, db, 0), "db-b");
  assert_string_equal (member_subnet (s, db, 1), "db-a");
  assert_string_equal (member_subnet (s, db, 2), "db-c");
  stratus_scenario_free (s);

  /* multi_az_instance with replicas: the standby in db-b, replicas over db-b and db-c. */
  const char *const instance[] = { "databases.app-db.deployment=multi_az_instance",
                                   "databases.app-db.read_replicas=3", NULL };
  s = load_ok_with (in_vpc, instance);
  db = database (s, "app-db");
  assert_int_equal (db->members->len, 5);
  assert_int_equal (member (db, 1)->role, STRATUS_DB_ROLE_STANDBY);
  assert_string_equal (member_subnet (s, db, 1), "db-b");
  assert_string_equal (member_subnet (s, db, 2), "db-b");
  assert_string_equal (member_subnet (s, db, 3), "db-c");
  assert_string_equal (member_subnet (s, db, 4), "db-b");
  assert_int_equal (member (db, 4)->role, STRATUS_DB_ROLE_REPLICA);
  stratus_scenario_free (s);

  /* Aurora in the 1a subnets: readers round robin over the other AZs' subnets. */
  const char *const aurora[] = { "databases.app-db.engine=aurora-postgresql",
                                 "databases.app-db.deployment=aurora",
                                 "databases.app-db.readers=3",
                                 "databases.app-db.subnets=[db-b, db-a, db-a2]", NULL };
  s = load_ok_with (in_vpc, aurora);
  db = database (s, "app-db");
  assert_int_equal (db->port, 5432);
  assert_int_equal (db->max_connections, 901);
  assert_int_equal (db->members->len, 4);
  assert_string_equal (member_subnet (s, db, 0), "db-b");
  assert_string_equal (member_subnet (s, db, 1), "db-a");
  assert_string_equal (member_subnet (s, db, 2), "db-a2");
  assert_string_equal (member_subnet (s, db, 3), "db-a");
  for (guint i = 1; i < 4; i++)
    {
      assert_int_equal (member (db, i)->role, STRATUS_DB_ROLE_AURORA_READER);
      assert_int_equal (member (db, i)->promotion_tier, 1);
    }
  stratus_scenario_free (s);

  /* Single-AZ: one writer, the group still spans two AZs. */
  const char *const single[] = { "databases.app-db.deployment=single_az",
                                 "databases.app-db.subnets=[db-a2, db-b]", NULL };
  s = load_ok_with (in_vpc, single);
  db = database (s, "app-db");
  assert_int_equal (db->members->len, 1);
  assert_string_equal (member_subnet (s, db, 0), "db-a2");
  stratus_scenario_free (s);
}

/* A launch template's database reaches its group's fleet, resolved. */
static void
test_launch_template_database (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (with_group);
  const StratusDatabaseConfig *db = database (s, "orders");
  assert_int_equal (db->port, 5432);
  assert_int_equal (db->max_connections, 5000);
  assert_int_equal (db->members->len, 2);
  check_member (db, 1, "orders-2", STRATUS_DB_ROLE_AURORA_READER, 1, -1, 1);
  const StratusFleetConfig *f = fleet (s, "g");
  assert_non_null (f->asg);
  const StratusDbWorkConfig *w = &f->database;
  assert_true (w->enabled);
  assert_string_equal (w->database, "orders");
  assert_int_equal (w->index, 0);
  assert_float_equal (w->write_fraction, 0.5, 0);
  assert_int_equal (w->reads_from, STRATUS_DB_READS_INSTANCE);
  assert_int_equal (w->reads_member, 1);
  assert_int_equal (w->line, 11);
  assert_int_equal (w->column, 5);
  stratus_scenario_free (s);
}

/* A scenario without the section has an empty list. */
static void
test_without_section (void **state)
{
  (void) state;
  char *text = subst (with_group,
                      "    database: {name: orders, reads_from: orders-2, write_fraction: 0.5}\n",
                      "");
  char *text2 = subst (text, "databases:\n  orders:\n    engine: aurora-postgresql\n"
                       "    instance_class: db.r6g.2xlarge\n    readers: 1\n", "");
  StratusScenario *s = load_ok (text2);
  assert_non_null (s->databases);
  assert_int_equal (s->databases->len, 0);
  assert_false (fleet (s, "g")->database.enabled);
  stratus_scenario_free (s);
  g_free (text2);
  g_free (text);
}

/* ---- errors ------------------------------------------------------------------------- */

/* Errors in a database's own keys, each at its key or value. */
static void
test_database_key_errors (void **state)
{
  (void) state;
  expect_text_error (flat, "    instance_class: db.t3.micro\n", "    instance_clas: db.t3.micro\n",
                      "t.yaml:67:5: ", "unknown key 'instance_clas' in a database",
                      "did you mean 'instance_class'?");
  expect_text_error (flat, "    instance_class: db.t3.micro\n", "", "t.yaml:66:5: ",
                      "small: missing required key 'instance_class'");
  expect_text_error (flat, "    engine: mysql\n", "    engine: mysq\n", "t.yaml:66:13: ",
                      "engine: unknown value 'mysq'", "did you mean 'mysql'?");
  expect_text_error (flat, "db.t3.micro", "db.t3.mcro", "t.yaml:67:21: ",
                      "instance_class: unknown DB instance class 'db.t3.mcro'",
                      "did you mean 'db.t3.micro'?");
  expect_text_error (flat, "    engine: mysql\n", "    engine: aurora-mysql\n", "t.yaml:67:21: ",
                      "instance_class: Aurora does not offer db.t3.micro");
  expect_text_error (flat, "    engine: mysql\n", "    engine: mysql\n    deployment: aurora\n",
                      "t.yaml:67:17: ", "deployment: aurora needs an Aurora engine",
                      "found engine mysql");
  expect_text_error (flat, "    readers: 3\n", "    readers: 3\n    deployment: single_az\n",
                      "t.yaml:35:17: ", "deployment: an aurora-mysql database is an Aurora "
                      "cluster, whose deployment is aurora (found single_az)");
  expect_text_error (flat, "    engine: mysql\n", "    engine: mysql\n    readers: 1\n",
                      "t.yaml:67:5: ", "readers: only for aurora databases");
  expect_text_error (flat, "    readers: 3\n", "    readers: 3\n    read_replicas: 1\n",
                      "t.yaml:35:5: ", "read_replicas: an aurora database has readers");
  expect_text_error (flat, "    readers: 3\n", "    readers: 16\n", "t.yaml:34:14: ",
                      "readers: 16 is out of range (0 to 15)");
  expect_text_error (flat, "[2, 0, 15]", "[2, 0]", "t.yaml:35:29: ",
                      "reader_promotion_tiers: give one tier per reader (3), found 2");
  expect_text_error (flat, "[2, 0, 15]", "[2, 0, 16]", "t.yaml:35:36: ",
                      "reader_promotion_tiers: 16 is out of range (0 to 15)");
  expect_text_error (flat, "    read_replicas: 3\n", "    read_replicas: 6\n", "t.yaml:60:20: ",
                      "read_replicas: 6 is out of range (0 to 5)");
  expect_text_error (flat, "    apply_rate: 2000\n", "    apply_rate: 0\n", "t.yaml:61:17: ",
                      "apply_rate: must be above 0");
  expect_text_error (flat, "    max_connections: 500\n", "    max_connections: 0\n",
                      "t.yaml:38:22: ", "max_connections: 0 is out of range (1 to 100000)");
  expect_text_error (flat, "    storage: 100GiB\n", "    storage: 10GiB\n", "t.yaml:41:14: ",
                      "storage: must be between 20GiB and 64TiB");
  expect_text_error (flat, "    storage: 100GiB\n", "    storage: 65TiB\n", "t.yaml:41:14: ",
                      "storage: must be between 20GiB and 64TiB");
  expect_text_error (flat, "    aurora_lag: 50ms\n", "    aurora_lag: 11s\n", "t.yaml:43:17: ",
                      "aurora_lag: at most 10s");
  expect_text_error (flat, "\"22:30\"", "\"24:00\"", "t.yaml:49:20: ",
                      "backup_window: expected a time of day HH:MM");
  expect_text_error (flat, "    backup_retention: 0\n", "    backup_retention: 36\n",
                      "t.yaml:50:23: ", "backup_retention: 36 is out of range (0 to 35)");
  expect_text_error (flat, "      promotion_time: 15s\n", "      promotion: 15s\n",
                      "t.yaml:46:7: ", "unknown key 'promotion' in failover",
                      "did you mean 'promotion_time'?");
  expect_text_error (flat, "{base: 10m, per_gib: 5s}", "{base: 10m, per_gb: 5s}",
                      "t.yaml:48:31: ", "unknown key 'per_gb' in restore_time");
  expect_text_error (flat, "    availability_zone: us-east-1b\n",
                      "    availability_zone: us-east-1d\n", "t.yaml:36:24: ",
                      "availability_zone: unknown AZ 'us-east-1d'");
  expect_text_error (flat, "    engine: mysql\n", "    engine: mysql\n    subnets: [a, b]\n",
                      "t.yaml:67:5: ", "small: 'subnets' needs a vpc section");
  expect_text_error (flat, "    engine: mysql\n", "    engine: mysql\n    security_groups: [a]\n",
                      "t.yaml:67:5: ", "small: 'security_groups' needs a vpc section");
  expect_text_error (flat, "  small:\n", "  plain:\n", "t.yaml:65:3: ",
                      "'plain': an instances fleet already has this name (a database's members "
                      "and a fleet's instances are both named plain-1, plain-2, ...)");
  expect_text_error (with_group, "  orders:\n", "  g:\n", "t.yaml:22:3: ",
                      "'g': an Auto Scaling group already has this name");
  /* Without a vpc a cluster needs three AZs in the scenario. */
  const char *const two_azs[] = { "azs=[us-east-1a, us-east-1b]",
                                  "databases.small.deployment=multi_az_cluster", NULL };
  expect_override_error (flat, two_azs, "--set:1:28: ",
                         "small: a multi_az_cluster database needs 3 AZs; the scenario has 2 "
                         "(us-east-1a, us-east-1b)");
}

/* Errors in the DB subnet group and the writer's AZ, in a VPC. */
static void
test_subnet_group_errors (void **state)
{
  (void) state;
  expect_text_error (in_vpc, "[db-a, db-a2, db-b, db-c]", "[db-a, db-a2, db-b]",
                      "t.yaml:29:14: ", "subnets: the DB subnet group of a multi_az_cluster "
                      "database must span at least 3 AZs, as on AWS; its subnets are in 2 "
                      "(us-east-1a, us-east-1b)");
  expect_text_error (in_vpc,
                      "    deployment: multi_az_cluster\n    subnets: [db-a, db-a2, db-b, db-c]\n",
                      "    subnets: [db-a, db-a2]\n", "t.yaml:28:14: ",
                      "subnets: the DB subnet group of a single_az database must span at least "
                      "2 AZs", "its subnets are in 1 (us-east-1a)");
  expect_text_error (in_vpc, "    subnets: [db-a, db-a2, db-b, db-c]\n", "", "t.yaml:26:5: ",
                      "app-db: missing required key 'subnets' (in a VPC, a database is placed "
                      "in the subnets of its DB subnet group)");
  expect_text_error (in_vpc, "[db-a, db-a2, db-b, db-c]", "[db-a, db-a2, db-b, db-d]",
                      "t.yaml:29:34: ", "subnets: unknown subnet 'db-d'", "did you mean");
  expect_text_error (in_vpc, "    security_groups: [db-sg]\n", "    security_groups: [db-gs]\n",
                      "t.yaml:30:23: ", "security_groups: unknown security group 'db-gs'");
  expect_text_error (in_vpc, "    security_groups: [db-sg]\n",
                      "    security_groups: [db-sg]\n    availability_zone: us-east-1d\n",
                      "t.yaml:31:24: ", "availability_zone: no subnet of the DB subnet group of "
                      "app-db is in 'us-east-1d'");
}

/* Errors in `actions`: kinds the deployment cannot do, bad times, misplaced keys. */
static void
test_action_errors (void **state)
{
  (void) state;
  expect_text_error (flat, "    engine: mysql\n",
                      "    engine: mysql\n    actions: [{at: 1h, action: failover}]\n",
                      "t.yaml:67:32: ", "action: failover needs a standby, a cluster standby or "
                      "an Aurora reader", "database small cannot fail over: it is single_az");
  expect_text_error (flat, "    readers: 3\n    reader_promotion_tiers: [2, 0, 15]\n", "",
                      "t.yaml:51:27: ", "database app-db cannot fail over: it is aurora with no "
                      "readers");
  expect_text_error (flat, "    engine: mysql\n",
                      "    engine: mysql\n    actions: [{at: 1h, action: promote_replica}]\n",
                      "t.yaml:67:32: ", "action: promote_replica needs read replicas; database "
                      "small has none (set read_replicas)");
  expect_text_error (flat, "replica: pg-4}", "replica: pg-2}", "t.yaml:63:52: ",
                      "replica: 'pg-2' is not a read replica of pg (its replicas: pg-3, pg-4, "
                      "pg-5)");
  expect_text_error (flat, "{at: 5h, action: restore}", "{at: 6h, action: restore}",
                      "t.yaml:55:14: ", "at: 6h is not within the run (duration 6h)");
  expect_text_error (flat, "{at: 5h, action: restore}", "{at: 5h, action: restor}",
                      "t.yaml:55:26: ", "action: unknown value 'restor'",
                      "did you mean 'restore'?");
  expect_text_error (flat, "{at: 5h, action: restore}", "{action: restore}", "t.yaml:55:9: ",
                      "actions: missing required key 'at'");
  expect_text_error (flat, "{at: 2h, action: snapshot}",
                      "{at: 2h, action: snapshot, recover_after: 1m}", "t.yaml:54:36: ",
                      "recover_after: only for action fail_writer");
  expect_text_error (flat, "{at: 5h, action: restore}", "{at: 5h, action: restore, when: 1}",
                      "t.yaml:55:35: ", "unknown key 'when' in a database action");
}

/* Errors in a fleet's or a launch template's `database` key. */
static void
test_fleet_database_errors (void **state)
{
  (void) state;
  expect_text_error (flat, "      name: app-db\n", "      name: app-bd\n", "t.yaml:10:13: ",
                      "name: unknown database 'app-bd'", "did you mean 'app-db'?");
  expect_text_error (flat, "      name: app-db\n", "", "t.yaml:10:7: ",
                      "database: missing required key 'name'");
  expect_text_error (flat, "      on_failure: retry\n", "", "t.yaml:16:7: ",
                      "retries: only with on_failure: retry");
  expect_text_error (flat, "      on_failure: retry\n", "      on_failure: fail\n",
                      "t.yaml:17:7: ", "retries: only with on_failure: retry");
  expect_text_error (flat, "      retries: 3\n", "      retries: 11\n", "t.yaml:17:16: ",
                      "retries: 11 is out of range (1 to 10)");
  expect_text_error (flat, "      status: 502\n", "      status: 501\n", "t.yaml:19:15: ",
                      "status: 500 or 502, found 501");
  expect_text_error (flat, "      write_fraction: 0.1\n", "      write_fraction: 1.5\n",
                      "t.yaml:12:23: ", "write_fraction: must be between 0 and 1");
  expect_text_error (flat, "      pool: 20\n", "      pool: 0\n", "t.yaml:14:13: ",
                      "pool: 0 is out of range (1 to 10000)");
  expect_text_error (flat, "      queries: 2.5\n", "      queries: -1\n", "t.yaml:11:16: ",
                      "queries: must be >= 0");
  expect_text_error (flat, "      timeout: 2s\n", "      timeout: 0s\n", "t.yaml:15:16: ",
                      "timeout: must be > 0");
  expect_text_error (flat, "      pool: 20\n", "      pools: 20\n", "t.yaml:14:7: ",
                      "unknown key 'pools' in a fleet's database", "did you mean 'pool'?");
  expect_text_error (flat, "reads_from: pg-3}", "reads_from: pg-9}", "t.yaml:24:38: ",
                      "reads_from: 'pg-9' is neither writer, reader nor a member of database pg",
                      "did you mean 'pg-1'?");
  expect_text_error (flat, "reads_from: pg-3}", "reads_from: pg-2}", "t.yaml:24:38: ",
                      "reads_from: pg-2 is the standby of database pg (multi_az_instance), "
                      "which serves no reads");
  /* In a launch template, used by a group or not. */
  expect_text_error (with_group, "name: orders, reads", "name: order, reads", "t.yaml:11:22: ",
                      "name: unknown database 'order'", "did you mean 'orders'?");
  expect_text_error (with_group, "    service_time: 10ms\nauto", "    service_time: 10ms\n"
                      "    database: {name: ordres}\nauto", "t.yaml:15:22: ",
                      "name: unknown database 'ordres'", "did you mean 'orders'?");
  expect_text_error (with_group, "reads_from: orders-2,", "reads_from: orders-3,",
                      "t.yaml:11:42: ", "reads_from: 'orders-3' is neither writer, reader nor a "
                      "member of database orders");
  /* No databases at all. */
  expect_text_error (in_vpc, "    database: {name: app-db}\n",
                      "    database: {name: app-db}\n    unknown: 1\n", "t.yaml:24:5: ",
                      "unknown key 'unknown' in an instance fleet");
  expect_text_error (in_vpc, "databases:\n  app-db:\n    engine: mysql\n"
                      "    instance_class: db.m5.large\n    deployment: multi_az_cluster\n"
                      "    subnets: [db-a, db-a2, db-b, db-c]\n    security_groups: [db-sg]\n",
                      "", "t.yaml:23:22: ", "name: unknown database 'app-db' (the databases "
                      "section declares none)");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_catalog),
    cmocka_unit_test (test_defaults),
    cmocka_unit_test (test_defaults_by_engine_and_deployment),
    cmocka_unit_test (test_aurora_values),
    cmocka_unit_test (test_standby_and_replicas),
    cmocka_unit_test (test_cluster_without_vpc),
    cmocka_unit_test (test_replica_azs),
    cmocka_unit_test (test_members_in_vpc),
    cmocka_unit_test (test_launch_template_database),
    cmocka_unit_test (test_without_section),
    cmocka_unit_test (test_database_key_errors),
    cmocka_unit_test (test_subnet_group_errors),
    cmocka_unit_test (test_action_errors),
    cmocka_unit_test (test_fleet_database_errors),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
