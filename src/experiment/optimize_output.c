/* The outcome of an optimisation (stratus/optimize.h, docs/optimize.md) as text
 * (optimize.txt) and JSON (optimize.json, schema stratus.optimize/1). */
#include "optimize_private.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "report/report_json.h"
#include "sweep_private.h"

/* Per constraint, the point whose mean is best for it (lowest for < and <=, highest for >
 * and >=), over every point with the figure, dropped or not; false if none has it. */
static bool
closest_point (const StratusOptimizer *o, size_t c, size_t *point)
{
  const StratusConstraint *k = optimize_constraint (o, c);
  bool lower = k->op == STRATUS_OP_LT || k->op == STRATUS_OP_LE;
  bool found = false;
  double best = 0;
  for (size_t p = 0; p < o->points; p++)
    {
      double mean, ci;
      if (!optimize_figure (o, p, k->path, &mean, &ci))
        continue;
      if (!found || (lower ? mean < best : mean > best))
        {
          found = true;
          best = mean;
          *point = p;
        }
    }
  return found;
}
/* ---- text --------------------------------------------------------------------------------- */

/* The figure `path` (path or alias) resolves to (borrowed). */
static const char *
full_path (const char *path)
{
  return sweep_figure_alias (path);
}

/* Whether figure `path` reads as a percentage (a ratio), as in the sweep's tables. */
static bool
is_ratio (const char *path)
{
  return g_str_has_suffix (full_path (path), "ratio");
}

/* Decimals for values of `path` near `mean` (as the sweep's tables). */
static int
decimals_for (const char *path, double mean)
{
  if (is_ratio (path))
    return 3;
  double m = fabs (mean);
  return m >= 1000 ? 0 : m >= 100 ? 1 : m >= 1 ? 2 : 4;
}

/* `v` of figure `path` with `decimals` decimals (ratios in percent, with '%' when
 * `percent_sign`), never "-0.0". Caller frees. */
static char *
format_value (const char *path, double v, int decimals, bool percent_sign)
{
  bool ratio = is_ratio (path);
  char *text = g_strdup_printf ("%.*f%s", decimals, ratio ? 100.0 * v : v,
                                ratio && percent_sign ? "%" : "");
  if (text[0] == '-' && g_ascii_strtod (text, NULL) == 0)
    memmove (text, text + 1, strlen (text));
  return text;
}

/* "mean ± ci" (the mean alone with one replication); "-" when missing. Caller frees. */
static char *
format_cell (const StratusOptimizer *o, size_t p, const char *path)
{
  double mean, ci;
  unsigned n = 0;
  int f = stratus_sweep_results_figure_index (o->results, path);
  if (f < 0 || !stratus_sweep_results_value (o->results, p, (size_t) f, &mean, &ci, &n))
    return g_strdup ("-");
  int d = decimals_for (path, mean);
  char *m = format_value (path, mean, d, false);
  if (n < 2)
    return m;
  char *h = format_value (path, ci, d, false);
  char *cell = g_strdup_printf ("%s \xc2\xb1 %s", m, h);
  g_free (m);
  g_free (h);
  return cell;
}

/* "[lo, hi]" of figure `path` with the decimals of `mean` (ratios with '%'). Caller frees. */
static char *
format_interval (const char *path, double mean, double lo, double hi)
{
  int d = decimals_for (path, mean);
  char *a = format_value (path, lo, d, true), *b = format_value (path, hi, d, true);
  char *text = g_strdup_printf ("[%s, %s]", a, b);
  g_free (a);
  g_free (b);
  return text;
}

/* "instances.web.count=3, instances.web.type=c5.large" (point `p`'s values), or "the
 * scenario as given" without keys. Caller frees. */
static char *
point_values (const StratusOptimizer *o, size_t p)
{
  size_t keys = stratus_sweep_results_key_count (o->results);
  if (keys == 0)
    return g_strdup ("the scenario as given");
  GString *s = g_string_new (NULL);
  for (size_t k = 0; k < keys; k++)
    g_string_append_printf (s, "%s%s=%s", k > 0 ? ", " : "",
                            stratus_sweep_results_key (o->results, k),
                            stratus_sweep_results_key_value (o->results, p, k));
  return g_string_free (s, FALSE);
}

