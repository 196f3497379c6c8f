/* infra_t: the infrastructure constraints of a run (docs/CONSTRAINTS.md): bans and fences of a VM
 * class on node sets, maintenance windows (offline), max-online. Resolved against the platform at
 * creation (bad node sets are bad input); queried by the initial placement, the VE admission, the
 * scheduler API (problems, sched_vm_may_go, sched_pm_info) and the restart policy; and accounted:
 * a cluster listener integrates the VM-seconds each kind is broken, and an actor opens and closes
 * the windows, telling the scheduler which PMs must be evacuated. */
#ifndef LUCSIM_INFRA_H
#define LUCSIM_INFRA_H

#include "cluster.h"
#include "config.h"
#include "error.h"
#include "platform.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct infra infra_t;

/* Resolves cfg's <constraints> on plat. Returns NULL with err (file, line, field) on bad input: a bad
 * node set, a window over every PM, a max_online count above its set's size. A run without
 * constraints gets an infra_t of none. */
infra_t* infra_create(const config_t* cfg, const plat_t* plat, lucsim_err_t* err);
void infra_destroy(infra_t* in); /* accepts NULL */
size_t infra_count(const infra_t* in);

/* Constraint i (cfg order), its node set (plat_pm_count entries), and whether it applies at `now`
 * (a window: open; the others: always). */
const infra_constraint_t* infra_constraint(const infra_t* in, size_t i);
const bool* infra_nodes(const infra_t* in, size_t i);
bool infra_is_active(const infra_t* in, size_t i, double now);

/* A VM of class class_id may be on pm at now: no ban or fence of its class refuses pm, and pm is in
 * no open window. Always true without constraints. */
bool infra_vm_allowed(const infra_t* in, size_t class_id, size_t pm, double now);
/* pm is in an open maintenance window at now. */
bool infra_pm_in_maintenance(const infra_t* in, size_t pm, double now);

/* Starts the accounting (a listener of cl) at t = 0, and the window actor on host: at each window's
 * start it calls evacuate(userdata, pm) for every PM of the window that hosts a VM. */
int infra_attach(infra_t* in, cluster_t* cl, lucsim_err_t* err);
void infra_start(infra_t* in, sg_host_t host, double end_s, void (*evacuate)(void* userdata, size_t pm),
                 void* userdata);

/* summary.csv's part: the header and the values (leading commas included). */
const char* infra_summary_header(void);
void infra_write_summary(infra_t* in, FILE* f, double end_s);

#endif
