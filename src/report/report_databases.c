/* The database (RDS) part of a report: each database's figures over replications
 * (databases.NAME.*), its facts and the first replication's failovers (kept from the first
 * replication that has databases), the database rows of every replication, the "Databases"
 * section of report.txt, report.json's facts and databases.csv. The report owns everything
 * here (report_databases_clear). A report without databases has none of it: its files are
 * what they were before databases existed. */
#include "report_private.h"

#include <math.h>
#include <string.h>

#include "stratus/units.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

void
report_databases_init (StratusReport *report)
{
  report->databases = g_array_new (FALSE, TRUE, sizeof (DatabaseInfo));
  report->database_rows = stratus_record_log_new (sizeof (TaggedDatabaseRow));
}

void
report_databases_clear (StratusReport *report)
{
  for (guint i = 0; i < report->databases->len; i++)
    {
      DatabaseInfo *d = &g_array_index (report->databases, DatabaseInfo, i);
      for (guint k = 0; k < d->members->len; k++)
        {
          DatabaseMemberInfo *m = &g_array_index (d->members, DatabaseMemberInfo, k);
          g_free (m->name);
          g_free (m->az);
        }
      g_array_unref (d->members);
      g_array_unref (d->failovers);
      g_free (d->name);
      g_free (d->instance_class);
    }
  g_array_unref (report->databases);
  stratus_record_log_free (report->database_rows);
}

bool
report_has_databases (const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  return report->databases->len > 0
         || (s != NULL && s->databases != NULL && s->databases->len > 0);
}

/* Keeps the facts of the databases of `r` (the first replication that has databases). */
static void
keep_database_info (StratusReport *report, const StratusRunResult *r)
{
  if (report->databases->len > 0 || r->databases == NULL)
    return;
  for (guint i = 0; i < r->databases->len; i++)
    {
      const StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, i);
      DatabaseInfo info = { .name = g_strdup (d->name),
                            .instance_class = g_strdup (d->instance_class),
                            .engine = d->engine,
                            .deployment = d->deployment };
      info.members = g_array_new (FALSE, TRUE, sizeof (DatabaseMemberInfo));
      info.failovers = g_array_new (FALSE, TRUE, sizeof (StratusFailoverRecord));
      for (guint k = 0; d->members != NULL && k < d->members->len; k++)
        {
          const StratusDbMemberResult *m = &g_array_index (d->members, StratusDbMemberResult, k);
          DatabaseMemberInfo mi = { g_strdup (m->name), g_strdup (m->az), m->role_start,
                                    m->role_end, m->up_at_end };
          g_array_append_val (info.members, mi);
        }
      if (d->failover_log != NULL && d->failover_log->len > 0)
        g_array_append_vals (info.failovers, d->failover_log->data, d->failover_log->len);
      g_array_append_val (report->databases, info);
    }
}

/* databases.K.latency.ENDPOINT.{p50,p99,p999}_ms for each endpoint that answered a query
 * (K: the database's figure key). */
static void
add_latency_figures (StratusReport *report, const StratusDatabaseResult *d, const char *k)
{
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    {
      const StratusHistogram *h = d->latency[e];
      if (h == NULL || stratus_histogram_count (h) == 0)
        continue;
      const char *name = stratus_db_endpoint_name ((StratusDbEndpoint) e);
      report_addf (report, stratus_histogram_percentile (h, 50) / 1e6, false,
                   "databases.%s.latency.%s.p50_ms", k, name);
      report_addf (report, stratus_histogram_percentile (h, 99) / 1e6, false,
                   "databases.%s.latency.%s.p99_ms", k, name);
      report_addf (report, stratus_histogram_percentile (h, 99.9) / 1e6, false,
                   "databases.%s.latency.%s.p999_ms", k, name);
    }
}

