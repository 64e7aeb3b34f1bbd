/* The report of Auto Scaling groups, from hand-made results (tests/synthetic_result.c):
 * events.csv (quoting, empty fields), groups.csv (group rows then AZ rows), report.json
 * (groups, instance_hours_by_type, timeline, the new instance keys) and its figures by
 * path, the "Auto Scaling" and "Timeline" sections of report.txt and its 200-line cap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "stratus/report.h"
#include "synthetic_result.h"

#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

/* The scenario the results are reported with (no groups: the report must not need them). */
static int
setup (void **state)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (synthetic_yaml, "synthetic.yaml", NULL,
                                                     &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  assert_true (s->auto_scaling_groups == NULL || s->auto_scaling_groups->len == 0);
  *state = s;
  return 0;
}

static int
teardown (void **state)
{
  stratus_scenario_free (*state);
  return 0;
}

/* A report of `reps` replications of synthetic results with `events`. */
static StratusReport *
report_of (const StratusScenario *s, unsigned reps, SyntheticEvents events)
{
  StratusReport *report = stratus_report_new (s);
  for (unsigned i = 0; i < reps; i++)
    {
      StratusRunResult *r = synthetic_result (i, events, 4 + 2 * i);
      stratus_report_add (report, r);
      stratus_run_result_free (r);
    }
  return report;
}

/* events.csv: every field in place, NULL / -1 / NAN empty, the detail with a comma and
 * quotes quoted with its quotes doubled; every replication's events. */
static void
test_events_csv (void **state)
{
  StratusReport *report = report_of (*state, 2, SYNTHETIC_EVENTS_BASIC);
  char *csv = stratus_report_events_csv (report);
  const char *rows = "0,0,launch,web-asg-1,web-asg,us-east-1a,,,,\n"
                     "0,62.5,alarm,cpu-50,web-asg,,,,81.2,CPUUtilization 81.2 >= 50 (3 of 3)\n"
                     "0,62.5,scaling,cpu-50,web-asg,,2,4,81.2,"
                     "CPUUtilization 81.2 >= 50 (3 of 3)\n"
                     "0,90000,health,web-asg-1,web-asg,us-east-1a,,,,"
                     "\"initial -> \"\"healthy\"\", finally\"\n"
                     "0,90060,scaling,scale-in,web-asg,,4,3,,\n";
  char *second = g_strdup (rows);
  second[0] = '1';
  for (char *c = second; (c = strstr (c, "\n0,")) != NULL; c++)
    c[1] = '1';
  char *expected = g_strconcat ("replication,time_s,event,subject,group,az,from,to,value,detail\n",
                                rows, second, NULL);
  assert_string_equal (csv, expected);
  g_free (expected);
  g_free (second);
  g_free (csv);
  stratus_report_free (report);

  report = report_of (*state, 1, SYNTHETIC_EVENTS_NONE);
  csv = stratus_report_events_csv (report);
  assert_string_equal (csv, "replication,time_s,event,subject,group,az,from,to,value,detail\n");
  g_free (csv);
  stratus_report_free (report);
}

/* groups.csv: per interval the group's row (az "all") then one per AZ with only the counts;
 * NAN empty. */
static void
test_groups_csv (void **state)
{
  StratusReport *report = report_of (*state, 2, SYNTHETIC_EVENTS_NONE);
  char *csv = stratus_report_groups_csv (report);
  const char *start =
    "replication,time_s,group,az,desired,min,max,in_service,pending,cpu_percent,memory_percent\n"
    "0,0,web-asg,all,2,2,20,2,0,45.5,\n"
    "0,0,web-asg,us-east-1a,,,,1,0,,\n"
    "0,0,web-asg,us-east-1b,,,,1,0,,\n"
    "0,30,web-asg,all,4,2,20,3,1,,\n"
    "0,30,web-asg,us-east-1a,,,,2,1,,\n"
    "0,30,web-asg,us-east-1b,,,,1,0,,\n"
    "0,60,web-asg,all,4,2,20,4,0,70,\n";
  assert_true (g_str_has_prefix (csv, start));
  assert_non_null (strstr (csv, "\n1,90,web-asg,all,3,2,20,3,0,40,\n"
                                "1,90,web-asg,us-east-1a,,,,2,0,,\n"
                                "1,90,web-asg,us-east-1b,,,,1,0,,\n"));
  unsigned lines = 0;
  for (const char *c = csv; *c; c++)
    lines += *c == '\n';
  assert_int_equal (lines, 1 + 2 * 4 * 3);
  assert_true (g_str_has_suffix (csv, "1,90,web-asg,us-east-1b,,,,1,0,,\n"));
  g_free (csv);
  stratus_report_free (report);
}

