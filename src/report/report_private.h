/* The inside of a StratusReport, shared by the files that build it (report.c) and
 * write it (report.c: JSON; report_text.c: text and CSV; report_groups.c: Auto Scaling
 * groups and groups.csv; report_events.c: the event timeline and events.csv;
 * report_databases.c: databases and databases.csv). */
#pragma once

#include "stratus/report.h"
#include "stratus/stats.h"

#include <json-glib/json-glib.h>

#include <stdio.h>

#include "report_json.h"

/* A figure path's segment separator inside a name ("c5.large"): figures are added with
 * their names' dots replaced by this, so the JSON nests at the real separators only. */
#define REPORT_NAME_DOT '\x1f'

typedef struct
{
  char *path;  /* JSON path, dotted, as stratus_report_figure takes it */
  char *json_path; /* the same with names' dots as REPORT_NAME_DOT; NULL when equal */
  bool integer; /* a count: printed without decimals when there is one replication */
  StratusSummary summary;
} Figure;

/* What the report keeps of an instance: every instance of any replication, by name, in
 * order of first appearance. */
typedef struct
{
  char *name, *fleet, *az;
  char *type; /* NULL when the model did not say */
  int workers;
} InstanceInfo;

/* What the report keeps of an Auto Scaling group (from its first replication). */
typedef struct
{
  char *name, *instance_type, *metric; /* metric: NULL without target tracking */
  double target;                       /* NAN without target tracking */
  int min, max, desired_start;
} GroupInfo;

/* A group row and a group's AZ row, tagged with their replication. */
typedef struct
{
  uint32_t replication;
  StratusGroupRow row;
} TaggedGroupRow;

typedef struct
{
  uint32_t replication;
  StratusGroupAzRow row;
} TaggedGroupAzRow;

/* What the report keeps of a database member (from the first replication that has it). */
typedef struct
{
  char *name, *az;
  StratusDbRole role_start, role_end;
  bool up_at_end;
} DatabaseMemberInfo;

/* What the report keeps of a database (from its first replication): its facts, its
 * members and that replication's failovers. */
typedef struct
{
  char *name, *instance_class;
  StratusDbEngine engine;
  StratusDbDeployment deployment;
  GArray *members;   /* DatabaseMemberInfo (strings owned), by member index */
  GArray *failovers; /* StratusFailoverRecord, in time order */
} DatabaseInfo;

/* A database row tagged with its replication. */
typedef struct
{
  uint32_t replication;
  StratusDatabaseRow row;
} TaggedDatabaseRow;

/* A time-series row tagged with its replication. */
typedef struct
{
  uint32_t replication;
  StratusIntervalRow row;
} TaggedRow;

typedef struct
{
  uint32_t replication;
  StratusInstanceRow row;
} TaggedInstanceRow;

struct StratusReport
{
  const StratusScenario *scenario;
  unsigned replications;
  uint64_t seed;         /* of the first replication */
  GArray *figures;       /* Figure */
  GHashTable *index;     /* path -> position in figures */
  GArray *instances;     /* InstanceInfo, every instance of every replication */
  GHashTable *instance_index; /* name -> position in instances + 1 */
  StratusRecordLog *rows; /* TaggedRow */
  StratusRecordLog *instance_rows; /* TaggedInstanceRow */
  StratusRunStats run;   /* events and wall time summed, memory maximum */
  double elapsed_seconds; /* the whole batch's wall time (stratus_report_set_elapsed), or 0 */
  unsigned jobs;          /* threads the replications ran on, or 0 when not said */
  double simulated_requests;
  GPtrArray *az_names, *fleet_names; /* char* (owned): the groups of by_az and by_fleet,
                                      * in order of first appearance */
  GArray *groups;        /* GroupInfo (strings owned), the Auto Scaling groups */
  StratusRecordLog *group_rows;    /* TaggedGroupRow */
  StratusRecordLog *group_az_rows; /* TaggedGroupAzRow */
  GPtrArray *type_names; /* char* (owned): instance types billed, in order of appearance */
  GArray *events;        /* StratusTimelineEvent (strings owned): the first replication's */
  uint64_t events_dropped; /* the first replication's timeline_dropped */
  FILE *events_file;     /* events.csv rows of every replication (a temporary file), or */
  GString *events_text;  /* in memory when no temporary file could be made */
  GArray *databases;     /* DatabaseInfo, the databases (report_databases.c) */
  StratusRecordLog *database_rows; /* TaggedDatabaseRow */
  struct StratusBill *bill; /* the first replication's bill (its items), or NULL
                             * (report_cost.c) */
  GPtrArray *fault_detected_by; /* char* (owned) per fault of the scenario: what detected it
                                 * in the first replication that did; NULL slot: none did.
                                 * NULL without faults (report_availability.c) */
};

/* The figure at `path`, or NULL. */
const Figure *report_find (const StratusReport *report, const char *path);

/* Adds this replication's `value` to the figure at the path made from `format` (names'
 * dots as REPORT_NAME_DOT, see report_name_key); `integer`: a count. */
