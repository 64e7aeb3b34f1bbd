/* Random faults (mtbf, mttr) in the report: for each, the share of time its components
 * were up and the share of time at least one was, measured over the window, next to what
 * a two-state (up, repairing) model expects: A = MTBF / (MTBF + MTTR) for each component,
 * 1 - (1 - A)^n for n independent, redundant ones. */
#include <math.h>

#include "report_private.h"

/* The expected availability of one component of `f`. */
static double
expected_each (const StratusFaultConfig *f)
{
  return f->mtbf.mean / (f->mtbf.mean + f->mttr.mean);
}

void
report_random_faults_add (StratusReport *report, const StratusRunResult *r)
{
  const StratusScenario *s = report->scenario;
  double window = stratus_time_seconds (r->window);
  for (guint i = 0; r->random_faults != NULL && i < r->random_faults->len; i++)
    {
      const StratusRandomFaultResult *rf = &g_array_index (r->random_faults,
                                                           StratusRandomFaultResult, i);
      const StratusFaultConfig *f = g_ptr_array_index (s->faults, rf->fault);
      char *key = report_name_key (f->name);
      double a = expected_each (f);
      double each = rf->components > 0 && window > 0
                      ? 1 - rf->down_s / (window * rf->components) : 1;
      double any = window > 0 ? 1 - rf->all_down_s / window : 1;
      report_addf (report, (double) rf->components, true, "faults.%s.components", key);
      report_addf (report, (double) rf->failures, true, "faults.%s.failures", key);
      report_addf (report, each, false, "faults.%s.component_availability", key);
      report_addf (report, a, false, "faults.%s.component_availability_expected", key);
      report_addf (report, any, false, "faults.%s.any_up_availability", key);
      report_addf (report, 1 - pow (1 - a, rf->components), false,
                   "faults.%s.any_up_availability_expected", key);
      g_free (key);
    }
}

void
report_random_faults_text (GString *out, const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  bool header = false;
  for (guint k = 0; s->faults != NULL && k < s->faults->len; k++)
    {
      const StratusFaultConfig *f = g_ptr_array_index (s->faults, k);
      char *key = report_name_key (f->name);
      char *path = g_strdup_printf ("faults.%s.components", key);
      if (!f->random || report_find (report, path) == NULL)
        {
          g_free (path);
          g_free (key);
          continue;
        }
      if (!header)
        g_string_append (out, "\nRandom faults (measured, and expected from MTBF / (MTBF + "
                              "MTTR) for independent parts)");
      header = true;
      double parts = 0;
      stratus_report_figure (report, path, &parts, NULL);
      g_string_append_printf (out, "\n  %-16s %-22s %.0f parts   failures ", f->name,
                              stratus_fault_kind_name (f->kind), parts);
      g_free (path);
      path = g_strdup_printf ("faults.%s.failures", key);
      report_append_figure (out, report, path, 1, 1, "");
      static const char *const rows[][2] = {
        { "each part up ", "component_availability" },
        { "any part up  ", "any_up_availability" },
      };
      for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
        {
          g_free (path);
          path = g_strdup_printf ("faults.%s.%s", key, rows[i][1]);
          g_string_append_printf (out, "\n    %s", rows[i][0]);
          report_append_figure (out, report, path, 3, 100, "%");
          g_free (path);
          path = g_strdup_printf ("faults.%s.%s_expected", key, rows[i][1]);
          double expected = NAN;
          stratus_report_figure (report, path, &expected, NULL);
          g_string_append_printf (out, "   expected %.3f%%", expected * 100);
        }
      g_free (path);
      g_free (key);
    }
  if (header)
    g_string_append_c (out, '\n');
}
