/* Cron schedules of scheduled actions ("0 8 * * 1-5"): parsing into a StratusCron
 * (stratus_cron_next, in cron.c, finds their times). Internal to the scenario parser. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "stratus/scenario.h"

/* Parses five fields, minute hour day-of-month month day-of-week, each `*`, `n`, `a-b`,
 * `*\/s`, `a-b/s`, `n/s` (n to the field's end) or a comma list of them; months and days of
 * the week may also be written as three-letter English names (JAN, MON), and 7 is Sunday
 * too. Fails with one line ("minute field '61' is out of range 0-59") in `error`. */
bool cron_parse (const char *text, StratusCron *out, GError **error);
