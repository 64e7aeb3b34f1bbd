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

#include <stdarg.h>
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

/* The lines of a partial come in the order it is written: the header (scenario_file,
 * scenario_name, seed, replications, shard, set, key), the points, the figures, the pairs,
 * 'end'. Every limit is checked on the line that would pass it, before anything is
 * allocated for it, so that a hostile file costs no more memory than its own size. */
typedef enum
{
  SECTION_HEADER,
  SECTION_POINTS,
  SECTION_FIGURES,
  SECTION_PAIRS,
} Section;

static const char *const section_names[] = { "header", "points", "figures", "pairs" };

typedef struct
{
  const char *origin;
  size_t line;
  GError **error;
  StratusSweepPartial *p;
  Section section;
  bool has_file, has_name, has_seed, has_replications, has_shard;
  GPtrArray *sets, *keys; /* char *, owned */
  GHashTable *key_set;    /* the keys (borrowed) */
  GPtrArray *values;      /* char *, owned: points x keys, row-major */
  size_t points;
  GPtrArray *paths;       /* char *, owned: the figures, by index */
  GHashTable *path_set;   /* the paths (borrowed) */
  GArray *counts;         /* gboolean per figure */
  GArray *given_at;       /* size_t per figure: the line of the pair that last gave it */
} Parse;

static bool parse_fail (Parse *ps, const char *format, ...) G_GNUC_PRINTF (2, 3);

static bool
parse_fail (Parse *ps, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (ps->error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%zu: %s", ps->origin, ps->line,
               message);
  g_free (message);
  return false;
}

/* A whole unsigned number; false if `text` is not one. */
static bool
parse_count (const char *text, guint64 max, guint64 *value)
{
  return g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

/* `text` with the escapes of g_strescape undone, strictly (g_strcompress warns of a
 * backslash at the end, and makes "\0" a NUL that cuts the string): NULL with `*problem`
 * set at a backslash at the end (a cut escape), an octal escape outside \001..\377 or an
 * escape g_strescape does not write. Caller frees. */
static char *
unescape (const char *text, const char **problem)
{
  GString *out = g_string_sized_new (strlen (text));
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c != '\\')
        {
          g_string_append_c (out, *c);
          continue;
        }
      c++;
      char plain;
      switch (*c)
        {
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'v':
          plain = '\v';
          break;
        case '\\':
        case '"':
          plain = *c;
          break;
        case '\0':
          *problem = "a backslash ends the line (an escape cut short)";
          g_string_free (out, TRUE);
          return NULL;
        default:
          if (*c >= '0' && *c <= '7')
            {
              unsigned value = 0;
              int digits = 0;
              for (; digits < 3 && c[digits] >= '0' && c[digits] <= '7'; digits++)
                value = value * 8 + (unsigned) (c[digits] - '0');
              if (value == 0 || value > 0377)
                {
                  *problem = "an octal escape outside \\001 to \\377";
                  g_string_free (out, TRUE);
                  return NULL;
                }
              c += digits - 1;
              plain = (char) value;
              break;
            }
          *problem = "an unknown escape (a backslash is written \\\\)";
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, plain);
    }
  return g_string_free (out, FALSE);
}

/* `text` unescaped into `*value`; false (the error set, naming `what`) if malformed. */
static bool
parse_string (Parse *ps, const char *text, const char *what, char **value)
{
  const char *problem = NULL;
  *value = unescape (text, &problem);
  if (*value == NULL)
    return parse_fail (ps, "%s: %s", what, problem);
  /* The outputs (sweep.json) hold these strings: text, in UTF-8. */
  if (!g_utf8_validate (*value, -1, NULL))
    {
      g_clear_pointer (value, g_free);
      return parse_fail (ps, "%s: not UTF-8 text", what);
    }
  return true;
}

/* Whether the header has all it needs (the error set if not). */
static bool
header_complete (Parse *ps)
{
  const char *missing = !ps->has_file           ? "scenario_file"
                        : !ps->has_name         ? "scenario_name"
                        : !ps->has_seed         ? "seed"
                        : !ps->has_replications ? "replications"
                        : !ps->has_shard        ? "shard"
                                                : NULL;
  return missing == NULL
         || parse_fail (ps, "incomplete: no '%s' line in the header (the sweep's scenario, "
                            "seed, replications and shard come first)", missing);
}

