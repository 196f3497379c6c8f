/* Hand-made core instances with known optima: nothing to do, one overload, a swap that needs a pivot,
 * conflicting constraints, each constraint type alone, a node that is down, bad input. Each solves
 * for real (heuristic, GLPK) and asserts exact targets, costs and plans. Not randomized. Then the
 * failure paths: every allocation failing in turn (core_internal.h's fault injection) and CORE_ASSERT
 * aborting in a build with NDEBUG. */
#include "core.h"
#include "core_internal.h" /* core__solve, core__check_placement: the allocation-failure tests only */
#include "test_core_gen.h"

#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define GIB (1024ULL * 1024 * 1024)
#define MAXN 8
#define MAXV 16

typedef struct inst {
  core_node_t nodes[MAXN];
  core_vm_t vms[MAXV];
  core_constraint_t cs[4];
  core_problem_t pb;
} inst_t;

static void inst_init(inst_t* t, size_t nodes, double cap)
{
  memset(t, 0, sizeof *t);
  for (size_t n = 0; n < nodes; n++)
    t->nodes[n] = (core_node_t){cap, 16 * GIB, true, (int64_t)n};
  t->pb = (core_problem_t){.nodes = t->nodes, .node_count = nodes, .vms = t->vms, .constraints = t->cs};
}

static int32_t vm(inst_t* t, int32_t node, double cpu, bool movable)
{
  size_t v  = t->pb.vm_count++;
  t->vms[v] = (core_vm_t){cpu, GIB, node, movable, (int64_t)v};
  return (int32_t)v;
}

static void cstr(inst_t* t, core_cstr_kind_t kind, const int32_t* vms, size_t nv, const int32_t* nodes, size_t nn)
{
  t->cs[t->pb.constraint_count++] = (core_constraint_t){kind, vms, nv, nodes, nn, NULL, 0, 0, 0};
}

/* Solves with p (NULL: defaults), checks the invariants every answer must satisfy, returns the status. */
static core_status_t solve(const inst_t* t, const core_params_t* p, core_result_t* r)
{
  CU_ASSERT_EQUAL_FATAL(core_solve(&t->pb, p, r), 0);
  CU_ASSERT(r->charged_seconds > 0);
  if (r->status == CORE_SOLVED) {
    char msg[256];
    CU_ASSERT_EQUAL(core_check_placement(&t->pb, r->target, msg, sizeof msg), 0);
    CU_ASSERT(r->cost >= r->lower_bound - 1e-9);
  }
  return r->status;
}

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

/* Node 0 (cap 100) holds a 70 and a 50; the 50 must move: where do the constraints send it? */
static int32_t overload(inst_t* t, size_t nodes)
{
  inst_init(t, nodes, 100);
  vm(t, 0, 70, false);
  return vm(t, 0, 50, true);
}

static void test_core_ban_skips_banned_node(void)
{
  static const int32_t one[] = {1};
  inst_t t;
  int32_t v = overload(&t, 3);
  cstr(&t, CORE_BAN, &v, 1, one, 1);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[v], 2);
  CU_ASSERT_TRUE(r.proven_optimal);
  core_result_free(&r);
}

static void test_core_fence_moves_vm_outside_its_fence(void)
{
  static const int32_t two[] = {2};
  inst_t t;
  inst_init(&t, 3, 100);
  int32_t v = vm(&t, 0, 10, true); /* viable node, but v must live on node 2 */
  cstr(&t, CORE_FENCE, &v, 1, two, 1);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[v], 2);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 1, 1e-12);
  core_result_free(&r);
}

static void test_core_spread_separates_members(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  int32_t g[2] = {vm(&t, 0, 40, true), vm(&t, 0, 30, true)};
  cstr(&t, CORE_SPREAD, g, 2, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[g[0]], 0);
  CU_ASSERT_EQUAL(r.target[g[1]], 1); /* equal cost: the smaller one moves */
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  core_result_free(&r);
}

/* Three pairwise SPREADs over three VMs of one node: each VM is in two conflicts on the node (the
 * eviction search once sized its conflict list by VMs, not by conflicts, and overflowed it). */
