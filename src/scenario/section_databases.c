/* The `databases` section (RDS): each StratusDatabaseConfig (engine, instance class, DB
 * subnet group, capacity, deployment, replication, failover and backup settings, scripted
 * actions) and its members (db_members.c); the link step resolves every fleet's
 * `database` key (db_work.c). */
#include <math.h>
#include <string.h>

#include "db_members.h"
#include "db_work.h"
#include "fleet.h"
#include "placement.h"
#include "section.h"
#include "stratus/db_instance_classes.h"
#include "stratus/units.h"

/* ---- names ------------------------------------------------------------------------ */

static const char *const engine_names[] = { "mysql", "postgres", "aurora-mysql",
                                            "aurora-postgresql", NULL };
static const char *const deployment_names[] = { "single_az", "multi_az_instance",
                                                "multi_az_cluster", "aurora", NULL };
static const char *const role_names[] = { "writer", "standby", "cluster_standby", "reader",
                                          "replica" };
static const char *const action_names[] = { "failover", "fail_writer", "promote_replica",
                                            "snapshot", "restore", NULL };

const char *
stratus_db_engine_name (StratusDbEngine engine)
{
  return (unsigned) engine < G_N_ELEMENTS (engine_names) - 1 ? engine_names[engine] : "?";
}

const char *
stratus_db_deployment_name (StratusDbDeployment deployment)
{
  return (unsigned) deployment < G_N_ELEMENTS (deployment_names) - 1
           ? deployment_names[deployment]
           : "?";
}

const char *
stratus_db_role_name (StratusDbRole role)
{
  return (unsigned) role < G_N_ELEMENTS (role_names) ? role_names[role] : "?";
}

bool
stratus_db_role_readable (StratusDbRole role)
{
  return role == STRATUS_DB_ROLE_WRITER || role == STRATUS_DB_ROLE_CLUSTER_STANDBY
         || role == STRATUS_DB_ROLE_AURORA_READER || role == STRATUS_DB_ROLE_REPLICA;
}

const StratusDatabaseConfig *
stratus_scenario_find_database (const StratusScenario *s, const char *name)
{
  for (guint i = 0; name != NULL && s->databases != NULL && i < s->databases->len; i++)
    {
      const StratusDatabaseConfig *db = g_ptr_array_index (s->databases, i);
      if (strcmp (db->name, name) == 0)
        return db;
    }
  return NULL;
}

/* True for the Aurora engines. */
static bool
engine_is_aurora (StratusDbEngine engine)
{
  return engine == STRATUS_DB_ENGINE_AURORA_MYSQL
         || engine == STRATUS_DB_ENGINE_AURORA_POSTGRESQL;
}

/* ---- one database ------------------------------------------------------------------ */

/* Frees a member's name (the members array's clear function). */
static void
member_clear (gpointer p)
{
  g_free (((StratusDbMemberConfig *) p)->name);
}

/* Frees a database and what it owns (a partial one too). */
static void
database_free (StratusDatabaseConfig *db)
{
  g_free (db->name);
  g_free (db->instance_class);
  g_clear_pointer (&db->subnets, g_ptr_array_unref);
  g_clear_pointer (&db->security_groups, g_ptr_array_unref);
  stratus_dist_clear (&db->read_time);
  stratus_dist_clear (&db->write_time);
  stratus_dist_clear (&db->detection_time);
  stratus_dist_clear (&db->promotion_time);
  g_clear_pointer (&db->actions, g_array_unref);
  g_clear_pointer (&db->members, g_array_unref);
  g_free (db);
}

/* Sets `d` to the exponential of mean `mean`. */
static void
dist_exponential (StratusDist *d, StratusTime mean)
{
  stratus_dist_init (d, STRATUS_DIST_EXPONENTIAL, (double) mean, -1, -1, NULL, 0, NULL);
}

