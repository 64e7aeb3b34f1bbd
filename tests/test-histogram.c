/* Unit tests of the log-linear histogram (percentiles, mean, min/max, merge, reset) and of
 * the streaming statistics in stats.h (Welford, Student-t intervals, time averages). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "stratus/histogram.h"
#include "stratus/stats.h"

#define N_SAMPLES 200000

/* The percentiles every accuracy test checks, in tenths of a percent (exact integers, so
 * the reference ranks are computed without rounding). */
static const unsigned quantiles_x10[] = { 500, 900, 990, 999 };

static int
cmp_u64 (const void *pa, const void *pb)
{
  uint64_t a = *(const uint64_t *) pa, b = *(const uint64_t *) pb;
  return a < b ? -1 : a > b;
}

/* The exact nearest-rank percentile (q = q_x10 / 10) of sorted values: the value of rank
 * ceil(q / 100 * n), computed in integers. */
static uint64_t
exact_percentile (const uint64_t *sorted, size_t n, unsigned q_x10)
{
  uint64_t rank = ((uint64_t) q_x10 * n + 999) / 1000;
  if (rank < 1)
    rank = 1;
  return sorted[rank - 1];
}

/* Records every value, then checks each percentile against the exact one of the data. */
static void
check_percentiles (uint64_t *values, size_t n, const char *what)
{
  StratusHistogram *h = stratus_histogram_new ();
  long double sum = 0;
  for (size_t i = 0; i < n; i++)
    {
      stratus_histogram_record (h, values[i]);
      sum += values[i];
    }
  qsort (values, n, sizeof *values, cmp_u64);

  assert_int_equal (stratus_histogram_count (h), n);
  assert_int_equal (stratus_histogram_min (h), values[0]);
  assert_int_equal (stratus_histogram_max (h), values[n - 1]);
  double mean = (double) (sum / (long double) n);
  assert_true (fabs (stratus_histogram_mean (h) - mean) <= 1e-9 * mean);

  const double bound = stratus_histogram_relative_error ();
  assert_true (bound > 0 && bound <= 0.01);
  for (size_t k = 0; k < G_N_ELEMENTS (quantiles_x10); k++)
    {
      unsigned q = quantiles_x10[k];
      double exact = (double) exact_percentile (values, n, q);
      double got = stratus_histogram_percentile (h, q / 10.0);
      double err = exact > 0 ? fabs (got - exact) / exact : fabs (got);
      if (!(err <= bound + 1e-12 && err <= 0.01))
        fail_msg ("%s p%g: histogram %.6g, exact %.6g (relative error %.3g > %.3g)", what,
                  q / 10.0, got, exact, err, bound);
    }
  stratus_histogram_free (h);
}

static gsl_rng *
test_rng (unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (r, seed);
  return r;
}

/* ---- percentile accuracy ------------------------------------------------------------- */

static void
histogram_percentiles_of_exponential_within_relative_error (void **state)
{
  (void) state;
  gsl_rng *r = test_rng (1);
  uint64_t *v = g_new (uint64_t, N_SAMPLES);
  for (size_t i = 0; i < N_SAMPLES; i++)
    v[i] = (uint64_t) llround (gsl_ran_exponential (r, 5e6)); /* mean 5 ms in ns */
  check_percentiles (v, N_SAMPLES, "exponential");
  g_free (v);
  gsl_rng_free (r);
}

static void
histogram_percentiles_of_lognormal_cv2_within_relative_error (void **state)
{
  (void) state;
  gsl_rng *r = test_rng (2);
  uint64_t *v = g_new (uint64_t, N_SAMPLES);
  const double mean = 2e7, cv = 2;
  double sigma2 = log1p (cv * cv);
  for (size_t i = 0; i < N_SAMPLES; i++)
    v[i] = (uint64_t) llround (gsl_ran_lognormal (r, log (mean) - sigma2 / 2, sqrt (sigma2)));
  check_percentiles (v, N_SAMPLES, "lognormal");
  g_free (v);
  gsl_rng_free (r);
}

