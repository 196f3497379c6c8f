/* The constraints of the virtual environments in a built problem (scheduler.h, "Virtual
 * environments"): each running VE with a VM in the problem gives the core its constraints,
 * restricted to the members in the problem. A member outside (on a PM of another partition, lost,
 * restarting) stays where it is, so the members inside must fit with it: a gather cut by the
 * partition pins them, a latency constraint fences them to the site of the members outside.
 * A latency group that holds is fenced to its site, since it may not cross sites at any instant.
 * Built on the public API only, like the rest of the builder (solving.c). */
#include "problem_ves.h"

#include "problem_cstrs.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

struct sched_ve_cstrs {
  /* the problem's VMs of VEs, sorted by VM index (a VE's VMs are consecutive): O(problem) memory,
   * not O(VMs of the run), since every scheduler actor (Snooze's 300 GMs) has its own builder */
  struct member {
    size_t vm;
    int32_t pos; /* its index in the problem */
  } * members;
  size_t member_count, members_cap;
  sched_cstr_list_t list;
  /* per build: the problem's non-viable nodes, and its nodes by platform site */
  uint8_t* bad;
  size_t* site_start; /* site s's nodes: site_nodes[site_start[s] .. site_start[s + 1]) */
  int32_t* site_nodes;
  size_t bad_cap, site_cap, site_nodes_cap;
};

sched_ve_cstrs_t* sched__ve_cstrs_create(void)
{
  return calloc(1, sizeof(sched_ve_cstrs_t));
}

void sched__ve_cstrs_destroy(sched_ve_cstrs_t* b)
{
  if (!b) return;
  free(b->members);
  sched__cstrs_free(&b->list);
  free(b->bad), free(b->site_start), free(b->site_nodes);
  free(b);
}

static int by_vm(const void* a, const void* b)
{
  size_t x = ((const struct member*)a)->vm, y = ((const struct member*)b)->vm;
  return (x > y) - (x < y);
}

/* The index in the problem of VM vm, or -1 when it is not in the problem. */
static int32_t at(const sched_ve_cstrs_t* b, size_t vm)
{
  size_t lo = 0, hi = b->member_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->members[mid].vm < vm)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < b->member_count && b->members[lo].vm == vm ? b->members[lo].pos : -1;
}

typedef struct build {
  sched_ve_cstrs_t* b;
  sched_cstr_list_t* l; /* b's */
} build_t;

/* The members of group g in the problem, into a new constraint of kind k. */
static void add_members(build_t* w, const sched_ve_constraint_t* g)
{
  for (size_t m = g->first_vm; m < g->first_vm + g->vm_count; m++)
    if (at(w->b, m) >= 0) sched__cstrs_add_vm(w->l, at(w->b, m));
}

/* The site of the first member of g outside the problem that runs or is on its way somewhere, or
 * SIZE_MAX when every member is in the problem (or nowhere). */
static size_t outside_site(const sched_ctx_t* ctx, const sched_ve_constraint_t* g, const sched_ve_cstrs_t* b)
{
  for (size_t m = g->first_vm; m < g->first_vm + g->vm_count; m++) {
    if (at(b, m) >= 0) continue;
    sched_vm_info_t v;
    sched_vm_info(ctx, m, &v);
    int32_t pm = v.migrating_to != SCHED_NONE ? v.migrating_to : v.pm;
    if (pm == SCHED_NONE) pm = sched_vm_restarting_on(ctx, m);
    if (pm != SCHED_NONE) return sched_pm_site(ctx, (size_t)pm);
  }
  return SIZE_MAX;
}

/* The site every member of g in the problem runs in, or SIZE_MAX when they span sites. */
static size_t common_site(const sched_ctx_t* ctx, const core_problem_t* pb, const sched_ve_cstrs_t* b,
                          const sched_ve_constraint_t* g)
{
  size_t site = SIZE_MAX;
  for (size_t m = g->first_vm; m < g->first_vm + g->vm_count; m++) {
    if (at(b, m) < 0) continue;
    size_t s = sched_pm_site(ctx, (size_t)pb->nodes[pb->vms[at(b, m)].node].id);
    if (site != SIZE_MAX && s != site) return SIZE_MAX;
    site = s;
  }
  return site;
}

/* Adds the problem's nodes of platform site `site` to the open constraint. */
static void add_site_nodes(build_t* w, size_t site)
{
  for (size_t i = w->b->site_start[site]; i < w->b->site_start[site + 1]; i++)
    sched__cstrs_add_node(w->l, w->b->site_nodes[i]);
}

/* A fence of the members of g in the problem to its nodes in site `site`; none there: they stay. */
static void fence_to_site(build_t* w, const sched_ve_constraint_t* g, size_t site)
{
  core_constraint_t* c = sched__cstrs_open(w->l, CORE_FENCE);
  add_site_nodes(w, site);
  if (c->node_count == 0) c->kind = CORE_ROOT;
  add_members(w, g);
}

