/* Steps and labels of chart axes: 1-2-5 steps, the steps of a time axis (seconds, minutes,
 * hours, days, weeks) and its labels, as elapsed time or time of day. */
#include "chart_time.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* The smallest 1, 2 or 5 x 10^k that is >= raw (> 0). */
double
chart_nice_step (double raw)
{
  double e = floor (log10 (raw));
  double base = pow (10, e);
  double f = raw / base;
  double m = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
  return m * base;
}

/* The next 1-2-5 step after `step`. */
double
chart_next_step (double step)
{
  return chart_nice_step (step * 1.5);
}

/* Candidate steps of the time axis, in seconds. */
static const double time_steps[] = {
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
  86400, 172800, 604800, 1209600, 2419200,
};

/* Elapsed time `t` (s, a whole multiple of `step`) as "0", "45s", "10m", "1h 30m", "2d 6h". */
char *
chart_elapsed_label (double t, double step)
{
  if (fabs (t) < step * 1e-6)
    return g_strdup ("0");
  GString *out = g_string_new (t < 0 ? "\xe2\x88\x92" : "");
  double a = fabs (t);
  if (step < 1)
    {
      int decimals = (int) ceil (-log10 (step) - 1e-9);
      g_string_append_printf (out, "%.*fs", CLAMP (decimals, 0, 9), a);
      return g_string_free (out, FALSE);
    }
  if (a >= 1e12)
    {
      g_string_append_printf (out, "%.3gd", a / 86400);
      return g_string_free (out, FALSE);
    }
  uint64_t secs = (uint64_t) llround (a);
  uint64_t parts[4] = { secs / 86400, secs % 86400 / 3600, secs % 3600 / 60, secs % 60 };
  static const char units[4] = { 'd', 'h', 'm', 's' };
  bool first = true;
  for (int i = 0; i < 4; i++)
    if (parts[i] != 0)
      {
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT "%c", first ? "" : " ", parts[i],
                                units[i]);
        first = false;
      }
  return g_string_free (out, FALSE);
}

/* Time of day of `t` (s after x = 0, which is `offset` s after midnight of day 1):
 * "14:30" ("14:30:15" with steps under a minute), "day N" at midnight when `multi_day`. */
char *
chart_clock_label (double t, double offset, double step, bool multi_day)
{
  double abs_t = floor (t + offset + 0.5);
  double day = floor (abs_t / 86400);
  double tod = abs_t - day * 86400;
  if (multi_day && tod == 0)
    return g_strdup_printf ("day %.0f", day + 1);
  int h = (int) (tod / 3600), m = (int) fmod (tod / 60, 60), sec = (int) fmod (tod, 60);
  if (step < 60)
    return g_strdup_printf ("%02d:%02d:%02d", h, m, sec);
  return g_strdup_printf ("%02d:%02d", h, m);
}

/* The x step after `step`: 1-2-5 fractions of a second, then the time steps, then 1-2-5
 * multiples of a week. */
double
chart_next_time_step (double step)
{
  if (step < 1)
    return MIN (1.0, chart_next_step (step));
  for (size_t i = 0; i < G_N_ELEMENTS (time_steps); i++)
    if (time_steps[i] > step * (1 + 1e-9))
      return time_steps[i];
  return chart_next_step (step / 604800) * 604800;
}
