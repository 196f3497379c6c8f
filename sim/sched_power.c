/* PM power states for schedulers (scheduler.h, "Power states"): switching PMs off and on through the
 * cluster's power states, with the platform's boot and shutdown times carried by a short actor per
 * transition, and power.csv (one row per change of state). The policies that decide it are the
 * schedulers' (scheduler/power_policy.c). */
#include "sched_ctx_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <xbt/asserts.h>

static const char* const power_names[] = {"on", "shutting-down", "off", "booting"};

sched_power_t sched_pm_power(const sched_ctx_t* ctx, size_t pm)
{
  return (sched_power_t)cluster_pm(ctx->run->cluster, pm)->power;
}

double sched_pm_empty_since(const sched_ctx_t* ctx, size_t pm)
{
  return cluster_pm_empty_since(ctx->run->cluster, pm);
}

bool sched_pms_may_fail(const sched_ctx_t* ctx)
{
  const inj_params_t* in = &ctx->run->cfg->injector;
  return in->fault_mtbf_s > 0 || in->site_mtbf_s > 0 || in->fault_trace[0];
}

/* Applies a transition now and writes its row of power.csv. */
static void set_power(sched_ctx_t* ctx, size_t pm, cluster_power_t state)
{
  double now = simgrid_get_clock();
  int rc     = cluster_pm_set_power(ctx->run->cluster, pm, state, now);
  xbt_assert(rc == 0, "PM %zu: power transition to %s refused", pm, power_names[state]);
  if (!ctx->power_csv) {
    lucsim_err_t err;
    ctx->power_csv = stats_file(ctx->run->stats, "power.csv", &err);
    xbt_assert(ctx->power_csv, "cannot create power.csv: %s", err.message);
    fprintf(ctx->power_csv, "time_s,pm,host,state\n");
  }
  fprintf(ctx->power_csv, "%.6f,%zu,%s,%s\n", now, pm, sg_host_get_name(sched_pm_host(ctx, pm)), power_names[state]);
}

/* The PM's boot or shutdown time: its class's (a platform file's host property), else the platform's. */
static double transition_s(const sched_ctx_t* ctx, size_t pm, bool booting)
{
  const plat_power_t* c  = plat_power_class(ctx->run->plat, plat_pm_power_class(ctx->run->plat, pm));
  double own             = c ? c->value[booting ? PLAT_BOOT_TIME : PLAT_SHUTDOWN_TIME] : NAN;
  const plat_params_t* p = &ctx->run->cfg->platform;
  return !isnan(own) ? own : booting ? p->boot_time_s : p->shutdown_time_s;
}

/* Ends a boot or a shutdown after its time. Killed with the others at the end of the run: its data
 * is the context's, nothing to free. */
static void transition_main(int argc, char** argv)
{
  (void)argc, (void)argv;
  struct sched_power_job* job = sg_actor_self_get_data();
  bool booting                = cluster_pm(job->ctx->run->cluster, job->pm)->power == CLUSTER_POWER_BOOTING;
  sg_actor_sleep_for(transition_s(job->ctx, job->pm, booting));
  set_power(job->ctx, job->pm, booting ? CLUSTER_POWER_ON : CLUSTER_POWER_OFF);
}

static int start_transition(sched_ctx_t* ctx, size_t pm, cluster_power_t now_state, cluster_power_t final_state,
                            double delay_s)
{
  if (delay_s <= 0) {
    set_power(ctx, pm, final_state);
    return 0;
  }
  if (!ctx->power_jobs) {
    ctx->power_jobs = calloc(sched_pm_count(ctx), sizeof *ctx->power_jobs);
    xbt_assert(ctx->power_jobs, "out of memory");
  }
  set_power(ctx, pm, now_state);
  ctx->power_jobs[pm] = (struct sched_power_job){ctx, pm};
  sg_actor_t a = sg_actor_init(now_state == CLUSTER_POWER_BOOTING ? "pm-boot" : "pm-shutdown", sched_pm_host(ctx, pm));
  sg_actor_set_data(a, &ctx->power_jobs[pm]);
  sg_actor_start(a, transition_main, 0, NULL);
  return 0;
}

int sched_pm_power_off(sched_ctx_t* ctx, size_t pm)
{
  if (pm >= sched_pm_count(ctx)) return -1;
  const cluster_pm_t* p = cluster_pm(ctx->run->cluster, pm);
  if (p->power != CLUSTER_POWER_ON || !p->online || cluster_pm_empty_since(ctx->run->cluster, pm) < 0) return -1;
  return start_transition(ctx, pm, CLUSTER_POWER_SHUTTING_DOWN, CLUSTER_POWER_OFF, transition_s(ctx, pm, false));
}

int sched_pm_power_on(sched_ctx_t* ctx, size_t pm)
{
  if (pm >= sched_pm_count(ctx) || cluster_pm(ctx->run->cluster, pm)->power != CLUSTER_POWER_OFF) return -1;
  return start_transition(ctx, pm, CLUSTER_POWER_BOOTING, CLUSTER_POWER_ON, transition_s(ctx, pm, true));
}
