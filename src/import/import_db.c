/* From a CloudFormation template to a stratus scenario: RDS DB instances, their Multi-AZ
 * standby and read replicas (DBInstance with SourceDBInstanceIdentifier); Aurora clusters
 * (DBCluster and its member DBInstances) and RDS Multi-AZ DB clusters. */
#include "import_internal.h"

#include <string.h>

static const char *const T_SUBNET[] = { "AWS::EC2::Subnet", NULL };
static const char *const T_SG[] = { "AWS::EC2::SecurityGroup", NULL };
static const char *const T_DBSG[] = { "AWS::RDS::DBSubnetGroup", NULL };
static const char *const T_DB[] = { "AWS::RDS::DBInstance", NULL };

static const char *
engine (const char *e)
{
  if (e == NULL)
    return NULL;
  if (g_ascii_strcasecmp (e, "mysql") == 0 || g_ascii_strcasecmp (e, "mariadb") == 0)
    return "mysql";
  if (g_ascii_strcasecmp (e, "postgres") == 0)
    return "postgres";
  return NULL;
}

/* The subnet group and security groups of `r` (a DB instance or cluster, whose security
 * groups are under `sg_key`) into `o`; false on an error. */
static bool
db_network (ImportCtx *c, const StratusCfnResource *r, GString *o, const char *sg_key)
{
  if (!c->has_vpc)
    return true;
  const StratusCfnResource *group = imp_target (c, r, imp_prop (r, "DBSubnetGroupName"),
                                                "DBSubnetGroupName", true, T_DBSG);
  if (group == NULL)
    return false;
  imp_consume (c, group);
  g_string_append (o, "    subnets: ");
  if (!imp_name_list (c, group, o, imp_prop (group, "SubnetIds"), "SubnetIds", T_SUBNET))
    return false;
  g_string_append (o, "\n");
  if (imp_prop (r, sg_key))
    {
      g_string_append (o, "    security_groups: ");
      if (!imp_name_list (c, r, o, imp_prop (r, sg_key), sg_key, T_SG))
        return false;
      g_string_append (o, "\n");
    }
  return true;
}

/* Whether DB instance `x` is a member of cluster `cl` (its DBClusterIdentifier a Ref to the
 * cluster or the cluster's DBClusterIdentifier text). */
static bool
member_of (const StratusCfnResource *x, const StratusCfnResource *cl)
{
  if (!imp_is_type (x, "AWS::RDS::DBInstance"))
    return false;
  const StratusCfnValue *v = imp_prop (x, "DBClusterIdentifier");
  if (imp_refers_to (v, cl->logical_id))
    return true;
  const char *id = imp_text (v), *own = imp_text (imp_prop (cl, "DBClusterIdentifier"));
  return id != NULL && own != NULL && g_ascii_strcasecmp (id, own) == 0;
}

/* The member DB instances of cluster `cl`, in template order (the array owns nothing). */
static GPtrArray *
members_of (ImportCtx *c, const StratusCfnResource *cl)
{
  GPtrArray *m = g_ptr_array_new ();
  for (guint i = 0; i < c->t->resources->len; i++)
    if (member_of (c->t->resources->pdata[i], cl))
      g_ptr_array_add (m, c->t->resources->pdata[i]);
  return m;
}

/* The scenario engine of a cluster's Engine: an Aurora one (legacy `aurora` is
 * aurora-mysql), mysql or postgres (a Multi-AZ DB cluster); NULL for others. */
static const char *
cluster_engine (const char *e)
{
  if (e == NULL)
    return NULL;
  if (g_ascii_strcasecmp (e, "aurora") == 0 || g_ascii_strcasecmp (e, "aurora-mysql") == 0)
    return "aurora-mysql";
  if (g_ascii_strcasecmp (e, "aurora-postgresql") == 0)
    return "aurora-postgresql";
  if (g_ascii_strcasecmp (e, "mysql") == 0)
    return "mysql";
  if (g_ascii_strcasecmp (e, "postgres") == 0)
    return "postgres";
  return NULL;
}

/* The Aurora members of `cl` (the first is the writer) into `o`: availability_zone,
 * read/write times, deployment, readers, promotion tiers, replica_azs. */
