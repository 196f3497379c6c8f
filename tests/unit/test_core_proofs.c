/* The proofs that no repair exists (scheduler/core/proofs.c), through core_solve: GLPK is not called
 * when one holds, and a proof never holds on a problem that has a repair (checked against brute force
 * on seeded small problems). */
#include "core.h"
#include "test_core_inst.h"

#include <CUnit/CUnit.h>
#include <stdio.h>

/* Node 0 must shed 24; its two 12s fit into the rooms 15 and 10 one at a time only: at most 15 can
 * move. The rooms add up to 25 and a 12 fits, so the older proofs (total room, a sender that cannot
 * send anything) do not see it; GLPK was called and spent its budget. With rooms 15 and 15 both 12s
 * move and the repair is found. */
static void test_core_shedding_short_skips_glpk(void)
{
  (void)overload, (void)cstr; /* test_core_inst.h's helpers this suite does not need */
  inst_t t;
  inst_init(&t, 3, 100);
  vm(&t, 0, 60, true), vm(&t, 0, 40, true), vm(&t, 0, 12, true), vm(&t, 0, 12, true); /* 124 */
  vm(&t, 1, 85, true);                                                                /* room 15 */
  vm(&t, 2, 90, true);                                                                /* room 10 */
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_FALSE(r.milp_ran);
  t.vms[5].cpu_demand = 85; /* room 15 on node 2 too */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.migrations, 2);
  CU_ASSERT_NOT_EQUAL(r.target[2], r.target[3]);
  core_result_free(&r);
}

/* The same in RAM: node 0 (4 GiB) holds four VMs of 1.5 GiB and must send two; node 1 has room for
 * one, node 2 for none. */
static void test_core_shedding_short_in_ram(void)
{
  inst_t t;
  inst_init(&t, 3, 100);
  for (size_t n = 0; n < 3; n++)
    t.nodes[n].ram_capacity_bytes = 4 * GIB;
  for (int i = 0; i < 4; i++)
    vm(&t, 0, 10, true);
  vm(&t, 1, 10, true), vm(&t, 2, 10, true);
  for (size_t v = 0; v < 4; v++)
    t.vms[v].ram_bytes = 3 * GIB / 2;
  t.vms[4].ram_bytes = 9 * GIB / 4, t.vms[5].ram_bytes = 3 * GIB; /* rooms 1.75 and 1 GiB */
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_NO_SOLUTION);
  CU_ASSERT_FALSE(r.milp_ran);
  t.vms[5].ram_bytes = GIB; /* rooms 1.75 and 3 GiB: one VM each way */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.migrations, 2);
  core_result_free(&r);
}

/* Two senders must shed 10 and 20 and both can only use the room of 60, but whole VMs: at least 30
 * and 35, 65 in all. Shed by the amount alone (30 of 60) it would look possible. With a room of 70,
 * both move there. */
static void test_core_whole_vms_are_shed(void)
{
  inst_t t;
  inst_init(&t, 5, 100);
  vm(&t, 0, 30, true), vm(&t, 0, 40, true), vm(&t, 0, 40, true); /* 110 */
  vm(&t, 1, 50, true), vm(&t, 1, 35, true), vm(&t, 1, 35, true); /* 120 */
  vm(&t, 2, 80, true), vm(&t, 3, 90, true);                      /* rooms 20 and 10 */
  vm(&t, 4, 40, true);                                           /* room 60 */
  core_result_t r = CORE_RESULT_INIT;
  CU_ASSERT_NOT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_FALSE(r.milp_ran);
  t.vms[8].cpu_demand = 30; /* room 70 */
  CU_ASSERT_EQUAL(solve(&t, NULL, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.migrations, 2);
  CU_ASSERT_EQUAL(r.target[0], 4);
  core_result_free(&r);
}

/* Does a repair exist? Each movable VM of an overloaded node stays or goes to a node that is not
 * overloaded (repair mode, no-chain); every node must end within its CPU capacity. */
static bool repair_exists(const inst_t* t, const bool* over, const int32_t* movers, size_t k, size_t i, double* load)
{
  if (i == k) {
    for (size_t n = 0; n < t->pb.node_count; n++)
      if (load[n] > t->nodes[n].cpu_capacity + 1e-9) return false;
    return true;
  }
  const core_vm_t* v = &t->vms[movers[i]];
  if (repair_exists(t, over, movers, k, i + 1, load)) return true;
  for (size_t n = 0; n < t->pb.node_count; n++) {
    if (over[n]) continue;
    load[v->node] -= v->cpu_demand, load[n] += v->cpu_demand;
    bool found = repair_exists(t, over, movers, k, i + 1, load);
    load[v->node] += v->cpu_demand, load[n] -= v->cpu_demand;
    if (found) return true;
  }
  return false;
}

/* Seeded problems of 3 or 4 nodes (capacity 100) and 2 to 4 VMs each (MAXV = 16 at most), demands in steps of 5: when a
 * repair exists the core finds it (so no proof stopped GLPK wrongly), and the proofs keep GLPK out of
 * problems without one. */
static void test_core_proofs_agree_with_brute_force(void)
{
  uint64_t state  = 0x9e3779b97f4a7c15ULL;
  size_t feasible = 0, infeasible = 0, glpk_kept_out = 0;
  for (int iter = 0; iter < 600; iter++) {
    inst_t t;
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    size_t nodes = 3 + state % 2;
    inst_init(&t, nodes, 100);
    double load[MAXN] = {0};
    for (size_t n = 0; n < nodes; n++) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      size_t count = 2 + state % 3;
      for (size_t i = 0; i < count; i++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        double cpu = 5.0 * (double)(1 + state % 12); /* 5 to 60 */
        vm(&t, (int32_t)n, cpu, true);
        load[n] += cpu;
      }
    }
    bool over[MAXN] = {false}, any = false;
    int32_t movers[MAXV];
    size_t k = 0;
    for (size_t n = 0; n < nodes; n++)
      any |= over[n] = load[n] > 100;
    if (!any) continue;
    for (size_t v = 0; v < t.pb.vm_count; v++)
      if (over[t.vms[v].node]) movers[k++] = (int32_t)v;
    bool exists     = repair_exists(&t, over, movers, k, 0, load);
    core_result_t r = CORE_RESULT_INIT;
    core_status_t s = solve(&t, NULL, &r);
    if (exists) {
      feasible++;
      CU_ASSERT_EQUAL(s, CORE_SOLVED);
    } else {
      infeasible++;
      CU_ASSERT_NOT_EQUAL(s, CORE_SOLVED);
      glpk_kept_out += !r.milp_ran;
    }
    core_result_free(&r);
  }
  printf("\n    %zu problems with a repair, %zu without (GLPK not called on %zu of them) ", feasible, infeasible,
         glpk_kept_out);
  CU_ASSERT(feasible >= 50);
  CU_ASSERT(infeasible >= 50);
  /* all 345; 304 with the total room and the stuck sender alone */
  CU_ASSERT(glpk_kept_out * 100 >= infeasible * 95);
}

CU_TestInfo core_proofs_tests[] = {
    {"shedding_short_skips_glpk", test_core_shedding_short_skips_glpk},
    {"shedding_short_in_ram", test_core_shedding_short_in_ram},
    {"whole_vms_are_shed", test_core_whole_vms_are_shed},
    {"proofs_agree_with_brute_force", test_core_proofs_agree_with_brute_force},
    CU_TEST_INFO_NULL,
};