/* A header line (`word` known to be one) into the parse. */
static bool
parse_header_line (Parse *ps, const char *word, const char *rest)
{
  StratusSweepPartial *p = ps->p;
  SweepFacts *f = &p->facts;
  guint64 a, b;
  if (strcmp (word, "scenario_file") == 0 || strcmp (word, "scenario_name") == 0)
    {
      bool is_file = word[9] == 'f';
      bool *has = is_file ? &ps->has_file : &ps->has_name;
      if (*has)
        return parse_fail (ps, "'%s' given twice", word);
      *has = true;
      return parse_string (ps, rest, word, is_file ? &f->scenario_file : &f->scenario_name);
    }
  if (strcmp (word, "seed") == 0)
    {
      if (ps->has_seed)
        return parse_fail (ps, "'seed' given twice");
      if (!parse_count (rest, G_MAXUINT64, &a))
        return parse_fail (ps, "seed is not a whole number");
      ps->has_seed = true;
      f->seed = a;
      return true;
    }
  if (strcmp (word, "replications") == 0)
    {
      if (ps->has_replications)
        return parse_fail (ps, "'replications' given twice");
      if (!parse_count (rest, SWEEP_MAX_REPLICATIONS, &a) || a == 0)
        return parse_fail (ps, "replications is not a whole number from 1 to %d",
                           SWEEP_MAX_REPLICATIONS);
      ps->has_replications = true;
      f->replications = (unsigned) a;
      return true;
    }
  if (strcmp (word, "shard") == 0)
    {
      if (ps->has_shard)
        return parse_fail (ps, "'shard' given twice");
      char **two = g_strsplit (rest, " ", 3);
      bool ok = g_strv_length (two) == 2 && parse_count (two[0], SWEEP_MAX_SHARDS - 1, &a)
                && parse_count (two[1], SWEEP_MAX_SHARDS, &b) && b >= 1 && a < b;
      g_strfreev (two);
      if (!ok)
        return parse_fail (ps, "shard is 'I N' with 0 <= I < N <= %d", SWEEP_MAX_SHARDS);
      ps->has_shard = true;
      p->shard = (unsigned) a;
      p->shards = (unsigned) b;
      return true;
    }
  char *value;
  if (strcmp (word, "set") == 0)
    {
      if (!parse_string (ps, rest, "set", &value))
        return false;
      g_ptr_array_add (ps->sets, value);
      return true;
    }
  /* "key" */
  if (ps->keys->len >= SWEEP_MAX_KEYS)
    return parse_fail (ps, "more than %d keys", SWEEP_MAX_KEYS);
  if (!parse_string (ps, rest, "key", &value))
    return false;
  if (g_hash_table_contains (ps->key_set, value))
    {
      char *shown = sweep_shown (value, 80);
      parse_fail (ps, "key '%s' given twice", shown);
      g_free (shown);
      g_free (value);
      return false;
    }
  g_ptr_array_add (ps->keys, value);
  g_hash_table_add (ps->key_set, value);
  return true;
}

/* A "point" line's rest (`has_rest`: "point " rather than "point") into the parse. */
static bool
parse_point (Parse *ps, char *rest, bool has_rest)
{
  const SweepFacts *f = &ps->p->facts;
  if (ps->points >= SWEEP_MAX_PAIRS / f->replications)
    return parse_fail (ps, "more than %d (point, replication) pairs (points x replications)",
                       SWEEP_MAX_PAIRS);
  /* "point" alone: no values; "point " then the values, tab-separated, any empty. */
  size_t n = 0;
  if (has_rest)
    {
      n = 1;
      for (const char *c = rest; *c != '\0'; c++)
        n += *c == '\t' ? 1 : 0;
    }
  if (n != ps->keys->len)
    return parse_fail (ps, "a point has not one value per key (%zu values, %u keys)", n,
                       ps->keys->len);
  for (char *value = rest; n > 0; n--)
    {
      char *tab = strchr (value, '\t');
      if (tab != NULL)
        *tab = '\0';
      char *plain;
      if (!parse_string (ps, value, "a point's value", &plain))
        return false;
      g_ptr_array_add (ps->values, plain);
      value = tab != NULL ? tab + 1 : value + strlen (value);
    }
  ps->points++;
  return true;
}

