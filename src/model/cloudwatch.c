/* CloudWatch as Auto Scaling sees it: a sampler per group that, every tick (the shortest
 * period of the group's policies), measures its instances in service and past their
 * warm-up (CPU: busy vCPU time over vCPU time; memory: footprint over the type's memory;
 * requests the load balancers routed to it per target in service), and per policy a
 * datapoint at the end of each period: the mean of its ticks (percentages) or their sum
 * per minute (request counts). Decisions are taken on datapoints, never on instantaneous values.
 * A datapoint reaches the policy's alarms as its period closes, or after the policy's
 * publication delay (CloudWatch's lag). */
#include "autoscaling.h"

#include <math.h>

#include "stratus/instance_types.h"

const char *
cloudwatch_metric_name (StratusScalingMetric metric)
{
  switch (metric)
    {
    case STRATUS_METRIC_CPU:
      return "CPUUtilization";
    case STRATUS_METRIC_MEMORY:
      return "MemoryUtilization";
    case STRATUS_METRIC_REQUEST_COUNT_PER_TARGET:
    default:
      return "RequestCountPerTarget";
    }
}

bool
alarm_push (Alarm *a, bool breach)
{
  a->breached[a->head] = breach;
  a->head = (a->head + 1) % ALARM_MAX_PERIODS;
  if (a->seen < ALARM_MAX_PERIODS)
    a->seen++;
  a->in_alarm = alarm_breaches (a) >= a->shape->datapoints;
  return a->in_alarm;
}

int
alarm_breaches (const Alarm *a)
{
  int n = MIN (MIN (a->shape->evaluation_periods, a->seen), ALARM_MAX_PERIODS), count = 0;
  for (int k = 1; k <= n; k++)
    count += a->breached[(a->head - k + ALARM_MAX_PERIODS) % ALARM_MAX_PERIODS];
  return count;
}

/* One tick's measures of a group. */
typedef struct
{
  double cpu, memory;      /* percent, mean over counted instances; NAN when none */
  double requests;         /* routed in the tick per target in service; NAN when none */
  int counted;             /* instances in the CPU and memory means */
  int in_service;          /* targets the request count is shared by */
} TickMeasures;

/* Measures the group over the tick ending now, and moves every member's marks. */
static TickMeasures
measure (World *w, Group *g, StratusTime now)
{
  double cpu = 0, memory = 0;
  uint64_t routed = 0;
  int counted = 0;
  for (guint i = 0; i < g->members->len; i++)
    {
      Instance *inst = g_ptr_array_index (g->members, i);
      double cpu_area = stratus_time_average_area (&inst->cpu_busy, now);
      double jobs_area = stratus_time_average_area (&inst->jobs_avg, now);
      StratusTime span = now - inst->cw_mark_at;
      routed += inst->routed - inst->cw_mark_routed;
      if (group_counts (g, inst, now) && span > 0)
        {
          counted++;
          cpu += (cpu_area - inst->cw_cpu_mark) / ((double) span * inst->vcpus);
          const StratusInstanceType *type = stratus_instance_type_find (inst->fleet->type);
          if (inst->fleet->memory.enabled && type != NULL)
            memory += instance_memory_mib (inst, (jobs_area - inst->cw_jobs_mark) / (double) span)
                      / (type->memory_gib * 1024.0);
        }
      inst->cw_cpu_mark = cpu_area;
      inst->cw_jobs_mark = jobs_area;
      inst->cw_mark_routed = inst->routed;
      inst->cw_mark_at = now;
    }
  TickMeasures m = { NAN, NAN, NAN, counted, g->in_service };
  if (counted > 0)
    {
      m.cpu = 100.0 * cpu / counted;
      m.memory = 100.0 * memory / counted;
    }
  if (g->in_service > 0)
    m.requests = (double) routed / g->in_service;
  return m;
}

