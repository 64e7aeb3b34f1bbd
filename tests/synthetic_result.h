/* A StratusRunResult made by hand, for testing reports and charts of Auto Scaling groups
 * without the model: four 30 s intervals, four instances (three of the group "web-asg",
 * c5.large, billed 1 h, 0.5 h and never running; "db-1", t3.micro, billed 2 h), one group with its rows and per-AZ rows over the two
 * AZs of synthetic_yaml, and a timeline. */
#pragma once

#include <stdbool.h>

#include "stratus/results.h"

/* A scenario without groups (two AZs, 30 s intervals) the result can be reported with. */
extern const char synthetic_yaml[];

typedef enum
{
  SYNTHETIC_EVENTS_BASIC, /* five events, one with a comma and quotes, two past 24 h */
  SYNTHETIC_EVENTS_CHART, /* a scale-out at 45 s and a scale-in at 100 s, a launch at 50 s */
  SYNTHETIC_EVENTS_MANY,  /* 250 launches, one a second */
  SYNTHETIC_EVENTS_NONE,
} SyntheticEvents;

/* A result of replication `replication`: `launches` is the group's launch count (the other
 * figures are fixed). Free with stratus_run_result_free. */
StratusRunResult *synthetic_result (unsigned replication, SyntheticEvents events,
                                    unsigned launches);
