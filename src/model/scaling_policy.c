/* Scaling policies on their datapoints, and scheduled actions.
 *  - Target tracking: a high alarm (M of N datapoints above the target) scales out to
 *    ceil(instances counted x metric / target) when that is more than desired; a low
 *    alarm (M of N below) scales in to the same formula, only when every target-tracking
 *    policy of the group agrees (the largest of their proposals wins) and no instance is
 *    pending or warming. Rounding up is conservative both ways (1.5 more -> 2 more, 1.5
 *    fewer -> 1 fewer). Cooldowns do not apply.
 *  - Step scaling: while its alarm is in alarm, each datapoint applies the step whose
 *    bounds hold metric - threshold.
 *  - Simple scaling: its alarm applies the adjustment, then nothing more until the
 *    cooldown (from the decision) is over.
 *  - Scheduled actions set min / max / desired at a time or on a cron schedule (UTC). */
#include "autoscaling.h"
#include "fault_detection.h"

#include <math.h>

/* Records an alarm's change of state. */
static void
note_alarm (World *w, Policy *p, const char *which, bool was, bool now_in, double value)
{
  if (was == now_in)
    return;
  if (now_in)
    fault_detection_note (w, NOTICE_ALARM, (FaultScope){ -1, (int) p->group->fleet, -1 },
                          "CloudWatch alarm: %s's %s alarm in ALARM", p->config->name, which);
  timeline_group (w, STRATUS_EVENT_ALARM, p->group, p->config->name, -1, -1, value,
                  "%s alarm %s -> %s", which, was ? "ALARM" : "OK",
                  now_in ? "ALARM" : "OK");
}

/* Why a policy acts: "CPUUtilization 81.2 > 50.0 (3 of 3 datapoints)". */
static char *
why (const Policy *p, const Alarm *a, double value, const char *op, double threshold)
{
  return g_strdup_printf ("%s %.1f %s %.1f (%d of %d datapoints)",
                          cloudwatch_metric_name (p->config->metric), value, op, threshold,
                          alarm_breaches (a), a->shape->evaluation_periods);
}

/* Scale-in by target tracking when every such policy of the group agrees. */
static void
tracking_scale_in (World *w, Group *g, Policy *asking, double value)
{
  int proposal = -1;
  for (unsigned k = 0; k < g->n_policies; k++)
    {
      Policy *p = &g->policies[k];
      if (p->config->type != STRATUS_POLICY_TARGET_TRACKING || p->config->disable_scale_in)
        continue;
      if (!p->in.in_alarm)
        return;
      proposal = MAX (proposal, p->proposed);
    }
  if (proposal < 0 || proposal >= g->desired || group_has_unready (g, stratus_sim_now (w->sim)))
    return;
  char *reason = why (asking, &asking->in, value, "<", asking->config->target);
  group_set_desired (w, g, proposal, asking->config->name, value, reason);
  g_free (reason);
}

/* A target-tracking datapoint. */
static void
tracking (World *w, Policy *p, double value, int counted)
{
  Group *g = p->group;
  double target = p->config->target;
  bool was_out = p->out.in_alarm, was_in = p->in.in_alarm;
  alarm_push (&p->out, value > target);
  alarm_push (&p->in, value < target);
  note_alarm (w, p, "high", was_out, p->out.in_alarm, value);
  note_alarm (w, p, "low", was_in, p->in.in_alarm, value);
  /* A tiny tolerance keeps 2.0000001 from rounding to 3. */
  p->proposed = (int) ceil (counted * value / target - 1e-9);
  if (p->out.in_alarm && p->proposed > g->desired)
    {
      char *reason = why (p, &p->out, value, ">", target);
      group_set_desired (w, g, p->proposed, p->config->name, value, reason);
      g_free (reason);
    }
  else if (p->in.in_alarm && !p->config->disable_scale_in)
    tracking_scale_in (w, g, p, value);
}

/* The capacity an adjustment asks for from `current`. */
static int
adjusted (const StratusScalingPolicyConfig *c, int current, int adjustment)
{
  switch (c->adjustment_type)
    {
    case STRATUS_ADJUST_EXACT_CAPACITY:
      return adjustment;
    case STRATUS_ADJUST_PERCENT_CHANGE_IN_CAPACITY:
      {
        /* AWS's rounding: (0, 1) -> 1, above 1 down; (-1, 0) -> -1, below -1 up. */
        double change = current * adjustment / 100.0;
        int delta = change > 0 ? (change < 1 ? 1 : (int) floor (change))
                               : (change > -1 ? (change < 0 ? -1 : 0) : (int) ceil (change));
        if (delta != 0 && abs (delta) < c->min_adjustment_magnitude)
          delta = delta > 0 ? c->min_adjustment_magnitude : -c->min_adjustment_magnitude;
        return current + delta;
      }
    case STRATUS_ADJUST_CHANGE_IN_CAPACITY:
    default:
      return current + adjustment;
    }
}

