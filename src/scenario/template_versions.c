/* A launch template's `versions`: the later default versions, each at a time, changing the
 * AMI, the user-data time or the service time of the version before. */
#include "template_versions.h"

#include <string.h>

/* Frees one version. */
static void
version_free (StratusTemplateVersionConfig *v)
{
  stratus_dist_clear (&v->user_data_time);
  stratus_dist_clear (&v->service_time);
  g_free (v);
}

/* The AMI named at `node`, or NULL with an error. */
static const StratusAmiConfig *
find_ami (FieldCtx *ctx, const YNode *node, const StratusScenario *s)
{
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < s->amis->len; i++)
    {
      const StratusAmiConfig *a = g_ptr_array_index (s->amis, i);
      if (strcmp (a->name, node->value) == 0)
        {
          g_ptr_array_unref (names);
          return a;
        }
      g_ptr_array_add (names, a->name);
    }
  g_ptr_array_add (names, NULL);
  char *h = field_hint (node->value, (const char *const *) names->pdata);
  field_fail_at (ctx, node, "ami: unknown AMI '%s' (declare it in amis)%s", node->value, h);
  g_free (h);
  g_ptr_array_unref (names);
  return NULL;
}

/* One version (the list item `item`), following `before` (its values are the defaults). */
static bool
parse_version (FieldCtx *ctx, const YNode *item, const StratusScenario *s,
               const StratusTemplateVersionConfig *before, StratusTemplateVersionConfig *v)
{
  static const char *const keys[] = { "at", "ami", "user_data_time", "service_time", NULL };
  v->line = item->line;
  v->column = item->column;
  v->number = before->number + 1;
  v->ami = before->ami;
  stratus_dist_copy (&v->user_data_time, &before->user_data_time);
  stratus_dist_copy (&v->service_time, &before->service_time);
  if (!field_expect_kind (ctx, item, YNODE_MAP, "versions item")
      || !field_check_keys (ctx, item, keys, "a launch template version")
      || field_require (ctx, item, "at", "a launch template version") == NULL
      || !field_get_duration (ctx, item, "at", 0, false, &v->at))
    return false;
  if (v->number > 2 && v->at <= before->at)
    return field_fail_at (ctx, ynode_map_get (item, "at"),
                          "at: versions come in time order (version %d is at %.0f s)",
                          before->number, stratus_time_seconds (before->at));
  const YNode *ami = ynode_map_get (item, "ami");
  const YNode *ud = ynode_map_get (item, "user_data_time");
  const YNode *st = ynode_map_get (item, "service_time");
  if (ami != NULL && (ami->kind != YNODE_SCALAR || (v->ami = find_ami (ctx, ami, s)) == NULL))
    return ami->kind == YNODE_SCALAR ? false : field_fail_at (ctx, ami, "ami: expected a name");
  if (ud != NULL)
    {
      stratus_dist_clear (&v->user_data_time);
      if (!field_parse_dist (ctx, ud, "user_data_time", &v->user_data_time))
        return false;
    }
  if (st != NULL)
    {
      stratus_dist_clear (&v->service_time);
      if (!field_parse_dist (ctx, st, "service_time", &v->service_time))
        return false;
    }
  return true;
}

bool
template_versions_parse (FieldCtx *ctx, const YNode *v, const StratusScenario *s,
                         const StratusFleetConfig *instance, StratusLaunchTemplateConfig *lt)
{
  lt->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) version_free);
  const YNode *list = ynode_map_get (v, "versions");
  if (list == NULL)
    return true;
  if (!field_expect_kind (ctx, list, YNODE_SEQ, "versions"))
    return false;
  /* Version 1: the template itself. */
  StratusTemplateVersionConfig first = { .number = 1, .at = 0 };
  for (guint i = 0; i < s->amis->len; i++)
    if (strcmp (((StratusAmiConfig *) g_ptr_array_index (s->amis, i))->name, lt->ami) == 0)
      first.ami = g_ptr_array_index (s->amis, i);
  stratus_dist_copy (&first.user_data_time, &lt->user_data_time);
  stratus_dist_copy (&first.service_time, &instance->service_time);
  const StratusTemplateVersionConfig *before = &first;
  bool ok = true;
  for (guint i = 0; ok && i < ynode_length (list); i++)
    {
      StratusTemplateVersionConfig *version = g_new0 (StratusTemplateVersionConfig, 1);
      g_ptr_array_add (lt->versions, version);
      ok = parse_version (ctx, ynode_item (list, i), s, before, version);
      before = version;
    }
  stratus_dist_clear (&first.user_data_time);
  stratus_dist_clear (&first.service_time);
  return ok;
}
