/* CloudFormation's intrinsic functions and conditions, in the short form (`!Join`, a YAML
 * tag) and the long form (`Fn::Join:` as the only key of a mapping). */
#include <stdarg.h>
#include <string.h>

#include "cfn_internal.h"
#include "scenario/suggest.h"
#include "stratus/cidr.h"

void *
cfn_fail (CfnCtx *ctx, const YNode *node, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (ctx->error != NULL && *ctx->error == NULL)
    g_set_error (ctx->error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_INVALID, "%s:%d:%d: %s",
                 node->file, node->line, node->column, msg);
  g_free (msg);
  return NULL;
}

/* The function a node calls, its long name ("Fn::Join", "Ref", "Condition"), and its
 * argument (the node itself for the short form, read without its tag); NULL for none. */
typedef struct
{
  char *name;       /* long name, owned */
  const char *shown; /* as written: "!Join" or "Fn::Join" */
  const YNode *at;   /* where the call is written: the tagged node, or the Fn:: key */
  const YNode *arg;
  bool short_form;
} Call;

static bool
find_call (CfnCtx *ctx, const YNode *node, bool conditions, bool ignore_tag, Call *call,
           bool *bad)
{
  *bad = false;
  if (node->tag != NULL && !ignore_tag)
    {
      const char *t = node->tag + 1;
      call->name = strcmp (t, "Ref") == 0 || strcmp (t, "Condition") == 0
                     ? g_strdup (t) : g_strconcat ("Fn::", t, NULL);
      call->shown = node->tag;
      call->arg = node;
      call->at = node;
      call->short_form = true;
      return true;
    }
  if (node->kind != YNODE_MAP)
    return false;
  for (guint i = 0; i < ynode_length (node); i++)
    {
      const char *k = ynode_map_key (node, i)->value;
      bool fn = g_str_has_prefix (k, "Fn::") || strcmp (k, "Ref") == 0
                || (conditions && strcmp (k, "Condition") == 0);
      if (!fn)
        continue;
      if (ynode_length (node) != 1)
        {
          cfn_fail (ctx, ynode_map_key (node, i),
                    "%s must be the only key of its mapping (this one has %u)", k,
                    ynode_length (node));
          *bad = true;
          return false;
        }
      call->name = g_strdup (k);
      call->shown = ynode_map_key (node, 0)->value;
      call->arg = ynode_item (node, 0);
      call->at = ynode_map_key (node, 0);
      call->short_form = false;
      return true;
    }
  return false;
}

static StratusCfnValue *eval (CfnCtx *ctx, const YNode *node, bool ignore_tag);

/* The argument of a call as a value (short form: the node without its tag). */
static StratusCfnValue *
eval_arg (CfnCtx *ctx, const Call *c)
{
  return eval (ctx, c->arg, c->short_form);
}

/* The argument as a list of exactly `n` nodes (or between n and max when max > n). */
static bool
arg_list (CfnCtx *ctx, const Call *c, guint n, guint max, const char *what)
{
  guint len = ynode_length (c->arg);
  bool seq = c->arg->kind == YNODE_SEQ && (c->short_form || c->arg->tag == NULL);
  if (!seq)
    {
      cfn_fail (ctx, c->arg, "%s takes a list [%s], not %s", c->shown, what,
                c->arg->tag && !c->short_form ? "a function" : ynode_kind_name (c->arg));
      return false;
    }
  if (len < n || len > MAX (n, max))
    {
      cfn_fail (ctx, c->arg, "%s takes a list [%s], not a list of %u", c->shown, what, len);
      return false;
    }
  return true;
}

static bool
is_scalar (const StratusCfnValue *v)
{
  return v->kind == STRATUS_CFN_STRING || v->kind == STRATUS_CFN_NUMBER
         || v->kind == STRATUS_CFN_BOOL;
}

static bool
is_symbolic (const StratusCfnValue *v)
{
  return v->kind == STRATUS_CFN_REF || v->kind == STRATUS_CFN_GETATT
         || v->kind == STRATUS_CFN_IMPORT || v->kind == STRATUS_CFN_CONCAT;
}

static const char *
value_kind_name (const StratusCfnValue *v)
{
  if (v == &cfn_no_value)
    return "AWS::NoValue";
  switch (v->kind)
    {
    case STRATUS_CFN_LIST:
      return "a list";
    case STRATUS_CFN_MAP:
      return "a mapping";
    case STRATUS_CFN_NULL:
      return "an empty value";
    case STRATUS_CFN_REF:
    case STRATUS_CFN_GETATT:
    case STRATUS_CFN_IMPORT:
    case STRATUS_CFN_CONCAT:
      return "a value known only at deploy time";
    default:
      return "a value";
    }
}

