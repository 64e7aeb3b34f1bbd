/* Auto Scaling groups in the model: target tracking settles near its target with the
 * reaction time its alarm shape predicts, simple scaling waits out its cooldown and target
 * tracking does not, warm-up keeps new instances out of the metric, min and max clamp,
 * scheduled actions fire on time, an instance killed for lack of memory is replaced,
 * health checks find an unreachable target in time, scale-in keeps the AZs balanced,
 * slow start ramps, the load balancer fails open, a golden AMI answers a spike sooner than
 * a long user-data script, and busy workers share the vCPUs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/autoscaling.h"
#include "model/cpu.h"
#include "stratus/engine.h"
#include "result_checks.h"
#include "scenario_checks.h"
#include "stratus/model.h"
#include "stratus/results.h"

/* A two-AZ group behind a load balancer: c5.large instances (2 vCPUs, 2 workers) whose
 * requests take 100 ms of CPU, so one instance serves 20/s at 100% CPU; the load steps
 * from 10/s to 66/s at 30 minutes (6.6 instances at 50%: 7 settle at 47%). */
static const char base_yaml[] =
  "duration: 90m\n"
  "warmup: 0s\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n"
  "load_balancers:\n"
  "  alb: {target_group: tg, processing_time: 0s}\n"
  "target_groups:\n"
  "  tg:\n"
  "    deregistration_delay: 10s\n"
  "    health_check: {interval: 10s, timeout: 2s, healthy_threshold: 2, unhealthy_threshold: 2}\n"
  "amis:\n"
  "  golden: {boot_time: 20s, app_start_time: 5s}\n"
  "launch_templates:\n"
  "  lt:\n"
  "    ami: golden\n"
  "    instance_type: c5.large\n"
  "    workers: 2\n"
  "    queue_limit: 100000\n"
  "    service_time: {dist: exponential, mean: 100ms}\n"
  "auto_scaling_groups:\n"
  "  g:\n"
  "    launch_template: lt\n"
  "    min_size: 2\n"
  "    max_size: 30\n"
  "    desired_capacity: 2\n"
  "    target_groups: [tg]\n"
  "    health_check_grace_period: 0s\n"
  "    policies:\n"
  "      cpu: {type: target_tracking, metric: cpu, target: 50}\n"
  "workload:\n"
  "  users:\n"
  "    entry: alb\n"
  "    rate: {shape: steps, steps: [{at: 0s, rate: 10/s}, {at: 30m, rate: 66/s}]}\n"
  "    timeout: 60s\n"
  "report: {interval: 1m}\n";

/* One replication with seed 1 (and `setup`, if any). */
static StratusRunResult *
run (const StratusScenario *s, StratusModelAction setup, void *data)
{
  StratusRunOptions options = { .seed = 1, .setup = setup, .setup_data = data };
  return stratus_model_run (s, &options);
}

/* The timeline events of `kind`, in order (the array is the caller's). */
static GPtrArray *
events_of (const StratusRunResult *r, StratusEventKind kind)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < r->timeline->len; i++)
    {
      StratusTimelineEvent *e = &g_array_index (r->timeline, StratusTimelineEvent, i);
      if (e->kind == kind)
        g_ptr_array_add (out, e);
    }
  return out;
}

static const StratusTimelineEvent *
event_at (GPtrArray *events, guint i)
{
  return g_ptr_array_index (events, i);
}

/* Mean CPU of the group's rows that start at or after `from`. */
static double
mean_cpu_from (const StratusRunResult *r, StratusTime from)
{
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    {
      StratusGroupRow row = stratus_run_result_group_row (r, i);
      if (row.start >= from && !isnan (row.cpu))
        {
          sum += row.cpu;
          n++;
        }
    }
  assert_true (n > 0);
  return sum / n;
}

/* ---- target tracking ------------------------------------------------------------------ */

