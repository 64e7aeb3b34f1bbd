/* The stratus command line, run as a separate process: usage, exit statuses, one-line
 * errors that leave no output behind, output files, JSON on stdout, and determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tmpdir.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* A small scenario that runs in milliseconds. */
static const char tiny[] = "name: tiny\n"
                           "duration: 2m\n"
                           "warmup: 10s\n"
                           "azs: [us-east-1a, us-east-1b]\n"
                           "load_balancers:\n"
                           "  lb:\n"
                           "    algorithm: round_robin\n"
                           "    target_group: web\n"
                           "instances:\n"
                           "  web:\n"
                           "    count: 2\n"
                           "    service_time: {dist: lognormal, mean: 5ms, cv: 1.0}\n"
                           "    target_group: web\n"
                           "workload:\n"
                           "  users:\n"
                           "    entry: lb\n"
                           "    rate: 200/s\n"
                           "    timeout: 2s\n"
                           "report:\n"
                           "  interval: 30s\n";

/* ---- helpers ------------------------------------------------------------------------ */

typedef struct
{
  int status; /* exit status; -1 if the process did not exit normally */
  char *out, *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
  r->out = r->err = NULL;
}

/* argv for `stratus ARGS...` from a va_list ending in NULL; free with g_ptr_array_unref. */
static GPtrArray *
stratus_argv (const char *first, va_list args)
{
  const char *bin = g_getenv ("STRATUS_BIN");
  if (bin == NULL)
    fail_msg ("STRATUS_BIN is not set");
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) bin);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* A limit on the size of the files the child writes (set in the child before exec). */
static rlim_t child_file_limit = RLIM_INFINITY;

static void
limit_child_files (gpointer data)
{
  (void) data;
  if (child_file_limit == RLIM_INFINITY)
    return;
  struct rlimit limit = { child_file_limit, child_file_limit };
  setrlimit (RLIMIT_FSIZE, &limit);
  signal (SIGXFSZ, SIG_IGN); /* a write past the limit then fails with EFBIG */
}

/* Runs the argv with environment `envp` (NULL: ours) in `cwd` (NULL: ours). */
static Result
run_argv (const char *cwd, GPtrArray *argv, char **envp)
{
  Result r = { -1, NULL, NULL };
  int wait_status = 0;
  GError *error = NULL;
  gboolean spawned = g_spawn_sync (cwd, (char **) argv->pdata, envp, G_SPAWN_DEFAULT,
                                   limit_child_files, NULL, &r.out, &r.err, &wait_status, &error);
  if (!spawned)
    fail_msg ("cannot run stratus: %s", error->message);
  if (WIFEXITED (wait_status))
    r.status = WEXITSTATUS (wait_status);
  return r;
}

/* Runs `stratus ARGS...` (NULL-terminated) in `cwd` (NULL: the current directory). */
static Result
run_in (const char *cwd, const char *first, ...)
{
  va_list args;
  va_start (args, first);
  GPtrArray *argv = stratus_argv (first, args);
  va_end (args);
  Result r = run_argv (cwd, argv, NULL);
  g_ptr_array_unref (argv);
  return r;
}

/* Runs `stratus ARGS...` (NULL-terminated) with G_DEBUG=fatal-criticals: a GLib critical
 * aborts it. */
static Result
run_fatal_criticals_v (const char *first, ...)
{
  va_list args;
  va_start (args, first);
  GPtrArray *argv = stratus_argv (first, args);
  va_end (args);
  char **envp = g_environ_setenv (g_get_environ (), "G_DEBUG", "fatal-criticals", TRUE);
  Result r = run_argv (NULL, argv, envp);
  g_strfreev (envp);
  g_ptr_array_unref (argv);
  return r;
}

#define run_stratus(...) run_in (NULL, __VA_ARGS__, NULL)
#define run_fatal_criticals(...) run_fatal_criticals_v (__VA_ARGS__, NULL)

static void
write_file (const char *path, const char *contents)
{
  GError *error = NULL;
  if (!g_file_set_contents (path, contents, -1, &error))
    fail_msg ("cannot write %s: %s", path, error->message);
}

static char *
read_file (const char *path)
{
  char *text = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    fail_msg ("cannot read %s: %s", path, error->message);
  return text;
}


/* Writes `contents` to DIR/NAME; returns the path (caller frees). */
static char *
write_in (const char *dir, const char *name, const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  write_file (path, contents);
  return path;
}

static void
print_result (const Result *r)
{
  print_error ("exit status %d\n--- stdout:\n%s\n--- stderr:\n%s\n", r->status,
               r->out ? r->out : "", r->err ? r->err : "");
}

static void
expect_status (const Result *r, int status)
{
  if (r->status != status)
    {
      print_result (r);
      fail_msg ("expected exit status %d", status);
    }
}

