/* Checks on a replication's result shared by the model's tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "result_checks.h"

void
assert_requests_accounted (const StratusRunResult *r)
{
  uint64_t outcomes = 0, arrivals = 0;
  for (int o = 0; o < STRATUS_N_OUTCOMES; o++)
    outcomes += r->outcomes[o];
  assert_int_equal (outcomes, r->total);
  for (size_t i = 0; i < stratus_run_result_interval_count (r); i++)
    arrivals += stratus_run_result_interval (r, i).arrivals;
  assert_int_equal (arrivals, r->total + r->in_flight_at_end);
  assert_int_equal (stratus_histogram_count (r->latency), r->outcomes[STRATUS_OUTCOME_OK]);
}
