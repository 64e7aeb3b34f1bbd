/* The report of databases (RDS), from hand-made results (tests/synthetic_result.c):
 * databases.NAME.* figures over replications (latency percentiles from the histograms,
 * failover durations), databases.csv, the "Databases" section of report.txt and the new
 * timeline kinds in it and in events.csv, report.json's "databases" object, the chart
 * database-NAME (series, bands, markers, file), and a scenario without databases, whose
 * outputs have none of it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "stratus/chart.h"
#include "stratus/output_set.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "synthetic_result.h"
#include "tmpdir.h"

#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

/* What the tests share: the scenario (with or without a database) and a temporary folder. */
typedef struct
{
  StratusScenario *scenario;
  StratusDatabaseConfig *database; /* the one added to scenario->databases, or NULL */
  bool own_array;                  /* scenario->databases was made here */
  char *dir;
} Fixture;

/* Loads synthetic_yaml into a new fixture with a temporary folder. */
static Fixture *
fixture_new (void)
{
  Fixture *f = g_new0 (Fixture, 1);
  GError *error = NULL;
  f->scenario = stratus_scenario_load_string (synthetic_yaml, "synthetic.yaml", NULL, &error);
  if (f->scenario == NULL)
    fail_msg ("%s", error->message);
  void *dir = NULL;
  tmpdir_setup (&dir);
  f->dir = dir;
  return f;
}

/* Setup: the synthetic scenario with the database "app-db" (made by hand: only its name
 * and kind matter to the report). */
static int
setup_with_database (void **state)
{
  Fixture *f = fixture_new ();
  StratusScenario *s = f->scenario;
  f->database = g_new0 (StratusDatabaseConfig, 1);
  f->database->name = g_strdup ("app-db");
  f->database->engine = STRATUS_DB_ENGINE_AURORA_MYSQL;
  f->database->instance_class = g_strdup ("db.r6g.large");
  f->database->deployment = STRATUS_DB_AURORA;
  if (s->databases == NULL)
    {
      s->databases = g_ptr_array_new ();
      f->own_array = true;
    }
  g_ptr_array_add (s->databases, f->database);
  *state = f;
  return 0;
}

/* Setup: the synthetic scenario as it is (no database). */
static int
setup_without_database (void **state)
{
  Fixture *f = fixture_new ();
  assert_true (f->scenario->databases == NULL || f->scenario->databases->len == 0);
  *state = f;
  return 0;
}

/* Teardown: takes the hand-made database out of the scenario (freeing it), frees the
 * scenario and removes the temporary folder. */
static int
teardown (void **state)
{
  Fixture *f = *state;
  StratusScenario *s = f->scenario;
  if (f->database != NULL)
    {
      guint at;
      assert_true (g_ptr_array_find (s->databases, f->database, &at));
      g_ptr_array_steal_index (s->databases, at);
      g_free (f->database->name);
      g_free (f->database->instance_class);
      g_free (f->database);
    }
  if (f->own_array)
    g_clear_pointer (&s->databases, g_ptr_array_unref);
  stratus_scenario_free (s);
  void *dir = f->dir;
  tmpdir_teardown (&dir);
  g_free (f);
  return 0;
}

/* A report of `reps` replications of synthetic results with the database (and its
 * events when `db_events`), and the group's timeline `events`. */
static StratusReport *
report_of (const Fixture *f, unsigned reps, SyntheticEvents events, bool db_events)
{
  StratusReport *report = stratus_report_new (f->scenario);
  for (unsigned i = 0; i < reps; i++)
    {
      StratusRunResult *r = synthetic_result (i, events, 4);
      synthetic_add_database (r, i, db_events);
      stratus_report_add (report, r);
      stratus_run_result_free (r);
    }
  return report;
}

/* The mean of figure `path`, failing when there is none; its CI half-width in *ci. */
static double
figure (const StratusReport *report, const char *path, double *ci)
{
  double mean = NAN;
  if (!stratus_report_figure (report, path, &mean, ci))
    fail_msg ("no figure %s", path);
  return mean;
}