/* Sets `d` to the uniform on [lo, hi] (lo < hi), exactly those bounds. */
static void
dist_uniform (StratusDist *d, StratusTime lo, StratusTime hi)
{
  double mean = ((double) lo + (double) hi) / 2;
  double cv = ((double) hi - (double) lo) / (sqrt (3.0) * ((double) lo + (double) hi));
  stratus_dist_init (d, STRATUS_DIST_UNIFORM, mean, cv, -1, NULL, 0, NULL);
  d->p1 = (double) lo;
  d->p2 = (double) hi;
}

/* The optional distribution `key` of `map` into `out`, which already holds its default
 * (replaced, and cleared, when the key is given). */
static bool
get_dist (FieldCtx *ctx, const YNode *map, const char *key, StratusDist *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    return true;
  stratus_dist_clear (out);
  memset (out, 0, sizeof *out);
  return field_parse_dist (ctx, v, key, out);
}

/* `engine` (required) and `instance_class` (required, from the catalog; an Aurora engine
 * needs a class Aurora offers), with the class's vCPUs and memory. */
static bool
parse_engine_class (FieldCtx *ctx, const YNode *key, const YNode *v, StratusDatabaseConfig *db)
{
  int engine;
  const YNode *e = field_require (ctx, v, "engine", key->value);
  if (e == NULL || !field_check_choice (ctx, e, "engine", engine_names, &engine))
    return false;
  db->engine = (StratusDbEngine) engine;
  const YNode *c = field_require (ctx, v, "instance_class", key->value);
  if (c == NULL || !field_expect_kind (ctx, c, YNODE_SCALAR, "instance_class"))
    return false;
  db->instance_class = g_strdup (c->value);
  const StratusDbInstanceClass *cls = stratus_db_instance_class_find (c->value);
  if (cls == NULL)
    {
      char *h = field_hint (c->value, stratus_db_instance_class_names ());
      field_fail_at (ctx, c, "instance_class: unknown DB instance class '%s'%s", c->value, h);
      g_free (h);
      return false;
    }
  if (engine_is_aurora (db->engine) && !cls->aurora)
    return field_fail_at (ctx, c, "instance_class: Aurora does not offer %s (engine %s); "
                          "choose db.t3.medium or larger", cls->name,
                          stratus_db_engine_name (db->engine));
  db->vcpus = cls->vcpus;
  db->memory_gib = cls->memory_gib;
  return true;
}

/* `deployment`: by default aurora for the Aurora engines, single_az for the others; aurora
 * only with them, and they take nothing else. */
static bool
parse_deployment (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  bool aurora = engine_is_aurora (db->engine);
  db->deployment = aurora ? STRATUS_DB_AURORA : STRATUS_DB_SINGLE_AZ;
  const YNode *d = ynode_map_get (v, "deployment");
  int index;
  if (d == NULL)
    return true;
  if (!field_check_choice (ctx, d, "deployment", deployment_names, &index))
    return false;
  db->deployment = (StratusDbDeployment) index;
  if (db->deployment == STRATUS_DB_AURORA && !aurora)
    return field_fail_at (ctx, d, "deployment: aurora needs an Aurora engine (aurora-mysql or "
                          "aurora-postgresql), found engine %s",
                          stratus_db_engine_name (db->engine));
  if (db->deployment != STRATUS_DB_AURORA && aurora)
    return field_fail_at (ctx, d, "deployment: an %s database is an Aurora cluster, whose "
                          "deployment is aurora (found %s)", stratus_db_engine_name (db->engine),
                          d->value);
  return true;
}

/* Fails at the key `key` of `v`, if present, with "KEY: WHY". */
static bool
refuse_key (FieldCtx *ctx, const YNode *v, const char *key, const char *why)
{
  const YNode *k = field_key_node (v, key);
  return k == NULL || field_fail_at (ctx, k, "%s: %s", key, why);
}