/* Evaluates `node` to a string known now; NULL with the error set otherwise. Owned. */
static char *
eval_string (CfnCtx *ctx, const YNode *node, bool ignore_tag, const char *what)
{
  StratusCfnValue *v = eval (ctx, node, ignore_tag);
  if (v == NULL)
    return NULL;
  char *s = NULL;
  if (is_scalar (v))
    s = g_strdup (v->text);
  else
    cfn_fail (ctx, node, "%s must be a string, not %s", what, value_kind_name (v));
  stratus_cfn_value_free (v);
  return s;
}

/* ---- Strings with parts known only at deploy time (Fn::Join, Fn::Sub) ---- */

typedef struct
{
  GString *literal;
  StratusCfnValue *concat; /* NULL until a symbolic part comes */
  const YNode *at;
} Parts;

static void
parts_flush (Parts *p)
{
  if (p->literal->len == 0 || p->concat == NULL)
    return;
  g_ptr_array_add (p->concat->items, cfn_value_string (p->literal->str, p->at));
  g_string_truncate (p->literal, 0);
}

static void
parts_add (Parts *p, const StratusCfnValue *v)
{
  if (is_scalar (v))
    {
      g_string_append (p->literal, v->text);
      return;
    }
  if (p->concat == NULL)
    p->concat = cfn_value_new (STRATUS_CFN_CONCAT, p->at);
  if (v->kind == STRATUS_CFN_CONCAT)
    {
      for (guint i = 0; i < v->items->len; i++)
        parts_add (p, g_ptr_array_index (v->items, i));
      return;
    }
  parts_flush (p);
  g_ptr_array_add (p->concat->items, stratus_cfn_value_copy (v));
}

static StratusCfnValue *
parts_finish (Parts *p)
{
  StratusCfnValue *v;
  if (p->concat == NULL)
    v = cfn_value_string (p->literal->str, p->at);
  else
    {
      parts_flush (p);
      v = p->concat;
      v->text = stratus_cfn_value_render (v);
    }
  g_string_free (p->literal, TRUE);
  return v;
}

/* ---- Ref ---- */

static const char *const pseudo_names[] = { "AWS::Region", "AWS::StackName", "AWS::AccountId",
                                            "AWS::NoValue", "AWS::Partition", "AWS::URLSuffix",
                                            "AWS::StackId", "AWS::NotificationARNs", NULL };

