/* Architecture diagrams: layout (boxes in AZ columns, rows of subnets), orthogonal arrow
 * routing around boxes and titles, label placement, and rendering with cairo and pango.
 *
 * Layout, top to bottom: a heading; the internet (with the clients) and the destinations of
 * outbound calls; the region; in it the VPC with the internet gateway on its top edge; in
 * it one column per AZ; in each column the AZ's subnets stacked in rows (public ones first,
 * those of a load balancer aligned), each subnet with its title on the left and its NAT
 * gateways and fleets on the right, and below them the bars of the load balancers whose
 * subnets are in that row, spanning their AZ columns; a legend at the bottom. Without a vpc
 * section, each AZ column holds the load balancers' bars and then the fleets' instances.
 *
 * Arrows are routed as vertical lines, or vertical-horizontal-vertical through horizontal
 * channels (between rows, under the VPC's top edge, under the internet), choosing among
 * candidate lanes the route that crosses the fewest boxes, titles and other arrows. */
#include "stratus/diagram.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>

#include "stratus/cidr.h"

G_DEFINE_QUARK (stratus-diagram-error-quark, stratus_diagram_error)

/* ---- geometry and style ------------------------------------------------------------- */

#define FONT_FAMILY "DejaVu Sans"
#define MARGIN 24.0
#define HEADING_PX 17.0
#define NODE_PAD_X 12.0
#define NODE_PAD_Y 7.0
#define NODE_MIN_W 96.0
#define ITEM_GAP 16.0   /* between boxes side by side in a subnet */
#define CELL_PAD 10.0   /* inside a subnet */
#define SIDEBAR_GAP 18.0 /* between a subnet's title and its boxes */
#define TITLE_X 10.0    /* container titles: offset from the top-left corner */
#define TITLE_Y 8.0
#define AZ_PAD 10.0
#define GUTTER 48.0     /* between AZ columns */
#define ROW_GAP 48.0    /* between rows of subnets */
#define LB_GAP 12.0
#define LB_INSET 8.0    /* a load balancer's ends inside its first and last subnet */
#define VPC_PAD 22.0
#define REGION_PAD 18.0
#define SKY 92.0        /* between the internet and the region */
#define TOP_GAP 48.0    /* between boxes of the top row */
#define HEAD_LEN 9.0    /* arrowheads */
#define HEAD_HALF 4.5
#define LANE_STEP 10.0
#define LANE_MARGIN 12.0 /* lanes keep this far from a box's corners */
#define CLEAR 12.0      /* parallel lines closer than this conflict */
#define PNG_SCALE 2.0

#define NONE 0x1000000u /* no colour */
#define TEXT_DARK 0x232F3Eu
#define TEXT_GREY 0x545B64u
#define REQUEST_COLOUR 0x232F3Eu
#define OUTBOUND_COLOUR 0xC45508u
#define SG_COLOUR 0xBF0816u

typedef struct
{
  double first_px, rest_px;  /* font sizes of the first line and of the others */
  bool first_bold, rest_italic;
  guint32 first_colour, rest_colour;
} Font;

typedef struct
{
  guint32 fill, stroke;
  double line_width, dash, radius;
  Font font;
  bool container; /* drawn behind, title at the top left; else a node with centred text */
} Style;

#define CONTAINER_FONT(px, colour) \
  { .first_px = (px), .rest_px = 11.5, .first_bold = true, .first_colour = (colour), \
    .rest_colour = TEXT_GREY }
#define NODE_FONT \
  { .first_px = 12.5, .rest_px = 11.0, .first_bold = true, .first_colour = TEXT_DARK, \
    .rest_colour = TEXT_GREY }

static const Style STYLE_REGION = { .fill = NONE, .stroke = 0x00A4A6, .line_width = 1.5,
                                    .dash = 7, .font = CONTAINER_FONT (14, 0x007E80),
                                    .container = true };
static const Style STYLE_VPC = { .fill = NONE, .stroke = 0x3F8624, .line_width = 2.2,
                                 .font = CONTAINER_FONT (14, 0x2E6B16), .container = true };
static const Style STYLE_AZ = { .fill = NONE, .stroke = 0x147EBA, .line_width = 1.2,
                                .dash = 4, .radius = 4, .font = CONTAINER_FONT (13, 0x147EBA),
                                .container = true };
static const Style STYLE_PUBLIC = { .fill = 0xE9F3E6, .stroke = 0x7AA116, .line_width = 1.2,
                                    .radius = 4, .font = CONTAINER_FONT (12.5, 0x3B6E14),
                                    .container = true };
static const Style STYLE_PRIVATE = { .fill = 0xE6F2F8, .stroke = 0x147EBA, .line_width = 1.2,
                                     .radius = 4, .font = CONTAINER_FONT (12.5, 0x0F5F8F),
                                     .container = true };
static const Style STYLE_CLOUD = { .fill = 0xF2F3F3, .stroke = 0x545B64, .line_width = 1.4,
                                   .radius = 16, .font = NODE_FONT };
static const Style STYLE_GATEWAY = { .fill = 0xFDEBD7, .stroke = 0xE07700, .line_width = 1.6,
                                     .radius = 6, .font = NODE_FONT };
static const Style STYLE_LB = { .fill = 0xEEE6FF, .stroke = 0x8C4FFF, .line_width = 1.8,
                                .radius = 6, .font = NODE_FONT };
static const Style STYLE_FLEET = { .fill = 0xFFFFFF, .stroke = 0x232F3E, .line_width = 1.4,
                                   .radius = 4, .font = NODE_FONT };
static const Style STYLE_LEGEND = { .fill = NONE, .stroke = NONE,
                                    .font = { .first_px = 11.5, .rest_px = 11.5,
                                              .first_colour = TEXT_GREY,
                                              .rest_colour = TEXT_GREY } };

static const Font HEADING_FONT = { .first_px = HEADING_PX, .rest_px = 11.5, .first_bold = true,
                                   .first_colour = TEXT_DARK, .rest_colour = TEXT_GREY };
static const Font PILL_FONT = { .first_px = 11, .rest_px = 10.5, .rest_italic = true,
                                .first_colour = NONE, .rest_colour = SG_COLOUR };
static const Font KEY_FONT = { .first_px = 11.5, .rest_px = 11.5, .first_colour = TEXT_GREY,
                               .rest_colour = TEXT_GREY };
static const Font KEY_SG_FONT = { .first_px = 11, .rest_px = 11, .rest_italic = true,
                                  .first_colour = SG_COLOUR, .rest_colour = SG_COLOUR };

/* ---- the diagram -------------------------------------------------------------------- */

typedef struct
{
  StratusDiagramBox pub; /* first: what stratus_diagram_box hands out */
  const Style *style;
  double text_w, text_h; /* the label's extents */
} Box;

typedef enum
{
  KEY_PUBLIC,
  KEY_PRIVATE,
  KEY_REQUEST,
  KEY_OUTBOUND,
  KEY_CHAIN,
} KeyKind;

/* An entry of the legend: a sample (swatch, arrow or chain) and its text. */
typedef struct
{
  KeyKind kind;
  char *sample; /* KEY_CHAIN: the sample text; else NULL */
  char *text;
  double x, y;           /* top-left of the sample */
  double sample_w, text_x, text_w, h;
} Key;

struct StratusDiagram
{
  GPtrArray *boxes;  /* Box*, owned */
  GPtrArray *arrows; /* StratusDiagramArrow*, owned */
  GArray *keys;      /* Key, texts owned */
  char *heading;
  double heading_x, heading_y;
  double width, height;
  PangoFontMap *font_map;
  PangoContext *pango;
};

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
static PangoLayout *
text_layout (PangoContext *ctx, const char *text, const Font *font, bool centred)
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
static void
text_size (StratusDiagram *d, const char *text, const Font *font, double *w, double *h)
{
  PangoLayout *layout = text_layout (d->pango, text, font, false);
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  *w = logical.width / (double) PANGO_SCALE;
  *h = logical.height / (double) PANGO_SCALE;
  g_object_unref (layout);
}

/* ---- the network, as the diagram needs it ---------------------------------------------- */






/* True if the array of names (may be NULL) holds `name`. */
static bool
strv_has (const GPtrArray *names, const char *name)
{
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return true;
  return false;
}

/* "alb-sg → web-sg": the first inbound rule of the destination's groups that admits tcp/port
 * from the source (a member of one of `src_groups`, or the internet when `internet`, or an
 * address of one of the subnets in `src_subnets`); NULL when none does. Caller frees. */
