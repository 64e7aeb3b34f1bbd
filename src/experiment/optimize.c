/* Optimisation over a sweep's space (stratus/optimize.h, docs/optimize.md): constraints,
 * the rounds of an exhaustive or racing search and what each drops, and the choice of the
 * winner (the outcome's text and JSON: optimize_output.c). */
#include "stratus/optimize.h"

#include <math.h>
#include <string.h>

#include "optimize_private.h"
#include "sweep_private.h"

G_DEFINE_QUARK (stratus-optimize-error-quark, stratus_optimize_error)

/* ---- constraints -------------------------------------------------------------------------- */

const char *
stratus_comparison_symbol (StratusComparison op)
{
  switch (op)
    {
    case STRATUS_OP_LT:
      return "<";
    case STRATUS_OP_LE:
      return "<=";
    case STRATUS_OP_GT:
      return ">";
    case STRATUS_OP_GE:
      return ">=";
    }
  return "?";
}

/* Whether `path` is a plausible figure path: letters, digits, '_', '.', '-'. */
static bool
is_figure_path (const char *path)
{
  if (path[0] == '\0')
    return false;
  for (const char *c = path; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '.' && *c != '-')
      return false;
  return true;
}

/* Parses a plain decimal number (sign, digits, point, exponent; no hex, inf or nan). */
static bool
parse_plain_number (const char *text, double *value)
{
  if (text[0] == '\0')
    return false;
  bool digit = false;
  for (const char *c = text; *c != '\0'; c++)
    {
      if (g_ascii_isdigit (*c))
        digit = true;
      else if (*c != '.' && *c != '-' && *c != '+' && *c != 'e' && *c != 'E')
        return false;
    }
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (!digit || end == NULL || *end != '\0' || !isfinite (v))
    return false;
  *value = v;
  return true;
}

static const char constraint_form[] =
  "expected FIGURE OP VALUE with OP one of <, <=, >, >= (e.g. 'latency_ms.p99<250', "
  "'availability>=99.95%')";

