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

/* A target group's health check (AWS's defaults): a probe from the load balancer's nodes
 * to each registered target through the network, every `interval`; a target that does not
 * answer within `timeout` fails it. `healthy_threshold` consecutive passes make an
 * unhealthy target healthy (a new target needs one), `unhealthy_threshold` consecutive
 * failures make a healthy one unhealthy. */
typedef struct
{
  bool enabled;             /* false for a target group no `target_groups` entry declares */
  char *path;               /* "/" by default; reported, not interpreted */
  uint16_t port;            /* 0: the traffic port (the target's own port) */
  StratusTime interval;     /* 30 s (5-300 s) */
  StratusTime timeout;      /* 5 s (2-120 s), shorter than the interval */
  int healthy_threshold;    /* 5 (2-10) */
  int unhealthy_threshold;  /* 2 (2-10) */
} StratusHealthCheckConfig;

/* A target group: what a load balancer forwards to. Declared in `target_groups`, or
 * implied by a load balancer's `target_group` that no entry declares (then: no health
 * checks, every registered target is healthy; the load balancer's own `algorithm` and
 * `deregistration_delay` apply, as before target groups existed). */
typedef struct
{
  char *name;
  uint16_t port;                  /* where targets receive traffic, default 80 */
  StratusHealthCheckConfig health_check;
  StratusTime deregistration_delay; /* 300 s (0-3600 s) */
  StratusTime slow_start;         /* 0 = off, else 30-900 s: a new target's share ramps up
                                   * linearly over it */
  StratusAlgorithm algorithm;     /* slow start refuses least outstanding requests */
  int line, column;
} StratusTargetGroupConfig;

/* An AMI: how long an instance launched from it takes to boot (launch -> running OS) and
 * how long its application takes to start once user data has run. */
typedef struct
{
  char *name;
  StratusDist boot_time;       /* ns; default uniform 20-30 s */
  StratusDist app_start_time;  /* ns; default constant 5 s */
  int line, column;
} StratusAmiConfig;

/* How an instance uses memory: a base footprint plus a share per request in it (queued,
 * in service or calling). Above the type's memory the application is killed. */
typedef struct
{
  bool enabled;             /* false: memory is not modelled (no key) */
  double base_mib;          /* OS and application at rest */
  double per_request_mib;   /* each request inside the instance */
} StratusMemoryConfig;

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
  const StratusTargetGroupConfig *target_group_config; /* the declared target group (its
                          * algorithm and delay copied into the two fields above), or NULL */
  int line, column;      /* where its name stands in the scenario file */
} StratusLoadBalancerConfig;

/* ---- databases (RDS) --------------------------------------------------------------- */

typedef enum
{
  STRATUS_DB_ENGINE_MYSQL,
  STRATUS_DB_ENGINE_POSTGRES,
  STRATUS_DB_ENGINE_AURORA_MYSQL,
  STRATUS_DB_ENGINE_AURORA_POSTGRESQL,
} StratusDbEngine;

typedef enum
{
  STRATUS_DB_SINGLE_AZ,          /* one instance */
  STRATUS_DB_MULTI_AZ_INSTANCE,  /* + one synchronous standby in another AZ, not readable */
  STRATUS_DB_MULTI_AZ_CLUSTER,   /* a writer + two readable standbys in three AZs; a commit
                                  * waits for one of them */
  STRATUS_DB_AURORA,             /* a writer + 0-15 readers on one shared cluster volume */
} StratusDbDeployment;

/* What a member of a database is at the start of the run. */
typedef enum
{
  STRATUS_DB_ROLE_WRITER,
  STRATUS_DB_ROLE_STANDBY,         /* multi_az_instance: synchronous, not readable */
  STRATUS_DB_ROLE_CLUSTER_STANDBY, /* multi_az_cluster: semi-synchronous, readable */
  STRATUS_DB_ROLE_AURORA_READER,   /* aurora: shared volume, lags by `aurora_lag` */
  STRATUS_DB_ROLE_REPLICA,         /* read replica: asynchronous, applies at `apply_rate` */
  STRATUS_N_DB_ROLES
} StratusDbRole;

/* One database instance of a database, placed by the parser (a pure function of the
 * scenario, shared by the run, `validate` and the diagram). */
