/* The scenario's faults (the `faults` section), through the mechanisms the model already
 * has: the network's AZ state (paths into and out of an AZ drop, groups do not launch
 * there, database members there fail), the network's disruptions, failed NAT gateways
 * and injected latency, stopping instances (a group replaces them, a fixed fleet's start
 * again when the fault ends), an AZ's capacity for launches, a share of instances' vCPUs
 * (cpu_stress), their memory (memory_leak), and the databases' manual failover and reboot.
 *
 * A scheduled fault acts on all its places at `at` and undoes it after `duration`. A
 * random fault treats each of its places (an AZ, a subnet, a NAT gateway, one instance of
 * a fixed fleet) as a component that fails after a draw of `mtbf` and is repaired after a
 * draw of `mttr`, again and again; its time down is measured for the report. Every start
 * and end is in the timeline. */
#include <math.h>

#include "autoscaling.h"
#include "cpu.h"
#include "database.h"
#include "faults.h"
#include "stratus/rng.h"
#include "stratus/units.h"

/* How often a memory leak takes its next bite. */
#define LEAK_TICK (10 * STRATUS_SECOND)

/* A fixed fleet's stopped instance, to start again when its AZ (or the fault) is back. */
typedef struct
{
  unsigned fleet;
  unsigned spot;
  int az;
} StoppedSpot;

/* One component of a random fault. */
typedef struct
{
  int place;          /* AZ, subnet or NAT gateway index */
  Instance *instance; /* random stop_instances: the instance it stands for (NULL while it
                       * stopped it, or when none is left to stand for) */
  StoppedSpot spot;   /* random stop_instances: where the instance it stopped was */
  bool stopped;       /* random stop_instances: it stopped that instance (and will start
                       * it again) */
  bool down;
  StratusTime since;  /* when it last failed */
  StratusTime repair; /* db_instance_failure: the repair drawn at its failure */
} Component;

struct Fault
{
  World *world;
  const StratusFaultConfig *config;
  gsl_rng *rng;       /* which instances a fault picks; a random fault's draws */
  GArray *stopped;    /* StoppedSpot */
  GPtrArray *touched; /* Instance*: those a cpu_stress or memory_leak acts on */
  GArray *components; /* Component, random faults only */
  unsigned n_down;    /* random: components down now */
  StratusTime all_down_since;
  StratusRandomFaultResult result;
  bool on;            /* a scheduled fault between its start and end */
};

/* Frees a fault. */
static void
fault_free (Fault *f)
{
  gsl_rng_free (f->rng);
  g_array_unref (f->stopped);
  g_ptr_array_unref (f->touched);
  g_array_unref (f->components);
  g_free (f);
}

/* The name of AZ `az` of the scenario. */
static const char *
az_name (const World *w, int az)
{
  return g_ptr_array_index (w->scenario->azs, (guint) az);
}

/* Stops (or with `terminate`, terminates) `inst` for fault `f`; a fixed fleet's stopped
 * instance is remembered, to start again when the fault ends (when `remember`). */
static void
stop (World *w, Fault *f, Instance *inst, bool terminate, bool remember)
{
  if (!terminate && remember && inst->group == NULL)
    {
      StoppedSpot spot = { inst->fleet_index, inst->spot, inst->where.az };
      g_array_append_val (f->stopped, spot);
    }
  stratus_model_stop_instance (w, inst->id);
}

/* The live instances of fleet `fleet` (every fleet: -1) in AZ `az` (any: -1), in id order.
 * Caller frees the array (not the instances). */
static GPtrArray *
live_instances (World *w, int fleet, int az)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < w->instances->len; i++)
    {
      Instance *inst = g_ptr_array_index (w->instances, i);
      if (!inst->gone && (fleet < 0 || inst->fleet_index == (unsigned) fleet)
          && (az < 0 || inst->where.az == az))
        g_ptr_array_add (out, inst);
    }
  return out;
}

/* `count` of the target fleet's live instances (in its AZ, if the fault names one), or
 * `percent` of them rounded up, picked at random. Caller frees the array. */
