/* The world of one replication and the life of a request through it:
 *
 *   client --ingress path (internet, gateway, ACL, SG) + ALB processing--> ALB node
 *          --path to the target (route, ACLs, SGs)--> instance (worker, FIFO queue, or
 *          refusal = 503) --service, then outbound calls (direct or via NAT)-->
 *          response back along the same paths --> client (records status and latency)
 *
 * Paths come from the network (computed once per pair, cached). A message a path drops
 * is counted by reason and turns into what a real client would see: a request lost on
 * the way in is only ended by the client's timeout (504); a target the ALB cannot reach
 * is a 504 after the ALB's 10 s connect timeout; a lost reply a 504 after its 60 s idle
 * timeout; a failed outbound call makes the instance answer 502. A client that hears
 * nothing within its timeout records a 504 and forgets the request, which still runs its
 * course (the server is not told). Zero-latency hops are taken inline. */
#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "alb.h"
#include "collector.h"
#include "instance.h"
#include "request.h"
#include "stratus/model.h"
#include "stratus/network.h"
#include "stratus/rng.h"
#include "stratus/units.h"
#include "workload.h"

#define ALB_CONNECT_TIMEOUT (10 * STRATUS_SECOND)
#define ALB_IDLE_TIMEOUT (60 * STRATUS_SECOND)

enum
{
  CALL_OK,
  CALL_FAILED,
};

typedef struct
{
  const StratusScenario *scenario;
  StratusSim *sim;
  StratusNetwork *net;
  int client; /* endpoint of the clients on the internet */
  RequestPool pool;
  GPtrArray *instances; /* Instance*, owned */
  GPtrArray *lbs;       /* LoadBalancer*, owned */
  GPtrArray *workloads; /* Workload*, owned */
  Collector collector;
  uint64_t measured_in_flight;
} World;

