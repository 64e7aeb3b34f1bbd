/* The robustness findings of issue 7, kept fixed: every reproducer in tests/findings/ is run
 * through the real binary (`validate` and `run`) under a wall-clock limit, and must end as
 * tests/findings/expected.txt says: exit 2 with one error line and nothing written, or a
 * complete run; never a signal, a hang, a sanitizer report or a GLib critical. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tmpdir.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_SECONDS 60

#if GLIB_CHECK_VERSION(2, 74, 0)
#define SPAWN_FLAGS (G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL)
#else
#define SPAWN_FLAGS G_SPAWN_DO_NOT_REAP_CHILD
#endif

/* One line of expected.txt. */
typedef struct
{
  char *name;         /* "B4-tiny-rate-hang.yaml run" (+ options), the test's name */
  char *file;         /* in tests/findings */
  char *command;      /* "validate" or "run" */
  GPtrArray *options; /* char*, passed after FILE */
  int exit_status;
  char *line_contains; /* NULL, or text the error line must contain (any case) */
  bool usage;          /* exit 2 is a command-line error ("stratus: ...") */
  int seconds;         /* wall-clock limit */
  int lineno;          /* in expected.txt */
} Expectation;

/* How a child process ended. */
typedef struct
{
  int status;     /* exit status; -1 if killed by a signal or the limit */
  int signal;     /* the signal that ended it, 0 if none */
  bool timed_out; /* killed past the wall-clock limit */
  double seconds; /* wall-clock time taken */
  char *out, *err;
} Outcome;

/* ---- expected.txt ------------------------------------------------------------------- */

static char *
findings_dir (void)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  return g_build_filename (root, "tests", "findings", NULL);
}

static void
expectation_free (gpointer data)
{
  Expectation *e = data;
  g_free (e->name);
  g_free (e->file);
  g_free (e->command);
  g_ptr_array_unref (e->options);
  g_free (e->line_contains);
  g_free (e);
}

/* Takes in one outcome word ("exit=2", "line~cv", "error=usage", "seconds=30"); false if
 * `word` is none of them (then it is an option for stratus). */
static bool
parse_outcome_word (Expectation *e, const char *word)
{
  if (g_str_has_prefix (word, "exit="))
    e->exit_status = atoi (word + 5);
  else if (g_str_has_prefix (word, "line~"))
    e->line_contains = g_ascii_strdown (word + 5, -1);
  else if (strcmp (word, "error=usage") == 0)
    e->usage = true;
  else if (g_str_has_prefix (word, "seconds="))
    e->seconds = atoi (word + 8);
  else
    return false;
  return true;
}

/* One non-comment line as an Expectation (caller frees), or a failure naming the line. */
static Expectation *
parse_expectation (const char *line, int lineno)
{
  int argc = 0;
  char **argv = NULL;
  GError *error = NULL;
  if (!g_shell_parse_argv (line, &argc, &argv, &error))
    fail_msg ("expected.txt:%d: %s", lineno, error->message);
  if (argc < 3)
    fail_msg ("expected.txt:%d: want FILE COMMAND ... exit=N", lineno);
  Expectation *e = g_new0 (Expectation, 1);
  e->file = g_strdup (argv[0]);
  e->command = g_strdup (argv[1]);
  e->options = g_ptr_array_new_with_free_func (g_free);
  e->exit_status = -1;
  e->seconds = DEFAULT_SECONDS;
  e->lineno = lineno;
  GString *name = g_string_new (NULL);
  g_string_printf (name, "%s %s", argv[0], argv[1]);
  for (int i = 2; i < argc; i++)
    if (!parse_outcome_word (e, argv[i]))
      {
        g_ptr_array_add (e->options, g_strdup (argv[i]));
        g_string_append_printf (name, " '%s'", argv[i]);
      }
  g_string_append_printf (name, " -> exit %d", e->exit_status);
  e->name = g_string_free (name, FALSE);
  g_strfreev (argv);
  if (e->exit_status < 0 || e->seconds <= 0
      || (strcmp (e->command, "run") != 0 && strcmp (e->command, "validate") != 0))
    fail_msg ("expected.txt:%d: want FILE run|validate ... exit=N [seconds=S > 0]", lineno);
  return e;
}

/* Every expectation of tests/findings/expected.txt, in file order (Expectation*, owned by
 * the array). */
static GPtrArray *
load_expectations (void)
{
  char *dir = findings_dir ();
  char *path = g_build_filename (dir, "expected.txt", NULL);
  char *text = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    fail_msg ("cannot read %s: %s", path, error->message);
  GPtrArray *list = g_ptr_array_new_with_free_func (expectation_free);
  char **lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      while (*line == ' ' || *line == '\t')
        line++;
      if (*line != '\0' && *line != '#')
        g_ptr_array_add (list, parse_expectation (line, i + 1));
    }
  g_strfreev (lines);
  g_free (text);
  g_free (path);
  g_free (dir);
  return list;
}

