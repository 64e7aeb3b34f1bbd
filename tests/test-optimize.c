/* `stratus optimize` and what it is built on (stratus/optimize.h): constraints (parsing,
 * errors, '%'), the verdict of an interval on a constraint, the choice of the winner and
 * runners-up (minimising, maximising, ties, missing figures), racing on synthetic records
 * (which points each round drops and why, replications reused, the same winner as the
 * exhaustive search), and the command through the real binary: the smallest instance count
 * whose p99 meets a limit (checked against `stratus sweep`), an impossible constraint
 * (status 3, "infeasible"), racing against exhaustive on 18 points, and usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_support.h"
#include "tmpdir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stratus/optimize.h"
#include "stratus/sweep.h"

/* cmocka's assert_float_equal works in single precision. */
#define assert_near(a, b, eps) assert_true (fabs ((double) (a) - (double) (b)) <= (eps))

/* `needle` is in `text` (which is printed if not). */
static void
expect_in (const char *text, const char *needle)
{
  if (strstr (text, needle) == NULL)
    {
      fprintf (stderr, "--- text:\n%s\n", text);
      fail_msg ("the text lacks '%s'", needle);
    }
}

/* ---- constraints -------------------------------------------------------------------------- */

static StratusConstraint *
parse_ok (const char *text)
{
  GError *error = NULL;
  StratusConstraint *c = stratus_constraint_parse (text, &error);
  if (c == NULL)
    fail_msg ("'%s' refused: %s", text, error->message);
  return c;
}

static void
constraint_parsing (void **state)
{
  (void) state;
  StratusConstraint *c = parse_ok ("latency_ms.p99<250");
  assert_string_equal (c->path, "latency_ms.p99");
  assert_int_equal (c->op, STRATUS_OP_LT);
  assert_near (c->limit, 250, 0);
  assert_string_equal (c->limit_text, "250");
  stratus_constraint_free (c);

  /* Spaces around the parts, an alias, '%' (with a space before it) divides by 100. */
  c = parse_ok ("  availability >= 99.95 % ");
  assert_string_equal (c->path, "availability");
  assert_int_equal (c->op, STRATUS_OP_GE);
  assert_near (c->limit, 0.9995, 1e-15);
  assert_string_equal (c->limit_text, "99.95%");
  char *what = stratus_constraint_describe (c);
  assert_string_equal (what, "availability.success_ratio >= 99.95%");
  g_free (what);
  stratus_constraint_free (c);

  c = parse_ok ("p99<=1e3");
  assert_int_equal (c->op, STRATUS_OP_LE);
  assert_near (c->limit, 1000, 0);
  what = stratus_constraint_describe (c);
  assert_string_equal (what, "latency_ms.p99 <= 1e3");
  g_free (what);
  stratus_constraint_free (c);

  c = parse_ok ("requests.failed>-0.5");
  assert_int_equal (c->op, STRATUS_OP_GT);
  assert_near (c->limit, -0.5, 0);
  stratus_constraint_free (c);

  c = parse_ok ("availability.success_ratio>0.999");
  assert_near (c->limit, 0.999, 0);
  stratus_constraint_free (c);

  /* '%' gives the double nearest the decimal ratio, as the literal would. */
  c = parse_ok ("availability>=99.9%");
  assert_true (c->limit == 0.999);
  stratus_constraint_free (c);
  c = parse_ok ("availability>=9.995e1%");
  assert_true (c->limit == 0.9995);
  assert_string_equal (c->limit_text, "9.995e1%");
  stratus_constraint_free (c);

  assert_string_equal (stratus_comparison_symbol (STRATUS_OP_LT), "<");
  assert_string_equal (stratus_comparison_symbol (STRATUS_OP_LE), "<=");
  assert_string_equal (stratus_comparison_symbol (STRATUS_OP_GT), ">");
  assert_string_equal (stratus_comparison_symbol (STRATUS_OP_GE), ">=");
}

