/* ves_t: the virtual environments of a run (docs/VES.md). Every VE the run will see is drawn before
 * it starts (initial ones, then Poisson arrivals of each template up to the end, lifetimes drawn
 * from their own streams), so its VMs have fixed indices after the vms.count VMs of <vms>, tier by
 * tier; they are absent in the cluster until admitted and after departure. A manager actor (on
 * service node 0) admits arriving VEs through the core, or queues them, and removes departing ones;
 * a cluster listener keeps each VE's constraints' violation time. Files: ves.c (instances, queries,
 * outputs), ves_manager.c (the actor: queue, admission, departures), ves_check.c (constraints). */
#ifndef LUCSIM_VES_H
#define LUCSIM_VES_H

#include "cluster.h"
#include "config.h"
#include "error.h"
#include "infra.h"
#include "platform.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct ves ves_t;

typedef enum { VE_PENDING = 0, VE_WAITING, VE_RUNNING, VE_DEPARTED, VE_SUSPENDED } ve_state_t;

/* One constraint of one template, its VMs as an offset range inside each VE of the template. */
typedef struct ves_cstr {
  ve_cstr_kind_t kind;
  uint32_t offset, count; /* the group: VMs [first_vm + offset, first_vm + offset + count) of a VE */
  const bool* site_in;    /* FENCE, BAN: per site of the platform, listed or not; else NULL */
} ves_cstr_t;

/* Draws the VEs of cfg for platform plat, their VMs numbered from first_vm. Checks what needs the
 * platform (sites of fences and bans, a spread wider than the PMs it may use). Returns NULL with
 * err filled (file, line, field) on bad input; a run without templates gets a ves_t of no VE. */
ves_t* ves_create(const config_t* cfg, const plat_t* plat, size_t first_vm, lucsim_err_t* err);
void ves_destroy(ves_t* ves); /* accepts NULL */
/* VMs of every VE (0 without templates); the cluster has first_vm + this many VMs. */
size_t ves_vm_total(const ves_t* ves);
size_t ves_count(const ves_t* ves);

/* The run's infrastructure constraints, which admissions respect (borrowed; before ves_attach). */
void ves_set_infra(ves_t* ves, const infra_t* infra);
/* Gives every VE VM its class in the cluster (they stay absent), admits the initial VEs at t = 0
 * (those that fit; the others wait from t = 0) and starts listening to the cluster. Returns 0, or
 * -1 with err (out of memory). initial_load: every VM's load at t = 0. */
int ves_attach(ves_t* ves, cluster_t* cl, const config_t* cfg, double initial_load, bool first_fit, lucsim_err_t* err);
/* Starts the manager actor on host (arrivals, admission, departures) until the end of the run. */
void ves_start(ves_t* ves, sg_host_t host, double end_s);

/* Queries (the scheduler API's, sim/sched_ctx.c). */
size_t ves_vm_ve(const ves_t* ves, size_t vm); /* SIZE_MAX for a VM of no VE */
ve_state_t ves_state(const ves_t* ves, size_t ve);
size_t ves_constraint_count(const ves_t* ves, size_t ve);
/* Constraint i of ve; *first_vm is the VE's first VM. */
const ves_cstr_t* ves_constraint(const ves_t* ves, size_t ve, size_t i, size_t* first_vm);
/* True when moving vm (of any VE or none) to pm breaks none of its VE's constraints that hold at every
 * instant (spread, latency, fence, ban, lonely, root), the other members counted where they are
 * and where they are migrating or restarting to. */
bool ves_vm_may_go(const ves_t* ves, size_t vm, size_t pm);
/* A migration of vm ended (ok: it moved): counts it for its VE. */
void ves_record_migration(ves_t* ves, size_t vm, bool ok);

/* Outputs. ves.csv: one row per VE. load.csv's VE columns: running, waiting, suspended. summary.csv's: the
 * header part and the values part (leading commas included), empty values without templates. */
int ves_write_csv(const ves_t* ves, FILE* f, double end_s);
void ves_counts(const ves_t* ves, size_t* running, size_t* waiting, size_t* suspended);
const char* ves_summary_header(void);
void ves_write_summary(const ves_t* ves, FILE* f, double end_s);
/* Constraint-seconds of the constraints of kind `kind` broken up to now (every VE's, summed). */
double ves_violation_s(const ves_t* ves, ve_cstr_kind_t kind, double now);
/* The charged seconds of the admission solves and how many needed GLPK (docs/VES.md). */
size_t ves_admission_solves(const ves_t* ves, size_t* with_glpk);

#endif
