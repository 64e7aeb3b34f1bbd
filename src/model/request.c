/* Request pool: chunks of 1024 that never move, threaded on a free list. */
#include "request.h"

#include <glib.h>

#define CHUNK 1024

Request *
request_pool_take (RequestPool *pool)
{
  if (pool->free_list == NULL)
    {
      Request *chunk = g_new0 (Request, CHUNK);
      pool->chunks = g_renew (Request *, pool->chunks, pool->n_chunks + 1);
      pool->chunks[pool->n_chunks++] = chunk;
      for (int i = CHUNK - 1; i >= 0; i--)
        {
          chunk[i].next = pool->free_list;
          pool->free_list = &chunk[i];
        }
    }
  Request *r = pool->free_list;
  pool->free_list = r->next;
  uint32_t generation = r->generation;
  *r = (Request){ .generation = generation, .state = REQUEST_IN_FLIGHT };
  pool->in_use++;
  return r;
}

void
request_pool_give (RequestPool *pool, Request *r)
{
  r->generation++;
  r->state = REQUEST_FREE;
  r->next = pool->free_list;
  pool->free_list = r;
  pool->in_use--;
}

void
request_pool_clear (RequestPool *pool)
{
  for (unsigned i = 0; i < pool->n_chunks; i++)
    g_free (pool->chunks[i]);
  g_free (pool->chunks);
  *pool = (RequestPool){ 0 };
}
