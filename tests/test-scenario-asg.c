/* The Auto Scaling sections of scenario files: target_groups, amis, launch_templates and
 * auto_scaling_groups (policies, scheduled actions) load with exactly the values written
 * or AWS's defaults; each group's fleet is made from its template and AMI; bad input gives
 * one line at the right place; cron schedules find the right minutes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "stratus/scenario.h"

/* Every new section with values other than the defaults; line numbers matter. */
static const char full[] =
  "duration: 1h\n"                                                          /* 1 */
  "azs: [us-east-1a, us-east-1b]\n"                                         /* 2 */
  "load_balancers:\n"                                                       /* 3 */
  "  alb:\n"                                                                /* 4 */
  "    target_group: web-tg\n"                                              /* 5 */
  "target_groups:\n"                                                        /* 6 */
  "  web-tg:\n"                                                             /* 7 */
  "    port: 8080\n"                                                        /* 8 */
  "    algorithm: least_outstanding_requests\n"                             /* 9 */
  "    deregistration_delay: 30s\n"                                         /* 10 */
  "    health_check:\n"                                                     /* 11 */
  "      path: /health\n"                                                   /* 12 */
  "      port: 9000\n"                                                      /* 13 */
  "      interval: 10s\n"                                                   /* 14 */
  "      timeout: 3s\n"                                                     /* 15 */
  "      healthy_threshold: 3\n"                                            /* 16 */
  "      unhealthy_threshold: 4\n"                                          /* 17 */
  "  api-tg:\n"                                                             /* 18 */
  "    slow_start: 60s\n"                                                   /* 19 */
  "amis:\n"                                                                 /* 20 */
  "  golden:\n"                                                             /* 21 */
  "    boot_time: {dist: uniform, min: 10s, max: 40s}\n"                    /* 22 */
  "    app_start_time: {dist: exponential, mean: 8s}\n"                     /* 23 */
  "launch_templates:\n"                                                     /* 24 */
  "  web-lt:\n"                                                             /* 25 */
  "    ami: golden\n"                                                       /* 26 */
  "    instance_type: m5.xlarge\n"                                          /* 27 */
  "    user_data_time: 3m\n"                                                /* 28 */
  "    workers: 8\n"                                                        /* 29 */
  "    queue_limit: 200\n"                                                  /* 30 */
  "    service_time: {dist: lognormal, mean: 20ms, cv: 1}\n"                /* 31 */
  "    port: 8080\n"                                                        /* 32 */
  "    memory: {base: 400MiB, per_request: 8MiB}\n"                         /* 33 */
  "auto_scaling_groups:\n"                                                  /* 34 */
  "  web-asg:\n"                                                            /* 35 */
  "    launch_template: web-lt\n"                                           /* 36 */
  "    availability_zones: [us-east-1b]\n"                                  /* 37 */
  "    min_size: 2\n"                                                       /* 38 */
  "    max_size: 20\n"                                                      /* 39 */
  "    desired_capacity: 4\n"                                               /* 40 */
  "    target_groups: [web-tg, api-tg]\n"                                   /* 41 */
  "    health_check_type: ELB\n"                                            /* 42 */
  "    health_check_grace_period: 120s\n"                                   /* 43 */
  "    default_instance_warmup: 60s\n"                                      /* 44 */
  "    default_cooldown: 200s\n"                                            /* 45 */
  "    termination_policy: oldest_instance\n"                               /* 46 */
  "    policies:\n"                                                         /* 47 */
  "      cpu-50:\n"                                                         /* 48 */
  "        type: target_tracking\n"                                         /* 49 */
  "        metric: cpu\n"                                                   /* 50 */
  "        target: 50\n"                                                    /* 51 */
  "        period: 10s\n"                                                   /* 52 */
  "        scale_out: {datapoints: 2, evaluation_periods: 4}\n"             /* 53 */
  "        scale_in: {datapoints: 10, evaluation_periods: 12}\n"            /* 54 */
  "        disable_scale_in: true\n"                                        /* 55 */
  "      rps:\n"                                                            /* 56 */
  "        type: target_tracking\n"                                         /* 57 */
  "        metric: request_count_per_target\n"                              /* 58 */
  "        target: 1000\n"                                                  /* 59 */
  "        target_group: api-tg\n"                                          /* 60 */
  "      mem-step:\n"                                                       /* 61 */
  "        type: step\n"                                                    /* 62 */
  "        metric: memory\n"                                                /* 63 */
  "        alarm: {above: 70, period: 30s, datapoints: 2, evaluation_periods: 3}\n" /* 64 */
  "        adjustment_type: percent_change_in_capacity\n"                   /* 65 */
  "        min_adjustment_magnitude: 2\n"                                   /* 66 */
  "        steps:\n"                                                        /* 67 */
  "          - {lower: 20, adjustment: 30}\n"                               /* 68 */
  "          - {lower: 0, upper: 20, adjustment: 10}\n"                     /* 69 */
  "      cpu-simple:\n"                                                     /* 70 */
  "        type: simple\n"                                                  /* 71 */
  "        metric: cpu\n"                                                   /* 72 */
  "        alarm: {below: 20}\n"                                            /* 73 */
  "        adjustment_type: change_in_capacity\n"                           /* 74 */
  "        adjustment: -1\n"                                                /* 75 */
  "        cooldown: 100s\n"                                                /* 76 */
  "    scheduled_actions:\n"                                                /* 77 */
  "      morning: {recurrence: \"0 8 * * 1-5\", min_size: 4, desired_capacity: 6}\n" /* 78 */
  "      evening: {at: 20h, desired_capacity: 2}\n"                         /* 79 */
  "instances:\n"                                                            /* 80 */
  "  db:\n"                                                                 /* 81 */
  "    service_time: 5ms\n"                                                 /* 82 */
  "    memory: {base: 1GiB}\n"                                              /* 83 */
  "    outbound:\n"                                                         /* 84 */
  "      web: {destination: web-asg}\n"                                     /* 85 */
  "workload:\n"                                                             /* 86 */
  "  w:\n"                                                                  /* 87 */
  "    entry: alb\n"                                                        /* 88 */
  "    rate: 100/s\n";                                                      /* 89 */

/* One group with every optional key left out. */
static const char minimal[] =
  "duration: 1h\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "load_balancers:\n"
  "  alb: {target_group: tg}\n"
  "target_groups:\n"
  "  tg: {}\n"
  "amis:\n"
  "  a: {}\n"
  "launch_templates:\n"
  "  lt: {ami: a, service_time: 10ms}\n"
  "auto_scaling_groups:\n"
  "  g:\n"
  "    launch_template: lt\n"
  "    min_size: 1\n"
  "    max_size: 3\n"
  "    target_groups: [tg]\n"
  "    policies:\n"
  "      tt: {type: target_tracking, metric: cpu, target: 40}\n"
  "      st: {type: step, metric: cpu, alarm: {above: 80}, steps: [{adjustment: 1}]}\n"
  "      si: {type: simple, metric: request_count_per_target, alarm: {below: 10}, adjustment: -1}\n"
  "workload:\n"
  "  w: {entry: alb, rate: 10/s}\n";

