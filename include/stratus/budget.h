/* What a run will cost before it starts: the events, time-series rows and peak memory a
 * scenario implies (rates x duration, report intervals, timeouts x rates), and the limits a
 * run must stay within. `run` and `validate` refuse a scenario whose estimate exceeds a
 * limit, with one line naming the key responsible; `--dry-run` prints the estimate. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/scenario.h"

typedef struct
{
  uint64_t max_memory_bytes; /* peak resident memory of the process */
  uint64_t max_events;       /* events over all replications */
  uint64_t machine_memory_bytes; /* physical memory: never exceeded, whatever the limit; 0 unknown */
} StratusBudgetLimits;

typedef struct
{
  unsigned replications;
  double requests;         /* client requests per replication (expected) */
  double events;           /* engine events over all replications (expected) */
  double rows;             /* time-series rows over all replications (whole run + instances) */
  double in_flight;        /* requests alive at once at the worst moment (one replication) */
  double peak_memory_bytes; /* of the whole process, including the report's text */
  double output_bytes;     /* report.json + report.txt + timeseries.csv */
  char events_key[256];    /* the scenario key that drives the events ("workload.w.rate") */
  char memory_key[256];    /* the scenario key that drives the memory */
} StratusBudgetEstimate;

/* The defaults: half of the machine's physical memory, and 2e10 events (about half an hour
 * of simulation on one core); machine_memory_bytes is the physical memory. A limit of 0 is
 * no limit. */
void stratus_budget_default_limits (StratusBudgetLimits *limits);

/* Fills `estimate` for `replications` runs of `scenario`. Pure: no allocation kept. */
void stratus_budget_estimate (const StratusScenario *scenario, unsigned replications,
                              StratusBudgetEstimate *estimate);

/* False, with one line "file:line:column: KEY: ... (limit ..., --max-events / --max-memory
 * raises it)" in STRATUS_SCENARIO_ERROR, when the estimate exceeds a limit. */
bool stratus_budget_check (const StratusScenario *scenario, const StratusBudgetEstimate *estimate,
                           const StratusBudgetLimits *limits, GError **error);

/* The estimate as a few human-readable lines, for --dry-run. Caller frees. */
char *stratus_budget_describe (const StratusBudgetEstimate *estimate,
                               const StratusBudgetLimits *limits);

/* Parses a memory size for --max-memory ("8GiB", "500MB"); false if malformed. */
bool stratus_budget_parse_memory (const char *text, uint64_t *bytes);
