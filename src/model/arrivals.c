/* Rate shapes and Poisson sampling with thinning. */
#include "arrivals.h"

#include <math.h>

#define DIURNAL_SEGMENTS 48

static double
diurnal (const StratusRateConfig *c, StratusTime t)
{
  double phase = 2 * M_PI * (double) (t - c->peak_at) / (double) c->period;
  return c->min + (c->max - c->min) * (1 + cos (phase)) / 2;
}

double
arrivals_rate_at (const StratusRateConfig *c, StratusTime t)
{
  switch (c->shape)
    {
    case STRATUS_RATE_CONSTANT:
      return c->rate;
    case STRATUS_RATE_STEPS:
      {
        double rate = 0;
        for (guint i = 0; i < c->steps->len; i++)
          {
            const StratusRateStep *s = &g_array_index (c->steps, StratusRateStep, i);
            if (s->at > t)
              break;
            rate = s->rate;
          }
        return rate;
      }
    case STRATUS_RATE_DIURNAL:
      return diurnal (c, t);
    case STRATUS_RATE_SPIKE:
      return t >= c->spike_at && t - c->spike_at < c->spike_for ? c->peak : c->base;
    case STRATUS_RATE_REPLAY_RATES:
      {
        StratusTime row = t / c->trace_step;
        return row < (StratusTime) c->trace_rates->len ? g_array_index (c->trace_rates, double, row)
                                                       : 0.0;
      }
    case STRATUS_RATE_REPLAY_ARRIVALS:
      return 0.0; /* not a rate */
    }
  g_assert_not_reached ();
}

/* Computes a bound of the rate on a segment starting at t: its value, its end, and
 * whether the rate is constant (no thinning needed) on it. */
static void
compute_bound (ArrivalProcess *p, StratusTime t)
{
  const StratusRateConfig *c = p->config;
  double rate = arrivals_rate_at (c, t);
  StratusTime until = STRATUS_TIME_NEVER;
  bool exact = true;
  switch (c->shape)
    {
    case STRATUS_RATE_CONSTANT:
    case STRATUS_RATE_REPLAY_ARRIVALS:
      break;
    case STRATUS_RATE_STEPS:
      for (guint i = 0; i < c->steps->len; i++)
        if (g_array_index (c->steps, StratusRateStep, i).at > t)
          {
            until = g_array_index (c->steps, StratusRateStep, i).at;
            break;
          }
      break;
    case STRATUS_RATE_SPIKE:
      if (t < c->spike_at)
        until = c->spike_at;
      else if (t - c->spike_at < c->spike_for)
        until = stratus_time_add (c->spike_at, c->spike_for);
      break;
    case STRATUS_RATE_REPLAY_RATES:
      {
        StratusTime row = t / c->trace_step;
        if (row < (StratusTime) c->trace_rates->len)
          until = row + 1 > STRATUS_TIME_NEVER / c->trace_step ? STRATUS_TIME_NEVER
                                                                : (row + 1) * c->trace_step;
        break;
      }
    case STRATUS_RATE_DIURNAL:
      {
        if (c->max <= 0) /* zero all day: no arrivals ever (no walk over empty segments) */
          break;
        StratusTime segment = c->period / DIURNAL_SEGMENTS;
        if (segment < STRATUS_SECOND)
          segment = STRATUS_SECOND;
        if (c->max * stratus_time_seconds (segment) < 1)
          {
            /* Less than one candidate per segment: walking segment by segment would take
             * longer than the arrivals (F2: max 1e-12/s walked 100 years of 1 s segments).
             * One bound, the maximum, for all time: candidates are as many as arrivals at
             * the maximum rate, and thinning keeps the exact rate. */
            rate = c->max;
            exact = c->max == c->min;
            break;
          }
        until = (t / segment + 1) * segment;
        double hi = fmax (rate, diurnal (c, until));
        /* The peak lies inside [t, until) if some peak_at + k * period does. */
        StratusTime offset = (t - c->peak_at) % c->period;
        if (offset < 0)
          offset += c->period;
        if (offset == 0 || c->period - offset < until - t)
          hi = c->max;
        rate = hi;
        exact = c->max == c->min;
        break;
      }
    }
  p->bound_rate = rate / 1e9;
  p->bound_until = until;
  p->bound_exact = exact;
}

void
arrivals_init (ArrivalProcess *p, const StratusRateConfig *config, gsl_rng *rng)
{
  *p = (ArrivalProcess){ .config = config, .rng = rng, .bound_until = -1 };
}

/* The next replayed timestamp at or after `now`, or STRATUS_TIME_NEVER. */
static StratusTime
next_replayed (ArrivalProcess *p, StratusTime now)
{
  const StratusRateConfig *c = p->config;
  while (p->trace_index < c->trace_arrivals->len)
    {
      StratusTime t = g_array_index (c->trace_arrivals, StratusTime, p->trace_index++);
      if (t >= now)
        return t;
    }
  return STRATUS_TIME_NEVER;
}

StratusTime
arrivals_next (ArrivalProcess *p, StratusTime now)
{
  const StratusRateConfig *c = p->config;
  if (c->shape == STRATUS_RATE_REPLAY_ARRIVALS)
    return next_replayed (p, now);
  double t = (double) now;
  StratusTime current = now;
  for (;;)
    {
      /* No run lasts longer than STRATUS_TIME_INPUT_MAX: a later arrival is never used. */
      if (current > STRATUS_TIME_INPUT_MAX)
        return STRATUS_TIME_NEVER;
      if (current >= p->bound_until || p->bound_until < 0)
        compute_bound (p, current);
      if (p->bound_rate <= 0)
        {
          if (p->bound_until == STRATUS_TIME_NEVER)
            return STRATUS_TIME_NEVER;
          current = p->bound_until;
          t = (double) current;
          continue;
        }
      t += -log (gsl_rng_uniform_pos (p->rng)) / p->bound_rate;
      if (!(t < (double) p->bound_until))
        {
          /* A segment without end: the candidate lies past the end of time (B4: 1e-12/s). */
          if (p->bound_until == STRATUS_TIME_NEVER)
            return STRATUS_TIME_NEVER;
          /* Memoryless: restart from the segment's end with the next segment's rate. */
          current = p->bound_until;
          t = (double) current;
          continue;
        }
      if (t > (double) STRATUS_TIME_INPUT_MAX)
        return STRATUS_TIME_NEVER;
      StratusTime candidate = stratus_time_from_ns (t);
      if (candidate <= now)
        candidate = now + 1;
      current = candidate;
      if (p->bound_exact
          || gsl_rng_uniform (p->rng) * p->bound_rate * 1e9 <= arrivals_rate_at (c, candidate))
        return candidate;
    }
}
