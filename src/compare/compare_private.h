/* The inside of a StratusComparison, shared by the files that build it (compare.c) and
 * render it (compare_text.c: the table; compare_files.c: JSON, CSV and the set of files;
 * compare_chart.c: the cost chart). Private to src/compare/. */
#pragma once

#include "stratus/compare.h"
#include "stratus/stats.h"

/* The part of the table a figure belongs to. */
typedef enum
{
  COMPARE_SECTION_COST,
  COMPARE_SECTION_LATENCY,
  COMPARE_SECTION_AVAILABILITY,
  COMPARE_SECTION_ERRORS,
  COMPARE_N_SECTIONS
} CompareSection;

/* How a figure's numbers read. */
typedef enum
{
  COMPARE_UNIT_USD,   /* dollars, 2 decimals */
  COMPARE_UNIT_MS,    /* milliseconds, 2 decimals */
  COMPARE_UNIT_RATIO, /* a fraction, shown as a percent with 3 decimals */
  COMPARE_UNIT_COUNT, /* requests: no decimals with one replication, else 1 */
} CompareUnit;

/* A compared figure. */
typedef struct
{
  const char *path;    /* the report's figure path */
  const char *row;     /* its row in the table: "total", "p99", "502.call_failed" */
  CompareSection section;
  CompareUnit unit;
  bool hide_when_zero; /* the table leaves the row out when every scenario has 0 (or none) */
  const char *category; /* cost categories: the category's name; else NULL */
} CompareFigure;

/* Figure `index` (< stratus_comparison_figure_count ()), static. */
const CompareFigure *compare_figure (size_t index);

/* The title of a section of the table: "Cost (USD per month)". Static. */
const char *compare_section_title (CompareSection section);

struct StratusComparison
{
  unsigned n;            /* scenarios */
  unsigned replications; /* asked for */
  uint64_t seed;
  bool common_workloads;
  char **labels, **files, **names; /* per scenario, owned */
  size_t figures;        /* stratus_comparison_figure_count () */
  StratusSummary *values; /* [scenario * figures + figure]: the scenario's replications */
  StratusSummary *diffs;  /* [scenario * figures + figure]: scenario - scenario 0, paired
                           * (row 0 unused) */
  double *baseline;       /* [figure]: scenario 0's latest replication (NAN: absent) */
};

/* "12.34 ± 0.56" (or "12.34" with one replication) for `mean` and `ci95` in `unit`, with
 * an explicit sign when `signed_value` (differences); "-" when `present` is false. Caller
 * frees. */
char *compare_format_cell (const StratusComparison *c, CompareUnit unit, bool present,
                           double mean, double ci95, bool signed_value);
