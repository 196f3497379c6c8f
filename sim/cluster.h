/* cluster_t: the single source of truth of a run: PMs, VMs, placement, CPU/RAM demands, PM states.
 * Only this module mutates placement and demand; every change is announced to the listeners
 * (monitor, trace, schedulers) with the PM concerned. It knows nothing of SimGrid: time comes in
 * as an argument, so it is unit-testable. VMs are plain records (docs/DESIGN.md §3.1), indexed 0..vm_count-1;
 * PMs are indexed 0..pm_count-1 in the platform's order. */
#ifndef LUCSIM_CLUSTER_H
#define LUCSIM_CLUSTER_H

#include "config.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLUSTER_NONE (-1)
#define CLUSTER_MAX_LISTENERS 8

/* Demands are sums of doubles: tolerate rounding when comparing with a capacity. */
#define CLUSTER_CPU_EPSILON 1e-9

typedef struct cluster cluster_t;

/* Power state of a PM (docs/ENERGY.md), independent of crashes (online): a PM is switched off only
 * when empty, and hosts and receives nothing until it is on again. Without power management every PM
 * stays on. */
typedef enum {
  CLUSTER_POWER_ON = 0,
  CLUSTER_POWER_SHUTTING_DOWN, /* switching off: empty, receives nothing */
  CLUSTER_POWER_OFF,
  CLUSTER_POWER_BOOTING, /* switching on: receives nothing until on */
} cluster_power_t;

typedef struct cluster_pm {
  double cpu_capacity;         /* load units available to VMs: (cores - hypervisor_cores) * 100 */
  uint64_t ram_capacity_bytes; /* RAM available to VMs */
  double cpu_demand;           /* sum of cpu_demand of the VMs hosted here (0 while offline) */
  uint64_t ram_used_bytes;     /* sum of ram_bytes of the VMs hosted here */
  bool online;                 /* false between a crash and its recovery */
  uint8_t power;               /* cluster_power_t */
  int32_t first_vm;            /* head of the list of hosted VMs (cluster_vm_t.next_on_pm), or CLUSTER_NONE */
  uint32_t vm_count;           /* VMs hosted here (a migrating VM stays on its source until it completes) */
  uint32_t migrations_out;     /* migrations in flight from this PM */
  uint32_t migrations_in;      /* migrations in flight to this PM */
  uint32_t restarts_in;        /* lost VMs restarting here (booting), vm_recovery=restart */
  int32_t first_restarting;    /* head of the list of VMs restarting here (linked like hosted VMs) */
  double cpu_incoming;         /* cpu_demand of the VMs migrating or restarting here (at their current load) */
  uint64_t ram_incoming_bytes; /* RAM of the VMs migrating or restarting here */
} cluster_pm_t;

/* A placed VM is in one of three states (an absent VM, below, in none): on a PM (pm >= 0; down while that PM is
 * offline), lost with its PM (pm and restart_to CLUSTER_NONE, on the cluster's lost list), or restarting (restart_to >=
 * 0: booting on that PM, on its restarting list). Lost and restarting VMs exist only with cluster_set_lose_vms(cl,
 * true) (injector.faults.vm_recovery=restart). */
typedef struct cluster_vm {
  int32_t pm;           /* hosting PM (the source while migrating); CLUSTER_NONE when lost or restarting */
  int32_t migrating_to; /* destination PM while a migration is in flight, else CLUSTER_NONE */
  int32_t restart_to;   /* PM this lost VM is restarting on, else CLUSTER_NONE */
  int32_t next_on_pm;   /* next VM on the same list (a PM's, the lost list, a restarting list), or CLUSTER_NONE */
  int32_t prev_on_pm;   /* previous VM on the same list, or CLUSTER_NONE */
  uint16_t class_id;    /* index in config_t.vms.classes */
  uint16_t vcpus;
  double load;       /* % of one vCPU, 0..100 */
  double cpu_demand; /* load * vcpus, in load units */
  uint64_t ram_bytes;
} cluster_vm_t;

