/* The sweep library (stratus/sweep.h), without running a simulation: the space (--vary
 * lists and ranges, CSV points, the grid's order, each point's overrides), the results
 * (means and 95% intervals against values computed by hand, replications refused out of
 * order), the partial results of shards (an exact text: doubles bit for bit; every
 * truncation and malformation refused with ORIGIN:LINE), their merge (the same bytes as the
 * direct results however the pairs are split, refused when a shard is missing or doubled
 * or the partials are of different sweeps) and the outputs (CSV quoting, JSON that parses
 * back, the text table, charts). The command line over real runs: test-scale-out.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tmpdir.h"

#include <float.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stratus/chart.h"
#include "stratus/sweep.h"
/* The records inside a partial, to compare values bit for bit. */
#include "experiment/sweep_private.h"

#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

/* ---- helpers ------------------------------------------------------------------------------ */

/* Fails unless `error` is set, on one line, and contains each of the NULL-terminated
 * fragments; clears it. */
static void
expect_error (GError **error, ...)
{
  if (*error == NULL)
    fail_msg ("expected an error");
  if (strchr ((*error)->message, '\n') != NULL)
    fail_msg ("the message is not one line: %s", (*error)->message);
  va_list args;
  va_start (args, error);
  for (const char *f = va_arg (args, const char *); f != NULL; f = va_arg (args, const char *))
    if (strstr ((*error)->message, f) == NULL)
      fail_msg ("'%s' is not in the message: %s", f, (*error)->message);
  va_end (args);
  g_clear_error (error);
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

/* The values of the one key of a one-dimension space, joined by spaces. Caller frees. */
static char *
values_of (const StratusSweepSpace *space)
{
  assert_int_equal (stratus_sweep_space_key_count (space), 1);
  GString *s = g_string_new (NULL);
  for (size_t p = 0; p < stratus_sweep_space_point_count (space); p++)
    g_string_append_printf (s, "%s%s", p > 0 ? " " : "", stratus_sweep_space_value (space, p, 0));
  return g_string_free (s, FALSE);
}

/* The values `spec` gives, or fails. */
static void
expect_values (const char *spec, const char *expected)
{
  StratusSweepSpace *space = space_of (spec, NULL);
  char *got = values_of (space);
  if (strcmp (got, expected) != 0)
    fail_msg ("--vary %s: got '%s', expected '%s'", spec, got, expected);
  g_free (got);
  stratus_sweep_space_free (space);
}

/* `spec` is refused with a message holding `fragment`, and the space is as it was. */
static void
expect_vary_refused (StratusSweepSpace *space, const char *spec, const char *fragment)
{
  size_t points = stratus_sweep_space_point_count (space);
  size_t keys = stratus_sweep_space_key_count (space);
  GError *error = NULL;
  if (stratus_sweep_space_add_vary (space, spec, &error))
    fail_msg ("--vary %s was accepted", spec);
  expect_error (&error, fragment, NULL);
  assert_int_equal (stratus_sweep_space_point_count (space), points);
  assert_int_equal (stratus_sweep_space_key_count (space), keys);
}

/* Writes a CSV file `name` into `dir`; returns its path (caller frees). */
static char *
csv_file (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  if (!g_file_set_contents (path, text, -1, NULL))
    fail_msg ("cannot write %s", path);
  return path;
}

/* A definition over `space` (borrowed, as are the strings). */
static StratusSweepDefinition
definition_of (const StratusSweepSpace *space, unsigned reps, uint64_t seed)
{
  static char *const sets[] = { "duration=5m", "warmup=1m", NULL };
  return (StratusSweepDefinition){ .scenario_file = "scenarios/web-two-az.yaml",
                                   .scenario_name = "web-two-az",
                                   .base_overrides = sets,
                                   .space = space,
                                   .replications = reps,
                                   .seed = seed };
}

/* Pair `pair`'s synthetic figures: pseudo-random values from the pair number, a count, a
 * ratio, a path that needs quoting in CSV, a figure that first appears at pair 3 and is
 * absent from most pairs, and one that is NaN in some pairs. Caller frees. */
static StratusSweepRecord *
synthetic_record (size_t pair)
{
  GRand *rand = g_rand_new_with_seed ((guint32) (pair * 2654435761u + 17));
  StratusSweepRecord *r = stratus_sweep_record_new ();
  stratus_sweep_record_append (r, "latency_ms.p50", false, g_rand_double_range (rand, 1, 200));
  stratus_sweep_record_append (r, "latency_ms.p99", false,
                               g_rand_double_range (rand, 100, 5000) * 1e-3 * 1e3);
  if (pair % 5 == 3)
    stratus_sweep_record_append (r, "rare.figure", false, g_rand_double_range (rand, -1, 1));
  stratus_sweep_record_append (r, "requests.failed", true, g_rand_int_range (rand, 0, 1000));
  stratus_sweep_record_append (r, "availability.success_ratio", false,
                               g_rand_double_range (rand, 0.9, 1));
  stratus_sweep_record_append (r, "cost.monthly_usd", false,
                               1000 + 100 * (double) (pair / 3));
  stratus_sweep_record_append (r, "weird,path \"q\"", false, g_rand_double_range (rand, -1e300,
                                                                                 1e300));
  stratus_sweep_record_append (r, "nan.sometimes", false, pair % 7 == 2 ? NAN : 1.0 / 3);
  g_rand_free (rand);
  return r;
}

/* The space of the merge tests: 3 x 2 points. */
static StratusSweepSpace *
merge_space (void)
{
  return space_of ("instances.web.count=2..4:1", "instances.web.type=c5.large,c5.xlarge", NULL);
}

/* Direct results of every pair of `def`, in pair order. */
static StratusSweepResults *
direct_results (const StratusSweepDefinition *def)
{
  StratusSweepResults *results = stratus_sweep_results_new (def);
  size_t total = stratus_sweep_space_point_count (def->space) * def->replications;
  for (size_t pair = 0; pair < total; pair++)
    {
      StratusSweepRecord *r = synthetic_record (pair);
      stratus_sweep_results_add (results, pair, r);
      stratus_sweep_record_free (r);
    }
  return results;
}

/* Shard `shard` of `shards` (pairs P with P mod shards = shard), serialized. Caller frees. */
static char *
shard_text (const StratusSweepDefinition *def, unsigned shard, unsigned shards)
{
  StratusSweepPartial *p = stratus_sweep_partial_new (def, shard, shards);
  size_t total = stratus_sweep_space_point_count (def->space) * def->replications;
  for (size_t pair = shard; pair < total; pair += shards)
    {
      StratusSweepRecord *r = synthetic_record (pair);
      stratus_sweep_partial_add (p, pair, r);
      stratus_sweep_record_free (r);
    }
  char *text = stratus_sweep_partial_serialize (p);
  stratus_sweep_partial_free (p);
  return text;
}

/* Parses `text`, which must be a partial. */
static StratusSweepPartial *
parse_ok (const char *text, const char *origin)
{
  GError *error = NULL;
  StratusSweepPartial *p = stratus_sweep_partial_parse (text, origin, &error);
  if (p == NULL)
    fail_msg ("parse refused: %s", error->message);
  return p;
}

/* Merges the texts (NULL-terminated; each parsed); NULL with `error` set if refused. */
static StratusSweepResults *
merge_texts (char **texts, GError **error)
{
  GPtrArray *partials
    = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_sweep_partial_free);
  for (char **t = texts; *t != NULL; t++)
    {
      char *origin = g_strdup_printf ("part %u", partials->len);
      g_ptr_array_add (partials, parse_ok (*t, origin));
      g_free (origin);
    }
  StratusSweepResults *results = stratus_sweep_partials_merge (
    (StratusSweepPartial *const *) partials->pdata, partials->len, error);
  g_ptr_array_unref (partials);
  return results;
}

/* Fails unless `a` and `b` are the same text, showing where they part. */
static void
assert_same_text (const char *what, const char *a, const char *b)
{
  if (strcmp (a, b) == 0)
    return;
  size_t i = 0;
  while (a[i] == b[i])
    i++;
  fail_msg ("%s differ at byte %zu: '%.40s' against '%.40s'", what, i, a + i, b + i);
}

