/* A StratusRunResult made by hand (synthetic_result.h). */
#include "synthetic_result.h"

#include <glib.h>
#include <math.h>

const char synthetic_yaml[] = "name: synthetic\n"
                              "duration: 2m\n"
                              "azs: [us-east-1a, us-east-1b]\n"
                              "load_balancers:\n"
                              "  lb: {target_group: web}\n"
                              "instances:\n"
                              "  web: {count: 1, service_time: 5ms, target_group: web}\n"
                              "workload:\n"
                              "  users: {entry: lb, rate: 10/s}\n"
                              "report:\n"
                              "  interval: 30s\n";

/* Appends an event (strings copied; NULL stays NULL). */
static void
add_event (StratusRunResult *r, double at_s, StratusEventKind kind, const char *subject,
           const char *az, int from, int to, double value, const char *detail)
{
  StratusTimelineEvent e = { .at = (StratusTime) (at_s * 1e9), .kind = kind,
                             .subject = g_strdup (subject), .group = g_strdup ("web-asg"),
                             .az = g_strdup (az), .from = from, .to = to, .value = value,
                             .detail = g_strdup (detail) };
  g_array_append_val (r->timeline, e);
}

/* The timeline of `events`. */
static void
add_events (StratusRunResult *r, SyntheticEvents events)
{
  switch (events)
    {
    case SYNTHETIC_EVENTS_BASIC:
      add_event (r, 0, STRATUS_EVENT_LAUNCH, "web-asg-1", "us-east-1a", -1, -1, NAN, NULL);
      add_event (r, 62.5, STRATUS_EVENT_ALARM, "cpu-50", NULL, -1, -1, 81.2,
                 "CPUUtilization 81.2 >= 50 (3 of 3)");
      add_event (r, 62.5, STRATUS_EVENT_SCALING, "cpu-50", NULL, 2, 4, 81.2,
                 "CPUUtilization 81.2 >= 50 (3 of 3)");
      add_event (r, 90000, STRATUS_EVENT_HEALTH, "web-asg-1", "us-east-1a", -1, -1, NAN,
                 "initial -> \"healthy\", finally");
      add_event (r, 90060, STRATUS_EVENT_SCALING, "scale-in", NULL, 4, 3, NAN, NULL);
      break;
    case SYNTHETIC_EVENTS_CHART:
      add_event (r, 45, STRATUS_EVENT_SCALING, "cpu-50", NULL, 2, 4, 81.2, "up");
      add_event (r, 50, STRATUS_EVENT_LAUNCH, "web-asg-3", "us-east-1a", -1, -1, NAN, NULL);
      add_event (r, 100, STRATUS_EVENT_SCHEDULED, "night", NULL, 4, 2, NAN, "down");
      break;
    case SYNTHETIC_EVENTS_MANY:
      for (int i = 0; i < 250; i++)
        {
          char *name = g_strdup_printf ("web-asg-%d", i + 1);
          add_event (r, i, STRATUS_EVENT_LAUNCH, name, "us-east-1b", -1, -1, NAN, NULL);
          g_free (name);
        }
      break;
    case SYNTHETIC_EVENTS_NONE:
      break;
    }
}

/* Appends an instance. */
static void
add_instance (StratusRunResult *r, const char *name, const char *fleet, const char *az,
              const char *type, int group, double running_s, double billed_s)
{
  StratusInstanceResult ir = {
    .name = g_strdup (name), .fleet = g_strdup (fleet), .az = g_strdup (az),
    .type = g_strdup (type), .workers = 2, .group = group,
    .running = running_s < 0 ? STRATUS_TIME_NEVER : (StratusTime) (running_s * 1e9),
    .billed = (StratusTime) (billed_s * 1e9), .terminated = STRATUS_TIME_NEVER,
    .alive = 110 * STRATUS_SECOND, .served = 100, .utilisation = 0.5,
  };
  g_array_append_val (r->instances, ir);
}

/* The interval rows and the group's rows, per interval and AZ. */
static void
add_rows (StratusRunResult *r)
{
  static const int desired[] = { 2, 4, 4, 3 }, in_service[] = { 2, 3, 4, 3 },
                   pending[] = { 0, 1, 0, 0 }, az_a[] = { 1, 2, 2, 2 };
  static const double cpu[] = { 45.5, NAN, 70, 40 };
  for (int k = 0; k < 4; k++)
    {
      StratusTime start = k * 30 * STRATUS_SECOND;
      StratusIntervalRow row = { .start = start, .length = 30 * STRATUS_SECOND,
                                 .arrivals = 300, .p50_ms = 5 + k, .p99_ms = 20 + k,
                                 .utilisation = 0.4, .queue = 0.1 };
      row.outcomes[0] = 300;
      stratus_record_log_append (r->intervals, &row);
      StratusGroupRow g = { .start = start, .group = 0, .min = 2, .max = 20,
                            .desired = desired[k], .in_service = in_service[k],
                            .pending = pending[k], .cpu = cpu[k], .memory = NAN };
      stratus_record_log_append (r->group_rows, &g);
      for (uint32_t az = 0; az < 2; az++)
        {
          StratusGroupAzRow a = { .start = start, .group = 0, .az = az,
                                  .in_service = az == 0 ? az_a[k] : in_service[k] - az_a[k],
                                  .pending = az == 0 ? pending[k] : 0 };
          stratus_record_log_append (r->group_az_rows, &a);
        }
    }
}

