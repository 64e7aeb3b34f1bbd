/* Unit tests of the discrete-event engine: ordering, cancellation, run_until, stop,
 * counters, context and the progress callback; saturating time sums and events at
 * STRATUS_TIME_NEVER; arrivals and instances at the input limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "model/arrivals.h"
#include "model/instance.h"
#include "model/station.h"
#include "stratus/dist.h"
#include "stratus/engine.h"
#include "stratus/rng.h"
#include "stratus/units.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* What the recording handler saw: the clock and the arg of every event, in firing order. */
typedef struct
{
  StratusTime *times;
  uint64_t *args;
  size_t len, cap;
} Log;

static void
log_init (Log *log)
{
  log->times = NULL;
  log->args = NULL;
  log->len = 0;
  log->cap = 0;
}

static void
log_clear (Log *log)
{
  g_free (log->times);
  g_free (log->args);
  log_init (log);
}

static void
record (StratusSim *sim, void *target, uint64_t arg)
{
  Log *log = target;
  if (log->len == log->cap)
    {
      log->cap = log->cap ? log->cap * 2 : 64;
      log->times = g_renew (StratusTime, log->times, log->cap);
      log->args = g_renew (uint64_t, log->args, log->cap);
    }
  log->times[log->len] = stratus_sim_now (sim);
  log->args[log->len] = arg;
  log->len++;
}

static void
noop (StratusSim *sim, void *target, uint64_t arg)
{
  (void) sim;
  (void) target;
  (void) arg;
}

