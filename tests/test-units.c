/* Unit tests of the quantity parsers (durations, rates, sizes, percentages), of
 * stratus_format_duration, and of the limits on scenario values (durations of at most 100
 * years, rates of at most 10M/s, the report interval's floor). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <string.h>

#include "scenario_checks.h"
#include "stratus/units.h"

/* ---- durations ------------------------------------------------------------------------ */

static void
expect_duration (const char *text, StratusTime expected)
{
  StratusTime t = -12345;
  GError *error = NULL;
  if (!stratus_parse_duration (text, &t, &error))
    fail_msg ("'%s' rejected: %s", text, error ? error->message : "(no error)");
  assert_null (error);
  if (t != expected)
    fail_msg ("'%s' parsed as %" G_GINT64_FORMAT " ns, expected %" G_GINT64_FORMAT, text, t,
              expected);
}

static void
expect_bad_duration (const char *text)
{
  StratusTime t = -12345;
  GError *error = NULL;
  if (stratus_parse_duration (text, &t, &error))
    fail_msg ("'%s' accepted as %" G_GINT64_FORMAT " ns", text, t);
  if (error == NULL)
    fail_msg ("'%s' rejected without an error", text);
  assert_true (error->domain == STRATUS_UNITS_ERROR);
  assert_true (strlen (error->message) > 0);
  assert_non_null (strstr (error->message, text)); /* the message quotes the text */
  assert_int_equal (t, -12345);                     /* output untouched */
  g_error_free (error);
  assert_false (stratus_parse_duration (text, &t, NULL));
}

static void
units_durations_parse_every_unit (void **state)
{
  (void) state;
  expect_duration ("250ms", 250 * STRATUS_MS);
  expect_duration ("30s", 30 * STRATUS_SECOND);
  expect_duration ("5m", 5 * STRATUS_MINUTE);
  expect_duration ("5min", 5 * STRATUS_MINUTE);
  expect_duration ("2h", 2 * STRATUS_HOUR);
  expect_duration ("1d", STRATUS_DAY);
  expect_duration ("10us", 10 * STRATUS_US);
  expect_duration ("100ns", 100);
  expect_duration ("1.5s", 1500 * STRATUS_MS);
  expect_duration ("0.25h", 15 * STRATUS_MINUTE);
  expect_duration (".5s", 500 * STRATUS_MS);
  expect_duration ("0", 0);
  expect_duration ("0s", 0);
  expect_duration ("5 ms", 5 * STRATUS_MS);
  expect_duration ("1_000ms", STRATUS_SECOND);
  expect_duration ("1e3ms", STRATUS_SECOND);
  expect_duration ("0.1s", 100 * STRATUS_MS); /* rounded, not truncated to 99999999 */
  expect_duration ("36525d", 36525 * STRATUS_DAY); /* the limit itself */
}

static void
units_durations_add_up_compound_parts (void **state)
{
  (void) state;
  expect_duration ("1h30m", 90 * STRATUS_MINUTE);
  expect_duration ("2m 30s", 150 * STRATUS_SECOND);
  expect_duration ("1d2h3m4s", STRATUS_DAY + 2 * STRATUS_HOUR + 3 * STRATUS_MINUTE + 4 * STRATUS_SECOND);
  expect_duration ("1s500ms", 1500 * STRATUS_MS);
  expect_bad_duration ("1h30");
  expect_bad_duration ("1h-30m");
  expect_bad_duration ("1h 30 parsecs");
  /* Every rendering of stratus_format_duration parses back to the same time. */
  const StratusTime times[] = { 90 * STRATUS_MINUTE, STRATUS_DAY + 61 * STRATUS_SECOND,
                                250 * STRATUS_MS, 7 * STRATUS_US, 13 };
  for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
    {
      char *text = stratus_format_duration (times[i]);
      expect_duration (text, times[i]);
      g_free (text);
    }
}