typedef struct
{
  char *name;          /* "<database>-1" (the writer), "<database>-2", ... */
  StratusDbRole role;  /* at the start of the run */
  int subnet;          /* index in vpc->subnets (one of the DB subnet group's); -1 without a vpc */
  int az;              /* index in scenario->azs */
  int promotion_tier;  /* aurora readers: 0-15, the lowest is promoted first (ties: order);
                        * 0 for the others */
} StratusDbMemberConfig;

typedef enum
{
  STRATUS_DB_ACTION_FAILOVER,        /* a manual failover (reboot with failover): needs a
                                      * standby, a cluster standby or an Aurora reader */
  STRATUS_DB_ACTION_FAIL_WRITER,     /* the writer's instance fails (hardware); recovers
                                      * after `recover_after` (NEVER: stays down) */
  STRATUS_DB_ACTION_PROMOTE_REPLICA, /* a read replica is promoted by hand to a standalone
                                      * writer; the writer endpoint follows it */
  STRATUS_DB_ACTION_SNAPSHOT,        /* a manual snapshot */
  STRATUS_DB_ACTION_RESTORE,         /* restore the latest snapshot to a new writer (in the
                                      * old writer's subnet); writes after it are lost */
} StratusDbActionKind;

typedef struct
{
  StratusTime at;
  StratusDbActionKind kind;
  StratusTime recover_after;  /* FAIL_WRITER; STRATUS_TIME_NEVER by default */
  int member;                 /* PROMOTE_REPLICA: index in `members` (default: the first
                              * replica) ; -1 otherwise */
  int line, column;
} StratusDbActionConfig;

typedef struct StratusDatabaseConfig
{
  char *name;
  StratusDbEngine engine;
  char *instance_class;      /* "db.r6g.large", from the DB instance class catalog */
  int vcpus;                 /* the class's; each member's CPU serves queries */
  double memory_gib;         /* the class's */
  GPtrArray *subnets;        /* char*: the DB subnet group (>= 2 AZs; 3 for a cluster); with
                              * a vpc only, empty without */
  GPtrArray *security_groups; /* char*; may be empty */
  uint16_t port;             /* default 3306 (MySQL engines) or 5432 (PostgreSQL engines) */
  int max_connections;       /* per member; default from the class's memory, as the engine's
                              * parameter group computes it */
  StratusDist read_time;     /* CPU work of one read at the database, ns */
  StratusDist write_time;    /* of one write, ns */
  uint64_t storage_bytes;    /* allocated storage at the start (default 20 GiB) */
  uint64_t growth_per_write; /* storage (and snapshot delta) each write adds, default 1 KiB */
  StratusDbDeployment deployment;
  int readers;               /* aurora: 0-15 readers */
  int replicas;              /* read replicas (mysql, postgres): 0-5 */
  double apply_rate;         /* read replicas: writes per second each applies (5,000) */
  StratusTime aurora_lag;    /* aurora readers' lag behind the writer (20 ms) */
  StratusDist detection_time; /* writer failure -> failover starts, ns (by deployment) */
  StratusDist promotion_time; /* failover start -> new writer and DNS flip, ns */
  StratusTime dns_ttl;       /* the endpoints' DNS TTL, 5 s */
  StratusTime restore_base;  /* restoring a snapshot: a fixed part ... */
  StratusTime restore_per_gib; /* ... and one per GiB of storage */
  StratusTime backup_window; /* daily automated snapshot at this time of day (UTC, 03:00) */
  int backup_retention_days; /* 0-35 (7); 0: no automated snapshots */
  GArray *actions;           /* StratusDbActionConfig, sorted by `at`; may be empty */
  GArray *members;           /* StratusDbMemberConfig: [0] the writer, then the standbys,
                              * readers or replicas */
  int line, column;
} StratusDatabaseConfig;

typedef enum
{
  STRATUS_DB_READS_WRITER,   /* the writer (cluster) endpoint */
  STRATUS_DB_READS_READER,   /* the reader endpoint: readable members but the writer, in
                              * rotation (the writer when there are none) */
  STRATUS_DB_READS_INSTANCE, /* one member's own endpoint (`reads_member`) */
} StratusDbReadsFrom;

/* A fleet's database work: what each request does at a database after its service time
 * and before its outbound calls. */