static void test_core_overlapping_spreads_on_one_node(void)
{
  inst_t t;
  inst_init(&t, 3, 100);
  int32_t a = vm(&t, 0, 30, true), b = vm(&t, 0, 20, true), c = vm(&t, 0, 10, true);
  int32_t ab[2] = {a, b}, ac[2] = {a, c}, bc[2] = {b, c};
  cstr(&t, CORE_SPREAD, ab, 2, NULL, 0);
  cstr(&t, CORE_SPREAD, ac, 2, NULL, 0);
  cstr(&t, CORE_SPREAD, bc, 2, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[a], 0); /* the largest stays, the two others leave, to distinct nodes */
  CU_ASSERT_EQUAL(r.target[b], 1);
  CU_ASSERT_EQUAL(r.target[c], 2);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 2, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_EQUAL(r.step_count, 2);
  core_result_free(&r);
}

static void test_core_gather_moves_as_one_block(void)
{
  inst_t t;
  inst_init(&t, 3, 100);
  vm(&t, 0, 60, false);
  int32_t g[2] = {vm(&t, 0, 30, true), vm(&t, 0, 30, true)};
  vm(&t, 1, 50, false); /* node 1 has 50 free: one member would fit, not both */
  cstr(&t, CORE_GATHER, g, 2, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[g[0]], 2);
  CU_ASSERT_EQUAL(r.target[g[1]], 2);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 2, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 2, 1e-12);
  core_result_free(&r);
}

static void test_core_among_keeps_group_of_partner(void)
{
  static const int32_t nodes[] = {0, 1, 2, 3};
  static const size_t ends[]   = {2, 4};
  inst_t t;
  int32_t a[2];
  a[0]                  = overload(&t, 4);
  a[1]                  = vm(&t, 3, 30, false); /* the partner pins group {2, 3}: node 1 (first fit) is out */
  t.cs[0]               = (core_constraint_t){CORE_AMONG, a, 2, nodes, 4, ends, 2, 0, 0};
  t.pb.constraint_count = 1;
  core_result_t r       = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[a[0]], 2);
  core_result_free(&r);
}

static void test_core_lonely_avoids_occupied_nodes(void)
{
  inst_t t;
  int32_t v = overload(&t, 3);
  vm(&t, 1, 10, false);
  cstr(&t, CORE_LONELY, &v, 1, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[v], 2);
  core_result_free(&r);
}

static void test_core_root_vm_never_moves(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  int32_t small = vm(&t, 0, 30, true), big = vm(&t, 0, 80, true);
  cstr(&t, CORE_ROOT, &small, 1, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[small], 0);
  CU_ASSERT_EQUAL(r.target[big], 1);
  core_result_free(&r);
}

static void test_core_preserve_raises_demand(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  int32_t a = vm(&t, 0, 40, true), b = vm(&t, 0, 40, true); /* 80: viable, until b reserves 70 */
  t.cs[0]               = (core_constraint_t){CORE_PRESERVE, &b, 1, NULL, 0, NULL, 0, 70, 0};
  t.pb.constraint_count = 1;
  core_result_t r       = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.violating_nodes, 1);
  CU_ASSERT_EQUAL(r.target[a], 1);
  CU_ASSERT_EQUAL(r.target[b], 0);
  core_result_free(&r);
}

static void test_core_offline_empties_node(void)
{
  static const int32_t zero[] = {0};
  inst_t t;
  inst_init(&t, 2, 100);
  vm(&t, 0, 40, true), vm(&t, 0, 40, true);
  cstr(&t, CORE_OFFLINE, NULL, 0, zero, 1);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[0], 1);
  CU_ASSERT_EQUAL(r.target[1], 1);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 2, 1e-12);
  CU_ASSERT_EQUAL(r.active_nodes, 1);
  core_result_free(&r);
}

