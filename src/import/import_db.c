/* From a CloudFormation template to a stratus scenario: RDS DB instances, their Multi-AZ
 * standby and read replicas (DBInstance with SourceDBInstanceIdentifier). */
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
      if (eng == NULL || imp_prop (r, "DBClusterIdentifier"))
        continue; /* Aurora members and other engines: in the report */
      imp_consume (c, r);
      if (g_ascii_strcasecmp (raw, "mariadb") == 0)
        imp_note (c, r, "engine mariadb is modelled as mysql");
      const char *klass = imp_text (imp_prop (r, "DBInstanceClass"));
      if (klass == NULL)
        {
          imp_fail (c, r->file, r->line, r->column, "%s: a DB instance needs a DBInstanceClass",
                    r->logical_id);
          return;
        }
      GString *o = c->dbs;
      g_string_append_printf (o, "  %s:\n    engine: %s\n    instance_class: %s\n",
                              imp_name (c, r->logical_id), eng, klass);
      if (c->has_vpc)
        {
          const StratusCfnResource *group = imp_target (c, r, imp_prop (r, "DBSubnetGroupName"),
                                                        "DBSubnetGroupName", true, T_DBSG);
          if (group == NULL)
            return;
          imp_consume (c, group);
          g_string_append (o, "    subnets: ");
          if (!imp_name_list (c, group, o, imp_prop (group, "SubnetIds"), "SubnetIds", T_SUBNET))
            return;
          g_string_append (o, "\n");
          if (imp_prop (r, "VPCSecurityGroups"))
            {
              g_string_append (o, "    security_groups: ");
              if (!imp_name_list (c, r, o, imp_prop (r, "VPCSecurityGroups"), "VPCSecurityGroups", T_SG))
                return;
              g_string_append (o, "\n");
            }
        }
      const char *v;
      if ((v = imp_text (imp_prop (r, "AvailabilityZone"))))
        g_string_append_printf (o, "    availability_zone: %s\n", v);
      if ((v = imp_text (imp_prop (r, "Port"))))
        g_string_append_printf (o, "    port: %s\n", v);
      g_string_append (o, "    read_time: {dist: exponential, mean: 1ms}" MARK "\n"
                          "    write_time: {dist: exponential, mean: 3ms}" MARK "\n");
      if ((v = imp_text (imp_prop (r, "AllocatedStorage"))))
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
          const char *az = imp_text (imp_prop (x, "AvailabilityZone"));
          if (az)
            g_string_append_printf (azs, "%s%s", azs->len ? ", " : "", az);
          else
            all_azs = false;
          const char *xc = imp_text (imp_prop (x, "DBInstanceClass"));
          if (xc && strcmp (xc, klass) != 0)
            imp_note (c, x, "a read replica of class %s: stratus gives replicas their source's class (%s)",
                      xc, klass);
        }
      if (replicas)
        g_string_append_printf (o, "    read_replicas: %u\n", replicas);
      if (replicas && all_azs)
        g_string_append_printf (o, "    replica_azs: [%s]\n", azs->str);
      g_string_free (azs, TRUE);
      if ((v = imp_text (imp_prop (r, "BackupRetentionPeriod"))))
        g_string_append_printf (o, "    backup_retention: %s\n", v);
    }
}
