/* Steps and labels of chart axes (chart_time.c), private to the charts. Returned strings
 * are the caller's (g_free). */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* The smallest 1, 2 or 5 x 10^k that is >= raw (> 0). */
double chart_nice_step (double raw);

/* The next 1-2-5 step after `step`. */
double chart_next_step (double step);

/* Elapsed time `t` (s, a whole multiple of `step`) as "0", "45s", "10m", "1h 30m", "2d 6h". */
char *chart_elapsed_label (double t, double step);

/* Time of day of `t` (s after x = 0, which is `offset` s after midnight of day 1):
 * "14:30" ("14:30:15" with steps under a minute), "day N" at midnight when `multi_day`. */
char *chart_clock_label (double t, double offset, double step, bool multi_day);

/* The x step after `step`: 1-2-5 fractions of a second, then the time steps, then 1-2-5
 * multiples of a week. */
double chart_next_time_step (double step);
