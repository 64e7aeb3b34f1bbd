/* The `faults` section: scheduled faults (StratusFaultConfig), each an action named after
 * AWS Fault Injection Service's, a start time, a duration or none (permanent), and its
 * targets: an AZ, a fleet (or Auto Scaling group) with a count or a percentage, a
 * database. */
#include <string.h>

#include "section.h"
#include "stratus/units.h"

static const char *const kind_names[] = {
  "az_power_interruption", "stop_instances", "terminate_instances", "insufficient_capacity",
  "db_failover", "db_reboot", "disrupt_connectivity", "nat_gateway_failure",
  "latency_injection", "cpu_stress", "memory_leak", "db_instance_failure", NULL,
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
  if (f->subnets != NULL)
    g_array_unref (f->subnets);
  stratus_dist_clear (&f->mtbf);
  stratus_dist_clear (&f->mttr);
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

/* A percentage `key` of `v` (absent: `def`) into *out, a fraction in [min, max]. */
static bool
parse_share (FieldCtx *ctx, const YNode *v, const char *key, double def, double min, double max,
             double *out)
{
  const YNode *n = ynode_map_get (v, key);
  *out = def;
  if (n == NULL)
    return true;
  GError *inner = NULL;
  if (!field_expect_kind (ctx, n, YNODE_SCALAR, key))
    return false;
  if (!stratus_parse_percent (n->value, out, &inner))
    return field_fail_wrapped (ctx, n, key, inner);
  if (*out < min || *out > max)
    return field_fail_at (ctx, n, "%s: must be from %g%% to %g%%, found %s", key, min * 100,
                          max * 100, n->value);
  return true;
}

/* `subnets` (a list of the VPC's subnets) into f->subnets; false with an error. */
static bool
parse_subnets (FieldCtx *ctx, const StratusScenario *s, const YNode *v, StratusFaultConfig *f)
{
  const YNode *list = ynode_map_get (v, "subnets");
  if (s->vpc == NULL)
    return field_fail_at (ctx, field_key_node (v, "subnets"), "subnets: needs a vpc section");
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  bool ok = field_get_name_list (ctx, v, "subnets", names);
  f->subnets = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; ok && i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      int k = stratus_vpc_subnet_index (s->vpc, name);
      if (k < 0)
        ok = field_fail_at (ctx, list->kind == YNODE_SEQ ? ynode_item (list, i) : list,
                            "subnets: no subnet named '%s' in the vpc", name);
      g_array_append_val (f->subnets, k);
    }
  if (ok && f->subnets->len == 0)
    ok = field_fail_at (ctx, list, "subnets: name at least one subnet");
  g_ptr_array_unref (names);
  return ok;
}

/* Exactly one of `az` and `subnets` (disrupt_connectivity; latency_injection uses
 * `between` for AZs). */
static bool
parse_place (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const char *what,
             StratusFaultConfig *f, const char *az_key)
{
  bool has_az = ynode_map_get (v, az_key) != NULL, has_subnets = ynode_map_get (v, "subnets") != NULL;
  if (has_az && has_subnets)
    return field_fail_at (ctx, field_key_node (v, "subnets"),
                          "subnets: give %s or subnets, not both", az_key);
  if (has_subnets)
    return parse_subnets (ctx, s, v, f);
  if (!has_az && !f->random)
    return field_fail_at (ctx, v, "%s: a %s fault needs %s or subnets", what,
                          kind_names[f->kind], az_key);
  return strcmp (az_key, "az") == 0 ? parse_az (ctx, s, v, what, false, f) : true;
}

/* `between: [AZ, AZ]` of a latency injection into f->az and f->az_b. */
static bool
parse_between (FieldCtx *ctx, const StratusScenario *s, const YNode *v, StratusFaultConfig *f)
{
  const YNode *b = ynode_map_get (v, "between");
  if (b == NULL)
    return true;
  if (!field_expect_kind (ctx, b, YNODE_SEQ, "between"))
    return false;
  if (ynode_length (b) != 2)
    return field_fail_at (ctx, b, "between: name two AZs (the same one twice: inside it)");
  int azs[2];
  for (int i = 0; i < 2; i++)
    {
      const YNode *n = ynode_item (b, (guint) i);
      if (!field_expect_kind (ctx, n, YNODE_SCALAR, "between"))
        return false;
      azs[i] = index_of (s->azs, n->value);
      if (azs[i] < 0)
        return field_fail_at (ctx, n, "between: unknown AZ '%s' (not in the scenario's azs)",
                              n->value);
    }
  f->az = azs[0];
  f->az_b = azs[1];
  return true;
}

