/* Hand-made core instances with known optima: nothing to do, one overload, a swap that needs a pivot,
 * conflicting constraints, a node that is down, bad input (each constraint type: test_core_constraints.c). Each solves
 * for real (heuristic, GLPK) and asserts exact targets, costs and plans. Not randomized. Then the
 * failure paths: every allocation failing in turn (core_internal.h's fault injection) and CORE_ASSERT
 * aborting in a build with NDEBUG. */
#include "core.h"
#include "core_internal.h" /* core__solve, core__check_placement: the allocation-failure tests only */
#include "test_core_gen.h"
#include "test_core_inst.h"

#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_core_nothing_to_do_when_viable(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  vm(&t, 0, 60, true), vm(&t, 0, 40, true), vm(&t, 1, 10, true);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NOTHING_TO_DO);
  CU_ASSERT_EQUAL(r.step_count, 0);
  CU_ASSERT_EQUAL(r.migrations, 0);
  CU_ASSERT_EQUAL(r.target[0], 0);
  CU_ASSERT_EQUAL(r.target[2], 1);
  CU_ASSERT_FALSE(r.milp_ran);
  core_result_free(&r);
}

static void test_core_overload_evicts_cheapest_and_proves_optimal(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  vm(&t, 0, 60, true), vm(&t, 0, 50, true);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[0], 0);
  CU_ASSERT_EQUAL(r.target[1], 1); /* one migration either way: the smaller VM moves */
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 1, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_HEURISTIC);
  CU_ASSERT_FALSE(r.milp_ran);
  CU_ASSERT_EQUAL_FATAL(r.step_count, 1);
  CU_ASSERT_EQUAL(r.steps[0].vm, 1);
  CU_ASSERT_EQUAL(r.steps[0].from, 0);
  CU_ASSERT_EQUAL(r.steps[0].to, 1);
  CU_ASSERT_EQUAL(r.steps[0].dep_count, 0);
  core_result_free(&r);
}

/* A (a60 + x40), B (b60 + y40), C empty; a may not stay on A, b not on B; one active node costs 10.
 * Optimum: swap a and b (cost 2 + 2*10). Neither fits first: a bounces through C (pivot). */
static void swap_instance(inst_t* t, int32_t* a, int32_t* b)
{
  static const int32_t node_a[] = {0}, node_b[] = {1};
  inst_init(t, 3, 100);
  *a = vm(t, 0, 60, true), vm(t, 0, 40, true);
  *b = vm(t, 1, 60, true), vm(t, 1, 40, true);
  cstr(t, CORE_BAN, a, 1, node_a, 1);
  cstr(t, CORE_BAN, b, 1, node_b, 1);
}

static void test_core_swap_needs_a_pivot(void)
{
  inst_t t;
  int32_t a, b;
  swap_instance(&t, &a, &b);
  core_params_t p;
  core_params_init(&p);
  p.no_chain             = false;
  p.consolidation_weight = 10;
  core_result_t r        = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[a], 1);
  CU_ASSERT_EQUAL(r.target[b], 0);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 22, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 22, 1e-9);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_MILP);
  CU_ASSERT_DOUBLE_EQUAL(r.heuristic_cost, 32, 1e-9); /* FFD used C: 2 + 3*10 */
  CU_ASSERT_EQUAL(r.migrations, 2);
  CU_ASSERT_EQUAL(r.pivots, 1);
  CU_ASSERT_EQUAL_FATAL(r.step_count, 3);
  /* a: A -> C (pivot), then b: B -> A once a left A, then a: C -> B once b left B. */
  CU_ASSERT_EQUAL(r.steps[0].vm, a);
  CU_ASSERT_TRUE(r.steps[0].is_pivot);
  CU_ASSERT_EQUAL(r.steps[0].to, 2);
  CU_ASSERT_EQUAL(r.steps[1].vm, b);
  CU_ASSERT_EQUAL(r.steps[1].to, 0);
  CU_ASSERT_EQUAL_FATAL(r.steps[1].dep_count, 1);
  CU_ASSERT_EQUAL(r.deps[r.steps[1].dep_first], 0);
  CU_ASSERT_EQUAL(r.steps[2].vm, a);
  CU_ASSERT_EQUAL(r.steps[2].from, 2);
  CU_ASSERT_EQUAL(r.steps[2].to, 1);
  CU_ASSERT_FALSE(r.steps[2].is_pivot);
  CU_ASSERT_EQUAL(r.steps[2].wave, 2);
  CU_ASSERT_EQUAL(r.steps[2].dep_count, 2); /* b left B (step 1) and a reached C (step 0) */
  core_result_free(&r);
}

