/* What noticed each fault of the scenario first, and the writes each cost, kept in the
 * result (StratusRunResult.faults, one StratusFaultResult per fault in scenario order).
 * The model calls these hooks: the timeline at each fault's start and end; the health
 * checks, EC2 (a stopped instance), the CloudWatch alarms and the databases' failure
 * detection when they notice something; the databases when they lose committed writes.
 * None of them changes what the model does. */
#pragma once

#include <stdint.h>

#include "world.h"

/* Where something was noticed or lost: an AZ, a fleet (in s->fleets) and a database (in
 * s->databases) index, each -1 when it concerns none in particular (an alarm watches
 * every AZ of its group). */
typedef struct
{
  int az, fleet, database;
} FaultScope;

/* What noticed something: the evidence a kind of fault can leave (see fault_detection.c). */
typedef enum
{
  NOTICE_STOPPED = 1 << 0,    /* EC2: an instance stopped (a group replaces it at once) */
  NOTICE_UNHEALTHY = 1 << 1,  /* a load balancer's health checks: a target unhealthy */
  NOTICE_ALARM = 1 << 2,      /* a CloudWatch alarm entered ALARM */
  NOTICE_DB_FAILURE = 1 << 3, /* a database's failure detection: a failover begins */
} FaultNotice;

/* The result's faults, one per fault of the scenario, none started yet. */
void fault_detection_start (World *w);

/* Fault `fault` (one of the scenario's; others are ignored) starts, or ends, now. Only its
 * first start counts. */
void fault_detection_started (World *w, const StratusFaultConfig *fault);
void fault_detection_ended (World *w, const StratusFaultConfig *fault);

/* `notice` in `scope` noticed a failure now: every fault in that scope whose kind can
 * leave that evidence, that has started, has not ended and has not been detected yet is
 * detected now, by the phrase made from `by_format` ("the health checks of alb: web-3
 * unhealthy"). */
void fault_detection_note (World *w, FaultNotice notice, FaultScope scope,
                           const char *by_format, ...) G_GNUC_PRINTF (4, 5);

/* A database in `scope` lost `writes` committed writes now, over a data-loss window of
 * `window_s` seconds, after losing its writer at `writer_lost`: they count against the
 * latest fault in that scope that had started by then and had not ended before (all of
 * them if several started at that same time); against none when none had. */
void fault_detection_data_loss (World *w, FaultScope scope, StratusTime writer_lost,
                                uint64_t writes, double window_s);
