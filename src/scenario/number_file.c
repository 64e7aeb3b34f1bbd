/* A deliberately small CSV reader: comma-separated, no quoting. */
#include "number_file.h"

#include <string.h>

#include "stratus/scenario.h"

GArray *
stratus_read_number_column (const char *path, int column, StratusCellParser parse,
                            void *user_data, GError **error)
{
  char *text = NULL;
  GError *io_error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &io_error))
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_IO,
                   "%s:1:1: cannot read the file: %s", path,
                   io_error->code == G_FILE_ERROR_NOENT ? "no such file" : io_error->message);
      g_error_free (io_error);
      return NULL;
    }
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));
  char **lines = g_strsplit (text, "\n", -1);
  bool first_row = true;
  bool ok = true;
  for (int i = 0; lines[i] != NULL && ok; i++)
    {
      /* Columns in messages count from the start of the line as written. */
      int lead = 0;
      while (g_ascii_isspace (lines[i][lead]))
        lead++;
      char *line = g_strstrip (lines[i]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      char **cells = g_strsplit (line, ",", -1);
      int n = (int) g_strv_length (cells);
      int c = column < 0 ? n - 1 : column;
      if (c >= n)
        {
          g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                       "%s:%d:1: expected at least %d columns", path, i + 1, c + 1);
          ok = false;
        }
      else
        {
          int col = 1 + lead;
          for (int k = 0; k < c; k++)
            col += (int) strlen (cells[k]) + 1;
          for (const char *p = cells[c]; g_ascii_isspace (*p); p++)
            col++;
          double v;
          GError *cell_error = NULL;
          if (parse (g_strstrip (cells[c]), &v, user_data, &cell_error))
            g_array_append_val (values, v);
          else if (!first_row)
            {
              g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                           "%s:%d:%d: %s", path, i + 1, col, cell_error->message);
              ok = false;
            }
          g_clear_error (&cell_error);
        }
      first_row = false;
      g_strfreev (cells);
    }
  if (ok && values->len == 0)
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s:1:1: the file holds no values", path);
      ok = false;
    }
  g_strfreev (lines);
  g_free (text);
  if (!ok)
    {
      g_array_unref (values);
      return NULL;
    }
  return values;
}
