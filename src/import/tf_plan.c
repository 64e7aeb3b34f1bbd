/* Terraform plans (issue 14): `terraform show -json plan.out` read into a
 * StratusCfnTemplate. This file reads the plan (resource_changes, else planned_values),
 * indexes the configuration's expressions, names the resources and resolves references;
 * tf_resources.c translates each type. docs/import.md describes what is read. */
#include <string.h>

#include "stratus/scenario.h"
#include "tf_internal.h"

/* ---- Values ---- */

StratusCfnValue *
tf_map (const YNode *at)
{
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_MAP, at);
  v->text = g_strdup ("");
  return v;
}

StratusCfnValue *
tf_list (const YNode *at)
{
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_LIST, at);
  v->text = g_strdup ("");
  return v;
}

StratusCfnValue *
tf_ref (const char *logical_id, const YNode *at)
{
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_REF, at);
  v->text = g_strdup (logical_id);
  return v;
}

StratusCfnValue *
tf_str (const char *text, const YNode *at)
{
  return cfn_value_string (text, at);
}

StratusCfnValue *
tf_num (double number, const YNode *at)
{
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_NUMBER, at);
  v->number = number;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  v->text = g_strdup (g_ascii_dtostr (buf, sizeof buf, number));
  return v;
}

void
tf_put (StratusCfnValue *map, const char *key, StratusCfnValue *value)
{
  if (value == NULL)
    return;
  g_ptr_array_add (map->keys, g_strdup (key));
  g_ptr_array_add (map->items, value);
}

/* ---- Views ---- */

static const YNode *
child (const YNode *node, const char *key)
{
  return node != NULL && node->kind == YNODE_MAP ? ynode_map_get (node, key) : NULL;
}

/* Item i of a list; a map (or an unknown `true`) stands for every item. */
static const YNode *
item (const YNode *node, guint i)
{
  if (node == NULL)
    return NULL;
  if (node->kind == YNODE_SEQ)
    return i < ynode_length (node) ? ynode_item (node, i) : NULL;
  return node;
}

TfView
tf_block (TfView v, const char *key, guint i)
{
  const YNode *u = v.unknown;
  TfView b = {
    .after = item (child (v.after, key), i),
    .unknown = u != NULL && u->kind == YNODE_SCALAR ? u : item (child (u, key), i),
    .expr = item (child (v.expr, key), i),
  };
  return b;
}

TfView
tf_sub (TfView v, const char *key)
{
  return tf_block (v, key, 0);
}

guint
tf_block_count (TfView v, const char *key)
{
  const YNode *a = child (v.after, key);
  if (a != NULL && a->kind == YNODE_SEQ)
    return ynode_length (a);
  if (a != NULL && a->kind == YNODE_MAP)
    return 1;
  const YNode *e = child (v.expr, key);
  return e != NULL && e->kind == YNODE_SEQ ? ynode_length (e) : 0;
}

const char *
tf_text (TfView v, const char *key)
{
  const YNode *a = child (v.after, key);
  return a != NULL && a->kind == YNODE_SCALAR && !ynode_is_null (a) ? a->value : NULL;
}

static bool
contains_true (const YNode *node)
{
  if (node == NULL)
    return false;
  if (node->kind == YNODE_SCALAR)
    return strcmp (node->value, "true") == 0;
  for (guint i = 0; i < ynode_length (node); i++)
    if (contains_true (ynode_item (node, i)))
      return true;
  return false;
}

/* ---- References ---- */

static void
add_id (GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (strcmp (g_ptr_array_index (ids, i), id) == 0)
      return;
  g_ptr_array_add (ids, (gpointer) id);
}

/* Splits "aws_subnet.public[0].id" into base "aws_subnet.public" and index "0" (NULL when
 * none); false for what is not a managed resource (var., local., data., module. ...). */
