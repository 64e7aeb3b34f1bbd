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

/* Adds to `r` the Aurora database "app-db" (aurora-mysql, db.r6g.large; members app-db-1,
 * writer -> reader in us-east-1a, and app-db-2, reader -> writer in us-east-1b), its four
 * rows and, with `events`, its timeline (a failure at 40 s, the failover, promotion and
 * DNS change at 70 + 10 x replication s, app-db-1 back at 100 s, a snapshot at 110 s).
 * Its figures depend on `replication` r:
 *   queries writer 1000 + 200 r, reader 500, instance 0 (no latency);
 *   writer latency: 980 queries at 2 + r ms, 15 at 10 + 10 r ms, 5 at 50 ms (p50 2 + r,
 *   p99 10 + 10 r, p99.9 50); reader: 500 at 1 ms;
 *   failed: reset 10 + 10 r, no_writer 5; retries 12; requests failed 3; stale reads
 *   4 + 2 r; lost writes 2; lag mean 20 ms, max 35 + 10 r ms; pool: 4 waits, 10 ms in
 *   all; CPU: 1000 started, 100 waited, 100 ms waited in all; connections mean 15.5, peak
 *   28; members: CPU 0.45 and 0.20, connections 12.5 / 3 (peaks 20 / 8), queries 1000 /
 *   500; downtime 30 + 10 r s; one failover, failed at 40 s, detected at 52 + 2 r s,
 *   completed at 70 + 10 r s, 2 writes lost; 2 snapshots, 2.5 GiB retained, 30 GiB-hours,
 *   20 GiB storage.
 * Rows (start 0, 30, 60, 90 s): queries 250, failed 0 / 15 / 0 / 0, stale reads 0 / 4 /
 * 0 / 0, p99 2 / 3 / 10 / 2.5 ms (+ r), lag mean 20 / 20 / 25 / 20 ms, max 30 / 35 / 40 /
 * 30 ms, connections 15 / 16 / 14 / 15 (+ r), writer CPU 0.4 / 0.5 / 0.3 / 0.4, writer 0 /
 * none / 1 / 1. */
void synthetic_add_database (StratusRunResult *r, unsigned replication, bool events);