static void test_core_swap_under_no_chain_is_partial(void)
{
  inst_t t;
  int32_t a, b;
  swap_instance(&t, &a, &b);
  core_result_t r = CORE_RESULT_INIT;
  /* A node sends or receives: a can only go to C, then b has nowhere to go. */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_PARTIAL);
  CU_ASSERT_TRUE(r.milp_ran);
  CU_ASSERT_EQUAL(r.target[a], 2);
  CU_ASSERT_EQUAL(r.target[b], 1);
  CU_ASSERT_EQUAL(r.migrations, 1);
  CU_ASSERT_EQUAL(r.step_count, 1);
  core_result_free(&r);
}

static void test_core_conflicting_constraints_have_no_solution(void)
{
  static const int32_t one[] = {1};
  inst_t t;
  inst_init(&t, 2, 100);
  int32_t v = vm(&t, 0, 10, true);
  cstr(&t, CORE_FENCE, &v, 1, one, 1);
  cstr(&t, CORE_BAN, &v, 1, one, 1);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_EQUAL(r.step_count, 0);
  CU_ASSERT_EQUAL(r.migrations, 0);
  CU_ASSERT_EQUAL(r.target[v], 0);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_NONE);
  core_result_free(&r);
}

/* No VM of the overloaded node fits in any other node's room: the core proves it without GLPK
 * (no-chain: a receiver never sends, so its room cannot grow), and says no solution. */
static void test_core_hopeless_repair_skips_glpk(void)
{
  inst_t t;
  inst_init(&t, 3, 100);
  vm(&t, 0, 60, true), vm(&t, 0, 50, true); /* 110: must shed at least 10 */
  vm(&t, 1, 40, true), vm(&t, 1, 40, true); /* room 20 */
  vm(&t, 2, 45, true), vm(&t, 2, 40, true); /* room 15 */
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_FALSE(r.milp_ran);
  /* with room for the 50 on node 2, the repair exists and is found */
  inst_init(&t, 3, 100);
  vm(&t, 0, 60, true), vm(&t, 0, 50, true);
  vm(&t, 1, 40, true), vm(&t, 1, 40, true);
  vm(&t, 2, 45, true);
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  core_result_free(&r);
}

/* Two overloaded nodes could each send a VM to the third, but the VMs need 305 where the nodes have
 * 300: no viable target exists, so GLPK is not called (before this check it ran and found nothing);
 * the partial repair relieves one node. With a larger third node: a repair. */
static void test_core_capacity_short_skips_glpk(void)
{
  inst_t t;
  inst_init(&t, 4, 100);
  vm(&t, 0, 60, true), vm(&t, 0, 30, true), vm(&t, 0, 25, true); /* 115 */
  vm(&t, 1, 60, true), vm(&t, 1, 30, true), vm(&t, 1, 25, true); /* 115 */
  vm(&t, 2, 75, true);                                           /* room 25 */
  t.nodes[3].online = false;
  vm(&t, 3, 90, true); /* on a down node: stays, counted on neither side */
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_PARTIAL);
  CU_ASSERT_FALSE(r.milp_ran);
  CU_ASSERT_EQUAL(r.migrations, 1);
  core_params_t p;
  core_params_init(&p);
  p.repair_mode = false; /* every VM a variable: still no viable target */
  CU_ASSERT_NOT_EQUAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_FALSE(r.milp_ran);
  t.nodes[2].cpu_capacity = 140; /* room 65: both nodes send to it */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  core_result_free(&r);
}

