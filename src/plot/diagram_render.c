/* Architecture diagrams: drawing the laid-out diagram with cairo and pango, and writing it
 * as SVG (normalised, so the same diagram gives the same bytes), PNG or PDF. */
#include "diagram_private.h"
#include "plot_output.h"

#include <math.h>
#include <string.h>
#include <cairo.h>

/* ---- rendering ---------------------------------------------------------------------------------- */

/* Sets the source to the colour 0xRRGGBB. */
static void
set_colour (cairo_t *cr, guint32 c)
{
  cairo_set_source_rgb (cr, (c >> 16 & 0xff) / 255.0, (c >> 8 & 0xff) / 255.0, (c & 0xff) / 255.0);
}

/* Adds a rectangle with corners of radius r (0: square) to the path. */
static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  if (r <= 0)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Draws `text` with its logical top-left at (x, y); lines without their own colour in `colour`. */
static void
draw_text (cairo_t *cr, PangoContext *ctx, const char *text, const Font *font, bool centred,
           double x, double y, guint32 colour)
{
  PangoLayout *layout = diagram_text_layout (ctx, text, font, centred);
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  set_colour (cr, colour);
  cairo_move_to (cr, x - logical.x / (double) PANGO_SCALE, y - logical.y / (double) PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* Draws a box in its style: fill, border, and its label (title at the top left or centred). */
static void
draw_box (cairo_t *cr, const StratusDiagram *d, const Box *b)
{
  const Style *st = b->style;
  const StratusDiagramBox *p = &b->pub;
  rounded_rect (cr, p->x, p->y, p->width, p->height, st->radius);
  if (st->fill != NONE)
    {
      set_colour (cr, st->fill);
      cairo_fill_preserve (cr);
    }
  if (st->stroke != NONE)
    {
      set_colour (cr, st->stroke);
      cairo_set_line_width (cr, st->line_width);
      double dash[] = { st->dash, st->dash * 0.6 };
      cairo_set_dash (cr, dash, st->dash > 0 ? 2 : 0, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  else
    cairo_new_path (cr);
  if (st->container)
    {
      double tx, ty;
      diagram_title_origin (b, &tx, &ty);
      draw_text (cr, d->pango, p->label, &st->font, false, tx, ty, TEXT_DARK);
    }
  else
    draw_text (cr, d->pango, p->label, &st->font, true, p->x + (p->width - b->text_w) / 2,
               p->y + (p->height - b->text_h) / 2, TEXT_DARK);
}

#define CORNER_R 8.0

/* The length of the line draw_arrow_line strokes (corners rounded, stopping at the head). */
static double
drawn_length (const StratusDiagramPoint *p, guint n)
{
  double len = 0;
  for (guint i = 0; i + 1 < n; i++)
    len += hypot (p[i + 1].x - p[i].x, p[i + 1].y - p[i].y);
  for (guint i = 1; i + 1 < n; i++)
    {
      double lin = hypot (p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);
      double lout = hypot (p[i + 1].x - p[i].x, p[i + 1].y - p[i].y);
      double r = MIN (CORNER_R, MIN (lin, lout) / 2);
      len -= (2 - G_PI / 2) * r;
    }
  return len - (HEAD_LEN - 1);
}

/* The colour of an arrow of `kind` and of its label: orange for outbound calls, blue for
 * database queries, dark for requests. */
static guint32
arrow_colour (const char *kind)
{
  if (strcmp (kind, "outbound") == 0)
    return OUTBOUND_COLOUR;
  return strcmp (kind, "query") == 0 ? QUERY_COLOUR : REQUEST_COLOUR;
}

/* Colour, width and dashes of an arrow: requests solid, outbound calls dashed, database
 * queries in short dashes. Arrows sharing lines keep their dashes in step: the dashes start
 * at the tail of arrows fanning out of a shared source (`from_tail`), and are anchored at
 * the head of the others (which merge into a shared target, if any). */
static void
arrow_style (cairo_t *cr, const char *kind, const StratusDiagramPoint *p, guint n, bool from_tail)
{
  bool out = strcmp (kind, "outbound") == 0, query = strcmp (kind, "query") == 0;
  set_colour (cr, arrow_colour (kind));
  cairo_set_line_width (cr, 1.6);
  double dash[] = { query ? 2.5 : 6, query ? 2.5 : 3.5 };
  double period = dash[0] + dash[1];
  double offset = from_tail ? 0 : fmod (period - fmod (drawn_length (p, n), period), period);
  cairo_set_dash (cr, dash, out || query ? 2 : 0, offset);
}

/* True if another arrow of the same kind leaves the same box for another one. */
static bool
fans_out (const StratusDiagram *d, const StratusDiagramArrow *a)
{
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const StratusDiagramArrow *o = g_ptr_array_index (d->arrows, i);
      if (o != a && o->from == a->from && o->to != a->to && strcmp (o->kind, a->kind) == 0)
        return true;
    }
  return false;
}

/* The polyline with rounded corners, stopping short of the head. */
static void
draw_arrow_line (cairo_t *cr, const StratusDiagramPoint *p, guint n)
{
  StratusDiagramPoint end = p[n - 1];
  double dx = p[n - 1].x - p[n - 2].x, dy = p[n - 1].y - p[n - 2].y;
  double len = hypot (dx, dy);
  if (len > 0)
    {
      end.x -= dx / len * (HEAD_LEN - 1);
      end.y -= dy / len * (HEAD_LEN - 1);
    }
  cairo_move_to (cr, p[0].x, p[0].y);
  for (guint i = 1; i + 1 < n; i++)
    {
      double inx = p[i].x - p[i - 1].x, iny = p[i].y - p[i - 1].y;
      double outx = p[i + 1].x - p[i].x, outy = p[i + 1].y - p[i].y;
      double lin = hypot (inx, iny), lout = hypot (outx, outy);
      double r = MIN (CORNER_R, MIN (lin, lout) / 2);
      if (lin <= 0 || lout <= 0 || r <= 0)
        {
          cairo_line_to (cr, p[i].x, p[i].y);
          continue;
        }
      double ax = p[i].x - inx / lin * r, ay = p[i].y - iny / lin * r;
      double bx = p[i].x + outx / lout * r, by = p[i].y + outy / lout * r;
      cairo_line_to (cr, ax, ay);
      cairo_curve_to (cr, ax + inx / lin * r * 0.55, ay + iny / lin * r * 0.55,
                      bx - outx / lout * r * 0.55, by - outy / lout * r * 0.55, bx, by);
    }
  cairo_line_to (cr, end.x, end.y);
  cairo_stroke (cr);
}

/* Fills an arrowhead at `tip`, pointing away from `from`. */
static void
draw_head (cairo_t *cr, StratusDiagramPoint from, StratusDiagramPoint tip)
{
  double dx = tip.x - from.x, dy = tip.y - from.y, len = hypot (dx, dy);
  if (len <= 0)
    return;
  dx /= len;
  dy /= len;
  cairo_move_to (cr, tip.x, tip.y);
  cairo_line_to (cr, tip.x - dx * HEAD_LEN - dy * HEAD_HALF, tip.y - dy * HEAD_LEN + dx * HEAD_HALF);
  cairo_line_to (cr, tip.x - dx * HEAD_LEN + dy * HEAD_HALF, tip.y - dy * HEAD_LEN - dx * HEAD_HALF);
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* Draws the legend's samples and texts. */
static void
draw_legend (cairo_t *cr, const StratusDiagram *d)
{
  for (guint i = 0; i < d->keys->len; i++)
    {
      const Key *k = &g_array_index (d->keys, Key, i);
      double mid = k->y + k->h / 2;
      switch (k->kind)
        {
        case KEY_PUBLIC:
        case KEY_PRIVATE:
          {
            const Style *st = k->kind == KEY_PUBLIC ? &STYLE_PUBLIC : &STYLE_PRIVATE;
            rounded_rect (cr, k->x, mid - 7, k->sample_w, 14, 3);
            set_colour (cr, st->fill);
            cairo_fill_preserve (cr);
            set_colour (cr, st->stroke);
            cairo_set_line_width (cr, 1.2);
            cairo_stroke (cr);
            break;
          }
        case KEY_REQUEST:
        case KEY_OUTBOUND:
        case KEY_QUERY:
          {
            StratusDiagramPoint p[2] = { { k->x, mid }, { k->x + k->sample_w, mid } };
            arrow_style (cr, k->kind == KEY_OUTBOUND ? "outbound"
                             : k->kind == KEY_QUERY  ? "query"
                                                     : "request",
                         p, 2, true);
            draw_arrow_line (cr, p, 2);
            cairo_set_dash (cr, NULL, 0, 0);
            draw_head (cr, p[0], p[1]);
            break;
          }
        case KEY_CHAIN:
          draw_text (cr, d->pango, k->sample, &KEY_SG_FONT, false, k->x, k->y, SG_COLOUR);
          break;
        }
      draw_text (cr, d->pango, k->text, &KEY_FONT, false, k->text_x, k->y, TEXT_GREY);
    }
}

/* True for region, VPC, AZ and subnet boxes (drawn behind the arrows). */
static bool
is_container (const Box *b)
{
  return b->style->container;
}

/* Draws the diagram: containers, arrow lines, nodes, arrowheads, labels, legend. */
static void
render (cairo_t *cr, const StratusDiagram *d)
{
  pango_cairo_update_context (cr, d->pango);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  set_colour (cr, 0xFFFFFF);
  cairo_paint (cr);

  draw_text (cr, d->pango, d->heading, &HEADING_FONT, false, d->heading_x, d->heading_y, TEXT_DARK);
  for (guint i = 0; i < d->boxes->len; i++)
    {
      const Box *b = g_ptr_array_index (d->boxes, i);
      if (is_container (b))
        draw_box (cr, d, b);
    }
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const StratusDiagramArrow *a = g_ptr_array_index (d->arrows, i);
      arrow_style (cr, a->kind, a->points, a->n_points, fans_out (d, a));
      draw_arrow_line (cr, a->points, a->n_points);
    }
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < d->boxes->len; i++)
    {
      const Box *b = g_ptr_array_index (d->boxes, i);
      if (!is_container (b) && strcmp (b->pub.kind, "legend") != 0)
        draw_box (cr, d, b);
    }
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const StratusDiagramArrow *a = g_ptr_array_index (d->arrows, i);
      arrow_style (cr, a->kind, a->points, a->n_points, fans_out (d, a));
      cairo_set_dash (cr, NULL, 0, 0);
      draw_head (cr, a->points[a->n_points - 2], a->points[a->n_points - 1]);
    }
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const StratusDiagramArrow *a = g_ptr_array_index (d->arrows, i);
      if (a->label == NULL)
        continue;
      guint32 colour = arrow_colour (a->kind);
      rounded_rect (cr, a->label_x, a->label_y, a->label_width, a->label_height, 4);
      set_colour (cr, 0xFFFFFF);
      cairo_fill_preserve (cr);
      set_colour (cr, colour);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
      double w, h;
      PangoLayout *layout = diagram_text_layout (d->pango, a->label, &PILL_FONT, true);
      PangoRectangle logical;
      pango_layout_get_extents (layout, NULL, &logical);
      w = logical.width / (double) PANGO_SCALE;
      h = logical.height / (double) PANGO_SCALE;
      g_object_unref (layout);
      draw_text (cr, d->pango, a->label, &PILL_FONT, true, a->label_x + (a->label_width - w) / 2,
                 a->label_y + (a->label_height - h) / 2, colour);
    }
  draw_legend (cr, d);
}

