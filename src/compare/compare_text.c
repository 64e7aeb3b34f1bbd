/* The table of a comparison (compare.txt, and what `stratus compare` prints): a column per
 * scenario, then one per difference from the first, a row per figure, by section. */
#include "compare_private.h"

#include <math.h>
#include <string.h>

/* ---- cells -------------------------------------------------------------------------------- */

/* Decimals and scale of `unit` for a comparison of `replications`. */
static void
unit_format (CompareUnit unit, unsigned replications, int *decimals, double *scale)
{
  *scale = 1;
  switch (unit)
    {
    case COMPARE_UNIT_RATIO:
      *scale = 100;
      *decimals = 3;
      break;
    case COMPARE_UNIT_COUNT:
      *decimals = replications > 1 ? 1 : 0;
      break;
    case COMPARE_UNIT_USD:
    case COMPARE_UNIT_MS:
    default:
      *decimals = 2;
      break;
    }
}

/* `v` with `decimals` decimals, an explicit sign when `signed_value`; never "-0.00" (a value
 * that rounds to zero reads "0.00", or "+0.00" with a sign). Caller frees. */
static char *
format_number (double v, int decimals, bool signed_value)
{
  char *text = g_strdup_printf (signed_value ? "%+.*f" : "%.*f", decimals, v);
  if (text[0] == '-' && g_ascii_strtod (text, NULL) == 0)
    {
      char *fixed = g_strconcat (signed_value ? "+" : "", text + 1, NULL);
      g_free (text);
      text = fixed;
    }
  return text;
}

char *
compare_format_cell (const StratusComparison *c, CompareUnit unit, bool present, double mean,
                     double ci95, bool signed_value)
{
  if (!present)
    return g_strdup ("-");
  int decimals;
  double scale;
  unit_format (unit, c->replications, &decimals, &scale);
  char *value = format_number (mean * scale, decimals, signed_value);
  if (c->replications < 2)
    return value;
  char *half = format_number (ci95 * scale, decimals, false);
  char *cell = g_strdup_printf ("%s \xc2\xb1 %s", value, half);
  g_free (value);
  g_free (half);
  return cell;
}

/* ---- rows --------------------------------------------------------------------------------- */

/* True if the table leaves figure `f` out: a figure hidden when zero that every scenario
 * has at 0 in every replication (or not at all). */
static bool
row_hidden (const StratusComparison *c, size_t f)
{
  if (!compare_figure (f)->hide_when_zero)
    return false;
  for (unsigned s = 0; s < c->n; s++)
    {
      double mean, ci;
      if (stratus_comparison_value (c, s, f, &mean, &ci, NULL) && (mean != 0 || ci != 0))
        return false;
    }
  return true;
}

/* Appends a row of cells (owned by the caller) to `rows`: `label` then one cell per
 * scenario and per difference; NULL cells for a section's title row. */
static void
add_row (GPtrArray *rows, char *label, char **cells)
{
  g_ptr_array_add (rows, label);
  g_ptr_array_add (rows, cells);
}

/* The cells of figure `f`: scenarios, then the differences from scenario 0 (NULL-
 * terminated, caller frees with g_strfreev). */
static char **
figure_cells (const StratusComparison *c, size_t f)
{
  const CompareFigure *fig = compare_figure (f);
  char **cells = g_new0 (char *, 2 * c->n);
  for (unsigned s = 0; s < c->n; s++)
    {
      double mean = 0, ci = 0;
      bool present = stratus_comparison_value (c, s, f, &mean, &ci, NULL);
      cells[s] = compare_format_cell (c, fig->unit, present, mean, ci, false);
    }
  for (unsigned s = 1; s < c->n; s++)
    {
      double mean = 0, ci = 0;
      bool present = stratus_comparison_difference (c, s, f, &mean, &ci, NULL, NULL);
      cells[c->n + s - 1] = compare_format_cell (c, fig->unit, present, mean, ci, true);
    }
  return cells;
}

/* The table's rows as (label, cells) pairs: a header row, then per section a title row
 * (cells NULL) and its figures' rows. Free with free_rows. */
static GPtrArray *
table_rows (const StratusComparison *c)
{
  GPtrArray *rows = g_ptr_array_new ();
  char **header = g_new0 (char *, 2 * c->n);
  for (unsigned s = 0; s < c->n; s++)
    header[s] = g_strdup (c->labels[s]);
  for (unsigned s = 1; s < c->n; s++)
    header[c->n + s - 1] = g_strdup_printf ("\xce\x94 %s", c->labels[s]);
  add_row (rows, g_strdup (""), header);
  for (int section = 0; section < COMPARE_N_SECTIONS; section++)
    {
      add_row (rows, g_strdup (compare_section_title ((CompareSection) section)), NULL);
      for (size_t f = 0; f < c->figures; f++)
        if (compare_figure (f)->section == (CompareSection) section && !row_hidden (c, f))
          add_row (rows, g_strconcat ("  ", compare_figure (f)->row, NULL), figure_cells (c, f));
    }
  return rows;
}

