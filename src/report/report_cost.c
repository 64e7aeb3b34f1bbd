/* The bill in the report: per category and in all, for the window and projected to a
 * month of 730 hours (figures, with their intervals over replications), and the first
 * replication's lines. The money itself is exact (stratus/cost.h); figures turn it into
 * dollars only to average replications. */
#include "report_private.h"
#include "stratus/cost.h"

/* Micro-dollars as dollars, for a figure. */
static double
usd (StratusMicros m)
{
  return (double) m / 1e6;
}

void
report_cost_add (StratusReport *report, const StratusRunResult *r)
{
  const StratusScenario *s = report->scenario;
  if (s->pricing == NULL)
    return;
  StratusBill *bill = stratus_bill_compute (s, s->pricing, r);
  report_addf (report, usd (bill->total), false, "cost.total_usd");
  report_addf (report, usd (stratus_micros_monthly (bill->total, bill->period)), false,
               "cost.monthly_usd");
  for (int c = 0; c < STRATUS_N_COST_CATEGORIES; c++)
    {
      const char *name = stratus_cost_category_name ((StratusCostCategory) c);
      report_addf (report, usd (bill->by_category[c]), false, "cost.categories.%s.total_usd",
                   name);
      report_addf (report, usd (stratus_micros_monthly (bill->by_category[c], bill->period)),
                   false, "cost.categories.%s.monthly_usd", name);
    }
  if (report->bill == NULL)
    report->bill = bill;
  else
    stratus_bill_free (bill);
}

void
report_cost_clear (StratusReport *report)
{
  g_clear_pointer (&report->bill, stratus_bill_free);
}

void
report_cost_json (JsonObject *root, const StratusReport *report)
{
  const StratusBill *bill = report->bill;
  if (bill == NULL)
    return;
  JsonObject *cost = report_object_member (root, "cost");
  json_object_set_string_member (cost, "region", stratus_pricing_region (report->scenario->pricing));
  if (bill->missing != NULL)
    json_object_set_string_member (cost, "missing_price", bill->missing);
  JsonArray *items = json_array_new ();
  for (guint i = 0; i < bill->items->len; i++)
    {
      const StratusCostItem *item = &g_array_index (bill->items, StratusCostItem, i);
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "resource", item->resource);
      json_object_set_string_member (o, "category", stratus_cost_category_name (item->category));
      json_object_set_string_member (o, "usage", item->usage);
      report_set_double (o, "usd", usd (item->amount));
      report_set_double (o, "monthly_usd", usd (stratus_micros_monthly (item->amount,
                                                                        bill->period)));
      json_array_add_object_element (items, o);
    }
  json_object_set_array_member (cost, "items", items);
}

void
report_cost_text (GString *out, const StratusReport *report)
{
  const StratusScenario *s = report->scenario;
  if (s->pricing == NULL)
    {
      g_string_append_printf (out, "\nCost: no prices for region %s (give pricing.catalog)\n",
                              s->region);
      return;
    }
  char *hours = g_strdup_printf ("%.4g", stratus_time_seconds (s->duration - s->warmup) / 3600);
  g_string_append_printf (out, "\nCost (USD, %s; the window of %s h, and a month of 730 h)\n",
                          stratus_pricing_region (s->pricing), hours);
  g_free (hours);
  for (int c = 0; c < STRATUS_N_COST_CATEGORIES; c++)
    {
      const char *name = stratus_cost_category_name ((StratusCostCategory) c);
      char *path = g_strdup_printf ("cost.categories.%s.total_usd", name);
      double mean = 0;
      stratus_report_figure (report, path, &mean, NULL);
      if (mean != 0)
        {
          g_string_append_printf (out, "  %-18s ", name);
          report_append_figure (out, report, path, 2, 1, "   month ");
          g_free (path);
          path = g_strdup_printf ("cost.categories.%s.monthly_usd", name);
          report_append_figure (out, report, path, 2, 1, "\n");
        }
      g_free (path);
    }
  g_string_append (out, "  total              ");
  report_append_figure (out, report, "cost.total_usd", 2, 1, "   month ");
  report_append_figure (out, report, "cost.monthly_usd", 2, 1, "\n");
  const StratusBill *bill = report->bill;
  if (bill != NULL && bill->missing != NULL)
    g_string_append_printf (out, "  (no price for %s in the catalog: those lines are left "
                                 "out)\n", bill->missing);
  if (bill == NULL)
    return;
  g_string_append (out, "  lines (first replication):\n");
  for (guint i = 0; i < bill->items->len; i++)
    {
      if (i == 20)
        {
          g_string_append_printf (out, "    ... and %u more in report.json (cost.items)\n",
                                  bill->items->len - 20);
          break;
        }
      const StratusCostItem *item = &g_array_index (bill->items, StratusCostItem, i);
      char *amount = stratus_micros_format (item->amount);
      g_string_append_printf (out, "    %-18s %-16s %10s  %s\n",
                              stratus_cost_category_name (item->category), item->resource,
                              amount, item->usage);
      g_free (amount);
    }
}
