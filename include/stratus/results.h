/* What one replication of a scenario measured. Built by stratus_model_run, read by the
 * report writers; free with stratus_run_result_free. Everything but `run_stats` is a pure
 * function of (scenario, seed, replication). */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "stratus/engine.h"
#include "stratus/histogram.h"
#include "stratus/network.h"
#include "stratus/outcome.h"
#include "stratus/record_log.h"
#include "stratus/scenario.h"
#include "stratus/simtime.h"

/* One row of the time series: what happened in [start, start + length). */
typedef struct
{
  StratusTime start; /* since the start of the run */
  StratusTime length;
  uint64_t arrivals;  /* requests sent by clients */
  uint64_t outcomes[STRATUS_N_OUTCOMES]; /* what their clients learnt, by outcome */
  double p50_ms, p99_ms; /* of successful responses in the interval; 0 when none */
  double p999_ms;        /* likewise; the max when fewer than 1000 responses */
  double utilisation;    /* busy workers / workers, over the instances alive in it */
  double in_system;      /* mean requests inside instances (queued or in service) */
  double queue;          /* mean requests waiting in instances' queues */
  uint64_t bytes[STRATUS_N_BYTE_CLASSES]; /* carried in the interval, over all resources */
  uint64_t drops[STRATUS_N_DROP_REASONS]; /* messages dropped in the interval, by reason */
  uint64_t retries;   /* attempts clients sent again after a failure (workload `retry`) */
} StratusIntervalRow;

/* One instance over the part of one report interval it was alive in. */
typedef struct
{
  StratusTime start;    /* of the interval */
  uint32_t instance;    /* index in StratusRunResult.instances (the instance's id) */
  double utilisation;   /* busy workers / workers, over its time alive in the interval */
  double queue;         /* mean waiting requests, likewise */
  StratusTime alive;    /* how long it was alive in the interval */
} StratusInstanceRow;

/* One instance that existed at some point of the run, in order of launch (its id). */
typedef struct
{
  char *name;  /* "web-1" */
  char *fleet; /* "web" (an Auto Scaling group's instances: the group's name) */
  char *az;
  char *type;  /* "c5.large" */
  int workers;
  int group;   /* index in StratusRunResult.groups, or -1 for an `instances` fleet */
  StratusTime running;    /* when it reached `running` (billing starts); NEVER if it never did */
  StratusTime billed;     /* running -> terminated (or the end), over the whole run */
  StratusTime launched;   /* since the start of the run (0 for the scenario's own) */
  StratusTime terminated; /* STRATUS_TIME_NEVER if it ran to the end */
  StratusTime alive;      /* its time alive within the window */
  uint64_t served;        /* requests whose service finished in the window */
  double busy_area;       /* busy-worker time in the window, workers x ns */
  double utilisation;     /* busy worker time / (workers x alive); 0 if never alive */
  double mean_queue;      /* waiting requests, time-averaged over its time alive */
  double mean_in_system;  /* waiting + in service, likewise */
  bool public_ip;         /* has a public IPv4 address (billed per hour) */
} StratusInstanceResult;

/* What a resource that carries bytes is. */
typedef enum
{
  STRATUS_RESOURCE_INSTANCE,
  STRATUS_RESOURCE_LB_NODE, /* a load balancer's node: its traffic with its targets in
                             * other AZs is not billed as cross-AZ transfer */
  STRATUS_RESOURCE_NAT,
} StratusResourceKind;

/* Bytes carried for one resource (an instance, a load-balancer node, a NAT gateway), by
 * path class, both directions. */
typedef struct
{
  char *name;
  StratusResourceKind kind;
  int index;              /* a NAT gateway's index in vpc->nat_gateways; -1 otherwise */
  uint64_t bytes[STRATUS_N_BYTE_CLASSES];
} StratusResourceBytes;

