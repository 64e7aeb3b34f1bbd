/* The world of one replication, shared by the modules of the model: world.c builds it,
 * runs it and fills the result; request_path.c moves requests through it; fleet_control.c
 * launches, registers, deregisters and terminates instances mid-run. */
#pragma once

#include "alb.h"
#include "collector.h"
#include "instance.h"
#include "pool.h"
#include "request.h"
#include "stratus/engine.h"
#include "stratus/model.h"
#include "stratus/topology.h"
#include "workload.h"

#define ALB_CONNECT_TIMEOUT (10 * STRATUS_SECOND)

struct StratusModel
{
  const StratusScenario *scenario;
  StratusSim *sim;
  StratusTopology *topology;
  StratusNetwork *net;  /* the topology's */
  uint64_t seed;
  uint32_t replication;
  ObjectPool requests;  /* Request */
  ObjectPool jobs;      /* Job */
  GPtrArray *instances; /* Instance*, owned, by id (every one ever launched) */
  GPtrArray *lbs;       /* LoadBalancer*, owned, in scenario order */
  GPtrArray *workloads; /* Workload*, owned */
  unsigned *launched;   /* per fleet: instances launched so far (the next ordinal) */
  Collector collector;
  uint64_t measured_in_flight;
};

typedef struct StratusModel World;

static inline World *
world_of (StratusSim *sim)
{
  return stratus_sim_context (sim);
}

/* ---- request_path.c ---- */

/* The engine handler of a workload's arrivals (target: the Workload). */
void request_path_on_arrival (StratusSim *sim, void *target, uint64_t arg);

/* The node stops waiting for `r`'s target (idle timeout, deregistration cut) and answers
 * the client `outcome` itself; the job, if any, goes on without a client. */
void request_path_give_up (World *w, Request *r, StratusOutcome outcome);

/* The job's instance is gone: a job with no pending event (queued) is freed now; the
 * others are freed by their next event. */
void request_path_orphan (World *w, Job *job, bool queued);

/* ---- fleet_control.c ---- */

/* Launches instance number `ordinal` of fleet `fleet` now, in state initial, placed in the
 * topology with its outbound calls; returns it. With `streams` false (a check) it gets no
 * random streams. */
Instance *fleet_launch (World *w, unsigned fleet, bool streams);

/* Puts a launched instance in service at every load balancer of its target group. */
void fleet_register (World *w, Instance *inst);

/* The instance had its last job: if draining, it is terminated now. */
void fleet_job_done (World *w, Instance *inst);