StratusRunResult *
synthetic_result (unsigned replication, SyntheticEvents events, unsigned launches)
{
  StratusRunResult *r = g_new0 (StratusRunResult, 1);
  r->seed = 1;
  r->replication = replication;
  r->window = 120 * STRATUS_SECOND;
  r->latency = stratus_histogram_new ();
  for (int i = 0; i < 100; i++)
    stratus_histogram_record (r->latency, 5000000);
  r->total = r->outcomes[0] = 100;
  r->instances = g_array_new (FALSE, TRUE, sizeof (StratusInstanceResult));
  r->network_bytes = g_array_new (FALSE, TRUE, sizeof (StratusResourceBytes));
  r->intervals = stratus_record_log_new (sizeof (StratusIntervalRow));
  r->instance_intervals = stratus_record_log_new (sizeof (StratusInstanceRow));
  r->timeline = g_array_new (FALSE, TRUE, sizeof (StratusTimelineEvent));
  r->groups = g_array_new (FALSE, TRUE, sizeof (StratusGroupResult));
  r->group_rows = stratus_record_log_new (sizeof (StratusGroupRow));
  r->group_az_rows = stratus_record_log_new (sizeof (StratusGroupAzRow));

  add_instance (r, "web-asg-1", "web-asg", "us-east-1a", "c5.large", 0, 30, 3600);
  add_instance (r, "web-asg-2", "web-asg", "us-east-1b", "c5.large", 0, 40, 1800);
  add_instance (r, "web-asg-3", "web-asg", "us-east-1a", "c5.large", 0, -1, 0);
  add_instance (r, "db-1", "db", "us-east-1a", "t3.micro", -1, 0, 7200);
  StratusGroupResult g = {
    .name = g_strdup ("web-asg"), .instance_type = g_strdup ("c5.large"),
    .metric = g_strdup ("cpu"), .target = 50, .min = 2, .max = 20, .desired_start = 2,
    .desired_end = 4, .mean_in_service = 3.25, .peak_in_service = 4,
    .under_provisioned = 90 * STRATUS_SECOND, .instance_hours = 1.5, .launches = launches,
    .terminations = 1, .scaling_actions = 2, .replacements = 1, .app_kills = 0,
  };
  g_array_append_val (r->groups, g);
  add_rows (r);
  add_events (r, events);
  return r;
}

/* Appends an event of database "app-db" (strings copied; NULL stays NULL). */
static void
add_db_event (StratusRunResult *r, double at_s, StratusEventKind kind, const char *subject,
              const char *az, double value, const char *detail)
{
  StratusTimelineEvent e = { .at = (StratusTime) (at_s * 1e9), .kind = kind,
                             .subject = g_strdup (subject), .group = g_strdup ("app-db"),
                             .az = g_strdup (az), .from = -1, .to = -1, .value = value,
                             .detail = g_strdup (detail) };
  g_array_append_val (r->timeline, e);
}

/* Records `count` values of `ms` milliseconds into `h`. */
static void
record_ms (StratusHistogram *h, unsigned count, double ms)
{
  for (unsigned i = 0; i < count; i++)
    stratus_histogram_record (h, (uint64_t) (ms * 1e6));
}