/* stderr is exactly one line "file:line:column: message". */
static void
expect_one_error_line (const Result *r)
{
  GRegex *re = g_regex_new ("^[^:\\n]+:[0-9]+:[0-9]+: [^\\n]+\\n$", 0, 0, NULL);
  assert_non_null (re);
  gboolean ok = g_regex_match (re, r->err, 0, NULL);
  g_regex_unref (re);
  if (!ok)
    {
      print_result (r);
      fail_msg ("stderr is not one line 'file:line:column: message'");
    }
}

static JsonParser *
parse_json (const char *text)
{
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  if (!json_parser_load_from_data (parser, text, -1, &error))
    fail_msg ("invalid JSON: %s", error->message);
  assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return parser;
}

/* The node at a dotted path ("latency_ms.p99") below `root`, or NULL. */
static JsonNode *
json_at (JsonParser *parser, const char *path)
{
  JsonNode *node = json_parser_get_root (parser);
  char **parts = g_strsplit (path, ".", -1);
  for (int i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node)
          || !json_object_has_member (json_node_get_object (node), parts[i]))
        node = NULL;
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  g_strfreev (parts);
  return node;
}

static double
json_number (JsonParser *parser, const char *path)
{
  JsonNode *node = json_at (parser, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    fail_msg ("no number at %s", path);
  return json_node_get_value_type (node) == G_TYPE_DOUBLE ? json_node_get_double (node)
                                                          : (double) json_node_get_int (node);
}

static char *
read_in (const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  char *text = read_file (path);
  g_free (path);
  return text;
}

/* report.json of `dir`, checked to have no "run" section (that is in run.json). Caller
 * frees. */
static char *
report_json_in (const char *dir)
{
  char *text = read_in (dir, "report.json");
  JsonParser *parser = parse_json (text);
  assert_null (json_at (parser, "run"));
  g_object_unref (parser);
  return text;
}

/* For g_ptr_array_sort over strings. */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in `dir`, sorted and joined by spaces ("" if empty or missing). Caller frees. */
static char *
list_dir (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  if (d != NULL)
    g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", (char *) g_ptr_array_index (names, i));
  g_ptr_array_unref (names);
  return g_string_free (out, FALSE);
}

/* stderr is exactly one line starting with `prefix`. */
static void
expect_one_line (const Result *r, const char *prefix)
{
  const char *nl = strchr (r->err, '\n');
  if (!g_str_has_prefix (r->err, prefix) || nl == NULL || nl[1] != '\0')
    {
      print_result (r);
      fail_msg ("stderr is not one line starting with '%s'", prefix);
    }
}

/* ---- usage -------------------------------------------------------------------------- */

static void
test_help (void **state)
{
  (void) state;
  const char *forms[] = { "--help", "-h", "help" };
  for (size_t i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      Result r = run_stratus (forms[i]);
      expect_status (&r, 0);
      assert_non_null (strstr (r.out, "Usage: stratus COMMAND"));
      assert_non_null (strstr (r.out, "Examples:"));
      assert_non_null (strstr (r.out, "stratus run scenarios/web-two-az.yaml"));
      assert_non_null (strstr (r.out, "stratus validate"));
      result_clear (&r);
    }

  /* The exit statuses are documented in every help text. */
  Result r = run_stratus ("--help");
  assert_non_null (strstr (r.out, "Exit statuses:"));
  assert_non_null (strstr (r.out, "130  interrupted"));
  result_clear (&r);

  r = run_stratus ("run", "--help");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "--seed"));
  assert_non_null (strstr (r.out, "--out"));
  assert_non_null (strstr (r.out, "--dry-run"));
  assert_non_null (strstr (r.out, "--max-memory"));
  assert_non_null (strstr (r.out, "--max-events"));
  assert_non_null (strstr (r.out, "stratus run scenarios/web-two-az.yaml"));
  assert_non_null (strstr (r.out, "130 interrupted"));
  result_clear (&r);

  r = run_stratus ("validate", "--help");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "--max-memory"));
  assert_non_null (strstr (r.out, "Exit status: 0 valid; 2"));
  result_clear (&r);

  r = run_stratus ("--version");
  expect_status (&r, 0);
  assert_true (g_str_has_prefix (r.out, "stratus "));
  result_clear (&r);
}

