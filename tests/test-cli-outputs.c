/* The stratus command line, run as a separate process: the output folder checked before the
 * run and published as one unit, failures that keep the previous set, interrupts, the
 * run's budget options, a scenario without instances, and the report text of a scenario
 * without Auto Scaling groups. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "tmpdir.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- outputs as one unit ------------------------------------------------------------ */

/* --out is checked before the simulation: a file in the way is exit 1 with one line and
 * nothing on stdout; a folder holding a file stratus did not write is refused (exit 2,
 * naming the file) and stays as it was. */
static void
test_out_checked_first (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *file = write_in (dir, "a-file", "not a folder\n");
  char *below = g_build_filename (file, "out", NULL);

  Result r = run_stratus ("run", scenario, "--out", file);
  expect_status (&r, 1);
  expect_one_line (&r, "stratus run: --out ");
  assert_non_null (strstr (r.err, "not a folder"));
  assert_string_equal (r.out, "");
  result_clear (&r);

  r = run_stratus ("run", scenario, "--out", below);
  expect_status (&r, 1);
  expect_one_line (&r, "stratus run: --out ");
  assert_string_equal (r.out, "");
  result_clear (&r);

  char *theirs = g_build_filename (dir, "theirs", NULL);
  g_mkdir (theirs, 0755);
  char *notes = write_in (theirs, "notes.txt", "mine\n");
  char *old = write_in (theirs, "report.json", "{}\n");
  r = run_stratus ("run", scenario, "--out", theirs, "--format", "json");
  expect_status (&r, 2);
  expect_one_line (&r, "stratus run: --out ");
  assert_non_null (strstr (r.err, "'notes.txt'"));
  assert_string_equal (r.out, "");
  result_clear (&r);
  char *names = list_dir (theirs);
  assert_string_equal (names, "notes.txt report.json");
  g_free (names);
  char *text = read_file (old);
  assert_string_equal (text, "{}\n");
  g_free (text);
  names = list_dir (dir); /* no temporary folder left */
  assert_string_equal (names, "a-file theirs tiny.yaml");
  g_free (names);

  g_free (old);
  g_free (notes);
  g_free (theirs);
  g_free (below);
  g_free (file);
  g_free (scenario);
}

/* A second run into the same --out replaces the whole set (old files of the first run do
 * not survive beside the new ones), and stale temporary folders of dead processes are
 * removed while a live process's one is left alone. */
static void
test_out_replaced_as_unit (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);
  char *fresh = g_build_filename (dir, "fresh", NULL);

  Result r = run_stratus ("run", scenario, "--out", out, "--seed", "7", "-q", "--charts", "svg");
  expect_status (&r, 0);
  result_clear (&r);
  char *names = list_dir (out);
  assert_non_null (strstr (names, "latency.svg"));
  g_free (names);

  char *dead = g_build_filename (dir, ".out.stratus-2147483646.tmp", NULL);
  g_mkdir (dead, 0755);
  g_free (write_in (dead, "report.json", "half\n"));
  char *live_name = g_strdup_printf (".out.stratus-%ld.tmp", (long) getpid ());
  char *live = g_build_filename (dir, live_name, NULL);
  g_mkdir (live, 0755);

  r = run_stratus ("run", scenario, "--out", out, "--seed", "8", "-q");
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  result_clear (&r);
  r = run_stratus ("run", scenario, "--out", fresh, "--seed", "8", "-q");
  expect_status (&r, 0);
  result_clear (&r);

  names = list_dir (out); /* the charts of the first run are gone with its set */
  assert_string_equal (names,
                       "events.csv groups.csv report.json report.txt run.json timeseries.csv");
  g_free (names);
  const char *files[] = { "report.json", "report.txt", "timeseries.csv" };
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      char *a = read_in (out, files[i]), *b = read_in (fresh, files[i]);
      assert_string_equal (a, b);
      g_free (a);
      g_free (b);
    }
  assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));
  g_rmdir (live);
  names = list_dir (dir);
  assert_string_equal (names, "fresh out tiny.yaml");
  g_free (names);

  g_free (live);
  g_free (live_name);
  g_free (dead);
  g_free (fresh);
  g_free (out);
  g_free (scenario);
}

/* A write that fails (files limited to 1 KiB, as on a full disk) is exit 1 with one line;
 * the previous set stays whole and no temporary folder is left. */
