/* `stratus compare` and what it is built on: the bar chart (stratus/chart_bars.h: files in
 * every format, identical bytes, pixels where the data says, edge cases), the comparison's
 * statistics (means, paired and unpaired intervals, the success ratio without faults), and
 * the command itself through the real binary (the table, compare.json, compare.csv, the
 * chart, byte-identical reruns, usage and scenario errors with nothing written, common
 * random numbers: a scenario against itself differs by exactly 0, and the paired interval
 * of two similar scenarios is narrower than the unpaired one; the shipped layouts). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "synthetic_result.h"
#include "tmpdir.h"

#include <glib/gstdio.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stratus/chart.h"
#include "stratus/chart_bars.h"
#include "stratus/compare.h"
#include "stratus/report.h"

#define W 1200
#define H 600

/* cmocka's assert_float_equal works in single precision. */
#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

/* ---- the bar chart ------------------------------------------------------------------------ */

/* Three bars of ten segments (two of them hatched), error bars and notes. Caller frees. */
static StratusBarChart *
sample_chart (void)
{
  StratusBarChart *c = stratus_bar_chart_new ("Monthly cost by category");
  stratus_bar_chart_set_subtitle (c, "three layouts");
  stratus_bar_chart_set_y_axis (c, "USD per month", "$", NULL, 2);
  for (unsigned k = 0; k < 10; k++)
    {
      char *name = g_strdup_printf ("category-%u", k);
      stratus_bar_chart_add_segment (c, name, k);
      g_free (name);
    }
  const char *labels[] = { "public-ip", "nat-single", "nat-per-az" };
  for (unsigned b = 0; b < 3; b++)
    {
      stratus_bar_chart_add_bar (c, labels[b]);
      for (unsigned k = 0; k < 10; k++)
        stratus_bar_chart_set_value (c, b, k, 10.0 * (k + 1) + 25.0 * b);
      stratus_bar_chart_set_error (c, b, 12.5);
      stratus_bar_chart_add_note (c, b, "p99 123.45 \xc2\xb1 1.20 ms");
      stratus_bar_chart_add_note (c, b, "availability 99.990%");
    }
  return c;
}

/* Segments and bars are counted, totals add the segments, and a negative or non-finite
 * value counts as 0. */
static void
bar_chart_api (void **state)
{
  (void) state;
  StratusBarChart *c = sample_chart ();
  assert_int_equal (stratus_bar_chart_bar_count (c), 3);
  assert_int_equal (stratus_bar_chart_segment_count (c), 10);
  assert_near (stratus_bar_chart_total (c, 0), 550, 1e-9);
  assert_near (stratus_bar_chart_total (c, 2), 550 + 500, 1e-9);
  stratus_bar_chart_set_value (c, 0, 0, -5);
  stratus_bar_chart_set_value (c, 0, 1, NAN);
  stratus_bar_chart_set_value (c, 0, 2, INFINITY);
  assert_near (stratus_bar_chart_total (c, 0), 550 - 10 - 20 - 30, 1e-9);
  unsigned empty = stratus_bar_chart_add_bar (c, "empty");
  assert_near (stratus_bar_chart_total (c, empty), 0, 0);
  stratus_bar_chart_free (c);
  stratus_bar_chart_free (NULL);
}

/* The bytes of the file at `path` (which must exist); *len gets its size. Caller frees. */
static char *
file_bytes (const char *path, gsize *len)
{
  char *data = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &data, len, &error))
    fail_msg ("%s", error->message);
  return data;
}

/* The chart in every format: a non-empty file with the format's signature, the same bytes
 * when drawn again; a bad size is an error and writes nothing. */
