/* The default recovery policy, sched_restart_default (scheduler.h): where lost VMs restart when a
 * scheduler has no on_vms_lost of its own. Locality first (the VM's former site, then the nearest
 * sites), then room: a PM where the VM fits whole, the one with the most free CPU, so restarted VMs
 * spread instead of piling on one PM; a VM of a virtual environment where its VE's constraints allow
 * it, when some PM does. Only the public API: a scheduler may call it as it is.
 * Each site's free room is read once per call into a max-tree, so choosing a PM for one VM takes
 * O(log #PMs of the site) rather than a scan of the site. */
#include "scheduler.h"

#include <math.h>
#include <stdlib.h>
#include <xbt/asserts.h>

/* One site's PMs (positions 0..n-1, in PM order) as a binary max-tree of free CPU and free RAM:
 * leaves at size + i, each inner node the max of its children (CPU and RAM apart). */
typedef struct site_tree {
  size_t n, size;
  double* cpu;
  double* ram;
} site_tree_t;

typedef struct recovery {
  sched_ctx_t* ctx;
  size_t sites;
  size_t* site_first; /* site s's PMs: site_pms[site_first[s] .. site_first[s + 1]) */
  size_t* site_pms;
  size_t* pos;       /* per PM: its position among its site's PMs */
  bool* site_loaded; /* its PMs' free room was read */
  site_tree_t* tree; /* per site, built when loaded */
  size_t* order;     /* sites, nearest first, from order_from */
  double* latency;   /* per site, from order_from */
  size_t order_from; /* the former PM the order was computed for (SIZE_MAX: none yet) */
} recovery_t;

static double max2(double a, double b)
{
  return a > b ? a : b;
}

static void tree_pull(site_tree_t* t, size_t k)
{
  t->cpu[k] = max2(t->cpu[2 * k], t->cpu[2 * k + 1]);
  t->ram[k] = max2(t->ram[2 * k], t->ram[2 * k + 1]);
}

/* Position i's room; an offline PM (free RAM -1) can take nothing: its CPU is left out of the maxima,
 * which would otherwise lead every search into it. */
static void tree_leaf(site_tree_t* t, size_t i, double cpu, double ram)
{
  t->cpu[t->size + i] = ram < 0 ? -INFINITY : cpu;
  t->ram[t->size + i] = ram;
}

static void tree_set(site_tree_t* t, size_t i, double cpu, double ram)
{
  tree_leaf(t, i, cpu, ram);
  for (size_t k = (t->size + i) / 2; k >= 1; k /= 2)
    tree_pull(t, k);
}

/* The position with the most free CPU among those with at least `ram` free RAM, the first on ties
 * (as a scan in PM order keeping strict improvements would find); SIZE_MAX when none. Visits the
 * child with more CPU first and prunes what cannot beat the best so far. */
static void tree_best(const site_tree_t* t, size_t k, size_t lo, size_t width, double ram, size_t* best,
                      double* best_cpu)
{
  if (lo >= t->n || t->ram[k] < ram) return;
  if (*best != SIZE_MAX && (t->cpu[k] < *best_cpu || (t->cpu[k] == *best_cpu && lo > *best))) return;
  if (k >= t->size) {
    *best = lo, *best_cpu = t->cpu[k];
    return;
  }
  size_t half = width / 2;
  if (t->cpu[2 * k + 1] > t->cpu[2 * k]) {
    tree_best(t, 2 * k + 1, lo + half, half, ram, best, best_cpu);
    tree_best(t, 2 * k, lo, half, ram, best, best_cpu);
  } else {
    tree_best(t, 2 * k, lo, half, ram, best, best_cpu);
    tree_best(t, 2 * k + 1, lo + half, half, ram, best, best_cpu);
  }
}

