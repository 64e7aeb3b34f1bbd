/* An instance's worker pool and bounded FIFO queue, with the time-weighted accounting of
 * busy workers and queue length. It decides admission; the world moves requests. */
#pragma once

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "request.h"
#include "stratus/scenario.h"
#include "stratus/stats.h"

typedef struct Instance Instance;
struct Instance
{
  char *name;
  const StratusFleetConfig *fleet;
  int az;
  int workers;
  int busy;
  int64_t queue_limit; /* -1 = unlimited */
  int64_t queue_len;
  Request *queue_head, *queue_tail;
  uint32_t outstanding; /* requests the load balancer has sent and not yet seen answered */
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

/* A new idle instance; the rng becomes the instance's. Free with instance_free. */
Instance *instance_new (const char *name, const StratusFleetConfig *fleet, int az, gsl_rng *rng);

void instance_free (Instance *inst);

/* A request arrives: takes a worker, joins the queue, or is refused. */
AdmitResult instance_admit (Instance *inst, Request *r, StratusTime now);

/* Draws the service time of a request that starts now. */
StratusTime instance_service_time (Instance *inst);

/* A request finished: frees its worker, or hands it to the next queued request, which is
 * returned (its service starts now); NULL when the queue was empty. */
Request *instance_finish (Instance *inst, StratusTime now);

/* Opens the measurement window at `now`. */
void instance_reset_window (Instance *inst, StratusTime now);
