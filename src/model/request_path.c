/* The life of a request through the world:
 *
 *   client --ingress path (internet, gateway, ACL, SG) + ALB processing--> ALB node
 *          --path to the target (route, ACLs, SGs)--> instance (worker, FIFO queue, or
 *          refusal = 503) --service, then outbound calls (direct or via NAT)-->
 *          answer back along the same paths --> client (records the outcome and latency)
 *
 * The client side (Request) and the server side (Job) are separate objects: the node
 * links them while it waits for the target, and stops waiting at its idle timeout (504),
 * when the target's deregistration delay runs out (502) or when the target is gone, while
 * the job goes on and its late answer is discarded and counted. A message a path drops is
 * counted by reason and turns into what a real client would see: a request lost on the
 * way in is only ended by the client's timeout (504); a target the node cannot reach is a
 * 504 after the 10 s connect timeout; a lost answer a 504 at the idle timeout; a failed
 * outbound call makes the instance answer 502. A client that hears nothing within its
 * timeout records a 504 and forgets the request, which still runs its course. Zero-latency
 * hops are taken inline. */
#include "autoscaling.h"
#include "cpu.h"
#include "database.h"
#include "world.h"

#include "stratus/dist.h"
#include "stratus/rng.h"
#include <math.h>

/* Calls `stage` on `object` after `delay` (a path's latency: one of a few constants, so
 * the hop goes in a FIFO lane), inline when there is no delay. */
static inline void
forward (World *w, void *object, StratusTime delay, StratusHandler stage)
{
  if (delay == 0)
    stage (w->sim, object, 0);
  else
    stratus_sim_schedule_hop (w->sim, delay, stage, object, 0);
}

/* The load balancer whose node handles `r`. */
static inline LoadBalancer *
lb_of (const Request *r)
{
  return r->lb;
}

/* Bytes of `r`'s request and of its answer (the workload's, or the internal call's). */
static inline uint64_t
request_bytes (const Request *r)
{
  return r->internal ? r->call->config->request_bytes : r->workload->config->request_bytes;
}

static inline uint64_t
response_bytes (const Request *r)
{
  return r->internal ? r->call->config->response_bytes : r->workload->config->response_bytes;
}

/* ---- client ------------------------------------------------------------------------- */

/* The client of `r` records `outcome` now. */
static void
client_records (World *w, Request *r, StratusOutcome outcome, StratusTime latency)
{
  if (r->measured)
    {
      collector_response (&w->collector, outcome, latency);
      w->measured_in_flight--;
    }
}

static void send_attempt (World *w, Workload *wl, Request *r);

/* A retry's backoff is over: its attempt is sent. */
static void
on_retry (StratusSim *sim, void *target, uint64_t arg)
{
  Request *r = target;
  send_attempt (world_of (sim), r->workload, r);
}

/* The quota tokens a retry after `outcome` costs (the AWS SDKs': 10 after a timeout, 5
 * after another error), or 0 when the clients' quota cannot pay it (or there is none). */
static int
retry_cost (Workload *wl, StratusOutcome outcome)
{
  if (wl->config->retry_quota <= 0)
    return 0;
  int cost = outcome == STRATUS_OUTCOME_504_CLIENT_TIMEOUT ? 10 : 5;
  return wl->retry_tokens >= cost ? cost : 0;
}

/* A success gives the clients' quota back its retry's cost, or 1 for a first attempt. */
static void
refund_quota (Workload *wl, const Request *r)
{
  int quota = wl->config->retry_quota;
  if (quota > 0)
    wl->retry_tokens = MIN (quota, wl->retry_tokens + (r->attempt > 0 ? r->retry_cost : 1));
}

/* The client of `r` learns `outcome` now: a failure with attempts left (and, with a retry
 * quota, tokens to pay for it) is sent again after a backoff (full jitter: a uniform draw
 * in [0, min (cap, base x 2^attempt)]); otherwise the request ends, its latency counted
 * from its first attempt. */
