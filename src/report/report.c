/* Figures: every number of the report, in output order, with its value in each
 * replication summarised; the writers render them. */
#include "report_private.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "stratus/stats.h"
#include "stratus/units.h"

/* Adds this replication's `value` to the figure at `path` (names' dots as
 * REPORT_NAME_DOT), creating the figure on first sight. */
static void
add (StratusReport *report, const char *path, double value, bool integer)
{
  char *shown = g_strdup (path);
  g_strdelimit (shown, (char[]){ REPORT_NAME_DOT, '\0' }, '.');
  gpointer pos;
  if (!g_hash_table_lookup_extended (report->index, shown, NULL, &pos))
    {
      Figure f = { .path = shown, .integer = integer,
                   .json_path = strcmp (shown, path) != 0 ? g_strdup (path) : NULL };
      g_array_append_val (report->figures, f);
      pos = GUINT_TO_POINTER (report->figures->len - 1);
      g_hash_table_insert (report->index, shown, pos);
    }
  else
    g_free (shown);
  stratus_summary_add (&g_array_index (report->figures, Figure, GPOINTER_TO_UINT (pos)).summary,
                       value);
}

char *
report_name_key (const char *name)
{
  char *key = g_strdup (name != NULL ? name : "");
  return g_strdelimit (key, ".", REPORT_NAME_DOT);
}

/* network.bytes.CLASS (all resources), network.bytes_by_resource.NAME.CLASS, and
 * network.drops.REASON. */
static void
add_network (StratusReport *report, const StratusRunResult *r)
{
  uint64_t totals[STRATUS_N_BYTE_CLASSES] = { 0 };
  for (guint i = 0; i < r->network_bytes->len; i++)
    for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
      totals[c] += g_array_index (r->network_bytes, StratusResourceBytes, i).bytes[c];
  for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
    {
      char *path = g_strdup_printf ("network.bytes.%s", stratus_byte_class_name ((StratusByteClass) c));
      add (report, path, (double) totals[c], true);
      g_free (path);
    }
  for (int d = 1; d < STRATUS_N_DROP_REASONS; d++)
    {
      char *path = g_strdup_printf ("network.drops.%s",
                                    stratus_drop_reason_name ((StratusDropReason) d));
      add (report, path, (double) r->drops[d], true);
      g_free (path);
    }
  for (guint i = 0; i < r->network_bytes->len; i++)
    {
      const StratusResourceBytes *row = &g_array_index (r->network_bytes, StratusResourceBytes, i);
      for (int c = 0; c < STRATUS_N_BYTE_CLASSES; c++)
        {
          char *path = g_strdup_printf ("network.bytes_by_resource.%s.%s", row->name,
                                        stratus_byte_class_name ((StratusByteClass) c));
          add (report, path, (double) row->bytes[c], true);
          g_free (path);
        }
    }
}

void
report_addf (StratusReport *report, double value, bool integer, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *path = g_strdup_vprintf (format, args);
  va_end (args);
  add (report, path, value, integer);
  g_free (path);
}

/* The old name of report_addf, used throughout this file. */
#define addf report_addf

/* True if a workload of `s` retries failed requests. */
static bool
any_retry (const StratusScenario *s)
{
  for (guint i = 0; s->workloads != NULL && i < s->workloads->len; i++)
    if (((const StratusWorkloadConfig *) g_ptr_array_index (s->workloads, i))->max_attempts > 1)
      return true;
  return false;
}

