/* What one replication of a scenario measured. Built by stratus_model_run, read by the
 * report writers; free with stratus_run_result_free. Everything but `run_stats` is a pure
 * function of (scenario, seed, replication). */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "stratus/engine.h"
#include "stratus/histogram.h"
#include "stratus/network.h"
#include "stratus/record_log.h"
#include "stratus/simtime.h"

/* One row of the time series: what happened in [start, start + length). */
typedef struct
{
  StratusTime start; /* since the start of the run */
  StratusTime length;
  uint64_t arrivals;  /* requests sent by clients */
  uint64_t ok;        /* successful responses received */
  uint64_t errors_502;
  uint64_t errors_503;
  uint64_t errors_504;
  double p50_ms, p99_ms; /* of successful responses in the interval; 0 when none */
  double p999_ms;        /* likewise; the max when fewer than 1000 responses */
  double utilisation;    /* busy workers / workers, over all instances */
  double in_system;      /* mean requests inside instances (queued or in service) */
  double queue;          /* mean requests waiting in instances' queues */
  uint64_t bytes[STRATUS_N_BYTE_CLASSES]; /* carried in the interval, over all resources */
  uint64_t drops[STRATUS_N_DROP_REASONS]; /* messages dropped in the interval, by reason */
} StratusIntervalRow;

/* One instance over one report interval. */
typedef struct
{
  StratusTime start;    /* of the interval */
  uint32_t instance;    /* index in StratusRunResult.instances */
  double utilisation;   /* busy workers / workers */
  double queue;         /* mean waiting requests */
} StratusInstanceRow;

typedef struct
{
  char *name;  /* "web-1" */
  char *fleet; /* "web" */
  char *az;
  int workers;
  uint64_t served;       /* requests whose service finished in the window */
  double utilisation;    /* busy worker time / (workers x window) */
  double mean_queue;     /* waiting requests, time-averaged */
  double mean_in_system; /* waiting + in service, time-averaged */
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
  uint64_t total, ok, errors_502, errors_503, errors_504;
  uint64_t in_flight_at_end; /* sent in the window, no answer by the end */
  StratusHistogram *latency; /* successful requests, ns, as seen by the client */

  /* At the instances, for requests sent in the window that started service. */
  uint64_t started;
  uint64_t waited;    /* of those, how many queued before service */
  double wait_sum_ns; /* total time spent queued */

  GArray *instances; /* StratusInstanceResult */

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

/* Per-instance rows: for each interval, one per instance in instance order. */
size_t stratus_run_result_instance_interval_count (const StratusRunResult *result);
StratusInstanceRow stratus_run_result_instance_interval (const StratusRunResult *result,
                                                         size_t index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StratusRunResult, stratus_run_result_free)
