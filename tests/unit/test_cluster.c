/* Cluster bookkeeping: demands, viability, migrations in flight, crashes, initial placement. */
#include "cluster.h"

#include <CUnit/CUnit.h>
#include <string.h>

#define GIB (1024ULL * 1024 * 1024)

static cluster_t* two_pms(void)
{
  cluster_t* cl = cluster_create(2, 3);
  cluster_set_pm_capacity(cl, 0, 200, 4 * GIB);
  cluster_set_pm_capacity(cl, 1, 200, 4 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 1, GIB, 80);
  cluster_place_vm(cl, 1, 0, 0, 1, GIB, 60);
  cluster_place_vm(cl, 2, 1, 0, 2, 2 * GIB, 50);
  return cl;
}

static void test_cluster_demand_follows_loads(void)
{
  cluster_t* cl = two_pms();
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 140, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_demand, 100, 1e-12); /* 2 vCPUs x 50 % */
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->vm_count, 2);
  CU_ASSERT_TRUE(cluster_pm_is_viable(cl, 0));
  cluster_set_load(cl, 0, 100, 1.0);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 160, 1e-12);
  cluster_set_load(cl, 1, 100, 2.0);
  CU_ASSERT_TRUE(cluster_pm_is_viable(cl, 0)); /* 200 is the capacity: 200 fits, 200.5 not */
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 200, 1e-12);
  cluster_set_load(cl, 1, 100.5, 3.0);
  CU_ASSERT_FALSE(cluster_pm_is_viable(cl, 0));
  CU_ASSERT_DOUBLE_EQUAL(cluster_global_load(cl), (200.5 + 100) / 400.0, 1e-12);
  cluster_destroy(cl);
}

static void test_cluster_ram_overcommit_is_not_viable(void)
{
  cluster_t* cl = cluster_create(1, 2);
  cluster_set_pm_capacity(cl, 0, 800, 2 * GIB);
  cluster_place_vm(cl, 0, 0, 0, 1, 2 * GIB, 10);
  CU_ASSERT_TRUE(cluster_pm_is_viable(cl, 0));
  cluster_place_vm(cl, 1, 0, 0, 1, 1, 10);
  CU_ASSERT_FALSE(cluster_pm_is_viable(cl, 0));
  cluster_destroy(cl);
}

static void test_cluster_migration_moves_demand_on_arrival_only(void)
{
  cluster_t* cl = two_pms();
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 0.0), 0);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 0.0), -1); /* already migrating */
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 2, 1, 0.0), -1); /* already there */
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 140, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_incoming, 80, 1e-12);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->ram_incoming_bytes, GIB);
  cluster_set_load(cl, 0, 90, 1.0); /* the load changes in flight: counted on the source */
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 150, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_incoming, 90, 1e-12);
  cluster_migration_arrive(cl, 0, 2.0);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 60, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_demand, 190, 1e-12);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->migrations_in, 0);
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->migrations_out, 0);
  CU_ASSERT_EQUAL(cluster_vm(cl, 0)->pm, 1);
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->vm_count + cluster_pm(cl, 1)->vm_count, 3);
  /* abort leaves the VM home */
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 1, 1, 3.0), 0);
  cluster_migration_abort(cl, 1, 4.0);
  CU_ASSERT_EQUAL(cluster_vm(cl, 1)->pm, 0);
  CU_ASSERT_EQUAL(cluster_vm(cl, 1)->migrating_to, CLUSTER_NONE);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_incoming, 0, 1e-12);
  cluster_destroy(cl);
}

static void test_cluster_crash_counts_down_vm_seconds(void)
{
  cluster_t* cl = two_pms();
  cluster_pm_crash(cl, 0, 10.0);
  CU_ASSERT_FALSE(cluster_pm(cl, 0)->online);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 0, 1e-12);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 2, 0, 11.0), -1); /* no migration to an offline PM */
  cluster_set_load(cl, 0, 20, 12.0);                            /* recorded, not counted while down */
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_down_vm_seconds(cl, 15.0), 2 * 5.0, 1e-9);
  cluster_pm_recover(cl, 0, 40.0);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 0)->cpu_demand, 80, 1e-12); /* 20 + 60 */
  CU_ASSERT_DOUBLE_EQUAL(cluster_down_vm_seconds(cl, 100.0), 2 * 30.0, 1e-9);
  cluster_destroy(cl);
}

