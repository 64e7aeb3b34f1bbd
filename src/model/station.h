/* A station: a pool of workers and a bounded FIFO queue, with the time-weighted
 * accounting of busy workers and of items in the system. It decides admission and order;
 * it does not know what its items are (an instance's jobs now, a database's queries
 * next): they embed a StationItem first. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "stratus/simtime.h"
#include "stratus/stats.h"

typedef struct StationItem StationItem;
struct StationItem
{
  StationItem *next; /* queue link (the owner may reuse it while the item is not queued) */
};

typedef enum
{
  ADMIT_START,   /* a worker was free: start service now */
  ADMIT_QUEUED,
  ADMIT_REFUSED, /* queue full */
} AdmitResult;

typedef struct
{
  int workers;
  int busy;
  int64_t queue_limit; /* -1 = unlimited */
  int64_t queue_len;
  StationItem *head, *tail;
  uint64_t served;     /* completions since the window opened */
  StratusTimeAverage busy_avg;
  StratusTimeAverage in_system_avg;
} Station;

/* An idle station opened at `now`. */
void station_init (Station *s, int workers, int64_t queue_limit, StratusTime now);

/* An item arrives: takes a worker, joins the queue, or is refused. */
AdmitResult station_admit (Station *s, StationItem *item, StratusTime now);

/* An item finished: frees its worker, or hands it to the next queued item, which is
 * returned (its service starts now); NULL when the queue was empty. */
StationItem *station_finish (Station *s, StratusTime now);

/* Removes the first queued item without serving it (NULL when none). */
StationItem *station_take_queued (Station *s, StratusTime now);

/* Empties the station at `now` (busy workers and queue to 0): it is gone. */
void station_close (Station *s, StratusTime now);

/* Opens the measurement window at `now`. */
void station_reset_window (Station *s, StratusTime now);
