/* The core's locality term (core_problem_t.node_site / site_distance, core_params_t.locality) on small
 * hand-made two- and three-site problems, solved for real: the heuristic's candidate order (same site
 * first, then the nearest site), GLPK's objective term, the problem checks, and that one site changes
 * nothing. Not the problem builder's sites (the e2e runs luc_small and dvms_locality cover those). */
#include "core.h"

#include <CUnit/CUnit.h>
#include <string.h>

#define GIB (1024ULL * 1024 * 1024)

typedef struct inst {
  core_node_t nodes[8];
  core_vm_t vms[16];
  uint32_t site[8];
  double dist[9];
  core_problem_t pb;
} inst_t;

/* nodes of capacity 100 in the given sites (site_count = 1 + the largest) */
static void inst_init(inst_t* t, size_t nodes, const uint32_t* sites)
{
  memset(t, 0, sizeof *t);
  uint32_t ns = 0;
  for (size_t n = 0; n < nodes; n++) {
    t->nodes[n] = (core_node_t){100, 16 * GIB, true, (int64_t)n};
    t->site[n]  = sites[n];
    ns          = sites[n] + 1 > ns ? sites[n] + 1 : ns;
  }
  t->pb =
      (core_problem_t){.nodes = t->nodes, .node_count = nodes, .vms = t->vms, .node_site = t->site, .site_count = ns};
}

static int32_t vm(inst_t* t, int32_t node, double cpu)
{
  size_t v  = t->pb.vm_count++;
  t->vms[v] = (core_vm_t){cpu, GIB, node, true, (int64_t)v};
  return (int32_t)v;
}

static void params(core_params_t* p, core_locality_t loc, core_placement_t place)
{
  core_params_init(p);
  p->locality = loc, p->placement = place;
}

static core_status_t solve(const inst_t* t, const core_params_t* p, core_result_t* r)
{
  CU_ASSERT_EQUAL_FATAL(core_solve(&t->pb, p, r), 0);
  if (r->status == CORE_SOLVED) {
    CU_ASSERT_EQUAL(core_check_placement(&t->pb, r->target, NULL, 0), 0);
    CU_ASSERT(r->cost >= r->lower_bound - 1e-9);
  }
  return r->status;
}

/* A (site 0) holds 60 + 50; B (site 0) has 60 free; C and D (site 1) are empty. Worst fit alone sends
 * the 50 to C (most room); with the locality it stays in site 0, on B. Same cost either way. */
static void two_sites(inst_t* t, int32_t* moved)
{
  static const uint32_t sites[] = {0, 0, 1, 1};
  inst_init(t, 4, sites);
  vm(t, 0, 60), *moved = vm(t, 0, 50), vm(t, 1, 40);
}

static void test_core_locality_heuristic_prefers_the_same_site(void)
{
  inst_t t;
  int32_t moved;
  two_sites(&t, &moved);
  core_params_t p;
  core_result_t r = CORE_RESULT_INIT;
  params(&p, CORE_LOCALITY_SITE, CORE_PLACE_WORST_FIT);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 1);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_HEURISTIC);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12); /* the locality is never part of the cost */
  CU_ASSERT_TRUE(r.proven_optimal);
  params(&p, CORE_LOCALITY_OFF, CORE_PLACE_WORST_FIT);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 2); /* locality off: the emptiest node, in the other site */
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  core_params_init(&p); /* the default is CORE_LOCALITY_SITE */
  CU_ASSERT_EQUAL(p.locality, CORE_LOCALITY_SITE);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 1);
  core_result_free(&r);
}

/* First fit in index order meets a node of the other site first (B, site 1); the locality skips it. */
static void test_core_locality_first_fit_skips_a_nearer_index_in_another_site(void)
{
  static const uint32_t sites[] = {0, 1, 0};
  inst_t t;
  inst_init(&t, 3, sites);
  vm(&t, 0, 60);
  int32_t moved = vm(&t, 0, 50);
  core_params_t p;
  core_result_t r = CORE_RESULT_INIT;
  params(&p, CORE_LOCALITY_OFF, CORE_PLACE_FIRST_FIT);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 1);
  params(&p, CORE_LOCALITY_SITE, CORE_PLACE_FIRST_FIT);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 2);
  core_result_free(&r);
}

/* A (site 0) must send; site 0 has no room. Site 1 (B, empty) is 5 ms away, site 2 (C, 30 free) 1 ms.
 * By site alone both are "another site" and worst fit picks B; by latency C is nearer and has room. */
static void test_core_locality_latency_picks_the_nearest_site(void)
{
  static const uint32_t sites[] = {0, 1, 2};
  static const double dist[]    = {0, 5e-3, 1e-3, 5e-3, 0, 4e-3, 1e-3, 4e-3, 0};
  inst_t t;
  inst_init(&t, 3, sites);
  memcpy(t.dist, dist, sizeof dist);
  t.pb.site_distance = t.dist;
  vm(&t, 0, 80);
  int32_t moved = vm(&t, 0, 25);
  vm(&t, 2, 70);
  core_params_t p;
  core_result_t r = CORE_RESULT_INIT;
  params(&p, CORE_LOCALITY_SITE, CORE_PLACE_WORST_FIT);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 1);
  params(&p, CORE_LOCALITY_DISTANCE, CORE_PLACE_WORST_FIT);
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 2);
  t.pb.site_distance = NULL; /* no distances: as CORE_LOCALITY_SITE */
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.target[moved], 1);
  core_result_free(&r);
}

