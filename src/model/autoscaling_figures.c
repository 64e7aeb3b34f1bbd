/* What the groups report: per report interval a row per group (min, max, desired, in
 * service, pending, CPU and memory of the instances counted) and per AZ; over the run the
 * mean and peak in service, time under-provisioned (fewer in service than desired) and
 * instance-hours. */
#include "autoscaling.h"

#include <math.h>

#include "stratus/instance_types.h"

void
autoscaling_open_window (World *w, StratusTime now)
{
  for (guint i = 0; w->groups != NULL && i < w->groups->len; i++)
    {
      Group *g = g_ptr_array_index (w->groups, i);
      stratus_time_average_set (&g->in_service_avg, now, g->in_service);
      stratus_time_average_reset (&g->in_service_avg, now);
      g->peak = g->in_service;
      if (g->under_since != STRATUS_TIME_NEVER)
        g->under_since = now;
    }
}

/* The CPU and memory (percent) of a member over [its row mark, now], and moves the mark. */
static void
member_row (Instance *inst, StratusTime now, double *cpu, double *memory)
{
  double cpu_area = stratus_time_average_area (&inst->cpu_busy, now);
  double jobs_area = stratus_time_average_area (&inst->jobs_avg, now);
  StratusTime span = now - inst->row_mark_at;
  *cpu = *memory = NAN;
  if (span > 0)
    {
      *cpu = 100.0 * (cpu_area - inst->row_cpu_mark) / ((double) span * inst->vcpus);
      const StratusInstanceType *type = stratus_instance_type_find (inst->fleet->type);
      if (inst->fleet->memory.enabled && type != NULL)
        *memory = 100.0
                  * instance_memory_mib (inst, (jobs_area - inst->row_jobs_mark) / (double) span)
                  / (type->memory_gib * 1024.0);
    }
  inst->row_cpu_mark = cpu_area;
  inst->row_jobs_mark = jobs_area;
  inst->row_mark_at = now;
}

/* The rows of group `g` for the interval that started at `start` and ends now. */
static void
group_rows (World *w, Group *g, StratusTime start, StratusTime now)
{
  StratusRunResult *r = w->collector.result;
  unsigned n_azs = w->scenario->azs->len;
  int *in_service = g_new0 (int, n_azs), *pending = g_new0 (int, n_azs);
  double cpu = 0, memory = 0;
  int counted = 0, with_memory = 0;
  for (guint i = 0; i < g->members->len; i++)
    {
      Instance *inst = g_ptr_array_index (g->members, i);
      double c, m;
      member_row (inst, now, &c, &m);
      if (inst->leaving)
        continue;
      if (inst->counted_in_service)
        in_service[inst->where.az]++;
      else
        pending[inst->where.az]++;
      if (group_counts (g, inst, now) && !isnan (c))
        {
          cpu += c;
          counted++;
          if (!isnan (m))
            {
              memory += m;
              with_memory++;
            }
        }
    }
  StratusGroupRow row = { .start = start, .group = g->index, .min = g->min, .max = g->max,
                          .desired = g->desired, .cpu = counted ? cpu / counted : NAN,
                          .memory = with_memory ? memory / with_memory : NAN };
  for (unsigned a = 0; a < n_azs; a++)
    {
      row.in_service += in_service[a];
      row.pending += pending[a];
    }
  stratus_record_log_append (r->group_rows, &row);
  for (unsigned a = 0; a < n_azs; a++)
    {
      StratusGroupAzRow az_row = { start, g->index, a, in_service[a], pending[a] };
      stratus_record_log_append (r->group_az_rows, &az_row);
    }
  g_free (in_service);
  g_free (pending);
}

void
autoscaling_close_row (World *w, StratusTime start, StratusTime now)
{
  for (guint i = 0; w->groups != NULL && i < w->groups->len; i++)
    group_rows (w, g_ptr_array_index (w->groups, i), start, now);
}

/* The first target-tracking policy of `g`, or NULL. */
static const StratusScalingPolicyConfig *
first_tracking (const Group *g)
{
  for (guint k = 0; g->config->policies != NULL && k < g->config->policies->len; k++)
    {
      const StratusScalingPolicyConfig *c = g_ptr_array_index (g->config->policies, k);
      if (c->type == STRATUS_POLICY_TARGET_TRACKING)
        return c;
    }
  return NULL;
}

void
autoscaling_fill_results (World *w, StratusRunResult *result, StratusTime end)
{
  for (guint i = 0; w->groups != NULL && i < w->groups->len; i++)
    {
      Group *g = g_ptr_array_index (w->groups, i);
      /* Close the books at the end: a last account with no change. */
      stratus_time_average_set (&g->in_service_avg, end, g->in_service);
      if (g->under_since != STRATUS_TIME_NEVER && w->collector.window_open
          && end > MAX (g->under_since, w->scenario->warmup))
        g->under_total += end - MAX (g->under_since, w->scenario->warmup);
      const StratusFleetConfig *fleet = g_ptr_array_index (w->scenario->fleets, g->fleet);
      const StratusScalingPolicyConfig *tracking = first_tracking (g);
      StratusGroupResult gr = g->result;
      gr.name = g_strdup (g->config->name);
      gr.instance_type = g_strdup (fleet->type);
      gr.metric = tracking ? g_strdup (cloudwatch_metric_name (tracking->metric)) : NULL;
      gr.target = tracking ? tracking->target : NAN;
      gr.min = g->config->min;
      gr.max = g->config->max;
      gr.desired_start = g->config->desired;
      gr.desired_end = g->desired;
      gr.mean_in_service = stratus_time_average_mean (&g->in_service_avg, end);
      gr.peak_in_service = g->peak;
      gr.under_provisioned = g->under_total;
      for (guint k = 0; k < result->instances->len; k++)
        {
          const StratusInstanceResult *ir = &g_array_index (result->instances,
                                                            StratusInstanceResult, k);
          if (ir->group == (int) i)
            gr.instance_hours += stratus_time_seconds (ir->billed) / 3600.0;
        }
      g_array_append_val (result->groups, gr);
    }
}
