/* An instance's processor: the jobs computing (in service, not waiting on an outbound
 * call) and the vCPUs they use. While no more jobs compute than there are vCPUs, each
 * computes at full speed and its end is one event; when they outnumber the vCPUs they
 * share them equally (processor sharing), so each slows down as it would on the real
 * machine, and one event per instance stands for the next job to finish (until they fit
 * the vCPUs again). Either way the instance's `cpu_busy`
 * integral (busy vCPUs over time) gives CPU utilisation. */
#pragma once

#include "instance.h"
#include "stratus/engine.h"

/* What happens when a job's work is done (the request path's next stage). */
typedef void (*CpuDoneFn) (StratusSim *sim, Job *job);

/* Sets up the processor of `inst` (vCPUs from its type; shared when workers > vCPUs). */
void cpu_init (Instance *inst, int vcpus, StratusTime now);

/* Frees what cpu_init made. */
void cpu_free (Instance *inst);

/* cpu_stress faults take `stress` (their loads summed; 0: none) of every vCPU from `now`,
 * at most STRATUS_MAX_CPU_STRESS: the CPU use counts it, and the jobs that start from then
 * on take 1 / (1 - stress) as long. */
void cpu_set_stress (Instance *inst, double stress, StratusTime now);

/* `job` starts computing `work` ns (at full speed) on `inst` now; `done (sim, job)` is
 * called when it is done, unless the instance's jobs are dropped first. */
void cpu_start (StratusSim *sim, Instance *inst, Job *job, StratusTime work, CpuDoneFn done);

/* A job that computed without sharing is done (called by its own event, before `done`). */
void cpu_finished (Instance *inst, StratusTime now);

/* Every job computing on `inst` stops (the application or the instance is gone): returns
 * the jobs of a shared processor, which have no pending event, for the caller to free
 * (count in *n; the array is the processor's, valid until the next call). The others'
 * events are still pending: they find their job orphaned. */
Job **cpu_drop_all (StratusSim *sim, Instance *inst, unsigned *n);
