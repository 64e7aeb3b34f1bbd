/* Auto Scaling groups: the desired capacity within [min, max], launches into the AZ with
 * the fewest instances, scale-in that keeps the AZs balanced and follows the termination
 * policy, replacement of instances the load balancer marks unhealthy (ELB health checks,
 * after the grace period), and the group's figures (in service over time, time
 * under-provisioned), launches that skip impaired AZs and AZ rebalancing once they
 * recover. A group's initial instances are running and registered at time 0: the run
 * starts from a group in its steady state. */
#include "autoscaling.h"
#include "database.h"

#include <math.h>
#include <string.h>

/* How often a group retries launches that found no AZ and checks its AZ balance. */
#define GROUP_CHECK_INTERVAL (60 * STRATUS_SECOND)

/* ---- figures -------------------------------------------------------------------------- */

/* Brings the in-service average and the under-provisioned time up to `now` (within the
 * window), before a change of in-service count or desired capacity. */
static void
account (World *w, Group *g)
{
  StratusTime now = stratus_sim_now (w->sim);
  stratus_time_average_set (&g->in_service_avg, now, g->in_service);
  if (g->under_since != STRATUS_TIME_NEVER && w->collector.window_open)
    {
      StratusTime from = MAX (g->under_since, w->scenario->warmup);
      if (now > from)
        g->under_total += now - from;
    }
  g->under_since = g->in_service < g->desired ? now : STRATUS_TIME_NEVER;
  if (w->collector.window_open)
    g->peak = MAX (g->peak, g->in_service);
}

/* ---- placement ------------------------------------------------------------------------ */

/* Instances of the group in AZ `az` that it keeps (not leaving). */
static unsigned
members_in (const Group *g, int az)
{
  unsigned n = 0;
  for (guint i = 0; i < g->members->len; i++)
    {
      const Instance *inst = g_ptr_array_index (g->members, i);
      if (!inst->leaving && inst->where.az == az)
        n++;
    }
  return n;
}

/* True if the group can launch into `place` now (its AZ is not impaired and has
 * capacity). */
static bool
launchable (World *w, const GroupPlace *place)
{
  return !stratus_network_az_is_down (w->net, place->az)
         && !(w->az_no_capacity >> place->az & 1);
}

/* The place among the launchable ones with the fewest (most) instances kept, the first
 * such in the group's order; NULL when none can launch. */
static GroupPlace *
place_by_count (World *w, Group *g, bool fewest)
{
  GroupPlace *best = NULL;
  unsigned best_n = 0;
  for (unsigned k = 0; k < g->n_places; k++)
    {
      if (!launchable (w, &g->places[k]))
        continue;
      unsigned n = members_in (g, g->places[k].az);
      if (best == NULL || (fewest ? n < best_n : n > best_n))
        {
          best = &g->places[k];
          best_n = n;
        }
    }
  return best;
}

/* Launches one instance into the enabled AZ with the fewest (the first such in the
 * group's order; an impaired AZ gets none) and starts its life; `ready` puts it straight
 * in service (time 0). NULL if no AZ can launch. */
static Instance *
launch_one (World *w, Group *g, bool ready)
{
  GroupPlace *best = place_by_count (w, g, true);
  if (best == NULL)
    return NULL;
  int spot = best->spots[best->next++ % best->n_spots];
  Instance *inst = fleet_launch (w, g->fleet, spot, true);
  inst->group = g;
  inst->version = g->version.number;
  inst->boot_time = g->version.boot_time;
  inst->app_start_time = g->version.app_start_time;
  inst->user_data_time = g->version.user_data_time;
  inst->service_time = g->version.service_time;
  g_ptr_array_add (g->members, inst);
  g->result.launches++;
  if (!ready)
    {
      lifecycle_begin (w, inst);
      return inst;
    }
  /* Running since before the run began: already warm. */
  inst->life = LIFE_READY;
  inst->running_at = stratus_sim_now (w->sim);
  inst->born_warm = true;
  if (g->has_targets)
    fleet_register (w, inst);
  else
    {
      inst->in_service_at = inst->running_at;
      group_on_in_service (w, inst, true);
    }
  return inst;
}

