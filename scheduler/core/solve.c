/* core_solve: the pipeline (docs/DESIGN.md §5) — detect, exact eviction and its bound, heuristic
 * placement, GLPK only when the bound is missed or the heuristic fails, independent re-check, plan
 * (re-solved under no-chain when unreachable), partial repair as a last resort, and the deterministic
 * cost model applied to the work (params.c). Also the result's memory, the out-of-memory outcome and
 * the status names. The stages live in the other files; this one only sequences them. */
#include "core_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void core_result_free(core_result_t* r)
{
  if (!r) return;
  free(r->target), free(r->steps), free(r->deps);
  memset(r, 0, sizeof *r);
}

const char* core_status_name(core_status_t s)
{
  switch (s) {
  case CORE_NOTHING_TO_DO:
    return "nothing-to-do";
  case CORE_SOLVED:
    return "solved";
  case CORE_PARTIAL:
    return "partial";
  case CORE_NO_SOLUTION:
    return "no-solution";
  case CORE_ERROR_NO_MEMORY:
    return "no-memory";
  }
  return "?";
}

const char* core_solver_name(core_solver_t s)
{
  switch (s) {
  case CORE_SOLVER_NONE:
    return "none";
  case CORE_SOLVER_HEURISTIC:
    return "heuristic";
  case CORE_SOLVER_MILP:
    return "milp";
  }
  return "?";
}

/* Zeroes out for a new solve, keeping its arrays, and grows target to nv entries. Returns 0 or
 * CORE__ERR_NOMEM (target is then unchanged, too small). */
static int reset_result(core_result_t* out, size_t nv, core__mem_t* mem)
{
  CORE_ASSERT((out->target || !out->target_cap) && (out->steps || !out->steps_cap) && (out->deps || !out->deps_cap),
              "a result whose arrays do not match their capacities (neither CORE_RESULT_INIT nor an earlier result)");
  int32_t* t     = out->target;
  core_step_t* s = out->steps;
  uint32_t* d    = out->deps;
  size_t tc = out->target_cap, sc = out->steps_cap, dc = out->deps_cap;
  memset(out, 0, sizeof *out);
  out->target = t, out->steps = s, out->deps = d;
  out->target_cap = tc, out->steps_cap = sc, out->deps_cap = dc;
  out->heuristic_cost = -1;
  if (out->target_cap >= nv) return 0;
  t = core__realloc(mem, out->target, nv, sizeof(int32_t));
  if (!t) return CORE__ERR_NOMEM;
  out->target = t, out->target_cap = nv;
  return 0;
}

/* The CORE_ERROR_NO_MEMORY outcome: nothing planned, target = the current placement if it fits. */
static void report_no_memory(const core_problem_t* pb, core_result_t* out)
{
  out->status = CORE_ERROR_NO_MEMORY, out->solver = CORE_SOLVER_NONE, out->proven_optimal = false;
  out->step_count = 0, out->dep_count = 0, out->migrations = 0, out->pivots = 0;
  if (out->target_cap >= pb->vm_count)
    for (size_t v = 0; v < pb->vm_count; v++)
      out->target[v] = pb->vms[v].node;
  snprintf(out->error, sizeof out->error, "out of memory");
}

/* Lower bound on the number of nodes a viable target keeps active (consolidation term). */
static double active_bound(const core__ws_t* ws)
{
  double cpu = 0, ram = 0, cmax = 0, rmax = 0, pinned = 0;
  uint8_t* seen = ws->node_mark;
  memset(seen, 0, ws->nn);
  for (size_t n = 0; n < ws->nn; n++)
    if (!(ws->nf[n] & (CORE__NF_DOWN | CORE__NF_OFFREQ))) {
      cmax = fmax(cmax, ws->pb->nodes[n].cpu_capacity);
      rmax = fmax(rmax, (double)ws->pb->nodes[n].ram_capacity_bytes);
    }
  for (size_t v = 0; v < ws->nv; v++) {
    int32_t n = ws->pb->vms[v].node;
    if (ws->nf[n] & CORE__NF_DOWN) continue;
    cpu += ws->cpu[v], ram += (double)ws->pb->vms[v].ram_bytes;
    if ((ws->vf[v] & CORE__VF_FIXED) && !seen[n]) seen[n] = 1, pinned++;
  }
  double bin = fmax(cmax > 0 ? ceil(cpu / cmax - 1e-9) : 0, rmax > 0 ? ceil(ram / rmax - 1e-9) : 0);
  return fmax(pinned, bin);
}

