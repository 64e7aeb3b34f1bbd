/* libyaml document -> YNode tree. */
#include "yaml_tree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "stratus/scenario.h"

#define MAX_DEPTH 64
#define MAX_NODES 1000000
#define MAX_TEXT_BYTES (64 * 1024 * 1024) /* of scalar text, after aliases are expanded */

typedef struct
{
  yaml_document_t *doc;
  const char *file;
  int line_offset, column_offset;
  size_t nodes_made;
  size_t text_bytes; /* scalar text made so far */
  GError **error;
} Builder;

static YNode *
ynode_new (YNodeKind kind, const char *file, int line, int column)
{
  YNode *n = g_new0 (YNode, 1);
  n->kind = kind;
  n->file = file;
  n->line = line;
  n->column = column;
  if (kind != YNODE_SCALAR)
    {
      n->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ynode_free);
      if (kind == YNODE_MAP)
        n->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) ynode_free);
    }
  return n;
}

void
ynode_free (YNode *node)
{
  if (node == NULL)
    return;
  g_free (node->value);
  g_free (node->tag);
  if (node->keys)
    g_ptr_array_unref (node->keys);
  if (node->items)
    g_ptr_array_unref (node->items);
  g_free (node);
}

static YNode *convert (Builder *b, yaml_node_t *src, int depth);

/* A scalar node at (line, column); NULL with the error set if the document's text grows
 * too large or the value holds a NUL. */
static YNode *
convert_scalar (Builder *b, yaml_node_t *src, int line, int column)
{
  /* Aliases of a long scalar multiply it: bound the text as well as the nodes. */
  b->text_bytes += src->data.scalar.length;
  if (b->text_bytes > MAX_TEXT_BYTES)
    {
      g_set_error (b->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                   "%s:%d:%d: the document expands to too much text (over %d MiB)",
                   b->file, line, column, MAX_TEXT_BYTES / (1024 * 1024));
      return NULL;
    }
  YNode *n = ynode_new (YNODE_SCALAR, b->file, line, column);
  n->value = g_strndup ((const char *) src->data.scalar.value, src->data.scalar.length);
  if (strlen (n->value) != src->data.scalar.length)
    {
      g_set_error (b->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                   "%s:%d:%d: a value contains a NUL character", b->file, line, column);
      ynode_free (n);
      return NULL;
    }
  n->quoted = src->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
              || src->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  return n;
}

/* A sequence node at (line, column) with its items converted; NULL with the error set if
 * one fails. */
static YNode *
convert_sequence (Builder *b, yaml_node_t *src, int depth, int line, int column)
{
  YNode *n = ynode_new (YNODE_SEQ, b->file, line, column);
  for (yaml_node_item_t *it = src->data.sequence.items.start;
       it < src->data.sequence.items.top; it++)
    {
      YNode *child = convert (b, yaml_document_get_node (b->doc, *it), depth + 1);
      if (child == NULL)
        {
          ynode_free (n);
          return NULL;
        }
      g_ptr_array_add (n->items, child);
    }
  return n;
}

/* A mapping node at (line, column) with its keys and values converted; NULL with the error
 * set if one fails, a key is not a scalar or a key is given twice. */
static YNode *
convert_mapping (Builder *b, yaml_node_t *src, int depth, int line, int column)
{
  YNode *n = ynode_new (YNODE_MAP, b->file, line, column);
  for (yaml_node_pair_t *p = src->data.mapping.pairs.start; p < src->data.mapping.pairs.top;
       p++)
    {
      YNode *key = convert (b, yaml_document_get_node (b->doc, p->key), depth + 1);
      if (key == NULL)
        {
          ynode_free (n);
          return NULL;
        }
      if (key->kind != YNODE_SCALAR)
        {
          g_set_error (b->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                       "%s:%d:%d: a key must be a plain name, not %s", b->file, key->line,
                       key->column, ynode_kind_name (key));
          ynode_free (key);
          ynode_free (n);
          return NULL;
        }
      for (guint i = 0; i < n->keys->len; i++)
        if (strcmp (ynode_map_key (n, i)->value, key->value) == 0)
          {
            g_set_error (b->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                         "%s:%d:%d: duplicate key '%s' (first given at line %d)", b->file,
                         key->line, key->column, key->value, ynode_map_key (n, i)->line);
            ynode_free (key);
            ynode_free (n);
            return NULL;
          }
      YNode *value = convert (b, yaml_document_get_node (b->doc, p->value), depth + 1);
      if (value == NULL)
        {
          ynode_free (key);
          ynode_free (n);
          return NULL;
        }
      g_ptr_array_add (n->keys, key);
      g_ptr_array_add (n->items, value);
    }
  return n;
}

