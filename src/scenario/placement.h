/* The network keys every placed resource (load balancer, fleet) shares: `port`, `subnets`,
 * `security_groups` and, where the resource takes it, `public_ip`; parsed by one helper and
 * checked against the VPC by another. Internal to the scenario parser; errors as in
 * fields.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* Where the parsed keys go: members of the resource's configuration. */
typedef struct
{
  uint16_t *port;              /* default 80 */
  GPtrArray *subnets;          /* char*, appended to (created by the resource) */
  GPtrArray *security_groups;  /* char*, appended to */
  int *public_ip;              /* -1 when absent, 0 or 1; NULL: the resource takes none */
} PlacementKeys;

/* Parses `port`, `subnets`, `security_groups` and, with keys->public_ip, `public_ip` of the
 * resource's mapping `v`, in that order. Whether they are allowed (a vpc) is checked later,
 * by placement_check. */
bool placement_parse (FieldCtx *ctx, const YNode *v, const PlacementKeys *keys);

/* Checks the subnets once their names resolve, before the security groups are: `list` is
 * the `subnets` node, `resource` the PlacedResource's. */
typedef bool (*PlacementSubnetCheck) (FieldCtx *ctx, const StratusVpcConfig *vpc,
                                      const YNode *list, const void *resource);

/* A parsed resource, for placement_check. */
typedef struct
{
  const char *name;
  const GPtrArray *subnets, *security_groups;
  bool takes_public_ip;
  const char *why_subnets;            /* the reason subnets are required, in parentheses */
  PlacementSubnetCheck check_subnets; /* the resource's own rules; may be NULL */
  const void *resource;               /* given to check_subnets */
  const YNode *instance_node;         /* the mapping holding `security_groups` and
                                       * `public_ip` when it is not the resource's own (an
                                       * Auto Scaling group's launch template); NULL: v */
} PlacedResource;

/* The static checks of a resource's network keys (its mapping `v`, and r->instance_node for
 * the security groups and public IP when set) against `vpc`: without one, none of the keys
 * may be given; with one, `subnets` is required and every subnet and security group named
 * exists. */
bool placement_check (FieldCtx *ctx, const StratusVpcConfig *vpc, const YNode *v,
                      const PlacedResource *r);

/* A PlacementSubnetCheck for fleets and Auto Scaling groups (`resource` is their
 * StratusFleetConfig): at least one subnet. */
bool placement_check_fleet_subnets (FieldCtx *ctx, const StratusVpcConfig *vpc,
                                    const YNode *list, const void *resource);