/* GLPK alone (no heuristic) on the two-site problem: with the locality term its optimum keeps the VM
 * in site 0; without it GLPK's optimum (same cost) is in the other site. The bound stays a bound on
 * the migration cost. */
static void test_core_locality_milp_objective_keeps_the_vm_in_its_site(void)
{
  static const uint32_t sites[] = {0, 1, 1, 0};
  inst_t t;
  inst_init(&t, 4, sites);
  vm(&t, 0, 60);
  int32_t moved = vm(&t, 0, 50);
  vm(&t, 3, 40);
  core_params_t p;
  core_result_t r = CORE_RESULT_INIT;
  params(&p, CORE_LOCALITY_OFF, CORE_PLACE_WORST_FIT);
  p.use_heuristic = false;
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_TRUE(r.milp_ran);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_MILP);
  CU_ASSERT_NOT_EQUAL(t.site[r.target[moved]], 0);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  p.locality = CORE_LOCALITY_SITE;
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
  CU_ASSERT_EQUAL(r.solver, CORE_SOLVER_MILP);
  CU_ASSERT_EQUAL(r.target[moved], 3);
  CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
  CU_ASSERT_TRUE(r.proven_optimal);
  CU_ASSERT(r.lower_bound <= 1 + 1e-9);
  core_result_free(&r);
}

/* The locality term never outweighs a migration: A (site 0) holds 60 + 30 + 15 + 15 (20 too much), B and
 * C (site 0) have 15 free each, D (site 1) is empty. Two 15s could stay in site 0 (two migrations);
 * one VM to D is one migration: GLPK (and the heuristic) cross the sites. */
static void test_core_locality_never_costs_a_migration(void)
{
  static const uint32_t sites[] = {0, 0, 0, 1};
  inst_t t;
  inst_init(&t, 4, sites);
  vm(&t, 0, 60), vm(&t, 0, 30), vm(&t, 0, 15), vm(&t, 0, 15);
  vm(&t, 1, 85), vm(&t, 2, 85);
  core_params_t p;
  core_result_t r = CORE_RESULT_INIT;
  for (int heuristic = 0; heuristic < 2; heuristic++) {
    params(&p, CORE_LOCALITY_SITE, CORE_PLACE_WORST_FIT);
    p.use_heuristic = heuristic;
    CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &r), CORE_SOLVED);
    CU_ASSERT_EQUAL(r.migrations, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.cost, 1, 1e-12);
    CU_ASSERT_TRUE(r.proven_optimal);
    size_t crossing = 0;
    for (size_t v = 0; v < 4; v++)
      crossing += r.target[v] == 3;
    CU_ASSERT_EQUAL(crossing, 1);
  }
  core_result_free(&r);
}

/* One site (every node in site 0, or a single site_count): the very same answer and work as no sites. */
static void test_core_locality_one_site_changes_nothing(void)
{
  static const uint32_t sites[] = {0, 0, 0, 0};
  inst_t t;
  int32_t moved;
  two_sites(&t, &moved);
  core_params_t p;
  core_result_t a = CORE_RESULT_INIT, b = CORE_RESULT_INIT;
  params(&p, CORE_LOCALITY_DISTANCE, CORE_PLACE_WORST_FIT);
  t.pb.node_site = NULL, t.pb.site_count = 0;
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &a), CORE_SOLVED);
  t.pb.node_site = sites, t.pb.site_count = 1;
  CU_ASSERT_EQUAL_FATAL(solve(&t, &p, &b), CORE_SOLVED);
  CU_ASSERT_EQUAL(memcmp(a.target, b.target, t.pb.vm_count * sizeof(int32_t)), 0);
  CU_ASSERT_EQUAL(memcmp(&a.work, &b.work, sizeof a.work), 0);
  CU_ASSERT_DOUBLE_EQUAL(a.charged_seconds, b.charged_seconds, 0);
  CU_ASSERT_EQUAL(a.target[moved], 2);
  core_result_free(&a), core_result_free(&b);
}

static void test_core_locality_bad_sites_are_reported(void)
{
  inst_t t;
  int32_t moved;
  two_sites(&t, &moved);
  core_result_t r = CORE_RESULT_INIT;
  t.pb.site_count = 1; /* nodes 2 and 3 are in site 1 */
  CU_ASSERT_EQUAL(core_solve(&t.pb, NULL, &r), -1);
  CU_ASSERT_STRING_EQUAL(r.error, "node 2: site 1 out of range [0, 1)");
  static const double bad[] = {0, -1, 1, 0};
  t.pb.site_count           = 2;
  t.pb.site_distance        = bad;
  CU_ASSERT_EQUAL(core_solve(&t.pb, NULL, &r), -1);
  CU_ASSERT_STRING_EQUAL(r.error, "site_distance[1] -1 is invalid; expected a finite value >= 0");
  core_result_free(&r);
}

CU_TestInfo core_locality_tests[] = {
    {"heuristic_prefers_the_same_site", test_core_locality_heuristic_prefers_the_same_site},
    {"first_fit_skips_a_nearer_index_in_another_site",
     test_core_locality_first_fit_skips_a_nearer_index_in_another_site},
    {"latency_picks_the_nearest_site", test_core_locality_latency_picks_the_nearest_site},
    {"milp_objective_keeps_the_vm_in_its_site", test_core_locality_milp_objective_keeps_the_vm_in_its_site},
    {"never_costs_a_migration", test_core_locality_never_costs_a_migration},
    {"one_site_changes_nothing", test_core_locality_one_site_changes_nothing},
    {"bad_sites_are_reported", test_core_locality_bad_sites_are_reported},
    CU_TEST_INFO_NULL,
};
