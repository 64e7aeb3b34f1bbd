/* Architecture diagrams: the boxes and arrows of scenarios/vpc-public-private.yaml, the flat
 * scenarios/web-two-az.yaml, calls routed through another AZ's NAT gateway and calls to
 * internal resources as the topology delivers them, layouts of 6 AZs x 2 subnets and 2 AZs x
 * 6 subnets without overlaps, the files written (signatures, identical bytes twice, bad
 * extensions), and databases: their members in their subnets (or AZ columns) and the
 * queries' arrows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"
#include "tmpdir.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "stratus/diagram.h"
#include "stratus/scenario.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* The scenario file scenarios/NAME of the source tree, loaded. Caller frees. */
static StratusScenario *
load_shipped (const char *name)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  char *path = g_build_filename (root, "scenarios", name, NULL);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (path, NULL, &error);
  if (s == NULL)
    fail_msg ("%s: %s", path, error->message);
  g_free (path);
  return s;
}

/* The text of scenarios/NAME. Caller frees. */
static char *
read_shipped (const char *name)
{
  char *path = g_build_filename (g_getenv ("STRATUS_SOURCE_ROOT"), "scenarios", name, NULL);
  char *text = NULL;
  assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_free (path);
  return text;
}

static const StratusDiagramBox *
box (const StratusDiagram *d, int i)
{
  assert_true (i >= 0 && (guint) i < stratus_diagram_box_count (d));
  return stratus_diagram_box (d, (guint) i);
}

/* The box of `kind` named `name`; fails the test when there is none. */
static int
find (const StratusDiagram *d, const char *kind, const char *name)
{
  int i = stratus_diagram_find_box (d, kind, name);
  if (i < 0)
    fail_msg ("no %s box named %s", kind, name);
  return i;
}

/* The box of `kind` named `name` whose parent is `parent`, or -1. */
static int
find_in (const StratusDiagram *d, const char *kind, const char *name, int parent)
{
  for (guint i = 0; i < stratus_diagram_box_count (d); i++)
    {
      const StratusDiagramBox *b = stratus_diagram_box (d, i);
      if (strcmp (b->kind, kind) == 0 && strcmp (b->name, name) == 0 && b->parent == parent)
        return (int) i;
    }
  return -1;
}

static guint
count_kind (const StratusDiagram *d, const char *kind)
{
  guint n = 0;
  for (guint i = 0; i < stratus_diagram_box_count (d); i++)
    n += strcmp (stratus_diagram_box (d, i)->kind, kind) == 0;
  return n;
}

static void
assert_contains (const char *text, const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    fail_msg ("'%s' does not contain '%s'", text != NULL ? text : "(null)", needle);
}

#define EPS 0.01

