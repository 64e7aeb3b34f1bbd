/* A comparison of scenarios (stratus/compare.h): the compared figures, and each scenario's
 * and each difference's running summary over the replications. */
#include "compare_private.h"

#include <math.h>
#include <string.h>

#include "stratus/outcome.h"

/* ---- the compared figures ----------------------------------------------------------------- */

/* The cost categories, in the order of the bill (docs/cost.md). */
static const char *const cost_categories[] = {
  "compute",         "public_ipv4",       "nat_hours",    "nat_data", "load_balancer",
  "transfer_cross_az", "transfer_out",    "database",     "storage",  "snapshots",
};

/* The figures before the errors by reason; the cost categories' paths are built. */
static const CompareFigure fixed_figures[] = {
  { "cost.monthly_usd", "total", COMPARE_SECTION_COST, COMPARE_UNIT_USD, false, NULL },
  { "latency_ms.p50", "p50", COMPARE_SECTION_LATENCY, COMPARE_UNIT_MS, false, NULL },
  { "latency_ms.p99", "p99", COMPARE_SECTION_LATENCY, COMPARE_UNIT_MS, false, NULL },
  { "availability.success_ratio", "success", COMPARE_SECTION_AVAILABILITY, COMPARE_UNIT_RATIO,
    false, NULL },
  { "requests.failed", "failed", COMPARE_SECTION_ERRORS, COMPARE_UNIT_COUNT, false, NULL },
};

/* Every compared figure, built once (strings live as long as the process). */
static const GArray *
figure_table (void)
{
  static GArray *table = NULL;
  if (g_once_init_enter (&table))
    {
      GArray *t = g_array_new (FALSE, TRUE, sizeof (CompareFigure));
      g_array_append_val (t, fixed_figures[0]);
      for (size_t i = 0; i < G_N_ELEMENTS (cost_categories); i++)
        {
          CompareFigure f = { g_strdup_printf ("cost.categories.%s.monthly_usd",
                                               cost_categories[i]),
                              cost_categories[i], COMPARE_SECTION_COST, COMPARE_UNIT_USD, false,
                              cost_categories[i] };
          g_array_append_val (t, f);
        }
      for (size_t i = 1; i < G_N_ELEMENTS (fixed_figures); i++)
        g_array_append_val (t, fixed_figures[i]);
      for (int o = STRATUS_OUTCOME_OK + 1; o < STRATUS_N_OUTCOMES; o++)
        {
          const char *name = stratus_outcome_info ((StratusOutcome) o)->name;
          CompareFigure f = { g_strdup_printf ("requests.by_outcome.%s", name), name,
                              COMPARE_SECTION_ERRORS, COMPARE_UNIT_COUNT, true, NULL };
          g_array_append_val (t, f);
        }
      g_once_init_leave (&table, t);
    }
  return table;
}

size_t
stratus_comparison_figure_count (void)
{
  return figure_table ()->len;
}

const CompareFigure *
compare_figure (size_t index)
{
  g_assert (index < figure_table ()->len);
  return &g_array_index (figure_table (), CompareFigure, index);
}

const char *
stratus_comparison_figure_path (size_t figure)
{
  return compare_figure (figure)->path;
}

int
stratus_comparison_figure_index (const char *path)
{
  for (size_t i = 0; path != NULL && i < stratus_comparison_figure_count (); i++)
    if (strcmp (compare_figure (i)->path, path) == 0)
      return (int) i;
  return -1;
}

const char *
compare_section_title (CompareSection section)
{
  static const char *const titles[COMPARE_N_SECTIONS] = {
    "Cost (USD per month)",
    "Latency (ms, successful requests, at the client)",
    "Availability (% of the requests that ended)",
    "Errors (requests)",
  };
  return titles[section];
}

/* ---- building ----------------------------------------------------------------------------- */

