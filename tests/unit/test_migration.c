/* Suite "migration": the pre-copy model on real SimGrid runs (one forked child per scenario, see
 * simrun.h): durations against the network model's exact expectation, load and sharing effects,
 * refusal, failure on a crash, the round cap, and agreement with SimGrid's own live-migration plugin
 * (platform.vm_model=simgrid). Not a test of the schedulers that call the API. */
#include "migrun.h"
#include "platform.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <string.h>
static void test_mig_idle_vm_takes_ram_over_bandwidth_plus_latencies(void)
{
  migrun_scenario_t sc = migrun_base();
  migrun_outcome_t o   = migrun_run(&sc);
  double lat           = migrun_latency(sc.latency_s);
  /* Round 1 (the RAM), the stop-and-copy of 0 bytes (a latency), the destination's ack (a latency). */
  double expect = (double)GiB / MIGRUN_BW_BPS + 3 * lat;
  CU_ASSERT_EQUAL(o.callbacks[0], 1);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_OK);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&o, 0), expect, expect * 0.01);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&o, 0), expect, 1e-9);
  CU_ASSERT_EQUAL(o.res[0].rounds, 1);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, (double)GiB, 0.5);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].downtime_s, lat, 1e-9);
  CU_ASSERT_EQUAL(o.final_pm[0], 1);
  CU_ASSERT_EQUAL(o.observed, 1);
  CU_ASSERT_EQUAL(o.completed, 1);
  CU_ASSERT_EQUAL(o.in_flight_end, 0);
  CU_ASSERT_EQUAL(o.conservation_violations, 0);
  CU_ASSERT(o.events >= 3);     /* start (src, dst), arrive (src, dst), callback */
  CU_ASSERT_EQUAL(o.events, 5); /* exactly those */
}

static void test_mig_busier_vm_takes_longer_and_sends_more(void)
{
  migrun_scenario_t sc  = migrun_base();
  sc.load               = 100;
  migrun_outcome_t hot  = migrun_run(&sc);
  sc.load               = 50;
  migrun_outcome_t mid  = migrun_run(&sc);
  sc.load               = 0;
  migrun_outcome_t idle = migrun_run(&sc);
  CU_ASSERT_EQUAL(hot.res[0].status, MIG_OK);
  CU_ASSERT(migrun_duration(&hot, 0) > migrun_duration(&mid, 0));
  CU_ASSERT(migrun_duration(&mid, 0) > migrun_duration(&idle, 0));
  CU_ASSERT(hot.res[0].bytes_sent > mid.res[0].bytes_sent);
  CU_ASSERT(hot.res[0].rounds > 1);
  /* Without a class speed, the dirty rate at 100 % is intensity x the route's effective bandwidth:
   * round 2 sends what round 1 dirtied: 0.5 x its duration x 121.25 MB/s, i.e. about half the RAM. */
  double round1 = (double)GiB / MIGRUN_BW_BPS + migrun_latency(sc.latency_s);
  double dirty1 = floor(round1 * 0.5 * MIGRUN_BW_BPS);
  CU_ASSERT(hot.res[0].bytes_sent > (double)GiB + dirty1 - 1);
  /* exactly (deterministic, the same in every build and context factory): durations, bytes and
   * rounds of the three runs (the idle one is the formula of the test above) */
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&hot, 0), 17.718630727835063, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&mid, 0), 11.815718439175257, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&idle, 0), (double)GiB / MIGRUN_BW_BPS + 3 * migrun_latency(sc.latency_s),
                         1e-9);
  CU_ASSERT_DOUBLE_EQUAL(hot.res[0].bytes_sent, 2146648767.0, 0.5);
  CU_ASSERT_DOUBLE_EQUAL(mid.res[0].bytes_sent, 1431551637.0, 0.5);
  CU_ASSERT_EQUAL(hot.res[0].rounds, 9);
  CU_ASSERT_EQUAL(mid.res[0].rounds, 5);
  CU_ASSERT_EQUAL(hot.conservation_violations, 0);
  CU_ASSERT_EQUAL(mid.final_pm[0], 1);
}

