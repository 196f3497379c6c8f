/* Example scheduler "least-loaded", the one docs/WRITING-A-SCHEDULER.md walks through: every period,
 * solve a small partition made of the overloaded PMs and the least loaded PMs (`helpers` of them per
 * overloaded PM) with the shared reconfiguration round (solver core, charged time, plan, record).
 * The policy is only the choice of the partition: everything else is the round every built-in
 * scheduler uses. It uses only scheduler.h, and is built both as a plugin (least_loaded.so,
 * --set scheduler.plugin=PATH) and into the unit tests. */
#include "scheduler.h"

#include <simgrid/actor.h>
#include <stdlib.h>

typedef struct example {
  sched_ctx_t* ctx;
  double period_s; /* scheduler.period */
  size_t helpers;  /* scheduler.helpers: least loaded PMs added per overloaded PM */
  sched_solver_params_t solver;
  sched_plan_params_t plan;
  size_t node;              /* the service node the actor runs on */
  size_t* partition;        /* this round's PMs */
  sched_problem_t* problem; /* reused from round to round */
  core_result_t result;
} example_t;

static const sched_param_doc_t example_params[] = {
    {"period", "time between two rounds"},
    {"helpers", "least loaded PMs added to the partition per overloaded PM"},
    {NULL, NULL}};

static int init_example(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  if (sched_service_count(ctx) == 0)
    return lucsim_err_set(err, NULL, 0, "platform.service_nodes", "least-loaded needs a service node");
  example_t* ex = calloc(1, sizeof *ex);
  if (!ex) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  double helpers;
  sched_param_docs(ctx, example_params);
  if (sched_param_time(ctx, "period", 10, 0.001, 1e9, &ex->period_s, err) != 0 ||
      sched_param_double(ctx, "helpers", 2, 1, 64, &helpers, err) != 0 ||
      sched_param_solver(ctx, &ex->solver, err) != 0 || sched_param_plan(ctx, &ex->plan, err) != 0) {
    free(ex);
    return -1;
  }
  ex->ctx       = ctx;
  ex->helpers   = (size_t)helpers;
  ex->node      = sched_service_node(ctx, 0);
  ex->partition = malloc(sched_pm_count(ctx) * sizeof *ex->partition);
  ex->problem   = sched_problem_create();
  ex->result    = (core_result_t)CORE_RESULT_INIT;
  if (!ex->partition || !ex->problem) {
    free(ex->partition);
    sched_problem_destroy(ex->problem);
    free(ex);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  }
  *state = ex;
  return 0;
}

/* Load of a PM counting the VMs arriving on it; a down PM counts as full. */
static double load_of(sched_ctx_t* ctx, size_t pm)
{
  sched_pm_info_t p;
  sched_pm_info(ctx, pm, &p);
  return p.online ? (p.cpu_demand + p.cpu_incoming) / p.cpu_capacity : 1e300;
}

/* The partition: every overloaded online PM, then the `helpers` x that many least loaded others
 * (ties: lowest index), in PM order. Returns its size (0: nothing to do). */
static size_t choose_partition(example_t* ex)
{
  sched_ctx_t* ctx = ex->ctx;
  size_t pms = sched_pm_count(ctx), count = 0;
  char* in = calloc(pms, 1);
  if (!in) return 0; /* out of memory: skip this round */
  for (size_t pm = 0; pm < pms; pm++) {
    sched_pm_info_t p;
    sched_pm_info(ctx, pm, &p);
    if (p.online && !p.viable) in[pm] = 1, count++;
  }
  size_t wanted = count * ex->helpers;
  for (size_t k = 0; count > 0 && k < wanted; k++) { /* selection: wanted is small */
    size_t best = pms;
    for (size_t pm = 0; pm < pms; pm++)
      if (!in[pm] && load_of(ctx, pm) < 1e300 && (best == pms || load_of(ctx, pm) < load_of(ctx, best))) best = pm;
    if (best == pms) break;
    in[best] = 1;
  }
  size_t n = 0;
  for (size_t pm = 0; pm < pms && count > 0; pm++)
    if (in[pm]) ex->partition[n++] = pm;
  free(in);
  return n;
}

/* One period: the shared round over the chosen partition (scheduler/round.c). */
static void round_example(sched_ctx_t* ctx, void* userdata)
{
  example_t* ex = userdata;
  size_t n      = choose_partition(ex);
  if (n == 0) return;
  const sched_round_t round = {.actor    = "least-loaded",
                               .node     = ex->node,
                               .pms      = ex->partition,
                               .pm_count = n,
                               .solver   = &ex->solver,
                               .plan     = &ex->plan,
                               .problem  = ex->problem,
                               .result   = &ex->result};
  sched_round_report_t report;
  sched_round_run(ctx, &round, &report);
}

static void example_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  example_t* ex = sg_actor_self_get_data();
  sched_run_periodic(ex->ctx, ex->node, ex->period_s, round_example, ex);
}

static void start_example(sched_ctx_t* ctx, void* state)
{
  example_t* ex = state;
  sg_actor_t a  = sg_actor_init("least-loaded", sched_node_host(ctx, ex->node));
  sg_actor_set_data(a, ex);
  sg_actor_start(a, example_main, 0, NULL);
}

static void fini_example(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  example_t* ex = state;
  if (!ex) return;
  free(ex->partition);
  sched_problem_destroy(ex->problem);
  core_result_free(&ex->result);
  free(ex);
}

/* on_violation and the crash callbacks are left out: the actor polls every period, and the round
 * skips down nodes (sched_run_periodic) and aborts plans whose PMs fail (sched_plan_execute). */
static const sched_ops_t least_loaded_ops = {
    .abi_version = SCHED_ABI_VERSION,
    .name        = "least-loaded",
    .summary     = "example: every period, solve the overloaded PMs with the least loaded ones (shared round)",
    .init        = init_example,
    .start       = start_example,
    .fini        = fini_example,
};

/* The plugin entry point (dlopen'ed by --set scheduler.plugin=PATH.so). */
const sched_ops_t* lucsim_scheduler(void)
{
  return &least_loaded_ops;
}
