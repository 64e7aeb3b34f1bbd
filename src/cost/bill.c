/* The bill of a run: the usage the model measured over its window, priced line by line
 * with AWS's billing rules (docs/cost.md). Each amount is one exact product of integers
 * (nano-dollars per unit times nanoseconds or bytes) rounded once to micro-dollars. */
#include "stratus/cost.h"

#include <string.h>

#include "stratus/units.h"

#define HOUR_NS ((StratusTime) 3600 * STRATUS_SECOND)
#define MONTH_NS (730 * HOUR_NS)
#define GIB ((uint64_t) 1 << 30)

bool pricing_get (const StratusPricing *pricing, const char *key, StratusNanos *out);
bool pricing_tiers (const StratusPricing *pricing, const char *key, const GArray **limits_gb,
                    const GArray **prices);

static const char *const category_names[STRATUS_N_COST_CATEGORIES] = {
  "compute", "public_ipv4", "nat_hours", "nat_data", "load_balancer", "transfer_cross_az",
  "transfer_out", "database", "storage", "snapshots",
};

const char *
stratus_cost_category_name (StratusCostCategory category)
{
  return category < STRATUS_N_COST_CATEGORIES ? category_names[category] : "?";
}

/* a x b / c in micro-dollars from nano-dollar products, rounded half up: (a x b) / (c x
 * 1000). a, b >= 0, c > 0. */
static StratusMicros
muldiv (uint64_t a, uint64_t b, uint64_t c)
{
  unsigned __int128 num = (unsigned __int128) a * b;
  unsigned __int128 den = (unsigned __int128) c * 1000;
  return (StratusMicros) ((num + den / 2) / den);
}

StratusMicros
stratus_micros_monthly (StratusMicros amount, StratusTime period)
{
  if (period <= 0)
    return 0;
  __int128 num = (__int128) amount * MONTH_NS;
  return (StratusMicros) ((num + period / 2) / period);
}

typedef struct
{
  const StratusScenario *s;
  const StratusPricing *pricing;
  StratusBill *bill;
  StratusTime from, to; /* the window */
} Biller;

/* Adds a line (none for nothing); takes `resource` and `usage`. */
static void
add (Biller *b, StratusCostCategory category, char *resource, char *usage, StratusMicros amount)
{
  if (amount == 0)
    {
      g_free (resource);
      g_free (usage);
      return;
    }
  StratusCostItem item = { resource, category, usage, amount };
  g_array_append_val (b->bill->items, item);
  b->bill->total += amount;
  b->bill->by_category[category] += amount;
}

/* The price of `key`, or false (the bill notes the first one missing). */
static bool
price (Biller *b, const char *key, StratusNanos *out)
{
  if (pricing_get (b->pricing, key, out))
    return true;
  if (b->bill->missing == NULL)
    b->bill->missing = g_strdup (key);
  return false;
}

/* `per_hour` for `ns` of time, as a line of `category`. */
static void
add_hours (Biller *b, StratusCostCategory category, const char *key, char *resource,
           StratusTime ns, const char *what)
{
  StratusNanos p;
  if (!price (b, key, &p))
    {
      g_free (resource);
      return;
    }
  char *hours = g_strdup_printf ("%.4g", stratus_time_seconds (ns) / 3600.0);
  add (b, category, resource, g_strdup_printf ("%s h %s", hours, what),
       muldiv ((uint64_t) p, (uint64_t) ns, (uint64_t) HOUR_NS));
  g_free (hours);
}

/* `per_gb` for `bytes` (GB of 2^30 bytes), as a line of `category`. */
static void
add_gb (Biller *b, StratusCostCategory category, const char *key, char *resource, uint64_t bytes,
        const char *what)
{
  StratusNanos p;
  if (!price (b, key, &p))
    {
      g_free (resource);
      return;
    }
  add (b, category, resource, g_strdup_printf ("%.4g GB %s", (double) bytes / (double) GIB, what),
       muldiv ((uint64_t) p, bytes, GIB));
}

/* EC2: per second while running in the window, 60 s at least for a start within it; and
 * each instance's public IPv4 address while it runs. */