/* `nat_gateway` (required unless the fault is random: then absent means every one). */
static bool
parse_nat (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const char *what,
           StratusFaultConfig *f)
{
  if (s->vpc == NULL || s->vpc->nat_gateways->len == 0)
    return field_fail_at (ctx, ynode_map_get (v, "action"),
                          "action: nat_gateway_failure needs a vpc with NAT gateways");
  const YNode *n = f->random ? ynode_map_get (v, "nat_gateway")
                             : field_require (ctx, v, "nat_gateway", what);
  if (n == NULL)
    return f->random;
  if (!field_expect_kind (ctx, n, YNODE_SCALAR, "nat_gateway"))
    return false;
  f->nat_gateway = stratus_vpc_nat_index (s->vpc, n->value);
  if (f->nat_gateway >= 0)
    return true;
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < s->vpc->nat_gateways->len; i++)
    g_ptr_array_add (names, ((StratusNatGatewayConfig *) g_ptr_array_index (s->vpc->nat_gateways,
                                                                             i))->name);
  g_ptr_array_add (names, NULL);
  char *hint = field_hint (n->value, (const char *const *) names->pdata);
  g_ptr_array_unref (names);
  field_fail_at (ctx, n, "nat_gateway: no NAT gateway named '%s'%s", n->value, hint);
  g_free (hint);
  return false;
}

/* When the fault happens: `at` and `duration` (or permanent), or for a random one `mtbf`
 * and `mttr` (distributions of the time up and the time to repair) and an optional `at`
 * (when failures may begin, default 0). */
static bool
parse_timing (FieldCtx *ctx, const StratusScenario *s, const YNode *key, const YNode *v,
              StratusFaultConfig *f)
{
  const YNode *mtbf = ynode_map_get (v, "mtbf"), *mttr = ynode_map_get (v, "mttr");
  f->random = mtbf != NULL || mttr != NULL;
  const YNode *at = f->random ? ynode_map_get (v, "at") : field_require (ctx, v, "at", key->value);
  if (at == NULL && !f->random)
    return false;
  if (at != NULL && !field_parse_duration_node (ctx, at, "at", false, &f->at))
    return false;
  if (at != NULL && f->at >= s->duration)
    {
      char *d = stratus_format_duration (s->duration);
      field_fail_at (ctx, at, "at: %s is not within the run (duration %s)", at->value, d);
      g_free (d);
      return false;
    }
  if (f->random)
    {
      static const StratusFaultKind repairable[] = {
        STRATUS_FAULT_AZ_POWER_INTERRUPTION, STRATUS_FAULT_STOP_INSTANCES,
        STRATUS_FAULT_DISRUPT_CONNECTIVITY, STRATUS_FAULT_NAT_GATEWAY_FAILURE,
        STRATUS_FAULT_DB_INSTANCE_FAILURE,
      };
      bool allowed = false;
      for (size_t i = 0; i < G_N_ELEMENTS (repairable); i++)
        allowed |= f->kind == repairable[i];
      if (!allowed)
        return field_fail_at (ctx, mtbf != NULL ? field_key_node (v, "mtbf")
                                                : field_key_node (v, "mttr"),
                              "%s: random faults (mtbf, mttr) are for az_power_interruption, "
                              "disrupt_connectivity, nat_gateway_failure, stop_instances and "
                              "db_instance_failure, not %s", mtbf != NULL ? "mtbf" : "mttr", kind_names[f->kind]);
      if (mtbf == NULL || mttr == NULL)
        return field_fail_at (ctx, mtbf != NULL ? field_key_node (v, "mtbf")
                                                : field_key_node (v, "mttr"),
                              "%s: a random fault needs both mtbf and mttr",
                              mtbf != NULL ? "mtbf" : "mttr");
      if (ynode_map_get (v, "duration") != NULL)
        return field_fail_at (ctx, field_key_node (v, "duration"),
                              "duration: a random fault's repairs take mttr; give no duration");
      if (!field_parse_dist (ctx, mtbf, "mtbf", &f->mtbf)
          || !field_parse_dist (ctx, mttr, "mttr", &f->mttr))
        return false;
      if (!(f->mtbf.mean > 0) || !(f->mttr.mean > 0))
        return field_fail_at (ctx, f->mtbf.mean > 0 ? mttr : mtbf, "%s: its mean must be above 0",
                              f->mtbf.mean > 0 ? "mttr" : "mtbf");
      f->duration = STRATUS_TIME_NEVER;
      return true;
    }
  /* duration: a length, or "permanent" (the default); a reboot lasts 60 s by default. */
  f->duration = f->kind == STRATUS_FAULT_DB_REBOOT ? 60 * STRATUS_SECOND : STRATUS_TIME_NEVER;
  const YNode *duration = ynode_map_get (v, "duration");
  if (duration == NULL)
    return true;
  if (f->kind == STRATUS_FAULT_DB_FAILOVER || f->kind == STRATUS_FAULT_TERMINATE_INSTANCES)
    return refuse (ctx, v, "duration", f->kind);
  if (duration->kind == YNODE_SCALAR && strcmp (duration->value, "permanent") == 0
      && f->kind != STRATUS_FAULT_DB_REBOOT)
    f->duration = STRATUS_TIME_NEVER;
  else if (!field_parse_duration_node (ctx, duration, "duration", false, &f->duration))
    return false;
  else if (f->duration <= 0)
    return field_fail_at (ctx, duration, "duration: must be above 0 (or 'permanent')");
  return true;
}

