/* The table of outcomes. */
#include "stratus/outcome.h"

#include <glib.h>

static const StratusOutcomeInfo outcomes[STRATUS_N_OUTCOMES] = {
  [STRATUS_OUTCOME_OK] = { STRATUS_KIND_OK, "ok", "ok", "a successful answer" },
  [STRATUS_OUTCOME_502_CALL_FAILED] = { STRATUS_KIND_502, "502.call_failed", "call_failed",
                                        "an outbound call of the application failed" },
  [STRATUS_OUTCOME_502_DEREGISTERED] = { STRATUS_KIND_502, "502.deregistered", "deregistered",
                                         "the target's deregistration delay ran out mid-request" },
  [STRATUS_OUTCOME_503_NO_TARGETS] = { STRATUS_KIND_503, "503.no_targets", "no_targets",
                                       "the load balancer had no target in service" },
  [STRATUS_OUTCOME_503_QUEUE_FULL] = { STRATUS_KIND_503, "503.queue_full", "queue_full",
                                       "the instance's queue was full" },
  [STRATUS_OUTCOME_504_CLIENT_TIMEOUT] = { STRATUS_KIND_504, "504.client_timeout", "client_timeout",
                                           "the client gave up waiting" },
  [STRATUS_OUTCOME_504_CONNECT_TIMEOUT] = { STRATUS_KIND_504, "504.connect_timeout",
                                            "connect_timeout",
                                            "the load balancer could not connect to the target" },
  [STRATUS_OUTCOME_504_IDLE_TIMEOUT] = { STRATUS_KIND_504, "504.idle_timeout", "idle_timeout",
                                         "the target did not answer within the idle timeout" },
  [STRATUS_OUTCOME_RESET_NODE_LOST] = { STRATUS_KIND_RESET, "reset.node_lost", "node_lost",
                                        "the load-balancer node the client reached went away" },
  [STRATUS_OUTCOME_502_TARGET_RESET] = { STRATUS_KIND_502, "502.target_reset", "target_reset",
                                         "the target's application was killed or not running" },
  [STRATUS_OUTCOME_500_DATABASE_ERROR] = { STRATUS_KIND_500, "500.database_error", "database_error",
                                           "a database query of the application failed" },
  [STRATUS_OUTCOME_502_DATABASE_ERROR] = { STRATUS_KIND_502, "502.database_error", "database_error",
                                           "a database query of the application failed" },
};

const StratusOutcomeInfo *
stratus_outcome_info (StratusOutcome outcome)
{
  g_return_val_if_fail (outcome < STRATUS_N_OUTCOMES, &outcomes[0]);
  return &outcomes[outcome];
}

const char *
stratus_outcome_kind_name (StratusOutcomeKind kind)
{
  static const char *const names[STRATUS_N_OUTCOME_KINDS] = { "ok", "500", "502", "503", "504",
                                                                    "reset" };
  g_return_val_if_fail (kind < STRATUS_N_OUTCOME_KINDS, "?");
  return names[kind];
}

unsigned
stratus_outcome_kind_status (StratusOutcomeKind kind)
{
  static const unsigned status[STRATUS_N_OUTCOME_KINDS] = { 200, 500, 502, 503, 504, 0 };
  g_return_val_if_fail (kind < STRATUS_N_OUTCOME_KINDS, 0);
  return status[kind];
}

uint64_t
stratus_outcome_kind_total (const uint64_t counts[STRATUS_N_OUTCOMES], StratusOutcomeKind kind)
{
  uint64_t total = 0;
  for (int o = 0; o < STRATUS_N_OUTCOMES; o++)
    if (outcomes[o].kind == kind)
      total += counts[o];
  return total;
}

uint64_t
stratus_outcome_failed_total (const uint64_t counts[STRATUS_N_OUTCOMES])
{
  uint64_t total = 0;
  for (int o = 0; o < STRATUS_N_OUTCOMES; o++)
    if (outcomes[o].kind != STRATUS_KIND_OK)
      total += counts[o];
  return total;
}
