/* The members of a database (writer, standbys, readers, replicas) and where each stands:
 * a pure function of the database's configuration and the scenario's subnets or AZs, so
 * that the run, `validate` and the diagram agree. Internal to the scenario parser; errors
 * as in fields.h. */
#pragma once

#include <stdbool.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* Checks the subnet group (with a vpc: `db->subnets`, already known to exist, spans
 * enough AZs; without: the scenario's AZs are enough for the deployment), the optional
 * `availability_zone` of the database mapping `v`, and fills db->members: the writer, then
 * the standbys, Aurora readers (with `tiers`, one per reader) or read replicas. */
bool db_members_place (FieldCtx *ctx, const StratusScenario *s, const YNode *key,
                       const YNode *v, const GArray *tiers, StratusDatabaseConfig *db);

/* The AZ span check of a DB subnet group (a PlacementSubnetCheck; `resource` is the
 * StratusDatabaseConfig): at least two AZs, three for multi_az_cluster; the message names
 * the AZs found. */
bool db_members_check_subnets (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *list,
                               const void *resource);
