/* Processor sharing of an instance's vCPUs among its computing jobs: an event per job at
 * full speed, one event for the processor while they share. */
#include "cpu.h"

#include <math.h>

/* Records the busy vCPUs of `inst` as of `now`. */
static inline void
account (Instance *inst, StratusTime now)
{
  double busy = MIN (inst->computing, inst->vcpus);
  if (G_UNLIKELY (inst->cpu_stress > 0))
    {
      double stress = MIN (inst->cpu_stress, STRATUS_MAX_CPU_STRESS);
      busy = stress * inst->vcpus + (1.0 - stress) * busy;
    }
  stratus_time_average_set (&inst->cpu_busy, now, busy);
}

void
cpu_set_stress (Instance *inst, double stress, StratusTime now)
{
  inst->cpu_stress = stress;
  account (inst, now);
}

void
cpu_init (Instance *inst, int vcpus, StratusTime now)
{
  inst->vcpus = vcpus > 0 ? vcpus : 1;
  inst->computing = 0;
  inst->cpu_busy = (StratusTimeAverage){ 0 };
  stratus_time_average_reset (&inst->cpu_busy, now);
  if (inst->fleet->workers > inst->vcpus && inst->shared == NULL)
    {
      inst->shared = g_new0 (SharedCpu, 1);
      inst->shared->computing = g_new0 (Job *, inst->fleet->workers);
      inst->shared->finish = g_new0 (double, inst->fleet->workers);
      inst->shared->timers = g_new0 (StratusTimer, inst->fleet->workers);
      inst->shared->last = now;
    }
}

void
cpu_free (Instance *inst)
{
  if (inst->shared == NULL)
    return;
  g_free (inst->shared->computing);
  g_free (inst->shared->finish);
  g_free (inst->shared->timers);
  g_clear_pointer (&inst->shared, g_free);
}

/* The speed of each computing job: 1, or vCPUs / computing when they outnumber them. */
static inline double
rate (const Instance *inst)
{
  return inst->computing > inst->vcpus ? (double) inst->vcpus / inst->computing : 1.0;
}

/* Brings the shared processor's virtual time up to `now`. */
static void
advance (Instance *inst, StratusTime now)
{
  SharedCpu *c = inst->shared;
  c->virtual_time += (double) (now - c->last) * rate (inst);
  c->last = now;
}

static void on_shared_next (StratusSim *sim, void *target, uint64_t arg);

/* Schedules the event of the job that finishes first at the current speed. */
static void
reschedule (StratusSim *sim, Instance *inst)
{
  SharedCpu *c = inst->shared;
  if (stratus_sim_is_pending (sim, c->next))
    stratus_sim_cancel (sim, c->next);
  if (c->n == 0)
    return;
  double first = c->finish[0];
  for (unsigned k = 1; k < c->n; k++)
    first = MIN (first, c->finish[k]);
  c->next_finish = first;
  double left = MAX (0.0, first - c->virtual_time) / rate (inst);
  c->next = stratus_sim_schedule_at (sim, stratus_sim_now (sim) + (StratusTime) ceil (left),
                                     on_shared_next, inst, 0);
}

static void on_own_end (StratusSim *sim, void *target, uint64_t arg);

/* Takes entry `k` off the processor's list (the last entry takes its place). */
static void
remove_entry (SharedCpu *c, unsigned k)
{
  c->n--;
  c->computing[k] = c->computing[c->n];
  c->finish[k] = c->finish[c->n];
  c->timers[k] = c->timers[c->n];
}

/* The jobs start sharing the vCPUs at `now`: their own events go, their remaining work
 * becomes virtual finishing times from a virtual time of 0. */
static void
start_sharing (StratusSim *sim, Instance *inst, StratusTime now)
{
  SharedCpu *c = inst->shared;
  for (unsigned k = 0; k < c->n; k++)
    {
      stratus_sim_cancel (sim, c->timers[k]);
      c->finish[k] = MAX (0.0, c->finish[k] - (double) now);
    }
  c->virtual_time = 0;
  c->last = now;
  c->sharing = true;
}

