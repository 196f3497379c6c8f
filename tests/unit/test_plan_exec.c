/* Suite "plan_exec": the shared plan executor (scheduler/plan_exec.c) on real SimGrid runs: whole
 * runs (run_create_with + run_execute) in a forked child, driven by a test scheduler table that
 * executes hand-made plans over real snapshots; start and end times are read back from the run's
 * migrations.csv. Not a test of the core's planning, nor of the messages (suite messages). */
#include "run.h"
#include "sched_ctx.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GiB ((uint64_t)1 << 30)
#define MAX_STEPS 4
#define PLAN_AT_S 1.0

/* A hand-made plan over 3 PMs; VMs i are on PM i % 3 (round robin). */
typedef struct scenario {
  const char* cap; /* scheduler.max_migrations_per_pm */
  uint64_t ram;    /* per VM */
  int nsteps;
  int vm[MAX_STEPS]; /* VM moved by step s, from its PM to dst[s] */
  int dst[MAX_STEPS];
  int dep[MAX_STEPS]; /* -1, or the step that must complete before step s */
  int crash_pm;       /* -1, or a PM crashed at crash_at_s */
  double crash_at_s;
  const char* start; /* scheduler.plan_start, NULL: the default (dependencies) */
  int vcpus;         /* per VM, 0: 1 */
  double load;       /* every VM's load, %; 0: 50 */
} scenario_t;

typedef struct outcome {
  int rc;
  sched_plan_report_t rep;
  double start[8], end[8]; /* per VM, from migrations.csv; -1 when it never migrated */
  char status[8][16];
  int final_pm[8];
  size_t overfilling;
} outcome_t;

typedef struct child {
  const scenario_t* sc;
  outcome_t* out;
  lucsim_run_t* run;
} child_t;

static int test_init(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  sched_plan_params_t pp;
  *state = NULL;
  return sched_param_plan(ctx, &pp, err);
}

static void plan_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  child_t* c       = sg_actor_self_get_data();
  sched_ctx_t* ctx = c->run->ctx;
  sg_actor_sleep_until(PLAN_AT_S);
  sched_problem_t* sp      = sched_problem_create();
  const core_problem_t* pb = sched_problem_build(ctx, sp, NULL, 0);
  core_step_t steps[MAX_STEPS];
  uint32_t deps[MAX_STEPS];
  size_t ndeps = 0;
  for (int s = 0; s < c->sc->nsteps; s++) {
    int32_t v = -1;
    for (size_t i = 0; i < pb->vm_count; i++)
      if (pb->vms[i].id == c->sc->vm[s]) v = (int32_t)i;
    steps[s] = (core_step_t){.vm = v, .from = pb->vms[v].node, .to = c->sc->dst[s], .dep_first = (uint32_t)ndeps};
    if (c->sc->dep[s] >= 0) {
      deps[ndeps++]      = (uint32_t)c->sc->dep[s];
      steps[s].dep_count = 1;
    }
  }
  core_result_t res = {.status = CORE_SOLVED, .steps = steps, .step_count = (size_t)c->sc->nsteps, .deps = deps};
  sched_plan_params_t pp;
  sched_param_plan(ctx, &pp, NULL);
  c->out->rc = sched_plan_execute(ctx, sched_service_node(ctx, 0), pb, &res, &pp, &c->out->rep);
  sched_problem_destroy(sp);
}

static void crash_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  child_t* c = sg_actor_self_get_data();
  sg_actor_sleep_until(c->sc->crash_at_s);
  size_t pm = (size_t)c->sc->crash_pm;
  mig_fail_pm(c->run->mig, pm); /* what run.c's injector hook does */
  cluster_pm_crash(c->run->cluster, pm, simgrid_get_clock());
  sched_ctx_node_event(c->run->ctx, pm, false);
}

static void test_start(sched_ctx_t* ctx, void* state)
{
  child_t* c = state;
  (void)ctx;
  struct {
    const char* name;
    void (*fn)(int, char**);
    sg_host_t host;
    bool on;
  } actors[] = {
      {"plan", plan_main, sched_service_host(ctx, 0), true},
      {"crash", crash_main, sched_service_host(ctx, 0), c->sc->crash_pm >= 0},
  };
  for (size_t i = 0; i < sizeof actors / sizeof *actors; i++) {
    if (!actors[i].on) continue;
    sg_actor_t a = sg_actor_init(actors[i].name, actors[i].host);
    sg_actor_set_data(a, c);
    sg_actor_start(a, actors[i].fn, 0, NULL);
  }
}

