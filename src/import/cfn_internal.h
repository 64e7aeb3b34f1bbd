/* Shared between the CloudFormation reader's files: the evaluation context. */
#pragma once

#include "scenario/yaml_tree.h"
#include "stratus/cfn.h"

typedef enum
{
  CFN_COND_UNSEEN,
  CFN_COND_VISITING,
  CFN_COND_TRUE,
  CFN_COND_FALSE,
} CfnCondState;

typedef struct
{
  const YNode *root;
  const YNode *mappings;   /* or NULL */
  const YNode *conditions; /* or NULL */
  const YNode *resources;
  GHashTable *cond_state;  /* name -> CfnCondState (GINT_TO_POINTER) */
  GHashTable *excluded;    /* logical id -> condition name, for resources a false
                              Condition excludes */
  StratusCfnTemplate *tmpl;
  GError **error;
} CfnCtx;

/* Sentinel for AWS::NoValue: the key or item holding it is removed. Never freed. */
extern StratusCfnValue cfn_no_value;

/* `text` fit for one line of a message or a YAML comment: invalid UTF-8 replaced, line
 * breaks (\n, \r, NEL, LS, PS), tabs and other control characters written as escapes
 * (\n, \x07, \u2028). Caller frees. */
char *cfn_printable (const char *text);

/* cfn_printable's escapes; with `yaml_quoted`, the body of a YAML double-quoted scalar
 * instead: '"' and '\\' escaped too, NEL, LS and PS as \N, \L and \P. Caller frees. */
char *cfn_escape (const char *text, bool yaml_quoted);

/* Makes the message of `*error` (if any) one printable line with cfn_printable: what the
 * public entry points do before they return an error that quotes a template's text. */
void cfn_error_printable (GError **error);

/* Sets the one-line error at `node` (printf format) and returns NULL. */
void *cfn_fail (CfnCtx *ctx, const YNode *node, const char *format, ...) G_GNUC_PRINTF (3, 4);

StratusCfnValue *cfn_value_new (StratusCfnValueKind kind, const YNode *at);
/* A literal YAML node as a value (no intrinsics): scalars by their look. */
StratusCfnValue *cfn_value_from_literal (const YNode *node);
StratusCfnValue *cfn_value_string (const char *text, const YNode *at);

/* Evaluates a node with its intrinsic functions; NULL with the error set on a mistake;
 * &cfn_no_value for AWS::NoValue. */
StratusCfnValue *cfn_eval (CfnCtx *ctx, const YNode *node);
/* The truth of a condition named `name` (written at `at`); -1 with the error set. */
int cfn_condition (CfnCtx *ctx, const char *name, const YNode *at);

/* "us-east-1, us-east-2, ..." : the regions Fn::GetAZs knows; free with g_free. */
char *cfn_known_regions (void);

/* True if `region` is in the AZ table; otherwise the error "`where`: unknown region ...
 * (did you mean ...?)" listing the known ones; `where` is a position ("--region:1:1" for
 * the option, "plan.json:12:7" for a plan's provider). */
bool cfn_check_region (const char *region, const char *where, GError **error);

/* The whole text of `path` (caller frees); NULL with "PATH:1:1: ..." in `error` when it
 * cannot be read or holds a NUL byte ("not a WHAT (the file holds NUL bytes)"). */
char *cfn_read_text (const char *path, const char *what, GError **error);

/* Turns libyaml's error `yaml_error` for the text labelled `label` into `error`: kept as a
 * syntax (or I/O) error when `keep_syntax`, else "LABEL:line:column: not a WHAT (problem)". */
void cfn_refuse_syntax (const GError *yaml_error, const char *label, const char *what,
                        bool keep_syntax, GError **error);
