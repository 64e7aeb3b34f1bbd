/* Shared by src/import/import_*.c: the mapping context and its helpers. */
#pragma once

#include <stdbool.h>

#include "stratus/import.h"

#define MARK "  " STRATUS_IMPORT_DEFAULT_MARK

typedef struct
{
  const StratusCfnTemplate *t;
  GHashTable *names;    /* logical id -> scenario name */
  GHashTable *used;     /* scenario names taken */
  GHashTable *consumed; /* logical ids modelled (or folded into another key) */
  GHashTable *why;      /* logical id -> why it is not modelled (owned), over the type's */
  GString *report;      /* "  ..." lines */
  GError *error;        /* the first error */
  bool has_vpc;
  GPtrArray *azs;       /* char *, sorted, unique */
  GString *vpc, *lbs, *tgs, *instances, *amis, *lts, *asgs, *dbs, *workload;
} ImportCtx;

const StratusCfnValue *imp_prop (const StratusCfnResource *r, const char *key);
/* The text of a STRING, NUMBER or BOOL; NULL otherwise (or for NULL). */
const char *imp_text (const StratusCfnValue *v);
bool imp_fail (ImportCtx *c, const char *file, int line, int column, const char *fmt, ...)
  G_GNUC_PRINTF (5, 6);
void imp_note (ImportCtx *c, const StratusCfnResource *r, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);
/* Records why `r` is not modelled (replacing an earlier why), shown in the report unless
 * `r` is consumed after all. */
void imp_unmodelled (ImportCtx *c, const StratusCfnResource *r, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);
const char *imp_name (ImportCtx *c, const char *logical_id);
void imp_consume (ImportCtx *c, const StratusCfnResource *r);
/* The resource a REF / GETATT `v` names, which must be of one of the NULL-terminated
 * `types`; an error at `v` (what: ...) otherwise, or when `v` is missing and `required`. */
const StratusCfnResource *imp_target (ImportCtx *c, const StratusCfnResource *owner,
                                      const StratusCfnValue *v, const char *what,
                                      bool required, const char *const *types);
/* Whether `v` refers (REF or GETATT) to logical id `id`. */
bool imp_refers_to (const StratusCfnValue *v, const char *id);
/* Appends "[a, b]" of the names of the resources the list `v` refers to (each checked). */
bool imp_name_list (ImportCtx *c, const StratusCfnResource *owner, GString *out,
                    const StratusCfnValue *v, const char *what, const char *const *types);
bool imp_is_type (const StratusCfnResource *r, const char *type);
/* Appends `text` to `out` as a YAML scalar: plain when it is a safe word, else
 * double-quoted with every line break and control character escaped (any text is safe). */
void imp_scalar (GString *out, const char *text);
/* imp_text of `v` for a value written into the scenario as it is (a number, a type, a
 * CIDR, an AZ): NULL when absent, and NULL with an error at `v` when it holds anything but
 * letters, digits and . _ / - + (so that no template text can break the YAML). */
const char *imp_word (ImportCtx *c, const StratusCfnValue *v);

void imp_map_vpc (ImportCtx *c);
void imp_map_compute (ImportCtx *c);
void imp_map_databases (ImportCtx *c);
/* The security groups of database resource `db` (a DB instance that is neither a replica
 * nor a cluster member: VPCSecurityGroups; a DB cluster: VpcSecurityGroupIds), or NULL. */
const StratusCfnValue *imp_db_security_groups (const StratusCfnResource *db);
/* Whether database resource `db` has members other than the writer that serve reads
 * (read replicas, Aurora readers, a Multi-AZ DB cluster's standbys). */
bool imp_db_has_readers (ImportCtx *c, const StratusCfnResource *db);
/* Appends step or simple policy `p` of group `asg` with the alarm that triggers it to
 * `out`, or records why it is not imported; false on an error. */
bool imp_map_alarm_policy (ImportCtx *c, const StratusCfnResource *asg,
                           const StratusCfnResource *p, GString *out);
/* Whether security group `sg` admits group `source` in any inbound rule. */
bool imp_sg_admits (ImportCtx *c, const char *sg, const char *source);
