/* Streaming statistics of one replication. */
#include "collector.h"

void
collector_init (Collector *c, uint64_t seed, uint32_t replication, StratusTime interval)
{
  *c = (Collector){ .interval = interval };
  c->result = g_new0 (StratusRunResult, 1);
  c->result->seed = seed;
  c->result->replication = replication;
  c->result->latency = stratus_histogram_new ();
  c->result->instances = g_array_new (FALSE, TRUE, sizeof (StratusInstanceResult));
  c->result->network_bytes = g_array_new (FALSE, TRUE, sizeof (StratusResourceBytes));
  c->result->intervals = stratus_record_log_new (sizeof (StratusIntervalRow));
  c->row_latency = stratus_histogram_new ();
}

void
collector_open_window (Collector *c, StratusTime now)
{
  c->window_open = true;
  c->row_start = now;
  c->row = (StratusIntervalRow){ .start = now };
  c->busy_area_at_row_start = 0;
  c->in_system_area_at_row_start = 0;
}

void
collector_response (Collector *c, unsigned status, StratusTime latency)
{
  StratusRunResult *r = c->result;
  r->total++;
  switch (status)
    {
    case 200:
      r->ok++;
      c->row.ok++;
      stratus_histogram_record (r->latency, (uint64_t) latency);
      stratus_histogram_record (c->row_latency, (uint64_t) latency);
      break;
    case 502:
      r->errors_502++;
      c->row.errors_502++;
      break;
    case 503:
      r->errors_503++;
      c->row.errors_503++;
      break;
    case 504:
      r->errors_504++;
      c->row.errors_504++;
      break;
    default:
      g_assert_not_reached ();
    }
}

void
collector_close_row (Collector *c, StratusTime now, double busy_area, double in_system_area,
                     int workers)
{
  StratusIntervalRow *row = &c->row;
  row->length = now - c->row_start;
  if (row->length > 0)
    {
      row->p50_ms = stratus_histogram_percentile (c->row_latency, 50) / 1e6;
      row->p99_ms = stratus_histogram_percentile (c->row_latency, 99) / 1e6;
      if (workers > 0)
        row->utilisation = (busy_area - c->busy_area_at_row_start) / ((double) workers
                                                                       * (double) row->length);
      row->in_system = (in_system_area - c->in_system_area_at_row_start) / (double) row->length;
      stratus_record_log_append (c->result->intervals, row);
    }
  stratus_histogram_reset (c->row_latency);
  c->busy_area_at_row_start = busy_area;
  c->in_system_area_at_row_start = in_system_area;
  c->row_start = now;
  c->row = (StratusIntervalRow){ .start = now };
}

StratusRunResult *
collector_take_result (Collector *c)
{
  StratusRunResult *r = c->result;
  c->result = NULL;
  return r;
}

void
collector_clear (Collector *c)
{
  g_clear_pointer (&c->row_latency, stratus_histogram_free);
  g_clear_pointer (&c->result, stratus_run_result_free);
}

void
stratus_run_result_free (StratusRunResult *r)
{
  if (r == NULL)
    return;
  stratus_histogram_free (r->latency);
  for (guint i = 0; r->instances && i < r->instances->len; i++)
    {
      StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, i);
      g_free (ir->name);
      g_free (ir->fleet);
      g_free (ir->az);
    }
  if (r->instances)
    g_array_unref (r->instances);
  for (guint i = 0; r->network_bytes && i < r->network_bytes->len; i++)
    g_free (g_array_index (r->network_bytes, StratusResourceBytes, i).name);
  if (r->network_bytes)
    g_array_unref (r->network_bytes);
  stratus_record_log_free (r->intervals);
  g_free (r);
}

size_t
stratus_run_result_interval_count (const StratusRunResult *r)
{
  return stratus_record_log_length (r->intervals);
}

StratusIntervalRow
stratus_run_result_interval (const StratusRunResult *r, size_t index)
{
  StratusIntervalRow row;
  stratus_record_log_get (r->intervals, index, &row);
  return row;
}
