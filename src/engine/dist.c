/* Distributions parameterised by mean (+ cv or shape). */
#include "stratus/dist.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (stratus-dist-error-quark, stratus_dist_error)

static const char *const kind_names[] = {
  "constant", "exponential", "uniform", "normal", "lognormal",
  "gamma", "weibull", "pareto", "empirical", NULL,
};

bool
stratus_dist_kind_from_name (const char *name, StratusDistKind *kind)
{
  for (int i = 0; kind_names[i] != NULL; i++)
    if (strcmp (kind_names[i], name) == 0)
      {
        *kind = (StratusDistKind) i;
        return true;
      }
  return false;
}

const char *
stratus_dist_kind_name (StratusDistKind kind)
{
  return kind_names[kind];
}

const char *const *
stratus_dist_kind_names (void)
{
  return kind_names;
}

static bool G_GNUC_PRINTF (2, 3)
fail (GError **error, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  char *message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error_literal (error, STRATUS_DIST_ERROR, 0, message);
  g_free (message);
  return false;
}

bool
stratus_dist_init (StratusDist *d, StratusDistKind kind, double mean, double cv, double shape,
                   const double *samples, size_t n_samples, GError **error)
{
  const char *name = kind_names[kind];
  memset (d, 0, sizeof *d);
  d->kind = kind;
  d->mean = mean;
  if (kind != STRATUS_DIST_EMPIRICAL && !(mean >= 0 && isfinite (mean)))
    return fail (error, "%s: mean must be >= 0 (got %g)", name, mean);

  switch (kind)
    {
    case STRATUS_DIST_CONSTANT:
    case STRATUS_DIST_EXPONENTIAL:
      break;
    case STRATUS_DIST_UNIFORM:
      d->cv = cv < 0 ? 1.0 / sqrt (3.0) : cv;
      if (d->cv > 1.0 / sqrt (3.0) + 1e-12)
        return fail (error, "%s: cv must be <= 0.577 (1/sqrt(3)) to stay non-negative (got %g)",
                     name, d->cv);
      d->p1 = mean * (1 - d->cv * sqrt (3.0));
      d->p2 = mean * (1 + d->cv * sqrt (3.0));
      break;
    case STRATUS_DIST_NORMAL:
    case STRATUS_DIST_LOGNORMAL:
      if (cv < 0)
        return fail (error, "%s needs cv (the coefficient of variation)", name);
      d->cv = cv;
      if (kind == STRATUS_DIST_NORMAL)
        d->p1 = mean * cv;
      else
        {
          double sigma2 = log1p (cv * cv);
          d->p1 = (mean > 0 ? log (mean) : -INFINITY) - sigma2 / 2;
          d->p2 = sqrt (sigma2);
        }
      break;
    case STRATUS_DIST_GAMMA:
      if (shape > 0)
        d->shape = shape;
      else if (cv > 0)
        d->shape = 1.0 / (cv * cv);
      else
        return fail (error, "%s needs cv > 0 or shape > 0", name);
      d->cv = 1.0 / sqrt (d->shape);
      d->p1 = mean / d->shape;
      break;
    case STRATUS_DIST_WEIBULL:
      if (shape < 0)
        return fail (error, "%s needs shape (> 0)", name);
      if (!(shape > 0))
        return fail (error, "%s needs shape > 0 (got %g)", name, shape);
      d->shape = shape;
      d->p1 = mean / gsl_sf_gamma (1 + 1 / shape);
      break;
    case STRATUS_DIST_PARETO:
      if (shape < 0)
        return fail (error, "%s needs shape (> 1 so that the mean is finite)", name);
      if (!(shape > 1))
        return fail (error, "%s needs shape > 1 so that the mean is finite (got %g)", name,
                     shape);
      d->shape = shape;
      d->p1 = mean * (shape - 1) / shape;
      break;
    case STRATUS_DIST_EMPIRICAL:
      {
        if (samples == NULL || n_samples == 0)
          return fail (error, "%s needs at least one sample", name);
        double sum = 0;
        for (size_t i = 0; i < n_samples; i++)
          {
            if (!(samples[i] >= 0 && isfinite (samples[i])))
              return fail (error, "%s: samples must be >= 0 (found %g)", name, samples[i]);
            sum += samples[i];
          }
        double own_mean = sum / (double) n_samples;
        double scale = 1.0;
        if (mean >= 0)
          {
            if (own_mean <= 0 && mean > 0)
              return fail (error, "%s: cannot rescale samples whose mean is 0 to mean %g", name,
                           mean);
            scale = own_mean > 0 ? mean / own_mean : 1.0;
          }
        d->samples = g_new (double, n_samples);
        d->n_samples = n_samples;
        for (size_t i = 0; i < n_samples; i++)
          d->samples[i] = samples[i] * scale;
        d->mean = own_mean * scale;
        break;
      }
    }
  return true;
}