/* Every output of `a` and `b` is the same bytes. */
static void
assert_same_outputs (const StratusSweepResults *a, const StratusSweepResults *b)
{
  const char *const chosen[] = { "p99", "rare.figure", "weird,path \"q\"", NULL };
  char *ta = stratus_sweep_results_text (a, NULL), *tb = stratus_sweep_results_text (b, NULL);
  assert_same_text ("the text tables", ta, tb);
  g_free (ta);
  g_free (tb);
  ta = stratus_sweep_results_text (a, chosen);
  tb = stratus_sweep_results_text (b, chosen);
  assert_same_text ("the text tables of chosen figures", ta, tb);
  g_free (ta);
  g_free (tb);
  ta = stratus_sweep_results_csv (a);
  tb = stratus_sweep_results_csv (b);
  assert_same_text ("the CSV files", ta, tb);
  g_free (ta);
  g_free (tb);
  ta = stratus_sweep_results_json (a);
  tb = stratus_sweep_results_json (b);
  assert_same_text ("the JSON files", ta, tb);
  g_free (ta);
  g_free (tb);
}

/* ---- the space: --vary -------------------------------------------------------------------- */

static void
vary_lists (void **state)
{
  (void) state;
  expect_values ("instances.web.count=2,4,8", "2 4 8");
  expect_values ("instances.web.type= c5.large , m5.xlarge", "c5.large m5.xlarge");
  expect_values ("k=only", "only");
  expect_values ("k=-1,0,1", "-1 0 1");
  /* A list never is a range, and a value not starting with a number is a value. */
  expect_values ("k=1..3,7", "1..3 7");
  expect_values ("workload.users.trace=../traces/a.csv", "../traces/a.csv");
  /* A value may hold '=' (the key ends at the first). */
  expect_values ("k=a=b,c", "a=b c");

  StratusSweepSpace *space = space_of ("instances.web.count=2,4", NULL);
  assert_int_equal (stratus_sweep_space_point_count (space), 2);
  assert_string_equal (stratus_sweep_space_key (space, 0), "instances.web.count");
  stratus_sweep_space_free (space);

  /* 10,000 values are accepted, 10,001 are not. */
  GString *spec = g_string_new ("k=");
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (spec, "%s%d", i > 0 ? "," : "", i);
  space = space_of (spec->str, NULL);
  assert_int_equal (stratus_sweep_space_point_count (space), 10000);
  stratus_sweep_space_free (space);
  g_string_append (spec, ",10000");
  space = stratus_sweep_space_new ();
  expect_vary_refused (space, spec->str, "more than 10000 values");
  stratus_sweep_space_free (space);
  g_string_free (spec, TRUE);
}

static void
vary_ranges (void **state)
{
  (void) state;
  expect_values ("instances.web.count=2..6:2", "2 4 6");
  expect_values ("k=2..7:2", "2 4 6");       /* B need not be reached */
  expect_values ("k=1..4", "1 2 3 4");       /* STEP 1 when omitted */
  expect_values ("k=5..5:1", "5");           /* one value */
  expect_values ("k=-2..2:2", "-2 0 2");
  /* Decimals: those of A or STEP, whichever has more; A + i x STEP, no drift. */
  expect_values ("k=0.5..1.5:0.25", "0.50 0.75 1.00 1.25 1.50");
  expect_values ("k=0.1..0.5:0.1", "0.1 0.2 0.3 0.4 0.5");
  expect_values ("k=0..1:0.125", "0.000 0.125 0.250 0.375 0.500 0.625 0.750 0.875 1.000");
  expect_values ("k=1.5..3:1", "1.5 2.5");
  expect_values ("k=0..0.3:0.1", "0.0 0.1 0.2 0.3");
  /* Exponents count: 1e-3 has three decimals, 2.5e2 none. */
  expect_values ("k=1e-3..3e-3:1e-3", "0.001 0.002 0.003");
  expect_values ("k=2.5e2..5e2:1.25e2", "250 375 500");
  /* Units: A and B the same, STEP the same or none. */
  expect_values ("workload.shoppers.rate=400/s..800/s:100/s", "400/s 500/s 600/s 700/s 800/s");
  expect_values ("workload.shoppers.rate=400/s..600/s:100", "400/s 500/s 600/s");
  expect_values ("duration=10m..30m:10m", "10m 20m 30m");
  expect_values ("instances.web.service_time.mean=12.5ms..15ms:1.25ms", "12.50ms 13.75ms 15.00ms");

  /* 10,000 values are accepted, 10,001 are not. */
  StratusSweepSpace *space = space_of ("k=1..10000", NULL);
  assert_int_equal (stratus_sweep_space_point_count (space), 10000);
  assert_string_equal (stratus_sweep_space_value (space, 9999, 0), "10000");
  stratus_sweep_space_free (space);
  space = stratus_sweep_space_new ();
  expect_vary_refused (space, "k=1..10001", "more than 10000 values");
  expect_vary_refused (space, "k=0..1:0.00001", "more than 10000 values");
  stratus_sweep_space_free (space);
}

static void
vary_errors (void **state)
{
  (void) state;
  StratusSweepSpace *space = space_of ("instances.web.count=2,4", NULL);
  /* Malformed or empty. */
  expect_vary_refused (space, "k=", "KEY=V1,V2");
  expect_vary_refused (space, "k", "KEY=V1,V2");
  expect_vary_refused (space, "=1,2", "KEY=V1,V2");
  expect_vary_refused (space, "", "KEY=V1,V2");
  expect_vary_refused (space, "k=1,,2", "an empty value");
  expect_vary_refused (space, "k=1,", "an empty value");
  expect_vary_refused (space, "k= ", "an empty value");
  /* Ranges: B < A, STEP <= 0, not numbers, mixed units. */
  expect_vary_refused (space, "k=5..1", "needs A <= B and a STEP > 0");
  expect_vary_refused (space, "k=5..1:1", "needs A <= B");
  expect_vary_refused (space, "k=1..5:0", "STEP > 0");
  expect_vary_refused (space, "k=1..5:-1", "STEP > 0");
  expect_vary_refused (space, "k=1ms..5ms:0ms", "STEP > 0");
  expect_vary_refused (space, "k=1..5:0ms", "the same unit ('', '', 'ms'");
  expect_vary_refused (space, "k=1..x", "A..B:STEP with numbers");
  expect_vary_refused (space, "k=1..", "A..B:STEP with numbers");
  expect_vary_refused (space, "k=1..5:", "A..B:STEP with numbers");
  expect_vary_refused (space, "k=1..5:x", "A..B:STEP with numbers");
  expect_vary_refused (space, "k=1..inf", "A..B:STEP with numbers");
  expect_vary_refused (space, "k=1ms..5s:1ms", "the same unit");
  expect_vary_refused (space, "k=1/s..5/s:1ms", "the same unit");
  /* A key varied twice, whatever the form of the second. */
  expect_vary_refused (space, "instances.web.count=8", "'instances.web.count' is varied twice");
  expect_vary_refused (space, "instances.web.count=1..3", "varied twice");
  /* The messages name what was given. */
  GError *error = NULL;
  assert_false (stratus_sweep_space_add_vary (space, "rate=9..3:1", &error));
  expect_error (&error, "--vary rate=9..3:1", NULL);
  assert_int_equal (stratus_sweep_space_point_count (space), 2);
  stratus_sweep_space_free (space);
}

/* ---- the space: CSV points ---------------------------------------------------------------- */

