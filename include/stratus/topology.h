/* Where everything of a scenario stands, and what happens to a message between two of
 * its endpoints. The placement functions are pure functions of the scenario (instance i of
 * a fleet goes to the fleet's subnet i mod k, or to AZ i mod n without a vpc; a load
 * balancer has one node per subnet listed, or per AZ); the diagram draws from them. A
 * StratusTopology places endpoints in a network accordingly and answers for paths: a run
 * builds one per replication, `stratus validate` one for the check, with no engine, random
 * stream or collector. */
#pragma once

#include <stdbool.h>

#include "stratus/network.h"
#include "stratus/scenario.h"

/* Where one interface stands. */
typedef struct
{
  int subnet;     /* index in vpc->subnets; -1 without a vpc */
  int az;         /* index in scenario->azs */
  bool public_ip; /* has a public IPv4 address */
} StratusPlacement;

/* Where instance `ordinal` (0-based, in launch order) of `fleet` goes. */
StratusPlacement stratus_placement_instance (const StratusScenario *s,
                                             const StratusFleetConfig *fleet,
                                             unsigned ordinal);

/* The number of nodes of a load balancer, and where node `k` goes. */
unsigned stratus_placement_lb_node_count (const StratusScenario *s,
                                          const StratusLoadBalancerConfig *lb);
StratusPlacement stratus_placement_lb_node (const StratusScenario *s,
                                            const StratusLoadBalancerConfig *lb, unsigned k);

typedef struct StratusTopology StratusTopology;

/* The topology of `s` (borrowed; must outlive it): a network with the clients' endpoint,
 * every load-balancer node, every database member, and an endpoint per internet address
 * that outbound calls go to. Instances are placed by whoever launches them (stratus_topology_add_instance). Free
 * with stratus_topology_free. */
StratusTopology *stratus_topology_new (const StratusScenario *s);

void stratus_topology_free (StratusTopology *t);

/* The network (owned by the topology). */
StratusNetwork *stratus_topology_network (const StratusTopology *t);

/* The endpoint of the clients on the internet. */
int stratus_topology_client (const StratusTopology *t);

/* The endpoint of node `k` of load balancer `lb` (index in scenario->load_balancers). */
int stratus_topology_lb_node (const StratusTopology *t, unsigned lb, unsigned k);

/* The endpoint of member `k` of database `db` (index in scenario->databases): placed with
 * the topology, where the member's configuration says (its subnet, or its AZ without a
 * vpc), in the database's security groups, never public. */
int stratus_topology_db_member (const StratusTopology *t, unsigned db, unsigned k);

/* Places instance `ordinal` of fleet `fleet` (index in scenario->fleets) under `name`;
 * returns its endpoint and, if `where` is not NULL, its placement. */
int stratus_topology_add_instance (StratusTopology *t, unsigned fleet, unsigned ordinal,
                                   const char *name, StratusPlacement *where);

/* The endpoint of an outbound call's internet address (one per address), or -1 for a
 * call to a resource of the scenario. */
int stratus_topology_call_address (const StratusTopology *t,
                                   const StratusOutboundCallConfig *call);

/* The verdict of a message from `src` to `dst` (and its reply): see
 * stratus_network_verdict. Owned by the network; valid until the topology is freed, but
 * after a topology change (stratus_network_version moved) look it up again. */
const StratusPath *stratus_topology_path (StratusTopology *t, int src, int dst, int protocol,
                                          uint16_t port);

/* Where the network keeps its version (stratus_network_version), for holders of path
 * references that check it on every use; valid while the topology lives. */
const unsigned *stratus_topology_version (const StratusTopology *t);

/* A path looked up lazily and kept with the network version it was found at. */
typedef struct
{
  const StratusPath *path;
  unsigned version;
} StratusPathRef;

/* The path of `ref`, looked up again when it was never found or the network has changed
 * since (`version` from stratus_topology_version). */
static inline const StratusPath *
stratus_path_ref_get (StratusPathRef *ref, StratusTopology *t, const unsigned *version, int src,
                      int dst, int protocol, uint16_t port)
{
  if (ref->path == NULL || ref->version != *version)
    {
      ref->path = stratus_topology_path (t, src, dst, protocol, port);
      ref->version = *version;
    }
  return ref->path;
}
