/* Parsers for durations, rates, sizes and percentages. */
#include "stratus/units.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (stratus-units-error-quark, stratus_units_error)

/* Reads a finite, non-negative decimal number at the start of text; *rest points past
 * it. Rejects signs, hex, inf and nan. */
static bool
read_number (const char *text, double *value, const char **rest)
{
  const char *p = text;
  if (!g_ascii_isdigit (*p) && !(*p == '.' && g_ascii_isdigit (p[1])))
    return false;
  while (g_ascii_isdigit (*p) || *p == '.' || *p == '_')
    p++;
  if ((*p == 'e' || *p == 'E') && (g_ascii_isdigit (p[1]) || ((p[1] == '-' || p[1] == '+')
                                                              && g_ascii_isdigit (p[2]))))
    {
      p += 2;
      while (g_ascii_isdigit (*p))
        p++;
    }
  char *digits = g_strndup (text, (gsize) (p - text));
  char *w = digits;
  for (char *r = digits; *r; r++)
    if (*r != '_')
      *w++ = *r;
  *w = '\0';
  char *end = NULL;
  double v = g_ascii_strtod (digits, &end);
  bool ok = end != NULL && *end == '\0' && isfinite (v) && v >= 0;
  g_free (digits);
  if (!ok)
    return false;
  *value = v;
  *rest = p;
  return true;
}

