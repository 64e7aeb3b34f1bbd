/* Databases in the model: failover durations follow their distributions; a synchronous
 * standby loses no write; promoting a lagging replica loses exactly the writes in its lag;
 * queries during a failover fail or are retried as configured, and clients keep failing
 * until their cached DNS answer expires; the loss of the writer's AZ fails over; replica
 * lag is zero without writes and grows when writes outpace the apply rate; a small pool
 * makes queries wait for connections; a member's CPU is an M/M/c queue (Erlang C);
 * restores lose the writes after the snapshot; every request and query is accounted
 * for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "queueing_theory.h"
#include "result_checks.h"
#include "scenario_checks.h"
#include "stratus/model.h"
#include "stratus/results.h"
#include "stratus/stats.h"

/* Two AZs, no VPC; a web fleet of big instances (its own queueing is negligible: 1 us of
 * CPU per request) whose requests each make `queries` queries to `db`. */
#define BASE_HEAD \
  "duration: 20m\n" \
  "warmup: 0s\n" \
  "azs: [us-east-1a, us-east-1b, us-east-1c]\n" \
  "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n" \
  "load_balancers:\n" \
  "  alb: {target_group: tg, processing_time: 0s}\n" \
  "instances:\n" \
  "  web:\n" \
  "    count: 2\n" \
  "    type: c5.4xlarge\n" \
  "    workers: 64\n" \
  "    queue_limit: 100000\n" \
  "    service_time: {dist: constant, mean: 1us}\n" \
  "    target_group: tg\n" \
  "    database: {name: db, queries: 1, write_fraction: 0.2, pool: 64, timeout: 2s}\n" \
  "databases:\n" \
  "  db:\n" \
  "    engine: aurora-mysql\n" \
  "    instance_class: db.r6g.large\n"
#define BASE_TAIL \
  "    read_time: {dist: exponential, mean: 1ms}\n" \
  "    write_time: {dist: exponential, mean: 2ms}\n" \
  "    backup_retention: 0\n" \
  "workload:\n" \
  "  users: {entry: alb, rate: 200/s, timeout: 30s}\n" \
  "report: {interval: 1m}\n"

/* Aurora with one reader, and the same for the other engines (no `readers`). */
static const char base_yaml[] = BASE_HEAD "    readers: 1\n" BASE_TAIL;
static const char mysql_yaml[] = BASE_HEAD BASE_TAIL;

/* Replication `rep` with seed 1. */
static StratusRunResult *
run_rep (const StratusScenario *s, uint32_t rep)
{
  StratusRunOptions options = { .seed = 1, .replication = rep };
  return stratus_model_run (s, &options);
}

static const StratusDatabaseResult *
db0 (const StratusRunResult *r)
{
  assert_int_equal (r->databases->len, 1);
  return &g_array_index (r->databases, StratusDatabaseResult, 0);
}

/* Attempts that failed, every reason. */
static uint64_t
failed_total (const StratusDatabaseResult *d)
{
  uint64_t n = 0;
  for (int k = 0; k < STRATUS_N_QUERY_FAILS; k++)
    n += d->failed[k];
  return n;
}

/* Successful queries, every endpoint. */
static uint64_t
queries_total (const StratusDatabaseResult *d)
{
  uint64_t n = 0;
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    n += d->queries[e];
  return n;
}

/* Every request ends in one outcome, and every request that failed for its database
 * counts once in requests_failed. */
static void
assert_db_accounted (const StratusRunResult *r)
{
  assert_requests_accounted (r);
  const StratusDatabaseResult *d = db0 (r);
  assert_int_equal (d->requests_failed, r->outcomes[STRATUS_OUTCOME_500_DATABASE_ERROR]
                                          + r->outcomes[STRATUS_OUTCOME_502_DATABASE_ERROR]);
  assert_int_equal (d->reads + d->writes, queries_total (d));
}

/* With no fault: every query succeeds, reads go to the reader, writes to the writer,
 * the writer's CPU is about its offered load. */
