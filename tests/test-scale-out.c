/* Experiments at scale through the real binary (STRATUS_BIN): whatever way the work is split
 * (threads, shards merged, GNU parallel, MPI ranks), the outputs are the same bytes as one
 * process's; merge refuses what is not one whole sweep; charts; bad --vary and bad points;
 * SIGINT. Each test is a meson test of its own (tests/meson.build: `scale-out-NAME`, the
 * test's name as the argument), a few seconds under AddressSanitizer.
 *
 * The runs are short (the flagship scenario for 5 simulated minutes) and every one happens
 * in a temporary folder holding a copy of it as scenarios/web-two-az.yaml, so the command
 * lines read as in docs/scale-out.md, and the sweeps compared name the same scenario file
 * (a partial result records the path as given). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "tmpdir.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The sweep every test splits: 3 points x 3 replications. */
#define SCENARIO "scenarios/web-two-az.yaml"
#define SWEEP_ARGS SCENARIO, "--set", "duration=5m", "--set", "warmup=1m", \
  "--vary", "instances.web.count=2..6:2", "--reps", "3"
#define SWEEP_SHELL_ARGS SCENARIO " --set duration=5m --set warmup=1m " \
  "--vary instances.web.count=2..6:2 --reps 3"

/* ---- helpers ------------------------------------------------------------------------------ */

/* cmocka setup: a temporary folder holding scenarios/web-two-az.yaml. */
static int
setup (void **state)
{
  if (tmpdir_setup (state) != 0)
    return -1;
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    return -1;
  char *from = g_build_filename (root, SCENARIO, NULL);
  char *text = NULL;
  bool ok = g_file_get_contents (from, &text, NULL, NULL);
  char *dir = g_build_filename (*state, "scenarios", NULL);
  char *to = g_build_filename (*state, SCENARIO, NULL);
  ok = ok && g_mkdir (dir, 0755) == 0 && g_file_set_contents (to, text, -1, NULL);
  g_free (from);
  g_free (text);
  g_free (dir);
  g_free (to);
  return ok ? 0 : -1;
}

