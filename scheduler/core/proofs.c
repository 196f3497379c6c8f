/* Proofs that no full repair exists, checked before GLPK (solve.c, stage 4): GLPK cannot prove
 * infeasibility of a bin-packing problem cheaply (its relaxation stays fractional-feasible), so a
 * problem without repair costs it its whole budget. Each proof here is a necessary condition of any
 * viable target, cheap to check; when one fails, GLPK is not called and the partial repair follows.
 * A proof must never fire on a problem that has a repair: each uses the core's own tolerances, with
 * a margin, and relaxes everything it does not model (constraints, the other resource, other VMs). */
#include "core_internal.h"

#include <stdlib.h>

/* The tolerance core__check allows a node of this capacity. */
static double tolerance(double capacity)
{
  return CORE__EPS * (capacity > 1 ? capacity : 1);
}

/* True when the VMs of the up nodes need more CPU or RAM than all the up nodes have, beyond the
 * tolerance core__check allows each node: then no target is viable (VMs of down nodes stay, none goes
 * to a down node, so the totals do not change). Counts one pass over the nodes. */
static bool capacity_is_short(core__ws_t* ws)
{
  double cpu_free = 0, cpu_slack = 0, ram_free = 0, ram_slack = 0;
  for (size_t n = 0; n < ws->nn; n++) {
    if (ws->nf[n] & CORE__NF_DOWN) continue;
    cpu_free += ws->cpu_free[n], ram_free += ws->ram_free[n];
    cpu_slack += tolerance(ws->pb->nodes[n].cpu_capacity);
    ram_slack += tolerance((double)ws->pb->nodes[n].ram_capacity_bytes);
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

/* The two proofs below hold in repair mode under no-chain, without consolidation and without a hard
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

/* The most one resource the VMs of sizes vm[0..nvm) can move into receivers of rooms room[0..nr),
 * both sorted ascending, when a VM may go only where its size fits and may be split among such
 * receivers (a relaxation: the true most is no larger). It is a maximum flow from the VMs to the
 * receivers, equal to the minimum cut; a VM fits into a suffix of the sorted receivers, so the
 * minimum cut is over suffixes: keep receivers j.. (their rooms cut) and cut the VMs that fit below j. */
static double most_movable(const double* vm, size_t nvm, const double* room, size_t nr)
{
  double rooms_above = 0;
  for (size_t j = 0; j < nr; j++)
    rooms_above += room[j];
  double best = rooms_above, vms_below = 0;
  size_t v = 0;
  for (size_t j = 0; j < nr; j++) { /* the cut that keeps receivers j + 1.. */
    rooms_above -= room[j];
    while (v < nvm && vm[v] <= room[j])
      vms_below += vm[v++];
    double cut = rooms_above + vms_below;
    if (cut < best) best = cut;
  }
  return best;
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

/* The sorted sizes of the movable VMs of the nodes that must send (only of node `only` when >= 0). */
static size_t sender_vm_sizes(const core__ws_t* ws, const resource_t* r, int64_t only, double* out)
{
  size_t k = 0;
  for (size_t n = 0; n < ws->nn; n++) {
    if (!(ws->nf[n] & CORE__NF_VIOL) || (only >= 0 && (size_t)only != n)) continue;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
      if (!(ws->vf[ws->node_vms[i]] & CORE__VF_FIXED)) out[k++] = size_of(ws, r, ws->node_vms[i]);
  }
  qsort(out, k, sizeof *out, cmp_double);
  return k;
}

/* What node n must shed of the resource to end within its capacity (0 when nothing), with twice the
 * tolerance of core__check as a margin. */
static double must_shed(const core__ws_t* ws, const resource_t* r, size_t n)
{
  double need = -r->free[n] - 2 * tolerance(capacity_of(ws, r, n));
  return need > 0 ? need : 0;
}

/* True when, for one resource, the senders together, or one of them alone, must shed more than their
 * movable VMs can move into the receivers' rooms (most_movable). Counts a pass over the nodes and one
 * over the senders' VMs per check. */
static bool shedding_is_short(core__ws_t* ws, const resource_t* r, double* room, double* vm)
{
  size_t nr       = 0;
  double need_all = 0;
  for (size_t n = 0; n < ws->nn; n++) {
    if (!(ws->nf[n] & CLOSED)) room[nr++] = r->free[n] + 2 * tolerance(capacity_of(ws, r, n));
    if (ws->nf[n] & CORE__NF_VIOL) need_all += must_shed(ws, r, n);
  }
  qsort(room, nr, sizeof *room, cmp_double);
  ws->work.nodes_examined += ws->nn;
  if (need_all <= 0) return false;
  size_t nvm = sender_vm_sizes(ws, r, -1, vm);
  ws->work.vms_examined += nvm;
  if (most_movable(vm, nvm, room, nr) < need_all) return true;
  for (size_t n = 0; n < ws->nn; n++) {
    double need = (ws->nf[n] & CORE__NF_VIOL) ? must_shed(ws, r, n) : 0;
    if (need <= 0) continue;
    nvm = sender_vm_sizes(ws, r, (int64_t)n, vm);
    ws->work.vms_examined += nvm;
    if (most_movable(vm, nvm, room, nr) < need) return true;
  }
  return false;
}

/* True when the senders cannot shed enough CPU, or enough RAM, into the receivers (shedding_is_short).
 * False when out of memory (the caller sees ws->mem->failed). */
static bool shedding_cannot_suffice(core__ws_t* ws)
{
  double* room = core__malloc(ws->mem, ws->nn ? ws->nn : 1, sizeof *room);
  double* vm   = core__malloc(ws->mem, ws->nv ? ws->nv : 1, sizeof *vm);
  bool shown   = false;
  if (room && vm) {
    resource_t cpu = {.free = ws->cpu_free, .ram = false}, ram = {.free = ws->ram_free, .ram = true};
    shown = shedding_is_short(ws, &cpu, room, vm) || shedding_is_short(ws, &ram, room, vm);
  }
  free(room);
  free(vm);
  return shown;
}

bool core__repair_is_impossible(core__ws_t* ws)
{
  if (capacity_is_short(ws)) return true;
  if (!sends_only_from_violators(ws)) return false;
  return some_sender_is_stuck(ws) || shedding_cannot_suffice(ws);
}