StratusConstraint *
stratus_constraint_parse (const char *text, GError **error)
{
  char *copy = g_strstrip (g_strdup (text));
  /* What the messages quote: on one line (a line break in a constraint is escaped), and
   * not a page long. */
  char *shown = sweep_shown (copy, 200);
  const char *op_at = strpbrk (copy, "<>");
  StratusConstraint *c = NULL;
  char *path = NULL, *value = NULL, *path_shown = NULL, *value_shown = NULL;
  if (copy[0] == '\0')
    {
      g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                   "'%s': empty: %s", shown, constraint_form);
      goto out;
    }
  if (op_at == NULL)
    {
      g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                   "'%s': no comparison%s: %s", shown,
                   strchr (copy, '=') != NULL ? " ('=' alone is not one: use <= or >=)" : "",
                   constraint_form);
      goto out;
    }
  StratusComparison op = *op_at == '<' ? STRATUS_OP_LT : STRATUS_OP_GT;
  size_t op_len = 1;
  if (op_at[1] == '=')
    {
      op = op == STRATUS_OP_LT ? STRATUS_OP_LE : STRATUS_OP_GE;
      op_len = 2;
    }
  path = g_strstrip (g_strndup (copy, (gsize) (op_at - copy)));
  value = g_strstrip (g_strdup (op_at + op_len));
  path_shown = sweep_shown (path, 100);
  value_shown = sweep_shown (value, 100);
  if (path[0] != '\0' && path[strlen (path) - 1] == '=')
    {
      g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                   "'%s': write %s= rather than =%s", shown, op_at[0] == '<' ? "<" : ">",
                   op_at[0] == '<' ? "<" : ">");
      goto out;
    }
  if (path[0] == '\0')
    {
      g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                   "'%s': no figure before '%s': %s", shown, stratus_comparison_symbol (op),
                   constraint_form);
      goto out;
    }
  if (!is_figure_path (path))
    {
      g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                   "'%s': '%s' is not a figure (letters, digits, '_', '.' and '-', e.g. "
                   "latency_ms.p99)", shown, path_shown);
      goto out;
    }
  if (value[0] == '\0')
    {
      g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                   "'%s': no value after '%s': %s", shown, stratus_comparison_symbol (op),
                   constraint_form);
      goto out;
    }
  /* The value: a number, then optionally '%' (spaces allowed before it). */
  bool percent = g_str_has_suffix (value, "%");
  char *number = g_strstrip (g_strndup (value, strlen (value) - (percent ? 1 : 0)));
  double limit = 0;
  bool ok = parse_plain_number (number, &limit);
  if (ok && percent)
    {
      /* The number / 100 as the nearest double to the decimal ("99.9%" is 0.999 exactly as
       * the literal 0.999 is, which 99.9 / 100 is not): the exponent lowered by 2, kept
       * above INT64_MIN + 2 first (strtoll gives INT64_MIN for "1e-99999999999999999999",
       * and lowering that overflowed; such a number is 0 anyway). */
      const char *e = strpbrk (number, "eE");
      gint64 exponent = e != NULL ? g_ascii_strtoll (e + 1, NULL, 10) : 0;
      exponent = MAX (exponent, G_MININT64 + 2);
      char *mantissa = g_strndup (number, e != NULL ? (gsize) (e - number) : strlen (number));
      char *shifted = g_strdup_printf ("%se%" G_GINT64_FORMAT, mantissa, exponent - 2);
      ok = parse_plain_number (shifted, &limit);
      g_free (shifted);
      g_free (mantissa);
    }
  if (!ok)
    g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                 "'%s': '%s' is not a number (a plain decimal number, '%%' allowed after it: "
                 "250, 0.9995, 99.95%%)", shown, value_shown);
  else if (percent && !g_str_has_suffix (sweep_figure_alias (path), "ratio"))
    g_set_error (error, STRATUS_OPTIMIZE_ERROR, STRATUS_OPTIMIZE_ERROR_SYNTAX,
                 "'%s': '%%' is for ratios (figures ending in 'ratio', such as availability); "
                 "%s is not one: write the number itself", shown, path_shown);
  else
    {
      c = g_new0 (StratusConstraint, 1);
      c->path = g_strdup (path);
      c->op = op;
      c->limit = limit;
      c->limit_text = g_strconcat (number, percent ? "%" : "", NULL);
    }
  g_free (number);
out:
  g_free (path);
  g_free (value);
  g_free (path_shown);
  g_free (value_shown);
  g_free (shown);
  g_free (copy);
  return c;
}

void
stratus_constraint_free (StratusConstraint *constraint)
{
  if (constraint == NULL)
    return;
  g_free (constraint->path);
  g_free (constraint->limit_text);
  g_free (constraint);
}

static StratusConstraint *
constraint_copy (const StratusConstraint *c)
{
  StratusConstraint *copy = g_new0 (StratusConstraint, 1);
  copy->path = g_strdup (c->path);
  copy->op = c->op;
  copy->limit = c->limit;
  copy->limit_text = g_strdup (c->limit_text);
  return copy;
}

char *
stratus_constraint_describe (const StratusConstraint *constraint)
{
  return g_strdup_printf ("%s %s %s", sweep_figure_alias (constraint->path),
                          stratus_comparison_symbol (constraint->op), constraint->limit_text);
}

bool
stratus_constraint_meets (const StratusConstraint *constraint, double value)
{
  if (!isfinite (value))
    return false;
  double limit = constraint->limit;
  switch (constraint->op)
    {
    case STRATUS_OP_LT:
      return value < limit;
    case STRATUS_OP_LE:
      return value <= limit;
    case STRATUS_OP_GT:
      return value > limit;
    case STRATUS_OP_GE:
      return value >= limit;
    }
  return false;
}