/* report.json: the groups object with figures and static facts, instance-hours by type
 * keyed by whole type names, the timeline, the new instance keys; figures by path. */
static void
test_json (void **state)
{
  StratusReport *report = report_of (*state, 1, SYNTHETIC_EVENTS_BASIC);
  char *text = stratus_report_json (report);
  JsonParser *parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  JsonNode *root = json_parser_get_root (parser);
  assert_string_equal (json_node_get_string (json_member (root, "schema", NULL)), "stratus.report/3");
  JsonNode *g = json_member (root, "groups", "web-asg", NULL);
  assert_string_equal (json_node_get_string (json_member (g, "instance_type", NULL)), "c5.large");
  assert_string_equal (json_node_get_string (json_member (g, "metric", NULL)), "cpu");
  assert_int_equal (json_node_get_int (json_member (g, "min", NULL)), 2);
  assert_int_equal (json_node_get_int (json_member (g, "max", NULL)), 20);
  assert_near (json_node_get_double (json_member (g, "target", NULL)), 50, 0);
  assert_near (json_node_get_double (json_member (g, "mean_in_service", NULL)), 3.25, 1e-12);
  assert_int_equal (json_node_get_int (json_member (g, "peak_in_service", NULL)), 4);
  assert_near (json_node_get_double (json_member (g, "under_provisioned_s", NULL)), 90, 1e-9);
  static const char *const counts[] = { "launches", "terminations", "scaling_actions",
                                        "replacements", "app_kills", "desired_end" };
  static const int values[] = { 4, 1, 2, 1, 0, 4 };
  for (size_t i = 0; i < G_N_ELEMENTS (counts); i++)
    assert_int_equal (json_node_get_int (json_member (g, counts[i], NULL)), values[i]);
  JsonNode *by_type = json_member (root, "instance_hours_by_type", NULL);
  assert_near (json_node_get_double (json_member (by_type, "c5.large", NULL)), 1.5, 1e-12);
  assert_near (json_node_get_double (json_member (by_type, "t3.micro", NULL)), 2, 1e-12);
  JsonNode *i1 = json_member (root, "instances", "web-asg-1", NULL);
  assert_string_equal (json_node_get_string (json_member (i1, "type", NULL)), "c5.large");
  assert_near (json_node_get_double (json_member (i1, "running_s", NULL)), 30, 1e-9);
  assert_near (json_node_get_double (json_member (i1, "billed_s", NULL)), 3600, 1e-9);
  assert_true (JSON_NODE_HOLDS_NULL (json_member (root, "instances", "web-asg-3", "running_s", NULL)));

  JsonArray *timeline = json_node_get_array (json_member (root, "timeline", NULL));
  assert_int_equal (json_array_get_length (timeline), 5);
  JsonObject *e0 = json_array_get_object_element (timeline, 0);
  assert_string_equal (json_object_get_string_member (e0, "event"), "launch");
  assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (e0, "value")));
  assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (e0, "from")));
  assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (e0, "detail")));
  JsonObject *e2 = json_array_get_object_element (timeline, 2);
  assert_near (json_object_get_double_member (e2, "t_s"), 62.5, 1e-12);
  assert_string_equal (json_object_get_string_member (e2, "event"), "scaling");
  assert_string_equal (json_object_get_string_member (e2, "subject"), "cpu-50");
  assert_string_equal (json_object_get_string_member (e2, "group"), "web-asg");
  assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (e2, "az")));
  assert_int_equal (json_object_get_int_member (e2, "from"), 2);
  assert_int_equal (json_object_get_int_member (e2, "to"), 4);
  assert_near (json_object_get_double_member (e2, "value"), 81.2, 1e-12);
  JsonObject *e3 = json_array_get_object_element (timeline, 3);
  assert_string_equal (json_object_get_string_member (e3, "detail"),
                       "initial -> \"healthy\", finally");
  assert_int_equal (json_node_get_int (json_member (root, "timeline_dropped", NULL)), 0);
  g_object_unref (parser);
  g_free (text);

  double mean, ci;
  assert_true (stratus_report_figure (report, "groups.web-asg.mean_in_service", &mean, NULL));
  assert_near (mean, 3.25, 1e-12);
  assert_true (stratus_report_figure (report, "instance_hours_by_type.c5.large", &mean, NULL));
  assert_near (mean, 1.5, 1e-12);
  assert_true (stratus_report_figure (report, "instances.db-1.billed_s", &mean, NULL));
  assert_near (mean, 7200, 1e-9);
  assert_false (stratus_report_figure (report, "instance_hours_by_type.c5", NULL, NULL));
  stratus_report_free (report);

  /* Two replications: a mean with a confidence interval, in the JSON's ci95 too. */
  report = report_of (*state, 2, SYNTHETIC_EVENTS_BASIC);
  assert_true (stratus_report_figure (report, "groups.web-asg.launches", &mean, &ci));
  assert_near (mean, 5, 1e-12);
  assert_true (ci > 0);
  text = stratus_report_json (report);
  parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_parser_get_root (parser);
  assert_near (json_node_get_double (json_member (root, "ci95", "groups", "web-asg", "launches",
                                             "half_width", NULL)), ci, 1e-9);
  assert_non_null (json_member (root, "ci95", "instance_hours_by_type", "c5.large", NULL));
  /* The timeline is the first replication's. */
  assert_int_equal (json_array_get_length (json_node_get_array (json_member (root, "timeline", NULL))),
                    5);
  g_object_unref (parser);
  g_free (text);
  stratus_report_free (report);
}