/* A "figure" line's rest into the parse. */
static bool
parse_figure (Parse *ps, const char *rest)
{
  static const char form[] = "figure is 'INDEX COUNT PATH', indices in order from 0 and "
                             "COUNT 0 or 1";
  if (ps->paths->len >= SWEEP_MAX_FIGURES)
    return parse_fail (ps, "more than %d figures", SWEEP_MAX_FIGURES);
  char **three = g_strsplit (rest, " ", 3);
  guint64 a, b;
  bool ok = g_strv_length (three) == 3 && parse_count (three[0], G_MAXUINT32, &a)
            && a == ps->paths->len && parse_count (three[1], 1, &b);
  char *path = NULL;
  if (!ok)
    parse_fail (ps, form);
  else
    ok = parse_string (ps, three[2], "a figure's path", &path);
  g_strfreev (three);
  if (!ok)
    return false;
  if (g_hash_table_contains (ps->path_set, path))
    {
      char *shown = sweep_shown (path, 80);
      parse_fail (ps, "figure '%s' declared twice", shown);
      g_free (shown);
      g_free (path);
      return false;
    }
  g_ptr_array_add (ps->paths, path);
  g_hash_table_add (ps->path_set, path);
  gboolean is_count = b == 1;
  g_array_append_val (ps->counts, is_count);
  size_t never = 0;
  g_array_append_val (ps->given_at, never);
  return true;
}

/* A "pair" line's figures (INDEX=VALUE fields) into `record`. */
static bool
parse_pair_values (Parse *ps, char *rest, StratusSweepRecord *record)
{
  for (char *field = rest; field != NULL;)
    {
      char *space = strchr (field, ' ');
      if (space != NULL)
        *space = '\0';
      char *eq = strchr (field, '=');
      guint64 index;
      if (eq == NULL)
        return parse_fail (ps, "a pair's figure is INDEX=VALUE");
      *eq = '\0';
      if (!parse_count (field, G_MAXUINT32, &index) || index >= ps->paths->len)
        return parse_fail (ps, "a pair names a figure that was not declared");
      size_t *given = &g_array_index (ps->given_at, size_t, index);
      if (*given == ps->line)
        return parse_fail (ps, "a pair gives figure %" G_GUINT64_FORMAT " twice", index);
      *given = ps->line;
      char *end = NULL;
      double value = g_ascii_strtod (eq + 1, &end);
      if (end == eq + 1 || *end != '\0' || g_ascii_isspace (eq[1]))
        return parse_fail (ps, "a figure's value is not a number");
      record_append (record, ps->paths->pdata[index],
                     g_array_index (ps->counts, gboolean, index), value);
      field = space != NULL ? space + 1 : NULL;
    }
  return true;
}

/* A "pair" line's rest (`has_rest`: "pair " rather than "pair") into the partial. */
static bool
parse_pair (Parse *ps, char *rest, bool has_rest)
{
  StratusSweepPartial *p = ps->p;
  char *space = strchr (rest, ' ');
  if (space != NULL)
    *space = '\0';
  guint64 a;
  if (!has_rest || !parse_count (rest, G_MAXUINT64, &a)
      || (p->pairs->len > 0 && a <= g_array_index (p->pairs, size_t, p->pairs->len - 1)))
    return parse_fail (ps, "pair numbers must be whole numbers in increasing order");
  /* Points and replications are known, and both are bounded: no overflow. */
  size_t total = ps->points * p->facts.replications;
  if (a >= total)
    return parse_fail (ps, "a pair number is beyond the sweep's points x replications (%zu "
                           "points x %u = %zu pairs)", ps->points, p->facts.replications, total);
  StratusSweepRecord *record = record_new ();
  if (space != NULL && !parse_pair_values (ps, space + 1, record))
    {
      stratus_sweep_record_free (record);
      return false;
    }
  size_t pair = (size_t) a;
  g_array_append_val (p->pairs, pair);
  g_ptr_array_add (p->records, record);
  return true;
}