static void
histogram_percentiles_of_wide_uniform_within_relative_error (void **state)
{
  (void) state;
  gsl_rng *r = test_rng (3);
  uint64_t *v = g_new (uint64_t, N_SAMPLES);
  /* uniform in the exponent: 1 ns .. ~1e15 ns, every octave equally populated */
  for (size_t i = 0; i < N_SAMPLES; i++)
    v[i] = (uint64_t) llround (exp (gsl_ran_flat (r, 0, log (1e15))));
  check_percentiles (v, N_SAMPLES, "log-uniform");
  /* uniform over a wide linear range, including values near 2^62 */
  for (size_t i = 0; i < N_SAMPLES; i++)
    v[i] = (((uint64_t) gsl_rng_get (r) << 31) ^ gsl_rng_get (r)) % ((uint64_t) 1 << 62);
  check_percentiles (v, N_SAMPLES, "uniform");
  g_free (v);
  gsl_rng_free (r);
}

static void
histogram_values_below_128_are_exact (void **state)
{
  (void) state;
  gsl_rng *r = test_rng (4);
  uint64_t *v = g_new (uint64_t, N_SAMPLES);
  for (size_t i = 0; i < N_SAMPLES; i++)
    v[i] = gsl_rng_uniform_int (r, 128);
  StratusHistogram *h = stratus_histogram_new ();
  for (size_t i = 0; i < N_SAMPLES; i++)
    stratus_histogram_record (h, v[i]);
  qsort (v, N_SAMPLES, sizeof *v, cmp_u64);
  for (unsigned q = 1; q <= 1000; q++) /* every tenth of a percent */
    {
      double got = stratus_histogram_percentile (h, q / 10.0);
      double exact = (double) exact_percentile (v, N_SAMPLES, q);
      if (got != exact)
        fail_msg ("p%g: %g, exact %g", q / 10.0, got, exact);
    }
  stratus_histogram_free (h);

  /* 0..99 once each: the q-th percentile for integer q is exactly q - 1. */
  h = stratus_histogram_new ();
  for (uint64_t i = 0; i < 100; i++)
    stratus_histogram_record (h, 99 - i);
  for (int q = 1; q <= 100; q++)
    {
      double got = stratus_histogram_percentile (h, q);
      if (got != q - 1)
        fail_msg ("p%d of 0..99: %g, expected %d", q, got, q - 1);
    }
  assert_true (stratus_histogram_percentile (h, 0.5) == 0);
  stratus_histogram_free (h);
  g_free (v);
  gsl_rng_free (r);
}

static void
histogram_p999_of_1000_values_is_not_the_max (void **state)
{
  (void) state;
  /* Nearest rank: p99.9 of 1000 values is the 999th, p99 the 990th, p7 the 70th. In floating
   * point q / 100 * n is 999.0000000000001 and 7.000000000000001 here: it must not round up
   * to the next rank. Values grow by 2% per rank, more than the histogram's error, so the
   * wrong rank cannot pass for the right one. */
  uint64_t v[1000];
  StratusHistogram *h = stratus_histogram_new ();
  for (int i = 0; i < 1000; i++)
    {
      v[i] = (uint64_t) llround (1000.0 * pow (1.02, i));
      stratus_histogram_record (h, (uint64_t) llround (1000.0 * pow (1.02, 999 - i)));
    }
  for (int i = 0; i < 1000; i++) /* recorded in reverse; order does not matter */
    assert_true (i == 0 || v[i] > v[i - 1]);
  const double bound = stratus_histogram_relative_error () + 1e-12;
  const struct
  {
    double q;
    int rank;
  } cases[] = { { 50, 500 }, { 90, 900 }, { 99, 990 }, { 99.9, 999 }, { 7, 70 },
                { 0.1, 1 }, { 100, 1000 }, { 99.95, 1000 }, { 0.05, 1 } };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double exact = (double) v[cases[i].rank - 1];
      double got = stratus_histogram_percentile (h, cases[i].q);
      if (fabs (got - exact) > bound * exact)
        fail_msg ("p%g: %.9g, expected rank %d = %.9g", cases[i].q, got, cases[i].rank, exact);
    }
  stratus_histogram_free (h);
}

static void
histogram_percentile_clamped_to_min_and_max (void **state)
{
  (void) state;
  StratusHistogram *h = stratus_histogram_new ();
  /* A single large value: every percentile is that value exactly, not a bucket midpoint. */
  stratus_histogram_record (h, 123456789);
  assert_true (stratus_histogram_percentile (h, 0.1) == 123456789.0);
  assert_true (stratus_histogram_percentile (h, 50) == 123456789.0);
  assert_true (stratus_histogram_percentile (h, 100) == 123456789.0);
  stratus_histogram_reset (h);
  /* 2^20 - 1 is the top of its bucket (midpoint 2^20 - 2048.5) and 2^30 the bottom of its
   * (midpoint 2^30 + 2^22 - 0.5): both read back exactly thanks to the clamp. */
  stratus_histogram_record (h, (1u << 20) - 1);
  stratus_histogram_record (h, 1u << 30);
  assert_true (stratus_histogram_percentile (h, 50) == (double) ((1u << 20) - 1));
  assert_true (stratus_histogram_percentile (h, 99) == (double) (1u << 30));
  stratus_histogram_free (h);
}

