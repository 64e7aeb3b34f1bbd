/* Byte-level mutations of scenario text and random overrides, for the parser fuzzer. */
#include "fuzz-common.h"

#include <string.h>

#include "scenario/yaml_tree.h"

/* Numbers that have broken, or could break, a parser or a model. */
static const char *const extreme_numbers[] = {
  "0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "1e-308", "4.9e-324", "1e19", "1e-12",
  "1e-200", "1e200", "nan", "NaN", "-nan", "inf", "-inf", ".inf", "-.inf", "infinity", "0x10",
  "0x", "010", "1_000", "1,5", "+3", " 3", "3.", ".5", "1e", "e5", "1e+", "--1", "2147483647",
  "2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807",
  "9223372036854775808", "-9223372036854775808", "18446744073709551615",
  "18446744073709551616", "99999999999999999999999999999", "0.000000000000000000001",
  "106000", "36525", "36526", "1e9", "1e7", "1e8", "65535", "65536", "100000", "100001",
};

/* Units, real and garbage. */
static const char *const units[] = {
  "ns", "us", "µs", "ms", "s", "m", "min", "h", "d", "w", "y", "/s", "/min", "/h", "/d",
  "k/s", "M/s", "G/s", "T/s", "k/min", "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "PB",
  "EB", "%", "", "/", "xs", "s/s", "ms/ms", "/0", "d/ns", " ms", "ms ", "mS", "S", "sec",
  "k", "G", "e3", "/s/s", "ms/", "\xc2\xb5",
};

/* Values that mean something special to YAML or to the scenario schema. */
static const char *const special_values[] = {
  "~", "null", "", "''", "\"\"", "[]", "{}", "[[]]", "{a: }", "yes", "no", "true", "false",
  "on", "off", "unlimited", "Unlimited", "*a", "&a x", "!!binary aGk=", "!!str 1", "!tag x",
  "|", ">", "'", "\"", "-", "- x", "? x", ": x", "#", "@x", "`x", "%YAML 1.2", "---", "...",
  "\"\\u0000\"", "\"\\xff\"", "\"a\\nb\"", "0.0.0.0/0", "10.0.0.0/33", "255.255.255.255",
  "256.1.1.1", "10.0.0.1/24", "::1", "{dist: pareto, mean: 1ms, shape: 1}",
  "{shape: replay, file: /dev/null}", "{shape: replay, file: .}",
  "{shape: steps, steps: [{at: 0s, rate: 1/s}, {at: 0s, rate: 2/s}]}",
};

/* Bytes worth inserting. */
static const char insert_bytes[] = ":-{}[],\"'\n #&*!|>?%@`\t\\.0919/";

static size_t
pick (GRand *rand, size_t n)
{
  return n == 0 ? 0 : (size_t) g_rand_int_range (rand, 0, (gint32) n);
}

#define PICK(rand, array) ((array)[pick ((rand), G_N_ELEMENTS (array))])

/* Replaces [at, at + len) of `s` with `with`. */
static void
replace (GString *s, size_t at, size_t len, const char *with)
{
  g_string_erase (s, (gssize) at, (gssize) len);
  g_string_insert (s, (gssize) at, with);
}

/* The spans [start, end) of numbers (a digit run with its sign, dot and exponent). */
static GArray *
find_numbers (const GString *s)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (size_t) * 2);
  for (size_t i = 0; i < s->len; i++)
    {
      if (!g_ascii_isdigit (s->str[i]) || (i > 0 && g_ascii_isalnum (s->str[i - 1])))
        continue;
      size_t start = i > 0 && s->str[i - 1] == '-' ? i - 1 : i;
      while (i < s->len && (g_ascii_isdigit (s->str[i]) || s->str[i] == '.' || s->str[i] == 'e'
                            || ((s->str[i] == '-' || s->str[i] == '+') && s->str[i - 1] == 'e')))
        i++;
      size_t span[2] = { start, i };
      g_array_append_vals (spans, span, 1);
    }
  return spans;
}

/* Replaces a number by an extreme one, or its unit by another (`unit`). */
static void
mutate_number (GRand *rand, GString *s, bool unit)
{
  GArray *spans = find_numbers (s);
  if (spans->len > 0)
    {
      size_t *span = &g_array_index (spans, size_t, 2 * pick (rand, spans->len));
      if (unit)
        {
          size_t end = span[1];
          while (end < s->len && (g_ascii_isalpha (s->str[end]) || s->str[end] == '/'))
            end++;
          replace (s, span[1], end - span[1], PICK (rand, units));
        }
      else
        replace (s, span[0], span[1] - span[0], PICK (rand, extreme_numbers));
    }
  g_array_unref (spans);
}