/* ---- running the binary under a limit ----------------------------------------------- */

static void
outcome_clear (Outcome *o)
{
  g_free (o->out);
  g_free (o->err);
  o->out = o->err = NULL;
}

/* Reads what is available on fds[i] into `into`; closes it at end of file. */
static void
drain (struct pollfd *fd, GString *into, int *open_fds)
{
  char buffer[65536];
  ssize_t n = read (fd->fd, buffer, sizeof buffer);
  if (n > 0)
    g_string_append_len (into, buffer, n);
  else if (n == 0 || (errno != EINTR && errno != EAGAIN))
    {
      close (fd->fd);
      fd->fd = -1; /* poll ignores it from now on */
      (*open_fds)--;
    }
}

/* Waits for `pid` until `deadline` (monotonic µs), killing it past the deadline. */
static void
reap (GPid pid, gint64 deadline, Outcome *o)
{
  int wait_status = 0;
  for (;;)
    {
      pid_t done = waitpid (pid, &wait_status, WNOHANG);
      if (done == pid)
        break;
      if (done < 0 && errno != EINTR)
        fail_msg ("waitpid: %s", g_strerror (errno));
      if (g_get_monotonic_time () > deadline && !o->timed_out)
        {
          o->timed_out = true;
          kill (pid, SIGKILL);
        }
      g_usleep (5000);
    }
  o->status = WIFEXITED (wait_status) && !o->timed_out ? WEXITSTATUS (wait_status) : -1;
  o->signal = WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0;
}

/* Runs argv (NULL-terminated) in `cwd` with stdin from /dev/null; kills it after `seconds`.
 * The outcome's strings are the caller's (outcome_clear). */
static Outcome
run_limited (const char *cwd, char **argv, int seconds)
{
  Outcome o = { .status = -1 };
  GPid pid;
  int out_fd, err_fd;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (cwd, argv, NULL, SPAWN_FLAGS, NULL, NULL, &pid, NULL, &out_fd,
                                 &err_fd, &error))
    fail_msg ("cannot run %s: %s", argv[0], error->message);
  gint64 deadline = start + (gint64) seconds * G_USEC_PER_SEC;
  GString *out = g_string_new (NULL), *err = g_string_new (NULL);
  struct pollfd fds[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
  int open_fds = 2;
  while (open_fds > 0 && !o.timed_out)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      if (left <= 0)
        {
          o.timed_out = true;
          kill (pid, SIGKILL);
          break;
        }
      if (poll (fds, 2, (int) MIN (left / 1000 + 1, 1000)) < 0 && errno != EINTR)
        fail_msg ("poll: %s", g_strerror (errno));
      if (fds[0].fd >= 0 && fds[0].revents != 0)
        drain (&fds[0], out, &open_fds);
      if (fds[1].fd >= 0 && fds[1].revents != 0)
        drain (&fds[1], err, &open_fds);
    }
  for (int i = 0; i < 2; i++)
    if (fds[i].fd >= 0)
      close (fds[i].fd);
  reap (pid, deadline, &o);
  g_spawn_close_pid (pid);
  o.seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  o.out = g_string_free (out, FALSE);
  o.err = g_string_free (err, FALSE);
  return o;
}

/* ---- checks ------------------------------------------------------------------------- */

static void
print_outcome (const Expectation *e, const Outcome *o)
{
  size_t out_len = strlen (o->out);
  print_error ("expected.txt:%d: %s\nexit status %d, signal %d%s, %.1f s\n--- stdout "
               "(%zu bytes, up to 2000 shown):\n%.2000s\n--- stderr:\n%.4000s\n",
               e->lineno, e->name, o->status, o->signal, o->timed_out ? ", TIMED OUT" : "",
               o->seconds, out_len, o->out, o->err);
}

/* Fails with the outcome printed. */
#define check(condition, ...)                                                                  \
  do                                                                                           \
    {                                                                                          \
      if (!(condition))                                                                        \
        {                                                                                      \
          print_outcome (e, o);                                                                \
          fail_msg (__VA_ARGS__);                                                              \
        }                                                                                      \
    }                                                                                          \
  while (0)

