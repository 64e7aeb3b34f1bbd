/* The `workload` section: each StratusWorkloadConfig (clients, their rate and timeout),
 * its entry load balancer resolved; a scenario needs at least one workload. */
#include "section.h"

/* Frees a workload and everything it owns (a partial one too). */
static void
workload_free (StratusWorkloadConfig *w)
{
  g_free (w->name);
  g_free (w->entry);
  g_clear_pointer (&w->rate.steps, g_array_unref);
  g_clear_pointer (&w->rate.trace_rates, g_array_unref);
  g_clear_pointer (&w->rate.trace_arrivals, g_array_unref);
  g_free (w);
}

/* A workload (workload.NAME) into the zeroed `out`. Sums the model makes of its values
 * cannot overflow: the deadline `sent + timeout` is at most duration + timeout, and a
 * spike's `at + for`, each at most STRATUS_TIME_INPUT_MAX (100 years, checked by every
 * duration field), so at most 200 years, inside the 292 of StratusTime; the model adds them
 * with stratus_time_add anyway. */
/* `retry: {max_attempts, base, cap, quota}` (absent: one attempt): attempts 1-10 (default
 * 3), base (default 100 ms, 0: retry at once), cap (default 20 s, at least the base) and
 * the retry quota in tokens (default 0: none). */
static bool
parse_retry (FieldCtx *ctx, const YNode *v, StratusWorkloadConfig *w)
{
  static const char *const keys[] = { "max_attempts", "base", "cap", "quota", NULL };
  w->max_attempts = 1;
  w->retry_base = (STRATUS_SECOND / 10);
  w->retry_cap = 20 * STRATUS_SECOND;
  const YNode *r = ynode_map_get (v, "retry");
  if (r == NULL)
    return true;
  if (!field_expect_kind (ctx, r, YNODE_MAP, "retry") || !field_check_keys (ctx, r, keys, "retry")
      || !field_get_int (ctx, r, "max_attempts", 3, 1, 10, &w->max_attempts)
      || !field_get_duration (ctx, r, "base", (STRATUS_SECOND / 10), false, &w->retry_base)
      || !field_get_duration (ctx, r, "cap", 20 * STRATUS_SECOND, false, &w->retry_cap)
      || !field_get_int (ctx, r, "quota", 0, 0, 1000000, &w->retry_quota))
    return false;
  if (w->retry_cap < w->retry_base)
    return field_fail_at (ctx, ynode_map_get (r, "cap"), "cap: must be at least the base (%s)",
                          ynode_map_get (r, "base") != NULL ? ynode_map_get (r, "base")->value
                                                            : "100ms");
  return true;
}

static bool
parse_workload (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "entry", "rate", "timeout", "dns_ttl", "retry",
                                      "request_size", "response_size", NULL };
  StratusWorkloadConfig *w = out;
  w->name = g_strdup (key->value);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a workload"))
    return false;
  const YNode *entry = field_require (ctx, v, "entry", key->value);
  const YNode *rate;
  return entry != NULL && field_get_string (ctx, v, "entry", NULL, &w->entry)
         && (rate = field_require (ctx, v, "rate", key->value)) != NULL
         && field_parse_rate (ctx, rate, &w->rate)
         && field_get_duration (ctx, v, "timeout", 60 * STRATUS_SECOND, true, &w->timeout)
         && field_get_duration (ctx, v, "dns_ttl", 60 * STRATUS_SECOND, false, &w->dns_ttl)
         && parse_retry (ctx, v, w)
         && field_get_size (ctx, v, "request_size", 1024, &w->request_bytes)
         && field_get_size (ctx, v, "response_size", 16 * 1024, &w->response_bytes);
}

/* parse: s->workloads, in file order. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->workloads = g_ptr_array_new_with_free_func ((GDestroyNotify) workload_free);
  return field_parse_named (ctx, root, "workload", sizeof (StratusWorkloadConfig),
                            parse_workload, NULL, s->workloads);
}

/* link: each entry is a load balancer; then, that there is a workload at all (checked
 * here, before any row's check step, as it always was). */
static bool
section_link (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  GPtrArray *lbs = g_ptr_array_new ();
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (lbs,
                     ((StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, i))->name);
  g_ptr_array_add (lbs, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < s->workloads->len; i++)
    {
      StratusWorkloadConfig *w = g_ptr_array_index (s->workloads, i);
      if (!g_strv_contains ((const char *const *) lbs->pdata, w->entry))
        {
          const YNode *node = ynode_map_get (ynode_item (value, i), "entry");
          char *h = field_hint (w->entry, (const char *const *) lbs->pdata);
          ok = field_fail_at (ctx, node, "entry: unknown load balancer '%s'%s", w->entry, h);
          g_free (h);
        }
    }
  g_ptr_array_unref (lbs);
  if (ok && s->workloads->len == 0)
    ok = field_fail_at (ctx, root, "the scenario has no workload: add a 'workload' section");
  return ok;
}

/* free: s->workloads. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->workloads, g_ptr_array_unref);
}

/* The `workload` row. */
const ScenarioSection section_workloads = {
  .key = "workload",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .link = section_link,
  .free = section_free,
};
