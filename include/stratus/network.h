/* The network of a scenario: endpoints (the internet, load-balancer nodes, instances)
 * placed in subnets, and the path a message takes between two of them, found hop by hop
 * as AWS would: longest-prefix match in the source subnet's route table, network ACLs
 * out of and into each subnet crossed (stateless, so replies are checked too, on the
 * ephemeral ports), security groups (stateful: replies pass), internet and NAT gateways.
 * Without a vpc the network is flat: every path is open, priced by the latency table.
 *
 * Paths are computed once per class of (source, destination, protocol, port) and
 * cached (see stratus_network_verdict), so the per-request cost is a lookup and building
 * a world grows linearly with its endpoints. Counters of bytes (per resource and path class) and of
 * drops (per reason) live here too. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/scenario.h"

typedef enum
{
  STRATUS_DROP_NONE = 0,
  STRATUS_DROP_NO_ROUTE,            /* no route, or a route that cannot carry it */
  STRATUS_DROP_BLACKHOLE,           /* a blackhole route */
  STRATUS_DROP_NETWORK_ACL,         /* denied by a network ACL (either direction) */
  STRATUS_DROP_SECURITY_GROUP,      /* no security-group rule allows it */
  STRATUS_DROP_NO_PUBLIC_IP,        /* the internet gateway has no public address to use */
  STRATUS_DROP_GATEWAY_DOWN,        /* a NAT gateway that is down (its AZ failed) */
  STRATUS_DROP_AZ_DOWN,             /* an endpoint in a failed AZ */
  STRATUS_DROP_NAT_PORT_EXHAUSTION, /* 55,000 connections per address and destination */
  STRATUS_DROP_NAT_BANDWIDTH,       /* over the NAT gateway's current bandwidth */
  STRATUS_DROP_NAT_IDLE_TIMEOUT,    /* a connection idle for more than 350 s was reset */
  STRATUS_DROP_DISRUPTED,           /* a connectivity disruption (a fault) cuts it */
  STRATUS_N_DROP_REASONS
} StratusDropReason;

/* The name used in reports: "no_route", "security_group", ... */
const char *stratus_drop_reason_name (StratusDropReason reason);

typedef enum
{
  STRATUS_BYTES_SAME_AZ,
  STRATUS_BYTES_CROSS_AZ,
  STRATUS_BYTES_NAT,          /* processed by a NAT gateway */
  STRATUS_BYTES_INTERNET_IN,  /* from the internet */
  STRATUS_BYTES_INTERNET_OUT, /* to the internet */
  STRATUS_N_BYTE_CLASSES
} StratusByteClass;

/* The name used in reports: "same_az", "cross_az", "nat", "internet_in", "internet_out". */
const char *stratus_byte_class_name (StratusByteClass cls);

typedef struct StratusNetwork StratusNetwork;

/* What the model tells the network about an endpoint it places. */
typedef struct
{
  const char *name;        /* "web-1", "web-alb@us-east-1a", "internet" */
  bool internet;           /* an address on the internet (clients, external services) */
  uint32_t address;        /* internet endpoints: their address; others: assigned */
  int subnet;              /* index in vpc->subnets, or -1 (flat network, internet) */
  int az;                  /* AZ index (from the subnet with a vpc), -1 for the internet */
  const GPtrArray *security_groups; /* char* names, may be NULL */
  bool public_ip;          /* has a public IPv4 address */
} StratusEndpointSpec;

/* One leg of a path, for byte counting: bytes sent along the path are charged to
 * `resource` as `forward`, bytes of the reply as `backward`. */
typedef struct
{
  int resource; /* endpoint id, or stratus_network_nat_resource () (negative) */
  StratusByteClass forward, backward;
} StratusPathLeg;

typedef struct
{
  StratusDropReason drop; /* STRATUS_DROP_NONE when both directions pass */
  bool on_reply;          /* the reply is what is dropped */
  char *blocker;          /* "blocked by security group web-sg (no inbound rule for tcp/80
                           * from alb-sg)"; NULL when delivered */
  GPtrArray *hops;        /* char*: the path hop by hop, for `validate --explain` */
  StratusTime latency;    /* one way */
  int nat;                /* index of the NAT gateway crossed, or -1 */
  uint64_t az_depends;    /* bit per AZ whose state the verdict depends on (its ends', its
                           * NAT gateway's): a change of another AZ leaves it cached */
  double loss;            /* the chance that one of its packets is lost (latency
                           * injection): 0 normally */
  unsigned n_legs;
  StratusPathLeg legs[4];
} StratusPath;

