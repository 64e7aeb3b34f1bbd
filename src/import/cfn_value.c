/* CloudFormation values: construction, copies, rendering; the regions' AZ table. */
#include <string.h>

#include "cfn_internal.h"
#include "scenario/suggest.h"

StratusCfnValue cfn_no_value = { .kind = STRATUS_CFN_NULL };

StratusCfnValue *
cfn_value_new (StratusCfnValueKind kind, const YNode *at)
{
  StratusCfnValue *v = g_new0 (StratusCfnValue, 1);
  v->kind = kind;
  if (at != NULL)
    {
      v->file = at->file;
      v->line = at->line;
      v->column = at->column;
    }
  if (kind == STRATUS_CFN_LIST || kind == STRATUS_CFN_MAP || kind == STRATUS_CFN_CONCAT)
    v->items = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_cfn_value_free);
  if (kind == STRATUS_CFN_MAP)
    v->keys = g_ptr_array_new_with_free_func (g_free);
  return v;
}

StratusCfnValue *
cfn_value_string (const char *text, const YNode *at)
{
  StratusCfnValue *v = cfn_value_new (STRATUS_CFN_STRING, at);
  v->text = g_strdup (text);
  return v;
}

static bool
parse_number (const char *text, double *out)
{
  if (text[0] == '\0')
    return false;
  char *end = NULL;
  double d = g_ascii_strtod (text, &end);
  if (*end != '\0' || g_ascii_isspace (text[0]))
    return false;
  *out = d;
  return true;
}

StratusCfnValue *
cfn_value_from_literal (const YNode *node)
{
  StratusCfnValue *v;
  switch (node->kind)
    {
    case YNODE_SCALAR:
      if (ynode_is_null (node))
        {
          v = cfn_value_new (STRATUS_CFN_NULL, node);
          v->text = g_strdup ("");
          return v;
        }
      v = cfn_value_new (STRATUS_CFN_STRING, node);
      v->text = g_strdup (node->value);
      if (!node->quoted && (strcmp (node->value, "true") == 0 || strcmp (node->value, "false") == 0))
        {
          v->kind = STRATUS_CFN_BOOL;
          v->boolean = node->value[0] == 't';
        }
      else if (!node->quoted && parse_number (node->value, &v->number))
        v->kind = STRATUS_CFN_NUMBER;
      return v;
    case YNODE_SEQ:
      v = cfn_value_new (STRATUS_CFN_LIST, node);
      v->text = g_strdup ("");
      for (guint i = 0; i < ynode_length (node); i++)
        g_ptr_array_add (v->items, cfn_value_from_literal (ynode_item (node, i)));
      return v;
    case YNODE_MAP:
      v = cfn_value_new (STRATUS_CFN_MAP, node);
      v->text = g_strdup ("");
      for (guint i = 0; i < ynode_length (node); i++)
        {
          g_ptr_array_add (v->keys, g_strdup (ynode_map_key (node, i)->value));
          g_ptr_array_add (v->items, cfn_value_from_literal (ynode_item (node, i)));
        }
      return v;
    }
  return NULL;
}

void
stratus_cfn_value_free (StratusCfnValue *value)
{
  if (value == NULL || value == &cfn_no_value)
    return;
  g_free (value->text);
  g_free (value->attribute);
  g_free (value->plain);
  if (value->keys)
    g_ptr_array_unref (value->keys);
  if (value->items)
    g_ptr_array_unref (value->items);
  g_free (value);
}

StratusCfnValue *
stratus_cfn_value_copy (const StratusCfnValue *value)
{
  if (value == NULL)
    return NULL;
  StratusCfnValue *v = g_new0 (StratusCfnValue, 1);
  *v = *value;
  v->text = g_strdup (value->text);
  v->attribute = g_strdup (value->attribute);
  v->plain = g_strdup (value->plain);
  v->keys = v->items = NULL;
  if (value->keys)
    {
      v->keys = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < value->keys->len; i++)
        g_ptr_array_add (v->keys, g_strdup (g_ptr_array_index (value->keys, i)));
    }
  if (value->items)
    {
      v->items = g_ptr_array_new_with_free_func ((GDestroyNotify) stratus_cfn_value_free);
      for (guint i = 0; i < value->items->len; i++)
        g_ptr_array_add (v->items, stratus_cfn_value_copy (g_ptr_array_index (value->items, i)));
    }
  return v;
}

const StratusCfnValue *
stratus_cfn_value_get (const StratusCfnValue *map, const char *key)
{
  if (map == NULL || map->kind != STRATUS_CFN_MAP)
    return NULL;
  for (guint i = 0; i < map->keys->len; i++)
    if (strcmp (g_ptr_array_index (map->keys, i), key) == 0)
      return g_ptr_array_index (map->items, i);
  return NULL;
}