static void
csv_points (void **state)
{
  const char *dir = *state;
  /* Comments, blank lines, blanks around fields, CRLF, a spreadsheet's byte order mark,
   * and quoted fields holding commas and quotes. */
  char *path = csv_file (dir, "points.csv",
                         "\xef\xbb\xbf# the points of the test\r\n"
                         "\r\n"
                         "instances.web.count , instances.web.service_time,label\r\n"
                         "2, \"{dist: lognormal, mean: 20ms, cv: 1.0}\" ,plain\r\n"
                         "# a comment between rows\n"
                         "\n"
                         "4,\"{dist: exponential, mean: 10ms}\",\"say \"\"hi\"\", twice\"\n"
                         "  8 ,x,\"\"\n");
  StratusSweepSpace *space = stratus_sweep_space_new ();
  GError *error = NULL;
  assert_true (stratus_sweep_space_add_csv (space, path, &error));
  assert_null (error);
  assert_int_equal (stratus_sweep_space_key_count (space), 3);
  assert_int_equal (stratus_sweep_space_point_count (space), 3);
  assert_string_equal (stratus_sweep_space_key (space, 0), "instances.web.count");
  assert_string_equal (stratus_sweep_space_key (space, 1), "instances.web.service_time");
  assert_string_equal (stratus_sweep_space_key (space, 2), "label");
  assert_string_equal (stratus_sweep_space_value (space, 0, 0), "2");
  assert_string_equal (stratus_sweep_space_value (space, 0, 1),
                       "{dist: lognormal, mean: 20ms, cv: 1.0}");
  assert_string_equal (stratus_sweep_space_value (space, 0, 2), "plain");
  assert_string_equal (stratus_sweep_space_value (space, 1, 2), "say \"hi\", twice");
  assert_string_equal (stratus_sweep_space_value (space, 2, 0), "8");
  assert_string_equal (stratus_sweep_space_value (space, 2, 2), "");
  char **o = stratus_sweep_space_overrides (space, 1);
  assert_int_equal (g_strv_length (o), 3);
  assert_string_equal (o[0], "instances.web.count=4");
  assert_string_equal (o[1], "instances.web.service_time={dist: exponential, mean: 10ms}");
  g_strfreev (o);
  /* A key of the file cannot be varied again, nor the other way round. */
  expect_vary_refused (space, "label=a,b", "'label' is varied twice");
  char *again = csv_file (dir, "again.csv", "seed_note,instances.web.count\na,1\n");
  assert_false (stratus_sweep_space_add_csv (space, again, &error));
  char *where = g_strdup_printf ("%s:1:", again);
  expect_error (&error, where, "already varied", "instances.web.count", NULL);
  g_free (where);
  assert_int_equal (stratus_sweep_space_key_count (space), 3);
  stratus_sweep_space_free (space);
  g_free (again);
  g_free (path);

  /* Errors name the file and the line (counting comments and blank lines). */
  struct
  {
    const char *text;
    int line;
    const char *fragment;
  } bad[] = {
    { "a,b\n1,2\n1,2,3\n", 3, "3 values where the header has 2 keys" },
    { "# c\n\na,b\n1,2\n\n# c\n7\n", 7, "1 values where the header has 2 keys" },
    { "a,b\n1,2\n\"1,2\n", 3, "not closed" },
    { "a,b\n\"1\"x,2\n", 2, "closing quote" },
    { "a,,b\n1,2,3\n", 1, "an empty key" },
    { "a,b,a\n1,2,3\n", 1, "a key given twice in the header: a" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *p = csv_file (dir, "bad.csv", bad[i].text);
      space = stratus_sweep_space_new ();
      if (stratus_sweep_space_add_csv (space, p, &error))
        fail_msg ("bad CSV %zu was accepted", i);
      char *prefix = g_strdup_printf ("%s:%d: ", p, bad[i].line);
      if (!g_str_has_prefix (error->message, prefix))
        fail_msg ("CSV %zu: '%s' does not start with '%s'", i, error->message, prefix);
      expect_error (&error, bad[i].fragment, NULL);
      assert_int_equal (stratus_sweep_space_point_count (space), 1);
      assert_int_equal (stratus_sweep_space_key_count (space), 0);
      stratus_sweep_space_free (space);
      g_free (prefix);
      g_free (p);
    }
  /* No points; no file. */
  path = csv_file (dir, "empty.csv", "# nothing\na,b\n\n");
  space = stratus_sweep_space_new ();
  assert_false (stratus_sweep_space_add_csv (space, path, &error));
  expect_error (&error, path, "no points", NULL);
  g_free (path);
  path = g_build_filename (dir, "missing.csv", NULL);
  assert_false (stratus_sweep_space_add_csv (space, path, &error));
  expect_error (&error, "missing.csv", NULL);
  g_free (path);
  stratus_sweep_space_free (space);
}

/* ---- the space: the grid ------------------------------------------------------------------ */

static void
grid_order (void **state)
{
  const char *dir = *state;
  /* Three dimensions: a (2 values), a CSV of two keys (3 rows), d (2 values). */
  StratusSweepSpace *space = space_of ("a=1,2", NULL);
  char *path = csv_file (dir, "bc.csv", "b,c\nb0,c0\nb1,c1\nb2,c2\n");
  GError *error = NULL;
  assert_true (stratus_sweep_space_add_csv (space, path, &error));
  g_free (path);
  assert_true (stratus_sweep_space_add_vary (space, "d=x,y", &error));
  assert_int_equal (stratus_sweep_space_point_count (space), 12);
  assert_int_equal (stratus_sweep_space_key_count (space), 4);
  const char *keys[] = { "a", "b", "c", "d" };
  for (size_t k = 0; k < 4; k++)
    assert_string_equal (stratus_sweep_space_key (space, k), keys[k]);
  /* The first dimension varies slowest, the last fastest. */
  for (size_t p = 0; p < 12; p++)
    {
      size_t ia = p / 6, irow = (p / 2) % 3, id = p % 2;
      char *expected = g_strdup_printf ("a=%zu b=b%zu c=c%zu d=%s", ia + 1, irow, irow,
                                        id == 0 ? "x" : "y");
      char **o = stratus_sweep_space_overrides (space, p);
      char *got = g_strjoinv (" ", o);
      assert_string_equal (got, expected);
      assert_int_equal (g_strv_length (o), 4);
      assert_string_equal (stratus_sweep_space_value (space, p, 3), id == 0 ? "x" : "y");
      g_free (got);
      g_strfreev (o);
      g_free (expected);
    }
  stratus_sweep_space_free (space);

  /* No dimension: one point, no keys, no overrides. */
  space = stratus_sweep_space_new ();
  assert_int_equal (stratus_sweep_space_point_count (space), 1);
  assert_int_equal (stratus_sweep_space_key_count (space), 0);
  char **o = stratus_sweep_space_overrides (space, 0);
  assert_non_null (o);
  assert_null (o[0]);
  g_strfreev (o);
  stratus_sweep_space_free (space);
}

/* ---- results ------------------------------------------------------------------------------ */

/* A record of the figures given as (path, value) pairs, ending with NULL; paths starting
 * with '#' are counts (the '#' dropped). */
static StratusSweepRecord *
record_of (const char *first, ...)
{
  StratusSweepRecord *r = stratus_sweep_record_new ();
  va_list args;
  va_start (args, first);
  for (const char *path = first; path != NULL; path = va_arg (args, const char *))
    {
      double v = va_arg (args, double);
      stratus_sweep_record_append (r, path[0] == '#' ? path + 1 : path, path[0] == '#', v);
    }
  va_end (args);
  return r;
}

static void
add_record (StratusSweepResults *results, size_t pair, StratusSweepRecord *record)
{
  stratus_sweep_results_add (results, pair, record);
  stratus_sweep_record_free (record);
}

static void
expect_figure (const StratusSweepResults *r, size_t point, const char *figure, double mean,
              double ci, unsigned n)
{
  int f = stratus_sweep_results_figure_index (r, figure);
  if (f < 0)
    fail_msg ("no figure %s", figure);
  double m = -1, c = -1;
  unsigned got_n = 0;
  assert_true (stratus_sweep_results_value (r, point, (size_t) f, &m, &c, &got_n));
  if (fabs (m - mean) > 1e-12 * fmax (1, fabs (mean)) || fabs (c - ci) > 1e-9 * fmax (1, ci)
      || got_n != n)
    fail_msg ("point %zu %s: mean %.17g ci %.17g n %u, expected %.17g %.17g %u", point, figure,
              m, c, got_n, mean, ci, n);
}

static void
results_statistics (void **state)
{
  (void) state;
  StratusSweepSpace *space = space_of ("instances.web.count=2,4", NULL);
  StratusSweepDefinition def = definition_of (space, 3, 5);
  StratusSweepResults *r = stratus_sweep_results_new (&def);
  assert_int_equal (stratus_sweep_results_point_count (r), 2);
  assert_int_equal (stratus_sweep_results_key_count (r), 1);
  assert_int_equal (stratus_sweep_results_replications (r), 3);
  assert_string_equal (stratus_sweep_results_key (r, 0), "instances.web.count");
  assert_string_equal (stratus_sweep_results_key_value (r, 1, 0), "4");
  assert_int_equal (stratus_sweep_results_figure_count (r), 0);

  /* Point 0: p99 10, 12, 17; failed 3, 5, 4; a figure only in its third replication.
   * Point 1: p99 20, 20, 20; the ratio in two of three replications; cost first seen here. */
  add_record (r, 0, record_of ("latency_ms.p99", 10.0, "#requests.failed", 3.0, NULL));
  add_record (r, 1, record_of ("latency_ms.p99", 12.0, "#requests.failed", 5.0, NULL));
  add_record (r, 3, record_of ("latency_ms.p99", 20.0, "availability.success_ratio", 0.98,
                               NULL));
  add_record (r, 2, record_of ("latency_ms.p99", 17.0, "#requests.failed", 4.0, "late", 7.5,
                               NULL));
  add_record (r, 4, record_of ("latency_ms.p99", 20.0, "cost.monthly_usd", 1200.0, NULL));
  add_record (r, 5, record_of ("latency_ms.p99", 20.0, "availability.success_ratio", 0.99,
                               "cost.monthly_usd", 1300.0, NULL));

  /* Figures in order of first appearance over the pairs as added. */
  const char *order[] = { "latency_ms.p99", "requests.failed", "availability.success_ratio",
                          "late", "cost.monthly_usd" };
  assert_int_equal (stratus_sweep_results_figure_count (r), G_N_ELEMENTS (order));
  for (size_t i = 0; i < G_N_ELEMENTS (order); i++)
    assert_string_equal (stratus_sweep_results_figure_path (r, i), order[i]);

  /* By hand: the 95% Student-t quantile with 2 degrees of freedom is
   * (2u - 1) / sqrt (2u (1 - u)) at u = 0.975, and with 1, tan (pi (u - 1/2)). */
  double t2 = 0.95 / sqrt (2 * 0.975 * 0.025), t1 = tan (M_PI * 0.475);
  assert_near (t2, 4.302652729749464, 1e-12);
  /* 10, 12, 17: mean 13, squared deviations 9 + 1 + 16 = 26, variance 13. */
  expect_figure (r, 0, "latency_ms.p99", 13, t2 * sqrt (13.0 / 3), 3);
  expect_figure (r, 0, "p99", 13, t2 * sqrt (13.0 / 3), 3); /* the alias */
  /* 3, 5, 4: mean 4, variance 1. */
  expect_figure (r, 0, "requests.failed", 4, t2 * sqrt (1.0 / 3), 3);
  /* One replication: its value, no interval. */
  expect_figure (r, 0, "late", 7.5, 0, 1);
  /* The same value thrice: no spread. */
  expect_figure (r, 1, "latency_ms.p99", 20, 0, 3);
  /* 0.98, 0.99: mean 0.985, variance 0.00005, over 2. */
  expect_figure (r, 1, "availability", 0.985, t1 * sqrt (0.00005 / 2), 2);
  expect_figure (r, 1, "monthly_cost", 1250, t1 * sqrt (5000.0 / 2), 2);
  expect_figure (r, 1, "cost", 1250, t1 * sqrt (5000.0 / 2), 2);
  /* Figures a point never had: absent, the outputs untouched. */
  double sentinel = 42;
  assert_false (stratus_sweep_results_value (r, 0, 4, &sentinel, &sentinel, NULL));
  assert_false (stratus_sweep_results_value (r, 1, 3, &sentinel, NULL, NULL));
  assert_near (sentinel, 42, 0);
  assert_int_equal (stratus_sweep_results_figure_index (r, "nosuch"), -1);
  assert_int_equal (stratus_sweep_results_figure_index (r, "p50"), -1);

  /* The text table: the default figures present, mean ± half-width, ratios in percent,
   * '-' where a point lacks a figure. */
  char *text = stratus_sweep_results_text (r, NULL);
  assert_true (g_str_has_prefix (text, "Sweep of web-two-az (scenarios/web-two-az.yaml): 2 "
                                       "points x 3 replications, seed 5, common random "
                                       "numbers across points\n  --set duration=5m\n  --set "
                                       "warmup=1m\n"));
  char **lines = g_strsplit (text, "\n", -1);
  /* 5 lines of heading (the last blank), the titles, 2 rows, "" after the last newline. */
  assert_int_equal (g_strv_length (lines), 9);
  assert_string_equal (lines[4], "");
  assert_true (g_str_has_prefix (lines[5], "instances.web.count  latency_ms.p99"));
  assert_null (strstr (lines[5], "latency_ms.p50"));
  char *ci0 = g_strdup_printf ("%.2f", t2 * sqrt (13.0 / 3));
  char *row0 = g_strdup_printf ("13.00 \xc2\xb1 %s", ci0);
  assert_non_null (strstr (lines[6], row0));
  char *ratio = g_strdup_printf ("98.500 \xc2\xb1 %.3f", 100 * t1 * sqrt (0.00005 / 2));
  assert_non_null (strstr (lines[7], ratio));
  assert_non_null (strstr (lines[6], " -"));
  g_free (ci0);
  g_free (row0);
  g_free (ratio);
  g_strfreev (lines);
  g_free (text);
  stratus_sweep_results_free (r);

  /* One replication: cells are the values alone. */
  def.replications = 1;
  r = stratus_sweep_results_new (&def);
  add_record (r, 0, record_of ("latency_ms.p99", 10.25, NULL));
  add_record (r, 1, record_of ("latency_ms.p99", 11.5, NULL));
  expect_figure (r, 0, "p99", 10.25, 0, 1);
  text = stratus_sweep_results_text (r, NULL);
  assert_non_null (strstr (text, "the value of the one replication"));
  assert_null (strstr (text, "\xc2\xb1"));
  assert_non_null (strstr (text, "\n2                    10.25\n"));
  g_free (text);
  stratus_sweep_results_free (r);
  stratus_sweep_space_free (space);
}

/* Counts the criticals of the library instead of aborting on them (G_DEBUG=fatal-warnings
 * in the tests' environment makes them fatal). */
static unsigned criticals = 0;
static char *last_critical = NULL;

static void
count_critical (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  (void) domain;
  (void) level;
  (void) data;
  criticals++;
  g_free (last_critical);
  last_critical = g_strdup (message);
}

static void
results_out_of_order_refused (void **state)
{
  (void) state;
  StratusSweepSpace *space = space_of ("k=a,b", NULL);
  StratusSweepDefinition def = definition_of (space, 4, 1);
  StratusSweepResults *r = stratus_sweep_results_new (&def);
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK & ~G_LOG_LEVEL_CRITICAL);
  guint handler = g_log_set_handler ("stratus", G_LOG_LEVEL_CRITICAL, count_critical, NULL);
  criticals = 0;

  /* Replication 1 of point 0 before its replication 0: refused, nothing taken. */
  add_record (r, 1, record_of ("x", 100.0, NULL));
  assert_int_equal (criticals, 1);
  assert_int_equal (stratus_sweep_results_figure_count (r), 0);
  /* In order, points interleaved: taken (only a point's own order matters). */
  add_record (r, 4, record_of ("x", 1.0, NULL));
  add_record (r, 0, record_of ("x", 2.0, NULL));
  add_record (r, 5, record_of ("x", 3.0, NULL));
  add_record (r, 1, record_of ("x", 4.0, NULL));
  assert_int_equal (criticals, 1);
  /* A replication again, one skipped, a pair beyond the sweep: refused. */
  add_record (r, 1, record_of ("x", 100.0, NULL));
  add_record (r, 0, record_of ("x", 100.0, NULL));
  add_record (r, 3, record_of ("x", 100.0, NULL));
  add_record (r, 7, record_of ("x", 100.0, NULL));
  add_record (r, 8, record_of ("x", 100.0, NULL));
  add_record (r, 600, record_of ("x", 100.0, NULL));
  assert_int_equal (criticals, 7);
  assert_non_null (last_critical);
  /* What was taken: 2, 4 at point 0 and 1, 3 at point 1 (variance 2, over 2). */
  double t1 = tan (M_PI * 0.475);
  expect_figure (r, 0, "x", 3, t1, 2);
  expect_figure (r, 1, "x", 2, t1, 2);
  g_log_remove_handler ("stratus", handler);
  g_log_set_always_fatal (fatal);
  g_free (last_critical);
  last_critical = NULL;
  stratus_sweep_results_free (r);
  stratus_sweep_space_free (space);
}

