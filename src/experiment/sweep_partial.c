/* Partial results of a sweep (stratus/sweep.h): a shard's or an MPI rank's records, as an
 * exact text (values in hexadecimal floating point), and their merge in pair order.
 *
 * The text, one item per line, strings escaped with g_strescape:
 *   stratus.sweep-partial/1
 *   scenario_file S / scenario_name S / seed N / replications R / shard I N
 *   set S                        (each --set, in order)
 *   key S                        (each varied key, in order)
 *   point S<TAB>S...             (each point's values, in point order)
 *   figure I C S                 (figure I of this partial: C 1 for a count; its path)
 *   pair P I=HEX I=HEX ...       (pair P's figures, in its order)
 *   end */
#include "sweep_private.h"

#include <stdio.h>
#include <string.h>

StratusSweepPartial *
stratus_sweep_partial_new (const StratusSweepDefinition *definition, unsigned shard,
                           unsigned shards)
{
  StratusSweepPartial *p = g_new0 (StratusSweepPartial, 1);
  sweep_facts_init (&p->facts, definition);
  p->shard = shard;
  p->shards = shards;
  p->pairs = g_array_new (FALSE, FALSE, sizeof (size_t));
  p->records = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_sweep_record_free);
  return p;
}

void
stratus_sweep_partial_free (StratusSweepPartial *partial)
{
  if (partial == NULL)
    return;
  sweep_facts_clear (&partial->facts);
  g_array_unref (partial->pairs);
  g_ptr_array_unref (partial->records);
  g_free (partial);
}

void
stratus_sweep_partial_add (StratusSweepPartial *partial, size_t pair,
                           const StratusSweepRecord *record)
{
  g_array_append_val (partial->pairs, pair);
  g_ptr_array_add (partial->records, record_copy (record));
}

/* Appends `key` and `value` escaped, then a newline. */
static void
put_line (GString *out, const char *key, const char *value)
{
  char *escaped = g_strescape (value, NULL);
  g_string_append_printf (out, "%s %s\n", key, escaped);
  g_free (escaped);
}

char *
stratus_sweep_partial_serialize (const StratusSweepPartial *partial)
{
  const SweepFacts *f = &partial->facts;
  GString *out = g_string_new (STRATUS_SWEEP_PARTIAL_SCHEMA "\n");
  put_line (out, "scenario_file", f->scenario_file);
  put_line (out, "scenario_name", f->scenario_name);
  g_string_append_printf (out, "seed %" G_GUINT64_FORMAT "\nreplications %u\nshard %u %u\n",
                          f->seed, f->replications, partial->shard, partial->shards);
  for (char **s = f->base_overrides; *s != NULL; s++)
    put_line (out, "set", *s);
  for (size_t k = 0; k < f->n_keys; k++)
    put_line (out, "key", f->keys[k]);
  for (size_t p = 0; p < f->points; p++)
    {
      g_string_append (out, "point");
      for (size_t k = 0; k < f->n_keys; k++)
        {
          char *escaped = g_strescape (f->values[p * f->n_keys + k], NULL);
          g_string_append_printf (out, "%s%s", k == 0 ? " " : "\t", escaped);
          g_free (escaped);
        }
      g_string_append_c (out, '\n');
    }
  /* This partial's own figure table, in order of first appearance. */
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);
  GString *pairs = g_string_new (NULL);
  for (guint i = 0; i < partial->pairs->len; i++)
    {
      const StratusSweepRecord *record = partial->records->pdata[i];
      g_string_append_printf (pairs, "pair %zu", g_array_index (partial->pairs, size_t, i));
      for (guint j = 0; j < record->figures->len; j++)
        {
          const RecordFigure *rf = &g_array_index (record->figures, RecordFigure, j);
          gpointer pos = g_hash_table_lookup (index, rf->path);
          if (pos == NULL)
            {
              pos = GUINT_TO_POINTER (g_hash_table_size (index) + 1);
              g_hash_table_insert (index, rf->path, pos);
              char *escaped = g_strescape (rf->path, NULL);
              g_string_append_printf (out, "figure %u %d %s\n", GPOINTER_TO_UINT (pos) - 1,
                                      rf->is_count ? 1 : 0, escaped);
              g_free (escaped);
            }
          g_string_append_printf (pairs, " %u=%a", GPOINTER_TO_UINT (pos) - 1, rf->value);
        }
      g_string_append_c (pairs, '\n');
    }
  g_hash_table_unref (index);
  g_string_append (out, pairs->str);
  g_string_free (pairs, TRUE);
  g_string_append (out, "end\n");
  return g_string_free (out, FALSE);
}

