/* Energy from the linear power model, on hand-built scenarios with exactly known joules. */
#include "energy.h"

#include <CUnit/CUnit.h>

#define GIB (1024ULL * 1024 * 1024)

static void test_energy_integrates_the_linear_model(void)
{
  /* 2 PMs of 8 cores (800 load units in all, 700 for VMs), 100 W idle, 200 W at full load */
  cluster_t* cl         = cluster_create(2, 2);
  const double cores[2] = {800, 800};
  cluster_set_pm_capacity(cl, 0, 700, 32 * GIB);
  cluster_set_pm_capacity(cl, 1, 700, 32 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 4, GIB, 100); /* 400 units: u = 0.5, 150 W */
  cluster_place_vm(cl, 1, 1, 0, 1, GIB, 0);   /* idle: 100 W */
  energy_t* en = energy_create(cl, cores, 100, 200);
  CU_ASSERT_PTR_NOT_NULL_FATAL(en);
  CU_ASSERT_DOUBLE_EQUAL(energy_joules(en, 10), 10 * (150 + 100), 1e-9);
  cluster_set_load(cl, 0, 50, 10); /* PM 0: 200 units, u = 0.25, 125 W */
  cluster_pm_crash(cl, 1, 20);     /* PM 1: 0 W while down */
  cluster_pm_recover(cl, 1, 30);
  double expected = 10 * 250 + 30 * 125 + 20 * 100; /* PM 0 at 150 then 125 W, PM 1 at 100 W but 10 s */
  CU_ASSERT_DOUBLE_EQUAL(energy_joules(en, 40), expected, 1e-9);
  cluster_set_load(cl, 1, 100, 40); /* 100 units on 800: 112.5 W; overload caps u at 1 */
  cluster_set_load(cl, 0, 250, 40); /* 1000 units > 800: u = 1, 200 W */
  CU_ASSERT_DOUBLE_EQUAL(energy_joules(en, 50), expected + 10 * (200 + 112.5), 1e-9);
  energy_destroy(en);
  cluster_destroy(cl);
}

static void test_energy_is_off_without_power(void)
{
  cluster_t* cl         = cluster_create(1, 0);
  const double cores[1] = {800};
  CU_ASSERT_PTR_NULL(energy_create(cl, cores, 0, 0));
  cluster_destroy(cl);
}

CU_TestInfo energy_tests[] = {
    {"integrates_the_linear_model", test_energy_integrates_the_linear_model},
    {"is_off_without_power", test_energy_is_off_without_power},
    CU_TEST_INFO_NULL,
};
