/* mig_t: live migration of VMs between PMs, the only way a VM changes PM (docs/DESIGN.md §3.2).
 * Two models behind one API: `data` (default) runs the pre-copy rounds itself as SimGrid transfers
 * between the two PM hosts; `simgrid` (platform.vm_model, validation mode, small platforms) moves
 * real sg_vm objects with SimGrid's live-migration plugin. The cluster keeps the bookkeeping
 * (cluster_migration_begin/arrive/abort); this module drives the data transfer and reports.
 * Not a scheduler: it never decides which VM moves where. Model and parameters: docs/MIGRATION.md. */
#ifndef LUCSIM_MIGRATION_H
#define LUCSIM_MIGRATION_H

#include "cluster.h"
#include "config.h"
#include "error.h"
#include "islands.h"
#include "platform.h"

#include <stddef.h>
#include <stdint.h>

typedef struct mig mig_t;

typedef enum {
  MIG_OK = 0, /* the VM now runs on dst */
  MIG_FAILED  /* the source or the destination crashed (mig_fail_pm), or a split separated them: the VM stays on its
                 source */
} mig_status_t;

/* One migration, as reported once to its callback and to the observer. */
typedef struct mig_result {
  mig_status_t status;
  size_t vm;
  size_t src;
  size_t dst;
  double start_s;     /* simulated time of mig_start */
  double end_s;       /* completion (after the destination's acknowledgement), or the failure time */
  double bytes_sent;  /* bytes of all rounds sent so far (whole bytes; a double for the CSV writers); for
                       * MIG_FAILED, plus the share of the round the failure cut, estimated from the model
                       * (exact alone on its route, an upper bound when sharing: docs/MIGRATION.md) */
  int rounds;         /* pre-copy rounds completed, the first full copy included, the stop-and-copy excluded */
  double downtime_s;  /* duration of the stop-and-copy (the VM is paused); 0 when it did not happen */
  double image_bytes; /* of bytes_sent, those of the disk image (inter-site, image_store local); else 0 */
} mig_result_t;

/* Completion/failure callback. res is borrowed: valid during the call only. It runs in the SimGrid
 * actor that finished the migration (or in the one that called mig_fail_pm) and may call mig_start,
 * including for the same VM. */
typedef void (*mig_done_fn)(void* userdata, const mig_result_t* res);

/* Checks what the chosen model cannot do (validation mode: at most MIG_SGVM_MAX_VMS VMs).
 * Returns 0, or -1 with err filled (field platform.vm_model). mig_create refuses the same configs. */
#define MIG_SGVM_MAX_VMS 1000
int mig_check_config(const config_t* cfg, lucsim_err_t* err);

/* Creates the migration module over cl and plat (both borrowed: they must outlive it; cfg too).
 * Call after the platform is loaded and the VMs are placed, before simgrid_run. It registers one
 * cluster listener (load changes of migrating VMs). In validation mode it initialises SimGrid's
 * live-migration plugin and creates one running sg_vm per VM, loaded according to the cluster.
 * Returns NULL when mig_check_config refuses cfg (logged) or memory runs out.
 * Owned by the caller: mig_destroy, after simgrid_run returned. */
mig_t* mig_create(cluster_t* cl, const plat_t* plat, const config_t* cfg);
void mig_destroy(mig_t* mig); /* accepts NULL */

/* Starts migrating VM vm to PM dst (from a SimGrid actor, or before simgrid_run).
 * Returns -1 and never calls done when vm is already migrating, dst is its PM, either PM is offline,
 * or dst is out of range. Otherwise returns 0 and done (may be NULL) runs exactly once, after the
 * observer, with MIG_OK or MIG_FAILED. userdata is borrowed until then. */
int mig_start(mig_t* mig, size_t vm, size_t dst, mig_done_fn done, void* userdata);

/* Observer called on every completion or failure, before the migration's own callback (outputs,
 * trace). One observer; fn NULL removes it. userdata is borrowed. */
void mig_set_observer(mig_t* mig, mig_done_fn fn, void* userdata);

/* The share of VM vm's RAM in use at time_s, 0 to 1 (e.g. load_trace_ram_share). */
typedef double (*mig_ram_share_fn)(void* userdata, size_t vm, double time_s);
/* Where the RAM in use comes from (a load trace with RAM, docs/LOAD-TRACES.md); fn NULL: every VM
 * uses all its RAM (the default). A migration's first round copies the RAM in use when it starts,
 * and each later round at most the working-set share of the RAM in use then (untouched pages are
 * zero pages, which the hypervisor does not send). userdata is borrowed. */
void mig_set_ram_share_source(mig_t* mig, mig_ram_share_fn fn, void* userdata);

/* PM pm crashes now: call BEFORE cluster_pm_crash. Every migration from or to pm fails now
 * (cluster_migration_abort, then observer and callback with MIG_FAILED at the current time); its
 * transfer is cancelled at once (the migration actor is killed), so it stops using bandwidth.
 * While it runs, mig_start refuses migrations from or to pm. */
void mig_fail_pm(mig_t* mig, size_t pm);
/* Backbone link failures: islands (borrowed, may be NULL) say which sites reach each other;
 * mig_start then refuses a migration between separated PMs. */
void mig_set_islands(mig_t* mig, const islands_t* islands);
/* A split just happened: every migration whose PMs are now in different islands fails (the VM
 * stays on its source, as when the destination crashes). Returns how many. */
size_t mig_fail_separated(mig_t* mig);

/* Counters since creation. */
size_t mig_count_in_flight(const mig_t* mig);
size_t mig_count_completed(const mig_t* mig);
size_t mig_count_failed(const mig_t* mig);

#endif