/* Figures over two replications: means of the values the two results hold, percentiles
 * from the histograms (within the histogram's error), an endpoint with no query has no
 * latency, failover durations averaged over the replications' failovers. */
static void
test_figures (void **state)
{
  StratusReport *report = report_of (*state, 2, SYNTHETIC_EVENTS_NONE, false);
  double ci;
  assert_near (figure (report, "databases.app-db.queries.writer", &ci), 1100, 1e-9);
  assert_near (ci, 12.706204736 * 100, 1e-3); /* t(0.975, 1) x s / sqrt 2, s = 141.4 */
  assert_near (figure (report, "databases.app-db.queries.reader", NULL), 500, 0);
  assert_near (figure (report, "databases.app-db.queries.instance", NULL), 0, 0);
  assert_near (figure (report, "databases.app-db.writes", NULL), 1100, 1e-9);
  assert_near (figure (report, "databases.app-db.reads", NULL), 500, 0);

  /* Writer: p50 2 and 3 ms, p99 10 and 20 ms, p99.9 50 ms; reader: all at 1 ms. */
  double err = stratus_histogram_relative_error ();
  assert_near (figure (report, "databases.app-db.latency.writer.p50_ms", NULL), 2.5, 3 * err);
  assert_near (figure (report, "databases.app-db.latency.writer.p99_ms", NULL), 15, 20 * err);
  assert_near (figure (report, "databases.app-db.latency.writer.p999_ms", NULL), 50, 50 * err);
  assert_near (figure (report, "databases.app-db.latency.reader.p50_ms", NULL), 1, 1e-12);
  assert_near (figure (report, "databases.app-db.latency.reader.p999_ms", NULL), 1, 1e-12);
  assert_false (stratus_report_figure (report, "databases.app-db.latency.instance.p99_ms", NULL,
                                       NULL));

  assert_near (figure (report, "databases.app-db.failed.reset", NULL), 15, 1e-12);
  assert_near (figure (report, "databases.app-db.failed.no_writer", NULL), 5, 0);
  assert_near (figure (report, "databases.app-db.failed.timeout", NULL), 0, 0);
  assert_near (figure (report, "databases.app-db.failed.too_many_connections", NULL), 0, 0);
  assert_near (figure (report, "databases.app-db.failed_total", NULL), 20, 1e-12);
  assert_near (figure (report, "databases.app-db.retries", NULL), 12, 0);
  assert_near (figure (report, "databases.app-db.requests_failed", NULL), 3, 0);
  assert_near (figure (report, "databases.app-db.stale_reads", NULL), 5, 1e-12);
  assert_near (figure (report, "databases.app-db.lost_writes", NULL), 2, 0);
  assert_near (figure (report, "databases.app-db.replica_lag.mean_ms", NULL), 20, 1e-9);
  assert_near (figure (report, "databases.app-db.replica_lag.max_ms", NULL), 40, 1e-9);
  assert_near (figure (report, "databases.app-db.pool.waits", NULL), 4, 0);
  assert_near (figure (report, "databases.app-db.pool.mean_wait_ms", NULL), 2.5, 1e-12);
  assert_near (figure (report, "databases.app-db.cpu_wait.mean_ms", NULL), 0.1, 1e-12);
  assert_near (figure (report, "databases.app-db.cpu_wait.p_wait", NULL), 0.1, 1e-12);
  assert_near (figure (report, "databases.app-db.members.app-db-1.cpu", NULL), 0.45, 1e-12);
  assert_near (figure (report, "databases.app-db.members.app-db-2.cpu", NULL), 0.20, 1e-12);
  assert_near (figure (report, "databases.app-db.members.app-db-1.mean_connections", NULL), 12.5,
               1e-12);
  assert_near (figure (report, "databases.app-db.members.app-db-2.peak_connections", NULL), 8, 0);
  assert_near (figure (report, "databases.app-db.members.app-db-1.queries", NULL), 1000, 0);
  assert_near (figure (report, "databases.app-db.connections.mean", NULL), 15.5, 1e-12);
  assert_near (figure (report, "databases.app-db.connections.peak", NULL), 28, 0);
  assert_near (figure (report, "databases.app-db.downtime_s", NULL), 35, 1e-9);
  assert_near (figure (report, "databases.app-db.failovers", NULL), 1, 0);
  assert_near (figure (report, "databases.app-db.failover.detection_s", NULL), 13, 1e-9);
  assert_near (figure (report, "databases.app-db.failover.total_s", &ci), 35, 1e-9);
  assert_near (ci, 12.706204736 * 5, 1e-3); /* 30 and 40 s */
  assert_near (figure (report, "databases.app-db.snapshots", NULL), 2, 0);
  assert_near (figure (report, "databases.app-db.snapshot_gib", NULL), 2.5, 1e-12);
  assert_near (figure (report, "databases.app-db.snapshot_gib_hours", NULL), 30, 1e-12);
  assert_near (figure (report, "databases.app-db.storage_gib", NULL), 20, 1e-12);

  assert_int_equal (stratus_report_database_count (report), 1);
  assert_string_equal (stratus_report_database_name (report, 0), "app-db");
  assert_int_equal (stratus_report_database_member_count (report, 0), 2);
  assert_string_equal (stratus_report_database_member_name (report, 0, 1), "app-db-2");
  assert_int_equal (stratus_report_database_row_count (report), 8);
  stratus_report_free (report);

  /* Without failovers, no failover durations (and no line for them in the text). */
  report = stratus_report_new (((Fixture *) *state)->scenario);
  StratusRunResult *r = synthetic_result (0, SYNTHETIC_EVENTS_NONE, 4);
  synthetic_add_database (r, 0, false);
  StratusDatabaseResult *d = &g_array_index (r->databases, StratusDatabaseResult, 0);
  g_array_set_size (d->failover_log, 0);
  d->failovers = 0;
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  assert_near (figure (report, "databases.app-db.failovers", NULL), 0, 0);
  assert_false (stratus_report_figure (report, "databases.app-db.failover.total_s", NULL, NULL));
  assert_false (stratus_report_figure (report, "databases.app-db.failover.detection_s", NULL,
                                       NULL));
  char *text = stratus_report_text (report);
  assert_non_null (strstr (text, "    downtime 30.0 s  failovers 0\n    snapshots 2"));
  g_free (text);
  stratus_report_free (report);
}