static void
client_finishes (World *w, Request *r, StratusOutcome outcome)
{
  Workload *wl = r->workload;
  const StratusWorkloadConfig *cfg = wl->config;
  if (outcome == STRATUS_OUTCOME_OK)
    refund_quota (wl, r);
  int cost = 0;
  if (outcome != STRATUS_OUTCOME_OK && r->attempt + 1 < cfg->max_attempts
      && (cfg->retry_quota <= 0 || (cost = retry_cost (wl, outcome)) > 0))
    {
      wl->retry_tokens -= cost;
      if (wl->retry_rng == NULL)
        {
          char *source = g_strdup_printf ("workload.%s.retries", cfg->name);
          wl->retry_rng = stratus_rng_stream_new (w->seed, w->replication, source);
          g_free (source);
        }
      Request *next = request_take (&w->requests);
      next->workload = wl;
      next->lb = wl->entry;
      next->origin = r->origin;
      next->measured = r->measured;
      next->attempt = (uint8_t) (r->attempt + 1);
      next->retry_cost = (uint8_t) cost;
      if (next->measured)
        collector_retry (&w->collector);
      double cap = MIN ((double) cfg->retry_cap, (double) cfg->retry_base * ldexp (1.0, r->attempt));
      StratusTime delay = (StratusTime) (cap * gsl_rng_uniform (wl->retry_rng));
      stratus_sim_schedule (w->sim, delay, on_retry, next, 0);
      return;
    }
  client_records (w, r, outcome, stratus_sim_now (w->sim) - r->origin);
}

/* The client of `r` hears `r->outcome` now. An answer at or after the client's deadline
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
      client_finishes (w, r, latency >= timeout ? STRATUS_OUTCOME_504_CLIENT_TIMEOUT : r->outcome);
    }
  request_give (&w->requests, r);
}

/* The network dropped `r` (or its answer) for good: only the client's timeout ends it. */
static void
lose_request (World *w, Request *r)
{
  if (r->state == REQUEST_ABANDONED)
    request_give (&w->requests, r);
  else if (r->workload->config->timeout == STRATUS_TIME_NEVER)
    {
      /* A client that never gives up would wait forever: count it as timed out now. */
      client_finishes (w, r, STRATUS_OUTCOME_504_CLIENT_TIMEOUT);
      request_give (&w->requests, r);
    }
  else
    r->lost = true;
}

static void on_client_timeout (StratusSim *sim, void *target, uint64_t arg);

/* Arms the workload's client-timeout timer for its oldest waiting request. */
static void
arm_client_timeout (World *w, Workload *wl)
{
  deadline_ring_arm (&wl->deadlines, w->sim, w->scenario->duration, on_client_timeout, wl);
}

/* Clients whose deadline has come give up: 504 client_timeout; then re-arms. */
static void
on_client_timeout (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Workload *wl = target;
  Request *r;
  while ((r = deadline_ring_pop_expired (&wl->deadlines, stratus_sim_now (sim))) != NULL)
    {
      r->state = REQUEST_ABANDONED;
      client_finishes (w, r, STRATUS_OUTCOME_504_CLIENT_TIMEOUT);
      if (r->lost)
        request_give (&w->requests, r);
    }
  arm_client_timeout (w, wl);
}

/* ---- load-balancer node ------------------------------------------------------------- */

/* An internal call's answer reaches its caller. */
static void
on_internal_answer (StratusSim *sim, void *target, uint64_t arg)
{
  internal_call_answered (world_of (sim), target);
}

/* The node sends `r->outcome` back to the client, or to the instance that called. */
static void
alb_reply (World *w, Request *r)
{
  const StratusPath *back = r->internal ? internal_call_node_path (w, r->call, r->node)
                                        : alb_ingress_path (lb_of (r), w->topology, r->node);
  StratusTime now = stratus_sim_now (w->sim);
  lb_meter_answer (&lb_of (r)->meter, now, w->scenario->warmup, response_bytes (r), now - r->sent);
  if (back->drop != STRATUS_DROP_NONE)
    {
      stratus_network_count_drop (w->net, back->drop);
      if (r->internal)
        internal_call_lost (w, r);
      else
        lose_request (w, r);
      return;
    }
  stratus_network_count_bytes (w->net, back, 0, response_bytes (r));
  forward (w, r, world_transit (w, back), r->internal ? on_internal_answer : on_client_receive);
}