/* ---- partial results ---------------------------------------------------------------------- */

/* Doubles that must survive the text bit for bit. */
static const double special_values[] = {
  0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, M_PI, -M_E, 1e-310 /* subnormal */, DBL_MIN, -DBL_MIN,
  DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, DBL_EPSILON, 123456789012345678.0,
  INFINITY, -INFINITY, NAN, -NAN,
};

/* Paths that need escaping in the text. */
static const char *const special_paths[] = {
  "latency_ms.p99", "with space", "tab\there", "new\nline", "back\\slash", "quote\"d",
  "equals=sign", "caf\xc3\xa9 \xe2\x82\xac", "0=0x1p+0", " leading and trailing ",
};

static void
partial_round_trip (void **state)
{
  const char *dir = *state;
  /* Strings of every kind in the definition; a CSV value that is empty, alone on its row
   * (one key), and a point with a value holding tabs and commas. */
  char *csv = csv_file (dir, "one.csv", "label\n\"\"\nplain\n\"a,\tb \"\"c\"\"\"\n");
  StratusSweepSpace *space = space_of ("instances.web.count=1..3", NULL);
  GError *error = NULL;
  assert_true (stratus_sweep_space_add_csv (space, csv, &error));
  g_free (csv);
  static char *const sets[] = { "duration=5m", "", "k={a: 1, b: [2, 3]}", "x=tab\tnewline\n",
                                "uni=\xc3\xa9", NULL };
  StratusSweepDefinition def = {
    .scenario_file = "dir with space/we\\ird\t\"name\"\n.yaml",
    .scenario_name = "n\xc3\xa4me",
    .base_overrides = sets,
    .space = space,
    .replications = 4,
    .seed = UINT64_MAX,
  };
  size_t total = 9 * 4;
  StratusSweepPartial *p = stratus_sweep_partial_new (&def, 1, 3);
  size_t n_values = G_N_ELEMENTS (special_values), n_paths = G_N_ELEMENTS (special_paths);
  for (size_t pair = 1, i = 0; pair < total; pair += 3, i++)
    {
      StratusSweepRecord *r = stratus_sweep_record_new ();
      /* Every value under every path, rotating, and the paths in a varying order. */
      for (size_t j = 0; j < n_paths; j++)
        stratus_sweep_record_append (r, special_paths[(i + j) % n_paths], (i + j) % 2 == 0,
                                     special_values[(i * 3 + j) % n_values]);
      stratus_sweep_partial_add (p, pair, r);
      stratus_sweep_record_free (r);
    }
  /* A pair with no figures at all. */
  StratusSweepRecord *empty = stratus_sweep_record_new ();
  StratusSweepPartial *q0 = stratus_sweep_partial_new (&def, 1, 3);
  stratus_sweep_partial_add (q0, 34, empty);
  stratus_sweep_record_free (empty);

  char *text = stratus_sweep_partial_serialize (p);
  assert_true (g_str_has_prefix (text, STRATUS_SWEEP_PARTIAL_SCHEMA "\n"));
  assert_true (g_str_has_suffix (text, "\nend\n"));
  StratusSweepPartial *q = parse_ok (text, "round trip");
  char *again = stratus_sweep_partial_serialize (q);
  assert_same_text ("the texts before and after parsing", text, again);

  /* The same sweep, shard, pairs, and records bit for bit. */
  assert_true (sweep_facts_equal (&p->facts, &q->facts));
  assert_int_equal (q->facts.seed, UINT64_MAX);
  assert_string_equal (q->facts.scenario_file, def.scenario_file);
  assert_int_equal (g_strv_length (q->facts.base_overrides), 5);
  assert_string_equal (q->facts.base_overrides[1], "");
  /* Point p: count 1 + p / 3, the label of row p % 3. */
  assert_string_equal (q->facts.values[0 * 2 + 1], "");
  assert_string_equal (q->facts.values[2 * 2 + 1], "a,\tb \"c\"");
  assert_string_equal (q->facts.values[6 * 2 + 0], "3");
  assert_int_equal (q->shard, 1);
  assert_int_equal (q->shards, 3);
  assert_int_equal (q->pairs->len, p->pairs->len);
  size_t values_checked = 0;
  for (guint i = 0; i < p->pairs->len; i++)
    {
      assert_int_equal (g_array_index (q->pairs, size_t, i), g_array_index (p->pairs, size_t, i));
      const StratusSweepRecord *a = p->records->pdata[i], *b = q->records->pdata[i];
      assert_int_equal (stratus_sweep_record_length (a), stratus_sweep_record_length (b));
      for (size_t j = 0; j < stratus_sweep_record_length (a); j++)
        {
          bool ca, cb;
          double va, vb;
          const char *pa = stratus_sweep_record_path (a, j, &ca, &va);
          const char *pb = stratus_sweep_record_path (b, j, &cb, &vb);
          assert_string_equal (pa, pb);
          assert_int_equal (ca, cb);
          if (memcmp (&va, &vb, sizeof va) != 0)
            fail_msg ("pair %zu %s: %a became %a", g_array_index (p->pairs, size_t, i), pa, va,
                      vb);
          values_checked++;
        }
    }
  assert_int_equal (values_checked, p->pairs->len * n_paths);
  /* Every special value went through (each sits under some path in some pair). */
  assert_true (p->pairs->len * n_paths >= n_values);

  char *empty_text = stratus_sweep_partial_serialize (q0);
  StratusSweepPartial *q1 = parse_ok (empty_text, "empty pair");
  assert_int_equal (q1->pairs->len, 1);
  assert_int_equal (stratus_sweep_record_length (q1->records->pdata[0]), 0);
  g_free (empty_text);
  stratus_sweep_partial_free (q1);
  stratus_sweep_partial_free (q0);

  /* A sweep with no keys (one point) and a partial with no pairs also go through. */
  StratusSweepSpace *none = stratus_sweep_space_new ();
  StratusSweepDefinition bare = definition_of (none, 2, 0);
  bare.base_overrides = NULL;
  StratusSweepPartial *b = stratus_sweep_partial_new (&bare, 4, 5);
  char *bare_text = stratus_sweep_partial_serialize (b);
  StratusSweepPartial *bq = parse_ok (bare_text, "bare");
  char *bare_again = stratus_sweep_partial_serialize (bq);
  assert_same_text ("a partial without keys or pairs", bare_text, bare_again);
  assert_int_equal (bq->facts.points, 1);
  assert_int_equal (bq->facts.n_keys, 0);
  g_free (bare_text);
  g_free (bare_again);
  stratus_sweep_partial_free (b);
  stratus_sweep_partial_free (bq);
  stratus_sweep_space_free (none);

  g_free (text);
  g_free (again);
  stratus_sweep_partial_free (p);
  stratus_sweep_partial_free (q);
  stratus_sweep_space_free (space);
}