/* requests.*: totals, by status (HTTP kind) and by outcome (kind and reason). */
static void
add_requests (StratusReport *report, const StratusRunResult *r)
{
  double window_s = stratus_time_seconds (r->window);
  uint64_t ok = r->outcomes[STRATUS_OUTCOME_OK];
  add (report, "requests.total", (double) r->total, true);
  add (report, "requests.ok", (double) ok, true);
  add (report, "requests.failed", (double) stratus_outcome_failed_total (r->outcomes), true);
  for (int k = STRATUS_KIND_OK + 1; k < STRATUS_N_OUTCOME_KINDS; k++)
    addf (report, (double) stratus_outcome_kind_total (r->outcomes, (StratusOutcomeKind) k), true,
          "requests.by_status.%s", stratus_outcome_kind_name ((StratusOutcomeKind) k));
  for (int o = STRATUS_OUTCOME_OK + 1; o < STRATUS_N_OUTCOMES; o++)
    addf (report, (double) r->outcomes[o], true, "requests.by_outcome.%s",
          stratus_outcome_info ((StratusOutcome) o)->name);
  add (report, "requests.in_flight_at_end", (double) r->in_flight_at_end, true);
  if (stratus_report_scenario (report) != NULL && any_retry (stratus_report_scenario (report)))
    {
      add (report, "requests.retries", (double) r->retries, true);
      add (report, "requests.offered_with_retries", (double) (r->total + r->retries), true);
    }
  add (report, "requests.late_answers", (double) r->late_answers, true);
  add (report, "throughput_rps", window_s > 0 ? (double) ok / window_s : 0, false);
  add (report, "error_rate", r->total ? (double) (r->total - ok) / (double) r->total : 0, false);
}

/* Totals of a group of instances (an AZ, a fleet). */
typedef struct
{
  double instances, alive_s, capacity, busy, served;
} GroupTotals;

/* Adds `ir` to the group `name` of `groups` (name -> GroupTotals*). */
static void
group_add (GHashTable *groups, GPtrArray *order, const char *name,
           const StratusInstanceResult *ir)
{
  GroupTotals *g = g_hash_table_lookup (groups, name);
  if (g == NULL)
    {
      g = g_new0 (GroupTotals, 1);
      g_hash_table_insert (groups, (gpointer) name, g);
      g_ptr_array_add (order, (gpointer) name);
    }
  double alive = stratus_time_seconds (ir->alive);
  g->instances += 1;
  g->alive_s += alive;
  g->capacity += alive * ir->workers;
  g->busy += ir->busy_area / 1e9;
  g->served += (double) ir->served;
}

/* PREFIX.NAME.{instances, instance_hours, served, utilisation} for each group; `names`
 * (char*, owned) gains the groups it has not seen. */
static void
add_groups (StratusReport *report, const char *prefix, GHashTable *groups, GPtrArray *order,
            GPtrArray *names)
{
  for (guint i = 0; i < order->len; i++)
    {
      const char *name = g_ptr_array_index (order, i);
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_strdup (name));
      const GroupTotals *g = g_hash_table_lookup (groups, name);
      addf (report, g->instances, true, "%s.%s.instances", prefix, name);
      addf (report, g->alive_s / 3600, false, "%s.%s.instance_hours", prefix, name);
      addf (report, g->served, true, "%s.%s.served", prefix, name);
      addf (report, g->capacity > 0 ? g->busy / g->capacity : 0, false, "%s.%s.utilisation",
            prefix, name);
    }
}

/* instances.NAME.* for every instance of the replication, and the aggregates per AZ
 * (by_az) and per fleet (by_fleet). */
static void
add_instances (StratusReport *report, const StratusRunResult *r)
{
  GHashTable *by_az = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GHashTable *by_fleet = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *az_order = g_ptr_array_new (), *fleet_order = g_ptr_array_new ();
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, i);
      const char *n = ir->name;
      addf (report, ir->utilisation, false, "instances.%s.utilisation", n);
      addf (report, ir->mean_queue, false, "instances.%s.mean_queue", n);
      addf (report, ir->mean_in_system, false, "instances.%s.mean_in_system", n);
      addf (report, (double) ir->served, true, "instances.%s.served", n);
      addf (report, stratus_time_seconds (ir->launched), false, "instances.%s.launched_s", n);
      if (ir->terminated != STRATUS_TIME_NEVER)
        addf (report, stratus_time_seconds (ir->terminated), false, "instances.%s.terminated_s", n);
      addf (report, stratus_time_seconds (ir->alive), false, "instances.%s.alive_s", n);
      if (ir->running != STRATUS_TIME_NEVER)
        addf (report, stratus_time_seconds (ir->running), false, "instances.%s.running_s", n);
      addf (report, stratus_time_seconds (ir->billed), false, "instances.%s.billed_s", n);
      group_add (by_az, az_order, ir->az, ir);
      group_add (by_fleet, fleet_order, ir->fleet, ir);
    }
  add_groups (report, "by_az", by_az, az_order, report->az_names);
  add_groups (report, "by_fleet", by_fleet, fleet_order, report->fleet_names);
  g_hash_table_unref (by_az);
  g_hash_table_unref (by_fleet);
  g_ptr_array_unref (az_order);
  g_ptr_array_unref (fleet_order);
}

