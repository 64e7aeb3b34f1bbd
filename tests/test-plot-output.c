/* Plot files (src/plot/plot_output.c), which the charts and the diagram share: format names
 * and suffixes, the surface of each format (signature, size, PDF information, PNG scale,
 * cairo errors), the SVG normalisation of cairo's surface ids, and the atomic write
 * (the bytes, the mode, no temporary file left, a GError and no file on failure). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tmpdir.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/plot_output.h"
#include "stratus/plot.h"

/* Asserts that `bytes` holds exactly the `len` bytes of `expected`. */
static void
assert_bytes (const GByteArray *bytes, const void *expected, gsize len)
{
  assert_non_null (bytes);
  if (bytes->len != len || memcmp (bytes->data, expected, len) != 0)
    fail_msg ("got %u bytes \"%.*s\", expected %zu \"%.*s\"", bytes->len, (int) bytes->len,
              (const char *) bytes->data, len, (int) len, (const char *) expected);
}

/* Whether `len` bytes at `data` contain the string `needle`. */
static bool
contains (const guint8 *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return true;
  return false;
}

/* The number of entries in `dir`. */
static int
count_entries (const char *dir)
{
  GDir *listing = g_dir_open (dir, 0, NULL);
  assert_non_null (listing);
  int n = 0;
  while (g_dir_read_name (listing) != NULL)
    n++;
  g_dir_close (listing);
  return n;
}

/* ---- formats ----------------------------------------------------------------------------- */

static void
format_names (void **state)
{
  (void) state;
  StratusPlotFormat f = STRATUS_PLOT_PDF;
  assert_true (stratus_plot_format_parse ("png", &f));
  assert_int_equal (f, STRATUS_PLOT_PNG);
  assert_true (stratus_plot_format_parse ("Svg", &f));
  assert_int_equal (f, STRATUS_PLOT_SVG);
  assert_true (stratus_plot_format_parse ("PDF", &f));
  assert_int_equal (f, STRATUS_PLOT_PDF);
  assert_false (stratus_plot_format_parse (".pdf", &f));
  assert_false (stratus_plot_format_parse ("jpg", &f));
  assert_false (stratus_plot_format_parse ("gif", &f));
  assert_false (stratus_plot_format_parse ("", &f));
  assert_false (stratus_plot_format_parse (NULL, &f));
  assert_int_equal (f, STRATUS_PLOT_PDF);
  assert_string_equal (stratus_plot_format_extension (STRATUS_PLOT_PNG), "png");
  assert_string_equal (stratus_plot_format_extension (STRATUS_PLOT_SVG), "svg");
  assert_string_equal (stratus_plot_format_extension (STRATUS_PLOT_PDF), "pdf");
  assert_string_equal (stratus_plot_format_extension ((StratusPlotFormat) 7), "png");
}

static void
format_suffixes (void **state)
{
  (void) state;
  static const struct
  {
    const char *path;
    StratusPlotFormat format;
  } known[] = {
    { "arch.svg", STRATUS_PLOT_SVG },     { "out/arch.PNG", STRATUS_PLOT_PNG },
    { "a.b/arch.Pdf", STRATUS_PLOT_PDF }, { ".png", STRATUS_PLOT_PNG },
    { "x.pdf.svg", STRATUS_PLOT_SVG },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (known); i++)
    {
      StratusPlotFormat f = (StratusPlotFormat) 99;
      if (!plot_format_from_path (known[i].path, &f) || f != known[i].format)
        fail_msg ("%s: format %d, expected %d", known[i].path, f, known[i].format);
    }
  static const char *const unknown[] = { "arch.jpg", "svg", "arch", "arch.svg/", "arch.svgz",
                                         "png.d/arch", "arch.png ", "" };
  for (size_t i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      StratusPlotFormat f = (StratusPlotFormat) 99;
      if (plot_format_from_path (unknown[i], &f) || f != (StratusPlotFormat) 99)
        fail_msg ("\"%s\" taken as format %d", unknown[i], f);
    }
}

/* ---- SVG normalisation ------------------------------------------------------------------- */