/* databases.K.members.MEMBER.{cpu, mean_connections, peak_connections, queries}. */
static void
add_member_figures (StratusReport *report, const StratusDatabaseResult *d, const char *k)
{
  for (guint i = 0; d->members != NULL && i < d->members->len; i++)
    {
      const StratusDbMemberResult *m = &g_array_index (d->members, StratusDbMemberResult, i);
      char *mk = report_name_key (m->name);
      report_addf (report, m->cpu, false, "databases.%s.members.%s.cpu", k, mk);
      report_addf (report, m->mean_connections, false, "databases.%s.members.%s.mean_connections",
                   k, mk);
      report_addf (report, m->peak_connections, true, "databases.%s.members.%s.peak_connections",
                   k, mk);
      report_addf (report, (double) m->queries, true, "databases.%s.members.%s.queries", k, mk);
      g_free (mk);
    }
}

/* databases.K.failover.{detection_s, total_s}: the means over the failovers of the log
 * that were detected (completed), each figure skipped when there is none. */
static void
add_failover_figures (StratusReport *report, const StratusDatabaseResult *d, const char *k)
{
  double detection = 0, total = 0;
  unsigned detected = 0, completed = 0;
  for (guint i = 0; d->failover_log != NULL && i < d->failover_log->len; i++)
    {
      const StratusFailoverRecord *f = &g_array_index (d->failover_log, StratusFailoverRecord, i);
      if (f->detected != STRATUS_TIME_NEVER && f->detected >= f->failed)
        detection += stratus_time_seconds (f->detected - f->failed), detected++;
      if (f->completed != STRATUS_TIME_NEVER && f->completed >= f->failed)
        total += stratus_time_seconds (f->completed - f->failed), completed++;
    }
  if (detected > 0)
    report_addf (report, detection / detected, false, "databases.%s.failover.detection_s", k);
  if (completed > 0)
    report_addf (report, total / completed, false, "databases.%s.failover.total_s", k);
}

/* Every databases.NAME.* figure of database `d` of one replication. */
static void
add_database_figures (StratusReport *report, const StratusDatabaseResult *d)
{
  char *k = report_name_key (d->name);
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    report_addf (report, (double) d->queries[e], true, "databases.%s.queries.%s", k,
                 stratus_db_endpoint_name ((StratusDbEndpoint) e));
  report_addf (report, (double) d->reads, true, "databases.%s.reads", k);
  report_addf (report, (double) d->writes, true, "databases.%s.writes", k);
  add_latency_figures (report, d, k);
  uint64_t failed = 0;
  for (int f = 0; f < STRATUS_N_QUERY_FAILS; f++)
    {
      report_addf (report, (double) d->failed[f], true, "databases.%s.failed.%s", k,
                   stratus_query_failure_name ((StratusQueryFailure) f));
      failed += d->failed[f];
    }
  report_addf (report, (double) failed, true, "databases.%s.failed_total", k);
  report_addf (report, (double) d->retries, true, "databases.%s.retries", k);
  report_addf (report, (double) d->requests_failed, true, "databases.%s.requests_failed", k);
  report_addf (report, (double) d->stale_reads, true, "databases.%s.stale_reads", k);
  report_addf (report, (double) d->lost_writes, true, "databases.%s.lost_writes", k);
  report_addf (report, d->lag_mean_s * 1e3, false, "databases.%s.replica_lag.mean_ms", k);
  report_addf (report, d->lag_max_s * 1e3, false, "databases.%s.replica_lag.max_ms", k);
  report_addf (report, (double) d->pool_waits, true, "databases.%s.pool.waits", k);
  report_addf (report, d->pool_waits > 0 ? d->pool_wait_sum_ns / (double) d->pool_waits / 1e6 : 0,
               false, "databases.%s.pool.mean_wait_ms", k);
  double started = (double) d->cpu_started;
  report_addf (report, started > 0 ? d->cpu_wait_sum_ns / started / 1e6 : 0, false,
               "databases.%s.cpu_wait.mean_ms", k);
  report_addf (report, started > 0 ? (double) d->cpu_waited / started : 0, false,
               "databases.%s.cpu_wait.p_wait", k);
  add_member_figures (report, d, k);
  report_addf (report, d->mean_connections, false, "databases.%s.connections.mean", k);
  report_addf (report, d->peak_connections, true, "databases.%s.connections.peak", k);
  report_addf (report, stratus_time_seconds (d->downtime), false, "databases.%s.downtime_s", k);
  report_addf (report, d->failovers, true, "databases.%s.failovers", k);
  add_failover_figures (report, d, k);
  report_addf (report, d->snapshots, true, "databases.%s.snapshots", k);
  report_addf (report, (double) d->snapshot_bytes / GIB, false, "databases.%s.snapshot_gib", k);
  report_addf (report, d->snapshot_gib_hours, false, "databases.%s.snapshot_gib_hours", k);
  report_addf (report, (double) d->storage_bytes / GIB, false, "databases.%s.storage_gib", k);
  g_free (k);
}

