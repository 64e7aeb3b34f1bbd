/* Estimates of a run's events, rows and memory, and the limits it must stay within.
 *
 * The estimate follows the model's own costs (see docs/robustness.md):
 * - requests: the integral of each workload's rate over the run;
 * - events: each request fires at most 7 engine events (arrival, load balancer, instance,
 *   service done, response at the load balancer, response at the client, timeout), plus one
 *   per outbound call to an address and a request's worth (with its own calls) per call to
 *   a load balancer or a fleet of the scenario, three per database query (to the member,
 *   done there, back; a retried one three more), plus one per report interval;
 * - memory: a fixed base, a cost per instance, per load-balancer path and per outbound call,
 *   the clients' deadline lists (one entry per request sent within the last `timeout`) and
 *   the load balancers' (at worst one per request sent within the last `idle_timeout`),
 *   requests alive at once (those in flight, plus the backlog of an overloaded fleet with no
 *   queue limit), and the report's text (figures per instance, the CSV rows).
 * The figures per item were measured on a release build (bench/README.md) and rounded up. */
#include "stratus/budget.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "stratus/units.h"

#define BASE_BYTES (24.0 * 1024 * 1024)  /* libraries, fonts, engine, empty report */
#define INSTANCE_BYTES (8.0 * 1024)      /* instance, random stream, endpoint, figures, JSON */
#define CALL_BYTES (3.0 * 1024)          /* an outbound call's random stream and path */
#define PATH_BYTES 64.0                  /* a node -> target path (shared within a class) */
#define DEADLINE_BYTES (2.0 * 24)        /* a deadline entry; the ring may be twice as large */
#define REQUEST_BYTES 160.0              /* a request with its pending events */
#define CSV_ROW_BYTES 320.0              /* a timeseries.csv row, as text in memory */
#define INSTANCE_ROW_BYTES 48.0          /* a per-instance row kept for the charts */
#define EVENTS_PER_REQUEST 7.0
#define DEFAULT_MAX_EVENTS 20000000000ull

void
stratus_budget_default_limits (StratusBudgetLimits *limits)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  uint64_t physical = pages > 0 && page > 0 ? (uint64_t) pages * (uint64_t) page : 0;
  limits->machine_memory_bytes = physical;
  limits->max_memory_bytes = physical > 0 ? physical / 2 : 8ull << 30;
  limits->max_events = DEFAULT_MAX_EVENTS;
}

/* ---- requests ------------------------------------------------------------------------ */

/* The length of [a, b) inside [0, end), in seconds. */
static double
overlap_seconds (StratusTime a, StratusTime b, StratusTime end)
{
  StratusTime lo = MAX (a, 0), hi = MIN (b, end);
  return hi > lo ? stratus_time_seconds (hi - lo) : 0;
}

/* Expected requests of a rate over [0, end): the integral of the rate. */
static double
expected_requests (const StratusRateConfig *c, StratusTime end)
{
  double seconds = stratus_time_seconds (end);
  switch (c->shape)
    {
    case STRATUS_RATE_CONSTANT:
      return c->rate * seconds;
    case STRATUS_RATE_STEPS:
      {
        double n = 0;
        for (guint i = 0; i < c->steps->len; i++)
          {
            const StratusRateStep *s = &g_array_index (c->steps, StratusRateStep, i);
            StratusTime until = i + 1 < c->steps->len
                                  ? g_array_index (c->steps, StratusRateStep, i + 1).at
                                  : STRATUS_TIME_NEVER;
            n += s->rate * overlap_seconds (s->at, until, end);
          }
        return n;
      }
    case STRATUS_RATE_DIURNAL:
      {
        /* min + (max - min) (1 + cos(2 pi (t - peak) / P)) / 2, integrated exactly. */
        double period = stratus_time_seconds (c->period), peak = stratus_time_seconds (c->peak_at);
        double w = 2 * M_PI / period;
        double sines = sin (w * (seconds - peak)) - sin (w * (0 - peak));
        return (c->min + c->max) / 2 * seconds + (c->max - c->min) / 2 * sines / w;
      }
    case STRATUS_RATE_SPIKE:
      return c->base * seconds
             + (c->peak - c->base)
                 * overlap_seconds (c->spike_at, stratus_time_add (c->spike_at, c->spike_for), end);
    case STRATUS_RATE_REPLAY_RATES:
      {
        double n = 0;
        for (guint i = 0; i < c->trace_rates->len; i++)
          {
            StratusTime from = (StratusTime) i * c->trace_step;
            if (from >= end)
              break;
            n += g_array_index (c->trace_rates, double, i)
                 * overlap_seconds (from, stratus_time_add (from, c->trace_step), end);
          }
        return n;
      }
    case STRATUS_RATE_REPLAY_ARRIVALS:
      {
        double n = 0;
        for (guint i = 0; i < c->trace_arrivals->len; i++)
          n += g_array_index (c->trace_arrivals, StratusTime, i) <= end;
        return n;
      }
    }
  g_assert_not_reached ();
}