typedef struct event_log {
  int count;
  cluster_event_t ev[8];
  size_t pm[8];
  bool dest[8];
} event_log_t;

static void log_event(void* ud, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)vm;
  (void)now;
  event_log_t* log = ud;
  if (log->count < 8) {
    log->ev[log->count]   = ev;
    log->pm[log->count]   = pm;
    log->dest[log->count] = role_dest;
  }
  log->count++;
}

static void test_cluster_listeners_see_both_ends_of_a_migration(void)
{
  cluster_t* cl   = two_pms();
  event_log_t log = {0};
  cluster_add_listener(cl, log_event, &log);
  cluster_migration_begin(cl, 0, 1, 0.0);
  cluster_migration_arrive(cl, 0, 1.0);
  CU_ASSERT_EQUAL(log.count, 4);
  CU_ASSERT_EQUAL(log.ev[2], CLUSTER_EV_MIG_ARRIVE);
  CU_ASSERT_EQUAL(log.pm[2], 0);
  CU_ASSERT_FALSE(log.dest[2]);
  CU_ASSERT_EQUAL(log.pm[3], 1);
  CU_ASSERT_TRUE(log.dest[3]);
  cluster_destroy(cl);
}

static void test_cluster_initial_fill_and_refusal(void)
{
  config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.vms.count       = 10;
  cfg.vms.class_count = 2;
  cfg.vms.classes[0]  = (vm_class_t){.name = "a", .vcpus = 1, .ram_bytes = GIB, .weight = 3};
  cfg.vms.classes[1]  = (vm_class_t){.name = "b", .vcpus = 2, .ram_bytes = GIB, .weight = 1};
  cluster_t* cl       = cluster_create(4, 10);
  for (size_t pm = 0; pm < 4; pm++)
    cluster_set_pm_capacity(cl, pm, 700, 32 * GIB);
  lucsim_err_t err;
  CU_ASSERT_EQUAL(cluster_place_initial(cl, &cfg, 60, NULL, &err), 0);
  /* fill: ceil(10 / 4) = 3 per PM, node after node */
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->vm_count, 3);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->vm_count, 3);
  CU_ASSERT_EQUAL(cluster_pm(cl, 2)->vm_count, 3);
  CU_ASSERT_EQUAL(cluster_pm(cl, 3)->vm_count, 1);
  int class_b = 0;
  for (size_t vm = 0; vm < 10; vm++)
    class_b += cluster_vm(cl, vm)->class_id == 1;
  CU_ASSERT_TRUE(class_b >= 2 && class_b <= 3); /* weights 3:1 over 10 VMs */
  cluster_destroy(cl);

  cl = cluster_create(1, 10); /* 10 VMs of 60 % and some of 2 vCPUs do not fit 700 units */
  cluster_set_pm_capacity(cl, 0, 700, 32 * GIB);
  cfg.source[0] = '\0';
  CU_ASSERT_EQUAL(cluster_place_initial(cl, &cfg, 60, NULL, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "vms.count");
  cluster_destroy(cl);
}

/* vm_recovery=restart: a crash loses the VMs (lost list in the PM's order, PM back empty), a restart
 * reserves room on its destination until done, an abort puts the VM back at the end of the list,
 * and down VM-seconds run from the loss to the restart. */
