/* An instance: its identity (a stable id, the order of launch), where it stands, its
 * lifetime, its state as a load-balancer target, its station (workers and queue) and its
 * outbound calls. The world moves requests; the instance keeps its jobs on a list so that
 * they can be cut off when it goes. */
#pragma once

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "request.h"
#include "station.h"
#include "stratus/stats.h"
#include "stratus/engine.h"
#include "stratus/scenario.h"
#include "stratus/topology.h"

/* The states of a load-balancer target (AWS's names). */
typedef enum
{
  TARGET_INITIAL,   /* launched, not (yet) registered: gets no traffic */
  TARGET_HEALTHY,   /* registered and in service */
  TARGET_UNHEALTHY, /* registered, failing health checks (issue 9 brings health checks) */
  TARGET_DRAINING,  /* deregistered: finishes its requests, gets no new ones */
  TARGET_UNUSED,    /* drained and terminated */
} TargetState;

/* The name used in reports: "initial", "healthy", ... */
const char *target_state_name (TargetState state);

typedef struct Instance Instance;

/* An outbound call of the instance's fleet, with its own random stream and its path. */
typedef struct OutboundCall
{
  Instance *owner;
  const StratusOutboundCallConfig *config;
  gsl_rng *rng;              /* the destination's service times, and fractional call counts */
  int destination;           /* endpoint in the topology (an internet address), or -1 */
  StratusPathRef path;       /* instance -> destination, looked up lazily */
  int resource;              /* a call to a resource: its index (scenario->load_balancers or
                              * ->fleets, by config->destination_kind); -1 otherwise */
  StratusPathRef *to_nodes;  /* a call to a load balancer: instance -> each node */
  unsigned next;             /* the rotation over the nodes, or the fleet's instances */
} OutboundCall;

/* Where an instance stands in its life (an Auto Scaling group's go through every stage;
 * a fixed fleet's start IN_SERVICE, ready at once). */
typedef enum
{
  LIFE_PENDING,   /* launched, booting: not billed yet */
  LIFE_STARTING,  /* running (billed): user data, then the application starts */
  LIFE_READY,     /* the application runs */
  LIFE_APP_DOWN,  /* the application was killed (out of memory) and is starting again */
  LIFE_GONE,      /* terminated */
} InstanceLife;

struct Group;

/* The processor of an instance whose workers outnumber its vCPUs. While no more jobs
 * compute than there are vCPUs, each computes at full speed with an event of its own
 * (`finish`: its absolute end); once they outnumber the vCPUs they share them equally
 * (processor sharing), `finish` holds virtual times (`virtual_time` is the work each has
 * received since sharing began) and one event stands for the first to finish. */
typedef struct
{
  Job **computing;           /* the jobs computing now, unordered (capacity: workers) */
  double *finish;            /* per entry: its end (absolute ns, or virtual when sharing) */
  StratusTimer *timers;      /* per entry: its own event, when not sharing */
  unsigned n;
  bool sharing;              /* more jobs computing than vCPUs */
  double virtual_time;
  StratusTime last;          /* when virtual_time was brought up to date */
  StratusTimer next;         /* while sharing: the event of the first job to finish */
  double next_finish;        /* that job's virtual finishing time */
  void (*done) (StratusSim *sim, Job *job); /* the request path's next stage */
} SharedCpu;

struct Instance
{
  unsigned id;                /* index in the world's instances, in launch order */
  char *name;                 /* "web-3" */
  const StratusFleetConfig *fleet;
  unsigned fleet_index;       /* in scenario->fleets */
  StratusPlacement where;
  unsigned spot;              /* its placement ordinal (subnet, or AZ without a vpc) */
  int endpoint;               /* in the topology */
  TargetState state;
  bool gone;                  /* terminated: nothing runs on it any more */
  StratusTime launched, terminated; /* terminated: STRATUS_TIME_NEVER while it runs */
  StratusTime drain_deadline; /* while draining: when the deregistration delay runs out */
  Station station;
  uint32_t jobs;              /* jobs on it (queued, in service or calling) */
  Job *active;                /* those jobs, linked through active_prev/active_next */
  gsl_rng *rng;               /* service times */
  int version;                /* of its launch template (1 for a fixed fleet) */
  const StratusDist *service_time; /* its version's (borrowed from the scenario) */
  const StratusDist *boot_time, *user_data_time, *app_start_time;
  OutboundCall *calls;        /* one per fleet->outbound entry */
  unsigned n_calls;
  struct DbClient *db_client; /* its database work's pool and DNS cache (owned by the
                               * database), or NULL */