/* ---- mean, min, max, merge, reset ---------------------------------------------------- */

static void
histogram_mean_min_max_are_exact (void **state)
{
  (void) state;
  StratusHistogram *h = stratus_histogram_new ();
  const uint64_t vals[] = { 1000003, 7, 999999937, 129, 255, 256, 65537, 31 };
  uint64_t sum = 0;
  for (size_t i = 0; i < G_N_ELEMENTS (vals); i++)
    {
      stratus_histogram_record (h, vals[i]);
      sum += vals[i];
    }
  assert_int_equal (stratus_histogram_count (h), G_N_ELEMENTS (vals));
  assert_int_equal (stratus_histogram_min (h), 7);
  assert_int_equal (stratus_histogram_max (h), 999999937);
  assert_true (stratus_histogram_mean (h) == (double) sum / G_N_ELEMENTS (vals));

  stratus_histogram_record (h, 0);
  assert_int_equal (stratus_histogram_min (h), 0);
  stratus_histogram_record (h, UINT64_MAX);
  assert_int_equal (stratus_histogram_max (h), UINT64_MAX);
  assert_true (stratus_histogram_percentile (h, 100) == (double) UINT64_MAX);
  stratus_histogram_free (h);
}

static void
histogram_empty_returns_zero (void **state)
{
  (void) state;
  StratusHistogram *h = stratus_histogram_new ();
  assert_int_equal (stratus_histogram_count (h), 0);
  assert_true (stratus_histogram_mean (h) == 0.0);
  assert_int_equal (stratus_histogram_min (h), 0);
  assert_int_equal (stratus_histogram_max (h), 0);
  assert_true (stratus_histogram_percentile (h, 50) == 0.0);
  assert_true (stratus_histogram_percentile (h, 99.9) == 0.0);
  assert_true (stratus_histogram_percentile (h, 100) == 0.0);
  stratus_histogram_free (h);
}

static void
histogram_merge_equals_recording_everything_in_one (void **state)
{
  (void) state;
  gsl_rng *r = test_rng (5);
  StratusHistogram *all = stratus_histogram_new ();
  StratusHistogram *a = stratus_histogram_new ();
  StratusHistogram *b = stratus_histogram_new ();
  StratusHistogram *empty = stratus_histogram_new ();
  for (int i = 0; i < 60000; i++)
    {
      uint64_t v = (uint64_t) llround (gsl_ran_lognormal (r, 14, 1.5));
      /* the parts have different ranges, so min and max come from different sides */
      if (i % 3 == 0)
        v /= 8;
      stratus_histogram_record (all, v);
      stratus_histogram_record (i % 3 == 0 ? a : b, v);
    }
  assert_true (stratus_histogram_min (a) < stratus_histogram_min (b));

  StratusHistogram *merged = stratus_histogram_new ();
  stratus_histogram_merge (merged, a);
  stratus_histogram_merge (merged, empty);
  stratus_histogram_merge (merged, b);
  assert_int_equal (stratus_histogram_count (merged), stratus_histogram_count (all));
  assert_int_equal (stratus_histogram_min (merged), stratus_histogram_min (all));
  assert_int_equal (stratus_histogram_max (merged), stratus_histogram_max (all));
  assert_true (fabs (stratus_histogram_mean (merged) - stratus_histogram_mean (all))
               <= 1e-12 * stratus_histogram_mean (all));
  for (double q = 0.5; q <= 100; q += 0.5)
    assert_true (stratus_histogram_percentile (merged, q)
                 == stratus_histogram_percentile (all, q));
  assert_true (stratus_histogram_percentile (merged, 99.9)
               == stratus_histogram_percentile (all, 99.9));

  /* merging into an empty histogram keeps min right (the empty one's min is not 0) */
  StratusHistogram *into_empty = stratus_histogram_new ();
  stratus_histogram_merge (into_empty, b);
  assert_int_equal (stratus_histogram_min (into_empty), stratus_histogram_min (b));
  /* merging an empty one changes nothing */
  stratus_histogram_merge (b, empty);
  assert_int_equal (stratus_histogram_min (into_empty), stratus_histogram_min (b));
  assert_int_equal (stratus_histogram_count (into_empty), stratus_histogram_count (b));

  stratus_histogram_free (into_empty);
  stratus_histogram_free (merged);
  stratus_histogram_free (all);
  stratus_histogram_free (a);
  stratus_histogram_free (b);
  stratus_histogram_free (empty);
  gsl_rng_free (r);
}

