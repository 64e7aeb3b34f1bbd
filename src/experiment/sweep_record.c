/* One (point, replication) pair's figures (stratus/sweep.h), and the facts of a sweep. */
#include "sweep_private.h"

#include <string.h>

StratusSweepRecord *
record_new (void)
{
  StratusSweepRecord *record = g_new0 (StratusSweepRecord, 1);
  record->figures = g_array_new (FALSE, FALSE, sizeof (RecordFigure));
  return record;
}

void
record_append (StratusSweepRecord *record, const char *path, bool is_count, double value)
{
  RecordFigure f = { g_strdup (path), is_count, value };
  g_array_append_val (record->figures, f);
}

StratusSweepRecord *
stratus_sweep_record_new (void)
{
  return record_new ();
}

void
stratus_sweep_record_append (StratusSweepRecord *record, const char *path, bool is_count,
                             double value)
{
  g_return_if_fail (record != NULL && path != NULL);
  record_append (record, path, is_count, value);
}

StratusSweepRecord *
record_copy (const StratusSweepRecord *record)
{
  StratusSweepRecord *copy = record_new ();
  for (guint i = 0; i < record->figures->len; i++)
    {
      const RecordFigure *f = &g_array_index (record->figures, RecordFigure, i);
      record_append (copy, f->path, f->is_count, f->value);
    }
  return copy;
}

StratusSweepRecord *
stratus_sweep_record_from_report (const StratusReport *report)
{
  StratusSweepRecord *record = record_new ();
  bool has_ratio = false;
  for (size_t i = 0; i < stratus_report_figure_count (report); i++)
    {
      bool is_count;
      const char *path = stratus_report_figure_path (report, i, &is_count);
      double value;
      stratus_report_figure (report, path, &value, NULL);
      record_append (record, path, is_count, value);
      has_ratio = has_ratio || strcmp (path, "availability.success_ratio") == 0;
    }
  /* Without faults or an SLO the report has no success ratio: its definition. */
  double ok, total;
  if (!has_ratio && stratus_report_figure (report, "requests.ok", &ok, NULL)
      && stratus_report_figure (report, "requests.total", &total, NULL) && total > 0)
    record_append (record, "availability.success_ratio", false, ok / total);
  return record;
}

void
stratus_sweep_record_free (StratusSweepRecord *record)
{
  if (record == NULL)
    return;
  for (guint i = 0; i < record->figures->len; i++)
    g_free (g_array_index (record->figures, RecordFigure, i).path);
  g_array_unref (record->figures);
  g_free (record);
}

size_t
stratus_sweep_record_length (const StratusSweepRecord *record)
{
  return record->figures->len;
}

const char *
stratus_sweep_record_path (const StratusSweepRecord *record, size_t index, bool *is_count,
                           double *value)
{
  g_return_val_if_fail (index < record->figures->len, NULL);
  const RecordFigure *f = &g_array_index (record->figures, RecordFigure, index);
  if (is_count != NULL)
    *is_count = f->is_count;
  if (value != NULL)
    *value = f->value;
  return f->path;
}

/* ---- facts -------------------------------------------------------------------------------- */

void
sweep_facts_init (SweepFacts *facts, const StratusSweepDefinition *definition)
{
  const StratusSweepSpace *space = definition->space;
  facts->scenario_file = g_strdup (definition->scenario_file);
  facts->scenario_name = g_strdup (definition->scenario_name);
  facts->base_overrides = definition->base_overrides != NULL
                            ? g_strdupv ((char **) definition->base_overrides)
                            : g_new0 (char *, 1);
  facts->n_keys = stratus_sweep_space_key_count (space);
  facts->points = stratus_sweep_space_point_count (space);
  facts->keys = g_new0 (char *, facts->n_keys + 1);
  for (size_t k = 0; k < facts->n_keys; k++)
    facts->keys[k] = g_strdup (stratus_sweep_space_key (space, k));
  facts->values = g_new0 (char *, facts->points * facts->n_keys + 1);
  for (size_t p = 0; p < facts->points; p++)
    for (size_t k = 0; k < facts->n_keys; k++)
      facts->values[p * facts->n_keys + k] = g_strdup (stratus_sweep_space_value (space, p, k));
  facts->replications = definition->replications;
  facts->seed = definition->seed;
}

void
sweep_facts_copy (SweepFacts *to, const SweepFacts *from)
{
  *to = *from;
  to->scenario_file = g_strdup (from->scenario_file);
  to->scenario_name = g_strdup (from->scenario_name);
  to->base_overrides = g_strdupv (from->base_overrides);
  to->keys = g_strdupv (from->keys);
  to->values = g_strdupv (from->values);
}

void
sweep_facts_clear (SweepFacts *facts)
{
  g_free (facts->scenario_file);
  g_free (facts->scenario_name);
  g_strfreev (facts->base_overrides);
  g_strfreev (facts->keys);
  g_strfreev (facts->values);
  memset (facts, 0, sizeof *facts);
}

bool
sweep_facts_equal (const SweepFacts *a, const SweepFacts *b)
{
  return strcmp (a->scenario_file, b->scenario_file) == 0
         && strcmp (a->scenario_name, b->scenario_name) == 0
         && g_strv_equal ((const char *const *) a->base_overrides,
                          (const char *const *) b->base_overrides)
         && g_strv_equal ((const char *const *) a->keys, (const char *const *) b->keys)
         && g_strv_equal ((const char *const *) a->values, (const char *const *) b->values)
         && a->points == b->points && a->replications == b->replications
         && a->seed == b->seed;
}

/* ---- messages ----------------------------------------------------------------------------- */

char *
sweep_shown (const char *text, size_t max)
{
  size_t length = strlen (text), cut = length;
  if (length > max)
    {
      /* Not in the middle of a UTF-8 character. */
      cut = max;
      while (cut > 0 && ((unsigned char) text[cut] & 0xc0) == 0x80)
        cut--;
    }
  GString *out = g_string_sized_new (cut + 8);
  for (size_t i = 0; i < cut; i++)
    {
      unsigned char c = (unsigned char) text[i];
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\%03o", c);
      else
        g_string_append_c (out, (char) c);
    }
  if (cut < length)
    g_string_append (out, "...");
  return g_string_free (out, FALSE);
}