/* DIR/NAME (caller frees). */
static char *
in (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* Runs `command` with sh in `cwd`, with the folder of STRATUS_BIN first in PATH (so that
 * `stratus` is this build's) and the environment's NAME=VALUE pairs `extra` (NULL-
 * terminated, or NULL) added. */
static Result
run_shell (const char *cwd, const char *command, const char *const *extra)
{
  char *bin_dir = g_path_get_dirname (g_getenv ("STRATUS_BIN"));
  char **envp = g_get_environ ();
  const char *path = g_environ_getenv (envp, "PATH");
  char *new_path = g_strdup_printf ("%s:%s", bin_dir, path != NULL ? path : "/usr/bin:/bin");
  envp = g_environ_setenv (envp, "PATH", new_path, TRUE);
  for (const char *const *e = extra; e != NULL && *e != NULL; e++)
    {
      char **two = g_strsplit (*e, "=", 2);
      envp = g_environ_setenv (envp, two[0], two[1], TRUE);
      g_strfreev (two);
    }
  char *argv[] = { "/bin/sh", "-c", (char *) command, NULL };
  Result r = { -1, NULL, NULL };
  int wait_status = 0;
  GError *error = NULL;
  if (!g_spawn_sync (cwd, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait_status,
                     &error))
    fail_msg ("cannot run sh: %s", error->message);
  if (WIFEXITED (wait_status))
    r.status = WEXITSTATUS (wait_status);
  g_strfreev (envp);
  g_free (new_path);
  g_free (bin_dir);
  return r;
}

/* Fails unless DIR_A/NAME and DIR_B/NAME are the same bytes (both must exist). */
static void
assert_same_file (const char *dir_a, const char *dir_b, const char *name)
{
  char *a = read_in (dir_a, name), *b = read_in (dir_b, name);
  if (strcmp (a, b) != 0)
    {
      size_t i = 0;
      while (a[i] == b[i])
        i++;
      fail_msg ("%s differs between %s and %s at byte %zu: '%.40s' against '%.40s'", name, dir_a,
                dir_b, i, a + i, b + i);
    }
  g_free (a);
  g_free (b);
}

/* Fails unless the two texts are the same. */
static void
assert_same_text (const char *what, const char *a, const char *b)
{
  if (strcmp (a, b) == 0)
    return;
  size_t i = 0;
  while (a[i] == b[i])
    i++;
  fail_msg ("%s differ at byte %zu: '%.40s' against '%.40s'", what, i, a + i, b + i);
}

/* The outputs of a sweep's --out folder. */
static const char *const sweep_files[] = { "sweep.csv", "sweep.json", "sweep.txt", NULL };

/* Both folders hold exactly the sweep's files, the same bytes. */
static void
assert_same_sweep_folders (const char *a, const char *b)
{
  char *la = list_dir (a), *lb = list_dir (b);
  assert_string_equal (la, "sweep.csv sweep.json sweep.txt");
  assert_string_equal (lb, la);
  g_free (la);
  g_free (lb);
  for (const char *const *f = sweep_files; *f != NULL; f++)
    assert_same_file (a, b, *f);
}

/* The unsharded sweep, one process: its stdout (the text table; caller frees) and its files
 * in DIR/single. */
static char *
single_sweep (const char *dir)
{
  Result r = run_in (dir, "sweep", SWEEP_ARGS, "--jobs", "2", "--out", "single", NULL);
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  assert_true (g_str_has_prefix (r.out, "Sweep of web-two-az (" SCENARIO "): 3 points x 3 "
                                        "replications"));
  /* The sweep is not trivial: the three points differ. */
  char *txt = read_in (dir, "single/sweep.txt");
  assert_string_equal (txt, r.out);
  g_free (txt);
  g_free (r.err);
  return r.out;
}

/* stderr is one line holding `fragment`. */
static void
expect_one_line_with (const Result *r, const char *fragment)
{
  const char *nl = strchr (r->err, '\n');
  if (nl == NULL || nl[1] != '\0' || strstr (r->err, fragment) == NULL)
    {
      print_result (r);
      fail_msg ("stderr is not one line holding '%s'", fragment);
    }
}

/* stderr is a usage error of `command`: one line holding `fragment`, then the hint. */
static void
expect_usage_error (const Result *r, const char *command, const char *fragment)
{
  char *hint = g_strdup_printf ("\nRun 'stratus %s --help' for usage.\n", command);
  char *prefix = g_strdup_printf ("stratus %s: ", command);
  const char *nl = strchr (r->err, '\n');
  if (r->status != 2 || !g_str_has_prefix (r->err, prefix) || strstr (r->err, fragment) == NULL
      || nl == NULL || strcmp (nl, hint) != 0)
    {
      print_result (r);
      fail_msg ("not a usage error of %s holding '%s'", command, fragment);
    }
  g_free (hint);
  g_free (prefix);
}

/* The folder's entries are exactly `expected` (space-separated, sorted). */
static void
expect_listing (const char *dir, const char *expected)
{
  char *names = list_dir (dir);
  if (strcmp (names, expected) != 0)
    fail_msg ("%s holds '%s', expected '%s'", dir, names, expected);
  g_free (names);
}

/* Whether this stratus was built with MPI: `stratus --version` says "mpi: yes" (or "mpi:
 * no"); false if it says neither. */
static bool
built_with_mpi (void)
{
  char *argv[] = { (char *) g_getenv ("STRATUS_BIN"), "--version", NULL };
  char *out = NULL;
  int status = -1;
  bool yes = argv[0] != NULL
             && g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                              NULL, &status, NULL)
             && status == 0 && strstr (out, "\nmpi: yes\n") != NULL;
  g_free (out);
  return yes;
}

/* Whether what test `name` needs is missing (GNU parallel; MPI in the build and mpirun). */
static bool
missing_for (const char *name)
{
  char *program = NULL;
  bool missing = false;
  if (strcmp (name, "parallel_recipe") == 0)
    missing = (program = g_find_program_in_path ("parallel")) == NULL;
  else if (strcmp (name, "mpi_ranks") == 0)
    missing = !built_with_mpi () || (program = g_find_program_in_path ("mpirun")) == NULL;
  g_free (program);
  return missing;
}

/* ---- run --jobs --------------------------------------------------------------------------- */

/* `run --reps 4`: stdout (text and JSON) and the --out files are the same bytes with 1, 2
 * or 3 threads (run.json holds the wall-clock time, so it is left out). */
static void
run_jobs_identical (void **state)
{
  const char *dir = *state;
  const char *jobs[] = { "1", "2", "3" };
  char *text[3], *json[3], *out[3];
  for (int j = 0; j < 3; j++)
    {
      out[j] = g_strdup_printf ("out%s", jobs[j]);
      Result r = run_in (dir, "run", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m",
                         "--reps", "4", "--jobs", jobs[j], "--out", out[j], NULL);
      expect_status (&r, 0);
      text[j] = r.out;
      g_free (r.err);
      r = run_in (dir, "run", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m", "--reps",
                  "4", "--jobs", jobs[j], "--format", "json", NULL);
      expect_status (&r, 0);
      json[j] = r.out;
      g_free (r.err);
    }
  /* Four replications, with intervals. */
  JsonParser *parser = parse_json (json[0]);
  g_object_unref (parser);
  assert_non_null (strstr (text[0], "4 replications"));
  for (int j = 1; j < 3; j++)
    {
      assert_same_text ("the text reports on stdout", text[0], text[j]);
      assert_same_text ("the JSON reports on stdout", json[0], json[j]);
      char *a = in (dir, out[0]), *b = in (dir, out[j]);
      const char *files[] = { "report.json", "report.txt", "timeseries.csv", "events.csv",
                              "groups.csv" };
      for (size_t f = 0; f < G_N_ELEMENTS (files); f++)
        assert_same_file (a, b, files[f]);
      g_free (a);
      g_free (b);
    }
  for (int j = 0; j < 3; j++)
    {
      g_free (text[j]);
      g_free (json[j]);
      g_free (out[j]);
    }
}

/* ---- shards and merge --------------------------------------------------------------------- */

/* Three shards, each with its own --jobs, merged: the unsharded sweep's bytes (stdout,
 * sweep.txt, sweep.csv, sweep.json; --format csv and json); the partial files do not
 * depend on --jobs. */
static void
shards_merge_identical (void **state)
{
  const char *dir = *state;
  char *single = single_sweep (dir);
  Result r = run_in (dir, "sweep", SWEEP_ARGS, "--jobs", "2", "--format", "json", NULL);
  expect_status (&r, 0);
  char *single_json = r.out;
  g_free (r.err);
  char *single_dir = in (dir, "single");
  char *csv_file = read_in (single_dir, "sweep.csv"), *json_file = read_in (single_dir,
                                                                            "sweep.json");
  assert_same_text ("--format json and sweep.json", single_json, json_file);

  const char *shards[] = { "0/3", "1/3", "2/3" }, *jobs[] = { "1", "2", "3" };
  for (int s = 0; s < 3; s++)
    {
      r = run_in (dir, "sweep", SWEEP_ARGS, "--shard", shards[s], "--jobs", jobs[s], "--out",
                  "parts", NULL);
      expect_status (&r, 0);
      assert_string_equal (r.err, "");
      char *line = g_strdup_printf ("shard %d/3: 3 (point, replication) pairs written to "
                                    "parts/part-%d-of-3.sweep\n", s, s);
      assert_string_equal (r.out, line);
      g_free (line);
      result_clear (&r);
    }
  char *parts = in (dir, "parts");
  expect_listing (parts, "part-0-of-3.sweep part-1-of-3.sweep part-2-of-3.sweep");

  /* The folder merged: stdout and files. */
  r = run_in (dir, "merge", "parts/", "--out", "merged", NULL);
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  assert_same_text ("stdout of the merge and of the sweep", single, r.out);
  result_clear (&r);
  char *merged_dir = in (dir, "merged");
  assert_same_sweep_folders (single_dir, merged_dir);

  /* The files named one by one, in another order: --format json and csv. */
  r = run_in (dir, "merge", "parts/part-2-of-3.sweep", "parts/part-0-of-3.sweep",
              "parts/part-1-of-3.sweep", "--format", "json", NULL);
  expect_status (&r, 0);
  assert_same_text ("--format json of the merge and of the sweep", single_json, r.out);
  result_clear (&r);
  r = run_in (dir, "merge", "parts", "--format", "csv", NULL);
  expect_status (&r, 0);
  assert_same_text ("--format csv of the merge and sweep.csv", csv_file, r.out);
  result_clear (&r);

  /* A shard's partial result is the same bytes with other --jobs. */
  r = run_in (dir, "sweep", SWEEP_ARGS, "--shard", "1/3", "--jobs", "1", "--out", "again",
              NULL);
  expect_status (&r, 0);
  result_clear (&r);
  char *again = in (dir, "again");
  assert_same_file (parts, again, "part-1-of-3.sweep");

  g_free (parts);
  g_free (again);
  g_free (merged_dir);
  g_free (single_dir);
  g_free (csv_file);
  g_free (json_file);
  g_free (single_json);
  g_free (single);
}

/* The GNU parallel recipe of docs/scale-out.md, word for word, against the unsharded
 * sweep. Skipped without `parallel`. */
static void
parallel_recipe (void **state)
{
  const char *dir = *state;
  if (missing_for ("parallel_recipe"))
    {
      print_message ("GNU parallel is not installed: skipped\n");
      skip ();
    }
  char *single = single_sweep (dir);
  Result r = run_shell (dir,
                        "parallel --will-cite -j 2 stratus sweep " SWEEP_SHELL_ARGS
                        " --shard {}/3 --out parts/ ::: 0 1 2"
                        " && stratus merge parts/ --out merged/ > merged.txt",
                        NULL);
  expect_status (&r, 0);
  /* parallel prints each job's output whole, in the order the jobs end. */
  for (int s = 0; s < 3; s++)
    {
      char *line = g_strdup_printf ("shard %d/3: 3 (point, replication) pairs written to "
                                    "parts/part-%d-of-3.sweep\n", s, s);
      assert_non_null (strstr (r.out, line));
      g_free (line);
    }
  result_clear (&r);
  char *merged = read_in (dir, "merged.txt");
  assert_same_text ("stdout of the merge and of the sweep", single, merged);
  char *a = in (dir, "single"), *b = in (dir, "merged");
  assert_same_sweep_folders (a, b);
  g_free (a);
  g_free (b);
  g_free (merged);
  g_free (single);
}

/* ---- MPI ---------------------------------------------------------------------------------- */

/* `mpirun -np 3 stratus sweep` against the single process: the same bytes. Also, the ranks
 * stop together (no rank left waiting) when rank 0 cannot use --out, and a --chart the
 * results lack is a usage error as without MPI. Skipped when the build has no MPI or there
 * is no mpirun. */
static void
mpi_ranks (void **state)
{
  const char *dir = *state;
  if (missing_for ("mpi_ranks"))
    {
      print_message ("no MPI in this build (stratus --version) or no mpirun: skipped\n");
      skip ();
    }
  /* The build says whether it has MPI. */
  Result v = run_stratus ("--version");
  expect_status (&v, 0);
  assert_non_null (strstr (v.out, "\nmpi: yes\n"));
  result_clear (&v);
  char *single = single_sweep (dir);
  /* Open MPI's own allocations are still held at exit (by design: its libraries are never
   * unloaded), which LeakSanitizer reports as leaks; the leak check is off for the runs
   * under mpirun only. `timeout` turns a hang (a rank waiting for the others) into a
   * failure. */
  const char *const env[] = { "ASAN_OPTIONS=detect_leaks=0", NULL };
  Result r = run_shell (dir,
                        "timeout 120 mpirun --allow-run-as-root --oversubscribe -np 3 stratus "
                        "sweep " SWEEP_SHELL_ARGS " --out mpi",
                        env);
  expect_status (&r, 0);
  assert_same_text ("stdout under mpirun and of one process", single, r.out);
  result_clear (&r);
  char *a = in (dir, "single"), *b = in (dir, "mpi");
  assert_same_sweep_folders (a, b);
  g_free (a);
  g_free (b);

  /* Rank 0 cannot use --out (a file stratus did not write): every rank stops, status 2. */
  char *foreign = in (dir, "foreign");
  g_mkdir (foreign, 0755);
  char *note = write_in (foreign, "note.txt", "mine\n");
  r = run_shell (dir,
                 "timeout 120 mpirun --allow-run-as-root --oversubscribe -np 3 stratus sweep "
                 SWEEP_SHELL_ARGS " --out foreign",
                 env);
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "stratus sweep: --out foreign holds 'note.txt'"));
  assert_string_equal (r.out, "");
  result_clear (&r);
  expect_listing (foreign, "note.txt");
  g_free (note);
  g_free (foreign);

  /* --chart of a figure the reports lack: 2, as in one process, nothing written. */
  r = run_shell (dir,
                 "timeout 120 mpirun --allow-run-as-root --oversubscribe -np 2 stratus sweep "
                 SCENARIO " --set duration=5m --set warmup=1m --vary instances.web.count=2,4 "
                 "--out nochart --charts png --chart nosuch",
                 env);
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "stratus sweep: --chart nosuch: no such figure"));
  result_clear (&r);
  char *nochart = in (dir, "nochart");
  assert_false (g_file_test (nochart, G_FILE_TEST_EXISTS));
  g_free (nochart);
  g_free (single);
}

