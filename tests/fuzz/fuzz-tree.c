/* Value-level mutations that keep valid YAML, for the scenario fuzzer: the text is parsed
 * into a YNode tree, a few values are changed by what they look like (a duration, a rate, a
 * size, a count, a distribution, a CIDR, a name...), and the tree is written back. */
#include "fuzz-common.h"

#include <string.h>

#include "scenario/yaml_tree.h"

static size_t
pick (GRand *rand, size_t n)
{
  return n == 0 ? 0 : (size_t) g_rand_int_range (rand, 0, (gint32) n);
}

#define PICK(rand, array) ((array)[pick ((rand), G_N_ELEMENTS (array))])

static const char *const durations[] = {
  "0s", "0ms", "1ns", "100ns", "1us", "1ms", "10ms", "250ms", "1s", "3s", "1m", "1h", "1d",
  "36525d", "36526d", "106000d", "-1s", "-0s", "1e-9s", "1e-12s", "1e308d", "nans", "infs",
  "0.5ns", "1.5ns", "9223372036854775807ns", "9223372036854775808ns", "2562047h", "1y",
  "1", "ms", "10", "10 ms", "1e3ms",
};

static const char *const rates[] = {
  "0/s", "1e-12/s", "1e-300/s", "1/d", "1/s", "10/s", "200/s", "1k/s", "12k/min", "100k/s",
  "1e6/s", "10M/s", "1e7/s", "1.0000001e7/s", "1e8/s", "1G/s", "-1/s", "nan/s", "inf/s", "1/ns",
  "1/0s", "5", "1/us", "60/min", "3600/h",
};

static const char *const sizes[] = {
  "0B", "1B", "1KB", "1KiB", "16KiB", "1MB", "1GiB", "1TB", "1TiB", "1.1TB", "1PB", "1e18B",
  "18446744073709551615B", "18446744073709551616B", "-1B", "0.5B", "nanB", "1", "1e3",
};

static const char *const counts[] = {
  "0", "1", "2", "3", "7", "64", "1000", "10000", "65535", "65536", "100000", "100001", "-1",
  "2147483648", "4294967296", "1e18", "1.5", "0x10", "unlimited", "nan",
};

static const char *const params[] = {
  "0", "-1", "1e-200", "1e-12", "1e-6", "0.001", "0.05", "0.049", "0.005", "0.5", "1", "1.5",
  "2", "3", "1000", "1001", "1e6", "1e12", "1e200", "1e308", "nan", "inf", "-inf",
};

static const char *const dists[] = {
  "constant", "exponential", "uniform", "normal", "lognormal", "gamma", "weibull", "pareto",
  "empirical", "poisson", "",
};

static const char *const shapes[] = { "constant", "steps", "diurnal", "spike", "replay", "saw" };

static const char *const cidrs[] = {
  "0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.0.0/28", "10.0.0.0/30",
  "10.0.0.0/31", "10.0.0.0/32", "10.0.0.0/33", "10.0.0.1/24", "10.1.0.0/16", "192.168.0.0/16",
  "172.16.0.0/12", "255.255.255.255/32", "10.0.0.0", "10.0.0.0/-1", "300.0.0.0/8",
};

static const char *const addresses[] = {
  "0.0.0.0", "127.0.0.1", "255.255.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
  "169.254.169.254", "10.0.0.5", "8.8.8.8", "1.2.3", "api.example.com",
};

static const char *const names[] = { "x", "web", "lb", "q", "s", "w", "igw", "nat-a",
                                     "public", "us-east-1a", "us-east-1z", "" };

static const char *const booleans[] = { "true", "false", "yes", "no", "1", "0" };

/* ---- what a value looks like -------------------------------------------------------- */

typedef struct
{
  YNode *parent; /* the map or list holding it */
  guint index;
  const char *key; /* the map key above it (for list items, the list's key) */
} Slot;

/* Adds every scalar value under `node` (not keys) to `slots`, and every map key to `keys`. */
static void
collect (YNode *node, const char *key, GArray *slots, GPtrArray *keys)
{
  for (guint i = 0; i < ynode_length (node); i++)
    {
      const char *k = node->kind == YNODE_MAP ? ynode_map_key (node, i)->value : key;
      if (node->kind == YNODE_MAP)
        g_ptr_array_add (keys, (char *) k);
      YNode *child = ynode_item (node, i);
      if (child->kind == YNODE_SCALAR)
        {
          Slot slot = { node, i, k };
          g_array_append_val (slots, slot);
        }
      else
        collect (child, k, slots, keys);
    }
}

static bool
key_is (const char *key, const char *const *list)
{
  for (; *list != NULL; list++)
    if (strcmp (key, *list) == 0)
      return true;
  return false;
}

