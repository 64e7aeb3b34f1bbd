/* The world's databases: members and their roles, the endpoints' DNS records, failures,
 * failovers (detection, promotion, the DNS flip), replica promotion, restores, and the
 * scenario's actions. See database.h; replication and snapshots are in db_replication.c,
 * the queries in db_client.c. */
#include <math.h>
#include <string.h>

#include "database.h"
#include "fault_detection.h"
#include "stratus/db_instance_classes.h"
#include "stratus/rng.h"

/* ---- building ---------------------------------------------------------------------------- */

/* A new database for config `index` of the scenario, every member up in its role. */
static Database *
database_new (World *w, unsigned index)
{
  const StratusDatabaseConfig *cfg = g_ptr_array_index (w->scenario->databases, index);
  Database *db = g_new0 (Database, 1);
  db->config = cfg;
  db->index = index;
  db->n_members = cfg->members->len;
  db->members = g_new0 (DbMember, db->n_members);
  db->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) db_client_free);
  db->snapshots = g_array_new (FALSE, FALSE, sizeof (Snapshot));
  char *source = g_strdup_printf ("database.%s.failover", cfg->name);
  db->rng = stratus_rng_stream_new (w->seed, w->replication, source);
  g_free (source);
  StratusTime now = stratus_sim_now (w->sim);
  for (unsigned k = 0; k < db->n_members; k++)
    {
      DbMember *m = &db->members[k];
      m->db = db;
      m->index = k;
      m->config = &g_array_index (cfg->members, StratusDbMemberConfig, k);
      m->endpoint = stratus_topology_db_member (w->topology, index, k);
      m->role = m->config->role;
      m->up = true;
      station_init (&m->station, cfg->vcpus, -1, now);
      m->serving = g_new0 (DbExec *, (gsize) cfg->vcpus);
      m->serving_timers = g_new0 (StratusTimer, (gsize) cfg->vcpus);
      char *queries = g_strdup_printf ("database.%s.queries", m->config->name);
      m->rng = stratus_rng_stream_new (w->seed, w->replication, queries);
      g_free (queries);
      stratus_time_average_reset (&m->connections_avg, now);
      m->backlog_at = now;
    }
  db->writer = 0;
  db->writer_record = 0;
  db->no_writer_since = STRATUS_TIME_NEVER;
  db->data_bytes = cfg->storage_bytes;
  db->last_write_at = STRATUS_TIME_NEVER;
  db->result.name = g_strdup (cfg->name);
  db->result.engine = cfg->engine;
  db->result.deployment = cfg->deployment;
  db->result.instance_class = g_strdup (cfg->instance_class);
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    db->result.latency[e] = stratus_histogram_new ();
  db->result.failover_log = g_array_new (FALSE, FALSE, sizeof (StratusFailoverRecord));
  db->row_latency = stratus_histogram_new ();
  return db;
}

/* Frees `db` and what it owns (its clients included). */
static void
database_free (Database *db)
{
  for (unsigned k = 0; k < db->n_members; k++)
    {
      DbMember *m = &db->members[k];
      g_free (m->serving);
      g_free (m->serving_timers);
      gsl_rng_free (m->rng);
    }
  g_free (db->members);
  g_ptr_array_unref (db->clients);
  g_array_unref (db->snapshots);
  gsl_rng_free (db->rng);
  stratus_database_result_clear (&db->result);
  stratus_histogram_free (db->row_latency);
  g_free (db);
}

void
databases_free (World *w)
{
  g_clear_pointer (&w->databases, g_ptr_array_unref);
}

/* ---- endpoints ----------------------------------------------------------------------------- */

/* True for a member the reader endpoint names: readable, not the writer, up. */
static bool
reader_candidate (const Database *db, const DbMember *m)
{
  return m->up && !m->detached && (int) m->index != db->writer
         && m->role != STRATUS_DB_ROLE_WRITER && stratus_db_role_readable (m->role);
}