static const sched_ops_t test_ops = {
    .abi_version = SCHED_ABI_VERSION, .name = "plan-test", .init = test_init, .start = test_start};

static void read_migrations(const char* dir, outcome_t* out)
{
  char path[1200];
  snprintf(path, sizeof path, "%s/migrations.csv", dir);
  FILE* f = fopen(path, "r");
  if (!f) return;
  char line[512];
  if (!fgets(line, sizeof line, f)) { /* header */
    fclose(f);
    return;
  }
  unsigned vm, src, dst;
  double start, end;
  char status[16];
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "%u,%u,%u,%lf,%lf,%*f,%*f,%*d,%*f,%15s", &vm, &src, &dst, &start, &end, status) == 6 && vm < 8) {
      out->start[vm] = start;
      out->end[vm]   = end;
      snprintf(out->status[vm], sizeof out->status[vm], "%s", status);
    }
  fclose(f);
}

static int run_scenario(void* arg, void* blob, size_t size)
{
  (void)size;
  const scenario_t* sc = arg;
  outcome_t* out       = blob;
  for (int i = 0; i < 8; i++)
    out->start[i] = out->end[i] = -1;
  simrun_init_simgrid();
  char tmp[] = "/tmp/lucsim-plan-XXXXXX";
  if (!mkdtemp(tmp)) return 10;
  config_t* cfg = malloc(sizeof *cfg);
  config_init_defaults(cfg);
  cfg->platform.pm_count        = 3;
  cfg->vms.count                = 6;
  cfg->vms.placement            = VM_PLACEMENT_ROUND_ROBIN;
  cfg->vms.class_count          = 1;
  cfg->vms.classes[0].ram_bytes = sc->ram;
  if (sc->vcpus) cfg->vms.classes[0].vcpus = sc->vcpus;
  cfg->duration_s             = 600;
  cfg->injector.load_period_s = 1e12; /* no load change */
  cfg->injector.initial_load  = sc->load > 0 ? sc->load : 50;
  cfg->output.trace           = OUT_TRACE_NONE;
  snprintf(cfg->output.dir, sizeof cfg->output.dir, "%s/r", tmp);
  lucsim_err_t err;
  char set[128];
  snprintf(set, sizeof set, "scheduler.max_migrations_per_pm=%s", sc->cap);
  if (config_apply_set(cfg, set, &err) != 0) return 11;
  snprintf(set, sizeof set, "scheduler.plan_start=%s", sc->start ? sc->start : "dependencies");
  if (config_apply_set(cfg, set, &err) != 0 || config_finish(cfg, &err) != 0) return 11;
  lucsim_run_t* run = run_create_with(cfg, &test_ops, &err);
  if (!run) return 12;
  child_t c        = {.sc = sc, .out = out, .run = run};
  run->sched_state = &c;
  if (run_execute(run, &err) != 0) return 13;
  for (size_t v = 0; v < 6; v++)
    out->final_pm[v] = cluster_vm(run->cluster, v)->pm;
  out->overfilling = sched_ctx_totals(run->ctx)->overfilling_starts;
  run->sched_state = NULL;
  run_destroy(run);
  read_migrations(cfg->output.dir, out);
  char cmd[1100];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  int rc = system(cmd);
  free(cfg);
  return rc == 0 ? 0 : 14;
}

static outcome_t run(const scenario_t* sc)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_scenario, (void*)sc, &out, sizeof out), 0);
  return out;
}

/* VM 0 (PM 0) -> PM 1 and VM 3 (PM 0) -> PM 2, with or without a dependency. */
static scenario_t two_steps(const char* cap, int dep)
{
  return (scenario_t){
      .cap = cap, .ram = GiB, .nsteps = 2, .vm = {0, 3}, .dst = {1, 2}, .dep = {-1, dep}, .crash_pm = -1};
}

