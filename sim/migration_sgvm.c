/* The validation model (platform.vm_model=simgrid): every VM is a real sg_vm moved by SimGrid's own
 * live-migration plugin (sg_vm_migrate), loaded by executions so that the plugin's dirty-page
 * tracking sees the VM's CPU load. For checking the `data` model on small platforms only: it costs
 * O(#VMs) per simulated event inside SimGrid (docs/DESIGN.md §3.1). Not a model of its own, and not used
 * by default. The plugin exposes no round count, byte count or downtime: they are reported as 0. */
#include "migration_sgvm.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/plugins/live_migration.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(mig);

#define SGVM_PLUGIN_DOWNTIME_S 0.03 /* the plugin's max downtime: it has no setter */
#define SGVM_IDLE_SHARE 1e-9        /* CPU bound of an idle VM, as a share of one core (a bound of 0 means none) */
#define SGVM_EXEC_SPAN_S 1e6        /* each load execution lasts this long at full speed, then restarts */

/* One actor per vCPU, located on the VM (it migrates with it): executes forever; the VM's CPU bound
 * (mig__sgvm_set_demand) sets how fast, hence how many flops the plugin counts as dirtying. */
static void sgvm_load_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  sg_actor_daemonize(sg_actor_self());
  double flops = sg_host_get_speed(sg_host_self()) * SGVM_EXEC_SPAN_S;
  for (;;)
    sg_actor_execute(flops);
}

void mig__sgvm_set_demand(mig_t* mig, size_t vm, double demand)
{
  const cluster_vm_t* v = cluster_vm(mig->cl, vm);
  double core_flops     = sg_host_get_speed(plat_pm_host(mig->plat, (size_t)v->pm));
  double share          = demand > 0 ? demand / 100.0 : SGVM_IDLE_SHARE;
  sg_vm_set_bound(mig->vms[vm], share * core_flops);
}

int mig__sgvm_init(mig_t* mig)
{
  const config_t* cfg = mig->cfg;
  size_t count        = cluster_vm_count(mig->cl);
  sg_vm_live_migration_plugin_init();
  if (cfg->migration.max_downtime_s != SGVM_PLUGIN_DOWNTIME_S)
    XBT_WARN("vm_model=simgrid: SimGrid's plugin always uses a %g s max downtime, not migration.max_downtime=%g",
             SGVM_PLUGIN_DOWNTIME_S, cfg->migration.max_downtime_s);
  XBT_INFO("vm_model=simgrid: %zu sg_vm objects, migrated by SimGrid's live-migration plugin (no round cap)", count);
  mig->vms       = calloc(count ? count : 1, sizeof *mig->vms);
  mig->vm_broken = calloc(count ? count : 1, sizeof *mig->vm_broken);
  if (!mig->vms || !mig->vm_broken) return -1;
  char name[32];
  for (size_t i = 0; i < count; i++) {
    const cluster_vm_t* v = cluster_vm(mig->cl, i);
    const vm_class_t* c   = &cfg->vms.classes[v->class_id];
    if (v->pm < 0) {
      XBT_ERROR("vm_model=simgrid: VM %zu is not placed", i);
      return -1;
    }
    snprintf(name, sizeof name, "vm-%zu", i);
    sg_vm_t vm = sg_vm_create_multicore(plat_pm_host(mig->plat, (size_t)v->pm), name, v->vcpus);
    sg_vm_set_ramsize(vm, (size_t)v->ram_bytes);
    sg_vm_set_dirty_page_intensity(vm, c->dirty_intensity);
    sg_vm_set_working_set_memory(vm, (sg_size_t)(c->working_set_share * (double)v->ram_bytes));
    sg_vm_set_migration_speed(vm, c->mig_speed_Bps);
    sg_vm_start(vm);
    mig->vms[i] = vm;
    mig__sgvm_set_demand(mig, i, v->cpu_demand);
    for (uint16_t k = 0; k < v->vcpus; k++) {
      sg_actor_t a = sg_actor_init("vm-load", (sg_host_t)vm);
      sg_actor_start(a, sgvm_load_main, 0, NULL);
    }
  }
  return 0;
}

/* The actor that calls sg_vm_migrate (blocking) on the source host, as VMPlaceS does. */
static void sgvm_migrate_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  mig__rec_t* rec = sg_actor_self_get_data();
  mig_t* mig      = rec->mig;
  mig__copy_image(rec); /* the plugin moves memory only */
  if (rec->state != MIG__ACTIVE) {
    mig__release_zombie(rec);
    return;
  }
  if (mig->ram_share) { /* the plugin copies the RAM size, and dirties at most the working set */
    const vm_class_t* c = &mig->cfg->vms.classes[cluster_vm(mig->cl, rec->vm)->class_id];
    double in_use       = mig__ram_in_use(mig, rec->vm);
    sg_vm_set_ramsize(mig->vms[rec->vm], (size_t)in_use);
    sg_vm_set_working_set_memory(mig->vms[rec->vm], (sg_size_t)(c->working_set_share * in_use));
  }
  sg_vm_migrate(mig->vms[rec->vm], plat_pm_host(mig->plat, rec->dst));
  if (rec->state != MIG__ACTIVE) {
    mig__release_zombie(rec);
    return;
  }
  mig__complete(rec);
}

void mig__sgvm_launch(mig_t* mig, mig__rec_t* rec)
{
  const cluster_vm_t* v = cluster_vm(mig->cl, rec->vm);
  const vm_class_t* c   = &mig->cfg->vms.classes[v->class_id];
  sg_host_t src         = plat_pm_host(mig->plat, rec->src);
  sg_host_t dst         = plat_pm_host(mig->plat, rec->dst);
  /* Speed 0 would mean "no dirty page" to the plugin; the data model then uses the route's effective
   * bandwidth as the reference speed, so give the plugin the same (as a cap it changes nothing). */
  double speed =
      c->mig_speed_Bps > 0 ? c->mig_speed_Bps : sg_host_get_route_bandwidth(src, dst) * mig->bandwidth_factor;
  sg_vm_set_migration_speed(mig->vms[rec->vm], speed);
  rec->cap_Bps   = c->mig_speed_Bps; /* for the image copy (mig__copy_image) */
  rec->rate_Bps  = c->mig_speed_Bps > 0 && c->mig_speed_Bps < speed ? c->mig_speed_Bps : speed;
  rec->latency_s = sg_host_get_route_latency(src, dst) * mig->latency_factor;
  rec->actor     = sg_actor_init("sgvm-migration", src);
  sg_actor_set_data(rec->actor, rec);
  sg_actor_start(rec->actor, sgvm_migrate_main, 0, NULL);
}

void mig__sgvm_fini(mig_t* mig)
{
  /* The sg_vm objects belong to the SimGrid engine until the process ends. */
  free(mig->vms);
  free(mig->vm_broken);
  mig->vms       = NULL;
  mig->vm_broken = NULL;
}