static bool
parse_ref (const char *ref, char **base, char **index)
{
  static const char *const skip[] = { "var.", "local.", "count.", "each.", "path.", "self.",
                                      "data.", "module.", "terraform.", NULL };
  for (guint i = 0; skip[i]; i++)
    if (g_str_has_prefix (ref, skip[i]))
      return false;
  const char *dot = strchr (ref, '.');
  if (dot == NULL)
    return false;
  const char *end = dot + 1 + strcspn (dot + 1, ".[");
  *base = g_strndup (ref, end - ref);
  *index = NULL;
  if (*end == '[')
    {
      const char *close = strchr (end, ']');
      if (close != NULL)
        *index = g_strndup (end + 1, close - end - 1);
    }
  return true;
}

static void collect_refs (TfCtx *ctx, const TfRes *r, const char *prefix, const YNode *refs,
                          GPtrArray *ids, int depth);

/* "module.NAME.OUTPUT..." seen from module `prefix`: the output's expression's references,
 * resolved inside module NAME. True when `ref` names a module (whether or not it resolves). */
static bool
follow_module_output (TfCtx *ctx, const TfRes *r, const char *prefix, const char *ref,
                      GPtrArray *ids, int depth)
{
  if (!g_str_has_prefix (ref, "module."))
    return false;
  const char *name = ref + strlen ("module.");
  const char *dot = strchr (name, '.');
  if (dot == NULL)
    return true; /* "module.net" alone: the whole module, printed next to its outputs */
  char *inner = g_strdup_printf ("%smodule.%.*s.", prefix, (int) (dot - name), name);
  char *output = g_strndup (dot + 1, strcspn (dot + 1, ".["));
  const YNode *module = g_hash_table_lookup (ctx->modules, inner);
  const YNode *expr = child (child (child (module, "outputs"), output), "expression");
  collect_refs (ctx, r, inner, child (expr, "references"), ids, depth + 1);
  g_free (output);
  g_free (inner);
  return true;
}

/* "var.NAME" inside a child module `prefix`: the references of the argument its caller
 * gives (module_calls.<name>.expressions.NAME), resolved in the caller. True when `ref`
 * is a variable. */
static bool
follow_module_variable (TfCtx *ctx, const TfRes *r, const char *prefix, const char *ref,
                        GPtrArray *ids, int depth)
{
  if (!g_str_has_prefix (ref, "var."))
    return false;
  const YNode *call = g_hash_table_lookup (ctx->calls, prefix);
  if (call == NULL)
    return true; /* the root module's variables hold values, not resources */
  char *var = g_strndup (ref + strlen ("var."), strcspn (ref + strlen ("var."), ".["));
  /* The caller's prefix: `prefix` without its last "module.NAME.". */
  size_t len = strlen (prefix);
  size_t cut = len >= 2 ? len - 2 : 0;
  while (cut > 0 && !g_str_has_prefix (prefix + cut, "module."))
    cut--;
  char *outer = g_strndup (prefix, cut);
  collect_refs (ctx, r, outer, child (child (child (call, "expressions"), var), "references"),
                ids, depth + 1);
  g_free (outer);
  g_free (var);
  return true;
}

/* Adds to `ids` the logical ids that `refs` (a list of references written in module
 * `prefix`) name, each once, following module outputs and module variables. */
