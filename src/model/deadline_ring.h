/* A FIFO of deadlines for timeouts that are the same for every item of one owner (a
 * workload's clients, a load balancer's idle timeout): deadlines then come in the order the
 * items were pushed, so one engine timer armed for the oldest live deadline serves them
 * all, O(1) per item and no cancellations. An entry is live while the owner's `live`
 * callback says so (the item may have been answered, or recycled: entries keep the item's
 * generation). Dead entries at the front are dropped on push, so the ring holds about the
 * items still waiting, not every item of the last timeout. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Appends (item, generation, deadline); deadlines must not decrease. */
void deadline_ring_push (DeadlineRing *ring, void *item, uint32_t generation,
                         StratusTime deadline);

/* The oldest live deadline (dropping dead entries from the front), or STRATUS_TIME_NEVER. */
StratusTime deadline_ring_next (DeadlineRing *ring);

/* Pops the oldest live item whose deadline is <= now, one per call; NULL when none. */
void *deadline_ring_pop_expired (DeadlineRing *ring, StratusTime now);
