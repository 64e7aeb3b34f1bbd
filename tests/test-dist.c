/* Unit tests of the distributions (moments of every kind, parameter validation and limits,
 * names), of GSL's error handler, and of the random streams (determinism and independence). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "stratus/dist.h"
#include "stratus/rng.h"

#define N_DRAWS 200000
#define SEED 20240611u

/* ---- moment checks -------------------------------------------------------------------- */

typedef struct
{
  double mean, sd, m4; /* sample mean, sample sd, 4th central moment */
  double min, max;
} Moments;

/* Draws N_DRAWS values from a stream named after the test and computes their moments. */
static Moments
sample_moments (const StratusDist *d, const char *stream_name)
{
  gsl_rng *rng = stratus_rng_stream_new (SEED, 0, stream_name);
  double *x = g_new (double, N_DRAWS);
  Moments m = { .min = INFINITY, .max = -INFINITY };
  double sum = 0;
  for (size_t i = 0; i < N_DRAWS; i++)
    {
      x[i] = stratus_dist_sample (d, rng);
      sum += x[i];
      if (x[i] < m.min)
        m.min = x[i];
      if (x[i] > m.max)
        m.max = x[i];
    }
  m.mean = sum / N_DRAWS;
  double s2 = 0, s4 = 0;
  for (size_t i = 0; i < N_DRAWS; i++)
    {
      double dev = x[i] - m.mean;
      s2 += dev * dev;
      s4 += dev * dev * dev * dev;
    }
  m.sd = sqrt (s2 / (N_DRAWS - 1));
  m.m4 = s4 / N_DRAWS;
  g_free (x);
  gsl_rng_free (rng);
  return m;
}

/* Checks the sample mean against the configured mean within 5 standard errors (using the
 * distribution's own sd, mean * cv), and, when check_cv, the sample cv against
 * stratus_dist_cv within 5 of its standard errors (estimated from the 4th moment). */
static void
check_moments (const StratusDist *d, const char *name, bool check_cv)
{
  const double mean = d->mean;
  const double cv = stratus_dist_cv (d);
  Moments m = sample_moments (d, name);

  if (!(m.min >= 0))
    fail_msg ("%s: negative sample %g", name, m.min);

  double se_mean = mean * cv / sqrt (N_DRAWS);
  double tol_mean = 5 * se_mean + 1e-12 * mean;
  if (!(fabs (m.mean - mean) <= tol_mean))
    fail_msg ("%s: sample mean %.6g, expected %.6g +- %.3g (5 standard errors)", name, m.mean,
              mean, tol_mean);

  if (!check_cv)
    return;
  double sample_cv = m.sd / m.mean;
  /* Var(s^2) ~ (m4 - s^4) / n; the relative error of the cv is about half that of s^2
   * plus that of the mean. */
  double s2 = m.sd * m.sd;
  double rel_se = (s2 > 0 ? sqrt (fmax (m.m4 - s2 * s2, 0) / N_DRAWS) / (2 * s2) : 0)
                  + (mean > 0 ? se_mean / mean : 0);
  double tol_cv = 5 * cv * rel_se + 1e-9;
  if (!(fabs (sample_cv - cv) <= tol_cv))
    fail_msg ("%s: sample cv %.5g, expected %.5g +- %.3g", name, sample_cv, cv, tol_cv);
  /* the statistical tolerance must not be so loose that it proves nothing */
  assert_true (tol_cv <= 0.2 * cv + 1e-9);
}

static StratusDist
make (StratusDistKind kind, double mean, double cv, double shape)
{
  StratusDist d;
  GError *error = NULL;
  bool ok = stratus_dist_init (&d, kind, mean, cv, shape, NULL, 0, &error);
  if (!ok)
    fail_msg ("init %s failed: %s", stratus_dist_kind_name (kind), error->message);
  assert_null (error);
  assert_int_equal (d.kind, kind);
  return d;
}

static void
dist_constant_always_returns_the_mean (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_CONSTANT, 3.5, -1, -1);
  assert_true (stratus_dist_cv (&d) == 0);
  gsl_rng *rng = stratus_rng_stream_new (SEED, 0, "constant");
  for (int i = 0; i < 1000; i++)
    assert_true (stratus_dist_sample (&d, rng) == 3.5);
  gsl_rng_free (rng);
  stratus_dist_clear (&d);
}