/* The oldest datapoint in transit of a policy reaches its alarm. */
static void
on_published (StratusSim *sim, void *target, uint64_t arg)
{
  Policy *p = target;
  unsigned slot = p->transit_head;
  p->transit_head = (p->transit_head + 1) % G_N_ELEMENTS (p->in_transit);
  p->transit_len--;
  policy_on_datapoint (world_of (sim), p, p->in_transit[slot].value, p->in_transit[slot].counted);
}

/* Adds a tick to policy `p`'s period; at the period's end, its datapoint is published. */
static void
accumulate (World *w, Policy *p, const TickMeasures *m)
{
  MetricAccumulator *acc = &p->acc;
  double v = acc->metric == STRATUS_METRIC_CPU      ? m->cpu
             : acc->metric == STRATUS_METRIC_MEMORY ? m->memory
                                                    : m->requests;
  if (!isnan (v))
    {
      acc->sum += v;
      acc->counted++;
    }
  if (++acc->ticks < acc->ticks_per_period)
    return;
  /* Request counts per target are per minute, whatever the period. */
  bool count = acc->metric == STRATUS_METRIC_REQUEST_COUNT_PER_TARGET;
  double value = count ? acc->sum * (double) STRATUS_MINUTE / (double) acc->period
                       : (acc->counted > 0 ? acc->sum / acc->counted : NAN);
  int instances = count ? m->in_service : m->counted;
  bool missing = acc->counted == 0;
  acc->ticks = 0;
  acc->sum = 0;
  acc->counted = 0;
  if (missing)
    return;
  if (p->config->publication_delay == 0)
    {
      policy_on_datapoint (w, p, value, instances);
      return;
    }
  /* Published after the delay: the datapoints in transit arrive in order. */
  if (p->transit_len == G_N_ELEMENTS (p->in_transit))
    return; /* cannot happen: the delay is at most 10 min, a period at least 10 s */
  unsigned slot = (p->transit_head + p->transit_len++) % G_N_ELEMENTS (p->in_transit);
  p->in_transit[slot].value = value;
  p->in_transit[slot].counted = instances;
  stratus_sim_schedule_timer_at (w->sim, stratus_sim_now (w->sim) + p->config->publication_delay,
                                 on_published, p, 0);
}

/* The group's sampler tick. */
static void
on_tick (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Group *g = target;
  StratusTime now = stratus_sim_now (sim);
  TickMeasures m = measure (w, g, now);
  for (unsigned k = 0; k < g->n_policies; k++)
    accumulate (w, &g->policies[k], &m);
  if (stratus_time_add (now, g->tick) <= w->scenario->duration)
    stratus_sim_schedule_timer_at (sim, now + g->tick, on_tick, g, 0);
}

void
cloudwatch_start (World *w, Group *g)
{
  GPtrArray *configs = g->config->policies;
  g->n_policies = configs != NULL ? configs->len : 0;
  g->policies = g_new0 (Policy, MAX (g->n_policies, 1));
  g->tick = 0;
  for (unsigned k = 0; k < g->n_policies; k++)
    {
      const StratusScalingPolicyConfig *c = g_ptr_array_index (configs, k);
      StratusTime period = c->type == STRATUS_POLICY_TARGET_TRACKING ? c->out.period : c->alarm.period;
      g->tick = g->tick == 0 ? period : MIN (g->tick, period);
    }
  for (unsigned k = 0; k < g->n_policies; k++)
    {
      Policy *p = &g->policies[k];
      p->config = g_ptr_array_index (configs, k);
      p->group = g;
      bool tracking = p->config->type == STRATUS_POLICY_TARGET_TRACKING;
      p->acc.metric = p->config->metric;
      p->acc.period = tracking ? p->config->out.period : p->config->alarm.period;
      p->acc.ticks_per_period = (int) MAX (1, p->acc.period / g->tick);
      p->out.shape = tracking ? &p->config->out : &p->config->alarm;
      p->in.shape = &p->config->in;
    }
  if (g->n_policies > 0 && g->tick > 0)
    stratus_sim_schedule_timer_at (w->sim, g->tick, on_tick, g, 0);
}