void
request_path_give_up (World *w, Request *r, StratusOutcome outcome)
{
  if (r->job != NULL)
    r->job->request = NULL;
  r->job = NULL;
  r->waiting = false;
  alb_answered (lb_of (r), r->node, r->target);
  r->outcome = outcome;
  alb_reply (w, r);
}

static void on_alb_idle_timeout (StratusSim *sim, void *target, uint64_t arg);

/* Arms the load balancer's idle-timeout timer for its oldest waiting request. */
static void
arm_idle_timeout (World *w, LoadBalancer *lb)
{
  deadline_ring_arm (&lb->idle, w->sim, w->scenario->duration, on_alb_idle_timeout, lb);
}

/* Requests whose target has said nothing for the idle timeout: the node answers 504. */
static void
on_alb_idle_timeout (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  LoadBalancer *lb = target;
  Request *r;
  while ((r = deadline_ring_pop_expired (&lb->idle, stratus_sim_now (sim))) != NULL)
    request_path_give_up (w, r, STRATUS_OUTCOME_504_IDLE_TIMEOUT);
  arm_idle_timeout (w, lb);
}

/* The target could not be reached: the node gives up after its connect timeout. */
static void
on_connect_timeout (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  alb_answered (lb_of (r), r->node, r->target);
  alb_reply (w, r);
}

/* The target's answer reaches the node. */
static void
on_alb_answer (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Job *job = target;
  Request *r = job->request;
  if (r == NULL)
    {
      /* The node stopped waiting while the answer was on its way. */
      if (job->measured)
        collector_late_answer (&w->collector);
    }
  else if (r->lb == NULL)
    {
      /* A direct call: the answer is at the caller. */
      r->job = NULL;
      r->waiting = false;
      r->outcome = job->outcome;
      internal_call_answered (w, r);
    }
  else
    {
      r->job = NULL;
      r->waiting = false;
      r->outcome = job->outcome;
      alb_answered (lb_of (r), r->node, r->target);
      alb_reply (w, r);
    }
  object_pool_give (&w->jobs, job);
}


/* ---- instance ------------------------------------------------------------------------ */

/* The path the target's answer to `r` takes back to whoever sent it: to the node, or
 * straight to the caller for a direct call to a fleet. */
static inline const StratusPath *
answer_path (World *w, const Request *r)
{
  if (r->lb != NULL)
    return alb_target_path (r->lb, w->topology, r->node, r->target);
  const Instance *target = r->job->instance;
  return stratus_topology_path (w->topology, r->call->owner->endpoint, target->endpoint,
                                STRATUS_PROTOCOL_TCP, r->call->config->port);
}

/* The instance sends the job's answer (job->outcome) back to the node. */
static void
send_answer (World *w, Job *job)
{
  Instance *inst = job->instance;
  instance_detach (inst, job);
  instance_jobs_changed (inst, stratus_sim_now (w->sim));
  Request *r = job->request;
  if (r == NULL)
    {
      /* The node stopped waiting: the answer goes to a closed connection. */
      if (job->measured)
        collector_late_answer (&w->collector);
      object_pool_give (&w->jobs, job);
    }
  else
    {
      const StratusPath *path = answer_path (w, r);
      if (path->drop != STRATUS_DROP_NONE)
        {
          /* A path that closed while the request was being served: the answer is lost,
           * and the node's idle timeout answers the client (a direct call's caller waits
           * for its own timeout). */
          stratus_network_count_drop (w->net, path->drop);
          r->job = NULL;
          if (r->lb == NULL)
            {
              r->waiting = false;
              internal_call_lost (w, r);
            }
          object_pool_give (&w->jobs, job);
        }
      else
        {
          stratus_network_count_bytes (w->net, path, 0, response_bytes (r));
          forward (w, job, world_transit (w, path), on_alb_answer);
        }
    }
  if (inst->jobs == 0 && inst->state == TARGET_DRAINING)
    fleet_job_done (w, inst);
}

