/* Shared between the Terraform plan reader's files (tf_plan.c reads the plan and resolves
 * references; tf_resources.c translates each type to CloudFormation). */
#pragma once

#include "cfn_internal.h"
#include "stratus/terraform.h"

/* A value of a resource seen three ways at once: the planned value (change.after or
 * planned_values' values), what is unknown until apply (after_unknown) and the
 * configuration's expressions (with their references). Any may be NULL. */
typedef struct
{
  const YNode *after, *unknown, *expr;
} TfView;

typedef struct
{
  char *address;     /* "module.net.aws_subnet.public[0]" */
  char *module;      /* "module.net." or "" */
  char *type, *name; /* "aws_subnet", "public" */
  char *index;       /* "0", "\"a\"" (as the address writes it) or NULL */
  char *logical_id;
  TfView view;
  const YNode *at;   /* where the resource is in the plan */
} TfRes;

typedef struct
{
  StratusCfnTemplate *tmpl;
  GPtrArray *res;       /* TfRes *, plan order */
  GHashTable *by_addr;  /* address -> TfRes */
  GHashTable *by_base;  /* "module.net.aws_subnet.public" -> GPtrArray of TfRes (index order) */
  GHashTable *ids;      /* logical ids in use */
  GHashTable *modules;  /* "module.net." ("" for the root) -> the module's configuration */
  GHashTable *calls;    /* "module.net." -> its module_calls entry in the caller */
} TfCtx;

/* The sub-view under `key` (a map entry); item `i` of a block list with tf_block. */
TfView tf_sub (TfView v, const char *key);
guint tf_block_count (TfView v, const char *key);
TfView tf_block (TfView v, const char *key, guint i);

/* The property `key` of view `v` of resource `r`: the planned value when known, else a REF
 * (or a LIST of REFs for several) to the resources its expression references. With
 * `prefer_ref`, references win over a known value (names known at plan time, such as a
 * DB subnet group's). NULL when absent, null or unresolvable. */
StratusCfnValue *tf_get (TfCtx *ctx, const TfRes *r, TfView v, const char *key, bool prefer_ref);
/* The same as a LIST (a single value wrapped), or NULL. */
StratusCfnValue *tf_get_list (TfCtx *ctx, const TfRes *r, TfView v, const char *key,
                              bool prefer_ref);

StratusCfnValue *tf_map (const YNode *at);
StratusCfnValue *tf_list (const YNode *at);
StratusCfnValue *tf_ref (const char *logical_id, const YNode *at);
StratusCfnValue *tf_str (const char *text, const YNode *at);
StratusCfnValue *tf_num (double number, const YNode *at);
/* Adds `value` under `key` (nothing when value is NULL; takes ownership). */
void tf_put (StratusCfnValue *map, const char *key, StratusCfnValue *value);
/* tf_put (map, cfn_key, tf_get (ctx, r, v, tf_key, prefer_ref)). */
void tf_copy (TfCtx *ctx, const TfRes *r, TfView v, StratusCfnValue *map, const char *cfn_key,
              const char *tf_key, bool prefer_ref);
/* A plain string at `key` of the planned value, or NULL (not owned). */
const char *tf_text (TfView v, const char *key);

/* Adds a resource with logical id r->logical_id + suffix (made unique) and type `type`;
 * returns its (empty) properties. */
StratusCfnValue *tf_emit (TfCtx *ctx, const TfRes *r, const char *suffix, const char *type);

/* Whether Terraform type `type` attaches one resource to another (tf_attachments.c). */
bool tf_is_attachment (const char *type);
/* Adds attachment `r` to the translated resource it attaches to (a target group's
 * Targets, an Auto Scaling group's TargetGroupARNs); false when that is not a resource of
 * the plan or the target is not (an IP address), for tf_translate to keep it as is. */
bool tf_attach (TfCtx *ctx, const TfRes *r);

/* Translates `r` (tf_resources.c): one or more resources added with tf_emit; an attachment
 * only after everything else. */
void tf_translate (TfCtx *ctx, const TfRes *r);