static void
constraint_errors (void **state)
{
  (void) state;
  /* Each bad form, and a word its message must hold. */
  const char *bad[][2] = {
    { "", "empty" },
    { "   ", "empty" },
    { "p99", "no comparison" },
    { "p99==250", "'=' alone" },
    { "p99=250", "'=' alone" },
    { "p99 != 250", "no comparison" },
    { "<250", "no figure before '<'" },
    { ">= 3", "no figure before '>='" },
    { "p99<", "no value after '<'" },
    { "p99>=  ", "no value after '>='" },
    { "p99<<250", "not a number" },
    { "p99<250ms", "not a number" },
    { "p99<0x10", "not a number" },
    { "p99<nan", "not a number" },
    { "p99<inf", "not a number" },
    { "p99<1e", "not a number" },
    { "p99<%", "not a number" },
    { "availability>=99.9%%", "not a number" },
    { "p99=<250", "write <= rather than =<" },
    { "p99=>250", "write >= rather than =>" },
    { "latency ms.p99<250", "is not a figure" },
    { "p99$<250", "is not a figure" },
    { "p99<25%", "'%' is for ratios" },
    { "monthly_cost<=50%", "'%' is for ratios" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GError *error = NULL;
      StratusConstraint *c = stratus_constraint_parse (bad[i][0], &error);
      if (c != NULL)
        fail_msg ("'%s' accepted", bad[i][0]);
      assert_non_null (error);
      assert_true (g_error_matches (error, STRATUS_OPTIMIZE_ERROR,
                                    STRATUS_OPTIMIZE_ERROR_SYNTAX));
      if (strstr (error->message, bad[i][1]) == NULL)
        fail_msg ("'%s': message '%s' lacks '%s'", bad[i][0], error->message, bad[i][1]);
      assert_null (strchr (error->message, '\n'));
      g_error_free (error);
    }
}

static void
constraint_verdicts (void **state)
{
  (void) state;
  StratusConstraint *lt = parse_ok ("p99<250"), *le = parse_ok ("p99<=250");
  StratusConstraint *gt = parse_ok ("availability>99.9%"), *ge = parse_ok ("availability>=99.9%");
  assert_int_equal (stratus_constraint_classify (lt, 200, 10), STRATUS_VERDICT_MET);
  assert_int_equal (stratus_constraint_classify (lt, 245, 10), STRATUS_VERDICT_UNCERTAIN);
  assert_int_equal (stratus_constraint_classify (lt, 255, 10), STRATUS_VERDICT_UNCERTAIN);
  assert_int_equal (stratus_constraint_classify (lt, 261, 10), STRATUS_VERDICT_VIOLATED);
  /* The interval touching the limit: strict and non-strict comparisons differ. */
  assert_int_equal (stratus_constraint_classify (lt, 240, 10), STRATUS_VERDICT_UNCERTAIN);
  assert_int_equal (stratus_constraint_classify (le, 240, 10), STRATUS_VERDICT_MET);
  assert_int_equal (stratus_constraint_classify (lt, 250, 0), STRATUS_VERDICT_VIOLATED);
  assert_int_equal (stratus_constraint_classify (le, 250, 0), STRATUS_VERDICT_MET);
  assert_int_equal (stratus_constraint_classify (le, 260, 10), STRATUS_VERDICT_UNCERTAIN);
  assert_int_equal (stratus_constraint_classify (gt, 1.0, 0), STRATUS_VERDICT_MET);
  assert_int_equal (stratus_constraint_classify (gt, 0.9995, 0.0004), STRATUS_VERDICT_MET);
  assert_int_equal (stratus_constraint_classify (gt, 0.9995, 0.001), STRATUS_VERDICT_UNCERTAIN);
  assert_int_equal (stratus_constraint_classify (gt, 0.99, 0.001), STRATUS_VERDICT_VIOLATED);
  assert_int_equal (stratus_constraint_classify (ge, 0.999, 0), STRATUS_VERDICT_MET);
  assert_int_equal (stratus_constraint_classify (gt, 0.999, 0), STRATUS_VERDICT_VIOLATED);
  /* Not a number: never met, never clearly anything. */
  assert_int_equal (stratus_constraint_classify (lt, NAN, 1), STRATUS_VERDICT_UNCERTAIN);
  assert_int_equal (stratus_constraint_classify (lt, 1, NAN), STRATUS_VERDICT_UNCERTAIN);
  assert_false (stratus_constraint_meets (lt, NAN));
  assert_false (stratus_constraint_meets (ge, INFINITY));
  assert_true (stratus_constraint_meets (lt, 249.9));
  assert_false (stratus_constraint_meets (lt, 250));
  assert_true (stratus_constraint_meets (le, 250));
  stratus_constraint_free (lt);
  stratus_constraint_free (le);
  stratus_constraint_free (gt);
  stratus_constraint_free (ge);

  StratusOptimizeMethod m;
  assert_true (stratus_optimize_method_parse ("racing", &m));
  assert_int_equal (m, STRATUS_OPTIMIZE_RACING);
  assert_true (stratus_optimize_method_parse ("exhaustive", &m));
  assert_int_equal (m, STRATUS_OPTIMIZE_EXHAUSTIVE);
  assert_true (stratus_optimize_method_parse ("auto", &m));
  assert_int_equal (m, STRATUS_OPTIMIZE_AUTO);
  assert_false (stratus_optimize_method_parse ("Racing", &m));
  assert_false (stratus_optimize_method_parse ("", &m));
}

/* ---- searches on synthetic records -------------------------------------------------------- */

/* The figures of replication `k` at point `p`, made up by a test; a NaN leaves it out. */
typedef void (*Figures) (size_t p, unsigned k, double *cost, double *p99, double *avail);

/* A search of `points` points (x = 1..points) for `goal`, R replications, its records made
 * by `figures`, run to the end. Caller frees. */
static StratusOptimizer *
search (size_t points, unsigned R, const StratusOptimizeGoal *goal, Figures figures)
{
  StratusSweepSpace *space = stratus_sweep_space_new ();
  char *spec = g_strdup_printf ("x=1..%zu:1", points);
  assert_true (stratus_sweep_space_add_vary (space, spec, NULL));
  g_free (spec);
  StratusSweepDefinition def = { "synthetic.yaml", "synthetic", NULL, space, R, 7 };
  StratusOptimizer *o = stratus_optimizer_new (&def, goal);
  stratus_sweep_space_free (space);
  size_t n;
  size_t *pairs;
  while ((pairs = stratus_optimizer_next_round (o, &n)) != NULL)
    {
      for (size_t i = 0; i < n; i++)
        {
          double cost, p99, avail;
          figures (pairs[i] / R, (unsigned) (pairs[i] % R), &cost, &p99, &avail);
          StratusSweepRecord *r = stratus_sweep_record_new ();
          if (!isnan (p99))
            stratus_sweep_record_append (r, "latency_ms.p99", false, p99);
          if (!isnan (avail))
            stratus_sweep_record_append (r, "availability.success_ratio", false, avail);
          if (!isnan (cost))
            stratus_sweep_record_append (r, "cost.monthly_usd", false, cost);
          stratus_optimizer_add (o, pairs[i], r);
          stratus_sweep_record_free (r);
        }
      g_free (pairs);
      GError *error = NULL;
      if (!stratus_optimizer_end_round (o, &error))
        fail_msg ("round refused: %s", error->message);
    }
  assert_true (stratus_optimizer_done (o));
  return o;
}

/* A small deterministic wobble of replication k, mean 0 over k = 0..3. */
static double
wobble (unsigned k)
{
  static const double w[] = { -1, 1, -0.5, 0.5 };
  return w[k % 4];
}

/* Cost 10x, p99 310 - 50x: p99 < 250 from x = 2 on. Availability 1. */
static void
monotone (size_t p, unsigned k, double *cost, double *p99, double *avail)
{
  double x = (double) p + 1;
  *cost = 10 * x + 0.1 * wobble (k);
  *p99 = 310 - 50 * x + wobble (k);
  *avail = 1;
}

static void
winner_choice (void **state)
{
  (void) state;
  StratusConstraint *c = parse_ok ("p99<250");
  StratusConstraint *cs[] = { c };
  StratusOptimizeGoal goal = { "monthly_cost", false, cs, 1, STRATUS_OPTIMIZE_AUTO };
  StratusOptimizer *o = search (5, 4, &goal, monotone);
  assert_int_equal (stratus_optimizer_method (o), STRATUS_OPTIMIZE_EXHAUSTIVE);
  assert_int_equal (stratus_optimizer_rounds (o), 1);
  assert_int_equal (stratus_optimizer_replications_run (o), 20);
  assert_false (stratus_optimizer_feasible (o, 0)); /* p99 260 */
  size_t w, runners[STRATUS_OPTIMIZE_RUNNERS_UP];
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 1);
  assert_int_equal (stratus_optimizer_runners_up (o, runners), 3);
  assert_int_equal (runners[0], 2);
  assert_int_equal (runners[1], 3);
  assert_int_equal (runners[2], 4);
  char *text = stratus_optimizer_text (o);
  expect_in (text, "Winner: x=2 (point 2)");
  expect_in (text, "latency_ms.p99 < 250: mean 210.0, 95% interval [");
  expect_in (text, "met with 95% confidence");
  expect_in (text, "  2. x=3 (point 3): cost.monthly_usd 30.00");
  expect_in (text, "infeasible: latency_ms.p99 < 250 violated");
  assert_null (strstr (text, "dropped"));
  g_free (text);
  stratus_optimizer_free (o);

  /* --maximize: the most expensive feasible point, then downwards. */
  goal.maximize = true;
  o = search (5, 4, &goal, monotone);
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 4);
  assert_int_equal (stratus_optimizer_runners_up (o, runners), 3);
  assert_int_equal (runners[0], 3);
  assert_int_equal (runners[2], 1);
  stratus_optimizer_free (o);

  /* No constraint: pure minimisation. */
  goal.maximize = false;
  goal.n_constraints = 0;
  o = search (5, 4, &goal, monotone);
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 0);
  stratus_optimizer_free (o);
  stratus_constraint_free (c);
}

