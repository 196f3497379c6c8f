/* The VE manager (ves.h): an actor that lets VEs arrive, admits them through the shared core or
 * queues them, and removes them when their lifetime ends. Admission solves a small problem: the
 * candidate PMs with their VMs fixed, plus a staging node holding the new VE that must be emptied
 * (CORE_OFFLINE), under the VE's constraints; the core's target is where its VMs start. */
#include "ves_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ves, lucsim, "Virtual environments");

#define VES_RETRY_S 60.0         /* the queue is tried again this often while VEs wait */
#define VES_DEPART_RETRY_S 1.0   /* a VE with a member migrating leaves once it arrived */
#define VES_SITES_TRIED 3        /* a VE kept in one site tries the sites with most free CPU first */
#define VES_MIN_CANDIDATES 16
#define VES_TRIES_PER_PASS 32 /* admission attempts per pass over the queue (backfill, priority) */

/* ---- the departure heap ---- */

static bool earlier(const ves_departure_t* a, const ves_departure_t* b)
{
  return a->at_s < b->at_s || (a->at_s == b->at_s && a->ve < b->ve);
}

static void heap_push(ves_t* ves, double at_s, size_t ve)
{
  ves->heap[ves->heap_len] = (ves_departure_t){at_s, ve};
  for (size_t i = ves->heap_len++; i > 0 && earlier(&ves->heap[i], &ves->heap[(i - 1) / 2]); i = (i - 1) / 2) {
    ves_departure_t t = ves->heap[i];
    ves->heap[i] = ves->heap[(i - 1) / 2], ves->heap[(i - 1) / 2] = t;
  }
}

static ves_departure_t heap_pop(ves_t* ves)
{
  ves_departure_t top = ves->heap[0];
  ves->heap[0]        = ves->heap[--ves->heap_len];
  for (size_t i = 0;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < ves->heap_len && earlier(&ves->heap[l], &ves->heap[m])) m = l;
    if (r < ves->heap_len && earlier(&ves->heap[r], &ves->heap[m])) m = r;
    if (m == i) break;
    ves_departure_t t = ves->heap[i];
    ves->heap[i] = ves->heap[m], ves->heap[m] = t;
    i = m;
  }
  return top;
}

/* ---- admission ---- */

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
 * (CPU and RAM) for any one of the VE's VMs (or gathered groups); first fit: the first ones in index order; else those with
 * most free CPU. */
static size_t pick_candidates(ves_t* ves, size_t site, size_t want, uint64_t unit_ram, double unit_cpu)
{
  const cluster_t* cl = ves->cl;
  size_t n            = 0;
  for (size_t pm = 0; pm < cluster_pm_count(cl); pm++) {
    const cluster_pm_t* p = cluster_pm(cl, pm);
    if (!p->online || (site != SIZE_MAX && plat_pm_site(ves->plat, pm) != site)) continue;
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
  const ve_t* v                = &ves->ve[id];
  const cluster_t* cl          = ves->cl;
  size_t hosted = 0;
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
  core_constraint_t cs[LUCSIM_MAX_VE_CONSTRAINTS + 1];
  int32_t* cvms      = malloc((v->vm_count * LUCSIM_MAX_VE_CONSTRAINTS + 1) * sizeof *cvms);
  int32_t* cnodes    = malloc(((n + 1) * (LUCSIM_MAX_VE_CONSTRAINTS + 1)) * sizeof *cnodes);
  size_t* ends       = malloc((sites + 1) * sizeof *ends);
  xbt_assert(nodes && vms && cvms && cnodes && ends, "out of memory (VE admission)");
  size_t k = 0;
  double need_cpu = 0;
  uint64_t need_ram = 0;
  for (size_t i = 0; i < n; i++) {
    const cluster_pm_t* p = cluster_pm(cl, ves->cand[i]);
    nodes[i] = (core_node_t){.cpu_capacity       = fmax(0.0, p->cpu_capacity - p->cpu_incoming),
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
    vms[k] = (core_vm_t){cv->cpu_demand, cv->ram_bytes, (int32_t)n, true, (int64_t)(v->first_vm + m)};
    need_cpu += cv->cpu_demand, need_ram += cv->ram_bytes;
  }
  nodes[n] = (core_node_t){need_cpu, need_ram, true, -1}; /* staging: holds the VE, must be emptied */
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
    case VE_CSTR_SPREAD: out->kind = CORE_SPREAD; break;
    case VE_CSTR_GATHER: out->kind = CORE_GATHER; break;
    case VE_CSTR_LONELY: out->kind = CORE_LONELY; break;
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
    out->nodes      = cnodes + first_node;
    out->node_count = node_at - first_node;
    out->group_ends = groups ? ends : NULL;
    out->group_count = groups;
  }
  core_problem_t pb = {.nodes = nodes, .node_count = n + 1, .vms = vms, .vm_count = vm_count, .constraints = cs,
                       .constraint_count = nc};
  core_params_t params;
  core_params_init(&params);
  params.placement = ves->first_fit ? CORE_PLACE_FIRST_FIT : CORE_PLACE_WORST_FIT;
  params.locality  = CORE_LOCALITY_OFF;
  int rc = core_solve(&pb, &params, &ves->result);
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
  free(nodes), free(vms), free(cvms), free(cnodes), free(ends);
  return fits;
}

/* Does one of the VE's latency constraints cover the whole VE? Then it tries one site at a time. */
static bool kept_in_one_site(const ves_t* ves, const ve_t* v)
{
  for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++)
    if (ves->cstr[v->tmpl][i].kind == VE_CSTR_LATENCY && ves->cstr[v->tmpl][i].count == v->vm_count) return true;
  return false;
}