static void
bar_chart_files (void **state)
{
  const char *dir = *state;
  StratusBarChart *c = sample_chart ();
  const char *ext[] = { "png", "svg", "pdf" };
  for (int f = STRATUS_PLOT_PNG; f <= STRATUS_PLOT_PDF; f++)
    {
      char *name = g_strdup_printf ("bars.%s", ext[f]);
      char *path = g_build_filename (dir, name, NULL);
      GError *error = NULL;
      assert_true (stratus_bar_chart_write (c, path, (StratusPlotFormat) f, W, H, &error));
      gsize len1, len2;
      char *first = file_bytes (path, &len1);
      assert_true (len1 > 1000);
      if (f == STRATUS_PLOT_PNG)
        assert_memory_equal (first, "\x89PNG\r\n\x1a\n", 8);
      else if (f == STRATUS_PLOT_SVG)
        {
          assert_non_null (strstr (first, "<svg"));
          assert_non_null (strstr (first, "width=\"1200pt\""));
          assert_non_null (strstr (first, "</svg>"));
        }
      else
        assert_memory_equal (first, "%PDF-", 5);
      assert_true (stratus_bar_chart_write (c, path, (StratusPlotFormat) f, W, H, &error));
      char *second = file_bytes (path, &len2);
      assert_int_equal (len1, len2);
      assert_memory_equal (first, second, len1);
      g_free (first);
      g_free (second);
      g_free (path);
      g_free (name);
    }
  char *bad = g_build_filename (dir, "bad.png", NULL);
  GError *error = NULL;
  assert_false (stratus_bar_chart_write (c, bad, STRATUS_PLOT_PNG, 0, H, &error));
  assert_non_null (error);
  g_clear_error (&error);
  assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  char *missing = g_build_filename (dir, "no-such-folder", "bars.png", NULL);
  assert_false (stratus_bar_chart_write (c, missing, STRATUS_PLOT_PNG, W, H, &error));
  assert_true (error != NULL && error->domain == G_FILE_ERROR);
  g_clear_error (&error);
  g_free (missing);
  g_free (bad);
  stratus_bar_chart_free (c);
}

/* Counts the pixels of column `x` of `surface` within `tol` of colour `rgb` (0..1). */
static int
column_pixels (cairo_surface_t *surface, int x, const double rgb[3], int tol)
{
  cairo_surface_flush (surface);
  const unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface), count = 0;
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      uint32_t px = *(const uint32_t *) (data + y * stride + x * 4);
      int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
      if (abs (r - (int) lround (rgb[0] * 255)) <= tol && abs (g - (int) lround (rgb[1] * 255)) <= tol
          && abs (b - (int) lround (rgb[2] * 255)) <= tol)
        count++;
    }
  return count;
}

/* One bar of one blue segment: the middle of the canvas is in it, and its height follows
 * the value (the taller bar has more blue); the right margin has none. */
static void
bar_chart_pixels (void **state)
{
  (void) state;
  double blue[3];
  stratus_chart_colour_rgb (STRATUS_COLOUR_BLUE, blue);
  int heights[2];
  for (int k = 0; k < 2; k++)
    {
      StratusBarChart *c = stratus_bar_chart_new ("one bar");
      stratus_bar_chart_set_y_axis (c, "USD", "$", NULL, 0);
      stratus_bar_chart_add_segment (c, "compute", STRATUS_COLOUR_BLUE);
      stratus_bar_chart_add_segment (c, "unused", STRATUS_COLOUR_ORANGE);
      stratus_bar_chart_add_bar (c, "a");
      stratus_bar_chart_set_value (c, 0, 0, 100);
      /* A second, taller bar fixes the axis at the same range for both k. */
      stratus_bar_chart_add_bar (c, "b");
      stratus_bar_chart_set_value (c, 1, 1, 200);
      if (k == 1)
        stratus_bar_chart_set_value (c, 0, 0, 150);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
      cairo_t *cr = cairo_create (surface);
      stratus_bar_chart_render (c, cr, W, H);
      cairo_destroy (cr);
      /* The first bar is centred at a quarter of the plot's width, near W / 4. */
      heights[k] = column_pixels (surface, W / 4 + 20, blue, 2);
      assert_int_equal (column_pixels (surface, W - 3, blue, 2), 0);
      cairo_surface_destroy (surface);
      stratus_bar_chart_free (c);
    }
  assert_true (heights[0] > 50);
  assert_near (heights[1] / (double) heights[0], 1.5, 0.05);
}