static inline World *
world_of (StratusSim *sim)
{
  return stratus_sim_context (sim);
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

static inline AlbNode *
node_of (const Request *r)
{
  return &r->workload->entry->nodes[r->node];
}

/* ---- client ------------------------------------------------------------------------- */

/* The client of `r` records `status` now. */
static void
client_records (World *w, Request *r, unsigned status, StratusTime latency)
{
  if (r->measured)
    {
      collector_response (&w->collector, status, latency);
      w->measured_in_flight--;
    }
}

/* The client of `r` hears `r->status` now. A response at or after the client's deadline
 * is a 504 (the timeout timer normally got there first and the request is abandoned). */
static void
on_client_receive (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  if (r->state == REQUEST_IN_FLIGHT)
    {
      StratusTime latency = stratus_sim_now (sim) - r->sent;
      StratusTime timeout = r->workload->config->timeout;
      if (latency >= timeout)
        client_records (w, r, 504, timeout);
      else
        client_records (w, r, r->status, latency);
    }
  request_pool_give (&w->pool, r);
}

/* The network dropped `r` (or its answer) for good: only the client's timeout ends it. */
static void
lose_request (World *w, Request *r)
{
  if (r->state == REQUEST_ABANDONED)
    request_pool_give (&w->pool, r);
  else if (r->workload->config->timeout == STRATUS_TIME_NEVER)
    {
      /* A client that never gives up would wait forever: count it as timed out now. */
      client_records (w, r, 504, stratus_sim_now (w->sim) - r->sent);
      request_pool_give (&w->pool, r);
    }
  else
    r->lost = true;
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
      client_records (w, r, 504, wl->config->timeout);
      if (r->lost)
        request_pool_give (&w->pool, r);
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
    alb_answered (r->workload->entry, r->node, r->target);
  const StratusPath *back = node_of (r)->ingress;
  if (back->drop != STRATUS_DROP_NONE)
    {
      stratus_network_count_drop (w->net, back->drop);
      lose_request (w, r);
      return;
    }
  stratus_network_count_bytes (w->net, back, 0, r->workload->config->response_bytes);
  forward (w, r, back->latency, on_client_receive);
}

/* The instance sends its answer (r->status) back to the load-balancer node. */
static void
send_response (World *w, Request *r)
{
  const StratusPath *path = node_of (r)->to_target[r->target];
  if (path->drop != STRATUS_DROP_NONE)
    {
      /* A path that closed while the request was being served (paths found before a
       * topology change keep their verdict, so this waits for faults): the ALB gives up
       * after its idle timeout. */
      stratus_network_count_drop (w->net, path->drop);
      r->status = 504;
      stratus_sim_schedule (w->sim, ALB_IDLE_TIMEOUT, on_alb_response, r, 0);
      return;
    }
  stratus_network_count_bytes (w->net, path, 0, r->workload->config->response_bytes);
  forward (w, r, path->latency, on_alb_response);
}

static void on_service_done (StratusSim *sim, void *target, uint64_t arg);

static void
start_service (World *w, Instance *inst, Request *r)
{
  if (r->measured)
    collector_service_start (&w->collector, stratus_sim_now (w->sim) - r->enqueued);
  stratus_sim_schedule (w->sim, instance_service_time (inst), on_service_done, r, 0);
}

/* The request's work is done (r->status set): free the worker, answer. */
static void
finish_request (World *w, Request *r)
{
  Instance *inst = r->instance;
  Request *next = instance_finish (inst, stratus_sim_now (w->sim));
  if (next != NULL)
    start_service (w, inst, next);
  send_response (w, r);
}

static void on_call_done (StratusSim *sim, void *target, uint64_t arg);

/* Starts outbound call r->call of the request's instance. */
static void
start_call (World *w, Request *r, const OutboundCall *call)
{
  const StratusOutboundCallConfig *cfg = call->config;
  const StratusPath *path = call->path;
  StratusDropReason why = path->drop;
  if (why == STRATUS_DROP_NONE && path->nat >= 0)
    {
      /* A connection through the NAT gateway: a port first, then room for the request. */
      uint32_t address = stratus_network_endpoint_address (w->net, call->destination);
      r->nat_open = stratus_network_nat_open (w->net, path->nat, address, cfg->port,
                                              cfg->protocol, &why);
      if (r->nat_open && !stratus_network_nat_transfer (w->net, path->nat, cfg->request_bytes,
                                                        stratus_sim_now (w->sim)))
        why = STRATUS_DROP_NAT_BANDWIDTH;
    }
  if (why != STRATUS_DROP_NONE)
    {
      /* The connection never answers: the instance gives up at the call's timeout. */
      stratus_network_count_drop (w->net, why);
      stratus_sim_schedule (w->sim, cfg->timeout, on_call_done, r, CALL_FAILED);
      return;
    }
  stratus_network_count_bytes (w->net, path, cfg->request_bytes, 0);
  StratusTime remote = stratus_dist_sample_time (&cfg->service_time, call->rng);
  StratusTime total = stratus_time_add (stratus_time_add (path->latency, path->latency), remote);
  if (total >= cfg->timeout)
    stratus_sim_schedule (w->sim, cfg->timeout, on_call_done, r, CALL_FAILED);
  else if (path->nat >= 0 && remote > STRATUS_NAT_IDLE_TIMEOUT)
    {
      stratus_network_count_drop (w->net, STRATUS_DROP_NAT_IDLE_TIMEOUT);
      stratus_sim_schedule (w->sim, stratus_time_add (path->latency, STRATUS_NAT_IDLE_TIMEOUT),
                            on_call_done, r, CALL_FAILED);
    }
  else
    stratus_sim_schedule (w->sim, total, on_call_done, r, CALL_OK);
}

/* Makes the request's remaining outbound calls, one after the other, then answers. */
static void
continue_calls (World *w, Request *r)
{
  Instance *inst = r->instance;
  while (r->call < inst->n_calls)
    {
      OutboundCall *call = &inst->calls[r->call];
      if (r->call_repeats == 0)
        {
          double per_request = call->config->per_request;
          unsigned n = (unsigned) per_request;
          double fraction = per_request - n;
          if (fraction > 0 && gsl_rng_uniform (call->rng) < fraction)
            n++;
          if (n == 0)
            {
              r->call++;
              continue;
            }
          r->call_repeats = (uint16_t) MIN (n, UINT16_MAX);
        }
      start_call (w, r, call);
      return;
    }
  r->status = 200;
  finish_request (w, r);
}

static void
on_call_done (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  const OutboundCall *call = &r->instance->calls[r->call];
  if (r->nat_open)
    {
      stratus_network_nat_close (w->net, call->path->nat,
                                 stratus_network_endpoint_address (w->net, call->destination),
                                 call->config->port, call->config->protocol);
      r->nat_open = false;
    }
  if (arg == CALL_FAILED)
    {
      r->status = 502; /* the application answers Bad Gateway when its upstream fails */
      finish_request (w, r);
      return;
    }
  stratus_network_count_bytes (w->net, call->path, 0, call->config->response_bytes);
  if (--r->call_repeats == 0)
    r->call++;
  continue_calls (w, r);
}

static void
on_service_done (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  r->call = 0;
  r->call_repeats = 0;
  continue_calls (w, r);
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
      send_response (w, r);
      break;
    }
}

