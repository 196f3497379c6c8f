/* Suite "migration": the pre-copy model on real SimGrid runs (one forked child per scenario, see
 * simrun.h): durations against the network model's exact expectation, load and sharing effects,
 * refusal, failure on a crash, the round cap, and agreement with SimGrid's own live-migration plugin
 * (platform.vm_model=simgrid). Not a test of the schedulers that call the API. */
#include "cluster.h"
#include "config.h"
#include "migration.h"
#include "platform.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <string.h>

#define MAX_MIGS 4
#define GiB ((uint64_t)1 << 30)

/* One scenario: VMs i = 0..nmig-1 of one class placed on src[i], all migrated at t = 0 to dst[i]. */
typedef struct scenario {
  plat_vm_model_t model;
  int pms;
  double latency_s;
  uint64_t ram_bytes;
  double intensity;
  double working_set;
  double mig_speed_Bps;
  double load; /* % of the (single) vCPU */
  int max_rounds;
  int nmig;
  size_t src[MAX_MIGS];
  size_t dst[MAX_MIGS];
  int crash_pm; /* -1: none; else mig_fail_pm + cluster_pm_crash at crash_at_s */
  double crash_at_s;
  bool retry_first;        /* start migration 0 a second time at once (and also to its own PM) */
  double load_change_at_s; /* > 0: every migrating VM's load becomes load_after at that time */
  double load_after;
  int sites;            /* > 1: a LUC ring of that many sites (PMs split evenly, in order) */
  uint64_t image_bytes; /* the class's disk image */
  bool shared_store;    /* migration.image_store = shared */
} scenario_t;

typedef struct outcome {
  int start_rc[MAX_MIGS];
  int retry_rc;
  int same_pm_rc;
  int offline_rc;
  int callbacks[MAX_MIGS + 1]; /* [nmig]: the bystander's, must stay 0 */
  int observed;
  mig_result_t res[MAX_MIGS + 1];
  int32_t final_pm[MAX_MIGS];
  size_t in_flight_end;
  size_t completed, failed;
  int conservation_violations; /* events after which the PMs' VM counts did not sum to #VMs */
  int events;
} outcome_t;

struct child;
typedef struct slot {
  struct child* c;
  int i;
} slot_t;

/* The child's state. VM nmig (the bystander) stays on the last PM: it is never migrated. */
typedef struct child {
  const scenario_t* sc;
  outcome_t* out;
  cluster_t* cl;
  mig_t* mig;
  slot_t slot[MAX_MIGS + 1];
} child_t;

static void check_conservation(child_t* c)
{
  size_t total = 0;
  for (size_t pm = 0; pm < cluster_pm_count(c->cl); pm++)
    total += cluster_pm(c->cl, pm)->vm_count;
  c->out->events++;
  if (total != cluster_vm_count(c->cl)) c->out->conservation_violations++;
}

static void on_event(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)ev, (void)pm, (void)vm, (void)role_dest, (void)now;
  check_conservation(userdata);
}

static void on_done(void* userdata, const mig_result_t* r)
{
  const slot_t* slot         = userdata;
  slot->c->out->res[slot->i] = *r;
  slot->c->out->callbacks[slot->i]++;
  check_conservation(slot->c);
}

static void on_observe(void* userdata, const mig_result_t* r)
{
  (void)r;
  ((child_t*)userdata)->out->observed++;
}

static void driver_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  child_t* c           = sg_actor_self_get_data();
  const scenario_t* sc = c->sc;
  for (int i = 0; i < sc->nmig; i++)
    c->out->start_rc[i] = mig_start(c->mig, (size_t)i, sc->dst[i], on_done, &c->slot[i]);
  if (sc->retry_first) {
    c->out->retry_rc   = mig_start(c->mig, 0, sc->dst[0], on_done, &c->slot[0]);
    size_t bystander   = (size_t)sc->nmig;
    c->out->same_pm_rc = mig_start(c->mig, bystander, (size_t)sc->pms - 1, on_done, &c->slot[bystander]);
  }
  if (sc->load_change_at_s > 0) {
    sg_actor_sleep_until(sc->load_change_at_s);
    for (int i = 0; i < sc->nmig; i++)
      cluster_set_load(c->cl, (size_t)i, sc->load_after, simgrid_get_clock());
  }
  if (sc->crash_pm >= 0) {
    sg_actor_sleep_until(sc->crash_at_s);
    mig_fail_pm(c->mig, (size_t)sc->crash_pm);
    cluster_pm_crash(c->cl, (size_t)sc->crash_pm, simgrid_get_clock());
    /* A migration to the crashed PM is refused (and its callback never runs). */
    c->out->offline_rc = mig_start(c->mig, (size_t)sc->nmig, (size_t)sc->crash_pm, on_done, &c->slot[sc->nmig]);
  }
}