static char *
sg_chain (const StratusVpcConfig *vpc, const GPtrArray *src_groups, bool internet,
          const GPtrArray *src_subnets, const GPtrArray *dst_groups, uint16_t port)
{
  for (guint i = 0; vpc != NULL && dst_groups != NULL && i < dst_groups->len; i++)
    {
      const char *dst = g_ptr_array_index (dst_groups, i);
      const StratusSecurityGroupConfig *g = stratus_vpc_find_group (vpc, dst);
      for (guint j = 0; g != NULL && j < g->inbound->len; j++)
        {
          const StratusSgRuleConfig *r = &g_array_index (g->inbound, StratusSgRuleConfig, j);
          if (r->protocol != STRATUS_PROTOCOL_ALL
              && (r->protocol != STRATUS_PROTOCOL_TCP || port < r->port_from || port > r->port_to))
            continue;
          if (r->group != NULL)
            {
              if (!internet && strv_has (src_groups, r->group))
                return g_strdup_printf ("%s → %s", r->group, dst);
              continue;
            }
          /* the internet: any block reaching outside the VPC */
          bool covers = internet && !stratus_cidr_covers (vpc->cidr, r->cidr);
          for (guint k = 0; !internet && src_subnets != NULL && k < src_subnets->len; k++)
            {
              int s = stratus_vpc_subnet_index (vpc, g_ptr_array_index (src_subnets, k));
              if (s >= 0)
                covers = covers
                         || stratus_cidr_covers (r->cidr, ((const StratusSubnetConfig *)
                                                          g_ptr_array_index (vpc->subnets, s))->cidr);
            }
          if (covers)
            {
              char *cidr = stratus_cidr_format (r->cidr);
              char *chain = g_strdup_printf ("%s → %s", cidr, dst);
              g_free (cidr);
              return chain;
            }
        }
    }
  return NULL;
}

/* "tcp", "udp" or "icmp" for labels (a static string). */
static const char *
protocol_name (int protocol)
{
  switch (protocol)
    {
    case STRATUS_PROTOCOL_UDP:
      return "udp";
    case STRATUS_PROTOCOL_ICMP:
      return "icmp";
    default:
      return "tcp";
    }
}

/* ---- layout state ------------------------------------------------------------------------ */

enum
{
  OB_NODE,  /* a box arrows must not cross */
  OB_LB,    /* a load balancer's bar: crossing it is better than crossing text */
  OB_TEXT,  /* a container's title, the heading */
  OB_PILL,  /* an arrow's label */
};

typedef struct
{
  double x, y, w, h;
  int kind;
  int box; /* the box it is, -1 for texts */
} Obstacle;

/* An axis-aligned piece of a routed arrow. */
typedef struct
{
  double ax, ay, bx, by;
  int from, to; /* the arrow's boxes */
  int arrow;
} Segment;

/* A slot of the grid: one subnet (or, without a vpc, the inside of an AZ column). */
typedef struct
{
  int subnet;    /* index in vpc->subnets; -1 without a vpc or when the slot is empty */
  int box;       /* the subnet's box; -1 when none */
  GArray *items; /* int: boxes of its NAT gateways and fleets, left to right */
} Cell;

typedef struct
{
  int box;
  const StratusLoadBalancerConfig *cfg;
  guint row, col0, col1;
} LbPlace;

typedef struct
{
  int box;
  const StratusFleetConfig *fleet;
  int subnet; /* -1 without a vpc */
  int count;
} FleetPlace;

typedef struct
{
  int box;
  uint32_t address;
  uint16_t port;
  GPtrArray *calls; /* const StratusOutboundCallConfig* (borrowed) */
  bool labelled;    /* an arrow into it carries the label already */
} Destination;

typedef struct
{
  StratusDiagram *d;
  const StratusScenario *s;
  const StratusVpcConfig *vpc; /* NULL: a flat network */
  guint n_az, n_rows;
  Cell *cells;                 /* n_rows x n_az, row-major */
  int region, vpc_box, igw, internet;
  int *az_box;
  GArray *lbs;          /* LbPlace */
  GArray *fleets;       /* FleetPlace */
  GArray *destinations; /* Destination */
  int *nat_box;         /* per vpc->nat_gateways */
  GArray *channels;     /* double: y of horizontal channels */
  GArray *vchannels;    /* double: x of vertical channels (gutters, margins) */
  GArray *obstacles;    /* Obstacle */
  GArray *segments;     /* Segment */
  double sidebar_w, az_w;
} Layout;

/* The box at index i (borrowed). */
static Box *
box_at (const Layout *L, int i)
{
  return g_ptr_array_index (L->d->boxes, i);
}

/* Adds a box with its label (taken); nodes are sized from their text. Returns its index. */
static int
add_box (Layout *L, const char *kind, const char *name, char *label, int parent,
         const Style *style)
{
  Box *b = g_new0 (Box, 1);
  b->pub.kind = g_strdup (kind);
  b->pub.name = g_strdup (name);
  b->pub.label = label;
  b->pub.parent = parent;
  b->style = style;
  text_size (L->d, label, &style->font, &b->text_w, &b->text_h);
  if (!style->container)
    {
      b->pub.width = MAX (b->text_w + 2 * NODE_PAD_X, NODE_MIN_W);
      b->pub.height = b->text_h + 2 * NODE_PAD_Y;
    }
  g_ptr_array_add (L->d->boxes, b);
  return (int) L->d->boxes->len - 1;
}

/* Sets a box's position and size. */
static void
set_rect (Layout *L, int box, double x, double y, double w, double h)
{
  Box *b = box_at (L, box);
  b->pub.x = x;
  b->pub.y = y;
  b->pub.width = w;
  b->pub.height = h;
}

/* The grid slot at (row, col) (borrowed). */
static Cell *
cell_at (const Layout *L, guint row, guint col)
{
  return &L->cells[row * L->n_az + col];
}

/* Where a container's title starts. */
static void
title_origin (const Box *b, double *x, double *y)
{
  bool subnet = strcmp (b->pub.kind, "subnet") == 0;
  *x = b->pub.x + (subnet ? CELL_PAD : TITLE_X);
  *y = b->pub.y + (subnet ? CELL_PAD : TITLE_Y);
}

/* The left edge of AZ column `col` (the columns are placed already). */
static double
az_x (const Layout *L, guint col)
{
  const Box *first = box_at (L, L->az_box[0]);
  return first->pub.x + col * (L->az_w + GUTTER);
}

/* ---- building the boxes ------------------------------------------------------------------ */

/* How many of the fleet's instances land in `subnet`: instance i goes to subnets[i % n]. */
static int
fleet_count_in_subnet (const StratusFleetConfig *f, const char *subnet)
{
  guint n = f->subnets->len;
  int count = 0;
  for (guint j = 0; j < n; j++)
    if (strcmp (g_ptr_array_index (f->subnets, j), subnet) == 0)
      count += f->count / (int) n + ((int) j < f->count % (int) n ? 1 : 0);
  return count;
}

/* "web x2, c5.large\nEC2 · web-sg". Caller frees. */
static char *
fleet_label (const StratusFleetConfig *f, int count)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s x%d, %s\nEC2", f->name, count, f->type);
  for (guint i = 0; f->security_groups != NULL && i < f->security_groups->len; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? " · " : ", ",
                            (const char *) g_ptr_array_index (f->security_groups, i));
  return g_string_free (s, FALSE);
}

/* Appends `box` to the boxes shown in the grid slot of `subnet` (in AZ column `az`). */
static void
add_item (Layout *L, int subnet, guint az, int box)
{
  for (guint r = 0; r < L->n_rows; r++)
    {
      Cell *c = cell_at (L, r, az);
      if (c->subnet == subnet)
        {
          g_array_append_val (c->items, box);
          return;
        }
    }
}

/* The subnets in rows: first the public ones, then the private ones, so that rows of the
 * same kind line up across AZ columns; within each kind those of a load balancer come first
 * (a load balancer's subnets then share a row), then file order. */
static void
build_grid (Layout *L)
{
  const StratusVpcConfig *vpc = L->vpc;
  if (vpc == NULL)
    {
      L->n_rows = 1;
      L->cells = g_new0 (Cell, L->n_az);
      for (guint c = 0; c < L->n_az; c++)
        L->cells[c] = (Cell){ .subnet = -1, .box = L->az_box[c],
                              .items = g_array_new (FALSE, FALSE, sizeof (int)) };
      return;
    }
  guint n = vpc->subnets->len;
  int *key = g_new (int, n);
  bool *pub = g_new (bool, n);
  for (guint i = 0; i < n; i++)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (vpc->subnets, i);
      int lb_rank = 1000;
      for (guint l = 0; l < L->s->load_balancers->len && lb_rank == 1000; l++)
        {
          const StratusLoadBalancerConfig *lb = g_ptr_array_index (L->s->load_balancers, l);
          if (strv_has (lb->subnets, sn->name))
            lb_rank = (int) l;
        }
      pub[i] = stratus_vpc_subnet_is_public (vpc, sn);
      key[i] = lb_rank * 1000 + (int) i;
    }
  /* per AZ and kind (0 public, 1 private): subnet indices sorted by key */
  GArray **lists = g_new (GArray *, 2 * L->n_az);
  guint band[2] = { 0, 0 };
  for (guint c = 0; c < L->n_az; c++)
    for (int kind = 0; kind < 2; kind++)
      {
        GArray *list = lists[2 * c + kind] = g_array_new (FALSE, FALSE, sizeof (int));
        for (guint i = 0; i < n; i++)
          {
            const StratusSubnetConfig *sn = g_ptr_array_index (vpc->subnets, i);
            if (sn->az_index != (int) c || pub[i] != (kind == 0))
              continue;
            guint at = list->len;
            while (at > 0 && key[g_array_index (list, int, at - 1)] > key[i])
              at--;
            int v = (int) i;
            g_array_insert_val (list, at, v);
          }
        band[kind] = MAX (band[kind], list->len);
      }
  L->n_rows = band[0] + band[1];
  L->cells = g_new0 (Cell, MAX (L->n_rows, 1) * L->n_az);
  for (guint r = 0; r < L->n_rows; r++)
    for (guint c = 0; c < L->n_az; c++)
      {
        Cell *cell = cell_at (L, r, c);
        const GArray *list = r < band[0] ? lists[2 * c] : lists[2 * c + 1];
        guint k = r < band[0] ? r : r - band[0];
        cell->subnet = k < list->len ? g_array_index (list, int, k) : -1;
        cell->box = -1;
        cell->items = g_array_new (FALSE, FALSE, sizeof (int));
      }
  for (guint i = 0; i < 2 * L->n_az; i++)
    g_array_unref (lists[i]);
  g_free (lists);
  g_free (pub);
  g_free (key);
}

