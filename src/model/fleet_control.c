/* Instances that come and go: launch, registration with the load balancers of their
 * target group, deregistration with its draining, and termination. The internal API the
 * scenario's own instances go through at time 0, and Auto Scaling and faults next. */
#include <math.h>

#include "autoscaling.h"
#include "cpu.h"
#include "database.h"
#include "fault_detection.h"
#include "stratus/instance_types.h"
#include "stratus/rng.h"
#include "world.h"

/* A random stream for `source`, or NULL when the world is only checked. */
static gsl_rng *
stream_for (World *w, bool streams, const char *source)
{
  return streams ? stratus_rng_stream_new (w->seed, w->replication, source) : NULL;
}

/* Sets up the processor and memory of a new instance from its type. */
static void
init_machine (Instance *inst, StratusTime now)
{
  const StratusInstanceType *type = stratus_instance_type_find (inst->fleet->type);
  cpu_init (inst, type != NULL ? type->vcpus : inst->fleet->workers, now);
  inst->cw_mark_at = inst->row_mark_at = now;
  instance_set_memory_room (inst);
  if (inst->max_jobs != UINT32_MAX)
    stratus_time_average_reset (&inst->jobs_avg, now);
}

Instance *
fleet_launch (World *w, unsigned fleet, int spot, bool streams)
{
  const StratusFleetConfig *cfg = g_ptr_array_index (w->scenario->fleets, fleet);
  unsigned ordinal = w->launched[fleet]++;
  char *name = g_strdup_printf ("%s-%u", cfg->name, ordinal + 1);
  char *source = g_strdup_printf ("instance.%s.service", name);
  StratusPlacement where;
  int endpoint = stratus_topology_add_instance (w->topology, fleet,
                                                spot >= 0 ? (unsigned) spot : ordinal, name,
                                                &where);
  StratusTime now = stratus_sim_now (w->sim);
  Instance *inst = instance_new (w->instances->len, name, cfg, fleet, where,
                                 stream_for (w, streams, source), now);
  inst->endpoint = endpoint;
  inst->spot = spot >= 0 ? (unsigned) spot : ordinal;
  init_machine (inst, now);
  /* A fixed fleet's instance is ready at once; a group's goes through its start-up. */
  inst->life = cfg->asg != NULL ? LIFE_PENDING : LIFE_READY;
  inst->running_at = cfg->asg != NULL ? STRATUS_TIME_NEVER : now;
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
  inst->db_client = db_client_new (w, inst, streams);
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

/* Puts `inst` in service at every load balancer that has it as a target (healthy), marks
 * it a fail-open candidate (unhealthy), or takes it out of both (anything else). */
static void
set_lb_state (World *w, Instance *inst, TargetState state)
{
  StratusTime now = stratus_sim_now (w->sim);
  for (guint i = 0; i < w->lbs->len; i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      int slot = alb_slot_of (lb, inst);
      if (slot < 0)
        continue;
      if (state == TARGET_HEALTHY && inst->state != TARGET_HEALTHY)
        alb_start_ramp (lb, (unsigned) slot, now);
      alb_set_in_service (lb, (unsigned) slot, state == TARGET_HEALTHY);
      alb_set_unhealthy (lb, (unsigned) slot, state == TARGET_UNHEALTHY);
    }
}

/* The first load balancer serving `inst` whose target group has health checks, or NULL. */
static LoadBalancer *
health_checker (World *w, const Instance *inst)
{
  for (guint i = 0; i < w->lbs->len; i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      const StratusTargetGroupConfig *tg = lb->config->target_group_config;
      if (tg != NULL && tg->health_check.enabled && alb_slot_of (lb, inst) >= 0)
        return lb;
    }
  return NULL;
}

void
fleet_set_health (World *w, Instance *inst, TargetState state)
{
  if (inst->gone || inst->state == TARGET_DRAINING || inst->state == state)
    return;
  TargetState was = inst->state;
  set_lb_state (w, inst, state);
  inst->state = state;
  if (state == TARGET_HEALTHY && inst->in_service_at == STRATUS_TIME_NEVER)
    inst->in_service_at = stratus_sim_now (w->sim);
  if (inst->probe != NULL || inst->group != NULL)
    timeline_instance (w, STRATUS_EVENT_HEALTH, inst, "%s -> %s", target_state_name (was),
                       target_state_name (state));
  if (inst->group != NULL)
    {
      group_on_in_service (w, inst, state == TARGET_HEALTHY);
      if (state == TARGET_UNHEALTHY)
        group_on_unhealthy (w, inst);
    }
}

void
fleet_register (World *w, Instance *inst)
{
  if (inst->state != TARGET_INITIAL || inst->registered || inst->gone)
    return;
  inst->registered = true;
  LoadBalancer *checker = health_checker (w, inst);
  if (inst->group != NULL)
    timeline_instance (w, STRATUS_EVENT_REGISTER, inst, "registered%s",
                       checker != NULL ? ": initial until it passes a health check" : "");
  if (checker != NULL)
    health_start (w, inst, checker); /* healthy once a probe passes */
  else
    fleet_set_health (w, inst, TARGET_HEALTHY);
}

void
fleet_cut_jobs (World *w, Instance *inst, StratusOutcome outcome)
{
  StratusTime now = stratus_sim_now (w->sim);
  StationItem *queued;
  while ((queued = station_take_queued (&inst->station, now)) != NULL)
    request_path_orphan (w, job_of_item (queued), true, outcome);
  while (inst->active != NULL)
    request_path_orphan (w, inst->active, false, outcome);
  unsigned n;
  Job **computing = cpu_drop_all (w->sim, inst, &n);
  for (unsigned k = 0; k < n; k++)
    object_pool_give (&w->jobs, computing[k]); /* orphans with no pending event */
  station_close (&inst->station, now);
}

/* Ends `inst` now: jobs still on it are cut off (their clients hear `outcome`), its
 * workers stop, its billing ends; `why` goes into the timeline. */
static void
end_instance (World *w, Instance *inst, StratusOutcome outcome, const char *why)
{
  if (inst->gone)
    return;
  StratusTime now = stratus_sim_now (w->sim);
  set_lb_state (w, inst, TARGET_UNUSED);
  health_stop (w, inst);
  lifecycle_end (w, inst);
  fleet_cut_jobs (w, inst, outcome);
  db_client_close (w, inst->db_client);
  inst->state = TARGET_UNUSED;
  inst->gone = true;
  inst->life = LIFE_GONE;
  inst->terminated = now;
  /* Direct calls rotate over the fleet's live instances only. */
  g_ptr_array_remove (w->by_fleet[inst->fleet_index], inst);
  instance_retire (inst);
  if (inst->group != NULL || outcome == STRATUS_OUTCOME_502_TARGET_RESET)
    timeline_instance (w, STRATUS_EVENT_TERMINATE, inst, "%s", why);
  if (inst->group != NULL)
    group_on_terminated (w, inst);
}

/* Terminates `inst` (drained, or its deregistration delay over: what is left hears 502
 * deregistered). */
static void
terminate (World *w, Instance *inst)
{
  end_instance (w, inst, STRATUS_OUTCOME_502_DEREGISTERED, "terminated");
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

void
fleet_deregister (World *w, Instance *inst)
{
  if (inst->gone || inst->state == TARGET_DRAINING)
    return;
  if (!inst->registered)
    {
      terminate (w, inst); /* never took traffic: nothing to drain */
      return;
    }
  set_lb_state (w, inst, TARGET_DRAINING);
  health_stop (w, inst);
  if (inst->group != NULL)
    {
      if (inst->state == TARGET_HEALTHY)
        group_on_in_service (w, inst, false);
      timeline_instance (w, STRATUS_EVENT_DEREGISTER, inst, "deregistered: draining");
    }
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
  return f < 0 ? -1 : (int) fleet_launch (m, (unsigned) f, -1, true)->id;
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
  fleet_deregister (m, inst);
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

void
stratus_model_stop_instance (StratusModel *m, unsigned id)
{
  Instance *inst = instance_at (m, id);
  g_return_if_fail (inst != NULL);
  if (!inst->gone)
    fault_detection_note (m, NOTICE_STOPPED,
                          (FaultScope){ inst->where.az, (int) inst->fleet_index, -1 },
                          inst->group != NULL ? "EC2 health check: %s stopped, replaced"
                                              : "EC2 instance state: %s stopped",
                          inst->name);
  end_instance (m, inst, STRATUS_OUTCOME_502_TARGET_RESET,
                inst->group != NULL ? "stopped: the group replaces it (EC2 health check)"
                                    : "stopped");
}