static void
dist_exponential_mean_and_cv (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_EXPONENTIAL, 2e6, -1, -1);
  assert_true (stratus_dist_cv (&d) == 1);
  check_moments (&d, "exponential", true);
  stratus_dist_clear (&d);
}

static void
dist_uniform_mean_cv_and_range (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_UNIFORM, 10, 0.3, -1);
  assert_true (fabs (stratus_dist_cv (&d) - 0.3) < 1e-12);
  check_moments (&d, "uniform", true);
  Moments m = sample_moments (&d, "uniform");
  double half = 10 * 0.3 * sqrt (3.0);
  assert_true (m.min >= 10 - half && m.max <= 10 + half);
  assert_true (m.min < 10 - 0.99 * half && m.max > 10 + 0.99 * half);
  stratus_dist_clear (&d);

  /* without a cv: the widest uniform that stays >= 0, i.e. [0, 2 * mean] */
  d = make (STRATUS_DIST_UNIFORM, 4, -1, -1);
  assert_true (fabs (stratus_dist_cv (&d) - 1 / sqrt (3.0)) < 1e-12);
  check_moments (&d, "uniform-default", true);
  m = sample_moments (&d, "uniform-default");
  assert_true (m.min >= 0 && m.max <= 8 && m.max > 7.99);
  stratus_dist_clear (&d);
}

static void
dist_normal_mean_and_cv (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_NORMAL, 100, 0.2, -1);
  assert_true (fabs (stratus_dist_cv (&d) - 0.2) < 1e-12);
  check_moments (&d, "normal", true);
  stratus_dist_clear (&d);

  /* a wide normal is truncated at 0 by redrawing: never negative */
  d = make (STRATUS_DIST_NORMAL, 1, 2, -1);
  Moments m = sample_moments (&d, "normal-wide");
  assert_true (m.min >= 0);
  assert_true (m.mean > 1); /* cutting off the left tail raises the mean */
  stratus_dist_clear (&d);
}

static void
dist_lognormal_mean_and_cv (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_LOGNORMAL, 5, 0.5, -1);
  assert_true (fabs (stratus_dist_cv (&d) - 0.5) < 1e-12);
  check_moments (&d, "lognormal-0.5", true);
  stratus_dist_clear (&d);

  d = make (STRATUS_DIST_LOGNORMAL, 5, 2, -1);
  assert_true (fabs (stratus_dist_cv (&d) - 2) < 1e-12);
  /* cv 2 has a heavy tail (excess kurtosis ~ 944): the mean is checked, the cv loosely */
  check_moments (&d, "lognormal-2", false);
  Moments m = sample_moments (&d, "lognormal-2");
  assert_true (fabs (m.sd / m.mean - 2) < 0.3);
  stratus_dist_clear (&d);

  /* mean 0 gives zeros, not NaN */
  d = make (STRATUS_DIST_LOGNORMAL, 0, 1, -1);
  gsl_rng *rng = stratus_rng_stream_new (SEED, 0, "lognormal-0");
  assert_true (stratus_dist_sample (&d, rng) == 0);
  gsl_rng_free (rng);
  stratus_dist_clear (&d);
}

static void
dist_gamma_via_cv_and_via_shape (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_GAMMA, 4, 0.5, -1);
  assert_true (fabs (d.shape - 4) < 1e-12); /* shape = 1 / cv^2 */
  assert_true (fabs (stratus_dist_cv (&d) - 0.5) < 1e-12);
  check_moments (&d, "gamma-cv", true);
  stratus_dist_clear (&d);

  d = make (STRATUS_DIST_GAMMA, 4, -1, 0.5);
  assert_true (fabs (stratus_dist_cv (&d) - sqrt (2.0)) < 1e-12); /* cv = 1 / sqrt(shape) */
  check_moments (&d, "gamma-shape", true);
  stratus_dist_clear (&d);
}