/* ---- parsing ------------------------------------------------------------------------------ */

typedef struct
{
  const char *origin;
  size_t line;
  GError **error;
} Parse;

static bool
parse_fail (Parse *ps, const char *message)
{
  g_set_error (ps->error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%zu: %s", ps->origin, ps->line,
               message);
  return false;
}

/* A whole unsigned number; false if `text` is not one. */
static bool
parse_count (const char *text, guint64 max, guint64 *value)
{
  return g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

/* The figures of a "pair" line's rest into `record`, by the partial's figure table. */
static bool
parse_pair_values (Parse *ps, char **fields, const GPtrArray *paths, const GArray *counts,
                   StratusSweepRecord *record)
{
  for (char **f = fields; *f != NULL; f++)
    {
      char *eq = strchr (*f, '=');
      guint64 index;
      if (eq == NULL)
        return parse_fail (ps, "a pair's figure is INDEX=VALUE");
      *eq = '\0';
      if (!parse_count (*f, G_MAXUINT32, &index) || index >= paths->len)
        return parse_fail (ps, "a pair names a figure that was not declared");
      char *end = NULL;
      double value = g_ascii_strtod (eq + 1, &end);
      if (end == eq + 1 || *end != '\0')
        return parse_fail (ps, "a figure's value is not a number");
      record_append (record, paths->pdata[index], g_array_index (counts, gboolean, index),
                     value);
    }
  return true;
}

/* One line (its first word `word`, the rest `rest`) into `p`. */
static bool
parse_line (Parse *ps, StratusSweepPartial *p, const char *word, char *rest, bool has_rest,
            GPtrArray *points, GPtrArray *paths, GArray *counts)
{
  SweepFacts *f = &p->facts;
  guint64 a, b;
  if (strcmp (word, "scenario_file") == 0 || strcmp (word, "scenario_name") == 0)
    {
      char **slot = word[9] == 'f' ? &f->scenario_file : &f->scenario_name;
      g_free (*slot);
      *slot = g_strcompress (rest);
    }
  else if (strcmp (word, "seed") == 0)
    {
      if (!parse_count (rest, G_MAXUINT64, &a))
        return parse_fail (ps, "seed is not a whole number");
      f->seed = a;
    }
  else if (strcmp (word, "replications") == 0)
    {
      if (!parse_count (rest, 100000, &a) || a == 0)
        return parse_fail (ps, "replications is not a whole number from 1 to 100000");
      f->replications = (unsigned) a;
    }
  else if (strcmp (word, "shard") == 0)
    {
      char **two = g_strsplit (rest, " ", -1);
      bool ok = g_strv_length (two) == 2 && parse_count (two[0], 100000, &a)
                && parse_count (two[1], 100000, &b) && b >= 1 && a < b;
      g_strfreev (two);
      if (!ok)
        return parse_fail (ps, "shard is 'I N' with 0 <= I < N");
      p->shard = (unsigned) a;
      p->shards = (unsigned) b;
    }
  else if (strcmp (word, "set") == 0 || strcmp (word, "key") == 0)
    {
      char ***list = word[0] == 's' ? &f->base_overrides : &f->keys;
      guint n = g_strv_length (*list);
      *list = g_renew (char *, *list, n + 2);
      (*list)[n] = g_strcompress (rest);
      (*list)[n + 1] = NULL;
    }
  else if (strcmp (word, "point") == 0)
    {
      /* "point" alone: no keys; "point " then the values, one of which may be empty. */
      char **values;
      if (has_rest && rest[0] != '\0')
        values = g_strsplit (rest, "\t", -1);
      else
        {
          values = g_new0 (char *, 2);
          values[0] = has_rest ? g_strdup ("") : NULL;
        }
      for (char **v = values; *v != NULL; v++)
        {
          char *plain = g_strcompress (*v);
          g_free (*v);
          *v = plain;
        }
      g_ptr_array_add (points, values);
    }
  else if (strcmp (word, "figure") == 0)
    {
      char **three = g_strsplit (rest, " ", 3);
      bool ok = g_strv_length (three) == 3 && parse_count (three[0], G_MAXUINT32, &a)
                && a == paths->len && parse_count (three[1], 1, &b);
      if (ok)
        {
          g_ptr_array_add (paths, g_strcompress (three[2]));
          gboolean is_count = b == 1;
          g_array_append_val (counts, is_count);
        }
      g_strfreev (three);
      if (!ok)
        return parse_fail (ps, "figure is 'INDEX COUNT PATH', indices in order from 0");
    }
  else if (strcmp (word, "pair") == 0)
    {
      char **fields = g_strsplit (rest, " ", -1);
      bool ok = fields[0] != NULL && parse_count (fields[0], G_MAXUINT64, &a)
                && (p->pairs->len == 0
                    || a > g_array_index (p->pairs, size_t, p->pairs->len - 1));
      StratusSweepRecord *record = record_new ();
      if (!ok)
        parse_fail (ps, "pair numbers must be whole numbers in increasing order");
      else
        ok = parse_pair_values (ps, fields + 1, paths, counts, record);
      g_strfreev (fields);
      if (!ok)
        {
          stratus_sweep_record_free (record);
          return false;
        }
      size_t pair = (size_t) a;
      g_array_append_val (p->pairs, pair);
      g_ptr_array_add (p->records, record);
    }
  else
    return parse_fail (ps, "unknown line (is this a partial written by this stratus?)");
  return true;
}

/* Checks that the points and pairs fit the facts, and stores the points. */
static bool
finish_facts (Parse *ps, StratusSweepPartial *p, GPtrArray *points)
{
  SweepFacts *f = &p->facts;
  f->n_keys = g_strv_length (f->keys);
  f->points = points->len;
  if (f->points == 0 || f->replications == 0 || p->shards == 0 || f->scenario_file == NULL
      || f->scenario_name == NULL)
    return parse_fail (ps, "incomplete: the sweep's scenario, replications, shard or points "
                           "are missing");
  f->values = g_new0 (char *, f->points * f->n_keys + 1);
  for (size_t i = 0; i < f->points; i++)
    {
      char **row = points->pdata[i];
      if (g_strv_length (row) != f->n_keys)
        return parse_fail (ps, "a point has not one value per key");
      for (size_t k = 0; k < f->n_keys; k++)
        f->values[i * f->n_keys + k] = g_strdup (row[k]);
    }
  for (guint i = 0; i < p->pairs->len; i++)
    if (g_array_index (p->pairs, size_t, i) >= f->points * f->replications)
      return parse_fail (ps, "a pair number is beyond the sweep's points x replications");
  return true;
}

StratusSweepPartial *
stratus_sweep_partial_parse (const char *text, const char *origin, GError **error)
{
  StratusSweepPartial *p = g_new0 (StratusSweepPartial, 1);
  p->facts.base_overrides = g_new0 (char *, 1);
  p->facts.keys = g_new0 (char *, 1);
  p->pairs = g_array_new (FALSE, FALSE, sizeof (size_t));
  p->records = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_sweep_record_free);
  GPtrArray *points = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  GArray *counts = g_array_new (FALSE, FALSE, sizeof (gboolean));
  char **lines = g_strsplit (text, "\n", -1);
  Parse ps = { origin, 1, error };
  bool ok = lines[0] != NULL && strcmp (lines[0], STRATUS_SWEEP_PARTIAL_SCHEMA) == 0;
  if (!ok)
    parse_fail (&ps, "not a partial sweep result (" STRATUS_SWEEP_PARTIAL_SCHEMA ")");
  bool ended = false;
  for (size_t i = 1; ok && lines[i] != NULL; i++)
    {
      ps.line = i + 1;
      char *line = lines[i];
      if (ended)
        {
          if (line[0] != '\0')
            ok = parse_fail (&ps, "text after 'end'");
          continue;
        }
      if (strcmp (line, "end") == 0)
        {
          ended = true;
          continue;
        }
      if (line[0] == '\0' && lines[i + 1] == NULL)
        break; /* the text's last newline: a text cut after a line is 'truncated' */
      char *space = strchr (line, ' ');
      char *rest = space != NULL ? space + 1 : line + strlen (line);
      if (space != NULL)
        *space = '\0';
      ok = parse_line (&ps, p, line, rest, space != NULL, points, paths, counts);
    }
  if (ok && !ended)
    ok = parse_fail (&ps, "truncated: no 'end' line (was the shard interrupted?)");
  if (ok)
    ok = finish_facts (&ps, p, points);
  g_strfreev (lines);
  g_ptr_array_unref (points);
  g_ptr_array_unref (paths);
  g_array_unref (counts);
  if (!ok)
    {
      stratus_sweep_partial_free (p);
      return NULL;
    }
  return p;
}

