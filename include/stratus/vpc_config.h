/* The `vpc` section of a scenario, in AWS's vocabulary: CIDR, subnets, route tables,
 * internet and NAT gateways, Elastic IPs, security groups and network ACLs. Part of a
 * StratusScenario: every string and array is owned by it. Names refer to other entries by
 * name; stratus_scenario_load has checked that each reference exists. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/cidr.h"
#include "stratus/dist.h"
#include "stratus/simtime.h"

/* IP protocol numbers as in AWS rules; -1 is "all". */
#define STRATUS_PROTOCOL_ALL (-1)
#define STRATUS_PROTOCOL_ICMP 1
#define STRATUS_PROTOCOL_TCP 6
#define STRATUS_PROTOCOL_UDP 17

/* Where the workloads' clients are, for every scenario: 198.51.100.7, an address of
 * TEST-NET-2 (RFC 5737). No outbound call may go there. */
#define STRATUS_CLIENT_ADDRESS ((198u << 24) | (51u << 16) | (100u << 8) | 7u)

/* The largest request_size or response_size of a workload or an outbound call: 1 TB
 * (10^12 bytes) per message. */
#define STRATUS_MESSAGE_BYTES_MAX UINT64_C (1000000000000)

/* Where a route sends traffic. */
typedef enum
{
  STRATUS_ROUTE_LOCAL,            /* within the VPC */
  STRATUS_ROUTE_INTERNET_GATEWAY,
  STRATUS_ROUTE_NAT_GATEWAY,
  STRATUS_ROUTE_BLACKHOLE,        /* dropped */
} StratusRouteTarget;

typedef struct
{
  StratusCidr destination;
  StratusRouteTarget target;
  char *nat_gateway; /* STRATUS_ROUTE_NAT_GATEWAY: its name; else NULL */
} StratusRouteConfig;

typedef struct
{
  char *name;
  GArray *routes; /* StratusRouteConfig, in file order; the local route for the VPC CIDR is
                   * implicit and always present (not listed here) */
} StratusRouteTableConfig;

typedef struct
{
  char *name;
  StratusCidr cidr;
  char *az;                     /* one of the scenario's AZs */
  int az_index;                 /* its position in StratusScenario.azs */
  char *route_table;            /* NULL: the VPC's main route table */
  char *network_acl;            /* NULL: the default network ACL (allows everything) */
  bool map_public_ip_on_launch; /* default false */
  int line, column;             /* where its name stands in the scenario file */
} StratusSubnetConfig;

typedef struct
{
  char *name;
  char *subnet;
  GPtrArray *elastic_ips; /* char*, 1 to 8 names from StratusVpcConfig.elastic_ips; one
                           * address each (the parser supplies one anonymous "NAME-eip"
                           * entry when none is given) */
} StratusNatGatewayConfig;

/* A security-group rule: allow `protocol` on ports [port_from, port_to] from (inbound) or
 * to (outbound) a CIDR block or the members of another security group. */
typedef struct
{
  int protocol;      /* STRATUS_PROTOCOL_* */
  uint16_t port_from; /* 0..65535; "all" ports is 0-65535 */
  uint16_t port_to;
  char *group;       /* peer security group's name, or NULL for `cidr` */
  StratusCidr cidr;
} StratusSgRuleConfig;

typedef struct
{
  char *name;
  GArray *inbound;  /* StratusSgRuleConfig; empty = nothing may come in */
  GArray *outbound; /* StratusSgRuleConfig; when the key is absent: all traffic to 0.0.0.0/0 */
} StratusSecurityGroupConfig;

/* A network ACL rule: numbered, evaluated lowest first, the first match decides. */
typedef struct
{
  int number;    /* 1..32766 */
  bool allow;    /* action: allow or deny */
  int protocol;
  uint16_t port_from, port_to;
  StratusCidr cidr; /* source (inbound) or destination (outbound) */
} StratusAclRuleConfig;

typedef struct
{
  char *name;
  GArray *inbound;  /* StratusAclRuleConfig sorted by number; an implicit final rule denies */
  GArray *outbound;
} StratusNetworkAclConfig;