/* Every way of splitting the pairs into partial results, merged, gives the direct results'
 * bytes: text, CSV and JSON. */
static void
merge_equals_direct (void **state)
{
  (void) state;
  StratusSweepSpace *space = merge_space ();
  StratusSweepDefinition def = definition_of (space, 3, 11);
  StratusSweepResults *direct = direct_results (&def);
  size_t total = 18;
  /* The figure first seen at pair 3 comes after those of pair 0, whoever holds it. */
  assert_int_equal (stratus_sweep_results_figure_count (direct), 8);
  assert_string_equal (stratus_sweep_results_figure_path (direct, 7), "rare.figure");

  const unsigned shard_counts[] = { 1, 2, 3, 4, 5, 7, 18, 25 };
  for (size_t c = 0; c < G_N_ELEMENTS (shard_counts); c++)
    {
      unsigned n = shard_counts[c];
      /* The partials given in reverse order. */
      char **texts = g_new0 (char *, n + 1);
      for (unsigned s = 0; s < n; s++)
        texts[n - 1 - s] = shard_text (&def, s, n);
      GError *error = NULL;
      StratusSweepResults *merged = merge_texts (texts, &error);
      if (merged == NULL)
        fail_msg ("%u shards: %s", n, error->message);
      assert_same_outputs (direct, merged);
      stratus_sweep_results_free (merged);
      g_strfreev (texts);
    }

  /* Shards of consecutive pairs (not the CLI's split, but a partial may hold any pairs). */
  char *texts[4] = { NULL };
  size_t bounds[] = { 0, 5, 6, total };
  for (int s = 0; s < 3; s++)
    {
      StratusSweepPartial *p = stratus_sweep_partial_new (&def, (unsigned) s, 3);
      for (size_t pair = bounds[s]; pair < bounds[s + 1]; pair++)
        {
          StratusSweepRecord *r = synthetic_record (pair);
          stratus_sweep_partial_add (p, pair, r);
          stratus_sweep_record_free (r);
        }
      texts[2 - s] = stratus_sweep_partial_serialize (p);
      stratus_sweep_partial_free (p);
    }
  GError *error = NULL;
  StratusSweepResults *merged = merge_texts (texts, &error);
  assert_non_null (merged);
  assert_same_outputs (direct, merged);
  stratus_sweep_results_free (merged);
  for (int s = 0; s < 3; s++)
    g_free (texts[s]);

  /* A partial's text taken as it is, without parsing, also merges: the API's partials. */
  StratusSweepPartial *whole = stratus_sweep_partial_new (&def, 0, 1);
  for (size_t pair = 0; pair < total; pair++)
    {
      StratusSweepRecord *r = synthetic_record (pair);
      stratus_sweep_partial_add (whole, pair, r);
      stratus_sweep_record_free (r);
    }
  merged = stratus_sweep_partials_merge (&whole, 1, &error);
  assert_non_null (merged);
  assert_same_outputs (direct, merged);
  stratus_sweep_results_free (merged);
  stratus_sweep_partial_free (whole);

  stratus_sweep_results_free (direct);
  stratus_sweep_space_free (space);
}

