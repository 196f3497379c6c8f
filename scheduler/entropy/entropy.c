/* The centralized Entropy scheduler, as VMPlaceS ran it (docs/REFERENCES.md §5) but on lucsim's core:
 * one actor on service node 0 (hosts no VM) sleeps a period, gathers every PM's state over the
 * network, solves over the whole cluster in repair mode, charges the computation, marks the
 * violations it handles as detected and executes the plan (dependents start on completion).
 * Not a placement algorithm itself: the solving is scheduler/core's, the execution plan_exec.c's. */
#include "scheduler.h"

#include <simgrid/actor.h>
#include <stdlib.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(entropy, lucsim, "Entropy: centralized periodic scheduler");

typedef struct entropy {
  sched_ctx_t* ctx;
  double period_s;     /* period: time between round starts (the next round starts at the later of
                          start + period and the end of this round) */
  double report_bytes; /* monitoring_bytes: size of one PM's state report */
  double headroom;     /* headroom: CPU share kept free on receivers (sched_problem_set_headroom) */
  sched_solver_params_t solver;
  sched_plan_params_t plan;
  size_t node;              /* the service node the actor runs on */
  sched_problem_t* problem; /* reused every round */
  core_result_t result;     /* reused every round */
  size_t rounds;
} entropy_t;

static int init_entropy(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  if (sched_service_count(ctx) == 0)
    return lucsim_err_set(err, NULL, 0, "platform.service_nodes",
                          "0 service nodes; entropy runs on a service node: expected at least 1");
  entropy_t* e = calloc(1, sizeof *e);
  if (!e) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  e->ctx = ctx;
  if (sched_param_double(ctx, "period", 30, 0.001, 1e9, &e->period_s, err) != 0 ||
      sched_param_double(ctx, "monitoring_bytes", 1024, 0, 1e9, &e->report_bytes, err) != 0 ||
      sched_param_double(ctx, "headroom", 0, 0, 0.9, &e->headroom, err) != 0 ||
      sched_param_solver(ctx, &e->solver, err) != 0 || sched_param_plan(ctx, &e->plan, err) != 0) {
    free(e);
    return -1;
  }
  e->node    = sched_service_node(ctx, 0);
  e->problem = sched_problem_create();
  *state     = e;
  return 0;
}

/* Monitoring cost, a documented approximation (docs/WRITING-A-SCHEDULER.md): every PM's report
 * converges on the service node's link, so the gather is modelled as one transfer of
 * pm_count x monitoring_bytes from the first online PM to the service node (one real SimGrid flow
 * instead of pm_count, which keeps a 10K-PM round cheap to simulate). */
static void gather_states(entropy_t* e)
{
  size_t pms = sched_pm_count(e->ctx);
  for (size_t pm = 0; pm < pms; pm++) {
    sched_pm_info_t info;
    sched_pm_info(e->ctx, pm, &info);
    if (info.online) {
      sched_transfer(e->ctx, pm, e->node, (double)pms * e->report_bytes);
      return;
    }
  }
}

static void mark_violations(entropy_t* e)
{
  for (size_t pm = 0; pm < sched_pm_count(e->ctx); pm++) {
    sched_pm_info_t info;
    sched_pm_info(e->ctx, pm, &info);
    if (!info.viable) sched_mark_detected(e->ctx, pm);
  }
}

static void round_entropy(entropy_t* e)
{
  sched_ctx_t* ctx = e->ctx;
  double start_s   = sched_now(ctx);
  gather_states(e);
  const core_problem_t* pb = sched_problem_build(ctx, e->problem, NULL, 0);
  sched_problem_set_headroom(e->problem, e->headroom);
  double compute_s = sched_solve(ctx, &e->solver, pb, &e->result);
  if (e->result.status != CORE_NOTHING_TO_DO) mark_violations(e);
  sched_charge(ctx, e->node, compute_s);
  sched_plan_report_t rep;
  sched_plan_execute(ctx, e->node, pb, &e->result, &e->plan, &rep);
  sched_reconf_t rec = {.actor              = "entropy",
                        .node               = e->node,
                        .start_s            = start_s,
                        .computation_s      = compute_s,
                        .reconfiguration_s  = rep.reconfiguration_s,
                        .migrations_planned = e->result.step_count,
                        .migrations_done    = rep.completed,
                        .partition_pms      = pb->node_count,
                        .outcome            = rep.outcome,
                        .solver             = e->result.solver,
                        .cost               = e->result.cost,
                        .lower_bound        = e->result.lower_bound};
  sched_record_reconfiguration(ctx, &rec);
  e->rounds++;
  if (rep.outcome != SCHED_OUTCOME_NOTHING_TO_DO)
    XBT_VERB("round at %.1f s: %zu violating PMs, %s (%s), %.3f s computing, %zu/%zu migrations in %.1f s", start_s,
             e->result.violating_nodes, sched_outcome_name(rep.outcome), core_solver_name(e->result.solver), compute_s,
             rep.completed, rep.planned, rep.reconfiguration_s);
}

static void entropy_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  entropy_t* e = sg_actor_self_get_data();
  sched_set_state(e->ctx, e->node, SCHED_STATE_FREE);
  double next = e->period_s; /* sleep the period first, as VMPlaceS */
  while (next < sched_end_time(e->ctx)) {
    if (next > sched_now(e->ctx)) sg_actor_sleep_for(next - sched_now(e->ctx));
    double start_s = sched_now(e->ctx);
    if (sched_node_is_up(e->ctx, e->node)) /* a crashed service node skips its rounds */
      round_entropy(e);
    next = start_s + e->period_s;
    if (sched_now(e->ctx) > next) next = sched_now(e->ctx);
  }
}

static void start_entropy(sched_ctx_t* ctx, void* state)
{
  entropy_t* e  = state;
  sg_actor_t ac = sg_actor_init("entropy", sched_node_host(ctx, e->node));
  sg_actor_set_data(ac, e);
  sg_actor_start(ac, entropy_main, 0, NULL);
}

static void fini_entropy(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  entropy_t* e = state;
  if (!e) return;
  XBT_DEBUG("%zu rounds", e->rounds);
  sched_problem_destroy(e->problem);
  core_result_free(&e->result);
  free(e);
}

/* on_violation and the crash callbacks are left out: Entropy is periodic and reads node states
 * (sched_node_is_up) at each round; the plan executor aborts plans whose PMs fail. */
const sched_ops_t entropy_ops = {
    .abi_version = SCHED_ABI_VERSION,
    .name        = "entropy",
    .summary     = "centralized: every period, solve over all PMs on a service node and apply the plan",
    .init        = init_entropy,
    .start       = start_entropy,
    .fini        = fini_entropy,
};
