/* Instances: identity, lifetime, jobs. */
#include "instance.h"

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
  for (unsigned i = 0; i < inst->n_calls; i++)
    {
      gsl_rng_free (inst->calls[i].rng);
      g_free (inst->calls[i].to_nodes);
    }
  g_free (inst->calls);
  g_free (inst->name);
  g_free (inst);
}

StratusTime
instance_service_time (Instance *inst)
{
  return stratus_dist_sample_time (&inst->fleet->service_time, inst->rng);
}

void
instance_attach (Instance *inst, Job *job)
{
  job->instance = inst;
  job->active_prev = NULL;
  job->active_next = inst->active;
  if (inst->active != NULL)
    inst->active->active_prev = job;
  inst->active = job;
  inst->jobs++;
}

void
instance_detach (Instance *inst, Job *job)
{
  if (job->active_prev != NULL)
    job->active_prev->active_next = job->active_next;
  else
    inst->active = job->active_next;
  if (job->active_next != NULL)
    job->active_next->active_prev = job->active_prev;
  job->active_prev = job->active_next = NULL;
  inst->jobs--;
}