/* ---- merge refusing ----------------------------------------------------------------------- */

/* A shard missing, shards of two sweeps, a shard given twice, a truncated file, garbage, a
 * folder without partial results: status 2, one line, nothing written. */
static void
merge_errors_cli (void **state)
{
  const char *dir = *state;
  const char *shards[] = { "0/2", "1/2" };
  for (int s = 0; s < 2; s++)
    {
      Result r = run_in (dir, "sweep", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m",
                         "--vary", "instances.web.count=2,4", "--reps", "2", "--shard",
                         shards[s], "--out", "parts", NULL);
      expect_status (&r, 0);
      result_clear (&r);
    }
  /* The same shard of another sweep (another seed). */
  Result r = run_in (dir, "sweep", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m",
                     "--vary", "instances.web.count=2,4", "--reps", "2", "--seed", "2",
                     "--shard", "1/2", "--out", "other", NULL);
  expect_status (&r, 0);
  result_clear (&r);
  char *merged = in (dir, "merged");

  r = run_in (dir, "merge", "parts/part-0-of-2.sweep", "--out", "merged", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "stratus merge: 2 of the 4 (point, replication) pairs are missing: "
                            "those of shard 1/2 (is part-1-of-2.sweep missing?)");
  assert_string_equal (r.out, "");
  result_clear (&r);
  assert_false (g_file_test (merged, G_FILE_TEST_EXISTS));

  r = run_in (dir, "merge", "parts/part-0-of-2.sweep", "other/part-1-of-2.sweep", "--out",
              "merged", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "stratus merge: the partial results are not all of the same sweep");
  result_clear (&r);

  r = run_in (dir, "merge", "parts", "parts/part-1-of-2.sweep", "--out", "merged", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "is in more than one partial result");
  result_clear (&r);

  /* A shard's file cut short (its last line lost) and one that is not a partial result. */
  char *text = read_in (dir, "parts/part-1-of-2.sweep");
  assert_true (g_str_has_suffix (text, "\nend\n"));
  text[strlen (text) - strlen ("end\n")] = '\0';
  char *cut = write_in (dir, "cut.sweep", text);
  r = run_in (dir, "merge", "parts/part-0-of-2.sweep", "cut.sweep", "--out", "merged", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "cut.sweep:");
  assert_non_null (strstr (r.err, "truncated: no 'end' line"));
  result_clear (&r);
  char *garbage = write_in (dir, "garbage.sweep", "<html>not found</html>\n");
  r = run_in (dir, "merge", "parts/part-0-of-2.sweep", "garbage.sweep", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "garbage.sweep:1: not a partial sweep result");
  result_clear (&r);
  r = run_in (dir, "merge", "parts/part-0-of-2.sweep", "nosuch.sweep", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "nosuch.sweep");
  result_clear (&r);
  char *empty = in (dir, "empty");
  g_mkdir (empty, 0755);
  r = run_in (dir, "merge", "empty", NULL);
  expect_usage_error (&r, "merge", "empty holds no partial result");
  result_clear (&r);
  assert_false (g_file_test (merged, G_FILE_TEST_EXISTS));

  /* And the two shards of one sweep merge. */
  r = run_in (dir, "merge", "parts", "--out", "merged", NULL);
  expect_status (&r, 0);
  result_clear (&r);
  expect_listing (merged, "sweep.csv sweep.json sweep.txt");

  g_free (empty);
  g_free (garbage);
  g_free (cut);
  g_free (text);
  g_free (merged);
}

