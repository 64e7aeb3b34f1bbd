/* The event timeline in a report: the first replication's events (kept whole, for the
 * text, the JSON and the charts) and every replication's events.csv rows (written to a
 * temporary file as they come, so memory does not grow with replications). The report owns
 * both (report_events_clear). */
#include "report_private.h"

#include <math.h>
#include <string.h>

#include "stratus/units.h"

#define EVENTS_CSV_HEADER "replication,time_s,event,subject,group,az,from,to,value,detail\n"
#define TEXT_MAX_LINES 200 /* events listed in report.txt */

void
report_events_init (StratusReport *report)
{
  report->events = g_array_new (FALSE, TRUE, sizeof (StratusTimelineEvent));
  report->events_file = tmpfile ();
  if (report->events_file == NULL)
    report->events_text = g_string_new (NULL);
}

void
report_events_clear (StratusReport *report)
{
  for (guint i = 0; i < report->events->len; i++)
    stratus_timeline_event_clear (&g_array_index (report->events, StratusTimelineEvent, i));
  g_array_unref (report->events);
  if (report->events_file != NULL)
    fclose (report->events_file);
  if (report->events_text != NULL)
    g_string_free (report->events_text, TRUE);
}

/* `v` in its shortest exact form (C locale), nothing when not finite. */
static void
append_exact (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isfinite (v))
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
}


/* The temporary file failed: its first `valid` bytes (what was written whole before;
 * nothing if unknown) become the in-memory text, and the file is closed. */
static void
events_to_memory (StratusReport *report, long valid)
{
  FILE *f = report->events_file;
  GString *text = g_string_new (NULL);
  char buf[65536];
  size_t got;
  rewind (f);
  while (valid > 0 && (got = fread (buf, 1, MIN (sizeof buf, (size_t) valid), f)) > 0)
    {
      g_string_append_len (text, buf, (gssize) got);
      valid -= (long) got;
    }
  fclose (f);
  report->events_file = NULL;
  report->events_text = text;
}

/* The events.csv row of event `e` of replication `replication`. */
static void
append_csv_row (GString *out, uint32_t replication, const StratusTimelineEvent *e)
{
  g_string_append_printf (out, "%u,", replication);
  append_exact (out, stratus_time_seconds (e->at));
  g_string_append_printf (out, ",%s,", stratus_event_kind_name (e->kind));
  report_csv_field (out, e->subject);
  g_string_append_c (out, ',');
  report_csv_field (out, e->group);
  g_string_append_c (out, ',');
  report_csv_field (out, e->az);
  g_string_append_c (out, ',');
  if (e->from >= 0)
    g_string_append_printf (out, "%d", e->from);
  g_string_append_c (out, ',');
  if (e->to >= 0)
    g_string_append_printf (out, "%d", e->to);
  g_string_append_c (out, ',');
  if (isfinite (e->value))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", e->value));
    }
  g_string_append_c (out, ',');
  report_csv_field (out, e->detail);
  g_string_append_c (out, '\n');
}

void
report_events_add (StratusReport *report, const StratusRunResult *r)
{
  if (r->timeline == NULL)
    return;
  bool first = report->replications == 1;
  if (first)
    report->events_dropped = r->timeline_dropped;
  GString *rows = g_string_new (NULL);
  for (guint i = 0; i < r->timeline->len; i++)
    {
      const StratusTimelineEvent *e = &g_array_index (r->timeline, StratusTimelineEvent, i);
      append_csv_row (rows, r->replication, e);
      if (first)
        {
          StratusTimelineEvent copy = *e;
          copy.subject = g_strdup (e->subject);
          copy.group = g_strdup (e->group);
          copy.az = g_strdup (e->az);
          copy.detail = g_strdup (e->detail);
          g_array_append_val (report->events, copy);
        }
    }
  if (report->events_file != NULL)
    {
      /* Written and flushed now, so that a full disk shows here; if not, everything moves
       * to memory. */
      long before = ftell (report->events_file);
      if (before < 0 || fwrite (rows->str, 1, rows->len, report->events_file) != rows->len
          || fflush (report->events_file) != 0)
        events_to_memory (report, before);
    }
  if (report->events_file == NULL)
    g_string_append (report->events_text, rows->str);
  g_string_free (rows, TRUE);
}

char *
stratus_report_events_csv (const StratusReport *report)
{
  GString *out = g_string_new (EVENTS_CSV_HEADER);
  if (report->events_text != NULL)
    {
      g_string_append (out, report->events_text->str);
      return g_string_free (out, FALSE);
    }
  FILE *f = report->events_file;
  fflush (f);
  long end = ftell (f);
  char buf[65536];
  size_t got;
  rewind (f);
  while ((got = fread (buf, 1, sizeof buf, f)) > 0)
    g_string_append_len (out, buf, (gssize) got);
  fseek (f, end, SEEK_SET);
  return g_string_free (out, FALSE);
}