/* Grid position of a subnet. */
static bool
subnet_slot (const Layout *L, int subnet, guint *row, guint *col)
{
  for (guint r = 0; r < L->n_rows; r++)
    for (guint c = 0; c < L->n_az; c++)
      if (cell_at (L, r, c)->subnet == subnet)
        {
          *row = r;
          *col = c;
          return true;
        }
  return false;
}

/* Creates every box (sizes of nodes from their text; positions come later) and the grid. */
static void
build_boxes (Layout *L)
{
  const StratusScenario *s = L->s;
  const StratusVpcConfig *vpc = L->vpc;
  const char *region = s->region != NULL ? s->region : "region";

  L->region = add_box (L, "region", region, g_strdup_printf ("Region %s", region), -1,
                       &STYLE_REGION);
  int az_parent = L->region;
  L->vpc_box = -1;
  if (vpc != NULL)
    {
      char *cidr = stratus_cidr_format (vpc->cidr);
      L->vpc_box = add_box (L, "vpc", "vpc", g_strdup_printf ("VPC %s", cidr), L->region,
                            &STYLE_VPC);
      g_free (cidr);
      az_parent = L->vpc_box;
    }
  L->az_box = g_new (int, L->n_az);
  for (guint c = 0; c < L->n_az; c++)
    {
      const char *az = g_ptr_array_index (s->azs, c);
      L->az_box[c] = add_box (L, "az", az, g_strdup (az), az_parent, &STYLE_AZ);
    }

  build_grid (L);
  for (guint i = 0; vpc != NULL && i < vpc->subnets->len; i++)
    {
      const StratusSubnetConfig *sn = g_ptr_array_index (vpc->subnets, i);
      bool pub = stratus_vpc_subnet_is_public (vpc, sn);
      char *cidr = stratus_cidr_format (sn->cidr);
      int box = add_box (L, "subnet", sn->name,
                         g_strdup_printf ("%s\n%s (%s)", sn->name, cidr, pub ? "public" : "private"),
                         L->az_box[sn->az_index], pub ? &STYLE_PUBLIC : &STYLE_PRIVATE);
      g_free (cidr);
      guint r, c;
      if (subnet_slot (L, (int) i, &r, &c))
        cell_at (L, r, c)->box = box;
    }

  L->igw = -1;
  if (vpc != NULL && vpc->internet_gateway != NULL)
    L->igw = add_box (L, "internet_gateway", vpc->internet_gateway,
                      g_strdup_printf ("%s\nInternet gateway", vpc->internet_gateway), L->vpc_box,
                      &STYLE_GATEWAY);

  for (guint l = 0; l < s->load_balancers->len; l++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, l);
      GString *label = g_string_new (NULL);
      g_string_append_printf (label, "%s\nApplication Load Balancer, %s, port %u", lb->name,
                              lb->internal ? "internal" : "internet-facing", lb->port);
      for (guint i = 0; lb->security_groups != NULL && i < lb->security_groups->len; i++)
        g_string_append_printf (label, "%s%s", i == 0 ? " · " : ", ",
                                (const char *) g_ptr_array_index (lb->security_groups, i));
      LbPlace p = { .cfg = lb, .row = 0, .col0 = 0, .col1 = L->n_az - 1 };
      p.box = add_box (L, "load_balancer", lb->name, g_string_free (label, FALSE),
                       vpc != NULL ? L->vpc_box : L->region, &STYLE_LB);
      bool any = false;
      for (guint i = 0; vpc != NULL && lb->subnets != NULL && i < lb->subnets->len; i++)
        {
          guint r, c;
          if (!subnet_slot (L, stratus_vpc_subnet_index (vpc, g_ptr_array_index (lb->subnets, i)), &r, &c))
            continue;
          p.row = any ? MIN (p.row, r) : r;
          p.col0 = any ? MIN (p.col0, c) : c;
          p.col1 = any ? MAX (p.col1, c) : c;
          any = true;
        }
      g_array_append_val (L->lbs, p);
    }

  L->nat_box = g_new (int, vpc != NULL ? vpc->nat_gateways->len + 1 : 1);
  for (guint i = 0; vpc != NULL && i < vpc->nat_gateways->len; i++)
    {
      const StratusNatGatewayConfig *nat = g_ptr_array_index (vpc->nat_gateways, i);
      int sn = stratus_vpc_subnet_index (vpc, nat->subnet);
      guint r, c;
      L->nat_box[i] = -1;
      if (sn < 0 || !subnet_slot (L, sn, &r, &c))
        continue;
      L->nat_box[i] = add_box (L, "nat_gateway", nat->name,
                               g_strdup_printf ("%s\nNAT gateway", nat->name),
                               cell_at (L, r, c)->box, &STYLE_GATEWAY);
      add_item (L, sn, c, L->nat_box[i]);
    }

  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      if (vpc == NULL)
        {
          for (guint c = 0; c < L->n_az; c++)
            {
              int count = fleet->count / (int) L->n_az + ((int) c < fleet->count % (int) L->n_az);
              if (count == 0)
                continue;
              FleetPlace p = { .fleet = fleet, .subnet = -1, .count = count };
              p.box = add_box (L, "fleet", fleet->name, fleet_label (fleet, count), L->az_box[c],
                               &STYLE_FLEET);
              g_array_append_val (cell_at (L, 0, c)->items, p.box);
              g_array_append_val (L->fleets, p);
            }
          continue;
        }
      for (guint j = 0; fleet->subnets != NULL && j < fleet->subnets->len; j++)
        {
          const char *name = g_ptr_array_index (fleet->subnets, j);
          bool seen = false;
          for (guint k = 0; k < j; k++)
            seen = seen || strcmp (g_ptr_array_index (fleet->subnets, k), name) == 0;
          int sn = stratus_vpc_subnet_index (vpc, name);
          int count = fleet_count_in_subnet (fleet, name);
          guint r, c;
          if (seen || count == 0 || sn < 0 || !subnet_slot (L, sn, &r, &c))
            continue;
          FleetPlace p = { .fleet = fleet, .subnet = sn, .count = count };
          p.box = add_box (L, "fleet", fleet->name, fleet_label (fleet, count),
                           cell_at (L, r, c)->box, &STYLE_FLEET);
          add_item (L, sn, c, p.box);
          g_array_append_val (L->fleets, p);
        }
    }

  GString *clients = g_string_new ("Internet");
  for (guint w = 0; w < s->workloads->len; w++)
    {
      const StratusWorkloadConfig *wl = g_ptr_array_index (s->workloads, w);
      if (w == 3)
        {
          g_string_append (clients, ", …");
          break;
        }
      g_string_append_printf (clients, "%s%s", w == 0 ? "\nclients: " : ", ", wl->name);
    }
  L->internet = add_box (L, "internet", "internet", g_string_free (clients, FALSE), -1,
                         &STYLE_CLOUD);

  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      for (guint i = 0; fleet->outbound != NULL && i < fleet->outbound->len; i++)
        {
          const StratusOutboundCallConfig *call = g_ptr_array_index (fleet->outbound, i);
          Destination *dest = NULL;
          for (guint k = 0; k < L->destinations->len && dest == NULL; k++)
            {
              Destination *x = &g_array_index (L->destinations, Destination, k);
              if (x->address == call->destination && x->port == call->port)
                dest = x;
            }
          if (dest == NULL)
            {
              Destination fresh = { .box = -1, .address = call->destination, .port = call->port,
                                    .calls = g_ptr_array_new () };
              g_array_append_val (L->destinations, fresh);
              dest = &g_array_index (L->destinations, Destination, L->destinations->len - 1);
            }
          bool named = false;
          for (guint k = 0; k < dest->calls->len; k++)
            named = named
                    || strcmp (((const StratusOutboundCallConfig *) g_ptr_array_index (dest->calls, k))->name,
                               call->name) == 0;
          if (!named)
            g_ptr_array_add (dest->calls, (gpointer) call);
        }
    }
  for (guint k = 0; k < L->destinations->len; k++)
    {
      Destination *dest = &g_array_index (L->destinations, Destination, k);
      GString *label = g_string_new (NULL);
      for (guint i = 0; i < dest->calls->len; i++)
        g_string_append_printf (label, "%s%s", i == 0 ? "" : ", ",
                                ((const StratusOutboundCallConfig *) g_ptr_array_index (dest->calls, i))->name);
      char *address = stratus_address_format (dest->address);
      g_string_append_printf (label, "\n%s:%u", address, dest->port);
      g_free (address);
      const StratusOutboundCallConfig *first = g_ptr_array_index (dest->calls, 0);
      dest->box = add_box (L, "destination", first->name, g_string_free (label, FALSE), -1,
                           &STYLE_CLOUD);
    }
}

