/* A request in flight, from the client's send to the client's receipt. Requests come
 * from a pool owned by the world: they are recycled on completion, so nothing is kept per
 * request once it is done and memory follows the number in flight, not the number served. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "stratus/simtime.h"

struct Workload;
struct Instance;

typedef enum
{
  REQUEST_FREE,
  REQUEST_IN_FLIGHT,
  REQUEST_ABANDONED, /* the client timed out; the request still runs its course */
} RequestState;

typedef struct Request Request;
struct Request
{
  Request *next; /* instance queue link, or free-list link */
  struct Workload *workload;
  struct Instance *instance; /* the target, once the load balancer picked one */
  StratusTime sent;          /* client send time */
  StratusTime enqueued;      /* arrival at the instance */
  uint32_t generation;       /* bumped on release; stale timeout entries compare it */
  uint32_t target;           /* index of the instance in the load balancer's targets */
  uint16_t status;           /* HTTP status the client will see */
  uint8_t state;             /* RequestState */
  uint8_t node;              /* the load-balancer node the client reached */
  bool measured;             /* sent after warm-up */
  bool lost;                 /* dropped on the way in: only the client's timeout ends it */
  bool nat_open;             /* holds a NAT gateway connection for the current call */
  uint16_t call;             /* outbound call in progress (index in instance->calls) */
  uint16_t call_repeats;     /* calls of that kind still to make */
};

typedef struct
{
  Request *free_list;
  Request **chunks;
  unsigned n_chunks;
  uint64_t in_use;
} RequestPool;

/* A request in state IN_FLIGHT with every other field zero but `generation`. */
Request *request_pool_take (RequestPool *pool);

/* Returns a request to the pool (bumps its generation). */
void request_pool_give (RequestPool *pool, Request *r);

/* Frees every chunk. */
void request_pool_clear (RequestPool *pool);