/* True if `value` is digits with dots ending in "/N" (a CIDR) or four dotted numbers. */
static bool
looks_like_address (const char *value)
{
  int dots = 0;
  for (const char *p = value; *p != '\0'; p++)
    if (*p == '.')
      dots++;
    else if (!g_ascii_isdigit (*p) && *p != '/')
      return false;
  return dots == 3;
}

/* A new value for a scalar under `key` holding `value`, by what it looks like. */
static const char *
new_value (GRand *rand, const char *key, const char *value, GPtrArray *keys)
{
  static const char *const count_keys[]
    = { "count", "workers", "queue_limit", "per_request", "port", "ports", "seed",
        "max_connections", "rule", "number", NULL };
  static const char *const duration_keys[]
    = { "duration", "warmup", "timeout", "interval", "mean", "service_time", "processing_time",
        "same_az", "cross_az", "internet", "period", "peak_at", "at", "for", "step", "latency",
        "min", "max", NULL };
  static const char *const param_keys[] = { "cv", "shape", "scale", NULL };
  static const char *const name_keys[]
    = { "target_group", "entry", "subnet", "subnets", "route_table", "target", "az", "azs",
        "source", "security_groups", "internet_gateway", "region", "name", NULL };
  if (pick (rand, 8) == 0) /* now and then, anything anywhere */
    {
      const char *const *lists[] = { durations, rates, sizes, counts, params, cidrs, names };
      size_t lens[] = { G_N_ELEMENTS (durations), G_N_ELEMENTS (rates), G_N_ELEMENTS (sizes),
                        G_N_ELEMENTS (counts), G_N_ELEMENTS (params), G_N_ELEMENTS (cidrs),
                        G_N_ELEMENTS (names) };
      size_t which = pick (rand, G_N_ELEMENTS (lists));
      return lists[which][pick (rand, lens[which])];
    }
  if (strcmp (key, "dist") == 0)
    return PICK (rand, dists);
  if (strcmp (key, "algorithm") == 0)
    return g_rand_boolean (rand) ? "round_robin" : "least_outstanding_requests";
  if (strcmp (key, "shape") == 0 && !g_ascii_isdigit (value[0]))
    return PICK (rand, shapes);
  if (strstr (key, "rate") != NULL || strstr (value, "/s") != NULL || strstr (value, "/min"))
    return PICK (rand, rates);
  if (strstr (key, "size") != NULL || g_str_has_suffix (value, "B"))
    return PICK (rand, sizes);
  if (strcmp (key, "cidr") == 0 || strcmp (key, "destination") == 0 || looks_like_address (value))
    return strchr (value, '/') != NULL || pick (rand, 2) == 0 ? PICK (rand, cidrs)
                                                               : PICK (rand, addresses);
  if (key_is (key, param_keys))
    return PICK (rand, params);
  if (key_is (key, count_keys))
    return PICK (rand, counts);
  if (key_is (key, duration_keys))
    return PICK (rand, durations);
  if (strcmp (value, "true") == 0 || strcmp (value, "false") == 0)
    return PICK (rand, booleans);
  if (key_is (key, name_keys) || pick (rand, 2) == 0)
    return keys->len > 0 && pick (rand, 4) != 0 ? g_ptr_array_index (keys, pick (rand, keys->len))
                                                : PICK (rand, names);
  return PICK (rand, durations);
}

/* ---- structural changes ------------------------------------------------------------- */

/* Removes entry `i` of a map or list. */
static void
remove_entry (YNode *node, guint i)
{
  if (node->kind == YNODE_MAP)
    ynode_free (g_ptr_array_steal_index (node->keys, i));
  ynode_free (g_ptr_array_steal_index (node->items, i));
}

/* A deep copy of `node`. Caller frees with ynode_free. */
static YNode *
copy_node (const YNode *node)
{
  YNode *copy = g_new0 (YNode, 1);
  *copy = *node;
  copy->value = g_strdup (node->value);
  copy->tag = g_strdup (node->tag);
  copy->keys = copy->items = NULL;
  if (node->kind == YNODE_MAP)
    {
      copy->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) ynode_free);
      for (guint i = 0; i < node->keys->len; i++)
        g_ptr_array_add (copy->keys, copy_node (ynode_map_key (node, i)));
    }
  if (node->kind != YNODE_SCALAR)
    {
      copy->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ynode_free);
      for (guint i = 0; i < node->items->len; i++)
        g_ptr_array_add (copy->items, copy_node (ynode_item (node, i)));
    }
  return copy;
}

/* Drops an entry of a second-level map (a fleet's key, a whole workload...), or copies a
 * named component under a new name. */