/* ---- placing the boxes ------------------------------------------------------------------- */

/* True if the fleet is registered in the load balancer's target group. */
static bool
fleet_behind (const StratusLoadBalancerConfig *lb, const StratusFleetConfig *f)
{
  return lb->target_group != NULL && f->target_group != NULL
         && strcmp (lb->target_group, f->target_group) == 0;
}

/* The width of a slot's boxes side by side. */
static double
items_width (const Layout *L, const Cell *c)
{
  double w = 0;
  for (guint i = 0; i < c->items->len; i++)
    w += box_at (L, g_array_index (c->items, int, i))->pub.width + (i > 0 ? ITEM_GAP : 0);
  return w;
}

/* The height of the tallest of a slot's boxes. */
static double
items_height (const Layout *L, const Cell *c)
{
  double h = 0;
  for (guint i = 0; i < c->items->len; i++)
    h = MAX (h, box_at (L, g_array_index (c->items, int, i))->pub.height);
  return h;
}

/* Records a rectangle that routes and labels avoid. */
static void
add_obstacle (Layout *L, double x, double y, double w, double h, int kind, int box)
{
  Obstacle o = { x, y, w, h, kind, box };
  g_array_append_val (L->obstacles, o);
}

/* Records the height of a horizontal channel routes may run along. */
static void
add_channel (Layout *L, double y)
{
  g_array_append_val (L->channels, y);
}

/* Places everything but the top row and the legend; returns the x where the internet box
 * should be centred (over the internet gateway, or over the gap its load balancer spans). */
static double
place_grid (Layout *L, double region_y)
{
  const bool flat = L->vpc == NULL;
  guint n = L->n_az;
  guint rows = L->n_rows;

  /* widths */
  double cmax = 0;
  L->sidebar_w = 0;
  double title_h = 0;
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < n; c++)
      {
        const Cell *cell = cell_at (L, r, c);
        cmax = MAX (cmax, items_width (L, cell));
        if (!flat && cell->box >= 0)
          {
            L->sidebar_w = MAX (L->sidebar_w, box_at (L, cell->box)->text_w);
            title_h = MAX (title_h, box_at (L, cell->box)->text_h);
          }
      }
  double cell_w = flat ? cmax + 2 * CELL_PAD
                       : 2 * CELL_PAD + L->sidebar_w + (cmax > 0 ? SIDEBAR_GAP + cmax : 0);
  double az_w = MAX (cell_w + 2 * AZ_PAD, 170);
  for (guint c = 0; c < n; c++)
    az_w = MAX (az_w, box_at (L, L->az_box[c])->text_w + 2 * TITLE_X + 20);
  for (guint l = 0; l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      guint k = p->col1 - p->col0 + 1;
      double need = box_at (L, p->box)->pub.width + 2 * (AZ_PAD + LB_INSET) + 24;
      az_w = MAX (az_w, (need - (k - 1) * GUTTER) / k);
    }
  L->az_w = az_w;
  cell_w = az_w - 2 * AZ_PAD;

  /* row heights */
  double *row_h = g_new0 (double, MAX (rows, 1));
  double *content_h = g_new0 (double, MAX (rows, 1));
  double *first_gap = g_new0 (double, MAX (rows, 1));
  for (guint r = 0; r < rows; r++)
    {
      /* a load balancer under fleets of its own row: room for the arrows' labels */
      first_gap[r] = LB_GAP;
      for (guint l = 0; !flat && l < L->lbs->len; l++)
        {
          const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
          for (guint f = 0; p->row == r && f < L->fleets->len; f++)
            {
              const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
              guint fr, fc;
              if (fleet_behind (p->cfg, fp->fleet) && subnet_slot (L, fp->subnet, &fr, &fc) && fr == r)
                first_gap[r] = ROW_GAP - CELL_PAD;
            }
        }
      for (guint c = 0; c < n; c++)
        content_h[r] = MAX (content_h[r], items_height (L, cell_at (L, r, c)));
      double lbs = 0;
      guint n_lbs = 0;
      for (guint l = 0; l < L->lbs->len; l++)
        {
          const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
          if (p->row == r)
            {
              lbs += LB_GAP + box_at (L, p->box)->pub.height;
              n_lbs++;
            }
        }
      /* without a vpc: the bars, room for the arrows' labels, the instances */
      row_h[r] = flat ? lbs - (n_lbs > 0 ? LB_GAP : 0)
                          + (n_lbs > 0 && content_h[r] > 0 ? ROW_GAP : 0) + content_h[r] + CELL_PAD
                      : 2 * CELL_PAD + MAX (title_h, content_h[r]) + lbs
                          + (n_lbs > 0 ? first_gap[r] - LB_GAP : 0);
    }

  /* containers */
  Box *region = box_at (L, L->region);
  Box *az0 = box_at (L, L->az_box[0]);
  double igw_h = L->igw >= 0 ? box_at (L, L->igw)->pub.height : 0;
  double region_header = TITLE_Y + region->text_h + 12;
  if (!flat)
    region_header = MAX (region_header, igw_h / 2 + 16);
  double region_x = MARGIN;
  double inner_x = region_x + REGION_PAD;
  double az_top, vpc_header = 0;
  if (!flat)
    {
      Box *vpc = box_at (L, L->vpc_box);
      vpc_header = MAX (TITLE_Y + vpc->text_h + 14, igw_h / 2 + 36);
      az_top = region_y + region_header + vpc_header;
      inner_x += VPC_PAD;
    }
  else
    az_top = region_y + region_header;
  double az_header = TITLE_Y + az0->text_h + 10;
  double az_h = az_header + AZ_PAD;
  for (guint r = 0; r < rows; r++)
    az_h += row_h[r] + (r > 0 ? ROW_GAP : 0);
  if (flat)
    az_h = az_header + (rows > 0 ? row_h[0] : AZ_PAD);
  double columns_w = n * az_w + (n - 1) * GUTTER;
  for (guint c = 0; c < n; c++)
    set_rect (L, L->az_box[c], inner_x + c * (az_w + GUTTER), az_top, az_w, az_h);
  double region_w, region_h;
  if (!flat)
    {
      double vpc_w = columns_w + 2 * VPC_PAD;
      double vpc_h = vpc_header + az_h + VPC_PAD;
      set_rect (L, L->vpc_box, region_x + REGION_PAD, region_y + region_header, vpc_w, vpc_h);
      region_w = vpc_w + 2 * REGION_PAD;
      region_h = region_header + vpc_h + REGION_PAD;
    }
  else
    {
      region_w = columns_w + 2 * REGION_PAD;
      region_h = region_header + az_h + REGION_PAD;
    }
  region_w = MAX (region_w, region->text_w + 2 * TITLE_X + 20);
  set_rect (L, L->region, region_x, region_y, region_w, region_h);

  /* subnets, their boxes, the load balancers */
  double y = az_top + az_header;
  for (guint r = 0; r < rows; r++)
    {
      double lb_y;
      for (guint c = 0; c < n; c++)
        {
          Cell *cell = cell_at (L, r, c);
          double cx = az_x (L, c) + AZ_PAD;
          double ix, iy;
          if (!flat)
            {
              if (cell->box >= 0)
                set_rect (L, cell->box, cx, y, cell_w, row_h[r]);
              double area_x = cx + CELL_PAD + L->sidebar_w + SIDEBAR_GAP;
              double area_w = cx + cell_w - CELL_PAD - area_x;
              ix = area_x + (area_w - items_width (L, cell)) / 2;
              iy = y + CELL_PAD;
            }
          else
            {
              ix = cx + (cell_w - items_width (L, cell)) / 2;
              iy = y + row_h[r] - CELL_PAD - content_h[r];
            }
          for (guint i = 0; i < cell->items->len; i++)
            {
              Box *item = box_at (L, g_array_index (cell->items, int, i));
              item->pub.x = ix;
              item->pub.y = iy;
              ix += item->pub.width + ITEM_GAP;
            }
        }
      lb_y = flat ? y : y + CELL_PAD + MAX (title_h, content_h[r]) + first_gap[r];
      for (guint l = 0; l < L->lbs->len; l++)
        {
          const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
          if (p->row != r)
            continue;
          Box *lb = box_at (L, p->box);
          lb->pub.x = az_x (L, p->col0) + AZ_PAD + LB_INSET;
          lb->pub.width = az_x (L, p->col1) + az_w - AZ_PAD - LB_INSET - lb->pub.x;
          lb->pub.y = lb_y;
          lb_y += lb->pub.height + LB_GAP;
        }
      if (r > 0)
        add_channel (L, y - ROW_GAP / 2);
      if (flat && content_h[r] > 0 && lb_y > y)
        add_channel (L, y + row_h[r] - CELL_PAD - content_h[r] - ROW_GAP / 2);
      y += row_h[r] + ROW_GAP;
    }
  g_free (row_h);
  g_free (content_h);
  g_free (first_gap);
  add_channel (L, region_y - 26); /* under the internet */
  for (guint c = 0; c + 1 < n; c++)
    {
      double x = az_x (L, c) + az_w + GUTTER / 2;
      g_array_append_val (L->vchannels, x);
    }
  double margin = flat ? REGION_PAD / 2 : VPC_PAD / 2;
  double left = inner_x - margin, right = inner_x + columns_w + margin;
  g_array_append_val (L->vchannels, left);
  g_array_append_val (L->vchannels, right);
  add_channel (L, az_top + az_h + (flat ? REGION_PAD : VPC_PAD) / 2);

  /* where the internet comes in: over the gap between AZ columns at the middle of the
   * first internet-facing load balancer */
  const LbPlace *entry = NULL;
  for (guint l = 0; l < L->lbs->len && entry == NULL; l++)
    if (!g_array_index (L->lbs, LbPlace, l).cfg->internal)
      entry = &g_array_index (L->lbs, LbPlace, l);
  double in_x;
  if (entry != NULL && entry->col1 > entry->col0)
    {
      guint c = (entry->col0 + entry->col1 - 1) / 2;
      in_x = az_x (L, c) + az_w + GUTTER / 2;
    }
  else if (entry != NULL)
    in_x = box_at (L, entry->box)->pub.x + box_at (L, entry->box)->pub.width / 2;
  else
    in_x = inner_x + columns_w / 2;

  if (!flat)
    {
      Box *vpc = box_at (L, L->vpc_box);
      add_channel (L, (vpc->pub.y + igw_h / 2 + az_top) / 2);
      if (L->igw >= 0)
        {
          Box *igw = box_at (L, L->igw);
          double lo = vpc->pub.x + TITLE_X + vpc->text_w + 20 + igw->pub.width / 2;
          double hi = vpc->pub.x + vpc->pub.width - 12 - igw->pub.width / 2;
          in_x = MAX (MIN (in_x, hi), lo);
          igw->pub.x = in_x - igw->pub.width / 2;
          igw->pub.y = vpc->pub.y - igw->pub.height / 2;
        }
    }
  return in_x;
}