/* Empty charts, bars without segments, all zeros and long labels draw without trouble. */
static void
bar_chart_edge_cases (void **state)
{
  const char *dir = *state;
  char *path = g_build_filename (dir, "edge.svg", NULL);
  for (int k = 0; k < 4; k++)
    {
      StratusBarChart *c = stratus_bar_chart_new (k == 0 ? NULL : "edge");
      if (k >= 1)
        stratus_bar_chart_add_bar (c, "a label far too long to fit under its own bar at all, "
                                      "which is ellipsized rather than overlapping");
      if (k >= 2)
        {
          stratus_bar_chart_add_segment (c, "zero", 0);
          stratus_bar_chart_set_value (c, 0, 0, 0);
          stratus_bar_chart_add_note (c, 0, "-");
        }
      if (k == 3)
        {
          stratus_bar_chart_set_value (c, 0, 0, 1e-7);
          stratus_bar_chart_set_error (c, 0, 5e-8);
          stratus_bar_chart_hide_total (c, 0);
        }
      GError *error = NULL;
      assert_true (stratus_bar_chart_write (c, path, STRATUS_PLOT_SVG, 300, 200, &error));
      stratus_bar_chart_free (c);
    }
  g_free (path);
}

/* ---- the comparison's statistics ---------------------------------------------------------- */

/* A report of one replication of `s` whose requests are `total`, of which `failed` were
 * refused (503.queue_full) and the rest ok. Caller frees. */
static StratusReport *
report_with (const StratusScenario *s, unsigned replication, uint64_t total, uint64_t failed)
{
  StratusRunResult *r = synthetic_result (replication, SYNTHETIC_EVENTS_NONE, 1);
  memset (r->outcomes, 0, sizeof r->outcomes);
  r->total = total;
  r->outcomes[STRATUS_OUTCOME_OK] = total - failed;
  r->outcomes[STRATUS_OUTCOME_503_QUEUE_FULL] = failed;
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  return report;
}

/* Means, the paired interval t(0.975, n-1) sd / sqrt n of the differences, the unpaired
 * sqrt (a^2 + b^2), and the success ratio from ok / total when the report has none. */
