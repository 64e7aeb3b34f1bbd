/* The chart of a comparison, compare-cost.EXT: per scenario a bar of its monthly cost
 * stacked by category, an error bar of the total's 95% interval, and under the bar its p99
 * latency, its availability and its cost's difference from the first scenario. */
#include "compare_private.h"

#include <math.h>

#include "stratus/chart_bars.h"

/* True if some scenario has a cost category `f` above 0. */
static bool
category_shown (const StratusComparison *c, size_t f)
{
  for (unsigned s = 0; s < c->n; s++)
    {
      double mean;
      if (stratus_comparison_value (c, s, f, &mean, NULL, NULL) && mean > 0)
        return true;
    }
  return false;
}

/* Adds the segments (the categories some scenario pays for) and each scenario's values;
 * returns how many segments. Without categories but with totals, one segment "total". */
static unsigned
add_segments (StratusBarChart *chart, const StratusComparison *c, int total)
{
  unsigned colour = 0;
  for (size_t f = 0; f < c->figures; f++)
    {
      const CompareFigure *fig = compare_figure (f);
      if (fig->category == NULL || !category_shown (c, f))
        continue;
      unsigned seg = stratus_bar_chart_add_segment (chart, fig->category, colour++);
      for (unsigned s = 0; s < c->n; s++)
        {
          double mean;
          if (stratus_comparison_value (c, s, f, &mean, NULL, NULL))
            stratus_bar_chart_set_value (chart, s, seg, mean);
        }
    }
  if (colour == 0 && total >= 0 && category_shown (c, (size_t) total))
    {
      unsigned seg = stratus_bar_chart_add_segment (chart, "total", 0);
      for (unsigned s = 0; s < c->n; s++)
        {
          double mean;
          if (stratus_comparison_value (c, s, (size_t) total, &mean, NULL, NULL))
            stratus_bar_chart_set_value (chart, s, seg, mean);
        }
      colour = 1;
    }
  return colour;
}

/* Adds note "NAME VALUE" (the figure's cell, as in the table, then `suffix`) under bar
 * `s`; "NAME -" when the scenario has no such figure. */
static void
add_figure_note (StratusBarChart *chart, const StratusComparison *c, unsigned s,
                 const char *path, const char *name, const char *suffix)
{
  int f = stratus_comparison_figure_index (path);
  double mean = 0, ci = 0;
  bool present = f >= 0 && stratus_comparison_value (c, s, (size_t) f, &mean, &ci, NULL);
  char *cell = compare_format_cell (c, compare_figure ((size_t) MAX (f, 0))->unit, present, mean,
                                    ci, false);
  char *note = g_strdup_printf ("%s %s%s", name, cell, present ? suffix : "");
  stratus_bar_chart_add_note (chart, s, note);
  g_free (note);
  g_free (cell);
}

/* Under bar `s` (>= 1): "Δ cost", its monthly cost minus the first scenario's, with the
 * paired interval. */
static void
add_difference_note (StratusBarChart *chart, const StratusComparison *c, unsigned s, int total)
{
  double mean = 0, ci = 0;
  bool present = total >= 0
                 && stratus_comparison_difference (c, s, (size_t) total, &mean, &ci, NULL, NULL);
  char *cell = compare_format_cell (c, COMPARE_UNIT_USD, present, mean, ci, true);
  char *note = g_strdup_printf ("\xce\x94 cost %s%s", cell, present ? " USD" : "");
  stratus_bar_chart_add_note (chart, s, note);
  g_free (note);
  g_free (cell);
}

StratusBarChart *
stratus_comparison_cost_chart (const StratusComparison *comparison)
{
  const StratusComparison *c = comparison;
  StratusBarChart *chart = stratus_bar_chart_new ("Monthly cost by category");
  stratus_bar_chart_set_y_axis (chart, "USD per month", "$", NULL, 2);
  int total = stratus_comparison_figure_index ("cost.monthly_usd");
  for (unsigned s = 0; s < c->n; s++)
    {
      stratus_bar_chart_add_bar (chart, c->labels[s]);
      double ci = 0;
      if (total >= 0 && stratus_comparison_value (c, s, (size_t) total, NULL, &ci, NULL))
        stratus_bar_chart_set_error (chart, s, ci);
      else
        stratus_bar_chart_hide_total (chart, s);
      add_figure_note (chart, c, s, "latency_ms.p99", "p99", " ms");
      add_figure_note (chart, c, s, "availability.success_ratio", "availability", "%");
      if (s > 0)
        add_difference_note (chart, c, s, total);
    }
  unsigned segments = add_segments (chart, c, total);
  char *subtitle = g_strdup_printf (
    "seed %" G_GUINT64_FORMAT ", %u replication%s of each%s%s", c->seed, c->replications,
    c->replications == 1 ? "" : "s",
    c->replications > 1 ? ": means, error bars the 95% CI of the total" : "",
    segments == 0 ? "; no cost figures in these reports" : "");
  stratus_bar_chart_set_subtitle (chart, subtitle);
  g_free (subtitle);
  return chart;
}
