/* Islands of a LUC backbone under link failures: connected components of the up links, recomputed
 * by a breadth-first search at each link change (sites and links are few: a backbone of 1000
 * sites and a few thousand links costs microseconds per change), and for each pair of sites the
 * time they got separated, which failure detectors need (a peer beyond a split is suspected a
 * heartbeat timeout after the split). */
#include "islands.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

struct islands {
  size_t sites, links;
  const plat_t* plat;
  bool* up;            /* per link */
  size_t* island;      /* per site: smallest site index of its island */
  size_t count;        /* islands */
  double* apart_since; /* sites x sites: when the pair got separated, -1 while they reach each other */
  size_t* queue;       /* BFS work space, per site */
  size_t* adj_start;   /* CSR adjacency: links of site s are adj_link[adj_start[s]..adj_start[s+1]) */
  size_t* adj_link;
  double split_since;   /* when the current split began (count > 1) */
  double split_total_s; /* closed split periods */
};

void islands_destroy(islands_t* is)
{
  if (!is) return;
  free(is->up);
  free(is->island);
  free(is->apart_since);
  free(is->queue);
  free(is->adj_start);
  free(is->adj_link);
  free(is);
}

islands_t* islands_create(const plat_t* plat)
{
  islands_t* is = calloc(1, sizeof *is);
  if (!is) return NULL;
  size_t n = plat_site_count(plat), links = plat_link_count(plat);
  size_t nn       = n ? n : 1;
  is->plat        = plat;
  is->sites       = n;
  is->links       = links;
  is->count       = 1;
  is->up          = malloc((links ? links : 1) * sizeof *is->up);
  is->island      = calloc(nn, sizeof *is->island);
  is->apart_since = malloc(nn * nn * sizeof *is->apart_since);
  is->queue       = malloc(nn * sizeof *is->queue);
  is->adj_start   = calloc(nn + 1, sizeof *is->adj_start);
  is->adj_link    = malloc((links ? 2 * links : 1) * sizeof *is->adj_link);
  if (!is->up || !is->island || !is->apart_since || !is->queue || !is->adj_start || !is->adj_link) {
    islands_destroy(is);
    return NULL;
  }
  for (size_t l = 0; l < links; l++) {
    is->up[l] = true;
    is->adj_start[plat_link(plat, l)->a + 1]++;
    is->adj_start[plat_link(plat, l)->b + 1]++;
  }
  for (size_t s = 0; s < n; s++)
    is->adj_start[s + 1] += is->adj_start[s];
  memcpy(is->queue, is->adj_start, n * sizeof *is->queue); /* fill positions */
  for (size_t l = 0; l < links; l++) {
    is->adj_link[is->queue[plat_link(plat, l)->a]++] = l;
    is->adj_link[is->queue[plat_link(plat, l)->b]++] = l;
  }
  for (size_t i = 0; i < nn * nn; i++)
    is->apart_since[i] = -1;
  return is; /* island[] all 0: a backbone file or topology is connected (checked when it is built) */
}

/* Labels every site (is->island) with the smallest site index of its component; returns the
 * component count. */
static size_t label(islands_t* is)
{
  size_t* island      = is->island;
  const size_t unseen = (size_t)-1;
  for (size_t s = 0; s < is->sites; s++)
    island[s] = unseen;
  size_t count = 0;
  for (size_t root = 0; root < is->sites; root++) {
    if (island[root] != unseen) continue;
    count++;
    size_t head = 0, tail = 0;
    island[root]      = root;
    is->queue[tail++] = root;
    while (head < tail) {
      size_t s = is->queue[head++];
      for (size_t k = is->adj_start[s]; k < is->adj_start[s + 1]; k++) {
        size_t l = is->adj_link[k];
        if (!is->up[l]) continue;
        const plat_link_t* pl = plat_link(is->plat, l);
        size_t other          = pl->a == s ? pl->b : pl->a;
        if (island[other] != unseen) continue;
        island[other]     = root;
        is->queue[tail++] = other;
      }
    }
  }
  return count;
}

bool islands_set_link(islands_t* is, size_t link, bool up, double now)
{
  xbt_assert(link < is->links, "backbone link %zu of %zu", link, is->links);
  if (is->up[link] == up) return false;
  is->up[link]   = up;
  size_t* before = malloc((is->sites ? is->sites : 1) * sizeof *before);
  xbt_assert(before, "out of memory (islands)");
  memcpy(before, is->island, is->sites * sizeof *before);
  size_t count = label(is);
  bool changed = memcmp(before, is->island, is->sites * sizeof *before) != 0;
  free(before);
  if (!changed) return false;
  for (size_t a = 0; a < is->sites; a++)
    for (size_t b = 0; b < is->sites; b++) {
      double* since = &is->apart_since[a * is->sites + b];
      bool apart    = is->island[a] != is->island[b];
      if (apart && *since < 0) *since = now;
      if (!apart) *since = -1;
    }
  if (is->count == 1 && count > 1) is->split_since = now;
  if (is->count > 1 && count == 1) is->split_total_s += now - is->split_since;
  is->count = count;
  return true;
}

bool islands_ever_split(const islands_t* is)
{
  return is->count > 1 || is->split_total_s > 0;
}

size_t islands_of_site(const islands_t* is, size_t site)
{
  return is->island[site];
}

size_t islands_count(const islands_t* is)
{
  return is->count;
}

bool islands_sites_reach(const islands_t* is, size_t site_a, size_t site_b)
{
  return is->island[site_a] == is->island[site_b];
}

double islands_separated_since(const islands_t* is, size_t site_a, size_t site_b)
{
  return is->apart_since[site_a * is->sites + site_b];
}

double islands_split_s(const islands_t* is, double now)
{
  return is->split_total_s + (is->count > 1 ? now - is->split_since : 0);
}