/* Of instances a and b, the one scale-in takes first under the termination policy. */
static bool
goes_before (const Group *g, const Instance *a, const Instance *b, StratusTime now)
{
  switch (g->config->termination_policy)
    {
    case STRATUS_TERMINATION_OLDEST_INSTANCE:
      return a->launched < b->launched || (a->launched == b->launched && a->id < b->id);
    case STRATUS_TERMINATION_NEWEST_INSTANCE:
      return a->launched > b->launched || (a->launched == b->launched && a->id > b->id);
    case STRATUS_TERMINATION_DEFAULT:
    default:
      {
        /* The oldest launch template version, then the nearest to its next billing hour,
         * then the oldest. */
        if (a->version != b->version)
          return a->version < b->version;
        const StratusTime hour = 3600 * STRATUS_SECOND;
        StratusTime ra = a->running_at == STRATUS_TIME_NEVER ? 0 : (now - a->running_at) % hour;
        StratusTime rb = b->running_at == STRATUS_TIME_NEVER ? 0 : (now - b->running_at) % hour;
        return ra > rb || (ra == rb && a->id < b->id);
      }
    }
}

/* The instance scale-in takes: in the AZ with the most instances (the last such in the
 * group's order), the first by the termination policy. */
static Instance *
pick_victim (World *w, Group *g)
{
  int az = -1;
  unsigned most = 0;
  for (unsigned k = 0; k < g->n_places; k++)
    {
      unsigned n = members_in (g, g->places[k].az);
      if (n > 0 && n >= most)
        {
          most = n;
          az = g->places[k].az;
        }
    }
  StratusTime now = stratus_sim_now (w->sim);
  Instance *victim = NULL;
  for (guint i = 0; i < g->members->len; i++)
    {
      Instance *inst = g_ptr_array_index (g->members, i);
      if (!inst->leaving && inst->where.az == az
          && (victim == NULL || goes_before (g, inst, victim, now)))
        victim = inst;
    }
  return victim;
}

/* Takes `inst` out of the group: deregistered (it drains) or terminated at once. NULL:
 * nothing (cannot happen while the group keeps more than it wants). */
static void
take_out (World *w, Instance *inst)
{
  if (inst == NULL)
    return;
  inst->leaving = true;
  fleet_deregister (w, inst);
}

/* Instances the group keeps (not leaving), and of those, rebalancing launches not yet in
 * service. */
static unsigned
kept_count (const Group *g, unsigned *rebalancing)
{
  unsigned kept = 0;
  *rebalancing = 0;
  for (guint i = 0; i < g->members->len; i++)
    {
      const Instance *inst = g_ptr_array_index (g->members, i);
      kept += !inst->leaving;
      *rebalancing += !inst->leaving && inst->rebalancing && !inst->counted_in_service;
    }
  return kept;
}

/* Launches or takes out instances until the group keeps `desired`; while a rebalancing
 * launch is on its way, the extra instance it will replace stays. */
static void
reconcile (World *w, Group *g)
{
  unsigned rebalancing;
  unsigned kept = kept_count (g, &rebalancing);
  for (; kept < (unsigned) g->desired; kept++)
    if (launch_one (w, g, false) == NULL)
      break; /* no AZ can launch: the group check tries again */
  for (; kept > (unsigned) g->desired + rebalancing; kept--)
    take_out (w, pick_victim (w, g));
}

/* AZ rebalancing: when the launchable AZs' counts differ by more than one, launch in the
 * emptiest first (the group may exceed max by 10% or one instance, whichever is more,
 * meanwhile); the instance it replaces in the fullest is taken out once it is in service. */
