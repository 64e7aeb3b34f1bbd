/* The charts of Auto Scaling groups (capacity-GROUP: in-service instances per AZ stacked,
 * desired capacity, pending; utilisation-GROUP: CPU and memory with the target tracking
 * target), from the report's first replication, and the scaling markers every time-series
 * chart of a report carries. */
#include "charts_private.h"

#include <math.h>
#include <string.h>

#include "stratus/units.h"

/* The first replication's rows of one group: per interval its row, and per interval and AZ
 * its in-service and pending counts (0 where the report has no AZ row). */
typedef struct
{
  GArray *rows;        /* StratusGroupRow */
  unsigned n_azs;
  int *in_service, *pending; /* rows->len x n_azs */
} GroupSeries;

/* Gathers group `group`'s rows of the first replication. Free with group_series_clear. */
static void
group_series_init (GroupSeries *g, const StratusReport *report, unsigned group)
{
  const StratusScenario *s = stratus_report_scenario (report);
  g->rows = g_array_new (FALSE, FALSE, sizeof (StratusGroupRow));
  g->n_azs = s != NULL && s->azs != NULL ? s->azs->len : 0;
  unsigned first = 0, rep;
  size_t n = stratus_report_group_row_count (report);
  for (size_t i = 0; i < n; i++)
    {
      StratusGroupRow row;
      stratus_report_group_row (report, i, &rep, &row);
      if (i == 0)
        first = rep;
      if (rep == first && row.group == group)
        g_array_append_val (g->rows, row);
    }
  size_t cells = (size_t) MAX (g->rows->len, 1) * MAX (g->n_azs, 1);
  g->in_service = g_new0 (int, cells);
  g->pending = g_new0 (int, cells);
  size_t m = stratus_report_group_az_row_count (report);
  guint k = 0;
  for (size_t i = 0; i < m && g->rows->len > 0; i++)
    {
      StratusGroupAzRow row;
      stratus_report_group_az_row (report, i, &rep, &row);
      if (rep != first || row.group != group || row.az >= g->n_azs)
        continue;
      while (k < g->rows->len && g_array_index (g->rows, StratusGroupRow, k).start < row.start)
        k++;
      if (k < g->rows->len && g_array_index (g->rows, StratusGroupRow, k).start == row.start)
        {
          g->in_service[k * g->n_azs + row.az] = row.in_service;
          g->pending[k * g->n_azs + row.az] = row.pending;
        }
    }
}

/* Frees what group_series_init allocated. */
static void
group_series_clear (GroupSeries *g)
{
  g_array_unref (g->rows);
  g_free (g->in_service);
  g_free (g->pending);
}

/* Where row `k`'s counts (taken at the end of its interval) and averages (over it) go on
 * the time axis, in seconds. */
static double
count_x (const ChartData *d, const GroupSeries *g, guint k)
{
  const StratusScenario *s = stratus_report_scenario (d->report);
  StratusTime start = g_array_index (g->rows, StratusGroupRow, k).start;
  double end = stratus_time_seconds (start + s->report_interval);
  return d->x_max > d->x_min ? MIN (end, d->x_max) : end;
}

static double
average_x (const ChartData *d, const GroupSeries *g, guint k)
{
  const StratusScenario *s = stratus_report_scenario (d->report);
  StratusTime start = g_array_index (g->rows, StratusGroupRow, k).start;
  return stratus_time_seconds (start) + stratus_time_seconds (s->report_interval) / 2;
}

/* A chart of group `group` titled "NAME: WHAT GROUP" (first replication only). */
static StratusChart *
group_chart (const ChartData *d, unsigned group, const char *what, const char *detail)
{
  char *title = g_strdup_printf ("%s %s", what, stratus_report_group_name (d->report, group));
  StratusChart *chart = charts_new_chart (d, title, NULL);
  GString *sub = g_string_new (detail);
  g_string_append (sub, " \xc2\xb7 ");
  g_string_append_printf (sub, "per %s interval", d->interval_text);
  if (d->reps > 1)
    g_string_append (sub, " \xc2\xb7 first replication");
  g_string_append (sub, " \xc2\xb7 triangles: scale-out (up) and scale-in (down)");
  stratus_chart_set_subtitle (chart, sub->str);
  g_string_free (sub, TRUE);
  g_free (title);
  return chart;
}

/* Public within src/plot (charts_private.h): in-service instances per AZ stacked (each AZ
 * a band from the AZs below it to its top), the desired capacity, and in service plus
 * pending dashed, all as steps (a count holds until the next); NULL when the group has no
 * rows. */
