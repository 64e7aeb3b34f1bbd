/* The `pricing` section: the catalog the bill uses (the region's shipped one, or
 * `catalog: FILE`) and `prices` that override some of its prices. Without either and
 * without a shipped catalog for the region, the scenario has no prices and no bill. */
#include <string.h>

#include "section.h"
#include "stratus/cost.h"

/* `prices: {KEY: "0.09", ...}`: each a key of the catalog (with a suggestion otherwise),
 * each a price in USD. */
static bool
parse_prices (FieldCtx *ctx, const YNode *prices, StratusPricing *pricing)
{
  if (!field_expect_kind (ctx, prices, YNODE_MAP, "prices"))
    return false;
  const char **keys = stratus_pricing_keys (pricing);
  bool ok = true;
  for (guint i = 0; ok && i < ynode_length (prices); i++)
    {
      const YNode *k = ynode_map_key (prices, i), *v = ynode_item (prices, i);
      if (!stratus_pricing_has (pricing, k->value))
        {
          char *hint = field_hint (k->value, keys);
          ok = field_fail_at (ctx, k, "prices: '%s' is not a price of the %s catalog%s",
                              k->value, stratus_pricing_region (pricing), hint);
          g_free (hint);
          break;
        }
      StratusNanos price;
      if (!field_expect_kind (ctx, v, YNODE_SCALAR, k->value))
        ok = false;
      else if (!stratus_price_parse (v->value, &price))
        ok = field_fail_at (ctx, v, "%s: expected a price in USD such as 0.045 (at most 9 "
                            "decimals), found '%s'", k->value, v->value);
      else if (strcmp (k->value, "transfer.internet_out") == 0)
        ok = field_fail_at (ctx, k, "prices: transfer.internet_out is tiered: give a catalog "
                            "file to change its tiers");
      else
        stratus_pricing_override (pricing, k->value, price);
    }
  g_free (keys);
  return ok;
}

/* parse: s->pricing. */
static bool
section_parse (FieldCtx *ctx, const YNode *root, const YNode *value, StratusScenario *s)
{
  static const char *const keys[] = { "catalog", "prices", NULL };
  if (value != NULL
      && (!field_expect_kind (ctx, value, YNODE_MAP, "pricing")
          || !field_check_keys (ctx, value, keys, "pricing")))
    return false;
  const YNode *catalog = value != NULL ? ynode_map_get (value, "catalog") : NULL;
  const YNode *prices = value != NULL ? ynode_map_get (value, "prices") : NULL;
  GError *error = NULL;
  if (catalog != NULL)
    {
      if (!field_expect_kind (ctx, catalog, YNODE_SCALAR, "catalog"))
        return false;
      char *path = field_resolve_path (ctx, catalog->value);
      s->pricing = stratus_pricing_load_file (path, &error);
      g_free (path);
      if (s->pricing == NULL)
        return field_fail_wrapped (ctx, catalog, "catalog", error);
    }
  else
    {
      s->pricing = stratus_pricing_load_region (s->region, &error);
      if (s->pricing == NULL && prices != NULL)
        return field_fail_wrapped (ctx, field_key_node (value, "prices"), "prices", error);
      g_clear_error (&error); /* no catalog, no bill */
    }
  return prices == NULL || parse_prices (ctx, prices, s->pricing);
}

/* free: s->pricing. */
static void
section_free (StratusScenario *s)
{
  g_clear_pointer (&s->pricing, stratus_pricing_free);
}

/* The `pricing` row: after the region (its context). */
const ScenarioSection section_pricing = {
  .key = "pricing",
  .pass = SECTION_PASS_RESOURCES,
  .parse = section_parse,
  .free = section_free,
};
