/* Optimisation over a sweep's space (`stratus optimize`, docs/optimize.md): the point with
 * the best mean of an objective figure among those whose means meet every constraint
 * ("latency_ms.p99<250", "availability>=99.95%"), found by running every point R times
 * (exhaustive) or by racing: rounds of replications in which points that are clearly out
 * (by their 95% intervals) are dropped and the survivors get more replications.
 *
 * Pure logic: the optimizer says which (point, replication) pairs to run next and takes
 * their records; running them is the caller's (src/cli/optimize.c on the thread pool).
 * The same records give the same outcome, byte for byte. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "stratus/sweep.h"

#define STRATUS_OPTIMIZE_SCHEMA "stratus.optimize/1"

/* `--method auto` searches exhaustively up to this many points, by racing beyond. */
#define STRATUS_OPTIMIZE_EXHAUSTIVE_MAX_POINTS 16

/* Runners-up listed after the winner, at most. */
#define STRATUS_OPTIMIZE_RUNNERS_UP 3

#define STRATUS_OPTIMIZE_ERROR (stratus_optimize_error_quark ())

typedef enum
{
  STRATUS_OPTIMIZE_ERROR_SYNTAX,         /* a malformed constraint or method */
  STRATUS_OPTIMIZE_ERROR_UNKNOWN_FIGURE, /* a figure no report of the first round has */
} StratusOptimizeError;

GQuark stratus_optimize_error_quark (void);

/* ---- constraints -------------------------------------------------------------------------- */

typedef enum
{
  STRATUS_OP_LT, /* < */
  STRATUS_OP_LE, /* <= */
  STRATUS_OP_GT, /* > */
  STRATUS_OP_GE, /* >= */
} StratusComparison;

/* A constraint on the mean of a figure: PATH OP LIMIT. */
typedef struct
{
  char *path;       /* as written: a figure path or an alias ("availability", "p99") */
  StratusComparison op;
  double limit;     /* the number, divided by 100 when written with '%' */
  char *limit_text; /* as written, without spaces: "250", "99.95%" */
} StratusConstraint;

/* Parses "PATH OP VALUE[%]" (OP one of <, <=, >, >=; spaces allowed around the parts;
 * VALUE a plain decimal number, optionally with an exponent; a '%' suffix divides it by
 * 100, for ratios such as availability). NULL with a one-line message in `error`
 * (STRATUS_OPTIMIZE_ERROR_SYNTAX) if malformed. Free with stratus_constraint_free. */
StratusConstraint *stratus_constraint_parse (const char *text, GError **error);
void stratus_constraint_free (StratusConstraint *constraint);

/* "latency_ms.p99 < 250" with the figure's full path (aliases resolved). Caller frees. */
char *stratus_constraint_describe (const StratusConstraint *constraint);

/* "<", "<=", ">" or ">=". */
const char *stratus_comparison_symbol (StratusComparison op);

/* Whether `value` meets the constraint (false when it is not a finite number). */
bool stratus_constraint_meets (const StratusConstraint *constraint, double value);

/* What a 95% interval mean ± ci95 says of a constraint. */
typedef enum
{
  STRATUS_VERDICT_MET,       /* the whole interval meets it */
  STRATUS_VERDICT_UNCERTAIN, /* the interval crosses the limit (or touches it) */
  STRATUS_VERDICT_VIOLATED,  /* the whole interval violates it */
} StratusVerdict;

/* The verdict on the interval [mean - ci95, mean + ci95]: met when both ends meet the
 * constraint, violated when neither does, uncertain otherwise (and when mean is not a
 * finite number). */
StratusVerdict stratus_constraint_classify (const StratusConstraint *constraint, double mean,
                                            double ci95);

/* ---- the search --------------------------------------------------------------------------- */

typedef enum
{
  STRATUS_OPTIMIZE_AUTO,       /* exhaustive up to STRATUS_OPTIMIZE_EXHAUSTIVE_MAX_POINTS */
  STRATUS_OPTIMIZE_EXHAUSTIVE, /* every point, R replications */
  STRATUS_OPTIMIZE_RACING,     /* rounds; clearly-out points dropped after each */
} StratusOptimizeMethod;

/* Parses "auto", "exhaustive" or "racing"; false if it is none of them. */
bool stratus_optimize_method_parse (const char *text, StratusOptimizeMethod *method);

/* "auto", "exhaustive" or "racing". */
const char *stratus_optimize_method_name (StratusOptimizeMethod method);

