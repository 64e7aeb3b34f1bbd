/* The scenario-wide settings, one row each: name, duration, warmup, seed, region, azs,
 * latency, and the report section. */
#include <string.h>

#include "section.h"
#include "stratus/units.h"

/* name: by default the file's base name without its extension. */
static bool
parse_name (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  char *base = g_path_get_basename (s->path);
  char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  bool ok = field_get_string (ctx, root, "name", base, &s->name);
  g_free (base);
  return ok;
}

/* free: s->name. */
static void
free_name (StratusScenario *s)
{
  g_clear_pointer (&s->name, g_free);
}

/* duration: required, > 0. */
static bool
parse_duration (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  const YNode *duration = field_require (ctx, root, "duration", "scenario");
  if (duration == NULL
      || !field_parse_duration_node (ctx, duration, "duration", false, &s->duration))
    return false;
  if (s->duration <= 0)
    return field_fail_at (ctx, duration, "duration: must be > 0");
  return true;
}

/* warmup: default 0, shorter than the duration. */
static bool
parse_warmup (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  if (!field_get_duration (ctx, root, "warmup", 0, false, &s->warmup))
    return false;
  if (s->warmup >= s->duration)
    return field_fail_at (ctx, value, "warmup: must be shorter than duration");
  return true;
}

/* seed: a whole number >= 0, default 1. */
static bool
parse_seed (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  int64_t seed = 1;
  if (value != NULL && !field_parse_int64_node (ctx, value, "seed", 0, G_MAXINT64, &seed))
    return false;
  s->seed = (uint64_t) seed;
  return true;
}

/* region: default us-east-1. */
static bool
parse_region (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  return field_get_string (ctx, root, "region", "us-east-1", &s->region);
}

/* free: s->region. */
static void
free_region (StratusScenario *s)
{
  g_clear_pointer (&s->region, g_free);
}

/* azs: required, at least one, each an AZ of the region, none twice. Needs s->region. */
static bool
parse_azs (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->azs = g_ptr_array_new_with_free_func (g_free);
  const YNode *azs = field_require (ctx, root, "azs", "scenario");
  if (azs == NULL || !field_expect_kind (ctx, azs, YNODE_SEQ, "azs"))
    return false;
  if (ynode_length (azs) == 0)
    return field_fail_at (ctx, azs, "azs: needs at least one Availability Zone");
  if (ynode_length (azs) > STRATUS_MAX_AZS)
    return field_fail_at (ctx, azs, "azs: at most %d Availability Zones (a region has at "
                          "most 6), found %u", STRATUS_MAX_AZS, ynode_length (azs));
  for (guint i = 0; i < ynode_length (azs); i++)
    {
      const YNode *az = ynode_item (azs, i);
      if (!field_expect_kind (ctx, az, YNODE_SCALAR, "azs"))
        return false;
      for (guint j = 0; j < s->azs->len; j++)
        if (strcmp (g_ptr_array_index (s->azs, j), az->value) == 0)
          return field_fail_at (ctx, az, "azs: '%s' is listed twice", az->value);
      if (!g_str_has_prefix (az->value, s->region) || strlen (az->value) == strlen (s->region))
        return field_fail_at (ctx, az, "azs: '%s' is not an Availability Zone of region %s "
                              "(e.g. %sa)", az->value, s->region, s->region);
      g_ptr_array_add (s->azs, g_strdup (az->value));
    }
  return true;
}

/* free: s->azs. */
static void
free_azs (StratusScenario *s)
{
  g_clear_pointer (&s->azs, g_ptr_array_unref);
}

/* latency: the three one-way constants, each with its default. */
static bool
parse_latency (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  static const char *const keys[] = { "same_az", "cross_az", "internet", NULL };
  s->latency.same_az = 100 * STRATUS_US;
  s->latency.cross_az = 600 * STRATUS_US;
  s->latency.internet = 15 * STRATUS_MS;
  if (value == NULL)
    return true;
  return field_expect_kind (ctx, value, YNODE_MAP, "latency")
         && field_check_keys (ctx, value, keys, "latency")
         && field_get_duration (ctx, value, "same_az", s->latency.same_az, false,
                                &s->latency.same_az)
         && field_get_duration (ctx, value, "cross_az", s->latency.cross_az, false,
                                &s->latency.cross_az)
         && field_get_duration (ctx, value, "internet", s->latency.internet, false,
                                &s->latency.internet);
}

