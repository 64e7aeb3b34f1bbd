/* Columns of numbers from small CSV files (traces, samples). */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* The largest file read as a trace or a sample file (256 MiB): checked before reading. */
#define STRATUS_NUMBER_FILE_MAX_BYTES ((size_t) 256 << 20)

/* Parses one value of a CSV cell into a double, or fails with a message (no position). */
typedef bool (*StratusCellParser) (const char *cell, double *value, void *user_data,
                                   GError **error);

/* Reads `path` and returns the values of column `column` (0-based; -1 = the last) of each
 * row, as doubles (caller frees the GArray). Blank lines and lines starting with '#' are
 * skipped; a first row whose cell does not parse and does not start like a number (a
 * digit, '.', '+' or '-') is taken as a header. The file must be a regular file (not a
 * device, FIFO or folder) of at most STRATUS_NUMBER_FILE_MAX_BYTES, checked before reading,
 * and hold no NUL byte. Errors (STRATUS_SCENARIO_ERROR) name "path:line:column". */
GArray *stratus_read_number_column (const char *path, int column, StratusCellParser parse,
                                    void *user_data, GError **error);
