/* Auto Scaling groups in the world: the group (desired capacity within [min, max], its
 * instances, balanced over its AZs), its scaling policies fed by CloudWatch-style
 * datapoints, its scheduled actions, and the life cycle of its instances (pending ->
 * running -> user data -> application start -> registered -> in service -> draining ->
 * terminated). The modules:
 *   autoscaling.c     the group: capacity, launches, terminations, replacements;
 *   lifecycle.c       an instance's start-up stages and application restarts;
 *   health_check.c    target-group health checks, probes through the network;
 *   cloudwatch.c      metric datapoints per period and M-of-N alarms;
 *   scaling_policy.c  target tracking, step and simple scaling, scheduled actions;
 *   timeline.c        the event timeline of the result. */
#pragma once

#include "stratus/results.h"
#include "world.h"

#define ALARM_MAX_PERIODS 100 /* the parser's bound on evaluation_periods */

/* An M-of-N alarm: the breaches of the last N datapoints (a ring). */
typedef struct
{
  const StratusAlarmShape *shape;
  bool breached[ALARM_MAX_PERIODS]; /* the ring, newest at head - 1 */
  int head;        /* where the next datapoint goes */
  int seen;        /* datapoints so far, up to ALARM_MAX_PERIODS */
  bool in_alarm;
} Alarm;

/* A metric aggregated over a policy's period from the group's sampler ticks. */
typedef struct
{
  StratusScalingMetric metric;
  StratusTime period;
  int ticks_per_period;
  int ticks;       /* in the current period */
  double sum;      /* of tick values (averaged for percentages, summed for counts) */
  int counted;     /* ticks with a value */
} MetricAccumulator;

typedef struct Group Group;

typedef struct
{
  const StratusScalingPolicyConfig *config;
  Group *group;
  MetricAccumulator acc;
  Alarm out, in;   /* target tracking: high and low alarms; step/simple: `out` only */
  int proposed;    /* target tracking: the capacity its last datapoint asked for */
  /* datapoints published but not yet seen (publication delay), oldest first */
  struct
  {
    double value;
    int counted;
  } in_transit[64];
  unsigned transit_head, transit_len;
} Policy;

/* Where a group launches: one AZ and its spots (subnets, or the AZ itself without a vpc). */
typedef struct
{
  int az;          /* index in the scenario's AZs */
  int *spots;      /* placement ordinals for fleet_launch */
  unsigned n_spots, next;
} GroupPlace;

/* The launch template version a group launches from. */
typedef struct
{
  int number;
  const StratusDist *boot_time, *app_start_time, *user_data_time, *service_time;
} GroupVersion;

struct Group
{
  const StratusAutoScalingGroupConfig *config;
  unsigned index;
  unsigned fleet;
  int min, max, desired;
  GPtrArray *members;     /* Instance* (not owned): launched, not yet terminated */
  GroupPlace *places;
  unsigned n_places, place_cap;
  Policy *policies;
  unsigned n_policies;
  StratusTime tick;       /* the sampler's period: the shortest of the policies' */
  StratusTime cooldown_until; /* simple scaling waits until then */
  void *actions;          /* scheduled actions (scaling_policy.c), n_actions of them */
  unsigned n_actions;
  bool has_targets;       /* registers with at least one target group */
  const StratusLaunchTemplateConfig *template;
  GroupVersion version;   /* its template's default version */
  bool refreshing;        /* an instance refresh replaces older versions */
  /* figures */
  StratusTimeAverage in_service_avg;
  StratusTime under_since; /* in service below desired since then; NEVER when not */
  StratusTime under_total; /* within the window */
  int in_service, peak;
  StratusGroupResult result; /* counters (launches, ...) */
};

/* ---- autoscaling.c ---- */

/* The world's groups (w->groups), their initial instances launched, scheduled actions and
 * samplers armed. */
void autoscaling_start (World *w);

/* Frees a group. */
void group_free (Group *g);

/* Sets the group's desired capacity to `desired` (clamped to [min, max]) and launches or
 * terminates instances to match; records a scaling event with `why` when it changed.
 * Returns the clamped value. */
int group_set_desired (World *w, Group *g, int desired, const char *subject, double value,
                       const char *why);

/* An instance of the group changed: in service or not, terminated, unhealthy. */
void group_on_in_service (World *w, Instance *inst, bool in_service);
void group_on_terminated (World *w, Instance *inst);
void group_on_unhealthy (World *w, Instance *inst);

/* True if `inst` counts in the group's metric: in service and past its warm-up. */
bool group_counts (const Group *g, const Instance *inst, StratusTime now);

/* True while any instance the group keeps has not yet been in service, or is warming. */
bool group_has_unready (const Group *g, StratusTime now);

/* Fills result->groups and adds the group rows of a report interval ending at `now`. */
void autoscaling_fill_results (World *w, StratusRunResult *result, StratusTime end);
void autoscaling_close_row (World *w, StratusTime row_start, StratusTime now);
void autoscaling_open_window (World *w, StratusTime now);

/* ---- lifecycle.c ---- */

/* Starts the life of a group's new instance: pending, booting. */
void lifecycle_begin (World *w, Instance *inst);

/* The instance is out of memory: its application is killed (in-flight requests get 502
 * target reset) and starts again after the AMI's start-up time. */
void lifecycle_kill_app (World *w, Instance *inst);

/* Stops whatever start-up stage is pending (the instance is being terminated). */
void lifecycle_end (World *w, Instance *inst);

/* ---- health_check.c ---- */

/* Starts health checks of `inst` by `lb` (a declared target group with checks): the
 * first probe goes now. */
void health_start (World *w, Instance *inst, LoadBalancer *lb);

/* Stops them (deregistered or terminated). */
void health_stop (World *w, Instance *inst);

/* ---- cloudwatch.c ---- */

/* Arms the group's sampler. */
void cloudwatch_start (World *w, Group *g);

/* The name CloudWatch gives the metric ("CPUUtilization", ...). */
const char *cloudwatch_metric_name (StratusScalingMetric metric);

/* Pushes one datapoint into an alarm; true if it is in alarm afterwards. */
bool alarm_push (Alarm *a, bool breach);

/* How many of the last N datapoints breached. */
int alarm_breaches (const Alarm *a);

/* ---- scaling_policy.c ---- */

/* A datapoint of policy `p` is published: evaluate it. */
void policy_on_datapoint (World *w, Policy *p, double value, int counted);

/* Arms the group's scheduled actions. */
void scheduled_actions_start (World *w, Group *g);

/* ---- timeline.c ---- */

/* Appends an event about `inst` (kind, and a printf-style detail). */
void timeline_instance (World *w, StratusEventKind kind, const Instance *inst,
                        const char *detail_format, ...) G_GNUC_PRINTF (4, 5);

/* Appends an event about a group (SCALING, SCHEDULED, ALARM, REPLACE). */
void timeline_group (World *w, StratusEventKind kind, const Group *g, const char *subject,
                     int from, int to, double value, const char *detail_format, ...)
  G_GNUC_PRINTF (8, 9);
