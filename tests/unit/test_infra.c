/* Suite "infra": infrastructure constraints (<constraints>, docs/CONSTRAINTS.md) on whole real runs of
 * workloads/constraints-small.xml (run_create + run_execute in a forked child: SimGrid, the core with
 * GLPK, migrations, the window actor). Node sets resolve as documented against the real platform. A
 * cluster listener of the test's own, with its own node sets (from host names and sites), checks at
 * every placement change that no VM arrives where a ban, a fence or an open window refuses it, and
 * integrates the VMs on the window's PMs while it is open: the run's infra_offline_vm_s must equal
 * it, and the time site s2 has more PMs hosting VMs than its max_online allows must equal
 * infra_max_online_s; under Entropy and DVMS the window's PMs empty, under none they keep their VMs. */
#include "nodeset.h"
#include "run.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_AT 120.0
#define WINDOW_END 420.0
#define WEB 0 /* class indices in the file */
#define DB 1

typedef struct outcome {
  int create_rc, execute_rc;
  lucsim_err_t err;
  long sets[6];        /* nodeset_resolve counts of the probes below */
  char set_error[800]; /* the message of the bad probe */
  size_t arrivals, refused_arrivals, initial_refused;
  double window_vm_s;   /* VMs on the window's PMs while open, integrated by the test */
  double emptied_at;    /* when the window's PMs first hosted no VM while open, or -1 */
  double engine_vm_s;   /* summary.csv: infra_offline_vm_s */
  int engine_evacuated; /* summary.csv: infra_windows_evacuated */
  double engine_ban_s, engine_fence_s;
  double max_online_s, engine_max_online_s; /* site s2 above its count of 6 */
} outcome_t;

typedef struct watch {
  lucsim_run_t* run;
  outcome_t* out;
  bool* in_window; /* per PM */
  bool* banned;    /* per PM: web banned */
  double last_s;
  size_t count;  /* VMs on the window's PMs since last_s */
  bool too_many; /* more than 6 PMs of site s2 host VMs (max_online) since last_s */
} watch_t;

static bool refused(const watch_t* w, size_t vm, size_t pm, double now)
{
  size_t klass = cluster_vm(w->run->cluster, vm)->class_id, site = plat_pm_site(w->run->plat, pm);
  return (klass == WEB && w->banned[pm]) || (klass == DB && site > 1) ||
         (w->in_window[pm] && now >= WINDOW_AT && now < WINDOW_END);
}

static size_t on_window(const watch_t* w)
{
  size_t n = 0;
  for (size_t pm = 0; pm < cluster_pm_count(w->run->cluster); pm++)
    if (w->in_window[pm]) n += cluster_pm(w->run->cluster, pm)->vm_count;
  return n;
}

/* The VMs on the window's PMs since the last placement change (w->count) over [last, now), where it
 * overlaps the window; then the count after the change. */
static void integrate(watch_t* w, double now)
{
  double from = w->last_s > WINDOW_AT ? w->last_s : WINDOW_AT, to = now < WINDOW_END ? now : WINDOW_END;
  if (to > from) w->out->window_vm_s += (double)w->count * (to - from);
  if (w->too_many) w->out->max_online_s += now - w->last_s;
  w->last_s     = now;
  w->count      = on_window(w);
  size_t active = 0;
  for (size_t pm = 0; pm < cluster_pm_count(w->run->cluster); pm++)
    active += plat_pm_site(w->run->plat, pm) == 2 && cluster_pm(w->run->cluster, pm)->vm_count > 0;
  w->too_many = active > 6;
  if (w->out->emptied_at < 0 && now >= WINDOW_AT && now < WINDOW_END && w->count == 0) w->out->emptied_at = now;
}

static void on_event(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  watch_t* w = userdata;
  if (ev == CLUSTER_EV_LOAD) return;
  if (ev == CLUSTER_EV_MIG_ARRIVE && role_dest) {
    w->out->arrivals++;
    w->out->refused_arrivals += refused(w, (size_t)vm, pm, now);
  }
  integrate(w, now);
}

static double summary_value(const char* dir, const char* column)
{
  char path[1200], head[8192], row[8192];
  snprintf(path, sizeof path, "%s/summary.csv", dir);
  FILE* f = fopen(path, "r");
  if (!f) return -1e9;
  bool ok = fgets(head, sizeof head, f) && fgets(row, sizeof row, f);
  fclose(f);
  if (!ok) return -1e9;
  size_t col = 0; /* fields may be empty: split on every comma */
  for (char* h = head; h; h = strchr(h, ',') ? strchr(h, ',') + 1 : NULL, col++)
    if (strncmp(h, column, strlen(column)) == 0 && (h[strlen(column)] == ',' || h[strlen(column)] == '\n')) break;
  char* v = row;
  for (size_t i = 0; v && i < col; i++)
    v = strchr(v, ',') ? strchr(v, ',') + 1 : NULL;
  return v ? atof(v) : -1e9;
}

static const char* const probes[] = {
    "site:s1",    "site:0, s0-node-3", "s3-node-[4..7]", "s3-node-[0..1],s3-node-1", "s2-node-[0..7], site:s2",
    " s1-node-0 "};

