/* Architecture diagrams of a scenario: the region, the VPC with its CIDR, one column per
 * Availability Zone, the subnets (public ones -- routed to the internet gateway -- in green,
 * private ones in blue), the load balancers spanning their subnets, the fleets with their
 * instance counts, the NAT and internet gateways, the internet with its clients and the
 * destinations of outbound calls; arrows for the flows that carry traffic, labelled with
 * protocol, port and the security-group chain that admits them. Placement and paths come
 * from the scenario's topology (stratus/topology.h), as in a run: a flow the network blocks
 * has no arrow.
 *
 * A diagram is laid out once (a pure function of the scenario and the installed DejaVu
 * fonts) and can then be inspected box by box and written as PNG, SVG or PDF. Coordinates
 * are in points (1/72 inch) from the top-left corner; PNG files have 2 pixels per point.
 * A diagram keeps its own pango font map (nothing global is left behind when it is freed)
 * and is used by one thread at a time; it does not refer to the scenario once built. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "stratus/scenario.h"

#define STRATUS_DIAGRAM_ERROR (stratus_diagram_error_quark ())
GQuark stratus_diagram_error_quark (void);

typedef enum
{
  STRATUS_DIAGRAM_ERROR_FORMAT, /* the file name ends in none of .svg, .png, .pdf */
  STRATUS_DIAGRAM_ERROR_RENDER, /* cairo failed */
  STRATUS_DIAGRAM_ERROR_IO,     /* the file could not be written */
} StratusDiagramErrorCode;

/* A rectangle of the diagram. Kinds: "region", "vpc", "az", "subnet" (containers, drawn
 * behind), "internet", "destination" (an outbound call's target on the internet),
 * "internet_gateway" (centred on the VPC's top edge), "load_balancer" (a bar across the AZ
 * columns of its subnets), "nat_gateway", "fleet" (one per subnet or AZ holding instances of
 * the fleet), "auto_scaling_group" (a dashed container around its fleet's boxes, titled
 * "NAME  min 2 / desired 2 / max 20" and "target group web-tg"; its parent is the region),
 * "db_instance" (a database member in its subnet: "app-db-1\nwriter\nRDS aurora-mysql, ..."),
 * "legend". Boxes never overlap except a box and its ancestors, a load balancer with the AZ
 * columns and subnets it spans, and an Auto Scaling group's box with the containers its
 * fleet's boxes lie in. */
typedef struct
{
  char *kind;
  char *name;   /* the component's name: "us-east-1a", "public-a", "web", ...; "vpc" for the VPC */
  char *label;  /* the text drawn, lines separated by '\n', e.g. "web x2, c5.large\nEC2 ..." */
  double x, y, width, height;
  int parent;   /* index of the enclosing box, -1 at the top level */
} StratusDiagramBox;

typedef struct
{
  double x, y;
} StratusDiagramPoint;

/* An arrow from one box to another along an orthogonal polyline. */
typedef struct
{
  char *kind;    /* "request" (clients to load balancer to fleet), "outbound" (a fleet's
                  * calls: to the internet, or to a load balancer or fleet of the scenario)
                  * or "query" (a fleet's database queries, to the members they reach) */
  int from, to;  /* box indices */
  char *label;   /* NULL, or lines: "tcp/80\nalb-sg → web-sg" (protocol/port, then the
                  * security-group chain admitting the flow) */
  guint n_points; /* >= 2; the first on the edge of `from`, the last (the head) on `to` */
  StratusDiagramPoint *points;
  double label_x, label_y, label_width, label_height; /* the label's rectangle; 0 if none */
} StratusDiagramArrow;

typedef struct StratusDiagram StratusDiagram;

/* Lays out the diagram of `scenario` (only read during the call). Never fails. Free with
 * stratus_diagram_free. */
StratusDiagram *stratus_diagram_new (const StratusScenario *scenario);

/* Frees the diagram and everything it holds (boxes, arrows, fonts); NULL is ignored. */
void stratus_diagram_free (StratusDiagram *diagram);

/* The canvas size, in points. */
void stratus_diagram_size (const StratusDiagram *diagram, double *width, double *height);

/* The boxes, parents before their children; owned by the diagram. */
guint stratus_diagram_box_count (const StratusDiagram *diagram);
const StratusDiagramBox *stratus_diagram_box (const StratusDiagram *diagram, guint i);

/* Index of the first box of `kind` named `name`, or -1. */
int stratus_diagram_find_box (const StratusDiagram *diagram, const char *kind, const char *name);

/* The arrows, in drawing order; owned by the diagram. */
guint stratus_diagram_arrow_count (const StratusDiagram *diagram);
const StratusDiagramArrow *stratus_diagram_arrow (const StratusDiagram *diagram, guint i);

/* Writes the diagram to `path` as PNG, SVG or PDF, chosen by its extension (any case);
 * another extension is a STRATUS_DIAGRAM_ERROR_FORMAT error "arch.jpg: unknown format: use
 * .svg, .png or .pdf". The file is written under a temporary name in the same directory and
 * renamed over `path`, so readers never see half a file. The same diagram always gives the
 * same bytes (no dates, no counters). */
bool stratus_diagram_write (const StratusDiagram *diagram, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StratusDiagram, stratus_diagram_free)
