/* Estimates of events, rows and memory, and the limits a run must stay within. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "stratus/budget.h"

static void
default_limits_are_positive (void **state)
{
  StratusBudgetLimits limits;
  stratus_budget_default_limits (&limits);
  assert_true (limits.max_memory_bytes > 0);
  assert_true (limits.max_events > 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (default_limits_are_positive),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
