/* The scenario's scheduled faults in the world (faults.c): started and ended on time,
 * each through the model's own mechanisms (the network's AZ state, stopping instances,
 * an AZ's launch capacity, the databases' failover and reboot). */
#pragma once

#include "world.h"

typedef struct Fault Fault;

/* Schedules every fault of the scenario (the world owns them). */
void faults_start (World *w);

/* Each random fault's components' time down over the window, into result->random_faults
 * (`end`: the end of the run). */
void faults_fill_results (World *w, StratusRunResult *result, StratusTime end);

/* Frees the world's faults. */
void faults_free (World *w);

/* ---- timeline.c ---- */

/* Appends a fault's start or end (subject: the fault's name). */
void timeline_fault (World *w, StratusEventKind kind, const StratusFaultConfig *fault,
                     const char *detail_format, ...) G_GNUC_PRINTF (4, 5);
