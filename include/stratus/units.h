/* Quantities as people write them: durations ("250ms", "30s", "5m", "2h", "1d"),
 * rates ("200/s", "12k/min"), sizes ("20KiB", "1MB") and percentages ("99.9%").
 * Each parser returns false and sets a message (without position) on bad text. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/simtime.h"

#define STRATUS_UNITS_ERROR (stratus_units_error_quark ())
GQuark stratus_units_error_quark (void);

/* A non-negative duration: a number and one of ns, us, ms, s, m (or min), h, d, or
 * several such parts added up ("1h30m", "2m 30s"). A bare 0 is accepted. Durations longer
 * than STRATUS_TIME_INPUT_MAX (36525d, 100 years) are refused: "'106000d' is longer than
 * the simulator's limit of 36525d (100 years)". */
bool stratus_parse_duration (const char *text, StratusTime *out, GError **error);

/* The highest rate a scenario may give, per workload and per second: arrivals are whole
 * nanoseconds, so rates near 1e9/s would be distorted; 1e7/s keeps them 100 ns apart on
 * average. The scenario parser refuses rates above it (the units parser does not). */
#define STRATUS_RATE_MAX 1e7

/* A non-negative rate in events per second: a number with an optional k/M/G multiplier,
 * "/", and one of s, min (or m), h, d: "200/s", "12k/min". */
bool stratus_parse_rate (const char *text, double *per_second, GError **error);

/* A size in bytes: a number and one of B, kB/KB, MB, GB, TB (powers of 1000) or KiB,
 * MiB, GiB, TiB (powers of 1024). */
bool stratus_parse_size (const char *text, uint64_t *bytes, GError **error);

/* A percentage "99.9%" or a fraction "0.999" in [0, 1]; returns the fraction. */
bool stratus_parse_percent (const char *text, double *fraction, GError **error);

/* True if text is the word "unlimited". */
bool stratus_is_unlimited (const char *text);

/* A compact, exact-enough rendering of a duration ("1h30m", "250ms"). Caller frees. */
char *stratus_format_duration (StratusTime t);