static StratusCfnValue *
ref_name (CfnCtx *ctx, const char *name, const YNode *at)
{
  StratusCfnTemplate *t = ctx->tmpl;
  if (strcmp (name, "AWS::NoValue") == 0)
    return &cfn_no_value;
  if (strcmp (name, "AWS::Region") == 0)
    return cfn_value_string (t->region, at);
  if (strcmp (name, "AWS::StackName") == 0)
    return cfn_value_string (t->stack_name, at);
  if (strcmp (name, "AWS::AccountId") == 0)
    return cfn_value_string (t->account_id, at);
  if (strcmp (name, "AWS::Partition") == 0)
    return cfn_value_string ("aws", at);
  if (strcmp (name, "AWS::URLSuffix") == 0)
    return cfn_value_string ("amazonaws.com", at);
  if (strcmp (name, "AWS::NotificationARNs") == 0)
    {
      StratusCfnValue *v = cfn_value_new (STRATUS_CFN_LIST, at);
      v->text = g_strdup ("");
      return v;
    }
  if (strcmp (name, "AWS::StackId") == 0)
    {
      StratusCfnValue *v = cfn_value_new (STRATUS_CFN_STRING, at);
      v->text = g_strdup_printf ("arn:aws:cloudformation:%s:%s:stack/%s/"
                                 "00000000-0000-0000-0000-000000000000",
                                 t->region, t->account_id, t->stack_name);
      return v;
    }
  const StratusCfnParameter *p = stratus_cfn_find_parameter (t, name);
  if (p != NULL)
    {
      StratusCfnValue *v = stratus_cfn_value_copy (p->value);
      v->file = at->file;
      v->line = at->line;
      v->column = at->column;
      return v;
    }
  if (ynode_map_get (ctx->resources, name) != NULL)
    {
      const char *cond = g_hash_table_lookup (ctx->excluded, name);
      if (cond != NULL)
        return cfn_fail (ctx, at, "'%s' refers to resource %s, which its condition '%s' (false) "
                         "leaves out", name, name, cond);
      StratusCfnValue *v = cfn_value_new (STRATUS_CFN_REF, at);
      v->text = g_strdup (name);
      return v;
    }
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < t->parameters->len; i++)
    g_ptr_array_add (names, ((StratusCfnParameter *) g_ptr_array_index (t->parameters, i))->name);
  for (guint i = 0; i < ynode_length (ctx->resources); i++)
    g_ptr_array_add (names, ynode_map_key (ctx->resources, i)->value);
  for (int i = 0; pseudo_names[i]; i++)
    g_ptr_array_add (names, (gpointer) pseudo_names[i]);
  g_ptr_array_add (names, NULL);
  const char *near = stratus_suggest (name, (const char *const *) names->pdata);
  if (g_str_has_prefix (name, "AWS::"))
    cfn_fail (ctx, at, "unknown pseudo parameter '%s'%s%s%s", name,
              near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
  else
    cfn_fail (ctx, at, "'%s' is neither a parameter nor a resource of the template%s%s%s", name,
              near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
  g_ptr_array_free (names, TRUE);
  return NULL;
}

static StratusCfnValue *
fn_ref (CfnCtx *ctx, const Call *c)
{
  if (c->arg->kind != YNODE_SCALAR || (!c->short_form && c->arg->tag != NULL))
    return cfn_fail (ctx, c->arg, "%s takes a name, not %s", c->shown,
                     c->arg->tag ? "a function" : ynode_kind_name (c->arg));
  return ref_name (ctx, c->arg->value, c->arg);
}

/* ---- Fn::GetAtt ---- */

static StratusCfnValue *
getatt (CfnCtx *ctx, const char *id, const char *attribute, const YNode *at)
{
  if (id[0] == '\0' || attribute[0] == '\0')
    return cfn_fail (ctx, at, "Fn::GetAtt takes a resource and an attribute (Resource.Attribute)");
  if (ynode_map_get (ctx->resources, id) == NULL)
    {
      GPtrArray *names = g_ptr_array_new ();
      for (guint i = 0; i < ynode_length (ctx->resources); i++)
        g_ptr_array_add (names, ynode_map_key (ctx->resources, i)->value);
      g_ptr_array_add (names, NULL);
      const char *near = stratus_suggest (id, (const char *const *) names->pdata);
      cfn_fail (ctx, at, "Fn::GetAtt: no resource '%s' in the template%s%s%s", id,
                near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
      g_ptr_array_free (names, TRUE);
      return NULL;
    }
  const char *cond = g_hash_table_lookup (ctx->excluded, id);
  if (cond != NULL)
    return cfn_fail (ctx, at, "Fn::GetAtt: resource %s is left out by its condition '%s' (false)",
                     id, cond);
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_GETATT, at);
  v->text = g_strdup (id);
  v->attribute = g_strdup (attribute);
  return v;
}

static StratusCfnValue *
fn_getatt (CfnCtx *ctx, const Call *c)
{
  const YNode *a = c->arg;
  if (a->kind == YNODE_SCALAR && c->short_form)
    {
      const char *dot = strchr (a->value, '.');
      if (dot == NULL)
        return cfn_fail (ctx, a, "%s takes Resource.Attribute, not '%s'", c->shown, a->value);
      char *id = g_strndup (a->value, (gsize) (dot - a->value));
      StratusCfnValue *v = getatt (ctx, id, dot + 1, a);
      g_free (id);
      return v;
    }
  if (!arg_list (ctx, c, 2, 2, "resource, attribute"))
    return NULL;
  const YNode *id = ynode_item (a, 0);
  if (id->kind != YNODE_SCALAR || id->tag != NULL)
    return cfn_fail (ctx, id, "%s: the resource must be a logical id", c->shown);
  char *attribute = eval_string (ctx, ynode_item (a, 1), false, "the attribute");
  if (attribute == NULL)
    return NULL;
  StratusCfnValue *v = getatt (ctx, id->value, attribute, c->short_form ? a : id);
  g_free (attribute);
  return v;
}

/* ---- Fn::Sub ---- */

static StratusCfnValue *
fn_sub (CfnCtx *ctx, const Call *c)
{
  const YNode *text_node = c->arg, *vars = NULL;
  if (c->arg->kind == YNODE_SEQ && (c->short_form || c->arg->tag == NULL))
    {
      if (!arg_list (ctx, c, 2, 2, "string, {variables}"))
        return NULL;
      text_node = ynode_item (c->arg, 0);
      vars = ynode_item (c->arg, 1);
      if (vars->kind != YNODE_MAP || vars->tag != NULL)
        return cfn_fail (ctx, vars, "%s: the variables must be a mapping", c->shown);
    }
  if (text_node->kind != YNODE_SCALAR || (text_node->tag != NULL && text_node != c->arg))
    return cfn_fail (ctx, text_node, "%s takes a string, not %s", c->shown,
                     text_node->tag ? "a function" : ynode_kind_name (text_node));
  Parts p = { g_string_new (NULL), NULL, c->short_form ? c->arg : text_node };
  const char *s = text_node->value;
  while (*s)
    {
      const char *open = strstr (s, "${");
      if (open == NULL)
        {
          g_string_append (p.literal, s);
          break;
        }
      g_string_append_len (p.literal, s, open - s);
      const char *close = strchr (open, '}');
      if (close == NULL)
        {
          stratus_cfn_value_free (parts_finish (&p));
          return cfn_fail (ctx, text_node, "%s: '${' without its '}'", c->shown);
        }
      s = close + 1;
      if (open[2] == '!')
        {
          g_string_append (p.literal, "${");
          g_string_append_len (p.literal, open + 3, close - open - 2);
          continue;
        }
      char *name = g_strstrip (g_strndup (open + 2, (gsize) (close - open - 2)));
      StratusCfnValue *v = NULL;
      const YNode *var = vars ? ynode_map_get (vars, name) : NULL;
      if (var != NULL)
        v = eval (ctx, var, false);
      else if (strchr (name, '.') != NULL)
        {
          char *dot = strchr (name, '.');
          *dot = '\0';
          v = getatt (ctx, name, dot + 1, text_node);
        }
      else
        v = ref_name (ctx, name, text_node);
      g_free (name);
      if (v != NULL && !is_scalar (v) && !is_symbolic (v))
        {
          cfn_fail (ctx, var ? var : text_node, "%s: '${%.*s}' is %s, not a string", c->shown,
                    (int) (close - open - 2), open + 2, value_kind_name (v));
          stratus_cfn_value_free (v);
          v = NULL;
        }
      if (v == NULL)
        {
          stratus_cfn_value_free (parts_finish (&p));
          return NULL;
        }
      parts_add (&p, v);
      stratus_cfn_value_free (v);
    }
  return parts_finish (&p);
}

/* ---- Fn::Join, Fn::Select, Fn::Split ---- */

static StratusCfnValue *
eval_list (CfnCtx *ctx, const YNode *node, const char *shown)
{
  StratusCfnValue *v = eval (ctx, node, false);
  if (v != NULL && v->kind != STRATUS_CFN_LIST)
    {
      cfn_fail (ctx, node, "%s needs a list here, not %s", shown, value_kind_name (v));
      stratus_cfn_value_free (v);
      return NULL;
    }
  return v;
}

static StratusCfnValue *
fn_join (CfnCtx *ctx, const Call *c)
{
  if (!arg_list (ctx, c, 2, 2, "delimiter, [values]"))
    return NULL;
  char *delim = eval_string (ctx, ynode_item (c->arg, 0), false, "the delimiter");
  if (delim == NULL)
    return NULL;
  StratusCfnValue *list = eval_list (ctx, ynode_item (c->arg, 1), c->shown);
  if (list == NULL)
    {
      g_free (delim);
      return NULL;
    }
  Parts p = { g_string_new (NULL), NULL, c->short_form ? c->arg : c->arg };
  bool ok = true;
  for (guint i = 0; i < list->items->len && ok; i++)
    {
      StratusCfnValue *item = g_ptr_array_index (list->items, i);
      if (!is_scalar (item) && !is_symbolic (item))
        {
          const YNode at = { .file = item->file, .line = item->line, .column = item->column };
          cfn_fail (ctx, &at, "%s: item %u is %s, not a string", c->shown, i,
                    value_kind_name (item));
          ok = false;
          break;
        }
      if (i > 0)
        g_string_append (p.literal, delim);
      parts_add (&p, item);
    }
  StratusCfnValue *v = parts_finish (&p);
  g_free (delim);
  stratus_cfn_value_free (list);
  if (!ok)
    {
      stratus_cfn_value_free (v);
      return NULL;
    }
  return v;
}

static StratusCfnValue *
fn_select (CfnCtx *ctx, const Call *c)
{
  if (!arg_list (ctx, c, 2, 2, "index, [values]"))
    return NULL;
  const YNode *index_node = ynode_item (c->arg, 0);
  char *index_text = eval_string (ctx, index_node, false, "the index");
  if (index_text == NULL)
    return NULL;
  char *end = NULL;
  guint64 index = g_ascii_strtoull (index_text, &end, 10);
  bool bad = !g_ascii_isdigit (index_text[0]) || *end != '\0';
  g_free (index_text);
  if (bad)
    return cfn_fail (ctx, index_node, "%s: the index must be a whole number from 0", c->shown);
  StratusCfnValue *list = eval_list (ctx, ynode_item (c->arg, 1), c->shown);
  if (list == NULL)
    return NULL;
  StratusCfnValue *v = NULL;
  if (index >= list->items->len)
    cfn_fail (ctx, index_node, "%s: index %" G_GUINT64_FORMAT " is past the end of a list of %u",
              c->shown, index, list->items->len);
  else
    v = stratus_cfn_value_copy (g_ptr_array_index (list->items, index));
  stratus_cfn_value_free (list);
  return v;
}

static StratusCfnValue *
fn_split (CfnCtx *ctx, const Call *c)
{
  if (!arg_list (ctx, c, 2, 2, "delimiter, string"))
    return NULL;
  char *delim = eval_string (ctx, ynode_item (c->arg, 0), false, "the delimiter");
  if (delim == NULL)
    return NULL;
  if (delim[0] == '\0')
    {
      g_free (delim);
      return cfn_fail (ctx, ynode_item (c->arg, 0), "%s: the delimiter is empty", c->shown);
    }
  char *text = eval_string (ctx, ynode_item (c->arg, 1), false, "the string to split");
  if (text == NULL)
    {
      g_free (delim);
      return NULL;
    }
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_LIST, c->arg);
  v->text = g_strdup ("");
  char **pieces = g_strsplit (text, delim, -1);
  for (int i = 0; pieces[i]; i++)
    g_ptr_array_add (v->items, cfn_value_string (pieces[i], c->arg));
  g_strfreev (pieces);
  g_free (text);
  g_free (delim);
  return v;
}

