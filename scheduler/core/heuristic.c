/* Placement of the evicted VMs: decreasing by CPU, first-, best- or worst-fit (core_placement_t), GATHER partners as
 * one block, nodes that send nothing first (only those under no-chain), every constraint checked at insertion
 * (core__allowed); and the bounded retries of docs/REFERENCES.md §3.3 when it fails (best fit, then the
 * next-cheapest eviction sets of the nodes left unplaced). It never calls GLPK. */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>

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
  return core__fits(ws, n, bl->cpu, bl->ram);
}

/* Under the Optimistic FFD eviction (every VM of a violating node leaves) a VM may come back home: it
 * then does not move. Otherwise a node's evicted VMs never go back to it. */
static bool home_allowed(const core__ws_t* ws)
{
  return ws->prm->eviction == CORE_EVICT_ALL;
}

/* Whether n counts as a sender for bl: its home does not, when it may take its VMs back. */
static bool sends_for(const core__ws_t* ws, const block_t* bl, int32_t n)
{
  return (ws->nf[n] & CORE__NF_SENDS) && !(n == bl->home && home_allowed(ws));
}

static bool try_node(core__ws_t* ws, const block_t* bl, const int32_t* order, int32_t n)
{
  ws->work.nodes_examined++;
  if ((n == bl->home && !home_allowed(ws)) || !fits(ws, bl, n)) return false;
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
  if (n != bl->home) ws->nf[n] |= CORE__NF_RECV;
  return true;
}

/* Best fit: the node with the least normalised room left after the block (CPU + RAM fractions); worst
 * fit: the most; first fit (scored only under locality): none. Under locality (core__dist) the nearest
 * nodes come first, the score deciding among equally near ones. Ties on the lowest index. One scan
 * finds it; only when the constraints refuse it are the candidates sorted. */
typedef struct cand {
  double dist, score;
  int32_t n;
} cand_t;

static int cmp_cand(const void* a, const void* b)
{
  const cand_t *x = a, *y = b;
  if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
  if (x->score != y->score) return x->score < y->score ? -1 : 1;
  return (x->n > y->n) - (x->n < y->n);
}

/* Nodes the constraints refuse whatever the VM (down, or named by an OFFLINE constraint) are kept
 * apart instead of being sorted and tried: each one ranked before the chosen node would have cost
 * one try_node and one core__allowed (2 nodes examined), and is charged so, so the deterministic
 * cost (and every result) is that of trying them. With many crashed PMs this saves a sort of every
 * candidate per evicted VM. */
static bool place_scored(core__ws_t* ws, const block_t* bl, const int32_t* order, bool senders, cand_t* cands,
                         core_placement_t mode, int32_t tried)
{
  size_t nc = 0, nd = 0; /* live candidates: cands[0 .. nc); refused ones: cands[nn - nd .. nn) */
  cand_t* refused = cands + ws->nn;
  for (size_t n = 0; n < ws->nn; n++) {
    ws->work.nodes_examined++;
    if (sends_for(ws, bl, (int32_t)n) != senders || ((int32_t)n == bl->home && !home_allowed(ws)) ||
        !fits(ws, bl, (int32_t)n))
      continue;
    double room  = core__room_after(ws, (int32_t)n, bl->cpu, bl->ram);
    double score = mode == CORE_PLACE_WORST_FIT ? -room : mode == CORE_PLACE_BEST_FIT ? room : 0;
    cand_t cand  = {core__dist(ws, bl->home, (int32_t)n), score, (int32_t)n};
    if (ws->nf[n] & (CORE__NF_DOWN | CORE__NF_OFFREQ))
      *--refused = cand, nd++;
    else
      cands[nc++] = cand;
  }
  const cand_t* chosen = NULL;
  if (nc > 0) {
    size_t best = 0;
    for (size_t i = 1; i < nc; i++)
      if (cmp_cand(&cands[i], &cands[best]) < 0) best = i;
    /* tried: the index's choice, which the constraints refused (place_indexed) */
    CORE_ASSERT(tried == CORE_NONE || cands[best].n == tried, "the room index and the scan chose different nodes");
    if (tried == CORE_NONE && try_node(ws, bl, order, cands[best].n)) {
      chosen = &cands[best];
    } else {
      qsort(cands, nc, sizeof(cand_t), cmp_cand);
      for (size_t i = 1; i < nc && !chosen; i++)
        if (try_node(ws, bl, order, cands[i].n)) chosen = &cands[i];
    }
  }
  for (size_t i = 0; i < nd; i++) /* the refused nodes that would have been tried first */
    if (!chosen || cmp_cand(&refused[i], chosen) < 0) ws->work.nodes_examined += 2;
  return chosen != NULL;
}

