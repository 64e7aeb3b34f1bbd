/* Sweeps (`stratus sweep`, docs/sweeps.md): a scenario run at every point of a space of
 * overrides, R replications each, and every figure's mean and 95% interval per point.
 *
 * A point is a set of overrides ("instances.web.count=8"); replication k of every point
 * uses the same seed and replication index, so the same random streams (common random
 * numbers). A (point, replication) pair is a pure function of the scenario, the overrides,
 * the seed and k: its figures (a StratusSweepRecord) are all a sweep keeps of it. Pairs
 * are numbered point x R + k and are added to the results in that order, however they were
 * computed (threads, shards on other machines, MPI ranks), so the results are the same
 * bytes every way. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stratus/output_set.h"
#include "stratus/plot.h"
#include "stratus/report.h"

#define STRATUS_SWEEP_SCHEMA "stratus.sweep/1"
#define STRATUS_SWEEP_PARTIAL_SCHEMA "stratus.sweep-partial/1"

/* ---- the space ---------------------------------------------------------------------------- */

/* The points of a sweep: the product of its dimensions, in the order they were added, the
 * first varying slowest. A dimension is one key and its values (--vary) or several keys
 * and their rows (a CSV file of points). */
typedef struct StratusSweepSpace StratusSweepSpace;

/* An empty space (one point, no keys). Free with stratus_sweep_space_free. */
StratusSweepSpace *stratus_sweep_space_new (void);
void stratus_sweep_space_free (StratusSweepSpace *space);

/* Adds a dimension from "KEY=V1,V2,..." or "KEY=A..B:STEP" (A, B and STEP decimal numbers, A
 * and B with the same unit suffix if any: "rate=400/s..800/s:100/s"; STEP 1 if omitted;
 * values A + i x STEP up to B, printed with the decimals of A or STEP, whichever has more). A
 * value that does not start with a number ("../traces/a.csv") is a value, not a range. False
 * with a one-line message in `error` (the space unchanged) if malformed, empty, not UTF-8,
 * larger than 10,000 values, a range whose STEP is below the precision of its values (two
 * values print the same), if KEY is already varied, or if the space would have more than
 * 1000 keys or 10,000,000 points. */
bool stratus_sweep_space_add_vary (StratusSweepSpace *space, const char *spec, GError **error);

/* Adds a dimension from a CSV file: a header row of keys, then one row per point; fields
 * are stripped of surrounding blanks, and a field in double quotes keeps what they hold,
 * commas included ("{dist: lognormal, mean: 20ms}"), with "" standing for a quote. Blank
 * lines and lines starting with '#' are skipped. False with "FILE:LINE: message" in `error`
 * if a row has not one value per key, a key is empty, given twice or already varied, a
 * quote is not closed, a line is not UTF-8, the file holds a NUL byte, there are more than
 * 10,000 rows, or the space would have more than 1000 keys or 10,000,000 points. */
bool stratus_sweep_space_add_csv (StratusSweepSpace *space, const char *path, GError **error);

/* Points (the product of the dimensions' sizes; 1 with none) and keys (all dimensions'). */
size_t stratus_sweep_space_point_count (const StratusSweepSpace *space);
size_t stratus_sweep_space_key_count (const StratusSweepSpace *space);

/* Key `key` (borrowed), and its value at point `point` (borrowed). */
const char *stratus_sweep_space_key (const StratusSweepSpace *space, size_t key);
const char *stratus_sweep_space_value (const StratusSweepSpace *space, size_t point, size_t key);

/* Point `point`'s overrides, "KEY=VALUE" in key order, NULL-terminated; caller frees with
 * g_strfreev. */
char **stratus_sweep_space_overrides (const StratusSweepSpace *space, size_t point);

/* ---- one pair's figures ------------------------------------------------------------------- */

/* The figures of one (point, replication) pair, in the order of its report. */
typedef struct StratusSweepRecord StratusSweepRecord;

/* The figures of `report`, which holds one replication (borrowed), plus
 * availability.success_ratio (requests.ok / requests.total) when the report has none.
 * Free with stratus_sweep_record_free. */
