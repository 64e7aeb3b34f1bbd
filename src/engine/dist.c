/* Distributions parameterised by mean (+ cv or shape). */
#include "stratus/dist.h"

#include <gsl/gsl_errno.h>
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

/* ---- GSL errors -------------------------------------------------------------------- */

static GPrivate last_gsl_error;

/* GSL's error handler: remembers the reason instead of aborting. The callers use the `_e`
 * functions, whose status says that something failed. */
static void
record_gsl_error (const char *reason, const char *file, int line, int gsl_errno)
{
  (void) file;
  (void) line;
  (void) gsl_errno;
  g_private_set (&last_gsl_error, (gpointer) reason);
}

/* g_once body: installs record_gsl_error process-wide. */
static gpointer
install_gsl_handler (gpointer data)
{
  (void) data;
  gsl_set_error_handler (record_gsl_error);
  return NULL;
}

void
stratus_gsl_errors_init (void)
{
  static GOnce once = G_ONCE_INIT;
  g_once (&once, install_gsl_handler, NULL);
}

const char *
stratus_gsl_last_error (void)
{
  return g_private_get (&last_gsl_error);
}

/* gamma(x) into *out, or false with an error naming the kind and parameter. */
static bool
checked_gamma (double x, double *out, const char *name, const char *param, double value,
               GError **error)
{
  gsl_sf_result r;
  int status = gsl_sf_gamma_e (x, &r);
  if (status != GSL_SUCCESS || !isfinite (r.val) || r.val <= 0)
    return fail (error, "%s: %s %g is out of range (GSL: %s)", name, param, value,
                 gsl_strerror (status != GSL_SUCCESS ? status : GSL_EOVRFLW));
  *out = r.val;
  return true;
}

/* ---- parameters --------------------------------------------------------------------- */

/* Normal and lognormal: cv required, at most STRATUS_DIST_CV_MAX. */
static bool
init_cv_kind (StratusDist *d, const char *name, double cv, GError **error)
{
  if (cv < 0)
    return fail (error, "%s needs cv (the coefficient of variation)", name);
  if (!(cv <= STRATUS_DIST_CV_MAX))
    return fail (error, "%s: cv %g is above the limit of %g", name, cv, STRATUS_DIST_CV_MAX);
  d->cv = cv;
  if (d->kind == STRATUS_DIST_NORMAL)
    d->p1 = d->mean * cv;
  else
    {
      double sigma2 = log1p (cv * cv);
      d->p1 = (d->mean > 0 ? log (d->mean) : -INFINITY) - sigma2 / 2;
      d->p2 = sqrt (sigma2);
    }
  return true;
}

/* Gamma: cv or shape, the shape (1/cv^2) within [GAMMA_SHAPE_MIN, GAMMA_SHAPE_MAX]. */
static bool
init_gamma (StratusDist *d, const char *name, double cv, double shape, GError **error)
{
  if (shape > 0)
    d->shape = shape;
  else if (cv > 0)
    {
      if (!(cv <= STRATUS_DIST_CV_MAX))
        return fail (error, "%s: cv %g is above the limit of %g", name, cv, STRATUS_DIST_CV_MAX);
      d->shape = 1.0 / (cv * cv);
    }
  else
    return fail (error, "%s needs cv > 0 or shape > 0", name);
  if (!(d->shape <= STRATUS_DIST_GAMMA_SHAPE_MAX))
    return shape > 0 ? fail (error, "%s: shape %g is above the limit of %g", name, shape,
                             STRATUS_DIST_GAMMA_SHAPE_MAX)
                     : fail (error, "%s: cv %g is below the limit of %g (shape 1/cv^2 at most %g)",
                             name, cv, 1 / sqrt (STRATUS_DIST_GAMMA_SHAPE_MAX),
                             STRATUS_DIST_GAMMA_SHAPE_MAX);
  if (!(d->shape >= STRATUS_DIST_GAMMA_SHAPE_MIN))
    return fail (error, "%s: shape %g is below the limit of %g", name, d->shape,
                 STRATUS_DIST_GAMMA_SHAPE_MIN);
  d->cv = 1.0 / sqrt (d->shape);
  d->p1 = d->mean / d->shape;
  return true;
}

