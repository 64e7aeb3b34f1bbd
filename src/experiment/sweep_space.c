/* The space of a sweep (stratus/sweep.h): dimensions from --vary specs and CSV files, and
 * the points of their product, the first dimension varying slowest. */
#include "sweep_private.h"

#include <math.h>
#include <string.h>

#define MAX_VALUES 10000

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
  for (size_t k = 0; k < stratus_sweep_space_key_count (space); k++)
    if (strcmp (stratus_sweep_space_key (space, k), key) == 0)
      return true;
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
  char *end = NULL;
  *value = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (*value))
    return false;
  *unit = end;
  return true;
}

/* Decimals needed to print `x` exactly enough (at most 9). */
static int
decimals_of (const char *text)
{
  const char *dot = strchr (text, '.');
  if (dot == NULL)
    return 0;
  int n = 0;
  for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
    n++;
  return n > 9 ? 9 : n;
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
  if (!split_number (a_text, &a, &unit_a) || !split_number (b_text, &b, &unit_b)
      || !split_number (step_text, &step, &unit_step))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: a range is A..B:STEP with numbers (e.g. 2..12:2)", key, spec);
  else if (strcmp (unit_a, unit_b) != 0 || (unit_step[0] != '\0' && strcmp (unit_step, unit_a) != 0))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: A, B and STEP must have the same unit ('%s', '%s')", key, spec,
                 unit_a, unit_b);
  else if (step <= 0 || b < a)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: needs A <= B and a STEP > 0", key, spec);
  else if ((b - a) / step + 1 > MAX_VALUES)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s=%s: more than %d values", key, spec, MAX_VALUES);
  else
    {
      int decimals = MAX (decimals_of (a_text), decimals_of (step_text));
      /* Values are computed as A + i x STEP (no accumulated error), up to B within a
       * millionth of a step. */
      for (size_t i = 0;; i++)
        {
          double v = a + (double) i * step;
          if (v > b + step * 1e-6)
            break;
          char *value = g_strdup_printf ("%.*f%s", decimals, v, unit_a);
          add_single (d, value);
          g_free (value);
        }
      ok = true;
    }
  g_free (a_text);
  g_free (b_text);
  return ok;
}

bool
stratus_sweep_space_add_vary (StratusSweepSpace *space, const char *spec, GError **error)
{
  const char *eq = strchr (spec, '=');
  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary '%s': expected KEY=V1,V2,... or KEY=A..B:STEP "
                   "(e.g. instances.web.count=2..8:2)", spec);
      return false;
    }
  char *key = g_strndup (spec, (gsize) (eq - spec));
  if (has_key (space, key))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary: '%s' is varied twice", key);
      g_free (key);
      return false;
    }
  SweepDimension *d = dimension_new ();
  g_ptr_array_add (d->keys, key);
  const char *values = eq + 1;
  bool ok = true;
  if (strstr (values, "..") != NULL && strchr (values, ',') == NULL)
    ok = add_range (d, key, values, error);
  else
    {
      char **parts = g_strsplit (values, ",", -1);
      for (char **p = parts; ok && *p != NULL; p++)
        {
          char *v = g_strstrip (*p);
          if (v[0] == '\0')
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--vary %s: an empty value in '%s'", key, values);
              ok = false;
            }
          else
            add_single (d, v);
        }
      if (ok && d->rows->len > MAX_VALUES)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--vary %s: more than %d values", key, MAX_VALUES);
          ok = false;
        }
      g_strfreev (parts);
    }
  if (!ok)
    {
      dimension_free (d);
      return false;
    }
  g_ptr_array_add (space->dimensions, d);
  return true;
}

/* Splits a CSV line at commas, each field stripped. */
static char **
csv_fields (const char *line)
{
  char **fields = g_strsplit (line, ",", -1);
  for (char **f = fields; *f != NULL; f++)
    g_strstrip (*f);
  return fields;
}

bool
stratus_sweep_space_add_csv (StratusSweepSpace *space, const char *path, GError **error)
{
  char *text = NULL;
  GError *read_error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &read_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s", read_error->message);
      g_error_free (read_error);
      return false;
    }
  SweepDimension *d = dimension_new ();
  char **lines = g_strsplit (text, "\n", -1);
  g_free (text);
  bool ok = true;
  guint n_keys = 0;
  for (size_t i = 0; ok && lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      char **fields = csv_fields (line);
      guint n = g_strv_length (fields);
      if (n_keys == 0)
        {
          for (guint k = 0; ok && k < n; k++)
            if (fields[k][0] == '\0' || has_key (space, fields[k]))
              {
                g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                             "%s:%zu: %s", path, i + 1,
                             fields[k][0] == '\0' ? "an empty key in the header"
                                                  : "a key that is already varied");
                ok = false;
              }
            else
              g_ptr_array_add (d->keys, g_strdup (fields[k]));
          n_keys = n;
          g_strfreev (fields);
          continue;
        }
      if (n != n_keys)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s:%zu: %u values where the header has %u keys", path, i + 1, n,
                       n_keys);
          ok = false;
          g_strfreev (fields);
        }
      else if (d->rows->len >= MAX_VALUES)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s:%zu: more than %d points", path, i + 1, MAX_VALUES);
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
                   "%s: no points (a header row of keys, then one row per point)", path);
      ok = false;
    }
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