void
synthetic_add_database (StratusRunResult *r, unsigned replication, bool events)
{
  double rep = replication;
  if (r->databases == NULL)
    r->databases = g_array_new (FALSE, TRUE, sizeof (StratusDatabaseResult));
  if (r->database_rows == NULL)
    r->database_rows = stratus_record_log_new (sizeof (StratusDatabaseRow));
  StratusDatabaseResult d = {
    .name = g_strdup ("app-db"), .engine = STRATUS_DB_ENGINE_AURORA_MYSQL,
    .deployment = STRATUS_DB_AURORA, .instance_class = g_strdup ("db.r6g.large"),
    .queries = { 1000 + 200 * replication, 500, 0 }, .reads = 500,
    .writes = 1000 + 200 * replication, .retries = 12, .requests_failed = 3,
    .stale_reads = 4 + 2 * replication, .lost_writes = 2, .lag_mean_s = 0.020,
    .lag_max_s = 0.035 + 0.010 * rep, .pool_waits = 4, .pool_wait_sum_ns = 10e6,
    .cpu_started = 1000, .cpu_waited = 100, .cpu_wait_sum_ns = 100e6,
    .cpu_service_sum_ns = 2e9, .mean_connections = 15.5, .peak_connections = 28,
    .downtime = (StratusTime) ((30 + 10 * rep) * 1e9), .failovers = 1, .snapshots = 2,
    .snapshot_bytes = (uint64_t) (2.5 * 1024 * 1024 * 1024), .snapshot_gib_hours = 30,
    .storage_bytes = (uint64_t) 20 * 1024 * 1024 * 1024,
  };
  d.failed[STRATUS_QUERY_FAIL_RESET] = 10 + 10 * replication;
  d.failed[STRATUS_QUERY_FAIL_NO_WRITER] = 5;
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    d.latency[e] = stratus_histogram_new ();
  record_ms (d.latency[STRATUS_DB_ENDPOINT_WRITER], 980, 2 + rep);
  record_ms (d.latency[STRATUS_DB_ENDPOINT_WRITER], 15, 10 + 10 * rep);
  record_ms (d.latency[STRATUS_DB_ENDPOINT_WRITER], 5, 50);
  record_ms (d.latency[STRATUS_DB_ENDPOINT_READER], 500, 1);
  d.members = g_array_new (FALSE, TRUE, sizeof (StratusDbMemberResult));
  StratusDbMemberResult m1 = { .name = g_strdup ("app-db-1"), .az = g_strdup ("us-east-1a"),
                               .role_start = STRATUS_DB_ROLE_WRITER,
                               .role_end = STRATUS_DB_ROLE_AURORA_READER, .up_at_end = true,
                               .cpu = 0.45, .mean_connections = 12.5, .peak_connections = 20,
                               .queries = 1000 };
  StratusDbMemberResult m2 = { .name = g_strdup ("app-db-2"), .az = g_strdup ("us-east-1b"),
                               .role_start = STRATUS_DB_ROLE_AURORA_READER,
                               .role_end = STRATUS_DB_ROLE_WRITER, .up_at_end = true,
                               .cpu = 0.20, .mean_connections = 3, .peak_connections = 8,
                               .queries = 500 };
  g_array_append_val (d.members, m1);
  g_array_append_val (d.members, m2);
  d.failover_log = g_array_new (FALSE, TRUE, sizeof (StratusFailoverRecord));
  StratusFailoverRecord f = { .failed = 40 * STRATUS_SECOND,
                              .detected = (StratusTime) ((52 + 2 * rep) * 1e9),
                              .completed = (StratusTime) ((70 + 10 * rep) * 1e9), .from = 0,
                              .to = 1, .lost_writes = 2, .manual = false };
  g_array_append_val (d.failover_log, f);
  uint32_t index = r->databases->len;
  g_array_append_val (r->databases, d);

  static const uint64_t failed[] = { 0, 15, 0, 0 }, stale[] = { 0, 4, 0, 0 };
  static const double p99[] = { 2, 3, 10, 2.5 }, lag_mean[] = { 20, 20, 25, 20 },
                      lag_max[] = { 30, 35, 40, 30 }, connections[] = { 15, 16, 14, 15 },
                      cpu[] = { 0.4, 0.5, 0.3, 0.4 };
  static const int writer[] = { 0, -1, 1, 1 };
  for (int k = 0; k < 4; k++)
    {
      StratusDatabaseRow row = { .start = k * 30 * STRATUS_SECOND, .database = index,
                                 .queries = 250, .failed = failed[k], .stale_reads = stale[k],
                                 .p99_ms = p99[k] + rep, .lag_mean_ms = lag_mean[k],
                                 .lag_max_ms = lag_max[k], .connections = connections[k] + rep,
                                 .cpu = cpu[k], .writer = writer[k] };
      stratus_record_log_append (r->database_rows, &row);
    }
  if (!events)
    return;
  char *detail = g_strdup_printf ("detection %.1f s, total %.1f s, app-db-1 -> app-db-2",
                                  12 + 2 * rep, 30 + 10 * rep);
  add_db_event (r, 40, STRATUS_EVENT_DB_FAILURE, "app-db-1", "us-east-1a", NAN,
                "instance failure");
  add_db_event (r, 70 + 10 * rep, STRATUS_EVENT_FAILOVER, "app-db-2", "us-east-1b",
                30 + 10 * rep, detail);
  add_db_event (r, 70 + 10 * rep, STRATUS_EVENT_PROMOTION, "app-db-2", "us-east-1b", NAN,
                "reader -> writer");
  add_db_event (r, 70 + 10 * rep, STRATUS_EVENT_DNS_CHANGE, "writer", NULL, NAN,
                "app-db-1 -> app-db-2");
  add_db_event (r, 100, STRATUS_EVENT_DB_RECOVER, "app-db-1", "us-east-1a", NAN,
                "back as reader");
  add_db_event (r, 110, STRATUS_EVENT_SNAPSHOT, "app-db", NULL, 2.5, "automated, 2.5 GiB");
  g_free (detail);
}
