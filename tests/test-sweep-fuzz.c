/* A deterministic mutation fuzzer of the inputs of `stratus sweep`, `merge` and `optimize`
 * (stratus/sweep.h, stratus/optimize.h), with a fixed seed (the same mutations every run):
 *
 * - partial result files (part-I-of-N.sweep), built from real records with the public API,
 *   then mutated (bytes flipped, set, deleted or inserted; lines deleted, duplicated, swapped,
 *   repeated by the thousand or taken from another partial; numbers replaced by huge ones,
 *   NaN, infinities, hexadecimal floats; long strings; escapes such as \777, \0 or a lone
 *   backslash; texts cut anywhere, also mid-escape, and embedded NULs): the parser returns
 *   a partial that serializes and parses back to the same bytes, or NULL with
 *   "ORIGIN:LINE: message" on one line; a parsed partial merged with the other shards of its
 *   sweep gives results (whose text, CSV and JSON outputs are then written) or a one-line
 *   error;
 * - `--vary` specs, and CSV files of points (written to a temporary folder): a dimension
 *   added within the limits, or a one-line error and the space unchanged;
 * - optimize constraints (FIGURE OP VALUE[%]): a constraint that describes itself as text
 *   that parses back to the same constraint, or a one-line error.
 *
 * Under AddressSanitizer and UBSan (the `unit` suite's build), any crash, leak or undefined
 * behaviour fails the test, as does a GLib warning (G_DEBUG=fatal-warnings). Then the
 * findings, each pinned by a regression test, and the command line through the real binary
 * (STRATUS_BIN): pathological partials, ranges and options refused quickly with exit status
 * 2, one line (and the usage hint), and no large allocation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "tmpdir.h"

#include <float.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stratus/optimize.h"
#include "stratus/sweep.h"
/* The parsed partials' insides, for the invariants. */
#include "experiment/sweep_private.h"

/* The fuzzer's seed and iterations per target; for a longer run by hand, STRATUS_FUZZ_SCALE=N
 * multiplies the latter and STRATUS_FUZZ_SEED=S replaces the former (the test suite runs
 * with neither). */
#define FUZZ_SEED 0x5eed5eedu
#define PARTIAL_ITERATIONS 6000
#define VARY_ITERATIONS 4000
#define CSV_ITERATIONS 3000
#define CONSTRAINT_ITERATIONS 6000

static guint32
fuzz_seed (void)
{
  const char *s = g_getenv ("STRATUS_FUZZ_SEED");
  guint64 seed = FUZZ_SEED;
  if (s != NULL && !g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT32, &seed, NULL))
    seed = FUZZ_SEED;
  return (guint32) seed;
}

static unsigned
scale (void)
{
  const char *s = g_getenv ("STRATUS_FUZZ_SCALE");
  guint64 n = 1;
  if (s != NULL && !g_ascii_string_to_unsigned (s, 10, 1, 1000, &n, NULL))
    n = 1;
  return (unsigned) n;
}

/* ---- mutations ---------------------------------------------------------------------------- */

/* Numbers that break parsers: past 32 and 64 bits, the limits and one past them, floats
 * that are not finite or in hexadecimal, and malformed ones. */
static const char *const odd_numbers[] = {
  "0", "1", "-1", "2", "3", "4294967295", "4294967296", "18446744073709551615",
  "18446744073709551616", "99999999999999999999999999999", "100000", "100001", "99999",
  "1000000000", "1000000000000", "10000", "10001", "10000000", "10000001", "1e999", "-1e999",
  "1e-999", "nan", "-nan", "NaN", "inf", "-inf", "infinity", "0x1p-1074",
  "0x1.fffffffffffffp+1023", "0x", "0x1p", "0x10", "1e", "1e+", "+", "-", "-0", ".", "1.",
  ".5", "1e308", "2.5e-3", "1e-9223372036854775808", "1e9223372036854775807", "", " 1",
  "0777", "1_000",
};

/* Fragments for anywhere: escapes (also malformed and cut), separators, quotes, control
 * bytes, invalid UTF-8. */
static const char *const odd_fragments[] = {
  "\\", "\\777", "\\0", "\\000", "\\400", "\\x41", "\\u00e9", "\\n", "\\t", "\\\"", "\\\\",
  "\\3", "\\37", "\t", " ", "  ", "=", "==", ":", "..", "...", ",", ",,", "\"", "\"\"", "%",
  "<", ">=", "<=", "=<", "#", "\r", "\r\n", "\n", "\n\n", "\xc3\xa9", "\xff", "\xc3", "\x01",
  "\x7f", "\xef\xbb\xbf", "e", "E", "x", "p", "/s", "ms", "-",
};

/* Whole lines of a partial, valid or nearly. */
static const char *const partial_lines[] = {
  "end", "point", "point ", "point 1", "point 1\t2", "point \t", "key k", "key ", "key",
  "set x=1", "set", "figure 0 0 a", "figure 0 1 a", "figure 1 0 a", "figure 99 1 b",
  "figure 4294967295 0 z", "figure 0 2 a", "figure 0 0", "pair 0", "pair 0 0=0x1p+0",
  "pair 0 0=1 0=2", "pair 18446744073709551615 0=0x1p+0", "pair 1 4294967295=1",
  "replications 100000", "replications 0", "replications 1", "shard 99999 100000",
  "shard 0 1", "shard 1 1", "shard 0 0", "seed 18446744073709551615", "seed -1",
  "scenario_file \\", "scenario_name \\0", "scenario_file ", STRATUS_SWEEP_PARTIAL_SCHEMA,
  "stratus.sweep-partial/2", "", " ", "\r",
};

/* A mutator: its fragments and whole lines for the target. */
typedef struct
{
  const char *const *lines;
  size_t n_lines;
  const char *const *donors; /* other valid texts, for splicing lines */
  size_t n_donors;
  size_t max_length;         /* past it, no mutation makes the text longer */
} Mutator;

static size_t
pick (GRand *r, size_t n)
{
  return n == 0 ? 0 : (size_t) g_rand_int_range (r, 0, (gint32) n);
}

/* The positions of the starts of lines in `s`: `*n` of them. Caller frees. */
static size_t *
line_starts (const GString *s, size_t *n)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (size_t));
  size_t zero = 0;
  g_array_append_val (a, zero);
  for (size_t i = 0; i < s->len; i++)
    if (s->str[i] == '\n' && i + 1 < s->len)
      {
        size_t next = i + 1;
        g_array_append_val (a, next);
      }
  *n = a->len;
  return (size_t *) g_array_free (a, FALSE);
}

/* Line `i` of `s` with its newline (if any): start and length. */
static void
line_span (const GString *s, const size_t *starts, size_t n, size_t i, size_t *start,
           size_t *len)
{
  *start = starts[i];
  *len = (i + 1 < n ? starts[i + 1] : s->len) - starts[i];
}

/* Replaces a run of digits (with a sign, a point or an exponent around it) by an odd
 * number; false if `s` has no digit. */
static bool
replace_number (GString *s, GRand *r)
{
  size_t digits = 0;
  for (size_t i = 0; i < s->len; i++)
    digits += g_ascii_isdigit (s->str[i]) ? 1 : 0;
  if (digits == 0)
    return false;
  size_t target = pick (r, digits), seen = 0, at = 0;
  for (size_t i = 0; i < s->len; i++)
    if (g_ascii_isdigit (s->str[i]) && seen++ == target)
      {
        at = i;
        break;
      }
  size_t start = at, end = at;
  while (start > 0 && (g_ascii_isxdigit (s->str[start - 1]) || strchr (".+-xp", s->str[start - 1])))
    start--;
  while (end < s->len && (g_ascii_isxdigit (s->str[end]) || strchr (".+-xp", s->str[end])))
    end++;
  g_string_erase (s, (gssize) start, (gssize) (end - start));
  g_string_insert (s, (gssize) start, odd_numbers[pick (r, G_N_ELEMENTS (odd_numbers))]);
  return true;
}