/* Points 2, 3 and 4 cost the same; point 1 lacks its p99; point 5 lacks its cost. */
static void
ties_and_gaps (size_t p, unsigned k, double *cost, double *p99, double *avail)
{
  *cost = p == 0 ? 5 : p <= 3 ? 20 : 1;
  *p99 = p == 0 ? NAN : 100 + wobble (k);
  *avail = 1;
  if (p == 4)
    *cost = NAN;
}

static void
winner_ties (void **state)
{
  (void) state;
  StratusConstraint *c = parse_ok ("p99<250");
  StratusConstraint *cs[] = { c };
  StratusOptimizeGoal goal = { "cost", false, cs, 1, STRATUS_OPTIMIZE_EXHAUSTIVE };
  StratusOptimizer *o = search (5, 3, &goal, ties_and_gaps);
  size_t w, runners[STRATUS_OPTIMIZE_RUNNERS_UP];
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 1); /* ties to the first point; point 1 lacks p99, point 5 cost */
  assert_false (stratus_optimizer_feasible (o, 0));
  assert_false (stratus_optimizer_feasible (o, 4));
  assert_int_equal (stratus_optimizer_runners_up (o, runners), 2);
  assert_int_equal (runners[0], 2);
  assert_int_equal (runners[1], 3);
  char *text = stratus_optimizer_text (o);
  expect_in (text, "infeasible: latency_ms.p99 < 250 not measured");
  expect_in (text, "infeasible: no cost.monthly_usd in its reports");
  g_free (text);
  stratus_optimizer_free (o);
  stratus_constraint_free (c);
}

