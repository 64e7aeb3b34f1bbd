/* The points of a sweep made ready to run (cli_sweep_plan.h). */
#include "cli/cli_sweep_plan.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_batch.h"
#include "cli/cli_common.h"

bool
cli_sweep_space_build (StratusSweepSpace *space, char **points_files, char **vary,
                       unsigned replications, const char *command)
{
  GError *error = NULL;
  for (char **f = points_files; f != NULL && *f != NULL; f++)
    if (!stratus_sweep_space_add_csv (space, *f, &error))
      break;
  for (char **v = vary; error == NULL && v != NULL && *v != NULL; v++)
    stratus_sweep_space_add_vary (space, *v, &error);
  if (error != NULL)
    {
      cli_usage_error (command, error->message);
      g_error_free (error);
      return false;
    }
  /* Replication k of every point runs with the sweep's seed (common random numbers), so a
   * varied `seed` would change nothing: every point would be the same runs. */
  for (size_t k = 0; k < stratus_sweep_space_key_count (space); k++)
    if (strcmp (stratus_sweep_space_key (space, k), "seed") == 0)
      return cli_usage_error (command, "'seed' cannot be varied: every point runs the same "
                                       "seeds (common random numbers); use --reps N for more "
                                       "replications, or --seed N for another sweep"),
             false;
  size_t pairs = stratus_sweep_space_point_count (space) * replications;
  if (pairs > 10000000)
    return cli_usage_error (command, "more than 10,000,000 (point, replication) pairs"), false;
  return true;
}

/* Point `p`'s overrides after the --set ones, NULL-terminated; caller frees. */
static char **
point_overrides (const CliSweepPlan *plan, size_t p)
{
  GPtrArray *all = g_ptr_array_new ();
  for (char **s = plan->base_overrides; s != NULL && *s != NULL; s++)
    g_ptr_array_add (all, g_strdup (*s));
  char **mine = stratus_sweep_space_overrides (plan->space, p);
  for (char **s = mine; *s != NULL; s++)
    g_ptr_array_add (all, g_strdup (*s));
  g_strfreev (mine);
  g_ptr_array_add (all, NULL);
  return (char **) g_ptr_array_free (all, FALSE);
}

/* "point 3/6 (instances.web.count=6)"; caller frees. */
static char *
point_label (const CliSweepPlan *plan, size_t p)
{
  char **mine = stratus_sweep_space_overrides (plan->space, p);
  char *joined = g_strjoinv (", ", mine);
  g_strfreev (mine);
  char *label = g_strdup_printf ("point %zu/%zu%s%s%s", p + 1,
                                 stratus_sweep_space_point_count (plan->space),
                                 joined[0] != '\0' ? " (" : "", joined,
                                 joined[0] != '\0' ? ")" : "");
  g_free (joined);
  return label;
}

bool
cli_sweep_plan_load (CliSweepPlan *plan, const StratusBudgetLimits *limits)
{
  plan->scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_scenario_free);
  size_t points = stratus_sweep_space_point_count (plan->space);
  double events = 0; /* estimated, over the whole sweep */
  for (size_t p = 0; p < points; p++)
    {
      char **overrides = point_overrides (plan, p);
      GError *error = NULL;
      StratusScenario *s = stratus_scenario_load (plan->file, (const char *const *) overrides,
                                                  &error);
      g_strfreev (overrides);
      if (s == NULL)
        {
          char *label = point_label (plan, p);
          fprintf (stderr, "%s (at sweep %s)\n", error->message, label);
          g_free (label);
          g_error_free (error);
          return false;
        }
      g_ptr_array_add (plan->scenarios, s);
      if (!cli_check_budget (s, plan->replications, limits, false) || !cli_check_paths (s, NULL))
        {
          char *label = point_label (plan, p);
          fprintf (stderr, "stratus: (the line above is about sweep %s)\n", label);
          g_free (label);
          return false;
        }
      StratusBudgetEstimate estimate;
      stratus_budget_estimate (s, plan->replications, &estimate);
      events += estimate.events;
    }
  /* Each point fits the event limit; the whole sweep must too. */
  if (limits->max_events > 0 && events > (double) limits->max_events)
    {
      fprintf (stderr, "stratus: refused: the sweep is estimated at %.3g events over its %zu "
               "points x %u replications, past the limit of %" G_GUINT64_FORMAT
               " (--max-events raises it)\n", events, points, plan->replications,
               limits->max_events);
      return false;
    }
  if (!plan->seed_given)
    plan->seed = ((StratusScenario *) plan->scenarios->pdata[0])->seed;
  return true;
}

