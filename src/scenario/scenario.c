/* Scenario file -> StratusScenario: key checks with "did you mean", units, references. */
#include "stratus/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "fields.h"
#include "number_file.h"
#include "outbound.h"
#include "stratus/instance_types.h"
#include "stratus/units.h"
#include "suggest.h"
#include "vpc.h"
#include "yaml_tree.h"

G_DEFINE_QUARK (stratus-scenario-error-quark, stratus_scenario_error)

/* ---- rates ------------------------------------------------------------------------ */

static const char *const shape_names[] = { "constant", "steps", "diurnal", "spike", "replay",
                                           NULL };

/* A CSV cell holding a non-negative number (an arrival timestamp in seconds, checked
 * against the time limit by the caller). */
static bool
parse_number_cell (const char *cell, double *value, void *user_data, GError **error)
{
  (void) user_data;
  char *end = NULL;
  double x = g_ascii_strtod (cell, &end);
  if (end == cell || *end != '\0' || !isfinite (x) || x < 0)
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, 0, "expected a non-negative number, found '%s'",
                   cell);
      return false;
    }
  *value = x;
  return true;
}

/* A CSV cell holding a rate per second: a non-negative number of at most STRATUS_RATE_MAX. */
static bool
parse_rate_cell (const char *cell, double *value, void *user_data, GError **error)
{
  if (!parse_number_cell (cell, value, user_data, error))
    return false;
  if (*value > STRATUS_RATE_MAX)
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, 0,
                   "rate %s/s is above the simulator's limit of 10M/s per workload", cell);
      return false;
    }
  return true;
}

static bool
parse_steps (FieldCtx *ctx, const YNode *list, StratusRateConfig *rate)
{
  if (!field_expect_kind (ctx, list, YNODE_SEQ, "steps"))
    return false;
  if (ynode_length (list) == 0)
    return field_fail_at (ctx, list, "steps: needs at least one step");
  static const char *const step_keys[] = { "at", "rate", NULL };
  rate->steps = g_array_new (FALSE, FALSE, sizeof (StratusRateStep));
  for (guint i = 0; i < ynode_length (list); i++)
    {
      const YNode *item = ynode_item (list, i);
      StratusRateStep step;
      if (!field_expect_kind (ctx, item, YNODE_MAP, "step") || !field_check_keys (ctx, item, step_keys, "a step"))
        return false;
      const YNode *at = field_require (ctx, item, "at", "step");
      if (at == NULL || !field_parse_duration_node (ctx, at, "at", false, &step.at)
          || !field_get_rate (ctx, item, "rate", &step.rate))
        return false;
      if (i > 0 && step.at <= g_array_index (rate->steps, StratusRateStep, i - 1).at)
        return field_fail_at (ctx, at, "at: steps must be in increasing order of time");
      g_array_append_val (rate->steps, step);
    }
  if (g_array_index (rate->steps, StratusRateStep, 0).at != 0)
    {
      StratusRateStep zero = { 0, 0.0 };
      g_array_prepend_val (rate->steps, zero);
    }
  return true;
}

