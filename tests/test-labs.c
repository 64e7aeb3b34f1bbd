/* The AZ-failure teaching labs (scenarios/labs, docs/labs): each lab's teaching point,
 * read from the report of its scenarios, for seeds 1 to 10. Every scenario runs through
 * the library (the path check of lab 5 through the real binary), one replication per seed;
 * each lab prints the figures it checked, one line per seed, which are the numbers its
 * guide quotes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stratus/model.h"
#include "stratus/report.h"

#define SEEDS 10

/* ---- running a lab ------------------------------------------------------------------------ */

/* The report of scenarios/labs/FILE run once with `seed`. Free it with lab_free. */
static StratusReport *
lab_report (const char *file, uint64_t seed)
{
  char *path = g_build_filename (g_getenv ("STRATUS_SOURCE_ROOT"), "scenarios", "labs", file,
                                 NULL);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  StratusRunOptions options = { .seed = seed };
  StratusRunResult *result = stratus_model_run (s, &options);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, result);
  stratus_run_result_free (result);
  g_free (path);
  return report;
}

/* Frees a report of lab_report and its scenario. */
static void
lab_free (StratusReport *report)
{
  StratusScenario *s = (StratusScenario *) stratus_report_scenario (report);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* Figure `path` of a one-replication report (printf-style); fails the test if absent. */
static double G_GNUC_PRINTF (2, 3)
fig (const StratusReport *report, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *path = g_strdup_vprintf (format, args);
  va_end (args);
  double mean = 0;
  if (!stratus_report_figure (report, path, &mean, NULL))
    fail_msg ("no figure %s", path);
  g_free (path);
  return mean;
}

/* The rows of `report` that start in [from, to), summed: arrivals, retries, outcomes. */
static StratusIntervalRow
rows_between (const StratusReport *report, StratusTime from, StratusTime to)
{
  StratusIntervalRow sum = { .start = from, .length = to - from };
  for (size_t i = 0; i < stratus_report_row_count (report); i++)
    {
      unsigned replication;
      StratusIntervalRow row;
      stratus_report_row (report, i, &replication, &row);
      if (row.start < from || row.start >= to)
        continue;
      sum.arrivals += row.arrivals;
      sum.retries += row.retries;
      for (int k = 0; k < STRATUS_N_OUTCOMES; k++)
        sum.outcomes[k] += row.outcomes[k];
    }
  return sum;
}

/* Failed requests of a row: every outcome but 200. */
static uint64_t
failed (const StratusIntervalRow *row)
{
  return stratus_outcome_failed_total (row->outcomes);
}

/* The share of failed requests among those answered in `row` (0 when none). */
static double
failed_share (const StratusIntervalRow *row)
{
  uint64_t answered = failed (row) + row->outcomes[STRATUS_OUTCOME_OK];
  return answered == 0 ? 0 : (double) failed (row) / (double) answered;
}

/* `minutes` as a StratusTime. */
static StratusTime
mins (double minutes)
{
  return (StratusTime) (minutes * (double) STRATUS_MINUTE);
}

/* ---- lab 1: NAT gateways ------------------------------------------------------------------- */

/* One NAT gateway, in the AZ that fails: the surviving AZ's calls die at it (gateway_down,
 * 502.call_failed) for the whole outage, and only then. */
static void
lab1_one_nat_gateway_fails_the_surviving_az (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *r = lab_report ("1-nat-one-gateway.yaml", seed);
      StratusIntervalRow outage = rows_between (r, mins (5), mins (15));
      double call_failed = fig (r, "requests.by_outcome.502.call_failed");
      double gateway_down = fig (r, "network.drops.gateway_down");
      printf ("lab 1 one gateway, seed %2" G_GUINT64_FORMAT ": sent in the outage %"
              G_GUINT64_FORMAT ", 502.call_failed %.0f, drops gateway_down %.0f, success %.3f\n",
              seed, outage.arrivals, call_failed, gateway_down,
              fig (r, "availability.success_ratio"));
      /* After the load balancer's DNS stops naming the dead AZ's node (90 s), every request
       * reaches us-east-1b and its call fails: well over 80% of the outage's requests. */
      assert_true (call_failed >= 0.8 * (double) outage.arrivals);
      assert_true (gateway_down >= call_failed);
      assert_true (fig (r, "by_az.us-east-1b.served") >= 0.8 * (double) outage.arrivals);
      StratusIntervalRow before = rows_between (r, 0, mins (5));
      StratusIntervalRow after = rows_between (r, mins (15) + 10 * STRATUS_SECOND, mins (20));
      assert_int_equal (before.outcomes[STRATUS_OUTCOME_502_CALL_FAILED], 0);
      assert_int_equal (after.outcomes[STRATUS_OUTCOME_502_CALL_FAILED], 0);
      lab_free (r);
    }
}