static void
render (GString *out, const StratusCfnValue *v)
{
  switch (v->kind)
    {
    case STRATUS_CFN_NULL:
      g_string_append (out, "~");
      break;
    case STRATUS_CFN_STRING:
    case STRATUS_CFN_NUMBER:
    case STRATUS_CFN_BOOL:
      g_string_append (out, v->text);
      break;
    case STRATUS_CFN_REF:
      g_string_append_printf (out, "${%s}", v->text);
      break;
    case STRATUS_CFN_GETATT:
      g_string_append_printf (out, "${%s.%s}", v->text, v->attribute);
      break;
    case STRATUS_CFN_IMPORT:
      g_string_append_printf (out, "${ImportValue:%s}", v->text);
      break;
    case STRATUS_CFN_CONCAT:
      for (guint i = 0; i < v->items->len; i++)
        render (out, g_ptr_array_index (v->items, i));
      break;
    case STRATUS_CFN_LIST:
      g_string_append_c (out, '[');
      for (guint i = 0; i < v->items->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          render (out, g_ptr_array_index (v->items, i));
        }
      g_string_append_c (out, ']');
      break;
    case STRATUS_CFN_MAP:
      g_string_append_c (out, '{');
      for (guint i = 0; i < v->items->len; i++)
        {
          g_string_append_printf (out, "%s%s: ", i > 0 ? ", " : "",
                                  (const char *) g_ptr_array_index (v->keys, i));
          render (out, g_ptr_array_index (v->items, i));
        }
      g_string_append_c (out, '}');
      break;
    }
}

char *
stratus_cfn_value_render (const StratusCfnValue *value)
{
  GString *out = g_string_new (NULL);
  render (out, value);
  return g_string_free (out, FALSE);
}

char *
cfn_printable (const char *text)
{
  return cfn_escape (text, false);
}

char *
cfn_escape (const char *text, bool yaml_quoted)
{
  char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      if (yaml_quoted && (ch == '"' || ch == '\\'))
        g_string_append_printf (out, "\\%c", (char) ch);
      else if (yaml_quoted && (ch == 0x85 || ch == 0x2028 || ch == 0x2029))
        g_string_append (out, ch == 0x85 ? "\\N" : ch == 0x2028 ? "\\L" : "\\P");
      else if (ch == '\n')
        g_string_append (out, "\\n");
      else if (ch == '\r')
        g_string_append (out, "\\r");
      else if (ch == '\t')
        g_string_append (out, "\\t");
      else if (ch < 0x20 || ch == 0x7f)
        g_string_append_printf (out, "\\x%02x", (unsigned) ch);
      else if (ch == 0x85 || ch == 0x2028 || ch == 0x2029)
        g_string_append_printf (out, "\\u%04x", (unsigned) ch);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_free (valid);
  return g_string_free (out, FALSE);
}

void
cfn_error_printable (GError **error)
{
  if (error == NULL || *error == NULL)
    return;
  char *line = cfn_printable ((*error)->message);
  g_free ((*error)->message);
  (*error)->message = line;
}

/* Fn::GetAZs: the AZs of an account in each region, as AWS lists them (the letters a
 * default account sees; accounts may see fewer). */
static const char *const us_east_1[] = { "us-east-1a", "us-east-1b", "us-east-1c",
                                         "us-east-1d", "us-east-1e", "us-east-1f", NULL };
static const char *const us_east_2[] = { "us-east-2a", "us-east-2b", "us-east-2c", NULL };
static const char *const us_west_2[] = { "us-west-2a", "us-west-2b", "us-west-2c",
                                         "us-west-2d", NULL };
static const char *const eu_west_1[] = { "eu-west-1a", "eu-west-1b", "eu-west-1c", NULL };
static const char *const eu_central_1[] = { "eu-central-1a", "eu-central-1b",
                                            "eu-central-1c", NULL };
static const char *const ap_northeast_1[] = { "ap-northeast-1a", "ap-northeast-1c",
                                              "ap-northeast-1d", NULL };
static const char *const ap_northeast_2[] = { "ap-northeast-2a", "ap-northeast-2b",
                                              "ap-northeast-2c", "ap-northeast-2d", NULL };

static const struct
{
  const char *region;
  const char *const *azs;
} region_azs[] = {
  { "us-east-1", us_east_1 },           { "us-east-2", us_east_2 },
  { "us-west-2", us_west_2 },           { "eu-west-1", eu_west_1 },
  { "eu-central-1", eu_central_1 },     { "ap-northeast-1", ap_northeast_1 },
  { "ap-northeast-2", ap_northeast_2 },
};

const char *const *
stratus_cfn_region_azs (const char *region)
{
  for (gsize i = 0; i < G_N_ELEMENTS (region_azs); i++)
    if (strcmp (region_azs[i].region, region) == 0)
      return region_azs[i].azs;
  return NULL;
}


char *
cfn_known_regions (void)
{
  GString *out = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (region_azs); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", region_azs[i].region);
  return g_string_free (out, FALSE);
}

bool
cfn_check_region (const char *region, const char *where, GError **error)
{
  if (stratus_cfn_region_azs (region) != NULL)
    return true;
  const char *names[G_N_ELEMENTS (region_azs) + 1];
  for (gsize i = 0; i < G_N_ELEMENTS (region_azs); i++)
    names[i] = region_azs[i].region;
  names[G_N_ELEMENTS (region_azs)] = NULL;
  const char *near = stratus_suggest (region, names);
  char *known = cfn_known_regions ();
  g_set_error (error, STRATUS_CFN_ERROR, STRATUS_CFN_ERROR_INVALID,
               "%s: unknown region '%s'%s%s%s: stratus knows %s", where, region,
               near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "", known);
  g_free (known);
  return false;
}