/* report.txt: the Auto Scaling block and the Timeline, columns aligned, days past 24 h. */
static void
test_text (void **state)
{
  StratusReport *report = report_of (*state, 1, SYNTHETIC_EVENTS_BASIC);
  char *text = stratus_report_text (report);
  const char *expected_groups =
    "\nAuto Scaling\n"
    "  web-asg  c5.large  min 2 / desired 2 / max 20   desired at the end 4"
    "   target tracking cpu 50\n"
    "    in service      mean 3.25  peak 4  under-provisioned 90.0 s\n"
    "    instance-hours  1.50\n"
    "    launches        4  terminations 1  scaling actions 2  replacements 1  app kills 0\n"
    "  instance-hours by type  c5.large 1.50  t3.micro 2.00\n";
  const char *expected_timeline =
    "\nTimeline\n"
    "     00:00:00  launch     web-asg  web-asg-1\n"
    "     00:01:02  alarm      web-asg  cpu-50: CPUUtilization 81.2 >= 50 (3 of 3)\n"
    "     00:01:02  scaling    web-asg  cpu-50: CPUUtilization 81.2 >= 50 (3 of 3), "
    "desired 2 -> 4\n"
    "  d1 01:00:00  health     web-asg  web-asg-1: initial -> \"healthy\", finally\n"
    "  d1 01:01:00  scaling    web-asg  scale-in, desired 4 -> 3\n";
  char *both = g_strconcat (expected_groups, expected_timeline, NULL);
  if (!g_str_has_suffix (text, both))
    fail_msg ("report.txt ends:\n%s", text);
  g_free (both);
  g_free (text);
  stratus_report_free (report);
}

/* At most 200 events in report.txt, then how many more are in events.csv (all 250). */
static void
test_text_cap (void **state)
{
  StratusReport *report = report_of (*state, 1, SYNTHETIC_EVENTS_MANY);
  char *text = stratus_report_text (report);
  const char *timeline = strstr (text, "\nTimeline\n");
  assert_non_null (timeline);
  unsigned launches = 0;
  for (const char *c = strstr (timeline, "  launch  "); c != NULL; c = strstr (c + 1, "  launch  "))
    launches++;
  assert_int_equal (launches, 200);
  assert_non_null (strstr (timeline, "  00:03:19  launch     web-asg  web-asg-200\n"
                                     "  ... and 50 more in events.csv\n"));
  assert_null (strstr (timeline, "web-asg-201"));
  char *csv = stratus_report_events_csv (report);
  assert_non_null (strstr (csv, "\n0,249,launch,web-asg-250,web-asg,us-east-1b,,,,\n"));
  g_free (csv);
  g_free (text);
  stratus_report_free (report);
}

/* Without groups and events, no new section (the shipped scenarios: test-cli-outputs). */
static void
test_text_without_groups (void **state)
{
  StratusRunResult *r = synthetic_result (0, SYNTHETIC_EVENTS_NONE, 0);
  for (guint i = 0; i < r->groups->len; i++)
    {
      StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, i);
      g_free (g->name);
      g_free (g->instance_type);
      g_free (g->metric);
    }
  g_array_set_size (r->groups, 0);
  StratusReport *report = stratus_report_new (*state);
  stratus_report_add (report, r);
  stratus_run_result_free (r);
  char *text = stratus_report_text (report);
  assert_null (strstr (text, "Auto Scaling"));
  assert_null (strstr (text, "Timeline"));
  assert_int_equal (stratus_report_group_count (report), 0);
  g_free (text);
  stratus_report_free (report);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_events_csv, setup, teardown),
    cmocka_unit_test_setup_teardown (test_groups_csv, setup, teardown),
    cmocka_unit_test_setup_teardown (test_json, setup, teardown),
    cmocka_unit_test_setup_teardown (test_text, setup, teardown),
    cmocka_unit_test_setup_teardown (test_text_cap, setup, teardown),
    cmocka_unit_test_setup_teardown (test_text_without_groups, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