static void
units_durations_reject_bad_text (void **state)
{
  (void) state;
  expect_bad_duration ("5");         /* no unit */
  expect_bad_duration ("1.5");       /* no unit */
  expect_bad_duration ("-1s");       /* negative */
  expect_bad_duration ("5 parsecs"); /* unknown unit */
  expect_bad_duration ("5sec s");
  expect_bad_duration ("");
  expect_bad_duration ("abc");
  expect_bad_duration ("s");
  expect_bad_duration ("1e400s");   /* overflows a double */
  expect_bad_duration ("200000d");  /* overflows StratusTime */
  expect_bad_duration ("inf s");
  expect_bad_duration ("nans");
  expect_bad_duration ("0x10s");
  expect_bad_duration ("1.2.3s");
  expect_bad_duration ("5ms5");
  expect_bad_duration ("unlimited"); /* a word the caller handles, not the parser */
}

/* ---- rates ------------------------------------------------------------------------------ */

static void
expect_rate (const char *text, double expected)
{
  double r = -1;
  GError *error = NULL;
  if (!stratus_parse_rate (text, &r, &error))
    fail_msg ("'%s' rejected: %s", text, error ? error->message : "(no error)");
  assert_null (error);
  if (fabs (r - expected) > 1e-12 * expected)
    fail_msg ("'%s' parsed as %.15g/s, expected %.15g/s", text, r, expected);
}

static void
expect_bad_rate (const char *text)
{
  double r = -1;
  GError *error = NULL;
  if (stratus_parse_rate (text, &r, &error))
    fail_msg ("'%s' accepted as %g/s", text, r);
  if (error == NULL)
    fail_msg ("'%s' rejected without an error", text);
  assert_true (error->domain == STRATUS_UNITS_ERROR);
  assert_non_null (strstr (error->message, text));
  assert_true (r == -1);
  g_error_free (error);
}

static void
units_rates_parse_multipliers_and_periods (void **state)
{
  (void) state;
  expect_rate ("200/s", 200);
  expect_rate ("12k/min", 200);
  expect_rate ("12K/min", 200);
  expect_rate ("12k/m", 200);
  expect_rate ("3600/h", 1);
  expect_rate ("86400/d", 1);
  expect_rate ("1.5M/s", 1.5e6);
  expect_rate ("2G/s", 2e9);
  expect_rate ("0/s", 0);
  expect_rate ("200 / s", 200);
  expect_rate ("5 k/s", 5000);
}

static void
units_rates_reject_bad_text (void **state)
{
  (void) state;
  expect_bad_rate ("200");          /* no period */
  expect_bad_rate ("12k");
  expect_bad_rate ("-5/s");         /* negative */
  expect_bad_rate ("5/fortnight");  /* unknown period */
  expect_bad_rate ("5/");
  expect_bad_rate ("/s");
  expect_bad_rate ("");
  expect_bad_rate ("5x/s");
  expect_bad_rate ("5 per s");
  expect_bad_rate ("1e400/s");   /* overflows a double */
  expect_bad_rate ("1e308G/s");  /* finite number, infinite rate */
}

/* ---- sizes ------------------------------------------------------------------------------- */

static void
expect_size (const char *text, uint64_t expected)
{
  uint64_t b = 1;
  GError *error = NULL;
  if (!stratus_parse_size (text, &b, &error))
    fail_msg ("'%s' rejected: %s", text, error ? error->message : "(no error)");
  assert_null (error);
  if (b != expected)
    fail_msg ("'%s' parsed as %" G_GUINT64_FORMAT " B, expected %" G_GUINT64_FORMAT, text, b,
              expected);
}

static void
expect_bad_size (const char *text)
{
  uint64_t b = 1;
  GError *error = NULL;
  if (stratus_parse_size (text, &b, &error))
    fail_msg ("'%s' accepted as %" G_GUINT64_FORMAT " B", text, b);
  if (error == NULL)
    fail_msg ("'%s' rejected without an error", text);
  assert_true (error->domain == STRATUS_UNITS_ERROR);
  assert_non_null (strstr (error->message, text));
  assert_int_equal (b, 1);
  g_error_free (error);
}

