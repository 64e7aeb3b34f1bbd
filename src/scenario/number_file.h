/* Columns of numbers from small CSV files (traces, samples). */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Parses one value of a CSV cell into a double, or fails with a message (no position). */
typedef bool (*StratusCellParser) (const char *cell, double *value, void *user_data,
                                   GError **error);

/* Reads `path` and returns the values of column `column` (0-based; -1 = the last) of each
 * row, as doubles (caller frees the GArray). Blank lines and lines starting with '#' are
 * skipped; a first row whose cell does not parse is taken as a header. Errors name
 * "path:line:column". */
GArray *stratus_read_number_column (const char *path, int column, StratusCellParser parse,
                                    void *user_data, GError **error);