int
database_resolve (World *w, DbClient *c, StratusDbEndpoint endpoint, int member)
{
  if (endpoint == STRATUS_DB_ENDPOINT_INSTANCE)
    return member;
  StratusTime now = stratus_sim_now (w->sim);
  if (c->cached[endpoint] >= 0 && now < c->cached_until[endpoint])
    return c->cached[endpoint];
  Database *db = c->db;
  int answer = db->writer_record;
  if (endpoint == STRATUS_DB_ENDPOINT_READER)
    for (unsigned k = 0; k < db->n_members; k++)
      {
        unsigned i = (db->reader_next + k) % db->n_members;
        if (reader_candidate (db, &db->members[i]))
          {
            answer = (int) i;
            db->reader_next = i + 1;
            break;
          }
      }
  c->cached[endpoint] = answer;
  c->cached_until[endpoint] = stratus_time_add (now, db->config->dns_ttl);
  return answer;
}

/* ---- writer, downtime ------------------------------------------------------------------------ */

static void advance_replicas (Database *db, StratusTime now);

/* The database has a writer again (`m`) at `now`: downtime stops counting. */
static void
writer_is (World *w, Database *db, DbMember *m)
{
  StratusTime now = stratus_sim_now (w->sim);
  if (db->writer < 0)
    advance_replicas (db, now);
  if (db->writer < 0 && db->no_writer_since != STRATUS_TIME_NEVER)
    {
      StratusTime from = MAX (db->no_writer_since, w->scenario->warmup);
      if (now > from)
        db->result.downtime += now - from;
    }
  db->no_writer_since = STRATUS_TIME_NEVER;
  db->writer = (int) m->index;
  m->role = STRATUS_DB_ROLE_WRITER;
  if (db->writer_record != (int) m->index)
    {
      db->writer_record = (int) m->index;
      timeline_database (w, STRATUS_EVENT_DNS_CHANGE, db, m, NAN,
                         "the writer endpoint now names %s (TTL %.0f s)", m->config->name,
                         stratus_time_seconds (db->config->dns_ttl));
    }
}

/* Brings every replica's backlog up to `now` (before the writer changes). */
static void
advance_replicas (Database *db, StratusTime now)
{
  for (unsigned k = 0; k < db->n_members; k++)
    replication_advance (db, &db->members[k], now);
}

/* The database loses its writer now. */
static void
writer_gone (World *w, Database *db)
{
  advance_replicas (db, stratus_sim_now (w->sim));
  db->writer = -1;
  db->no_writer_since = stratus_sim_now (w->sim);
}

/* The member a failover promotes now: the standby, the first cluster standby, or the
 * Aurora reader of the lowest promotion tier (then the first); -1 if none is up. */
static int
failover_candidate (const Database *db)
{
  int best = -1;
  for (unsigned k = 0; k < db->n_members; k++)
    {
      const DbMember *m = &db->members[k];
      if (!m->up || m->detached)
        continue;
      bool eligible = m->role == STRATUS_DB_ROLE_STANDBY
                      || m->role == STRATUS_DB_ROLE_CLUSTER_STANDBY
                      || m->role == STRATUS_DB_ROLE_AURORA_READER;
      if (!eligible)
        continue;
      if (best < 0 || m->config->promotion_tier < db->members[best].config->promotion_tier)
        best = (int) k;
    }
  return best;
}

/* True if the deployment fails over on its own (it has a standby or Aurora readers). */
static bool
has_failover (const Database *db)
{
  for (unsigned k = 0; k < db->n_members; k++)
    {
      StratusDbRole r = db->members[k].role;
      if (!db->members[k].detached
          && (r == STRATUS_DB_ROLE_STANDBY || r == STRATUS_DB_ROLE_CLUSTER_STANDBY
              || r == STRATUS_DB_ROLE_AURORA_READER))
        return true;
    }
  return false;
}

/* Cuts off the work of member `m` (queued and on its vCPUs): the clients hear a reset. */
static void
cut_member_work (World *w, DbMember *m)
{
  StratusTime now = stratus_sim_now (w->sim);
  while (m->n_serving > 0)
    {
      DbExec *e = m->serving[m->n_serving - 1];
      stratus_sim_cancel (w->sim, m->serving_timers[m->n_serving - 1]);
      m->n_serving--;
      e->slot = -1;
      db_client_attempt_failed (w, e, STRATUS_QUERY_FAIL_RESET);
    }
  StationItem *queued;
  while ((queued = station_take_queued (&m->station, now)) != NULL)
    db_client_attempt_failed (w, (DbExec *) queued, STRATUS_QUERY_FAIL_RESET);
  station_close (&m->station, now);
}

