/* The space of a sweep (stratus/sweep.h): dimensions from --vary specs and CSV files, and
 * the points of their product, the first dimension varying slowest. */
#include "sweep_private.h"

#include <math.h>
#include <string.h>

#define MAX_VALUES SWEEP_MAX_VALUES

static void
dimension_free (gpointer data)
{
  SweepDimension *d = data;
  g_ptr_array_unref (d->keys);
  g_ptr_array_unref (d->rows);
  g_free (d);
}

StratusSweepSpace *
stratus_sweep_space_new (void)
{
  StratusSweepSpace *space = g_new0 (StratusSweepSpace, 1);
  space->dimensions = g_ptr_array_new_with_free_func (dimension_free);
  return space;
}

void
stratus_sweep_space_free (StratusSweepSpace *space)
{
  if (space == NULL)
    return;
  g_ptr_array_unref (space->dimensions);
  g_free (space);
}

static SweepDimension *
dimension_new (void)
{
  SweepDimension *d = g_new0 (SweepDimension, 1);
  d->keys = g_ptr_array_new_with_free_func (g_free);
  d->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return d;
}

/* Whether `key` is already a key of the space. */
static bool
has_key (const StratusSweepSpace *space, const char *key)
{
  /* Dimension by dimension: stratus_sweep_space_key (space, k) walks the dimensions to
   * find key k, which made this quadratic in the keys. */
  for (guint i = 0; i < space->dimensions->len; i++)
    {
      const SweepDimension *d = space->dimensions->pdata[i];
      for (guint k = 0; k < d->keys->len; k++)
        if (strcmp (d->keys->pdata[k], key) == 0)
          return true;
    }
  return false;
}

/* Adds a one-value row to a one-key dimension. */
static void
add_single (SweepDimension *d, const char *value)
{
  char **row = g_new0 (char *, 2);
  row[0] = g_strdup (value);
  g_ptr_array_add (d->rows, row);
}

/* A number at the start of `text` and the rest after it (the unit); false if none. */
static bool
split_number (const char *text, double *value, const char **unit)
{
  /* Decimal only: strtod also reads hexadecimal ("0x1p3"), whose decimals the values
   * could not be printed with. */
  const char *digits = text + (text[0] == '+' || text[0] == '-' ? 1 : 0);
  if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
    return false;
  char *end = NULL;
  *value = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (*value) || g_ascii_isspace (text[0]))
    return false;
  *unit = end;
  return true;
}

/* The decimals the number at the start of `text` is written with, counting an exponent
 * ("0.25" 2, "1e-3" 3, "2.5e2" 0), at most 12. */
static int
decimals_of (const char *text)
{
  const char *p = text;
  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    p++;
  int n = 0;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      n++;
  if (*p == 'e' || *p == 'E')
    {
      char *end = NULL;
      gint64 exponent = g_ascii_strtoll (p + 1, &end, 10);
      if (end != p + 1)
        n -= (int) CLAMP (exponent, -100, 100);
    }
  return CLAMP (n, 0, 12);
}

/* Whether `text` up to `stop` starts with a number (a sign, then a digit or '.'). */
static bool
starts_with_number (const char *text, const char *stop)
{
  const char *p = text;
  if (p < stop && (*p == '+' || *p == '-'))
    p++;
  return p < stop && (g_ascii_isdigit (*p) || (*p == '.' && p + 1 < stop
                                                && g_ascii_isdigit (p[1])));
}