/* One NAT gateway per AZ: no call fails, the surviving AZ calls out through its own. */
static void
lab1_nat_per_az_keeps_the_surviving_az_calling (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *r = lab_report ("1-nat-per-az.yaml", seed);
      printf ("lab 1 per AZ, seed %2" G_GUINT64_FORMAT ": 502.call_failed %.0f, drops gateway_down "
              "%.0f, success %.3f, downtime %.0f s\n",
              seed, fig (r, "requests.by_outcome.502.call_failed"),
              fig (r, "network.drops.gateway_down"), fig (r, "availability.success_ratio"),
              fig (r, "availability.downtime_s"));
      assert_true (fig (r, "requests.by_outcome.502.call_failed") == 0);
      assert_true (fig (r, "network.drops.gateway_down") == 0);
      assert_true (fig (r, "network.bytes_by_resource.nat-b.nat") > 0);
      /* Once DNS has dropped the dead node (30 s + the clients' 60 s TTL + their 10 s
       * timeout), us-east-1b answers everything. */
      StratusIntervalRow settled = rows_between (r, mins (5) + 110 * STRATUS_SECOND, mins (15));
      assert_true (settled.arrivals > 0);
      assert_int_equal (failed (&settled), 0);
      lab_free (r);
    }
}

/* ---- lab 2: RDS deployments ---------------------------------------------------------------- */

/* The database figures of one lab 2 run. */
typedef struct
{
  double downtime, failovers, total, lost, requests_failed;
} DbFigures;

/* Runs scenarios/labs/FILE with `seed` and reads its database figures. */
static DbFigures
db_figures (const char *file, uint64_t seed)
{
  StratusReport *r = lab_report (file, seed);
  DbFigures f = {
    .downtime = fig (r, "databases.app-db.downtime_s"),
    .failovers = fig (r, "databases.app-db.failovers"),
    .lost = fig (r, "databases.app-db.lost_writes"),
    .requests_failed = fig (r, "databases.app-db.requests_failed"),
    .total = NAN,
  };
  stratus_report_figure (r, "databases.app-db.failover.total_s", &f.total, NULL);
  lab_free (r);
  printf ("lab 2 %-28s seed %2" G_GUINT64_FORMAT ": downtime %7.1f s, failovers %.0f, failover "
          "total %5.1f s, lost writes %4.0f, requests failed %5.0f\n",
          file, seed, f.downtime, f.failovers, f.total, f.lost, f.requests_failed);
  return f;
}

/* The writer's AZ is dark for two hours: single-AZ is down all along, Multi-AZ fails over
 * in one to two minutes, Aurora in under thirty seconds; neither loses a committed write,
 * and the faster failover fails fewer requests. */
static void
lab2_failover_by_deployment (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      DbFigures single = db_figures ("2-rds-single-az.yaml", seed);
      DbFigures multi = db_figures ("2-rds-multi-az.yaml", seed);
      DbFigures aurora = db_figures ("2-rds-aurora.yaml", seed);
      assert_true (single.failovers == 0);
      assert_true (single.downtime >= 7200 - 1); /* the whole outage */
      assert_true (multi.failovers == 1 && aurora.failovers == 1);
      assert_true (multi.total >= 60 && multi.total <= 120);
      assert_true (aurora.total > 0 && aurora.total < 30);
      assert_true (fabs (multi.downtime - multi.total) < 1);
      assert_true (fabs (aurora.downtime - aurora.total) < 1);
      assert_true (single.lost == 0 && multi.lost == 0 && aurora.lost == 0);
      assert_true (single.requests_failed > 20 * multi.requests_failed);
      assert_true (multi.requests_failed > aurora.requests_failed);
    }
}