/* Takes member `m` down now: its work is reset, its connections are gone. */
static void
take_down (World *w, Database *db, DbMember *m)
{
  StratusTime now = stratus_sim_now (w->sim);
  replication_advance (db, m, now);
  m->up = false;
  m->epoch++;
  cut_member_work (w, m);
  db_clients_member_reset (w, db, m);
  m->connections = 0;
  stratus_time_average_set (&m->connections_avg, now, 0);
}

static void on_failover_detected (StratusSim *sim, void *target, uint64_t arg);
static void on_failover_promoted (StratusSim *sim, void *target, uint64_t arg);

/* The scope of what happens to `db` through its member `member` (its AZ; -1: none). */
static FaultScope
scope_of (const Database *db, int member)
{
  return (FaultScope){ member >= 0 ? db->members[member].config->az : -1, -1,
                       (int) db->index };
}

/* Starts a failover away from member `from`, detected after `detection`. */
static void
start_failover (World *w, Database *db, int from, StratusTime detection, bool manual)
{
  StratusTime now = stratus_sim_now (w->sim);
  db->failing_over = true;
  db->pending = (StratusFailoverRecord){ .failed = now, .from = from, .to = -1,
                                         .manual = manual };
  db->failover_timer = stratus_sim_schedule (w->sim, detection, on_failover_detected, db, 0);
}

/* The failure is detected: promotion begins. */
static void
on_failover_detected (StratusSim *sim, void *target, uint64_t arg)
{
  Database *db = target;
  db->pending.detected = stratus_sim_now (sim);
  fault_detection_note (world_of (sim), NOTICE_DB_FAILURE, scope_of (db, db->pending.from),
                        "%s's failure detection: failover begins", db->config->name);
  StratusTime promotion = stratus_dist_sample_time (&db->config->promotion_time, db->rng);
  db->failover_timer = stratus_sim_schedule (sim, promotion, on_failover_promoted, db, 0);
}

/* Promotion is over: the best candidate becomes the writer, the DNS record flips; the
 * old writer takes the candidate's place (and comes back now after a manual failover). */
static void
on_failover_promoted (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Database *db = target;
  db->failing_over = false;
  int to = failover_candidate (db);
  if (to < 0)
    {
      timeline_database (w, STRATUS_EVENT_FAILOVER, db, NULL, NAN,
                         "failover found no standby or reader up: no writer until one "
                         "recovers");
      /* The old writer is the writer again once it is up (a reboot is over now). */
      DbMember *from = db->pending.from >= 0 ? &db->members[db->pending.from] : NULL;
      if (from != NULL && (from->down & DOWN_REBOOT))
        database_member_clear (w, db, from, DOWN_REBOOT);
      else if (from != NULL && from->up && from->role == STRATUS_DB_ROLE_WRITER)
        writer_is (w, db, from);
      return;
    }
  StratusTime now = stratus_sim_now (sim);
  DbMember *new_writer = &db->members[to];
  DbMember *old = db->pending.from >= 0 ? &db->members[db->pending.from] : NULL;
  StratusDbRole taken = new_writer->role;
  if (old != NULL && old != new_writer)
    old->role = taken;
  replication_advance (db, new_writer, now);
  new_writer->backlog = 0;
  timeline_database (w, STRATUS_EVENT_PROMOTION, db, new_writer, NAN,
                     "%s (%s) promoted to writer", new_writer->config->name,
                     stratus_db_role_name (taken));
  writer_is (w, db, new_writer);
  db->pending.completed = now;
  db->pending.to = to;
  g_array_append_val (db->result.failover_log, db->pending);
  db->result.failovers++;
  double total = stratus_time_seconds (now - db->pending.failed);
  timeline_database (w, STRATUS_EVENT_FAILOVER, db, new_writer, total,
                     "%s failover: detection %.1f s, total %.1f s, %s -> %s",
                     db->pending.manual ? "manual" : "automatic",
                     stratus_time_seconds (db->pending.detected - db->pending.failed), total,
                     old != NULL ? old->config->name : "?", new_writer->config->name);
  if (old != NULL && (old->down & DOWN_REBOOT))
    database_member_clear (w, db, old, DOWN_REBOOT);
}

/* ---- failures and recoveries ---------------------------------------------------------------- */

/* A database with no writer, no failover and no restore under way gets one again: a
 * member up in the writer's role takes it back, or else a standby or reader is promoted
 * (detected at once: the failure is long known). */
