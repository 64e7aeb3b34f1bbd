/* Charts: the generic chart (ticks, mapping, pixels where the data says, text inside the
 * canvas, robustness on empty, single-point, all-zero, NaN and week-long data, identical
 * bytes for the same chart) and the charts of a report (files in every format with the
 * right signature and size, bands with replications, the series each chart shows), the
 * charts of Auto Scaling groups and the scaling markers on every time-series chart. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tmpdir.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stratus/chart.h"
#include "stratus/model.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "synthetic_result.h"

/* cmocka's assert_float_equal works in single precision. */
#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

#define W 1200
#define H 600

/* A small scenario: two AZs, a light load, 30 s intervals over 5 measured minutes. */
static const char *const scenario_yaml =
  "name: chart-test\n"
  "duration: 6m\n"
  "warmup: 1m\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "latency: {same_az: 0.1ms, cross_az: 0.6ms, internet: 15ms}\n"
  "load_balancers:\n"
  "  lb: {processing_time: 0.5ms, target_group: tg}\n"
  "instances:\n"
  "  web: {count: 2, workers: 4, service_time: 10ms, target_group: tg}\n"
  "workload:\n"
  "  users: {entry: lb, rate: 50/s}\n"
  "report:\n"
  "  interval: 30s\n";

/* A report of `reps` replications of the scenario with `overrides` (NULL-terminated or
 * NULL). The scenario is returned in *scenario (the report borrows it). */
static StratusReport *
make_report (const char *const *overrides, unsigned reps, StratusScenario **scenario)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (scenario_yaml, "chart.yaml", overrides,
                                                     &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  StratusReport *report = stratus_report_new (s);
  for (unsigned i = 0; i < reps; i++)
    {
      StratusRunOptions options = { .seed = s->seed, .replication = i };
      StratusRunResult *r = stratus_model_run (s, &options);
      stratus_report_add (report, r);
      stratus_run_result_free (r);
    }
  *scenario = s;
  return report;
}

/* Not inlined: GCC 12 at -O3 then mistakes the returned buffer for a pointer into this
 * frame (-Wdangling-pointer). Caller frees. */
static G_GNUC_NO_INLINE char *
read_file (const char *path, gsize *len)
{
  char *data = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &data, len, &error))
    fail_msg ("%s", error->message);
  return data;
}

/* Whether the `len` bytes at `data` (which may hold NULs) contain `needle`. */
static bool
contains (const char *data, size_t len, const char *needle)
{
  size_t n = strlen (needle);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return true;
  return false;
}

static uint32_t
be32 (const unsigned char *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

/* The pixel (x, y) of an image surface as 0xRRGGBB. */
static uint32_t
pixel (cairo_surface_t *img, int x, int y)
{
  assert_true (x >= 0 && y >= 0 && x < cairo_image_surface_get_width (img)
               && y < cairo_image_surface_get_height (img));
  const unsigned char *row = cairo_image_surface_get_data (img)
                             + (size_t) y * (size_t) cairo_image_surface_get_stride (img);
  uint32_t v;
  memcpy (&v, row + 4 * x, 4);
  return v & 0xFFFFFF;
}

/* Whether 0xRRGGBB `got` is within `tolerance` per channel of rgb (0..1). */
static bool
close_to (uint32_t got, const double rgb[3], int tolerance)
{
  for (int c = 0; c < 3; c++)
    {
      int g = (int) (got >> (16 - 8 * c) & 0xFF);
      int want = (int) lround (rgb[c] * 255);
      if (abs (g - want) > tolerance)
        return false;
    }
  return true;
}

/* Palette colour `colour` over white at opacity `alpha`. */
static void
over_white (unsigned colour, double alpha, double rgb[3])
{
  stratus_chart_colour_rgb (colour, rgb);
  for (int c = 0; c < 3; c++)
    rgb[c] = alpha * rgb[c] + (1 - alpha);
}

/* Renders `chart` on a new width x height RGB image. Caller destroys. */
static cairo_surface_t *
render (const StratusChart *chart, int width, int height)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (img);
  stratus_chart_render (chart, cr, width, height);
  assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  return img;
}

/* Text bounds of `chart` lie inside the canvas. */
static void
assert_text_inside (const StratusChart *chart, int width, int height)
{
  double x0, y0, x1, y1;
  stratus_chart_text_bounds (chart, width, height, &x0, &y0, &x1, &y1);
  assert_true (x0 < x1 && y0 < y1);
  if (x0 < 0 || y0 < 0 || x1 > width || y1 > height)
    fail_msg ("text (%g, %g)-(%g, %g) leaves the %dx%d canvas", x0, y0, x1, y1, width, height);
}

/* ---- the table of charts (formats: tests/test-plot-output.c) ---------------------------- */

static void
chart_table_names (void **state)
{
  (void) state;
  assert_int_equal (stratus_charts_count (), 4);
  assert_string_equal (stratus_charts_name (0), "latency");
  assert_null (stratus_charts_name (99));
}

/* ---- the generic chart ------------------------------------------------------------------- */

