/* Architecture diagrams: the boxes (region, VPC, AZ columns, subnets, gateways, load
 * balancers, fleets, database members, destinations) built from the scenario and placed on
 * the grid. */
#include "diagram_private.h"

#include <math.h>
#include <string.h>
#include "stratus/cidr.h"

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
char *
diagram_sg_chain (const StratusVpcConfig *vpc, const GPtrArray *src_groups, bool internet,
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
const char *
diagram_protocol_name (int protocol)
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

/* The box at index i (borrowed). */
Box *
diagram_box_at (const Layout *L, int i)
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
  diagram_text_size (L->d, label, &style->font, &b->text_w, &b->text_h);
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
  Box *b = diagram_box_at (L, box);
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
void
diagram_title_origin (const Box *b, double *x, double *y)
{
  bool subnet = strcmp (b->pub.kind, "subnet") == 0;
  *x = b->pub.x + (subnet ? CELL_PAD : TITLE_X);
  *y = b->pub.y + (subnet ? CELL_PAD : TITLE_Y);
}

/* The left edge of AZ column `col` (the columns are placed already). */
static double
az_x (const Layout *L, guint col)
{
  const Box *first = diagram_box_at (L, L->az_box[0]);
  return first->pub.x + col * (L->az_w + GUTTER);
}

/* ---- building the boxes ------------------------------------------------------------------ */

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

/* True if the scenario has a database with members to draw. */
static bool
has_db_members (const StratusScenario *s)
{
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    if (((const StratusDatabaseConfig *) g_ptr_array_index (s->databases, i))->members->len > 0)
      return true;
  return false;
}

/* The subnets in rows: first the public ones, then the private ones, so that rows of the
 * same kind line up across AZ columns; within each kind those of a load balancer come first
 * (a load balancer's subnets then share a row), then file order. Without a vpc, one row
 * for the load balancers and the instances, and a second one under it for the database
 * members when there are any. */
static void
build_grid (Layout *L)
{
  const StratusVpcConfig *vpc = L->vpc;
  if (vpc == NULL)
    {
      L->n_rows = has_db_members (L->s) ? 2 : 1;
      L->cells = g_new0 (Cell, L->n_rows * L->n_az);
      for (guint i = 0; i < L->n_rows * L->n_az; i++)
        L->cells[i] = (Cell){ .subnet = -1, .box = L->az_box[i % L->n_az],
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
          for (unsigned k = 0; k < stratus_placement_lb_node_count (L->s, lb); k++)
            if (stratus_placement_lb_node (L->s, lb, k).subnet == (int) i)
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

/* The load balancers' bars, each in the row and AZ columns of its nodes' subnets (all the
 * columns without a vpc), as the topology places them. */
static void
build_load_balancers (Layout *L)
{
  const StratusScenario *s = L->s;
  for (guint l = 0; l < s->load_balancers->len; l++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, l);
      GString *label = g_string_new (NULL);
      g_string_append_printf (label, "%s\nApplication Load Balancer, %s, port %u", lb->name,
                              lb->internal ? "internal" : "internet-facing", lb->port);
      for (guint i = 0; lb->security_groups != NULL && i < lb->security_groups->len; i++)
        g_string_append_printf (label, "%s%s", i == 0 ? " · " : ", ",
                                (const char *) g_ptr_array_index (lb->security_groups, i));
      LbPlace p = { .cfg = lb, .index = l, .row = 0, .col0 = 0, .col1 = L->n_az - 1 };
      p.box = add_box (L, "load_balancer", lb->name, g_string_free (label, FALSE),
                       L->vpc != NULL ? L->vpc_box : L->region, &STYLE_LB);
      bool any = false;
      for (unsigned k = 0; k < stratus_placement_lb_node_count (s, lb); k++)
        {
          StratusPlacement node = stratus_placement_lb_node (s, lb, k);
          guint r = 0, c = (guint) node.az;
          if (L->vpc != NULL && !subnet_slot (L, node.subnet, &r, &c))
            continue;
          p.row = any ? MIN (p.row, r) : r;
          p.col0 = any ? MIN (p.col0, c) : c;
          p.col1 = any ? MAX (p.col1, c) : c;
          any = true;
        }
      g_array_append_val (L->lbs, p);
    }
}

/* The NAT gateways, each in the subnet the vpc section names for it. */
static void
build_nat_gateways (Layout *L)
{
  const StratusVpcConfig *vpc = L->vpc;
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
}

/* Places every instance of fleet `f` in the topology and appends one FleetPlace per subnet
 * (or, without a vpc, per AZ) that receives some, in the order of their first instance,
 * which is the place's representative. */
static void
place_fleet (Layout *L, guint f)
{
  const StratusFleetConfig *fleet = g_ptr_array_index (L->s->fleets, f);
  guint n_slots = L->vpc != NULL ? L->vpc->subnets->len : L->n_az;
  int *place_of = g_new (int, n_slots); /* index in L->fleets, or -1 */
  for (guint k = 0; k < n_slots; k++)
    place_of[k] = -1;
  for (int i = 0; i < fleet->count; i++)
    {
      char *name = g_strdup_printf ("%s-%d", fleet->name, i + 1);
      StratusPlacement where;
      int endpoint = stratus_topology_add_instance (L->topology, f, (unsigned) i, name, &where);
      g_free (name);
      int slot = L->vpc != NULL ? where.subnet : where.az;
      if (place_of[slot] < 0)
        {
          FleetPlace p = { .box = -1, .fleet = fleet, .subnet = where.subnet, .az = where.az,
                           .endpoint = endpoint };
          place_of[slot] = (int) L->fleets->len;
          g_array_append_val (L->fleets, p);
        }
      g_array_index (L->fleets, FleetPlace, place_of[slot]).count++;
    }
  g_free (place_of);
}

/* The fleets' boxes: one per subnet (or AZ) where the topology places instances, with the
 * number there. */
static void
build_fleets (Layout *L)
{
  for (guint f = 0; f < L->s->fleets->len; f++)
    {
      guint first = L->fleets->len;
      place_fleet (L, f);
      for (guint k = first; k < L->fleets->len; k++)
        {
          FleetPlace *p = &g_array_index (L->fleets, FleetPlace, k);
          guint r = 0, c = (guint) p->az;
          if (L->vpc != NULL && !subnet_slot (L, p->subnet, &r, &c))
            continue; /* never: every subnet has its slot */
          int parent = L->vpc != NULL ? cell_at (L, r, c)->box : L->az_box[c];
          p->box = add_box (L, "fleet", p->fleet->name, fleet_label (p->fleet, p->count), parent,
                            &STYLE_FLEET);
          g_array_append_val (cell_at (L, r, c)->items, p->box);
        }
    }
}

/* A member's role as the diagram words it: "writer", "standby", "standby (readable)",
 * "reader", "read replica" (static). */
static const char *
role_text (StratusDbRole role)
{
  switch (role)
    {
    case STRATUS_DB_ROLE_WRITER:
      return "writer";
    case STRATUS_DB_ROLE_STANDBY:
      return "standby";
    case STRATUS_DB_ROLE_CLUSTER_STANDBY:
      return "standby (readable)";
    case STRATUS_DB_ROLE_AURORA_READER:
      return "reader";
    default:
      return "read replica";
    }
}

/* "app-db-1\nwriter\nRDS aurora-mysql, db.r6g.large · db-sg": the member's name and role;
 * the database's engine, class and security groups once, under its first member (the
 * writer). Caller frees. */
static char *
member_label (const StratusDatabaseConfig *db, guint k)
{
  const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, k);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s\n%s", m->name, role_text (m->role));
  if (k == 0)
    {
      g_string_append_printf (s, "\nRDS %s, %s", stratus_db_engine_name (db->engine),
                              db->instance_class);
      for (guint i = 0; db->security_groups != NULL && i < db->security_groups->len; i++)
        g_string_append_printf (s, "%s%s", i == 0 ? " · " : ", ",
                                (const char *) g_ptr_array_index (db->security_groups, i));
    }
  return g_string_free (s, FALSE);
}

/* The database members' boxes, each in its subnet's slot after the NAT gateways and fleets
 * there (without a vpc, in its AZ column's row under the instances), as the topology places
 * them. */
static void
build_databases (Layout *L)
{
  const StratusScenario *s = L->s;
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    {
      const StratusDatabaseConfig *db = g_ptr_array_index (s->databases, i);
      for (guint k = 0; k < db->members->len; k++)
        {
          const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, k);
          guint r = L->n_rows - 1, c = (guint) m->az; /* flat: the row under the instances */
          if (L->vpc != NULL ? !subnet_slot (L, m->subnet, &r, &c) : c >= L->n_az)
            continue; /* never: the parser places every member */
          int parent = L->vpc != NULL ? cell_at (L, r, c)->box : L->az_box[c];
          MemberPlace p = { .db = db, .index = i, .member = k,
                            .endpoint = stratus_topology_db_member (L->topology, i, k) };
          p.box = add_box (L, "db_instance", m->name, member_label (db, k), parent, &STYLE_DB);
          g_array_append_val (cell_at (L, r, c)->items, p.box);
          g_array_append_val (L->members, p);
        }
    }
}

/* The destinations of the outbound calls to internet addresses: one box per address and
 * port, named after the calls that go there. Calls to the scenario's own load balancers and
 * fleets have none: their arrows end at those boxes. */
static void
build_destinations (Layout *L)
{
  const StratusScenario *s = L->s;
  for (guint f = 0; f < s->fleets->len; f++)
    {
      const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, f);
      for (guint i = 0; fleet->outbound != NULL && i < fleet->outbound->len; i++)
        {
          const StratusOutboundCallConfig *call = g_ptr_array_index (fleet->outbound, i);
          int endpoint = stratus_topology_call_address (L->topology, call);
          if (endpoint < 0)
            continue;
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
                                    .endpoint = endpoint, .calls = g_ptr_array_new () };
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

/* Creates every box (sizes of nodes from their text; positions come later) and the grid,
 * placing the scenario's instances in the layout's topology. */
void
diagram_build_boxes (Layout *L)
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
  build_load_balancers (L);
  build_nat_gateways (L);
  build_fleets (L);
  build_databases (L);

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
  build_destinations (L);
}

/* ---- placing the boxes ------------------------------------------------------------------- */

/* True if the fleet is registered in the load balancer's target group. */
bool
diagram_fleet_behind (const StratusLoadBalancerConfig *lb, const StratusFleetConfig *f)
{
  return stratus_fleet_in_group (f, lb->target_group);
}

/* The width of a slot's boxes side by side. */
static double
items_width (const Layout *L, const Cell *c)
{
  double w = 0;
  for (guint i = 0; i < c->items->len; i++)
    w += diagram_box_at (L, g_array_index (c->items, int, i))->pub.width + (i > 0 ? ITEM_GAP : 0);
  return w;
}

/* The height of the tallest of a slot's boxes. */
static double
items_height (const Layout *L, const Cell *c)
{
  double h = 0;
  for (guint i = 0; i < c->items->len; i++)
    h = MAX (h, diagram_box_at (L, g_array_index (c->items, int, i))->pub.height);
  return h;
}

/* Records a rectangle that routes and labels avoid. */
void
diagram_add_obstacle (Layout *L, double x, double y, double w, double h, int kind, int box)
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

/* The measures of the grid, shared by the steps of diagram_place_grid. */
typedef struct
{
  bool flat;         /* no vpc */
  guint n, rows;     /* AZ columns, rows of subnets */
  double cell_w;     /* a subnet's width (a slot's, without a vpc) */
  double title_h;    /* the tallest subnet title */
  double *row_h;     /* per row: its height */
  double *content_h; /* per row: its tallest box */
  double *first_gap; /* per row: above its first load balancer */
  double igw_h;      /* the internet gateway's height, 0 without one */
  double inner_x;    /* the left edge of the first AZ column */
  double az_top, az_header, az_h; /* the AZ columns' top, title band and height */
  double columns_w;  /* the AZ columns side by side, gutters included */
} Grid;

/* Sets the subnets' sidebar, the tallest subnet title, a subnet's width and the AZ
 * columns' width (L->az_w): wide enough for the widest slot, the AZ titles and the load
 * balancers across columns. */
static void
grid_widths (Layout *L, Grid *G)
{
  double cmax = 0;
  L->sidebar_w = 0;
  G->title_h = 0;
  for (guint r = 0; r < G->rows; r++)
    for (guint c = 0; c < G->n; c++)
      {
        const Cell *cell = cell_at (L, r, c);
        cmax = MAX (cmax, items_width (L, cell));
        if (!G->flat && cell->box >= 0)
          {
            L->sidebar_w = MAX (L->sidebar_w, diagram_box_at (L, cell->box)->text_w);
            G->title_h = MAX (G->title_h, diagram_box_at (L, cell->box)->text_h);
          }
      }
  double cell_w = G->flat ? cmax + 2 * CELL_PAD
                          : 2 * CELL_PAD + L->sidebar_w + (cmax > 0 ? SIDEBAR_GAP + cmax : 0);
  double az_w = MAX (cell_w + 2 * AZ_PAD, 170);
  for (guint c = 0; c < G->n; c++)
    az_w = MAX (az_w, diagram_box_at (L, L->az_box[c])->text_w + 2 * TITLE_X + 20);
  for (guint l = 0; l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      guint k = p->col1 - p->col0 + 1;
      double need = diagram_box_at (L, p->box)->pub.width + 2 * (AZ_PAD + LB_INSET) + 24;
      az_w = MAX (az_w, (need - (k - 1) * GUTTER) / k);
    }
  L->az_w = az_w;
  G->cell_w = az_w - 2 * AZ_PAD;
}

/* The gap above row `r`'s first load balancer: room for the arrows' labels when it sits
 * under fleets of its own row behind it, LB_GAP otherwise. */
static double
row_first_gap (const Layout *L, bool flat, guint r)
{
  double gap = LB_GAP;
  for (guint l = 0; !flat && l < L->lbs->len; l++)
    {
      const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
      for (guint f = 0; p->row == r && f < L->fleets->len; f++)
        {
          const FleetPlace *fp = &g_array_index (L->fleets, FleetPlace, f);
          guint fr, fc;
          if (diagram_fleet_behind (p->cfg, fp->fleet) && subnet_slot (L, fp->subnet, &fr, &fc)
              && fr == r)
            gap = ROW_GAP - CELL_PAD;
        }
    }
  return gap;
}

/* Allocates and fills the rows' heights, tallest boxes and first gaps. */
static void
grid_row_heights (const Layout *L, Grid *G)
{
  G->row_h = g_new0 (double, MAX (G->rows, 1));
  G->content_h = g_new0 (double, MAX (G->rows, 1));
  G->first_gap = g_new0 (double, MAX (G->rows, 1));
  for (guint r = 0; r < G->rows; r++)
    {
      G->first_gap[r] = row_first_gap (L, G->flat, r);
      for (guint c = 0; c < G->n; c++)
        G->content_h[r] = MAX (G->content_h[r], items_height (L, cell_at (L, r, c)));
      double lbs = 0;
      guint n_lbs = 0;
      for (guint l = 0; l < L->lbs->len; l++)
        {
          const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
          if (p->row == r)
            {
              lbs += LB_GAP + diagram_box_at (L, p->box)->pub.height;
              n_lbs++;
            }
        }
      /* without a vpc: the bars, room for the arrows' labels, the instances */
      G->row_h[r] = G->flat ? lbs - (n_lbs > 0 ? LB_GAP : 0)
                                + (n_lbs > 0 && G->content_h[r] > 0 ? ROW_GAP : 0)
                                + G->content_h[r] + CELL_PAD
                            : 2 * CELL_PAD + MAX (G->title_h, G->content_h[r]) + lbs
                                + (n_lbs > 0 ? G->first_gap[r] - LB_GAP : 0);
    }
}

/* Places the region, the VPC and the AZ columns from `region_y`; sets where the columns
 * are (inner_x, az_top, az_header, az_h, columns_w) and the internet gateway's height. */
static void
grid_containers (Layout *L, Grid *G, double region_y)
{
  Box *region = diagram_box_at (L, L->region);
  Box *az0 = diagram_box_at (L, L->az_box[0]);
  G->igw_h = L->igw >= 0 ? diagram_box_at (L, L->igw)->pub.height : 0;
  double region_header = TITLE_Y + region->text_h + 12;
  if (!G->flat)
    region_header = MAX (region_header, G->igw_h / 2 + 16);
  double region_x = MARGIN;
  G->inner_x = region_x + REGION_PAD;
  double vpc_header = 0;
  if (!G->flat)
    {
      Box *vpc = diagram_box_at (L, L->vpc_box);
      vpc_header = MAX (TITLE_Y + vpc->text_h + 14, G->igw_h / 2 + 36);
      G->az_top = region_y + region_header + vpc_header;
      G->inner_x += VPC_PAD;
    }
  else
    G->az_top = region_y + region_header;
  G->az_header = TITLE_Y + az0->text_h + 10;
  G->az_h = G->az_header + AZ_PAD;
  for (guint r = 0; r < G->rows; r++)
    G->az_h += G->row_h[r] + (r > 0 ? ROW_GAP : 0);
  if (G->flat)
    {
      G->az_h = G->az_header + (G->rows > 0 ? G->row_h[0] : AZ_PAD);
      for (guint r = 1; r < G->rows; r++) /* the database members' row */
        G->az_h += ROW_GAP + G->row_h[r];
    }
  G->columns_w = G->n * L->az_w + (G->n - 1) * GUTTER;
  for (guint c = 0; c < G->n; c++)
    set_rect (L, L->az_box[c], G->inner_x + c * (L->az_w + GUTTER), G->az_top, L->az_w, G->az_h);
  double region_w, region_h;
  if (!G->flat)
    {
      double vpc_w = G->columns_w + 2 * VPC_PAD;
      double vpc_h = vpc_header + G->az_h + VPC_PAD;
      set_rect (L, L->vpc_box, region_x + REGION_PAD, region_y + region_header, vpc_w, vpc_h);
      region_w = vpc_w + 2 * REGION_PAD;
      region_h = region_header + vpc_h + REGION_PAD;
    }
  else
    {
      region_w = G->columns_w + 2 * REGION_PAD;
      region_h = region_header + G->az_h + REGION_PAD;
    }
  region_w = MAX (region_w, region->text_w + 2 * TITLE_X + 20);
  set_rect (L, L->region, region_x, region_y, region_w, region_h);
}

/* Places row `r`'s subnets (from `y`) and their boxes side by side: under the subnet's
 * title sidebar with a vpc, at the bottom of the row without. */
static void
grid_place_cells (Layout *L, const Grid *G, guint r, double y)
{
  for (guint c = 0; c < G->n; c++)
    {
      Cell *cell = cell_at (L, r, c);
      double cx = az_x (L, c) + AZ_PAD;
      double ix, iy;
      if (!G->flat)
        {
          if (cell->box >= 0)
            set_rect (L, cell->box, cx, y, G->cell_w, G->row_h[r]);
          double area_x = cx + CELL_PAD + L->sidebar_w + SIDEBAR_GAP;
          double area_w = cx + G->cell_w - CELL_PAD - area_x;
          ix = area_x + (area_w - items_width (L, cell)) / 2;
          iy = y + CELL_PAD;
        }
      else
        {
          ix = cx + (G->cell_w - items_width (L, cell)) / 2;
          iy = y + G->row_h[r] - CELL_PAD - G->content_h[r];
        }
      for (guint i = 0; i < cell->items->len; i++)
        {
          Box *item = diagram_box_at (L, g_array_index (cell->items, int, i));
          item->pub.x = ix;
          item->pub.y = iy;
          ix += item->pub.width + ITEM_GAP;
        }
    }
}

/* Places the rows top to bottom: their subnets and boxes, then their load balancers across
 * the columns they span; adds the channels between rows (and, without a vpc, above the
 * instances). */
static void
grid_place_rows (Layout *L, const Grid *G)
{
  double y = G->az_top + G->az_header;
  for (guint r = 0; r < G->rows; r++)
    {
      grid_place_cells (L, G, r, y);
      double lb_y = G->flat ? y
                            : y + CELL_PAD + MAX (G->title_h, G->content_h[r]) + G->first_gap[r];
      for (guint l = 0; l < L->lbs->len; l++)
        {
          const LbPlace *p = &g_array_index (L->lbs, LbPlace, l);
          if (p->row != r)
            continue;
          Box *lb = diagram_box_at (L, p->box);
          lb->pub.x = az_x (L, p->col0) + AZ_PAD + LB_INSET;
          lb->pub.width = az_x (L, p->col1) + L->az_w - AZ_PAD - LB_INSET - lb->pub.x;
          lb->pub.y = lb_y;
          lb_y += lb->pub.height + LB_GAP;
        }
      if (r > 0)
        add_channel (L, y - ROW_GAP / 2);
      if (G->flat && G->content_h[r] > 0 && lb_y > y)
        add_channel (L, y + G->row_h[r] - CELL_PAD - G->content_h[r] - ROW_GAP / 2);
      y += G->row_h[r] + ROW_GAP;
    }
}

/* Adds the channels around the columns: under the internet, in the gutters, at the left
 * and right margins and under the columns. */
static void
grid_outer_channels (Layout *L, const Grid *G, double region_y)
{
  add_channel (L, region_y - 26); /* under the internet */
  for (guint c = 0; c + 1 < G->n; c++)
    {
      double x = az_x (L, c) + L->az_w + GUTTER / 2;
      g_array_append_val (L->vchannels, x);
    }
  double margin = G->flat ? REGION_PAD / 2 : VPC_PAD / 2;
  double left = G->inner_x - margin, right = G->inner_x + G->columns_w + margin;
  g_array_append_val (L->vchannels, left);
  g_array_append_val (L->vchannels, right);
  add_channel (L, G->az_top + G->az_h + (G->flat ? REGION_PAD : VPC_PAD) / 2);
}

/* Where the internet comes in: over the gap between AZ columns at the middle of the first
 * internet-facing load balancer (or over it, or over the columns' middle); with a vpc,
 * places the internet gateway on its top edge there, and adds the channel under it. */
static double
grid_entry (Layout *L, const Grid *G)
{
  const LbPlace *entry = NULL;
  for (guint l = 0; l < L->lbs->len && entry == NULL; l++)
    if (!g_array_index (L->lbs, LbPlace, l).cfg->internal)
      entry = &g_array_index (L->lbs, LbPlace, l);
  double in_x;
  if (entry != NULL && entry->col1 > entry->col0)
    {
      guint c = (entry->col0 + entry->col1 - 1) / 2;
      in_x = az_x (L, c) + L->az_w + GUTTER / 2;
    }
  else if (entry != NULL)
    in_x = diagram_box_at (L, entry->box)->pub.x + diagram_box_at (L, entry->box)->pub.width / 2;
  else
    in_x = G->inner_x + G->columns_w / 2;

  if (!G->flat)
    {
      Box *vpc = diagram_box_at (L, L->vpc_box);
      add_channel (L, (vpc->pub.y + G->igw_h / 2 + G->az_top) / 2);
      if (L->igw >= 0)
        {
          Box *igw = diagram_box_at (L, L->igw);
          double lo = vpc->pub.x + TITLE_X + vpc->text_w + 20 + igw->pub.width / 2;
          double hi = vpc->pub.x + vpc->pub.width - 12 - igw->pub.width / 2;
          in_x = MAX (MIN (in_x, hi), lo);
          igw->pub.x = in_x - igw->pub.width / 2;
          igw->pub.y = vpc->pub.y - igw->pub.height / 2;
        }
    }
  return in_x;
}

/* Places everything but the top row and the legend; returns the x where the internet box
 * should be centred (over the internet gateway, or over the gap its load balancer spans). */
double
diagram_place_grid (Layout *L, double region_y)
{
  Grid G = { .flat = L->vpc == NULL, .n = L->n_az, .rows = L->n_rows };
  grid_widths (L, &G);
  grid_row_heights (L, &G);
  grid_containers (L, &G, region_y);
  grid_place_rows (L, &G);
  g_free (G.row_h);
  g_free (G.content_h);
  g_free (G.first_gap);
  grid_outer_channels (L, &G, region_y);
  return grid_entry (L, &G);
}

/* The internet centred at `in_x` and the destinations to its right, bottoms aligned at
 * `bottom`. */
void
diagram_place_top_row (Layout *L, double in_x, double bottom)
{
  Box *net = diagram_box_at (L, L->internet);
  net->pub.x = MAX (MARGIN, in_x - net->pub.width / 2);
  net->pub.y = bottom - net->pub.height;
  double x = net->pub.x + net->pub.width + TOP_GAP;
  for (guint k = 0; L->vpc != NULL && k < L->destinations->len; k++)
    {
      Box *b = diagram_box_at (L, g_array_index (L->destinations, Destination, k).box);
      b->pub.x = x;
      b->pub.y = bottom - b->pub.height;
      x += b->pub.width + TOP_GAP / 2;
    }
}

/* Without a vpc, instances call the internet directly: the destinations go in a row under
 * the region, centred, so that the calls leave the fleets downwards. */
void
diagram_place_bottom_row (Layout *L)
{
  const Box *region = diagram_box_at (L, L->region);
  double top = region->pub.y + region->pub.height + 64, total = 0;
  for (guint k = 0; k < L->destinations->len; k++)
    total += diagram_box_at (L, g_array_index (L->destinations, Destination, k).box)->pub.width
             + (k > 0 ? TOP_GAP : 0);
  double x = MAX (MARGIN, region->pub.x + (region->pub.width - total) / 2);
  for (guint k = 0; k < L->destinations->len; k++)
    {
      Box *b = diagram_box_at (L, g_array_index (L->destinations, Destination, k).box);
      b->pub.x = x;
      b->pub.y = top;
      x += b->pub.width + TOP_GAP;
    }
  add_channel (L, region->pub.y + region->pub.height + 28);
}

/* The height of the row of the internet and (with a vpc) the destinations. */
double
diagram_top_row_height (const Layout *L)
{
  double h = diagram_box_at (L, L->internet)->pub.height;
  for (guint k = 0; L->vpc != NULL && k < L->destinations->len; k++)
    h = MAX (h, diagram_box_at (L, g_array_index (L->destinations, Destination, k).box)->pub.height);
  return h;
}

/* The legend under the region, wrapped to `width`; the outbound-call, query and chain
 * entries only when the diagram has such arrows or labels. */
void
diagram_place_legend (Layout *L, bool outbound, bool queries, bool chains, double x0, double y0,
                      double width)
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
  if (queries)
    {
      Key kq = { .kind = KEY_QUERY,
                 .text = g_strdup ("database query (instances → DB instance)") };
      g_array_append_val (d->keys, kq);
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
      diagram_text_size (d, k->text, &KEY_FONT, &tw, &th);
      k->sample_w = 28;
      if (k->kind == KEY_CHAIN)
        {
          double sh;
          diagram_text_size (d, k->sample, &KEY_SG_FONT, &k->sample_w, &sh);
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