/* Worst fit without locality through the room index (core__place_evicted keeps it current): the
 * scan's node and the scan's work units (the nn nodes of the scan, and 2 for each refused node it
 * would have tried before the choice), without the scan. For a single VM only: when the constraints
 * refuse the node, nothing moved, and the scan takes over from its second candidate. */
typedef struct indexed {
  core__room_index_t* ix;
  int32_t* refused; /* nodes down or named by OFFLINE that send nothing */
  size_t refused_count;
} indexed_t;

static bool place_indexed(core__ws_t* ws, const block_t* bl, const int32_t* order, cand_t* cands, indexed_t* x)
{
  int32_t best  = core__room_worst_fit(x->ix, ws, bl->cpu, bl->ram, bl->home);
  cand_t chosen = {0, best == CORE_NONE ? 0 : -core__room_after(ws, best, bl->cpu, bl->ram), best};
  if (best != CORE_NONE && !try_node(ws, bl, order, best)) {
    bool done = place_scored(ws, bl, order, false, cands, CORE_PLACE_WORST_FIT, best);
    if (done) core__room_refresh(x->ix, ws);
    return done;
  }
  ws->work.nodes_examined += ws->nn;
  for (size_t i = 0; i < x->refused_count; i++) {
    int32_t n = x->refused[i];
    if (n == bl->home || !fits(ws, bl, n)) continue;
    cand_t c = {0, -core__room_after(ws, n, bl->cpu, bl->ram), n};
    if (best == CORE_NONE || cmp_cand(&c, &chosen) < 0) ws->work.nodes_examined += 2;
  }
  if (best == CORE_NONE) return false;
  core__room_update(x->ix, ws, best);
  return true;
}

/* GATHER constraint g has members on several nodes, all of them flagged: they leave as one block. */
static bool gather_leaves_whole(const core__ws_t* ws, const uint8_t* evict, int32_t g)
{
  const core_constraint_t* k = &ws->pb->constraints[g];
  bool spread                = false;
  for (size_t j = 0; j < k->vm_count; j++) {
    if (!evict[k->vms[j]]) return false;
    spread = spread || ws->pb->vms[k->vms[j]].node != ws->pb->vms[k->vms[0]].node;
  }
  return spread;
}

static void add_to_block(core__ws_t* ws, block_t* b, int32_t y, int32_t* order, size_t* no, uint8_t* seen)
{
  seen[y]        = 1;
  order[(*no)++] = y;
  b->cpu += ws->cpu[y];
  b->ram += (double)ws->pb->vms[y].ram_bytes;
  b->count++;
  ws->nf[ws->pb->vms[y].node] |= CORE__NF_SENDS;
  if (ws->pos[y] >= 0) core__move(ws, y, CORE_NONE);
}

/* Evicts the flagged VMs (their homes send) and groups them into blocks (a VM, or its GATHER partners on
 * the same node, or all of them when a broken GATHER moves whole: hard.c), members listed in order[].
 * seen: nv zeroed flags. Returns the number of blocks. */
static size_t collect_blocks(core__ws_t* ws, const uint8_t* evict, int32_t* order, block_t* bl, uint8_t* seen)
{
  const core_problem_t* pb = ws->pb;
  size_t nb = 0, no = 0;
  for (size_t v = 0; v < ws->nv; v++) {
    if (!evict[v] || seen[v]) continue;
    int32_t h = pb->vms[v].node, g = ws->gather_of[v];
    block_t b = {0, 0, h, (int32_t)v, (uint32_t)no, 0};
    if (g >= 0 && gather_leaves_whole(ws, evict, g)) {
      const core_constraint_t* k = &pb->constraints[g];
      for (size_t j = 0; j < k->vm_count; j++)
        if (!seen[k->vms[j]]) add_to_block(ws, &b, k->vms[j], order, &no, seen);
    } else {
      for (uint32_t i = ws->node_vm_start[h]; i < ws->node_vm_start[h + 1]; i++) {
        int32_t y = ws->node_vms[i];
        if (evict[y] && !seen[y] && (y == (int32_t)v || (g >= 0 && ws->gather_of[y] == g)))
          add_to_block(ws, &b, y, order, &no, seen);
      }
    }
    bl[nb++] = b;
  }
  return nb;
}

/* One block: first among the nodes that send nothing, then (unless forbid_senders) among the senders;
 * first fit in index order, or scored (cands: nn scratch; first fit too under locality). Returns true
 * when placed. */