/* One line (its first word `word`, the rest `rest`) into the parse. */
static bool
parse_line (Parse *ps, const char *word, char *rest, bool has_rest)
{
  static const char *const header_words[] = { "scenario_file", "scenario_name", "seed",
                                              "replications", "shard", "set", "key" };
  Section section;
  if (strcmp (word, "point") == 0)
    section = SECTION_POINTS;
  else if (strcmp (word, "figure") == 0)
    section = SECTION_FIGURES;
  else if (strcmp (word, "pair") == 0)
    section = SECTION_PAIRS;
  else
    {
      section = SECTION_HEADER;
      bool known = false;
      for (size_t i = 0; i < G_N_ELEMENTS (header_words) && !known; i++)
        known = strcmp (word, header_words[i]) == 0;
      if (!known)
        return parse_fail (ps, "unknown line (is this a partial written by this stratus?)");
    }
  if (section < ps->section)
    return parse_fail (ps, "'%s' after the %s (a partial's lines are in order: header, set, "
                           "key, point, figure, pair, end)", word, section_names[ps->section]);
  if (section > SECTION_HEADER && ps->section == SECTION_HEADER && !header_complete (ps))
    return false;
  if (section > SECTION_POINTS && ps->points == 0)
    return parse_fail (ps, "incomplete: no points before the %s", section_names[section]);
  ps->section = section;
  switch (section)
    {
    case SECTION_HEADER:
      return parse_header_line (ps, word, rest);
    case SECTION_POINTS:
      return parse_point (ps, rest, has_rest);
    case SECTION_FIGURES:
      return parse_figure (ps, rest);
    case SECTION_PAIRS:
      return parse_pair (ps, rest, has_rest);
    }
  return false;
}

/* The 'end' line: what the partial must hold by then. */
static bool
parse_end (Parse *ps)
{
  if (!header_complete (ps))
    return false;
  if (ps->points == 0)
    return parse_fail (ps, "incomplete: no points");
  return true;
}

/* A NULL-terminated array of the strings of `array` (which is freed). */
static char **
strv_of (GPtrArray *array)
{
  g_ptr_array_set_free_func (array, NULL);
  g_ptr_array_add (array, NULL);
  return (char **) g_ptr_array_free (array, FALSE);
}