StratusComparison *
stratus_comparison_new (const StratusCompareScenario *scenarios, unsigned n, uint64_t seed,
                        unsigned replications, bool common_workloads)
{
  g_return_val_if_fail (n >= 2, NULL);
  StratusComparison *c = g_new0 (StratusComparison, 1);
  c->n = n;
  c->seed = seed;
  c->replications = replications;
  c->common_workloads = common_workloads;
  c->labels = g_new0 (char *, n + 1);
  c->files = g_new0 (char *, n + 1);
  c->names = g_new0 (char *, n + 1);
  for (unsigned i = 0; i < n; i++)
    {
      c->labels[i] = g_strdup (scenarios[i].label);
      c->files[i] = g_strdup (scenarios[i].file != NULL ? scenarios[i].file : "");
      c->names[i] = g_strdup (scenarios[i].name != NULL ? scenarios[i].name : "");
    }
  c->figures = stratus_comparison_figure_count ();
  c->values = g_new0 (StratusSummary, (size_t) n * c->figures);
  c->diffs = g_new0 (StratusSummary, (size_t) n * c->figures);
  c->baseline = g_new (double, c->figures);
  for (size_t f = 0; f < c->figures; f++)
    c->baseline[f] = NAN;
  return c;
}

void
stratus_comparison_free (StratusComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_strfreev (comparison->labels);
  g_strfreev (comparison->files);
  g_strfreev (comparison->names);
  g_free (comparison->values);
  g_free (comparison->diffs);
  g_free (comparison->baseline);
  g_free (comparison);
}

/* The value of figure `path` in a report of one replication; NAN when it has none. The
 * success ratio of a report without one (no faults, no SLO) is requests.ok / requests.total,
 * its definition. */
static double
read_figure (const StratusReport *report, const char *path)
{
  double v;
  if (stratus_report_figure (report, path, &v, NULL))
    return v;
  double ok, total;
  if (strcmp (path, "availability.success_ratio") == 0
      && stratus_report_figure (report, "requests.ok", &ok, NULL)
      && stratus_report_figure (report, "requests.total", &total, NULL) && total > 0)
    return ok / total;
  return NAN;
}

void
stratus_comparison_add (StratusComparison *comparison, unsigned scenario,
                        const StratusReport *report)
{
  StratusComparison *c = comparison;
  g_return_if_fail (scenario < c->n);
  for (size_t f = 0; f < c->figures; f++)
    {
      double v = read_figure (report, compare_figure (f)->path);
      if (isfinite (v))
        stratus_summary_add (&c->values[scenario * c->figures + f], v);
      if (scenario == 0)
        c->baseline[f] = v;
      else if (isfinite (v) && isfinite (c->baseline[f]))
        stratus_summary_add (&c->diffs[scenario * c->figures + f], v - c->baseline[f]);
    }
}

/* ---- reading ------------------------------------------------------------------------------ */

bool
stratus_comparison_value (const StratusComparison *comparison, unsigned scenario, size_t figure,
                          double *mean, double *ci95, unsigned *n)
{
  g_return_val_if_fail (scenario < comparison->n && figure < comparison->figures, false);
  const StratusSummary *s = &comparison->values[scenario * comparison->figures + figure];
  if (s->n == 0)
    return false;
  if (mean != NULL)
    *mean = s->mean;
  if (ci95 != NULL)
    *ci95 = stratus_summary_ci95 (s);
  if (n != NULL)
    *n = (unsigned) s->n;
  return true;
}

bool
stratus_comparison_difference (const StratusComparison *comparison, unsigned scenario,
                               size_t figure, double *mean, double *paired_ci95,
                               double *unpaired_ci95, unsigned *n)
{
  g_return_val_if_fail (scenario >= 1 && scenario < comparison->n
                          && figure < comparison->figures, false);
  const StratusSummary *d = &comparison->diffs[scenario * comparison->figures + figure];
  if (d->n == 0)
    return false;
  if (mean != NULL)
    *mean = d->mean;
  if (paired_ci95 != NULL)
    *paired_ci95 = stratus_summary_ci95 (d);
  if (unpaired_ci95 != NULL)
    {
      double a = 0, b = 0;
      stratus_comparison_value (comparison, 0, figure, NULL, &a, NULL);
      stratus_comparison_value (comparison, scenario, figure, NULL, &b, NULL);
      *unpaired_ci95 = sqrt (a * a + b * b);
    }
  if (n != NULL)
    *n = (unsigned) d->n;
  return true;
}

unsigned
stratus_comparison_scenario_count (const StratusComparison *comparison)
{
  return comparison->n;
}

const char *
stratus_comparison_label (const StratusComparison *comparison, unsigned scenario)
{
  g_return_val_if_fail (scenario < comparison->n, NULL);
  return comparison->labels[scenario];
}
