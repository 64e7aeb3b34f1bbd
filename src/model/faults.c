/* The scenario's scheduled faults (the `faults` section), each started at its time and
 * ended after its duration, through the mechanisms the model already has: the network's
 * AZ state (paths into and out of an AZ drop, groups do not launch there, database members
 * there fail), stopping instances (a group replaces them, a fixed fleet's start again when
 * the fault ends), an AZ's capacity for launches, and the databases' manual failover and
 * reboot. Every start and end is in the timeline. */
#include <math.h>

#include "database.h"
#include "faults.h"
#include "stratus/rng.h"
#include "stratus/units.h"

/* A fixed fleet's stopped instance, to start again at the fault's end. */
typedef struct
{
  unsigned fleet;
  unsigned spot;
} StoppedSpot;

struct Fault
{
  const StratusFaultConfig *config;
  gsl_rng *rng;     /* which instances a stop or terminate picks */
  GArray *stopped;  /* StoppedSpot */
};

/* Frees a fault. */
static void
fault_free (Fault *f)
{
  gsl_rng_free (f->rng);
  g_array_unref (f->stopped);
  g_free (f);
}

/* The name of AZ `az` of the scenario. */
static const char *
az_name (const World *w, int az)
{
  return g_ptr_array_index (w->scenario->azs, (guint) az);
}

/* Stops (or with `terminate`, terminates) `inst` for fault `f`; a fixed fleet's stopped
 * instance is remembered, to start again when the fault ends. */
static void
stop (World *w, Fault *f, Instance *inst, bool terminate)
{
  if (!terminate && inst->group == NULL)
    {
      StoppedSpot spot = { inst->fleet_index, inst->spot };
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

/* stop_instances / terminate_instances: `count` of the fleet's live instances (in its AZ,
 * if it names one), or `percent` of them rounded up, picked at random. */
static void
stop_some (World *w, Fault *f, bool terminate)
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
      stop (w, f, all->pdata[k], terminate);
    }
  g_ptr_array_unref (all);
}

/* Starts again the fixed fleets' instances the fault stopped. */
static void
restart_stopped (World *w, Fault *f)
{
  for (guint i = 0; i < f->stopped->len; i++)
    {
      StoppedSpot *spot = &g_array_index (f->stopped, StoppedSpot, i);
      fleet_register (w, fleet_launch (w, spot->fleet, (int) spot->spot, true));
    }
  g_array_set_size (f->stopped, 0);
}

/* The fault's end. */
static void
on_fault_end (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Fault *f = target;
  const StratusFaultConfig *cfg = f->config;
  timeline_fault (w, STRATUS_EVENT_FAULT_END, cfg, "%s ends", stratus_fault_kind_name (cfg->kind));
  switch (cfg->kind)
    {
    case STRATUS_FAULT_AZ_POWER_INTERRUPTION:
      stratus_model_set_az_down (w, az_name (w, cfg->az), false);
      restart_stopped (w, f);
      break;
    case STRATUS_FAULT_STOP_INSTANCES:
      restart_stopped (w, f);
      break;
    case STRATUS_FAULT_DISRUPT_CONNECTIVITY:
      stratus_model_set_az_down (w, az_name (w, cfg->az), false);
      break;
    case STRATUS_FAULT_INSUFFICIENT_CAPACITY:
      w->az_no_capacity &= ~(UINT64_C (1) << cfg->az);
      break;
    default:
      break;
    }
}

/* The fault's start. */
static void
on_fault_start (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  Fault *f = target;
  const StratusFaultConfig *cfg = f->config;
  char *length = cfg->duration == STRATUS_TIME_NEVER ? g_strdup ("permanent")
                                                     : stratus_format_duration (cfg->duration);
  timeline_fault (w, STRATUS_EVENT_FAULT_START, cfg, "%s%s%s (%s)",
                  stratus_fault_kind_name (cfg->kind), cfg->az >= 0 ? " in " : "",
                  cfg->az >= 0 ? az_name (w, cfg->az) : "", length);
  g_free (length);
  bool ends = cfg->duration != STRATUS_TIME_NEVER;
  switch (cfg->kind)
    {
    case STRATUS_FAULT_AZ_POWER_INTERRUPTION:
      {
        stratus_model_set_az_down (w, az_name (w, cfg->az), true);
        GPtrArray *in_az = live_instances (w, -1, cfg->az);
        for (guint i = 0; i < in_az->len; i++)
          stop (w, f, g_ptr_array_index (in_az, i), false);
        g_ptr_array_unref (in_az);
        break;
      }
    case STRATUS_FAULT_STOP_INSTANCES:
      stop_some (w, f, false);
      break;
    case STRATUS_FAULT_DISRUPT_CONNECTIVITY:
      stratus_model_set_az_down (w, az_name (w, cfg->az), true);
      break;
    case STRATUS_FAULT_TERMINATE_INSTANCES:
      stop_some (w, f, true);
      ends = false;
      break;
    case STRATUS_FAULT_INSUFFICIENT_CAPACITY:
      w->az_no_capacity |= UINT64_C (1) << cfg->az;
      break;
    case STRATUS_FAULT_DB_FAILOVER:
      database_manual_failover (w, g_ptr_array_index (w->databases, (guint) cfg->database));
      ends = false;
      break;
    case STRATUS_FAULT_DB_REBOOT:
      database_reboot (w, g_ptr_array_index (w->databases, (guint) cfg->database),
                       cfg->duration);
      ends = false;
      break;
    case STRATUS_N_FAULT_KINDS:
      break;
    }
  if (ends)
    stratus_sim_schedule_timer_at (sim, stratus_time_add (stratus_sim_now (sim), cfg->duration),
                                   on_fault_end, f, 0);
}

void
faults_start (World *w)
{
  const StratusScenario *s = w->scenario;
  w->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  for (guint i = 0; s->faults != NULL && i < s->faults->len; i++)
    {
      Fault *f = g_new0 (Fault, 1);
      f->config = g_ptr_array_index (s->faults, i);
      char *source = g_strdup_printf ("fault.%s", f->config->name);
      f->rng = stratus_rng_stream_new (w->seed, w->replication, source);
      g_free (source);
      f->stopped = g_array_new (FALSE, FALSE, sizeof (StoppedSpot));
      g_ptr_array_add (w->faults, f);
      stratus_sim_schedule_timer_at (w->sim, f->config->at, on_fault_start, f, 0);
    }
}

void
faults_free (World *w)
{
  g_clear_pointer (&w->faults, g_ptr_array_unref);
}
