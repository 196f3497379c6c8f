/* One run, end to end (docs/DESIGN.md §1): builds the modules in order, applies the injector's events,
 * samples the load, runs SimGrid to the experiment's end and writes the results folder.
 * Not the CLI (main.c) and not any scheduling policy (scheduler/). */
#include "run.h"

#include "budget.h"
#include "provenance.h"
#include "sched_ctx.h"
#include "vms_csv.h"

#include <libgen.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(run, lucsim, "Run set-up and results");

/* ---- injector hooks: the only path by which load and crashes reach the cluster ---- */

static void apply_load(void* userdata, size_t vm, double load, double now)
{
  lucsim_run_t* run = userdata;
  run->counters.load_events++;
  cluster_set_load(run->cluster, vm, load, now);
}

/* faults.csv: one row per crash and repair, with the VMs it takes down or brings back, and its
 * cause: the node on its own, its site's or rack's outage (and which), or the replayed trace. */
static void record_fault(lucsim_run_t* run, const inj_event_t* ev, bool down, double now)
{
  if (!run->faults_csv) return;
  size_t node  = ev->node;
  size_t pms   = plat_pm_count(run->plat);
  bool is_pm   = node < pms;
  sg_host_t h  = plat_node_host(run->plat, node);
  size_t site  = is_pm ? plat_pm_site(run->plat, node) : plat_service_site(run->plat, node - pms);
  uint32_t vms = is_pm ? cluster_pm(run->cluster, node)->vm_count : 0;
  fprintf(run->faults_csv, "%.9f,%s,%zu,%s,%s,%zu,%u,", now, down ? "crash" : "recover", node, sg_host_get_name(h),
          is_pm ? "pm" : "service", site, vms);
  if (ev->domain != INJ_NO_DOMAIN)
    fprintf(run->faults_csv, "%s,%zu\n", run->domains->racks ? "rack" : "site", ev->domain);
  else
    fprintf(run->faults_csv, "%s,\n", run->fault_trace ? "trace" : "node");
}

static void apply_crash(void* userdata, const inj_event_t* ev, double now)
{
  lucsim_run_t* run = userdata;
  size_t node       = ev->node;
  run->counters.crashes++;
  if (ev->outage_begins) run->counters.domain_outages++;
  record_fault(run, ev, true, now);
  if (node < cluster_pm_count(run->cluster)) {
    XBT_VERB("PM %zu crashes at %.3f", node, now);
    mig_fail_pm(run->mig, node); /* migrations fail before their PM's VMs go down */
    if (run->restart) {          /* its VMs are lost, and restarts on it fail */
      run_pend_lost_vms(run, node);
      restart_pm_crash(run->restart, node, now);
    }
    cluster_pm_crash(run->cluster, node, now);
  } else {
    XBT_VERB("service node %zu crashes at %.3f", node - cluster_pm_count(run->cluster), now);
  }
  sched_ctx_node_event(run->ctx, node, false);
}

static void apply_recover(void* userdata, const inj_event_t* ev, double now)
{
  lucsim_run_t* run = userdata;
  size_t node       = ev->node;
  run->counters.recoveries++;
  record_fault(run, ev, false, now);
  if (node < cluster_pm_count(run->cluster)) {
    XBT_VERB("PM %zu recovers at %.3f", node, now);
    cluster_pm_recover(run->cluster, node, now);
    run->offer_all_lost = cluster_lost_count(run->cluster) > 0;
  }
  sched_ctx_node_event(run->ctx, node, true);
}

static void prefetch_load(void* userdata, size_t next_vm, size_t later_vm)
{
  lucsim_run_t* run = userdata;
  cluster_prefetch_load(run->cluster, next_vm, later_vm);
}

static const inj_hooks_t injector_hooks = {.on_load        = apply_load,
                                           .on_load_ahead  = prefetch_load,
                                           .on_crash       = apply_crash,
                                           .on_recover     = apply_recover,
                                           .on_instant_end = run_offer_lost_at_instant_end};

/* ---- outputs fed by observers ---- */

