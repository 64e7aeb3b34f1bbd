/* Temporary directories for tests. */
#include "tmpdir.h"

#include <glib.h>
#include <glib/gstdio.h>

void
tmpdir_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);
          tmpdir_remove_tree (child);
          g_free (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
    }
  g_remove (path);
}

int
tmpdir_setup (void **state)
{
  char *dir = g_dir_make_tmp ("stratus-test-XXXXXX", NULL);
  if (dir == NULL)
    return -1;
  *state = dir;
  return 0;
}

int
tmpdir_teardown (void **state)
{
  tmpdir_remove_tree (*state);
  g_free (*state);
  return 0;
}