/* The keys each action takes, beyond action, at, duration, mtbf and mttr. */
static const char *const *
keys_of (StratusFaultKind kind)
{
  static const char *const az_only[] = { "az", NULL };
  static const char *const connectivity[] = { "az", "subnets", "scope", NULL };
  static const char *const instances[] = { "az", "target", "count", "percent", NULL };
  static const char *const database[] = { "database", NULL };
  static const char *const nat[] = { "nat_gateway", NULL };
  static const char *const latency[] = { "subnets", "between", "latency", "loss", NULL };
  static const char *const stress[] = { "az", "target", "count", "percent", "load", NULL };
  static const char *const leak[] = { "az", "target", "count", "percent", "leak_per_minute",
                                      NULL };
  switch (kind)
    {
    case STRATUS_FAULT_AZ_POWER_INTERRUPTION:
    case STRATUS_FAULT_INSUFFICIENT_CAPACITY:
      return az_only;
    case STRATUS_FAULT_DISRUPT_CONNECTIVITY:
      return connectivity;
    case STRATUS_FAULT_STOP_INSTANCES:
    case STRATUS_FAULT_TERMINATE_INSTANCES:
      return instances;
    case STRATUS_FAULT_DB_FAILOVER:
    case STRATUS_FAULT_DB_REBOOT:
    case STRATUS_FAULT_DB_INSTANCE_FAILURE:
      return database;
    case STRATUS_FAULT_NAT_GATEWAY_FAILURE:
      return nat;
    case STRATUS_FAULT_LATENCY_INJECTION:
      return latency;
    case STRATUS_FAULT_CPU_STRESS:
      return stress;
    case STRATUS_FAULT_MEMORY_LEAK:
      return leak;
    case STRATUS_N_FAULT_KINDS:
      break;
    }
  return az_only;
}

/* Refuses every target key that `kind` does not take. */
static bool
refuse_others (FieldCtx *ctx, const YNode *v, StratusFaultKind kind)
{
  static const char *const targets[] = { "az", "subnets", "scope", "target", "count", "percent",
                                         "database", "nat_gateway", "between", "latency",
                                         "loss", "load", "leak_per_minute", NULL };
  const char *const *mine = keys_of (kind);
  for (int i = 0; targets[i] != NULL; i++)
    {
      bool taken = false;
      for (int k = 0; mine[k] != NULL; k++)
        taken |= strcmp (mine[k], targets[i]) == 0;
      if (!taken && !refuse (ctx, v, targets[i], kind))
        return false;
    }
  return true;
}

/* The latency injection's `latency` and `loss` (at least one above 0). */
static bool
parse_injection (FieldCtx *ctx, const YNode *v, const char *what, StratusFaultConfig *f)
{
  if (!field_get_duration (ctx, v, "latency", 0, false, &f->latency)
      || !parse_share (ctx, v, "loss", 0, 0, 0.99, &f->loss))
    return false;
  if (f->latency <= 0 && f->loss <= 0)
    return field_fail_at (ctx, v, "%s: a latency_injection needs latency or loss above 0", what);
  return true;
}

