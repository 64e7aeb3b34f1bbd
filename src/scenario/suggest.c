/* Optimal-string-alignment distance, smallest wins, ties to the earlier candidate. */
#include "suggest.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

static size_t
osa_distance (const char *a, const char *b)
{
  size_t n = strlen (a), m = strlen (b);
  size_t *prev2 = g_new0 (size_t, m + 1), *prev = g_new0 (size_t, m + 1),
         *cur = g_new0 (size_t, m + 1);
  for (size_t j = 0; j <= m; j++)
    prev[j] = j;
  for (size_t i = 1; i <= n; i++)
    {
      cur[0] = i;
      for (size_t j = 1; j <= m; j++)
        {
          size_t cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          size_t best = MIN (prev[j] + 1, cur[j - 1] + 1);
          best = MIN (best, prev[j - 1] + cost);
          if (i > 1 && j > 1 && g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 2])
              && g_ascii_tolower (a[i - 2]) == g_ascii_tolower (b[j - 1]))
            best = MIN (best, prev2[j - 2] + 1);
          cur[j] = best;
        }
      size_t *tmp = prev2;
      prev2 = prev;
      prev = cur;
      cur = tmp;
    }
  size_t d = prev[m];
  g_free (prev2);
  g_free (prev);
  g_free (cur);
  return d;
}

const char *
stratus_suggest (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  size_t best_distance = SIZE_MAX;
  size_t len = strlen (word);
  size_t limit = len <= 3 ? 1 : (len <= 8 ? 2 : len / 3);
  for (const char *const *c = candidates; c != NULL && *c != NULL; c++)
    {
      size_t d = osa_distance (word, *c);
      if (d < best_distance)
        {
          best_distance = d;
          best = *c;
        }
    }
  if (best == NULL || best_distance > limit)
    {
      /* A prefix or underscore/dash slip ("peak" for "peak_at") is still a good hint. */
      for (const char *const *c = candidates; c != NULL && *c != NULL; c++)
        if (len >= 3 && (g_str_has_prefix (*c, word) || g_str_has_prefix (word, *c)))
          return *c;
      return NULL;
    }
  return best;
}