/* `storage`: a size between 20 GiB and 64 TiB (default 20 GiB). */
static bool
parse_storage (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  const uint64_t gib = UINT64_C (1) << 30;
  db->storage_bytes = 20 * gib;
  const YNode *st = ynode_map_get (v, "storage");
  if (st == NULL)
    return true;
  if (!field_expect_kind (ctx, st, YNODE_SCALAR, "storage"))
    return false;
  GError *inner = NULL;
  if (!stratus_parse_size (st->value, &db->storage_bytes, &inner))
    return field_fail_wrapped (ctx, st, "storage", inner);
  if (db->storage_bytes < 20 * gib || db->storage_bytes > 64 * 1024 * gib)
    return field_fail_at (ctx, st, "storage: must be between 20GiB and 64TiB, as on AWS, found "
                          "'%s'", st->value);
  return true;
}

/* `apply_rate`: writes per second, a number ("5000") or a rate ("5k/s"), > 0. */
static bool
parse_apply_rate (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  db->apply_rate = 5000;
  const YNode *r = ynode_map_get (v, "apply_rate");
  if (r == NULL)
    return true;
  if (!field_expect_kind (ctx, r, YNODE_SCALAR, "apply_rate"))
    return false;
  if (strchr (r->value, '/') != NULL)
    {
      if (!field_parse_rate_node (ctx, r, "apply_rate", &db->apply_rate))
        return false;
    }
  else if (!field_get_number (ctx, v, "apply_rate", 5000, 0, &db->apply_rate))
    return false;
  if (!(db->apply_rate > 0) || db->apply_rate > STRATUS_RATE_MAX)
    return field_fail_at (ctx, r, "apply_rate: must be above 0 and at most 10M writes per "
                          "second, found '%s'", r->value);
  return true;
}

/* `readers` and `reader_promotion_tiers` (Aurora: 0-15 readers, one tier 0-15 each,
 * default 1), `read_replicas` (mysql and postgres with single_az or multi_az_instance: 0-5;
 * an explicit 0 of readers or replicas is accepted anywhere),
 * `apply_rate` and `aurora_lag` (0-10 s, 20 ms). The tiers go to `tiers`. */
static bool
parse_replication (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db, GArray *tiers)
{
  bool aurora = db->deployment == STRATUS_DB_AURORA;
  if (!field_get_int (ctx, v, "readers", 0, 0, 15, &db->readers)
      || !field_get_int (ctx, v, "read_replicas", 0, 0, 5, &db->replicas))
    return false;
  if ((!aurora && db->readers > 0
       && !refuse_key (ctx, v, "readers", "only for aurora databases (use read_replicas)"))
      || (!aurora && !refuse_key (ctx, v, "reader_promotion_tiers", "only for aurora databases"))
      || (aurora && db->replicas > 0
          && !refuse_key (ctx, v, "read_replicas", "an aurora database has readers (readers), "
                          "not read replicas"))
      || (db->deployment == STRATUS_DB_MULTI_AZ_CLUSTER && db->replicas > 0
          && !refuse_key (ctx, v, "read_replicas", "only with single_az or multi_az_instance")))
    return false;
  const YNode *t = ynode_map_get (v, "reader_promotion_tiers");
  if (t == NULL)
    for (int i = 0; i < db->readers; i++)
      {
        int one = 1;
        g_array_append_val (tiers, one);
      }
  else
    {
      if (!field_expect_kind (ctx, t, YNODE_SEQ, "reader_promotion_tiers"))
        return false;
      if ((int) ynode_length (t) != db->readers)
        return field_fail_at (ctx, t, "reader_promotion_tiers: give one tier per reader (%d), "
                              "found %u", db->readers, ynode_length (t));
      for (guint i = 0; i < ynode_length (t); i++)
        {
          int64_t tier;
          if (!field_parse_int64_node (ctx, ynode_item (t, i), "reader_promotion_tiers", 0, 15,
                                       &tier))
            return false;
          int value = (int) tier;
          g_array_append_val (tiers, value);
        }
    }
  if (!parse_apply_rate (ctx, v, db)
      || !field_get_duration (ctx, v, "aurora_lag", 20 * STRATUS_MS, false, &db->aurora_lag))
    return false;
  if (db->aurora_lag > 10 * STRATUS_SECOND)
    return field_fail_at (ctx, ynode_map_get (v, "aurora_lag"), "aurora_lag: at most 10s");
  return true;
}