static bool
overlap (double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
{
  return ax < bx + bw - EPS && bx < ax + aw - EPS && ay < by + bh - EPS && by < ay + ah - EPS;
}

static bool
boxes_overlap (const StratusDiagramBox *a, const StratusDiagramBox *b)
{
  return overlap (a->x, a->y, a->width, a->height, b->x, b->y, b->width, b->height);
}

static bool
inside (const StratusDiagramBox *in, const StratusDiagramBox *out)
{
  return in->x >= out->x - EPS && in->y >= out->y - EPS
         && in->x + in->width <= out->x + out->width + EPS
         && in->y + in->height <= out->y + out->height + EPS;
}

static bool
ancestor (const StratusDiagram *d, int a, int b)
{
  for (int i = box (d, b)->parent; i >= 0; i = box (d, i)->parent)
    if (i == a)
      return true;
  return false;
}

static bool
is_container (const StratusDiagramBox *b)
{
  return strcmp (b->kind, "region") == 0 || strcmp (b->kind, "vpc") == 0
         || strcmp (b->kind, "az") == 0 || strcmp (b->kind, "subnet") == 0
         || strcmp (b->kind, "auto_scaling_group") == 0;
}

static bool
on_edge (const StratusDiagramBox *b, StratusDiagramPoint p)
{
  bool within_x = p.x >= b->x - EPS && p.x <= b->x + b->width + EPS;
  bool within_y = p.y >= b->y - EPS && p.y <= b->y + b->height + EPS;
  return (within_x && (fabs (p.y - b->y) < 0.5 || fabs (p.y - b->y - b->height) < 0.5))
         || (within_y && (fabs (p.x - b->x) < 0.5 || fabs (p.x - b->x - b->width) < 0.5));
}

/* Every box inside the canvas and inside its parent (the internet gateway sits on its VPC's
 * top edge); no two boxes overlap unless one holds the other, or a load balancer spans an AZ
 * column or subnet; arrows are orthogonal, start and end on their boxes' edges, stay on the
 * canvas; their labels are on the canvas and cover no box but containers, and no other
 * label. */
static void
check_geometry (const StratusDiagram *d)
{
  double w, h;
  stratus_diagram_size (d, &w, &h);
  assert_true (w > 0 && h > 0);
  guint n = stratus_diagram_box_count (d);
  for (guint i = 0; i < n; i++)
    {
      const StratusDiagramBox *b = stratus_diagram_box (d, i);
      if (b->x < 0 || b->y < 0 || b->x + b->width > w + EPS || b->y + b->height > h + EPS)
        fail_msg ("%s %s is off the canvas", b->kind, b->name);
      assert_true (b->width > 0 && b->height > 0);
      assert_non_null (b->label);
      if (b->parent < 0)
        continue;
      assert_true (b->parent < (int) i); /* parents first */
      const StratusDiagramBox *p = box (d, b->parent);
      if (strcmp (b->kind, "internet_gateway") == 0)
        {
          assert_string_equal (p->kind, "vpc");
          assert_true (b->y < p->y && p->y < b->y + b->height);
          assert_true (b->x >= p->x && b->x + b->width <= p->x + p->width);
        }
      else if (!inside (b, p))
        fail_msg ("%s %s is not inside %s %s", b->kind, b->name, p->kind, p->name);
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        const StratusDiagramBox *a = stratus_diagram_box (d, i), *b = stratus_diagram_box (d, j);
        if (!boxes_overlap (a, b) || ancestor (d, (int) i, (int) j) || ancestor (d, (int) j, (int) i))
          continue;
        bool a_lb = strcmp (a->kind, "load_balancer") == 0, b_lb = strcmp (b->kind, "load_balancer") == 0;
        bool a_col = strcmp (a->kind, "az") == 0 || strcmp (a->kind, "subnet") == 0;
        bool b_col = strcmp (b->kind, "az") == 0 || strcmp (b->kind, "subnet") == 0;
        if ((a_lb && b_col) || (b_lb && a_col))
          continue;
        /* An Auto Scaling group's box spans the containers and holds the fleet boxes its
         * instances are in. */
        bool a_asg = strcmp (a->kind, "auto_scaling_group") == 0;
        bool b_asg = strcmp (b->kind, "auto_scaling_group") == 0;
        bool a_cont = is_container (a), b_cont = is_container (b);
        if ((a_asg && (b_cont || inside (b, a))) || (b_asg && (a_cont || inside (a, b))))
          continue;
        fail_msg ("%s %s overlaps %s %s", a->kind, a->name, b->kind, b->name);
      }
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    {
      const StratusDiagramArrow *a = stratus_diagram_arrow (d, i);
      assert_true (strcmp (a->kind, "request") == 0 || strcmp (a->kind, "outbound") == 0
                   || strcmp (a->kind, "query") == 0);
      assert_true (a->n_points >= 2);
      for (guint k = 0; k < a->n_points; k++)
        {
          assert_true (a->points[k].x >= 0 && a->points[k].x <= w);
          assert_true (a->points[k].y >= 0 && a->points[k].y <= h);
          if (k > 0)
            assert_true (fabs (a->points[k].x - a->points[k - 1].x) < EPS
                         || fabs (a->points[k].y - a->points[k - 1].y) < EPS);
        }
      if (!on_edge (box (d, a->from), a->points[0])
          || !on_edge (box (d, a->to), a->points[a->n_points - 1]))
        fail_msg ("arrow %s -> %s does not join their edges", box (d, a->from)->name,
                  box (d, a->to)->name);
      if (a->label == NULL)
        continue;
      assert_true (a->label_x >= 0 && a->label_y >= 0 && a->label_x + a->label_width <= w
                   && a->label_y + a->label_height <= h);
      for (guint j = 0; j < n; j++)
        {
          const StratusDiagramBox *b = stratus_diagram_box (d, j);
          if (!is_container (b)
              && overlap (a->label_x, a->label_y, a->label_width, a->label_height, b->x, b->y,
                          b->width, b->height))
            fail_msg ("label '%s' covers %s %s", a->label, b->kind, b->name);
        }
      for (guint j = 0; j < i; j++)
        {
          const StratusDiagramArrow *o = stratus_diagram_arrow (d, j);
          if (o->label != NULL
              && overlap (a->label_x, a->label_y, a->label_width, a->label_height, o->label_x,
                          o->label_y, o->label_width, o->label_height))
            fail_msg ("labels '%s' and '%s' overlap", a->label, o->label);
        }
    }
}

/* The arrow from box `from` to box `to`; fails the test when there is none. */
static const StratusDiagramArrow *
arrow (const StratusDiagram *d, int from, int to)
{
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    {
      const StratusDiagramArrow *a = stratus_diagram_arrow (d, i);
      if (a->from == from && a->to == to)
        return a;
    }
  fail_msg ("no arrow %s -> %s", box (d, from)->name, box (d, to)->name);
  return NULL;
}

/* Fails the test if there is an arrow from box `from` to box `to`. */
static void
no_arrow (const StratusDiagram *d, int from, int to)
{
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    {
      const StratusDiagramArrow *a = stratus_diagram_arrow (d, i);
      if (a->from == from && a->to == to)
        fail_msg ("an arrow %s -> %s", box (d, from)->name, box (d, to)->name);
    }
}

/* A box overlaps a column horizontally. */
static bool
spans_x (const StratusDiagramBox *b, const StratusDiagramBox *column)
{
  return b->x < column->x + column->width && column->x < b->x + b->width;
}

/* ---- the classic VPC ------------------------------------------------------------------ */

static void
vpc_public_private_boxes (void **state)
{
  (void) state;
  StratusScenario *s = load_shipped ("vpc-public-private.yaml");
  StratusDiagram *d = stratus_diagram_new (s);
  check_geometry (d);

  int region = find (d, "region", "us-east-1");
  assert_int_equal (box (d, region)->parent, -1);
  assert_contains (box (d, region)->label, "us-east-1");
  int vpc = find (d, "vpc", "vpc");
  assert_int_equal (box (d, vpc)->parent, region);
  assert_contains (box (d, vpc)->label, "VPC 10.0.0.0/16");
  int az[2] = { find (d, "az", "us-east-1a"), find (d, "az", "us-east-1b") };
  for (int i = 0; i < 2; i++)
    assert_int_equal (box (d, az[i])->parent, vpc);
  assert_true (box (d, az[0])->x + box (d, az[0])->width < box (d, az[1])->x); /* columns */
  assert_int_equal (count_kind (d, "az"), 2);
  assert_int_equal (count_kind (d, "subnet"), 4);

  static const struct
  {
    const char *name, *cidr;
    int az;
    bool pub;
  } subnets[] = {
    { "public-a", "10.0.0.0/24", 0, true },
    { "public-b", "10.0.1.0/24", 1, true },
    { "private-a", "10.0.2.0/24", 0, false },
    { "private-b", "10.0.3.0/24", 1, false },
  };
  int sn[4];
  for (int i = 0; i < 4; i++)
    {
      sn[i] = find (d, "subnet", subnets[i].name);
      const StratusDiagramBox *b = box (d, sn[i]);
      assert_int_equal (b->parent, az[subnets[i].az]);
      assert_contains (b->label, subnets[i].name);
      assert_contains (b->label, subnets[i].cidr);
      assert_contains (b->label, subnets[i].pub ? "(public)" : "(private)");
    }
  /* public subnets on top, rows aligned across the columns */
  assert_true (box (d, sn[0])->y < box (d, sn[2])->y);
  assert_true (fabs (box (d, sn[0])->y - box (d, sn[1])->y) < EPS);
  assert_true (fabs (box (d, sn[2])->y - box (d, sn[3])->y) < EPS);

  /* the ALB spans both AZ columns, across both public subnets */
  int alb = find (d, "load_balancer", "web-alb");
  const StratusDiagramBox *lb = box (d, alb);
  assert_int_equal (lb->parent, vpc);
  assert_contains (lb->label, "internet-facing");
  for (int i = 0; i < 2; i++)
    {
      assert_true (spans_x (lb, box (d, az[i])));
      assert_true (boxes_overlap (lb, box (d, sn[i])));
      assert_false (boxes_overlap (lb, box (d, sn[2 + i])));
    }

  /* the fleet: two instances in each private subnet */
  for (int i = 2; i < 4; i++)
    {
      int f = find_in (d, "fleet", "web", sn[i]);
      assert_true (f >= 0);
      assert_contains (box (d, f)->label, "web x2, c5.large");
      assert_contains (box (d, f)->label, "web-sg");
    }
  assert_int_equal (count_kind (d, "fleet"), 2);

  /* NAT gateways in the public subnets, the internet gateway, the internet, the API */
  int nat[2] = { find (d, "nat_gateway", "nat-a"), find (d, "nat_gateway", "nat-b") };
  assert_int_equal (box (d, nat[0])->parent, sn[0]);
  assert_int_equal (box (d, nat[1])->parent, sn[1]);
  assert_true (inside (box (d, nat[0]), box (d, sn[0])));
  int igw = find (d, "internet_gateway", "igw");
  assert_int_equal (box (d, igw)->parent, vpc);
  assert_contains (box (d, igw)->label, "Internet gateway");
  int internet = find (d, "internet", "internet");
  assert_contains (box (d, internet)->label, "shoppers");
  assert_true (box (d, internet)->y + box (d, internet)->height < box (d, region)->y);
  int payments = find (d, "destination", "payments");
  assert_contains (box (d, payments)->label, "203.0.113.10:443");
  assert_int_equal (box (d, payments)->parent, -1);
  find (d, "legend", "legend");

  /* the arrows: requests in, calls out, with ports and security-group chains */
  const StratusDiagramArrow *a = arrow (d, internet, igw);
  assert_string_equal (a->kind, "request");
  assert_contains (a->label, "tcp/80");
  assert_contains (a->label, "0.0.0.0/0 → alb-sg");
  assert_string_equal (arrow (d, igw, alb)->kind, "request");
  for (int i = 2; i < 4; i++)
    {
      int f = find_in (d, "fleet", "web", sn[i]);
      a = arrow (d, alb, f);
      assert_contains (a->label, "tcp/80");
      assert_contains (a->label, "alb-sg → web-sg");
      a = arrow (d, f, nat[i - 2]);
      assert_string_equal (a->kind, "outbound");
      assert_string_equal (arrow (d, nat[i - 2], igw)->kind, "outbound");
    }
  a = arrow (d, igw, payments);
  assert_string_equal (a->kind, "outbound");
  assert_string_equal (a->label, "tcp/443 payments");
  assert_int_equal (stratus_diagram_arrow_count (d), 9);

  stratus_diagram_free (d);
  stratus_scenario_free (s);
}

/* The same scenario, laid out twice, gives the same diagram. */
static void
layout_is_deterministic (void **state)
{
  (void) state;
  StratusScenario *s = load_shipped ("vpc-public-private.yaml");
  StratusDiagram *d1 = stratus_diagram_new (s), *d2 = stratus_diagram_new (s);
  double w1, h1, w2, h2;
  stratus_diagram_size (d1, &w1, &h1);
  stratus_diagram_size (d2, &w2, &h2);
  assert_true (w1 == w2 && h1 == h2);
  assert_int_equal (stratus_diagram_box_count (d1), stratus_diagram_box_count (d2));
  for (guint i = 0; i < stratus_diagram_box_count (d1); i++)
    {
      const StratusDiagramBox *a = stratus_diagram_box (d1, i), *b = stratus_diagram_box (d2, i);
      assert_string_equal (a->label, b->label);
      assert_true (a->x == b->x && a->y == b->y && a->width == b->width && a->height == b->height);
    }
  assert_int_equal (stratus_diagram_arrow_count (d1), stratus_diagram_arrow_count (d2));
  for (guint i = 0; i < stratus_diagram_arrow_count (d1); i++)
    {
      const StratusDiagramArrow *a = stratus_diagram_arrow (d1, i), *b = stratus_diagram_arrow (d2, i);
      assert_int_equal (a->n_points, b->n_points);
      assert_memory_equal (a->points, b->points, a->n_points * sizeof a->points[0]);
    }
  stratus_diagram_free (d1);
  stratus_diagram_free (d2);
  stratus_scenario_free (s);
}

/* Variations of the classic layout lay out cleanly too: one NAT gateway for both AZs
 * (a call crosses to the other column), a third AZ the ALB does not reach, and an internal
 * load balancer in the private subnets in front of a second fleet. */
static void
vpc_variations (void **state)
{
  (void) state;
  char *base = read_shipped ("vpc-public-private.yaml");
  char *texts[3];
  texts[0] = subst (base, "target: nat-b}", "target: nat-a}");
  char *t = subst (base, "azs: [us-east-1a, us-east-1b]", "azs: [us-east-1a, us-east-1b, us-east-1c]");
  char *u = subst (t, "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private-b, network_acl: private}\n",
                   "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private-b, network_acl: private}\n"
                   "    private-c: {cidr: 10.0.4.0/24, az: us-east-1c, route_table: private-b}\n");
  g_free (t);
  texts[1] = subst (u, "subnets: [private-a, private-b]\n", "subnets: [private-a, private-b, private-c]\n");
  g_free (u);
  t = subst (base, "instances:\n",
             "  api-alb:\n"
             "    scheme: internal\n"
             "    subnets: [private-a, private-b]\n"
             "    security_groups: [api-alb-sg]\n"
             "    target_group: api\n"
             "instances:\n"
             "  api:\n"
             "    count: 3\n"
             "    subnets: [private-a, private-b]\n"
             "    security_groups: [api-sg]\n"
             "    service_time: 5ms\n"
             "    target_group: api\n");
  texts[2] = subst (t, "  network_acls:\n",
                    "    api-alb-sg: {inbound: [{protocol: tcp, ports: 80, source: web-sg}]}\n"
                    "    api-sg: {inbound: [{protocol: tcp, ports: 80, source: api-alb-sg}]}\n"
                    "  network_acls:\n");
  g_free (t);
  for (int i = 0; i < 3; i++)
    {
      StratusScenario *s = load_ok (texts[i]);
      StratusDiagram *d = stratus_diagram_new (s);
      check_geometry (d);
      if (i == 0)
        {
          /* private-b's instances call out through nat-a, in the other column */
          int f = find_in (d, "fleet", "web", find (d, "subnet", "private-b"));
          arrow (d, f, find (d, "nat_gateway", "nat-a"));
          assert_int_equal (stratus_diagram_arrow_count (d), 8);
        }
      if (i == 1)
        {
          int c = find (d, "az", "us-east-1c");
          assert_false (spans_x (box (d, find (d, "load_balancer", "web-alb")), box (d, c)));
          int f = find_in (d, "fleet", "web", find (d, "subnet", "private-c"));
          assert_contains (box (d, f)->label, "web x1");
          arrow (d, find (d, "load_balancer", "web-alb"), f);
        }
      if (i == 2)
        {
          int api = find (d, "load_balancer", "api-alb");
          assert_contains (box (d, api)->label, "internal");
          const StratusDiagramArrow *a
            = arrow (d, api, find_in (d, "fleet", "api", find (d, "subnet", "private-a")));
          assert_contains (a->label, "api-alb-sg → api-sg");
        }
      stratus_diagram_free (d);
      stratus_scenario_free (s);
      g_free (texts[i]);
    }
  g_free (base);
}

/* Calls from private subnets through the NAT gateway of the other AZ: each fleet box's call
 * goes through the NAT gateway its path crosses, as the network routes it; a subnet without
 * a route draws no call at all. */
static void
nat_in_the_other_az (void **state)
{
  (void) state;
  char *base = read_shipped ("vpc-public-private.yaml");
  char *t = subst (base, "target: nat-a}", "target: nat-x}");
  char *u = subst (t, "target: nat-b}", "target: nat-a}");
  char *text = subst (u, "target: nat-x}", "target: nat-b}");
  StratusScenario *s = load_ok (text);
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s); /* the diagram refers to nothing of it */
  check_geometry (d);
  int web_a = find_in (d, "fleet", "web", find (d, "subnet", "private-a"));
  int web_b = find_in (d, "fleet", "web", find (d, "subnet", "private-b"));
  int nat_a = find (d, "nat_gateway", "nat-a"), nat_b = find (d, "nat_gateway", "nat-b");
  int igw = find (d, "internet_gateway", "igw");
  assert_string_equal (arrow (d, web_a, nat_b)->kind, "outbound");
  assert_string_equal (arrow (d, web_b, nat_a)->kind, "outbound");
  no_arrow (d, web_a, nat_a);
  no_arrow (d, web_b, nat_b);
  no_arrow (d, web_a, igw);
  arrow (d, nat_a, igw);
  arrow (d, nat_b, igw);
  assert_string_equal (arrow (d, igw, find (d, "destination", "payments"))->label,
                       "tcp/443 payments");
  stratus_diagram_free (d);

  /* private-a without routes: its box calls nothing, private-b's still goes through nat-a */
  const char *const no_route[] = { "vpc.route_tables.private-a.routes=[]", NULL };
  s = load_ok_with (text, no_route);
  d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  web_a = find_in (d, "fleet", "web", find (d, "subnet", "private-a"));
  web_b = find_in (d, "fleet", "web", find (d, "subnet", "private-b"));
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    assert_int_not_equal (stratus_diagram_arrow (d, i)->from, web_a);
  arrow (d, web_b, find (d, "nat_gateway", "nat-a"));
  no_arrow (d, find (d, "nat_gateway", "nat-b"), find (d, "internet_gateway", "igw"));
  stratus_diagram_free (d);
  g_free (text);
  g_free (u);
  g_free (t);
  g_free (base);
}

