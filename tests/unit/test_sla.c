/* Suite "sla": the SLA metrics (sim/sla.c) of whole real runs (run_create + run_execute in a forked
 * child: SimGrid, the core, migrations) on the crafted 4-PM cluster, against values computed by
 * hand: PM 0 overloaded the whole run without a scheduler; one migration under Entropy; a crash; and
 * ESV with a declared power model. Not the energy model itself (suite energy). */
#include "run.h"
#include "sched_ctx.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS 6
#define PMS 4

typedef struct scenario {
  const char* sets[MAX_SETS];
} scenario_t;

typedef struct outcome {
  sla_totals_t sla;
  mon_totals_t mon;
  size_t migrations_ok;
  double migration_seconds;
  double energy_J;
  double down_vm_s;
  double csv_energy_kwh, csv_slav, csv_esv, csv_slatah, csv_pdm; /* as summary.csv wrote them (-1: empty) */
} outcome_t;

/* Column name of summary.csv's one data row, as a number (-1 when empty). */
static double summary_value(const char* path, const char* name)
{
  FILE* f = fopen(path, "r");
  if (!f) return -2;
  char head[8192], row[8192];
  double value = -3;
  if (fgets(head, sizeof head, f) && fgets(row, sizeof row, f)) {
    char *h = head, *r = row;
    for (;;) {
      size_t hn = strcspn(h, ",\n"), rn = strcspn(r, ",\n");
      if (hn == strlen(name) && strncmp(h, name, hn) == 0) {
        value = rn ? atof(r) : -1;
        break;
      }
      if (h[hn] != ',' || r[rn] != ',') break;
      h += hn + 1, r += rn + 1;
    }
  }
  fclose(f);
  return value;
}

static int run_child(void* arg, void* blob, size_t size)
{
  (void)size;
  const scenario_t* sc = arg;
  outcome_t* out       = blob;
  simrun_init_simgrid();
  char tmp[]    = "/tmp/lucsim-sla-XXXXXX";
  config_t* cfg = malloc(sizeof *cfg);
  lucsim_err_t err;
  int pms = PMS;
  int rc  = simrun_experiment(cfg, NULL, simrun_craft_small_cluster, &pms, sc->sets, MAX_SETS, tmp, &err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create(cfg, &err);
  if (!run) return 20;
  for (size_t vm = 0; vm < 5; vm++) /* PM 0's VMs at 80 %: 5 x 160 = 800 > 700 */
    cluster_set_load(run->cluster, vm, 80, 0);
  if (run_execute(run, &err) != 0) return 21;
  out->sla               = sla_totals(run->sla, cfg->duration_s);
  out->mon               = mon_totals(run->mon);
  out->migrations_ok     = run->counters.migrations_ok;
  out->migration_seconds = run->counters.migration_seconds;
  out->energy_J          = run->energy ? energy_joules(run->energy, cfg->duration_s) : -1;
  out->down_vm_s         = cluster_down_vm_seconds(run->cluster, cfg->duration_s);
  run_destroy(run);
  char summary[1200];
  snprintf(summary, sizeof summary, "%s/summary.csv", cfg->output.dir);
  out->csv_energy_kwh = summary_value(summary, "energy_kWh");
  out->csv_slav       = summary_value(summary, "slav");
  out->csv_esv        = summary_value(summary, "esv");
  out->csv_slatah     = summary_value(summary, "slatah");
  out->csv_pdm        = summary_value(summary, "pdm");
  free(cfg);
  return simrun_remove(tmp);
}

static outcome_t run(const scenario_t* sc)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_child, (void*)sc, &out, sizeof out), 0);
  return out;
}

static void test_overloaded_pm_without_scheduler(void)
{
  scenario_t sc = {.sets = {"scheduler=none"}};
  outcome_t o   = run(&sc);
  /* 4 PMs on for 300 s; PM 0 non-viable throughout: SLATAH = (1 + 0 + 0 + 0) / 4 */
  CU_ASSERT_DOUBLE_EQUAL(o.sla.pm_on_s, 1200.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.pm_violation_s, 300.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.slatah, 0.25, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.slatah_sum, 0.25, 1e-12);
  /* requested: PM 0's 5 VMs at 160 and the 15 others at 80, for 300 s */
  CU_ASSERT_DOUBLE_EQUAL(o.sla.requested, (5 * 160.0 + 15 * 80.0) * 300, 1e-6);
  CU_ASSERT_EQUAL(o.sla.degradation, 0.0); /* no migration */
  CU_ASSERT_EQUAL(o.sla.pdm, 0.0);
  CU_ASSERT_EQUAL(o.sla.pdm_sum, 0.0);
}

