/* The inside of the optimizer, shared by optimize.c (constraints, rounds, the choice) and
 * optimize_output.c (the outcome as text and JSON). */
#pragma once

#include "stratus/optimize.h"

/* Why a point was dropped. */
typedef enum
{
  DROP_NONE,
  DROP_VIOLATES,  /* a constraint clearly violated */
  DROP_MISSING,   /* a figure the goal needs is missing */
  DROP_DOMINATED, /* its objective interval is wholly worse than the reference's */
} DropKind;

/* Constraint index meaning the objective (DROP_MISSING). */
#define OBJECTIVE SIZE_MAX

typedef struct
{
  unsigned reps; /* replications added */
  DropKind drop;
  unsigned drop_round, drop_reps;
  size_t constraint; /* DROP_VIOLATES, DROP_MISSING: which (OBJECTIVE: the objective) */
  double lo, hi;     /* DROP_VIOLATES, DROP_DOMINATED: the interval that dropped it */
  size_t ref;        /* DROP_DOMINATED: the reference point, and its interval */
  double ref_lo, ref_hi;
} PointState;

/* One round: the replications each point it ran reached, how many points and drops. */
typedef struct
{
  unsigned reps;
  size_t points, replications, dropped_violates, dropped_missing, dropped_dominated;
} RoundInfo;

struct StratusOptimizer
{
  StratusSweepResults *results;
  char *scenario_file, *scenario_name;
  char **base_overrides;
  uint64_t seed;
  char *objective; /* as given */
  bool maximize;
  GPtrArray *constraints; /* StratusConstraint *, owned */
  StratusOptimizeMethod method, asked;
  unsigned R, r0;
  size_t points;
  PointState *state;
  GArray *rounds; /* RoundInfo, one per round ended (and the one under way, last) */
  bool in_round, done;
  size_t round_pairs, round_added;
  size_t replications_run;
};

/* Constraint `c` of the goal (borrowed). */
const StratusConstraint *optimize_constraint (const StratusOptimizer *o, size_t c);

/* Point `p`'s figure `path` (a path or alias): mean and 95% half-width; false if no
 * replication had it (or its mean is not a finite number). */
bool optimize_figure (const StratusOptimizer *o, size_t p, const char *path, double *mean,
                      double *ci);
