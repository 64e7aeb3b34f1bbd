/* bench-hold: the classic hold model (Vaucher & Duval 1975; Jones 1986) on the engine.
 *
 * For each queue size N: prefill the queue with N events at exponential times, run N hold
 * operations untimed (to reach the steady-state shape of the queue), then time OPS hold
 * operations. A hold operation pops the earliest event and schedules one at
 * now + Exp(mean 1 s). On the engine this is one stratus_sim_run_until step: the event's
 * handler schedules its successor, so a hold costs a pop, a handler call and a schedule.
 *
 * As a reference measured in the same run, the same hold sequence (same increments) runs
 * on a plain binary min-heap of doubles (pop the root, sift down; push, sift up), the
 * simplest queue one would write by hand. The report gives ns per hold for both and their
 * ratio; the ratio is what to compare across machines.
 *
 * Increments come from a precomputed table so that neither side pays for random numbers.
 *
 * Usage: bench-hold [OPS [REPEATS [N]]]   (defaults: 4000000 hold operations, best of 3,
 *        every N; giving N runs that size only, e.g. under perf)
 * The last lines ("hold N=... engine_ns=... heap_ns=... ratio=...") are for scripts. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "stratus/engine.h"

#define TABLE_BITS 20
#define TABLE_SIZE (1u << TABLE_BITS)
#define TABLE_MASK (TABLE_SIZE - 1)

static StratusTime inc_ns[TABLE_SIZE]; /* Exp(1 s) increments in integer nanoseconds */
static double inc_d[TABLE_SIZE];       /* the same as doubles (exact below 2^53 ns) */

static uint64_t
splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void
fill_table (uint64_t seed)
{
  uint64_t state = seed;
  for (unsigned i = 0; i < TABLE_SIZE; i++)
    {
      /* uniform in (0, 1]: 53 random bits, never 0 */
      double u = ((double) (splitmix64 (&state) >> 11) + 1.0) * 0x1.0p-53;
      double x = -log (u);
      inc_ns[i] = (StratusTime) llround (x * 1e9);
      inc_d[i] = (double) inc_ns[i]; /* identical sequence on both sides */
    }
}

static double
now_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* ---- the engine ----------------------------------------------------------------------- */

typedef struct
{
  uint64_t ops_left;
  uint32_t cursor;
} HoldState;

static void
on_hold (StratusSim *sim, void *target, uint64_t arg)
{
  HoldState *st = target;
  stratus_sim_schedule (sim, inc_ns[st->cursor++ & TABLE_MASK], on_hold, st, 0);
  if (--st->ops_left == 0)
    stratus_sim_stop (sim);
}

/* Returns ns per hold operation. */
static double
engine_hold (size_t n, uint64_t ops, uint64_t *checksum)
{
  StratusSim *sim = stratus_sim_new ();
  HoldState st = { 0, 0 };
  for (size_t i = 0; i < n; i++)
    stratus_sim_schedule (sim, inc_ns[st.cursor++ & TABLE_MASK], on_hold, &st, 0);

  st.ops_left = n; /* warm-up: one pass over the queue */
  stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1);

  st.ops_left = ops;
  double t0 = now_seconds ();
  uint64_t fired = stratus_sim_run_until (sim, STRATUS_TIME_NEVER - 1);
  double t1 = now_seconds ();
  if (fired != ops || stratus_sim_pending_count (sim) != n)
    {
      fprintf (stderr, "bench-hold: engine fired %llu of %llu, %zu pending of %zu\n",
               (unsigned long long) fired, (unsigned long long) ops,
               stratus_sim_pending_count (sim), n);
      exit (1);
    }
  *checksum = (uint64_t) stratus_sim_now (sim);
  stratus_sim_free (sim);
  return (t1 - t0) * 1e9 / (double) ops;
}

/* ---- the reference: a binary heap of doubles ------------------------------------------ */

typedef struct
{
  double *a;
  size_t len;
} Heap;

static inline void
heap_push (Heap *h, double x)
{
  size_t i = h->len++;
  double *a = h->a;
  while (i > 0)
    {
      size_t p = (i - 1) / 2;
      if (a[p] <= x)
        break;
      a[i] = a[p];
      i = p;
    }
  a[i] = x;
}