/* y = 50 over x = 0..600: the line is where the data says, the background elsewhere. */
static void
constant_series_pixels (void **state)
{
  (void) state;
  StratusChart *chart = stratus_chart_new ("constant");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Latency", STRATUS_UNIT_MS, NULL);
  unsigned s = stratus_chart_add_series (chart, "flat", STRATUS_COLOUR_VERMILLION,
                                         STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  for (int x = 0; x <= 600; x += 60)
    stratus_chart_add_point (chart, s, x, 50);
  assert_int_equal (stratus_chart_series_length (chart, s), 11);

  cairo_surface_t *img = render (chart, W, H);
  double rgb[3], white[3] = { 1, 1, 1 };
  stratus_chart_colour_rgb (STRATUS_COLOUR_VERMILLION, rgb);
  double px, py;
  for (double x = 30; x <= 570; x += 90)
    {
      assert_true (stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, x, 50, &px, &py));
      assert_true (close_to (pixel (img, (int) px, (int) py), rgb, 12));
      /* 20 units above and below: background (between grid lines). */
      assert_true (close_to (pixel (img, (int) px, (int) py - 20), white, 30));
      assert_true (close_to (pixel (img, (int) px, (int) py + 20), white, 30));
    }
  /* The line spans the plot area, which lies inside the canvas. */
  double ax, ay, aw, ah;
  stratus_chart_plot_area (chart, W, H, &ax, &ay, &aw, &ah);
  assert_true (ax > 0 && ay > 0 && ax + aw < W && ay + ah < H && aw > W / 2 && ah > H / 2);
  stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, 0, 0, &px, &py);
  assert_near (px, ax, 1e-9);
  assert_near (py, ay + ah, 1e-9);
  stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, 600, 50, &px, &py);
  assert_near (px, ax + aw, 1e-9);
  assert_true (py > ay && py < ay + ah); /* 50 lies below the top tick */
  /* No right axis set up: it cannot be mapped. */
  assert_false (stratus_chart_map (chart, W, H, STRATUS_AXIS_RIGHT, 0, 0, &px, &py));

  /* The title is drawn in dark text near the top of the canvas. */
  int dark = 0;
  for (int y = 0; y < (int) ay; y++)
    for (int x = 0; x < W / 4; x++)
      if ((pixel (img, x, y) & 0xFF) < 80)
        dark++;
  assert_true (dark > 50);
  assert_text_inside (chart, W, H);
  cairo_surface_destroy (img);
  stratus_chart_free (chart);
}

/* A right-axis series maps against the right axis; a band is drawn translucent. */
static void
right_axis_and_band_pixels (void **state)
{
  (void) state;
  StratusChart *chart = stratus_chart_new ("two axes");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Latency", STRATUS_UNIT_MS, NULL);
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_RIGHT, "Load", STRATUS_UNIT_NUMBER, " req/s");
  unsigned a = stratus_chart_add_series (chart, "latency", STRATUS_COLOUR_BLUE, STRATUS_AXIS_LEFT,
                                         STRATUS_SERIES_LINE);
  unsigned b = stratus_chart_add_series (chart, "load", STRATUS_COLOUR_GREEN, STRATUS_AXIS_RIGHT,
                                         STRATUS_SERIES_LINE);
  for (int x = 0; x <= 3600; x += 300)
    {
      stratus_chart_add_point (chart, a, x, 10);
      stratus_chart_add_band (chart, a, x, 5, 15);
      stratus_chart_add_point (chart, b, x, 400);
    }
  assert_int_equal (stratus_chart_band_length (chart, a), 13);
  assert_int_equal (stratus_chart_series_axis (chart, b), STRATUS_AXIS_RIGHT);
  cairo_surface_t *img = render (chart, W, H);
  double px, py, rgb[3];
  assert_true (stratus_chart_map (chart, W, H, STRATUS_AXIS_RIGHT, 1650, 400, &px, &py));
  stratus_chart_colour_rgb (STRATUS_COLOUR_GREEN, rgb);
  assert_true (close_to (pixel (img, (int) px, (int) py), rgb, 12));
  /* Halfway between the line (10) and the band's top (15): the band's colour. */
  double py_line, py_top;
  stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, 1650, 10, &px, &py_line);
  stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, 1650, 15, &px, &py_top);
  assert_true (py_line - py_top > 10);
  over_white (STRATUS_COLOUR_BLUE, stratus_chart_band_alpha (STRATUS_COLOUR_BLUE), rgb);
  assert_true (close_to (pixel (img, (int) px, (int) ((py_line + py_top) / 2)), rgb, 25));
  stratus_chart_colour_rgb (STRATUS_COLOUR_BLUE, rgb);
  assert_true (close_to (pixel (img, (int) px, (int) py_line), rgb, 12));
  assert_text_inside (chart, W, H);
  cairo_surface_destroy (img);
  stratus_chart_free (chart);
}

/* Writes `chart` in every format into `dir` as NAME.EXT and checks each file exists. */
static void
write_all_formats (const StratusChart *chart, const char *dir, const char *name)
{
  for (int f = STRATUS_PLOT_PNG; f <= STRATUS_PLOT_PDF; f++)
    {
      char *file = g_strdup_printf ("%s.%s", name, stratus_plot_format_extension (f));
      char *path = g_build_filename (dir, file, NULL);
      GError *error = NULL;
      if (!stratus_chart_write (chart, path, f, W, H, &error))
        fail_msg ("%s", error->message);
      GStatBuf st;
      assert_int_equal (g_stat (path, &st), 0);
      assert_true (st.st_size > 100);
      g_free (path);
      g_free (file);
    }
}

