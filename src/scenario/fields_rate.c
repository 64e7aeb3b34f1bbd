/* Rates of workloads: a constant, or a shape (constant, steps, diurnal, spike, replay of
 * a CSV trace of rates or arrival timestamps). */
#include <math.h>
#include <string.h>

#include "fields.h"
#include "number_file.h"
#include "stratus/units.h"

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

/* A replayed rate (shape: replay): a CSV trace of rates per `step` (format: rates, the
 * default) or of arrival timestamps in seconds (format: arrivals), read from `file`. */
static bool
parse_replay (FieldCtx *ctx, const YNode *v, StratusRateConfig *rate)
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

bool
field_parse_rate (FieldCtx *ctx, const YNode *v, StratusRateConfig *rate)
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
      return parse_replay (ctx, v, rate);
    }
  g_assert_not_reached ();
}