static void load_site(recovery_t* rc, size_t site)
{
  if (rc->site_loaded[site]) return;
  rc->site_loaded[site] = true;
  site_tree_t* t        = &rc->tree[site];
  t->n                  = rc->site_first[site + 1] - rc->site_first[site];
  t->size               = 1;
  while (t->size < t->n)
    t->size *= 2;
  t->cpu = malloc(2 * t->size * sizeof *t->cpu);
  t->ram = malloc(2 * t->size * sizeof *t->ram);
  xbt_assert(t->cpu && t->ram, "out of memory (recovery)");
  for (size_t k = 0; k < 2 * t->size; k++)
    t->cpu[k] = t->ram[k] = -INFINITY;
  for (size_t i = 0; i < t->n; i++) {
    size_t pm = rc->site_pms[rc->site_first[site] + i];
    sched_pm_info_t p;
    sched_pm_info(rc->ctx, pm, &p);
    double ram_free =
        p.online ? (double)p.ram_capacity_bytes - (double)p.ram_used_bytes - (double)p.ram_incoming_bytes : -1.0;
    tree_leaf(t, i, p.cpu_capacity - p.cpu_demand - p.cpu_incoming, ram_free);
  }
  for (size_t k = t->size - 1; k >= 1; k--)
    tree_pull(t, k);
}

/* Sites by route latency from the former PM (its own site first; ties by index). Insertion sort:
 * sites are few. */
static void order_sites(recovery_t* rc, size_t former)
{
  size_t own = sched_pm_site(rc->ctx, former);
  for (size_t s = 0; s < rc->sites; s++) {
    rc->order[s]   = s;
    bool empty     = rc->site_first[s] == rc->site_first[s + 1];
    rc->latency[s] = s == own || empty ? 0.0 : sched_route_latency(rc->ctx, former, rc->site_pms[rc->site_first[s]]);
  }
  for (size_t i = 1; i < rc->sites; i++) {
    size_t s = rc->order[i], j = i;
    while (j > 0) {
      size_t t = rc->order[j - 1];
      bool before =
          s == own || (t != own && (rc->latency[s] < rc->latency[t] || (rc->latency[s] == rc->latency[t] && s < t)));
      if (!before) break;
      rc->order[j] = t;
      j--;
    }
    rc->order[j] = s;
  }
  rc->order_from = former;
}

/* The destination of one VM, or SCHED_NONE: in the nearest site with a PM where it fits whole (CPU
 * and RAM), the one with the most free CPU; else the PM with the most free CPU of the nearest site
 * with RAM for it. The PM with the most free CPU among those with RAM fits whole if any does. */
static int32_t choose(recovery_t* rc, double cpu, double ram)
{
  int32_t fallback = SCHED_NONE;
  for (size_t k = 0; k < rc->sites; k++) {
    size_t site = rc->order[k];
    if (!sched_nodes_reach(rc->ctx, rc->order_from, rc->site_pms[rc->site_first[site]]))
      continue; /* beyond a split: the VM's disk, at its former site, cannot reach it */
    load_site(rc, site);
    size_t best          = SIZE_MAX;
    double best_cpu      = -INFINITY;
    const site_tree_t* t = &rc->tree[site];
    tree_best(t, 1, 0, t->size, ram, &best, &best_cpu);
    if (best == SIZE_MAX) continue;
    int32_t pm = (int32_t)rc->site_pms[rc->site_first[site] + best];
    if (best_cpu >= cpu) return pm; /* best_cpu: the PM's free CPU (its tree leaf) */
    if (fallback == SCHED_NONE) fallback = pm;
  }
  return fallback;
}

/* As choose, among the PMs where the constraints of the VM's VE let it go (sched_vm_may_go: not
 * beside a member of its spread group, in its group's site...), by a scan of each site's room;
 * SCHED_NONE when no PM with RAM for it does. */