static inline double
heap_pop (Heap *h)
{
  double *a = h->a;
  double top = a[0];
  double x = a[--h->len];
  size_t n = h->len, i = 0;
  for (;;)
    {
      size_t c = 2 * i + 1;
      if (c >= n)
        break;
      if (c + 1 < n && a[c + 1] < a[c])
        c++;
      if (x <= a[c])
        break;
      a[i] = a[c];
      i = c;
    }
  if (n > 0)
    a[i] = x;
  return top;
}

static double
heap_hold (size_t n, uint64_t ops, double *checksum)
{
  Heap h = { malloc ((n + 1) * sizeof (double)), 0 };
  if (h.a == NULL)
    abort ();
  uint32_t cursor = 0;
  double now = 0;
  for (size_t i = 0; i < n; i++)
    heap_push (&h, inc_d[cursor++ & TABLE_MASK]);
  for (size_t i = 0; i < n; i++)
    {
      now = heap_pop (&h);
      heap_push (&h, now + inc_d[cursor++ & TABLE_MASK]);
    }
  double t0 = now_seconds ();
  for (uint64_t i = 0; i < ops; i++)
    {
      now = heap_pop (&h);
      heap_push (&h, now + inc_d[cursor++ & TABLE_MASK]);
    }
  double t1 = now_seconds ();
  *checksum = now;
  free (h.a);
  return (t1 - t0) * 1e9 / (double) ops;
}

int
main (int argc, char **argv)
{
  uint64_t ops = argc > 1 ? strtoull (argv[1], NULL, 10) : 4000000;
  int repeats = argc > 2 ? atoi (argv[2]) : 3;
  size_t only = argc > 3 ? strtoull (argv[3], NULL, 10) : 0;
  if (ops == 0 || repeats < 1 || (argc > 3 && only == 0) || argc > 4)
    {
      fprintf (stderr, "usage: bench-hold [OPS [REPEATS [N]]]\n");
      return 2;
    }
  size_t sizes[] = { 1000, 10000, 100000, 1000000 };
  int n_sizes = sizeof sizes / sizeof sizes[0];
  if (only > 0)
    {
      sizes[0] = only;
      n_sizes = 1;
    }
  double engine_ns[sizeof sizes / sizeof sizes[0]], heap_ns[sizeof sizes / sizeof sizes[0]];

  fill_table (42);
  printf ("hold model: %llu timed hold operations per size, best of %d; "
          "increments Exp(1 s)\n",
          (unsigned long long) ops, repeats);
  printf ("%10s %16s %16s %8s %14s\n", "N", "engine ns/hold", "heap ns/hold", "ratio",
          "engine Mholds/s");
  for (int s = 0; s < n_sizes; s++)
    {
      double best_e = INFINITY, best_h = INFINITY;
      uint64_t ce = 0;
      double ch = 0;
      for (int r = 0; r < repeats; r++)
        {
          /* Alternate the two so that drifts in machine speed hit both alike. */
          double e = engine_hold (sizes[s], ops, &ce);
          double h = heap_hold (sizes[s], ops, &ch);
          best_e = fmin (best_e, e);
          best_h = fmin (best_h, h);
        }
      /* Both walked the same sequence of event times: the clocks must agree. */
      if ((double) ce != ch)
        {
          fprintf (stderr, "bench-hold: engine and heap disagree (%.0f ns vs %.0f ns)\n",
                   (double) ce, ch);
          return 1;
        }
      engine_ns[s] = best_e;
      heap_ns[s] = best_h;
      printf ("%10zu %16.1f %16.1f %8.2f %14.2f\n", sizes[s], best_e, best_h, best_e / best_h,
              1e3 / best_e);
      fflush (stdout);
    }
  for (int s = 0; s < n_sizes; s++)
    printf ("hold N=%zu engine_ns=%.2f heap_ns=%.2f ratio=%.3f\n", sizes[s], engine_ns[s],
            heap_ns[s], engine_ns[s] / heap_ns[s]);
  return 0;
}