static void
bill_instances (Biller *b, const StratusRunResult *r)
{
  for (guint i = 0; r->instances != NULL && i < r->instances->len; i++)
    {
      const StratusInstanceResult *inst = &g_array_index (r->instances, StratusInstanceResult, i);
      if (inst->running == STRATUS_TIME_NEVER)
        continue;
      StratusTime start = MAX (inst->running, b->from), end = MIN (inst->terminated, b->to);
      if (end <= start)
        continue;
      StratusTime ns = end - start;
      if (inst->running >= b->from)
        ns = MAX (ns, 60 * STRATUS_SECOND);
      char *key = g_strdup_printf ("ec2.%s", inst->type);
      char *what = g_strdup_printf ("running (%s)", inst->type);
      add_hours (b, STRATUS_COST_COMPUTE, key, g_strdup (inst->name), ns, what);
      g_free (what);
      g_free (key);
      if (inst->public_ip)
        add_hours (b, STRATUS_COST_PUBLIC_IPV4, "public_ipv4", g_strdup (inst->name),
                   end - start, "of a public IPv4 address");
    }
}

/* Load balancers: per hour, plus LCU-hours; an internet-facing one's nodes each have a
 * public IPv4 address. */
static void
bill_load_balancers (Biller *b, const StratusRunResult *r)
{
  const StratusScenario *s = b->s;
  StratusTime window = b->to - b->from;
  for (guint i = 0; i < s->load_balancers->len; i++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      add_hours (b, STRATUS_COST_LOAD_BALANCER, "alb", g_strdup (lb->name), window,
                 "of the load balancer");
      const StratusLbUsage *u = r->lb_usage != NULL && i < r->lb_usage->len
                                  ? &g_array_index (r->lb_usage, StratusLbUsage, i) : NULL;
      StratusNanos p;
      if (u != NULL && price (b, "alb.lcu", &p))
        add (b, STRATUS_COST_LOAD_BALANCER, g_strdup (lb->name),
             g_strdup_printf ("%.4g LCU-hours (%" G_GUINT64_FORMAT " new connections, %.4g GB)",
                              (double) u->micro_lcu_hours / 1e6, u->connections,
                              (double) u->bytes / (double) GIB),
             muldiv ((uint64_t) p, u->micro_lcu_hours, 1000000));
      if (lb->internal)
        continue;
      guint nodes = lb->subnets != NULL && lb->subnets->len > 0 ? lb->subnets->len : s->azs->len;
      char *what = g_strdup_printf ("of %u public IPv4 addresses (one per node)", nodes);
      add_hours (b, STRATUS_COST_PUBLIC_IPV4, "public_ipv4", g_strdup (lb->name),
                 window * (StratusTime) nodes, what);
      g_free (what);
    }
}

/* True if elastic IP `name` belongs to a NAT gateway of `vpc`. */
static bool
eip_in_use (const StratusVpcConfig *vpc, const char *name)
{
  for (guint i = 0; i < vpc->nat_gateways->len; i++)
    {
      const StratusNatGatewayConfig *nat = g_ptr_array_index (vpc->nat_gateways, i);
      for (guint k = 0; k < nat->elastic_ips->len; k++)
        if (strcmp (g_ptr_array_index (nat->elastic_ips, k), name) == 0)
          return true;
    }
  return false;
}

/* NAT gateways: per hour and per GB processed, and their Elastic IPs (idle ones too). */
static void
bill_nat_gateways (Biller *b, const StratusRunResult *r)
{
  const StratusVpcConfig *vpc = b->s->vpc;
  StratusTime window = b->to - b->from;
  if (vpc == NULL)
    return;
  for (guint i = 0; i < vpc->nat_gateways->len; i++)
    {
      const StratusNatGatewayConfig *nat = g_ptr_array_index (vpc->nat_gateways, i);
      add_hours (b, STRATUS_COST_NAT_HOURS, "nat_gateway", g_strdup (nat->name), window,
                 "of the NAT gateway");
      uint64_t processed = 0;
      for (guint k = 0; r->network_bytes != NULL && k < r->network_bytes->len; k++)
        {
          const StratusResourceBytes *rb = &g_array_index (r->network_bytes, StratusResourceBytes, k);
          if (rb->kind == STRATUS_RESOURCE_NAT && rb->index == (int) i)
            processed += rb->bytes[STRATUS_BYTES_NAT];
        }
      add_gb (b, STRATUS_COST_NAT_DATA, "nat_gateway.data", g_strdup (nat->name), processed,
              "processed");
      char *what = g_strdup_printf ("of %u Elastic IP addresses", nat->elastic_ips->len);
      add_hours (b, STRATUS_COST_PUBLIC_IPV4, "public_ipv4", g_strdup (nat->name),
                 window * (StratusTime) nat->elastic_ips->len, what);
      g_free (what);
    }
  for (guint i = 0; i < vpc->elastic_ips->len; i++)
    {
      const char *eip = g_ptr_array_index (vpc->elastic_ips, i);
      if (!eip_in_use (vpc, eip))
        add_hours (b, STRATUS_COST_PUBLIC_IPV4, "public_ipv4", g_strdup (eip), window,
                   "of an idle Elastic IP address");
    }
}

