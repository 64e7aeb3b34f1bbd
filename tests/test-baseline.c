/* The two shipped scenarios give the same figures as before issue 8 reshaped the model:
 * tests/baseline/NAME.txt holds the figures report.json had with the stratus of commit
 * 737ac64 (seed 1, one replication, round robin), and each must come out identical. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "stratus/model.h"
#include "stratus/report.h"

/* Runs scenarios/NAME.yaml once and compares every figure of tests/baseline/NAME.txt. */
static void
compare (const char *name)
{
  const char *root = g_getenv ("STRATUS_SOURCE_ROOT");
  char *file = g_strdup_printf ("%s.yaml", name);
  char *scenario_path = g_build_filename (root, "scenarios", file, NULL);
  char *baseline_name = g_strdup_printf ("%s.txt", name);
  char *baseline_path = g_build_filename (root, "tests", "baseline", baseline_name, NULL);
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load (scenario_path, NULL, &error);
  if (s == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (((StratusLoadBalancerConfig *) g_ptr_array_index (s->load_balancers, 0))->algorithm,
                    STRATUS_ALGORITHM_ROUND_ROBIN);
  StratusRunOptions options = { .seed = s->seed };
  StratusRunResult *result = stratus_model_run (s, &options);
  StratusReport *report = stratus_report_new (s);
  stratus_report_add (report, result);
  stratus_run_result_free (result);

  char *text = NULL;
  assert_true (g_file_get_contents (baseline_path, &text, NULL, NULL));
  char **lines = g_strsplit (text, "\n", -1);
  unsigned compared = 0, different = 0;
  for (char **line = lines; *line != NULL; line++)
    {
      if (**line == '#' || **line == '\0')
        continue;
      char **kv = g_strsplit (*line, " ", 2);
      assert_non_null (kv[1]);
      double expected = g_ascii_strtod (kv[1], NULL), got = 0;
      if (!stratus_report_figure (report, kv[0], &got, NULL))
        fail_msg ("%s: no figure %s", name, kv[0]);
      if (got != expected)
        {
          print_error ("%s: %s was %.17g, is %.17g\n", name, kv[0], expected, got);
          different++;
        }
      compared++;
      g_strfreev (kv);
    }
  printf ("%s: %u figures compared with the baseline, %u different\n", name, compared, different);
  assert_true (compared >= 30);
  assert_int_equal (different, 0);
  g_strfreev (lines);
  g_free (text);
  stratus_report_free (report);
  stratus_scenario_free (s);
  g_free (baseline_path);
  g_free (baseline_name);
  g_free (scenario_path);
  g_free (file);
}

static void
web_two_az_figures_are_unchanged (void **state)
{
  (void) state;
  compare ("web-two-az");
}

static void
vpc_public_private_figures_are_unchanged (void **state)
{
  (void) state;
  compare ("vpc-public-private");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (web_two_az_figures_are_unchanged),
    cmocka_unit_test (vpc_public_private_figures_are_unchanged),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
