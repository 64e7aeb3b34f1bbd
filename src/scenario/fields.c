/* Typed fields of scenario files: each getter checks one key and reports a bad value as
 * "file:line:column: message". */
#include "fields.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "stratus/units.h"
#include "suggest.h"


/* Sets "file:line:column: message" for `node`; always returns false. */
bool
field_fail_at (FieldCtx *ctx, const YNode *node, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  char *message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (ctx->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
               "%s:%d:%d: %s", node->file, node->line, node->column, message);
  g_free (message);
  return false;
}

/* Appends " (did you mean 'x'?)" when a candidate is close. Caller frees. */
char *
field_hint (const char *word, const char *const *candidates)
{
  const char *s = stratus_suggest (word, candidates);
  return s ? g_strdup_printf ("; did you mean '%s'?", s) : g_strdup ("");
}

bool
field_expect_kind (FieldCtx *ctx, const YNode *node, YNodeKind kind, const char *what)
{
  if (node->kind == kind && !(kind == YNODE_SCALAR && ynode_is_null (node)))
    return true;
  static const char *const names[] = { "a value", "a mapping", "a list" };
  if (ynode_is_null (node))
    return field_fail_at (ctx, node, "%s: missing value (expected %s)", what, names[kind]);
  return field_fail_at (ctx, node, "%s: expected %s, found %s", what, names[kind],
                  ynode_kind_name (node));
}

/* Every key of `map` must be in `allowed`. */
bool
field_check_keys (FieldCtx *ctx, const YNode *map, const char *const *allowed, const char *what)
{
  for (guint i = 0; i < map->keys->len; i++)
    {
      const YNode *key = ynode_map_key (map, i);
      if (!g_strv_contains (allowed, key->value))
        {
          char *h = field_hint (key->value, allowed);
          char *list = g_strjoinv (", ", (char **) allowed);
          field_fail_at (ctx, key, "unknown key '%s' in %s%s%s%s%s", key->value, what, h,
                   h[0] ? "" : " (known keys: ", h[0] ? "" : list, h[0] ? "" : ")");
          g_free (list);
          g_free (h);
          return false;
        }
    }
  return true;
}

const YNode *
field_require (FieldCtx *ctx, const YNode *map, const char *key, const char *what)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    field_fail_at (ctx, map, "%s: missing required key '%s'", what, key);
  return v;
}

/* Wraps a units/dist parser error with the node's position. */
bool
field_fail_wrapped (FieldCtx *ctx, const YNode *node, const char *key, GError *inner)
{
  field_fail_at (ctx, node, "%s: %s", key, inner->message);
  g_error_free (inner);
  return false;
}

bool
field_get_string (FieldCtx *ctx, const YNode *map, const char *key, const char *def, char **out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      *out = g_strdup (def);
      return true;
    }
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  *out = g_strdup (v->value);
  return true;
}

bool
field_parse_int64_node (FieldCtx *ctx, const YNode *v, const char *key, int64_t min, int64_t max,
                  int64_t *out)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  char *end = NULL;
  errno = 0;
  long long x = g_ascii_strtoll (v->value, &end, 10);
  if (end == v->value || *end != '\0' || errno != 0)
    return field_fail_at (ctx, v, "%s: expected a whole number, found '%s'", key, v->value);
  if (x < min || x > max)
    return field_fail_at (ctx, v, "%s: %lld is out of range (%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                    ")", key, x, min, max);
  *out = x;
  return true;
}

bool
field_get_int (FieldCtx *ctx, const YNode *map, const char *key, int def, int min, int max, int *out)
{
  const YNode *v = ynode_map_get (map, key);
  int64_t x = def;
  if (v != NULL && !field_parse_int64_node (ctx, v, key, min, max, &x))
    return false;
  *out = (int) x;
  return true;
}