bool ves__try_admit(ves_t* ves, size_t id, double now, double* charged_s)
{
  ve_t* v          = &ves->ve[id];
  size_t want      = 2 * v->vm_count > VES_MIN_CANDIDATES ? 2 * (size_t)v->vm_count : VES_MIN_CANDIDATES;
  size_t pms       = cluster_pm_count(ves->cl);
  want             = want < pms ? want : pms;
  /* the room a candidate needs: for any one VM, or whole gathered group, of the VE (so the heuristic
   * seldom fails on candidates that can each take only its smallest VM) */
  uint64_t unit_ram = 0;
  double unit_cpu   = 0;
  for (uint32_t m = 0; m < v->vm_count; m++) {
    size_t vm = v->first_vm + m;
    double cpu = cluster_vm(ves->cl, vm)->cpu_demand;
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
  v->state = VE_RUNNING; /* its VMs' admissions are not the checks' business until it is whole */
  bool fits = false;
  if (!kept_in_one_site(ves, v)) {
    size_t n = pick_candidates(ves, SIZE_MAX, want, unit_ram, unit_cpu);
    fits     = n > 0 && solve_on_candidates(ves, id, n, now, charged_s);
  } else { /* the sites with most free CPU first */
    size_t sites = plat_site_count(ves->plat);
    double* room = calloc(sites, sizeof *room);
    xbt_assert(room, "out of memory (VE admission)");
    for (size_t pm = 0; pm < pms; pm++)
      if (cluster_pm(ves->cl, pm)->online) room[plat_pm_site(ves->plat, pm)] += fmax(0, free_cpu(cluster_pm(ves->cl, pm)));
    for (size_t tried = 0; tried < VES_SITES_TRIED && tried < sites && !fits; tried++) {
      size_t best = 0;
      for (size_t s = 1; s < sites; s++)
        if (room[s] > room[best]) best = s;
      if (room[best] < 0) break;
      room[best] = -1;
      size_t n   = pick_candidates(ves, best, want, unit_ram, unit_cpu);
      fits       = n > 0 && solve_on_candidates(ves, id, n, now, charged_s);
    }
    free(room);
  }
  v->state = VE_WAITING;
  if (!fits) return false;
  v->state      = VE_RUNNING;
  v->admitted_s = now;
  v->violation_since = now;
  ves->running++;
  ves__evaluate(ves, id, now);
  if (isfinite(v->lifetime_s)) heap_push(ves, now + v->lifetime_s, id);
  XBT_DEBUG("VE %zu admitted at %.3f", id, now);
  return true;
}

/* ---- arrivals, the queue, departures ---- */

/* Tries the waiting VEs in queue order: fifo stops at the first that does not fit; backfill and
 * priority admit every one that fits, trying at most max_tries. fresh_only: only those not
 * tried since they arrived (nothing left since the last pass: the others still do not fit, but for
 * load changes, which the periodic pass covers). Returns the seconds charged. */
static double try_queue(ves_t* ves, double now, bool fresh_only, size_t max_tries)
{
  double charged = 0;
  size_t kept = 0, tries = 0;
  bool blocked = false;
  for (size_t i = 0; i < ves->queue_len; i++) {
    size_t id = ves->queue[i];
    ve_t* v   = &ves->ve[id];
    bool skip = blocked || tries == max_tries || (fresh_only && v->tried);
    if (!skip) {
      tries++;
      v->tried = true;
      if (ves__try_admit(ves, id, now, &charged)) {
        ves->waiting--;
        continue;
      }
    }
    /* fifo: the head waits, and every VE behind it */
    blocked = blocked || (ves->cfg->ves.queue == VE_QUEUE_FIFO && (!skip || v->tried));
    ves->queue[kept++] = id;
  }
  ves->queue_len = kept;
  return charged;
}

/* Queue order: arrival (fifo, backfill), or template priority first (priority). */
static void enqueue(ves_t* ves, size_t id)
{
  ves->ve[id].state = VE_WAITING;
  ves->waiting++;
  size_t at = ves->queue_len++;
  if (ves->cfg->ves.queue == VE_QUEUE_PRIORITY) {
    int prio = ves->cfg->ves.templates[ves->ve[id].tmpl].priority;
    while (at > 0 && ves->cfg->ves.templates[ves->ve[ves->queue[at - 1]].tmpl].priority < prio) {
      ves->queue[at] = ves->queue[at - 1];
      at--;
    }
  }
  ves->queue[at] = id;
}

/* Removes a running VE; false (nothing done) while one of its VMs is migrating or restarting. */
static bool depart(ves_t* ves, size_t id, double now)
{
  ve_t* v = &ves->ve[id];
  for (uint32_t m = 0; m < v->vm_count; m++) {
    const cluster_vm_t* cv = cluster_vm(ves->cl, v->first_vm + m);
    if (cv->migrating_to != CLUSTER_NONE || cv->restart_to != CLUSTER_NONE) return false;
  }
  for (uint32_t m = 0; m < v->vm_count; m++)
    cluster_vm_depart(ves->cl, v->first_vm + m, now);
  v->state      = VE_DEPARTED;
  v->departed_s = now;
  ves->running--;
  ves__evaluate(ves, id, now);
  return true;
}

static void manager_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  ves_t* ves        = sg_actor_self_get_data();
  double last_retry = 0;
  bool freed        = false; /* a VE left since the last full pass */
  for (;;) {
    double next = ves->next_arrival < ves->count ? ves->ve[ves->next_arrival].arrival_s : INFINITY;
    if (ves->heap_len && ves->heap[0].at_s < next) next = ves->heap[0].at_s;
    if (ves->queue_len && last_retry + VES_RETRY_S < next) next = last_retry + VES_RETRY_S;
    if (!(next < ves->end_s)) return;
    if (next > simgrid_get_clock()) sg_actor_sleep_for(next - simgrid_get_clock());
    double now = simgrid_get_clock();
    while (ves->heap_len && ves->heap[0].at_s <= now) {
      ves_departure_t d = heap_pop(ves);
      if (depart(ves, d.ve, now))
        freed = true;
      else
        heap_push(ves, now + VES_DEPART_RETRY_S, d.ve);
    }
    while (ves->next_arrival < ves->count && ves->ve[ves->next_arrival].arrival_s <= now)
      enqueue(ves, ves->next_arrival++);
    bool full = freed || now >= last_retry + VES_RETRY_S;
    if (full) last_retry = now, freed = false;
    double charged = try_queue(ves, now, !full, VES_TRIES_PER_PASS);
    if (charged > 0) sg_actor_sleep_for(charged); /* the manager computed meanwhile */
  }
}

