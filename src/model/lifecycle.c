/* An Auto Scaling instance's start-up: pending (booting, not billed) -> running (billed)
 * -> user data (first boot only) -> application start -> registered with its target
 * groups; and the application's restart after it was killed for lack of memory. */
#include "autoscaling.h"
#include "database.h"
#include "stratus/dist.h"
#include "stratus/rng.h"

/* `dist` sampled with the instance's life-cycle stream. */
static StratusTime
sample (Instance *inst, const StratusDist *dist)
{
  return stratus_dist_sample_time (dist, inst->life_rng);
}

static void on_app_ready (StratusSim *sim, void *target, uint64_t arg);

/* Booted: running and billed; user data, then the application's start. */
static void
on_booted (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Instance *inst = target;
  StratusTime now = stratus_sim_now (sim);
  inst->life = LIFE_STARTING;
  inst->running_at = now;
  timeline_instance (w, STRATUS_EVENT_RUNNING, inst, "running after %.1f s of boot",
                     stratus_time_seconds (now - inst->launched));
  StratusTime user_data = sample (inst, inst->user_data_time);
  StratusTime app = sample (inst, inst->app_start_time);
  inst->life_timer = stratus_sim_schedule (sim, stratus_time_add (user_data, app), on_app_ready,
                                           inst, 0);
}

/* The application runs: a first start registers the instance; a restart only takes
 * requests again (its health checks see it pass). */
static void
on_app_ready (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Instance *inst = target;
  bool restart = inst->life == LIFE_APP_DOWN;
  inst->life = LIFE_READY; /* its station, emptied by the kill, keeps its figures */
  timeline_instance (w, STRATUS_EVENT_APP_READY, inst,
                     restart ? "application restarted" : "user data and application start done");
  if (restart)
    return;
  if (inst->group->has_targets)
    fleet_register (w, inst);
  else
    {
      inst->in_service_at = stratus_sim_now (sim);
      group_on_in_service (w, inst, true);
    }
}

void
lifecycle_begin (World *w, Instance *inst)
{
  char *source = g_strdup_printf ("instance.%s.lifecycle", inst->name);
  inst->life_rng = stratus_rng_stream_new (w->seed, w->replication, source);
  g_free (source);
  const StratusScenario *s = w->scenario;
  const char *subnet = inst->where.subnet >= 0
                         ? ((const StratusSubnetConfig *) g_ptr_array_index (
                              s->vpc->subnets, (guint) inst->where.subnet))->name
                         : NULL;
  timeline_instance (w, STRATUS_EVENT_LAUNCH, inst, "launched%s%s: pending", subnet ? " in " : "",
                     subnet ? subnet : "");
  inst->life = LIFE_PENDING;
  inst->life_timer = stratus_sim_schedule (w->sim, sample (inst, inst->boot_time),
                                           on_booted, inst, 0);
}

void
lifecycle_kill_app (World *w, Instance *inst)
{
  timeline_instance (w, STRATUS_EVENT_APP_KILLED, inst,
                     "out of memory with %u requests inside (room for %u): application killed",
                     inst->jobs, inst->max_jobs);
  if (inst->group != NULL)
    inst->group->result.app_kills++;
  inst->life = LIFE_APP_DOWN;
  inst->leaked_mib = 0; /* the restart gives back what leaked */
  instance_set_memory_room (inst);
  fleet_cut_jobs (w, inst, STRATUS_OUTCOME_502_TARGET_RESET);
  db_client_app_killed (w, inst->db_client);
  instance_jobs_changed (inst, stratus_sim_now (w->sim));
  if (inst->state == TARGET_DRAINING)
    {
      fleet_job_done (w, inst); /* drained: terminated now, no restart */
      return;
    }
  if (inst->life_rng == NULL)
    {
      char *source = g_strdup_printf ("instance.%s.lifecycle", inst->name);
      inst->life_rng = stratus_rng_stream_new (w->seed, w->replication, source);
      g_free (source);
    }
  inst->life_timer = stratus_sim_schedule (w->sim, sample (inst, inst->app_start_time),
                                           on_app_ready, inst, 0);
}

void
lifecycle_end (World *w, Instance *inst)
{
  if (stratus_sim_is_pending (w->sim, inst->life_timer))
    stratus_sim_cancel (w->sim, inst->life_timer);
}
