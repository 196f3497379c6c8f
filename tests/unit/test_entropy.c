/* Suite "entropy": the Entropy scheduler and the example scheduler on whole real runs (run_create +
 * run_execute in a forked child: SimGrid, the core with GLPK, migrations, the monitor): a crafted
 * overload that Entropy removes and none keeps, the computation-time models, the invariant that no
 * plan step overfills its destination (on the VMPlaceS 128-PM experiment, read by libxml2), and
 * parameter errors. Not the plan executor's own cases (suite plan_exec). */
#include "run.h"
#include "sched_ctx.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sched_ops_t* lucsim_scheduler(void); /* scheduler/examples/least_loaded.c, compiled in */

#define MAX_SETS 4

typedef struct scenario {
  const char* file;           /* experiment file under the source tree, or NULL: the crafted one */
  const char* sets[MAX_SETS]; /* --set overrides */
  bool example;               /* run the example table instead of cfg's scheduler */
  int pms;                    /* crafted: PMs (PM 0 overloaded at t = 0) */
} scenario_t;

typedef struct outcome {
  int create_rc, execute_rc;
  lucsim_err_t err;
  mon_totals_t mon;
  sched_ctx_totals_t sched;
  size_t migrations_ok, rows;
} outcome_t;

static size_t count_lines(const char* dir, const char* name)
{
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "r");
  if (!f) return 0;
  size_t n = 0;
  for (int ch; (ch = fgetc(f)) != EOF;)
    n += ch == '\n';
  fclose(f);
  return n;
}

/* Crafted (simrun_craft_small_cluster): at t = 0 run_child raises the VMs of PM 0 to 80 % (demand 800 > 700). */

static int run_child(void* arg, void* blob, size_t size)
{
  (void)size;
  const scenario_t* sc = arg;
  outcome_t* out       = blob;
  simrun_init_simgrid();
  char tmp[]    = "/tmp/lucsim-entropy-XXXXXX";
  config_t* cfg = malloc(sizeof *cfg);
  int rc = simrun_experiment(cfg, sc->file, simrun_craft_small_cluster, &sc->pms, sc->sets, MAX_SETS, tmp, &out->err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create_with(cfg, sc->example ? lucsim_scheduler() : NULL, &out->err);
  out->create_rc    = run ? 0 : -1;
  if (run) {
    if (!sc->file)
      for (size_t vm = 0; vm < 5; vm++) /* fill: VMs 0-4 are on PM 0 */
        cluster_set_load(run->cluster, vm, 80, 0);
    out->execute_rc    = run_execute(run, &out->err);
    out->mon           = mon_totals(run->mon);
    out->sched         = *sched_ctx_totals(run->ctx);
    out->migrations_ok = run->counters.migrations_ok;
    run_destroy(run);
    out->rows = count_lines(cfg->output.dir, "reconfigurations.csv");
  }
  free(cfg);
  return simrun_remove(tmp);
}

static outcome_t run(const scenario_t* sc)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_child, (void*)sc, &out, sizeof out), 0);
  return out;
}

