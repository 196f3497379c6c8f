/* Where an admitted VE's VMs start (ves_internal.h, ves__place): a small core problem over
 * candidate PMs, their VMs fixed, plus a staging node holding the VE that must be emptied
 * (CORE_OFFLINE), under the VE's constraints; the core's target is the placement. Candidates: the
 * PMs with most free CPU (worst fit), or the first ones in index order (first fit, scheduler none),
 * in one site at a time for a VE kept in one site. Not the queue nor the VEs' lifecycle
 * (ves_manager.c). */
#include "scheduler.h"
#include "ves_internal.h"

#include <math.h>
#include <stdlib.h>
#include <xbt/asserts.h>

#define VES_SITES_TRIED 3 /* a VE kept in one site tries the sites with most free CPU first */

static double free_cpu(const cluster_pm_t* p)
{
  return p->cpu_capacity - p->cpu_demand - p->cpu_incoming;
}

/* True when no VM of a lonely group of another VE runs on pm. */
static bool open_to_others(const ves_t* ves, size_t pm)
{
  return ves_vm_may_go(ves, SIZE_MAX, pm);
}

/* The candidate PMs of one attempt, in ves->cand: online PMs of `site` (SIZE_MAX: any), with room
 * (CPU and RAM) for any one of the VE's VMs (or gathered groups); first fit: the first ones in index order; else those
 * with most free CPU. */
static size_t pick_candidates(ves_t* ves, size_t site, size_t want, uint64_t unit_ram, double unit_cpu, double now)
{
  const cluster_t* cl = ves->cl;
  size_t n            = 0;
  for (size_t pm = 0; pm < cluster_pm_count(cl); pm++) {
    const cluster_pm_t* p = cluster_pm(cl, pm);
    if (!cluster_pm_is_on(cl, pm) || (site != SIZE_MAX && plat_pm_site(ves->plat, pm) != site) ||
        (ves->infra && infra_pm_in_maintenance(ves->infra, pm, now)))
      continue;
    double room = free_cpu(p);
    if (p->ram_used_bytes + p->ram_incoming_bytes + unit_ram > p->ram_capacity_bytes || room < unit_cpu ||
        !open_to_others(ves, pm))
      continue;
    if (ves->first_fit) {
      if (n == want) break;
      ves->cand[n] = pm, ves->cand_free[n++] = room;
      continue;
    }
    /* keep the `want` PMs with most room, sorted by room (insertion: want is small) */
    size_t at = n < want ? n++ : want;
    while (at > 0 && ves->cand_free[at - 1] < room) {
      if (at < want) ves->cand[at] = ves->cand[at - 1], ves->cand_free[at] = ves->cand_free[at - 1];
      at--;
    }
    if (at < want) ves->cand[at] = pm, ves->cand_free[at] = room;
  }
  return n;
}