static void
comparison_statistics (void **state)
{
  (void) state;
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (synthetic_yaml, "synthetic.yaml", NULL,
                                                     &error);
  assert_non_null (s);
  StratusCompareScenario described[] = { { "a", "a.yaml", "alpha" }, { "b", "b.yaml", "beta" } };
  StratusComparison *c = stratus_comparison_new (described, 2, 7, 3, true);
  const uint64_t fa[] = { 10, 20, 30 }, fb[] = { 12, 25, 31 };
  for (unsigned k = 0; k < 3; k++)
    for (unsigned i = 0; i < 2; i++)
      {
        StratusReport *report = report_with (s, k, 1000, i == 0 ? fa[k] : fb[k]);
        stratus_comparison_add (c, i, report);
        stratus_report_free (report);
      }
  int failed = stratus_comparison_figure_index ("requests.failed");
  int success = stratus_comparison_figure_index ("availability.success_ratio");
  assert_true (failed >= 0 && success >= 0);
  assert_int_equal (stratus_comparison_figure_index ("no.such.figure"), -1);
  assert_string_equal (stratus_comparison_figure_path ((size_t) failed), "requests.failed");

  double mean, ci, unpaired, a_ci, b_ci;
  unsigned n;
  assert_true (stratus_comparison_value (c, 0, (size_t) failed, &mean, &a_ci, &n));
  assert_near (mean, 20, 1e-9);
  assert_int_equal (n, 3);
  assert_true (stratus_comparison_value (c, 1, (size_t) failed, &mean, &b_ci, NULL));
  assert_near (mean, 68.0 / 3, 1e-9);
  double t = gsl_cdf_tdist_Pinv (0.975, 2);
  assert_near (a_ci, t * 10 / sqrt (3), 1e-9);
  /* Differences 2, 5, 1: mean 8/3, sd sqrt (13/3). */
  assert_true (stratus_comparison_difference (c, 1, (size_t) failed, &mean, &ci, &unpaired, &n));
  assert_near (mean, 8.0 / 3, 1e-9);
  assert_near (ci, t * sqrt (13.0 / 3) / sqrt (3), 1e-9);
  assert_near (unpaired, sqrt (a_ci * a_ci + b_ci * b_ci), 1e-9);
  assert_true (ci < unpaired);
  assert_int_equal (n, 3);
  /* No faults, no SLO: the success ratio is ok / total. */
  assert_true (stratus_comparison_value (c, 0, (size_t) success, &mean, NULL, NULL));
  assert_near (mean, 1 - 0.02, 1e-12);
  assert_true (stratus_comparison_difference (c, 1, (size_t) success, &mean, NULL, NULL, NULL));
  assert_near (mean, -8.0 / 3 / 1000, 1e-12);

  char *text = stratus_comparison_text (c);
  assert_non_null (strstr (text, "stratus compare: a, b\n"));
  assert_non_null (strstr (text, "seed 7, 3 replications of each"));
  assert_non_null (strstr (text, "503.queue_full"));         /* not 0: shown */
  assert_null (strstr (text, "502.call_failed"));             /* 0 everywhere: left out */
  assert_non_null (strstr (text, "+2.7 \xc2\xb1 "));          /* the difference of failed */
  g_free (text);
  char *csv = stratus_comparison_csv (c);
  assert_true (g_str_has_prefix (csv, "figure,a.mean,a.ci95,b.mean,b.ci95,diff.b.mean,"
                                      "diff.b.ci95\n"));
  assert_non_null (strstr (csv, "\nrequests.failed,20,"));
  g_free (csv);
  stratus_comparison_free (c);
  stratus_scenario_free (s);
}

/* ---- the command -------------------------------------------------------------------------- */

/* A small scenario with `count` instances of one worker under 700 requests/s: loaded enough
 * that the arrivals drive the latency. Caller frees. */
static char *
loaded_yaml (unsigned count)
{
  return g_strdup_printf ("name: loaded\n"
                          "duration: 3m\n"
                          "warmup: 30s\n"
                          "azs: [us-east-1a, us-east-1b]\n"
                          "load_balancers:\n"
                          "  lb: {algorithm: round_robin, target_group: web}\n"
                          "instances:\n"
                          "  web:\n"
                          "    count: %u\n"
                          "    workers: 1\n"
                          "    service_time: {dist: exponential, mean: 5ms}\n"
                          "    target_group: web\n"
                          "workload:\n"
                          "  users: {entry: lb, rate: 700/s, timeout: 5s}\n"
                          "report:\n"
                          "  interval: 30s\n",
                          count);
}

/* tiny with three instances instead of two. Caller frees. */
static char *
tiny_three (void)
{
  char *text = g_strdup (tiny);
  char *count = strstr (text, "count: 2");
  assert_non_null (count);
  count[strlen ("count: ")] = '3';
  return text;
}

/* compare.json of `dir`, parsed. Unref it. */
static JsonParser *
compare_json_in (const char *dir)
{
  char *text = read_in (dir, "compare.json");
  JsonParser *parser = parse_json (text);
  g_free (text);
  return parser;
}

/* The object of figure `path` of scenario `s` (or of difference `s` with `difference`) in
 * compare.json; NULL when the figure is null. */
static JsonObject *
json_figure (JsonParser *parser, bool difference, unsigned s, const char *path)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonArray *list = json_object_get_array_member (root, difference ? "differences" : "scenarios");
  JsonObject *figures = json_object_get_object_member (json_array_get_object_element (list, s),
                                                       "figures");
  assert_true (json_object_has_member (figures, path));
  JsonNode *node = json_object_get_member (figures, path);
  return JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_object (node);
}

