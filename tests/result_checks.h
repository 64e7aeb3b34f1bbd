/* Checks on a replication's result shared by the model's tests. */
#pragma once

#include "stratus/results.h"

/* Every request sent in the window is accounted for: the outcomes add up to the total,
 * the rows' arrivals to the total plus those in flight at the end, and every success has
 * its latency recorded. */
void assert_requests_accounted (const StratusRunResult *r);