/* 20 points: p99 400 - 20x (< 250 from x = 8), cost 100x; x = 12 has a wide p99 interval
 * around 250 and x = 16 a cost interval reaching down to x = 8's. */
static void
racing_figures (size_t p, unsigned k, double *cost, double *p99, double *avail)
{
  double x = (double) p + 1;
  *cost = 100 * x + wobble (k);
  *p99 = 400 - 20 * x + wobble (k);
  *avail = 1;
  if (x == 5)
    *p99 = 250 + 200 * wobble (k); /* uncertain: crosses the limit */
  if (x == 16)
    *cost = 820 + 2000 * wobble (k); /* uncertain: overlaps x = 8's cost */
}

static void
racing_rounds (void **state)
{
  (void) state;
  StratusConstraint *c = parse_ok ("p99<250");
  StratusConstraint *cs[] = { c };
  StratusOptimizeGoal goal = { "monthly_cost", false, cs, 1, STRATUS_OPTIMIZE_AUTO };
  StratusSweepSpace *space = stratus_sweep_space_new ();
  assert_true (stratus_sweep_space_add_vary (space, "x=1..20:1", NULL));
  StratusSweepDefinition def = { "synthetic.yaml", "synthetic", NULL, space, 12, 7 };
  StratusOptimizer *o = stratus_optimizer_new (&def, &goal);
  stratus_sweep_space_free (space);
  assert_int_equal (stratus_optimizer_method (o), STRATUS_OPTIMIZE_RACING);

  /* Round 1: r0 = min(12, max(3, 12 / 4)) = 3 replications at every point, in order. */
  size_t n;
  size_t *pairs = stratus_optimizer_next_round (o, &n);
  assert_int_equal (n, 60);
  for (size_t i = 0; i < n; i++)
    assert_int_equal (pairs[i], (i / 3) * 12 + i % 3);
  for (size_t i = 0; i < n; i++)
    {
      double cost, p99, avail;
      racing_figures (pairs[i] / 12, (unsigned) (pairs[i] % 12), &cost, &p99, &avail);
      StratusSweepRecord *r = stratus_sweep_record_new ();
      stratus_sweep_record_append (r, "latency_ms.p99", false, p99);
      stratus_sweep_record_append (r, "cost.monthly_usd", false, cost);
      stratus_optimizer_add (o, pairs[i], r);
      stratus_sweep_record_free (r);
    }
  g_free (pairs);
  assert_true (stratus_optimizer_end_round (o, NULL));
  assert_false (stratus_optimizer_done (o));
  /* x = 1..7 clearly violate p99 < 250, except x = 5 (uncertain); x = 9..20 cost clearly
   * more than x = 8 (clearly feasible), except x = 16 (its interval reaches x = 8's). */
  unsigned round;
  for (size_t p = 0; p < 20; p++)
    {
      bool kept = p == 4 || p == 7 || p == 15;
      assert_int_equal (stratus_optimizer_dropped (o, p, &round), !kept);
      if (!kept)
        assert_int_equal (round, 1);
      assert_int_equal (stratus_optimizer_point_replications (o, p), 3);
    }
  /* Round 2: the three survivors go from 3 to 6, replications 3, 4, 5 only. */
  pairs = stratus_optimizer_next_round (o, &n);
  assert_int_equal (n, 9);
  size_t expect[] = { 4 * 12 + 3, 4 * 12 + 4, 4 * 12 + 5, 7 * 12 + 3, 7 * 12 + 4,
                      7 * 12 + 5, 15 * 12 + 3, 15 * 12 + 4, 15 * 12 + 5 };
  for (size_t i = 0; i < n; i++)
    assert_int_equal (pairs[i], expect[i]);
  g_free (pairs);
  stratus_optimizer_free (o);

  /* Run to the end: x = 8 wins; 6 then 12 replications; exhaustive agrees. */
  o = search (20, 12, &goal, racing_figures);
  size_t w;
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 7);
  assert_int_equal (stratus_optimizer_point_replications (o, 7), 12);
  assert_true (stratus_optimizer_rounds (o) >= 3);
  /* x = 5 stayed to the end but its mean p99 is 250: infeasible. The runners-up: x = 16
   * (kept), then x = 9 and 10, dropped as clearly worse, on their 3 replications. */
  assert_false (stratus_optimizer_feasible (o, 4));
  size_t runners[STRATUS_OPTIMIZE_RUNNERS_UP];
  assert_int_equal (stratus_optimizer_runners_up (o, runners), 3);
  assert_int_equal (runners[0], 15);
  assert_int_equal (runners[1], 8);
  assert_int_equal (runners[2], 9);
  assert_true (stratus_optimizer_replications_run (o) < 240);
  char *text = stratus_optimizer_text (o);
  expect_in (text, "Method: racing (auto: more than 16 points), up to 12 "
                                 "replications per point\n  round 1: 20 points to 3 "
                                 "replications; 17 dropped (6 clearly violating a constraint, "
                                 "11 clearly worse on cost.monthly_usd)\n  round 2: 3 points "
                                 "to 6 replications");
  expect_in (text, "dropped in round 1: latency_ms.p99 < 250 violated with 95% "
                                 "confidence [377.2, 382.4]");
  expect_in (text, "dropped in round 1: cost.monthly_usd [897.2, 902.4] wholly "
                                 "above point 8's [797.2, 802.4]");
  expect_in (text, "  3. x=9 (point 9): cost.monthly_usd 899.8 \xc2\xb1 2.6 (+99.8 on the "
                   "winner; 3 replications: dropped in round 1 as clearly worse)\n");
  expect_in (text, "runner-up 3; dropped in round 1: cost.monthly_usd [897.2, 902.4]");
  char *json = stratus_optimizer_json (o);
  JsonParser *parser = parse_json (json);
  assert_string_equal (json_node_get_string (json_at (parser, "method.name")), "racing");
  assert_int_equal (json_node_get_int (json_at (parser, "winner.point")), 8);
  g_object_unref (parser);
  g_free (json);
  g_free (text);
  size_t run = stratus_optimizer_replications_run (o);
  stratus_optimizer_free (o);

  goal.method = STRATUS_OPTIMIZE_EXHAUSTIVE;
  o = search (20, 12, &goal, racing_figures);
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 7);
  assert_int_equal (stratus_optimizer_replications_run (o), 240);
  assert_true (run < 240);
  stratus_optimizer_free (o);

  /* Maximising: the drops flip (the best clearly-feasible point is x = 20). */
  goal.method = STRATUS_OPTIMIZE_RACING;
  goal.maximize = true;
  o = search (20, 12, &goal, racing_figures);
  assert_true (stratus_optimizer_winner (o, &w));
  assert_int_equal (w, 19);
  assert_true (stratus_optimizer_dropped (o, 7, &round)); /* x = 8: clearly cheaper */
  assert_false (stratus_optimizer_dropped (o, 15, &round)); /* x = 16: overlaps */
  stratus_optimizer_free (o);
  stratus_constraint_free (c);
}

