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
