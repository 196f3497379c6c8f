/* Proofs that no full repair exists, checked before GLPK (solve.c, stage 4): GLPK cannot prove
 * infeasibility of a bin-packing problem cheaply (its relaxation stays fractional-feasible), so a
 * problem without repair costs it its whole budget. Each proof here is a necessary condition of any
 * viable target, cheap to check; when one fails, GLPK is not called and the partial repair follows.
 * A proof must never fire on a problem that has a repair: each uses the core's own tolerances, with
 * a margin, and relaxes everything it does not model (constraints, the other resource, other VMs). */
#include "core_internal.h"

#include <math.h>
#include <stdlib.h>

/* True when the VMs of the up nodes need more CPU or RAM than all the up nodes have, beyond the
 * tolerance core__check allows each node: then no target is viable (VMs of down nodes stay, none goes
 * to a down node, so the totals do not change). Counts one pass over the nodes. */
static bool capacity_is_short(core__ws_t* ws)
{
  double cpu_free = 0, cpu_slack = 0, ram_free = 0, ram_slack = 0;
  for (size_t n = 0; n < ws->nn; n++) {
    if (ws->nf[n] & CORE__NF_DOWN) continue;
    cpu_free += ws->cpu_free[n], ram_free += ws->ram_free[n];
    cpu_slack += core__tolerance(ws->pb->nodes[n].cpu_capacity);
    ram_slack += core__tolerance((double)ws->pb->nodes[n].ram_capacity_bytes);
  }
  ws->work.nodes_examined += ws->nn;
  return cpu_free < -cpu_slack || ram_free < -ram_slack;
}

/* v's constraints decide where it may go whatever the other repairs do: no GATHER or AMONG (whose
 * partners may move too) and no MAX_ONLINE in the problem (whose count changes as nodes empty). */
static bool placement_is_independent(const core__ws_t* ws, int32_t v)
{
  if (ws->maxon_count > 0) return false;
  for (uint32_t i = ws->vm_c_start[v]; i < ws->vm_c_start[v + 1]; i++) {
    core_cstr_kind_t k = ws->pb->constraints[ws->vm_cs[i]].kind;
    if (k == CORE_GATHER || k == CORE_AMONG) return false;
  }
  return true;
}

/* The proofs below hold in repair mode under no-chain, without consolidation and without a hard
 * violation: only the VMs of the nodes that must send (NF_VIOL) move, a node that sends never
 * receives, so the room of every receiver is at most its free room now and can only shrink. */
static bool sends_only_from_violators(const core__ws_t* ws)
{
  const core_params_t* p = ws->prm;
  return p->no_chain && p->repair_mode && p->consolidation_weight <= 0 && !ws->hard_violation;
}

static const uint8_t CLOSED = CORE__NF_VIOL | CORE__NF_OFFREQ | CORE__NF_DOWN; /* may not receive */

/* True when some node that must send cannot send any of its VMs: none fits, by CPU and RAM, in the
 * free room of a node that may receive, where its constraints allow it (those that do not depend on
 * other moves: placement_is_independent). Counts its node checks. */
static bool some_sender_is_stuck(core__ws_t* ws)
{
  for (size_t n = 0; n < ws->nn; n++) {
    if (!(ws->nf[n] & CORE__NF_VIOL)) continue;
    bool can_send = false;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1] && !can_send; i++) {
      int32_t v = ws->node_vms[i];
      if (ws->vf[v] & CORE__VF_FIXED) continue;
      double ram       = (double)ws->pb->vms[v].ram_bytes;
      bool independent = placement_is_independent(ws, v);
      for (size_t m = 0; m < ws->nn && !can_send; m++)
        can_send = m != n && !(ws->nf[m] & CLOSED) && ws->cpu_free[m] + CORE__EPS >= ws->cpu[v] &&
                   ws->ram_free[m] >= ram && (!independent || core__allowed(ws, v, (int32_t)m));
      ws->work.nodes_examined += ws->nn;
    }
    if (!can_send) return true;
  }
  return false;
}

