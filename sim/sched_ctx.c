/* The engine side of the scheduler API (scheduler/scheduler.h, sched_ctx.h): the context, time,
 * node states, snapshots, migrations and the reconfiguration records, implemented on the run's
 * modules; parameters: sched_params.c. Schedulers see only sched_ctx_t. What needs only the public API lives in
 * scheduler/: solving.c (problem builder, solve, charge), plan_exec.c (plan executor); messages: sched_msg.c. */
#include "sched_ctx_internal.h"

#include "run.h"

#include <math.h>
#include <stdarg.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(sched, lucsim, "Scheduler API (engine side)");

sched_ctx_t* sched_ctx_create(lucsim_run_t* run)
{
  sched_ctx_t* ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  ctx->run              = run;
  ctx->node_count       = plat_pm_count(run->plat) + plat_service_count(run->plat);
  ctx->leader           = SCHED_NO_LEADER;
  ctx->leaderless_since = NAN;
  ctx->node_state       = calloc(ctx->node_count, sizeof *ctx->node_state);
  ctx->node_down        = calloc(ctx->node_count, sizeof *ctx->node_down);
  size_t sites = plat_site_count(run->plat), pms = plat_pm_count(run->plat);
  ctx->site_first = calloc(sites + 1, sizeof *ctx->site_first);
  ctx->site_pms   = malloc((pms ? pms : 1) * sizeof *ctx->site_pms);
  if (!ctx->node_state || !ctx->node_down || !ctx->site_first || !ctx->site_pms) {
    sched_ctx_destroy(ctx);
    return NULL;
  }
  /* the PMs of each site, in index order (a counting sort) */
  for (size_t pm = 0; pm < pms; pm++)
    ctx->site_first[plat_pm_site(run->plat, pm) + 1]++;
  for (size_t s = 0; s < sites; s++)
    ctx->site_first[s + 1] += ctx->site_first[s];
  size_t* fill = calloc(sites ? sites : 1, sizeof *fill);
  if (!fill) {
    sched_ctx_destroy(ctx);
    return NULL;
  }
  for (size_t pm = 0; pm < pms; pm++) {
    size_t site                                         = plat_pm_site(run->plat, pm);
    ctx->site_pms[ctx->site_first[site] + fill[site]++] = pm;
  }
  free(fill);
  return ctx;
}

void sched_ctx_destroy(sched_ctx_t* ctx)
{
  if (!ctx) return;
  while (ctx->all_tramps) {
    sched_tramp_t* t = ctx->all_tramps;
    ctx->all_tramps  = t->next_all;
    free(t);
  }
  free(ctx->node_state);
  free(ctx->node_down);
  free(ctx->site_first);
  free(ctx->site_pms);
  free(ctx->power_jobs);
  free(ctx->route_memo);
  free(ctx);
}

const sched_ctx_totals_t* sched_ctx_totals(const sched_ctx_t* ctx)
{
  return &ctx->totals;
}

void sched_ctx_count_message(sched_ctx_t* ctx, size_t from, size_t to, double bytes)
{
  /* one site: no lookups (two random reads per message, a cache miss each at 100K PMs) */
  if (plat_site_count(ctx->run->plat) > 1 && sched_node_site(ctx, from) != sched_node_site(ctx, to))
    ctx->totals.wan_message_bytes += bytes;
}

/* Starts or ends a leaderless stretch when the leader or its node's state changed. */
static void leader_update(sched_ctx_t* ctx)
{
  if (!ctx->leader_named) return;
  double now   = simgrid_get_clock();
  bool running = ctx->leader_running && !ctx->node_down[ctx->leader];
  if (running && !isnan(ctx->leaderless_since)) {
    ctx->totals.scheduler_downtime_s += now - ctx->leaderless_since;
    ctx->leaderless_since = NAN;
  } else if (!running && isnan(ctx->leaderless_since)) {
    ctx->leaderless_since = now;
  }
}

void sched_set_leader(sched_ctx_t* ctx, size_t node)
{
  xbt_assert(node == SCHED_NO_LEADER || node < ctx->node_count, "sched_set_leader: node %zu out of range", node);
  if (ctx->leader_named && node != SCHED_NO_LEADER && (!ctx->leader_running || node != ctx->leader))
    ctx->totals.leader_changes++; /* a take-over */
  ctx->leader_named = true;
  if (node != SCHED_NO_LEADER) ctx->leader = node; /* the last one, to count a change of node */
  ctx->leader_running = node != SCHED_NO_LEADER;
  leader_update(ctx);
}

