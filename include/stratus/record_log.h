/* An append-only log of fixed-size records (time-series rows) whose memory does not grow
 * with its length: records are buffered in a small block and, once the block fills, moved
 * to an anonymous temporary file (falling back to memory if no temporary file can be
 * made). Random access reads are cheap enough for report writing. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct StratusRecordLog StratusRecordLog;

/* A new log of records of `record_size` bytes. Free with stratus_record_log_free. */
StratusRecordLog *stratus_record_log_new (size_t record_size);

void stratus_record_log_free (StratusRecordLog *log);

/* Appends a copy of the record at `record`. */
void stratus_record_log_append (StratusRecordLog *log, const void *record);

/* Number of records appended. */
size_t stratus_record_log_length (const StratusRecordLog *log);

/* Copies record `index` (< length) into `out`. */
void stratus_record_log_get (const StratusRecordLog *log, size_t index, void *out);
