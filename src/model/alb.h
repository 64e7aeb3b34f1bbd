/* An Application Load Balancer: one node per subnet (per AZ without a vpc), the targets of
 * its target group, which come and go, and the target-selection algorithm (round robin,
 * least outstanding requests). Cross-zone load balancing is on, as it always is for ALB:
 * every node may pick any target in service. Each node keeps its own rotation and its own
 * outstanding counts, as ALB nodes do. A target has a slot, stable for the whole run (slots
 * are never reused); the slots in service are the `active` list, in registration order. */
#pragma once

#include "deadline_ring.h"
#include "instance.h"
#include "stratus/topology.h"

typedef struct
{
  int az;
  int endpoint;                  /* in the topology */
  StratusPathRef ingress;        /* clients on the internet -> this node */
  StratusPathRef *to_target;     /* per slot: this node -> the target (and the replies) */
  unsigned cursor;               /* where this node's rotation stands in `active` */
  uint32_t *outstanding;         /* per slot: requests this node sent, answer not yet back */
  StratusTime dns_out_at;        /* from then on the load balancer's DNS no longer names it
                                  * (its AZ is down); STRATUS_TIME_NEVER while it does */
} AlbNode;

/* How long the load balancer's DNS takes to drop a node whose AZ went down (its health
 * checks of its nodes: three failures 10 s apart). */
#define ALB_DNS_DETECTION (30 * STRATUS_SECOND)

/* What a load balancer's hour of traffic costs in capacity units (lb_meter.c): each hour
 * from the window's start is billed on its highest LCU dimension. */
typedef struct
{
  int64_t hour;              /* the hour being measured, from the window's start; -1: none */
  StratusTime hour_from, hour_to; /* its bounds, [from, to): the common case, a time inside
                                   * them, needs no division */
  uint64_t connections;      /* new connections in it */
  uint64_t bytes;            /* bytes processed in it, both ways */
  double held_ns;            /* time its connections were open (answered in it) */
  uint64_t micro_lcu_hours;  /* closed hours, in millionths of an LCU-hour */
  uint64_t total_connections, total_bytes; /* over the window */
} LbMeter;

typedef struct LoadBalancer
{
  const StratusLoadBalancerConfig *config;
  unsigned index;        /* in scenario->load_balancers */
  GPtrArray *targets;    /* Instance* (not owned) per slot */
  GArray *active;        /* unsigned: the slots in service, in registration order */
  GArray *unhealthy;     /* unsigned: registered slots failing health checks; when no
                          * slot is in service the nodes fail open and use these */
  StratusTime slow_start; /* the target group's, 0 = off */
  StratusTime *since;    /* per slot: when it was last put in service (slow start) */
  double *credit;        /* per slot: its slow-start credit (a share of a pick) */
  unsigned slot_cap;     /* room in the nodes' per-slot arrays */
  AlbNode *nodes;
  unsigned n_nodes;
  DeadlineRing idle;     /* requests waiting for a target's answer, by idle deadline */
  const unsigned *version; /* the network's version (stratus_topology_version) */
  LbMeter meter;
} LoadBalancer;

/* Load balancer `index` of the scenario, its nodes at the topology's endpoints, with no
 * target. Free with alb_free. */
LoadBalancer *alb_new (const StratusScenario *s, unsigned index, const StratusTopology *topology);

void alb_free (LoadBalancer *lb);

/* ---- lb_meter.c ---- */

/* Moves the meter to the hour of `now`, closing the one before; false before the window
 * (the slow path of lb_meter_request and lb_meter_answer). */
bool lb_meter_to_hour (LbMeter *m, StratusTime now, StratusTime window_start);

/* A new connection reaches the load balancer at `now` with `bytes` (counted from
 * `window_start` on). Inline: once per request. */
static inline void
lb_meter_request (LbMeter *m, StratusTime now, StratusTime window_start, uint64_t bytes)
{
  if (G_UNLIKELY (!(m->hour >= 0 && now >= m->hour_from && now < m->hour_to))
      && !lb_meter_to_hour (m, now, window_start))
    return;
  m->connections++;
  m->bytes += bytes;
  m->total_connections++;
  m->total_bytes += bytes;
}

/* The load balancer answers at `now` with `bytes`, the connection open for `held`.
 * Inline: once per request. */
static inline void
lb_meter_answer (LbMeter *m, StratusTime now, StratusTime window_start, uint64_t bytes,
                 StratusTime held)
{
  if (G_UNLIKELY (!(m->hour >= 0 && now >= m->hour_from && now < m->hour_to))
      && !lb_meter_to_hour (m, now, window_start))
    return;
  m->bytes += bytes;
  m->total_bytes += bytes;
  m->held_ns += (double) held;
}

/* Closes the hour being measured (the end of the run). */
void lb_meter_close (LbMeter *m);