static bool place_block(core__ws_t* ws, const block_t* bl, const int32_t* order, bool forbid_senders, cand_t* cands,
                        core_placement_t mode, indexed_t* x)
{
  bool done = false;
  for (int pass = 0; pass < 2 && !done; pass++) {
    if (pass == 1 && forbid_senders) break;
    if (pass == 0 && x->ix && bl->count == 1) { /* a refused single VM leaves every node untouched */
      done = place_indexed(ws, bl, order, cands, x);
      continue;
    }
    if (mode != CORE_PLACE_FIRST_FIT || ws->site) {
      done = place_scored(ws, bl, order, pass == 1, cands, mode, CORE_NONE);
      if (pass == 0 && x->ix) core__room_refresh(x->ix, ws);
      continue;
    }
    for (size_t n = 0; n < ws->nn && !done; n++) {
      if (sends_for(ws, bl, (int32_t)n) != (pass == 1)) continue;
      done = try_node(ws, bl, order, (int32_t)n);
    }
  }
  return done;
}

/* Every block of a node that could not send everything goes back home; that node no longer sends.
 * failed: nn zeroed bytes of scratch. */
static void revert_failed(core__ws_t* ws, const block_t* bl, size_t nb, const int32_t* order, uint8_t* failed)
{
  for (size_t i = 0; i < nb; i++)
    if (ws->pos[order[bl[i].start]] == CORE_NONE)
      for (uint32_t j = 0; j < bl[i].count; j++)
        failed[ws->pb->vms[order[bl[i].start + j]].node] = 1;
  for (size_t i = 0; i < nb; i++)
    if (failed[bl[i].home])
      for (uint32_t j = 0; j < bl[i].count; j++)
        core__move(ws, order[bl[i].start + j], ws->pb->vms[order[bl[i].start + j]].node);
  for (size_t n = 0; n < ws->nn; n++)
    if (failed[n]) ws->nf[n] &= (uint8_t)~CORE__NF_SENDS;
}

/* Below this many nodes a scan costs no more than building the index. */
#define ROOM_INDEX_MIN_NODES 64

/* After collect_blocks (the senders are known). Returns false when out of memory. */
static bool build_index(core__ws_t* ws, indexed_t* x)
{
  x->ix      = core__room_build(ws);
  x->refused = core__malloc(ws->mem, ws->nn, sizeof(int32_t));
  if (!x->ix || !x->refused) return false;
  for (size_t n = 0; n < ws->nn; n++)
    if ((ws->nf[n] & (CORE__NF_DOWN | CORE__NF_OFFREQ)) && !(ws->nf[n] & CORE__NF_SENDS))
      x->refused[x->refused_count++] = (int32_t)n;
  return true;
}

size_t core__place_evicted(core__ws_t* ws, const uint8_t* evict, bool forbid_senders, bool revert,
                           core_placement_t mode)
{
  CORE_ASSERT(!revert || forbid_senders, "core__place_evicted: revert requires forbid_senders");
  size_t nm = 0;
  for (size_t v = 0; v < ws->nv; v++)
    if (evict[v]) nm++;
  if (nm == 0) return 0;
  bool scored     = mode != CORE_PLACE_FIRST_FIT || ws->site;
  int32_t* order  = core__malloc(ws->mem, nm, sizeof(int32_t));
  block_t* bl     = core__malloc(ws->mem, nm, sizeof(block_t));
  uint8_t* seen   = core__calloc(ws->mem, ws->nv, 1);
  cand_t* cands   = scored ? core__malloc(ws->mem, ws->nn, sizeof(cand_t)) : NULL;
  uint8_t* failed = revert ? core__calloc(ws->mem, ws->nn, 1) : NULL;
  size_t unplaced = nm; /* an allocation failed: nothing moves */
  indexed_t x     = {0};
  if (order && bl && seen && (cands || !scored) && (failed || !revert)) {
    size_t nb = collect_blocks(ws, evict, order, bl, seen);
    qsort(bl, nb, sizeof(block_t), cmp_block);
    bool oom = mode == CORE_PLACE_WORST_FIT && !ws->site && ws->prm->placement_index && !home_allowed(ws) &&
               ws->nn >= ROOM_INDEX_MIN_NODES && !build_index(ws, &x);
    unplaced = oom ? nm : 0;
    for (size_t i = 0; i < nb && !oom; i++) {
      ws->work.vms_examined += bl[i].count;
      if (!place_block(ws, &bl[i], order, forbid_senders, cands, mode, &x)) unplaced += bl[i].count;
    }
    if (unplaced && revert && !oom) revert_failed(ws, bl, nb, order, failed);
  }
  core__room_free(x.ix), free(x.refused);
  free(order), free(bl), free(seen), free(cands), free(failed);
  return unplaced;
}

/* One placement attempt from the current placement; true when complete and every check passes. Marks in
 * failed[] the home nodes of the VMs it could not place. */
