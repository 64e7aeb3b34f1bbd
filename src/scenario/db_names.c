/* TEMPORARY, for the db-report branch only: the database name helpers of
 * stratus/scenario.h, which the parser branch (src/scenario/section_databases.c) defines
 * too. The merge keeps section_databases.c's and drops this file (and its line in
 * src/meson.build). The names are the same as the parser's. */
#include "stratus/scenario.h"

const char *
stratus_db_engine_name (StratusDbEngine engine)
{
  static const char *const names[] = { "mysql", "postgres", "aurora-mysql", "aurora-postgresql" };
  return (unsigned) engine < G_N_ELEMENTS (names) ? names[engine] : "?";
}

const char *
stratus_db_deployment_name (StratusDbDeployment deployment)
{
  static const char *const names[] = { "single_az", "multi_az_instance", "multi_az_cluster",
                                       "aurora" };
  return (unsigned) deployment < G_N_ELEMENTS (names) ? names[deployment] : "?";
}

const char *
stratus_db_role_name (StratusDbRole role)
{
  static const char *const names[] = { "writer", "standby", "cluster_standby", "reader",
                                       "replica" };
  G_STATIC_ASSERT (G_N_ELEMENTS (names) == STRATUS_N_DB_ROLES);
  return (unsigned) role < G_N_ELEMENTS (names) ? names[role] : "?";
}
