/* Probability distributions, each given by its mean (plus cv or a shape parameter where
 * it has one), so that changing `dist:` keeps the offered load the same. Values are plain
 * doubles; callers choose the unit (the model samples nanoseconds). One exception: the
 * normal is truncated at 0 by redrawing, which raises its mean (by 0.003% at cv 0.25,
 * 2.8% at cv 0.5, 29% at cv 1); prefer lognormal or gamma for variable service times. */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

#include "stratus/simtime.h"

typedef enum
{
  STRATUS_DIST_CONSTANT,
  STRATUS_DIST_EXPONENTIAL,
  STRATUS_DIST_UNIFORM,     /* mean, cv (cv <= 1/sqrt(3) so that it stays >= 0) */
  STRATUS_DIST_NORMAL,      /* mean, cv; truncated at 0 by redrawing */
  STRATUS_DIST_LOGNORMAL,   /* mean, cv */
  STRATUS_DIST_GAMMA,       /* mean, and cv or shape (shape = 1/cv^2) */
  STRATUS_DIST_WEIBULL,     /* mean, shape */
  STRATUS_DIST_PARETO,      /* mean, shape (> 1) */
  STRATUS_DIST_EMPIRICAL,   /* samples drawn uniformly, rescaled to mean if one is given */
} StratusDistKind;

typedef struct
{
  StratusDistKind kind;
  double mean;
  double cv;    /* for kinds with a cv; 0 otherwise */
  double shape; /* for kinds with a shape; 0 otherwise */
  double p1, p2; /* derived parameters of the underlying GSL distribution */
  double *samples; /* empirical: owned; freed by stratus_dist_clear */
  size_t n_samples;
} StratusDist;

/* Limits on parameters, so that every draw is a finite number that converts to
 * nanoseconds without overflow (see docs/scenario-reference.md, "Distributions"). Values
 * are nanoseconds when sampled as times, as the model does. */

/* The largest mean, and the largest empirical sample (after rescaling): 100 years. */
#define STRATUS_DIST_VALUE_MAX ((double) STRATUS_TIME_INPUT_MAX)

/* The largest cv of normal, lognormal and gamma (beyond it the draws are almost all 0 or
 * astronomically large, and 1/cv^2 or log1p(cv^2) lose their meaning). */
#define STRATUS_DIST_CV_MAX 1000.0

/* Gamma's shape (1/cv^2) lies in [1e-6, 1e12]: cv from 1e-6 to 1000. */
#define STRATUS_DIST_GAMMA_SHAPE_MIN 1e-6
#define STRATUS_DIST_GAMMA_SHAPE_MAX 1e12

/* Weibull's shape lies in [0.05, 1e6]: below 0.05, gamma(1 + 2/shape) (its variance) grows
 * past 1e47 and soon overflows a double (at shape 0.0118). */
#define STRATUS_DIST_WEIBULL_SHAPE_MIN 0.05

/* The largest shape of weibull and pareto: beyond it they are constants in all but name. */
#define STRATUS_DIST_SHAPE_MAX 1e6

/* Replaces GSL's default error handler (which aborts the process) with one that only
 * records the error, once per process (thread-safe; called by stratus_dist_init and
 * stratus_rng_stream_new). Callers use GSL's `_e` functions and check their status. */
void stratus_gsl_errors_init (void);

/* The reason of the last GSL error reported through the handler on this thread (a static
 * string), or NULL if none; for messages and tests. */
const char *stratus_gsl_last_error (void);

/* Parses a kind name ("lognormal"); false if unknown. */
bool stratus_dist_kind_from_name (const char *name, StratusDistKind *kind);

/* The kind's name as written in scenario files. */
const char *stratus_dist_kind_name (StratusDistKind kind);

/* The NULL-terminated list of kind names, for "did you mean" hints. */
const char *const *stratus_dist_kind_names (void);

/* Fills `dist` for `kind` with `mean` and, where the kind takes one, `cv` or `shape`
 * (pass a negative value for "not given"). Returns false with a message in `error` (one
 * line naming the kind, the parameter and the limit) when the parameters are out of range
 * (see the limits above). For empirical, `samples` (copied) must be given. */
bool stratus_dist_init (StratusDist *dist, StratusDistKind kind, double mean, double cv,
                        double shape, const double *samples, size_t n_samples, GError **error);

/* One draw (>= 0; finite for parameters within the limits above). */
double stratus_dist_sample (const StratusDist *dist, gsl_rng *rng);

/* One draw as a duration in nanoseconds, clamped to [0, STRATUS_TIME_INPUT_MAX]. */
StratusTime stratus_dist_sample_time (const StratusDist *dist, gsl_rng *rng);

/* The coefficient of variation the distribution actually has (for reports and tests). */
double stratus_dist_cv (const StratusDist *dist);

/* Releases what init allocated; the struct may be re-initialised afterwards. */
void stratus_dist_clear (StratusDist *dist);

/* A deep copy of src into dst. */
void stratus_dist_copy (StratusDist *dst, const StratusDist *src);

#define STRATUS_DIST_ERROR (stratus_dist_error_quark ())
GQuark stratus_dist_error_quark (void);
