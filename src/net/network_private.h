/* Private to the network (network.c, network_walk.c, network_nat.c): the network's state,
 * its endpoints and NAT gateways, and what the files share. Not installed; nothing else
 * includes it. */
#pragma once

#include "stratus/network.h"

/* A place messages start or end: the internet, a load-balancer node, an instance. */
typedef struct
{
  char *name;
  bool internet;
  uint32_t address;
  int subnet;
  int az;
  GArray *groups; /* int: indices in vpc->security_groups */
  bool public_ip;
  int cls;        /* its class: endpoints of one class get the same verdicts */
} Endpoint;

/* A NAT gateway's state: its open connections and its bandwidth window. */
typedef struct
{
  int n_addresses;
  int az;
  GHashTable *connections; /* destination key -> open count */
  double capacity_bps;
  int64_t window;          /* current one-second window (seconds since 0) */
  uint64_t window_bytes;   /* passed in the window */
  uint64_t window_demand;  /* offered in the window, passed or not */
} Nat;

struct StratusNetwork
{
  const StratusScenario *scenario;
  const StratusVpcConfig *vpc; /* NULL: flat */
  GArray *endpoints;           /* Endpoint */
  uint64_t *next_host;         /* per subnet: next host number to hand out */
  uint32_t next_flat_host;
  Nat *nats;
  int n_nats;
  GHashTable *cache; /* packed (src, dst, protocol, port) -> StratusPath* */
  bool *uniform;      /* per subnet: no rule or route splits it (see subnet_is_uniform) */
  GHashTable *classes;  /* char* descriptor -> class id + 1 */
  GHashTable *verdicts; /* packed (src class, dst class, protocol, port) -> ClassVerdict* */
  GHashTable *resolved; /* ResolvedKey* -> StratusPath* (no text), one of `interned` */
  GHashTable *interned; /* StratusPath*: every verdict path ever resolved, one per value
                         * (owned): a fault undone gives back the same objects, so
                         * memory follows the distinct verdicts, not the changes */
  guint n_verdicts;
  GPtrArray *retired; /* paths of earlier topology versions, kept valid until the end */
  unsigned version;
  uint64_t az_down;   /* bit per failed AZ */
  int (*subnet_cuts)[STRATUS_N_DISRUPT_SCOPES]; /* per subnet: disruptions on, by scope */
  int az_cuts[64][STRATUS_N_DISRUPT_SCOPES];     /* per AZ: the same */
  int *nat_failed;    /* per NAT gateway: failures on */
  GArray *injections; /* Injection: latency injections on */
  GArray *bytes;     /* uint64_t[STRATUS_N_BYTE_CLASSES] per endpoint */
  uint64_t (*nat_bytes)[STRATUS_N_BYTE_CLASSES]; /* per NAT gateway */
  uint64_t drops[STRATUS_N_DROP_REASONS];
};

/* Subnet `i` of the VPC (the network has one). */
static inline const StratusSubnetConfig *
network_subnet_at (const StratusNetwork *net, int i)
{
  return g_ptr_array_index (net->vpc->subnets, (guint) i);
}

/* Endpoint `id`, which must exist. */
static inline const Endpoint *
network_endpoint (const StratusNetwork *net, int id)
{
  g_assert (id >= 0 && (guint) id < net->endpoints->len);
  return &g_array_index (net->endpoints, Endpoint, id);
}

/* network_walk.c: walks the path from `src` to `dst` hop by hop, with its text. The caller
 * owns it. */
StratusPath *network_walk_path (StratusNetwork *net, int src, int dst, int protocol,
                                uint16_t port);

/* A latency injection (stratus_network_inject). */
typedef struct
{
  int subnet, az_a, az_b;
  StratusTime extra;
  double loss;
} Injection;

/* network_faults.c: true if a disruption of `scope` covers endpoint `e`. */
bool network_cut (const StratusNetwork *net, const Endpoint *e, StratusDisruptScope scope);

/* network_faults.c: true if a disruption of `scope` covers subnet `subnet` (or its AZ). */
bool network_subnet_cut (const StratusNetwork *net, int subnet, StratusDisruptScope scope);

/* network_faults.c: adds the injections that cover `path` (delivered, from `src` to `dst`)
 * to its latency and loss. */
void network_apply_injections (const StratusNetwork *net, StratusPath *path, const Endpoint *src,
                               const Endpoint *dst);

/* network.c: retires every cached path and class verdict and bumps the version. */
void network_retire_all (StratusNetwork *net);

/* network_nat.c: sets up the VPC's NAT gateways, each taking an address in its subnet. */
void network_nats_init (StratusNetwork *net);

/* network_nat.c: frees the NAT gateways' state. */
void network_nats_free (StratusNetwork *net);
