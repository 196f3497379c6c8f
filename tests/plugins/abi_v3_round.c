/* Test plugin "abi-v3-round": a scheduler built against scheduler ABI version 3, when sched_round_t
 * ended after userdata (version 4 added power and overload). Every 30 s it runs the shared round
 * over every PM, handing in a round laid out as version 3 inside a buffer whose bytes past that
 * layout are garbage, as an old plugin's stack would be: the engine must read none of them. Its
 * solver parameters are the core's defaults. Built with TEST_PLUGIN_PARAM_SOLVER (abi_v3_solver.so)
 * it reads them with sched_param_solver, whose struct grew in version 4: the engine must refuse it
 * (exit 2) before writing into it. tests/tests.cmake builds both; tests/e2e/plugin.sh runs them. */
#include "scheduler.h"

#include <simgrid/actor.h>
#include <stdlib.h>
#include <string.h>

/* sched_round_t as version 3 laid it out: it ends after userdata. */
typedef struct sched_round_v3 {
  const char* actor;
  size_t node;
  const size_t* pms;
  size_t pm_count;
  double headroom;
  const sched_solver_params_t* solver;
  const sched_plan_params_t* plan;
  sched_problem_t* problem;
  core_result_t* result;
  void (*monitor)(sched_ctx_t* ctx, void* userdata);
  bool (*still_current)(sched_ctx_t* ctx, void* userdata);
  void* userdata;
} sched_round_v3_t;

typedef struct v3 {
  sched_ctx_t* ctx;
  size_t node;
  sched_solver_params_t solver;
  sched_plan_params_t plan;
  sched_problem_t* problem;
  core_result_t result;
} v3_t;

static int init_v3(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  if (sched_service_count(ctx) == 0)
    return lucsim_err_set(err, NULL, 0, "platform.service_nodes", "abi-v3-round needs a service node");
  v3_t* s = calloc(1, sizeof *s);
  if (!s) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
#ifdef TEST_PLUGIN_PARAM_SOLVER
  if (sched_param_solver(ctx, &s->solver, err) != 0) {
    free(s);
    return -1;
  }
#else
  core_params_init(&s->solver.core);
  s->solver.compute_model = SCHED_COMPUTE_DETERMINISTIC;
#endif
  if (sched_param_plan(ctx, &s->plan, err) != 0) {
    free(s);
    return -1;
  }
  s->ctx     = ctx;
  s->node    = sched_service_node(ctx, 0);
  s->problem = sched_problem_create();
  s->result  = (core_result_t)CORE_RESULT_INIT;
  *state     = s;
  return s->problem ? 0 : lucsim_err_set(err, NULL, 0, NULL, "out of memory");
}

static void round_v3(sched_ctx_t* ctx, void* userdata)
{
  v3_t* s = userdata;
  union {
    sched_round_v3_t round;
    unsigned char bytes[sizeof(sched_round_t) + 64];
  } buf;
  memset(buf.bytes, 0xA5, sizeof buf.bytes); /* what version 4 reads past the old end: garbage */
  buf.round.actor         = "abi-v3-round";
  buf.round.node          = s->node;
  buf.round.pms           = NULL;
  buf.round.pm_count      = 0;
  buf.round.headroom      = 0;
  buf.round.solver        = &s->solver;
  buf.round.plan          = &s->plan;
  buf.round.problem       = s->problem;
  buf.round.result        = &s->result;
  buf.round.monitor       = NULL;
  buf.round.still_current = NULL;
  buf.round.userdata      = NULL;
  sched_round_report_t report;
  sched_round_run(ctx, (const sched_round_t*)(const void*)buf.bytes, &report);
}

static void main_v3(int argc, char* argv[])
{
  (void)argc, (void)argv;
  v3_t* s = sg_actor_self_get_data();
  sched_run_periodic(s->ctx, s->node, 30, round_v3, s);
}

static void start_v3(sched_ctx_t* ctx, void* state)
{
  v3_t* s      = state;
  sg_actor_t a = sg_actor_init("abi-v3-round", sched_node_host(ctx, s->node));
  sg_actor_set_data(a, s);
  sg_actor_start(a, main_v3, 0, NULL);
}

static void fini_v3(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  v3_t* s = state;
  if (!s) return;
  sched_problem_destroy(s->problem);
  core_result_free(&s->result);
  free(s);
}

static const sched_ops_t v3_ops = {
    .abi_version = 3,
    .name        = "abi-v3-round",
    .summary     = "test plugin: rounds handed in with the version-3 layout of sched_round_t",
    .init        = init_v3,
    .start       = start_v3,
    .fini        = fini_v3,
};

const sched_ops_t* lucsim_scheduler(void)
{
  return &v3_ops;
}
