/* Typed fields of scenario files, shared by the parsers of each section. Every function
 * that fails sets ctx->error to one line "file:line:column: message" and returns false
 * (or NULL); values written through `out` are owned by the caller. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "stratus/scenario.h"
#include "yaml_tree.h"

typedef struct
{
  char *base_dir; /* for relative paths of traces and sample files; may be NULL */
  GError **error;
} FieldCtx;

/* Parses one named component (key = its name) into `out`; `user_data` is the caller's. */
typedef bool (*FieldParseFn) (FieldCtx *ctx, const YNode *key, const YNode *value, void *out,
                              void *user_data);

/* Sets the error "file:line:column: message" at `node`; always returns false. */
bool field_fail_at (FieldCtx *ctx, const YNode *node, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* "; did you mean 'x'?" when a candidate is close to `word`, else "". Caller frees. */
char *field_hint (const char *word, const char *const *candidates);

/* The node is of `kind` (and not null); `what` names it in the error. */
bool field_expect_kind (FieldCtx *ctx, const YNode *node, YNodeKind kind, const char *what);

/* Every key of `map` is in the NULL-terminated `allowed`; `what` names the map. */
bool field_check_keys (FieldCtx *ctx, const YNode *map, const char *const *allowed,
                       const char *what);

/* The value of a required key, or NULL with an error at the map. */
const YNode *field_require (FieldCtx *ctx, const YNode *map, const char *key, const char *what);

/* Reports `inner` (a units or distribution error) at `node`, prefixed by `key`; frees it. */
bool field_fail_wrapped (FieldCtx *ctx, const YNode *node, const char *key, GError *inner);

/* Optional keys with defaults. Strings are copied (NULL default allowed). */
bool field_get_string (FieldCtx *ctx, const YNode *map, const char *key, const char *def,
                       char **out);
bool field_parse_int64_node (FieldCtx *ctx, const YNode *v, const char *key, int64_t min,
                             int64_t max, int64_t *out);
bool field_get_int (FieldCtx *ctx, const YNode *map, const char *key, int def, int min, int max,
                    int *out);

/* A whole number >= 0, or "unlimited" (-1). */
bool field_get_limit (FieldCtx *ctx, const YNode *map, const char *key, int64_t def,
                      int64_t *out);
bool field_get_number (FieldCtx *ctx, const YNode *map, const char *key, double def, double min,
                       double *out);
/* A duration of at most STRATUS_TIME_INPUT_MAX (100 years), or with `allow_unlimited`
 * the word "unlimited" (STRATUS_TIME_NEVER). */
bool field_parse_duration_node (FieldCtx *ctx, const YNode *v, const char *key,
                                bool allow_unlimited, StratusTime *out);
/* The duration `key` of `map` (default `def` s) between `lo` and `hi` seconds, else
 * "KEY: must be between LOs and HIs, as on AWS". */
bool field_get_seconds_between (FieldCtx *ctx, const YNode *map, const char *key, int def,
                                int lo, int hi, StratusTime *out);

bool field_get_duration (FieldCtx *ctx, const YNode *map, const char *key, StratusTime def,
                         bool allow_unlimited, StratusTime *out);
/* A rate per second of at most STRATUS_RATE_MAX (10M/s). */
bool field_parse_rate_node (FieldCtx *ctx, const YNode *v, const char *key, double *out);

/* A required rate. */
bool field_get_rate (FieldCtx *ctx, const YNode *map, const char *key, double *out);

/* The value is one of `allowed`; its position goes to `index`. */
bool field_check_choice (FieldCtx *ctx, const YNode *v, const char *key,
                         const char *const *allowed, int *index);

/* A path relative to the scenario file's folder. Caller frees. */
char *field_resolve_path (FieldCtx *ctx, const char *path);

/* A component name: letters, digits, '-' and '_'. */
bool field_check_name (FieldCtx *ctx, const YNode *key);

/* Parses the map `section` of `root` (absent = nothing) with `parse_one` (given
 * `user_data`) into `out`, each component a zeroed block of `size` bytes added to `out`
 * before it is parsed (so `out`'s free function releases it even when parsing fails). */
bool field_parse_named (FieldCtx *ctx, const YNode *root, const char *section, size_t size,
                        FieldParseFn parse_one, void *user_data, GPtrArray *out);

/* A distribution (`service_time`): a duration (a constant) or a mapping with `dist`,
 * `mean` and its kind's parameters; the samples of an empirical one are read from `file`
 * (relative to ctx->base_dir). On success *out is initialised (the caller clears it). */
bool field_parse_dist (FieldCtx *ctx, const YNode *v, const char *key, StratusDist *out);

/* A workload's `rate`: a rate (constant) or a mapping with a `shape` (constant, steps,
 * diurnal, spike, replay) and its keys; a replayed trace is read from `file` (relative to
 * ctx->base_dir). Arrays in *rate are created here and owned by the caller, even on
 * failure. */
bool field_parse_rate (FieldCtx *ctx, const YNode *v, StratusRateConfig *rate);

/* Optional keys with defaults. A boolean is true/false or yes/no; a size is as
 * stratus_parse_size reads it, at most STRATUS_MESSAGE_BYTES_MAX (1 TB; above it: "KEY: at
 * most 1TB (10^12 bytes) per message, found 'X'"); a port is 1 to 65535. */
bool field_get_bool (FieldCtx *ctx, const YNode *map, const char *key, bool def, bool *out);
bool field_get_size (FieldCtx *ctx, const YNode *map, const char *key, uint64_t def,
                     uint64_t *out);
bool field_get_port (FieldCtx *ctx, const YNode *map, const char *key, int def, uint16_t *out);

/* An optional list of names (absent = empty), each appended to `out` as a copy; a name
 * listed twice is an error. */
bool field_get_name_list (FieldCtx *ctx, const YNode *map, const char *key, GPtrArray *out);

/* The key node of `key` in `map` (for errors about a key that should not be there), or
 * NULL. Borrowed from the tree. */
const YNode *field_key_node (const YNode *map, const char *key);