/* databases.csv: the header, then per replication and interval a row; no writer empty. */
static void
test_csv (void **state)
{
  StratusReport *report = report_of (*state, 2, SYNTHETIC_EVENTS_NONE, false);
  char *csv = stratus_report_databases_csv (report);
  const char *expected =
    "replication,start_s,database,queries,failed,stale_reads,p99_ms,lag_mean_ms,lag_max_ms,"
    "connections,cpu,writer\n"
    "0,0,app-db,250,0,0,2,20,30,15,0.4,app-db-1\n"
    "0,30,app-db,250,15,4,3,20,35,16,0.5,\n"
    "0,60,app-db,250,0,0,10,25,40,14,0.3,app-db-2\n"
    "0,90,app-db,250,0,0,2.5,20,30,15,0.4,app-db-2\n"
    "1,0,app-db,250,0,0,3,20,30,16,0.4,app-db-1\n"
    "1,30,app-db,250,15,4,4,20,35,17,0.5,\n"
    "1,60,app-db,250,0,0,11,25,40,15,0.3,app-db-2\n"
    "1,90,app-db,250,0,0,3.5,20,30,16,0.4,app-db-2\n";
  assert_string_equal (csv, expected);
  g_free (csv);
  stratus_report_free (report);
}

/* report.txt: the Databases section (facts, members, queries and latency by endpoint,
 * failures by reason, lag, connections, downtime, the failover with its durations,
 * snapshots), between Auto Scaling and the Timeline, which lists the database events. */