static bool
parse_rate_shape (FieldCtx *ctx, const YNode *v, StratusRateConfig *rate)
{
  if (v->kind == YNODE_SCALAR)
    {
      rate->shape = STRATUS_RATE_CONSTANT;
      return field_parse_rate_node (ctx, v, "rate", &rate->rate);
    }
  if (!field_expect_kind (ctx, v, YNODE_MAP, "rate"))
    return false;
  const YNode *shape_node = field_require (ctx, v, "shape", "rate");
  int shape;
  if (shape_node == NULL || !field_check_choice (ctx, shape_node, "shape", shape_names, &shape))
    return false;
  switch (shape)
    {
    case 0:
      {
        static const char *const keys[] = { "shape", "rate", NULL };
        rate->shape = STRATUS_RATE_CONSTANT;
        return field_check_keys (ctx, v, keys, "a constant rate") && field_get_rate (ctx, v, "rate", &rate->rate);
      }
    case 1:
      {
        static const char *const keys[] = { "shape", "steps", NULL };
        rate->shape = STRATUS_RATE_STEPS;
        const YNode *steps;
        return field_check_keys (ctx, v, keys, "a steps rate")
               && (steps = field_require (ctx, v, "steps", "rate")) != NULL
               && parse_steps (ctx, steps, rate);
      }
    case 2:
      {
        static const char *const keys[] = { "shape", "min", "max", "period", "peak_at", NULL };
        rate->shape = STRATUS_RATE_DIURNAL;
        if (!field_check_keys (ctx, v, keys, "a diurnal rate") || !field_get_rate (ctx, v, "min", &rate->min)
            || !field_get_rate (ctx, v, "max", &rate->max)
            || !field_get_duration (ctx, v, "period", 24 * STRATUS_HOUR, false, &rate->period)
            || !field_get_duration (ctx, v, "peak_at", 12 * STRATUS_HOUR, false, &rate->peak_at))
          return false;
        if (rate->max < rate->min)
          return field_fail_at (ctx, ynode_map_get (v, "max"), "max: must be >= min");
        if (rate->period <= 0)
          return field_fail_at (ctx, ynode_map_get (v, "period"), "period: must be > 0");
        return true;
      }
    case 3:
      {
        static const char *const keys[] = { "shape", "base", "peak", "at", "for", NULL };
        rate->shape = STRATUS_RATE_SPIKE;
        const YNode *at, *len;
        return field_check_keys (ctx, v, keys, "a spike rate") && field_get_rate (ctx, v, "base", &rate->base)
               && field_get_rate (ctx, v, "peak", &rate->peak)
               && (at = field_require (ctx, v, "at", "rate")) != NULL
               && field_parse_duration_node (ctx, at, "at", false, &rate->spike_at)
               && (len = field_require (ctx, v, "for", "rate")) != NULL
               && field_parse_duration_node (ctx, len, "for", false, &rate->spike_for);
      }
    case 4:
      {
        static const char *const keys[] = { "shape", "file", "format", "step", NULL };
        static const char *const formats[] = { "rates", "arrivals", NULL };
        if (!field_check_keys (ctx, v, keys, "a replayed rate"))
          return false;
        const YNode *file = field_require (ctx, v, "file", "rate");
        if (file == NULL || !field_expect_kind (ctx, file, YNODE_SCALAR, "file"))
          return false;
        if (file->value[0] == '\0')
          return field_fail_at (ctx, file, "file: the file name is empty");
        int format = 0;
        const YNode *format_node = ynode_map_get (v, "format");
        if (format_node != NULL && !field_check_choice (ctx, format_node, "format", formats, &format))
          return false;
        if (format == 1 && ynode_map_get (v, "step") != NULL)
          return field_fail_at (ctx, ynode_map_get (v, "step"),
                          "step: only a trace of rates (format: rates) has a step");
        if (!field_get_duration (ctx, v, "step", STRATUS_SECOND, false, &rate->trace_step))
          return false;
        if (rate->trace_step <= 0)
          return field_fail_at (ctx, ynode_map_get (v, "step"), "step: must be > 0");
        char *path = field_resolve_path (ctx, file->value);
        GArray *values = stratus_read_number_column (
          path, -1, format == 0 ? parse_rate_cell : parse_number_cell, NULL, ctx->error);
        g_free (path);
        if (values == NULL)
          return false;
        if (format == 0)
          {
            rate->shape = STRATUS_RATE_REPLAY_RATES;
            rate->trace_rates = values;
            return true;
          }
        rate->shape = STRATUS_RATE_REPLAY_ARRIVALS;
        rate->trace_arrivals = g_array_sized_new (FALSE, FALSE, sizeof (StratusTime), values->len);
        for (guint i = 0; i < values->len; i++)
          {
            double seconds = g_array_index (values, double, i);
            if (!(seconds * 1e9 <= (double) STRATUS_TIME_INPUT_MAX))
              {
                g_array_unref (values);
                return field_fail_at (ctx, file, "file: arrival timestamp %g s (value %u of the file) is too large: "
                                      "past the simulator's limit of 36525d (100 years)", seconds, i + 1);
              }
            StratusTime t = stratus_time_from_ns (seconds * 1e9);
            if (i > 0 && t < g_array_index (rate->trace_arrivals, StratusTime, i - 1))
              {
                g_array_unref (values);
                return field_fail_at (ctx, file, "file: arrival timestamps must not decrease (value %u of the file)",
                                i + 1);
              }
            g_array_append_val (rate->trace_arrivals, t);
          }
        g_array_unref (values);
        return true;
      }
    }
  g_assert_not_reached ();
}