/* Nothing meets p99 < 1: everything is dropped in round 1, the closest is reported. */
static void
racing_infeasible (void **state)
{
  (void) state;
  StratusConstraint *c = parse_ok ("p99<1"), *a = parse_ok ("availability>=99.9%");
  StratusConstraint *cs[] = { c, a };
  StratusOptimizeGoal goal = { "monthly_cost", false, cs, 2, STRATUS_OPTIMIZE_RACING };
  StratusOptimizer *o = search (5, 10, &goal, monotone);
  size_t w;
  assert_false (stratus_optimizer_winner (o, &w));
  assert_int_equal (stratus_optimizer_rounds (o), 1);
  assert_int_equal (stratus_optimizer_replications_run (o), 15);
  char *text = stratus_optimizer_text (o);
  expect_in (text, "infeasible: no point meets the constraints\n");
  expect_in (text, "  latency_ms.p99 < 1: x=5 (point 5): mean 59.83, 95% "
                                 "interval [");
  expect_in (text, "  availability.success_ratio >= 99.9%: x=1 (point 1): mean "
                                 "100.000%");
  g_free (text);
  char *json = stratus_optimizer_json (o);
  JsonParser *parser = parse_json (json);
  assert_false (json_node_get_boolean (json_at (parser, "feasible")));
  assert_true (JSON_NODE_HOLDS_NULL (json_at (parser, "winner")));
  g_object_unref (parser);
  g_free (json);
  stratus_optimizer_free (o);
  stratus_constraint_free (c);
  stratus_constraint_free (a);
}

