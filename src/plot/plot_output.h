/* Plot files (plot_output.c), shared by the charts (chart.c) and the diagram
 * (diagram_render.c): the formats, a cairo surface per format recording into memory, the
 * normalisation that makes an SVG the same bytes every time, and the write through
 * g_file_set_contents_full. Private to src/plot/.
 *
 * Use: plot_output_begin gives a cairo context to draw on, plot_output_end takes it back and
 * gives the file's bytes, plot_output_write writes them. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <stdbool.h>

#include "stratus/plot.h"

/* The format of `path` by its suffix (".png", ".svg", ".pdf", any case) into *out; false for
 * any other (then *out is untouched). The caller words the error. */
bool plot_format_from_path (const char *path, StratusPlotFormat *out);

/* The PDF's document information, set as given (NULL included) on every PDF; ignored by
 * the other formats. Borrowed for the call to plot_output_begin. */
typedef struct
{
  const char *create_date; /* ISO 8601 ("2000-01-01T00:00:00Z"), or "" for none */
  const char *title;
  const char *creator;
} PlotPdfInfo;

/* A surface being drawn into memory; on the caller's stack, filled by plot_output_begin and
 * emptied by plot_output_end. */
typedef struct
{
  StratusPlotFormat format;
  cairo_surface_t *surface;
  GByteArray *bytes; /* what cairo has written so far */
} PlotOutput;

/* Starts `out`: a surface of `format` recording into memory, `width` x `height` points for
 * SVG (version 1.1, in pt) and PDF, ceil (width * png_scale) x ceil (height * png_scale)
 * pixels for PNG (RGB, no alpha); an unknown format is PNG. Returns a new context on it,
 * scaled by png_scale for PNG, which the caller draws on and hands to plot_output_end. */
cairo_t *plot_output_begin (PlotOutput *out, StratusPlotFormat format, double width,
                            double height, double png_scale, const PlotPdfInfo *pdf);

/* Ends `out`: destroys `cr`, encodes the PNG, finishes the surface and normalises an SVG.
 * Returns the file's bytes (the caller's: g_byte_array_unref), or NULL with *status set
 * to the first cairo error (drawing, encoding or finishing). `out` is empty afterwards. */
GByteArray *plot_output_end (PlotOutput *out, cairo_t *cr, cairo_status_t *status);

/* cairo names an SVG's groups after a process-wide surface counter (id="surface42"), which
 * would make the bytes depend on what was drawn before: returns a new array (the caller's)
 * with each distinct "surfaceN" that follows '"' or '#' renamed surface1, surface2... in
 * order of first appearance; every other byte is copied as is. */
GByteArray *plot_svg_normalise (const guint8 *data, gsize len);

/* Writes `len` bytes to `path` through g_file_set_contents_full (a temporary file beside
 * it, renamed over it, mode 0666 less the umask; nothing left behind on failure). False
 * with GLib's G_FILE_ERROR set if it could not. */
bool plot_output_write (const char *path, const guint8 *data, gsize len, GError **error);

/* Draws a chart on a cairo context of (0, 0) .. (width, height): the renderer of
 * plot_output_write_chart. */
typedef void (*PlotRenderFunc) (const void *chart, cairo_t *cr, double width, double height);

/* Draws `chart` with `render` on a `width` x `height` canvas of `format` (a PDF titled
 * `title`, with a fixed date) and writes it to `path` through plot_output_write; the bytes
 * depend only on the chart and the size. False with a G_FILE_ERROR set if the size is not
 * 1 to 32767 each way, or the chart could not be drawn or written. */
bool plot_output_write_chart (const char *path, StratusPlotFormat format, int width, int height,
                              const char *title, PlotRenderFunc render, const void *chart,
                              GError **error);

/* Why a write failed, in a few words: g_strerror of the errno behind a G_FILE_ERROR of
 * plot_output_write ("No such file or directory"), else the error's whole message.
 * Borrowed from GLib or from `error`. */
const char *plot_output_error_reason (const GError *error);
