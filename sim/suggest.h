/* "Did you mean": the candidate nearest to a misspelt name, for the one-line errors of unknown
 * fields, scheduler parameters and options. */
#ifndef LUCSIM_SUGGEST_H
#define LUCSIM_SUGGEST_H

#include <stddef.h>

/* The candidate (candidates[0..count), NULL entries skipped) at the smallest edit distance from
 * word (insertions, deletions, substitutions and swaps of two neighbours, case-sensitive), when
 * that distance is at most 2, or a third of word's length if more; NULL when none is that close.
 * The first of equally near candidates wins. */
const char* suggest_nearest(const char* word, const char* const* candidates, size_t count);

#endif
