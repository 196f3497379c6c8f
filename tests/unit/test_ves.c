/* Suite "ves": virtual environments on whole real runs (run_create + run_execute in a forked child:
 * SimGrid, the core with GLPK, migrations, the manager actor). The constraints are checked by a
 * cluster listener of the test's own, on every placement change of the run, independently of the
 * engine's checker: under every scheduler no constraint family of workloads/ves-small.xml breaks,
 * while a careless scheduler that migrates VE VMs onto their siblings breaks spread and root, and
 * both checkers see it. A VE that does not fit waits and is admitted when another departs. */
#include "run.h"
#include "sched_ctx.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <simgrid/actor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 4

typedef struct scenario {
  const char* file;
  const char* sets[MAX_SETS];
  bool careless;
  bool suspend;  /* crafted: craft_suspend instead of craft_one_pm */
  bool overload; /* crafted: craft_overload */
} scenario_t;

typedef struct outcome {
  int create_rc, execute_rc;
  lucsim_err_t err;
  size_t seen[VE_CSTR_KIND_COUNT]; /* placement changes after which a constraint of that kind was broken */
  double engine_s[VE_CSTR_KIND_COUNT];
  size_t events, ve_migrations, careless_moves;
  double ve0_departed, ve1_admitted, ve1_arrival;
  double ve0_suspended, ve1_departed;
  unsigned ve0_suspensions, ve1_suspensions;
  double pm0_overloaded_s; /* time PM 0 spent overloaded (the one-PM scenarios) */
  double pm0_overloaded_since;
} outcome_t;

/* ---- the test's own constraint check, at every cluster event ---- */

typedef struct watch {
  lucsim_run_t* run;
  outcome_t* out;
  int32_t* last_pm; /* per VM: where it ran at the last event (root) */
} watch_t;

static bool broken(const lucsim_run_t* run, const sched_ve_constraint_t* g, const int32_t* last_pm)
{
  const cluster_t* cl = run->cluster;
  bool migrating      = false;
  for (size_t a = g->first_vm; a < g->first_vm + g->vm_count; a++) {
    const cluster_vm_t* va = cluster_vm(cl, a);
    migrating              = migrating || va->migrating_to != CLUSTER_NONE;
    if (va->pm == CLUSTER_NONE) continue;
    size_t site = plat_pm_site(run->plat, (size_t)va->pm);
    if (g->kind == SCHED_VE_ROOT && last_pm[a] != CLUSTER_NONE && last_pm[a] != va->pm) return true;
    if ((g->kind == SCHED_VE_FENCE && !g->site_in[site]) || (g->kind == SCHED_VE_BAN && g->site_in[site])) return true;
    if (g->kind == SCHED_VE_LONELY)
      for (int32_t o = cluster_pm(cl, (size_t)va->pm)->first_vm; o != CLUSTER_NONE;
           o         = cluster_vm(cl, (size_t)o)->next_on_pm)
        if ((size_t)o < g->first_vm || (size_t)o >= g->first_vm + g->vm_count) return true;
    for (size_t b = a + 1; b < g->first_vm + g->vm_count; b++) {
      const cluster_vm_t* vb = cluster_vm(cl, b);
      if (vb->pm == CLUSTER_NONE) continue;
      if (g->kind == SCHED_VE_SPREAD && vb->pm == va->pm) return true;
      if (g->kind == SCHED_VE_LATENCY && plat_pm_site(run->plat, (size_t)vb->pm) != site) return true;
      if (g->kind == SCHED_VE_GATHER && vb->pm != va->pm && !migrating) return true;
    }
  }
  return false;
}

static void on_event(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  watch_t* w       = userdata;
  sched_ctx_t* ctx = w->run->ctx;
  bool over        = !cluster_pm_is_viable(w->run->cluster, 0);
  if (over && w->out->pm0_overloaded_since < 0) w->out->pm0_overloaded_since = now;
  if (!over && w->out->pm0_overloaded_since >= 0) {
    w->out->pm0_overloaded_s += now - w->out->pm0_overloaded_since;
    w->out->pm0_overloaded_since = -1;
  }
  if (ev == CLUSTER_EV_LOAD) return; /* placements only */
  w->out->events++;
  if (ev == CLUSTER_EV_VM_ADMIT) w->last_pm[vm] = (int32_t)pm; /* where a root VM must stay */
  if (ev == CLUSTER_EV_MIG_ARRIVE && role_dest && sched_vm_ve(ctx, (size_t)vm) != SCHED_NO_VE) w->out->ve_migrations++;
  for (size_t ve = 0; ve < sched_ve_count(ctx); ve++) {
    if (!sched_ve_is_running(ctx, ve)) continue;
    for (size_t i = 0; i < sched_ve_constraint_count(ctx, ve); i++) {
      sched_ve_constraint_t g;
      sched_ve_constraint(ctx, ve, i, &g);
      if (broken(w->run, &g, w->last_pm)) w->out->seen[g.kind]++;
    }
  }
}

