/* The databases' figures: a row per report interval (queries, failures, stale reads, query
 * p99, replica lag, connections, the writer's CPU) and, at the end, the results (members,
 * lag, connections, downtime, snapshots, storage). */
#include <math.h>

#include "database.h"

/* True for a member whose reads can lag the writer (a replica or an Aurora reader). */
static bool
lagging_role (StratusDbRole role)
{
  return role == STRATUS_DB_ROLE_REPLICA || role == STRATUS_DB_ROLE_AURORA_READER;
}

/* Member `m`'s lag area (lag seconds x ns) up to now: its own as a replica; the
 * cluster's as an Aurora reader (every reader lags alike). */
static double
lag_area (const Database *db, const DbMember *m)
{
  return db->config->deployment == STRATUS_DB_AURORA ? db->aurora_lag_area : m->lag_area;
}

void
databases_close_row (World *w, StratusTime from, StratusTime now)
{
  if (now <= from)
    return;
  double length = (double) (now - from);
  for (guint i = 0; i < w->databases->len; i++)
    {
      Database *db = g_ptr_array_index (w->databases, i);
      StratusDatabaseRow row = { .start = from, .database = i, .queries = db->row_queries,
                                 .failed = db->row_failed, .stale_reads = db->row_stale,
                                 .writer = db->writer };
      if (db->row_queries > 0)
        row.p99_ms = stratus_histogram_percentile (db->row_latency, 99) / 1e6;
      double lag_sum = 0, lag_max = 0, connections = 0;
      unsigned lagging = 0;
      for (unsigned k = 0; k < db->n_members; k++)
        {
          DbMember *m = &db->members[k];
          replication_advance (db, m, now);
          double conn_area = stratus_time_average_area (&m->connections_avg, now);
          connections += (conn_area - m->row_conn_mark) / length;
          m->row_conn_mark = conn_area;
          double cpu_area = stratus_time_average_area (&m->station.busy_avg, now);
          if ((int) k == db->writer)
            row.cpu = (cpu_area - m->row_cpu_mark) / (length * m->station.workers);
          m->row_cpu_mark = cpu_area;
          if (lagging_role (m->role) && !m->detached)
            {
              double area = lag_area (db, m);
              bool aurora = db->config->deployment == STRATUS_DB_AURORA;
              double mark = aurora ? db->row_aurora_mark : m->row_lag_mark;
              lag_sum += (area - mark) / length;
              lagging++;
              double max = aurora
                             ? (db->row_aurora_lagged
                                  ? stratus_time_seconds (db->config->aurora_lag) : 0)
                             : m->row_lag_max_s;
              lag_max = MAX (lag_max, max);
            }
          m->row_lag_mark = m->lag_area;
          /* a replica's lag goes on into the next row */
          m->row_lag_max_s = m->role == STRATUS_DB_ROLE_REPLICA
                               ? m->backlog / db->config->apply_rate : 0;
        }
      db->row_aurora_mark = db->aurora_lag_area;
      db->row_aurora_lagged = false;
      row.lag_mean_ms = lagging > 0 ? lag_sum / lagging * 1e3 : 0;
      row.lag_max_ms = lag_max * 1e3;
      row.connections = connections;
      stratus_record_log_append (w->collector.result->database_rows, &row);
      stratus_histogram_reset (db->row_latency);
      db->row_queries = db->row_failed = db->row_stale = 0;
    }
}

void
databases_fill_results (World *w, StratusRunResult *result, StratusTime end)
{
  StratusTime window = end - w->scenario->warmup;
  for (guint i = 0; i < w->databases->len; i++)
    {
      Database *db = g_ptr_array_index (w->databases, i);
      StratusDatabaseResult *r = &db->result;
      r->members = g_array_new (FALSE, TRUE, sizeof (StratusDbMemberResult));
      double lag_sum = 0, lag_max = 0;
      unsigned lagging = 0;
      for (unsigned k = 0; k < db->n_members; k++)
        {
          DbMember *m = &db->members[k];
          replication_advance (db, m, end);
          StratusDbMemberResult mr = {
            .name = g_strdup (m->config->name),
            .az = g_strdup (g_ptr_array_index (w->scenario->azs, (guint) m->config->az)),
            .role_start = m->config->role,
            .role_end = m->role,
            .up_at_end = m->up && !m->detached,
            .mean_connections = stratus_time_average_mean (&m->connections_avg, end),
            .peak_connections = m->peak_connections,
            .queries = m->served,
          };
          if (window > 0)
            mr.cpu = stratus_time_average_area (&m->station.busy_avg, end)
                     / ((double) window * m->station.workers);
          r->mean_connections += mr.mean_connections;
          g_array_append_val (r->members, mr);
          if (lagging_role (m->config->role) || lagging_role (m->role))
            {
              lag_sum += window > 0 ? lag_area (db, m) / (double) window : 0;
              lag_max = MAX (lag_max, m->lag_max_s);
              lagging++;
            }
        }
      r->lag_mean_s = lagging > 0 ? lag_sum / lagging : 0;
      r->lag_max_s = lag_max;
      if (db->writer < 0 && db->no_writer_since != STRATUS_TIME_NEVER)
        {
          StratusTime from = MAX (db->no_writer_since, w->scenario->warmup);
          if (end > from)
            r->downtime += end - from;
        }
      snapshot_account (db, end);
      for (guint k = 0; k < db->snapshots->len; k++)
        r->snapshot_bytes += g_array_index (db->snapshots, Snapshot, k).bytes;
      r->snapshot_gib_hours = db->snapshot_area / (1024.0 * 1024.0 * 1024.0)
                              / (3600.0 * STRATUS_SECOND);
      r->storage_bytes = MAX (db->data_bytes, db->config->storage_bytes);
      g_array_append_val (result->databases, *r);
      *r = (StratusDatabaseResult){ 0 }; /* the result owns it now */
    }
}
