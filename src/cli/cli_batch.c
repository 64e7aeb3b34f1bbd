/* Batches of replications on a pool of threads (cli_batch.h): each worker runs its task's
 * replication with its own progress slot, reduces the result if asked, and the calling
 * thread consumes the items in task order (stratus/ordered_tasks.h). */
#include "cli/cli_batch.h"

#include <stdatomic.h>
#include <stdio.h>

#include "cli/cli_common.h"
#include "stratus/ordered_tasks.h"
#include "stratus/units.h"

/* What a worker thread is doing, read by the progress line on the calling thread. */
typedef struct
{
  _Atomic int64_t now;      /* simulated time of its run */
  _Atomic int64_t duration; /* its run's duration (0: idle) */
} WorkerSlot;

/* A batch being run. */
typedef struct
{
  const CliBatch *batch;
  WorkerSlot *slots;
  _Atomic uint64_t events_done; /* events of the finished runs, for the limit */
  uint64_t events_consumed;     /* events of the consumed runs */
  size_t done;                  /* tasks consumed */
  /* How the batch ended: the first task (in order) that did not finish, and where. */
  StratusSimEnd end;
  size_t stopped_task;
  StratusTime stopped_at, stopped_duration;
  /* The progress line. */
  gint64 started, last_print;
  bool printed;
} Batch;

/* A finished task on its way to `consume`. */
typedef struct
{
  const CliBatch *spec;
  StratusSimEnd end;
  StratusTime stopped_at, duration;
  uint64_t events;
  void *item; /* reduced, or the StratusRunResult; NULL unless the run is done */
} Finished;

/* A worker's progress callback data: the batch and the worker. */
typedef struct
{
  Batch *batch;
  unsigned worker;
} SlotRef;

static void print_progress (Batch *b);

/* The engine's progress callback in a worker: records the simulated time; with one job,
 * the calling thread is the worker and prints the line itself. */
static void
on_progress (void *data, StratusTime now)
{
  SlotRef *ref = data;
  atomic_store (&ref->batch->slots[ref->worker].now, now);
  if (ref->batch->batch->jobs == 1)
    print_progress (ref->batch);
}

static void *
run_task (void *data, size_t index, unsigned worker)
{
  Batch *b = data;
  const CliBatch *spec = b->batch;
  CliTask task = { 0 };
  spec->describe (spec->data, index, &task);
  WorkerSlot *slot = &b->slots[worker];
  atomic_store (&slot->now, 0);
  atomic_store (&slot->duration, task.scenario->duration);
  SlotRef ref = { b, worker };
  uint64_t used = atomic_load (&b->events_done);
  StratusRunOptions options = {
    .seed = task.seed,
    .replication = task.replication,
    .progress = on_progress,
    .progress_data = &ref,
    .stop_flag = &cli_stop_requested,
    .max_events = spec->max_events != 0 ? (spec->max_events > used ? spec->max_events - used : 1)
                                        : 0,
  };
  StratusRunResult *r = stratus_model_run (task.scenario, &options);
  Finished *f = g_new0 (Finished, 1);
  f->spec = spec;
  f->end = r->end;
  if (f->end == STRATUS_SIM_END_DONE && cli_stop_requested)
    f->end = STRATUS_SIM_END_INTERRUPTED; /* the signal came after the engine's last check */
  f->stopped_at = atomic_load (&slot->now);
  f->duration = task.scenario->duration;
  atomic_store (&slot->duration, 0);
  if (f->end != STRATUS_SIM_END_DONE)
    {
      stratus_run_result_free (r);
      return f;
    }
  f->events = r->run_stats.events;
  atomic_fetch_add (&b->events_done, f->events);
  f->item = spec->reduce != NULL ? spec->reduce (spec->data, index, r) : r;
  return f;
}

/* Frees a finished task that will not be consumed, with its item. */
static void
discard_finished (void *data)
{
  Finished *f = data;
  if (f->item != NULL && f->spec->reduce != NULL)
    f->spec->free_item (f->item);
  else if (f->item != NULL)
    stratus_run_result_free (f->item);
  g_free (f);
}

/* ---- progress ----------------------------------------------------------------------------- */