static void test_cluster_lost_vms_restart_elsewhere(void)
{
  cluster_t* cl = two_pms();
  cluster_set_lose_vms(cl, true);
  cluster_pm_crash(cl, 0, 10.0);
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->vm_count, 0);
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->ram_used_bytes, 0);
  CU_ASSERT_EQUAL(cluster_lost_count(cl), 2);
  CU_ASSERT_EQUAL(cluster_down_vm_count(cl), 2);
  int32_t first = cluster_first_lost(cl); /* PM 0's list order: VM 1 (placed last, listed first), then VM 0 */
  CU_ASSERT_EQUAL(first, 1);
  CU_ASSERT_EQUAL(cluster_vm(cl, 1)->next_on_pm, 0);
  CU_ASSERT_EQUAL(cluster_vm(cl, 0)->pm, CLUSTER_NONE);
  CU_ASSERT_EQUAL(cluster_migration_begin(cl, 0, 1, 11.0), -1); /* a lost VM cannot migrate */
  cluster_set_load(cl, 0, 90, 11.0);                            /* its load still changes */
  CU_ASSERT_DOUBLE_EQUAL(cluster_vm(cl, 0)->cpu_demand, 90, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_demand, 100, 1e-12);

  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 0, 0, 12.0), -1); /* offline destination */
  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 2, 0, 12.0), -1); /* VM 2 is not lost */
  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 0, 1, 12.0), 0);
  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 0, 1, 12.0), -1); /* already restarting */
  CU_ASSERT_EQUAL(cluster_lost_count(cl), 1);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->restarts_in, 1);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_incoming, 90, 1e-12);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->ram_incoming_bytes, GIB);
  cluster_set_load(cl, 0, 70, 13.0); /* a restarting VM's demand follows its load on the destination */
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_incoming, 70, 1e-12);
  CU_ASSERT_EQUAL(cluster_restart_begin(cl, 1, 1, 13.0), 0);
  cluster_restart_abort(cl, 1, 14.0);
  CU_ASSERT_EQUAL(cluster_first_lost(cl), 1);
  CU_ASSERT_EQUAL(cluster_lost_count(cl), 1);
  cluster_restart_done(cl, 0, 40.0);
  CU_ASSERT_EQUAL(cluster_vm(cl, 0)->pm, 1);
  CU_ASSERT_EQUAL(cluster_vm(cl, 0)->restart_to, CLUSTER_NONE);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->restarts_in, 0);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_incoming, 0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(cluster_pm(cl, 1)->cpu_demand, 170, 1e-12);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->vm_count, 2);
  CU_ASSERT_EQUAL(cluster_down_vm_count(cl), 1);
  /* VM 0 down 10..40, VM 1 down from 10 on */
  CU_ASSERT_DOUBLE_EQUAL(cluster_down_vm_seconds(cl, 50.0), 30.0 + 40.0, 1e-9);
  cluster_pm_recover(cl, 0, 60.0);
  CU_ASSERT_TRUE(cluster_pm(cl, 0)->online);
  CU_ASSERT_EQUAL(cluster_pm(cl, 0)->vm_count, 0); /* back empty */
  CU_ASSERT_EQUAL(cluster_lost_count(cl), 1);
  cluster_destroy(cl);
}

typedef struct prefetch_calls {
  int n;
  int32_t pm[4], vm[4];
} prefetch_calls_t;

static void record_prefetch(void* userdata, int32_t pm, int32_t vm)
{
  prefetch_calls_t* c = userdata;
  if (c->n < 4) c->pm[c->n] = pm, c->vm[c->n] = vm;
  c->n++;
}

/* The look-ahead hint reaches every prefetcher: the later VM first, then the next VM's PM (none for
 * a VM on no PM), and changes nothing. */
static void test_cluster_prefetchers_get_the_later_vm_and_the_next_pm(void)
{
  cluster_t* cl      = two_pms();
  prefetch_calls_t a = {0}, b = {0};
  cluster_add_prefetcher(cl, record_prefetch, &a);
  cluster_add_prefetcher(cl, record_prefetch, &b);
  double before = cluster_pm(cl, 1)->cpu_demand;
  cluster_prefetch_load(cl, 2, 0); /* next: VM 2 on PM 1; later: VM 0 */
  CU_ASSERT_EQUAL(a.n, 2);
  CU_ASSERT_EQUAL(b.n, 2);
  CU_ASSERT_TRUE(a.pm[0] == CLUSTER_NONE && a.vm[0] == 0 && a.pm[1] == 1 && a.vm[1] == CLUSTER_NONE);
  CU_ASSERT_TRUE(b.pm[0] == CLUSTER_NONE && b.vm[0] == 0 && b.pm[1] == 1 && b.vm[1] == CLUSTER_NONE);
  CU_ASSERT_EQUAL(cluster_pm(cl, 1)->cpu_demand, before);
  cluster_t* absent  = cluster_create(1, 1); /* a VM on no PM: only the VM is named */
  prefetch_calls_t c = {0};
  cluster_add_prefetcher(absent, record_prefetch, &c);
  cluster_prefetch_load(absent, 0, 0);
  CU_ASSERT_TRUE(c.n == 1 && c.vm[0] == 0 && c.pm[0] == CLUSTER_NONE);
  cluster_destroy(absent);
  cluster_destroy(cl);
}