static void test_entropy_removes_a_violation_that_none_keeps(void)
{
  scenario_t none = {.pms = 4, .sets = {"scheduler=none"}};
  scenario_t ent  = {.pms = 4, .sets = {"scheduler=entropy"}};
  outcome_t n     = run(&none);
  outcome_t e     = run(&ent);
  CU_ASSERT_EQUAL_FATAL(e.execute_rc, 0);
  /* none: PM 0 stays overloaded the whole run */
  CU_ASSERT_DOUBLE_EQUAL(n.mon.violation_s, 300.0, 1e-6);
  CU_ASSERT_EQUAL(n.migrations_ok, 0);
  /* entropy: first round at 30 s, one 1 GiB migration (~9 s): the margin is at least 5x */
  CU_ASSERT(e.mon.violation_s > 30.0);
  CU_ASSERT(e.mon.violation_s < n.mon.violation_s / 5);
  /* exactly (a deterministic run, the same in every build and context factory): 30 s, the first
   * round's gathering (4 x 1 KiB) and charged computation, then the migration of a 1 GiB VM at 80 %
   * load (10.6 s) */
  CU_ASSERT_DOUBLE_EQUAL(e.mon.violation_s, 40.613687181505142, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(e.mon.violation_out_s, 0.0, 1e-12);
  CU_ASSERT_EQUAL(e.mon.detected, 1);
  CU_ASSERT_EQUAL(e.migrations_ok, 1);
  CU_ASSERT_EQUAL(e.sched.reconfigurations, 1);
  CU_ASSERT_EQUAL(e.sched.reconfigurations_ok, 1);
  CU_ASSERT_EQUAL(e.sched.overfilling_starts, 0);
  CU_ASSERT_DOUBLE_EQUAL(e.sched.partition_pms_sum, 4.0, 1e-12);
  /* rounds at 30, 60, ..., 270 s: 9 rows and the header */
  CU_ASSERT_EQUAL(e.rows, 10);
}

static void test_entropy_like_model_charges_min_30_pms_over_8(void)
{
  /* 16 PMs: 16 / 8 = 2 s for the one round with something to do (at 30 s); the 8 other rounds
   * (60 .. 270 s) find every PM viable and are charged the cost model, as Entropy stops at once */
  scenario_t det = {.pms = 16, .sets = {"scheduler=entropy"}};
  scenario_t ent = {.pms = 16, .sets = {"scheduler=entropy", "scheduler.compute_model=entropy-like"}};
  outcome_t d    = run(&det);
  outcome_t e    = run(&ent);
  CU_ASSERT(d.sched.computation_s > 0 && d.sched.computation_s < 0.01);
  /* the core's cost model is deterministic: 9 rounds over 16 PMs charge 6.85624e-05 s in all */
  CU_ASSERT_DOUBLE_EQUAL(d.sched.computation_s, 6.85624e-05, 1e-12);
  CU_ASSERT(e.sched.computation_s > 2.0 && e.sched.computation_s < 2.0 + d.sched.computation_s);
  /* the 2 s charge delays the one migration: the violation lasts that much longer */
  double det_round = d.sched.computation_s / 9;
  CU_ASSERT_DOUBLE_EQUAL(e.mon.violation_s - d.mon.violation_s, 2.0 - det_round, 1e-3);
  /* exactly: 30 s + the first round's gathering (16 x 1 KiB) and charge + one migration of the VM
   * at 80 % load */
  CU_ASSERT_DOUBLE_EQUAL(d.mon.violation_s, 40.613790016635036, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(e.mon.violation_s, 42.613781927835035, 1e-9);
}

static void test_entropy_uncapped_model_charges_pms_over_8(void)
{
  /* 256 PMs: 256 / 8 = 32 s; entropy-like caps it at 30 s. Only the first round has work */
  scenario_t capped   = {.pms = 256, .sets = {"scheduler=entropy", "scheduler.compute_model=entropy-like"}};
  scenario_t uncapped = {.pms = 256, .sets = {"scheduler=entropy", "scheduler.compute_model=entropy-uncapped"}};
  outcome_t c         = run(&capped);
  outcome_t u         = run(&uncapped);
  CU_ASSERT_EQUAL_FATAL(u.execute_rc, 0);
  CU_ASSERT(c.sched.computation_s > 30.0 && c.sched.computation_s < 30.01);
  CU_ASSERT(u.sched.computation_s > 32.0 && u.sched.computation_s < 32.01);
  CU_ASSERT_EQUAL(u.migrations_ok, 1);
  /* the same plan, applied 2 s later */
  CU_ASSERT_DOUBLE_EQUAL(u.mon.violation_s - c.mon.violation_s, 2.0, 1e-3);
}

static void test_entropy_never_overfills_a_destination_on_vmplaces_128(void)
{
  /* first fit packs receivers and migrates most (the harder case for the room check); worst fit is the default */
  const char* caps[]        = {"scheduler.max_migrations_per_pm=2", "scheduler.max_migrations_per_pm=0"};
  const char* placements[]  = {"scheduler.placement=first_fit", "scheduler.placement=worst_fit"};
  const size_t min_starts[] = {300, 150};
  /* exact counts of these deterministic runs (identical in every build and context factory), in
   * the order of i: (cap 2, first fit), (no cap, first fit), (cap 2, worst fit), (no cap, worst fit) */
  const size_t starts[] = {646, 638, 203, 203};
  const size_t rounds[] = {108, 98, 91, 91};
  for (size_t i = 0; i < 4; i++) {
    scenario_t sc = {.file = "workloads/vmplaces-128.xml",
                     .sets = {"scheduler=entropy", caps[i % 2], placements[i / 2]}};
    outcome_t o   = run(&sc);
    CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
    CU_ASSERT(o.sched.migrations_started > min_starts[i / 2]);
    CU_ASSERT_EQUAL(o.sched.migrations_started, starts[i]);
    CU_ASSERT_EQUAL(o.sched.overfilling_starts, 0);
    CU_ASSERT(o.sched.reconfigurations > 50);
    CU_ASSERT_EQUAL(o.sched.reconfigurations, rounds[i]);
    CU_ASSERT_EQUAL(o.sched.reconfigurations_no_solution, 0);
    CU_ASSERT_DOUBLE_EQUAL(o.sched.partition_pms_sum / (double)o.sched.reconfigurations, 128.0, 1e-9);
  }
}

static void test_entropy_rejects_bad_parameters(void)
{
  struct {
    const char* set;
    const char* field;
    const char* message;
  } cases[] = {
      {"scheduler.period=-1", "scheduler.period", "-1 is negative; expected a time in [0.001, 1000000000] seconds"},
      {"scheduler.period=30x", "scheduler.period", "'30x' is not a time (e.g. 50us, 30ms, 300s, 1h or seconds)"},
      {"scheduler.objective=energy", "scheduler.objective", "'energy' is not a known value; expected migrations | ram"},
      {"scheduler.compute_model=measured", "scheduler.compute_model",
       "'measured' is not a known value; expected deterministic | entropy-like | entropy-uncapped"},
      {"scheduler.max_migrations_per_pm=x", "scheduler.max_migrations_per_pm",
       "'x' is not a number; expected a value in [0, 1024]"},
      {"scheduler.frobnicate=1", "scheduler.frobnicate", "scheduler 'entropy' has no parameter 'frobnicate'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    scenario_t sc = {.pms = 4, .sets = {"scheduler=entropy", cases[i].set}};
    outcome_t o   = run(&sc);
    CU_ASSERT_EQUAL(o.create_rc, -1);
    CU_ASSERT_STRING_EQUAL(o.err.field, cases[i].field);
    CU_ASSERT_STRING_EQUAL(o.err.message, cases[i].message);
  }
  scenario_t none = {.pms = 4, .sets = {"scheduler=entropy", "platform.service_nodes=0"}};
  outcome_t o     = run(&none);
  CU_ASSERT_EQUAL(o.create_rc, -1);
  CU_ASSERT_STRING_EQUAL(o.err.field, "platform.service_nodes");
}

static void test_example_scheduler_table_runs_end_to_end(void)
{
  scenario_t sc = {.pms = 4, .example = true};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
  /* period 10 s: one migration from PM 0 at 10 s, then PM 0 is viable */
  CU_ASSERT_EQUAL(o.migrations_ok, 1);
  CU_ASSERT(o.mon.violation_s > 10.0 && o.mon.violation_s < 30.0);
  /* exactly: the round at 10 s, then one migration of a 1 GiB VM at 80 % load (10.6 s) */
  CU_ASSERT_DOUBLE_EQUAL(o.mon.violation_s, 20.612352277661866, 1e-9);
  CU_ASSERT_EQUAL(o.mon.detected, 1);
  CU_ASSERT_EQUAL(o.sched.overfilling_starts, 0);
}

CU_TestInfo entropy_tests[] = {
    {"removes_a_violation_that_none_keeps", test_entropy_removes_a_violation_that_none_keeps},
    {"entropy_like_model_charges_min_30_pms_over_8", test_entropy_like_model_charges_min_30_pms_over_8},
    {"entropy_uncapped_model_charges_pms_over_8", test_entropy_uncapped_model_charges_pms_over_8},
    {"never_overfills_a_destination_on_vmplaces_128", test_entropy_never_overfills_a_destination_on_vmplaces_128},
    {"rejects_bad_parameters", test_entropy_rejects_bad_parameters},
    {"example_scheduler_table_runs_end_to_end", test_example_scheduler_table_runs_end_to_end},
    CU_TEST_INFO_NULL,
};
