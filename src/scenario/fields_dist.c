/* Distributions given as a `service_time` (or similar) value: a duration, or a mapping
 * with `dist`, `mean` and the parameters of its kind; empirical samples from a CSV file. */
#include <math.h>
#include <string.h>

#include "fields.h"
#include "number_file.h"
#include "stratus/units.h"

/* The unit of the bare numbers of an empirical sample file, in nanoseconds. */
typedef struct
{
  double unit_ns;
} SampleUnit;

/* A sample cell: a bare number (in `user_data`'s unit) or a duration, >= 0 and at most
 * STRATUS_DIST_VALUE_MAX nanoseconds, into *value (ns). */
static bool
parse_sample_cell (const char *cell, double *value, void *user_data, GError **error)
{
  const SampleUnit *unit = user_data;
  StratusTime t;
  char *end = NULL;
  double x = g_ascii_strtod (cell, &end);
  if (end != cell && *end == '\0' && isfinite (x))
    {
      if (x < 0)
        {
          g_set_error (error, STRATUS_SCENARIO_ERROR, 0, "sample %s is negative", cell);
          return false;
        }
      if (!(x * unit->unit_ns <= STRATUS_DIST_VALUE_MAX))
        {
          char *u = stratus_format_duration ((StratusTime) unit->unit_ns);
          g_set_error (error, STRATUS_SCENARIO_ERROR, 0,
                       "sample %s (in units of %s) is longer than the simulator's limit of "
                       "36525d (100 years)", cell, u);
          g_free (u);
          return false;
        }
      *value = x * unit->unit_ns;
      return true;
    }
  if (!stratus_parse_duration (cell, &t, error))
    return false;
  *value = (double) t;
  return true;
}

/* A uniform distribution given by its bounds, `{dist: uniform, min: 20s, max: 30s}` (the
 * alternative to mean and cv): both required, min <= max, no mean or cv. */
static bool
parse_uniform_bounds (FieldCtx *ctx, const YNode *v, const char *key, StratusDist *out)
{
  static const char *const keys[] = { "dist", "min", "max", NULL };
  for (guint i = 0; i < v->keys->len; i++)
    {
      const YNode *k = ynode_map_key (v, i);
      if (!g_strv_contains (keys, k->value))
        return field_fail_at (ctx, k, "%s: give a uniform distribution min and max, or mean "
                              "and cv, not '%s' with min and max", key, k->value);
    }
  StratusTime lo, hi;
  const YNode *min = field_require (ctx, v, "min", key);
  if (min == NULL || !field_parse_duration_node (ctx, min, "min", false, &lo))
    return false;
  const YNode *max = field_require (ctx, v, "max", key);
  if (max == NULL || !field_parse_duration_node (ctx, max, "max", false, &hi))
    return false;
  if (hi < lo)
    return field_fail_at (ctx, max, "%s: max (%s) is below min (%s)", key, max->value,
                          min->value);
  double mean = ((double) lo + (double) hi) / 2;
  double cv = hi > lo ? ((double) hi - (double) lo) / (sqrt (3.0) * ((double) lo + (double) hi))
                      : 0;
  GError *inner = NULL;
  if (!stratus_dist_init (out, STRATUS_DIST_UNIFORM, mean, cv, -1, NULL, 0, &inner))
    return field_fail_wrapped (ctx, v, key, inner);
  /* Exactly the bounds written, not their round trip through mean and cv. */
  out->p1 = (double) lo;
  out->p2 = (double) hi;
  return true;
}

/* Every key a distribution's mapping may hold, whatever its kind. */
static const char *const dist_keys[] = { "dist", "mean", "cv", "shape", "file", "unit", "min",
                                         "max", NULL };