static void
collect_refs (TfCtx *ctx, const TfRes *r, const char *prefix, const YNode *refs,
              GPtrArray *ids, int depth)
{
  if (refs == NULL || refs->kind != YNODE_SEQ || depth > 16)
    return;
  bool count_index = false;
  GHashTable *indexed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < ynode_length (refs); i++)
    {
      const char *ref = ynode_item (refs, i)->value;
      if (ref == NULL)
        continue;
      if (strcmp (ref, "count.index") == 0 || strcmp (ref, "each.key") == 0)
        count_index = depth == 0;
      char *base, *index;
      if (parse_ref (ref, &base, &index))
        {
          if (index != NULL)
            g_hash_table_add (indexed, base);
          else
            g_free (base);
          g_free (index);
        }
    }
  for (guint i = 0; i < ynode_length (refs); i++)
    {
      const char *ref = ynode_item (refs, i)->value;
      char *base = NULL, *index = NULL;
      if (ref == NULL || follow_module_output (ctx, r, prefix, ref, ids, depth)
          || follow_module_variable (ctx, r, prefix, ref, ids, depth)
          || !parse_ref (ref, &base, &index))
        continue;
      char *full = g_strconcat (prefix, base, NULL);
      if (index != NULL)
        {
          char *addr = g_strdup_printf ("%s[%s]", full, index);
          const TfRes *t = g_hash_table_lookup (ctx->by_addr, addr);
          if (t != NULL)
            add_id (ids, t->logical_id);
          g_free (addr);
        }
      else if (!g_hash_table_contains (indexed, base))
        {
          GPtrArray *all = g_hash_table_lookup (ctx->by_base, full);
          const TfRes *same = NULL;
          if (all != NULL && count_index && r->index != NULL)
            {
              char *addr = g_strdup_printf ("%s[%s]", full, r->index);
              same = g_hash_table_lookup (ctx->by_addr, addr);
              g_free (addr);
            }
          if (same != NULL)
            add_id (ids, same->logical_id);
          else
            for (guint j = 0; all != NULL && j < all->len; j++)
              add_id (ids, ((const TfRes *) g_ptr_array_index (all, j))->logical_id);
        }
      g_free (full);
      g_free (base);
      g_free (index);
    }
  g_hash_table_unref (indexed);
}

/* The logical ids `expr`'s references name (not owned), in order, each once. */
static GPtrArray *
resolve_refs (TfCtx *ctx, const TfRes *r, const YNode *refs)
{
  GPtrArray *ids = g_ptr_array_new ();
  collect_refs (ctx, r, r->module, refs, ids, 0);
  return ids;
}

StratusCfnValue *
tf_get (TfCtx *ctx, const TfRes *r, TfView v, const char *key, bool prefer_ref)
{
  const YNode *after = child (v.after, key);
  const YNode *unknown = v.unknown != NULL && v.unknown->kind == YNODE_SCALAR
                           ? v.unknown : child (v.unknown, key);
  const YNode *expr = child (v.expr, key);
  const YNode *at = after ? after : expr ? expr : r->at;
  bool known = after != NULL && !ynode_is_null (after) && !contains_true (unknown);
  GPtrArray *ids = resolve_refs (ctx, r, child (expr, "references"));
  StratusCfnValue *value = NULL;
  if (ids->len > 0 && (prefer_ref || !known))
    {
      bool many = ids->len > 1 || (after != NULL && after->kind == YNODE_SEQ)
                  || (unknown != NULL && unknown->kind == YNODE_SEQ);
      if (many)
        {
          value = tf_list (at);
          for (guint i = 0; i < ids->len; i++)
            g_ptr_array_add (value->items, tf_ref (g_ptr_array_index (ids, i), at));
        }
      else
        value = tf_ref (g_ptr_array_index (ids, 0), at);
    }
  else if (known)
    value = cfn_value_from_literal (after);
  else if (child (expr, "constant_value") != NULL && !ynode_is_null (child (expr, "constant_value")))
    value = cfn_value_from_literal (child (expr, "constant_value")); /* a block unknown as a whole */
  g_ptr_array_unref (ids);
  return value;
}

StratusCfnValue *
tf_get_list (TfCtx *ctx, const TfRes *r, TfView v, const char *key, bool prefer_ref)
{
  StratusCfnValue *value = tf_get (ctx, r, v, key, prefer_ref);
  if (value == NULL || value->kind == STRATUS_CFN_LIST)
    return value;
  StratusCfnValue *list = tf_list (NULL);
  list->file = value->file;
  list->line = value->line;
  list->column = value->column;
  g_ptr_array_add (list->items, value);
  return list;
}