/* A group in a VPC; line numbers matter. */
static const char in_vpc[] =
  "duration: 10m\n"                                                         /* 1 */
  "azs: [us-east-1a, us-east-1b]\n"                                         /* 2 */
  "vpc:\n"                                                                  /* 3 */
  "  cidr: 10.0.0.0/16\n"                                                   /* 4 */
  "  internet_gateway: igw\n"                                               /* 5 */
  "  subnets:\n"                                                            /* 6 */
  "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n" /* 7 */
  "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n" /* 8 */
  "    app-a: {cidr: 10.0.2.0/24, az: us-east-1a}\n"                        /* 9 */
  "    app-b: {cidr: 10.0.3.0/24, az: us-east-1b}\n"                        /* 10 */
  "  route_tables:\n"                                                       /* 11 */
  "    public:\n"                                                           /* 12 */
  "      routes:\n"                                                         /* 13 */
  "        - {destination: 0.0.0.0/0, target: igw}\n"                      /* 14 */
  "  security_groups:\n"                                                    /* 15 */
  "    web-sg: {}\n"                                                        /* 16 */
  "load_balancers:\n"                                                       /* 17 */
  "  alb:\n"                                                                /* 18 */
  "    target_group: web-tg\n"                                              /* 19 */
  "    subnets: [public-a, public-b]\n"                                     /* 20 */
  "amis:\n"                                                                 /* 21 */
  "  ami: {}\n"                                                             /* 22 */
  "launch_templates:\n"                                                     /* 23 */
  "  lt:\n"                                                                 /* 24 */
  "    ami: ami\n"                                                          /* 25 */
  "    service_time: 10ms\n"                                                /* 26 */
  "    security_groups: [web-sg]\n"                                         /* 27 */
  "auto_scaling_groups:\n"                                                  /* 28 */
  "  web:\n"                                                                /* 29 */
  "    launch_template: lt\n"                                               /* 30 */
  "    subnets: [app-a, app-b]\n"                                           /* 31 */
  "    min_size: 1\n"                                                       /* 32 */
  "    max_size: 4\n"                                                       /* 33 */
  "    target_groups: [web-tg]\n"                                           /* 34 */
  "workload:\n"                                                             /* 35 */
  "  w: {entry: alb, rate: 10/s}\n";                                        /* 36 */

/* `text` with `from` replaced by `to` loads. */
static StratusScenario *
load_subst (const char *text, const char *from, const char *to)
{
  char *t = subst (text, from, to);
  StratusScenario *s = load_ok (t);
  g_free (t);
  return s;
}

static const StratusFleetConfig *
fleet (const StratusScenario *s, guint i)
{
  assert_true (i < s->fleets->len);
  return g_ptr_array_index (s->fleets, i);
}

static const StratusAutoScalingGroupConfig *
group (const StratusScenario *s, guint i)
{
  assert_true (i < s->auto_scaling_groups->len);
  return g_ptr_array_index (s->auto_scaling_groups, i);
}

static const StratusScalingPolicyConfig *
policy (const StratusAutoScalingGroupConfig *g, guint i)
{
  assert_true (i < g->policies->len);
  return g_ptr_array_index (g->policies, i);
}

static const StratusScalingStep *
step (const StratusScalingPolicyConfig *p, guint i)
{
  assert_non_null (p->steps);
  assert_true (i < p->steps->len);
  return &g_array_index (p->steps, StratusScalingStep, i);
}

/* ---- valid scenarios -------------------------------------------------------------- */

/* The target groups and AMIs of `full`, and the load balancer linked to its group. */
static void
test_full_target_groups_and_amis (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (full);
  assert_int_equal (s->target_groups->len, 2);
  const StratusTargetGroupConfig *tg = stratus_scenario_find_target_group (s, "web-tg");
  assert_non_null (tg);
  assert_ptr_equal (tg, g_ptr_array_index (s->target_groups, 0));
  assert_int_equal (tg->port, 8080);
  assert_int_equal (tg->algorithm, STRATUS_ALGORITHM_LEAST_OUTSTANDING_REQUESTS);
  assert_int_equal (tg->deregistration_delay, 30 * STRATUS_SECOND);
  assert_int_equal (tg->slow_start, 0);
  assert_true (tg->health_check.enabled);
  assert_string_equal (tg->health_check.path, "/health");
  assert_int_equal (tg->health_check.port, 9000);
  assert_int_equal (tg->health_check.interval, 10 * STRATUS_SECOND);
  assert_int_equal (tg->health_check.timeout, 3 * STRATUS_SECOND);
  assert_int_equal (tg->health_check.healthy_threshold, 3);
  assert_int_equal (tg->health_check.unhealthy_threshold, 4);
  assert_int_equal (tg->line, 7);
  assert_int_equal (tg->column, 3);
  const StratusTargetGroupConfig *api = stratus_scenario_find_target_group (s, "api-tg");
  assert_int_equal (api->slow_start, 60 * STRATUS_SECOND);
  assert_null (stratus_scenario_find_target_group (s, "nope"));

  const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, 0);
  assert_ptr_equal (lb->target_group_config, tg);
  assert_int_equal (lb->algorithm, STRATUS_ALGORITHM_LEAST_OUTSTANDING_REQUESTS);
  assert_int_equal (lb->deregistration_delay, 30 * STRATUS_SECOND);

  assert_int_equal (s->amis->len, 1);
  const StratusAmiConfig *ami = g_ptr_array_index (s->amis, 0);
  assert_string_equal (ami->name, "golden");
  assert_int_equal (ami->boot_time.kind, STRATUS_DIST_UNIFORM);
  assert_float_equal (ami->boot_time.p1, 10e9, 1);
  assert_float_equal (ami->boot_time.p2, 40e9, 1);
  assert_float_equal (ami->boot_time.mean, 25e9, 1);
  assert_int_equal (ami->app_start_time.kind, STRATUS_DIST_EXPONENTIAL);
  assert_float_equal (ami->app_start_time.mean, 8e9, 1);
  stratus_scenario_free (s);
}