/* The greedy evictions on node 1 (v0 50, v1 25, v2 45: 120 of 100), node 0 empty, first fit, no GLPK.
 * Exact: the cheapest set, one VM, the least CPU (v1). Lazy: the node's order until viable (v0). All:
 * every VM leaves and first fit decreasing takes them back where they fit: v0 and v2 to node 0, v1
 * home (it no longer fits on node 0): two migrations where one would do. MMT: the least RAM (v2). */
static void test_core_ffd_evictions(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  vm(&t, 1, 50, true), vm(&t, 1, 25, true), vm(&t, 1, 45, true);
  t.vms[0].ram_bytes = 4 * GIB, t.vms[1].ram_bytes = 3 * GIB; /* v2 (1 GiB) migrates fastest */
  core_params_t p;
  core_params_init(&p);
  p.placement = CORE_PLACE_FIRST_FIT, p.use_milp = false;
  static const core_eviction_t modes[] = {CORE_EVICT_EXACT, CORE_EVICT_LAZY, CORE_EVICT_ALL, CORE_EVICT_MMT};
  static const int32_t want[4][3]      = {{1, 0, 1}, {0, 1, 1}, {0, 1, 0}, {1, 1, 0}};
  static const size_t migrations[]     = {1, 1, 2, 1};
  for (size_t m = 0; m < 4; m++) {
    p.eviction      = modes[m];
    core_result_t r = CORE_RESULT_INIT;
    CU_ASSERT_EQUAL(solve(&t, &p, &r), CORE_SOLVED);
    for (size_t v = 0; v < 3; v++)
      CU_ASSERT_EQUAL(r.target[v], want[m][v]);
    CU_ASSERT_EQUAL(r.migrations, migrations[m]);
    CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 1, 1e-12); /* the exact eviction's, whatever the planner */
    CU_ASSERT_EQUAL(r.proven_optimal, migrations[m] == 1);
    CU_ASSERT_FALSE(r.milp_ran);
    core_result_free(&r);
  }
  /* Lazy FFD does not retry: v0 first, and no node has room for it; the exact eviction's v1 fits */
  t.nodes[0].cpu_capacity = 30;
  p.eviction              = CORE_EVICT_LAZY;
  core_result_t r         = CORE_RESULT_INIT;
  CU_ASSERT_NOT_EQUAL(solve(&t, &p, &r), CORE_SOLVED);
  p.eviction = CORE_EVICT_EXACT;
  CU_ASSERT_EQUAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[1], 0);
  core_result_free(&r);
}

/* The one node with room hosts a SPREAD partner of the only VM that fits there: hopeless too; a
 * GATHER partner instead (it may move with it) leaves the proof to GLPK. */
static void test_core_hopeless_repair_respects_constraints(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  int32_t x      = vm(&t, 0, 60, false);
  int32_t a      = vm(&t, 0, 50, true); /* 110 */
  int32_t b      = vm(&t, 1, 40, true); /* room 60: a fits by capacity */
  int32_t pair[] = {a, b};
  (void)x;
  cstr(&t, CORE_SPREAD, pair, 2, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_FALSE(r.milp_ran);
  t.pb.constraint_count = 0;
  cstr(&t, CORE_GATHER, pair, 2, NULL, 0); /* broken: a joins b on node 1 (hard.c), without GLPK */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[a], 1);
  CU_ASSERT_EQUAL(r.target[b], 1);
  CU_ASSERT_FALSE(r.milp_ran);
  core_result_free(&r);
}

static void test_core_down_node_receives_nothing(void)
{
  inst_t t;
  int32_t v         = overload(&t, 3);
  t.nodes[1].online = false;
  int32_t dead      = vm(&t, 1, 500, true); /* a VM of a crashed node: stays, not checked */
  core_result_t r   = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[v], 2);
  CU_ASSERT_EQUAL(r.target[dead], 1);
  CU_ASSERT_EQUAL(r.violating_nodes, 1);
  core_result_free(&r);
}

/* A: x (60 CPU, 1 GiB) + y (50 CPU, 12 GiB) on 100; B: z (30 CPU, 8 GiB). The cheapest eviction (one VM,
 * least CPU) is y, which fits nowhere (B has 8 GiB free); the next-cheapest, x, fits on B. */