static void
test_text (void **state)
{
  StratusReport *report = report_of (*state, 1, SYNTHETIC_EVENTS_NONE, true);
  char *text = stratus_report_text (report);
  const char *expected =
    "\nDatabases\n"
    "  app-db  aurora-mysql  db.r6g.large  aurora\n"
    "    app-db-1  us-east-1a  writer -> reader  cpu 45.0%  connections mean 12.50 peak 20"
    "  queries 1000\n"
    "    app-db-2  us-east-1b  reader -> writer  cpu 20.0%  connections mean 3.00 peak 8"
    "  queries 500\n"
    "    queries       writer 1000  reader 500  instance 0   reads 500  writes 1000\n"
    "    latency (ms)  writer p50 2.00 p99 9.99 p99.9 49.94   reader p50 1.00 p99 1.00 "
    "p99.9 1.00\n"
    "    failed        reset 10  no_writer 5  total 15   retries 12  requests failed 3\n"
    "    stale reads 4  lost writes 2  replica lag mean 20.0 ms  max 35.0 ms\n"
    "    connections   mean 15.50  peak 28   pool waits 4 (mean 2.500 ms)   CPU waited 10.00%"
    "  mean wait 0.100 ms\n"
    "    downtime 30.0 s  failovers 1  detection 12.0 s  total 30.0 s\n"
    "      00:00:40  failover app-db-1 -> app-db-2  detection 12.0 s  total 30.0 s"
    "  lost writes 2\n"
    "    snapshots 2  retained 2.50 GiB  storage over time 30.00 GiB-hours"
    "   allocated storage 20.00 GiB\n"
    "\nTimeline\n"
    "  00:00:40  db_failure app-db  app-db-1: instance failure\n"
    "  00:01:10  failover   app-db  app-db-2: detection 12.0 s, total 30.0 s, app-db-1 -> "
    "app-db-2\n"
    "  00:01:10  promotion  app-db  app-db-2: reader -> writer\n"
    "  00:01:10  dns_change app-db  writer: app-db-1 -> app-db-2\n"
    "  00:01:40  db_recover app-db  app-db-1: back as reader\n"
    "  00:01:50  snapshot   app-db  app-db: automated, 2.5 GiB\n";
  if (!g_str_has_suffix (text, expected))
    fail_msg ("report.txt ends:\n%s", strstr (text, "\nAuto Scaling"));
  /* After the Auto Scaling section. */
  assert_non_null (strstr (text, "\nAuto Scaling\n"));
  assert_true (strstr (text, "\nAuto Scaling\n") < strstr (text, "\nDatabases\n"));
  g_free (text);
  stratus_report_free (report);

  /* Two replications: means with intervals, and the failovers of the first. */
  report = report_of (*state, 2, SYNTHETIC_EVENTS_NONE, false);
  text = stratus_report_text (report);
  assert_non_null (strstr (text, "    downtime 35.0 \u00b1 63.5 s  failovers 1.0 \u00b1 0.0"
                                 "  detection 13.0 \u00b1 12.7 s  total 35.0 \u00b1 63.5 s\n"
                                 "      in the first replication:\n"
                                 "      00:00:40  failover app-db-1 -> app-db-2  detection 12.0 s"
                                 "  total 30.0 s  lost writes 2\n"));
  g_free (text);
  stratus_report_free (report);
}

/* events.csv: the database events, each with its database as the group, a failover's
 * total seconds as its value and its detail quoted (it holds commas). */
