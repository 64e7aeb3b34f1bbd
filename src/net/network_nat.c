/* NAT gateways: their addresses, open connections (for port exhaustion) and bandwidth
 * (which grows with demand). */
#include "network_private.h"

#define NAT_MIN_BPS 5e9
#define NAT_MAX_BPS 100e9

void
network_nats_init (StratusNetwork *net)
{
  net->n_nats = (int) net->vpc->nat_gateways->len;
  net->nats = g_new0 (Nat, net->n_nats ? net->n_nats : 1);
  net->nat_bytes = g_malloc0 (sizeof *net->nat_bytes * (size_t) (net->n_nats ? net->n_nats : 1));
  for (int i = 0; i < net->n_nats; i++)
    {
      const StratusNatGatewayConfig *cfg = g_ptr_array_index (net->vpc->nat_gateways, (guint) i);
      Nat *nat = &net->nats[i];
      nat->n_addresses = (int) cfg->elastic_ips->len;
      int s = stratus_vpc_subnet_index (net->vpc, cfg->subnet);
      nat->az = s >= 0 ? network_subnet_at (net, s)->az_index : 0;
      nat->connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      nat->capacity_bps = NAT_MIN_BPS;
      /* The NAT gateway takes an address in its subnet, like any interface. */
      if (s >= 0)
        net->next_host[s]++;
    }
}

void
network_nats_free (StratusNetwork *net)
{
  for (int i = 0; i < net->n_nats; i++)
    g_hash_table_unref (net->nats[i].connections);
  g_free (net->nats);
  g_free (net->nat_bytes);
}

static gint64
connection_key (uint32_t address, uint16_t port, int protocol)
{
  return ((gint64) address << 24) | ((gint64) port << 8) | (protocol & 0xff);
}

bool
stratus_network_nat_open (StratusNetwork *net, int n, uint32_t address, uint16_t port, int protocol,
                          StratusDropReason *why)
{
  Nat *nat = &net->nats[n];
  gint64 key = connection_key (address, port, protocol);
  guint open = GPOINTER_TO_UINT (g_hash_table_lookup (nat->connections, &key));
  if (open >= (guint) STRATUS_NAT_CONNECTIONS_PER_ADDRESS * (guint) nat->n_addresses)
    {
      if (why)
        *why = STRATUS_DROP_NAT_PORT_EXHAUSTION;
      return false;
    }
  gint64 *k = g_new (gint64, 1);
  *k = key;
  g_hash_table_replace (nat->connections, k, GUINT_TO_POINTER (open + 1));
  return true;
}

void
stratus_network_nat_close (StratusNetwork *net, int n, uint32_t address, uint16_t port, int protocol)
{
  Nat *nat = &net->nats[n];
  gint64 key = connection_key (address, port, protocol);
  guint open = GPOINTER_TO_UINT (g_hash_table_lookup (nat->connections, &key));
  g_assert (open > 0);
  if (open == 1)
    g_hash_table_remove (nat->connections, &key);
  else
    {
      gint64 *k = g_new (gint64, 1);
      *k = key;
      g_hash_table_replace (nat->connections, k, GUINT_TO_POINTER (open - 1));
    }
}

uint32_t
stratus_network_nat_connections (const StratusNetwork *net, int n, uint32_t address, uint16_t port,
                                 int protocol)
{
  gint64 key = connection_key (address, port, protocol);
  return GPOINTER_TO_UINT (g_hash_table_lookup (net->nats[n].connections, &key));
}

bool
stratus_network_nat_transfer (StratusNetwork *net, int n, uint64_t bytes, StratusTime now)
{
  Nat *nat = &net->nats[n];
  int64_t window = now / STRATUS_SECOND;
  if (window != nat->window)
    {
      /* Demand near the capacity in the last busy second doubles it (up to 100 Gbps). */
      if (window == nat->window + 1 && (double) nat->window_demand * 8 > 0.9 * nat->capacity_bps)
        nat->capacity_bps = MIN (NAT_MAX_BPS, 2 * nat->capacity_bps);
      nat->window = window;
      nat->window_bytes = 0;
      nat->window_demand = 0;
    }
  nat->window_demand += bytes;
  if ((double) (nat->window_bytes + bytes) * 8 > nat->capacity_bps)
    return false;
  nat->window_bytes += bytes;
  return true;
}
