/* The Auto Scaling part of a report: each group's figures (groups.NAME.*), instance-hours
 * by instance type, the group rows of every replication, the "Auto Scaling" section of
 * report.txt and groups.csv. The report owns everything here (report_groups_clear). */
#include "report_private.h"

#include <math.h>
#include <string.h>

#include "stratus/units.h"

void
report_groups_init (StratusReport *report)
{
  report->groups = g_array_new (FALSE, TRUE, sizeof (GroupInfo));
  report->group_rows = stratus_record_log_new (sizeof (TaggedGroupRow));
  report->group_az_rows = stratus_record_log_new (sizeof (TaggedGroupAzRow));
  report->type_names = g_ptr_array_new_with_free_func (g_free);
}

void
report_groups_clear (StratusReport *report)
{
  for (guint i = 0; i < report->groups->len; i++)
    {
      GroupInfo *g = &g_array_index (report->groups, GroupInfo, i);
      g_free (g->name);
      g_free (g->instance_type);
      g_free (g->metric);
    }
  g_array_unref (report->groups);
  stratus_record_log_free (report->group_rows);
  stratus_record_log_free (report->group_az_rows);
  g_ptr_array_unref (report->type_names);
}

/* Keeps what does not change between replications of the groups of `r` (the first
 * replication that has groups). */
static void
keep_group_info (StratusReport *report, const StratusRunResult *r)
{
  if (report->groups->len > 0 || r->groups == NULL)
    return;
  for (guint i = 0; i < r->groups->len; i++)
    {
      const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, i);
      GroupInfo info = { g_strdup (g->name), g_strdup (g->instance_type), g_strdup (g->metric),
                         g->target, g->min, g->max, g->desired_start };
      g_array_append_val (report->groups, info);
    }
}

/* groups.NAME.* for every group of `r`. */
static void
add_group_figures (StratusReport *report, const StratusRunResult *r)
{
  for (guint i = 0; r->groups != NULL && i < r->groups->len; i++)
    {
      const StratusGroupResult *g = &g_array_index (r->groups, StratusGroupResult, i);
      char *k = report_name_key (g->name);
      report_addf (report, g->mean_in_service, false, "groups.%s.mean_in_service", k);
      report_addf (report, g->peak_in_service, true, "groups.%s.peak_in_service", k);
      report_addf (report, stratus_time_seconds (g->under_provisioned), false,
                   "groups.%s.under_provisioned_s", k);
      report_addf (report, g->instance_hours, false, "groups.%s.instance_hours", k);
      report_addf (report, g->launches, true, "groups.%s.launches", k);
      report_addf (report, g->terminations, true, "groups.%s.terminations", k);
      report_addf (report, g->scaling_actions, true, "groups.%s.scaling_actions", k);
      report_addf (report, g->replacements, true, "groups.%s.replacements", k);
      report_addf (report, g->app_kills, true, "groups.%s.app_kills", k);
      report_addf (report, g->desired_end, true, "groups.%s.desired_end", k);
      g_free (k);
    }
}

/* instance_hours_by_type.TYPE: the billed hours of the instances of `r` (those whose type
 * is known), per type; report->type_names gains the types it has not seen. */
static void
add_type_hours (StratusReport *report, const StratusRunResult *r)
{
  GHashTable *hours = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *order = g_ptr_array_new ();
  /* Every type of the scenario's fleets, with 0 hours in a replication that ran none, so
   * that each figure has one value per replication. */
  const StratusScenario *s = report->scenario;
  for (guint f = 0; s != NULL && s->fleets != NULL && f < s->fleets->len; f++)
    {
      const char *type = ((const StratusFleetConfig *) g_ptr_array_index (s->fleets, f))->type;
      if (type != NULL && g_hash_table_lookup (hours, type) == NULL)
        {
          g_hash_table_insert (hours, (gpointer) type, g_new0 (double, 1));
          g_ptr_array_add (order, (gpointer) type);
        }
    }
  for (guint i = 0; i < r->instances->len; i++)
    {
      const StratusInstanceResult *ir = &g_array_index (r->instances, StratusInstanceResult, i);
      if (ir->type == NULL)
        continue;
      double *h = g_hash_table_lookup (hours, ir->type);
      if (h == NULL)
        {
          h = g_new0 (double, 1);
          g_hash_table_insert (hours, ir->type, h);
          g_ptr_array_add (order, ir->type);
        }
      *h += stratus_time_seconds (ir->billed) / 3600;
    }
  for (guint i = 0; i < order->len; i++)
    {
      const char *type = g_ptr_array_index (order, i);
      if (!g_ptr_array_find_with_equal_func (report->type_names, type, g_str_equal, NULL))
        g_ptr_array_add (report->type_names, g_strdup (type));
      char *k = report_name_key (type);
      report_addf (report, *(double *) g_hash_table_lookup (hours, type), false,
                   "instance_hours_by_type.%s", k);
      g_free (k);
    }
  g_ptr_array_unref (order);
  g_hash_table_unref (hours);
}