static void
add_result (StratusReport *report, const StratusRunResult *r)
{
  const StratusHistogram *h = r->latency;
  add_requests (report, r);
  add (report, "latency_ms.mean", stratus_histogram_mean (h) / 1e6, false);
  add (report, "latency_ms.p50", stratus_histogram_percentile (h, 50) / 1e6, false);
  add (report, "latency_ms.p90", stratus_histogram_percentile (h, 90) / 1e6, false);
  add (report, "latency_ms.p99", stratus_histogram_percentile (h, 99) / 1e6, false);
  add (report, "latency_ms.p999", stratus_histogram_percentile (h, 99.9) / 1e6, false);
  add (report, "latency_ms.max", (double) stratus_histogram_max (h) / 1e6, false);
  double in_system = 0;
  for (guint i = 0; i < r->instances->len; i++)
    in_system += g_array_index (r->instances, StratusInstanceResult, i).mean_in_system;
  add (report, "queueing.p_wait", r->started ? (double) r->waited / (double) r->started : 0,
       false);
  add (report, "queueing.wait_ms_mean",
       r->started ? r->wait_sum_ns / (double) r->started / 1e6 : 0, false);
  add (report, "queueing.mean_in_system", in_system, false);
  add_network (report, r);
  add_instances (report, r);
}

/* The report's index of every instance of `r` (adding those it has not seen), by id.
 * Caller frees. */
static unsigned *
map_instances (StratusReport *report, const StratusRunResult *r)
{
  unsigned *map = g_new (unsigned, r->instances->len ? r->instances->len : 1);
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, i);
      gpointer found = g_hash_table_lookup (report->instance_index, ir->name);
      if (found == NULL)
        {
          InstanceInfo info = { g_strdup (ir->name), g_strdup (ir->fleet), g_strdup (ir->az),
                                g_strdup (ir->type), ir->workers };
          g_array_append_val (report->instances, info);
          found = GUINT_TO_POINTER (report->instances->len);
          g_hash_table_insert (report->instance_index, info.name, found);
        }
      map[i] = GPOINTER_TO_UINT (found) - 1;
    }
  return map;
}

StratusReport *
stratus_report_new (const StratusScenario *scenario)
{
  StratusReport *report = g_new0 (StratusReport, 1);
  report->scenario = scenario;
  report->figures = g_array_new (FALSE, TRUE, sizeof (Figure));
  report->index = g_hash_table_new (g_str_hash, g_str_equal);
  report->instances = g_array_new (FALSE, TRUE, sizeof (InstanceInfo));
  report->instance_index = g_hash_table_new (g_str_hash, g_str_equal);
  report->az_names = g_ptr_array_new_with_free_func (g_free);
  report->fleet_names = g_ptr_array_new_with_free_func (g_free);
  report->rows = stratus_record_log_new (sizeof (TaggedRow));
  report->instance_rows = stratus_record_log_new (sizeof (TaggedInstanceRow));
  report_groups_init (report);
  report_events_init (report);
  report_databases_init (report);
  return report;
}

void
stratus_report_add (StratusReport *report, const StratusRunResult *r)
{
  if (report->replications++ == 0)
    report->seed = r->seed;
  unsigned *map = map_instances (report, r);
  add_result (report, r);
  size_t n = stratus_run_result_interval_count (r);
  for (size_t i = 0; i < n; i++)
    {
      TaggedRow tagged = { .replication = r->replication,
                           .row = stratus_run_result_interval (r, i) };
      stratus_record_log_append (report->rows, &tagged);
    }
  size_t m = stratus_run_result_instance_interval_count (r);
  for (size_t i = 0; i < m; i++)
    {
      TaggedInstanceRow tagged = { .replication = r->replication,
                                   .row = stratus_run_result_instance_interval (r, i) };
      tagged.row.instance = map[tagged.row.instance];
      stratus_record_log_append (report->instance_rows, &tagged);
    }
  g_free (map);
  report_groups_add (report, r);
  report_databases_add (report, r);
  report_availability_add (report, r);
  report_random_faults_add (report, r);
  report_cost_add (report, r);
  report_slo_add (report, r);
  report_events_add (report, r);
  report->run.events += r->run_stats.events;
  report->run.wall_seconds += r->run_stats.wall_seconds;
  report->run.max_rss_kib = MAX (report->run.max_rss_kib, r->run_stats.max_rss_kib);
  report->simulated_requests += (double) (r->total + r->in_flight_at_end);
}

