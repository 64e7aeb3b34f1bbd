/* The world of one replication: building it (topology, load balancers, the scenario's
 * instances launched and registered at time 0 through fleet_control.c, workloads),
 * running it, the measurement windows and rows, and the result. Requests move through it
 * in request_path.c. */
#include <sys/resource.h>

#include "autoscaling.h"
#include "database.h"
#include "fault_detection.h"
#include "faults.h"
#include "stratus/rng.h"
#include "world.h"

/* ---- measurement -------------------------------------------------------------------- */

/* How long `inst` was alive in [from, to). */
static StratusTime
alive_in (const Instance *inst, StratusTime from, StratusTime to)
{
  StratusTime start = MAX (from, inst->launched), end = MIN (to, inst->terminated);
  return end > start ? end - start : 0;
}

/* Closes the current time-series row at `now` from the running totals. */
static void
close_row (World *w, StratusTime now)
{
  unsigned n = w->instances->len;
  double *busy = g_new (double, n ? n : 1), *in_system = g_new (double, n ? n : 1);
  int *workers = g_new (int, n ? n : 1);
  StratusTime *alive = g_new (StratusTime, n ? n : 1);
  for (unsigned i = 0; i < n; i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      busy[i] = stratus_time_average_area (&inst->station.busy_avg, now);
      in_system[i] = stratus_time_average_area (&inst->station.in_system_avg, now);
      workers[i] = inst->station.workers;
      alive[i] = alive_in (inst, w->collector.row_start, now);
    }
  uint64_t bytes[STRATUS_N_BYTE_CLASSES] = { 0 }, drops[STRATUS_N_DROP_REASONS] = { 0 };
  for (int r = 0; r < stratus_network_resource_count (w->net); r++)
    for (int k = 0; k < STRATUS_N_BYTE_CLASSES; k++)
      bytes[k] = stratus_bytes_add (bytes[k], stratus_network_bytes (w->net, r, (StratusByteClass) k));
  for (int k = 0; k < STRATUS_N_DROP_REASONS; k++)
    drops[k] = stratus_network_drops (w->net, (StratusDropReason) k);
  CollectorTotals totals = { n, busy, in_system, workers, alive, bytes, drops };
  autoscaling_close_row (w, w->collector.row_start, now);
  databases_close_row (w, w->collector.row_start, now);
  collector_close_row (&w->collector, now, &totals);
  g_free (busy);
  g_free (in_system);
  g_free (workers);
  g_free (alive);
}

/* The report interval's timer: closes a row and schedules the next tick. */
static void
on_row_tick (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = target;
  StratusTime now = stratus_sim_now (sim);
  close_row (w, now);
  if (stratus_time_add (now, w->scenario->report_interval) < w->scenario->duration)
    stratus_sim_schedule_timer_at (sim, now + w->scenario->report_interval, on_row_tick, w, 0);
}

/* Opens the measurement window at `now` (counters and averages start again). */
static void
open_window (World *w, StratusTime now)
{
  collector_open_window (&w->collector, now);
  autoscaling_open_window (w, now);
  databases_open_window (w, now);
  stratus_network_reset_counters (w->net);
  for (guint i = 0; i < w->instances->len; i++)
    station_reset_window (&((Instance *) g_ptr_array_index (w->instances, i))->station, now);
  if (stratus_time_add (now, w->scenario->report_interval) < w->scenario->duration)
    stratus_sim_schedule_timer_at (w->sim, now + w->scenario->report_interval, on_row_tick, w, 0);
}

/* The end of warm-up. */
static void
on_window_open (StratusSim *sim, void *target, uint64_t arg)
{
  open_window (target, stratus_sim_now (sim));
}

/* TCP's minimum retransmission timeout (Linux), doubled after each loss in a row, and
 * the most it grows to. */
#define TCP_MIN_RTO (200 * STRATUS_MS)
#define TCP_MAX_RTO (120 * STRATUS_SECOND)

StratusTime
world_lossy_transit (World *w, const StratusPath *path)
{
  if (w->loss_rng == NULL)
    w->loss_rng = stratus_rng_stream_new (w->seed, w->replication, "network.loss");
  StratusTime t = path->latency, rto = TCP_MIN_RTO;
  /* Each loss costs a timeout before the packet goes again. After 15 losses in a row
   * (Linux's tcp_retries2, some 15 minutes of timeouts) the message is taken to arrive:
   * every client and call timeout in a scenario ends its wait long before. */
  for (int k = 0; k < 15 && gsl_rng_uniform (w->loss_rng) < path->loss; k++)
    {
      t = stratus_time_add (t, rto);
      rto = MIN (2 * rto, TCP_MAX_RTO);
    }
  return t;
}

/* ---- building ------------------------------------------------------------------------ */

