/* The record log keeps every row, in order, whether in its block or spilled to disk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stratus/record_log.h"

typedef struct
{
  uint64_t index;
  double square;
  char tag[13];
} Row;

static void
record_log_reads_back_every_row_across_spills (void **state)
{
  (void) state;
  StratusRecordLog *log = stratus_record_log_new (sizeof (Row));
  assert_int_equal (stratus_record_log_length (log), 0);
  const size_t n = 10000; /* many 256-row blocks, the last one partial */
  for (size_t i = 0; i < n; i++)
    {
      Row row = { .index = i, .square = (double) i * (double) i };
      row.tag[i % 13] = (char) ('a' + i % 26);
      stratus_record_log_append (log, &row);
      if (i % 1000 == 0) /* reads in the middle of appending do not disturb it */
        {
          Row back;
          stratus_record_log_get (log, i / 2, &back);
          assert_int_equal (back.index, i / 2);
        }
    }
  assert_int_equal (stratus_record_log_length (log), n);
  for (size_t i = 0; i < n; i++)
    {
      Row back;
      stratus_record_log_get (log, i, &back);
      assert_int_equal (back.index, i);
      assert_true (back.square == (double) i * (double) i);
      assert_int_equal (back.tag[i % 13], 'a' + i % 26);
    }
  Row last;
  stratus_record_log_get (log, n - 1, &last);
  assert_int_equal (last.index, n - 1);
  stratus_record_log_free (log);
}

static void
record_log_short_log_stays_in_memory (void **state)
{
  (void) state;
  StratusRecordLog *log = stratus_record_log_new (sizeof (uint32_t));
  for (uint32_t i = 0; i < 100; i++)
    stratus_record_log_append (log, &i);
  uint32_t v;
  stratus_record_log_get (log, 99, &v);
  assert_int_equal (v, 99);
  stratus_record_log_get (log, 0, &v);
  assert_int_equal (v, 0);
  stratus_record_log_free (log);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (record_log_reads_back_every_row_across_spills),
    cmocka_unit_test (record_log_short_log_stays_in_memory),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