/* "1m05s" for a span of wall-clock microseconds, in whole seconds rounded down (or up). */
static char *
format_wall (gint64 us, bool round_up)
{
  gint64 seconds = round_up ? (us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : us / G_USEC_PER_SEC;
  return stratus_format_duration ((StratusTime) seconds * STRATUS_SECOND);
}

/* The progress line (on a terminal, at most 4 times a second, after 2 s): what is done,
 * how far the running tasks are, the elapsed time and an estimate of the time left. */
static void
print_progress (Batch *b)
{
  const CliBatch *spec = b->batch;
  if (!spec->show_progress)
    return;
  gint64 t = g_get_monotonic_time ();
  if (t - b->started < 2 * G_USEC_PER_SEC || t - b->last_print < G_USEC_PER_SEC / 4)
    return;
  b->last_print = t;
  b->printed = true;
  GString *line = g_string_new ("\r\033[Kstratus: ");
  char *status = spec->status != NULL ? spec->status (spec->data, b->done)
                                      : g_strdup_printf ("replications %zu/%zu done", b->done,
                                                         spec->tasks);
  g_string_append (line, status);
  g_free (status);
  double fraction = (double) b->done;
  bool any = false;
  for (unsigned w = 0; w < spec->jobs; w++)
    {
      int64_t duration = atomic_load (&b->slots[w].duration);
      if (duration <= 0)
        continue;
      double f = (double) atomic_load (&b->slots[w].now) / (double) duration;
      fraction += f;
      g_string_append_printf (line, "%s%.0f%%", any ? ", " : "; running ", 100.0 * f);
      any = true;
    }
  fraction /= (double) spec->tasks;
  char *elapsed = format_wall (t - b->started, false);
  g_string_append_printf (line, "; elapsed %s", elapsed);
  g_free (elapsed);
  if (fraction > 0.01)
    {
      char *left = format_wall ((gint64) ((double) (t - b->started) * (1 - fraction) / fraction),
                                true);
      g_string_append_printf (line, ", about %s left", left);
      g_free (left);
    }
  fputs (line->str, stderr);
  fflush (stderr);
  g_string_free (line, TRUE);
}

static void
on_tick (void *data)
{
  print_progress (data);
}

/* ---- consuming ---------------------------------------------------------------------------- */

static bool
consume_finished (void *data, size_t index, void *item)
{
  Batch *b = data;
  Finished *f = item;
  const CliBatch *spec = b->batch;
  StratusSimEnd end = f->end;
  if (end == STRATUS_SIM_END_DONE)
    {
      b->events_consumed += f->events;
      if (spec->max_events != 0 && b->events_consumed > spec->max_events)
        end = STRATUS_SIM_END_EVENT_LIMIT;
    }
  if (end != STRATUS_SIM_END_DONE)
    {
      b->end = end;
      b->stopped_task = index;
      b->stopped_at = f->stopped_at;
      b->stopped_duration = f->duration;
      discard_finished (f);
      return false;
    }
  spec->consume (spec->data, index, f->item);
  g_free (f);
  b->done = index + 1;
  print_progress (b);
  return !cli_stop_requested;
}

int
cli_batch_run (const CliBatch *batch)
{
  Batch b = { .batch = batch, .end = STRATUS_SIM_END_DONE,
              .started = g_get_monotonic_time () };
  b.slots = g_new0 (WorkerSlot, batch->jobs > 0 ? batch->jobs : 1);
  StratusOrderedTasks tasks = {
    .jobs = batch->jobs,
    .run = run_task,
    .consume = consume_finished,
    .discard = discard_finished,
    .tick = on_tick,
    .data = &b,
  };
  size_t consumed = cli_stop_requested ? 0 : stratus_ordered_tasks_run (&tasks, batch->tasks);
  if (b.end == STRATUS_SIM_END_DONE && (consumed < batch->tasks || cli_stop_requested))
    {
      b.end = STRATUS_SIM_END_INTERRUPTED;
      b.stopped_task = b.done;
    }
  if (b.printed)
    fputs ("\r\033[K", stderr);
  g_free (b.slots);
  if (b.end == STRATUS_SIM_END_DONE)
    return 0;
  char *what = batch->label != NULL ? batch->label (batch->data, b.stopped_task)
                                    : g_strdup_printf ("replication %zu/%zu", b.stopped_task + 1,
                                                       batch->tasks);
  char *sim = stratus_format_duration (b.stopped_at - b.stopped_at % STRATUS_SECOND);
  char *total = stratus_format_duration (b.stopped_duration);
  char *where = b.stopped_duration > 0
                  ? g_strdup_printf ("during %s at simulated %s of %s", what, sim, total)
                  : g_strdup_printf ("before %s", what);
  if (b.end == STRATUS_SIM_END_INTERRUPTED)
    fprintf (stderr, "stratus: interrupted %s; nothing written\n", where);
  else
    fprintf (stderr, "stratus: stopped at the event limit (%" G_GUINT64_FORMAT " events%s) %s; "
             "nothing written\n", batch->max_events,
             batch->max_events_option ? ", --max-events raises it" : "", where);
  g_free (what);
  g_free (sim);
  g_free (total);
  g_free (where);
  return b.end == STRATUS_SIM_END_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_RUN_FAILED;
}

bool
cli_parse_jobs (const char *text, const char *command, unsigned *jobs)
{
  guint64 n = stratus_default_jobs ();
  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 1024, &n, NULL))
    {
      cli_usage_error (command, "--jobs must be a whole number from 1 to 1024");
      return false;
    }
  *jobs = (unsigned) n;
  return true;
}
