/* core_solve: the pipeline (ALGORITHMS.md §2.7) — detect, exact eviction and its bound, heuristic
 * placement, GLPK only when the bound is missed or the heuristic fails, independent re-check, plan
 * (re-solved under no-chain when unreachable), partial repair as a last resort, and the deterministic
 * cost model applied to the work (params.c). Also the result's memory and the status names. */
#include "core_internal.h"

#include <assert.h>
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

static void reset_result(core_result_t* out, size_t nv)
{
  if (out->target_cap < nv) {
    out->target = realloc(out->target, (nv ? nv : 1) * sizeof(int32_t));
    assert(out->target && "core: out of memory");
    out->target_cap = nv;
  }
  int32_t* t     = out->target;
  core_step_t* s = out->steps;
  uint32_t* d    = out->deps;
  size_t tc = out->target_cap, sc = out->steps_cap, dc = out->deps_cap;
  memset(out, 0, sizeof *out);
  out->target = t, out->steps = s, out->deps = d;
  out->target_cap = tc, out->steps_cap = sc, out->deps_cap = dc;
  out->heuristic_cost = -1;
}

/* Lower bound on the number of nodes a viable target keeps active (consolidation term). */
static double active_bound(const core__ws_t* ws)
{
  double cpu = 0, ram = 0, cmax = 0, rmax = 0, pinned = 0;
  uint8_t* seen = calloc(ws->nn ? ws->nn : 1, 1);
  assert(seen);
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
  free(seen);
  double bin = fmax(cmax > 0 ? ceil(cpu / cmax - 1e-9) : 0, rmax > 0 ? ceil(ram / rmax - 1e-9) : 0);
  return fmax(pinned, bin);
}

static void charge(const core_params_t* p, core_result_t* out)
{
  out->charged_seconds = core__charged_s(p, &out->work);
}

/* Fills out with target, its cost and its plan. Returns the plan's return code. */
static int finish(core__ws_t* ws, const int32_t* target, core_result_t* out)
{
  memcpy(out->target, target, ws->nv * sizeof(int32_t));
  out->cost = core__target_cost(ws, target, &out->migrations, &out->active_nodes);
  return core__plan_build(ws, target, out);
}

int core_solve(const core_problem_t* pb, const core_params_t* p, core_result_t* out)
{
  core_params_t defaults;
  if (!p) {
    core_params_init(&defaults);
    p = &defaults;
  }
  reset_result(out, pb->vm_count);
  core__ws_t ws;
  if (core__ws_build(&ws, pb, p, out->error, sizeof out->error) != 0) {
    out->status = CORE_NO_SOLUTION;
    return -1;
  }
  size_t nv = ws.nv;
  ws.work.vms_examined += nv, ws.work.nodes_examined += ws.nn; /* indexing */
  for (size_t v = 0; v < nv; v++)
    out->target[v] = pb->vms[v].node;
  core__mark_violations(&ws);
  out->violating_nodes = ws.violating_nodes;
  size_t initial_viol  = core__check(&ws, ws.pos, NULL, 0);
  out->cost            = core__target_cost(&ws, ws.pos, NULL, &out->active_nodes);
  if (initial_viol == 0 && (p->consolidation_weight <= 0 || p->repair_mode)) {
    out->status = CORE_NOTHING_TO_DO, out->lower_bound = out->cost, out->proven_optimal = true;
    goto done;
  }
  int32_t* heur  = malloc(nv * sizeof(int32_t) + 1);
  int32_t* sol   = malloc(nv * sizeof(int32_t) + 1);
  uint8_t* evict = calloc(nv + 1, 1);
  assert(heur && sol && evict);
  bool exact;
  double lb = core__evict_all(&ws, evict, &exact);
  lb += p->consolidation_weight * active_bound(&ws);
  out->lower_bound = lb;
  double tol       = 1e-9 * (fabs(lb) + 1);
  bool h_ok        = false;
  if (p->use_heuristic && isfinite(lb) && !ws.hard_violation) {
    if (core__place_with_retries(&ws, evict)) {
      h_ok = true;
      memcpy(heur, ws.pos, nv * sizeof(int32_t));
      out->heuristic_cost = core__target_cost(&ws, heur, NULL, NULL);
    }
  }
  const int32_t* best = h_ok ? heur : NULL;
  out->solver         = h_ok ? CORE_SOLVER_HEURISTIC : CORE_SOLVER_NONE;
  out->proven_optimal = h_ok && out->heuristic_cost <= lb + tol;
  if (!out->proven_optimal && p->use_milp && isfinite(lb)) {
    bool optimal, fired;
    double bound;
    core__ws_reset_target(&ws);
    out->milp_ran = true;
    int found     = core__milp_solve(&ws, best, sol, &optimal, &bound, &fired);
    if (!found && !h_ok && p->repair_mode) { /* the repair model may be too narrow: the full model, once */
      for (size_t v = 0; v < nv; v++)
        if (!(ws.vf[v] & CORE__VF_FIXED)) ws.vf[v] |= CORE__VF_REPAIR;
      bool fired2;
      found   = core__milp_solve(&ws, NULL, sol, &optimal, &bound, &fired2);
      optimal = false, fired |= fired2;
    }
    if (found && core__check(&ws, sol, NULL, 0) == 0) {
      double c = core__target_cost(&ws, sol, NULL, NULL);
      if (!h_ok || c < out->heuristic_cost - tol) {
        best = sol, out->solver = CORE_SOLVER_MILP;
      }
      out->proven_optimal = optimal || c <= lb + tol;
      if (!p->repair_mode && isfinite(bound) && bound > out->lower_bound) out->lower_bound = bound;
    }
    out->safety_net_fired = fired;
  }
  if (best) {
    out->status = CORE_SOLVED;
    if (finish(&ws, best, out) != 0) { /* unreachable plan: solve again under no-chain */
      if (!p->no_chain) {
        core_params_t q = *p;
        q.no_chain      = true;
        core_work_t w   = ws.work;
        free(heur), free(sol), free(evict);
        core__ws_free(&ws);
        int rc = core_solve(pb, &q, out);
        core__work_add(&out->work, &w);
        charge(p, out);
        return rc;
      }
      best = NULL, out->step_count = 0, out->dep_count = 0;
    } else if (out->migrations == 0) {
      out->status = CORE_NOTHING_TO_DO;
    }
  }
  if (!best) { /* partial repair: the nodes whose evicted VMs all fit elsewhere */
    core__ws_reset_target(&ws);
    core__place_evicted(&ws, evict, true, true, CORE_PLACE_FIRST_FIT);
    memcpy(sol, ws.pos, nv * sizeof(int32_t));
    out->solver = CORE_SOLVER_HEURISTIC, out->proven_optimal = false;
    if (finish(&ws, sol, out) == 0 && out->migrations > 0) {
      out->status = CORE_PARTIAL;
    } else {
      out->status = CORE_NO_SOLUTION, out->solver = CORE_SOLVER_NONE, out->step_count = 0, out->dep_count = 0;
      out->migrations = 0, out->pivots = 0;
      for (size_t v = 0; v < nv; v++)
        out->target[v] = pb->vms[v].node;
      out->cost = core__target_cost(&ws, out->target, NULL, &out->active_nodes);
    }
  }
  free(heur), free(sol), free(evict);
done:
  out->work = ws.work;
  charge(p, out);
  core__ws_free(&ws);
  return 0;
}
