/* Measurement for one replication: counts by outcome, the latency histogram, queueing
 * figures, and the time series, all streaming (fixed memory per interval row). Nothing is
 * recorded before the window opens at the end of warm-up. */
#pragma once

#include "stratus/histogram.h"
#include "stratus/results.h"

typedef struct
{
  StratusRunResult *result; /* being filled; owned by the collector until taken */
  bool window_open;
  StratusTime row_start;
  StratusIntervalRow row;
  StratusHistogram *row_latency;
  /* The totals when the current row opened, per instance id (0 for later ones). */
  GArray *busy_at_row_start, *in_system_at_row_start; /* double */
  uint64_t bytes_at_row_start[STRATUS_N_BYTE_CLASSES];
  uint64_t drops_at_row_start[STRATUS_N_DROP_REASONS];
} Collector;

/* Starts collecting into a new result for (seed, replication). */
void collector_init (Collector *c, uint64_t seed, uint32_t replication);

/* Opens the measurement window (and the first time-series row) at `now`. */
void collector_open_window (Collector *c, StratusTime now);

/* A measured request was sent. */
static inline void
collector_arrival (Collector *c)
{
  c->row.arrivals++;
}

/* A measured request's client sends it again (a retry). */
static inline void
collector_retry (Collector *c)
{
  c->row.retries++;
  c->result->retries++;
}

/* The client of a measured request learnt `outcome` after `latency` ns (latencies are
 * recorded for successes only). */
void collector_response (Collector *c, StratusOutcome outcome, StratusTime latency);

/* A target answered a measured request after the load balancer stopped waiting. */
static inline void
collector_late_answer (Collector *c)
{
  c->result->late_answers++;
}

/* A measured request started service after waiting `wait` ns in the queue. */
static inline void
collector_service_start (Collector *c, StratusTime wait)
{
  c->result->started++;
  if (wait > 0)
    {
      c->result->waited++;
      c->result->wait_sum_ns += (double) wait;
    }
}

/* Running totals since the window opened, which rows are differences of. */
typedef struct
{
  unsigned n_instances;         /* every instance launched so far, by id */
  const double *busy_area;      /* per instance: busy-worker time (x ns) */
  const double *in_system_area; /* per instance: requests-in-system time (x ns) */
  const int *workers;           /* per instance */
  const StratusTime *alive;     /* per instance: its time alive in the row (0: no row) */
  const uint64_t *bytes;        /* per byte class, over all resources */
  const uint64_t *drops;        /* per drop reason */
} CollectorTotals;

/* Closes the current row at `now` from the running totals, writes a per-instance row for
 * each instance alive in it, and opens the next row at `now`. */
void collector_close_row (Collector *c, StratusTime now, const CollectorTotals *totals);

/* Hands over the result (the collector is then spent). */
StratusRunResult *collector_take_result (Collector *c);

/* Frees whatever the collector still owns. */
void collector_clear (Collector *c);