static void
test_events_csv (void **state)
{
  StratusReport *report = report_of (*state, 2, SYNTHETIC_EVENTS_NONE, true);
  char *csv = stratus_report_events_csv (report);
  assert_non_null (strstr (csv, "\n0,40,db_failure,app-db-1,app-db,us-east-1a,,,,instance failure\n"
                                "0,70,failover,app-db-2,app-db,us-east-1b,,,30,"
                                "\"detection 12.0 s, total 30.0 s, app-db-1 -> app-db-2\"\n"
                                "0,70,promotion,app-db-2,app-db,us-east-1b,,,,reader -> writer\n"
                                "0,70,dns_change,writer,app-db,,,,,app-db-1 -> app-db-2\n"
                                "0,100,db_recover,app-db-1,app-db,us-east-1a,,,,back as reader\n"
                                "0,110,snapshot,app-db,app-db,,,,2.5,\"automated, 2.5 GiB\"\n"));
  assert_non_null (strstr (csv, "\n1,80,failover,app-db-2,app-db,us-east-1b,,,40,"
                                "\"detection 14.0 s, total 40.0 s, app-db-1 -> app-db-2\"\n"));
  g_free (csv);
  stratus_report_free (report);
}

/* report.json: the databases object with its figures (counts as integers with one
 * replication), its facts, its members' facts, the failover log; the timeline's database
 * events. */
static void
test_json (void **state)
{
  StratusReport *report = report_of (*state, 1, SYNTHETIC_EVENTS_NONE, true);
  char *text = stratus_report_json (report);
  JsonParser *parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *db = json_member (root, "databases", "app-db", NULL);
  assert_string_equal (json_node_get_string (json_member (db, "engine", NULL)), "aurora-mysql");
  assert_string_equal (json_node_get_string (json_member (db, "deployment", NULL)), "aurora");
  assert_string_equal (json_node_get_string (json_member (db, "instance_class", NULL)), "db.r6g.large");
  assert_int_equal (json_node_get_int (json_member (db, "queries", "writer", NULL)), 1000);
  assert_int_equal (json_node_get_int (json_member (db, "failed", "reset", NULL)), 10);
  assert_int_equal (json_node_get_int (json_member (db, "failed_total", NULL)), 15);
  assert_near (json_node_get_double (json_member (db, "latency", "reader", "p99_ms", NULL)), 1, 1e-12);
  assert_near (json_node_get_double (json_member (db, "replica_lag", "max_ms", NULL)), 35, 1e-9);
  assert_near (json_node_get_double (json_member (db, "failover", "total_s", NULL)), 30, 1e-9);
  JsonNode *m2 = json_member (db, "members", "app-db-2", NULL);
  assert_string_equal (json_node_get_string (json_member (m2, "az", NULL)), "us-east-1b");
  assert_string_equal (json_node_get_string (json_member (m2, "role_start", NULL)), "reader");
  assert_string_equal (json_node_get_string (json_member (m2, "role_end", NULL)), "writer");
  assert_true (json_node_get_boolean (json_member (m2, "up_at_end", NULL)));
  assert_int_equal (json_node_get_int (json_member (m2, "queries", NULL)), 500);
  assert_near (json_node_get_double (json_member (m2, "cpu", NULL)), 0.2, 1e-12);
  JsonArray *log = json_node_get_array (json_member (db, "failover_log", NULL));
  assert_int_equal (json_array_get_length (log), 1);
  JsonObject *f = json_array_get_object_element (log, 0);
  assert_near (json_object_get_double_member (f, "failed_s"), 40, 1e-12);
  assert_near (json_object_get_double_member (f, "detected_s"), 52, 1e-12);
  assert_near (json_object_get_double_member (f, "completed_s"), 70, 1e-12);
  assert_string_equal (json_object_get_string_member (f, "from"), "app-db-1");
  assert_string_equal (json_object_get_string_member (f, "to"), "app-db-2");
  assert_int_equal (json_object_get_int_member (f, "lost_writes"), 2);
  assert_false (json_object_get_boolean_member (f, "manual"));
  JsonArray *timeline = json_node_get_array (json_member (root, "timeline", NULL));
  assert_int_equal (json_array_get_length (timeline), 6);
  JsonObject *e1 = json_array_get_object_element (timeline, 1);
  assert_string_equal (json_object_get_string_member (e1, "event"), "failover");
  assert_string_equal (json_object_get_string_member (e1, "group"), "app-db");
  assert_near (json_object_get_double_member (e1, "value"), 30, 1e-12);
  g_object_unref (parser);
  g_free (text);
  stratus_report_free (report);

  /* Two replications: the database's figures have their intervals under ci95. */
  report = report_of (*state, 2, SYNTHETIC_EVENTS_NONE, false);
  text = stratus_report_json (report);
  parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_parser_get_root (parser);
  assert_near (json_node_get_double (json_member (root, "ci95", "databases", "app-db", "queries",
                                             "writer", "half_width", NULL)),
               12.706204736 * 100, 1e-3);
  assert_near (json_node_get_double (json_member (root, "databases", "app-db", "queries", "writer",
                                             NULL)), 1100, 1e-9);
  g_object_unref (parser);
  g_free (text);
  stratus_report_free (report);
}