static void
rebalance (World *w, Group *g)
{
  unsigned rebalancing;
  unsigned kept = kept_count (g, &rebalancing);
  GroupPlace *low = place_by_count (w, g, true), *high = place_by_count (w, g, false);
  int margin = MAX (1, g->max / 10);
  if (rebalancing > 0 || low == NULL || kept >= (unsigned) (g->max + margin)
      || members_in (g, high->az) <= members_in (g, low->az) + 1)
    return;
  Instance *inst = launch_one (w, g, false);
  inst->rebalancing = true;
  timeline_group (w, STRATUS_EVENT_REBALANCE, g, inst->name, -1, -1, NAN,
                  "AZs out of balance (%u in %s, %u in %s): launching first",
                  members_in (g, high->az), (const char *) g_ptr_array_index (w->scenario->azs, (guint) high->az),
                  members_in (g, low->az) - 1, (const char *) g_ptr_array_index (w->scenario->azs, (guint) low->az));
}

/* ---- launch template versions and instance refresh ------------------------------------ */

/* One step of an instance refresh: once every instance is in service and warm, takes out
 * the next batch of older versions (as many as keep min_healthy_percentage of desired in
 * service, at least one), the group launching their replacements from the new version;
 * done when none is left. */
static void
refresh_step (World *w, Group *g)
{
  if (!g->refreshing)
    return;
  unsigned old = 0;
  for (guint i = 0; i < g->members->len; i++)
    {
      const Instance *inst = g_ptr_array_index (g->members, i);
      old += !inst->leaving && inst->version < g->version.number;
    }
  if (old == 0)
    {
      g->refreshing = false;
      timeline_group (w, STRATUS_EVENT_REFRESH, g, g->template->name, -1, -1, NAN,
                      "instance refresh done: every instance runs version %d", g->version.number);
      return;
    }
  if (group_has_unready (g, stratus_sim_now (w->sim)))
    return;
  int keep = (int) ceil (g->desired * g->config->min_healthy_percentage / 100.0);
  unsigned batch = MIN ((unsigned) MAX (1, g->desired - keep), old);
  timeline_group (w, STRATUS_EVENT_REFRESH, g, g->template->name, -1, -1, NAN,
                  "instance refresh: replacing %u of %u older instances (min healthy %d%%)",
                  batch, old, g->config->min_healthy_percentage);
  for (unsigned k = 0; k < batch; k++)
    {
      Instance *oldest = NULL;
      for (guint i = 0; i < g->members->len; i++)
        {
          Instance *inst = g_ptr_array_index (g->members, i);
          if (!inst->leaving && inst->version < g->version.number
              && (oldest == NULL || inst->id < oldest->id))
            oldest = inst;
        }
      take_out (w, oldest);
    }
  reconcile (w, g);
}

/* A new default version of the group's template (arg: its index in the versions). */
static void
on_new_version (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Group *g = target;
  const StratusTemplateVersionConfig *v = g_ptr_array_index (g->template->versions, (guint) arg);
  g->version = (GroupVersion){ v->number, &v->ami->boot_time, &v->ami->app_start_time,
                               &v->user_data_time, &v->service_time };
  timeline_group (w, STRATUS_EVENT_REFRESH, g, g->template->name, -1, -1, NAN,
                  "launch template %s: version %d (AMI %s) is the default%s", g->template->name,
                  v->number, v->ami->name,
                  g->config->min_healthy_percentage >= 0 ? "; instance refresh starts" : "");
  if (g->config->min_healthy_percentage < 0)
    return;
  g->refreshing = true;
  refresh_step (w, g);
}

/* The group's template, its version 1 (the group's fleet), and its updates scheduled. */
static void
init_versions (World *w, Group *g)
{
  const StratusFleetConfig *fleet = g_ptr_array_index (w->scenario->fleets, g->fleet);
  g->template = stratus_scenario_find_launch_template (w->scenario, g->config->launch_template);
  g->version = (GroupVersion){ 1, &fleet->boot_time, &fleet->app_start_time,
                               &fleet->user_data_time, &fleet->service_time };
  for (guint i = 0; g->template != NULL && g->template->versions != NULL
                    && i < g->template->versions->len; i++)
    {
      const StratusTemplateVersionConfig *v = g_ptr_array_index (g->template->versions, i);
      if (v->at <= w->scenario->duration)
        stratus_sim_schedule_timer_at (w->sim, v->at, on_new_version, g, i);
    }
}