static bool attempt(core__ws_t* ws, const uint8_t* evict, core_placement_t mode, uint8_t* failed)
{
  core__ws_reset_target(ws);
  size_t unplaced = core__place_evicted(ws, evict, ws->prm->no_chain, false, mode);
  ws->work.vms_examined += ws->nv / 64; /* the check below */
  if (unplaced == 0) return core__check(ws, ws->pos, NULL, 0) == 0;
  for (size_t v = 0; v < ws->nv; v++)
    if (evict[v] && ws->pos[v] == CORE_NONE) failed[ws->pb->vms[v].node] = 1;
  return false;
}

/* An attempt with the configured placement, then one with best fit (it packs tightest: the likeliest to
 * fit all) unless that is the configured one. */
static bool attempt_then_best_fit(core__ws_t* ws, const uint8_t* evict, uint8_t* failed)
{
  core_placement_t first = ws->prm->placement;
  bool ok                = attempt(ws, evict, first, failed);
  if (!ok && first != CORE_PLACE_BEST_FIT && !ws->mem->failed) {
    ws->work.retries++;
    ok = attempt(ws, evict, CORE_PLACE_BEST_FIT, failed);
  }
  return ok;
}

/* Round r: every node marked in failed[] takes its r-th cheapest minimal eviction set into evict (its k
 * cheapest computed once, from the initial placement, into sets[n], nsets[n]). Returns whether a node
 * changed its set; false when an allocation failed (ws->mem->failed). */
static bool next_cheapest_sets(core__ws_t* ws, uint8_t* evict, const uint8_t* failed, uint8_t** sets, size_t* nsets,
                               size_t k, size_t r)
{
  bool changed = false;
  for (size_t n = 0; n < ws->nn; n++) {
    if (!failed[n]) continue;
    uint32_t b = ws->node_vm_start[n], c = ws->node_vm_start[n + 1] - b;
    if (!sets[n]) { /* the search reads the node's load: from the initial placement */
      core__ws_reset_target(ws);
      sets[n] = core__malloc(ws->mem, (size_t)k * c + 1, 1);
      if (!sets[n]) return false;
      nsets[n] = core__evict_alternatives(ws, (int32_t)n, k, evict, sets[n]);
      if (ws->mem->failed) return false;
    }
    if (nsets[n] <= r) continue;     /* no r-th alternative: the node keeps its current set */
    for (uint32_t i = 0; i < c; i++) /* the node's r-th set, and the repairs of hard.c on it */
      evict[ws->node_vms[b + i]] = sets[n][r * c + i] | (ws->hard_evict ? ws->hard_evict[ws->node_vms[b + i]] : 0);
    changed = true;
  }
  return changed;
}

/* The retry rounds of core__place_with_retries after its first attempts failed; on failure, evict is
 * restored. */
static bool retry_next_cheapest(core__ws_t* ws, uint8_t* evict, uint8_t* failed)
{
  size_t rounds = ws->prm->heuristic_retries, k = rounds + 1;
  uint8_t* backup = core__malloc(ws->mem, ws->nv, 1);
  uint8_t** sets  = core__calloc(ws->mem, ws->nn, sizeof(uint8_t*));
  size_t* nsets   = core__calloc(ws->mem, ws->nn, sizeof(size_t));
  bool ok         = false;
  if (backup && sets && nsets) {
    memcpy(backup, evict, ws->nv);
    for (size_t r = 1; r <= rounds && !ok && !ws->mem->failed; r++) {
      if (!next_cheapest_sets(ws, evict, failed, sets, nsets, k, r)) break;
      ws->work.retries++;
      ok = attempt_then_best_fit(ws, evict, failed);
    }
    if (!ok) memcpy(evict, backup, ws->nv);
  }
  for (size_t n = 0; sets && n < ws->nn; n++)
    free(sets[n]);
  free(sets), free(nsets), free(backup);
  return ok;
}

bool core__place_with_retries(core__ws_t* ws, uint8_t* evict)
{
  uint8_t* failed = core__calloc(ws->mem, ws->nn, 1);
  if (!failed) return false;
  if (ws->prm->eviction != CORE_EVICT_EXACT) { /* the FFD planners: one pass, as VMPlaceS' */
    bool ok = attempt(ws, evict, ws->prm->placement, failed);
    free(failed);
    return ok && !ws->mem->failed;
  }
  bool ok = attempt_then_best_fit(ws, evict, failed);
  if (!ok && ws->prm->heuristic_retries > 0 && !ws->mem->failed) ok = retry_next_cheapest(ws, evict, failed);
  free(failed);
  return ok && !ws->mem->failed;
}
