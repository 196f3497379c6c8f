/* Suite "core_constraints": each constraint family alone on a hand-made instance (ban, fence,
 * spread, gather, among, lonely, root, preserve, offline, max-online), and the heuristic's repairs of
 * broken GATHER, AMONG, LONELY and MAX_ONLINE constraints (scheduler/core/hard.c): where the VMs go,
 * the lower bound, and whether GLPK had to run. Each solves for real. */
#include "core.h"
#include "test_core_inst.h"

#include <CUnit/CUnit.h>

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

CU_TestInfo core_constraints_tests[] = {
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
    CU_TEST_INFO_NULL,
};