/* ---- Fn::GetAZs, Fn::FindInMap, Fn::If, Fn::Base64, Fn::ImportValue, Fn::Cidr ---- */



static StratusCfnValue *
fn_getazs (CfnCtx *ctx, const Call *c)
{
  /* `!GetAZs` with nothing after it, like "", is the template's region. */
  char *region = c->arg->kind == YNODE_SCALAR && ynode_is_null (c->arg)
                   ? g_strdup ("")
                   : eval_string (ctx, c->arg, c->short_form, "the region");
  if (region == NULL)
    return NULL;
  const char *name = region[0] ? region : ctx->tmpl->region;
  const char *const *azs = stratus_cfn_region_azs (name);
  StratusCfnValue *v = NULL;
  if (azs == NULL)
    {
      char *known = cfn_known_regions ();
      cfn_fail (ctx, c->arg, "%s: no AZ table for region '%s' (known: %s)", c->shown, name, known);
      g_free (known);
    }
  else
    {
      v = cfn_value_new (STRATUS_CFN_LIST, c->arg);
      v->text = g_strdup ("");
      for (int i = 0; azs[i]; i++)
        g_ptr_array_add (v->items, cfn_value_string (azs[i], c->arg));
    }
  g_free (region);
  return v;
}

/* The node under `key` of `map` (a level of the Mappings, found as the `what` of
 * Fn::FindInMap); NULL with the error at `at` when `map` is not a mapping or lacks it. */