static int run_scenario(void* arg, void* out_blob, size_t out_size)
{
  (void)out_size;
  const scenario_t* sc = arg;
  outcome_t* out       = out_blob;
  simrun_init_simgrid();
  config_t cfg;
  config_init_defaults(&cfg);
  cfg.platform.pm_count      = sc->pms;
  cfg.platform.nic_latency_s = sc->latency_s;
  cfg.platform.vm_model      = sc->model;
  cfg.vms.count              = sc->nmig + 1;
  cfg.vms.class_count        = 1;
  vm_class_t* k              = &cfg.vms.classes[0];
  k->vcpus                   = 1;
  k->ram_bytes               = sc->ram_bytes;
  k->dirty_intensity         = sc->intensity;
  k->working_set_share       = sc->working_set;
  k->mig_speed_Bps           = sc->mig_speed_Bps;
  cfg.migration.max_rounds   = sc->max_rounds;
  k->image_bytes             = sc->image_bytes;
  cfg.migration.image_store  = sc->shared_store ? MIG_IMAGE_SHARED : MIG_IMAGE_LOCAL;
  if (sc->sites > 1) {
    cfg.platform.kind  = PLAT_KIND_LUC;
    cfg.platform.sites = sc->sites;
  }
  lucsim_err_t err;
  plat_t* plat = plat_load(&cfg.platform, NULL, &err);
  if (!plat) return 10;
  child_t c = {.sc = sc, .out = out, .cl = cluster_create((size_t)sc->pms, (size_t)sc->nmig + 1)};
  for (int pm = 0; pm < sc->pms; pm++)
    cluster_set_pm_capacity(c.cl, (size_t)pm, plat_pm_cpu_capacity(plat, (size_t)pm),
                            plat_pm_ram_bytes(plat, (size_t)pm));
  for (int i = 0; i <= sc->nmig; i++) {
    c.slot[i] = (slot_t){&c, i};
    size_t pm = i < sc->nmig ? sc->src[i] : (size_t)sc->pms - 1;
    cluster_place_vm(c.cl, (size_t)i, pm, 0, 1, sc->ram_bytes, sc->load);
  }
  c.mig = mig_create(c.cl, plat, &cfg);
  if (!c.mig) return 11;
  cluster_add_listener(c.cl, on_event, &c);
  mig_set_observer(c.mig, on_observe, &c);
  sg_actor_t driver = sg_actor_init("driver", plat_service_host(plat, 0));
  sg_actor_set_data(driver, &c);
  sg_actor_start(driver, driver_main, 0, NULL);
  simgrid_run();
  for (int i = 0; i < sc->nmig; i++)
    out->final_pm[i] = cluster_vm(c.cl, (size_t)i)->pm;
  out->in_flight_end = mig_count_in_flight(c.mig);
  out->completed     = mig_count_completed(c.mig);
  out->failed        = mig_count_failed(c.mig);
  mig_destroy(c.mig);
  cluster_destroy(c.cl);
  plat_destroy(plat);
  return 0;
}

static scenario_t base_scenario(void)
{
  scenario_t s = {.model         = PLAT_VM_MODEL_DATA,
                  .pms           = 4,
                  .latency_s     = 50e-6,
                  .ram_bytes     = GiB,
                  .intensity     = 0.5,
                  .working_set   = 0.9,
                  .mig_speed_Bps = 0,
                  .load          = 0,
                  .max_rounds    = 1000,
                  .nmig          = 1,
                  .src           = {0},
                  .dst           = {1},
                  .crash_pm      = -1};
  return s;
}