static void
svg_normalise_ids (void **state)
{
  (void) state;
  static const char in[]
    = "<svg><defs><g><symbol overflow=\"visible\" id=\"glyph0-1\"><path d=\"M 0 0\"/></symbol>"
      "</g><clipPath id=\"clip1\"><rect/></clipPath></defs>\n"
      "<g id=\"surface42\" clip-path=\"url(#clip1)\"><use xlink:href=\"#glyph0-1\"/>"
      "<use xlink:href=\"#surface7\"/><use xlink:href=\"#surface42\"/>"
      "<use xlink:href=\"#surface007\"/>"
      " surface9 xsurface9 \"surface\" #surfaceX \"surface12a\" #surface";
  static const char want[]
    = "<svg><defs><g><symbol overflow=\"visible\" id=\"glyph0-1\"><path d=\"M 0 0\"/></symbol>"
      "</g><clipPath id=\"clip1\"><rect/></clipPath></defs>\n"
      "<g id=\"surface1\" clip-path=\"url(#clip1)\"><use xlink:href=\"#glyph0-1\"/>"
      "<use xlink:href=\"#surface2\"/><use xlink:href=\"#surface1\"/>"
      "<use xlink:href=\"#surface3\"/>"
      " surface9 xsurface9 \"surface\" #surfaceX \"surface4a\" #surface";
  GByteArray *out = plot_svg_normalise ((const guint8 *) in, sizeof in - 1);
  assert_bytes (out, want, sizeof want - 1);
  g_byte_array_unref (out);

  /* An id at the very end, and bytes (a NUL) copied as they are. */
  static const guint8 tail[] = { 'a', 0, 'b', '"', 's', 'u', 'r', 'f', 'a', 'c', 'e', '5', '5' };
  static const guint8 tail_want[] = { 'a', 0, 'b', '"', 's', 'u', 'r', 'f', 'a', 'c', 'e', '1' };
  out = plot_svg_normalise (tail, sizeof tail);
  assert_bytes (out, tail_want, sizeof tail_want);
  g_byte_array_unref (out);

  /* Nothing to rename: the same bytes; nothing at all: nothing. */
  out = plot_svg_normalise ((const guint8 *) "<svg id=\"clip2\"/>", 17);
  assert_bytes (out, "<svg id=\"clip2\"/>", 17);
  g_byte_array_unref (out);
  out = plot_svg_normalise (NULL, 0);
  assert_int_equal (out->len, 0);
  g_byte_array_unref (out);
}

/* ---- surfaces ---------------------------------------------------------------------------- */

static const PlotPdfInfo test_pdf = { "2000-01-01T00:00:00Z", "the title", "stratus test" };

/* The bytes of a small drawing in `format`, width x height (points; PNG at `scale`). */
static GByteArray *
draw (StratusPlotFormat format, double width, double height, double scale)
{
  PlotOutput out;
  cairo_t *cr = plot_output_begin (&out, format, width, height, scale, &test_pdf);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0.45, 0.7);
  cairo_rectangle (cr, 10, 10, 20, 20);
  cairo_fill (cr);
  cairo_status_t status = CAIRO_STATUS_NO_MEMORY;
  GByteArray *bytes = plot_output_end (&out, cr, &status);
  assert_int_equal (status, CAIRO_STATUS_SUCCESS);
  assert_null (out.surface);
  assert_null (out.bytes);
  return bytes;
}

/* A big-endian 32-bit number at `p`. */
static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static void
surfaces (void **state)
{
  (void) state;
  GByteArray *png = draw (STRATUS_PLOT_PNG, 100, 50, 1.0);
  assert_true (png->len > 24 && memcmp (png->data, "\x89PNG\r\n\x1a\n", 8) == 0);
  assert_int_equal (be32 (png->data + 16), 100);
  assert_int_equal (be32 (png->data + 20), 50);
  assert_int_equal (png->data[25], 2); /* colour type 2: RGB, no alpha */
  g_byte_array_unref (png);
  png = draw (STRATUS_PLOT_PNG, 100.5, 50, 2.0); /* ceil (201) x 100 */
  assert_int_equal (be32 (png->data + 16), 201);
  assert_int_equal (be32 (png->data + 20), 100);
  GByteArray *again = draw (STRATUS_PLOT_PNG, 100.5, 50, 2.0);
  assert_bytes (again, png->data, png->len);
  g_byte_array_unref (again);
  g_byte_array_unref (png);

  /* Each SVG surface advances cairo's counter: the second file has the same bytes. */
  GByteArray *svg = draw (STRATUS_PLOT_SVG, 100, 50, 2.0);
  assert_true (g_str_has_prefix ((const char *) svg->data, "<?xml"));
  assert_true (contains (svg->data, svg->len, "width=\"100pt\" height=\"50pt\""));
  assert_true (contains (svg->data, svg->len, "version=\"1.1\""));
  assert_true (contains (svg->data, svg->len, "id=\"surface1\""));
  again = draw (STRATUS_PLOT_SVG, 100, 50, 2.0);
  assert_bytes (again, svg->data, svg->len);
  g_byte_array_unref (again);
  g_byte_array_unref (svg);

  GByteArray *pdf = draw (STRATUS_PLOT_PDF, 100, 50, 2.0);
  assert_true (pdf->len > 5 && memcmp (pdf->data, "%PDF-", 5) == 0);
  assert_true (contains (pdf->data, pdf->len, "/Title (the title)"));
  assert_true (contains (pdf->data, pdf->len, "/Creator (stratus test)"));
  assert_true (contains (pdf->data, pdf->len, "/CreationDate (20000101000000Z)"));
  assert_true (contains (pdf->data, pdf->len, "/MediaBox [ 0 0 100 50 ]"));
  again = draw (STRATUS_PLOT_PDF, 100, 50, 2.0);
  assert_bytes (again, pdf->data, pdf->len);
  g_byte_array_unref (again);
  g_byte_array_unref (pdf);
}