/* A flow the network does not deliver has no arrow: with web-sg admitting nothing, the load
 * balancer reaches neither fleet box, while the clients still reach the load balancer. */
static void
blocked_requests (void **state)
{
  (void) state;
  char *base = read_shipped ("vpc-public-private.yaml");
  const char *const closed[] = { "vpc.security_groups.web-sg.inbound=[]", NULL };
  StratusScenario *s = load_ok_with (base, closed);
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  int alb = find (d, "load_balancer", "web-alb");
  int igw = find (d, "internet_gateway", "igw");
  arrow (d, find (d, "internet", "internet"), igw);
  arrow (d, igw, alb);
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    assert_int_not_equal (stratus_diagram_arrow (d, i)->from, alb);
  stratus_diagram_free (d);
  g_free (base);
}

/* tests/fuzz/corpus/edge-internal-calls.yaml: web calls an internal load balancer, a fleet
 * directly and an API on the internet. */
static const char INTERNAL_CALLS[]
  = "name: edge-internal-calls\n"
    "duration: 3s\n"
    "azs: [us-east-1a, us-east-1b]\n"
    "vpc:\n"
    "  cidr: 10.0.0.0/16\n"
    "  internet_gateway: igw\n"
    "  subnets:\n"
    "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
    "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
    "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
    "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private}\n"
    "  route_tables:\n"
    "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"
    "    private: {routes: [{destination: 0.0.0.0/0, target: nat-a}]}\n"
    "  nat_gateways:\n"
    "    nat-a: {subnet: public-a}\n"
    "  security_groups:\n"
    "    alb-sg: {inbound: [{protocol: tcp, ports: 80, source: 0.0.0.0/0}]}\n"
    "    web-sg: {inbound: [{protocol: tcp, ports: 80, source: alb-sg}]}\n"
    "    api-alb-sg: {inbound: [{protocol: tcp, ports: 8080, source: web-sg}]}\n"
    "    api-sg: {inbound: [{protocol: tcp, ports: 9000, source: api-alb-sg}, "
    "{protocol: tcp, ports: 9000, source: web-sg}]}\n"
    "load_balancers:\n"
    "  web-alb:\n"
    "    subnets: [public-a, public-b]\n"
    "    security_groups: [alb-sg]\n"
    "    target_group: web\n"
    "  api-alb:\n"
    "    scheme: internal\n"
    "    port: 8080\n"
    "    subnets: [private-a, private-b]\n"
    "    security_groups: [api-alb-sg]\n"
    "    target_group: api\n"
    "instances:\n"
    "  web:\n"
    "    count: 2\n"
    "    service_time: 5ms\n"
    "    target_group: web\n"
    "    subnets: [private-a, private-b]\n"
    "    security_groups: [web-sg]\n"
    "    outbound:\n"
    "      inventory: {destination: api-alb, timeout: 2s}\n"
    "      ledger: {destination: ledger, per_request: 0.5}\n"
    "      payments: {destination: 203.0.113.10, port: 443, service_time: 20ms}\n"
    "  api:\n"
    "    count: 2\n"
    "    port: 9000\n"
    "    service_time: 3ms\n"
    "    target_group: api\n"
    "    subnets: [private-a, private-b]\n"
    "    security_groups: [api-sg]\n"
    "  ledger:\n"
    "    port: 9000\n"
    "    service_time: 1ms\n"
    "    subnets: [private-b]\n"
    "    security_groups: [api-sg]\n"
    "workload:\n"
    "  shoppers: {entry: web-alb, rate: 50/s}\n";

