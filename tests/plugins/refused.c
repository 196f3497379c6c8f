/* Test plugins the registry must refuse (suite "registry", tests/unit/test_registry.c), one shared
 * object per TEST_PLUGIN_DEFECT (tests/tests.cmake builds refused_<defect>.so):
 *   NO_ENTRY      exports no lucsim_scheduler(), only a misspelt one
 *   NO_TABLE      lucsim_scheduler() returns NULL
 *   NO_INIT       the table has no init
 *   BUILTIN_NAME  the table is named like a built-in scheduler ("entropy")
 * Apart from its defect, each is a valid table of the current ABI version that does nothing. */
#include "scheduler.h"

#define NO_ENTRY 1
#define NO_TABLE 2
#define NO_INIT 3
#define BUILTIN_NAME 4
#ifndef TEST_PLUGIN_DEFECT
#error "TEST_PLUGIN_DEFECT must name the defect"
#endif

#if TEST_PLUGIN_DEFECT != NO_INIT
static int init_refused(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)ctx, (void)err;
  *state = NULL;
  return 0;
}
#endif

static const sched_ops_t refused_ops = {
    .abi_version = SCHED_ABI_VERSION,
#if TEST_PLUGIN_DEFECT == BUILTIN_NAME
    .name = "entropy",
#else
    .name = "refused-test",
#endif
    .summary = "test: a table the registry refuses",
#if TEST_PLUGIN_DEFECT != NO_INIT
    .init = init_refused,
#endif
};

#if TEST_PLUGIN_DEFECT == NO_ENTRY
const sched_ops_t* lucsim_schedular(void)
#else
const sched_ops_t* lucsim_scheduler(void)
#endif
{
#if TEST_PLUGIN_DEFECT == NO_TABLE
  (void)refused_ops;
  return NULL;
#else
  return &refused_ops;
#endif
}