/* A figure no report has is refused after round 1. */
static void
unknown_figure (void **state)
{
  (void) state;
  StratusConstraint *c = parse_ok ("latency_ms.p98<250");
  StratusConstraint *cs[] = { c };
  const char *objectives[] = { "cost", "cost.monthly" };
  for (size_t i = 0; i < 2; i++)
    {
      StratusOptimizeGoal goal = { objectives[i], false, cs, i == 0 ? 1 : 0,
                                   STRATUS_OPTIMIZE_RACING };
      StratusSweepSpace *space = stratus_sweep_space_new ();
      StratusSweepDefinition def = { "synthetic.yaml", "synthetic", NULL, space, 4, 7 };
      StratusOptimizer *o = stratus_optimizer_new (&def, &goal);
      stratus_sweep_space_free (space);
      size_t n;
      size_t *pairs = stratus_optimizer_next_round (o, &n);
      assert_int_equal (n, 3);
      for (size_t k = 0; k < n; k++)
        {
          StratusSweepRecord *r = stratus_sweep_record_new ();
          stratus_sweep_record_append (r, "latency_ms.p99", false, 100);
          stratus_sweep_record_append (r, "cost.monthly_usd", false, 100);
          stratus_optimizer_add (o, pairs[k], r);
          stratus_sweep_record_free (r);
        }
      g_free (pairs);
      GError *error = NULL;
      assert_false (stratus_optimizer_end_round (o, &error));
      assert_true (g_error_matches (error, STRATUS_OPTIMIZE_ERROR,
                                    STRATUS_OPTIMIZE_ERROR_UNKNOWN_FIGURE));
      assert_non_null (strstr (error->message, i == 0 ? "latency_ms.p98" : "cost.monthly"));
      assert_non_null (strstr (error->message, "aliases: p50, p99, availability"));
      g_error_free (error);
      assert_true (stratus_optimizer_done (o));
      assert_null (stratus_optimizer_next_round (o, &n));
      stratus_optimizer_free (o);
    }
  stratus_constraint_free (c);
}

/* ---- the command -------------------------------------------------------------------------- */

/* The shipped web-two-az.yaml (STRATUS_SOURCE_ROOT), shortened by the tests' --set. Caller
 * frees. */
static char *
web_two_az (void)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  if (root == NULL)
    fail_msg ("STRATUS_SOURCE_ROOT is not set");
  return g_build_filename (root, "scenarios", "web-two-az.yaml", NULL);
}

/* The column named `name` in the CSV header `fields`, or fails. */
static size_t
csv_column (char **fields, const char *name)
{
  for (size_t i = 0; fields[i] != NULL; i++)
    if (strcmp (fields[i], name) == 0)
      return i;
  fail_msg ("no column %s", name);
  return 0;
}

/* The monotone case: p99 falls and the cost rises with the instance count, so the answer
 * is the smallest count whose mean p99 is under 250 ms, read here from `stratus sweep`'s
 * CSV of the same points, replications and seed. */