/* The verdict on point `p`'s constraint `c` in words. */
static const char *
verdict_words (const StratusOptimizer *o, size_t p, size_t c, double *mean, double *ci)
{
  const StratusConstraint *k = optimize_constraint (o, c);
  if (!optimize_figure (o, p, k->path, mean, ci))
    return "not measured: the figure is missing";
  bool on_mean = stratus_constraint_meets (k, *mean);
  switch (stratus_constraint_classify (k, *mean, *ci))
    {
    case STRATUS_VERDICT_MET:
      return "met with 95% confidence";
    case STRATUS_VERDICT_VIOLATED:
      return "violated with 95% confidence";
    case STRATUS_VERDICT_UNCERTAIN:
      break;
    }
  return on_mean ? "met on the mean only: the interval crosses the limit"
                 : "violated on the mean only: the interval crosses the limit";
}

/* The verdict on point `p`'s constraint `c` as a JSON word. */
static const char *
verdict_key (const StratusOptimizer *o, size_t p, size_t c)
{
  const StratusConstraint *k = optimize_constraint (o, c);
  double mean, ci;
  if (!optimize_figure (o, p, k->path, &mean, &ci))
    return "missing";
  switch (stratus_constraint_classify (k, mean, ci))
    {
    case STRATUS_VERDICT_MET:
      return "met";
    case STRATUS_VERDICT_VIOLATED:
      return "violated";
    case STRATUS_VERDICT_UNCERTAIN:
      break;
    }
  return stratus_constraint_meets (k, mean) ? "met_on_mean" : "violated_on_mean";
}

/* Appends "  C: mean M, 95% interval [lo, hi]: VERDICT" for point `p`'s constraint `c`. */
static void
append_constraint_line (GString *out, const StratusOptimizer *o, size_t p, size_t c)
{
  const StratusConstraint *k = optimize_constraint (o, c);
  char *what = stratus_constraint_describe (k);
  double mean = 0, ci = 0;
  const char *words = verdict_words (o, p, c, &mean, &ci);
  if (!optimize_figure (o, p, k->path, &mean, &ci))
    g_string_append_printf (out, "  %s: %s\n", what, words);
  else
    {
      char *m = format_value (k->path, mean, decimals_for (k->path, mean), true);
      char *interval = format_interval (k->path, mean, mean - ci, mean + ci);
      g_string_append_printf (out, "  %s: mean %s, 95%% interval %s: %s\n", what, m, interval,
                              words);
      g_free (m);
      g_free (interval);
    }
  g_free (what);
}

/* Why point `p` is out, in words (a dropped point's reason, an infeasible point's first
 * failing constraint). Caller frees. */
static char *
point_outcome (const StratusOptimizer *o, size_t p, size_t winner, bool have_winner,
               const size_t *runners, size_t n_runners)
{
  const PointState *s = &o->state[p];
  if (have_winner && p == winner)
    return g_strdup ("winner");
  const char *runner = "";
  char *rank = NULL;
  for (size_t i = 0; i < n_runners; i++)
    if (runners[i] == p)
      {
        if (s->drop == DROP_NONE)
          return g_strdup_printf ("runner-up %zu", i + 2);
        rank = g_strdup_printf ("runner-up %zu; ", i + 2);
        runner = rank;
      }
  const char *obj = full_path (o->objective);
  switch (s->drop)
    {
    case DROP_VIOLATES:
      {
        const StratusConstraint *k = optimize_constraint (o, s->constraint);
        char *what = stratus_constraint_describe (k);
        char *interval = format_interval (k->path, (s->lo + s->hi) / 2, s->lo, s->hi);
        char *text = g_strdup_printf ("dropped in round %u: %s violated with 95%% confidence "
                                      "%s", s->drop_round, what, interval);
        g_free (what);
        g_free (interval);
        return text;
      }
    case DROP_MISSING:
      return g_strdup_printf ("dropped in round %u: no %s in its reports", s->drop_round,
                              s->constraint == OBJECTIVE
                                ? obj
                                : full_path (optimize_constraint (o, s->constraint)->path));
    case DROP_DOMINATED:
      {
        double mid = (s->lo + s->hi) / 2;
        char *mine = format_interval (obj, mid, s->lo, s->hi);
        char *theirs = format_interval (obj, (s->ref_lo + s->ref_hi) / 2, s->ref_lo, s->ref_hi);
        char *text = g_strdup_printf ("%sdropped in round %u: %s %s wholly %s point %zu's %s",
                                      runner, s->drop_round, obj, mine,
                                      o->maximize ? "below" : "above", s->ref + 1, theirs);
        g_free (mine);
        g_free (theirs);
        g_free (rank);
        return text;
      }
    case DROP_NONE:
      break;
    }
  double mean, ci;
  if (!optimize_figure (o, p, o->objective, &mean, &ci))
    return g_strdup_printf ("infeasible: no %s in its reports", obj);
  for (size_t c = 0; c < o->constraints->len; c++)
    {
      const StratusConstraint *k = optimize_constraint (o, c);
      if (optimize_figure (o, p, k->path, &mean, &ci) && stratus_constraint_meets (k, mean))
        continue;
      char *what = stratus_constraint_describe (k);
      const char *words = verdict_words (o, p, c, &mean, &ci);
      char *text = g_strdup_printf ("infeasible: %s %s", what,
                                    g_str_has_prefix (words, "violated with")
                                      ? "violated with 95% confidence"
                                    : g_str_has_prefix (words, "violated on")
                                      ? "violated on the mean (the interval crosses the limit)"
                                      : "not measured");
      g_free (what);
      return text;
    }
  return g_strdup ("feasible");
}

