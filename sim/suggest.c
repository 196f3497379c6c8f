/* suggest.h: restricted Damerau-Levenshtein distance (optimal string alignment) over short names. */
#include "suggest.h"

#include <string.h>

#define SUGGEST_MAX_LEN 96 /* longer names are never suggested (field paths are shorter) */

static size_t min3(size_t a, size_t b, size_t c)
{
  size_t m = a < b ? a : b;
  return m < c ? m : c;
}

static size_t distance(const char* a, const char* b)
{
  size_t n = strlen(a), m = strlen(b);
  static size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
  for (size_t i = 0; i <= n; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= m; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      size_t cost = a[i - 1] != b[j - 1];
      d[i][j]     = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
        d[i][j] = d[i - 2][j - 2] + 1; /* two neighbours swapped */
    }
  return d[n][m];
}

const char* suggest_nearest(const char* word, const char* const* candidates, size_t count)
{
  size_t len = strlen(word);
  if (len == 0 || len > SUGGEST_MAX_LEN) return NULL;
  size_t limit     = len / 3 > 2 ? len / 3 : 2;
  const char* best = NULL;
  size_t best_dist = limit + 1;
  for (size_t i = 0; i < count; i++) {
    if (!candidates[i] || strlen(candidates[i]) > SUGGEST_MAX_LEN) continue;
    size_t dist = distance(word, candidates[i]);
    if (dist < best_dist) {
      best      = candidates[i];
      best_dist = dist;
    }
  }
  return best;
}