static void on_service_done (StratusSim *sim, Job *job);

/* A worker starts `job` now: its service time (work at full speed) is drawn and it
 * computes on the instance's vCPUs. */
static void
start_service (World *w, Instance *inst, Job *job)
{
  if (job->measured)
    collector_service_start (&w->collector, stratus_sim_now (w->sim) - job->enqueued);
  cpu_start (w->sim, inst, job, instance_service_time (inst), on_service_done);
}

/* The job's work is done (job->outcome set): free the worker, answer. */
static void
finish_job (World *w, Job *job)
{
  Instance *inst = job->instance;
  StationItem *next = station_finish (&inst->station, stratus_sim_now (w->sim));
  if (next != NULL)
    start_service (w, inst, job_of_item (next));
  send_answer (w, job);
}

/* Starts outbound call job->call of the job's instance. */
static void
start_call (World *w, Job *job, OutboundCall *call)
{
  if (call->resource >= 0)
    {
      internal_call_start (w, job, call);
      return;
    }
  Instance *inst = job->instance;
  const StratusOutboundCallConfig *cfg = call->config;
  const StratusPath *path = stratus_path_ref_get (&call->path, w->topology, w->version,
                                                  inst->endpoint, call->destination,
                                                  cfg->protocol, cfg->port);
  StratusDropReason why = path->drop;
  if (why == STRATUS_DROP_NONE && path->nat >= 0)
    {
      /* A connection through the NAT gateway: a port first, then room for the request. */
      uint32_t address = stratus_network_endpoint_address (w->net, call->destination);
      job->nat_open = stratus_network_nat_open (w->net, path->nat, address, cfg->port,
                                                cfg->protocol, &why);
      job->nat = (int16_t) path->nat;
      if (job->nat_open && !stratus_network_nat_transfer (w->net, path->nat, cfg->request_bytes,
                                                          stratus_sim_now (w->sim)))
        why = STRATUS_DROP_NAT_BANDWIDTH;
    }
  if (why != STRATUS_DROP_NONE)
    {
      /* The connection never answers: the instance gives up at the call's timeout. */
      stratus_network_count_drop (w->net, why);
      stratus_sim_schedule (w->sim, cfg->timeout, request_path_on_call_done, job, CALL_FAILED);
      return;
    }
  stratus_network_count_bytes (w->net, path, cfg->request_bytes, 0);
  StratusTime remote = stratus_dist_sample_time (&cfg->service_time, call->rng);
  StratusTime total
    = stratus_time_add (stratus_time_add (world_transit (w, path), world_transit (w, path)), remote);
  if (total >= cfg->timeout)
    stratus_sim_schedule (w->sim, cfg->timeout, request_path_on_call_done, job, CALL_FAILED);
  else if (path->nat >= 0 && remote > STRATUS_NAT_IDLE_TIMEOUT)
    {
      stratus_network_count_drop (w->net, STRATUS_DROP_NAT_IDLE_TIMEOUT);
      stratus_sim_schedule (w->sim, stratus_time_add (path->latency, STRATUS_NAT_IDLE_TIMEOUT),
                            request_path_on_call_done, job, CALL_FAILED);
    }
  else
    stratus_sim_schedule (w->sim, total, request_path_on_call_done, job, CALL_OK);
}