typedef struct
{
  bool enabled;              /* false: no `database` key */
  char *database;            /* the `databases` entry's name */
  unsigned index;            /* that database, in s->databases (linked) */
  double queries;            /* per request; a fraction p < 1 makes one with probability p */
  double write_fraction;     /* each query is a write with this probability (0-1) */
  StratusDbReadsFrom reads_from; /* writes always go to the writer endpoint */
  int reads_member;          /* STRATUS_DB_READS_INSTANCE: index in the database's members */
  int pool;                  /* connections per instance (10) */
  StratusTime timeout;       /* a query unanswered this long fails (5 s) */
  bool retry;                /* on_failure: retry (true) or fail (false, the default) */
  int retries;               /* retry: attempts after the first (2) */
  StratusTime backoff;       /* retry: base delay, doubled per attempt, full jitter (100 ms) */
  int failure_status;        /* fail, or retries exhausted: 500 (default) or 502 */
  uint64_t query_bytes, result_bytes; /* per query, default 512 B and 4 KiB */
  int line, column;          /* where `database` stands */
} StratusDbWorkConfig;

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
  StratusDbWorkConfig database; /* its requests' database work; `enabled` false if none */
  StratusMemoryConfig memory;
  /* The instance life cycle. A fixed fleet's instances are ready at once (all zero); an
   * Auto Scaling group's come from its launch template and AMI. */
  StratusDist boot_time;      /* launch -> running (billing starts) */
  StratusDist user_data_time; /* first boot only */
  StratusDist app_start_time; /* after user data, and after each application restart */
  const struct StratusAutoScalingGroupConfig *asg; /* the group this fleet stands for, or
                                                    * NULL for an `instances` fleet */
  GPtrArray *extra_target_groups; /* char*: an Auto Scaling group's target groups after
                                   * the first (`target_group`); NULL or empty otherwise */
  int line, column;    /* where its name stands in the scenario file */
} StratusFleetConfig;

/* A launch template: how an Auto Scaling group's instances are made. Its instance keys
 * (type, workers, queue_limit, service_time, port, security_groups, public_ip, memory,
 * outbound, database) are those of an `instances` fleet; the parser builds each group's fleet from
 * them. */
/* A later version of a launch template that becomes its default at `at` (the workshop's
 * "bake a new AMI"): what it changes; the rest stays as in the version before. */
typedef struct
{
  int number;                 /* 2, 3, ... in order */
  StratusTime at;
  const StratusAmiConfig *ami; /* the AMI it launches from */
  StratusDist user_data_time;
  StratusDist service_time;   /* ns */
  int line, column;
} StratusTemplateVersionConfig;

typedef struct
{
  char *name;
  char *ami;                  /* an `amis` entry */
  char *instance_type;
  StratusDist user_data_time; /* default constant 0 (a golden AMI) */
  GPtrArray *versions;        /* StratusTemplateVersionConfig*, by `at`; may be empty */
  int line, column;
} StratusLaunchTemplateConfig;

/* A CloudWatch alarm's shape: a datapoint per `period`, in alarm when `datapoints` of the
 * last `evaluation_periods` breach. */
typedef struct
{
  StratusTime period;     /* 60 s (10 s high resolution, 300 s basic monitoring) */
  int datapoints;         /* M */
  int evaluation_periods; /* N */
} StratusAlarmShape;

typedef enum
{
  STRATUS_METRIC_CPU,                 /* ASGAverageCPUUtilization, percent */
  STRATUS_METRIC_MEMORY,              /* average memory utilisation, percent (CloudWatch agent) */
  STRATUS_METRIC_REQUEST_COUNT_PER_TARGET, /* ALBRequestCountPerTarget, per minute */
} StratusScalingMetric;

typedef enum
{
  STRATUS_POLICY_TARGET_TRACKING,
  STRATUS_POLICY_STEP,
  STRATUS_POLICY_SIMPLE,
} StratusPolicyType;

typedef enum
{
  STRATUS_ADJUST_CHANGE_IN_CAPACITY,
  STRATUS_ADJUST_EXACT_CAPACITY,
  STRATUS_ADJUST_PERCENT_CHANGE_IN_CAPACITY,
} StratusAdjustmentType;

/* One step of a step-scaling policy: applies when metric - threshold lies in
 * [lower, upper) (either bound may be -INFINITY / INFINITY). */
typedef struct
{
  double lower, upper;
  int adjustment;
} StratusScalingStep;

