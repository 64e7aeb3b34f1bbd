/* Helpers of the command-line tests (test-cli.c, test-cli-outputs.c): run the real stratus
 * binary (STRATUS_BIN) as a child process and check what it printed and wrote. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A small scenario that runs in milliseconds. */
const char tiny[] = "name: tiny\n"
                           "duration: 2m\n"
                           "warmup: 10s\n"
                           "azs: [us-east-1a, us-east-1b]\n"
                           "load_balancers:\n"
                           "  lb:\n"
                           "    algorithm: round_robin\n"
                           "    target_group: web\n"
                           "instances:\n"
                           "  web:\n"
                           "    count: 2\n"
                           "    service_time: {dist: lognormal, mean: 5ms, cv: 1.0}\n"
                           "    target_group: web\n"
                           "workload:\n"
                           "  users:\n"
                           "    entry: lb\n"
                           "    rate: 200/s\n"
                           "    timeout: 2s\n"
                           "report:\n"
                           "  interval: 30s\n";

/* ---- helpers ------------------------------------------------------------------------ */


void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
  r->out = r->err = NULL;
}

/* argv for `stratus ARGS...` from a va_list ending in NULL; free with g_ptr_array_unref. */
static GPtrArray *
stratus_argv (const char *first, va_list args)
{
  const char *bin = g_getenv ("STRATUS_BIN");
  if (bin == NULL)
    fail_msg ("STRATUS_BIN is not set");
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) bin);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* A limit on the size of the files the child writes (set in the child before exec). */
rlim_t child_file_limit = RLIM_INFINITY;

static void
limit_child_files (gpointer data)
{
  (void) data;
  if (child_file_limit == RLIM_INFINITY)
    return;
  struct rlimit limit = { child_file_limit, child_file_limit };
  setrlimit (RLIMIT_FSIZE, &limit);
  signal (SIGXFSZ, SIG_IGN); /* a write past the limit then fails with EFBIG */
}

/* Runs the argv with environment `envp` (NULL: ours) in `cwd` (NULL: ours). */
static Result
run_argv (const char *cwd, GPtrArray *argv, char **envp)
{
  Result r = { -1, NULL, NULL };
  int wait_status = 0;
  GError *error = NULL;
  gboolean spawned = g_spawn_sync (cwd, (char **) argv->pdata, envp, G_SPAWN_DEFAULT,
                                   limit_child_files, NULL, &r.out, &r.err, &wait_status, &error);
  if (!spawned)
    fail_msg ("cannot run stratus: %s", error->message);
  if (WIFEXITED (wait_status))
    r.status = WEXITSTATUS (wait_status);
  return r;
}

/* Runs `stratus ARGS...` (NULL-terminated) in `cwd` (NULL: the current directory). */
Result
run_in (const char *cwd, const char *first, ...)
{
  va_list args;
  va_start (args, first);
  GPtrArray *argv = stratus_argv (first, args);
  va_end (args);
  Result r = run_argv (cwd, argv, NULL);
  g_ptr_array_unref (argv);
  return r;
}

/* Runs `stratus ARGS...` (NULL-terminated) with G_DEBUG=fatal-criticals: a GLib critical
 * aborts it. */
Result
run_fatal_criticals_v (const char *first, ...)
{
  va_list args;
  va_start (args, first);
  GPtrArray *argv = stratus_argv (first, args);
  va_end (args);
  char **envp = g_environ_setenv (g_get_environ (), "G_DEBUG", "fatal-criticals", TRUE);
  Result r = run_argv (NULL, argv, envp);
  g_strfreev (envp);
  g_ptr_array_unref (argv);
  return r;
}


void
write_file (const char *path, const char *contents)
{
  GError *error = NULL;
  if (!g_file_set_contents (path, contents, -1, &error))
    fail_msg ("cannot write %s: %s", path, error->message);
}

char *
read_file (const char *path)
{
  char *text = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    fail_msg ("cannot read %s: %s", path, error->message);
  return text;
}


/* Writes `contents` to DIR/NAME; returns the path (caller frees). */
char *
write_in (const char *dir, const char *name, const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  write_file (path, contents);
  return path;
}

void
print_result (const Result *r)
{
  print_error ("exit status %d\n--- stdout:\n%s\n--- stderr:\n%s\n", r->status,
               r->out ? r->out : "", r->err ? r->err : "");
}

void
expect_status (const Result *r, int status)
{
  if (r->status != status)
    {
      print_result (r);
      fail_msg ("expected exit status %d", status);
    }
}

/* stderr is exactly one line "file:line:column: message". */
void
expect_one_error_line (const Result *r)
{
  GRegex *re = g_regex_new ("^[^:\\n]+:[0-9]+:[0-9]+: [^\\n]+\\n$", 0, 0, NULL);
  assert_non_null (re);
  gboolean ok = g_regex_match (re, r->err, 0, NULL);
  g_regex_unref (re);
  if (!ok)
    {
      print_result (r);
      fail_msg ("stderr is not one line 'file:line:column: message'");
    }
}

JsonParser *
parse_json (const char *text)
{
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  if (!json_parser_load_from_data (parser, text, -1, &error))
    fail_msg ("invalid JSON: %s", error->message);
  assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return parser;
}

/* The node at a dotted path ("latency_ms.p99") below `root`, or NULL. */
JsonNode *
json_at (JsonParser *parser, const char *path)
{
  JsonNode *node = json_parser_get_root (parser);
  char **parts = g_strsplit (path, ".", -1);
  for (int i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node)
          || !json_object_has_member (json_node_get_object (node), parts[i]))
        node = NULL;
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  g_strfreev (parts);
  return node;
}

double
json_number (JsonParser *parser, const char *path)
{
  JsonNode *node = json_at (parser, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    fail_msg ("no number at %s", path);
  return json_node_get_value_type (node) == G_TYPE_DOUBLE ? json_node_get_double (node)
                                                          : (double) json_node_get_int (node);
}

char *
read_in (const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  char *text = read_file (path);
  g_free (path);
  return text;
}

/* report.json of `dir`, checked to have no "run" section (that is in run.json). Caller
 * frees. */
char *
report_json_in (const char *dir)
{
  char *text = read_in (dir, "report.json");
  JsonParser *parser = parse_json (text);
  assert_null (json_at (parser, "run"));
  g_object_unref (parser);
  return text;
}

/* For g_ptr_array_sort over strings. */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in `dir`, sorted and joined by spaces ("" if empty or missing). Caller frees. */
char *
list_dir (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  if (d != NULL)
    g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", (char *) g_ptr_array_index (names, i));
  g_ptr_array_unref (names);
  return g_string_free (out, FALSE);
}

/* stderr is exactly one line starting with `prefix`. */
void
expect_one_line (const Result *r, const char *prefix)
{
  const char *nl = strchr (r->err, '\n');
  if (!g_str_has_prefix (r->err, prefix) || nl == NULL || nl[1] != '\0')
    {
      print_result (r);
      fail_msg ("stderr is not one line starting with '%s'", prefix);
    }
}

/* ---- usage -------------------------------------------------------------------------- */

JsonNode *
json_member (JsonNode *node, ...)
{
  va_list args;
  va_start (args, node);
  const char *name;
  while (node != NULL && (name = va_arg (args, const char *)) != NULL)
    {
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      node = o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name)
                                                           : NULL;
    }
  va_end (args);
  if (node == NULL)
    fail_msg ("no such member");
  return node;
}