StratusVerdict
stratus_constraint_classify (const StratusConstraint *constraint, double mean, double ci95)
{
  if (!isfinite (mean) || !isfinite (ci95))
    return STRATUS_VERDICT_UNCERTAIN;
  bool low = stratus_constraint_meets (constraint, mean - ci95);
  bool high = stratus_constraint_meets (constraint, mean + ci95);
  return low && high     ? STRATUS_VERDICT_MET
         : !low && !high ? STRATUS_VERDICT_VIOLATED
                         : STRATUS_VERDICT_UNCERTAIN;
}

/* ---- methods ------------------------------------------------------------------------------ */

bool
stratus_optimize_method_parse (const char *text, StratusOptimizeMethod *method)
{
  static const StratusOptimizeMethod all[] = { STRATUS_OPTIMIZE_AUTO,
                                               STRATUS_OPTIMIZE_EXHAUSTIVE,
                                               STRATUS_OPTIMIZE_RACING };
  for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
    if (strcmp (text, stratus_optimize_method_name (all[i])) == 0)
      {
        *method = all[i];
        return true;
      }
  return false;
}

const char *
stratus_optimize_method_name (StratusOptimizeMethod method)
{
  switch (method)
    {
    case STRATUS_OPTIMIZE_AUTO:
      return "auto";
    case STRATUS_OPTIMIZE_EXHAUSTIVE:
      return "exhaustive";
    case STRATUS_OPTIMIZE_RACING:
      return "racing";
    }
  return "?";
}

/* ---- the optimizer ------------------------------------------------------------------------ */


StratusOptimizer *
stratus_optimizer_new (const StratusSweepDefinition *definition,
                       const StratusOptimizeGoal *goal)
{
  g_return_val_if_fail (definition->replications >= 1, NULL);
  StratusOptimizer *o = g_new0 (StratusOptimizer, 1);
  o->results = stratus_sweep_results_new (definition);
  o->scenario_file = g_strdup (definition->scenario_file);
  o->scenario_name = g_strdup (definition->scenario_name);
  o->base_overrides = definition->base_overrides != NULL
                        ? g_strdupv ((char **) definition->base_overrides)
                        : g_new0 (char *, 1);
  o->seed = definition->seed;
  o->objective = g_strdup (goal->objective);
  o->maximize = goal->maximize;
  o->constraints = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_constraint_free);
  for (size_t i = 0; i < goal->n_constraints; i++)
    g_ptr_array_add (o->constraints, constraint_copy (goal->constraints[i]));
  o->points = stratus_sweep_results_point_count (o->results);
  o->asked = goal->method;
  o->method = goal->method != STRATUS_OPTIMIZE_AUTO ? goal->method
              : o->points <= STRATUS_OPTIMIZE_EXHAUSTIVE_MAX_POINTS ? STRATUS_OPTIMIZE_EXHAUSTIVE
                                                                    : STRATUS_OPTIMIZE_RACING;
  o->R = definition->replications;
  o->r0 = MIN (o->R, MAX (3u, o->R / 4));
  o->state = g_new0 (PointState, o->points);
  o->rounds = g_array_new (FALSE, TRUE, sizeof (RoundInfo));
  return o;
}

void
stratus_optimizer_free (StratusOptimizer *optimizer)
{
  if (optimizer == NULL)
    return;
  stratus_sweep_results_free (optimizer->results);
  g_free (optimizer->scenario_file);
  g_free (optimizer->scenario_name);
  g_strfreev (optimizer->base_overrides);
  g_free (optimizer->objective);
  g_ptr_array_unref (optimizer->constraints);
  g_free (optimizer->state);
  g_array_unref (optimizer->rounds);
  g_free (optimizer);
}

StratusOptimizeMethod
stratus_optimizer_method (const StratusOptimizer *optimizer)
{
  return optimizer->method;
}

const StratusConstraint *
optimize_constraint (const StratusOptimizer *o, size_t c)
{
  return o->constraints->pdata[c];
}

