/* Architecture diagrams: arrows routed orthogonally around boxes and titles through channels
 * and lanes, and their labels placed where they collide least. Which arrows there are is
 * diagram_flows.c's business. */
#include "diagram_private.h"

#include <math.h>
#include <string.h>

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
  const StratusDiagramBox *A = &diagram_box_at (L, a->from)->pub, *B = &diagram_box_at (L, a->to)->pub;
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
void
diagram_add_arrow (Layout *L, const char *kind, int from, int to, char *label)
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

/* ---- labels -------------------------------------------------------------------------------- */

/* The size of an arrow label's rounded box. */
static void
pill_size (StratusDiagram *d, const char *label, double *w, double *h)
{
  diagram_text_size (d, label, &PILL_FONT, w, h);
  *w += 12;
  *h += 6;
}

/* Puts the arrow's label on one of its segments where it covers no box, title, other label
 * or other arrow, if there is such a place; prefers the middle of long segments. */
void
diagram_place_label (Layout *L, StratusDiagramArrow *a, guint arrow_index)
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
  diagram_add_obstacle (L, bx, by, w, h, OB_PILL, -1);
}