/* The group's periodic check: launches that failed are tried again, AZs rebalanced, an
 * instance refresh moved on. */
static void
on_group_check (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Group *g = target;
  reconcile (w, g);
  rebalance (w, g);
  refresh_step (w, g);
  StratusTime next = stratus_time_add (stratus_sim_now (sim), GROUP_CHECK_INTERVAL);
  if (next <= w->scenario->duration)
    stratus_sim_schedule_timer_at (sim, next, on_group_check, g, 0);
}

/* ---- the group's API ------------------------------------------------------------------- */

int
group_set_desired (World *w, Group *g, int desired, const char *subject, double value,
                   const char *why)
{
  desired = CLAMP (desired, g->min, g->max);
  if (desired == g->desired)
    return desired;
  int from = g->desired;
  account (w, g);
  g->desired = desired;
  account (w, g);
  g->result.scaling_actions++;
  if (why != NULL)
    timeline_group (w, STRATUS_EVENT_SCALING, g, subject, from, desired, value, "%s", why);
  reconcile (w, g);
  return desired;
}

void
group_on_in_service (World *w, Instance *inst, bool in_service)
{
  Group *g = inst->group;
  if (inst->counted_in_service == in_service)
    return;
  inst->counted_in_service = in_service;
  g->in_service += in_service ? 1 : -1;
  account (w, g);
  if (in_service && inst->rebalancing)
    {
      reconcile (w, g); /* the instance it stands for can go now */
      inst->rebalancing = false;
    }
  if (in_service && g->config->default_instance_warmup == 0)
    refresh_step (w, g);
}

void
group_on_terminated (World *w, Instance *inst)
{
  Group *g = inst->group;
  group_on_in_service (w, inst, false);
  g_ptr_array_remove (g->members, inst);
  g->result.terminations++;
  if (!inst->leaving)
    reconcile (w, g); /* lost without being taken out: replace it */
}

/* The grace period of an unhealthy instance is over: check it again. */
static void
on_grace_over (StratusSim *sim, void *target, uint64_t arg)
{
  Instance *inst = target;
  if (!inst->gone && inst->state == TARGET_UNHEALTHY)
    group_on_unhealthy (world_of (sim), inst);
}

void
group_on_unhealthy (World *w, Instance *inst)
{
  Group *g = inst->group;
  if (inst->leaving || g->config->health_check_type != STRATUS_HEALTH_CHECK_ELB)
    return;
  StratusTime now = stratus_sim_now (w->sim);
  StratusTime grace_end = stratus_time_add (inst->launched, g->config->health_check_grace_period);
  if (now < grace_end)
    {
      if (!inst->grace_check)
        stratus_sim_schedule_at (w->sim, grace_end, on_grace_over, inst, 0);
      inst->grace_check = true;
      return;
    }
  g->result.replacements++;
  timeline_group (w, STRATUS_EVENT_REPLACE, g, inst->name, -1, -1, NAN,
                  "unhealthy (ELB health check): replaced");
  take_out (w, inst);
  reconcile (w, g);
}

/* True if `inst` has been in service for its warm-up (or was warm from the start). */
static bool
warm (const Group *g, const Instance *inst, StratusTime now)
{
  return inst->born_warm
         || (inst->in_service_at != STRATUS_TIME_NEVER
             && now >= stratus_time_add (inst->in_service_at, g->config->default_instance_warmup));
}

bool
group_counts (const Group *g, const Instance *inst, StratusTime now)
{
  return inst->counted_in_service && !inst->leaving && warm (g, inst, now);
}

bool
group_has_unready (const Group *g, StratusTime now)
{
  for (guint i = 0; i < g->members->len; i++)
    {
      const Instance *inst = g_ptr_array_index (g->members, i);
      if (!inst->leaving && !warm (g, inst, now))
        return true;
    }
  return false;
}

