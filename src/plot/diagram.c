/* Architecture diagrams: layout (boxes in AZ columns, rows of subnets), orthogonal arrow
 * routing around boxes and titles, label placement, and rendering with cairo and pango.
 *
 * Layout, top to bottom: a heading; the internet (with the clients) and the destinations of
 * outbound calls; the region; in it the VPC with the internet gateway on its top edge; in
 * it one column per AZ; in each column the AZ's subnets stacked in rows (public ones first,
 * those of a load balancer aligned), each subnet with its title on the left and its NAT
 * gateways, fleets and database members on the right, and below them the bars of the load
 * balancers whose subnets are in that row, spanning their AZ columns; a legend at the
 * bottom. Without a vpc section, each AZ column holds the load balancers' bars and then the
 * fleets' instances and the database members.
 *
 * Arrows are routed as vertical lines, or vertical-horizontal-vertical through horizontal
 * channels (between rows, under the VPC's top edge, under the internet), choosing among
 * candidate lanes the route that crosses the fewest boxes, titles and other arrows.
 *
 * What is placed where and which flows get through come from a StratusTopology of the
 * scenario, the one `stratus run` and `stratus validate` use: the diagram re-derives no
 * placement or route. It is built with the layout and freed with it, so the diagram refers
 * to neither the scenario nor the topology once built.
 *
 * This file holds the diagram object and its building; diagram_layout.c the boxes,
 * diagram_flows.c which arrows there are, diagram_arrows.c their routes and labels,
 * diagram_groups.c the boxes of Auto Scaling groups, diagram_render.c the drawing and the
 * files. */
#include "diagram_private.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

G_DEFINE_QUARK (stratus-diagram-error-quark, stratus_diagram_error)

/* The styles of boxes and texts (declared in diagram_private.h). */
const Style STYLE_REGION = { .fill = NONE, .stroke = 0x00A4A6, .line_width = 1.5,
                             .dash = 7, .font = CONTAINER_FONT (14, 0x007E80),
                             .container = true };
const Style STYLE_VPC = { .fill = NONE, .stroke = 0x3F8624, .line_width = 2.2,
                          .font = CONTAINER_FONT (14, 0x2E6B16), .container = true };
const Style STYLE_AZ = { .fill = NONE, .stroke = 0x147EBA, .line_width = 1.2,
                         .dash = 4, .radius = 4, .font = CONTAINER_FONT (13, 0x147EBA),
                         .container = true };
const Style STYLE_PUBLIC = { .fill = 0xE9F3E6, .stroke = 0x7AA116, .line_width = 1.2,
                             .radius = 4, .font = CONTAINER_FONT (12.5, 0x3B6E14),
                             .container = true };
const Style STYLE_PRIVATE = { .fill = 0xE6F2F8, .stroke = 0x147EBA, .line_width = 1.2,
                              .radius = 4, .font = CONTAINER_FONT (12.5, 0x0F5F8F),
                              .container = true };
const Style STYLE_CLOUD = { .fill = 0xF2F3F3, .stroke = 0x545B64, .line_width = 1.4,
                            .radius = 16, .font = NODE_FONT };
const Style STYLE_GATEWAY = { .fill = 0xFDEBD7, .stroke = 0xE07700, .line_width = 1.6,
                              .radius = 6, .font = NODE_FONT };
const Style STYLE_LB = { .fill = 0xEEE6FF, .stroke = 0x8C4FFF, .line_width = 1.8,
                         .radius = 6, .font = NODE_FONT };
const Style STYLE_FLEET = { .fill = 0xFFFFFF, .stroke = 0x232F3E, .line_width = 1.4,
                            .radius = 4, .font = NODE_FONT };
const Style STYLE_DB = { .fill = 0xEEF0FC, .stroke = QUERY_COLOUR, .line_width = 1.6,
                         .radius = 8, .font = NODE_FONT };