/* A single-AZ writer lost for good is restored from the snapshot of 00:05: more than an
 * hour down, and the writes of the five minutes before the failure are gone. */
static void
lab2_single_az_restore_loses_writes (void **state)
{
  (void) state;
  /* 5 requests/s x 2 queries x 25% writes over the 300 s between snapshot and failure. */
  const double expected_lost = 5 * 2 * 0.25 * 300;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      DbFigures restore = db_figures ("2-rds-single-az-restore.yaml", seed);
      /* 5 min before the restore starts, then 5 min + 500 GiB x 10 s. */
      assert_true (fabs (restore.downtime - (300 + 300 + 5000)) < 1);
      assert_true (restore.lost > 0.75 * expected_lost && restore.lost < 1.25 * expected_lost);
    }
}

/* ---- lab 3: Auto Scaling across AZs -------------------------------------------------------- */

/* The group's in-service instances at the end of each interval starting in [from, to): the
 * least of them. */
static int
least_in_service (const StratusReport *r, StratusTime from, StratusTime to)
{
  int least = INT_MAX;
  for (size_t i = 0; i < stratus_report_group_row_count (r); i++)
    {
      unsigned replication;
      StratusGroupRow row;
      stratus_report_group_row (r, i, &replication, &row);
      if (row.start >= from && row.start < to)
        least = MIN (least, row.in_service);
    }
  return least;
}

/* min 1 in one AZ: nothing in service for the whole outage (no target, 503) and the group
 * launches nothing until the AZ is back; min 2 across two AZs: always one in service, down
 * only while DNS still names the dead node. */
static void
lab3_min2_across_azs_rides_out_the_outage (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *one = lab_report ("3-asg-min1-one-az.yaml", seed);
      StratusReport *two = lab_report ("3-asg-min2-two-azs.yaml", seed);
      StratusIntervalRow outage = rows_between (one, mins (5), mins (15));
      printf ("lab 3 seed %2" G_GUINT64_FORMAT ": min 1 one AZ downtime %.0f s (503.no_targets "
              "%.0f), min 2 two AZs downtime %.0f s (503.no_targets %.0f)\n",
              seed, fig (one, "availability.downtime_s"),
              fig (one, "requests.by_outcome.503.no_targets"), fig (two, "availability.downtime_s"),
              fig (two, "requests.by_outcome.503.no_targets"));
      assert_true (fig (one, "availability.downtime_s") >= 600);
      assert_true (fig (one, "requests.by_outcome.503.no_targets")
                   >= 0.8 * (double) outage.arrivals);
      assert_int_equal (least_in_service (one, mins (5), mins (15)), 0);
      /* 30 s for DNS to drop the node, the clients' 60 s TTL, their 10 s timeout. */
      assert_true (fig (two, "availability.downtime_s") <= 30 + 60 + 10 + 10);
      assert_true (fig (two, "requests.by_outcome.503.no_targets") == 0);
      assert_true (least_in_service (two, 0, mins (20)) >= 1);
      lab_free (one);
      lab_free (two);
    }
}

/* ---- lab 4: retry storms ------------------------------------------------------------------- */

/* The storm figures of one lab 4 run, printed. */
static void
print_storm (const char *file, uint64_t seed, const StratusReport *r)
{
  double total = fig (r, "requests.total"), retries = 0;
  (void) stratus_report_figure (r, "requests.retries", &retries, NULL); /* absent: no retry */
  printf ("lab 4 %-32s seed %2" G_GUINT64_FORMAT ": downtime %3.0f s, time to recover %3.0f s, "
          "requests %.0f, retries %5.0f, offered with retries %.0f (x%.2f)\n",
          file, seed, fig (r, "availability.downtime_s"),
          fig (r, "faults.three-down.time_to_recover_s"), total, retries, total + retries,
          (total + retries) / total);
}