/* The database chart: query p99, the lag (mean and max) and the open connections, means
 * over replications with bands; the database's own markers only (a failure down, the
 * failover up once for its promotion too, the recovery up), not the groups' scaling; its
 * file is written with the others. */
static void
test_chart (void **state)
{
  Fixture *f = *state;
  StratusReport *report = report_of (f, 2, SYNTHETIC_EVENTS_CHART, true);
  StratusChart *c = stratus_charts_build (report, "database-app-db");
  assert_non_null (c);
  assert_int_equal (stratus_chart_series_count (c), 4);
  assert_string_equal (stratus_chart_series_name (c, 0), "query p99");
  assert_string_equal (stratus_chart_series_name (c, 1), "replica lag, mean");
  assert_string_equal (stratus_chart_series_name (c, 2), "replica lag, max");
  assert_string_equal (stratus_chart_series_name (c, 3), "open connections (right axis)");
  assert_int_equal (stratus_chart_series_axis (c, 3), STRATUS_AXIS_RIGHT);
  assert_int_equal (stratus_chart_series_length (c, 0), 4);
  assert_int_equal (stratus_chart_band_length (c, 0), 4);
  double x, y, low, high;
  stratus_chart_series_point (c, 0, 0, &x, &y); /* interval 0..30 s: p99 2 and 3 ms */
  assert_near (x, 15, 1e-9);
  assert_near (y, 2.5, 1e-12);
  stratus_chart_band_sample (c, 0, 0, &x, &low, &high);
  assert_near (high - y, 12.706204736 * 0.5, 1e-6);
  assert_near (low, 0, 0); /* cut at 0 */
  stratus_chart_series_point (c, 2, 2, &x, &y);
  assert_near (y, 40, 0);
  stratus_chart_series_point (c, 3, 1, &x, &y);
  assert_near (y, 16.5, 1e-12);
  assert_int_equal (stratus_chart_marker_count (c), 3);
  static const double at[] = { 40, 70, 100 };
  static const StratusMarkerDirection dirs[] = { STRATUS_MARKER_DOWN, STRATUS_MARKER_UP,
                                                 STRATUS_MARKER_UP };
  for (size_t i = 0; i < 3; i++)
    {
      StratusMarkerDirection dir;
      stratus_chart_marker (c, i, &x, &dir);
      assert_near (x, at[i], 1e-9);
      assert_int_equal (dir, dirs[i]);
    }
  stratus_chart_free (c);
  /* The report-wide charts keep the scaling markers only. */
  c = stratus_charts_build (report, "latency");
  assert_int_equal (stratus_chart_marker_count (c), 2);
  stratus_chart_free (c);
  assert_null (stratus_charts_build (report, "database-nope"));

  assert_true (stratus_charts_write (report, f->dir, STRATUS_PLOT_PNG, NULL));
  char *path = g_build_filename (f->dir, "database-app-db.png", NULL);
  char *data = NULL;
  gsize len = 0;
  assert_true (g_file_get_contents (path, &data, &len, NULL));
  assert_true (len > 5000);
  assert_memory_equal (data, "\x89PNG\r\n\x1a\n", 8);
  g_free (data);
  g_free (path);
  stratus_report_free (report);
}