typedef struct
{
  char *name;
  StratusPolicyType type;
  StratusScalingMetric metric;
  char *target_group;     /* request count per target: which group (default the first) */
  /* target tracking */
  double target;          /* percent, or requests per target per minute */
  bool disable_scale_in;
  StratusAlarmShape out;  /* 3 of 3 one-minute datapoints above the target */
  StratusAlarmShape in;   /* 15 of 15 below */
  /* step and simple scaling: one alarm */
  bool above;             /* true: breach when metric >= threshold; false: <= threshold */
  double threshold;
  StratusAlarmShape alarm; /* 1 of 1 one-minute datapoint by default */
  StratusAdjustmentType adjustment_type;
  int adjustment;         /* simple scaling */
  GArray *steps;          /* StratusScalingStep, step scaling; NULL otherwise */
  int min_adjustment_magnitude; /* percent change: at least this many (default 1) */
  StratusTime cooldown;   /* simple scaling; default the group's default_cooldown */
  StratusTime publication_delay; /* a datapoint reaches the alarm this long after its
                                  * period ends (0-10 min, default 0) */
  int line, column;
} StratusScalingPolicyConfig;

/* A cron schedule (minute hour day-of-month month day-of-week, UTC) as bit sets. */
typedef struct
{
  uint64_t minutes;  /* bit m: minute m (0-59) */
  uint32_t hours;    /* 0-23 */
  uint32_t days;     /* bit d: day of month d (1-31) */
  uint16_t months;   /* bit m: month m (1-12) */
  uint8_t weekdays;  /* bit d: day d (0 = Sunday .. 6) */
  bool any_day, any_weekday; /* day-of-month or day-of-week was "*" */
} StratusCron;

typedef struct
{
  char *name;
  StratusTime at;         /* a one-off action's time; STRATUS_TIME_NEVER when recurring */
  bool recurring;
  StratusCron recurrence; /* when recurring */
  int min, max, desired;  /* -1: left as it is */
  int line, column;
} StratusScheduledActionConfig;

typedef enum
{
  STRATUS_HEALTH_CHECK_EC2, /* only a stopped instance is replaced */
  STRATUS_HEALTH_CHECK_ELB, /* also one the load balancer marks unhealthy */
} StratusHealthCheckType;

typedef enum
{
  STRATUS_TERMINATION_DEFAULT,        /* the AZ with most instances, then the oldest
                                       * launch template, then the nearest billing hour */
  STRATUS_TERMINATION_OLDEST_INSTANCE,
  STRATUS_TERMINATION_NEWEST_INSTANCE,
} StratusTerminationPolicy;

typedef struct StratusAutoScalingGroupConfig
{
  char *name;
  char *launch_template;
  GPtrArray *subnets;             /* char*; with a vpc (vpc_zone_identifier) */
  GPtrArray *availability_zones;  /* char*; without a vpc (default: every AZ) */
  int min, max, desired;          /* desired defaults to min */
  GPtrArray *target_groups;       /* char* */
  StratusHealthCheckType health_check_type;
  StratusTime health_check_grace_period; /* 300 s (the console's default) */
  StratusTime default_instance_warmup;   /* 0 = off */
  StratusTime default_cooldown;          /* 300 s */
  StratusTerminationPolicy termination_policy;
  int min_healthy_percentage;     /* instance refresh on each new default version of its
                                   * template (0-100); -1: no refresh */
  GPtrArray *policies;            /* StratusScalingPolicyConfig* */
  GPtrArray *scheduled_actions;   /* StratusScheduledActionConfig* */
  unsigned fleet;                 /* its fleet, in s->fleets */
  int line, column;
} StratusAutoScalingGroupConfig;

/* The most Availability Zones a scenario may list (regions have at most 6 today). */
#define STRATUS_MAX_AZS 26

/* ---- faults ------------------------------------------------------------------------ */

/* What a scheduled fault does (named after AWS Fault Injection Service actions). */
typedef enum
{
  STRATUS_FAULT_AZ_POWER_INTERRUPTION, /* the whole AZ: instances stop, paths into and out
                                        * of it drop, groups cannot launch there, its
                                        * database members fail */
  STRATUS_FAULT_STOP_INSTANCES,        /* instances of a fleet stop (a fixed fleet's start
                                        * again when the fault ends) */
  STRATUS_FAULT_TERMINATE_INSTANCES,   /* instances of a fleet are terminated for good */
  STRATUS_FAULT_INSUFFICIENT_CAPACITY, /* an AZ refuses launches */
  STRATUS_FAULT_DB_FAILOVER,           /* a manual failover of a database */
  STRATUS_FAULT_DB_REBOOT,             /* the writer reboots without failover */
  STRATUS_FAULT_DISRUPT_CONNECTIVITY,  /* paths into or out of an AZ or subnets drop (all,
                                        * to other AZs, or to the internet); what runs
                                        * there keeps running (only health checks tell) */
  STRATUS_FAULT_NAT_GATEWAY_FAILURE,   /* a NAT gateway stops carrying traffic */
  STRATUS_FAULT_LATENCY_INJECTION,     /* extra latency and packet loss on subnets or
                                        * between two AZs */
  STRATUS_FAULT_CPU_STRESS,            /* a background load takes a share of instances'
                                        * vCPUs */
  STRATUS_FAULT_MEMORY_LEAK,           /* instances' applications leak memory until they
                                        * are killed */
  STRATUS_FAULT_DB_INSTANCE_FAILURE,   /* a database's writer instance fails (a standby or
                                        * reader takes over where there is one) */
  STRATUS_N_FAULT_KINDS
} StratusFaultKind;