static void charge(const core_params_t* p, core_result_t* out)
{
  out->charged_seconds = core__charged_s(p, &out->work);
}

/* One call of core_solve: the workspace, the borrowed input, the output and the stages' shared state. */
typedef struct solve {
  core__ws_t ws;
  const core_problem_t* pb;
  const core_params_t* p;
  core_result_t* out;
  int32_t* heur;       /* nv: the heuristic's placement */
  int32_t* sol;        /* nv: GLPK's placement, then the partial repair's */
  uint8_t* evict;      /* nv: the cheapest eviction sets (evict.c) and the repairs of hard.c */
  uint8_t* hard;       /* nv: the repairs of hard.c alone, or NULL */
  double tol;          /* cost comparisons against the lower bound */
  bool h_ok;           /* heur is a complete viable placement */
  const int32_t* best; /* the placement kept so far (heur or sol), or NULL */
} solve_t;

/* Fills out with target, its cost and its plan. Returns the plan's return code. */
static int finish(core__ws_t* ws, const int32_t* target, core_result_t* out)
{
  memcpy(out->target, target, ws->nv * sizeof(int32_t));
  out->cost = core__target_cost(ws, target, &out->migrations, &out->active_nodes);
  return core__plan_build(ws, target, out);
}

/* Stage 1, detection: the violations of the input and its cost. Returns true (status NOTHING_TO_DO) when
 * every node is viable and every constraint holds, unless a consolidation is asked for outside repair mode. */
static bool detect(solve_t* s)
{
  core__ws_t* ws     = &s->ws;
  core_result_t* out = s->out;
  ws->work.vms_examined += ws->nv, ws->work.nodes_examined += ws->nn; /* indexing */
  for (size_t v = 0; v < ws->nv; v++)
    out->target[v] = s->pb->vms[v].node;
  core__mark_violations(ws);
  out->violating_nodes = ws->violating_nodes;
  size_t initial_viol  = core__check(ws, ws->pos, NULL, 0);
  out->cost            = core__target_cost(ws, ws->pos, NULL, &out->active_nodes);
  if (initial_viol == 0 && (s->p->consolidation_weight <= 0 || s->p->repair_mode)) {
    out->status = CORE_NOTHING_TO_DO, out->lower_bound = out->cost, out->proven_optimal = true;
    return true;
  }
  return false;
}

/* Stage 2, the lower bound: the exact eviction (its sets into s->evict, unless an FFD eviction replaces
 * them) plus the consolidation term.
 * Returns 0 or CORE__ERR_NOMEM. */
static int lower_bound(solve_t* s)
{
  bool exact;
  double lb;
  if (core__evict_all(&s->ws, s->evict, &lb, &exact) != 0) return CORE__ERR_NOMEM;
  /* the FFD planners evict their own sets; the bound stays the exact one */
  if (s->p->eviction != CORE_EVICT_EXACT && core__evict_ffd(&s->ws, s->evict) != 0) return CORE__ERR_NOMEM;
  if (s->ws.hard_violation) { /* the broken GATHER, AMONG, LONELY, MAX_ONLINE: their repairs join the evictions */
    double extra;
    s->hard = core__calloc(s->ws.mem, s->ws.nv, 1);
    if (!s->hard || core__plan_hard_repairs(&s->ws, s->hard, &extra) != 0) return CORE__ERR_NOMEM;
    for (size_t v = 0; v < s->ws.nv; v++)
      s->evict[v] |= s->hard[v];
    if (core__refit_evictions(&s->ws, s->evict, s->hard) != 0) return CORE__ERR_NOMEM;
    s->ws.hard_evict = s->hard;
    lb += extra;
  }
  lb += s->p->consolidation_weight * active_bound(&s->ws);
  s->out->lower_bound = lb;
  s->tol              = 1e-9 * (fabs(lb) + 1);
  return 0;
}