static void
cli_monotone (void **state)
{
  const char *dir = *state;
  char *file = web_two_az ();
  Result s = run_stratus ("sweep", file, "--set", "warmup=1m", "--set", "duration=4m",
                          "--vary", "instances.web.count=1..8:1", "--reps", "4", "--format",
                          "csv", "-q");
  expect_status (&s, 0);
  char **lines = g_strsplit (s.out, "\n", -1);
  char **header = g_strsplit (lines[0], ",", -1);
  size_t count_col = csv_column (header, "instances.web.count");
  size_t p99_col = csv_column (header, "latency_ms.p99.mean");
  size_t cost_col = csv_column (header, "cost.monthly_usd.mean");
  int expected = -1;
  double expected_p99 = 0, last_cost = 0;
  for (size_t i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char **f = g_strsplit (lines[i], ",", -1);
      int count = atoi (f[count_col]);
      double p99 = g_ascii_strtod (f[p99_col], NULL), cost = g_ascii_strtod (f[cost_col], NULL);
      assert_true (cost > last_cost); /* the construction: cost rises with the count */
      last_cost = cost;
      if (expected < 0 && p99 < 250)
        {
          expected = count;
          expected_p99 = p99;
        }
      if (expected >= 0)
        assert_true (p99 < 250); /* and p99 stays under the limit above it */
      g_strfreev (f);
    }
  g_strfreev (header);
  g_strfreev (lines);
  result_clear (&s);
  assert_true (expected > 1 && expected < 8); /* a real choice: neither end */

  char *out = g_build_filename (dir, "best", NULL);
  Result r = run_stratus ("optimize", file, "--set", "warmup=1m", "--set", "duration=4m",
                          "--vary", "instances.web.count=1..8:1", "--reps", "4", "--objective",
                          "monthly_cost", "--constraint", "latency_ms.p99<250", "--out", out,
                          "--jobs", "1", "-q");
  expect_status (&r, 0);
  assert_string_equal (r.err, "");
  char *winner = g_strdup_printf ("Winner: instances.web.count=%d (point %d)\n", expected,
                                  expected);
  expect_in (r.out, winner);
  g_free (winner);
  expect_in (r.out, "Method: exhaustive (auto: at most 16 points)");
  expect_in (r.out, "latency_ms.p99 < 250: mean ");
  expect_in (r.out, "\nRunners-up:\n  2. instances.web.count=");
  char *listing = list_dir (out);
  assert_string_equal (listing, "optimize.json optimize.txt");
  g_free (listing);
  char *txt = read_in (out, "optimize.txt");
  assert_string_equal (txt, r.out);
  g_free (txt);

  /* The JSON: the winner's p99 is the sweep's (the same pairs); the same bytes with two
   * threads. */
  char *json = read_in (out, "optimize.json");
  JsonParser *parser = parse_json (json);
  char *count = g_strdup_printf ("%d", expected);
  assert_string_equal (json_node_get_string (json_member (json_at (parser, "winner.values"),
                                                          "instances.web.count", NULL)),
                       count);
  g_free (count);
  JsonArray *constraints = json_node_get_array (json_at (parser, "winner.constraints"));
  JsonObject *c0 = json_array_get_object_element (constraints, 0);
  assert_near (json_object_get_double_member (c0, "mean"), expected_p99,
               1e-9 * expected_p99);
  assert_string_equal (json_object_get_string_member (c0, "constraint"),
                       "latency_ms.p99 < 250");
  g_object_unref (parser);
  result_clear (&r);
  r = run_stratus ("optimize", file, "--set", "warmup=1m", "--set", "duration=4m", "--vary",
                   "instances.web.count=1..8:1", "--reps", "4", "--objective", "monthly_cost",
                   "--constraint", "latency_ms.p99<250", "--format", "json", "--jobs", "2",
                   "-q");
  expect_status (&r, 0);
  assert_string_equal (r.out, json);
  g_free (json);
  result_clear (&r);
  g_free (out);
  g_free (file);
}

/* An impossible constraint: status 3, "infeasible", the closest point; --out written. */
static void
cli_infeasible (void **state)
{
  const char *dir = *state;
  char *file = web_two_az ();
  char *out = g_build_filename (dir, "none", NULL);
  Result r = run_stratus ("optimize", file, "--set", "warmup=1m", "--set", "duration=3m",
                          "--vary", "instances.web.count=2..4:1", "--reps", "2", "--objective",
                          "monthly_cost", "--constraint", "latency_ms.p99<1", "--out", out,
                          "-q");
  expect_status (&r, 3);
  assert_string_equal (r.err, "");
  expect_in (r.out, "infeasible: no point meets the constraints\n");
  expect_in (r.out, "  latency_ms.p99 < 1: instances.web.count=4 (point 3): ");
  assert_null (strstr (r.out, "Winner"));
  char *json = read_in (out, "optimize.json");
  JsonParser *parser = parse_json (json);
  assert_false (json_node_get_boolean (json_at (parser, "feasible")));
  g_object_unref (parser);
  g_free (json);
  result_clear (&r);
  g_free (out);
  g_free (file);
}