static void next_cheapest_instance(inst_t* t, int32_t* x, int32_t* y)
{
  inst_init(t, 2, 100);
  *x                   = vm(t, 0, 60, true);
  *y                   = vm(t, 0, 50, true);
  int32_t z            = vm(t, 1, 30, true);
  t->vms[*y].ram_bytes = 12 * GIB;
  t->vms[z].ram_bytes  = 8 * GIB;
}

static void test_core_next_cheapest_eviction_places_without_glpk(void)
{
  inst_t t;
  int32_t x, y;
  next_cheapest_instance(&t, &x, &y);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL_FATAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[x], 1);
  CU_ASSERT_EQUAL(r.target[y], 0);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 1, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_HEURISTIC);
  CU_ASSERT_FALSE(r.milp_ran);
  CU_ASSERT_EQUAL(r.work.retries, 2); /* best fit (same set, fails), then round 1 first fit */
  CU_ASSERT_EQUAL(r.work.lp_iterations, 0);
  core_result_free(&r);
}

static void test_core_without_retries_glpk_finds_the_other_eviction(void)
{
  inst_t t;
  int32_t x, y;
  next_cheapest_instance(&t, &x, &y);
  core_params_t p;
  core_params_init(&p);
  p.heuristic_retries = 0;
  core_result_t r     = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_TRUE(r.milp_ran);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_MILP);
  CU_ASSERT_DOUBLE_EQUAL(r.heuristic_cost, -1, 0); /* the heuristic found no full placement */
  CU_ASSERT_EQUAL(r.target[x], 1);
  CU_ASSERT_EQUAL(r.target[y], 0);
  CU_ASSERT_EQUAL(r.work.retries, 1);
  CU_ASSERT(r.work.lp_iterations > 0);
  core_result_free(&r);
}

/* Three overloaded nodes each evict one VM (50, 40, 20); D has 60 free, E 50. First fit puts 50 on D and
 * 40 on E, leaving 10 + 10 for the 20; best fit puts 50 on E, then 40 and 20 on D. */
static void test_core_best_fit_retry_packs_what_first_fit_cannot(void)
{
  inst_t t;
  inst_init(&t, 5, 100);
  int32_t a = vm(&t, 0, 50, true), b = vm(&t, 1, 40, true), c = vm(&t, 2, 20, true);
  vm(&t, 0, 60, true), vm(&t, 1, 70, true), vm(&t, 2, 90, true);
  vm(&t, 3, 40, true), vm(&t, 4, 50, true);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL_FATAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[a], 4);
  CU_ASSERT_EQUAL(r.target[b], 3);
  CU_ASSERT_EQUAL(r.target[c], 3);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 3, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_HEURISTIC);
  CU_ASSERT_FALSE(r.milp_ran);
  CU_ASSERT_EQUAL(r.work.retries, 1);
  CU_ASSERT_EQUAL(r.step_count, 3);
  core_result_free(&r);
}

static void test_core_bad_input_is_reported(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  vm(&t, 0, 10, true);
  t.vms[0].node   = 5;
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(core_solve(&t.pb, NULL, &r), -1);
  CU_ASSERT_EQUAL(r.status, CORE_NO_SOLUTION);
  CU_ASSERT_STRING_EQUAL(r.error, "vm 0: node 5 out of range [0, 2)");
  core_result_free(&r);
}

/* Solves pb under p into a fresh result with each of its allocations failing in turn (the k-th for
 * k = 1, 2, ... up to the number a clean solve makes): every one must end in CORE_ERROR_NO_MEMORY with
 * nothing planned and the current placement (when target could be allocated), without a leak
 * (LeakSanitizer in the sanitizer build); that result must then solve cleanly to the clean answer.
 * Returns the number of allocations of a clean solve. */