/* One random mutation of `s`. */
static void
mutate_once (GString *s, GRand *r, const Mutator *m)
{
  size_t n_starts;
  size_t *starts = line_starts (s, &n_starts);
  size_t pos = pick (r, s->len + 1);
  size_t start, len;
  /* Past the length, only the mutations that do not add (flip, set, delete, cut). */
  static const int shrinking[] = { 0, 1, 2, 8, 11 };
  int kind = s->len < m->max_length ? g_rand_int_range (r, 0, 16)
                                    : shrinking[pick (r, G_N_ELEMENTS (shrinking))];
  switch (kind)
    {
    case 0: /* flip a bit */
      if (s->len > 0)
        s->str[pick (r, s->len)] ^= (char) (1u << g_rand_int_range (r, 0, 8));
      break;
    case 1: /* set a byte (not NUL: case 12) */
      if (s->len > 0)
        s->str[pick (r, s->len)] = (char) g_rand_int_range (r, 1, 256);
      break;
    case 2: /* delete a few bytes, or a large part */
      if (s->len > 0)
        {
          size_t max = g_rand_boolean (r) ? 8 : s->len / 3 + 1;
          size_t at = pick (r, s->len), n = 1 + pick (r, max);
          g_string_erase (s, (gssize) at, (gssize) MIN (n, s->len - at));
        }
      break;
    case 3: /* insert an odd fragment */
    case 4:
      g_string_insert (s, (gssize) pos, odd_fragments[pick (r, G_N_ELEMENTS (odd_fragments))]);
      break;
    case 5: /* an odd number in place of one */
    case 6:
      if (!replace_number (s, r))
        g_string_insert (s, (gssize) pos, odd_numbers[pick (r, G_N_ELEMENTS (odd_numbers))]);
      break;
    case 7: /* duplicate a line: once, or a thousand times (repeated keys, points...) */
      {
        line_span (s, starts, n_starts, pick (r, n_starts), &start, &len);
        char *line = g_strndup (s->str + start, len);
        if (len > 0 && line[len - 1] != '\n')
          {
            g_free (line);
            line = g_strndup (s->str + start, len);
            g_string_append_c (s, '\n');
            start = s->len;
            len = 0;
          }
        size_t times = g_rand_int_range (r, 0, 20) == 0 ? (size_t) g_rand_int_range (r, 100, 3000)
                                                        : 1;
        /* Not past twice the length limit. */
        times = MAX (1, MIN (times, 2 * m->max_length / (strlen (line) + 1)));
        GString *many = g_string_new (NULL);
        for (size_t t = 0; t < times; t++)
          g_string_append (many, line);
        g_string_insert (s, (gssize) start, many->str);
        g_string_free (many, TRUE);
        g_free (line);
      }
      break;
    case 8: /* delete a line */
      line_span (s, starts, n_starts, pick (r, n_starts), &start, &len);
      g_string_erase (s, (gssize) start, (gssize) len);
      break;
    case 9: /* swap two lines */
      {
        size_t a = pick (r, n_starts), b = pick (r, n_starts);
        if (a == b)
          break;
        if (a > b)
          {
            size_t t = a;
            a = b;
            b = t;
          }
        size_t sa, la, sb, lb;
        line_span (s, starts, n_starts, a, &sa, &la);
        line_span (s, starts, n_starts, b, &sb, &lb);
        char *la_text = g_strndup (s->str + sa, la), *lb_text = g_strndup (s->str + sb, lb);
        GString *out = g_string_new_len (s->str, (gssize) sa);
        g_string_append (out, lb_text);
        g_string_append_len (out, s->str + sa + la, (gssize) (sb - sa - la));
        g_string_append (out, la_text);
        g_string_append_len (out, s->str + sb + lb, (gssize) (s->len - sb - lb));
        g_string_assign (s, out->str);
        g_string_free (out, TRUE);
        g_free (la_text);
        g_free (lb_text);
      }
      break;
    case 10: /* a very long string: letters, escapes, digits or blanks */
      {
        static const char *const units[] = { "a", "\\t", "9", " ", "\\", "\t", ",", "." };
        const char *unit = units[pick (r, G_N_ELEMENTS (units))];
        size_t times = MIN (1000 + pick (r, 30000), m->max_length / strlen (unit) + 1);
        GString *longs = g_string_sized_new (times * strlen (unit));
        for (size_t t = 0; t < times; t++)
          g_string_append (longs, unit);
        g_string_insert (s, (gssize) pos, longs->str);
        g_string_free (longs, TRUE);
      }
      break;
    case 11: /* cut the text: anywhere, or just after a backslash (mid-escape) */
      {
        char *backslash = s->len > 0 ? strchr (s->str + pick (r, s->len), '\\') : NULL;
        if (backslash != NULL && g_rand_boolean (r))
          g_string_truncate (s, (gsize) (backslash - s->str) + 1 + pick (r, 3));
        else
          g_string_truncate (s, pos);
      }
      break;
    case 12: /* an embedded NUL: what is read is the text before it */
      g_string_insert_c (s, (gssize) pos, '\0');
      break;
    case 13: /* a whole line of the target's kind */
    case 14:
      if (m->n_lines > 0)
        {
          size_t at = starts[pick (r, n_starts)];
          char *line = g_strconcat (m->lines[pick (r, m->n_lines)], "\n", NULL);
          g_string_insert (s, (gssize) at, line);
          g_free (line);
        }
      break;
    case 15: /* a line of another valid text in place of one */
      if (m->n_donors > 0)
        {
          char **donor_lines = g_strsplit (m->donors[pick (r, m->n_donors)], "\n", -1);
          const char *donor = donor_lines[pick (r, g_strv_length (donor_lines))];
          line_span (s, starts, n_starts, pick (r, n_starts), &start, &len);
          g_string_erase (s, (gssize) start, (gssize) len);
          char *line = g_strconcat (donor, "\n", NULL);
          g_string_insert (s, (gssize) start, line);
          g_free (line);
          g_strfreev (donor_lines);
        }
      break;
    }
  g_free (starts);
}

/* `base` mutated 1 to 4 times, or (one time in 2) once (a C string: the text up to an
 * embedded NUL). Caller frees. */
static char *
mutated (const char *base, GRand *r, const Mutator *m)
{
  GString *s = g_string_new (base);
  int times = g_rand_boolean (r) ? 1 : g_rand_int_range (r, 1, 5);
  for (int i = 0; i < times; i++)
    mutate_once (s, r, m);
  /* The length-limited copy: an embedded NUL ends the text. */
  char *text = g_strndup (s->str, s->len);
  g_string_free (s, TRUE);
  return text;
}

/* ---- checks shared by the targets --------------------------------------------------------- */

/* Lines in `text` (a last line without a newline counts). */
static size_t
count_lines (const char *text)
{
  size_t n = 1;
  for (const char *c = text; *c != '\0'; c++)
    n += *c == '\n' ? 1 : 0;
  return n;
}

/* `message` is one line, not empty, starting with `prefix`; `what` and `input` for the
 * failure. */
static void
expect_one_line_message (const char *message, const char *prefix, const char *what,
                         const char *input)
{
  if (message == NULL || message[0] == '\0' || strchr (message, '\n') != NULL
      || !g_str_has_prefix (message, prefix))
    {
      char *shown = g_strescape (input, NULL);
      fail_msg ("%s: the message is not one line starting with '%s': '%s'\n(input: '%.2000s')",
                what, prefix, message != NULL ? message : "(none)", shown);
    }
}

/* `message` is "ORIGIN:LINE: text" with 1 <= LINE <= `lines`. */
static void
expect_located (const char *message, const char *origin, size_t lines, const char *input)
{
  char *prefix = g_strconcat (origin, ":", NULL);
  expect_one_line_message (message, prefix, "a refused partial", input);
  const char *p = message + strlen (prefix);
  char *end = NULL;
  guint64 line = g_ascii_strtoull (p, &end, 10);
  if (end == p || !g_str_has_prefix (end, ": ") || end[2] == '\0' || line < 1 || line > lines)
    {
      char *shown = g_strescape (input, NULL);
      fail_msg ("no line 1..%zu in '%s'\n(input: '%.2000s')", lines, message, shown);
    }
  g_free (prefix);
}

/* ---- partial results: the seeds ---------------------------------------------------------- */

/* Paths and values of the seeds' records: every kind of character, and the doubles that
 * test the exact text (subnormal, limits, infinities, NaN). */
static const char *const seed_paths[] = {
  "latency_ms.p99", "latency_ms.p50", "requests.failed", "availability.success_ratio",
  "cost.monthly_usd", "with space", "tab\there", "new\nline", "back\\slash", "quote\"d",
  "equals=sign", "caf\xc3\xa9", " padded ",
};
static const double seed_values[] = {
  0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, 1e-310, DBL_MIN, DBL_TRUE_MIN, DBL_MAX, -DBL_MAX,
  123456789012345678.0, INFINITY, -INFINITY, NAN, 250, 0.9995,
};

/* Pair `pair`'s record: most of the paths, in an order that varies, some absent. */
static StratusSweepRecord *
seed_record (size_t pair, size_t n_paths)
{
  StratusSweepRecord *r = stratus_sweep_record_new ();
  for (size_t j = 0; j < n_paths; j++)
    {
      if ((pair + j) % 7 == 3)
        continue;
      size_t k = (j + pair) % n_paths;
      char *path = k < G_N_ELEMENTS (seed_paths) ? g_strdup (seed_paths[k])
                                                 : g_strdup_printf ("figure.%zu", k);
      double value = seed_values[(pair * 5 + j) % G_N_ELEMENTS (seed_values)];
      stratus_sweep_record_append (r, path, k == 2, value);
      g_free (path);
    }
  return r;
}

/* A sweep of the seeds: its definition's parts. */
typedef struct
{
  StratusSweepSpace *space;
  StratusSweepDefinition def;
  unsigned shards;
  size_t n_paths;
  char **texts;                  /* shard s's text, NULL-terminated */
  StratusSweepPartial **parsed;  /* shard s parsed */
} SeedSweep;

static void
seed_sweep_init (SeedSweep *s, StratusSweepSpace *space, unsigned reps, unsigned shards,
                 size_t n_paths, const char *file, const char *name, char *const *sets)
{
  s->space = space;
  s->def = (StratusSweepDefinition){ .scenario_file = file, .scenario_name = name,
                                     .base_overrides = sets, .space = space,
                                     .replications = reps, .seed = 42 };
  s->shards = shards;
  s->n_paths = n_paths;
  s->texts = g_new0 (char *, shards + 1);
  s->parsed = g_new0 (StratusSweepPartial *, shards);
  size_t total = stratus_sweep_space_point_count (space) * reps;
  for (unsigned sh = 0; sh < shards; sh++)
    {
      StratusSweepPartial *p = stratus_sweep_partial_new (&s->def, sh, shards);
      for (size_t pair = sh; pair < total; pair += shards)
        {
          StratusSweepRecord *r = seed_record (pair, n_paths);
          stratus_sweep_partial_add (p, pair, r);
          stratus_sweep_record_free (r);
        }
      s->texts[sh] = stratus_sweep_partial_serialize (p);
      stratus_sweep_partial_free (p);
      GError *error = NULL;
      s->parsed[sh] = stratus_sweep_partial_parse (s->texts[sh], "seed", &error);
      if (s->parsed[sh] == NULL)
        fail_msg ("a seed partial is refused: %s", error->message);
    }
}

