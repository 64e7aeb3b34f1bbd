/* What a client learns about a request: an outcome is a kind (ok, 502, 503, 504,
 * connection reset) and a reason ("idle_timeout", "queue_full"...). Outcomes are data:
 * results, rows, reports, CSV and charts count them in arrays indexed by StratusOutcome
 * and take names from the table below, so a new failure (a database error) is one new
 * row of the table, not a new field in five files. */
#pragma once

#include <stdint.h>

/* The kinds a client can see: ok first, then the failures. New kinds go before
 * STRATUS_N_OUTCOME_KINDS. */
typedef enum
{
  STRATUS_KIND_OK,    /* 200: a successful answer */
  STRATUS_KIND_500,   /* Internal Server Error: the application itself failed */
  STRATUS_KIND_502,   /* Bad Gateway */
  STRATUS_KIND_503,   /* Service Unavailable */
  STRATUS_KIND_504,   /* Gateway Timeout (or the client's own timeout) */
  STRATUS_KIND_RESET, /* the client's connection was reset: no HTTP answer at all */
  STRATUS_N_OUTCOME_KINDS
} StratusOutcomeKind;

/* Every (kind, reason) pair the model produces. The order is the order of reports' columns;
 * new outcomes go before STRATUS_N_OUTCOMES. */
typedef enum
{
  STRATUS_OUTCOME_OK,
  STRATUS_OUTCOME_502_CALL_FAILED,       /* the application's outbound call failed */
  STRATUS_OUTCOME_502_DEREGISTERED,      /* the deregistration delay ran out mid-request */
  STRATUS_OUTCOME_503_NO_TARGETS,        /* the load balancer had no target in service */
  STRATUS_OUTCOME_503_QUEUE_FULL,        /* the instance's queue was full */
  STRATUS_OUTCOME_504_CLIENT_TIMEOUT,    /* the client gave up waiting */
  STRATUS_OUTCOME_504_CONNECT_TIMEOUT,   /* the load balancer could not reach the target (10 s) */
  STRATUS_OUTCOME_504_IDLE_TIMEOUT,      /* the target did not answer within the idle timeout */
  STRATUS_OUTCOME_RESET_NODE_LOST,       /* the load-balancer node the client reached went
                                          * away: reserved, nothing produces it yet (AZ
                                          * failures will) */
  STRATUS_OUTCOME_502_TARGET_RESET,      /* the target's application died mid-request (out
                                          * of memory) or was not running */
  STRATUS_OUTCOME_500_DATABASE_ERROR,    /* a database query failed and the application
                                          * answers 500 (on_failure: fail, the default) */
  STRATUS_OUTCOME_502_DATABASE_ERROR,    /* likewise, answering 502 (on_failure status 502) */
  STRATUS_N_OUTCOMES
} StratusOutcome;

typedef struct
{
  StratusOutcomeKind kind;
  const char *name;        /* "504.idle_timeout": kind and reason, for JSON and CSV */
  const char *reason;      /* "idle_timeout" */
  const char *description; /* "the target did not answer within the load balancer's idle timeout" */
} StratusOutcomeInfo;

/* The table row of `outcome` (< STRATUS_N_OUTCOMES); static. */
const StratusOutcomeInfo *stratus_outcome_info (StratusOutcome outcome);

/* "ok", "500", "502", "503", "504", "reset" (static). */
const char *stratus_outcome_kind_name (StratusOutcomeKind kind);

/* HTTP status of a kind: 200, 500, 502, 503, 504; 0 for a reset (no answer). */
unsigned stratus_outcome_kind_status (StratusOutcomeKind kind);

/* The sum of `counts` (indexed by StratusOutcome) over the outcomes of `kind`. */
uint64_t stratus_outcome_kind_total (const uint64_t counts[STRATUS_N_OUTCOMES],
                                     StratusOutcomeKind kind);

/* The sum of `counts` over every outcome but ok. */
uint64_t stratus_outcome_failed_total (const uint64_t counts[STRATUS_N_OUTCOMES]);