static void
test_usage_errors (void **state)
{
  const char *dir = *state;
  char *good = write_in (dir, "good.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);

  Result r = run_in (NULL, NULL); /* no arguments: the help, but status 2 */
  expect_status (&r, 2);
  assert_non_null (strstr (r.out, "Usage"));
  result_clear (&r);

  r = run_stratus ("frobnicate", good);
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "unknown command 'frobnicate'"));
  result_clear (&r);

  r = run_stratus ("run", "--bogus", good, "--out", out);
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "--bogus"));
  result_clear (&r);

  r = run_stratus ("validate", "--bogus", good);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run");
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", good, good);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("validate");
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", good, "--reps", "0", "--out", out);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", good, "--format", "xml", "--out", out);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", good, "--seed", "-5", "--out", out);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", good, "--seed", "-1", "--out", out);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", good, "--seed", "abc", "--out", out);
  expect_status (&r, 2);
  result_clear (&r);

  /* --reps is a plain decimal number from 1 to 100000, like --seed. */
  const char *bad_reps[] = { "0x10", " 3", "+3", "-1", "3 ", "1e3", "", "100001", "010x" };
  for (size_t i = 0; i < G_N_ELEMENTS (bad_reps); i++)
    {
      r = run_stratus ("run", good, "--reps", bad_reps[i], "--out", out);
      expect_status (&r, 2);
      assert_non_null (strstr (r.err, "--reps must be a whole number from 1 to 100000"));
      assert_string_equal (r.out, "");
      result_clear (&r);
    }

  /* Malformed limits are usage errors for run and validate. */
  const char *bad_limits[][2] = { { "--max-memory", "lots" }, { "--max-events", "0x10" },
                                  { "--max-events", "0" },     { "--max-events", "-5" } };
  for (size_t i = 0; i < G_N_ELEMENTS (bad_limits); i++)
    for (int validate = 0; validate < 2; validate++)
      {
        r = validate ? run_stratus ("validate", good, bad_limits[i][0], bad_limits[i][1])
                     : run_stratus ("run", good, bad_limits[i][0], bad_limits[i][1], "--out", out);
        expect_status (&r, 2);
        assert_non_null (strstr (r.err, bad_limits[i][0]));
        assert_string_equal (r.out, "");
        result_clear (&r);
      }

  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (good);
}

static void
test_validate (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  Result r = run_in (root, "validate", "scenarios/web-two-az.yaml", NULL);
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "scenarios/web-two-az.yaml: ok"));
  assert_string_equal (r.err, "");
  result_clear (&r);

  char *good = write_in (dir, "good.yaml", tiny);
  r = run_stratus ("validate", good, "--set", "instances.web.count=8");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "8 instances"));
  result_clear (&r);
  g_free (good);
}

/* ---- bad input ---------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *from, *to; /* replace in `tiny`; from NULL: no file at all */
  const char *set;       /* an override, or NULL */
  const char *message;   /* part of the expected message */
} BadInput;

static const BadInput bad_inputs[] = {
  { "missing", NULL, NULL, NULL, "no such file" },
  { "syntax", "azs: [us-east-1a, us-east-1b]", "azs: [us-east-1a, us-east-1b", NULL,
    "YAML syntax error" },
  { "wrong-type", "count: 2", "count: abc", NULL, "expected a whole number" },
  { "unknown-key", "duration: 2m", "duraton: 2m", NULL, "did you mean 'duration'?" },
  { "nested-key", "    service_time:", "    servce_time:", NULL, "did you mean 'service_time'?" },
  { "negative-rate", "rate: 200/s", "rate: -5/s", NULL, "negative" },
  { "unknown-algorithm", "round_robin", "round_robbin", NULL, "did you mean 'round_robin'?" },
  { "unknown-target-group", "    target_group: web\ninstances", "    target_group: wbe\ninstances",
    NULL, "did you mean 'web'?" },
  { "unknown-entry", "entry: lb", "entry: lbb", NULL, "did you mean 'lb'?" },
  { "rate-without-unit", "rate: 200/s", "rate: 200", NULL, "needs a time unit" },
  { "empty", tiny, "# nothing\n", NULL, "the document is empty" },
  { "bad-override", "name: tiny", "name: tiny", "instances.web.cout=8", "did you mean 'count'?" },
  { "malformed-override", "name: tiny", "name: tiny", "instances.web.count", "path=value" },
  { "missing-trace", "rate: 200/s", "rate: {shape: replay, file: nope.csv}", NULL,
    "no such file" },
  /* A value with line breaks is still reported on one line. */
  { "multi-line-value", "count: 2", "count: |\n      abc\n      def", NULL, "abc\\ndef" },
  /* Two problems in one load balancer: one message, no GLib warning. */
  { "two-problems", "    algorithm: round_robin\n    target_group: web\n",
    "    processing_time: abc\n", NULL, "missing required key 'target_group'" },
  /* Hostile YAML. */
  { "billion-laughs", "name: tiny\n",
    "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
    NULL, "too many nodes" },
  { "deep", "name: tiny", "name: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                          "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    NULL, "nested too deeply" },
};

static char *
subst (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  assert_non_null (at);
  GString *s = g_string_new_len (text, at - text);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  return g_string_free (s, FALSE);
}