void
report_databases_add (StratusReport *report, const StratusRunResult *r)
{
  keep_database_info (report, r);
  for (guint i = 0; r->databases != NULL && i < r->databases->len; i++)
    add_database_figures (report, &g_array_index (r->databases, StratusDatabaseResult, i));
  size_t n = stratus_run_result_database_row_count (r);
  for (size_t i = 0; i < n; i++)
    {
      TaggedDatabaseRow tagged = { .replication = r->replication,
                                   .row = stratus_run_result_database_row (r, i) };
      stratus_record_log_append (report->database_rows, &tagged);
    }
}

/* ---- for charts ---------------------------------------------------------------------- */

unsigned
stratus_report_database_count (const StratusReport *report)
{
  return report->databases->len;
}

const char *
stratus_report_database_name (const StratusReport *report, unsigned database)
{
  g_return_val_if_fail (database < report->databases->len, NULL);
  return g_array_index (report->databases, DatabaseInfo, database).name;
}

unsigned
stratus_report_database_member_count (const StratusReport *report, unsigned database)
{
  g_return_val_if_fail (database < report->databases->len, 0);
  return g_array_index (report->databases, DatabaseInfo, database).members->len;
}

const char *
stratus_report_database_member_name (const StratusReport *report, unsigned database,
                                     unsigned member)
{
  g_return_val_if_fail (database < report->databases->len, NULL);
  const GArray *members = g_array_index (report->databases, DatabaseInfo, database).members;
  g_return_val_if_fail (member < members->len, NULL);
  return g_array_index (members, DatabaseMemberInfo, member).name;
}

size_t
stratus_report_database_row_count (const StratusReport *report)
{
  return stratus_record_log_length (report->database_rows);
}

void
stratus_report_database_row (const StratusReport *report, size_t index, unsigned *replication,
                             StratusDatabaseRow *row)
{
  TaggedDatabaseRow tagged;
  stratus_record_log_get (report->database_rows, index, &tagged);
  if (replication)
    *replication = tagged.replication;
  *row = tagged.row;
}

