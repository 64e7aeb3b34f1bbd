/* The `faults` section: scheduled faults (StratusFaultConfig), each an action named after
 * AWS Fault Injection Service's, a start time, a duration or none (permanent), and its
 * targets: an AZ, a fleet (or Auto Scaling group) with a count or a percentage, a
 * database. */
#include <string.h>

#include "section.h"
#include "stratus/units.h"

static const char *const kind_names[] = {
  "az_power_interruption", "stop_instances", "terminate_instances", "insufficient_capacity",
  "db_failover", "db_reboot", "disrupt_connectivity", NULL,
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == STRATUS_N_FAULT_KINDS + 1);

const char *
stratus_fault_kind_name (StratusFaultKind kind)
{
  return kind < STRATUS_N_FAULT_KINDS ? kind_names[kind] : "?";
}

/* Frees a fault (a partial one too). */
static void
fault_free (StratusFaultConfig *f)
{
  g_free (f->name);
  g_free (f);
}

/* The index of `name` in `names` (char*), or -1. */
static int
index_of (const GPtrArray *names, const char *name)
{
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return (int) i;
  return -1;
}

/* Refuses key `key` of `v` for this fault's action. */
static bool
refuse (FieldCtx *ctx, const YNode *v, const char *key, StratusFaultKind kind)
{
  const YNode *k = ynode_map_get (v, key);
  return k == NULL
         || field_fail_at (ctx, k, "%s: not a key of a %s fault", key, kind_names[kind]);
}

/* `az` (required when `required`): one of the scenario's AZs, into f->az. */
static bool
parse_az (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const char *what,
          bool required, StratusFaultConfig *f)
{
  f->az = -1;
  const YNode *az = required ? field_require (ctx, v, "az", what) : ynode_map_get (v, "az");
  if (az == NULL)
    return !required;
  if (!field_expect_kind (ctx, az, YNODE_SCALAR, "az"))
    return false;
  f->az = index_of (s->azs, az->value);
  if (f->az >= 0)
    return true;
  g_ptr_array_add (s->azs, NULL);
  char *hint = field_hint (az->value, (const char *const *) s->azs->pdata);
  g_ptr_array_set_size (s->azs, s->azs->len - 1);
  field_fail_at (ctx, az, "az: unknown AZ '%s' (not in the scenario's azs)%s", az->value, hint);
  g_free (hint);
  return false;
}

/* stop_instances / terminate_instances: `target` (a fleet or Auto Scaling group), then
 * `count` or `percent` (default: all of them). */
static bool
parse_instances (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const char *what,
                 StratusFaultConfig *f)
{
  const YNode *t = field_require (ctx, v, "target", what);
  if (t == NULL || !field_expect_kind (ctx, t, YNODE_SCALAR, "target"))
    return false;
  f->fleet = stratus_scenario_fleet_index (s, t->value);
  if (f->fleet < 0)
    {
      GPtrArray *names = g_ptr_array_new ();
      for (guint i = 0; i < s->fleets->len; i++)
        g_ptr_array_add (names, ((StratusFleetConfig *) g_ptr_array_index (s->fleets, i))->name);
      g_ptr_array_add (names, NULL);
      char *hint = field_hint (t->value, (const char *const *) names->pdata);
      g_ptr_array_unref (names);
      field_fail_at (ctx, t, "target: no fleet or Auto Scaling group named '%s'%s", t->value,
                     hint);
      g_free (hint);
      return false;
    }
  const YNode *count = ynode_map_get (v, "count"), *percent = ynode_map_get (v, "percent");
  if (count != NULL && percent != NULL)
    return field_fail_at (ctx, percent, "percent: give count or percent, not both");
  f->count = -1;
  f->percent = 100;
  if (count != NULL)
    {
      int64_t n;
      if (!field_parse_int64_node (ctx, count, "count", 1, 100000, &n))
        return false;
      f->count = (int) n;
    }
  if (percent == NULL)
    return true;
  if (!field_get_number (ctx, v, "percent", 100, 0, &f->percent))
    return false;
  if (!(f->percent > 0 && f->percent <= 100))
    return field_fail_at (ctx, percent, "percent: must be above 0 and at most 100, found %s",
                          percent->value);
  return true;
}

