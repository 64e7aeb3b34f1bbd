/* A station: a pool of workers and a bounded FIFO queue, with the time-weighted
 * accounting of busy workers and of items in the system. It decides admission and order;
 * it does not know what its items are (an instance's jobs now, a database's queries
 * next): they embed a StationItem first. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
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

/* Records the station's state as of `now` in its time-weighted figures. */
static inline void
station_account (Station *s, StratusTime now)
{
  stratus_time_average_set (&s->busy_avg, now, s->busy);
  stratus_time_average_set (&s->in_system_avg, now, (double) (s->busy + s->queue_len));
}

/* An item arrives: takes a worker, joins the queue, or is refused. */
static inline AdmitResult
station_admit (Station *s, StationItem *item, StratusTime now)
{
  if (s->busy < s->workers)
    {
      s->busy++;
      station_account (s, now);
      return ADMIT_START;
    }
  if (s->queue_limit >= 0 && s->queue_len >= s->queue_limit)
    return ADMIT_REFUSED;
  item->next = NULL;
  if (s->tail)
    s->tail->next = item;
  else
    s->head = item;
  s->tail = item;
  s->queue_len++;
  station_account (s, now);
  return ADMIT_QUEUED;
}

/* An item finished: frees its worker, or hands it to the next queued item, which is
 * returned (its service starts now); NULL when the queue was empty. */
static inline StationItem *
station_finish (Station *s, StratusTime now)
{
  s->served++;
  StationItem *next = s->head;
  if (next != NULL)
    {
      s->head = next->next;
      if (s->head == NULL)
        s->tail = NULL;
      s->queue_len--;
    }
  else
    s->busy--;
  station_account (s, now);
  return next;
}


/* Removes the first queued item without serving it (NULL when none). */
StationItem *station_take_queued (Station *s, StratusTime now);

/* Empties the station at `now` (busy workers and queue to 0): it is gone. */
void station_close (Station *s, StratusTime now);

/* Opens the measurement window at `now`. */
void station_reset_window (Station *s, StratusTime now);
