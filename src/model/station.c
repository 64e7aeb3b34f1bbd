/* Worker pool + FIFO queue accounting. */
#include "station.h"

#include <stddef.h>


void
station_init (Station *s, int workers, int64_t queue_limit, StratusTime now)
{
  *s = (Station){ .workers = workers, .queue_limit = queue_limit };
  stratus_time_average_reset (&s->busy_avg, now);
  stratus_time_average_reset (&s->in_system_avg, now);
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
  station_account (s, now);
  return item;
}

void
station_close (Station *s, StratusTime now)
{
  s->busy = 0;
  s->queue_len = 0;
  s->head = s->tail = NULL;
  station_account (s, now);
}

void
station_reset_window (Station *s, StratusTime now)
{
  station_account (s, now);
  stratus_time_average_reset (&s->busy_avg, now);
  stratus_time_average_reset (&s->in_system_avg, now);
  s->served = 0;
}