/* AZ `az` went down (`down`) or came back at `now`: DNS drops its nodes after
 * ALB_DNS_DETECTION, or names them again at once. */
void alb_az_changed (LoadBalancer *lb, int az, bool down, StratusTime now);

/* True if instances of `fleet` register with this load balancer's target group. */
bool alb_serves (const LoadBalancer *lb, const StratusFleetConfig *fleet);

/* Gives `inst` a slot (not in service yet); returns it. */
unsigned alb_add_target (LoadBalancer *lb, Instance *inst);

/* The slot of `inst`, or -1. */
int alb_slot_of (const LoadBalancer *lb, const Instance *inst);

/* Puts slot `slot` in service (it gets new requests) or takes it out. */
void alb_set_in_service (LoadBalancer *lb, unsigned slot, bool in_service);

/* Slow start: slot `slot` enters service at `now` and ramps up from there. */
void alb_start_ramp (LoadBalancer *lb, unsigned slot, StratusTime now);

/* Marks slot `slot` unhealthy (a fail-open candidate) or not. */
void alb_set_unhealthy (LoadBalancer *lb, unsigned slot, bool unhealthy);

/* Slow start: the slot `active[k]` is ramping at `now`; true if it takes this pick (its
 * credit grows by its share of the ramp each time it comes up). */
bool alb_slow_start_takes (LoadBalancer *lb, unsigned slot, StratusTime now);

/* Starts each node's rotation at its share of the targets in service (node n of N at
 * target n x T / N), so that the nodes do not all begin with the same one. */
void alb_stagger (LoadBalancer *lb);

/* The slot of the target that node `node` sends the next request to, or -1 with none in
 * service. Least outstanding requests looks at this node's own counts only. */
static inline int
alb_pick (LoadBalancer *lb, unsigned node, StratusTime now)
{
  GArray *list = lb->active;
  if (G_UNLIKELY (list->len == 0))
    list = lb->unhealthy; /* fail open */
  unsigned n = list->len;
  if (n == 0)
    return -1;
  const unsigned *active = (const unsigned *) (void *) list->data;
  AlbNode *nd = &lb->nodes[node];
  unsigned start = nd->cursor < n ? nd->cursor : 0;
  nd->cursor = start + 1 == n ? 0 : start + 1;
  if (G_UNLIKELY (lb->slow_start > 0))
    {
      /* Round robin that lets a ramping target take only its share of the picks. */
      for (unsigned k = 0; k < n; k++)
        {
          unsigned t = active[start + k < n ? start + k : start + k - n];
          if (alb_slow_start_takes (lb, t, now))
            {
              nd->cursor = start + k + 1 >= n ? start + k + 1 - n : start + k + 1;
              return (int) t;
            }
        }
      return (int) active[start];
    }
  if (lb->config->algorithm == STRATUS_ALGORITHM_ROUND_ROBIN)
    return (int) active[start];
  /* Least outstanding requests, by this node's own counts; ties go to the first in this
   * node's rotation. */
  const uint32_t *outstanding = nd->outstanding;
  unsigned best = active[start];
  for (unsigned k = 1; k < n && outstanding[best] > 0; k++)
    {
      unsigned t = active[start + k < n ? start + k : start + k - n];
      if (outstanding[t] < outstanding[best])
        best = t;
    }
  return (int) best;
}


/* Requests node `node` sent to slot `t` and has not stopped waiting for. */
static inline void
alb_sent (LoadBalancer *lb, unsigned node, unsigned t)
{
  lb->nodes[node].outstanding[t]++;
}

static inline void
alb_answered (LoadBalancer *lb, unsigned node, unsigned t)
{
  lb->nodes[node].outstanding[t]--;
}

/* Node `node` -> slot `t`'s path, looked up lazily. */
static inline const StratusPath *
alb_target_path (LoadBalancer *lb, StratusTopology *topology, unsigned node, unsigned t)
{
  StratusPathRef *ref = &lb->nodes[node].to_target[t];
  if (G_LIKELY (ref->path != NULL && ref->version == *lb->version))
    return ref->path;
  Instance *inst = g_ptr_array_index (lb->targets, t);
  return stratus_path_ref_get (ref, topology, lb->version, lb->nodes[node].endpoint,
                               inst->endpoint, STRATUS_PROTOCOL_TCP, inst->fleet->port);
}

/* Clients -> node `node`, looked up lazily. */
static inline const StratusPath *
alb_ingress_path (LoadBalancer *lb, StratusTopology *topology, unsigned node)
{
  StratusPathRef *ref = &lb->nodes[node].ingress;
  if (G_LIKELY (ref->path != NULL && ref->version == *lb->version))
    return ref->path;
  return stratus_path_ref_get (ref, topology, lb->version, stratus_topology_client (topology),
                               lb->nodes[node].endpoint, STRATUS_PROTOCOL_TCP, lb->config->port);
}
