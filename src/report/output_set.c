/* The files of a run published as one unit: a temporary folder beside DIR, renamed to DIR
 * or exchanged with it atomically (renameat2 RENAME_EXCHANGE). */
#define _GNU_SOURCE /* renameat2 (glibc >= 2.28) */
#include "stratus/output_set.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

struct StratusOutputSet
{
  char *shown;   /* DIR as the user gave it, for messages */
  char *dir;     /* DIR, absolute */
  char *parent;  /* its parent folder */
  char *base;    /* its last component */
  char *tmp;     /* parent/.BASE.stratus-PID.tmp */
  char **known;  /* names stratus writes */
  bool published;
};

G_DEFINE_QUARK (stratus-output-error-quark, stratus_output_error)

/* True if `name` is a known name or a NAME.XXXXXX leftover of g_file_set_contents; a known
 * name holding '*' is a pattern (g_pattern_match_simple), leftovers included. */
static bool
is_known (const char *name, char *const *known)
{
  for (size_t i = 0; known[i] != NULL; i++)
    {
      if (strchr (known[i], '*') != NULL)
        {
          char *leftover = g_strconcat (known[i], ".??????", NULL);
          bool match = g_pattern_match_simple (known[i], name)
                       || g_pattern_match_simple (leftover, name);
          g_free (leftover);
          if (match)
            return true;
          continue;
        }
      size_t n = strlen (known[i]);
      if (strncmp (name, known[i], n) == 0
          && (name[n] == '\0' || (name[n] == '.' && strlen (name + n + 1) == 6)))
        return true;
    }
  return false;
}

/* The first entry of `folder` that is not known (caller frees), NULL if none or if the
 * folder cannot be listed (then `error` is set). */
static char *
first_foreign (const char *folder, char *const *known, GError **error)
{
  GDir *d = g_dir_open (folder, 0, error);
  if (d == NULL)
    return NULL;
  char *foreign = NULL;
  const char *name;
  while (foreign == NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (folder, name, NULL);
      if (!is_known (name, known) || g_file_test (path, G_FILE_TEST_IS_DIR))
        foreign = g_strdup (name);
      g_free (path);
    }
  g_dir_close (d);
  return foreign;
}

/* Removes the files of a folder written by stratus (not recursing), then the folder.
 * False if something stays (a subfolder, a permission). */
static bool
remove_folder (const char *folder)
{
  GDir *d = g_dir_open (folder, 0, NULL);
  if (d == NULL)
    return false;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (folder, name, NULL);
      (void) g_unlink (path); /* a subfolder stays, and so does the folder */
      g_free (path);
    }
  g_dir_close (d);
  return g_rmdir (folder) == 0;
}

/* The pid of a temporary folder name ".BASE.stratus-PID.tmp", or 0 if it is not one. */
static long
temporary_pid (const char *name, const char *base)
{
  size_t n = strlen (base);
  if (name[0] != '.' || strncmp (name + 1, base, n) != 0
      || !g_str_has_prefix (name + 1 + n, ".stratus-") || !g_str_has_suffix (name, ".tmp"))
    return 0;
  const char *digits = name + 1 + n + strlen (".stratus-");
  char *end = NULL;
  errno = 0;
  long pid = strtol (digits, &end, 10);
  if (errno != 0 || end == digits || strcmp (end, ".tmp") != 0 || pid <= 0 || digits[0] == '+')
    return 0;
  return pid;
}

/* Removes temporary folders beside DIR left by processes that are gone (and by an earlier
 * process with this pid). */
static void
remove_stale (const StratusOutputSet *set)
{
  GDir *d = g_dir_open (set->parent, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      long pid = temporary_pid (name, set->base);
      bool dead = pid > INT_MAX || (pid > 0 && kill ((pid_t) pid, 0) != 0 && errno == ESRCH);
      if (pid > 0 && (dead || pid == (long) getpid ()))
        {
          char *path = g_build_filename (set->parent, name, NULL);
          (void) remove_folder (path);
          g_free (path);
        }
    }
  g_dir_close (d);
}

/* "--out DIR: WHAT PATH: reason" as an IO error. */
static void
set_io_error (GError **error, const StratusOutputSet *set, const char *what, const char *path,
              int saved_errno)
{
  g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO, "--out %s: %s %s: %s",
               set->shown, what, path, g_strerror (saved_errno));
}

/* Fills dir, parent and base from the user's DIR; false if DIR cannot be a folder name. */
static bool
resolve (StratusOutputSet *set, GError **error)
{
  char *real = realpath (set->shown, NULL); /* an existing DIR, through symbolic links */
  set->dir = real != NULL ? g_strdup (real) : g_canonicalize_filename (set->shown, NULL);
  free (real);
  set->parent = g_path_get_dirname (set->dir);
  set->base = g_path_get_basename (set->dir);
  if (strcmp (set->base, "/") == 0 || strcmp (set->base, ".") == 0
      || strcmp (set->base, "..") == 0)
    {
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO,
                   "--out %s: cannot replace the root folder; give a folder inside it",
                   set->shown);
      return false;
    }
  return true;
}