/* The start of line `n` (0-based, clamped to the last line) in `s`. */
static size_t
line_start (const GString *s, size_t n)
{
  size_t at = 0;
  for (size_t line = 0; line < n; line++)
    {
      const char *nl = memchr (s->str + at, '\n', s->len - at);
      if (nl == NULL || (size_t) (nl - s->str) + 1 >= s->len)
        break;
      at = (size_t) (nl - s->str) + 1;
    }
  return at;
}

static size_t
count_lines (const char *text)
{
  size_t n = 1;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* The end of the line starting at `at` (past its newline, if any). */
static size_t
line_end (const GString *s, size_t at)
{
  const char *nl = memchr (s->str + at, '\n', s->len - at);
  return nl == NULL ? s->len : (size_t) (nl - s->str) + 1;
}

/* Lines of `s` up to a random line, then `other` from a random line. */
static void
splice (GRand *rand, GString *s, const char *other)
{
  size_t cut = line_start (s, pick (rand, count_lines (s->str) + 1));
  g_string_truncate (s, cut);
  GString *tail = g_string_new (other);
  size_t from = line_start (tail, pick (rand, count_lines (other) + 1));
  g_string_append (s, tail->str + from);
  g_string_free (tail, TRUE);
}

/* Replaces the value after a ": " (or "- ") by nested lists or maps `depth` deep. */
static void
deep_nesting (GRand *rand, GString *s)
{
  static const int depths[] = { 2, 16, 63, 64, 65, 100, 200, 1000, 5000 };
  int depth = PICK (rand, depths);
  bool maps = g_rand_boolean (rand);
  GString *value = g_string_new (NULL);
  for (int i = 0; i < depth; i++)
    g_string_append (value, maps ? "{a: " : "[");
  g_string_append (value, "1");
  for (int i = 0; i < depth; i++)
    g_string_append (value, maps ? "}" : "]");
  const char *colon = strstr (s->str + pick (rand, s->len), ": ");
  if (colon == NULL)
    colon = strstr (s->str, ": ");
  if (colon != NULL)
    {
      size_t at = (size_t) (colon - s->str) + 2;
      size_t end = line_end (s, at);
      if (end > at && s->str[end - 1] == '\n')
        end--;
      replace (s, at, end - at, value->str);
    }
  g_string_free (value, TRUE);
}

/* Many aliases of aliases: a billion-laughs document. */
static void
alias_bomb (GString *s)
{
  g_string_append (s, "\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
  for (int i = 1; i < 9; i++)
    {
      g_string_append_printf (s, "x%d: &a%d [", i, i);
      for (int j = 0; j < 10; j++)
        g_string_append_printf (s, "%s*a%d", j > 0 ? ", " : "", i - 1);
      g_string_append (s, "]\n");
    }
}

/* Moves, copies or re-indents a whole line. */
static void
mutate_line (GRand *rand, GString *s)
{
  size_t a = line_start (s, pick (rand, count_lines (s->str)));
  size_t a_end = line_end (s, a);
  char *line = g_strndup (s->str + a, a_end - a);
  if (line[0] == '\0') /* an empty text */
    {
      g_free (line);
      return;
    }
  switch (pick (rand, 4))
    {
    case 0: /* duplicate it (duplicate keys) */
      g_string_insert (s, (gssize) a_end, line);
      if (a_end == s->len - strlen (line) && line[strlen (line) - 1] != '\n')
        g_string_insert_c (s, (gssize) a_end, '\n');
      break;
    case 1: /* drop it */
      g_string_erase (s, (gssize) a, (gssize) (a_end - a));
      break;
    case 2: /* indent it more or less */
      if (g_rand_boolean (rand))
        g_string_insert (s, (gssize) a, g_rand_boolean (rand) ? "  " : "\t");
      else if (s->str[a] == ' ')
        g_string_erase (s, (gssize) a, 1);
      break;
    default: /* move it elsewhere */
      g_string_erase (s, (gssize) a, (gssize) (a_end - a));
      g_string_insert (s, (gssize) line_start (s, pick (rand, count_lines (s->str) + 1)), line);
      break;
    }
  g_free (line);
}

/* One mutation of `s`, chosen at random. */
static void
mutate_once (GRand *rand, GString *s, const FuzzCorpus *corpus)
{
  size_t at = pick (rand, s->len + 1);
  switch (pick (rand, 12))
    {
    case 0:
      if (s->len > 0)
        s->str[pick (rand, s->len)] ^= (char) (1u << pick (rand, 8));
      break;
    case 1:
      g_string_insert_c (s, (gssize) at, insert_bytes[pick (rand, sizeof insert_bytes - 1)]);
      break;
    case 2:
      {
        size_t len = pick (rand, 16); /* (MIN would draw twice) */
        g_string_erase (s, (gssize) at, (gssize) MIN (len, s->len - at));
      }
      break;
    case 3:
      {
        size_t len = pick (rand, 64);
        char *copy = g_strndup (s->str + at, MIN (len, s->len - at));
        g_string_insert (s, (gssize) pick (rand, s->len + 1), copy);
        g_free (copy);
      }
      break;
    case 4:
      if (corpus != NULL)
        splice (rand, s, g_ptr_array_index (corpus->texts, pick (rand, corpus->texts->len)));
      break;
    case 5:
    case 6:
      mutate_number (rand, s, false);
      break;
    case 7:
      mutate_number (rand, s, true);
      break;
    case 8:
      mutate_line (rand, s);
      break;
    case 9:
      {
        const char *colon = strstr (s->str + at, ": ");
        if (colon != NULL)
          {
            size_t from = (size_t) (colon - s->str) + 2, end = line_end (s, from);
            end -= end > from && s->str[end - 1] == '\n';
            replace (s, from, end - from, PICK (rand, special_values));
          }
      }
      break;
    case 10:
      deep_nesting (rand, s);
      break;
    default:
      if (pick (rand, 64) == 0) /* rare: each costs a million nodes before it is refused */
        alias_bomb (s);
      else
        g_string_insert (s, (gssize) at, PICK (rand, special_values));
      break;
    }
}

char *
fuzz_mutate_bytes (GRand *rand, const char *text, const FuzzCorpus *corpus)
{
  GString *s = g_string_new (text);
  size_t n = pick (rand, 2) == 0 ? 1 : 2 + pick (rand, 3); /* half of them: one change */
  for (size_t i = 0; i < n; i++)
    mutate_once (rand, s, corpus);
  /* A NUL would only end the text early: the parser gets a C string. */
  for (size_t i = 0; i < s->len; i++)
    if (s->str[i] == '\0')
      s->str[i] = ' ';
  return g_string_free (s, FALSE);
}

/* ---- overrides ---------------------------------------------------------------------- */

/* Adds the dotted path of every scalar under `node` to `paths`. */
static void
collect_paths (const YNode *node, const char *prefix, GPtrArray *paths)
{
  if (node->kind == YNODE_SCALAR)
    {
      if (prefix[0] != '\0')
        g_ptr_array_add (paths, g_strdup (prefix));
      return;
    }
  for (guint i = 0; i < ynode_length (node); i++)
    {
      char *key = node->kind == YNODE_MAP ? g_strdup (ynode_map_key (node, i)->value)
                                          : g_strdup_printf ("%u", i);
      char *path = prefix[0] == '\0' ? g_strdup (key) : g_strconcat (prefix, ".", key, NULL);
      collect_paths (ynode_item (node, i), path, paths);
      g_free (path);
      g_free (key);
    }
}

char *
fuzz_random_override (GRand *rand, const char *text)
{
  static const char *const made_up[] = {
    "duration", "warmup", "seed", "report.interval", "azs.0", "azs.9", "x", "a.b.c.d.e.f",
    "instances", "workload", "latency.same_az", "vpc.cidr", "instances..count", ".", "",
    "workload.w.rate.steps.99.rate", "instances.s.count.x",
  };
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  YNode *root = ynode_load_string (text, -1, "fuzz.yaml", 0, 0, NULL);
  if (root != NULL)
    {
      collect_paths (root, "", paths);
      ynode_free (root);
    }
  const char *path = paths->len > 0 && pick (rand, 4) != 0
                       ? g_ptr_array_index (paths, pick (rand, paths->len))
                       : PICK (rand, made_up);
  char *value;
  switch (pick (rand, 4))
    {
    case 0:
      value = g_strconcat (PICK (rand, extreme_numbers), PICK (rand, units), NULL);
      break;
    case 1:
      value = g_strdup (PICK (rand, special_values));
      break;
    case 2:
      value = g_strdup (PICK (rand, extreme_numbers));
      break;
    default:
      value = fuzz_mutate_bytes (rand, "10ms", NULL);
      break;
    }
  char *override = pick (rand, 16) == 0 ? g_strconcat (path, value, NULL) /* no '=' */
                                         : g_strconcat (path, "=", value, NULL);
  g_free (value);
  g_ptr_array_unref (paths);
  return override;
}