static void
test_bad_input (void **state)
{
  const char *dir = *state;
  char *out = g_build_filename (dir, "out", NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *b = &bad_inputs[i];
      char *name = g_strconcat (b->name, ".yaml", NULL);
      char *path = g_build_filename (dir, name, NULL);
      if (b->from != NULL)
        {
          char *text = subst (tiny, b->from, b->to);
          write_file (path, text);
          g_free (text);
        }
      print_message ("bad input: %s\n", b->name);
      for (int validate = 0; validate < 2; validate++)
        {
          Result r = validate ? b->set ? run_stratus ("validate", path, "--set", b->set)
                                       : run_stratus ("validate", path)
                     : b->set ? run_stratus ("run", path, "--out", out, "--set", b->set)
                              : run_stratus ("run", path, "--out", out);
          expect_status (&r, 2);
          expect_one_error_line (&r);
          if (strstr (r.err, b->message) == NULL)
            {
              print_result (&r);
              fail_msg ("stderr does not mention \"%s\"", b->message);
            }
          /* The message names the scenario file (or --set for an override). */
          const char *file = b->set != NULL ? "--set:" : path;
          if (strcmp (b->name, "missing-trace") != 0 && !g_str_has_prefix (r.err, file))
            {
              print_result (&r);
              fail_msg ("stderr does not start with %s", file);
            }
          assert_string_equal (r.out, "");
          assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
          result_clear (&r);
        }
      g_free (path);
      g_free (name);
    }
  g_free (out);
}

/* ---- runs --------------------------------------------------------------------------- */

static void
test_out_files (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "results", "nested", NULL); /* created as needed */
  Result r = run_stratus ("run", scenario, "--out", out, "-q");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "stratus report: tiny"));
  assert_string_equal (r.err, "");
  result_clear (&r);

  /* Exactly the four files: nothing half-written left beside them. */
  char *names = list_dir (out);
  assert_string_equal (names, "report.json report.txt run.json timeseries.csv");
  g_free (names);
  /* Nothing left beside the folder either (no temporary folder). */
  char *results = g_build_filename (dir, "results", NULL);
  names = list_dir (results);
  assert_string_equal (names, "nested");
  g_free (names);
  g_free (results);

  char *json = read_in (out, "report.json");
  JsonParser *parser = parse_json (json);
  JsonNode *schema = json_at (parser, "schema");
  assert_non_null (schema);
  assert_string_equal (json_node_get_string (schema), "stratus.report/2");
  assert_true (json_number (parser, "requests.total") > 0);
  assert_null (json_at (parser, "run")); /* moved to run.json */
  g_object_unref (parser);
  g_free (json);

  /* run.json: the run statistics, which differ from run to run. */
  json = read_in (out, "run.json");
  parser = parse_json (json);
  assert_string_equal (json_node_get_string (json_at (parser, "schema")), "stratus.run/1");
  assert_true (json_number (parser, "run.events") > 1000);
  assert_true (json_number (parser, "run.wall_seconds") > 0);
  assert_true (json_number (parser, "run.max_rss_kib") > 0);
  assert_int_equal ((int) json_number (parser, "scenario.replications"), 1);
  g_object_unref (parser);
  g_free (json);

  char *text = read_in (out, "report.txt");
  assert_true (g_str_has_prefix (text, "stratus report: tiny"));
  g_free (text);

  char *csv = read_in (out, "timeseries.csv");
  assert_true (g_str_has_prefix (csv, "replication,start_s"));
  /* Header plus one row per 30 s interval of the 2 minutes. */
  char **lines = g_strsplit (csv, "\n", -1);
  int rows = 0;
  for (int i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        rows++;
        assert_true (g_str_has_prefix (lines[i], "0,"));
      }
  assert_true (rows >= 4 && rows <= 5);
  g_strfreev (lines);
  g_free (csv);
  g_free (out);
  g_free (scenario);
}

static void
test_format_json (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  Result r = run_stratus ("run", scenario, "--format", "json");
  expect_status (&r, 0);
  JsonParser *parser = parse_json (r.out);
  double total = json_number (parser, "requests.total");
  double ok = json_number (parser, "requests.ok");
  double failed = json_number (parser, "requests.failed");
  assert_true (total > 0.9 * 200 * 110 && total < 1.1 * 200 * 110); /* 200/s after warm-up */
  assert_float_equal (ok + failed, total, 1e-9);
  double mean = json_number (parser, "latency_ms.mean");
  double p50 = json_number (parser, "latency_ms.p50");
  double p99 = json_number (parser, "latency_ms.p99");
  double p999 = json_number (parser, "latency_ms.p999");
  double max = json_number (parser, "latency_ms.max");
  assert_true (mean > 5 && mean < max); /* at least the 5 ms of service */
  assert_true (p50 > 0 && p50 <= p99 && p99 <= p999 && p999 <= max);
  assert_null (json_at (parser, "ci95"));
  assert_int_equal ((int) json_number (parser, "scenario.seed"), 1);
  g_object_unref (parser);
  result_clear (&r);

  r = run_stratus ("run", scenario, "--format", "json", "--reps", "3", "--seed", "5");
  expect_status (&r, 0);
  parser = parse_json (r.out);
  assert_non_null (json_at (parser, "ci95"));
  double half_width = json_number (parser, "ci95.latency_ms.p99.half_width");
  assert_true (half_width >= 0);
  assert_true (json_number (parser, "ci95.latency_ms.p99.low")
               <= json_number (parser, "ci95.latency_ms.p99.high"));
  assert_int_equal ((int) json_number (parser, "scenario.replications"), 3);
  assert_int_equal ((int) json_number (parser, "scenario.seed"), 5);
  g_object_unref (parser);
  result_clear (&r);
  g_free (scenario);
}