/* A context left in error gives no bytes and cairo's status, in every format. */
static void
surface_errors (void **state)
{
  (void) state;
  for (int f = STRATUS_PLOT_PNG; f <= STRATUS_PLOT_PDF; f++)
    {
      PlotOutput out;
      cairo_t *cr = plot_output_begin (&out, (StratusPlotFormat) f, 10, 10, 1.0, &test_pdf);
      const double bad_dash[] = { -1.0 };
      cairo_set_dash (cr, bad_dash, 1, 0);
      cairo_status_t status = CAIRO_STATUS_SUCCESS;
      assert_null (plot_output_end (&out, cr, &status));
      assert_int_equal (status, CAIRO_STATUS_INVALID_DASH);
      assert_null (out.bytes);
    }
}

/* ---- files ------------------------------------------------------------------------------- */

static void
write_file (void **state)
{
  const char *dir = *state;
  char *path = g_build_filename (dir, "out.svg", NULL);
  assert_true (g_file_set_contents (path, "an older and longer file, to be replaced", -1, NULL));
  static const char text[] = "<svg id=\"surface1\">\n</svg>\n";
  GError *error = NULL;
  if (!plot_output_write (path, (const guint8 *) text, sizeof text - 1, &error))
    fail_msg ("%s", error->message);
  char *got;
  gsize len;
  assert_true (g_file_get_contents (path, &got, &len, NULL));
  assert_int_equal (len, sizeof text - 1);
  assert_memory_equal (got, text, len);
  g_free (got);
  assert_int_equal (count_entries (dir), 1); /* no temporary file left behind */

  mode_t mask = umask (022);
  umask (mask);
  GStatBuf st;
  assert_int_equal (g_stat (path, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0666 & ~mask);

  /* An empty file is a file. */
  assert_true (plot_output_write (path, NULL, 0, NULL));
  assert_true (g_file_get_contents (path, &got, &len, NULL));
  assert_int_equal (len, 0);
  g_free (got);
  g_free (path);
}

static void
write_errors (void **state)
{
  const char *dir = *state;
  static const guint8 text[] = "<svg/>";
  GError *error = NULL;

  /* A folder that does not exist. */
  char *missing = g_build_filename (dir, "no-such-dir", "out.svg", NULL);
  assert_false (plot_output_write (missing, text, sizeof text - 1, &error));
  assert_true (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  assert_string_equal (plot_output_error_reason (error), g_strerror (ENOENT));
  g_clear_error (&error);
  assert_int_equal (count_entries (dir), 0);
  g_free (missing);

  /* A "folder" that is a file (fails even as root). */
  char *plain = g_build_filename (dir, "plain", NULL);
  assert_true (g_file_set_contents (plain, "x", 1, NULL));
  char *under = g_build_filename (plain, "out.svg", NULL);
  assert_false (plot_output_write (under, text, sizeof text - 1, &error));
  assert_true (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR));
  assert_string_equal (plot_output_error_reason (error), g_strerror (ENOTDIR));
  g_clear_error (&error);
  assert_int_equal (count_entries (dir), 1);
  g_free (under);
  g_free (plain);

  /* A folder without write permission (not a barrier to root). */
  if (geteuid () != 0)
    {
      char *locked = g_build_filename (dir, "locked", NULL);
      assert_int_equal (g_mkdir (locked, 0500), 0);
      char *inside = g_build_filename (locked, "out.svg", NULL);
      assert_false (plot_output_write (inside, text, sizeof text - 1, &error));
      assert_true (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES));
      g_clear_error (&error);
      assert_int_equal (count_entries (locked), 0);
      g_chmod (locked, 0700);
      g_free (inside);
      g_free (locked);
    }

  /* An error without an errno behind it keeps its message. */
  error = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_FAILED, "it failed");
  assert_string_equal (plot_output_error_reason (error), "it failed");
  g_clear_error (&error);
  error = g_error_new_literal (g_quark_from_static_string ("test-error"), G_FILE_ERROR_NOENT,
                               "another domain");
  assert_string_equal (plot_output_error_reason (error), "another domain");
  g_clear_error (&error);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (format_names),
    cmocka_unit_test (format_suffixes),
    cmocka_unit_test (svg_normalise_ids),
    cmocka_unit_test (surfaces),
    cmocka_unit_test (surface_errors),
    cmocka_unit_test_setup_teardown (write_file, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (write_errors, tmpdir_setup, tmpdir_teardown),
  };
  int failed = cmocka_run_group_tests (tests, NULL, NULL);
  cairo_debug_reset_static_data ();
  return failed;
}