/* Two scenarios: the table on stdout (the same as compare.txt), compare.json's members and
 * compare.csv's header, the chart, and the same bytes from a second run. */
static void
cli_two_scenarios (void **state)
{
  const char *dir = *state;
  char *three = tiny_three ();
  char *a = write_in (dir, "two.yaml", tiny);
  char *b = write_in (dir, "three.yaml", three);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("compare", a, b, "--reps", "2", "--out", out, "--charts", "svg",
                          "--quiet");
  expect_status (&r, 0);
  assert_null (strstr (r.err, "stratus")); /* (LeakSanitizer may list its suppressions) */
  assert_true (g_str_has_prefix (r.out, "stratus compare: two, three\n"));
  assert_non_null (strstr (r.out, "seed 1, 2 replications of each"));
  assert_non_null (strstr (r.out, "\xce\x94 three"));
  assert_non_null (strstr (r.out, "\nCost (USD per month)\n"));
  assert_non_null (strstr (r.out, "\n  p50 "));
  assert_non_null (strstr (r.out, "\n  p99 "));
  assert_non_null (strstr (r.out, "\n  success "));
  assert_non_null (strstr (r.out, "\n  failed "));
  char *names = list_dir (out);
  assert_string_equal (names, "compare-cost.svg compare.csv compare.json compare.txt");
  g_free (names);
  char *txt = read_in (out, "compare.txt");
  assert_string_equal (txt, r.out);
  g_free (txt);

  JsonParser *parser = compare_json_in (out);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  assert_string_equal (json_object_get_string_member (root, "schema"), "stratus.compare/1");
  assert_int_equal (json_object_get_int_member (root, "seed"), 1);
  assert_int_equal (json_object_get_int_member (root, "replications"), 2);
  assert_true (json_object_get_boolean_member (root, "common_workloads"));
  assert_string_equal (json_object_get_string_member (root, "baseline"), "two");
  assert_int_equal (json_array_get_length (json_object_get_array_member (root, "scenarios")), 2);
  assert_int_equal (json_array_get_length (json_object_get_array_member (root, "differences")),
                    1);
  for (size_t f = 0; f < stratus_comparison_figure_count (); f++)
    for (unsigned s = 0; s < 2; s++) /* present (an object) or null, never missing */
      json_figure (parser, false, s, stratus_comparison_figure_path (f));
  JsonObject *p50 = json_figure (parser, false, 1, "latency_ms.p50");
  assert_non_null (p50);
  assert_true (json_object_has_member (p50, "mean") && json_object_has_member (p50, "ci95"));
  assert_int_equal (json_object_get_int_member (p50, "replications"), 2);
  JsonObject *d50 = json_figure (parser, true, 0, "latency_ms.p50");
  assert_non_null (d50);
  assert_true (json_object_get_boolean_member (d50, "paired"));
  assert_true (json_object_has_member (d50, "unpaired_ci95"));
  g_object_unref (parser);

  char *csv = read_in (out, "compare.csv");
  assert_true (g_str_has_prefix (csv, "figure,two.mean,two.ci95,three.mean,three.ci95,"
                                      "diff.three.mean,diff.three.ci95\n"));
  assert_non_null (strstr (csv, "\nlatency_ms.p99,"));
  char **lines = g_strsplit (csv, "\n", -1); /* the header, a row per figure, "" */
  assert_int_equal (g_strv_length (lines), stratus_comparison_figure_count () + 2);
  g_strfreev (lines);
  g_free (csv);

  /* A second run into another folder: the same bytes, chart included. */
  char *again = g_build_filename (dir, "again", NULL);
  Result r2 = run_stratus ("compare", a, b, "--reps", "2", "--out", again, "--charts", "svg",
                           "--quiet");
  expect_status (&r2, 0);
  assert_string_equal (r2.out, r.out);
  const char *files[] = { "compare.json", "compare.csv", "compare.txt", "compare-cost.svg" };
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      char *x = read_in (out, files[i]), *y = read_in (again, files[i]);
      assert_string_equal (x, y);
      g_free (x);
      g_free (y);
    }
  result_clear (&r2);
  result_clear (&r);
  g_free (again);
  g_free (out);
  g_free (b);
  g_free (a);
  g_free (three);
}

