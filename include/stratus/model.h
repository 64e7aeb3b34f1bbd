/* Runs a scenario: builds the world (load balancers, instances, workloads) on a fresh
 * engine and simulates it from 0 to the scenario's duration. */
#pragma once

#include "stratus/engine.h"
#include "stratus/results.h"
#include "stratus/scenario.h"

typedef struct
{
  uint64_t seed;          /* overrides the scenario's seed */
  uint32_t replication;   /* 0-based; picks independent random streams */
  StratusProgressFn progress; /* optional, called about every 65,536 events */
  void *progress_data;
  const volatile sig_atomic_t *stop_flag; /* optional: non-zero ends the run early */
  uint64_t max_events;    /* optional: the run ends early past this many events (0: none) */
} StratusRunOptions;

/* Checks every path the scenario implies (clients -> each load-balancer node, each node
 * -> each target, each instance -> each outbound destination): false at the first
 * blocked one, with "file:line:column: SRC -> DST: blocked by ..." in `error`. With
 * `explain`, appends every path hop by hop (and goes on past blocked ones). */
bool stratus_model_check (const StratusScenario *scenario, GString *explain, GError **error);

/* One replication. The result is the caller's; free with stratus_run_result_free. Its
 * `end` says whether it ran to the end or was cut short (stop flag, event limit). */
StratusRunResult *stratus_model_run (const StratusScenario *scenario,
                                     const StratusRunOptions *options);
