/* Scenario file -> StratusScenario: the YAML tree and its overrides, the walk over the
 * table of top-level sections (section.h), positions of values, the public queries. */
#include "stratus/scenario.h"

#include <string.h>

#include "fields.h"
#include "section.h"
#include "yaml_tree.h"

G_DEFINE_QUARK (stratus-scenario-error-quark, stratus_scenario_error)

/* The table of top-level sections (section.h): one row per key, in the order of the keys'
 * documentation, which is the order "known keys" lists them in. A new resource kind is one
 * module defining its row, and the row here. */
extern const ScenarioSection section_name, section_duration, section_warmup, section_seed,
  section_region, section_azs, section_latency, section_report; /* section_settings.c */
extern const ScenarioSection section_load_balancers;            /* section_load_balancers.c */
extern const ScenarioSection section_fleets;                    /* section_fleets.c */
extern const ScenarioSection section_workloads;                 /* section_workloads.c */
extern const ScenarioSection section_vpc;                       /* vpc.c */
extern const ScenarioSection section_target_groups;         /* section_target_groups.c */
extern const ScenarioSection section_amis;                  /* section_amis.c */
extern const ScenarioSection section_launch_templates;      /* section_launch_templates.c */
extern const ScenarioSection section_auto_scaling_groups;   /* section_auto_scaling_groups.c */
extern const ScenarioSection section_databases;             /* section_databases.c */
extern const ScenarioSection section_faults;                /* section_faults.c */
extern const ScenarioSection section_resilience_policy;     /* section_resilience.c */
extern const ScenarioSection section_slo;                   /* section_slo.c */
extern const ScenarioSection section_pricing;               /* section_pricing.c */

static const ScenarioSection *const sections[] = {
  &section_name,
  &section_duration,
  &section_warmup,
  &section_seed,
  &section_region,
  &section_azs,
  &section_latency,
  &section_load_balancers,
  &section_target_groups,
  &section_fleets,
  &section_amis,
  &section_launch_templates,
  &section_auto_scaling_groups, /* after instances, amis, launch templates, target groups */
  &section_databases, /* links every fleet's database: after instances and the groups */
  &section_faults,    /* names AZs, fleets, groups and databases: after them all */
  &section_workloads,
  &section_report,
  &section_vpc,
  &section_resilience_policy,
  &section_slo,
  &section_pricing,
};

/* The steps of a row that the walk runs, in this order. */
typedef enum
{
  STEP_PARSE,
  STEP_LINK,
  STEP_CHECK,
} Step;

/* The row's function for `step`; NULL when it has none. */
static SectionStepFn
step_of (const ScenarioSection *row, Step step)
{
  switch (step)
    {
    case STEP_PARSE:
      return row->parse;
    case STEP_LINK:
      return row->link;
    case STEP_CHECK:
      return row->check;
    }
  g_assert_not_reached ();
}

/* Runs `step` of every row in table order (for parse, of the rows of `pass` only),
 * stopping at the first failure. */
static bool
walk (FieldCtx *ctx, const YNode *root, StratusScenario *s, Step step, SectionPass pass)
{
  for (size_t i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      const ScenarioSection *row = sections[i];
      SectionStepFn fn = step_of (row, step);
      if (fn == NULL || (step == STEP_PARSE && row->pass != pass))
        continue;
      if (!fn (ctx, root, ynode_map_get (root, row->key), s))
        return false;
    }
  return true;
}

/* The document's mapping `root` into `s`: its keys checked against the table's, then every
 * row parsed (context first, then resources), linked and checked. */
static bool
parse_root (FieldCtx *ctx, const YNode *root, StratusScenario *s)
{
  const char *keys[G_N_ELEMENTS (sections) + 1];
  for (size_t i = 0; i < G_N_ELEMENTS (sections); i++)
    keys[i] = sections[i]->key;
  keys[G_N_ELEMENTS (sections)] = NULL;
  return field_expect_kind (ctx, root, YNODE_MAP, "scenario")
         && field_check_keys (ctx, root, keys, "the scenario")
         && walk (ctx, root, s, STEP_PARSE, SECTION_PASS_CONTEXT)
         && walk (ctx, root, s, STEP_PARSE, SECTION_PASS_RESOURCES)
         && walk (ctx, root, s, STEP_LINK, 0)
         && walk (ctx, root, s, STEP_CHECK, 0);
}

/* An empty scenario for the file `path`: its path and position tables; the rows fill in
 * the rest. */
static StratusScenario *
scenario_new (const char *path)
{
  StratusScenario *s = g_new0 (StratusScenario, 1);
  s->path = g_strdup (path);
  s->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->position_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return s;
}

/* Keeps an error message on one line: names and values quoted in it may hold line breaks
 * (a quoted "a\nb", a block scalar, an override, a file name), shown escaped instead. */