/* The highest rate per second the shape reaches (for requests alive at once). */
static double
peak_rate (const StratusRateConfig *c, StratusTime end)
{
  switch (c->shape)
    {
    case STRATUS_RATE_CONSTANT:
      return c->rate;
    case STRATUS_RATE_STEPS:
      {
        double peak = 0;
        for (guint i = 0; i < c->steps->len; i++)
          peak = MAX (peak, g_array_index (c->steps, StratusRateStep, i).rate);
        return peak;
      }
    case STRATUS_RATE_DIURNAL:
      return c->max;
    case STRATUS_RATE_SPIKE:
      return MAX (c->base, c->peak);
    case STRATUS_RATE_REPLAY_RATES:
      {
        double peak = 0;
        for (guint i = 0; i < c->trace_rates->len; i++)
          peak = MAX (peak, g_array_index (c->trace_rates, double, i));
        return peak;
      }
    case STRATUS_RATE_REPLAY_ARRIVALS:
      {
        /* The busiest second of the trace is bounded by its average over the run. */
        double n = expected_requests (c, end), seconds = stratus_time_seconds (end);
        return seconds > 0 ? n / MIN (seconds, 1.0) : n;
      }
    }
  g_assert_not_reached ();
}

/* ---- the estimate -------------------------------------------------------------------- */

typedef struct
{
  double bytes;
  double largest; /* the largest term so far */
  char *key;      /* its key: the estimate's memory_key */
  size_t key_size;
} MemoryTally;

/* Adds a term of `bytes` driven by `key`. */
static void
tally (MemoryTally *t, double bytes, const char *key)
{
  t->bytes += bytes;
  if (bytes > t->largest)
    {
      t->largest = bytes;
      g_strlcpy (t->key, key, t->key_size);
    }
}

static void fleet_calls_at (const StratusScenario *s, const StratusFleetConfig *f, int depth,
                            double *calls, double *call_seconds);

/* The events and the worker time (seconds) one call to a resource costs: the destination's
 * fleets serve it as a request of their own, with their own calls (the most costly fleet
 * of a load balancer's group). */
static void
resource_call (const StratusScenario *s, const StratusOutboundCallConfig *o, int depth,
               double *events, double *seconds)
{
  *events = EVENTS_PER_REQUEST;
  *seconds = 0;
  const char *group = NULL;
  if (o->destination_kind == STRATUS_DESTINATION_LOAD_BALANCER)
    {
      const StratusLoadBalancerConfig *lb = stratus_scenario_find_load_balancer (s, o->destination_name);
      group = lb != NULL ? lb->target_group : NULL;
    }
  for (guint i = 0; i < s->fleets->len && depth < 64; i++)
    {
      const StratusFleetConfig *d = g_ptr_array_index (s->fleets, i);
      bool serves = o->destination_kind == STRATUS_DESTINATION_FLEET
                      ? strcmp (d->name, o->destination_name) == 0
                      : stratus_fleet_in_group (d, group);
      if (!serves)
        continue;
      double calls, call_seconds;
      fleet_calls_at (s, d, depth + 1, &calls, &call_seconds);
      *events = MAX (*events, EVENTS_PER_REQUEST + calls);
      *seconds = MAX (*seconds, d->service_time.mean / 1e9 + call_seconds);
    }
}