static void test_one_migration_under_entropy(void)
{
  scenario_t sc = {.sets = {"scheduler=entropy"}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL_FATAL(o.migrations_ok, 1);
  double d = o.migration_seconds; /* the one migration: a VM at 160 load units */
  CU_ASSERT(d > 5 && d < 20);
  /* T_s of PM 0 is its violation time; every PM on all along */
  CU_ASSERT_DOUBLE_EQUAL(o.sla.pm_violation_s, o.mon.violation_s + o.mon.violation_out_s, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.slatah, o.sla.pm_violation_s / 300 / PMS, 1e-12);
  /* C_d = 10 % of its 160 while migrating; PDM: its C_d / C_r over the 20 VMs */
  double cd = 0.1 * 160 * d, cr = 160.0 * 300;
  CU_ASSERT_DOUBLE_EQUAL(o.sla.degradation, cd, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.pdm, cd / cr / 20, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.pdm_sum, cd / ((5 * 160.0 + 15 * 80.0) * 300), 1e-12);
}

static void test_a_crash_stops_time_on_and_requests(void)
{
  /* PM 3 (VMs 15-19 at 80) down from 100 s to 200 s: 100 s less on, its VMs request nothing then */
  scenario_t sc = {.sets = {"scheduler=none", "injector.faults.trace=" /* set below */}};
  char trace[]  = "/tmp/lucsim-sla-trace-XXXXXX";
  int fd        = mkstemp(trace);
  CU_ASSERT_FATAL(fd >= 0);
  FILE* f = fdopen(fd, "w");
  fputs("100,node-3,down\n200,node-3,up\n", f);
  fclose(f);
  char set[128];
  snprintf(set, sizeof set, "injector.faults.trace=%s", trace);
  sc.sets[1]  = set;
  outcome_t o = run(&sc);
  unlink(trace);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.pm_on_s, 1100.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.down_vm_s, 500.0, 1e-9); /* 5 VMs x 100 s */
  CU_ASSERT_DOUBLE_EQUAL(o.sla.requested, (5 * 160.0 + 15 * 80.0) * 300 - 5 * 80.0 * 100, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o.sla.slatah, (1.0 + 0 + 0 + 0) / 4, 1e-12); /* PM 3: 0 of its 200 s on */
}

static void test_summary_writes_esv_as_energy_times_slav(void)
{
  scenario_t sc = {.sets = {"scheduler=entropy", "platform.power_idle=100", "platform.power_max=200"}};
  outcome_t o   = run(&sc);
  CU_ASSERT_FATAL(o.energy_J > 0);
  /* 4 PMs of 8 cores (800 load units with the hypervisor's) at 400 or 800 of demand: between
   * 150 and 200 W each for 300 s */
  CU_ASSERT(o.energy_J > 4 * 150 * 300.0 && o.energy_J < 4 * 200 * 300.0);
  CU_ASSERT_DOUBLE_EQUAL(o.csv_energy_kwh, o.energy_J / 3.6e6, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o.csv_slatah, o.sla.slatah, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.csv_pdm, o.sla.pdm, 1e-9);
  double slav = o.sla.slatah * o.sla.pdm;
  CU_ASSERT(slav > 0);
  CU_ASSERT_DOUBLE_EQUAL(o.csv_slav, slav, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(o.csv_esv, o.energy_J / 3.6e6 * slav, 1e-12);
  /* without a power model: energy_kWh and esv empty, the SLA metrics still written */
  scenario_t bare = {.sets = {"scheduler=entropy"}};
  outcome_t b     = run(&bare);
  CU_ASSERT_EQUAL(b.csv_energy_kwh, -1);
  CU_ASSERT_EQUAL(b.csv_esv, -1);
  CU_ASSERT_DOUBLE_EQUAL(b.csv_slav, slav, 1e-12); /* power changes nothing else */
}

CU_TestInfo sla_tests[] = {
    {"overloaded_pm_without_scheduler", test_overloaded_pm_without_scheduler},
    {"one_migration_under_entropy", test_one_migration_under_entropy},
    {"a_crash_stops_time_on_and_requests", test_a_crash_stops_time_on_and_requests},
    {"summary_writes_esv_as_energy_times_slav", test_summary_writes_esv_as_energy_times_slav},
    CU_TEST_INFO_NULL,
};