static void
dist_weibull_mean_and_cv (void **state)
{
  (void) state;
  /* shape 1 is the exponential: cv exactly 1 */
  StratusDist d = make (STRATUS_DIST_WEIBULL, 3, -1, 1);
  assert_true (fabs (stratus_dist_cv (&d) - 1) < 1e-9);
  check_moments (&d, "weibull-1", true);
  stratus_dist_clear (&d);

  d = make (STRATUS_DIST_WEIBULL, 3, -1, 1.5);
  /* cv of Weibull(k = 1.5): sqrt(G(1 + 2/k) / G(1 + 1/k)^2 - 1) = 0.678969 */
  assert_true (fabs (stratus_dist_cv (&d) - 0.678969) < 1e-5);
  check_moments (&d, "weibull-1.5", true);
  stratus_dist_clear (&d);

  d = make (STRATUS_DIST_WEIBULL, 3, -1, 0.7);
  check_moments (&d, "weibull-0.7", true);
  stratus_dist_clear (&d);
}

static void
dist_pareto_mean_and_cv (void **state)
{
  (void) state;
  /* shape 3: finite variance but infinite 4th moment; check the mean and the support */
  StratusDist d = make (STRATUS_DIST_PARETO, 2, -1, 3);
  assert_true (fabs (stratus_dist_cv (&d) - 1 / sqrt (3.0)) < 1e-12);
  check_moments (&d, "pareto-3", false);
  Moments m = sample_moments (&d, "pareto-3");
  double scale = 2.0 * 2 / 3; /* x_m = mean (a - 1) / a */
  assert_true (m.min >= scale && m.min < scale * 1.001);
  stratus_dist_clear (&d);

  /* shape 6: light enough for the cv check (1 / sqrt(a (a - 2)) = 0.2041) */
  d = make (STRATUS_DIST_PARETO, 2, -1, 6);
  assert_true (fabs (stratus_dist_cv (&d) - 1 / sqrt (24.0)) < 1e-12);
  check_moments (&d, "pareto-6", true);
  stratus_dist_clear (&d);

  /* shape 2: the cv is infinite */
  d = make (STRATUS_DIST_PARETO, 2, -1, 2);
  assert_true (isinf (stratus_dist_cv (&d)));
  stratus_dist_clear (&d);
}

static void
dist_empirical_draws_given_samples (void **state)
{
  (void) state;
  const double samples[] = { 1, 2, 3, 10 };
  StratusDist d;
  GError *error = NULL;
  /* without a mean: the samples as they are (mean 4, population sd sqrt(12.5)) */
  assert_true (stratus_dist_init (&d, STRATUS_DIST_EMPIRICAL, -1, -1, -1, samples, 4, &error));
  assert_null (error);
  assert_true (fabs (d.mean - 4) < 1e-12);
  assert_true (fabs (stratus_dist_cv (&d) - sqrt (12.5) / 4) < 1e-12);
  check_moments (&d, "empirical", true);
  gsl_rng *rng = stratus_rng_stream_new (SEED, 0, "empirical-values");
  int seen[4] = { 0 };
  for (int i = 0; i < 4000; i++)
    {
      double x = stratus_dist_sample (&d, rng);
      int k = x == 1 ? 0 : x == 2 ? 1 : x == 3 ? 2 : x == 10 ? 3 : -1;
      if (k < 0)
        fail_msg ("empirical drew %g, not one of the samples", x);
      seen[k]++;
    }
  for (int k = 0; k < 4; k++)
    assert_true (seen[k] > 850 && seen[k] < 1150); /* 1000 +- ~5.5 sd */
  gsl_rng_free (rng);

  /* a deep copy survives the original being cleared */
  StratusDist copy;
  stratus_dist_copy (&copy, &d);
  assert_ptr_not_equal (copy.samples, d.samples);
  stratus_dist_clear (&d);
  assert_null (d.samples);
  assert_int_equal (d.n_samples, 0);
  check_moments (&copy, "empirical", true);
  stratus_dist_clear (&copy);

  /* with a mean: rescaled to it, the cv unchanged */
  assert_true (stratus_dist_init (&d, STRATUS_DIST_EMPIRICAL, 8, -1, -1, samples, 4, &error));
  assert_true (fabs (d.mean - 8) < 1e-12);
  assert_true (fabs (stratus_dist_cv (&d) - sqrt (12.5) / 4) < 1e-12);
  check_moments (&d, "empirical-rescaled", true);
  rng = stratus_rng_stream_new (SEED, 0, "empirical-rescaled-values");
  for (int i = 0; i < 100; i++)
    {
      double x = stratus_dist_sample (&d, rng);
      assert_true (x == 2 || x == 4 || x == 6 || x == 20);
    }
  gsl_rng_free (rng);
  stratus_dist_clear (&d);
  stratus_dist_clear (&d); /* idempotent */
}