/* What a connectivity disruption cuts, as AWS FIS's disrupt-connectivity scopes do. */
typedef enum
{
  STRATUS_DISRUPT_ALL,       /* every path into or out of the place */
  STRATUS_DISRUPT_OTHER_AZS, /* paths between the place and another AZ */
  STRATUS_DISRUPT_INTERNET,  /* paths between the place and the internet (NAT included) */
  STRATUS_N_DISRUPT_SCOPES
} StratusDisruptScope;

/* "all", "other_azs", "internet" (static). */
const char *stratus_disrupt_scope_name (StratusDisruptScope scope);

/* "az_power_interruption", "stop_instances", ... (static). */
const char *stratus_fault_kind_name (StratusFaultKind kind);

typedef struct
{
  char *name;
  StratusFaultKind kind;
  StratusTime at;          /* since the start of the run */
  StratusTime duration;    /* STRATUS_TIME_NEVER: permanent (db_reboot: the reboot's
                            * length, 60 s by default; db_failover: unused) */
  int az;                  /* index in s->azs; -1 when the fault names none */
  int fleet;               /* stop / terminate: index in s->fleets; -1 otherwise */
  int count;               /* stop / terminate: how many; -1: `percent` of them */
  double percent;          /* stop / terminate: the share, (0, 100] (100: all) */
  int database;            /* db_failover / db_reboot: index in s->databases; -1 otherwise */
  GArray *subnets;         /* disrupt_connectivity / latency_injection: int indices in
                            * vpc->subnets; NULL when the fault names an AZ */
  StratusDisruptScope scope; /* disrupt_connectivity: what it cuts */
  int nat_gateway;         /* nat_gateway_failure: index in vpc->nat_gateways; -1: every
                            * one (random faults only) */
  int az_b;                /* latency_injection between two AZs: the second (az: the first);
                            * -1 otherwise */
  StratusTime latency;     /* latency_injection: extra one-way latency */
  double loss;             /* latency_injection: chance a packet is lost, [0, 1) */
  double load;             /* cpu_stress: share of every vCPU taken, (0, 1) */
  double leak_mib_per_minute; /* memory_leak: MiB leaked per minute */
  bool random;             /* a random fault: fails and repairs each component again and
                            * again (mtbf, mttr) instead of once (at, duration) */
  StratusDist mtbf, mttr;  /* random: time between failures (up time) and to repair */
  int line, column;        /* where its name stands */
} StratusFaultConfig;

/* ---- resilience policy and SLO (what the report judges the run against) ------------ */

/* The disruption types of a resilience policy (as AWS Resilience Hub's), each fault kind
 * falling under one (stratus_fault_disruption). */
typedef enum
{
  STRATUS_DISRUPTION_INSTANCE, /* instances stop, are terminated or degrade */
  STRATUS_DISRUPTION_AZ,       /* an Availability Zone or its network fails */
  STRATUS_DISRUPTION_DATABASE, /* a database's writer fails over or reboots */
  STRATUS_N_DISRUPTIONS
} StratusDisruptionType;

/* "instance", "az", "database" (static). */
const char *stratus_disruption_name (StratusDisruptionType type);

/* The disruption type a fault kind falls under: stop / terminate instances, cpu_stress,
 * memory_leak -> instance; db_failover, db_reboot -> database; every other kind -> az. */
StratusDisruptionType stratus_fault_disruption (StratusFaultKind kind);

/* One disruption type's targets: the longest acceptable time to recover (RTO) and data-loss
 * window (RPO). */
typedef struct
{
  bool set;                /* false: the policy gives no target for this type */
  StratusTime rto, rpo;
  int line, column;        /* where its key stands */
} StratusResilienceTarget;

