/* lucsim_run_t: all mutable state of one run, created by main and passed down (docs/DESIGN.md §2).
 * run.c wires the modules together (platform -> cluster -> monitor -> outputs -> injector ->
 * migration -> scheduler), runs SimGrid to the experiment's end and writes the results folder. */
#ifndef LUCSIM_RUN_H
#define LUCSIM_RUN_H

#include "cluster.h"
#include "config.h"
#include "energy.h"
#include "error.h"
#include "fault_domains.h"
#include "infra.h"
#include "injector.h"
#include "invariants.h"
#include "islands.h"
#include "load_trace.h"
#include "migration.h"
#include "monitor.h"
#include "platform.h"
#include "progress.h"
#include "restart.h"
#include "sites.h"
#include "sla.h"
#include "scheduler.h"
#include "stats.h"
#include "trace.h"
#include "trace_feed.h"
#include "ves.h"
#include "wan_faults.h"

#include <stdio.h>

typedef struct run_counters {
  size_t load_events;
  size_t crashes;
  size_t recoveries;
  size_t migrations_ok;
  size_t migrations_failed;
  double migration_seconds; /* sum of durations of completed migrations */
  double migrated_bytes;
  double failed_migration_bytes; /* sent by failed migrations, up to their failure (mig_result_t) */
  size_t domain_outages;         /* site or rack outages that took at least one node down */
  size_t wan_link_failures;      /* backbone links that went down */
  size_t wan_splits;             /* link failures that split an island */
  size_t migrations_cut;         /* migrations that failed because a split separated their PMs */
  size_t restarts_cut;           /* restarts whose image copy a split cut */
} run_counters_t;

typedef struct lucsim_run {
  const config_t* cfg;        /* borrowed: the resolved experiment */
  plat_t* plat;               /* owned */
  cluster_t* cluster;         /* owned */
  mon_t* mon;                 /* owned */
  sites_t* sites;             /* owned: per-site accounting (sites.csv) */
  energy_t* energy;           /* owned; NULL when the platform declares no power */
  inj_t* inj;                 /* owned */
  fault_trace_t* fault_trace; /* owned: the replayed failures (injector.faults.trace), or NULL */
  load_trace_t* load_trace;   /* owned: the replayed loads (injector.kind=trace), or NULL */
  sla_t* sla;                 /* owned: the SLA metrics (summary.csv) */
  fault_domains_t* domains;   /* owned: site or rack outages (injector.faults.site_mtbf), or NULL */
  wan_faults_t* wan;          /* owned: backbone link failures (wan_mtbf, or a trace's link lines), or NULL */
  islands_t* islands;         /* owned: which sites reach each other, when links may fail, else NULL */
  mig_t* mig;                 /* owned */
  restart_t* restart;         /* owned: restarts of lost VMs (vm_recovery=restart), else NULL */
  ves_t* ves;                 /* owned: the virtual environments (none without <ves>) */
  infra_t* infra;             /* owned: the infrastructure constraints (none without <constraints>) */
  size_t* pending_lost;       /* owned: VMs lost at the current instant, offered at its end */
  size_t pending_lost_count, pending_lost_cap;
  bool offer_all_lost;        /* a PM recovered at the current instant: offer every lost VM at its end */
  stats_t* stats;             /* owned: the temporary results folder */
  FILE* migrations_csv;       /* owned by stats */
  FILE* load_csv;             /* owned by stats */
  FILE* faults_csv;           /* owned by stats: one row per crash and repair (runs with failures) */
  FILE* reconfigurations_csv; /* owned by stats: one row per scheduler round (sched_record_reconfiguration) */
  trace_t* trace;             /* owned: trace.paje writer (NULL with output.trace=none) */
  trace_feed_t* trace_feed;   /* owned */
  const sched_ops_t* sched;   /* static table or plugin table */
  void* sched_state;          /* owned by the scheduler */
  sched_ctx_t* ctx;           /* owned (sched_ctx.h) */
  run_counters_t counters;
  bool show_progress;  /* set by main: a progress line on stderr (terminal, no --quiet) */
  bool check;          /* set by main (--check): verify the cluster's invariants at every event */
  double wall_start_s; /* provenance_wall_now() at run_create: output.wall_time only, never simulated */
  invariants_t* inv;   /* owned: the checker, when check */
  progress_t progress;
} lucsim_run_t;

/* Builds every module for cfg (SimGrid must be initialized). Returns NULL with err filled on bad
 * input; nothing is left on disk then. */
lucsim_run_t* run_create(const config_t* cfg, lucsim_err_t* err);
/* Same, with the scheduler table given (borrowed, must outlive the run) instead of looked up by
 * cfg->scheduler (tests run tables that are not registered, e.g. scheduler/examples/). */
lucsim_run_t* run_create_with(const config_t* cfg, const sched_ops_t* ops, lucsim_err_t* err);
/* lucsim schedulers NAME: the parameters the scheduler ops reads at init on the experiment cfg,
 * with their types, defaults and meanings (sched_ctx_describe_params), on f. Returns 0, or -1 with
 * err (the scheduler's init refused the experiment). */
int run_describe_scheduler(const config_t* cfg, const sched_ops_t* ops, FILE* f, lucsim_err_t* err);
/* Checks every input run_create checks (budget, platform, initial placement, failure trace, the
 * scheduler and its parameters), builds nothing that lasts and writes nothing (lucsim validate;
 * SimGrid must be initialized). Returns 0, or -1 with err filled. */
int run_validate(const config_t* cfg, lucsim_err_t* err);
/* Runs the simulation to cfg->duration_s and commits the results folder. Returns 0, or -1 with err. */
int run_execute(lucsim_run_t* run, lucsim_err_t* err);
void run_destroy(lucsim_run_t* run); /* accepts NULL; removes an uncommitted results folder */

/* Engine internals shared by run.c and run_wan.c. */
/* Lost VMs (run_lost.c, vm_recovery=restart): PM pm crashes now: its VMs (and those restarting on
 * it) join the instant's pending list; */
void run_pend_lost_vms(lucsim_run_t* run, size_t pm);
/* the injector's instant-end hook offers them to the scheduler (or every lost VM after a repair); */
void run_offer_lost_at_instant_end(void* userdata, double now);
/* hands the scheduler every lost VM now: room may have appeared. */
void run_offer_all_lost(lucsim_run_t* run);
/* Backbone link failures (run_wan.c): builds run->islands and run->wan when links may fail
 * (wan_mtbf, or link lines in the replayed trace). Returns 0, or -1 with err. */
int run_wan_create(lucsim_run_t* run, lucsim_err_t* err);
/* Starts the link failures' actor on host (call before simgrid_run; nothing when no link may fail). */
void run_wan_start(lucsim_run_t* run, sg_host_t host);

#endif