/* ---- validation ------------------------------------------------------------------------ */

static void
expect_invalid (StratusDistKind kind, double mean, double cv, double shape,
                const double *samples, size_t n, const char *why)
{
  StratusDist d;
  GError *error = NULL;
  if (stratus_dist_init (&d, kind, mean, cv, shape, samples, n, &error))
    fail_msg ("%s was accepted", why);
  if (error == NULL)
    fail_msg ("%s: false without an error", why);
  assert_true (error->domain == STRATUS_DIST_ERROR);
  assert_true (strlen (error->message) > 0);
  /* the message names the distribution */
  if (strstr (error->message, stratus_dist_kind_name (kind)) == NULL)
    fail_msg ("%s: message does not name the kind: %s", why, error->message);
  g_error_free (error);
  stratus_dist_clear (&d);
  /* a NULL error pointer is fine too */
  assert_false (stratus_dist_init (&d, kind, mean, cv, shape, samples, n, NULL));
  stratus_dist_clear (&d);
}

static void
dist_invalid_parameters_fail_with_error (void **state)
{
  (void) state;
  const double good[] = { 1, 2 };
  const double negative[] = { 1, -2 };
  const double zeros[] = { 0, 0 };
  expect_invalid (STRATUS_DIST_EXPONENTIAL, -1, -1, -1, NULL, 0, "negative mean");
  expect_invalid (STRATUS_DIST_CONSTANT, -0.5, -1, -1, NULL, 0, "negative constant");
  expect_invalid (STRATUS_DIST_GAMMA, NAN, 1, -1, NULL, 0, "NaN mean");
  expect_invalid (STRATUS_DIST_EXPONENTIAL, INFINITY, -1, -1, NULL, 0, "infinite mean");
  expect_invalid (STRATUS_DIST_LOGNORMAL, 1, -1, -1, NULL, 0, "lognormal without cv");
  expect_invalid (STRATUS_DIST_NORMAL, 1, -1, -1, NULL, 0, "normal without cv");
  expect_invalid (STRATUS_DIST_UNIFORM, 1, 0.6, -1, NULL, 0, "uniform cv 0.6");
  expect_invalid (STRATUS_DIST_UNIFORM, 1, 0.578, -1, NULL, 0, "uniform cv 0.578");
  expect_invalid (STRATUS_DIST_WEIBULL, 1, -1, 0, NULL, 0, "weibull shape 0");
  expect_invalid (STRATUS_DIST_WEIBULL, 1, -1, -1, NULL, 0, "weibull without shape");
  expect_invalid (STRATUS_DIST_PARETO, 1, -1, 1, NULL, 0, "pareto shape 1");
  expect_invalid (STRATUS_DIST_PARETO, 1, -1, 0.5, NULL, 0, "pareto shape 0.5");
  expect_invalid (STRATUS_DIST_GAMMA, 1, -1, -1, NULL, 0, "gamma without cv or shape");
  expect_invalid (STRATUS_DIST_EMPIRICAL, -1, -1, -1, NULL, 0, "empirical without samples");
  expect_invalid (STRATUS_DIST_EMPIRICAL, -1, -1, -1, good, 0, "empirical with 0 samples");
  expect_invalid (STRATUS_DIST_EMPIRICAL, -1, -1, -1, negative, 2, "negative sample");
  expect_invalid (STRATUS_DIST_EMPIRICAL, 5, -1, -1, zeros, 2, "rescaling zeros to 5");

  /* the boundaries are accepted */
  StratusDist d = make (STRATUS_DIST_UNIFORM, 1, 1 / sqrt (3.0), -1);
  stratus_dist_clear (&d);
  d = make (STRATUS_DIST_PARETO, 1, -1, 1.0001);
  stratus_dist_clear (&d);
  d = make (STRATUS_DIST_EXPONENTIAL, 0, -1, -1);
  stratus_dist_clear (&d);
}

