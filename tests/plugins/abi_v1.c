/* Test plugin "abi-v1": a scheduler table laid out as scheduler ABI version 1, i.e. sched_ops_t
 * without the members version 2 added (on_node_crash, on_node_recover), as a plugin built before
 * version 2 has it. tests/tests.cmake builds it as abi_v1.so, and with TEST_PLUGIN_ABI set as the
 * tables the registry must refuse (abi_v0.so, abi_negative.so, abi_future.so); tests/e2e/plugin.sh
 * loads them. Not a policy: it marks each violation detected and logs it to abi_v1.csv. */
#include "scheduler.h"

#include <stdlib.h>

#ifndef TEST_PLUGIN_ABI
#define TEST_PLUGIN_ABI 1
#endif

/* sched_ops_t as version 1 laid it out: the table ends after fini. */
typedef struct sched_ops_v1 {
  int abi_version;
  const char* name;
  const char* summary;
  int (*init)(sched_ctx_t* ctx, void** state, lucsim_err_t* err);
  void (*start)(sched_ctx_t* ctx, void* state);
  void (*on_violation)(sched_ctx_t* ctx, void* state, size_t pm);
  void (*fini)(sched_ctx_t* ctx, void* state);
} sched_ops_v1_t;

typedef struct abi_v1 {
  FILE* csv; /* abi_v1.csv, owned by the engine; NULL when it could not be opened */
} abi_v1_t;

static int init_abi_v1(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)ctx;
  abi_v1_t* s = calloc(1, sizeof *s);
  if (!s) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  *state = s;
  return 0;
}

static void start_abi_v1(sched_ctx_t* ctx, void* state)
{
  abi_v1_t* s = state;
  s->csv      = sched_open_csv(ctx, "abi_v1.csv");
  if (s->csv) fputs("time_s,pm\n", s->csv);
}

static void on_violation_abi_v1(sched_ctx_t* ctx, void* state, size_t pm)
{
  abi_v1_t* s = state;
  sched_mark_detected(ctx, pm);
  if (s->csv) fprintf(s->csv, "%.9f,%zu\n", sched_now(ctx), pm);
}

static void fini_abi_v1(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  free(state);
}

static const sched_ops_v1_t abi_v1_ops = {
    .abi_version  = TEST_PLUGIN_ABI,
    .name         = "abi-v1",
    .summary      = "test: a version-1 table that marks violations detected",
    .init         = init_abi_v1,
    .start        = start_abi_v1,
    .on_violation = on_violation_abi_v1,
    .fini         = fini_abi_v1,
};

/* The plugin entry point: the engine reads the table as a sched_ops_t, up to its version's members. */
const sched_ops_t* lucsim_scheduler(void)
{
  return (const sched_ops_t*)(const void*)&abi_v1_ops;
}