static void
units_sizes_parse_decimal_and_binary_units (void **state)
{
  (void) state;
  expect_size ("20KiB", 20480);
  expect_size ("1MB", 1000000);
  expect_size ("512B", 512);
  expect_size ("1GiB", 1073741824);
  expect_size ("2MiB", 2097152);
  expect_size ("1kB", 1000);
  expect_size ("1KB", 1000);
  expect_size ("3GB", 3000000000);
  expect_size ("2TB", 2000000000000);
  expect_size ("1TiB", 1099511627776);
  expect_size ("1.5KiB", 1536);
  expect_size ("10 MB", 10000000);
  expect_size ("0", 0);
  expect_size ("0B", 0);
  /* past 2^63 (the range of a long long), near the top of uint64 */
  expect_size ("16000000TB", 16000000000000000000u);
  expect_size ("9223372036854775808B", (uint64_t) 1 << 63);
}

static void
units_sizes_reject_bad_text (void **state)
{
  (void) state;
  expect_bad_size ("20");      /* no unit */
  expect_bad_size ("-1B");
  expect_bad_size ("5XB");
  expect_bad_size ("5 bytes");
  expect_bad_size ("1kiB");
  expect_bad_size ("");
  expect_bad_size ("KiB");
  expect_bad_size ("20000000TB"); /* > 2^64 */
}

/* ---- percentages --------------------------------------------------------------------- */

static void
expect_percent (const char *text, double expected)
{
  double f = -1;
  GError *error = NULL;
  if (!stratus_parse_percent (text, &f, &error))
    fail_msg ("'%s' rejected: %s", text, error ? error->message : "(no error)");
  assert_null (error);
  if (fabs (f - expected) > 1e-12)
    fail_msg ("'%s' parsed as %.15g, expected %.15g", text, f, expected);
}

static void
expect_bad_percent (const char *text)
{
  double f = -1;
  GError *error = NULL;
  if (stratus_parse_percent (text, &f, &error))
    fail_msg ("'%s' accepted as %g", text, f);
  if (error == NULL)
    fail_msg ("'%s' rejected without an error", text);
  assert_true (error->domain == STRATUS_UNITS_ERROR);
  assert_non_null (strstr (error->message, text));
  assert_true (f == -1);
  g_error_free (error);
}

static void
units_percent_accepts_percentages_and_fractions (void **state)
{
  (void) state;
  expect_percent ("99.9%", 0.999);
  expect_percent ("50%", 0.5);
  expect_percent ("100%", 1);
  expect_percent ("0%", 0);
  expect_percent ("0.5", 0.5);
  expect_percent ("0.999", 0.999);
  expect_percent ("1", 1);
  expect_percent ("0", 0);
  expect_percent ("12.5 %", 0.125);
}

static void
units_percent_rejects_out_of_range_and_junk (void **state)
{
  (void) state;
  expect_bad_percent ("150%");
  expect_bad_percent ("100.1%");
  expect_bad_percent ("1.5");
  expect_bad_percent ("-5%");
  expect_bad_percent ("50%%");
  expect_bad_percent ("50 percent");
  expect_bad_percent ("");
  expect_bad_percent ("%");
}

static void
units_is_unlimited_matches_only_the_word (void **state)
{
  (void) state;
  assert_true (stratus_is_unlimited ("unlimited"));
  assert_false (stratus_is_unlimited ("Unlimited"));
  assert_false (stratus_is_unlimited ("unlimited "));
  assert_false (stratus_is_unlimited ("unlimit"));
  assert_false (stratus_is_unlimited (""));
  assert_false (stratus_is_unlimited ("0"));
}

/* ---- format_duration ---------------------------------------------------------------- */

static void
expect_format (StratusTime t, const char *expected)
{
  char *s = stratus_format_duration (t);
  if (strcmp (s, expected) != 0)
    fail_msg ("%" G_GINT64_FORMAT " ns formatted as '%s', expected '%s'", t, s, expected);
  g_free (s);
}

