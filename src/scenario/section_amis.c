/* The `amis` section: each StratusAmiConfig, how long an instance launched from it takes
 * to boot and to start its application. */
#include <math.h>

#include "section.h"

/* Frees an AMI and what it owns (a partial one too). */
static void
ami_free (StratusAmiConfig *a)
{
  g_free (a->name);
  stratus_dist_clear (&a->boot_time);
  stratus_dist_clear (&a->app_start_time);
  g_free (a);
}

/* One AMI (amis.NAME) into the zeroed `out`: boot_time (default uniform 20-30 s) and
 * app_start_time (default constant 5 s), each a distribution or a duration. */
static bool
parse_ami (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  static const char *const keys[] = { "boot_time", "app_start_time", NULL };
  StratusAmiConfig *a = out;
  a->name = g_strdup (key->value);
  a->line = key->line;
  a->column = key->column;
  /* The defaults first, so that a failure below leaves nothing uninitialised. */
  stratus_dist_init (&a->boot_time, STRATUS_DIST_UNIFORM, 25.0 * STRATUS_SECOND,
                     1.0 / (5.0 * sqrt (3.0)), -1, NULL, 0, NULL);
  a->boot_time.p1 = 20.0 * STRATUS_SECOND;
  a->boot_time.p2 = 30.0 * STRATUS_SECOND;
  stratus_dist_init (&a->app_start_time, STRATUS_DIST_CONSTANT, 5.0 * STRATUS_SECOND, -1, -1,
                     NULL, 0, NULL);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "an AMI"))
    return false;
  const YNode *boot = ynode_map_get (v, "boot_time");
  const YNode *app = ynode_map_get (v, "app_start_time");
  return (boot == NULL || field_parse_dist (ctx, boot, "boot_time", &a->boot_time))
         && (app == NULL || field_parse_dist (ctx, app, "app_start_time", &a->app_start_time));
}

/* parse: s->amis, in file order. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  s->amis = g_ptr_array_new_with_free_func ((GDestroyNotify) ami_free);
  return field_parse_named (ctx, root, "amis", sizeof (StratusAmiConfig), parse_ami, NULL,
                            s->amis);
}

/* free: s->amis. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->amis, g_ptr_array_unref);
}

/* The `amis` row. */
const ScenarioSection section_amis = {
  .key = "amis",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .free = section_free,
};