static void record_migration(void* userdata, const mig_result_t* r)
{
  lucsim_run_t* run = userdata;
  if (r->status == MIG_OK) {
    run->counters.migrations_ok++;
    run->counters.migration_seconds += r->end_s - r->start_s;
    run->counters.migrated_bytes += r->bytes_sent;
  } else {
    run->counters.migrations_failed++;
    run->counters.failed_migration_bytes += r->bytes_sent;
  }
  sites_record_migration(run->sites, r);
  ves_record_migration(run->ves, r->vm, r->status == MIG_OK);
  fprintf(run->migrations_csv, "%zu,%zu,%zu,%.9f,%.9f,%.9f,%.0f,%d,%.9f,%s\n", r->vm, r->src, r->dst, r->start_s,
          r->end_s, r->end_s - r->start_s, r->bytes_sent, r->rounds, r->downtime_s,
          r->status == MIG_OK ? "ok" : "failed");
}

static void write_load_row(lucsim_run_t* run, double now)
{
  const cluster_t* cl = run->cluster;
  size_t active = 0, online = 0, in_flight = 0;
  for (size_t pm = 0; pm < cluster_pm_count(cl); pm++) {
    const cluster_pm_t* p = cluster_pm(cl, pm);
    online += cluster_pm_is_on(cl, pm);
    active += p->online && p->vm_count > 0;
    in_flight += p->migrations_out;
  }
  size_t ves_running, ves_waiting, ves_suspended;
  ves_counts(run->ves, &ves_running, &ves_waiting, &ves_suspended);
  fprintf(run->load_csv, "%.9f,%.6f,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu\n", now, 100.0 * cluster_global_load(cl),
          mon_totals(run->mon).pms_in_violation, in_flight, active, online, cluster_down_vm_count(cl), ves_running,
          ves_waiting, ves_suspended);
}

/* The load sampler: one row of load.csv every output.load_period, from t = 0 to the end. */
static void sampler_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  lucsim_run_t* run = sg_actor_self_get_data();
  double period     = run->cfg->output.load_sample_period_s;
  for (size_t k = 0;; k++) {
    double t = (double)k * period;
    if (t > run->cfg->duration_s) break;
    if (t > simgrid_get_clock()) sg_actor_sleep_for(t - simgrid_get_clock());
    write_load_row(run, t);
    trace_feed_sample(run->trace_feed, t);
  }
}

/* ---- set-up ---- */

static const sched_ops_t* find_scheduler(const config_t* cfg, lucsim_err_t* err)
{
  if (cfg->scheduler.plugin[0]) return sched_load_plugin(cfg->scheduler.plugin, err);
  const sched_ops_t* ops = sched_find(cfg->scheduler.name);
  if (!ops) {
    char known[512] = "";
    for (const sched_ops_t* const* s = sched_builtins(); *s; s++) {
      strncat(known, s == sched_builtins() ? "" : " | ", sizeof known - strlen(known) - 1);
      strncat(known, (*s)->name, sizeof known - strlen(known) - 1);
    }
    lucsim_err_set(err, NULL, 0, "scheduler", "'%s' is not a registered scheduler; expected %s", cfg->scheduler.name,
                   known);
  }
  return ops;
}

/* Monitor observer: tells the scheduler a PM became non-viable. */
static void notify_violation(void* userdata, size_t pm, mon_state_t state, bool detected, double now)
{
  (void)detected, (void)now;
  lucsim_run_t* run = userdata;
  if (state == MON_VIOLATION || state == MON_VIOLATION_OUT)
    sched_ops_on_violation(run->sched, run->ctx, run->sched_state, pm);
}

/* Initial placement: where the <constraints> let a VM of the class start at t = 0. */
static bool start_allowed(void* userdata, size_t class_id, size_t pm)
{
  const lucsim_run_t* run = userdata;
  return infra_vm_allowed(run->infra, class_id, pm, 0);
}