static void
test_write_failure_keeps_previous (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("run", scenario, "--out", out, "--seed", "7", "-q");
  expect_status (&r, 0);
  result_clear (&r);
  char *before = read_in (out, "report.json");

  child_file_limit = 1024;
  r = run_stratus ("run", scenario, "--out", out, "--seed", "8", "-q");
  child_file_limit = RLIM_INFINITY;
  expect_status (&r, 1);
  expect_one_line (&r, "stratus run: cannot write ");
  assert_non_null (strstr (r.err, "nothing written"));
  assert_string_equal (r.out, "");
  result_clear (&r);

  char *after = read_in (out, "report.json");
  assert_string_equal (before, after);
  char *names = list_dir (out);
  assert_string_equal (names,
                       "events.csv groups.csv report.json report.txt run.json timeseries.csv");
  g_free (names);
  names = list_dir (dir);
  assert_string_equal (names, "out tiny.yaml");
  g_free (names);
  g_free (after);
  g_free (before);
  g_free (out);
  g_free (scenario);
}

/* Starts a 30-day run with --out DIR/out, waits until its temporary folder exists (the
 * run has started), sends `signo`, and checks: exit 130, one line saying where it stopped
 * and that nothing was written, no file left. */
static void
interrupt_run (const char *dir, const char *scenario, int signo)
{
  char *out = g_build_filename (dir, "out", NULL);
  const char *bin = g_getenv ("STRATUS_BIN");
  const char *argv[] = { bin, "run", scenario, "--out", out, "--set", "duration=30d",
                         "--set", "report.interval=1h", NULL };
  GPid pid;
  int err_fd = -1;
  GError *error = NULL;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &pid, NULL, NULL, &err_fd, &error))
    fail_msg ("cannot run stratus: %s", error->message);
  char *tmp_name = g_strdup_printf (".out.stratus-%ld.tmp", (long) pid);
  char *tmp = g_build_filename (dir, tmp_name, NULL);
  for (int i = 0; i < 600 && !g_file_test (tmp, G_FILE_TEST_IS_DIR); i++)
    g_usleep (50000);
  assert_true (g_file_test (tmp, G_FILE_TEST_IS_DIR));
  g_usleep (300000); /* well into the simulation */
  kill (pid, signo);
  int wait_status = 0;
  assert_int_equal (waitpid (pid, &wait_status, 0), pid);
  GString *err = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (err, buf, n);
  close (err_fd);
  g_spawn_close_pid (pid);

  Result r = { WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1, g_strdup (""),
               g_string_free (err, FALSE) };
  expect_status (&r, 130);
  expect_one_line (&r, "stratus: interrupted during replication 1/1 at simulated ");
  assert_non_null (strstr (r.err, " of 30d; nothing written\n"));
  result_clear (&r);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_free (tmp);
  g_free (tmp_name);
  g_free (out);
}

static void
test_interrupt (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  interrupt_run (dir, scenario, SIGINT);
  interrupt_run (dir, scenario, SIGTERM);
  char *names = list_dir (dir);
  assert_string_equal (names, "tiny.yaml");
  g_free (names);
  g_free (scenario);
}

/* ---- limits, degenerate layouts ------------------------------------------------------ */

/* --dry-run prints the estimate and runs nothing; a limit below the estimate refuses run
 * and validate with one 'file:line:column' line and writes nothing. */
static void
test_budget_options (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);

  Result r = run_stratus ("run", scenario, "--dry-run", "--reps", "3", "--out", out);
  expect_status (&r, 0);
  assert_true (strlen (r.out) > 0);
  assert_null (strstr (r.out, "stratus report"));
  assert_string_equal (r.err, "");
  result_clear (&r);

  r = run_stratus ("run", scenario, "--max-events", "1000", "--out", out);
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_non_null (strstr (r.err, "--max-events"));
  assert_string_equal (r.out, "");
  result_clear (&r);

  r = run_stratus ("run", scenario, "--max-events", "1000", "--dry-run");
  expect_status (&r, 2);
  expect_one_error_line (&r);
  result_clear (&r);

  r = run_stratus ("validate", scenario, "--max-events", "1000");
  expect_status (&r, 2);
  expect_one_error_line (&r);
  assert_string_equal (r.out, "");
  result_clear (&r);

  r = run_stratus ("validate", scenario, "--max-events", "1000000000", "--max-memory", "4GiB");
  expect_status (&r, 0);
  result_clear (&r);

  /* 4 million instances are refused by the estimate at once, before any path is walked
   * (walking them took seconds and 1.6 GB on a release build). */
  GString *many = g_string_new ("duration: 10s\nazs: [us-east-1a]\n"
                                "load_balancers:\n  lb: {target_group: q}\ninstances:\n");
  for (int i = 0; i < 40; i++)
    g_string_append_printf (many, "  s%d: {count: 100000, service_time: 10ms, target_group: q}\n",
                            i);
  g_string_append (many, "workload:\n  w: {entry: lb, rate: 10/s}\n");
  char *big = write_in (dir, "many.yaml", many->str);
  g_string_free (many, TRUE);
  for (int k = 0; k < 2; k++)
    {
      gint64 start = g_get_monotonic_time ();
      r = run_stratus (k == 0 ? "validate" : "run", big, "--max-memory", "1GiB");
      expect_status (&r, 2);
      expect_one_error_line (&r);
      assert_non_null (strstr (r.err, "many.yaml:6:15: instances.s0.count: the run would need about"));
      assert_true (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC);
      result_clear (&r);
    }
  g_free (big);

  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (scenario);
}