/* Appends `text` left-aligned in `width` characters (counting UTF-8 characters). */
static void
append_padded (GString *out, const char *text, size_t width)
{
  g_string_append (out, text);
  for (size_t n = g_utf8_strlen (text, -1); n < width; n++)
    g_string_append_c (out, ' ');
}

/* The table of every point: number, values, replications, objective, each constraint's
 * figure, outcome. */
static void
append_points_table (GString *out, const StratusOptimizer *o, size_t winner, bool have_winner,
                     const size_t *runners, size_t n_runners)
{
  size_t keys = stratus_sweep_results_key_count (o->results);
  GPtrArray *titles = g_ptr_array_new ();
  g_ptr_array_add (titles, "point");
  for (size_t k = 0; k < keys; k++)
    g_ptr_array_add (titles, (char *) stratus_sweep_results_key (o->results, k));
  g_ptr_array_add (titles, "replications");
  /* The figures: the objective, then each constraint's (once each). */
  GPtrArray *figures = g_ptr_array_new ();
  g_ptr_array_add (figures, (char *) full_path (o->objective));
  for (size_t c = 0; c < o->constraints->len; c++)
    {
      const char *path = full_path (optimize_constraint (o, c)->path);
      bool seen = false;
      for (guint i = 0; i < figures->len && !seen; i++)
        seen = strcmp (figures->pdata[i], path) == 0;
      if (!seen)
        g_ptr_array_add (figures, (char *) path);
    }
  for (guint i = 0; i < figures->len; i++)
    g_ptr_array_add (titles, figures->pdata[i]);
  g_ptr_array_add (titles, "outcome");
  size_t columns = titles->len;
  char **cells = g_new0 (char *, columns * o->points + 1);
  size_t *widths = g_new0 (size_t, columns);
  for (size_t c = 0; c < columns; c++)
    widths[c] = g_utf8_strlen (titles->pdata[c], -1);
  for (size_t p = 0; p < o->points; p++)
    {
      size_t c = 0;
      char **row = cells + p * columns;
      row[c++] = g_strdup_printf ("%zu", p + 1);
      for (size_t k = 0; k < keys; k++)
        row[c++] = g_strdup (stratus_sweep_results_key_value (o->results, p, k));
      row[c++] = g_strdup_printf ("%u", o->state[p].reps);
      for (guint i = 0; i < figures->len; i++)
        row[c++] = format_cell (o, p, figures->pdata[i]);
      row[c++] = point_outcome (o, p, winner, have_winner, runners, n_runners);
      for (size_t i = 0; i < columns; i++)
        widths[i] = MAX (widths[i], (size_t) g_utf8_strlen (row[i], -1));
    }
  for (size_t c = 0; c < columns; c++)
    append_padded (out, titles->pdata[c], c + 1 < columns ? widths[c] + 2 : 0);
  g_string_append_c (out, '\n');
  for (size_t p = 0; p < o->points; p++)
    {
      for (size_t c = 0; c < columns; c++)
        append_padded (out, cells[p * columns + c], c + 1 < columns ? widths[c] + 2 : 0);
      g_string_append_c (out, '\n');
    }
  g_strfreev (cells);
  g_free (widths);
  g_ptr_array_unref (figures);
  g_ptr_array_unref (titles);
}

