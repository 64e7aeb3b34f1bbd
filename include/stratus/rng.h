/* Random streams: one independent GSL generator per random source, seeded from
 * (scenario seed, replication index, source name), so adding a source never changes
 * the draws of another and two layouts see the same arrivals (common random numbers). */
#pragma once

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* A new MT19937 stream for `source` (e.g. "workload.shoppers.arrivals"). Caller frees
 * it with gsl_rng_free. */
gsl_rng *stratus_rng_stream_new (uint64_t seed, uint32_t replication, const char *source);

/* The 64-bit seed that stratus_rng_stream_new derives; exposed for tests and logs. */
uint64_t stratus_rng_derive_seed (uint64_t seed, uint32_t replication, const char *source);