/* Whether the core must know group g: a member in the problem sits on a non-viable node (in the
 * core's repair mode, the default, only those VMs and the members of broken groups may move), or
 * the group is broken, or it is lonely (another VM moving in breaks it). Leaving the others out
 * keeps a problem of 10K PMs and 20K VEs small; a plan never breaks them since their VMs stay. */
static bool group_matters(const build_t* w, const sched_ctx_t* ctx, const core_problem_t* pb,
                          const sched_ve_constraint_t* g)
{
  if (g->kind == SCHED_VE_LONELY) return true;
  const sched_ve_cstrs_t* b = w->b;
  int32_t first_node        = -1;
  size_t first_site         = SIZE_MAX;
  for (size_t m = g->first_vm; m < g->first_vm + g->vm_count; m++) {
    if (at(b, m) < 0) continue;
    int32_t n   = pb->vms[at(b, m)].node;
    size_t site = sched_pm_site(ctx, (size_t)pb->nodes[n].id);
    if (b->bad[n]) return true;
    if ((g->kind == SCHED_VE_FENCE || g->kind == SCHED_VE_BAN) && g->site_in[site] != (g->kind == SCHED_VE_FENCE))
      return true;
    if (g->kind == SCHED_VE_GATHER && first_node >= 0 && n != first_node) return true;
    if (g->kind == SCHED_VE_LATENCY && first_site != SIZE_MAX && site != first_site) return true;
    if (g->kind == SCHED_VE_SPREAD)
      for (size_t o = g->first_vm; o < m; o++)
        if (at(b, o) >= 0 && pb->vms[at(b, o)].node == n) return true;
    if (first_node < 0) first_node = n, first_site = site;
  }
  return false;
}

/* Whether member m of g (in the problem) never moves: not movable here, or in a root group of its VE. */
static bool member_pinned(const sched_ctx_t* ctx, const core_problem_t* pb, const sched_ve_cstrs_t* b,
                          const sched_ve_constraint_t* g, size_t m)
{
  if (!pb->vms[at(b, m)].movable) return true;
  size_t ve = sched_vm_ve(ctx, g->first_vm);
  for (size_t i = 0; i < sched_ve_constraint_count(ctx, ve); i++) {
    sched_ve_constraint_t r;
    sched_ve_constraint(ctx, ve, i, &r);
    if (r.kind == SCHED_VE_ROOT && m >= r.first_vm && m < r.first_vm + r.vm_count) return true;
  }
  return false;
}

/* A latency group spanning sites whose members that never move are in two sites or more cannot be
 * repaired: instead of an unsatisfiable AMONG (which would fail the whole problem), its members are
 * fenced to the sites it spans, so it spreads no further. Returns false when it can be repaired. */
static bool fence_unrepairable_latency(build_t* w, const sched_ctx_t* ctx, const core_problem_t* pb,
                                       const sched_ve_constraint_t* g)
{
  size_t pinned_site = SIZE_MAX;
  bool split         = false;
  for (size_t m = g->first_vm; m < g->first_vm + g->vm_count && !split; m++) {
    if (at(w->b, m) < 0 || !member_pinned(ctx, pb, w->b, g, m)) continue;
    size_t s    = sched_pm_site(ctx, (size_t)pb->nodes[pb->vms[at(w->b, m)].node].id);
    split       = pinned_site != SIZE_MAX && s != pinned_site;
    pinned_site = s;
  }
  if (!split) return false;
  sched__cstrs_open(w->l, CORE_FENCE);
  for (size_t site = 0; site < sched_site_count(ctx); site++)
    for (size_t m = g->first_vm; m < g->first_vm + g->vm_count; m++)
      if (at(w->b, m) >= 0 && sched_pm_site(ctx, (size_t)pb->nodes[pb->vms[at(w->b, m)].node].id) == site) {
        add_site_nodes(w, site);
        break;
      }
  add_members(w, g);
  return true;
}