static void
test_determinism (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *a = g_build_filename (dir, "a", NULL);
  char *b = g_build_filename (dir, "b", NULL);
  char *c = g_build_filename (dir, "c", NULL);
  Result r = run_stratus ("run", scenario, "--seed", "7", "--out", a);
  expect_status (&r, 0);
  char *stdout_a = g_steal_pointer (&r.out);
  result_clear (&r);
  r = run_stratus ("run", scenario, "--out", b, "--seed", "7");
  expect_status (&r, 0);
  assert_string_equal (r.out, stdout_a); /* the text report too */
  result_clear (&r);
  g_free (stdout_a);
  r = run_stratus ("run", scenario, "--seed", "8", "--out", c);
  expect_status (&r, 0);
  result_clear (&r);

  char *json_a = report_json_in (a), *json_b = report_json_in (b);
  char *json_c = report_json_in (c);
  assert_string_equal (json_a, json_b); /* byte for byte: no run statistics inside */
  assert_string_not_equal (json_a, json_c);

  const char *files[] = { "report.json", "timeseries.csv", "report.txt" };
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      char *fa = read_in (a, files[i]), *fb = read_in (b, files[i]), *fc = read_in (c, files[i]);
      assert_string_equal (fa, fb);
      assert_string_not_equal (fa, fc);
      g_free (fa);
      g_free (fb);
      g_free (fc);
    }

  /* --format json on stdout is byte-identical too, and is report.json. */
  r = run_stratus ("run", scenario, "--seed", "7", "--format", "json");
  expect_status (&r, 0);
  Result again = run_stratus ("run", scenario, "--format", "json", "--seed", "7", "-q");
  expect_status (&again, 0);
  assert_string_equal (r.out, again.out);
  assert_string_equal (r.out, json_a);
  result_clear (&again);
  result_clear (&r);

  /* The numbers themselves differ with another seed. */
  char *raw_a = read_in (a, "report.json"), *raw_c = read_in (c, "report.json");
  JsonParser *pa = parse_json (raw_a), *pc = parse_json (raw_c);
  assert_int_equal ((int) json_number (pa, "scenario.seed"), 7);
  assert_int_equal ((int) json_number (pc, "scenario.seed"), 8);
  assert_true (json_number (pa, "latency_ms.mean") != json_number (pc, "latency_ms.mean"));
  g_object_unref (pa);
  g_object_unref (pc);
  g_free (raw_a);
  g_free (raw_c);

  /* The scenario's own seed is the default: --seed 1 gives the same as none. */
  char *d = g_build_filename (dir, "d", NULL);
  char *e = g_build_filename (dir, "e", NULL);
  r = run_stratus ("run", scenario, "--out", d);
  expect_status (&r, 0);
  result_clear (&r);
  r = run_stratus ("run", scenario, "--out", e, "--seed", "1");
  expect_status (&r, 0);
  result_clear (&r);
  char *json_d = report_json_in (d), *json_e = report_json_in (e);
  assert_string_equal (json_d, json_e);
  g_free (json_d);
  g_free (json_e);
  g_free (d);
  g_free (e);

  g_free (json_a);
  g_free (json_b);
  g_free (json_c);
  g_free (a);
  g_free (b);
  g_free (c);
  g_free (scenario);
}

static void
test_overrides (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  Result r = run_stratus ("run", scenario, "--format", "json", "--set", "workload.users.rate=50/s",
                          "--set", "instances.web.count=3");
  expect_status (&r, 0);
  JsonParser *parser = parse_json (r.out);
  double total = json_number (parser, "requests.total");
  assert_true (total > 0.8 * 50 * 110 && total < 1.2 * 50 * 110);
  assert_non_null (json_at (parser, "instances.web-3"));
  assert_null (json_at (parser, "instances.web-4"));
  g_object_unref (parser);
  result_clear (&r);
  g_free (scenario);
}

