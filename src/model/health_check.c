/* Target-group health checks: every interval a probe goes from one of the load
 * balancer's nodes (in turn) to the target through the network, on the health-check port.
 * It passes when the path is open, the application runs and the answer is back within
 * the timeout; it fails at once when nothing listens (the connection is refused) and at
 * the timeout when the path drops it. A probe takes no worker of the target (simplified).
 * A node in a failed AZ sends no probes. Thresholds of consecutive results move the
 * target between initial, healthy and unhealthy (fleet_set_health). One load balancer probes each target: the first, in
 * scenario order, whose target group has checks. */
#include "autoscaling.h"
#include "fault_detection.h"

typedef struct HealthProbe
{
  LoadBalancer *lb;
  const StratusHealthCheckConfig *hc;
  unsigned node;        /* the node the next probe goes from */
  int passes, fails;    /* consecutive */
  StratusTime sent;     /* when the probe in progress went out */
  StratusTimer timer;   /* its result, or the next probe */
} HealthProbe;

static void on_probe (StratusSim *sim, void *target, uint64_t arg);

/* Applies one probe's result to the target's health. */
static void
apply (World *w, Instance *inst, HealthProbe *p, bool pass)
{
  if (pass)
    {
      p->fails = 0;
      p->passes++;
      if (inst->state == TARGET_INITIAL
          || (inst->state == TARGET_UNHEALTHY && p->passes >= p->hc->healthy_threshold))
        fleet_set_health (w, inst, TARGET_HEALTHY);
    }
  else
    {
      p->passes = 0;
      p->fails++;
      if (inst->state != TARGET_UNHEALTHY && p->fails >= p->hc->unhealthy_threshold)
        {
          fault_detection_note (w, NOTICE_UNHEALTHY,
                                (FaultScope){ inst->where.az, (int) inst->fleet_index, -1 },
                                "the health checks of %s: %s unhealthy", p->lb->config->name,
                                inst->name);
          fleet_set_health (w, inst, TARGET_UNHEALTHY);
        }
      else if (inst->state == TARGET_UNHEALTHY && inst->group != NULL)
        group_on_unhealthy (w, inst); /* still failing: replace it once its grace is over */
    }
}

/* A probe's result is in (arg: 1 pass, 0 fail); the next goes one interval after the last. */
static void
on_result (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Instance *inst = target;
  HealthProbe *p = inst->probe;
  StratusTime next = stratus_time_add (p->sent, p->hc->interval);
  p->timer = stratus_sim_schedule_timer_at (sim, MAX (next, stratus_sim_now (sim)), on_probe,
                                            inst, 0);
  apply (w, inst, p, arg != 0); /* may stop the probes (a replacement deregisters it) */
}

/* Sends a probe now; its result comes after the round trip, or at the timeout. */
static void
on_probe (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Instance *inst = target;
  HealthProbe *p = inst->probe;
  p->sent = stratus_sim_now (sim);
  /* The nodes take turns; a node in a failed AZ is gone and sends none (with every node
   * gone, the probe times out). */
  unsigned node = p->node;
  for (unsigned k = 0; k < p->lb->n_nodes; k++)
    {
      unsigned n = (p->node + k) % p->lb->n_nodes;
      if (!stratus_network_az_is_down (w->net, p->lb->nodes[n].az))
        {
          node = n;
          break;
        }
    }
  p->node = (node + 1) % p->lb->n_nodes;
  uint16_t port = p->hc->port != 0 ? p->hc->port : inst->fleet->port;
  const StratusPath *path = stratus_topology_path (w->topology, p->lb->nodes[node].endpoint,
                                                   inst->endpoint, STRATUS_PROTOCOL_TCP, port);
  StratusTime round_trip = stratus_time_add (world_transit (w, path), world_transit (w, path));
  bool pass = false;
  StratusTime after = p->hc->timeout;
  if (path->drop == STRATUS_DROP_NONE && round_trip < p->hc->timeout)
    {
      pass = inst->life == LIFE_READY;
      after = round_trip; /* an answer, or a refused connection */
    }
  p->timer = stratus_sim_schedule_timer_at (sim, stratus_time_add (p->sent, after), on_result,
                                            inst, pass);
}

void
health_start (World *w, Instance *inst, LoadBalancer *lb)
{
  HealthProbe *p = g_new0 (HealthProbe, 1);
  p->lb = lb;
  p->hc = &lb->config->target_group_config->health_check;
  p->node = inst->id % lb->n_nodes;
  inst->probe = p;
  on_probe (w->sim, inst, 0);
}

void
health_stop (World *w, Instance *inst)
{
  HealthProbe *p = inst->probe;
  if (p == NULL)
    return;
  if (stratus_sim_is_pending (w->sim, p->timer))
    stratus_sim_cancel (w->sim, p->timer);
  g_clear_pointer (&inst->probe, g_free);
}
