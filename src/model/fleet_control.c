/* Instances that come and go: launch, registration with the load balancers of their
 * target group, deregistration with its draining, and termination. The internal API the
 * scenario's own instances go through at time 0, and Auto Scaling and faults next. */
#include "stratus/rng.h"
#include "world.h"

/* A random stream for `source`, or NULL when the world is only checked. */
static gsl_rng *
stream_for (World *w, bool streams, const char *source)
{
  return streams ? stratus_rng_stream_new (w->seed, w->replication, source) : NULL;
}

Instance *
fleet_launch (World *w, unsigned fleet, bool streams)
{
  const StratusFleetConfig *cfg = g_ptr_array_index (w->scenario->fleets, fleet);
  unsigned ordinal = w->launched[fleet]++;
  char *name = g_strdup_printf ("%s-%u", cfg->name, ordinal + 1);
  char *source = g_strdup_printf ("instance.%s.service", name);
  StratusPlacement where;
  int endpoint = stratus_topology_add_instance (w->topology, fleet, ordinal, name, &where);
  Instance *inst = instance_new (w->instances->len, name, cfg, fleet, where,
                                 stream_for (w, streams, source), stratus_sim_now (w->sim));
  inst->endpoint = endpoint;
  inst->n_calls = cfg->outbound ? cfg->outbound->len : 0;
  inst->calls = g_new0 (OutboundCall, inst->n_calls ? inst->n_calls : 1);
  for (unsigned k = 0; k < inst->n_calls; k++)
    {
      OutboundCall *call = &inst->calls[k];
      call->config = g_ptr_array_index (cfg->outbound, k);
      char *call_source = g_strdup_printf ("instance.%s.outbound.%s", name, call->config->name);
      call->rng = stream_for (w, streams, call_source);
      call->owner = inst;
      call->destination = stratus_topology_call_address (w->topology, call->config);
      call->resource = stratus_scenario_destination_index (w->scenario, call->config);
      if (call->config->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER)
        call->to_nodes = g_new0 (StratusPathRef, ((LoadBalancer *) g_ptr_array_index (
                                                      w->lbs, (guint) call->resource))->n_nodes);
      g_free (call_source);
    }
  g_ptr_array_add (w->instances, inst);
  g_ptr_array_add (w->by_fleet[fleet], inst);
  for (guint i = 0; i < w->lbs->len; i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      if (alb_serves (lb, cfg))
        alb_add_target (lb, inst);
    }
  g_free (source);
  g_free (name);
  return inst;
}

/* Puts `inst` in service at every load balancer that has it as a target, or takes it out. */
static void
set_in_service (World *w, Instance *inst, bool in_service)
{
  for (guint i = 0; i < w->lbs->len; i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      int slot = alb_slot_of (lb, inst);
      if (slot >= 0)
        alb_set_in_service (lb, (unsigned) slot, in_service);
    }
}

void
fleet_register (World *w, Instance *inst)
{
  if (inst->state != TARGET_INITIAL)
    return;
  inst->state = TARGET_HEALTHY;
  set_in_service (w, inst, true);
}

/* Terminates `inst` now: jobs still on it are cut off (their clients hear 502), its
 * workers stop. */
static void
terminate (World *w, Instance *inst)
{
  StratusTime now = stratus_sim_now (w->sim);
  set_in_service (w, inst, false);
  StationItem *queued;
  while ((queued = station_take_queued (&inst->station, now)) != NULL)
    request_path_orphan (w, job_of_item (queued), true);
  while (inst->active != NULL)
    request_path_orphan (w, inst->active, false);
  station_close (&inst->station, now);
  inst->state = TARGET_UNUSED;
  inst->gone = true;
  inst->terminated = now;
}

void
fleet_job_done (World *w, Instance *inst)
{
  if (inst->state == TARGET_DRAINING)
    terminate (w, inst);
}

/* The deregistration delay of a draining instance ran out. */
static void
on_drain_deadline (StratusSim *sim, void *target, uint64_t arg)
{
  Instance *inst = target;
  if (inst->state == TARGET_DRAINING && stratus_sim_now (sim) >= inst->drain_deadline)
    terminate (world_of (sim), inst);
}

/* The longest deregistration delay of the load balancers `inst` is a target of (300 s, AWS's
 * default, if none). */
static StratusTime
deregistration_delay (World *w, const Instance *inst)
{
  StratusTime delay = -1;
  for (guint i = 0; i < w->lbs->len; i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      if (alb_slot_of (lb, inst) >= 0)
        delay = MAX (delay, lb->config->deregistration_delay);
    }
  return delay < 0 ? 300 * STRATUS_SECOND : delay;
}

/* Deregisters `inst`: it drains (gets no new requests), then terminates once its last job
 * is done or when the deregistration delay runs out, whichever comes first. */
static void
deregister (World *w, Instance *inst)
{
  if (inst->gone || inst->state == TARGET_DRAINING)
    return;
  set_in_service (w, inst, false);
  inst->state = TARGET_DRAINING;
  StratusTime delay = deregistration_delay (w, inst);
  inst->drain_deadline = stratus_time_add (stratus_sim_now (w->sim), delay);
  if (inst->jobs == 0 || delay == 0)
    terminate (w, inst);
  else
    stratus_sim_schedule (w->sim, delay, on_drain_deadline, inst, 0);
}

/* ---- the public API (stratus/model.h) ----------------------------------------------- */

/* Runs an action: the target is its data, the argument the function. */
static void
on_action (StratusSim *sim, void *target, uint64_t arg)
{
  StratusModelAction action = (StratusModelAction) (uintptr_t) arg;
  action (world_of (sim), target);
}

void
stratus_model_at (StratusModel *m, StratusTime at, StratusModelAction action, void *data)
{
  stratus_sim_schedule_at (m->sim, MAX (at, stratus_sim_now (m->sim)), on_action, data,
                           (uint64_t) (uintptr_t) action);
}

StratusTime
stratus_model_now (const StratusModel *m)
{
  return stratus_sim_now (m->sim);
}

int
stratus_model_launch (StratusModel *m, const char *fleet)
{
  int f = stratus_scenario_fleet_index (m->scenario, fleet);
  return f < 0 ? -1 : (int) fleet_launch (m, (unsigned) f, true)->id;
}

/* Instance `id`, or NULL. */
static Instance *
instance_at (const StratusModel *m, unsigned id)
{
  return id < m->instances->len ? g_ptr_array_index (m->instances, id) : NULL;
}

void
stratus_model_register (StratusModel *m, unsigned id)
{
  Instance *inst = instance_at (m, id);
  g_return_if_fail (inst != NULL);
  fleet_register (m, inst);
}

void
stratus_model_deregister (StratusModel *m, unsigned id)
{
  Instance *inst = instance_at (m, id);
  g_return_if_fail (inst != NULL);
  deregister (m, inst);
}

unsigned
stratus_model_instance_count (const StratusModel *m)
{
  return m->instances->len;
}

const char *
stratus_model_instance_name (const StratusModel *m, unsigned id)
{
  Instance *inst = instance_at (m, id);
  return inst != NULL ? inst->name : NULL;
}

const char *
stratus_model_instance_state (const StratusModel *m, unsigned id)
{
  Instance *inst = instance_at (m, id);
  return inst != NULL ? target_state_name (inst->state) : NULL;
}

unsigned
stratus_model_instance_jobs (const StratusModel *m, unsigned id)
{
  Instance *inst = instance_at (m, id);
  return inst != NULL ? inst->jobs : 0;
}