/* A maintenance window opened on pm, which hosts VMs: the scheduler is told, as of a violation. */
static void evacuate(void* userdata, size_t pm)
{
  lucsim_run_t* run = userdata;
  sched_ops_on_violation(run->sched, run->ctx, run->sched_state, pm);
}

static sg_host_t service_host(const lucsim_run_t* run)
{
  return plat_service_count(run->plat) ? plat_service_host(run->plat, 0) : plat_pm_host(run->plat, 0);
}

/* The trace, with one SITE container per site on a multi-site platform (docs/TRACE.md). */
static trace_t* open_trace(const lucsim_run_t* run, const char* path, lucsim_err_t* err)
{
  size_t pms = plat_pm_count(run->plat), services = plat_service_count(run->plat);
  size_t* pm_site      = malloc((pms ? pms : 1) * sizeof *pm_site);
  size_t* service_site = malloc((services ? services : 1) * sizeof *service_site);
  trace_t* tr          = NULL;
  if (!pm_site || !service_site) {
    lucsim_err_set(err, NULL, 0, NULL, "out of memory (trace sites)");
  } else {
    for (size_t pm = 0; pm < pms; pm++)
      pm_site[pm] = plat_pm_site(run->plat, pm);
    for (size_t sv = 0; sv < services; sv++)
      service_site[sv] = plat_service_site(run->plat, sv);
    trace_sites_t sites = {.count = plat_site_count(run->plat), .pm_site = pm_site, .service_site = service_site};
    tr                  = trace_open(path, run->cfg->output.trace, pms, services, &sites, err);
  }
  free(pm_site);
  free(service_site);
  return tr;
}

lucsim_run_t* run_create(const config_t* cfg, lucsim_err_t* err)
{
  return run_create_with(cfg, NULL, err);
}

/* Everything a run checks of its inputs, in the order it builds on them: the run-size budget,
 * the platform, the initial placement, the failure trace, the scheduler and its parameters.
 * Nothing is written. Returns NULL with err filled on bad input. */