static int run_child(void* arg, void* blob, size_t size)
{
  (void)size;
  outcome_t* out = blob;
  simrun_init_simgrid();
  char tmp[]               = "/tmp/lucsim-infra-XXXXXX";
  config_t* cfg            = malloc(sizeof *cfg);
  const char* const sets[] = {arg, "duration=600s", NULL, NULL};
  int rc = simrun_experiment(cfg, "workloads/constraints-small.xml", NULL, NULL, sets, 4, tmp, &out->err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create_with(cfg, NULL, &out->err);
  out->create_rc    = run ? 0 : -1;
  out->emptied_at   = -1;
  if (run) {
    size_t pms = cluster_pm_count(run->cluster);
    bool* set  = calloc(pms, sizeof *set);
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
      out->sets[i] = nodeset_resolve(probes[i], run->plat, set, "f.xml", 1, "nodes", &out->err);
    lucsim_err_t err;
    if (nodeset_resolve("s0-node-1, nowhere", run->plat, set, "f.xml", 7, "constraints.ban.nodes", &err) == -1)
      snprintf(out->set_error, sizeof out->set_error, "%s", err.message);
    watch_t w = {run, out, calloc(pms, sizeof(bool)), calloc(pms, sizeof(bool)), 0, 0, false};
    for (size_t pm = 0; pm < pms; pm++) {
      const char* name = sg_host_get_name(plat_pm_host(run->plat, pm));
      int idx;
      if (sscanf(name, "s3-node-%d", &idx) == 1) w.in_window[pm] = idx >= 4, w.banned[pm] = idx <= 3;
    }
    for (size_t vm = 0; vm < cluster_vm_count(run->cluster); vm++)
      out->initial_refused += refused(&w, vm, (size_t)cluster_vm(run->cluster, vm)->pm, 0);
    integrate(&w, 0); /* the counts at t = 0 */
    cluster_add_listener(run->cluster, on_event, &w);
    out->execute_rc = run_execute(run, &out->err);
    integrate(&w, cfg->duration_s);
    out->engine_vm_s         = summary_value(cfg->output.dir, "infra_offline_vm_s");
    out->engine_evacuated    = (int)summary_value(cfg->output.dir, "infra_windows_evacuated");
    out->engine_ban_s        = summary_value(cfg->output.dir, "infra_ban_vm_s");
    out->engine_fence_s      = summary_value(cfg->output.dir, "infra_fence_vm_s");
    out->engine_max_online_s = summary_value(cfg->output.dir, "infra_max_online_s");
    run_destroy(run);
    free(set), free(w.in_window), free(w.banned);
  }
  free(cfg);
  return simrun_remove(tmp);
}

static outcome_t run(const char* scheduler)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_child, (void*)scheduler, &out, sizeof out), 0);
  CU_ASSERT_EQUAL_FATAL(out.create_rc, 0);
  CU_ASSERT_EQUAL_FATAL(out.execute_rc, 0);
  return out;
}

static void test_node_sets_resolve_sites_ranges_and_names(void)
{
  outcome_t o = run("scheduler=none");
  CU_ASSERT_EQUAL(o.sets[0], 8); /* a site by name */
  CU_ASSERT_EQUAL(o.sets[1], 8); /* a site by index, and one of its PMs again */
  CU_ASSERT_EQUAL(o.sets[2], 4); /* a range */
  CU_ASSERT_EQUAL(o.sets[3], 2); /* a PM named twice counts once */
  CU_ASSERT_EQUAL(o.sets[4], 8);
  CU_ASSERT_EQUAL(o.sets[5], 1); /* spaces around an item */
  CU_ASSERT_STRING_EQUAL(o.set_error, "no host 'nowhere' in the platform");
}

static void test_none_keeps_the_window_hosts_busy_and_the_accounting_says_so(void)
{
  outcome_t o = run("scheduler=none");
  CU_ASSERT_EQUAL(o.initial_refused, 0); /* the initial placement kept the fence and the ban */
  CU_ASSERT_EQUAL(o.arrivals, 0);
  CU_ASSERT(o.window_vm_s > 1000); /* VMs sat on the window's PMs for its 300 s */
  CU_ASSERT_DOUBLE_EQUAL(o.engine_vm_s, o.window_vm_s, 1e-6);
  CU_ASSERT_EQUAL(o.engine_evacuated, 0);
  CU_ASSERT(o.emptied_at < 0);
  CU_ASSERT_DOUBLE_EQUAL(o.max_online_s, 600, 1e-9); /* the initial placement ignores max_online */
  CU_ASSERT_DOUBLE_EQUAL(o.engine_max_online_s, o.max_online_s, 1e-6);
}

static void test_entropy_and_dvms_evacuate_the_window_and_keep_the_class_rules(void)
{
  static const char* const schedulers[] = {"scheduler=entropy", "scheduler=dvms"};
  for (size_t s = 0; s < 2; s++) {
    outcome_t o = run(schedulers[s]);
    printf("[%s: %zu arrivals, emptied at %.1f s, %.1f VM-s] ", schedulers[s], o.arrivals, o.emptied_at, o.window_vm_s);
    CU_ASSERT(o.arrivals > 5);
    CU_ASSERT_EQUAL(o.refused_arrivals, 0);
    CU_ASSERT(o.emptied_at > WINDOW_AT && o.emptied_at < WINDOW_AT + 120);
    CU_ASSERT_EQUAL(o.engine_evacuated, 1);
    CU_ASSERT_DOUBLE_EQUAL(o.engine_vm_s, o.window_vm_s, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(o.engine_ban_s, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(o.engine_fence_s, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(o.engine_max_online_s, o.max_online_s, 1e-6);
    if (s == 0) CU_ASSERT(o.max_online_s < 120); /* Entropy's periodic rounds repair it */
  }
}

CU_TestInfo infra_tests[] = {
    {"node_sets_resolve_sites_ranges_and_names", test_node_sets_resolve_sites_ranges_and_names},
    {"none_keeps_the_window_hosts_busy_and_the_accounting_says_so",
     test_none_keeps_the_window_hosts_busy_and_the_accounting_says_so},
    {"entropy_and_dvms_evacuate_the_window_and_keep_the_class_rules",
     test_entropy_and_dvms_evacuate_the_window_and_keep_the_class_rules},
    CU_TEST_INFO_NULL,
};