/* ---- a careless scheduler: at t = 60 s it migrates, in each running VE, every VM of a spread
 * group onto its first member's PM (sched_migrate checks no constraint) ---- */

static int careless_init(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)err;
  *state = ctx;
  return 0;
}

static size_t* careless_moves;

static void careless_actor(int argc, char* argv[])
{
  (void)argc, (void)argv;
  sched_ctx_t* ctx = sg_actor_self_get_data();
  sg_actor_sleep_for(60);
  for (size_t ve = 0; ve < sched_ve_count(ctx); ve++) {
    if (!sched_ve_is_running(ctx, ve)) continue;
    for (size_t i = 0; i < sched_ve_constraint_count(ctx, ve); i++) {
      sched_ve_constraint_t g;
      sched_ve_constraint(ctx, ve, i, &g);
      sched_vm_info_t first;
      sched_vm_info(ctx, g.first_vm, &first);
      for (size_t m = g.first_vm + 1; g.kind == SCHED_VE_SPREAD && m < g.first_vm + g.vm_count; m++)
        if (first.pm != SCHED_NONE && sched_migrate(ctx, m, (size_t)first.pm, NULL, NULL) == 0) (*careless_moves)++;
    }
  }
}

static void careless_start(sched_ctx_t* ctx, void* state)
{
  (void)state;
  sg_actor_t a = sg_actor_init("careless", sched_service_host(ctx, 0));
  sg_actor_set_data(a, ctx);
  sg_actor_start(a, careless_actor, 0, NULL);
}

static const sched_ops_t careless = {.abi_version = SCHED_ABI_VERSION,
                                     .name        = "careless",
                                     .summary     = "test",
                                     .init        = careless_init,
                                     .start       = careless_start};

/* ---- running ---- */

/* The times of VEs 0 and 1 from ves.csv (ve,template,vms,arrival_s,admitted_s,departure_s,waiting_s,
 * suspended_s,suspensions,...). */
