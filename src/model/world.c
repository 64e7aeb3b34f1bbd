/* The world of one replication and the life of a request through it:
 *
 *   client --internet + ALB processing--> ALB node (picks a target, cross-zone)
 *          --same/cross-AZ hop--> instance (worker, FIFO queue, or refusal = 503)
 *          --hop back--> ALB node --internet--> client (records status and latency)
 *
 * A client that hears nothing within its timeout records a 504 and forgets the request,
 * which still runs its course through the instance (as it would: the server is not told).
 * Zero-latency hops are taken inline rather than through the event queue. */
#include <string.h>
#include <sys/resource.h>

#include "alb.h"
#include "collector.h"
#include "instance.h"
#include "request.h"
#include "stratus/model.h"
#include "stratus/rng.h"
#include "workload.h"

typedef struct
{
  const StratusScenario *scenario;
  StratusSim *sim;
  RequestPool pool;
  GPtrArray *instances; /* Instance*, owned */
  GPtrArray *lbs;       /* LoadBalancer*, owned */
  GPtrArray *workloads; /* Workload*, owned */
  Collector collector;
  int total_workers;
  uint64_t measured_in_flight;
} World;

static inline World *
world_of (StratusSim *sim)
{
  return stratus_sim_context (sim);
}

static inline StratusTime
hop (const World *w, int az_a, int az_b)
{
  return az_a == az_b ? w->scenario->latency.same_az : w->scenario->latency.cross_az;
}

/* Calls `stage` after `delay`, inline when there is no delay. */
static inline void
forward (World *w, Request *r, StratusTime delay, StratusHandler stage)
{
  if (delay == 0)
    stage (w->sim, r, 0);
  else
    stratus_sim_schedule (w->sim, delay, stage, r, 0);
}

/* ---- client ------------------------------------------------------------------------- */

/* The client of `r` hears `r->status` now. A response at or after the client's deadline
 * is a 504 (the timeout timer normally got there first and the request is abandoned). */
static void
on_client_receive (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  if (r->state == REQUEST_IN_FLIGHT && r->measured)
    {
      StratusTime latency = stratus_sim_now (sim) - r->sent;
      StratusTime timeout = r->workload->config->timeout;
      if (latency >= timeout)
        collector_response (&w->collector, 504, timeout);
      else
        collector_response (&w->collector, r->status, latency);
      w->measured_in_flight--;
    }
  request_pool_give (&w->pool, r);
}

static void on_client_timeout (StratusSim *sim, void *target, uint64_t arg);

static void
arm_timeout (World *w, Workload *wl)
{
  StratusTime next = workload_next_deadline (wl);
  wl->timer_armed = next <= w->scenario->duration;
  if (wl->timer_armed)
    stratus_sim_schedule_at (w->sim, next, on_client_timeout, wl, 0);
}

static void
on_client_timeout (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Workload *wl = target;
  Request *r;
  while ((r = workload_pop_expired (wl, stratus_sim_now (sim))) != NULL)
    {
      r->state = REQUEST_ABANDONED;
      if (r->measured)
        {
          collector_response (&w->collector, 504, wl->config->timeout);
          w->measured_in_flight--;
        }
    }
  arm_timeout (w, wl);
}

/* ---- load balancer and instance stages ---------------------------------------------- */

static void
on_alb_response (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  if (r->instance != NULL)
    r->instance->outstanding--;
  forward (w, r, w->scenario->latency.internet, on_client_receive);
}

static void
on_service_done (StratusSim *sim, void *target, uint64_t arg);

static void
start_service (World *w, Instance *inst, Request *r)
{
  if (r->measured)
    collector_service_start (&w->collector, stratus_sim_now (w->sim) - r->enqueued);
  stratus_sim_schedule (w->sim, instance_service_time (inst), on_service_done, r, 0);
}

static void
on_service_done (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  Instance *inst = r->instance;
  Request *next = instance_finish (inst, stratus_sim_now (sim));
  if (next != NULL)
    start_service (w, inst, next);
  r->status = 200;
  forward (w, r, hop (w, inst->az, r->node_az), on_alb_response);
}

static void
on_instance_request (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  Instance *inst = r->instance;
  switch (instance_admit (inst, r, stratus_sim_now (sim)))
    {
    case ADMIT_START:
      start_service (w, inst, r);
      break;
    case ADMIT_QUEUED:
      break;
    case ADMIT_REFUSED:
      r->status = 503;
      forward (w, r, hop (w, inst->az, r->node_az), on_alb_response);
      break;
    }
}

static void
on_alb_request (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  Instance *inst = alb_pick (r->workload->entry, r->node_az);
  if (inst == NULL)
    {
      r->status = 503; /* no registered targets */
      on_alb_response (sim, r, 0);
      return;
    }
  inst->outstanding++;
  r->instance = inst;
  forward (w, r, hop (w, r->node_az, inst->az), on_instance_request);
}

static void
on_arrival (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Workload *wl = target;
  StratusTime now = stratus_sim_now (sim);
  StratusTime next = arrivals_next (&wl->arrivals, now);
  if (next <= w->scenario->duration)
    stratus_sim_schedule_at (sim, next, on_arrival, wl, 0);

  Request *r = request_pool_take (&w->pool);
  r->workload = wl;
  r->sent = now;
  r->measured = w->collector.window_open;
  if (r->measured)
    {
      collector_arrival (&w->collector);
      w->measured_in_flight++;
    }
  r->node_az = (uint8_t) workload_pick_node (wl);
  workload_push_deadline (wl, r);
  if (!wl->timer_armed)
    arm_timeout (w, wl);
  forward (w, r, w->scenario->latency.internet + wl->entry->config->processing_time,
           on_alb_request);
}

