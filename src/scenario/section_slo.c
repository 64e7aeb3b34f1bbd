/* The `slo` section: service level objectives the report measures the run against, a
 * latency percentile under a target (`latency: {percentile, target}`) and a share of
 * requests that succeed (`availability: 99.9%`), each with its error budget. */
#include <math.h>

#include "section.h"
#include "stratus/units.h"

/* `latency: {percentile, target}`: percentile in (0, 100), default 99; target > 0. */
static bool
parse_latency (FieldCtx *ctx, const YNode *v, StratusSloConfig *slo)
{
  static const char *const keys[] = { "percentile", "target", NULL };
  if (!field_expect_kind (ctx, v, YNODE_MAP, "slo.latency")
      || !field_check_keys (ctx, v, keys, "slo.latency")
      || !field_get_number (ctx, v, "percentile", 99, 0, &slo->percentile))
    return false;
  if (!(slo->percentile > 0 && slo->percentile < 100))
    return field_fail_at (ctx, ynode_map_get (v, "percentile"),
                          "percentile: must be above 0 and below 100, found %g",
                          slo->percentile);
  const YNode *target = field_require (ctx, v, "target", "slo.latency");
  if (target == NULL || !field_parse_duration_node (ctx, target, "target", false,
                                                    &slo->latency_target))
    return false;
  if (slo->latency_target <= 0)
    return field_fail_at (ctx, target, "target: must be above 0");
  slo->latency = true;
  return true;
}

/* `availability: 99.9%` (or 0.999): above 0 and below 100%. */
static bool
parse_availability (FieldCtx *ctx, const YNode *v, StratusSloConfig *slo)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, "availability"))
    return false;
  GError *inner = NULL;
  if (!stratus_parse_percent (v->value, &slo->availability_target, &inner))
    return field_fail_wrapped (ctx, v, "availability", inner);
  if (!(slo->availability_target > 0 && slo->availability_target < 1))
    return field_fail_at (ctx, v, "availability: must be above 0%% and below 100%% (100%% "
                          "leaves no error budget), found %s", v->value);
  /* 99.9 / 100 is 0.9990000000000001 in binary: back to the double nearest 0.999. */
  slo->availability_target = round (slo->availability_target * 1e12) / 1e12;
  slo->availability = true;
  return true;
}

/* parse: s->slo (disabled without the section). */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  static const char *const keys[] = { "latency", "availability", NULL };
  s->slo = (StratusSloConfig){ .percentile = 99 };
  if (value == NULL)
    return true;
  if (!field_expect_kind (ctx, value, YNODE_MAP, "slo")
      || !field_check_keys (ctx, value, keys, "slo"))
    return false;
  const YNode *latency = ynode_map_get (value, "latency");
  const YNode *availability = ynode_map_get (value, "availability");
  if (latency == NULL && availability == NULL)
    return field_fail_at (ctx, value, "slo: give latency, availability or both");
  if ((latency != NULL && !parse_latency (ctx, latency, &s->slo))
      || (availability != NULL && !parse_availability (ctx, availability, &s->slo)))
    return false;
  s->slo.enabled = true;
  return true;
}

/* The `slo` row: nothing to link, check or free. */
const ScenarioSection section_slo = {
  .key = "slo",
  .pass = SECTION_PASS_CONTEXT,
  .parse = section_parse,
};
