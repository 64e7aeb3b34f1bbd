/* Event queue: a 4-ary min-heap of (time, seq, slot) entries plus a pool of event slots.
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
} Slot;

#define NO_SLOT UINT32_MAX
#define ARITY 4
#define PROGRESS_EVERY 65536

struct StratusSim
{
  StratusTime now;
  uint64_t next_seq;
  uint64_t fired;
  bool stop_requested;

  HeapEntry *heap;
  size_t heap_len, heap_cap;
  size_t cancelled_in_heap;

  Slot *slots;
  uint32_t slots_len, slots_cap;
  uint32_t free_slot;

  StratusProgressFn progress;
  void *progress_data;
  void *context;
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
  g_free (sim->heap);
  g_free (sim->slots);
  g_free (sim);
}

StratusTime
stratus_sim_now (const StratusSim *sim)
{
  return sim->now;
}

static inline bool
entry_before (const HeapEntry *a, const HeapEntry *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void
sift_up (StratusSim *sim, size_t i, HeapEntry e)
{
  HeapEntry *h = sim->heap;
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
sift_down (StratusSim *sim, size_t i, HeapEntry e)
{
  HeapEntry *h = sim->heap;
  size_t n = sim->heap_len;
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

StratusTimer
stratus_sim_schedule_at (StratusSim *sim, StratusTime when, StratusHandler handler, void *target,
                         uint64_t arg)
{
  g_assert (handler != NULL);
  g_assert (when >= sim->now);
  if (when == STRATUS_TIME_NEVER)
    return (StratusTimer){ 0, 0 }; /* it would never fire: keep no slot for it */
  uint32_t s = slot_alloc (sim);
  uint64_t seq = sim->next_seq++;
  sim->slots[s] = (Slot){ .handler = handler, .target = target, .arg = arg, .seq = seq };
  if (sim->heap_len == sim->heap_cap)
    {
      sim->heap_cap = sim->heap_cap ? sim->heap_cap * 2 : 256;
      sim->heap = g_renew (HeapEntry, sim->heap, sim->heap_cap);
    }
  sim->heap_len++;
  sift_up (sim, sim->heap_len - 1, (HeapEntry){ .time = when, .seq = seq, .slot = s });
  return (StratusTimer){ .slot = s, .seq = seq };
}

StratusTimer
stratus_sim_schedule (StratusSim *sim, StratusTime delay, StratusHandler handler, void *target,
                      uint64_t arg)
{
  g_assert (delay >= 0); /* a negative delay is a programming error, never input */
  return stratus_sim_schedule_at (sim, stratus_time_add (sim->now, delay), handler, target, arg);
}

bool
stratus_sim_is_pending (const StratusSim *sim, StratusTimer timer)
{
  return timer.seq != 0 && timer.slot < sim->slots_len && sim->slots[timer.slot].seq == timer.seq
         && sim->slots[timer.slot].handler != NULL;
}

/* Drops every cancelled entry and rebuilds the heap: O(n), run when dead entries dominate. */
static void
compact (StratusSim *sim)
{
  size_t kept = 0;
  for (size_t i = 0; i < sim->heap_len; i++)
    {
      HeapEntry e = sim->heap[i];
      if (sim->slots[e.slot].handler == NULL)
        slot_release (sim, e.slot);
      else
        sim->heap[kept++] = e;
    }
  sim->heap_len = kept;
  sim->cancelled_in_heap = 0;
  if (kept > 1)
    for (size_t i = (kept - 2) / ARITY + 1; i-- > 0;)
      sift_down (sim, i, sim->heap[i]);
}

bool
stratus_sim_cancel (StratusSim *sim, StratusTimer timer)
{
  if (!stratus_sim_is_pending (sim, timer))
    return false;
  sim->slots[timer.slot].handler = NULL;
  sim->cancelled_in_heap++;
  if (sim->cancelled_in_heap > 1024 && sim->cancelled_in_heap * 2 > sim->heap_len)
    compact (sim);
  return true;
}

uint64_t
stratus_sim_run_until (StratusSim *sim, StratusTime end)
{
  uint64_t fired_before = sim->fired;
  uint64_t until_progress = PROGRESS_EVERY;
  sim->stop_requested = false;
  sim->end = STRATUS_SIM_END_DONE;
  while (sim->heap_len > 0 && sim->heap[0].time <= end)
    {
      HeapEntry top = sim->heap[0];
      sim->heap_len--;
      if (sim->heap_len > 0)
        sift_down (sim, 0, sim->heap[sim->heap_len]);

      Slot slot = sim->slots[top.slot];
      slot_release (sim, top.slot);
      if (slot.handler == NULL)
        {
          sim->cancelled_in_heap--;
          continue;
        }
      sim->now = top.time;
      sim->fired++;
      slot.handler (sim, slot.target, slot.arg);
      if (sim->stop_requested)
        return sim->fired - fired_before;
      if (--until_progress == 0)
        {
          until_progress = PROGRESS_EVERY;
          if (sim->progress != NULL)
            sim->progress (sim->progress_data, sim->now);
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
  if (end > sim->now)
    sim->now = end;
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
  return sim->heap_len - sim->cancelled_in_heap;
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
  sim->context = context;
}

void *
stratus_sim_context (const StratusSim *sim)
{
  return sim->context;
}