/* Member `member` of database `d`'s name, or NULL when out of range. */
static const char *
member_name (const DatabaseInfo *d, int member)
{
  if (member < 0 || (guint) member >= d->members->len)
    return NULL;
  return g_array_index (d->members, DatabaseMemberInfo, member).name;
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* Sets `name` of `o` to the seconds of `t`, null for STRATUS_TIME_NEVER. */
static void
set_time_or_null (JsonObject *o, const char *name, StratusTime t)
{
  if (t == STRATUS_TIME_NEVER)
    json_object_set_null_member (o, name);
  else
    report_set_double (o, name, stratus_time_seconds (t));
}

/* Sets `name` of `o` to `value`, null for NULL. */
static void
set_string_or_null (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

/* The first replication's failovers of `d` as a JSON array. */
static JsonArray *
failover_array (const DatabaseInfo *d)
{
  JsonArray *log = json_array_new ();
  for (guint i = 0; i < d->failovers->len; i++)
    {
      const StratusFailoverRecord *f = &g_array_index (d->failovers, StratusFailoverRecord, i);
      JsonObject *o = json_object_new ();
      set_time_or_null (o, "failed_s", f->failed);
      set_time_or_null (o, "detected_s", f->detected);
      set_time_or_null (o, "completed_s", f->completed);
      set_string_or_null (o, "from", member_name (d, f->from));
      set_string_or_null (o, "to", member_name (d, f->to));
      json_object_set_int_member (o, "lost_writes", (gint64) f->lost_writes);
      json_object_set_boolean_member (o, "manual", f->manual);
      json_array_add_object_element (log, o);
    }
  return log;
}

void
report_databases_json (JsonObject *root, const StratusReport *report)
{
  if (report->databases->len == 0)
    return;
  JsonObject *databases = report_object_member (root, "databases");
  for (guint i = 0; i < report->databases->len; i++)
    {
      const DatabaseInfo *d = &g_array_index (report->databases, DatabaseInfo, i);
      JsonObject *o = report_object_member (databases, d->name);
      json_object_set_string_member (o, "engine", stratus_db_engine_name (d->engine));
      json_object_set_string_member (o, "deployment", stratus_db_deployment_name (d->deployment));
      set_string_or_null (o, "instance_class", d->instance_class);
      JsonObject *members = report_object_member (o, "members");
      for (guint k = 0; k < d->members->len; k++)
        {
          const DatabaseMemberInfo *m = &g_array_index (d->members, DatabaseMemberInfo, k);
          JsonObject *mo = report_object_member (members, m->name);
          set_string_or_null (mo, "az", m->az);
          json_object_set_string_member (mo, "role_start", stratus_db_role_name (m->role_start));
          json_object_set_string_member (mo, "role_end", stratus_db_role_name (m->role_end));
          json_object_set_boolean_member (mo, "up_at_end", m->up_at_end);
        }
      json_object_set_array_member (o, "failover_log", failover_array (d));
    }
}

/* ---- text ---------------------------------------------------------------------------- */

/* "LABEL FIGURE" for figure databases.NAME.LEAF (a count when `decimals` is 0: one
 * decimal with several replications). */
static void
append_db_figure (GString *out, const StratusReport *report, const char *label,
                  const char *name, const char *leaf, int decimals, double scale,
                  const char *suffix)
{
  char *path = g_strdup_printf ("databases.%s.%s", name, leaf);
  g_string_append_printf (out, "%s ", label);
  if (decimals == 0 && report->replications > 1)
    decimals = 1;
  report_append_figure (out, report, path, decimals, scale, suffix);
  g_free (path);
}

/* The mean of figure databases.NAME.LEAF, or 0 when there is none. */
static double
db_mean (const StratusReport *report, const char *name, const char *leaf)
{
  char *path = g_strdup_printf ("databases.%s.%s", name, leaf);
  const Figure *f = report_find (report, path);
  g_free (path);
  return f != NULL ? f->summary.mean : 0;
}

/* "writer" for a member whose role did not change, else "replica -> writer". Caller frees. */
static char *
role_text (const DatabaseMemberInfo *m)
{
  if (m->role_start == m->role_end)
    return g_strdup (stratus_db_role_name (m->role_start));
  return g_strdup_printf ("%s -> %s", stratus_db_role_name (m->role_start),
                          stratus_db_role_name (m->role_end));
}

/* One line per member: name, AZ, role (start -> end, the first replication's), CPU,
 * connections and queries served. */
static void
append_members (GString *out, const StratusReport *report, const DatabaseInfo *d)
{
  int name_w = 0, az_w = 0, role_w = 0;
  for (guint k = 0; k < d->members->len; k++)
    {
      const DatabaseMemberInfo *m = &g_array_index (d->members, DatabaseMemberInfo, k);
      char *role = role_text (m);
      name_w = MAX (name_w, (int) g_utf8_strlen (m->name, -1));
      az_w = MAX (az_w, m->az != NULL ? (int) g_utf8_strlen (m->az, -1) : 1);
      role_w = MAX (role_w, (int) strlen (role) + (m->up_at_end ? 0 : 7));
      g_free (role);
    }
  for (guint k = 0; k < d->members->len; k++)
    {
      const DatabaseMemberInfo *m = &g_array_index (d->members, DatabaseMemberInfo, k);
      const char *az = m->az != NULL ? m->az : "-";
      char *role = role_text (m);
      if (!m->up_at_end)
        {
          char *down = g_strconcat (role, " (down)", NULL);
          g_free (role);
          role = down;
        }
      g_string_append_printf (out, "    %s%*s  %s%*s  %s%*s ", m->name,
                              name_w - (int) g_utf8_strlen (m->name, -1), "", az,
                              az_w - (int) g_utf8_strlen (az, -1), "", role,
                              role_w - (int) strlen (role), "");
      char *leaf = g_strdup_printf ("members.%s.", m->name);
      char *cpu = g_strconcat (leaf, "cpu", NULL), *mean = g_strconcat (leaf, "mean_connections", NULL);
      char *peak = g_strconcat (leaf, "peak_connections", NULL), *q = g_strconcat (leaf, "queries", NULL);
      append_db_figure (out, report, " cpu", d->name, cpu, 1, 100, "%");
      append_db_figure (out, report, "  connections mean", d->name, mean, 2, 1, "");
      append_db_figure (out, report, " peak", d->name, peak, 0, 1, "");
      append_db_figure (out, report, "  queries", d->name, q, 0, 1, "");
      g_string_append_c (out, '\n');
      g_free (leaf);
      g_free (cpu);
      g_free (mean);
      g_free (peak);
      g_free (q);
      g_free (role);
    }
}

/* "queries  writer N  reader N  instance N  (reads N, writes N)" and the latency per
 * endpoint that answered. */
static void
append_queries (GString *out, const StratusReport *report, const DatabaseInfo *d)
{
  g_string_append (out, "    queries       ");
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    {
      const char *endpoint = stratus_db_endpoint_name ((StratusDbEndpoint) e);
      char *leaf = g_strdup_printf ("queries.%s", endpoint);
      char *label = g_strdup_printf ("%s%s", e > 0 ? "  " : "", endpoint);
      append_db_figure (out, report, label, d->name, leaf, 0, 1, "");
      g_free (label);
      g_free (leaf);
    }
  append_db_figure (out, report, "   reads", d->name, "reads", 0, 1, "");
  append_db_figure (out, report, "  writes", d->name, "writes", 0, 1, "\n");
  g_string_append (out, "    latency (ms)  ");
  bool any = false;
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    {
      const char *endpoint = stratus_db_endpoint_name ((StratusDbEndpoint) e);
      char *base = g_strdup_printf ("databases.%s.latency.%s.", d->name, endpoint);
      char *p50 = g_strconcat (base, "p50_ms", NULL);
      if (report_find (report, p50) != NULL)
        {
          static const struct
          {
            const char *label, *leaf;
          } ps[] = { { "p50", "p50_ms" }, { "p99", "p99_ms" }, { "p99.9", "p999_ms" } };
          g_string_append_printf (out, "%s%s", any ? "   " : "", endpoint);
          for (size_t i = 0; i < G_N_ELEMENTS (ps); i++)
            {
              char *path = g_strconcat (base, ps[i].leaf, NULL);
              g_string_append_printf (out, " %s ", ps[i].label);
              report_append_figure (out, report, path, 2, 1, "");
              g_free (path);
            }
          any = true;
        }
      g_free (p50);
      g_free (base);
    }
  g_string_append (out, any ? "\n" : "no query answered\n");
}

/* "failed  REASON N ...  total N  retries N  requests failed N" (reasons that are not 0). */
static void
append_failures (GString *out, const StratusReport *report, const DatabaseInfo *d)
{
  g_string_append (out, "    failed        ");
  for (int f = 0; f < STRATUS_N_QUERY_FAILS; f++)
    {
      const char *reason = stratus_query_failure_name ((StratusQueryFailure) f);
      char *leaf = g_strdup_printf ("failed.%s", reason);
      if (db_mean (report, d->name, leaf) > 0)
        append_db_figure (out, report, reason, d->name, leaf, 0, 1, "  ");
      g_free (leaf);
    }
  append_db_figure (out, report, "total", d->name, "failed_total", 0, 1, "");
  append_db_figure (out, report, "   retries", d->name, "retries", 0, 1, "");
  append_db_figure (out, report, "  requests failed", d->name, "requests_failed", 0, 1, "\n");
}

/* Whether a member of `d` is a lagging reader (a read replica or an Aurora reader) at the
 * start or the end, or the lag figures are not 0. */
static bool
has_lag (const StratusReport *report, const DatabaseInfo *d)
{
  for (guint k = 0; k < d->members->len; k++)
    {
      const DatabaseMemberInfo *m = &g_array_index (d->members, DatabaseMemberInfo, k);
      if (m->role_start == STRATUS_DB_ROLE_REPLICA || m->role_start == STRATUS_DB_ROLE_AURORA_READER
          || m->role_end == STRATUS_DB_ROLE_REPLICA || m->role_end == STRATUS_DB_ROLE_AURORA_READER)
        return true;
    }
  return db_mean (report, d->name, "replica_lag.max_ms") > 0;
}

/* The failovers of the first replication, one a line: when, from -> to, detection and
 * total durations, writes lost. */
static void
append_failover_log (GString *out, const StratusReport *report, const DatabaseInfo *d)
{
  if (d->failovers->len > 0 && report->replications > 1)
    g_string_append (out, "      in the first replication:\n");
  for (guint i = 0; i < d->failovers->len; i++)
    {
      const StratusFailoverRecord *f = &g_array_index (d->failovers, StratusFailoverRecord, i);
      char *at = report_clock_text (f->failed);
      const char *from = member_name (d, f->from), *to = member_name (d, f->to);
      g_string_append_printf (out, "      %s  %s %s -> %s", at, f->manual ? "manual" : "failover",
                              from != NULL ? from : "-", to != NULL ? to : "-");
      if (f->detected != STRATUS_TIME_NEVER && f->detected >= f->failed)
        g_string_append_printf (out, "  detection %.1f s",
                                stratus_time_seconds (f->detected - f->failed));
      if (f->completed != STRATUS_TIME_NEVER && f->completed >= f->failed)
        g_string_append_printf (out, "  total %.1f s",
                                stratus_time_seconds (f->completed - f->failed));
      else
        g_string_append (out, "  not completed by the end");
      g_string_append_printf (out, "  lost writes %" G_GUINT64_FORMAT "\n", f->lost_writes);
      g_free (at);
    }
}

/* One database's block of the "Databases" section. */
static void
append_database_block (GString *out, const StratusReport *report, const DatabaseInfo *d)
{
  const char *n = d->name; /* report_find takes shown paths: a name's dots as they are */
  g_string_append_printf (out, "  %s  %s  %s  %s\n", n, stratus_db_engine_name (d->engine),
                          d->instance_class != NULL ? d->instance_class : "-",
                          stratus_db_deployment_name (d->deployment));
  append_members (out, report, d);
  append_queries (out, report, d);
  append_failures (out, report, d);
  append_db_figure (out, report, "    stale reads", n, "stale_reads", 0, 1, "");
  append_db_figure (out, report, "  lost writes", n, "lost_writes", 0, 1, "");
  if (has_lag (report, d))
    {
      append_db_figure (out, report, "  replica lag mean", n, "replica_lag.mean_ms", 1, 1, " ms");
      append_db_figure (out, report, "  max", n, "replica_lag.max_ms", 1, 1, " ms");
    }
  append_db_figure (out, report, "\n    connections   mean", n, "connections.mean", 2, 1, "");
  append_db_figure (out, report, "  peak", n, "connections.peak", 0, 1, "");
  append_db_figure (out, report, "   pool waits", n, "pool.waits", 0, 1, "");
  append_db_figure (out, report, " (mean", n, "pool.mean_wait_ms", 3, 1, " ms)");
  append_db_figure (out, report, "   CPU waited", n, "cpu_wait.p_wait", 2, 100, "%");
  append_db_figure (out, report, "  mean wait", n, "cpu_wait.mean_ms", 3, 1, " ms");
  append_db_figure (out, report, "\n    downtime", n, "downtime_s", 1, 1, " s");
  append_db_figure (out, report, "  failovers", n, "failovers", 0, 1, "");
  char *path = g_strdup_printf ("databases.%s.failover.detection_s", n);
  if (report_find (report, path) != NULL)
    append_db_figure (out, report, "  detection", n, "failover.detection_s", 1, 1, " s");
  g_free (path);
  path = g_strdup_printf ("databases.%s.failover.total_s", n);
  if (report_find (report, path) != NULL)
    append_db_figure (out, report, "  total", n, "failover.total_s", 1, 1, " s");
  g_free (path);
  g_string_append_c (out, '\n');
  append_failover_log (out, report, d);
  append_db_figure (out, report, "    snapshots", n, "snapshots", 0, 1, "");
  append_db_figure (out, report, "  retained", n, "snapshot_gib", 2, 1, " GiB");
  append_db_figure (out, report, "  storage over time", n, "snapshot_gib_hours", 2, 1, " GiB-hours");
  append_db_figure (out, report, "   allocated storage", n, "storage_gib", 2, 1, " GiB\n");
}

void
report_databases_text (GString *out, const StratusReport *report)
{
  if (report->databases->len == 0)
    return;
  g_string_append (out, "\nDatabases\n");
  for (guint i = 0; i < report->databases->len; i++)
    append_database_block (out, report, &g_array_index (report->databases, DatabaseInfo, i));
}

/* ---- databases.csv ------------------------------------------------------------------- */

char *
stratus_report_databases_csv (const StratusReport *report)
{
  GString *out = g_string_new ("replication,start_s,database,queries,failed,stale_reads,p99_ms,"
                               "lag_mean_ms,lag_max_ms,connections,cpu,writer\n");
  size_t n = stratus_record_log_length (report->database_rows);
  for (size_t i = 0; i < n; i++)
    {
      TaggedDatabaseRow t;
      stratus_record_log_get (report->database_rows, i, &t);
      const StratusDatabaseRow *row = &t.row;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (out, "%u,%s,", t.replication,
                              g_ascii_dtostr (buf, sizeof buf, stratus_time_seconds (row->start)));
      const DatabaseInfo *d = row->database < report->databases->len
                                ? &g_array_index (report->databases, DatabaseInfo, row->database)
                                : NULL;
      if (d != NULL)
        report_csv_field (out, d->name);
      else
        g_string_append_printf (out, "%u", row->database);
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                              ",%" G_GUINT64_FORMAT ",",
                              row->queries, row->failed, row->stale_reads);
      const double values[] = { row->p99_ms, row->lag_mean_ms, row->lag_max_ms,
                                row->connections, row->cpu };
      for (size_t k = 0; k < G_N_ELEMENTS (values); k++)
        {
          report_csv_number (out, values[k]);
          g_string_append_c (out, ',');
        }
      const char *writer = d != NULL ? member_name (d, row->writer) : NULL;
      if (writer != NULL)
        report_csv_field (out, writer);
      else if (row->writer >= 0)
        g_string_append_printf (out, "%d", row->writer);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
