/* Object pools: chunks threaded on a free list. */
#include "pool.h"

#include <glib.h>

#define CHUNK 1024

void
object_pool_init (ObjectPool *pool, size_t size)
{
  g_assert (size >= sizeof (void *));
  *pool = (ObjectPool){ .size = size };
}

void
object_pool_grow (ObjectPool *pool)
{
  char *chunk = g_malloc0 (pool->size * CHUNK);
  pool->chunks = g_renew (void *, pool->chunks, pool->n_chunks + 1);
  pool->chunks[pool->n_chunks++] = chunk;
  for (int i = CHUNK - 1; i >= 0; i--)
    {
      void **object = (void **) (chunk + (size_t) i * pool->size);
      *object = pool->free_list;
      pool->free_list = object;
    }
}

void
object_pool_clear (ObjectPool *pool)
{
  for (unsigned i = 0; i < pool->n_chunks; i++)
    g_free (pool->chunks[i]);
  g_free (pool->chunks);
  *pool = (ObjectPool){ .size = pool->size };
}
