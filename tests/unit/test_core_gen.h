/* Seeded instance generator for the core's randomized tests and scripts/bench-core (header only, no
 * state outside the caller's struct): PMs of 8 cores (800 load units) and 32 GiB, 10 VMs each, CPU
 * N(70, 30) % of one core clipped to [0, 100], RAM uniform in {1, 2, 4} GiB. "easy": at least P/8 PMs
 * overloaded; "hard": 25 % of the PMs raised to 120 % or more, the others drawn from N(62, 30) so that
 * the mean load is 86-92 % as in docs/REFERENCES.md §3.6. Optional SPREAD triples over 30 % of the VMs. */
#ifndef LUCSIM_TEST_CORE_GEN_H
#define LUCSIM_TEST_CORE_GEN_H

#include "core.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GEN_GIB (1024ULL * 1024 * 1024)

typedef struct gen {
  core_node_t* nodes;
  core_vm_t* vms;
  int32_t* spread_vms;
  core_constraint_t* cs;
  core_problem_t pb;
} gen_t;

static inline uint64_t gen_next(uint64_t* s) /* splitmix64 */
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z          = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z          = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline double gen_unit(uint64_t* s)
{
  return (double)(gen_next(s) >> 11) * 0x1.0p-53;
}

static inline double gen_normal(uint64_t* s, double mean, double sd)
{
  double u1 = gen_unit(s), u2 = gen_unit(s);
  return mean + sd * sqrt(-2.0 * log(u1 > 0 ? u1 : 1e-300)) * cos(6.283185307179586 * u2);
}

static inline void gen_free(gen_t* g)
{
  free(g->nodes), free(g->vms), free(g->spread_vms), free(g->cs);
  memset(g, 0, sizeof *g);
}

/* Fills g (caller frees with gen_free) with pms PMs, 10 VMs each. */
static inline void gen_make(gen_t* g, size_t pms, uint64_t seed, int hard, int spread)
{
  uint64_t s = seed * 7919 + 17;
  size_t nv  = pms * 10;
  memset(g, 0, sizeof *g);
  g->nodes = calloc(pms, sizeof(core_node_t));
  g->vms   = calloc(nv, sizeof(core_vm_t));
  for (size_t n = 0; n < pms; n++)
    g->nodes[n] = (core_node_t){800, 32 * GEN_GIB, 1, (int64_t)n};
  static const uint64_t rams[3] = {1, 2, 4};
  for (size_t v = 0; v < nv; v++) { /* hard: the other PMs lighter, for a mean load of 86-92 % */
    double l  = gen_normal(&s, hard ? 62 : 70, 30);
    l         = l < 0 ? 0 : l > 100 ? 100 : l;
    g->vms[v] = (core_vm_t){l, rams[gen_next(&s) % 3] * GEN_GIB, (int32_t)(v / 10), 1, (int64_t)v};
  }
  size_t want = hard ? (pms + 3) / 4 : (pms + 7) / 8, have = 0;
  double floor_load = hard ? 960 : 801;
  for (size_t n = 0; n < pms; n++) {
    double sum = 0;
    for (size_t i = 0; i < 10; i++)
      sum += g->vms[n * 10 + i].cpu_demand;
    if (sum >= floor_load) have++;
  }
  for (size_t n = 0; n < pms && have < want; n++) { /* raise PMs until enough are overloaded */
    double sum = 0;
    for (size_t i = 0; i < 10; i++)
      sum += g->vms[n * 10 + i].cpu_demand;
    if (sum >= floor_load) continue;
    for (size_t i = 0; i < 10 && sum < floor_load + 5; i++) {
      core_vm_t* vm = &g->vms[n * 10 + i];
      double add    = fmin(100 - vm->cpu_demand, floor_load + 5 - sum);
      vm->cpu_demand += add, sum += add;
    }
    have++;
    if (hard) n++; /* spread the hard PMs: every other PM */
  }
  size_t groups = spread ? (nv * 3 / 10) / 3 : 0;
  g->spread_vms = calloc(groups * 3 + 1, sizeof(int32_t));
  g->cs         = calloc(groups + 1, sizeof(core_constraint_t));
  for (size_t k = 0; k < groups; k++) { /* triples on distinct PMs: VMs 10a+b, 10(a+1)+b, 10(a+2)+b */
    size_t base = (k * 37) % nv;
    for (size_t j = 0; j < 3; j++)
      g->spread_vms[3 * k + j] = (int32_t)((base + 10 * j) % nv);
    g->cs[k] = (core_constraint_t){CORE_SPREAD, &g->spread_vms[3 * k], 3, NULL, 0, NULL, 0, 0, 0};
  }
  g->pb = (core_problem_t){.nodes            = g->nodes,
                           .node_count       = pms,
                           .vms              = g->vms,
                           .vm_count         = nv,
                           .constraints      = g->cs,
                           .constraint_count = groups};
}

#endif