/* Events of outbound calls per request (one per call to an address; a whole request's for a
 * call to a resource, and its own calls) and the worker time they add, for a fleet; the
 * scenario refuses call cycles, and `depth` bounds the walk anyway. */
static void
fleet_calls_at (const StratusScenario *s, const StratusFleetConfig *f, int depth, double *calls,
                double *call_seconds)
{
  *calls = 0;
  *call_seconds = 0;
  for (guint k = 0; f->outbound != NULL && k < f->outbound->len; k++)
    {
      const StratusOutboundCallConfig *o = g_ptr_array_index (f->outbound, k);
      double events = 1, seconds = o->service_time.mean / 1e9;
      if (o->destination_kind != STRATUS_DESTINATION_ADDRESS)
        resource_call (s, o, depth, &events, &seconds);
      *calls += o->per_request * events;
      *call_seconds += o->per_request * MIN (seconds, stratus_time_seconds (o->timeout));
    }
  const StratusDbWorkConfig *db = &f->database;
  if (db->enabled)
    {
      const StratusDatabaseConfig *d = g_ptr_array_index (s->databases, db->index);
      double query_s = (db->write_fraction * d->write_time.mean
                        + (1 - db->write_fraction) * d->read_time.mean) / 1e9;
      *calls += db->queries * 3;
      *call_seconds += db->queries * query_s;
    }
}

/* The same for the scenario's fleet `f`. */
static void
fleet_calls (const StratusScenario *s, const StratusFleetConfig *f, double *calls,
             double *call_seconds)
{
  fleet_calls_at (s, f, 0, calls, call_seconds);
}

/* The most instances a fleet can have at once: its count, or for an Auto Scaling group its
 * max_size plus what rebalancing may add (10% or one). */
static double
peak_count (const StratusFleetConfig *f)
{
  if (f->asg == NULL)
    return f->count;
  return f->asg->max + MAX (1, f->asg->max / 10);
}

/* Requests per second the fleets of `group` can serve (infinite when instantaneous). */
static double
group_capacity (const StratusScenario *s, const char *group, bool *unlimited_queue,
                const char **fleet_name)
{
  double capacity = 0;
  *unlimited_queue = false;
  *fleet_name = NULL;
  for (guint i = 0; i < s->fleets->len; i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      if (!stratus_fleet_in_group (f, group))
        continue;
      double calls, call_seconds;
      fleet_calls (s, f, &calls, &call_seconds);
      double per_request = f->service_time.mean / 1e9 + call_seconds;
      capacity += per_request > 0 ? peak_count (f) * f->workers / per_request : INFINITY;
      if (f->queue_limit < 0 && peak_count (f) > 0)
        {
          *unlimited_queue = true;
          *fleet_name = f->name;
        }
    }
  return capacity;
}

/* Most outbound calls per request of any fleet in `group`. */
static double
group_calls (const StratusScenario *s, const char *group)
{
  double most = 0;
  for (guint i = 0; i < s->fleets->len; i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      double calls, call_seconds;
      fleet_calls (s, f, &calls, &call_seconds);
      if (stratus_fleet_in_group (f, group))
        most = MAX (most, calls);
    }
  return most;
}