/* The YNode tree of `src` at `depth`; NULL with the error set if the document nests too
 * deeply, grows too large or is malformed. */
static YNode *
convert (Builder *b, yaml_node_t *src, int depth)
{
  int line = (int) src->start_mark.line + 1 + b->line_offset;
  int column = (int) src->start_mark.column + 1 + (src->start_mark.line == 0 ? b->column_offset : 0);
  if (depth > MAX_DEPTH || ++b->nodes_made > MAX_NODES)
    {
      g_set_error (b->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                   "%s:%d:%d: the document is nested too deeply or expands to too many nodes",
                   b->file, line, column);
      return NULL;
    }
  YNode *n = NULL;
  switch (src->type)
    {
    case YAML_SCALAR_NODE:
      n = convert_scalar (b, src, line, column);
      break;
    case YAML_SEQUENCE_NODE:
      n = convert_sequence (b, src, depth, line, column);
      break;
    case YAML_MAPPING_NODE:
      n = convert_mapping (b, src, depth, line, column);
      break;
    case YAML_NO_NODE:
      break;
    }
  if (n != NULL)
    {
      /* libyaml gives every node a tag: the default (tag:yaml.org,2002:...) when none is
       * written, and "!Ref" for a local tag written as `!Ref`. Keep the local ones. */
      if (src->tag != NULL && src->tag[0] == '!')
        n->tag = g_strdup ((const char *) src->tag);
      return n;
    }
  if (src->type != YAML_NO_NODE)
    return NULL;
  g_set_error (b->error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
               "%s:%d:%d: empty node", b->file, line, column);
  return NULL;
}

static void
set_syntax_error (const yaml_parser_t *parser, const char *file, int line_offset,
                  int column_offset, GError **error)
{
  int line = (int) parser->problem_mark.line + 1 + line_offset;
  int column = (int) parser->problem_mark.column + 1
               + (parser->problem_mark.line == 0 ? column_offset : 0);
  if (column_offset > 0)
    {
      /* A one-line --set value: libyaml may place an error at the end of the input on the
       * line after it; point at the column past the value's end instead. */
      line = 1 + line_offset;
      column = (int) parser->problem_mark.index + 1 + column_offset;
    }
  g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
               "%s:%d:%d: YAML syntax error: %s%s%s", file, line, column,
               parser->problem ? parser->problem : "unknown problem",
               parser->context ? " " : "", parser->context ? parser->context : "");
}

/* libyaml's scanner takes time quadratic in the depth of flow nesting (100000 '[' take
 * seconds), so the first document's events are read first and a node nested deeper than
 * MAX_DEPTH is refused before yaml_parser_load reads the rest. Also reports syntax
 * errors. */