/* The network of `scenario` (borrowed; must outlive it). Free with stratus_network_free. */
StratusNetwork *stratus_network_new (const StratusScenario *scenario);

void stratus_network_free (StratusNetwork *net);

/* Marks an Availability Zone failed (down = true) or recovered. Endpoints in it drop
 * everything (STRATUS_DROP_AZ_DOWN) and so do NAT gateways in it, also for subnets of
 * other AZs routed to them (STRATUS_DROP_GATEWAY_DOWN). Bumps the topology version and
 * retires exactly the cached paths whose verdict depends on that AZ (az_depends): they
 * stay valid (with their old verdicts) until the network is freed, and a lookup walks
 * them again; every other cached path is kept, and looking it up gives the same pointer. */
void stratus_network_set_az_down (StratusNetwork *net, int az, bool down);

/* ---- faults: disruptions, failed NAT gateways, injected latency (network_faults.c) ----
 * Each change bumps the topology version and retires every cached path (they stay valid
 * with their old verdicts); faults are rare, so nothing finer is kept. Calls nest: a cut
 * made twice needs two restores. */

/* (StratusDisruptScope, what a disruption cuts, is in scenario.h.) */

/* Starts (on) or ends a disruption of `scope` of subnet `subnet` (index in vpc->subnets;
 * the network has a vpc) or, with subnet -1, of every endpoint in AZ `az`. Paths it cuts
 * drop with STRATUS_DROP_DISRUPTED; a NAT gateway in a subnet cut (all, or internet) no
 * longer carries anything, and one cut from other AZs no longer carries their traffic. */
void stratus_network_disrupt (StratusNetwork *net, int subnet, int az, StratusDisruptScope scope,
                              bool on);

/* Marks NAT gateway `nat` (index in vpc->nat_gateways) failed or repaired: paths through
 * it drop with STRATUS_DROP_GATEWAY_DOWN. */
void stratus_network_set_nat_failed (StratusNetwork *net, int nat, bool failed);

/* Starts (on) or ends an injection of `extra` one-way latency and packet `loss` (0 to
 * 1) on paths with an end in subnet `subnet` or, with subnet -1, on paths between AZ
 * `az_a` and AZ `az_b` (either way; the same AZ twice: paths inside it). Injections on
 * one path add up (losses combine as independent chances). */
void stratus_network_inject (StratusNetwork *net, int subnet, int az_a, int az_b,
                             StratusTime extra, double loss, bool on);

/* True if the AZ is marked failed. */
bool stratus_network_az_is_down (const StratusNetwork *net, int az);

/* Counts topology changes; a holder of path pointers looks them up again when it moves. */
unsigned stratus_network_version (const StratusNetwork *net);

/* Where that count is kept (valid while the network lives), for holders that check it on
 * every use without a call. */
const unsigned *stratus_network_version_location (const StratusNetwork *net);

/* The first subnet (index in vpc->subnets) holding more interfaces than it has usable
 * addresses (its size less AWS's five reserved ones), or -1. NAT gateways count. */
int stratus_network_overfull_subnet (const StratusNetwork *net, unsigned *placed,
                                     unsigned *usable);

/* The same check from the configuration alone, before anything is placed: the first
 * subnet the scenario's fleets (instance i in subnet i mod k of its list), load-balancer
 * nodes (one per subnet listed) and NAT gateways overfill, or -1; linear in the number
 * of fleets, load balancers and subnets, not of instances. */
int stratus_network_overfull_subnet_of (const StratusScenario *scenario, unsigned *placed,
                                        unsigned *usable);

/* Places an endpoint; returns its id (0, 1, ...). */
int stratus_network_add_endpoint (StratusNetwork *net, const StratusEndpointSpec *spec);

/* The endpoint's name and (private or internet) address. */
const char *stratus_network_endpoint_name (const StratusNetwork *net, int endpoint);
uint32_t stratus_network_endpoint_address (const StratusNetwork *net, int endpoint);

/* The path of a message from `src` to `dst` on `protocol`/`port`, and of its reply, with
 * its text (hops, blocker). Owned by the network (cached per pair); valid until the
 * network is freed. For tests and single lookups: the model uses stratus_network_verdict. */
const StratusPath *stratus_network_path (StratusNetwork *net, int src, int dst, int protocol,
                                         uint16_t port);