static void test_plan_dependent_starts_when_predecessor_completes(void)
{
  scenario_t sc = two_steps("0", 0);
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_OK);
  CU_ASSERT_EQUAL(o.rep.completed, 2);
  CU_ASSERT_DOUBLE_EQUAL(o.start[0], PLAN_AT_S, 1e-9);
  CU_ASSERT(o.end[0] > PLAN_AT_S + 5);                /* 1 GiB at ~121 MB/s */
  CU_ASSERT_DOUBLE_EQUAL(o.start[3], o.end[0], 1e-9); /* on completion, not on start */
  /* exactly (deterministic, the same in every build and context factory; migrations.csv keeps 9
   * decimals): each migration of a 1 GiB VM at 50 % load lasts 9.340948214 s */
  CU_ASSERT_DOUBLE_EQUAL(o.end[0], 10.340948214, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.end[3], 19.681896429, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.rep.first_start_s, o.start[0], 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.rep.reconfiguration_s, o.end[3] - o.start[0], 1e-9);
  CU_ASSERT_EQUAL(o.final_pm[0], 1);
  CU_ASSERT_EQUAL(o.final_pm[3], 2);
  CU_ASSERT_EQUAL(o.overfilling, 0);
}

static void test_plan_independent_steps_start_together_without_cap(void)
{
  scenario_t sc = two_steps("0", -1);
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_OK);
  CU_ASSERT_DOUBLE_EQUAL(o.start[0], PLAN_AT_S, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.start[3], PLAN_AT_S, 1e-9);
}

static void test_plan_per_pm_cap_serializes_outgoing(void)
{
  scenario_t sc = two_steps("1", -1); /* both leave PM 0: one at a time */
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_OK);
  CU_ASSERT_EQUAL(o.rep.completed, 2);
  CU_ASSERT_DOUBLE_EQUAL(o.start[0], PLAN_AT_S, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.start[3], o.end[0], 1e-9);
}

static void test_plan_skips_a_pending_step_whose_pm_crashed(void)
{
  scenario_t sc = two_steps("1", -1);
  sc.crash_pm   = 2; /* destination of the waiting step, while step 0 is in flight */
  sc.crash_at_s = PLAN_AT_S + 1;
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_PARTIAL);
  CU_ASSERT_EQUAL(o.rep.started, 1);
  CU_ASSERT_EQUAL(o.rep.completed, 1); /* the in-flight migration ends normally */
  CU_ASSERT_EQUAL(o.rep.skipped, 1);
  CU_ASSERT_STRING_EQUAL(o.status[0], "ok");
  CU_ASSERT_EQUAL(o.start[3], -1); /* never started */
  CU_ASSERT_EQUAL(o.final_pm[3], 0);
}

/* A destination crash fails the running step (the VM stays on its source); the plan goes on: the
 * other step, independent and now under the cap, starts at the failure and completes. */
static void test_plan_goes_on_when_an_in_flight_migration_fails(void)
{
  scenario_t sc = two_steps("1", -1);
  sc.crash_pm   = 1; /* destination of the running step */
  sc.crash_at_s = PLAN_AT_S + 1;
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_PARTIAL);
  CU_ASSERT_EQUAL(o.rep.started, 2);
  CU_ASSERT_EQUAL(o.rep.failed, 1);
  CU_ASSERT_EQUAL(o.rep.completed, 1);
  CU_ASSERT_EQUAL(o.rep.skipped, 0);
  CU_ASSERT_STRING_EQUAL(o.status[0], "failed");
  CU_ASSERT_EQUAL(o.final_pm[0], 0);
  CU_ASSERT_DOUBLE_EQUAL(o.start[3], PLAN_AT_S + 1, 1e-9);
  CU_ASSERT_STRING_EQUAL(o.status[3], "ok");
  CU_ASSERT_EQUAL(o.final_pm[3], 2);
}

/* A dependent of the failed step is skipped: it never starts. */
static void test_plan_skips_the_dependents_of_a_failed_step(void)
{
  scenario_t sc = two_steps("1", 0); /* step 1 waits for step 0 */
  sc.crash_pm   = 1;
  sc.crash_at_s = PLAN_AT_S + 1;
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_PARTIAL);
  CU_ASSERT_EQUAL(o.rep.started, 1);
  CU_ASSERT_EQUAL(o.rep.failed, 1);
  CU_ASSERT_EQUAL(o.rep.skipped, 1);
  CU_ASSERT_EQUAL(o.start[3], -1);
  CU_ASSERT_EQUAL(o.final_pm[3], 0);
}