StratusSweepRecord *stratus_sweep_record_from_report (const StratusReport *report);
void stratus_sweep_record_free (StratusSweepRecord *record);

/* A record with no figures, to be filled with stratus_sweep_record_append (for records
 * that do not come from a report: tests, other tools). Free with stratus_sweep_record_free. */
StratusSweepRecord *stratus_sweep_record_new (void);

/* Appends figure `path` (copied), a count or not, with `value`; a record holds each path at
 * most once. */
void stratus_sweep_record_append (StratusSweepRecord *record, const char *path, bool is_count,
                                  double value);

/* Figures in the record, and figure `index`'s path (borrowed), count flag and value. */
size_t stratus_sweep_record_length (const StratusSweepRecord *record);
const char *stratus_sweep_record_path (const StratusSweepRecord *record, size_t index,
                                       bool *is_count, double *value);

/* ---- the definition ----------------------------------------------------------------------- */

/* What a sweep is, as every shard and the merge must agree on it. */
typedef struct
{
  const char *scenario_file;  /* as given on the command line */
  const char *scenario_name;  /* the scenario's `name` */
  char *const *base_overrides; /* --set, NULL-terminated, or NULL */
  const StratusSweepSpace *space;
  unsigned replications;
  uint64_t seed;
} StratusSweepDefinition;

/* ---- the results -------------------------------------------------------------------------- */

/* Every figure's running summary at every point: memory grows with points x figures, not
 * with replications. */
typedef struct StratusSweepResults StratusSweepResults;

/* Empty results for `definition` (copied). Free with stratus_sweep_results_free. */
StratusSweepResults *stratus_sweep_results_new (const StratusSweepDefinition *definition);
void stratus_sweep_results_free (StratusSweepResults *results);

/* Takes in pair `pair` (point x replications + k) (borrowed record). A point's replications
 * must come in order, 0, 1, 2, ...: the summaries are then the same bytes however the work
 * was split. Figures are listed in the order they first appear. */
void stratus_sweep_results_add (StratusSweepResults *results, size_t pair,
                                const StratusSweepRecord *record);

/* Points, keys, replications per point; key `k`, and point `p`'s value of it. */
size_t stratus_sweep_results_point_count (const StratusSweepResults *results);
size_t stratus_sweep_results_key_count (const StratusSweepResults *results);
unsigned stratus_sweep_results_replications (const StratusSweepResults *results);
const char *stratus_sweep_results_key (const StratusSweepResults *results, size_t key);
const char *stratus_sweep_results_key_value (const StratusSweepResults *results,
                                             size_t point, size_t key);

/* The figures seen, in order of first appearance over the pairs: count and path. */
size_t stratus_sweep_results_figure_count (const StratusSweepResults *results);
const char *stratus_sweep_results_figure_path (const StratusSweepResults *results,
                                               size_t figure);

/* The index of figure `path` (aliases: "availability" is availability.success_ratio,
 * "monthly_cost" cost.monthly_usd, "p99" latency_ms.p99, "p50" latency_ms.p50), or -1. */
int stratus_sweep_results_figure_index (const StratusSweepResults *results, const char *path);

/* Point `point`'s figure `figure`: mean, 95% Student-t half-width (0 with one
 * replication) and how many replications had it; false (outputs untouched) if none. */
bool stratus_sweep_results_value (const StratusSweepResults *results, size_t point,
                                  size_t figure, double *mean, double *ci95, unsigned *n);

/* ---- outputs ------------------------------------------------------------------------------ */

/* sweep.txt: one row per point, its values and the `figures` (paths, NULL-terminated; NULL:
 * p50, p99, availability, monthly cost and failed requests, those present) as mean ± CI.
 * Caller frees. */
char *stratus_sweep_results_text (const StratusSweepResults *results,
                                  const char *const *figures);

/* sweep.csv: one row per point: the keys, the replications, then every figure's mean and
 * ci95. Caller frees. */
char *stratus_sweep_results_csv (const StratusSweepResults *results);