/* A fleet of `count: 0` (tests/findings/B8-no-instances.yaml): every request is a 503, the
 * report has no instances, and no GLib critical (fatal here) is raised on the way. */
static void
test_no_instances (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  char *scenario = g_build_filename (root, "tests", "findings", "B8-no-instances.yaml", NULL);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_fatal_criticals ("run", scenario, "--format", "json", "--out", out, "-q");
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  JsonParser *parser = parse_json (r.out);
  double total = json_number (parser, "requests.total");
  assert_true (total > 50);
  assert_float_equal (json_number (parser, "requests.by_status.503"), total, 0);
  JsonNode *instances = json_at (parser, "instances"); /* present and empty */
  assert_non_null (instances);
  assert_true (JSON_NODE_HOLDS_OBJECT (instances));
  assert_int_equal (json_object_get_size (json_node_get_object (instances)), 0);
  g_object_unref (parser);
  result_clear (&r);

  r = run_fatal_criticals ("run", scenario, "-q", "--reps", "2");
  expect_status (&r, 0);
  assert_non_null (strstr (r.out, "503.no_targets (the load balancer had no target in service)"));
  assert_string_equal (r.err, "");
  result_clear (&r);
  g_free (out);
  g_free (scenario);
}

/* A shipped scenario without Auto Scaling groups (and with an empty timeline) writes the
 * report.txt it wrote before groups, events.csv and groups.csv came
 * (tests/golden/web-two-az.report.txt: seed 1, one replication), and the two new files
 * hold their headers alone. */
static void
test_report_text_unchanged (void **state)
{
  const char *dir = *state;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  char *scenario = g_build_filename (root, "scenarios", "web-two-az.yaml", NULL);
  char *golden = g_build_filename (root, "tests", "golden", "web-two-az.report.txt", NULL);
  char *out = g_build_filename (dir, "out", NULL);
  Result r = run_stratus ("run", scenario, "--out", out, "-q");
  expect_status (&r, 0);
  result_clear (&r);
  char *expected = read_file (golden);
  assert_non_null (expected);
  char *text = read_in (out, "report.txt");
  assert_string_equal (text, expected);
  char *events = read_in (out, "events.csv");
  assert_string_equal (events,
                       "replication,time_s,event,subject,group,az,from,to,value,detail\n");
  char *groups = read_in (out, "groups.csv");
  assert_string_equal (groups, "replication,time_s,group,az,desired,min,max,in_service,pending,"
                               "cpu_percent,memory_percent\n");
  g_free (groups);
  g_free (events);
  g_free (text);
  g_free (expected);
  g_free (out);
  g_free (golden);
  g_free (scenario);
}

/* The charts of Auto Scaling groups a previous run wrote (capacity-GROUP.EXT,
 * utilisation-GROUP.EXT) are stratus's own: a run into their folder replaces them; other
 * names still make the folder foreign. */
static void
test_group_charts_known (void **state)
{
  const char *dir = *state;
  char *scenario = write_in (dir, "tiny.yaml", tiny);
  char *out = g_build_filename (dir, "out", NULL);
  g_mkdir (out, 0755);
  g_free (write_in (out, "capacity-web-asg.png", "old\n"));
  g_free (write_in (out, "utilisation-web.asg.svg", "old\n"));
  Result r = run_stratus ("run", scenario, "--out", out, "-q");
  expect_status (&r, 0);
  result_clear (&r);
  char *names = list_dir (out);
  assert_string_equal (names,
                       "events.csv groups.csv report.json report.txt run.json timeseries.csv");
  g_free (names);
  g_free (write_in (out, "capacity-web-asg.txt", "mine\n"));
  r = run_stratus ("run", scenario, "--out", out, "-q");
  expect_status (&r, 2);
  result_clear (&r);
  g_free (out);
  g_free (scenario);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_out_checked_first, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_out_replaced_as_unit, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_write_failure_keeps_previous, tmpdir_setup,
                                     tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_interrupt, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_budget_options, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_no_instances, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_report_text_unchanged, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (test_group_charts_known, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
