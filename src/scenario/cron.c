/* Cron schedules: the five-field text into bit sets, and the first matching minute after
 * a time of the run (time 0 is midnight UTC, Monday 1 January 2024). */
#include "cron.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* One of the five fields: its name in messages, its range, and its value names. */
typedef struct
{
  const char *name;
  int lo, hi;                 /* day-of-week's 7 is read as 0 (Sunday) */
  const char *const *words;   /* words[i] stands for lo + i; NULL: numbers only */
} CronField;

static const char *const month_words[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
                                           "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const weekday_words[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat",
                                             NULL };

static const CronField fields[5] = {
  { "minute", 0, 59, NULL },
  { "hour", 0, 23, NULL },
  { "day-of-month", 1, 31, NULL },
  { "month", 1, 12, month_words },
  { "day-of-week", 0, 7, weekday_words },
};

/* Fails with "FIELD field 'TOKEN' ..." and returns false. */
static bool G_GNUC_PRINTF (4, 5)
fail (GError **error, const CronField *f, const char *token, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  char *what = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
               "%s field '%s' %s", f->name, token, what);
  g_free (what);
  return false;
}

/* A value of field `f` at `text` (a number, or one of its words), into *out; *end past it.
 * Checks the range. `token` is the item, for messages. */
static bool
read_value (const CronField *f, const char *text, const char **end, int *out,
            const char *token, GError **error)
{
  for (int i = 0; f->words != NULL && f->words[i] != NULL; i++)
    if (g_ascii_strncasecmp (text, f->words[i], 3) == 0 && !g_ascii_isalpha (text[3]))
      {
        *out = f->lo + i;
        *end = text + 3;
        return true;
      }
  if (!g_ascii_isdigit (*text))
    return fail (error, f, token, "is not a number%s", f->words ? " or a name" : "");
  char *e = NULL;
  errno = 0;
  long v = strtol (text, &e, 10);
  *end = e;
  if (errno != 0 || v < f->lo || v > f->hi)
    return fail (error, f, token, "is out of range %d-%d", f->lo, f->hi);
  *out = (int) v;
  return true;
}

/* One item of a comma list ("*", "n", "a-b", with "/s"), its bits set in *bits. */
static bool
parse_item (const CronField *f, const char *item, uint64_t *bits, GError **error)
{
  int from = f->lo, to = f->hi, step = 1;
  const char *p = item;
  bool range = true;
  if (*p == '*')
    p++;
  else
    {
      if (!read_value (f, p, &p, &from, item, error))
        return false;
      to = from;
      range = false;
      if (*p == '-')
        {
          range = true;
          if (!read_value (f, p + 1, &p, &to, item, error))
            return false;
          if (f->hi == 7 && to == 0 && from > 0)
            to = 7; /* "fri-sun": Sunday closes the week */
          if (to < from)
            return fail (error, f, item, "goes backwards (%d after %d)", to, from);
        }
    }
  if (*p == '/')
    {
      char *e = NULL;
      errno = 0;
      long s = g_ascii_isdigit (p[1]) ? strtol (p + 1, &e, 10) : 0;
      if (s < 1 || errno != 0 || *e != '\0' || s > f->hi)
        return fail (error, f, item, "has a bad step (expected a whole number from 1 to %d)",
                     f->hi);
      step = (int) s;
      if (!range)
        to = f->hi == 7 ? 6 : f->hi; /* "n/s": from n to the end (of the week: Saturday) */
      p = e;
    }
  if (*p != '\0')
    return fail (error, f, item, "is not valid (expected *, n, a-b, */s or a-b/s)");
  for (int v = from; v <= to; v += step)
    *bits |= UINT64_C (1) << (f->hi == 7 && v == 7 ? 0 : v); /* 7: Sunday */
  return true;
}

/* Field `f`'s text into *bits; *star when it starts with '*' (for the day rule). */
static bool
parse_field (const CronField *f, const char *text, uint64_t *bits, bool *star, GError **error)
{
  *bits = 0;
  *star = text[0] == '*';
  char **items = g_strsplit (text, ",", -1);
  bool ok = true;
  for (int i = 0; ok && items[i] != NULL; i++)
    ok = parse_item (f, items[i], bits, error);
  g_strfreev (items);
  return ok;
}

bool
cron_parse (const char *text, StratusCron *out, GError **error)
{
  char **parts = g_strsplit_set (text, " \t\n\r\v\f", -1);
  const char *field_text[5];
  int n = 0;
  bool ok = true;
  for (int i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      {
        if (n < 5)
          field_text[n] = parts[i];
        n++;
      }
  if (n != 5)
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "'%s' has %d fields; a cron schedule has 5: minute hour day-of-month "
                   "month day-of-week (e.g. \"0 8 * * 1-5\")", text, n);
      ok = false;
    }
  uint64_t bits[5] = { 0 };
  bool star[5] = { false };
  for (int i = 0; ok && i < 5; i++)
    ok = parse_field (&fields[i], field_text[i], &bits[i], &star[i], error);
  g_strfreev (parts);
  if (!ok)
    return false;
  *out = (StratusCron){ .minutes = bits[0], .hours = (uint32_t) bits[1],
                        .days = (uint32_t) bits[2], .months = (uint16_t) bits[3],
                        .weekdays = (uint8_t) bits[4], .any_day = star[2],
                        .any_weekday = star[4] };
  return true;
}

/* True if the day (day of month `dom`, month `month`, weekday `dow`, 0 = Sunday) matches:
 * when both day fields are restricted, either one matching is enough. */
static bool
day_matches (const StratusCron *c, int dom, int month, int dow)
{
  if (!(c->months & (1u << month)))
    return false;
  bool d = (c->days >> dom) & 1u, w = (c->weekdays >> dow) & 1u;
  return c->any_day || c->any_weekday ? d && w : d || w;
}

/* The first minute of day that matches at or after `from` (minutes since midnight), or -1. */
static int
first_minute_of_day (const StratusCron *c, int from)
{
  for (int h = from / 60; h < 24; h++)
    {
      if (!((c->hours >> h) & 1u))
        continue;
      for (int m = h == from / 60 ? from % 60 : 0; m < 60; m++)
        if ((c->minutes >> m) & 1u)
          return h * 60 + m;
    }
  return -1;
}

StratusTime
stratus_cron_next (const StratusCron *c, StratusTime after)
{
  const StratusTime horizon = (StratusTime) 3653 * STRATUS_DAY; /* ten years */
  if (after < 0)
    after = 0;
  if (after > STRATUS_TIME_NEVER - 2 * horizon)
    return STRATUS_TIME_NEVER;
  StratusTime t = (after + STRATUS_MINUTE - 1) / STRATUS_MINUTE * STRATUS_MINUTE;
  StratusTime limit = t + horizon;
  GDateTime *start = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  StratusTime result = STRATUS_TIME_NEVER;
  int from = (int) (t % STRATUS_DAY / STRATUS_MINUTE);
  for (int64_t day = t / STRATUS_DAY; day * STRATUS_DAY <= limit; day++, from = 0)
    {
      GDateTime *d = g_date_time_add_days (start, (int) day);
      bool match = day_matches (c, g_date_time_get_day_of_month (d), g_date_time_get_month (d),
                                g_date_time_get_day_of_week (d) % 7);
      g_date_time_unref (d);
      int m = match ? first_minute_of_day (c, from) : -1;
      if (m >= 0)
        {
          StratusTime when = day * STRATUS_DAY + m * STRATUS_MINUTE;
          result = when <= limit ? when : STRATUS_TIME_NEVER;
          break;
        }
    }
  g_date_time_unref (start);
  return result;
}