/* A load balancer's usage over the window, for its bill. */
typedef struct
{
  uint64_t micro_lcu_hours;  /* LCU-hours in millionths, each hour on its highest
                              * dimension (lb_meter.c) */
  uint64_t connections;      /* new connections */
  uint64_t bytes;            /* processed, both ways */
} StratusLbUsage;

/* The kinds of the event timeline. */
typedef enum
{
  STRATUS_EVENT_LAUNCH,       /* an instance is launched (pending) */
  STRATUS_EVENT_RUNNING,      /* it booted: running, billed from now */
  STRATUS_EVENT_APP_READY,    /* user data ran and the application started */
  STRATUS_EVENT_REGISTER,     /* registered with a target group (initial) */
  STRATUS_EVENT_HEALTH,       /* its target health changed (detail: from -> to) */
  STRATUS_EVENT_DEREGISTER,   /* deregistered: draining */
  STRATUS_EVENT_TERMINATE,    /* terminated */
  STRATUS_EVENT_APP_KILLED,   /* out of memory: the application was killed */
  STRATUS_EVENT_ALARM,        /* an alarm changed state (detail: OK -> ALARM) */
  STRATUS_EVENT_SCALING,      /* a group's desired capacity changed (from -> to) */
  STRATUS_EVENT_SCHEDULED,    /* a scheduled action set min / max / desired */
  STRATUS_EVENT_REPLACE,      /* a group replaces an unhealthy instance */
  STRATUS_EVENT_REBALANCE,    /* a group launches to even out its AZs (terminating after) */
  STRATUS_EVENT_REFRESH,      /* a launch template's new default version, instance refresh */
  STRATUS_EVENT_DB_FAILURE,   /* a database member failed (its instance or its AZ), or a
                               * manual failover began (it reboots) */
  STRATUS_EVENT_FAILOVER,     /* a failover completed: value = its total seconds; detail
                               * "detection 12.0 s, total 95.3 s, app-db-1 -> app-db-2" */
  STRATUS_EVENT_PROMOTION,    /* a member became the writer (failover or replica promotion) */
  STRATUS_EVENT_DNS_CHANGE,   /* an endpoint's DNS record now names another member */
  STRATUS_EVENT_DB_RECOVER,   /* a failed member is back (as standby, reader or writer) */
  STRATUS_EVENT_SNAPSHOT,     /* a snapshot completed: value = its size in GiB */
  STRATUS_EVENT_RESTORE,      /* a snapshot was restored to a new writer */
  STRATUS_EVENT_FAULT_START,  /* a fault of the scenario begins (subject: its name) */
  STRATUS_EVENT_FAULT_END,    /* it ends: what it stopped may come back */
  STRATUS_N_EVENT_KINDS
} StratusEventKind;

/* The name used in reports and events.csv: "launch", "running", ... */
const char *stratus_event_kind_name (StratusEventKind kind);

/* One entry of the timeline (whole run, in time order). */
typedef struct
{
  StratusTime at;        /* since the start of the run */
  StratusEventKind kind;
  char *subject;         /* an instance, a policy or a scheduled action's name */
  char *group;           /* the Auto Scaling group (or fleet) it concerns; may be NULL */
  char *az;              /* an instance's AZ; NULL otherwise */
  int from, to;          /* SCALING, SCHEDULED: desired capacity before and after; -1 else */
  double value;          /* SCALING, ALARM: the metric's datapoint; NAN when none */
  char *detail;          /* one readable line: "CPUUtilization 81.2 >= 50 for 3 of 3
                          * datapoints", "initial -> healthy", ... */
} StratusTimelineEvent;

/* One Auto Scaling group over the run. */
typedef struct
{
  char *name;
  char *instance_type;
  char *metric;          /* the first target-tracking policy's metric name, or NULL */
  double target;         /* and its target; NAN when none */
  int min, max;          /* as configured */
  int desired_start, desired_end;
  double mean_in_service;     /* time-averaged over the window */
  int peak_in_service;
  StratusTime under_provisioned; /* time in the window with fewer in service than desired */
  double instance_hours;      /* billed hours of its instances over the whole run */
  uint32_t launches, terminations, scaling_actions, replacements, app_kills;
} StratusGroupResult;