static void
test_steady_state (void **state)
{
  g_autoptr (StratusScenario) s
    = load_ok_set (base_yaml, "instances.web.database.reads_from=reader",
                   NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  assert_int_equal (failed_total (d), 0);
  assert_int_equal (r->outcomes[STRATUS_OUTCOME_OK], r->total);
  assert_true (d->queries[STRATUS_DB_ENDPOINT_READER] > 150000);
  assert_true (d->queries[STRATUS_DB_ENDPOINT_WRITER] > 40000);
  /* 20% of 200/s writes of 2 ms on 2 vCPUs: 0.2 x 200 x 0.002 / 2 = 4%. */
  const StratusDbMemberResult *writer = &g_array_index (d->members, StratusDbMemberResult, 0);
  assert_true (fabs (writer->cpu - 0.04) < 0.005);
  assert_int_equal (d->failovers, 0);
  assert_int_equal (d->lost_writes, 0);
  assert_true (d->peak_connections > 0);
  assert_true (d->peak_connections <= 2 * 64);
}

/* Failures of the writer with recovery: each fails over after a detection and a promotion
 * drawn from their uniform distributions. */
static void
test_failover_durations_follow_distributions (void **state)
{
  GString *actions = g_string_new ("databases.db.actions=[");
  for (int k = 0; k < 12; k++)
    g_string_append_printf (actions, "%s{at: %dm, action: fail_writer, recover_after: 1m}",
                            k ? ", " : "", 5 + 5 * k);
  g_string_append (actions, "]");
  g_autoptr (StratusScenario) s
    = load_ok_set (base_yaml, "duration=70m", "workload.users.rate=20/s",
                   "databases.db.failover.detection_time={dist: uniform, "
                   "min: 5s, max: 15s}",
                   "databases.db.failover.promotion_time={dist: uniform, "
                   "min: 20s, max: 40s}",
                   actions->str, NULL);
  g_string_free (actions, TRUE);
  StratusSummary detection = { 0 }, promotion = { 0 };
      for (uint32_t rep = 0; rep < 5; rep++)
    {
      g_autoptr (StratusRunResult) r = run_rep (s, rep);
      const StratusDatabaseResult *d = db0 (r);
      assert_int_equal (d->failover_log->len, 12);
      for (guint i = 0; i < d->failover_log->len; i++)
        {
          const StratusFailoverRecord *f = &g_array_index (d->failover_log,
                                                           StratusFailoverRecord, i);
          double det = stratus_time_seconds (f->detected - f->failed);
          double pro = stratus_time_seconds (f->completed - f->detected);
          assert_true (det >= 5 && det <= 15);
          assert_true (pro >= 20 && pro <= 40);
          assert_int_equal (f->lost_writes, 0); /* Aurora: a shared volume */
          assert_true (f->from != f->to);
          stratus_summary_add (&detection, det);
          stratus_summary_add (&promotion, pro);
        }
    }
  /* 60 draws each: the means within 4 standard errors of 10 s and 30 s. */
  double se_det = 10 / sqrt (12.0) / sqrt (60.0), se_pro = 20 / sqrt (12.0) / sqrt (60.0);
  assert_true (fabs (detection.mean - 10) < 4 * se_det);
  assert_true (fabs (promotion.mean - 30) < 4 * se_pro);
}

/* A Multi-AZ instance with a synchronous standby: the writer's failure loses no write, the
 * standby becomes the writer in the other AZ, commits wait for the standby's round trip
 * before and not while it is down. */
static void
test_sync_standby_loses_no_write (void **state)
{
  g_autoptr (StratusScenario) s
    = load_ok_set (mysql_yaml, "databases.db.engine=mysql",
                   "databases.db.deployment=multi_az_instance",
                   
                   "databases.db.actions=[{at: 5m, action: fail_writer}]",
                   NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  assert_int_equal (d->failovers, 1);
  assert_int_equal (d->lost_writes, 0);
  const StratusFailoverRecord *f = &g_array_index (d->failover_log, StratusFailoverRecord, 0);
  assert_int_equal (f->lost_writes, 0);
  double total = stratus_time_seconds (f->completed - f->failed);
  assert_true (total >= 60 && total <= 120); /* the default: detection 10-30 s, promotion 50-90 s */
  const StratusDbMemberResult *old = &g_array_index (d->members, StratusDbMemberResult, 0);
  const StratusDbMemberResult *standby = &g_array_index (d->members, StratusDbMemberResult, 1);
  assert_int_equal (standby->role_end, STRATUS_DB_ROLE_WRITER);
  assert_int_equal (old->role_end, STRATUS_DB_ROLE_STANDBY);
  assert_false (old->up_at_end);
  assert_string_not_equal (old->az, standby->az);
  /* The writer was gone for the failover: downtime is its duration. */
  assert_true (fabs (stratus_time_seconds (d->downtime) - total) < 1e-6);
  assert_true (d->writes > 0);
}

/* Promoting a read replica that cannot keep up (writes at about 40/s, applied at 10/s)
 * loses the writes still in its lag: those committed minus those applied. */
static void
test_replica_promotion_loses_the_lag (void **state)
{
  g_autoptr (StratusScenario) s
    = load_ok_set (mysql_yaml, "databases.db.engine=mysql",
                   "databases.db.deployment=single_az",
                                         "databases.db.read_replicas=1",
                   "databases.db.apply_rate=10",
                   "instances.web.database.write_fraction=1",
                   "workload.users.rate=40/s", "report.interval=1m",
                   "duration=10m",
                   "databases.db.actions=[{at: 5m, action: promote_replica}]",
                   NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  /* Writes committed before the promotion: the successful queries of the rows before it
   * (every query is a write; an answer comes 0.2 ms after its commit). */
  uint64_t before = 0;
  for (size_t i = 0; i < stratus_run_result_database_row_count (r); i++)
    {
      StratusDatabaseRow row = stratus_run_result_database_row (r, i);
      if (row.start < 5 * 60 * STRATUS_SECOND)
        before += row.queries;
    }
  double applied = 10.0 * 300; /* the replica never catches up: 10/s for 300 s */
  double expected = (double) before - applied;
  assert_true (expected > 8000);
  assert_true (fabs ((double) d->lost_writes - expected) <= 2);
  assert_int_equal (d->failover_log->len, 1);
  const StratusFailoverRecord *f = &g_array_index (d->failover_log, StratusFailoverRecord, 0);
  assert_int_equal (f->lost_writes, d->lost_writes);
  const StratusDbMemberResult *replica = &g_array_index (d->members, StratusDbMemberResult, 1);
  assert_int_equal (replica->role_start, STRATUS_DB_ROLE_REPLICA);
  assert_int_equal (replica->role_end, STRATUS_DB_ROLE_WRITER);
  /* Its lag had grown to about (40 - 10) x 300 / 10 = 900 s. */
  assert_true (d->lag_max_s > 700 && d->lag_max_s < 1100);
}

/* Replica lag: zero without writes (and no stale read), growing when writes outpace the
 * apply rate (each row's maximum above the one before), small when they do not. */
static void
test_replica_lag (void **state)
{
  const char *replica[] = { "databases.db.engine=mysql", "databases.db.deployment=single_az",
                            "databases.db.read_replicas=1",
                            "instances.web.database.reads_from=reader", "duration=10m" };
  {
    g_autoptr (StratusScenario) s
      = load_ok_set (mysql_yaml, replica[0], replica[1], replica[2], replica[3],
                     replica[4],
                     "instances.web.database.write_fraction=0", NULL);
    g_autoptr (StratusRunResult) r = run_rep (s, 0);
    const StratusDatabaseResult *d = db0 (r);
    assert_true (d->queries[STRATUS_DB_ENDPOINT_READER] > 100000);
    assert_true (d->lag_mean_s == 0 && d->lag_max_s == 0);
    assert_int_equal (d->stale_reads, 0);
  }
  {
    /* 40 writes/s against 20 applied per second: the lag grows by 1 s each second. */
    g_autoptr (StratusScenario) s
      = load_ok_set (mysql_yaml, replica[0], replica[1], replica[2], replica[3],
                     replica[4],
                     "databases.db.apply_rate=20", NULL);
    g_autoptr (StratusRunResult) r = run_rep (s, 0);
    const StratusDatabaseResult *d = db0 (r);
    double previous = 0;
    size_t rows = stratus_run_result_database_row_count (r);
    assert_int_equal (rows, 10);
    for (size_t i = 0; i < rows; i++)
      {
        StratusDatabaseRow row = stratus_run_result_database_row (r, i);
        assert_true (row.lag_max_ms > previous);
        previous = row.lag_max_ms;
      }
    assert_true (fabs (d->lag_max_s - 600) < 60);
    assert_true (d->stale_reads > d->reads * 9 / 10);
  }
  {
    /* 40 writes/s against 5,000: a write is applied in 0.2 ms, few reads see it. */
    g_autoptr (StratusScenario) s
      = load_ok_set (mysql_yaml, replica[0], replica[1], replica[2], replica[3],
                     replica[4], NULL);
    g_autoptr (StratusRunResult) r = run_rep (s, 0);
    const StratusDatabaseResult *d = db0 (r);
    assert_true (d->lag_max_s < 0.01);
    assert_true (d->stale_reads < d->reads / 100);
  }
}

/* A manual failover of Aurora with a constant 10 s promotion and no retry: requests fail
 * (500 database_error) from the reboot until the clients' cached DNS answers expire (TTL
 * 5 s after the flip), then succeed; with retries (8 attempts, backoff up to 2 s) most
 * of those requests succeed instead. */
static void
test_failover_fails_or_retries (void **state)
{
  const char *common[] = { "databases.db.failover.promotion_time={dist: constant, mean: 10s}",
                           "databases.db.actions=[{at: 5m, action: failover}]",
                           "report.interval=1s", "duration=8m" };
  g_autoptr (StratusScenario) fail
    = load_ok_set (base_yaml, common[0], common[1], common[2], common[3],
                   NULL);
  g_autoptr (StratusRunResult) r = run_rep (fail, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  assert_int_equal (d->failovers, 1);
  assert_true (r->outcomes[STRATUS_OUTCOME_500_DATABASE_ERROR] > 500);
  assert_int_equal (d->retries, 0);
  StratusTime reboot = 300 * STRATUS_SECOND, flip = 310 * STRATUS_SECOND;
  uint64_t during = 0, after_ttl = 0, cached = 0;
  for (size_t i = 0; i < stratus_run_result_database_row_count (r); i++)
    {
      StratusDatabaseRow row = stratus_run_result_database_row (r, i);
      if (row.start >= reboot && row.start < flip)
        during += row.failed;
      else if (row.start >= flip && row.start < flip + 5 * STRATUS_SECOND)
        cached += row.failed;
      else if (row.start >= flip + 5 * STRATUS_SECOND)
        after_ttl += row.failed;
      if (row.start >= flip + 5 * STRATUS_SECOND)
        assert_int_equal (row.writer, 1);
    }
  assert_true (during > 300);
  assert_true (cached > 0); /* answers cached before the flip still name the old writer */
  assert_int_equal (after_ttl, 0);

  g_autoptr (StratusScenario) retry
    = load_ok_set (base_yaml, common[0], common[1], common[2],
                   common[3], "instances.web.database.on_failure=retry",
                   "instances.web.database.retries=8",
                   "instances.web.database.backoff=1s", NULL);
  g_autoptr (StratusRunResult) rr = run_rep (retry, 0);
  const StratusDatabaseResult *dr = db0 (rr);
  assert_db_accounted (rr);
  assert_true (dr->retries > 500);
  assert_true (dr->requests_failed * 5 < d->requests_failed);
}

/* us-east-1a goes down at 5 minutes and comes back at 10. */
static void
az_down (StratusModel *m, void *data)
{
  stratus_model_set_az_down (m, "us-east-1a", true);
}

static void
az_up (StratusModel *m, void *data)
{
  stratus_model_set_az_down (m, "us-east-1a", false);
}

static void
setup_az_outage (StratusModel *m, void *data)
{
  stratus_model_at (m, 5 * 60 * STRATUS_SECOND, az_down, NULL);
  stratus_model_at (m, 10 * 60 * STRATUS_SECOND, az_up, NULL);
}

/* The writer's AZ fails: Aurora fails over to the reader in us-east-1b (detection and
 * promotion as configured), the old writer comes back with its AZ as a reader, and no
 * write is lost. */
static void
test_az_failure_fails_over (void **state)
{
  g_autoptr (StratusScenario) s
    = load_ok_set (base_yaml, "duration=15m",
                   "databases.db.failover.detection_time={dist: constant, "
                   "mean: 5s}",
                   "databases.db.failover.promotion_time={dist: constant, "
                   "mean: 15s}",
                   NULL);
  StratusRunOptions options = { .seed = 1, .setup = setup_az_outage };
  g_autoptr (StratusRunResult) r = stratus_model_run (s, &options);
  const StratusDatabaseResult *d = db0 (r);
  assert_requests_accounted (r);
  assert_int_equal (d->failovers, 1);
  const StratusFailoverRecord *f = &g_array_index (d->failover_log, StratusFailoverRecord, 0);
  assert_int_equal (f->failed, 300 * STRATUS_SECOND);
  assert_int_equal (f->detected, 305 * STRATUS_SECOND);
  assert_int_equal (f->completed, 320 * STRATUS_SECOND);
  assert_int_equal (f->from, 0);
  assert_int_equal (f->to, 1);
  assert_int_equal (d->lost_writes, 0);
  assert_true (fabs (stratus_time_seconds (d->downtime) - 20) < 1e-6);
  const StratusDbMemberResult *old = &g_array_index (d->members, StratusDbMemberResult, 0);
  assert_int_equal (old->role_end, STRATUS_DB_ROLE_AURORA_READER);
  assert_true (old->up_at_end);
  /* The failure's event says why; the recovery came with the AZ. */
  bool failure_seen = false, recovery_seen = false;
  for (guint i = 0; i < r->timeline->len; i++)
    {
      const StratusTimelineEvent *e = &g_array_index (r->timeline, StratusTimelineEvent, i);
      if (e->kind == STRATUS_EVENT_DB_FAILURE && e->at == 300 * STRATUS_SECOND)
        failure_seen = strstr (e->detail, "its AZ is down") != NULL;
      if (e->kind == STRATUS_EVENT_DB_RECOVER && e->at == 600 * STRATUS_SECOND)
        recovery_seen = strcmp (e->subject, "db-1") == 0;
    }
  assert_true (failure_seen);
  assert_true (recovery_seen);
  /* Writes went on at the new writer after the failover. */
  uint64_t later = 0;
  for (size_t i = 0; i < stratus_run_result_database_row_count (r); i++)
    {
      StratusDatabaseRow row = stratus_run_result_database_row (r, i);
      if (row.start >= 6 * 60 * STRATUS_SECOND)
        {
          assert_int_equal (row.writer, 1);
          later += row.queries;
        }
    }
  assert_true (later > 50000);
}

/* us-east-1a goes down for ten seconds at 200 s. */
static void
az_blip_down (StratusModel *m, void *data)
{
  stratus_model_set_az_down (m, "us-east-1a", true);
}

static void
setup_az_blip (StratusModel *m, void *data)
{
  stratus_model_at (m, 200 * STRATUS_SECOND, az_blip_down, NULL);
  stratus_model_at (m, 210 * STRATUS_SECOND, az_up, NULL);
}

/* A member down for several causes comes back only when none is left: a writer whose
 * instance failed for good stays down when its AZ, down meanwhile, comes back. */
static void
test_member_down_until_every_cause_clears (void **state)
{
  g_autoptr (StratusScenario) s = load_ok_set (mysql_yaml, "databases.db.engine=mysql",
                                               "databases.db.deployment=single_az",
                                               "duration=10m",
                                               "databases.db.actions=[{at: 100s, action: "
                                               "fail_writer}]",
                                               NULL);
  StratusRunOptions options = { .seed = 1, .setup = setup_az_blip };
  g_autoptr (StratusRunResult) r = stratus_model_run (s, &options);
  const StratusDatabaseResult *d = db0 (r);
  assert_true (fabs (stratus_time_seconds (d->downtime) - 500) < 1e-6);
  assert_false (g_array_index (d->members, StratusDbMemberResult, 0).up_at_end);
  for (guint i = 0; i < r->timeline->len; i++)
    assert_true (g_array_index (r->timeline, StratusTimelineEvent, i).kind
                 != STRATUS_EVENT_DB_RECOVER);
}

/* The writer fails for good at 2 min: the reader takes over. Then the new writer fails
 * and comes back 5 s later, before its failover can find a candidate: it is the writer
 * again (the database is not left without one). */
static void
test_failover_without_candidate_keeps_the_writer (void **state)
{
  g_autoptr (StratusScenario) s = load_ok_set (base_yaml, "duration=10m",
                                               "databases.db.actions=[{at: 2m, action: "
                                               "fail_writer}, {at: 5m, action: fail_writer, "
                                               "recover_after: 5s}]",
                                               NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  assert_int_equal (d->failovers, 1);
  /* Down for the first failover (at most 10 + 20 s) and from 5 min until its detection
   * and promotion find no candidate (at most 30 s more). */
  assert_true (stratus_time_seconds (d->downtime) < 60);
  const StratusDbMemberResult *second = &g_array_index (d->members, StratusDbMemberResult, 1);
  assert_int_equal (second->role_end, STRATUS_DB_ROLE_WRITER);
  assert_true (second->up_at_end);
  StratusDatabaseRow last = stratus_run_result_database_row (
    r, stratus_run_result_database_row_count (r) - 1);
  assert_int_equal (last.writer, 1);
  assert_int_equal (last.failed, 0);
}

/* A replica applies nothing while its writer is down: promoted during the outage, it
 * loses what it lagged when the writer failed (writes until 5 min minus 300 s at 10/s),
 * not less. */
static void
test_replica_backlog_frozen_while_writer_down (void **state)
{
  g_autoptr (StratusScenario) s = load_ok_set (mysql_yaml, "databases.db.engine=mysql",
                                               "databases.db.deployment=single_az",
                                               "databases.db.read_replicas=1",
                                               "databases.db.apply_rate=10",
                                               "instances.web.database.write_fraction=1",
                                               "workload.users.rate=40/s", "duration=10m",
                                               "databases.db.actions=[{at: 5m, action: "
                                               "fail_writer, recover_after: 100s}, {at: 6m, "
                                               "action: promote_replica}]",
                                               NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  uint64_t before = 0;
  for (size_t i = 0; i < stratus_run_result_database_row_count (r); i++)
    {
      StratusDatabaseRow row = stratus_run_result_database_row (r, i);
      if (row.start < 5 * 60 * STRATUS_SECOND)
        before += row.queries;
    }
  double expected = (double) before - 10.0 * 300;
  assert_true (fabs ((double) d->lost_writes - expected) <= 2);
}

/* Instances whose application runs out of memory again and again, in the middle of their
 * queries: every request is still accounted for, and the database never counts more
 * connections than the pools of the instances alive (4 at most, 4 each). */
static void
test_app_killed_mid_query (void **state)
{
  static const char yaml[] =
    "duration: 10m\n"
    "azs: [us-east-1a, us-east-1b]\n"
    "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n"
    "load_balancers:\n"
    "  alb: {target_group: tg}\n"
    "target_groups:\n"
    "  tg: {health_check: {interval: 10s, timeout: 2s, healthy_threshold: 2, "
    "unhealthy_threshold: 2}}\n"
    "amis:\n"
    "  golden: {boot_time: 20s, app_start_time: 5s}\n"
    "launch_templates:\n"
    "  lt:\n"
    "    ami: golden\n"
    "    instance_type: c5.large\n"
    "    workers: 64\n"
    "    queue_limit: 1000\n"
    "    service_time: {dist: exponential, mean: 5ms}\n"
    "    memory: {base: 3000MiB, per_request: 20MiB}\n"
    "    database: {name: db, queries: 3, pool: 4, timeout: 2s}\n"
    "auto_scaling_groups:\n"
    "  g: {launch_template: lt, min_size: 2, max_size: 4, desired_capacity: 2, "
    "target_groups: [tg], health_check_type: ELB, health_check_grace_period: 0s}\n"
    "databases:\n"
    "  db:\n"
    "    engine: mysql\n"
    "    instance_class: db.t3.micro\n"
    "    write_time: {dist: exponential, mean: 20ms}\n"
    "workload:\n"
    "  u: {entry: alb, rate: 300/s, timeout: 10s}\n";
  g_autoptr (StratusScenario) s = load_ok (yaml);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
  assert_true (g->app_kills > 20);
  assert_true (queries_total (d) > 10000);
  assert_true (d->peak_connections <= 16);
}

/* A pool of 2 connections for 64 workers: queries wait for a connection (and each
 * instance keeps at most 2 open); a pool of 64 makes none wait. */
static void
test_small_pool_waits (void **state)
{
  g_autoptr (StratusScenario) small = load_ok_set (base_yaml, "instances.web.database.pool=1",
                                                   "instances.web.database.queries=4",
                                                   "duration=5m", NULL);
  g_autoptr (StratusRunResult) r = run_rep (small, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  assert_true (d->pool_waits > 1000);
  assert_true (d->pool_wait_sum_ns / (double) d->pool_waits > 1e5); /* > 0.1 ms each */
  assert_true (d->peak_connections <= 2);
  g_autoptr (StratusScenario) big = load_ok_set (base_yaml, "instances.web.database.queries=4",
                                                 "duration=5m", NULL);
  g_autoptr (StratusRunResult) rb = run_rep (big, 0);
  assert_int_equal (db0 (rb)->pool_waits, 0);
}

/* max_connections: a database that admits 1 connection, two instances: the second
 * instance's queries fail (too many connections). */
static void
test_max_connections (void **state)
{
  g_autoptr (StratusScenario) s
    = load_ok_set (base_yaml, "databases.db.max_connections=1",
                   "instances.web.database.pool=1", "duration=2m", NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_db_accounted (r);
  assert_true (d->failed[STRATUS_QUERY_FAIL_TOO_MANY_CONNECTIONS] > 1000);
  assert_true (queries_total (d) > 1000);
  assert_int_equal (d->peak_connections, 1);
}

/* The writer's CPU is an M/M/2 queue: Poisson queries (every request makes one, all
 * writes, from instances that never queue) of exponential work: the mean wait for a vCPU
 * matches Erlang C within the replications' 95% interval. */
static void
test_member_cpu_is_erlang_c (void **state)
{
  double lambda = 300, mu = 1000.0 / 5; /* 5 ms a write, rho = 0.75 */
  g_autoptr (StratusScenario) s
    = load_ok_set (base_yaml, "instances.web.database.write_fraction=1",
                   "databases.db.write_time={dist: exponential, mean: 5ms}",
                   "workload.users.rate=300/s", "duration=12m",
                   "warmup=2m", NULL);
  StratusSummary waits = { 0 };
    for (uint32_t rep = 0; rep < 8; rep++)
    {
      g_autoptr (StratusRunResult) r = run_rep (s, rep);
      const StratusDatabaseResult *d = db0 (r);
      assert_int_equal (failed_total (d), 0);
      assert_true (d->cpu_started > 150000);
      stratus_summary_add (&waits, d->cpu_wait_sum_ns / (double) d->cpu_started / 1e9);
      /* Little's law on the vCPUs: mean busy = lambda x service. */
      const StratusDbMemberResult *writer = &g_array_index (d->members, StratusDbMemberResult, 0);
      assert_true (fabs (writer->cpu * 2 - lambda / mu) < 0.05);
    }
  double expected = mmc_wait (2, lambda, mu);
  double half = stratus_summary_ci95 (&waits);
  double mean = waits.mean;
  print_message ("M/M/2 wait: measured %.4f ms +- %.4f, Erlang C %.4f ms\n", mean * 1e3,
                 half * 1e3, expected * 1e3);
  assert_true (fabs (mean - expected) <= half + 0.02 * expected);
}

/* Without a standby the writer's failure is downtime until it recovers; a restore
 * brings a new writer after its restore time and loses the writes after the snapshot. */
static void
test_single_az_downtime_and_restore (void **state)
{
  {
    g_autoptr (StratusScenario) s
      = load_ok_set (mysql_yaml, "databases.db.engine=mysql",
                     "databases.db.deployment=single_az",
                     
                     "databases.db.actions=[{at: 5m, action: fail_writer, "
                     "recover_after: 3m}]",
                     NULL);
    g_autoptr (StratusRunResult) r = run_rep (s, 0);
    const StratusDatabaseResult *d = db0 (r);
    assert_db_accounted (r);
    assert_int_equal (d->failovers, 0);
    assert_true (fabs (stratus_time_seconds (d->downtime) - 180) < 1e-6);
    assert_true (r->outcomes[STRATUS_OUTCOME_500_DATABASE_ERROR] > 30000);
    assert_int_equal (d->lost_writes, 0);
  }
  {
    g_autoptr (StratusScenario) s
      = load_ok_set (mysql_yaml, "databases.db.engine=mysql",
                     "databases.db.deployment=single_az",
                                           "databases.db.storage=20GiB",
                     "databases.db.restore_time={base: 60s, per_gib: 3s}",
                     "databases.db.actions=[{at: 2m, action: snapshot}, "
                     "{at: 5m, action: fail_writer}, "
                     "{at: 6m, action: restore}]",
                     NULL);
    g_autoptr (StratusRunResult) r = run_rep (s, 0);
    const StratusDatabaseResult *d = db0 (r);
    assert_db_accounted (r);
    /* Writes between 2 and 5 minutes (about 40/s for 180 s) are lost. */
    assert_true (d->lost_writes > 6000 && d->lost_writes < 8500);
    /* Down from 5 min, restored 60 s + 3 s x 20 GiB (and a little) after 6 min. */
    double down = stratus_time_seconds (d->downtime);
    assert_true (down > 60 + 60 + 60 && down < 60 + 60 + 62);
    assert_int_equal (d->snapshots, 1);
    assert_true (d->snapshot_bytes >= 20ull << 30);
  }
}

/* Automated snapshots: one a day in the backup window, the first full and the next
 * incremental (the bytes written since); their storage integrates over time. */
static void
test_automated_snapshots (void **state)
{
  g_autoptr (StratusScenario) s = load_ok_set (base_yaml, "duration=26h", "workload.users.rate=1/s",
                                               "databases.db.backup_retention=1",
                                               "databases.db.backup_window=00:10",
                                               "databases.db.growth_per_write=1MiB",
                                               "report.interval=1h", NULL);
  g_autoptr (StratusRunResult) r = run_rep (s, 0);
  const StratusDatabaseResult *d = db0 (r);
  assert_int_equal (d->snapshots, 2);
  /* The first: 20 GiB and the writes of 10 minutes; the second: one day of writes (about
   * 0.2 x 86,400 = 17,280 MiB). */
  double second_gib = (double) (d->snapshot_bytes - (20ull << 30)) / (1 << 30);
  assert_true (second_gib > 16 && second_gib < 19);
  assert_true (d->snapshot_gib_hours > 20 * 25.8 && d->snapshot_gib_hours < 20 * 26 + 19 * 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_steady_state),
    cmocka_unit_test (test_failover_durations_follow_distributions),
    cmocka_unit_test (test_sync_standby_loses_no_write),
    cmocka_unit_test (test_replica_promotion_loses_the_lag),
    cmocka_unit_test (test_replica_lag),
    cmocka_unit_test (test_failover_fails_or_retries),
    cmocka_unit_test (test_az_failure_fails_over),
    cmocka_unit_test (test_member_down_until_every_cause_clears),
    cmocka_unit_test (test_failover_without_candidate_keeps_the_writer),
    cmocka_unit_test (test_replica_backlog_frozen_while_writer_down),
    cmocka_unit_test (test_app_killed_mid_query),
    cmocka_unit_test (test_small_pool_waits),
    cmocka_unit_test (test_max_connections),
    cmocka_unit_test (test_member_cpu_is_erlang_c),
    cmocka_unit_test (test_single_az_downtime_and_restore),
    cmocka_unit_test (test_automated_snapshots),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