/* Calls to an internal load balancer and to a fleet are arrows from the calling fleet's
 * boxes to that load balancer's or fleet's box, labelled with port, call and chain; they
 * make no destination box. A call the network blocks has no arrow. */
static void
internal_calls (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (INTERNAL_CALLS);
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  assert_int_equal (count_kind (d, "destination"), 1);
  find (d, "destination", "payments");
  for (guint i = 0; i < stratus_diagram_box_count (d); i++)
    if (strstr (stratus_diagram_box (d, i)->label, "0.0.0.0:") != NULL)
      fail_msg ("%s %s: %s", box (d, (int) i)->kind, box (d, (int) i)->name,
                box (d, (int) i)->label);
  int api_alb = find (d, "load_balancer", "api-alb");
  int ledger = find_in (d, "fleet", "ledger", find (d, "subnet", "private-b"));
  static const char *const subnets[] = { "private-a", "private-b" };
  for (int i = 0; i < 2; i++)
    {
      int web = find_in (d, "fleet", "web", find (d, "subnet", subnets[i]));
      assert_true (web >= 0);
      const StratusDiagramArrow *a = arrow (d, web, api_alb);
      assert_string_equal (a->kind, "outbound");
      assert_contains (a->label, "tcp/8080 inventory");
      assert_contains (a->label, "web-sg → api-alb-sg");
      a = arrow (d, web, ledger);
      assert_string_equal (a->kind, "outbound");
      assert_contains (a->label, "tcp/9000 ledger");
      assert_contains (a->label, "web-sg → api-sg");
      arrow (d, web, find (d, "nat_gateway", "nat-a"));
    }
  stratus_diagram_free (d);

  /* api-sg no longer admits web: the direct call to ledger is blocked, and not drawn */
  char *text = subst (INTERNAL_CALLS, ", {protocol: tcp, ports: 9000, source: web-sg}", "");
  s = load_ok (text);
  d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  ledger = find_in (d, "fleet", "ledger", find (d, "subnet", "private-b"));
  for (int i = 0; i < 2; i++)
    {
      int web = find_in (d, "fleet", "web", find (d, "subnet", subnets[i]));
      no_arrow (d, web, ledger);
      arrow (d, web, find (d, "load_balancer", "api-alb"));
    }
  stratus_diagram_free (d);
  g_free (text);
}

