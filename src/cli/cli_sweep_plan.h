/* The points of a sweep made ready to run, for `sweep` and `optimize` (src/cli/
 * cli_sweep_plan.c): every point's scenario loaded and checked once, and lists of (point,
 * replication) pairs run on the thread pool with their records handed over in order. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stratus/budget.h"
#include "stratus/sweep.h"

/* Builds `space` from the CSV files `points_files` and the `vary` specs (either may be
 * NULL), refusing a varied `seed` (every point runs the same seeds) and more than
 * 10,000,000 pairs at `replications` per point; false with the usage error of `command`
 * printed if one is bad. */
bool cli_sweep_space_build (StratusSweepSpace *space, char **points_files, char **vary,
                            unsigned replications, const char *command);

typedef struct
{
  /* Given. */
  const char *file;              /* the scenario file (borrowed) */
  char **base_overrides;         /* --set (borrowed), or NULL */
  const StratusSweepSpace *space; /* borrowed */
  unsigned replications;
  bool seed_given;
  uint64_t seed; /* when seed_given; else the first point's scenario's seed after loading */
  /* Filled by cli_sweep_plan_load. */
  GPtrArray *scenarios; /* StratusScenario *, one per point, owned */
} CliSweepPlan;

/* Loads and checks every point's scenario (the overrides, each point's estimate against
 * `limits`, its network paths) and the whole sweep's estimated events; false with the line
 * printed (exit status 2) if one fails: the line says which point. */
bool cli_sweep_plan_load (CliSweepPlan *plan, const StratusBudgetLimits *limits);

/* Frees what cli_sweep_plan_load made. */
void cli_sweep_plan_clear (CliSweepPlan *plan);

/* The sweep's definition (pointers borrowed from the plan). */
void cli_sweep_plan_definition (const CliSweepPlan *plan, StratusSweepDefinition *definition);

/* How the pairs run. */
typedef struct
{
  unsigned jobs;
  uint64_t max_events; /* over these pairs (0: none) */
  bool show_progress;
  /* Takes pair `pair`'s record (ownership passes), in the order of the list. */
  void (*consume) (void *data, size_t pair, StratusSweepRecord *record);
  void *data;
} CliSweepRun;

/* Runs the pairs `pairs[0..n)` (pair = point x replications + k) of `plan`; the exit status
 * (0; 1 the event limit; 130 interrupted; the line printed). */
int cli_sweep_plan_run (const CliSweepPlan *plan, const size_t *pairs, size_t n,
                        const CliSweepRun *run);