/* The network checks from the command line: a blocked path fails validate and run with
 * one line and status 2, --explain shows the hops, --allow-blocked runs anyway. */
static void
test_network_paths (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *scenario = g_strdup_printf ("%s/scenarios/vpc-public-private.yaml", root ? root : ".");
  char *out = g_build_filename (dir, "out", NULL);

  Result r = run_stratus ("validate", "--explain", scenario);
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "web-alb@us-east-1a -> web-1 (tcp/80): open"));
  assert_non_null (strstr (r.out, "security group web-sg inbound rule 1 allows tcp/80 from alb-sg"));
  assert_non_null (strstr (r.out, "NAT gateway nat-a"));
  result_clear (&r);

  const char *no_nat = "vpc.route_tables.private-a.routes=[]";
  r = run_stratus ("validate", scenario, "--set", no_nat);
  expect_status (&r, 2);
  GRegex *one_line = g_regex_new ("^[^:\n]+:[0-9]+:[0-9]+: [^\n]*\n$", 0, 0, NULL);
  assert_true (g_regex_match (one_line, r.err, 0, NULL));
  assert_non_null (strstr (r.err, "no route in table private-a for 203.0.113.10"));
  result_clear (&r);

  r = run_stratus ("run", scenario, "--set", no_nat, "--out", out);
  expect_status (&r, 2);
  assert_true (g_regex_match (one_line, r.err, 0, NULL));
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  result_clear (&r);

  r = run_stratus ("run", scenario, "--set", no_nat, "--set", "duration=2m", "--set", "warmup=0s",
                   "--allow-blocked", "--format", "json", "--quiet");
  expect_status (&r, 0);
  assert_non_null (strstr (r.err, "--allow-blocked"));
  JsonParser *parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  JsonObject *root_obj = json_node_get_object (json_parser_get_root (parser));
  JsonObject *network = json_object_get_object_member (root_obj, "network");
  assert_non_null (network);
  JsonObject *drops = json_object_get_object_member (network, "drops");
  assert_true (json_object_get_int_member (drops, "no_route") > 0);
  assert_int_equal (json_object_get_int_member (drops, "security_group"), 0);
  JsonObject *bytes = json_object_get_object_member (network, "bytes");
  assert_true (json_object_get_int_member (bytes, "nat") > 0); /* private-b still calls out */
  g_object_unref (parser);
  result_clear (&r);

  g_regex_unref (one_line);
  g_free (out);
  g_free (scenario);
}

/* `stratus diagram` and `run --charts`: the files appear where asked, in the format
 * asked; misuse is a usage error (status 2) that writes nothing. */
static void
test_diagram_and_charts (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *scenario = g_strdup_printf ("%s/scenarios/vpc-public-private.yaml", root ? root : ".");
  char *svg = g_build_filename (dir, "arch.svg", NULL);
  char *jpg = g_build_filename (dir, "arch.jpg", NULL);
  char *out = g_build_filename (dir, "out", NULL);

  Result r = run_stratus ("diagram", scenario, "-o", svg);
  expect_status (&r, 0);
  char *text = read_file (svg);
  assert_non_null (strstr (text, "<svg"));
  g_free (text);
  result_clear (&r);

  r = run_stratus ("diagram", scenario, "-o", jpg);
  expect_status (&r, 2);
  assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));
  result_clear (&r);
  r = run_stratus ("diagram", scenario);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("run", scenario, "--set", "duration=3m", "--charts", "png");
  expect_status (&r, 2); /* --charts needs --out */
  assert_non_null (strstr (r.err, "--out"));
  result_clear (&r);
  r = run_stratus ("run", scenario, "--set", "duration=3m", "--out", out, "--charts", "gif");
  expect_status (&r, 2);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  result_clear (&r);

  r = run_stratus ("run", scenario, "--set", "duration=3m", "--set", "warmup=0s", "--quiet",
                   "--out", out, "--charts", "png");
  expect_status (&r, 0);
  const char *charts[] = { "latency.png", "throughput.png", "utilisation.png", "network.png" };
  for (size_t i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      char *path = g_build_filename (out, charts[i], NULL);
      char *png = NULL;
      gsize length = 0;
      assert_true (g_file_get_contents (path, &png, &length, NULL));
      assert_true (length > 1000);
      assert_memory_equal (png, "\x89PNG\r\n\x1a\n", 8);
      g_free (png);
      g_free (path);
    }
  result_clear (&r);
  g_free (out);
  g_free (jpg);
  g_free (svg);
  g_free (scenario);
}

/* ---- outputs as one unit ------------------------------------------------------------ */

/* --out is checked before the simulation: a file in the way is exit 1 with one line and
 * nothing on stdout; a folder holding a file stratus did not write is refused (exit 2,
 * naming the file) and stays as it was. */