static void
free_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i += 2)
    {
      g_free (g_ptr_array_index (rows, i));
      g_strfreev (g_ptr_array_index (rows, i + 1));
    }
  g_ptr_array_unref (rows);
}

/* Appends `text` padded with spaces to `width` characters (UTF-8 aware), on the right
 * (`right_align`: on the left). */
static void
append_padded (GString *out, const char *text, size_t width, bool right_align)
{
  size_t len = (size_t) g_utf8_strlen (text, -1);
  if (!right_align)
    g_string_append (out, text);
  for (size_t i = len; i < width; i++)
    g_string_append_c (out, ' ');
  if (right_align)
    g_string_append (out, text);
}

/* Appends the rows as a table: labels left-aligned, cells right-aligned, 3 spaces apart. */
static void
append_table (GString *out, const StratusComparison *c, GPtrArray *rows)
{
  size_t columns = 2 * c->n - 1;
  size_t *width = g_new0 (size_t, columns + 1); /* [0]: labels of figure rows */
  for (guint i = 0; i < rows->len; i += 2)
    {
      char **cells = g_ptr_array_index (rows, i + 1);
      if (cells == NULL)
        continue;
      width[0] = MAX (width[0], (size_t) g_utf8_strlen (g_ptr_array_index (rows, i), -1));
      for (size_t k = 0; k < columns; k++)
        width[k + 1] = MAX (width[k + 1], (size_t) g_utf8_strlen (cells[k], -1));
    }
  for (guint i = 0; i < rows->len; i += 2)
    {
      const char *label = g_ptr_array_index (rows, i);
      char **cells = g_ptr_array_index (rows, i + 1);
      if (cells == NULL)
        {
          g_string_append_printf (out, "%s\n", label);
          continue;
        }
      append_padded (out, label, width[0], false);
      for (size_t k = 0; k < columns; k++)
        {
          g_string_append (out, "   ");
          append_padded (out, cells[k], width[k + 1], true);
        }
      g_string_append_c (out, '\n');
    }
  g_free (width);
}

/* ---- the text ----------------------------------------------------------------------------- */

/* The lines above the table: what was compared, how, and how to read it. */
static void
append_header (GString *out, const StratusComparison *c)
{
  g_string_append (out, "stratus compare:");
  for (unsigned s = 0; s < c->n; s++)
    g_string_append_printf (out, "%s %s", s > 0 ? "," : "", c->labels[s]);
  g_string_append_printf (out, "\n  seed %" G_GUINT64_FORMAT ", %u replication%s of each "
                          "(replication k of every scenario on the same random streams)\n",
                          c->seed, c->replications, c->replications == 1 ? "" : "s");
  size_t width = 0;
  for (unsigned s = 0; s < c->n; s++)
    width = MAX (width, (size_t) g_utf8_strlen (c->labels[s], -1));
  for (unsigned s = 0; s < c->n; s++)
    {
      g_string_append (out, "  ");
      append_padded (out, c->labels[s], width, false);
      g_string_append_printf (out, "   %s (%s)\n", c->files[s], c->names[s]);
    }
  if (c->replications > 1)
    g_string_append_printf (out, "  figures are means \xc2\xb1 95%% CI; \xce\x94 X is X minus %s,\n"
                            "  \xc2\xb1 the 95%% CI of the paired per-replication differences\n",
                            c->labels[0]);
  else
    g_string_append_printf (out, "  one replication: no intervals (--reps 2 or more gives "
                            "them); \xce\x94 X is X minus %s\n", c->labels[0]);
  if (!c->common_workloads)
    g_string_append (out, "  note: the scenarios' workloads have different names, so their "
                          "arrivals differ: the differences are paired by replication only\n");
  g_string_append (out, "  -: the scenario's report has no such figure\n");
}

char *
stratus_comparison_text (const StratusComparison *comparison)
{
  GString *out = g_string_new (NULL);
  append_header (out, comparison);
  g_string_append_c (out, '\n');
  GPtrArray *rows = table_rows (comparison);
  append_table (out, comparison, rows);
  free_rows (rows);
  return g_string_free (out, FALSE);
}