/* The process ended by itself, with the expected status and a clean stderr. */
static void
check_ended_cleanly (const Expectation *e, const Outcome *o)
{
  check (!o->timed_out, "still running after %d s (killed)", e->seconds);
  check (o->signal == 0, "killed by signal %d", o->signal);
  const char *forbidden[] = { "runtime error", "Sanitizer", "CRITICAL", "WARNING" };
  for (size_t i = 0; i < G_N_ELEMENTS (forbidden); i++)
    check (strstr (o->err, forbidden[i]) == NULL, "stderr holds \"%s\"", forbidden[i]);
  check (o->status == e->exit_status, "exit status %d, expected %d", o->status,
         e->exit_status);
}

/* stderr is one line "file:line:column: message" (or, for usage errors, "stratus: message"
 * and at most a hint "Run 'stratus --help'..."), containing the expected text. */
static void
check_error_line (const Expectation *e, const Outcome *o)
{
  const char *pattern = e->usage ? "^stratus: [^\\n]+\\n(Run 'stratus[^\\n]*\\n)?$"
                                 : "^[^:\\n]+:[0-9]+:[0-9]+: [^\\n]+\\n$";
  GRegex *re = g_regex_new (pattern, 0, 0, NULL);
  assert_non_null (re);
  gboolean shaped = g_regex_match (re, o->err, 0, NULL);
  g_regex_unref (re);
  check (shaped, "stderr is not one line '%s'",
         e->usage ? "stratus: message" : "file:line:column: message");
  if (e->line_contains != NULL)
    {
      char *lower = g_ascii_strdown (o->err, -1);
      bool found = strstr (lower, e->line_contains) != NULL;
      g_free (lower);
      check (found, "the error line does not mention \"%s\"", e->line_contains);
    }
}

/* Orders a GPtrArray of strings (qsort-style: pointers to the elements). */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Names of the entries of `dir` (sorted, caller frees with g_strfreev); NULL if no folder. */
static char **
list_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new ();
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* True if `text` is a JSON object. */
static bool
is_json_object (const char *text)
{
  JsonParser *parser = json_parser_new ();
  bool ok = json_parser_load_from_data (parser, text, -1, NULL)
            && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));
  g_object_unref (parser);
  return ok;
}

/* True if `e` asks for the report on stdout in JSON. */
static bool
wants_json (const Expectation *e)
{
  for (guint i = 0; i + 1 < e->options->len; i++)
    if (strcmp (g_ptr_array_index (e->options, i), "--format") == 0
        && strcmp (g_ptr_array_index (e->options, i + 1), "json") == 0)
      return true;
  return false;
}

/* The report.json written in `out` is a JSON object. */
static void
check_report_json (const Expectation *e, const Outcome *o, const char *out)
{
  char *path = g_build_filename (out, "report.json", NULL);
  char *text = NULL;
  bool ok = g_file_get_contents (path, &text, NULL, NULL) && is_json_object (text);
  g_free (text);
  g_free (path);
  check (ok, "--out's report.json is not a JSON object");
}

/* What is left in `tmp` (the parent of --out) is `out` alone, or nothing; and `out` holds
 * nothing (refused) or at least report.json (a JSON object) and report.txt (ran). */
static void
check_outputs (const Expectation *e, const Outcome *o, const char *tmp, bool ran)
{
  char **left = list_dir (tmp);
  guint n = left != NULL ? g_strv_length (left) : 0;
  bool only_out = n == 0 || (n == 1 && strcmp (left[0], "out") == 0);
  char *joined = left != NULL ? g_strjoinv (" ", left) : g_strdup ("");
  g_strfreev (left);
  check (only_out, "left beside --out: %s", joined);
  g_free (joined);

  char *out = g_build_filename (tmp, "out", NULL);
  char **files = list_dir (out);
  guint count = files != NULL ? g_strv_length (files) : 0;
  bool has_json = files != NULL && g_strv_contains ((const char *const *) files, "report.json");
  bool has_txt = files != NULL && g_strv_contains ((const char *const *) files, "report.txt");
  g_strfreev (files);
  if (ran)
    {
      check (has_json && has_txt, "--out lacks report.json or report.txt");
      check_report_json (e, o, out);
    }
  else
    check (count == 0, "refused, yet %u file(s) written in --out", count);
  g_free (out);
}

/* ---- the tests ---------------------------------------------------------------------- */