static void
seed_sweep_clear (SeedSweep *s)
{
  for (unsigned sh = 0; sh < s->shards; sh++)
    stratus_sweep_partial_free (s->parsed[sh]);
  g_free (s->parsed);
  g_strfreev (s->texts);
  stratus_sweep_space_free (s->space);
}

/* A space from --vary specs (NULL-terminated), each of which must be accepted. */
static StratusSweepSpace *
space_of (const char *first, ...)
{
  StratusSweepSpace *space = stratus_sweep_space_new ();
  va_list args;
  va_start (args, first);
  for (const char *v = first; v != NULL; v = va_arg (args, const char *))
    {
      GError *error = NULL;
      if (!stratus_sweep_space_add_vary (space, v, &error))
        fail_msg ("--vary %s refused: %s", v, error->message);
    }
  va_end (args);
  return space;
}

/* ---- partial results: the checks ---------------------------------------------------------- */

/* What the partial fuzzer saw. */
typedef struct
{
  size_t parsed, refused, merged, merge_refused, outputs;
} PartialStats;

/* The invariants of a parsed partial, and its round trip: serialized, it parses back to
 * the same bytes. */
static void
check_partial (const StratusSweepPartial *p, const char *input)
{
  const SweepFacts *f = &p->facts;
  char *shown = NULL;
  if (f->points < 1 || f->replications < 1 || f->replications > 100000 || p->shards < 1
      || p->shard >= p->shards || f->scenario_file == NULL || f->scenario_name == NULL
      || f->points * f->replications > 10000000 || g_strv_length (f->keys) != f->n_keys
      || p->pairs->len != p->records->len)
    {
      shown = g_strescape (input, NULL);
      fail_msg ("a parsed partial breaks an invariant\n(input: '%.2000s')", shown);
    }
  for (size_t i = 0; i < f->points * f->n_keys; i++)
    assert_non_null (f->values[i]);
  for (guint i = 0; i < p->pairs->len; i++)
    {
      size_t pair = g_array_index (p->pairs, size_t, i);
      assert_true (pair < f->points * f->replications);
      if (i > 0)
        assert_true (pair > g_array_index (p->pairs, size_t, i - 1));
      /* A record holds each path at most once. */
      const StratusSweepRecord *r = p->records->pdata[i];
      GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
      for (size_t j = 0; j < stratus_sweep_record_length (r); j++)
        {
          const char *path = stratus_sweep_record_path (r, j, NULL, NULL);
          if (g_hash_table_contains (seen, path))
            {
              shown = g_strescape (input, NULL);
              fail_msg ("pair %zu holds %s twice\n(input: '%.2000s')", pair, path, shown);
            }
          g_hash_table_add (seen, (char *) path);
        }
      g_hash_table_unref (seen);
    }
  char *text = stratus_sweep_partial_serialize (p);
  GError *error = NULL;
  StratusSweepPartial *q = stratus_sweep_partial_parse (text, "again", &error);
  if (q == NULL)
    {
      shown = g_strescape (input, NULL);
      fail_msg ("a parsed partial, serialized, is refused: %s\n(input: '%.2000s')",
                error->message, shown);
    }
  char *again = stratus_sweep_partial_serialize (q);
  if (strcmp (text, again) != 0 || !sweep_facts_equal (&p->facts, &q->facts))
    {
      shown = g_strescape (input, NULL);
      fail_msg ("a parsed partial does not round-trip\n(input: '%.2000s')", shown);
    }
  g_free (again);
  g_free (text);
  stratus_sweep_partial_free (q);
}

/* The outputs of merged results: every figure's values, and the text, CSV and JSON (which
 * must parse). */
static void
check_results (const StratusSweepResults *r)
{
  size_t points = stratus_sweep_results_point_count (r);
  size_t figures = stratus_sweep_results_figure_count (r);
  for (size_t p = 0; p < points; p++)
    for (size_t fi = 0; fi < figures; fi++)
      {
        double mean, ci;
        unsigned n;
        if (stratus_sweep_results_value (r, p, fi, &mean, &ci, &n))
          assert_true (n >= 1 && n <= stratus_sweep_results_replications (r));
      }
  char *text = stratus_sweep_results_text (r, NULL);
  char *csv = stratus_sweep_results_csv (r);
  char *json = stratus_sweep_results_json (r);
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  if (!json_parser_load_from_data (parser, json, -1, &error))
    fail_msg ("sweep.json of merged results does not parse: %s", error->message);
  g_object_unref (parser);
  g_free (text);
  g_free (csv);
  g_free (json);
}

/* Parses `text` as a partial: the partial (checked) or NULL (the error checked). */
static StratusSweepPartial *
parse_checked (const char *text, const char *origin, PartialStats *stats)
{
  GError *error = NULL;
  StratusSweepPartial *p = stratus_sweep_partial_parse (text, origin, &error);
  if (p == NULL)
    {
      if (error == NULL)
        fail_msg ("refused without an error");
      expect_located (error->message, origin, count_lines (text), text);
      g_error_free (error);
      stats->refused++;
      return NULL;
    }
  assert_null (error);
  check_partial (p, text);
  stats->parsed++;
  return p;
}

/* Merges `mine` with the seed sweep's other shards (some left out, doubled or reordered
 * now and then): results (checked) or a one-line error. */
static void
merge_checked (StratusSweepPartial *mine, const SeedSweep *s, unsigned my_shard, GRand *r,
               PartialStats *stats)
{
  GPtrArray *all = g_ptr_array_new ();
  for (unsigned sh = 0; sh < s->shards; sh++)
    {
      if (sh == my_shard % s->shards)
        g_ptr_array_add (all, mine);
      else if (g_rand_int_range (r, 0, 10) != 0)
        g_ptr_array_add (all, s->parsed[sh]);
      if (g_rand_int_range (r, 0, 20) == 0)
        g_ptr_array_add (all, s->parsed[sh]);
    }
  /* Any order. */
  for (guint i = all->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (r, 0, (gint32) i);
      gpointer t = all->pdata[i - 1];
      all->pdata[i - 1] = all->pdata[j];
      all->pdata[j] = t;
    }
  GError *error = NULL;
  StratusSweepResults *results = stratus_sweep_partials_merge (
    (StratusSweepPartial *const *) all->pdata, all->len, &error);
  if (results == NULL)
    {
      expect_one_line_message (error != NULL ? error->message : NULL, "", "a refused merge", "");
      g_error_free (error);
      stats->merge_refused++;
    }
  else
    {
      assert_null (error);
      stats->merged++;
      if (g_rand_int_range (r, 0, 4) == 0)
        {
          check_results (results);
          stats->outputs++;
        }
      stratus_sweep_results_free (results);
    }
  g_ptr_array_unref (all);
}

