/* Randomized property tests of the core on seeded instances (tests/unit/test_core_gen.h, 8 to 128 PMs):
 * the target is viable, every plan step is feasible when it starts, cost >= lower bound, GLPK's
 * proven optimum is never worse than the heuristic, and the same input gives the same output and
 * work units. Each test prints its seeds. */
#include "core.h"
#include "test_core_gen.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

/* Replays the plan wave by wave: each step starts from where its VM is, after its predecessors (earlier
 * waves), onto a node with room counting the arrivals already in flight. Returns the failures. */
static int plan_failures(const core_problem_t* pb, const core_result_t* r)
{
  size_t nn = pb->node_count, nv = pb->vm_count;
  double* cpu  = calloc(nn, sizeof(double));
  double* ram  = calloc(nn, sizeof(double));
  int32_t* cur = calloc(nv, sizeof(int32_t));
  int fails    = 0;
  for (size_t n = 0; n < nn; n++)
    cpu[n] = pb->nodes[n].cpu_capacity, ram[n] = (double)pb->nodes[n].ram_capacity_bytes;
  for (size_t v = 0; v < nv; v++) {
    cur[v] = pb->vms[v].node;
    cpu[cur[v]] -= pb->vms[v].cpu_demand, ram[cur[v]] -= (double)pb->vms[v].ram_bytes;
  }
  size_t s = 0;
  for (uint32_t w = 0; s < r->step_count; w++) {
    size_t first = s;
    for (; s < r->step_count && r->steps[s].wave == w; s++) {
      const core_step_t* st = &r->steps[s];
      const core_vm_t* vm   = &pb->vms[st->vm];
      fails += cur[st->vm] != st->from;
      for (uint32_t d = 0; d < st->dep_count; d++)
        fails += r->steps[r->deps[st->dep_first + d]].wave >= w;
      fails += cpu[st->to] < vm->cpu_demand - 1e-6 || ram[st->to] < (double)vm->ram_bytes - 1;
      cpu[st->to] -= vm->cpu_demand, ram[st->to] -= (double)vm->ram_bytes;
    }
    if (s == first) { /* waves must be consecutive and non-decreasing */
      fails++;
      break;
    }
    for (size_t i = first; i < s; i++) {
      const core_step_t* st = &r->steps[i];
      cpu[st->from] += pb->vms[st->vm].cpu_demand, ram[st->from] += (double)pb->vms[st->vm].ram_bytes;
      cur[st->vm] = st->to;
    }
  }
  for (size_t v = 0; v < nv; v++)
    fails += cur[v] != r->target[v];
  free(cpu), free(ram), free(cur);
  return fails;
}

static void check_instances(int hard, int spread, core_objective_t obj)
{
  static const size_t sizes[] = {8, 16, 32, 64, 128};
  core_params_t p;
  core_params_init(&p);
  p.objective     = obj;
  core_result_t r = CORE_RESULT_INIT;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    for (uint64_t seed = 1; seed <= 3; seed++) {
      gen_t g;
      gen_make(&g, sizes[i], seed, hard, spread);
      printf("[seed %llu, %zu PMs, hard %d, spread %d, obj %d] ", (unsigned long long)seed, sizes[i], hard, spread,
             (int)obj);
      CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &r), 0);
      char msg[256] = "";
      CU_ASSERT_EQUAL(r.status, CORE_SOLVED);
      CU_ASSERT_EQUAL(core_check_placement(&g.pb, r.target, msg, sizeof msg), 0);
      CU_ASSERT(r.status != CORE_SOLVED || r.cost >= r.lower_bound - 1e-6 * (1 + r.lower_bound));
      CU_ASSERT(r.violating_nodes >= (hard ? (sizes[i] + 3) / 4 : (sizes[i] + 7) / 8));
      CU_ASSERT_EQUAL(plan_failures(&g.pb, &r), 0);
      CU_ASSERT_EQUAL(r.pivots, 0); /* no-chain: one step */
      CU_ASSERT(r.charged_seconds > 0);
      printf("%s/%s cost %g lb %g ", core_status_name(r.status), core_solver_name(r.solver), r.cost, r.lower_bound);
      gen_free(&g);
    }
  core_result_free(&r);
}

static void test_core_random_easy_count(void)
{
  check_instances(0, 0, CORE_OBJ_COUNT);
}
static void test_core_random_easy_ram(void)
{
  check_instances(0, 0, CORE_OBJ_RAM);
}
static void test_core_random_hard_count(void)
{
  check_instances(1, 0, CORE_OBJ_COUNT);
}
static void test_core_random_hard_ram_spread(void)
{
  check_instances(1, 1, CORE_OBJ_RAM);
}