/* Runs one line of expected.txt (the state) and checks its outcome. */
static void
test_expectation (void **state)
{
  const Expectation *e = *state;
  const char *bin = g_getenv ("STRATUS_BIN");
  if (bin == NULL)
    fail_msg ("STRATUS_BIN is not set");
  char *dir = findings_dir ();
  char *file = g_build_filename (dir, e->file, NULL);
  char *tmp = g_dir_make_tmp ("stratus-findings-XXXXXX", NULL);
  assert_non_null (tmp);
  char *out = g_build_filename (tmp, "out", NULL);
  bool run = strcmp (e->command, "run") == 0;

  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) bin);
  g_ptr_array_add (argv, e->command);
  g_ptr_array_add (argv, file);
  for (guint i = 0; i < e->options->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (e->options, i));
  if (run)
    {
      g_ptr_array_add (argv, "--quiet");
      g_ptr_array_add (argv, "--out");
      g_ptr_array_add (argv, out);
    }
  g_ptr_array_add (argv, NULL);

  Outcome outcome = run_limited (tmp, (char **) argv->pdata, e->seconds);
  const Outcome *o = &outcome;
  check_ended_cleanly (e, o);
  if (e->exit_status == 2)
    check_error_line (e, o);
  if (e->exit_status == 0)
    check (o->out[0] != '\0', "exit 0 without a report on stdout");
  if (e->exit_status == 0 && wants_json (e))
    check (is_json_object (o->out), "--format json: stdout is not a JSON object");
  if (run && (e->exit_status == 0 || e->exit_status == 2))
    check_outputs (e, o, tmp, e->exit_status == 0);

  outcome_clear (&outcome);
  g_ptr_array_unref (argv);
  tmpdir_remove_tree (tmp);
  g_free (tmp);
  g_free (out);
  g_free (file);
  g_free (dir);
}

/* True if `list` has an expectation for FILE COMMAND. */
static bool
listed (GPtrArray *list, const char *file, const char *command)
{
  for (guint i = 0; i < list->len; i++)
    {
      const Expectation *e = g_ptr_array_index (list, i);
      if (strcmp (e->file, file) == 0 && strcmp (e->command, command) == 0)
        return true;
    }
  return false;
}

/* Every reproducer in tests/findings has a `validate` and a `run` expectation, and every
 * expectation names a file that exists. */
static void
test_every_reproducer_listed (void **state)
{
  GPtrArray *list = *state;
  char *dir = findings_dir ();
  char **names = list_dir (dir);
  assert_non_null (names);
  guint yaml_files = 0;
  for (int i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".yaml"))
      {
        yaml_files++;
        if (!listed (list, names[i], "validate") || !listed (list, names[i], "run"))
          fail_msg ("tests/findings/%s: no `validate` or no `run` line in expected.txt",
                    names[i]);
      }
  assert_true (yaml_files >= 17);
  for (guint i = 0; i < list->len; i++)
    {
      const Expectation *e = g_ptr_array_index (list, i);
      char *path = g_build_filename (dir, e->file, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        fail_msg ("expected.txt:%d: no file tests/findings/%s", e->lineno, e->file);
      g_free (path);
    }
  g_strfreev (names);
  g_free (dir);
}

/* The harness itself: a child past its limit is killed and reported as timed out, and
 * one killed by a signal is reported as such. */
static void
test_harness_limits (void **state)
{
  (void) state;
  char *sleeper[] = { "/bin/sh", "-c", "echo started; sleep 30", NULL };
  Outcome o = run_limited (NULL, sleeper, 1);
  assert_true (o.timed_out);
  assert_int_equal (o.status, -1);
  assert_true (o.seconds < 10);
  assert_string_equal (o.out, "started\n");
  outcome_clear (&o);

  char *aborter[] = { "/bin/sh", "-c", "echo oops >&2; kill -ABRT $$", NULL };
  o = run_limited (NULL, aborter, 10);
  assert_false (o.timed_out);
  assert_int_equal (o.signal, SIGABRT);
  assert_int_equal (o.status, -1);
  assert_string_equal (o.err, "oops\n");
  outcome_clear (&o);

  char *exiter[] = { "/bin/sh", "-c", "exit 2", NULL };
  o = run_limited (NULL, exiter, 10);
  assert_int_equal (o.status, 2);
  assert_int_equal (o.signal, 0);
  outcome_clear (&o);
}

int
main (void)
{
  GPtrArray *list = load_expectations ();
  struct CMUnitTest *tests = g_new0 (struct CMUnitTest, list->len + 2);
  tests[0] = (struct CMUnitTest) { .name = "harness limits", .test_func = test_harness_limits };
  tests[1] = (struct CMUnitTest) { .name = "every reproducer listed",
                                   .test_func = test_every_reproducer_listed,
                                   .initial_state = list };
  for (guint i = 0; i < list->len; i++)
    {
      Expectation *e = g_ptr_array_index (list, i);
      tests[i + 2] = (struct CMUnitTest) { .name = e->name, .test_func = test_expectation,
                                           .initial_state = e };
    }
  int failed = _cmocka_run_group_tests ("findings", tests, list->len + 2, NULL, NULL);
  g_free (tests);
  g_ptr_array_unref (list);
  return failed;
}