/* ---- many AZs, many subnets ------------------------------------------------------------ */

/* A VPC over `n_az` AZs (us-east-1a...) with `per_az` subnets each: the first public (with a
 * NAT gateway and the ALB), the others private, the fleet in the second ones. */
static char *
generated (int n_az, int per_az)
{
  GString *y = g_string_new ("name: generated\nduration: 10m\nazs: [");
  for (int a = 0; a < n_az; a++)
    g_string_append_printf (y, "%sus-east-1%c", a ? ", " : "", 'a' + a);
  g_string_append (y, "]\nvpc:\n  cidr: 10.0.0.0/16\n  internet_gateway: igw\n  subnets:\n");
  for (int a = 0; a < n_az; a++)
    for (int k = 0; k < per_az; k++)
      {
        char table[16];
        g_snprintf (table, sizeof table, k == 0 ? "public" : "private-%c", 'a' + a);
        g_string_append_printf (y, "    %s-%c%d: {cidr: 10.0.%d.0/24, az: us-east-1%c, route_table: %s}\n",
                                k == 0 ? "public" : "private", 'a' + a, k, a * per_az + k, 'a' + a,
                                table);
      }
  g_string_append (y, "  route_tables:\n    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n");
  for (int a = 0; a < n_az; a++)
    g_string_append_printf (y, "    private-%c: {routes: [{destination: 0.0.0.0/0, target: nat-%c}]}\n",
                            'a' + a, 'a' + a);
  g_string_append (y, "  nat_gateways:\n");
  for (int a = 0; a < n_az; a++)
    g_string_append_printf (y, "    nat-%c: {subnet: public-%c0}\n", 'a' + a, 'a' + a);
  g_string_append (y, "  security_groups:\n"
                      "    alb-sg: {inbound: [{protocol: tcp, ports: 80, source: 0.0.0.0/0}]}\n"
                      "    web-sg: {inbound: [{protocol: tcp, ports: 80, source: alb-sg}]}\n"
                      "load_balancers:\n  web-alb:\n    security_groups: [alb-sg]\n"
                      "    target_group: web\n    subnets: [");
  for (int a = 0; a < n_az; a++)
    g_string_append_printf (y, "%spublic-%c0", a ? ", " : "", 'a' + a);
  g_string_append_printf (y, "]\ninstances:\n  web:\n    count: %d\n    service_time: 20ms\n"
                             "    target_group: web\n    security_groups: [web-sg]\n"
                             "    outbound: {payments: {destination: 203.0.113.10, port: 443, "
                             "service_time: 50ms, timeout: 5s}}\n    subnets: [",
                          2 * n_az);
  for (int a = 0; a < n_az; a++)
    g_string_append_printf (y, "%sprivate-%c1", a ? ", " : "", 'a' + a);
  g_string_append (y, "]\nworkload:\n  shoppers: {entry: web-alb, rate: 100/s}\n");
  return g_string_free (y, FALSE);
}

static void
six_azs_twelve_subnets (void **state)
{
  (void) state;
  char *text = generated (6, 2);
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusDiagram *d = stratus_diagram_new (s);
  check_geometry (d);
  assert_int_equal (count_kind (d, "az"), 6);
  assert_int_equal (count_kind (d, "subnet"), 12);
  assert_int_equal (count_kind (d, "nat_gateway"), 6);
  assert_int_equal (count_kind (d, "fleet"), 6);
  const StratusDiagramBox *lb = box (d, find (d, "load_balancer", "web-alb"));
  const StratusDiagramBox *first = NULL;
  for (int a = 0; a < 6; a++)
    {
      char name[16];
      g_snprintf (name, sizeof name, "us-east-1%c", 'a' + a);
      const StratusDiagramBox *az = box (d, find (d, "az", name));
      assert_true (spans_x (lb, az));
      if (first != NULL)
        assert_true (fabs (az->width - first->width) < EPS && fabs (az->y - first->y) < EPS);
      else
        first = az;
      g_snprintf (name, sizeof name, "private-%c1", 'a' + a);
      int f = find_in (d, "fleet", "web", find (d, "subnet", name));
      assert_contains (box (d, f)->label, "web x2");
      g_snprintf (name, sizeof name, "nat-%c", 'a' + a);
      arrow (d, f, find (d, "nat_gateway", name));
    }
  stratus_diagram_free (d);
  stratus_scenario_free (s);
}

static void
two_azs_twelve_subnets (void **state)
{
  (void) state;
  char *text = generated (2, 6);
  StratusScenario *s = load_ok (text);
  g_free (text);
  StratusDiagram *d = stratus_diagram_new (s);
  check_geometry (d);
  assert_int_equal (count_kind (d, "subnet"), 12);
  /* the subnets of a column are stacked: public first */
  const StratusDiagramBox *pub = box (d, find (d, "subnet", "public-a0"));
  for (int k = 1; k < 6; k++)
    {
      char name[16];
      g_snprintf (name, sizeof name, "private-a%d", k);
      assert_true (box (d, find (d, "subnet", name))->y > pub->y + pub->height);
    }
  stratus_diagram_free (d);
  stratus_scenario_free (s);
}

/* ---- without a vpc --------------------------------------------------------------------------- */

