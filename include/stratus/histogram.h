/* A log-linear histogram of non-negative 64-bit values (nanoseconds in practice):
 * exact below 128, then 128 linear sub-buckets per power of two, so any percentile it
 * reports is within 0.4% of a value that was recorded at that rank. Fixed size (about
 * 58 KiB): memory does not grow with the number of values. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct StratusHistogram StratusHistogram;

/* A new, empty histogram. Free with stratus_histogram_free. */
StratusHistogram *stratus_histogram_new (void);

void stratus_histogram_free (StratusHistogram *h);

/* Adds one value. */
void stratus_histogram_record (StratusHistogram *h, uint64_t value);

/* Forgets every value. */
void stratus_histogram_reset (StratusHistogram *h);

/* Adds every value of src into dst. */
void stratus_histogram_merge (StratusHistogram *dst, const StratusHistogram *src);

/* Number of values recorded. */
uint64_t stratus_histogram_count (const StratusHistogram *h);

/* Exact mean of the values recorded (0 when empty). */
double stratus_histogram_mean (const StratusHistogram *h);

/* Exact smallest / largest value recorded (0 when empty). */
uint64_t stratus_histogram_min (const StratusHistogram *h);
uint64_t stratus_histogram_max (const StratusHistogram *h);

/* The q-th percentile (0 < q <= 100) by nearest rank: the midpoint of the bucket holding
 * the value of rank ceil(q/100 * n), clamped to [min, max]. 0 when empty. */
double stratus_histogram_percentile (const StratusHistogram *h, double q);

/* The values above `value`, as stratus_histogram_percentile sees them: those whose
 * bucket's midpoint (clamped to [min, max]) is above it; exact below 128. */
uint64_t stratus_histogram_count_above (const StratusHistogram *h, double value);

/* Relative error bound of stratus_histogram_percentile (0.0039...). */
double stratus_histogram_relative_error (void);
