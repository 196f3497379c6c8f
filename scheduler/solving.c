/* Solving with the core, shared by every scheduler (scheduler.h, "Solving with the core"): the
 * problem builder and its headroom, the shared solver parameters, sched_solve and sched_charge.
 * Built only on the public API (snapshots and copied VM lists), so every scheduler's problem is
 * built alike. Not the solver (scheduler/core/) nor the plan executor (plan_exec.c). */
#include "problem_cstrs.h"
#include "problem_infra.h"
#include "problem_ves.h"
#include "round_internal.h"
#include "scheduler.h"

#include <math.h>
#include <simgrid/actor.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

/* ---- the problem builder ---- */

struct sched_problem {
  core_problem_t pb;
  core_node_t* nodes;
  core_vm_t* vms;
  size_t* vm_ids;   /* scratch: the VMs of the built PMs, in problem order (sched_pms_vms) */
  uint32_t* hosted; /* scratch: how many VMs each built PM hosts */
  size_t nodes_cap, vms_cap, vm_ids_cap, hosted_cap;
  /* Sites of the built PMs, renumbered 0.. in order of first appearance (the problem's sites) */
  uint32_t* node_site;
  uint32_t* local_of; /* platform site -> problem site, or UINT32_MAX; sched_site_count entries */
  size_t* rep;        /* problem site -> its first node's PM (the latency probe) */
  double* dist;       /* problem sites x problem sites: route latencies between their probes */
  size_t node_site_cap, local_cap, rep_cap, dist_cap;
  sched_ve_cstrs_t* ve_cstrs;       /* the constraints of the virtual environments (problem_ves.c) */
  sched_infra_cstrs_t* infra_cstrs; /* the infrastructure constraints (problem_infra.c) */
  core_constraint_t* all;           /* both lists, when both have constraints */
  size_t all_cap;
  core_constraint_t* with_extra; /* the constraints plus those of sched_problem_add_offline */
  int32_t* extra_nodes;
  size_t with_extra_cap, extra_nodes_cap;
};

sched_problem_t* sched_problem_create(void)
{
  return calloc(1, sizeof(sched_problem_t));
}

void sched_problem_destroy(sched_problem_t* pb)
{
  if (!pb) return;
  free(pb->nodes);
  free(pb->vms);
  free(pb->vm_ids), free(pb->hosted);
  free(pb->node_site), free(pb->local_of), free(pb->rep), free(pb->dist);
  sched__ve_cstrs_destroy(pb->ve_cstrs);
  sched__infra_cstrs_destroy(pb->infra_cstrs);
  free(pb->all);
  free(pb->with_extra), free(pb->extra_nodes);
  free(pb);
}

/* The sites of the problem's PMs (renumbered in order of first appearance) and, with two sites or more,
 * the route latency between each pair of them, measured once per pair between their first PMs: within
 * a site every PM has the same links (docs/PLATFORMS.md), so k sites cost k^2 latency queries. */
static void build_sites(const sched_ctx_t* ctx, sched_problem_t* pb, const size_t* pms, size_t count)
{
  size_t sites  = sched_site_count(ctx);
  pb->node_site = sched__grow(pb->node_site, &pb->node_site_cap, count, sizeof *pb->node_site);
  pb->local_of  = sched__grow(pb->local_of, &pb->local_cap, sites, sizeof *pb->local_of);
  pb->rep       = sched__grow(pb->rep, &pb->rep_cap, sites, sizeof *pb->rep);
  size_t k      = 0;
  for (size_t s = 0; s < sites; s++)
    pb->local_of[s] = UINT32_MAX;
  for (size_t i = 0; i < count; i++) {
    size_t pm = pms ? pms[i] : i, s = sched_pm_site(ctx, pm);
    if (pb->local_of[s] == UINT32_MAX) pb->local_of[s] = (uint32_t)k, pb->rep[k++] = pm;
    pb->node_site[i] = pb->local_of[s];
  }
  pb->pb.node_site  = pb->node_site;
  pb->pb.site_count = k;
  if (k < 2) return;
  pb->dist = sched__grow(pb->dist, &pb->dist_cap, k * k, sizeof *pb->dist);
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++)
      pb->dist[a * k + b] = a == b ? 0 : sched_route_latency(ctx, pb->rep[a], pb->rep[b]);
  pb->pb.site_distance = pb->dist;
}