/* What is sought. */
typedef struct
{
  const char *objective; /* a figure path or alias */
  bool maximize;         /* false: the lowest mean wins */
  StratusConstraint *const *constraints; /* n_constraints of them (borrowed; copied) */
  size_t n_constraints;
  StratusOptimizeMethod method;
} StratusOptimizeGoal;

/* A search in progress, then its outcome. */
typedef struct StratusOptimizer StratusOptimizer;

/* A search of `definition`'s space (its `replications` is R, the most any point gets; pairs
 * are numbered point x R + k as in a sweep) for `goal` (both copied). Free with
 * stratus_optimizer_free. */
StratusOptimizer *stratus_optimizer_new (const StratusSweepDefinition *definition,
                                         const StratusOptimizeGoal *goal);
void stratus_optimizer_free (StratusOptimizer *optimizer);

/* The method in use: exhaustive or racing (auto resolved by the number of points). */
StratusOptimizeMethod stratus_optimizer_method (const StratusOptimizer *optimizer);

/* The pairs of the next round, point by point and each point's replications in order (the
 * order stratus_optimizer_add must receive them in), `*n` of them; NULL with `*n` = 0 when
 * the search is over. Exhaustive: one round, every point's R replications. Racing: round 1
 * runs r0 = min(R, max(3, R / 4)) replications at every point; each later round doubles
 * the survivors' replications (at most R), reusing those already run. Caller frees. */
size_t *stratus_optimizer_next_round (StratusOptimizer *optimizer, size_t *n);

/* Takes pair `pair`'s record (borrowed) of the round under way. */
void stratus_optimizer_add (StratusOptimizer *optimizer, size_t pair,
                            const StratusSweepRecord *record);

/* Ends the round once all its pairs are added. After round 1, an objective or constraint
 * figure that no report has is an error (STRATUS_OPTIMIZE_ERROR_UNKNOWN_FIGURE; false, the
 * search over). Racing, unless every survivor now has R replications, then drops: the points
 * whose interval clearly violates a constraint, those lacking a figure the goal needs, and
 * those whose objective interval lies wholly on the wrong side of the interval of the best
 * clearly-feasible point (every constraint met by its whole interval; best: the nearest
 * far end, the lowest upper end when minimising). */
bool stratus_optimizer_end_round (StratusOptimizer *optimizer, GError **error);

/* Whether the search is over (no next round). */
bool stratus_optimizer_done (const StratusOptimizer *optimizer);

/* The records so far: every point's running summaries (borrowed). */
const StratusSweepResults *stratus_optimizer_results (const StratusOptimizer *optimizer);

/* Rounds ended, and replications run over all points. */
unsigned stratus_optimizer_rounds (const StratusOptimizer *optimizer);
size_t stratus_optimizer_replications_run (const StratusOptimizer *optimizer);

/* Replications point `point` has had. */
unsigned stratus_optimizer_point_replications (const StratusOptimizer *optimizer,
                                               size_t point);

/* Whether point `point` was dropped, and if so in which round (1, 2, ...). */
bool stratus_optimizer_dropped (const StratusOptimizer *optimizer, size_t point,
                                unsigned *round);

/* Whether point `point` is feasible: not dropped, its objective present and every
 * constraint met by its mean (a figure missing: infeasible). */
bool stratus_optimizer_feasible (const StratusOptimizer *optimizer, size_t point);

/* Once done: the winner (the feasible point with the best objective mean, ties to the
 * first point); false if no point is feasible. */
bool stratus_optimizer_winner (const StratusOptimizer *optimizer, size_t *point);

/* Once done: the next best points after the winner, best first (ties to the first point),
 * at most STRATUS_OPTIMIZE_RUNNERS_UP written into `points`; how many (0 without a
 * winner). A runner-up meets every constraint on its mean and is either feasible or was
 * dropped by racing as clearly worse on the objective (ranked then on the replications it
 * had). */
size_t stratus_optimizer_runners_up (const StratusOptimizer *optimizer,
                                     size_t points[STRATUS_OPTIMIZE_RUNNERS_UP]);

/* Once done: the outcome as text (optimize.txt) and as JSON (optimize.json, schema
 * stratus.optimize/1; docs/optimize.md). Caller frees. */
char *stratus_optimizer_text (const StratusOptimizer *optimizer);
char *stratus_optimizer_json (const StratusOptimizer *optimizer);
