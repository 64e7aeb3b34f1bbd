/* Log-linear histogram (HdrHistogram's bucket layout with 7 significant bits). */
#include "stratus/histogram.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#define SUB_BITS 7
#define SUB_COUNT (1u << SUB_BITS)
#define BUCKETS (SUB_COUNT + (64 - SUB_BITS) * SUB_COUNT)

struct StratusHistogram
{
  uint64_t total;
  uint64_t min, max;
  double sum;
  uint64_t counts[BUCKETS];
};

static inline unsigned
bucket_of (uint64_t v)
{
  if (v < SUB_COUNT)
    return (unsigned) v;
  unsigned k = 63u - (unsigned) __builtin_clzll (v); /* k >= SUB_BITS */
  unsigned shift = k - SUB_BITS;
  return SUB_COUNT + shift * SUB_COUNT + (unsigned) ((v >> shift) - SUB_COUNT);
}

/* The midpoint of the values that fall in bucket b. */
static double
bucket_mid (unsigned b)
{
  if (b < SUB_COUNT)
    return (double) b;
  unsigned shift = (b - SUB_COUNT) / SUB_COUNT;
  uint64_t low = ((uint64_t) (b - SUB_COUNT - shift * SUB_COUNT) + SUB_COUNT) << shift;
  uint64_t width = (uint64_t) 1 << shift;
  return (double) low + (double) (width - 1) / 2.0;
}

StratusHistogram *
stratus_histogram_new (void)
{
  StratusHistogram *h = g_new0 (StratusHistogram, 1);
  h->min = UINT64_MAX;
  return h;
}

void
stratus_histogram_free (StratusHistogram *h)
{
  g_free (h);
}

void
stratus_histogram_record (StratusHistogram *h, uint64_t value)
{
  h->counts[bucket_of (value)]++;
  h->total++;
  h->sum += (double) value;
  if (value < h->min)
    h->min = value;
  if (value > h->max)
    h->max = value;
}

void
stratus_histogram_reset (StratusHistogram *h)
{
  /* Only buckets between those of min and max can be non-zero. */
  if (h->total > 0)
    {
      unsigned lo = bucket_of (h->min), hi = bucket_of (h->max);
      memset (&h->counts[lo], 0, (hi - lo + 1) * sizeof h->counts[0]);
    }
  h->total = 0;
  h->sum = 0;
  h->max = 0;
  h->min = UINT64_MAX;
}

void
stratus_histogram_merge (StratusHistogram *dst, const StratusHistogram *src)
{
  if (src->total == 0)
    return;
  for (unsigned b = 0; b < BUCKETS; b++)
    dst->counts[b] += src->counts[b];
  dst->total += src->total;
  dst->sum += src->sum;
  if (src->min < dst->min)
    dst->min = src->min;
  if (src->max > dst->max)
    dst->max = src->max;
}

uint64_t
stratus_histogram_count (const StratusHistogram *h)
{
  return h->total;
}

double
stratus_histogram_mean (const StratusHistogram *h)
{
  return h->total ? h->sum / (double) h->total : 0.0;
}

uint64_t
stratus_histogram_min (const StratusHistogram *h)
{
  return h->total ? h->min : 0;
}

uint64_t
stratus_histogram_max (const StratusHistogram *h)
{
  return h->max;
}

double
stratus_histogram_percentile (const StratusHistogram *h, double q)
{
  if (h->total == 0)
    return 0.0;
  if (q <= 0)
    return (double) h->min;
  if (q >= 100)
    return (double) h->max;
  /* q / 100 * n is seldom exact in binary (99.9 / 100 * 1000 gives 999.0000000000001), and
   * ceil would then pick the next rank; shave off more than the rounding error (3 ulp). */
  double x = q / 100.0 * (double) h->total;
  uint64_t rank = (uint64_t) ceil (x - x * 1e-15);
  if (rank < 1)
    rank = 1;
  uint64_t seen = 0;
  unsigned last = bucket_of (h->max);
  for (unsigned b = bucket_of (h->min); b <= last; b++)
    {
      seen += h->counts[b];
      if (seen >= rank)
        {
          double v = bucket_mid (b);
          if (v < (double) h->min)
            v = (double) h->min;
          if (v > (double) h->max)
            v = (double) h->max;
          return v;
        }
    }
  return (double) h->max;
}

uint64_t
stratus_histogram_count_above (const StratusHistogram *h, double value)
{
  if (h->total == 0)
    return 0;
  uint64_t above = 0;
  unsigned last = bucket_of (h->max);
  for (unsigned b = bucket_of (h->min); b <= last; b++)
    {
      double v = MIN (MAX (bucket_mid (b), (double) h->min), (double) h->max);
      if (v > value)
        above += h->counts[b];
    }
  return above;
}

double
stratus_histogram_relative_error (void)
{
  return 0.5 / (double) SUB_COUNT;
}