static void
dist_kind_names_round_trip (void **state)
{
  (void) state;
  const char *const *names = stratus_dist_kind_names ();
  const char *expected[] = { "constant", "exponential", "uniform", "normal", "lognormal",
                             "gamma", "weibull", "pareto", "empirical" };
  size_t count = 0;
  while (names[count] != NULL)
    count++;
  assert_int_equal (count, G_N_ELEMENTS (expected));
  for (int k = STRATUS_DIST_CONSTANT; k <= STRATUS_DIST_EMPIRICAL; k++)
    {
      const char *name = stratus_dist_kind_name ((StratusDistKind) k);
      assert_string_equal (name, expected[k]);
      assert_string_equal (names[k], name);
      StratusDistKind parsed = (StratusDistKind) -1;
      assert_true (stratus_dist_kind_from_name (name, &parsed));
      assert_int_equal (parsed, k);
    }
  StratusDistKind kind = STRATUS_DIST_GAMMA;
  assert_false (stratus_dist_kind_from_name ("lognorm", &kind));
  assert_false (stratus_dist_kind_from_name ("", &kind));
  assert_false (stratus_dist_kind_from_name ("exponentiall", &kind));
  assert_int_equal (kind, STRATUS_DIST_GAMMA); /* untouched on failure */
}

/* ---- random streams -------------------------------------------------------------------- */

static bool
same_draws (gsl_rng *a, gsl_rng *b, int n)
{
  bool same = true;
  for (int i = 0; i < n; i++)
    if (gsl_rng_get (a) != gsl_rng_get (b))
      same = false;
  return same;
}

static bool
streams_equal (uint64_t s1, uint32_t r1, const char *n1, uint64_t s2, uint32_t r2,
               const char *n2)
{
  gsl_rng *a = stratus_rng_stream_new (s1, r1, n1);
  gsl_rng *b = stratus_rng_stream_new (s2, r2, n2);
  bool same = same_draws (a, b, 1000);
  gsl_rng_free (a);
  gsl_rng_free (b);
  return same;
}

static void
rng_same_inputs_give_identical_streams (void **state)
{
  (void) state;
  assert_true (streams_equal (42, 0, "workload.shoppers.arrivals", 42, 0,
                              "workload.shoppers.arrivals"));
  assert_true (streams_equal (7, 3, "x", 7, 3, "x"));
  assert_true (stratus_rng_derive_seed (42, 1, "a.b") == stratus_rng_derive_seed (42, 1, "a.b"));
  gsl_rng *r = stratus_rng_stream_new (1, 0, "kind");
  assert_string_equal (gsl_rng_name (r), "mt19937");
  gsl_rng_free (r);
}

static void
rng_different_name_replication_or_seed_give_different_streams (void **state)
{
  (void) state;
  const char *name = "workload.shoppers.arrivals";
  assert_false (streams_equal (42, 0, name, 42, 0, "workload.shoppers.service"));
  assert_false (streams_equal (42, 0, name, 42, 0, "workload.shopperz.arrivals"));
  assert_false (streams_equal (42, 0, "a", 42, 0, "b"));
  assert_false (streams_equal (42, 0, "", 42, 0, "a"));
  assert_false (streams_equal (42, 0, name, 42, 1, name));
  assert_false (streams_equal (42, 0, name, 43, 0, name));
  /* high seed bits matter too */
  assert_false (streams_equal (42, 0, name, 42 + ((uint64_t) 1 << 32), 0, name));
  assert_false (streams_equal (42, 0, name, 42 | ((uint64_t) 1 << 63), 0, name));
  assert_true (stratus_rng_derive_seed (1, 0, "a") != stratus_rng_derive_seed (1, 0, "b"));
  assert_true (stratus_rng_derive_seed (1, 0, "a") != stratus_rng_derive_seed (1, 1, "a"));
  assert_true (stratus_rng_derive_seed (1, 0, "a") != stratus_rng_derive_seed (2, 0, "a"));

  /* many replications and seeds: all first draws distinct (a collision among 2000 32-bit
   * draws has probability ~5e-4; with fixed inputs this is deterministic) */
  GHashTable *firsts = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (uint32_t rep = 0; rep < 1000; rep++)
    {
      gsl_rng *r = stratus_rng_stream_new (42, rep, name);
      g_hash_table_add (firsts, GSIZE_TO_POINTER ((gsize) gsl_rng_get (r) + 1));
      gsl_rng_free (r);
    }
  for (uint64_t seed = 0; seed < 1000; seed++)
    {
      gsl_rng *r = stratus_rng_stream_new (seed, 0, name);
      g_hash_table_add (firsts, GSIZE_TO_POINTER ((gsize) gsl_rng_get (r) + 1));
      gsl_rng_free (r);
    }
  assert_true (g_hash_table_size (firsts) >= 1999);
  g_hash_table_destroy (firsts);
}