/* `failover: {detection_time, promotion_time}`: distributions, by default AWS's typical
 * times for the deployment. */
static bool
parse_failover (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  static const char *const keys[] = { "detection_time", "promotion_time", NULL };
  switch (db->deployment)
    {
    case STRATUS_DB_MULTI_AZ_CLUSTER:
      dist_uniform (&db->detection_time, 5 * STRATUS_SECOND, 10 * STRATUS_SECOND);
      dist_uniform (&db->promotion_time, 10 * STRATUS_SECOND, 25 * STRATUS_SECOND);
      break;
    case STRATUS_DB_AURORA:
      dist_uniform (&db->detection_time, 5 * STRATUS_SECOND, 10 * STRATUS_SECOND);
      dist_uniform (&db->promotion_time, 10 * STRATUS_SECOND, 20 * STRATUS_SECOND);
      break;
    case STRATUS_DB_SINGLE_AZ:
    case STRATUS_DB_MULTI_AZ_INSTANCE:
      dist_uniform (&db->detection_time, 10 * STRATUS_SECOND, 30 * STRATUS_SECOND);
      dist_uniform (&db->promotion_time, 50 * STRATUS_SECOND, 90 * STRATUS_SECOND);
      break;
    }
  const YNode *f = ynode_map_get (v, "failover");
  if (f == NULL)
    return true;
  return field_expect_kind (ctx, f, YNODE_MAP, "failover")
         && field_check_keys (ctx, f, keys, "failover")
         && get_dist (ctx, f, "detection_time", &db->detection_time)
         && get_dist (ctx, f, "promotion_time", &db->promotion_time);
}

/* `backup_window`: a time of day "HH:MM" (UTC), default 03:00. */
static bool
parse_backup_window (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  db->backup_window = 3 * STRATUS_HOUR;
  const YNode *b = ynode_map_get (v, "backup_window");
  if (b == NULL)
    return true;
  if (!field_expect_kind (ctx, b, YNODE_SCALAR, "backup_window"))
    return false;
  const char *t = b->value;
  size_t n = strlen (t);
  bool shape = (n == 5 && g_ascii_isdigit (t[0]) && g_ascii_isdigit (t[1]) && t[2] == ':'
                && g_ascii_isdigit (t[3]) && g_ascii_isdigit (t[4]));
  int h = shape ? (t[0] - '0') * 10 + (t[1] - '0') : -1;
  int m = shape ? (t[3] - '0') * 10 + (t[4] - '0') : -1;
  if (!shape || h > 23 || m > 59)
    return field_fail_at (ctx, b, "backup_window: expected a time of day HH:MM (UTC), such as "
                          "\"03:00\", found '%s'", t);
  db->backup_window = h * STRATUS_HOUR + m * STRATUS_MINUTE;
  return true;
}

/* `restore_time: {base, per_gib}` (5 min and 10 s), `dns_ttl` (5 s), `backup_window` and
 * `backup_retention` (0-35 days, 7). */
static bool
parse_recovery (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  static const char *const keys[] = { "base", "per_gib", NULL };
  db->restore_base = 5 * STRATUS_MINUTE;
  db->restore_per_gib = 10 * STRATUS_SECOND;
  const YNode *r = ynode_map_get (v, "restore_time");
  if (r != NULL
      && (!field_expect_kind (ctx, r, YNODE_MAP, "restore_time")
          || !field_check_keys (ctx, r, keys, "restore_time")
          || !field_get_duration (ctx, r, "base", db->restore_base, false, &db->restore_base)
          || !field_get_duration (ctx, r, "per_gib", db->restore_per_gib, false,
                                  &db->restore_per_gib)))
    return false;
  return field_get_duration (ctx, v, "dns_ttl", 5 * STRATUS_SECOND, false, &db->dns_ttl)
         && parse_backup_window (ctx, v, db)
         && field_get_int (ctx, v, "backup_retention", 7, 0, 35, &db->backup_retention_days);
}

