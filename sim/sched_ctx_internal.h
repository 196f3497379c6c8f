/* The scheduler context's state, shared by the engine files that implement scheduler.h on it:
 * sched_ctx.c (context, nodes, migrations, records) and sched_params.c (parameters). Not for
 * schedulers, nor for the rest of the engine (sched_ctx.h). */
#ifndef LUCSIM_SCHED_CTX_INTERNAL_H
#define LUCSIM_SCHED_CTX_INTERNAL_H

#include "run.h"
#include "sched_ctx.h"

/* One migration started through sched_migrate: the scheduler's callback, recycled through a free list.
 * Every one allocated is also on the all_tramps list, so those still in flight when the simulation
 * ends (their callback never runs) are freed with the context. */
typedef struct sched_tramp {
  struct sched_ctx* ctx;
  sched_mig_fn fn;
  void* userdata;
  struct sched_tramp* next_free;
  struct sched_tramp* next_all;
} sched_tramp_t;

#define SCHED_CTX_MAX_READ 64
#define SCHED_ROUTE_MEMO_BITS 16 /* 64K routes, 1.5 MiB */
#define SCHED_ROUTE_MEMO_SIZE ((size_t)1 << SCHED_ROUTE_MEMO_BITS)

struct sched_ctx {
  lucsim_run_t* run;
  bool param_used[LUCSIM_MAX_SCHED_PARAMS];
  char param_read[SCHED_CTX_MAX_READ][LUCSIM_NAME_MAX]; /* keys the scheduler asked for: "did you mean" */
  size_t param_read_count;
  struct sched_param_desc { /* how each key was read: lucsim schedulers NAME */
    char type[8], def[64], accepted[256];
  } param_desc[SCHED_CTX_MAX_READ];
  const sched_param_doc_t* param_docs[8]; /* the meanings (sched_param_docs), tables in call order */
  size_t param_doc_count;
  size_t node_count;   /* PMs + service nodes */
  uint8_t* node_state; /* sched_state_t per node */
  bool* node_down;     /* per node: crashed and not recovered */
  size_t* site_first;  /* site s's PMs are site_pms[site_first[s] .. site_first[s + 1]) */
  size_t* site_pms;
  sched_tramp_t* free_tramps;
  sched_tramp_t* all_tramps;
  sched_ctx_totals_t totals;
  /* sched_set_leader: the central node, and since when the scheduler has been without one */
  bool leader_named;
  bool leader_running;     /* a leader is named now (not SCHED_NO_LEADER) */
  size_t leader;           /* the last one named */
  double leaderless_since; /* NAN while a leader runs on an up node */
  /* sched_pm_power_on/off (sched_power.c): one pending transition per PM at most */
  struct sched_power_job {
    struct sched_ctx* ctx;
    size_t pm;
  } * power_jobs;  /* pm_count entries, allocated at the first transition */
  FILE* power_csv; /* owned by the stats: power.csv, opened at the first transition */
  /* sched_message_transit: the network model's factors, read from SimGrid's configuration once */
  bool transit_ready; /* set by the first call */
  double latency_factor, bandwidth_factor;
  struct sched_route_memo { /* sched_message_transit's memo of routes (sched_msg.c) */
    uint32_t from, to;      /* from = UINT32_MAX: an empty entry */
    double latency, bandwidth;
  } * route_memo; /* SCHED_ROUTE_MEMO_SIZE entries from the first call where links never change, else NULL */
};

#endif
