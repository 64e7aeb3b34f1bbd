/* The files of a comparison: compare.json, compare.csv, compare.txt and the chart
 * compare-cost.EXT, written into an output set (stratus/output_set.h). */
#include "compare_private.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "report/report_json.h"
#include "stratus/chart_bars.h"

/* ---- JSON --------------------------------------------------------------------------------- */

/* A scenario's figures: path -> {mean, ci95, replications}, or null when it has none. */
static JsonObject *
scenario_figures (const StratusComparison *c, unsigned s)
{
  JsonObject *figures = json_object_new ();
  for (size_t f = 0; f < c->figures; f++)
    {
      double mean, ci;
      unsigned n;
      const char *path = compare_figure (f)->path;
      if (!stratus_comparison_value (c, s, f, &mean, &ci, &n))
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
  return figures;
}

/* A difference's figures: path -> {mean, ci95 (paired), paired, unpaired_ci95,
 * replications}, or null when no replication had the figure in both scenarios. */
static JsonObject *
difference_figures (const StratusComparison *c, unsigned s)
{
  JsonObject *figures = json_object_new ();
  for (size_t f = 0; f < c->figures; f++)
    {
      double mean, paired, unpaired;
      unsigned n;
      const char *path = compare_figure (f)->path;
      if (!stratus_comparison_difference (c, s, f, &mean, &paired, &unpaired, &n))
        {
          json_object_set_null_member (figures, path);
          continue;
        }
      JsonObject *o = json_object_new ();
      report_set_double (o, "mean", mean);
      report_set_double (o, "ci95", paired);
      json_object_set_boolean_member (o, "paired", true);
      report_set_double (o, "unpaired_ci95", unpaired);
      json_object_set_int_member (o, "replications", n);
      json_object_set_object_member (figures, path, o);
    }
  return figures;
}

/* The root object of compare.json. */
static JsonObject *
comparison_object (const StratusComparison *c)
{
  JsonObject *root = json_object_new ();
  json_object_set_string_member (root, "schema", STRATUS_COMPARE_SCHEMA);
  json_object_set_int_member (root, "seed", (gint64) c->seed);
  json_object_set_int_member (root, "replications", c->replications);
  json_object_set_boolean_member (root, "common_workloads", c->common_workloads);
  json_object_set_string_member (root, "baseline", c->labels[0]);
  JsonArray *paths = json_array_new ();
  for (size_t f = 0; f < c->figures; f++)
    json_array_add_string_element (paths, compare_figure (f)->path);
  json_object_set_array_member (root, "figures", paths);
  JsonArray *scenarios = json_array_new ();
  for (unsigned s = 0; s < c->n; s++)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "label", c->labels[s]);
      json_object_set_string_member (o, "file", c->files[s]);
      json_object_set_string_member (o, "name", c->names[s]);
      json_object_set_object_member (o, "figures", scenario_figures (c, s));
      json_array_add_object_element (scenarios, o);
    }
  json_object_set_array_member (root, "scenarios", scenarios);
  JsonArray *differences = json_array_new ();
  for (unsigned s = 1; s < c->n; s++)
    {
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "scenario", c->labels[s]);
      json_object_set_string_member (o, "baseline", c->labels[0]);
      json_object_set_object_member (o, "figures", difference_figures (c, s));
      json_array_add_object_element (differences, o);
    }
  json_object_set_array_member (root, "differences", differences);
  return root;
}

char *
stratus_comparison_json (const StratusComparison *comparison)
{
  return report_json_text (comparison_object (comparison));
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/* Appends `field` quoted for CSV when it holds a comma, a quote or a line break. */
static void
append_csv_field (GString *out, const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Appends ",NAME.mean,NAME.ci95" (quoted as needed) for a column pair. */
static void
append_csv_pair_header (GString *out, const char *name)
{
  for (int k = 0; k < 2; k++)
    {
      char *column = g_strconcat (name, k == 0 ? ".mean" : ".ci95", NULL);
      g_string_append_c (out, ',');
      append_csv_field (out, column);
      g_free (column);
    }
}

/* Appends ",MEAN,CI" (10 significant digits), or ",," when `present` is false. */
static void
append_csv_pair (GString *out, bool present, double mean, double ci)
{
  if (!present)
    {
      g_string_append (out, ",,");
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", mean == 0 ? 0 : mean));
  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", ci == 0 ? 0 : ci));
}

char *
stratus_comparison_csv (const StratusComparison *comparison)
{
  const StratusComparison *c = comparison;
  GString *out = g_string_new ("figure");
  for (unsigned s = 0; s < c->n; s++)
    append_csv_pair_header (out, c->labels[s]);
  for (unsigned s = 1; s < c->n; s++)
    {
      char *name = g_strconcat ("diff.", c->labels[s], NULL);
      append_csv_pair_header (out, name);
      g_free (name);
    }
  g_string_append_c (out, '\n');
  for (size_t f = 0; f < c->figures; f++)
    {
      g_string_append (out, compare_figure (f)->path);
      for (unsigned s = 0; s < c->n; s++)
        {
          double mean = 0, ci = 0;
          bool present = stratus_comparison_value (c, s, f, &mean, &ci, NULL);
          append_csv_pair (out, present, mean, ci);
        }
      for (unsigned s = 1; s < c->n; s++)
        {
          double mean = 0, ci = 0;
          bool present = stratus_comparison_difference (c, s, f, &mean, &ci, NULL, NULL);
          append_csv_pair (out, present, mean, ci);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* ---- the set of files --------------------------------------------------------------------- */

const char *const *
stratus_comparison_file_names (void)
{
  static const char *const names[] = { "compare.json",    "compare.csv",     "compare.txt",
                                       "compare-cost.png", "compare-cost.svg", "compare-cost.pdf",
                                       NULL };
  return names;
}

/* Writes `text` (taken: freed here) as NAME into the set; false with `error` set. */
static bool
write_text (StratusOutputSet *set, const char *name, char *text, GError **error)
{
  bool ok = stratus_output_set_write (set, name, text, -1, error);
  g_free (text);
  return ok;
}

/* Draws compare-cost.EXT into the set's folder; false with `error` set. */
static bool
write_chart (const StratusComparison *c, StratusOutputSet *set, StratusPlotFormat format,
             GError **error)
{
  StratusBarChart *chart = stratus_comparison_cost_chart (c);
  char *name = g_strdup_printf ("compare-cost.%s", stratus_plot_format_extension (format));
  char *path = g_build_filename (stratus_output_set_folder (set), name, NULL);
  bool ok = stratus_bar_chart_write (chart, path, format, STRATUS_CHART_WIDTH,
                                     STRATUS_CHART_HEIGHT, error);
  g_free (path);
  g_free (name);
  stratus_bar_chart_free (chart);
  return ok;
}

bool
stratus_comparison_write_set (const StratusComparison *comparison, StratusOutputSet *set,
                              bool charts, StratusPlotFormat format, GError **error)
{
  return write_text (set, "compare.json", stratus_comparison_json (comparison), error)
         && write_text (set, "compare.csv", stratus_comparison_csv (comparison), error)
         && write_text (set, "compare.txt", stratus_comparison_text (comparison), error)
         && (!charts || write_chart (comparison, set, format, error));
}