/* sweep.json (schema stratus.sweep/1). Caller frees. */
char *stratus_sweep_results_json (const StratusSweepResults *results);

/* The chart of figure `figure` (a path or alias) against key `x_key` (NULL: the first key
 * whose values are all numbers): one series per combination of the other keys, its 95%
 * band; NULL with `error` set if the figure or a numeric key is missing. Free with
 * stratus_chart_free (stratus/chart.h). */
typedef struct StratusChart StratusChart;
StratusChart *stratus_sweep_chart (const StratusSweepResults *results, const char *figure,
                                   const char *x_key, GError **error);

/* Whether the charts of `results`, or of a sweep over `space`, have an x axis: `x_key`
 * (NULL: the first key whose values are all numbers) is a varied key whose values are all
 * numbers; false with the message stratus_sweep_chart would give otherwise. The space's
 * form lets a command check --x before running anything. */
bool stratus_sweep_results_chart_x_ok (const StratusSweepResults *results, const char *x_key,
                                       GError **error);
bool stratus_sweep_space_chart_x_ok (const StratusSweepSpace *space, const char *x_key,
                                     GError **error);

/* The chart's file name for `figure`: "sweep-latency_ms.p99.EXT". Caller frees. */
char *stratus_sweep_chart_file_name (const char *figure, StratusPlotFormat format);

/* Writes sweep.txt, sweep.csv and sweep.json into `set`'s temporary folder, and with
 * `charts` each of `chart_figures` (NULL-terminated) against `x_key` in `format`; false
 * with `error` set at the first that fails. Publishing is the caller's. */
bool stratus_sweep_results_write_set (const StratusSweepResults *results, StratusOutputSet *set,
                                      const char *const *text_figures, bool charts,
                                      const char *const *chart_figures, const char *x_key,
                                      StratusPlotFormat format, GError **error);

/* ---- partial results (shards, MPI ranks) -------------------------------------------------- */

/* A shard's records, with the definition they belong to. */
typedef struct StratusSweepPartial StratusSweepPartial;

/* An empty partial of shard `shard` of `shards` for `definition` (copied). */
StratusSweepPartial *stratus_sweep_partial_new (const StratusSweepDefinition *definition,
                                                unsigned shard, unsigned shards);
void stratus_sweep_partial_free (StratusSweepPartial *partial);

/* Adds pair `pair`'s record (borrowed; copied). */
void stratus_sweep_partial_add (StratusSweepPartial *partial, size_t pair,
                                const StratusSweepRecord *record);

/* The partial as text (exact: values in hexadecimal floating point). Caller frees. */
char *stratus_sweep_partial_serialize (const StratusSweepPartial *partial);

/* Parses a partial from `text` (`origin` names it in errors); NULL with "ORIGIN:LINE:
 * message" in `error` if malformed. The parse is strict (the text is what
 * stratus_sweep_partial_serialize writes; CRLF line ends are taken): lines in the order
 * written, each header line once, escapes as g_strescape writes them, strings in UTF-8, no
 * key or figure path twice, no figure twice in a pair. Limits are checked on the line that
 * passes them, before anything is allocated for them: 100000 replications and shards,
 * 1000 keys, 10,000,000 (point, replication) pairs, 100000 figures. */
StratusSweepPartial *stratus_sweep_partial_parse (const char *text, const char *origin,
                                                  GError **error);

/* Merges `partials` (n >= 1; borrowed) into results: they must share one definition and
 * shard count, and hold every pair exactly once; NULL with a one-line message in `error`
 * otherwise (which pair is doubled; how many pairs are missing and the shards they belong
 * to, shard I of N holding the pairs P with P mod N = I, as `stratus sweep --shard` splits
 * them), and also when n is 0 or when the results would hold more than 1,000,000 cells
 * (points x figures) and more than 4 per figure value the partials give (crafted partials
 * declaring many figures that few pairs give). */
StratusSweepResults *stratus_sweep_partials_merge (StratusSweepPartial *const *partials,
                                                   size_t n, GError **error);
