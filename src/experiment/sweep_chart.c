/* Charts of a sweep (stratus/sweep.h): a figure against a numeric varied key, one series
 * per combination of the other keys, each with its 95% confidence band. */
#include "sweep_private.h"

#include <math.h>
#include <string.h>

#include "stratus/chart.h"

/* At most this many series (combinations of the other keys) on one chart. */
#define MAX_SERIES 16

/* Whether `text` reads as a number (a unit suffix allowed), and if so (and `whole` is not
 * NULL) whether it is a whole number. */
static bool
text_is_number (const char *text, bool *whole)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v))
    return false;
  if (whole != NULL)
    *whole = v == floor (v);
  return true;
}

/* Whether every value of key `key` reads as a number (with a unit suffix allowed), and
 * whether all are whole numbers. */
static bool
key_is_numeric (const SweepFacts *facts, size_t key, bool *integers)
{
  bool all_whole = true;
  for (size_t p = 0; p < facts->points; p++)
    {
      bool whole = false;
      if (!text_is_number (facts->values[p * facts->n_keys + key], &whole))
        return false;
      all_whole = all_whole && whole;
    }
  if (integers != NULL)
    *integers = all_whole;
  return true;
}

/* The error of charts without an x axis. */
static void
set_no_x (const char *x_key, GError **error)
{
  if (x_key != NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--x %s: not a varied key with numbers for values", x_key);
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--charts needs a varied key whose values are numbers (or --x KEY)");
}

/* The key on the x axis: `x_key`, or the first whose values are all numbers, and whether
 * they are all whole; n_keys with `error` set if there is none. */
static size_t
chart_x (const SweepFacts *facts, const char *x_key, bool *integers, GError **error)
{
  size_t x = facts->n_keys;
  for (size_t k = 0; k < facts->n_keys; k++)
    if ((x_key != NULL && strcmp (facts->keys[k], x_key) == 0)
        || (x_key == NULL && key_is_numeric (facts, k, NULL)))
      {
        x = k;
        break;
      }
  if (x == facts->n_keys || !key_is_numeric (facts, x, integers))
    {
      set_no_x (x_key, error);
      return facts->n_keys;
    }
  return x;
}

/* Whether every row of dimension `d` has a number for its key `k`. */
static bool
dimension_key_numeric (const SweepDimension *d, guint k)
{
  for (guint r = 0; r < d->rows->len; r++)
    if (!text_is_number (((char **) d->rows->pdata[r])[k], NULL))
      return false;
  return true;
}

bool
stratus_sweep_space_chart_x_ok (const StratusSweepSpace *space, const char *x_key,
                                GError **error)
{
  /* chart_x's choice, over each dimension's rows rather than every point. */
  for (guint i = 0; i < space->dimensions->len; i++)
    {
      const SweepDimension *d = space->dimensions->pdata[i];
      for (guint k = 0; k < d->keys->len; k++)
        if (x_key == NULL ? dimension_key_numeric (d, k) : strcmp (d->keys->pdata[k], x_key) == 0)
          {
            if (x_key == NULL || dimension_key_numeric (d, k))
              return true;
            set_no_x (x_key, error);
            return false;
          }
    }
  set_no_x (x_key, error);
  return false;
}

bool
stratus_sweep_results_chart_x_ok (const StratusSweepResults *results, const char *x_key,
                                  GError **error)
{
  bool integers;
  return chart_x (&results->facts, x_key, &integers, error) != results->facts.n_keys;
}

/* The series name of point `p`: the other keys' values ("type=c5.large"), or `fallback`
 * when there are none. Caller frees. */
static char *
series_name (const SweepFacts *facts, size_t p, size_t x_key, const char *fallback)
{
  GString *name = g_string_new (NULL);
  for (size_t k = 0; k < facts->n_keys; k++)
    if (k != x_key)
      g_string_append_printf (name, "%s%s=%s", name->len > 0 ? ", " : "", facts->keys[k],
                              facts->values[p * facts->n_keys + k]);
  if (name->len == 0)
    g_string_append (name, fallback);
  return g_string_free (name, FALSE);
}

/* How the y axis of figure `path` reads, and the factor its values are drawn at. */
static void
y_axis_of (const char *path, StratusUnit *unit, const char **suffix, double *scale)
{
  *scale = 1;
  *suffix = NULL;
  *unit = STRATUS_UNIT_NUMBER;
  if (g_str_has_prefix (path, "latency_ms.") || g_str_has_suffix (path, "_ms"))
    *unit = STRATUS_UNIT_MS;
  else if (g_str_has_suffix (path, "ratio"))
    *unit = STRATUS_UNIT_PERCENT, *scale = 100;
  else if (g_str_has_suffix (path, "_usd"))
    *suffix = " USD";
}

/* A point and its x, for drawing in increasing x (ties in point order). */
typedef struct
{
  size_t point;
  double x;
} PointAt;

static gint
compare_point_at (gconstpointer a, gconstpointer b)
{
  const PointAt *u = a, *v = b;
  if (u->x != v->x)
    return u->x < v->x ? -1 : 1;
  return u->point < v->point ? -1 : u->point > v->point;
}

StratusChart *
stratus_sweep_chart (const StratusSweepResults *results, const char *figure, const char *x_key,
                     GError **error)
{
  const SweepFacts *facts = &results->facts;
  const char *path = sweep_figure_alias (figure);
  int f = stratus_sweep_results_figure_index (results, path);
  if (f < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--chart %s: no such figure in these reports (see sweep.csv's columns)",
                   figure);
      return NULL;
    }
  bool integers = false;
  size_t x = chart_x (facts, x_key, &integers, error);
  if (x == facts->n_keys)
    return NULL;
  char *title = g_strdup_printf ("%s against %s", path, facts->keys[x]);
  StratusChart *chart = stratus_chart_new (title);
  g_free (title);
  char *subtitle = g_strdup_printf ("%s, seed %" G_GUINT64_FORMAT ", %u replication%s per point%s",
                                    facts->scenario_name, facts->seed, facts->replications,
                                    facts->replications == 1 ? "" : "s",
                                    facts->replications > 1 ? "; bands: 95% confidence intervals"
                                                            : "");
  stratus_chart_set_subtitle (chart, subtitle);
  g_free (subtitle);
  stratus_chart_set_x_numeric (chart, facts->keys[x], integers);
  StratusUnit unit;
  const char *suffix;
  double scale;
  y_axis_of (path, &unit, &suffix, &scale);
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, path, unit, suffix);
  /* Series by the other keys' values, in order of first appearance; points of a series in
   * increasing x (the grid gives them so when x is a --vary range). */
  GHashTable *series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GArray *order = g_array_new (FALSE, FALSE, sizeof (PointAt));
  for (size_t p = 0; p < facts->points; p++)
    {
      PointAt at = { p, g_ascii_strtod (facts->values[p * facts->n_keys + x], NULL) };
      g_array_append_val (order, at);
    }
  g_array_sort (order, compare_point_at);
  for (size_t i = 0; i < order->len; i++)
    {
      size_t p = g_array_index (order, PointAt, i).point;
      double xv = g_array_index (order, PointAt, i).x;
      char *name = series_name (facts, p, x, path);
      gpointer id = g_hash_table_lookup (series, name);
      if (id == NULL)
        {
          if (g_hash_table_size (series) >= MAX_SERIES)
            {
              g_free (name);
              continue;
            }
          unsigned s = stratus_chart_add_series (chart, name, g_hash_table_size (series),
                                                 STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
          id = GUINT_TO_POINTER (s + 1);
          g_hash_table_insert (series, name, id);
        }
      else
        g_free (name);
      double mean, ci;
      if (!stratus_sweep_results_value (results, p, (size_t) f, &mean, &ci, NULL))
        continue;
      unsigned s = GPOINTER_TO_UINT (id) - 1;
      stratus_chart_add_point (chart, s, xv, mean * scale);
      if (facts->replications > 1)
        stratus_chart_add_band (chart, s, xv, (mean - ci) * scale, (mean + ci) * scale);
    }
  g_array_unref (order);
  g_hash_table_unref (series);
  return chart;
}

char *
stratus_sweep_chart_file_name (const char *figure, StratusPlotFormat format)
{
  char *safe = g_strdup (sweep_figure_alias (figure));
  g_strcanon (safe, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", '_');
  char *name = g_strdup_printf ("sweep-%s.%s", safe, stratus_plot_format_extension (format));
  g_free (safe);
  return name;
}