/* The method and its rounds. */
static void
append_method (GString *out, const StratusOptimizer *o)
{
  const char *why = o->asked != STRATUS_OPTIMIZE_AUTO ? "as asked"
                    : o->method == STRATUS_OPTIMIZE_EXHAUSTIVE
                      ? "auto: at most " G_STRINGIFY (STRATUS_OPTIMIZE_EXHAUSTIVE_MAX_POINTS)
                        " points"
                      : "auto: more than " G_STRINGIFY (STRATUS_OPTIMIZE_EXHAUSTIVE_MAX_POINTS)
                        " points";
  g_string_append_printf (out, "Method: %s (%s), up to %u replication%s per point\n",
                          stratus_optimize_method_name (o->method), why, o->R,
                          o->R == 1 ? "" : "s");
  for (guint r = 0; r < o->rounds->len; r++)
    {
      const RoundInfo *info = &g_array_index (o->rounds, RoundInfo, r);
      size_t dropped = info->dropped_violates + info->dropped_missing + info->dropped_dominated;
      g_string_append_printf (out, "  round %u: %zu point%s to %u replication%s", r + 1,
                              info->points, info->points == 1 ? "" : "s", info->reps,
                              info->reps == 1 ? "" : "s");
      if (dropped > 0)
        {
          g_string_append_printf (out, "; %zu dropped (", dropped);
          const char *sep = "";
          if (info->dropped_violates > 0)
            {
              g_string_append_printf (out, "%zu clearly violating a constraint",
                                      info->dropped_violates);
              sep = ", ";
            }
          if (info->dropped_missing > 0)
            {
              g_string_append_printf (out, "%s%zu lacking a figure", sep, info->dropped_missing);
              sep = ", ";
            }
          if (info->dropped_dominated > 0)
            g_string_append_printf (out, "%s%zu clearly worse on %s", sep,
                                    info->dropped_dominated, full_path (o->objective));
          g_string_append_c (out, ')');
        }
      g_string_append_c (out, '\n');
    }
  size_t exhaustive = o->points * o->R;
  g_string_append_printf (out, "  %zu replication%s run", o->replications_run,
                          o->replications_run == 1 ? "" : "s");
  if (o->replications_run < exhaustive)
    g_string_append_printf (out, " (an exhaustive search: %zu)", exhaustive);
  g_string_append_c (out, '\n');
}