static const YNode *
map_lookup (CfnCtx *ctx, const YNode *map, const char *key, const YNode *at, const char *what)
{
  if (map->kind != YNODE_MAP)
    return cfn_fail (ctx, at, "Fn::FindInMap: where the %s '%s' should be, the Mappings hold "
                     "%s, not a mapping", what, key, ynode_kind_name (map));
  const YNode *v = ynode_map_get (map, key);
  if (v != NULL)
    return v;
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < ynode_length (map); i++)
    if (ynode_map_key (map, i)->value != NULL)
      g_ptr_array_add (names, ynode_map_key (map, i)->value);
  g_ptr_array_add (names, NULL);
  const char *near = stratus_suggest (key, (const char *const *) names->pdata);
  cfn_fail (ctx, at, "Fn::FindInMap: no %s '%s'%s%s%s", what, key,
            near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
  g_ptr_array_free (names, TRUE);
  return NULL;
}

static StratusCfnValue *
fn_findinmap (CfnCtx *ctx, const Call *c)
{
  if (!arg_list (ctx, c, 3, 3, "map, top-level key, second-level key"))
    return NULL;
  char *keys[3] = { NULL, NULL, NULL };
  for (int i = 0; i < 3; i++)
    if ((keys[i] = eval_string (ctx, ynode_item (c->arg, (guint) i), false, "a key")) == NULL)
      goto done;
  const YNode *node = NULL;
  if (ctx->mappings == NULL)
    cfn_fail (ctx, ynode_item (c->arg, 0), "%s: the template has no Mappings", c->shown);
  else if ((node = map_lookup (ctx, ctx->mappings, keys[0], ynode_item (c->arg, 0), "mapping"))
           && (node = map_lookup (ctx, node, keys[1], ynode_item (c->arg, 1), "top-level key"))
           && (node = map_lookup (ctx, node, keys[2], ynode_item (c->arg, 2),
                                  "second-level key")))
    {
      StratusCfnValue *v = cfn_value_from_literal (node);
      for (int i = 0; i < 3; i++)
        g_free (keys[i]);
      return v;
    }
done:
  for (int i = 0; i < 3; i++)
    g_free (keys[i]);
  return NULL;
}

