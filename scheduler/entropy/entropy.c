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
static void gather_states(sched_ctx_t* ctx, void* userdata)
{
  entropy_t* e = userdata;
  size_t pms   = sched_pm_count(ctx);
  for (size_t pm = 0; pm < pms; pm++) {
    sched_pm_info_t info;
    sched_pm_info(ctx, pm, &info);
    if (info.online) {
      sched_transfer(ctx, pm, e->node, (double)pms * e->report_bytes);
      return;
    }
  }
}

/* One round over every PM (the shared round, scheduler/round.c). */
static void round_entropy(sched_ctx_t* ctx, void* userdata)
{
  entropy_t* e            = userdata;
  const sched_round_t rnd = {.actor    = "entropy",
                             .node     = e->node,
                             .headroom = e->headroom,
                             .solver   = &e->solver,
                             .plan     = &e->plan,
                             .problem  = e->problem,
                             .result   = &e->result,
                             .monitor  = gather_states,
                             .userdata = e};
  sched_round_report_t rep;
  sched_round_run(ctx, &rnd, &rep);
  e->rounds++;
  if (rep.plan.outcome != SCHED_OUTCOME_NOTHING_TO_DO)
    XBT_VERB("round at %.1f s: %zu violating PMs, %s (%s), %.3f s computing, %zu/%zu migrations in %.1f s", rep.start_s,
             e->result.violating_nodes, sched_outcome_name(rep.plan.outcome), core_solver_name(e->result.solver),
             rep.computation_s, rep.plan.completed, rep.plan.planned, rep.plan.reconfiguration_s);
}

static void entropy_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  entropy_t* e = sg_actor_self_get_data();
  sched_set_state(e->ctx, e->node, SCHED_STATE_FREE);
  sched_run_periodic(e->ctx, e->node, e->period_s, round_entropy, e);
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