/* The replications the survivors have (all the same), and whether any survives. */
static bool
survivors_reps (const StratusOptimizer *o, unsigned *reps)
{
  for (size_t p = 0; p < o->points; p++)
    if (o->state[p].drop == DROP_NONE)
      {
        *reps = o->state[p].reps;
        return true;
      }
  return false;
}

size_t *
stratus_optimizer_next_round (StratusOptimizer *optimizer, size_t *n)
{
  StratusOptimizer *o = optimizer;
  *n = 0;
  g_return_val_if_fail (!o->in_round, NULL);
  unsigned have = 0;
  if (o->done || !survivors_reps (o, &have) || have >= o->R)
    {
      o->done = true;
      return NULL;
    }
  unsigned target = o->method == STRATUS_OPTIMIZE_EXHAUSTIVE ? o->R
                    : o->rounds->len == 0                    ? o->r0
                                                             : MIN (o->R, 2 * have);
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (size_t));
  RoundInfo info = { .reps = target };
  for (size_t p = 0; p < o->points; p++)
    {
      if (o->state[p].drop != DROP_NONE)
        continue;
      info.points++;
      for (unsigned k = o->state[p].reps; k < target; k++)
        {
          size_t pair = p * o->R + k;
          g_array_append_val (pairs, pair);
        }
    }
  info.replications = pairs->len;
  g_array_append_val (o->rounds, info);
  o->in_round = true;
  o->round_pairs = pairs->len;
  o->round_added = 0;
  *n = pairs->len;
  return (size_t *) g_array_free (pairs, FALSE);
}

void
stratus_optimizer_add (StratusOptimizer *optimizer, size_t pair,
                       const StratusSweepRecord *record)
{
  StratusOptimizer *o = optimizer;
  size_t point = pair / o->R;
  g_return_if_fail (o->in_round && point < o->points
                    && o->state[point].drop == DROP_NONE
                    && pair % o->R == o->state[point].reps);
  stratus_sweep_results_add (o->results, pair, record);
  o->state[point].reps++;
  o->round_added++;
  o->replications_run++;
}

bool
optimize_figure (const StratusOptimizer *o, size_t p, const char *path, double *mean, double *ci)
{
  int f = stratus_sweep_results_figure_index (o->results, path);
  return f >= 0 && stratus_sweep_results_value (o->results, p, (size_t) f, mean, ci, NULL)
         && isfinite (*mean);
}

/* Whether objective mean `a` is better than `b` (strictly). */
static bool
better (const StratusOptimizer *o, double a, double b)
{
  return o->maximize ? a > b : a < b;
}

static void
drop (StratusOptimizer *o, size_t p, DropKind kind)
{
  PointState *s = &o->state[p];
  s->drop = kind;
  s->drop_round = o->rounds->len;
  s->drop_reps = s->reps;
  RoundInfo *info = &g_array_index (o->rounds, RoundInfo, o->rounds->len - 1);
  if (kind == DROP_VIOLATES)
    info->dropped_violates++;
  else if (kind == DROP_MISSING)
    info->dropped_missing++;
  else
    info->dropped_dominated++;
}

