/* The public scheduler API of lucsim: everything a scheduler (built-in or a dlopen'ed plugin) sees.
 * A scheduler is a table of callbacks (sched_ops_t) registered by name. The engine calls init before
 * the simulation, start at t = 0 (create your SimGrid actors there), and fini after the run. Through
 * the opaque sched_ctx_t it reads snapshots of PMs and VMs, solves with the core, charges computation
 * time, migrates VMs (one by one or a whole plan), exchanges messages, and records its rounds.
 * It never touches the cluster directly. See docs/WRITING-A-SCHEDULER.md for a complete example. */
#ifndef LUCSIM_SCHEDULER_H
#define LUCSIM_SCHEDULER_H

#include "core.h"
#include "lucsim_err.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Versions of the sched_ops_t layout, and of the structs a scheduler passes in. A table says which
 * one it was built against (abi_version); the engine loads every version from SCHED_ABI_VERSION_MIN
 * to SCHED_ABI_VERSION and never reads a member later than the table's version (a new member goes
 * at the end, with a new version). 1: up to fini. 2: on_node_crash, on_node_recover. 3: on_vms_lost.
 * 4: sched_round_t ends with power and overload (a scheduler of an older version gets neither: its
 * rounds are read only up to userdata). */
#define SCHED_ABI_VERSION 4
#define SCHED_ABI_VERSION_MIN 1
#define SCHED_NONE (-1) /* "no VM" / "no PM" in int32_t fields */

typedef struct sched_ctx sched_ctx_t;

/* Nodes. One numbering for every host a scheduler may act on, the injector's: PMs are nodes
 * 0..pm_count-1, service nodes (they host no VM) are nodes pm_count..pm_count+service_count-1.
 * A crashed node is only bookkeeping: its SimGrid host stays on (the injector and the load sampler
 * run on service node 0), so a scheduler's actors on a down node keep running and must act dead:
 * check sched_node_is_up(). sched_send from a down node is refused, sched_recv on it reports it. */

typedef struct sched_ops {
  int abi_version; /* SCHED_ABI_VERSION the table was built against; checked before anything else */
  /* ---- Members below are valid for abi_version >= 1. ---- */
  const char* name;    /* value of scheduler= in the experiment file */
  const char* summary; /* one line for `lucsim schedulers` */
  /* Before the simulation: read and validate parameters (sched_param_*), allocate *state (owned by
   * the scheduler, freed in fini). Return 0, or -1 with err filled (bad parameter: exit code 2). */
  int (*init)(sched_ctx_t* ctx, void** state, lucsim_err_t* err);
  /* At t = 0, from the engine's setup: create the scheduler's actors. Optional, may be NULL. */
  void (*start)(sched_ctx_t* ctx, void* state);
  /* PM pm became non-viable (load or incoming migration). Runs in the actor that changed the load
   * (the injector's, or a migration's): do not block; wake your own actor. Optional, may be NULL. */
  void (*on_violation)(sched_ctx_t* ctx, void* state, size_t pm);
  /* After the simulation: free state. Optional, may be NULL. */
  void (*fini)(sched_ctx_t* ctx, void* state);
  /* ---- Members below are valid for abi_version >= 2. ---- */
  /* Node `node` (PM or service node) crashed / recovered, in the injector's actor: do not block.
   * For a PM, its migrations have already failed (their callbacks ran) and the cluster is updated.
   * Optional, may be NULL. */
  void (*on_node_crash)(sched_ctx_t* ctx, void* state, size_t node);
  void (*on_node_recover)(sched_ctx_t* ctx, void* state, size_t node);
  /* ---- Members below are valid for abi_version >= 3. ---- */
  /* With injector.faults.vm_recovery=restart only: VMs vms[0..count) (borrowed for the call) are
   * lost and wait for sched_restart: those of a PM that just crashed (after on_node_crash), with any
   * whose restart that crash cut; and, after each PM recovery (on_node_recover), every VM still lost.
   * In the injector's actor: do not block. Optional: NULL means sched_restart_default. */
  void (*on_vms_lost)(sched_ctx_t* ctx, void* state, const size_t* vms, size_t count);
} sched_ops_t;

/* ---- Registry (scheduler/registry.c) ---- */

/* Built-in schedulers, in the order `lucsim schedulers` lists them; NULL-terminated, static storage. */
const sched_ops_t* const* sched_builtins(void);
/* Finds a built-in by name; NULL when unknown. */
const sched_ops_t* sched_find(const char* name);
/* Loads a plugin shared object exporting `const sched_ops_t* lucsim_scheduler(void)`. The handle
 * stays open until the process exits. Refuses a table whose abi_version is outside
 * [SCHED_ABI_VERSION_MIN, SCHED_ABI_VERSION], or without name or init, or named as a built-in.
 * Returns the table (owned by the plugin), or NULL with err filled (field scheduler.plugin). */
const sched_ops_t* sched_load_plugin(const char* path, lucsim_err_t* err);

/* ---- Parameters (from <param> or --set scheduler.KEY=V); call them from init ---- */

/* Raw value of scheduler parameter key, or NULL. Borrowed from the experiment. */
const char* sched_param(const sched_ctx_t* ctx, const char* key);
/* Reads a number parameter within [min, max], def when absent. Returns 0, or -1 with err naming the
 * file, line and field scheduler.KEY. Marks the key as used (an unused key is an input error). */
int sched_param_double(sched_ctx_t* ctx, const char* key, double def, double min, double max, double* out,
                       lucsim_err_t* err);
/* As sched_param_double, for a duration or a size: the value takes the units of experiment fields
 * (30s, 500ms, 2min, 1h, or plain seconds; 64B, 4KiB, 1MB, or plain bytes: workloads/README.md),
 * and the messages are theirs. */
