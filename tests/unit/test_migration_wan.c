/* Suite "migration_wan": migrations between the sites of generated LUC platforms, on real SimGrid
 * runs (migrun.h): the disk-image copy of inter-site migrations (docs/MIGRATION.md, storage model),
 * and the agreement of the pre-copy model with SimGrid's live-migration plugin over a route several
 * backbone hops long. Single-cluster migrations are the suite "migration"'s. */
#include "migrun.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>

static void test_mig_wan_image_copy_comes_first(void)
{
  /* Two sites (PMs 0-1, 2-3), a VM at 50 % load capped at 100 MB/s. Across sites, a 10 GiB image
   * (local stores) adds image / cap and one route latency (one more round), and is counted
   * in bytes_sent and image_bytes; the memory rounds are unchanged. Inside a site, or with a
   * shared store, the image changes nothing. */
  double image = 10.0 * (double)GiB, cap = 100e6;
  migrun_outcome_t o[5];
  for (int i = 0; i < 5; i++) {
    migrun_scenario_t sc = migrun_base();
    sc.sites             = 2;
    sc.load              = 50;
    sc.mig_speed_Bps     = cap;
    sc.dst[0]            = i < 3 ? 2 : 1; /* 0-2: across sites, 3-4: inside site 0 */
    sc.image_bytes       = i == 0 || i == 3 ? 0 : 10 * GiB;
    sc.shared_store      = i == 2;
    o[i]                 = migrun_run(&sc);
    CU_ASSERT_EQUAL(o[i].res[0].status, MIG_OK);
    CU_ASSERT_EQUAL(o[i].final_pm[0], (int32_t)sc.dst[0]);
  }
  double extra = migrun_duration(&o[1], 0) - migrun_duration(&o[0], 0);
  CU_ASSERT(extra >= image / cap);
  /* exactly one more round: image / cap plus the route's latency (2 private links and 1 ms of WAN) */
  CU_ASSERT_DOUBLE_EQUAL(extra, image / cap + migrun_latency(50e-6) + 13.01 * 1e-3, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o[1].res[0].bytes_sent - o[0].res[0].bytes_sent, image, 0.5);
  CU_ASSERT_DOUBLE_EQUAL(o[1].res[0].image_bytes, image, 0.5);
  CU_ASSERT_EQUAL(o[1].res[0].rounds, o[0].res[0].rounds);
  CU_ASSERT_EQUAL(o[0].res[0].image_bytes, 0);
  CU_ASSERT_EQUAL(migrun_duration(&o[2], 0), migrun_duration(&o[0], 0)); /* shared store */
  CU_ASSERT_EQUAL(o[2].res[0].bytes_sent, o[0].res[0].bytes_sent);
  CU_ASSERT_EQUAL(migrun_duration(&o[4], 0), migrun_duration(&o[3], 0)); /* inside a site */
  CU_ASSERT_EQUAL(o[4].res[0].image_bytes, 0);
  CU_ASSERT(migrun_duration(&o[0], 0) > migrun_duration(&o[3], 0)); /* the WAN route is slower even without image */
}

static void test_mig_wan_validation_mode_copies_the_image_too(void)
{
  /* vm_model=simgrid: the image copy comes before the plugin's memory migration, the same copy. */
  double image = 10.0 * (double)GiB, cap = 100e6;
  migrun_outcome_t o[2];
  for (int i = 0; i < 2; i++) {
    migrun_scenario_t sc = migrun_base();
    sc.model             = PLAT_VM_MODEL_SIMGRID;
    sc.sites             = 2;
    sc.load              = 50;
    sc.intensity         = 0.3;
    sc.mig_speed_Bps     = cap;
    sc.dst[0]            = 2;
    sc.image_bytes       = i == 0 ? 0 : 10 * GiB;
    o[i]                 = migrun_run(&sc);
    CU_ASSERT_EQUAL(o[i].res[0].status, MIG_OK);
    CU_ASSERT_EQUAL(o[i].final_pm[0], 2);
  }
  double extra = migrun_duration(&o[1], 0) - migrun_duration(&o[0], 0);
  CU_ASSERT_DOUBLE_EQUAL(extra, image / cap + migrun_latency(50e-6) + 13.01 * 1e-3, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o[1].res[0].image_bytes, image, 0.5);
  CU_ASSERT_DOUBLE_EQUAL(o[1].res[0].bytes_sent, image, 0.5); /* the plugin reports no memory bytes */
}

