/* A launch template's later versions (launch_templates.NAME.versions). Internal to the
 * scenario parser; errors as in fields.h. */
#pragma once

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* Parses the `versions` list of template mapping `v` (absent: none) into lt->versions,
 * which it creates; `instance` holds the template's own instance keys (its service time
 * is version 1's). The AMIs must be parsed (s->amis). */
bool template_versions_parse (FieldCtx *ctx, const YNode *v, const StratusScenario *s,
                              const StratusFleetConfig *instance,
                              StratusLaunchTemplateConfig *lt);