static void
aurora_members (ImportCtx *c, const StratusCfnResource *cl, GString *o, GPtrArray *m,
                const char *klass)
{
  const StratusCfnResource *writer = m->pdata[0];
  const char *v;
  if ((v = imp_word (c, imp_prop (writer, "AvailabilityZone"))))
    g_string_append_printf (o, "    availability_zone: %s\n", v);
  if ((v = imp_word (c, imp_prop (cl, "Port"))))
    g_string_append_printf (o, "    port: %s\n", v);
  g_string_append (o, "    read_time: {dist: exponential, mean: 1ms}" MARK "\n"
                      "    write_time: {dist: exponential, mean: 3ms}" MARK "\n"
                      "    deployment: aurora\n");
  GString *tiers = g_string_new (NULL), *azs = g_string_new (NULL);
  bool any_tier = false, all_azs = true;
  for (guint i = 0; i < m->len; i++)
    {
      const StratusCfnResource *x = m->pdata[i];
      imp_consume (c, x);
      const char *xc = imp_word (c, imp_prop (x, "DBInstanceClass"));
      if (i > 0 && xc && strcmp (xc, klass) != 0)
        imp_note (c, x, "a member of class %s: stratus gives every member of %s the first "
                  "member's class (%s)", xc, cl->logical_id, klass);
      if (i == 0)
        continue;
      const char *tier = imp_word (c, imp_prop (x, "PromotionTier"));
      any_tier |= tier != NULL;
      g_string_append_printf (tiers, "%s%s", i > 1 ? ", " : "", tier ? tier : "1");
      const char *az = imp_word (c, imp_prop (x, "AvailabilityZone"));
      if (az)
        g_string_append_printf (azs, "%s%s", i > 1 ? ", " : "", az);
      else
        all_azs = false;
    }
  if (m->len > 1)
    g_string_append_printf (o, "    readers: %u\n", m->len - 1);
  if (m->len > 1 && any_tier)
    g_string_append_printf (o, "    reader_promotion_tiers: [%s]\n", tiers->str);
  if (m->len > 1 && all_azs)
    g_string_append_printf (o, "    replica_azs: [%s]\n", azs->str);
  g_string_free (tiers, TRUE);
  g_string_free (azs, TRUE);
  imp_note (c, writer, "the writer of %s: the template does not say which member is the "
            "writer (AWS picks one); stratus takes the first", cl->logical_id);
}

/* AWS::RDS::DBCluster: an Aurora cluster with its member instances, or a Multi-AZ DB
 * cluster (engine mysql or postgres with DBClusterInstanceClass), as one database. A
 * cluster that cannot serve queries here stays unmodelled, with why. */
