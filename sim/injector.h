/* inj_t: the load injector: a generator of load changes and node crashes/recoveries in simulated-time
 * order, each purpose drawn from its own seeded stream (rng.h), plus one SimGrid actor that replays
 * them at their times through caller hooks. It does not know the cluster: the engine applies the
 * events (cluster_set_load, cluster_pm_crash...) in its hooks. Loads are % of one vCPU. */
#ifndef LUCSIM_INJECTOR_H
#define LUCSIM_INJECTOR_H

#include "config.h" /* inj_params_t */
#include "error.h"
#include "fault_trace.h"

#include <simgrid/forward.h>
#include <stddef.h>
#include <stdint.h>

typedef struct inj inj_t;

typedef enum {
  INJ_EV_LOAD,   /* VM `vm` now has load `load` */
  INJ_EV_CRASH,  /* node `node` goes down */
  INJ_EV_RECOVER /* node `node` is back up */
} inj_ev_kind_t;

#define INJ_NO_DOMAIN SIZE_MAX

typedef struct inj_event {
  inj_ev_kind_t kind;
  double time_s;      /* simulated time of the event */
  size_t vm;          /* INJ_EV_LOAD only */
  double load;        /* INJ_EV_LOAD only: % of one vCPU, on the slot grid, within [load_min, load_max] */
  size_t node;        /* INJ_EV_CRASH / INJ_EV_RECOVER only: 0..node_count-1 (PMs first, then service nodes) */
  size_t domain;      /* INJ_EV_CRASH / INJ_EV_RECOVER: the domain whose outage or repair this is (inj_set_domains),
                         or INJ_NO_DOMAIN when the node fails or is repaired on its own */
  bool outage_begins; /* INJ_EV_CRASH: the first node an outage takes down (one per outage that downs any) */
} inj_event_t;

/* How many load changes ahead on_load_ahead names a VM (its later_vm). */
#define INJ_LOOKAHEAD 4

/* What the actor calls for each event, at the event's simulated time; now = simgrid_get_clock().
 * Any member may be NULL (that kind of event is then drawn but not applied). userdata is borrowed. */
typedef struct inj_hooks {
  void (*on_load)(void* userdata, size_t vm, double load, double now);
  void (*on_crash)(void* userdata, const inj_event_t* ev, double now);
  void (*on_recover)(void* userdata, const inj_event_t* ev, double now);
  /* After the last event of an instant (optional, may be NULL): e.g. the PMs of a site outage are
   * all down before their VMs are restarted. */
  void (*on_instant_end)(void* userdata, double now);
  /* A hint (optional): the next event is a load change of next_vm, and the load change
   * INJ_LOOKAHEAD after it (if any) will be of later_vm. Called before the injector sleeps, so
   * that their records are in the cache by the time on_load touches them: with a million VMs
   * picked at random, the cache misses of on_load were most of a run without a scheduler. */
  void (*on_load_ahead)(void* userdata, size_t next_vm, size_t later_vm);
} inj_hooks_t;

/* Checks the injector fields of an experiment: period >= 0 (0 = no load change), stddev >= 0,
 * min <= max, mean finite, slots >= 0, mtbf >= 0 (0 = no crash), mttr > 0 when mtbf > 0, a finite
 * shape > 0 for Weibull uptimes, site_mtbf >= 0, site_mttr > 0 when site_mtbf > 0, rack_size >= 0.
 * Returns 0, or -1 with err filled (file "", field "injector.load.*" / "injector.faults.*"). */
int inj_check_params(const inj_params_t* p, lucsim_err_t* err);

/* Creates the generator. p is copied. vm_count VMs; node_count nodes (PMs then service nodes);
 * only nodes 0..crashable_nodes-1 crash (the engine passes pm_count, or node_count when
 * p->fault_service_nodes). Streams: rng_init(seed, RNG_STREAM_ARRIVALS / LOADS / VM_CHOICE /
 * FAULTS / REPAIRS). Memory: O(crashable_nodes), allocated here once; no allocation per event.
 * Returns NULL when inj_check_params would fail, crashable_nodes > node_count, or allocation fails.
 * Owned by the caller: inj_destroy (after simgrid_run when the actor was started). */
