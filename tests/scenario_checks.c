/* Scenario loading and error checks shared by the scenario tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scenario_checks.h"

#include <string.h>

char *
subst (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  assert_non_null (at);
  assert_null (strstr (at + 1, from));
  GString *s = g_string_new_len (text, at - text);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  return g_string_free (s, FALSE);
}

StratusScenario *
load_ok_with (const char *text, const char *const *overrides)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "t.yaml", overrides, &error);
  if (s == NULL)
    {
      print_error ("unexpected error: %s\n", error->message);
      g_error_free (error);
      fail ();
    }
  assert_null (error);
  return s;
}

StratusScenario *
load_ok (const char *text)
{
  return load_ok_with (text, NULL);
}

void
check_message (char *message, const char *prefix, const char *const *needles)
{
  bool ok = g_str_has_prefix (message, prefix) && strchr (message, '\n') == NULL;
  for (int i = 0; needles != NULL && needles[i] != NULL; i++)
    ok = ok && strstr (message, needles[i]) != NULL;
  if (!ok)
    {
      print_error ("message: %s\nexpected prefix: %s\n", message, prefix);
      for (int i = 0; needles != NULL && needles[i] != NULL; i++)
        print_error ("expected to contain: %s\n", needles[i]);
      g_free (message);
      fail ();
    }
  g_free (message);
}

char *
load_error_with (const char *text, const char *const *overrides)
{
  GError *error = NULL;
  StratusScenario *s = stratus_scenario_load_string (text, "t.yaml", overrides, &error);
  if (s != NULL)
    {
      stratus_scenario_free (s);
      fail_msg ("loaded a scenario that should have been refused");
    }
  assert_non_null (error);
  assert_true (error->domain == STRATUS_SCENARIO_ERROR);
  char *message = g_strdup (error->message);
  g_error_free (error);
  return message;
}

char *
load_error (const char *text)
{
  return load_error_with (text, NULL);
}