static void
map_cluster (ImportCtx *c, const StratusCfnResource *cl)
{
  const char *raw = imp_text (imp_prop (cl, "Engine"));
  const char *eng = cluster_engine (raw);
  const char *mode = imp_text (imp_prop (cl, "EngineMode"));
  if (eng == NULL)
    imp_unmodelled (c, cl, "engine %s: stratus models aurora-mysql, aurora-postgresql, and mysql or "
             "postgres Multi-AZ DB clusters", raw ? raw : "(none)");
  if (mode && g_ascii_strcasecmp (mode, "provisioned") != 0)
    {
      imp_unmodelled (c, cl, "EngineMode %s (Aurora Serverless v1 and the other modes are not "
               "modelled: stratus models provisioned clusters)", mode);
      eng = NULL;
    }
  if (eng == NULL)
    {
      GPtrArray *m = members_of (c, cl);
      for (guint i = 0; i < m->len; i++)
        imp_unmodelled (c, m->pdata[i], "a member of %s, which is not modelled", cl->logical_id);
      g_ptr_array_free (m, TRUE);
      return;
    }
  bool aurora = g_str_has_prefix (eng, "aurora");
  GPtrArray *m = members_of (c, cl);
  const char *klass = aurora ? (m->len ? imp_word (c, imp_prop (m->pdata[0], "DBInstanceClass")) : NULL)
                             : imp_word (c, imp_prop (cl, "DBClusterInstanceClass"));
  if (aurora && m->len == 0)
    imp_unmodelled (c, cl, "an Aurora cluster without DB instances serves no queries (Aurora "
             "Serverless v2 and instances outside the template are not modelled)");
  else if (klass == NULL && aurora)
    {
      const StratusCfnResource *w = m->pdata[0];
      imp_fail (c, w->file, w->line, w->column, "%s: a DB instance of cluster %s needs a "
                "DBInstanceClass", w->logical_id, cl->logical_id);
    }
  else if (klass == NULL)
    imp_fail (c, cl->file, cl->line, cl->column, "%s: a Multi-AZ DB cluster (engine mysql or "
              "postgres) needs a DBClusterInstanceClass", cl->logical_id);
  if (klass == NULL || c->error != NULL)
    {
      g_ptr_array_free (m, TRUE);
      return;
    }
  imp_consume (c, cl);
  GString *o = c->dbs;
  g_string_append_printf (o, "  %s:\n    engine: %s\n    instance_class: %s\n",
                          imp_name (c, cl->logical_id), eng, klass);
  if (db_network (c, cl, o, "VpcSecurityGroupIds"))
    {
      const char *v;
      if (aurora)
        aurora_members (c, cl, o, m, klass);
      else
        {
          if ((v = imp_word (c, imp_prop (cl, "Port"))))
            g_string_append_printf (o, "    port: %s\n", v);
          g_string_append (o, "    read_time: {dist: exponential, mean: 1ms}" MARK "\n"
                              "    write_time: {dist: exponential, mean: 3ms}" MARK "\n");
          if ((v = imp_word (c, imp_prop (cl, "AllocatedStorage"))))
            g_string_append_printf (o, "    storage: %sGiB\n", v);
          g_string_append (o, "    deployment: multi_az_cluster\n");
          for (guint i = 0; i < m->len; i++)
            {
              imp_consume (c, m->pdata[i]);
              imp_note (c, m->pdata[i], "folded into %s: a Multi-AZ DB cluster has its own "
                        "writer and two standbys", cl->logical_id);
            }
        }
      if ((v = imp_word (c, imp_prop (cl, "BackupRetentionPeriod"))))
        g_string_append_printf (o, "    backup_retention: %s\n", v);
    }
  g_ptr_array_free (m, TRUE);
}

const StratusCfnValue *
imp_db_security_groups (const StratusCfnResource *db)
{
  if (imp_is_type (db, "AWS::RDS::DBCluster"))
    return imp_prop (db, "VpcSecurityGroupIds");
  if (imp_is_type (db, "AWS::RDS::DBInstance") && !imp_prop (db, "SourceDBInstanceIdentifier")
      && !imp_prop (db, "DBClusterIdentifier"))
    return imp_prop (db, "VPCSecurityGroups");
  return NULL;
}

bool
imp_db_has_readers (ImportCtx *c, const StratusCfnResource *db)
{
  GPtrArray *res = c->t->resources;
  if (imp_is_type (db, "AWS::RDS::DBCluster"))
    {
      const char *eng = cluster_engine (imp_text (imp_prop (db, "Engine")));
      if (eng == NULL || !g_str_has_prefix (eng, "aurora"))
        return true; /* a Multi-AZ DB cluster's standbys serve reads */
      GPtrArray *m = members_of (c, db);
      bool readers = m->len > 1;
      g_ptr_array_free (m, TRUE);
      return readers;
    }
  for (guint k = 0; k < res->len; k++)
    if (imp_refers_to (imp_prop (res->pdata[k], "SourceDBInstanceIdentifier"), db->logical_id))
      return true;
  return false;
}