static void
units_format_duration_renders_compactly (void **state)
{
  (void) state;
  expect_format (90 * STRATUS_MINUTE, "1h30m");
  expect_format (250 * STRATUS_MS, "250ms");
  expect_format (STRATUS_TIME_NEVER, "unlimited");
  expect_format (0, "0s");
  expect_format (30 * STRATUS_SECOND, "30s");
  expect_format (5 * STRATUS_MINUTE, "5m");
  expect_format (2 * STRATUS_HOUR, "2h");
  expect_format (STRATUS_SECOND, "1s"); /* exact unit boundaries */
  expect_format (STRATUS_MINUTE, "1m");
  expect_format (STRATUS_HOUR, "1h");
  expect_format (STRATUS_MS, "1ms");
  expect_format (STRATUS_US, "1us");
  expect_format (1, "1ns");
  expect_format (STRATUS_DAY + STRATUS_SECOND, "1d1s");
  expect_format (STRATUS_DAY, "1d");
  expect_format (STRATUS_DAY + 2 * STRATUS_HOUR + 3 * STRATUS_MINUTE + 4 * STRATUS_SECOND,
                 "1d2h3m4s");
  expect_format (1500 * STRATUS_MS, "1500ms");
  expect_format (10 * STRATUS_US, "10us");
  expect_format (100, "100ns");
  expect_format (STRATUS_SECOND + 1, "1000000001ns");
}

