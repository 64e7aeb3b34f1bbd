/* Batches of replications for the command line (src/cli/cli_batch.c): `run --jobs`,
 * `sweep`, `optimize` and the MPI ranks run their replications through this. The runs go
 * on a pool of --jobs threads and reach the caller in task order, so what it builds is the
 * same whatever the number of threads; one progress line covers the whole batch, and a
 * signal or the event limit ends it with the usual one line (docs/cli.md). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stratus/model.h"

/* Which run a task is: a scenario (borrowed; shared read-only by the threads), a seed and
 * a replication index. */
typedef struct
{
  const StratusScenario *scenario;
  uint64_t seed;
  unsigned replication;
} CliTask;

typedef struct
{
  size_t tasks;          /* how many */
  unsigned jobs;         /* threads (>= 1) */
  uint64_t max_events;   /* over the whole batch (0: none) */
  bool max_events_option; /* the limit is --max-events' (the stop line says how to raise it) */
  bool show_progress;    /* a progress line on stderr (a terminal, no --quiet) */
  /* Task `index`'s run (any thread). */
  void (*describe) (void *data, size_t index, CliTask *task);
  /* Optional, any thread: turns the finished result of task `index` into what `consume`
   * takes, and frees `result`; without it `consume` takes the StratusRunResult itself. */
  void *(*reduce) (void *data, size_t index, StratusRunResult *result);
  void (*free_item) (void *item); /* frees what reduce returns (without reduce: unused) */
  /* The calling thread, in task order: takes task `index`'s item (ownership passes). */
  void (*consume) (void *data, size_t index, void *item);
  /* Optional: task `index` in words for the stop line ("replication 3/10 of point 2/6");
   * caller frees. Without it: "replication K/N". */
  char *(*label) (void *data, size_t index);
  /* Optional: what is done after `done` tasks for the progress line ("points 2/6,
   * replications 45/120"); caller frees. Without it: "replications D/N". */
  char *(*status) (void *data, size_t done);
  void *data;
} CliBatch;

/* Runs every task of `batch`; the exit status: 0 all consumed; 1 the event limit was
 * reached; 130 interrupted (the line printed, the progress line erased in every case). */
int cli_batch_run (const CliBatch *batch);

/* Parses --jobs (NULL: the default, the processors this process may use) into `*jobs`;
 * false (usage error of `command` printed) if it is not a whole number from 1 to 1024. */
bool cli_parse_jobs (const char *text, const char *command, unsigned *jobs);
