/* The public scheduler API of lucsim: everything a scheduler (built-in or a dlopen'ed plugin) sees.
 * A scheduler is a table of callbacks (sched_ops_t) registered by name. The engine calls init before
 * the simulation, start at t = 0 (create your SimGrid actors there), and fini after the run. Through
 * the opaque sched_ctx_t it reads snapshots of PMs and VMs, charges computation time, migrates VMs,
 * reads its parameters and records its metrics. It never touches the cluster directly.
 * See docs/WRITING-A-SCHEDULER.md for a complete example. */
#ifndef LUCSIM_SCHEDULER_H
#define LUCSIM_SCHEDULER_H

#include "error.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHED_ABI_VERSION 1

typedef struct sched_ctx sched_ctx_t;

typedef struct sched_ops {
  int abi_version;  /* SCHED_ABI_VERSION the table was built against; checked before anything else */
  const char* name; /* value of scheduler= in the experiment file */
  const char* summary; /* one line for `lucsim schedulers` */
  /* Before the simulation: read and validate parameters (sched_param_*), allocate *state (owned by
   * the scheduler, freed in fini). Return 0, or -1 with err filled (bad parameter: exit code 2). */
  int (*init)(sched_ctx_t* ctx, void** state, lucsim_err_t* err);
  /* At t = 0, from the engine's setup: create the scheduler's actors. Optional, may be NULL. */
  void (*start)(sched_ctx_t* ctx, void* state);
  /* A PM became non-viable (called from the cluster's event, do not block). Optional, may be NULL. */
  void (*on_violation)(sched_ctx_t* ctx, void* state, size_t pm);
  /* After the simulation: free state. Optional, may be NULL. */
  void (*fini)(sched_ctx_t* ctx, void* state);
} sched_ops_t;

/* ---- Registry (scheduler/registry.c) ---- */

/* Built-in schedulers, in the order `lucsim schedulers` lists them; NULL-terminated, static storage. */
const sched_ops_t* const* sched_builtins(void);
/* Finds a built-in by name; NULL when unknown. */
const sched_ops_t* sched_find(const char* name);
/* Loads a plugin shared object exporting `const sched_ops_t* lucsim_scheduler(void)`. The handle
 * stays open until the process exits. Returns NULL with err filled (field scheduler.plugin). */
const sched_ops_t* sched_load_plugin(const char* path, lucsim_err_t* err);

/* ---- Context: parameters ---- */

/* Raw value of scheduler parameter key (from <param> or --set scheduler.KEY=V), or NULL. Borrowed. */
const char* sched_param(const sched_ctx_t* ctx, const char* key);
/* Reads a number parameter within [min, max], def when absent. Returns 0, or -1 with err naming the
 * file, line and field scheduler.KEY. Marks the key as used. */
int sched_param_double(sched_ctx_t* ctx, const char* key, double def, double min, double max, double* out,
                       lucsim_err_t* err);
/* Reads one of the words of choices[] (NULL-terminated); *out is its index. */
int sched_param_enum(sched_ctx_t* ctx, const char* key, const char* const* choices, int def, int* out,
                     lucsim_err_t* err);

/* ---- Context: time and platform ---- */

double sched_now(const sched_ctx_t* ctx);
/* Simulated seconds of the whole experiment. */
double sched_end_time(const sched_ctx_t* ctx);
/* Seed of the experiment, to derive the scheduler's own random stream (rng_init_named). */
uint64_t sched_seed(const sched_ctx_t* ctx);
size_t sched_pm_count(const sched_ctx_t* ctx);
size_t sched_vm_count(const sched_ctx_t* ctx);
size_t sched_service_count(const sched_ctx_t* ctx);
sg_host_t sched_pm_host(const sched_ctx_t* ctx, size_t pm);
sg_host_t sched_service_host(const sched_ctx_t* ctx, size_t service);

#endif
