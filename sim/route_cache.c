/* Remembered route latencies and bandwidths (route_cache.h). */
#include "route_cache.h"

#include <stdlib.h>

typedef struct route_slot {
  uint32_t from, to; /* UINT32_MAX: empty */
  double latency_s, bandwidth_Bps;
} route_slot_t;

struct route_cache {
  route_slot_t* slots;
  size_t mask;
};

route_cache_t* route_cache_create(size_t slots)
{
  size_t n = 1;
  while (n < slots)
    n *= 2;
  route_cache_t* rc = malloc(sizeof *rc);
  route_slot_t* s   = malloc(n * sizeof *s);
  if (!rc || !s) {
    free(rc), free(s);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    s[i].from = s[i].to = UINT32_MAX;
  *rc = (route_cache_t){.slots = s, .mask = n - 1};
  return rc;
}

void route_cache_destroy(route_cache_t* rc)
{
  if (!rc) return;
  free(rc->slots);
  free(rc);
}

void route_cache_get(route_cache_t* rc, uint32_t from, sg_host_t a, uint32_t to, sg_host_t b, double* latency_s,
                     double* bandwidth_Bps)
{
  /* a multiplicative hash: the pairs a scheduler asks for (neighbours, members of a partition) have
   * close indices, which a plain from * n + to would pile up in few slots */
  uint64_t key       = ((uint64_t)from << 32 | to) * UINT64_C(0x9E3779B97F4A7C15);
  route_slot_t* slot = &rc->slots[(key >> 32) & rc->mask];
  if (slot->from != from || slot->to != to) {
    *slot = (route_slot_t){.from          = from,
                           .to            = to,
                           .latency_s     = sg_host_get_route_latency(a, b),
                           .bandwidth_Bps = sg_host_get_route_bandwidth(a, b)};
  }
  *latency_s     = slot->latency_s;
  *bandwidth_Bps = slot->bandwidth_Bps;
}