void
tf_copy (TfCtx *ctx, const TfRes *r, TfView v, StratusCfnValue *map, const char *cfn_key,
         const char *tf_key, bool prefer_ref)
{
  tf_put (map, cfn_key, tf_get (ctx, r, v, tf_key, prefer_ref));
}

/* ---- Resources ---- */

char *
stratus_tf_logical_id (const char *address)
{
  GString *s = g_string_new ("");
  bool start = true;
  for (const char *p = address; *p; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          start = true;
          continue;
        }
      g_string_append_c (s, start ? g_ascii_toupper (*p) : *p);
      start = false;
    }
  if (s->len == 0)
    g_string_append (s, "Resource");
  return g_string_free (s, FALSE);
}

static void
tf_resource_free (StratusCfnResource *r)
{
  g_free (r->logical_id);
  g_free (r->type);
  g_free (r->condition);
  g_ptr_array_unref (r->depends_on);
  stratus_cfn_value_free (r->properties);
  g_free (r);
}

/* `id`, or id2, id3 ... when taken; owned by ctx->ids. */
static const char *
unique_id (TfCtx *ctx, const char *id)
{
  char *candidate = g_strdup (id);
  for (int n = 2; g_hash_table_contains (ctx->ids, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s%d", id, n);
    }
  g_hash_table_add (ctx->ids, candidate);
  return candidate;
}

StratusCfnValue *
tf_emit (TfCtx *ctx, const TfRes *r, const char *suffix, const char *type)
{
  StratusCfnResource *res = g_new0 (StratusCfnResource, 1);
  char *id = g_strconcat (r->logical_id, suffix, NULL);
  /* The resource's own id was reserved when it was named. */
  res->logical_id = g_strdup (suffix[0] == '\0' ? id : unique_id (ctx, id));
  g_free (id);
  res->type = g_strdup (type);
  res->file = r->at->file;
  res->line = r->at->line;
  res->column = r->at->column;
  res->depends_on = g_ptr_array_new_with_free_func (g_free);
  res->properties = tf_map (r->at);
  g_ptr_array_add (ctx->tmpl->resources, res);
  return res->properties;
}

static void
tf_res_free (TfRes *r)
{
  g_free (r->address);
  g_free (r->module);
  g_free (r->type);
  g_free (r->name);
  g_free (r->index);
  g_free (r->logical_id);
  g_free (r);
}

/* ---- Reading the plan ---- */

/* Configuration resources by full address ("module.net.aws_subnet.public"); each module's
 * configuration (ctx->modules) and call (ctx->calls) by its prefix ("module.net."). */
static void
index_config (TfCtx *ctx, GHashTable *config, const YNode *module, const char *prefix,
              const YNode *call, int depth)
{
  if (module == NULL || depth > 32)
    return;
  g_hash_table_insert (ctx->modules, g_strdup (prefix), (gpointer) module);
  if (call != NULL)
    g_hash_table_insert (ctx->calls, g_strdup (prefix), (gpointer) call);
  const YNode *resources = child (module, "resources");
  for (guint i = 0; resources && resources->kind == YNODE_SEQ && i < ynode_length (resources); i++)
    {
      const YNode *res = ynode_item (resources, i);
      const YNode *addr = child (res, "address");
      if (addr != NULL && addr->kind == YNODE_SCALAR)
        g_hash_table_insert (config, g_strconcat (prefix, addr->value, NULL), (gpointer) res);
    }
  const YNode *calls = child (module, "module_calls");
  for (guint i = 0; calls && calls->kind == YNODE_MAP && i < ynode_length (calls); i++)
    {
      char *p = g_strdup_printf ("%smodule.%s.", prefix, ynode_map_key (calls, i)->value);
      index_config (ctx, config, child (ynode_item (calls, i), "module"), p,
                    ynode_item (calls, i), depth + 1);
      g_free (p);
    }
}

static const char *
scalar (const YNode *node, const char *key)
{
  const YNode *c = child (node, key);
  return c != NULL && c->kind == YNODE_SCALAR && !ynode_is_null (c) ? c->value : NULL;
}

/* Adds the resource an entry of resource_changes or planned_values describes. */
static void
add_res (TfCtx *ctx, GHashTable *config, const YNode *entry, const char *module_address,
         const YNode *after, const YNode *unknown)
{
  const char *mode = scalar (entry, "mode"), *type = scalar (entry, "type");
  const char *name = scalar (entry, "name"), *address = scalar (entry, "address");
  if ((mode != NULL && strcmp (mode, "managed") != 0) || type == NULL || name == NULL
      || address == NULL || after == NULL || after->kind != YNODE_MAP)
    return;
  TfRes *r = g_new0 (TfRes, 1);
  r->address = g_strdup (address);
  r->module = module_address ? g_strconcat (module_address, ".", NULL) : g_strdup ("");
  r->type = g_strdup (type);
  r->name = g_strdup (name);
  const YNode *index = child (entry, "index");
  if (index != NULL && index->kind == YNODE_SCALAR && !ynode_is_null (index))
    r->index = index->quoted ? g_strdup_printf ("\"%s\"", index->value) : g_strdup (index->value);
  char *base = g_strdup_printf ("%s%s.%s", r->module, type, name);
  const YNode *conf = g_hash_table_lookup (config, base);
  r->view = (TfView) { .after = after, .unknown = unknown, .expr = child (conf, "expressions") };
  r->at = entry;
  g_ptr_array_add (ctx->res, r);
  g_hash_table_insert (ctx->by_addr, r->address, r);
  GPtrArray *all = g_hash_table_lookup (ctx->by_base, base);
  if (all == NULL)
    {
      all = g_ptr_array_new ();
      g_hash_table_insert (ctx->by_base, base, all);
    }
  else
    g_free (base);
  g_ptr_array_add (all, r);
}

/* Gives each resource its logical id, in plan order: its module path, name and index
 * (`aws_subnet.public_subnet["a"]` -> PublicSubnetA) when no resource of another type in
 * its module has the same name, else its whole address (`aws_lb.web` next to
 * `aws_lb_target_group.web` -> AwsLbWeb); made unique with 2, 3 ... */
static void
name_resources (TfCtx *ctx)
{
  GHashTable *types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < ctx->res->len; i++)
    {
      const TfRes *r = g_ptr_array_index (ctx->res, i);
      char *key = g_strconcat (r->module, r->name, NULL);
      const char *seen = g_hash_table_lookup (types, key);
      if (seen == NULL)
        g_hash_table_insert (types, key, r->type);
      else
        {
          if (strcmp (seen, r->type) != 0)
            g_hash_table_insert (types, g_strdup (key), (gpointer) ""); /* shared */
          g_free (key);
        }
    }
  for (guint i = 0; i < ctx->res->len; i++)
    {
      TfRes *r = g_ptr_array_index (ctx->res, i);
      char *key = g_strconcat (r->module, r->name, NULL);
      bool shared = ((const char *) g_hash_table_lookup (types, key))[0] == '\0';
      char *source = shared ? g_strdup (r->address)
                            : g_strdup_printf ("%s%s%s%s%s", r->module, r->name,
                                               r->index ? "[" : "", r->index ? r->index : "",
                                               r->index ? "]" : "");
      char *id = stratus_tf_logical_id (source);
      r->logical_id = g_strdup (unique_id (ctx, id));
      g_free (id);
      g_free (source);
      g_free (key);
    }
  g_hash_table_unref (types);
}