char *
stratus_optimizer_text (const StratusOptimizer *optimizer)
{
  const StratusOptimizer *o = optimizer;
  const char *obj = full_path (o->objective);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out,
                          "Optimize %s (%s): %s %s over %zu point%s, seed %" G_GUINT64_FORMAT
                          ", common random numbers across points\n",
                          o->scenario_name, o->scenario_file,
                          o->maximize ? "maximize" : "minimize", obj, o->points,
                          o->points == 1 ? "" : "s", o->seed);
  for (char **s = o->base_overrides; *s != NULL; s++)
    g_string_append_printf (out, "  --set %s\n", *s);
  if (o->constraints->len == 0)
    g_string_append (out, "Subject to: no constraint\n");
  else
    {
      g_string_append (out, "Subject to: ");
      for (size_t c = 0; c < o->constraints->len; c++)
        {
          char *what = stratus_constraint_describe (optimize_constraint (o, c));
          g_string_append_printf (out, "%s%s", c > 0 ? "; " : "", what);
          g_free (what);
        }
      g_string_append (out, " (each on its mean over the replications)\n");
    }
  append_method (out, o);
  g_string_append_c (out, '\n');

  size_t winner = 0, runners[STRATUS_OPTIMIZE_RUNNERS_UP];
  bool have_winner = stratus_optimizer_winner (o, &winner);
  size_t n_runners = stratus_optimizer_runners_up (o, runners);
  if (have_winner)
    {
      char *values = point_values (o, winner);
      double mean, ci;
      optimize_figure (o, winner, o->objective, &mean, &ci);
      char *cell = format_cell (o, winner, o->objective);
      char *interval = format_interval (obj, mean, mean - ci, mean + ci);
      g_string_append_printf (out, "Winner: %s (point %zu)\n", values, winner + 1);
      g_string_append_printf (out, "  %s: %s, 95%% interval %s, %u replication%s\n", obj, cell,
                              interval, o->state[winner].reps,
                              o->state[winner].reps == 1 ? "" : "s");
      for (size_t c = 0; c < o->constraints->len; c++)
        append_constraint_line (out, o, winner, c);
      g_free (values);
      g_free (cell);
      g_free (interval);
      g_string_append (out, "\nRunners-up:");
      if (n_runners == 0)
        g_string_append (out, " none (no other point meets the constraints)");
      g_string_append_c (out, '\n');
      for (size_t i = 0; i < n_runners; i++)
        {
          size_t p = runners[i];
          char *v = point_values (o, p);
          char *c = format_cell (o, p, o->objective);
          double m;
          optimize_figure (o, p, o->objective, &m, &ci);
          char *diff = format_value (obj, m - mean, decimals_for (obj, mean), true);
          g_string_append_printf (out, "  %zu. %s (point %zu): %s %s (%s%s on the winner",
                                  i + 2, v, p + 1, obj, c, m - mean >= 0 ? "+" : "", diff);
          if (o->state[p].drop != DROP_NONE)
            g_string_append_printf (out, "; %u replications: dropped in round %u as clearly "
                                    "worse", o->state[p].reps, o->state[p].drop_round);
          g_string_append (out, ")\n");
          g_free (v);
          g_free (c);
          g_free (diff);
        }
    }
  else
    {
      g_string_append (out, "infeasible: no point meets the constraints\n");
      bool any_dropped = false;
      for (size_t p = 0; p < o->points && !any_dropped; p++)
        any_dropped = o->state[p].drop != DROP_NONE;
      if (o->constraints->len > 0)
        g_string_append_printf (out, "Closest, per constraint (the best mean of any point%s):\n",
                                any_dropped ? ", dropped ones on the replications they had"
                                            : "");
      for (size_t c = 0; c < o->constraints->len; c++)
        {
          const StratusConstraint *k = optimize_constraint (o, c);
          char *what = stratus_constraint_describe (k);
          size_t p;
          if (!closest_point (o, c, &p))
            {
              g_string_append_printf (out, "  %s: no point has the figure\n", what);
              g_free (what);
              continue;
            }
          double mean, ci;
          const char *words = verdict_words (o, p, c, &mean, &ci);
          char *v = point_values (o, p);
          char *m = format_value (k->path, mean, decimals_for (k->path, mean), true);
          char *interval = format_interval (k->path, mean, mean - ci, mean + ci);
          g_string_append_printf (out, "  %s: %s (point %zu): mean %s, 95%% interval %s, %u "
                                  "replication%s: %s\n", what, v, p + 1, m, interval,
                                  o->state[p].reps, o->state[p].reps == 1 ? "" : "s", words);
          g_free (what);
          g_free (v);
          g_free (m);
          g_free (interval);
        }
    }
  g_string_append (out, "\nPoints (each cell: mean \xc2\xb1 95% half-width over the point's "
                        "replications; ratios in %):\n");
  append_points_table (out, o, winner, have_winner, runners, n_runners);
  return g_string_free (out, FALSE);
}

/* ---- JSON --------------------------------------------------------------------------------- */

/* Sets mean, ci95, low and high of point `p`'s figure `path` in `f` (null when missing). */
static void
set_figure_members (JsonObject *f, const StratusOptimizer *o, size_t p, const char *path)
{
  double mean, ci;
  bool present = optimize_figure (o, p, path, &mean, &ci);
  const char *names[] = { "mean", "ci95", "low", "high" };
  double values[] = { mean, ci, mean - ci, mean + ci };
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    if (present)
      report_set_double (f, names[i], values[i]);
    else
      json_object_set_null_member (f, names[i]);
}

/* {mean, ci95, low, high} of point `p`'s figure `path`, or null when missing. */
static JsonNode *
figure_node (const StratusOptimizer *o, size_t p, const char *path)
{
  double mean, ci;
  if (!optimize_figure (o, p, path, &mean, &ci))
    return json_node_new (JSON_NODE_NULL);
  JsonObject *f = json_object_new ();
  set_figure_members (f, o, p, path);
  JsonNode *node = json_node_alloc ();
  json_node_init_object (node, f);
  json_object_unref (f);
  return node;
}

