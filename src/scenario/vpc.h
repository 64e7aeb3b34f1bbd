/* The `vpc` section of a scenario (subnets, route tables, gateways, Elastic IPs, security
 * groups, network ACLs; its row is section_vpc), and the reference
 * check that the network keys of load balancers and fleets share with it. Internal to the
 * scenario parser; errors as in fields.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "fields.h"
#include "section.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* `v` is a scalar naming one of `names` (NULL-terminated); else "KEY: unknown WHAT 'x'"
 * with a hint, or the names known, or "(the vpc section declares none)". */
bool vpc_check_ref (FieldCtx *ctx, const YNode *v, const char *key, const char *what,
                    const char *const *names);