/* Racing, between rounds: drops the points that are clearly out. */
static void
eliminate (StratusOptimizer *o)
{
  size_t nc = o->constraints->len;
  /* Constraints clearly violated, figures missing. */
  for (size_t p = 0; p < o->points; p++)
    {
      PointState *s = &o->state[p];
      if (s->drop != DROP_NONE)
        continue;
      for (size_t c = 0; c < nc && s->drop == DROP_NONE; c++)
        {
          double mean, ci;
          if (!optimize_figure (o, p, optimize_constraint (o, c)->path, &mean, &ci))
            {
              s->constraint = c;
              drop (o, p, DROP_MISSING);
            }
          else if (stratus_constraint_classify (optimize_constraint (o, c), mean, ci)
                   == STRATUS_VERDICT_VIOLATED)
            {
              s->constraint = c;
              s->lo = mean - ci;
              s->hi = mean + ci;
              drop (o, p, DROP_VIOLATES);
            }
        }
      double mean, ci;
      if (s->drop == DROP_NONE && !optimize_figure (o, p, o->objective, &mean, &ci))
        {
          s->constraint = OBJECTIVE;
          drop (o, p, DROP_MISSING);
        }
    }
  /* The reference: the clearly-feasible point whose objective interval's far end is best
   * (the lowest upper end when minimising), ties to the first. */
  bool have_ref = false;
  size_t ref = 0;
  double ref_lo = 0, ref_hi = 0;
  for (size_t p = 0; p < o->points; p++)
    {
      if (o->state[p].drop != DROP_NONE)
        continue;
      bool clear = true;
      for (size_t c = 0; c < nc && clear; c++)
        {
          double mean, ci;
          clear = optimize_figure (o, p, optimize_constraint (o, c)->path, &mean, &ci)
                  && stratus_constraint_classify (optimize_constraint (o, c), mean, ci)
                       == STRATUS_VERDICT_MET;
        }
      double mean, ci;
      if (!clear || !optimize_figure (o, p, o->objective, &mean, &ci) || !isfinite (ci))
        continue;
      double far = o->maximize ? mean - ci : mean + ci;
      if (!have_ref || better (o, far, o->maximize ? ref_lo : ref_hi))
        {
          have_ref = true;
          ref = p;
          ref_lo = mean - ci;
          ref_hi = mean + ci;
        }
    }
  if (!have_ref)
    return;
  /* Points whose whole objective interval is worse than the reference's. */
  for (size_t p = 0; p < o->points; p++)
    {
      PointState *s = &o->state[p];
      double mean, ci;
      if (s->drop != DROP_NONE || p == ref || !optimize_figure (o, p, o->objective, &mean, &ci))
        continue;
      double lo = mean - ci, hi = mean + ci;
      if (o->maximize ? hi < ref_lo : lo > ref_hi)
        {
          s->lo = lo;
          s->hi = hi;
          s->ref = ref;
          s->ref_lo = ref_lo;
          s->ref_hi = ref_hi;
          drop (o, p, DROP_DOMINATED);
        }
    }
}

/* A figure of the goal that no report has: the error message. Caller frees. */
static char *
unknown_figure (const StratusOptimizer *o)
{
  const char *aliases = "'stratus sweep --format json' lists the reports' figures; "
                        "aliases: p50, p99, availability, monthly_cost, cost";
  if (stratus_sweep_results_figure_index (o->results, o->objective) < 0)
    return g_strdup_printf ("objective %s: no such figure in these reports (%s)", o->objective,
                            aliases);
  for (size_t c = 0; c < o->constraints->len; c++)
    {
      const StratusConstraint *k = optimize_constraint (o, c);
      if (stratus_sweep_results_figure_index (o->results, k->path) < 0)
        return g_strdup_printf ("constraint '%s %s %s': no such figure %s in these reports (%s)",
                                k->path, stratus_comparison_symbol (k->op), k->limit_text,
                                k->path, aliases);
    }
  return NULL;
}

bool
stratus_optimizer_end_round (StratusOptimizer *optimizer, GError **error)
{
  StratusOptimizer *o = optimizer;
  g_return_val_if_fail (o->in_round && o->round_added == o->round_pairs, false);
  o->in_round = false;
  if (o->rounds->len == 1)
    {
      char *message = unknown_figure (o);
      if (message != NULL)
        {
          g_set_error_literal (error, STRATUS_OPTIMIZE_ERROR,
                               STRATUS_OPTIMIZE_ERROR_UNKNOWN_FIGURE, message);
          g_free (message);
          o->done = true;
          return false;
        }
    }
  unsigned have = 0;
  if (o->method == STRATUS_OPTIMIZE_RACING && survivors_reps (o, &have) && have < o->R)
    eliminate (o);
  if (!survivors_reps (o, &have) || have >= o->R)
    o->done = true;
  return true;
}

bool
stratus_optimizer_done (const StratusOptimizer *optimizer)
{
  return optimizer->done && !optimizer->in_round;
}

