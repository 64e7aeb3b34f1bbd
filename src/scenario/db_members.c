/* Where a database's members stand. Member 0, the writer, goes into the first subnet of
 * the DB subnet group (or the first one in `availability_zone`); the others go into the
 * subnets of the other AZs, in the group's order: a multi_az_instance standby into the
 * first, multi_az_cluster standbys into the first subnet of each of the first two other
 * AZs, Aurora readers and read replicas round robin over all of them (or over the first
 * subnets of the AZs `replica_azs` lists, in turn). Without a vpc the
 * scenario's AZs stand for the subnets (subnet -1). */
#include "db_members.h"

#include <string.h>

/* A place a member may take: a subnet of the group (or -1) and its AZ. */
typedef struct
{
  int subnet;
  int az;
} Slot;

/* The distinct AZs of the subnets named in `names` (all known to `vpc`), in group order,
 * as a ", "-joined string into *list; returns their number. */
static int
count_azs (const StratusVpcConfig *vpc, const GPtrArray *names, char **list)
{
  GPtrArray *azs = g_ptr_array_new ();
  for (guint i = 0; i < names->len; i++)
    {
      int k = stratus_vpc_subnet_index (vpc, g_ptr_array_index (names, i));
      const StratusSubnetConfig *sn = g_ptr_array_index (vpc->subnets, (guint) k);
      bool seen = false;
      for (guint j = 0; j < azs->len; j++)
        seen = seen || strcmp (g_ptr_array_index (azs, j), sn->az) == 0;
      if (!seen)
        g_ptr_array_add (azs, sn->az);
    }
  int n = (int) azs->len;
  g_ptr_array_add (azs, NULL);
  *list = g_strjoinv (", ", (char **) azs->pdata);
  g_ptr_array_unref (azs);
  return n;
}

/* The AZs a DB subnet group must span for `deployment`. */
static int
azs_needed (StratusDbDeployment deployment)
{
  return deployment == STRATUS_DB_MULTI_AZ_CLUSTER ? 3 : 2;
}

bool
db_members_check_subnets (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *list,
                          const void *resource)
{
  const StratusDatabaseConfig *db = resource;
  char *found = NULL;
  int n = count_azs (vpc, db->subnets, &found);
  int need = azs_needed (db->deployment);
  bool ok = true;
  if (n < need)
    ok = field_fail_at (ctx, list, "subnets: the DB subnet group of a %s database must span at "
                        "least %d AZs, as on AWS; its subnets are in %d (%s)",
                        stratus_db_deployment_name (db->deployment), need, n,
                        n > 0 ? found : "none");
  g_free (found);
  return ok;
}

/* The slots of the group in order: with a vpc its subnets, without one the scenario's
 * AZs. */
static GArray *
group_slots (const StratusScenario *s, const StratusDatabaseConfig *db)
{
  GArray *slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  if (s->vpc != NULL)
    for (guint i = 0; i < db->subnets->len; i++)
      {
        int k = stratus_vpc_subnet_index (s->vpc, g_ptr_array_index (db->subnets, i));
        const StratusSubnetConfig *sn = g_ptr_array_index (s->vpc->subnets, (guint) k);
        Slot slot = { k, sn->az_index };
        g_array_append_val (slots, slot);
      }
  else
    for (guint i = 0; i < s->azs->len; i++)
      {
        Slot slot = { -1, (int) i };
        g_array_append_val (slots, slot);
      }
  return slots;
}

/* Without a vpc: the scenario has the AZs the deployment needs (a standby needs a second,
 * a cluster a third). */
static bool
check_scenario_azs (FieldCtx *ctx, const StratusScenario *s, const YNode *key, const YNode *v,
                    const StratusDatabaseConfig *db)
{
  int need = db->deployment == STRATUS_DB_MULTI_AZ_CLUSTER    ? 3
             : db->deployment == STRATUS_DB_MULTI_AZ_INSTANCE ? 2
                                                              : 1;
  if ((int) s->azs->len >= need)
    return true;
  const YNode *at = ynode_map_get (v, "deployment") ? ynode_map_get (v, "deployment") : key;
  g_ptr_array_add (s->azs, NULL);
  char *list = g_strjoinv (", ", (char **) s->azs->pdata);
  g_ptr_array_set_size (s->azs, s->azs->len - 1);
  field_fail_at (ctx, at, "%s: a %s database needs %d AZs; the scenario has %u (%s)", db->name,
                 stratus_db_deployment_name (db->deployment), need, s->azs->len, list);
  g_free (list);
  return false;
}

/* The first slot of `slots` in the AZ that scalar `az` names (which must be one of the
 * group's, or without a vpc one of the scenario's), for key `key`. */
