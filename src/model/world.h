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
  const unsigned *version; /* the network's version, checked by path references */
  uint64_t seed;
  uint32_t replication;
  ObjectPool requests;  /* Request */
  ObjectPool jobs;      /* Job */
  GPtrArray *instances; /* Instance*, owned, by id (every one ever launched) */
  GPtrArray *lbs;       /* LoadBalancer*, owned, in scenario order */
  GPtrArray *workloads; /* Workload*, owned */
  unsigned *launched;   /* per fleet: instances launched so far (the next ordinal) */
  GPtrArray **by_fleet; /* per fleet: its live instances (Instance*, not owned), in launch
                         * order; terminated ones leave it */
  GPtrArray *groups;    /* struct Group*, owned, per Auto Scaling group (autoscaling.h) */
  GPtrArray *databases; /* struct Database*, owned, per database (database.h) */
  GPtrArray *faults;    /* struct Fault*, owned, per scheduled fault (faults.c) */
  uint64_t az_no_capacity; /* bit per AZ that refuses launches (insufficient capacity) */
  uint8_t az_faults[64];   /* per AZ: faults holding it down now (faults.c) */
  uint8_t capacity_faults[64]; /* per AZ: insufficient_capacity faults on now */
  GArray *parked_spots;   /* fixed fleets' instances to start when their dark AZ is back
                           * (faults.c) */
  gsl_rng *loss_rng;     /* packet losses on paths with injected loss (NULL until one) */
  ObjectPool db_queries; /* DbQuery */
  ObjectPool db_execs;   /* DbExec */
  Collector collector;
  uint64_t measured_in_flight;
};

typedef struct StratusModel World;

static inline World *
world_of (StratusSim *sim)
{
  return stratus_sim_context (sim);
}

/* ---- world.c ---- */

/* A path's one-way time for a message that loses packets (world.c): its latency plus TCP
 * retransmission timeouts. */
StratusTime world_lossy_transit (World *w, const StratusPath *path);

/* The time a message takes along `path` one way: its latency, plus, when a fault injects
 * packet loss on it, a retransmission timeout for each loss in a row (drawn). */
static inline StratusTime
world_transit (World *w, const StratusPath *path)
{
  return G_LIKELY (path->loss <= 0) ? path->latency : world_lossy_transit (w, path);
}

/* ---- request_path.c ---- */

/* The engine handler of a workload's arrivals (target: the Workload). */
void request_path_on_arrival (StratusSim *sim, void *target, uint64_t arg);

/* The node stops waiting for `r`'s target (idle timeout, deregistration cut) and answers
 * the client `outcome` itself; the job, if any, goes on without a client. */
void request_path_give_up (World *w, Request *r, StratusOutcome outcome);

/* The job's instance (or its application) is gone: its client hears `outcome` (a 502);
 * a job with no pending event (queued) is freed now; the others are freed by their next
 * event. */
void request_path_orphan (World *w, Job *job, bool queued, StratusOutcome outcome);

/* Starts a job at `inst` for `r`: in transit to the instance after `delay`. */
void request_path_send_job (World *w, Request *r, Instance *inst, StratusTime delay);

/* The handler of a request reaching a load-balancer node (target: the Request). */
void request_path_on_alb_request (StratusSim *sim, void *target, uint64_t arg);

/* The job's database queries are done: its outbound calls, then its answer. */
void request_path_queries_done (World *w, Job *job);

/* The job fails with `outcome` (a query failed for good): it answers now. */
void request_path_job_failed (World *w, Job *job, StratusOutcome outcome);

/* The handler that ends an outbound call (target: the Job; arg CALL_OK or CALL_FAILED). */
void request_path_on_call_done (StratusSim *sim, void *target, uint64_t arg);

enum
{
  CALL_OK,
  CALL_FAILED,
};

/* ---- internal_call.c ---- */

/* Starts `job`'s call to a resource of the scenario (a load balancer or a fleet). */
void internal_call_start (World *w, Job *job, OutboundCall *call);

/* The answer of internal call `r` (r->outcome) reaches its caller now. */
void internal_call_answered (World *w, Request *r);

/* Internal call `r` was dropped for good: the caller's timeout ends it. */
void internal_call_lost (World *w, Request *r);

/* `job` stops waiting for its internal call (its timeout, or its instance is gone). */
void internal_call_abandon (World *w, Job *job);

/* The path from the caller to node `node` of its call's balancer (and back). */
const StratusPath *internal_call_node_path (World *w, OutboundCall *call, unsigned node);

/* ---- fleet_control.c ---- */

/* Launches the next instance of fleet `fleet` now, in state initial, placed in the
 * topology at `spot` (the placement ordinal: subnet, or AZ without a vpc; -1: the
 * fleet's launch count, round robin) with its outbound calls; returns it. With `streams`
 * false (a check) it gets no random streams. A fixed fleet's instance is ready at once,
 * a group's is pending (the group starts its life cycle). */
Instance *fleet_launch (World *w, unsigned fleet, int spot, bool streams);

/* Registers a launched instance with every load balancer of its target groups: healthy
 * and in service at once, or, where the target group has health checks, initial until a
 * probe passes. */
void fleet_register (World *w, Instance *inst);

/* The target health of a registered instance changes to `state` (healthy: in service;
 * unhealthy: out of service but a fail-open candidate). */
void fleet_set_health (World *w, Instance *inst, TargetState state);

/* Deregisters `inst`: it drains (gets no new requests), then terminates once its last job
 * is done or when the deregistration delay runs out; never registered: terminated now. */
void fleet_deregister (World *w, Instance *inst);

/* Cuts every job on `inst` off (their clients hear `outcome`) and empties its station. */
void fleet_cut_jobs (World *w, Instance *inst, StratusOutcome outcome);

/* The instance had its last job: if draining, it is terminated now. */
void fleet_job_done (World *w, Instance *inst);