/* xorshift64*: a small deterministic generator for the randomized tests. */
static uint64_t
next_random (uint64_t *state)
{
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

/* ---- basic ordering -------------------------------------------------------------------- */

static void
engine_new_sim_starts_at_zero_and_empty (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  assert_int_equal (stratus_sim_now (sim), 0);
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  assert_int_equal (stratus_sim_events_fired (sim), 0);
  assert_null (stratus_sim_context (sim));
  assert_int_equal (stratus_sim_run_until (sim, 100), 0);
  assert_int_equal (stratus_sim_now (sim), 100);
  stratus_sim_free (sim);
}

static void
engine_events_fire_in_time_order (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  const StratusTime times[] = { 50, 10, 30, 20, 40, 5, 45, 0, 25 };
  const size_t n = G_N_ELEMENTS (times);
  for (size_t i = 0; i < n; i++)
    stratus_sim_schedule (sim, times[i], record, &log, (uint64_t) times[i]);
  assert_int_equal (stratus_sim_run_until (sim, 1000), n);
  assert_int_equal (log.len, n);
  for (size_t i = 0; i < n; i++)
    {
      /* The clock reads the event's time when its handler runs. */
      assert_int_equal (log.times[i], (StratusTime) log.args[i]);
      if (i > 0)
        assert_true (log.times[i - 1] < log.times[i]);
    }
  assert_int_equal (log.times[0], 0);
  assert_int_equal (log.times[n - 1], 50);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_equal_times_fire_in_insertion_order (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  /* Many events on a handful of times, interleaved, so that the heap has to reorder
   * equal-time entries: within each time they must come out in the order scheduled. */
  const size_t n = 20000;
  uint64_t rng = 12345;
  for (size_t i = 0; i < n; i++)
    {
      StratusTime t = (StratusTime) (next_random (&rng) % 7) * 100;
      stratus_sim_schedule_at (sim, t, record, &log, ((uint64_t) t << 32) | i);
    }
  stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1);
  assert_int_equal (log.len, n);
  for (size_t i = 1; i < n; i++)
    {
      uint64_t prev = log.args[i - 1], cur = log.args[i];
      assert_true ((prev >> 32) <= (cur >> 32));
      if ((prev >> 32) == (cur >> 32))
        assert_true ((prev & 0xffffffffu) < (cur & 0xffffffffu));
    }
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_simple_ties_are_fifo (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  for (uint64_t i = 0; i < 10; i++)
    stratus_sim_schedule (sim, 7, record, &log, i);
  stratus_sim_run_until (sim, 7);
  assert_int_equal (log.len, 10);
  for (uint64_t i = 0; i < 10; i++)
    {
      assert_int_equal (log.args[i], i);
      assert_int_equal (log.times[i], 7);
    }
  log_clear (&log);
  stratus_sim_free (sim);
}

/* ---- scheduling from handlers --------------------------------------------------------- */

typedef struct
{
  Log log;
  uint64_t remaining;
  StratusTime step;
} Chain;

static void
chain_step (StratusSim *sim, void *target, uint64_t arg)
{
  Chain *c = target;
  record (sim, &c->log, arg);
  if (c->remaining > 0)
    {
      c->remaining--;
      stratus_sim_schedule (sim, c->step, chain_step, c, arg + 1);
    }
}

static void
engine_handlers_can_schedule_more_events (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Chain c = { .remaining = 999, .step = 7 };
  log_init (&c.log);
  stratus_sim_schedule (sim, 3, chain_step, &c, 0);
  assert_int_equal (stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1), 1000);
  assert_int_equal (c.log.len, 1000);
  for (size_t i = 0; i < c.log.len; i++)
    {
      assert_int_equal (c.log.args[i], i);
      /* delay is relative to the clock at the time of scheduling */
      assert_int_equal (c.log.times[i], 3 + 7 * (StratusTime) i);
    }
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  log_clear (&c.log);
  stratus_sim_free (sim);
}

typedef struct
{
  Log *log;
  StratusTimer victim;
  bool cancel_result;
} Spawner;

static void
spawn_zero_delay (StratusSim *sim, void *target, uint64_t arg)
{
  Spawner *s = target;
  record (sim, s->log, arg);
  /* A zero delay lands at the current time, after events already queued for it. */
  stratus_sim_schedule (sim, 0, record, s->log, 100);
  stratus_sim_schedule_at (sim, stratus_sim_now (sim) + 1, record, s->log, 101);
  s->cancel_result = stratus_sim_cancel (sim, s->victim);
}

static void
engine_zero_delay_from_handler_fires_after_queued_equal_time_events (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  Spawner sp = { .log = &log };
  stratus_sim_schedule (sim, 10, spawn_zero_delay, &sp, 1);
  stratus_sim_schedule (sim, 10, record, &log, 2);
  stratus_sim_schedule (sim, 10, record, &log, 3);
  sp.victim = stratus_sim_schedule (sim, 10, record, &log, 4); /* cancelled by the spawner */
  stratus_sim_schedule (sim, 11, record, &log, 5);
  stratus_sim_run_until (sim, 100);
  assert_true (sp.cancel_result);
  const uint64_t expected_args[] = { 1, 2, 3, 100, 5, 101 };
  const StratusTime expected_times[] = { 10, 10, 10, 10, 11, 11 };
  assert_int_equal (log.len, G_N_ELEMENTS (expected_args));
  for (size_t i = 0; i < log.len; i++)
    {
      assert_int_equal (log.args[i], expected_args[i]);
      assert_int_equal (log.times[i], expected_times[i]);
    }
  log_clear (&log);
  stratus_sim_free (sim);
}

/* ---- cancellation -------------------------------------------------------------------- */

static void
engine_cancelled_event_never_fires (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  stratus_sim_schedule (sim, 10, record, &log, 1);
  StratusTimer t2 = stratus_sim_schedule (sim, 20, record, &log, 2);
  stratus_sim_schedule (sim, 30, record, &log, 3);
  StratusTimer t4 = stratus_sim_schedule (sim, 20, record, &log, 4);
  assert_true (stratus_sim_cancel (sim, t2));
  assert_true (stratus_sim_cancel (sim, t4));
  assert_int_equal (stratus_sim_pending_count (sim), 2);
  assert_int_equal (stratus_sim_run_until (sim, 100), 2);
  assert_int_equal (log.len, 2);
  assert_int_equal (log.args[0], 1);
  assert_int_equal (log.args[1], 3);
  assert_int_equal (stratus_sim_events_fired (sim), 2);
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_cancel_returns_false_for_fired_cancelled_or_zero_handle (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  StratusTimer zero = { 0 };
  assert_false (stratus_sim_cancel (sim, zero));
  assert_false (stratus_sim_is_pending (sim, zero));

  StratusTimer fired = stratus_sim_schedule (sim, 1, record, &log, 1);
  StratusTimer cancelled = stratus_sim_schedule (sim, 50, record, &log, 2);
  assert_true (stratus_sim_cancel (sim, cancelled));
  assert_false (stratus_sim_cancel (sim, cancelled)); /* twice */
  stratus_sim_run_until (sim, 10);
  assert_false (stratus_sim_cancel (sim, fired));
  assert_false (stratus_sim_cancel (sim, cancelled));
  assert_false (stratus_sim_cancel (sim, zero));
  /* A handle to a slot the queue never allocated is rejected too. */
  StratusTimer bogus = { .slot = 1000000, .seq = 5 };
  assert_false (stratus_sim_cancel (sim, bogus));
  assert_false (stratus_sim_is_pending (sim, bogus));
  assert_int_equal (log.len, 1);
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_is_pending_tracks_event_lifecycle (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  StratusTimer a = stratus_sim_schedule (sim, 10, record, &log, 1);
  StratusTimer b = stratus_sim_schedule (sim, 20, record, &log, 2);
  assert_true (stratus_sim_is_pending (sim, a));
  assert_true (stratus_sim_is_pending (sim, b));
  stratus_sim_run_until (sim, 15);
  assert_false (stratus_sim_is_pending (sim, a));
  assert_true (stratus_sim_is_pending (sim, b));
  assert_true (stratus_sim_cancel (sim, b));
  assert_false (stratus_sim_is_pending (sim, b));

  /* The freed slots get reused: stale handles must not see (or cancel) the new events. */
  stratus_sim_run_until (sim, 30); /* pops b's dead entry, releasing its slot */
  StratusTimer c = stratus_sim_schedule (sim, 5, record, &log, 3);
  StratusTimer d = stratus_sim_schedule (sim, 5, record, &log, 4);
  assert_true (c.slot == a.slot || c.slot == b.slot || d.slot == a.slot || d.slot == b.slot);
  assert_false (stratus_sim_is_pending (sim, a));
  assert_false (stratus_sim_is_pending (sim, b));
  assert_false (stratus_sim_cancel (sim, a));
  assert_false (stratus_sim_cancel (sim, b));
  assert_true (stratus_sim_is_pending (sim, c));
  assert_true (stratus_sim_is_pending (sim, d));
  assert_int_equal (stratus_sim_run_until (sim, 100), 2);
  assert_int_equal (log.len, 3);
  assert_int_equal (log.args[1], 3);
  assert_int_equal (log.args[2], 4);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_cancelling_many_events_keeps_order_of_the_rest (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  /* 6000 events at random times; cancel 5000 (well over 2048: dead entries come to
   * outnumber live ones, so the heap gets compacted, more than once). */
  const size_t n = 6000;
  StratusTimer *timers = g_new (StratusTimer, n);
  StratusTime *when = g_new (StratusTime, n);
  uint64_t rng = 99;
  for (size_t i = 0; i < n; i++)
    {
      when[i] = (StratusTime) (next_random (&rng) % 1000);
      timers[i] = stratus_sim_schedule_at (sim, when[i], record, &log, i);
    }
  size_t kept = 0;
  for (size_t i = 0; i < n; i++)
    if (i % 6 != 0)
      assert_true (stratus_sim_cancel (sim, timers[i]));
    else
      kept++;
  assert_int_equal (stratus_sim_pending_count (sim), kept);
  for (size_t i = 0; i < n; i++)
    assert_int_equal (stratus_sim_is_pending (sim, timers[i]), i % 6 == 0);

  /* Handles of survivors still work after compaction: cancel a few more. */
  assert_true (stratus_sim_cancel (sim, timers[0]));
  assert_true (stratus_sim_cancel (sim, timers[6]));
  kept -= 2;
  assert_false (stratus_sim_cancel (sim, timers[1]));
  /* New events scheduled after the compaction interleave properly. */
  for (size_t i = 0; i < 100; i++)
    {
      when[i] = (StratusTime) (next_random (&rng) % 1000);
      stratus_sim_schedule_at (sim, when[i], record, &log, n + i);
    }
  kept += 100;
  assert_int_equal (stratus_sim_pending_count (sim), kept);

  assert_int_equal (stratus_sim_run_until (sim, 1000), kept);
  assert_int_equal (log.len, kept);
  for (size_t i = 0; i < log.len; i++)
    {
      uint64_t a = log.args[i];
      if (a < n)
        assert_true (a % 6 == 0 && a != 0 && a != 6);
      if (i > 0)
        {
          assert_true (log.times[i - 1] <= log.times[i]);
          if (log.times[i - 1] == log.times[i])
            assert_true (log.args[i - 1] < log.args[i]); /* FIFO survives compaction */
        }
    }
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  g_free (timers);
  g_free (when);
  log_clear (&log);
  stratus_sim_free (sim);
}

/* ---- run_until and stop -------------------------------------------------------------- */

static void
engine_run_until_fires_up_to_end_inclusive_and_sets_now (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  StratusTimer t10 = stratus_sim_schedule (sim, 10, record, &log, 10);
  StratusTimer t20 = stratus_sim_schedule (sim, 20, record, &log, 20);
  StratusTimer t30 = stratus_sim_schedule (sim, 30, record, &log, 30);

  assert_int_equal (stratus_sim_run_until (sim, 20), 2);
  assert_int_equal (stratus_sim_now (sim), 20);
  assert_int_equal (log.len, 2);
  assert_false (stratus_sim_is_pending (sim, t10));
  assert_false (stratus_sim_is_pending (sim, t20));
  assert_true (stratus_sim_is_pending (sim, t30));
  assert_int_equal (stratus_sim_pending_count (sim), 1);

  assert_int_equal (stratus_sim_run_until (sim, 25), 0);
  assert_int_equal (stratus_sim_now (sim), 25);
  assert_int_equal (stratus_sim_pending_count (sim), 1);

  /* schedule is relative to the advanced clock */
  stratus_sim_schedule (sim, 1, record, &log, 26);
  assert_int_equal (stratus_sim_run_until (sim, 29), 1);
  assert_int_equal (log.times[2], 26);
  assert_int_equal (stratus_sim_now (sim), 29);

  assert_int_equal (stratus_sim_run_until (sim, 1000), 1);
  assert_int_equal (stratus_sim_now (sim), 1000);
  assert_int_equal (log.len, 4);
  assert_int_equal (log.args[3], 30);
  assert_int_equal (log.times[3], 30);
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
stop_at_arg (StratusSim *sim, void *target, uint64_t arg)
{
  record (sim, target, arg);
  if (arg == 5)
    stratus_sim_stop (sim);
}

static void
engine_stop_returns_after_current_event (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  for (uint64_t i = 1; i <= 10; i++)
    stratus_sim_schedule (sim, (StratusTime) i * 10, stop_at_arg, &log, i);
  /* a second event at the stopping time must not fire in the same call */
  stratus_sim_schedule (sim, 50, record, &log, 55);

  assert_int_equal (stratus_sim_run_until (sim, 1000), 5);
  assert_int_equal (log.len, 5);
  assert_int_equal (log.args[4], 5);
  assert_int_equal (stratus_sim_now (sim), 50); /* not 1000: stopped early */
  assert_int_equal (stratus_sim_pending_count (sim), 6);

  /* The next call carries on where it stopped. */
  assert_int_equal (stratus_sim_run_until (sim, 1000), 6);
  assert_int_equal (log.len, 11);
  assert_int_equal (log.args[5], 55);
  assert_int_equal (log.args[10], 10);
  assert_int_equal (stratus_sim_now (sim), 1000);
  assert_int_equal (stratus_sim_events_fired (sim), 11);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_stop_outside_run_does_not_affect_next_run (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  for (uint64_t i = 1; i <= 3; i++)
    stratus_sim_schedule (sim, (StratusTime) i, record, &log, i);
  stratus_sim_stop (sim);
  assert_int_equal (stratus_sim_run_until (sim, 10), 3);
  assert_int_equal (stratus_sim_now (sim), 10);
  log_clear (&log);
  stratus_sim_free (sim);
}

/* ---- counters -------------------------------------------------------------------------- */

static void
engine_counts_fired_and_pending_events (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  StratusTimer t[100];
  for (int i = 0; i < 100; i++)
    t[i] = stratus_sim_schedule (sim, i + 1, noop, NULL, 0);
  assert_int_equal (stratus_sim_pending_count (sim), 100);
  for (int i = 0; i < 100; i += 4)
    assert_true (stratus_sim_cancel (sim, t[i]));
  assert_int_equal (stratus_sim_pending_count (sim), 75);
  assert_int_equal (stratus_sim_events_fired (sim), 0);

  /* events 1..50: 13 of them (1, 5, ..., 49) were cancelled */
  assert_int_equal (stratus_sim_run_until (sim, 50), 37);
  assert_int_equal (stratus_sim_events_fired (sim), 37);
  assert_int_equal (stratus_sim_pending_count (sim), 38);

  assert_int_equal (stratus_sim_run_until (sim, 200), 38);
  assert_int_equal (stratus_sim_events_fired (sim), 75); /* cumulative */
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  assert_int_equal (stratus_sim_run_until (sim, 300), 0);
  assert_int_equal (stratus_sim_events_fired (sim), 75);
  stratus_sim_free (sim);
}

static void
engine_free_releases_pending_events (void **state)
{
  (void) state;
  /* Run under LeakSanitizer: freeing with thousands of pending and cancelled events
   * must not leak (and must not touch targets). */
  StratusSim *sim = stratus_sim_new ();
  int untouchable = 42;
  for (int i = 0; i < 5000; i++)
    {
      StratusTimer t = stratus_sim_schedule (sim, i, noop, &untouchable, 0);
      if (i % 3 == 0)
        stratus_sim_cancel (sim, t);
    }
  stratus_sim_run_until (sim, 100);
  assert_true (stratus_sim_pending_count (sim) > 0);
  stratus_sim_free (sim);
  stratus_sim_free (NULL);
  assert_int_equal (untouchable, 42);
}

/* ---- randomized comparison with a sorted reference --------------------------------- */

typedef struct
{
  StratusTime time;
  uint64_t seq; /* global insertion index */
} RefEvent;

static int
cmp_ref (const void *pa, const void *pb)
{
  const RefEvent *a = pa, *b = pb;
  if (a->time != b->time)
    return a->time < b->time ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Checks that `log` holds exactly the events k < n not cancelled, in (time, k) order, k
 * being the insertion order; returns how many fired. */
static size_t
assert_fired_like_reference (const Log *log, const StratusTime *when, const bool *cancelled,
                             size_t n)
{
  RefEvent *ref = g_new (RefEvent, n);
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (!cancelled[k])
      ref[m++] = (RefEvent){ .time = when[k], .seq = k };
  qsort (ref, m, sizeof *ref, cmp_ref);
  assert_int_equal (log->len, m);
  for (size_t k = 0; k < m; k++)
    if (log->args[k] != ref[k].seq || log->times[k] != ref[k].time)
      fail_msg ("event %zu: fired #%" PRIu64 " at %" PRId64 ", expected #%" PRIu64
                " at %" PRId64, k, log->args[k], log->times[k], ref[k].seq, ref[k].time);
  g_free (ref);
  return m;
}

/* Schedules an event or, one time in three, a timer (the engine's second queue): the
 * order of firing must not tell them apart. */
static StratusTimer
schedule_either (StratusSim *sim, StratusTime when, Log *log, size_t i, uint64_t *rng)
{
  if (next_random (rng) % 3 == 0)
    return stratus_sim_schedule_timer_at (sim, when, record, log, i);
  return stratus_sim_schedule_at (sim, when, record, log, i);
}

static void
engine_random_events_fire_like_sorted_reference (void **state)
{
  (void) state;
  const size_t n = 100000;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  StratusTimer *timers = g_new (StratusTimer, n);
  StratusTime *when = g_new (StratusTime, n);
  bool *cancelled = g_new0 (bool, n);
  uint64_t rng = 0x5eed;

  /* Phase 1: half the events at random times (narrow range, so ties are plentiful),
   * with random cancellations sprinkled in among the schedules. */
  const StratusTime mid = 25000;
  size_t i = 0;
  for (; i < n / 2; i++)
    {
      when[i] = (StratusTime) (next_random (&rng) % 50000);
      timers[i] = schedule_either (sim, when[i], &log, i, &rng);
      if (next_random (&rng) % 4 == 0)
        {
          size_t victim = (size_t) (next_random (&rng) % (i + 1));
          assert_int_equal (stratus_sim_cancel (sim, timers[victim]), !cancelled[victim]);
          cancelled[victim] = true;
        }
    }
  stratus_sim_run_until (sim, mid);
  assert_int_equal (stratus_sim_now (sim), mid);

  /* Phase 2: the other half from the middle of the run on, and cancellations aimed at any
   * event so far, including ones that already fired (which must report false). */
  for (; i < n; i++)
    {
      when[i] = mid + (StratusTime) (next_random (&rng) % 50000);
      timers[i] = schedule_either (sim, when[i], &log, i, &rng);
      if (next_random (&rng) % 4 == 0)
        {
          size_t victim = (size_t) (next_random (&rng) % (i + 1));
          bool should_cancel = !cancelled[victim] && when[victim] > mid;
          if (victim >= n / 2)
            should_cancel = !cancelled[victim];
          assert_int_equal (stratus_sim_cancel (sim, timers[victim]), should_cancel);
          if (should_cancel)
            cancelled[victim] = true;
        }
    }
  stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1);

  size_t m = assert_fired_like_reference (&log, when, cancelled, n);
  assert_int_equal (stratus_sim_events_fired (sim), m);
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  g_free (timers);
  g_free (when);
  g_free (cancelled);
  log_clear (&log);
  stratus_sim_free (sim);
}

static void
engine_repeated_compactions_match_sorted_reference (void **state)
{
  (void) state;
  /* Heavy cancellation in random order: dead entries outnumber live ones again and again,
   * so the heap is compacted (and rebuilt) many times, with schedules in between. */
  const size_t base = 30000, extra_every = 1000, extra = 300;
  const size_t n = base + (base / extra_every) * extra;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  StratusTimer *timers = g_new (StratusTimer, n);
  StratusTime *when = g_new (StratusTime, n);
  bool *cancelled = g_new0 (bool, n);
  size_t *order = g_new (size_t, base);
  uint64_t rng = 777;
  size_t scheduled = 0;
  for (; scheduled < base; scheduled++)
    {
      when[scheduled] = (StratusTime) (next_random (&rng) % 100000);
      timers[scheduled] = stratus_sim_schedule_at (sim, when[scheduled], record, &log, scheduled);
      order[scheduled] = scheduled;
    }
  for (size_t k = base - 1; k > 0; k--) /* Fisher-Yates */
    {
      size_t j = (size_t) (next_random (&rng) % (k + 1));
      size_t tmp = order[k];
      order[k] = order[j];
      order[j] = tmp;
    }
  size_t live = base;
  for (size_t k = 0; k < base * 9 / 10; k++)
    {
      assert_true (stratus_sim_cancel (sim, timers[order[k]]));
      cancelled[order[k]] = true;
      live--;
      if ((k + 1) % extra_every == 0)
        for (size_t e = 0; e < extra; e++, scheduled++, live++)
          {
            when[scheduled] = (StratusTime) (next_random (&rng) % 100000);
            timers[scheduled]
                = stratus_sim_schedule_at (sim, when[scheduled], record, &log, scheduled);
          }
      assert_int_equal (stratus_sim_pending_count (sim), live);
    }
  stratus_sim_run_until (sim, 100000);

  assert_int_equal (assert_fired_like_reference (&log, when, cancelled, scheduled), live);
  g_free (order);
  g_free (timers);
  g_free (when);
  g_free (cancelled);
  log_clear (&log);
  stratus_sim_free (sim);
}

/* ---- context and progress ------------------------------------------------------------ */

static void
check_context (StratusSim *sim, void *target, uint64_t arg)
{
  (void) arg;
  *(void **) target = stratus_sim_context (sim);
}

static void
engine_context_round_trips_and_is_visible_in_handlers (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  int world = 7;
  assert_null (stratus_sim_context (sim));
  stratus_sim_set_context (sim, &world);
  assert_ptr_equal (stratus_sim_context (sim), &world);
  void *seen = NULL;
  stratus_sim_schedule (sim, 1, check_context, &seen, 0);
  stratus_sim_run_until (sim, 1);
  assert_ptr_equal (seen, &world);
  stratus_sim_set_context (sim, NULL);
  assert_null (stratus_sim_context (sim));
  stratus_sim_free (sim);
}

typedef struct
{
  int calls;
  StratusTime last_now;
  StratusSim *sim;
  bool now_matches;
} Progress;

static void
on_progress (void *user_data, StratusTime now)
{
  Progress *p = user_data;
  p->calls++;
  p->last_now = now;
  if (now != stratus_sim_now (p->sim))
    p->now_matches = false;
}

static void
engine_progress_callback_runs_every_65536_events (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Progress p = { .sim = sim, .now_matches = true };
  stratus_sim_set_progress (sim, on_progress, &p);
  const int n = 3 * 65536 + 1000;
  for (int i = 0; i < n; i++)
    stratus_sim_schedule (sim, i + 1, noop, NULL, 0);
  /* cancelled events are not counted towards the progress interval */
  for (int i = 0; i < 500; i++)
    assert_true (stratus_sim_cancel (sim, stratus_sim_schedule (sim, 2, noop, NULL, 0)));

  stratus_sim_run_until (sim, 65535);
  assert_int_equal (p.calls, 0);
  assert_int_equal (stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1), n - 65535);
  /* the per-call counter restarts each run: 3 * 65536 + 1000 - 65535 = 2 intervals */
  assert_int_equal (p.calls, 2);
  assert_true (p.now_matches);
  assert_true (p.last_now > 65535);

  /* One run that fires exactly 3 * 65536 events calls it three times. */
  StratusSim *sim2 = stratus_sim_new ();
  Progress p2 = { .sim = sim2, .now_matches = true };
  stratus_sim_set_progress (sim2, on_progress, &p2);
  for (int i = 0; i < 3 * 65536; i++)
    stratus_sim_schedule (sim2, i, noop, NULL, 0);
  stratus_sim_run_until (sim2, STRATUS_TIME_NEVER - 1);
  assert_int_equal (p2.calls, 3);
  assert_int_equal (p2.last_now, 3 * 65536 - 1);
  assert_true (p2.now_matches);

  /* Removing the callback stops the calls. */
  stratus_sim_set_progress (sim2, NULL, NULL);
  for (int i = 0; i < 70000; i++)
    stratus_sim_schedule (sim2, 1, noop, NULL, 0);
  stratus_sim_run_until (sim2, STRATUS_TIME_NEVER - 1);
  assert_int_equal (p2.calls, 3);

  stratus_sim_free (sim);
  stratus_sim_free (sim2);
}

/* ---- time arithmetic, events at NEVER, arrivals at the limits ------------------------- */

static void
engine_time_add_saturates_and_conversions_clamp (void **state)
{
  (void) state;
  assert_int_equal (stratus_time_add (1, 2), 3);
  assert_int_equal (stratus_time_add (0, 0), 0);
  assert_true (stratus_time_add (STRATUS_TIME_NEVER - 1, 1) == STRATUS_TIME_NEVER);
  assert_true (stratus_time_add (STRATUS_TIME_NEVER - 1, 5) == STRATUS_TIME_NEVER);
  assert_true (stratus_time_add (STRATUS_TIME_NEVER, STRATUS_TIME_NEVER) == STRATUS_TIME_NEVER);
  assert_true (stratus_time_add (STRATUS_TIME_INPUT_MAX, STRATUS_TIME_INPUT_MAX)
               == 2 * STRATUS_TIME_INPUT_MAX); /* two limits still fit */
  assert_int_equal (stratus_time_from_ns (NAN), 0);
  assert_int_equal (stratus_time_from_ns (-5), 0);
  assert_int_equal (stratus_time_from_ns (-INFINITY), 0);
  assert_true (stratus_time_from_ns (INFINITY) == STRATUS_TIME_INPUT_MAX);
  assert_true (stratus_time_from_ns (1e300) == STRATUS_TIME_INPUT_MAX);
  assert_int_equal (stratus_time_from_ns (1.5), 2); /* half up, as llround */
  assert_int_equal (stratus_time_from_ns (2.4999), 2);
  /* whole doubles above 2^52 convert exactly (adding 0.5 there would round to even) */
  assert_true (stratus_time_from_ns (4503599627370497.0) == (StratusTime) 4503599627370497);
}

static void
engine_event_at_never_never_fires (void **state)
{
  (void) state;
  StratusSim *sim = stratus_sim_new ();
  Log log;
  log_init (&log);
  StratusTimer never = stratus_sim_schedule_at (sim, STRATUS_TIME_NEVER, record, &log, 1);
  assert_false (stratus_sim_is_pending (sim, never));
  assert_false (stratus_sim_cancel (sim, never));
  stratus_sim_schedule (sim, 10, record, &log, 2);
  assert_int_equal (stratus_sim_pending_count (sim), 1);
  assert_int_equal (stratus_sim_run_until (sim, 10), 1);
  /* now + delay past the range saturates at NEVER instead of wrapping to the past */
  stratus_sim_schedule (sim, STRATUS_TIME_NEVER - 5, record, &log, 3);
  stratus_sim_schedule (sim, STRATUS_TIME_NEVER, record, &log, 4);
  stratus_sim_schedule (sim, STRATUS_TIME_INPUT_MAX, record, &log, 5); /* still fires */
  assert_int_equal (stratus_sim_pending_count (sim), 1);
  assert_int_equal (stratus_sim_run_until (sim, STRATUS_TIME_NEVER), 1);
  assert_int_equal (log.len, 2);
  assert_int_equal (log.args[1], 5);
  assert_true (log.times[1] == 10 + STRATUS_TIME_INPUT_MAX);
  assert_true (stratus_sim_now (sim) == STRATUS_TIME_NEVER);
  log_clear (&log);
  stratus_sim_free (sim);
}

/* A rate shape holding one constant rate. */
static StratusRateConfig
constant_rate (double per_second)
{
  return (StratusRateConfig){ .shape = STRATUS_RATE_CONSTANT, .rate = per_second };
}

static void
arrivals_tiny_rates_end_at_never (void **state)
{
  (void) state;
  gsl_rng *rng = stratus_rng_stream_new (1, 0, "arrivals");
  ArrivalProcess p;
  /* B4: 1e-12/s puts the next arrival past the end of time; it hung. */
  StratusRateConfig c = constant_rate (1e-12);
  arrivals_init (&p, &c, rng);
  assert_true (arrivals_next (&p, 0) == STRATUS_TIME_NEVER);
  assert_true (arrivals_next (&p, 10 * STRATUS_SECOND) == STRATUS_TIME_NEVER);
  /* a rate of 0, and a diurnal curve that is 0 all day, never arrive */
  c = constant_rate (0);
  arrivals_init (&p, &c, rng);
  assert_true (arrivals_next (&p, 0) == STRATUS_TIME_NEVER);
  StratusRateConfig d = { .shape = STRATUS_RATE_DIURNAL, .period = STRATUS_SECOND };
  arrivals_init (&p, &d, rng);
  assert_true (arrivals_next (&p, 0) == STRATUS_TIME_NEVER);
  /* a spike whose end lies near the limit: arrivals up to it, none after */
  StratusRateConfig sp = { .shape = STRATUS_RATE_SPIKE, .base = 0, .peak = 1,
                           .spike_at = STRATUS_TIME_INPUT_MAX - 10 * STRATUS_SECOND,
                           .spike_for = STRATUS_TIME_INPUT_MAX };
  arrivals_init (&p, &sp, rng);
  StratusTime t = arrivals_next (&p, 0);
  assert_true (t >= sp.spike_at && t <= STRATUS_TIME_INPUT_MAX);
  StratusTime last = t;
  while ((t = arrivals_next (&p, t)) != STRATUS_TIME_NEVER)
    {
      assert_true (t > last && t <= STRATUS_TIME_INPUT_MAX);
      last = t;
    }
  gsl_rng_free (rng);
}

static void
arrivals_tiny_diurnal_rates_end_without_walking (void **state)
{
  (void) state;
  gsl_rng *rng = stratus_rng_stream_new (1, 0, "arrivals");
  ArrivalProcess p;
  /* F2: between 0/s and 1e-12/s over 4 s periods: 1 s segments walked to the end of time. */
  StratusRateConfig d = { .shape = STRATUS_RATE_DIURNAL, .min = 0, .max = 1e-12,
                          .period = 4 * STRATUS_SECOND, .peak_at = STRATUS_SECOND };
  arrivals_init (&p, &d, rng);
  gint64 start = g_get_monotonic_time ();
  assert_true (arrivals_next (&p, 0) > 1000 * STRATUS_DAY);
  assert_true (g_get_monotonic_time () - start < G_USEC_PER_SEC);
  /* A low diurnal rate (under one candidate per segment) keeps its mean, (min + max) / 2:
   * 0.25/s over 100,000 s is 25,000 arrivals, sd 158. */
  StratusRateConfig low = { .shape = STRATUS_RATE_DIURNAL, .min = 0, .max = 0.5,
                            .period = 4 * STRATUS_SECOND, .peak_at = STRATUS_SECOND };
  arrivals_init (&p, &low, rng);
  StratusTime t = 0;
  int n = 0;
  while ((t = arrivals_next (&p, t)) <= 100000 * STRATUS_SECOND)
    n++;
  assert_in_range (n, 24200, 25800);
  gsl_rng_free (rng);
}

static void
arrivals_at_the_rate_cap_keep_their_rate (void **state)
{
  (void) state;
  gsl_rng *rng = stratus_rng_stream_new (1, 0, "arrivals");
  ArrivalProcess p;
  StratusRateConfig c = constant_rate (STRATUS_RATE_MAX);
  arrivals_init (&p, &c, rng);
  StratusTime t = 0;
  int n = 0;
  while ((t = arrivals_next (&p, t)) <= STRATUS_MS)
    n++;
  /* 10M/s for 1 ms: 10,000 arrivals expected, sd 100 */
  assert_in_range (n, 9500, 10500);
  gsl_rng_free (rng);
}

/* An item that finds every worker busy is refused at once when queue_limit is 0. */
static void
station_queue_limit_zero_refuses_when_busy (void **state)
{
  (void) state;
  Station st;
  station_init (&st, 1, 0, 0);
  StationItem a = { 0 }, b = { 0 };
  assert_int_equal (station_admit (&st, &a, 0), ADMIT_START);
  assert_int_equal (station_admit (&st, &b, 1), ADMIT_REFUSED);
  assert_null (station_finish (&st, 2));
  assert_int_equal (station_admit (&st, &b, 3), ADMIT_START);
}

/* A station serves in FIFO order and its time-weighted figures follow the items: 2
 * workers, 3 items at 0, finishes at 10 and 20. */
static void
station_is_fifo_and_time_weighted (void **state)
{
  (void) state;
  Station st;
  station_init (&st, 2, -1, 0);
  StationItem a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  assert_int_equal (station_admit (&st, &a, 0), ADMIT_START);
  assert_int_equal (station_admit (&st, &b, 0), ADMIT_START);
  assert_int_equal (station_admit (&st, &c, 0), ADMIT_QUEUED);
  assert_int_equal (station_admit (&st, &d, 0), ADMIT_QUEUED);
  assert_ptr_equal (station_finish (&st, 10), &c); /* the first queued starts */
  assert_ptr_equal (station_finish (&st, 20), &d);
  assert_null (station_finish (&st, 30));
  assert_null (station_finish (&st, 40));
  assert_int_equal (st.served, 4);
  /* busy: 2 workers over [0, 30), 1 over [30, 40): area 70 */
  assert_true (fabs (stratus_time_average_area (&st.busy_avg, 40) - 70) < 1e-9);
  /* in system: 4 over [0,10), 3 over [10,20), 2 over [20,30), 1 over [30,40): area 100 */
  assert_true (fabs (stratus_time_average_area (&st.in_system_avg, 40) - 100) < 1e-9);
  assert_int_equal (st.busy, 0);
  assert_int_equal (st.queue_len, 0);
}

static void
instance_service_times_stay_in_range (void **state)
{
  (void) state;
  StratusFleetConfig fleet = { .workers = 1, .queue_limit = -1 };
  GError *error = NULL;
  assert_true (stratus_dist_init (&fleet.service_time, STRATUS_DIST_LOGNORMAL,
                                  STRATUS_DIST_VALUE_MAX, STRATUS_DIST_CV_MAX, -1, NULL, 0,
                                  &error));
  StratusPlacement where = { 0 };
  Instance *inst = instance_new (0, "i", &fleet, 0, where, stratus_rng_stream_new (1, 0, "i"), 0);
  bool clamped = false;
  for (int i = 0; i < 10000; i++)
    {
      StratusTime t = instance_service_time (inst);
      assert_true (t >= 0 && t <= STRATUS_TIME_INPUT_MAX);
      clamped = clamped || t == STRATUS_TIME_INPUT_MAX;
    }
  assert_true (clamped); /* about 3% of these draws lie past the limit */
  instance_free (inst);
  stratus_dist_clear (&fleet.service_time);
}

/* ---- hop lanes -------------------------------------------------------------------------- */

typedef struct
{
  GRand *rand;
  bool use_hops;
  unsigned next_id, fired;
  GArray *order; /* ids in firing order */
} HopRun;

static void on_hop_event (StratusSim *sim, void *target, uint64_t arg);

/* Schedules one more event from `run`: a hop of one of 20 constant delays (more than the
 * lanes, so some fall back to the heap), a random delay, or a timer. */
static void
schedule_one (StratusSim *sim, HopRun *run)
{
  uint64_t id = run->next_id++;
  int kind = g_rand_int_range (run->rand, 0, 10);
  if (kind < 6)
    {
      StratusTime delay = (StratusTime) g_rand_int_range (run->rand, 0, 20) * 7 + 1;
      if (run->use_hops)
        stratus_sim_schedule_hop (sim, delay, on_hop_event, run, id);
      else
        stratus_sim_schedule (sim, delay, on_hop_event, run, id);
    }
  else if (kind < 9)
    stratus_sim_schedule (sim, g_rand_int_range (run->rand, 0, 300), on_hop_event, run, id);
  else
    stratus_sim_schedule_timer_at (sim, stratus_sim_now (sim) + g_rand_int_range (run->rand, 0, 300),
                                   on_hop_event, run, id);
}

/* Records its id and schedules up to two more, until 20,000 have fired. */
static void
on_hop_event (StratusSim *sim, void *target, uint64_t arg)
{
  HopRun *run = target;
  g_array_append_val (run->order, arg);
  if (++run->fired >= 20000)
    return;
  int more = g_rand_int_range (run->rand, 1, 3);
  for (int i = 0; i < more; i++)
    schedule_one (sim, run);
}

/* The firing order of the same random schedule, with or without lanes. */
static GArray *
hop_run (bool use_hops)
{
  HopRun run = { .rand = g_rand_new_with_seed (7), .use_hops = use_hops,
                 .order = g_array_new (FALSE, FALSE, sizeof (uint64_t)) };
  StratusSim *sim = stratus_sim_new ();
  for (int i = 0; i < 50; i++)
    schedule_one (sim, &run);
  stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1);
  assert_int_equal (stratus_sim_pending_count (sim), 0);
  stratus_sim_free (sim);
  g_rand_free (run.rand);
  return run.order;
}

static void
engine_hop_lanes_fire_in_the_heap_order (void **state)
{
  (void) state;
  GArray *with = hop_run (true), *without = hop_run (false);
  assert_true (with->len >= 20000);
  assert_int_equal (with->len, without->len);
  assert_memory_equal (with->data, without->data, with->len * sizeof (uint64_t));
  g_array_unref (with);
  g_array_unref (without);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (engine_new_sim_starts_at_zero_and_empty),
    cmocka_unit_test (engine_events_fire_in_time_order),
    cmocka_unit_test (engine_equal_times_fire_in_insertion_order),
    cmocka_unit_test (engine_simple_ties_are_fifo),
    cmocka_unit_test (engine_handlers_can_schedule_more_events),
    cmocka_unit_test (engine_zero_delay_from_handler_fires_after_queued_equal_time_events),
    cmocka_unit_test (engine_cancelled_event_never_fires),
    cmocka_unit_test (engine_cancel_returns_false_for_fired_cancelled_or_zero_handle),
    cmocka_unit_test (engine_is_pending_tracks_event_lifecycle),
    cmocka_unit_test (engine_cancelling_many_events_keeps_order_of_the_rest),
    cmocka_unit_test (engine_run_until_fires_up_to_end_inclusive_and_sets_now),
    cmocka_unit_test (engine_stop_returns_after_current_event),
    cmocka_unit_test (engine_stop_outside_run_does_not_affect_next_run),
    cmocka_unit_test (engine_counts_fired_and_pending_events),
    cmocka_unit_test (engine_free_releases_pending_events),
    cmocka_unit_test (engine_random_events_fire_like_sorted_reference),
    cmocka_unit_test (engine_repeated_compactions_match_sorted_reference),
    cmocka_unit_test (engine_context_round_trips_and_is_visible_in_handlers),
    cmocka_unit_test (engine_progress_callback_runs_every_65536_events),
    cmocka_unit_test (engine_time_add_saturates_and_conversions_clamp),
    cmocka_unit_test (engine_event_at_never_never_fires),
    cmocka_unit_test (engine_hop_lanes_fire_in_the_heap_order),
    cmocka_unit_test (arrivals_tiny_rates_end_at_never),
    cmocka_unit_test (arrivals_tiny_diurnal_rates_end_without_walking),
    cmocka_unit_test (arrivals_at_the_rate_cap_keep_their_rate),
    cmocka_unit_test (station_queue_limit_zero_refuses_when_busy),
    cmocka_unit_test (station_is_fifo_and_time_weighted),
    cmocka_unit_test (instance_service_times_stay_in_range),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
