/* The engine side of the scheduler API (scheduler/scheduler.h): the context a run creates for its
 * scheduler, the totals it keeps, node events, and the engine's calls into the scheduler's table.
 * Implemented by sched_ctx.c on the run's modules. Schedulers never include this header. */
#ifndef LUCSIM_SCHED_CTX_H
#define LUCSIM_SCHED_CTX_H

#include "scheduler.h"

#include <stdio.h>

#include <stdbool.h>
#include <stddef.h>

struct lucsim_run; /* run.h */
struct islands;    /* islands.h */

/* The scheduler context of run (borrowed: must outlive the context), created by run_create before
 * the scheduler's init. Returns NULL when out of memory. Freed with sched_ctx_destroy (accepts NULL). */
sched_ctx_t* sched_ctx_create(struct lucsim_run* run);
void sched_ctx_destroy(sched_ctx_t* ctx);
/* Fails with err when the experiment sets a scheduler parameter the scheduler never read. */
int sched_ctx_check_unused_params(const sched_ctx_t* ctx, lucsim_err_t* err);
/* The parameters the scheduler's init read, as a Markdown table (key, type, default, accepted values,
 * meaning from sched_param_docs; "(undocumented)" without one): lucsim schedulers NAME. */
void sched_ctx_describe_params(const sched_ctx_t* ctx, FILE* f);

/* What the schedulers did, summed over the run (summary.csv columns, and checks in tests). */
typedef struct sched_ctx_totals {
  size_t reconfigurations; /* recorded rounds whose outcome is not nothing-to-do */
  size_t reconfigurations_ok, reconfigurations_no_solution, reconfigurations_aborted;
  double computation_s;        /* charged computation of every recorded round */
  double reconfiguration_s;    /* sum of the rounds' first-start-to-last-end times */
  double partition_pms_sum;    /* sum of partition_pms over the counted rounds */
  size_t site_rounds;          /* counted rounds recorded with their sites (sched_record_round) */
  double round_sites_sum;      /* sum of the sites those rounds spanned */
  size_t round_sites_max;      /* most sites one of them spanned */
  size_t migrations_started;   /* through sched_migrate */
  size_t overfilling_starts;   /* of which put their destination over capacity (arrivals in flight counted) */
  double wan_message_bytes;    /* bytes of delivered messages and transfers between nodes of different sites */
  size_t leader_changes;       /* sched_set_leader: leaders named after the first (take-overs) */
  double scheduler_downtime_s; /* closed leaderless stretches; sched_ctx_scheduler_downtime adds the open one */
  size_t core_solves;          /* sched_record_solve: core solves of the rounds */
  size_t core_solves_glpk;     /* of which GLPK ran in */
} sched_ctx_totals_t;
const sched_ctx_totals_t* sched_ctx_totals(const sched_ctx_t* ctx); /* borrowed, valid until destroy */
/* Node (PM or service node, the injector's numbering) went down (up false) or came back: updates
 * sched_node_is_up and calls the scheduler's on_node_crash / on_node_recover. */
void sched_ctx_node_event(sched_ctx_t* ctx, size_t node, bool up);
/* The time until end_s without a leader or with its node down (sched_set_leader), NAN when the
 * scheduler never named one. */
double sched_ctx_scheduler_downtime(const sched_ctx_t* ctx, double end_s);
/* The run's islands (backbone link failures), or NULL when no link may fail. */
const struct islands* sched_ctx_islands(const sched_ctx_t* ctx);
/* A message or transfer of `bytes` went from node `from` to node `to` (sim/sched_msg.c calls it once
 * the bytes arrived): counted in wan_message_bytes when the two nodes' sites differ. */
void sched_ctx_count_message(sched_ctx_t* ctx, size_t from, size_t to, double bytes);

/* ---- Calls into the scheduler's table ----
 * The engine calls a scheduler only through these, the one place that knows which members a table
 * has: a member later than the table's abi_version is never read (the table may end before it),
 * and an optional member left NULL is skipped. init is required (the registry checks plugins). */

static inline int sched_ops_init(const sched_ops_t* ops, sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  return ops->init(ctx, state, err);
}

static inline void sched_ops_start(const sched_ops_t* ops, sched_ctx_t* ctx, void* state)
{
  if (ops->abi_version >= 1 && ops->start) ops->start(ctx, state);
}

/* Whether the scheduler wants on_violation calls (the engine observes the monitor only then). */
static inline bool sched_ops_has_on_violation(const sched_ops_t* ops)
{
  return ops->abi_version >= 1 && ops->on_violation;
}

static inline void sched_ops_on_violation(const sched_ops_t* ops, sched_ctx_t* ctx, void* state, size_t pm)
{
  if (sched_ops_has_on_violation(ops)) ops->on_violation(ctx, state, pm);
}

static inline void sched_ops_fini(const sched_ops_t* ops, sched_ctx_t* ctx, void* state)
{
  if (ops->abi_version >= 1 && ops->fini) ops->fini(ctx, state);
}

static inline void sched_ops_on_node_crash(const sched_ops_t* ops, sched_ctx_t* ctx, void* state, size_t node)
{
  if (ops->abi_version >= 2 && ops->on_node_crash) ops->on_node_crash(ctx, state, node);
}

static inline void sched_ops_on_node_recover(const sched_ops_t* ops, sched_ctx_t* ctx, void* state, size_t node)
{
  if (ops->abi_version >= 2 && ops->on_node_recover) ops->on_node_recover(ctx, state, node);
}

/* The table's on_vms_lost; false when it has none (the caller applies sched_restart_default). */
static inline bool sched_ops_on_vms_lost(const sched_ops_t* ops, sched_ctx_t* ctx, void* state, const size_t* vms,
                                         size_t count)
{
  if (ops->abi_version < 3 || !ops->on_vms_lost) return false;
  ops->on_vms_lost(ctx, state, vms, count);
  return true;
}

#endif
