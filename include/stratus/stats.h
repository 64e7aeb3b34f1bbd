/* Streaming statistics: running mean and variance (Welford), Student-t confidence
 * intervals over replications, and time-weighted averages of piecewise-constant signals. */
#pragma once

#include <stdint.h>

#include "stratus/simtime.h"

/* Running mean and variance of a stream of doubles. Zero-initialise to start. */
typedef struct
{
  uint64_t n;
  double mean;
  double m2;
} StratusSummary;

/* Adds one observation. */
void stratus_summary_add (StratusSummary *s, double x);

/* Sample variance (n - 1 in the denominator); 0 when n < 2. */
double stratus_summary_variance (const StratusSummary *s);

/* Half-width of the two-sided 95% Student-t confidence interval of the mean;
 * 0 when n < 2. */
double stratus_summary_ci95 (const StratusSummary *s);

/* Time-weighted average of a piecewise-constant value (busy workers, queue length).
 * Call stratus_time_average_reset to start, then _set at each change. */
typedef struct
{
  StratusTime start;
  StratusTime last;
  double value;
  double area; /* integral of value dt since start, in value x ns */
} StratusTimeAverage;

/* Starts measuring at `now` with the current value kept. */
void stratus_time_average_reset (StratusTimeAverage *a, StratusTime now);

/* Records that the value changes to `value` at `now` (now >= last change). */
static inline void
stratus_time_average_set (StratusTimeAverage *a, StratusTime now, double value)
{
  a->area += a->value * (double) (now - a->last);
  a->last = now;
  a->value = value;
}

/* Integral of the value from start to `now` (value x ns). */
double stratus_time_average_area (const StratusTimeAverage *a, StratusTime now);

/* Average value over [start, now]; the current value if no time has passed. */
double stratus_time_average_mean (const StratusTimeAverage *a, StratusTime now);