inj_t* inj_create(const inj_params_t* p, size_t vm_count, size_t node_count, size_t crashable_nodes, uint64_t seed);
void inj_destroy(inj_t* inj); /* accepts NULL */

/* Fills *ev with the next event and returns 1, or returns 0 when the injector never produces any
 * event (no VM or period 0, and no crash). Times never decrease. The processes:
 * - loads: a Poisson process of rate vm_count / load_period_s; the VM is uniform; the load is
 *   N(mean, stddev) clamped to [min, max], then, when slots > 0, rounded to the nearest point of
 *   the grid min + k * (max - min) / slots, k = 0..slots (a tie goes to the upper point; k = slots
 *   gives exactly max). So each grid point gets the normal mass of its half-step neighbourhood,
 *   and the end points also get the clamped tails.
 * - crashes: a Poisson process of rate crashable_nodes / mtbf, each event naming a uniform
 *   crashable node; when that node is already down the event is dropped (the process is
 *   memoryless, so every up node still fails at rate 1 / mtbf). A crash schedules its recovery
 *   after an exponential repair time of mean mttr. With distribution=weibull instead, each
 *   crashable node is its own renewal process: up for a Weibull(shape) time of mean mtbf (drawn
 *   at each of its repairs), then down for the exponential repair; the first failures, drawn in
 *   node order, are those of nodes already running for 10 mtbf (steady state, no burst at t = 0).
 * - domain outages (site_mtbf > 0 and inj_set_domains): a Poisson process of rate domains /
 *   site_mtbf, each naming a uniform domain (dropped when it is already out), repaired after an
 *   exponential time of mean site_mttr. An outage gives one CRASH per node of the domain that is
 *   up, a repair one RECOVER per node of it not down on its own, all at its time, in node order.
 *   A node is down while it failed on its own or its domain is out: its own failures and repairs
 *   go on inside an outage, unseen (a node failed on its own stays down after the repair).
 *   Streams DOMAIN_FAULTS and DOMAIN_REPAIRS: without outages, nothing else changes.
 * - order: by time; at equal times domain events first, then RECOVER before CRASH before LOAD,
 *   recoveries by node index. Per node, events alternate CRASH, RECOVER, CRASH...
 *   O(log crashable_nodes) per event (a domain event: O(its nodes)). */
int inj_next(inj_t* inj, inj_event_t* ev);

/* Failure domains for site_mtbf: domain_of[node] for each crashable node (0..domain_count-1, or
 * INJ_NO_DOMAIN for a node in none); copied. Call before the first inj_next; does nothing when
 * site_mtbf is 0. Returns 0, or -1 when out of memory. */
int inj_set_domains(inj_t* inj, const size_t* domain_of, size_t domain_count);

/* Replays events (borrowed, by time, each node alternating down and up: fault_trace_load) as the
 * crashes and recoveries, instead of drawing them; at equal times they come before load changes.
 * Call before the first inj_next. Returns -1 when the injector draws crashes (mtbf > 0) or out of
 * memory. */
int inj_replay_trace(inj_t* inj, const fault_trace_event_t* events, size_t count);

/* A source of load changes (e.g. load_trace_next): 1 with the next change's time (never decreasing),
 * VM and load, or 0 when there is none left. */
typedef int (*inj_load_source_fn)(void* data, double* time_s, size_t* vm, double* load);
/* Takes the load changes from next(data, ...) instead of drawing them (the Gaussian parameters are
 * then unused); data is borrowed. Call before the first inj_next. */
void inj_set_load_source(inj_t* inj, inj_load_source_fn next, void* data);

/* True when `node` is down, on its own or with its domain (as of the last inj_next). */
bool inj_node_is_down(const inj_t* inj, size_t node);

/* Creates one SimGrid actor "injector" on host (which must never be turned off) that takes events
 * from inj_next, sleeps until each one's time and calls the matching hook, for events strictly
 * before end_time_s; then it sleeps until end_time_s and ends. hooks is copied; inj and userdata
 * are borrowed and must stay valid until simgrid_run() returns. At most one actor per inj_t.
 * Call between platform loading and simgrid_run(). */
void inj_start_actor(inj_t* inj, sg_host_t host, double end_time_s, const inj_hooks_t* hooks, void* userdata);

#endif
