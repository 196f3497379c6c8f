/* The DVMS locality-aware overlay (scheduler.overlay=locality): each partition's ring orders every PM
 * by network distance from its initiator (its own site first, then the other sites by route latency,
 * ties by site index; inside a site, PM index order from the initiator's rank, wrapping). Built once
 * at init from per-site lists and one latency query per pair of sites: O(PMs + sites^2) memory, and
 * a position <-> PM lookup in O(log sites). Not the walk's skip rules (view.c) nor the protocol. */
#include "dvms/dvms.h"

#include <math.h>
#include <stdlib.h>
#include <xbt/asserts.h>

struct dvms_overlay {
  size_t pms, sites;
  uint32_t* site_of;    /* pms: the site of each PM */
  uint32_t* rank;       /* pms: the PM's position in its site's list */
  uint32_t* site_start; /* sites + 1: site s's PMs are list[site_start[s] .. site_start[s + 1]) */
  uint32_t* list;       /* pms: the PMs by site, increasing index inside each */
  uint32_t* order;      /* sites x sites: row s lists the sites by (latency from s, index), s first */
  uint32_t* order_pos;  /* sites x sites: the position of site t in row s */
  uint32_t* cum;        /* sites x (sites + 1): row s: PMs of the sites before position k of row s */
};

static void* alloc(size_t n, size_t size)
{
  void* p = calloc(n ? n : 1, size);
  xbt_assert(p, "out of memory (DVMS overlay)");
  return p;
}

/* Sorts row (the sites but `self`, after it) by latency from self, ties by index: insertion sort. */
static void sort_row(uint32_t* row, size_t n, const double* lat)
{
  for (size_t i = 2; i < n; i++) {
    uint32_t x = row[i];
    size_t j   = i;
    while (j > 1 && (lat[row[j - 1]] > lat[x] || (lat[row[j - 1]] == lat[x] && row[j - 1] > x)))
      row[j] = row[j - 1], j--;
    row[j] = x;
  }
}

dvms_overlay_t* dvms__overlay_create(const sched_ctx_t* ctx)
{
  dvms_overlay_t* o = alloc(1, sizeof *o);
  size_t P = sched_pm_count(ctx), S = sched_site_count(ctx);
  o->pms = P, o->sites = S ? S : 1;
  S             = o->sites;
  o->site_of    = alloc(P, sizeof *o->site_of);
  o->rank       = alloc(P, sizeof *o->rank);
  o->site_start = alloc(S + 1, sizeof *o->site_start);
  o->list       = alloc(P, sizeof *o->list);
  o->order      = alloc(S * S, sizeof *o->order);
  o->order_pos  = alloc(S * S, sizeof *o->order_pos);
  o->cum        = alloc(S * (S + 1), sizeof *o->cum);
  for (size_t pm = 0; pm < P; pm++) {
    size_t s = sched_site_count(ctx) ? sched_pm_site(ctx, pm) : 0;
    xbt_assert(s < S, "PM %zu: site %zu out of range", pm, s);
    o->site_of[pm] = (uint32_t)s;
    o->site_start[s + 1]++;
  }
  for (size_t s = 0; s < S; s++)
    o->site_start[s + 1] += o->site_start[s];
  uint32_t* fill = alloc(S, sizeof *fill);
  for (size_t pm = 0; pm < P; pm++) {
    uint32_t s                            = o->site_of[pm];
    o->rank[pm]                           = fill[s];
    o->list[o->site_start[s] + fill[s]++] = (uint32_t)pm;
  }
  free(fill);
  double* lat = alloc(S, sizeof *lat);
  for (size_t s = 0; s < S; s++) {
    uint32_t* row = o->order + s * S;
    bool here     = o->site_start[s + 1] > o->site_start[s];
    for (size_t t = 0; t < S; t++) { /* one query per pair of sites, between their first PMs */
      bool there = o->site_start[t + 1] > o->site_start[t];
      lat[t]     = t == s          ? 0
                   : here && there ? sched_route_latency(ctx, o->list[o->site_start[s]], o->list[o->site_start[t]])
                                   : INFINITY;
    }
    row[0] = (uint32_t)s;
    for (size_t t = 0, k = 1; t < S; t++)
      if (t != s) row[k++] = (uint32_t)t;
    sort_row(row, S, lat);
    uint32_t* cum = o->cum + s * (S + 1);
    for (size_t k = 0; k < S; k++) {
      o->order_pos[s * S + row[k]] = (uint32_t)k;
      cum[k + 1]                   = cum[k] + (o->site_start[row[k] + 1] - o->site_start[row[k]]);
    }
  }
  free(lat);
  return o;
}

void dvms__overlay_destroy(dvms_overlay_t* o)
{
  if (!o) return;
  free(o->site_of), free(o->rank), free(o->site_start), free(o->list);
  free(o->order), free(o->order_pos), free(o->cum);
  free(o);
}

uint32_t dvms__overlay_pos(const dvms_overlay_t* o, uint32_t initiator, uint32_t pm)
{
  size_t S = o->sites, si = o->site_of[initiator], t = o->site_of[pm];
  uint32_t size = o->site_start[t + 1] - o->site_start[t];
  uint32_t rot  = o->rank[initiator] % size;
  return o->cum[si * (S + 1) + o->order_pos[si * S + t]] + (o->rank[pm] + size - rot) % size;
}

uint32_t dvms__overlay_at(const dvms_overlay_t* o, uint32_t initiator, uint32_t pos)
{
  size_t S = o->sites, si = o->site_of[initiator];
  const uint32_t* cum = o->cum + si * (S + 1);
  size_t lo = 0, hi = S; /* the last k with cum[k] <= pos (an empty site never matches) */
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (cum[mid] <= pos)
      lo = mid;
    else
      hi = mid - 1;
  }
  uint32_t t = o->order[si * S + lo], size = o->site_start[t + 1] - o->site_start[t];
  uint32_t rot = o->rank[initiator] % size;
  return o->list[o->site_start[t] + (pos - cum[lo] + rot) % size];
}