static void
flat_network (void **state)
{
  (void) state;
  StratusScenario *s = load_shipped ("web-two-az.yaml");
  StratusDiagram *d = stratus_diagram_new (s);
  check_geometry (d);
  int region = find (d, "region", "us-east-1");
  assert_int_equal (count_kind (d, "vpc"), 0);
  assert_int_equal (count_kind (d, "subnet"), 0);
  assert_int_equal (count_kind (d, "internet_gateway"), 0);
  int az[2] = { find (d, "az", "us-east-1a"), find (d, "az", "us-east-1b") };
  int alb = find (d, "load_balancer", "web-alb");
  assert_int_equal (box (d, alb)->parent, region);
  int internet = find (d, "internet", "internet");
  assert_contains (arrow (d, internet, alb)->label, "tcp/80");
  for (int i = 0; i < 2; i++)
    {
      assert_int_equal (box (d, az[i])->parent, region);
      assert_true (spans_x (box (d, alb), box (d, az[i])));
      int f = find_in (d, "fleet", "web", az[i]);
      assert_true (f >= 0);
      assert_contains (box (d, f)->label, "web x2, c5.large");
      assert_contains (arrow (d, alb, f)->label, "tcp/80");
    }
  stratus_diagram_free (d);
  stratus_scenario_free (s);

  /* three AZs (4 instances: 2, 1, 1) calling an API on the internet */
  char *base = read_shipped ("web-two-az.yaml");
  char *t = subst (base, "azs: [us-east-1a, us-east-1b]", "azs: [us-east-1a, us-east-1b, us-east-1c]");
  char *text = subst (t, "    target_group: web\nworkload:",
                      "    target_group: web\n"
                      "    outbound: {payments: {destination: 203.0.113.10, port: 443, "
                      "service_time: 50ms, timeout: 5s}}\nworkload:");
  s = load_ok (text);
  d = stratus_diagram_new (s);
  check_geometry (d);
  int payments = find (d, "destination", "payments");
  static const char *const counts[] = { "web x2", "web x1", "web x1" };
  guint labelled = 0;
  for (int i = 0; i < 3; i++)
    {
      char name[16];
      g_snprintf (name, sizeof name, "us-east-1%c", 'a' + i);
      int f = find_in (d, "fleet", "web", find (d, "az", name));
      assert_contains (box (d, f)->label, counts[i]);
      const StratusDiagramArrow *a = arrow (d, f, payments);
      assert_string_equal (a->kind, "outbound");
      labelled += a->label != NULL;
    }
  assert_int_equal (labelled, 1); /* one label per destination */
  stratus_diagram_free (d);
  stratus_scenario_free (s);
  g_free (text);
  g_free (t);
  g_free (base);
}

/* ---- files ------------------------------------------------------------------------------------- */

static char *
contents (const char *path, gsize *len)
{
  char *data = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &data, len, &error))
    fail_msg ("%s", error->message);
  return data;
}

/* PNG, SVG and PDF files start with their signatures, and two diagrams of the same scenario
 * give the same bytes (no dates, no serial numbers). */
static void
writes_formats (void **state)
{
  const char *dir = *state;
  StratusScenario *s = load_shipped ("vpc-public-private.yaml");
  StratusDiagram *d1 = stratus_diagram_new (s), *d2 = stratus_diagram_new (s);
  static const struct
  {
    const char *ext, *magic;
    size_t magic_len;
  } formats[] = {
    { "png", "\x89PNG\r\n\x1a\n", 8 },
    { "svg", "<svg", 4 },
    { "pdf", "%PDF-", 5 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      char *name1 = g_strdup_printf ("arch1.%s", formats[i].ext);
      char *name2 = g_strdup_printf ("arch2.%s", formats[i].ext);
      char *p1 = g_build_filename (dir, name1, NULL), *p2 = g_build_filename (dir, name2, NULL);
      GError *error = NULL;
      assert_true (stratus_diagram_write (d1, p1, &error));
      assert_null (error);
      assert_true (stratus_diagram_write (d2, p2, &error));
      assert_true (stratus_diagram_write (d2, p2, &error)); /* replaces it */
      gsize len1, len2;
      char *a = contents (p1, &len1), *b = contents (p2, &len2);
      assert_true (len1 > 1000);
      if (strcmp (formats[i].ext, "svg") == 0)
        assert_non_null (g_strstr_len (a, 400, formats[i].magic));
      else
        assert_memory_equal (a, formats[i].magic, formats[i].magic_len);
      if (len1 != len2 || memcmp (a, b, len1) != 0)
        fail_msg ("two writes of %s differ", formats[i].ext);
      g_free (a);
      g_free (b);
      g_free (p1);
      g_free (p2);
      g_free (name1);
      g_free (name2);
    }
  /* the bytes do not depend on what was written before: SVG and PDF first this time */
  StratusDiagram *d3 = stratus_diagram_new (s);
  for (guint i = 1; i < G_N_ELEMENTS (formats); i++)
    {
      char *name1 = g_strdup_printf ("arch1.%s", formats[i].ext);
      char *name3 = g_strdup_printf ("arch3.%s", formats[i].ext);
      char *p1 = g_build_filename (dir, name1, NULL), *p3 = g_build_filename (dir, name3, NULL);
      assert_true (stratus_diagram_write (d3, p3, NULL));
      gsize len1, len3;
      char *a = contents (p1, &len1), *b = contents (p3, &len3);
      if (len1 != len3 || memcmp (a, b, len1) != 0)
        fail_msg ("%s depends on earlier writes", formats[i].ext);
      g_free (a);
      g_free (b);
      g_free (p1);
      g_free (p3);
      g_free (name1);
      g_free (name3);
    }
  stratus_diagram_free (d3);

  /* the extension in any case */
  char *upper = g_build_filename (dir, "ARCH.PDF", NULL);
  assert_true (stratus_diagram_write (d1, upper, NULL));
  g_free (upper);

  /* nothing but the files written: no temporary files left over */
  GDir *listing = g_dir_open (dir, 0, NULL);
  guint files = 0;
  const char *name;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      assert_true (g_str_has_prefix (name, "arch") || g_str_has_prefix (name, "ARCH"));
      files++;
    }
  g_dir_close (listing);
  assert_int_equal (files, 9);

  stratus_diagram_free (d1);
  stratus_diagram_free (d2);
  stratus_scenario_free (s);
}

static void
write_errors (void **state)
{
  const char *dir = *state;
  StratusScenario *s = load_shipped ("web-two-az.yaml");
  StratusDiagram *d = stratus_diagram_new (s);
  GError *error = NULL;
  assert_false (stratus_diagram_write (d, "arch.jpg", &error));
  assert_true (g_error_matches (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_FORMAT));
  assert_string_equal (error->message, "arch.jpg: unknown format: use .svg, .png or .pdf");
  g_clear_error (&error);
  assert_false (g_file_test ("arch.jpg", G_FILE_TEST_EXISTS));
  assert_false (stratus_diagram_write (d, "svg", &error)); /* no extension at all */
  assert_true (g_error_matches (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_FORMAT));
  g_clear_error (&error);

  char *missing = g_build_filename (dir, "no-such-dir", "arch.png", NULL);
  assert_false (stratus_diagram_write (d, missing, &error));
  assert_true (g_error_matches (error, STRATUS_DIAGRAM_ERROR, STRATUS_DIAGRAM_ERROR_IO));
  char *want = g_strdup_printf ("%s: cannot write: %s", missing, g_strerror (ENOENT));
  assert_string_equal (error->message, want);
  g_free (want);
  g_clear_error (&error);
  g_free (missing);
  stratus_diagram_free (d);
  stratus_scenario_free (s);
}

/* ---- Auto Scaling groups -------------------------------------------------------------- */

/* The diagram of scenarios/vpc-public-private.yaml with its fleet "web" (4 instances over
 * two private subnets) standing for an Auto Scaling group "web-asg" (`groups` NULL: none;
 * otherwise a new array, with the group when `with_group`). */