/* Point `p`: its number, values, replications, objective and constraints' verdicts. */
static JsonObject *
point_json (const StratusOptimizer *o, size_t p, size_t winner, bool have_winner,
            const size_t *runners, size_t n_runners)
{
  JsonObject *point = json_object_new ();
  json_object_set_int_member (point, "point", (gint64) p + 1);
  JsonObject *values = json_object_new ();
  for (size_t k = 0; k < stratus_sweep_results_key_count (o->results); k++)
    json_object_set_string_member (values, stratus_sweep_results_key (o->results, k),
                                   stratus_sweep_results_key_value (o->results, p, k));
  json_object_set_object_member (point, "values", values);
  json_object_set_int_member (point, "replications", o->state[p].reps);
  json_object_set_member (point, "objective", figure_node (o, p, o->objective));
  JsonArray *constraints = json_array_new ();
  for (size_t c = 0; c < o->constraints->len; c++)
    {
      JsonObject *item = json_object_new ();
      char *what = stratus_constraint_describe (optimize_constraint (o, c));
      json_object_set_string_member (item, "constraint", what);
      g_free (what);
      set_figure_members (item, o, p, optimize_constraint (o, c)->path);
      json_object_set_string_member (item, "verdict", verdict_key (o, p, c));
      json_array_add_object_element (constraints, item);
    }
  json_object_set_array_member (point, "constraints", constraints);
  const PointState *s = &o->state[p];
  const char *status = have_winner && p == winner ? "winner"
                       : s->drop != DROP_NONE     ? "dropped"
                       : stratus_optimizer_feasible (o, p) ? "feasible"
                                                           : "infeasible";
  for (size_t i = 0; i < n_runners; i++)
    if (runners[i] == p)
      status = "runner-up";
  json_object_set_string_member (point, "status", status);
  char *outcome = point_outcome (o, p, winner, have_winner, runners, n_runners);
  json_object_set_string_member (point, "outcome", outcome);
  g_free (outcome);
  if (s->drop != DROP_NONE)
    {
      JsonObject *d = json_object_new ();
      json_object_set_int_member (d, "round", s->drop_round);
      json_object_set_int_member (d, "replications", s->drop_reps);
      json_object_set_string_member (d, "reason", s->drop == DROP_VIOLATES ? "violates"
                                                  : s->drop == DROP_MISSING ? "missing"
                                                                            : "dominated");
      if (s->drop == DROP_VIOLATES || s->drop == DROP_MISSING)
        {
          if (s->constraint == OBJECTIVE)
            json_object_set_string_member (d, "figure", full_path (o->objective));
          else
            {
              char *what = stratus_constraint_describe (optimize_constraint (o, s->constraint));
              json_object_set_string_member (d, "constraint", what);
              g_free (what);
            }
        }
      if (s->drop == DROP_VIOLATES || s->drop == DROP_DOMINATED)
        {
          report_set_double (d, "low", s->lo);
          report_set_double (d, "high", s->hi);
        }
      if (s->drop == DROP_DOMINATED)
        {
          json_object_set_int_member (d, "by_point", (gint64) s->ref + 1);
          report_set_double (d, "by_low", s->ref_lo);
          report_set_double (d, "by_high", s->ref_hi);
        }
      json_object_set_object_member (point, "dropped", d);
    }
  return point;
}