/* Usage and input errors: exit 2, one line (a usage hint after a usage error), nothing on
 * stdout, nothing written. */
static void
cli_errors (void **state)
{
  const char *dir = *state;
  char *a = write_in (dir, "a.yaml", tiny);
  char *bad = write_in (dir, "bad.yaml", "name: bad\nduration: 2m\nazs: [us-east-1a]\n"
                                         "instances:\n  web: {count: two}\n");
  char *out = g_build_filename (dir, "out", NULL);

  Result r = run_stratus ("compare", a, "--out", out);
  expect_status (&r, 2);
  assert_string_equal (r.out, "");
  assert_true (g_str_has_prefix (r.err, "stratus compare: compare takes two or more scenario "
                                        "files\nRun 'stratus compare --help' for usage.\n"));
  result_clear (&r);

  r = run_stratus ("compare", "--out", out);
  expect_status (&r, 2);
  result_clear (&r);

  r = run_stratus ("compare", a, bad, "--out", out);
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_true (g_str_has_prefix (r.err, bad));
  assert_string_equal (r.out, "");
  result_clear (&r);

  char *missing = g_build_filename (dir, "missing.yaml", NULL);
  r = run_stratus ("compare", missing, a, "--out", out);
  expect_status (&r, 2);
  expect_one_line (&r, missing);
  result_clear (&r);
  g_free (missing);

  const char *bad_options[][2] = { { "--reps", "0" }, { "--reps", "0x10" }, { "--seed", "-1" },
                                   { "--charts", "gif" }, { "--set", "duration" } };
  for (size_t i = 0; i < G_N_ELEMENTS (bad_options); i++)
    {
      r = run_stratus ("compare", a, a, bad_options[i][0], bad_options[i][1], "--out", out);
      expect_status (&r, 2);
      assert_string_equal (r.out, "");
      result_clear (&r);
    }
  r = run_stratus ("compare", a, a, "--charts", "png");
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "--charts needs --out"));
  result_clear (&r);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS)); /* nothing written by any of them */

  /* A folder holding a file stratus did not write is refused and stays as it was. */
  g_mkdir (out, 0755);
  char *notes = write_in (out, "notes.txt", "mine\n");
  r = run_stratus ("compare", a, a, "--out", out);
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "notes.txt"));
  assert_string_equal (r.out, "");
  result_clear (&r);
  char *names = list_dir (out);
  assert_string_equal (names, "notes.txt");
  g_free (names);

  r = run_stratus ("compare", "--help");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "Examples:"));
  assert_non_null (strstr (r.out, "stratus compare scenarios/layouts/"));
  result_clear (&r);

  g_free (notes);
  g_free (out);
  g_free (bad);
  g_free (a);
}

/* A scenario compared with itself: the same random streams give the same figures, so every
 * difference is exactly 0 with an interval of exactly 0; the two columns get distinct
 * labels. */
