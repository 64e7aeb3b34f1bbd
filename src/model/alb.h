/* An Application Load Balancer: one node per AZ, a target group of instances, and the
 * target-selection algorithm (round robin, least outstanding requests). Cross-zone load
 * balancing is on, as it always is for ALB: every node may pick any target. */
#pragma once

#include "instance.h"
#include "stratus/scenario.h"

typedef struct
{
  const StratusLoadBalancerConfig *config;
  Instance **targets; /* not owned */
  unsigned n_targets;
  unsigned n_nodes;  /* = number of AZs */
  unsigned *cursor;  /* per node: where its rotation stands */
} LoadBalancer;

/* A load balancer with nodes in `n_azs` AZs and every instance of `instances` (array of
 * Instance*) whose fleet is registered in its target group. Free with alb_free. */
LoadBalancer *alb_new (const StratusLoadBalancerConfig *config, unsigned n_azs,
                       GPtrArray *instances);

void alb_free (LoadBalancer *lb);

/* The target that node `node` sends the next request to, or NULL with no targets. */
Instance *alb_pick (LoadBalancer *lb, unsigned node);
