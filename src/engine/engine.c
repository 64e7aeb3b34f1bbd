/* Event queue: a 4-ary min-heap of (time, seq, slot) entries plus a pool of event slots,
 * a second heap for long-lived timers, and FIFO lanes for events of a constant delay.
 *
 * Why each key is there: `time` orders events; `seq`, a counter bumped on every schedule,
 * breaks ties in insertion order so that equal-time events fire FIFO and a seed fully
 * determines a run. The slot holds the handler; a handle {slot, seq} cancels in O(1) by
 * clearing the slot's handler, and the dead heap entry is skipped when it surfaces (or
 * dropped by a compaction when dead entries outnumber live ones). */
#include "stratus/engine.h"

#include <glib.h>
#include <stdlib.h>

typedef struct
{
  StratusTime time;
  uint64_t seq;
  uint32_t slot;
} HeapEntry;

typedef struct
{
  StratusHandler handler; /* NULL once cancelled */
  void *target;
  uint64_t arg;
  uint64_t seq;       /* seq of the schedule that owns the slot; 0 when free */
  uint32_t next_free; /* free-list link */
  uint8_t queue;      /* which queue holds its entry: EVENTS or TIMERS */
} Slot;

/* A 4-ary min-heap of entries, with the count of its cancelled ones. */
typedef struct
{
  HeapEntry *entries;
  size_t len, cap;
  size_t cancelled;
} Heap;

enum
{
  EVENTS, /* the model's events */
  TIMERS, /* long-lived timers (timeouts, report ticks): kept apart so that they do not
           * deepen the heap every event goes through */
};

/* Events of one constant delay (stratus_sim_schedule_hop): since the clock only moves
 * forward, they arrive in (time, seq) order, so a FIFO ring keeps them sorted. */
typedef struct
{
  StratusTime time;
  uint64_t seq;
  StratusHandler handler;
  void *target;
  uint64_t arg;
} LaneEntry;

typedef struct
{
  StratusTime delay;
  LaneEntry *ring;
  size_t head, len, cap;
} Lane;

#define MAX_LANES 16

#define NO_SLOT UINT32_MAX
#define ARITY 4
#define PROGRESS_EVERY 65536

struct StratusSim
{
  StratusSimHead head; /* now and context, read inline (engine.h); first */
  uint64_t next_seq;
  uint64_t fired;
  bool stop_requested;

  Heap queues[2]; /* EVENTS and TIMERS; the next event is the earliest of their tops */
  Lane lanes[MAX_LANES]; /* and of the lanes' heads */
  StratusTime lane_time[MAX_LANES]; /* each lane's head, side by side for the scan of every
                                     * pop (STRATUS_TIME_NEVER: empty) */
  uint64_t lane_seq[MAX_LANES];
  unsigned n_lanes;
  unsigned last_lane;   /* the lane used last */

  Slot *slots;
  uint32_t slots_len, slots_cap;
  uint32_t free_slot;

  StratusProgressFn progress;
  void *progress_data;
  const volatile sig_atomic_t *stop_flag; /* caller's; checked with the progress */
  uint64_t event_limit;                   /* 0: none */
  StratusSimEnd end;
};

/* Simulations made since the program started (see stratus_sim_created_count). */
static gint sims_created;

StratusSim *
stratus_sim_new (void)
{
  g_atomic_int_inc (&sims_created);
  StratusSim *sim = g_new0 (StratusSim, 1);
  sim->next_seq = 1;
  sim->free_slot = NO_SLOT;
  return sim;
}

unsigned
stratus_sim_created_count (void)
{
  return (unsigned) g_atomic_int_get (&sims_created);
}

void
stratus_sim_free (StratusSim *sim)
{
  if (sim == NULL)
    return;
  g_free (sim->queues[EVENTS].entries);
  g_free (sim->queues[TIMERS].entries);
  for (unsigned k = 0; k < sim->n_lanes; k++)
    g_free (sim->lanes[k].ring);
  g_free (sim->slots);
  g_free (sim);
}


