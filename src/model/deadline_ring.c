/* FIFO of deadlines in a circular buffer. */
#include "deadline_ring.h"

#include <glib.h>

void
deadline_ring_init (DeadlineRing *ring, DeadlineLiveFn live)
{
  *ring = (DeadlineRing){ .live = live };
}

void
deadline_ring_clear (DeadlineRing *ring)
{
  g_free (ring->ring);
  *ring = (DeadlineRing){ .live = ring->live };
}

/* Doubles the ring's room, entries kept in order from index 0. */
static void
ring_grow (DeadlineRing *r)
{
  size_t cap = r->cap ? r->cap * 2 : 1024;
  DeadlineEntry *ring = g_new (DeadlineEntry, cap);
  for (size_t i = 0; i < r->len; i++)
    ring[i] = r->ring[(r->head + i) % r->cap];
  g_free (r->ring);
  r->ring = ring;
  r->cap = cap;
  r->head = 0;
}

/* Drops the front entry. */
static inline void
ring_pop (DeadlineRing *r)
{
  r->head = r->head + 1 == r->cap ? 0 : r->head + 1;
  r->len--;
}

/* Drops dead entries from the front. */
static inline void
drop_dead (DeadlineRing *r)
{
  while (r->len > 0 && !r->live (&r->ring[r->head]))
    ring_pop (r);
}

void
deadline_ring_make_room (DeadlineRing *r)
{
  /* Full: make room from the front first (answered items), grow only if that fails. */
  drop_dead (r);
  if (r->len == r->cap || r->len * 2 > r->cap)
    ring_grow (r);
}

StratusTime
deadline_ring_next (DeadlineRing *r)
{
  drop_dead (r);
  return r->len > 0 ? r->ring[r->head].deadline : STRATUS_TIME_NEVER;
}

void *
deadline_ring_pop_expired (DeadlineRing *r, StratusTime now)
{
  if (deadline_ring_next (r) > now)
    return NULL;
  void *item = r->ring[r->head].item;
  ring_pop (r);
  return item;
}

void
deadline_ring_arm (DeadlineRing *r, StratusSim *sim, StratusTime end, StratusHandler handler,
                   void *owner)
{
  StratusTime next = deadline_ring_next (r);
  r->timer_armed = next <= end;
  if (r->timer_armed)
    stratus_sim_schedule_timer_at (sim, next, handler, owner, 0);
}