static void test_mig_two_migrations_sharing_a_link_each_take_longer(void)
{
  migrun_scenario_t sc = migrun_base();
  migrun_outcome_t one = migrun_run(&sc);
  sc.nmig              = 2;
  sc.src[1]            = 0; /* both leave node-0: they share its private link */
  sc.dst[1]            = 2;
  migrun_outcome_t two = migrun_run(&sc);
  double alone         = migrun_duration(&one, 0);
  CU_ASSERT_EQUAL(two.callbacks[0], 1);
  CU_ASSERT_EQUAL(two.callbacks[1], 1);
  CU_ASSERT(migrun_duration(&two, 0) > 1.9 * alone);
  CU_ASSERT(migrun_duration(&two, 1) > 1.9 * alone);
  CU_ASSERT(migrun_duration(&two, 0) < 2.1 * alone);
  /* exactly: each gets half the link, so twice the RAM over the bandwidth, plus the 3 latencies */
  double shared = 2 * (double)GiB / MIGRUN_BW_BPS + 3 * migrun_latency(sc.latency_s);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&two, 0), shared, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&two, 1), shared, 1e-9);
  CU_ASSERT_EQUAL(two.final_pm[0], 1);
  CU_ASSERT_EQUAL(two.final_pm[1], 2);
  CU_ASSERT_EQUAL(two.conservation_violations, 0);
}

static void test_mig_speed_cap_bounds_each_round(void)
{
  migrun_scenario_t sc = migrun_base();
  sc.mig_speed_Bps     = 50e6;
  migrun_outcome_t o   = migrun_run(&sc);
  double lat           = migrun_latency(sc.latency_s);
  /* Round 1 lasts latency + RAM / cap; then the 0-byte stop-and-copy and the ack. */
  CU_ASSERT_DOUBLE_EQUAL(migrun_duration(&o, 0), lat + (double)GiB / 50e6 + 2 * lat, 1e-6);
}

static void test_mig_refuses_vm_already_migrating(void)
{
  migrun_scenario_t sc = migrun_base();
  sc.nmig              = 2;
  sc.src[1]            = 2;
  sc.dst[1]            = 3;
  sc.retry_first       = true;
  migrun_outcome_t o   = migrun_run(&sc);
  CU_ASSERT_EQUAL(o.start_rc[0], 0);
  CU_ASSERT_EQUAL(o.retry_rc, -1);   /* VM 0 is already migrating */
  CU_ASSERT_EQUAL(o.same_pm_rc, -1); /* the bystander's destination is its own PM */
  CU_ASSERT_EQUAL(o.callbacks[2], 0);
  CU_ASSERT_EQUAL(o.callbacks[0], 1); /* once, for the accepted start only */
  CU_ASSERT_EQUAL(o.callbacks[1], 1);
  CU_ASSERT_EQUAL(o.observed, 2);
  CU_ASSERT_EQUAL(o.completed, 2);
  CU_ASSERT_EQUAL(o.conservation_violations, 0);
}

static void test_mig_fails_when_destination_crashes(void)
{
  migrun_scenario_t sc = migrun_base();
  sc.nmig              = 2;
  sc.src[1]            = 2; /* an unrelated migration on other links completes normally */
  sc.dst[1]            = 3;
  sc.crash_pm          = 1;
  sc.crash_at_s        = 3.0;
  migrun_outcome_t o   = migrun_run(&sc);
  CU_ASSERT_EQUAL(o.callbacks[0], 1);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_FAILED);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 3.0, 1e-9);
  CU_ASSERT_EQUAL(o.final_pm[0], 0); /* still on its source */
  CU_ASSERT_EQUAL(o.offline_rc, -1); /* the bystander cannot go to the crashed PM */
  CU_ASSERT_EQUAL(o.callbacks[2], 0);
  CU_ASSERT_EQUAL(o.callbacks[1], 1);
  CU_ASSERT_EQUAL(o.res[1].status, MIG_OK);
  CU_ASSERT_EQUAL(o.final_pm[1], 3);
  CU_ASSERT_EQUAL(o.failed, 1);
  CU_ASSERT_EQUAL(o.completed, 1);
  CU_ASSERT_EQUAL(o.observed, 2);
  CU_ASSERT_EQUAL(o.in_flight_end, 0);
  CU_ASSERT_EQUAL(o.conservation_violations, 0);
}