/* The internet centred at `in_x` and the destinations to its right, bottoms aligned at
 * `bottom`. */
static void
place_top_row (Layout *L, double in_x, double bottom)
{
  Box *net = box_at (L, L->internet);
  net->pub.x = MAX (MARGIN, in_x - net->pub.width / 2);
  net->pub.y = bottom - net->pub.height;
  double x = net->pub.x + net->pub.width + TOP_GAP;
  for (guint k = 0; L->vpc != NULL && k < L->destinations->len; k++)
    {
      Box *b = box_at (L, g_array_index (L->destinations, Destination, k).box);
      b->pub.x = x;
      b->pub.y = bottom - b->pub.height;
      x += b->pub.width + TOP_GAP / 2;
    }
}

/* Without a vpc, instances call the internet directly: the destinations go in a row under
 * the region, centred, so that the calls leave the fleets downwards. */
static void
place_bottom_row (Layout *L)
{
  const Box *region = box_at (L, L->region);
  double top = region->pub.y + region->pub.height + 64, total = 0;
  for (guint k = 0; k < L->destinations->len; k++)
    total += box_at (L, g_array_index (L->destinations, Destination, k).box)->pub.width
             + (k > 0 ? TOP_GAP : 0);
  double x = MAX (MARGIN, region->pub.x + (region->pub.width - total) / 2);
  for (guint k = 0; k < L->destinations->len; k++)
    {
      Box *b = box_at (L, g_array_index (L->destinations, Destination, k).box);
      b->pub.x = x;
      b->pub.y = top;
      x += b->pub.width + TOP_GAP;
    }
  add_channel (L, region->pub.y + region->pub.height + 28);
}

/* The height of the row of the internet and (with a vpc) the destinations. */
static double
top_row_height (const Layout *L)
{
  double h = box_at (L, L->internet)->pub.height;
  for (guint k = 0; L->vpc != NULL && k < L->destinations->len; k++)
    h = MAX (h, box_at (L, g_array_index (L->destinations, Destination, k).box)->pub.height);
  return h;
}

/* The legend under the region, wrapped to `width`. */
static void
place_legend (Layout *L, bool outbound, bool chains, double x0, double y0, double width)
{
  StratusDiagram *d = L->d;
  if (L->vpc != NULL)
    {
      Key k1 = { .kind = KEY_PUBLIC, .text = g_strdup ("public subnet: routes 0.0.0.0/0 to the internet gateway") };
      Key k2 = { .kind = KEY_PRIVATE, .text = g_strdup ("private subnet") };
      g_array_append_val (d->keys, k1);
      g_array_append_val (d->keys, k2);
    }
  Key k3 = { .kind = KEY_REQUEST, .text = g_strdup ("request (clients → load balancer → instances)") };
  g_array_append_val (d->keys, k3);
  if (outbound)
    {
      Key k4 = { .kind = KEY_OUTBOUND, .text = g_strdup ("outbound call") };
      g_array_append_val (d->keys, k4);
    }
  if (chains)
    {
      Key k5 = { .kind = KEY_CHAIN, .sample = g_strdup ("a → b"),
                 .text = g_strdup ("security group b admits the traffic from a") };
      g_array_append_val (d->keys, k5);
    }
  double x = x0, y = y0, line_h = 0, right = x0;
  for (guint i = 0; i < d->keys->len; i++)
    {
      Key *k = &g_array_index (d->keys, Key, i);
      double tw, th;
      text_size (d, k->text, &KEY_FONT, &tw, &th);
      k->sample_w = 28;
      if (k->kind == KEY_CHAIN)
        {
          double sh;
          text_size (d, k->sample, &KEY_SG_FONT, &k->sample_w, &sh);
        }
      k->text_w = tw;
      k->h = th;
      double w = k->sample_w + 7 + tw;
      if (x > x0 && x + w > x0 + width)
        {
          x = x0;
          y += line_h + 8;
          line_h = 0;
        }
      k->x = x;
      k->y = y;
      k->text_x = x + k->sample_w + 7;
      line_h = MAX (line_h, th);
      right = MAX (right, x + w);
      x += w + 26;
    }
  int legend = add_box (L, "legend", "legend", g_strdup ("legend"), -1, &STYLE_LEGEND);
  set_rect (L, legend, x0, y0, right - x0, y + line_h - y0);
}

/* ---- routing ------------------------------------------------------------------------------ */