/* The merge of `texts` (NULL-terminated) is refused with a message holding the fragments
 * (NULL-terminated after the texts' array). */
static void
expect_merge_refused (char **texts, ...)
{
  GError *error = NULL;
  StratusSweepResults *merged = merge_texts (texts, &error);
  if (merged != NULL)
    fail_msg ("the merge was accepted");
  va_list args;
  va_start (args, texts);
  for (const char *f = va_arg (args, const char *); f != NULL; f = va_arg (args, const char *))
    if (strstr (error->message, f) == NULL)
      fail_msg ("'%s' is not in the message: %s", f, error->message);
  va_end (args);
  expect_error (&error, NULL);
}

static void
merge_errors (void **state)
{
  (void) state;
  StratusSweepSpace *space = merge_space ();
  StratusSweepDefinition def = definition_of (space, 3, 11);
  char *s0 = shard_text (&def, 0, 3), *s1 = shard_text (&def, 1, 3), *s2 = shard_text (&def, 2, 3);

  /* A shard missing: named, with its file, and how many pairs are missing. */
  char *missing1[] = { s0, s2, NULL };
  expect_merge_refused (missing1, "6 of the 18 (point, replication) pairs are missing",
                        "shard 1/3", "(is part-1-of-3.sweep missing?)", NULL);
  char *missing2[] = { s1, NULL };
  expect_merge_refused (missing2, "12 of the 18", "shards 0/3, 2/3",
                        "(are part-0-of-3.sweep, part-2-of-3.sweep missing?)", NULL);
  char *missing_last[] = { s0, s1, NULL };
  expect_merge_refused (missing_last, "shard 2/3", NULL);
  /* Doubled: a shard given twice (also when another is missing). */
  char *doubled[] = { s0, s1, s2, s1, NULL };
  expect_merge_refused (doubled, "pair 1 (point 1, replication 2) is in more than one", NULL);
  char *doubled_and_missing[] = { s1, s2, s1, NULL };
  expect_merge_refused (doubled_and_missing, "in more than one partial result", NULL);

  /* Different sweeps: every part of the definition counts. */
  StratusSweepSpace *other_space = space_of ("instances.web.count=2..4:1",
                                             "instances.web.type=c5.large,m5.large", NULL);
  StratusSweepSpace *other_key = space_of ("instances.web.count=2..4:1",
                                           "instances.api.type=c5.large,c5.xlarge", NULL);
  static char *const other_sets[] = { "duration=10m", "warmup=1m", NULL };
  StratusSweepDefinition others[6];
  for (int i = 0; i < 6; i++)
    others[i] = def;
  others[0].seed = 12;
  others[1].replications = 4;
  others[2].space = other_space;
  others[3].space = other_key;
  others[4].base_overrides = other_sets;
  others[5].scenario_file = "scenarios/other.yaml";
  for (int i = 0; i < 6; i++)
    {
      char *o1 = shard_text (&others[i], 1, 3);
      char *mixed[] = { s0, o1, s2, NULL };
      expect_merge_refused (mixed, "not all of the same sweep", NULL);
      g_free (o1);
    }
  def.scenario_name = "renamed";
  char *renamed = shard_text (&def, 1, 3);
  char *mixed_name[] = { s0, renamed, s2, NULL };
  expect_merge_refused (mixed_name, "not all of the same sweep", NULL);
  g_free (renamed);
  def.scenario_name = "web-two-az";
  /* The same pairs split in two ways: the shard counts differ. */
  char *half0 = shard_text (&def, 0, 2), *half1 = shard_text (&def, 1, 2);
  char *mixed_counts[] = { half0, s1, NULL };
  expect_merge_refused (mixed_counts, "not all of the same sweep", NULL);
  char *halves[] = { half0, half1, NULL };
  GError *error = NULL;
  StratusSweepResults *ok = merge_texts (halves, &error);
  assert_non_null (ok);
  stratus_sweep_results_free (ok);
  g_free (half0);
  g_free (half1);

  g_free (s0);
  g_free (s1);
  g_free (s2);
  stratus_sweep_space_free (other_space);
  stratus_sweep_space_free (other_key);
  stratus_sweep_space_free (space);
}

/* `text` is refused by the parser with "ORIGIN:LINE: " (LINE < 0: any) and `fragment`. */
static void
expect_parse_refused (const char *text, int line, const char *fragment)
{
  GError *error = NULL;
  StratusSweepPartial *p = stratus_sweep_partial_parse (text, "part-x", &error);
  if (p != NULL)
    fail_msg ("accepted: %s", text);
  char *prefix = line > 0 ? g_strdup_printf ("part-x:%d: ", line) : g_strdup ("part-x:");
  if (!g_str_has_prefix (error->message, prefix))
    fail_msg ("'%s' does not start with '%s'", error->message, prefix);
  g_free (prefix);
  expect_error (&error, fragment, NULL);
}