const Style STYLE_LEGEND = { .fill = NONE, .stroke = NONE,
                             .font = { .first_px = 11.5, .rest_px = 11.5,
                             .first_colour = TEXT_GREY,
                             .rest_colour = TEXT_GREY } };

const Font HEADING_FONT = { .first_px = HEADING_PX, .rest_px = 11.5, .first_bold = true,
                            .first_colour = TEXT_DARK, .rest_colour = TEXT_GREY };
const Font PILL_FONT = { .first_px = 11, .rest_px = 10.5, .rest_italic = true,
                         .first_colour = NONE, .rest_colour = SG_COLOUR };
const Font KEY_FONT = { .first_px = 11.5, .rest_px = 11.5, .first_colour = TEXT_GREY,
                        .rest_colour = TEXT_GREY };
const Font KEY_SG_FONT = { .first_px = 11, .rest_px = 11, .rest_italic = true,
                           .first_colour = SG_COLOUR, .rest_colour = SG_COLOUR };

/* Frees a Box and its strings (the boxes array's free function). */
static void
box_free (gpointer p)
{
  Box *b = p;
  g_free (b->pub.kind);
  g_free (b->pub.name);
  g_free (b->pub.label);
  g_free (b);
}

/* Frees an arrow, its strings and points (the arrows array's free function). */
static void
arrow_free (gpointer p)
{
  StratusDiagramArrow *a = p;
  g_free (a->kind);
  g_free (a->label);
  g_free (a->points);
  g_free (a);
}

/* Frees the strings of a legend entry (the keys array's clear function). */
static void
key_clear (gpointer p)
{
  Key *k = p;
  g_free (k->sample);
  g_free (k->text);
}

void
stratus_diagram_free (StratusDiagram *d)
{
  if (d == NULL)
    return;
  g_ptr_array_unref (d->boxes);
  g_ptr_array_unref (d->arrows);
  g_array_unref (d->keys);
  g_free (d->heading);
  g_object_unref (d->pango);
  g_object_unref (d->font_map);
  g_free (d);
}

void
stratus_diagram_size (const StratusDiagram *d, double *width, double *height)
{
  if (width != NULL)
    *width = d->width;
  if (height != NULL)
    *height = d->height;
}

guint
stratus_diagram_box_count (const StratusDiagram *d)
{
  return d->boxes->len;
}

const StratusDiagramBox *
stratus_diagram_box (const StratusDiagram *d, guint i)
{
  g_return_val_if_fail (i < d->boxes->len, NULL);
  return &((const Box *) g_ptr_array_index (d->boxes, i))->pub;
}

int
stratus_diagram_find_box (const StratusDiagram *d, const char *kind, const char *name)
{
  for (guint i = 0; i < d->boxes->len; i++)
    {
      const Box *b = g_ptr_array_index (d->boxes, i);
      if (strcmp (b->pub.kind, kind) == 0 && g_strcmp0 (b->pub.name, name) == 0)
        return (int) i;
    }
  return -1;
}

guint
stratus_diagram_arrow_count (const StratusDiagram *d)
{
  return d->arrows->len;
}

const StratusDiagramArrow *
stratus_diagram_arrow (const StratusDiagram *d, guint i)
{
  g_return_val_if_fail (i < d->arrows->len, NULL);
  return g_ptr_array_index (d->arrows, i);
}

/* ---- text ----------------------------------------------------------------------------- */

/* A layout of `text` (lines split at '\n') in `font`, on the diagram's own pango context.
 * Caller unrefs. */
