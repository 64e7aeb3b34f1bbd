/* Indexed tasks on a pool of threads with results consumed in index order
 * (stratus/ordered_tasks.h). The workers share one mutex: they take the next index when it
 * is inside the window, compute without the lock, and park the result in its slot; the
 * calling thread waits for the slot of the next index to consume. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "stratus/ordered_tasks.h"

#include <glib.h>
#include <sched.h>

typedef struct
{
  const StratusOrderedTasks *tasks;
  size_t n, window;
  GMutex lock;
  GCond changed;    /* a result was parked, or a slot was freed, or stopping */
  void **slots;     /* result of index i at slots[i % window], NULL while not ready */
  size_t next_task; /* the next index a worker takes */
  size_t consumed;  /* results consumed so far: index `consumed` is the next one */
  bool stopping;
} Pool;

/* A worker's loop: takes indices inside the window until there are none or the pool stops. */
static gpointer
worker_main (gpointer data)
{
  Pool *pool = ((void **) data)[0];
  unsigned worker = GPOINTER_TO_UINT (((void **) data)[1]);
  g_free (data);
  g_mutex_lock (&pool->lock);
  for (;;)
    {
      while (!pool->stopping && pool->next_task < pool->n
             && pool->next_task >= pool->consumed + pool->window)
        g_cond_wait (&pool->changed, &pool->lock);
      if (pool->stopping || pool->next_task >= pool->n)
        break;
      size_t index = pool->next_task++;
      g_mutex_unlock (&pool->lock);
      void *result = pool->tasks->run (pool->tasks->data, index, worker);
      g_mutex_lock (&pool->lock);
      if (pool->stopping)
        pool->tasks->discard (result);
      else
        pool->slots[index % pool->window] = result;
      g_cond_broadcast (&pool->changed);
    }
  g_mutex_unlock (&pool->lock);
  return NULL;
}

/* Every task in the calling thread, one after the other. */
static size_t
run_inline (const StratusOrderedTasks *tasks, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!tasks->consume (tasks->data, i, tasks->run (tasks->data, i, 0)))
      return i + 1;
  return n;
}

size_t
stratus_ordered_tasks_run (const StratusOrderedTasks *tasks, size_t n)
{
  unsigned jobs = tasks->jobs > 0 ? tasks->jobs : 1;
  if (jobs > n)
    jobs = n > 0 ? (unsigned) n : 1;
  if (jobs == 1)
    return run_inline (tasks, n);
  Pool pool = { .tasks = tasks, .n = n,
                .window = tasks->window > 0 ? tasks->window : 2 * (size_t) jobs };
  if (pool.window < jobs)
    pool.window = jobs;
  pool.slots = g_new0 (void *, pool.window);
  g_mutex_init (&pool.lock);
  g_cond_init (&pool.changed);
  GThread **threads = g_new (GThread *, jobs);
  for (unsigned w = 0; w < jobs; w++)
    {
      void **arg = g_new (void *, 2);
      arg[0] = &pool;
      arg[1] = GUINT_TO_POINTER (w);
      threads[w] = g_thread_new ("stratus-worker", worker_main, arg);
    }
  g_mutex_lock (&pool.lock);
  while (pool.consumed < n && !pool.stopping)
    {
      void **slot = &pool.slots[pool.consumed % pool.window];
      if (*slot == NULL)
        {
          gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 4;
          if (!g_cond_wait_until (&pool.changed, &pool.lock, until) && tasks->tick != NULL)
            {
              g_mutex_unlock (&pool.lock);
              tasks->tick (tasks->data);
              g_mutex_lock (&pool.lock);
            }
          continue;
        }
      void *result = *slot;
      *slot = NULL;
      size_t index = pool.consumed++;
      g_cond_broadcast (&pool.changed); /* the window moved */
      g_mutex_unlock (&pool.lock);
      bool more = tasks->consume (tasks->data, index, result);
      g_mutex_lock (&pool.lock);
      if (!more)
        {
          pool.stopping = true;
          g_cond_broadcast (&pool.changed);
        }
    }
  size_t consumed = pool.consumed;
  g_mutex_unlock (&pool.lock);
  for (unsigned w = 0; w < jobs; w++)
    g_thread_join (threads[w]);
  for (size_t i = 0; i < pool.window; i++)
    if (pool.slots[i] != NULL)
      tasks->discard (pool.slots[i]);
  g_free (threads);
  g_free (pool.slots);
  g_mutex_clear (&pool.lock);
  g_cond_clear (&pool.changed);
  return consumed;
}

unsigned
stratus_default_jobs (void)
{
  /* The processors this process may run on (taskset, a Slurm or MPI binding), which GLib's
   * count of the machine's processors ignores. */
  cpu_set_t set;
  CPU_ZERO (&set);
  if (sched_getaffinity (0, sizeof set, &set) == 0 && CPU_COUNT (&set) > 0)
    return (unsigned) CPU_COUNT (&set);
  guint n = g_get_num_processors ();
  return n > 0 ? n : 1;
}