/* After the outage's minute and its drain (from 6 min to the end), (almost) nothing fails. */
static void
expect_nothing_fails_later (const StratusReport *r)
{
  StratusIntervalRow later = rows_between (r, mins (6), mins (12));
  assert_true ((double) failed (&later) <= 0.001 * (double) later.arrivals);
}

/* Clients that do not retry: a one-minute outage is over within two minutes, and nothing
 * fails after it. */
static void
lab4_without_retries_the_outage_stays_short (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *r = lab_report ("4-no-retries.yaml", seed);
      print_storm ("4-no-retries.yaml", seed, r);
      assert_true (fig (r, "faults.three-down.time_to_recover_s") <= 120);
      assert_true (fig (r, "availability.downtime_s") <= 120);
      expect_nothing_fails_later (r);
      lab_free (r);
    }
}

/* The clients of `file` retry without a quota (3 attempts, at once or after a backoff with
 * jitter: an open-loop population makes the same attempts, only later): the one-minute
 * outage lasts to the end of the run, about 2.5 attempts per request, almost everything
 * failing at the end. */
static void
expect_storm (const char *file)
{
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *r = lab_report (file, seed);
      double total = fig (r, "requests.total"), offered = fig (r, "requests.offered_with_retries");
      print_storm (file, seed, r);
      assert_true (offered >= 2 * total);
      /* Down from the outage to the end of the run (12 min), not just its minute. */
      assert_true (fig (r, "availability.downtime_s") >= 0.9 * 9 * 60);
      StratusIntervalRow last = rows_between (r, mins (10), mins (12));
      assert_true (failed_share (&last) > 0.9);
      assert_true (last.retries > last.arrivals);
      lab_free (r);
    }
}

/* The naive client, retrying at once with no quota: the storm. */
static void
lab4_retries_without_backoff_make_it_long (void **state)
{
  (void) state;
  expect_storm ("4-retries-no-backoff.yaml");
}

/* Backoff and jitter without a quota do not stop it in an open-loop workload: they spread
 * the retries, not fewer of them (the guide says why). */
static void
lab4_backoff_alone_does_not_stop_the_storm (void **state)
{
  (void) state;
  expect_storm ("4-retries-backoff-no-quota.yaml");
}

/* The AWS SDKs' standard retry mode (the same backoff and jitter, and a retry quota of 500
 * tokens): the outage's first timeouts spend the quota and the clients stop retrying, so
 * the fleet recovers as fast as without retries (within two 10 s intervals of it, a
 * quarter of the naive client's downtime at most) and nothing fails afterwards; the
 * retries are a few dozen, under 1% of the naive client's. Each run against the same
 * seed's runs of 4-no-retries.yaml and 4-retries-no-backoff.yaml. */
static void
lab4_standard_mode_recovers_like_no_retries (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *none = lab_report ("4-no-retries.yaml", seed);
      StratusReport *naive = lab_report ("4-retries-no-backoff.yaml", seed);
      StratusReport *standard = lab_report ("4-retries-standard-mode.yaml", seed);
      print_storm ("4-retries-standard-mode.yaml", seed, standard);
      double down = fig (standard, "availability.downtime_s");
      assert_true (down <= fig (none, "availability.downtime_s") + 20);
      assert_true (fig (standard, "faults.three-down.time_to_recover_s")
                   <= fig (none, "faults.three-down.time_to_recover_s") + 20);
      assert_true (down <= 0.25 * fig (naive, "availability.downtime_s"));
      expect_nothing_fails_later (standard);
      /* It did retry (the quota pays for some), but little. */
      double retries = fig (standard, "requests.retries");
      assert_true (retries > 0);
      assert_true (retries < 0.01 * fig (naive, "requests.retries"));
      lab_free (none);
      lab_free (naive);
      lab_free (standard);
    }
}

/* The same seed gives the same report, byte for byte (the quota and the backoff's draws
 * included). */