static bool
slot_in_az (FieldCtx *ctx, const StratusScenario *s, const YNode *az, const char *key,
            const GArray *slots, const StratusDatabaseConfig *db, guint *out)
{
  if (!field_expect_kind (ctx, az, YNODE_SCALAR, key))
    return false;
  for (guint i = 0; i < slots->len; i++)
    if (strcmp (g_ptr_array_index (s->azs, (guint) g_array_index (slots, Slot, i).az),
                az->value) == 0)
      {
        *out = i;
        return true;
      }
  if (s->vpc == NULL)
    {
      g_ptr_array_add (s->azs, NULL);
      char *h = field_hint (az->value, (const char *const *) s->azs->pdata);
      g_ptr_array_set_size (s->azs, s->azs->len - 1);
      field_fail_at (ctx, az, "%s: unknown AZ '%s' (not in the scenario's azs)%s", key,
                     az->value, h);
      g_free (h);
      return false;
    }
  char *found = NULL;
  count_azs (s->vpc, db->subnets, &found);
  field_fail_at (ctx, az, "%s: no subnet of the DB subnet group of %s is in '%s' (its "
                 "subnets are in %s)", key, db->name, az->value, found);
  g_free (found);
  return false;
}

/* The writer's slot: the first of the group, or with `availability_zone` the first in that
 * AZ. */
static bool
writer_slot (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const GArray *slots,
             const StratusDatabaseConfig *db, guint *out)
{
  *out = 0;
  const YNode *az = ynode_map_get (v, "availability_zone");
  return az == NULL || slot_in_az (ctx, s, az, "availability_zone", slots, db, out);
}

/* With `replica_azs` (a list of AZs, readers and replicas placed in turn; the writer's
 * is allowed, as on AWS), their slots into *out (replacing it); without, *out is left as
 * it is. */
static bool
replica_slots (FieldCtx *ctx, const StratusScenario *s, const YNode *v, const GArray *slots,
               const StratusDatabaseConfig *db, GArray *out)
{
  const YNode *list = ynode_map_get (v, "replica_azs");
  if (list == NULL)
    return true;
  if (!field_expect_kind (ctx, list, YNODE_SEQ, "replica_azs"))
    return false;
  if (ynode_length (list) == 0)
    return field_fail_at (ctx, list, "replica_azs: give at least one AZ, or leave the key out");
  g_array_set_size (out, 0);
  for (guint i = 0; i < ynode_length (list); i++)
    {
      const YNode *az = ynode_item (list, i);
      guint k;
      if (!slot_in_az (ctx, s, az, "replica_azs", slots, db, &k))
        return false;
      g_array_append_val (out, g_array_index (slots, Slot, k));
    }
  return true;
}

/* Appends member "<db>-<n>" of `role` at `slot`. */
static void
add_member (StratusDatabaseConfig *db, StratusDbRole role, Slot slot, int tier)
{
  StratusDbMemberConfig m = {
    .name = g_strdup_printf ("%s-%u", db->name, db->members->len + 1),
    .role = role,
    .subnet = slot.subnet,
    .az = slot.az,
    .promotion_tier = tier,
  };
  g_array_append_val (db->members, m);
}

bool
db_members_place (FieldCtx *ctx, const StratusScenario *s, const YNode *key, const YNode *v,
                  const GArray *tiers, StratusDatabaseConfig *db)
{
  if (s->vpc == NULL && !check_scenario_azs (ctx, s, key, v, db))
    return false;
  GArray *slots = group_slots (s, db);
  guint w;
  if (!writer_slot (ctx, s, v, slots, db, &w))
    {
      g_array_unref (slots);
      return false;
    }
  Slot writer = g_array_index (slots, Slot, w);
  GArray *others = g_array_new (FALSE, FALSE, sizeof (Slot));
  for (guint i = 0; i < slots->len; i++)
    if (g_array_index (slots, Slot, i).az != writer.az)
      g_array_append_val (others, g_array_index (slots, Slot, i));
  GArray *spread = g_array_copy (others);
  if (!replica_slots (ctx, s, v, slots, db, spread))
    {
      g_array_unref (spread);
      g_array_unref (others);
      g_array_unref (slots);
      return false;
    }
  add_member (db, STRATUS_DB_ROLE_WRITER, writer, 0);
  /* The AZ span checks above guarantee the others a multi-AZ deployment needs. */
  switch (db->deployment)
    {
    case STRATUS_DB_MULTI_AZ_INSTANCE:
      add_member (db, STRATUS_DB_ROLE_STANDBY, g_array_index (others, Slot, 0), 0);
      break;
    case STRATUS_DB_MULTI_AZ_CLUSTER:
      {
        Slot first = g_array_index (others, Slot, 0);
        add_member (db, STRATUS_DB_ROLE_CLUSTER_STANDBY, first, 0);
        for (guint i = 1; i < others->len; i++)
          if (g_array_index (others, Slot, i).az != first.az)
            {
              add_member (db, STRATUS_DB_ROLE_CLUSTER_STANDBY, g_array_index (others, Slot, i),
                          0);
              break;
            }
        break;
      }
    case STRATUS_DB_AURORA:
      for (int i = 0; i < db->readers; i++)
        add_member (db, STRATUS_DB_ROLE_AURORA_READER,
                    spread->len > 0 ? g_array_index (spread, Slot, (guint) i % spread->len)
                                    : writer,
                    g_array_index (tiers, int, (guint) i));
      break;
    case STRATUS_DB_SINGLE_AZ:
      break;
    }
  for (int i = 0; i < db->replicas; i++)
    add_member (db, STRATUS_DB_ROLE_REPLICA,
                spread->len > 0 ? g_array_index (spread, Slot, (guint) i % spread->len) : writer,
                0);
  g_array_unref (spread);
  g_array_unref (others);
  g_array_unref (slots);
  return true;
}