/* Makes the job's remaining outbound calls, one after the other, then answers. */
static void
continue_calls (World *w, Job *job)
{
  Instance *inst = job->instance;
  while (job->call < inst->n_calls)
    {
      OutboundCall *call = &inst->calls[job->call];
      if (job->call_repeats == 0)
        {
          double per_request = call->config->per_request;
          unsigned n = (unsigned) per_request;
          double fraction = per_request - n;
          if (fraction > 0 && gsl_rng_uniform (call->rng) < fraction)
            n++;
          if (n == 0)
            {
              job->call++;
              continue;
            }
          job->call_repeats = (uint16_t) MIN (n, UINT16_MAX);
        }
      start_call (w, job, call);
      return;
    }
  job->outcome = STRATUS_OUTCOME_OK;
  finish_job (w, job);
}

void
request_path_on_call_done (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Job *job = target;
  OutboundCall *call = &job->instance->calls[job->call];
  if (job->subcall != NULL)
    internal_call_abandon (w, job); /* its timeout came first */
  if (job->nat_open)
    {
      stratus_network_nat_close (w->net, job->nat,
                                 stratus_network_endpoint_address (w->net, call->destination),
                                 call->config->port, call->config->protocol);
      job->nat_open = false;
    }
  if (job->orphan)
    {
      object_pool_give (&w->jobs, job);
      return;
    }
  if (arg == CALL_FAILED)
    {
      job->outcome = STRATUS_OUTCOME_502_CALL_FAILED;
      finish_job (w, job);
      return;
    }
  if (call->resource < 0) /* an internal call's bytes were counted along its paths */
    stratus_network_count_bytes (w->net, call->path.path, 0, call->config->response_bytes);
  if (--job->call_repeats == 0)
    job->call++;
  continue_calls (w, job);
}

/* The job's service is over: its outbound calls, then its answer. */
static void
on_service_done (StratusSim *sim, Job *job)
{
  World *w = world_of (sim);
  if (job->orphan)
    {
      object_pool_give (&w->jobs, job);
      return;
    }
  if (job->instance->shared == NULL)
    cpu_finished (job->instance, stratus_sim_now (sim));
  job->call = 0;
  job->call_repeats = 0;
  if (job->instance->db_client != NULL && db_client_begin (w, job))
    return;
  continue_calls (w, job);
}

void
request_path_queries_done (World *w, Job *job)
{
  continue_calls (w, job);
}

void
request_path_job_failed (World *w, Job *job, StratusOutcome outcome)
{
  job->outcome = outcome;
  finish_job (w, job);
}

/* The job reaches its instance: served now, queued, or refused (503 queue_full). */
static void
on_instance_request (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Job *job = target;
  if (job->orphan)
    {
      object_pool_give (&w->jobs, job);
      return;
    }
  Instance *inst = job->instance;
  StratusTime now = stratus_sim_now (sim);
  job->enqueued = now;
  if (G_UNLIKELY (inst->life != LIFE_READY))
    {
      /* No application listens: the connection is refused at once. */
      job->outcome = STRATUS_OUTCOME_502_TARGET_RESET;
      send_answer (w, job);
      return;
    }
  if (G_UNLIKELY (inst->jobs > inst->max_jobs))
    {
      /* Out of memory: the application is killed with every request in it, this one
       * included (which has no other event to free it). */
      lifecycle_kill_app (w, inst);
      object_pool_give (&w->jobs, job);
      return;
    }
  switch (station_admit (&inst->station, &job->link, now))
    {
    case ADMIT_START:
      start_service (w, inst, job);
      break;
    case ADMIT_QUEUED:
      break;
    case ADMIT_REFUSED:
      job->outcome = STRATUS_OUTCOME_503_QUEUE_FULL;
      send_answer (w, job);
      break;
    }
}

void
request_path_orphan (World *w, Job *job, bool queued, StratusOutcome outcome)
{
  instance_detach (job->instance, job);
  instance_jobs_changed (job->instance, stratus_sim_now (w->sim));
  Request *r = job->request;
  if (r != NULL && r->lb != NULL)
    request_path_give_up (w, r, outcome);
  else if (r != NULL)
    {
      /* A direct call: the caller's connection to the instance is closed; its call fails. */
      r->job = NULL;
      r->waiting = false;
      r->outcome = outcome;
      job->request = NULL;
      internal_call_answered (w, r);
    }
  job->orphan = true;
  if (queued)
    object_pool_give (&w->jobs, job);
}