/* With chains allowed, plans may need waves and pivots: every step must still be feasible. */
static void test_core_random_chains_plans_are_feasible(void)
{
  core_params_t p;
  core_params_init(&p);
  p.no_chain      = false;
  p.objective     = CORE_OBJ_RAM;
  core_result_t r = CORE_RESULT_INIT;
  for (uint64_t seed = 1; seed <= 6; seed++) {
    gen_t g;
    gen_make(&g, 16 << (seed % 3), seed, 1, 0);
    printf("[seed %llu] ", (unsigned long long)seed);
    CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &r), 0);
    CU_ASSERT_EQUAL(r.status, CORE_SOLVED);
    CU_ASSERT_EQUAL(core_check_placement(&g.pb, r.target, NULL, 0), 0);
    CU_ASSERT_EQUAL(plan_failures(&g.pb, &r), 0);
    gen_free(&g);
  }
  core_result_free(&r);
}

static void test_core_random_milp_optimum_not_worse_than_heuristic(void)
{
  core_params_t ph, pm;
  core_params_init(&ph);
  core_params_init(&pm);
  pm.use_heuristic = false; /* GLPK alone, no warm start */
  core_result_t rh = CORE_RESULT_INIT, rm = CORE_RESULT_INIT;
  int proven = 0;
  for (int obj = 0; obj < 2; obj++)
    for (uint64_t seed = 1; seed <= 4; seed++) {
      gen_t g;
      gen_make(&g, seed <= 2 ? 8 : 16, seed, (int)(seed % 2), 0);
      ph.objective = pm.objective = (core_objective_t)obj;
      printf("[seed %llu obj %d] ", (unsigned long long)seed, obj);
      CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &ph, &rh), 0);
      CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &pm, &rm), 0);
      CU_ASSERT_TRUE(rm.milp_ran);
      CU_ASSERT_EQUAL(rm.status, CORE_SOLVED);
      CU_ASSERT_EQUAL(rm.solver, CORE_SOLVER_MILP);
      CU_ASSERT_EQUAL(core_check_placement(&g.pb, rm.target, NULL, 0), 0);
      if (rm.proven_optimal) {
        proven++;
        CU_ASSERT(rm.cost <= rh.cost + 1e-6 * (1 + rh.cost));
        CU_ASSERT(rm.cost >= rh.lower_bound - 1e-6 * (1 + rh.lower_bound));
      }
      gen_free(&g);
    }
  CU_ASSERT_EQUAL(proven, 8); /* GLPK proves these small repair models within the budget */
  core_result_free(&rh), core_result_free(&rm);
}

static void test_core_random_same_input_same_output(void)
{
  core_params_t p;
  core_params_init(&p);
  p.objective = CORE_OBJ_RAM;
  for (int milp = 0; milp < 2; milp++) {
    p.use_heuristic = milp == 0; /* the second run exercises GLPK */
    gen_t g;
    gen_make(&g, 32, 11, 1, 1);
    printf("[seed 11, milp %d] ", milp);
    core_result_t a = CORE_RESULT_INIT, b = CORE_RESULT_INIT;
    CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &a), 0);
    CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &b), 0);
    CU_ASSERT_EQUAL(a.status, b.status);
    CU_ASSERT_EQUAL(memcmp(a.target, b.target, g.pb.vm_count * sizeof(int32_t)), 0);
    CU_ASSERT_EQUAL_FATAL(a.step_count, b.step_count);
    for (size_t i = 0; i < a.step_count; i++) { /* field by field: the struct has padding */
      CU_ASSERT_EQUAL(a.steps[i].vm, b.steps[i].vm);
      CU_ASSERT_EQUAL(a.steps[i].from, b.steps[i].from);
      CU_ASSERT_EQUAL(a.steps[i].to, b.steps[i].to);
      CU_ASSERT_EQUAL(a.steps[i].wave, b.steps[i].wave);
      CU_ASSERT_EQUAL(a.steps[i].dep_count, b.steps[i].dep_count);
    }
    CU_ASSERT_EQUAL(memcmp(&a.work, &b.work, sizeof a.work), 0);
    CU_ASSERT_EQUAL(a.charged_seconds, b.charged_seconds);
    CU_ASSERT(a.work.vms_examined > 0);
    if (milp) CU_ASSERT(a.work.lp_iterations > 0);
    core_result_free(&a), core_result_free(&b);
    gen_free(&g);
  }
}

/* GLPK alone (no heuristic, no warm start) under the charged-time budget: the search stops once the cost
 * model's charge of the work done passes the budget (overshoot: at most the work between two GLPK
 * callbacks), never later; the same input stops at the same point. */
