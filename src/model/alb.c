/* Target selection. Each node keeps its own rotation and its own outstanding counts, as
 * ALB nodes do. */
#include "alb.h"

#include <string.h>

LoadBalancer *
alb_new (const StratusLoadBalancerConfig *config, GPtrArray *instances, const int *node_az,
         unsigned n_nodes)
{
  LoadBalancer *lb = g_new0 (LoadBalancer, 1);
  lb->config = config;
  lb->targets = g_new0 (Instance *, instances->len ? instances->len : 1);
  for (guint i = 0; i < instances->len; i++)
    {
      Instance *inst = g_ptr_array_index (instances, i);
      if (inst->fleet->target_group != NULL
          && strcmp (inst->fleet->target_group, config->target_group) == 0)
        lb->targets[lb->n_targets++] = inst;
    }
  lb->n_nodes = n_nodes;
  lb->nodes = g_new0 (AlbNode, n_nodes);
  for (unsigned n = 0; n < n_nodes; n++)
    {
      lb->nodes[n].az = node_az[n];
      lb->nodes[n].endpoint = -1;
      lb->nodes[n].to_target = g_new0 (const StratusPath *, lb->n_targets ? lb->n_targets : 1);
      lb->nodes[n].outstanding = g_new0 (uint32_t, lb->n_targets ? lb->n_targets : 1);
      /* Stagger the nodes' rotations so they do not all start on the same target. */
      lb->nodes[n].cursor = lb->n_targets ? (n * lb->n_targets) / n_nodes : 0;
    }
  return lb;
}

void
alb_free (LoadBalancer *lb)
{
  if (lb == NULL)
    return;
  for (unsigned n = 0; n < lb->n_nodes; n++)
    {
      g_free (lb->nodes[n].to_target);
      g_free (lb->nodes[n].outstanding);
    }
  g_free (lb->nodes);
  g_free (lb->targets);
  g_free (lb);
}

int
alb_pick (LoadBalancer *lb, unsigned node)
{
  unsigned n = lb->n_targets;
  if (n == 0)
    return -1;
  unsigned start = lb->nodes[node].cursor;
  lb->nodes[node].cursor = start + 1 == n ? 0 : start + 1;
  if (lb->config->algorithm == STRATUS_ALGORITHM_ROUND_ROBIN)
    return (int) start;
  /* Least outstanding requests, by this node's own counts; ties go to the first in this
   * node's rotation. */
  const uint32_t *outstanding = lb->nodes[node].outstanding;
  unsigned best = start;
  for (unsigned k = 1; k < n && outstanding[best] > 0; k++)
    {
      unsigned t = (start + k) % n;
      if (outstanding[t] < outstanding[best])
        best = t;
    }
  return (int) best;
}
