/* The migration plan: orders the moves from the current placement to a target so that each starts only
 * when its destination has room (arrivals in flight count at their start, departures free room at their
 * end) and no SPREAD partner is on or heading to it; cycles are broken by bouncing one VM through a
 * pivot node (at most once per VM). It does not choose the target (heuristic.c, milp.c do). */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct plan {
  core__ws_t* ws;
  core_result_t* out;
  int32_t* cur;       /* nv: node the VM is on (source while in flight) */
  int32_t* fly;       /* nv: destination while in flight this wave, else CORE_NONE */
  int32_t* last_step; /* nv: the VM's previous step, or CORE_NONE */
  double *cpu, *ram;  /* nn: free room, arrivals in flight reserved */
  int32_t* dep_head;  /* nn: last completed departure step from the node */
  int32_t* dep_next;  /* per step: previous completed departure from the same node */
  size_t dep_next_cap;
} plan_t;

/* p (capacity *cap elements of elem bytes) grown to hold need, doubling: the array, moved or not, or NULL
 * when the allocation failed (p is then unchanged and still owned by the caller). */
static void* grow(core__mem_t* mem, void* p, size_t* cap, size_t need, size_t elem)
{
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 16;
  while (c < need)
    c *= 2;
  void* q = core__realloc(mem, p, c, elem);
  if (q) *cap = c;
  return q;
}

static bool room(const plan_t* pl, int32_t v, int32_t n)
{
  double c = pl->ws->cpu[v], r = (double)pl->ws->pb->vms[v].ram_bytes;
  return pl->cpu[n] >= c - core__tolerance(c) && pl->ram[n] >= r - core__tolerance(r);
}

static bool spread_free(const plan_t* pl, int32_t v, int32_t n)
{
  const core__ws_t* ws = pl->ws;
  for (uint32_t i = ws->vm_c_start[v]; i < ws->vm_c_start[v + 1]; i++) {
    const core_constraint_t* k = &ws->pb->constraints[ws->vm_cs[i]];
    if (k->kind != CORE_SPREAD) continue;
    for (size_t j = 0; j < k->vm_count; j++)
      if (k->vms[j] != v && (pl->cur[k->vms[j]] == n || pl->fly[k->vms[j]] == n)) return false;
  }
  return true;
}

/* Appends step d to the dependencies of step s (the last step). Returns 0 or CORE__ERR_NOMEM. */
static int add_dep(plan_t* pl, core_step_t* s, uint32_t d)
{
  core_result_t* o = pl->out;
  uint32_t* deps   = grow(pl->ws->mem, o->deps, &o->deps_cap, o->dep_count + 1, sizeof(uint32_t));
  if (!deps) return CORE__ERR_NOMEM;
  o->deps                 = deps;
  o->deps[o->dep_count++] = d, s->dep_count++;
  return 0;
}

/* Appends the step v: cur -> n in wave w; it depends on the completed departures from n and on v's
 * previous step. Returns 0 or CORE__ERR_NOMEM (the step is then not counted). */
static int start(plan_t* pl, int32_t v, int32_t n, uint32_t w, bool pivot)
{
  CORE_ASSERT(n != pl->cur[v], "a plan step that does not move its VM");
  core_result_t* o   = pl->out;
  core_step_t* steps = grow(pl->ws->mem, o->steps, &o->steps_cap, o->step_count + 1, sizeof(core_step_t));
  if (steps) o->steps = steps;
  int32_t* dep_next = grow(pl->ws->mem, pl->dep_next, &pl->dep_next_cap, o->step_count + 1, sizeof(int32_t));
  if (dep_next) pl->dep_next = dep_next;
  if (!steps || !dep_next) return CORE__ERR_NOMEM;
  core_step_t* s = &o->steps[o->step_count];
  *s             = (core_step_t){v, pl->cur[v], n, pivot, w, (uint32_t)o->dep_count, 0};
  for (int32_t d = pl->dep_head[n]; d != CORE_NONE; d = pl->dep_next[d])
    if (add_dep(pl, s, (uint32_t)d) != 0) return CORE__ERR_NOMEM;
  bool has_prev = false;
  for (uint32_t i = 0; i < s->dep_count; i++)
    has_prev |= pl->last_step[v] == (int32_t)o->deps[s->dep_first + i];
  if (pl->last_step[v] != CORE_NONE && !has_prev && add_dep(pl, s, (uint32_t)pl->last_step[v]) != 0)
    return CORE__ERR_NOMEM;
  pl->dep_next[o->step_count] = CORE_NONE;
  pl->last_step[v]            = (int32_t)o->step_count;
  pl->fly[v]                  = n;
  pl->cpu[n] -= pl->ws->cpu[v];
  pl->ram[n] -= (double)pl->ws->pb->vms[v].ram_bytes;
  o->step_count++;
  if (pivot) o->pivots++;
  return 0;
}

/* The plan's initial state: free room per node with every VM at its current node, no departure yet, and
 * the VMs whose target differs in pending[] (returns their number). */