static void test_core_random_glpk_budget_bounds_charged_time(void)
{
  core_params_t p;
  core_params_init(&p);
  p.use_heuristic = false;
  core_result_t r = CORE_RESULT_INIT, again = CORE_RESULT_INIT;
  gen_t g;
  gen_make(&g, 16, 1, 1, 0);
  printf("[seed 1, 16 PMs, hard] ");
  p.max_milp_charged_s = 0; /* off: GLPK proves the optimum */
  CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &r), 0);
  uint64_t free_bnb = r.work.bnb_nodes;
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_MILP);
  CU_ASSERT(r.charged_seconds > 0.016);
  p.max_milp_charged_s = 0.008; /* about half of it */
  CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &r), 0);
  CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &again), 0);
  CU_ASSERT(r.work.bnb_nodes < free_bnb);
  CU_ASSERT(r.charged_seconds > 0.008);
  /* overshoot: the iterations of the node being solved when the callback stops GLPK, and the re-check
   * after it (measured 6 % with the worst-fit calibration of core.h) */
  CU_ASSERT(r.charged_seconds <= 0.008 * 1.10);
  CU_ASSERT_FALSE(r.proven_optimal);
  CU_ASSERT_FALSE(r.safety_net_fired);
  CU_ASSERT_EQUAL(memcmp(&r.work, &again.work, sizeof r.work), 0);
  CU_ASSERT_EQUAL(r.charged_seconds, again.charged_seconds);
  gen_free(&g);
  /* 32 PMs, hard, seed 2: the default budget stops GLPK before its 2,000-node cap. */
  gen_make(&g, 32, 2, 1, 0);
  printf("[seed 2, 32 PMs, hard] ");
  core_params_init(&p);
  p.use_heuristic = false;
  CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &r), 0);
  CU_ASSERT(r.milp_ran);
  CU_ASSERT(r.work.bnb_nodes > 0 && r.work.bnb_nodes < (uint64_t)p.max_bnb_nodes);
  CU_ASSERT(r.charged_seconds > CORE_MILP_BUDGET_S);
  CU_ASSERT(r.charged_seconds <= CORE_MILP_BUDGET_S * 1.02);
  CU_ASSERT_FALSE(r.safety_net_fired);
  gen_free(&g);
  core_result_free(&r), core_result_free(&again);
}

/* The size-aware terms: a GLPK solve's charge is the cost model applied to its work, and the GLPK work
 * counters are consistent with the model sizes (rows + nonzeros >= rows + columns > 0 per iteration). */
static void test_core_random_charge_is_the_cost_model_of_the_work(void)
{
  core_params_t p;
  core_params_init(&p);
  p.use_heuristic = false;
  core_result_t r = CORE_RESULT_INIT;
  gen_t g;
  gen_make(&g, 8, 3, 1, 0);
  printf("[seed 3, 8 PMs, hard] ");
  CU_ASSERT_EQUAL_FATAL(core_solve(&g.pb, &p, &r), 0);
  const core_work_t* w = &r.work;
  CU_ASSERT(w->lp_iterations > 0 && w->bnb_nodes > 0 && w->milp_size > 0);
  CU_ASSERT(w->lp_it_size >= w->lp_iterations * 100); /* this model has hundreds of rows */
  CU_ASSERT(w->bnb_size >= w->bnb_nodes * 100);
  double model = CORE_COST_BASE_S + CORE_COST_PER_VM_S * (double)w->vms_examined +
                 CORE_COST_PER_NODE_S * (double)w->nodes_examined + CORE_COST_PER_LP_IT_S * (double)w->lp_iterations +
                 CORE_COST_PER_BNB_S * (double)w->bnb_nodes + CORE_COST_PER_MILP_NZ_S * (double)w->milp_size +
                 CORE_COST_PER_LP_IT_SIZE_S * (double)w->lp_it_size + CORE_COST_PER_BNB_SIZE_S * (double)w->bnb_size;
  CU_ASSERT_DOUBLE_EQUAL(r.charged_seconds, model, 1e-15);
  gen_free(&g);
  core_result_free(&r);
}

/* Solves pb twice, with the room index and with the scan; everything must be equal. */
static void assert_index_equals_scan(const core_problem_t* pb, core_params_t p, const char* what)
{
  core_result_t a = CORE_RESULT_INIT, b = CORE_RESULT_INIT;
  p.placement_index = true;
  CU_ASSERT_EQUAL_FATAL(core_solve(pb, &p, &a), 0);
  p.placement_index = false;
  CU_ASSERT_EQUAL_FATAL(core_solve(pb, &p, &b), 0);
  bool same = a.status == b.status && memcmp(a.target, b.target, pb->vm_count * sizeof(int32_t)) == 0 &&
              a.step_count == b.step_count && memcmp(&a.work, &b.work, sizeof a.work) == 0 &&
              a.charged_seconds == b.charged_seconds && a.cost == b.cost;
  for (size_t i = 0; same && i < a.step_count; i++)
    same = a.steps[i].vm == b.steps[i].vm && a.steps[i].to == b.steps[i].to && a.steps[i].wave == b.steps[i].wave;
  if (!same) printf("\n  index and scan differ: %s", what);
  CU_ASSERT(same);
  core_result_free(&a), core_result_free(&b);
}