/* Checks an existing DIR: a writable folder holding only files stratus writes. */
static bool
check_existing (StratusOutputSet *set, GError **error)
{
  if (!g_file_test (set->dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO,
                   "--out %s: it exists and is not a folder", set->shown);
      return false;
    }
  char *probe = g_strdup_printf ("%s/.stratus-probe-%ld", set->dir, (long) getpid ());
  if (g_mkdir (probe, 0700) != 0 && errno != EEXIST)
    {
      set_io_error (error, set, "cannot write into", set->shown, errno);
      g_free (probe);
      return false;
    }
  (void) g_rmdir (probe);
  g_free (probe);
  GError *list_error = NULL;
  char *foreign = first_foreign (set->dir, set->known, &list_error);
  if (list_error != NULL)
    {
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO, "--out %s: %s",
                   set->shown, list_error->message);
      g_error_free (list_error);
      return false;
    }
  if (foreign != NULL)
    {
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_FOREIGN,
                   "--out %s holds '%s', which stratus did not write; replacing the folder "
                   "would remove it: choose a new or empty folder, or move it away",
                   set->shown, foreign);
      g_free (foreign);
      return false;
    }
  return true;
}

StratusOutputSet *
stratus_output_set_open (const char *dir, const char *const *known_names, GError **error)
{
  StratusOutputSet *set = g_new0 (StratusOutputSet, 1);
  set->shown = g_strdup (dir);
  set->known = g_strdupv ((char **) known_names);
  if (!resolve (set, error))
    goto fail;
  if (g_mkdir_with_parents (set->parent, 0777) != 0)
    {
      set_io_error (error, set, "cannot create", set->parent, errno);
      goto fail;
    }
  if (g_file_test (set->dir, G_FILE_TEST_EXISTS) && !check_existing (set, error))
    goto fail;
  remove_stale (set);
  set->tmp = g_strdup_printf ("%s/.%s.stratus-%ld.tmp", set->parent, set->base, (long) getpid ());
  if (g_mkdir (set->tmp, 0777) != 0)
    {
      int saved = errno;
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO,
                   "--out %s: cannot create a folder in %s: %s", set->shown, set->parent,
                   g_strerror (saved));
      g_clear_pointer (&set->tmp, g_free);
      goto fail;
    }
  return set;
fail:
  stratus_output_set_free (set);
  return NULL;
}

const char *
stratus_output_set_folder (const StratusOutputSet *set)
{
  return set->tmp;
}

/* Writes all of `data` to `fd`, retrying after signals; false with errno set. */
static bool
write_all (int fd, const char *data, size_t length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      data += n;
      length -= (size_t) n;
    }
  return true;
}

bool
stratus_output_set_write (StratusOutputSet *set, const char *name, const char *contents,
                          gssize length, GError **error)
{
  size_t n = length < 0 ? strlen (contents) : (size_t) length;
  char *path = g_build_filename (set->tmp, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  bool ok = fd >= 0 && write_all (fd, contents, n) && fsync (fd) == 0;
  int saved = errno;
  if (fd >= 0 && close (fd) != 0 && ok)
    {
      ok = false;
      saved = errno;
    }
  g_free (path);
  if (!ok)
    {
      char *shown = g_build_filename (set->shown, name, NULL);
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO, "cannot write %s: %s",
                   shown, g_strerror (saved));
      g_free (shown);
    }
  return ok;
}

/* Exchanges the temporary folder with a non-empty DIR, then removes the old set. */
static bool
exchange (StratusOutputSet *set, GError **error)
{
  GError *list_error = NULL;
  char *foreign = first_foreign (set->dir, set->known, &list_error);
  if (list_error != NULL)
    {
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO,
                   "--out %s: %s; the results were not written", set->shown,
                   list_error->message);
      g_error_free (list_error);
      return false;
    }
  if (foreign != NULL)
    {
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO,
                   "--out %s: '%s' appeared in it during the run; the results were not "
                   "written (replacing the folder would remove it)", set->shown, foreign);
      g_free (foreign);
      return false;
    }
  if (renameat2 (AT_FDCWD, set->tmp, AT_FDCWD, set->dir, RENAME_EXCHANGE) != 0)
    {
      int saved = errno;
      g_set_error (error, STRATUS_OUTPUT_ERROR, STRATUS_OUTPUT_ERROR_IO,
                   "--out %s: cannot replace the previous results in one step (%s); remove "
                   "the folder or choose a new one", set->shown, g_strerror (saved));
      return false;
    }
  set->published = true;
  if (!remove_folder (set->tmp)) /* now the previous set */
    fprintf (stderr, "stratus: note: could not remove the previous results, now in %s\n",
             set->tmp);
  return true;
}

bool
stratus_output_set_publish (StratusOutputSet *set, GError **error)
{
  if (rename (set->tmp, set->dir) == 0)
    {
      set->published = true;
      return true;
    }
  if (errno == ENOTEMPTY || errno == EEXIST)
    return exchange (set, error);
  set_io_error (error, set, "cannot move the results to", set->shown, errno);
  return false;
}

void
stratus_output_set_free (StratusOutputSet *set)
{
  if (set == NULL)
    return;
  if (set->tmp != NULL && !set->published)
    (void) remove_folder (set->tmp);
  g_free (set->shown);
  g_free (set->dir);
  g_free (set->parent);
  g_free (set->base);
  g_free (set->tmp);
  g_strfreev (set->known);
  g_free (set);
}
