/* A CloudFormation template: the top level, parameters, resources (cfn_intrinsics.c
 * evaluates the functions, cfn_value.c holds the values). */
#include <string.h>

#include "cfn_internal.h"
#include "scenario/suggest.h"
#include "stratus/scenario.h"

G_DEFINE_QUARK (stratus-cfn-error-quark, stratus_cfn_error)

static const char *const top_level_keys[] = { "AWSTemplateFormatVersion", "Description",
                                              "Metadata", "Parameters", "Rules", "Mappings",
                                              "Conditions", "Transform", "Resources",
                                              "Outputs", NULL };
static const char *const resource_keys[] = { "Type", "Properties", "DependsOn", "Condition",
                                             "Metadata", "DeletionPolicy",
                                             "UpdateReplacePolicy", "UpdatePolicy",
                                             "CreationPolicy", NULL };
static const char *const parameter_keys[] = { "Type", "Default", "Description", "AllowedValues",
                                              "AllowedPattern", "ConstraintDescription",
                                              "MinLength", "MaxLength", "MinValue", "MaxValue",
                                              "NoEcho", NULL };

static char *
did_you_mean (const char *word, const char *const *candidates)
{
  const char *near = stratus_suggest (word, candidates);
  return near ? g_strdup_printf (" (did you mean '%s'?)", near) : g_strdup ("");
}

static void
parameter_free (StratusCfnParameter *p)
{
  g_free (p->name);
  g_free (p->type);
  stratus_cfn_value_free (p->value);
  g_free (p);
}

static void
resource_free (StratusCfnResource *r)
{
  g_free (r->logical_id);
  g_free (r->type);
  g_free (r->condition);
  g_ptr_array_unref (r->depends_on);
  stratus_cfn_value_free (r->properties);
  g_free (r);
}

void
stratus_cfn_template_free (StratusCfnTemplate *t)
{
  if (t == NULL)
    return;
  g_free (t->path);
  g_free (t->region);
  g_free (t->stack_name);
  g_free (t->account_id);
  g_free (t->description);
  g_ptr_array_unref (t->parameters);
  g_ptr_array_unref (t->resources);
  g_ptr_array_unref (t->excluded);
  g_ptr_array_unref (t->warnings);
  g_free (t);
}

const StratusCfnResource *
stratus_cfn_find_resource (const StratusCfnTemplate *t, const char *id)
{
  for (guint i = 0; i < t->resources->len; i++)
    {
      const StratusCfnResource *r = g_ptr_array_index (t->resources, i);
      if (strcmp (r->logical_id, id) == 0)
        return r;
    }
  return NULL;
}