const core_problem_t* sched_problem_build(const sched_ctx_t* ctx, sched_problem_t* pb, const size_t* pms, size_t count)
{
  if (!pms) count = sched_pm_count(ctx);
  pb->nodes  = sched__grow(pb->nodes, &pb->nodes_cap, count, sizeof *pb->nodes);
  pb->hosted = sched__grow(pb->hosted, &pb->hosted_cap, count, sizeof *pb->hosted);
  size_t vms = 0;
  for (size_t i = 0; i < count; i++) {
    size_t pm = pms ? pms[i] : i;
    sched_pm_info_t p;
    sched_pm_info(ctx, pm, &p);
    core_node_t* n  = &pb->nodes[i];
    n->cpu_capacity = fmax(0.0, p.cpu_capacity - p.cpu_incoming);
    n->ram_capacity_bytes =
        p.ram_capacity_bytes > p.ram_incoming_bytes ? p.ram_capacity_bytes - p.ram_incoming_bytes : 0;
    n->online     = p.online && sched_pm_power(ctx, pm) == SCHED_POWER_ON;
    n->id         = (int64_t)pm;
    pb->hosted[i] = p.vm_count;
    vms += p.vm_count;
  }
  pb->vms       = sched__grow(pb->vms, &pb->vms_cap, vms, sizeof *pb->vms);
  pb->vm_ids    = sched__grow(pb->vm_ids, &pb->vm_ids_cap, vms, sizeof *pb->vm_ids);
  size_t listed = sched_pms_vms(ctx, pms, count, pb->vm_ids);
  xbt_assert(listed == vms, "VM lists disagree with VM counts (%zu != %zu)", listed, vms);
  size_t k = 0;
  for (size_t i = 0; i < count; i++)
    for (size_t end = k + pb->hosted[i]; k < end; k++) {
      sched_vm_info_t v;
      sched_vm_info(ctx, pb->vm_ids[k], &v);
      core_vm_t* cvm  = &pb->vms[k];
      cvm->cpu_demand = v.cpu_demand;
      cvm->ram_bytes  = v.ram_bytes;
      cvm->node       = (int32_t)i;
      cvm->movable    = v.migrating_to == SCHED_NONE && pb->nodes[i].online;
      cvm->id         = (int64_t)pb->vm_ids[k];
    }
  pb->pb = (core_problem_t){.nodes = pb->nodes, .node_count = count, .vms = pb->vms, .vm_count = vms};
  build_sites(ctx, pb, pms, count);
  if (sched_ve_count(ctx) > 0) {
    if (!pb->ve_cstrs) pb->ve_cstrs = sched__ve_cstrs_create();
    xbt_assert(pb->ve_cstrs, "out of memory (VE constraints)");
    pb->pb.constraint_count = sched__ve_cstrs_build(ctx, pb->ve_cstrs, &pb->pb, &pb->pb.constraints);
  }
  if (sched_infra_count(ctx) > 0) {
    if (!pb->infra_cstrs) pb->infra_cstrs = sched__infra_cstrs_create();
    xbt_assert(pb->infra_cstrs, "out of memory (infrastructure constraints)");
    const core_constraint_t* infra;
    size_t n = sched__infra_cstrs_build(ctx, pb->infra_cstrs, &pb->pb, &infra);
    if (n > 0 && pb->pb.constraint_count == 0) {
      pb->pb.constraints = infra, pb->pb.constraint_count = n;
    } else if (n > 0) { /* both: one list */
      size_t ve = pb->pb.constraint_count;
      pb->all   = sched__grow(pb->all, &pb->all_cap, ve + n, sizeof *pb->all);
      memcpy(pb->all, pb->pb.constraints, ve * sizeof *pb->all);
      memcpy(pb->all + ve, infra, n * sizeof *pb->all);
      pb->pb.constraints = pb->all, pb->pb.constraint_count = ve + n;
    }
  }
  return &pb->pb;
}