void
imp_map_databases (ImportCtx *c)
{
  GPtrArray *res = c->t->resources;
  for (guint i = 0; i < res->len && c->error == NULL; i++)
    {
      const StratusCfnResource *r = res->pdata[i];
      if (!imp_is_type (r, "AWS::RDS::DBInstance"))
        continue;
      const StratusCfnValue *src = imp_prop (r, "SourceDBInstanceIdentifier");
      if (src != NULL)
        {
          const StratusCfnResource *s = imp_target (c, r, src, "SourceDBInstanceIdentifier", true, T_DB);
          if (s == NULL)
            return;
          if (imp_prop (s, "SourceDBInstanceIdentifier") || engine (imp_text (imp_prop (s, "Engine"))) == NULL)
            {
              imp_note (c, r, "left out: a replica of a database stratus does not model");
              imp_consume (c, r);
            }
          continue; /* with its source */
        }
      const char *raw = imp_text (imp_prop (r, "Engine"));
      const char *eng = engine (raw);
      if (imp_prop (r, "DBClusterIdentifier"))
        {
          imp_unmodelled (c, r, "a member of a DB cluster that is not in the template");
          continue; /* with its cluster, which may give a better why */
        }
      if (eng == NULL)
        {
          imp_unmodelled (c, r, "engine %s: stratus models mysql, mariadb (as mysql) and postgres "
                   "DB instances", raw ? raw : "(none)");
          continue;
        }
      imp_consume (c, r);
      if (g_ascii_strcasecmp (raw, "mariadb") == 0)
        imp_note (c, r, "engine mariadb is modelled as mysql");
      const char *klass = imp_word (c, imp_prop (r, "DBInstanceClass"));
      if (klass == NULL)
        {
          imp_fail (c, r->file, r->line, r->column, "%s: a DB instance needs a DBInstanceClass",
                    r->logical_id);
          return;
        }
      GString *o = c->dbs;
      g_string_append_printf (o, "  %s:\n    engine: %s\n    instance_class: %s\n",
                              imp_name (c, r->logical_id), eng, klass);
      if (!db_network (c, r, o, "VPCSecurityGroups"))
        return;
      const char *v;
      if ((v = imp_word (c, imp_prop (r, "AvailabilityZone"))))
        g_string_append_printf (o, "    availability_zone: %s\n", v);
      if ((v = imp_word (c, imp_prop (r, "Port"))))
        g_string_append_printf (o, "    port: %s\n", v);
      g_string_append (o, "    read_time: {dist: exponential, mean: 1ms}" MARK "\n"
                          "    write_time: {dist: exponential, mean: 3ms}" MARK "\n");
      if ((v = imp_word (c, imp_prop (r, "AllocatedStorage"))))
        g_string_append_printf (o, "    storage: %sGiB\n", v);
      const char *multi = imp_text (imp_prop (r, "MultiAZ"));
      g_string_append_printf (o, "    deployment: %s\n",
                              multi && strcmp (multi, "true") == 0 ? "multi_az_instance" : "single_az");
      unsigned replicas = 0;
      bool all_azs = true;
      GString *azs = g_string_new (NULL);
      for (guint k = 0; k < res->len; k++)
        {
          const StratusCfnResource *x = res->pdata[k];
          if (!imp_is_type (x, "AWS::RDS::DBInstance")
              || !imp_refers_to (imp_prop (x, "SourceDBInstanceIdentifier"), r->logical_id))
            continue;
          imp_consume (c, x);
          replicas++;
          const char *az = imp_word (c, imp_prop (x, "AvailabilityZone"));
          if (az)
            g_string_append_printf (azs, "%s%s", azs->len ? ", " : "", az);
          else
            all_azs = false;
          const char *xc = imp_word (c, imp_prop (x, "DBInstanceClass"));
          if (xc && strcmp (xc, klass) != 0)
            imp_note (c, x, "a read replica of class %s: stratus gives replicas their source's class (%s)",
                      xc, klass);
        }
      if (replicas)
        g_string_append_printf (o, "    read_replicas: %u\n", replicas);
      if (replicas && all_azs)
        g_string_append_printf (o, "    replica_azs: [%s]\n", azs->str);
      g_string_free (azs, TRUE);
      if ((v = imp_word (c, imp_prop (r, "BackupRetentionPeriod"))))
        g_string_append_printf (o, "    backup_retention: %s\n", v);
    }
  for (guint i = 0; i < res->len && c->error == NULL; i++)
    if (imp_is_type (res->pdata[i], "AWS::RDS::DBCluster"))
      map_cluster (c, res->pdata[i]);
}