/* ---- charts ------------------------------------------------------------------------------- */

/* Whether `path` is a PNG file. */
static bool
is_png (const char *path)
{
  char *data = NULL;
  gsize length = 0;
  bool png = g_file_get_contents (path, &data, &length, NULL) && length > 8
             && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
  g_free (data);
  return png;
}

static void
charts_cli (void **state)
{
  const char *dir = *state;
  Result r = run_in (dir, "sweep", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m",
                     "--vary", "instances.web.count=2,4", "--reps", "2", "--charts", "png",
                     "--out", "charts", NULL);
  expect_status (&r, 0);
  result_clear (&r);
  char *charts = in (dir, "charts");
  expect_listing (charts, "sweep-cost.monthly_usd.png sweep-latency_ms.p99.png sweep.csv "
                          "sweep.json sweep.txt");
  char *p99 = in (charts, "sweep-latency_ms.p99.png"), *cost = in (charts,
                                                                    "sweep-cost.monthly_usd.png");
  assert_true (is_png (p99));
  assert_true (is_png (cost));
  g_free (p99);
  g_free (cost);

  /* A figure the reports lack: a usage error, nothing written. */
  r = run_in (dir, "sweep", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m", "--vary",
              "instances.web.count=2,4", "--charts", "png", "--chart", "nosuch", "--out",
              "nochart", NULL);
  expect_usage_error (&r, "sweep", "--chart nosuch: no such figure");
  assert_string_equal (r.out, "");
  result_clear (&r);
  /* No x axis: --x not a key with numbers, or no such key at all; refused before any run
   * (they used to run the whole sweep, then fail with status 1). */
  r = run_in (dir, "sweep", SCENARIO, "--vary", "instances.web.count=2,4", "--vary",
              "instances.web.type=c5.large,c5.xlarge", "--charts", "png", "--x",
              "instances.web.type", "--out", "nochart", NULL);
  expect_usage_error (&r, "sweep", "--x instances.web.type: not a varied key with numbers");
  result_clear (&r);
  r = run_in (dir, "sweep", SCENARIO, "--vary", "instances.web.type=c5.large,c5.xlarge",
              "--charts", "png", "--out", "nochart", NULL);
  expect_usage_error (&r, "sweep", "--charts needs a varied key whose values are numbers");
  result_clear (&r);
  /* merge too, after reading the partial results. */
  r = run_in (dir, "sweep", SCENARIO, "--set", "duration=5m", "--set", "warmup=1m", "--vary",
              "instances.web.count=2,4", "--shard", "0/1", "--out", "parts", NULL);
  expect_status (&r, 0);
  result_clear (&r);
  r = run_in (dir, "merge", "parts", "--charts", "png", "--x", "nosuch", "--out", "nochart",
              NULL);
  expect_usage_error (&r, "merge", "--x nosuch: not a varied key");
  result_clear (&r);
  r = run_in (dir, "merge", "parts", "--charts", "svg", "--chart", "p50", "--out", "merged",
              NULL);
  expect_status (&r, 0);
  result_clear (&r);
  char *merged = in (dir, "merged");
  expect_listing (merged, "sweep-latency_ms.p50.svg sweep.csv sweep.json sweep.txt");
  g_free (merged);
  char *nochart = in (dir, "nochart");
  assert_false (g_file_test (nochart, G_FILE_TEST_EXISTS));
  g_free (nochart);
  g_free (charts);
}