static StratusDiagram *
diagram_with_group (bool array, bool with_group)
{
  StratusScenario *s = load_shipped ("vpc-public-private.yaml");
  GPtrArray *saved = s->auto_scaling_groups;
  int fleet = stratus_scenario_fleet_index (s, "web");
  assert_true (fleet >= 0);
  StratusAutoScalingGroupConfig asg = { .name = "web-asg", .min = 2, .max = 20, .desired = 4,
                                        .fleet = (unsigned) fleet };
  GPtrArray *groups = array ? g_ptr_array_new () : NULL;
  if (with_group)
    g_ptr_array_add (groups, &asg);
  s->auto_scaling_groups = groups;
  StratusDiagram *d = stratus_diagram_new (s);
  s->auto_scaling_groups = saved;
  if (groups != NULL)
    g_ptr_array_unref (groups);
  stratus_scenario_free (s);
  return d;
}

/* A group is a dashed box around every box of its fleet, titled with its capacities and
 * target group; the geometry stays sound. */
static void
group_box (void **state)
{
  (void) state;
  StratusDiagram *d = diagram_with_group (true, true);
  check_geometry (d);
  int g = find (d, "auto_scaling_group", "web-asg");
  assert_string_equal (box (d, g)->label, "web-asg  min 2 / desired 4 / max 20\n"
                                          "target group web");
  unsigned fleets = 0;
  for (guint i = 0; i < stratus_diagram_box_count (d); i++)
    {
      const StratusDiagramBox *b = stratus_diagram_box (d, i);
      if (strcmp (b->kind, "fleet") == 0 && strcmp (b->name, "web") == 0)
        {
          assert_true (inside (b, box (d, g)));
          fleets++;
        }
    }
  assert_int_equal (fleets, 2);
  stratus_diagram_free (d);
}

/* Without groups (NULL or empty), the diagram is byte for byte what it was. */
static void
no_group_same_bytes (void **state)
{
  const char *dir = *state;
  StratusDiagram *none = diagram_with_group (false, false);
  StratusDiagram *empty = diagram_with_group (true, false);
  StratusDiagram *group = diagram_with_group (true, true);
  char *p1 = g_build_filename (dir, "none.svg", NULL);
  char *p2 = g_build_filename (dir, "empty.svg", NULL);
  char *p3 = g_build_filename (dir, "group.svg", NULL);
  assert_true (stratus_diagram_write (none, p1, NULL));
  assert_true (stratus_diagram_write (empty, p2, NULL));
  assert_true (stratus_diagram_write (group, p3, NULL));
  gsize len1, len2, len3;
  char *a = contents (p1, &len1), *b = contents (p2, &len2), *c = contents (p3, &len3);
  assert_int_equal (len1, len2);
  assert_memory_equal (a, b, len1);
  assert_true (len1 != len3 || memcmp (a, c, len1) != 0);
  g_free (a);
  g_free (b);
  g_free (c);
  g_free (p1);
  g_free (p2);
  g_free (p3);
  stratus_diagram_free (none);
  stratus_diagram_free (empty);
  stratus_diagram_free (group);
}

/* ---- databases ------------------------------------------------------------------------ */

/* scenarios/vpc-public-private.yaml with two DB subnets (db-a, db-b), a security group db-sg
 * admitting tcp/3306 from `source`, an Aurora cluster app-db (a writer and a reader) in
 * them, and the web fleet's queries (`work`: the rest of its `database` map after the
 * name). Caller frees. */
static StratusScenario *
with_database (const char *source, const char *work)
{
  char *base = read_shipped ("vpc-public-private.yaml");
  char *t1 = subst (base, "  route_tables:\n",
                    "    db-a: {cidr: 10.0.4.0/24, az: us-east-1a}\n"
                    "    db-b: {cidr: 10.0.5.0/24, az: us-east-1b}\n"
                    "  route_tables:\n");
  char *rule = g_strdup_printf ("    db-sg:\n      inbound:\n"
                                "        - {protocol: tcp, ports: 3306, source: %s}\n"
                                "  network_acls:\n    private:", source);
  char *t2 = subst (t1, "  network_acls:\n    private:", rule);
  char *key = g_strdup_printf ("    target_group: web\n    database: {name: app-db, %s}\n"
                               "    outbound:", work);
  char *t3 = subst (t2, "    target_group: web\n    outbound:", key);
  char *text = subst (t3, "\nworkload:\n",
                      "\ndatabases:\n  app-db:\n    engine: aurora-mysql\n"
                      "    instance_class: db.r6g.large\n    subnets: [db-a, db-b]\n"
                      "    security_groups: [db-sg]\n    deployment: aurora\n    readers: 1\n"
                      "\nworkload:\n");
  StratusScenario *s = load_ok (text);
  g_free (text);
  g_free (t3);
  g_free (key);
  g_free (t2);
  g_free (rule);
  g_free (t1);
  g_free (base);
  return s;
}

/* The query arrows from the fleet boxes `webs` into box `member`: one each, of kind
 * "query", exactly one labelled; returns that label (borrowed). */
static const char *
query_label_into (const StratusDiagram *d, const int *webs, int n_webs, int member)
{
  const char *label = NULL;
  for (int i = 0; i < n_webs; i++)
    {
      const StratusDiagramArrow *a = arrow (d, webs[i], member);
      assert_string_equal (a->kind, "query");
      if (a->label == NULL)
        continue;
      assert_null (label);
      label = a->label;
    }
  assert_non_null (label);
  return label;
}

/* Each member is a box in its subnet, under the fleets, named and with its role; the
 * writer's box names the engine, the class and the security group; each fleet box sends
 * its writes to the writer and its reads (reads_from: reader) to the reader, labelled
 * once per member with the port and the chain web-sg → db-sg. The diagram stays sound and
 * is written. */
static void
database_members (void **state)
{
  const char *dir = *state;
  StratusScenario *s
    = with_database ("web-sg", "queries: 2, write_fraction: 0.2, reads_from: reader");
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  assert_int_equal (count_kind (d, "db_instance"), 2);
  int db_a = find (d, "subnet", "db-a"), db_b = find (d, "subnet", "db-b");
  int writer = find (d, "db_instance", "app-db-1"), reader = find (d, "db_instance", "app-db-2");
  assert_int_equal (box (d, writer)->parent, db_a);
  assert_int_equal (box (d, reader)->parent, db_b);
  assert_true (inside (box (d, writer), box (d, db_a)));
  assert_string_equal (box (d, writer)->label,
                       "app-db-1\nwriter\nRDS aurora-mysql, db.r6g.large · db-sg");
  assert_string_equal (box (d, reader)->label, "app-db-2\nreader");
  int webs[2] = { find_in (d, "fleet", "web", find (d, "subnet", "private-a")),
                  find_in (d, "fleet", "web", find (d, "subnet", "private-b")) };
  assert_true (webs[0] >= 0 && webs[1] >= 0);
  assert_true (box (d, db_a)->y > box (d, webs[0])->y + box (d, webs[0])->height);
  assert_string_equal (query_label_into (d, webs, 2, writer),
                       "tcp/3306 app-db writes\nweb-sg → db-sg");
  assert_string_equal (query_label_into (d, webs, 2, reader),
                       "tcp/3306 app-db reads\nweb-sg → db-sg");
  /* the other arrows are those of the scenario without a database */
  assert_int_equal (stratus_diagram_arrow_count (d), 9 + 4);

  char *svg = g_build_filename (dir, "db.svg", NULL);
  char *png = g_build_filename (dir, "db.png", NULL);
  assert_true (stratus_diagram_write (d, svg, NULL));
  assert_true (stratus_diagram_write (d, png, NULL));
  gsize len;
  char *text = contents (svg, &len);
  assert_non_null (g_strstr_len (text, 400, "<svg"));
  g_free (text);
  g_free (svg);
  g_free (png);
  stratus_diagram_free (d);
}