/* The same path as stratus_network_path, walked afresh and not cached: the caller owns it
 * and frees it with stratus_path_free. For `validate --explain` and error messages, whose
 * text names this pair's endpoints and addresses. */
StratusPath *stratus_network_describe_path (StratusNetwork *net, int src, int dst,
                                            int protocol, uint16_t port);

/* Frees a path from stratus_network_describe_path (NULL is fine). */
void stratus_path_free (StratusPath *path);

/* The path's verdict without its text: drop, on_reply, latency, nat and legs as
 * stratus_network_path gives them, but hops and blocker are NULL. Endpoints fall into
 * classes (an internet address; or a subnet, AZ, public address or not and security
 * groups, plus the endpoint's own address when a rule or route splits its subnet), and a
 * verdict depends only on the classes of both ends, the protocol and the port: the
 * network walks one pair per class pair and shares the verdict, so the cost grows with
 * the number of classes, not of endpoints. Owned by the network (paths with the same
 * verdict and legs are one object); valid until the network is freed. */
const StratusPath *stratus_network_verdict (StratusNetwork *net, int src, int dst,
                                            int protocol, uint16_t port);

/* The distinct verdict paths the network has made so far (each kept until it is freed):
 * bounded by the distinct states of the network, not by how often it changes. */
unsigned stratus_network_verdict_paths (const StratusNetwork *net);

/* Number of resources bytes are charged to, for enumeration with _resource_name and
 * _bytes: the endpoints (0 .. endpoints-1, by id), then the NAT gateways. */
int stratus_network_resource_count (const StratusNetwork *net);

/* The id a path leg uses for NAT gateway `nat` (index in vpc->nat_gateways): negative,
 * -1 - nat, so that it does not move when endpoints are added. */
int stratus_network_nat_resource (const StratusNetwork *net, int nat);

/* The name of resource `index` (0 <= index < resource_count). */
const char *stratus_network_resource_name (const StratusNetwork *net, int index);

/* False for endpoints on the internet, which are never charged bytes. */
bool stratus_network_resource_inside (const StratusNetwork *net, int index);

/* a + b, saturating at UINT64_MAX: byte counters stop there instead of wrapping. */
static inline uint64_t
stratus_bytes_add (uint64_t a, uint64_t b)
{
  return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* Charges a message and its reply along `path`. Counters saturate at UINT64_MAX (about
 * 1.8e19 bytes: 18 million messages of the largest size, STRATUS_MESSAGE_BYTES_MAX). */
void stratus_network_count_bytes (StratusNetwork *net, const StratusPath *path,
                                  uint64_t forward_bytes, uint64_t backward_bytes);

/* Counts one dropped message. */
void stratus_network_count_drop (StratusNetwork *net, StratusDropReason reason);

/* Counters since the last reset; `index` as for _resource_name. */
uint64_t stratus_network_bytes (const StratusNetwork *net, int index, StratusByteClass cls);
uint64_t stratus_network_drops (const StratusNetwork *net, StratusDropReason reason);

/* Zeroes the counters (end of warm-up). */
void stratus_network_reset_counters (StratusNetwork *net);

/* ---- NAT gateways: connections and bandwidth ------------------------------------- */

/* Connections per NAT address to one destination (address, port, protocol). */
#define STRATUS_NAT_CONNECTIONS_PER_ADDRESS 55000
/* A connection idle longer than this is reset. */
#define STRATUS_NAT_IDLE_TIMEOUT (350 * STRATUS_SECOND)

/* Opens a connection through NAT gateway `nat` to (address, port, protocol) at `now`:
 * false (and why) if it cannot: port exhaustion. */
bool stratus_network_nat_open (StratusNetwork *net, int nat, uint32_t address, uint16_t port,
                               int protocol, StratusDropReason *why);

/* Closes a connection opened by stratus_network_nat_open. */
void stratus_network_nat_close (StratusNetwork *net, int nat, uint32_t address, uint16_t port,
                                int protocol);

/* Passes `bytes` through NAT gateway `nat` at `now`: false if over its bandwidth, which
 * starts at 5 Gbps and follows demand up to 100 Gbps (doubling at most once a second). */
bool stratus_network_nat_transfer (StratusNetwork *net, int nat, uint64_t bytes, StratusTime now);

/* Open connections through `nat` to one destination. */
uint32_t stratus_network_nat_connections (const StratusNetwork *net, int nat, uint32_t address,
                                          uint16_t port, int protocol);