/* Worst fit through the room index chooses the scan's nodes with the scan's work units, bit for bit:
 * equal capacities (exact bounds) and mixed ones (bounds with slack), empty PMs (ties on the room),
 * loads in slots of 25 (800 / 32 GiB: 25 CPU weigh as much as 1 GiB, so many PMs share their free room
 * and others have another free room with the same key),
 * down PMs and PMs to empty (refused, charged), SPREAD (the index's node refused: the scan takes
 * over), GATHER pairs (blocks of two: the scan), retries on and off. */
static void test_core_random_room_index_equals_scan(void)
{
  static const size_t sizes[] = {64, 200, 1000};
  size_t runs                 = 0;
  for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
    for (uint64_t seed = 1; seed <= 6; seed++) {
      gen_t g;
      gen_make(&g, sizes[si], seed, (int)(seed % 2), seed % 3 == 0);
      size_t nn  = g.pb.node_count;
      uint64_t s = seed * 31 + si;
      if (seed >= 4) /* mixed capacities */
        for (size_t n = 0; n < nn; n++)
          if (gen_next(&s) % 2) g.nodes[n].cpu_capacity = 600 + (double)(gen_next(&s) % 5) * 100;
      if (seed % 2 == 0) /* loads in slots */
        for (size_t v = 0; v < g.pb.vm_count; v++)
          g.vms[v].cpu_demand = 25 * round(g.vms[v].cpu_demand / 25);
      for (size_t v = 0; v < g.pb.vm_count; v++) /* empty every tenth PM: ties */
        if ((size_t)g.vms[v].node % 10 == 9) g.vms[v].node = (int32_t)((size_t)g.vms[v].node - 1);
      for (size_t n = 3; n < nn; n += 17) /* down PMs, one of them empty */
        g.nodes[n].online = false;
      g.nodes[19].online = false;
      int32_t off[]      = {(int32_t)nn - 2, (int32_t)nn - 5};
      int32_t pair[]     = {1, 2};
      core_constraint_t cs[64];
      size_t nc = g.pb.constraint_count < 60 ? g.pb.constraint_count : 60;
      memcpy(cs, g.cs, nc * sizeof *cs);
      cs[nc++] = (core_constraint_t){CORE_OFFLINE, NULL, 0, off, 2, NULL, 0, 0, 0};
      if (seed % 2) cs[nc++] = (core_constraint_t){CORE_GATHER, pair, 2, NULL, 0, NULL, 0, 0, 0};
      core_problem_t pb = g.pb;
      pb.constraints = cs, pb.constraint_count = nc;
      core_params_t p;
      core_params_init(&p);
      for (int variant = 0; variant < 3; variant++) {
        p.heuristic_retries = variant == 1 ? 0 : 3;
        p.objective         = variant == 2 ? CORE_OBJ_RAM : CORE_OBJ_COUNT;
        p.use_milp          = false; /* the placements are the subject */
        char what[96];
        snprintf(what, sizeof what, "%zu PMs, seed %llu, variant %d", nn, (unsigned long long)seed, variant);
        assert_index_equals_scan(&pb, p, what);
        runs++;
      }
      gen_free(&g);
    }
  printf("[%zu problems] ", runs);
}

CU_TestInfo core_random_tests[] = {
    {"easy_count", test_core_random_easy_count},
    {"easy_ram", test_core_random_easy_ram},
    {"hard_count", test_core_random_hard_count},
    {"hard_ram_spread", test_core_random_hard_ram_spread},
    {"chains_plans_are_feasible", test_core_random_chains_plans_are_feasible},
    {"milp_optimum_not_worse_than_heuristic", test_core_random_milp_optimum_not_worse_than_heuristic},
    {"same_input_same_output", test_core_random_same_input_same_output},
    {"glpk_budget_bounds_charged_time", test_core_random_glpk_budget_bounds_charged_time},
    {"charge_is_the_cost_model_of_the_work", test_core_random_charge_is_the_cost_model_of_the_work},
    {"room_index_equals_scan", test_core_random_room_index_equals_scan},
    CU_TEST_INFO_NULL,
};