unsigned
stratus_report_replications (const StratusReport *report)
{
  return report->replications;
}

const StratusScenario *
stratus_report_scenario (const StratusReport *report)
{
  return report->scenario;
}

size_t
stratus_report_row_count (const StratusReport *report)
{
  return stratus_record_log_length (report->rows);
}

void
stratus_report_row (const StratusReport *report, size_t index, unsigned *replication,
                    StratusIntervalRow *row)
{
  TaggedRow tagged;
  stratus_record_log_get (report->rows, index, &tagged);
  if (replication)
    *replication = tagged.replication;
  *row = tagged.row;
}

size_t
stratus_report_instance_row_count (const StratusReport *report)
{
  return stratus_record_log_length (report->instance_rows);
}

void
stratus_report_instance_row (const StratusReport *report, size_t index, unsigned *replication,
                             StratusInstanceRow *row)
{
  TaggedInstanceRow tagged;
  stratus_record_log_get (report->instance_rows, index, &tagged);
  if (replication)
    *replication = tagged.replication;
  *row = tagged.row;
}

unsigned
stratus_report_instance_count (const StratusReport *report)
{
  return report->instances->len;
}

const char *
stratus_report_instance_name (const StratusReport *report, unsigned index)
{
  return g_array_index (report->instances, InstanceInfo, index).name;
}

const char *
stratus_report_instance_az (const StratusReport *report, unsigned index)
{
  return g_array_index (report->instances, InstanceInfo, index).az;
}

void
stratus_report_free (StratusReport *report)
{
  if (report == NULL)
    return;
  for (guint i = 0; i < report->figures->len; i++)
    {
      g_free (g_array_index (report->figures, Figure, i).path);
      g_free (g_array_index (report->figures, Figure, i).json_path);
    }
  for (guint i = 0; i < report->instances->len; i++)
    {
      InstanceInfo *info = &g_array_index (report->instances, InstanceInfo, i);
      g_free (info->name);
      g_free (info->fleet);
      g_free (info->az);
      g_free (info->type);
    }
  report_groups_clear (report);
  report_events_clear (report);
  report_databases_clear (report);
  report_availability_clear (report);
  report_cost_clear (report);
  g_array_unref (report->instances);
  g_hash_table_unref (report->instance_index);
  g_ptr_array_unref (report->az_names);
  g_ptr_array_unref (report->fleet_names);
  g_array_unref (report->figures);
  g_hash_table_unref (report->index);
  stratus_record_log_free (report->rows);
  stratus_record_log_free (report->instance_rows);
  g_free (report);
}

const Figure *
report_find (const StratusReport *report, const char *path)
{
  gpointer pos;
  if (!g_hash_table_lookup_extended (report->index, path, NULL, &pos))
    return NULL;
  return &g_array_index (report->figures, Figure, GPOINTER_TO_UINT (pos));
}

size_t
stratus_report_figure_count (const StratusReport *report)
{
  return report->figures->len;
}

const char *
stratus_report_figure_path (const StratusReport *report, size_t index, bool *is_count)
{
  g_return_val_if_fail (index < report->figures->len, NULL);
  const Figure *f = &g_array_index (report->figures, Figure, index);
  if (is_count != NULL)
    *is_count = f->integer;
  return f->path;
}

bool
stratus_report_figure (const StratusReport *report, const char *path, double *mean, double *ci95)
{
  const Figure *f = report_find (report, path);
  if (f == NULL)
    return false;
  if (mean)
    *mean = f->summary.mean;
  if (ci95)
    *ci95 = stratus_summary_ci95 (&f->summary);
  return true;
}

static guint
replications (const StratusReport *report)
{
  return report->replications;
}

/* ---- JSON -------------------------------------------------------------------------- */

