/* Worker pool + FIFO queue accounting. */
#include "instance.h"

#include "stratus/dist.h"

Instance *
instance_new (const char *name, const StratusFleetConfig *fleet, int az, int subnet,
              gsl_rng *rng)
{
  Instance *inst = g_new0 (Instance, 1);
  inst->name = g_strdup (name);
  inst->fleet = fleet;
  inst->az = az;
  inst->subnet = subnet;
  inst->endpoint = -1;
  inst->workers = fleet->workers;
  inst->queue_limit = fleet->queue_limit;
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
    gsl_rng_free (inst->calls[i].rng);
  g_free (inst->calls);
  g_free (inst->name);
  g_free (inst);
}

static inline void
account (Instance *inst, StratusTime now)
{
  stratus_time_average_set (&inst->busy_avg, now, inst->busy);
  stratus_time_average_set (&inst->in_system_avg, now, (double) (inst->busy + inst->queue_len));
}

AdmitResult
instance_admit (Instance *inst, Request *r, StratusTime now)
{
  r->enqueued = now;
  if (inst->busy < inst->workers)
    {
      inst->busy++;
      account (inst, now);
      return ADMIT_START;
    }
  if (inst->queue_limit >= 0 && inst->queue_len >= inst->queue_limit)
    return ADMIT_REFUSED;
  r->next = NULL;
  if (inst->queue_tail)
    inst->queue_tail->next = r;
  else
    inst->queue_head = r;
  inst->queue_tail = r;
  inst->queue_len++;
  account (inst, now);
  return ADMIT_QUEUED;
}

StratusTime
instance_service_time (Instance *inst)
{
  return stratus_dist_sample_time (&inst->fleet->service_time, inst->rng);
}

Request *
instance_finish (Instance *inst, StratusTime now)
{
  inst->served++;
  Request *next = inst->queue_head;
  if (next != NULL)
    {
      inst->queue_head = next->next;
      if (inst->queue_head == NULL)
        inst->queue_tail = NULL;
      inst->queue_len--;
    }
  else
    inst->busy--;
  account (inst, now);
  return next;
}

void
instance_reset_window (Instance *inst, StratusTime now)
{
  account (inst, now);
  stratus_time_average_reset (&inst->busy_avg, now);
  stratus_time_average_reset (&inst->in_system_avg, now);
  inst->served = 0;
}
