/* A scenario: the typed, validated form of a scenario file. Built by
 * stratus_scenario_load; read-only afterwards; every string and array inside is owned by
 * the scenario and freed by stratus_scenario_free. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/dist.h"
#include "stratus/simtime.h"
#include "stratus/vpc_config.h"

/* Bad input: the message is one line "file:line:column: what is wrong". */
#define STRATUS_SCENARIO_ERROR (stratus_scenario_error_quark ())
GQuark stratus_scenario_error_quark (void);

typedef enum
{
  STRATUS_SCENARIO_ERROR_IO,
  STRATUS_SCENARIO_ERROR_SYNTAX,
  STRATUS_SCENARIO_ERROR_INVALID,
} StratusScenarioErrorCode;

typedef enum
{
  STRATUS_ALGORITHM_ROUND_ROBIN,
  STRATUS_ALGORITHM_LEAST_OUTSTANDING_REQUESTS,
} StratusAlgorithm;

typedef struct
{
  char *name;
  StratusAlgorithm algorithm;
  StratusTime processing_time; /* added once per request on the way in */
  char *target_group;
  bool internal;         /* scheme: internal (true) or internet-facing (false, the default) */
  uint16_t port;         /* listener port, default 80 */
  GPtrArray *subnets;    /* char*; with a vpc: required, one node per subnet (>= 2 AZs when
                          * internet-facing); without: empty, one node per AZ */
  GPtrArray *security_groups; /* char*; may be empty */
  StratusTime idle_timeout;  /* a target silent this long gets its client a 504; default 60 s */
  StratusTime deregistration_delay; /* how long a deregistered target drains; default 300 s */
  int line, column;      /* where its name stands in the scenario file */
} StratusLoadBalancerConfig;

typedef struct
{
  char *name;
  int count;          /* instances, spread round-robin over the scenario's AZs */
  char *type;         /* an EC2 instance type from the catalog */
  int workers;        /* concurrent requests per instance */
  int64_t queue_limit; /* waiting requests per instance; -1 = unlimited */
  StratusDist service_time; /* nanoseconds */
  char *target_group; /* NULL: not registered with any load balancer */
  uint16_t port;      /* where the application listens, default 80 */
  GPtrArray *subnets; /* char*; with a vpc: required, instances spread round-robin over them */
  GPtrArray *security_groups; /* char* */
  int public_ip;      /* -1: as the subnet's map_public_ip_on_launch; 0 no; 1 yes */
  GPtrArray *outbound; /* StratusOutboundCallConfig*; may be empty */
  int line, column;    /* where its name stands in the scenario file */
} StratusFleetConfig;

typedef enum
{
  STRATUS_RATE_CONSTANT,
  STRATUS_RATE_STEPS,
  STRATUS_RATE_DIURNAL,
  STRATUS_RATE_SPIKE,
  STRATUS_RATE_REPLAY_RATES,    /* one rate (per second) per `trace_step` row of a CSV trace */
  STRATUS_RATE_REPLAY_ARRIVALS, /* arrival timestamps from a CSV trace */
} StratusRateShape;

typedef struct
{
  StratusTime at;
  double rate; /* per second */
} StratusRateStep;

typedef struct
{
  StratusRateShape shape;
  double rate;             /* constant */
  GArray *steps;           /* steps: StratusRateStep, sorted by time, first at 0 */
  double min, max;         /* diurnal */
  StratusTime period, peak_at;
  double base, peak;       /* spike */
  StratusTime spike_at, spike_for;
  GArray *trace_rates;     /* replay rates: double per second of the trace */
  StratusTime trace_step;  /* replay rates: width of each trace row */
  GArray *trace_arrivals;  /* replay arrivals: StratusTime, sorted */
} StratusRateConfig;

typedef struct
{
  char *name;
  char *entry;  /* a load balancer */
  StratusRateConfig rate;
  StratusTime timeout; /* STRATUS_TIME_NEVER = unlimited */
  uint64_t request_bytes;  /* default 1 KiB */
  uint64_t response_bytes; /* default 16 KiB */
} StratusWorkloadConfig;

typedef struct
{
  char *path; /* as given to stratus_scenario_load */
  char *name;
  StratusTime duration;
  StratusTime warmup;
  uint64_t seed;
  char *region;
  GPtrArray *azs; /* char* */
  struct
  {
    StratusTime same_az, cross_az, internet; /* one way */
  } latency;
  GPtrArray *load_balancers; /* StratusLoadBalancerConfig*, in file order */
  GPtrArray *fleets;         /* StratusFleetConfig* */
  GPtrArray *workloads;      /* StratusWorkloadConfig* */
  StratusVpcConfig *vpc;     /* NULL: a flat network priced by the latency table */
  StratusTime report_interval;
  GHashTable *positions;      /* dotted key path -> StratusSourcePosition*, see below */
  GHashTable *position_files; /* the file names those positions share */
} StratusScenario;

/* Where a value was written: its file ("--set" for an override), line and column. */
typedef struct
{
  const char *file; /* owned by the scenario */
  int line, column;
} StratusSourcePosition;

/* Where the value at the dotted `path` ("workload.shoppers.rate", "report.interval",
 * "workload.w.rate.steps.0.rate" for list items) was written; NULL if the file does not set
 * it (a default). The result is owned by the scenario. */
const StratusSourcePosition *stratus_scenario_position (const StratusScenario *s,
                                                        const char *path);

/* Reads, checks and types a scenario file, after applying each override "path=value"
 * (NULL-terminated list, may be NULL). On bad input returns NULL with one
 * STRATUS_SCENARIO_ERROR line. Free with stratus_scenario_free. */
StratusScenario *stratus_scenario_load (const char *path, const char *const *overrides,
                                        GError **error);

/* Same, from text in memory; `display_name` stands in for the file name in messages and
 * relative paths (traces, samples) resolve against the current directory. */
StratusScenario *stratus_scenario_load_string (const char *text, const char *display_name,
                                               const char *const *overrides, GError **error);

void stratus_scenario_free (StratusScenario *scenario);

/* The index of the load balancer (in s->load_balancers) or fleet (in s->fleets) named
 * `name`, or -1. */
int stratus_scenario_load_balancer_index (const StratusScenario *s, const char *name);
int stratus_scenario_fleet_index (const StratusScenario *s, const char *name);

/* The index of what an outbound call names: in s->load_balancers or s->fleets by its
 * destination_kind; -1 for an address. */
int stratus_scenario_destination_index (const StratusScenario *s,
                                        const StratusOutboundCallConfig *call);

/* True if the fleet's instances register in target group `group` (NULL: none). */
bool stratus_fleet_in_group (const StratusFleetConfig *fleet, const char *group);

/* Finds a component by name; NULL if absent. */
const StratusLoadBalancerConfig *stratus_scenario_find_load_balancer (const StratusScenario *s,
                                                                      const char *name);

/* Number of instances over all fleets. */
int stratus_scenario_instance_count (const StratusScenario *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StratusScenario, stratus_scenario_free)
