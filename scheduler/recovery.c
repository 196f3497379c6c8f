/* The default recovery policy, sched_restart_default (scheduler.h): where lost VMs restart when a
 * scheduler has no on_vms_lost of its own. Locality first (the VM's former site, then the nearest
 * sites), then room: a PM where the VM fits whole, the one with the most free CPU, so restarted VMs
 * spread instead of piling on one PM. Only the public API: a scheduler may call it as it is. */
#include "scheduler.h"

#include <stdlib.h>
#include <xbt/asserts.h>

typedef struct recovery {
  sched_ctx_t* ctx;
  size_t sites;
  double* free_cpu;   /* per PM: capacity - demand - arrivals; valid once its site is loaded */
  double* free_ram;   /* per PM, bytes; -1 for an offline PM */
  size_t* site_first; /* site s's PMs: site_pms[site_first[s] .. site_first[s + 1]) */
  size_t* site_pms;
  bool* site_loaded; /* its PMs' free room was read */
  size_t* order;     /* sites, nearest first, from order_from */
  double* latency;   /* per site, from order_from */
  size_t order_from; /* the former PM the order was computed for (SIZE_MAX: none yet) */
} recovery_t;

static void load_site(recovery_t* rc, size_t site)
{
  if (rc->site_loaded[site]) return;
  rc->site_loaded[site] = true;
  for (size_t i = rc->site_first[site]; i < rc->site_first[site + 1]; i++) {
    size_t pm = rc->site_pms[i];
    sched_pm_info_t p;
    sched_pm_info(rc->ctx, pm, &p);
    rc->free_cpu[pm] = p.cpu_capacity - p.cpu_demand - p.cpu_incoming;
    rc->free_ram[pm] =
        p.online ? (double)p.ram_capacity_bytes - (double)p.ram_used_bytes - (double)p.ram_incoming_bytes : -1.0;
  }
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

/* The destination of one VM, or SCHED_NONE. */
static int32_t choose(recovery_t* rc, double cpu, double ram)
{
  int32_t fallback = SCHED_NONE; /* most free CPU, RAM only, in the nearest site with RAM room */
  for (size_t k = 0; k < rc->sites; k++) {
    size_t site = rc->order[k];
    load_site(rc, site);
    int32_t best = SCHED_NONE, roomiest = SCHED_NONE;
    for (size_t i = rc->site_first[site]; i < rc->site_first[site + 1]; i++) {
      size_t pm = rc->site_pms[i];
      if (rc->free_ram[pm] < ram) continue;
      if (roomiest == SCHED_NONE || rc->free_cpu[pm] > rc->free_cpu[roomiest]) roomiest = (int32_t)pm;
      if (rc->free_cpu[pm] >= cpu && (best == SCHED_NONE || rc->free_cpu[pm] > rc->free_cpu[best])) best = (int32_t)pm;
    }
    if (best != SCHED_NONE) return best;
    if (fallback == SCHED_NONE) fallback = roomiest;
  }
  return fallback;
}

size_t sched_restart_default(sched_ctx_t* ctx, const size_t* vms, size_t count)
{
  size_t pms = sched_pm_count(ctx), sites = sched_site_count(ctx);
  recovery_t rc  = {.ctx = ctx, .sites = sites, .order_from = SIZE_MAX};
  rc.free_cpu    = malloc((pms ? pms : 1) * sizeof *rc.free_cpu);
  rc.free_ram    = malloc((pms ? pms : 1) * sizeof *rc.free_ram);
  rc.site_first  = calloc(sites + 1, sizeof *rc.site_first);
  rc.site_pms    = malloc((pms ? pms : 1) * sizeof *rc.site_pms);
  rc.site_loaded = calloc(sites ? sites : 1, sizeof *rc.site_loaded);
  rc.order       = malloc((sites ? sites : 1) * sizeof *rc.order);
  rc.latency     = malloc((sites ? sites : 1) * sizeof *rc.latency);
  xbt_assert(rc.free_cpu && rc.free_ram && rc.site_first && rc.site_pms && rc.site_loaded && rc.order && rc.latency,
             "out of memory (recovery)");
  for (size_t s = 0; s < sites; s++)
    rc.site_first[s + 1] =
        rc.site_first[s] + sched_site_pms(ctx, s, rc.site_pms + rc.site_first[s], pms - rc.site_first[s]);

  size_t started = 0;
  for (size_t i = 0; i < count; i++) {
    size_t vm = vms[i];
    sched_vm_info_t v;
    sched_vm_info(ctx, vm, &v);
    int32_t former = sched_vm_former_pm(ctx, vm);
    if (v.pm != SCHED_NONE || sched_vm_restarting_on(ctx, vm) != SCHED_NONE || former == SCHED_NONE) continue;
    if ((size_t)former != rc.order_from) order_sites(&rc, (size_t)former);
    int32_t dst = choose(&rc, v.cpu_demand, (double)v.ram_bytes);
    if (dst == SCHED_NONE || sched_restart(ctx, vm, (size_t)dst) != 0) continue;
    rc.free_cpu[dst] -= v.cpu_demand;
    rc.free_ram[dst] -= (double)v.ram_bytes;
    started++;
  }
  free(rc.free_cpu), free(rc.free_ram), free(rc.site_first), free(rc.site_pms), free(rc.site_loaded);
  free(rc.order), free(rc.latency);
  return started;
}