/* A ring of 6 sites of 2 PMs each (site k: PMs 2k, 2k+1): PM 0 (site 0) to PM 6 (site 3) is 3
 * backbone hops of 1 ms each, plus the two private links of 50 us. */
static migrun_scenario_t wan_scenario(void)
{
  migrun_scenario_t sc = migrun_base();
  sc.sites             = 6;
  sc.pms               = 12;
  sc.dst[0]            = 6;
  sc.src[1]            = 1;
  sc.dst[1]            = 7;
  return sc;
}

static void test_mig_wan_idle_takes_three_hops_of_latency(void)
{
  /* Idle 1 GiB VM, no cap: round 1, the 0-byte stop-and-copy and the ack, each one route latency. */
  migrun_scenario_t sc = wan_scenario();
  migrun_outcome_t o   = migrun_run(&sc);
  double lat           = migrun_latency(50e-6) + 13.01 * 3 * 1e-3;
  CU_ASSERT_EQUAL(o.res[0].status, MIG_OK);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&o, 0), (double)GiB / MIGRUN_BW_BPS + 3 * lat, 1e-9);
}

/* Cases that converge: a route latency of 40 ms (3 hops) makes every round last at least that long,
 * so the downtime threshold (bytes of the last round / its duration x 30 ms) can stay below what a
 * busy VM dirties per round. Then SimGrid's plugin, which has no round cap, never ends (e.g. 100 %
 * load at intensity 0.5, or 80 % at 0.3 with a 50 MB/s cap), while lucsim stops at max_rounds. */
static void test_mig_wan_agrees_with_simgrid_plugin(void)
{
  struct {
    const char* name;
    double load, intensity, speed;
    int nmig;
    double wan_bw_Bps; /* 0: 10 Gbps; 1 Gbps makes the WAN the two flows' shared bottleneck */
  } cases[] = {
      {"idle, alone", 0, 0.3, 125.0 * 1024 * 1024, 1, 0},
      {"50 % load, intensity 0.3, alone", 50, 0.3, 125.0 * 1024 * 1024, 1, 0},
      {"100 % load, intensity 0.1, alone", 100, 0.1, 125.0 * 1024 * 1024, 1, 0},
      {"50 % load, intensity 0.3, two on the same 3 WAN links", 50, 0.3, 125.0 * 1024 * 1024, 2, 0},
      {"idle, two sharing a 1 Gbps WAN", 0, 0.3, 125.0 * 1024 * 1024, 2, 125e6},
      {"20 % load, intensity 0.1, two sharing a 1 Gbps WAN", 20, 0.1, 125.0 * 1024 * 1024, 2, 125e6},
      {"20 % load, intensity 0.3, 50 MB/s cap, alone", 20, 0.3, 50e6, 1, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    migrun_scenario_t sc = wan_scenario();
    sc.mig_speed_Bps     = cases[i].speed;
    sc.load              = cases[i].load;
    sc.intensity         = cases[i].intensity;
    sc.nmig              = cases[i].nmig;
    sc.wan_bw_Bps        = cases[i].wan_bw_Bps;
    double mean[2]       = {0, 0};
    for (int m = 0; m < 2; m++) {
      sc.model           = m == 0 ? PLAT_VM_MODEL_DATA : PLAT_VM_MODEL_SIMGRID;
      migrun_outcome_t o = migrun_run(&sc);
      for (int k = 0; k < sc.nmig; k++) {
        CU_ASSERT_EQUAL(o.res[k].status, MIG_OK);
        CU_ASSERT_EQUAL(o.final_pm[k], (int32_t)sc.dst[k]);
        mean[m] += migrun_duration(&o, k) / sc.nmig;
      }
    }
    double rel = fabs(mean[0] - mean[1]) / mean[1];
    printf("\n  WAN agreement (3 hops): %-52s data %.9f s  simgrid %.9f s  diff %.1e %%", cases[i].name, mean[0],
           mean[1], 100 * rel);
    CU_ASSERT(rel < 0.02);
  }
  printf("\n");
}

CU_TestInfo migration_wan_tests[] = {
    {"an inter-site image copy comes first", test_mig_wan_image_copy_comes_first},
    {"the validation mode copies the image too", test_mig_wan_validation_mode_copies_the_image_too},
    {"idle VM over 3 hops takes 3 route latencies", test_mig_wan_idle_takes_three_hops_of_latency},
    {"agrees with SimGrid's plugin over 3 WAN hops", test_mig_wan_agrees_with_simgrid_plugin},
    CU_TEST_INFO_NULL,
};