/* ---- components ------------------------------------------------------------------- */

static void
load_balancer_free (StratusLoadBalancerConfig *lb)
{
  g_free (lb->name);
  g_free (lb->target_group);
  g_clear_pointer (&lb->subnets, g_ptr_array_unref);
  g_clear_pointer (&lb->security_groups, g_ptr_array_unref);
  g_free (lb);
}

static void
fleet_free (StratusFleetConfig *f)
{
  g_free (f->name);
  g_free (f->type);
  g_free (f->target_group);
  stratus_dist_clear (&f->service_time);
  g_clear_pointer (&f->subnets, g_ptr_array_unref);
  g_clear_pointer (&f->security_groups, g_ptr_array_unref);
  g_clear_pointer (&f->outbound, g_ptr_array_unref);
  g_free (f);
}

static void
workload_free (StratusWorkloadConfig *w)
{
  g_free (w->name);
  g_free (w->entry);
  g_clear_pointer (&w->rate.steps, g_array_unref);
  g_clear_pointer (&w->rate.trace_rates, g_array_unref);
  g_clear_pointer (&w->rate.trace_arrivals, g_array_unref);
  g_free (w);
}

static bool
parse_load_balancer (FieldCtx *ctx, const YNode *key, const YNode *v, StratusLoadBalancerConfig *lb)
{
  static const char *const keys[] = { "algorithm", "processing_time", "target_group", "scheme",
                                      "port", "subnets", "security_groups", NULL };
  static const char *const algorithms[] = { "round_robin", "least_outstanding_requests", NULL };
  static const char *const schemes[] = { "internet-facing", "internal", NULL };
  lb->name = g_strdup (key->value);
  lb->line = key->line;
  lb->column = key->column;
  lb->subnets = g_ptr_array_new_with_free_func (g_free);
  lb->security_groups = g_ptr_array_new_with_free_func (g_free);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a load balancer"))
    return false;
  int algorithm = 0;
  const YNode *a = ynode_map_get (v, "algorithm");
  if (a != NULL && !field_check_choice (ctx, a, "algorithm", algorithms, &algorithm))
    return false;
  lb->algorithm = (StratusAlgorithm) algorithm;
  int scheme = 0;
  const YNode *sc = ynode_map_get (v, "scheme");
  if (sc != NULL && !field_check_choice (ctx, sc, "scheme", schemes, &scheme))
    return false;
  lb->internal = scheme == 1;
  /* The required key is checked first: parsing processing_time after a failed require
   * would set a second error over the first. */
  return field_require (ctx, v, "target_group", key->value) != NULL
         && field_get_duration (ctx, v, "processing_time", 500 * STRATUS_US, false, &lb->processing_time)
         && field_get_string (ctx, v, "target_group", NULL, &lb->target_group)
         && vpc_get_port (ctx, v, "port", 80, &lb->port)
         && vpc_get_name_list (ctx, v, "subnets", lb->subnets)
         && vpc_get_name_list (ctx, v, "security_groups", lb->security_groups);
}

static bool
parse_fleet (FieldCtx *ctx, const YNode *key, const YNode *v, StratusFleetConfig *f,
             const OutboundNames *names)
{
  static const char *const keys[] = { "count", "type", "workers", "queue_limit", "service_time",
                                      "target_group", "port", "subnets", "security_groups",
                                      "public_ip", "outbound", NULL };
  f->name = g_strdup (key->value);
  f->line = key->line;
  f->column = key->column;
  f->subnets = g_ptr_array_new_with_free_func (g_free);
  f->security_groups = g_ptr_array_new_with_free_func (g_free);
  f->outbound = g_ptr_array_new_with_free_func ((GDestroyNotify) outbound_call_free);
  f->public_ip = -1;
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "an instance fleet"))
    return false;
  if (!field_get_int (ctx, v, "count", 1, 0, 100000, &f->count)
      || !field_get_string (ctx, v, "type", "c5.large", &f->type)
      || !field_get_string (ctx, v, "target_group", NULL, &f->target_group))
    return false;
  const StratusInstanceType *type = stratus_instance_type_find (f->type);
  if (type == NULL)
    {
      char *h = field_hint (f->type, stratus_instance_type_names ());
      field_fail_at (ctx, ynode_map_get (v, "type"), "type: unknown instance type '%s'%s", f->type, h);
      g_free (h);
      return false;
    }
  if (!field_get_int (ctx, v, "workers", type->vcpus, 1, 1000000, &f->workers)
      || !field_get_limit (ctx, v, "queue_limit", -1, &f->queue_limit))
    return false;
  const YNode *st = field_require (ctx, v, "service_time", key->value);
  if (st == NULL || !field_parse_dist (ctx, st, "service_time", &f->service_time)
      || !vpc_get_port (ctx, v, "port", 80, &f->port)
      || !vpc_get_name_list (ctx, v, "subnets", f->subnets)
      || !vpc_get_name_list (ctx, v, "security_groups", f->security_groups))
    return false;
  if (ynode_map_get (v, "public_ip") != NULL)
    {
      bool public_ip;
      if (!vpc_get_bool (ctx, v, "public_ip", false, &public_ip))
        return false;
      f->public_ip = public_ip ? 1 : 0;
    }
  return outbound_parse_calls (ctx, v, names, f->outbound);
}