size_t
stratus_report_event_count (const StratusReport *report)
{
  return report->events->len;
}

const StratusTimelineEvent *
stratus_report_event (const StratusReport *report, size_t index)
{
  g_return_val_if_fail (index < report->events->len, NULL);
  return &g_array_index (report->events, StratusTimelineEvent, index);
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* Sets string member `name` of `o`, null for NULL. */
static void
set_string_or_null (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

/* Sets integer member `name` of `o`, null when negative (none). */
static void
set_count_or_null (JsonObject *o, const char *name, int value)
{
  if (value >= 0)
    json_object_set_int_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

void
report_events_json (JsonObject *root, const StratusReport *report)
{
  JsonArray *timeline = json_array_new ();
  for (guint i = 0; i < report->events->len; i++)
    {
      const StratusTimelineEvent *e = &g_array_index (report->events, StratusTimelineEvent, i);
      JsonObject *o = json_object_new ();
      report_set_double (o, "t_s", stratus_time_seconds (e->at));
      json_object_set_string_member (o, "event", stratus_event_kind_name (e->kind));
      set_string_or_null (o, "subject", e->subject);
      set_string_or_null (o, "group", e->group);
      set_string_or_null (o, "az", e->az);
      set_count_or_null (o, "from", e->from);
      set_count_or_null (o, "to", e->to);
      report_set_double (o, "value", e->value);
      set_string_or_null (o, "detail", e->detail);
      json_array_add_object_element (timeline, o);
    }
  json_object_set_array_member (root, "timeline", timeline);
  json_object_set_int_member (root, "timeline_dropped", (gint64) report->events_dropped);
}

/* ---- text ---------------------------------------------------------------------------- */

/* Public within src/report (report_private.h): "10:42:00" since the start, or
 * "d1 10:42:00" from 24 h on. Caller frees. */
char *
report_clock_text (StratusTime at)
{
  uint64_t s = at > 0 ? (uint64_t) (at / STRATUS_SECOND) : 0;
  uint64_t days = s / 86400, rest = s % 86400;
  unsigned h = (unsigned) (rest / 3600), m = (unsigned) (rest / 60 % 60),
           sec = (unsigned) (rest % 60);
  if (days > 0)
    return g_strdup_printf ("d%" G_GUINT64_FORMAT " %02u:%02u:%02u", days, h, m, sec);
  return g_strdup_printf ("%02u:%02u:%02u", h, m, sec);
}

/* "SUBJECT: DETAIL, desired F -> T" (the parts there are). */
static void
append_what (GString *out, const StratusTimelineEvent *e)
{
  size_t start = out->len;
  if (e->subject != NULL)
    g_string_append (out, e->subject);
  if (e->detail != NULL && e->detail[0])
    g_string_append_printf (out, "%s%s", out->len > start ? ": " : "", e->detail);
  if ((e->kind == STRATUS_EVENT_SCALING || e->kind == STRATUS_EVENT_SCHEDULED) && e->from >= 0
      && e->to >= 0)
    g_string_append_printf (out, "%sdesired %d -> %d", out->len > start ? ", " : "", e->from,
                            e->to);
}

void
report_events_text (GString *out, const StratusReport *report)
{
  guint n = report->events->len, shown = MIN (n, TEXT_MAX_LINES);
  if (n == 0 && report->events_dropped == 0)
    return;
  g_string_append_printf (out, "\nTimeline%s\n",
                          report->replications > 1 ? " (first replication)" : "");
  int time_w = 0, group_w = 1;
  for (guint i = 0; i < shown; i++)
    {
      const StratusTimelineEvent *e = &g_array_index (report->events, StratusTimelineEvent, i);
      char *t = report_clock_text (e->at);
      time_w = MAX (time_w, (int) strlen (t));
      group_w = MAX (group_w, e->group != NULL ? (int) g_utf8_strlen (e->group, -1) : 1);
      g_free (t);
    }
  for (guint i = 0; i < shown; i++)
    {
      const StratusTimelineEvent *e = &g_array_index (report->events, StratusTimelineEvent, i);
      char *t = report_clock_text (e->at);
      const char *group = e->group != NULL ? e->group : "-";
      int pad = group_w - (int) g_utf8_strlen (group, -1);
      g_string_append_printf (out, "  %*s  %-10s %s%*s  ", time_w, t,
                              stratus_event_kind_name (e->kind), group, pad, "");
      append_what (out, e);
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
      g_free (t);
    }
  if (n > shown)
    g_string_append_printf (out, "  ... and %u more in events.csv\n", n - shown);
  if (report->events_dropped > 0)
    g_string_append_printf (out, "  ... and %" G_GUINT64_FORMAT " more not kept (the timeline "
                            "holds at most 100,000 events)\n", report->events_dropped);
}