/* `port` (by engine), `max_connections` (by class), the two work distributions and the
 * storage keys. */
static bool
parse_capacity (FieldCtx *ctx, const YNode *v, StratusDatabaseConfig *db)
{
  bool mysql = db->engine == STRATUS_DB_ENGINE_MYSQL
               || db->engine == STRATUS_DB_ENGINE_AURORA_MYSQL;
  int max = stratus_db_default_max_connections (db->engine, db->memory_gib);
  dist_exponential (&db->read_time, 1 * STRATUS_MS);
  dist_exponential (&db->write_time, 3 * STRATUS_MS);
  return field_get_port (ctx, v, "port", mysql ? 3306 : 5432, &db->port)
         && field_get_int (ctx, v, "max_connections", max, 1, 100000, &db->max_connections)
         && get_dist (ctx, v, "read_time", &db->read_time)
         && get_dist (ctx, v, "write_time", &db->write_time) && parse_storage (ctx, v, db)
         && field_get_size (ctx, v, "growth_per_write", 1024, &db->growth_per_write);
}

/* ---- actions ------------------------------------------------------------------------ */

/* The reason `db` cannot fail over, or NULL when it can (it has a standby, cluster
 * standbys or an Aurora reader). */
static const char *
no_failover_target (const StratusDatabaseConfig *db)
{
  switch (db->deployment)
    {
    case STRATUS_DB_SINGLE_AZ:
      return "it is single_az, with no standby (use multi_az_instance, multi_az_cluster or "
             "promote_replica)";
    case STRATUS_DB_AURORA:
      return db->readers == 0 ? "it is aurora with no readers (set readers)" : NULL;
    default:
      return NULL;
    }
}

/* `replica` of a promote_replica action (the first replica by default): a member of `db`
 * that is a read replica. */
static bool
parse_replica (FieldCtx *ctx, const YNode *item, const YNode *kind,
               const StratusDatabaseConfig *db, StratusDbActionConfig *a)
{
  if (db->replicas == 0)
    return field_fail_at (ctx, kind, "action: promote_replica needs read replicas; database "
                          "%s has none (set read_replicas)", db->name);
  const YNode *r = ynode_map_get (item, "replica");
  if (r != NULL && !field_expect_kind (ctx, r, YNODE_SCALAR, "replica"))
    return false;
  for (guint i = 0; i < db->members->len; i++)
    {
      const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, i);
      if (m->role != STRATUS_DB_ROLE_REPLICA)
        continue;
      if (r == NULL || strcmp (m->name, r->value) == 0)
        {
          a->member = (int) i;
          return true;
        }
    }
  GPtrArray *known = g_ptr_array_new ();
  for (guint i = 0; i < db->members->len; i++)
    {
      const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, i);
      if (m->role == STRATUS_DB_ROLE_REPLICA)
        g_ptr_array_add (known, m->name);
    }
  g_ptr_array_add (known, NULL);
  char *list = g_strjoinv (", ", (char **) known->pdata);
  field_fail_at (ctx, r, "replica: '%s' is not a read replica of %s (its replicas: %s)",
                 r->value, db->name, list);
  g_free (list);
  g_ptr_array_unref (known);
  return false;
}