/* The launch template, the group and its fleet, after the `instances` fleet. */
static void
test_full_group_and_fleet (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (full);
  assert_int_equal (s->launch_templates->len, 1);
  const StratusLaunchTemplateConfig *lt = g_ptr_array_index (s->launch_templates, 0);
  assert_string_equal (lt->ami, "golden");
  assert_string_equal (lt->instance_type, "m5.xlarge");
  assert_int_equal (lt->user_data_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (lt->user_data_time.mean, 180e9, 1);

  assert_int_equal (s->auto_scaling_groups->len, 1);
  const StratusAutoScalingGroupConfig *g = group (s, 0);
  assert_string_equal (g->name, "web-asg");
  assert_string_equal (g->launch_template, "web-lt");
  assert_int_equal (g->subnets->len, 0);
  assert_int_equal (g->availability_zones->len, 1);
  assert_string_equal (g_ptr_array_index (g->availability_zones, 0), "us-east-1b");
  assert_int_equal (g->min, 2);
  assert_int_equal (g->max, 20);
  assert_int_equal (g->desired, 4);
  assert_int_equal (g->target_groups->len, 2);
  assert_string_equal (g_ptr_array_index (g->target_groups, 1), "api-tg");
  assert_int_equal (g->health_check_type, STRATUS_HEALTH_CHECK_ELB);
  assert_int_equal (g->health_check_grace_period, 120 * STRATUS_SECOND);
  assert_int_equal (g->default_instance_warmup, 60 * STRATUS_SECOND);
  assert_int_equal (g->default_cooldown, 200 * STRATUS_SECOND);
  assert_int_equal (g->termination_policy, STRATUS_TERMINATION_OLDEST_INSTANCE);
  assert_int_equal (g->line, 35);
  assert_int_equal (g->column, 3);

  /* The fleet: after `db`, which comes later in the file but is an `instances` fleet. */
  assert_int_equal (s->fleets->len, 2);
  const StratusFleetConfig *db = fleet (s, 0);
  assert_string_equal (db->name, "db");
  assert_null (db->asg);
  assert_int_equal (db->boot_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (db->boot_time.mean, 0, 0);
  assert_float_equal (db->user_data_time.mean, 0, 0);
  assert_float_equal (db->app_start_time.mean, 0, 0);
  assert_true (db->memory.enabled);
  assert_float_equal (db->memory.base_mib, 1024, 1e-9);
  assert_float_equal (db->memory.per_request_mib, 0, 0);
  const StratusOutboundCallConfig *call = g_ptr_array_index (db->outbound, 0);
  assert_int_equal (call->destination_kind, STRATUS_DESTINATION_FLEET);
  assert_int_equal (stratus_scenario_destination_index (s, call), 1);
  assert_int_equal (call->port, 8080); /* the group's fleet's port */

  assert_int_equal (g->fleet, 1);
  const StratusFleetConfig *f = fleet (s, 1);
  assert_ptr_equal (f->asg, g);
  assert_string_equal (f->name, "web-asg");
  assert_int_equal (f->line, 35);
  assert_int_equal (f->column, 3);
  assert_int_equal (f->count, 4);
  assert_string_equal (f->type, "m5.xlarge");
  assert_int_equal (f->workers, 8);
  assert_int_equal (f->queue_limit, 200);
  assert_int_equal (f->port, 8080);
  assert_int_equal (f->service_time.kind, STRATUS_DIST_LOGNORMAL);
  assert_float_equal (f->service_time.mean, 20e6, 1e-3);
  assert_true (f->memory.enabled);
  assert_float_equal (f->memory.base_mib, 400, 1e-9);
  assert_float_equal (f->memory.per_request_mib, 8, 1e-9);
  assert_int_equal (f->subnets->len, 0);
  assert_string_equal (f->target_group, "web-tg");
  assert_int_equal (f->extra_target_groups->len, 1);
  assert_string_equal (g_ptr_array_index (f->extra_target_groups, 0), "api-tg");
  assert_true (stratus_fleet_in_group (f, "api-tg"));
  assert_int_equal (f->boot_time.kind, STRATUS_DIST_UNIFORM);
  assert_float_equal (f->boot_time.p1, 10e9, 1);
  assert_float_equal (f->boot_time.p2, 40e9, 1);
  assert_int_equal (f->app_start_time.kind, STRATUS_DIST_EXPONENTIAL);
  assert_float_equal (f->user_data_time.mean, 180e9, 1);
  assert_int_equal (stratus_scenario_fleet_index (s, "web-asg"), 1);
  assert_int_equal (stratus_scenario_instance_count (s), 5);
  stratus_scenario_free (s);
}

/* The policies and scheduled actions of `full`. */
static void
test_full_policies_and_actions (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (full);
  const StratusAutoScalingGroupConfig *g = group (s, 0);
  assert_int_equal (g->policies->len, 4);
  const StratusScalingPolicyConfig *tt = policy (g, 0);
  assert_string_equal (tt->name, "cpu-50");
  assert_int_equal (tt->type, STRATUS_POLICY_TARGET_TRACKING);
  assert_int_equal (tt->metric, STRATUS_METRIC_CPU);
  assert_null (tt->target_group);
  assert_float_equal (tt->target, 50, 0);
  assert_int_equal (tt->out.period, 10 * STRATUS_SECOND);
  assert_int_equal (tt->out.datapoints, 2);
  assert_int_equal (tt->out.evaluation_periods, 4);
  assert_int_equal (tt->in.period, 10 * STRATUS_SECOND);
  assert_int_equal (tt->in.datapoints, 10);
  assert_int_equal (tt->in.evaluation_periods, 12);
  assert_true (tt->disable_scale_in);
  assert_null (tt->steps);

  const StratusScalingPolicyConfig *rps = policy (g, 1);
  assert_int_equal (rps->metric, STRATUS_METRIC_REQUEST_COUNT_PER_TARGET);
  assert_string_equal (rps->target_group, "api-tg");
  assert_float_equal (rps->target, 1000, 0);

  const StratusScalingPolicyConfig *st = policy (g, 2);
  assert_int_equal (st->type, STRATUS_POLICY_STEP);
  assert_int_equal (st->metric, STRATUS_METRIC_MEMORY);
  assert_true (st->above);
  assert_float_equal (st->threshold, 70, 0);
  assert_int_equal (st->alarm.period, 30 * STRATUS_SECOND);
  assert_int_equal (st->alarm.datapoints, 2);
  assert_int_equal (st->alarm.evaluation_periods, 3);
  assert_int_equal (st->adjustment_type, STRATUS_ADJUST_PERCENT_CHANGE_IN_CAPACITY);
  assert_int_equal (st->min_adjustment_magnitude, 2);
  assert_int_equal (st->steps->len, 2); /* sorted by lower bound */
  assert_float_equal (step (st, 0)->lower, 0, 0);
  assert_float_equal (step (st, 0)->upper, 20, 0);
  assert_int_equal (step (st, 0)->adjustment, 10);
  assert_float_equal (step (st, 1)->lower, 20, 0);
  assert_true (isinf (step (st, 1)->upper) && step (st, 1)->upper > 0);
  assert_int_equal (step (st, 1)->adjustment, 30);

  const StratusScalingPolicyConfig *si = policy (g, 3);
  assert_int_equal (si->type, STRATUS_POLICY_SIMPLE);
  assert_false (si->above);
  assert_float_equal (si->threshold, 20, 0);
  assert_int_equal (si->alarm.period, STRATUS_MINUTE);
  assert_int_equal (si->alarm.datapoints, 1);
  assert_int_equal (si->alarm.evaluation_periods, 1);
  assert_int_equal (si->adjustment_type, STRATUS_ADJUST_CHANGE_IN_CAPACITY);
  assert_int_equal (si->adjustment, -1);
  assert_int_equal (si->cooldown, 100 * STRATUS_SECOND);
  assert_int_equal (si->line, 70);
  assert_int_equal (si->column, 7);

  assert_int_equal (g->scheduled_actions->len, 2);
  const StratusScheduledActionConfig *m = g_ptr_array_index (g->scheduled_actions, 0);
  assert_string_equal (m->name, "morning");
  assert_true (m->recurring);
  assert_int_equal (m->at, STRATUS_TIME_NEVER);
  assert_int_equal (m->min, 4);
  assert_int_equal (m->max, -1);
  assert_int_equal (m->desired, 6);
  assert_int_equal (m->recurrence.minutes, 1);
  assert_int_equal (m->recurrence.hours, 1u << 8);
  assert_int_equal (m->recurrence.weekdays, 0x3e);
  assert_true (m->recurrence.any_day);
  assert_false (m->recurrence.any_weekday);
  const StratusScheduledActionConfig *e = g_ptr_array_index (g->scheduled_actions, 1);
  assert_false (e->recurring);
  assert_int_equal (e->at, 20 * STRATUS_HOUR);
  assert_int_equal (e->min, -1);
  assert_int_equal (e->max, -1);
  assert_int_equal (e->desired, 2);
  assert_int_equal (e->line, 79);
  stratus_scenario_free (s);
}

/* Every default of the new sections. */
static void
test_minimal_defaults (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (minimal);
  const StratusTargetGroupConfig *tg = stratus_scenario_find_target_group (s, "tg");
  assert_int_equal (tg->port, 80);
  assert_int_equal (tg->algorithm, STRATUS_ALGORITHM_ROUND_ROBIN);
  assert_int_equal (tg->deregistration_delay, 300 * STRATUS_SECOND);
  assert_int_equal (tg->slow_start, 0);
  assert_true (tg->health_check.enabled);
  assert_string_equal (tg->health_check.path, "/");
  assert_int_equal (tg->health_check.port, 0);
  assert_int_equal (tg->health_check.interval, 30 * STRATUS_SECOND);
  assert_int_equal (tg->health_check.timeout, 5 * STRATUS_SECOND);
  assert_int_equal (tg->health_check.healthy_threshold, 5);
  assert_int_equal (tg->health_check.unhealthy_threshold, 2);

  const StratusAmiConfig *ami = g_ptr_array_index (s->amis, 0);
  assert_int_equal (ami->boot_time.kind, STRATUS_DIST_UNIFORM);
  assert_float_equal (ami->boot_time.p1, 20e9, 1);
  assert_float_equal (ami->boot_time.p2, 30e9, 1);
  assert_int_equal (ami->app_start_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (ami->app_start_time.mean, 5e9, 0);

  const StratusLaunchTemplateConfig *lt = g_ptr_array_index (s->launch_templates, 0);
  assert_string_equal (lt->instance_type, "c5.large");
  assert_int_equal (lt->user_data_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (lt->user_data_time.mean, 0, 0);

  const StratusAutoScalingGroupConfig *g = group (s, 0);
  assert_int_equal (g->desired, 1);
  assert_int_equal (g->availability_zones->len, 2); /* every AZ of the scenario */
  assert_int_equal (g->health_check_type, STRATUS_HEALTH_CHECK_EC2);
  assert_int_equal (g->health_check_grace_period, 300 * STRATUS_SECOND);
  assert_int_equal (g->default_instance_warmup, 0);
  assert_int_equal (g->default_cooldown, 300 * STRATUS_SECOND);
  assert_int_equal (g->termination_policy, STRATUS_TERMINATION_DEFAULT);
  assert_int_equal (g->scheduled_actions->len, 0);

  const StratusScalingPolicyConfig *tt = policy (g, 0);
  assert_int_equal (tt->out.period, STRATUS_MINUTE);
  assert_int_equal (tt->out.datapoints, 3);
  assert_int_equal (tt->out.evaluation_periods, 3);
  assert_int_equal (tt->in.period, STRATUS_MINUTE);
  assert_int_equal (tt->in.datapoints, 15);
  assert_int_equal (tt->in.evaluation_periods, 15);
  assert_false (tt->disable_scale_in);
  const StratusScalingPolicyConfig *st = policy (g, 1);
  assert_int_equal (st->adjustment_type, STRATUS_ADJUST_CHANGE_IN_CAPACITY);
  assert_int_equal (st->min_adjustment_magnitude, 1);
  assert_int_equal (st->alarm.period, STRATUS_MINUTE);
  assert_int_equal (st->alarm.datapoints, 1);
  assert_int_equal (st->alarm.evaluation_periods, 1);
  assert_true (isinf (step (st, 0)->lower) && step (st, 0)->lower < 0);
  assert_true (isinf (step (st, 0)->upper) && step (st, 0)->upper > 0);
  const StratusScalingPolicyConfig *si = policy (g, 2);
  assert_string_equal (si->target_group, "tg"); /* the group's first */
  assert_int_equal (si->cooldown, 300 * STRATUS_SECOND); /* the group's default_cooldown */

  const StratusFleetConfig *f = fleet (s, 0);
  assert_ptr_equal (f->asg, g);
  assert_int_equal (f->count, 1);
  assert_string_equal (f->type, "c5.large");
  assert_int_equal (f->workers, 2);
  assert_int_equal (f->queue_limit, -1);
  assert_int_equal (f->port, 80);
  assert_int_equal (f->public_ip, -1);
  assert_false (f->memory.enabled);
  assert_int_equal (f->extra_target_groups->len, 0);
  assert_float_equal (f->boot_time.p1, 20e9, 1);
  assert_float_equal (f->app_start_time.mean, 5e9, 0);
  assert_float_equal (f->user_data_time.mean, 0, 0);
  stratus_scenario_free (s);
}

/* A scenario without the new sections: empty arrays, an implied target group without
 * health checks, the load balancer's own algorithm and delay, fixed fleets ready at once. */
static void
test_without_sections (void **state)
{
  (void) state;
  const char *text = "duration: 1h\n"
                     "azs: [us-east-1a]\n"
                     "load_balancers:\n"
                     "  lb: {target_group: web, algorithm: least_outstanding_requests, "
                     "deregistration_delay: 10s}\n"
                     "instances:\n"
                     "  web: {count: 3, service_time: 10ms, target_group: web}\n"
                     "workload:\n"
                     "  w: {entry: lb, rate: 10/s}\n";
  StratusScenario *s = load_ok (text);
  assert_non_null (s->target_groups);
  assert_int_equal (s->target_groups->len, 0);
  assert_int_equal (s->amis->len, 0);
  assert_int_equal (s->launch_templates->len, 0);
  assert_int_equal (s->auto_scaling_groups->len, 0);
  assert_int_equal (s->fleets->len, 1);
  const StratusLoadBalancerConfig *lb = g_ptr_array_index (s->load_balancers, 0);
  assert_null (lb->target_group_config);
  assert_int_equal (lb->algorithm, STRATUS_ALGORITHM_LEAST_OUTSTANDING_REQUESTS);
  assert_int_equal (lb->deregistration_delay, 10 * STRATUS_SECOND);
  const StratusFleetConfig *f = fleet (s, 0);
  assert_int_equal (f->count, 3);
  assert_null (f->asg);
  assert_false (f->memory.enabled);
  assert_true (f->extra_target_groups == NULL || f->extra_target_groups->len == 0);
  assert_int_equal (f->boot_time.kind, STRATUS_DIST_CONSTANT);
  assert_float_equal (f->boot_time.mean, 0, 0);
  assert_float_equal (f->user_data_time.mean, 0, 0);
  assert_float_equal (f->app_start_time.mean, 0, 0);
  stratus_scenario_free (s);

  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    return;
  char *path = g_build_filename (root, "scenarios", "web-two-az.yaml", NULL);
  GError *error = NULL;
  s = stratus_scenario_load (path, NULL, &error);
  g_free (path);
  assert_non_null (s);
  assert_int_equal (s->fleets->len, 1);
  assert_int_equal (fleet (s, 0)->count, 4);
  assert_int_equal (s->auto_scaling_groups->len, 0);
  stratus_scenario_free (s);
}

/* A group in a VPC: its subnets become its fleet's, its template's security groups too. */
static void
test_group_in_vpc (void **state)
{
  (void) state;
  StratusScenario *s = load_ok (in_vpc);
  const StratusAutoScalingGroupConfig *g = group (s, 0);
  assert_int_equal (g->subnets->len, 2);
  assert_int_equal (g->availability_zones->len, 0);
  const StratusFleetConfig *f = fleet (s, g->fleet);
  assert_int_equal (f->subnets->len, 2);
  assert_string_equal (g_ptr_array_index (f->subnets, 1), "app-b");
  assert_int_equal (f->security_groups->len, 1);
  assert_string_equal (g_ptr_array_index (f->security_groups, 0), "web-sg");
  assert_string_equal (f->target_group, "web-tg"); /* the load balancer's implied group */
  stratus_scenario_free (s);

  expect_text_error (in_vpc, "    subnets: [app-a, app-b]\n", "", "t.yaml:30:5: ",
                      "web: missing required key 'subnets'", "vpc_zone_identifier");
  expect_text_error (in_vpc, "[app-a, app-b]", "[app-a, app-c]", "t.yaml:31:22: ",
                      "unknown subnet 'app-c'", "did you mean 'app-a'?");
  expect_text_error (in_vpc, "[app-a, app-b]", "[]", "t.yaml:31:14: ",
                      "subnets: needs at least one subnet");
  expect_text_error (in_vpc, "    subnets: [app-a, app-b]\n",
                      "    subnets: [app-a, app-b]\n    availability_zones: [us-east-1a]\n",
                      "t.yaml:32:5: ", "availability_zones: with a vpc");
  expect_text_error (in_vpc, "[web-sg]", "[web-gs]", "t.yaml:27:23: ",
                      "unknown security group 'web-gs'", "did you mean 'web-sg'?");
}

/* ---- errors ----------------------------------------------------------------------- */

static void
test_target_group_errors (void **state)
{
  (void) state;
  expect_text_error (full, "    port: 8080\n    algorithm", "    prot: 8080\n    algorithm",
                      "t.yaml:8:5: ", "unknown key 'prot' in a target group",
                      "did you mean 'port'?");
  expect_text_error (full, "    deregistration_delay: 30s\n",
                      "    deregistration_delay: 30s\n    slow_start: 60s\n", "t.yaml:11:17: ",
                      "slow_start: a target group with least_outstanding_requests",
                      "AWS refuses it");
  expect_text_error (full, "    slow_start: 60s\n", "    slow_start: 10s\n", "t.yaml:19:17: ",
                      "slow_start: must be 0s (off) or between 30s and 900s");
  expect_text_error (full, "deregistration_delay: 30s", "deregistration_delay: 3601s",
                      "t.yaml:10:27: ", "deregistration_delay: must be between 0s and 3600s");
  expect_text_error (full, "      timeout: 3s\n", "      timeout: 10s\n", "t.yaml:15:16: ",
                      "timeout: 10s must be shorter than the interval (10s)");
  expect_text_error (full, "      interval: 10s\n", "      interval: 301s\n", "t.yaml:14:17: ",
                      "interval: must be between 5s and 300s");
  expect_text_error (full, "      healthy_threshold: 3\n", "      healthy_threshold: 11\n",
                      "t.yaml:16:26: ", "healthy_threshold: 11 is out of range (2 to 10)");
  expect_text_error (full, "      path: /health\n", "      pth: /health\n", "t.yaml:12:7: ",
                      "unknown key 'pth' in a health check", "did you mean 'path'?");
  expect_text_error (full, "      port: 9000\n", "      port: traffic\n", "t.yaml:13:13: ",
                      "port: expected traffic-port or a port number");
  /* A load balancer whose target group is declared takes its settings from it. */
  expect_text_error (full, "    target_group: web-tg\n",
                      "    target_group: web-tg\n    algorithm: round_robin\n", "t.yaml:6:5: ",
                      "algorithm: set it on target group 'web-tg'");
  expect_text_error (full, "    target_group: web-tg\n",
                      "    target_group: web-tg\n    deregistration_delay: 5s\n", "t.yaml:6:5: ",
                      "deregistration_delay: set it on target group 'web-tg'");
}

static void
test_ami_and_template_errors (void **state)
{
  (void) state;
  expect_text_error (full, "max: 40s}", "max: 5s}", "t.yaml:22:47: ",
                      "boot_time: max (5s) is below min (10s)");
  expect_text_error (full, "{dist: uniform, min: 10s, max: 40s}",
                      "{dist: uniform, mean: 10s, max: 40s}", "t.yaml:22:32: ",
                      "boot_time: give a uniform distribution min and max, or mean and cv");
  expect_text_error (full, "    boot_time:", "    boot_tim:", "t.yaml:22:5: ",
                      "unknown key 'boot_tim' in an AMI", "did you mean 'boot_time'?");
  expect_text_error (full, "    ami: golden\n", "    ami: goldne\n", "t.yaml:26:10: ",
                      "ami: unknown AMI 'goldne'", "did you mean 'golden'?");
  expect_text_error (full, "m5.xlarge", "m5.xlareg", "t.yaml:27:20: ",
                      "instance_type: unknown instance type 'm5.xlareg'",
                      "did you mean 'm5.xlarge'?");
  expect_text_error (full, "    service_time: {dist: lognormal, mean: 20ms, cv: 1}\n", "",
                      "t.yaml:26:5: ", "web-lt: missing required key 'service_time'");
  expect_text_error (full, "    workers: 8\n", "    wrokers: 8\n", "t.yaml:29:5: ",
                      "unknown key 'wrokers' in a launch template", "did you mean 'workers'?");
  expect_text_error (full, "    workers: 8\n", "    count: 8\n", "t.yaml:29:5: ",
                      "unknown key 'count' in a launch template");
  expect_text_error (full, "{base: 400MiB,", "{base: 16GiB,", "t.yaml:33:20: ",
                      "memory.base: 16GiB does not fit in the 16 GiB of a m5.xlarge");
  expect_text_error (full, "{base: 1GiB}", "{base: 4GiB}", "t.yaml:83:20: ",
                      "memory.base: 4GiB does not fit in the 4 GiB of a c5.large");
  expect_text_error (full, "{base: 1GiB}", "{bsae: 1GiB}", "t.yaml:83:14: ",
                      "unknown key 'bsae' in memory", "did you mean 'base'?");
  expect_text_error (full, "{base: 1GiB}", "{per_request: 1MiB}", "t.yaml:83:13: ",
                      "memory: missing required key 'base'");
  /* Without a vpc, a template may not name security groups. */
  expect_text_error (full, "    port: 8080\n    memory", "    port: 8080\n    public_ip: true\n"
                      "    memory", "t.yaml:33:5: ", "web-lt: 'public_ip' needs a vpc section");
}

static void
test_group_errors (void **state)
{
  (void) state;
  expect_text_error (full, "    launch_template: web-lt\n", "    launch_template: web-tl\n",
                      "t.yaml:36:22: ", "launch_template: unknown launch template 'web-tl'",
                      "did you mean 'web-lt'?");
  expect_text_error (full, "    launch_template: web-lt\n", "", "t.yaml:36:5: ",
                      "web-asg: missing required key 'launch_template'");
  expect_text_error (full, "  db:\n", "  web-asg:\n", "t.yaml:35:3: ",
                      "'web-asg': an instances fleet already has this name");
  expect_text_error (full, "[us-east-1b]", "[us-east-1c]", "t.yaml:37:26: ",
                      "availability_zones: unknown AZ 'us-east-1c'", "did you mean");
  expect_text_error (full, "    min_size: 2\n", "    min_size: 30\n", "t.yaml:38:15: ",
                      "min_size: 30 is above max_size (20)");
  expect_text_error (full, "    max_size: 20\n", "    max_size: 0\n", "t.yaml:39:15: ",
                      "max_size: 0 is out of range (1 to 100000)");
  expect_text_error (full, "    desired_capacity: 4\n", "    desired_capacity: 25\n",
                      "t.yaml:40:23: ", "desired_capacity: 25 is outside min_size..max_size");
  expect_text_error (full, "    min_size: 2\n", "", "t.yaml:36:5: ",
                      "web-asg: missing required key 'min_size'");
  expect_text_error (full, "[web-tg, api-tg]", "[web-tg, api-gt]", "t.yaml:41:29: ",
                      "target_groups: unknown target group 'api-gt'", "did you mean 'api-tg'?");
  expect_text_error (full, "grace_period: 120s", "grace_period: 7201s", "t.yaml:43:32: ",
                      "health_check_grace_period: must be between 0s and 7200s");
  expect_text_error (full, "default_instance_warmup: 60s", "default_instance_warmup: 1h1s",
                      "t.yaml:44:30: ", "default_instance_warmup: must be between 0s and 3600s");
  expect_text_error (full, "oldest_instance", "oldest_instanc", "t.yaml:46:25: ",
                      "termination_policy: unknown value 'oldest_instanc'",
                      "did you mean 'oldest_instance'?");
  expect_text_error (full, "health_check_type: ELB", "health_check_type: ELV", "t.yaml:42:24: ",
                      "did you mean 'ELB'?");
  expect_text_error (full, "    default_cooldown: 200s\n", "    default_colldown: 200s\n",
                      "t.yaml:45:5: ", "unknown key 'default_colldown' in an Auto Scaling group",
                      "did you mean 'default_cooldown'?");
  expect_text_error (full, "    availability_zones: [us-east-1b]\n",
                      "    subnets: [app-a]\n", "t.yaml:37:5: ",
                      "web-asg: 'subnets' needs a vpc section");
}

static void
test_policy_errors (void **state)
{
  (void) state;
  expect_text_error (full, "        target: 50\n", "        traget: 50\n", "t.yaml:51:9: ",
                      "unknown key 'traget' in a scaling policy", "did you mean 'target'?");
  expect_text_error (full, "        target: 50\n", "        target: 150\n", "t.yaml:51:17: ",
                      "target: must be in (0, 100] percent, found 150");
  expect_text_error (full, "        target: 1000\n", "        target: 0\n", "t.yaml:59:17: ",
                      "target: must be > 0 requests per target per minute");
  expect_text_error (full, "        period: 10s\n", "        period: 45s\n", "t.yaml:52:17: ",
                      "period: must be 10s, 30s or a multiple of 60s");
  expect_text_error (full, "{datapoints: 2, evaluation_periods: 4}",
                      "{datapoints: 5, evaluation_periods: 4}", "t.yaml:53:33: ",
                      "scale_out.datapoints: 5 is more than evaluation_periods (4)");
  expect_text_error (full, "{datapoints: 10, evaluation_periods: 12}",
                      "{datapoints: 10, evaluation_periods: 101}", "t.yaml:54:56: ",
                      "evaluation_periods: 101 is out of range (1 to 100)");
  expect_text_error (full, "        target_group: api-tg\n", "        target_group: web-gt\n",
                      "t.yaml:60:23: ", "target_group: 'web-gt' is not one of the group's "
                      "target groups", "did you mean 'web-tg'?");
  expect_text_error (full, "        period: 10s\n", "        target_group: web-tg\n",
                      "t.yaml:52:9: ", "target_group: only a request_count_per_target policy");
  expect_text_error (full, "    memory: {base: 400MiB, per_request: 8MiB}\n", "",
                      "t.yaml:62:17: ", "metric: memory needs launch template web-lt to set "
                      "memory");
  expect_text_error (full, "{above: 70, period: 30s", "{above: 70, below: 5, period: 30s",
                      "t.yaml:64:28: ", "alarm: give exactly one of 'above' and 'below'");
  expect_text_error (full, "{above: 70, period: 30s", "{above: 170, period: 30s",
                      "t.yaml:64:24: ", "alarm.above: must be between 0 and 100 percent");
  expect_text_error (full, "{lower: 0, upper: 20, adjustment: 10}",
                      "{lower: 10, upper: 30, adjustment: 10}", "t.yaml:69:13: ",
                      "steps: [10, 30) overlaps step 1, [20, inf)");
  expect_text_error (full, "{lower: 0, upper: 20, adjustment: 10}",
                      "{lower: 0, upper: 15, adjustment: 10}", "t.yaml:68:11: ",
                      "steps: nothing covers [15, 20)");
  expect_text_error (full, "{lower: 0, upper: 20, adjustment: 10}",
                      "{lower: 20, upper: 0, adjustment: 10}", "t.yaml:69:13: ",
                      "steps: lower (20) must be below upper (0)");
  expect_text_error (full, "        adjustment_type: percent_change_in_capacity\n",
                      "        adjustment_type: change_in_capacity\n", "t.yaml:66:9: ",
                      "min_adjustment_magnitude: only with adjustment_type: "
                      "percent_change_in_capacity");
  expect_text_error (full, "        adjustment: -1\n", "", "t.yaml:71:9: ",
                      "cpu-simple: missing required key 'adjustment'");
  expect_text_error (full, "        cooldown: 100s\n", "        steps: []\n", "t.yaml:76:9: ",
                      "steps: not a key of a simple policy (it takes: metric, target_group, "
                      "alarm, adjustment_type, adjustment, min_adjustment_magnitude, cooldown, publication_delay)");
  expect_text_error (full, "        type: simple\n", "        type: simpel\n", "t.yaml:71:15: ",
                      "type: unknown value 'simpel'", "did you mean 'simple'?");
  expect_text_error (full, "        adjustment_type: change_in_capacity\n",
                      "        adjustment_type: exact_capacity\n", "t.yaml:75:21: ",
                      "adjustment: an exact capacity cannot be negative");
  expect_text_error (full, "        metric: cpu\n        target: 50",
                      "        metric: cpux\n        target: 50", "t.yaml:50:17: ",
                      "metric: unknown value 'cpux'", "did you mean 'cpu'?");
}

static void
test_scheduled_action_errors (void **state)
{
  (void) state;
  expect_text_error (full, "\"0 8 * * 1-5\"", "\"61 8 * * 1-5\"", "t.yaml:78:29: ",
                      "recurrence: minute field '61' is out of range 0-59");
  expect_text_error (full, "\"0 8 * * 1-5\"", "\"0 8 * *\"", "t.yaml:78:29: ",
                      "recurrence: '0 8 * *' has 4 fields; a cron schedule has 5");
  expect_text_error (full, "\"0 8 * * 1-5\"", "\"*/0 8 * * 1-5\"", "t.yaml:78:29: ",
                      "recurrence: minute field '*/0' has a bad step");
  expect_text_error (full, "\"0 8 * * 1-5\"", "\"0 8 * * 5-1\"", "t.yaml:78:29: ",
                      "recurrence: day-of-week field '5-1' goes backwards");
  expect_text_error (full, "\"0 8 * * 1-5\"", "\"0 8 32 * *\"", "t.yaml:78:29: ",
                      "recurrence: day-of-month field '32' is out of range 1-31");
  expect_text_error (full, "\"0 8 * * 1-5\"", "\"0 8 * * MUN\"", "t.yaml:78:29: ",
                      "recurrence: day-of-week field 'MUN' is not a number or a name");
  expect_text_error (full, "{at: 20h, desired_capacity: 2}",
                      "{at: 20h, recurrence: \"0 * * * *\", desired_capacity: 2}",
                      "t.yaml:79:26: ", "evening: give 'at' or 'recurrence', not both");
  expect_text_error (full, "{at: 20h, desired_capacity: 2}", "{desired_capacity: 2}",
                      "t.yaml:79:16: ", "evening: give the action a time");
  expect_text_error (full, "{at: 20h, desired_capacity: 2}", "{at: 20h}", "t.yaml:79:16: ",
                      "evening: set at least one of min_size, max_size and desired_capacity");
  expect_text_error (full, "min_size: 4, desired_capacity: 6}",
                      "min_size: 4, desired_capacty: 6}", "t.yaml:78:57: ",
                      "unknown key 'desired_capacty' in a scheduled action",
                      "did you mean 'desired_capacity'?");
  expect_text_error (full, "min_size: 4, desired_capacity: 6}",
                      "min_size: 4, desired_capacity: 3}", "t.yaml:78:75: ",
                      "desired_capacity: 3 is below min_size (4)");
  /* Names of months and days are accepted. */
  StratusScenario *s = load_subst (full, "\"0 8 * * 1-5\"", "\"0 8 * JAN-MAR mon-FRI\"");
  const StratusScheduledActionConfig *m = g_ptr_array_index (group (s, 0)->scheduled_actions, 0);
  assert_int_equal (m->recurrence.weekdays, 0x3e);
  assert_int_equal (m->recurrence.months, 0xe);
  stratus_scenario_free (s);
}

/* ---- cron ------------------------------------------------------------------------- */

/* `text` as parsed by the scenario parser (a one-off scheduled action in `full`). */
static StratusCron
cron (const char *text)
{
  char *quoted = g_strdup_printf ("\"%s\"", text);
  StratusScenario *s = load_subst (full, "\"0 8 * * 1-5\"", quoted);
  g_free (quoted);
  StratusCron c = ((const StratusScheduledActionConfig *) g_ptr_array_index (
                     group (s, 0)->scheduled_actions, 0))->recurrence;
  stratus_scenario_free (s);
  return c;
}

#define D STRATUS_DAY
#define H STRATUS_HOUR
#define M STRATUS_MINUTE

static void
test_cron_next (void **state)
{
  (void) state;
  StratusCron every15 = cron ("*/15 * * * *");
  assert_int_equal (stratus_cron_next (&every15, 0), 0);
  assert_int_equal (stratus_cron_next (&every15, 1), 15 * M);
  assert_int_equal (stratus_cron_next (&every15, 15 * M), 15 * M);
  assert_int_equal (stratus_cron_next (&every15, 59 * M + 1), 60 * M);

  /* A YAML block scalar's newline separates like a space. */
  StratusCron block = cron ("0 8 * * 1-5\n");
  assert_int_equal (stratus_cron_next (&block, 0), 8 * H);
  /* "fri-sun" closes the week on Sunday; "1/2" in the weekdays stops at Saturday. */
  StratusCron weekend = cron ("0 0 * * fri-sun");
  assert_int_equal (stratus_cron_next (&weekend, 0), 4 * D);                /* Friday 5th */
  assert_int_equal (stratus_cron_next (&weekend, 4 * D + 1), 5 * D);        /* Saturday */
  assert_int_equal (stratus_cron_next (&weekend, 5 * D + 1), 6 * D);        /* Sunday */
  assert_int_equal (stratus_cron_next (&weekend, 6 * D + 1), 11 * D);       /* Friday 12th */
  StratusCron odd = cron ("0 0 * * 1/2");
  assert_int_equal (stratus_cron_next (&odd, 4 * D + 1), 7 * D);            /* not Sunday 7th */

  /* 2024-01-01 is a Monday; 2024-01-06 a Saturday. */
  StratusCron weekdays = cron ("0 8 * * 1-5");
  assert_int_equal (stratus_cron_next (&weekdays, 0), 8 * H);
  assert_int_equal (stratus_cron_next (&weekdays, 8 * H + 1), D + 8 * H);
  assert_int_equal (stratus_cron_next (&weekdays, 4 * D + 9 * H), 7 * D + 8 * H);
  assert_int_equal (stratus_cron_next (&weekdays, 5 * D), 7 * D + 8 * H);

  /* The end of each month: February 2024 has 29 days. */
  StratusCron month_end = cron ("0 0 28-31 * *");
  assert_int_equal (stratus_cron_next (&month_end, 31 * D), 58 * D);      /* 28 Feb */
  assert_int_equal (stratus_cron_next (&month_end, 58 * D + 1), 59 * D);  /* 29 Feb */
  assert_int_equal (stratus_cron_next (&month_end, 59 * D + 1), 87 * D);  /* 28 Mar */

  StratusCron never = cron ("0 0 31 2 *");
  assert_int_equal (stratus_cron_next (&never, 0), STRATUS_TIME_NEVER);
  assert_int_equal (stratus_cron_next (&never, 50 * 365 * D), STRATUS_TIME_NEVER);

  /* Both day fields restricted: the 13th or a Friday (5 January). */
  StratusCron either = cron ("0 12 13 * 5");
  assert_int_equal (stratus_cron_next (&either, 0), 4 * D + 12 * H);
  assert_int_equal (stratus_cron_next (&either, 11 * D + 13 * H), 12 * D + 12 * H); /* 13 Jan */

  StratusCron new_year = cron ("30 23 31 12 *");
  assert_int_equal (stratus_cron_next (&new_year, 0), 365 * D + 23 * H + 30 * M);

  StratusCron sunday = cron ("0 0 * * 7");
  assert_int_equal (stratus_cron_next (&sunday, 0), 6 * D);

  /* Once every four years: 29 February 2028. */
  StratusCron leap = cron ("0 0 29 2 *");
  assert_int_equal (stratus_cron_next (&leap, 60 * D), (366 + 365 + 365 + 365 + 59) * D);
}

/* Launch template versions and instance refresh. */
static void
test_versions_and_refresh (void **state)
{
  (void) state;
  const char *more = "    memory: {base: 400MiB, per_request: 8MiB}\n"
                     "    versions:\n"
                     "      - {at: 2h, ami: golden, service_time: 10ms}\n"
                     "      - {at: 3h, user_data_time: 0s}\n";
  char *text = subst (full, "    memory: {base: 400MiB, per_request: 8MiB}\n", more);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "t.yaml", NULL, &error);
  assert_non_null (s);
  const StratusLaunchTemplateConfig *lt = stratus_scenario_find_launch_template (s, "web-lt");
  assert_int_equal (lt->versions->len, 2);
  const StratusTemplateVersionConfig *v2 = g_ptr_array_index (lt->versions, 0);
  const StratusTemplateVersionConfig *v3 = g_ptr_array_index (lt->versions, 1);
  assert_int_equal (v2->number, 2);
  assert_int_equal (v2->at, 2 * STRATUS_HOUR);
  assert_string_equal (v2->ami->name, "golden");
  assert_int_equal (v3->number, 3);
  /* Version 3 keeps version 2's service time and changes the user data. */
  assert_true (fabs (v3->service_time.mean - 10e6) < 1);
  assert_true (v3->user_data_time.mean == 0);
  assert_true (fabs (v2->user_data_time.mean - 180e9) < 1);
  const StratusAutoScalingGroupConfig *g = g_ptr_array_index (s->auto_scaling_groups, 0);
  assert_int_equal (g->min_healthy_percentage, -1);
  stratus_scenario_free (s);
  g_free (text);
  expect_text_error (full, "    memory: {base: 400MiB, per_request: 8MiB}\n",
                      "    memory: {base: 400MiB, per_request: 8MiB}\n"
                      "    versions: [{at: 2h, ami: goldne}]\n",
                      "t.yaml:34:30: ", "ami: unknown AMI 'goldne'", "did you mean 'golden'?");
  expect_text_error (full, "    memory: {base: 400MiB, per_request: 8MiB}\n",
                      "    memory: {base: 400MiB, per_request: 8MiB}\n"
                      "    versions: [{at: 2h}, {at: 1h}]\n",
                      "t.yaml:34:31: ", "at: versions come in time order");
  expect_text_error (full, "    memory: {base: 400MiB, per_request: 8MiB}\n",
                      "    memory: {base: 400MiB, per_request: 8MiB}\n"
                      "    versions: [{ami: golden}]\n",
                      "t.yaml:34:16: ", "missing required key 'at'");
  expect_text_error (full, "    min_size: 2\n", "    min_size: 2\n    instance_refresh: "
                      "{min_healthy_percentage: 101}\n", "t.yaml:39:48: ",
                      "min_healthy_percentage: 101 is out of range (0 to 100)");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_full_target_groups_and_amis),
    cmocka_unit_test (test_full_group_and_fleet),
    cmocka_unit_test (test_full_policies_and_actions),
    cmocka_unit_test (test_minimal_defaults),
    cmocka_unit_test (test_without_sections),
    cmocka_unit_test (test_group_in_vpc),
    cmocka_unit_test (test_target_group_errors),
    cmocka_unit_test (test_ami_and_template_errors),
    cmocka_unit_test (test_group_errors),
    cmocka_unit_test (test_policy_errors),
    cmocka_unit_test (test_scheduled_action_errors),
    cmocka_unit_test (test_cron_next),
    cmocka_unit_test (test_versions_and_refresh),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