StratusSweepPartial *
stratus_sweep_partial_parse (const char *text, const char *origin, GError **error)
{
  StratusSweepPartial *p = g_new0 (StratusSweepPartial, 1);
  p->pairs = g_array_new (FALSE, FALSE, sizeof (size_t));
  p->records = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_sweep_record_free);
  Parse ps = {
    .origin = origin,
    .line = 1,
    .error = error,
    .p = p,
    .sets = g_ptr_array_new_with_free_func (g_free),
    .keys = g_ptr_array_new_with_free_func (g_free),
    .key_set = g_hash_table_new (g_str_hash, g_str_equal),
    .values = g_ptr_array_new_with_free_func (g_free),
    .paths = g_ptr_array_new_with_free_func (g_free),
    .path_set = g_hash_table_new (g_str_hash, g_str_equal),
    .counts = g_array_new (FALSE, FALSE, sizeof (gboolean)),
    .given_at = g_array_new (FALSE, FALSE, sizeof (size_t)),
  };
  bool ok = true, ended = false;
  /* Line by line, each copied in turn (a text of many short lines costs no more than its
   * size); a '\r' before the newline (a file given CRLF line ends) is dropped. */
  for (const char *at = text; ok; ps.line++)
    {
      const char *newline = strchr (at, '\n');
      size_t length = newline != NULL ? (size_t) (newline - at) : strlen (at);
      if (ps.line > 1 && newline == NULL && length == 0)
        break; /* after the text's last newline */
      char *line = g_strndup (at, length);
      if (length > 0 && line[length - 1] == '\r')
        line[length - 1] = '\0';
      if (ps.line == 1)
        {
          if (strcmp (line, STRATUS_SWEEP_PARTIAL_SCHEMA) != 0)
            ok = parse_fail (&ps, "not a partial sweep result (" STRATUS_SWEEP_PARTIAL_SCHEMA
                                  ")");
        }
      else if (ended)
        {
          if (line[0] != '\0')
            ok = parse_fail (&ps, "text after 'end'");
        }
      else if (strcmp (line, "end") == 0)
        {
          ok = parse_end (&ps);
          ended = true;
        }
      else
        {
          char *space = strchr (line, ' ');
          if (space != NULL)
            *space = '\0';
          ok = parse_line (&ps, line, space != NULL ? space + 1 : line + strlen (line),
                           space != NULL);
        }
      g_free (line);
      if (newline == NULL)
        break;
      at = newline + 1;
    }
  if (ok && !ended)
    ok = parse_fail (&ps, "truncated: no 'end' line (was the shard interrupted?)");
  if (ok)
    {
      SweepFacts *f = &p->facts;
      f->base_overrides = strv_of (ps.sets);
      f->keys = strv_of (ps.keys);
      f->values = strv_of (ps.values);
      f->n_keys = g_strv_length (f->keys);
      f->points = ps.points;
    }
  else
    {
      g_ptr_array_unref (ps.sets);
      g_ptr_array_unref (ps.values);
      g_ptr_array_unref (ps.keys);
    }
  g_hash_table_unref (ps.key_set);
  g_hash_table_unref (ps.path_set);
  g_ptr_array_unref (ps.paths);
  g_array_unref (ps.counts);
  g_array_unref (ps.given_at);
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

/* Whether the results of `facts` with the figures of `refs` would hold no more cells
 * (points x figures, each a running summary, a column of the CSV and a member of the JSON)
 * than a few per value the partials give, so that their outputs stay of the size of the
 * inputs (false, `error` set, otherwise: a crafted partial declaring thousands of figures
 * that one pair each gives once would make gigabytes). */
static bool
cells_fit (const SweepFacts *facts, const GArray *refs, GError **error)
{
  GHashTable *paths = g_hash_table_new (g_str_hash, g_str_equal);
  size_t values = 0;
  for (guint i = 0; i < refs->len; i++)
    {
      const StratusSweepRecord *record = g_array_index (refs, PairRef, i).record;
      for (guint j = 0; j < record->figures->len; j++)
        g_hash_table_add (paths, g_array_index (record->figures, RecordFigure, j).path);
      values += record->figures->len;
    }
  size_t figures = g_hash_table_size (paths);
  g_hash_table_unref (paths);
  /* At most SWEEP_MAX_PAIRS points: no overflow below. */
  if (figures <= (SWEEP_MAX_CELLS_FREE + 4 * values) / facts->points)
    return true;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "the partial results name %zu figures for %zu points but give only %zu values: "
               "the results would hold %zu figures x %zu points, more than 4 per value given "
               "(were they written by stratus sweep?)",
               figures, facts->points, values, figures, facts->points);
  return false;
}

StratusSweepResults *
stratus_sweep_partials_merge (StratusSweepPartial *const *partials, size_t n, GError **error)
{
  if (n == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "no partial results to merge");
      return NULL;
    }
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
  if (facts->points == 0 || facts->points > SWEEP_MAX_PAIRS
      || facts->replications == 0 || facts->replications > SWEEP_MAX_PAIRS / facts->points
      || shards == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "the partial results' sweep has %zu points x %u replications and %u shards "
                   "(at least 1 each, at most %d pairs)", facts->points, facts->replications,
                   shards, SWEEP_MAX_PAIRS);
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
          /* A gap of `shards` pairs or more has a pair of every shard: no need to walk it
           * (a sweep may have 10,000,000 pairs and one partial). */
          if (got - expect >= shards)
            for (unsigned s = 0; s < shards; s++)
              short_of[s] = true;
          else
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
  if (!cells_fit (facts, refs, error))
    {
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
