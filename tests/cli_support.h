/* Helpers of the command-line tests: run the real stratus binary (STRATUS_BIN) as a child
 * process, and read and check what it printed and wrote. Every returned string is the
 * caller's (g_free); a Result is released with result_clear. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sys/resource.h>

/* A small scenario that runs in milliseconds. */
extern const char tiny[];

/* A limit on the size of the files the child writes (RLIM_INFINITY: none). */
extern rlim_t child_file_limit;

typedef struct
{
  int status; /* exit status; -1 if the process did not exit normally */
  char *out, *err;
} Result;

/* Frees what the result holds (it may be reused). */
void result_clear (Result *r);

/* Runs `stratus ARGS...` (NULL-terminated) in `cwd` (NULL: the current directory). */
Result run_in (const char *cwd, const char *first, ...);

/* Runs `stratus ARGS...` (NULL-terminated) with G_DEBUG=fatal-criticals: a GLib critical
 * aborts it. */
Result run_fatal_criticals_v (const char *first, ...);

/* Writes `contents` to `path`, failing the test if it cannot. */
void write_file (const char *path, const char *contents);

/* The contents of `path`, or NULL if it cannot be read. Caller frees. */
char *read_file (const char *path);

/* Writes `contents` to DIR/NAME; returns the path (caller frees). */
char *write_in (const char *dir, const char *name, const char *contents);

/* Prints the child's status, stdout and stderr (for a failing test). */
void print_result (const Result *r);

/* The child exited with `status` (its output is printed if not). */
void expect_status (const Result *r, int status);

/* stderr is exactly one line "file:line:column: message". */
void expect_one_error_line (const Result *r);

/* A parser holding `text`, which must be JSON. Unref it. */
JsonParser *parse_json (const char *text);

/* The node at a dotted path ("latency_ms.p99") below `root`, or NULL. */
JsonNode *json_at (JsonParser *parser, const char *path);

/* The member of `node` at a path of object names given one by one, ending with NULL
 * (names may hold dots); fails the test if there is none. */
JsonNode *json_member (JsonNode *node, ...);

/* The number at a dotted path, which must exist. */
double json_number (JsonParser *parser, const char *path);

/* The contents of DIR/NAME, which must exist. Caller frees. */
char *read_in (const char *dir, const char *name);

/* report.json of `dir`, checked to have no "run" section (that is in run.json). Caller
 * frees. */
char *report_json_in (const char *dir);

/* The names in `dir`, sorted and joined by spaces ("" if empty or missing). Caller frees. */
char *list_dir (const char *dir);

/* stderr is exactly one line starting with `prefix`. */
void expect_one_line (const Result *r, const char *prefix);

#define run_stratus(...) run_in (NULL, __VA_ARGS__, NULL)
#define run_fatal_criticals(...) run_fatal_criticals_v (__VA_ARGS__, NULL)