/* A PM crashes while the migration leaving it is being launched (its launcher waits in sg_actor_init,
 * and the crashing actor runs at the same instant): it fails at once, its actor frees it on start. */
static void test_mig_fails_when_source_crashes_during_launch(void)
{
  migrun_scenario_t sc = migrun_base();
  sc.crash_pm          = 0;
  sc.crash_at_s        = 2.0;
  sc.crash_races_start = true;
  migrun_outcome_t o   = migrun_run(&sc);
  CU_ASSERT_EQUAL(o.start_rc[0], 0);
  CU_ASSERT_EQUAL(o.callbacks[0], 1);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_FAILED);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 2.0, 1e-9);
  CU_ASSERT_EQUAL(o.res[0].bytes_sent, 0);
  CU_ASSERT_EQUAL(o.final_pm[0], 0); /* not moved (this harness does not lose VMs) */
  CU_ASSERT_EQUAL(o.failed, 1);
  CU_ASSERT_EQUAL(o.completed, 0);
  CU_ASSERT_EQUAL(o.in_flight_end, 0);
  CU_ASSERT_EQUAL(o.conservation_violations, 0);
}

/* A migration cut by a crash reports the bytes of its completed rounds plus those of the cut round:
 * none during the route's latency, then the flow's nominal rate (the route's effective bandwidth,
 * or the class's speed cap when lower), at most the round's size. Alone on its route, that is what
 * SimGrid's flow sent (the durations above check the same model to 1e-6 s). */
static double cut_bytes(double elapsed_s, double rate_Bps)
{
  double lat = migrun_latency(50e-6);
  return elapsed_s > lat ? floor((elapsed_s - lat) * rate_Bps) : 0;
}

static migrun_outcome_t run_cut(double crash_at_s, double speed_Bps, double load)
{
  migrun_scenario_t sc = migrun_base();
  sc.crash_pm          = 1; /* the destination */
  sc.crash_at_s        = crash_at_s;
  sc.mig_speed_Bps     = speed_Bps;
  sc.load              = load;
  migrun_outcome_t o   = migrun_run(&sc);
  CU_ASSERT_EQUAL(o.callbacks[0], 1);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_FAILED);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, crash_at_s, 1e-9);
  CU_ASSERT_EQUAL(o.final_pm[0], 0);
  CU_ASSERT_EQUAL(o.conservation_violations, 0);
  return o;
}

static void test_mig_cut_in_round_one_reports_bytes_sent(void)
{
  /* 3 s into round 1 of an idle 1 GiB VM over 1 Gbps (the round lasts 8.857 s) */
  migrun_outcome_t o = run_cut(3.0, 0, 0);
  double expect      = cut_bytes(3.0, MIGRUN_BW_BPS); /* 363592253 bytes */
  printf("\n  cut 3 s into round 1: %.0f bytes reported, %.0f expected", o.res[0].bytes_sent, expect);
  CU_ASSERT(o.res[0].bytes_sent > 0);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, expect, 1.0);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, 363592253.0, 1.0);
  CU_ASSERT_EQUAL(o.res[0].rounds, 0); /* completed rounds only */
  /* a speed cap below the link sets the rate; one above it (VMPlaceS' 125 MiB/s) does not */
  o = run_cut(3.0, 50e6, 0);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, cut_bytes(3.0, 50e6), 1.0);
  o = run_cut(3.0, 125.0 * 1024 * 1024, 0);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, expect, 1.0);
  /* still in the route's latency: nothing sent yet */
  o = run_cut(1e-3, 0, 0);
  CU_ASSERT_EQUAL(o.res[0].bytes_sent, 0);
  printf("\n");
}