static void
test_out_checked_first (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *file = write_in (dir, "a-file", "not a folder\n");
  char *below = g_build_filename (file, "out", NULL);

  Result r = run_stratus ("run", scenario, "--out", file);
  expect_status (&r, 1);
  expect_one_line (&r, "stratus run: --out ");
  assert_non_null (strstr (r.err, "not a folder"));
  assert_string_equal (r.out, "");
  result_clear (&r);

  r = run_stratus ("run", scenario, "--out", below);
  expect_status (&r, 1);
  expect_one_line (&r, "stratus run: --out ");
  assert_string_equal (r.out, "");
  result_clear (&r);

  char *theirs = g_build_filename (dir, "theirs", NULL);
  g_mkdir (theirs, 0755);
  char *notes = write_in (theirs, "notes.txt", "mine\n");
  char *old = write_in (theirs, "report.json", "{}\n");
  r = run_stratus ("run", scenario, "--out", theirs, "--format", "json");
  expect_status (&r, 2);
  expect_one_line (&r, "stratus run: --out ");
  assert_non_null (strstr (r.err, "'notes.txt'"));
  assert_string_equal (r.out, "");
  result_clear (&r);
  char *names = list_dir (theirs);
  assert_string_equal (names, "notes.txt report.json");
  g_free (names);
  char *text = read_file (old);
  assert_string_equal (text, "{}\n");
  g_free (text);
  names = list_dir (dir); /* no temporary folder left */
  assert_string_equal (names, "a-file theirs tiny.yaml");
  g_free (names);

  g_free (old);
  g_free (notes);
  g_free (theirs);
  g_free (below);
  g_free (file);
  g_free (scenario);
}

/* A second run into the same --out replaces the whole set (old files of the first run do
 * not survive beside the new ones), and stale temporary folders of dead processes are
 * removed while a live process's one is left alone. */
static void
test_out_replaced_as_unit (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);
  char *fresh = g_build_filename (dir, "fresh", NULL);

  Result r = run_stratus ("run", scenario, "--out", out, "--seed", "7", "-q", "--charts", "svg");
  expect_status (&r, 0);
  result_clear (&r);
  char *names = list_dir (out);
  assert_non_null (strstr (names, "latency.svg"));
  g_free (names);

  char *dead = g_build_filename (dir, ".out.stratus-2147483646.tmp", NULL);
  g_mkdir (dead, 0755);
  g_free (write_in (dead, "report.json", "half\n"));
  char *live_name = g_strdup_printf (".out.stratus-%ld.tmp", (long) getpid ());
  char *live = g_build_filename (dir, live_name, NULL);
  g_mkdir (live, 0755);

  r = run_stratus ("run", scenario, "--out", out, "--seed", "8", "-q");
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  result_clear (&r);
  r = run_stratus ("run", scenario, "--out", fresh, "--seed", "8", "-q");
  expect_status (&r, 0);
  result_clear (&r);

  names = list_dir (out); /* the charts of the first run are gone with its set */
  assert_string_equal (names, "report.json report.txt run.json timeseries.csv");
  g_free (names);
  const char *files[] = { "report.json", "report.txt", "timeseries.csv" };
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      char *a = read_in (out, files[i]), *b = read_in (fresh, files[i]);
      assert_string_equal (a, b);
      g_free (a);
      g_free (b);
    }
  assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));
  g_rmdir (live);
  names = list_dir (dir);
  assert_string_equal (names, "fresh out tiny.yaml");
  g_free (names);

  g_free (live);
  g_free (live_name);
  g_free (dead);
  g_free (fresh);
  g_free (out);
  g_free (scenario);
}

/* A write that fails (files limited to 1 KiB, as on a full disk) is exit 1 with one line;
 * the previous set stays whole and no temporary folder is left. */
static void
test_write_failure_keeps_previous (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("run", scenario, "--out", out, "--seed", "7", "-q");
  expect_status (&r, 0);
  result_clear (&r);
  char *before = read_in (out, "report.json");

  child_file_limit = 1024;
  r = run_stratus ("run", scenario, "--out", out, "--seed", "8", "-q");
  child_file_limit = RLIM_INFINITY;
  expect_status (&r, 1);
  expect_one_line (&r, "stratus run: cannot write ");
  assert_non_null (strstr (r.err, "nothing written"));
  assert_string_equal (r.out, "");
  result_clear (&r);

  char *after = read_in (out, "report.json");
  assert_string_equal (before, after);
  char *names = list_dir (out);
  assert_string_equal (names, "report.json report.txt run.json timeseries.csv");
  g_free (names);
  names = list_dir (dir);
  assert_string_equal (names, "out tiny.yaml");
  g_free (names);
  g_free (after);
  g_free (before);
  g_free (out);
  g_free (scenario);
}