bool sched_service_nodes_may_fail(const sched_ctx_t* ctx)
{
  const lucsim_run_t* run = ctx->run; /* links may fail: service nodes may be cut off from each other */
  bool links_fail         = run->cfg->injector.wan_mtbf_s > 0 || (run->fault_trace && run->fault_trace->link_count);
  return run->cfg->injector.fault_service_nodes || links_fail;
}

const struct islands* sched_ctx_islands(const sched_ctx_t* ctx)
{
  return ctx->run->islands;
}

double sched_ctx_scheduler_downtime(const sched_ctx_t* ctx, double end_s)
{
  if (!ctx->leader_named) return NAN;
  return ctx->totals.scheduler_downtime_s + (isnan(ctx->leaderless_since) ? 0.0 : end_s - ctx->leaderless_since);
}

void sched_ctx_node_event(sched_ctx_t* ctx, size_t node, bool up)
{
  xbt_assert(node < ctx->node_count, "node %zu out of range", node);
  ctx->node_down[node] = !up;
  if (ctx->leader_named && node == ctx->leader) leader_update(ctx);
  if (up)
    sched_ops_on_node_recover(ctx->run->sched, ctx, ctx->run->sched_state, node);
  else
    sched_ops_on_node_crash(ctx->run->sched, ctx, ctx->run->sched_state, node);
}

double sched_now(const sched_ctx_t* ctx)
{
  (void)ctx;
  return simgrid_get_clock();
}
double sched_end_time(const sched_ctx_t* ctx)
{
  return ctx->run->cfg->duration_s;
}
uint64_t sched_seed(const sched_ctx_t* ctx)
{
  return ctx->run->cfg->seed;
}
size_t sched_pm_count(const sched_ctx_t* ctx)
{
  return plat_pm_count(ctx->run->plat);
}
size_t sched_vm_count(const sched_ctx_t* ctx)
{
  return cluster_vm_count(ctx->run->cluster);
}
int sched_abi_version(const sched_ctx_t* ctx)
{
  return ctx->run->sched->abi_version;
}
size_t sched_service_count(const sched_ctx_t* ctx)
{
  return plat_service_count(ctx->run->plat);
}
sg_host_t sched_pm_host(const sched_ctx_t* ctx, size_t pm)
{
  return plat_pm_host(ctx->run->plat, pm);
}
sg_host_t sched_service_host(const sched_ctx_t* ctx, size_t service)
{
  return plat_service_host(ctx->run->plat, service);
}

size_t sched_service_node(const sched_ctx_t* ctx, size_t service)
{
  return plat_pm_count(ctx->run->plat) + service;
}

sg_host_t sched_node_host(const sched_ctx_t* ctx, size_t node)
{
  return plat_node_host(ctx->run->plat, node);
}

size_t sched_site_count(const sched_ctx_t* ctx)
{
  return plat_site_count(ctx->run->plat);
}
size_t sched_pm_site(const sched_ctx_t* ctx, size_t pm)
{
  return plat_pm_site(ctx->run->plat, pm);
}
size_t sched_node_site(const sched_ctx_t* ctx, size_t node)
{
  size_t pms = plat_pm_count(ctx->run->plat);
  return node < pms ? plat_pm_site(ctx->run->plat, node) : plat_service_site(ctx->run->plat, node - pms);
}
double sched_route_latency(const sched_ctx_t* ctx, size_t node_a, size_t node_b)
{
  if (node_a == node_b) return 0.0;
  return sg_host_get_route_latency(sched_node_host(ctx, node_a), sched_node_host(ctx, node_b));
}

size_t sched_pms_site_count(const sched_ctx_t* ctx, const size_t* pms, size_t count)
{
  const plat_t* plat = ctx->run->plat;
  size_t n           = pms ? count : plat_pm_count(plat);
  size_t sites = plat_site_count(plat), found = 0;
  if (n == 0) return 0;
  if (sites <= 1) return 1;
  bool* seen = calloc(sites, sizeof *seen);
  xbt_assert(seen, "out of memory");
  for (size_t i = 0; i < n && found < sites; i++) {
    size_t site = plat_pm_site(plat, pms ? pms[i] : i);
    if (!seen[site]) found++;
    seen[site] = true;
  }
  free(seen);
  return found;
}

size_t sched_site_pms(const sched_ctx_t* ctx, size_t site, size_t* pms, size_t cap)
{
  if (site >= plat_site_count(ctx->run->plat)) return 0;
  size_t first = ctx->site_first[site], count = ctx->site_first[site + 1] - first;
  for (size_t i = 0; i < count && i < cap; i++)
    pms[i] = ctx->site_pms[first + i];
  return count;
}

bool sched_node_is_up(const sched_ctx_t* ctx, size_t node)
{
  return node < ctx->node_count && !ctx->node_down[node];
}

/* ---- scheduler states ---- */

