/* Plot files: formats, surfaces recording into memory, SVG normalisation and writing, for
 * the charts and the diagram alike (see plot_output.h). */
#include "plot_output.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

/* ---- formats ----------------------------------------------------------------------------- */

/* The names of the formats, in the order of StratusPlotFormat. */
static const char *const format_names[] = { "png", "svg", "pdf" };

/* Public (stratus/plot.h): a format by its name, for --charts. */
bool
stratus_plot_format_parse (const char *name, StratusPlotFormat *out)
{
  if (name == NULL)
    return false;
  for (size_t i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *out = (StratusPlotFormat) i;
        return true;
      }
  return false;
}

/* Public (stratus/plot.h): a format's extension; static, "png" for an unknown format. */
const char *
stratus_plot_format_extension (StratusPlotFormat format)
{
  return (size_t) format < G_N_ELEMENTS (format_names) ? format_names[format] : "png";
}

/* The format named by `path`'s suffix, any case; false (and *out untouched) for another. */
bool
plot_format_from_path (const char *path, StratusPlotFormat *out)
{
  char *lower = g_ascii_strdown (path, -1);
  bool known = false;
  for (size_t i = 0; i < G_N_ELEMENTS (format_names) && !known; i++)
    {
      char *suffix = g_strconcat (".", format_names[i], NULL);
      if (g_str_has_suffix (lower, suffix))
        {
          *out = (StratusPlotFormat) i;
          known = true;
        }
      g_free (suffix);
    }
  g_free (lower);
  return known;
}

/* ---- surfaces ---------------------------------------------------------------------------- */

/* cairo write callback: appends to the GByteArray `closure`; never fails. */
static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Fills `out` with a new surface of `format` and returns a new context on it (see the
 * header). */
cairo_t *
plot_output_begin (PlotOutput *out, StratusPlotFormat format, double width, double height,
                   double png_scale, const PlotPdfInfo *pdf)
{
  out->bytes = g_byte_array_new ();
  switch (format)
    {
    case STRATUS_PLOT_SVG:
      out->format = STRATUS_PLOT_SVG;
      out->surface = cairo_svg_surface_create_for_stream (append_bytes, out->bytes, width, height);
      cairo_svg_surface_restrict_to_version (out->surface, CAIRO_SVG_VERSION_1_1);
      cairo_svg_surface_set_document_unit (out->surface, CAIRO_SVG_UNIT_PT);
      break;
    case STRATUS_PLOT_PDF:
      out->format = STRATUS_PLOT_PDF;
      out->surface = cairo_pdf_surface_create_for_stream (append_bytes, out->bytes, width, height);
      cairo_pdf_surface_set_metadata (out->surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                      pdf->create_date);
      cairo_pdf_surface_set_metadata (out->surface, CAIRO_PDF_METADATA_TITLE, pdf->title);
      cairo_pdf_surface_set_metadata (out->surface, CAIRO_PDF_METADATA_CREATOR, pdf->creator);
      break;
    case STRATUS_PLOT_PNG:
    default:
      out->format = STRATUS_PLOT_PNG;
      out->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width * png_scale),
                                                 (int) ceil (height * png_scale));
      break;
    }
  cairo_t *cr = cairo_create (out->surface);
  if (out->format == STRATUS_PLOT_PNG && png_scale != 1.0)
    cairo_scale (cr, png_scale, png_scale);
  return cr;
}

/* Takes `cr` and empties `out`, returning the file's bytes or NULL and a cairo error (see
 * the header). */
GByteArray *
plot_output_end (PlotOutput *out, cairo_t *cr, cairo_status_t *status)
{
  cairo_status_t st = cairo_status (cr);
  cairo_destroy (cr);
  if (st == CAIRO_STATUS_SUCCESS && out->format == STRATUS_PLOT_PNG)
    st = cairo_surface_write_to_png_stream (out->surface, append_bytes, out->bytes);
  cairo_surface_finish (out->surface);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_status (out->surface);
  cairo_surface_destroy (out->surface);
  out->surface = NULL;
  GByteArray *bytes = out->bytes;
  out->bytes = NULL;
  *status = st;
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (bytes);
      return NULL;
    }
  if (out->format == STRATUS_PLOT_SVG)
    {
      GByteArray *normal = plot_svg_normalise (bytes->data, bytes->len);
      g_byte_array_unref (bytes);
      bytes = normal;
    }
  return bytes;
}

/* ---- SVG normalisation ------------------------------------------------------------------- */

/* A new array: `data` with its "surfaceN" ids (after '"' or '#') renumbered in order of
 * first appearance (see the header). */