static void
rng_creating_other_streams_does_not_change_draws (void **state)
{
  (void) state;
  /* Reference: the stream alone. */
  gsl_rng *alone = stratus_rng_stream_new (99, 2, "model.fleet.boot");
  unsigned long ref[200];
  for (int i = 0; i < 200; i++)
    ref[i] = gsl_rng_get (alone);
  gsl_rng_free (alone);

  /* Same stream created after others, with more created and drawn from mid-way. */
  gsl_rng *before[5];
  for (int k = 0; k < 5; k++)
    {
      char *name = g_strdup_printf ("other.%d", k);
      before[k] = stratus_rng_stream_new (99, 2, name);
      gsl_rng_get (before[k]);
      g_free (name);
    }
  gsl_rng *r = stratus_rng_stream_new (99, 2, "model.fleet.boot");
  for (int i = 0; i < 100; i++)
    assert_true (gsl_rng_get (r) == ref[i]);
  gsl_rng *later = stratus_rng_stream_new (99, 2, "model.fleet.extra");
  for (int i = 0; i < 50; i++)
    gsl_rng_get (later);
  for (int i = 100; i < 200; i++)
    assert_true (gsl_rng_get (r) == ref[i]);
  gsl_rng_free (later);
  gsl_rng_free (r);
  for (int k = 0; k < 5; k++)
    gsl_rng_free (before[k]);
}

static void
dist_sampling_is_deterministic_per_stream (void **state)
{
  (void) state;
  StratusDist d = make (STRATUS_DIST_LOGNORMAL, 10, 1.5, -1);
  gsl_rng *a = stratus_rng_stream_new (5, 0, "s");
  gsl_rng *b = stratus_rng_stream_new (5, 0, "s");
  for (int i = 0; i < 1000; i++)
    assert_true (stratus_dist_sample (&d, a) == stratus_dist_sample (&d, b));
  gsl_rng_free (a);
  gsl_rng_free (b);
  stratus_dist_clear (&d);
}

/* ---- limits ------------------------------------------------------------------------------ */

/* `kind` with these parameters is refused with exactly `message`. */
static void
expect_refused (StratusDistKind kind, double mean, double cv, double shape,
                const double *samples, size_t n, const char *message)
{
  StratusDist d;
  GError *error = NULL;
  if (stratus_dist_init (&d, kind, mean, cv, shape, samples, n, &error))
    fail_msg ("accepted; expected: %s", message);
  assert_non_null (error);
  if (strcmp (error->message, message) != 0)
    fail_msg ("message: %s\nexpected: %s", error->message, message);
  g_error_free (error);
  stratus_dist_clear (&d);
}

/* `kind` with these parameters is accepted, and 20,000 draws are finite, >= 0, and convert
 * to times within [0, STRATUS_TIME_INPUT_MAX]. */
static void
expect_representable (StratusDistKind kind, double mean, double cv, double shape,
                      const double *samples, size_t n)
{
  StratusDist d;
  GError *error = NULL;
  if (!stratus_dist_init (&d, kind, mean, cv, shape, samples, n, &error))
    fail_msg ("%s refused: %s", stratus_dist_kind_name (kind), error->message);
  gsl_rng *rng = stratus_rng_stream_new (SEED, 0, "limits");
  for (int i = 0; i < 20000; i++)
    {
      double x = stratus_dist_sample (&d, rng);
      if (!(x >= 0 && isfinite (x)))
        fail_msg ("%s: draw %g", stratus_dist_kind_name (kind), x);
      StratusTime t = stratus_dist_sample_time (&d, rng);
      assert_true (t >= 0 && t <= STRATUS_TIME_INPUT_MAX);
    }
  assert_true (isfinite (stratus_dist_cv (&d)) || kind == STRATUS_DIST_PARETO);
  gsl_rng_free (rng);
  stratus_dist_clear (&d);
}