int ves_attach(ves_t* ves, cluster_t* cl, const config_t* cfg, double initial_load, bool first_fit, lucsim_err_t* err)
{
  ves->cl        = cl;
  ves->first_fit = first_fit;
  if (ves->count == 0) return 0;
  size_t pms      = cluster_pm_count(cl), biggest = 0;
  for (size_t i = 0; i < ves->count; i++)
    biggest = ves->ve[i].vm_count > biggest ? ves->ve[i].vm_count : biggest;
  size_t want     = 2 * biggest > VES_MIN_CANDIDATES ? 2 * biggest : VES_MIN_CANDIDATES;
  ves->queue      = malloc(ves->count * sizeof *ves->queue);
  ves->heap       = malloc(ves->count * sizeof *ves->heap);
  ves->cand       = malloc((want < pms ? want : pms) * sizeof *ves->cand + 1);
  ves->cand_free  = malloc((want < pms ? want : pms) * sizeof *ves->cand_free + 1);
  ves->pm_scratch = malloc((biggest ? biggest : 1) * sizeof *ves->pm_scratch);
  if (!ves->queue || !ves->heap || !ves->cand || !ves->cand_free || !ves->pm_scratch)
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VEs)");
  for (size_t i = 0; i < ves->count; i++) {
    const ve_t* v          = &ves->ve[i];
    const ve_template_t* t = &cfg->ves.templates[v->tmpl];
    size_t vm              = v->first_vm;
    for (size_t r = 0; r < t->tier_count; r++) {
      const vm_class_t* c = &cfg->vms.classes[t->tiers[r].class_index];
      for (int k = 0; k < t->tiers[r].count; k++)
        cluster_vm_set_class(cl, vm++, (uint16_t)t->tiers[r].class_index, (uint16_t)c->vcpus, c->ram_bytes,
                             initial_load);
    }
  }
  while (ves->next_arrival < ves->initial_count) /* there before the run: nothing is charged */
    enqueue(ves, ves->next_arrival++);
  try_queue(ves, 0, false, SIZE_MAX);
  cluster_add_listener(cl, ves__on_cluster, ves);
  return 0;
}

void ves_start(ves_t* ves, sg_host_t host, double end_s)
{
  ves->end_s = end_s;
  if (ves->count == 0) return;
  sg_actor_t ac = sg_actor_init("ve-manager", host);
  sg_actor_set_data(ac, ves);
  sg_actor_start(ac, manager_main, 0, NULL);
}
