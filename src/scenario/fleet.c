/* The instance keys shared by `instances` fleets and launch templates, parsed by one
 * function so that a fleet and an Auto Scaling group's fleet take the same values, with the
 * same defaults and checks; and the mapping each fleet came from, for errors. */
#include "fleet.h"

#include <string.h>

#include "db_work.h"
#include "placement.h"
#include "stratus/instance_types.h"

/* Sets `d` to the constant 0 (an instance that is ready at once). */
static void
dist_zero (StratusDist *d)
{
  stratus_dist_init (d, STRATUS_DIST_CONSTANT, 0, -1, -1, NULL, 0, NULL);
}

StratusFleetConfig *
fleet_new (const YNode *key)
{
  StratusFleetConfig *f = g_new0 (StratusFleetConfig, 1);
  f->name = g_strdup (key->value);
  f->line = key->line;
  f->column = key->column;
  f->subnets = g_ptr_array_new_with_free_func (g_free);
  f->security_groups = g_ptr_array_new_with_free_func (g_free);
  f->outbound = g_ptr_array_new_with_free_func ((GDestroyNotify) outbound_call_free);
  f->public_ip = -1;
  dist_zero (&f->boot_time);
  dist_zero (&f->user_data_time);
  dist_zero (&f->app_start_time);
  return f;
}

void
fleet_free (StratusFleetConfig *f)
{
  g_free (f->name);
  g_free (f->type);
  g_free (f->target_group);
  stratus_dist_clear (&f->service_time);
  stratus_dist_clear (&f->boot_time);
  stratus_dist_clear (&f->user_data_time);
  stratus_dist_clear (&f->app_start_time);
  g_clear_pointer (&f->subnets, g_ptr_array_unref);
  g_clear_pointer (&f->security_groups, g_ptr_array_unref);
  g_clear_pointer (&f->outbound, g_ptr_array_unref);
  g_clear_pointer (&f->extra_target_groups, g_ptr_array_unref);
  db_work_clear (&f->database);
  g_free (f);
}

/* A size in MiB: `key` of `map` as stratus_parse_size reads it ("400MiB", "1.5GiB"). */
static bool
get_mib (FieldCtx *ctx, const YNode *map, const char *key, double *out)
{
  uint64_t bytes;
  if (!field_get_size (ctx, map, key, 0, &bytes))
    return false;
  *out = (double) bytes / (1024.0 * 1024.0);
  return true;
}

/* `memory: {base, per_request}` (absent: not modelled): `base` required, `per_request`
 * default 0; the base must fit in the instance type's memory. */
static bool
parse_memory (FieldCtx *ctx, const YNode *v, const StratusInstanceType *type,
              StratusMemoryConfig *m)
{
  static const char *const keys[] = { "base", "per_request", NULL };
  const YNode *mem = ynode_map_get (v, "memory");
  m->enabled = false;
  if (mem == NULL)
    return true;
  if (!field_expect_kind (ctx, mem, YNODE_MAP, "memory")
      || !field_check_keys (ctx, mem, keys, "memory")
      || field_require (ctx, mem, "base", "memory") == NULL
      || !get_mib (ctx, mem, "base", &m->base_mib)
      || !get_mib (ctx, mem, "per_request", &m->per_request_mib))
    return false;
  if (m->base_mib >= type->memory_gib * 1024.0)
    return field_fail_at (ctx, ynode_map_get (mem, "base"), "memory.base: %s does not fit in "
                          "the %g GiB of a %s", ynode_map_get (mem, "base")->value,
                          type->memory_gib, type->name);
  m->enabled = true;
  return true;
}

bool
fleet_parse_instance_keys (FieldCtx *ctx, const YNode *v, const char *type_key,
                           const char *what, const OutboundNames *names,
                           StratusFleetConfig *f)
{
  if (!field_get_string (ctx, v, type_key, "c5.large", &f->type))
    return false;
  const StratusInstanceType *type = stratus_instance_type_find (f->type);
  if (type == NULL)
    {
      char *h = field_hint (f->type, stratus_instance_type_names ());
      field_fail_at (ctx, ynode_map_get (v, type_key), "%s: unknown instance type '%s'%s",
                     type_key, f->type, h);
      g_free (h);
      return false;
    }
  if (!field_get_int (ctx, v, "workers", type->vcpus, 1, 1000000, &f->workers)
      || !field_get_limit (ctx, v, "queue_limit", -1, &f->queue_limit))
    return false;
  PlacementKeys placement = { &f->port, f->subnets, f->security_groups, &f->public_ip };
  const YNode *st = field_require (ctx, v, "service_time", what);
  return st != NULL && field_parse_dist (ctx, st, "service_time", &f->service_time)
         && placement_parse (ctx, v, &placement) && parse_memory (ctx, v, type, &f->memory)
         && outbound_parse_calls (ctx, v, names, f->outbound)
         && db_work_parse (ctx, v, &f->database);
}

/* Appends the keys of the mapping `map` of `root` (absent or not a mapping: none). */
static void
add_keys (GPtrArray *out, const YNode *root, const char *map)
{
  const YNode *m = ynode_map_get (root, map);
  for (guint i = 0; m != NULL && m->kind == YNODE_MAP && i < ynode_length (m); i++)
    g_ptr_array_add (out, ynode_map_key (m, i)->value);
}

OutboundNames
fleet_destination_names (const YNode *root, const StratusScenario *s)
{
  GPtrArray *lbs = g_ptr_array_new ();
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (lbs,
                     ((StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, i))->name);
  g_ptr_array_add (lbs, NULL);
  GPtrArray *fleets = g_ptr_array_new ();
  add_keys (fleets, root, "instances");
  add_keys (fleets, root, "auto_scaling_groups");
  g_ptr_array_add (fleets, NULL);
  return (OutboundNames){ (const char *const *) g_ptr_array_free (lbs, FALSE),
                          (const char *const *) g_ptr_array_free (fleets, FALSE) };
}

void
fleet_destination_names_free (OutboundNames *names)
{
  g_free ((gpointer) names->load_balancers);
  g_free ((gpointer) names->fleets);
  names->load_balancers = names->fleets = NULL;
}

const YNode *
fleet_instance_node (const YNode *root, const StratusScenario *s, guint i)
{
  const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
  if (f->asg == NULL)
    return ynode_item (ynode_map_get (root, "instances"), i);
  return ynode_map_get (ynode_map_get (root, "launch_templates"), f->asg->launch_template);
}
