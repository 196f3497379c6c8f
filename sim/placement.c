/* The VMs' initial placement (vms.placement): which PM hosts each VM at t = 0, and its class.
 * Built on the cluster's public interface (cluster.h). */
#include "cluster.h"

#include <math.h>
#include <stdio.h>

/* Deals the VMs' classes by weight with a deterministic largest-deficit rule, so the mix is as
 * close to the weights as integer counts allow, whatever the VM count. */
typedef struct class_dealer {
  const vms_params_t* vp;
  double weight_sum;
  double dealt[LUCSIM_MAX_VM_CLASSES];
} class_dealer_t;

static class_dealer_t dealer_for(const vms_params_t* vp)
{
  class_dealer_t d = {.vp = vp};
  for (size_t c = 0; c < vp->class_count; c++)
    d.weight_sum += vp->classes[c].weight;
  return d;
}

/* Class of the i-th VM (VMs dealt in order 0, 1, 2...). */
static size_t class_of_vm(class_dealer_t* d, size_t i)
{
  size_t best     = 0;
  double best_gap = -INFINITY;
  for (size_t c = 0; c < d->vp->class_count; c++) {
    double gap = (double)(i + 1) * d->vp->classes[c].weight / d->weight_sum - d->dealt[c];
    if (gap > best_gap + 1e-12) {
      best_gap = gap;
      best     = c;
    }
  }
  d->dealt[best] += 1.0;
  return best;
}

static bool allowed(const cluster_allowed_t* ok, size_t class_id, size_t pm)
{
  return !ok || ok->fn(ok->userdata, class_id, pm);
}

/* fill and round_robin: an equal count per PM (ceil(VMs/PMs)), each VM where its initial load and
 * RAM fit (and the constraints allow it: past that count when its allowed PMs are all at it). */
static int place_evenly(cluster_t* cl, const config_t* cfg, double initial_load, const cluster_allowed_t* ok,
                        lucsim_err_t* err)
{
  const vms_params_t* vp = &cfg->vms;
  size_t vms = (size_t)cfg->vms.count, pms = cluster_pm_count(cl); /* VMs of VEs come later (ves.h) */
  class_dealer_t classes = dealer_for(vp);
  size_t per_pm          = (vms + pms - 1) / (pms ? pms : 1);
  size_t pm              = 0;
  for (size_t i = 0; i < vms; i++) {
    size_t c             = class_of_vm(&classes, i);
    const vm_class_t* vc = &vp->classes[c];
    double demand        = initial_load * vc->vcpus;
    size_t tried         = 0;
    /* fill: stay on a PM until it holds per_pm VMs or the VM does not fit; round_robin: next PM each time */
    if (vp->placement == VM_PLACEMENT_ROUND_ROBIN) pm = i % pms;
    /* under constraints, a VM whose allowed PMs all hold per_pm VMs goes past that count (second lap) */
    for (;;) {
      const cluster_pm_t* p = cluster_pm(cl, pm);
      bool fits             = (p->vm_count < per_pm || tried >= pms) &&
                  p->ram_used_bytes + vc->ram_bytes <= p->ram_capacity_bytes &&
                  p->cpu_demand + demand <= p->cpu_capacity + CLUSTER_CPU_EPSILON && allowed(ok, c, pm);
      if (fits) break;
      pm = (pm + 1) % pms;
      if (++tried >= (ok ? 2 * pms : pms))
        return lucsim_err_set(err, cfg->source, 0, "vms.count",
                              "%zu VMs do not fit on %zu PMs (VM %zu of class '%s' finds no PM with room for %.17g "
                              "load units and its RAM, at most %zu VMs per PM%s); expected fewer VMs or more PMs, or "
                              "vms.placement=capacity to start overloaded",
                              vms, pms, i, vc->name, demand, per_pm, ok ? ", where the <constraints> allow it" : "");
    }
    cluster_place_vm(cl, i, pm, (uint16_t)c, (uint16_t)vc->vcpus, vc->ram_bytes, initial_load);
  }
  return 0;
}

/* The VMs of a PM of capacity cap that comes after `before` of capacity (of total): the rounded
 * cumulative share up to its end, minus the one up to its start, so the shares sum to vms. */
static size_t capacity_share(size_t vms, double before, double cap, double total)
{
  return (size_t)(llround((double)vms * (before + cap) / total) - llround((double)vms * before / total));
}

/* capacity: VMs in proportion to each PM's CPU capacity (a PM's share: the rounded cumulative
 * capacity up to it, minus the one before it), filled PM after PM where the VM's RAM fits; the CPU
 * may be overloaded. A VM whose share of PMs has no RAM left goes to the first PM with RAM for it. */
static int place_by_capacity(cluster_t* cl, const config_t* cfg, double initial_load, const cluster_allowed_t* ok,
                             lucsim_err_t* err)
{
  const vms_params_t* vp = &cfg->vms;
  size_t vms = (size_t)cfg->vms.count, pms = cluster_pm_count(cl); /* VMs of VEs come later (ves.h) */
  class_dealer_t classes = dealer_for(vp);
  double total           = 0;
  for (size_t pm = 0; pm < pms; pm++)
    total += cluster_pm(cl, pm)->cpu_capacity;
  size_t pm = 0, placed_here = 0;
  double before = 0; /* capacity of the PMs before pm */
  size_t share  = pms ? capacity_share(vms, before, cluster_pm(cl, 0)->cpu_capacity, total) : 0;
  for (size_t i = 0; i < vms; i++) {
    size_t c             = class_of_vm(&classes, i);
    const vm_class_t* vc = &vp->classes[c];
    while (pm < pms && (placed_here >= share ||
                        cluster_pm(cl, pm)->ram_used_bytes + vc->ram_bytes > cluster_pm(cl, pm)->ram_capacity_bytes ||
                        !allowed(ok, c, pm))) {
      before += cluster_pm(cl, pm)->cpu_capacity;
      if (++pm < pms) share = capacity_share(vms, before, cluster_pm(cl, pm)->cpu_capacity, total);
      placed_here = 0;
    }
    size_t at = pm;
    if (at == pms) /* shares used up or full: the first PM with RAM for it */
      for (at = 0; at < pms; at++)
        if (cluster_pm(cl, at)->ram_used_bytes + vc->ram_bytes <= cluster_pm(cl, at)->ram_capacity_bytes &&
            allowed(ok, c, at))
          break;
    if (at == pms)
      return lucsim_err_set(err, cfg->source, 0, "vms.count",
                            "%zu VMs do not fit in the RAM of %zu PMs (VM %zu of class '%s', %g GiB, finds no PM with "
                            "that much RAM free); expected fewer VMs, less RAM per VM or more PMs",
                            vms, pms, i, vc->name, (double)vc->ram_bytes / (1024.0 * 1024.0 * 1024.0));
    cluster_place_vm(cl, i, at, (uint16_t)c, (uint16_t)vc->vcpus, vc->ram_bytes, initial_load);
    if (at == pm) placed_here++;
  }
  return 0;
}

int cluster_place_initial(cluster_t* cl, const config_t* cfg, double initial_load, const cluster_allowed_t* ok,
                          lucsim_err_t* err)
{
  if (cfg->vms.placement == VM_PLACEMENT_CAPACITY) return place_by_capacity(cl, cfg, initial_load, ok, err);
  return place_evenly(cl, cfg, initial_load, ok, err);
}
