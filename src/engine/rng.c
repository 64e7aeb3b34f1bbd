/* Stream seeding: FNV-1a over the source name, mixed with seed and replication by
 * SplitMix64, so that streams are independent of creation order. */
#include "stratus/rng.h"

#include <glib.h>

#include "stratus/dist.h"

static uint64_t
splitmix64 (uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t
stratus_rng_derive_seed (uint64_t seed, uint32_t replication, const char *source)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char *p = (const unsigned char *) source; *p != '\0'; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  return splitmix64 (splitmix64 (splitmix64 (seed) ^ replication) ^ h);
}

gsl_rng *
stratus_rng_stream_new (uint64_t seed, uint32_t replication, const char *source)
{
  stratus_gsl_errors_init (); /* GSL must never abort the process */
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_assert (rng != NULL);
  uint64_t s = stratus_rng_derive_seed (seed, replication, source);
  /* MT19937 takes 32 bits of seed; fold the high half in so no bits are wasted. */
  gsl_rng_set (rng, (unsigned long) ((s ^ (s >> 32)) & 0xffffffffULL));
  return rng;
}