/* ---- merging ------------------------------------------------------------------------------ */

/* A pair of some partial, for sorting. */
typedef struct
{
  size_t pair;
  const StratusSweepRecord *record;
} PairRef;

static gint
compare_pairs (gconstpointer a, gconstpointer b)
{
  size_t x = ((const PairRef *) a)->pair, y = ((const PairRef *) b)->pair;
  return x < y ? -1 : x > y;
}

StratusSweepResults *
stratus_sweep_partials_merge (StratusSweepPartial *const *partials, size_t n, GError **error)
{
  g_return_val_if_fail (n >= 1, NULL);
  const SweepFacts *facts = &partials[0]->facts;
  unsigned shards = partials[0]->shards;
  for (size_t i = 1; i < n; i++)
    if (!sweep_facts_equal (facts, &partials[i]->facts) || partials[i]->shards != shards)
      {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     "the partial results are not all of the same sweep (scenario, --set, "
                     "--vary, --reps, --seed and the shard count must match)");
        return NULL;
      }
  size_t total = facts->points * facts->replications;
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (PairRef));
  for (size_t i = 0; i < n; i++)
    for (guint j = 0; j < partials[i]->pairs->len; j++)
      {
        PairRef ref = { g_array_index (partials[i]->pairs, size_t, j),
                        partials[i]->records->pdata[j] };
        g_array_append_val (refs, ref);
      }
  g_array_sort (refs, compare_pairs);
  /* Every pair exactly once: none doubled or beyond the sweep, then none missing. */
  for (guint i = 0; i < refs->len; i++)
    {
      size_t got = g_array_index (refs, PairRef, i).pair;
      if (got >= total)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     "pair %zu is beyond the sweep's %zu (point, replication) pairs", got, total);
      else if (i > 0 && got == g_array_index (refs, PairRef, i - 1).pair)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     "pair %zu (point %zu, replication %zu) is in more than one partial result "
                     "(was a shard given twice?)", got, got / facts->replications + 1,
                     got % facts->replications + 1);
      else
        continue;
      g_array_unref (refs);
      return NULL;
    }
  if (refs->len < total)
    {
      /* The shards (pair % shards, as `stratus sweep --shard` splits them) with pairs
       * missing: their partial results were not given, or are of a shorter run. */
      bool *short_of = g_new0 (bool, shards);
      size_t expect = 0;
      for (guint i = 0; i <= refs->len; i++)
        {
          size_t got = i < refs->len ? g_array_index (refs, PairRef, i).pair : total;
          for (; expect < got; expect++)
            short_of[expect % shards] = true;
          expect = got + 1;
        }
      GString *which = g_string_new (NULL), *files = g_string_new (NULL);
      unsigned listed = 0, count = 0;
      for (unsigned s = 0; s < shards; s++)
        if (short_of[s] && count++ < 4)
          {
            g_string_append_printf (which, "%s%u/%u", listed > 0 ? ", " : "", s, shards);
            g_string_append_printf (files, "%spart-%u-of-%u.sweep", listed > 0 ? ", " : "", s,
                                    shards);
            listed++;
          }
      if (count > listed)
        {
          g_string_append_printf (which, " and %u more", count - listed);
          g_string_append (files, ", ...");
        }
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%zu of the %zu (point, replication) pairs are missing: those of shard%s %s "
                   "(%s %s missing?)", total - refs->len, total, count == 1 ? "" : "s",
                   which->str, count == 1 ? "is" : "are", files->str);
      g_string_free (which, TRUE);
      g_string_free (files, TRUE);
      g_free (short_of);
      g_array_unref (refs);
      return NULL;
    }
  StratusSweepResults *results = sweep_results_from_facts (facts);
  for (guint i = 0; i < refs->len; i++)
    stratus_sweep_results_add (results, g_array_index (refs, PairRef, i).pair,
                               g_array_index (refs, PairRef, i).record);
  g_array_unref (refs);
  return results;
}