/* The `resilience_policy` section; `enabled` false without it. */
typedef struct
{
  bool enabled;
  StratusResilienceTarget targets[STRATUS_N_DISRUPTIONS];
} StratusResiliencePolicy;

/* The `slo` section: a latency percentile under a target, and a share of requests that
 * succeed; either may be absent. */
typedef struct
{
  bool enabled;              /* the section is there */
  bool latency;              /* `latency` given */
  double percentile;         /* (0, 100), default 99 */
  StratusTime latency_target; /* > 0 */
  bool availability;         /* `availability` given */
  double availability_target; /* a fraction in (0, 1) */
} StratusSloConfig;

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
  StratusTime dns_ttl; /* how long clients keep the load balancer's DNS answer (60 s) */
  int max_attempts;    /* retry: attempts per request, the first included (1: no retry) */
  StratusTime retry_base; /* retry k waits a uniform draw in [0, min (cap, base x 2^(k-1))]
                           * ("full jitter"); base 0: at once */
  StratusTime retry_cap;
  int retry_quota;     /* retry: the clients' retry quota in tokens, as the AWS SDKs'
                        * standard retry mode keeps it (a retry costs 5, 10 after a
                        * timeout; a success gives 1 back, or its retry's cost); 0: none */
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
  struct StratusPricing *pricing; /* the prices the bill uses (the region's catalog or
                                   * `pricing.catalog`, with `pricing.prices`); NULL when
                                   * stratus has no catalog for the region (no bill) */
  GPtrArray *azs; /* char* */
  struct
  {
    StratusTime same_az, cross_az, internet; /* one way */
  } latency;
  GPtrArray *load_balancers; /* StratusLoadBalancerConfig*, in file order */
  GPtrArray *fleets;         /* StratusFleetConfig* */
  GPtrArray *workloads;      /* StratusWorkloadConfig* */
  GPtrArray *amis;           /* StratusAmiConfig* */
  GPtrArray *launch_templates; /* StratusLaunchTemplateConfig* */
  GPtrArray *target_groups;  /* StratusTargetGroupConfig*, the declared ones */
  GPtrArray *auto_scaling_groups; /* StratusAutoScalingGroupConfig*; each also has a fleet
                                   * in `fleets` (after the `instances` ones) */
  GPtrArray *databases;      /* StratusDatabaseConfig*, in file order */
  GPtrArray *faults;         /* StratusFaultConfig*, in file order */
  StratusVpcConfig *vpc;     /* NULL: a flat network priced by the latency table */
  StratusTime report_interval;
  double downtime_threshold; /* report.downtime_threshold: an interval whose share of failed
                              * requests is above it counts as down (0.05) */
  GHashTable *positions;      /* dotted key path -> StratusSourcePosition*, see below */
  GHashTable *position_files; /* the file names those positions share */
  /* What the report judges the run against (section_resilience.c, section_slo.c). */
  StratusResiliencePolicy resilience_policy;
  StratusSloConfig slo;
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

/* The launch template named `name`, or NULL. */
const StratusLaunchTemplateConfig *stratus_scenario_find_launch_template (const StratusScenario *s,
                                                                          const char *name);

/* The declared target group named `name`, or NULL. */
const StratusTargetGroupConfig *stratus_scenario_find_target_group (const StratusScenario *s,
                                                                    const char *name);

/* The database named `name`, or NULL. */
const StratusDatabaseConfig *stratus_scenario_find_database (const StratusScenario *s,
                                                             const char *name);

/* Names for reports: "mysql", "aurora-postgresql"; "single_az", "aurora"; "writer",
 * "standby", "cluster_standby", "reader", "replica" (static). */
const char *stratus_db_engine_name (StratusDbEngine engine);
const char *stratus_db_deployment_name (StratusDbDeployment deployment);
const char *stratus_db_role_name (StratusDbRole role);

/* True for a role whose member serves reads (the writer too). */
bool stratus_db_role_readable (StratusDbRole role);

/* The first time >= `after` (ns since the start of the run, which is taken as midnight
 * UTC on Monday 1 January 2024) that `cron` matches, on a whole minute;
 * STRATUS_TIME_NEVER if none within ten years. */
StratusTime stratus_cron_next (const StratusCron *cron, StratusTime after);

/* Number of instances over all fleets. */
int stratus_scenario_instance_count (const StratusScenario *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StratusScenario, stratus_scenario_free)
