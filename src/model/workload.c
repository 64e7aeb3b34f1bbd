/* Client side of a workload: DNS rotation and the deadlines. */
#include "workload.h"

/* A deadline entry is live while its client still waits. */
static bool
client_waiting (const DeadlineEntry *e)
{
  const Request *r = e->item;
  return r->generation == e->generation && r->state == REQUEST_IN_FLIGHT;
}

Workload *
workload_new (const StratusWorkloadConfig *config, LoadBalancer *entry, gsl_rng *rng)
{
  Workload *wl = g_new0 (Workload, 1);
  wl->config = config;
  wl->entry = entry;
  wl->rng = rng;
  wl->retry_tokens = config->retry_quota;
  arrivals_init (&wl->arrivals, &config->rate, rng);
  deadline_ring_init (&wl->deadlines, client_waiting);
  return wl;
}

void
workload_free (Workload *wl)
{
  if (wl == NULL)
    return;
  gsl_rng_free (wl->rng);
  if (wl->retry_rng != NULL)
    gsl_rng_free (wl->retry_rng);
  deadline_ring_clear (&wl->deadlines);
  g_free (wl);
}

unsigned
workload_pick_node (Workload *wl, StratusTime now)
{
  const LoadBalancer *lb = wl->entry;
  for (unsigned k = 0; k < lb->n_nodes; k++)
    {
      unsigned node = wl->next_node;
      wl->next_node = node + 1 == lb->n_nodes ? 0 : node + 1;
      StratusTime out = lb->nodes[node].dns_out_at;
      if (G_LIKELY (out == STRATUS_TIME_NEVER)
          || now < stratus_time_add (out, wl->config->dns_ttl))
        return node;
    }
  unsigned node = wl->next_node; /* DNS names none: the clients try what they have */
  wl->next_node = node + 1 == lb->n_nodes ? 0 : node + 1;
  return node;
}

void
workload_push_deadline (Workload *wl, Request *r)
{
  /* Saturates: both terms are at most 100 years (scenario limits), but never overflows. */
  deadline_ring_push (&wl->deadlines, r, r->generation,
                      stratus_time_add (r->sent, wl->config->timeout));
}
