/* Pricing catalogs: data/pricing/REGION.yaml, read into exact prices (nano-dollars per
 * unit) with their units, dates and sources; a scenario's `pricing` section overrides
 * some. */
#include "stratus/cost.h"

#include <string.h>
#include <sys/stat.h>

/* The largest catalog file read: shipped ones are about 25 KB. */
#define CATALOG_BYTES_MAX (16 * 1024 * 1024)

#include "../scenario/yaml_tree.h"

/* One price of a catalog. */
typedef struct
{
  char *key, *per, *date, *source;
  StratusNanos price;      /* per unit; tiered prices: unused */
  GArray *tier_limits_gb;  /* tiered (per GB-month): uint64_t upper bounds, UINT64_MAX last */
  GArray *tier_prices;     /* StratusNanos per GB, one per limit */
} Price;

struct StratusPricing
{
  char *region;
  char *origin;            /* the file read */
  GArray *prices;          /* Price, in file order */
};

static void
price_clear (Price *p)
{
  g_free (p->key);
  g_free (p->per);
  g_free (p->date);
  g_free (p->source);
  if (p->tier_limits_gb != NULL)
    g_array_unref (p->tier_limits_gb);
  if (p->tier_prices != NULL)
    g_array_unref (p->tier_prices);
}

void
stratus_pricing_free (StratusPricing *pricing)
{
  if (pricing == NULL)
    return;
  for (guint i = 0; i < pricing->prices->len; i++)
    price_clear (&g_array_index (pricing->prices, Price, i));
  g_array_unref (pricing->prices);
  g_free (pricing->region);
  g_free (pricing->origin);
  g_free (pricing);
}

bool
stratus_price_parse (const char *text, StratusNanos *out)
{
  StratusNanos whole = 0, fraction = 0;
  int decimals = 0;
  const char *c = text;
  if (!g_ascii_isdigit (*c))
    return false;
  for (; g_ascii_isdigit (*c); c++)
    {
      whole = whole * 10 + (*c - '0');
      if (whole > 1000000)
        return false;
    }
  if (*c == '.')
    for (c++; g_ascii_isdigit (*c); c++)
      {
        if (++decimals > 9)
          return false;
        fraction = fraction * 10 + (*c - '0');
      }
  if (*c != '\0')
    return false;
  for (int d = decimals; d < 9; d++)
    fraction *= 10;
  *out = whole * 1000000000 + fraction;
  return true;
}

char *
stratus_micros_format (StratusMicros amount)
{
  bool negative = amount < 0;
  uint64_t m = negative ? (uint64_t) -(amount + 1) + 1 : (uint64_t) amount;
  uint64_t cents = (m + 5000) / 10000;
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", negative && cents ? "-" : "",
                          cents / 100, (unsigned) (cents % 100));
}

const char *
stratus_pricing_dir (void)
{
  const char *env = g_getenv ("STRATUS_PRICING_DIR");
  if (env != NULL && *env != '\0')
    return env;
  if (g_file_test (STRATUS_PRICING_SOURCE_DIR, G_FILE_TEST_IS_DIR))
    return STRATUS_PRICING_SOURCE_DIR;
  return STRATUS_PRICING_INSTALL_DIR;
}

/* Fails with "file:line:column: message" at `node`. */
static bool G_GNUC_PRINTF (4, 5)
fail_at (GError **error, const char *file, const YNode *node, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, STRATUS_SCENARIO_ERROR, 0, "%s:%d:%d: %s", file, node->line, node->column,
               message);
  g_free (message);
  return false;
}

/* The scalar `key` of map `map` (borrowed), or NULL with an error. */
static const char *
scalar (GError **error, const char *file, const YNode *map, const char *key)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      fail_at (error, file, map, "missing '%s'", key);
      return NULL;
    }
  if (v->kind != YNODE_SCALAR)
    {
      fail_at (error, file, v, "%s: expected a value", key);
      return NULL;
    }
  return v->value;
}

/* A price value `key` of `map` into *out. */
static bool
price_of (GError **error, const char *file, const YNode *map, const char *key, StratusNanos *out)
{
  const char *text = scalar (error, file, map, key);
  if (text == NULL)
    return false;
  if (!stratus_price_parse (text, out))
    return fail_at (error, file, ynode_map_get (map, key),
                    "%s: expected a price in USD such as \"0.045\" (at most 9 decimals), "
                    "found '%s'", key, text);
  return true;
}

