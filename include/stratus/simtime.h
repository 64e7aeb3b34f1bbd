/* Simulated time: signed 64-bit nanoseconds since the start of a run. */
#pragma once

#include <stdint.h>

typedef int64_t StratusTime;

#define STRATUS_NS ((StratusTime) 1)
#define STRATUS_US ((StratusTime) 1000)
#define STRATUS_MS ((StratusTime) 1000000)
#define STRATUS_SECOND ((StratusTime) 1000000000)
#define STRATUS_MINUTE (60 * STRATUS_SECOND)
#define STRATUS_HOUR (60 * STRATUS_MINUTE)
#define STRATUS_DAY (24 * STRATUS_HOUR)

/* A time that never comes: "unlimited" timeouts and limits. */
#define STRATUS_TIME_NEVER INT64_MAX

/* The longest duration a scenario may give (100 years of 365.25 days): any two such
 * durations, and a run's length plus a few of them, still fit in StratusTime. */
#define STRATUS_TIME_INPUT_MAX ((StratusTime) 36525 * STRATUS_DAY)

/* a + b for a, b >= 0, saturating at STRATUS_TIME_NEVER (which never comes). */
static inline StratusTime
stratus_time_add (StratusTime a, StratusTime b)
{
  return b > STRATUS_TIME_NEVER - a ? STRATUS_TIME_NEVER : a + b;
}

/* Nanoseconds from a double, rounded, with NaN and negative values as 0 and values past
 * STRATUS_TIME_INPUT_MAX clamped to it: the conversion is never undefined behaviour. */
static inline StratusTime
stratus_time_from_ns (double ns)
{
  if (!(ns > 0))
    return 0;
  if (ns >= (double) STRATUS_TIME_INPUT_MAX)
    return STRATUS_TIME_INPUT_MAX;
  /* Half up, as llround: below 2^52 adding 0.5 is exact; above, every double is whole. */
  return ns < 4503599627370496.0 ? (StratusTime) (ns + 0.5) : (StratusTime) ns;
}

/* Seconds as a double, for reports. */
static inline double
stratus_time_seconds (StratusTime t)
{
  return (double) t / (double) STRATUS_SECOND;
}

/* Milliseconds as a double, for reports. */
static inline double
stratus_time_ms (StratusTime t)
{
  return (double) t / (double) STRATUS_MS;
}
