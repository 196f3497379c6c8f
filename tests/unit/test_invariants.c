/* The --check invariants: the checker stays silent on a real sequence of cluster events (loads,
 * migrations started, completed and aborted, crashes and recoveries), and each corruption of a
 * copy of the records is found and named. */
#include "invariants.h"

#include <CUnit/CUnit.h>
#include <string.h>

#define GIB (1024ULL * 1024 * 1024)
#define PMS 3
#define VMS 4

static cluster_t* small_cluster(void)
{
  cluster_t* cl = cluster_create(PMS, VMS);
  for (size_t pm = 0; pm < PMS; pm++)
    cluster_set_pm_capacity(cl, pm, 400, 8 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 1, GIB, 80);
  cluster_place_vm(cl, 1, 0, 0, 1, GIB, 60);
  cluster_place_vm(cl, 2, 1, 0, 2, 2 * GIB, 50);
  cluster_place_vm(cl, 3, 2, 0, 1, GIB, 10);
  return cl;
}

static void test_invariants_hold_through_real_events(void)
{
  cluster_t* cl     = small_cluster();
  invariants_t* inv = invariants_attach(cl);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
  invariants_check_now(inv, 0);
  cluster_set_load(cl, 0, 95, 1);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 2), 0);
  cluster_set_load(cl, 0, 30, 3); /* load changes while migrating */
  cluster_migration_arrive(cl, 0, 4);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 3, 0, 5), 0);
  cluster_migration_abort(cl, 3, 6);
  cluster_pm_crash(cl, 2, 7);
  cluster_set_load(cl, 3, 70, 8); /* on a crashed PM */
  cluster_pm_recover(cl, 2, 9);
  invariants_check_now(inv, 10);
  CU_ASSERT_EQUAL(invariants_failures(inv), 0);
  CU_ASSERT_STRING_EQUAL(invariants_first_failure(inv), "");
  cluster_destroy(cl);
  invariants_destroy(inv);
}

/* A copy of the records, to corrupt one field at a time. */
typedef struct records {
  cluster_pm_t pms[PMS];
  cluster_vm_t vms[VMS];
  int32_t first_lost;
} records_t;

static records_t copy_of(const cluster_t* cl)
{
  records_t r;
  memcpy(r.pms, cluster_pm(cl, 0), sizeof r.pms);
  memcpy(r.vms, cluster_vm(cl, 0), sizeof r.vms);
  r.first_lost = cluster_first_lost(cl);
  return r;
}

static const char* check(records_t* r)
{
  static char why[512];
  why[0] = '\0';
  return invariants_check_all(r->pms, PMS, r->vms, VMS, r->first_lost, 0, why, sizeof why) ? "ok" : why;
}

static void test_invariants_name_each_corruption(void)
{
  cluster_t* cl = small_cluster();
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 1, 2, 1), 0);
  records_t good = copy_of(cl), r;
  CU_ASSERT_STRING_EQUAL(check(&good), "ok");

  r = good, r.pms[0].ram_used_bytes += 1;
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 0: RAM used 2147483649 bytes, its VMs add up to 2147483648");
  r = good, r.pms[1].cpu_demand = 99;
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 1: CPU demand 99, its VMs add up to 100");
  r = good, r.vms[2].pm = 0; /* listed on PM 1, says PM 0 */
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 1 lists VM 2, whose PM is 0");
  r = good, r.pms[0].vm_count = 3;
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 0: 2 VMs in its list, 3 counted");
  r = good, r.vms[r.pms[0].first_vm].next_on_pm = r.pms[0].first_vm; /* a loop */
  CU_ASSERT_PTR_NOT_NULL(strstr(check(&r), "PM 0: VM"));
  r = good, r.pms[2].migrations_in = 0;
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 2: migrations in 0 and out 0 counted, 1 and 0 in flight");
  r = good, r.pms[2].ram_incoming_bytes = 0;
  CU_ASSERT_PTR_NOT_NULL(strstr(check(&r), "PM 2: incoming demand"));
  r = good, r.pms[1].online = false; /* down, yet serving demand */
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 1: CPU demand 100, its VMs add up to 0");
  r = good, r.pms[2].online = false, r.pms[2].cpu_demand = 0;
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 2 is down with 1 migrations in, 0 out and 0 restarts");
  /* a VM in no list: PM 2 forgets VM 3 */
  r = good, r.pms[2].first_vm = CLUSTER_NONE, r.pms[2].vm_count = 0, r.pms[2].ram_used_bytes = 0,
  r.pms[2].cpu_demand = 0;
  CU_ASSERT_STRING_EQUAL(check(&r), "4 VMs, 3 in the PMs' lists (restarting ones included), 0 lost and 0 absent");
  cluster_destroy(cl);
}

/* vm_recovery=restart: lost and restarting VMs are accounted for, and their corruptions named. */
static void test_invariants_follow_lost_and_restarting_vms(void)
{
  cluster_t* cl     = small_cluster();
  invariants_t* inv = invariants_attach(cl);
  cluster_set_lose_vms(cl, true);
  cluster_pm_crash(cl, 0, 1);                             /* VMs 1 and 0 lost */
  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 0, 2, 2), 0); /* VM 0 restarts on PM 2 */
  invariants_check_now(inv, 3);
  CU_ASSERT_EQUAL(invariants_failures(inv), 0);
  records_t good = copy_of(cl), r;
  CU_ASSERT_STRING_EQUAL(check(&good), "ok");
  r = good, r.vms[1].restart_to = 1; /* a lost VM claiming a restart */
  CU_ASSERT_STRING_EQUAL(check(&r), "lost VM 1 has PM -1, restart PM 1, migration to -1");
  r = good, r.pms[2].restarts_in = 0;
  CU_ASSERT_STRING_EQUAL(check(&r), "PM 2: 1 VMs restarting in its list, 0 counted");
  r = good, r.pms[2].ram_incoming_bytes = 0;
  CU_ASSERT_PTR_NOT_NULL(strstr(check(&r), "PM 2: incoming demand"));
  r = good, r.first_lost = CLUSTER_NONE; /* VM 1 in no list */
  CU_ASSERT_STRING_EQUAL(check(&r), "4 VMs, 3 in the PMs' lists (restarting ones included), 0 lost and 0 absent");
  cluster_restart_done(cl, 0, 30);
  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 1, 1, 31), 0);
  cluster_restart_abort(cl, 1, 32);
  cluster_pm_recover(cl, 0, 40);
  invariants_check_now(inv, 41);
  CU_ASSERT_EQUAL(invariants_failures(inv), 0);
  cluster_destroy(cl);
  invariants_destroy(inv);
}

CU_TestInfo invariants_tests[] = {
    {"follow_lost_and_restarting_vms", test_invariants_follow_lost_and_restarting_vms},
    {"hold_through_real_events", test_invariants_hold_through_real_events},
    {"name_each_corruption", test_invariants_name_each_corruption},
    CU_TEST_INFO_NULL,
};