/* Places VE v on the candidates with the core; admits it and returns true when every VM found a PM. */
static bool solve_on_candidates(ves_t* ves, size_t id, size_t n, double now, double* charged_s)
{
  const ve_t* v       = &ves->ve[id];
  const cluster_t* cl = ves->cl;
  size_t hosted       = 0;
  for (size_t i = 0; i < n; i++)
    hosted += cluster_pm(cl, ves->cand[i])->vm_count;
  size_t vm_count = hosted + v->vm_count, sites = plat_site_count(ves->plat);
  double room_cpu = 0, need = 0;
  uint64_t room_ram = 0, need_mem = 0;
  for (size_t i = 0; i < n; i++) {
    const cluster_pm_t* p = cluster_pm(cl, ves->cand[i]);
    room_cpu += fmax(0, free_cpu(p));
    room_ram += p->ram_capacity_bytes - p->ram_used_bytes - p->ram_incoming_bytes; /* > 0: a candidate */
  }
  for (uint32_t m = 0; m < v->vm_count; m++)
    need += cluster_vm(cl, v->first_vm + m)->cpu_demand, need_mem += cluster_vm(cl, v->first_vm + m)->ram_bytes;
  if (need > room_cpu + CLUSTER_CPU_EPSILON || need_mem > room_ram) return false; /* no solve can fit it */
  core_node_t* nodes = calloc(n + 1, sizeof *nodes);
  core_vm_t* vms     = calloc(vm_count, sizeof *vms);
  /* the VE's constraints, the staging node's, and one ban per VM that the infrastructure refuses somewhere */
  size_t most           = LUCSIM_MAX_VE_CONSTRAINTS + 1 + v->vm_count;
  core_constraint_t* cs = malloc(most * sizeof *cs);
  int32_t* cvms         = malloc((v->vm_count * (LUCSIM_MAX_VE_CONSTRAINTS + 1) + 1) * sizeof *cvms);
  int32_t* cnodes       = malloc(((n + 1) * most) * sizeof *cnodes);
  size_t* ends          = malloc((sites + 1) * sizeof *ends);
  xbt_assert(cs && nodes && vms && cvms && cnodes && ends, "out of memory (VE admission)");
  size_t k          = 0;
  double need_cpu   = 0;
  uint64_t need_ram = 0;
  for (size_t i = 0; i < n; i++) {
    const cluster_pm_t* p = cluster_pm(cl, ves->cand[i]);
    nodes[i]              = (core_node_t){.cpu_capacity       = fmax(0.0, p->cpu_capacity - p->cpu_incoming),
                                          .ram_capacity_bytes = p->ram_capacity_bytes > p->ram_incoming_bytes
                                                                    ? p->ram_capacity_bytes - p->ram_incoming_bytes
                                                                    : 0,
                                          .online             = true,
                                          .id                 = (int64_t)ves->cand[i]};
    for (int32_t o = p->first_vm; o != CLUSTER_NONE; o = cluster_vm(cl, (size_t)o)->next_on_pm, k++)
      vms[k] = (core_vm_t){cluster_vm(cl, (size_t)o)->cpu_demand, cluster_vm(cl, (size_t)o)->ram_bytes, (int32_t)i,
                           false, o};
  }
  for (uint32_t m = 0; m < v->vm_count; m++, k++) {
    const cluster_vm_t* cv = cluster_vm(cl, v->first_vm + m);
    vms[k]                 = (core_vm_t){cv->cpu_demand, cv->ram_bytes, (int32_t)n, true, (int64_t)(v->first_vm + m)};
    need_cpu += cv->cpu_demand, need_ram += cv->ram_bytes;
  }
  nodes[n]      = (core_node_t){need_cpu, need_ram, true, -1}; /* staging: holds the VE, must be emptied */
  bool one_site = true;
  for (size_t j = 1; j < n; j++)
    one_site = one_site && plat_pm_site(ves->plat, ves->cand[j]) == plat_pm_site(ves->plat, ves->cand[0]);
  size_t nc = 0, vm_at = 0, node_at = 0;
  cnodes[node_at] = (int32_t)n;
  cs[nc++]        = (core_constraint_t){.kind = CORE_OFFLINE, .nodes = cnodes + node_at++, .node_count = 1};
  for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++) {
    const ves_cstr_t* c = &ves->cstr[v->tmpl][i];
    /* root pins the VMs once they run; latency holds by itself on candidates of one site */
    if (c->kind == VE_CSTR_ROOT || (c->kind == VE_CSTR_LATENCY && one_site)) continue;
    core_constraint_t* out = &cs[nc++];
    *out                   = (core_constraint_t){.vms = cvms + vm_at, .vm_count = c->count};
    for (uint32_t m = 0; m < c->count; m++)
      cvms[vm_at++] = (int32_t)(hosted + c->offset + m);
    size_t first_node = node_at, groups = 0;
    switch (c->kind) {
    case VE_CSTR_SPREAD:
      out->kind = CORE_SPREAD;
      break;
    case VE_CSTR_GATHER:
      out->kind = CORE_GATHER;
      break;
    case VE_CSTR_LONELY:
      out->kind = CORE_LONELY;
      break;
    case VE_CSTR_LATENCY: /* one group per site of the candidates */
      out->kind = CORE_AMONG;
      for (size_t s = 0; s < sites; s++) {
        size_t before = node_at;
        for (size_t j = 0; j < n; j++)
          if (plat_pm_site(ves->plat, ves->cand[j]) == s) cnodes[node_at++] = (int32_t)j;
        if (node_at > before) ends[groups++] = node_at - first_node;
      }
      break;
    default: /* FENCE, BAN: the candidates in the listed sites */
      out->kind = c->kind == VE_CSTR_FENCE ? CORE_FENCE : CORE_BAN;
      for (size_t j = 0; j < n; j++)
        if (c->site_in[plat_pm_site(ves->plat, ves->cand[j])]) cnodes[node_at++] = (int32_t)j;
      break;
    }
    out->nodes       = cnodes + first_node;
    out->node_count  = node_at - first_node;
    out->group_ends  = groups ? ends : NULL;
    out->group_count = groups;
  }
  for (uint32_t m = 0; ves->infra && infra_count(ves->infra) && m < v->vm_count; m++) {
    size_t klass = cluster_vm(cl, v->first_vm + m)->class_id, first_node = node_at;
    for (size_t j = 0; j < n; j++)
      if (!infra_vm_allowed(ves->infra, klass, ves->cand[j], now)) cnodes[node_at++] = (int32_t)j;
    if (node_at == first_node) continue;
    cvms[vm_at] = (int32_t)(hosted + m);
    cs[nc++]    = (core_constraint_t){.kind       = CORE_BAN,
                                      .vms        = cvms + vm_at++,
                                      .vm_count   = 1,
                                      .nodes      = cnodes + first_node,
                                      .node_count = node_at - first_node};
  }
  core_problem_t pb = {
      .nodes = nodes, .node_count = n + 1, .vms = vms, .vm_count = vm_count, .constraints = cs, .constraint_count = nc};
  core_params_t params;
  core_params_init(&params);
  params.placement = ves->first_fit ? CORE_PLACE_FIRST_FIT : CORE_PLACE_WORST_FIT;
  params.locality  = CORE_LOCALITY_OFF;
  int rc           = sched_core_solve(&pb, &params, &ves->result);
  xbt_assert(rc == 0, "the core refused a VE admission problem: %s", ves->result.error);
  ves->solves++;
  ves->solves_glpk += ves->result.milp_ran;
  *charged_s += ves->result.charged_seconds;
  bool fits = ves->result.status == CORE_SOLVED;
  for (uint32_t m = 0; fits && m < v->vm_count; m++) {
    int32_t to = ves->result.target[hosted + m];
    xbt_assert(to >= 0 && (size_t)to < n, "admission target on the staging node");
    cluster_vm_admit(ves->cl, v->first_vm + m, ves->cand[to], now);
  }
  free(cs), free(nodes), free(vms), free(cvms), free(cnodes), free(ends);
  return fits;
}