static GPtrArray *
pick (World *w, Fault *f)
{
  const StratusFaultConfig *cfg = f->config;
  GPtrArray *all = live_instances (w, cfg->fleet, cfg->az);
  guint n = cfg->count >= 0 ? MIN ((guint) cfg->count, all->len)
                            : (guint) ceil (all->len * cfg->percent / 100.0 - 1e-9);
  /* The first n of a partial Fisher-Yates shuffle. */
  for (guint k = 0; k < n; k++)
    {
      guint j = k + (guint) gsl_rng_uniform_int (f->rng, all->len - k);
      gpointer t = all->pdata[k];
      all->pdata[k] = all->pdata[j];
      all->pdata[j] = t;
    }
  g_ptr_array_set_size (all, n);
  return all;
}

/* Starts a fixed fleet's instance at `spot` again, or, while a fault holds its AZ down,
 * parks it to start when the AZ is back. Returns the new instance, or NULL when parked. */
static Instance *
restart_or_park (World *w, StoppedSpot spot)
{
  if (spot.az >= 0 && spot.az < 64 && w->az_faults[spot.az] > 0)
    {
      g_array_append_val (w->parked_spots, spot);
      return NULL;
    }
  Instance *inst = fleet_launch (w, spot.fleet, (int) spot.spot, true);
  fleet_register (w, inst);
  return inst;
}