static void
resume_writer (World *w, Database *db)
{
  if (db->writer >= 0 || db->failing_over || db->restoring)
    return;
  for (unsigned k = 0; k < db->n_members; k++)
    if (db->members[k].up && db->members[k].role == STRATUS_DB_ROLE_WRITER)
      {
        writer_is (w, db, &db->members[k]);
        return;
      }
  if (failover_candidate (db) >= 0)
    start_failover (w, db, db->writer_record, 0, false);
}

/* The recovery timer of a failed instance. */
static void
on_member_recover (StratusSim *sim, void *target, uint64_t arg)
{
  DbMember *m = target;
  database_member_clear (world_of (sim), m->db, m, DOWN_INSTANCE);
}

void
database_member_fail (World *w, Database *db, DbMember *m, unsigned cause,
                      StratusTime recover_after, const char *why)
{
  bool was_up = m->down == 0;
  m->down |= (uint8_t) cause;
  if (cause == DOWN_INSTANCE)
    {
      stratus_sim_cancel (w->sim, m->recover_timer);
      if (recover_after != STRATUS_TIME_NEVER)
        m->recover_timer = stratus_sim_schedule (w->sim, recover_after, on_member_recover, m,
                                                 0);
    }
  if (!was_up)
    return;
  take_down (w, db, m);
  timeline_database (w, STRATUS_EVENT_DB_FAILURE, db, m, NAN, "%s (%s) fails: %s",
                     m->config->name, stratus_db_role_name (m->role), why);
  if (db->writer != (int) m->index)
    return;
  writer_gone (w, db);
  if (has_failover (db) && !db->failing_over && !db->restoring)
    start_failover (w, db, (int) m->index,
                    stratus_dist_sample_time (&db->config->detection_time, db->rng), false);
}

void
database_member_clear (World *w, Database *db, DbMember *m, unsigned cause)
{
  if (!(m->down & cause))
    return;
  m->down &= (uint8_t) ~cause;
  if (m->down != 0)
    return;
  StratusTime now = stratus_sim_now (w->sim);
  replication_advance (db, m, now);
  m->up = true;
  m->epoch++;
  station_account (&m->station, now);
  timeline_database (w, STRATUS_EVENT_DB_RECOVER, db, m, NAN, "%s is back as %s",
                     m->config->name, stratus_db_role_name (m->role));
  resume_writer (w, db);
}

void
databases_az_changed (World *w, int az, bool down)
{
  for (guint i = 0; w->databases != NULL && i < w->databases->len; i++)
    {
      Database *db = g_ptr_array_index (w->databases, i);
      for (unsigned k = 0; k < db->n_members; k++)
        {
          DbMember *m = &db->members[k];
          if (m->config->az != az)
            continue;
          if (down)
            database_member_fail (w, db, m, DOWN_AZ, STRATUS_TIME_NEVER, "its AZ is down");
          else
            database_member_clear (w, db, m, DOWN_AZ);
        }
    }
}

/* ---- actions ---------------------------------------------------------------------------- */

void
database_manual_failover (World *w, Database *db)
{
  if (db->writer < 0 || db->failing_over || failover_candidate (db) < 0)
    {
      timeline_database (w, STRATUS_EVENT_FAILOVER, db, NULL, NAN,
                         "manual failover skipped: %s",
                         db->writer < 0 ? "no writer" : db->failing_over
                                                            ? "a failover is under way"
                                                            : "no standby or reader is up");
      return;
    }
  DbMember *m = &db->members[db->writer];
  m->down |= DOWN_REBOOT;
  take_down (w, db, m);
  timeline_database (w, STRATUS_EVENT_DB_FAILURE, db, m, NAN,
                     "%s reboots with failover (manual)", m->config->name);
  writer_gone (w, db);
  start_failover (w, db, (int) m->index, 0, true);
}

/* The end of a reboot without failover. */
static void
on_reboot_done (StratusSim *sim, void *target, uint64_t arg)
{
  DbMember *m = target;
  database_member_clear (world_of (sim), m->db, m, DOWN_REBOOT);
}