static lucsim_run_t* run_check_inputs(const config_t* cfg, const sched_ops_t* ops, lucsim_err_t* err)
{
  lucsim_run_t* run = calloc(1, sizeof *run);
  run->cfg          = cfg;
  char dir[LUCSIM_PATH_MAX];
  snprintf(dir, sizeof dir, "%s", cfg->source[0] ? cfg->source : ".");
  /* The size of the run is checked before anything big is built: a generated platform's counts
   * are known now, a platform file's once SimGrid has read it. */
  bool generated = cfg->platform.kind != PLAT_KIND_FILE;
  if (budget_check(cfg, generated ? (size_t)cfg->platform.pm_count : 0,
                   generated ? (size_t)cfg->platform.service_nodes : 0, err) != 0)
    goto fail;
  run->plat = plat_load(&cfg->platform, cfg->source[0] ? dirname(dir) : NULL, err);
  if (!run->plat) goto fail;
  size_t pms = plat_pm_count(run->plat);
  if (!generated && budget_check(cfg, pms, plat_service_count(run->plat), err) != 0) goto fail;
  run->infra = infra_create(cfg, run->plat, err);
  if (!run->infra) goto fail;
  run->ves = ves_create(cfg, run->plat, (size_t)cfg->vms.count, err);
  if (!run->ves) goto fail;
  ves_set_infra(run->ves, run->infra);
  run->cluster = cluster_create(pms, (size_t)cfg->vms.count + ves_vm_total(run->ves));
  for (size_t pm = 0; pm < pms; pm++)
    cluster_set_pm_capacity(run->cluster, pm, plat_pm_cpu_capacity(run->plat, pm), plat_pm_ram_bytes(run->plat, pm));
  double initial       = cfg->injector.initial_load >= 0 ? cfg->injector.initial_load : cfg->injector.load_mean;
  cluster_allowed_t ok = {start_allowed, run};
  if (cluster_place_initial(run->cluster, cfg, initial, infra_count(run->infra) ? &ok : NULL, err) != 0) goto fail;
  /* none admits VEs first fit, a baseline; the others through the core's worst fit (docs/VES.md) */
  bool first_fit = !cfg->scheduler.plugin[0] && strcmp(cfg->scheduler.name, "none") == 0;
  if (ves_attach(run->ves, run->cluster, cfg, initial, first_fit, err) != 0 ||
      infra_attach(run->infra, run->cluster, err) != 0)
    goto fail;
  if (cfg->injector.kind == INJ_KIND_TRACE) { /* replayed loads: a bad line is bad input, named by file and line */
    run->load_trace = load_trace_load(&cfg->injector, cluster_vm_count(run->cluster), cfg->seed, cfg->duration_s, err);
    if (!run->load_trace) goto fail;
  }
  if (cfg->injector.fault_trace[0]) { /* replayed failures: a bad line is bad input, named by file and line */
    run->fault_trace = fault_trace_load(cfg->injector.fault_trace, run->plat, cfg->injector.fault_service_nodes, err);
    if (!run->fault_trace) goto fail;
  }
  if (cfg->injector.wan_mtbf_s > 0 && plat_link_count(run->plat) == 0) { /* kind=luc with one site */
    const char* file;
    int line;
    config_locate(cfg, "injector.faults.wan_mtbf", &file, &line);
    lucsim_err_set(err, file, line, "injector.faults.wan_mtbf",
                   "the platform has no backbone link (one site): no link can fail");
    goto fail;
  }
  run->sites = sites_create(run->plat, run->cluster);
  if (!run->sites) {
    lucsim_err_set(err, NULL, 0, NULL, "out of memory (sites)");
    goto fail;
  }

  if (mig_check_config(cfg, err) != 0) goto fail;
  run->sched = ops ? ops : find_scheduler(cfg, err);
  if (!run->sched) goto fail;
  run->ctx = sched_ctx_create(run);
  if (!run->ctx) {
    lucsim_err_set(err, NULL, 0, NULL, "out of memory (scheduler context)");
    goto fail;
  }
  if (sched_ops_init(run->sched, run->ctx, &run->sched_state, err) != 0 ||
      sched_ctx_check_unused_params(run->ctx, err) != 0)
    goto fail;
  return run;

fail:
  run_destroy(run);
  return NULL;
}

int run_describe_scheduler(const config_t* cfg, const sched_ops_t* ops, FILE* f, lucsim_err_t* err)
{
  lucsim_run_t* run = run_check_inputs(cfg, ops, err);
  if (run) sched_ctx_describe_params(run->ctx, f);
  run_destroy(run);
  return run ? 0 : -1;
}

int run_validate(const config_t* cfg, lucsim_err_t* err)
{
  lucsim_run_t* run = run_check_inputs(cfg, NULL, err);
  run_destroy(run);
  return run ? 0 : -1;
}