/* strcmp of two elements of a GPtrArray of strings, for g_ptr_array_sort. */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names of the files in `dir`, sorted, space-separated. Caller frees. */
static char *
listing (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  assert_non_null (d);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  char *text = g_strjoinv (" ", (char **) names->pdata);
  g_ptr_array_unref (names);
  return text;
}

/* Writes `report`'s set and charts into DIR/NAME; returns the listing of the files. */
static char *
write_all (const Fixture *f, const StratusReport *report, const char *name)
{
  char *out = g_build_filename (f->dir, name, NULL);
  GError *error = NULL;
  StratusOutputSet *set = stratus_output_set_open (out, stratus_report_file_names (), &error);
  if (set == NULL)
    fail_msg ("%s", error->message);
  if (!stratus_report_write_set (report, set, &error) || !stratus_output_set_publish (set, &error))
    fail_msg ("%s", error->message);
  stratus_output_set_free (set);
  assert_true (stratus_charts_write (report, out, STRATUS_PLOT_SVG, NULL));
  char *files = listing (out);
  g_free (out);
  return files;
}

/* With a database, databases.csv is written (what stratus_report_databases_csv gives). */
static void
test_files_with_database (void **state)
{
  Fixture *f = *state;
  StratusReport *report = report_of (f, 1, SYNTHETIC_EVENTS_NONE, false);
  char *files = write_all (f, report, "out");
  assert_non_null (strstr (files, "database-app-db.svg"));
  assert_non_null (strstr (files, " databases.csv "));
  char *path = g_build_filename (f->dir, "out", "databases.csv", NULL);
  char *written = NULL, *expected = stratus_report_databases_csv (report);
  assert_true (g_file_get_contents (path, &written, NULL, NULL));
  assert_string_equal (written, expected);
  g_free (written);
  g_free (expected);
  g_free (path);
  g_free (files);
  stratus_report_free (report);
}

/* Without databases: no databases.csv, no database chart, no Databases section, no
 * "databases" in report.json; the CSV alone is its header. */
static void
test_without_databases (void **state)
{
  Fixture *f = *state;
  StratusReport *report = stratus_report_new (f->scenario);
  StratusRunResult *r = synthetic_result (0, SYNTHETIC_EVENTS_BASIC, 4);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  char *files = write_all (f, report, "out");
  assert_string_equal (files, "capacity-web-asg.svg events.csv groups.csv latency.svg network.svg "
                              "report.json report.txt run.json throughput.svg timeseries.csv "
                              "utilisation-web-asg.svg utilisation.svg");
  g_free (files);
  assert_int_equal (stratus_report_database_count (report), 0);
  char *text = stratus_report_text (report);
  assert_null (strstr (text, "Databases"));
  g_free (text);
  char *json = stratus_report_json (report);
  assert_null (strstr (json, "\"databases\""));
  g_free (json);
  char *csv = stratus_report_databases_csv (report);
  assert_string_equal (csv, "replication,start_s,database,queries,failed,stale_reads,p99_ms,"
                            "lag_mean_ms,lag_max_ms,connections,cpu,writer\n");
  g_free (csv);
  stratus_report_free (report);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_figures, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_csv, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_text, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_events_csv, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_json, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_chart, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_files_with_database, setup_with_database, teardown),
    cmocka_unit_test_setup_teardown (test_without_databases, setup_without_database, teardown),
  };
  int failed = cmocka_run_group_tests (tests, NULL, NULL);
  stratus_plot_shutdown ();
  return failed;
}
