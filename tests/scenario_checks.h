/* Loading scenario text in tests, and checking the one-line errors it gives. Every
 * scenario is loaded under the display name "t.yaml". */
#pragma once

#include "stratus/scenario.h"

/* `text` with its only occurrence of `from` replaced by `to` (fails the test if `from`
 * is absent or repeated). Caller frees. */
char *subst (const char *text, const char *from, const char *to);

/* `text` loads (with `overrides`, NULL-terminated, may be NULL); fails the test with the
 * message otherwise. Caller frees the scenario. */
StratusScenario *load_ok_with (const char *text, const char *const *overrides);
StratusScenario *load_ok (const char *text);

/* `text` is refused; its message. Caller frees. */
char *load_error_with (const char *text, const char *const *overrides);
char *load_error (const char *text);

/* The message is one line, starts with `prefix` and contains each of the NULL-terminated
 * `needles`; frees it. */
void check_message (char *message, const char *prefix, const char *const *needles);

#define NEEDLES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* `text` loads with the "path=value" overrides given as the other arguments (ending with
 * NULL); fails the test with the message otherwise. Caller frees the scenario. */
#define load_ok_set(text, ...) load_ok_with (text, NEEDLES (__VA_ARGS__))

/* `text` with `from` replaced by `to` is refused with a message starting `prefix`
 * ("t.yaml:LINE:COL: ") and containing each needle. */
#define expect_text_error(text, from, to, prefix, ...)                                      \
  do                                                                                        \
    {                                                                                       \
      char *text_ = subst (text, from, to);                                                 \
      char *message_ = load_error (text_);                                                  \
      g_free (text_);                                                                       \
      check_message (message_, prefix, NEEDLES (__VA_ARGS__));                              \
    }                                                                                       \
  while (0)
