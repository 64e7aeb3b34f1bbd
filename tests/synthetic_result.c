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