/* ---- bad input ---------------------------------------------------------------------------- */

static void
bad_input_cli (void **state)
{
  const char *dir = *state;
  char *out = in (dir, "out");
  struct
  {
    const char *vary, *fragment;
  } bad[] = {
    { "instances.web.count=6..2:2", "--vary instances.web.count=6..2:2: needs A <= B" },
    { "instances.web.count=2..6:0", "a STEP > 0" },
    { "instances.web.count=", "expected KEY=V1,V2,... or KEY=A..B:STEP" },
    { "instances.web.count=2,,4", "an empty value" },
    { "instances.web.count=1..20000", "more than 10000 values" },
    { "workload.shoppers.rate=400/s..8ms:1", "the same unit" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Result r = run_in (dir, "sweep", SCENARIO, "--vary", bad[i].vary, "--out", "out", NULL);
      expect_usage_error (&r, "sweep", bad[i].fragment);
      assert_string_equal (r.out, "");
      result_clear (&r);
    }
  Result r = run_in (dir, "sweep", SCENARIO, "--vary", "instances.web.count=2,4", "--vary",
                     "instances.web.count=8", NULL);
  expect_usage_error (&r, "sweep", "'instances.web.count' is varied twice");
  result_clear (&r);
  /* The seed: every point runs the sweep's seeds, so varying it would change nothing (it
   * used to give identical rows, silently). */
  r = run_in (dir, "sweep", SCENARIO, "--vary", "seed=1,2,3", NULL);
  expect_usage_error (&r, "sweep", "'seed' cannot be varied");
  result_clear (&r);
  char *seeds = write_in (dir, "seeds.csv", "instances.web.count,seed\n2,1\n4,2\n");
  r = run_in (dir, "sweep", SCENARIO, "--points", "seeds.csv", NULL);
  expect_usage_error (&r, "sweep", "'seed' cannot be varied");
  result_clear (&r);
  g_free (seeds);

  /* A point whose override the scenario refuses: the scenario's line, naming the point. */
  r = run_in (dir, "sweep", SCENARIO, "--vary", "instances.web.count=2,-1", "--out", "out",
              NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "(at sweep point 2/2 (instances.web.count=-1))");
  assert_true (g_str_has_prefix (r.err, "--set:1:"));
  assert_string_equal (r.out, "");
  result_clear (&r);
  /* The same from a CSV file of points, and a CSV file with a bad row. */
  char *points = write_in (dir, "points.csv", "instances.web.count,instances.web.type\n"
                                              "2,c5.large\n4,no-such-type\n");
  r = run_in (dir, "sweep", SCENARIO, "--points", "points.csv", "--out", "out", NULL);
  expect_status (&r, 2);
  expect_one_line_with (&r, "point 2/2 (instances.web.count=4, instances.web.type=no-such-type)");
  result_clear (&r);
  char *bad_points = write_in (dir, "bad.csv", "instances.web.count\n2\n3,4\n");
  r = run_in (dir, "sweep", SCENARIO, "--points", "bad.csv", NULL);
  expect_usage_error (&r, "sweep", "bad.csv:3: 2 values where the header has 1 keys");
  result_clear (&r);
  r = run_in (dir, "sweep", SCENARIO, "--vary", "instances.web.count=2", "--shard", "3/3",
              "--out", "out", NULL);
  expect_usage_error (&r, "sweep", "--shard must be I/N");
  result_clear (&r);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_free (points);
  g_free (bad_points);
  g_free (out);
}

/* ---- SIGINT ------------------------------------------------------------------------------- */

/* Whether process `pid` has a handler for SIGINT (Linux: SigCgt in /proc/PID/status);
 * -1 if that cannot be read. */
static int
catches_sigint (GPid pid)
{
  char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  char *text = NULL;
  bool read = g_file_get_contents (path, &text, NULL, NULL);
  g_free (path);
  if (!read)
    return -1;
  const char *line = strstr (text, "\nSigCgt:");
  int result = -1;
  if (line != NULL)
    result = (g_ascii_strtoull (line + strlen ("\nSigCgt:"), NULL, 16) & (1u << (SIGINT - 1)))
             != 0;
  g_free (text);
  return result;
}

/* Starts `stratus ARGS` (NULL-terminated) in `dir`, sends SIGINT once the sweep runs, and
 * returns its status, stderr in `*err` (caller frees). */
static int
interrupt_after_start (const char *dir, const char *const *args, char **err)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) g_getenv ("STRATUS_BIN"));
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  GPid pid;
  GError *error = NULL;
  int err_fd = -1;
  if (!g_spawn_async_with_pipes (dir, (char **) argv->pdata, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, &pid, NULL, NULL, &err_fd, &error))
    fail_msg ("cannot start stratus: %s", error->message);
  g_ptr_array_unref (argv);
  /* The handler is installed before the scenario's points are loaded; wait for it (at most
   * 30 s), then let the replications start. */
  int catching = 0;
  for (int i = 0; i < 3000 && (catching = catches_sigint (pid)) == 0; i++)
    g_usleep (10000);
  if (catching < 0)
    g_usleep (2 * G_USEC_PER_SEC); /* no /proc: time enough */
  g_usleep (G_USEC_PER_SEC / 2);
  assert_int_equal (kill (pid, SIGINT), 0);
  /* stderr is one line: it fits in the pipe; read it after the exit. */
  int wait_status = 0;
  assert_int_equal (waitpid (pid, &wait_status, 0), pid);
  g_spawn_close_pid (pid);
  GString *text = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  close (err_fd);
  *err = g_string_free (text, FALSE);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -WTERMSIG (wait_status);
}

