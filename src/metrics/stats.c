/* Welford summaries, Student-t intervals, time-weighted averages. */
#include "stratus/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void
stratus_summary_add (StratusSummary *s, double x)
{
  s->n++;
  double delta = x - s->mean;
  s->mean += delta / (double) s->n;
  s->m2 += delta * (x - s->mean);
}

double
stratus_summary_variance (const StratusSummary *s)
{
  return s->n > 1 ? s->m2 / (double) (s->n - 1) : 0.0;
}

double
stratus_summary_ci95 (const StratusSummary *s)
{
  if (s->n < 2)
    return 0.0;
  double t = gsl_cdf_tdist_Pinv (0.975, (double) (s->n - 1));
  return t * sqrt (stratus_summary_variance (s) / (double) s->n);
}

void
stratus_time_average_reset (StratusTimeAverage *a, StratusTime now)
{
  a->start = now;
  a->last = now;
  a->area = 0;
}

double
stratus_time_average_area (const StratusTimeAverage *a, StratusTime now)
{
  return a->area + a->value * (double) (now - a->last);
}

double
stratus_time_average_mean (const StratusTimeAverage *a, StratusTime now)
{
  if (now <= a->start)
    return a->value;
  return stratus_time_average_area (a, now) / (double) (now - a->start);
}
