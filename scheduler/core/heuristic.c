/* Placement of the evicted VMs: first-fit decreasing by CPU, GATHER partners as one block, nodes that
 * send nothing first (only those under no-chain), every constraint checked at insertion
 * (core__allowed). It chooses no eviction (evict.c does) and never calls GLPK. */
#include "core_internal.h"

#include <assert.h>
#include <stdlib.h>

typedef struct block {
  double cpu, ram;
  int32_t home, first;
  uint32_t start, count; /* members: order[start .. start + count) */
} block_t;

static int cmp_block(const void* a, const void* b)
{
  const block_t *x = a, *y = b;
  if (x->cpu != y->cpu) return x->cpu > y->cpu ? -1 : 1;
  return (x->first > y->first) - (x->first < y->first);
}

static bool fits(const core__ws_t* ws, const block_t* bl, int32_t n)
{
  return ws->cpu_free[n] >= bl->cpu - CORE__EPS * (bl->cpu > 1 ? bl->cpu : 1) &&
         ws->ram_free[n] >= bl->ram - CORE__EPS * (bl->ram > 1 ? bl->ram : 1);
}

static bool try_node(core__ws_t* ws, const block_t* bl, const int32_t* order, int32_t n)
{
  ws->work.nodes_examined++;
  if (n == bl->home || !fits(ws, bl, n)) return false;
  for (uint32_t j = 0; j < bl->count; j++)
    if (!core__allowed(ws, order[bl->start + j], n)) {
      for (uint32_t i = 0; i < j; i++) /* undo the members already placed */
        core__move(ws, order[bl->start + i], CORE_NONE);
      return false;
    } else if (bl->count > 1) {
      core__move(ws, order[bl->start + j], n); /* partners see each other at n */
    }
  for (uint32_t j = 0; j < bl->count; j++)
    if (ws->pos[order[bl->start + j]] != n) core__move(ws, order[bl->start + j], n);
  ws->nf[n] |= CORE__NF_RECV;
  return true;
}

size_t core__place_evicted(core__ws_t* ws, const uint8_t* evict, bool forbid_senders, bool revert)
{
  const core_problem_t* pb = ws->pb;
  size_t nb = 0, nm = 0;
  for (size_t v = 0; v < ws->nv; v++)
    if (evict[v]) nm++;
  if (nm == 0) return 0;
  int32_t* order = malloc(nm * sizeof(int32_t));
  block_t* bl    = malloc(nm * sizeof(block_t));
  uint8_t* seen  = calloc(ws->nv, 1);
  assert(order && bl && seen && "core: out of memory");
  size_t no = 0;
  for (size_t v = 0; v < ws->nv; v++) {
    if (!evict[v] || seen[v]) continue;
    int32_t h = pb->vms[v].node, g = ws->gather_of[v];
    block_t b = {0, 0, h, (int32_t)v, (uint32_t)no, 0};
    for (uint32_t i = ws->node_vm_start[h]; i < ws->node_vm_start[h + 1]; i++) {
      int32_t y = ws->node_vms[i];
      if (!evict[y] || seen[y] || (y != (int32_t)v && (g < 0 || ws->gather_of[y] != g))) continue;
      seen[y]     = 1;
      order[no++] = y;
      b.cpu += ws->cpu[y];
      b.ram += (double)pb->vms[y].ram_bytes;
      b.count++;
      ws->nf[h] |= CORE__NF_SENDS;
      if (ws->pos[y] >= 0) core__move(ws, y, CORE_NONE);
    }
    bl[nb++] = b;
  }
  qsort(bl, nb, sizeof(block_t), cmp_block);
  size_t unplaced = 0;
  for (size_t i = 0; i < nb; i++) {
    ws->work.vms_examined += bl[i].count;
    bool done = false;
    for (int pass = 0; pass < 2 && !done; pass++) {
      if (pass == 1 && forbid_senders) break;
      for (size_t n = 0; n < ws->nn && !done; n++) {
        bool sends = ws->nf[n] & CORE__NF_SENDS;
        if (sends != (pass == 1)) continue;
        done = try_node(ws, &bl[i], order, (int32_t)n);
      }
    }
    if (!done) unplaced += bl[i].count;
  }
  if (unplaced && revert) { /* every block of a node that could not send everything goes back home */
    uint8_t* failed = calloc(ws->nn, 1);
    assert(failed);
    for (size_t i = 0; i < nb; i++)
      if (ws->pos[order[bl[i].start]] == CORE_NONE) failed[bl[i].home] = 1;
    for (size_t i = 0; i < nb; i++)
      if (failed[bl[i].home])
        for (uint32_t j = 0; j < bl[i].count; j++)
          core__move(ws, order[bl[i].start + j], bl[i].home);
    for (size_t n = 0; n < ws->nn; n++)
      if (failed[n]) ws->nf[n] &= (uint8_t)~CORE__NF_SENDS;
    free(failed);
  }
  free(order), free(bl), free(seen);
  return unplaced;
}