/* The `tiers` list of `item` into `p`: ascending `up_to_gb` bounds, the last `unlimited`. */
static bool
parse_tiers (GError **error, const char *file, const YNode *tiers, Price *p)
{
  if (tiers->kind != YNODE_SEQ || ynode_length (tiers) == 0)
    return fail_at (error, file, tiers, "tiers: expected a list of {up_to_gb, usd}");
  p->tier_limits_gb = g_array_new (FALSE, FALSE, sizeof (uint64_t));
  p->tier_prices = g_array_new (FALSE, FALSE, sizeof (StratusNanos));
  uint64_t last = 0;
  for (guint i = 0; i < ynode_length (tiers); i++)
    {
      const YNode *t = ynode_item (tiers, i);
      if (t->kind != YNODE_MAP)
        return fail_at (error, file, t, "tiers: expected {up_to_gb, usd}");
      const char *up = scalar (error, file, t, "up_to_gb");
      StratusNanos price;
      if (up == NULL || !price_of (error, file, t, "usd", &price))
        return false;
      uint64_t limit = UINT64_MAX;
      bool unlimited = strcmp (up, "unlimited") == 0;
      if (!unlimited)
        {
          char *end = NULL;
          limit = g_ascii_strtoull (up, &end, 10);
          if (end == up || *end != '\0' || limit <= last)
            return fail_at (error, file, ynode_map_get (t, "up_to_gb"),
                            "up_to_gb: expected a whole number of GB above the tier before, "
                            "or 'unlimited', found '%s'", up);
        }
      if (unlimited != (i + 1 == ynode_length (tiers)))
        return fail_at (error, file, t, "tiers: the last tier, and only it, is 'unlimited'");
      last = limit;
      g_array_append_val (p->tier_limits_gb, limit);
      g_array_append_val (p->tier_prices, price);
    }
  return true;
}

/* One entry of `prices` into `p`. */
static bool
parse_price (GError **error, const char *file, const YNode *item, Price *p)
{
  if (item->kind != YNODE_MAP)
    return fail_at (error, file, item, "prices: expected {key, usd, per, date, source}");
  const char *key = scalar (error, file, item, "key"), *per = NULL, *date = NULL, *source = NULL;
  if (key == NULL || (per = scalar (error, file, item, "per")) == NULL
      || (date = scalar (error, file, item, "date")) == NULL
      || (source = scalar (error, file, item, "source")) == NULL)
    return false;
  p->key = g_strdup (key);
  p->per = g_strdup (per);
  p->date = g_strdup (date);
  p->source = g_strdup (source);
  const YNode *tiers = ynode_map_get (item, "tiers");
  if (tiers != NULL)
    return parse_tiers (error, file, tiers, p);
  return price_of (error, file, item, "usd", &p->price);
}

StratusPricing *
stratus_pricing_load_file (const char *path, GError **error)
{
  struct stat st;
  if (stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > CATALOG_BYTES_MAX)
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, 0, "%s:1:1: %s", path,
                   stat (path, &st) != 0  ? "cannot read the file: no such file"
                   : !S_ISREG (st.st_mode) ? "not a regular file"
                                           : "larger than 16 MiB: not a pricing catalog");
      return NULL;
    }
  YNode *root = ynode_load_file (path, error);
  if (root == NULL)
    return NULL;
  StratusPricing *pricing = g_new0 (StratusPricing, 1);
  pricing->origin = g_strdup (path);
  pricing->prices = g_array_new (FALSE, TRUE, sizeof (Price));
  bool ok = root->kind == YNODE_MAP || fail_at (error, path, root, "expected a mapping");
  const char *region = ok ? scalar (error, path, root, "region") : NULL;
  const YNode *prices = region != NULL ? ynode_map_get (root, "prices") : NULL;
  ok = region != NULL;
  if (ok && (prices == NULL || prices->kind != YNODE_SEQ))
    ok = fail_at (error, path, prices != NULL ? prices : root, "prices: expected a list");
  if (ok)
    pricing->region = g_strdup (region);
  for (guint i = 0; ok && i < ynode_length (prices); i++)
    {
      Price p = { 0 };
      ok = parse_price (error, path, ynode_item (prices, i), &p);
      if (ok && stratus_pricing_has (pricing, p.key))
        ok = fail_at (error, path, ynode_item (prices, i), "key '%s' is priced twice", p.key);
      if (ok)
        g_array_append_val (pricing->prices, p);
      else
        price_clear (&p);
    }
  ynode_free (root);
  if (!ok)
    {
      stratus_pricing_free (pricing);
      return NULL;
    }
  return pricing;
}