/* One Auto Scaling group at the end of one report interval (counts), with the interval's
 * metrics (time-averaged over its in-service, warm instances). */
typedef struct
{
  StratusTime start;     /* of the interval */
  uint32_t group;        /* index in StratusRunResult.groups */
  int min, max, desired;
  int in_service;        /* targets in service (healthy), every AZ */
  int pending;           /* launched, not yet in service */
  double cpu;            /* percent; NAN when no instance counted */
  double memory;         /* percent; NAN when memory is not modelled or none counted */
} StratusGroupRow;

/* The same per AZ: one per (interval, group, AZ of the scenario). */
typedef struct
{
  StratusTime start;
  uint32_t group;
  uint32_t az;           /* index in the scenario's AZs */
  int in_service, pending;
} StratusGroupAzRow;

/* Why a database query failed, as the application sees it. */
typedef enum
{
  STRATUS_QUERY_FAIL_TIMEOUT,       /* no answer within the query timeout (a dropped
                                     * message, a member that is gone, a slow answer) */
  STRATUS_QUERY_FAIL_RESET,         /* its connection was reset: in flight when its member
                                     * failed or failed over */
  STRATUS_QUERY_FAIL_REFUSED,       /* reached a member that is down or rebooting */
  STRATUS_QUERY_FAIL_READ_ONLY,     /* a write reached a member that is not the writer (an
                                     * endpoint answer cached from before a failover) */
  STRATUS_QUERY_FAIL_TOO_MANY_CONNECTIONS, /* the member had max_connections open */
  STRATUS_QUERY_FAIL_NO_WRITER,     /* no member is the writer (failover under way) */
  STRATUS_N_QUERY_FAILS
} StratusQueryFailure;

/* "timeout", "reset", "refused", "read_only", "too_many_connections", "no_writer". */
const char *stratus_query_failure_name (StratusQueryFailure failure);

/* The endpoints a query goes to. */
typedef enum
{
  STRATUS_DB_ENDPOINT_WRITER,   /* writes, and reads with reads_from: writer */
  STRATUS_DB_ENDPOINT_READER,
  STRATUS_DB_ENDPOINT_INSTANCE, /* a member's own endpoint */
  STRATUS_N_DB_ENDPOINTS
} StratusDbEndpoint;

/* "writer", "reader", "instance". */
const char *stratus_db_endpoint_name (StratusDbEndpoint endpoint);

/* One database member over the run. */
typedef struct
{
  char *name;                 /* "app-db-1" */
  char *az;
  StratusDbRole role_start, role_end;
  bool up_at_end;
  double cpu;                 /* busy vCPU time / (vCPUs x window), 0-1 */
  double mean_connections;    /* open connections, time-averaged over the window */
  int peak_connections;
  uint64_t queries;           /* served (answered) in the window */
} StratusDbMemberResult;

/* One failover (automatic or manual) or promotion, whole run. */
typedef struct
{
  StratusTime failed;         /* the writer failed, or the manual failover began */
  StratusTime detected;       /* the failover started (== failed for a manual one) */
  StratusTime completed;      /* the new writer is up and the DNS record flipped */
  int from, to;               /* member indexes */
  uint64_t lost_writes;       /* committed on the old writer, never on the new one */
  bool manual;
} StratusFailoverRecord;