void sched_set_state(sched_ctx_t* ctx, size_t node, sched_state_t state)
{
  xbt_assert(node < ctx->node_count, "node %zu out of range", node);
  ctx->node_state[node] = (uint8_t)state;
  size_t pms            = plat_pm_count(ctx->run->plat);
  bool service          = node >= pms;
  trace_sched_state(ctx->run->trace, simgrid_get_clock(), service, service ? node - pms : node,
                    (trace_sched_state_t)state);
}

sched_state_t sched_get_state(const sched_ctx_t* ctx, size_t node)
{
  return (sched_state_t)ctx->node_state[node];
}

/* ---- snapshots ---- */

void sched_pm_info(const sched_ctx_t* ctx, size_t pm, sched_pm_info_t* out)
{
  const cluster_pm_t* p   = cluster_pm(ctx->run->cluster, pm);
  out->cpu_capacity       = p->cpu_capacity;
  out->ram_capacity_bytes = p->ram_capacity_bytes;
  out->cpu_demand         = p->cpu_demand;
  out->ram_used_bytes     = p->ram_used_bytes;
  out->online             = p->online;
  out->maintenance        = infra_pm_in_maintenance(ctx->run->infra, pm, simgrid_get_clock());
  out->viable             = cluster_pm_is_viable(ctx->run->cluster, pm) && !(out->maintenance && p->vm_count > 0);
  out->vm_count           = p->vm_count;
  out->migrations_out     = p->migrations_out;
  out->migrations_in      = p->migrations_in;
  out->cpu_incoming       = p->cpu_incoming;
  out->ram_incoming_bytes = p->ram_incoming_bytes;
}

void sched_vm_info(const sched_ctx_t* ctx, size_t vm, sched_vm_info_t* out)
{
  const cluster_vm_t* v = cluster_vm(ctx->run->cluster, vm);
  out->pm               = v->pm;
  out->migrating_to     = v->migrating_to;
  out->cpu_demand       = v->cpu_demand;
  out->ram_bytes        = v->ram_bytes;
  out->vm_class         = v->class_id;
}

size_t sched_pm_vms(const sched_ctx_t* ctx, size_t pm, size_t* vms, size_t cap)
{
  const cluster_t* cl = ctx->run->cluster;
  size_t n            = 0;
  for (int32_t v = cluster_pm(cl, pm)->first_vm; v != CLUSTER_NONE; v = cluster_vm(cl, (size_t)v)->next_on_pm, n++)
    if (n < cap) vms[n] = (size_t)v;
  return n;
}

size_t sched_pms_vms(const sched_ctx_t* ctx, const size_t* pms, size_t count, size_t* vms)
{
  return cluster_collect_vms(ctx->run->cluster, pms, count, vms);
}

void sched_mark_detected(sched_ctx_t* ctx, size_t pm)
{
  mon_mark_detected(ctx->run->mon, pm, simgrid_get_clock());
}

/* ---- lost VMs (vm_recovery=restart) ---- */

size_t sched_lost_vms(const sched_ctx_t* ctx, size_t* vms, size_t cap)
{
  const cluster_t* cl = ctx->run->cluster;
  size_t n            = 0;
  for (int32_t v = cluster_first_lost(cl); v != CLUSTER_NONE; v = cluster_vm(cl, (size_t)v)->next_on_pm, n++)
    if (n < cap) vms[n] = (size_t)v;
  return n;
}

int32_t sched_vm_former_pm(const sched_ctx_t* ctx, size_t vm)
{
  return ctx->run->restart ? restart_former_pm(ctx->run->restart, vm) : SCHED_NONE;
}

int32_t sched_vm_restarting_on(const sched_ctx_t* ctx, size_t vm)
{
  return cluster_vm(ctx->run->cluster, vm)->restart_to;
}

int sched_restart(sched_ctx_t* ctx, size_t vm, size_t dst)
{
  if (!ctx->run->restart || dst >= plat_pm_count(ctx->run->plat)) return -1;
  return restart_start(ctx->run->restart, vm, dst);
}

/* ---- migrations ---- */

static void migration_done(void* userdata, const mig_result_t* r)
{
  sched_tramp_t* t       = userdata;
  sched_ctx_t* ctx       = t->ctx;
  sched_mig_fn fn        = t->fn;
  void* ud               = t->userdata;
  t->next_free           = ctx->free_tramps; /* recycled before the callback, which may start another */
  ctx->free_tramps       = t;
  sched_mig_result_t res = {
      .ok = r->status == MIG_OK, .vm = r->vm, .src = r->src, .dst = r->dst, .start_s = r->start_s, .end_s = r->end_s};
  if (fn) fn(ud, &res);
}