void sched_problem_set_headroom(sched_problem_t* pb, double share)
{
  if (share <= 0) return;
  double* demand = calloc(pb->pb.node_count + 1, sizeof *demand);
  xbt_assert(demand, "out of memory");
  for (size_t v = 0; v < pb->pb.vm_count; v++)
    demand[pb->vms[v].node] += pb->vms[v].cpu_demand;
  for (size_t n = 0; n < pb->pb.node_count; n++) {
    core_node_t* node = &pb->nodes[n];
    if (demand[n] <= node->cpu_capacity) node->cpu_capacity = fmax(demand[n], (1 - share) * node->cpu_capacity);
  }
  free(demand);
}

void sched_problem_limit_cpu(const sched_ctx_t* ctx, sched_problem_t* pb, const double* share)
{
  for (size_t n = 0; n < pb->pb.node_count; n++) {
    sched_pm_info_t p;
    sched_pm_info(ctx, (size_t)pb->nodes[n].id, &p);
    pb->nodes[n].cpu_capacity = fmax(0.0, share[n] * p.cpu_capacity - p.cpu_incoming);
  }
}

void sched_problem_add_offline(sched_problem_t* pb, const size_t* nodes, size_t count)
{
  size_t have     = pb->pb.constraint_count;
  pb->extra_nodes = sched__grow(pb->extra_nodes, &pb->extra_nodes_cap, count, sizeof *pb->extra_nodes);
  for (size_t i = 0; i < count; i++)
    pb->extra_nodes[i] = (int32_t)nodes[i];
  pb->with_extra = sched__grow(pb->with_extra, &pb->with_extra_cap, have + 1, sizeof *pb->with_extra);
  if (have > 0 && pb->pb.constraints != pb->with_extra)
    memcpy(pb->with_extra, pb->pb.constraints, have * sizeof *pb->with_extra);
  pb->with_extra[have] = (core_constraint_t){.kind = CORE_OFFLINE, .nodes = pb->extra_nodes, .node_count = count};
  pb->pb.constraints = pb->with_extra, pb->pb.constraint_count = have + 1;
}

/* ---- solving and charging ---- */

int sched__refuse_older_abi(sched_ctx_t* ctx, int version, const char* call, const char* grew, lucsim_err_t* err)
{
  if (sched_abi_version(ctx) >= version) return 0;
  return sched_param_error(ctx, "plugin", err,
                           "built for scheduler ABI %d calls %s, whose struct grew in ABI %d (%s): rebuild it against "
                           "this scheduler.h",
                           sched_abi_version(ctx), call, version, grew);
}