/* A workload. Sums the model makes of its values cannot overflow: the deadline `sent +
 * timeout` is at most duration + timeout, and a spike's `at + for`, each at most
 * STRATUS_TIME_INPUT_MAX (100 years, checked by every duration field), so at most 200
 * years, inside the 292 of StratusTime; the model adds them with stratus_time_add anyway. */
static bool
parse_workload (FieldCtx *ctx, const YNode *key, const YNode *v, StratusWorkloadConfig *w)
{
  static const char *const keys[] = { "entry", "rate", "timeout", "request_size",
                                      "response_size", NULL };
  w->name = g_strdup (key->value);
  if (!field_check_name (ctx, key) || !field_expect_kind (ctx, v, YNODE_MAP, key->value)
      || !field_check_keys (ctx, v, keys, "a workload"))
    return false;
  const YNode *entry = field_require (ctx, v, "entry", key->value);
  const YNode *rate;
  return entry != NULL && field_get_string (ctx, v, "entry", NULL, &w->entry)
         && (rate = field_require (ctx, v, "rate", key->value)) != NULL
         && parse_rate_shape (ctx, rate, &w->rate)
         && field_get_duration (ctx, v, "timeout", 60 * STRATUS_SECOND, true, &w->timeout)
         && vpc_get_size (ctx, v, "request_size", 1024, &w->request_bytes)
         && vpc_get_size (ctx, v, "response_size", 16 * 1024, &w->response_bytes);
}

/* Adapters with the FieldParseFn signature (no function-pointer casts). */
static bool
parse_lb_any (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  (void) user_data;
  return parse_load_balancer (ctx, key, v, out);
}

static bool
parse_fleet_any (FieldCtx *ctx, const YNode *key, const YNode *v, void *out, void *user_data)
{
  return parse_fleet (ctx, key, v, out, user_data);
}

static bool
parse_workload_any (FieldCtx *ctx, const YNode *key, const YNode *v, void *out,
                    void *user_data)
{
  (void) user_data;
  return parse_workload (ctx, key, v, out);
}

static bool
check_references (FieldCtx *ctx, const YNode *root, StratusScenario *s)
{
  GPtrArray *groups = g_ptr_array_new ();
  for (guint i = 0; i < s->fleets->len; i++)
    {
      StratusFleetConfig *f = g_ptr_array_index (s->fleets, i);
      if (f->target_group != NULL)
        g_ptr_array_add (groups, f->target_group);
    }
  g_ptr_array_add (groups, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < s->load_balancers->len; i++)
    {
      StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      if (!g_strv_contains ((const char *const *) groups->pdata, lb->target_group))
        {
          const YNode *node = ynode_map_get (ynode_item (ynode_map_get (root, "load_balancers"), i),
                                             "target_group");
          char *h = field_hint (lb->target_group, (const char *const *) groups->pdata);
          ok = field_fail_at (ctx, node,
                        "target_group: unknown target group '%s' (no instances are registered "
                        "in it)%s", lb->target_group, h);
          g_free (h);
        }
    }
  g_ptr_array_unref (groups);
  if (ok)
    outbound_link (s);

  GPtrArray *lbs = g_ptr_array_new ();
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (lbs, ((StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, i))->name);
  g_ptr_array_add (lbs, NULL);
  for (guint i = 0; ok && i < s->workloads->len; i++)
    {
      StratusWorkloadConfig *w = g_ptr_array_index (s->workloads, i);
      if (!g_strv_contains ((const char *const *) lbs->pdata, w->entry))
        {
          const YNode *node = ynode_map_get (ynode_item (ynode_map_get (root, "workload"), i),
                                             "entry");
          char *h = field_hint (w->entry, (const char *const *) lbs->pdata);
          ok = field_fail_at (ctx, node, "entry: unknown load balancer '%s'%s", w->entry, h);
          g_free (h);
        }
    }
  g_ptr_array_unref (lbs);
  if (ok && s->workloads->len == 0)
    ok = field_fail_at (ctx, root, "the scenario has no workload: add a 'workload' section");
  return ok;
}