static void
dist_mean_and_samples_at_most_100_years (void **state)
{
  (void) state;
  const double max = STRATUS_DIST_VALUE_MAX;
  expect_representable (STRATUS_DIST_EXPONENTIAL, max, -1, -1, NULL, 0);
  expect_representable (STRATUS_DIST_CONSTANT, max, -1, -1, NULL, 0);
  expect_refused (STRATUS_DIST_EXPONENTIAL, nextafter (max, INFINITY), -1, -1, NULL, 0,
                  "exponential: a mean of 3.15576e+18 ns is longer than the simulator's limit "
                  "of 36525d (100 years)");
  /* B1-exponential: a mean of 100000d */
  expect_refused (STRATUS_DIST_EXPONENTIAL, 100000 * 86400e9, -1, -1, NULL, 0,
                  "exponential: a mean of 8.64e+18 ns is longer than the simulator's limit "
                  "of 36525d (100 years)");
  /* B1-empirical: a sample of 1e19 ms; at the limit itself accepted */
  const double at_limit[] = { 1, max };
  expect_representable (STRATUS_DIST_EMPIRICAL, -1, -1, -1, at_limit, 2);
  const double huge[] = { 1e25 };
  expect_refused (STRATUS_DIST_EMPIRICAL, -1, -1, -1, huge, 1,
                  "empirical: a sample of 1e+25 ns is longer than the simulator's limit of "
                  "36525d (100 years)");
  /* rescaling to the mean can push a sample past the limit */
  const double skewed[] = { 0, 0, 0, 1 };
  expect_refused (STRATUS_DIST_EMPIRICAL, max / 2, -1, -1, skewed, 4,
                  "empirical: a sample of 6.31152e+18 ns (after rescaling to the mean) is "
                  "longer than the simulator's limit of 36525d (100 years)");
}

static void
dist_cv_limits (void **state)
{
  (void) state;
  const double max = STRATUS_DIST_VALUE_MAX;
  expect_representable (STRATUS_DIST_LOGNORMAL, max, STRATUS_DIST_CV_MAX, -1, NULL, 0);
  expect_representable (STRATUS_DIST_NORMAL, max, STRATUS_DIST_CV_MAX, -1, NULL, 0);
  expect_representable (STRATUS_DIST_GAMMA, max, STRATUS_DIST_CV_MAX, -1, NULL, 0);
  expect_representable (STRATUS_DIST_GAMMA, 20e6, 1e-6, -1, NULL, 0);
  expect_refused (STRATUS_DIST_LOGNORMAL, 20e6, 1000.5, -1, NULL, 0,
                  "lognormal: cv 1000.5 is above the limit of 1000");
  expect_refused (STRATUS_DIST_LOGNORMAL, 20e6, 1e200, -1, NULL, 0, /* B1-lognormal */
                  "lognormal: cv 1e+200 is above the limit of 1000");
  expect_refused (STRATUS_DIST_NORMAL, 20e6, 1e12, -1, NULL, 0, /* B1-normal */
                  "normal: cv 1e+12 is above the limit of 1000");
  expect_refused (STRATUS_DIST_GAMMA, 20e6, 1000.5, -1, NULL, 0,
                  "gamma: cv 1000.5 is above the limit of 1000");
  expect_refused (STRATUS_DIST_GAMMA, 20e6, 0.99e-6, -1, NULL, 0,
                  "gamma: cv 9.9e-07 is below the limit of 1e-06 (shape 1/cv^2 at most 1e+12)");
  expect_refused (STRATUS_DIST_GAMMA, 20e6, 1e-200, -1, NULL, 0, /* B1-gamma */
                  "gamma: cv 1e-200 is below the limit of 1e-06 (shape 1/cv^2 at most 1e+12)");
}