static void
on_alb_request (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  LoadBalancer *lb = r->workload->entry;
  int t = alb_pick (lb, r->node);
  if (t < 0)
    {
      r->status = 503; /* no registered targets */
      on_alb_response (sim, r, 0);
      return;
    }
  Instance *inst = lb->targets[t];
  alb_sent (lb, r->node, (unsigned) t);
  r->instance = inst;
  r->target = (uint32_t) t;
  const StratusPath *path = lb->nodes[r->node].to_target[t];
  if (path->drop != STRATUS_DROP_NONE) /* either way: the connection never opens */
    {
      stratus_network_count_drop (w->net, path->drop);
      r->status = 504; /* the connection to the target timed out */
      stratus_sim_schedule (sim, ALB_CONNECT_TIMEOUT, on_alb_response, r, 0);
      return;
    }
  stratus_network_count_bytes (w->net, path, r->workload->config->request_bytes, 0);
  forward (w, r, path->latency, on_instance_request);
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
  r->node = (uint8_t) workload_pick_node (wl);
  workload_push_deadline (wl, r);
  if (!wl->timer_armed)
    arm_timeout (w, wl);
  /* A path blocked either way never opens its TCP connection (a blocked reply loses the
   * SYN-ACK), so the request goes nowhere. */
  const StratusPath *in = wl->entry->nodes[r->node].ingress;
  if (in->drop != STRATUS_DROP_NONE)
    {
      stratus_network_count_drop (w->net, in->drop);
      lose_request (w, r);
      return;
    }
  stratus_network_count_bytes (w->net, in, wl->config->request_bytes, 0);
  forward (w, r, stratus_time_add (in->latency, wl->entry->config->processing_time),
           on_alb_request);
}

/* ---- measurement -------------------------------------------------------------------- */

static void
close_row (World *w, StratusTime now)
{
  unsigned n = w->instances->len;
  double *busy = g_new (double, n ? n : 1), *in_system = g_new (double, n ? n : 1);
  int *workers = g_new (int, n ? n : 1);
  for (unsigned i = 0; i < n; i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      busy[i] = stratus_time_average_area (&inst->busy_avg, now);
      in_system[i] = stratus_time_average_area (&inst->in_system_avg, now);
      workers[i] = inst->workers;
    }
  uint64_t bytes[STRATUS_N_BYTE_CLASSES] = { 0 }, drops[STRATUS_N_DROP_REASONS] = { 0 };
  for (int r = 0; r < stratus_network_resource_count (w->net); r++)
    for (int k = 0; k < STRATUS_N_BYTE_CLASSES; k++)
      bytes[k] = stratus_bytes_add (bytes[k], stratus_network_bytes (w->net, r, (StratusByteClass) k));
  for (int k = 0; k < STRATUS_N_DROP_REASONS; k++)
    drops[k] = stratus_network_drops (w->net, (StratusDropReason) k);
  CollectorTotals totals = { n, busy, in_system, workers, bytes, drops };
  collector_close_row (&w->collector, now, &totals);
  g_free (busy);
  g_free (in_system);
  g_free (workers);
}