/* Starts a 30-day run with --out DIR/out, waits until its temporary folder exists (the
 * run has started), sends `signo`, and checks: exit 130, one line saying where it stopped
 * and that nothing was written, no file left. */
static void
interrupt_run (const char *dir, const char *scenario, int signo)
{
  char *out = g_build_filename (dir, "out", NULL);
  const char *bin = g_getenv ("STRATUS_BIN");
  const char *argv[] = { bin, "run", scenario, "--out", out, "--set", "duration=30d",
                         "--set", "report.interval=1h", NULL };
  GPid pid;
  int err_fd = -1;
  GError *error = NULL;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &pid, NULL, NULL, &err_fd, &error))
    fail_msg ("cannot run stratus: %s", error->message);
  char *tmp_name = g_strdup_printf (".out.stratus-%ld.tmp", (long) pid);
  char *tmp = g_build_filename (dir, tmp_name, NULL);
  for (int i = 0; i < 600 && !g_file_test (tmp, G_FILE_TEST_IS_DIR); i++)
    g_usleep (50000);
  assert_true (g_file_test (tmp, G_FILE_TEST_IS_DIR));
  g_usleep (300000); /* well into the simulation */
  kill (pid, signo);
  int wait_status = 0;
  assert_int_equal (waitpid (pid, &wait_status, 0), pid);
  GString *err = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (err, buf, n);
  close (err_fd);
  g_spawn_close_pid (pid);

  Result r = { WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1, g_strdup (""),
               g_string_free (err, FALSE) };
  expect_status (&r, 130);
  expect_one_line (&r, "stratus: interrupted during replication 1/1 at simulated ");
  assert_non_null (strstr (r.err, " of 30d; nothing written\n"));
  result_clear (&r);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_free (tmp);
  g_free (tmp_name);
  g_free (out);
}

static void
test_interrupt (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  interrupt_run (dir, scenario, SIGINT);
  interrupt_run (dir, scenario, SIGTERM);
  char *names = list_dir (dir);
  assert_string_equal (names, "tiny.yaml");
  g_free (names);
  g_free (scenario);
}

/* ---- limits, degenerate layouts ------------------------------------------------------ */

/* --dry-run prints the estimate and runs nothing; a limit below the estimate refuses run
 * and validate with one 'file:line:column' line and writes nothing. */
static void
test_budget_options (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);

  Result r = run_stratus ("run", scenario, "--dry-run", "--reps", "3", "--out", out);
  expect_status (&r, 0);
  assert_true (strlen (r.out) > 0);
  assert_null (strstr (r.out, "stratus report"));
  assert_string_equal (r.err, "");
  result_clear (&r);

  r = run_stratus ("run", scenario, "--max-events", "1000", "--out", out);
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_non_null (strstr (r.err, "--max-events"));
  assert_string_equal (r.out, "");
  result_clear (&r);

  r = run_stratus ("run", scenario, "--max-events", "1000", "--dry-run");
  expect_status (&r, 2);
  expect_one_error_line (&r);
  result_clear (&r);

  r = run_stratus ("validate", scenario, "--max-events", "1000");
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_string_equal (r.out, "");
  result_clear (&r);

  r = run_stratus ("validate", scenario, "--max-events", "1000000000", "--max-memory", "4GiB");
  expect_status (&r, 0);
  result_clear (&r);

  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (scenario);
}

/* A fleet of `count: 0` (tests/findings/B8-no-instances.yaml): every request is a 503, the
 * report has no instances, and no GLib critical (fatal here) is raised on the way. */
static void
test_no_instances (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  char *scenario = g_build_filename (root, "tests", "findings", "B8-no-instances.yaml", NULL);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_fatal_criticals ("run", scenario, "--format", "json", "--out", out, "-q");
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  JsonParser *parser = parse_json (r.out);
  double total = json_number (parser, "requests.total");
  assert_true (total > 50);
  assert_float_equal (json_number (parser, "requests.by_status.503"), total, 0);
  JsonNode *instances = json_at (parser, "instances"); /* present and empty */
  assert_non_null (instances);
  assert_true (JSON_NODE_HOLDS_OBJECT (instances));
  assert_int_equal (json_object_get_size (json_node_get_object (instances)), 0);
  g_object_unref (parser);
  result_clear (&r);

  r = run_fatal_criticals ("run", scenario, "-q", "--reps", "2");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "503 (refused, no target)"));
  assert_string_equal (r.err, "");
  result_clear (&r);
  g_free (out);
  g_free (scenario);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_help),
    cmocka_unit_test_setup_teardown (test_usage_errors, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_validate, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_bad_input, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_out_files, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_format_json, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_determinism, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_overrides, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_network_paths, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_diagram_and_charts, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_out_checked_first, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_out_replaced_as_unit, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_write_failure_keeps_previous, tmpdir_setup,
                                     tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_interrupt, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_budget_options, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_no_instances, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