void
cli_sweep_plan_clear (CliSweepPlan *plan)
{
  if (plan->scenarios != NULL)
    g_ptr_array_unref (plan->scenarios);
  plan->scenarios = NULL;
}

void
cli_sweep_plan_definition (const CliSweepPlan *plan, StratusSweepDefinition *definition)
{
  *definition = (StratusSweepDefinition){
    .scenario_file = plan->file,
    .scenario_name = ((StratusScenario *) plan->scenarios->pdata[0])->name,
    .base_overrides = plan->base_overrides,
    .space = plan->space,
    .replications = plan->replications,
    .seed = plan->seed,
  };
}

/* ---- running pairs ------------------------------------------------------------------------ */

typedef struct
{
  const CliSweepPlan *plan;
  const size_t *pairs;
  size_t n;
  const CliSweepRun *run;
  size_t *points_done; /* points_done[i]: points whose pairs are all among the first i + 1 */
  size_t points;       /* distinct points in the list */
} PairBatch;

static void
describe_pair (void *data, size_t index, CliTask *task)
{
  const PairBatch *pb = data;
  size_t pair = pb->pairs[index];
  const CliSweepPlan *plan = pb->plan;
  *task = (CliTask){ plan->scenarios->pdata[pair / plan->replications], plan->seed,
                     (unsigned) (pair % plan->replications) };
}

/* In the worker: the one-replication report's figures. */
static void *
reduce_pair (void *data, size_t index, StratusRunResult *result)
{
  const PairBatch *pb = data;
  const CliSweepPlan *plan = pb->plan;
  size_t pair = pb->pairs[index];
  StratusReport *report = stratus_report_new (plan->scenarios->pdata[pair / plan->replications]);
  stratus_report_add (report, result);
  stratus_run_result_free (result);
  StratusSweepRecord *record = stratus_sweep_record_from_report (report);
  stratus_report_free (report);
  return record;
}

static void
free_record (void *item)
{
  stratus_sweep_record_free (item);
}

static void
consume_pair (void *data, size_t index, void *item)
{
  const PairBatch *pb = data;
  pb->run->consume (pb->run->data, pb->pairs[index], item);
}

static char *
label_pair (void *data, size_t index)
{
  const PairBatch *pb = data;
  size_t pair = pb->pairs[index];
  char *point = point_label (pb->plan, pair / pb->plan->replications);
  char *label = g_strdup_printf ("replication %zu/%u of %s", pair % pb->plan->replications + 1,
                                 pb->plan->replications, point);
  g_free (point);
  return label;
}

static char *
status_pairs (void *data, size_t done)
{
  const PairBatch *pb = data;
  return g_strdup_printf ("points %zu/%zu, replications %zu/%zu done",
                          done > 0 ? pb->points_done[done - 1] : 0, pb->points, done, pb->n);
}

int
cli_sweep_plan_run (const CliSweepPlan *plan, const size_t *pairs, size_t n,
                    const CliSweepRun *run)
{
  PairBatch pb = { plan, pairs, n, run, g_new0 (size_t, n + 1), 0 };
  /* A point is done at the last of its pairs in the list. */
  GHashTable *last = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (size_t i = 0; i < n; i++)
    g_hash_table_insert (last, GSIZE_TO_POINTER (pairs[i] / plan->replications + 1),
                         GSIZE_TO_POINTER (i + 1));
  pb.points = g_hash_table_size (last);
  for (size_t i = 0; i < n; i++)
    {
      size_t at = GPOINTER_TO_SIZE (
        g_hash_table_lookup (last, GSIZE_TO_POINTER (pairs[i] / plan->replications + 1)));
      pb.points_done[i] = (i > 0 ? pb.points_done[i - 1] : 0) + (at == i + 1 ? 1 : 0);
    }
  g_hash_table_unref (last);
  CliBatch batch = {
    .tasks = n,
    .jobs = run->jobs,
    .max_events = run->max_events,
    .max_events_option = true,
    .show_progress = run->show_progress,
    .describe = describe_pair,
    .reduce = reduce_pair,
    .free_item = free_record,
    .consume = consume_pair,
    .label = label_pair,
    .status = status_pairs,
    .data = &pb,
  };
  int status = cli_batch_run (&batch);
  g_free (pb.points_done);
  return status;
}
