/* invariants_t: the run's self-check (lucsim run --check). After every cluster event it verifies
 * the PMs concerned against a recomputation from the VM records (list links, VM count, RAM and CPU
 * demand, VMs restarting there), that a migration starts between two online PMs, and at crashes,
 * recoveries and the end of the run the whole cluster: every VM on exactly one PM or lost or
 * restarting on one (vm_recovery=restart), migration counters and incoming demand. It changes nothing it checks:
 * results are byte-identical with and without it. */
#ifndef LUCSIM_INVARIANTS_H
#define LUCSIM_INVARIANTS_H

#include "cluster.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct invariants invariants_t;

/* Registers the checker as a listener of cl (borrowed; must outlive it). NULL when out of memory. */
invariants_t* invariants_attach(cluster_t* cl);
void invariants_destroy(invariants_t* inv); /* accepts NULL */
/* The whole-cluster check now (the end of the run); counted like the per-event ones. */
void invariants_check_now(invariants_t* inv, double now);
/* How many checks failed, and the first failure ("t=12.5 s: PM 3: ...") or "" when none. */
size_t invariants_failures(const invariants_t* inv);
const char* invariants_first_failure(const invariants_t* inv);

/* The checks themselves, on plain arrays (unit-testable with hand-made records). Each returns true
 * when consistent, else false with why (one line) filled. */
bool invariants_check_pm(size_t pm, const cluster_pm_t* pms, size_t pm_count, const cluster_vm_t* vms, size_t vm_count,
                         char* why, size_t why_size);
/* first_lost: head of the lost list (cluster_first_lost), CLUSTER_NONE when no VM is lost; absent:
 * VMs in no state (cluster_absent_count: virtual environments not admitted yet, or departed). */
bool invariants_check_all(const cluster_pm_t* pms, size_t pm_count, const cluster_vm_t* vms, size_t vm_count,
                          int32_t first_lost, size_t absent, char* why, size_t why_size);

#endif