/* Orders strings (for g_ptr_array_sort). */
static gint
by_name (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

StratusPricing *
stratus_pricing_load_region (const char *region, GError **error)
{
  char *name = g_strdup_printf ("%s.yaml", region);
  char *path = g_build_filename (stratus_pricing_dir (), name, NULL);
  g_free (name);
  StratusPricing *pricing = NULL;
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    pricing = stratus_pricing_load_file (path, error);
  else
    {
      GString *have = g_string_new (NULL);
      GDir *dir = g_dir_open (stratus_pricing_dir (), 0, NULL);
      GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
      for (const char *f; dir != NULL && (f = g_dir_read_name (dir)) != NULL;)
        if (g_str_has_suffix (f, ".yaml"))
          g_ptr_array_add (names, g_strndup (f, strlen (f) - 5));
      g_ptr_array_sort (names, by_name);
      for (guint i = 0; i < names->len; i++)
        g_string_append_printf (have, "%s%s", i ? ", " : "", (char *) names->pdata[i]);
      g_set_error (error, STRATUS_SCENARIO_ERROR, 0,
                   "no pricing catalog for region %s (stratus ships: %s); give the scenario's "
                   "pricing.catalog", region, have->len ? have->str : "none found");
      g_ptr_array_unref (names);
      if (dir != NULL)
        g_dir_close (dir);
      g_string_free (have, TRUE);
    }
  g_free (path);
  return pricing;
}

/* The price of `key`, or NULL. */
static Price *
find (const StratusPricing *pricing, const char *key)
{
  for (guint i = 0; i < pricing->prices->len; i++)
    {
      Price *p = &g_array_index (pricing->prices, Price, i);
      if (strcmp (p->key, key) == 0)
        return p;
    }
  return NULL;
}

bool
stratus_pricing_has (const StratusPricing *pricing, const char *key)
{
  return find (pricing, key) != NULL;
}

/* The price of `key` per unit into *out; false when the catalog lacks it (or it is
 * tiered). For bill.c. */
bool pricing_get (const StratusPricing *pricing, const char *key, StratusNanos *out);

bool
pricing_get (const StratusPricing *pricing, const char *key, StratusNanos *out)
{
  const Price *p = find (pricing, key);
  if (p == NULL || p->tier_limits_gb != NULL)
    return false;
  *out = p->price;
  return true;
}

/* The tiers of `key` (borrowed arrays); false when it has none. For bill.c. */
bool pricing_tiers (const StratusPricing *pricing, const char *key, const GArray **limits_gb,
                    const GArray **prices);

bool
pricing_tiers (const StratusPricing *pricing, const char *key, const GArray **limits_gb,
               const GArray **prices)
{
  const Price *p = find (pricing, key);
  if (p == NULL || p->tier_limits_gb == NULL)
    return false;
  *limits_gb = p->tier_limits_gb;
  *prices = p->tier_prices;
  return true;
}

void
stratus_pricing_override (StratusPricing *pricing, const char *key, StratusNanos price)
{
  Price *p = find (pricing, key);
  g_return_if_fail (p != NULL && p->tier_limits_gb == NULL);
  p->price = price;
  g_free (p->source);
  p->source = g_strdup ("the scenario's pricing section");
}

const char *
stratus_pricing_region (const StratusPricing *pricing)
{
  return pricing->region;
}

const char *
stratus_pricing_origin (const StratusPricing *pricing)
{
  return pricing->origin;
}

const char **
stratus_pricing_keys (const StratusPricing *pricing)
{
  const char **keys = g_new0 (const char *, pricing->prices->len + 1);
  for (guint i = 0; i < pricing->prices->len; i++)
    keys[i] = g_array_index (pricing->prices, Price, i).key;
  return keys;
}

/* "0.0225" for a price in nano-dollars: every decimal it has, at least two. */
static char *
price_text (StratusNanos price)
{
  char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT, price / 1000000000,
                                price % 1000000000);
  size_t n = strlen (text);
  while (n > 0 && text[n - 1] == '0' && text[n - 3] != '.')
    text[--n] = '\0';
  return text;
}

char *
stratus_pricing_text (const StratusPricing *pricing)
{
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "Pricing catalog for %s (%s), USD\n", pricing->region,
                          pricing->origin);
  for (guint i = 0; i < pricing->prices->len; i++)
    {
      const Price *p = &g_array_index (pricing->prices, Price, i);
      if (p->tier_limits_gb == NULL)
        {
          char *price = price_text (p->price);
          g_string_append_printf (out, "  %-34s %10s per %-9s %s  %s\n", p->key, price, p->per,
                                  p->date, p->source);
          g_free (price);
          continue;
        }
      g_string_append_printf (out, "  %-34s %10s per %-9s %s  %s\n", p->key, "tiered", p->per,
                              p->date, p->source);
      for (guint t = 0; t < p->tier_limits_gb->len; t++)
        {
          uint64_t limit = g_array_index (p->tier_limits_gb, uint64_t, t);
          char *price = price_text (g_array_index (p->tier_prices, StratusNanos, t));
          char *bound = limit == UINT64_MAX ? g_strdup ("beyond")
                                            : g_strdup_printf ("up to %" G_GUINT64_FORMAT " GB",
                                                               limit);
          g_string_append_printf (out, "    %-32s %10s per GB\n", bound, price);
          g_free (bound);
          g_free (price);
        }
    }
  return g_string_free (out, FALSE);
}