/* The values of "A..B:STEP" into `d`; false with `error` set if malformed. */
static bool
add_range (SweepDimension *d, const char *key, const char *spec, GError **error)
{
  const char *dots = strstr (spec, "..");
  const char *colon = dots != NULL ? strchr (dots, ':') : NULL;
  char *a_text = g_strndup (spec, (gsize) (dots - spec));
  char *b_text = colon != NULL ? g_strndup (dots + 2, (gsize) (colon - dots - 2))
                               : g_strdup (dots + 2);
  const char *step_text = colon != NULL ? colon + 1 : "1";
  double a, b, step;
  const char *unit_a, *unit_b, *unit_step;
  bool ok = false;
  char *shown = sweep_shown (spec, 200);
  if (!split_number (a_text, &a, &unit_a) || !split_number (b_text, &b, &unit_b)
      || !split_number (step_text, &step, &unit_step))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: a range is A..B:STEP with numbers, in decimal (e.g. 2..12:2)", key,
                 shown);
  else if (strcmp (unit_a, unit_b) != 0 || (unit_step[0] != '\0' && strcmp (unit_step, unit_a) != 0))
    {
      char *ua = sweep_shown (unit_a, 40), *ub = sweep_shown (unit_b, 40);
      char *us = sweep_shown (unit_step, 40);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary %s=%s: A, B and STEP must have the same unit ('%s', '%s', '%s'; "
                   "STEP may have none)", key, shown, ua, ub, us);
      g_free (ua);
      g_free (ub);
      g_free (us);
    }
  else if (step <= 0 || b < a)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: needs A <= B and a STEP > 0", key, shown);
  else if ((b - a) / step + 1 > MAX_VALUES)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: more than %d values", key, shown, MAX_VALUES);
  else
    {
      int decimals = MAX (decimals_of (a_text), decimals_of (step_text));
      /* Values are computed as A + i x STEP (no accumulated error), up to B within a
       * millionth of a step. A STEP below the precision of A ("1e300..1e300:1") leaves
       * A + i x STEP equal to A for ever: the values are counted, and each must differ
       * from the one before as printed. */
      char *previous = NULL;
      ok = true;
      for (size_t i = 0; ok; i++)
        {
          double v = a + (double) i * step;
          if (v > b + step * 1e-6)
            break;
          char *value = g_strdup_printf ("%.*f%s", decimals, v, unit_a);
          if (i >= MAX_VALUES)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--vary %s=%s: more than %d values", key, shown, MAX_VALUES);
              ok = false;
            }
          else if (previous != NULL && strcmp (previous, value) == 0)
            {
              char *v_shown = sweep_shown (value, 40);
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--vary %s=%s: STEP is too small for the precision of the values "
                           "(two of them are %s)", key, shown, v_shown);
              g_free (v_shown);
              ok = false;
            }
          else
            add_single (d, value);
          g_free (previous);
          previous = value;
        }
      g_free (previous);
    }
  g_free (shown);
  g_free (a_text);
  g_free (b_text);
  return ok;
}

/* Whether the space can take dimension `d` (its keys and rows): at most SWEEP_MAX_KEYS keys
 * and SWEEP_MAX_PAIRS points in all (the point count, a product, would overflow size_t
 * long before: five dimensions of 8192 values made 2^65 points, counted as 0). False with
 * `error` set ("WHAT: ...") if not. */
static bool
dimension_fits (const StratusSweepSpace *space, const SweepDimension *d, const char *what,
                GError **error)
{
  size_t keys = stratus_sweep_space_key_count (space);
  size_t points = stratus_sweep_space_point_count (space);
  if (keys + d->keys->len > SWEEP_MAX_KEYS)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "%s: more than %d varied keys in all", what, SWEEP_MAX_KEYS);
  /* The space's points are at most SWEEP_MAX_PAIRS already: no overflow. */
  else if (points * d->rows->len > SWEEP_MAX_PAIRS)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "%s: the sweep would have %zu x %u points, more than %d", what, points,
                 d->rows->len, SWEEP_MAX_PAIRS);
  else
    return true;
  return false;
}

bool
stratus_sweep_space_add_vary (StratusSweepSpace *space, const char *spec, GError **error)
{
  const char *eq = strchr (spec, '=');
  if (!g_utf8_validate (spec, -1, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary: the key or a value is not UTF-8 text");
      return false;
    }
  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      char *shown = sweep_shown (spec, 200);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary '%s': expected KEY=V1,V2,... or KEY=A..B:STEP "
                   "(e.g. instances.web.count=2..8:2)", shown);
      g_free (shown);
      return false;
    }
  char *raw_key = g_strndup (spec, (gsize) (eq - spec));
  char *key = sweep_shown (raw_key, 200);
  if (has_key (space, raw_key))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary: '%s' is varied twice", key);
      g_free (key);
      g_free (raw_key);
      return false;
    }
  SweepDimension *d = dimension_new ();
  g_ptr_array_add (d->keys, raw_key);
  const char *values = eq + 1;
  bool ok = true;
  /* A range starts with a number ("2..8:2", "-1..1:0.5"); a value such as
   * "../traces/a.csv" is one value. */
  const char *dots = strstr (values, "..");
  if (dots != NULL && strchr (values, ',') == NULL && starts_with_number (values, dots))
    ok = add_range (d, key, values, error);
  else
    {
      char **parts = g_strsplit (values, ",", -1);
      for (char **p = parts; ok && *p != NULL; p++)
        {
          char *v = g_strstrip (*p);
          if (v[0] == '\0')
            {
              char *shown = sweep_shown (values, 200);
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--vary %s: an empty value in '%s'", key, shown);
              g_free (shown);
              ok = false;
            }
          else if (d->rows->len >= MAX_VALUES)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--vary %s: more than %d values", key, MAX_VALUES);
              ok = false;
            }
          else
            add_single (d, v);
        }
      g_strfreev (parts);
    }
  if (ok)
    {
      char *what = g_strconcat ("--vary ", key, NULL);
      ok = dimension_fits (space, d, what, error);
      g_free (what);
    }
  g_free (key);
  if (!ok)
    {
      dimension_free (d);
      return false;
    }
  g_ptr_array_add (space->dimensions, d);
  return true;
}

