/* Time to detect and writes lost, per fault: see fault_detection.h. A notice or a loss
 * concerns a fault when their scopes agree: the fault's AZ (if it names one) is the
 * notice's or the notice covers every AZ; its fleet and its database (if it names them)
 * are the notice's. A notice also has to be evidence the fault's kind can leave: a
 * stopped instance tells of a fault that stops instances, not of a cut network. */
#include "fault_detection.h"

#include <stdarg.h>
#include <string.h>

/* The evidence each kind of fault can leave, by kind name (a kind not listed, such as
 * az_power_interruption, can leave any). insufficient_capacity leaves none: nothing fails,
 * launches just go elsewhere. */
static const struct
{
  const char *kind;
  unsigned notices;
} kind_notices[] = {
  { "stop_instances", NOTICE_STOPPED | NOTICE_UNHEALTHY | NOTICE_ALARM },
  { "terminate_instances", NOTICE_STOPPED | NOTICE_UNHEALTHY | NOTICE_ALARM },
  { "disrupt_connectivity", NOTICE_UNHEALTHY | NOTICE_ALARM | NOTICE_DB_FAILURE },
  { "insufficient_capacity", 0 },
  { "db_failover", NOTICE_DB_FAILURE },
  { "db_reboot", NOTICE_DB_FAILURE },
  { "db_instance_failure", NOTICE_DB_FAILURE },
  /* Nothing in the model watches a NAT gateway (no alarm on its error counts). */
  { "nat_gateway_failure", 0 },
  /* Slower paths can fail health checks and move CPU alarms. */
  { "latency_injection", NOTICE_UNHEALTHY | NOTICE_ALARM },
  { "cpu_stress", NOTICE_UNHEALTHY | NOTICE_ALARM },
  { "memory_leak", NOTICE_UNHEALTHY | NOTICE_ALARM },
};

/* True if a fault of `kind` can leave the evidence `notice`. */
static bool
can_leave (StratusFaultKind kind, FaultNotice notice)
{
  const char *name = stratus_fault_kind_name (kind);
  for (size_t i = 0; i < G_N_ELEMENTS (kind_notices); i++)
    if (strcmp (kind_notices[i].kind, name) == 0)
      return (kind_notices[i].notices & notice) != 0;
  return true;
}

/* The result's record of `fault`, or NULL for a fault that is not the scenario's. */
static StratusFaultResult *
record_of (World *w, const StratusFaultConfig *fault)
{
  const GPtrArray *faults = w->scenario->faults;
  GArray *records = w->collector.result->faults;
  for (guint i = 0; faults != NULL && records != NULL && i < faults->len; i++)
    if (g_ptr_array_index (faults, i) == fault)
      return &g_array_index (records, StratusFaultResult, i);
  return NULL;
}

/* True if fault `f` concerns what happened in `scope`. */
static bool
in_scope (const StratusFaultConfig *f, FaultScope scope)
{
  return (f->az < 0 || scope.az < 0 || scope.az == f->az)
         && (f->fleet < 0 || scope.fleet == f->fleet)
         && (f->database < 0 || scope.database == f->database);
}

/* True if fault `f` (its record `rec`) is on at `t`: started at or before it and not ended
 * before it, its end being the one the timeline saw or else, for a fault with a length
 * (a reboot), its start plus that length; a fault with neither stays on. */
static bool
on_at (const StratusFaultConfig *f, const StratusFaultResult *rec, StratusTime t)
{
  if (rec->started == STRATUS_TIME_NEVER || rec->started > t)
    return false;
  StratusTime end = rec->ended;
  if (end == STRATUS_TIME_NEVER && f->duration != STRATUS_TIME_NEVER)
    end = stratus_time_add (rec->started, f->duration);
  return end == STRATUS_TIME_NEVER || end >= t;
}

void
fault_detection_start (World *w)
{
  const GPtrArray *faults = w->scenario->faults;
  guint n = faults != NULL ? faults->len : 0;
  GArray *records = g_array_sized_new (FALSE, TRUE, sizeof (StratusFaultResult), n);
  for (guint i = 0; i < n; i++)
    {
      StratusFaultResult rec = { .started = STRATUS_TIME_NEVER, .ended = STRATUS_TIME_NEVER,
                                 .detected = STRATUS_TIME_NEVER };
      g_array_append_val (records, rec);
    }
  w->collector.result->faults = records;
}

void
fault_detection_started (World *w, const StratusFaultConfig *fault)
{
  StratusFaultResult *rec = record_of (w, fault);
  if (rec != NULL && rec->started == STRATUS_TIME_NEVER)
    rec->started = stratus_sim_now (w->sim);
}

void
fault_detection_ended (World *w, const StratusFaultConfig *fault)
{
  StratusFaultResult *rec = record_of (w, fault);
  if (rec != NULL && rec->started != STRATUS_TIME_NEVER && rec->ended == STRATUS_TIME_NEVER)
    rec->ended = stratus_sim_now (w->sim);
}

void
fault_detection_note (World *w, FaultNotice notice, FaultScope scope, const char *by_format,
                      ...)
{
  const GPtrArray *faults = w->scenario->faults;
  GArray *records = w->collector.result->faults;
  StratusTime now = stratus_sim_now (w->sim);
  char *by = NULL;
  for (guint i = 0; faults != NULL && records != NULL && i < faults->len; i++)
    {
      StratusFaultResult *rec = &g_array_index (records, StratusFaultResult, i);
      const StratusFaultConfig *f = g_ptr_array_index (faults, i);
      if (rec->detected != STRATUS_TIME_NEVER || !on_at (f, rec, now) || !in_scope (f, scope)
          || !can_leave (f->kind, notice))
        continue;
      if (by == NULL)
        {
          va_list ap;
          va_start (ap, by_format);
          by = g_strdup_vprintf (by_format, ap);
          va_end (ap);
        }
      rec->detected = now;
      rec->detected_by = g_strdup (by);
    }
  g_free (by);
}

void
fault_detection_data_loss (World *w, FaultScope scope, StratusTime writer_lost,
                           uint64_t writes, double window_s)
{
  const GPtrArray *faults = w->scenario->faults;
  GArray *records = w->collector.result->faults;
  StratusTime latest = STRATUS_TIME_NEVER;
  for (int pass = 0; pass < 2; pass++) /* find the latest start, then charge it */
    for (guint i = 0; faults != NULL && records != NULL && i < faults->len; i++)
      {
        StratusFaultResult *rec = &g_array_index (records, StratusFaultResult, i);
        const StratusFaultConfig *f = g_ptr_array_index (faults, i);
        if (!on_at (f, rec, writer_lost) || !in_scope (f, scope))
          continue;
        if (pass == 0)
          latest = latest == STRATUS_TIME_NEVER ? rec->started : MAX (latest, rec->started);
        else if (rec->started == latest)
          {
            rec->writes_lost += writes;
            if (writes > 0)
              rec->data_loss_s = MAX (rec->data_loss_s, window_s);
          }
      }
}