static int cmp_double(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

typedef struct mover {
  double size;    /* of the resource */
  uint32_t owner; /* its sender's ordinal */
} mover_t;

static int cmp_mover(const void* a, const void* b)
{
  const mover_t *x = a, *y = b;
  if (x->size != y->size) return (x->size > y->size) - (x->size < y->size);
  return (x->owner > y->owner) - (x->owner < y->owner);
}

typedef struct resource {
  const double* free; /* per node */
  bool ram;           /* sizes and capacities from RAM, else CPU */
} resource_t;

static double capacity_of(const core__ws_t* ws, const resource_t* r, size_t n)
{
  return r->ram ? (double)ws->pb->nodes[n].ram_capacity_bytes : ws->pb->nodes[n].cpu_capacity;
}

static double size_of(const core__ws_t* ws, const resource_t* r, int32_t v)
{
  return r->ram ? (double)ws->pb->vms[v].ram_bytes : ws->cpu[v];
}

typedef struct scratch {
  double* room;   /* nn: the receivers' rooms, sorted */
  mover_t* mover; /* nv: the senders' movable VMs, sorted by size */
  double* need;   /* nn: per sender, what it must shed */
  double* below;  /* nn: per sender, the size of its VMs that fit below the cut */
} scratch_t;

/* A sender sheds whole VMs: the least it can shed is the smallest sum of its VMs that reaches its need.
 * Found by a depth-first search over at most LEAST_SHED_MAX VMs (largest first, cut where the sum
 * cannot reach the need or cannot improve), at most LEAST_SHED_STEPS steps; beyond either, its
 * smallest VM, also a lower bound. Sums within `slack` below the need count as reaching it. */
enum { LEAST_SHED_MAX = 16, LEAST_SHED_STEPS = 20000 };

typedef struct least_shed {
  const double* size;              /* descending */
  double rest[LEAST_SHED_MAX + 1]; /* rest[i]: sum of size[i..] */
  size_t count, steps;
  double need, best;
} least_shed_t;

static void least_shed_search(least_shed_t* q, size_t i, double sum)
{
  if (++q->steps > LEAST_SHED_STEPS) return;
  if (sum >= q->need) {
    q->best = fmin(q->best, sum);
    return;
  }
  if (i == q->count || sum + q->rest[i] < q->need || sum >= q->best) return;
  least_shed_search(q, i + 1, sum + q->size[i]);
  least_shed_search(q, i + 1, sum);
}

/* The least of k sizes (ascending; reordered here) a sender can shed that reaches need, or INFINITY. */
static double least_shed(double* sizes, size_t k, double need, double slack, uint64_t* steps)
{
  if (k == 0) return INFINITY;
  least_shed_t q = {.size = sizes, .count = k, .need = need - slack, .best = INFINITY};
  for (size_t i = 0; i < k / 2; i++) { /* descending: the large ones first prune sooner */
    double t = sizes[i];
    sizes[i] = sizes[k - 1 - i], sizes[k - 1 - i] = t;
  }
  q.rest[k] = 0;
  for (size_t i = k; i-- > 0;)
    q.rest[i] = q.rest[i + 1] + sizes[i];
  least_shed_search(&q, 0, 0);
  *steps += q.steps;
  if (q.steps > LEAST_SHED_STEPS) return fmax(need, sizes[k - 1]);
  return fmax(need, q.best); /* INFINITY when even all of them fall short */
}

/* True when the senders cannot each shed what they must of one resource into the receivers' rooms.
 * Necessary for a repair: a flow from each sender (at most the least it can shed in whole VMs,
 * least_shed) through its movable VMs (at most their size, only into receivers with room for the
 * whole VM) to the receivers (at most their room) that carries every sender's least; a VM may be
 * split among receivers here, so this only overestimates what can move. The maximum flow is the minimum cut; a VM fits
 * into the receivers from some room size up, so the cut that keeps receivers j.. on the source side is the best of its
 * kind: it cuts those receivers' rooms and, per sender, the smaller of its need and its VMs that fit below j. One sort
 * and one pass over the receivers and the VMs. Counts a pass over the nodes and one over the VMs. */
static bool shedding_is_short(core__ws_t* ws, const resource_t* r, scratch_t* sc)
{
  size_t nr = 0, senders = 0, nm = 0;
  double need_all = 0, largest_room = -INFINITY;
  ws->work.nodes_examined += 2 * ws->nn;
  for (size_t n = 0; n < ws->nn; n++)
    if (!(ws->nf[n] & CLOSED)) {
      sc->room[nr] = r->free[n] + 2 * core__tolerance(capacity_of(ws, r, n));
      largest_room = fmax(largest_room, sc->room[nr++]);
    }
  for (size_t n = 0; n < ws->nn; n++) {
    if (!(ws->nf[n] & CORE__NF_VIOL)) continue;
    /* what it must shed to end within its capacity, with twice core__check's tolerance as a margin */
    double need = -r->free[n] - 2 * core__tolerance(capacity_of(ws, r, n));
    if (need <= 0) continue;
    size_t first = nm;
    double fitting[LEAST_SHED_MAX], total = 0, smallest = INFINITY;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      double size = size_of(ws, r, ws->node_vms[i]);
      if ((ws->vf[ws->node_vms[i]] & CORE__VF_FIXED) || size > largest_room) continue; /* never moves */
      if (nm - first < LEAST_SHED_MAX) fitting[nm - first] = size;
      sc->mover[nm++] = (mover_t){size, (uint32_t)senders};
      total += size, smallest = fmin(smallest, size);
    }
    size_t k     = nm - first;
    double slack = 1e-9 * (need + total);  /* sums of the same VMs in another order may round lower */
    if (total < need - slack) return true; /* it cannot shed enough even alone */
    if (k <= LEAST_SHED_MAX) {
      qsort(fitting, k, sizeof *fitting, cmp_double);
      need = least_shed(fitting, k, need, slack, &ws->work.vms_examined);
    } else {
      need = fmax(need, smallest);
    }
    sc->need[senders] = need, sc->below[senders++] = 0;
    need_all += need;
  }
  ws->work.vms_examined += nm;
  if (senders == 0) return false;
  qsort(sc->room, nr, sizeof *sc->room, cmp_double);
  qsort(sc->mover, nm, sizeof *sc->mover, cmp_mover);
  double rooms_above = 0, cut_senders = 0; /* cut_senders: sum over senders of min(need, below) */
  for (size_t j = 0; j < nr; j++)
    rooms_above += sc->room[j];
  double best = rooms_above; /* every receiver kept: no VM is cut */
  /* a cut may equal the need exactly (a tight repair); the sums' rounding must not make it smaller */
  double rounding = 1e-9 * (rooms_above + need_all);
  size_t m        = 0;
  for (size_t j = 0; j < nr && best >= need_all - rounding; j++) {
    rooms_above -= sc->room[j];
    for (; m < nm && sc->mover[m].size <= sc->room[j]; m++) {
      uint32_t o   = sc->mover[m].owner;
      double taken = fmin(sc->need[o], sc->below[o]);
      sc->below[o] += sc->mover[m].size;
      cut_senders += fmin(sc->need[o], sc->below[o]) - taken;
    }
    best = fmin(best, rooms_above + cut_senders);
  }
  return best < need_all - rounding;
}

