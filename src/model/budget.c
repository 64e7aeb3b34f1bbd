/* Estimates of a run's events, rows and memory, and the limits it must stay within. */
#include "stratus/budget.h"

#include <string.h>
#include <unistd.h>

#include "stratus/units.h"

void
stratus_budget_default_limits (StratusBudgetLimits *limits)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  uint64_t physical = pages > 0 && page > 0 ? (uint64_t) pages * (uint64_t) page : 8ull << 30;
  limits->max_memory_bytes = physical / 2;
  limits->max_events = 20000000000ull;
}

void
stratus_budget_estimate (const StratusScenario *scenario, unsigned replications,
                         StratusBudgetEstimate *estimate)
{
  /* TODO(stub): filled in by the budget work. */
  memset (estimate, 0, sizeof *estimate);
  estimate->replications = replications;
  (void) scenario;
}

bool
stratus_budget_check (const StratusScenario *scenario, const StratusBudgetEstimate *estimate,
                      const StratusBudgetLimits *limits, GError **error)
{
  (void) scenario;
  (void) estimate;
  (void) limits;
  (void) error;
  return true;
}

char *
stratus_budget_describe (const StratusBudgetEstimate *estimate, const StratusBudgetLimits *limits)
{
  (void) limits;
  return g_strdup_printf ("estimate: %.3g events\n", estimate->events);
}

bool
stratus_budget_parse_memory (const char *text, uint64_t *bytes)
{
  return stratus_parse_size (text, bytes, NULL);
}