static void
on_row_tick (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = target;
  StratusTime now = stratus_sim_now (sim);
  close_row (w, now);
  if (stratus_time_add (now, w->scenario->report_interval) < w->scenario->duration)
    stratus_sim_schedule (sim, w->scenario->report_interval, on_row_tick, w, 0);
}

static void
open_window (World *w, StratusTime now)
{
  collector_open_window (&w->collector, now);
  stratus_network_reset_counters (w->net);
  for (guint i = 0; i < w->instances->len; i++)
    instance_reset_window (g_ptr_array_index (w->instances, i), now);
  if (stratus_time_add (now, w->scenario->report_interval) < w->scenario->duration)
    stratus_sim_schedule (w->sim, w->scenario->report_interval, on_row_tick, w, 0);
}

static void
on_window_open (StratusSim *sim, void *target, uint64_t arg)
{
  open_window (target, stratus_sim_now (sim));
}

/* ---- building and running ----------------------------------------------------------- */


static const StratusSubnetConfig *
subnet_at (const StratusScenario *s, int i)
{
  return g_ptr_array_index (s->vpc->subnets, (guint) i);
}

/* The endpoint for an internet address (one per address). */
static int
internet_endpoint (World *w, GHashTable *by_address, uint32_t address, const char *name)
{
  gpointer found;
  if (g_hash_table_lookup_extended (by_address, GUINT_TO_POINTER (address), NULL, &found))
    return GPOINTER_TO_INT (found);
  StratusEndpointSpec spec = { .name = name, .internet = true, .address = address,
                               .subnet = -1, .az = -1 };
  int id = stratus_network_add_endpoint (w->net, &spec);
  g_hash_table_insert (by_address, GUINT_TO_POINTER (address), GINT_TO_POINTER (id));
  return id;
}

/* A random stream for `source`, or NULL when the world is only checked (`streams` false):
 * 5 KB each, two per instance with an outbound call, and never drawn from by a check. */
static gsl_rng *
stream_for (bool streams, uint64_t seed, uint32_t replication, const char *source)
{
  return streams ? stratus_rng_stream_new (seed, replication, source) : NULL;
}

/* Places every instance of every fleet in file order, with its outbound calls' internet
 * endpoints and paths. */
static void
place_instances (World *w, uint64_t seed, uint32_t replication, bool streams,
                 GHashTable *by_address)
{
  const StratusScenario *s = w->scenario;
  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      for (int i = 0; i < fleet->count; i++)
        {
          char *name = g_strdup_printf ("%s-%d", fleet->name, i + 1);
          char *source = g_strdup_printf ("instance.%s.service", name);
          int subnet = -1, az = i % (int) s->azs->len;
          bool public_ip = fleet->public_ip == 1;
          if (s->vpc != NULL)
            {
              subnet = stratus_vpc_subnet_index (s->vpc, g_ptr_array_index (fleet->subnets,
                                                           (guint) i % fleet->subnets->len));
              az = subnet_at (s, subnet)->az_index;
              if (fleet->public_ip < 0)
                public_ip = subnet_at (s, subnet)->map_public_ip_on_launch;
            }
          Instance *inst = instance_new (name, fleet, az, subnet,
                                         stream_for (streams, seed, replication, source));
          StratusEndpointSpec spec = { .name = name, .subnet = subnet, .az = az,
                                       .security_groups = fleet->security_groups,
                                       .public_ip = public_ip };
          inst->endpoint = stratus_network_add_endpoint (w->net, &spec);
          inst->n_calls = fleet->outbound ? fleet->outbound->len : 0;
          inst->calls = g_new0 (OutboundCall, inst->n_calls ? inst->n_calls : 1);
          for (unsigned k = 0; k < inst->n_calls; k++)
            {
              const StratusOutboundCallConfig *cfg = g_ptr_array_index (fleet->outbound, k);
              char *call_source = g_strdup_printf ("instance.%s.outbound.%s", name, cfg->name);
              OutboundCall *call = &inst->calls[k];
              call->config = cfg;
              call->rng = stream_for (streams, seed, replication, call_source);
              call->destination = internet_endpoint (w, by_address, cfg->destination, cfg->name);
              call->path = stratus_network_verdict (w->net, inst->endpoint, call->destination,
                                                    cfg->protocol, cfg->port);
              g_free (call_source);
            }
          g_ptr_array_add (w->instances, inst);
          g_free (source);
          g_free (name);
        }
    }
}