/* True when the senders cannot shed enough CPU, or enough RAM, into the receivers (shedding_is_short).
 * False when out of memory (the caller sees ws->mem->failed). */
static bool shedding_cannot_suffice(core__ws_t* ws)
{
  size_t nn    = ws->nn ? ws->nn : 1;
  scratch_t sc = {core__malloc(ws->mem, nn, sizeof *sc.room),
                  core__malloc(ws->mem, ws->nv ? ws->nv : 1, sizeof *sc.mover),
                  core__malloc(ws->mem, nn, sizeof *sc.need), core__malloc(ws->mem, nn, sizeof *sc.below)};
  bool shown   = false;
  if (sc.room && sc.mover && sc.need && sc.below) {
    resource_t cpu = {.free = ws->cpu_free, .ram = false}, ram = {.free = ws->ram_free, .ram = true};
    shown = shedding_is_short(ws, &cpu, &sc) || shedding_is_short(ws, &ram, &sc);
  }
  free(sc.room), free(sc.mover), free(sc.need), free(sc.below);
  return shown;
}

bool core__repair_is_impossible(core__ws_t* ws)
{
  if (capacity_is_short(ws)) return true;
  if (!sends_only_from_violators(ws)) return false;
  return some_sender_is_stuck(ws) || shedding_cannot_suffice(ws);
}