static void
lab4_same_seed_same_report (void **state)
{
  (void) state;
  StratusReport *a = lab_report ("4-retries-standard-mode.yaml", 3);
  StratusReport *b = lab_report ("4-retries-standard-mode.yaml", 3);
  char *ja = stratus_report_json (a), *jb = stratus_report_json (b);
  assert_string_equal (ja, jb);
  g_free (ja);
  g_free (jb);
  lab_free (a);
  lab_free (b);
}

/* ---- lab 5: a security-group mistake ------------------------------------------------------- */

#define LAB5_MISTAKE                                                                        \
  "vpc.security_groups.db-sg.inbound=[{protocol: tcp, ports: 3306, source: alb-sg}]"

/* scenarios/labs/5-security-groups.yaml, as a path for the binary. Caller frees. */
static char *
lab5_path (void)
{
  return g_build_filename (g_getenv ("STRATUS_SOURCE_ROOT"), "scenarios", "labs",
                           "5-security-groups.yaml", NULL);
}

/* `validate` refuses the mistake before anything runs: status 2, one line naming the
 * blocked path; `run` refuses it too, writing nothing; the file as shipped is fine. */
static void
lab5_validate_names_the_blocked_path (void **state)
{
  (void) state;
  char *path = lab5_path ();
  Result r = run_stratus ("validate", path);
  expect_status (&r, 0);
  result_clear (&r);
  r = run_stratus ("validate", path, "--set", LAB5_MISTAKE);
  expect_status (&r, 2);
  expect_one_error_line (&r);
  printf ("lab 5 validate: %s", r.err);
  assert_non_null (strstr (r.err, "web-1 -> app-db-1 (writer): blocked by security group db-sg "
                                  "(no inbound rule for tcp/3306 from web-sg)"));
  result_clear (&r);
  r = run_stratus ("run", path, "--set", LAB5_MISTAKE);
  expect_status (&r, 2);
  assert_string_equal (r.out, "");
  result_clear (&r);
  g_free (path);
}

/* Run anyway, the mistake costs every request: a 500 after the queries time out, the
 * queries' packets dropped by the security group; fixed, nothing fails. */
static void
lab5_allow_blocked_shows_what_users_see (void **state)
{
  (void) state;
  char *path = lab5_path ();
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      char *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
      Result r = run_stratus ("run", path, "--seed", seed_text, "--format", "json",
                              "--allow-blocked", "--set", LAB5_MISTAKE);
      expect_status (&r, 0);
      JsonParser *json = parse_json (r.out);
      double total = json_number (json, "requests.total");
      double errors = json_number (json, "requests.by_outcome.500.database_error");
      double drops = json_number (json, "network.drops.security_group");
      printf ("lab 5 --allow-blocked seed %2" G_GUINT64_FORMAT ": requests %.0f, ok %.0f, "
              "500.database_error %.0f, drops security_group %.0f\n",
              seed, total, json_number (json, "requests.ok"), errors, drops);
      assert_true (total > 0);
      assert_true (json_number (json, "requests.ok") == 0);
      assert_true (errors == total);
      assert_true (drops > 0);
      g_object_unref (json);
      result_clear (&r);
      StratusReport *fixed = lab_report ("5-security-groups.yaml", seed);
      assert_true (fig (fixed, "requests.failed") == 0);
      assert_true (fig (fixed, "network.drops.security_group") == 0);
      lab_free (fixed);
      g_free (seed_text);
    }
  g_free (path);
}

/* ---- lab 6: golden AMI against user data ---------------------------------------------------- */

/* The longest time, among the instances the group launched at `at`, from launch to their
 * first passing health check, read from the timeline; fails if none was launched then or
 * one never passed. */
