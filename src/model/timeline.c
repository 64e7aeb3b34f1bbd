/* The event timeline of a replication: launches, health changes, alarms, scaling
 * decisions, terminations, appended in time order to the result. Its length follows the
 * number of such changes, not of requests; past TIMELINE_CAP events they are counted only. */
#include <math.h>
#include <stdarg.h>

#include "autoscaling.h"
#include "database.h"
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

void
timeline_instance (World *w, StratusEventKind kind, const Instance *inst,
                   const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  StratusTimelineEvent e = {
    .at = stratus_sim_now (w->sim),
    .kind = kind,
    .subject = g_strdup (inst->name),
    .group = g_strdup (inst->fleet->name),
    .az = g_strdup (g_ptr_array_index (w->scenario->azs, (guint) inst->where.az)),
    .from = -1,
    .to = -1,
    .value = NAN,
    .detail = g_strdup_vprintf (detail_format, ap),
  };
  va_end (ap);
  append (w, &e);
}

void
timeline_group (World *w, StratusEventKind kind, const Group *g, const char *subject, int from,
                int to, double value, const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  StratusTimelineEvent e = {
    .at = stratus_sim_now (w->sim),
    .kind = kind,
    .subject = g_strdup (subject),
    .group = g_strdup (g->config->name),
    .from = from,
    .to = to,
    .value = value,
    .detail = g_strdup_vprintf (detail_format, ap),
  };
  va_end (ap);
  append (w, &e);
}

void
timeline_database (World *w, StratusEventKind kind, const Database *db, const DbMember *member,
                   double value, const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  StratusTimelineEvent e = {
    .at = stratus_sim_now (w->sim),
    .kind = kind,
    .subject = g_strdup (member != NULL ? member->config->name : db->config->name),
    .group = g_strdup (db->config->name),
    .az = member != NULL
            ? g_strdup (g_ptr_array_index (w->scenario->azs, (guint) member->config->az))
            : NULL,
    .from = -1,
    .to = -1,
    .value = value,
    .detail = g_strdup_vprintf (detail_format, ap),
  };
  va_end (ap);
  append (w, &e);
}

void
timeline_fault (World *w, StratusEventKind kind, const StratusFaultConfig *fault,
                const char *detail_format, ...)
{
  va_list ap;
  va_start (ap, detail_format);
  StratusTimelineEvent e = {
    .at = stratus_sim_now (w->sim),
    .kind = kind,
    .subject = g_strdup (fault->name),
    .az = fault->az >= 0 ? g_strdup (g_ptr_array_index (w->scenario->azs, (guint) fault->az))
                         : NULL,
    .from = -1,
    .to = -1,
    .value = NAN,
    .detail = g_strdup_vprintf (detail_format, ap),
  };
  va_end (ap);
  append (w, &e);
}