/* ---- measurement -------------------------------------------------------------------- */

static void
close_row (World *w, StratusTime now)
{
  double busy = 0, in_system = 0;
  for (guint i = 0; i < w->instances->len; i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      busy += stratus_time_average_area (&inst->busy_avg, now);
      in_system += stratus_time_average_area (&inst->in_system_avg, now);
    }
  collector_close_row (&w->collector, now, busy, in_system, w->total_workers);
}

static void
on_row_tick (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = target;
  StratusTime now = stratus_sim_now (sim);
  close_row (w, now);
  if (now + w->scenario->report_interval < w->scenario->duration)
    stratus_sim_schedule (sim, w->scenario->report_interval, on_row_tick, w, 0);
}

static void
open_window (World *w, StratusTime now)
{
  collector_open_window (&w->collector, now);
  for (guint i = 0; i < w->instances->len; i++)
    instance_reset_window (g_ptr_array_index (w->instances, i), now);
  if (now + w->scenario->report_interval < w->scenario->duration)
    stratus_sim_schedule (w->sim, w->scenario->report_interval, on_row_tick, w, 0);
}

static void
on_window_open (StratusSim *sim, void *target, uint64_t arg)
{
  open_window (target, stratus_sim_now (sim));
}

/* ---- building and running ----------------------------------------------------------- */

static World *
world_new (const StratusScenario *s, uint64_t seed, uint32_t replication)
{
  World *w = g_new0 (World, 1);
  w->scenario = s;
  w->sim = stratus_sim_new ();
  stratus_sim_set_context (w->sim, w);
  w->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);
  w->lbs = g_ptr_array_new_with_free_func ((GDestroyNotify) alb_free);
  w->workloads = g_ptr_array_new_with_free_func ((GDestroyNotify) workload_free);
  collector_init (&w->collector, seed, replication, s->report_interval);
  g_assert (s->azs->len <= UINT8_MAX);

  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      for (int i = 0; i < fleet->count; i++)
        {
          char *name = g_strdup_printf ("%s-%d", fleet->name, i + 1);
          char *source = g_strdup_printf ("instance.%s.service", name);
          g_ptr_array_add (w->instances,
                           instance_new (name, fleet, i % (int) s->azs->len,
                                         stratus_rng_stream_new (seed, replication, source)));
          w->total_workers += fleet->workers;
          g_free (source);
          g_free (name);
        }
    }
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (w->lbs, alb_new (g_ptr_array_index (s->load_balancers, i), s->azs->len,
                                      w->instances));
  for (guint i = 0; i < s->workloads->len; i++)
    {
      const StratusWorkloadConfig *wc = g_ptr_array_index (s->workloads, i);
      LoadBalancer *entry = NULL;
      for (guint k = 0; k < w->lbs->len; k++)
        if (strcmp (((LoadBalancer *) g_ptr_array_index (w->lbs, k))->config->name, wc->entry) == 0)
          entry = g_ptr_array_index (w->lbs, k);
      g_assert (entry != NULL); /* the scenario checked the reference */
      char *source = g_strdup_printf ("workload.%s.arrivals", wc->name);
      g_ptr_array_add (w->workloads,
                       workload_new (wc, entry, stratus_rng_stream_new (seed, replication, source)));
      g_free (source);
    }
  return w;
}

static void
world_free (World *w)
{
  g_ptr_array_unref (w->workloads);
  g_ptr_array_unref (w->lbs);
  g_ptr_array_unref (w->instances);
  collector_clear (&w->collector);
  request_pool_clear (&w->pool);
  stratus_sim_free (w->sim);
  g_free (w);
}

static void
fill_instance_results (World *w, StratusRunResult *result, StratusTime end)
{
  for (guint i = 0; i < w->instances->len; i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      double busy = stratus_time_average_mean (&inst->busy_avg, end);
      double in_system = stratus_time_average_mean (&inst->in_system_avg, end);
      StratusInstanceResult ir = {
        .name = g_strdup (inst->name),
        .fleet = g_strdup (inst->fleet->name),
        .az = g_strdup (g_ptr_array_index (w->scenario->azs, inst->az)),
        .workers = inst->workers,
        .served = inst->served,
        .utilisation = busy / inst->workers,
        .mean_queue = in_system - busy,
        .mean_in_system = in_system,
      };
      g_array_append_val (result->instances, ir);
    }
}

StratusRunResult *
stratus_model_run (const StratusScenario *s, const StratusRunOptions *options)
{
  gint64 wall_start = g_get_monotonic_time ();
  World *w = world_new (s, options->seed, options->replication);
  stratus_sim_set_progress (w->sim, options->progress, options->progress_data);

  if (s->warmup == 0)
    open_window (w, 0);
  else
    stratus_sim_schedule_at (w->sim, s->warmup, on_window_open, w, 0);
  for (guint i = 0; i < w->workloads->len; i++)
    {
      Workload *wl = g_ptr_array_index (w->workloads, i);
      StratusTime first = arrivals_next (&wl->arrivals, 0);
      if (first <= s->duration)
        stratus_sim_schedule_at (w->sim, first, on_arrival, wl, 0);
    }

  stratus_sim_run_until (w->sim, s->duration);
  close_row (w, s->duration);

  StratusRunResult *result = collector_take_result (&w->collector);
  result->window = s->duration - s->warmup;
  result->in_flight_at_end = w->measured_in_flight;
  fill_instance_results (w, result, s->duration);
  result->run_stats.events = stratus_sim_events_fired (w->sim);
  world_free (w);

  struct rusage usage;
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    result->run_stats.max_rss_kib = usage.ru_maxrss;
  result->run_stats.wall_seconds = (double) (g_get_monotonic_time () - wall_start) / 1e6;
  return result;
}