static uint64_t sweep_allocation_failures(const core_problem_t* pb, const core_params_t* p)
{
  core_result_t ref = CORE_RESULT_INIT;
  core__mem_t clean = {0};
  CU_ASSERT_EQUAL_FATAL(core__solve(pb, p, &ref, &clean), 0);
  CU_ASSERT_FALSE_FATAL(clean.failed);
  CU_ASSERT(ref.status != CORE_ERROR_NO_MEMORY);
  for (uint64_t k = 1; k <= clean.count; k++) {
    core_result_t r = CORE_RESULT_INIT;
    core__mem_t mem = {.fail_at = k};
    CU_ASSERT_EQUAL(core__solve(pb, p, &r, &mem), 0);
    CU_ASSERT_TRUE(mem.failed);
    CU_ASSERT_EQUAL(r.status, CORE_ERROR_NO_MEMORY);
    CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_NONE);
    CU_ASSERT_EQUAL(r.step_count, 0);
    CU_ASSERT_EQUAL(r.migrations, 0);
    CU_ASSERT_STRING_EQUAL(r.error, "out of memory");
    CU_ASSERT(r.charged_seconds > 0);
    CU_ASSERT_EQUAL(r.target_cap >= pb->vm_count, k > 1); /* the first allocation is the target */
    for (size_t v = 0; r.target_cap >= pb->vm_count && v < pb->vm_count; v++)
      CU_ASSERT_EQUAL(r.target[v], pb->vms[v].node);
    core__mem_t again = {0};
    CU_ASSERT_EQUAL_FATAL(core__solve(pb, p, &r, &again), 0);
    CU_ASSERT_EQUAL(r.status, ref.status);
    CU_ASSERT_EQUAL(r.step_count, ref.step_count);
    CU_ASSERT_EQUAL(r.charged_seconds, ref.charged_seconds);
    CU_ASSERT_EQUAL(memcmp(r.target, ref.target, pb->vm_count * sizeof(int32_t)), 0);
    core_result_free(&r);
  }
  core_result_free(&ref);
  return clean.count;
}

/* The instances cover every stage that allocates: workspace, eviction and its k-best alternatives, the
 * heuristic and its retries, GLPK's model with the rows of every constraint family and its warm start,
 * plans with pivots, the no-chain re-solve of an unreachable plan, the partial repair. */
static void test_core_allocation_failures_report_no_memory(void)
{
  core_params_t p;
  inst_t t;
  int32_t a, b;
  uint64_t n = 0;
  inst_init(&t, 2, 100); /* overload: the heuristic */
  vm(&t, 0, 60, true), vm(&t, 0, 50, true);
  n += sweep_allocation_failures(&t.pb, NULL);
  next_cheapest_instance(&t, &a, &b); /* next-cheapest eviction sets */
  n += sweep_allocation_failures(&t.pb, NULL);
  swap_instance(&t, &a, &b); /* GLPK, then the partial repair under no-chain */
  n += sweep_allocation_failures(&t.pb, NULL);
  core_params_init(&p);
  p.no_chain = false, p.consolidation_weight = 10; /* GLPK's swap, planned through a pivot */
  n += sweep_allocation_failures(&t.pb, &p);
  t.pb.node_count = 2; /* no pivot node: unreachable with chains, re-solved under no-chain */
  n += sweep_allocation_failures(&t.pb, &p);
  static const int32_t gather[] = {0, 1}, among[] = {2, 3}, lonely[] = {4}, spread[] = {5, 6, 7};
  static const int32_t nodes[] = {0, 1, 2, 3};
  static const size_t ends[]   = {2, 4};
  core_constraint_t cs[5]      = {{CORE_GATHER, gather, 2, NULL, 0, NULL, 0, 0, 0},
                                  {CORE_AMONG, among, 2, nodes, 4, ends, 2, 0, 0},
                                  {CORE_LONELY, lonely, 1, NULL, 0, NULL, 0, 0, 0},
                                  {CORE_SPREAD, spread, 3, NULL, 0, NULL, 0, 0, 0},
                                  {CORE_MAX_ONLINE, NULL, 0, nodes, 4, NULL, 0, 0, 3}};
  inst_init(&t, 4, 100); /* every family in GLPK's model, everything variable, warm start on */
  for (int32_t v = 0; v < 8; v++)
    vm(&t, v % 3, 30, true);
  t.pb.constraints = cs, t.pb.constraint_count = 5;
  core_params_init(&p);
  p.repair_mode = false, p.consolidation_weight = 0.5;
  n += sweep_allocation_failures(&t.pb, &p);
  gen_t g; /* a generated instance with SPREAD triples: the default pipeline at size */
  gen_make(&g, 8, 1, 1, 1);
  n += sweep_allocation_failures(&g.pb, NULL);
  int32_t* here = calloc(g.pb.vm_count, sizeof(int32_t)); /* core_check_placement: one violation */
  for (size_t v = 0; v < g.pb.vm_count; v++)
    here[v] = g.vms[v].node;
  core__mem_t clean = {0};
  char msg[64];
  CU_ASSERT(core__check_placement(&g.pb, here, msg, sizeof msg, &clean) > 0); /* overloaded PMs */
  for (uint64_t k = 1; k <= clean.count; k++, n++) {
    core__mem_t mem = {.fail_at = k};
    CU_ASSERT_EQUAL(core__check_placement(&g.pb, here, msg, sizeof msg, &mem), 1);
    CU_ASSERT_STRING_EQUAL(msg, "out of memory");
  }
  free(here);
  gen_free(&g);
  printf("[%llu failing allocations] ", (unsigned long long)n);
}

