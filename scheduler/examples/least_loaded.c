/* Example scheduler "least-loaded", the one docs/WRITING-A-SCHEDULER.md walks through: every period,
 * move one VM off each overloaded PM to the least loaded PM that has room for it. It uses only
 * scheduler.h, and is built both as a plugin (least_loaded.so, --set scheduler.plugin=PATH) and
 * into the unit tests. Not a serious policy: no solver, no plan, O(overloaded PMs x PMs) per round. */
#include "scheduler.h"

#include <simgrid/actor.h>
#include <stdlib.h>

typedef struct example {
  sched_ctx_t* ctx;
  double period_s; /* scheduler.period */
  size_t node;     /* the service node the actor runs on */
  size_t* vms;     /* room for sched_vm_count VM indices: any PM's VMs (sched_pm_vms) */
} example_t;

static int init_example(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  if (sched_service_count(ctx) == 0)
    return lucsim_err_set(err, NULL, 0, "platform.service_nodes", "least-loaded needs a service node");
  example_t* ex = calloc(1, sizeof *ex);
  if (ex) ex->vms = malloc((sched_vm_count(ctx) + 1) * sizeof *ex->vms); /* + 1: never malloc(0) */
  if (!ex || !ex->vms) {
    free(ex);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  }
  if (sched_param_double(ctx, "period", 10, 0.001, 1e9, &ex->period_s, err) != 0) {
    free(ex->vms);
    free(ex);
    return -1;
  }
  ex->ctx  = ctx;
  ex->node = sched_service_node(ctx, 0);
  *state   = ex;
  return 0;
}

/* The VM to move off pm: the smallest whose departure makes the PM's CPU fit, else the largest. */
static int32_t pick_vm(example_t* ex, size_t pm, const sched_pm_info_t* p)
{
  double excess = p->cpu_demand - p->cpu_capacity;
  int32_t best = SCHED_NONE, largest = SCHED_NONE;
  double best_cpu = 0, largest_cpu = -1;
  size_t count = sched_pm_vms(ex->ctx, pm, ex->vms, sched_vm_count(ex->ctx)); /* a copy, ours */
  for (size_t i = 0; i < count; i++) {
    int32_t v = (int32_t)ex->vms[i];
    sched_vm_info_t vi;
    sched_vm_info(ex->ctx, ex->vms[i], &vi);
    if (vi.migrating_to != SCHED_NONE) continue;
    if (vi.cpu_demand >= excess && (best == SCHED_NONE || vi.cpu_demand < best_cpu)) best = v, best_cpu = vi.cpu_demand;
    if (vi.cpu_demand > largest_cpu) largest = v, largest_cpu = vi.cpu_demand;
  }
  return best != SCHED_NONE ? best : largest;
}

/* The least loaded online PM (ties: lowest index) with room for vm, arrivals in flight counted. */
static int32_t pick_destination(sched_ctx_t* ctx, size_t src, const sched_vm_info_t* vm)
{
  int32_t best     = SCHED_NONE;
  double best_load = 0;
  for (size_t pm = 0; pm < sched_pm_count(ctx); pm++) {
    sched_pm_info_t d;
    sched_pm_info(ctx, pm, &d);
    double load = d.cpu_demand + d.cpu_incoming;
    if (pm == src || !d.online || load + vm->cpu_demand > d.cpu_capacity ||
        d.ram_used_bytes + d.ram_incoming_bytes + vm->ram_bytes > d.ram_capacity_bytes)
      continue;
    if (best == SCHED_NONE || load < best_load) best = (int32_t)pm, best_load = load;
  }
  return best;
}

static void example_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  example_t* ex    = sg_actor_self_get_data();
  sched_ctx_t* ctx = ex->ctx;
  while (sched_now(ctx) + ex->period_s < sched_end_time(ctx)) {
    sg_actor_sleep_for(ex->period_s);
    if (!sched_node_is_up(ctx, ex->node)) continue;
    for (size_t pm = 0; pm < sched_pm_count(ctx); pm++) {
      sched_pm_info_t p;
      sched_pm_info(ctx, pm, &p);
      if (!p.online || p.viable || p.migrations_out > 0) continue; /* healthy, down, or already being relieved */
      sched_mark_detected(ctx, pm);
      int32_t vm = pick_vm(ex, pm, &p);
      if (vm == SCHED_NONE) continue;
      sched_vm_info_t vi;
      sched_vm_info(ctx, (size_t)vm, &vi);
      int32_t dst = pick_destination(ctx, pm, &vi);
      if (dst != SCHED_NONE) sched_migrate(ctx, (size_t)vm, (size_t)dst, NULL, NULL); /* no callback: fire and forget */
    }
  }
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
  if (ex) free(ex->vms);
  free(ex);
}

/* on_violation and the crash callbacks are left out: the actor polls every period. */
static const sched_ops_t least_loaded_ops = {
    .abi_version = SCHED_ABI_VERSION,
    .name        = "least-loaded",
    .summary     = "example: every period, move one VM off each overloaded PM to the least loaded PM",
    .init        = init_example,
    .start       = start_example,
    .fini        = fini_example,
};

/* The plugin entry point (dlopen'ed by --set scheduler.plugin=PATH.so). */
const sched_ops_t* lucsim_scheduler(void)
{
  return &least_loaded_ops;
}
