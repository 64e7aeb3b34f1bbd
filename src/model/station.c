/* Worker pool + FIFO queue accounting. */
#include "station.h"

#include <stddef.h>

static inline void
account (Station *s, StratusTime now)
{
  stratus_time_average_set (&s->busy_avg, now, s->busy);
  stratus_time_average_set (&s->in_system_avg, now, (double) (s->busy + s->queue_len));
}

void
station_init (Station *s, int workers, int64_t queue_limit, StratusTime now)
{
  *s = (Station){ .workers = workers, .queue_limit = queue_limit };
  stratus_time_average_reset (&s->busy_avg, now);
  stratus_time_average_reset (&s->in_system_avg, now);
}

AdmitResult
station_admit (Station *s, StationItem *item, StratusTime now)
{
  if (s->busy < s->workers)
    {
      s->busy++;
      account (s, now);
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
  account (s, now);
  return ADMIT_QUEUED;
}

StationItem *
station_take_queued (Station *s, StratusTime now)
{
  StationItem *item = s->head;
  if (item == NULL)
    return NULL;
  s->head = item->next;
  if (s->head == NULL)
    s->tail = NULL;
  s->queue_len--;
  account (s, now);
  return item;
}

StationItem *
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
  account (s, now);
  return next;
}

void
station_close (Station *s, StratusTime now)
{
  s->busy = 0;
  s->queue_len = 0;
  s->head = s->tail = NULL;
  account (s, now);
}

void
station_reset_window (Station *s, StratusTime now)
{
  account (s, now);
  stratus_time_average_reset (&s->busy_avg, now);
  stratus_time_average_reset (&s->in_system_avg, now);
  s->served = 0;
}
