/* The files of one run as one unit (`stratus run --out DIR`): they are written into a
 * temporary folder beside DIR (same parent, `.DIRNAME.stratus-PID.tmp`) and published
 * together, by renaming it to DIR (DIR missing or empty) or by exchanging it atomically
 * with DIR (renameat2 RENAME_EXCHANGE) and removing the previous set. A reader sees the
 * old set or the new one, never a mix; an interrupted run leaves DIR as it was. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#define STRATUS_OUTPUT_ERROR (stratus_output_error_quark ())

typedef enum
{
  STRATUS_OUTPUT_ERROR_FOREIGN, /* DIR holds a file stratus did not write (a usage error) */
  STRATUS_OUTPUT_ERROR_IO,      /* DIR cannot be created, probed, written or published */
} StratusOutputError;

GQuark stratus_output_error_quark (void);

typedef struct StratusOutputSet StratusOutputSet;

/* Prepares DIR before a run: creates its parent folders if missing, refuses a DIR that is
 * not a folder, is not writable (probed by creating and removing an entry) or holds an
 * entry whose name is not in `known_names` (NULL-terminated; NAME.XXXXXX leftovers of a
 * known NAME count as known; a name holding '*' is a pattern: "capacity-*.png"); removes stale temporary folders of dead processes beside
 * DIR; creates this run's temporary folder. NULL with `error` set (nothing left behind)
 * on failure. The set is the caller's: free with stratus_output_set_free. */
StratusOutputSet *stratus_output_set_open (const char *dir, const char *const *known_names,
                                           GError **error);

/* The temporary folder to write the files into (owned by the set). */
const char *stratus_output_set_folder (const StratusOutputSet *set);

/* Writes `contents` (`length` bytes, -1: NUL-terminated) as NAME in the temporary folder,
 * under a temporary name then renamed. False with `error` set (a full disk, ...). */
bool stratus_output_set_write (StratusOutputSet *set, const char *name, const char *contents,
                               gssize length, GError **error);

/* Publishes the temporary folder as DIR in one step and removes the previous set. False
 * with `error` set if DIR gained a foreign entry meanwhile or the filesystem refuses the
 * exchange; then DIR is as it was and the temporary folder is removed. */
bool stratus_output_set_publish (StratusOutputSet *set, GError **error);

/* Removes the temporary folder unless the set was published, and frees the set. NULL is
 * allowed. */
void stratus_output_set_free (StratusOutputSet *set);
