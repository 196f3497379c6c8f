/* Suite "recovery": lost VMs restarted elsewhere (injector.faults.vm_recovery=restart) on real
 * SimGrid runs: a scheduler's own on_vms_lost decides through sched_restart; a table without it
 * (or of ABI 2, which ends before it) gets the default policy, whose choices are checked exactly;
 * a VM without room anywhere stays lost until a repair gives it room. Crashes come from a failure
 * trace, through the injector, as in any run. */
#include "run.h"
#include "sched_ctx.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PMS 4
#define VMS (5 * PMS)
#define MAX_SETS 8

typedef struct scenario {
  const sched_ops_t* ops; /* NULL: scheduler=none */
  const char* trace;      /* failure trace lines */
  const char* sets[MAX_SETS];
} scenario_t;

typedef struct outcome {
  lucsim_err_t err;
  int execute_rc;
  int final_pm[VMS];
  size_t lost_calls, lost_vms; /* on_vms_lost calls and VMs offered */
  restart_totals_t totals;
  double down_vm_s;
} outcome_t;

static outcome_t* current; /* the child's outcome, for the test tables' callbacks */

/* A scheduler of its own: every lost VM restarts on the highest-numbered online PM. */
static int mine_init(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)ctx, (void)err;
  *state = NULL;
  return 0;
}

static void mine_on_vms_lost(sched_ctx_t* ctx, void* state, const size_t* vms, size_t count)
{
  (void)state;
  current->lost_calls++;
  current->lost_vms += count;
  size_t dst = sched_pm_count(ctx) - 1;
  while (!sched_node_is_up(ctx, dst))
    dst--;
  for (size_t i = 0; i < count; i++)
    CU_ASSERT_EQUAL(sched_restart(ctx, vms[i], dst), 0);
  if (count) CU_ASSERT_EQUAL(sched_restart(ctx, vms[0], dst), -1); /* already restarting */
}

static const sched_ops_t mine_ops = {
    .abi_version = 3, .name = "mine", .init = mine_init, .on_vms_lost = mine_on_vms_lost};
/* The same member in an ABI 2 table: the engine must not read it. */
static const sched_ops_t old_ops = {
    .abi_version = 2, .name = "old", .init = mine_init, .on_vms_lost = mine_on_vms_lost};

static int run_child(void* arg, void* blob, size_t size)
{
  (void)size;
  const scenario_t* sc = arg;
  outcome_t* out       = blob;
  current              = out;
  simrun_init_simgrid();
  char trace[] = "/tmp/lucsim-recovery-trace-XXXXXX";
  int fd       = mkstemp(trace);
  if (fd < 0) return 20;
  FILE* f = fdopen(fd, "w");
  fputs(sc->trace, f);
  fclose(f);
  char trace_set[128], tmp[] = "/tmp/lucsim-recovery-XXXXXX";
  snprintf(trace_set, sizeof trace_set, "injector.faults.trace=%s", trace);
  const char* sets[MAX_SETS + 4] = {"injector.faults.vm_recovery=restart", "injector.faults.boot_time=20s", trace_set};
  for (size_t i = 0; i < MAX_SETS && sc->sets[i]; i++)
    sets[3 + i] = sc->sets[i];
  config_t* cfg = malloc(sizeof *cfg);
  int pms       = PMS;
  int rc        = simrun_experiment(cfg, NULL, simrun_craft_small_cluster, &pms, sets, MAX_SETS + 4, tmp, &out->err);
  lucsim_run_t* run = rc == 0 ? run_create_with(cfg, sc->ops, &out->err) : NULL;
  unlink(trace); /* read by run_create */
  if (rc != 0) return rc;
  if (!run) return 21;
  out->execute_rc = run_execute(run, &out->err);
  for (size_t vm = 0; vm < VMS; vm++)
    out->final_pm[vm] = cluster_vm(run->cluster, vm)->pm;
  out->totals    = restart_totals(run->restart);
  out->down_vm_s = cluster_down_vm_seconds(run->cluster, cfg->duration_s);
  run_destroy(run);
  free(cfg);
  return simrun_remove(tmp);
}

