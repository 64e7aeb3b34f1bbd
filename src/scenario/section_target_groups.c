/* The `target_groups` section: each declared StratusTargetGroupConfig (port, algorithm,
 * deregistration delay, slow start and health check, with AWS's defaults and ranges). */
#include <string.h>

#include "section.h"
#include "stratus/units.h"

/* Frees a target group and what it owns (a partial one too). */
static void
target_group_free (StratusTargetGroupConfig *tg)
{
  g_free (tg->name);
  g_free (tg->health_check.path);
  g_free (tg);
}

/* `health_check.port`: "traffic-port" (0, the default) or a port number. */
static bool
parse_health_check_port (FieldCtx *ctx, const YNode *hc, uint16_t *port)
{
  const YNode *p = ynode_map_get (hc, "port");
  *port = 0;
  if (p == NULL || (p->kind == YNODE_SCALAR && strcmp (p->value, "traffic-port") == 0))
    return true;
  if (p->kind == YNODE_SCALAR && !g_ascii_isdigit (p->value[0]))
    return field_fail_at (ctx, p, "port: expected traffic-port or a port number, found '%s'",
                          p->value);
  return field_get_port (ctx, hc, "port", 80, port);
}

/* `health_check` (absent: every default): path, port, interval, timeout (< interval) and
 * the two thresholds. */
static bool
parse_health_check (FieldCtx *ctx, const YNode *v, StratusHealthCheckConfig *h)
{
  static const char *const keys[] = { "path", "port", "interval", "timeout",
                                      "healthy_threshold", "unhealthy_threshold", NULL };
  const YNode *hc = ynode_map_get (v, "health_check");
  h->enabled = true;
  if (hc != NULL && (!field_expect_kind (ctx, hc, YNODE_MAP, "health_check")
                     || !field_check_keys (ctx, hc, keys, "a health check")))
    return false;
  /* hc may be NULL from here: every getter then takes its default. */
  if (!field_get_string (ctx, hc, "path", "/", &h->path)
      || !parse_health_check_port (ctx, hc, &h->port)
      || !field_get_seconds_between (ctx, hc, "interval", 30, 5, 300, &h->interval)
      || !field_get_seconds_between (ctx, hc, "timeout", 5, 2, 120, &h->timeout)
      || !field_get_int (ctx, hc, "healthy_threshold", 5, 2, 10, &h->healthy_threshold)
      || !field_get_int (ctx, hc, "unhealthy_threshold", 2, 2, 10, &h->unhealthy_threshold))
    return false;
  if (h->timeout >= h->interval)
    {
      char *t = stratus_format_duration (h->timeout), *i = stratus_format_duration (h->interval);
      const YNode *at = ynode_map_get (hc, "timeout") ? ynode_map_get (hc, "timeout")
                                                      : ynode_map_get (hc, "interval");
      field_fail_at (ctx, at, "timeout: %s must be shorter than the interval (%s), as on AWS",
                     t, i);
      g_free (t);
      g_free (i);
      return false;
    }
  return true;
}

/* `slow_start`: 0 (off) or 30 to 900 s; AWS refuses it with least outstanding requests. */
static bool
parse_slow_start (FieldCtx *ctx, const YNode *v, StratusTargetGroupConfig *tg)
{
  const YNode *ss = ynode_map_get (v, "slow_start");
  if (!field_get_duration (ctx, v, "slow_start", 0, false, &tg->slow_start))
    return false;
  if (tg->slow_start != 0
      && (tg->slow_start < 30 * STRATUS_SECOND || tg->slow_start > 900 * STRATUS_SECOND))
    return field_fail_at (ctx, ss, "slow_start: must be 0s (off) or between 30s and 900s, as "
                          "on AWS");
  if (tg->slow_start != 0 && tg->algorithm == STRATUS_ALGORITHM_LEAST_OUTSTANDING_REQUESTS)
    return field_fail_at (ctx, ss, "slow_start: a target group with least_outstanding_requests "
                          "cannot have slow start (AWS refuses it); set slow_start: 0s or "
                          "algorithm: round_robin");
  return true;
}

/* One target group (target_groups.NAME) into the zeroed `out`. */
static bool
parse_target_group (FieldCtx *ctx, const YNode *key, const YNode *v, void *out,
                    void *user_data)
{
  static const char *const keys[] = { "port", "algorithm", "deregistration_delay",
                                      "slow_start", "health_check", NULL };
  static const char *const algorithms[] = { "round_robin", "least_outstanding_requests", NULL };
  StratusTargetGroupConfig *tg = out;
  tg->name = g_strdup (key->value);
  tg->line = key->line;
  tg->column = key->column;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a target group"))
    return false;
  int algorithm = 0;
  const YNode *a = ynode_map_get (v, "algorithm");
  if (a != NULL && !field_check_choice (ctx, a, "algorithm", algorithms, &algorithm))
    return false;
  tg->algorithm = (StratusAlgorithm) algorithm;
  return field_get_port (ctx, v, "port", 80, &tg->port)
         && field_get_seconds_between (ctx, v, "deregistration_delay", 300, 0, 3600,
                                       &tg->deregistration_delay)
         && parse_slow_start (ctx, v, tg) && parse_health_check (ctx, v, &tg->health_check);
}

/* parse: s->target_groups, in file order. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->target_groups = g_ptr_array_new_with_free_func ((GDestroyNotify) target_group_free);
  return field_parse_named (ctx, root, "target_groups", sizeof (StratusTargetGroupConfig),
                            parse_target_group, NULL, s->target_groups);
}

/* free: s->target_groups. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->target_groups, g_ptr_array_unref);
}

/* The `target_groups` row. */
const ScenarioSection section_target_groups = {
  .key = "target_groups",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .free = section_free,
};
