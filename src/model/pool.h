/* A pool of fixed-size objects in chunks of 1024 that never move, threaded on a free list
 * through each object's first pointer-sized field. Memory follows the most objects ever in
 * use at once, not the number ever taken. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct
{
  size_t size;     /* of one object, >= sizeof (void *) */
  void *free_list;
  void **chunks;
  unsigned n_chunks;
  uint64_t in_use;
} ObjectPool;

/* An empty pool of objects of `size` bytes. */
void object_pool_init (ObjectPool *pool, size_t size);

/* Adds a chunk of free objects (object_pool_take does when it runs out). */
void object_pool_grow (ObjectPool *pool);

/* An object whose bytes are as it was given back (zero the first time), except its first
 * pointer-sized field, which is garbage. */
static inline void *
object_pool_take (ObjectPool *pool)
{
  if (pool->free_list == NULL)
    object_pool_grow (pool);
  void **object = pool->free_list;
  pool->free_list = *object;
  pool->in_use++;
  return object;
}

/* Returns an object; its first pointer-sized field is overwritten. */
static inline void
object_pool_give (ObjectPool *pool, void *object)
{
  *(void **) object = pool->free_list;
  pool->free_list = object;
  pool->in_use--;
}

/* Frees every chunk (objects still in use included). */
void object_pool_clear (ObjectPool *pool);