lucsim_run_t* run_create_with(const config_t* cfg, const sched_ops_t* ops, lucsim_err_t* err)
{
  double wall_start_s = provenance_wall_now(); /* output.wall_time: platform and placement included */
  lucsim_run_t* run   = run_check_inputs(cfg, ops, err);
  if (!run) return NULL;
  run->wall_start_s = wall_start_s;
  size_t pms        = plat_pm_count(run->plat);

  /* Every input is valid from here on: only now does a results folder appear. */
  run->stats = stats_open(cfg->output.dir, cfg->force, err);
  if (!run->stats) goto fail;
  char path[2048];
  if (stats_path(run->stats, "experiment.xml", path, sizeof path, err) != 0) goto fail;
  FILE* vms = stats_file(run->stats, "vms.csv", err);
  if (!vms) goto fail;
  if (vms_csv_write(run->cluster, run->plat, run->ves, cfg, vms) != 0) {
    lucsim_err_set(err, NULL, 0, NULL, "cannot write vms.csv");
    goto fail;
  }
  if (run->load_trace) { /* which traced VM each VM follows */
    FILE* map = stats_file(run->stats, "load_trace.csv", err);
    if (!map) goto fail;
    if (load_trace_write_map(run->load_trace, map) != 0) {
      lucsim_err_set(err, NULL, 0, NULL, "cannot write load_trace.csv");
      goto fail;
    }
  }
  FILE* violations          = stats_file(run->stats, "violations.csv", err);
  run->migrations_csv       = stats_file(run->stats, "migrations.csv", err);
  run->load_csv             = stats_file(run->stats, "load.csv", err);
  run->reconfigurations_csv = stats_file(run->stats, "reconfigurations.csv", err);
  if (!violations || !run->migrations_csv || !run->load_csv || !run->reconfigurations_csv ||
      config_write_xml(cfg, path, err) != 0)
    goto fail;
  fprintf(run->reconfigurations_csv, "scheduler,actor,node,start_s,computation_s,reconfiguration_s,"
                                     "migrations_planned,migrations_done,partition_pms,outcome,solver,cost,"
                                     "lower_bound\n");
  fprintf(run->migrations_csv, "vm,src,dst,start_s,end_s,duration_s,bytes,rounds,downtime_s,status\n");
  fprintf(run->load_csv, "time_s,load_pct,pms_in_violation,migrations_in_flight,active_pms,online_pms,vms_down,"
                         "ves_running,ves_waiting,ves_suspended\n");
  if (cfg->injector.fault_mtbf_s > 0 || cfg->injector.site_mtbf_s > 0 || cfg->injector.wan_mtbf_s > 0 ||
      cfg->injector.fault_trace[0]) { /* runs with failures only */
    run->faults_csv = stats_file(run->stats, "faults.csv", err);
    if (!run->faults_csv) goto fail;
    fprintf(run->faults_csv, "time_s,event,node,host,role,site,vms,cause,domain\n");
  }

  run->mon = mon_create(run->cluster, violations);
  double curve[CONFIG_POWER_CURVE_MAX];
  energy_model_t power;
  if (energy_model_of(cfg, curve, &power)) {
    double* cores = malloc(pms * sizeof(double)); /* all cores, the hypervisor's included */
    xbt_assert(cores, "out of memory");
    for (size_t pm = 0; pm < pms; pm++)
      cores[pm] = plat_pm_cpu_capacity(run->plat, pm) + 100.0 * cfg->platform.hypervisor_cores;
    /* one model per PM class (a platform file's host power properties; class 0: the experiment's) */
    size_t classes                          = plat_power_class_count(run->plat);
    double(*curves)[CONFIG_POWER_CURVE_MAX] = malloc(classes * sizeof *curves);
    energy_model_t* models                  = malloc(classes * sizeof *models);
    uint32_t* class_of                      = malloc(pms * sizeof *class_of);
    xbt_assert(curves && models && class_of, "out of memory");
    for (size_t k = 0; k < classes; k++)
      energy_model_of_class(&power, cfg, plat_power_class(run->plat, k), curves[k], &models[k]);
    for (size_t pm = 0; pm < pms; pm++)
      class_of[pm] = (uint32_t)plat_pm_power_class(run->plat, pm);
    run->energy = energy_create(run->cluster, cores, models, classes, class_of);
    free(curves), free(models), free(class_of);
    free(cores);
    if (!run->energy) {
      lucsim_err_set(err, NULL, 0, NULL, "out of memory (energy model)");
      goto fail;
    }
  }
  run->mig = mig_create(run->cluster, run->plat, cfg);
  run->sla = sla_create(run->cluster);
  if (!run->mon || !run->mig || !run->sla) {
    lucsim_err_set(err, NULL, 0, NULL, "cannot set up the monitor or the migration model");
    goto fail;
  }
  mig_set_observer(run->mig, record_migration, run);
  if (cfg->injector.vm_recovery == INJ_VM_RESTART) {
    cluster_set_lose_vms(run->cluster, true);
    run->restart = restart_create(run->cluster, run->plat, cfg);
    if (!run->restart) {
      lucsim_err_set(err, NULL, 0, NULL, "out of memory (restarts)");
      goto fail;
    }
    FILE* rows = stats_file(run->stats, "restarts.csv", err);
    if (!rows) goto fail;
    restart_set_csv(run->restart, rows);
  }
  if (sched_ops_has_on_violation(run->sched)) mon_add_observer(run->mon, notify_violation, run);
  if (cfg->output.trace != OUT_TRACE_NONE) {
    if (stats_path(run->stats, "trace.paje", path, sizeof path, err) != 0) goto fail;
    run->trace = open_trace(run, path, err);
    if (!run->trace) goto fail;
    run->trace_feed = trace_feed_create(run->trace, run->cluster, run->mon);
  }
  size_t nodes     = pms + plat_service_count(run->plat);
  size_t crashable = cfg->injector.fault_service_nodes ? nodes : pms;
  run->inj         = inj_create(&cfg->injector, cluster_vm_count(run->cluster), nodes, crashable, cfg->seed);
  if (!run->inj) {
    inj_check_params(&cfg->injector, err);
    goto fail;
  }
  if (cfg->injector.site_mtbf_s > 0) { /* correlated outages of sites or racks */
    run->domains = fault_domains_build(run->plat, crashable, cfg->injector.rack_size);
    if (!run->domains || inj_set_domains(run->inj, run->domains->domain_of, run->domains->count) != 0) {
      lucsim_err_set(err, NULL, 0, NULL, "out of memory (failure domains)");
      goto fail;
    }
  }
  if (run->load_trace) inj_set_load_source(run->inj, load_trace_next, run->load_trace);
  if (run->load_trace && load_trace_has_ram(run->load_trace)) /* migrations copy the RAM in use */
    mig_set_ram_share_source(run->mig, load_trace_ram_share, run->load_trace);
  if (run->fault_trace && inj_replay_trace(run->inj, run->fault_trace->events, run->fault_trace->count) != 0) {
    lucsim_err_set(err, NULL, 0, NULL, "out of memory (failure trace)");
    goto fail;
  }
  if (run_wan_create(run, err) != 0) goto fail;
  return run;

fail:
  run_destroy(run);
  return NULL;
}