PangoLayout *
diagram_text_layout (PangoContext *ctx, const char *text, const Font *font, bool centred)
{
  PangoLayout *layout = pango_layout_new (ctx);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);
  pango_font_description_set_absolute_size (desc, font->rest_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_alignment (layout, centred ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  pango_layout_set_spacing (layout, (int) (1.5 * PANGO_SCALE));

  const char *nl = strchr (text, '\n');
  guint first_end = nl != NULL ? (guint) (nl - text) : (guint) strlen (text);
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *a = pango_attr_size_new_absolute ((int) (font->first_px * PANGO_SCALE));
  a->start_index = 0;
  a->end_index = first_end;
  pango_attr_list_insert (attrs, a);
  if (font->first_bold)
    {
      a = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
      a->start_index = 0;
      a->end_index = first_end;
      pango_attr_list_insert (attrs, a);
    }
  if (font->first_colour != NONE)
    {
      guint32 c = font->first_colour;
      a = pango_attr_foreground_new ((guint16) ((c >> 16 & 0xff) * 257),
                                     (guint16) ((c >> 8 & 0xff) * 257), (guint16) ((c & 0xff) * 257));
      a->start_index = 0;
      a->end_index = first_end;
      pango_attr_list_insert (attrs, a);
    }
  if (nl != NULL)
    {
      if (font->rest_italic)
        {
          a = pango_attr_style_new (PANGO_STYLE_ITALIC);
          a->start_index = first_end + 1;
          pango_attr_list_insert (attrs, a);
        }
      if (font->rest_colour != NONE)
        {
          guint32 c = font->rest_colour;
          a = pango_attr_foreground_new ((guint16) ((c >> 16 & 0xff) * 257),
                                         (guint16) ((c >> 8 & 0xff) * 257),
                                         (guint16) ((c & 0xff) * 257));
          a->start_index = first_end + 1;
          pango_attr_list_insert (attrs, a);
        }
    }
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* The logical extents of `text` in `font`. */
void
diagram_text_size (StratusDiagram *d, const char *text, const Font *font, double *w, double *h)
{
  PangoLayout *layout = diagram_text_layout (d->pango, text, font, false);
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  *w = logical.width / (double) PANGO_SCALE;
  *h = logical.height / (double) PANGO_SCALE;
  g_object_unref (layout);
}

/* ---- the whole layout ------------------------------------------------------------------------ */

/* Frees the layout's working state (not the diagram), the topology included. */
static void
layout_free (Layout *L)
{
  stratus_topology_free (L->topology);
  for (guint i = 0; L->cells != NULL && i < MAX (L->n_rows, 1) * L->n_az; i++)
    if (L->cells[i].items != NULL)
      g_array_unref (L->cells[i].items);
  g_free (L->cells);
  g_free (L->az_box);
  g_free (L->nat_box);
  for (guint k = 0; k < L->destinations->len; k++)
    g_ptr_array_unref (g_array_index (L->destinations, Destination, k).calls);
  g_array_unref (L->destinations);
  g_array_unref (L->lbs);
  g_array_unref (L->fleets);
  g_array_unref (L->members);
  g_array_unref (L->channels);
  g_array_unref (L->vchannels);
  g_array_unref (L->obstacles);
  g_array_unref (L->segments);
}

/* A pango context on `font_map` measuring text without hinting. Caller unrefs. */
static PangoContext *
new_context (PangoFontMap *font_map)
{
  PangoContext *ctx = pango_font_map_create_context (font_map);
  cairo_font_options_t *options = cairo_font_options_create ();
  /* unhinted metrics: text measures the same on every surface and at every scale */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (ctx, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (ctx, FALSE);
  return ctx;
}

StratusDiagram *
stratus_diagram_new (const StratusScenario *scenario)
{
  StratusDiagram *d = g_new0 (StratusDiagram, 1);
  d->boxes = g_ptr_array_new_with_free_func (box_free);
  d->arrows = g_ptr_array_new_with_free_func (arrow_free);
  d->keys = g_array_new (FALSE, TRUE, sizeof (Key));
  g_array_set_clear_func (d->keys, key_clear);
  d->font_map = pango_cairo_font_map_new ();
  d->pango = new_context (d->font_map);

  Layout L = {
    .d = d,
    .s = scenario,
    .topology = stratus_topology_new (scenario),
    .vpc = scenario->vpc,
    .n_az = MAX (scenario->azs->len, 1),
    .lbs = g_array_new (FALSE, FALSE, sizeof (LbPlace)),
    .fleets = g_array_new (FALSE, FALSE, sizeof (FleetPlace)),
    .members = g_array_new (FALSE, FALSE, sizeof (MemberPlace)),
    .destinations = g_array_new (FALSE, FALSE, sizeof (Destination)),
    .channels = g_array_new (FALSE, FALSE, sizeof (double)),
    .vchannels = g_array_new (FALSE, FALSE, sizeof (double)),
    .obstacles = g_array_new (FALSE, FALSE, sizeof (Obstacle)),
    .segments = g_array_new (FALSE, FALSE, sizeof (Segment)),
  };
  diagram_build_boxes (&L);

  char *file = g_path_get_basename (scenario->path != NULL ? scenario->path : "scenario");
  d->heading = g_strdup_printf ("%s\nArchitecture diagram of %s, drawn by stratus",
                                scenario->name != NULL ? scenario->name : file, file);
  g_free (file);
  double heading_w, heading_h;
  diagram_text_size (d, d->heading, &HEADING_FONT, &heading_w, &heading_h);
  d->heading_x = MARGIN;
  d->heading_y = MARGIN;

  double top_y = MARGIN + heading_h + 18;
  double top_h = diagram_top_row_height (&L);
  double region_y = top_y + top_h + SKY;
  double in_x = diagram_place_grid (&L, region_y);
  diagram_place_top_row (&L, in_x, top_y + top_h);
  if (L.vpc == NULL)
    diagram_place_bottom_row (&L);
  diagram_add_group_boxes (&L);

  /* the obstacles arrows avoid */
  diagram_add_obstacle (&L, d->heading_x, d->heading_y, heading_w, heading_h, OB_TEXT, -1);
  for (guint i = 0; i < d->boxes->len; i++)
    {
      const Box *b = g_ptr_array_index (d->boxes, i);
      if (b->style->container)
        {
          double tx, ty;
          diagram_title_origin (b, &tx, &ty);
          diagram_add_obstacle (&L, tx, ty, b->text_w, b->text_h, OB_TEXT, -1);
        }
      else
        diagram_add_obstacle (&L, b->pub.x, b->pub.y, b->pub.width, b->pub.height,
                      strcmp (b->pub.kind, "load_balancer") == 0 ? OB_LB : OB_NODE, (int) i);
    }
  bool chains = diagram_build_arrows (&L);
  bool outbound = false, queries = false;
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const char *kind = ((StratusDiagramArrow *) g_ptr_array_index (d->arrows, i))->kind;
      outbound = outbound || strcmp (kind, "outbound") == 0;
      queries = queries || strcmp (kind, "query") == 0;
    }
  for (guint i = 0; i < d->arrows->len; i++)
    {
      StratusDiagramArrow *a = g_ptr_array_index (d->arrows, i);
      if (a->label != NULL)
        diagram_place_label (&L, a, i);
    }

  /* the legend under everything so far */
  double right = 0, bottom = 0;
  for (guint i = 0; i < d->boxes->len; i++)
    {
      const Box *b = g_ptr_array_index (d->boxes, i);
      right = MAX (right, b->pub.x + b->pub.width);
      bottom = MAX (bottom, b->pub.y + b->pub.height);
    }
  for (guint i = 0; i < d->arrows->len; i++)
    {
      const StratusDiagramArrow *a = g_ptr_array_index (d->arrows, i);
      right = MAX (right, a->label_x + a->label_width);
      bottom = MAX (bottom, a->label_y + a->label_height);
    }
  right = MAX (right, d->heading_x + heading_w);
  diagram_place_legend (&L, outbound, queries, chains, MARGIN, bottom + 18,
                        MAX (right - MARGIN, 560));
  const Box *legend = g_ptr_array_index (d->boxes, d->boxes->len - 1);
  d->width = ceil (MAX (right, legend->pub.x + legend->pub.width) + MARGIN);
  d->height = ceil (legend->pub.y + legend->pub.height + MARGIN);
  layout_free (&L);
  return d;
}