/* Events, requests and the memory of requests alive at once, per workload. */
static void
estimate_workloads (const StratusScenario *s, StratusBudgetEstimate *e, MemoryTally *memory)
{
  double most_events = -1;
  for (guint i = 0; i < s->workloads->len; i++)
    {
      const StratusWorkloadConfig *w = g_ptr_array_index (s->workloads, i);
      const StratusLoadBalancerConfig *lb = stratus_scenario_find_load_balancer (s, w->entry);
      double requests = expected_requests (&w->rate, s->duration);
      double events = requests * (EVENTS_PER_REQUEST + group_calls (s, lb->target_group));
      e->requests += requests;
      e->events += events;
      char key[256];
      g_snprintf (key, sizeof key, "workload.%s.rate", w->name);
      if (events > most_events)
        {
          most_events = events;
          g_strlcpy (e->events_key, key, sizeof e->events_key);
        }
      /* Deadlines: every request sent within the last `timeout` has an entry, and at worst
       * (a target that stalls) every request sent to a target within the last
       * `idle_timeout` has one in its load balancer's ring. */
      double peak = peak_rate (&w->rate, s->duration);
      double run_seconds = stratus_time_seconds (s->duration);
      g_snprintf (key, sizeof key, "load_balancers.%s.idle_timeout", lb->name);
      tally (memory, peak * MIN (stratus_time_seconds (lb->idle_timeout), run_seconds)
                       * DEADLINE_BYTES, key);
      if (w->timeout != STRATUS_TIME_NEVER)
        {
          double window = MIN (stratus_time_seconds (w->timeout), run_seconds);
          g_snprintf (key, sizeof key, "workload.%s.timeout", w->name);
          tally (memory, peak * window * DEADLINE_BYTES, key);
          e->in_flight += peak * window;
        }
      /* An overloaded group with no queue limit keeps every request it has not served. */
      bool unlimited;
      const char *fleet;
      double capacity = group_capacity (s, lb->target_group, &unlimited, &fleet);
      double offered = run_seconds > 0 ? requests / run_seconds : 0;
      if (unlimited && offered > capacity)
        {
          double backlog = (offered - capacity) * run_seconds;
          g_snprintf (key, sizeof key, "instances.%s.queue_limit", fleet);
          tally (memory, backlog * REQUEST_BYTES, key);
          e->in_flight += backlog;
        }
    }
}

/* The fixed cost of instances, their calls and the load balancers' paths to them. */
static void
estimate_fleets (const StratusScenario *s, MemoryTally *memory, double *instances)
{
  *instances = 0;
  for (guint i = 0; i < s->fleets->len; i++)
    {
      const StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      double nodes = 0;
      for (guint k = 0; k < s->load_balancers->len; k++)
        {
          const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, k);
          if (stratus_fleet_in_group (f, lb->target_group))
            nodes += s->vpc != NULL ? lb->subnets->len : s->azs->len;
        }
      double calls = f->outbound != NULL ? f->outbound->len : 0;
      double bytes = peak_count (f) * (INSTANCE_BYTES + calls * CALL_BYTES + nodes * PATH_BYTES);
      char key[256];
      if (f->asg != NULL)
        g_snprintf (key, sizeof key, "auto_scaling_groups.%s.max_size", f->name);
      else
        g_snprintf (key, sizeof key, "instances.%s.count", f->name);
      tally (memory, bytes, key);
      *instances += peak_count (f);
    }
}

void
stratus_budget_estimate (const StratusScenario *s, unsigned replications,
                         StratusBudgetEstimate *e)
{
  memset (e, 0, sizeof *e);
  e->replications = replications;
  MemoryTally memory = { .bytes = BASE_BYTES, .key = e->memory_key,
                         .key_size = sizeof e->memory_key };
  g_strlcpy (e->events_key, "duration", sizeof e->events_key);
  g_strlcpy (e->memory_key, "duration", sizeof e->memory_key);
  estimate_workloads (s, e, &memory);
  double instances;
  estimate_fleets (s, &memory, &instances);

  /* Rows: one per report interval of the measured window, per replication. */
  StratusTime window = s->duration - s->warmup;
  double intervals = ceil ((double) window / (double) s->report_interval) + 1;
  double rows = intervals * replications, instance_rows = rows * instances;
  e->rows = rows + instance_rows;
  e->events = (e->events + intervals) * replications;
  e->output_bytes = rows * CSV_ROW_BYTES + instances * 2048.0 + 64 * 1024;
  tally (&memory, rows * CSV_ROW_BYTES + instance_rows * INSTANCE_ROW_BYTES, "report.interval");
  e->peak_memory_bytes = memory.bytes;
}

/* ---- limits -------------------------------------------------------------------------- */