bool
field_parse_dist (FieldCtx *ctx, const YNode *v, const char *key, StratusDist *out)
{
  if (v->kind == YNODE_SCALAR)
    {
      StratusTime t;
      if (!field_parse_duration_node (ctx, v, key, false, &t))
        return false;
      return stratus_dist_init (out, STRATUS_DIST_CONSTANT, (double) t, -1, -1, NULL, 0, NULL);
    }
  if (!field_expect_kind (ctx, v, YNODE_MAP, key) || !field_check_keys (ctx, v, dist_keys, key))
    return false;
  const YNode *kind_node = field_require (ctx, v, "dist", key);
  int kind_index;
  if (kind_node == NULL
      || !field_check_choice (ctx, kind_node, "dist", stratus_dist_kind_names (), &kind_index))
    return false;
  StratusDistKind kind = (StratusDistKind) kind_index;
  if (kind == STRATUS_DIST_UNIFORM && (ynode_map_get (v, "min") || ynode_map_get (v, "max")))
    return parse_uniform_bounds (ctx, v, key, out);
  StratusTime mean = -1;
  const YNode *mean_node = ynode_map_get (v, "mean");
  if (mean_node == NULL && kind != STRATUS_DIST_EMPIRICAL)
    return field_fail_at (ctx, v, "%s: missing required key 'mean'", key);
  if (mean_node != NULL && !field_parse_duration_node (ctx, mean_node, "mean", false, &mean))
    return false;
  /* Parameters each kind takes; any other is refused rather than silently ignored. */
  static const char *const takes[][4] = {
    [STRATUS_DIST_CONSTANT] = { "dist", "mean", NULL },
    [STRATUS_DIST_EXPONENTIAL] = { "dist", "mean", NULL },
    [STRATUS_DIST_UNIFORM] = { "dist", "mean", "cv", NULL },
    [STRATUS_DIST_NORMAL] = { "dist", "mean", "cv", NULL },
    [STRATUS_DIST_LOGNORMAL] = { "dist", "mean", "cv", NULL },
    [STRATUS_DIST_GAMMA] = { "dist", "mean", "cv", "shape" },
    [STRATUS_DIST_WEIBULL] = { "dist", "mean", "shape", NULL },
    [STRATUS_DIST_PARETO] = { "dist", "mean", "shape", NULL },
    [STRATUS_DIST_EMPIRICAL] = { "dist", "mean", "file", "unit" },
  };
  for (guint i = 0; i < v->keys->len; i++)
    {
      const YNode *k = ynode_map_key (v, i);
      bool known = false;
      for (int j = 0; j < 4 && takes[kind][j] != NULL; j++)
        known = known || strcmp (takes[kind][j], k->value) == 0;
      if (!known)
        {
          GString *list = g_string_new (NULL);
          for (int j = 1; j < 4 && takes[kind][j] != NULL; j++)
            g_string_append_printf (list, "%s%s", j > 1 ? ", " : "", takes[kind][j]);
          field_fail_at (ctx, k, "%s: '%s' is not a parameter of the %s distribution (it takes: %s)",
                   key, k->value, stratus_dist_kind_name (kind), list->str);
          g_string_free (list, TRUE);
          return false;
        }
    }
  if (kind == STRATUS_DIST_GAMMA && ynode_map_get (v, "cv") && ynode_map_get (v, "shape"))
    return field_fail_at (ctx, v, "%s: give a gamma distribution cv or shape, not both", key);
  double cv, shape;
  if (!field_get_number (ctx, v, "cv", -1, 0, &cv) || !field_get_number (ctx, v, "shape", -1, 0, &shape))
    return false;
  GArray *samples = NULL;
  if (kind == STRATUS_DIST_EMPIRICAL)
    {
      const YNode *file = field_require (ctx, v, "file", key);
      if (file == NULL || !field_expect_kind (ctx, file, YNODE_SCALAR, "file"))
        return false;
      if (file->value[0] == '\0')
        return field_fail_at (ctx, file, "file: the file name is empty");
      StratusTime unit = STRATUS_MS;
      if (!field_get_duration (ctx, v, "unit", STRATUS_MS, false, &unit))
        return false;
      if (unit <= 0)
        return field_fail_at (ctx, ynode_map_get (v, "unit"), "unit: must be a positive duration");
      SampleUnit su = { (double) unit };
      char *path = field_resolve_path (ctx, file->value);
      samples = stratus_read_number_column (path, 0, parse_sample_cell, &su, ctx->error);
      g_free (path);
      if (samples == NULL)
        return false;
    }
  GError *inner = NULL;
  bool ok = stratus_dist_init (out, kind, (double) mean, cv, shape,
                               samples ? (double *) (void *) samples->data : NULL,
                               samples ? samples->len : 0, &inner);
  if (samples)
    g_array_unref (samples);
  if (!ok)
    return field_fail_wrapped (ctx, v, key, inner);
  return true;
}