static bool
parse_azs (FieldCtx *ctx, const YNode *root, StratusScenario *s)
{
  const YNode *azs = field_require (ctx, root, "azs", "scenario");
  if (azs == NULL || !field_expect_kind (ctx, azs, YNODE_SEQ, "azs"))
    return false;
  if (ynode_length (azs) == 0)
    return field_fail_at (ctx, azs, "azs: needs at least one Availability Zone");
  for (guint i = 0; i < ynode_length (azs); i++)
    {
      const YNode *az = ynode_item (azs, i);
      if (!field_expect_kind (ctx, az, YNODE_SCALAR, "azs"))
        return false;
      if (g_strv_contains ((const char *const *) s->azs->pdata, az->value))
        return field_fail_at (ctx, az, "azs: '%s' is listed twice", az->value);
      if (!g_str_has_prefix (az->value, s->region) || strlen (az->value) == strlen (s->region))
        return field_fail_at (ctx, az, "azs: '%s' is not an Availability Zone of region %s (e.g. %sa)",
                        az->value, s->region, s->region);
      g_ptr_array_insert (s->azs, (gint) s->azs->len - 1, g_strdup (az->value));
    }
  return true;
}

/* At most this many report intervals (time-series rows) per replication. */
#define MAX_REPORT_INTERVALS 1000000

/* The `report` section: the interval, by default max(1m, duration / MAX_REPORT_INTERVALS
 * rounded up to a whole second); an explicit one below duration / MAX_REPORT_INTERVALS
 * (rounded up to a nanosecond) is refused. Needs s->duration. */
static bool
parse_report (FieldCtx *ctx, const YNode *root, StratusScenario *s)
{
  StratusTime min_interval = (s->duration + MAX_REPORT_INTERVALS - 1) / MAX_REPORT_INTERVALS;
  StratusTime by_duration = (min_interval + STRATUS_SECOND - 1) / STRATUS_SECOND * STRATUS_SECOND;
  s->report_interval = by_duration > STRATUS_MINUTE ? by_duration : STRATUS_MINUTE;
  const YNode *report = ynode_map_get (root, "report");
  if (report == NULL)
    return true;
  static const char *const keys[] = { "interval", NULL };
  if (!field_expect_kind (ctx, report, YNODE_MAP, "report")
      || !field_check_keys (ctx, report, keys, "report")
      || !field_get_duration (ctx, report, "interval", s->report_interval, false,
                              &s->report_interval))
    return false;
  const YNode *node = ynode_map_get (report, "interval");
  if (s->report_interval <= 0)
    return field_fail_at (ctx, node, "interval: must be > 0");
  if (s->report_interval < min_interval)
    {
      StratusTime rows = s->duration / s->report_interval
                         + (s->duration % s->report_interval != 0);
      char *f = stratus_format_duration (min_interval);
      field_fail_at (ctx, node,
                     "interval: '%s' would give %" G_GINT64_FORMAT " rows per replication, more "
                     "than %d: at this duration the interval must be at least %s",
                     node->value, rows, MAX_REPORT_INTERVALS, f);
      g_free (f);
      return false;
    }
  return true;
}

static const char *const top_keys[] = { "name", "duration", "warmup", "seed", "region", "azs",
                                        "latency", "load_balancers", "instances", "workload",
                                        "report", "vpc", NULL };