typedef struct
{
  StratusCidr cidr;
  char *internet_gateway;    /* its name, or NULL when the VPC has none */
  char *main_route_table;    /* NULL: an implicit main table with only the local route */
  GPtrArray *subnets;        /* StratusSubnetConfig* */
  GPtrArray *route_tables;   /* StratusRouteTableConfig* */
  GPtrArray *nat_gateways;   /* StratusNatGatewayConfig* */
  GPtrArray *elastic_ips;    /* char* names (explicit ones plus those the parser supplied) */
  GPtrArray *security_groups; /* StratusSecurityGroupConfig* */
  GPtrArray *network_acls;   /* StratusNetworkAclConfig* */
} StratusVpcConfig;

/* What an outbound call's `destination` names. */
typedef enum
{
  STRATUS_DESTINATION_ADDRESS,       /* an IPv4 address (outside the VPC's block with a vpc) */
  STRATUS_DESTINATION_LOAD_BALANCER, /* a load balancer of the scenario, by name */
  STRATUS_DESTINATION_FLEET,         /* the instances of a fleet, called directly */
} StratusDestinationKind;

/* An outbound call that an instance makes while serving each request (e.g. a payment API
 * on the internet, or an internal service of the scenario), holding its worker until the
 * answer comes back. */
typedef struct
{
  char *name;
  StratusDestinationKind destination_kind;
  uint32_t destination; /* STRATUS_DESTINATION_ADDRESS: the address (outside the VPC's
                         * block with a vpc); 0 for a resource */
  char *destination_name; /* a load balancer's or a fleet's name (owned); NULL for an
                           * address. The parser has checked that it exists, that the calls
                           * form no cycle and, with a vpc, that a load balancer is internal */
  int protocol;         /* STRATUS_PROTOCOL_TCP (always for a resource) or _UDP */
  uint16_t port;        /* for a resource, by default its listener port or the fleet's port */
  double per_request;   /* calls per request; a fraction p < 1 makes one call with probability p */
  StratusDist service_time; /* at an address, ns; zeroed (unused) for a resource, whose own
                             * instances serve the call */
  StratusTime timeout;  /* the instance gives up and answers 502 */
  uint64_t request_bytes, response_bytes;
  int line, column; /* where its name stands in the scenario file */
} StratusOutboundCallConfig;

/* ---- queries on a VPC configuration (src/scenario/vpc_query.c) ------------------------ */

/* Index of the entry named `name` in its list, or -1. */
int stratus_vpc_subnet_index (const StratusVpcConfig *vpc, const char *name);
int stratus_vpc_group_index (const StratusVpcConfig *vpc, const char *name);
int stratus_vpc_nat_index (const StratusVpcConfig *vpc, const char *name);

/* The entry named `name`, or NULL. Borrowed from the configuration. */
const StratusRouteTableConfig *stratus_vpc_find_route_table (const StratusVpcConfig *vpc,
                                                             const char *name);
const StratusNetworkAclConfig *stratus_vpc_find_network_acl (const StratusVpcConfig *vpc,
                                                             const char *name);
const StratusSecurityGroupConfig *stratus_vpc_find_group (const StratusVpcConfig *vpc,
                                                          const char *name);

/* The name of the subnet's route table: its own, else the main one, else
 * "main (implicit)". Static or borrowed. */
const char *stratus_vpc_route_table_name (const StratusVpcConfig *vpc,
                                          const StratusSubnetConfig *subnet);

/* The subnet's route table: its own, else the main one; NULL for the implicit main table
 * (which holds only the local route). */
const StratusRouteTableConfig *stratus_vpc_route_table_of (const StratusVpcConfig *vpc,
                                                           const StratusSubnetConfig *subnet);

/* Longest-prefix match for `address` in the subnet's route table, the implicit local
 * route (the VPC's CIDR) included; false when no route matches (`route` untouched). */
bool stratus_vpc_route_lookup (const StratusVpcConfig *vpc, const StratusSubnetConfig *subnet,
                               uint32_t address, StratusRouteConfig *route);

/* A "public" subnet: its route table sends 0.0.0.0/0 to the internet gateway. */
bool stratus_vpc_subnet_is_public (const StratusVpcConfig *vpc,
                                   const StratusSubnetConfig *subnet);