  /* life cycle (lifecycle.c) */
  InstanceLife life;
  struct Group *group;        /* its Auto Scaling group, NULL for a fixed fleet */
  bool leaving;               /* the group is taking it out (scale-in, replacement) */
  bool registered;            /* with its load balancers (fleet_register) */
  bool counted_in_service;    /* in its group's in-service count */
  bool rebalancing;           /* launched by AZ rebalancing, not yet in service */
  bool born_warm;             /* one of its group's initial instances: warm from the start */
  bool grace_check;           /* a check at the end of its grace period is scheduled */
  StratusTime running_at;     /* reached `running`: billed from here; NEVER before */
  StratusTime in_service_at;  /* first put in service; NEVER before (warm-up counts from it) */
  StratusTimer life_timer;    /* the next stage of its start-up */
  gsl_rng *life_rng;          /* boot, user data and start-up times (NULL until needed) */

  /* CPU: jobs computing (not waiting on calls); their vCPU-time integral */
  int vcpus;
  int computing;
  StratusTimeAverage cpu_busy; /* min (computing, vcpus) over time, never reset */
  SharedCpu *shared;          /* when workers > vcpus; NULL otherwise */

  double cpu_stress;          /* share of every vCPU cpu_stress faults take, summed (the
                               * model takes at most STRATUS_MAX_CPU_STRESS of it) */
  uint8_t leaks;              /* memory_leak faults acting on it now */
  const void *fault_owner;    /* the random fault's part it stands for, or NULL */

  /* memory (when modelled): jobs over time; above max_jobs the application is killed */
  StratusTimeAverage jobs_avg; /* inst->jobs over time, never reset */
  uint32_t max_jobs;          /* UINT32_MAX when memory is not modelled */
  double leaked_mib;          /* memory a memory_leak fault has taken since the application
                               * started */

  /* traffic and health */
  uint64_t routed;            /* requests load balancers sent it, ever */
  uint64_t cw_mark_routed;    /* (CloudWatch bookkeeping, cloudwatch.c) */
  double cw_cpu_mark, cw_jobs_mark;
  double row_cpu_mark, row_jobs_mark; /* (the collector's, per report interval) */
  StratusTime row_mark_at, cw_mark_at;
  struct HealthProbe *probe;  /* health checks of its target group, or NULL */
};

/* A new idle instance launched at `now`; takes the rng (NULL when only checked). The
 * world sets its endpoint and outbound calls. Free with instance_free. */
Instance *instance_new (unsigned id, const char *name, const StratusFleetConfig *fleet,
                        unsigned fleet_index, StratusPlacement where, gsl_rng *rng,
                        StratusTime now);

void instance_free (Instance *inst);

/* A terminated instance gives back what only a running one needs (its random streams and
 * processor, a few KiB), keeping its record and its calls' paths for what is still in
 * flight: memory then follows the instances alive, plus a small record per launch. */
void instance_retire (Instance *inst);

/* The memory footprint (MiB) of the instance's fleet with `jobs` requests inside, its
 * leak included; 0 when memory is not modelled. */
double instance_memory_mib (const Instance *inst, double jobs);

/* Sets max_jobs from the fleet's memory, the type's and the leak: the requests that fit
 * (0 when the leak leaves no room); UINT32_MAX when memory is not modelled. */
void instance_set_memory_room (Instance *inst);

/* The most of a vCPU stress can take: the application keeps at least 1% of it. */
#define STRATUS_MAX_CPU_STRESS 0.99

/* Draws the service time of a job that starts now, in [0, STRATUS_TIME_INPUT_MAX]
 * (stretched by a cpu_stress fault's share). */
StratusTime instance_service_time (Instance *inst);

/* Puts `job` on the instance's list of jobs. */
static inline void
instance_attach (Instance *inst, Job *job)
{
  job->instance = inst;
  job->active_prev = NULL;
  job->active_next = inst->active;
  if (inst->active != NULL)
    inst->active->active_prev = job;
  inst->active = job;
  inst->jobs++;
}

/* Takes `job` off that list. */
static inline void
instance_detach (Instance *inst, Job *job)
{
  if (job->active_prev != NULL)
    job->active_prev->active_next = job->active_next;
  else
    inst->active = job->active_next;
  if (job->active_next != NULL)
    job->active_next->active_prev = job->active_prev;
  job->active_prev = job->active_next = NULL;
  inst->jobs--;
}

/* Records the instance's job count as of `now` (its memory use, when modelled). */
static inline void
instance_jobs_changed (Instance *inst, StratusTime now)
{
  if (inst->max_jobs != UINT32_MAX)
    stratus_time_average_set (&inst->jobs_avg, now, inst->jobs);
}
