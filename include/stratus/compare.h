/* Scenarios compared side by side (`stratus compare`): the same figures of each scenario
 * (monthly cost by category, latency, availability, errors by reason) with their 95%
 * confidence intervals, and for every scenario after the first its difference from the
 * first with the PAIRED 95% confidence interval: replication k of every scenario uses the
 * same seed and replication index, so the same random streams (common random numbers),
 * and the per-replication differences are what the interval is built from.
 *
 * A comparison keeps running summaries only (no run results, no reports), so its memory
 * does not grow with the replications: the caller runs replication k of each scenario in
 * turn, builds a report of that one replication, hands it to stratus_comparison_add and
 * frees it. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stratus/output_set.h"
#include "stratus/plot.h"
#include "stratus/report.h"

#define STRATUS_COMPARE_SCHEMA "stratus.compare/1"

typedef struct StratusComparison StratusComparison;

/* A scenario of a comparison, as the caller describes it (strings borrowed for the call). */
typedef struct
{
  const char *label; /* column name: unique within the comparison ("public-ip") */
  const char *file;  /* the scenario file as given on the command line */
  const char *name;  /* the scenario's `name` */
} StratusCompareScenario;

/* A comparison of `n` (>= 2) scenarios, described by `scenarios` (copied), over
 * `replications` replications of `seed`. `common_workloads`: whether every scenario has
 * the same workload names (their arrivals are then the same: common random numbers). Free
 * with stratus_comparison_free. */
StratusComparison *stratus_comparison_new (const StratusCompareScenario *scenarios, unsigned n,
                                           uint64_t seed, unsigned replications,
                                           bool common_workloads);

void stratus_comparison_free (StratusComparison *comparison);

/* Takes in one replication of scenario `scenario` (< n) from `report`, which holds that
 * replication only (borrowed; the caller frees it afterwards). Replication k of scenario 0
 * must be added before replication k of the others: the differences pair each scenario's
 * replication with scenario 0's latest. */
void stratus_comparison_add (StratusComparison *comparison, unsigned scenario,
                             const StratusReport *report);

/* The compared figures, in output order: count and path (static): "cost.monthly_usd",
 * "cost.categories.CATEGORY.monthly_usd", "latency_ms.p50", "latency_ms.p99",
 * "availability.success_ratio", "requests.failed", "requests.by_outcome.KIND.REASON". */
size_t stratus_comparison_figure_count (void);
const char *stratus_comparison_figure_path (size_t figure);

/* The index of figure `path`, or -1. */
int stratus_comparison_figure_index (const char *path);

/* Scenario `scenario`'s figure `figure`: mean over the replications that had it, the
 * half-width of its 95% Student-t interval (0 with one replication) and how many
 * replications had it; false (outputs untouched) when none had it. */
bool stratus_comparison_value (const StratusComparison *comparison, unsigned scenario,
                               size_t figure, double *mean, double *ci95, unsigned *n);

/* The difference scenario `scenario` (>= 1) minus scenario 0 of figure `figure`: the mean
 * of the per-replication differences, the half-width of their 95% interval (paired:
 * t(0.975, n-1) x sd / sqrt n over the n replications both had), and the unpaired
 * half-width sqrt (ci_a^2 + ci_b^2) for reference; any output may be NULL. False when no
 * replication had the figure in both. */
bool stratus_comparison_difference (const StratusComparison *comparison, unsigned scenario,
                                    size_t figure, double *mean, double *paired_ci95,
                                    double *unpaired_ci95, unsigned *n);

/* Number of scenarios, and scenario `scenario`'s column label (borrowed). */
unsigned stratus_comparison_scenario_count (const StratusComparison *comparison);
const char *stratus_comparison_label (const StratusComparison *comparison, unsigned scenario);

/* compare.txt: the table printed by `stratus compare`. Caller frees. */
char *stratus_comparison_text (const StratusComparison *comparison);

/* compare.json (schema stratus.compare/1). Caller frees. */
char *stratus_comparison_json (const StratusComparison *comparison);

/* compare.csv: one row per figure, two columns (mean, ci95) per scenario then per
 * difference. Caller frees. */
char *stratus_comparison_csv (const StratusComparison *comparison);

/* The names stratus_comparison_write_set may write (the chart in every format),
 * NULL-terminated, static. */
const char *const *stratus_comparison_file_names (void);

/* Writes compare.json, compare.csv and compare.txt into `set`'s temporary folder and, when
 * `charts` is true, the chart compare-cost.EXT in `format`; false with `error` set at the
 * first that fails. Publishing is the caller's. */
bool stratus_comparison_write_set (const StratusComparison *comparison, StratusOutputSet *set,
                                   bool charts, StratusPlotFormat format, GError **error);

/* The chart compare-cost: monthly cost stacked by category per scenario, its 95% interval,
 * and each scenario's p99 latency and availability under its bar. Caller frees with
 * stratus_bar_chart_free (stratus/chart_bars.h). */
typedef struct StratusBarChart StratusBarChart;
StratusBarChart *stratus_comparison_cost_chart (const StratusComparison *comparison);