/* Stage 3, the heuristic: places the cheapest evictions (with retries); proven optimal when it meets
 * the bound. Returns 0 or CORE__ERR_NOMEM. */
static int heuristic(solve_t* s)
{
  core_result_t* out = s->out;
  double lb          = out->lower_bound;
  if (s->p->use_heuristic && isfinite(lb) && !s->ws.hard_unplanned && core__place_with_retries(&s->ws, s->evict)) {
    s->h_ok = true;
    memcpy(s->heur, s->ws.pos, s->ws.nv * sizeof(int32_t));
    out->heuristic_cost = core__target_cost(&s->ws, s->heur, NULL, NULL);
  }
  s->best             = s->h_ok ? s->heur : NULL;
  out->solver         = s->h_ok ? CORE_SOLVER_HEURISTIC : CORE_SOLVER_NONE;
  out->proven_optimal = s->h_ok && out->heuristic_cost <= lb + s->tol;
  return s->ws.mem->failed ? CORE__ERR_NOMEM : 0;
}

/* Stage 4, GLPK, when the heuristic missed its bound or failed: the repair model warm-started by the
 * heuristic, then (nothing found, no heuristic answer) the full model once. Its placement is kept when
 * it passes the independent check and beats the heuristic's (or, under locality, costs the same and
 * moves VMs less far). Returns 0 or CORE__ERR_NOMEM. */
static int milp(solve_t* s)
{
  core__ws_t* ws     = &s->ws;
  core_result_t* out = s->out;
  double lb          = out->lower_bound;
  if (out->proven_optimal || !s->p->use_milp || !isfinite(lb)) return 0;
  bool optimal, fired;
  double bound;
  core__ws_reset_target(ws);
  if (!s->h_ok && core__repair_is_impossible(ws)) return ws->mem->failed ? CORE__ERR_NOMEM : 0;
  out->milp_ran = true;
  int found     = core__milp_solve(ws, s->best, s->sol, &optimal, &bound, &fired);
  if (found == CORE__ERR_NOMEM) return found;
  if (!found && !s->h_ok && s->p->repair_mode) { /* the repair model may be too narrow: the full model, once */
    for (size_t v = 0; v < ws->nv; v++)
      if (!(ws->vf[v] & CORE__VF_FIXED)) ws->vf[v] |= CORE__VF_REPAIR;
    bool fired2;
    found = core__milp_solve(ws, NULL, s->sol, &optimal, &bound, &fired2);
    if (found == CORE__ERR_NOMEM) return found;
    optimal = false, fired |= fired2;
  }
  if (found && core__check(ws, s->sol, NULL, 0) == 0) {
    double c    = core__target_cost(ws, s->sol, NULL, NULL);
    bool nearer = s->h_ok && ws->site && c <= out->heuristic_cost + s->tol &&
                  core__locality_cost(ws, s->sol) < core__locality_cost(ws, s->heur) - 1e-9;
    if (!s->h_ok || c < out->heuristic_cost - s->tol || nearer) {
      s->best = s->sol, out->solver = CORE_SOLVER_MILP;
    }
    out->proven_optimal = optimal || c <= lb + s->tol;
    if (!s->p->repair_mode && isfinite(bound) && bound > out->lower_bound) out->lower_bound = bound;
  }
  out->safety_net_fired = fired;
  return 0;
}

/* Stage 5, the plan of s->best (status SOLVED, or NOTHING_TO_DO when it moves nothing). Returns the
 * plan's return code (-1: unreachable, or CORE__ERR_NOMEM). */
static int plan_best(solve_t* s)
{
  core_result_t* out = s->out;
  out->status        = CORE_SOLVED;
  int rc             = finish(&s->ws, s->best, out);
  if (rc == 0 && out->migrations == 0) out->status = CORE_NOTHING_TO_DO;
  return rc;
}

/* Stage 6, when nothing viable was planned: the partial repair (the nodes whose evicted VMs all fit
 * elsewhere, first fit, never onto a sender), else no solution with the current placement. Returns 0
 * or CORE__ERR_NOMEM. */