/* Data transfer: between AZs, each direction (a load balancer's traffic with its targets
 * is free); to the internet by the month's tiers, projected to a month and back. */
static void
bill_transfer (Biller *b, const StratusRunResult *r)
{
  uint64_t cross = 0, out = 0;
  for (guint k = 0; r->network_bytes != NULL && k < r->network_bytes->len; k++)
    {
      const StratusResourceBytes *rb = &g_array_index (r->network_bytes, StratusResourceBytes, k);
      if (rb->kind != STRATUS_RESOURCE_LB_NODE)
        cross += rb->bytes[STRATUS_BYTES_CROSS_AZ];
      out += rb->bytes[STRATUS_BYTES_INTERNET_OUT];
    }
  add_gb (b, STRATUS_COST_TRANSFER_CROSS_AZ, "transfer.cross_az", g_strdup ("data transfer"),
          cross, "between AZs (both directions)");
  const GArray *limits, *prices;
  if (!pricing_tiers (b->pricing, "transfer.internet_out", &limits, &prices))
    {
      if (b->bill->missing == NULL)
        b->bill->missing = g_strdup ("transfer.internet_out");
      return;
    }
  StratusTime window = b->to - b->from;
  if (window <= 0)
    return;
  /* The month's bytes at this rate, priced tier by tier (nano-dollars x bytes / GiB). */
  uint64_t month = (uint64_t) (((unsigned __int128) out * MONTH_NS + window / 2) / window);
  unsigned __int128 month_cost = 0; /* nano-dollars x bytes / GiB, not yet divided */
  uint64_t below = 0;
  for (guint t = 0; t < limits->len && month > below; t++)
    {
      uint64_t limit_gb = g_array_index (limits, uint64_t, t);
      uint64_t top = limit_gb == UINT64_MAX || limit_gb > UINT64_MAX / GIB ? UINT64_MAX
                                                                             : limit_gb * GIB;
      uint64_t in_tier = MIN (month, top) - below;
      month_cost += (unsigned __int128) (uint64_t) g_array_index (prices, StratusNanos, t) * in_tier;
      below = top;
    }
  /* Back to the window: x window / month, then / GiB / 1000 to micro-dollars. */
  unsigned __int128 den = (unsigned __int128) GIB * 1000 * (uint64_t) MONTH_NS;
  unsigned __int128 num = month_cost * (uint64_t) window;
  StratusMicros amount = (StratusMicros) ((num + den / 2) / den);
  add (b, STRATUS_COST_TRANSFER_OUT, g_strdup ("data transfer"),
       g_strdup_printf ("%.4g GB to the internet (%.4g GB a month, by tier)",
                        (double) out / (double) GIB, (double) month / (double) GIB),
       amount);
}

/* Databases: instances per hour (at least 10 minutes), a Multi-AZ pair or cluster at its
 * own rate, read replicas and Aurora members each at theirs; storage per GB-month (one
 * copy per billed instance but Aurora's shared volume); backup storage beyond the free
 * amount (the database's size). */