static size_t plan_init(plan_t* pl, const int32_t* target, int32_t* pending)
{
  const core__ws_t* ws     = pl->ws;
  const core_problem_t* pb = ws->pb;
  for (size_t n = 0; n < ws->nn; n++) {
    pl->cpu[n]      = pb->nodes[n].cpu_capacity;
    pl->ram[n]      = (double)pb->nodes[n].ram_capacity_bytes;
    pl->dep_head[n] = CORE_NONE;
  }
  size_t np = 0;
  for (size_t v = 0; v < ws->nv; v++) {
    CORE_ASSERT(target[v] >= 0 && (size_t)target[v] < ws->nn, "a plan towards an incomplete target");
    pl->cur[v] = pb->vms[v].node, pl->fly[v] = CORE_NONE, pl->last_step[v] = CORE_NONE;
    pl->cpu[pl->cur[v]] -= ws->cpu[v];
    pl->ram[pl->cur[v]] -= (double)pb->vms[v].ram_bytes;
    if (target[v] != pb->vms[v].node) pending[np++] = (int32_t)v;
  }
  return np;
}

/* Starts in wave every pending move whose destination has room and no SPREAD partner; the others stay
 * pending, in order. Returns how many stay (when an allocation fails: ws->mem->failed, pending is left
 * inconsistent and the plan must be dropped). */
static size_t start_ready(plan_t* pl, const int32_t* target, int32_t* pending, size_t np, uint32_t wave)
{
  size_t keep = 0;
  for (size_t i = 0; i < np; i++) {
    int32_t v = pending[i];
    pl->ws->work.vms_examined++;
    if (!room(pl, v, target[v]) || !spread_free(pl, v, target[v]))
      pending[keep++] = v;
    else if (start(pl, v, target[v], wave, false) != 0)
      break;
  }
  return keep;
}

/* Deadlock: bounces the first pending VM not bounced yet to the first pivot node that takes it (room,
 * SPREAD, every constraint). Returns false when none can move, or when an allocation failed. */
static bool bounce_one(plan_t* pl, const int32_t* target, const int32_t* pending, size_t np, uint8_t* pivoted,
                       uint32_t wave)
{
  for (size_t i = 0; i < np; i++) {
    int32_t v = pending[i];
    if (pivoted[v]) continue;
    for (size_t n = 0; n < pl->ws->nn; n++) {
      int32_t p = (int32_t)n;
      if (p == pl->cur[v] || p == target[v] || !room(pl, v, p) || !spread_free(pl, v, p)) continue;
      if (!core__allowed(pl->ws, v, p)) continue;
      if (start(pl, v, p, wave, true) != 0) return false;
      pivoted[v] = 1;
      return true;
    }
  }
  return false;
}

/* The steps of the wave from step first complete: their sources regain room, the VMs are at their
 * destinations, and each step becomes the last departure from its source. */
static void complete_wave(plan_t* pl, size_t first)
{
  core__ws_t* ws     = pl->ws;
  core_result_t* out = pl->out;
  for (size_t s = first; s < out->step_count; s++) {
    core_step_t* st = &out->steps[s];
    pl->cpu[st->from] += ws->cpu[st->vm];
    pl->ram[st->from] += (double)ws->pb->vms[st->vm].ram_bytes;
    pl->cur[st->vm] = st->to, pl->fly[st->vm] = CORE_NONE;
    core__move(ws, st->vm, st->to);
    pl->dep_next[s]        = pl->dep_head[st->from];
    pl->dep_head[st->from] = (int32_t)s;
  }
}

int core__plan_build(core__ws_t* ws, const int32_t* target, core_result_t* out)
{
  size_t nv = ws->nv, nn = ws->nn;
  core__mem_t* mem = ws->mem;
  out->step_count = 0, out->dep_count = 0, out->pivots = 0;
  plan_t pl        = {.ws        = ws,
                      .out       = out,
                      .cur       = core__malloc(mem, nv, sizeof(int32_t)),
                      .fly       = core__malloc(mem, nv, sizeof(int32_t)),
                      .last_step = core__malloc(mem, nv, sizeof(int32_t)),
                      .cpu       = core__malloc(mem, nn, sizeof(double)),
                      .ram       = core__malloc(mem, nn, sizeof(double)),
                      .dep_head  = core__malloc(mem, nn, sizeof(int32_t))};
  int32_t* pending = core__malloc(mem, nv, sizeof(int32_t));
  uint8_t* pivoted = core__calloc(mem, nv, 1);
  int rc           = mem->failed ? CORE__ERR_NOMEM : 0;
  size_t np        = rc == 0 ? plan_init(&pl, target, pending) : 0;
  /* core__allowed reads ws->pos: keep it equal to cur during the plan. */
  if (rc == 0) core__ws_reset_target(ws);
  for (uint32_t wave = 0; rc == 0 && np > 0; wave++) {
    size_t first_of_wave = out->step_count;
    np                   = start_ready(&pl, target, pending, np, wave);
    bool stuck           = out->step_count == first_of_wave && np > 0 && !mem->failed &&
                 !bounce_one(&pl, target, pending, np, pivoted, wave);
    if (mem->failed)
      rc = CORE__ERR_NOMEM;
    else if (stuck)
      rc = -1;
    else
      complete_wave(&pl, first_of_wave);
  }
  free(pl.cur), free(pl.fly), free(pl.last_step), free(pl.cpu), free(pl.ram), free(pl.dep_head), free(pl.dep_next);
  free(pending), free(pivoted);
  return rc;
}