static void test_plan_skips_a_step_whose_destination_is_full(void)
{
  /* 16 GiB VMs: PM 1 already holds 32 GiB (VMs 1 and 4), so VM 0 cannot go there; VM 3 -> PM 2
   * cannot either. Nothing leaves those PMs: both steps are skipped, nothing starts. */
  scenario_t sc = two_steps("0", -1);
  sc.ram        = 16 * GiB;
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_PARTIAL);
  CU_ASSERT_EQUAL(o.rep.started, 0);
  CU_ASSERT_EQUAL(o.rep.skipped, 2);
  CU_ASSERT_EQUAL(o.rep.first_start_s, -1);
  CU_ASSERT_EQUAL(o.start[0], -1);
  CU_ASSERT_EQUAL(o.overfilling, 0);
}

static void test_plan_all_at_once_ignores_dependencies(void)
{
  scenario_t sc = two_steps("0", 0);
  sc.start      = "all_at_once";
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.outcome, SCHED_OUTCOME_OK);
  CU_ASSERT_EQUAL(o.rep.completed, 2);
  CU_ASSERT_DOUBLE_EQUAL(o.start[0], PLAN_AT_S, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.start[3], PLAN_AT_S, 1e-9); /* with its predecessor, not after it */
  /* they share PM 0's link and end together, where the dependent run ended them 9.3 s apart */
  CU_ASSERT(fabs(o.end[3] - o.end[0]) < 1.0);
}

static void test_plan_all_at_once_starts_into_a_cpu_full_destination(void)
{
  /* 3-vCPU VMs at 100 %: each PM hosts 600 of its 700; VM 0 -> PM 1 would make 900. The default
   * executor skips the step (nothing leaves PM 1); all_at_once starts it and the start overfills */
  for (int all = 0; all <= 1; all++) {
    scenario_t sc = {.cap      = "0",
                     .ram      = GiB,
                     .nsteps   = 1,
                     .vm       = {0},
                     .dst      = {1},
                     .dep      = {-1},
                     .crash_pm = -1,
                     .start    = all ? "all_at_once" : "dependencies",
                     .vcpus    = 3,
                     .load     = 100};
    outcome_t o   = run(&sc);
    CU_ASSERT_EQUAL(o.rep.started, (size_t)all);
    CU_ASSERT_EQUAL(o.rep.skipped, (size_t)!all);
    CU_ASSERT_EQUAL(o.overfilling, (size_t)all);
    CU_ASSERT_EQUAL(o.final_pm[0], all ? 1 : 0);
  }
}

static void test_plan_all_at_once_keeps_memory_checked(void)
{
  scenario_t sc = two_steps("0", -1); /* the destination-full case: 16 GiB VMs, 32 GiB PMs */
  sc.ram        = 16 * GiB;
  sc.start      = "all_at_once";
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.rep.started, 0);
  CU_ASSERT_EQUAL(o.rep.skipped, 2);
}

CU_TestInfo plan_exec_tests[] = {
    {"dependent_starts_when_predecessor_completes", test_plan_dependent_starts_when_predecessor_completes},
    {"independent_steps_start_together_without_cap", test_plan_independent_steps_start_together_without_cap},
    {"per_pm_cap_serializes_outgoing", test_plan_per_pm_cap_serializes_outgoing},
    {"skips_a_pending_step_whose_pm_crashed", test_plan_skips_a_pending_step_whose_pm_crashed},
    {"goes_on_when_an_in_flight_migration_fails", test_plan_goes_on_when_an_in_flight_migration_fails},
    {"skips_the_dependents_of_a_failed_step", test_plan_skips_the_dependents_of_a_failed_step},
    {"skips_a_step_whose_destination_is_full", test_plan_skips_a_step_whose_destination_is_full},
    {"all_at_once_ignores_dependencies", test_plan_all_at_once_ignores_dependencies},
    {"all_at_once_starts_into_a_cpu_full_destination", test_plan_all_at_once_starts_into_a_cpu_full_destination},
    {"all_at_once_keeps_memory_checked", test_plan_all_at_once_keeps_memory_checked},
    CU_TEST_INFO_NULL,
};