static int partial_repair(solve_t* s)
{
  core__ws_t* ws     = &s->ws;
  core_result_t* out = s->out;
  core__ws_reset_target(ws);
  core__place_evicted(ws, s->evict, true, true, CORE_PLACE_FIRST_FIT);
  if (ws->mem->failed) return CORE__ERR_NOMEM;
  memcpy(s->sol, ws->pos, ws->nv * sizeof(int32_t));
  out->solver = CORE_SOLVER_HEURISTIC, out->proven_optimal = false;
  int rc = finish(ws, s->sol, out);
  if (rc == CORE__ERR_NOMEM) return rc;
  if (rc == 0 && out->migrations > 0) {
    out->status = CORE_PARTIAL;
    return 0;
  }
  out->status = CORE_NO_SOLUTION, out->solver = CORE_SOLVER_NONE, out->step_count = 0, out->dep_count = 0;
  out->migrations = 0, out->pivots = 0;
  for (size_t v = 0; v < ws->nv; v++)
    out->target[v] = s->pb->vms[v].node;
  out->cost = core__target_cost(ws, out->target, NULL, &out->active_nodes);
  return 0;
}

static void free_scratch(solve_t* s)
{
  free(s->heur), free(s->sol), free(s->evict), free(s->hard);
  s->ws.hard_evict = NULL;
}

#define RESOLVE_NO_CHAIN 1 /* repair(): the plan is unreachable with chains allowed */

/* Stages 2 to 6, on an input with something to repair. Returns 0, CORE__ERR_NOMEM or RESOLVE_NO_CHAIN. */
static int repair(solve_t* s)
{
  core__mem_t* mem   = s->ws.mem;
  core_result_t* out = s->out;
  s->heur            = core__malloc(mem, s->ws.nv, sizeof(int32_t));
  s->sol             = core__malloc(mem, s->ws.nv, sizeof(int32_t));
  s->evict           = core__calloc(mem, s->ws.nv, 1);
  if (!s->heur || !s->sol || !s->evict) return CORE__ERR_NOMEM;
  int rc = lower_bound(s);
  if (rc == 0) rc = heuristic(s);
  if (rc == 0) rc = milp(s);
  if (rc != 0) return rc;
  if (s->best) {
    rc = plan_best(s);
    if (rc == CORE__ERR_NOMEM) return rc;
    if (rc != 0) { /* unreachable plan */
      if (!s->p->no_chain) return RESOLVE_NO_CHAIN;
      s->best = NULL, out->step_count = 0, out->dep_count = 0;
    }
  }
  return s->best ? 0 : partial_repair(s);
}

/* An unreachable plan with chains allowed: the whole solve again under no-chain (one step, always
 * reachable), charged with the work of this attempt. */
static int resolve_no_chain(solve_t* s)
{
  core_params_t q  = *s->p;
  q.no_chain       = true;
  core_work_t w    = s->ws.work;
  core__mem_t* mem = s->ws.mem;
  free_scratch(s);
  core__ws_free(&s->ws);
  int rc = core__solve(s->pb, &q, s->out, mem);
  core__work_add(&s->out->work, &w);
  charge(s->p, s->out);
  return rc;
}

int core__solve(const core_problem_t* pb, const core_params_t* p, core_result_t* out, core__mem_t* mem)
{
  CORE_ASSERT(pb != NULL && out != NULL, "core_solve needs a problem and a result");
  core_params_t defaults;
  if (!p) {
    core_params_init(&defaults);
    p = &defaults;
  }
  solve_t s = {.pb = pb, .p = p, .out = out};
  int rc    = reset_result(out, pb->vm_count, mem);
  if (rc == 0) rc = core__ws_build(&s.ws, pb, p, mem, out->error, sizeof out->error);
  if (rc == CORE__ERR_INVALID) {
    out->status = CORE_NO_SOLUTION;
    return -1;
  }
  if (rc == 0) rc = detect(&s) ? 0 : repair(&s);
  if (rc == RESOLVE_NO_CHAIN) return resolve_no_chain(&s);
  free_scratch(&s);
  if (rc == CORE__ERR_NOMEM) report_no_memory(pb, out);
  out->work = s.ws.work;
  charge(p, out);
  core__ws_free(&s.ws);
  return 0;
}

int core_solve(const core_problem_t* pb, const core_params_t* p, core_result_t* out)
{
  core__mem_t mem = {0};
  return core__solve(pb, p, out, &mem);
}