static void
target_tracking_settles_near_its_target (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *scaling = events_of (r, STRATUS_EVENT_SCALING);
  assert_true (scaling->len >= 2);
  /* The step comes at 30:00; three one-minute datapoints above the target (31:00, 32:00,
   * 33:00) put the high alarm in alarm at 33:00, when the first scale-out happens. */
  assert_int_equal (event_at (scaling, 0)->at, 33 * 60 * STRATUS_SECOND);
  assert_int_equal (event_at (scaling, 0)->from, 2);
  assert_true (event_at (scaling, 0)->to > 2);
  /* It settles: no decision in the last half hour, CPU within 10% of 50%, 7 instances. */
  const StratusTimelineEvent *last = event_at (scaling, scaling->len - 1);
  assert_true (last->at < 60 * 60 * STRATUS_SECOND);
  double cpu = mean_cpu_from (r, 60 * 60 * STRATUS_SECOND);
  assert_true (cpu > 45.0 && cpu < 55.0);
  const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
  assert_int_equal (g->desired_end, 7);
  /* Under-provisioned while the launched instances booted: about 25 s per scale-out. */
  assert_true (g->under_provisioned > 30 * STRATUS_SECOND
               && g->under_provisioned < 3 * 60 * STRATUS_SECOND);
  g_ptr_array_unref (scaling);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  /* A one-of-one alarm acts on the first datapoint above: at 31:00. */
  s = load_ok_set (base_yaml,
                   "auto_scaling_groups.g.policies.cpu.scale_out.datapoints=1",
                   "auto_scaling_groups.g.policies.cpu.scale_out.evaluation_periods=1", NULL);
  r = run (s, NULL, NULL);
  scaling = events_of (r, STRATUS_EVENT_SCALING);
  assert_true (scaling->len >= 1);
  assert_int_equal (event_at (scaling, 0)->at, 31 * 60 * STRATUS_SECOND);
  g_ptr_array_unref (scaling);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  /* With CloudWatch's lag: the third datapoint arrives 45 s after its period. */
  s = load_ok_set (base_yaml, "auto_scaling_groups.g.policies.cpu.publication_delay=45s", NULL);
  r = run (s, NULL, NULL);
  scaling = events_of (r, STRATUS_EVENT_SCALING);
  assert_true (scaling->len >= 1);
  assert_int_equal (event_at (scaling, 0)->at, (33 * 60 + 45) * STRATUS_SECOND);
  g_ptr_array_unref (scaling);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* Simple scaling: at most one action per cooldown (300 s by default). */
static const char simple_policy[] =
  "{type: simple, metric: cpu, alarm: {above: 30}, adjustment: 1}";

static void
simple_scaling_waits_for_its_cooldown_and_tracking_does_not (void **state)
{
  (void) state;
  char *set = g_strdup_printf ("auto_scaling_groups.g.policies.cpu=%s", simple_policy);
  StratusScenario *s = load_ok_set (base_yaml, set, "auto_scaling_groups.g.max_size=6", NULL);
  g_free (set);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *scaling = events_of (r, STRATUS_EVENT_SCALING);
  assert_true (scaling->len >= 3);
  for (guint i = 1; i < scaling->len; i++)
    assert_true (event_at (scaling, i)->at - event_at (scaling, i - 1)->at
                 >= 300 * STRATUS_SECOND);
  g_ptr_array_unref (scaling);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  /* Target tracking with a one-of-one alarm scales again within the cooldown. */
  s = load_ok_set (base_yaml,
                   "auto_scaling_groups.g.policies.cpu.scale_out.datapoints=1",
                   "auto_scaling_groups.g.policies.cpu.scale_out.evaluation_periods=1",
                   "auto_scaling_groups.g.default_cooldown=300s", NULL);
  r = run (s, NULL, NULL);
  scaling = events_of (r, STRATUS_EVENT_SCALING);
  bool quick = false;
  for (guint i = 1; i < scaling->len; i++)
    quick |= event_at (scaling, i)->at - event_at (scaling, i - 1)->at < 300 * STRATUS_SECOND;
  assert_true (quick);
  g_ptr_array_unref (scaling);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* The time of the second scale-out of a run with warm-up `warmup`. */
static StratusTime
second_scale_out (const char *warmup)
{
  StratusScenario *s = load_ok_set (base_yaml, warmup, NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *scaling = events_of (r, STRATUS_EVENT_SCALING);
  assert_true (scaling->len >= 2);
  StratusTime at = event_at (scaling, 1)->at;
  assert_true (event_at (scaling, 1)->to > event_at (scaling, 1)->from);
  g_ptr_array_unref (scaling);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  return at;
}

static void
warmup_keeps_new_instances_out_of_the_metric (void **state)
{
  (void) state;
  /* Without warm-up the instances launched at 33:00 count once in service (about 25 s
   * later) and the next datapoint asks for more; with 10 minutes of warm-up the metric
   * keeps to the two saturated ones, whose proposal (4) is already desired, until the new
   * ones are warm. */
  StratusTime cold = second_scale_out ("auto_scaling_groups.g.default_instance_warmup=0s");
  StratusTime warm = second_scale_out ("auto_scaling_groups.g.default_instance_warmup=10m");
  assert_true (cold <= 35 * 60 * STRATUS_SECOND);
  assert_true (warm >= (33 * 60 + 25 + 600) * STRATUS_SECOND);
}

static void
min_and_max_clamp_the_desired_capacity (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, "auto_scaling_groups.g.max_size=3", NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    assert_true (stratus_run_result_group_row (r, i).desired <= 3);
  const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
  assert_int_equal (g->desired_end, 3);
  assert_int_equal (g->peak_in_service, 3);
  stratus_run_result_free (r);
  stratus_scenario_free (s);

  /* Little load: the policy would go to one instance; min keeps two. */
  s = load_ok_set (base_yaml, "workload.users.rate=2/s", NULL);
  r = run (s, NULL, NULL);
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    assert_true (stratus_run_result_group_row (r, i).desired >= 2);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
scheduled_actions_fire_on_time (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, "workload.users.rate=10/s",
                                    "auto_scaling_groups.g.policies={}",
                                    "auto_scaling_groups.g.scheduled_actions="
                                    "{grow: {at: 10m, desired_capacity: 5},"
                                    " every20: {recurrence: '*/20 * * * *', min_size: 3}}",
                                    NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *fired = events_of (r, STRATUS_EVENT_SCHEDULED);
  /* every20 at 0, 20, 40, 60 and 80 minutes; grow at 10. */
  const int64_t expected[] = { 0, 10, 20, 40, 60, 80 };
  assert_int_equal (fired->len, G_N_ELEMENTS (expected));
  for (guint i = 0; i < fired->len; i++)
    assert_int_equal (event_at (fired, i)->at, expected[i] * 60 * STRATUS_SECOND);
  assert_string_equal (event_at (fired, 1)->subject, "grow");
  assert_int_equal (event_at (fired, 1)->to, 5);
  const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
  assert_int_equal (g->desired_end, 5);
  g_ptr_array_unref (fired);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* ---- health ---------------------------------------------------------------------------- */

static void
an_instance_killed_by_memory_is_replaced (void **state)
{
  (void) state;
  /* A t3.micro (1 GiB) with 900 MiB at rest and 10 MiB per request has room for 12
   * requests; 30/s on one instance that serves 20/s fills it. Its application takes 30
   * minutes to restart, so the ELB health check finds it dead and the group replaces it. */
  StratusScenario *s = load_ok_set (base_yaml, "duration=20m", "workload.users.rate=30/s",
                                    "launch_templates.lt.instance_type=t3.micro",
                                    "launch_templates.lt.memory={base: 900MiB, per_request: 10MiB}",
                                    "amis.golden.app_start_time=30m",
                                    "auto_scaling_groups.g.min_size=1",
                                    "auto_scaling_groups.g.max_size=1",
                                    "auto_scaling_groups.g.desired_capacity=1",
                                    "auto_scaling_groups.g.health_check_type=ELB",
                                    "auto_scaling_groups.g.policies={}", NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *killed = events_of (r, STRATUS_EVENT_APP_KILLED);
  GPtrArray *replaced = events_of (r, STRATUS_EVENT_REPLACE);
  assert_true (killed->len >= 1);
  assert_true (replaced->len >= 1);
  assert_string_equal (event_at (replaced, 0)->subject, event_at (killed, 0)->subject);
  /* Found within two failed checks (10 s apart) after the kill, plus the timeout. */
  assert_true (event_at (replaced, 0)->at - event_at (killed, 0)->at <= 22 * STRATUS_SECOND);
  assert_true (r->outcomes[STRATUS_OUTCOME_502_TARGET_RESET] > 0);
  const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
  assert_true (g->replacements >= 1 && g->app_kills >= 1 && g->launches >= 2);
  g_ptr_array_unref (killed);
  g_ptr_array_unref (replaced);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* At 10 minutes, us-east-1b goes dark. */
static void
fail_az_b (StratusModel *m, void *data)
{
  assert_true (stratus_model_set_az_down (m, "us-east-1b", true));
}

static void
setup_az_failure (StratusModel *m, void *data)
{
  stratus_model_at (m, 600 * STRATUS_SECOND, fail_az_b, NULL);
}

static void
health_checks_find_an_unreachable_target_in_time (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, "duration=15m",
                                    "auto_scaling_groups.g.desired_capacity=4",
                                    "auto_scaling_groups.g.policies={}", NULL);
  StratusRunResult *r = run (s, setup_az_failure, NULL);
  GPtrArray *health = events_of (r, STRATUS_EVENT_HEALTH);
  unsigned found = 0;
  for (guint i = 0; i < health->len; i++)
    {
      const StratusTimelineEvent *e = event_at (health, i);
      if (strstr (e->detail, "-> unhealthy") == NULL)
        continue;
      assert_string_equal (e->az, "us-east-1b");
      /* Within unhealthy threshold x interval + timeout = 2 x 10 s + 2 s. */
      assert_true (e->at > 600 * STRATUS_SECOND && e->at <= 622 * STRATUS_SECOND);
      found++;
    }
  assert_int_equal (found, 2);
  g_ptr_array_unref (health);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* us-east-1b goes dark at 5 minutes and comes back at 15. */
static void
recover_az_b (StratusModel *m, void *data)
{
  assert_true (stratus_model_set_az_down (m, "us-east-1b", false));
}

static void
setup_az_outage (StratusModel *m, void *data)
{
  stratus_model_at (m, 300 * STRATUS_SECOND, fail_az_b, NULL);
  stratus_model_at (m, 900 * STRATUS_SECOND, recover_az_b, NULL);
}

static void
an_impaired_az_gets_no_launches_and_the_group_rebalances_after (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, "duration=30m",
                                    "auto_scaling_groups.g.desired_capacity=4",
                                    "auto_scaling_groups.g.max_size=4",
                                    "auto_scaling_groups.g.health_check_type=ELB",
                                    "auto_scaling_groups.g.policies={}", NULL);
  StratusRunResult *r = run (s, setup_az_outage, NULL);
  /* The two instances in us-east-1b are replaced in us-east-1a while it is dark. */
  GPtrArray *replaced = events_of (r, STRATUS_EVENT_REPLACE);
  assert_int_equal (replaced->len, 2);
  GPtrArray *launched = events_of (r, STRATUS_EVENT_LAUNCH);
  for (guint i = 0; i < launched->len; i++)
    {
      const StratusTimelineEvent *e = event_at (launched, i);
      if (e->at > 300 * STRATUS_SECOND && e->at < 900 * STRATUS_SECOND)
        assert_string_equal (e->az, "us-east-1a");
    }
  /* Back up: launches in us-east-1b first (over max by one meanwhile), then terminates in
   * us-east-1a, until 2 + 2. */
  GPtrArray *rebalanced = events_of (r, STRATUS_EVENT_REBALANCE);
  assert_int_equal (rebalanced->len, 2);
  assert_true (event_at (rebalanced, 0)->at >= 900 * STRATUS_SECOND);
  int in_service[2] = { -1, -1 }, peak = 0;
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    {
      StratusGroupRow row = stratus_run_result_group_row (r, i);
      peak = MAX (peak, row.in_service + row.pending);
    }
  for (size_t i = 0; i < stratus_run_result_group_az_row_count (r); i++)
    {
      StratusGroupAzRow row = stratus_run_result_group_az_row (r, i);
      if (row.start == 29 * 60 * STRATUS_SECOND)
        in_service[row.az] = row.in_service;
    }
  assert_int_equal (in_service[0], 2);
  assert_int_equal (in_service[1], 2);
  assert_true (peak <= 5); /* max 4, plus one while rebalancing */
  g_ptr_array_unref (replaced);
  g_ptr_array_unref (launched);
  g_ptr_array_unref (rebalanced);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
a_new_template_version_with_instance_refresh_replaces_every_instance (void **state)
{
  (void) state;
  /* At 20 minutes version 2 (a new AMI whose application needs half the CPU) becomes the
   * default; the refresh keeps 75% of 4 in service, so it replaces one at a time. */
  StratusScenario *s
    = load_ok_set (base_yaml, "duration=40m", "workload.users.rate=30/s",
                   "auto_scaling_groups.g.desired_capacity=4",
                   "auto_scaling_groups.g.policies={}",
                   ""
                   "auto_scaling_groups.g.instance_refresh={min_healthy_percentage: 75}",
                   "amis.v2={boot_time: 20s, app_start_time: 5s}",
                   "launch_templates.lt.versions=[{at: 20m, ami: v2,"
                   " service_time: {dist: exponential, mean: 50ms}}]",
                   NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *refresh = events_of (r, STRATUS_EVENT_REFRESH);
  /* The new version, four batches of one, done. */
  assert_int_equal (refresh->len, 6);
  assert_int_equal (event_at (refresh, 0)->at, 20 * 60 * STRATUS_SECOND);
  assert_non_null (strstr (event_at (refresh, 0)->detail, "version 2"));
  assert_non_null (strstr (event_at (refresh, 1)->detail, "replacing 1 of 4"));
  assert_non_null (strstr (event_at (refresh, 5)->detail, "done"));
  assert_true (event_at (refresh, 5)->at < 30 * 60 * STRATUS_SECOND);
  /* Eight instances in all; the four originals gone, never fewer than three in service. */
  assert_int_equal (r->instances->len, 8);
  for (guint i = 0; i < 4; i++)
    assert_true (g_array_index (r->instances, StratusInstanceResult, i).terminated
                 < 30 * 60 * STRATUS_SECOND);
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    assert_true (stratus_run_result_group_row (r, i).in_service >= 3);
  /* Version 2 does the same work with half the CPU. */
  double before = 0, after = 0;
  for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
    {
      StratusGroupRow row = stratus_run_result_group_row (r, i);
      if (row.start >= 10 * 60 * STRATUS_SECOND && row.start < 15 * 60 * STRATUS_SECOND)
        before += row.cpu / 5;
      if (row.start >= 34 * 60 * STRATUS_SECOND && row.start < 39 * 60 * STRATUS_SECOND)
        after += row.cpu / 5;
    }
  assert_true (after < 0.6 * before && after > 0.4 * before);
  g_ptr_array_unref (refresh);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* A group in a VPC whose security group lets the load balancer in on port 80 only; the
 * health check probes port %s. */
static const char vpc_yaml[] =
  "duration: 2m\n"
  "warmup: 0s\n"
  "azs: [us-east-1a, us-east-1b]\n"
  "latency: {same_az: 0.1ms, cross_az: 0.5ms, internet: 1ms}\n"
  "vpc:\n"
  "  cidr: 10.0.0.0/16\n"
  "  internet_gateway: igw\n"
  "  subnets:\n"
  "    public-a: {cidr: 10.0.0.0/24, az: us-east-1a, route_table: public}\n"
  "    public-b: {cidr: 10.0.1.0/24, az: us-east-1b, route_table: public}\n"
  "    private-a: {cidr: 10.0.2.0/24, az: us-east-1a, route_table: private}\n"
  "    private-b: {cidr: 10.0.3.0/24, az: us-east-1b, route_table: private}\n"
  "  route_tables:\n"
  "    public: {routes: [{destination: 0.0.0.0/0, target: igw}]}\n"
  "    private: {routes: []}\n"
  "  security_groups:\n"
  "    alb-sg: {inbound: [{protocol: tcp, ports: 80, source: 0.0.0.0/0}]}\n"
  "    web-sg: {inbound: [{protocol: tcp, ports: 80, source: alb-sg}]}\n"
  "load_balancers:\n"
  "  alb: {subnets: [public-a, public-b], security_groups: [alb-sg], target_group: tg}\n"
  "target_groups:\n"
  "  tg: {health_check: {port: %s, interval: 10s, timeout: 2s}}\n"
  "amis:\n"
  "  golden: {}\n"
  "launch_templates:\n"
  "  lt: {ami: golden, security_groups: [web-sg], service_time: 10ms}\n"
  "auto_scaling_groups:\n"
  "  g: {launch_template: lt, subnets: [private-a, private-b], min_size: 2, max_size: 2,"
  " target_groups: [tg]}\n"
  "workload:\n"
  "  users: {entry: alb, rate: 10/s}\n";

static void
a_security_group_that_blocks_health_checks_marks_targets_unhealthy (void **state)
{
  (void) state;
  /* Port 8080 is not open to the load balancer: both probes of each target time out (at 2
   * and 12 s), both become unhealthy, and the load balancer fails open. */
  char *text = g_strdup_printf (vpc_yaml, "8080");
  StratusScenario *s = load_ok_set (text, NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *health = events_of (r, STRATUS_EVENT_HEALTH);
  assert_int_equal (health->len, 2);
  for (guint i = 0; i < health->len; i++)
    {
      assert_string_equal (event_at (health, i)->detail, "initial -> unhealthy");
      assert_int_equal (event_at (health, i)->at, 12 * STRATUS_SECOND);
    }
  assert_true (r->outcomes[STRATUS_OUTCOME_503_NO_TARGETS] > 0);
  assert_true (r->outcomes[STRATUS_OUTCOME_OK] > 900);
  g_ptr_array_unref (health);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  g_free (text);

  /* On the traffic port they pass at once. */
  text = g_strdup_printf (vpc_yaml, "traffic-port");
  s = load_ok_set (text, NULL);
  r = run (s, NULL, NULL);
  health = events_of (r, STRATUS_EVENT_HEALTH);
  assert_int_equal (health->len, 2);
  for (guint i = 0; i < health->len; i++)
    {
      assert_string_equal (event_at (health, i)->detail, "initial -> healthy");
      assert_true (event_at (health, i)->at < STRATUS_SECOND / 100);
    }
  assert_int_equal (stratus_outcome_failed_total (r->outcomes), 0);
  g_ptr_array_unref (health);
  stratus_run_result_free (r);
  assert_true (stratus_model_check (s, NULL, NULL));
  stratus_scenario_free (s);
  g_free (text);

  /* `validate` (and `run` without --allow-blocked) finds the blocked health checks. */
  text = g_strdup_printf (vpc_yaml, "8080");
  s = load_ok_set (text, NULL);
  GError *error = NULL;
  assert_false (stratus_model_check (s, NULL, &error));
  assert_string_equal (error->message,
                       "t.yaml:22:3: alb@us-east-1a (health check) -> g-1: blocked by security "
                       "group web-sg (no inbound rule for tcp/8080 from alb-sg) (stratus validate "
                       "--explain shows every hop)");
  g_error_free (error);
  stratus_scenario_free (s);
  g_free (text);
}

/* At 5 minutes, instance 0 stops. */
static void
stop_first (StratusModel *m, void *data)
{
  stratus_model_stop_instance (m, 0);
}

static void
setup_stop (StratusModel *m, void *data)
{
  stratus_model_at (m, 300 * STRATUS_SECOND, stop_first, NULL);
}

static void
a_stopped_instance_is_replaced_at_once (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, "duration=10m", "auto_scaling_groups.g.policies={}",
                                    NULL);
  StratusRunResult *r = run (s, setup_stop, NULL);
  assert_int_equal (r->instances->len, 3);
  const StratusInstanceResult *stopped = &g_array_index (r->instances, StratusInstanceResult, 0);
  const StratusInstanceResult *replacement = &g_array_index (r->instances, StratusInstanceResult, 2);
  assert_int_equal (stopped->terminated, 300 * STRATUS_SECOND);
  assert_int_equal (replacement->launched, 300 * STRATUS_SECOND);
  /* Billed from running (boot 20 s) to the end. */
  assert_int_equal (replacement->running, 320 * STRATUS_SECOND);
  assert_int_equal (replacement->billed, 280 * STRATUS_SECOND);
  const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
  assert_int_equal (g->launches, 3);
  assert_int_equal (g->terminations, 1);
  /* Under-provisioned from the stop until the replacement passed its check (25 s). */
  assert_true (g->under_provisioned >= 25 * STRATUS_SECOND
               && g->under_provisioned < 26 * STRATUS_SECOND);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
scale_in_keeps_the_azs_balanced (void **state)
{
  (void) state;
  StratusScenario *s = load_ok_set (base_yaml, "duration=20m", "auto_scaling_groups.g.policies={}",
                                    "auto_scaling_groups.g.desired_capacity=6",
                                    "auto_scaling_groups.g.scheduled_actions="
                                    "{shrink: {at: 5m, desired_capacity: 2},"
                                    " regrow: {at: 10m, desired_capacity: 5}}",
                                    NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  /* Per AZ at the end of each interval: 3 + 3, then 1 + 1, then 3 + 2. */
  int at4[2] = { -1, -1 }, at9[2] = { -1, -1 }, at19[2] = { -1, -1 };
  for (size_t i = 0; i < stratus_run_result_group_az_row_count (r); i++)
    {
      StratusGroupAzRow row = stratus_run_result_group_az_row (r, i);
      int total = row.in_service + row.pending;
      if (row.start == 3 * 60 * STRATUS_SECOND)
        at4[row.az] = total;
      if (row.start == 9 * 60 * STRATUS_SECOND)
        at9[row.az] = row.in_service;
      if (row.start == 19 * 60 * STRATUS_SECOND)
        at19[row.az] = row.in_service;
    }
  assert_int_equal (at4[0], 3);
  assert_int_equal (at4[1], 3);
  assert_int_equal (at9[0], 1);
  assert_int_equal (at9[1], 1);
  assert_int_equal (at19[0] + at19[1], 5);
  assert_true (abs (at19[0] - at19[1]) == 1);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* Utilisation of instance `id` in the row starting at `start` (-1 if none). */
static double
utilisation (const StratusRunResult *r, unsigned id, StratusTime start)
{
  for (size_t i = 0; i < stratus_run_result_instance_interval_count (r); i++)
    {
      StratusInstanceRow row = stratus_run_result_instance_interval (r, i);
      if (row.instance == id && row.start == start)
        return row.utilisation;
    }
  return -1;
}

static void
slow_start_ramps_a_new_target_up (void **state)
{
  (void) state;
  /* Two instances at 20/s; a third joins at about 10:25 with 10 minutes of slow start. */
  StratusScenario *s = load_ok_set (base_yaml, "duration=30m", "workload.users.rate=20/s",
                                    "target_groups.tg.slow_start=600s",
                                    "auto_scaling_groups.g.policies={}",
                                    "auto_scaling_groups.g.scheduled_actions="
                                    "{grow: {at: 10m, desired_capacity: 3}}",
                                    NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  assert_int_equal (r->instances->len, 3);
  double old_early = utilisation (r, 0, 12 * 60 * STRATUS_SECOND);
  double new_early = utilisation (r, 2, 12 * 60 * STRATUS_SECOND);
  double old_late = utilisation (r, 0, 25 * 60 * STRATUS_SECOND);
  double new_late = utilisation (r, 2, 25 * 60 * STRATUS_SECOND);
  /* About 2.5/10 of a full share in its second minute; a full share once ramped. */
  assert_true (new_early < 0.45 * old_early);
  assert_true (new_late > 0.8 * old_late && new_late < 1.25 * old_late);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

static void
the_load_balancer_fails_open_when_every_target_is_unhealthy (void **state)
{
  (void) state;
  /* A 1.5 s hop each way: every health check (2 s timeout) times out, yet requests are
   * answered. Once both targets are unhealthy, the load balancer routes to them all. */
  StratusScenario *s = load_ok_set (base_yaml, "duration=10m", "workload.users.rate=5/s",
                                    "latency.same_az=1.5s", "latency.cross_az=1.5s",
                                    "auto_scaling_groups.g.policies={}", NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  GPtrArray *health = events_of (r, STRATUS_EVENT_HEALTH);
  assert_int_equal (health->len, 2);
  for (guint i = 0; i < health->len; i++)
    assert_string_equal (event_at (health, i)->detail, "initial -> unhealthy");
  /* Refused only while they were initial (two failed checks: 12 s, about 60 requests at
   * 5/s); answered after. */
  uint64_t refused = r->outcomes[STRATUS_OUTCOME_503_NO_TARGETS];
  assert_true (refused > 0 && refused < 5 * 20);
  assert_true (r->outcomes[STRATUS_OUTCOME_OK] > 2500);
  g_ptr_array_unref (health);
  stratus_run_result_free (r);
  stratus_scenario_free (s);
}

/* p99 latency (ms) of the spike scenario with user data taking `user_data`. */
static double
spike_p99 (const char *user_data)
{
  StratusScenario *s
    = load_ok_set (base_yaml, "duration=40m", user_data,
                   "workload.users.rate={shape: spike, base: 10/s, peak: 80/s, "
                   "at: 10m,"
                   " for: 15m}",
                   "auto_scaling_groups.g.policies.cpu.scale_out.datapoints=1",
                   ""
                   "auto_scaling_groups.g.policies.cpu.scale_out.evaluation_periods=1",
                   NULL);
  StratusRunResult *r = run (s, NULL, NULL);
  double p99 = stratus_histogram_percentile (r->latency, 99) / 1e6;
  stratus_run_result_free (r);
  stratus_scenario_free (s);
  return p99;
}

static void
a_golden_ami_answers_a_spike_sooner (void **state)
{
  (void) state;
  double golden = spike_p99 ("launch_templates.lt.user_data_time=0s");
  double bootstrap = spike_p99 ("launch_templates.lt.user_data_time=5m");
  assert_true (golden < bootstrap);
}

/* ---- processor sharing ------------------------------------------------------------------ */

static Job *done_order[8];
static StratusTime done_at[8];
static unsigned n_done;

static void
record_done (StratusSim *sim, Job *job)
{
  done_order[n_done] = job;
  done_at[n_done++] = stratus_sim_now (sim);
}

/* Starts `job` on the instance at the event's time. */
static void
on_start (StratusSim *sim, void *target, uint64_t arg)
{
  Instance *inst = stratus_sim_context (sim);
  cpu_start (sim, inst, target, (StratusTime) arg, record_done);
}

static void
busy_workers_share_the_vcpus (void **state)
{
  (void) state;
  StratusFleetConfig fleet = { .workers = 4 };
  Instance inst = { .fleet = &fleet };
  StratusSim *sim = stratus_sim_new ();
  stratus_sim_set_context (sim, &inst);
  cpu_init (&inst, 2, 0);
  Job jobs[3] = { { .instance = &inst }, { .instance = &inst }, { .instance = &inst } };
  const StratusTime ms = STRATUS_MS;
  /* A alone from 0 (100 ms of work); B and C join at 50 ms: three jobs on two vCPUs go at
   * 2/3 speed, so A's last 50 ms take 75 ms (done at 125 ms); B and C have 50 ms left and
   * finish together at full speed 50 ms later. */
  stratus_sim_schedule_at (sim, 0, on_start, &jobs[0], (uint64_t) (100 * ms));
  stratus_sim_schedule_at (sim, 50 * ms, on_start, &jobs[1], (uint64_t) (100 * ms));
  stratus_sim_schedule_at (sim, 50 * ms, on_start, &jobs[2], (uint64_t) (100 * ms));
  stratus_sim_run_until (sim, STRATUS_SECOND);
  assert_int_equal (n_done, 3);
  assert_ptr_equal (done_order[0], &jobs[0]);
  assert_true (llabs (done_at[0] - 125 * ms) <= 1);
  assert_true (llabs (done_at[1] - 175 * ms) <= 1 && llabs (done_at[2] - 175 * ms) <= 1);
  /* Busy vCPUs over the second: 1 for 50 ms, 2 for 125 ms: 300 vCPU-ms. */
  double area = stratus_time_average_area (&inst.cpu_busy, STRATUS_SECOND);
  assert_true (fabs (area - 300.0 * ms) < 10);
  assert_int_equal (inst.computing, 0);
  cpu_free (&inst);
  stratus_sim_free (sim);
}

/* ---- chaos ------------------------------------------------------------------------------- */

typedef struct
{
  GRand *rand;
  unsigned actions;
  bool b_down;
} Chaos;

/* One random change (a stop, a deregistration, us-east-1b failing or recovering), then the
 * next in 5 to 30 s. */
static void
chaos_step (StratusModel *m, void *data)
{
  Chaos *c = data;
  c->actions++;
  unsigned n = stratus_model_instance_count (m);
  switch (g_rand_int_range (c->rand, 0, 3))
    {
    case 0:
      stratus_model_stop_instance (m, (unsigned) g_rand_int_range (c->rand, 0, (gint32) n));
      break;
    case 1:
      stratus_model_deregister (m, (unsigned) g_rand_int_range (c->rand, 0, (gint32) n));
      break;
    default:
      c->b_down = !c->b_down;
      stratus_model_set_az_down (m, "us-east-1b", c->b_down);
      break;
    }
  stratus_model_at (m, stratus_model_now (m) + g_rand_int_range (c->rand, 5, 31) * STRATUS_SECOND,
                    chaos_step, c);
}

static void
setup_chaos (StratusModel *m, void *data)
{
  stratus_model_at (m, 10 * STRATUS_SECOND, chaos_step, data);
}

static void
random_failures_keep_the_group_consistent (void **state)
{
  (void) state;
  /* Shared vCPUs, memory kills, slow start, two policies, ELB health checks, under random
   * stops, deregistrations and AZ failures: every request is accounted for and the group
   * keeps within its bounds. */
  StratusScenario *s = load_ok_set (base_yaml, "duration=20m", "workload.users.timeout=5s",
                                    "workload.users.rate={shape: spike, base: 20/s, peak: 80/s, "
                                    "at: 5m,"
                                    " for: 5m}",
                                    "launch_templates.lt.workers=6",
                                    "launch_templates.lt.instance_type=t3.micro",
                                    "launch_templates.lt.memory={base: 700MiB, per_request: 30MiB}",
                                    "target_groups.tg.slow_start=30s",
                                    "auto_scaling_groups.g.max_size=8",
                                    "auto_scaling_groups.g.health_check_type=ELB",
                                    "auto_scaling_groups.g.policies.simple={type: simple, metric: "
                                    "memory,"
                                    " alarm: {above: 90}, adjustment: 1, cooldown: 60s}",
                                    NULL);
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      Chaos c = { g_rand_new_with_seed (seed), 0, false };
      StratusRunOptions options = { .seed = seed, .setup = setup_chaos, .setup_data = &c };
      StratusRunResult *r = stratus_model_run (s, &options);
      assert_true (c.actions >= 30);
      assert_requests_accounted (r);
      assert_true (r->outcomes[STRATUS_OUTCOME_OK] > 0);
      for (size_t i = 0; i < stratus_run_result_group_row_count (r); i++)
        {
          StratusGroupRow row = stratus_run_result_group_row (r, i);
          assert_true (row.desired >= row.min && row.desired <= row.max);
          assert_true (row.in_service + row.pending <= row.max + 1);
        }
      for (guint i = 0; i < r->instances->len; i++)
        {
          const StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, i);
          assert_true (ir->terminated == STRATUS_TIME_NEVER || ir->terminated >= ir->launched);
          assert_true (ir->billed <= s->duration);
          assert_true (ir->utilisation >= 0 && ir->utilisation <= 1 + 1e-9);
        }
      const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
      printf ("chaos seed %u: %u changes, %u instances, %u replacements, %u kills, %"
              G_GUINT64_FORMAT " requests, ok %" G_GUINT64_FORMAT "\n", seed, c.actions,
              r->instances->len, g->replacements, g->app_kills, r->total,
              r->outcomes[STRATUS_OUTCOME_OK]);
      stratus_run_result_free (r);
      g_rand_free (c.rand);
    }
  stratus_scenario_free (s);
}

static void
an_alarm_counts_up_to_a_hundred_datapoints (void **state)
{
  (void) state;
  StratusAlarmShape shape = { STRATUS_MINUTE, 100, 100 };
  Alarm a = { .shape = &shape };
  for (int i = 0; i < 99; i++)
    assert_false (alarm_push (&a, true));
  assert_true (alarm_push (&a, true)); /* the hundredth of a hundred */
  assert_int_equal (alarm_breaches (&a), 100);
  assert_false (alarm_push (&a, false));
  assert_int_equal (alarm_breaches (&a), 99);
  StratusAlarmShape three = { STRATUS_MINUTE, 2, 3 };
  Alarm b = { .shape = &three };
  assert_false (alarm_push (&b, true));
  assert_false (alarm_push (&b, false));
  assert_true (alarm_push (&b, true));  /* 2 of the last 3 */
  assert_false (alarm_push (&b, false)); /* 1 of the last 3 */
}

static void
request_count_per_target_is_per_minute_whatever_the_period (void **state)
{
  (void) state;
  /* 600 requests per target per minute is 10/s per target: 36/s needs 4, with ten-second
   * datapoints as with one-minute ones. */
  for (int k = 0; k < 2; k++)
    {
      StratusScenario *s = load_ok_set (base_yaml, "duration=45m",
                                        "workload.users.rate={shape: steps, steps: [{at: 0s, "
                                        "rate: 10/s},"
                                        " {at: 30m, rate: 36/s}]}",
                                        k == 0 ? "auto_scaling_groups.g.policies.cpu={type: "
                                                 "target_tracking,"
                                          " metric: request_count_per_target, target: 600, "
                                          "period: 10s}"
                                        : "auto_scaling_groups.g.policies.cpu={type: "
                                          "target_tracking,"
                                          " metric: request_count_per_target, target: 600}",
                                        NULL);
      StratusRunResult *r = run (s, NULL, NULL);
      const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, 0);
      assert_int_equal (g->desired_end, 4);
      stratus_run_result_free (r);
      stratus_scenario_free (s);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (busy_workers_share_the_vcpus),
    cmocka_unit_test (an_alarm_counts_up_to_a_hundred_datapoints),
    cmocka_unit_test (request_count_per_target_is_per_minute_whatever_the_period),
    cmocka_unit_test (target_tracking_settles_near_its_target),
    cmocka_unit_test (simple_scaling_waits_for_its_cooldown_and_tracking_does_not),
    cmocka_unit_test (warmup_keeps_new_instances_out_of_the_metric),
    cmocka_unit_test (min_and_max_clamp_the_desired_capacity),
    cmocka_unit_test (scheduled_actions_fire_on_time),
    cmocka_unit_test (an_instance_killed_by_memory_is_replaced),
    cmocka_unit_test (health_checks_find_an_unreachable_target_in_time),
    cmocka_unit_test (an_impaired_az_gets_no_launches_and_the_group_rebalances_after),
    cmocka_unit_test (a_new_template_version_with_instance_refresh_replaces_every_instance),
    cmocka_unit_test (a_security_group_that_blocks_health_checks_marks_targets_unhealthy),
    cmocka_unit_test (a_stopped_instance_is_replaced_at_once),
    cmocka_unit_test (scale_in_keeps_the_azs_balanced),
    cmocka_unit_test (slow_start_ramps_a_new_target_up),
    cmocka_unit_test (the_load_balancer_fails_open_when_every_target_is_unhealthy),
    cmocka_unit_test (a_golden_ami_answers_a_spike_sooner),
    cmocka_unit_test (random_failures_keep_the_group_consistent),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