/* Reads from the writer: one arrow per fleet box, to the writer, labelled with the port
 * and the database only; none to the reader, whose box is drawn all the same. */
static void
database_reads_from_writer (void **state)
{
  (void) state;
  StratusScenario *s = with_database ("web-sg", "queries: 1");
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  int writer = find (d, "db_instance", "app-db-1"), reader = find (d, "db_instance", "app-db-2");
  int webs[2] = { find_in (d, "fleet", "web", find (d, "subnet", "private-a")),
                  find_in (d, "fleet", "web", find (d, "subnet", "private-b")) };
  assert_string_equal (query_label_into (d, webs, 2, writer), "tcp/3306 app-db\nweb-sg → db-sg");
  no_arrow (d, webs[0], reader);
  no_arrow (d, webs[1], reader);
  assert_int_equal (stratus_diagram_arrow_count (d), 9 + 2);
  stratus_diagram_free (d);
}

/* db-sg admits alb-sg instead of web-sg: the queries are blocked, and not drawn; the
 * members are. */
static void
database_blocked_queries (void **state)
{
  (void) state;
  StratusScenario *s = with_database ("alb-sg", "queries: 2, reads_from: reader");
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  assert_int_equal (count_kind (d, "db_instance"), 2);
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    assert_string_not_equal (stratus_diagram_arrow (d, i)->kind, "query");
  assert_int_equal (stratus_diagram_arrow_count (d), 9);
  stratus_diagram_free (d);
}

/* Without a vpc: a Multi-AZ DB cluster's three members in their AZ columns, in a row under
 * the instances; every fleet box queries the writer and both readable standbys. */
static void
database_flat (void **state)
{
  (void) state;
  char *base = read_shipped ("web-two-az.yaml");
  char *t1 = subst (base, "azs: [us-east-1a, us-east-1b]",
                    "azs: [us-east-1a, us-east-1b, us-east-1c]");
  char *t2 = subst (t1, "    target_group: web\nworkload:",
                    "    target_group: web\n"
                    "    database: {name: orders, queries: 2, reads_from: reader}\n"
                    "databases:\n  orders:\n    engine: postgres\n"
                    "    instance_class: db.r6g.large\n    deployment: multi_az_cluster\n"
                    "workload:");
  StratusScenario *s = load_ok (t2);
  g_free (t2);
  g_free (t1);
  g_free (base);
  StratusDiagram *d = stratus_diagram_new (s);
  stratus_scenario_free (s);
  check_geometry (d);
  assert_int_equal (count_kind (d, "db_instance"), 3);
  static const char *const roles[] = { "writer", "standby (readable)", "standby (readable)" };
  for (int i = 0; i < 3; i++)
    {
      char name[16], az_name[16];
      g_snprintf (name, sizeof name, "orders-%d", i + 1);
      g_snprintf (az_name, sizeof az_name, "us-east-1%c", 'a' + i);
      int member = find (d, "db_instance", name);
      int az = find (d, "az", az_name);
      assert_int_equal (box (d, member)->parent, az);
      assert_contains (box (d, member)->label, roles[i]);
      int web = find_in (d, "fleet", "web", az);
      assert_true (box (d, member)->y > box (d, web)->y + box (d, web)->height);
    }
  assert_contains (box (d, find (d, "db_instance", "orders-1"))->label,
                   "RDS postgres, db.r6g.large");
  guint queries = 0;
  for (guint i = 0; i < stratus_diagram_arrow_count (d); i++)
    queries += strcmp (stratus_diagram_arrow (d, i)->kind, "query") == 0;
  assert_int_equal (queries, 3 * 3);
  stratus_diagram_free (d);
}

/* The diagram of a scenario without databases, `databases` NULL (no section parsed) or
 * empty (as parsed), is byte for byte the same. */
static void
no_database_same_bytes (void **state)
{
  const char *dir = *state;
  static const char *const shipped[] = { "vpc-public-private.yaml", "web-two-az.yaml" };
  for (guint k = 0; k < G_N_ELEMENTS (shipped); k++)
    {
      StratusScenario *s = load_shipped (shipped[k]);
      assert_true (s->databases == NULL || s->databases->len == 0);
      GPtrArray *saved = s->databases;
      GPtrArray *empty = g_ptr_array_new ();
      s->databases = NULL;
      StratusDiagram *none = stratus_diagram_new (s);
      s->databases = empty;
      StratusDiagram *zero = stratus_diagram_new (s);
      s->databases = saved;
      g_ptr_array_unref (empty);
      stratus_scenario_free (s);
      assert_int_equal (count_kind (none, "db_instance"), 0);
      char *p1 = g_build_filename (dir, "none.svg", NULL);
      char *p2 = g_build_filename (dir, "zero.svg", NULL);
      assert_true (stratus_diagram_write (none, p1, NULL));
      assert_true (stratus_diagram_write (zero, p2, NULL));
      gsize len1, len2;
      char *a = contents (p1, &len1), *b = contents (p2, &len2);
      assert_int_equal (len1, len2);
      assert_memory_equal (a, b, len1);
      g_free (a);
      g_free (b);
      g_free (p1);
      g_free (p2);
      stratus_diagram_free (none);
      stratus_diagram_free (zero);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (vpc_public_private_boxes),
    cmocka_unit_test (layout_is_deterministic),
    cmocka_unit_test (vpc_variations),
    cmocka_unit_test (nat_in_the_other_az),
    cmocka_unit_test (internal_calls),
    cmocka_unit_test (blocked_requests),
    cmocka_unit_test (six_azs_twelve_subnets),
    cmocka_unit_test (two_azs_twelve_subnets),
    cmocka_unit_test (flat_network),
    cmocka_unit_test_setup_teardown (writes_formats, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (write_errors, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (group_box),
    cmocka_unit_test_setup_teardown (no_group_same_bytes, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (database_members, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (database_reads_from_writer),
    cmocka_unit_test (database_blocked_queries),
    cmocka_unit_test (database_flat),
    cmocka_unit_test_setup_teardown (no_database_same_bytes, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
