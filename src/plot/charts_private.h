/* Shared by the charts of a report: charts.c (the table of charts, the data of a report,
 * writing), charts_groups.c (the charts of Auto Scaling groups, the scaling markers) and
 * charts_databases.c (the charts of databases and their markers). Private to src/plot/. */
#pragma once

#include "stratus/chart.h"
#include "stratus/plot.h"
#include "stratus/report.h"
#include "stratus/stats.h"

/* ---- the data of a report ------------------------------------------------------------- */

typedef struct
{
  const StratusReport *report;
  const char *name;     /* the scenario's */
  unsigned reps;        /* replications found in the rows */
  size_t n;             /* intervals: the most any replication has */
  StratusIntervalRow *rows; /* reps x n */
  bool *present;        /* reps x n: whether the replication has that interval */
  double *x;            /* n: the middle of each interval, s */
  double x_min, x_max;  /* first start and last end, s */
  double mean_ok;       /* successful responses per interval, on average */
  unsigned n_instances;
  double *util, *queue; /* reps x n x n_instances, NaN where missing */
  char *interval_text;  /* "1m" */
} ChartData;

/* Gathers the rows of `report` into `d`. Free with chart_data_clear. */
void chart_data_init (ChartData *d, const StratusReport *report);

/* Frees what chart_data_init allocated. */
void chart_data_clear (ChartData *d);

/* A new chart titled "NAME: what" over the run's intervals, with the usual subtitle
 * (`detail`, the interval, the replications). */
StratusChart *charts_new_chart (const ChartData *d, const char *what, const char *detail);

/* The charts of Auto Scaling group `group`: capacity-NAME and utilisation-NAME. */
StratusChart *charts_build_capacity (const ChartData *d, unsigned group);
StratusChart *charts_build_group_utilisation (const ChartData *d, unsigned group);

/* Adds to series `series` the point at `x`: the mean of `summary` (a gap when empty) and,
 * with `reps` > 1 replications, its 95% band cut at 0. */
void charts_add_summary_point_at (StratusChart *chart, unsigned series, unsigned reps, double x,
                                  const StratusSummary *summary);

/* The chart of database `database` (database-NAME): query p99 and replica lag (left axis,
 * ms) and open connections (right axis), mean over replications with 95% bands; NULL
 * when the database has no rows. */
StratusChart *charts_build_database (const ChartData *d, unsigned database);

/* Adds to `chart` a marker for each event of database `database` in the report's first
 * replication: down for a member's failure (db_failure), up for a failover completed, a
 * promotion, a recovery or a restore; one per time and direction. Returns how many. */
size_t charts_add_database_markers (StratusChart *chart, const StratusReport *report,
                                    unsigned database);