static void
mutate_structure (GRand *rand, YNode *root)
{
  if (ynode_length (root) == 0)
    return;
  YNode *section = ynode_item (root, (guint) pick (rand, ynode_length (root)));
  if (section->kind != YNODE_MAP || ynode_length (section) == 0)
    {
      remove_entry (root, (guint) pick (rand, ynode_length (root)));
      return;
    }
  guint i = (guint) pick (rand, ynode_length (section));
  YNode *entry = ynode_item (section, i);
  if (g_rand_boolean (rand) && entry->kind == YNODE_MAP && ynode_length (entry) > 0)
    remove_entry (entry, (guint) pick (rand, ynode_length (entry)));
  else if (g_rand_boolean (rand))
    remove_entry (section, i);
  else
    {
      YNode *key = copy_node (ynode_map_key (section, i));
      char *name = g_strdup_printf ("%s-copy%u", key->value, section->keys->len);
      g_free (key->value);
      key->value = name;
      g_ptr_array_add (section->keys, key);
      g_ptr_array_add (section->items, copy_node (entry));
    }
}

/* ---- writing the tree back ---------------------------------------------------------- */

/* True if `s` can be written as a plain scalar in block and flow context alike. */
static bool
plain_safe (const char *s)
{
  size_t len = strlen (s);
  if (len == 0 || s[len - 1] == ' ' || (s[0] == '-' && (s[1] == '\0' || s[1] == ' ')))
    return false;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_./+-@", *p) == NULL && (*p != ' ' || p == s))
      return false;
  return true;
}

static void
emit_scalar (GString *out, const YNode *n)
{
  if (!n->quoted && ynode_is_null (n))
    g_string_append (out, "~");
  else if (!n->quoted && plain_safe (n->value))
    g_string_append (out, n->value);
  else
    {
      g_string_append_c (out, '"');
      for (const unsigned char *p = (const unsigned char *) n->value; *p != '\0'; p++)
        if (*p == '"' || *p == '\\')
          g_string_append_printf (out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
          g_string_append_printf (out, "\\x%02x", *p);
        else
          g_string_append_c (out, (char) *p);
      g_string_append_c (out, '"');
    }
}

/* Any node in flow style: scalars, [a, b], {k: v}. */
static void
emit_flow (GString *out, const YNode *n)
{
  if (n->kind == YNODE_SCALAR)
    {
      emit_scalar (out, n);
      return;
    }
  g_string_append_c (out, n->kind == YNODE_MAP ? '{' : '[');
  for (guint i = 0; i < ynode_length (n); i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      if (n->kind == YNODE_MAP)
        {
          emit_scalar (out, ynode_map_key (n, i));
          g_string_append (out, ": ");
        }
      emit_flow (out, ynode_item (n, i));
    }
  g_string_append_c (out, n->kind == YNODE_MAP ? '}' : ']');
}

/* A map in block style at `indent`; nested non-empty maps in block style, the rest in flow. */
static void
emit_block (GString *out, const YNode *map, int indent)
{
  for (guint i = 0; i < ynode_length (map); i++)
    {
      const YNode *value = ynode_item (map, i);
      g_string_append_printf (out, "%*s", indent, "");
      emit_scalar (out, ynode_map_key (map, i));
      g_string_append_c (out, ':');
      if (value->kind == YNODE_MAP && ynode_length (value) > 0)
        {
          g_string_append_c (out, '\n');
          emit_block (out, value, indent + 2);
        }
      else
        {
          g_string_append_c (out, ' ');
          emit_flow (out, value);
          g_string_append_c (out, '\n');
        }
    }
}

char *
fuzz_mutate_tree (GRand *rand, const char *text)
{
  YNode *root = ynode_load_string (text, -1, "fuzz.yaml", 0, 0, NULL);
  if (root == NULL || root->kind != YNODE_MAP)
    {
      if (root != NULL)
        ynode_free (root);
      return NULL;
    }
  size_t n = 1 + pick (rand, 3);
  for (size_t m = 0; m < n; m++)
    {
      GArray *slots = g_array_new (FALSE, FALSE, sizeof (Slot));
      GPtrArray *keys = g_ptr_array_new ();
      collect (root, "", slots, keys);
      if (slots->len > 0 && pick (rand, 6) != 0)
        {
          Slot *slot = &g_array_index (slots, Slot, pick (rand, slots->len));
          YNode *node = ynode_item (slot->parent, slot->index);
          char *value = g_strdup (new_value (rand, slot->key, node->value, keys));
          g_free (node->value);
          node->value = value;
          node->quoted = false;
        }
      else
        mutate_structure (rand, root);
      g_ptr_array_unref (keys);
      g_array_unref (slots);
    }
  GString *out = g_string_new (NULL);
  emit_block (out, root, 0);
  ynode_free (root);
  return g_string_free (out, FALSE);
}
