/* An Application Load Balancer: one node per subnet (per AZ without a vpc), a target
 * group of instances, and the target-selection algorithm (round robin, least outstanding
 * requests). Cross-zone load balancing is on, as it always is for ALB: every node may
 * pick any target. The world fills in the nodes' network endpoints and paths. */
#pragma once

#include "instance.h"
#include "stratus/network.h"
#include "stratus/scenario.h"

typedef struct
{
  int az;
  int endpoint;                  /* in the world's network */
  const StratusPath *ingress;    /* clients on the internet -> this node */
  const StratusPath **to_target; /* this node -> each target (and the replies) */
  unsigned cursor;               /* where this node's rotation stands */
  uint32_t *outstanding;         /* per target: requests this node sent, answer not yet back */
} AlbNode;

typedef struct
{
  const StratusLoadBalancerConfig *config;
  Instance **targets; /* not owned */
  unsigned n_targets;
  AlbNode *nodes;
  unsigned n_nodes;
} LoadBalancer;

/* A load balancer with nodes in the AZs `node_az` (n_nodes of them) and every instance of
 * `instances` (Instance*) whose fleet is registered in its target group. Free with
 * alb_free. */
LoadBalancer *alb_new (const StratusLoadBalancerConfig *config, GPtrArray *instances,
                       const int *node_az, unsigned n_nodes);

void alb_free (LoadBalancer *lb);

/* The index (in lb->targets) of the target that node `node` sends the next request to, or
 * -1 with no targets. Least outstanding requests looks at this node's own counts only, as
 * a real ALB node does: it knows nothing of what the other nodes sent. */
int alb_pick (LoadBalancer *lb, unsigned node);

/* Node `node` sent a request to target `t` / received its answer (or gave up on it). */
static inline void
alb_sent (LoadBalancer *lb, unsigned node, unsigned t)
{
  lb->nodes[node].outstanding[t]++;
}

static inline void
alb_answered (LoadBalancer *lb, unsigned node, unsigned t)
{
  lb->nodes[node].outstanding[t]--;
}