double
stratus_dist_sample (const StratusDist *d, gsl_rng *rng)
{
  switch (d->kind)
    {
    case STRATUS_DIST_CONSTANT:
      return d->mean;
    case STRATUS_DIST_EXPONENTIAL:
      return -d->mean * log (gsl_rng_uniform_pos (rng));
    case STRATUS_DIST_UNIFORM:
      return gsl_ran_flat (rng, d->p1, d->p2);
    case STRATUS_DIST_NORMAL:
      for (int tries = 0; tries < 1000; tries++)
        {
          double x = d->mean + gsl_ran_gaussian_ziggurat (rng, d->p1);
          if (x >= 0)
            return x;
        }
      return 0;
    case STRATUS_DIST_LOGNORMAL:
      return d->mean > 0 ? gsl_ran_lognormal (rng, d->p1, d->p2) : 0;
    case STRATUS_DIST_GAMMA:
      return gsl_ran_gamma (rng, d->shape, d->p1);
    case STRATUS_DIST_WEIBULL:
      return gsl_ran_weibull (rng, d->p1, d->shape);
    case STRATUS_DIST_PARETO:
      return gsl_ran_pareto (rng, d->shape, d->p1);
    case STRATUS_DIST_EMPIRICAL:
      return d->samples[gsl_rng_uniform_int (rng, (unsigned long) d->n_samples)];
    }
  g_assert_not_reached ();
}

StratusTime
stratus_dist_sample_time (const StratusDist *d, gsl_rng *rng)
{
  return stratus_time_from_ns (stratus_dist_sample (d, rng));
}

double
stratus_dist_cv (const StratusDist *d)
{
  switch (d->kind)
    {
    case STRATUS_DIST_CONSTANT:
      return 0;
    case STRATUS_DIST_EXPONENTIAL:
      return 1;
    case STRATUS_DIST_UNIFORM:
    case STRATUS_DIST_NORMAL:
    case STRATUS_DIST_LOGNORMAL:
    case STRATUS_DIST_GAMMA:
      return d->cv;
    case STRATUS_DIST_WEIBULL:
      {
        double g1 = gsl_sf_gamma (1 + 1 / d->shape);
        return sqrt (gsl_sf_gamma (1 + 2 / d->shape) / (g1 * g1) - 1);
      }
    case STRATUS_DIST_PARETO:
      return d->shape > 2 ? 1 / sqrt (d->shape * (d->shape - 2)) : INFINITY;
    case STRATUS_DIST_EMPIRICAL:
      {
        if (d->mean <= 0)
          return 0;
        double ss = 0;
        for (size_t i = 0; i < d->n_samples; i++)
          ss += (d->samples[i] - d->mean) * (d->samples[i] - d->mean);
        return sqrt (ss / (double) d->n_samples) / d->mean;
      }
    }
  g_assert_not_reached ();
}

void
stratus_dist_clear (StratusDist *d)
{
  g_clear_pointer (&d->samples, g_free);
  d->n_samples = 0;
}

void
stratus_dist_copy (StratusDist *dst, const StratusDist *src)
{
  *dst = *src;
  if (src->samples != NULL)
    dst->samples = g_memdup2 (src->samples, src->n_samples * sizeof (double));
}
