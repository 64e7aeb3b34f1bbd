/* Target selection over a changing set of targets. */
#include "alb.h"

#include <string.h>

/* A deadline entry is live while its request still waits for its target's answer. */
static bool
idle_entry_live (const DeadlineEntry *e)
{
  const Request *r = e->item;
  return r->generation == e->generation && r->waiting;
}

LoadBalancer *
alb_new (const StratusScenario *s, unsigned index, const StratusTopology *topology)
{
  LoadBalancer *lb = g_new0 (LoadBalancer, 1);
  lb->config = g_ptr_array_index (s->load_balancers, index);
  lb->index = index;
  lb->targets = g_ptr_array_new ();
  lb->active = g_array_new (FALSE, FALSE, sizeof (unsigned));
  lb->unhealthy = g_array_new (FALSE, FALSE, sizeof (unsigned));
  if (lb->config->target_group_config != NULL)
    lb->slow_start = lb->config->target_group_config->slow_start;
  lb->n_nodes = stratus_placement_lb_node_count (s, lb->config);
  lb->nodes = g_new0 (AlbNode, lb->n_nodes);
  for (unsigned n = 0; n < lb->n_nodes; n++)
    {
      lb->nodes[n].az = stratus_placement_lb_node (s, lb->config, n).az;
      lb->nodes[n].endpoint = stratus_topology_lb_node (topology, index, n);
      lb->nodes[n].dns_out_at = STRATUS_TIME_NEVER;
    }
  deadline_ring_init (&lb->idle, idle_entry_live);
  lb->version = stratus_topology_version (topology);
  lb->meter.hour = -1;
  return lb;
}

void
alb_az_changed (LoadBalancer *lb, int az, bool down, StratusTime now)
{
  for (unsigned n = 0; n < lb->n_nodes; n++)
    if (lb->nodes[n].az == az)
      lb->nodes[n].dns_out_at = down ? stratus_time_add (now, ALB_DNS_DETECTION)
                                     : STRATUS_TIME_NEVER;
}

void
alb_free (LoadBalancer *lb)
{
  if (lb == NULL)
    return;
  for (unsigned n = 0; n < lb->n_nodes; n++)
    {
      g_free (lb->nodes[n].to_target);
      g_free (lb->nodes[n].outstanding);
    }
  g_free (lb->nodes);
  g_ptr_array_unref (lb->targets);
  g_array_unref (lb->active);
  g_array_unref (lb->unhealthy);
  g_free (lb->since);
  g_free (lb->credit);
  deadline_ring_clear (&lb->idle);
  g_free (lb);
}

bool
alb_serves (const LoadBalancer *lb, const StratusFleetConfig *fleet)
{
  return stratus_fleet_in_group (fleet, lb->config->target_group);
}

unsigned
alb_add_target (LoadBalancer *lb, Instance *inst)
{
  unsigned slot = lb->targets->len;
  if (slot == lb->slot_cap)
    {
      unsigned cap = lb->slot_cap ? lb->slot_cap * 2 : 16;
      for (unsigned n = 0; n < lb->n_nodes; n++)
        {
          AlbNode *node = &lb->nodes[n];
          node->to_target = g_renew (StratusPathRef, node->to_target, cap);
          node->outstanding = g_renew (uint32_t, node->outstanding, cap);
          memset (node->to_target + lb->slot_cap, 0, sizeof (StratusPathRef) * (cap - lb->slot_cap));
          memset (node->outstanding + lb->slot_cap, 0, sizeof (uint32_t) * (cap - lb->slot_cap));
        }
      lb->since = g_renew (StratusTime, lb->since, cap);
      lb->credit = g_renew (double, lb->credit, cap);
      lb->slot_cap = cap;
    }
  g_ptr_array_add (lb->targets, inst);
  lb->since[slot] = 0;
  lb->credit[slot] = 0;
  return slot;
}

int
alb_slot_of (const LoadBalancer *lb, const Instance *inst)
{
  for (guint t = 0; t < lb->targets->len; t++)
    if (g_ptr_array_index (lb->targets, t) == inst)
      return (int) t;
  return -1;
}

/* Puts `slot` on `list` or takes it off; false if nothing changed. */
static bool
set_listed (LoadBalancer *lb, GArray *list, unsigned slot, bool listed)
{
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, unsigned, i) == slot)
      {
        if (listed)
          return false;
        g_array_remove_index (list, i);
        /* Rotations past the removed target step back, so none skips a target. */
        for (unsigned n = 0; n < lb->n_nodes; n++)
          if (lb->nodes[n].cursor > i)
            lb->nodes[n].cursor--;
        return true;
      }
  if (listed)
    g_array_append_val (list, slot);
  return listed;
}

void
alb_set_in_service (LoadBalancer *lb, unsigned slot, bool in_service)
{
  set_listed (lb, lb->active, slot, in_service);
}

void
alb_set_unhealthy (LoadBalancer *lb, unsigned slot, bool unhealthy)
{
  set_listed (lb, lb->unhealthy, slot, unhealthy);
}

void
alb_start_ramp (LoadBalancer *lb, unsigned slot, StratusTime now)
{
  lb->since[slot] = now;
  lb->credit[slot] = 0;
}

bool
alb_slow_start_takes (LoadBalancer *lb, unsigned slot, StratusTime now)
{
  StratusTime elapsed = now - lb->since[slot];
  if (elapsed >= lb->slow_start)
    return true;
  lb->credit[slot] += (double) elapsed / (double) lb->slow_start;
  if (lb->credit[slot] < 1.0)
    return false;
  lb->credit[slot] -= 1.0;
  return true;
}

void
alb_stagger (LoadBalancer *lb)
{
  for (unsigned n = 0; n < lb->n_nodes; n++)
    lb->nodes[n].cursor = lb->active->len ? (n * lb->active->len) / lb->n_nodes : 0;
}

