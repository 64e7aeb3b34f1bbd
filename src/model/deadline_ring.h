/* A FIFO of deadlines for timeouts that are the same for every item of one owner (a
 * workload's clients, a load balancer's idle timeout): deadlines then come in the order the
 * items were pushed, so one engine timer armed for the oldest live deadline serves them
 * all, O(1) per item and no cancellations. An entry is live while the owner's `live`
 * callback says so (the item may have been answered, or recycled: entries keep the item's
 * generation). Dead entries at the front are dropped when the ring is full, before it grows,
 * so it holds about the items still waiting (and those behind the oldest of them), not
 * every item of the last timeout. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stratus/engine.h"
#include "stratus/simtime.h"

typedef struct
{
  void *item;
  uint32_t generation;
  StratusTime deadline;
} DeadlineEntry;

/* True while `entry` still stands for a waiting item. */
typedef bool (*DeadlineLiveFn) (const DeadlineEntry *entry);

typedef struct
{
  DeadlineEntry *ring; /* circular buffer */
  size_t head, len, cap;
  DeadlineLiveFn live;
  bool timer_armed; /* the owner's timer is scheduled */
} DeadlineRing;

/* An empty ring whose entries are live while `live` says so. */
void deadline_ring_init (DeadlineRing *ring, DeadlineLiveFn live);

void deadline_ring_clear (DeadlineRing *ring);

/* Makes room for one more entry (deadline_ring_push calls it when the ring is full). */
void deadline_ring_make_room (DeadlineRing *ring);

/* Appends (item, generation, deadline); deadlines must not decrease. */
static inline void
deadline_ring_push (DeadlineRing *r, void *item, uint32_t generation, StratusTime deadline)
{
  if (r->len == r->cap)
    deadline_ring_make_room (r);
  size_t tail = r->head + r->len;
  if (tail >= r->cap)
    tail -= r->cap;
  r->ring[tail] = (DeadlineEntry){ item, generation, deadline };
  r->len++;
}

/* The oldest live deadline (dropping dead entries from the front), or STRATUS_TIME_NEVER. */
StratusTime deadline_ring_next (DeadlineRing *ring);

/* Arms the owner's timer (`handler` on `owner`, in the engine's timers queue) for the
 * oldest live deadline if it falls at or before `end`; records whether it did. */
void deadline_ring_arm (DeadlineRing *ring, StratusSim *sim, StratusTime end,
                        StratusHandler handler, void *owner);

/* Pops the oldest live item whose deadline is <= now, one per call; NULL when none. */
void *deadline_ring_pop_expired (DeadlineRing *ring, StratusTime now);
