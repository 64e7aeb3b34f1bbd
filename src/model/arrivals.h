/* Arrival times of a non-homogeneous Poisson process whose rate follows a rate shape
 * (constant, steps, diurnal, spike, replayed rates), or replayed arrival timestamps.
 * Piecewise-constant shapes are sampled exactly; the diurnal curve by thinning against
 * its maximum over segments of period/48 (30 minutes for a daily period, at least 1 s), or
 * against its maximum for all time when that gives less than one candidate per segment. */
#pragma once

#include <gsl/gsl_rng.h>

#include "stratus/scenario.h"

typedef struct
{
  const StratusRateConfig *config;
  gsl_rng *rng;            /* not owned */
  StratusTime bound_until; /* the cached bound holds on [.., bound_until) */
  double bound_rate;       /* per ns */
  bool bound_exact;        /* the rate equals the bound on the whole segment */
  guint trace_index;       /* replayed arrivals: next row */
} ArrivalProcess;

/* Starts a process; `rng` must outlive it. */
void arrivals_init (ArrivalProcess *p, const StratusRateConfig *config, gsl_rng *rng);

/* The arrival after `now` (strictly later for Poisson, >= now for replayed timestamps),
 * or STRATUS_TIME_NEVER when there are no more. */
StratusTime arrivals_next (ArrivalProcess *p, StratusTime now);

/* The rate at time t, in requests per second. */
double arrivals_rate_at (const StratusRateConfig *config, StratusTime t);
