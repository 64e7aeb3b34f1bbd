/* Indexed tasks run on a pool of threads, their results handed to the caller in index
 * order (src/experiment/ordered_tasks.c). This is how replications run in parallel and
 * still merge exactly as a sequential run would: a task is a pure function of its index,
 * and the caller consumes result k only after results 0..k-1, on its own thread. At most
 * `window` results wait to be consumed, so memory does not grow with the number of tasks. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct
{
  /* Threads that run tasks: 1 runs every task in the calling thread, one after the other. */
  unsigned jobs;
  /* Results computed ahead of the one being consumed, at most (0: 2 x jobs). */
  size_t window;
  /* Computes task `index`'s result (any thread; `worker` < jobs names the thread). The
   * result is owned by the runner until it is consumed or discarded. Must not return NULL. */
  void *(*run) (void *data, size_t index, unsigned worker);
  /* Takes task `index`'s result (ownership passes), on the calling thread, in increasing
   * index order. Returns false to stop: no task starts after that, those running finish
   * and their results are discarded. */
  bool (*consume) (void *data, size_t index, void *result);
  /* Frees a result that will not be consumed. */
  void (*discard) (void *result);
  /* Optional: called on the calling thread about 4 times a second while it waits for a
   * result, for progress lines (never with jobs == 1). */
  void (*tick) (void *data);
  void *data;
} StratusOrderedTasks;

/* Runs tasks 0..n-1 as `tasks` describes; returns how many results were consumed (n unless
 * `consume` returned false, which counts as consumed). */
size_t stratus_ordered_tasks_run (const StratusOrderedTasks *tasks, size_t n);

/* The default number of jobs: the processors this process may use (at least 1). */
unsigned stratus_default_jobs (void);