char *
stratus_optimizer_json (const StratusOptimizer *optimizer)
{
  const StratusOptimizer *o = optimizer;
  JsonObject *root = json_object_new ();
  json_object_set_string_member (root, "schema", STRATUS_OPTIMIZE_SCHEMA);
  JsonObject *scenario = json_object_new ();
  json_object_set_string_member (scenario, "file", o->scenario_file);
  json_object_set_string_member (scenario, "name", o->scenario_name);
  json_object_set_object_member (root, "scenario", scenario);
  JsonArray *sets = json_array_new ();
  for (char **s = o->base_overrides; *s != NULL; s++)
    json_array_add_string_element (sets, *s);
  json_object_set_array_member (root, "overrides", sets);
  json_object_set_int_member (root, "seed", (gint64) o->seed);
  json_object_set_boolean_member (root, "common_random_numbers", true);
  JsonArray *keys = json_array_new ();
  for (size_t k = 0; k < stratus_sweep_results_key_count (o->results); k++)
    json_array_add_string_element (keys, stratus_sweep_results_key (o->results, k));
  json_object_set_array_member (root, "keys", keys);

  JsonObject *objective = json_object_new ();
  json_object_set_string_member (objective, "figure", full_path (o->objective));
  json_object_set_string_member (objective, "direction", o->maximize ? "maximize" : "minimize");
  json_object_set_object_member (root, "objective", objective);
  JsonArray *constraints = json_array_new ();
  for (size_t c = 0; c < o->constraints->len; c++)
    {
      const StratusConstraint *k = optimize_constraint (o, c);
      JsonObject *item = json_object_new ();
      char *what = stratus_constraint_describe (k);
      json_object_set_string_member (item, "constraint", what);
      g_free (what);
      json_object_set_string_member (item, "figure", full_path (k->path));
      json_object_set_string_member (item, "op", stratus_comparison_symbol (k->op));
      report_set_double (item, "limit", k->limit);
      json_array_add_object_element (constraints, item);
    }
  json_object_set_array_member (root, "constraints", constraints);

  JsonObject *method = json_object_new ();
  json_object_set_string_member (method, "name", stratus_optimize_method_name (o->method));
  json_object_set_string_member (method, "asked", stratus_optimize_method_name (o->asked));
  json_object_set_int_member (method, "replications", o->R);
  json_object_set_int_member (method, "points", (gint64) o->points);
  JsonArray *rounds = json_array_new ();
  for (guint r = 0; r < o->rounds->len; r++)
    {
      const RoundInfo *info = &g_array_index (o->rounds, RoundInfo, r);
      JsonObject *item = json_object_new ();
      json_object_set_int_member (item, "round", r + 1);
      json_object_set_int_member (item, "points", (gint64) info->points);
      json_object_set_int_member (item, "replications_each", info->reps);
      json_object_set_int_member (item, "replications_run", (gint64) info->replications);
      json_object_set_int_member (item, "dropped_violating", (gint64) info->dropped_violates);
      json_object_set_int_member (item, "dropped_missing", (gint64) info->dropped_missing);
      json_object_set_int_member (item, "dropped_worse", (gint64) info->dropped_dominated);
      json_array_add_object_element (rounds, item);
    }
  json_object_set_array_member (method, "rounds", rounds);
  json_object_set_int_member (method, "replications_run", (gint64) o->replications_run);
  json_object_set_int_member (method, "replications_exhaustive", (gint64) (o->points * o->R));
  json_object_set_object_member (root, "method", method);

  size_t winner = 0, runners[STRATUS_OPTIMIZE_RUNNERS_UP];
  bool have_winner = stratus_optimizer_winner (o, &winner);
  size_t n_runners = stratus_optimizer_runners_up (o, runners);
  json_object_set_boolean_member (root, "feasible", have_winner);
  if (have_winner)
    json_object_set_object_member (root, "winner",
                                   point_json (o, winner, winner, true, runners, n_runners));
  else
    json_object_set_null_member (root, "winner");
  JsonArray *runners_up = json_array_new ();
  for (size_t i = 0; i < n_runners; i++)
    json_array_add_object_element (runners_up, point_json (o, runners[i], winner, have_winner,
                                                           runners, n_runners));
  json_object_set_array_member (root, "runners_up", runners_up);
  JsonArray *closest = json_array_new ();
  for (size_t c = 0; !have_winner && c < o->constraints->len; c++)
    {
      size_t p;
      JsonObject *item = json_object_new ();
      char *what = stratus_constraint_describe (optimize_constraint (o, c));
      json_object_set_string_member (item, "constraint", what);
      g_free (what);
      if (closest_point (o, c, &p))
        {
          json_object_set_int_member (item, "point", (gint64) p + 1);
          json_object_set_int_member (item, "replications", o->state[p].reps);
          json_object_set_member (item, "figure", figure_node (o, p, optimize_constraint (o, c)->path));
          json_object_set_string_member (item, "verdict", verdict_key (o, p, c));
        }
      else
        json_object_set_null_member (item, "point");
      json_array_add_object_element (closest, item);
    }
  json_object_set_array_member (root, "closest", closest);
  JsonArray *points = json_array_new ();
  for (size_t p = 0; p < o->points; p++)
    json_array_add_object_element (points, point_json (o, p, winner, have_winner, runners,
                                                       n_runners));
  json_object_set_array_member (root, "points", points);
  return report_json_text (root);
}
