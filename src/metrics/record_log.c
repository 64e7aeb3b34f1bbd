/* Record log: a 256-record block in memory, full blocks appended to a tmpfile(). */
#include "stratus/record_log.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define BLOCK_RECORDS 256

struct StratusRecordLog
{
  size_t record_size;
  size_t length;      /* all records */
  size_t spilled;     /* records in the file */
  FILE *file;         /* NULL until the first spill, or when no temp file could be made */
  uint8_t *block;     /* records [spilled, length) */
  size_t block_cap;   /* in records */
};

StratusRecordLog *
stratus_record_log_new (size_t record_size)
{
  g_assert (record_size > 0);
  StratusRecordLog *log = g_new0 (StratusRecordLog, 1);
  log->record_size = record_size;
  log->block_cap = BLOCK_RECORDS;
  log->block = g_malloc (record_size * BLOCK_RECORDS);
  return log;
}

void
stratus_record_log_free (StratusRecordLog *log)
{
  if (log == NULL)
    return;
  if (log->file != NULL)
    fclose (log->file);
  g_free (log->block);
  g_free (log);
}

/* Moves the block to the file; if there is no file to be had, grows the block instead. */
static void
spill (StratusRecordLog *log)
{
  size_t in_block = log->length - log->spilled;
  if (log->file == NULL && log->spilled == 0)
    log->file = tmpfile ();
  /* Seek to the end of what was written whole, so a short write (disk full) leaves no
   * misaligned records behind: the block then stays in memory and grows instead. */
  if (log->file != NULL && fseek (log->file, (long) (log->spilled * log->record_size), SEEK_SET) == 0
      && fwrite (log->block, log->record_size, in_block, log->file) == in_block
      && fflush (log->file) == 0)
    {
      log->spilled += in_block;
      return;
    }
  log->block_cap *= 2;
  log->block = g_realloc_n (log->block, log->block_cap, log->record_size);
}

void
stratus_record_log_append (StratusRecordLog *log, const void *record)
{
  if (log->length - log->spilled == log->block_cap)
    spill (log);
  memcpy (log->block + (log->length - log->spilled) * log->record_size, record, log->record_size);
  log->length++;
}

size_t
stratus_record_log_length (const StratusRecordLog *log)
{
  return log->length;
}

void
stratus_record_log_get (const StratusRecordLog *log, size_t index, void *out)
{
  g_assert (index < log->length);
  if (index >= log->spilled)
    {
      memcpy (out, log->block + (index - log->spilled) * log->record_size, log->record_size);
      return;
    }
  long offset = (long) (index * log->record_size);
  if (fseek (log->file, offset, SEEK_SET) != 0 || fread (out, log->record_size, 1, log->file) != 1)
    g_error ("cannot read back the time series from its temporary file");
}