/* An integer or "unlimited" (-1). */
bool
field_get_limit (FieldCtx *ctx, const YNode *map, const char *key, int64_t def, int64_t *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      *out = def;
      return true;
    }
  if (v->kind == YNODE_SCALAR && stratus_is_unlimited (v->value))
    {
      *out = -1;
      return true;
    }
  if (v->kind == YNODE_SCALAR && v->value[0] == '-')
    return field_fail_at (ctx, v, "%s: must be >= 0 or 'unlimited', found '%s'", key, v->value);
  return field_parse_int64_node (ctx, v, key, 0, G_MAXINT64, out);
}

bool
field_get_number (FieldCtx *ctx, const YNode *map, const char *key, double def, double min, double *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      *out = def;
      return true;
    }
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  char *end = NULL;
  double x = g_ascii_strtod (v->value, &end);
  if (end == v->value || *end != '\0' || !isfinite (x))
    return field_fail_at (ctx, v, "%s: expected a number, found '%s'", key, v->value);
  if (x < min)
    return field_fail_at (ctx, v, "%s: must be >= %g, found %g", key, min, x);
  *out = x;
  return true;
}

bool
field_parse_duration_node (FieldCtx *ctx, const YNode *v, const char *key, bool allow_unlimited,
                     StratusTime *out)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  if (stratus_is_unlimited (v->value))
    {
      if (!allow_unlimited)
        return field_fail_at (ctx, v, "%s: cannot be unlimited", key);
      *out = STRATUS_TIME_NEVER;
      return true;
    }
  if (v->value[0] == '-')
    return field_fail_at (ctx, v, "%s: a duration cannot be negative ('%s')", key, v->value);
  GError *inner = NULL;
  if (!stratus_parse_duration (v->value, out, &inner))
    return field_fail_wrapped (ctx, v, key, inner);
  return true;
}

bool
field_get_duration (FieldCtx *ctx, const YNode *map, const char *key, StratusTime def, bool allow_unlimited,
              StratusTime *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      *out = def;
      return true;
    }
  return field_parse_duration_node (ctx, v, key, allow_unlimited, out);
}

bool
field_parse_rate_node (FieldCtx *ctx, const YNode *v, const char *key, double *out)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  GError *inner = NULL;
  if (!stratus_parse_rate (v->value, out, &inner))
    return field_fail_wrapped (ctx, v, key, inner);
  if (*out > STRATUS_RATE_MAX)
    return field_fail_at (ctx, v, "%s: '%s' is above the simulator's limit of 10M/s per workload "
                          "(arrivals are whole nanoseconds: at most one every 100ns on average)",
                          key, v->value);
  return true;
}

bool
field_get_rate (FieldCtx *ctx, const YNode *map, const char *key, double *out)
{
  const YNode *v = field_require (ctx, map, key, "rate");
  return v != NULL && field_parse_rate_node (ctx, v, key, out);
}

/* Checks that a name is one of `allowed` (enum-like values). */
bool
field_check_choice (FieldCtx *ctx, const YNode *v, const char *key, const char *const *allowed, int *index)
{
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  for (int i = 0; allowed[i] != NULL; i++)
    if (strcmp (allowed[i], v->value) == 0)
      {
        *index = i;
        return true;
      }
  char *h = field_hint (v->value, allowed);
  char *list = g_strjoinv (", ", (char **) allowed);
  field_fail_at (ctx, v, "%s: unknown value '%s'%s (expected one of: %s)", key, v->value, h, list);
  g_free (list);
  g_free (h);
  return false;
}

char *
field_resolve_path (FieldCtx *ctx, const char *path)
{
  if (g_path_is_absolute (path) || ctx->base_dir == NULL)
    return g_strdup (path);
  return g_build_filename (ctx->base_dir, path, NULL);
}

