/* Reports of finished runs: text, JSON and the CSV time series. A report is built from the
 * results of one or more replications (never from live model state); with several, each
 * figure is the mean over replications with a 95% Student-t confidence interval. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "stratus/output_set.h"
#include "stratus/results.h"
#include "stratus/scenario.h"

/* report.json: /2 moved the "run" section out into run.json. */
#define STRATUS_REPORT_SCHEMA "stratus.report/3"
#define STRATUS_RUN_SCHEMA "stratus.run/1"

typedef struct StratusReport StratusReport;

/* An empty report for `scenario` (borrowed: it must outlive the report). Add each
 * replication's result with stratus_report_add. Free with stratus_report_free. */
StratusReport *stratus_report_new (const StratusScenario *scenario);

/* Takes in one replication: its figures and time-series rows are copied, so the result
 * can be freed at once and memory stays flat however many replications there are. */
void stratus_report_add (StratusReport *report, const StratusRunResult *result);

/* Replications added so far. */
unsigned stratus_report_replications (const StratusReport *report);

void stratus_report_free (StratusReport *report);

/* The human-readable report (at least one replication added). Caller frees. */
char *stratus_report_text (const StratusReport *report);

/* report.json: a pure function of the scenario, seed and replications (byte-identical on
 * every run of the same build). Caller frees. */
char *stratus_report_json (const StratusReport *report);

/* Records, for run.json, that the replications ran on `jobs` threads and took
 * `elapsed_seconds` of wall-clock time together (their own wall times are summed). */
void stratus_report_set_elapsed (StratusReport *report, double elapsed_seconds, unsigned jobs);

/* run.json: how the run went (events, wall time, events/s, peak memory), which differs
 * from run to run. Caller frees. */
char *stratus_report_run_json (const StratusReport *report);

/* timeseries.csv: one row per replication and report interval. Caller frees. */
char *stratus_report_timeseries_csv (const StratusReport *report);

/* events.csv: the event timeline of every replication, one row per event (the header
 * alone when there is none). Caller frees. */
char *stratus_report_events_csv (const StratusReport *report);

/* groups.csv: per replication, report interval and Auto Scaling group, a row for the
 * whole group (az "all") then one per AZ (the header alone without groups). Caller frees. */
char *stratus_report_groups_csv (const StratusReport *report);

/* databases.csv: per replication, report interval and database (databases in scenario
 * order), one row (the header alone without databases). Caller frees. */
char *stratus_report_databases_csv (const StratusReport *report);

/* The names of the files stratus_report_write_set may write, NULL-terminated (static). */
const char *const *stratus_report_file_names (void);

/* Writes report.json, report.txt, timeseries.csv, run.json, events.csv, groups.csv and,
 * when the scenario has databases, databases.csv into `set`'s temporary folder; false
 * with `error` set at the first that fails. Publishing is the caller's. */
bool stratus_report_write_set (const StratusReport *report, StratusOutputSet *set,
                               GError **error);

/* ---- the finished data, for charts ------------------------------------------------ */

/* The scenario the report is about. */
const StratusScenario *stratus_report_scenario (const StratusReport *report);

/* Time-series rows of all replications, replication after replication. */
size_t stratus_report_row_count (const StratusReport *report);

/* Row `index` (< count): its replication (0-based) and the row. */
void stratus_report_row (const StratusReport *report, size_t index, unsigned *replication,
                         StratusIntervalRow *row);

/* Per-instance rows of all replications: for each replication and interval, one row per
 * instance in instance order. */
size_t stratus_report_instance_row_count (const StratusReport *report);
void stratus_report_instance_row (const StratusReport *report, size_t index,
                                  unsigned *replication, StratusInstanceRow *row);

/* The instances (as in the first replication): count, name ("web-1") and AZ. */
unsigned stratus_report_instance_count (const StratusReport *report);
const char *stratus_report_instance_name (const StratusReport *report, unsigned index);
const char *stratus_report_instance_az (const StratusReport *report, unsigned index);

/* The Auto Scaling groups (as in the first replication), in scenario order: count, name,
 * the first target-tracking policy's metric (NULL if none) and its target (NAN). */
unsigned stratus_report_group_count (const StratusReport *report);
const char *stratus_report_group_name (const StratusReport *report, unsigned group);
const char *stratus_report_group_metric (const StratusReport *report, unsigned group);
double stratus_report_group_target (const StratusReport *report, unsigned group);

/* Group rows of all replications, replication after replication (per interval, one per
 * group), and row `index` (< count) with its replication. */
size_t stratus_report_group_row_count (const StratusReport *report);
void stratus_report_group_row (const StratusReport *report, size_t index,
                               unsigned *replication, StratusGroupRow *row);

/* Per-AZ group rows likewise (per interval, group and AZ of the scenario). */
size_t stratus_report_group_az_row_count (const StratusReport *report);
void stratus_report_group_az_row (const StratusReport *report, size_t index,
                                  unsigned *replication, StratusGroupAzRow *row);

/* The databases (as in the first replication that had them), in scenario order: count,
 * name, and their members' count and names ("app-db-1"). */
unsigned stratus_report_database_count (const StratusReport *report);
const char *stratus_report_database_name (const StratusReport *report, unsigned database);
unsigned stratus_report_database_member_count (const StratusReport *report, unsigned database);
const char *stratus_report_database_member_name (const StratusReport *report,
                                                 unsigned database, unsigned member);

/* Database rows of all replications, replication after replication (per interval, one per
 * database), and row `index` (< count) with its replication. */
size_t stratus_report_database_row_count (const StratusReport *report);
void stratus_report_database_row (const StratusReport *report, size_t index,
                                  unsigned *replication, StratusDatabaseRow *row);

/* The first replication's timeline: number of events and event `index` (< count),
 * borrowed (valid while the report lives). */
size_t stratus_report_event_count (const StratusReport *report);
const StratusTimelineEvent *stratus_report_event (const StratusReport *report, size_t index);

/* The figures, in order of first appearance: how many, and figure `index`'s path (as
 * stratus_report_figure takes it; borrowed, valid while the report lives) and whether it
 * is a count. */
size_t stratus_report_figure_count (const StratusReport *report);
const char *stratus_report_figure_path (const StratusReport *report, size_t index,
                                        bool *is_count);

/* The mean / CI half-width of a figure by its JSON path ("latency_ms.p99"); a name holding
 * dots stays whole ("instance_hours_by_type.c5.large", "groups.web-asg.launches"); false if
 * there is no such figure. */
bool stratus_report_figure (const StratusReport *report, const char *path, double *mean,
                            double *ci95);