static void
histogram_reset_forgets_everything (void **state)
{
  (void) state;
  StratusHistogram *h = stratus_histogram_new ();
  for (uint64_t i = 0; i < 1000; i++)
    stratus_histogram_record (h, 1000 + i * 777);
  stratus_histogram_reset (h);
  assert_int_equal (stratus_histogram_count (h), 0);
  assert_true (stratus_histogram_mean (h) == 0.0);
  assert_int_equal (stratus_histogram_min (h), 0);
  assert_int_equal (stratus_histogram_max (h), 0);
  assert_true (stratus_histogram_percentile (h, 50) == 0.0);
  /* after a reset it behaves like a new histogram */
  stratus_histogram_record (h, 500);
  stratus_histogram_record (h, 300);
  assert_int_equal (stratus_histogram_count (h), 2);
  assert_int_equal (stratus_histogram_min (h), 300);
  assert_int_equal (stratus_histogram_max (h), 500);
  assert_true (stratus_histogram_mean (h) == 400.0);
  double p50 = stratus_histogram_percentile (h, 50);
  assert_true (fabs (p50 - 300) <= 300 * stratus_histogram_relative_error ());
  stratus_histogram_free (h);
}

static void
histogram_relative_error_is_half_a_sub_bucket (void **state)
{
  (void) state;
  double e = stratus_histogram_relative_error ();
  assert_true (fabs (e - 1.0 / 256) < 1e-15);
  /* and it is attained as a bound: every value from 128 to 2^20 comes back within it */
  StratusHistogram *h = stratus_histogram_new ();
  for (uint64_t v = 128; v < (1u << 20); v += 1 + v / 300)
    {
      stratus_histogram_reset (h);
      stratus_histogram_record (h, 0);
      stratus_histogram_record (h, v);
      stratus_histogram_record (h, UINT64_MAX / 2);
      double got = stratus_histogram_percentile (h, 50);
      if (fabs (got - (double) v) > e * (double) v)
        fail_msg ("value %" G_GUINT64_FORMAT " read back as %g", v, got);
    }
  stratus_histogram_free (h);
}

/* ---- stats.h ------------------------------------------------------------------------- */

static void
stats_welford_matches_two_pass (void **state)
{
  (void) state;
  gsl_rng *r = test_rng (6);
  const size_t n = 100000;
  double *x = g_new (double, n);
  StratusSummary s = { 0 };
  for (size_t i = 0; i < n; i++)
    {
      /* a large offset makes the naive sum-of-squares formula lose every digit */
      x[i] = 1e9 + gsl_ran_gaussian (r, 3.0);
      stratus_summary_add (&s, x[i]);
    }
  double mean = 0;
  for (size_t i = 0; i < n; i++)
    mean += x[i];
  mean /= (double) n;
  double ss = 0;
  for (size_t i = 0; i < n; i++)
    ss += (x[i] - mean) * (x[i] - mean);
  double var = ss / (double) (n - 1);
  assert_int_equal (s.n, n);
  assert_true (fabs (s.mean - mean) <= 1e-12 * mean);
  assert_true (fabs (stratus_summary_variance (&s) - var) <= 1e-6 * var);
  assert_true (fabs (var - 9.0) < 0.2);
  g_free (x);
  gsl_rng_free (r);

  /* small cases */
  StratusSummary t = { 0 };
  assert_true (stratus_summary_variance (&t) == 0);
  stratus_summary_add (&t, 5);
  assert_true (t.mean == 5);
  assert_true (stratus_summary_variance (&t) == 0);
  stratus_summary_add (&t, 7);
  stratus_summary_add (&t, 9);
  assert_true (fabs (t.mean - 7) < 1e-15);
  assert_true (fabs (stratus_summary_variance (&t) - 4) < 1e-12); /* (4 + 0 + 4) / 2 */
}