/* One database over the run: queries sent in the window. */
typedef struct
{
  char *name;
  StratusDbEngine engine;
  StratusDbDeployment deployment;
  char *instance_class;
  uint64_t queries[STRATUS_N_DB_ENDPOINTS];   /* answered successfully, by endpoint */
  StratusHistogram *latency[STRATUS_N_DB_ENDPOINTS]; /* of those, ns, as the application
                                                * sees them (send -> answer, no pool wait) */
  uint64_t reads, writes;     /* successful */
  uint64_t failed[STRATUS_N_QUERY_FAILS]; /* attempts that failed, by reason */
  uint64_t retries;           /* attempts after a failure */
  uint64_t requests_failed;   /* requests the application failed for a query (retries
                               * exhausted); a client that had already given up saw a 504
                               * instead of the 500 */
  uint64_t stale_reads;       /* reads served by a member that had not yet applied every
                               * committed write */
  uint64_t lost_writes;       /* whole run: committed writes lost by failovers, promotions
                               * and restores */
  double lag_mean_s, lag_max_s; /* over lagging readers (replicas, Aurora readers): lag
                                 * time-averaged over the window, and its maximum */
  uint64_t pool_waits;        /* queries that waited for a connection of their pool */
  double pool_wait_sum_ns;
  uint64_t cpu_started;       /* queries that started on a member's CPU (window) */
  uint64_t cpu_waited;        /* of those, how many queued for a vCPU */
  double cpu_wait_sum_ns;     /* their time queued */
  double cpu_service_sum_ns;  /* their CPU work */
  double mean_connections;    /* open connections over all members, time-averaged */
  int peak_connections;
  StratusTime downtime;       /* time in the window with no writer accepting writes */
  uint32_t failovers;
  uint32_t snapshots;
  uint64_t snapshot_bytes;    /* retained snapshots at the end (the first full, the others
                               * incremental) */
  double snapshot_gib_hours;  /* snapshot storage integrated over the whole run */
  uint64_t storage_bytes;     /* allocated storage at the end */
  GArray *members;            /* StratusDbMemberResult, by member index */
  GArray *failover_log;       /* StratusFailoverRecord, in time order */
} StratusDatabaseResult;

/* One database over one report interval. */
typedef struct
{
  StratusTime start;          /* of the interval */
  uint32_t database;          /* index in StratusRunResult.databases */
  uint64_t queries;           /* answered successfully in it */
  uint64_t failed;            /* attempts that failed in it */
  uint64_t stale_reads;
  double p99_ms;              /* query latency p99 (every endpoint); 0 when none */
  double lag_mean_ms, lag_max_ms; /* over lagging readers; 0 when none */
  double connections;         /* open connections, time-averaged, every member */
  double cpu;                 /* the writer's vCPU utilisation, 0-1 (time-averaged) */
  int writer;                 /* member that was the writer at the end; -1: none */
} StratusDatabaseRow;

/* A random fault (mtbf, mttr) over the window: how long its components were down. */
typedef struct
{
  uint32_t fault;      /* index in the scenario's faults */
  uint32_t components; /* its independent parts (AZs, subnets, NAT gateways, instances) */
  uint64_t failures;   /* failures that began in the window */
  double down_s;       /* the components' time down, summed, in the window */
  double all_down_s;   /* time every component was down at once, in the window */
} StratusRandomFaultResult;

/* One fault of the scenario over the run (fault_detection.c): when it started and ended,
 * what noticed it first, and the writes it cost. */
typedef struct
{
  StratusTime started;  /* STRATUS_TIME_NEVER: it did not start within the run */
  StratusTime ended;    /* NEVER: it did not end (permanent, instantaneous or still on) */
  StratusTime detected; /* the first health check, alarm or failure detection in its scope
                         * after it started; NEVER: nothing noticed it */
  char *detected_by;    /* what did, one readable phrase (owned); NULL when nothing did */
  uint64_t writes_lost; /* committed writes its databases lost (a replica promoted over
                         * its lag, a restore from a snapshot) */
  double data_loss_s;   /* the longest data-loss window of those losses (the replica's lag,
                         * the snapshot's age); 0 without loss */
} StratusFaultResult;

typedef struct
{
  uint64_t events;
  double wall_seconds;
  long max_rss_kib;
} StratusRunStats;