static bool
check_depth (const char *text, size_t length, const char *file, int line_offset,
             int column_offset, GError **error)
{
  yaml_parser_t parser;
  if (!yaml_parser_initialize (&parser))
    g_error ("out of memory");
  yaml_parser_set_input_string (&parser, (const unsigned char *) text, length);
  int depth = 0;
  bool ok = true;
  for (bool done = false; !done;)
    {
      yaml_event_t event;
      if (!yaml_parser_parse (&parser, &event))
        {
          set_syntax_error (&parser, file, line_offset, column_offset, error);
          ok = false;
          break;
        }
      switch (event.type)
        {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
          if (depth > MAX_DEPTH)
            {
              int line = (int) event.start_mark.line + 1 + line_offset;
              int column = (int) event.start_mark.column + 1
                           + (event.start_mark.line == 0 ? column_offset : 0);
              g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                           "%s:%d:%d: the document is nested too deeply or expands to too many "
                           "nodes", file, line, column);
              ok = false;
              done = true;
            }
          else if (event.type == YAML_SEQUENCE_START_EVENT
                   || event.type == YAML_MAPPING_START_EVENT)
            depth++;
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          depth--;
          break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
          done = true;
          break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
          break;
        }
      yaml_event_delete (&event);
    }
  yaml_parser_delete (&parser);
  return ok;
}

/* After the first document, only the end of the stream may come: text that is not YAML
 * ("{a: 1}}") is a syntax error, and a second document is refused rather than ignored. */
static bool
check_nothing_follows (yaml_parser_t *parser, const char *file, int line_offset,
                       int column_offset, GError **error)
{
  yaml_event_t next;
  if (!yaml_parser_parse (parser, &next))
    {
      set_syntax_error (parser, file, line_offset, column_offset, error);
      return false;
    }
  bool ok = next.type == YAML_STREAM_END_EVENT;
  if (!ok)
    {
      int line = (int) next.start_mark.line + 1 + line_offset;
      int column = (int) next.start_mark.column + 1
                   + (next.start_mark.line == 0 ? column_offset : 0);
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                   "%s:%d:%d: a scenario holds one YAML document; a second one starts here",
                   file, line, column);
    }
  yaml_event_delete (&next);
  return ok;
}

YNode *
ynode_load_string (const char *text, gssize length, const char *file_label, int line_offset,
                   int column_offset, GError **error)
{
  const char *file = g_intern_string (file_label);
  yaml_parser_t parser;
  yaml_document_t doc;
  if (length < 0)
    length = (gssize) strlen (text);
  if (!check_depth (text, (size_t) length, file, line_offset, column_offset, error))
    return NULL;
  if (!yaml_parser_initialize (&parser))
    g_error ("out of memory");
  yaml_parser_set_input_string (&parser, (const unsigned char *) text, (size_t) length);
  if (!yaml_parser_load (&parser, &doc))
    {
      set_syntax_error (&parser, file, line_offset, column_offset, error);
      yaml_parser_delete (&parser);
      return NULL;
    }
  yaml_node_t *root = yaml_document_get_root_node (&doc);
  YNode *result = NULL;
  if (root != NULL
      && !check_nothing_follows (&parser, file, line_offset, column_offset, error))
    root = NULL;
  else if (root == NULL)
    g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_SYNTAX,
                 "%s:%d:%d: the document is empty", file, 1 + line_offset, 1 + column_offset);
  else
    {
      Builder b = { .doc = &doc, .file = file, .line_offset = line_offset,
                    .column_offset = column_offset, .error = error };
      result = convert (&b, root, 0);
    }
  yaml_document_delete (&doc);
  yaml_parser_delete (&parser);
  return result;
}

YNode *
ynode_load_file (const char *path, GError **error)
{
  char *text = NULL;
  gsize length = 0;
  GError *io_error = NULL;
  if (!g_file_get_contents (path, &text, &length, &io_error))
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_IO,
                   "%s:1:1: cannot read the file: %s", path,
                   io_error->code == G_FILE_ERROR_NOENT ? "no such file" : io_error->message);
      g_error_free (io_error);
      return NULL;
    }
  YNode *root = ynode_load_string (text, (gssize) length, path, 0, 0, error);
  g_free (text);
  return root;
}

YNode *
ynode_map_get (const YNode *map, const char *key)
{
  if (map == NULL || map->kind != YNODE_MAP)
    return NULL;
  for (guint i = 0; i < map->keys->len; i++)
    if (strcmp (ynode_map_key (map, i)->value, key) == 0)
      return ynode_item (map, i);
  return NULL;
}