static void
read_changes (TfCtx *ctx, GHashTable *config, const YNode *changes)
{
  for (guint i = 0; i < ynode_length (changes); i++)
    {
      const YNode *entry = ynode_item (changes, i), *change = child (entry, "change");
      const YNode *actions = child (change, "actions");
      bool deleted = false, created = false;
      for (guint j = 0; actions && actions->kind == YNODE_SEQ && j < ynode_length (actions); j++)
        {
          const char *a = ynode_item (actions, j)->value;
          deleted |= a && strcmp (a, "delete") == 0;
          created |= a && strcmp (a, "delete") != 0;
        }
      if (deleted && !created)
        continue;
      add_res (ctx, config, entry, scalar (entry, "module_address"), child (change, "after"),
               child (change, "after_unknown"));
    }
}

static void
read_module (TfCtx *ctx, GHashTable *config, const YNode *module, int depth)
{
  if (module == NULL || depth > 32)
    return;
  const YNode *resources = child (module, "resources");
  for (guint i = 0; resources && resources->kind == YNODE_SEQ && i < ynode_length (resources); i++)
    {
      const YNode *entry = ynode_item (resources, i);
      add_res (ctx, config, entry, scalar (module, "address"), child (entry, "values"), NULL);
    }
  const YNode *children = child (module, "child_modules");
  for (guint i = 0; children && children->kind == YNODE_SEQ && i < ynode_length (children); i++)
    read_module (ctx, config, ynode_item (children, i), depth + 1);
}

