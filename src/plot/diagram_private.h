/* Private to the architecture diagram (diagram.c, diagram_layout.c, diagram_arrows.c,
 * diagram_flows.c, diagram_render.c): geometry and style, the diagram's boxes, arrows and
 * legend, and the layout state shared while it is built. Not installed; nothing else
 * includes it. */
#pragma once

#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "stratus/diagram.h"
#include "stratus/scenario.h"
#include "stratus/topology.h"

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
#define QUERY_COLOUR 0x3B48CCu
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

extern const Style STYLE_REGION;
extern const Style STYLE_VPC;
extern const Style STYLE_AZ;
extern const Style STYLE_PUBLIC;
extern const Style STYLE_PRIVATE;
extern const Style STYLE_CLOUD;
extern const Style STYLE_GATEWAY;
extern const Style STYLE_LB;
extern const Style STYLE_FLEET;
extern const Style STYLE_DB; /* a database member (DB instance) */
extern const Style STYLE_LEGEND;
extern const Style STYLE_GROUP; /* an Auto Scaling group (diagram_groups.c) */
extern const Font HEADING_FONT;
extern const Font PILL_FONT;
extern const Font KEY_FONT;
extern const Font KEY_SG_FONT;

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
  KEY_QUERY,
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
  GArray *items; /* int: boxes of its NAT gateways, fleets and database members, left to
                  * right */
} Cell;

typedef struct
{
  int box;
  const StratusLoadBalancerConfig *cfg;
  guint index; /* in scenario->load_balancers */
  guint row, col0, col1;
} LbPlace;

/* A fleet's box: the instances the topology places in one subnet (or, without a vpc, one
 * AZ). */
typedef struct
{
  int box;
  const StratusFleetConfig *fleet;
  int subnet;   /* -1 without a vpc */
  int az;
  int count;
  int endpoint; /* its first instance in the topology: the flows' representative */
} FleetPlace;

/* A database member's box: one per member, in its subnet (or, without a vpc, its AZ). */
typedef struct
{
  int box;
  const StratusDatabaseConfig *db;
  guint index;  /* the database, in scenario->databases */
  guint member; /* in db->members; 0 is the writer at the start */
  int endpoint; /* the member in the topology */
} MemberPlace;

typedef struct
{
  int box;
  uint32_t address;
  uint16_t port;
  int endpoint;     /* the address's endpoint in the topology */
  GPtrArray *calls; /* const StratusOutboundCallConfig* (borrowed) */
  bool labelled;    /* an arrow into it carries the label already */
} Destination;

typedef struct
{
  StratusDiagram *d;
  const StratusScenario *s;
  StratusTopology *topology;   /* placement and paths; freed with the layout */
  const StratusVpcConfig *vpc; /* NULL: a flat network */
  guint n_az, n_rows;
  Cell *cells;                 /* n_rows x n_az, row-major */
  int region, vpc_box, igw, internet;
  int *az_box;
  GArray *lbs;          /* LbPlace */
  GArray *fleets;       /* FleetPlace */
  GArray *members;      /* MemberPlace, by database then member */
  GArray *destinations; /* Destination */
  int *nat_box;         /* per vpc->nat_gateways */
  GArray *channels;     /* double: y of horizontal channels */
  GArray *vchannels;    /* double: x of vertical channels (gutters, margins) */
  GArray *obstacles;    /* Obstacle */
  GArray *segments;     /* Segment */
  double sidebar_w, az_w;
} Layout;

/* ---- functions shared by the diagram's files ---------------------------------------- */

/* A layout of `text` (lines split at '\n') in `font`, on the diagram's own pango context.
 * Caller unrefs. */
PangoLayout *
diagram_text_layout (PangoContext *ctx, const char *text, const Font *font, bool centred);

/* The logical extents of `text` in `font`. */
void
diagram_text_size (StratusDiagram *d, const char *text, const Font *font, double *w, double *h);

/* "alb-sg → web-sg": the first inbound rule of the destination's groups that admits tcp/port
 * from the source (a member of one of `src_groups`, or the internet when `internet`, or an
 * address of one of the subnets in `src_subnets`); NULL when none does. Caller frees. */
char *
diagram_sg_chain (const StratusVpcConfig *vpc, const GPtrArray *src_groups, bool internet,
                  const GPtrArray *src_subnets, const GPtrArray *dst_groups, uint16_t port);

/* "tcp", "udp" or "icmp" for labels (a static string). */
const char *
diagram_protocol_name (int protocol);

/* The box at index i (borrowed). */
Box *
diagram_box_at (const Layout *L, int i);

/* Where a container's title starts. */
void
diagram_title_origin (const Box *b, double *x, double *y);

/* Creates every box (sizes of nodes from their text; positions come later) and the grid. */
void
diagram_build_boxes (Layout *L);

/* True if the fleet is registered in the load balancer's target group. */
bool
diagram_fleet_behind (const StratusLoadBalancerConfig *lb, const StratusFleetConfig *f);

/* Records a rectangle that routes and labels avoid. */
void
diagram_add_obstacle (Layout *L, double x, double y, double w, double h, int kind, int box);

/* Places everything but the top row and the legend; returns the x where the internet box
 * should be centred (over the internet gateway, or over the gap its load balancer spans). */
double
diagram_place_grid (Layout *L, double region_y);

/* The internet centred at `in_x` and the destinations to its right, bottoms aligned at
 * `bottom`. */
void
diagram_place_top_row (Layout *L, double in_x, double bottom);

/* Without a vpc, instances call the internet directly: the destinations go in a row under
 * the region, centred, so that the calls leave the fleets downwards. */
void
diagram_place_bottom_row (Layout *L);

/* The height of the row of the internet and (with a vpc) the destinations. */
double
diagram_top_row_height (const Layout *L);

/* A dashed box per Auto Scaling group around its fleet's placed boxes, titled with its
 * name, capacities and target groups (diagram_groups.c); nothing without groups. */
void
diagram_add_group_boxes (Layout *L);

/* The legend under the region, wrapped to `width`; the outbound-call, query and chain
 * entries only when the diagram has such arrows or labels. */
void
diagram_place_legend (Layout *L, bool outbound, bool queries, bool chains, double x0, double y0,
                      double width);

/* Adds and routes an arrow (label taken, may be NULL) unless one joins the same boxes. */
void
diagram_add_arrow (Layout *L, const char *kind, int from, int to, char *label);

/* The requests' arrows, then the outbound calls', then the database queries', for the
 * flows the topology delivers. Returns whether any label names a security-group chain. */
bool
diagram_build_arrows (Layout *L);

/* Puts the arrow's label on one of its segments where it covers no box, title, other label
 * or other arrow, if there is such a place; prefers the middle of long segments. */
void
diagram_place_label (Layout *L, StratusDiagramArrow *a, guint arrow_index);