static inline bool
entry_before (const HeapEntry *a, const HeapEntry *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void
sift_up (Heap *heap, size_t i, HeapEntry e)
{
  HeapEntry *h = heap->entries;
  while (i > 0)
    {
      size_t parent = (i - 1) / ARITY;
      if (!entry_before (&e, &h[parent]))
        break;
      h[i] = h[parent];
      i = parent;
    }
  h[i] = e;
}

static void
sift_down (Heap *heap, size_t i, HeapEntry e)
{
  HeapEntry *h = heap->entries;
  size_t n = heap->len;
  for (;;)
    {
      size_t first = i * ARITY + 1;
      if (first >= n)
        break;
      size_t best = first;
      size_t last = first + ARITY < n ? first + ARITY : n;
      for (size_t c = first + 1; c < last; c++)
        if (entry_before (&h[c], &h[best]))
          best = c;
      if (!entry_before (&h[best], &e))
        break;
      h[i] = h[best];
      i = best;
    }
  h[i] = e;
}

static uint32_t
slot_alloc (StratusSim *sim)
{
  if (sim->free_slot != NO_SLOT)
    {
      uint32_t s = sim->free_slot;
      sim->free_slot = sim->slots[s].next_free;
      return s;
    }
  if (sim->slots_len == sim->slots_cap)
    {
      g_assert (sim->slots_cap < UINT32_MAX / 2);
      sim->slots_cap = sim->slots_cap ? sim->slots_cap * 2 : 256;
      sim->slots = g_renew (Slot, sim->slots, sim->slots_cap);
    }
  return sim->slots_len++;
}

static void
slot_release (StratusSim *sim, uint32_t s)
{
  sim->slots[s].seq = 0;
  sim->slots[s].handler = NULL;
  sim->slots[s].next_free = sim->free_slot;
  sim->free_slot = s;
}

/* Queues handler(sim, target, arg) at `when` in queue `q`. */
static StratusTimer
schedule_in (StratusSim *sim, int q, StratusTime when, StratusHandler handler, void *target,
             uint64_t arg)
{
  g_assert (handler != NULL);
  g_assert (when >= sim->head.now);
  if (when == STRATUS_TIME_NEVER)
    return (StratusTimer){ 0, 0 }; /* it would never fire: keep no slot for it */
  uint32_t s = slot_alloc (sim);
  uint64_t seq = sim->next_seq++;
  sim->slots[s] = (Slot){ .handler = handler, .target = target, .arg = arg, .seq = seq,
                          .queue = (uint8_t) q };
  Heap *heap = &sim->queues[q];
  if (heap->len == heap->cap)
    {
      heap->cap = heap->cap ? heap->cap * 2 : 256;
      heap->entries = g_renew (HeapEntry, heap->entries, heap->cap);
    }
  heap->len++;
  sift_up (heap, heap->len - 1, (HeapEntry){ .time = when, .seq = seq, .slot = s });
  return (StratusTimer){ .slot = s, .seq = seq };
}

StratusTimer
stratus_sim_schedule_at (StratusSim *sim, StratusTime when, StratusHandler handler, void *target,
                         uint64_t arg)
{
  return schedule_in (sim, EVENTS, when, handler, target, arg);
}

StratusTimer
stratus_sim_schedule_timer_at (StratusSim *sim, StratusTime when, StratusHandler handler,
                               void *target, uint64_t arg)
{
  return schedule_in (sim, TIMERS, when, handler, target, arg);
}

/* The lane of events `delay` after their scheduling, made if needed; NULL when every lane
 * is taken by other delays. */
static inline Lane *
lane_for (StratusSim *sim, StratusTime delay)
{
  if (G_LIKELY (sim->n_lanes > 0 && sim->lanes[sim->last_lane].delay == delay))
    return &sim->lanes[sim->last_lane];
  for (unsigned k = 0; k < sim->n_lanes; k++)
    if (sim->lanes[k].delay == delay)
      {
        sim->last_lane = k;
        return &sim->lanes[k];
      }
  if (sim->n_lanes == MAX_LANES)
    return NULL;
  sim->last_lane = sim->n_lanes;
  sim->lane_time[sim->n_lanes] = STRATUS_TIME_NEVER;
  sim->lane_seq[sim->n_lanes] = UINT64_MAX;
  Lane *lane = &sim->lanes[sim->n_lanes++];
  *lane = (Lane){ .delay = delay };
  return lane;
}
void
stratus_sim_schedule_hop (StratusSim *sim, StratusTime delay, StratusHandler handler,
                          void *target, uint64_t arg)
{
  g_assert (handler != NULL && delay >= 0);
  StratusTime when = stratus_time_add (sim->head.now, delay);
  if (when == STRATUS_TIME_NEVER)
    return;
  Lane *lane = lane_for (sim, delay);
  if (lane == NULL)
    {
      schedule_in (sim, EVENTS, when, handler, target, arg);
      return;
    }
  if (lane->len == lane->cap)
    {
      /* Grow the ring (a power of two), unrolling it so that the oldest entry is first. */
      size_t cap = lane->cap ? lane->cap * 2 : 64;
      LaneEntry *ring = g_new (LaneEntry, cap);
      for (size_t i = 0; i < lane->len; i++)
        ring[i] = lane->ring[(lane->head + i) & (lane->cap - 1)];
      g_free (lane->ring);
      lane->ring = ring;
      lane->cap = cap;
      lane->head = 0;
    }
  uint64_t seq = sim->next_seq++;
  lane->ring[(lane->head + lane->len) & (lane->cap - 1)]
    = (LaneEntry){ .time = when, .seq = seq, .handler = handler, .target = target, .arg = arg };
  if (lane->len++ == 0)
    {
      unsigned k = (unsigned) (lane - sim->lanes);
      sim->lane_time[k] = when;
      sim->lane_seq[k] = seq;
    }
}

bool
stratus_sim_is_pending (const StratusSim *sim, StratusTimer timer)
{
  return timer.seq != 0 && timer.slot < sim->slots_len && sim->slots[timer.slot].seq == timer.seq
         && sim->slots[timer.slot].handler != NULL;
}

/* Drops every cancelled entry of `heap` and rebuilds it: O(n), run when dead entries
 * dominate. */
static void
compact (StratusSim *sim, Heap *heap)
{
  size_t kept = 0;
  for (size_t i = 0; i < heap->len; i++)
    {
      HeapEntry e = heap->entries[i];
      if (sim->slots[e.slot].handler == NULL)
        slot_release (sim, e.slot);
      else
        heap->entries[kept++] = e;
    }
  heap->len = kept;
  heap->cancelled = 0;
  if (kept > 1)
    for (size_t i = (kept - 2) / ARITY + 1; i-- > 0;)
      sift_down (heap, i, heap->entries[i]);
}

bool
stratus_sim_cancel (StratusSim *sim, StratusTimer timer)
{
  if (!stratus_sim_is_pending (sim, timer))
    return false;
  sim->slots[timer.slot].handler = NULL;
  Heap *heap = &sim->queues[sim->slots[timer.slot].queue];
  heap->cancelled++;
  if (heap->cancelled > 64 && heap->cancelled * 2 > heap->len)
    compact (sim, heap);
  return true;
}

/* Where the next event waits: a heap (EVENTS, TIMERS) or a lane (2 + its index); -1 when
 * nothing is queued. Its time and sequence in *time, *seq. An empty source stands as
 * (NEVER, UINT64_MAX), which nothing queued compares after, so the scan of the lanes needs
 * no test of emptiness and compiles to conditional moves. */
static inline int
next_source (StratusSim *sim, StratusTime *time, uint64_t *seq)
{
  int best = -1;
  StratusTime t = STRATUS_TIME_NEVER;
  uint64_t q = UINT64_MAX;
  for (int h = EVENTS; h <= TIMERS; h++)
    {
      const Heap *heap = &sim->queues[h];
      if (heap->len > 0
          && (heap->entries[0].time < t
              || (heap->entries[0].time == t && heap->entries[0].seq < q)))
        {
          best = h;
          t = heap->entries[0].time;
          q = heap->entries[0].seq;
        }
    }
  for (unsigned k = 0; k < sim->n_lanes; k++)
    {
      StratusTime lt = sim->lane_time[k];
      uint64_t lq = sim->lane_seq[k];
      bool earlier = (lt < t) | ((lt == t) & (lq < q));
      best = earlier ? 2 + (int) k : best;
      t = earlier ? lt : t;
      q = earlier ? lq : q;
    }
  *time = t;
  *seq = q;
  return best;
}

/* Takes the next event out of `source` into *handler, *target, *arg; false for a
 * cancelled one (nothing to fire). */
static inline bool
take (StratusSim *sim, int source, StratusHandler *handler, void **target, uint64_t *arg)
{
  if (source >= 2)
    {
      Lane *lane = &sim->lanes[source - 2];
      LaneEntry *e = &lane->ring[lane->head];
      *handler = e->handler;
      *target = e->target;
      *arg = e->arg;
      lane->head = (lane->head + 1) & (lane->cap - 1);
      lane->len--;
      unsigned k = (unsigned) (source - 2);
      sim->lane_time[k] = lane->len > 0 ? lane->ring[lane->head].time : STRATUS_TIME_NEVER;
      sim->lane_seq[k] = lane->len > 0 ? lane->ring[lane->head].seq : UINT64_MAX;
      return true;
    }
  Heap *heap = &sim->queues[source];
  HeapEntry top = heap->entries[0];
  heap->len--;
  if (heap->len > 0)
    sift_down (heap, 0, heap->entries[heap->len]);
  Slot slot = sim->slots[top.slot];
  slot_release (sim, top.slot);
  if (slot.handler == NULL)
    {
      heap->cancelled--;
      return false;
    }
  *handler = slot.handler;
  *target = slot.target;
  *arg = slot.arg;
  return true;
}

uint64_t
stratus_sim_run_until (StratusSim *sim, StratusTime end)
{
  uint64_t fired_before = sim->fired;
  uint64_t until_progress = PROGRESS_EVERY;
  sim->stop_requested = false;
  sim->end = STRATUS_SIM_END_DONE;
  int source;
  StratusTime time;
  uint64_t seq;
  while ((source = next_source (sim, &time, &seq)) >= 0 && time <= end)
    {
      StratusHandler handler;
      void *target;
      uint64_t arg;
      if (!take (sim, source, &handler, &target, &arg))
        continue;
      sim->head.now = time;
      sim->fired++;
      handler (sim, target, arg);
      if (sim->stop_requested)
        return sim->fired - fired_before;
      if (--until_progress == 0)
        {
          until_progress = PROGRESS_EVERY;
          if (sim->progress != NULL)
            sim->progress (sim->progress_data, sim->head.now);
          if (sim->stop_flag != NULL && *sim->stop_flag)
            {
              sim->end = STRATUS_SIM_END_INTERRUPTED;
              return sim->fired - fired_before;
            }
          if (sim->event_limit != 0 && sim->fired >= sim->event_limit)
            {
              sim->end = STRATUS_SIM_END_EVENT_LIMIT;
              return sim->fired - fired_before;
            }
        }
    }
  if (end > sim->head.now)
    sim->head.now = end;
  return sim->fired - fired_before;
}

void
stratus_sim_stop (StratusSim *sim)
{
  sim->stop_requested = true;
}

uint64_t
stratus_sim_events_fired (const StratusSim *sim)
{
  return sim->fired;
}

size_t
stratus_sim_pending_count (const StratusSim *sim)
{
  size_t n = sim->queues[EVENTS].len - sim->queues[EVENTS].cancelled + sim->queues[TIMERS].len
             - sim->queues[TIMERS].cancelled;
  for (unsigned k = 0; k < sim->n_lanes; k++)
    n += sim->lanes[k].len;
  return n;
}

void
stratus_sim_set_progress (StratusSim *sim, StratusProgressFn fn, void *user_data)
{
  sim->progress = fn;
  sim->progress_data = user_data;
}

void
stratus_sim_set_stop_flag (StratusSim *sim, const volatile sig_atomic_t *flag)
{
  sim->stop_flag = flag;
}

void
stratus_sim_set_event_limit (StratusSim *sim, uint64_t limit)
{
  sim->event_limit = limit;
}

StratusSimEnd
stratus_sim_end (const StratusSim *sim)
{
  return sim->end;
}

void
stratus_sim_set_context (StratusSim *sim, void *context)
{
  sim->head.context = context;
}