/* A step or simple scaling datapoint. */
static void
alarmed (World *w, Policy *p, double value)
{
  Group *g = p->group;
  const StratusScalingPolicyConfig *c = p->config;
  bool breach = c->above ? value >= c->threshold : value <= c->threshold;
  bool was = p->out.in_alarm;
  alarm_push (&p->out, breach);
  note_alarm (w, p, c->above ? "high" : "low", was, p->out.in_alarm, value);
  if (!p->out.in_alarm)
    return;
  StratusTime now = stratus_sim_now (w->sim);
  int adjustment = c->adjustment;
  if (c->type == STRATUS_POLICY_SIMPLE)
    {
      if (now < g->cooldown_until)
        return;
    }
  else
    {
      double over = value - c->threshold;
      bool found = false;
      for (guint k = 0; c->steps != NULL && k < c->steps->len && !found; k++)
        {
          const StratusScalingStep *st = &g_array_index (c->steps, StratusScalingStep, k);
          /* [lower, upper) above the threshold, (lower, upper] below it, as AWS. */
          if (c->above ? over >= st->lower && over < st->upper
                       : over > st->lower && over <= st->upper)
            {
              adjustment = st->adjustment;
              found = true;
            }
        }
      if (!found)
        return;
    }
  char *reason = why (p, &p->out, value, c->above ? ">=" : "<=", c->threshold);
  int before = g->desired;
  group_set_desired (w, g, adjusted (c, g->desired, adjustment), c->name, value, reason);
  g_free (reason);
  if (c->type == STRATUS_POLICY_SIMPLE && g->desired != before)
    g->cooldown_until = stratus_time_add (now, c->cooldown);
}

void
policy_on_datapoint (World *w, Policy *p, double value, int counted)
{
  if (p->config->type == STRATUS_POLICY_TARGET_TRACKING)
    tracking (w, p, value, counted);
  else
    alarmed (w, p, value);
}

/* ---- scheduled actions ---------------------------------------------------------------- */

typedef struct
{
  Group *group;
  const StratusScheduledActionConfig *config;
} ScheduledAction;

/* Schedules the action's next firing after `after`, if any within the run. */
static void arm_action (World *w, ScheduledAction *a, StratusTime after);

/* A scheduled action fires: min, max and desired as it says (desired kept within them). */
static void
on_scheduled (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  ScheduledAction *a = target;
  Group *g = a->group;
  const StratusScheduledActionConfig *c = a->config;
  int from = g->desired;
  if (c->min >= 0)
    g->min = c->min;
  if (c->max >= 0)
    g->max = c->max;
  g->max = MAX (g->max, g->min);
  int desired = c->desired >= 0 ? c->desired : g->desired;
  int to = CLAMP (desired, g->min, g->max);
  timeline_group (w, STRATUS_EVENT_SCHEDULED, g, c->name, from, to, NAN,
                  "min %d, max %d", g->min, g->max);
  group_set_desired (w, g, to, c->name, NAN, NULL);
  if (c->recurring)
    arm_action (w, a, stratus_sim_now (sim) + STRATUS_SECOND);
}

static void
arm_action (World *w, ScheduledAction *a, StratusTime after)
{
  StratusTime at = a->config->recurring ? stratus_cron_next (&a->config->recurrence, after)
                                        : a->config->at;
  if (at != STRATUS_TIME_NEVER && at >= after && at <= w->scenario->duration)
    stratus_sim_schedule_timer_at (w->sim, at, on_scheduled, a, 0);
}

void
scheduled_actions_start (World *w, Group *g)
{
  GPtrArray *configs = g->config->scheduled_actions;
  g->n_actions = configs != NULL ? configs->len : 0;
  g->actions = g_new0 (ScheduledAction, MAX (g->n_actions, 1));
  for (unsigned k = 0; k < g->n_actions; k++)
    {
      ScheduledAction *a = &((ScheduledAction *) g->actions)[k];
      a->group = g;
      a->config = g_ptr_array_index (configs, k);
      arm_action (w, a, 0);
    }
}