static void
dist_shape_limits (void **state)
{
  (void) state;
  const double max = STRATUS_DIST_VALUE_MAX;
  expect_representable (STRATUS_DIST_GAMMA, max, -1, STRATUS_DIST_GAMMA_SHAPE_MAX, NULL, 0);
  expect_representable (STRATUS_DIST_GAMMA, max, -1, STRATUS_DIST_GAMMA_SHAPE_MIN, NULL, 0);
  expect_refused (STRATUS_DIST_GAMMA, 20e6, -1, 1.5e12, NULL, 0,
                  "gamma: shape 1.5e+12 is above the limit of 1e+12");
  expect_refused (STRATUS_DIST_GAMMA, 20e6, -1, 0.5e-6, NULL, 0,
                  "gamma: shape 5e-07 is below the limit of 1e-06");
  expect_representable (STRATUS_DIST_WEIBULL, max, -1, STRATUS_DIST_WEIBULL_SHAPE_MIN, NULL, 0);
  expect_representable (STRATUS_DIST_WEIBULL, max, -1, STRATUS_DIST_SHAPE_MAX, NULL, 0);
  expect_refused (STRATUS_DIST_WEIBULL, 20e6, -1, 0.049, NULL, 0,
                  "weibull needs shape >= 0.05 (got 0.049): below it the draws overflow");
  expect_refused (STRATUS_DIST_WEIBULL, 20e6, -1, 0.005, NULL, 0, /* B3 */
                  "weibull needs shape >= 0.05 (got 0.005): below it the draws overflow");
  expect_refused (STRATUS_DIST_WEIBULL, 20e6, -1, 2e6, NULL, 0,
                  "weibull: shape 2e+06 is above the limit of 1e+06");
  expect_representable (STRATUS_DIST_PARETO, max, -1, STRATUS_DIST_SHAPE_MAX, NULL, 0);
  expect_representable (STRATUS_DIST_PARETO, max, -1, 1.000001, NULL, 0);
  expect_refused (STRATUS_DIST_PARETO, 20e6, -1, 2e6, NULL, 0,
                  "pareto: shape 2e+06 is above the limit of 1e+06");
  expect_refused (STRATUS_DIST_PARETO, 20e6, -1, 1e308, NULL, 0, /* B1-pareto */
                  "pareto: shape 1e+308 is above the limit of 1e+06");
  /* the pareto scale is computed without overflow at the largest mean and shape */
  StratusDist d = make (STRATUS_DIST_PARETO, max, -1, STRATUS_DIST_SHAPE_MAX);
  assert_true (isfinite (d.p1) && d.p1 > 0 && d.p1 < max);
  stratus_dist_clear (&d);
}

static void
gsl_errors_are_reported_not_aborts (void **state)
{
  (void) state;
  stratus_gsl_errors_init ();
  stratus_gsl_errors_init (); /* once is enough; twice is harmless */
  gsl_sf_result r;
  /* gamma(200) overflows a double: with GSL's default handler this aborts */
  assert_int_not_equal (gsl_sf_gamma_e (200, &r), GSL_SUCCESS);
  assert_non_null (stratus_gsl_last_error ());
  double g = gsl_sf_gamma (200); /* the plain function reports through the handler too */
  assert_false (isfinite (g) && g < 1e300);
  /* a weibull struct filled by hand below the floor: its cv is NaN, not an abort */
  StratusDist d = { .kind = STRATUS_DIST_WEIBULL, .mean = 1, .shape = 0.005 };
  assert_true (isnan (stratus_dist_cv (&d)));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (dist_constant_always_returns_the_mean),
    cmocka_unit_test (dist_exponential_mean_and_cv),
    cmocka_unit_test (dist_uniform_mean_cv_and_range),
    cmocka_unit_test (dist_normal_mean_and_cv),
    cmocka_unit_test (dist_lognormal_mean_and_cv),
    cmocka_unit_test (dist_gamma_via_cv_and_via_shape),
    cmocka_unit_test (dist_weibull_mean_and_cv),
    cmocka_unit_test (dist_pareto_mean_and_cv),
    cmocka_unit_test (dist_empirical_draws_given_samples),
    cmocka_unit_test (dist_invalid_parameters_fail_with_error),
    cmocka_unit_test (dist_mean_and_samples_at_most_100_years),
    cmocka_unit_test (dist_cv_limits),
    cmocka_unit_test (dist_shape_limits),
    cmocka_unit_test (gsl_errors_are_reported_not_aborts),
    cmocka_unit_test (dist_kind_names_round_trip),
    cmocka_unit_test (dist_sampling_is_deterministic_per_stream),
    cmocka_unit_test (rng_same_inputs_give_identical_streams),
    cmocka_unit_test (rng_different_name_replication_or_seed_give_different_streams),
    cmocka_unit_test (rng_creating_other_streams_does_not_change_draws),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
