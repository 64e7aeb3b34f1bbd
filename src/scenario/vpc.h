/* The `vpc` section of a scenario (subnets, route tables, gateways, Elastic IPs, security
 * groups, network ACLs) and the network keys of load balancers, fleets and workloads.
 * Internal to the scenario parser; errors as in fields.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

/* Optional keys with defaults. A boolean is true/false or yes/no; a size is as
 * stratus_parse_size reads it, at most STRATUS_MESSAGE_BYTES_MAX (1 TB; above it: "KEY: at
 * most 1TB (10^12 bytes) per message, found 'X'"); a port is 1 to 65535. */
bool vpc_get_bool (FieldCtx *ctx, const YNode *map, const char *key, bool def, bool *out);
bool vpc_get_size (FieldCtx *ctx, const YNode *map, const char *key, uint64_t def,
                   uint64_t *out);
bool vpc_get_port (FieldCtx *ctx, const YNode *map, const char *key, int def, uint16_t *out);

/* An optional list of names (absent = empty), each appended to `out` as a copy; a name
 * listed twice is an error. */
bool vpc_get_name_list (FieldCtx *ctx, const YNode *map, const char *key, GPtrArray *out);

/* The IPv4 address of a host on the internet, "203.0.113.10" (outbound destinations):
 * parsed, then checked with vpc_check_internet_address. */
bool vpc_parse_address_node (FieldCtx *ctx, const YNode *v, const char *key, uint32_t *out);

/* Refuses, naming `key` at `v`, an address no host on the internet can have: 0.0.0.0/8,
 * 127.0.0.0/8 (loopback), 169.254.0.0/16 (link-local), 224.0.0.0/4 (multicast),
 * 240.0.0.0/4 (reserved, with 255.255.255.255) and the clients' own address,
 * STRATUS_CLIENT_ADDRESS. */
bool vpc_check_internet_address (FieldCtx *ctx, const YNode *v, const char *key,
                                 uint32_t address);

/* Parses the `vpc` section of `root` into a new *out (left NULL when there is none; set
 * as soon as it is allocated, so the caller frees it even when parsing fails). `azs` is
 * the scenario's NULL-terminated list of Availability Zones. */
bool vpc_parse (FieldCtx *ctx, const YNode *root, const char *const *azs,
                StratusVpcConfig **out);

void vpc_config_free (StratusVpcConfig *vpc);

/* Checks the network keys of the load balancers and fleets of `s` (parsed from `root`)
 * against s->vpc: subnets, security groups, public IPs and outbound destinations. */
bool vpc_check_components (FieldCtx *ctx, const YNode *root, const StratusScenario *s);