static bool
parse_root (FieldCtx *ctx, const YNode *root, StratusScenario *s)
{
  if (!field_expect_kind (ctx, root, YNODE_MAP, "scenario") || !field_check_keys (ctx, root, top_keys, "the scenario"))
    return false;
  char *base = g_path_get_basename (s->path);
  char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  bool ok = field_get_string (ctx, root, "name", base, &s->name);
  g_free (base);
  if (!ok)
    return false;
  const YNode *duration = field_require (ctx, root, "duration", "scenario");
  if (duration == NULL || !field_parse_duration_node (ctx, duration, "duration", false, &s->duration))
    return false;
  if (s->duration <= 0)
    return field_fail_at (ctx, duration, "duration: must be > 0");
  if (!field_get_duration (ctx, root, "warmup", 0, false, &s->warmup))
    return false;
  if (s->warmup >= s->duration)
    return field_fail_at (ctx, ynode_map_get (root, "warmup"), "warmup: must be shorter than duration");
  const YNode *seed = ynode_map_get (root, "seed");
  int64_t seed_value = 1;
  if (seed != NULL && !field_parse_int64_node (ctx, seed, "seed", 0, G_MAXINT64, &seed_value))
    return false;
  s->seed = (uint64_t) seed_value;
  if (!field_get_string (ctx, root, "region", "us-east-1", &s->region) || !parse_azs (ctx, root, s))
    return false;

  const YNode *latency = ynode_map_get (root, "latency");
  s->latency.same_az = 100 * STRATUS_US;
  s->latency.cross_az = 600 * STRATUS_US;
  s->latency.internet = 15 * STRATUS_MS;
  if (latency != NULL)
    {
      static const char *const keys[] = { "same_az", "cross_az", "internet", NULL };
      if (!field_expect_kind (ctx, latency, YNODE_MAP, "latency")
          || !field_check_keys (ctx, latency, keys, "latency")
          || !field_get_duration (ctx, latency, "same_az", s->latency.same_az, false, &s->latency.same_az)
          || !field_get_duration (ctx, latency, "cross_az", s->latency.cross_az, false,
                            &s->latency.cross_az)
          || !field_get_duration (ctx, latency, "internet", s->latency.internet, false,
                            &s->latency.internet))
        return false;
    }

  if (!parse_report (ctx, root, s))
    return false;

  if (!vpc_parse (ctx, root, (const char *const *) s->azs->pdata, &s->vpc))
    return false;

  if (!field_parse_named (ctx, root, "load_balancers", sizeof (StratusLoadBalancerConfig),
                          parse_lb_any, NULL, s->load_balancers))
    return false;
  GPtrArray *lb_names = g_ptr_array_new ();
  for (guint i = 0; i < s->load_balancers->len; i++)
    g_ptr_array_add (lb_names, ((StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, i))->name);
  g_ptr_array_add (lb_names, NULL);
  GPtrArray *fleet_names = g_ptr_array_new ();
  const YNode *instances = ynode_map_get (root, "instances");
  for (guint i = 0; instances != NULL && instances->kind == YNODE_MAP && i < ynode_length (instances); i++)
    g_ptr_array_add (fleet_names, ynode_map_key (instances, i)->value);
  g_ptr_array_add (fleet_names, NULL);
  OutboundNames names = { (const char *const *) lb_names->pdata,
                          (const char *const *) fleet_names->pdata };
  bool fleets_ok = field_parse_named (ctx, root, "instances", sizeof (StratusFleetConfig),
                                      parse_fleet_any, &names, s->fleets);
  g_ptr_array_unref (lb_names);
  g_ptr_array_unref (fleet_names);
  return fleets_ok
         && field_parse_named (ctx, root, "workload", sizeof (StratusWorkloadConfig), parse_workload_any,
                         NULL, s->workloads)
         && check_references (ctx, root, s)
         && vpc_check_components (ctx, root, s)
         && outbound_check_cycles (ctx, instances, s);
}

static StratusScenario *
scenario_new (const char *path)
{
  StratusScenario *s = g_new0 (StratusScenario, 1);
  s->path = g_strdup (path);
  s->azs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (s->azs, NULL); /* kept NULL-terminated for g_strv_contains */
  s->load_balancers = g_ptr_array_new_with_free_func ((GDestroyNotify) load_balancer_free);
  s->fleets = g_ptr_array_new_with_free_func ((GDestroyNotify) fleet_free);
  s->workloads = g_ptr_array_new_with_free_func ((GDestroyNotify) workload_free);
  s->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->position_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return s;
}

/* Keeps an error message on one line: names and values quoted in it may hold line breaks
 * (a quoted "a\nb", a block scalar, an override, a file name), shown escaped instead. */