static void
make_one_line (GError **error)
{
  if (error == NULL || *error == NULL)
    return;
  const char *m = (*error)->message;
  const char *p = m;
  while (*p != '\0' && (guchar) *p >= 0x20 && *p != 0x7f)
    p++;
  if (*p == '\0')
    return;
  GString *out = g_string_new_len (m, p - m);
  for (; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        g_string_append (out, "\\r");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_free ((*error)->message);
  (*error)->message = g_string_free (out, FALSE);
}

/* Records where every value of the tree under `prefix` was written. */
static void
index_positions (StratusScenario *s, GHashTable *files, const YNode *node, GString *prefix)
{
  const char *file = g_hash_table_lookup (files, node->file);
  if (file == NULL)
    {
      char *copy = g_strdup (node->file);
      g_hash_table_insert (files, copy, copy);
      file = copy;
    }
  StratusSourcePosition *pos = g_new (StratusSourcePosition, 1);
  *pos = (StratusSourcePosition){ file, node->line, node->column };
  g_hash_table_replace (s->positions, g_strdup (prefix->str), pos);
  gsize len = prefix->len;
  for (guint i = 0; i < ynode_length (node); i++)
    {
      if (len > 0)
        g_string_append_c (prefix, '.');
      if (node->kind == YNODE_MAP)
        g_string_append (prefix, ynode_map_key (node, i)->value);
      else
        g_string_append_printf (prefix, "%u", i);
      index_positions (s, files, ynode_item (node, i), prefix);
      g_string_truncate (prefix, len);
    }
}

/* The scenario of the tree `root` (taken: freed here; NULL when reading it failed, with
 * `error` set) after applying `overrides`; NULL with one error line otherwise. */
static StratusScenario *
build (YNode *root, const char *path, const char *base_dir, const char *const *overrides,
       GError **error)
{
  if (root == NULL)
    {
      make_one_line (error);
      return NULL;
    }
  for (int i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (!ynode_apply_override (root, overrides[i], error))
      {
        ynode_free (root);
        make_one_line (error);
        return NULL;
      }
  StratusScenario *s = scenario_new (path);
  GString *prefix = g_string_new (NULL);
  index_positions (s, s->position_files, root, prefix);
  g_string_free (prefix, TRUE);
  FieldCtx ctx = { .base_dir = g_strdup (base_dir), .error = error };
  bool ok = parse_root (&ctx, root, s);
  g_free (ctx.base_dir);
  ynode_free (root);
  if (!ok)
    {
      stratus_scenario_free (s);
      make_one_line (error);
      return NULL;
    }
  return s;
}

StratusScenario *
stratus_scenario_load (const char *path, const char *const *overrides, GError **error)
{
  char *dir = g_path_get_dirname (path);
  StratusScenario *s = build (ynode_load_file (path, error), path, dir, overrides, error);
  g_free (dir);
  return s;
}

StratusScenario *
stratus_scenario_load_string (const char *text, const char *display_name,
                              const char *const *overrides, GError **error)
{
  return build (ynode_load_string (text, -1, display_name, 0, 0, error), display_name, NULL,
                overrides, error);
}

void
stratus_scenario_free (StratusScenario *s)
{
  if (s == NULL)
    return;
  for (size_t i = 0; i < G_N_ELEMENTS (sections); i++)
    if (sections[i]->free != NULL)
      sections[i]->free (s);
  g_free (s->path);
  g_hash_table_unref (s->positions);
  g_hash_table_unref (s->position_files);
  g_free (s);
}

const StratusSourcePosition *
stratus_scenario_position (const StratusScenario *s, const char *path)
{
  return g_hash_table_lookup (s->positions, path);
}

const StratusLaunchTemplateConfig *
stratus_scenario_find_launch_template (const StratusScenario *s, const char *name)
{
  for (guint i = 0; s->launch_templates != NULL && name != NULL && i < s->launch_templates->len; i++)
    {
      const StratusLaunchTemplateConfig *lt = g_ptr_array_index (s->launch_templates, i);
      if (strcmp (lt->name, name) == 0)
        return lt;
    }
  return NULL;
}

bool
stratus_fleet_in_group (const StratusFleetConfig *fleet, const char *group)
{
  if (group == NULL)
    return false;
  if (fleet->target_group != NULL && strcmp (fleet->target_group, group) == 0)
    return true;
  for (guint i = 0; fleet->extra_target_groups != NULL && i < fleet->extra_target_groups->len; i++)
    if (strcmp (g_ptr_array_index (fleet->extra_target_groups, i), group) == 0)
      return true;
  return false;
}

int
stratus_scenario_load_balancer_index (const StratusScenario *s, const char *name)
{
  for (guint i = 0; name != NULL && i < s->load_balancers->len; i++)
    if (strcmp (((const StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, i))->name,
                name) == 0)
      return (int) i;
  return -1;
}

int
stratus_scenario_fleet_index (const StratusScenario *s, const char *name)
{
  for (guint i = 0; name != NULL && i < s->fleets->len; i++)
    if (strcmp (((const StratusFleetConfig *) g_ptr_array_index (s->fleets, i))->name, name) == 0)
      return (int) i;
  return -1;
}

int
stratus_scenario_destination_index (const StratusScenario *s,
                                    const StratusOutboundCallConfig *call)
{
  switch (call->destination_kind)
    {
    case STRATUS_DESTINATION_LOAD_BALANCER:
      return stratus_scenario_load_balancer_index (s, call->destination_name);
    case STRATUS_DESTINATION_FLEET:
      return stratus_scenario_fleet_index (s, call->destination_name);
    default:
      return -1;
    }
}

const StratusLoadBalancerConfig *
stratus_scenario_find_load_balancer (const StratusScenario *s, const char *name)
{
  int i = stratus_scenario_load_balancer_index (s, name);
  return i < 0 ? NULL : g_ptr_array_index (s->load_balancers, (guint) i);
}

const StratusTargetGroupConfig *
stratus_scenario_find_target_group (const StratusScenario *s, const char *name)
{
  for (guint i = 0; name != NULL && s->target_groups != NULL && i < s->target_groups->len; i++)
    {
      const StratusTargetGroupConfig *tg = g_ptr_array_index (s->target_groups, i);
      if (strcmp (tg->name, name) == 0)
        return tg;
    }
  return NULL;
}

int
stratus_scenario_instance_count (const StratusScenario *s)
{
  int n = 0;
  for (guint i = 0; i < s->fleets->len; i++)
    n += ((const StratusFleetConfig *) g_ptr_array_index (s->fleets, i))->count;
  return n;
}