static double
replacement_s (const StratusReport *r, StratusTime at)
{
  double longest = -1;
  for (size_t i = 0; i < stratus_report_event_count (r); i++)
    {
      const StratusTimelineEvent *launch = stratus_report_event (r, i);
      if (launch->kind != STRATUS_EVENT_LAUNCH || launch->at != at)
        continue;
      double healthy = -1;
      for (size_t k = i + 1; k < stratus_report_event_count (r) && healthy < 0; k++)
        {
          const StratusTimelineEvent *e = stratus_report_event (r, k);
          if (e->kind == STRATUS_EVENT_HEALTH && strcmp (e->subject, launch->subject) == 0
              && g_str_has_suffix (e->detail, "-> healthy"))
            healthy = stratus_time_seconds (e->at - at);
        }
      if (healthy < 0)
        fail_msg ("%s never passed a health check", launch->subject);
      longest = MAX (longest, healthy);
    }
  if (longest < 0)
    fail_msg ("no launch at %.0f s", stratus_time_seconds (at));
  return longest;
}

/* The lab 6 figures of one run, printed. */
static void
print_replacement (const char *file, uint64_t seed, const StratusReport *r, double replaced)
{
  printf ("lab 6 %-26s seed %2" G_GUINT64_FORMAT ": replacements in service after %5.1f s, "
          "503.queue_full %4.0f, under-provisioned %5.1f s, downtime %3.0f s\n",
          file, seed, replaced, fig (r, "requests.by_outcome.503.queue_full"),
          fig (r, "groups.web-asg.under_provisioned_s"), fig (r, "availability.downtime_s"));
}

/* A golden AMI puts the AZ's replacements in service within a minute, before the survivors
 * overflow; a user-data bootstrap takes minutes, and the survivors refuse requests
 * meanwhile. */
static void
lab6_golden_ami_replaces_capacity_faster (void **state)
{
  (void) state;
  for (uint64_t seed = 1; seed <= SEEDS; seed++)
    {
      StratusReport *golden = lab_report ("6-golden-ami.yaml", seed);
      StratusReport *boot = lab_report ("6-user-data-bootstrap.yaml", seed);
      double golden_s = replacement_s (golden, mins (3)), boot_s = replacement_s (boot, mins (3));
      print_replacement ("6-golden-ami.yaml", seed, golden, golden_s);
      print_replacement ("6-user-data-bootstrap.yaml", seed, boot, boot_s);
      /* Boot 20-30 s, application 10 s, one health check (10 s apart). */
      assert_true (golden_s <= 30 + 10 + 10 + 1);
      /* The same, plus 4 to 6 minutes of user data. */
      assert_true (boot_s >= 4 * 60 + 20 + 10);
      assert_true (fig (golden, "groups.web-asg.under_provisioned_s") <= 60);
      assert_true (fig (boot, "groups.web-asg.under_provisioned_s") >= 4 * 60);
      /* Two survivors at 130% for minutes refuse the excess: 6 requests/s for at least the
       * 150 s between DNS settling (90 s) and the earliest replacement (240 s). */
      assert_true (fig (golden, "requests.by_outcome.503.queue_full")
                   <= 0.001 * fig (golden, "requests.total"));
      assert_true (fig (boot, "requests.by_outcome.503.queue_full") >= 0.5 * 6 * 150);
      assert_true (fig (boot, "availability.downtime_s")
                   >= fig (golden, "availability.downtime_s") + 150);
      lab_free (golden);
      lab_free (boot);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (lab1_one_nat_gateway_fails_the_surviving_az),
    cmocka_unit_test (lab1_nat_per_az_keeps_the_surviving_az_calling),
    cmocka_unit_test (lab2_failover_by_deployment),
    cmocka_unit_test (lab2_single_az_restore_loses_writes),
    cmocka_unit_test (lab3_min2_across_azs_rides_out_the_outage),
    cmocka_unit_test (lab4_without_retries_the_outage_stays_short),
    cmocka_unit_test (lab4_retries_without_backoff_make_it_long),
    cmocka_unit_test (lab4_backoff_alone_does_not_stop_the_storm),
    cmocka_unit_test (lab4_standard_mode_recovers_like_no_retries),
    cmocka_unit_test (lab4_same_seed_same_report),
    cmocka_unit_test (lab5_validate_names_the_blocked_path),
    cmocka_unit_test (lab5_allow_blocked_shows_what_users_see),
    cmocka_unit_test (lab6_golden_ami_replaces_capacity_faster),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
