/* Load-balancer capacity units, measured hour by hour as AWS bills them: each hour is
 * billed on its highest dimension of new connections per second (25 per LCU), active
 * connections (3,000 per LCU) and bytes processed (1 GB per LCU); rule evaluations stay
 * within the 10 free rules (one listener rule per load balancer). Active connections are
 * the hour's mean number open (the time connections answered in it were open, over the
 * hour). Streaming: one hour's counters at a time. */
#include "alb.h"

#define HOUR ((StratusTime) 3600 * STRATUS_SECOND)
#define GIB ((uint64_t) 1 << 30)

/* The hour's LCUs, in millionths, on its highest dimension. */
static uint64_t
hour_micro_lcus (const LbMeter *m)
{
  /* 25 new connections a second over the hour: 90,000 per LCU. */
  uint64_t by_connections = (m->connections * 1000000 + 45000) / 90000;
  /* 1 GB (2^30 bytes) per LCU-hour. */
  uint64_t by_bytes = (uint64_t) (((unsigned __int128) m->bytes * 1000000 + GIB / 2) / GIB);
  /* 3,000 connections open on average over the hour. */
  double open = m->held_ns / (double) HOUR;
  uint64_t by_active = (uint64_t) (open / 3000.0 * 1e6 + 0.5);
  uint64_t most = by_connections > by_bytes ? by_connections : by_bytes;
  return most > by_active ? most : by_active;
}

bool
lb_meter_to_hour (LbMeter *m, StratusTime now, StratusTime window_start)
{
  if (now < window_start)
    return false;
  int64_t hour = (int64_t) ((now - window_start) / HOUR);
  if (hour != m->hour)
    {
      lb_meter_close (m);
      m->hour = hour;
      m->hour_from = window_start + hour * HOUR;
      m->hour_to = m->hour_from + HOUR;
    }
  return true;
}

void
lb_meter_close (LbMeter *m)
{
  if (m->hour >= 0)
    m->micro_lcu_hours += hour_micro_lcus (m);
  m->connections = m->bytes = 0;
  m->held_ns = 0;
  m->hour = -1;
}