void report_addf (StratusReport *report, double value, bool integer, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

/* `name` with its dots replaced by REPORT_NAME_DOT, for a figure path. Caller frees. */
char *report_name_key (const char *name);

/* "12.3" or "12.3 ± 0.4" (figure `path`, times `scale`, `decimals` decimals, then
 * `suffix`) appended to `out`; "-" when there is no such figure. */
void report_append_figure (GString *out, const StratusReport *report, const char *path,
                           int decimals, double scale, const char *suffix);

/* Quotes `field` for CSV into `out` when it holds a comma, a quote or a line break;
 * nothing for NULL. */
void report_csv_field (GString *out, const char *field);

/* ---- report_groups.c ---- */

/* The object `name` of `parent`, created empty when missing. */
JsonObject *report_object_member (JsonObject *parent, const char *name);

/* `v` as "%.6g" (C locale) into `out`, nothing when not finite: a CSV number. */
void report_csv_number (GString *out, double v);

/* Sets up and frees the group part of a report. */
void report_groups_init (StratusReport *report);
void report_groups_clear (StratusReport *report);

/* Takes in one replication's groups, rows and instance types (figures and rows copied). */
void report_groups_add (StratusReport *report, const StratusRunResult *r);

/* report.json's "groups" and "instance_hours_by_type" facts (the figures are there). */
void report_groups_json (JsonObject *root, const StratusReport *report);

/* The "Auto Scaling" section of report.txt; nothing without groups. */
void report_groups_text (GString *out, const StratusReport *report);

/* ---- report_events.c ---- */

void report_events_init (StratusReport *report);
void report_events_clear (StratusReport *report);

/* Takes in one replication's timeline: its events.csv rows, and the events themselves for
 * the first replication. */
void report_events_add (StratusReport *report, const StratusRunResult *r);

/* report.json's "timeline" and "timeline_dropped". */
void report_events_json (JsonObject *root, const StratusReport *report);

/* The "Timeline" section of report.txt; nothing when the timeline is empty. */
void report_events_text (GString *out, const StratusReport *report);

/* "10:42:00" since the start of the run, or "d1 10:42:00" from 24 h on. Caller frees. */
char *report_clock_text (StratusTime at);

/* ---- report_availability.c ---- */

/* With faults in the scenario: this replication's availability figures (availability.*,
 * faults.NAME.*) from its rows. Nothing without faults. */
void report_availability_add (StratusReport *report, const StratusRunResult *r);

/* The "Availability" section of the text report; nothing without faults. */
void report_availability_text (GString *out, const StratusReport *report);

/* ---- report_random_faults.c ---- */

/* This replication's random faults: their parts' measured availability and the expected
 * one (faults.NAME.*). */
void report_random_faults_add (StratusReport *report, const StratusRunResult *r);

/* The "Random faults" section of the text report; nothing without random faults. */
void report_random_faults_text (GString *out, const StratusReport *report);

/* Frees the availability part of a report. */
void report_availability_clear (StratusReport *report);

/* report.json's facts of the faults (faults.NAME.detected_by, .disruption) beside their
 * figures, and the resilience policy's targets under "resilience_policy". */
void report_availability_json (JsonObject *root, const StratusReport *report);

/* True if the row counts as down: its failed share is above `threshold`, or requests were
 * sent and none answered. */
bool report_row_down (const StratusIntervalRow *row, double threshold);

/* The row's successful share of the requests answered in it; 0 when requests were sent
 * and none answered; NAN when none was sent or answered. */
double report_row_success_ratio (const StratusIntervalRow *row);

/* "met", "not met" or "met in K of N replications" from the 0/1 figure `met_path`. */
void report_append_verdict (GString *out, const StratusReport *report, const char *met_path);

/* ---- report_slo.c ---- */

/* With an `slo` section: this replication's slo.* figures (measured against the targets,
 * error budgets used). Nothing without it. */
void report_slo_add (StratusReport *report, const StratusRunResult *r);

/* The "SLO" section of the text report; nothing without an `slo` section. */
void report_slo_text (GString *out, const StratusReport *report);

/* ---- report_cost.c ---- */

/* With prices for the scenario: this replication's bill, as figures (cost.*), its items
 * kept from the first replication. */
void report_cost_add (StratusReport *report, const StratusRunResult *r);

/* Frees the cost part of a report. */
void report_cost_clear (StratusReport *report);

/* report.json's cost.items[] (the first replication's lines) beside the cost figures. */
void report_cost_json (JsonObject *root, const StratusReport *report);

/* The "Cost" section of the text report; nothing without prices. */
void report_cost_text (GString *out, const StratusReport *report);

/* ---- report_databases.c ---- */

/* Sets up and frees the database part of a report. */
void report_databases_init (StratusReport *report);
void report_databases_clear (StratusReport *report);

/* Takes in one replication's databases: figures (databases.NAME.*) and rows copied, facts
 * kept from the first replication that has databases. */
void report_databases_add (StratusReport *report, const StratusRunResult *r);

/* Whether databases.csv is written: the scenario has databases, or a replication had some. */
bool report_has_databases (const StratusReport *report);

/* report.json's facts of the databases (engine, deployment, class, members' AZs and roles,
 * the first replication's failovers) under "databases", beside their figures; nothing
 * without databases. */
void report_databases_json (JsonObject *root, const StratusReport *report);

/* The "Databases" section of report.txt; nothing without databases. */
void report_databases_text (GString *out, const StratusReport *report);
