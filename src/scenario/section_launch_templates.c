/* The `launch_templates` section: each StratusLaunchTemplateConfig (its AMI, instance type
 * and user-data time); its instance keys are those of an `instances` fleet, checked here
 * once and parsed again into each Auto Scaling group's fleet (fleet.c). */
#include <string.h>

#include "fleet.h"
#include "placement.h"
#include "section.h"
#include "template_versions.h"

/* Frees a launch template and what it owns (a partial one too). */
static void
launch_template_free (StratusLaunchTemplateConfig *lt)
{
  g_free (lt->name);
  g_free (lt->ami);
  g_free (lt->instance_type);
  stratus_dist_clear (&lt->user_data_time);
  g_clear_pointer (&lt->versions, g_ptr_array_unref);
  g_free (lt);
}

/* `ami`: required, an entry of s->amis. */
static bool
parse_ami_name (FieldCtx *ctx, const YNode *key, const YNode *v, const StratusScenario *s,
                StratusLaunchTemplateConfig *lt)
{
  const YNode *ami = field_require (ctx, v, "ami", key->value);
  if (ami == NULL || !field_get_string (ctx, v, "ami", NULL, &lt->ami))
    return false;
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < s->amis->len; i++)
    g_ptr_array_add (names, ((StratusAmiConfig *) g_ptr_array_index (s->amis, i))->name);
  g_ptr_array_add (names, NULL);
  bool ok = g_strv_contains ((const char *const *) names->pdata, lt->ami);
  if (!ok)
    {
      char *h = field_hint (lt->ami, (const char *const *) names->pdata);
      field_fail_at (ctx, ami, "ami: unknown AMI '%s' (declare it in amis)%s", lt->ami, h);
      g_free (h);
    }
  g_ptr_array_unref (names);
  return ok;
}

/* The instance keys of the template mapping `v`, parsed into a fleet that is then dropped
 * (their errors are reported once, at the template), and its `versions`. */
static bool
check_instance_keys (FieldCtx *ctx, const YNode *key, const YNode *v, const StratusScenario *s,
                     const OutboundNames *names, StratusLaunchTemplateConfig *lt)
{
  StratusFleetConfig *scratch = fleet_new (key);
  bool ok = fleet_parse_instance_keys (ctx, v, "instance_type", key->value, names, scratch)
            && template_versions_parse (ctx, v, s, scratch, lt);
  if (ok)
    lt->instance_type = g_strdup (scratch->type);
  fleet_free (scratch);
  return ok;
}

/* What parse_launch_template needs besides the tree. */
typedef struct
{
  const StratusScenario *s;
  const OutboundNames *names;
} TemplateContext;

/* One launch template (launch_templates.NAME) into the zeroed `out`. */
static bool
parse_launch_template (FieldCtx *ctx, const YNode *key, const YNode *v, void *out,
                       void *user_data)
{
  static const char *const keys[] = { "ami", "instance_type", "user_data_time", "workers",
                                      "queue_limit", "service_time", "port", "security_groups",
                                      "public_ip", "memory", "outbound", "database", "versions",
                                      NULL };
  const TemplateContext *tc = user_data;
  StratusLaunchTemplateConfig *lt = out;
  lt->name = g_strdup (key->value);
  lt->line = key->line;
  lt->column = key->column;
  stratus_dist_init (&lt->user_data_time, STRATUS_DIST_CONSTANT, 0, -1, -1, NULL, 0, NULL);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a launch template")
      || !parse_ami_name (ctx, key, v, tc->s, lt))
    return false;
  const YNode *ud = ynode_map_get (v, "user_data_time");
  return (ud == NULL || field_parse_dist (ctx, ud, "user_data_time", &lt->user_data_time))
         && check_instance_keys (ctx, key, v, tc->s, tc->names, lt);
}

/* parse: s->launch_templates, in file order. Needs s->amis and s->load_balancers. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->launch_templates = g_ptr_array_new_with_free_func ((GDestroyNotify) launch_template_free);
  OutboundNames names = fleet_destination_names (root, s);
  TemplateContext tc = { s, &names };
  bool ok = field_parse_named (ctx, root, "launch_templates",
                               sizeof (StratusLaunchTemplateConfig), parse_launch_template, &tc,
                               s->launch_templates);
  fleet_destination_names_free (&names);
  return ok;
}

/* check: without a vpc, no template names security groups or asks for a public IP (with
 * one, each group checks its template's against the VPC). */
static bool
section_check (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  for (guint i = 0; s->vpc == NULL && i < s->launch_templates->len; i++)
    {
      const StratusLaunchTemplateConfig *lt = g_ptr_array_index (s->launch_templates, i);
      PlacedResource r = { .name = lt->name, .takes_public_ip = true };
      if (!placement_check (ctx, NULL, ynode_item (value, i), &r))
        return false;
    }
  return true;
}

/* free: s->launch_templates. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->launch_templates, g_ptr_array_unref);
}

/* The `launch_templates` row. */
const ScenarioSection section_launch_templates = {
  .key = "launch_templates",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .check = section_check,
  .free = section_free,
};
