/* The two sides of a request. The client side (Request) lives from the client's send to
 * the client's receipt: which load-balancer node it reached, the target the node chose,
 * the outcome the client will see. The server side (Job) is the target's work on it:
 * its place in the instance's queue, its service and outbound calls. The node links them
 * while it waits for the target's answer; when it stops waiting (its idle timeout, a
 * deregistration cut) it unlinks them, answers the client itself, and the job goes on
 * working, as a real server does: its answer is then discarded and counted as late.
 * Both come from pools owned by the world and are recycled when done, so memory follows
 * the number in flight, not the number served. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pool.h"
#include "station.h"
#include "stratus/engine.h"
#include "stratus/outcome.h"
#include "stratus/simtime.h"

struct Workload;
struct Instance;
struct LoadBalancer;
struct OutboundCall;
typedef struct Job Job;

typedef enum
{
  REQUEST_FREE,
  REQUEST_IN_FLIGHT,
  REQUEST_ABANDONED, /* the client timed out; the request still runs its course */
} RequestState;

typedef struct Request Request;
struct Request
{
  Request *next; /* free-list link (first: see pool.h) */
  union
  {
    struct Workload *workload;  /* clients: their workload */
    struct OutboundCall *call;  /* an internal call: the call it makes (`internal` set) */
  };
  Job *caller;               /* an internal call: the job that makes it (NULL once it gave up) */
  struct LoadBalancer *lb;   /* the balancer whose node handles it; NULL for a direct call */
  Job *job;                  /* the target's work while the node waits for its answer;
                              * NULL if that answer was lost on the way */
  StratusTime sent;          /* client send time (of this attempt) */
  StratusTime origin;        /* a client's request: when its first attempt was sent */
  uint32_t generation;       /* bumped on release; stale deadline entries compare it */
  uint32_t target;           /* slot of the target in the load balancer's target list */
  uint8_t outcome;           /* StratusOutcome the client will see */
  uint8_t state;             /* RequestState */
  uint8_t node;              /* the load-balancer node the client reached */
  uint8_t attempt;           /* a client's request: 0 for the first, then its retries */
  uint8_t retry_cost;        /* a retry: the quota tokens it took (0 without a quota) */
  bool measured;             /* sent after warm-up */
  bool lost;                 /* dropped on the way in: only the client's timeout ends it */
  bool waiting;              /* the node waits for its target's answer (see `job`) */
  bool internal;             /* a call from an instance to a resource of the scenario */
};

struct Job
{
  StationItem link;          /* station queue link, free-list link (first) */
  Request *request;          /* the client side, NULL once the node stopped waiting */
  struct Instance *instance;
  Job *active_prev, *active_next; /* the instance's jobs, for cutting them off */
  StratusTime enqueued;      /* arrival at the instance */
  uint8_t outcome;           /* what the target answers (StratusOutcome) */
  bool measured;             /* its request was sent after warm-up */
  bool nat_open;             /* holds a NAT gateway connection for the current call */
  int16_t nat;               /* while nat_open: that NAT gateway (the call's path may
                              * change meanwhile: a fault can retire it) */
  bool orphan;               /* its instance is gone: its pending event only frees it */
  Request *subcall;          /* its internal call in progress, if any */
  StratusTimer call_timer;   /* that call's timeout */
  uint16_t call;             /* outbound call in progress (index in instance->calls) */
  uint16_t call_repeats;     /* calls of that kind still to make */
};

static inline Job *
job_of_item (StationItem *item)
{
  return (Job *) item;
}

/* A request in state IN_FLIGHT with every other field zero but `generation`. */
static inline Request *
request_take (ObjectPool *pool)
{
  Request *r = object_pool_take (pool);
  uint32_t generation = r->generation;
  *r = (Request){ .generation = generation, .state = REQUEST_IN_FLIGHT };
  return r;
}

/* Returns a request to its pool (bumps its generation). */
static inline void
request_give (ObjectPool *pool, Request *r)
{
  r->generation++;
  r->state = REQUEST_FREE;
  object_pool_give (pool, r);
}

/* A job for `request`: no call in progress, no NAT connection, not an orphan; the rest
 * (instance, enqueue time, outcome, call counters) is set as it moves. */
static inline Job *
job_take (ObjectPool *pool, Request *request)
{
  Job *j = object_pool_take (pool);
  j->request = request;
  j->measured = request->measured;
  j->nat_open = false;
  j->orphan = false;
  j->subcall = NULL;
  return j;
}