/* What happened to a PM; sent to every listener after the cluster is updated. */
typedef enum {
  CLUSTER_EV_LOAD,          /* a hosted VM's load changed */
  CLUSTER_EV_MIG_START,     /* a migration from (source) or to (destination) this PM started */
  CLUSTER_EV_MIG_ARRIVE,    /* a migration completed: sent once for the source, once for the destination */
  CLUSTER_EV_MIG_ABORT,     /* a migration failed: sent for the source and for the destination */
  CLUSTER_EV_CRASH,         /* the PM went down, its VMs are down (or lost, cluster_set_lose_vms) */
  CLUSTER_EV_RECOVER,       /* the PM is back, its VMs are up again (it comes back empty when they were lost) */
  CLUSTER_EV_RESTART_BEGIN, /* a lost VM starts booting on this PM */
  CLUSTER_EV_RESTART_DONE,  /* a lost VM now runs on this PM */
  CLUSTER_EV_RESTART_ABORT, /* a restart on this PM failed (it crashed): the VM is lost again */
  CLUSTER_EV_VM_ADMIT,      /* a VM of a virtual environment starts on this PM (cluster_vm_admit) */
  CLUSTER_EV_VM_DEPART,     /* a VM of a virtual environment left this PM (cluster_vm_depart) */
  CLUSTER_EV_POWER          /* the PM's power state changed (cluster_pm_set_power) */
} cluster_event_t;

/* Called after each change. role_dest is true when pm is the destination of the migration
 * (MIG_* events only). vm is the VM concerned, or CLUSTER_NONE (crash/recover). */
typedef void (*cluster_listener_fn)(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest,
                                    double now);

/* Creates a cluster of pm_count PMs (online, empty, capacities 0) and vm_count unplaced VMs.
 * Returns NULL on allocation failure. Owned by the caller: cluster_destroy. */
cluster_t* cluster_create(size_t pm_count, size_t vm_count);
void cluster_destroy(cluster_t* cl); /* accepts NULL */

size_t cluster_pm_count(const cluster_t* cl);
size_t cluster_vm_count(const cluster_t* cl);
/* Borrowed, valid until cluster_destroy; read-only view (mutate only through cluster_* calls). */
const cluster_pm_t* cluster_pm(const cluster_t* cl, size_t pm);
const cluster_vm_t* cluster_vm(const cluster_t* cl, size_t vm);

void cluster_set_pm_capacity(cluster_t* cl, size_t pm, double cpu_capacity, uint64_t ram_bytes);
/* Registers a listener (at most CLUSTER_MAX_LISTENERS); they are called in registration order. */
void cluster_add_listener(cluster_t* cl, cluster_listener_fn fn, void* userdata);
/* A listener's prefetcher (optional, at most CLUSTER_MAX_LISTENERS): called with a PM (vm < 0) or a
 * VM (pm < 0) whose event is coming, it starts fetching its own state of that PM or VM into the
 * cache (cluster_prefetch_record). A hint only: it must not change anything. */
typedef void (*cluster_prefetch_fn)(void* userdata, int32_t pm, int32_t vm);
void cluster_add_prefetcher(cluster_t* cl, cluster_prefetch_fn fn, void* userdata);
/* Starts fetching a record of size bytes, both ends (it may straddle two cache lines). */
static inline void cluster_prefetch_record(const void* record, size_t size)
{
  __builtin_prefetch(record, 1);
  __builtin_prefetch((const char*)record + size - 1, 1);
}

/* Sets VM vm's class data and places it on pm at t = 0 with the given load. No event is sent. */
void cluster_place_vm(cluster_t* cl, size_t vm, size_t pm, uint16_t class_id, uint16_t vcpus, uint64_t ram_bytes,
                      double load);
/* Where a VM of a class may start (the experiment's <constraints>): fn(userdata, class, pm). */
typedef struct cluster_allowed {
  bool (*fn)(void* userdata, size_t class_id, size_t pm);
  void* userdata;
} cluster_allowed_t;
/* Places every VM per cfg->vms (classes drawn deterministically by weight, in order) with load
 * initial_load, on PMs ok allows (NULL: any). Returns 0, or -1 with err (field vms.count or
 * vms.placement) when the VMs cannot all be placed within each PM's RAM and CPU capacity. */
int cluster_place_initial(cluster_t* cl, const config_t* cfg, double initial_load, const cluster_allowed_t* ok,
                          lucsim_err_t* err);

/* Virtual environments: a VM is absent (on no PM, restarting nowhere, not lost) until admitted, and
 * again once departed; cluster_create makes every VM absent. set_class: an absent VM's class data
 * and load. admit: an absent VM starts on online PM pm with its current load (cluster_set_load
 * applies to absent VMs too). depart: a VM not migrating nor restarting leaves its PM (or the lost
 * list) and becomes absent; returns the PM it left, or CLUSTER_NONE for a lost VM. */
void cluster_vm_set_class(cluster_t* cl, size_t vm, uint16_t class_id, uint16_t vcpus, uint64_t ram_bytes, double load);
void cluster_vm_admit(cluster_t* cl, size_t vm, size_t pm, double now);
int32_t cluster_vm_depart(cluster_t* cl, size_t vm, double now);
size_t cluster_absent_count(const cluster_t* cl);