static void read_two_ves(const char* dir, outcome_t* out)
{
  char path[1200], line[512];
  snprintf(path, sizeof path, "%s/ves.csv", dir);
  FILE* f = fopen(path, "r");
  if (!f) return;
  for (int row = 0; fgets(line, sizeof line, f); row++) {
    char* field[12] = {0};
    size_t k        = 0;
    for (char* p = line; p && k < 12; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
      field[k++] = p;
    if (row == 0 || k < 9) continue;
    double departed = *field[5] == ',' ? -1 : atof(field[5]);
    if (row == 1)
      out->ve0_departed = departed, out->ve0_suspended = atof(field[7]),
      out->ve0_suspensions = (unsigned)atoi(field[8]);
    if (row == 2)
      out->ve1_admitted = atof(field[4]), out->ve1_arrival = atof(field[3]), out->ve1_departed = departed,
      out->ve1_suspensions = (unsigned)atoi(field[8]);
  }
  fclose(f);
}

/* One PM of 700 load units, no plain VM; VEs of 7 VMs at 60 % (420 units): one fits at a time. */
static void craft_one_pm(config_t* cfg, const void* arg)
{
  (void)arg;
  cfg->platform.pm_count      = 1;
  cfg->platform.service_nodes = 1;
  cfg->vms.count              = 0;
  cfg->duration_s             = 300;
  cfg->injector.load_period_s = 1e9; /* no load change */
  ves_params_t* v             = &cfg->ves;
  v->template_count           = 1;
  ve_template_t* t            = &v->templates[0];
  memset(t, 0, sizeof *t);
  snprintf(t->name, sizeof t->name, "app");
  t->initial        = 2;
  t->lifetime_s     = 100;
  t->lifetime_dist  = VE_LIFETIME_LOGNORMAL;
  t->lifetime_sigma = 1e-9; /* 100 s, give or take rounding */
  t->tier_count     = 1;
  snprintf(t->tiers[0].name, sizeof t->tiers[0].name, "web");
  snprintf(t->tiers[0].klass, sizeof t->tiers[0].klass, "small-10");
  t->tiers[0].count = 7;
}

/* craft_one_pm, with a VE of priority 0 there from t = 0 (lifetime 1000 s) and one of priority 1
 * arriving at 50 s (lifetime 100 s); suspension on, 7 GiB written or read in 10 s. */
static void craft_suspend(config_t* cfg, const void* arg)
{
  craft_one_pm(cfg, arg);
  cfg->duration_s            = 1200;
  ves_params_t* v            = &cfg->ves;
  v->queue                   = VE_QUEUE_PRIORITY;
  v->suspend                 = VE_SUSPEND_LOWER_PRIORITY;
  v->disk_bandwidth_Bps      = 7.0 * (1 << 30) / 10;
  v->template_count          = 2;
  v->templates[1]            = v->templates[0];
  v->templates[0].initial    = 1;
  v->templates[0].lifetime_s = 1000;
  ve_template_t* high        = &v->templates[1];
  snprintf(high->name, sizeof high->name, "high");
  high->initial  = 0;
  high->priority = 1;
  snprintf(high->arrivals, sizeof high->arrivals, "50s");
}

/* One PM of 700 load units; a VE of priority 0 and one of priority 1, 4 VMs of one vCPU and 1 GiB
 * each, from t = 0, at 80 % (640 units); every VM's load then goes to 100 % (a change every 20 s on
 * average per VM), so the PM is overloaded once four have; ves.overload_suspend=30s, 4 GiB written
 * in 10 s. */
static void craft_overload(config_t* cfg, const void* arg)
{
  craft_one_pm(cfg, arg);
  cfg->injector.load_period_s = 20;
  cfg->injector.initial_load  = 80;
  cfg->injector.load_mean = 100, cfg->injector.load_stddev = 0, cfg->injector.load_max = 100;
  ves_params_t* v                = &cfg->ves;
  v->overload_suspend_s          = 30;
  v->disk_bandwidth_Bps          = 4.0 * (1 << 30) / 10;
  v->template_count              = 2;
  v->templates[0].initial        = 1;
  v->templates[0].tiers[0].count = 4;
  v->templates[0].lifetime_s     = 10000;
  v->templates[1]                = v->templates[0];
  snprintf(v->templates[1].name, sizeof v->templates[1].name, "high");
  v->templates[1].priority = 1;
}

static int run_child(void* arg, void* blob, size_t size)
{
  (void)size;
  const scenario_t* sc = arg;
  outcome_t* out       = blob;
  simrun_init_simgrid();
  char tmp[]                = "/tmp/lucsim-ves-XXXXXX";
  config_t* cfg             = malloc(sizeof *cfg);
  simrun_craft_fn craft     = sc->overload ? craft_overload : sc->suspend ? craft_suspend : craft_one_pm;
  int rc                    = simrun_experiment(cfg, sc->file, craft, NULL, sc->sets, MAX_SETS, tmp, &out->err);
  out->pm0_overloaded_since = -1;
  if (rc != 0) return rc;
  careless_moves    = &out->careless_moves;
  lucsim_run_t* run = run_create_with(cfg, sc->careless ? &careless : NULL, &out->err);
  out->create_rc    = run ? 0 : -1;
  if (run) {
    watch_t w = {run, out, malloc(cluster_vm_count(run->cluster) * sizeof(int32_t))};
    for (size_t v = 0; v < cluster_vm_count(run->cluster); v++)
      w.last_pm[v] = cluster_vm(run->cluster, v)->pm;
    cluster_add_listener(run->cluster, on_event, &w);
    out->execute_rc = run_execute(run, &out->err);
    for (size_t k = 0; k < VE_CSTR_KIND_COUNT; k++)
      out->engine_s[k] = ves_violation_s(run->ves, (ve_cstr_kind_t)k, cfg->duration_s);
    read_two_ves(cfg->output.dir, out);
    run_destroy(run);
    free(w.last_pm);
  }
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

static void test_every_constraint_holds_under_every_scheduler(void)
{
  static const char* const schedulers[] = {"scheduler=none", "scheduler=entropy", "scheduler=snooze", "scheduler=dvms"};
  size_t moved                          = 0;
  for (size_t s = 0; s < 4; s++) {
    /* overloads (mean load 75 %) make the schedulers migrate VE VMs; DVMS at 60 %: at 75 % its
     * small partitions often have no solution, and each costs GLPK a whole budget (docs/VES.md) */
    scenario_t sc = {
        .file = "workloads/ves-small.xml",
        .sets = {schedulers[s], "duration=600s", s == 3 ? "injector.load.mean=60" : "injector.load.mean=75"}};
    outcome_t o = run(&sc);
    CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
    CU_ASSERT(o.events > 100); /* admissions, departures, migrations */
    for (size_t k = 0; k < VE_CSTR_KIND_COUNT; k++) {
      if (k == VE_CSTR_GATHER) continue; /* broken while its VMs move one by one, by definition */
      CU_ASSERT_EQUAL(o.seen[k], 0);
      CU_ASSERT_DOUBLE_EQUAL(o.engine_s[k], 0.0, 1e-12);
    }
    CU_ASSERT_EQUAL(o.seen[VE_CSTR_GATHER], 0); /* checked only while none of its VMs migrates */
    if (s > 0) moved += o.ve_migrations;
  }
  CU_ASSERT(moved > 10); /* the constraints were kept while VE VMs moved */
}

static void test_a_careless_scheduler_breaks_spread_and_root_and_both_checks_see_it(void)
{
  scenario_t sc = {.file = "workloads/ves-small.xml", .sets = {"duration=300s"}, .careless = true};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
  CU_ASSERT(o.careless_moves > 20);
  CU_ASSERT(o.seen[VE_CSTR_SPREAD] > 0);
  CU_ASSERT(o.seen[VE_CSTR_ROOT] > 0);
  /* from the moves' arrivals (about t = 70 s) to the end or the VEs' departures */
  CU_ASSERT(o.engine_s[VE_CSTR_SPREAD] > 1000);
  CU_ASSERT(o.engine_s[VE_CSTR_ROOT] > 1000);
  CU_ASSERT_DOUBLE_EQUAL(o.engine_s[VE_CSTR_LATENCY], 0.0, 1e-12); /* the moves stayed in their VE's site */
}

static void test_a_ve_that_does_not_fit_waits_until_another_departs(void)
{
  scenario_t sc = {.file = NULL, .sets = {"scheduler=entropy"}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL_FATAL(o.create_rc, 0);
  CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
  CU_ASSERT_DOUBLE_EQUAL(o.ve1_arrival, 0.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(o.ve0_departed, 100.0, 1e-6);
  /* admitted at the instant the first left (its departure frees the PM) */
  CU_ASSERT_DOUBLE_EQUAL(o.ve1_admitted, o.ve0_departed, 1e-12);
}

static void test_a_suspension_costs_what_the_disk_model_says(void)
{
  scenario_t sc = {.suspend = true, .sets = {"scheduler=entropy"}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL_FATAL(o.create_rc, 0);
  CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
  /* the high-priority VE arrives at 50 s, does not fit; the low one writes 7 GiB in 10 s and leaves:
   * the high one starts at 60 s, leaves at 160 s; the low one reads its memory back in 10 s (ready at
   * 170 s), having been suspended 120 s, and lives the 950 s it had left: it leaves at 1120 s */
  CU_ASSERT_DOUBLE_EQUAL(o.ve1_arrival, 50.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.ve1_admitted, 60.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(o.ve1_departed, 160.0, 1e-5);
  CU_ASSERT_EQUAL(o.ve0_suspensions, 1);
  CU_ASSERT_DOUBLE_EQUAL(o.ve0_suspended, 120.0, 1e-5);
  CU_ASSERT_DOUBLE_EQUAL(o.ve0_departed, 1120.0, 1e-4);
}

static void test_an_overload_suspends_the_lowest_priority_ve_after_its_grace(void)
{
  scenario_t sc = {.overload = true, .sets = {"scheduler=none"}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL_FATAL(o.create_rc, 0);
  CU_ASSERT_EQUAL_FATAL(o.execute_rc, 0);
  CU_ASSERT_EQUAL(o.ve0_suspensions, 1); /* priority 0 */
  CU_ASSERT_EQUAL(o.ve1_suspensions, 0);
  /* overloaded for the 30 s grace, up to the manager's next check (every 5 s), then the 10 s write;
   * then the high VE alone (400 units) fits for good, and the low one cannot come back */
  printf("[overloaded %.3f s] ", o.pm0_overloaded_s);
  CU_ASSERT(o.pm0_overloaded_s >= 40 - 1e-9 && o.pm0_overloaded_s <= 45 + 1e-9);
  CU_ASSERT(o.pm0_overloaded_since < 0);
}

CU_TestInfo ves_tests[] = {
    {"an overload suspends the lowest-priority VE after its grace",
     test_an_overload_suspends_the_lowest_priority_ve_after_its_grace},
    {"a suspension costs what the disk model says", test_a_suspension_costs_what_the_disk_model_says},
    {"every constraint holds under every scheduler", test_every_constraint_holds_under_every_scheduler},
    {"a careless scheduler breaks spread and root, and both checks see it",
     test_a_careless_scheduler_breaks_spread_and_root_and_both_checks_see_it},
    {"a VE that does not fit waits until another departs", test_a_ve_that_does_not_fit_waits_until_another_departs},
    CU_TEST_INFO_NULL,
};