const StratusCfnParameter *
stratus_cfn_find_parameter (const StratusCfnTemplate *t, const char *name)
{
  for (guint i = 0; i < t->parameters->len; i++)
    {
      const StratusCfnParameter *p = g_ptr_array_index (t->parameters, i);
      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

/* ---- Parameters ---- */

typedef enum
{
  PARAM_STRING,
  PARAM_NUMBER,
  PARAM_LIST,        /* CommaDelimitedList, List<AWS::...> */
  PARAM_NUMBER_LIST, /* List<Number> */
  PARAM_SSM_VALUE,   /* AWS::SSM::Parameter::Value<...>: read from SSM at deploy time */
  PARAM_UNKNOWN,
} ParamKind;

static ParamKind
param_kind (const char *type)
{
  if (strcmp (type, "String") == 0 || strcmp (type, "AWS::SSM::Parameter::Name") == 0)
    return PARAM_STRING;
  if (strcmp (type, "Number") == 0)
    return PARAM_NUMBER;
  if (strcmp (type, "List<Number>") == 0)
    return PARAM_NUMBER_LIST;
  if (strcmp (type, "CommaDelimitedList") == 0
      || (g_str_has_prefix (type, "List<AWS::") && g_str_has_suffix (type, ">")))
    return PARAM_LIST;
  if (g_str_has_prefix (type, "AWS::SSM::Parameter::Value<") && g_str_has_suffix (type, ">"))
    return PARAM_SSM_VALUE;
  if (g_str_has_prefix (type, "AWS::") && strchr (type, '<') == NULL)
    return PARAM_STRING; /* AWS::EC2::VPC::Id, AWS::EC2::KeyPair::KeyName, ... */
  return PARAM_UNKNOWN;
}

static bool
read_bound (CfnCtx *ctx, const YNode *spec, const char *key, double *out)
{
  const YNode *n = ynode_map_get (spec, key);
  if (n == NULL)
    return true;
  char *end = NULL;
  if (n->kind == YNODE_SCALAR)
    *out = g_ascii_strtod (n->value, &end);
  if (n->kind != YNODE_SCALAR || end == n->value || *end != '\0')
    {
      cfn_fail (ctx, n, "%s must be a number", key);
      return false;
    }
  return true;
}

/* Checks one item of a parameter's value against its constraints; `at` is where the
 * value was given, `origin` says how ("" or " (given by --param)"). */
static bool
check_item (CfnCtx *ctx, const char *name, const YNode *spec, ParamKind kind, const char *item,
            const YNode *at, const char *origin)
{
  const YNode *allowed = ynode_map_get (spec, "AllowedValues");
  if (allowed != NULL)
    {
      if (allowed->kind != YNODE_SEQ)
        return cfn_fail (ctx, allowed, "AllowedValues must be a list") != NULL;
      bool found = false;
      GString *list = g_string_new (NULL);
      for (guint i = 0; i < ynode_length (allowed); i++)
        {
          const YNode *a = ynode_item (allowed, i);
          if (a->kind == YNODE_SCALAR && strcmp (a->value, item) == 0)
            found = true;
          g_string_append_printf (list, "%s%s", i ? ", " : "",
                                  a->kind == YNODE_SCALAR ? a->value : "?");
        }
      if (!found)
        cfn_fail (ctx, at, "parameter %s: '%s'%s is not one of its AllowedValues (%s)", name,
                  item, origin, list->str);
      g_string_free (list, TRUE);
      if (!found)
        return false;
    }
  if (kind == PARAM_NUMBER || kind == PARAM_NUMBER_LIST)
    {
      char *end = NULL;
      double d = g_ascii_strtod (item, &end);
      if (item[0] == '\0' || *end != '\0')
        return cfn_fail (ctx, at, "parameter %s: '%s'%s is not a number", name, item, origin)
               != NULL;
      double min = -G_MAXDOUBLE, max = G_MAXDOUBLE;
      if (!read_bound (ctx, spec, "MinValue", &min) || !read_bound (ctx, spec, "MaxValue", &max))
        return false;
      if (d < min || d > max)
        return cfn_fail (ctx, at, "parameter %s: %s%s is outside MinValue..MaxValue (%g..%g)",
                         name, item, origin, min, max) != NULL;
      return true;
    }
  double min_len = 0, max_len = G_MAXDOUBLE;
  if (!read_bound (ctx, spec, "MinLength", &min_len)
      || !read_bound (ctx, spec, "MaxLength", &max_len))
    return false;
  double len = (double) g_utf8_strlen (item, -1);
  if (len < min_len || len > max_len)
    return cfn_fail (ctx, at, "parameter %s: '%s'%s has %g characters, outside "
                     "MinLength..MaxLength (%g..%g)", name, item, origin, len, min_len,
                     max_len) != NULL;
  const YNode *pattern = ynode_map_get (spec, "AllowedPattern");
  if (pattern != NULL)
    {
      if (pattern->kind != YNODE_SCALAR)
        return cfn_fail (ctx, pattern, "AllowedPattern must be a regular expression") != NULL;
      GError *re_error = NULL;
      char *anchored = g_strdup_printf ("^(?:%s)$", pattern->value);
      GRegex *re = g_regex_new (anchored, 0, 0, &re_error);
      g_free (anchored);
      if (re == NULL)
        {
          cfn_fail (ctx, pattern, "AllowedPattern is not a regular expression: %s",
                    re_error->message);
          g_error_free (re_error);
          return false;
        }
      bool match = g_regex_match (re, item, 0, NULL);
      g_regex_unref (re);
      if (!match)
        return cfn_fail (ctx, at, "parameter %s: '%s'%s does not match its AllowedPattern %s",
                         name, item, origin, pattern->value) != NULL;
    }
  return true;
}

static bool
read_parameter (CfnCtx *ctx, const YNode *key, const YNode *spec, const char *override)
{
  const char *name = key->value;
  if (spec->kind != YNODE_MAP)
    return cfn_fail (ctx, spec, "parameter %s must be a mapping (with a Type)", name) != NULL;
  for (guint i = 0; i < ynode_length (spec); i++)
    {
      const YNode *k = ynode_map_key (spec, i);
      if (!g_strv_contains (parameter_keys, k->value))
        {
          char *hint = did_you_mean (k->value, parameter_keys);
          cfn_fail (ctx, k, "parameter %s: unknown key '%s'%s", name, k->value, hint);
          g_free (hint);
          return false;
        }
    }
  const YNode *type = ynode_map_get (spec, "Type");
  if (type == NULL || type->kind != YNODE_SCALAR || type->tag != NULL)
    return cfn_fail (ctx, type ? type : key, "parameter %s needs a Type (String, Number, "
                     "CommaDelimitedList, List<Number>, AWS::EC2::VPC::Id, ...)", name) != NULL;
  ParamKind kind = param_kind (type->value);
  if (kind == PARAM_UNKNOWN)
    return cfn_fail (ctx, type, "parameter %s: unknown Type '%s' (String, Number, "
                     "CommaDelimitedList, List<Number>, List<AWS::...>, AWS::..., "
                     "AWS::SSM::Parameter::Value<...>)", name, type->value) != NULL;
  const YNode *def = ynode_map_get (spec, "Default");
  const char *raw;
  const YNode *at;
  const char *origin = "";
  if (override != NULL)
    {
      raw = override;
      at = key;
      origin = " (given by --param)";
    }
  else if (kind == PARAM_SSM_VALUE)
    return cfn_fail (ctx, key, "parameter %s is of type %s: its value is read from SSM "
                     "Parameter Store at deploy time; give it with --param %s=VALUE", name,
                     type->value, name) != NULL;
  else if (def == NULL)
    return cfn_fail (ctx, key, "parameter %s has no Default; give it with --param %s=VALUE",
                     name, name) != NULL;
  else if (def->kind != YNODE_SCALAR || def->tag != NULL)
    return cfn_fail (ctx, def, "parameter %s: the Default must be a plain value, not %s", name,
                     def->tag ? "a function" : ynode_kind_name (def)) != NULL;
  else
    {
      raw = def->value;
      at = def;
    }
  StratusCfnValue *value;
  if (kind == PARAM_LIST || kind == PARAM_NUMBER_LIST)
    {
      value = cfn_value_new (STRATUS_CFN_LIST, at);
      value->text = g_strdup ("");
      char **items = raw[0] ? g_strsplit (raw, ",", -1) : g_new0 (char *, 1);
      for (int i = 0; items[i]; i++)
        {
          char *item = g_strstrip (items[i]);
          if (!check_item (ctx, name, spec, kind, item, at, origin))
            {
              g_strfreev (items);
              stratus_cfn_value_free (value);
              return false;
            }
          StratusCfnValue *v = cfn_value_string (item, at);
          if (kind == PARAM_NUMBER_LIST)
            {
              v->kind = STRATUS_CFN_NUMBER;
              v->number = g_ascii_strtod (item, NULL);
            }
          g_ptr_array_add (value->items, v);
        }
      g_strfreev (items);
    }
  else
    {
      if (!check_item (ctx, name, spec, kind, raw, at, origin))
        return false;
      value = cfn_value_string (raw, at);
      if (kind == PARAM_NUMBER)
        {
          value->kind = STRATUS_CFN_NUMBER;
          value->number = g_ascii_strtod (raw, NULL);
        }
    }
  StratusCfnParameter *p = g_new0 (StratusCfnParameter, 1);
  p->name = g_strdup (name);
  p->type = g_strdup (type->value);
  p->value = value;
  p->overridden = override != NULL;
  p->file = key->file;
  p->line = key->line;
  p->column = key->column;
  g_ptr_array_add (ctx->tmpl->parameters, p);
  return true;
}

static bool
read_parameters (CfnCtx *ctx, const YNode *params, const char *const *overrides)
{
  GHashTable *given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *file = g_intern_string ("--param");
  bool ok = true;
  for (int i = 0; ok && overrides && overrides[i]; i++)
    {
      const char *eq = strchr (overrides[i], '=');
      const YNode at = { .file = file, .line = 1, .column = 1 };
      if (eq == NULL || eq == overrides[i])
        {
          cfn_fail (ctx, &at, "'%s' is not of the form Name=Value", overrides[i]);
          ok = false;
          break;
        }
      char *name = g_strndup (overrides[i], (gsize) (eq - overrides[i]));
      if (params == NULL || ynode_map_get (params, name) == NULL)
        {
          GPtrArray *names = g_ptr_array_new ();
          for (guint k = 0; params && k < ynode_length (params); k++)
            g_ptr_array_add (names, ynode_map_key (params, k)->value);
          g_ptr_array_add (names, NULL);
          char *hint = did_you_mean (name, (const char *const *) names->pdata);
          cfn_fail (ctx, &at, "the template has no parameter '%s'%s", name, hint);
          g_free (hint);
          g_ptr_array_free (names, TRUE);
          g_free (name);
          ok = false;
          break;
        }
      g_hash_table_insert (given, name, g_strdup (eq + 1));
    }
  if (ok && params != NULL && params->kind != YNODE_MAP)
    ok = cfn_fail (ctx, params, "Parameters must be a mapping, not %s",
                   ynode_kind_name (params)) != NULL;
  for (guint i = 0; ok && params && i < ynode_length (params); i++)
    {
      const YNode *key = ynode_map_key (params, i);
      ok = read_parameter (ctx, key, ynode_item (params, i),
                           g_hash_table_lookup (given, key->value));
    }
  g_hash_table_unref (given);
  return ok;
}

/* ---- Resources ---- */

static bool
valid_logical_id (const char *id)
{
  if (id[0] == '\0')
    return false;
  for (const char *s = id; *s; s++)
    if (!g_ascii_isalnum (*s))
      return false;
  return true;
}

static bool
check_resource_name (CfnCtx *ctx, const YNode *node, const char *what)
{
  if (node->kind == YNODE_SCALAR && node->tag == NULL && ynode_map_get (ctx->resources, node->value))
    {
      const char *cond = g_hash_table_lookup (ctx->excluded, node->value);
      if (cond == NULL)
        return true;
      return cfn_fail (ctx, node, "%s: resource %s is left out by its condition '%s' (false)",
                       what, node->value, cond) != NULL;
    }
  if (node->kind != YNODE_SCALAR || node->tag != NULL)
    return cfn_fail (ctx, node, "%s: a resource's logical id, not %s", what,
                     node->tag ? "a function" : ynode_kind_name (node)) != NULL;
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < ynode_length (ctx->resources); i++)
    g_ptr_array_add (names, ynode_map_key (ctx->resources, i)->value);
  g_ptr_array_add (names, NULL);
  char *hint = did_you_mean (node->value, (const char *const *) names->pdata);
  cfn_fail (ctx, node, "%s: no resource '%s' in the template%s", what, node->value, hint);
  g_free (hint);
  g_ptr_array_free (names, TRUE);
  return false;
}

static bool
read_resource (CfnCtx *ctx, const YNode *key, const YNode *spec)
{
  const char *id = key->value;
  for (guint i = 0; i < ynode_length (spec); i++)
    {
      const YNode *k = ynode_map_key (spec, i);
      if (!g_strv_contains (resource_keys, k->value))
        {
          char *hint = did_you_mean (k->value, resource_keys);
          cfn_fail (ctx, k, "resource %s: unknown key '%s'%s", id, k->value, hint);
          g_free (hint);
          return false;
        }
    }
  const YNode *type = ynode_map_get (spec, "Type");
  StratusCfnResource *r = g_new0 (StratusCfnResource, 1);
  r->logical_id = g_strdup (id);
  r->type = g_strdup (type->value);
  r->file = key->file;
  r->line = key->line;
  r->column = key->column;
  r->depends_on = g_ptr_array_new_with_free_func (g_free);
  const YNode *cond = ynode_map_get (spec, "Condition");
  if (cond != NULL)
    r->condition = g_strdup (cond->value);
  const YNode *deps = ynode_map_get (spec, "DependsOn");
  bool ok = true;
  if (deps != NULL && deps->kind == YNODE_SEQ && deps->tag == NULL)
    for (guint i = 0; ok && i < ynode_length (deps); i++)
      {
        ok = check_resource_name (ctx, ynode_item (deps, i), "DependsOn");
        if (ok)
          g_ptr_array_add (r->depends_on, g_strdup (ynode_item (deps, i)->value));
      }
  else if (deps != NULL)
    {
      ok = check_resource_name (ctx, deps, "DependsOn");
      if (ok)
        g_ptr_array_add (r->depends_on, g_strdup (deps->value));
    }
  const YNode *props = ynode_map_get (spec, "Properties");
  if (ok && props != NULL && !ynode_is_null (props))
    {
      StratusCfnValue *v = cfn_eval (ctx, props);
      if (v != NULL && v != &cfn_no_value && v->kind != STRATUS_CFN_MAP)
        {
          cfn_fail (ctx, props, "resource %s: Properties must be a mapping", id);
          stratus_cfn_value_free (v);
          v = NULL;
        }
      ok = v != NULL;
      if (v != &cfn_no_value)
        r->properties = v;
    }
  if (ok && r->properties == NULL)
    {
      r->properties = cfn_value_new (STRATUS_CFN_MAP, props ? props : key);
      r->properties->text = g_strdup ("");
    }
  if (!ok)
    {
      resource_free (r);
      return false;
    }
  g_ptr_array_add (ctx->tmpl->resources, r);
  return true;
}

static bool
read_resources (CfnCtx *ctx)
{
  const YNode *res = ctx->resources;
  if (ynode_length (res) == 0)
    return cfn_fail (ctx, res, "Resources is empty (a template declares at least one "
                     "resource)") != NULL;
  /* First the shape and the conditions, so that a Ref to a resource left out is caught
   * wherever it comes. */
  for (guint i = 0; i < ynode_length (res); i++)
    {
      const YNode *key = ynode_map_key (res, i), *spec = ynode_item (res, i);
      if (!valid_logical_id (key->value))
        return cfn_fail (ctx, key, "'%s' is not a logical id (letters and digits only)",
                         key->value) != NULL;
      if (spec->kind != YNODE_MAP || spec->tag != NULL)
        return cfn_fail (ctx, spec, "resource %s must be a mapping with a Type", key->value)
               != NULL;
      const YNode *type = ynode_map_get (spec, "Type");
      if (type == NULL || type->kind != YNODE_SCALAR || type->tag != NULL || type->value[0] == '\0')
        return cfn_fail (ctx, type ? type : key, "resource %s needs a Type (e.g. AWS::EC2::VPC)",
                         key->value) != NULL;
      const YNode *cond = ynode_map_get (spec, "Condition");
      if (cond != NULL)
        {
          if (cond->kind != YNODE_SCALAR || cond->tag != NULL)
            return cfn_fail (ctx, cond, "resource %s: Condition must be a condition's name",
                             key->value) != NULL;
          int truth = cfn_condition (ctx, cond->value, cond);
          if (truth < 0)
            return false;
          if (!truth)
            {
              g_hash_table_insert (ctx->excluded, key->value, cond->value);
              g_ptr_array_add (ctx->tmpl->excluded, g_strdup (key->value));
            }
        }
    }
  for (guint i = 0; i < ynode_length (res); i++)
    if (!g_hash_table_contains (ctx->excluded, ynode_map_key (res, i)->value)
        && !read_resource (ctx, ynode_map_key (res, i), ynode_item (res, i)))
      return false;
  return true;
}

/* ---- The top level ---- */

static void *
not_template (GError **error, const YNode *at, const char *why)
{
  g_set_error (error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_NOT_TEMPLATE,
               "%s:%d:%d: not a CloudFormation template (%s)", at->file, at->line, at->column,
               why);
  return NULL;
}

/* Refuses a document that is not a template; NULL when it is one. */
static bool
is_template (const YNode *root, GError **error)
{
  if (root->kind != YNODE_MAP)
    {
      char *why = g_strdup_printf ("the top level is %s, not a mapping with Resources",
                                   ynode_kind_name (root));
      not_template (error, root, why);
      g_free (why);
      return false;
    }
  const YNode *res = ynode_map_get (root, "Resources");
  if (res != NULL && res->kind == YNODE_MAP)
    return true;
  if (res != NULL)
    {
      char *why = g_strdup_printf ("Resources is %s, not a mapping", ynode_kind_name (res));
      not_template (error, res, why);
      g_free (why);
    }
  else if (ynode_map_get (root, "terraform_version") || ynode_map_get (root, "resource_changes")
           || ynode_map_get (root, "planned_values"))
    not_template (error, root, "it looks like a Terraform plan (terraform_version, "
                  "planned_values); there is no Resources section");
  else if (ynode_map_get (root, "load_balancers") || ynode_map_get (root, "workloads")
           || ynode_map_get (root, "fleets") || ynode_map_get (root, "auto_scaling_groups"))
    not_template (error, root, "it looks like a stratus scenario; there is no Resources "
                  "section");
  else
    not_template (error, root, "there is no Resources section");
  return false;
}

static bool
check_top_level (CfnCtx *ctx, const YNode *root)
{
  for (guint i = 0; i < ynode_length (root); i++)
    {
      const YNode *k = ynode_map_key (root, i);
      if (!g_strv_contains (top_level_keys, k->value))
        {
          char *hint = did_you_mean (k->value, top_level_keys);
          cfn_fail (ctx, k, "unknown top-level section '%s'%s", k->value, hint);
          g_free (hint);
          return false;
        }
    }
  const YNode *version = ynode_map_get (root, "AWSTemplateFormatVersion");
  if (version != NULL && (version->kind != YNODE_SCALAR || strcmp (version->value, "2010-09-09")))
    return cfn_fail (ctx, version, "AWSTemplateFormatVersion must be \"2010-09-09\"") != NULL;
  const YNode *transform = ynode_map_get (root, "Transform");
  if (transform != NULL)
    return cfn_fail (ctx, transform, "Transform (macros such as AWS::Serverless) is not "
                     "supported: expand the template first (e.g. the processed template of "
                     "`aws cloudformation get-template --template-stage Processed`)") != NULL;
  const char *maps[] = { "Mappings", "Conditions" };
  for (int i = 0; i < 2; i++)
    {
      const YNode *m = ynode_map_get (root, maps[i]);
      if (m != NULL && m->kind != YNODE_MAP)
        return cfn_fail (ctx, m, "%s must be a mapping, not %s", maps[i], ynode_kind_name (m))
               != NULL;
    }
  const YNode *desc = ynode_map_get (root, "Description");
  if (desc != NULL && desc->kind == YNODE_SCALAR)
    ctx->tmpl->description = g_strdup (desc->value);
  return true;
}

void
cfn_refuse_syntax (const GError *yaml_error, const char *label, const char *what,
                   bool keep_syntax, GError **error)
{
  const char *msg = yaml_error->message;
  const char *rest = g_str_has_prefix (msg, label) ? msg + strlen (label) : NULL;
  /* rest: ":line:column: problem" */
  const char *problem = rest ? strstr (rest, ": ") : NULL;
  if (keep_syntax || problem == NULL || yaml_error->code == STRATUS_SCENARIO_ERROR_IO)
    {
      g_set_error_literal (error, STRATUS_CFN_ERROR,
                           yaml_error->code == STRATUS_SCENARIO_ERROR_IO ? STRATUS_CFN_ERROR_IO
                                                                         : STRATUS_CFN_ERROR_SYNTAX,
                           msg);
      return;
    }
  g_set_error (error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_NOT_TEMPLATE,
               "%s%.*s: not a %s (%s)", label, (int) (problem - rest), rest, what, problem + 2);
}

/* A syntax error of a file that does not look like a template at all becomes a refusal. */
static void
syntax_error (GError *yaml_error, const char *text, const char *label, GError **error)
{
  bool looks_like = strstr (text, "Resources") != NULL
                    || strstr (text, "AWSTemplateFormatVersion") != NULL;
  cfn_refuse_syntax (yaml_error, label, "CloudFormation template", looks_like, error);
}

/* stratus_cfn_load_string without the final clean-up of the error message. */
static StratusCfnTemplate *
load_template (const char *text, const char *label, const StratusCfnOptions *opts,
               GError **error)
{
  if (opts != NULL && opts->region != NULL && !cfn_check_region (opts->region, "--region:1:1", error))
    return NULL;
  GError *yaml_error = NULL;
  YNode *root = ynode_load_string (text, -1, label, 0, 0, &yaml_error);
  if (root == NULL)
    {
      syntax_error (yaml_error, text, label, error);
      g_error_free (yaml_error);
      return NULL;
    }
  if (!is_template (root, error))
    {
      ynode_free (root);
      return NULL;
    }
  StratusCfnTemplate *t = g_new0 (StratusCfnTemplate, 1);
  t->path = g_strdup (label);
  t->region = g_strdup (opts && opts->region ? opts->region : "us-east-1");
  t->account_id = g_strdup (opts && opts->account_id ? opts->account_id : "123456789012");
  if (opts && opts->stack_name)
    t->stack_name = g_strdup (opts->stack_name);
  else
    {
      t->stack_name = g_path_get_basename (label);
      char *dot = strrchr (t->stack_name, '.');
      if (dot != NULL && dot != t->stack_name)
        *dot = '\0';
    }
  t->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify) parameter_free);
  t->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) resource_free);
  t->excluded = g_ptr_array_new_with_free_func (g_free);
  t->warnings = g_ptr_array_new_with_free_func (g_free);
  CfnCtx ctx = {
    .root = root,
    .mappings = ynode_map_get (root, "Mappings"),
    .conditions = ynode_map_get (root, "Conditions"),
    .resources = ynode_map_get (root, "Resources"),
    .cond_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .excluded = g_hash_table_new (g_str_hash, g_str_equal),
    .tmpl = t,
    .error = error,
  };
  bool ok = check_top_level (&ctx, root)
            && read_parameters (&ctx, ynode_map_get (root, "Parameters"),
                                opts ? opts->params : NULL);
  /* Every condition is evaluated, used or not, so that a mistake in one is reported. */
  for (guint i = 0; ok && ctx.conditions && i < ynode_length (ctx.conditions); i++)
    ok = cfn_condition (&ctx, ynode_map_key (ctx.conditions, i)->value,
                        ynode_map_key (ctx.conditions, i)) >= 0;
  ok = ok && read_resources (&ctx);
  g_hash_table_unref (ctx.cond_state);
  g_hash_table_unref (ctx.excluded);
  ynode_free (root);
  if (!ok)
    {
      stratus_cfn_template_free (t);
      return NULL;
    }
  return t;
}

