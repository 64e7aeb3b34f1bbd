/* A workload's clients: when they send, which load-balancer node DNS gives them, and when
 * they give up. Client timeouts use one deadline ring per workload (the timeout is the
 * same for all its requests, so deadlines come in send order) and a single engine timer
 * armed for the oldest request still waiting. */
#pragma once

#include <gsl/gsl_rng.h>

#include "alb.h"
#include "arrivals.h"
#include "deadline_ring.h"
#include "request.h"
#include "stratus/engine.h"

typedef struct Workload Workload;
struct Workload
{
  const StratusWorkloadConfig *config;
  LoadBalancer *entry;
  gsl_rng *rng; /* owned: arrivals */
  gsl_rng *retry_rng; /* owned: the retries' backoff draws (NULL without retries) */
  ArrivalProcess arrivals;
  unsigned next_node; /* DNS rotation over the load balancer's nodes */
  int retry_tokens;   /* the clients' retry quota left (config->retry_quota > 0) */
  DeadlineRing deadlines; /* requests whose client still waits, by deadline */
};

/* A workload entering at `entry`; takes ownership of rng. Free with workload_free. */
Workload *workload_new (const StratusWorkloadConfig *config, LoadBalancer *entry, gsl_rng *rng);

void workload_free (Workload *wl);

/* The load-balancer node that the next client, sending at `now`, reaches: the DNS
 * rotation over the nodes, skipping those DNS dropped more than the clients' TTL ago
 * (clients whose cached answer names a dropped node still reach it until then); every
 * node when DNS names none. */
unsigned workload_pick_node (Workload *wl, StratusTime now);

/* Records that `r`, sent now, must be answered by now + timeout (not for `unlimited`). */
void workload_push_deadline (Workload *wl, Request *r);