/* Does one of the VE's latency constraints cover the whole VE? Then it tries one site at a time. */
static bool kept_in_one_site(const ves_t* ves, const ve_t* v)
{
  for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++)
    if (ves->cstr[v->tmpl][i].kind == VE_CSTR_LATENCY && ves->cstr[v->tmpl][i].count == v->vm_count) return true;
  return false;
}

bool ves__place(ves_t* ves, size_t id, double now, double* charged_s)
{
  ve_t* v     = &ves->ve[id];
  size_t want = 2 * v->vm_count > VES_MIN_CANDIDATES ? 2 * (size_t)v->vm_count : VES_MIN_CANDIDATES;
  size_t pms  = cluster_pm_count(ves->cl);
  want        = want < pms ? want : pms;
  /* the room a candidate needs: for any one VM, or whole gathered group, of the VE (so the heuristic
   * seldom fails on candidates that can each take only its smallest VM) */
  uint64_t unit_ram = 0;
  double unit_cpu   = 0;
  for (uint32_t m = 0; m < v->vm_count; m++) {
    size_t vm    = v->first_vm + m;
    double cpu   = cluster_vm(ves->cl, vm)->cpu_demand;
    uint64_t ram = cluster_vm(ves->cl, vm)->ram_bytes;
    for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++) {
      const ves_cstr_t* c = &ves->cstr[v->tmpl][i];
      if (c->kind != VE_CSTR_GATHER || m < c->offset || m >= c->offset + c->count) continue;
      cpu = 0, ram = 0;
      for (uint32_t k = 0; k < c->count; k++)
        cpu += cluster_vm(ves->cl, v->first_vm + c->offset + k)->cpu_demand,
            ram += cluster_vm(ves->cl, v->first_vm + c->offset + k)->ram_bytes;
      break;
    }
    unit_ram = ram > unit_ram ? ram : unit_ram;
    unit_cpu = cpu > unit_cpu ? cpu : unit_cpu;
  }
  uint8_t state = v->state;
  v->state      = VE_RUNNING; /* its VMs' admissions are not the checks' business until it is whole */
  bool fits     = false;
  if (!kept_in_one_site(ves, v)) {
    size_t n = pick_candidates(ves, SIZE_MAX, want, unit_ram, unit_cpu, now);
    fits     = n > 0 && solve_on_candidates(ves, id, n, now, charged_s);
  } else { /* the sites with most free CPU first */
    size_t sites = plat_site_count(ves->plat);
    double* room = calloc(sites, sizeof *room);
    xbt_assert(room, "out of memory (VE admission)");
    for (size_t pm = 0; pm < pms; pm++)
      if (cluster_pm_is_on(ves->cl, pm))
        room[plat_pm_site(ves->plat, pm)] += fmax(0, free_cpu(cluster_pm(ves->cl, pm)));
    for (size_t tried = 0; tried < VES_SITES_TRIED && tried < sites && !fits; tried++) {
      size_t best = 0;
      for (size_t s = 1; s < sites; s++)
        if (room[s] > room[best]) best = s;
      if (room[best] < 0) break;
      room[best] = -1;
      size_t n   = pick_candidates(ves, best, want, unit_ram, unit_cpu, now);
      fits       = n > 0 && solve_on_candidates(ves, id, n, now, charged_s);
    }
    free(room);
  }
  v->state = state;
  return fits;
}