static void write_summary(lucsim_run_t* run, FILE* f)
{
  const config_t* cfg     = run->cfg;
  const run_counters_t* c = &run->counters;
  mon_totals_t t          = mon_totals(run->mon);
  fprintf(f,
          "experiment,scheduler,seed,pms,vms,duration_s,load_events,crashes,violation_s,violation_out_s,"
          "violation_intervals,detected_intervals,detected_s,migrations,migrations_failed,mean_migration_s,"
          "migrated_bytes,down_vm_s,reconfigurations,reconfigurations_ok,reconfigurations_no_solution,"
          "reconfigurations_aborted,computation_s,reconfiguration_s,mean_partition_pms,energy_J,"
          "failed_migration_bytes,sites,intersite_migrations,intersite_migrated_bytes,intersite_mean_migration_s,"
          "wan_message_bytes,intersite_image_bytes,round_sites_mean,round_sites_max,vms_lost,vms_restarted,"
          "restarts_failed,restart_latency_mean_s,restart_latency_max_s,lost_work_vm_s,restart_image_bytes,"
          "vms_down_at_end,domain_outages,scheduler_downtime_s,leader_changes,wan_link_failures,wan_splits,"
          "wan_split_s,migrations_cut,restarts_cut,core_solves,core_solves_glpk%s%s%s%s\n",
          ves_summary_header(), infra_summary_header(), sla_summary_header(), provenance_summary_header());
  stats_csv_string(f, cfg->name);
  fputc(',', f);
  stats_csv_string(f, run->sched->name);
  fprintf(f, ",%llu,%zu,%d,%.9f,%zu,%zu,%.9f,%.9f,%zu,%zu,%.9f,%zu,%zu,%.9f,%.0f,%.9f", (unsigned long long)cfg->seed,
          plat_pm_count(run->plat), cfg->vms.count, cfg->duration_s, c->load_events, c->crashes, t.violation_s,
          t.violation_out_s, t.intervals, t.detected, t.detected_s, c->migrations_ok, c->migrations_failed,
          c->migrations_ok ? c->migration_seconds / (double)c->migrations_ok : 0.0, c->migrated_bytes,
          cluster_down_vm_seconds(run->cluster, cfg->duration_s));
  const sched_ctx_totals_t* s = sched_ctx_totals(run->ctx);
  fprintf(f, ",%zu,%zu,%zu,%zu,%.9f,%.9f,%.3f,", s->reconfigurations, s->reconfigurations_ok,
          s->reconfigurations_no_solution, s->reconfigurations_aborted, s->computation_s, s->reconfiguration_s,
          s->reconfigurations ? s->partition_pms_sum / (double)s->reconfigurations : 0.0);
  if (run->energy) /* empty when the platform declares no power */
    fprintf(f, "%.3f", energy_joules(run->energy, cfg->duration_s));
  fprintf(f, ",%.0f", c->failed_migration_bytes);
  sites_totals_t st = sites_totals(run->sites);
  fprintf(f, ",%zu,%zu,%.0f,%.9f,%.0f,%.0f", plat_site_count(run->plat), st.intersite_migrations, st.intersite_bytes,
          st.intersite_migrations ? st.intersite_seconds / (double)st.intersite_migrations : 0.0, s->wan_message_bytes,
          st.intersite_image_bytes);
  fprintf(f, ",%.3f,%zu", s->site_rounds ? s->round_sites_sum / (double)s->site_rounds : 0.0, s->round_sites_max);
  restart_totals_t rt = run->restart ? restart_totals(run->restart) : (restart_totals_t){0};
  fprintf(f, ",%zu,%zu,%zu,%.9f,%.9f,%.9f,%.0f,%zu,%zu", rt.lost, rt.restarted, rt.failed,
          rt.restarted ? rt.latency_sum_s / (double)rt.restarted : 0.0, rt.latency_max_s, rt.lost_work_vm_s,
          rt.image_bytes, cluster_down_vm_count(run->cluster), c->domain_outages);
  double downtime = sched_ctx_scheduler_downtime(run->ctx, cfg->duration_s);
  if (isnan(downtime)) /* no central node: empty */
    fprintf(f, ",,");
  else
    fprintf(f, ",%.9f,%zu", downtime, s->leader_changes);
  fprintf(f, ",%zu,%zu,%.9f,%zu,%zu", c->wan_link_failures, c->wan_splits,
          run->islands ? islands_split_s(run->islands, cfg->duration_s) : 0.0, c->migrations_cut, c->restarts_cut);
  fprintf(f, ",%zu,%zu", s->core_solves, s->core_solves_glpk);
  ves_write_summary(run->ves, f, cfg->duration_s);
  infra_write_summary(run->infra, f, cfg->duration_s);
  sla_write_summary(run->sla, f, cfg->duration_s,
                    run->energy ? energy_joules(run->energy, cfg->duration_s) / 3.6e6 : -1);
  provenance_write_summary(f, cfg->output.wall_time ? provenance_wall_now() - run->wall_start_s : -1);
  fputc('\n', f);
}