static void
fuzz_partials (void **state)
{
  const char *dir = *state;
  gint64 started = g_get_monotonic_time ();
  /* Sweep A: a grid and a CSV dimension (quoted values, commas, tabs, quotes), 3 reps,
   * 3 shards. Sweep B: no keys, 2 reps, 1 shard, every string odd. Sweep C: 600 figures. */
  char *csv_path = g_build_filename (dir, "seed.csv", NULL);
  write_file (csv_path, "label,instances.web.type\n\"\",c5.large\n\"a,\tb \"\"c\"\"\",m5.large\n");
  StratusSweepSpace *a_space = space_of ("instances.web.count=1..3", NULL);
  GError *error = NULL;
  if (!stratus_sweep_space_add_csv (a_space, csv_path, &error))
    fail_msg ("the seed CSV is refused: %s", error->message);
  static char *const a_sets[] = { "duration=5m", "", "k={a: 1, b: [2, 3]}", NULL };
  static char *const b_sets[] = { "x=tab\tnewline\n", "uni=\xc3\xa9", "back\\slash", NULL };
  SeedSweep seeds[3];
  seed_sweep_init (&seeds[0], a_space, 3, 3, G_N_ELEMENTS (seed_paths),
                   "scenarios/web-two-az.yaml", "web-two-az", a_sets);
  seed_sweep_init (&seeds[1], stratus_sweep_space_new (), 2, 1, 4,
                   "dir with space/we\\ird\t\"name\"\n.yaml", "n\xc3\xa4me", b_sets);
  seed_sweep_init (&seeds[2], space_of ("workload.users.rate=100/s..300/s:100/s", NULL), 2, 2,
                   600, "s.yaml", "s", NULL);
  GPtrArray *donors = g_ptr_array_new ();
  for (int k = 0; k < 3; k++)
    for (unsigned sh = 0; sh < seeds[k].shards; sh++)
      g_ptr_array_add (donors, seeds[k].texts[sh]);
  Mutator m = { partial_lines, G_N_ELEMENTS (partial_lines), (const char *const *) donors->pdata,
                donors->len, 256 * 1024 };

  GRand *r = g_rand_new_with_seed (fuzz_seed ());
  PartialStats stats = { 0 };
  unsigned iterations = PARTIAL_ITERATIONS * scale ();
  for (unsigned i = 0; i < iterations; i++)
    {
      /* Sweep C's texts are long: fewer of them. */
      int k = g_rand_int_range (r, 0, 10) == 0 ? 2 : g_rand_int_range (r, 0, 2);
      SeedSweep *s = &seeds[k];
      unsigned shard = (unsigned) pick (r, s->shards);
      char *text = mutated (s->texts[shard], r, &m);
      StratusSweepPartial *p = parse_checked (text, "fuzz/part-1-of-3.sweep", &stats);
      if (p != NULL)
        merge_checked (p, s, shard, r, &stats);
      stratus_sweep_partial_free (p);
      g_free (text);
    }
  g_rand_free (r);
  /* The mutations must reach both sides, and the merge. */
  assert_true (stats.parsed > iterations / 20 && stats.refused > iterations / 4);
  assert_true (stats.merged > 0 && stats.merge_refused > 0 && stats.outputs > 0);
  printf ("fuzz partials: %u mutated texts (seed %#x): %zu parsed, %zu refused; merges: %zu "
          "merged (%zu with outputs), %zu refused; %.1f s\n", iterations, fuzz_seed (),
          stats.parsed, stats.refused, stats.merged, stats.outputs, stats.merge_refused,
          (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
  g_ptr_array_unref (donors);
  for (int k = 0; k < 3; k++)
    seed_sweep_clear (&seeds[k]);
  g_free (csv_path);
}

/* ---- --vary specs ------------------------------------------------------------------------- */

static const char *const vary_seeds[] = {
  "instances.web.count=2..8:2", "workload.users.rate=400/s..800/s:100/s", "k=-1..1:0.5",
  "instances.web.type=c5.large,m5.large,t3.micro", "trace=../traces/a.csv",
  "x=0.25..1:0.25", "y=1e-3..5e-3:1e-3", "z=1..3", "w=2.5e2..3e2:25", "v=a, b ,c",
  "u=-5..-1", "t=0x1..0x3", "instances.web.service_time={dist: lognormal, mean: 20ms}",
  "q=1ms..5ms:1ms", "p=.5..2.5:.5",
};

/* Spec fragments for --vary. */
static const char *const vary_lines[] = {
  "k=1..10000", "k=1..10001", "k=1..1e9", "k=1e300..1e300:1", "k=1e20..1e20:1",
  "k=0..1:1e-300", "k=0..1:5e-324", "k=-1e308..1e308:1e304", "k=1..2:0", "k=2..1",
  "k=1..8192", "k=a..b", "k=1..", "k=..1", "k=1..2:", "k=1..2:1:1", "=1", "k=", "k",
  "k=,", "k= , ", "k=1,,2", "k=nan..inf", "k=1/s..2ms", "k=1..2:1/s",
};

/* A space with `n` of the seeds (chosen by `r`) already in it. */
static StratusSweepSpace *
vary_base (GRand *r, int n)
{
  StratusSweepSpace *space = stratus_sweep_space_new ();
  for (int i = 0; i < n; i++)
    {
      GError *error = NULL;
      if (!stratus_sweep_space_add_vary (space, vary_seeds[pick (r, G_N_ELEMENTS (vary_seeds))],
                                         &error))
        g_error_free (error); /* a key varied twice */
    }
  return space;
}

/* The space after a new last dimension (from `spec`, `range`: a range): within the limits,
 * every key and value UTF-8 text, a range's values distinct; the overrides of a few
 * points. */
static void
check_new_dimension (const StratusSweepSpace *space, const char *spec, bool range)
{
  size_t points = stratus_sweep_space_point_count (space);
  size_t keys = stratus_sweep_space_key_count (space);
  char *shown = g_strescape (spec, NULL);
  if (points < 1 || points > 10000000 || keys > 1000)
    fail_msg ("'%.2000s': %zu points, %zu keys", shown, points, keys);
  for (size_t k = 0; k < keys; k++)
    if (!g_utf8_validate (stratus_sweep_space_key (space, k), -1, NULL))
      fail_msg ("'%.2000s': key %zu is not UTF-8", shown, k);
  /* The new dimension's values: at points 0, 1, 2, ... while the others stay at row 0. */
  const char *previous = NULL;
  for (size_t p = 0; p < points; p++)
    {
      const char *v = stratus_sweep_space_value (space, p, keys - 1);
      if (p > 0 && v == stratus_sweep_space_value (space, 0, keys - 1))
        break; /* a key of a CSV dimension before the last one, or the values wrapped */
      if (!g_utf8_validate (v, -1, NULL))
        fail_msg ("'%.2000s': a value is not UTF-8", shown);
      if (range && previous != NULL && strcmp (previous, v) == 0)
        fail_msg ("'%.2000s': the range gives the value %s twice", shown, v);
      previous = v;
    }
  for (size_t p = 0; p < points && p < 3; p++)
    {
      char **o = stratus_sweep_space_overrides (space, p);
      assert_int_equal (g_strv_length (o), keys);
      g_strfreev (o);
    }
  char **last = stratus_sweep_space_overrides (space, points - 1);
  assert_int_equal (g_strv_length (last), keys);
  g_strfreev (last);
  g_free (shown);
}

static void
fuzz_vary (void **state)
{
  (void) state;
  gint64 started = g_get_monotonic_time ();
  GRand *r = g_rand_new_with_seed (fuzz_seed () + 1);
  Mutator m = { vary_lines, G_N_ELEMENTS (vary_lines), vary_seeds, G_N_ELEMENTS (vary_seeds),
                16 * 1024 };
  size_t accepted = 0, refused = 0;
  unsigned iterations = VARY_ITERATIONS * scale ();
  for (unsigned i = 0; i < iterations; i++)
    {
      StratusSweepSpace *space = vary_base (r, g_rand_int_range (r, 0, 3));
      size_t points = stratus_sweep_space_point_count (space);
      size_t keys = stratus_sweep_space_key_count (space);
      const char *base = g_rand_int_range (r, 0, 8) == 0
                           ? vary_lines[pick (r, G_N_ELEMENTS (vary_lines))]
                           : vary_seeds[pick (r, G_N_ELEMENTS (vary_seeds))];
      /* Mutated, or (one in 8) as it is; a mutation may add a line break: the spec is
       * then the text before it, or the whole with it. */
      char *spec = g_rand_int_range (r, 0, 8) == 0 ? g_strdup (base) : mutated (base, r, &m);
      GError *error = NULL;
      if (stratus_sweep_space_add_vary (space, spec, &error))
        {
          assert_null (error);
          assert_int_equal (stratus_sweep_space_key_count (space), keys + 1);
          /* A range: a number, "..", no comma (stratus/sweep.h). */
          const char *values = strchr (spec, '=') + 1;
          bool range = strstr (values, "..") != NULL && strchr (values, ',') == NULL
                       && (g_ascii_isdigit (values[values[0] == '-' || values[0] == '+'])
                           || values[values[0] == '-' || values[0] == '+'] == '.');
          check_new_dimension (space, spec, range);
          accepted++;
        }
      else
        {
          expect_one_line_message (error != NULL ? error->message : NULL, "--vary",
                                   "a refused --vary", spec);
          g_error_free (error);
          assert_int_equal (stratus_sweep_space_point_count (space), points);
          assert_int_equal (stratus_sweep_space_key_count (space), keys);
          refused++;
        }
      g_free (spec);
      stratus_sweep_space_free (space);
    }
  g_rand_free (r);
  assert_true (accepted > iterations / 10 && refused > iterations / 10);
  printf ("fuzz --vary: %u specs: %zu accepted, %zu refused; %.1f s\n", iterations, accepted,
          refused, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
}

/* ---- CSV files of points ------------------------------------------------------------------ */

static const char *const csv_seeds[] = {
  "instances.web.count,instances.web.type\n2,c5.large\n4,m5.large\n",
  "\xef\xbb\xbf" "a,b,c\n# a comment\n\n1,2,3\n \"x, y\" , \"say \"\"hi\"\"\",\"\"\n",
  "instances.web.service_time,label\n\"{dist: lognormal, mean: 20ms, cv: 1.0}\",plain\n"
  "\"{dist: exponential, mean: 10ms}\",other\r\n",
  "only\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
};

static const char *const csv_lines[] = {
  "", "#", "a,b", "a,a", ",", "\"", "\"a\"b", "\"a\" , b", "1,2,3,4", "instances.web.count",
  "k", "\"\"\"\"", " \t ", "\xef\xbb\xbf" "k",
};

static void
fuzz_csv (void **state)
{
  const char *dir = *state;
  gint64 started = g_get_monotonic_time ();
  GRand *r = g_rand_new_with_seed (fuzz_seed () + 2);
  Mutator m = { csv_lines, G_N_ELEMENTS (csv_lines), csv_seeds, G_N_ELEMENTS (csv_seeds),
                64 * 1024 };
  char *path = g_build_filename (dir, "points.csv", NULL);
  size_t accepted = 0, refused = 0;
  unsigned iterations = CSV_ITERATIONS * scale ();
  for (unsigned i = 0; i < iterations; i++)
    {
      const char *base = csv_seeds[pick (r, G_N_ELEMENTS (csv_seeds))];
      GString *s = g_string_new (base);
      int times = g_rand_int_range (r, 1, 5);
      for (int t = 0; t < times; t++)
        mutate_once (s, r, &m);
      /* The file as it is, embedded NULs included. */
      if (!g_file_set_contents (path, s->str, (gssize) s->len, NULL))
        fail_msg ("cannot write %s", path);
      StratusSweepSpace *space = vary_base (r, g_rand_int_range (r, 0, 2));
      /* Now and then a key of the CSV is already varied. */
      if (g_rand_int_range (r, 0, 10) == 0)
        {
          GError *ignored = NULL;
          if (!stratus_sweep_space_add_vary (space, "instances.web.count=1,2", &ignored))
            g_error_free (ignored);
        }
      size_t points = stratus_sweep_space_point_count (space);
      size_t keys = stratus_sweep_space_key_count (space);
      GError *error = NULL;
      if (stratus_sweep_space_add_csv (space, path, &error))
        {
          assert_null (error);
          assert_true (stratus_sweep_space_key_count (space) > keys);
          /* A NUL byte would have cut the file short. */
          if (memchr (s->str, '\0', s->len) != NULL)
            {
              char *shown = g_strescape (s->str, NULL);
              fail_msg ("a CSV file with a NUL byte is accepted ('%.2000s...')", shown);
            }
          check_new_dimension (space, s->str, false);
          /* No key is empty, none is given twice. */
          size_t n = stratus_sweep_space_key_count (space);
          for (size_t k = 0; k < n; k++)
            {
              assert_true (stratus_sweep_space_key (space, k)[0] != '\0');
              for (size_t l = k + 1; l < n; l++)
                assert_string_not_equal (stratus_sweep_space_key (space, k),
                                         stratus_sweep_space_key (space, l));
            }
          accepted++;
        }
      else
        {
          char *prefix = g_strconcat (path, ":", NULL);
          expect_one_line_message (error != NULL ? error->message : NULL, prefix,
                                   "a refused CSV file", s->str);
          const char *after = error->message + strlen (prefix);
          if (g_ascii_isdigit (after[0]))
            {
              guint64 line = g_ascii_strtoull (after, NULL, 10);
              size_t lines = 1;
              for (size_t c = 0; c < s->len; c++)
                lines += s->str[c] == '\n' ? 1 : 0;
              if (line < 1 || line > lines)
                fail_msg ("line %" G_GUINT64_FORMAT " of %zu in '%s'", line, lines,
                          error->message);
            }
          g_free (prefix);
          g_error_free (error);
          assert_int_equal (stratus_sweep_space_point_count (space), points);
          assert_int_equal (stratus_sweep_space_key_count (space), keys);
          refused++;
        }
      stratus_sweep_space_free (space);
      g_string_free (s, TRUE);
    }
  g_rand_free (r);
  g_free (path);
  assert_true (accepted > iterations / 10 && refused > iterations / 10);
  printf ("fuzz --points: %u CSV files: %zu accepted, %zu refused; %.1f s\n", iterations,
          accepted, refused, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
}

/* ---- optimize constraints ----------------------------------------------------------------- */

static const char *const constraint_seeds[] = {
  "latency_ms.p99<250", "availability>=99.95%", "p99 <= 1e3", "cost.monthly_usd > 10",
  "requests.failed<=0", " a.b-c_d >= -5.5e-3 ", "availability.success_ratio > 0.999",
  "latency_ms.p50 < 1E2", "availability >= 9.995e1 %", "monthly_cost<=+1000.",
};

static const char *const constraint_lines[] = {
  "<", ">", "<=", ">=", "=", "=<", "%", "%%", "p99<", "<5", "availability>=1e-9223372036854775808%",
  "availability>=1e-99999999999999999999%", "availability>=1e99999999999999999999%",
  "availability>=9223372036854775807e-9223372036854775807%", "a<1e308", "a<1e309",
};

static void
fuzz_constraints (void **state)
{
  (void) state;
  gint64 started = g_get_monotonic_time ();
  GRand *r = g_rand_new_with_seed (fuzz_seed () + 3);
  Mutator m = { constraint_lines, G_N_ELEMENTS (constraint_lines), constraint_seeds,
                G_N_ELEMENTS (constraint_seeds), 4096 };
  size_t accepted = 0, refused = 0;
  unsigned iterations = CONSTRAINT_ITERATIONS * scale ();
  for (unsigned i = 0; i < iterations; i++)
    {
      const char *base
        = g_rand_int_range (r, 0, 6) == 0
            ? constraint_lines[pick (r, G_N_ELEMENTS (constraint_lines))]
            : constraint_seeds[pick (r, G_N_ELEMENTS (constraint_seeds))];
      char *text = mutated (base, r, &m);
      GError *error = NULL;
      StratusConstraint *c = stratus_constraint_parse (text, &error);
      if (c != NULL)
        {
          assert_null (error);
          if (!isfinite (c->limit))
            fail_msg ("'%s': the limit %g is not finite", text, c->limit);
          /* Its description parses back to the same constraint. */
          char *described = stratus_constraint_describe (c);
          StratusConstraint *again = stratus_constraint_parse (described, &error);
          if (again == NULL)
            fail_msg ("'%s' is described as '%s', which is refused: %s", text, described,
                      error->message);
          if (again->op != c->op || memcmp (&again->limit, &c->limit, sizeof c->limit) != 0)
            fail_msg ("'%s' is described as '%s', another constraint", text, described);
          (void) stratus_constraint_classify (c, c->limit, 1.0);
          (void) stratus_constraint_meets (c, NAN);
          stratus_constraint_free (again);
          g_free (described);
          stratus_constraint_free (c);
          accepted++;
        }
      else
        {
          expect_one_line_message (error != NULL ? error->message : NULL, "'",
                                   "a refused constraint", text);
          g_error_free (error);
          refused++;
        }
      g_free (text);
    }
  g_rand_free (r);
  assert_true (accepted > iterations / 10 && refused > iterations / 10);
  printf ("fuzz constraints: %u expressions: %zu accepted, %zu refused; %.1f s\n", iterations,
          accepted, refused, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
}

/* ---- the findings, one by one ------------------------------------------------------------ */

/* A small valid partial (stratus.sweep-partial/1): 2 points, 2 replications, shard 0 of 2,
 * figures a and b; line 16 is 'end'. */
static const char small_partial[] = "stratus.sweep-partial/1\n"      /* 1 */
                                    "scenario_file s.yaml\n"        /* 2 */
                                    "scenario_name s\n"             /* 3 */
                                    "seed 3\n"                      /* 4 */
                                    "replications 2\n"              /* 5 */
                                    "shard 0 2\n"                   /* 6 */
                                    "set duration=5m\n"             /* 7 */
                                    "set warmup=1m\n"               /* 8 */
                                    "key k\n"                       /* 9 */
                                    "point 1\n"                     /* 10 */
                                    "point 2\n"                     /* 11 */
                                    "figure 0 0 a\n"                /* 12 */
                                    "figure 1 1 b\n"                /* 13 */
                                    "pair 0 0=0x1.8p+0 1=0x1p+1\n"  /* 14 */
                                    "pair 2 0=0x1.8p+0 1=0x1p+1\n"  /* 15 */
                                    "end\n";                        /* 16 */

/* `small_partial` with line `n` (from 1) replaced by `line`. Caller frees. */
static char *
small_with (int n, const char *line)
{
  char **lines = g_strsplit (small_partial, "\n", -1);
  g_free (lines[n - 1]);
  lines[n - 1] = g_strdup (line);
  char *text = g_strjoinv ("\n", lines);
  g_strfreev (lines);
  return text;
}

/* `text` is refused with "part:LINE: " (LINE 0: any) and a message holding `fragment`. */
static void
expect_partial_refused (const char *text, size_t line, const char *fragment)
{
  GError *error = NULL;
  StratusSweepPartial *p = stratus_sweep_partial_parse (text, "part", &error);
  if (p != NULL)
    {
      char *shown = g_strescape (text, NULL);
      fail_msg ("accepted: '%.500s'", shown);
    }
  char *prefix = line > 0 ? g_strdup_printf ("part:%zu: ", line) : g_strdup ("part:");
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, fragment) == NULL
      || strchr (error->message, '\n') != NULL)
    fail_msg ("'%s' is not '%s...%s...' on one line", error->message, prefix, fragment);
  g_free (prefix);
  g_error_free (error);
}

/* Seconds since `start` (g_get_monotonic_time). */
static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* Escapes: g_strcompress warned of a backslash at the end of a string (which
 * G_DEBUG=fatal-warnings, as in these tests, makes an abort; without it, the partial was
 * accepted after a GLib warning on stderr), made "\0" a NUL that cut the string silently,
 * and took unknown escapes and octal escapes past \377. All are refused now, on their line,
 * as are strings that are not UTF-8 (they made sweep.json invalid JSON). */
static void
partial_escapes (void **state)
{
  (void) state;
  struct
  {
    int line;
    const char *replacement, *fragment;
  } bad[] = {
    { 9, "key k\\", "a backslash ends the line" },
    { 2, "scenario_file s.yaml\\", "a backslash ends the line" },
    { 12, "figure 0 0 a\\", "a backslash ends the line" },
    { 10, "point 1\\", "a backslash ends the line" },
    { 7, "set duration=5m\\0", "an octal escape outside" },
    { 7, "set duration=5m\\000x", "an octal escape outside" },
    { 9, "key k\\777", "an octal escape outside" },
    { 9, "key k\\x41", "an unknown escape" },
    { 9, "key k\\377", "not UTF-8" },
    { 3, "scenario_name \\303", "not UTF-8" },
    { 12, "figure 0 0 \\351t\\351", "not UTF-8" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *text = small_with (bad[i].line, bad[i].replacement);
      expect_partial_refused (text, (size_t) bad[i].line, bad[i].fragment);
      g_free (text);
    }
  /* What g_strescape writes goes through: \b \f \n \r \t \v \\ \" and octal, UTF-8. */
  char *text = small_with (9, "key k\\b\\f\\n\\r\\t\\v\\\\\\\"\\001\\177 caf\\303\\251");
  GError *error = NULL;
  StratusSweepPartial *p = stratus_sweep_partial_parse (text, "part", &error);
  assert_non_null (p);
  assert_string_equal (p->facts.keys[0], "k\b\f\n\r\t\v\\\"\001\177 caf\xc3\xa9");
  stratus_sweep_partial_free (p);
  g_free (text);
}

/* `small_partial` with `line` inserted before line `n` (from 1). Caller frees. */
static char *
small_inserted (int n, const char *line)
{
  char **lines = g_strsplit (small_partial, "\n", -1);
  GString *s = g_string_new (NULL);
  for (int i = 0; lines[i] != NULL; i++)
    {
      if (i + 1 == n)
        g_string_append_printf (s, "%s\n", line);
      g_string_append (s, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (s, '\n');
    }
  g_strfreev (lines);
  return g_string_free (s, FALSE);
}

/* A pair giving a figure twice was taken as two replications' values (the mean and the
 * count wrong, silently); a path declared twice, or a key, did the same; header lines given
 * twice were overwritten; lines out of order were taken. Errors found at the end were
 * reported at the last line: now at their own. */
static void
partial_duplicates_and_order (void **state)
{
  (void) state;
  char *text = small_with (14, "pair 0 0=0x1.8p+0 0=0x1p+1");
  expect_partial_refused (text, 14, "a pair gives figure 0 twice");
  g_free (text);
  text = small_with (13, "figure 1 1 a");
  expect_partial_refused (text, 13, "figure 'a' declared twice");
  g_free (text);
  struct
  {
    int before;
    const char *line, *fragment;
  } inserted[] = {
    { 4, "scenario_file t.yaml", "'scenario_file' given twice" },
    { 7, "seed 4", "'seed' given twice" },
    { 7, "replications 2", "'replications' given twice" },
    { 7, "shard 1 2", "'shard' given twice" },
    { 10, "key k", "key 'k' given twice" },
    { 12, "key k2", "'key' after the points" },
    { 13, "point 3", "'point' after the figures" },
    { 16, "figure 2 0 c", "'figure' after the pairs" },
    { 10, "seed 9", "'seed' given twice" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (inserted); i++)
    {
      text = small_inserted (inserted[i].before, inserted[i].line);
      expect_partial_refused (text, (size_t) inserted[i].before, inserted[i].fragment);
      g_free (text);
    }
  /* A point without one value per key: at its own line (it was the end's). */
  text = small_with (11, "point 2\t3");
  expect_partial_refused (text, 11, "a point has not one value per key (2 values, 1 keys)");
  g_free (text);
  /* A pair beyond the points x replications: at its own line. */
  text = small_with (15, "pair 4 0=0x1p+0");
  expect_partial_refused (text, 15, "beyond the sweep's points x replications (2 points x 2");
  g_free (text);
  /* The header incomplete: said at the first point. */
  text = small_with (5, "set x=1");
  expect_partial_refused (text, 10, "incomplete: no 'replications' line in the header");
  g_free (text);
}

/* Limits before allocation: replications x points past 10,000,000 (a header claiming 10^9
 * pairs cost the merge a walk over all of them), more than 1000 keys, repeated lines
 * (each 'key' and 'set' line used to re-count the whole list: quadratic), CRLF files. */
static void
partial_limits (void **state)
{
  (void) state;
  gint64 start = g_get_monotonic_time ();
  GString *s = g_string_new ("stratus.sweep-partial/1\nscenario_file s\nscenario_name s\n"
                             "seed 1\nreplications 100000\nshard 0 3\n");
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (s, "point\n");
  g_string_append (s, "end\n");
  /* Points 1 to 100 are 10,000,000 pairs: the 101st (line 107) is one too many. */
  expect_partial_refused (s->str, 107, "more than 10000000 (point, replication) pairs");
  g_string_free (s, TRUE);

  s = g_string_new ("stratus.sweep-partial/1\nscenario_file s\nscenario_name s\nseed 1\n"
                    "replications 1\nshard 0 1\n");
  for (int i = 0; i < 1001; i++)
    g_string_append_printf (s, "key k%d\n", i);
  expect_partial_refused (s->str, 7 + 1000, "more than 1000 keys");
  g_string_free (s, TRUE);

  /* 200,000 'set' lines and 1000 keys with a point: linear. */
  s = g_string_new ("stratus.sweep-partial/1\nscenario_file s\nscenario_name s\nseed 1\n"
                    "replications 1\nshard 0 1\n");
  for (int i = 0; i < 200000; i++)
    g_string_append (s, "set duration=5m\n");
  for (int i = 0; i < 1000; i++)
    g_string_append_printf (s, "key k%d\n", i);
  g_string_append (s, "point ");
  for (int i = 0; i < 1000; i++)
    g_string_append (s, i == 0 ? "v" : "\tv");
  g_string_append (s, "\nend\n");
  GError *error = NULL;
  StratusSweepPartial *p = stratus_sweep_partial_parse (s->str, "part", &error);
  assert_non_null (p);
  assert_int_equal (g_strv_length (p->facts.base_overrides), 200000);
  assert_int_equal (p->facts.n_keys, 1000);
  stratus_sweep_partial_free (p);
  g_string_free (s, TRUE);

  /* A shard count past the limit, a figure index far beyond the table. */
  char *text = small_with (6, "shard 0 100001");
  expect_partial_refused (text, 6, "shard is 'I N' with 0 <= I < N <= 100000");
  g_free (text);
  text = small_with (14, "pair 0 4294967295=0x1p+0");
  expect_partial_refused (text, 14, "a pair names a figure that was not declared");
  g_free (text);
  text = small_with (12, "figure 4294967295 0 a");
  expect_partial_refused (text, 12, "indices in order from 0");
  g_free (text);

  /* CRLF line ends: the same partial. */
  GString *c = g_string_new (NULL);
  for (const char *ch = small_partial; *ch != '\0'; ch++)
    {
      if (*ch == '\n')
        g_string_append_c (c, '\r');
      g_string_append_c (c, *ch);
    }
  StratusSweepPartial *a = stratus_sweep_partial_parse (small_partial, "lf", &error);
  StratusSweepPartial *b = stratus_sweep_partial_parse (c->str, "crlf", &error);
  assert_non_null (a);
  assert_non_null (b);
  char *ta = stratus_sweep_partial_serialize (a), *tb = stratus_sweep_partial_serialize (b);
  assert_string_equal (ta, tb);
  assert_string_equal (ta, small_partial);
  g_free (ta);
  g_free (tb);
  stratus_sweep_partial_free (a);
  stratus_sweep_partial_free (b);
  g_string_free (c, TRUE);
  if (seconds_since (start) > 10)
    fail_msg ("the limits took %.1f s", seconds_since (start));
}

/* A partial declaring `figures` figures, all given by pair 0, and `points` points each of
 * whose pair gives only the last figure: tiny, but its results would be points x figures
 * summaries, CSV cells and JSON members. Caller frees. */
static char *
sparse_partial (int points, int figures)
{
  GString *s = g_string_new ("stratus.sweep-partial/1\nscenario_file s\nscenario_name s\n"
                             "seed 1\nreplications 1\nshard 0 1\nkey k\n");
  for (int p = 0; p < points; p++)
    g_string_append_printf (s, "point %d\n", p);
  for (int f = 0; f < figures; f++)
    g_string_append_printf (s, "figure %d 0 f%d\n", f, f);
  g_string_append (s, "pair 0");
  for (int f = 0; f < figures; f++)
    g_string_append_printf (s, " %d=0x1p+0", f);
  g_string_append_c (s, '\n');
  for (int p = 1; p < points; p++)
    g_string_append_printf (s, "pair %d %d=0x1p+0\n", p, figures - 1);
  g_string_append (s, "end\n");
  return g_string_free (s, FALSE);
}

/* The merge: of nothing (a GLib critical, an abort here), of sparse partials (gigabytes
 * from kilobytes), of a sweep of 10,000,000 pairs with shards missing (fast). */
static void
merge_limits (void **state)
{
  (void) state;
  GError *error = NULL;
  assert_null (stratus_sweep_partials_merge (NULL, 0, &error));
  expect_one_line_message (error->message, "no partial results", "merge of none", "");
  g_clear_error (&error);

  gint64 start = g_get_monotonic_time ();
  char *text = sparse_partial (4000, 10000);
  StratusSweepPartial *p = stratus_sweep_partial_parse (text, "sparse", &error);
  assert_non_null (p);
  assert_null (stratus_sweep_partials_merge (&p, 1, &error));
  expect_one_line_message (error->message, "the partial results name 10000 figures for 4000 "
                           "points but give only 13999 values", "a sparse merge", "");
  g_clear_error (&error);
  stratus_sweep_partial_free (p);
  g_free (text);
  /* The same shape, small, merges. */
  text = sparse_partial (50, 40);
  p = stratus_sweep_partial_parse (text, "sparse", &error);
  StratusSweepResults *r = stratus_sweep_partials_merge (&p, 1, &error);
  assert_non_null (r);
  assert_int_equal (stratus_sweep_results_figure_count (r), 40);
  stratus_sweep_results_free (r);
  stratus_sweep_partial_free (p);
  g_free (text);

  /* 100 points x 100000 replications, shard 1 of 3 with one pair. */
  GString *s = g_string_new ("stratus.sweep-partial/1\nscenario_file s\nscenario_name s\n"
                             "seed 1\nreplications 100000\nshard 1 3\n");
  for (int i = 0; i < 100; i++)
    g_string_append (s, "point\n");
  g_string_append (s, "pair 1\nend\n");
  p = stratus_sweep_partial_parse (s->str, "big", &error);
  assert_non_null (p);
  assert_null (stratus_sweep_partials_merge (&p, 1, &error));
  expect_one_line_message (error->message, "9999999 of the 10000000 (point, replication) pairs "
                           "are missing: those of shards 0/3, 1/3, 2/3", "a big merge", "");
  g_clear_error (&error);
  stratus_sweep_partial_free (p);
  g_string_free (s, TRUE);
  if (seconds_since (start) > 10)
    fail_msg ("the merges took %.1f s", seconds_since (start));
}

/* `spec` is refused, its message one line holding `fragment`, the space unchanged. */
static void
expect_vary_refused (StratusSweepSpace *space, const char *spec, const char *fragment)
{
  size_t points = stratus_sweep_space_point_count (space);
  GError *error = NULL;
  if (stratus_sweep_space_add_vary (space, spec, &error))
    fail_msg ("--vary %s was accepted", spec);
  if (strstr (error->message, fragment) == NULL || strchr (error->message, '\n') != NULL)
    fail_msg ("'%s' is not one line holding '%s'", error->message, fragment);
  g_error_free (error);
  assert_int_equal (stratus_sweep_space_point_count (space), points);
}

/* Ranges: a STEP below the precision of A never passed B ("1e300..1e300:1" looped for ever,
 * allocating), or gave one value many times ("1e20..1e20:1": 8193 points of the same
 * value); hexadecimal numbers were printed without their fraction ("0x1.8..0x3:0x1p-1":
 * 2, 2, 2, 3). Five dimensions of 8192 values made 2^65 points, counted as 0 (the CLI then
 * crashed); more than 1000 keys. Messages quote the spec on one line. */
static void
vary_limits (void **state)
{
  (void) state;
  gint64 start = g_get_monotonic_time ();
  StratusSweepSpace *space = stratus_sweep_space_new ();
  expect_vary_refused (space, "k=1e300..1e300:1", "STEP is too small for the precision");
  expect_vary_refused (space, "k=1e20..1e20:1", "STEP is too small for the precision");
  expect_vary_refused (space, "k=0x1.8..0x3:0x1p-1", "with numbers, in decimal");
  expect_vary_refused (space, "k=1..1e9", "more than 10000 values");
  expect_vary_refused (space, "k=0..1:5e-324", "more than 10000 values");
  expect_vary_refused (space, "k=-1e308..1e308:1e300", "more than 10000 values");
  expect_vary_refused (space, "k=1..2:1\nx", "--vary k=1..2:1\\nx: A, B and STEP");
  expect_vary_refused (space, "k=a,,b\n", "an empty value in 'a,,b\\n'");
  expect_vary_refused (space, "k\xff=1", "not UTF-8");
  GString *many = g_string_new ("k=0");
  for (int i = 1; i <= 10000; i++)
    g_string_append_printf (many, ",%d", i);
  expect_vary_refused (space, many->str, "more than 10000 values");
  g_string_free (many, TRUE);
  /* A single huge value is one value. */
  GError *error = NULL;
  assert_true (stratus_sweep_space_add_vary (space, "a=1e300..1e300:1e300", &error));
  assert_int_equal (stratus_sweep_space_point_count (space), 1);
  stratus_sweep_space_free (space);

  space = stratus_sweep_space_new ();
  assert_true (stratus_sweep_space_add_vary (space, "a=1..8192", &error));
  assert_true (stratus_sweep_space_add_vary (space, "b=1..1220", &error));
  assert_int_equal (stratus_sweep_space_point_count (space), 8192 * 1220);
  expect_vary_refused (space, "c=1..2", "the sweep would have 9994240 x 2 points, more than "
                                        "10000000");
  stratus_sweep_space_free (space);

  space = stratus_sweep_space_new ();
  for (int i = 0; i < 1000; i++)
    {
      char *spec = g_strdup_printf ("key%d=1", i);
      assert_true (stratus_sweep_space_add_vary (space, spec, &error));
      g_free (spec);
    }
  expect_vary_refused (space, "one.more=1", "more than 1000 varied keys");
  stratus_sweep_space_free (space);
  if (seconds_since (start) > 10)
    fail_msg ("the --vary limits took %.1f s", seconds_since (start));
}

/* `contents` (`length` bytes) as a CSV file of points is refused with "PATH:LINE: " and
 * `fragment`. */
static void
expect_csv_refused (const char *dir, const char *contents, gssize length, int line,
                    const char *fragment)
{
  char *path = g_build_filename (dir, "bad.csv", NULL);
  if (!g_file_set_contents (path, contents, length, NULL))
    fail_msg ("cannot write %s", path);
  StratusSweepSpace *space = stratus_sweep_space_new ();
  GError *error = NULL;
  if (stratus_sweep_space_add_csv (space, path, &error))
    fail_msg ("accepted: %s", contents);
  char *prefix = g_strdup_printf ("%s:%d: ", path, line);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, fragment) == NULL
      || strchr (error->message, '\n') != NULL)
    fail_msg ("'%s' is not '%s...%s...' on one line", error->message, prefix, fragment);
  g_free (prefix);
  g_error_free (error);
  assert_int_equal (stratus_sweep_space_key_count (space), 0);
  stratus_sweep_space_free (space);
  g_free (path);
}

/* CSV files: a NUL byte cut the file short silently (the rows after it were lost); text
 * that is not UTF-8; more than 1000 keys (each checked against all the others: quadratic);
 * more than 10,000,000 points with the dimensions before. */
static void
csv_limits (void **state)
{
  const char *dir = *state;
  expect_csv_refused (dir, "k\n1\n2\0\n3\n4\n", 11, 3, "a NUL byte");
  expect_csv_refused (dir, "k\n1\n\xff\xfe\n", -1, 3, "not UTF-8 text");
  GString *header = g_string_new ("k0");
  for (int i = 1; i < 1001; i++)
    g_string_append_printf (header, ",k%d", i);
  g_string_append (header, "\n");
  for (int i = 0; i < 1001; i++)
    g_string_append (header, i == 0 ? "1" : ",1");
  g_string_append (header, "\n");
  expect_csv_refused (dir, header->str, -1, 1, "more than 1000 varied keys");
  g_string_free (header, TRUE);

  char *path = g_build_filename (dir, "rows.csv", NULL);
  GString *rows = g_string_new ("# points\nk,l\n");
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (rows, "%d,x\n", i);
  write_file (path, rows->str);
  g_string_free (rows, TRUE);
  StratusSweepSpace *space = stratus_sweep_space_new ();
  GError *error = NULL;
  assert_true (stratus_sweep_space_add_vary (space, "a=1..1001", &error));
  assert_false (stratus_sweep_space_add_csv (space, path, &error));
  char *expected = g_strdup_printf ("%s:2: the sweep would have 1001 x 10000 points", path);
  if (!g_str_has_prefix (error->message, expected))
    fail_msg ("'%s' is not '%s...'", error->message, expected);
  g_free (expected);
  g_clear_error (&error);
  assert_int_equal (stratus_sweep_space_key_count (space), 1);
  stratus_sweep_space_free (space);
  g_free (path);
}

/* Constraints: an exponent that strtoll saturates at INT64_MIN, lowered by 2 for the '%',
 * overflowed (undefined behaviour: UBSan stops the test here); messages quoted a line break
 * as it was, making two lines. */
static void
constraint_findings (void **state)
{
  (void) state;
  const char *tiny_limits[] = { "availability>=1e-9223372036854775808%",
                                "availability>=1e-99999999999999999999%",
                                "availability >= 0.0e-9223372036854775807 %" };
  for (size_t i = 0; i < G_N_ELEMENTS (tiny_limits); i++)
    {
      GError *error = NULL;
      StratusConstraint *c = stratus_constraint_parse (tiny_limits[i], &error);
      if (c == NULL)
        fail_msg ("'%s' refused: %s", tiny_limits[i], error->message);
      assert_true (c->limit == 0);
      stratus_constraint_free (c);
    }
  const char *multi_line[][2] = {
    { "<=\navailability>=99.95%", "'<=\\navailability>=99.95%': no figure before '<='" },
    { "a\nb<5", "'a\\nb<5': 'a\\nb' is not a figure" },
    { "p99<\n5\n0", "'p99<\\n5\\n0': '5\\n0' is not a number" },
    { "\r\n \n", "empty" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (multi_line); i++)
    {
      GError *error = NULL;
      assert_null (stratus_constraint_parse (multi_line[i][0], &error));
      if (strchr (error->message, '\n') != NULL
          || strstr (error->message, multi_line[i][1]) == NULL)
        fail_msg ("'%s' is not one line holding '%s'", error->message, multi_line[i][1]);
      g_error_free (error);
    }
}

/* ---- the command line ------------------------------------------------------------------- */

/* What a child run took. */
typedef struct
{
  int status; /* exit status; -1 if killed */
  char *err;
  long max_rss_kb;
  double seconds;
} Measured;

/* The peak resident memory (VmHWM) of process `pid` in kB once it runs `name` (before its
 * exec, it is a copy of this process, which the fuzzing made large), or 0. */
static long
peak_rss_kb (pid_t pid, const char *name)
{
  char *path = g_strdup_printf ("/proc/%d/comm", (int) pid);
  char *comm = NULL;
  long kb = 0;
  if (g_file_get_contents (path, &comm, NULL, NULL) && strcmp (g_strchomp (comm), name) == 0)
    {
      g_free (path);
      path = g_strdup_printf ("/proc/%d/status", (int) pid);
      char *status = NULL;
      if (g_file_get_contents (path, &status, NULL, NULL))
        {
          const char *hwm = strstr (status, "\nVmHWM:");
          if (hwm != NULL)
            kb = strtol (hwm + strlen ("\nVmHWM:"), NULL, 10);
        }
      g_free (status);
    }
  g_free (comm);
  g_free (path);
  return kb;
}

/* Runs `stratus ARGS...` (NULL-terminated) in `dir`, stdout and stderr to files, watching
 * its peak resident memory (/proc, every 2 ms: wait4's ru_maxrss would count this large
 * process, which the child is a copy of until its exec). The child gets 60 s of CPU at most
 * and, when it is not built with AddressSanitizer (which reserves terabytes of address
 * space), 2 GB of address space; with it, ASAN_OPTIONS stops it past 2 GB of memory. */
static Measured
run_measured (const char *dir, const char *first, ...)
{
  const char *bin = g_getenv ("STRATUS_BIN");
  if (bin == NULL)
    fail_msg ("STRATUS_BIN is not set");
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) bin);
  va_list args;
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  char *out_path = g_build_filename (dir, "child.out", NULL);
  char *err_path = g_build_filename (dir, "child.err", NULL);
  char *name = g_path_get_basename (bin);
#if defined(__SANITIZE_ADDRESS__)
  const char *asan = g_getenv ("ASAN_OPTIONS");
  char *options = g_strdup_printf ("%s%shard_rss_limit_mb=2000:max_allocation_size_mb=1024",
                                   asan != NULL ? asan : "", asan != NULL ? ":" : "");
  char **envp = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS", options, TRUE);
  g_free (options);
#else
  char **envp = g_get_environ ();
#endif
  gint64 start = g_get_monotonic_time ();
  fflush (NULL);
  pid_t pid = fork ();
  if (pid < 0)
    fail_msg ("fork failed");
  if (pid == 0)
    {
      FILE *out = freopen (out_path, "w", stdout), *err = freopen (err_path, "w", stderr);
      if (out == NULL || err == NULL || chdir (dir) != 0)
        _exit (126);
      struct rlimit cpu = { 60, 60 };
      setrlimit (RLIMIT_CPU, &cpu);
#if !defined(__SANITIZE_ADDRESS__)
      struct rlimit as = { 2000ul << 20, 2000ul << 20 };
      setrlimit (RLIMIT_AS, &as);
#endif
      execve (bin, (char **) argv->pdata, envp);
      _exit (127);
    }
  int wait_status = 0;
  long peak = 0;
  for (;;)
    {
      peak = MAX (peak, peak_rss_kb (pid, name));
      pid_t done = waitpid (pid, &wait_status, WNOHANG);
      if (done == pid)
        break;
      if (done < 0)
        fail_msg ("waitpid failed");
      g_usleep (2000);
    }
  Measured m = { WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1, NULL, peak,
                 seconds_since (start) };
  m.err = read_file (err_path);
  char *out = read_file (out_path);
  if (out[0] != '\0')
    fail_msg ("stdout is not empty: %s", out);
  g_free (out);
  g_free (out_path);
  g_free (err_path);
  g_free (name);
  g_strfreev (envp);
  g_ptr_array_unref (argv);
  return m;
}

/* The child exited with status 2 quickly, within `max_rss_mb` of memory, and stderr is one
 * line starting with `prefix` and holding `fragment`, and then the usage hint of `usage`
 * (a command, or NULL: nothing more). */
static void
expect_refused_quickly (Measured *m, const char *prefix, const char *fragment,
                        const char *usage, long max_rss_mb)
{
  char *hint = usage != NULL ? g_strdup_printf ("Run 'stratus %s --help' for usage.\n", usage)
                             : g_strdup ("");
  const char *nl = strchr (m->err, '\n');
  if (m->status != 2 || !g_str_has_prefix (m->err, prefix) || strstr (m->err, fragment) == NULL
      || nl == NULL || strstr (m->err, fragment) > nl || strcmp (nl + 1, hint) != 0)
    fail_msg ("status %d, stderr:\n%s\nexpected status 2, one line '%s...%s...'%s", m->status,
              m->err, prefix, fragment, usage != NULL ? " and the usage hint" : "");
  if (m->max_rss_kb > max_rss_mb * 1024)
    fail_msg ("'%s': %ld MB of memory at the peak (at most %ld)", fragment,
              m->max_rss_kb / 1024, max_rss_mb);
  if (m->seconds > 30)
    fail_msg ("'%s': %.1f s", fragment, m->seconds);
  g_free (hint);
  g_free (m->err);
}

/* A partial whose header claims 10^9 pairs (10,000 points x 100000 replications), one
 * claiming sparse figures, one with a cut escape: `stratus merge` refuses each at once with
 * exit status 2 and one line, without allocating for what they claim. */
static void
merge_cli (void **state)
{
  const char *dir = *state;
  char *parts = g_build_filename (dir, "parts", NULL);
  g_mkdir (parts, 0755);
  GString *s = g_string_new ("stratus.sweep-partial/1\nscenario_file s.yaml\nscenario_name s\n"
                             "seed 1\nreplications 100000\nshard 0 1\nkey k\n");
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (s, "point %d\n", i);
  g_string_append (s, "end\n");
  char *part = g_build_filename (parts, "part-0-of-1.sweep", NULL);
  write_file (part, s->str);
  g_string_free (s, TRUE);
  Measured m = run_measured (dir, "merge", "parts", NULL);
  expect_refused_quickly (&m, "stratus merge: parts/part-0-of-1.sweep:108: ",
                          "more than 10000000 (point, replication) pairs", NULL, 300);

  char *sparse = sparse_partial (4000, 10000);
  write_file (part, sparse);
  g_free (sparse);
  m = run_measured (dir, "merge", "parts", "--format", "csv", NULL);
  expect_refused_quickly (&m, "stratus merge: the partial results name 10000 figures",
                          "more than 4 per value given", NULL, 300);

  char *cut = small_with (9, "key k\\");
  write_file (part, cut);
  g_free (cut);
  m = run_measured (dir, "merge", "parts", NULL);
  expect_refused_quickly (&m, "stratus merge: parts/part-0-of-1.sweep:9: ",
                          "key: a backslash ends the line", NULL, 300);
  g_free (part);
  g_free (parts);
}

/* `stratus sweep` refuses before running anything: a range of 10^9 values, a range that
 * never passes B, a grid of 2^65 points (which crashed), bad --shard and --jobs. */
static void
sweep_cli (void **state)
{
  const char *dir = *state;
  char *scenario = g_build_filename (dir, "tiny.yaml", NULL);
  write_file (scenario, tiny);
  struct
  {
    const char *args[12];
    const char *fragment;
  } bad[] = {
    { { "--vary", "instances.web.count=1..1e9" }, "--vary instances.web.count=1..1e9: more "
                                                  "than 10000 values" },
    { { "--vary", "a=1..1e9" }, "--vary a=1..1e9: more than 10000 values" },
    { { "--vary", "instances.web.count=1e300..1e300:1" }, "STEP is too small" },
    { { "--vary", "a=1..8192", "--vary", "b=1..8192", "--vary", "c=1..8192", "--vary",
        "d=1..8192", "--vary", "e=1..8192" },
      "--vary b: the sweep would have 8192 x 8192 points, more than 10000000" },
    { { "--vary", "instances.web.count=2,3", "--shard", "5/3", "--out", "o" },
      "--shard must be I/N with 0 <= I < N" },
    { { "--vary", "instances.web.count=2,3", "--shard", "0/0", "--out", "o" },
      "--shard must be I/N with 0 <= I < N" },
    { { "--vary", "instances.web.count=2,3", "--shard", "99999/100001", "--out", "o" },
      "--shard must be I/N with 0 <= I < N" },
    { { "--vary", "instances.web.count=2,3", "--jobs", "0" },
      "--jobs must be a whole number from 1 to 1024" },
    { { "--vary", "instances.web.count=2,3", "--jobs", "99999" },
      "--jobs must be a whole number from 1 to 1024" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char **a = bad[i].args;
      Measured m = run_measured (dir, "sweep", "tiny.yaml", a[0], a[1], a[2], a[3], a[4], a[5],
                                 a[6], a[7], a[8], a[9], a[10], a[11], NULL);
      expect_refused_quickly (&m, "stratus sweep: ", bad[i].fragment, "sweep", 300);
    }
  char *out = g_build_filename (dir, "o", NULL);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (scenario);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (fuzz_partials, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (fuzz_vary),
    cmocka_unit_test_setup_teardown (fuzz_csv, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (fuzz_constraints),
    cmocka_unit_test (partial_escapes),
    cmocka_unit_test (partial_duplicates_and_order),
    cmocka_unit_test (partial_limits),
    cmocka_unit_test (merge_limits),
    cmocka_unit_test (vary_limits),
    cmocka_unit_test_setup_teardown (csv_limits, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (constraint_findings),
    cmocka_unit_test_setup_teardown (merge_cli, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (sweep_cli, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