void
report_groups_add (StratusReport *report, const StratusRunResult *r)
{
  keep_group_info (report, r);
  add_group_figures (report, r);
  add_type_hours (report, r);
  size_t n = stratus_run_result_group_row_count (r);
  for (size_t i = 0; i < n; i++)
    {
      TaggedGroupRow tagged = { .replication = r->replication,
                                .row = stratus_run_result_group_row (r, i) };
      stratus_record_log_append (report->group_rows, &tagged);
    }
  n = stratus_run_result_group_az_row_count (r);
  for (size_t i = 0; i < n; i++)
    {
      TaggedGroupAzRow tagged = { .replication = r->replication,
                                  .row = stratus_run_result_group_az_row (r, i) };
      stratus_record_log_append (report->group_az_rows, &tagged);
    }
}

/* ---- for charts ---------------------------------------------------------------------- */

unsigned
stratus_report_group_count (const StratusReport *report)
{
  return report->groups->len;
}

const char *
stratus_report_group_name (const StratusReport *report, unsigned group)
{
  g_return_val_if_fail (group < report->groups->len, NULL);
  return g_array_index (report->groups, GroupInfo, group).name;
}

const char *
stratus_report_group_metric (const StratusReport *report, unsigned group)
{
  g_return_val_if_fail (group < report->groups->len, NULL);
  return g_array_index (report->groups, GroupInfo, group).metric;
}

double
stratus_report_group_target (const StratusReport *report, unsigned group)
{
  g_return_val_if_fail (group < report->groups->len, NAN);
  return g_array_index (report->groups, GroupInfo, group).target;
}

size_t
stratus_report_group_row_count (const StratusReport *report)
{
  return stratus_record_log_length (report->group_rows);
}

void
stratus_report_group_row (const StratusReport *report, size_t index, unsigned *replication,
                          StratusGroupRow *row)
{
  TaggedGroupRow tagged;
  stratus_record_log_get (report->group_rows, index, &tagged);
  if (replication)
    *replication = tagged.replication;
  *row = tagged.row;
}

size_t
stratus_report_group_az_row_count (const StratusReport *report)
{
  return stratus_record_log_length (report->group_az_rows);
}

void
stratus_report_group_az_row (const StratusReport *report, size_t index, unsigned *replication,
                             StratusGroupAzRow *row)
{
  TaggedGroupAzRow tagged;
  stratus_record_log_get (report->group_az_rows, index, &tagged);
  if (replication)
    *replication = tagged.replication;
  *row = tagged.row;
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* Public within src/report (report_private.h): the object `name` of `parent`, created
 * empty when missing. */
JsonObject *
report_object_member (JsonObject *parent, const char *name)
{
  if (!json_object_has_member (parent, name))
    json_object_set_object_member (parent, name, json_object_new ());
  return json_object_get_object_member (parent, name);
}

void
report_groups_json (JsonObject *root, const StratusReport *report)
{
  JsonObject *groups = report_object_member (root, "groups");
  report_object_member (root, "instance_hours_by_type");
  for (guint i = 0; i < report->groups->len; i++)
    {
      const GroupInfo *g = &g_array_index (report->groups, GroupInfo, i);
      JsonObject *o = report_object_member (groups, g->name);
      if (g->instance_type != NULL)
        json_object_set_string_member (o, "instance_type", g->instance_type);
      else
        json_object_set_null_member (o, "instance_type");
      json_object_set_int_member (o, "min", g->min);
      json_object_set_int_member (o, "max", g->max);
      json_object_set_int_member (o, "desired_start", g->desired_start);
      if (g->metric != NULL)
        json_object_set_string_member (o, "metric", g->metric);
      else
        json_object_set_null_member (o, "metric");
      report_set_double (o, "target", g->target);
    }
}

/* ---- text ---------------------------------------------------------------------------- */

/* "  LABEL FIGURE" for figure groups.KEY.LEAF (a count unless `decimals` > 0). */
static void
append_group_figure (GString *out, const StratusReport *report, const char *label,
                     const char *key, const char *leaf, int decimals, const char *suffix)
{
  char *path = g_strdup_printf ("groups.%s.%s", key, leaf);
  g_string_append_printf (out, "%s ", label);
  if (decimals == 0 && report->replications > 1)
    decimals = 1;
  report_append_figure (out, report, path, decimals, 1, suffix);
  g_free (path);
}

/* One group's block of the "Auto Scaling" section. */
static void
append_group_block (GString *out, const StratusReport *report, const GroupInfo *g)
{
  const char *key = g->name; /* report_find takes shown paths: a name's dots as they are */
  g_string_append_printf (out, "  %s  %s  min %d / desired %d / max %d", g->name,
                          g->instance_type != NULL ? g->instance_type : "-", g->min,
                          g->desired_start, g->max);
  append_group_figure (out, report, "   desired at the end", key, "desired_end", 0, "");
  if (g->metric != NULL)
    g_string_append_printf (out, "   target tracking %s %g", g->metric, g->target);
  append_group_figure (out, report, "\n    in service      mean", key, "mean_in_service", 2, "");
  append_group_figure (out, report, "  peak", key, "peak_in_service", 0, "");
  append_group_figure (out, report, "  under-provisioned", key, "under_provisioned_s", 1, " s");
  append_group_figure (out, report, "\n    instance-hours ", key, "instance_hours", 2, "");
  append_group_figure (out, report, "\n    launches       ", key, "launches", 0, "");
  append_group_figure (out, report, "  terminations", key, "terminations", 0, "");
  append_group_figure (out, report, "  scaling actions", key, "scaling_actions", 0, "");
  append_group_figure (out, report, "  replacements", key, "replacements", 0, "");
  append_group_figure (out, report, "  app kills", key, "app_kills", 0, "");
  g_string_append_c (out, '\n');
}

void
report_groups_text (GString *out, const StratusReport *report)
{
  if (report->groups->len == 0)
    return;
  g_string_append (out, "\nAuto Scaling\n");
  for (guint i = 0; i < report->groups->len; i++)
    append_group_block (out, report, &g_array_index (report->groups, GroupInfo, i));
  if (report->type_names->len == 0)
    return;
  g_string_append (out, "  instance-hours by type");
  for (guint i = 0; i < report->type_names->len; i++)
    {
      const char *type = g_ptr_array_index (report->type_names, i);
      char *path = g_strdup_printf ("instance_hours_by_type.%s", type);
      g_string_append_printf (out, "  %s ", type);
      report_append_figure (out, report, path, 2, 1, "");
      g_free (path);
    }
  g_string_append_c (out, '\n');
}

/* ---- groups.csv ---------------------------------------------------------------------- */

/* Public within src/report (report_private.h): `v` as "%.6g" (C locale), nothing when not
 * finite. */
void
report_csv_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isfinite (v))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