static const char *
skip_spaces (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static bool
bad (GError **error, const char *what, const char *text, const char *example)
{
  g_set_error (error, STRATUS_UNITS_ERROR, 0, "'%s' is not a valid %s (example: %s)", text, what,
               example);
  return false;
}

typedef struct
{
  const char *suffix;
  double factor;
} Unit;

static bool
lookup_unit (const Unit *units, const char *suffix, double *factor)
{
  for (const Unit *u = units; u->suffix != NULL; u++)
    if (strcmp (u->suffix, suffix) == 0)
      {
        *factor = u->factor;
        return true;
      }
  return false;
}

static const Unit duration_units[] = {
  { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
  { "sec", 1e9 }, { "m", 60e9 }, { "min", 60e9 }, { "h", 3600e9 }, { "d", 86400e9 },
  { NULL, 0 },
};

/* Copies the unit word at p (letters, or the micro sign) into unit; returns past it. */
static const char *
read_unit_word (const char *p, char *unit, size_t size)
{
  size_t n = 0;
  while (*p != '\0' && (g_ascii_isalpha (*p) || (unsigned char) *p >= 0x80) && n + 1 < size)
    unit[n++] = *p++;
  unit[n] = '\0';
  return p;
}

bool
stratus_parse_duration (const char *text, StratusTime *out, GError **error)
{
  double v, factor;
  const char *rest;
  if (!read_number (text, &v, &rest))
    return bad (error, "duration", text, "250ms, 30s, 5m, 2h, 1h30m");
  rest = skip_spaces (rest);
  if (*rest == '\0')
    {
      if (v == 0)
        {
          *out = 0;
          return true;
        }
      g_set_error (error, STRATUS_UNITS_ERROR, 0,
                   "duration '%s' needs a unit: ns, us, ms, s, m, h or d (e.g. %ss)", text, text);
      return false;
    }
  /* One or more number-unit parts: "90s", "1h30m", "2m 30s". */
  double ns = 0;
  for (;;)
    {
      char unit[8];
      rest = read_unit_word (rest, unit, sizeof unit);
      if (!lookup_unit (duration_units, unit, &factor))
        return bad (error, "duration", text, "250ms, 30s, 5m, 2h, 1h30m");
      ns += v * factor;
      rest = skip_spaces (rest);
      if (*rest == '\0')
        break;
      if (!read_number (rest, &v, &rest))
        return bad (error, "duration", text, "250ms, 30s, 5m, 2h, 1h30m");
      rest = skip_spaces (rest);
    }
  if (!(ns <= (double) STRATUS_TIME_INPUT_MAX)) /* exact: 36525d is a double */
    {
      g_set_error (error, STRATUS_UNITS_ERROR, 0,
                   "'%s' is longer than the simulator's limit of 36525d (100 years)", text);
      return false;
    }
  *out = (StratusTime) llround (ns); /* in range: at most STRATUS_TIME_INPUT_MAX */
  return true;
}

static const Unit rate_units[] = {
  { "s", 1 }, { "sec", 1 }, { "min", 1.0 / 60 }, { "m", 1.0 / 60 }, { "h", 1.0 / 3600 },
  { "d", 1.0 / 86400 }, { NULL, 0 },
};

bool
stratus_parse_rate (const char *text, double *per_second, GError **error)
{
  double v, factor;
  const char *rest;
  if (!read_number (text, &v, &rest))
    {
      if (text[0] == '-')
        {
          g_set_error (error, STRATUS_UNITS_ERROR, 0, "rate '%s' is negative", text);
          return false;
        }
      return bad (error, "rate", text, "200/s, 12k/min");
    }
  rest = skip_spaces (rest);
  if (*rest == 'k' || *rest == 'K')
    v *= 1e3, rest++;
  else if (*rest == 'M')
    v *= 1e6, rest++;
  else if (*rest == 'G')
    v *= 1e9, rest++;
  rest = skip_spaces (rest);
  if (*rest == '\0')
    {
      g_set_error (error, STRATUS_UNITS_ERROR, 0,
                   "rate '%s' needs a time unit: /s, /min, /h or /d (e.g. %s/s)", text, text);
      return false;
    }
  if (*rest != '/')
    return bad (error, "rate", text, "200/s, 12k/min");
  rest = skip_spaces (rest + 1);
  if (!lookup_unit (rate_units, rest, &factor))
    return bad (error, "rate", text, "200/s, 12k/min");
  if (!isfinite (v * factor)) /* "1e308G/s": finite number, infinite rate */
    {
      g_set_error (error, STRATUS_UNITS_ERROR, 0, "rate '%s' is too large", text);
      return false;
    }
  *per_second = v * factor;
  return true;
}

static const Unit size_units[] = {
  { "B", 1 }, { "kB", 1e3 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 },
  { "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
  { "TiB", 1099511627776.0 }, { NULL, 0 },
};

bool
stratus_parse_size (const char *text, uint64_t *bytes, GError **error)
{
  double v, factor;
  const char *rest;
  if (!read_number (text, &v, &rest))
    return bad (error, "size", text, "20KiB, 1MB");
  rest = skip_spaces (rest);
  if (*rest == '\0' && v == 0)
    {
      *bytes = 0;
      return true;
    }
  if (!lookup_unit (size_units, rest, &factor))
    return bad (error, "size", text, "512B, 20KiB, 1MB, 2GiB");
  double b = v * factor;
  if (b >= 1.8e19)
    return bad (error, "size", text, "20KiB, 1MB");
  *bytes = (uint64_t) round (b); /* not llround: sizes of 2^63 and up overflow a long long */
  return true;
}

bool
stratus_parse_percent (const char *text, double *fraction, GError **error)
{
  double v;
  const char *rest;
  if (!read_number (text, &v, &rest))
    return bad (error, "percentage", text, "99.9%");
  rest = skip_spaces (rest);
  if (strcmp (rest, "%") == 0)
    v /= 100;
  else if (*rest != '\0')
    return bad (error, "percentage", text, "99.9%");
  if (v > 1)
    {
      g_set_error (error, STRATUS_UNITS_ERROR, 0, "'%s' is more than 100%%", text);
      return false;
    }
  *fraction = v;
  return true;
}

bool
stratus_is_unlimited (const char *text)
{
  return strcmp (text, "unlimited") == 0;
}

char *
stratus_format_duration (StratusTime t)
{
  if (t == STRATUS_TIME_NEVER)
    return g_strdup ("unlimited");
  if (t == 0)
    return g_strdup ("0s");
  if (t % STRATUS_SECOND != 0)
    {
      if (t % STRATUS_MS == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "ms", t / STRATUS_MS);
      if (t % STRATUS_US == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "us", t / STRATUS_US);
      return g_strdup_printf ("%" G_GINT64_FORMAT "ns", t);
    }
  GString *s = g_string_new (NULL);
  int64_t secs = t / STRATUS_SECOND;
  if (secs >= 86400)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "d", secs / 86400), secs %= 86400;
  if (secs >= 3600)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "h", secs / 3600), secs %= 3600;
  if (secs >= 60)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "m", secs / 60), secs %= 60;
  if (secs > 0)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "s", secs);
  return g_string_free (s, FALSE);
}