static StratusCfnValue *
fn_if (CfnCtx *ctx, const Call *c)
{
  if (!arg_list (ctx, c, 3, 3, "condition, value if true, value if false"))
    return NULL;
  const YNode *name = ynode_item (c->arg, 0);
  if (name->kind != YNODE_SCALAR || name->tag != NULL)
    return cfn_fail (ctx, name, "%s: the first item must be a condition's name", c->shown);
  int truth = cfn_condition (ctx, name->value, name);
  if (truth < 0)
    return NULL;
  return eval (ctx, ynode_item (c->arg, truth ? 1 : 2), false);
}

static StratusCfnValue *
fn_base64 (CfnCtx *ctx, const Call *c)
{
  StratusCfnValue *v = eval_arg (ctx, c);
  if (v == NULL)
    return NULL;
  if (is_scalar (v))
    {
      v->plain = v->text;
      v->text = g_base64_encode ((const guchar *) v->plain, strlen (v->plain));
      v->kind = STRATUS_CFN_STRING;
    }
  else if (!is_symbolic (v))
    {
      cfn_fail (ctx, c->arg, "%s takes a string, not %s", c->shown, value_kind_name (v));
      stratus_cfn_value_free (v);
      return NULL;
    }
  v->base64 = true;
  v->file = c->arg->file;
  v->line = c->arg->line;
  v->column = c->arg->column;
  return v;
}

static StratusCfnValue *
fn_importvalue (CfnCtx *ctx, const Call *c)
{
  StratusCfnValue *name = eval_arg (ctx, c);
  if (name == NULL)
    return NULL;
  if (!is_scalar (name) && name->kind != STRATUS_CFN_CONCAT)
    {
      cfn_fail (ctx, c->arg, "%s takes an export's name, not %s", c->shown,
                value_kind_name (name));
      stratus_cfn_value_free (name);
      return NULL;
    }
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_IMPORT, c->arg);
  v->text = g_strdup (name->text);
  stratus_cfn_value_free (name);
  g_ptr_array_add (ctx->tmpl->warnings,
                   g_strdup_printf ("%s:%d:%d: %s '%s': another stack's export cannot be read "
                                    "here; kept as a symbolic import", c->arg->file,
                                    c->arg->line, c->arg->column, c->shown, v->text));
  return v;
}

static StratusCfnValue *
fn_cidr (CfnCtx *ctx, const Call *c)
{
  if (!arg_list (ctx, c, 3, 3, "ip block, count, cidr bits"))
    return NULL;
  char *args[3] = { NULL, NULL, NULL };
  StratusCfnValue *v = NULL;
  for (int i = 0; i < 3; i++)
    if ((args[i] = eval_string (ctx, ynode_item (c->arg, (guint) i), false,
                                i == 0 ? "the ip block" : "a number")) == NULL)
      goto done;
  StratusCidr block;
  GError *cidr_error = NULL;
  if (!stratus_cidr_parse (args[0], &block, &cidr_error))
    {
      cfn_fail (ctx, ynode_item (c->arg, 0), "%s: %s", c->shown, cidr_error->message);
      g_error_free (cidr_error);
      goto done;
    }
  char *end1 = NULL, *end2 = NULL;
  guint64 count = g_ascii_strtoull (args[1], &end1, 10);
  guint64 bits = g_ascii_strtoull (args[2], &end2, 10);
  if (*end1 != '\0' || count < 1 || count > 256)
    {
      cfn_fail (ctx, ynode_item (c->arg, 1), "%s: the count must be from 1 to 256", c->shown);
      goto done;
    }
  if (*end2 != '\0' || bits < 1 || bits > 32u - block.prefix)
    {
      cfn_fail (ctx, ynode_item (c->arg, 2), "%s: the cidr bits must be from 1 to %u for a /%u",
                c->shown, 32u - block.prefix, block.prefix);
      goto done;
    }
  if (count > (G_GUINT64_CONSTANT (1) << (32u - block.prefix - bits)))
    {
      cfn_fail (ctx, ynode_item (c->arg, 1), "%s: %s holds only %" G_GUINT64_FORMAT
                " blocks of /%" G_GUINT64_FORMAT, c->shown, args[0],
                G_GUINT64_CONSTANT (1) << (32u - block.prefix - bits), 32u - bits);
      goto done;
    }
  v = cfn_value_new (STRATUS_CFN_LIST, c->arg);
  v->text = g_strdup ("");
  for (guint64 i = 0; i < count; i++)
    {
      StratusCidr sub = { .address = block.address + (uint32_t) (i << bits),
                          .prefix = (uint8_t) (32u - bits) };
      StratusCfnValue *item = cfn_value_new (STRATUS_CFN_STRING, c->arg);
      item->text = stratus_cidr_format (sub);
      g_ptr_array_add (v->items, item);
    }
done:
  for (int i = 0; i < 3; i++)
    g_free (args[i]);
  return v;
}

