/* The migration suites' harness (migrun.h): the child's driver actor, its observers, and the
 * scenario's set-up on a generated platform. Not a test. */
#include "migrun.h"

#include "platform.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <string.h>

struct child;
typedef struct slot {
  struct child* c;
  int i;
} slot_t;

/* The child's state. VM nmig (the bystander) stays on the last PM: it is never migrated. */
typedef struct child {
  const migrun_scenario_t* sc;
  migrun_outcome_t* out;
  cluster_t* cl;
  mig_t* mig;
  slot_t slot[MIGRUN_MAX + 1];
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

static void crash(child_t* c);

static void driver_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  child_t* c                  = sg_actor_self_get_data();
  const migrun_scenario_t* sc = c->sc;
  if (sc->crash_races_start) sg_actor_sleep_until(sc->crash_at_s);
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
  if (sc->crash_pm >= 0 && !sc->crash_races_start) crash(c);
}

static void crash(child_t* c)
{
  const migrun_scenario_t* sc = c->sc;
  sg_actor_sleep_until(sc->crash_at_s);
  mig_fail_pm(c->mig, (size_t)sc->crash_pm);
  cluster_pm_crash(c->cl, (size_t)sc->crash_pm, simgrid_get_clock());
  /* A migration to the crashed PM is refused (and its callback never runs). */
  c->out->offline_rc = mig_start(c->mig, (size_t)sc->nmig, (size_t)sc->crash_pm, on_done, &c->slot[sc->nmig]);
}

static void crasher_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  child_t* c = sg_actor_self_get_data();
  sg_actor_sleep_until(c->sc->crash_at_s);
  sg_actor_yield(); /* woken first: the driver runs, and is inside its launch when this resumes */
  crash(c);
}

static int run_scenario(void* arg, void* out_blob, size_t out_size)
{
  (void)out_size;
  const migrun_scenario_t* sc = arg;
  migrun_outcome_t* out       = out_blob;
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
    if (sc->wan_bw_Bps > 0) cfg.platform.wan_bw_Bps = sc->wan_bw_Bps;
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
  if (sc->crash_races_start) {
    sg_actor_t crasher = sg_actor_init("crasher", plat_service_host(plat, 0));
    sg_actor_set_data(crasher, &c);
    sg_actor_start(crasher, crasher_main, 0, NULL);
  }
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

migrun_scenario_t migrun_base(void)
{
  migrun_scenario_t s = {.model         = PLAT_VM_MODEL_DATA,
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

migrun_outcome_t migrun_run(const migrun_scenario_t* sc)
{
  migrun_outcome_t out;
  memset(&out, 0, sizeof out);
  int rc = simrun_in_child(run_scenario, (void*)sc, &out, sizeof out);
  CU_ASSERT_EQUAL(rc, 0);
  return out;
}

double migrun_duration(const migrun_outcome_t* o, int i)
{
  return o->res[i].end_s - o->res[i].start_s;
}

double migrun_latency(double link_latency_s)
{
  return 13.01 * 2 * link_latency_s;
}