static void
place_load_balancers (World *w)
{
  const StratusScenario *s = w->scenario;
  for (guint i = 0; i < s->load_balancers->len; i++)
    {
      const StratusLoadBalancerConfig *cfg = g_ptr_array_index (s->load_balancers, i);
      bool in_vpc = s->vpc != NULL;
      unsigned n = in_vpc ? cfg->subnets->len : s->azs->len;
      int *node_az = g_new (int, n), *node_subnet = g_new (int, n);
      for (unsigned k = 0; k < n; k++)
        {
          node_subnet[k] = in_vpc ? stratus_vpc_subnet_index (s->vpc, g_ptr_array_index (cfg->subnets, k)) : -1;
          node_az[k] = in_vpc ? subnet_at (s, node_subnet[k])->az_index : (int) k;
        }
      LoadBalancer *lb = alb_new (cfg, w->instances, node_az, n);
      for (unsigned k = 0; k < n; k++)
        {
          AlbNode *node = &lb->nodes[k];
          char *name = g_strdup_printf ("%s@%s", cfg->name,
                                        (char *) g_ptr_array_index (s->azs, (guint) node_az[k]));
          StratusEndpointSpec spec = { .name = name, .subnet = node_subnet[k], .az = node_az[k],
                                       .security_groups = cfg->security_groups,
                                       .public_ip = !cfg->internal };
          node->endpoint = stratus_network_add_endpoint (w->net, &spec);
          g_free (name);
          node->ingress = stratus_network_verdict (w->net, w->client, node->endpoint,
                                                   STRATUS_PROTOCOL_TCP, cfg->port);
          for (unsigned t = 0; t < lb->n_targets; t++)
            node->to_target[t] = stratus_network_verdict (w->net, node->endpoint,
                                                          lb->targets[t]->endpoint,
                                                          STRATUS_PROTOCOL_TCP,
                                                          lb->targets[t]->fleet->port);
        }
      g_free (node_az);
      g_free (node_subnet);
      g_ptr_array_add (w->lbs, lb);
    }
}

/* The world of one replication of `s`, every endpoint placed and every path found. With
 * `streams` false (a check), instances and calls get no random streams. Free with
 * world_free. */
static World *
world_new (const StratusScenario *s, uint64_t seed, uint32_t replication, bool streams)
{
  World *w = g_new0 (World, 1);
  w->scenario = s;
  w->sim = stratus_sim_new ();
  stratus_sim_set_context (w->sim, w);
  w->net = stratus_network_new (s);
  w->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);
  w->lbs = g_ptr_array_new_with_free_func ((GDestroyNotify) alb_free);
  w->workloads = g_ptr_array_new_with_free_func ((GDestroyNotify) workload_free);
  collector_init (&w->collector, seed, replication);
  g_assert (s->azs->len <= UINT8_MAX);

  GHashTable *by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  w->client = internet_endpoint (w, by_address, STRATUS_CLIENT_ADDRESS, "internet");
  place_instances (w, seed, replication, streams, by_address);
  g_hash_table_unref (by_address);
  place_load_balancers (w);
  for (guint i = 0; i < s->workloads->len; i++)
    {
      const StratusWorkloadConfig *wc = g_ptr_array_index (s->workloads, i);
      LoadBalancer *entry = NULL;
      for (guint k = 0; k < w->lbs->len; k++)
        if (strcmp (((LoadBalancer *) g_ptr_array_index (w->lbs, k))->config->name, wc->entry) == 0)
          entry = g_ptr_array_index (w->lbs, k);
      g_assert (entry != NULL); /* the scenario checked the reference */
      g_assert (entry->n_nodes <= UINT8_MAX + 1u);
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
  stratus_network_free (w->net);
  stratus_sim_free (w->sim);
  g_free (w);
}