static outcome_t run(const scenario_t* sc)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  int rc = simrun_in_child(run_scenario, (void*)sc, &out, sizeof out);
  CU_ASSERT_EQUAL(rc, 0);
  return out;
}

static double duration(const outcome_t* o, int i)
{
  return o->res[i].end_s - o->res[i].start_s;
}

/* SimGrid 3.32's default network model (LV08): bandwidth x 0.97, latency x 13.01; a route between two
 * cluster nodes crosses the source's and the destination's private links (2 latencies). */
static double effective_latency(double link_latency_s)
{
  return 13.01 * 2 * link_latency_s;
}
static const double effective_bw_Bps = 0.97 * 125e6;

static void test_mig_idle_vm_takes_ram_over_bandwidth_plus_latencies(void)
{
  scenario_t sc = base_scenario();
  outcome_t o   = run(&sc);
  double lat    = effective_latency(sc.latency_s);
  /* Round 1 (the RAM), the stop-and-copy of 0 bytes (a latency), the destination's ack (a latency). */
  double expect = (double)GiB / effective_bw_Bps + 3 * lat;
  CU_ASSERT_EQUAL(o.callbacks[0], 1);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_OK);
  CU_ASSERT_DOUBLE_EQUAL(duration(&o, 0), expect, expect * 0.01);
  CU_ASSERT_DOUBLE_EQUAL(duration(&o, 0), expect, 1e-9);
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
  scenario_t sc  = base_scenario();
  sc.load        = 100;
  outcome_t hot  = run(&sc);
  sc.load        = 50;
  outcome_t mid  = run(&sc);
  sc.load        = 0;
  outcome_t idle = run(&sc);
  CU_ASSERT_EQUAL(hot.res[0].status, MIG_OK);
  CU_ASSERT(duration(&hot, 0) > duration(&mid, 0));
  CU_ASSERT(duration(&mid, 0) > duration(&idle, 0));
  CU_ASSERT(hot.res[0].bytes_sent > mid.res[0].bytes_sent);
  CU_ASSERT(hot.res[0].rounds > 1);
  /* Without a class speed, the dirty rate at 100 % is intensity x the route's effective bandwidth:
   * round 2 sends what round 1 dirtied: 0.5 x its duration x 121.25 MB/s, i.e. about half the RAM. */
  double round1 = (double)GiB / effective_bw_Bps + effective_latency(sc.latency_s);
  double dirty1 = floor(round1 * 0.5 * effective_bw_Bps);
  CU_ASSERT(hot.res[0].bytes_sent > (double)GiB + dirty1 - 1);
  /* exactly (deterministic, the same in every build and context factory): durations, bytes and
   * rounds of the three runs (the idle one is the formula of the test above) */
  CU_ASSERT_DOUBLE_EQUAL(duration(&hot, 0), 17.718630727835063, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(duration(&mid, 0), 11.815718439175257, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(duration(&idle, 0), (double)GiB / effective_bw_Bps + 3 * effective_latency(sc.latency_s),
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
  scenario_t sc = base_scenario();
  outcome_t one = run(&sc);
  sc.nmig       = 2;
  sc.src[1]     = 0; /* both leave node-0: they share its private link */
  sc.dst[1]     = 2;
  outcome_t two = run(&sc);
  double alone  = duration(&one, 0);
  CU_ASSERT_EQUAL(two.callbacks[0], 1);
  CU_ASSERT_EQUAL(two.callbacks[1], 1);
  CU_ASSERT(duration(&two, 0) > 1.9 * alone);
  CU_ASSERT(duration(&two, 1) > 1.9 * alone);
  CU_ASSERT(duration(&two, 0) < 2.1 * alone);
  /* exactly: each gets half the link, so twice the RAM over the bandwidth, plus the 3 latencies */
  double shared = 2 * (double)GiB / effective_bw_Bps + 3 * effective_latency(sc.latency_s);
  CU_ASSERT_DOUBLE_EQUAL(duration(&two, 0), shared, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(duration(&two, 1), shared, 1e-9);
  CU_ASSERT_EQUAL(two.final_pm[0], 1);
  CU_ASSERT_EQUAL(two.final_pm[1], 2);
  CU_ASSERT_EQUAL(two.conservation_violations, 0);
}

static void test_mig_speed_cap_bounds_each_round(void)
{
  scenario_t sc    = base_scenario();
  sc.mig_speed_Bps = 50e6;
  outcome_t o      = run(&sc);
  double lat       = effective_latency(sc.latency_s);
  /* Round 1 lasts latency + RAM / cap; then the 0-byte stop-and-copy and the ack. */
  CU_ASSERT_DOUBLE_EQUAL(duration(&o, 0), lat + (double)GiB / 50e6 + 2 * lat, 1e-6);
}

static void test_mig_refuses_vm_already_migrating(void)
{
  scenario_t sc  = base_scenario();
  sc.nmig        = 2;
  sc.src[1]      = 2;
  sc.dst[1]      = 3;
  sc.retry_first = true;
  outcome_t o    = run(&sc);
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
  scenario_t sc = base_scenario();
  sc.nmig       = 2;
  sc.src[1]     = 2; /* an unrelated migration on other links completes normally */
  sc.dst[1]     = 3;
  sc.crash_pm   = 1;
  sc.crash_at_s = 3.0;
  outcome_t o   = run(&sc);
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

/* A migration cut by a crash reports the bytes of its completed rounds plus those of the cut round:
 * none during the route's latency, then the flow's nominal rate (the route's effective bandwidth,
 * or the class's speed cap when lower), at most the round's size. Alone on its route, that is what
 * SimGrid's flow sent (the durations above check the same model to 1e-6 s). */
static double cut_bytes(double elapsed_s, double rate_Bps)
{
  double lat = effective_latency(50e-6);
  return elapsed_s > lat ? floor((elapsed_s - lat) * rate_Bps) : 0;
}

static outcome_t run_cut(double crash_at_s, double speed_Bps, double load)
{
  scenario_t sc    = base_scenario();
  sc.crash_pm      = 1; /* the destination */
  sc.crash_at_s    = crash_at_s;
  sc.mig_speed_Bps = speed_Bps;
  sc.load          = load;
  outcome_t o      = run(&sc);
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
  outcome_t o   = run_cut(3.0, 0, 0);
  double expect = cut_bytes(3.0, effective_bw_Bps); /* 363592253 bytes */
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
  double lat    = effective_latency(50e-6);
  double round1 = lat + (double)GiB / effective_bw_Bps;
  outcome_t o   = run_cut(round1 + 2.0, 0, 100);
  double expect = (double)GiB + cut_bytes(2.0, effective_bw_Bps);
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
  scenario_t sc = base_scenario();
  sc.nmig       = 2;
  sc.src[1]     = 0;
  sc.dst[1]     = 2;
  sc.crash_pm   = 1;
  sc.crash_at_s = 3.0;
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_FAILED);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, cut_bytes(3.0, effective_bw_Bps), 1.0);
  CU_ASSERT_EQUAL(o.res[1].status, MIG_OK);
}

static void test_mig_stops_at_round_cap(void)
{
  scenario_t sc  = base_scenario();
  sc.load        = 100;
  sc.intensity   = 1.0; /* dirties as fast as it sends: never fits the downtime */
  sc.working_set = 0.25;
  sc.max_rounds  = 3;
  outcome_t o    = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].status, MIG_OK);
  CU_ASSERT_EQUAL(o.res[0].rounds, 3);
  /* RAM, then twice the working set (the cap), then the stop-and-copy of the working set. */
  double ws = floor(0.25 * (double)GiB);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].bytes_sent, (double)GiB + 3 * ws, 0.5);
  CU_ASSERT(o.res[0].downtime_s > ws / effective_bw_Bps);
  /* exactly: the stop-and-copy of the working set alone on the link, plus one latency */
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].downtime_s, effective_latency(sc.latency_s) + ws / effective_bw_Bps, 1e-9);
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
    scenario_t sc = base_scenario();
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
      sc.model    = m == 0 ? PLAT_VM_MODEL_DATA : PLAT_VM_MODEL_SIMGRID;
      outcome_t o = run(&sc);
      for (int k = 0; k < sc.nmig; k++) {
        CU_ASSERT_EQUAL(o.callbacks[k], 1);
        CU_ASSERT_EQUAL(o.res[k].status, MIG_OK);
        CU_ASSERT_EQUAL(o.final_pm[k], (int32_t)sc.dst[k]);
        mean[m] += duration(&o, k) / sc.nmig;
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

static void test_mig_intersite_image_copy_comes_first(void)
{
  /* Two sites (PMs 0-1, 2-3), a VM at 50 % load capped at 100 MB/s. Across sites, a 10 GiB image
   * (local stores) adds image / cap and one route latency (one more round), and is counted
   * in bytes_sent and image_bytes; the memory rounds are unchanged. Inside a site, or with a
   * shared store, the image changes nothing. */
  double image = 10.0 * (double)GiB, cap = 100e6;
  outcome_t o[5];
  for (int i = 0; i < 5; i++) {
    scenario_t sc    = base_scenario();
    sc.sites         = 2;
    sc.load          = 50;
    sc.mig_speed_Bps = cap;
    sc.dst[0]        = i < 3 ? 2 : 1; /* 0-2: across sites, 3-4: inside site 0 */
    sc.image_bytes   = i == 0 || i == 3 ? 0 : 10 * GiB;
    sc.shared_store  = i == 2;
    o[i]             = run(&sc);
    CU_ASSERT_EQUAL(o[i].res[0].status, MIG_OK);
    CU_ASSERT_EQUAL(o[i].final_pm[0], (int32_t)sc.dst[0]);
  }
  double extra = duration(&o[1], 0) - duration(&o[0], 0);
  CU_ASSERT(extra >= image / cap);
  /* exactly one more round: image / cap plus the route's latency (2 private links and 1 ms of WAN) */
  CU_ASSERT_DOUBLE_EQUAL(extra, image / cap + effective_latency(50e-6) + 13.01 * 1e-3, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o[1].res[0].bytes_sent - o[0].res[0].bytes_sent, image, 0.5);
  CU_ASSERT_DOUBLE_EQUAL(o[1].res[0].image_bytes, image, 0.5);
  CU_ASSERT_EQUAL(o[1].res[0].rounds, o[0].res[0].rounds);
  CU_ASSERT_EQUAL(o[0].res[0].image_bytes, 0);
  CU_ASSERT_EQUAL(duration(&o[2], 0), duration(&o[0], 0)); /* shared store */
  CU_ASSERT_EQUAL(o[2].res[0].bytes_sent, o[0].res[0].bytes_sent);
  CU_ASSERT_EQUAL(duration(&o[4], 0), duration(&o[3], 0)); /* inside a site */
  CU_ASSERT_EQUAL(o[4].res[0].image_bytes, 0);
  CU_ASSERT(duration(&o[0], 0) > duration(&o[3], 0)); /* the WAN route is slower even without image */
}

CU_TestInfo migration_tests[] = {
    {"idle VM takes RAM / bandwidth + latencies", test_mig_idle_vm_takes_ram_over_bandwidth_plus_latencies},
    {"busier VM takes longer", test_mig_busier_vm_takes_longer_and_sends_more},
    {"two migrations sharing a link each take longer", test_mig_two_migrations_sharing_a_link_each_take_longer},
    {"class migration speed caps each round", test_mig_speed_cap_bounds_each_round},
    {"refuses a VM already migrating", test_mig_refuses_vm_already_migrating},
    {"fails when the destination crashes", test_mig_fails_when_destination_crashes},
    {"a cut in round 1 reports the bytes sent", test_mig_cut_in_round_one_reports_bytes_sent},
    {"a cut in a later round adds the completed ones", test_mig_cut_in_a_later_round_adds_the_completed_ones},
    {"a cut while sharing reports an upper bound", test_mig_cut_while_sharing_reports_an_upper_bound},
    {"stops at the round cap", test_mig_stops_at_round_cap},
    {"validation mode refused on large platforms", test_mig_check_config_refuses_large_sgvm_platforms},
    {"agrees with SimGrid's live-migration plugin", test_mig_agrees_with_simgrid_plugin},
    {"an inter-site image copy comes first", test_mig_intersite_image_copy_comes_first},
    CU_TEST_INFO_NULL,
};