/* ---- What is not a plan ---- */

static bool
not_plan (GError **error, const YNode *at, const char *why)
{
  g_set_error (error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_NOT_TEMPLATE,
               "%s:%d:%d: not a Terraform plan (%s)", at->file, at->line, at->column, why);
  return false;
}

static bool
is_plan (const YNode *root, GError **error)
{
  if (root->kind != YNODE_MAP)
    {
      char *why = g_strdup_printf ("the top level is %s, not a JSON object with "
                                   "format_version and planned_values", ynode_kind_name (root));
      not_plan (error, root, why);
      g_free (why);
      return false;
    }
  if (child (root, "format_version") != NULL
      && (child (root, "planned_values") != NULL || child (root, "resource_changes") != NULL))
    return true;
  if (child (root, "AWSTemplateFormatVersion") != NULL || child (root, "Resources") != NULL)
    return not_plan (error, root, "it looks like a CloudFormation template: it has "
                     "Resources; import it as a template");
  if (child (root, "duration") != NULL || child (root, "workload") != NULL
      || child (root, "services") != NULL || child (root, "azs") != NULL)
    return not_plan (error, root, "it looks like a stratus scenario: run it with "
                     "stratus run");
  if (child (root, "format_version") != NULL && child (root, "values") != NULL)
    return not_plan (error, root, "it looks like Terraform state (terraform show -json "
                     "without a plan file); give the plan: terraform show -json plan.out");
  if (child (root, "format_version") != NULL)
    return not_plan (error, root, "format_version but neither planned_values nor "
                     "resource_changes");
  return not_plan (error, root, "no format_version, planned_values or resource_changes; "
                   "make it with terraform show -json plan.out");
}

/* A syntax error as "file:line:column: not a Terraform plan (problem)". */
static void
syntax_error (GError *yaml_error, const char *label, GError **error)
{
  cfn_refuse_syntax (yaml_error, label, "Terraform plan", false, error);
}

bool
stratus_tf_text_is_plan (const char *text)
{
  const char *p = text;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return *p == '{' && strstr (p, "\"format_version\"") != NULL
         && (strstr (p, "\"planned_values\"") != NULL
             || strstr (p, "\"resource_changes\"") != NULL);
}