static void test_mig_cut_in_a_later_round_adds_the_completed_ones(void)
{
  /* 100 % load, intensity 0.5: round 1 (the RAM) ends at latency + RAM / bandwidth, round 2 sends
   * about half the RAM; cut 2 s into round 2 */
  double lat         = migrun_latency(50e-6);
  double round1      = lat + (double)GiB / MIGRUN_BW_BPS;
  migrun_outcome_t o = run_cut(round1 + 2.0, 0, 100);
  double expect      = (double)GiB + cut_bytes(2.0, MIGRUN_BW_BPS);
  CU_ASSERT_EQUAL(o.res[0].rounds, 1);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, expect, 1.0);
  /* an idle VM cut during the destination's acknowledgement (after the 0-byte stop-and-copy) has
   * sent its whole RAM, and no more */
  o = run_cut(round1 + 1.5 * lat, 0, 0);
  CU_ASSERT_EQUAL(o.res[0].rounds, 1);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, (double)GiB, 0.5);
}

static void test_mig_cut_while_sharing_reports_an_upper_bound(void)
{
  /* two migrations share node-0's up-link, each at half the bandwidth: the one cut at 3 s had sent
   * about half of what the estimate, the alone value, reports */
  migrun_scenario_t sc = migrun_base();
  sc.nmig              = 2;
  sc.src[1]            = 0;
  sc.dst[1]            = 2;
  sc.crash_pm          = 1;
  sc.crash_at_s        = 3.0;
  migrun_outcome_t o   = migrun_run(&sc);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_FAILED);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, cut_bytes(3.0, MIGRUN_BW_BPS), 1.0);
  CU_ASSERT_EQUAL(o.res[1].status, MIG_OK);
}

static void test_mig_stops_at_round_cap(void)
{
  migrun_scenario_t sc = migrun_base();
  sc.load              = 100;
  sc.intensity         = 1.0; /* dirties as fast as it sends: never fits the downtime */
  sc.working_set       = 0.25;
  sc.max_rounds        = 3;
  migrun_outcome_t o   = migrun_run(&sc);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_OK);
  CU_ASSERT_EQUAL(o.res[0].rounds, 3);
  /* RAM, then twice the working set (the cap), then the stop-and-copy of the working set. */
  double ws = floor(0.25 * (double)GiB);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, (double)GiB + 3 * ws, 0.5);
  CU_ASSERT(o.res[0].downtime_s > ws / MIGRUN_BW_BPS);
  /* exactly: the stop-and-copy of the working set alone on the link, plus one latency */
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].downtime_s, migrun_latency(sc.latency_s) + ws / MIGRUN_BW_BPS, 1e-9);
}

