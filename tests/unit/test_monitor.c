/* Violation accounting on hand-built scenarios whose PM-seconds are known exactly. */
#include "monitor.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#define GIB (1024ULL * 1024 * 1024)

/* 3 PMs of 100 load units; VM i on PM i at load 50, VM 3 on PM 0 at load 40. */
static cluster_t* three_pms(void)
{
  cluster_t* cl = cluster_create(3, 4);
  for (size_t pm = 0; pm < 3; pm++)
    cluster_set_pm_capacity(cl, pm, 100, 4 * GIB);
  for (size_t vm = 0; vm < 3; vm++)
    cluster_place_vm(cl, vm, vm, 0, 1, GIB, 50);
  cluster_place_vm(cl, 3, 0, 0, 1, GIB, 40);
  return cl;
}

static void test_monitor_counts_exact_pm_seconds(void)
{
  cluster_t* cl = three_pms();
  char* buf     = NULL;
  size_t len    = 0;
  FILE* rows    = open_memstream(&buf, &len);
  mon_t* mon    = mon_create(cl, rows);
  cluster_set_load(cl, 0, 70, 10.0); /* PM 0: 110 > 100 from t=10 */
  cluster_set_load(cl, 1, 90, 12.5); /* PM 1: 90 fits */
  cluster_set_load(cl, 3, 50, 15.0); /* PM 0: still over (120) */
  mon_mark_detected(mon, 0, 16.0);
  cluster_set_load(cl, 0, 10, 25.0);  /* PM 0: 60, back at t=25: 15 s */
  cluster_set_load(cl, 2, 101, 30.0); /* PM 2: over from t=30 */
  /* a migration makes PM 1 non-viable on arrival: violation-out from t=40 */
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 3, 1, 35.0), 0);
  cluster_migration_arrive(cl, 3, 40.0);
  CU_ASSERT_EQUAL(mon_pm_state(mon, 1), MON_VIOLATION_OUT);
  cluster_set_load(cl, 1, 40, 41.5); /* PM 1: 90 again: 1.5 s of violation-out */
  mon_finish(mon, 50.0);             /* PM 2 still over: 20 s, truncated */
  fclose(rows);

  CU_ASSERT_DOUBLE_EQUAL(mon_pm_violation_s(mon, 0), 15.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(mon_pm_violation_s(mon, 1), 0.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(mon_pm_violation_out_s(mon, 1), 1.5, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(mon_pm_violation_s(mon, 2), 20.0, 1e-12);
  mon_totals_t t = mon_totals(mon);
  CU_ASSERT_DOUBLE_EQUAL(t.violation_s, 35.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(t.violation_out_s, 1.5, 1e-12);
  CU_ASSERT_EQUAL(t.intervals, 3);
  CU_ASSERT_EQUAL(t.detected, 1);
  CU_ASSERT_DOUBLE_EQUAL(t.detected_s, 15.0, 1e-12);
  CU_ASSERT_EQUAL(t.pms_in_violation, 0);
  CU_ASSERT_STRING_EQUAL(buf, "pm,kind,start_s,end_s,duration_s,detected,detection_delay_s,truncated\n"
                              "0,violation,10.000000000,25.000000000,15.000000000,1,6.000000000,0\n"
                              "1,violation-out,40.000000000,41.500000000,1.500000000,0,0.000000000,0\n"
                              "2,violation,30.000000000,50.000000000,20.000000000,0,0.000000000,1\n");
  free(buf);
  mon_destroy(mon);
  cluster_destroy(cl);
}

static void test_monitor_crash_closes_the_interval(void)
{
  cluster_t* cl = three_pms();
  mon_t* mon    = mon_create(cl, NULL);
  cluster_set_load(cl, 0, 80, 5.0); /* PM 0 over from 5 */
  cluster_pm_crash(cl, 0, 9.0);     /* counted up to the crash */
  CU_ASSERT_EQUAL(mon_pm_state(mon, 0), MON_OFF);
  cluster_pm_recover(cl, 0, 20.0); /* back non-viable: a new interval from 20 */
  CU_ASSERT_EQUAL(mon_pm_state(mon, 0), MON_VIOLATION);
  cluster_set_load(cl, 0, 10, 22.0);
  mon_finish(mon, 30.0);
  CU_ASSERT_DOUBLE_EQUAL(mon_pm_violation_s(mon, 0), 4.0 + 2.0, 1e-12);
  CU_ASSERT_EQUAL(mon_totals(mon).intervals, 2);
  mon_destroy(mon);
  cluster_destroy(cl);
}

typedef struct seen {
  int changes;
  mon_state_t last;
} seen_t;

static void observe(void* ud, size_t pm, mon_state_t state, bool detected, double now)
{
  (void)pm;
  (void)detected;
  (void)now;
  seen_t* s = ud;
  s->changes++;
  s->last = state;
}

static void test_monitor_observers_see_changes_only(void)
{
  cluster_t* cl = three_pms();
  mon_t* mon    = mon_create(cl, NULL);
  seen_t seen   = {0};
  mon_add_observer(mon, observe, &seen);
  cluster_set_load(cl, 1, 60, 1.0); /* still viable: no change */
  CU_ASSERT_EQUAL(seen.changes, 0);
  cluster_set_load(cl, 1, 100.5, 2.0);
  CU_ASSERT_EQUAL(seen.changes, 1);
  CU_ASSERT_EQUAL(seen.last, MON_VIOLATION);
  cluster_set_load(cl, 1, 100.7, 3.0); /* still over: no change */
  CU_ASSERT_EQUAL(seen.changes, 1);
  mon_destroy(mon);
  cluster_destroy(cl);
}

CU_TestInfo monitor_tests[] = {
    {"counts_exact_pm_seconds", test_monitor_counts_exact_pm_seconds},
    {"crash_closes_the_interval", test_monitor_crash_closes_the_interval},
    {"observers_see_changes_only", test_monitor_observers_see_changes_only},
    CU_TEST_INFO_NULL,
};