/* Orders instances by id (for g_ptr_array_sort). */
static gint
by_id (gconstpointer a, gconstpointer b)
{
  const Instance *x = *(Instance *const *) a, *y = *(Instance *const *) b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Starts again the fixed fleets' instances the fault stopped (in AZ `az`; any: -1). */
static void
restart_stopped (World *w, Fault *f, int az)
{
  for (guint i = 0; i < f->stopped->len;)
    {
      StoppedSpot spot = g_array_index (f->stopped, StoppedSpot, i);
      if (az >= 0 && spot.az != az)
        {
          i++;
          continue;
        }
      g_array_remove_index (f->stopped, i);
      restart_or_park (w, spot);
    }
}

/* Starts the parked instances of AZ `az`, which is back. */
static void
unpark (World *w, int az)
{
  for (guint i = 0; i < w->parked_spots->len;)
    {
      StoppedSpot spot = g_array_index (w->parked_spots, StoppedSpot, i);
      if (spot.az != az)
        {
          i++;
          continue;
        }
      g_array_remove_index (w->parked_spots, i);
      fleet_register (w, fleet_launch (w, spot.fleet, (int) spot.spot, true));
    }
}

/* Takes AZ `az` down (on) or lets it come back: faults nest, and the AZ is back when the
 * last one holding it ends. */
static void
hold_az_down (World *w, int az, bool on)
{
  uint8_t *held = &w->az_faults[az];
  if (on && (*held)++ == 0)
    stratus_model_set_az_down (w, az_name (w, az), true);
  else if (!on && *held > 0 && --*held == 0)
    {
      stratus_model_set_az_down (w, az_name (w, az), false);
      unpark (w, az);
    }
}

/* Puts the network's side of disrupt_connectivity on or off at `place` (a subnet when the
 * fault names subnets, an AZ otherwise). */
static void
disrupt (World *w, const StratusFaultConfig *cfg, int place, bool on)
{
  if (cfg->subnets != NULL)
    stratus_network_disrupt (w->net, place, -1, cfg->scope, on);
  else if (cfg->scope == STRATUS_DISRUPT_ALL)
    hold_az_down (w, place, on);
  else
    stratus_network_disrupt (w->net, -1, place, cfg->scope, on);
}

/* Starts (on) or ends the fault at one of its places: an AZ, a subnet, a NAT gateway. */
static void
act_at (World *w, Fault *f, int place, bool on)
{
  const StratusFaultConfig *cfg = f->config;
  switch (cfg->kind)
    {
    case STRATUS_FAULT_AZ_POWER_INTERRUPTION:
      hold_az_down (w, place, on);
      if (on)
        {
          GPtrArray *in_az = live_instances (w, -1, place);
          for (guint i = 0; i < in_az->len; i++)
            stop (w, f, g_ptr_array_index (in_az, i), false, true);
          g_ptr_array_unref (in_az);
        }
      else
        restart_stopped (w, f, place);
      break;
    case STRATUS_FAULT_DISRUPT_CONNECTIVITY:
      disrupt (w, cfg, place, on);
      break;
    case STRATUS_FAULT_NAT_GATEWAY_FAILURE:
      stratus_network_set_nat_failed (w->net, place, on);
      break;
    case STRATUS_FAULT_LATENCY_INJECTION:
      if (cfg->subnets != NULL)
        stratus_network_inject (w->net, place, -1, -1, cfg->latency, cfg->loss, on);
      else
        stratus_network_inject (w->net, -1, cfg->az, cfg->az_b, cfg->latency, cfg->loss, on);
      break;
    case STRATUS_FAULT_INSUFFICIENT_CAPACITY:
      if (on)
        w->capacity_faults[place]++;
      else if (w->capacity_faults[place] > 0)
        w->capacity_faults[place]--;
      if (w->capacity_faults[place] > 0)
        w->az_no_capacity |= UINT64_C (1) << place;
      else
        w->az_no_capacity &= ~(UINT64_C (1) << place);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The places a fault acts on (AZs, subnets or NAT gateways; latency between two AZs: one
 * place), into `out` (int). */
static void
places_of (const World *w, const StratusFaultConfig *cfg, GArray *out)
{
  if (cfg->subnets != NULL)
    {
      g_array_append_vals (out, cfg->subnets->data, cfg->subnets->len);
      return;
    }
  int one = cfg->kind == STRATUS_FAULT_NAT_GATEWAY_FAILURE   ? cfg->nat_gateway
            : cfg->kind == STRATUS_FAULT_DB_INSTANCE_FAILURE ? cfg->database
                                                              : cfg->az;
  if (one >= 0 || cfg->kind == STRATUS_FAULT_LATENCY_INJECTION)
    {
      g_array_append_val (out, one);
      return;
    }
  /* A random fault with no place named: every AZ, or every NAT gateway. */
  guint n = cfg->kind == STRATUS_FAULT_NAT_GATEWAY_FAILURE ? w->scenario->vpc->nat_gateways->len
                                                           : w->scenario->azs->len;
  for (guint i = 0; i < n; i++)
    {
      int k = (int) i;
      g_array_append_val (out, k);
    }
}

/* Starts (on) or ends a cpu_stress or memory_leak on the instances it picks. */
static void
act_on_instances (World *w, Fault *f, bool on);

/* A memory leak's next bite on each instance it acts on: an application out of room is
 * killed (and starts again with its memory back). */
static void
on_leak_tick (StratusSim *sim, void *target, uint64_t arg)
{
  Fault *f = target;
  World *w = f->world;
  if (!f->on)
    return;
  double bite = f->config->leak_mib_per_minute * stratus_time_seconds (LEAK_TICK) / 60.0;
  for (guint i = 0; i < f->touched->len; i++)
    {
      Instance *inst = g_ptr_array_index (f->touched, i);
      if (inst->gone || inst->life != LIFE_READY)
        continue;
      inst->leaked_mib += bite;
      instance_set_memory_room (inst);
      if (inst->max_jobs == 0 || inst->jobs > inst->max_jobs)
        lifecycle_kill_app (w, inst);
    }
  stratus_sim_schedule_timer_at (sim, stratus_sim_now (sim) + LEAK_TICK, on_leak_tick, f, 0);
}

static void
act_on_instances (World *w, Fault *f, bool on)
{
  const StratusFaultConfig *cfg = f->config;
  StratusTime now = stratus_sim_now (w->sim);
  if (on)
    {
      GPtrArray *picked = pick (w, f);
      g_ptr_array_extend (f->touched, picked, NULL, NULL);
      g_ptr_array_unref (picked);
    }
  for (guint i = 0; i < f->touched->len; i++)
    {
      Instance *inst = g_ptr_array_index (f->touched, i);
      if (inst->gone)
        continue;
      if (cfg->kind == STRATUS_FAULT_CPU_STRESS)
        cpu_set_stress (inst, MAX (0.0, inst->cpu_stress + (on ? cfg->load : -cfg->load)), now);
      else if (on)
        inst->leaks++;
      else if (inst->leaks > 0 && --inst->leaks == 0)
        {
          /* The last leak's end gives its memory back, as a stress tool's end does. */
          inst->leaked_mib = 0;
          instance_set_memory_room (inst);
        }
    }
  if (on && cfg->kind == STRATUS_FAULT_MEMORY_LEAK)
    stratus_sim_schedule_timer_at (w->sim, now + LEAK_TICK, on_leak_tick, f, 0);
  if (!on)
    g_ptr_array_set_size (f->touched, 0);
}

/* db_instance_failure: the writer of the fault's database fails now, its instance back
 * after `repair` (NEVER: never); a standby or reader takes over where there is one. */
static void
fail_db_writer (World *w, const StratusFaultConfig *cfg, StratusTime repair)
{
  Database *db = g_ptr_array_index (w->databases, (guint) cfg->database);
  if (db->writer < 0)
    {
      timeline_fault (w, STRATUS_EVENT_FAULT_START, cfg, "no writer to fail");
      return;
    }
  database_member_fail (w, db, &db->members[db->writer], DOWN_INSTANCE, repair,
                        "its instance fails (db_instance_failure)");
}

/* Starts (on) or ends a scheduled fault everywhere it acts. */
static void
act (World *w, Fault *f, bool on)
{
  const StratusFaultConfig *cfg = f->config;
  f->on = on;
  switch (cfg->kind)
    {
    case STRATUS_FAULT_STOP_INSTANCES:
      if (on)
        {
          GPtrArray *picked = pick (w, f);
          for (guint i = 0; i < picked->len; i++)
            stop (w, f, g_ptr_array_index (picked, i), false, true);
          g_ptr_array_unref (picked);
        }
      else
        restart_stopped (w, f, -1);
      return;
    case STRATUS_FAULT_TERMINATE_INSTANCES:
      {
        GPtrArray *picked = pick (w, f);
        for (guint i = 0; i < picked->len; i++)
          stop (w, f, g_ptr_array_index (picked, i), true, false);
        g_ptr_array_unref (picked);
        return;
      }
    case STRATUS_FAULT_CPU_STRESS:
    case STRATUS_FAULT_MEMORY_LEAK:
      act_on_instances (w, f, on);
      return;
    case STRATUS_FAULT_DB_FAILOVER:
      database_manual_failover (w, g_ptr_array_index (w->databases, (guint) cfg->database));
      return;
    case STRATUS_FAULT_DB_REBOOT:
      database_reboot (w, g_ptr_array_index (w->databases, (guint) cfg->database),
                       cfg->duration);
      return;
    case STRATUS_FAULT_DB_INSTANCE_FAILURE:
      fail_db_writer (w, cfg, cfg->duration);
      return;
    default:
      break;
    }
  GArray *places = g_array_new (FALSE, FALSE, sizeof (int));
  places_of (w, cfg, places);
  for (guint i = 0; i < places->len; i++)
    act_at (w, f, g_array_index (places, int, i), on);
  g_array_unref (places);
}

/* A scheduled fault's end. */
static void
on_fault_end (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Fault *f = target;
  const StratusFaultConfig *cfg = f->config;
  timeline_fault (w, STRATUS_EVENT_FAULT_END, cfg, "%s ends", stratus_fault_kind_name (cfg->kind));
  act (w, f, false);
}

/* True if the fault's effect lasts until an end of its own (a one-off action has none;
 * a reboot ends itself). */
static bool
lasts (const StratusFaultConfig *cfg)
{
  return cfg->kind != STRATUS_FAULT_TERMINATE_INSTANCES && cfg->kind != STRATUS_FAULT_DB_FAILOVER
         && cfg->kind != STRATUS_FAULT_DB_REBOOT && cfg->kind != STRATUS_FAULT_DB_INSTANCE_FAILURE;
}

/* " in us-east-1a", " between us-east-1a and us-east-1b", " in subnets a, b", " of
 * nat-a", " of web": where a fault acts, for the timeline. Caller frees it. */
static char *
fault_place (const World *w, const StratusFaultConfig *cfg)
{
  const StratusScenario *s = w->scenario;
  GString *out = g_string_new (NULL);
  if (cfg->subnets != NULL)
    {
      g_string_append (out, cfg->subnets->len > 1 ? " in subnets " : " in subnet ");
      for (guint i = 0; i < cfg->subnets->len; i++)
        g_string_append_printf (out, "%s%s", i ? ", " : "",
                                ((StratusSubnetConfig *) g_ptr_array_index (
                                   s->vpc->subnets, (guint) g_array_index (cfg->subnets, int, i)))
                                  ->name);
    }
  else if (cfg->az_b >= 0)
    g_string_append_printf (out, " between %s and %s", az_name (w, cfg->az), az_name (w, cfg->az_b));
  else if (cfg->nat_gateway >= 0)
    g_string_append_printf (out, " of %s",
                            ((StratusNatGatewayConfig *) g_ptr_array_index (
                               s->vpc->nat_gateways, (guint) cfg->nat_gateway))->name);
  else if (cfg->database >= 0)
    g_string_append_printf (out, " of %s",
                            ((StratusDatabaseConfig *) g_ptr_array_index (
                               s->databases, (guint) cfg->database))->name);
  else if (cfg->fleet >= 0)
    g_string_append_printf (out, " of %s",
                            ((StratusFleetConfig *) g_ptr_array_index (s->fleets,
                                                                       (guint) cfg->fleet))->name);
  if (cfg->az >= 0 && cfg->az_b < 0)
    g_string_append_printf (out, " in %s", az_name (w, cfg->az));
  return g_string_free (out, FALSE);
}

/* A scheduled fault's start. */
static void
on_fault_start (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Fault *f = target;
  const StratusFaultConfig *cfg = f->config;
  char *length = !lasts (cfg) && cfg->kind != STRATUS_FAULT_DB_REBOOT
                     && cfg->kind != STRATUS_FAULT_DB_INSTANCE_FAILURE
                   ? g_strdup ("at once")
                 : cfg->duration == STRATUS_TIME_NEVER ? g_strdup ("permanent")
                                                       : stratus_format_duration (cfg->duration);
  char *where = fault_place (w, cfg);
  timeline_fault (w, STRATUS_EVENT_FAULT_START, cfg, "%s%s (%s)",
                  stratus_fault_kind_name (cfg->kind), where, length);
  g_free (where);
  g_free (length);
  act (w, f, true);
  if (lasts (cfg) && cfg->duration != STRATUS_TIME_NEVER)
    stratus_sim_schedule_timer_at (sim, stratus_time_add (stratus_sim_now (sim), cfg->duration),
                                   on_fault_end, f, 0);
}

/* ---- random faults ------------------------------------------------------------------ */

/* The length of [from, to] inside the measured window [warmup, duration]. */
static double
in_window (const World *w, StratusTime from, StratusTime to)
{
  StratusTime a = MAX (from, w->scenario->warmup), b = MIN (to, w->scenario->duration);
  return b > a ? stratus_time_seconds (b - a) : 0;
}

/* The name of component `c` of `f`, for the timeline. Caller frees it. */
static char *
component_name (const World *w, const Fault *f, const Component *c)
{
  const StratusFaultConfig *cfg = f->config;
  const StratusScenario *s = w->scenario;
  if (cfg->kind == STRATUS_FAULT_NAT_GATEWAY_FAILURE)
    return g_strdup (((StratusNatGatewayConfig *) g_ptr_array_index (s->vpc->nat_gateways,
                                                                     (guint) c->place))->name);
  if (cfg->subnets != NULL)
    return g_strdup (((StratusSubnetConfig *) g_ptr_array_index (s->vpc->subnets,
                                                                 (guint) c->place))->name);
  return g_strdup (az_name (w, c->place));
}

/* Random stop_instances: component `c` of `f` failed (c->down) or was repaired. A failure
 * stops the instance it stands for; when another fault took that one away, it stands for
 * a live instance of the fleet no part stands for (if any is left; otherwise the failure
 * stops nothing). A repair starts the stopped instance again in its place (parked while a
 * fault holds its AZ down). Returns the instance stopped or started, or NULL. */
static Instance *
instance_part_changes (World *w, Fault *f, Component *c)
{
  const StratusFaultConfig *cfg = f->config;
  if (!c->down)
    {
      if (c->stopped)
        {
          c->instance = restart_or_park (w, c->spot);
          if (c->instance != NULL)
            c->instance->fault_owner = c;
        }
      c->stopped = false;
      return c->instance;
    }
  if (c->instance == NULL || c->instance->gone)
    {
      c->instance = NULL;
      GPtrArray *live = live_instances (w, cfg->fleet, cfg->az);
      for (guint i = 0; i < live->len && c->instance == NULL; i++)
        {
          Instance *inst = g_ptr_array_index (live, i);
          if (inst->fault_owner == NULL || ((const Component *) inst->fault_owner)->instance != inst)
            c->instance = inst;
        }
      g_ptr_array_unref (live);
    }
  Instance *victim = c->instance;
  if (victim == NULL)
    return NULL;
  victim->fault_owner = c;
  c->spot = (StoppedSpot){ victim->fleet_index, victim->spot, victim->where.az };
  c->stopped = true;
  c->instance = NULL;
  stop (w, f, victim, false, false);
  return victim;
}

static void on_component_change (StratusSim *sim, void *target, uint64_t arg);

/* Schedules component `index` of `f` to change state after a draw of mtbf (it is up) or
 * mttr (it is down). */
static void
schedule_component (World *w, Fault *f, guint index)
{
  const Component *c = &g_array_index (f->components, Component, index);
  const StratusDist *d = c->down ? &f->config->mttr : &f->config->mtbf;
  StratusTime after = f->config->kind == STRATUS_FAULT_DB_INSTANCE_FAILURE && c->down
                        ? c->repair
                        : stratus_dist_sample_time (d, f->rng);
  StratusTime at = stratus_time_add (stratus_sim_now (w->sim), MAX (after, (StratusTime) 1));
  if (at <= w->scenario->duration)
    stratus_sim_schedule_timer_at (w->sim, at, on_component_change, f, index);
}

/* Component `arg` of random fault `target` fails or is repaired. */
static void
on_component_change (StratusSim *sim, void *target, uint64_t arg)
{
  Fault *f = target;
  World *w = f->world;
  const StratusFaultConfig *cfg = f->config;
  Component *c = &g_array_index (f->components, Component, (guint) arg);
  StratusTime now = stratus_sim_now (sim);
  c->down = !c->down;
  if (c->down)
    {
      if (now >= w->scenario->warmup)
        f->result.failures++;
      c->since = now;
      if (++f->n_down == f->components->len)
        f->all_down_since = now;
    }
  else
    {
      f->result.down_s += in_window (w, c->since, now);
      if (f->n_down-- == f->components->len)
        f->result.all_down_s += in_window (w, f->all_down_since, now);
    }
  char *name;
  if (cfg->kind == STRATUS_FAULT_STOP_INSTANCES)
    {
      Instance *inst = instance_part_changes (w, f, c);
      name = g_strdup (inst != NULL ? inst->name
                       : c->down     ? "a part (no instance left to stop)"
                                     : "a part (nothing to start now)");
    }
  else if (cfg->kind == STRATUS_FAULT_DB_INSTANCE_FAILURE)
    {
      /* The database repairs its instance itself: the repair is drawn now. */
      if (c->down)
        {
          c->repair = MAX (stratus_dist_sample_time (&cfg->mttr, f->rng), (StratusTime) 1);
          fail_db_writer (w, cfg, c->repair);
        }
      name = g_strdup (((StratusDatabaseConfig *) g_ptr_array_index (w->scenario->databases,
                                                                     (guint) cfg->database))
                         ->name);
    }
  else
    {
      act_at (w, f, c->place, c->down);
      name = component_name (w, f, c);
    }
  timeline_fault (w, c->down ? STRATUS_EVENT_FAULT_START : STRATUS_EVENT_FAULT_END, cfg,
                  "%s %s (random %s)", name, c->down ? "fails" : "is repaired",
                  stratus_fault_kind_name (cfg->kind));
  g_free (name);
  schedule_component (w, f, (guint) arg);
}

/* Sets up a random fault's components at its `at`, all up, each failing after a draw of
 * mtbf: stop_instances's stand for the instances it picks then (count or percent). */
static void
on_random_start (StratusSim *sim, void *target, uint64_t arg)
{
  Fault *f = target;
  World *w = f->world;
  const StratusFaultConfig *cfg = f->config;
  if (cfg->kind == STRATUS_FAULT_STOP_INSTANCES)
    {
      GPtrArray *picked = pick (w, f);
      g_ptr_array_sort (picked, by_id);
      for (guint i = 0; i < picked->len; i++)
        {
          Component c = { .instance = g_ptr_array_index (picked, i) };
          g_array_append_val (f->components, c);
        }
      g_ptr_array_unref (picked);
      for (guint i = 0; i < f->components->len; i++)
        {
          Component *c = &g_array_index (f->components, Component, i);
          c->instance->fault_owner = c;
        }
    }
  else
    {
      GArray *places = g_array_new (FALSE, FALSE, sizeof (int));
      places_of (w, cfg, places);
      for (guint i = 0; i < places->len; i++)
        {
          Component c = { .place = g_array_index (places, int, i) };
          g_array_append_val (f->components, c);
        }
      g_array_unref (places);
    }
  f->result.components = f->components->len;
  for (guint i = 0; i < f->components->len; i++)
    {
      StratusTime after = stratus_dist_sample_time (&cfg->mtbf, f->rng);
      StratusTime at = stratus_time_add (stratus_sim_now (sim), MAX (after, (StratusTime) 1));
      if (at <= w->scenario->duration)
        stratus_sim_schedule_timer_at (w->sim, at, on_component_change, f, i);
    }
}

void
faults_start (World *w)
{
  const StratusScenario *s = w->scenario;
  w->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  w->parked_spots = g_array_new (FALSE, FALSE, sizeof (StoppedSpot));
  for (guint i = 0; s->faults != NULL && i < s->faults->len; i++)
    {
      Fault *f = g_new0 (Fault, 1);
      f->world = w;
      f->config = g_ptr_array_index (s->faults, i);
      char *source = g_strdup_printf ("fault.%s", f->config->name);
      f->rng = stratus_rng_stream_new (w->seed, w->replication, source);
      g_free (source);
      f->stopped = g_array_new (FALSE, FALSE, sizeof (StoppedSpot));
      f->touched = g_ptr_array_new ();
      f->components = g_array_new (FALSE, TRUE, sizeof (Component));
      f->result.fault = i;
      g_ptr_array_add (w->faults, f);
      if (f->config->random)
        stratus_sim_schedule_timer_at (w->sim, f->config->at, on_random_start, f, 0);
      else
        stratus_sim_schedule_timer_at (w->sim, f->config->at, on_fault_start, f, 0);
    }
}

void
faults_fill_results (World *w, StratusRunResult *result, StratusTime end)
{
  for (guint i = 0; w->faults != NULL && i < w->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (w->faults, i);
      if (!f->config->random)
        continue;
      StratusRandomFaultResult r = f->result;
      for (guint k = 0; k < f->components->len; k++)
        {
          const Component *c = &g_array_index (f->components, Component, k);
          if (c->down)
            r.down_s += in_window (w, c->since, end);
        }
      if (f->components->len > 0 && f->n_down == f->components->len)
        r.all_down_s += in_window (w, f->all_down_since, end);
      g_array_append_val (result->random_faults, r);
    }
}

void
faults_free (World *w)
{
  g_clear_pointer (&w->faults, g_ptr_array_unref);
  g_clear_pointer (&w->parked_spots, g_array_unref);
}
