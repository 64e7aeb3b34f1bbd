/* The inside of sweeps, shared by the files that build them (sweep_space.c: the space;
 * sweep_record.c: records; sweep_results.c: the results; sweep_partial.c: partial results
 * and merging; sweep_output.c: text, CSV, JSON; sweep_chart.c: charts). */
#pragma once

#include "stratus/stats.h"
#include "stratus/sweep.h"

/* The limits of a sweep, checked before anything is allocated for what they bound: the
 * values of one dimension, the varied keys (all dimensions'), the (point, replication)
 * pairs (so also the points: the product of the dimensions' sizes), the replications and
 * shards (as `stratus sweep` takes them), and the figures a partial result may declare. */
#define SWEEP_MAX_VALUES 10000
#define SWEEP_MAX_KEYS 1000
#define SWEEP_MAX_PAIRS 10000000
#define SWEEP_MAX_REPLICATIONS 100000
#define SWEEP_MAX_SHARDS 100000
#define SWEEP_MAX_FIGURES 100000
/* Merged results may hold this many cells (points x figures) whatever the values given. */
#define SWEEP_MAX_CELLS_FREE 1000000

/* `text` for an error message: on one line (control characters escaped: "\n", "\001"),
 * at most `max` bytes of it, "..." after a cut. Caller frees. */
char *sweep_shown (const char *text, size_t max);

/* A dimension of the space: its keys and rows of values (rows x keys strings, owned). */
typedef struct
{
  GPtrArray *keys; /* char *, owned */
  GPtrArray *rows; /* char ** (one value per key, NULL-terminated), owned */
} SweepDimension;

struct StratusSweepSpace
{
  GPtrArray *dimensions; /* SweepDimension *, owned */
};

/* One figure of a record. */
typedef struct
{
  char *path;
  bool is_count;
  double value;
} RecordFigure;

struct StratusSweepRecord
{
  GArray *figures; /* RecordFigure (paths owned) */
};

/* A record with no figures, to be filled by record_append. */
StratusSweepRecord *record_new (void);

/* Appends a figure (path copied). */
void record_append (StratusSweepRecord *record, const char *path, bool is_count, double value);

/* A copy of `record`. */
StratusSweepRecord *record_copy (const StratusSweepRecord *record);

/* What results are made from: the sweep's definition as plain data. */
typedef struct
{
  char *scenario_file, *scenario_name;
  char **base_overrides; /* NULL-terminated, never NULL */
  char **keys;           /* NULL-terminated */
  char **values;         /* points x keys, row-major */
  size_t points, n_keys;
  unsigned replications;
  uint64_t seed;
} SweepFacts;

/* The facts of `definition` (copied), and their copy and release. */
void sweep_facts_init (SweepFacts *facts, const StratusSweepDefinition *definition);
void sweep_facts_copy (SweepFacts *to, const SweepFacts *from);
void sweep_facts_clear (SweepFacts *facts);

/* Whether two sweeps' facts are the same sweep. */
bool sweep_facts_equal (const SweepFacts *a, const SweepFacts *b);

/* A figure the results have seen. */
typedef struct
{
  char *path;
  bool is_count;
} SweepFigure;

struct StratusSweepResults
{
  SweepFacts facts;
  GArray *figures;        /* SweepFigure, in order of first appearance */
  GHashTable *index;      /* path (borrowed from figures) -> index + 1 */
  GPtrArray *summaries;   /* per point: GArray of StratusSummary, one per figure */
  unsigned *next_rep;     /* per point: replications are added in order, the next one */
};

/* Results from facts (copied). */
StratusSweepResults *sweep_results_from_facts (const SweepFacts *facts);

/* The figure a path or alias names ("availability" -> "availability.success_ratio"). */
const char *sweep_figure_alias (const char *name);

struct StratusSweepPartial
{
  SweepFacts facts;
  unsigned shard, shards;
  GArray *pairs;      /* size_t pair index, increasing */
  GPtrArray *records; /* StratusSweepRecord *, owned, parallel to pairs */
};
