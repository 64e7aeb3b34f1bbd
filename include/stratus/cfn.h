/* CloudFormation templates (issue 14, first part): a template in YAML (short-form tags such
 * as !Ref) or JSON (long forms) read and evaluated: parameters, mappings, conditions,
 * pseudo parameters and intrinsic functions. What is left is the list of resources with
 * their evaluated properties; references to other resources stay symbolic. Every value
 * keeps the file, line and column it came from; every error is one line
 * "file:line:column: what is wrong". docs/import.md describes what is read. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#define STRATUS_CFN_ERROR (stratus_cfn_error_quark ())
GQuark stratus_cfn_error_quark (void);

typedef enum
{
  STRATUS_CFN_ERROR_IO,           /* the file cannot be read */
  STRATUS_CFN_ERROR_SYNTAX,       /* YAML / JSON syntax */
  STRATUS_CFN_ERROR_NOT_TEMPLATE, /* readable, but not a CloudFormation template */
  STRATUS_CFN_ERROR_INVALID,      /* a template with a mistake */
} StratusCfnErrorCode;

typedef enum
{
  STRATUS_CFN_NULL,   /* `~` or an empty value */
  STRATUS_CFN_STRING, /* text */
  STRATUS_CFN_NUMBER, /* number (text keeps it as written) */
  STRATUS_CFN_BOOL,   /* boolean (text is "true" / "false") */
  STRATUS_CFN_LIST,   /* items */
  STRATUS_CFN_MAP,    /* keys + items */
  STRATUS_CFN_REF,    /* Ref to a resource: text is its logical id */
  STRATUS_CFN_GETATT, /* Fn::GetAtt: text is the logical id, attribute the attribute */
  STRATUS_CFN_IMPORT, /* Fn::ImportValue: text is the export's name */
  STRATUS_CFN_CONCAT, /* a string known only at deploy time (Fn::Join / Fn::Sub over
                         symbolic parts): items are the parts (STRING, REF, GETATT,
                         IMPORT) in order; text renders it ("${Web.PublicIp}") */
} StratusCfnValueKind;

/* One evaluated value. A value owns everything it points to (text, attribute, plain,
 * keys, items) except `file`, which is interned. Free with stratus_cfn_value_free. */
typedef struct StratusCfnValue StratusCfnValue;
struct StratusCfnValue
{
  StratusCfnValueKind kind;
  char *text;       /* see the kinds; "" for NULL, LIST and MAP */
  double number;    /* NUMBER */
  bool boolean;     /* BOOL */
  char *attribute;  /* GETATT */
  bool base64;      /* made by Fn::Base64: text is the encoding (STRING) ... */
  char *plain;      /* ... and plain the text before it; NULL otherwise. A CONCAT under
                       Fn::Base64 keeps its parts and sets base64 (encoded at deploy time) */
  GPtrArray *keys;  /* MAP: char *, parallel to items */
  GPtrArray *items; /* LIST, MAP, CONCAT: StratusCfnValue * */
  const char *file; /* interned */
  int line, column; /* where the value (or the function making it) was written */
};

void stratus_cfn_value_free (StratusCfnValue *value);
StratusCfnValue *stratus_cfn_value_copy (const StratusCfnValue *value);
/* The value under `key` in a MAP; NULL when absent or when `map` is not a MAP. */
const StratusCfnValue *stratus_cfn_value_get (const StratusCfnValue *map, const char *key);
/* A readable one-line rendering (strings unquoted, lists "[a, b]", maps "{k: v}",
 * symbols "${Id}", "${Id.Attr}", "${ImportValue:Name}"); free with g_free. */
char *stratus_cfn_value_render (const StratusCfnValue *value);

typedef struct
{
  char *logical_id;
  char *type;                  /* "AWS::EC2::VPC" */
  const char *file;            /* interned */
  int line, column;            /* of the logical id */
  GPtrArray *depends_on;       /* char *: logical ids, as written (one string or a list) */
  char *condition;             /* the Condition it is subject to (true here), or NULL */
  StratusCfnValue *properties; /* MAP (empty when the resource has no Properties) */
} StratusCfnResource;

typedef struct
{
  char *name;
  char *type;              /* "String", "Number", "List<Number>", "AWS::EC2::VPC::Id" ... */
  StratusCfnValue *value;  /* STRING, NUMBER or LIST (for the list types) */
  bool overridden;         /* given by an option, not the Default */
  const char *file;
  int line, column;        /* of the parameter's name */
} StratusCfnParameter;

typedef struct
{
  char *path;
  char *region, *stack_name, *account_id;
  char *description;       /* the Description, or NULL */
  GPtrArray *parameters;   /* StratusCfnParameter *, template order */
  GPtrArray *resources;    /* StratusCfnResource *, template order, those a false Condition
                              excludes left out */
  GPtrArray *excluded;     /* char *: logical ids a false Condition excludes */
  GPtrArray *warnings;     /* char *: "file:line:column: ..." lines (e.g. an unresolved
                              Fn::ImportValue) */
} StratusCfnTemplate;

typedef struct
{
  const char *region;        /* NULL: "us-east-1" */
  const char *stack_name;    /* NULL: the file's name without directory and extension */
  const char *account_id;    /* NULL: "123456789012" */
  const char *const *params; /* NULL-terminated "Name=Value" overrides (--param), or NULL */
} StratusCfnOptions;

/* Reads and evaluates the template at `path` (opts may be NULL). On failure returns NULL
 * with one line "file:line:column: ..." in a STRATUS_CFN_ERROR; a file that is not a
 * CloudFormation template is refused with "file:line:column: not a CloudFormation
 * template (...)". Free with stratus_cfn_template_free. */
StratusCfnTemplate *stratus_cfn_load (const char *path, const StratusCfnOptions *opts,
                                      GError **error);
/* The same from text; `file_label` names it in messages and gives the default stack name. */
StratusCfnTemplate *stratus_cfn_load_string (const char *text, const char *file_label,
                                             const StratusCfnOptions *opts, GError **error);
void stratus_cfn_template_free (StratusCfnTemplate *tmpl);

const StratusCfnResource *stratus_cfn_find_resource (const StratusCfnTemplate *tmpl,
                                                     const char *logical_id);
const StratusCfnParameter *stratus_cfn_find_parameter (const StratusCfnTemplate *tmpl,
                                                       const char *name);

/* The AZ names of a region, as Fn::GetAZs returns them (a NULL-terminated static array),
 * or NULL for a region not in the table (docs/import.md lists them). */
const char *const *stratus_cfn_region_azs (const char *region);
