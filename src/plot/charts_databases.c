/* The chart of each database (database-NAME): per report interval, the query latency p99
 * and the replica lag on the left axis (ms), the open connections on the right axis, each
 * the mean over replications with its 95% band; markers at the database's failures,
 * failovers, promotions, recoveries and restores of the first replication. */
#include "charts_private.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "stratus/units.h"

/* One interval (matched by position over replications) of one database. */
typedef struct
{
  double x;             /* the middle of the interval, s (from the first row there) */
  StratusSummary p99;   /* over replications with queries answered in it */
  StratusSummary lag_mean, lag_max, connections;
} DatabaseCell;

/* Gathers database `database`'s rows of every replication into cells (row k of every
 * replication into cell k); sets *any_lag when some row has a replica lag. Caller frees
 * with g_array_unref. */
static GArray *
database_cells (const ChartData *d, unsigned database, bool *any_lag)
{
  const StratusScenario *s = stratus_report_scenario (d->report);
  double interval = stratus_time_seconds (s != NULL ? s->report_interval : STRATUS_MINUTE);
  GArray *cells = g_array_new (FALSE, TRUE, sizeof (DatabaseCell));
  size_t n = stratus_report_database_row_count (d->report), k = 0;
  unsigned last = G_MAXUINT;
  *any_lag = false;
  for (size_t i = 0; i < n; i++)
    {
      unsigned rep;
      StratusDatabaseRow row;
      stratus_report_database_row (d->report, i, &rep, &row);
      if (rep != last)
        k = 0;
      last = rep;
      if (row.database != database)
        continue;
      if (k == cells->len)
        {
          double start = stratus_time_seconds (row.start), end = start + interval;
          if (d->x_max > start)
            end = MIN (end, d->x_max);
          DatabaseCell cell = { .x = (start + end) / 2 };
          g_array_append_val (cells, cell);
        }
      DatabaseCell *c = &g_array_index (cells, DatabaseCell, k);
      if (row.queries > 0 && isfinite (row.p99_ms))
        stratus_summary_add (&c->p99, row.p99_ms);
      if (isfinite (row.lag_mean_ms))
        stratus_summary_add (&c->lag_mean, row.lag_mean_ms);
      if (isfinite (row.lag_max_ms))
        stratus_summary_add (&c->lag_max, row.lag_max_ms);
      if (isfinite (row.connections))
        stratus_summary_add (&c->connections, row.connections);
      *any_lag = *any_lag || (isfinite (row.lag_max_ms) && row.lag_max_ms > 0);
      k++;
    }
  return cells;
}

/* Adds a series named `name` of the summaries at `offset` in each cell. */
static unsigned
add_cell_series (StratusChart *chart, const ChartData *d, const GArray *cells, const char *name,
                 unsigned colour, StratusAxis axis, size_t offset)
{
  unsigned series = stratus_chart_add_series (chart, name, colour, axis, STRATUS_SERIES_LINE);
  for (guint k = 0; k < cells->len; k++)
    {
      const DatabaseCell *c = &g_array_index (cells, DatabaseCell, k);
      charts_add_summary_point_at (chart, series, d->reps, c->x,
                                   (const StratusSummary *) ((const char *) c + offset));
    }
  return series;
}

/* Public within src/plot (charts_private.h): query p99 and the lag (mean, max dashed) on
 * the left axis, open connections on the right, per interval, mean over replications with
 * bands (the lag only when some row has one); NULL when the database has no rows. */
StratusChart *
charts_build_database (const ChartData *d, unsigned database)
{
  bool any_lag;
  GArray *cells = database_cells (d, database, &any_lag);
  if (cells->len == 0)
    {
      g_array_unref (cells);
      return NULL;
    }
  char *what = g_strdup_printf ("database %s", stratus_report_database_name (d->report, database));
  const char *detail = d->reps > 1 ? "triangles (first replication): failure (down), failover "
                                     "or recovery (up)"
                                   : "triangles: failure (down), failover or recovery (up)";
  StratusChart *chart = charts_new_chart (d, what, detail);
  g_free (what);
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_LEFT, "Latency and lag", STRATUS_UNIT_MS, NULL);
  stratus_chart_set_y_axis (chart, STRATUS_AXIS_RIGHT, "Open connections", STRATUS_UNIT_NUMBER,
                            NULL);
  add_cell_series (chart, d, cells, "query p99", STRATUS_COLOUR_BLUE, STRATUS_AXIS_LEFT,
                   offsetof (DatabaseCell, p99));
  if (any_lag)
    {
      add_cell_series (chart, d, cells, "replica lag, mean", STRATUS_COLOUR_GREEN,
                       STRATUS_AXIS_LEFT, offsetof (DatabaseCell, lag_mean));
      unsigned max = add_cell_series (chart, d, cells, "replica lag, max", STRATUS_COLOUR_GREEN,
                                      STRATUS_AXIS_LEFT, offsetof (DatabaseCell, lag_max));
      stratus_chart_set_dashed (chart, max, true);
    }
  unsigned connections = add_cell_series (chart, d, cells, "open connections (right axis)",
                                          STRATUS_COLOUR_BLACK, STRATUS_AXIS_RIGHT,
                                          offsetof (DatabaseCell, connections));
  stratus_chart_set_dashed (chart, connections, true);
  g_array_unref (cells);
  return chart;
}

/* Whether event `e` concerns database `database`: its group is the database, or its
 * subject is the database or one of its members. */
static bool
event_of_database (const StratusTimelineEvent *e, const StratusReport *report, unsigned database)
{
  const char *name = stratus_report_database_name (report, database);
  if (name == NULL)
    return false;
  if (e->group != NULL)
    return strcmp (e->group, name) == 0;
  if (e->subject == NULL)
    return false;
  if (strcmp (e->subject, name) == 0)
    return true;
  unsigned members = stratus_report_database_member_count (report, database);
  for (unsigned k = 0; k < members; k++)
    if (strcmp (e->subject, stratus_report_database_member_name (report, database, k)) == 0)
      return true;
  return false;
}

/* Public within src/plot (charts_private.h): the markers of database `database`'s
 * events of the first replication (down: a failure; up: a failover, promotion, recovery
 * or restore), one per time and direction; returns how many were added. */
size_t
charts_add_database_markers (StratusChart *chart, const StratusReport *report,
                             unsigned database)
{
  size_t added = 0, n = stratus_report_event_count (report);
  for (size_t i = 0; i < n; i++)
    {
      const StratusTimelineEvent *e = stratus_report_event (report, i);
      StratusMarkerDirection direction;
      switch (e->kind)
        {
        case STRATUS_EVENT_DB_FAILURE:
          direction = STRATUS_MARKER_DOWN;
          break;
        case STRATUS_EVENT_FAILOVER:
        case STRATUS_EVENT_PROMOTION:
        case STRATUS_EVENT_DB_RECOVER:
        case STRATUS_EVENT_RESTORE:
          direction = STRATUS_MARKER_UP;
          break;
        default:
          continue;
        }
      if (!event_of_database (e, report, database))
        continue;
      double x = stratus_time_seconds (e->at);
      bool seen = false; /* a failover's promotion comes with it: one marker for both */
      for (size_t m = stratus_chart_marker_count (chart); m-- > 0 && !seen;)
        {
          double mx;
          StratusMarkerDirection md;
          stratus_chart_marker (chart, m, &mx, &md);
          seen = mx == x && md == direction;
        }
      if (seen)
        continue;
      stratus_chart_add_marker (chart, x, direction);
      added++;
    }
  return added;
}