/* ---- checking the paths the scenario implies ---------------------------------------- */

/* Appends one described path (with its text) to `explain`. */
static void
explain_path (GString *explain, const char *from, const char *to, const char *traffic,
              const StratusPath *path)
{
  char *latency = stratus_format_duration (path->latency);
  g_string_append_printf (explain, "%s -> %s (%s): %s\n", from, to, traffic,
                          path->drop == STRATUS_DROP_NONE ? "open" : path->blocker);
  for (guint i = 0; i < path->hops->len; i++)
    g_string_append_printf (explain, "  %u. %s\n", i + 1,
                            (char *) g_ptr_array_index (path->hops, i));
  if (path->drop == STRATUS_DROP_NONE)
    g_string_append_printf (explain, "  one-way latency %s\n", latency);
  g_free (latency);
}

/* What a check is doing: the first blocked path goes to `error`; with `explain`, every
 * path is described there and the check goes on past blocked ones. */
typedef struct
{
  const StratusScenario *s;
  World *w;
  GString *explain;
  GError **error;
  bool ok;
} Check;

/* True while the check has something left to do. */
static bool
check_going (const Check *c)
{
  return c->ok || c->explain != NULL;
}

/* Checks the path from endpoint `src` to `dst` (`verdict` is its verdict). The text is
 * made only when it is printed: with --explain, or for the first blocked path; `traffic`
 * ("tcp/80") and `to` are then asked of the callbacks' arguments. */
static void
check_path (Check *c, int src, int dst, int protocol, uint16_t port, const StratusPath *verdict,
            const char *from, const char *to, const char *traffic, int line, int column)
{
  bool blocked = verdict->drop != STRATUS_DROP_NONE;
  if (c->explain == NULL && (!blocked || !c->ok))
    return;
  StratusPath *path = stratus_network_describe_path (c->w->net, src, dst, protocol, port);
  if (c->explain != NULL)
    explain_path (c->explain, from, to, traffic, path);
  if (blocked && c->ok)
    {
      g_set_error (c->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s:%d:%d: %s -> %s: %s (stratus validate --explain shows every hop)",
                   c->s->path, line, column, from, to, path->blocker);
      c->ok = false;
    }
  stratus_path_free (path);
}

/* True if checking this path needs its text (see check_path). */
static bool
needs_text (const Check *c, const StratusPath *verdict)
{
  return c->explain != NULL || (c->ok && verdict->drop != STRATUS_DROP_NONE);
}

/* Clients -> each node of every load balancer a workload enters (once per balancer). */
static void
check_ingress (Check *c)
{
  World *w = c->w;
  GHashTable *seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < w->workloads->len && check_going (c); i++)
    {
      LoadBalancer *lb = ((Workload *) g_ptr_array_index (w->workloads, i))->entry;
      if (!g_hash_table_add (seen, lb))
        continue; /* another workload enters it too */
      char *traffic = g_strdup_printf ("tcp/%u", lb->config->port);
      for (unsigned k = 0; k < lb->n_nodes; k++)
        check_path (c, w->client, lb->nodes[k].endpoint, STRATUS_PROTOCOL_TCP, lb->config->port,
                    lb->nodes[k].ingress, "internet",
                    stratus_network_endpoint_name (w->net, lb->nodes[k].endpoint), traffic,
                    lb->config->line, lb->config->column);
      g_free (traffic);
    }
  g_hash_table_unref (seen);
}