/* The object at `path` minus its last segment, creating objects on the way; returns the
 * last segment through `leaf` (a name's dots in `path` are REPORT_NAME_DOT: the names of
 * the objects get their dots back; the caller restores the leaf's). */
static JsonObject *
parent_of (JsonObject *root, const char *path, const char **leaf)
{
  JsonObject *obj = root;
  const char *start = path;
  const char *dot;
  while ((dot = strchr (start, '.')) != NULL)
    {
      char *name = g_strndup (start, (gsize) (dot - start));
      g_strdelimit (name, (char[]){ REPORT_NAME_DOT, '\0' }, '.');
      if (!json_object_has_member (obj, name))
        json_object_set_object_member (obj, name, json_object_new ());
      obj = json_object_get_object_member (obj, name);
      g_free (name);
      start = dot + 1;
    }
  *leaf = start;
  return obj;
}

/* Sets a double member that JSON-GLib will print as valid JSON. JSON-GLib 1.6 appends ".0"
 * to any double printed without a '.', so 3e-09 would become "3e-09.0", which is not JSON:
 * such a value is moved by one unit in the last place (invisible in any figure) until it
 * prints with a '.'. A non-finite value, which JSON cannot hold, becomes null. */
void
report_set_double (JsonObject *obj, const char *name, double value)
{
  if (!isfinite (value))
    {
      json_object_set_null_member (obj, name);
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int tries = 0; tries < 8; tries++)
    {
      g_ascii_dtostr (buf, sizeof buf, value);
      if (strchr (buf, '.') != NULL || strpbrk (buf, "eE") == NULL)
        break;
      value = nextafter (value, value > 0 ? INFINITY : -INFINITY);
    }
  json_object_set_double_member (obj, name, value);
}

#define set_double report_set_double

/* Sets a figure: a whole number, or a double (see set_double). */
static void
set_number (JsonObject *obj, const char *name, double value, bool integer)
{
  if (integer && isfinite (value) && fabs (value) < 9.2e18)
    json_object_set_int_member (obj, name, (gint64) value);
  else
    set_double (obj, name, value);
}

static JsonObject *
scenario_object (const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "name", s->name);
  set_double (o, "duration_s", stratus_time_seconds (s->duration));
  set_double (o, "warmup_s", stratus_time_seconds (s->warmup));
  json_object_set_int_member (o, "seed", (gint64) report->seed);
  json_object_set_int_member (o, "replications", replications (report));
  return o;
}

static JsonObject *
run_object (const StratusReport *report)
{
  JsonObject *o = json_object_new ();
  uint64_t events = report->run.events;
  double wall = report->run.wall_seconds, simulated_requests = report->simulated_requests;
  long rss = report->run.max_rss_kib;
  json_object_set_int_member (o, "events", (gint64) events);
  set_double (o, "wall_seconds", wall);
  set_double (o, "events_per_second", wall > 0 ? (double) events / wall : 0);
  set_double (o, "requests_per_second",
                                 wall > 0 ? simulated_requests / wall : 0);
  json_object_set_int_member (o, "max_rss_kib", rss);
  if (report->jobs > 0)
    {
      json_object_set_int_member (o, "jobs", report->jobs);
      set_double (o, "elapsed_seconds", report->elapsed_seconds);
    }
  return o;
}

void
stratus_report_set_elapsed (StratusReport *report, double elapsed_seconds, unsigned jobs)
{
  report->elapsed_seconds = elapsed_seconds;
  report->jobs = jobs;
}

/* Instance facts that are not figures (fleet, AZ, workers), under instances.NAME: members are
 * created when missing; "instances" is an empty object for a scenario without instances. */
static void
add_instance_facts (JsonObject *root, const StratusReport *report)
{
  /* Always present, empty for a scenario without instances, so readers need no special case. */
  if (!json_object_has_member (root, "instances"))
    json_object_set_object_member (root, "instances", json_object_new ());
  JsonObject *instances = json_object_get_object_member (root, "instances");
  for (guint i = 0; i < report->instances->len; i++)
    {
      const InstanceInfo *ir = &g_array_index (report->instances, InstanceInfo, i);
      if (!json_object_has_member (instances, ir->name))
        json_object_set_object_member (instances, ir->name, json_object_new ());
      JsonObject *o = json_object_get_object_member (instances, ir->name);
      json_object_set_string_member (o, "fleet", ir->fleet);
      json_object_set_string_member (o, "az", ir->az);
      json_object_set_int_member (o, "workers", ir->workers);
      if (ir->type != NULL)
        json_object_set_string_member (o, "type", ir->type);
      if (!json_object_has_member (o, "running_s"))
        json_object_set_null_member (o, "running_s");
    }
}

