/* An Auto Scaling group's scaling policies (scaling_policy.c) and scheduled actions
 * (scheduled_action.c). Internal to the scenario parser; errors as in fields.h. */
#pragma once

#include <stdbool.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* The `policies` mapping of the group mapping `v` (absent: none) into g->policies (created
 * by the caller, with scaling_policy_free). Needs g's target groups and default cooldown
 * and `fleet`, the group's fleet (its memory). */
bool scaling_policies_parse (FieldCtx *ctx, const YNode *v, StratusAutoScalingGroupConfig *g,
                             const StratusFleetConfig *fleet);

/* Frees a policy and what it owns (a partial one too). */
void scaling_policy_free (StratusScalingPolicyConfig *p);

/* The `scheduled_actions` mapping of the group mapping `v` (absent: none) into
 * g->scheduled_actions (created by the caller, with scheduled_action_free). */
bool scheduled_actions_parse (FieldCtx *ctx, const YNode *v, StratusAutoScalingGroupConfig *g);

/* Frees a scheduled action (a partial one too). */
void scheduled_action_free (StratusScheduledActionConfig *a);