int sched_param_solver(sched_ctx_t* ctx, sched_solver_params_t* out, lucsim_err_t* err)
{
  static const sched_param_doc_t docs[] = {
      {"objective", "what a plan minimises: migrations (their count) or ram (the migrated bytes)"},
      {"budget_nodes", "the core's deterministic MILP budget: branch-and-bound nodes"},
      {"budget_lp_iterations", "the core's deterministic MILP budget: simplex iterations"},
      {"compute_model",
       "charged computation: deterministic (the core's cost model), entropy-like (min(30, #PMs / 8) s) or "
       "entropy-uncapped (#PMs / 8 s); below 8 PMs both charge the cost model"},
      {"placement", "where evicted VMs go: worst_fit (most room left), first_fit or best_fit"},
      {"eviction",
       "which VMs leave a violating PM: exact (the cheapest set), lazy (in order until it is viable: "
       "VMPlaceS' Lazy FFD), all (all of them, they may come back: its Optimistic FFD) or mmt (the least RAM "
       "first until it is viable: CloudSim's minimum migration time)"},
      {"milp", "on: GLPK when the heuristic misses its lower bound or fails; off: the heuristic alone"},
      {"locality", "destinations in the VM's site first (site), then the nearest sites by route latency (latency), or "
                   "sites ignored (off)"},
      {NULL, NULL}};
  sched_param_docs(ctx, docs);
  if (sched__refuse_older_abi(ctx, 4, "sched_param_solver", "eviction, milp", err) != 0) return -1;
  static const char* const objectives[] = {"migrations", "ram", NULL};
  static const char* const models[]     = {"deterministic", "entropy-like", "entropy-uncapped", NULL};
  static const char* const placements[] = {"first_fit", "best_fit", "worst_fit", NULL};
  static const char* const localities[] = {"off", "site", "latency", NULL};
  static const char* const evictions[]  = {"exact", "lazy", "all", "mmt", NULL};
  static const char* const off_on[]     = {"off", "on", NULL};
  core_params_init(&out->core);
  int objective, model, placement, locality, eviction, milp;
  double nodes, iterations;
  if (sched_param_enum(ctx, "objective", objectives, 0, &objective, err) != 0 ||
      sched_param_double(ctx, "budget_nodes", (double)out->core.max_bnb_nodes, 0, 1e9, &nodes, err) != 0 ||
      sched_param_double(ctx, "budget_lp_iterations", (double)out->core.max_lp_iterations, 0, 1e12, &iterations, err) !=
          0 ||
      sched_param_enum(ctx, "compute_model", models, 0, &model, err) != 0 ||
      sched_param_enum(ctx, "placement", placements, (int)out->core.placement, &placement, err) != 0 ||
      sched_param_enum(ctx, "locality", localities, (int)out->core.locality, &locality, err) != 0 ||
      sched_param_enum(ctx, "eviction", evictions, (int)out->core.eviction, &eviction, err) != 0 ||
      sched_param_enum(ctx, "milp", off_on, out->core.use_milp ? 1 : 0, &milp, err) != 0)
    return -1;
  out->core.eviction          = (core_eviction_t)eviction;
  out->core.use_milp          = milp == 1;
  out->core.locality          = (core_locality_t)locality;
  out->core.placement         = (core_placement_t)placement;
  out->core.objective         = objective == 0 ? CORE_OBJ_COUNT : CORE_OBJ_RAM;
  out->core.max_bnb_nodes     = (long)nodes;
  out->core.max_lp_iterations = (long)iterations;
  out->compute_model          = (sched_compute_model_t)model;
  return 0;
}

double sched_solve(const sched_ctx_t* ctx, const sched_solver_params_t* sp, const core_problem_t* pb,
                   core_result_t* out)
{
  (void)ctx;
  int rc = sched_core_solve(pb, &sp->core, out);
  xbt_assert(rc == 0, "the core refused a problem built by sched_problem_build: %s", out->error);
  /* Entropy's limit is charged when it searched: on a viable configuration its first solution, the
   * empty plan, is optimal at once (the cost model then charges that little work). */
  if (sp->compute_model != SCHED_COMPUTE_DETERMINISTIC && out->status != CORE_NOTHING_TO_DO) {
    size_t online = 0;
    for (size_t i = 0; i < pb->node_count; i++)
      online += pb->nodes[i].online;
    size_t s = online / 8; /* integer division, as VMPlaceS' Entropy2RP; 0 = Entropy's "no limit" */
    if (s > 0) return sp->compute_model == SCHED_COMPUTE_ENTROPY_LIKE && s > 30 ? 30.0 : (double)s;
  }
  return out->charged_seconds;
}

void sched_charge(sched_ctx_t* ctx, size_t node, double seconds)
{
  sched_state_t before = sched_get_state(ctx, node);
  sched_set_state(ctx, node, SCHED_STATE_COMPUTE);
  if (seconds > 0) sg_actor_sleep_for(seconds);
  sched_set_state(ctx, node, before);
}
