/* Lost VMs handed to the scheduler (vm_recovery=restart, docs/FAULTS.md): those of the current
 * instant's crashes, or every lost VM after a repair or a merge of the backbone's islands. Shared
 * by the injector's hooks (run.c) and the backbone link failures (run_wan.c). */
#include "run.h"

#include "sched_ctx.h"

#include <simgrid/engine.h>
#include <stdlib.h>
#include <xbt/asserts.h>

/* vm_recovery=restart: a crash appends the VMs it loses (those restarting on the PM, then those
 * it hosts, in the order they join the lost list) to the instant's pending list; a PM recovery
 * asks for every lost VM to be offered (there may be room now). The scheduler hears of them once
 * the instant's events are all applied (run_offer_lost_at_instant_end), so a site outage restarts its
 * VMs outside the site rather than on PMs about to crash at the same time. */
static void reserve_pending_lost(lucsim_run_t* run, size_t need)
{
  if (need <= run->pending_lost_cap) return;
  size_t cap    = need > 2 * run->pending_lost_cap ? need : 2 * run->pending_lost_cap;
  size_t* grown = realloc(run->pending_lost, cap * sizeof *grown);
  xbt_assert(grown, "out of memory (lost VMs)");
  run->pending_lost     = grown;
  run->pending_lost_cap = cap;
}

void run_pend_lost_vms(lucsim_run_t* run, size_t pm)
{
  const cluster_t* cl   = run->cluster;
  const cluster_pm_t* p = cluster_pm(cl, pm);
  reserve_pending_lost(run, run->pending_lost_count + p->restarts_in + p->vm_count);
  for (int32_t v = p->first_restarting; v != CLUSTER_NONE; v = cluster_vm(cl, (size_t)v)->next_on_pm)
    run->pending_lost[run->pending_lost_count++] = (size_t)v;
  for (int32_t v = p->first_vm; v != CLUSTER_NONE; v = cluster_vm(cl, (size_t)v)->next_on_pm)
    run->pending_lost[run->pending_lost_count++] = (size_t)v;
}

void run_offer_lost_at_instant_end(void* userdata, double now)
{
  (void)now;
  lucsim_run_t* run = userdata;
  if (!run->restart) return;
  if (run->offer_all_lost) { /* every lost VM, this instant's included */
    size_t count = cluster_lost_count(run->cluster);
    reserve_pending_lost(run, count);
    run->pending_lost_count = sched_lost_vms(run->ctx, run->pending_lost, count);
  }
  size_t count            = run->pending_lost_count;
  run->pending_lost_count = 0;
  run->offer_all_lost     = false;
  /* the scheduler's own policy, else the default one (called from here, not from sched_ctx.c, which
   * the policy itself calls: no cycle between the engine's API and scheduler/recovery.c) */
  if (count > 0 && !sched_ops_on_vms_lost(run->sched, run->ctx, run->sched_state, run->pending_lost, count))
    sched_restart_default(run->ctx, run->pending_lost, count);
}

void run_offer_all_lost(lucsim_run_t* run)
{
  run->offer_all_lost = true;
  run_offer_lost_at_instant_end(run, simgrid_get_clock());
}
