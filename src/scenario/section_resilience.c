/* The `resilience_policy` section, in the spirit of AWS Resilience Hub: per disruption type
 * (instance, az, database), the longest acceptable time to recover (rto) and data-loss
 * window (rpo). The report judges each fault of the run against its type's targets. */
#include <string.h>

#include "section.h"
#include "stratus/units.h"

static const char *const disruption_names[] = { "instance", "az", "database", NULL };
G_STATIC_ASSERT (G_N_ELEMENTS (disruption_names) == STRATUS_N_DISRUPTIONS + 1);

const char *
stratus_disruption_name (StratusDisruptionType type)
{
  return type < STRATUS_N_DISRUPTIONS ? disruption_names[type] : "?";
}

/* The fault kinds that are not AZ disruptions, by name (so that a kind added to the faults
 * section later maps here by its name alone); every other kind is an AZ disruption. */
static const struct
{
  const char *kind;
  StratusDisruptionType type;
} kind_types[] = {
  { "stop_instances", STRATUS_DISRUPTION_INSTANCE },
  { "terminate_instances", STRATUS_DISRUPTION_INSTANCE },
  { "cpu_stress", STRATUS_DISRUPTION_INSTANCE },
  { "memory_leak", STRATUS_DISRUPTION_INSTANCE },
  { "db_failover", STRATUS_DISRUPTION_DATABASE },
  { "db_reboot", STRATUS_DISRUPTION_DATABASE },
  { "db_instance_failure", STRATUS_DISRUPTION_DATABASE },
};

StratusDisruptionType
stratus_fault_disruption (StratusFaultKind kind)
{
  const char *name = stratus_fault_kind_name (kind);
  for (size_t i = 0; i < G_N_ELEMENTS (kind_types); i++)
    if (strcmp (kind_types[i].kind, name) == 0)
      return kind_types[i].type;
  return STRATUS_DISRUPTION_AZ;
}

/* One disruption type's `{rto, rpo}` (both required) into `t`. */
static bool
parse_target (FieldCtx *ctx, const YNode *key, const YNode *v, StratusResilienceTarget *t)
{
  static const char *const keys[] = { "rto", "rpo", NULL };
  char *what = g_strdup_printf ("resilience_policy.%s", key->value);
  bool ok = field_expect_kind (ctx, v, YNODE_MAP, what) && field_check_keys (ctx, v, keys, what);
  const YNode *rto = ok ? field_require (ctx, v, "rto", what) : NULL;
  const YNode *rpo = rto != NULL ? field_require (ctx, v, "rpo", what) : NULL;
  g_free (what);
  if (rpo == NULL || !field_parse_duration_node (ctx, rto, "rto", false, &t->rto)
      || !field_parse_duration_node (ctx, rpo, "rpo", false, &t->rpo))
    return false;
  t->set = true;
  t->line = key->line;
  t->column = key->column;
  return true;
}

/* parse: s->resilience_policy (disabled without the section). */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->resilience_policy = (StratusResiliencePolicy){ 0 };
  if (value == NULL)
    return true;
  if (!field_expect_kind (ctx, value, YNODE_MAP, "resilience_policy")
      || !field_check_keys (ctx, value, disruption_names, "resilience_policy"))
    return false;
  for (guint i = 0; i < ynode_length (value); i++)
    {
      const YNode *key = ynode_map_key (value, i);
      int type = 0;
      while (strcmp (disruption_names[type], key->value) != 0)
        type++; /* field_check_keys let only the names through */
      if (!parse_target (ctx, key, ynode_item (value, i), &s->resilience_policy.targets[type]))
        return false;
    }
  s->resilience_policy.enabled = true;
  return true;
}

/* The `resilience_policy` row: nothing to link, check or free. */
const ScenarioSection section_resilience_policy = {
  .key = "resilience_policy",
  .pass = SECTION_PASS_CONTEXT,
  .parse = section_parse,
};