static void
bill_databases (Biller *b, const StratusRunResult *r)
{
  StratusTime window = b->to - b->from;
  StratusTime billed = MAX (window, 10 * STRATUS_MINUTE);
  for (guint d = 0; r->databases != NULL && d < r->databases->len; d++)
    {
      const StratusDatabaseResult *db = &g_array_index (r->databases, StratusDatabaseResult, d);
      const char *engine = stratus_db_engine_name (db->engine);
      bool aurora = db->deployment == STRATUS_DB_AURORA;
      const char *suffix = db->deployment == STRATUS_DB_MULTI_AZ_INSTANCE  ? ".multi_az"
                           : db->deployment == STRATUS_DB_MULTI_AZ_CLUSTER ? ".multi_az_cluster"
                                                                           : "";
      unsigned copies = 0;
      for (guint m = 0; m < db->members->len; m++)
        {
          const StratusDbMemberResult *mr = &g_array_index (db->members, StratusDbMemberResult, m);
          bool own_rate = aurora || mr->role_start == STRATUS_DB_ROLE_REPLICA;
          bool pair_head = mr->role_start == STRATUS_DB_ROLE_WRITER;
          if (!own_rate && !pair_head)
            continue; /* a standby: in the writer's Multi-AZ rate */
          char *key = g_strdup_printf ("rds.%s.%s%s", engine, db->instance_class,
                                       own_rate && !pair_head ? "" : suffix);
          char *what = g_strdup_printf ("%s (%s%s)", db->instance_class, engine,
                                        !own_rate || pair_head ? suffix : "");
          add_hours (b, STRATUS_COST_DATABASE, key, g_strdup (mr->name), billed, what);
          g_free (what);
          g_free (key);
          copies += pair_head ? (db->deployment == STRATUS_DB_MULTI_AZ_INSTANCE  ? 2
                                 : db->deployment == STRATUS_DB_MULTI_AZ_CLUSTER ? 3
                                                                                  : 1)
                              : 1;
        }
      /* Storage: GB-months over the window (Aurora: its one cluster volume). */
      StratusNanos p;
      const char *storage_key = aurora ? "rds.aurora_storage" : "rds.storage";
      if (aurora)
        copies = 1;
      if (price (b, storage_key, &p))
        {
          unsigned __int128 num = (unsigned __int128) (uint64_t) p * db->storage_bytes * copies
                                  * (uint64_t) window;
          unsigned __int128 den = (unsigned __int128) GIB * 1000 * (uint64_t) MONTH_NS;
          add (b, STRATUS_COST_STORAGE, g_strdup (db->name),
               g_strdup_printf ("%.4g GB x %u for %.4g months", (double) db->storage_bytes / GIB,
                                copies, (double) window / (double) MONTH_NS),
               (StratusMicros) ((num + den / 2) / den));
        }
      /* Backups: snapshot GB-hours beyond one database size, scaled to the window. */
      double run_hours = stratus_time_seconds (b->to) / 3600.0;
      double window_hours = stratus_time_seconds (window) / 3600.0;
      double snap = run_hours > 0 ? db->snapshot_gib_hours * window_hours / run_hours : 0;
      double free_gib_hours = (double) db->storage_bytes / GIB * window_hours;
      double over = snap > free_gib_hours ? snap - free_gib_hours : 0;
      if (over > 0 && price (b, "rds.backup", &p))
        {
          /* GB-hours to the nearest millionth, then exact. */
          uint64_t micro_gib_hours = (uint64_t) (over * 1e6 + 0.5);
          add (b, STRATUS_COST_SNAPSHOTS, g_strdup (db->name),
               g_strdup_printf ("%.4g GB-months of snapshots beyond the free amount", over / 730),
               muldiv ((uint64_t) p, micro_gib_hours, (uint64_t) 730 * 1000000));
        }
    }
}

StratusBill *
stratus_bill_compute (const StratusScenario *s, const StratusPricing *pricing,
                      const StratusRunResult *r)
{
  StratusBill *bill = g_new0 (StratusBill, 1);
  bill->items = g_array_new (FALSE, TRUE, sizeof (StratusCostItem));
  Biller b = { s, pricing, bill, s->warmup, s->duration };
  bill->period = s->duration - s->warmup;
  bill_instances (&b, r);
  bill_load_balancers (&b, r);
  bill_nat_gateways (&b, r);
  bill_transfer (&b, r);
  bill_databases (&b, r);
  return bill;
}

void
stratus_bill_free (StratusBill *bill)
{
  if (bill == NULL)
    return;
  for (guint i = 0; i < bill->items->len; i++)
    {
      StratusCostItem *item = &g_array_index (bill->items, StratusCostItem, i);
      g_free (item->resource);
      g_free (item->usage);
    }
  g_array_unref (bill->items);
  g_free (bill->missing);
  g_free (bill);
}