void
request_path_send_job (World *w, Request *r, Instance *inst, StratusTime delay)
{
  Job *job = job_take (&w->jobs, r);
  instance_attach (inst, job);
  instance_jobs_changed (inst, stratus_sim_now (w->sim));
  r->job = job;
  r->waiting = true;
  forward (w, job, delay, on_instance_request);
}

/* The node sends `r` to the target it picks. */
void
request_path_on_alb_request (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Request *r = target;
  LoadBalancer *lb = lb_of (r);
  lb_meter_request (&lb->meter, stratus_sim_now (sim), w->scenario->warmup, request_bytes (r));
  int t = alb_pick (lb, r->node, stratus_sim_now (sim));
  if (t < 0)
    {
      r->outcome = STRATUS_OUTCOME_503_NO_TARGETS;
      alb_reply (w, r);
      return;
    }
  alb_sent (lb, r->node, (unsigned) t);
  r->target = (uint32_t) t;
  const StratusPath *path = alb_target_path (lb, w->topology, r->node, (unsigned) t);
  if (path->drop != STRATUS_DROP_NONE) /* either way: the connection never opens */
    {
      stratus_network_count_drop (w->net, path->drop);
      r->outcome = STRATUS_OUTCOME_504_CONNECT_TIMEOUT;
      stratus_sim_schedule (sim, ALB_CONNECT_TIMEOUT, on_connect_timeout, r, 0);
      return;
    }
  r->waiting = true; /* before the push: arming the timer drops entries not waiting */
  deadline_ring_push (&lb->idle, r, r->generation,
                      stratus_time_add (stratus_sim_now (sim), lb->config->idle_timeout));
  if (!lb->idle.timer_armed)
    arm_idle_timeout (w, lb);
  stratus_network_count_bytes (w->net, path, request_bytes (r), 0);
  Instance *inst = g_ptr_array_index (lb->targets, (guint) t);
  inst->routed++;
  request_path_send_job (w, r, inst, world_transit (w, path));
}

void
request_path_on_arrival (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Workload *wl = target;
  StratusTime now = stratus_sim_now (sim);
  StratusTime next = arrivals_next (&wl->arrivals, now);
  if (next <= w->scenario->duration)
    stratus_sim_schedule_at (sim, next, request_path_on_arrival, wl, 0);

  Request *r = request_take (&w->requests);
  r->workload = wl;
  r->lb = wl->entry;
  r->origin = now;
  r->measured = w->collector.window_open;
  if (r->measured)
    {
      collector_arrival (&w->collector);
      w->measured_in_flight++;
    }
  send_attempt (w, wl, r);
}

/* The client sends attempt `r` now: to the node its DNS answer names, with its deadline. */
static void
send_attempt (World *w, Workload *wl, Request *r)
{
  StratusTime now = stratus_sim_now (w->sim);
  r->sent = now;
  r->node = (uint8_t) workload_pick_node (wl, now);
  if (wl->config->timeout != STRATUS_TIME_NEVER)
    {
      workload_push_deadline (wl, r);
      if (!wl->deadlines.timer_armed)
        arm_client_timeout (w, wl);
    }
  /* A path blocked either way never opens its TCP connection (a blocked reply loses the
   * SYN-ACK), so the request goes nowhere. */
  const StratusPath *in = alb_ingress_path (wl->entry, w->topology, r->node);
  if (in->drop != STRATUS_DROP_NONE)
    {
      stratus_network_count_drop (w->net, in->drop);
      lose_request (w, r);
      return;
    }
  stratus_network_count_bytes (w->net, in, wl->config->request_bytes, 0);
  forward (w, r, stratus_time_add (world_transit (w, in), wl->entry->config->processing_time),
           request_path_on_alb_request);
}
