/* Replication and storage: asynchronous replicas apply committed writes at a finite rate
 * (a backlog that grows while writes outpace it and drains at the apply rate; the lag is
 * backlog / rate), Aurora readers lag the writer by a constant; a read from a member that
 * has not applied every committed write is stale. Writes grow the storage; snapshots are
 * taken daily in the backup window and by hand (the first full, later ones the bytes
 * written since), kept for the retention period. */
#include <math.h>

#include "database.h"

void
replication_advance (Database *db, DbMember *m, StratusTime now)
{
  if (now <= m->backlog_at)
    return;
  double dt = stratus_time_seconds (now - m->backlog_at);
  m->backlog_at = now;
  if (m->role != STRATUS_DB_ROLE_REPLICA || m->detached || m->backlog <= 0)
    return;
  double rate = db->config->apply_rate;
  double b0 = m->backlog, area; /* backlog x seconds */
  bool applying = m->up && db->writer >= 0; /* what the writer shipped before it failed
                                             * is lost with it: the backlog freezes */
  if (!applying)
    area = b0 * dt;
  else if (b0 <= rate * dt)
    {
      area = b0 * b0 / (2 * rate);
      m->backlog = 0;
    }
  else
    {
      area = b0 * dt - rate * dt * dt / 2;
      m->backlog = b0 - rate * dt;
    }
  m->lag_area += area / rate * 1e9; /* lag seconds x ns */
}

/* Records `lag_s` as a lag seen now. */
static void
note_lag (DbMember *m, double lag_s)
{
  m->lag_max_s = MAX (m->lag_max_s, lag_s);
  m->row_lag_max_s = MAX (m->row_lag_max_s, lag_s);
}

void
replication_write (World *w, Database *db, StratusTime now)
{
  db->writes_total++;
  db->data_bytes += db->config->growth_per_write;
  bool aurora = false;
  for (unsigned k = 0; k < db->n_members; k++)
    {
      DbMember *m = &db->members[k];
      if (m->detached)
        continue;
      if (m->role == STRATUS_DB_ROLE_REPLICA)
        {
          replication_advance (db, m, now);
          m->backlog += 1;
          note_lag (m, m->backlog / db->config->apply_rate);
        }
      else if (m->role == STRATUS_DB_ROLE_AURORA_READER)
        {
          aurora = true;
          note_lag (m, stratus_time_seconds (db->config->aurora_lag));
        }
    }
  if (aurora && db->config->aurora_lag > 0)
    {
      StratusTime lag = db->config->aurora_lag;
      StratusTime until = stratus_time_add (now, lag);
      StratusTime covered = db->aurora_covered_until > now ? until - db->aurora_covered_until
                                                            : lag;
      if (w->collector.window_open)
        db->aurora_lag_area += (double) covered * stratus_time_seconds (lag);
      db->aurora_covered_until = until;
      db->row_aurora_lagged = true;
    }
  db->last_write_at = now;
}

bool
replication_stale (World *w, Database *db, DbMember *m, StratusTime now)
{
  if (m->role == STRATUS_DB_ROLE_REPLICA)
    {
      replication_advance (db, m, now);
      return m->backlog > 1e-9;
    }
  if (m->role == STRATUS_DB_ROLE_AURORA_READER)
    return db->last_write_at != STRATUS_TIME_NEVER
           && now - db->last_write_at < db->config->aurora_lag;
  return false;
}

uint64_t
replication_lost_if_promoted (Database *db, DbMember *m, StratusTime now)
{
  replication_advance (db, m, now);
  return (uint64_t) ceil (m->backlog - 1e-9);
}

/* ---- snapshots --------------------------------------------------------------------------- */

/* Retained snapshot bytes. */
static uint64_t
retained_bytes (const Database *db)
{
  uint64_t total = 0;
  for (guint i = 0; i < db->snapshots->len; i++)
    total += g_array_index (db->snapshots, Snapshot, i).bytes;
  return total;
}

void
snapshot_account (Database *db, StratusTime now)
{
  if (now > db->snapshot_area_at)
    db->snapshot_area += (double) retained_bytes (db) * (double) (now - db->snapshot_area_at);
  db->snapshot_area_at = now;
}

/* Deletes the automated snapshots older than the retention period. The data only grows
 * (writes add, nothing is overwritten), so every block of a deleted snapshot is still
 * needed by the next one, which takes its bytes over. */
static void
expire_snapshots (Database *db, StratusTime now)
{
  StratusTime keep = (StratusTime) db->config->backup_retention_days * 24 * 3600
                     * STRATUS_SECOND;
  for (guint i = 0; i + 1 < db->snapshots->len;)
    {
      Snapshot *s = &g_array_index (db->snapshots, Snapshot, i);
      if (!s->automated || now - s->at <= keep)
        {
          i++;
          continue;
        }
      g_array_index (db->snapshots, Snapshot, i + 1).bytes += s->bytes;
      g_array_remove_index (db->snapshots, i);
    }
}

void
snapshot_take (World *w, Database *db, bool automated)
{
  StratusTime now = stratus_sim_now (w->sim);
  snapshot_account (db, now);
  uint64_t bytes = db->snapshots->len == 0
                     ? db->data_bytes
                     : (db->writes_total - db->writes_at_snapshot) * db->config->growth_per_write;
  Snapshot snap = { .at = now, .bytes = bytes, .writes_at = db->writes_total,
                    .data_bytes = db->data_bytes, .automated = automated };
  g_array_append_val (db->snapshots, snap);
  db->writes_at_snapshot = db->writes_total;
  db->result.snapshots++;
  if (automated)
    expire_snapshots (db, now);
  double gib = (double) bytes / (1024.0 * 1024.0 * 1024.0);
  timeline_database (w, STRATUS_EVENT_SNAPSHOT, db, NULL, gib,
                     "%s snapshot: %.3f GiB (%s)", automated ? "automated" : "manual", gib,
                     db->snapshots->len == 1 ? "full" : "incremental");
}

/* The daily automated snapshot. */
static void
on_backup_window (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Database *db = target;
  snapshot_take (w, db, true);
  StratusTime next = stratus_time_add (stratus_sim_now (sim), 24 * 3600 * STRATUS_SECOND);
  if (next <= w->scenario->duration)
    stratus_sim_schedule_timer_at (sim, next, on_backup_window, db, 0);
}

void
snapshots_start (World *w, Database *db)
{
  if (db->config->backup_retention_days <= 0)
    return;
  if (db->config->backup_window <= w->scenario->duration)
    stratus_sim_schedule_timer_at (w->sim, db->config->backup_window, on_backup_window, db, 0);
}
