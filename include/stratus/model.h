/* Runs a scenario: builds the world (load balancers, instances, workloads) on a fresh
 * engine and simulates it from 0 to the scenario's duration. */
#pragma once

#include "stratus/engine.h"
#include "stratus/results.h"
#include "stratus/scenario.h"

/* A world being simulated (one replication), for actions that change it mid-run. */
typedef struct StratusModel StratusModel;

/* Something done to the world at a point of simulated time. */
typedef void (*StratusModelAction) (StratusModel *model, void *data);

typedef struct
{
  uint64_t seed;          /* overrides the scenario's seed */
  uint32_t replication;   /* 0-based; picks independent random streams */
  StratusProgressFn progress; /* optional, called about every 65,536 events */
  void *progress_data;
  const volatile sig_atomic_t *stop_flag; /* optional: non-zero ends the run early */
  uint64_t max_events;    /* optional: the run ends early past this many events (0: none) */
  StratusModelAction setup; /* optional: called once the world is built, before time runs */
  void *setup_data;
} StratusRunOptions;

/* Checks every path the scenario implies (clients -> each load-balancer node, each node
 * -> each target, each instance -> each outbound destination and each member of its
 * database, on the database's port): false at the first
 * blocked one, with "file:line:column: SRC -> DST: blocked by ..." in `error`. With
 * `explain`, appends every path hop by hop (and goes on past blocked ones). */
bool stratus_model_check (const StratusScenario *scenario, GString *explain, GError **error);

/* One replication. The result is the caller's; free with stratus_run_result_free. Its
 * `end` says whether it ran to the end or was cut short (stop flag, event limit).
 * Thread-safe: runs on several threads may share `scenario` (no run writes to it) and give
 * exactly what they give one after the other; each calls its progress and setup callbacks
 * from its own thread, so their data should be its own (tests/test-threads.c). */
StratusRunResult *stratus_model_run (const StratusScenario *scenario,
                                     const StratusRunOptions *options);

/* ---- changing the world mid-run (Auto Scaling, faults and tests build on these) ---- */

/* Runs `action (model, data)` at simulated time `at` (now, if `at` has passed). */
void stratus_model_at (StratusModel *model, StratusTime at, StratusModelAction action,
                       void *data);

/* The simulated time. */
StratusTime stratus_model_now (const StratusModel *model);

/* Launches an instance of `fleet` now (named FLEET-N, N counting every launch of the fleet,
 * placed like the fleet's N-th instance): state "initial", it gets no traffic until it is
 * registered. Returns its id, or -1 if there is no such fleet. */
int stratus_model_launch (StratusModel *model, const char *fleet);

/* Registers instance `id` with the load balancers of its target group: state "healthy",
 * it gets new requests from now on. */
void stratus_model_register (StratusModel *model, unsigned id);

/* Deregisters instance `id`: state "draining", it gets no new requests and finishes its
 * own; it is terminated (state "unused") once it has none left, or when the load
 * balancer's deregistration delay runs out, cutting off what is left (their clients get
 * 502 deregistered). */
void stratus_model_deregister (StratusModel *model, unsigned id);

/* Stops instance `id` at once (as EC2 stopping it, or a fault): requests on it fail (502
 * target_reset), it leaves its load balancers, its billing ends. An Auto Scaling group
 * replaces it at once (EC2 health checks). */
void stratus_model_stop_instance (StratusModel *model, unsigned id);

/* Instances launched so far (ids are 0 .. count-1, in launch order). */
unsigned stratus_model_instance_count (const StratusModel *model);

/* Name, target state ("initial", "healthy", "unhealthy", "draining", "unused") and jobs
 * on it (queued, in service or calling) of instance `id`; NULL or 0 if there is none. */
const char *stratus_model_instance_name (const StratusModel *model, unsigned id);
const char *stratus_model_instance_state (const StratusModel *model, unsigned id);
unsigned stratus_model_instance_jobs (const StratusModel *model, unsigned id);

/* Marks AZ `az` (a name of the scenario's AZs) failed or recovered in the network: every
 * path into or out of it drops its messages (health checks then find its targets
 * unreachable). False if there is no such AZ. (The fault injector will build on it.) */
bool stratus_model_set_az_down (StratusModel *model, const char *az, bool down);