/* Splits a CSV line at commas: a field is stripped of surrounding blanks, and one in double
 * quotes keeps what they hold, commas included, with "" for a quote
 * ("{dist: lognormal, mean: 20ms}"). NULL with `*problem` set if a quote is not closed or
 * is followed by more than blanks. */
static char **
csv_fields (const char *line, const char **problem)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;
  for (;;)
    {
      while (*p == ' ' || *p == '\t')
        p++;
      GString *field = g_string_new (NULL);
      if (*p == '"')
        {
          for (p++;; p++)
            {
              if (*p == '\0')
                {
                  *problem = "a quoted value is not closed (a quote inside one is written \"\")";
                  break;
                }
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          if (*p == '"')
            for (p++; *p == ' ' || *p == '\t'; p++)
              ;
          if (*problem == NULL && *p != ',' && *p != '\0')
            *problem = "a closing quote is followed by more than blanks before the comma";
        }
      else
        {
          const char *end = strchr (p, ',');
          if (end == NULL)
            end = p + strlen (p);
          char *raw = g_strndup (p, (gsize) (end - p));
          g_string_append (field, g_strchomp (raw));
          g_free (raw);
          p = end;
        }
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*problem != NULL)
        {
          g_ptr_array_unref (fields);
          return NULL;
        }
      if (*p != ',')
        break;
      p++;
    }
  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (fields, FALSE);
}

/* Whether `key` is already a key of dimension `d` (being built). */
static bool
dimension_has_key (const SweepDimension *d, const char *key)
{
  for (guint k = 0; k < d->keys->len; k++)
    if (strcmp (d->keys->pdata[k], key) == 0)
      return true;
  return false;
}