/* ---- writing -------------------------------------------------------------------------------------- */

/* Public (stratus/diagram.h): the diagram as PNG, SVG or PDF by `path`'s suffix, through
 * plot_output; false with a STRATUS_DIAGRAM_ERROR set (nothing written) if it could not. */
bool
stratus_diagram_write (const StratusDiagram *d, const char *path, GError **error)
{
  StratusPlotFormat format;
  if (!plot_format_from_path (path, &format))
    {
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_FORMAT,
                   "%s: unknown format: use .svg, .png or .pdf", path);
      return false;
    }

  /* no creation date: the same diagram gives the same file */
  char *title = g_strndup (d->heading, strcspn (d->heading, "\n"));
  const PlotPdfInfo pdf = { "", title, "stratus diagram" };
  PlotOutput out;
  cairo_t *cr = plot_output_begin (&out, format, d->width, d->height, PNG_SCALE, &pdf);
  g_free (title);
  render (cr, d);
  cairo_status_t status;
  GByteArray *bytes = plot_output_end (&out, cr, &status);
  if (bytes == NULL)
    {
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_RENDER, "%s: cannot draw: %s",
                   path, cairo_status_to_string (status));
      return false;
    }
  GError *write_error = NULL;
  bool ok = plot_output_write (path, bytes->data, bytes->len, &write_error);
  g_byte_array_unref (bytes);
  if (!ok)
    {
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_IO, "%s: cannot write: %s",
                   path, plot_output_error_reason (write_error));
      g_error_free (write_error);
    }
  return ok;
}
