/* A deliberately small CSV reader: comma-separated, no quoting. The file must be a regular
 * file of at most STRATUS_NUMBER_FILE_MAX_BYTES, checked before anything is read, and a text
 * file (no NUL byte). */
#include "number_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stratus/scenario.h"

/* Sets the error "path:line:column: message" (code `code`); always returns false. */
static bool G_GNUC_PRINTF (6, 7)
file_fail (GError **error, int code, const char *path, size_t line, size_t column,
           const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  char *message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, STRATUS_SCENARIO_ERROR, code, "%s:%zu:%zu: %s", path, line, column,
               message);
  g_free (message);
  return false;
}

/* Refuses what is not a regular file of at most the size limit, from its stat. */
static bool
check_stat (const char *path, const GStatBuf *st, GError **error)
{
  if (S_ISDIR (st->st_mode))
    return file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1,
                      "cannot read the file: it is a folder");
  if (!S_ISREG (st->st_mode))
    return file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1,
                      "cannot read the file: not a regular file (a device, a FIFO or a socket "
                      "cannot be read as a table)");
  if ((guint64) st->st_size > STRATUS_NUMBER_FILE_MAX_BYTES)
    return file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1,
                      "the file is %" G_GUINT64_FORMAT " bytes, more than the limit of %zu MiB",
                      (guint64) st->st_size, STRATUS_NUMBER_FILE_MAX_BYTES >> 20);
  return true;
}

/* Reads all of the open regular file `fd` (at most the size limit) into a NUL-terminated
 * buffer; *len is its length. Caller frees. NULL with an error on failure. */
static char *
read_fd (int fd, const char *path, size_t *len, GError **error)
{
  size_t cap = 4096, n = 0;
  char *buf = g_malloc (cap + 1);
  for (;;)
    {
      if (n == cap)
        {
          if (cap > STRATUS_NUMBER_FILE_MAX_BYTES) /* it grew since it was checked */
            {
              g_free (buf);
              file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1,
                         "the file is more than the limit of %zu MiB",
                         STRATUS_NUMBER_FILE_MAX_BYTES >> 20);
              return NULL;
            }
          cap *= 2;
          buf = g_realloc (buf, cap + 1);
        }
      ssize_t got = read (fd, buf + n, cap - n);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;
          g_free (buf);
          file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1, "cannot read the file: %s",
                     g_strerror (saved));
          return NULL;
        }
      if (got == 0)
        break;
      n += (size_t) got;
    }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* The text of `path` (NUL-terminated, *len bytes), after checking that it is a regular
 * file under the size limit (before reading) and holds no NUL byte. Caller frees. */
static char *
load_text (const char *path, size_t *len, GError **error)
{
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1, "cannot read the file: %s",
                 saved == ENOENT ? "no such file" : g_strerror (saved));
      return NULL;
    }
  if (!check_stat (path, &st, error))
    return NULL;
  /* O_NONBLOCK: should the path have become a FIFO since, open must not wait for a writer. */
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1, "cannot read the file: %s",
                 g_strerror (saved));
      return NULL;
    }
  GStatBuf fst;
  char *text = NULL;
  if (fstat (fd, &fst) != 0)
    file_fail (error, STRATUS_SCENARIO_ERROR_IO, path, 1, 1, "cannot read the file: %s",
               g_strerror (errno));
  else if (check_stat (path, &fst, error))
    text = read_fd (fd, path, len, error);
  close (fd);
  const char *nul = text != NULL ? memchr (text, '\0', *len) : NULL;
  if (nul != NULL)
    {
      size_t line = 1, column = 1;
      for (const char *p = text; p < nul; p++)
        if (*p == '\n')
          line++, column = 1;
        else
          column++;
      file_fail (error, STRATUS_SCENARIO_ERROR_INVALID, path, line, column,
                 "a NUL byte: this is not a text file");
      g_clear_pointer (&text, g_free);
    }
  return text;
}

/* True when a first-row cell that did not parse is a header: it does not start like a
 * number (a number out of range is an error, not a header). */
static bool
looks_like_header (const char *cell)
{
  return !(g_ascii_isdigit (cell[0]) || cell[0] == '.' || cell[0] == '-' || cell[0] == '+');
}

/* Parses the cell of column `column` of one line (`number` from 1) into `values`; false
 * with an error. *first_row is cleared once a row has been seen. */
static bool
parse_line (char *raw, size_t number, int column, StratusCellParser parse, void *user_data,
            const char *path, bool *first_row, GArray *values, GError **error)
{
  /* Columns in messages count from the start of the line as written. */
  int lead = 0;
  while (g_ascii_isspace (raw[lead]))
    lead++;
  char *line = g_strstrip (raw);
  if (line[0] == '\0' || line[0] == '#')
    return true;
  char **cells = g_strsplit (line, ",", -1);
  int n = (int) g_strv_length (cells);
  int c = column < 0 ? n - 1 : column;
  bool ok = true;
  if (c >= n)
    ok = file_fail (error, STRATUS_SCENARIO_ERROR_INVALID, path, number, 1,
                    "expected at least %d columns", c + 1);
  else
    {
      size_t col = 1 + (size_t) lead;
      for (int k = 0; k < c; k++)
        col += strlen (cells[k]) + 1;
      for (const char *p = cells[c]; g_ascii_isspace (*p); p++)
        col++;
      double v;
      GError *cell_error = NULL;
      const char *cell = g_strstrip (cells[c]);
      if (parse (cell, &v, user_data, &cell_error))
        g_array_append_val (values, v);
      else if (!*first_row || !looks_like_header (cell))
        ok = file_fail (error, STRATUS_SCENARIO_ERROR_INVALID, path, number, col, "%s",
                        cell_error->message);
      g_clear_error (&cell_error);
    }
  *first_row = false;
  g_strfreev (cells);
  return ok;
}

GArray *
stratus_read_number_column (const char *path, int column, StratusCellParser parse,
                            void *user_data, GError **error)
{
  size_t len = 0;
  char *text = load_text (path, &len, error);
  if (text == NULL)
    return NULL;
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));
  bool first_row = true;
  bool ok = true;
  size_t number = 1;
  for (char *p = text; ok && p < text + len; number++)
    {
      char *end = memchr (p, '\n', (size_t) (text + len - p));
      if (end == NULL)
        end = text + len;
      *end = '\0'; /* lines are parsed in place, one at a time */
      ok = parse_line (p, number, column, parse, user_data, path, &first_row, values, error);
      p = end + 1;
    }
  if (ok && values->len == 0)
    ok = file_fail (error, STRATUS_SCENARIO_ERROR_INVALID, path, 1, 1,
                    "the file holds no values");
  g_free (text);
  if (!ok)
    {
      g_array_unref (values);
      return NULL;
    }
  return values;
}