/* CORE_ASSERT is not assert: it stays on when NDEBUG is defined (as in the RelWithDebInfo and Release
 * builds). A result claiming a target capacity with no array is a caller bug: in a child process,
 * core_solve must abort (SIGABRT) and print the file, line and condition on stderr. */
static void test_core_assertion_fires_even_with_ndebug(void)
{
#ifdef NDEBUG
  printf("[NDEBUG defined] ");
#else
  printf("[NDEBUG not defined] ");
#endif
  inst_t t;
  inst_init(&t, 2, 100);
  vm(&t, 0, 10, true);
  int fds[2];
  CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
  fflush(stdout), fflush(stderr);
  pid_t pid = fork();
  CU_ASSERT_FATAL(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]), close(fds[1]);
    core_result_t r = CORE_RESULT_INIT;
    r.target_cap    = 8; /* broken: no array behind it */
    core_solve(&t.pb, NULL, &r);
    _exit(0); /* reached only if the assertion did not fire */
  }
  close(fds[1]);
  char err[1024];
  size_t len = 0;
  ssize_t got;
  while (len < sizeof err - 1 && (got = read(fds[0], err + len, sizeof err - 1 - len)) > 0)
    len += (size_t)got;
  err[len] = '\0';
  close(fds[0]);
  int status = 0;
  CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
  CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "scheduler/core/solve.c:"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "core assertion `(out->target || !out->target_cap)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "neither CORE_RESULT_INIT nor an earlier result"));
}

CU_TestInfo core_cases_tests[] = {
    {"nothing_to_do_when_viable", test_core_nothing_to_do_when_viable},
    {"overload_evicts_cheapest_and_proves_optimal", test_core_overload_evicts_cheapest_and_proves_optimal},
    {"swap_needs_a_pivot", test_core_swap_needs_a_pivot},
    {"swap_under_no_chain_is_partial", test_core_swap_under_no_chain_is_partial},
    {"hopeless_repair_skips_glpk", test_core_hopeless_repair_skips_glpk},
    {"hopeless_repair_respects_constraints", test_core_hopeless_repair_respects_constraints},
    {"capacity_short_skips_glpk", test_core_capacity_short_skips_glpk},
    {"ffd_evictions", test_core_ffd_evictions},
    {"conflicting_constraints_have_no_solution", test_core_conflicting_constraints_have_no_solution},
    {"down_node_receives_nothing", test_core_down_node_receives_nothing},
    {"next_cheapest_eviction_places_without_glpk", test_core_next_cheapest_eviction_places_without_glpk},
    {"without_retries_glpk_finds_the_other_eviction", test_core_without_retries_glpk_finds_the_other_eviction},
    {"best_fit_retry_packs_what_first_fit_cannot", test_core_best_fit_retry_packs_what_first_fit_cannot},
    {"bad_input_is_reported", test_core_bad_input_is_reported},
    {"allocation_failures_report_no_memory", test_core_allocation_failures_report_no_memory},
    {"assertion_fires_even_with_ndebug", test_core_assertion_fires_even_with_ndebug},
    CU_TEST_INFO_NULL,
};