int sched_migrate(sched_ctx_t* ctx, size_t vm, size_t dst, sched_mig_fn done, void* userdata)
{
  const cluster_t* cl = ctx->run->cluster;
  if (vm >= cluster_vm_count(cl) || dst >= cluster_pm_count(cl)) return -1;
  const cluster_vm_t* v = cluster_vm(cl, vm);
  const cluster_pm_t* d = cluster_pm(cl, dst);
  bool overfills        = d->cpu_demand + d->cpu_incoming + v->cpu_demand > d->cpu_capacity + 1e-9 ||
                   d->ram_used_bytes + d->ram_incoming_bytes + v->ram_bytes > d->ram_capacity_bytes;
  sched_tramp_t* t = ctx->free_tramps;
  if (t) {
    ctx->free_tramps = t->next_free;
  } else {
    t = malloc(sizeof *t);
    xbt_assert(t, "out of memory");
    t->next_all     = ctx->all_tramps;
    ctx->all_tramps = t;
  }
  sched_tramp_t* all = t->next_all;
  *t                 = (sched_tramp_t){.ctx = ctx, .fn = done, .userdata = userdata, .next_all = all};
  if (mig_start(ctx->run->mig, vm, dst, migration_done, t) != 0) {
    t->next_free     = ctx->free_tramps;
    ctx->free_tramps = t;
    return -1;
  }
  ctx->totals.migrations_started++;
  if (overfills) {
    ctx->totals.overfilling_starts++;
    XBT_VERB("migration of VM %zu to PM %zu overfills it (arrivals in flight counted)", vm, dst);
  }
  return 0;
}

/* ---- records ---- */

/* Here, beside the CSV writer that needs it, so that the engine never calls into scheduler/. */
const char* sched_outcome_name(sched_outcome_t o)
{
  static const char* const names[] = {"nothing-to-do", "ok", "partial", "no-solution", "aborted"};
  return (unsigned)o < sizeof names / sizeof *names ? names[o] : "?";
}

void sched_record_round(sched_ctx_t* ctx, const sched_reconf_t* r, size_t sites)
{
  sched_ctx_totals_t* t = &ctx->totals;
  if (r->outcome != SCHED_OUTCOME_NOTHING_TO_DO) {
    t->site_rounds++;
    t->round_sites_sum += (double)sites;
    if (sites > t->round_sites_max) t->round_sites_max = sites;
  }
  sched_record_reconfiguration(ctx, r);
}

void sched_record_solve(sched_ctx_t* ctx, const core_result_t* res)
{
  ctx->totals.core_solves++;
  ctx->totals.core_solves_glpk += res->milp_ran;
}

void sched_record_reconfiguration(sched_ctx_t* ctx, const sched_reconf_t* r)
{
  sched_ctx_totals_t* t = &ctx->totals;
  t->computation_s += r->computation_s;
  if (r->outcome != SCHED_OUTCOME_NOTHING_TO_DO) {
    t->reconfigurations++;
    t->reconfigurations_ok += r->outcome == SCHED_OUTCOME_OK;
    t->reconfigurations_no_solution += r->outcome == SCHED_OUTCOME_NO_SOLUTION;
    t->reconfigurations_aborted += r->outcome == SCHED_OUTCOME_ABORTED;
    t->reconfiguration_s += r->reconfiguration_s;
    t->partition_pms_sum += (double)r->partition_pms;
  }
  FILE* f = ctx->run->reconfigurations_csv;
  if (!f) return;
  stats_csv_string(f, ctx->run->sched->name);
  fputc(',', f);
  stats_csv_string(f, r->actor ? r->actor : "");
  fprintf(f, ",%zu,%.9f,%.9f,%.9f,%zu,%zu,%zu,%s,%s,%.9g,%.9g\n", r->node, r->start_s, r->computation_s,
          r->reconfiguration_s, r->migrations_planned, r->migrations_done, r->partition_pms,
          sched_outcome_name(r->outcome), core_solver_name(r->solver), r->cost, r->lower_bound);
}

FILE* sched_open_csv(sched_ctx_t* ctx, const char* name)
{
  static const char* const engine_files[] = {"summary.csv",  "violations.csv", "migrations.csv",       "load.csv",
                                             "faults.csv",   "restarts.csv",   "reconfigurations.csv", "sites.csv",
                                             "backbone.csv", "experiment.xml", "trace.paje",           NULL};
  if (!ctx->run->stats || !name || !name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return NULL;
  for (size_t i = 0; engine_files[i]; i++)
    if (strcmp(name, engine_files[i]) == 0) return NULL;
  lucsim_err_t err;
  FILE* f = stats_file(ctx->run->stats, name, &err);
  if (!f) XBT_WARN("cannot open %s in the results folder: %s", name, err.message);
  return f;
}