/* True if the two rectangles share some area. */
static bool
rects_meet (double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
{
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* Does the segment (with `clear` room around it) meet the rectangle? */
static bool
segment_meets (double ax, double ay, double bx, double by, double clear, double x, double y,
               double w, double h)
{
  double lx = MIN (ax, bx) - clear, ly = MIN (ay, by) - clear;
  return rects_meet (lx, ly, fabs (bx - ax) + 2 * clear, fabs (by - ay) + 2 * clear, x, y, w, h);
}

/* What a route costs: boxes and titles crossed, lines run alongside or crossed, length and
 * bends. */
static double
route_cost (const Layout *L, const StratusDiagramPoint *p, guint n, int from, int to)
{
  double cost = 0;
  for (guint i = 0; i + 1 < n; i++)
    {
      double ax = p[i].x, ay = p[i].y, bx = p[i + 1].x, by = p[i + 1].y;
      bool vertical = fabs (ax - bx) < 0.01;
      for (guint k = 0; k < L->obstacles->len; k++)
        {
          const Obstacle *o = &g_array_index (L->obstacles, Obstacle, k);
          if (o->box >= 0 && (o->box == from || o->box == to))
            continue;
          if (segment_meets (ax, ay, bx, by, 3, o->x, o->y, o->w, o->h))
            cost += o->kind == OB_LB ? 150 : 1000;
        }
      for (guint k = 0; k < L->segments->len; k++)
        {
          const Segment *s = &g_array_index (L->segments, Segment, k);
          bool shared = s->to == to || s->from == from;
          bool s_vertical = fabs (s->ax - s->bx) < 0.01;
          if (vertical && s_vertical)
            {
              double overlap = MIN (MAX (ay, by), MAX (s->ay, s->by)) - MAX (MIN (ay, by), MIN (s->ay, s->by));
              double dx = fabs (ax - s->ax);
              if (overlap > 1 && dx < CLEAR)
                cost += shared ? (dx < 0.5 ? 0 : 40) : 300;
            }
          else if (!vertical && !s_vertical)
            {
              double overlap = MIN (MAX (ax, bx), MAX (s->ax, s->bx)) - MAX (MIN (ax, bx), MIN (s->ax, s->bx));
              double dy = fabs (ay - s->ay);
              if (overlap > 1 && dy < CLEAR)
                cost += shared ? (dy < 0.5 ? 0 : 40) : 300;
            }
          else
            {
              /* crossing: the vertical's x strictly inside the horizontal and vice versa */
              double vx = vertical ? ax : s->ax;
              double vy0 = vertical ? MIN (ay, by) : MIN (s->ay, s->by);
              double vy1 = vertical ? MAX (ay, by) : MAX (s->ay, s->by);
              double hy = vertical ? s->ay : ay;
              double hx0 = vertical ? MIN (s->ax, s->bx) : MIN (ax, bx);
              double hx1 = vertical ? MAX (s->ax, s->bx) : MAX (ax, bx);
              if (vx > hx0 + 1 && vx < hx1 - 1 && hy > vy0 + 1 && hy < vy1 - 1)
                cost += shared ? 5 : 25;
            }
        }
      cost += (fabs (bx - ax) + fabs (by - ay)) * 0.02;
    }
  return cost + (n - 2) * 4;
}

/* Candidate x of vertical lines within [lo, hi], the preferred one first, then alternately
 * further right and left. Returns how many (at least 1). */
static guint
lanes (double lo, double hi, double pref, double *out, guint max)
{
  if (lo > hi)
    {
      out[0] = (lo + hi) / 2;
      return 1;
    }
  pref = MIN (MAX (pref, lo), hi);
  guint n = 0;
  out[n++] = pref;
  for (guint k = 1; n < max; k++)
    {
      bool any = false;
      if (pref + k * LANE_STEP <= hi)
        {
          out[n++] = pref + k * LANE_STEP;
          any = true;
        }
      if (n < max && pref - k * LANE_STEP >= lo)
        {
          out[n++] = pref - k * LANE_STEP;
          any = true;
        }
      if (!any)
        break;
    }
  return n;
}

#define MAX_LANES 13
#define FEW_LANES 5
#define BLOCKED 500.0 /* a route this costly crosses a box or a title: look for detours */

typedef struct
{
  StratusDiagramPoint p[6];
  guint n;
  double cost;
} Route;

/* Keeps the route p[0..n) in `best` if it is cheaper than what `best` holds. */
static void
consider (const Layout *L, Route *best, const StratusDiagramPoint *p, guint n, int from, int to,
          double preference)
{
  double c = route_cost (L, p, n, from, to) + preference;
  if (c < best->cost)
    {
      best->cost = c;
      best->n = n;
      memcpy (best->p, p, n * sizeof p[0]);
    }
}

/* The edge of `b` through which a line leaves for (or arrives from) a channel at height y:
 * its bottom when the channel is below, its top when above; false when the channel passes
 * beside the box. */
static bool
edge_towards (const StratusDiagramBox *b, double y, double *edge)
{
  if (y >= b->y + b->height + 8)
    *edge = b->y + b->height;
  else if (y <= b->y - 8)
    *edge = b->y;
  else
    return false;
  return true;
}

/* Routes `a` between the facing edges of its boxes and records its segments. Candidates: a
 * straight line (vertical, or horizontal for boxes side by side); vertical-horizontal-vertical
 * through a channel; and when those cross a box or a title, a detour down a gutter between
 * two channels. The cheapest wins (ties: the first found, so the result is deterministic). */
static void
route_arrow (Layout *L, StratusDiagramArrow *a, int arrow_index)
{
  const StratusDiagramBox *A = &box_at (L, a->from)->pub, *B = &box_at (L, a->to)->pub;
  Route best = { .cost = INFINITY };
  double a_mid = A->x + A->width / 2, b_mid = B->x + B->width / 2;
  bool above = B->y + B->height <= A->y + 0.5;
  bool below = B->y >= A->y + A->height - 0.5;
  double xs[MAX_LANES], xa[MAX_LANES], xb[MAX_LANES];

  if (above || below)
    {
      double ya = above ? A->y : A->y + A->height;
      double yb = above ? B->y + B->height : B->y;
      double lo = MAX (A->x, B->x) + LANE_MARGIN, hi = MIN (A->x + A->width, B->x + B->width) - LANE_MARGIN;
      if (lo <= hi)
        {
          guint n = lanes (lo, hi, (lo + hi) / 2, xs, MAX_LANES);
          for (guint i = 0; i < n; i++)
            {
              StratusDiagramPoint p[2] = { { xs[i], ya }, { xs[i], yb } };
              consider (L, &best, p, 2, a->from, a->to, fabs (xs[i] - b_mid) * 0.03);
            }
        }
    }
  else
    {
      double top = MAX (A->y, B->y), bottom = MIN (A->y + A->height, B->y + B->height);
      bool right = B->x >= A->x + A->width;
      double y = (top + bottom) / 2;
      StratusDiagramPoint p[2] = { { right ? A->x + A->width : A->x, y },
                                   { right ? B->x : B->x + B->width, y } };
      consider (L, &best, p, 2, a->from, a->to, 0);
    }

  guint na = lanes (A->x + LANE_MARGIN, A->x + A->width - LANE_MARGIN, a_mid, xa, MAX_LANES);
  guint nb = lanes (B->x + LANE_MARGIN, B->x + B->width - LANE_MARGIN, b_mid, xb, MAX_LANES);
  for (guint k = 0; k < L->channels->len; k++)
    {
      double y = g_array_index (L->channels, double, k), ya, yb;
      if (!edge_towards (A, y, &ya) || !edge_towards (B, y, &yb))
        continue;
      for (guint i = 0; i < na; i++)
        for (guint j = 0; j < nb; j++)
          {
            if (fabs (xa[i] - xb[j]) < 1)
              continue;
            StratusDiagramPoint p[4] = { { xa[i], ya }, { xa[i], y }, { xb[j], y }, { xb[j], yb } };
            consider (L, &best, p, 4, a->from, a->to,
                      (fabs (xa[i] - a_mid) + fabs (xb[j] - b_mid)) * 0.03);
          }
    }

  if (best.cost >= BLOCKED)
    {
      na = MIN (na, FEW_LANES);
      nb = MIN (nb, FEW_LANES);
      for (guint k1 = 0; k1 < L->channels->len; k1++)
        {
          double y1 = g_array_index (L->channels, double, k1), ya;
          if (!edge_towards (A, y1, &ya))
            continue;
          for (guint k2 = 0; k2 < L->channels->len; k2++)
            {
              double y2 = g_array_index (L->channels, double, k2), yb;
              if (k2 == k1 || !edge_towards (B, y2, &yb))
                continue;
              for (guint m = 0; m < L->vchannels->len; m++)
                {
                  double xm = g_array_index (L->vchannels, double, m);
                  for (guint i = 0; i < na; i++)
                    for (guint j = 0; j < nb; j++)
                      {
                        StratusDiagramPoint p[6] = { { xa[i], ya }, { xa[i], y1 }, { xm, y1 },
                                                     { xm, y2 }, { xb[j], y2 }, { xb[j], yb } };
                        consider (L, &best, p, 6, a->from, a->to,
                                  (fabs (xa[i] - a_mid) + fabs (xb[j] - b_mid)) * 0.03);
                      }
                }
            }
        }
    }

  if (best.n == 0)
    {
      double ya = A->y + A->height, yb = B->y;
      StratusDiagramPoint p[2] = { { a_mid, ya }, { b_mid, yb } };
      best.n = 2;
      memcpy (best.p, p, sizeof p);
    }
  a->n_points = best.n;
  a->points = g_new (StratusDiagramPoint, best.n);
  memcpy (a->points, best.p, best.n * sizeof best.p[0]);
  for (guint i = 0; i + 1 < best.n; i++)
    {
      Segment seg = { best.p[i].x, best.p[i].y, best.p[i + 1].x, best.p[i + 1].y, a->from, a->to,
                      arrow_index };
      g_array_append_val (L->segments, seg);
    }
}

/* Index of the arrow from `from` to `to`, or -1. */
static int
find_arrow (const Layout *L, int from, int to)
{
  for (guint i = 0; i < L->d->arrows->len; i++)
    {
      const StratusDiagramArrow *a = g_ptr_array_index (L->d->arrows, i);
      if (a->from == from && a->to == to)
        return (int) i;
    }
  return -1;
}

/* Adds and routes an arrow (label taken, may be NULL) unless one joins the same boxes. */
static void
add_arrow (Layout *L, const char *kind, int from, int to, char *label)
{
  if (from < 0 || to < 0 || find_arrow (L, from, to) >= 0)
    {
      g_free (label);
      return;
    }
  StratusDiagramArrow *a = g_new0 (StratusDiagramArrow, 1);
  a->kind = g_strdup (kind);
  a->from = from;
  a->to = to;
  a->label = label;
  g_ptr_array_add (L->d->arrows, a);
  route_arrow (L, a, (int) L->d->arrows->len - 1);
}

/* "tcp/443 payments": protocol, port and the calls' names. Caller frees. */
static char *
call_label (const Destination *dest)
{
  GString *s = g_string_new (NULL);
  const StratusOutboundCallConfig *first = g_ptr_array_index (dest->calls, 0);
  g_string_append_printf (s, "%s/%u ", protocol_name (first->protocol), dest->port);
  for (guint i = 0; i < dest->calls->len; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : ", ",
                            ((const StratusOutboundCallConfig *) g_ptr_array_index (dest->calls, i))->name);
  return g_string_free (s, FALSE);
}

/* The destination box record of an outbound call (borrowed), or NULL. */
static Destination *
destination_of (const Layout *L, const StratusOutboundCallConfig *call)
{
  for (guint k = 0; k < L->destinations->len; k++)
    {
      Destination *dest = &g_array_index (L->destinations, Destination, k);
      if (dest->address == call->destination && dest->port == call->port)
        return dest;
    }
  return NULL;
}

/* The requests' arrows, then the outbound calls'. Returns whether any label names a
 * security-group chain. */
static bool
build_arrows (Layout *L)
{
  const StratusVpcConfig *vpc = L->vpc;
  bool chains = false;

  /* internet -> (igw ->) internet-facing load balancers */
  GString *ports = g_string_new (NULL);
  GString *sgs = g_string_new (NULL);
  for (guint l = 0; l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      if (p->cfg->internal)
        continue;
      char *port = g_strdup_printf ("tcp/%u", p->cfg->port);
      if (strstr (ports->str, port) == NULL)
        g_string_append_printf (ports, "%s%s", ports->len ? ", " : "", port);
      g_free (port);
      char *chain = sg_chain (vpc, NULL, true, NULL, p->cfg->security_groups, p->cfg->port);
      if (chain != NULL && strstr (sgs->str, chain) == NULL)
        g_string_append_printf (sgs, "%s%s", sgs->len ? ", " : "", chain);
      g_free (chain);
    }
  if (sgs->len > 0)
    {
      g_string_append_printf (ports, "\n%s", sgs->str);
      chains = L->igw >= 0;
    }
  g_string_free (sgs, TRUE);
  char *in_label = g_string_free (ports, FALSE);
  if (vpc != NULL)
    {
      bool any = false;
      for (guint l = 0; l < L->lbs->len; l++)
        any = any || !g_array_index (L->lbs, LbPlace, l).cfg->internal;
      if (any && L->igw >= 0)
        {
          add_arrow (L, "request", L->internet, L->igw, in_label);
          in_label = NULL;
          for (guint l = 0; l < L->lbs->len; l++)
            {
              const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
              if (!p->cfg->internal)
                add_arrow (L, "request", L->igw, p->box, NULL);
            }
        }
    }
  else
    {
      for (guint l = 0; l < L->lbs->len; l++)
        {
          const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
          if (!p->cfg->internal)
            add_arrow (L, "request", L->internet, p->box, g_strdup_printf ("tcp/%u", p->cfg->port));
        }
    }
  g_free (in_label);

  /* load balancers -> their fleets */
  for (guint l = 0; l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      for (guint f = 0; f < L->fleets->len; f++)
        {
          const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
          if (!fleet_behind (p->cfg, fp->fleet))
            continue;
          char *chain = sg_chain (vpc, p->cfg->security_groups, false, p->cfg->subnets,
                                  fp->fleet->security_groups, fp->fleet->port);
          char *label = chain != NULL ? g_strdup_printf ("tcp/%u\n%s", fp->fleet->port, chain)
                                      : g_strdup_printf ("tcp/%u", fp->fleet->port);
          chains = chains || chain != NULL;
          g_free (chain);
          add_arrow (L, "request", p->box, fp->box, label);
        }
    }

  /* outbound calls: fleet -> NAT gateway -> internet gateway -> destination */
  for (guint f = 0; f < L->fleets->len; f++)
    {
      const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
      for (guint i = 0; fp->fleet->outbound != NULL && i < fp->fleet->outbound->len; i++)
        {
          const StratusOutboundCallConfig *call = g_ptr_array_index (fp->fleet->outbound, i);
          Destination *dest = destination_of (L, call);
          if (dest == NULL)
            continue;
          if (vpc == NULL)
            {
              add_arrow (L, "outbound", fp->box, dest->box,
                         dest->labelled ? NULL : call_label (dest));
              dest->labelled = true;
              continue;
            }
          const StratusSubnetConfig *sn = g_ptr_array_index (vpc->subnets, fp->subnet);
          StratusRouteConfig route;
          if (!stratus_vpc_route_lookup (vpc, sn, call->destination, &route))
            continue;
          bool reaches_igw = false;
          if (route.target == STRATUS_ROUTE_NAT_GATEWAY)
            {
              for (guint k = 0; k < vpc->nat_gateways->len; k++)
                {
                  const StratusNatGatewayConfig *nat = g_ptr_array_index (vpc->nat_gateways, k);
                  if (strcmp (nat->name, route.nat_gateway) != 0 || L->nat_box[k] < 0)
                    continue;
                  add_arrow (L, "outbound", fp->box, L->nat_box[k], NULL);
                  int nat_sn = stratus_vpc_subnet_index (vpc, nat->subnet);
                  StratusRouteConfig out;
                  if (nat_sn >= 0
                      && stratus_vpc_route_lookup (vpc, g_ptr_array_index (vpc->subnets, nat_sn), call->destination, &out)
                      && out.target == STRATUS_ROUTE_INTERNET_GATEWAY)
                    {
                      add_arrow (L, "outbound", L->nat_box[k], L->igw, NULL);
                      reaches_igw = true;
                    }
                }
            }
          else if (route.target == STRATUS_ROUTE_INTERNET_GATEWAY)
            {
              add_arrow (L, "outbound", fp->box, L->igw, NULL);
              reaches_igw = true;
            }
          if (reaches_igw && L->igw >= 0)
            add_arrow (L, "outbound", L->igw, dest->box, call_label (dest));
        }
    }
  return chains;
}

/* ---- labels -------------------------------------------------------------------------------- */

/* The size of an arrow label's rounded box. */
static void
pill_size (StratusDiagram *d, const char *label, double *w, double *h)
{
  text_size (d, label, &PILL_FONT, w, h);
  *w += 12;
  *h += 6;
}

/* Puts the arrow's label on one of its segments where it covers no box, title, other label
 * or other arrow, if there is such a place; prefers the middle of long segments. */
static void
place_label (Layout *L, StratusDiagramArrow *a, guint arrow_index)
{
  static const double ts[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8 };
  double w, h;
  pill_size (L->d, a->label, &w, &h);
  double best_cost = INFINITY, bx = 0, by = 0;
  for (guint i = 0; i + 1 < a->n_points; i++)
    {
      StratusDiagramPoint p = a->points[i], q = a->points[i + 1];
      bool vertical = fabs (p.x - q.x) < 0.01;
      double len = fabs (q.x - p.x) + fabs (q.y - p.y);
      bool last = i + 2 == a->n_points;
      for (guint c = 0; c < G_N_ELEMENTS (ts) * 3; c++)
        {
          guint t = c / 3;
          int side = (int) (c % 3) - 1; /* 0: on the line; -1, 1: beside it */
          double cx = p.x + (q.x - p.x) * ts[t], cy = p.y + (q.y - p.y) * ts[t];
          if (vertical)
            cx += side * (w / 2 + 5);
          else
            cy += side * (h / 2 + 5);
          double x = cx - w / 2, y = cy - h / 2;
          double cost = t * 0.5 + i * 0.2 + (side != 0 ? 6 : 0);
          /* the pill must sit inside its segment, clear of the arrowhead */
          double half = (vertical ? h : w) / 2;
          double from_start = len * ts[t], to_end = len * (1 - ts[t]);
          if (from_start < half + 4 || to_end < half + 4 + (last ? HEAD_LEN : 0))
            cost += 120;
          if (x < MARGIN / 2 || y < MARGIN / 2)
            cost += 500;
          for (guint k = 0; k < L->obstacles->len; k++)
            {
              const Obstacle *o = &g_array_index (L->obstacles, Obstacle, k);
              if (rects_meet (x - 2, y - 2, w + 4, h + 4, o->x, o->y, o->w, o->h))
                cost += 1000;
            }
          for (guint k = 0; k < L->segments->len; k++)
            {
              const Segment *s = &g_array_index (L->segments, Segment, k);
              if (s->arrow != (int) arrow_index && segment_meets (s->ax, s->ay, s->bx, s->by, 1, x, y, w, h))
                cost += 200;
            }
          for (guint k = 0; k < L->d->boxes->len; k++)
            {
              const Box *b = g_ptr_array_index (L->d->boxes, k);
              if (!b->style->container)
                continue;
              /* on or within 4 points of the container's border */
              bool inside = x - 4 >= b->pub.x && y - 4 >= b->pub.y
                            && x + w + 4 <= b->pub.x + b->pub.width
                            && y + h + 4 <= b->pub.y + b->pub.height;
              if (!inside && rects_meet (x - 4, y - 4, w + 8, h + 8, b->pub.x, b->pub.y,
                                         b->pub.width, b->pub.height))
                cost += 30;
            }
          if (cost < best_cost)
            {
              best_cost = cost;
              bx = x;
              by = y;
            }
        }
    }
  a->label_x = bx;
  a->label_y = by;
  a->label_width = w;
  a->label_height = h;
  add_obstacle (L, bx, by, w, h, OB_PILL, -1);
}

/* ---- the whole layout ------------------------------------------------------------------------ */

/* Frees the layout's working state (not the diagram). */
static void
layout_free (Layout *L)
{
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
    .vpc = scenario->vpc,
    .n_az = MAX (scenario->azs->len, 1),
    .lbs = g_array_new (FALSE, FALSE, sizeof (LbPlace)),
    .fleets = g_array_new (FALSE, FALSE, sizeof (FleetPlace)),
    .destinations = g_array_new (FALSE, FALSE, sizeof (Destination)),
    .channels = g_array_new (FALSE, FALSE, sizeof (double)),
    .vchannels = g_array_new (FALSE, FALSE, sizeof (double)),
    .obstacles = g_array_new (FALSE, FALSE, sizeof (Obstacle)),
    .segments = g_array_new (FALSE, FALSE, sizeof (Segment)),
  };
  build_boxes (&L);

  char *file = g_path_get_basename (scenario->path != NULL ? scenario->path : "scenario");
  d->heading = g_strdup_printf ("%s\nArchitecture diagram of %s, drawn by stratus",
                                scenario->name != NULL ? scenario->name : file, file);
  g_free (file);
  double heading_w, heading_h;
  text_size (d, d->heading, &HEADING_FONT, &heading_w, &heading_h);
  d->heading_x = MARGIN;
  d->heading_y = MARGIN;

  double top_y = MARGIN + heading_h + 18;
  double top_h = top_row_height (&L);
  double region_y = top_y + top_h + SKY;
  double in_x = place_grid (&L, region_y);
  place_top_row (&L, in_x, top_y + top_h);
  if (L.vpc == NULL)
    place_bottom_row (&L);

  /* the obstacles arrows avoid */
  add_obstacle (&L, d->heading_x, d->heading_y, heading_w, heading_h, OB_TEXT, -1);
  for (guint i = 0; i < d->boxes->len; i++)
    {
      const Box *b = g_ptr_array_index (d->boxes, i);
      if (b->style->container)
        {
          double tx, ty;
          title_origin (b, &tx, &ty);
          add_obstacle (&L, tx, ty, b->text_w, b->text_h, OB_TEXT, -1);
        }
      else
        add_obstacle (&L, b->pub.x, b->pub.y, b->pub.width, b->pub.height,
                      strcmp (b->pub.kind, "load_balancer") == 0 ? OB_LB : OB_NODE, (int) i);
    }
  bool chains = build_arrows (&L);
  bool outbound = false;
  for (guint i = 0; i < d->arrows->len; i++)
    outbound = outbound
               || strcmp (((StratusDiagramArrow *) g_ptr_array_index (d->arrows, i))->kind, "outbound") == 0;
  for (guint i = 0; i < d->arrows->len; i++)
    {
      StratusDiagramArrow *a = g_ptr_array_index (d->arrows, i);
      if (a->label != NULL)
        place_label (&L, a, i);
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
  place_legend (&L, outbound, chains, MARGIN, bottom + 18, MAX (right - MARGIN, 560));
  const Box *legend = g_ptr_array_index (d->boxes, d->boxes->len - 1);
  d->width = ceil (MAX (right, legend->pub.x + legend->pub.width) + MARGIN);
  d->height = ceil (legend->pub.y + legend->pub.height + MARGIN);
  layout_free (&L);
  return d;
}

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
  PangoLayout *layout = text_layout (ctx, text, font, centred);
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
      title_origin (b, &tx, &ty);
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

/* Colour, width and dashes of an arrow. Arrows sharing lines keep their dashes in step: the
 * dashes start at the tail of arrows fanning out of a shared source (`from_tail`), and are
 * anchored at the head of the others (which merge into a shared target, if any). */
static void
arrow_style (cairo_t *cr, const char *kind, const StratusDiagramPoint *p, guint n, bool from_tail)
{
  bool out = strcmp (kind, "outbound") == 0;
  set_colour (cr, out ? OUTBOUND_COLOUR : REQUEST_COLOUR);
  cairo_set_line_width (cr, 1.6);
  double dash[] = { 6, 3.5 };
  double period = dash[0] + dash[1];
  double offset = from_tail ? 0 : fmod (period - fmod (drawn_length (p, n), period), period);
  cairo_set_dash (cr, dash, out ? 2 : 0, offset);
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
          {
            StratusDiagramPoint p[2] = { { k->x, mid }, { k->x + k->sample_w, mid } };
            arrow_style (cr, k->kind == KEY_OUTBOUND ? "outbound" : "request", p, 2, true);
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
      guint32 colour = strcmp (a->kind, "outbound") == 0 ? OUTBOUND_COLOUR : REQUEST_COLOUR;
      rounded_rect (cr, a->label_x, a->label_y, a->label_width, a->label_height, 4);
      set_colour (cr, 0xFFFFFF);
      cairo_fill_preserve (cr);
      set_colour (cr, colour);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
      double w, h;
      PangoLayout *layout = text_layout (d->pango, a->label, &PILL_FONT, true);
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

/* cairo write function: appends to the GByteArray `closure`. */
static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

typedef enum
{
  FORMAT_PNG,
  FORMAT_SVG,
  FORMAT_PDF,
} Format;

/* cairo names an SVG's groups after global surface serial numbers: renumber them in order
 * of appearance so that the same drawing gives the same file. */
static gboolean
renumber_surface (const GMatchInfo *match, GString *result, gpointer data)
{
  GHashTable *seen = data;
  char *number = g_match_info_fetch (match, 1);
  gpointer known = g_hash_table_lookup (seen, number);
  if (known == NULL)
    {
      known = GUINT_TO_POINTER (g_hash_table_size (seen) + 1);
      g_hash_table_insert (seen, number, known);
    }
  else
    g_free (number);
  g_string_append_printf (result, "surface%u", GPOINTER_TO_UINT (known));
  return FALSE;
}

/* The SVG with its surface ids renumbered (takes `bytes`); NULL if it is not UTF-8. */
static GByteArray *
normalise_svg (GByteArray *bytes)
{
  GRegex *re = g_regex_new ("surface([0-9]+)", 0, 0, NULL);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *out = g_regex_replace_eval (re, (const char *) bytes->data, (gssize) bytes->len, 0, 0,
                                    renumber_surface, seen, NULL);
  g_hash_table_unref (seen);
  g_regex_unref (re);
  g_byte_array_unref (bytes);
  if (out == NULL)
    return NULL;
  size_t len = strlen (out);
  return g_byte_array_new_take ((guint8 *) out, len);
}

/* Writes `bytes` to a temporary file beside `path`, then renames it over `path`. */
static bool
replace_file (const char *path, const GByteArray *bytes, GError **error)
{
  char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  int fd = g_mkstemp_full (tmp, O_WRONLY, 0666);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_IO, "%s: cannot write: %s",
                   path, g_strerror (e));
      g_free (tmp);
      return false;
    }
  int e = 0; /* the file was created 0666 less the umask, as any other output */
  size_t done = 0;
  while (e == 0 && done < bytes->len)
    {
      ssize_t n = write (fd, bytes->data + done, bytes->len - done);
      if (n < 0 && errno != EINTR)
        e = errno;
      else if (n > 0)
        done += (size_t) n;
    }
  if (close (fd) != 0 && e == 0)
    e = errno;
  if (e == 0 && g_rename (tmp, path) != 0)
    e = errno;
  if (e != 0)
    {
      g_unlink (tmp);
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_IO, "%s: cannot write: %s",
                   path, g_strerror (e));
    }
  g_free (tmp);
  return e == 0;
}

bool
stratus_diagram_write (const StratusDiagram *d, const char *path, GError **error)
{
  char *lower = g_ascii_strdown (path, -1);
  Format format;
  bool known = true;
  if (g_str_has_suffix (lower, ".png"))
    format = FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    format = FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    format = FORMAT_PDF;
  else
    {
      format = FORMAT_PNG;
      known = false;
    }
  g_free (lower);
  if (!known)
    {
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_FORMAT,
                   "%s: unknown format: use .svg, .png or .pdf", path);
      return false;
    }

  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  switch (format)
    {
    case FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (d->width * PNG_SCALE),
                                            (int) ceil (d->height * PNG_SCALE));
      break;
    case FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, d->width, d->height);
      break;
    case FORMAT_PDF:
    default:
      surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, d->width, d->height);
      /* no creation date: the same diagram gives the same file */
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
      {
        char *title = g_strndup (d->heading, strcspn (d->heading, "\n"));
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
        g_free (title);
      }
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "stratus diagram");
      break;
    }
  cairo_t *cr = cairo_create (surface);
  if (format == FORMAT_PNG)
    cairo_scale (cr, PNG_SCALE, PNG_SCALE);
  render (cr, d);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_RENDER, "%s: cannot draw: %s",
                   path, cairo_status_to_string (status));
      g_byte_array_unref (bytes);
      return false;
    }
  if (format == FORMAT_SVG)
    {
      bytes = normalise_svg (bytes);
      if (bytes == NULL)
        {
          g_set_error (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_RENDER,
                       "%s: cannot draw: bad SVG", path);
          return false;
        }
    }
  bool ok = replace_file (path, bytes, error);
  g_byte_array_unref (bytes);
  return ok;
}
