/* Auto Scaling groups in the architecture diagram: each group is a dashed box around the
 * boxes of its fleet (its instances at time 0, `desired` of them, across their AZs),
 * titled with its name, its capacities and its target groups. Added once the grid is
 * placed, before arrows are routed (their titles are obstacles); nothing without groups. */
#include "diagram_private.h"

#define GROUP_PAD 6.0 /* between the group's box and its fleet's boxes */

const Style STYLE_GROUP = { .fill = NONE, .stroke = 0xE7157B, .line_width = 1.4, .dash = 5,
                            .radius = 6, .font = CONTAINER_FONT (12, 0xB0125E),
                            .container = true };

/* "web-asg  min 2 / desired 2 / max 20\ntarget group web-tg" (the target groups line
 * only when it has any). Caller frees. */
static char *
group_label (const StratusAutoScalingGroupConfig *asg, const StratusFleetConfig *fleet)
{
  GString *label = g_string_new (NULL);
  g_string_append_printf (label, "%s  min %d / desired %d / max %d", asg->name, asg->min,
                          asg->desired, asg->max);
  const GPtrArray *tgs = asg->target_groups;
  if (tgs != NULL && tgs->len > 0)
    {
      g_string_append_printf (label, "\ntarget group%s ", tgs->len > 1 ? "s" : "");
      for (guint i = 0; i < tgs->len; i++)
        g_string_append_printf (label, "%s%s", i > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (tgs, i));
    }
  else if (fleet->target_group != NULL)
    g_string_append_printf (label, "\ntarget group %s", fleet->target_group);
  return g_string_free (label, FALSE);
}

/* Adds the box of group `asg` around the placed boxes of its fleet; nothing if the fleet
 * has no box (no instance at time 0). */
static void
add_group_box (Layout *L, const StratusAutoScalingGroupConfig *asg)
{
  if (asg->fleet >= L->s->fleets->len)
    return;
  const StratusFleetConfig *fleet = g_ptr_array_index (L->s->fleets, asg->fleet);
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  for (guint k = 0; k < L->fleets->len; k++)
    {
      const FleetPlace *p = &g_array_index (L->fleets, FleetPlace, k);
      if (p->fleet != fleet || p->box < 0)
        continue;
      const Box *b = diagram_box_at (L, p->box);
      x0 = MIN (x0, b->pub.x);
      y0 = MIN (y0, b->pub.y);
      x1 = MAX (x1, b->pub.x + b->pub.width);
      y1 = MAX (y1, b->pub.y + b->pub.height);
    }
  if (x1 < x0)
    return;
  Box *g = g_new0 (Box, 1);
  g->pub.kind = g_strdup ("auto_scaling_group");
  g->pub.name = g_strdup (asg->name);
  g->pub.label = group_label (asg, fleet);
  g->pub.parent = L->region;
  g->style = &STYLE_GROUP;
  diagram_text_size (L->d, g->pub.label, &g->style->font, &g->text_w, &g->text_h);
  /* The title sits above the fleet's boxes, inside the group's box. */
  g->pub.x = x0 - GROUP_PAD;
  g->pub.y = y0 - GROUP_PAD - g->text_h - TITLE_Y;
  g->pub.width = MAX (x1 - x0 + 2 * GROUP_PAD, g->text_w + 2 * TITLE_X);
  g->pub.height = y1 + GROUP_PAD - g->pub.y;
  g_ptr_array_add (L->d->boxes, g);
}

void
diagram_add_group_boxes (Layout *L)
{
  const GPtrArray *groups = L->s->auto_scaling_groups;
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    add_group_box (L, g_ptr_array_index (groups, i));
}
