/* The inside of a StratusReport, shared by the files that build it (report.c) and
 * write it (report.c: JSON; report_text.c: text and CSV). */
#pragma once

#include "stratus/report.h"
#include "stratus/stats.h"

typedef struct
{
  char *path;  /* JSON path, dotted */
  bool integer; /* a count: printed without decimals when there is one replication */
  StratusSummary summary;
} Figure;

/* What the report keeps of an instance: every instance of any replication, by name, in
 * order of first appearance. */
typedef struct
{
  char *name, *fleet, *az;
  int workers;
} InstanceInfo;

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
  double simulated_requests;
  GPtrArray *az_names, *fleet_names; /* char* (owned): the groups of by_az and by_fleet,
                                      * in order of first appearance */
};

/* The figure at `path`, or NULL. */
const Figure *report_find (const StratusReport *report, const char *path);