void
database_reboot (World *w, Database *db, StratusTime duration)
{
  if (db->writer < 0)
    {
      timeline_database (w, STRATUS_EVENT_DB_FAILURE, db, NULL, NAN,
                         "reboot skipped: no writer");
      return;
    }
  DbMember *m = &db->members[db->writer];
  m->down |= DOWN_REBOOT;
  take_down (w, db, m);
  timeline_database (w, STRATUS_EVENT_DB_FAILURE, db, m, NAN,
                     "%s reboots without failover (%.0f s)", m->config->name,
                     stratus_time_seconds (duration));
  writer_gone (w, db);
  stratus_sim_schedule (w->sim, duration, on_reboot_done, m, 0);
}

/* Promotes replica `member` (-1: the first replica up) to a standalone writer. */
static void
promote_replica (World *w, Database *db, int member)
{
  StratusTime now = stratus_sim_now (w->sim);
  int r = member;
  if (r < 0)
    for (unsigned k = 0; k < db->n_members && r < 0; k++)
      if (db->members[k].role == STRATUS_DB_ROLE_REPLICA && db->members[k].up
          && !db->members[k].detached)
        r = (int) k;
  if (db->restoring || r < 0 || !db->members[r].up || db->members[r].detached
      || db->members[r].role != STRATUS_DB_ROLE_REPLICA)
    {
      timeline_database (w, STRATUS_EVENT_PROMOTION, db, NULL, NAN,
                         "replica promotion skipped: no read replica is up");
      return;
    }
  DbMember *replica = &db->members[r];
  uint64_t lost = replication_lost_if_promoted (db, replica, now);
  double lag_s = lost > 0 ? replica->backlog / db->config->apply_rate : 0;
  StratusFailoverRecord record = { .failed = db->no_writer_since != STRATUS_TIME_NEVER
                                               ? db->no_writer_since : now,
                                   .detected = now, .completed = now,
                                   .from = db->writer_record, .to = r, .lost_writes = lost,
                                   .manual = true };
  /* The old writer and its standby go their own way. */
  if (db->failing_over)
    {
      stratus_sim_cancel (w->sim, db->failover_timer);
      db->failing_over = false;
    }
  for (unsigned k = 0; k < db->n_members; k++)
    {
      DbMember *m = &db->members[k];
      if (m->role == STRATUS_DB_ROLE_WRITER || m->role == STRATUS_DB_ROLE_STANDBY)
        {
          stratus_sim_cancel (w->sim, m->recover_timer);
          bool was_up = m->up;
          m->down |= DOWN_DETACHED;
          if (was_up)
            take_down (w, db, m);
          m->detached = true;
        }
    }
  if (db->writer >= 0)
    writer_gone (w, db);
  replica->backlog = 0;
  db->result.lost_writes += lost;
  fault_detection_data_loss (w, scope_of (db, record.from), record.failed, lost, lag_s);
  timeline_database (w, STRATUS_EVENT_PROMOTION, db, replica, (double) lost,
                     "read replica %s promoted to a standalone writer; %" G_GUINT64_FORMAT
                     " writes in its lag were lost", replica->config->name, lost);
  writer_is (w, db, replica);
  g_array_append_val (db->result.failover_log, record);
}

/* The end of a restore: the new writer is up. */
static void
on_restored (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Database *db = target;
  DbMember *m = &db->members[db->writer_record];
  db->restoring = false;
  /* A new instance: the old one's failure or reboot is gone with it (its AZ's is not). */
  stratus_sim_cancel (w->sim, m->recover_timer);
  m->down &= (uint8_t) ~(DOWN_INSTANCE | DOWN_REBOOT);
  m->role = STRATUS_DB_ROLE_WRITER;
  timeline_database (w, STRATUS_EVENT_RESTORE, db, m, NAN,
                     "%s restored from a snapshot as a new instance", m->config->name);
  database_member_clear (w, db, m, DOWN_RESTORE);
  resume_writer (w, db); /* its AZ may be down: then a standby or reader takes over */
}