/* `database`: a database of the scenario, into f->database. */
static bool
parse_database (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const char *what,
                StratusFaultConfig *f)
{
  const YNode *d = field_require (ctx, v, "database", what);
  if (d == NULL || !field_expect_kind (ctx, d, YNODE_SCALAR, "database"))
    return false;
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    if (strcmp (((StratusDatabaseConfig *) g_ptr_array_index (s->databases, i))->name,
                d->value)
        == 0)
      {
        f->database = (int) i;
        return true;
      }
  return field_fail_at (ctx, d, "database: no database named '%s'", d->value);
}

/* One fault (faults.NAME) into the zeroed `out`. */
static bool
parse_fault (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "action", "at", "duration", "az", "target", "count",
                                      "percent", "database", NULL };
  const StratusScenario *s = user_data;
  StratusFaultConfig *f = out;
  f->name = g_strdup (key->value);
  f->line = key->line;
  f->column = key->column;
  f->az = f->fleet = f->database = -1;
  f->count = -1;
  f->percent = 100;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a fault"))
    return false;
  const YNode *action = field_require (ctx, v, "action", key->value);
  int kind;
  if (action == NULL || !field_check_choice (ctx, action, "action", kind_names, &kind))
    return false;
  f->kind = (StratusFaultKind) kind;
  const YNode *at = field_require (ctx, v, "at", key->value);
  if (at == NULL || !field_parse_duration_node (ctx, at, "at", false, &f->at))
    return false;
  if (f->at >= s->duration)
    {
      char *d = stratus_format_duration (s->duration);
      field_fail_at (ctx, at, "at: %s is not within the run (duration %s)", at->value, d);
      g_free (d);
      return false;
    }
  /* duration: a length, or "permanent" (the default); a reboot lasts 60 s by default. */
  f->duration = f->kind == STRATUS_FAULT_DB_REBOOT ? 60 * STRATUS_SECOND : STRATUS_TIME_NEVER;
  const YNode *duration = ynode_map_get (v, "duration");
  if (duration != NULL)
    {
      if (f->kind == STRATUS_FAULT_DB_FAILOVER || f->kind == STRATUS_FAULT_TERMINATE_INSTANCES)
        return refuse (ctx, v, "duration", f->kind);
      if (duration->kind == YNODE_SCALAR && strcmp (duration->value, "permanent") == 0
          && f->kind != STRATUS_FAULT_DB_REBOOT)
        f->duration = STRATUS_TIME_NEVER;
      else if (!field_parse_duration_node (ctx, duration, "duration", false, &f->duration))
        return false;
      else if (f->duration <= 0)
        return field_fail_at (ctx, duration, "duration: must be above 0 (or 'permanent')");
    }
  switch (f->kind)
    {
    case STRATUS_FAULT_AZ_POWER_INTERRUPTION:
    case STRATUS_FAULT_INSUFFICIENT_CAPACITY:
    case STRATUS_FAULT_DISRUPT_CONNECTIVITY:
      return parse_az (ctx, s, v, key->value, true, f) && refuse (ctx, v, "target", f->kind)
             && refuse (ctx, v, "count", f->kind) && refuse (ctx, v, "percent", f->kind)
             && refuse (ctx, v, "database", f->kind);
    case STRATUS_FAULT_STOP_INSTANCES:
    case STRATUS_FAULT_TERMINATE_INSTANCES:
      return parse_az (ctx, s, v, key->value, false, f)
             && parse_instances (ctx, s, v, key->value, f)
             && refuse (ctx, v, "database", f->kind);
    case STRATUS_FAULT_DB_FAILOVER:
    case STRATUS_FAULT_DB_REBOOT:
      return parse_database (ctx, s, v, key->value, f) && refuse (ctx, v, "az", f->kind)
             && refuse (ctx, v, "target", f->kind) && refuse (ctx, v, "count", f->kind)
             && refuse (ctx, v, "percent", f->kind);
    case STRATUS_N_FAULT_KINDS:
      break;
    }
  return false;
}

/* parse: s->faults, in file order (after every resource they may name). */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  return field_parse_named (ctx, root, "faults", sizeof (StratusFaultConfig), parse_fault, s,
                            s->faults);
}

/* free: s->faults. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->faults, g_ptr_array_unref);
}

/* The `faults` row. */
const ScenarioSection section_faults = {
  .key = "faults",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .free = section_free,
};