StratusCfnTemplate *
stratus_cfn_load_string (const char *text, const char *label, const StratusCfnOptions *opts,
                         GError **error)
{
  StratusCfnTemplate *t = load_template (text, label, opts, error);
  if (t == NULL)
    cfn_error_printable (error);
  return t;
}

char *
cfn_read_text (const char *path, const char *what, GError **error)
{
  char *text = NULL;
  gsize length = 0;
  GError *io_error = NULL;
  if (!g_file_get_contents (path, &text, &length, &io_error))
    {
      g_set_error (error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_IO,
                   "%s:1:1: cannot read the file: %s", path,
                   io_error->code == G_FILE_ERROR_NOENT ? "no such file" : io_error->message);
      g_error_free (io_error);
      return NULL;
    }
  if (strlen (text) != length)
    {
      g_free (text);
      g_set_error (error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_NOT_TEMPLATE,
                   "%s:1:1: not a %s (the file holds NUL bytes)", path, what);
      return NULL;
    }
  return text;
}

StratusCfnTemplate *
stratus_cfn_load (const char *path, const StratusCfnOptions *opts, GError **error)
{
  char *text = cfn_read_text (path, "CloudFormation template", error);
  if (text == NULL)
    {
      cfn_error_printable (error);
      return NULL;
    }
  StratusCfnTemplate *t = stratus_cfn_load_string (text, path, opts, error);
  g_free (text);
  return t;
}