/* At most this many report intervals (time-series rows) per replication. */
#define MAX_REPORT_INTERVALS 1000000

/* The `report` section: the interval, by default max(1m, duration / MAX_REPORT_INTERVALS
 * rounded up to a whole second); an explicit one below duration / MAX_REPORT_INTERVALS
 * (rounded up to a nanosecond) is refused. Needs s->duration. */
static bool
parse_report (FieldCtx *ctx, const YNode *root, const YNode *report, StratusScenario *s)
{
  StratusTime min_interval = (s->duration + MAX_REPORT_INTERVALS - 1) / MAX_REPORT_INTERVALS;
  StratusTime by_duration = (min_interval + STRATUS_SECOND - 1) / STRATUS_SECOND * STRATUS_SECOND;
  s->report_interval = by_duration > STRATUS_MINUTE ? by_duration : STRATUS_MINUTE;
  s->downtime_threshold = 0.05;
  if (report == NULL)
    return true;
  static const char *const keys[] = { "interval", "downtime_threshold", NULL };
  if (!field_expect_kind (ctx, report, YNODE_MAP, "report")
      || !field_check_keys (ctx, report, keys, "report")
      || !field_get_duration (ctx, report, "interval", s->report_interval, false,
                              &s->report_interval))
    return false;
  const YNode *threshold = ynode_map_get (report, "downtime_threshold");
  if (threshold != NULL)
    {
      GError *inner = NULL;
      if (!field_expect_kind (ctx, threshold, YNODE_SCALAR, "downtime_threshold"))
        return false;
      if (!stratus_parse_percent (threshold->value, &s->downtime_threshold, &inner))
        return field_fail_wrapped (ctx, threshold, "downtime_threshold", inner);
    }
  const YNode *node = ynode_map_get (report, "interval");
  if (s->report_interval <= 0)
    return field_fail_at (ctx, node, "interval: must be > 0");
  if (s->report_interval < min_interval)
    {
      StratusTime rows = s->duration / s->report_interval
                         + (s->duration % s->report_interval != 0);
      char *f = stratus_format_duration (min_interval);
      field_fail_at (ctx, node,
                     "interval: '%s' would give %" G_GINT64_FORMAT " rows per replication, more "
                     "than %d: at this duration the interval must be at least %s",
                     node->value, rows, MAX_REPORT_INTERVALS, f);
      g_free (f);
      return false;
    }
  return true;
}

/* The rows of the settings, in table order; none has a link or check step. */
const ScenarioSection section_name = { "name", SECTION_PASS_CONTEXT, parse_name, NULL, NULL,
                                       free_name };
const ScenarioSection section_duration = { "duration", SECTION_PASS_CONTEXT, parse_duration,
                                           NULL, NULL, NULL };
const ScenarioSection section_warmup = { "warmup", SECTION_PASS_CONTEXT, parse_warmup, NULL,
                                         NULL, NULL };
const ScenarioSection section_seed = { "seed", SECTION_PASS_CONTEXT, parse_seed, NULL, NULL,
                                       NULL };
const ScenarioSection section_region = { "region", SECTION_PASS_CONTEXT, parse_region, NULL,
                                         NULL, free_region };
const ScenarioSection section_azs = { "azs", SECTION_PASS_CONTEXT, parse_azs, NULL, NULL,
                                      free_azs };
const ScenarioSection section_latency = { "latency", SECTION_PASS_CONTEXT, parse_latency,
                                          NULL, NULL, NULL };
const ScenarioSection section_report = { "report", SECTION_PASS_CONTEXT, parse_report, NULL,
                                         NULL, NULL };