/* report.json's root object: schema, scenario, every figure, instance facts, ci95. */
static JsonObject *
report_object (const StratusReport *report)
{
  JsonObject *root = json_object_new ();
  json_object_set_string_member (root, "schema", STRATUS_REPORT_SCHEMA);
  json_object_set_object_member (root, "scenario", scenario_object (report));
  bool reps = replications (report) > 1;
  JsonObject *ci = reps ? json_object_new () : NULL;
  for (guint i = 0; i < report->figures->len; i++)
    {
      const Figure *f = &g_array_index (report->figures, Figure, i);
      const char *leaf, *path = f->json_path != NULL ? f->json_path : f->path;
      JsonObject *parent = parent_of (root, path, &leaf);
      char *name = g_strdelimit (g_strdup (leaf), (char[]){ REPORT_NAME_DOT, '\0' }, '.');
      set_number (parent, name, f->summary.mean, f->integer && !reps);
      if (reps)
        {
          double hw = stratus_summary_ci95 (&f->summary);
          JsonObject *interval = json_object_new ();
          set_double (interval, "low", f->summary.mean - hw);
          set_double (interval, "high", f->summary.mean + hw);
          set_double (interval, "half_width", hw);
          JsonObject *ci_parent = parent_of (ci, path, &leaf);
          json_object_set_object_member (ci_parent, name, interval);
        }
      g_free (name);
    }
  add_instance_facts (root, report);
  report_groups_json (root, report);
  report_databases_json (root, report);
  report_availability_json (root, report);
  report_cost_json (root, report);
  report_events_json (root, report);
  if (reps)
    json_object_set_object_member (root, "ci95", ci);
  return root;
}

/* Public within the library (report_json.h): the pretty-printed text of `root` (consumed)
 * with a final newline. Caller frees. */
char *
report_json_text (JsonObject *root)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), root);
  JsonGenerator *gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, node);
  char *text = json_generator_to_data (gen, NULL);
  g_object_unref (gen);
  json_node_unref (node);
  json_object_unref (root);
  char *with_newline = g_strconcat (text, "\n", NULL);
  g_free (text);
  return with_newline;
}

char *
stratus_report_json (const StratusReport *report)
{
  return report_json_text (report_object (report));
}

char *
stratus_report_run_json (const StratusReport *report)
{
  JsonObject *root = json_object_new ();
  json_object_set_string_member (root, "schema", STRATUS_RUN_SCHEMA);
  json_object_set_object_member (root, "scenario", scenario_object (report));
  json_object_set_object_member (root, "run", run_object (report));
  return report_json_text (root);
}

/* ---- files ------------------------------------------------------------------------- */

const char *const *
stratus_report_file_names (void)
{
  static const char *const names[] = { "report.json", "report.txt", "timeseries.csv", "run.json",
                                       "events.csv", "groups.csv", "databases.csv", NULL };
  return names;
}

bool
stratus_report_write_set (const StratusReport *report, StratusOutputSet *set, GError **error)
{
  char *(*const writers[]) (const StratusReport *) = {
    stratus_report_json, stratus_report_text, stratus_report_timeseries_csv,
    stratus_report_run_json, stratus_report_events_csv, stratus_report_groups_csv,
    stratus_report_databases_csv,
  };
  const char *const *names = stratus_report_file_names ();
  bool ok = true;
  for (size_t i = 0; ok && i < G_N_ELEMENTS (writers); i++)
    {
      /* databases.csv only for a scenario with databases: the others' sets stay as they were. */
      if (writers[i] == stratus_report_databases_csv && !report_has_databases (report))
        continue;
      char *text = writers[i](report);
      ok = stratus_output_set_write (set, names[i], text, -1, error);
      g_free (text);
    }
  return ok;
}