/* Empty, single-point, all-zero, NaN, negative, huge and week-long data render and write. */
static void
edge_cases_render (void **state)
{
  const char *dir = *state;
  double px, py, ax, ay, aw, ah;

  /* No series at all, and a series without points: "No data" in the plot area. */
  StratusChart *empty = stratus_chart_new ("empty");
  write_all_formats (empty, dir, "empty");
  stratus_chart_add_series (empty, "nothing", 0, STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  write_all_formats (empty, dir, "empty-series");
  cairo_surface_t *img = render (empty, W, H);
  stratus_chart_plot_area (empty, W, H, &ax, &ay, &aw, &ah);
  int ink = 0;
  for (int y = (int) (ay + ah / 2 - 15); y < (int) (ay + ah / 2 + 15); y++)
    for (int x = (int) (ax + aw / 2 - 60); x < (int) (ax + aw / 2 + 60); x++)
      if ((pixel (img, x, y) & 0xFF) < 200)
        ink++;
  assert_true (ink > 20);
  cairo_surface_destroy (img);
  assert_text_inside (empty, W, H);
  stratus_chart_free (empty);

  /* One point: drawn as a dot where it belongs. */
  StratusChart *one = stratus_chart_new ("one point");
  unsigned s = stratus_chart_add_series (one, "single", STRATUS_COLOUR_BLUE, STRATUS_AXIS_LEFT,
                                         STRATUS_SERIES_LINE);
  stratus_chart_add_point (one, s, 120, 7);
  stratus_chart_add_band (one, s, 120, 6, 8);
  write_all_formats (one, dir, "one");
  img = render (one, W, H);
  stratus_chart_map (one, W, H, STRATUS_AXIS_LEFT, 120, 7, &px, &py);
  stratus_chart_plot_area (one, W, H, &ax, &ay, &aw, &ah);
  assert_true (px > ax && px < ax + aw && py > ay && py < ay + ah);
  double rgb[3];
  stratus_chart_colour_rgb (STRATUS_COLOUR_BLUE, rgb);
  assert_true (close_to (pixel (img, (int) px, (int) py), rgb, 12));
  cairo_surface_destroy (img);
  stratus_chart_free (one);

  /* All zeros: a 0..1 axis with the line at the bottom. */
  StratusChart *zeros = stratus_chart_new ("zeros");
  s = stratus_chart_add_series (zeros, "zero", 0, STRATUS_AXIS_LEFT, STRATUS_SERIES_STEP);
  for (int x = 0; x < 10; x++)
    stratus_chart_add_point (zeros, s, x * 60, 0);
  write_all_formats (zeros, dir, "zeros");
  stratus_chart_plot_area (zeros, W, H, &ax, &ay, &aw, &ah);
  stratus_chart_map (zeros, W, H, STRATUS_AXIS_LEFT, 0, 0, &px, &py);
  assert_near (py, ay + ah, 1e-9);
  stratus_chart_map (zeros, W, H, STRATUS_AXIS_LEFT, 0, 1, &px, &py);
  assert_near (py, ay, 1e-9);
  stratus_chart_free (zeros);

  /* NaN and infinities leave gaps; negative and huge values widen the axis. */
  StratusChart *odd = stratus_chart_new ("odd values");
  stratus_chart_set_y_axis (odd, STRATUS_AXIS_RIGHT, "Bytes", STRATUS_UNIT_BYTES, "/s");
  s = stratus_chart_add_series (odd, "gappy", 1, STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  unsigned t = stratus_chart_add_series (odd, "big", 2, STRATUS_AXIS_RIGHT, STRATUS_SERIES_STEP);
  for (int x = 0; x < 50; x++)
    {
      double y = x % 7 == 0 ? NAN : x % 11 == 0 ? INFINITY : x % 5 == 0 ? -3 * x : x;
      stratus_chart_add_point (odd, s, x * 10, y);
      stratus_chart_add_band (odd, s, x * 10, y - 1, x % 13 == 0 ? NAN : y + 1);
      stratus_chart_add_point (odd, t, x * 10, x * 3e12);
    }
  stratus_chart_add_point (odd, s, NAN, 1); /* ignored */
  assert_int_equal (stratus_chart_series_length (odd, s), 50);
  write_all_formats (odd, dir, "odd");
  assert_text_inside (odd, W, H);
  stratus_chart_free (odd);

  /* A week at 10-minute points, with a band: ticks in days. */
  StratusChart *week = stratus_chart_new ("a week");
  stratus_chart_set_y_axis (week, STRATUS_AXIS_LEFT, "Utilisation", STRATUS_UNIT_PERCENT, NULL);
  stratus_chart_set_y_range (week, STRATUS_AXIS_LEFT, 0, 100);
  s = stratus_chart_add_series (week, "diurnal", 0, STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  for (int x = 0; x <= 604800; x += 600)
    {
      double y = 50 + 40 * sin (2 * G_PI * x / 86400.0);
      stratus_chart_add_point (week, s, x, y);
      stratus_chart_add_band (week, s, x, y - 5, y + 5);
    }
  write_all_formats (week, dir, "week");
  assert_text_inside (week, W, H);
  stratus_chart_map (week, W, H, STRATUS_AXIS_LEFT, 604800, 100, &px, &py);
  stratus_chart_plot_area (week, W, H, &ax, &ay, &aw, &ah);
  assert_near (px, ax + aw, 1e-9);
  assert_near (py, ay, 1e-9);
  /* The same as times of day. */
  stratus_chart_set_x_clock (week, 6 * 3600);
  write_all_formats (week, dir, "week-clock");
  assert_text_inside (week, W, H);
  stratus_chart_free (week);

  /* Small and large canvases: text stays inside. */
  StratusChart *sized = stratus_chart_new ("a chart with a rather long title that must not leave "
                                           "the canvas whatever its size, even a small one");
  stratus_chart_set_subtitle (sized, "with a subtitle");
  for (unsigned i = 0; i < 12; i++)
    {
      char name[32];
      g_snprintf (name, sizeof name, "series number %u", i);
      s = stratus_chart_add_series (sized, name, i, i % 2 ? STRATUS_AXIS_RIGHT : STRATUS_AXIS_LEFT,
                                    STRATUS_SERIES_LINE);
      for (int x = 0; x <= 7200; x += 60)
        stratus_chart_add_point (sized, s, x, i * 10 + x / 100.0);
    }
  assert_text_inside (sized, W, H);
  assert_text_inside (sized, 800, 400);
  assert_text_inside (sized, 2400, 1200);
  img = render (sized, 300, 150);
  cairo_surface_destroy (img);
  stratus_chart_free (sized);
}

/* Bad size or folder: false with an error, no file left behind. */
static void
write_errors (void **state)
{
  const char *dir = *state;
  StratusChart *chart = stratus_chart_new ("x");
  GError *error = NULL;
  char *path = g_build_filename (dir, "no-such-folder", "x.png", NULL);
  assert_false (stratus_chart_write (chart, path, STRATUS_PLOT_PNG, W, H, &error));
  assert_non_null (error);
  g_clear_error (&error);
  g_free (path);
  path = g_build_filename (dir, "x.png", NULL);
  assert_false (stratus_chart_write (chart, path, STRATUS_PLOT_PNG, 0, H, &error));
  assert_non_null (error);
  g_clear_error (&error);
  assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (path);
  stratus_chart_free (chart);
}

/* The same chart written twice gives the same bytes, in every format. */
static void
same_chart_same_bytes (void **state)
{
  const char *dir = *state;
  StratusChart *chart = stratus_chart_new ("twice");
  stratus_chart_set_subtitle (chart, "subtitle");
  unsigned s = stratus_chart_add_series (chart, "line", 0, STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  for (int x = 0; x <= 600; x += 30)
    {
      stratus_chart_add_point (chart, s, x, x % 90);
      stratus_chart_add_band (chart, s, x, x % 90 - 3, x % 90 + 3);
    }
  for (int f = STRATUS_PLOT_PNG; f <= STRATUS_PLOT_PDF; f++)
    {
      char *contents[2];
      gsize len[2];
      for (int i = 0; i < 2; i++)
        {
          char *file = g_strdup_printf ("twice-%d.%s", i, stratus_plot_format_extension (f));
          char *path = g_build_filename (dir, file, NULL);
          /* Something else drawn in between, as in a real run. */
          cairo_surface_destroy (render (chart, 200, 100));
          assert_true (stratus_chart_write (chart, path, f, W, H, NULL));
          contents[i] = read_file (path, &len[i]);
          g_free (path);
          g_free (file);
        }
      assert_int_equal (len[0], len[1]);
      assert_memory_equal (contents[0], contents[1], len[0]);
      g_free (contents[0]);
      g_free (contents[1]);
    }
  stratus_chart_free (chart);
}

/* ---- the charts of a report ------------------------------------------------------------- */

/* The series of `chart` named `name`; fails if absent. */
static unsigned
series_named (const StratusChart *chart, const char *name)
{
  for (unsigned i = 0; i < stratus_chart_series_count (chart); i++)
    if (strcmp (stratus_chart_series_name (chart, i), name) == 0)
      return i;
  fail_msg ("no series \"%s\" in \"%s\"", name, stratus_chart_title (chart));
  return 0;
}

static bool
has_series (const StratusChart *chart, const char *name)
{
  for (unsigned i = 0; i < stratus_chart_series_count (chart); i++)
    if (strcmp (stratus_chart_series_name (chart, i), name) == 0)
      return true;
  return false;
}

/* Every chart in every format: right signature and size, nothing else left in the folder,
 * and the same bytes when written again. */
static void
report_files (void **state)
{
  const char *dir = *state;
  StratusScenario *s;
  StratusReport *report = make_report (NULL, 1, &s);
  for (int f = STRATUS_PLOT_PNG; f <= STRATUS_PLOT_PDF; f++)
    {
      GError *error = NULL;
      if (!stratus_charts_write (report, dir, f, &error))
        fail_msg ("%s", error->message);
      for (size_t c = 0; c < stratus_charts_count (); c++)
        {
          char *file = g_strdup_printf ("%s.%s", stratus_charts_name (c),
                                        stratus_plot_format_extension (f));
          char *path = g_build_filename (dir, file, NULL);
          gsize len;
          char *data = read_file (path, &len);
          const unsigned char *u = (const unsigned char *) data;
          switch (f)
            {
            case STRATUS_PLOT_PNG:
              assert_true (len > 33);
              assert_memory_equal (data, "\x89PNG\r\n\x1a\n", 8);
              assert_memory_equal (data + 12, "IHDR", 4);
              assert_int_equal (be32 (u + 16), W);
              assert_int_equal (be32 (u + 20), H);
              break;
            case STRATUS_PLOT_SVG:
              {
                const char *svg = strstr (data, "<svg");
                assert_non_null (svg);
                assert_non_null (strstr (svg, "width=\"1200pt\""));
                assert_non_null (strstr (svg, "height=\"600pt\""));
                assert_non_null (strstr (data, "</svg>"));
              }
              break;
            case STRATUS_PLOT_PDF:
              assert_memory_equal (data, "%PDF-", 5);
              assert_non_null (contains (data, len, "/MediaBox [ 0 0 1200 600 ]"));
              assert_non_null (contains (data, len, "%%EOF"));
              break;
            }
          /* Written again: the same bytes. */
          char *again_dir = g_build_filename (dir, "again", NULL);
          g_mkdir (again_dir, 0777);
          char *again_path = g_build_filename (again_dir, file, NULL);
          if (!g_file_test (again_path, G_FILE_TEST_EXISTS)
              && !stratus_charts_write (report, again_dir, f, &error))
            fail_msg ("%s", error->message);
          gsize again_len;
          char *again = read_file (again_path, &again_len);
          assert_int_equal (len, again_len);
          assert_memory_equal (data, again, len);
          g_free (again);
          g_free (again_path);
          g_free (again_dir);
          g_free (data);
          g_free (path);
          g_free (file);
        }
    }
  /* 4 charts x 3 formats and the folder "again": no temporary files left. */
  GDir *d = g_dir_open (dir, 0, NULL);
  int n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  assert_int_equal (n, 4 * 3 + 1);

  /* What the charts show. */
  StratusChart *latency = stratus_charts_build (report, "latency");
  assert_string_equal (stratus_chart_title (latency), "chart-test: latency");
  assert_true (has_series (latency, "p50") && has_series (latency, "p99"));
  assert_true (has_series (latency, "p99.9")); /* 1,500 responses per interval */
  unsigned load = series_named (latency, "offered load (right axis)");
  assert_int_equal (stratus_chart_series_axis (latency, load), STRATUS_AXIS_RIGHT);
  assert_int_equal (stratus_chart_series_length (latency, load), 10);
  double x, y;
  stratus_chart_series_point (latency, load, 0, &x, &y);
  assert_near (x, 75, 1e-9); /* the middle of [60 s, 90 s) */
  assert_true (fabs (y - 50) < 10);
  assert_int_equal (stratus_chart_band_length (latency, load), 0); /* one replication */
  for (size_t c = 0; c < stratus_charts_count (); c++)
    {
      StratusChart *chart = stratus_charts_build (report, stratus_charts_name (c));
      assert_non_null (chart);
      assert_text_inside (chart, W, H);
      stratus_chart_free (chart);
    }
  assert_null (stratus_charts_build (report, "no-such-chart"));

  StratusChart *throughput = stratus_charts_build (report, "throughput");
  assert_int_equal (stratus_chart_series_count (throughput), 1); /* no errors: only ok */
  stratus_chart_free (throughput);
  StratusChart *util = stratus_charts_build (report, "utilisation");
  assert_true (has_series (util, "web-1") && has_series (util, "web-2"));
  series_named (util, "queue, all instances (right axis)");
  stratus_chart_free (util);
  StratusChart *network = stratus_charts_build (report, "network");
  assert_true (has_series (network, "within an AZ") && has_series (network, "across AZs"));
  assert_false (has_series (network, "through NAT gateways")); /* no NAT: not shown */
  stratus_chart_free (network);

  stratus_chart_free (latency);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* Three replications: each series is the mean with a 95% band, drawn where it says. */
static void
report_bands (void **state)
{
  const char *dir = *state;
  StratusScenario *s;
  StratusReport *report = make_report (NULL, 3, &s);
  assert_true (stratus_charts_write (report, dir, STRATUS_PLOT_PNG, NULL));
  StratusChart *chart = stratus_charts_build (report, "throughput");
  unsigned ok = series_named (chart, "ok (2xx)");
  size_t n = stratus_chart_band_length (chart, ok);
  assert_int_equal (n, 10);
  assert_int_equal (stratus_chart_series_length (chart, ok), n);

  char *path = g_build_filename (dir, "throughput.png", NULL);
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  assert_int_equal (cairo_surface_status (img), CAIRO_STATUS_SUCCESS);
  assert_int_equal (cairo_image_surface_get_width (img), W);
  /* The widest band in pixels: a pixel 60% of the way from the mean to its top edge. */
  double best = 0, best_x = 0, best_mean = 0, best_high = 0;
  for (size_t k = 0; k < n; k++)
    {
      double x, mean, bx, low, high, px, py_mean, py_high;
      stratus_chart_series_point (chart, ok, k, &x, &mean);
      stratus_chart_band_sample (chart, ok, k, &bx, &low, &high);
      assert_near (x, bx, 1e-9);
      assert_true (low < mean && mean < high);
      assert_near (mean - low, high - mean, 1e-9);
      stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, x, mean, &px, &py_mean);
      stratus_chart_map (chart, W, H, STRATUS_AXIS_LEFT, x, high, &px, &py_high);
      if (py_mean - py_high > best)
        best = py_mean - py_high, best_x = px, best_mean = py_mean, best_high = py_high;
    }
  assert_true (best > 8);
  double rgb[3];
  over_white (STRATUS_COLOUR_GREEN, stratus_chart_band_alpha (STRATUS_COLOUR_GREEN), rgb);
  /* Band over white or over a light grid line. */
  assert_true (close_to (pixel (img, (int) best_x, (int) (best_mean - 0.6 * (best_mean - best_high))),
                         rgb, 30));
  stratus_chart_colour_rgb (STRATUS_COLOUR_GREEN, rgb);
  assert_true (close_to (pixel (img, (int) best_x, (int) best_mean), rgb, 20));
  cairo_surface_destroy (img);
  g_free (path);

  /* The mean and band agree with the report's rows. */
  double sum = 0;
  unsigned count = 0;
  for (size_t i = 0; i < stratus_report_row_count (report); i++)
    {
      unsigned rep;
      StratusIntervalRow row;
      stratus_report_row (report, i, &rep, &row);
      if (row.start == 60 * STRATUS_SECOND)
        sum += (double) row.outcomes[STRATUS_OUTCOME_OK] / stratus_time_seconds (row.length), count++;
    }
  assert_int_equal (count, 3);
  double x, mean;
  stratus_chart_series_point (chart, ok, 0, &x, &mean);
  assert_near (mean, sum / 3, 1e-9);
  stratus_chart_free (chart);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* Series that depend on the data: p99.9 with enough responses, error statuses present,
 * utilisation per AZ with many instances. */
static void
report_series_choice (void **state)
{
  (void) state;
  StratusScenario *s;
  /* 10/s: 300 responses per interval, too few for p99.9. */
  static const char *const light[] = { "workload.users.rate=10/s", NULL };
  StratusReport *report = make_report (light, 1, &s);
  StratusChart *latency = stratus_charts_build (report, "latency");
  assert_false (has_series (latency, "p99.9"));
  stratus_chart_free (latency);
  stratus_report_free (report);
  stratus_scenario_free (s);

  /* A full queue: 503s appear, 502s and 504s do not. */
  static const char *const overload[] = { "instances.web.workers=1",
                                          "instances.web.queue_limit=1",
                                          "instances.web.service_time=35ms", NULL };
  report = make_report (overload, 1, &s);
  StratusChart *throughput = stratus_charts_build (report, "throughput");
  unsigned e503 = series_named (throughput, "503 Service Unavailable");
  assert_int_equal (stratus_chart_series_axis (throughput, e503), STRATUS_AXIS_RIGHT);
  assert_false (has_series (throughput, "502 Bad Gateway"));
  assert_false (has_series (throughput, "504 Gateway Timeout"));
  stratus_chart_free (throughput);
  stratus_report_free (report);
  stratus_scenario_free (s);

  /* Ten instances: one line per AZ. */
  static const char *const many[] = { "instances.web.count=10", "duration=2m", NULL };
  report = make_report (many, 1, &s);
  StratusChart *util = stratus_charts_build (report, "utilisation");
  assert_int_equal (stratus_chart_series_count (util), 3);
  assert_true (has_series (util, "us-east-1a (5 instances)"));
  assert_true (has_series (util, "us-east-1b (5 instances)"));
  stratus_chart_free (util);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* A report without replications: every chart says "no data" and still writes. */
static void
report_empty (void **state)
{
  const char *dir = *state;
  StratusScenario *s;
  StratusReport *report = make_report (NULL, 0, &s);
  GError *error = NULL;
  if (!stratus_charts_write (report, dir, STRATUS_PLOT_PNG, &error))
    fail_msg ("%s", error->message);
  char *path = g_build_filename (dir, "latency.png", NULL);
  assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (path);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* ---- Auto Scaling groups and scaling markers ------------------------------------------- */

/* A report of one synthetic replication (tests/synthetic_result.c) with `events`; the
 * scenario is returned in *scenario. */
static StratusReport *
synthetic_report (SyntheticEvents events, StratusScenario **scenario)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (synthetic_yaml, "synthetic.yaml", NULL,
                                                     &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  StratusReport *report = stratus_report_new (s);
  StratusRunResult *r = synthetic_result (0, events, 4);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  *scenario = s;
  return report;
}

/* --charts writes capacity-GROUP and utilisation-GROUP beside the usual charts, in every
 * format, with the right signature and a real size. */
static void
group_chart_files (void **state)
{
  const char *dir = *state;
  StratusScenario *s;
  StratusReport *report = synthetic_report (SYNTHETIC_EVENTS_CHART, &s);
  for (int f = STRATUS_PLOT_PNG; f <= STRATUS_PLOT_SVG; f++)
    {
      assert_true (stratus_charts_write (report, dir, (StratusPlotFormat) f, NULL));
      const char *names[] = { "capacity-web-asg", "utilisation-web-asg", "latency" };
      for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
        {
          char *file = g_strdup_printf ("%s.%s", names[i],
                                        stratus_plot_format_extension ((StratusPlotFormat) f));
          char *path = g_build_filename (dir, file, NULL);
          gsize len;
          char *data = read_file (path, &len);
          assert_true (len > 5000);
          if (f == STRATUS_PLOT_PNG)
            assert_memory_equal (data, "\x89PNG\r\n\x1a\n", 8);
          else
            assert_true (contains (data, len, "<svg"));
          g_free (data);
          g_free (path);
          g_free (file);
        }
    }
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* The capacity chart stacks the AZs (the second AZ's band starts at the first's top), then
 * draws the desired capacity and in service + pending; the utilisation chart has CPU (no
 * memory: all NAN) and the target as a flat line at 50%. */
static void
group_chart_series (void **state)
{
  (void) state;
  StratusScenario *s;
  StratusReport *report = synthetic_report (SYNTHETIC_EVENTS_NONE, &s);
  StratusChart *c = stratus_charts_build (report, "capacity-web-asg");
  assert_non_null (c);
  assert_int_equal (stratus_chart_series_count (c), 4);
  assert_string_equal (stratus_chart_series_name (c, 0), "in service, us-east-1a");
  assert_string_equal (stratus_chart_series_name (c, 2), "desired capacity");
  double x, y, low, high;
  stratus_chart_series_point (c, 1, 1, &x, &y); /* interval 30..60 s: 2 + 1 in service */
  assert_near (x, 60, 1e-9);
  assert_near (y, 3, 0);
  stratus_chart_band_sample (c, 1, 1, &x, &low, &high);
  assert_near (low, 2, 0);
  assert_near (high, 3, 0);
  stratus_chart_series_point (c, 2, 1, &x, &y);
  assert_near (y, 4, 0);
  stratus_chart_series_point (c, 3, 1, &x, &y);
  assert_near (y, 4, 0); /* 3 in service + 1 pending */
  stratus_chart_free (c);

  c = stratus_charts_build (report, "utilisation-web-asg");
  assert_non_null (c);
  assert_int_equal (stratus_chart_series_count (c), 2);
  assert_string_equal (stratus_chart_series_name (c, 0), "CPU");
  stratus_chart_series_point (c, 0, 0, &x, &y);
  assert_near (x, 15, 1e-9);
  assert_near (y, 45.5, 1e-12);
  assert_string_equal (stratus_chart_series_name (c, 1), "target 50% (cpu)");
  assert_int_equal (stratus_chart_series_length (c, 1), 2);
  stratus_chart_series_point (c, 1, 1, &x, &y);
  assert_near (y, 50, 0);
  stratus_chart_free (c);
  assert_null (stratus_charts_build (report, "capacity-nope"));
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* Scaling and scheduled events that change the desired capacity become markers, up for a
 * scale-out and down for a scale-in (a launch does not), on every time-series chart. */
static void
scaling_markers (void **state)
{
  (void) state;
  StratusScenario *s;
  StratusReport *report = synthetic_report (SYNTHETIC_EVENTS_CHART, &s);
  const char *names[] = { "latency", "throughput", "utilisation", "network", "capacity-web-asg",
                          "utilisation-web-asg" };
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      StratusChart *c = stratus_charts_build (report, names[i]);
      assert_non_null (c);
      assert_int_equal (stratus_chart_marker_count (c), 2);
      double x;
      StratusMarkerDirection dir;
      stratus_chart_marker (c, 0, &x, &dir);
      assert_near (x, 45, 1e-9);
      assert_int_equal (dir, STRATUS_MARKER_UP);
      stratus_chart_marker (c, 1, &x, &dir);
      assert_near (x, 100, 1e-9);
      assert_int_equal (dir, STRATUS_MARKER_DOWN);
      stratus_chart_free (c);
    }
  StratusChart *bare = stratus_chart_new ("t");
  assert_int_equal (stratus_charts_add_scaling_markers (bare, report, NULL), 2);
  stratus_chart_free (bare);
  /* A group's own charts carry only its own scaling. */
  bare = stratus_chart_new ("t");
  assert_int_equal (stratus_charts_add_scaling_markers (bare, report, "another-group"), 0);
  stratus_chart_free (bare);
  stratus_report_free (report);
  stratus_scenario_free (s);
}

/* A marker draws a triangle on the x axis at its time, in vermillion pointing up or blue
 * pointing down, and a dotted line up the plot; without markers those pixels stay as they
 * were; a marker outside the x range draws nothing. */
static void
marker_pixels (void **state)
{
  (void) state;
  StratusChart *plain = stratus_chart_new ("markers");
  stratus_chart_set_x_range (plain, 0, 100);
  unsigned series = stratus_chart_add_series (plain, "flat", STRATUS_COLOUR_GREEN,
                                              STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  stratus_chart_add_point (plain, series, 0, 10);
  stratus_chart_add_point (plain, series, 100, 10);
  StratusChart *marked = stratus_chart_new ("markers");
  stratus_chart_set_x_range (marked, 0, 100);
  series = stratus_chart_add_series (marked, "flat", STRATUS_COLOUR_GREEN, STRATUS_AXIS_LEFT,
                                     STRATUS_SERIES_LINE);
  stratus_chart_add_point (marked, series, 0, 10);
  stratus_chart_add_point (marked, series, 100, 10);
  stratus_chart_add_marker (marked, 25, STRATUS_MARKER_UP);
  stratus_chart_add_marker (marked, 75, STRATUS_MARKER_DOWN);
  stratus_chart_add_marker (marked, 150, STRATUS_MARKER_DOWN);
  cairo_surface_t *a = render (plain, W, H), *b = render (marked, W, H);
  double px, py, pw, ph;
  stratus_chart_plot_area (marked, W, H, &px, &py, &pw, &ph);
  double up_x, down_x, y0;
  assert_true (stratus_chart_map (marked, W, H, STRATUS_AXIS_LEFT, 25, 0, &up_x, &y0));
  assert_true (stratus_chart_map (marked, W, H, STRATUS_AXIS_LEFT, 75, 0, &down_x, &y0));
  int bottom = (int) (py + ph);
  double vermillion[3], blue[3];
  stratus_chart_colour_rgb (STRATUS_COLOUR_VERMILLION, vermillion);
  stratus_chart_colour_rgb (STRATUS_COLOUR_BLUE, blue);
  /* Up: wide at the axis; down: wide at the top of the triangle, narrow at the axis. */
  assert_true (close_to (pixel (b, (int) up_x, bottom - 2), vermillion, 10));
  assert_true (close_to (pixel (b, (int) up_x - 3, bottom - 1), vermillion, 10));
  assert_int_equal (pixel (b, (int) up_x - 3, bottom - 7), 0xFFFFFF);
  assert_true (close_to (pixel (b, (int) down_x, bottom - 2), blue, 10));
  assert_true (close_to (pixel (b, (int) down_x - 3, bottom - 7), blue, 10));
  assert_int_equal (pixel (b, (int) down_x - 3, bottom - 1), 0xFFFFFF);
  assert_int_equal (pixel (a, (int) up_x, bottom - 2), 0xFFFFFF);
  assert_int_equal (pixel (a, (int) down_x, bottom - 2), 0xFFFFFF);
  /* The dotted line: some pixel of the column above the triangle is darker than white. */
  bool dotted = false;
  for (int y = (int) py + 5; y < (int) py + 40; y++)
    dotted = dotted || pixel (b, (int) up_x, y) != pixel (a, (int) up_x, y);
  assert_true (dotted);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);

  /* Only in-range markers are drawn: removing the one at 150 changes no pixel. */
  StratusChart *two = stratus_chart_new ("markers");
  stratus_chart_set_x_range (two, 0, 100);
  series = stratus_chart_add_series (two, "flat", STRATUS_COLOUR_GREEN, STRATUS_AXIS_LEFT,
                                     STRATUS_SERIES_LINE);
  stratus_chart_add_point (two, series, 0, 10);
  stratus_chart_add_point (two, series, 100, 10);
  stratus_chart_add_marker (two, 25, STRATUS_MARKER_UP);
  stratus_chart_add_marker (two, 75, STRATUS_MARKER_DOWN);
  a = render (two, W, H);
  b = render (marked, W, H);
  assert_memory_equal (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                       (size_t) cairo_image_surface_get_stride (a) * H);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  stratus_chart_free (two);
  stratus_chart_free (plain);
  stratus_chart_free (marked);
}

/* A span shades its stretch of the plot, clipped to the x range, and nothing outside;
 * invalid spans are ignored. */
static void
span_pixels (void **state)
{
  StratusChart *c = stratus_chart_new ("spans");
  stratus_chart_set_x_range (c, 0, 100);
  unsigned series = stratus_chart_add_series (c, "flat", STRATUS_COLOUR_GREEN,
                                              STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
  stratus_chart_add_point (c, series, 0, 10);
  stratus_chart_add_point (c, series, 100, 10);
  stratus_chart_add_span (c, 20, 40);
  stratus_chart_add_span (c, 80, INFINITY);
  stratus_chart_add_span (c, NAN, 10);
  stratus_chart_add_span (c, 50, 30);
  assert_int_equal (stratus_chart_span_count (c), 2);
  double from, to;
  stratus_chart_span (c, 1, &from, &to);
  assert_true (from == 80 && isinf (to));
  StratusChart *plain = stratus_chart_new ("spans");
  stratus_chart_set_x_range (plain, 0, 100);
  series = stratus_chart_add_series (plain, "flat", STRATUS_COLOUR_GREEN, STRATUS_AXIS_LEFT,
                                     STRATUS_SERIES_LINE);
  stratus_chart_add_point (plain, series, 0, 10);
  stratus_chart_add_point (plain, series, 100, 10);
  cairo_surface_t *img = render (c, W, H), *ref = render (plain, W, H);
  double px, py, pw, ph, x33, x57, x93, y;
  stratus_chart_plot_area (c, W, H, &px, &py, &pw, &ph);
  assert_true (stratus_chart_map (c, W, H, STRATUS_AXIS_LEFT, 33, 0, &x33, &y));
  assert_true (stratus_chart_map (c, W, H, STRATUS_AXIS_LEFT, 57, 0, &x57, &y));
  assert_true (stratus_chart_map (c, W, H, STRATUS_AXIS_LEFT, 93, 0, &x93, &y));
  int row = (int) (py + ph / 3) + 1;
  /* Shaded inside the spans (the open one to the end), untouched between them. */
  assert_true (pixel (img, (int) x33, row) != pixel (ref, (int) x33, row));
  assert_true (pixel (img, (int) x93, row) != pixel (ref, (int) x93, row));
  assert_int_equal (pixel (img, (int) x57, row), pixel (ref, (int) x57, row));
  cairo_surface_destroy (ref);
  stratus_chart_free (plain);
  cairo_surface_destroy (img);
  stratus_chart_free (c);
}

/* Drops pango's and cairo's caches, so that the leak checker sees only our own memory. */
static int
release_fonts (void **state)
{
  (void) state;
  stratus_plot_shutdown ();
  return 0;
}

/* LeakSanitizer: fontconfig, initialised by pango in a thread of its own, loses a few
 * hundred bytes of its configuration now and then (third-party, not ours: every frame is
 * inside libfontconfig, called from pango's initialisation). */
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (chart_table_names),
    cmocka_unit_test (constant_series_pixels),
    cmocka_unit_test (right_axis_and_band_pixels),
    cmocka_unit_test_setup_teardown (edge_cases_render, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (write_errors, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (same_chart_same_bytes, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (report_files, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (report_bands, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (report_series_choice),
    cmocka_unit_test_setup_teardown (report_empty, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (group_chart_files, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (group_chart_series),
    cmocka_unit_test (scaling_markers),
    cmocka_unit_test (marker_pixels),
    cmocka_unit_test (span_pixels),
  };
  return cmocka_run_group_tests (tests, NULL, release_fonts);
}