static void
make_one_line (GError **error)
{
  if (error == NULL || *error == NULL)
    return;
  const char *m = (*error)->message;
  const char *p = m;
  while (*p != '\0' && (guchar) *p >= 0x20 && *p != 0x7f)
    p++;
  if (*p == '\0')
    return;
  GString *out = g_string_new_len (m, p - m);
  for (; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        g_string_append (out, "\\r");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_free ((*error)->message);
  (*error)->message = g_string_free (out, FALSE);
}

/* Records where every value of the tree under `prefix` was written. */
static void
index_positions (StratusScenario *s, GHashTable *files, const YNode *node, GString *prefix)
{
  const char *file = g_hash_table_lookup (files, node->file);
  if (file == NULL)
    {
      char *copy = g_strdup (node->file);
      g_hash_table_insert (files, copy, copy);
      file = copy;
    }
  StratusSourcePosition *pos = g_new (StratusSourcePosition, 1);
  *pos = (StratusSourcePosition){ file, node->line, node->column };
  g_hash_table_replace (s->positions, g_strdup (prefix->str), pos);
  gsize len = prefix->len;
  for (guint i = 0; i < ynode_length (node); i++)
    {
      if (len > 0)
        g_string_append_c (prefix, '.');
      if (node->kind == YNODE_MAP)
        g_string_append (prefix, ynode_map_key (node, i)->value);
      else
        g_string_append_printf (prefix, "%u", i);
      index_positions (s, files, ynode_item (node, i), prefix);
      g_string_truncate (prefix, len);
    }
}

static StratusScenario *
build (YNode *root, const char *path, const char *base_dir, const char *const *overrides,
       GError **error)
{
  if (root == NULL)
    {
      make_one_line (error);
      return NULL;
    }
  for (int i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (!ynode_apply_override (root, overrides[i], error))
      {
        ynode_free (root);
        make_one_line (error);
        return NULL;
      }
  StratusScenario *s = scenario_new (path);
  GString *prefix = g_string_new (NULL);
  index_positions (s, s->position_files, root, prefix);
  g_string_free (prefix, TRUE);
  FieldCtx ctx = { .base_dir = g_strdup (base_dir), .error = error };
  bool ok = parse_root (&ctx, root, s);
  g_free (ctx.base_dir);
  ynode_free (root);
  if (!ok)
    {
      stratus_scenario_free (s);
      make_one_line (error);
      return NULL;
    }
  g_ptr_array_remove_index (s->azs, s->azs->len - 1); /* drop the NULL terminator */
  return s;
}

StratusScenario *
stratus_scenario_load (const char *path, const char *const *overrides, GError **error)
{
  char *dir = g_path_get_dirname (path);
  StratusScenario *s = build (ynode_load_file (path, error), path, dir, overrides, error);
  g_free (dir);
  return s;
}

StratusScenario *
stratus_scenario_load_string (const char *text, const char *display_name,
                              const char *const *overrides, GError **error)
{
  return build (ynode_load_string (text, -1, display_name, 0, 0, error), display_name, NULL,
                overrides, error);
}

void
stratus_scenario_free (StratusScenario *s)
{
  if (s == NULL)
    return;
  g_free (s->path);
  g_free (s->name);
  g_free (s->region);
  g_ptr_array_unref (s->azs);
  g_ptr_array_unref (s->load_balancers);
  g_ptr_array_unref (s->fleets);
  g_ptr_array_unref (s->workloads);
  vpc_config_free (s->vpc);
  g_hash_table_unref (s->positions);
  g_hash_table_unref (s->position_files);
  g_free (s);
}

const StratusSourcePosition *
stratus_scenario_position (const StratusScenario *s, const char *path)
{
  return g_hash_table_lookup (s->positions, path);
}

const StratusLoadBalancerConfig *
stratus_scenario_find_load_balancer (const StratusScenario *s, const char *name)
{
  for (guint i = 0; i < s->load_balancers->len; i++)
    {
      const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, i);
      if (strcmp (lb->name, name) == 0)
        return lb;
    }
  return NULL;
}

int
stratus_scenario_instance_count (const StratusScenario *s)
{
  int n = 0;
  for (guint i = 0; i < s->fleets->len; i++)
    n += ((const StratusFleetConfig *) g_ptr_array_index (s->fleets, i))->count;
  return n;
}