int sched_param_time(sched_ctx_t* ctx, const char* key, double def_s, double min_s, double max_s, double* out_s,
                     lucsim_err_t* err);
int sched_param_size(sched_ctx_t* ctx, const char* key, double def_bytes, double min_bytes, double max_bytes,
                     double* out_bytes, lucsim_err_t* err);
/* Fills err for a parameter that was read but does not fit (e.g. with another one): file and line
 * of its value (none when it came from --set), field scheduler.KEY, the formatted message. Returns -1. */
int sched_param_error(const sched_ctx_t* ctx, const char* key, lucsim_err_t* err, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reads heartbeat_period and heartbeat_timeout (seconds in [min_s, 1e6], defaults def_period_s and
 * def_timeout_s) and requires the timeout above the period (else err on heartbeat_timeout). For
 * every scheduler that detects failures by heartbeats, so they are set and checked alike. */
int sched_param_heartbeat(sched_ctx_t* ctx, double def_period_s, double def_timeout_s, double min_s, double* period_s,
                          double* timeout_s, lucsim_err_t* err);
/* Reads one of the words of choices[] (NULL-terminated); *out is its index. */
int sched_param_enum(sched_ctx_t* ctx, const char* key, const char* const* choices, int def, int* out,
                     lucsim_err_t* err);
/* What each parameter means, for `lucsim schedulers NAME` (which lists every key init reads, with the
 * type, default and accepted values of its sched_param_* call, and this meaning). docs: a table ended
 * by {NULL, NULL}, static (borrowed for the run); a scheduler calls it once from init with its own
 * table (the shared solver, plan and heartbeat keys document themselves). */
typedef struct sched_param_doc {
  const char* key;
  const char* meaning;
} sched_param_doc_t;
void sched_param_docs(sched_ctx_t* ctx, const sched_param_doc_t* docs);

/* ---- Time, platform, node states ---- */

double sched_now(const sched_ctx_t* ctx);
double sched_end_time(const sched_ctx_t* ctx); /* simulated seconds of the whole experiment */
/* Seed of the experiment, to derive the scheduler's own random stream (e.g. seed a generator with it). */
uint64_t sched_seed(const sched_ctx_t* ctx);
size_t sched_pm_count(const sched_ctx_t* ctx);
size_t sched_vm_count(const sched_ctx_t* ctx);
/* The abi_version of the running scheduler's table (SCHED_ABI_VERSION for the built-in ones). */
int sched_abi_version(const sched_ctx_t* ctx);
size_t sched_service_count(const sched_ctx_t* ctx);
sg_host_t sched_pm_host(const sched_ctx_t* ctx, size_t pm);
sg_host_t sched_service_host(const sched_ctx_t* ctx, size_t service);
/* Node numbering (see "Nodes" above): the node of service node `service`, a node's host, up or down. */
size_t sched_service_node(const sched_ctx_t* ctx, size_t service);
sg_host_t sched_node_host(const sched_ctx_t* ctx, size_t node);
bool sched_node_is_up(const sched_ctx_t* ctx, size_t node);
/* Sites (docs/PLATFORMS.md): a generated LUC platform has platform.sites sites, numbered from 0, each
 * PM and service node in one of them (PMs of a site have contiguous indices); a single cluster has
 * one site, 0; a platform file has the sites its host properties site or its zones give (PM indices
 * follow host names, so a site's PMs are contiguous when their names are). Functions only: the
 * sched_ops_t table and its ABI are unchanged. */
size_t sched_site_count(const sched_ctx_t* ctx);
size_t sched_pm_site(const sched_ctx_t* ctx, size_t pm);
size_t sched_node_site(const sched_ctx_t* ctx, size_t node); /* any node, service nodes too */
/* SimGrid's latency of the route between two nodes' hosts, in seconds (the sum of its links'
 * latencies: private links, and backbone hops between sites). 0 for a node and itself. */
double sched_route_latency(const sched_ctx_t* ctx, size_t node_a, size_t node_b);
/* Distinct sites of the PMs pms[0..count) (pms NULL: every PM): 1 on a single cluster, 0 for no PM. */
size_t sched_pms_site_count(const sched_ctx_t* ctx, const size_t* pms, size_t count);
/* The PMs of site `site`, in index order, copied into pms[0..cap) (the caller's memory); returns
 * how many the site has (only the first cap are copied). sched_pm_count(ctx) entries always suffice. */
size_t sched_site_pms(const sched_ctx_t* ctx, size_t site, size_t* pms, size_t cap);

/* Reachability (docs/FAULTS.md, "Backbone links and islands"): when backbone links of a LUC
 * platform fail (injector.faults.wan_mtbf, or link lines of a failure trace), the sites still
 * joined by up links form an island; nodes of different islands cannot reach each other: their
 * messages are lost (sched_recv drops them), transfers between them do not happen, migrations and
 * restarts between them are refused, and those under way fail at the split. sched_round_run
 * leaves out the PMs its node cannot reach. Without link failures every node reaches every other.
 * Up or down does not matter here (sched_node_is_up says that). */
bool sched_nodes_reach(const sched_ctx_t* ctx, size_t node_a, size_t node_b);
/* Since when (simulated s) node_a and node_b have been in different islands, or -1 while they
 * reach each other: a heartbeat-based detector suspects a peer cut off for longer than its timeout. */
double sched_nodes_apart_since(const sched_ctx_t* ctx, size_t node_a, size_t node_b);
/* The number of islands now (1 while the backbone is whole). */
size_t sched_island_count(const sched_ctx_t* ctx);
/* True from the run's first split of the backbone on, even once its islands merged again: leaders
 * elected on both sides of a split may then meet (Entropy's and Snooze's step-down rules). */
bool sched_backbone_has_split(const sched_ctx_t* ctx);
/* The island of a node now: the smallest site index in it (0 while the backbone is whole), e.g.
 * to name an address that only its island's nodes can reach. */
size_t sched_node_island(const sched_ctx_t* ctx, size_t node);

/* Whether service nodes may crash or be cut off from each other in this run
 * (injector.faults.service_nodes, or backbone link failures): a scheduler may then guard its
 * central node (heartbeats, fail-over), and leave that traffic out otherwise. */
bool sched_service_nodes_may_fail(const sched_ctx_t* ctx);
/* A scheduler with a central node (Entropy's, Snooze's group leader) names it: node is now the one
 * running it, or SCHED_NO_LEADER when none is (it crashed and no successor has taken over yet).
 * The engine counts, from the first call on, the time without a leader or with the leader's node
 * down: summary.csv scheduler_downtime_s and leader_changes (docs/FAULTS.md). Schedulers that never
 * call it (decentralized ones) have those columns empty. */
#define SCHED_NO_LEADER SIZE_MAX
void sched_set_leader(sched_ctx_t* ctx, size_t node);

/* Power states (docs/ENERGY.md). A PM switched off hosts and receives nothing; it draws
 * platform.power_off, and platform.boot_power / shutdown_power for platform.boot_time / shutdown_time
 * while it switches. It is not down: sched_node_is_up stays true and its actors keep running (a
 * management controller answers for it); in problems (sched_problem_build) a PM not on is an
 * offline node. Without calls to sched_pm_power_off every PM stays on. */
typedef enum {
  SCHED_POWER_ON = 0,
  SCHED_POWER_SHUTTING_DOWN, /* then off, after platform.shutdown_time */
  SCHED_POWER_OFF,
  SCHED_POWER_BOOTING, /* then on, after platform.boot_time */
} sched_power_t;
sched_power_t sched_pm_power(const sched_ctx_t* ctx, size_t pm);
/* Switches PM pm off: it must be on, up, empty and receiving nothing (sched_pm_empty_since >= 0).
 * Returns 0 (shutting down, then off; power.csv gets a row per change), or -1 (nothing changes). */
int sched_pm_power_off(sched_ctx_t* ctx, size_t pm);
/* Switches PM pm on: it must be off. Returns 0 (booting, then on), or -1. */
int sched_pm_power_on(sched_ctx_t* ctx, size_t pm);
/* Since when (simulated s) pm hosts no VM and receives none, or -1 while it does. */
double sched_pm_empty_since(const sched_ctx_t* ctx, size_t pm);
/* Whether PMs may crash in this run (injector.faults.mtbf, site_mtbf, or a failure trace). */
bool sched_pms_may_fail(const sched_ctx_t* ctx);

/* Scheduler states shown in the trace (SCHED_STATE of trace.paje, docs/TRACE.md). */
typedef enum {
  SCHED_STATE_FREE = 0,    /* idle */
  SCHED_STATE_BOOKED,      /* part of a partition (DVMS) or of a round being handled */
  SCHED_STATE_COMPUTE,     /* solving: set by sched_charge */
  SCHED_STATE_RECONFIGURE, /* applying a plan: set by sched_plan_execute */
} sched_state_t;
/* Sets the scheduler state of node (written to the trace, when there is one, at the current time). */
void sched_set_state(sched_ctx_t* ctx, size_t node, sched_state_t state);
sched_state_t sched_get_state(const sched_ctx_t* ctx, size_t node);

/* ---- Snapshots of PMs and VMs (the cluster as it is now; copies, the caller's memory) ---- */

typedef struct sched_pm_info {
  double cpu_capacity;         /* load units available to VMs (100 = one core) */
  uint64_t ram_capacity_bytes; /* RAM available to VMs */
  double cpu_demand;           /* sum of the hosted VMs' demands (VMs migrating away included) */
  uint64_t ram_used_bytes;
  bool online;             /* false between a crash and its recovery */
  bool viable;             /* demand within capacity (CPU and RAM), and no VM while in maintenance (an open
                              offline window); an offline PM is viable */
  bool maintenance;        /* in an open maintenance window (<constraints> offline): it must host no VM */
  uint32_t vm_count;       /* hosted VMs (a migrating VM counts on its source until it arrives) */
  uint32_t migrations_out; /* migrations in flight from / to this PM (any scheduler's) */
  uint32_t migrations_in;
  double cpu_incoming; /* demand of the VMs migrating here: room they will take on arrival */
  uint64_t ram_incoming_bytes;
} sched_pm_info_t;

typedef struct sched_vm_info {
  int32_t pm;           /* hosting PM (the source while migrating) */
  int32_t migrating_to; /* destination while migrating, else SCHED_NONE */
  double cpu_demand;    /* load units */
  uint64_t ram_bytes;
  size_t vm_class; /* index of its class in the experiment's VM classes (<vms>, <class>) */
} sched_vm_info_t;

void sched_pm_info(const sched_ctx_t* ctx, size_t pm, sched_pm_info_t* out);
void sched_vm_info(const sched_ctx_t* ctx, size_t vm, sched_vm_info_t* out);
/* Copies the indices of the VMs pm hosts (a migrating VM counts on its source until it arrives), in
 * a fixed order (the order sched_problem_build uses), into vms[0..cap) (the caller's memory), and
 * returns how many pm hosts: when that exceeds cap, only the first cap are copied. The copy is the
 * caller's: migrations started or ended meanwhile do not change it. sched_vm_count(ctx) entries
 * always suffice; sched_pm_vms(ctx, pm, NULL, 0) returns the count alone. */
size_t sched_pm_vms(const sched_ctx_t* ctx, size_t pm, size_t* vms, size_t cap);
/* The same for several PMs at once: the VMs of pms[0..count) (PMs 0..count-1 when pms is NULL), each
 * PM's as sched_pm_vms lists them, concatenated in that order into vms, which must hold the sum of
 * their vm_count (sched_pm_info); returns that sum. Faster on large platforms: it overlaps the walks. */
size_t sched_pms_vms(const sched_ctx_t* ctx, const size_t* pms, size_t count, size_t* vms);
/* The scheduler handles non-viable PM pm now (VMPlaceS' violation-det): its violation interval
 * becomes "detected" (hidden vs detected metrics). No effect on a viable PM. */
void sched_mark_detected(sched_ctx_t* ctx, size_t pm);

/* ---- Solving with the core: one builder, one solve call, so every scheduler feeds it alike ---- */

typedef struct sched_problem sched_problem_t;    /* reusable buffers for a core_problem_t */
sched_problem_t* sched_problem_create(void);     /* owned by the caller: sched_problem_destroy */
void sched_problem_destroy(sched_problem_t* pb); /* accepts NULL */
/* Fills pb with the PMs pms[0..count) (pms NULL: every PM, in order) and the VMs they host, and
 * returns the problem (borrowed from pb, valid until the next build or destroy). Node i is PM
 * pms[i] (core_node_t.id = PM index), core_vm_t.id = VM index. The problem's sites (node_site,
 * site_distance) are the PMs' sites numbered in order of first appearance, and the route latencies
 * between them (sched_route_latency between each site's first PM). Rules: an offline PM is an offline
 * node; a migrating VM counts on its source and is not movable; a node receiving migrations is
 * offered its capacity minus what is arriving (so a plan never counts on room already promised). */
const core_problem_t* sched_problem_build(const sched_ctx_t* ctx, sched_problem_t* pb, const size_t* pms, size_t count);

/* Keeps a share of every viable node's CPU free in pb's last build: such a node is offered
 * max(its demand, (1 - share) x capacity), so a plan does not pack receivers to the brim (the next
 * load rise would overload them); non-viable nodes keep their whole capacity. share in [0, 1). */
void sched_problem_set_headroom(sched_problem_t* pb, double share);
/* Offers node i of pb's last build share[i] x its PM's CPU capacity, less what is arriving (share in
 * [0, 1]): a node whose demand is above it must send, and no plan fills it beyond it. */
void sched_problem_limit_cpu(const sched_ctx_t* ctx, sched_problem_t* pb, const double* share);
/* Adds to pb's last build an OFFLINE constraint on nodes[0..count) (problem node indices): their VMs
 * must leave in the target (e.g. a consolidation emptying them). */
void sched_problem_add_offline(sched_problem_t* pb, const size_t* nodes, size_t count);

typedef enum {
  SCHED_COMPUTE_DETERMINISTIC = 0, /* the core's cost model (result.charged_seconds): the default */
  SCHED_COMPUTE_ENTROPY_LIKE,      /* min(30, online_nodes / 8) s, integer division as in VMPlaceS'
                                      Entropy timeout; below 8 nodes (0 s), or with nothing to do,
                                      the deterministic time */
  SCHED_COMPUTE_ENTROPY_UNCAPPED,  /* online_nodes / 8 s with no cap (VMPlaceS' Euro-Par 2015 code: 128 s
                                      at 1024 PMs); below 8 nodes (no limit), or with nothing to do, the
                                      deterministic time */
} sched_compute_model_t;

typedef struct sched_solver_params {
  core_params_t core;                  /* objective, budget, ... (core_params_init defaults) */
  sched_compute_model_t compute_model; /* how sched_solve turns the work into seconds */
} sched_solver_params_t;
/* Reads the solver parameters every scheduler shares: objective = migrations | ram (default
 * migrations), budget_nodes (branch-and-bound nodes, default 2000), budget_lp_iterations (default
 * 200000), compute_model = deterministic | entropy-like | entropy-uncapped, placement = first_fit | best_fit |
 * worst_fit, locality = off | site | latency (default site: destinations in the VM's site first, then nearer sites;
 * core_locality_t; it changes nothing on a problem within one site), eviction = exact | lazy | all | mmt
 * (core_eviction_t; lazy + first_fit + milp=off is VMPlaceS' Lazy FFD, all + first_fit + milp=off its
 * Optimistic FFD), milp = on | off. Returns 0, or -1 with err (file:line). */
int sched_param_solver(sched_ctx_t* ctx, sched_solver_params_t* out, lucsim_err_t* err);
/* core_solve(pb, params, out) run on the solver's own large stack: call this, not core_solve, from an
 * actor (actor stacks are small, 16 KiB by default, and GLPK needs more). Same answer as core_solve. */
int sched_core_solve(const core_problem_t* pb, const core_params_t* params, core_result_t* out);
/* sched_core_solve(pb, &sp->core, out) (out: CORE_RESULT_INIT or a reused result, owned by the caller;
 * free with core_result_free), then the seconds to charge per sp->compute_model, returned.
 * Takes no simulated time: call sched_charge with the result. An invalid problem is a bug (abort). */
double sched_solve(const sched_ctx_t* ctx, const sched_solver_params_t* sp, const core_problem_t* pb,
                   core_result_t* out);
/* From an actor: the calling actor sleeps `seconds` (simulated computation) while node's state is
 * "compute" in the trace; the previous state is restored afterwards. */
void sched_charge(sched_ctx_t* ctx, size_t node, double seconds);

/* ---- Migrations ---- */

typedef struct sched_mig_result {
  bool ok; /* true: the VM now runs on dst; false: a PM crashed, the VM stays on src */
  size_t vm, src, dst;
  double start_s, end_s;
} sched_mig_result_t;
/* r is borrowed (valid during the call). Runs in the actor that ended the migration: do not block. */
typedef void (*sched_mig_fn)(void* userdata, const sched_mig_result_t* r);
/* Starts migrating vm to PM dst, from an actor. Returns -1 and never calls done when vm is already
 * migrating, dst is its PM, either PM is offline, or a split of the backbone separates them
 * (sched_nodes_reach). Otherwise returns 0 and done (may be NULL) runs
 * exactly once. userdata is borrowed until then. It does not check room on dst: the plan executor
 * does; a start that overfills dst (arrivals in flight counted) is counted in the run's statistics. */
int sched_migrate(sched_ctx_t* ctx, size_t vm, size_t dst, sched_mig_fn done, void* userdata);

/* ---- Lost VMs and their restart (injector.faults.vm_recovery=restart, docs/FAULTS.md) ---- */

/* With vm_recovery=restart a crash loses its PM's VMs (the PM comes back empty). A lost VM waits
 * until a scheduler restarts it (sched_restart); it is then restarting (its image copied when it
 * changes site with local image stores, then the boot time) until it runs on its new PM. A lost or
 * restarting VM has pm SCHED_NONE in sched_vm_info, is in no PM's list and in no problem; a
 * restarting VM counts on its destination as incoming (cpu_incoming, ram_incoming_bytes), so plans
 * keep its room. With vm_recovery=wait no VM is ever lost. */

/* The lost VMs (not restarting), oldest loss first, copied into vms[0..cap); returns how many. */
size_t sched_lost_vms(const sched_ctx_t* ctx, size_t* vms, size_t cap);
/* The PM whose crash lost vm last (SCHED_NONE for a VM never lost), and where it restarts (SCHED_NONE
 * unless restarting). */
int32_t sched_vm_former_pm(const sched_ctx_t* ctx, size_t vm);
int32_t sched_vm_restarting_on(const sched_ctx_t* ctx, size_t vm);
/* Restarts lost VM vm on PM dst. Returns -1 when vm is not lost (running, or already restarting),
 * dst is offline, or dst cannot reach the VM's former PM (its disk; sched_nodes_reach); 0 once under
 * way. It does not check room on dst: the caller does. If dst crashes before the VM runs, or a split
 * cuts its image copy, the VM is lost again and offered again through on_vms_lost. */
int sched_restart(sched_ctx_t* ctx, size_t vm, size_t dst);
/* The default recovery policy (scheduler/recovery.c), for schedulers without on_vms_lost and for any
 * that wants it: each VM of vms[0..count), in order, restarts on an online PM with RAM for it
 * (arrivals counted), trying sites nearest first (its former PM's site, then by route latency):
 * the first site with a PM where its CPU demand fits too gives the PM with the most free CPU; if
 * no site has one, the PM with the most free CPU in the nearest site with RAM. A VM without any PM
 * with RAM stays lost (offered again after the next recovery). Returns the restarts started. */
size_t sched_restart_default(sched_ctx_t* ctx, const size_t* vms, size_t count);

/* ---- Virtual environments (ves.*, docs/VES.md) ---- */

/* A VE is a group of VMs with placement constraints among them, admitted by the engine when it
 * arrives (or queued until it fits) and removed when it leaves. Its VMs have consecutive indices;
 * they are absent (pm SCHED_NONE, in no PM's list, in no problem) before admission and after
 * departure. sched_problem_build gives the core the constraints of the running VEs with a VM in the
 * problem, restricted to it (a VE cut by the partition keeps its members outside where they are):
 * those of the groups that may move in the core's repair mode (a member on a non-viable PM, a
 * broken group) and every lonely group (a scheduler that solves outside repair mode adds the others
 * itself, from sched_ve_constraint);
 * sched_plan_execute skips a step that would break a constraint that holds at every instant. */
#define SCHED_NO_VE SIZE_MAX
typedef enum {
  SCHED_VE_SPREAD = 0, /* on pairwise distinct PMs, at every instant */
  SCHED_VE_GATHER,     /* all on one PM (at the end of a plan: they move one by one) */
  SCHED_VE_LATENCY,    /* all in one site, at every instant */
  SCHED_VE_ROOT,       /* never migrated */
  SCHED_VE_LONELY,     /* no PM shared with a VM outside the group, at every instant */
  SCHED_VE_FENCE,      /* only in the listed sites */
  SCHED_VE_BAN,        /* never in the listed sites */
} sched_ve_kind_t;
typedef struct sched_ve_constraint {
  sched_ve_kind_t kind;
  size_t first_vm, vm_count; /* its VMs: first_vm .. first_vm + vm_count - 1 */
  const bool* site_in;       /* FENCE, BAN: sched_site_count entries, true for a listed site; else NULL.
                                Borrowed, valid for the whole run */
} sched_ve_constraint_t;
/* VEs of the run (every one it will see: waiting, running or gone included). */
size_t sched_ve_count(const sched_ctx_t* ctx);
/* The VE of vm, or SCHED_NO_VE (a VM of <vms>). */
size_t sched_vm_ve(const sched_ctx_t* ctx, size_t vm);
/* True while ve is admitted and has not left: its VMs exist. */
bool sched_ve_is_running(const sched_ctx_t* ctx, size_t ve);
size_t sched_ve_constraint_count(const sched_ctx_t* ctx, size_t ve);
/* Constraint i of ve, into out (caller memory). */
void sched_ve_constraint(const sched_ctx_t* ctx, size_t ve, size_t i, sched_ve_constraint_t* out);
/* True when migrating vm to pm now breaks none of the constraints that hold at every instant: its
 * VE's (other members counted where they are and where they are going; a group already broken may
 * be repaired), the lonely groups of other VEs on pm, and the infrastructure constraints (below:
 * ban, fence, an open maintenance window). Always true without VEs and constraints. */
bool sched_vm_may_go(const sched_ctx_t* ctx, size_t vm, size_t pm);

/* ---- Infrastructure constraints (<constraints>, docs/CONSTRAINTS.md) ---- */

/* Constraints on node sets, declared by the experiment: a ban or fence of the VMs of one class (or
 * all), a maintenance window (offline: the nodes host no VM while it is open; the scheduler's
 * on_violation is called for each of its PMs that hosts VMs when it opens, and sched_pm_info says
 * maintenance and not viable until they are empty), and max-online. sched_problem_build gives them
 * to the core, restricted to the problem's PMs and VMs; sched_vm_may_go refuses a PM that a ban, a
 * fence or an open window refuses to the VM. */
typedef enum {
  SCHED_INFRA_BAN = 0,    /* the VMs of vm_class (or all) never on the nodes */
  SCHED_INFRA_FENCE,      /* the VMs of vm_class (or all) only on the nodes */
  SCHED_INFRA_OFFLINE,    /* no VM on the nodes while active */
  SCHED_INFRA_MAX_ONLINE, /* at most count of the nodes host a VM */
} sched_infra_kind_t;
typedef struct sched_infra_constraint {
  sched_infra_kind_t kind;
  const bool* pm_in; /* sched_pm_count entries: the node set. Borrowed, valid for the whole run */
  long vm_class;     /* BAN, FENCE: the class its VMs are of, or -1 for every VM */
  size_t count;      /* MAX_ONLINE */
  bool active;       /* OFFLINE: its window is open now; the others: true */
} sched_infra_constraint_t;
size_t sched_infra_count(const sched_ctx_t* ctx);
void sched_infra_constraint(const sched_ctx_t* ctx, size_t i, sched_infra_constraint_t* out);

/* ---- Plan execution, shared by every scheduler (scheduler/plan_exec.c) ---- */

typedef struct sched_plan_params {
  unsigned max_out_per_pm; /* concurrent outgoing migrations per PM (counting every scheduler's); 0 = no cap */
  unsigned max_in_per_pm;  /* concurrent incoming migrations per PM; 0 = no cap */
  bool all_at_once;        /* every step starts at once, without waiting for its predecessors nor checking
                              the destination's CPU room (VMPlaceS' executor); caps and RAM still apply */
} sched_plan_params_t;
/* Reads max_migrations_per_pm (default 2, 0 = no cap) into both caps, and plan_start = dependencies
 * (default) | all_at_once. Returns 0 or -1 with err. */
int sched_param_plan(sched_ctx_t* ctx, sched_plan_params_t* out, lucsim_err_t* err);

typedef enum {
  SCHED_OUTCOME_NOTHING_TO_DO = 0, /* every PM viable: no plan */
  SCHED_OUTCOME_OK,                /* every step completed */
  SCHED_OUTCOME_PARTIAL,           /* some steps skipped (stale, no room, a PM of theirs crashed) or failed (a crash cut
                                      their migration); the others ran */
  SCHED_OUTCOME_NO_SOLUTION,       /* the core found no plan */
  SCHED_OUTCOME_ABORTED,           /* the scheduler's node failed half way, or the plan was dropped (still_current) */
} sched_outcome_t;
const char* sched_outcome_name(sched_outcome_t o); /* "nothing-to-do", "ok", "partial", "no-solution", "aborted" */

typedef struct sched_plan_report {
  sched_outcome_t outcome;
  size_t planned, started, completed, failed, skipped;
  double first_start_s, last_end_s; /* -1 when nothing started */
  double reconfiguration_s;         /* last end - first start, 0 when nothing started */
} sched_plan_report_t;
/* Executes res's plan over pb (both borrowed for the call; pb the problem res was solved on) from
 * an actor, which it blocks until every started migration ended. node's state is "reconfigure"
 * meanwhile, then restored. A step starts when (1) its predecessors COMPLETED, (2) its PMs are under
 * the caps, (3) re-checked against the cluster now: its VM still sits, not migrating, on the step's
 * source, and the destination has room for it counting arrivals in flight. A step whose VM moved,
 * whose predecessor failed or was skipped, whose source or destination is offline, whose
 * destination lacks room while nothing is leaving that destination, or that would break a VE's
 * constraint now (sched_vm_may_go), is skipped; a migration a crash
 * cuts fails (sched_mig_result_t.ok false); either way the rest of the plan goes on (outcome
 * partial). Only node going down aborts: nothing new starts, in-flight migrations end, outcome
 * aborted. Returns 0 (report filled, caller memory). */
int sched_plan_execute(sched_ctx_t* ctx, size_t node, const core_problem_t* pb, const core_result_t* res,
                       const sched_plan_params_t* pp, sched_plan_report_t* report);

/* ---- The reconfiguration round and the periodic loop, shared by every scheduler (scheduler/round.c) ---- */

/* One round: what differs between schedulers is which PMs they solve over, on which node, when, and
 * the hooks; the sequence is the same. */
typedef struct sched_round {
  const char* actor;                   /* name in reconfigurations.csv, e.g. "entropy" or "gm-3"; borrowed */
  size_t node;                         /* the node that gathers, computes (charged there) and orders the plan */
  const size_t* pms;                   /* the partition, PM indices (borrowed); NULL: every PM */
  size_t pm_count;                     /* entries of pms */
  double headroom;                     /* CPU share kept free on receivers (sched_problem_set_headroom) */
  const sched_solver_params_t* solver; /* borrowed */
  const sched_plan_params_t* plan;     /* borrowed */
  sched_problem_t* problem;            /* the caller's, reused from round to round (sched_problem_create) */
  core_result_t* result;               /* the caller's (CORE_RESULT_INIT once, core_result_free at the end) */
  /* Optional hooks (NULL: skipped), called from the round's actor with userdata:
   * monitor: first, before the problem is built: model gathering the state (e.g. sched_transfer).
   * still_current: after the computation was charged, before the plan runs: false drops the plan
   * (outcome aborted), e.g. when the partition changed while the actor computed. */
  void (*monitor)(sched_ctx_t* ctx, void* userdata);
  bool (*still_current)(sched_ctx_t* ctx, void* userdata);
  void* userdata;
  const struct sched_power_params* power; /* borrowed; NULL: no power management (sched_round_power) */
  struct sched_overload* overload;        /* borrowed; NULL: a PM is overloaded when its demand exceeds its
                                             CPU (sched_overload_create) */
} sched_round_t;

typedef struct sched_round_report {
  double start_s;           /* when the round began (before monitor) */
  double computation_s;     /* charged on node */
  size_t partition_pms;     /* PMs in the solved problem: pm_count, or every PM of the problem */
  sched_plan_report_t plan; /* what the plan execution did (outcome aborted when dropped) */
} sched_round_report_t;

/* From an actor: monitor, build the problem over the partition, solve (sched_solve), mark the
 * partition's non-viable PMs detected when the core had something to do, charge the computation on
 * node, execute the plan (sched_plan_execute) unless still_current says no, and record the round
 * (sched_record_reconfiguration). The solved problem and result stay in r->problem / r->result
 * until the next round. report: caller memory. */
void sched_round_run(sched_ctx_t* ctx, const sched_round_t* r, sched_round_report_t* report);

/* Power management and consolidation of a round's PMs (scheduler/power_policy.c, docs/ENERGY.md),
 * for every scheduler whose rounds cover PMs that may empty. Read with sched_param_power: */
typedef struct sched_power_params {
  bool manage;             /* power_management = off (default) | on */
  double idle_off_s;       /* power_idle_off: an empty PM stays on this long before it is switched off */
  double wake_load;        /* power_wake_load: PMs are switched on while the round's demand is above this
                              share of the capacity on (booting PMs counted) */
  bool consolidate;        /* consolidate = off (default) | on: once every PM of a round is viable, empty
                              the least loaded PMs onto the others (best fit, receivers filled up to
                              consolidate_fill), so that they can be switched off */
  double consolidate_fill; /* consolidate_fill: share of a receiver's CPU a consolidation may fill */
  size_t consolidate_max;  /* consolidate_max_pms: PMs emptied per round at most */
  bool consolidate_milp;   /* consolidate = milp: the core's objective (fewest PMs hosting VMs, then fewest
                              migrations, every VM a variable) instead of emptying the least loaded PMs */
} sched_power_params_t;
/* Reads the keys above. Power management with PM failures is refused (err): not supported yet. */
int sched_param_power(sched_ctx_t* ctx, sched_power_params_t* out, lucsim_err_t* err);
/* sched_round_run calls it at the end of a round with r->power set: after a round whose PMs are all
 * viable, a consolidation round (recorded as a round of its own) when asked; then PMs switched on
 * while the demand is above wake_load of the capacity on, or the repair failed; then empty PMs
 * switched off after idle_off_s while the demand stays under wake_load of what remains on. */
void sched_round_power(sched_ctx_t* ctx, const sched_round_t* r, const sched_round_report_t* repair);

/* Overload detection (scheduler/overload.c, docs/ENERGY.md): CloudSim's rules for when a PM must send,
 * from the CPU history of the VMs it hosts (sampled at each round that covers them; 30 samples kept).
 * A round with r->overload offers each PM of its problem only its threshold's share of its CPU (a PM
 * hosting nothing keeps all of it), so the core evicts from the PMs above their threshold and fills
 * none beyond it. Read with sched_param_overload: */
typedef enum {
  SCHED_OVERLOAD_CAPACITY = 0, /* overload = capacity (default): demand above the CPU */
  SCHED_OVERLOAD_THR,          /* thr: utilisation above overload_threshold (0.8) */
  SCHED_OVERLOAD_MAD,          /* mad: above 1 - s x the median absolute deviation of the PM's history */
  SCHED_OVERLOAD_IQR,          /* iqr: above 1 - s x its interquartile range */
  SCHED_OVERLOAD_LR,           /* lr: s x the local regression's prediction one round ahead >= 1 */
} sched_overload_rule_t;
typedef struct sched_overload_params {
  sched_overload_rule_t rule; /* overload */
  double threshold;           /* overload_threshold: thr's utilisation, default 0.8 */
  double safety;              /* overload_safety: s; default (0) CloudSim's: mad 2.5, iqr 1.5, lr 1.2 */
  double fallback;            /* overload_fallback: the threshold of mad, iqr and lr while a PM's history holds
                                 fewer than 12 (mad, iqr) or 10 (lr) samples, default 0.7 */
} sched_overload_params_t;
int sched_param_overload(sched_ctx_t* ctx, sched_overload_params_t* out, lucsim_err_t* err);
typedef struct sched_overload sched_overload_t;
/* The histories of every VM; NULL for rule capacity (nothing to keep). Owned: sched_overload_destroy. */
sched_overload_t* sched_overload_create(const sched_ctx_t* ctx, const sched_overload_params_t* p);
void sched_overload_destroy(sched_overload_t* ov); /* accepts NULL */
/* The utilisation share a PM may reach under p, from its history h[0..n) (h[0] the newest; each the
 * hosted VMs' demand over its CPU; the newest 30 are used) and its utilisation now u; in [0, 1]. */
double sched_overload_threshold(const sched_overload_params_t* p, const double* h, size_t n, double u);
/* What sched_round_run does with r->overload after building pb from problem: records the VMs' demands
 * now (when record; one sample per VM and instant), then offers each node its threshold's share of its
 * CPU (sched_problem_limit_cpu). */
void sched_overload_limit(const sched_ctx_t* ctx, sched_overload_t* ov, sched_problem_t* problem,
                          const core_problem_t* pb, bool record);

/* From an actor: calls round(ctx, userdata) every period_s while node is up, the first at
 * t = period_s; a round that lasts longer than the period delays the next to its end. Returns when
 * the next round would start at or after the end of the experiment. */
void sched_run_periodic(sched_ctx_t* ctx, size_t node, double period_s, void (*round)(sched_ctx_t* ctx, void* userdata),
                        void* userdata);
/* The same loop with the first round at t = first_s (sched_now() for at once), ending also when
 * keep(ctx, userdata) is false before a round (NULL: never): e.g. a leader that lost its role. */
void sched_run_periodic_while(sched_ctx_t* ctx, size_t node, double first_s, double period_s,
                              void (*round)(sched_ctx_t* ctx, void* userdata),
                              bool (*keep)(sched_ctx_t* ctx, void* userdata), void* userdata);

/* ---- Messages between nodes over the simulated network (sim/sched_msg.c) ---- */

#define SCHED_MSG_OK 0
#define SCHED_MSG_TIMEOUT (-1)   /* nothing arrived in time */
#define SCHED_MSG_NODE_DOWN (-2) /* the node is down (send refused; or a message arrived while down) */
/* Sends payload (size_bytes on the network) to mailbox from the calling actor, which must run on
 * from_node's host. Fire-and-forget (detached): returns at once, a dead receiver never blocks the
 * sender. Ownership of payload passes to the receiver; a payload never received is released with
 * free() by SimGrid, so it must come from malloc (or be NULL). Returns SCHED_MSG_OK, or
 * SCHED_MSG_NODE_DOWN when from_node is down (payload still the caller's). */
int sched_send(sched_ctx_t* ctx, size_t from_node, const char* mailbox, void* payload, double size_bytes);
/* Waits up to timeout_s (< 0: forever) for a message on mailbox, from an actor on node's host.
 * timeout_s == 0 polls: SCHED_MSG_TIMEOUT at once when no message is waiting, else it receives it.
 * SCHED_MSG_OK: *payload is the sender's, now owned by the caller. SCHED_MSG_NODE_DOWN: node is
 * down (if a message arrived meanwhile, *payload is it and the caller frees it, else NULL).
 * SCHED_MSG_TIMEOUT: *payload NULL. SimGrid cancels a timed-out receive together with a transfer
 * that would end at the very same instant: such a message is lost (and its payload freed), so do
 * not put timeouts and sends on the same exact time grid (docs/SNOOZE.md shows how Snooze avoids it).
 * A message from a node that `node` cannot reach when it arrives (sched_nodes_reach) is lost: dropped, and
 * the wait goes on until the timeout. */
int sched_recv(sched_ctx_t* ctx, size_t node, const char* mailbox, double timeout_s, void** payload);
/* The calling actor waits while size_bytes go from node `from` to node `to` (a real SimGrid transfer,
 * sharing links with migrations): to model monitoring or state transfers without a receiving actor.
 * Nothing moves, and it returns at once, when the two nodes cannot reach each other. */
void sched_transfer(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes);
/* The calling actor waits while every from[i] sends size_bytes[i] to node `to`, all at once (count
 * real SimGrid transfers started together, sharing links; each over its own route, WAN hops
 * included): e.g. monitoring reports gathered from several sites. count 1 is sched_transfer. A flow
 * between nodes that cannot reach each other is left out. */
void sched_transfer_gather(sched_ctx_t* ctx, const size_t* from, const double* size_bytes, size_t count, size_t to);
/* A message whose timing the scheduler models itself, without a flow (heartbeats by the million):
 * its bytes count in the run's totals as those of a delivered sched_send (wan_message_bytes). */
void sched_count_message(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes);
/* Seconds a message of size_bytes takes from node `from` to node `to` on an idle network: the
 * route's latency and bandwidth with the network model's factors, as SimGrid times a lone flow
 * (no contention). 0 from a node to itself. For messages timed by the scheduler (above). Cheap to
 * call per message: a route is asked of SimGrid once and kept, unless the platform's links can
 * change (bandwidth or latency profiles, WIFI links), where every call asks again. */
double sched_message_transit(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes);

/* ---- Records: one row of reconfigurations.csv per round (summary.csv columns come from them) ---- */

typedef struct sched_reconf {
  const char* actor; /* who decided, e.g. "entropy" or "gm-3"; borrowed for the call */
  size_t node;       /* node the deciding actor runs on */
  double start_s;    /* round start (before gathering the state) */
  double computation_s;
  double reconfiguration_s;
  size_t migrations_planned, migrations_done;
  size_t partition_pms; /* PMs in the solved problem */
  sched_outcome_t outcome;
  core_solver_t solver;
  double cost, lower_bound;
} sched_reconf_t;
/* Appends one row (r borrowed). Rows with outcome nothing-to-do count only towards computation_s. */
void sched_record_reconfiguration(sched_ctx_t* ctx, const sched_reconf_t* r);
/* Counts one core solve (res: its result) for summary.csv's core_solves and core_solves_glpk (how
 * often GLPK ran). sched_round_run calls it; a scheduler that calls sched_solve on its own may too. */
void sched_record_solve(sched_ctx_t* ctx, const core_result_t* res);
/* As sched_record_reconfiguration, for a round whose partition spans `sites` sites
 * (sched_pms_site_count): a counted round (outcome not nothing-to-do) also counts towards
 * summary.csv's round_sites_mean and round_sites_max. sched_round_run records with it. */
void sched_record_round(sched_ctx_t* ctx, const sched_reconf_t* r, size_t sites);
/* Opens `name` (a plain file name, e.g. "snooze_events.csv": no '/', not one of the engine's own
 * files) in the run's results folder for the scheduler's own output; call it from start or later.
 * The stream is owned by the engine and closed when the folder is committed or removed, like the
 * engine's CSVs. Returns NULL when the name is refused or the file cannot be created. */
FILE* sched_open_csv(sched_ctx_t* ctx, const char* name);

#endif
