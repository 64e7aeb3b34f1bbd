/* Outbound calls to resources inside the scenario: an instance calls an internal load
 * balancer (through one of its nodes, chosen in rotation as DNS gives them, then a target
 * the node picks) or a fleet directly (its instances in rotation). The call is a request
 * like a client's (its client side a Request with `internal` set, its server side a Job
 * queued at the destination's station), routed along paths checked like every other one;
 * the caller's worker waits for the answer until the call's timeout. A failed answer (a
 * 5xx, a drop, the timeout) fails the call, and the caller answers 502. */
#include "world.h"

const StratusPath *
internal_call_node_path (World *w, OutboundCall *call, unsigned node)
{
  LoadBalancer *lb = g_ptr_array_index (w->lbs, (guint) call->resource);
  return stratus_path_ref_get (&call->to_nodes[node], w->topology, w->version,
                               call->owner->endpoint,
                               lb->nodes[node].endpoint, STRATUS_PROTOCOL_TCP,
                               call->config->port);
}

/* The next instance of fleet `fleet` in the call's rotation that takes calls (its
 * application running, not draining), or NULL. */
static Instance *
next_instance (World *w, OutboundCall *call, unsigned fleet)
{
  GPtrArray *all = w->by_fleet[fleet];
  for (guint k = 0; k < all->len; k++)
    {
      Instance *inst = g_ptr_array_index (all, (call->next + k) % all->len);
      if (inst->life == LIFE_READY && inst->state != TARGET_DRAINING)
        {
          call->next = (call->next + k + 1) % all->len;
          return inst;
        }
    }
  return NULL;
}

/* The call gets nowhere: it ends at its timeout, with nothing sent. */
static void
drop_call (World *w, Request *r, StratusDropReason why)
{
  stratus_network_count_drop (w->net, why);
  internal_call_lost (w, r);
}

void
internal_call_start (World *w, Job *job, OutboundCall *call)
{
  const StratusOutboundCallConfig *cfg = call->config;
  Request *r = request_take (&w->requests);
  r->internal = true;
  r->call = call;
  r->caller = job;
  r->sent = stratus_sim_now (w->sim);
  r->measured = job->measured;
  job->subcall = r;
  job->call_timer = stratus_sim_schedule (w->sim, cfg->timeout, request_path_on_call_done, job,
                                          CALL_FAILED);
  if (cfg->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER)
    {
      LoadBalancer *lb = g_ptr_array_index (w->lbs, (guint) call->resource);
      r->lb = lb;
      r->node = (uint8_t) call->next;
      call->next = call->next + 1 == lb->n_nodes ? 0 : call->next + 1;
      const StratusPath *path = internal_call_node_path (w, call, r->node);
      if (path->drop != STRATUS_DROP_NONE)
        {
          drop_call (w, r, path->drop);
          return;
        }
      stratus_network_count_bytes (w->net, path, cfg->request_bytes, 0);
      StratusTime delay = stratus_time_add (world_transit (w, path), lb->config->processing_time);
      if (delay == 0)
        request_path_on_alb_request (w->sim, r, 0);
      else
        stratus_sim_schedule (w->sim, delay, request_path_on_alb_request, r, 0);
      return;
    }
  /* Straight to an instance of the fleet. */
  Instance *target = next_instance (w, call, (unsigned) call->resource);
  if (target == NULL)
    {
      r->outcome = STRATUS_OUTCOME_503_NO_TARGETS; /* nothing listens: refused at once */
      internal_call_answered (w, r);
      return;
    }
  const StratusPath *path = stratus_topology_path (w->topology, call->owner->endpoint,
                                                   target->endpoint, STRATUS_PROTOCOL_TCP,
                                                   cfg->port);
  if (path->drop != STRATUS_DROP_NONE)
    {
      drop_call (w, r, path->drop);
      return;
    }
  stratus_network_count_bytes (w->net, path, cfg->request_bytes, 0);
  request_path_send_job (w, r, target, world_transit (w, path));
}

void
internal_call_answered (World *w, Request *r)
{
  Job *job = r->caller;
  StratusOutcome outcome = r->outcome;
  request_give (&w->requests, r);
  if (job == NULL)
    return; /* the caller gave up */
  job->subcall = NULL;
  stratus_sim_cancel (w->sim, job->call_timer);
  request_path_on_call_done (w->sim, job, outcome == STRATUS_OUTCOME_OK ? CALL_OK : CALL_FAILED);
}

void
internal_call_lost (World *w, Request *r)
{
  if (r->caller == NULL)
    request_give (&w->requests, r);
  else
    r->lost = true; /* the caller's timeout releases it */
}

void
internal_call_abandon (World *w, Job *job)
{
  Request *r = job->subcall;
  job->subcall = NULL;
  if (r->lost)
    request_give (&w->requests, r);
  else
    r->caller = NULL; /* it runs its course and is released when it ends */
}
