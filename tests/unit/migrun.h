/* The migration suites' harness: one scenario (a platform, VMs of one class, migrations started at
 * t = 0, optional load change or crash) run in a forked child on a real SimGrid engine through the
 * migration module, and what came out (results, callbacks, final placement). Used by the suites
 * "migration" and "migration_wan"; not a test itself. */
#ifndef LUCSIM_TEST_MIGRUN_H
#define LUCSIM_TEST_MIGRUN_H

#include "cluster.h"
#include "config.h"
#include "migration.h"

#include <stdbool.h>
#include <stdint.h>

#define MIGRUN_MAX 4
#define GiB ((uint64_t)1 << 30)

/* One scenario: VMs i = 0..nmig-1 of one class placed on src[i], all migrated at t = 0 to dst[i]. */
typedef struct migrun_scenario {
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
  size_t src[MIGRUN_MAX];
  size_t dst[MIGRUN_MAX];
  int crash_pm; /* -1: none; else mig_fail_pm + cluster_pm_crash at crash_at_s */
  double crash_at_s;
  bool crash_races_start;  /* the driver starts the migrations at crash_at_s, while a second actor, woken
                              at the same instant, crashes crash_pm */
  bool retry_first;        /* start migration 0 a second time at once (and also to its own PM) */
  double load_change_at_s; /* > 0: every migrating VM's load becomes load_after at that time */
  double load_after;
  int sites;            /* > 1: a LUC ring of that many sites (PMs split evenly, in order) */
  uint64_t image_bytes; /* the class's disk image */
  bool shared_store;    /* migration.image_store = shared */
  double wan_bw_Bps;    /* > 0: platform.wan_bandwidth (each backbone link) */
} migrun_scenario_t;

typedef struct migrun_outcome {
  int start_rc[MIGRUN_MAX];
  int retry_rc;
  int same_pm_rc;
  int offline_rc;
  int callbacks[MIGRUN_MAX + 1]; /* [nmig]: the bystander's, must stay 0 */
  int observed;
  mig_result_t res[MIGRUN_MAX + 1];
  int32_t final_pm[MIGRUN_MAX];
  size_t in_flight_end;
  size_t completed, failed;
  int conservation_violations; /* events after which the PMs' VM counts did not sum to #VMs */
  int events;
} migrun_outcome_t;

/* The base scenario: 4 PMs of the default cluster, one idle 1 GiB VM (intensity 0.5, working set
 * 0.9, no speed cap) migrated from PM 0 to PM 1. */
migrun_scenario_t migrun_base(void);
/* Runs sc in a child (a CUnit assertion checks that it succeeded). */
migrun_outcome_t migrun_run(const migrun_scenario_t* sc);
double migrun_duration(const migrun_outcome_t* o, int i); /* end - start of migration i */

/* SimGrid 3.32's default network model (LV08): bandwidth x 0.97, latency x 13.01; a route between two
 * cluster nodes crosses the source's and the destination's private links (2 latencies). */
double migrun_latency(double link_latency_s);
#define MIGRUN_BW_BPS (0.97 * 125e6)

#endif
