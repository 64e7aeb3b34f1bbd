/* An instance's worker pool and bounded FIFO queue, with the time-weighted accounting of
 * busy workers and queue length. It decides admission; the world moves requests. */
#pragma once

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "request.h"
#include "stratus/network.h"
#include "stratus/scenario.h"
#include "stratus/stats.h"

/* An outbound call of the instance's fleet, with its own random stream and its path. */
typedef struct
{
  const StratusOutboundCallConfig *config;
  gsl_rng *rng;              /* the destination's service times, and fractional call counts */
  int destination;           /* endpoint in the world's network */
  const StratusPath *path;   /* instance -> destination, set by the world */
} OutboundCall;

typedef struct Instance Instance;
struct Instance
{
  char *name;
  const StratusFleetConfig *fleet;
  int az;
  int subnet;   /* index in vpc->subnets, or -1 */
  int endpoint; /* in the world's network */
  OutboundCall *calls; /* one per fleet->outbound entry */
  unsigned n_calls;
  int workers;
  int busy;
  int64_t queue_limit; /* -1 = unlimited */
  int64_t queue_len;
  Request *queue_head, *queue_tail;
  gsl_rng *rng;         /* service times */
  uint64_t served;      /* completions since the window opened */
  StratusTimeAverage busy_avg;
  StratusTimeAverage in_system_avg;
};

typedef enum
{
  ADMIT_START, /* a worker was free: start service now */
  ADMIT_QUEUED,
  ADMIT_REFUSED, /* queue full */
} AdmitResult;

/* A new idle instance in `az` (and `subnet`, -1 without a vpc); the rng becomes the
 * instance's. The world sets its endpoint and outbound calls. Free with instance_free. */
Instance *instance_new (const char *name, const StratusFleetConfig *fleet, int az, int subnet,
                        gsl_rng *rng);

void instance_free (Instance *inst);

/* A request arrives: takes a worker, joins the queue, or is refused. */
AdmitResult instance_admit (Instance *inst, Request *r, StratusTime now);

/* Draws the service time of a request that starts now, in [0, STRATUS_TIME_INPUT_MAX]. */
StratusTime instance_service_time (Instance *inst);

/* A request finished: frees its worker, or hands it to the next queued request, which is
 * returned (its service starts now); NULL when the queue was empty. */
Request *instance_finish (Instance *inst, StratusTime now);

/* Opens the measurement window at `now`. */
void instance_reset_window (Instance *inst, StratusTime now);