/* A PM is viable when its hosted demand fits: cpu_demand <= cpu_capacity and RAM likewise.
 * An offline PM is viable (it hosts no running VM). */
bool cluster_pm_is_viable(const cluster_t* cl, size_t pm);

/* Sets a VM's load (% of one vCPU); updates its PM's demand when the PM is online. */
void cluster_set_load(cluster_t* cl, size_t vm, double load, double now);
/* Hints that a load change of next_vm comes next and one of later_vm a few events after: starts
 * fetching into the cache the records the later one will touch (the VM's, here and in every
 * prefetcher) and those of next_vm's PM. Changes nothing: with a million VMs picked at random,
 * waiting for these records was most of the time of a run without a scheduler. */
void cluster_prefetch_load(const cluster_t* cl, size_t next_vm, size_t later_vm);

/* Writes the VMs hosted on each of pms[0..count) (PMs 0..count-1 when pms is NULL) into vms,
 * concatenated in that order, each PM's in list order (first_vm, next_on_pm), and returns how many:
 * vms must hold the sum of their vm_count. Faster than walking the lists one by one when there are
 * many: the walks overlap. */
size_t cluster_collect_vms(const cluster_t* cl, const size_t* pms, size_t count, size_t* vms);

/* Migration bookkeeping (the migration module drives the data transfer).
 * begin: returns 0, or -1 when vm is already migrating, dst == its PM, or either PM is offline.
 * arrive: the VM moves to its destination. abort: the VM stays on its source. */
int cluster_migration_begin(cluster_t* cl, size_t vm, size_t dst, double now);
void cluster_migration_arrive(cluster_t* cl, size_t vm, double now);
void cluster_migration_abort(cluster_t* cl, size_t vm, double now);

/* Crash and recovery. A crashed PM's VMs are down (their demand is not counted) until recovery, or,
 * with cluster_set_lose_vms(cl, true), lost: they leave the PM (appended to the lost list in the
 * PM's list order) and it comes back empty. Migrations from or to it and restarts on it must be
 * ended by the caller (the migration and restart modules) before crashing. */
void cluster_set_lose_vms(cluster_t* cl, bool lose);
void cluster_pm_crash(cluster_t* cl, size_t pm, double now);
void cluster_pm_recover(cluster_t* cl, size_t pm, double now);

/* Power transitions: ON -> SHUTTING_DOWN or OFF (an online PM hosting nothing and receiving nothing),
 * SHUTTING_DOWN -> OFF, OFF -> BOOTING or ON, BOOTING -> ON. Returns 0, or -1 for any other (nothing
 * changes). Each transition into SHUTTING_DOWN (or straight to OFF) counts one shutdown, into BOOTING
 * (or straight to ON) one boot. A PM not on hosts nothing and receives nothing: migrations, restarts
 * and admissions to it are refused. */
int cluster_pm_set_power(cluster_t* cl, size_t pm, cluster_power_t state, double now);
/* Online and on: it may host and receive VMs. */
bool cluster_pm_is_on(const cluster_t* cl, size_t pm);
/* PM-empty tracking for power policies: since when pm hosts nothing and receives nothing (simulated
 * s), or -1 while it hosts or receives a VM. */
double cluster_pm_empty_since(const cluster_t* cl, size_t pm);
size_t cluster_boot_count(const cluster_t* cl);
size_t cluster_shutdown_count(const cluster_t* cl);

/* Restarts of lost VMs (the restart module drives the boot). begin: returns 0, or -1 when vm is not
 * lost or dst is offline or out of range; dst counts the VM as incoming (like a migration's) until
 * done (the VM runs on dst) or abort (lost again, at the end of the lost list). */
int cluster_restart_begin(cluster_t* cl, size_t vm, size_t dst, double now);
void cluster_restart_done(cluster_t* cl, size_t vm, double now);
void cluster_restart_abort(cluster_t* cl, size_t vm, double now);
/* The lost VMs (not restarting): how many, and the first (then cluster_vm(cl, v)->next_on_pm), oldest first. */
size_t cluster_lost_count(const cluster_t* cl);
int32_t cluster_first_lost(const cluster_t* cl);

/* VM-seconds during which VMs were down (their PM off, or lost, or restarting), integrated up to now. */
double cluster_down_vm_seconds(const cluster_t* cl, double now);
/* VMs down now: on offline PMs, lost or restarting. */
size_t cluster_down_vm_count(const cluster_t* cl);
/* Sum of all PMs' cpu_demand / sum of online and powered-on PMs' cpu_capacity, in [0, inf). */
double cluster_global_load(const cluster_t* cl);

#endif