/* SIGINT during a sweep on two threads, and during a shard: 130, one line, nothing
 * written (no --out folder, no temporary folder left, no partial result). */
static void
interrupt_cli (void **state)
{
  const char *dir = *state;
  /* 16 pairs of 2 simulated hours: long enough to be interrupted in the middle. */
  const char *const sweep[] = { "sweep", SCENARIO, "--vary", "instances.web.count=2..8:2",
                                "--reps", "4", "--jobs", "2", "--out", "res", NULL };
  char *err = NULL;
  int status = interrupt_after_start (dir, sweep, &err);
  if (status != 130 || !g_str_has_prefix (err, "stratus: interrupted ")
      || strchr (err, '\n')[1] != '\0' || strstr (err, "nothing written") == NULL)
    fail_msg ("status %d, stderr: %s", status, err);
  g_free (err);
  expect_listing (dir, "scenarios");

  const char *const shard[] = { "sweep", SCENARIO, "--vary", "instances.web.count=2..8:2",
                                "--reps", "4", "--jobs", "2", "--shard", "0/2", "--out",
                                "parts", NULL };
  status = interrupt_after_start (dir, shard, &err);
  if (status != 130 || strstr (err, "interrupted") == NULL)
    fail_msg ("status %d, stderr: %s", status, err);
  g_free (err);
  expect_listing (dir, "scenarios");
}

int
main (int argc, char **argv)
{
  /* One test by name (meson runs each as a test of its own), or all. A test whose program
   * is missing is skipped: exit status 77 tells meson. */
  if (argc > 1)
    {
      if (missing_for (argv[1]))
        {
          printf ("%s: skipped (%s)\n", argv[1], strcmp (argv[1], "mpi_ranks") == 0
                                                     ? "no MPI in this build, or no mpirun"
                                                     : "GNU parallel is not installed");
          return 77;
        }
      cmocka_set_test_filter (argv[1]);
    }
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (run_jobs_identical, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (shards_merge_identical, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (parallel_recipe, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (mpi_ranks, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (merge_errors_cli, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (charts_cli, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (bad_input_cli, setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (interrupt_cli, setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