static void test_mig_check_config_refuses_large_sgvm_platforms(void)
{
  config_t cfg;
  config_init_defaults(&cfg);
  lucsim_err_t err;
  lucsim_err_clear(&err);
  CU_ASSERT_EQUAL(mig_check_config(&cfg, &err), 0);
  cfg.platform.vm_model = PLAT_VM_MODEL_SIMGRID;
  CU_ASSERT_EQUAL(mig_check_config(&cfg, &err), 0);
  cfg.vms.count = 1001;
  CU_ASSERT_EQUAL(mig_check_config(&cfg, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "platform.vm_model");
  CU_ASSERT_STRING_EQUAL(
      err.message, "vm_model=simgrid is for small platforms: 1001 VMs; expected at most 1000 (use vm_model=data)");
}

/* The same migrations in both models; mean durations must agree within 2 %. */
static void test_mig_agrees_with_simgrid_plugin(void)
{
  struct {
    const char* name;
    double load, intensity;
    int nmig;
    double change_at_s, load_after;
  } cases[] = {
      {"idle, alone", 0, 0.3, 1, 0, 0},
      {"50 % load, intensity 0.3, alone", 50, 0.3, 1, 0, 0},
      {"100 % load, intensity 0.5, alone", 100, 0.5, 1, 0, 0},
      {"idle, two sharing a link", 0, 0.3, 2, 0, 0},
      {"50 % load, intensity 0.3, two sharing a link", 50, 0.3, 2, 0, 0},
      {"80 % load, intensity 0.3, 50 MB/s cap, alone", 80, 0.3, 1, 0, 0},
      {"load 20 % then 90 % at t = 4 s, intensity 0.5, alone", 20, 0.5, 1, 4.0, 90},
      {"load 90 % then 0 % at t = 9.5 s, intensity 0.5, two sharing", 90, 0.5, 2, 9.5, 0},
  };
  /* exact mean durations of these deterministic runs (the same in every build and context factory),
   * per case: this model's, then the plugin's; they agree to about 1 ns (case 0: 1.0e-9 s apart) */
  const double exact[][2] = {
      {8.8595056731649482, 8.8595056721649481}, {10.577028177319587, 10.577028177319587},
      {19.279339736082491, 19.279339736082491}, {17.715108344329902, 17.715108344329902},
      {26.215678614433003, 26.215678614433003}, {28.261995400000004, 28.261995400000011},
      {14.301661257731958, 14.301661257731958}, {26.959012230927843, 26.959012230927843},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    migrun_scenario_t sc = migrun_base();
    /* VMPlaceS m1.small: 125 MiB/s, above the link's 121.25 MB/s; the last case caps below it. */
    sc.mig_speed_Bps    = i == 5 ? 50e6 : 125.0 * 1024 * 1024;
    sc.load             = cases[i].load;
    sc.intensity        = cases[i].intensity;
    sc.nmig             = cases[i].nmig;
    sc.load_change_at_s = cases[i].change_at_s;
    sc.load_after       = cases[i].load_after;
    sc.src[1]           = 0;
    sc.dst[1]           = 2;
    double mean[2]      = {0, 0};
    for (int m = 0; m < 2; m++) {
      sc.model           = m == 0 ? PLAT_VM_MODEL_DATA : PLAT_VM_MODEL_SIMGRID;
      migrun_outcome_t o = migrun_run(&sc);
      for (int k = 0; k < sc.nmig; k++) {
        CU_ASSERT_EQUAL(o.callbacks[k], 1);
        CU_ASSERT_EQUAL(o.res[k].status, MIG_OK);
        CU_ASSERT_EQUAL(o.final_pm[k], (int32_t)sc.dst[k]);
        mean[m] += migrun_duration(&o, k) / sc.nmig;
      }
      CU_ASSERT_EQUAL(o.conservation_violations, 0);
    }
    double rel = fabs(mean[0] - mean[1]) / mean[1];
    printf("\n  agreement: %-58s data %.9f s  simgrid %.9f s  diff %.1e %%", cases[i].name, mean[0], mean[1],
           100 * rel);
    CU_ASSERT(rel < 0.02);
    CU_ASSERT_DOUBLE_EQUAL(mean[0], exact[i][0], 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(mean[1], exact[i][1], 1e-9);
  }
  printf("\n");
}

CU_TestInfo migration_tests[] = {
    {"idle VM takes RAM / bandwidth + latencies", test_mig_idle_vm_takes_ram_over_bandwidth_plus_latencies},
    {"busier VM takes longer", test_mig_busier_vm_takes_longer_and_sends_more},
    {"two migrations sharing a link each take longer", test_mig_two_migrations_sharing_a_link_each_take_longer},
    {"class migration speed caps each round", test_mig_speed_cap_bounds_each_round},
    {"refuses a VM already migrating", test_mig_refuses_vm_already_migrating},
    {"fails when the destination crashes", test_mig_fails_when_destination_crashes},
    {"fails when the source crashes during its launch", test_mig_fails_when_source_crashes_during_launch},
    {"a cut in round 1 reports the bytes sent", test_mig_cut_in_round_one_reports_bytes_sent},
    {"a cut in a later round adds the completed ones", test_mig_cut_in_a_later_round_adds_the_completed_ones},
    {"a cut while sharing reports an upper bound", test_mig_cut_while_sharing_reports_an_upper_bound},
    {"stops at the round cap", test_mig_stops_at_round_cap},
    {"validation mode refused on large platforms", test_mig_check_config_refuses_large_sgvm_platforms},
    {"agrees with SimGrid's live-migration plugin", test_mig_agrees_with_simgrid_plugin},
    CU_TEST_INFO_NULL,
};
