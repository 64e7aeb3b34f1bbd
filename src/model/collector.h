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
  StratusTime row_start, interval;
  StratusIntervalRow row;
  StratusHistogram *row_latency;
  double busy_area_at_row_start, in_system_area_at_row_start;
} Collector;

/* Starts collecting into a new result for (seed, replication). */
void collector_init (Collector *c, uint64_t seed, uint32_t replication, StratusTime interval);

/* Opens the measurement window (and the first time-series row) at `now`. */
void collector_open_window (Collector *c, StratusTime now);

/* A measured request was sent. */
static inline void
collector_arrival (Collector *c)
{
  c->row.arrivals++;
}

/* The client of a measured request got `status` after `latency` ns. */
void collector_response (Collector *c, unsigned status, StratusTime latency);

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

/* Closes the current row at `now` given the running totals, over all instances, of
 * busy-worker time and requests-in-system time (both x ns) and the number of workers,
 * and opens the next row at `now`. */
void collector_close_row (Collector *c, StratusTime now, double busy_area, double in_system_area,
                          int workers);

/* Hands over the result (the collector is then spent). */
StratusRunResult *collector_take_result (Collector *c);

/* Frees whatever the collector still owns. */
void collector_clear (Collector *c);