bool
field_check_name (FieldCtx *ctx, const YNode *key)
{
  for (const char *p = key->value; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return field_fail_at (ctx, key, "'%s': names may use letters, digits, '-' and '_' only",
                      key->value);
  if (key->value[0] == '\0')
    return field_fail_at (ctx, key, "a name cannot be empty");
  return true;
}

/* Parses a map of named components with `parse_one` into `out`. */

bool
field_parse_named (FieldCtx *ctx, const YNode *root, const char *section, size_t size,
             FieldParseFn parse_one, void *user_data, GPtrArray *out)
{
  const YNode *map = ynode_map_get (root, section);
  if (map == NULL)
    return true;
  if (!field_expect_kind (ctx, map, YNODE_MAP, section))
    return false;
  for (guint i = 0; i < ynode_length (map); i++)
    {
      void *item = g_malloc0 (size);
      g_ptr_array_add (out, item); /* freed by the array even when parsing fails */
      if (!parse_one (ctx, ynode_map_key (map, i), ynode_item (map, i), item, user_data))
        return false;
    }
  return true;
}

bool
field_get_bool (FieldCtx *ctx, const YNode *map, const char *key, bool def, bool *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      *out = def;
      return true;
    }
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  if (g_ascii_strcasecmp (v->value, "true") == 0 || g_ascii_strcasecmp (v->value, "yes") == 0)
    *out = true;
  else if (g_ascii_strcasecmp (v->value, "false") == 0 || g_ascii_strcasecmp (v->value, "no") == 0)
    *out = false;
  else
    return field_fail_at (ctx, v, "%s: expected true or false, found '%s'", key, v->value);
  return true;
}

bool
field_get_size (FieldCtx *ctx, const YNode *map, const char *key, uint64_t def, uint64_t *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    {
      *out = def;
      return true;
    }
  if (!field_expect_kind (ctx, v, YNODE_SCALAR, key))
    return false;
  GError *inner = NULL;
  if (!stratus_parse_size (v->value, out, &inner))
    return field_fail_wrapped (ctx, v, key, inner);
  if (*out > STRATUS_MESSAGE_BYTES_MAX)
    return field_fail_at (ctx, v, "%s: at most 1TB (10^12 bytes) per message, found '%s'", key,
                          v->value);
  return true;
}

bool
field_get_port (FieldCtx *ctx, const YNode *map, const char *key, int def, uint16_t *out)
{
  int port;
  if (!field_get_int (ctx, map, key, def, 1, 65535, &port))
    return false;
  *out = (uint16_t) port;
  return true;
}

bool
field_get_name_list (FieldCtx *ctx, const YNode *map, const char *key, GPtrArray *out)
{
  const YNode *v = ynode_map_get (map, key);
  if (v == NULL)
    return true;
  if (!field_expect_kind (ctx, v, YNODE_SEQ, key))
    return false;
  for (guint i = 0; i < ynode_length (v); i++)
    {
      const YNode *item = ynode_item (v, i);
      if (!field_expect_kind (ctx, item, YNODE_SCALAR, key) || !field_check_name (ctx, item))
        return false;
      for (guint j = 0; j < out->len; j++)
        if (strcmp (g_ptr_array_index (out, j), item->value) == 0)
          return field_fail_at (ctx, item, "%s: '%s' is listed twice", key, item->value);
      g_ptr_array_add (out, g_strdup (item->value));
    }
  return true;
}

/* The key node of `key` in `map`, for errors about a key that should not be there. */
const YNode *
field_key_node (const YNode *map, const char *key)
{
  for (guint i = 0; i < ynode_length (map); i++)
    if (strcmp (ynode_map_key (map, i)->value, key) == 0)
      return ynode_map_key (map, i);
  return NULL;
}

bool
field_get_seconds_between (FieldCtx *ctx, const YNode *map, const char *key, int def, int lo,
                           int hi, StratusTime *out)
{
  if (!field_get_duration (ctx, map, key, def * STRATUS_SECOND, false, out))
    return false;
  if (*out < lo * STRATUS_SECOND || *out > hi * STRATUS_SECOND)
    return field_fail_at (ctx, ynode_map_get (map, key),
                          "%s: must be between %ds and %ds, as on AWS", key, lo, hi);
  return true;
}
