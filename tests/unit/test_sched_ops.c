/* Tests of the engine's calls into a scheduler table (sim/sched_ctx.h, sched_ops_*): a member later
 * than the table's abi_version is never called, optional members left NULL are skipped, and the
 * others are called with the engine's arguments. The tables here are whole sched_ops_t objects:
 * "version 1" tables carry version-2 members that must be ignored. */
#include "sched_ctx.h"

#include <CUnit/CUnit.h>

typedef struct calls {
  int init, start, violation, fini, crash, recover;
  size_t last; /* pm or node of the last call */
} calls_t;

static int init_cb(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)ctx;
  ((calls_t*)*state)->init++;
  return lucsim_err_set(err, NULL, 0, "scheduler.x", "refused");
}
static void start_cb(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  ((calls_t*)state)->start++;
}
static void violation_cb(sched_ctx_t* ctx, void* state, size_t pm)
{
  (void)ctx;
  ((calls_t*)state)->violation++;
  ((calls_t*)state)->last = pm;
}
static void fini_cb(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  ((calls_t*)state)->fini++;
}
static void crash_cb(sched_ctx_t* ctx, void* state, size_t node)
{
  (void)ctx;
  ((calls_t*)state)->crash++;
  ((calls_t*)state)->last = node;
}
static void recover_cb(sched_ctx_t* ctx, void* state, size_t node)
{
  (void)ctx;
  ((calls_t*)state)->recover++;
  ((calls_t*)state)->last = node;
}

static sched_ops_t full_table(int abi_version)
{
  return (sched_ops_t){.abi_version     = abi_version,
                       .name            = "t",
                       .init            = init_cb,
                       .start           = start_cb,
                       .on_violation    = violation_cb,
                       .fini            = fini_cb,
                       .on_node_crash   = crash_cb,
                       .on_node_recover = recover_cb};
}

/* Calls every wrapper once (pm 3, node 7). */
static void call_all(const sched_ops_t* ops, calls_t* c)
{
  void* state = c;
  lucsim_err_t err;
  CU_ASSERT_EQUAL(sched_ops_init(ops, NULL, &state, &err), -1);
  sched_ops_start(ops, NULL, c);
  sched_ops_on_violation(ops, NULL, c, 3);
  sched_ops_on_node_crash(ops, NULL, c, 7);
  sched_ops_on_node_recover(ops, NULL, c, 7);
  sched_ops_fini(ops, NULL, c);
}

static void test_sched_ops_version_1_table_gets_no_node_events(void)
{
  sched_ops_t ops = full_table(1);
  calls_t c       = {0};
  call_all(&ops, &c);
  CU_ASSERT_EQUAL(c.init, 1);
  CU_ASSERT_EQUAL(c.start, 1);
  CU_ASSERT_EQUAL(c.violation, 1);
  CU_ASSERT_EQUAL(c.fini, 1);
  CU_ASSERT_EQUAL(c.crash, 0);
  CU_ASSERT_EQUAL(c.recover, 0);
  CU_ASSERT_EQUAL(c.last, 3);
  CU_ASSERT_TRUE(sched_ops_has_on_violation(&ops));
}

static void test_sched_ops_version_2_table_gets_every_call(void)
{
  sched_ops_t ops = full_table(SCHED_ABI_VERSION);
  calls_t c       = {0};
  call_all(&ops, &c);
  CU_ASSERT_EQUAL(c.init, 1);
  CU_ASSERT_EQUAL(c.start, 1);
  CU_ASSERT_EQUAL(c.violation, 1);
  CU_ASSERT_EQUAL(c.fini, 1);
  CU_ASSERT_EQUAL(c.crash, 1);
  CU_ASSERT_EQUAL(c.recover, 1);
  CU_ASSERT_EQUAL(c.last, 7);
}

static void test_sched_ops_null_members_are_skipped(void)
{
  sched_ops_t ops = {.abi_version = SCHED_ABI_VERSION, .name = "t", .init = init_cb};
  calls_t c       = {0};
  call_all(&ops, &c); /* would crash on a NULL member */
  CU_ASSERT_EQUAL(c.init, 1);
  CU_ASSERT_FALSE(sched_ops_has_on_violation(&ops));
}

static void test_sched_ops_init_returns_the_schedulers_error(void)
{
  sched_ops_t ops = full_table(1);
  calls_t c       = {0};
  void* state     = &c;
  lucsim_err_t err;
  CU_ASSERT_EQUAL(sched_ops_init(&ops, NULL, &state, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "scheduler.x");
  CU_ASSERT_STRING_EQUAL(err.message, "refused");
}

CU_TestInfo sched_ops_tests[] = {
    {"version_1_table_gets_no_node_events", test_sched_ops_version_1_table_gets_no_node_events},
    {"version_2_table_gets_every_call", test_sched_ops_version_2_table_gets_every_call},
    {"null_members_are_skipped", test_sched_ops_null_members_are_skipped},
    {"init_returns_the_schedulers_error", test_sched_ops_init_returns_the_schedulers_error},
    CU_TEST_INFO_NULL,
};