static void test_core_max_online_repaired_without_glpk(void)
{
  static const int32_t all[] = {0, 1, 2};
  inst_t t;
  inst_init(&t, 3, 100);
  vm(&t, 0, 30, true), vm(&t, 1, 30, true), vm(&t, 2, 30, true);
  t.cs[0]               = (core_constraint_t){CORE_MAX_ONLINE, NULL, 0, all, 3, NULL, 0, 0, 2};
  t.pb.constraint_count = 1;
  core_result_t r       = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_HEURISTIC);
  CU_ASSERT_FALSE(r.milp_ran);
  CU_ASSERT_EQUAL(r.migrations, 1);
  CU_ASSERT_NOT_EQUAL(r.target[0], 0); /* the lightest active node (ties: the lowest index) empties */
  CU_ASSERT_EQUAL(r.active_nodes, 2);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 1, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  /* a fixed VM on every active node: no heuristic repair; GLPK proves there is none */
  for (size_t v = 0; v < 3; v++)
    t.vms[v].movable = false;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_TRUE(r.milp_ran);
  core_result_free(&r);
}

/* Broken GATHER (members on nodes 0, 1, 1, 2): the two on node 1 stay, the others join them; the bound
 * (2 moves) is met, so GLPK does not run. Without room on node 1 they join another member's node; with
 * room on none, all four move, as one block. */
static void test_core_broken_gather_joins_the_heaviest_node(void)
{
  inst_t t;
  inst_init(&t, 4, 100);
  int32_t g[4] = {vm(&t, 0, 10, true), vm(&t, 1, 10, true), vm(&t, 1, 10, true), vm(&t, 2, 10, true)};
  cstr(&t, CORE_GATHER, g, 4, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  for (size_t i = 0; i < 4; i++)
    CU_ASSERT_EQUAL(r.target[g[i]], 1);
  CU_ASSERT_EQUAL(r.migrations, 2);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 2, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_FALSE(r.milp_ran);
  vm(&t, 1, 75, false); /* node 1: 95 used, no room for the other two: they join node 0 (lowest index) */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  for (size_t i = 0; i < 4; i++)
    CU_ASSERT_EQUAL(r.target[g[i]], 0);
  CU_ASSERT_EQUAL(r.migrations, 3);
  vm(&t, 0, 75, false), vm(&t, 2, 75, false); /* no member node has room: the block of 40 goes to node 3 */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[g[0]], 3);
  for (size_t i = 1; i < 4; i++)
    CU_ASSERT_EQUAL(r.target[g[i]], r.target[g[0]]);
  CU_ASSERT_EQUAL(r.migrations, 4);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_HEURISTIC);
  /* fixed members on two nodes: no repair exists; the heuristic does not try, GLPK finds none */
  t.vms[g[0]].movable = false, t.vms[g[3]].movable = false;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_TRUE(r.milp_ran);
  core_result_free(&r);
}

/* Broken AMONG over groups {0, 1} and {2, 3}: two members in the second group, one in the first; the
 * one moves into the second group. */
static void test_core_broken_among_moves_into_the_heaviest_group(void)
{
  static const int32_t nodes[] = {0, 1, 2, 3};
  static const size_t ends[]   = {2, 4};
  inst_t t;
  inst_init(&t, 4, 100);
  int32_t a[3]          = {vm(&t, 0, 20, true), vm(&t, 2, 20, true), vm(&t, 3, 20, true)};
  t.cs[0]               = (core_constraint_t){CORE_AMONG, a, 3, nodes, 4, ends, 2, 0, 0};
  t.pb.constraint_count = 1;
  core_result_t r       = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT(r.target[a[0]] == 2 || r.target[a[0]] == 3);
  CU_ASSERT_EQUAL(r.migrations, 1);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT_FALSE(r.milp_ran);
  core_result_free(&r);
}

/* Broken LONELY: a member shares node 0 with two outsiders; the lighter side (the member) leaves, to a
 * node with no outsider. When the member is fixed, the outsiders leave instead. */
