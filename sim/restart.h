/* restart_t: lost VMs restarted on another PM (injector.faults.vm_recovery=restart, docs/FAULTS.md).
 * The scheduler decides where (sched_restart); this module pays what a restart costs and keeps its
 * statistics. A restart copies the VM's disk image when it changes site with
 * migration.image_store=local (a SimGrid transfer from the VM's former PM, standing for its site's
 * store, to the destination), then boots for injector.faults.boot_time; meanwhile the destination
 * counts the VM as incoming. The cluster keeps the states (lost, restarting); this module, the
 * actors and the clock. Not a policy: it never chooses a destination. */
#ifndef LUCSIM_RESTART_H
#define LUCSIM_RESTART_H

#include "cluster.h"
#include "config.h"
#include "islands.h"
#include "platform.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct restart restart_t;

/* What a run reports (summary.csv): a VM lost twice counts twice in lost. */
typedef struct restart_totals {
  size_t lost;          /* VMs lost with their PM */
  size_t restarted;     /* restarts completed */
  size_t failed;        /* restarts cut by their destination's crash (the VM was lost again) */
  double latency_sum_s; /* over completed restarts: from the loss to running again */
  double latency_max_s;
  double lost_work_vm_s; /* at each loss: time since the VM's last snapshot or (re)start */
  double image_bytes;    /* images copied by completed restarts */
} restart_totals_t;

/* Over cl and plat (borrowed, they must outlive it); cfg->injector gives the boot time and snapshot
 * period, cfg->migration.image_store and the classes' images the copy. Returns NULL when out of
 * memory. Owned by the caller: restart_destroy, after simgrid_run returned. */
restart_t* restart_create(cluster_t* cl, const plat_t* plat, const config_t* cfg);
/* rows (borrowed, may be NULL): restarts.csv, one row per restart that ended (header written here). */
void restart_set_csv(restart_t* rs, FILE* rows);
void restart_destroy(restart_t* rs); /* accepts NULL */

/* PM pm crashes now: call after mig_fail_pm and before cluster_pm_crash. Restarts on pm fail (their
 * actors are killed, the VMs are lost again); the VMs pm hosts are counted lost, with the work lost
 * since their last snapshot or start. */
void restart_pm_crash(restart_t* rs, size_t pm, double now);

/* Starts restarting lost VM vm on PM dst, from an actor. Returns -1 when vm is not lost (running,
 * or already restarting) or dst is offline, out of range or cut off from the VM's former site; 0 once
 * the restart is under way. */
int restart_start(restart_t* rs, size_t vm, size_t dst);

/* Backbone link failures: islands (borrowed, may be NULL) say which sites reach each other; a VM
 * then restarts only on a PM its former PM's site reaches (its disk is there). */
void restart_set_islands(restart_t* rs, const islands_t* islands);
/* A split just happened: restarts whose image copy it cuts fail (the VMs are lost again). Returns
 * how many. A restart already booting goes on: it needs nothing from its former site. */
size_t restart_fail_separated(restart_t* rs, double now);

/* The PM a lost or restarting VM last ran on (the one whose crash lost it), or CLUSTER_NONE. */
int32_t restart_former_pm(const restart_t* rs, size_t vm);

restart_totals_t restart_totals(const restart_t* rs);

#endif
