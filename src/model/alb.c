/* Target selection. Each node keeps its own rotation, as ALB nodes do. */
#include "alb.h"

#include <string.h>

LoadBalancer *
alb_new (const StratusLoadBalancerConfig *config, unsigned n_azs, GPtrArray *instances)
{
  LoadBalancer *lb = g_new0 (LoadBalancer, 1);
  lb->config = config;
  lb->n_nodes = n_azs;
  lb->cursor = g_new0 (unsigned, n_azs);
  lb->targets = g_new0 (Instance *, instances->len ? instances->len : 1);
  for (guint i = 0; i < instances->len; i++)
    {
      Instance *inst = g_ptr_array_index (instances, i);
      if (inst->fleet->target_group != NULL
          && strcmp (inst->fleet->target_group, config->target_group) == 0)
        lb->targets[lb->n_targets++] = inst;
    }
  /* Stagger the nodes' rotations so they do not all start on the same target. */
  for (unsigned n = 0; n < n_azs && lb->n_targets > 0; n++)
    lb->cursor[n] = (n * lb->n_targets) / n_azs;
  return lb;
}

void
alb_free (LoadBalancer *lb)
{
  if (lb == NULL)
    return;
  g_free (lb->targets);
  g_free (lb->cursor);
  g_free (lb);
}

Instance *
alb_pick (LoadBalancer *lb, unsigned node)
{
  unsigned n = lb->n_targets;
  if (n == 0)
    return NULL;
  unsigned start = lb->cursor[node];
  lb->cursor[node] = start + 1 == n ? 0 : start + 1;
  if (lb->config->algorithm == STRATUS_ALGORITHM_ROUND_ROBIN)
    return lb->targets[start];
  /* Least outstanding requests; ties go to the first in this node's rotation. */
  Instance *best = lb->targets[start];
  for (unsigned k = 1; k < n && best->outstanding > 0; k++)
    {
      Instance *t = lb->targets[(start + k) % n];
      if (t->outstanding < best->outstanding)
        best = t;
    }
  return best;
}
