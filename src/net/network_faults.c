/* The network's faults: connectivity disruptions of subnets or AZs (all traffic, traffic
 * to other AZs, traffic to the internet), failed NAT gateways, and injected latency and
 * packet loss. The path walk (network_walk.c) asks here whether a path is cut and what a
 * delivered path suffers; every change retires the cached paths. */
#include "network_private.h"

static const char *const scope_names[STRATUS_N_DISRUPT_SCOPES] = { "all", "other_azs",
                                                                   "internet" };

const char *
stratus_disrupt_scope_name (StratusDisruptScope scope)
{
  return scope < STRATUS_N_DISRUPT_SCOPES ? scope_names[scope] : "?";
}

bool
network_subnet_cut (const StratusNetwork *net, int subnet, StratusDisruptScope scope)
{
  if (subnet < 0 || net->subnet_cuts == NULL)
    return false;
  int az = network_subnet_at (net, subnet)->az_index;
  return net->subnet_cuts[subnet][scope] > 0 || (az >= 0 && az < 64 && net->az_cuts[az][scope] > 0);
}

bool
network_cut (const StratusNetwork *net, const Endpoint *e, StratusDisruptScope scope)
{
  if (e->internet)
    return false;
  if (e->az >= 0 && e->az < 64 && net->az_cuts[e->az][scope] > 0)
    return true;
  return net->subnet_cuts != NULL && e->subnet >= 0 && net->subnet_cuts[e->subnet][scope] > 0;
}

void
stratus_network_disrupt (StratusNetwork *net, int subnet, int az, StratusDisruptScope scope,
                         bool on)
{
  g_assert (scope < STRATUS_N_DISRUPT_SCOPES);
  int *count;
  if (subnet >= 0)
    {
      g_assert (net->vpc != NULL && (guint) subnet < net->vpc->subnets->len);
      count = &net->subnet_cuts[subnet][scope];
    }
  else
    {
      g_assert (az >= 0 && az < 64);
      count = &net->az_cuts[az][scope];
    }
  if (!on && *count == 0)
    return;
  *count += on ? 1 : -1;
  network_retire_all (net);
}

void
stratus_network_set_nat_failed (StratusNetwork *net, int nat, bool failed)
{
  g_assert (net->vpc != NULL && nat >= 0 && (guint) nat < net->vpc->nat_gateways->len);
  if (!failed && net->nat_failed[nat] == 0)
    return;
  net->nat_failed[nat] += failed ? 1 : -1;
  network_retire_all (net);
}

void
stratus_network_inject (StratusNetwork *net, int subnet, int az_a, int az_b, StratusTime extra,
                        double loss, bool on)
{
  Injection inj = { subnet, subnet >= 0 ? -1 : az_a, subnet >= 0 ? -1 : az_b, extra, loss };
  if (on)
    g_array_append_val (net->injections, inj);
  else
    for (guint i = 0; i < net->injections->len; i++)
      {
        const Injection *x = &g_array_index (net->injections, Injection, i);
        if (x->subnet == inj.subnet && x->az_a == inj.az_a && x->az_b == inj.az_b
            && x->extra == inj.extra && x->loss == inj.loss)
          {
            g_array_remove_index (net->injections, i);
            break;
          }
      }
  network_retire_all (net);
}

/* True if injection `x` covers a path from `src` to `dst`. */
static bool
covers (const Injection *x, const Endpoint *src, const Endpoint *dst)
{
  if (x->subnet >= 0)
    return (!src->internet && src->subnet == x->subnet)
           || (!dst->internet && dst->subnet == x->subnet);
  if (src->internet || dst->internet)
    return false;
  return (src->az == x->az_a && dst->az == x->az_b) || (src->az == x->az_b && dst->az == x->az_a);
}

void
network_apply_injections (const StratusNetwork *net, StratusPath *path, const Endpoint *src,
                          const Endpoint *dst)
{
  double delivered = 1.0 - path->loss;
  for (guint i = 0; i < net->injections->len; i++)
    {
      const Injection *x = &g_array_index (net->injections, Injection, i);
      if (!covers (x, src, dst))
        continue;
      path->latency = stratus_time_add (path->latency, x->extra);
      delivered *= 1.0 - x->loss;
    }
  path->loss = 1.0 - delivered;
}