/* Weibull and pareto: a shape within their limits. */
static bool
init_shape_kind (StratusDist *d, const char *name, double shape, GError **error)
{
  bool weibull = d->kind == STRATUS_DIST_WEIBULL;
  if (shape < 0)
    return weibull ? fail (error, "%s needs shape (> 0)", name)
                   : fail (error, "%s needs shape (> 1 so that the mean is finite)", name);
  if (weibull && !(shape >= STRATUS_DIST_WEIBULL_SHAPE_MIN))
    return fail (error, "%s needs shape >= %g (got %g): below it the draws overflow", name,
                 STRATUS_DIST_WEIBULL_SHAPE_MIN, shape);
  if (!weibull && !(shape > 1))
    return fail (error, "%s needs shape > 1 so that the mean is finite (got %g)", name, shape);
  if (!(shape <= STRATUS_DIST_SHAPE_MAX))
    return fail (error, "%s: shape %g is above the limit of %g", name, shape,
                 STRATUS_DIST_SHAPE_MAX);
  d->shape = shape;
  if (!weibull)
    {
      /* No overflow: mean * (shape - 1) is at most 3.2e18 * 1e6 under the limits (this
       * form, rather than mean * (1 - 1/shape), keeps earlier runs' draws bit for bit). */
      d->p1 = d->mean * (shape - 1) / shape;
      return true;
    }
  double g = 1; /* set by checked_gamma when it succeeds */
  if (!checked_gamma (1 + 1 / shape, &g, name, "shape", shape, error))
    return false;
  d->p1 = d->mean / g;
  return true;
}

/* Empirical: samples >= 0, rescaled to `mean` when it is given (>= 0), each at most
 * STRATUS_DIST_VALUE_MAX after rescaling. */
static bool
init_empirical (StratusDist *d, const char *name, double mean, const double *samples,
                size_t n_samples, GError **error)
{
  if (samples == NULL || n_samples == 0)
    return fail (error, "%s needs at least one sample", name);
  double sum = 0, largest = 0;
  for (size_t i = 0; i < n_samples; i++)
    {
      if (!(samples[i] >= 0 && isfinite (samples[i])))
        return fail (error, "%s: samples must be >= 0 (found %g)", name, samples[i]);
      sum += samples[i];
      largest = fmax (largest, samples[i]);
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
  if (!(largest * scale <= STRATUS_DIST_VALUE_MAX))
    return fail (error,
                 "%s: a sample of %g ns%s is longer than the simulator's limit of 36525d "
                 "(100 years)", name, largest * scale,
                 scale != 1.0 ? " (after rescaling to the mean)" : "");
  d->samples = g_new (double, n_samples);
  d->n_samples = n_samples;
  for (size_t i = 0; i < n_samples; i++)
    d->samples[i] = samples[i] * scale;
  d->mean = own_mean * scale;
  return true;
}

bool
stratus_dist_init (StratusDist *d, StratusDistKind kind, double mean, double cv, double shape,
                   const double *samples, size_t n_samples, GError **error)
{
  stratus_gsl_errors_init ();
  const char *name = kind_names[kind];
  memset (d, 0, sizeof *d);
  d->kind = kind;
  d->mean = mean;
  if (kind != STRATUS_DIST_EMPIRICAL && !(mean >= 0 && isfinite (mean)))
    return fail (error, "%s: mean must be >= 0 (got %g)", name, mean);
  if (kind != STRATUS_DIST_EMPIRICAL && !(mean <= STRATUS_DIST_VALUE_MAX))
    return fail (error,
                 "%s: a mean of %g ns is longer than the simulator's limit of 36525d (100 years)",
                 name, mean);

  switch (kind)
    {
    case STRATUS_DIST_CONSTANT:
    case STRATUS_DIST_EXPONENTIAL:
      return true;
    case STRATUS_DIST_UNIFORM:
      d->cv = cv < 0 ? 1.0 / sqrt (3.0) : cv;
      if (d->cv > 1.0 / sqrt (3.0) + 1e-12)
        return fail (error, "%s: cv must be <= 0.577 (1/sqrt(3)) to stay non-negative (got %g)",
                     name, d->cv);
      d->p1 = mean * (1 - d->cv * sqrt (3.0));
      d->p2 = mean * (1 + d->cv * sqrt (3.0));
      return true;
    case STRATUS_DIST_NORMAL:
    case STRATUS_DIST_LOGNORMAL:
      return init_cv_kind (d, name, cv, error);
    case STRATUS_DIST_GAMMA:
      return init_gamma (d, name, cv, shape, error);
    case STRATUS_DIST_WEIBULL:
    case STRATUS_DIST_PARETO:
      return init_shape_kind (d, name, shape, error);
    case STRATUS_DIST_EMPIRICAL:
      return init_empirical (d, name, mean, samples, n_samples, error);
    }
  g_assert_not_reached ();
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
        /* Finite for shapes >= STRATUS_DIST_WEIBULL_SHAPE_MIN; NaN rather than an abort
         * for a struct filled by hand with a smaller one. */
        gsl_sf_result g1, g2;
        if (gsl_sf_gamma_e (1 + 1 / d->shape, &g1) != GSL_SUCCESS
            || gsl_sf_gamma_e (1 + 2 / d->shape, &g2) != GSL_SUCCESS)
          return NAN;
        return sqrt (g2.val / (g1.val * g1.val) - 1);
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