static int32_t choose_within_constraints(recovery_t* rc, size_t vm, double cpu, double ram)
{
  int32_t fallback = SCHED_NONE;
  for (size_t k = 0; k < rc->sites; k++) {
    size_t site = rc->order[k];
    if (!sched_nodes_reach(rc->ctx, rc->order_from, rc->site_pms[rc->site_first[site]])) continue;
    load_site(rc, site);
    const site_tree_t* t = &rc->tree[site];
    int32_t best         = SCHED_NONE;
    double best_cpu      = -INFINITY;
    for (size_t i = 0; i < t->n; i++) {
      size_t pm = rc->site_pms[rc->site_first[site] + i];
      if (t->ram[t->size + i] < ram || t->cpu[t->size + i] <= best_cpu || !sched_vm_may_go(rc->ctx, vm, pm)) continue;
      best = (int32_t)pm, best_cpu = t->cpu[t->size + i];
    }
    if (best == SCHED_NONE) continue;
    if (best_cpu >= cpu) return best;
    if (fallback == SCHED_NONE) fallback = best;
  }
  return fallback;
}

/* dst took a VM: its free room, in its site's tree, shrinks. */
static void take(recovery_t* rc, size_t dst, double cpu, double ram)
{
  site_tree_t* t = &rc->tree[sched_pm_site(rc->ctx, dst)];
  size_t leaf    = t->size + rc->pos[dst];
  tree_set(t, rc->pos[dst], t->cpu[leaf] - cpu, t->ram[leaf] - ram);
}

size_t sched_restart_default(sched_ctx_t* ctx, const size_t* vms, size_t count)
{
  size_t pms = sched_pm_count(ctx), sites = sched_site_count(ctx);
  recovery_t rc  = {.ctx = ctx, .sites = sites, .order_from = SIZE_MAX};
  rc.site_first  = calloc(sites + 1, sizeof *rc.site_first);
  rc.site_pms    = malloc((pms ? pms : 1) * sizeof *rc.site_pms);
  rc.pos         = malloc((pms ? pms : 1) * sizeof *rc.pos);
  rc.site_loaded = calloc(sites ? sites : 1, sizeof *rc.site_loaded);
  rc.tree        = calloc(sites ? sites : 1, sizeof *rc.tree);
  rc.order       = malloc((sites ? sites : 1) * sizeof *rc.order);
  rc.latency     = malloc((sites ? sites : 1) * sizeof *rc.latency);
  xbt_assert(rc.site_first && rc.site_pms && rc.pos && rc.site_loaded && rc.tree && rc.order && rc.latency,
             "out of memory (recovery)");
  for (size_t s = 0; s < sites; s++)
    rc.site_first[s + 1] =
        rc.site_first[s] + sched_site_pms(ctx, s, rc.site_pms + rc.site_first[s], pms - rc.site_first[s]);
  for (size_t s = 0; s < sites; s++)
    for (size_t i = rc.site_first[s]; i < rc.site_first[s + 1]; i++)
      rc.pos[rc.site_pms[i]] = i - rc.site_first[s];

  size_t started = 0;
  for (size_t i = 0; i < count; i++) {
    size_t vm = vms[i];
    sched_vm_info_t v;
    sched_vm_info(ctx, vm, &v);
    int32_t former = sched_vm_former_pm(ctx, vm);
    if (v.pm != SCHED_NONE || sched_vm_restarting_on(ctx, vm) != SCHED_NONE || former == SCHED_NONE) continue;
    if ((size_t)former != rc.order_from) order_sites(&rc, (size_t)former);
    /* a VM keeps its VE's and the infrastructure's constraints when a PM allows it; else it runs where it fits
     * (availability first) */
    int32_t dst = sched_vm_ve(ctx, vm) == SCHED_NO_VE && sched_infra_count(ctx) == 0
                      ? SCHED_NONE
                      : choose_within_constraints(&rc, vm, v.cpu_demand, (double)v.ram_bytes);
    if (dst == SCHED_NONE) dst = choose(&rc, v.cpu_demand, (double)v.ram_bytes);
    if (dst == SCHED_NONE || sched_restart(ctx, vm, (size_t)dst) != 0) continue;
    take(&rc, (size_t)dst, v.cpu_demand, (double)v.ram_bytes);
    started++;
  }
  free(rc.site_first), free(rc.site_pms), free(rc.pos), free(rc.site_loaded);
  for (size_t s = 0; s < sites; s++)
    free(rc.tree[s].cpu), free(rc.tree[s].ram);
  free(rc.tree), free(rc.order), free(rc.latency);
  return started;
}