/* ---- building ------------------------------------------------------------------------- */

/* The group's places: its AZs in order, each with its subnets (or itself, flat). */
static void
init_places (World *w, Group *g)
{
  const StratusScenario *s = w->scenario;
  const StratusFleetConfig *fleet = g_ptr_array_index (s->fleets, g->fleet);
  g->places = g_new0 (GroupPlace, s->azs->len);
  g->place_cap = s->azs->len;
  for (guint a = 0; a < s->azs->len; a++)
    g->places[a].spots = g_new0 (int, MAX (fleet->subnets->len, 1));
  for (guint k = 0; k < MAX (fleet->subnets->len, s->vpc == NULL ? s->azs->len : 0); k++)
    {
      int az = (int) k;
      if (s->vpc != NULL)
        az = stratus_placement_instance (s, fleet, k).az;
      else if (g->config->availability_zones != NULL && g->config->availability_zones->len > 0)
        {
          bool enabled = false;
          for (guint z = 0; z < g->config->availability_zones->len; z++)
            enabled |= strcmp (g_ptr_array_index (g->config->availability_zones, z),
                               g_ptr_array_index (s->azs, k)) == 0;
          if (!enabled)
            continue;
        }
      GroupPlace *p = NULL;
      for (unsigned q = 0; q < g->n_places && p == NULL; q++)
        if (g->places[q].az == az)
          p = &g->places[q];
      if (p == NULL)
        {
          p = &g->places[g->n_places++];
          p->az = az;
        }
      p->spots[p->n_spots++] = (int) k;
    }
  g_assert (g->n_places > 0);
}

/* A group in its initial state (no instance yet). */
static Group *
group_new (World *w, unsigned index)
{
  const StratusScenario *s = w->scenario;
  Group *g = g_new0 (Group, 1);
  g->config = g_ptr_array_index (s->auto_scaling_groups, index);
  g->index = index;
  g->fleet = g->config->fleet;
  g->min = g->config->min;
  g->max = g->config->max;
  g->members = g_ptr_array_new ();
  g->under_since = STRATUS_TIME_NEVER;
  g->has_targets = g->config->target_groups != NULL && g->config->target_groups->len > 0;
  stratus_time_average_reset (&g->in_service_avg, 0);
  init_places (w, g);
  return g;
}

void
group_free (Group *g)
{
  if (g == NULL)
    return;
  for (unsigned k = 0; k < g->place_cap; k++)
    g_free (g->places[k].spots);
  g_free (g->places);
  g_free (g->policies);
  g_free (g->actions);
  g_ptr_array_unref (g->members);
  g_free (g);
}

void
autoscaling_start (World *w)
{
  const StratusScenario *s = w->scenario;
  w->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  for (guint i = 0; s->auto_scaling_groups != NULL && i < s->auto_scaling_groups->len; i++)
    {
      Group *g = group_new (w, i);
      g_ptr_array_add (w->groups, g);
      g->desired = g->config->desired;
      init_versions (w, g);
      account (w, g);
      for (int k = 0; k < g->desired; k++)
        launch_one (w, g, true);
      scheduled_actions_start (w, g);
      cloudwatch_start (w, g);
      stratus_sim_schedule_timer_at (w->sim, GROUP_CHECK_INTERVAL, on_group_check, g, 0);
    }
}

bool
stratus_model_set_az_down (StratusModel *m, const char *az, bool down)
{
  for (guint i = 0; i < m->scenario->azs->len; i++)
    if (strcmp (g_ptr_array_index (m->scenario->azs, i), az) == 0)
      {
        stratus_network_set_az_down (m->net, (int) i, down);
        for (guint k = 0; k < m->lbs->len; k++)
          alb_az_changed (g_ptr_array_index (m->lbs, k), (int) i, down,
                          stratus_sim_now (m->sim));
        databases_az_changed (m, (int) i, down);
        return true;
      }
  return false;
}