/* Restores the latest snapshot to a new writer in the old writer's place. */
static void
restore_latest (World *w, Database *db)
{
  if (db->snapshots->len == 0 || db->restoring)
    {
      timeline_database (w, STRATUS_EVENT_RESTORE, db, NULL, NAN, "restore skipped: %s",
                         db->restoring ? "a restore is under way" : "no snapshot yet");
      return;
    }
  const Snapshot *latest = &g_array_index (db->snapshots, Snapshot, db->snapshots->len - 1);
  uint64_t lost = db->writes_total - latest->writes_at;
  db->result.lost_writes += lost;
  StratusTime now = stratus_sim_now (w->sim);
  StratusTime writer_lost = db->no_writer_since != STRATUS_TIME_NEVER ? db->no_writer_since
                                                                       : now;
  fault_detection_data_loss (w, scope_of (db, db->writer_record), writer_lost, lost,
                             lost > 0 ? stratus_time_seconds (writer_lost - latest->at) : 0);
  db->writes_total = latest->writes_at;
  db->writes_at_snapshot = latest->writes_at;
  db->data_bytes = latest->data_bytes;
  if (db->failing_over)
    {
      stratus_sim_cancel (w->sim, db->failover_timer);
      db->failing_over = false;
    }
  DbMember *m = &db->members[db->writer_record];
  bool was_up = m->up;
  m->down |= DOWN_RESTORE;
  if (was_up)
    take_down (w, db, m);
  if (db->writer >= 0)
    writer_gone (w, db);
  db->restoring = true;
  double gib = (double) db->data_bytes / (1024.0 * 1024.0 * 1024.0);
  StratusTime duration = stratus_time_add (db->config->restore_base,
                                           (StratusTime) ((double) db->config->restore_per_gib
                                                          * gib));
  timeline_database (w, STRATUS_EVENT_RESTORE, db, m, stratus_time_seconds (duration),
                     "restoring the snapshot of %.0f s into a new writer (%.1f GiB, %.0f s); "
                     "%" G_GUINT64_FORMAT " writes since it are lost",
                     stratus_time_seconds (latest->at), gib, stratus_time_seconds (duration),
                     lost);
  stratus_sim_schedule (w->sim, duration, on_restored, db, 0);
}

/* Action `arg` of database `target` is due. */
static void
on_action (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Database *db = target;
  const StratusDbActionConfig *a = &g_array_index (db->config->actions, StratusDbActionConfig,
                                                   (guint) arg);
  switch (a->kind)
    {
    case STRATUS_DB_ACTION_FAILOVER:
      database_manual_failover (w, db);
      break;
    case STRATUS_DB_ACTION_FAIL_WRITER:
      if (db->writer >= 0)
        database_member_fail (w, db, &db->members[db->writer], DOWN_INSTANCE,
                              a->recover_after, "instance failure");
      break;
    case STRATUS_DB_ACTION_PROMOTE_REPLICA:
      promote_replica (w, db, a->member);
      break;
    case STRATUS_DB_ACTION_SNAPSHOT:
      snapshot_take (w, db, false);
      break;
    case STRATUS_DB_ACTION_RESTORE:
      restore_latest (w, db);
      break;
    }
}

void
databases_start (World *w)
{
  const StratusScenario *s = w->scenario;
  w->databases = g_ptr_array_new_with_free_func ((GDestroyNotify) database_free);
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    {
      Database *db = database_new (w, i);
      g_ptr_array_add (w->databases, db);
      for (guint k = 0; db->config->actions != NULL && k < db->config->actions->len; k++)
        {
          const StratusDbActionConfig *a = &g_array_index (db->config->actions,
                                                           StratusDbActionConfig, k);
          if (a->at <= s->duration)
            stratus_sim_schedule_timer_at (w->sim, a->at, on_action, db, k);
        }
      snapshots_start (w, db);
    }
}

void
databases_open_window (World *w, StratusTime now)
{
  for (guint i = 0; i < w->databases->len; i++)
    {
      Database *db = g_ptr_array_index (w->databases, i);
      for (unsigned k = 0; k < db->n_members; k++)
        {
          DbMember *m = &db->members[k];
          replication_advance (db, m, now);
          station_reset_window (&m->station, now);
          stratus_time_average_reset (&m->connections_avg, now);
          m->served = 0;
          m->lag_area = 0;
          m->lag_max_s = m->row_lag_max_s = 0;
          m->row_cpu_mark = m->row_lag_mark = m->row_conn_mark = 0;
          m->peak_connections = m->connections;
        }
      int connections = 0;
      for (unsigned k = 0; k < db->n_members; k++)
        connections += db->members[k].connections;
      db->result.peak_connections = connections;
      db->aurora_lag_area = 0;
      db->row_aurora_mark = 0;
      db->row_aurora_lagged = false;
      stratus_histogram_reset (db->row_latency);
      db->row_queries = db->row_failed = db->row_stale = 0;
    }
}