/* "REPLICATION,TIME_S,GROUP," of a row. */
static void
append_row_start (GString *out, const StratusReport *report, uint32_t replication,
                  StratusTime start, uint32_t group)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (out, "%u,%s,", replication,
                          g_ascii_dtostr (buf, sizeof buf, stratus_time_seconds (start)));
  if (group < report->groups->len)
    report_csv_field (out, g_array_index (report->groups, GroupInfo, group).name);
  else
    g_string_append_printf (out, "%u", group);
  g_string_append_c (out, ',');
}

/* One AZ row: "...,AZ,,,,IN_SERVICE,PENDING,,". */
static void
append_az_row (GString *out, const StratusReport *report, const TaggedGroupAzRow *t)
{
  const GPtrArray *azs = report->scenario->azs;
  append_row_start (out, report, t->replication, t->row.start, t->row.group);
  if (azs != NULL && t->row.az < azs->len)
    report_csv_field (out, g_ptr_array_index (azs, t->row.az));
  else
    g_string_append_printf (out, "%u", t->row.az);
  g_string_append_printf (out, ",,,,%d,%d,,\n", t->row.in_service, t->row.pending);
}

char *
stratus_report_groups_csv (const StratusReport *report)
{
  GString *out = g_string_new ("replication,time_s,group,az,desired,min,max,in_service,pending,"
                               "cpu_percent,memory_percent\n");
  size_t n = stratus_record_log_length (report->group_rows);
  size_t m = stratus_record_log_length (report->group_az_rows), j = 0;
  for (size_t i = 0; i < n; i++)
    {
      TaggedGroupRow t;
      stratus_record_log_get (report->group_rows, i, &t);
      append_row_start (out, report, t.replication, t.row.start, t.row.group);
      g_string_append_printf (out, "all,%d,%d,%d,%d,%d,", t.row.desired, t.row.min, t.row.max,
                              t.row.in_service, t.row.pending);
      report_csv_number (out, t.row.cpu);
      g_string_append_c (out, ',');
      report_csv_number (out, t.row.memory);
      g_string_append_c (out, '\n');
      /* The AZ rows of this (replication, interval, group) follow it. */
      for (; j < m; j++)
        {
          TaggedGroupAzRow a;
          stratus_record_log_get (report->group_az_rows, j, &a);
          if (a.replication != t.replication || a.row.start != t.row.start
              || a.row.group != t.row.group)
            break;
          append_az_row (out, report, &a);
        }
    }
  return g_string_free (out, FALSE);
}