int run_execute(lucsim_run_t* run, lucsim_err_t* err)
{
  const config_t* cfg = run->cfg;
  if (run->check) {
    run->inv = invariants_attach(run->cluster);
    if (!run->inv) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (--check)");
    invariants_check_now(run->inv, 0);
  }
  inj_start_actor(run->inj, service_host(run), cfg->duration_s, &injector_hooks, run);
  run_wan_start(run, service_host(run));
  ves_start(run->ves, service_host(run), cfg->duration_s);
  infra_start(run->infra, service_host(run), cfg->duration_s, sched_ops_has_on_violation(run->sched) ? evacuate : NULL,
              run);
  sg_actor_t sampler = sg_actor_init("load-sampler", service_host(run));
  sg_actor_set_data(sampler, run);
  sg_actor_start(sampler, sampler_main, 0, NULL);
  sched_ops_start(run->sched, run->ctx, run->sched_state);
  progress_start(&run->progress, service_host(run), cfg->duration_s, &run->counters.load_events, run->show_progress);

  XBT_INFO("running '%s' with scheduler %s: %zu PMs, %d VMs, %.0f s", cfg->name, run->sched->name,
           plat_pm_count(run->plat), cfg->vms.count, cfg->duration_s);
  simgrid_run_until(cfg->duration_s);
  progress_finish(&run->progress);
  if (run->inv) { /* a run that breaks an invariant has no results: the folder is removed */
    invariants_check_now(run->inv, cfg->duration_s);
    if (invariants_failures(run->inv) > 0)
      return lucsim_err_set(err, NULL, 0, NULL, "--check: %zu invariant violations; the first at %s",
                            invariants_failures(run->inv), invariants_first_failure(run->inv));
    XBT_INFO("--check: every invariant held at every cluster event");
  }
  mon_finish(run->mon, cfg->duration_s);
  if (run->trace) {
    int rc = trace_close(run->trace, cfg->duration_s, err);
    trace_destroy(run->trace);
    run->trace = NULL;
    if (rc != 0) return -1;
  }

  FILE* summary = stats_file(run->stats, "summary.csv", err);
  if (!summary) return -1;
  write_summary(run, summary);
  FILE* sites = stats_file(run->stats, "sites.csv", err);
  if (!sites) return -1;
  if (sites_write_csv(run->sites, run->mon, sites) != 0)
    return lucsim_err_set(err, NULL, 0, NULL, "cannot write sites.csv");
  if (cfg->ves.template_count > 0) {
    FILE* ves = stats_file(run->stats, "ves.csv", err);
    if (!ves) return -1;
    if (ves_write_csv(run->ves, ves, cfg->duration_s) != 0)
      return lucsim_err_set(err, NULL, 0, NULL, "cannot write ves.csv");
  }
  if (plat_link_count(run->plat) > 0) { /* generated multi-site platforms only (kind=luc) */
    FILE* backbone = stats_file(run->stats, "backbone.csv", err);
    if (!backbone) return -1;
    if (plat_write_backbone_csv(run->plat, backbone) != 0)
      return lucsim_err_set(err, NULL, 0, NULL, "cannot write backbone.csv");
  }
  mon_totals_t t = mon_totals(run->mon);
  XBT_INFO("done: violation %.1f PM-s (+%.1f out), %zu migrations, %zu load events", t.violation_s, t.violation_out_s,
           run->counters.migrations_ok, run->counters.load_events);
  if (stats_commit(run->stats, err) != 0) return -1;
  stats_destroy(run->stats);
  run->stats = NULL;
  /* Scheduler daemons and pending receives are still blocked at the end of the simulated time.
   * Killing them deadlocks thread contexts (an actor unwinding from a condition wait unlocks its
   * mutex through a simcall), so they stay, and SimGrid's exit-time warning about them, which
   * says nothing about the results, is silenced. */
  xbt_log_control_set("ker_engine.thres:error");
  return 0;
}

void run_destroy(lucsim_run_t* run)
{
  if (!run) return;
  if (run->sched && run->ctx) sched_ops_fini(run->sched, run->ctx, run->sched_state);
  if (run->stats) {
    stats_abort(run->stats);
    stats_destroy(run->stats);
  }
  trace_feed_destroy(run->trace_feed);
  trace_destroy(run->trace);
  inj_destroy(run->inj);
  mig_destroy(run->mig);
  restart_destroy(run->restart);
  energy_destroy(run->energy);
  sla_destroy(run->sla);
  mon_destroy(run->mon);
  sites_destroy(run->sites);
  cluster_destroy(run->cluster);
  ves_destroy(run->ves);
  infra_destroy(run->infra);
  invariants_destroy(run->inv); /* after the cluster: it was one of its listeners */
  fault_trace_free(run->fault_trace);
  load_trace_free(run->load_trace);
  fault_domains_free(run->domains);
  wan_faults_destroy(run->wan);
  islands_destroy(run->islands);
  plat_destroy(run->plat);
  sched_ctx_destroy(run->ctx);
  free(run->pending_lost);
  free(run);
}
