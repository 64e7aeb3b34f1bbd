/* The files of a sweep (stratus/sweep.h): sweep.txt, sweep.csv and sweep.json, and the set
 * they are written into with the charts. */
#include "sweep_private.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "report/report_json.h"
#include "stratus/chart.h"

/* ---- text --------------------------------------------------------------------------------- */

/* The figures of the text table when none are asked for, those present. */
static const char *const default_text_figures[] = {
  "latency_ms.p50", "latency_ms.p99", "availability.success_ratio", "cost.monthly_usd",
  "requests.failed", NULL,
};

/* Whether figure `path` reads as a percentage (a ratio). */
static bool
is_ratio (const char *path)
{
  return g_str_has_suffix (path, "ratio");
}

/* `v` with `decimals` decimals, never "-0.0". */
static char *
format_fixed (double v, int decimals)
{
  char *text = g_strdup_printf ("%.*f", decimals, v);
  if (text[0] == '-' && g_ascii_strtod (text, NULL) == 0)
    memmove (text, text + 1, strlen (text));
  return text;
}

/* A cell: "mean ± ci" (ratios in percent), decimals by magnitude; "-" when absent. */
static char *
format_cell (const StratusSweepResults *r, size_t point, int figure)
{
  double mean, ci;
  unsigned n;
  if (figure < 0 || !stratus_sweep_results_value (r, point, (size_t) figure, &mean, &ci, &n))
    return g_strdup ("-");
  const SweepFigure *f = &g_array_index (r->figures, SweepFigure, figure);
  double scale = is_ratio (f->path) ? 100.0 : 1.0;
  double m = fabs (mean * scale);
  int decimals = is_ratio (f->path)                         ? 3
                 : f->is_count && r->facts.replications == 1 ? 0
                 : f->is_count                               ? (m >= 100 ? 0 : 1)
                 : m >= 1000                                 ? 0
                 : m >= 100                                  ? 1
                 : m >= 1                                    ? 2
                                                             : 4;
  char *value = format_fixed (mean * scale, decimals);
  if (r->facts.replications == 1)
    return value;
  char *half = format_fixed (ci * scale, decimals);
  char *cell = g_strdup_printf ("%s \xc2\xb1 %s", value, half);
  g_free (value);
  g_free (half);
  return cell;
}

/* Appends `text` left-aligned in `width` characters (counting UTF-8 characters). */
static void
append_padded (GString *out, const char *text, size_t width)
{
  g_string_append (out, text);
  for (size_t n = g_utf8_strlen (text, -1); n < width; n++)
    g_string_append_c (out, ' ');
}