static void
stats_ci95_uses_student_t (void **state)
{
  (void) state;
  /* Ten observations 1..10: mean 5.5, sample variance 55/6, t_{0.975, 9} = 2.262157. */
  StratusSummary s = { 0 };
  for (int i = 1; i <= 10; i++)
    stratus_summary_add (&s, i);
  double expected = 2.262157 * sqrt ((55.0 / 6.0) / 10.0);
  assert_true (fabs (s.mean - 5.5) < 1e-12);
  assert_true (fabs (stratus_summary_variance (&s) - 55.0 / 6.0) < 1e-12);
  assert_true (fabs (stratus_summary_ci95 (&s) - expected) < 1e-5);
  /* not the normal approximation (1.96) */
  assert_true (stratus_summary_ci95 (&s) > 2.2 * sqrt ((55.0 / 6.0) / 10.0));

  /* two observations: t_{0.975, 1} = 12.7062 */
  StratusSummary two = { 0 };
  stratus_summary_add (&two, 0);
  stratus_summary_add (&two, 2);
  assert_true (fabs (stratus_summary_ci95 (&two) - 12.706205 * sqrt (2.0 / 2.0)) < 1e-4);

  StratusSummary one = { 0 };
  assert_true (stratus_summary_ci95 (&one) == 0);
  stratus_summary_add (&one, 3);
  assert_true (stratus_summary_ci95 (&one) == 0);
}

static void
stats_time_average_of_piecewise_constant_signal (void **state)
{
  (void) state;
  /* Value 2 on [0, 10 s), 5 on [10 s, 15 s), 0 on [15 s, 20 s), 1 on [20 s, 40 s):
   * area = 20 + 25 + 0 + 20 = 65 (value x s) over 40 s -> mean 1.625. */
  StratusTimeAverage a = { 0 };
  stratus_time_average_reset (&a, 0);
  stratus_time_average_set (&a, 0, 2);
  stratus_time_average_set (&a, 10 * STRATUS_SECOND, 5);
  stratus_time_average_set (&a, 15 * STRATUS_SECOND, 0);
  assert_true (fabs (stratus_time_average_mean (&a, 15 * STRATUS_SECOND) - 45.0 / 15.0) < 1e-12);
  stratus_time_average_set (&a, 20 * STRATUS_SECOND, 1);
  stratus_time_average_set (&a, 20 * STRATUS_SECOND, 1); /* a no-op change */
  double area = stratus_time_average_area (&a, 40 * STRATUS_SECOND);
  assert_true (fabs (area - 65.0 * STRATUS_SECOND) < 1e-3);
  assert_true (fabs (stratus_time_average_mean (&a, 40 * STRATUS_SECOND) - 1.625) < 1e-12);
  /* between changes, the current value counts up to `now` */
  assert_true (fabs (stratus_time_average_mean (&a, 30 * STRATUS_SECOND) - 55.0 / 30.0) < 1e-12);

  /* A reset (end of warm-up) keeps the current value but forgets the area. */
  stratus_time_average_reset (&a, 40 * STRATUS_SECOND);
  assert_true (stratus_time_average_mean (&a, 40 * STRATUS_SECOND) == 1.0); /* no time yet */
  stratus_time_average_set (&a, 50 * STRATUS_SECOND, 3);
  assert_true (fabs (stratus_time_average_mean (&a, 60 * STRATUS_SECOND) - 2.0) < 1e-12);
  assert_true (fabs (stratus_time_average_area (&a, 60 * STRATUS_SECOND)
                     - 40.0 * STRATUS_SECOND) < 1e-3);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (histogram_percentiles_of_exponential_within_relative_error),
    cmocka_unit_test (histogram_percentiles_of_lognormal_cv2_within_relative_error),
    cmocka_unit_test (histogram_percentiles_of_wide_uniform_within_relative_error),
    cmocka_unit_test (histogram_values_below_128_are_exact),
    cmocka_unit_test (histogram_p999_of_1000_values_is_not_the_max),
    cmocka_unit_test (histogram_percentile_clamped_to_min_and_max),
    cmocka_unit_test (histogram_mean_min_max_are_exact),
    cmocka_unit_test (histogram_empty_returns_zero),
    cmocka_unit_test (histogram_merge_equals_recording_everything_in_one),
    cmocka_unit_test (histogram_reset_forgets_everything),
    cmocka_unit_test (histogram_relative_error_is_half_a_sub_bucket),
    cmocka_unit_test (stats_welford_matches_two_pass),
    cmocka_unit_test (stats_ci95_uses_student_t),
    cmocka_unit_test (stats_time_average_of_piecewise_constant_signal),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