/* A memory leak's `leak_per_minute` (a size, required) on a fleet that models memory. */
static bool
parse_leak (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const char *what,
            StratusFaultConfig *f)
{
  const YNode *n = field_require (ctx, v, "leak_per_minute", what);
  uint64_t bytes;
  if (n == NULL || !field_get_size (ctx, v, "leak_per_minute", 0, &bytes))
    return false;
  if (bytes == 0)
    return field_fail_at (ctx, n, "leak_per_minute: must be above 0");
  f->leak_mib_per_minute = (double) bytes / (1024.0 * 1024.0);
  const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, (guint) f->fleet);
  if (!fleet->memory.enabled)
    return field_fail_at (ctx, ynode_map_get (v, "target"),
                          "target: a memory_leak needs %s to model memory (its `memory` key)",
                          fleet->name);
  return true;
}

/* One fault (faults.NAME) into the zeroed `out`. */
static bool
parse_fault (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "action", "at", "duration", "mtbf", "mttr", "az",
                                      "subnets", "scope", "target", "count", "percent",
                                      "database", "nat_gateway", "between", "latency", "loss",
                                      "load", "leak_per_minute", NULL };
  static const char *const scopes[] = { "all", "other_azs", "internet", NULL };
  const StratusScenario *s = user_data;
  StratusFaultConfig *f = out;
  f->name = g_strdup (key->value);
  f->line = key->line;
  f->column = key->column;
  f->az = f->az_b = f->fleet = f->database = f->nat_gateway = -1;
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
  if (!refuse_others (ctx, v, f->kind) || !parse_timing (ctx, s, key, v, f))
    return false;
  const char *what = key->value;
  switch (f->kind)
    {
    case STRATUS_FAULT_AZ_POWER_INTERRUPTION:
    case STRATUS_FAULT_INSUFFICIENT_CAPACITY:
      return parse_az (ctx, s, v, what, !f->random, f);
    case STRATUS_FAULT_DISRUPT_CONNECTIVITY:
      {
        int scope = STRATUS_DISRUPT_ALL;
        const YNode *sc = ynode_map_get (v, "scope");
        if (sc != NULL && !field_check_choice (ctx, sc, "scope", scopes, &scope))
          return false;
        f->scope = (StratusDisruptScope) scope;
        return parse_place (ctx, s, v, what, f, "az");
      }
    case STRATUS_FAULT_STOP_INSTANCES:
    case STRATUS_FAULT_TERMINATE_INSTANCES:
      if (!parse_az (ctx, s, v, what, false, f) || !parse_instances (ctx, s, v, what, f))
        return false;
      if (f->random
          && ((const StratusFleetConfig *) g_ptr_array_index (s->fleets, (guint) f->fleet))->asg
               != NULL)
        return field_fail_at (ctx, ynode_map_get (v, "target"),
                              "target: random stop_instances needs a fixed fleet (an Auto "
                              "Scaling group replaces a stopped instance itself)");
      return true;
    case STRATUS_FAULT_DB_FAILOVER:
    case STRATUS_FAULT_DB_REBOOT:
    case STRATUS_FAULT_DB_INSTANCE_FAILURE:
      return parse_database (ctx, s, v, what, f);
    case STRATUS_FAULT_NAT_GATEWAY_FAILURE:
      return parse_nat (ctx, s, v, what, f);
    case STRATUS_FAULT_LATENCY_INJECTION:
      if (ynode_map_get (v, "between") == NULL && ynode_map_get (v, "subnets") == NULL)
        return field_fail_at (ctx, v, "%s: a latency_injection needs subnets or between", what);
      return parse_place (ctx, s, v, what, f, "between") && parse_between (ctx, s, v, f)
             && parse_injection (ctx, v, what, f);
    case STRATUS_FAULT_CPU_STRESS:
      return parse_az (ctx, s, v, what, false, f) && parse_instances (ctx, s, v, what, f)
             && parse_share (ctx, v, "load", 0.8, 0.01, 0.99, &f->load);
    case STRATUS_FAULT_MEMORY_LEAK:
      return parse_az (ctx, s, v, what, false, f) && parse_instances (ctx, s, v, what, f)
             && parse_leak (ctx, s, v, what, f);
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