char *
stratus_sweep_results_text (const StratusSweepResults *results, const char *const *figures)
{
  const StratusSweepResults *r = results;
  const SweepFacts *facts = &r->facts;
  /* The columns: the keys, then the figures (paths as titles). */
  GPtrArray *titles = g_ptr_array_new ();
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (int));
  for (size_t k = 0; k < facts->n_keys; k++)
    g_ptr_array_add (titles, facts->keys[k]);
  bool chosen = figures != NULL;
  for (const char *const *f = chosen ? figures : default_text_figures; *f != NULL; f++)
    {
      int index = stratus_sweep_results_figure_index (r, *f);
      if (index < 0 && !chosen)
        continue;
      g_ptr_array_add (titles, (char *) *f);
      g_array_append_val (indices, index);
    }
  size_t columns = titles->len;
  char **cells = g_new0 (char *, columns * facts->points + 1);
  size_t *widths = g_new0 (size_t, columns);
  for (size_t c = 0; c < columns; c++)
    widths[c] = g_utf8_strlen (titles->pdata[c], -1);
  for (size_t p = 0; p < facts->points; p++)
    for (size_t c = 0; c < columns; c++)
      {
        char *cell = c < facts->n_keys
                       ? g_strdup (facts->values[p * facts->n_keys + c])
                       : format_cell (r, p, g_array_index (indices, int, c - facts->n_keys));
        cells[p * columns + c] = cell;
        widths[c] = MAX (widths[c], (size_t) g_utf8_strlen (cell, -1));
      }
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "Sweep of %s (%s): %zu point%s x %u replication%s, seed %"
                          G_GUINT64_FORMAT ", common random numbers across points\n",
                          facts->scenario_name, facts->scenario_file, facts->points,
                          facts->points == 1 ? "" : "s", facts->replications,
                          facts->replications == 1 ? "" : "s", facts->seed);
  for (char **s = facts->base_overrides; *s != NULL; s++)
    g_string_append_printf (out, "  --set %s\n", *s);
  g_string_append (out, facts->replications > 1
                          ? "Each cell: mean \xc2\xb1 95% confidence half-width over the "
                            "replications; ratios in %.\n\n"
                          : "Each cell: the value of the one replication; ratios in %.\n\n");
  for (size_t c = 0; c < columns; c++)
    append_padded (out, titles->pdata[c], c + 1 < columns ? widths[c] + 2 : 0);
  g_string_append_c (out, '\n');
  for (size_t p = 0; p < facts->points; p++)
    {
      for (size_t c = 0; c < columns; c++)
        append_padded (out, cells[p * columns + c], c + 1 < columns ? widths[c] + 2 : 0);
      g_string_append_c (out, '\n');
    }
  g_strfreev (cells);
  g_free (widths);
  g_ptr_array_unref (titles);
  g_array_unref (indices);
  return g_string_free (out, FALSE);
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/* Appends `text` as one CSV field (quoted when it holds a comma, quote or newline). */
static void
append_csv_field (GString *out, const char *text)
{
  if (strpbrk (text, ",\"\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* Appends `,VALUE` in the shortest text that reads back the same double ("" if absent). */
static void
append_csv_number (GString *out, bool present, double value)
{
  g_string_append_c (out, ',');
  if (!present || !isfinite (value))
    return;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_dtostr (buf, sizeof buf, value));
}

char *
stratus_sweep_results_csv (const StratusSweepResults *results)
{
  const StratusSweepResults *r = results;
  const SweepFacts *facts = &r->facts;
  GString *out = g_string_new ("point");
  for (size_t k = 0; k < facts->n_keys; k++)
    {
      g_string_append_c (out, ',');
      append_csv_field (out, facts->keys[k]);
    }
  g_string_append (out, ",replications");
  for (guint f = 0; f < r->figures->len; f++)
    {
      const char *path = g_array_index (r->figures, SweepFigure, f).path;
      char *mean = g_strconcat (path, ".mean", NULL), *ci = g_strconcat (path, ".ci95", NULL);
      g_string_append_c (out, ',');
      append_csv_field (out, mean);
      g_string_append_c (out, ',');
      append_csv_field (out, ci);
      g_free (mean);
      g_free (ci);
    }
  g_string_append_c (out, '\n');
  for (size_t p = 0; p < facts->points; p++)
    {
      g_string_append_printf (out, "%zu", p + 1);
      for (size_t k = 0; k < facts->n_keys; k++)
        {
          g_string_append_c (out, ',');
          append_csv_field (out, facts->values[p * facts->n_keys + k]);
        }
      g_string_append_printf (out, ",%u", facts->replications);
      for (guint f = 0; f < r->figures->len; f++)
        {
          double mean = 0, ci = 0;
          bool present = stratus_sweep_results_value (r, p, f, &mean, &ci, NULL);
          append_csv_number (out, present, mean);
          append_csv_number (out, present, ci);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* ---- JSON --------------------------------------------------------------------------------- */

/* Point `p`: its index, values and figures. */
static JsonObject *
point_object (const StratusSweepResults *r, size_t p)
{
  const SweepFacts *facts = &r->facts;
  JsonObject *point = json_object_new ();
  json_object_set_int_member (point, "point", (gint64) p + 1);
  JsonObject *values = json_object_new ();
  for (size_t k = 0; k < facts->n_keys; k++)
    json_object_set_string_member (values, facts->keys[k], facts->values[p * facts->n_keys + k]);
  json_object_set_object_member (point, "values", values);
  JsonObject *figures = json_object_new ();
  for (guint f = 0; f < r->figures->len; f++)
    {
      double mean, ci;
      unsigned n;
      const char *path = g_array_index (r->figures, SweepFigure, f).path;
      if (!stratus_sweep_results_value (r, p, f, &mean, &ci, &n))
        {
          json_object_set_null_member (figures, path);
          continue;
        }
      JsonObject *o = json_object_new ();
      report_set_double (o, "mean", mean);
      report_set_double (o, "ci95", ci);
      json_object_set_int_member (o, "replications", n);
      json_object_set_object_member (figures, path, o);
    }
  json_object_set_object_member (point, "figures", figures);
  return point;
}

char *
stratus_sweep_results_json (const StratusSweepResults *results)
{
  const SweepFacts *facts = &results->facts;
  JsonObject *root = json_object_new ();
  json_object_set_string_member (root, "schema", STRATUS_SWEEP_SCHEMA);
  JsonObject *scenario = json_object_new ();
  json_object_set_string_member (scenario, "file", facts->scenario_file);
  json_object_set_string_member (scenario, "name", facts->scenario_name);
  json_object_set_object_member (root, "scenario", scenario);
  JsonArray *sets = json_array_new ();
  for (char **s = facts->base_overrides; *s != NULL; s++)
    json_array_add_string_element (sets, *s);
  json_object_set_array_member (root, "overrides", sets);
  json_object_set_int_member (root, "seed", (gint64) facts->seed);
  json_object_set_int_member (root, "replications", facts->replications);
  json_object_set_boolean_member (root, "common_random_numbers", true);
  JsonArray *keys = json_array_new ();
  for (size_t k = 0; k < facts->n_keys; k++)
    json_array_add_string_element (keys, facts->keys[k]);
  json_object_set_array_member (root, "keys", keys);
  JsonArray *points = json_array_new ();
  for (size_t p = 0; p < facts->points; p++)
    json_array_add_object_element (points, point_object (results, p));
  json_object_set_array_member (root, "points", points);
  return report_json_text (root);
}

/* ---- the set ------------------------------------------------------------------------------ */

/* Writes `text` (taken: freed here) as NAME into the set; false with `error` set. */
static bool
write_text (StratusOutputSet *set, const char *name, char *text, GError **error)
{
  bool ok = stratus_output_set_write (set, name, text, -1, error);
  g_free (text);
  return ok;
}

/* Draws figure `figure`'s chart into the set's folder; false with `error` set. */
static bool
write_chart (const StratusSweepResults *r, StratusOutputSet *set, const char *figure,
             const char *x_key, StratusPlotFormat format, GError **error)
{
  StratusChart *chart = stratus_sweep_chart (r, figure, x_key, error);
  if (chart == NULL)
    return false;
  char *name = stratus_sweep_chart_file_name (figure, format);
  char *path = g_build_filename (stratus_output_set_folder (set), name, NULL);
  bool ok = stratus_chart_write (chart, path, format, STRATUS_CHART_WIDTH, STRATUS_CHART_HEIGHT,
                                 error);
  g_free (path);
  g_free (name);
  stratus_chart_free (chart);
  return ok;
}

bool
stratus_sweep_results_write_set (const StratusSweepResults *results, StratusOutputSet *set,
                                 const char *const *text_figures, bool charts,
                                 const char *const *chart_figures, const char *x_key,
                                 StratusPlotFormat format, GError **error)
{
  if (!write_text (set, "sweep.json", stratus_sweep_results_json (results), error)
      || !write_text (set, "sweep.csv", stratus_sweep_results_csv (results), error)
      || !write_text (set, "sweep.txt", stratus_sweep_results_text (results, text_figures),
                      error))
    return false;
  for (const char *const *f = chart_figures; charts && f != NULL && *f != NULL; f++)
    if (!write_chart (results, set, *f, x_key, format, error))
      return false;
  return true;
}