/* ---- Conditions ---- */

static int eval_condition (CfnCtx *ctx, const YNode *node);

static int
condition_call (CfnCtx *ctx, const Call *c)
{
  if (strcmp (c->name, "Condition") == 0)
    {
      if (c->arg->kind != YNODE_SCALAR || (!c->short_form && c->arg->tag != NULL))
        {
          cfn_fail (ctx, c->arg, "%s takes a condition's name", c->shown);
          return -1;
        }
      return cfn_condition (ctx, c->arg->value, c->arg);
    }
  if (strcmp (c->name, "Fn::Equals") == 0)
    {
      if (!arg_list (ctx, c, 2, 2, "value, value"))
        return -1;
      StratusCfnValue *a = eval (ctx, ynode_item (c->arg, 0), false);
      StratusCfnValue *b = a ? eval (ctx, ynode_item (c->arg, 1), false) : NULL;
      int result = -1;
      if (a != NULL && b != NULL)
        {
          if (is_symbolic (a) || is_symbolic (b))
            cfn_fail (ctx, ynode_item (c->arg, is_symbolic (a) ? 0 : 1),
                      "%s: a condition cannot depend on a resource or an import", c->shown);
          else
            {
              char *ra = stratus_cfn_value_render (a), *rb = stratus_cfn_value_render (b);
              result = strcmp (ra, rb) == 0;
              g_free (ra);
              g_free (rb);
            }
        }
      stratus_cfn_value_free (a);
      stratus_cfn_value_free (b);
      return result;
    }
  if (strcmp (c->name, "Fn::Not") == 0)
    {
      if (!arg_list (ctx, c, 1, 1, "condition"))
        return -1;
      int r = eval_condition (ctx, ynode_item (c->arg, 0));
      return r < 0 ? -1 : !r;
    }
  if (strcmp (c->name, "Fn::And") == 0 || strcmp (c->name, "Fn::Or") == 0)
    {
      bool and = strcmp (c->name, "Fn::And") == 0;
      if (!arg_list (ctx, c, 2, 10, "condition, condition, ... (2 to 10)"))
        return -1;
      int result = and ? 1 : 0;
      for (guint i = 0; i < ynode_length (c->arg); i++)
        {
          int r = eval_condition (ctx, ynode_item (c->arg, i));
          if (r < 0)
            return -1;
          result = and ? (result && r) : (result || r);
        }
      return result;
    }
  cfn_fail (ctx, c->short_form ? c->arg : c->arg,
            "%s cannot decide a condition (use Fn::Equals, Fn::Not, Fn::And, Fn::Or or "
            "Condition)", c->shown);
  return -1;
}

static int
eval_condition (CfnCtx *ctx, const YNode *node)
{
  Call c = { 0 };
  bool bad;
  if (!find_call (ctx, node, true, false, &c, &bad))
    {
      if (!bad)
        cfn_fail (ctx, node, "a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or "
                  "Condition, not %s", ynode_kind_name (node));
      return -1;
    }
  int r = condition_call (ctx, &c);
  g_free (c.name);
  return r;
}

