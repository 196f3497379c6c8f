/* CloudSim's overload detectors (scheduler/overload.c): the thresholds of THR, MAD, IQR and LR on
 * hand-computed histories, their fallbacks while a history is short, and the clamp to [0, 1]. The
 * whole path (histories sampled in rounds, the core evicting above the threshold) is e2e energy.sh. */
#include "scheduler.h"

#include <CUnit/CUnit.h>

static const double twelve[12] = {0.5, 0.6, 0.4, 0.5, 0.7, 0.3, 0.5, 0.6, 0.4, 0.5, 0.5, 0.5};

static void test_overload_static_threshold(void)
{
  sched_overload_params_t p = {SCHED_OVERLOAD_THR, 0.8, 0, 0.7};
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 12, 0.5), 0.8, 0);
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 0, 0.5), 0.8, 0); /* no history needed */
  p.rule = SCHED_OVERLOAD_CAPACITY;
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 12, 0.5), 1, 0);
}

/* median 0.5; |x - 0.5| sorted: six 0, four 0.1, two 0.2: MAD = (0 + 0.1) / 2 = 0.05 */
static void test_overload_median_absolute_deviation(void)
{
  sched_overload_params_t p = {SCHED_OVERLOAD_MAD, 0.8, 2.5, 0.7};
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 12, 0.5), 1 - 2.5 * 0.05, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 11, 0.5), 0.7, 0); /* fewer than 12: fallback */
  p.safety = 30; /* 1 - 1.5 < 0: every loaded PM is overloaded */
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 12, 0.5), 0, 0);
}

/* sorted: 0.3 0.4 0.4 0.5 0.5 0.5 0.5 0.5 0.5 0.6 0.6 0.7; ranks round(3.25) - 1 = 2 and
 * round(9.75) - 1 = 9: IQR = 0.6 - 0.4 */
static void test_overload_interquartile_range(void)
{
  sched_overload_params_t p = {SCHED_OVERLOAD_IQR, 0.8, 1.5, 0.7};
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, twelve, 12, 0.5), 1 - 1.5 * 0.2, 1e-12);
  double thirteen[13] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.05, 0.15, 0.25};
  /* sorted 0.05 0.1 0.15 0.2 0.25 0.3 ...: ranks round(3.5) - 1 = 3 (0.2) and round(10.5) - 1 = 10 (0.8) */
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, thirteen, 13, 0.5), 1 - 1.5 * 0.6, 1e-12);
}

/* y = 0.4 + 0.05 x at x = 1 (oldest) .. 10 (newest): the fit is exact and predicts 0.95 at x = 11;
 * s = 1.2 gives 1.14 >= 1: overloaded, and the share is u / 1.14. */
static void test_overload_local_regression(void)
{
  double h[12];
  for (size_t i = 0; i < 12; i++)
    h[i] = 0.4 + 0.05 * (double)(10 - i); /* h[0] newest (x = 10); h[10], h[11] older than the fit */
  sched_overload_params_t p = {SCHED_OVERLOAD_LR, 0.8, 1.2, 0.7};
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, h, 12, 0.9), 0.9 / (1.2 * 0.95), 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, h, 9, 0.9), 0.7, 0); /* fewer than 10: fallback */
  for (size_t i = 0; i < 12; i++) /* falling to 0: predicted below 0, never overloaded */
    h[i] = 0.05 * (double)i;
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, h, 12, 0.0), 1, 0);
  for (size_t i = 0; i < 12; i++) /* flat 0.5: 1.2 x 0.5 < 1, not overloaded; filled up to 0.5 / 0.6 */
    h[i] = 0.5;
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, h, 12, 0.5), 0.5 / 0.6, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(sched_overload_threshold(&p, h, 12, 0.9), 1, 0); /* 0.9 / 0.6: clamped */
}

CU_TestInfo overload_tests[] = {
    {"static_threshold", test_overload_static_threshold},
    {"median_absolute_deviation", test_overload_median_absolute_deviation},
    {"interquartile_range", test_overload_interquartile_range},
    {"local_regression", test_overload_local_regression},
    CU_TEST_INFO_NULL,
};
