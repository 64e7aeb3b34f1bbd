/* A workload's clients: when they send, which load-balancer node DNS gives them, and when
 * they give up. Client timeouts use one FIFO of deadlines per workload (the timeout is the
 * same for all its requests, so deadlines come in send order) and a single engine timer
 * armed for the oldest request still waiting: O(1) per request, no cancellations. */
#pragma once

#include <gsl/gsl_rng.h>

#include "alb.h"
#include "arrivals.h"
#include "request.h"
#include "stratus/engine.h"

typedef struct
{
  Request *request;
  uint32_t generation;
  StratusTime deadline;
} Deadline;

typedef struct Workload Workload;
struct Workload
{
  const StratusWorkloadConfig *config;
  LoadBalancer *entry;
  gsl_rng *rng; /* owned: arrivals */
  ArrivalProcess arrivals;
  unsigned next_node; /* DNS rotation over the load balancer's nodes */

  Deadline *ring; /* circular buffer of deadlines */
  size_t ring_head, ring_len, ring_cap;
  bool timer_armed;
};

/* A workload entering at `entry`; takes ownership of rng. Free with workload_free. */
Workload *workload_new (const StratusWorkloadConfig *config, LoadBalancer *entry, gsl_rng *rng);

void workload_free (Workload *wl);

/* The load-balancer node (AZ index) that the next client reaches. */
unsigned workload_pick_node (Workload *wl);

/* Records that `r`, sent now, must be answered by now + timeout (no-op when unlimited). */
void workload_push_deadline (Workload *wl, Request *r);

/* The oldest deadline of a request still in flight (dropping finished ones from the front),
 * or STRATUS_TIME_NEVER. */
StratusTime workload_next_deadline (Workload *wl);

/* Pops every request whose deadline is <= now and is still in flight, one per call;
 * NULL when none is left. */
Request *workload_pop_expired (Workload *wl, StratusTime now);
