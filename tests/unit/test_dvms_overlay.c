/* Suite "dvms_overlay": the rings of DVMS's locality-aware overlay (scheduler/dvms/overlay.c), built on
 * real generated platforms (a SimGrid engine per child process) through the scheduler API's sites and
 * route latencies: each initiator's ring lists its own site first (PM order from the initiator,
 * wrapping), then the other sites nearest first; position and PM map both ways; on one site it is the
 * PM-order ring. The protocol walking these rings runs end to end in tests/e2e/dvms_locality.sh. */
#include "dvms/dvms.h"
#include "run.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#define PMS 12

typedef struct rings {
  int rc;
  size_t pms;
  uint32_t at[PMS][PMS]; /* at[i][p]: the PM at position p of initiator i's ring */
  uint32_t pos[PMS][PMS];
  lucsim_err_t err;
} rings_t;

static rings_t* rings_out;

static int probe_init(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)err;
  *state            = NULL;
  rings_t* o        = rings_out;
  o->pms            = sched_pm_count(ctx);
  dvms_overlay_t* v = dvms__overlay_create(ctx);
  for (uint32_t i = 0; i < o->pms && i < PMS; i++)
    for (uint32_t p = 0; p < o->pms && p < PMS; p++) {
      o->at[i][p]  = dvms__overlay_at(v, i, p);
      o->pos[i][p] = dvms__overlay_pos(v, i, p);
    }
  dvms__overlay_destroy(v);
  return 0;
}

static const sched_ops_t probe_ops = {.abi_version = SCHED_ABI_VERSION, .name = "probe", .init = probe_init};

static int probe_scenario(void* arg, void* blob, size_t size)
{
  (void)size;
  const char* const* sets = arg;
  rings_out               = blob;
  simrun_init_simgrid();
  char tmp[]    = "/tmp/lucsim-overlay-XXXXXX";
  config_t* cfg = malloc(sizeof *cfg);
  int pms       = PMS;
  int rc        = simrun_experiment(cfg, NULL, simrun_craft_small_cluster, &pms, sets, 16, tmp, &rings_out->err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create_with(cfg, &probe_ops, &rings_out->err);
  rings_out->rc     = run ? 0 : -1;
  run_destroy(run);
  free(cfg);
  return simrun_remove(tmp);
}

static void run_probe(const char* const* sets, rings_t* o)
{
  memset(o, 0, sizeof *o);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(probe_scenario, (void*)sets, o, sizeof *o), 0);
  CU_ASSERT_EQUAL_FATAL(o->rc, 0);
  CU_ASSERT_EQUAL_FATAL(o->pms, PMS);
  for (uint32_t i = 0; i < PMS; i++) {
    CU_ASSERT_EQUAL(o->at[i][0], i); /* the initiator opens its own ring */
    for (uint32_t p = 0; p < PMS; p++) {
      CU_ASSERT_EQUAL(o->pos[i][o->at[i][p]], p); /* a permutation, both ways */
    }
  }
}

/* 4 sites of 3 PMs on a ring of sites: from site 0, sites 1 and 3 are one hop away, site 2 two. */
static void test_dvms_overlay_own_site_first_then_nearest_sites(void)
{
  static const char* const sets[] = {"platform.kind=luc", "platform.sites=4", "platform.topology=ring",
                                     "platform.service_nodes=1", NULL};
  rings_t o;
  run_probe(sets, &o);
  static const uint32_t from1[PMS]  = {1, 2, 0, 4, 5, 3, 10, 11, 9, 7, 8, 6};
  static const uint32_t from11[PMS] = {11, 9, 10, 2, 0, 1, 8, 6, 7, 5, 3, 4}; /* site 3: sites 0, 2, then 1 */
  for (size_t p = 0; p < PMS; p++) {
    CU_ASSERT_EQUAL(o.at[1][p], from1[p]);
    CU_ASSERT_EQUAL(o.at[11][p], from11[p]);
  }
}

/* A star of 3 sites of 4 PMs: from a leaf (site 1), the hub (site 0, one hop) before the other leaf. */
static void test_dvms_overlay_star_goes_through_the_hub_first(void)
{
  static const char* const sets[] = {"platform.kind=luc", "platform.sites=3", "platform.topology=star",
                                     "platform.service_nodes=1", NULL};
  rings_t o;
  run_probe(sets, &o);
  static const uint32_t from6[PMS] = {6, 7, 4, 5, 2, 3, 0, 1, 10, 11, 8, 9};
  for (size_t p = 0; p < PMS; p++)
    CU_ASSERT_EQUAL(o.at[6][p], from6[p]);
}

/* One site: every initiator's ring is the PM-order ring from it (overlay=locality = ring). */
static void test_dvms_overlay_one_site_is_the_pm_ring(void)
{
  static const char* const sets[] = {"platform.service_nodes=1", NULL};
  rings_t o;
  run_probe(sets, &o);
  for (uint32_t i = 0; i < PMS; i++)
    for (uint32_t p = 0; p < PMS; p++)
      CU_ASSERT_EQUAL(o.at[i][p], (i + p) % PMS);
}

CU_TestInfo dvms_overlay_tests[] = {
    {"own_site_first_then_nearest_sites", test_dvms_overlay_own_site_first_then_nearest_sites},
    {"star_goes_through_the_hub_first", test_dvms_overlay_star_goes_through_the_hub_first},
    {"one_site_is_the_pm_ring", test_dvms_overlay_one_site_is_the_pm_ring},
    CU_TEST_INFO_NULL,
};
