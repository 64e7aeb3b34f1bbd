/* Cost: pricing catalogs (one per region, shipped as data files, each price with its date
 * and source) and the bill of a run, priced from the usage it simulated. Money is exact:
 * prices are integer nano-dollars per unit, amounts integer micro-dollars, each line item
 * rounded once (half up) from an exact product of integers. See docs/cost.md. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/results.h"
#include "stratus/scenario.h"

/* Money: millionths of a US dollar. */
typedef int64_t StratusMicros;

/* Prices: billionths of a US dollar per unit. */
typedef int64_t StratusNanos;

typedef struct StratusPricing StratusPricing;

/* "0.0225" -> 22500000 nano-dollars: a decimal with at most 9 decimals, 0 or more, at most
 * 1,000,000. False (and nothing written) otherwise. */
bool stratus_price_parse (const char *text, StratusNanos *out);

/* 12345678 micro-dollars -> "12.35" (rounded half up to the cent; "-0.01" style for
 * negatives). Caller frees. */
char *stratus_micros_format (StratusMicros amount);

/* The folder the shipped catalogs are read from: $STRATUS_PRICING_DIR when set, else the
 * source tree's data/pricing when it exists (a build that has not been installed), else
 * the installed one. */
const char *stratus_pricing_dir (void);

/* The shipped catalog of `region` ("us-east-1"), or NULL with an error naming the regions
 * that have one. Free with stratus_pricing_free. */
StratusPricing *stratus_pricing_load_region (const char *region, GError **error);

/* A catalog file (the format of data/pricing/REGION.yaml), or NULL with one error line
 * "file:line:column: message". */
StratusPricing *stratus_pricing_load_file (const char *path, GError **error);

void stratus_pricing_free (StratusPricing *pricing);

/* The catalog's region and where it was read from (borrowed). */
const char *stratus_pricing_region (const StratusPricing *pricing);
const char *stratus_pricing_origin (const StratusPricing *pricing);

/* True if the catalog prices `key` ("ec2.c5.large", "nat_gateway.data"). */
bool stratus_pricing_has (const StratusPricing *pricing, const char *key);

/* Replaces the price of `key` (which must be in the catalog, not a tiered one) by
 * `price`, marking its source "the scenario's pricing section". */
void stratus_pricing_override (StratusPricing *pricing, const char *key, StratusNanos price);

/* The keys, NULL-terminated (borrowed strings; free the array with g_free). */
const char **stratus_pricing_keys (const StratusPricing *pricing);

/* The catalog as text: one line per price with its unit, date and source. Caller frees. */
char *stratus_pricing_text (const StratusPricing *pricing);

/* ---- the bill --------------------------------------------------------------------- */

typedef enum
{
  STRATUS_COST_COMPUTE,
  STRATUS_COST_PUBLIC_IPV4,
  STRATUS_COST_NAT_HOURS,
  STRATUS_COST_NAT_DATA,
  STRATUS_COST_LOAD_BALANCER,
  STRATUS_COST_TRANSFER_CROSS_AZ,
  STRATUS_COST_TRANSFER_OUT,
  STRATUS_COST_DATABASE,
  STRATUS_COST_STORAGE,
  STRATUS_COST_SNAPSHOTS,
  STRATUS_N_COST_CATEGORIES
} StratusCostCategory;

/* "compute", "public_ipv4", "nat_hours", ... (static). */
const char *stratus_cost_category_name (StratusCostCategory category);

/* One line of a bill. */
typedef struct
{
  char *resource;               /* "web-3", "nat-a", "web-alb", "app-db", "data transfer" */
  StratusCostCategory category;
  char *usage;                  /* "1,802 s running (c5.large at 0.085/hour)" */
  StratusMicros amount;
} StratusCostItem;

typedef struct StratusBill
{
  StratusTime period;           /* the measured window the bill covers */
  GArray *items;                /* StratusCostItem, in the order billed; none of 0 */
  StratusMicros total;
  StratusMicros by_category[STRATUS_N_COST_CATEGORIES];
  char *missing;                /* the first price the catalog lacks (its items are left
                                 * out), or NULL */
} StratusBill;

/* The bill of run `r` of scenario `s` at `pricing`'s prices, for the run's window. Free
 * with stratus_bill_free. */
StratusBill *stratus_bill_compute (const StratusScenario *s, const StratusPricing *pricing,
                                   const StratusRunResult *r);

void stratus_bill_free (StratusBill *bill);

/* `amount` over `period` projected to a month of 730 hours (exact, rounded half up). */
StratusMicros stratus_micros_monthly (StratusMicros amount, StratusTime period);
