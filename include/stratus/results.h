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
  char *fleet; /* "web" */
  char *az;
  int workers;
  StratusTime launched;   /* since the start of the run (0 for the scenario's own) */
  StratusTime terminated; /* STRATUS_TIME_NEVER if it ran to the end */
  StratusTime alive;      /* its time alive within the window */
  uint64_t served;        /* requests whose service finished in the window */
  double busy_area;       /* busy-worker time in the window, workers x ns */
  double utilisation;     /* busy worker time / (workers x alive); 0 if never alive */
  double mean_queue;      /* waiting requests, time-averaged over its time alive */
  double mean_in_system;  /* waiting + in service, likewise */
} StratusInstanceResult;

/* Bytes carried for one resource (an instance, a load-balancer node, a NAT gateway), by
 * path class, both directions. */
typedef struct
{
  char *name;
  uint64_t bytes[STRATUS_N_BYTE_CLASSES];
} StratusResourceBytes;

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StratusRunResult, stratus_run_result_free)
