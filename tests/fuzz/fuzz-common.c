/* The fuzz drivers' corpus, error check and watchdog (see fuzz-common.h). */
#include "fuzz-common.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "stratus/scenario.h"

/* ---- corpus ------------------------------------------------------------------------- */

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Whether `name` ends with one of `suffixes` (NULL-terminated). */
static bool
has_suffix (const char *name, const char *const *suffixes)
{
  for (int i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (name, suffixes[i]))
      return true;
  return false;
}

/* Adds the files of `dir` named *`suffixes` to `corpus` (sorted, new texts only); false if
 * unreadable. */
static bool
load_dir (FuzzCorpus *corpus, GHashTable *seen, const char *dir, const char *const *suffixes,
          GError **error)
{
  GDir *d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return false;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (has_suffix (name, suffixes))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  bool ok = true;
  for (guint i = 0; i < names->len && ok; i++)
    {
      char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      char *text = NULL;
      ok = g_file_get_contents (path, &text, NULL, error);
      if (ok && !g_hash_table_contains (seen, text))
        {
          g_hash_table_add (seen, text);
          g_ptr_array_add (corpus->names, g_strdup (g_ptr_array_index (names, i)));
          g_ptr_array_add (corpus->texts, text);
        }
      else
        g_free (text);
      g_free (path);
    }
  g_ptr_array_unref (names);
  return ok;
}

FuzzCorpus *
fuzz_corpus_load (const char *const *dirs, GError **error)
{
  static const char *const yaml[] = { ".yaml", NULL };
  return fuzz_corpus_load_files (dirs, yaml, error);
}

FuzzCorpus *
fuzz_corpus_load_files (const char *const *dirs, const char *const *suffixes, GError **error)
{
  FuzzCorpus *corpus = g_new0 (FuzzCorpus, 1);
  corpus->names = g_ptr_array_new_with_free_func (g_free);
  corpus->texts = g_ptr_array_new_with_free_func (g_free);
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal); /* borrows the texts */
  bool ok = true;
  for (int i = 0; dirs[i] != NULL && ok; i++)
    ok = load_dir (corpus, seen, dirs[i], suffixes, error);
  g_hash_table_unref (seen);
  if (ok && corpus->texts->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no %s file in the corpus",
                   suffixes[0]);
      ok = false;
    }
  if (!ok)
    {
      fuzz_corpus_free (corpus);
      return NULL;
    }
  return corpus;
}

void
fuzz_corpus_free (FuzzCorpus *corpus)
{
  if (corpus == NULL)
    return;
  g_ptr_array_unref (corpus->names);
  g_ptr_array_unref (corpus->texts);
  g_free (corpus);
}

/* ---- the error check ---------------------------------------------------------------- */

/* True if `p` (just past a ':') reads "LINE:COLUMN: " followed by a message. */
static bool
position_follows (const char *p)
{
  for (int field = 0; field < 2; field++)
    {
      if (!g_ascii_isdigit (*p))
        return false;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p != ':')
        return false;
      p++;
    }
  return p[0] == ' ' && p[1] != '\0';
}

/* True if `message` starts "file:LINE:COLUMN: " and goes on. The file name may itself hold
 * colons ("Ble:s.csv:1:1: ..."), as in a compiler's messages: any colon may end it. */
static bool
has_position (const char *message)
{
  for (const char *p = strchr (message, ':'); p != NULL; p = strchr (p + 1, ':'))
    if (p != message && position_follows (p + 1))
      return true;
  return false;
}

bool
fuzz_error_is_one_line (const GError *error)
{
  return fuzz_error_is_one_line_in (error, STRATUS_SCENARIO_ERROR);
}

bool
fuzz_error_is_one_line_in (const GError *error, GQuark domain)
{
  return error != NULL && error->domain == domain && strchr (error->message, '\n') == NULL
         && has_position (error->message);
}

/* ---- the watchdog ------------------------------------------------------------------- */

/* Where findings are saved: the folder the driver started in (not --cwd). */
static char *output_dir;

/* `output_dir`/NAME. Caller frees. */
static char *
output_path (const char *name)
{
  return g_build_filename (output_dir != NULL ? output_dir : ".", name, NULL);
}

static char *watch_text_path, *watch_override_path;
static const char *volatile watch_text, *volatile watch_override;
static volatile sig_atomic_t watch_dumped;

/* Async-signal-safe: writes `text` to `path`. */
static void
dump_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return;
  size_t left = strlen (text);
  while (left > 0)
    {
      ssize_t n = write (fd, text, left);
      if (n <= 0)
        break;
      text += n;
      left -= (size_t) n;
    }
  close (fd);
}

static void
say (const char *text)
{
  ssize_t ignored = write (STDERR_FILENO, text, strlen (text));
  (void) ignored;
}