/* Racing on 18 points finds the exhaustive search's winner with fewer replications. */
static void
cli_racing_matches_exhaustive (void **state)
{
  (void) state;
  char *file = web_two_az ();
  const char *methods[] = { "racing", "exhaustive" };
  char *winners[2];
  gint64 run[2];
  for (size_t m = 0; m < 2; m++)
    {
      Result r = run_stratus ("optimize", file, "--set", "warmup=1m", "--set", "duration=4m",
                              "--vary", "instances.web.count=1..6:1", "--vary",
                              "instances.web.type=c5.large,m5.large,c5.xlarge", "--reps", "5",
                              "--objective", "monthly_cost", "--constraint",
                              "latency_ms.p99<250", "--method", methods[m], "--format", "json",
                              "-q");
      expect_status (&r, 0);
      JsonParser *parser = parse_json (r.out);
      assert_string_equal (json_node_get_string (json_at (parser, "method.name")), methods[m]);
      winners[m] = g_strdup_printf ("%" G_GINT64_FORMAT,
                                    json_node_get_int (json_at (parser, "winner.point")));
      run[m] = json_node_get_int (json_at (parser, "method.replications_run"));
      assert_int_equal (json_node_get_int (json_at (parser, "winner.replications")), 5);
      g_object_unref (parser);
      result_clear (&r);
    }
  assert_string_equal (winners[0], winners[1]);
  assert_string_equal (winners[0], "7"); /* 3 c5.large: the cheapest with p99 < 250 */
  assert_int_equal (run[1], 90);
  assert_true (run[0] < run[1]);
  g_free (winners[0]);
  g_free (winners[1]);
  g_free (file);
}

/* Misuse: status 2, the message and the hint line, nothing on stdout, nothing written. */
static void
cli_errors (void **state)
{
  const char *dir = *state;
  char *file = web_two_az ();
  char *out = g_build_filename (dir, "out", NULL);
  const char *bad[] = { "p99<<250", "p99", "latency ms<3", "p99<25%" };
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Result r = run_stratus ("optimize", file, "--vary", "instances.web.count=2,3",
                              "--objective", "cost", "--constraint", bad[i], "--out", out);
      expect_status (&r, 2);
      char *prefix = g_strdup_printf ("stratus optimize: --constraint '%s': ", bad[i]);
      assert_true (g_str_has_prefix (r.err, prefix));
      g_free (prefix);
      char **err_lines = g_strsplit (r.err, "\n", -1);
      assert_int_equal (g_strv_length (err_lines), 3); /* message, hint, "" */
      assert_string_equal (err_lines[1], "Run 'stratus optimize --help' for usage.");
      g_strfreev (err_lines);
      assert_string_equal (r.out, "");
      assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      result_clear (&r);
    }
  /* A figure the reports lack: refused after the first round, nothing written. */
  Result r = run_stratus ("optimize", file, "--set", "warmup=1m", "--set", "duration=2m",
                          "--vary", "instances.web.count=2,3", "--reps", "1", "--objective",
                          "cost", "--constraint", "latency_ms.p98<250", "--out", out, "-q");
  expect_status (&r, 2);
  assert_true (g_str_has_prefix (r.err, "stratus optimize: constraint 'latency_ms.p98 < 250': "
                                        "no such figure latency_ms.p98"));
  assert_non_null (strstr (r.err, "aliases: p50, p99, availability, monthly_cost, cost"));
  assert_string_equal (r.out, "");
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  result_clear (&r);
  /* Options. */
  const char *const forms[][6] = {
    { "--vary", "instances.web.count=2,3", NULL },                      /* no --objective */
    { "--objective", "cost", "--method", "genetic", NULL },
    { "--objective", "cost", "--format", "csv", NULL },
    { "--objective", "cost", "--reps", "0", NULL },
    { "--objective", "cost", "--vary", "instances.web.count=", NULL },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      Result e = run_stratus ("optimize", file, forms[i][0], forms[i][1], forms[i][2],
                              forms[i][3], forms[i][4]);
      expect_status (&e, 2);
      assert_true (g_str_has_prefix (e.err, "stratus optimize: "));
      assert_string_equal (e.out, "");
      result_clear (&e);
    }
  r = run_stratus ("optimize", "--objective", "cost");
  expect_status (&r, 2);
  assert_non_null (strstr (r.err, "exactly one scenario file"));
  result_clear (&r);
  r = run_stratus ("optimize", "--help");
  expect_status (&r, 0);
  expect_in (r.out, "--constraint");
  expect_in (r.out, "3 no point meets the constraints");
  result_clear (&r);
  r = run_stratus ("--help");
  expect_in (r.out, "  optimize FILE");
  result_clear (&r);
  g_free (out);
  g_free (file);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (constraint_parsing),
    cmocka_unit_test (constraint_errors),
    cmocka_unit_test (constraint_verdicts),
    cmocka_unit_test (winner_choice),
    cmocka_unit_test (winner_ties),
    cmocka_unit_test (racing_rounds),
    cmocka_unit_test (racing_infeasible),
    cmocka_unit_test (unknown_figure),
    cmocka_unit_test_setup_teardown (cli_monotone, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test_setup_teardown (cli_infeasible, tmpdir_setup, tmpdir_teardown),
    cmocka_unit_test (cli_racing_matches_exhaustive),
    cmocka_unit_test_setup_teardown (cli_errors, tmpdir_setup, tmpdir_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
