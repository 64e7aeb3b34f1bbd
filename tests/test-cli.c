/* The stratus command line, run as a separate process: usage, exit statuses, one-line
 * errors that leave no output behind, output files, JSON on stdout, and determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "tmpdir.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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
  assert_string_equal (names, "events.csv groups.csv report.json report.txt run.json timeseries.csv");
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
  assert_string_equal (json_node_get_string (schema), "stratus.report/3");
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
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