/* The VMs of one PM after another, walking their lists one by one. */
static size_t walk_one_by_one(const cluster_t* cl, const size_t* pms, size_t count, size_t* vms)
{
  size_t n = 0;
  for (size_t i = 0; i < count; i++)
    for (int32_t v = cluster_pm(cl, pms ? pms[i] : i)->first_vm; v != CLUSTER_NONE;
         v         = cluster_vm(cl, (size_t)v)->next_on_pm)
      vms[n++] = (size_t)v;
  return n;
}

/* Collecting the lists several at a time gives the same VMs in the same order as walking them one by
 * one: 40 PMs (three groups of lanes, the last one partial) hosting 0 to 12 VMs each, lists
 * reordered by migrations, for every PM and for a subset in another order. */
static void test_cluster_collected_vms_follow_each_pm_list(void)
{
  enum { PMS = 40, VMS = 200 };
  cluster_t* cl = cluster_create(PMS, VMS);
  for (size_t pm = 0; pm < PMS; pm++)
    cluster_set_pm_capacity(cl, pm, 10000, 1000 * GIB);
  size_t placed = 0;
  for (size_t pm = 0; pm < PMS; pm++)
    for (size_t k = 0; k < (pm * 7) % 13 && placed < VMS; k++)
      cluster_place_vm(cl, placed++, pm, 0, 1, GIB, 50);
  for (size_t v = 0; v < placed; v += 3) { /* move every third VM to another PM */
    size_t dst = (v * 11 + 5) % PMS;
    if ((size_t)cluster_vm(cl, v)->pm == dst) continue;
    CU_ASSERT_EQUAL_FATAL(cluster_migration_begin(cl, v, dst, 1.0), 0);
    cluster_migration_arrive(cl, v, 2.0);
  }
  size_t want[VMS], got[VMS];
  size_t n = walk_one_by_one(cl, NULL, PMS, want);
  CU_ASSERT_EQUAL(n, placed);
  CU_ASSERT_EQUAL(cluster_collect_vms(cl, NULL, PMS, got), n);
  CU_ASSERT_EQUAL(memcmp(got, want, n * sizeof *got), 0);
  size_t subset[PMS / 2];
  for (size_t i = 0; i < PMS / 2; i++)
    subset[i] = (PMS - 1 - 2 * i * 3 % PMS) % PMS; /* 39, 33, 27, ...: distinct, not in order */
  n = walk_one_by_one(cl, subset, PMS / 2, want);
  CU_ASSERT_EQUAL(cluster_collect_vms(cl, subset, PMS / 2, got), n);
  CU_ASSERT_EQUAL(memcmp(got, want, n * sizeof *got), 0);
  cluster_destroy(cl);
}

CU_TestInfo cluster_tests[] = {
    {"collected_vms_follow_each_pm_list", test_cluster_collected_vms_follow_each_pm_list},
    {"prefetchers_get_the_later_vm_and_the_next_pm", test_cluster_prefetchers_get_the_later_vm_and_the_next_pm},
    {"lost_vms_restart_elsewhere", test_cluster_lost_vms_restart_elsewhere},
    {"demand_follows_loads", test_cluster_demand_follows_loads},
    {"ram_overcommit_is_not_viable", test_cluster_ram_overcommit_is_not_viable},
    {"migration_moves_demand_on_arrival_only", test_cluster_migration_moves_demand_on_arrival_only},
    {"crash_counts_down_vm_seconds", test_cluster_crash_counts_down_vm_seconds},
    {"listeners_see_both_ends_of_a_migration", test_cluster_listeners_see_both_ends_of_a_migration},
    {"initial_fill_and_refusal", test_cluster_initial_fill_and_refusal},
    CU_TEST_INFO_NULL,
};
