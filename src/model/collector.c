/* Streaming statistics of one replication. */
#include "collector.h"

#include <string.h>

void
collector_init (Collector *c, uint64_t seed, uint32_t replication)
{
  *c = (Collector){ 0 };
  c->result = g_new0 (StratusRunResult, 1);
  c->result->seed = seed;
  c->result->replication = replication;
  c->result->latency = stratus_histogram_new ();
  c->result->instances = g_array_new (FALSE, TRUE, sizeof (StratusInstanceResult));
  c->result->network_bytes = g_array_new (FALSE, TRUE, sizeof (StratusResourceBytes));
  c->result->intervals = stratus_record_log_new (sizeof (StratusIntervalRow));
  c->result->instance_intervals = stratus_record_log_new (sizeof (StratusInstanceRow));
  c->result->timeline = g_array_new (FALSE, TRUE, sizeof (StratusTimelineEvent));
  c->result->random_faults = g_array_new (FALSE, TRUE, sizeof (StratusRandomFaultResult));
  c->result->lb_usage = g_array_new (FALSE, TRUE, sizeof (StratusLbUsage));
  c->result->groups = g_array_new (FALSE, TRUE, sizeof (StratusGroupResult));
  c->result->group_rows = stratus_record_log_new (sizeof (StratusGroupRow));
  c->result->group_az_rows = stratus_record_log_new (sizeof (StratusGroupAzRow));
  c->result->databases = g_array_new (FALSE, TRUE, sizeof (StratusDatabaseResult));
  c->result->database_rows = stratus_record_log_new (sizeof (StratusDatabaseRow));
  c->row_latency = stratus_histogram_new ();
  c->busy_at_row_start = g_array_new (FALSE, TRUE, sizeof (double));
  c->in_system_at_row_start = g_array_new (FALSE, TRUE, sizeof (double));
}

void
collector_open_window (Collector *c, StratusTime now)
{
  c->window_open = true;
  c->row_start = now;
  c->row = (StratusIntervalRow){ .start = now };
  g_array_set_size (c->busy_at_row_start, 0);
  g_array_set_size (c->in_system_at_row_start, 0);
  memset (c->bytes_at_row_start, 0, sizeof c->bytes_at_row_start);
  memset (c->drops_at_row_start, 0, sizeof c->drops_at_row_start);
}

void
collector_response (Collector *c, StratusOutcome outcome, StratusTime latency)
{
  StratusRunResult *r = c->result;
  r->total++;
  r->outcomes[outcome]++;
  c->row.outcomes[outcome]++;
  if (outcome == STRATUS_OUTCOME_OK)
    {
      stratus_histogram_record (r->latency, (uint64_t) latency);
      stratus_histogram_record (c->row_latency, (uint64_t) latency);
    }
}

/* Total of `totals` at row start for instance `i` (0 for instances newer than the row). */
static double
at_row_start (const GArray *a, unsigned i)
{
  return i < a->len ? g_array_index (a, double, i) : 0;
}

void
collector_close_row (Collector *c, StratusTime now, const CollectorTotals *t)
{
  StratusIntervalRow *row = &c->row;
  row->length = now - c->row_start;
  if (row->length > 0)
    {
      double length = (double) row->length;
      row->p50_ms = stratus_histogram_percentile (c->row_latency, 50) / 1e6;
      row->p99_ms = stratus_histogram_percentile (c->row_latency, 99) / 1e6;
      row->p999_ms = stratus_histogram_percentile (c->row_latency, 99.9) / 1e6;
      double busy = 0, in_system = 0, capacity = 0;
      for (unsigned i = 0; i < t->n_instances; i++)
        {
          if (t->alive[i] <= 0)
            continue;
          double b = t->busy_area[i] - at_row_start (c->busy_at_row_start, i);
          double s = t->in_system_area[i] - at_row_start (c->in_system_at_row_start, i);
          double alive = (double) t->alive[i];
          StratusInstanceRow irow = { .start = c->row_start, .instance = i,
                                      .utilisation = b / ((double) t->workers[i] * alive),
                                      .queue = (s - b) / alive, .alive = t->alive[i] };
          stratus_record_log_append (c->result->instance_intervals, &irow);
          busy += b;
          in_system += s;
          capacity += (double) t->workers[i] * alive;
        }
      if (capacity > 0)
        row->utilisation = busy / capacity;
      row->in_system = in_system / length;
      row->queue = (in_system - busy) / length;
      for (int k = 0; k < STRATUS_N_BYTE_CLASSES; k++)
        row->bytes[k] = t->bytes[k] - c->bytes_at_row_start[k];
      for (int k = 0; k < STRATUS_N_DROP_REASONS; k++)
        row->drops[k] = t->drops[k] - c->drops_at_row_start[k];
      stratus_record_log_append (c->result->intervals, row);
    }
  stratus_histogram_reset (c->row_latency);
  g_array_set_size (c->busy_at_row_start, 0);
  g_array_append_vals (c->busy_at_row_start, t->busy_area, t->n_instances);
  g_array_set_size (c->in_system_at_row_start, 0);
  g_array_append_vals (c->in_system_at_row_start, t->in_system_area, t->n_instances);
  memcpy (c->bytes_at_row_start, t->bytes, sizeof c->bytes_at_row_start);
  memcpy (c->drops_at_row_start, t->drops, sizeof c->drops_at_row_start);
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
  g_clear_pointer (&c->busy_at_row_start, g_array_unref);
  g_clear_pointer (&c->in_system_at_row_start, g_array_unref);
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
      g_free (ir->type);
    }
  if (r->instances)
    g_array_unref (r->instances);
  for (guint i = 0; r->network_bytes && i < r->network_bytes->len; i++)
    g_free (g_array_index (r->network_bytes, StratusResourceBytes, i).name);
  if (r->network_bytes)
    g_array_unref (r->network_bytes);
  stratus_record_log_free (r->intervals);
  stratus_record_log_free (r->instance_intervals);
  for (guint i = 0; r->timeline && i < r->timeline->len; i++)
    stratus_timeline_event_clear (&g_array_index (r->timeline, StratusTimelineEvent, i));
  if (r->timeline)
    g_array_unref (r->timeline);
  if (r->random_faults)
    g_array_unref (r->random_faults);
  if (r->lb_usage)
    g_array_unref (r->lb_usage);
  for (guint i = 0; r->groups && i < r->groups->len; i++)
    {
      StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, i);
      g_free (g->name);
      g_free (g->instance_type);
      g_free (g->metric);
    }
  if (r->groups)
    g_array_unref (r->groups);
  stratus_record_log_free (r->group_rows);
  stratus_record_log_free (r->group_az_rows);
  for (guint i = 0; r->databases && i < r->databases->len; i++)
    stratus_database_result_clear (&g_array_index (r->databases, StratusDatabaseResult, i));
  if (r->databases)
    g_array_unref (r->databases);
  stratus_record_log_free (r->database_rows);
  for (guint i = 0; r->faults && i < r->faults->len; i++)
    g_free (g_array_index (r->faults, StratusFaultResult, i).detected_by);
  if (r->faults)
    g_array_unref (r->faults);
  g_free (r);
}