const StratusSweepResults *
stratus_optimizer_results (const StratusOptimizer *optimizer)
{
  return optimizer->results;
}

unsigned
stratus_optimizer_rounds (const StratusOptimizer *optimizer)
{
  return optimizer->rounds->len - (optimizer->in_round ? 1 : 0);
}

size_t
stratus_optimizer_replications_run (const StratusOptimizer *optimizer)
{
  return optimizer->replications_run;
}

unsigned
stratus_optimizer_point_replications (const StratusOptimizer *optimizer, size_t point)
{
  g_return_val_if_fail (point < optimizer->points, 0);
  return optimizer->state[point].reps;
}

bool
stratus_optimizer_dropped (const StratusOptimizer *optimizer, size_t point, unsigned *round)
{
  g_return_val_if_fail (point < optimizer->points, false);
  const PointState *s = &optimizer->state[point];
  if (s->drop != DROP_NONE && round != NULL)
    *round = s->drop_round;
  return s->drop != DROP_NONE;
}

/* Whether point `p` has had replications, the objective, and every constraint met by its
 * mean (whatever became of it). */
static bool
meets_on_mean (const StratusOptimizer *o, size_t p)
{
  double mean, ci;
  if (o->state[p].reps == 0 || !optimize_figure (o, p, o->objective, &mean, &ci))
    return false;
  for (size_t c = 0; c < o->constraints->len; c++)
    if (!optimize_figure (o, p, optimize_constraint (o, c)->path, &mean, &ci)
        || !stratus_constraint_meets (optimize_constraint (o, c), mean))
      return false;
  return true;
}

bool
stratus_optimizer_feasible (const StratusOptimizer *optimizer, size_t point)
{
  g_return_val_if_fail (point < optimizer->points, false);
  return optimizer->state[point].drop == DROP_NONE && meets_on_mean (optimizer, point);
}

/* Whether point `p` may be a runner-up: feasible, or dropped as clearly worse on the
 * objective while meeting every constraint on its mean. */
static bool
may_run_up (const StratusOptimizer *o, size_t p)
{
  return (o->state[p].drop == DROP_NONE || o->state[p].drop == DROP_DOMINATED)
         && meets_on_mean (o, p);
}

/* The points that `eligible` accepts, but `skip` (or none when SIZE_MAX), ranked by their
 * objective means, best first (ties: point order), at most `max`; how many. */
static size_t
ranking (const StratusOptimizer *o, bool (*eligible) (const StratusOptimizer *, size_t),
         size_t skip, size_t *ranked, size_t max)
{
  size_t n = 0;
  bool *taken = g_new0 (bool, o->points);
  if (skip < o->points)
    taken[skip] = true;
  while (n < max)
    {
      bool found = false;
      size_t best = 0;
      double best_mean = 0, mean, ci;
      for (size_t p = 0; p < o->points; p++)
        if (!taken[p] && eligible (o, p) && optimize_figure (o, p, o->objective, &mean, &ci)
            && (!found || better (o, mean, best_mean)))
          {
            found = true;
            best = p;
            best_mean = mean;
          }
      if (!found)
        break;
      taken[best] = true;
      ranked[n++] = best;
    }
  g_free (taken);
  return n;
}

static bool
is_feasible (const StratusOptimizer *o, size_t p)
{
  return stratus_optimizer_feasible (o, p);
}

bool
stratus_optimizer_winner (const StratusOptimizer *optimizer, size_t *point)
{
  return ranking (optimizer, is_feasible, SIZE_MAX, point, 1) == 1;
}

size_t
stratus_optimizer_runners_up (const StratusOptimizer *optimizer,
                              size_t points[STRATUS_OPTIMIZE_RUNNERS_UP])
{
  size_t winner;
  if (!stratus_optimizer_winner (optimizer, &winner))
    return 0;
  return ranking (optimizer, may_run_up, winner, points, STRATUS_OPTIMIZE_RUNNERS_UP);
}
