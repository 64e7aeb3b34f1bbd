/* The event timeline of a replication: launches, health changes, alarms, scaling
 * decisions, terminations, appended in time order to the result. Its length follows the
 * number of such changes, not of requests; past TIMELINE_CAP events they are counted only. */
#include <math.h>
#include <stdarg.h>

#include "autoscaling.h"
#include "database.h"
#include "fault_detection.h"
#include "faults.h"

#define TIMELINE_CAP 100000

/* Appends `e` (taking its strings), or counts it past the cap. */
static void
append (World *w, StratusTimelineEvent *e)
{
  StratusRunResult *r = w->collector.result;
  if (r->timeline->len >= TIMELINE_CAP)
    {
      r->timeline_dropped++;
      stratus_timeline_event_clear (e);
      return;
    }
  g_array_append_val (r->timeline, *e);
}

/* Appends an event of `kind` now (copies of the strings; `az` an AZ index or -1; the
 * detail formatted from `format` and `ap`). */
static void appendv (World *w, StratusEventKind kind, const char *subject, const char *group,
                     int az, int from, int to, double value, const char *format, va_list ap)
  G_GNUC_PRINTF (9, 0);

static void
appendv (World *w, StratusEventKind kind, const char *subject, const char *group, int az,
         int from, int to, double value, const char *format, va_list ap)
{
  StratusTimelineEvent e = {
    .at = stratus_sim_now (w->sim),
    .kind = kind,
    .subject = g_strdup (subject),
    .group = g_strdup (group),
    .az = az >= 0 ? g_strdup (g_ptr_array_index (w->scenario->azs, (guint) az)) : NULL,
    .from = from,
    .to = to,
    .value = value,
    .detail = g_strdup_vprintf (format, ap),
  };
  append (w, &e);
}

void
timeline_instance (World *w, StratusEventKind kind, const Instance *inst,
                   const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  appendv (w, kind, inst->name, inst->fleet->name, inst->where.az, -1, -1, NAN, detail_format,
           ap);
  va_end (ap);
}

void
timeline_group (World *w, StratusEventKind kind, const Group *g, const char *subject, int from,
                int to, double value, const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  appendv (w, kind, subject, g->config->name, -1, from, to, value, detail_format, ap);
  va_end (ap);
}

void
timeline_database (World *w, StratusEventKind kind, const Database *db, const DbMember *member,
                   double value, const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  appendv (w, kind, member != NULL ? member->config->name : db->config->name, db->config->name,
           member != NULL ? member->config->az : -1, -1, -1, value, detail_format, ap);
  va_end (ap);
}

void
timeline_fault (World *w, StratusEventKind kind, const StratusFaultConfig *fault,
                const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  appendv (w, kind, fault->name, NULL, fault->az, -1, -1, NAN, detail_format, ap);
  va_end (ap);
  if (kind == STRATUS_EVENT_FAULT_START)
    fault_detection_started (w, fault);
  else if (kind == STRATUS_EVENT_FAULT_END)
    fault_detection_ended (w, fault);
}