/* Each node -> each target of every load balancer. */
static void
check_targets (Check *c)
{
  World *w = c->w;
  for (guint i = 0; i < w->lbs->len && check_going (c); i++)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, i);
      for (unsigned k = 0; k < lb->n_nodes; k++)
        for (unsigned t = 0; t < lb->n_targets; t++)
          {
            const StratusPath *verdict = lb->nodes[k].to_target[t];
            if (!needs_text (c, verdict))
              continue;
            Instance *target = lb->targets[t];
            char *traffic = g_strdup_printf ("tcp/%u", target->fleet->port);
            check_path (c, lb->nodes[k].endpoint, target->endpoint, STRATUS_PROTOCOL_TCP,
                        target->fleet->port, verdict,
                        stratus_network_endpoint_name (w->net, lb->nodes[k].endpoint),
                        target->name, traffic, lb->config->line, lb->config->column);
            g_free (traffic);
          }
    }
}

/* Each instance -> each of its outbound destinations. */
static void
check_calls (Check *c)
{
  World *w = c->w;
  for (guint i = 0; i < w->instances->len && check_going (c); i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      for (unsigned k = 0; k < inst->n_calls; k++)
        {
          const OutboundCall *call = &inst->calls[k];
          const StratusOutboundCallConfig *cfg = call->config;
          if (!needs_text (c, call->path))
            continue;
          char *address = stratus_address_format (cfg->destination);
          char *to = g_strdup_printf ("%s %s", cfg->name, address);
          char *traffic = g_strdup_printf ("%s/%u", cfg->protocol == STRATUS_PROTOCOL_UDP ? "udp"
                                                                                       : "tcp",
                                           cfg->port);
          check_path (c, inst->endpoint, call->destination, cfg->protocol, cfg->port, call->path,
                      inst->name, to, traffic, cfg->line, cfg->column);
          g_free (traffic);
          g_free (to);
          g_free (address);
        }
    }
}

/* "file:line:column: subnet ... has N usable addresses but M network interfaces ..." for
 * the first subnet the configuration overfills; false if there is one. */
static bool
check_capacity (const StratusScenario *s, GError **error)
{
  unsigned placed, usable;
  int full = stratus_network_overfull_subnet_of (s, &placed, &usable);
  if (full < 0)
    return true;
  const StratusSubnetConfig *sub = subnet_at (s, full);
  char *block = stratus_cidr_format (sub->cidr);
  g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
               "%s:%d:%d: subnet %s (%s) has %u usable addresses but %u network "
               "interfaces are placed in it (instances, load-balancer nodes, NAT gateways)",
               s->path, sub->line, sub->column, sub->name, block, usable, placed);
  g_free (block);
  return false;
}

bool
stratus_model_check (const StratusScenario *s, GString *explain, GError **error)
{
  /* Capacity first, from the configuration: nothing is placed in an overfull layout. */
  if (!check_capacity (s, error))
    return false;
  World *w = world_new (s, s->seed, 0, false);
  Check c = { s, w, explain, error, true };
  check_ingress (&c);
  check_targets (&c);
  check_calls (&c);
  world_free (w);
  return c.ok;
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

static void
fill_network_results (World *w, StratusRunResult *result)
{
  for (int i = 0; i < stratus_network_resource_count (w->net); i++)
    {
      /* Every resource inside the VPC, with or without traffic, so that replications
       * report the same figures. */
      if (!stratus_network_resource_inside (w->net, i))
        continue;
      StratusResourceBytes row = { 0 };
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
  World *w = world_new (s, options->seed, options->replication, true);
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
        stratus_sim_schedule_at (w->sim, first, on_arrival, wl, 0);
    }

  stratus_sim_run_until (w->sim, s->duration);
  close_row (w, s->duration);

  StratusRunResult *result = collector_take_result (&w->collector);
  result->window = s->duration - s->warmup;
  result->in_flight_at_end = w->measured_in_flight;
  fill_instance_results (w, result, s->duration);
  result->run_stats.events = stratus_sim_events_fired (w->sim);
  result->end = stratus_sim_end (w->sim);
  fill_network_results (w, result);
  world_free (w);

  struct rusage usage;
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    result->run_stats.max_rss_kib = usage.ru_maxrss;
  result->run_stats.wall_seconds = (double) (g_get_monotonic_time () - wall_start) / 1e6;
  return result;
}
