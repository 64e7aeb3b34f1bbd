/* Outbound calls of fleets (instances.F.outbound.CALL, launch_templates.T.outbound.CALL): parsing, the destinations' links
 * (default ports) and the checks that need the whole scenario. Internal to the scenario
 * parser; errors as in fields.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* The names a destination may take: NULL-terminated lists, borrowed. */
typedef struct
{
  const char *const *load_balancers;
  const char *const *fleets;
} OutboundNames;

/* Parses the `outbound` map of the fleet mapping `fleet` (absent = none) into `out`
 * (StratusOutboundCallConfig*, freed by outbound_call_free). A destination that parses as
 * an IPv4 address is an address; otherwise it must be one of `names`. */
bool outbound_parse_calls (FieldCtx *ctx, const YNode *fleet, const OutboundNames *names,
                           GPtrArray *out);

void outbound_call_free (StratusOutboundCallConfig *o);

/* Gives each call to a resource without a `port` the resource's: a load balancer's listener
 * port, a fleet's port. Needs every load balancer and fleet parsed. */
void outbound_link (StratusScenario *s);

/* With s->vpc: the calls of fleet `f` (parsed from the mapping `fleet`) go to addresses
 * outside the VPC's block and to internal load balancers only. */
bool outbound_check_fleet (FieldCtx *ctx, const StratusScenario *s, const StratusFleetConfig *f,
                           const YNode *fleet);

/* No fleet's calls lead back to it, directly or through load balancers and other fleets
 * (an Auto Scaling group's included); a cycle is one line naming it, at the destination of
 * its last call. `root` is the document's mapping. */
bool outbound_check_cycles (FieldCtx *ctx, const YNode *root, const StratusScenario *s);