static void test_core_broken_lonely_moves_the_lighter_side(void)
{
  inst_t t;
  inst_init(&t, 3, 100);
  int32_t m    = vm(&t, 0, 20, true);
  int32_t o[2] = {vm(&t, 0, 20, true), vm(&t, 0, 20, true)};
  vm(&t, 1, 10, true); /* node 1 hosts an outsider: the member goes to node 2 */
  cstr(&t, CORE_LONELY, &m, 1, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[m], 2);
  CU_ASSERT_EQUAL(r.migrations, 1);
  CU_ASSERT_FALSE(r.milp_ran);
  t.vms[m].movable = false;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[m], 0);
  CU_ASSERT_NOT_EQUAL(r.target[o[0]], 0);
  CU_ASSERT_NOT_EQUAL(r.target[o[1]], 0);
  CU_ASSERT_EQUAL(r.migrations, 2);
  CU_ASSERT_DOUBLE_EQUAL(r.lower_bound, 2, 1e-12);
  CU_ASSERT_FALSE(r.milp_ran);
  core_result_free(&r);
}

/* Node 0 is overloaded (110) and hosts two LONELY members and an outsider of 50: moving the outsider
 * repairs both, so the members stay (the overload's own eviction is chosen again once the outsider is
 * gone: a member could go nowhere, no node being empty of outsiders). */
static void test_core_lonely_repair_also_relieves_the_overload(void)
{
  inst_t t;
  inst_init(&t, 2, 100);
  int32_t m[2] = {vm(&t, 0, 30, true), vm(&t, 0, 30, true)};
  int32_t o    = vm(&t, 0, 50, true);
  vm(&t, 1, 10, true);
  cstr(&t, CORE_LONELY, m, 2, NULL, 0);
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[o], 1);
  CU_ASSERT_EQUAL(r.target[m[0]], 0);
  CU_ASSERT_EQUAL(r.target[m[1]], 0);
  CU_ASSERT_EQUAL(r.migrations, 1);
  CU_ASSERT_TRUE(r.proven_optimal);
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
    {"conflicting_constraints_have_no_solution", test_core_conflicting_constraints_have_no_solution},
    {"ban_skips_banned_node", test_core_ban_skips_banned_node},
    {"fence_moves_vm_outside_its_fence", test_core_fence_moves_vm_outside_its_fence},
    {"spread_separates_members", test_core_spread_separates_members},
    {"overlapping_spreads_on_one_node", test_core_overlapping_spreads_on_one_node},
    {"gather_moves_as_one_block", test_core_gather_moves_as_one_block},
    {"among_keeps_group_of_partner", test_core_among_keeps_group_of_partner},
    {"lonely_avoids_occupied_nodes", test_core_lonely_avoids_occupied_nodes},
    {"root_vm_never_moves", test_core_root_vm_never_moves},
    {"preserve_raises_demand", test_core_preserve_raises_demand},
    {"offline_empties_node", test_core_offline_empties_node},
    {"max_online_repaired_without_glpk", test_core_max_online_repaired_without_glpk},
    {"broken_gather_joins_the_heaviest_node", test_core_broken_gather_joins_the_heaviest_node},
    {"broken_among_moves_into_the_heaviest_group", test_core_broken_among_moves_into_the_heaviest_group},
    {"broken_lonely_moves_the_lighter_side", test_core_broken_lonely_moves_the_lighter_side},
    {"lonely_repair_also_relieves_the_overload", test_core_lonely_repair_also_relieves_the_overload},
    {"down_node_receives_nothing", test_core_down_node_receives_nothing},
    {"next_cheapest_eviction_places_without_glpk", test_core_next_cheapest_eviction_places_without_glpk},
    {"without_retries_glpk_finds_the_other_eviction", test_core_without_retries_glpk_finds_the_other_eviction},
    {"best_fit_retry_packs_what_first_fit_cannot", test_core_best_fit_retry_packs_what_first_fit_cannot},
    {"bad_input_is_reported", test_core_bad_input_is_reported},
    {"allocation_failures_report_no_memory", test_core_allocation_failures_report_no_memory},
    {"assertion_fires_even_with_ndebug", test_core_assertion_fires_even_with_ndebug},
    CU_TEST_INFO_NULL,
};