/* Saves the input being tried, once. Async-signal-safe. */
static void
dump_input (void)
{
  if (watch_dumped || watch_text == NULL)
    return;
  watch_dumped = 1;
  dump_file (watch_text_path, (const char *) watch_text);
  if (watch_override != NULL)
    dump_file (watch_override_path, (const char *) watch_override);
  say ("fuzz: FINDING: the input being tried is saved in ");
  say (watch_text_path);
  if (watch_override != NULL)
    {
      say (" (override in ");
      say (watch_override_path);
      say (")");
    }
  say ("\n");
}

static void
on_fatal_signal (int sig)
{
  if (sig == SIGALRM)
    say ("fuzz: FINDING: an input ran past its wall-clock limit (hang)\n");
  dump_input ();
  signal (sig == SIGALRM ? SIGABRT : sig, SIG_DFL);
  raise (sig == SIGALRM ? SIGABRT : sig);
}

/* The sanitizers' hook, when they are linked in (weak: absent otherwise). */
void __sanitizer_set_death_callback (void (*callback) (void)) __attribute__ ((weak));

void
fuzz_watch_install (const char *prefix)
{
  char *name = g_strdup_printf ("%s-crash.yaml", prefix);
  watch_text_path = output_path (name);
  g_free (name);
  name = g_strdup_printf ("%s-crash.override", prefix);
  watch_override_path = output_path (name);
  g_free (name);
  int signals[] = { SIGABRT, SIGALRM, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
  /* Under the sanitizers, they handle the memory faults themselves and call back. */
  size_t n = __sanitizer_set_death_callback != NULL ? 2 : G_N_ELEMENTS (signals);
  if (__sanitizer_set_death_callback != NULL)
    __sanitizer_set_death_callback (dump_input);
  for (size_t i = 0; i < n; i++)
    {
      struct sigaction action = { 0 };
      action.sa_handler = on_fatal_signal;
      sigemptyset (&action.sa_mask);
      sigaction (signals[i], &action, NULL);
    }
}

void
fuzz_watch_begin (const char *text, const char *override, unsigned seconds)
{
  watch_text = text;
  watch_override = override;
  alarm (seconds);
}

void
fuzz_watch_end (void)
{
  alarm (0);
  watch_text = watch_override = NULL;
}

/* ---- the drivers' command line ------------------------------------------------------- */

void
fuzz_args_parse (FuzzArgs *args, const char *program, guint64 default_runs, int argc,
                 char **argv)
{
  gint64 seed = 1, runs = (gint64) default_runs, seconds = 60;
  char *cwd = NULL;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the mutations (default 1)", "S" },
    { "runs", 0, 0, G_OPTION_ARG_INT64, &runs, "Inputs to try", "N" },
    { "cwd", 0, 0, G_OPTION_ARG_FILENAME, &cwd, "Folder where relative files resolve", "DIR" },
    { "time-limit", 0, 0, G_OPTION_ARG_INT64, &seconds, "Wall-clock seconds per input", "S" },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *ctx = g_option_context_new ("CORPUS_DIR... - deterministic fuzzing");
  g_option_context_add_main_entries (ctx, entries, NULL);
  GError *error = NULL;
  bool ok = g_option_context_parse (ctx, &argc, &argv, &error);
  g_option_context_free (ctx);
  output_dir = g_get_current_dir ();
  if (ok && argc >= 2)
    {
      args->corpus = g_new0 (char *, (gsize) argc); /* absolute: before changing folder */
      for (int i = 1; i < argc; i++)
        args->corpus[i - 1] = g_canonicalize_filename (argv[i], NULL);
    }
  if (!ok || argc < 2 || seed < 0 || runs < 0 || seconds < 0
      || (cwd != NULL && g_chdir (cwd) != 0))
    {
      fprintf (stderr, "%s: %s\n", program,
               error != NULL ? error->message
                             : "usage: [--seed S] [--runs N] [--cwd DIR] CORPUS_DIR...");
      exit (2);
    }
  args->seed = (guint64) seed;
  args->runs = (guint64) runs;
  args->seconds = (guint) seconds;
  args->cwd = cwd;
}

void
fuzz_args_clear (FuzzArgs *args)
{
  g_clear_pointer (&output_dir, g_free);
  g_free (args->cwd);
  g_strfreev (args->corpus);
}

void
fuzz_save_finding (const char *prefix, unsigned n, const char *text, const char *override,
                   const char *why)
{
  char *name = g_strdup_printf ("%s-finding-%u.yaml", prefix, n);
  char *path = output_path (name);
  g_free (name);
  g_file_set_contents (path, text, -1, NULL);
  fprintf (stderr, "fuzz: FINDING %u: %s\n  input saved in %s", n, why, path);
  if (override != NULL)
    {
      name = g_strdup_printf ("%s-finding-%u.override", prefix, n);
      char *opath = output_path (name);
      g_free (name);
      g_file_set_contents (opath, override, -1, NULL);
      fprintf (stderr, " (override in %s: %s)", opath, override);
      g_free (opath);
    }
  fputc ('\n', stderr);
  g_free (path);
}