/* "file:line:column: " for the key at `path`, falling back to its parents, then 1:1. */
static char *
position_of (const StratusScenario *s, const char *path)
{
  char *p = g_strdup (path);
  for (;;)
    {
      const StratusSourcePosition *pos = stratus_scenario_position (s, p);
      if (pos != NULL)
        {
          char *out = g_strdup_printf ("%s:%d:%d", pos->file, pos->line, pos->column);
          g_free (p);
          return out;
        }
      char *dot = strrchr (p, '.');
      if (dot == NULL)
        break;
      *dot = '\0';
    }
  g_free (p);
  return g_strdup_printf ("%s:1:1", s->path);
}

/* "12.3 GiB" style, binary units as --max-memory reads them, with a plain space (GLib's
 * g_format_size_full puts a no-break space, awkward in a one-line error). Caller frees. */
static char *
format_bytes (double bytes)
{
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
  int u = 0;
  while (bytes >= 1024 && u < 6)
    bytes /= 1024, u++;
  return u == 0 ? g_strdup_printf ("%.0f bytes", bytes) : g_strdup_printf ("%.1f %s", bytes, units[u]);
}

bool
stratus_budget_check (const StratusScenario *s, const StratusBudgetEstimate *e,
                      const StratusBudgetLimits *limits, GError **error)
{
  if (limits->max_events > 0 && e->events > (double) limits->max_events)
    {
      char *where = position_of (s, e->events_key);
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s: %s: the run would fire about %.3g events (%.3g requests per "
                   "replication, %u replication%s), over the limit of %.3g events "
                   "(--max-events raises it)",
                   where, e->events_key, e->events, e->requests, e->replications,
                   e->replications == 1 ? "" : "s", (double) limits->max_events);
      g_free (where);
      return false;
    }
  if (limits->machine_memory_bytes > 0 && e->peak_memory_bytes > (double) limits->machine_memory_bytes
      && (limits->max_memory_bytes == 0 || limits->max_memory_bytes > limits->machine_memory_bytes))
    {
      char *where = position_of (s, e->memory_key);
      char *need = format_bytes (e->peak_memory_bytes);
      char *machine = format_bytes ((double) limits->machine_memory_bytes);
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s: %s: the run would need about %s of memory, more than this machine "
                   "has (%s)", where, e->memory_key, need, machine);
      g_free (where);
      g_free (need);
      g_free (machine);
      return false;
    }
  if (limits->max_memory_bytes > 0 && e->peak_memory_bytes > (double) limits->max_memory_bytes)
    {
      char *where = position_of (s, e->memory_key);
      char *need = format_bytes (e->peak_memory_bytes);
      char *limit = format_bytes ((double) limits->max_memory_bytes);
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s: %s: the run would need about %s of memory, over the limit of %s "
                   "(--max-memory raises it)",
                   where, e->memory_key, need, limit);
      g_free (where);
      g_free (need);
      g_free (limit);
      return false;
    }
  return true;
}

char *
stratus_budget_describe (const StratusBudgetEstimate *e, const StratusBudgetLimits *limits)
{
  char *memory = format_bytes (e->peak_memory_bytes);
  char *memory_limit = format_bytes ((double) limits->max_memory_bytes);
  char *output = format_bytes (e->output_bytes);
  char *text = g_strdup_printf (
    "estimate for %u replication%s:\n"
    "  requests     %.4g per replication\n"
    "  events       %.4g (limit %.3g; driven by %s)\n"
    "  rows         %.4g time-series rows (whole run and per instance)\n"
    "  in flight    %.4g requests alive at once, at most\n"
    "  memory       %s peak (limit %s; driven by %s)\n"
    "  output       %s of report files\n",
    e->replications, e->replications == 1 ? "" : "s", e->requests, e->events,
    (double) limits->max_events, e->events_key, e->rows, e->in_flight,
    memory, memory_limit, e->memory_key, output);
  g_free (memory);
  g_free (memory_limit);
  g_free (output);
  return text;
}

bool
stratus_budget_parse_memory (const char *text, uint64_t *bytes)
{
  return stratus_parse_size (text, bytes, NULL) && *bytes > 0;
}