static void add_group(build_t* w, const sched_ctx_t* ctx, const core_problem_t* pb, const sched_ve_constraint_t* g)
{
  size_t inside = 0, outside;
  for (size_t m = g->first_vm; m < g->first_vm + g->vm_count; m++)
    inside += at(w->b, m) >= 0;
  if (inside == 0 || !group_matters(w, ctx, pb, g)) return;
  switch (g->kind) {
  case SCHED_VE_SPREAD:
  case SCHED_VE_LONELY:
  case SCHED_VE_ROOT:
    sched__cstrs_open(w->l, g->kind == SCHED_VE_SPREAD   ? CORE_SPREAD
                            : g->kind == SCHED_VE_LONELY ? CORE_LONELY
                                                         : CORE_ROOT);
    add_members(w, g);
    return;
  case SCHED_VE_GATHER:
    sched__cstrs_open(w->l, inside == g->vm_count ? CORE_GATHER : CORE_ROOT); /* cut: the members inside stay */
    add_members(w, g);
    return;
  case SCHED_VE_LATENCY:
    outside = outside_site(ctx, g, w->b);
    if (outside == SIZE_MAX) outside = common_site(ctx, pb, w->b, g);
    if (outside != SIZE_MAX) {
      fence_to_site(w, g, outside);
      return;
    }
    if (fence_unrepairable_latency(w, ctx, pb, g)) return;
    sched__cstrs_open(w->l, CORE_AMONG); /* it spans sites: back into one, any, one group per site */
    for (size_t site = 0; site < sched_site_count(ctx); site++) {
      size_t before = sched__cstrs_last(w->l)->node_count;
      add_site_nodes(w, site);
      if (sched__cstrs_last(w->l)->node_count > before) sched__cstrs_end_group(w->l);
    }
    add_members(w, g);
    return;
  default: { /* FENCE, BAN */
    core_constraint_t* c = sched__cstrs_open(w->l, g->kind == SCHED_VE_FENCE ? CORE_FENCE : CORE_BAN);
    for (size_t site = 0; site < sched_site_count(ctx); site++)
      if (g->site_in[site]) add_site_nodes(w, site);
    if (c->node_count == 0 && c->kind == CORE_FENCE) c->kind = CORE_ROOT; /* nowhere to go here: they stay */
    if (c->node_count == 0 && c->kind == CORE_BAN) {
      sched__cstrs_drop_last(w->l); /* nothing banned in this problem */
      return;
    }
    add_members(w, g);
  }
  }
}

size_t sched__ve_cstrs_build(const sched_ctx_t* ctx, sched_ve_cstrs_t* b, const core_problem_t* pb,
                             const core_constraint_t** out)
{
  *out       = NULL;
  size_t ves = sched_ve_count(ctx);
  if (ves == 0) return 0;
  b->members      = sched__grow(b->members, &b->members_cap, pb->vm_count, sizeof *b->members);
  b->member_count = 0;
  for (size_t i = 0; i < pb->vm_count; i++) {
    size_t vm = (size_t)pb->vms[i].id, ve = sched_vm_ve(ctx, vm);
    if (ve != SCHED_NO_VE && sched_ve_is_running(ctx, ve))
      b->members[b->member_count++] = (struct member){vm, (int32_t)i};
  }
  qsort(b->members, b->member_count, sizeof *b->members, by_vm);
  if (b->member_count == 0) return 0;
  /* the non-viable nodes, and the nodes of each site, in problem order */
  size_t sites   = sched_site_count(ctx);
  b->bad         = sched__grow(b->bad, &b->bad_cap, pb->node_count, sizeof *b->bad);
  b->site_start  = sched__grow(b->site_start, &b->site_cap, sites + 2, sizeof *b->site_start);
  b->site_nodes  = sched__grow(b->site_nodes, &b->site_nodes_cap, pb->node_count, sizeof *b->site_nodes);
  double* demand = calloc(pb->node_count + 1, sizeof *demand);
  uint64_t* ram  = calloc(pb->node_count + 1, sizeof *ram);
  xbt_assert(demand && ram, "out of memory (VE constraints)");
  for (size_t i = 0; i < pb->vm_count; i++)
    demand[pb->vms[i].node] += pb->vms[i].cpu_demand, ram[pb->vms[i].node] += pb->vms[i].ram_bytes;
  memset(b->site_start, 0, (sites + 2) * sizeof *b->site_start);
  for (size_t n = 0; n < pb->node_count; n++) {
    const core_node_t* node = &pb->nodes[n];
    b->bad[n] = node->online && (demand[n] > node->cpu_capacity + 1e-9 || ram[n] > node->ram_capacity_bytes);
    b->site_start[sched_pm_site(ctx, (size_t)node->id) + 2]++;
  }
  free(demand), free(ram);
  for (size_t s = 2; s < sites + 2; s++)
    b->site_start[s] += b->site_start[s - 1];
  for (size_t n = 0; n < pb->node_count; n++)
    b->site_nodes[b->site_start[sched_pm_site(ctx, (size_t)pb->nodes[n].id) + 1]++] = (int32_t)n;
  sched__cstrs_reset(&b->list);
  build_t w = {.b = b, .l = &b->list};
  for (size_t k = 0; k < b->member_count; k++) { /* each VE once, in VM order */
    size_t ve = sched_vm_ve(ctx, b->members[k].vm);
    if (k > 0 && sched_vm_ve(ctx, b->members[k - 1].vm) == ve) continue;
    for (size_t i = 0; i < sched_ve_constraint_count(ctx, ve); i++) {
      sched_ve_constraint_t g;
      sched_ve_constraint(ctx, ve, i, &g);
      add_group(&w, ctx, pb, &g);
    }
  }
  return sched__cstrs_finish(&b->list, out);
}