/* The world of one replication of `s`: every load balancer, the scenario's instances
 * launched and registered at time 0, the workloads. Free with world_free. */
static World *
world_new (const StratusScenario *s, uint64_t seed, uint32_t replication)
{
  World *w = g_new0 (World, 1);
  w->scenario = s;
  w->seed = seed;
  w->replication = replication;
  w->sim = stratus_sim_new ();
  stratus_sim_set_context (w->sim, w);
  w->topology = stratus_topology_new (s);
  w->net = stratus_topology_network (w->topology);
  w->version = stratus_topology_version (w->topology);
  object_pool_init (&w->requests, sizeof (Request));
  object_pool_init (&w->jobs, sizeof (Job));
  object_pool_init (&w->db_queries, sizeof (DbQuery));
  object_pool_init (&w->db_execs, sizeof (DbExec));
  w->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);
  w->lbs = g_ptr_array_new_with_free_func ((GDestroyNotify) alb_free);
  w->workloads = g_ptr_array_new_with_free_func ((GDestroyNotify) workload_free);
  w->launched = g_new0 (unsigned, s->fleets->len ? s->fleets->len : 1);
  w->by_fleet = g_new0 (GPtrArray *, s->fleets->len ? s->fleets->len : 1);
  for (guint f = 0; f < s->fleets->len; f++)
    w->by_fleet[f] = g_ptr_array_new ();
  collector_init (&w->collector, seed, replication);
  g_assert (s->azs->len <= UINT8_MAX);

  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (w->lbs, alb_new (s, i, w->topology));
  databases_start (w);
  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      for (int i = 0; fleet->asg == NULL && i < fleet->count; i++)
        fleet_register (w, fleet_launch (w, f, -1, true));
    }
  autoscaling_start (w);
  fault_detection_start (w);
  faults_start (w);
  for (guint i = 0; i < w->lbs->len; i++)
    alb_stagger (g_ptr_array_index (w->lbs, i));
  for (guint i = 0; i < s->workloads->len; i++)
    {
      const StratusWorkloadConfig *wc = g_ptr_array_index (s->workloads, i);
      int b = stratus_scenario_load_balancer_index (s, wc->entry);
      g_assert (b >= 0); /* the scenario checked the reference */
      LoadBalancer *entry = g_ptr_array_index (w->lbs, (guint) b);
      g_assert (entry->n_nodes <= UINT8_MAX + 1u);
      char *source = g_strdup_printf ("workload.%s.arrivals", wc->name);
      g_ptr_array_add (w->workloads,
                       workload_new (wc, entry, stratus_rng_stream_new (seed, replication, source)));
      g_free (source);
    }
  return w;
}

/* Frees the world and everything it owns. */
static void
world_free (World *w)
{
  g_ptr_array_unref (w->workloads);
  if (w->groups != NULL)
    g_ptr_array_unref (w->groups);
  g_ptr_array_unref (w->lbs);
  g_ptr_array_unref (w->instances);
  g_free (w->launched);
  for (guint f = 0; f < w->scenario->fleets->len; f++)
    g_ptr_array_unref (w->by_fleet[f]);
  g_free (w->by_fleet);
  collector_clear (&w->collector);
  object_pool_clear (&w->requests);
  object_pool_clear (&w->jobs);
  databases_free (w);
  faults_free (w);
  if (w->loss_rng != NULL)
    gsl_rng_free (w->loss_rng);
  object_pool_clear (&w->db_queries);
  object_pool_clear (&w->db_execs);
  stratus_topology_free (w->topology);
  stratus_sim_free (w->sim);
  g_free (w);
}

/* ---- the result ---------------------------------------------------------------------- */

/* Every instance that ever existed, with its lifetime and figures over its time alive
 * in the window, into `result`. */
static void
fill_instance_results (World *w, StratusRunResult *result, StratusTime end)
{
  const StratusScenario *s = w->scenario;
  for (guint i = 0; i < w->instances->len; i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      StratusTime alive = alive_in (inst, s->warmup, end);
      StratusTime until = MIN (end, inst->terminated);
      double busy = stratus_time_average_area (&inst->station.busy_avg, until);
      double in_system = stratus_time_average_area (&inst->station.in_system_avg, until);
      StratusTime stop = MIN (end, inst->terminated);
      StratusInstanceResult ir = {
        .name = g_strdup (inst->name),
        .fleet = g_strdup (inst->fleet->name),
        .az = g_strdup (g_ptr_array_index (s->azs, (guint) inst->where.az)),
        .type = g_strdup (inst->fleet->type),
        .group = inst->group != NULL ? (int) inst->group->index : -1,
        .running = inst->running_at,
        /* Per second, with a 60-second minimum, from running to terminated. */
        .billed = inst->running_at == STRATUS_TIME_NEVER || stop < inst->running_at
                    ? 0 : MAX (stop - inst->running_at, 60 * STRATUS_SECOND),
        .workers = inst->station.workers,
        .launched = inst->launched,
        .terminated = inst->terminated,
        .alive = alive,
        .public_ip = inst->where.public_ip,
      };
      /* An instance gone before the window opened measured nothing in it. */
      if (alive > 0)
        {
          ir.served = inst->station.served;
          ir.busy_area = busy;
          ir.utilisation = busy / (double) alive / inst->station.workers;
          ir.mean_in_system = in_system / (double) alive;
          ir.mean_queue = ir.mean_in_system - busy / (double) alive;
        }
      g_array_append_val (result->instances, ir);
    }
}