/* One action (a mapping `item` of `actions`) into `a`. */
static bool
parse_action (FieldCtx *ctx, const StratusScenario *s, const YNode *item,
              const StratusDatabaseConfig *db, StratusDbActionConfig *a)
{
  static const char *const keys[] = { "at", "action", "recover_after", "replica", NULL };
  *a = (StratusDbActionConfig){ .recover_after = STRATUS_TIME_NEVER, .member = -1,
                                .line = item->line, .column = item->column };
  if (!field_expect_kind (ctx, item, YNODE_MAP, "actions")
      || !field_check_keys (ctx, item, keys, "a database action"))
    return false;
  const YNode *at = field_require (ctx, item, "at", "actions");
  const YNode *kind = at != NULL ? field_require (ctx, item, "action", "actions") : NULL;
  int index;
  if (kind == NULL || !field_parse_duration_node (ctx, at, "at", false, &a->at)
      || !field_check_choice (ctx, kind, "action", action_names, &index))
    return false;
  if (a->at >= s->duration)
    {
      char *d = stratus_format_duration (s->duration);
      field_fail_at (ctx, at, "at: %s is not within the run (duration %s)", at->value, d);
      g_free (d);
      return false;
    }
  a->kind = (StratusDbActionKind) index;
  if ((a->kind != STRATUS_DB_ACTION_FAIL_WRITER
       && !refuse_key (ctx, item, "recover_after", "only for action fail_writer"))
      || (a->kind != STRATUS_DB_ACTION_PROMOTE_REPLICA
          && !refuse_key (ctx, item, "replica", "only for action promote_replica")))
    return false;
  if (a->kind == STRATUS_DB_ACTION_FAILOVER && no_failover_target (db) != NULL)
    return field_fail_at (ctx, kind, "action: failover needs a standby, a cluster standby or "
                          "an Aurora reader; database %s cannot fail over: %s", db->name,
                          no_failover_target (db));
  if (a->kind == STRATUS_DB_ACTION_PROMOTE_REPLICA)
    return parse_replica (ctx, item, kind, db, a);
  if (a->kind == STRATUS_DB_ACTION_FAIL_WRITER)
    return field_get_duration (ctx, item, "recover_after", STRATUS_TIME_NEVER, false,
                               &a->recover_after);
  return true;
}

/* Orders actions by `at` (g_array_sort is stable). */
static gint
action_cmp (gconstpointer a, gconstpointer b)
{
  StratusTime x = ((const StratusDbActionConfig *) a)->at;
  StratusTime y = ((const StratusDbActionConfig *) b)->at;
  return x < y ? -1 : x > y;
}

/* `actions`: a list (absent = none), sorted by `at`. Needs the members. */
static bool
parse_actions (FieldCtx *ctx, const StratusScenario *s, const YNode *v,
               StratusDatabaseConfig *db)
{
  const YNode *list = ynode_map_get (v, "actions");
  if (list == NULL)
    return true;
  if (!field_expect_kind (ctx, list, YNODE_SEQ, "actions"))
    return false;
  for (guint i = 0; i < ynode_length (list); i++)
    {
      StratusDbActionConfig a;
      if (!parse_action (ctx, s, ynode_item (list, i), db, &a))
        return false;
      g_array_append_val (db->actions, a);
    }
  g_array_sort (db->actions, action_cmp);
  return true;
}

/* ---- the section -------------------------------------------------------------------- */

/* The subnet group and security groups against the VPC (placement.c's checks, with the
 * AZ span of db_members.c), at parse time: the members' places need them. */
static bool
check_placement (FieldCtx *ctx, const StratusScenario *s, const YNode *v,
                 const StratusDatabaseConfig *db)
{
  PlacedResource r = {
    .name = db->name,
    .subnets = db->subnets,
    .security_groups = db->security_groups,
    .takes_public_ip = false,
    .why_subnets = "in a VPC, a database is placed in the subnets of its DB subnet group",
    .check_subnets = db_members_check_subnets,
    .resource = db,
  };
  return placement_check (ctx, s->vpc, v, &r);
}

/* `key` names no `instances` fleet or Auto Scaling group of `root`: members and instances
 * are both named NAME-1, NAME-2, ..., so the names must differ. */