int
cfn_condition (CfnCtx *ctx, const char *name, const YNode *at)
{
  const YNode *node = ctx->conditions ? ynode_map_get (ctx->conditions, name) : NULL;
  if (node == NULL)
    {
      GPtrArray *names = g_ptr_array_new ();
      for (guint i = 0; ctx->conditions && i < ynode_length (ctx->conditions); i++)
        g_ptr_array_add (names, ynode_map_key (ctx->conditions, i)->value);
      g_ptr_array_add (names, NULL);
      const char *near = stratus_suggest (name, (const char *const *) names->pdata);
      cfn_fail (ctx, at, "no condition '%s' in the template's Conditions%s%s%s", name,
                near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
      g_ptr_array_free (names, TRUE);
      return -1;
    }
  CfnCondState state = GPOINTER_TO_INT (g_hash_table_lookup (ctx->cond_state, name));
  if (state == CFN_COND_TRUE || state == CFN_COND_FALSE)
    return state == CFN_COND_TRUE;
  if (state == CFN_COND_VISITING)
    {
      cfn_fail (ctx, at, "condition '%s' depends on itself (a circular chain of conditions)",
                name);
      return -1;
    }
  g_hash_table_insert (ctx->cond_state, g_strdup (name), GINT_TO_POINTER (CFN_COND_VISITING));
  int r = eval_condition (ctx, node);
  if (r < 0)
    return -1;
  g_hash_table_insert (ctx->cond_state, g_strdup (name),
                       GINT_TO_POINTER (r ? CFN_COND_TRUE : CFN_COND_FALSE));
  return r;
}

/* ---- Evaluation ---- */

static StratusCfnValue *
call (CfnCtx *ctx, const Call *c)
{
  static const struct
  {
    const char *name;
    StratusCfnValue *(*fn) (CfnCtx *, const Call *);
  } table[] = {
    { "Ref", fn_ref },           { "Fn::GetAtt", fn_getatt },   { "Fn::Sub", fn_sub },
    { "Fn::Join", fn_join },     { "Fn::Select", fn_select },   { "Fn::Split", fn_split },
    { "Fn::GetAZs", fn_getazs }, { "Fn::FindInMap", fn_findinmap }, { "Fn::If", fn_if },
    { "Fn::Base64", fn_base64 }, { "Fn::ImportValue", fn_importvalue }, { "Fn::Cidr", fn_cidr },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (table[i].name, c->name) == 0)
      return table[i].fn (ctx, c);
  const YNode *at = c->at;
  if (strcmp (c->name, "Fn::Equals") == 0 || strcmp (c->name, "Fn::Not") == 0
      || strcmp (c->name, "Fn::And") == 0 || strcmp (c->name, "Fn::Or") == 0
      || strcmp (c->name, "Condition") == 0)
    return cfn_fail (ctx, at, "%s can be used only in Conditions (and in Fn::If's condition "
                     "there)", c->shown);
  static const char *const known[] = { "!Ref", "!GetAtt", "!Sub", "!Join", "!Select", "!Split",
                                       "!GetAZs", "!FindInMap", "!If", "!Base64",
                                       "!ImportValue", "!Cidr", "!Equals", "!Not", "!And",
                                       "!Or", "!Condition", NULL };
  char *as_tag = g_str_has_prefix (c->name, "Fn::") ? g_strconcat ("!", c->name + 4, NULL)
                                                     : g_strconcat ("!", c->name, NULL);
  const char *near = stratus_suggest (as_tag, known);
  char *hint = near == NULL ? g_strdup ("")
               : c->short_form ? g_strdup_printf (" (did you mean '%s'?)", near)
               : strcmp (near, "!Ref") == 0 || strcmp (near, "!Condition") == 0
                 ? g_strdup_printf (" (did you mean '%s'?)", near + 1)
                 : g_strdup_printf (" (did you mean 'Fn::%s'?)", near + 1);
  cfn_fail (ctx, at, "unknown function '%s'%s", c->shown, hint);
  g_free (hint);
  g_free (as_tag);
  return NULL;
}

static StratusCfnValue *
eval (CfnCtx *ctx, const YNode *node, bool ignore_tag)
{
  Call c = { 0 };
  bool bad = false;
  if (find_call (ctx, node, false, ignore_tag, &c, &bad))
    {
      StratusCfnValue *v = call (ctx, &c);
      g_free (c.name);
      return v;
    }
  if (bad)
    return NULL;
  if (node->kind == YNODE_SCALAR)
    return cfn_value_from_literal (node);
  StratusCfnValue *v = cfn_value_new (node->kind == YNODE_MAP ? STRATUS_CFN_MAP
                                                              : STRATUS_CFN_LIST, node);
  v->text = g_strdup ("");
  for (guint i = 0; i < ynode_length (node); i++)
    {
      StratusCfnValue *item = eval (ctx, ynode_item (node, i), false);
      if (item == NULL)
        {
          stratus_cfn_value_free (v);
          return NULL;
        }
      if (item == &cfn_no_value)
        continue;
      if (node->kind == YNODE_MAP)
        g_ptr_array_add (v->keys, g_strdup (ynode_map_key (node, i)->value));
      g_ptr_array_add (v->items, item);
    }
  return v;
}

StratusCfnValue *
cfn_eval (CfnCtx *ctx, const YNode *node)
{
  return eval (ctx, node, false);
}
