/* Energy from the power models (linear, piecewise, power states), on hand-built scenarios with
 * exactly known joules; and the cluster's power transitions. */
#include "energy.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>

#define GIB (1024ULL * 1024 * 1024)

static const double linear[2] = {100, 200};

static void test_energy_integrates_the_linear_model(void)
{
  /* 2 PMs of 8 cores (800 load units in all, 700 for VMs), 100 W idle, 200 W at full load */
  cluster_t* cl         = cluster_create(2, 2);
  const double cores[2] = {800, 800};
  cluster_set_pm_capacity(cl, 0, 700, 32 * GIB);
  cluster_set_pm_capacity(cl, 1, 700, 32 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 4, GIB, 100); /* 400 units: u = 0.5, 150 W */
  cluster_place_vm(cl, 1, 1, 0, 1, GIB, 0);   /* idle: 100 W */
  energy_model_t m = {.curve_W = linear, .curve_points = 2};
  energy_t* en     = energy_create(cl, cores, &m, 1, NULL);
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

static void test_energy_follows_a_piecewise_curve(void)
{
  /* 5 points: 0 %: 50 W, 25 %: 100 W, 50 %: 110 W, 75 %: 120 W, 100 %: 200 W */
  static const double curve[5] = {50, 100, 110, 120, 200};
  energy_model_t m             = {.curve_W = curve, .curve_points = 5};
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 0), 50, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 0.125), 75, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 0.5), 110, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 0.875), 160, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 1), 200, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 3), 200, 1e-12);
  cluster_t* cl         = cluster_create(1, 1);
  const double cores[1] = {800};
  cluster_set_pm_capacity(cl, 0, 800, 32 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 1, GIB, 100); /* 100 of 800 units: u = 0.125, 75 W */
  energy_t* en = energy_create(cl, cores, &m, 1, NULL);
  cluster_set_load(cl, 0, 0, 4); /* idle from t = 4: 50 W */
  CU_ASSERT_DOUBLE_EQUAL(energy_joules(en, 10), 4 * 75 + 6 * 50, 1e-9);
  energy_destroy(en);
  cluster_destroy(cl);
}

static void test_energy_of_power_states(void)
{
  /* PM 0 hosts a VM; PM 1 is empty: it shuts down (30 W), is off (5 W), boots (180 W), is on (100 W) */
  cluster_t* cl         = cluster_create(2, 1);
  const double cores[2] = {800, 800};
  cluster_set_pm_capacity(cl, 0, 800, 32 * GIB);
  cluster_set_pm_capacity(cl, 1, 800, 32 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 1, GIB, 0);
  energy_model_t m = {.curve_W = linear, .curve_points = 2, .off_W = 5, .boot_W = 180, .shutdown_W = 30};
  energy_t* en     = energy_create(cl, cores, &m, 1, NULL);
  CU_ASSERT_EQUAL(cluster_pm_set_power(cl, 0, CLUSTER_POWER_OFF, 0), -1); /* it hosts a VM */
  CU_ASSERT_EQUAL(cluster_pm_set_power(cl, 1, CLUSTER_POWER_BOOTING, 0), -1);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm_empty_since(cl, 1), 0, 0);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm_empty_since(cl, 0), -1, 0);
  CU_ASSERT_EQUAL(cluster_pm_set_power(cl, 1, CLUSTER_POWER_SHUTTING_DOWN, 10), 0);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 11), -1); /* it receives nothing */
  CU_ASSERT_EQUAL(cluster_pm_set_power(cl, 1, CLUSTER_POWER_OFF, 12), 0);
  CU_ASSERT_FALSE(cluster_pm_is_on(cl, 1));
  CU_ASSERT_DOUBLE_EQUAL(cluster_global_load(cl), 0, 0);
  CU_ASSERT_EQUAL(cluster_pm_set_power(cl, 1, CLUSTER_POWER_BOOTING, 20), 0);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 21), -1);
  CU_ASSERT_EQUAL(cluster_pm_set_power(cl, 1, CLUSTER_POWER_ON, 25), 0);
  CU_ASSERT_EQUAL(cluster_boot_count(cl), 1);
  CU_ASSERT_EQUAL(cluster_shutdown_count(cl), 1);
  double pm1 = 10 * 100 + 2 * 30 + 8 * 5 + 5 * 180 + 5 * 100;
  CU_ASSERT_DOUBLE_EQUAL(energy_joules(en, 30), 30 * 100 + pm1, 1e-9);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 30), 0);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm_empty_since(cl, 1), -1, 0);
  cluster_migration_arrive(cl, 0, 40);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm_empty_since(cl, 0), 40, 0);
  energy_destroy(en);
  cluster_destroy(cl);
}

static void test_energy_model_of_the_platform(void)
{
  config_t* cfg = calloc(1, sizeof *cfg);
  config_init_defaults(cfg);
  double curve[CONFIG_POWER_CURVE_MAX];
  energy_model_t m;
  CU_ASSERT_FALSE(energy_model_of(cfg, curve, &m)); /* no power declared */
  cfg->platform.power_idle_W = 90, cfg->platform.power_max_W = 210;
  CU_ASSERT_TRUE_FATAL(energy_model_of(cfg, curve, &m));
  CU_ASSERT_EQUAL(m.curve_points, 2);
  CU_ASSERT_DOUBLE_EQUAL(m.boot_W, 210, 0); /* defaults: boot at full load, shutdown at idle */
  CU_ASSERT_DOUBLE_EQUAL(m.shutdown_W, 90, 0);
  snprintf(cfg->platform.power_curve, sizeof cfg->platform.power_curve, "86, 89.4,117");
  cfg->platform.boot_power_W = 150;
  CU_ASSERT_TRUE_FATAL(energy_model_of(cfg, curve, &m));
  CU_ASSERT_EQUAL(m.curve_points, 3);
  CU_ASSERT_DOUBLE_EQUAL(energy_curve_W(&m, 0.75), (89.4 + 117) / 2, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(m.boot_W, 150, 0);
  CU_ASSERT_DOUBLE_EQUAL(m.shutdown_W, 86, 0);
  char why[256];
  double pts[4];
  CU_ASSERT_EQUAL(config_power_curve_parse("1,2,3,4,5", pts, 4, why, sizeof why), -1);
  CU_ASSERT_EQUAL(config_power_curve_parse("100", pts, 4, why, sizeof why), -1);
  CU_ASSERT_EQUAL(config_power_curve_parse("100,-3", pts, 4, why, sizeof why), -1);
  CU_ASSERT_EQUAL(config_power_curve_parse("100;200", pts, 4, why, sizeof why), -1);
  CU_ASSERT_EQUAL(config_power_curve_parse("100,200", pts, 4, why, sizeof why), 2);
  free(cfg);
}

CU_TestInfo energy_tests[] = {
    {"integrates_the_linear_model", test_energy_integrates_the_linear_model},
    {"follows_a_piecewise_curve", test_energy_follows_a_piecewise_curve},
    {"of_power_states", test_energy_of_power_states},
    {"model_of_the_platform", test_energy_model_of_the_platform},
    CU_TEST_INFO_NULL,
};
