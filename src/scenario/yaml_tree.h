/* A scenario file as a tree of maps, sequences and scalars, each node carrying the file,
 * line and column it came from, so every later error can point at its source. Built
 * with libyaml; aliases are expanded; duplicate keys are rejected. */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum
{
  YNODE_SCALAR,
  YNODE_MAP,
  YNODE_SEQ,
} YNodeKind;

typedef struct YNode YNode;
struct YNode
{
  YNodeKind kind;
  char *value;     /* scalar text ("" for an empty value) */
  bool quoted;     /* scalar was written in quotes */
  char *tag;       /* a local tag written on the node ("!Ref"), NULL when none; owned.
                      Standard tags (!!str, tag:yaml.org,2002:...) are not kept. */
  GPtrArray *keys; /* map: key scalars (YNode*) */
  GPtrArray *items; /* map: values, parallel to keys; seq: items */
  const char *file; /* interned; not owned */
  int line, column; /* 1-based */
};

/* JSON is read by the same functions (JSON is YAML's flow style), with lines and columns.
 * Checked with libyaml 0.2.5: nested objects and arrays, tabs indenting lines inside the
 * outer `{`, `"a":1` without a space and the `\/` escape all read. What it does not read:
 * a tab before the outer `{` on its line (a syntax error); a key longer than 1024
 * characters (YAML's limit on implicit keys); a tab counts as one column. */
/* Parses the first YAML document of a file / a string. On a syntax error returns NULL with
 * "file:line:column: message". Free with ynode_free. */
YNode *ynode_load_file (const char *path, GError **error);
YNode *ynode_load_string (const char *text, gssize length, const char *file_label,
                         int line_offset, int column_offset, GError **error);

void ynode_free (YNode *node);

/* The value under `key` in a map, or NULL. */
YNode *ynode_map_get (const YNode *map, const char *key);

/* The key node of entry i of a map. */
static inline YNode *
ynode_map_key (const YNode *map, guint i)
{
  return g_ptr_array_index (map->keys, i);
}

/* The value node of entry i of a map (or item i of a sequence). */
static inline YNode *
ynode_item (const YNode *node, guint i)
{
  return g_ptr_array_index (node->items, i);
}

/* Entries in a map or items in a sequence; 0 for a scalar. */
static inline guint
ynode_length (const YNode *node)
{
  return node->kind == YNODE_SCALAR ? 0 : node->items->len;
}

/* True for a scalar with no text (`key:` with nothing after it, or `~`/`null`). */
bool ynode_is_null (const YNode *node);

/* A readable name for the node's kind: "a mapping", "a list", "a value". */
const char *ynode_kind_name (const YNode *node);

/* Applies "a.b.c=value" (value parsed as YAML) to the tree, creating maps on the way.
 * Errors name the file "--set", line 1, and the column within the argument. */
bool ynode_apply_override (YNode *root, const char *assignment, GError **error);
