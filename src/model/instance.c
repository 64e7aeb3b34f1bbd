/* Instances: identity, lifetime, jobs. */
#include "instance.h"

#include "cpu.h"

#include <math.h>

#include "stratus/instance_types.h"

#include "stratus/dist.h"

const char *
target_state_name (TargetState state)
{
  static const char *const names[] = { "initial", "healthy", "unhealthy", "draining", "unused" };
  return names[state];
}

Instance *
instance_new (unsigned id, const char *name, const StratusFleetConfig *fleet,
              unsigned fleet_index, StratusPlacement where, gsl_rng *rng, StratusTime now)
{
  Instance *inst = g_new0 (Instance, 1);
  inst->id = id;
  inst->name = g_strdup (name);
  inst->fleet = fleet;
  inst->fleet_index = fleet_index;
  inst->where = where;
  inst->endpoint = -1;
  inst->state = TARGET_INITIAL;
  inst->launched = now;
  inst->terminated = STRATUS_TIME_NEVER;
  inst->drain_deadline = STRATUS_TIME_NEVER;
  inst->running_at = STRATUS_TIME_NEVER;
  inst->in_service_at = STRATUS_TIME_NEVER;
  inst->max_jobs = UINT32_MAX;
  inst->version = 1;
  inst->service_time = &fleet->service_time;
  inst->boot_time = &fleet->boot_time;
  inst->user_data_time = &fleet->user_data_time;
  inst->app_start_time = &fleet->app_start_time;
  station_init (&inst->station, fleet->workers, fleet->queue_limit, now);
  inst->rng = rng;
  return inst;
}

void
instance_free (Instance *inst)
{
  if (inst == NULL)
    return;
  gsl_rng_free (inst->rng);
  gsl_rng_free (inst->life_rng);
  cpu_free (inst);
  g_free (inst->probe);
  for (unsigned i = 0; i < inst->n_calls; i++)
    {
      gsl_rng_free (inst->calls[i].rng);
      g_free (inst->calls[i].to_nodes);
    }
  g_free (inst->calls);
  g_free (inst->name);
  g_free (inst);
}

void
instance_retire (Instance *inst)
{
  g_clear_pointer (&inst->rng, gsl_rng_free);
  g_clear_pointer (&inst->life_rng, gsl_rng_free);
  for (unsigned i = 0; i < inst->n_calls; i++)
    g_clear_pointer (&inst->calls[i].rng, gsl_rng_free);
  cpu_free (inst);
}

StratusTime
instance_service_time (Instance *inst)
{
  StratusTime t = stratus_dist_sample_time (inst->service_time, inst->rng);
  if (G_UNLIKELY (inst->cpu_stress > 0))
    t = (StratusTime) MIN ((double) t / (1.0 - MIN (inst->cpu_stress, STRATUS_MAX_CPU_STRESS)),
                           (double) STRATUS_TIME_INPUT_MAX);
  return t;
}

double
instance_memory_mib (const Instance *inst, double jobs)
{
  const StratusMemoryConfig *mem = &inst->fleet->memory;
  if (!mem->enabled)
    return 0;
  return mem->base_mib + mem->per_request_mib * jobs + inst->leaked_mib;
}

void
instance_set_memory_room (Instance *inst)
{
  const StratusInstanceType *type = stratus_instance_type_find (inst->fleet->type);
  const StratusMemoryConfig *mem = &inst->fleet->memory;
  inst->max_jobs = UINT32_MAX;
  if (!mem->enabled || type == NULL)
    return;
  double room = type->memory_gib * 1024.0 - mem->base_mib - inst->leaked_mib;
  double jobs = mem->per_request_mib > 0 ? floor (room / mem->per_request_mib) : 1e9;
  inst->max_jobs = room <= 0 ? 0 : (uint32_t) MIN (jobs, (double) (UINT32_MAX - 1));
}