static bool
check_unique_name (FieldCtx *ctx, const YNode *key, const YNode *root)
{
  static const char *const sections[] = { "instances", "auto_scaling_groups" };
  for (size_t i = 0; i < G_N_ELEMENTS (sections); i++)
    if (ynode_map_get (ynode_map_get (root, sections[i]), key->value) != NULL)
      return field_fail_at (ctx, key, "'%s': %s already has this name (a database's members "
                            "and a fleet's instances are both named %s-1, %s-2, ...)",
                            key->value, i == 0 ? "an instances fleet" : "an Auto Scaling group",
                            key->value, key->value);
  return true;
}

/* What parse_database needs besides the database's own mapping. */
typedef struct
{
  const StratusScenario *s;
  const YNode *root;
} DatabaseContext;

/* One database (databases.NAME) into the zeroed `out`; `user_data` is a DatabaseContext. */
static bool
parse_database (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = {
    "engine", "instance_class", "availability_zone", "subnets", "security_groups", "port",
    "max_connections", "read_time", "write_time", "storage", "growth_per_write",
    "deployment", "readers", "reader_promotion_tiers", "read_replicas", "replica_azs",
    "apply_rate",
    "aurora_lag", "failover", "dns_ttl", "restore_time", "backup_window",
    "backup_retention", "actions", NULL,
  };
  const DatabaseContext *dc = user_data;
  const StratusScenario *s = dc->s;
  StratusDatabaseConfig *db = out;
  db->name = g_strdup (key->value);
  db->line = key->line;
  db->column = key->column;
  db->subnets = g_ptr_array_new_with_free_func (g_free);
  db->security_groups = g_ptr_array_new_with_free_func (g_free);
  db->actions = g_array_new (FALSE, TRUE, sizeof (StratusDbActionConfig));
  db->members = g_array_new (FALSE, TRUE, sizeof (StratusDbMemberConfig));
  g_array_set_clear_func (db->members, member_clear);
  if (!field_check_name (ctx, key) || !check_unique_name (ctx, key, dc->root)
      || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a database"))
    return false;
  GArray *tiers = g_array_new (FALSE, FALSE, sizeof (int));
  bool ok = parse_engine_class (ctx, key, v, db) && parse_deployment (ctx, v, db)
            && field_get_name_list (ctx, v, "subnets", db->subnets)
            && field_get_name_list (ctx, v, "security_groups", db->security_groups)
            && parse_capacity (ctx, v, db) && parse_replication (ctx, v, db, tiers)
            && parse_failover (ctx, v, db) && parse_recovery (ctx, v, db)
            && check_placement (ctx, s, v, db)
            && db_members_place (ctx, s, key, v, tiers, db) && parse_actions (ctx, s, v, db);
  g_array_unref (tiers);
  return ok;
}

/* parse: s->databases, in file order, with their members. Needs s->vpc, s->azs and
 * s->duration. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->databases = g_ptr_array_new_with_free_func ((GDestroyNotify) database_free);
  DatabaseContext dc = { s, root };
  return field_parse_named (ctx, root, "databases", sizeof (StratusDatabaseConfig),
                            parse_database, &dc, s->databases);
}

/* link: every fleet's `database` key (instances and Auto Scaling groups), then every
 * launch template's, so that a template no group uses is checked too. */
static bool
section_link (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  for (guint i = 0; i < s->fleets->len; i++)
    {
      StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      if (!db_work_link (ctx, s, fleet_instance_node (root, s, i), &f->database))
        return false;
    }
  const YNode *templates = ynode_map_get (root, "launch_templates");
  for (guint i = 0; i < s->launch_templates->len; i++)
    {
      const YNode *lt = ynode_item (templates, i);
      StratusDbWorkConfig w;
      bool ok = db_work_parse (ctx, lt, &w) && db_work_link (ctx, s, lt, &w);
      db_work_clear (&w);
      if (!ok)
        return false;
    }
  return true;
}

/* free: s->databases. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->databases, g_ptr_array_unref);
}

/* The `databases` row. */
const ScenarioSection section_databases = {
  .key = "databases",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .link = section_link,
  .free = section_free,
};