/* `good` with line `n` (from 1) replaced by `line` (NULL: removed). Caller frees. */
static char *
with_line (const char *good, int n, const char *line)
{
  char **lines = g_strsplit (good, "\n", -1);
  GString *out = g_string_new (NULL);
  for (int i = 0; lines[i] != NULL; i++)
    {
      const char *l = i + 1 == n ? line : lines[i];
      if (l == NULL)
        continue;
      g_string_append (out, l);
      if (lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }
  g_strfreev (lines);
  return g_string_free (out, FALSE);
}

static void
partial_parse_errors (void **state)
{
  (void) state;
  StratusSweepSpace *space = space_of ("k=1,2", NULL);
  StratusSweepDefinition def = definition_of (space, 2, 3);
  StratusSweepPartial *p = stratus_sweep_partial_new (&def, 0, 2);
  StratusSweepRecord *r = record_of ("a", 1.5, "#b", 2.0, NULL);
  stratus_sweep_partial_add (p, 0, r);
  stratus_sweep_partial_add (p, 2, r);
  stratus_sweep_record_free (r);
  char *good = stratus_sweep_partial_serialize (p);
  stratus_sweep_partial_free (p);
  /* The text, line by line (the test below depends on it). */
  const char *expected = "stratus.sweep-partial/1\n"
                         "scenario_file scenarios/web-two-az.yaml\n"
                         "scenario_name web-two-az\n"
                         "seed 3\n"
                         "replications 2\n"
                         "shard 0 2\n"
                         "set duration=5m\n"
                         "set warmup=1m\n"
                         "key k\n"
                         "point 1\n"
                         "point 2\n"
                         "figure 0 0 a\n"
                         "figure 1 1 b\n"
                         "pair 0 0=0x1.8p+0 1=0x1p+1\n"
                         "pair 2 0=0x1.8p+0 1=0x1p+1\n"
                         "end\n";
  assert_string_equal (good, expected);
  StratusSweepPartial *fine = parse_ok (good, "good");
  stratus_sweep_partial_free (fine);

  /* Truncated anywhere before its 'end' line: refused, never half read. */
  size_t length = strlen (good);
  for (size_t cut = 0; cut + strlen ("end\n") < length; cut++)
    {
      char *prefix = g_strndup (good, cut);
      GError *error = NULL;
      StratusSweepPartial *t = stratus_sweep_partial_parse (prefix, "cut", &error);
      if (t != NULL)
        fail_msg ("the first %zu bytes were accepted", cut);
      assert_true (g_str_has_prefix (error->message, "cut:"));
      g_clear_error (&error);
      g_free (prefix);
    }
  char *no_end = with_line (good, 16, NULL);
  expect_parse_refused (no_end, 16, "truncated: no 'end' line");
  g_free (no_end);

  /* Garbage. */
  expect_parse_refused ("", 1, "not a partial sweep result");
  expect_parse_refused ("hello\nworld\n", 1, "not a partial sweep result");
  expect_parse_refused ("stratus.sweep-partial/2\nend\n", 1, "not a partial");
  expect_parse_refused ("\x89PNG\r\n\x1a\n\x00\x00", 1, "not a partial");
  expect_parse_refused ("stratus.sweep-partial/1\nend\n", -1, "incomplete");
  char *after = g_strconcat (good, "pair 3 0=0x1p+0\n", NULL);
  expect_parse_refused (after, 17, "text after 'end'");
  g_free (after);

  /* Each line malformed in turn. */
  struct
  {
    int line;
    const char *replacement, *fragment;
  } bad[] = {
    { 4, "seed -1", "seed is not a whole number" },
    { 4, "seed 18446744073709551616", "seed is not a whole number" },
    { 5, "replications 0", "replications is not a whole number" },
    { 5, "replications two", "replications is not a whole number" },
    { 6, "shard 2 2", "shard is 'I N'" },
    { 6, "shard 0", "shard is 'I N'" },
    { 6, "shard 0 0", "shard is 'I N'" },
    { 11, "point 2\t3", "a point has not one value per key" },
    { 12, "figure 1 0 a", "indices in order" },
    { 12, "figure 0 2 a", "INDEX COUNT PATH" },
    { 12, "figure 0 0", "INDEX COUNT PATH" },
    { 14, "pair 0 2=0x1p+0", "a pair names a figure that was not declared" },
    { 14, "pair 0 0=0x1p+0 1", "INDEX=VALUE" },
    { 14, "pair 0 0=abc", "not a number" },
    { 14, "pair 0 0=0x1p+0x", "not a number" },
    { 14, "pair 0 0=", "not a number" },
    { 14, "pair x 0=0x1p+0", "whole numbers in increasing order" },
    { 14, "pair", "whole numbers in increasing order" },
    { 15, "pair 0 0=0x1p+0", "whole numbers in increasing order" },
    { 15, "pair 4 0=0x1p+0", "beyond the sweep's points x replications" },
    { 9, "bogus line", "unknown line" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *text = with_line (good, bad[i].line, bad[i].replacement);
      /* Errors found once the whole text is read are reported at its end. */
      bool at_end = strstr (bad[i].fragment, "per key") != NULL
                    || strstr (bad[i].fragment, "beyond") != NULL;
      expect_parse_refused (text, at_end ? -1 : bad[i].line, bad[i].fragment);
      g_free (text);
    }
  g_free (good);
  stratus_sweep_space_free (space);
}

/* ---- outputs ------------------------------------------------------------------------------ */

/* The rows of a CSV text (RFC 4180: quoted fields, "" for a quote), each a NULL-terminated
 * array of fields; fails on a malformed text. Free with g_ptr_array_unref. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *row = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  const char *p = text;
  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++;; p++)
            {
              if (*p == '\0')
                fail_msg ("an unclosed quote in the CSV");
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
          if (*p != ',' && *p != '\n')
            fail_msg ("text after a closing quote in the CSV");
        }
      else
        while (*p != ',' && *p != '\n' && *p != '\0')
          {
            if (*p == '"')
              fail_msg ("a quote inside an unquoted CSV field");
            g_string_append_c (field, *p++);
          }
      g_ptr_array_add (row, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p == ',')
        p++;
      else if (*p == '\n')
        {
          p++;
          g_ptr_array_add (row, NULL);
          g_ptr_array_add (rows, g_ptr_array_free (row, FALSE));
          row = g_ptr_array_new ();
        }
      else
        fail_msg ("the CSV does not end with a newline");
    }
  g_ptr_array_free (row, TRUE);
  g_string_free (field, TRUE);
  return rows;
}

/* Results over a space with values that need quoting, from the synthetic records. */
static StratusSweepResults *
quoting_results (const char *dir, StratusSweepSpace **space)
{
  char *csv = csv_file (dir, "quoting.csv",
                        "instances.web.service_time,\"odd,key\"\n"
                        "\"{dist: lognormal, mean: 20ms, cv: 1.0}\",plain\n"
                        "\"{dist: exponential, mean: 10ms}\",\"say \"\"hi\"\"\"\n"
                        "\"multi\n");
  *space = stratus_sweep_space_new ();
  GError *error = NULL;
  /* The last row is an unclosed quote (a CSV of points holds no line breaks in values):
   * refused, then the file without it. */
  assert_false (stratus_sweep_space_add_csv (*space, csv, &error));
  expect_error (&error, ":4: ", "not closed", NULL);
  g_free (csv);
  csv = csv_file (dir, "quoting.csv",
                  "instances.web.service_time,\"odd,key\"\n"
                  "\"{dist: lognormal, mean: 20ms, cv: 1.0}\",plain\n"
                  "\"{dist: exponential, mean: 10ms}\",\"say \"\"hi\"\"\"\n");
  assert_true (stratus_sweep_space_add_csv (*space, csv, &error));
  g_free (csv);
  assert_true (stratus_sweep_space_add_vary (*space, "instances.web.count=2,3", &error));
  StratusSweepDefinition def = definition_of (*space, 3, 1);
  return direct_results (&def);
}

static void
csv_quoting (void **state)
{
  StratusSweepSpace *space = NULL;
  StratusSweepResults *r = quoting_results (*state, &space);
  char *text = stratus_sweep_results_csv (r);
  /* Quoted where needed, as written. */
  assert_true (g_str_has_prefix (text, "point,instances.web.service_time,\"odd,key\","
                                       "instances.web.count,replications,"
                                       "latency_ms.p50.mean,latency_ms.p50.ci95,"));
  assert_non_null (strstr (text, ",\"weird,path \"\"q\"\".mean\",\"weird,path \"\"q\"\".ci95\","));
  assert_non_null (strstr (text, "\n1,\"{dist: lognormal, mean: 20ms, cv: 1.0}\",plain,2,3,"));
  assert_non_null (
    strstr (text, "\n4,\"{dist: exponential, mean: 10ms}\",\"say \"\"hi\"\"\",3,3,"));

  /* Read back: one row per point, as many fields as the header, the values as given, the
   * numbers the means and half-widths to the last bit, absent or not finite: empty. */
  GPtrArray *rows = parse_csv (text);
  assert_int_equal (rows->len, 1 + 4);
  char **header = rows->pdata[0];
  size_t figures = stratus_sweep_results_figure_count (r);
  assert_int_equal (g_strv_length (header), 1 + 3 + 1 + 2 * figures);
  assert_string_equal (header[2], "odd,key");
  for (size_t f = 0; f < figures; f++)
    {
      char *mean = g_strconcat (stratus_sweep_results_figure_path (r, f), ".mean", NULL);
      assert_string_equal (header[5 + 2 * f], mean);
      g_free (mean);
    }
  for (size_t p = 0; p < 4; p++)
    {
      char **row = rows->pdata[p + 1];
      assert_int_equal (g_strv_length (row), g_strv_length (header));
      char *index = g_strdup_printf ("%zu", p + 1);
      assert_string_equal (row[0], index);
      g_free (index);
      for (size_t k = 0; k < 3; k++)
        assert_string_equal (row[1 + k], stratus_sweep_results_key_value (r, p, k));
      assert_string_equal (row[4], "3");
      for (size_t f = 0; f < figures; f++)
        {
          double mean, ci;
          bool present = stratus_sweep_results_value (r, p, f, &mean, &ci, NULL);
          const char *m = row[5 + 2 * f], *c = row[6 + 2 * f];
          if (!present || !isfinite (mean))
            assert_string_equal (m, "");
          else
            assert_true (g_ascii_strtod (m, NULL) == mean);
          if (!present || !isfinite (ci))
            assert_string_equal (c, "");
          else
            assert_true (g_ascii_strtod (c, NULL) == ci);
        }
    }
  /* The figure absent from some points, and the NaN one, leave empty cells. */
  int rare = stratus_sweep_results_figure_index (r, "rare.figure");
  assert_true (rare >= 0);
  assert_string_equal (((char **) rows->pdata[1])[5 + 2 * rare], "");
  int nan_figure = stratus_sweep_results_figure_index (r, "nan.sometimes");
  assert_string_equal (((char **) rows->pdata[1])[5 + 2 * nan_figure], "");
  g_ptr_array_unref (rows);
  g_free (text);
  stratus_sweep_results_free (r);
  stratus_sweep_space_free (space);
}

static void
json_valid (void **state)
{
  StratusSweepSpace *space = NULL;
  StratusSweepResults *r = quoting_results (*state, &space);
  char *text = stratus_sweep_results_json (r);
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  if (!json_parser_load_from_data (parser, text, -1, &error))
    fail_msg ("sweep.json does not parse: %s", error->message);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  assert_string_equal (json_object_get_string_member (root, "schema"), STRATUS_SWEEP_SCHEMA);
  JsonObject *scenario = json_object_get_object_member (root, "scenario");
  assert_string_equal (json_object_get_string_member (scenario, "file"),
                       "scenarios/web-two-az.yaml");
  assert_string_equal (json_object_get_string_member (scenario, "name"), "web-two-az");
  JsonArray *sets = json_object_get_array_member (root, "overrides");
  assert_int_equal (json_array_get_length (sets), 2);
  assert_string_equal (json_array_get_string_element (sets, 1), "warmup=1m");
  assert_int_equal (json_object_get_int_member (root, "seed"), 1);
  assert_int_equal (json_object_get_int_member (root, "replications"), 3);
  assert_true (json_object_get_boolean_member (root, "common_random_numbers"));
  JsonArray *keys = json_object_get_array_member (root, "keys");
  assert_int_equal (json_array_get_length (keys), 3);
  assert_string_equal (json_array_get_string_element (keys, 1), "odd,key");
  JsonArray *points = json_object_get_array_member (root, "points");
  assert_int_equal (json_array_get_length (points), 4);
  size_t figures = stratus_sweep_results_figure_count (r);
  size_t nulls = 0;
  for (guint p = 0; p < 4; p++)
    {
      JsonObject *point = json_array_get_object_element (points, p);
      assert_int_equal (json_object_get_int_member (point, "point"), p + 1);
      JsonObject *values = json_object_get_object_member (point, "values");
      assert_int_equal (json_object_get_size (values), 3);
      for (size_t k = 0; k < 3; k++)
        assert_string_equal (json_object_get_string_member (values,
                                                            stratus_sweep_results_key (r, k)),
                             stratus_sweep_results_key_value (r, p, k));
      JsonObject *fig = json_object_get_object_member (point, "figures");
      assert_int_equal (json_object_get_size (fig), figures);
      for (size_t f = 0; f < figures; f++)
        {
          const char *path = stratus_sweep_results_figure_path (r, f);
          JsonNode *node = json_object_get_member (fig, path);
          assert_non_null (node);
          double mean, ci;
          unsigned n;
          bool present = stratus_sweep_results_value (r, p, f, &mean, &ci, &n);
          if (!present)
            {
              assert_true (JSON_NODE_HOLDS_NULL (node));
              nulls++;
              continue;
            }
          JsonObject *o = json_node_get_object (node);
          assert_int_equal (json_object_get_int_member (o, "replications"), n);
          JsonNode *m = json_object_get_member (o, "mean"), *c = json_object_get_member (o, "ci95");
          if (!isfinite (mean))
            assert_true (JSON_NODE_HOLDS_NULL (m));
          else
            assert_near (json_node_get_double (m), mean, 1e-15 * fabs (mean));
          if (!isfinite (ci))
            assert_true (JSON_NODE_HOLDS_NULL (c));
          else
            assert_near (json_node_get_double (c), ci, 1e-15 * fabs (ci));
        }
    }
  assert_true (nulls > 0); /* the rare figure is absent somewhere */
  g_object_unref (parser);
  g_free (text);
  stratus_sweep_results_free (r);
  stratus_sweep_space_free (space);
}

static void
charts (void **state)
{
  StratusSweepSpace *space = space_of ("instances.web.type=c5.large,m5.large",
                                       "workload.shoppers.rate=400/s..800/s:200/s", NULL);
  StratusSweepDefinition def = definition_of (space, 3, 1);
  StratusSweepResults *r = direct_results (&def);
  GError *error = NULL;
  /* The x axis: the first key whose values are numbers (units allowed), or --x. */
  StratusChart *c = stratus_sweep_chart (r, "p99", NULL, &error);
  assert_non_null (c);
  stratus_chart_free (c);
  c = stratus_sweep_chart (r, "latency_ms.p50", "workload.shoppers.rate", &error);
  assert_non_null (c);
  stratus_chart_free (c);
  assert_null (stratus_sweep_chart (r, "nosuch", NULL, &error));
  expect_error (&error, "--chart nosuch: no such figure", NULL);
  assert_null (stratus_sweep_chart (r, "p99", "instances.web.type", &error));
  expect_error (&error, "--x instances.web.type: not a varied key with numbers", NULL);
  assert_null (stratus_sweep_chart (r, "p99", "nosuch.key", &error));
  expect_error (&error, "--x nosuch.key", NULL);
  /* The same answers before any record, from the results or the space. */
  assert_true (stratus_sweep_results_chart_x_ok (r, NULL, &error));
  assert_true (stratus_sweep_results_chart_x_ok (r, "workload.shoppers.rate", &error));
  assert_false (stratus_sweep_results_chart_x_ok (r, "instances.web.type", &error));
  expect_error (&error, "--x instances.web.type: not a varied key with numbers", NULL);
  assert_true (stratus_sweep_space_chart_x_ok (space, NULL, &error));
  assert_true (stratus_sweep_space_chart_x_ok (space, "workload.shoppers.rate", &error));
  assert_false (stratus_sweep_space_chart_x_ok (space, "instances.web.type", &error));
  expect_error (&error, "--x instances.web.type: not a varied key with numbers", NULL);
  assert_false (stratus_sweep_space_chart_x_ok (space, "nosuch.key", &error));
  expect_error (&error, "--x nosuch.key", NULL);
  stratus_sweep_results_free (r);
  stratus_sweep_space_free (space);

  space = space_of ("instances.web.type=c5.large,m5.large", NULL);
  def = definition_of (space, 2, 1);
  r = direct_results (&def);
  assert_null (stratus_sweep_chart (r, "p99", NULL, &error));
  expect_error (&error, "needs a varied key whose values are numbers", NULL);
  assert_false (stratus_sweep_results_chart_x_ok (r, NULL, &error));
  expect_error (&error, "needs a varied key whose values are numbers", NULL);
  assert_false (stratus_sweep_space_chart_x_ok (space, NULL, &error));
  expect_error (&error, "needs a varied key whose values are numbers", NULL);
  stratus_sweep_results_free (r);
  /* A CSV dimension whose second key is the numbers: found. */
  char *csv = csv_file (*state, "x.csv", "label,rate\na,1/s\nb,2/s\n");
  assert_true (stratus_sweep_space_add_csv (space, csv, &error));
  assert_true (stratus_sweep_space_chart_x_ok (space, NULL, &error));
  assert_false (stratus_sweep_space_chart_x_ok (space, "label", &error));
  g_clear_error (&error);
  g_free (csv);
  stratus_sweep_space_free (space);

  char *name = stratus_sweep_chart_file_name ("p99", STRATUS_PLOT_PNG);
  assert_string_equal (name, "sweep-latency_ms.p99.png");
  g_free (name);
  name = stratus_sweep_chart_file_name ("monthly_cost", STRATUS_PLOT_SVG);
  assert_string_equal (name, "sweep-cost.monthly_usd.svg");
  g_free (name);
  name = stratus_sweep_chart_file_name ("weird,path \"q\"/../x", STRATUS_PLOT_PDF);
  assert_string_equal (name, "sweep-weird_path__q__.._x.pdf");
  g_free (name);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (vary_lists),
    cmocka_unit_test (vary_ranges),
    cmocka_unit_test (vary_errors),
    cmocka_unit_test_setup_teardown (csv_points, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (grid_order, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (results_statistics),
    cmocka_unit_test (results_out_of_order_refused),
    cmocka_unit_test_setup_teardown (partial_round_trip, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (partial_parse_errors),
    cmocka_unit_test (merge_equals_direct),
    cmocka_unit_test (merge_errors),
    cmocka_unit_test_setup_teardown (csv_quoting, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (json_valid, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (charts, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
