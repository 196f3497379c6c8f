/* trace_t: lucsim's own streaming Paje writer (trace.paje; docs/DESIGN.md §7 says why not SimGrid's tracing).
 * It writes the Paje header, one container per PM and per service node (nested in one per site on a
 * multi-site platform), PM and scheduler states, variables and migration links straight to a
 * buffered FILE*, with tables sized at open: memory does not grow with the run length. It is not the violation
 * accounting (monitor) and decides nothing: the engine calls it, with non-decreasing times. Hierarchy, types and
 * values: docs/TRACE.md. */
#ifndef LUCSIM_TRACE_H
#define LUCSIM_TRACE_H

#include "config.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_BUFFER_BYTES (1u << 20) /* stdio buffer of the trace file (setvbuf) */

typedef struct trace trace_t;

/* Values of the PM_STATE type (Paje entity values of the same names). */
typedef enum {
  TRACE_PM_NORMAL = 0,    /* "normal": viable */
  TRACE_PM_VIOLATION,     /* "violation": non-viable because of load, no scheduler handles it yet */
  TRACE_PM_VIOLATION_DET, /* "violation-det": non-viable because of load, a scheduler handles it */
  TRACE_PM_VIOLATION_OUT, /* "violation-out": non-viable because of an incoming migration */
  TRACE_PM_OFF,           /* "off": crashed, until recovery */
  TRACE_PM_STATE_COUNT
} trace_pm_state_t;

/* Values of the SCHED_STATE type (on PMs for DVMS agents, on service nodes for Entropy/Snooze). */
typedef enum {
  TRACE_SCHED_FREE = 0,    /* "free" */
  TRACE_SCHED_BOOKED,      /* "booked": part of a partition (DVMS) */
  TRACE_SCHED_COMPUTE,     /* "compute": solving (charged computation time) */
  TRACE_SCHED_RECONFIGURE, /* "reconfigure": applying a plan (migrations in flight) */
  TRACE_SCHED_STATE_COUNT
} trace_sched_state_t;

/* Variables of a PM container. */
typedef enum {
  TRACE_PM_CPU_DEMAND = 0, /* "cpu_demand": sum of the hosted VMs' demands, load units (100 = one core) */
  TRACE_PM_VM_COUNT,       /* "vm_count": hosted VMs */
  TRACE_PM_VAR_COUNT
} trace_pm_var_t;

/* Variables of the root container. */
typedef enum {
  TRACE_ROOT_GLOBAL_LOAD = 0,  /* "global_load": cluster load, % of the online CPU capacity */
  TRACE_ROOT_PMS_IN_VIOLATION, /* "pms_in_violation": PMs in any violation state */
  TRACE_ROOT_VAR_COUNT
} trace_root_var_t;

/* The sites of a multi-site platform, for the container hierarchy (borrowed for trace_open only). */
typedef struct trace_sites {
  size_t count;               /* sites; <= 1: the flat hierarchy (root > PM, root > SERVICE) */
  const size_t* pm_site;      /* pm_count entries: each PM's site */
  const size_t* service_site; /* service_count entries: each service node's site */
} trace_sites_t;

/* Opens the trace at path (created or truncated) and writes the header and the containers at t = 0.
 * mode (output.trace): OUT_TRACE_NONE opens no file and returns a handle that ignores every call;
 * OUT_TRACE_STATES writes states only (no variable, no link, not even their types); OUT_TRACE_FULL
 * writes everything. path is borrowed (copied for messages). Returns a handle owned by the caller
 * (trace_close then trace_destroy), or NULL with err filled (field "output.trace", the path as file)
 * when the file cannot be created or memory runs out. Every trace_* call below accepts NULL (no-op).
 * A PM whose state is not set at t = 0 starts "normal"; scheduler states start unset. sites NULL, or
 * of one site, writes the flat hierarchy; with more sites, one SITE container per site (alias t<k>,
 * name site-<k>) holds that site's PM and SERVICE containers. */
trace_t* trace_open(const char* path, out_trace_t mode, size_t pm_count, size_t service_count,
                    const trace_sites_t* sites, lucsim_err_t* err);

/* Sets PM pm's PM_STATE at time_s. Not written when the state is unchanged. */
void trace_pm_state(trace_t* tr, double time_s, size_t pm, trace_pm_state_t state);

/* Sets the SCHED_STATE of the scheduler agent on service node `index` (on_service_node) or on
 * PM `index` (otherwise) at time_s. Not written when unchanged. */
void trace_sched_state(trace_t* tr, double time_s, bool on_service_node, size_t index, trace_sched_state_t state);

/* Sets a PM variable (full mode only). Not written when equal to the last written value. */
void trace_pm_variable(trace_t* tr, double time_s, size_t pm, trace_pm_var_t var, double value);

/* Sets a root variable (full mode only). Not written when equal to the last written value. */
void trace_root_variable(trace_t* tr, double time_s, trace_root_var_t var, double value);

/* A MIGRATION link from src_pm to dst_pm, keyed by the migration id (unique among migrations in
 * flight). Call _end when the migration completes or aborts (full mode only). Links still open at
 * trace_close end there, at end_time, on their destination; at most TRACE_MAX_OPEN_LINKS(pm_count)
 * links are tracked at once (a warning is logged once beyond that, and such a link stays open). */
void trace_migration_start(trace_t* tr, double time_s, uint64_t id, size_t src_pm, size_t dst_pm);
void trace_migration_end(trace_t* tr, double time_s, uint64_t id, size_t src_pm, size_t dst_pm);
#define TRACE_MAX_OPEN_LINKS(pm_count) (4 * (size_t)(pm_count) + 1024)

/* Bytes written so far (buffered ones included); 0 in none mode. */
uint64_t trace_bytes_written(const trace_t* tr);
/* Paje events written so far (header excluded). */
uint64_t trace_events_written(const trace_t* tr);

/* Ends open links, destroys every container at end_time_s, flushes and closes the file. Later calls
 * are ignored. Returns 0, or -1 with err filled when a write or the close failed (disk full...). */
int trace_close(trace_t* tr, double end_time_s, lucsim_err_t* err);

/* Frees the handle; closes the file first if trace_close was not called (the trace is then left
 * without its container ends). Accepts NULL. */
void trace_destroy(trace_t* tr);

#endif
