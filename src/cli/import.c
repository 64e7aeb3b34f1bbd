/* `stratus import`: a CloudFormation template or a Terraform plan to a stratus scenario
 * (docs/import.md). */
#include "cli/import.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_common.h"
#include "stratus/import.h"
#include "stratus/terraform.h"

static const char USAGE[] =
  "Usage: stratus import FILE [-o OUT.yaml] [--param KEY=VALUE ...] [--region R] [--stack-name N]\n"
  "\n"
  "Turns a CloudFormation template (YAML or JSON) or a Terraform plan (the JSON of\n"
  "`terraform show -json plan.out`) into a stratus scenario. Without -o the scenario goes to\n"
  "stdout and the import report (resources not modelled) to stderr; with -o the file is\n"
  "written atomically and the report goes to stdout. Lines the template cannot fill\n"
  "(workload, service times, duration, seed) are marked '# from defaults: change me'.\n"
  "\n"
  "  -o, --output FILE   write the scenario to FILE\n"
  "  --param KEY=VALUE   a template parameter's value (repeatable; not for a plan)\n"
  "  --region R          AWS::Region and Fn::GetAZs (default us-east-1; a plan's AWS\n"
  "                      provider region wins)\n"
  "  --stack-name N      AWS::StackName and the scenario's name (default: the file's name)\n"
  "\n"
  "Examples:\n"
  "  stratus import tests/import/cfn/workshop.yaml --param DbPassword=x -o workshop.yaml\n"
  "  stratus validate --explain workshop.yaml\n"
  "  stratus import stack.json --region eu-west-1 --param Env=prod > stack.yaml\n"
  "  terraform show -json plan.out > plan.json && stratus import plan.json -o plan.yaml\n"
  "  stratus import tests/import/tf/workshop.plan.json -o workshop-tf.yaml\n"
  "\n"
  "Reference: docs/import.md\n";

/* Whether the file at `path` reads as a Terraform plan (false when unreadable: the
 * CloudFormation reader then says why). */
static bool
looks_like_terraform_plan (const char *path)
{
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return false;
  bool plan = stratus_tf_text_is_plan (text);
  g_free (text);
  return plan;
}

int
cli_import (int argc, char **argv)
{
  const char *file = NULL, *out = NULL, *region = NULL, *stack = NULL;
  GPtrArray *params = g_ptr_array_new ();
  int status = EXIT_BAD_INPUT;
  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i];
      bool has_value = i + 1 < argc;
      if (strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0)
        {
          fputs (USAGE, stdout);
          status = 0;
          goto done;
        }
      else if ((strcmp (a, "-o") == 0 || strcmp (a, "--output") == 0) && has_value)
        out = argv[++i];
      else if (strcmp (a, "--param") == 0 && has_value)
        {
          if (strchr (argv[i + 1], '=') == NULL)
            {
              status = cli_usage_error ("import", "--param needs KEY=VALUE");
              goto done;
            }
          g_ptr_array_add (params, argv[++i]);
        }
      else if (strcmp (a, "--region") == 0 && has_value)
        region = argv[++i];
      else if (strcmp (a, "--stack-name") == 0 && has_value)
        stack = argv[++i];
      else if (a[0] == '-' && a[1] != '\0')
        {
          char *m = g_strdup_printf ("unknown option or missing value: '%s'", a);
          status = cli_usage_error ("import", m);
          g_free (m);
          goto done;
        }
      else if (file == NULL)
        file = a;
      else
        {
          status = cli_usage_error ("import", "give one template");
          goto done;
        }
    }
  if (file == NULL)
    {
      status = cli_usage_error ("import", "missing the template FILE");
      goto done;
    }
  g_ptr_array_add (params, NULL);
  StratusCfnOptions opts = { .region = region, .stack_name = stack,
                             .params = (const char *const *) params->pdata };
  GError *error = NULL;
  bool plan = looks_like_terraform_plan (file);
  if (plan && params->len > 1)
    {
      status = cli_usage_error ("import", "--param is for CloudFormation templates: a Terraform "
                                          "plan has its variables already applied");
      goto done;
    }
  StratusCfnTemplate *t = plan ? stratus_tf_plan_load (file, region, &error)
                               : stratus_cfn_load (file, &opts, &error);
  if (plan && t != NULL && stack != NULL)
    {
      g_free (t->stack_name); /* the scenario's name, as for a template */
      t->stack_name = g_strdup (stack);
    }
  StratusImport *imp = t ? stratus_import_template (t, file, &error) : NULL;
  if (imp == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      g_error_free (error);
      stratus_cfn_template_free (t);
      goto done;
    }
  if (out == NULL)
    {
      fputs (imp->scenario, stdout);
      fputs (imp->report, stderr);
      status = fflush (stdout) == 0 ? 0 : EXIT_RUN_FAILED;
    }
  else if (!g_file_set_contents (out, imp->scenario, -1, &error))
    {
      fprintf (stderr, "stratus import: %s\n", error->message);
      g_error_free (error);
      status = EXIT_RUN_FAILED;
    }
  else
    {
      printf ("%s: written from %s\n%s", out, file, imp->report);
      status = 0;
    }
  stratus_import_free (imp);
  stratus_cfn_template_free (t);
done:
  g_ptr_array_free (params, TRUE);
  return status;
}