static void
units_format_duration_round_trips_through_parse (void **state)
{
  (void) state;
  /* Text -> time -> text: the canonical spelling comes back. */
  const struct
  {
    const char *in, *out;
  } texts[] = {
    { "90m", "1h30m" }, { "1.5h", "1h30m" }, { "250ms", "250ms" }, { "0.25s", "250ms" },
    { "0", "0s" },      { "30s", "30s" },    { "1d", "1d" },       { "48h", "2d" },
    { "10us", "10us" }, { "100ns", "100ns" }, { "1.5s", "1500ms" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      StratusTime t;
      assert_true (stratus_parse_duration (texts[i].in, &t, NULL));
      expect_format (t, texts[i].out);
    }
  /* Time -> text -> time, whenever the text is a single number and unit. */
  const StratusTime times[] = { 0,      1,          999,       STRATUS_US * 7, STRATUS_MS * 42,
                                1001 * STRATUS_MS, STRATUS_SECOND * 59, STRATUS_MINUTE * 7,
                                STRATUS_HOUR * 23, STRATUS_DAY * 400, STRATUS_SECOND + 1 };
  for (size_t i = 0; i < G_N_ELEMENTS (times); i++)
    {
      char *s = stratus_format_duration (times[i]);
      StratusTime back = -1;
      if (!stratus_parse_duration (s, &back, NULL) || back != times[i])
        fail_msg ("%" G_GINT64_FORMAT " -> '%s' -> %" G_GINT64_FORMAT, times[i], s, back);
      g_free (s);
    }
}

/* ---- limits of scenario values --------------------------------------------------------- */

/* A scenario in the shape of the robustness reproducers (tests/findings). */
static const char *const finding =
  "duration: 10s\n"
  "azs: [us-east-1a]\n"
  "load_balancers:\n"
  "  lb: {target_group: q}\n"
  "instances:\n"
  "  s: {service_time: 10ms, target_group: q}\n"
  "workload:\n"
  "  w: {entry: lb, rate: 10/s}\n";

/* `finding` with `from` replaced by `to` is refused with exactly `message`. */
static void
expect_finding_error (const char *from, const char *to, const char *message)
{
  char *text = subst (finding, from, to);
  char *got = load_error (text);
  if (strcmp (got, message) != 0)
    fail_msg ("message: %s\nexpected: %s", got, message);
  g_free (got);
  g_free (text);
}

/* `finding` with `from` replaced by `to` loads. Caller frees. */
static StratusScenario *
expect_finding_ok (const char *from, const char *to)
{
  char *text = subst (finding, from, to);
  StratusScenario *s = load_ok (text);
  g_free (text);
  return s;
}

static void
units_durations_at_most_100_years (void **state)
{
  (void) state;
  StratusTime t;
  GError *error = NULL;
  /* (1ns past it rounds to the limit itself: durations are added up as doubles) */
  assert_false (stratus_parse_duration ("36525d1ms", &t, &error));
  assert_string_equal (error->message,
                       "'36525d1ms' is longer than the simulator's limit of 36525d (100 years)");
  g_clear_error (&error);
  expect_bad_duration ("106000d");
  expect_bad_duration ("1e19ns");
  expect_duration ("876600h", 36525 * STRATUS_DAY); /* the limit, in other units */
  expect_duration ("3155760000s", 36525 * STRATUS_DAY);
}

static void
scenario_durations_at_most_100_years (void **state)
{
  (void) state;
  /* B2: a service time of 106000d */
  expect_finding_error ("service_time: 10ms", "service_time: 106000d",
                        "t.yaml:6:21: service_time: '106000d' is longer than the simulator's "
                        "limit of 36525d (100 years)");
  /* B2b: a client timeout of 106000d */
  expect_finding_error ("rate: 10/s}", "rate: 10/s, timeout: 106000d}",
                        "t.yaml:8:39: timeout: '106000d' is longer than the simulator's limit "
                        "of 36525d (100 years)");
  expect_finding_error ("duration: 10s", "duration: 36526d",
                        "t.yaml:1:11: duration: '36526d' is longer than the simulator's limit "
                        "of 36525d (100 years)");
  expect_finding_error ("{target_group: q}\ninstances", "{target_group: q, processing_time: 36526d}\ninstances",
                        "t.yaml:4:42: processing_time: '36526d' is longer than the simulator's "
                        "limit of 36525d (100 years)");
  /* Every value at the limit at once: duration + timeout (the client's deadline) and
   * now + service time still fit, as sums of two limits do. */
  char *text = subst (finding, "duration: 10s", "duration: 36525d");
  char *both = subst (text, "rate: 10/s}", "rate: 10/s, timeout: 36525d}");
  char *all = subst (both, "service_time: 10ms", "service_time: 36525d");
  StratusScenario *s = load_ok (all);
  const StratusWorkloadConfig *w = g_ptr_array_index (s->workloads, 0);
  assert_true (s->duration + w->timeout > s->duration);
  stratus_scenario_free (s);
  g_free (all);
  g_free (both);
  g_free (text);
}

static void
scenario_rates_at_most_10M_per_second (void **state)
{
  (void) state;
  StratusScenario *s = expect_finding_ok ("rate: 10/s", "rate: 10M/s");
  s = (stratus_scenario_free (s), expect_finding_ok ("rate: 10/s", "rate: 10000000/s"));
  s = (stratus_scenario_free (s), expect_finding_ok ("rate: 10/s", "rate: 1e-12/s")); /* B4 */
  s = (stratus_scenario_free (s), expect_finding_ok ("rate: 10/s", "rate: 0/s"));
  stratus_scenario_free (s);
  const char *tail = "' is above the simulator's limit of 10M/s per workload (arrivals are "
                     "whole nanoseconds: at most one every 100ns on average)";
  char *m = g_strconcat ("t.yaml:8:24: rate: '10000001/s", tail, NULL);
  expect_finding_error ("rate: 10/s", "rate: 10000001/s", m);
  g_free (m);
  m = g_strconcat ("t.yaml:8:24: rate: '1G/s", tail, NULL); /* B5 */
  expect_finding_error ("rate: 10/s", "rate: 1G/s", m);
  g_free (m);
  m = g_strconcat ("t.yaml:8:56: max: '20M/s", tail, NULL);
  expect_finding_error ("rate: 10/s", "rate: {shape: diurnal, min: 1/s, max: 20M/s}", m);
  g_free (m);
  m = g_strconcat ("t.yaml:8:56: peak: '1e8/s", tail, NULL);
  expect_finding_error ("rate: 10/s", "rate: {shape: spike, base: 1/s, peak: 1e8/s, at: 1s, for: 1s}", m);
  g_free (m);
  m = g_strconcat ("t.yaml:8:62: rate: '11M/s", tail, NULL);
  expect_finding_error ("rate: 10/s", "rate: {shape: steps, steps: [{at: 0s, rate: 11M/s}]}", m);
  g_free (m);
}

static void
scenario_report_interval_floor (void **state)
{
  (void) state;
  /* B7: 1ns over 10s would be ten billion rows */
  expect_finding_error ("duration: 10s", "duration: 10s\nreport: {interval: 1ns}",
                        "t.yaml:2:20: interval: '1ns' would give 10000000000 rows per "
                        "replication, more than 1000000: at this duration the interval must be "
                        "at least 10us");
  expect_finding_error ("duration: 10s", "duration: 10s\nreport: {interval: 9999ns}",
                        "t.yaml:2:20: interval: '9999ns' would give 1000101 rows per "
                        "replication, more than 1000000: at this duration the interval must be "
                        "at least 10us");
  StratusScenario *s = expect_finding_ok ("duration: 10s", "duration: 10s\nreport: {interval: 10us}");
  assert_int_equal (s->report_interval, 10 * STRATUS_US); /* exactly 1,000,000 rows */
  stratus_scenario_free (s);
  /* The default: 1m, or duration / 1e6 rounded up to a whole second when that is longer. */
  s = expect_finding_ok ("duration: 10s", "duration: 2h");
  assert_int_equal (s->report_interval, STRATUS_MINUTE);
  stratus_scenario_free (s);
  s = expect_finding_ok ("duration: 10s", "duration: 1000000m");
  assert_int_equal (s->report_interval, STRATUS_MINUTE);
  stratus_scenario_free (s);
  s = expect_finding_ok ("duration: 10s", "duration: 36500d"); /* B15: a century */
  assert_int_equal (s->report_interval, 3154 * STRATUS_SECOND);
  stratus_scenario_free (s);
  expect_finding_error ("duration: 10s", "duration: 36500d\nreport: {interval: 1m}",
                        "t.yaml:2:20: interval: '1m' would give 52560000 rows per replication, "
                        "more than 1000000: at this duration the interval must be at least "
                        "3153600ms");
}

static void
scenario_degenerate_values (void **state)
{
  (void) state;
  expect_finding_error ("service_time: 10ms", "workers: 0, service_time: 10ms",
                        "t.yaml:6:16: workers: 0 is out of range (1 to 1000000)");
  expect_finding_error ("duration: 10s", "duration: 0s", "t.yaml:1:11: duration: must be > 0");
  StratusScenario *s = expect_finding_ok ("service_time: 10ms",
                                          "count: 0, queue_limit: 0, service_time: 10ms");
  const StratusFleetConfig *f = g_ptr_array_index (s->fleets, 0);
  assert_int_equal (f->count, 0);
  assert_int_equal (f->queue_limit, 0);
  stratus_scenario_free (s);
  s = expect_finding_ok ("duration: 10s", "duration: 10s\nwarmup: 0");
  assert_int_equal (s->warmup, 0);
  stratus_scenario_free (s);
  s = expect_finding_ok ("rate: 10/s", "rate: {shape: spike, base: 0/s, peak: 5/s, at: 1s, for: 0s}");
  const StratusWorkloadConfig *w = g_ptr_array_index (s->workloads, 0);
  assert_int_equal (w->rate.spike_for, 0);
  stratus_scenario_free (s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (units_durations_parse_every_unit),
    cmocka_unit_test (units_durations_add_up_compound_parts),
    cmocka_unit_test (units_durations_reject_bad_text),
    cmocka_unit_test (units_durations_at_most_100_years),
    cmocka_unit_test (scenario_durations_at_most_100_years),
    cmocka_unit_test (scenario_rates_at_most_10M_per_second),
    cmocka_unit_test (scenario_report_interval_floor),
    cmocka_unit_test (scenario_degenerate_values),
    cmocka_unit_test (units_rates_parse_multipliers_and_periods),
    cmocka_unit_test (units_rates_reject_bad_text),
    cmocka_unit_test (units_sizes_parse_decimal_and_binary_units),
    cmocka_unit_test (units_sizes_reject_bad_text),
    cmocka_unit_test (units_percent_accepts_percentages_and_fractions),
    cmocka_unit_test (units_percent_rejects_out_of_range_and_junk),
    cmocka_unit_test (units_is_unlimited_matches_only_the_word),
    cmocka_unit_test (units_format_duration_renders_compactly),
    cmocka_unit_test (units_format_duration_round_trips_through_parse),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
