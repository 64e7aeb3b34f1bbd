/* Client side of a workload: DNS rotation and the deadline FIFO. */
#include "workload.h"

Workload *
workload_new (const StratusWorkloadConfig *config, LoadBalancer *entry, gsl_rng *rng)
{
  Workload *wl = g_new0 (Workload, 1);
  wl->config = config;
  wl->entry = entry;
  wl->rng = rng;
  arrivals_init (&wl->arrivals, &config->rate, rng);
  return wl;
}

void
workload_free (Workload *wl)
{
  if (wl == NULL)
    return;
  gsl_rng_free (wl->rng);
  g_free (wl->ring);
  g_free (wl);
}

unsigned
workload_pick_node (Workload *wl)
{
  unsigned node = wl->next_node;
  wl->next_node = node + 1 == wl->entry->n_nodes ? 0 : node + 1;
  return node;
}

static void
ring_grow (Workload *wl)
{
  size_t cap = wl->ring_cap ? wl->ring_cap * 2 : 1024;
  Deadline *ring = g_new (Deadline, cap);
  for (size_t i = 0; i < wl->ring_len; i++)
    ring[i] = wl->ring[(wl->ring_head + i) % wl->ring_cap];
  g_free (wl->ring);
  wl->ring = ring;
  wl->ring_cap = cap;
  wl->ring_head = 0;
}

void
workload_push_deadline (Workload *wl, Request *r)
{
  if (wl->config->timeout == STRATUS_TIME_NEVER)
    return;
  if (wl->ring_len == wl->ring_cap)
    ring_grow (wl);
  size_t tail = wl->ring_head + wl->ring_len;
  if (tail >= wl->ring_cap)
    tail -= wl->ring_cap;
  /* Saturates: both terms are at most 100 years (scenario limits), but never overflows. */
  wl->ring[tail] = (Deadline){ r, r->generation, stratus_time_add (r->sent, wl->config->timeout) };
  wl->ring_len++;
}

static inline bool
entry_live (const Deadline *d)
{
  return d->request->generation == d->generation && d->request->state == REQUEST_IN_FLIGHT;
}

static inline void
ring_pop (Workload *wl)
{
  wl->ring_head = wl->ring_head + 1 == wl->ring_cap ? 0 : wl->ring_head + 1;
  wl->ring_len--;
}

StratusTime
workload_next_deadline (Workload *wl)
{
  while (wl->ring_len > 0 && !entry_live (&wl->ring[wl->ring_head]))
    ring_pop (wl);
  return wl->ring_len > 0 ? wl->ring[wl->ring_head].deadline : STRATUS_TIME_NEVER;
}

Request *
workload_pop_expired (Workload *wl, StratusTime now)
{
  if (workload_next_deadline (wl) > now)
    return NULL;
  Request *r = wl->ring[wl->ring_head].request;
  ring_pop (wl);
  return r;
}
