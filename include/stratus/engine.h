/* The discrete-event engine: a clock and an event queue ordered by (time, insertion
 * sequence), so a run is a pure function of its inputs. It knows nothing of clouds. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "stratus/simtime.h"

typedef struct StratusSim StratusSim;

/* Every event handler has this one signature; `target` and `arg` are what was passed to
 * stratus_sim_schedule. Handlers may schedule and cancel events freely. */
typedef void (*StratusHandler) (StratusSim *sim, void *target, uint64_t arg);

/* Called by stratus_sim_run_until about every 65,536 events (progress lines, wall limits). */
typedef void (*StratusProgressFn) (void *user_data, StratusTime now);

/* A handle to a scheduled event, for cancellation. A zeroed handle refers to nothing. */
typedef struct
{
  uint32_t slot;
  uint64_t seq;
} StratusTimer;

/* A new simulation at time 0 with an empty queue. Free with stratus_sim_free. */
StratusSim *stratus_sim_new (void);

/* How many simulations stratus_sim_new has made in this process: lets a test show that
 * something (`stratus validate`) runs without an engine. */
unsigned stratus_sim_created_count (void);

/* Frees the simulation and every pending event (targets are not touched). */
void stratus_sim_free (StratusSim *sim);

/* What handlers read on every event, kept first in a StratusSim so that the accessors below
 * are inline: engine.c owns it; nothing else writes it. */
typedef struct
{
  StratusTime now;
  void *context;
} StratusSimHead;

/* The current simulated time. */
static inline StratusTime
stratus_sim_now (const StratusSim *sim)
{
  return ((const StratusSimHead *) (const void *) sim)->now;
}

/* Schedules at an absolute time (>= now); at STRATUS_TIME_NEVER, as above, nothing is
 * queued and the handle is zero. */
StratusTimer stratus_sim_schedule_at (StratusSim *sim, StratusTime when, StratusHandler handler,
                                      void *target, uint64_t arg);

/* The same for a timer: a long-lived event (a timeout watch, a report tick) that stays
 * queued while many events fire. Timers wait in a queue of their own, so they do not
 * deepen the queue every event goes through; the order of firing is the same as if they
 * were events (by time, then by schedule order across both). */
StratusTimer stratus_sim_schedule_timer_at (StratusSim *sim, StratusTime when,
                                            StratusHandler handler, void *target, uint64_t arg);

/* Schedules handler(sim, target, arg) at now + delay (delay >= 0; a negative delay is a
 * programming error and asserts). Events at equal times fire in the order they were
 * scheduled. now + delay saturates at STRATUS_TIME_NEVER, and an event at
 * STRATUS_TIME_NEVER never fires: it is not queued, and the handle returned is zero. */
static inline StratusTimer
stratus_sim_schedule (StratusSim *sim, StratusTime delay, StratusHandler handler, void *target,
                      uint64_t arg)
{
  g_assert (delay >= 0); /* a negative delay is a programming error, never input */
  return stratus_sim_schedule_at (sim, stratus_time_add (stratus_sim_now (sim), delay), handler,
                                  target, arg);
}

/* Schedules handler(sim, target, arg) at now + delay for a hop whose delay is one of a
 * few constants (a network path's latency): events of equal delay queue first in, first
 * out in a lane of their own, which costs O(1) instead of a heap operation. The order of
 * firing is exactly that of stratus_sim_schedule (by time, then schedule order). Such an
 * event cannot be cancelled. */
void stratus_sim_schedule_hop (StratusSim *sim, StratusTime delay, StratusHandler handler,
                               void *target, uint64_t arg);

/* Cancels a pending event in O(1). Returns false, harmlessly, if it already fired, was
 * cancelled, or the handle is zero. */
bool stratus_sim_cancel (StratusSim *sim, StratusTimer timer);

/* True while the event behind the handle is still to fire. */
bool stratus_sim_is_pending (const StratusSim *sim, StratusTimer timer);

/* Fires every event with time <= end in order, then sets the clock to end (unless stopped
 * early by stratus_sim_stop). Returns the number of events fired by this call. */
uint64_t stratus_sim_run_until (StratusSim *sim, StratusTime end);

/* Makes the running stratus_sim_run_until return after the current event. */
void stratus_sim_stop (StratusSim *sim);

/* Events fired since creation (cancelled ones are not counted). */
uint64_t stratus_sim_events_fired (const StratusSim *sim);

/* Events waiting to fire (cancelled ones not counted). */
size_t stratus_sim_pending_count (const StratusSim *sim);

/* Attaches a caller-owned pointer (the model's world) that handlers can fetch. */
void stratus_sim_set_context (StratusSim *sim, void *context);

/* The pointer given to stratus_sim_set_context (NULL by default). */
static inline void *
stratus_sim_context (const StratusSim *sim)
{
  return ((const StratusSimHead *) (const void *) sim)->context;
}

/* Installs (or, with NULL, removes) the progress callback. */
void stratus_sim_set_progress (StratusSim *sim, StratusProgressFn fn, void *user_data);

/* How the last stratus_sim_run_until ended. */
typedef enum
{
  STRATUS_SIM_END_DONE,        /* reached its end time, or stratus_sim_stop */
  STRATUS_SIM_END_INTERRUPTED, /* the stop flag was set (a signal) */
  STRATUS_SIM_END_EVENT_LIMIT, /* the event limit was reached */
} StratusSimEnd;

/* A caller-owned flag (set by a signal handler) checked with the progress, about every
 * 65,536 events: when it is non-zero the run returns early. NULL removes it. */
void stratus_sim_set_stop_flag (StratusSim *sim, const volatile sig_atomic_t *flag);

/* Ends a run early once `limit` events have fired in total (checked with the progress);
 * 0 means no limit. */
void stratus_sim_set_event_limit (StratusSim *sim, uint64_t limit);

/* Why the last stratus_sim_run_until returned. */
StratusSimEnd stratus_sim_end (const StratusSim *sim);