typedef struct
{
  uint64_t seed;
  uint32_t replication;
  StratusTime window; /* measured time: duration - warmup */

  /* Requests sent in the window whose outcome the client saw before the end. */
  uint64_t total;
  uint64_t outcomes[STRATUS_N_OUTCOMES]; /* of those, by outcome */
  uint64_t in_flight_at_end; /* sent in the window, no answer by the end */
  uint64_t retries;          /* attempts their clients sent again after a failure */
  uint64_t late_answers;     /* answers targets gave after the load balancer stopped waiting */
  StratusHistogram *latency; /* successful requests, ns, as seen by the client */

  /* At the instances, for requests sent in the window that started service. */
  uint64_t started;
  uint64_t waited;    /* of those, how many queued before service */
  double wait_sum_ns; /* total time spent queued */

  GArray *instances; /* StratusInstanceResult, every instance that ever existed, by id */

  /* The network, over the window: bytes per resource and messages dropped per reason. */
  GArray *network_bytes; /* StratusResourceBytes, resources that carried any bytes */
  uint64_t drops[STRATUS_N_DROP_REASONS];
  StratusRecordLog *intervals; /* StratusIntervalRow, one per report interval */
  StratusRecordLog *instance_intervals; /* StratusInstanceRow, per interval and instance */

  GArray *timeline;      /* StratusTimelineEvent, in time order (whole run) */
  uint64_t timeline_dropped; /* events past the timeline's cap (100,000), not kept */
  GArray *groups;        /* StratusGroupResult, per Auto Scaling group in scenario order */
  StratusRecordLog *group_rows;    /* StratusGroupRow, per interval and group */
  StratusRecordLog *group_az_rows; /* StratusGroupAzRow, per interval, group and AZ */
  GArray *databases;     /* StratusDatabaseResult, per database in scenario order */
  StratusRecordLog *database_rows; /* StratusDatabaseRow, per interval and database */
  GArray *random_faults; /* StratusRandomFaultResult, per random fault in scenario order */
  GArray *lb_usage;      /* StratusLbUsage, per load balancer in scenario order */
  GArray *faults;        /* StratusFaultResult, per fault in scenario order; may be NULL */

  StratusRunStats run_stats;
  StratusSimEnd end; /* STRATUS_SIM_END_DONE unless the run was cut short */
} StratusRunResult;

void stratus_run_result_free (StratusRunResult *result);

/* Number of time-series rows. */
size_t stratus_run_result_interval_count (const StratusRunResult *result);

/* Time-series row `index` (< count), by value. */
StratusIntervalRow stratus_run_result_interval (const StratusRunResult *result, size_t index);

/* Per-instance rows: for each interval, one per instance alive in it, in id order. */
size_t stratus_run_result_instance_interval_count (const StratusRunResult *result);
StratusInstanceRow stratus_run_result_instance_interval (const StratusRunResult *result,
                                                         size_t index);

/* Auto Scaling group rows (per interval and group) and per-AZ rows. */
size_t stratus_run_result_group_row_count (const StratusRunResult *result);
StratusGroupRow stratus_run_result_group_row (const StratusRunResult *result, size_t index);
size_t stratus_run_result_group_az_row_count (const StratusRunResult *result);
StratusGroupAzRow stratus_run_result_group_az_row (const StratusRunResult *result,
                                                   size_t index);

/* Database rows (per interval and database). */
size_t stratus_run_result_database_row_count (const StratusRunResult *result);
StratusDatabaseRow stratus_run_result_database_row (const StratusRunResult *result,
                                                    size_t index);

/* Frees what one database result owns (not the struct itself). */
void stratus_database_result_clear (StratusDatabaseResult *database);

/* Frees the strings of one timeline event (not the event itself). */
void stratus_timeline_event_clear (StratusTimelineEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StratusRunResult, stratus_run_result_free)