/* No more jobs than vCPUs are left at `now`: each gets its own event again, at full speed. */
static void
stop_sharing (StratusSim *sim, Instance *inst, StratusTime now)
{
  SharedCpu *c = inst->shared;
  if (stratus_sim_is_pending (sim, c->next))
    stratus_sim_cancel (sim, c->next);
  for (unsigned k = 0; k < c->n; k++)
    {
      StratusTime left = (StratusTime) ceil (MAX (0.0, c->finish[k] - c->virtual_time));
      c->finish[k] = (double) now + (double) left;
      c->timers[k] = stratus_sim_schedule_at (sim, now + left, on_own_end, c->computing[k], 0);
    }
  c->sharing = false;
}

/* A job computing at full speed on a shared-capable processor is done. */
static void
on_own_end (StratusSim *sim, void *target, uint64_t arg)
{
  Job *job = target;
  Instance *inst = job->instance;
  SharedCpu *c = inst->shared;
  for (unsigned k = 0; k < c->n; k++)
    if (c->computing[k] == job)
      {
        remove_entry (c, k);
        break;
      }
  inst->computing--;
  account (inst, stratus_sim_now (sim));
  c->done (sim, job);
}

/* The first job(s) of a shared processor are done. */
static void
on_shared_next (StratusSim *sim, void *target, uint64_t arg)
{
  Instance *inst = target;
  SharedCpu *c = inst->shared;
  StratusTime now = stratus_sim_now (sim);
  advance (inst, now);
  /* Take every job done by now (within a nanosecond of work), then call them back: a
   * callback may start new work on this processor. */
  Job *done[64];
  unsigned n_done = 0;
  for (unsigned k = 0; k < c->n && n_done < G_N_ELEMENTS (done);)
    if (c->finish[k] <= c->virtual_time + 1.0)
      {
        done[n_done++] = c->computing[k];
        remove_entry (c, k);
      }
    else
      k++;
  inst->computing -= (int) n_done;
  account (inst, now);
  if (inst->computing <= inst->vcpus)
    stop_sharing (sim, inst, now);
  else
    reschedule (sim, inst);
  for (unsigned k = 0; k < n_done; k++)
    c->done (sim, done[k]);
}

/* The handler of an unshared job's end. */
static void
on_unshared_done (StratusSim *sim, void *target, uint64_t arg)
{
  CpuDoneFn done = (CpuDoneFn) (uintptr_t) arg;
  done (sim, target);
}

void
cpu_start (StratusSim *sim, Instance *inst, Job *job, StratusTime work, CpuDoneFn done)
{
  StratusTime now = stratus_sim_now (sim);
  if (inst->shared == NULL)
    {
      inst->computing++;
      account (inst, now);
      stratus_sim_schedule (sim, work, on_unshared_done, job, (uint64_t) (uintptr_t) done);
      return;
    }
  SharedCpu *c = inst->shared;
  c->done = done;
  if (!c->sharing && inst->computing < inst->vcpus)
    {
      /* A free vCPU: full speed, an event of its own. */
      c->computing[c->n] = job;
      c->finish[c->n] = (double) stratus_time_add (now, work);
      c->timers[c->n] = stratus_sim_schedule (sim, work, on_own_end, job, 0);
      c->n++;
      inst->computing++;
      account (inst, now);
      return;
    }
  if (!c->sharing)
    start_sharing (sim, inst, now);
  advance (inst, now);
  double speed = rate (inst);
  double finish = c->virtual_time + (double) work;
  c->computing[c->n] = job;
  c->finish[c->n] = finish;
  c->n++;
  inst->computing++;
  account (inst, now);
  /* At an unchanged speed, the pending event still stands unless this job ends first. */
  if (speed != rate (inst) || !stratus_sim_is_pending (sim, c->next) || finish < c->next_finish)
    reschedule (sim, inst);
}

void
cpu_finished (Instance *inst, StratusTime now)
{
  inst->computing--;
  account (inst, now);
}

Job **
cpu_drop_all (StratusSim *sim, Instance *inst, unsigned *n)
{
  StratusTime now = stratus_sim_now (sim);
  inst->computing = 0;
  account (inst, now);
  *n = 0;
  if (inst->shared == NULL)
    return NULL;
  SharedCpu *c = inst->shared;
  if (stratus_sim_is_pending (sim, c->next))
    stratus_sim_cancel (sim, c->next);
  for (unsigned k = 0; !c->sharing && k < c->n; k++)
    stratus_sim_cancel (sim, c->timers[k]);
  *n = c->n;
  c->n = 0;
  c->sharing = false;
  c->virtual_time = 0;
  c->last = now;
  return c->computing;
}