StratusChart *
charts_build_capacity (const ChartData *d, unsigned group)
{
  GroupSeries g;
  group_series_init (&g, d->report, group);
  if (g.rows->len == 0)
    {
      group_series_clear (&g);
      return NULL;
    }
  StratusChart *chart = group_chart (d, group, "capacity of",
                                     "in-service instances per AZ, stacked, at the end of each "
                                     "interval");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Instances", STRATUS_UNIT_NUMBER, NULL);
  const StratusScenario *s = stratus_report_scenario (d->report);
  for (unsigned a = 0; a < g.n_azs; a++)
    {
      char *name = g_strdup_printf ("in service, %s", (char *) g_ptr_array_index (s->azs, a));
      unsigned series = stratus_chart_add_series (chart, name, a % STRATUS_COLOUR_BLACK,
                                                  STRATUS_AXIS_LEFT, STRATUS_SERIES_STEP);
      for (guint k = 0; k < g.rows->len; k++)
        {
          int below = 0;
          for (unsigned b = 0; b < a; b++)
            below += g.in_service[k * g.n_azs + b];
          int top = below + g.in_service[k * g.n_azs + a];
          stratus_chart_add_point (chart, series, count_x (d, &g, k), top);
          stratus_chart_add_band (chart, series, count_x (d, &g, k), below, top);
        }
      g_free (name);
    }
  unsigned desired = stratus_chart_add_series (chart, "desired capacity", STRATUS_COLOUR_BLACK,
                                               STRATUS_AXIS_LEFT, STRATUS_SERIES_STEP);
  unsigned pending = stratus_chart_add_series (chart, "in service + pending",
                                               STRATUS_COLOUR_PURPLE, STRATUS_AXIS_LEFT,
                                               STRATUS_SERIES_STEP);
  stratus_chart_set_dashed (chart, pending, true);
  for (guint k = 0; k < g.rows->len; k++)
    {
      const StratusGroupRow *row = &g_array_index (g.rows, StratusGroupRow, k);
      stratus_chart_add_point (chart, desired, count_x (d, &g, k), row->desired);
      stratus_chart_add_point (chart, pending, count_x (d, &g, k), row->in_service + row->pending);
    }
  group_series_clear (&g);
  return chart;
}

/* Whether a target tracking metric's name is CPU or memory utilisation (a percentage). */
static bool
metric_is_percent (const char *metric)
{
  if (metric == NULL)
    return false;
  char *lower = g_ascii_strdown (metric, -1);
  bool percent = strstr (lower, "cpu") != NULL || strstr (lower, "mem") != NULL;
  g_free (lower);
  return percent;
}

/* Public within src/plot (charts_private.h): the group's CPU and memory utilisation (memory
 * when modelled) and the target tracking target when its metric is one of them; NULL when
 * the group has no rows. */
StratusChart *
charts_build_group_utilisation (const ChartData *d, unsigned group)
{
  GroupSeries g;
  group_series_init (&g, d->report, group);
  if (g.rows->len == 0)
    {
      group_series_clear (&g);
      return NULL;
    }
  StratusChart *chart = group_chart (d, group, "utilisation of",
                                     "mean over its in-service instances");
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Utilisation", STRATUS_UNIT_PERCENT, NULL);
  stratus_chart_set_y_range (chart, STRATUS_AXIS_LEFT, 0, 100);
  bool memory = false;
  for (guint k = 0; k < g.rows->len; k++)
    memory = memory || isfinite (g_array_index (g.rows, StratusGroupRow, k).memory);
  unsigned cpu = stratus_chart_add_series (chart, "CPU", STRATUS_COLOUR_BLUE, STRATUS_AXIS_LEFT,
                                           STRATUS_SERIES_LINE);
  unsigned mem = memory ? stratus_chart_add_series (chart, "memory", STRATUS_COLOUR_ORANGE,
                                                    STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE)
                        : 0;
  for (guint k = 0; k < g.rows->len; k++)
    {
      const StratusGroupRow *row = &g_array_index (g.rows, StratusGroupRow, k);
      stratus_chart_add_point (chart, cpu, average_x (d, &g, k), row->cpu);
      if (memory)
        stratus_chart_add_point (chart, mem, average_x (d, &g, k), row->memory);
    }
  const char *metric = stratus_report_group_metric (d->report, group);
  double target = stratus_report_group_target (d->report, group);
  if (metric_is_percent (metric) && isfinite (target) && d->x_max > d->x_min)
    {
      char *name = g_strdup_printf ("target %g%% (%s)", target, metric);
      unsigned t = stratus_chart_add_series (chart, name, STRATUS_COLOUR_VERMILLION,
                                             STRATUS_AXIS_LEFT, STRATUS_SERIES_LINE);
      stratus_chart_set_dashed (chart, t, true);
      stratus_chart_add_point (chart, t, d->x_min, target);
      stratus_chart_add_point (chart, t, d->x_max, target);
      g_free (name);
    }
  group_series_clear (&g);
  return chart;
}

size_t
stratus_charts_add_scaling_markers (StratusChart *chart, const StratusReport *report,
                                    const char *group)
{
  size_t added = 0, n = stratus_report_event_count (report);
  for (size_t i = 0; i < n; i++)
    {
      const StratusTimelineEvent *e = stratus_report_event (report, i);
      if ((e->kind != STRATUS_EVENT_SCALING && e->kind != STRATUS_EVENT_SCHEDULED) || e->from < 0
          || e->to < 0 || e->from == e->to
          || (group != NULL && (e->group == NULL || strcmp (e->group, group) != 0)))
        continue;
      stratus_chart_add_marker (chart, stratus_time_seconds (e->at),
                                e->from < e->to ? STRATUS_MARKER_UP : STRATUS_MARKER_DOWN);
      added++;
    }
  return added;
}