/* True if endpoint `endpoint` is a load balancer's node. */
static bool
is_lb_node (const World *w, int endpoint)
{
  for (guint i = 0; i < w->lbs->len; i++)
    {
      const LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      for (unsigned n = 0; n < lb->n_nodes; n++)
        if (lb->nodes[n].endpoint == endpoint)
          return true;
    }
  return false;
}

/* Each load balancer's usage over the window, into `result`. */
static void
fill_lb_usage (World *w, StratusRunResult *result)
{
  for (guint i = 0; i < w->lbs->len; i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      lb_meter_close (&lb->meter);
      StratusLbUsage u = { lb->meter.micro_lcu_hours, lb->meter.total_connections,
                           lb->meter.total_bytes };
      g_array_append_val (result->lb_usage, u);
    }
}

/* Bytes per resource inside the network and drops per reason, into `result`. */
static void
fill_network_results (World *w, StratusRunResult *result)
{
  const StratusVpcConfig *vpc = w->scenario->vpc;
  int nats = vpc != NULL ? (int) vpc->nat_gateways->len : 0;
  for (int i = 0; i < stratus_network_resource_count (w->net); i++)
    {
      /* Every resource inside the VPC, with or without traffic, so that replications
       * report the same figures. */
      if (!stratus_network_resource_inside (w->net, i))
        continue;
      StratusResourceBytes row = { .kind = STRATUS_RESOURCE_INSTANCE, .index = -1 };
      int endpoints = stratus_network_resource_count (w->net) - nats;
      if (i >= endpoints)
        {
          row.kind = STRATUS_RESOURCE_NAT;
          row.index = i - endpoints;
        }
      else if (is_lb_node (w, i))
        row.kind = STRATUS_RESOURCE_LB_NODE;
      for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
        row.bytes[c] = stratus_network_bytes (w->net, i, (StratusByteClass) c);
      row.name = g_strdup (stratus_network_resource_name (w->net, i));
      g_array_append_val (result->network_bytes, row);
    }
  for (int d = 0; d < STRATUS_N_DROP_REASONS; d++)
    result->drops[d] = stratus_network_drops (w->net, (StratusDropReason) d);
}

StratusRunResult *
stratus_model_run (const StratusScenario *s, const StratusRunOptions *options)
{
  gint64 wall_start = g_get_monotonic_time ();
  World *w = world_new (s, options->seed, options->replication);
  stratus_sim_set_progress (w->sim, options->progress, options->progress_data);
  stratus_sim_set_stop_flag (w->sim, options->stop_flag);
  stratus_sim_set_event_limit (w->sim, options->max_events);

  if (s->warmup == 0)
    open_window (w, 0);
  else
    stratus_sim_schedule_at (w->sim, s->warmup, on_window_open, w, 0);
  for (guint i = 0; i < w->workloads->len; i++)
    {
      Workload *wl = g_ptr_array_index (w->workloads, i);
      StratusTime first = arrivals_next (&wl->arrivals, 0);
      if (first <= s->duration)
        stratus_sim_schedule_at (w->sim, first, request_path_on_arrival, wl, 0);
    }
  if (options->setup != NULL)
    options->setup (w, options->setup_data);

  stratus_sim_run_until (w->sim, s->duration);
  close_row (w, s->duration);

  StratusRunResult *result = collector_take_result (&w->collector);
  result->window = s->duration - s->warmup;
  result->in_flight_at_end = w->measured_in_flight;
  fill_instance_results (w, result, s->duration);
  autoscaling_fill_results (w, result, s->duration);
  databases_fill_results (w, result, s->duration);
  faults_fill_results (w, result, s->duration);
  result->run_stats.events = stratus_sim_events_fired (w->sim);
  result->end = stratus_sim_end (w->sim);
  fill_network_results (w, result);
  fill_lb_usage (w, result);
  world_free (w);

  struct rusage usage;
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    result->run_stats.max_rss_kib = usage.ru_maxrss;
  result->run_stats.wall_seconds = (double) (g_get_monotonic_time () - wall_start) / 1e6;
  return result;
}