size_t
stratus_run_result_interval_count (const StratusRunResult *r)
{
  return stratus_record_log_length (r->intervals);
}

size_t
stratus_run_result_instance_interval_count (const StratusRunResult *r)
{
  return stratus_record_log_length (r->instance_intervals);
}

StratusInstanceRow
stratus_run_result_instance_interval (const StratusRunResult *r, size_t index)
{
  StratusInstanceRow row;
  stratus_record_log_get (r->instance_intervals, index, &row);
  return row;
}

StratusIntervalRow
stratus_run_result_interval (const StratusRunResult *r, size_t index)
{
  StratusIntervalRow row;
  stratus_record_log_get (r->intervals, index, &row);
  return row;
}

size_t
stratus_run_result_group_row_count (const StratusRunResult *r)
{
  return r->group_rows != NULL ? stratus_record_log_length (r->group_rows) : 0;
}

StratusGroupRow
stratus_run_result_group_row (const StratusRunResult *r, size_t index)
{
  StratusGroupRow row;
  stratus_record_log_get (r->group_rows, index, &row);
  return row;
}

size_t
stratus_run_result_group_az_row_count (const StratusRunResult *r)
{
  return r->group_az_rows != NULL ? stratus_record_log_length (r->group_az_rows) : 0;
}

StratusGroupAzRow
stratus_run_result_group_az_row (const StratusRunResult *r, size_t index)
{
  StratusGroupAzRow row;
  stratus_record_log_get (r->group_az_rows, index, &row);
  return row;
}

size_t
stratus_run_result_database_row_count (const StratusRunResult *r)
{
  return r->database_rows != NULL ? stratus_record_log_length (r->database_rows) : 0;
}

StratusDatabaseRow
stratus_run_result_database_row (const StratusRunResult *r, size_t index)
{
  StratusDatabaseRow row;
  stratus_record_log_get (r->database_rows, index, &row);
  return row;
}

void
stratus_database_result_clear (StratusDatabaseResult *d)
{
  g_clear_pointer (&d->name, g_free);
  g_clear_pointer (&d->instance_class, g_free);
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    g_clear_pointer (&d->latency[e], stratus_histogram_free);
  for (guint k = 0; d->members && k < d->members->len; k++)
    {
      StratusDbMemberResult *m = &g_array_index (d->members, StratusDbMemberResult, k);
      g_free (m->name);
      g_free (m->az);
    }
  g_clear_pointer (&d->members, g_array_unref);
  g_clear_pointer (&d->failover_log, g_array_unref);
}

const char *
stratus_query_failure_name (StratusQueryFailure failure)
{
  static const char *const names[STRATUS_N_QUERY_FAILS] = {
    "timeout", "reset", "refused", "read_only", "too_many_connections", "no_writer",
  };
  return failure < STRATUS_N_QUERY_FAILS ? names[failure] : "?";
}

const char *
stratus_db_endpoint_name (StratusDbEndpoint endpoint)
{
  static const char *const names[STRATUS_N_DB_ENDPOINTS] = { "writer", "reader", "instance" };
  return endpoint < STRATUS_N_DB_ENDPOINTS ? names[endpoint] : "?";
}

void
stratus_timeline_event_clear (StratusTimelineEvent *e)
{
  g_clear_pointer (&e->subject, g_free);
  g_clear_pointer (&e->group, g_free);
  g_clear_pointer (&e->az, g_free);
  g_clear_pointer (&e->detail, g_free);
}

const char *
stratus_event_kind_name (StratusEventKind kind)
{
  static const char *const names[STRATUS_N_EVENT_KINDS] = {
    "launch", "running", "app_ready", "register", "health", "deregister", "terminate",
    "app_killed", "alarm", "scaling", "scheduled", "replace", "rebalance", "refresh",
    "db_failure", "failover", "promotion", "dns_change", "db_recover", "snapshot", "restore",
    "fault_start", "fault_end",
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (names) == STRATUS_N_EVENT_KINDS);
  return kind < STRATUS_N_EVENT_KINDS ? names[kind] : "?";
}