bool
ynode_is_null (const YNode *node)
{
  return node->kind == YNODE_SCALAR && !node->quoted
         && (node->value[0] == '\0' || strcmp (node->value, "~") == 0
             || strcmp (node->value, "null") == 0);
}

const char *
ynode_kind_name (const YNode *node)
{
  switch (node->kind)
    {
    case YNODE_MAP:
      return "a mapping";
    case YNODE_SEQ:
      return "a list";
    case YNODE_SCALAR:
      return "a value";
    }
  return "?";
}

static bool
parse_index (const char *segment, guint *index)
{
  if (!g_ascii_isdigit (segment[0]))
    return false;
  char *end = NULL;
  guint64 v = g_ascii_strtoull (segment, &end, 10);
  if (*end != '\0' || v > G_MAXUINT)
    return false;
  *index = (guint) v;
  return true;
}

bool
ynode_apply_override (YNode *root, const char *assignment, GError **error)
{
  const char *file = g_intern_string ("--set");
  const char *eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                   "%s:1:1: '%s' is not of the form path=value (e.g. instances.web.count=8)",
                   file, assignment);
      return false;
    }
  char *path = g_strndup (assignment, (gsize) (eq - assignment));
  int value_column = (int) (eq - assignment) + 1;
  YNode *value = ynode_load_string (eq + 1, -1, file, 0, value_column, error);
  if (value == NULL)
    {
      g_free (path);
      return false;
    }
  char **segments = g_strsplit (path, ".", -1);
  YNode *node = root;
  int column = 1;
  bool ok = true;
  for (int i = 0; segments[i] != NULL && ok; i++)
    {
      const char *seg = segments[i];
      bool last = segments[i + 1] == NULL;
      guint index;
      if (seg[0] == '\0')
        {
          g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                       "%s:1:%d: empty name in path '%s'", file, column, path);
          ok = false;
        }
      else if (node->kind == YNODE_MAP)
        {
          guint found = G_MAXUINT;
          for (guint k = 0; k < node->keys->len; k++)
            if (strcmp (ynode_map_key (node, k)->value, seg) == 0)
              found = k;
          if (found == G_MAXUINT)
            {
              YNode *key = ynode_new (YNODE_SCALAR, file, 1, column);
              key->value = g_strdup (seg);
              g_ptr_array_add (node->keys, key);
              g_ptr_array_add (node->items, last ? value : ynode_new (YNODE_MAP, file, 1, column));
              found = node->keys->len - 1;
            }
          else if (last)
            {
              ynode_free (g_ptr_array_index (node->items, found));
              g_ptr_array_index (node->items, found) = value;
            }
          node = ynode_item (node, found);
        }
      else if (node->kind == YNODE_SEQ && parse_index (seg, &index) && index < node->items->len)
        {
          if (last)
            {
              ynode_free (g_ptr_array_index (node->items, index));
              g_ptr_array_index (node->items, index) = value;
            }
          node = ynode_item (node, index);
        }
      else
        {
          /* Name what is in the way: the node reached so far, not the segment. */
          char *parent = i == 0 ? g_strdup ("the scenario")
                                : g_strdup_printf ("'%s'", segments[i - 1]);
          if (node->kind == YNODE_SEQ)
            {
              char *range = node->items->len == 0
                              ? g_strdup ("it is empty")
                              : g_strdup_printf ("items are numbered 0 to %u",
                                                 node->items->len - 1);
              g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                           "%s:1:%d: cannot set '%s': %s is a list and '%s' is not one of its "
                           "item numbers (%s)", file, column, path, parent, seg, range);
              g_free (range);
            }
          else
            g_set_error (error, STRATUS_SCENARIO_ERROR, STRATUS_SCENARIO_ERROR_INVALID,
                         "%s:1:%d: cannot set '%s': %s is %s, not a mapping", file, column, path,
                         parent, ynode_kind_name (node));
          g_free (parent);
          ok = false;
        }
      column += (int) strlen (seg) + 1;
    }
  if (!ok)
    ynode_free (value);
  g_strfreev (segments);
  g_free (path);
  return ok;
}