/* stratus_tf_plan_load_string without the final clean-up of the error message. */
static StratusCfnTemplate *
load_plan (const char *text, const char *label, const char *region, GError **error)
{
  if (region != NULL && !cfn_check_region (region, "--region:1:1", error))
    return NULL;
  GError *yaml_error = NULL;
  YNode *root = ynode_load_string (text, -1, label, 0, 0, &yaml_error);
  if (root == NULL)
    {
      syntax_error (yaml_error, label, error);
      g_error_free (yaml_error);
      return NULL;
    }
  if (!is_plan (root, error))
    {
      ynode_free (root);
      return NULL;
    }
  const YNode *configuration = child (root, "configuration");
  const YNode *region_expr = child (child (child (child (configuration, "provider_config"), "aws"),
                                           "expressions"), "region");
  const char *plan_region = scalar (region_expr, "constant_value");
  const YNode *region_node = child (region_expr, "constant_value"); /* its position */
  if (plan_region != NULL)
    {
      char *where = g_strdup_printf ("%s:%d:%d", label, region_node->line, region_node->column);
      bool known = cfn_check_region (plan_region, where, error);
      g_free (where);
      if (!known)
        {
          ynode_free (root);
          return NULL;
        }
    }
  StratusCfnTemplate *t = g_new0 (StratusCfnTemplate, 1);
  t->path = g_strdup (label);
  t->region = g_strdup (plan_region ? plan_region : region ? region : "us-east-1");
  t->account_id = g_strdup ("123456789012");
  t->stack_name = g_path_get_basename (label);
  char *dot = strchr (t->stack_name, '.');
  if (dot != NULL && dot != t->stack_name)
    *dot = '\0';
  t->parameters = g_ptr_array_new ();
  t->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_resource_free);
  t->excluded = g_ptr_array_new_with_free_func (g_free);
  t->warnings = g_ptr_array_new_with_free_func (g_free);
  if (plan_region != NULL && region != NULL && strcmp (plan_region, region) != 0)
    g_ptr_array_add (t->warnings,
                     g_strdup_printf ("%s:%d:%d: the plan's AWS provider region '%s' is used, "
                                      "not --region %s", label, region_node->line,
                                      region_node->column, plan_region, region));

  TfCtx ctx = {
    .tmpl = t,
    .res = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_res_free),
    .by_addr = g_hash_table_new (g_str_hash, g_str_equal),
    .by_base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_ptr_array_unref),
    .ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  GHashTable *config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index_config (&ctx, config, child (configuration, "root_module"), "", NULL, 0);
  const YNode *changes = child (root, "resource_changes");
  if (changes != NULL && changes->kind == YNODE_SEQ)
    read_changes (&ctx, config, changes);
  else
    read_module (&ctx, config, child (child (root, "planned_values"), "root_module"), 0);
  name_resources (&ctx);
  /* Attachments last: they add to what they attach to. */
  for (int attachments = 0; attachments < 2; attachments++)
    for (guint i = 0; i < ctx.res->len; i++)
      {
        const TfRes *r = g_ptr_array_index (ctx.res, i);
        if (tf_is_attachment (r->type) == (attachments == 1))
          tf_translate (&ctx, r);
      }
  g_hash_table_unref (config);
  g_hash_table_unref (ctx.by_addr);
  g_hash_table_unref (ctx.by_base);
  g_hash_table_unref (ctx.ids);
  g_hash_table_unref (ctx.modules);
  g_hash_table_unref (ctx.calls);
  g_ptr_array_unref (ctx.res);
  ynode_free (root);
  return t;
}

StratusCfnTemplate *
stratus_tf_plan_load_string (const char *text, const char *label, const char *region,
                             GError **error)
{
  StratusCfnTemplate *t = load_plan (text, label, region, error);
  if (t == NULL)
    cfn_error_printable (error);
  return t;
}

StratusCfnTemplate *
stratus_tf_plan_load (const char *path, const char *region, GError **error)
{
  char *text = cfn_read_text (path, "Terraform plan", error);
  if (text == NULL)
    {
      cfn_error_printable (error);
      return NULL;
    }
  StratusCfnTemplate *t = stratus_tf_plan_load_string (text, path, region, error);
  g_free (text);
  return t;
}
