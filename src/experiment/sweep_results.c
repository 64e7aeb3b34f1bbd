/* The results of a sweep (stratus/sweep.h): every figure's running summary at every point,
 * taken in pair order. */
#include "sweep_private.h"

#include <string.h>

StratusSweepResults *
sweep_results_from_facts (const SweepFacts *facts)
{
  StratusSweepResults *r = g_new0 (StratusSweepResults, 1);
  sweep_facts_copy (&r->facts, facts);
  r->figures = g_array_new (FALSE, FALSE, sizeof (SweepFigure));
  r->index = g_hash_table_new (g_str_hash, g_str_equal);
  r->summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (size_t p = 0; p < facts->points; p++)
    g_ptr_array_add (r->summaries, g_array_new (FALSE, TRUE, sizeof (StratusSummary)));
  r->next_rep = g_new0 (unsigned, facts->points);
  return r;
}

StratusSweepResults *
stratus_sweep_results_new (const StratusSweepDefinition *definition)
{
  SweepFacts facts;
  sweep_facts_init (&facts, definition);
  StratusSweepResults *r = sweep_results_from_facts (&facts);
  sweep_facts_clear (&facts);
  return r;
}

void
stratus_sweep_results_free (StratusSweepResults *results)
{
  if (results == NULL)
    return;
  sweep_facts_clear (&results->facts);
  for (guint i = 0; i < results->figures->len; i++)
    g_free (g_array_index (results->figures, SweepFigure, i).path);
  g_array_unref (results->figures);
  g_hash_table_unref (results->index);
  g_ptr_array_unref (results->summaries);
  g_free (results->next_rep);
  g_free (results);
}

/* The index of figure `path`, added if new. */
static size_t
figure_slot (StratusSweepResults *r, const char *path, bool is_count)
{
  gpointer pos = g_hash_table_lookup (r->index, path);
  if (pos != NULL)
    return GPOINTER_TO_SIZE (pos) - 1;
  SweepFigure f = { g_strdup (path), is_count };
  g_array_append_val (r->figures, f);
  /* The keys are the figures' strings, which stay put when the array grows. */
  g_hash_table_insert (r->index, f.path, GSIZE_TO_POINTER ((gsize) r->figures->len));
  return r->figures->len - 1;
}

void
stratus_sweep_results_add (StratusSweepResults *results, size_t pair,
                           const StratusSweepRecord *record)
{
  StratusSweepResults *r = results;
  size_t point = pair / r->facts.replications;
  unsigned rep = (unsigned) (pair % r->facts.replications);
  g_return_if_fail (point < r->facts.points && rep == r->next_rep[point]);
  r->next_rep[point] = rep + 1;
  GArray *summaries = r->summaries->pdata[point];
  for (guint i = 0; i < record->figures->len; i++)
    {
      const RecordFigure *f = &g_array_index (record->figures, RecordFigure, i);
      size_t slot = figure_slot (r, f->path, f->is_count);
      if (summaries->len <= slot)
        g_array_set_size (summaries, (guint) slot + 1);
      stratus_summary_add (&g_array_index (summaries, StratusSummary, slot), f->value);
    }
}

size_t
stratus_sweep_results_point_count (const StratusSweepResults *results)
{
  return results->facts.points;
}

size_t
stratus_sweep_results_key_count (const StratusSweepResults *results)
{
  return results->facts.n_keys;
}

unsigned
stratus_sweep_results_replications (const StratusSweepResults *results)
{
  return results->facts.replications;
}

const char *
stratus_sweep_results_key (const StratusSweepResults *results, size_t key)
{
  g_return_val_if_fail (key < results->facts.n_keys, NULL);
  return results->facts.keys[key];
}

const char *
stratus_sweep_results_key_value (const StratusSweepResults *results, size_t point, size_t key)
{
  g_return_val_if_fail (point < results->facts.points && key < results->facts.n_keys, NULL);
  return results->facts.values[point * results->facts.n_keys + key];
}

size_t
stratus_sweep_results_figure_count (const StratusSweepResults *results)
{
  return results->figures->len;
}

const char *
stratus_sweep_results_figure_path (const StratusSweepResults *results, size_t figure)
{
  g_return_val_if_fail (figure < results->figures->len, NULL);
  return g_array_index (results->figures, SweepFigure, figure).path;
}

const char *
sweep_figure_alias (const char *name)
{
  static const char *const aliases[][2] = {
    { "availability", "availability.success_ratio" },
    { "monthly_cost", "cost.monthly_usd" },
    { "cost", "cost.monthly_usd" },
    { "p99", "latency_ms.p99" },
    { "p50", "latency_ms.p50" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (name, aliases[i][0]) == 0)
      return aliases[i][1];
  return name;
}

int
stratus_sweep_results_figure_index (const StratusSweepResults *results, const char *path)
{
  gpointer pos = g_hash_table_lookup (results->index, sweep_figure_alias (path));
  return pos != NULL ? (int) GPOINTER_TO_SIZE (pos) - 1 : -1;
}

bool
stratus_sweep_results_value (const StratusSweepResults *results, size_t point, size_t figure,
                             double *mean, double *ci95, unsigned *n)
{
  g_return_val_if_fail (point < results->facts.points, false);
  const GArray *summaries = results->summaries->pdata[point];
  if (figure >= summaries->len)
    return false;
  const StratusSummary *s = &g_array_index (summaries, StratusSummary, figure);
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