static void
cli_self_difference_zero (void **state)
{
  const char *dir = *state;
  char *a = write_in (dir, "same.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("compare", a, a, "--reps", "3", "--seed", "11", "--out", out, "-q");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "stratus compare: same, same#2\n"));
  JsonParser *parser = compare_json_in (out);
  unsigned checked = 0;
  for (size_t f = 0; f < stratus_comparison_figure_count (); f++)
    {
      const char *path = stratus_comparison_figure_path (f);
      JsonObject *d = json_figure (parser, true, 0, path);
      JsonObject *v = json_figure (parser, false, 0, path);
      assert_true ((d == NULL) == (v == NULL));
      if (d == NULL)
        continue;
      assert_true (json_object_get_double_member (d, "mean") == 0);
      assert_true (json_object_get_double_member (d, "ci95") == 0);
      assert_int_equal (json_object_get_int_member (d, "replications"), 3);
      checked++;
    }
  assert_true (checked >= 4); /* latency p50, p99, success, failed at least */
  JsonObject *p50 = json_figure (parser, false, 0, "latency_ms.p50");
  assert_true (json_object_get_double_member (p50, "ci95") > 0); /* the runs do vary */
  g_object_unref (parser);
  result_clear (&r);
  g_free (out);
  g_free (a);
}

/* Common random numbers pay: for two similar scenarios (4 or 5 instances under the same
 * arrivals) the paired interval of the difference in latency p50 is narrower than the
 * unpaired one, sqrt (ci_a^2 + ci_b^2). */
static void
cli_paired_narrower (void **state)
{
  const char *dir = *state;
  char *text4 = loaded_yaml (4), *text5 = loaded_yaml (5);
  char *a = write_in (dir, "four.yaml", text4);
  char *b = write_in (dir, "five.yaml", text5);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("compare", a, b, "--reps", "10", "--out", out, "-q");
  expect_status (&r, 0);
  JsonParser *parser = compare_json_in (out);
  double ca = json_object_get_double_member (json_figure (parser, false, 0, "latency_ms.p50"),
                                             "ci95");
  double cb = json_object_get_double_member (json_figure (parser, false, 1, "latency_ms.p50"),
                                             "ci95");
  JsonObject *d = json_figure (parser, true, 0, "latency_ms.p50");
  double paired = json_object_get_double_member (d, "ci95");
  double unpaired = sqrt (ca * ca + cb * cb);
  assert_near (json_object_get_double_member (d, "unpaired_ci95"), unpaired, 1e-12);
  assert_true (paired > 0);
  if (!(paired < unpaired))
    fail_msg ("paired CI %g is not narrower than unpaired %g", paired, unpaired);
  assert_true (json_object_get_double_member (d, "mean") < 0); /* 5 instances: faster */
  g_object_unref (parser);
  result_clear (&r);
  g_free (out);
  g_free (b);
  g_free (a);
  g_free (text5);
  g_free (text4);
}

/* The shipped layouts (scenarios/layouts/) compare, shortened: the same workload, so
 * common random numbers; every request succeeds in each. */
static void
cli_layouts (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  assert_non_null (root);
  char *files[3];
  const char *names[] = { "public-ip", "nat-single", "nat-per-az" };
  for (int i = 0; i < 3; i++)
    {
      char *name = g_strconcat (names[i], ".yaml", NULL);
      files[i] = g_build_filename (root, "scenarios", "layouts", name, NULL);
      g_free (name);
    }
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("compare", files[0], files[1], files[2], "--set", "duration=10m",
                          "--out", out, "-q");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "stratus compare: public-ip, nat-single, nat-per-az\n"));
  assert_null (strstr (r.out, "note: the scenarios' workloads"));
  JsonParser *parser = compare_json_in (out);
  for (unsigned s = 0; s < 3; s++)
    assert_true (json_object_get_double_member (
                   json_figure (parser, false, s, "availability.success_ratio"), "mean") == 1);
  g_object_unref (parser);
  result_clear (&r);
  g_free (out);
  for (int i = 0; i < 3; i++)
    g_free (files[i]);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (bar_chart_api),
    cmocka_unit_test_setup_teardown (bar_chart_files, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (bar_chart_pixels),
    cmocka_unit_test_setup_teardown (bar_chart_edge_cases, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (comparison_statistics),
    cmocka_unit_test_setup_teardown (cli_two_scenarios, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (cli_errors, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (cli_self_difference_zero, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (cli_paired_narrower, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (cli_layouts, tmpdir_setup, tmpdir_teardown),
  };
  int failed = cmocka_run_group_tests (tests, NULL, NULL);
  stratus_plot_shutdown ();
  return failed;
}