GByteArray *
plot_svg_normalise (const guint8 *data, gsize len)
{
  static const char word[] = "surface";
  const gsize wlen = sizeof word - 1;
  GByteArray *out = g_byte_array_sized_new ((guint) len);
  /* old number (a string of digits, owned) -> new number */
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize copied = 0; /* data[0 .. copied) is in `out` */
  gsize i = 0;
  while (i < len)
    {
      const guint8 *p = data + i;
      gsize rest = len - i;
      if (rest > wlen + 1 && (p[0] == '"' || p[0] == '#') && memcmp (p + 1, word, wlen) == 0
          && g_ascii_isdigit (p[1 + wlen]))
        {
          gsize d = 1 + wlen;
          while (d < rest && g_ascii_isdigit (p[d]))
            d++;
          char *old = g_strndup ((const char *) p + 1 + wlen, d - 1 - wlen);
          gpointer index = g_hash_table_lookup (seen, old);
          if (index == NULL)
            {
              index = GUINT_TO_POINTER (g_hash_table_size (seen) + 1);
              g_hash_table_insert (seen, old, index);
            }
          else
            g_free (old);
          if (i > copied)
            g_byte_array_append (out, data + copied, (guint) (i - copied));
          char *replacement = g_strdup_printf ("%c%s%u", p[0], word, GPOINTER_TO_UINT (index));
          g_byte_array_append (out, (const guint8 *) replacement, (guint) strlen (replacement));
          g_free (replacement);
          i += d;
          copied = i;
          continue;
        }
      i++;
    }
  if (len > copied)
    g_byte_array_append (out, data + copied, (guint) (len - copied));
  g_hash_table_unref (seen);
  return out;
}

/* ---- files ------------------------------------------------------------------------------- */

/* Writes the bytes to `path` atomically through g_file_set_contents_full (see the header). */
bool
plot_output_write (const char *path, const guint8 *data, gsize len, GError **error)
{
  static const char empty[] = "";
  /* Written beside `path` under a temporary name, then renamed. */
  return g_file_set_contents_full (path, data != NULL ? (const char *) data : empty,
                                   (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}

/* Draws the chart and writes it as a file of `format` (see the header). */
bool
plot_output_write_chart (const char *path, StratusPlotFormat format, int width, int height,
                         const char *title, PlotRenderFunc render, const void *chart,
                         GError **error)
{
  if (width <= 0 || height <= 0 || width > 32767 || height > 32767)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: bad chart size %dx%d", path,
                   width, height);
      return false;
    }
  /* A fixed date, so that the same chart gives the same bytes. */
  const PlotPdfInfo pdf = { "2000-01-01T00:00:00Z", title, "stratus" };
  PlotOutput out;
  cairo_t *cr = plot_output_begin (&out, format, width, height, 1.0, &pdf);
  render (chart, cr, width, height);
  cairo_status_t status;
  GByteArray *bytes = plot_output_end (&out, cr, &status);
  if (bytes == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return false;
    }
  bool ok = plot_output_write (path, bytes->data, bytes->len, error);
  g_byte_array_unref (bytes);
  return ok;
}

/* The errno behind each GFileError, the inverse of g_file_error_from_errno (which maps any
 * other errno to G_FILE_ERROR_FAILED). */
static const struct
{
  GFileError code;
  int errnum;
} file_errnos[] = {
  { G_FILE_ERROR_EXIST, EEXIST },   { G_FILE_ERROR_ISDIR, EISDIR },
  { G_FILE_ERROR_ACCES, EACCES },   { G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG },
  { G_FILE_ERROR_NOENT, ENOENT },   { G_FILE_ERROR_NOTDIR, ENOTDIR },
  { G_FILE_ERROR_NXIO, ENXIO },     { G_FILE_ERROR_NODEV, ENODEV },
  { G_FILE_ERROR_ROFS, EROFS },     { G_FILE_ERROR_TXTBSY, ETXTBSY },
  { G_FILE_ERROR_FAULT, EFAULT },   { G_FILE_ERROR_LOOP, ELOOP },
  { G_FILE_ERROR_NOSPC, ENOSPC },   { G_FILE_ERROR_NOMEM, ENOMEM },
  { G_FILE_ERROR_MFILE, EMFILE },   { G_FILE_ERROR_NFILE, ENFILE },
  { G_FILE_ERROR_BADF, EBADF },     { G_FILE_ERROR_INVAL, EINVAL },
  { G_FILE_ERROR_PIPE, EPIPE },     { G_FILE_ERROR_AGAIN, EAGAIN },
  { G_FILE_ERROR_INTR, EINTR },     { G_FILE_ERROR_IO, EIO },
  { G_FILE_ERROR_PERM, EPERM },     { G_FILE_ERROR_NOSYS, ENOSYS },
};

/* The system's wording of a G_FILE_ERROR, else the error's message (see the header). */
const char *
plot_output_error_reason (const GError *error)
{
  if (error->domain == G_FILE_ERROR)
    for (size_t i = 0; i < G_N_ELEMENTS (file_errnos); i++)
      if (error->code == (int) file_errnos[i].code)
        return g_strerror (file_errnos[i].errnum);
  return error->message;
}
