/* A fleet's `database` key (instances.F.database, launch_templates.T.database): what each
 * request does at a database. Parsed with the fleet's instance keys; the database's name
 * and `reads_from` member are resolved once the `databases` section is parsed. Internal to
 * the scenario parser; errors as in fields.h. */
#pragma once

#include <stdbool.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* Parses the `database` key of the fleet mapping `fleet` into `w` (absent: `enabled`
 * false, nothing else set); names are resolved later, by db_work_link. */
bool db_work_parse (FieldCtx *ctx, const YNode *fleet, StratusDbWorkConfig *w);

/* Releases what db_work_parse stored in `w` (a partial one too) and zeroes it. */
void db_work_clear (StratusDbWorkConfig *w);

/* Resolves the database and `reads_from` member of `w` (parsed from the fleet mapping
 * `fleet`) against s->databases: sets w->index and w->reads_member. Does nothing when `w`
 * is not enabled. */
bool db_work_link (FieldCtx *ctx, const StratusScenario *s, const YNode *fleet,
                   StratusDbWorkConfig *w);
