/* What an `instances` fleet and a launch template share: the instance keys (type, workers,
 * queue_limit, service_time, port, security_groups, public_ip, memory, outbound,
 * database), parsed into a StratusFleetConfig by one function, and the mapping each fleet
 * of a scenario was parsed from. Internal to the scenario parser; errors as in fields.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "fields.h"
#include "outbound.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* A new zeroed fleet named after `key` (its position too), with its arrays created, the
 * life-cycle times constant 0 and public_ip -1; free with fleet_free. */
StratusFleetConfig *fleet_new (const YNode *key);

/* Frees a fleet and everything it owns, its calls included (a partial one too). */
void fleet_free (StratusFleetConfig *f);

/* The instance keys of the mapping `v` into `f` (made by fleet_new): the type from the key
 * `type_key` ("type", or a launch template's "instance_type"), then workers, queue_limit,
 * service_time (required; `what` names the mapping in that error), port, subnets,
 * security_groups, public_ip, memory, the outbound calls, whose destinations may be
 * `names`, and the database work (its names resolved by db_work_link). The caller checks
 * which keys `v` may hold. */
bool fleet_parse_instance_keys (FieldCtx *ctx, const YNode *v, const char *type_key,
                                const char *what, const OutboundNames *names,
                                StratusFleetConfig *f);

/* The names an outbound call of `s` may name, taken from the document `root`: the load
 * balancers parsed, the `instances` fleets and the Auto Scaling groups (by their keys).
 * NULL-terminated arrays borrowed from `s` and the tree; release with
 * fleet_destination_names_free. */
OutboundNames fleet_destination_names (const YNode *root, const StratusScenario *s);
void fleet_destination_names_free (OutboundNames *names);

/* The mapping fleet `i` of `s` took its instance keys from: its entry in `instances`, or
 * for an Auto Scaling group's fleet its launch template's entry. Borrowed from the tree. */
const YNode *fleet_instance_node (const YNode *root, const StratusScenario *s, guint i);