bool
stratus_sweep_space_add_csv (StratusSweepSpace *space, const char *path, GError **error)
{
  char *text = NULL;
  gsize length = 0;
  GError *read_error = NULL;
  if (!g_file_get_contents (path, &text, &length, &read_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s", read_error->message);
      g_error_free (read_error);
      return false;
    }
  char *file = sweep_shown (path, 200);
  /* A NUL byte would end the text silently where it is, and the rows after it with it. */
  const char *nul = memchr (text, '\0', length);
  if (nul != NULL)
    {
      size_t line = 1;
      for (const char *c = text; c < nul; c++)
        line += *c == '\n' ? 1 : 0;
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s:%zu: a NUL byte (is this a text file?)", file, line);
      g_free (text);
      g_free (file);
      return false;
    }
  SweepDimension *d = dimension_new ();
  /* A spreadsheet's UTF-8 byte order mark is not part of the first key. */
  char **lines = g_strsplit (g_str_has_prefix (text, "\xef\xbb\xbf") ? text + 3 : text, "\n", -1);
  g_free (text);
  bool ok = true;
  guint n_keys = 0;
  size_t header_line = 0;
  for (size_t i = 0; ok && lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (!g_utf8_validate (line, -1, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s:%zu: not UTF-8 text (save the file as UTF-8)", file, i + 1);
          ok = false;
          continue;
        }
      const char *problem = NULL;
      char **fields = csv_fields (line, &problem);
      if (fields == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s:%zu: %s", file,
                       i + 1, problem);
          ok = false;
          continue;
        }
      guint n = g_strv_length (fields);
      if (n_keys == 0)
        {
          if (stratus_sweep_space_key_count (space) + n > SWEEP_MAX_KEYS)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "%s:%zu: more than %d varied keys in all", file, i + 1,
                           SWEEP_MAX_KEYS);
              ok = false;
            }
          for (guint k = 0; ok && k < n; k++)
            if (fields[k][0] == '\0' || has_key (space, fields[k])
                || dimension_has_key (d, fields[k]))
              {
                char *key = sweep_shown (fields[k], 200);
                g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                             "%s:%zu: %s%s", file, i + 1,
                             fields[k][0] == '\0' ? "an empty key in the header"
                             : has_key (space, fields[k]) ? "a key that is already varied: "
                                                          : "a key given twice in the header: ",
                             key);
                g_free (key);
                ok = false;
              }
            else
              g_ptr_array_add (d->keys, g_strdup (fields[k]));
          n_keys = n;
          header_line = i + 1;
          g_strfreev (fields);
          continue;
        }
      if (n != n_keys)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s:%zu: %u values where the header has %u keys", file, i + 1, n,
                       n_keys);
          ok = false;
          g_strfreev (fields);
        }
      else if (d->rows->len >= MAX_VALUES)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s:%zu: more than %d points", file, i + 1, MAX_VALUES);
          ok = false;
          g_strfreev (fields);
        }
      else
        g_ptr_array_add (d->rows, fields);
    }
  g_strfreev (lines);
  if (ok && d->rows->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: no points (a header row of keys, then one row per point)", file);
      ok = false;
    }
  if (ok)
    {
      char *what = g_strdup_printf ("%s:%zu", file, header_line);
      ok = dimension_fits (space, d, what, error);
      g_free (what);
    }
  g_free (file);
  if (!ok)
    {
      dimension_free (d);
      return false;
    }
  g_ptr_array_add (space->dimensions, d);
  return true;
}

size_t
stratus_sweep_space_point_count (const StratusSweepSpace *space)
{
  size_t n = 1;
  for (guint i = 0; i < space->dimensions->len; i++)
    n *= ((SweepDimension *) space->dimensions->pdata[i])->rows->len;
  return n;
}

size_t
stratus_sweep_space_key_count (const StratusSweepSpace *space)
{
  size_t n = 0;
  for (guint i = 0; i < space->dimensions->len; i++)
    n += ((SweepDimension *) space->dimensions->pdata[i])->keys->len;
  return n;
}

/* The dimension holding key `key`, and the key's position in it. */
static const SweepDimension *
dimension_of_key (const StratusSweepSpace *space, size_t key, size_t *dim_index, size_t *column)
{
  for (guint i = 0; i < space->dimensions->len; i++)
    {
      const SweepDimension *d = space->dimensions->pdata[i];
      if (key < d->keys->len)
        {
          *dim_index = i;
          *column = key;
          return d;
        }
      key -= d->keys->len;
    }
  g_return_val_if_reached (NULL);
}

const char *
stratus_sweep_space_key (const StratusSweepSpace *space, size_t key)
{
  size_t dim = 0, column = 0;
  const SweepDimension *d = dimension_of_key (space, key, &dim, &column);
  return d->keys->pdata[column];
}

const char *
stratus_sweep_space_value (const StratusSweepSpace *space, size_t point, size_t key)
{
  size_t dim = 0, column = 0;
  const SweepDimension *d = dimension_of_key (space, key, &dim, &column);
  /* The row of dimension `dim` at this point: mixed radix, the last dimension fastest. */
  size_t stride = 1;
  for (guint i = space->dimensions->len; i-- > dim + 1;)
    stride *= ((SweepDimension *) space->dimensions->pdata[i])->rows->len;
  size_t row = (point / stride) % d->rows->len;
  return ((char **) d->rows->pdata[row])[column];
}

char **
stratus_sweep_space_overrides (const StratusSweepSpace *space, size_t point)
{
  size_t n = stratus_sweep_space_key_count (space);
  char **overrides = g_new0 (char *, n + 1);
  for (size_t k = 0; k < n; k++)
    overrides[k] = g_strdup_printf ("%s=%s", stratus_sweep_space_key (space, k),
                                    stratus_sweep_space_value (space, point, k));
  return overrides;
}