static outcome_t run(const scenario_t* sc)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  int rc = simrun_in_child(run_child, (void*)sc, &out, sizeof out);
  if (rc != 0) printf("\n  child status %d: %s: %s\n", rc, out.err.field, out.err.message);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(out.execute_rc, 0);
  return out;
}

static size_t vms_on(const outcome_t* o, int pm)
{
  size_t n = 0;
  for (size_t vm = 0; vm < VMS; vm++)
    n += o->final_pm[vm] == pm;
  return n;
}

/* PM 0 (VMs 0-4) crashes at 10 s: the scheduler's on_vms_lost gets its five VMs once and restarts
 * them on PM 3; they run there from 30 s (20 s of boot). PM 0 comes back empty at 100 s. */
static void test_recovery_scheduler_restarts_through_its_operation(void)
{
  scenario_t sc = {.ops = &mine_ops, .trace = "10,node-0,down\n100,node-0,up\n"};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.lost_calls, 1); /* the repair at 100 s offers nothing: no VM is still lost */
  CU_ASSERT_EQUAL(o.lost_vms, 5);
  CU_ASSERT_EQUAL(vms_on(&o, 3), 10);
  CU_ASSERT_EQUAL(vms_on(&o, 0), 0);
  CU_ASSERT_EQUAL(o.totals.lost, 5);
  CU_ASSERT_EQUAL(o.totals.restarted, 5);
  CU_ASSERT_DOUBLE_EQUAL(o.totals.latency_max_s, 20.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.totals.lost_work_vm_s, 5 * 10.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.down_vm_s, 5 * 20.0, 1e-9);
}

/* Without on_vms_lost, or with it in an ABI 2 table: the default policy. Every PM has 300 load
 * units free, each lost VM needs 80: the most free CPU first, lowest index on ties: PMs 1, 2, 3,
 * then 1 and 2 again. */
static void test_recovery_default_policy_spreads_by_free_cpu(void)
{
  scenario_t sc[] = {{.ops = NULL, .trace = "10,node-0,down\n", .sets = {"scheduler=none"}},
                     {.ops = &old_ops, .trace = "10,node-0,down\n"}};
  for (size_t i = 0; i < 2; i++) {
    outcome_t o = run(&sc[i]);
    CU_ASSERT_EQUAL(o.lost_calls, 0);
    CU_ASSERT_EQUAL(vms_on(&o, 1), 7);
    CU_ASSERT_EQUAL(vms_on(&o, 2), 7);
    CU_ASSERT_EQUAL(vms_on(&o, 3), 6);
    CU_ASSERT_EQUAL(o.totals.restarted, 5);
  }
}

/* VMs of 6 GiB fill the 32 GiB PMs (5 each): the lost VMs find no RAM anywhere and wait, lost,
 * until PM 0's repair at 100 s; then they all restart there (the only PM with room), at 120 s. */
static void test_recovery_without_room_waits_for_a_repair(void)
{
  scenario_t sc = {.ops   = NULL,
                   .trace = "10,node-0,down\n100,node-0,up\n",
                   .sets  = {"scheduler=none", "vms.class.small-10.ram=6GiB"}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(vms_on(&o, 0), 5);
  CU_ASSERT_EQUAL(o.totals.restarted, 5);
  CU_ASSERT_DOUBLE_EQUAL(o.totals.latency_max_s, 110.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.totals.latency_sum_s, 5 * 110.0, 1e-9);
}

CU_TestInfo recovery_tests[] = {
    {"scheduler_restarts_through_its_operation", test_recovery_scheduler_restarts_through_its_operation},
    {"default_policy_spreads_by_free_cpu", test_recovery_default_policy_spreads_by_free_cpu},
    {"without_room_waits_for_a_repair", test_recovery_without_room_waits_for_a_repair},
    CU_TEST_INFO_NULL,
};
