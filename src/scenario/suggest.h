/* "Did you mean ...?" for misspelt names. */
#pragma once

/* The candidate closest to `word` by edit distance (with transpositions), if it is close
 * enough to be a plausible typo; NULL otherwise. The result points into `candidates`. */
const char *stratus_suggest (const char *word, const char *const *candidates);
