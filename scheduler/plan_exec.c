/* The plan executor shared by every scheduler (scheduler.h, "Plan execution"): runs a core plan as
 * live migrations, each step starting only once its predecessors have COMPLETED (not merely started,
 * the VMPlaceS bug of docs/REFERENCES.md §5), under per-PM caps, re-checked against the cluster at start.
 * plan_start=all_at_once reproduces that bug on purpose, for comparisons with VMPlaceS' results.
 * Built only on the public API. Not a planner: the order and dependencies come from the core. */
#include "scheduler.h"

#include <simgrid/cond.h>
#include <simgrid/mutex.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(plan, lucsim, "Plan execution (shared by the schedulers)");

/* When nothing of the plan is in flight but a step waits on other schedulers' migrations (caps, or
 * room that a departure from the destination will free), the executor re-checks at this pace. */
#define PLAN_POLL_S 1.0
#define PLAN_EPS 1e-9

typedef enum { STEP_PENDING = 0, STEP_RUNNING, STEP_DONE, STEP_FAILED, STEP_SKIPPED } step_state_t;

struct plan_run;
typedef struct plan_slot {
  struct plan_run* run;
  size_t step;
} plan_slot_t;

typedef struct plan_run {
  sched_ctx_t* ctx;
  size_t node;
  const core_problem_t* pb;
  const core_result_t* res;
  const sched_plan_params_t* pp;
  sched_plan_report_t* report;
  uint8_t* state;    /* step_state_t per step */
  plan_slot_t* slot; /* per step: the migration callback's userdata */
  size_t in_flight;
  bool aborted;
  bool external_wait; /* set by a scan: a step waits on something outside the plan */
  sg_mutex_t mutex;
  sg_cond_t cond;
} plan_run_t;

int sched_param_plan(sched_ctx_t* ctx, sched_plan_params_t* out, lucsim_err_t* err)
{
  static const sched_param_doc_t docs[] = {
      {"max_migrations_per_pm", "cap on concurrent outgoing and on concurrent incoming migrations per PM; 0 = none"},
      {"plan_start", "dependencies: a migration starts once its predecessors completed and its destination has room; "
                     "all_at_once: every migration of the plan starts at once, its destination's CPU unchecked "
                     "(VMPlaceS)"},
      {NULL, NULL}};
  sched_param_docs(ctx, docs);
  static const char* const starts[] = {"dependencies", "all_at_once", NULL};
  double cap;
  int start;
  if (sched_param_double(ctx, "max_migrations_per_pm", 2, 0, 1024, &cap, err) != 0 ||
      sched_param_enum(ctx, "plan_start", starts, 0, &start, err) != 0)
    return -1;
  out->max_out_per_pm = (unsigned)cap;
  out->max_in_per_pm  = (unsigned)cap;
  out->all_at_once    = start == 1;
  return 0;
}

static void step_done(void* userdata, const sched_mig_result_t* r)
{
  const plan_slot_t* slot = userdata;
  plan_run_t* run         = slot->run;
  run->state[slot->step]  = r->ok ? STEP_DONE : STEP_FAILED;
  run->in_flight--;
  if (r->ok)
    run->report->completed++;
  else { /* its dependents are skipped; the rest of the plan goes on */
    run->report->failed++;
    XBT_VERB("plan step %zu (VM %zu, PM %zu -> %zu) failed: a PM crashed", slot->step, r->vm, r->src, r->dst);
  }
  if (r->end_s > run->report->last_end_s) run->report->last_end_s = r->end_s;
  sg_cond_notify_all(run->cond);
}

static bool fits(const sched_pm_info_t* dst, const sched_vm_info_t* vm)
{
  return dst->cpu_demand + dst->cpu_incoming + vm->cpu_demand <= dst->cpu_capacity + PLAN_EPS &&
         dst->ram_used_bytes + dst->ram_incoming_bytes + vm->ram_bytes <= dst->ram_capacity_bytes;
}

/* Decides one pending step: returns its new state (PENDING = keep waiting; RUNNING = started). */
static step_state_t try_step(plan_run_t* run, size_t s)
{
  const core_step_t* st         = &run->res->steps[s];
  const sched_plan_params_t* pp = run->pp;
  for (uint32_t k = 0; k < st->dep_count && !pp->all_at_once; k++) {
    uint8_t d = run->state[run->res->deps[st->dep_first + k]];
    if (d == STEP_FAILED || d == STEP_SKIPPED) return STEP_SKIPPED;
    if (d != STEP_DONE) return STEP_PENDING; /* a predecessor has not completed yet */
  }
  size_t vm  = (size_t)run->pb->vms[st->vm].id;
  size_t src = (size_t)run->pb->nodes[st->from].id;
  size_t dst = (size_t)run->pb->nodes[st->to].id;
  sched_pm_info_t s_info, d_info;
  sched_vm_info_t v_info;
  sched_pm_info(run->ctx, src, &s_info);
  sched_pm_info(run->ctx, dst, &d_info);
  sched_vm_info(run->ctx, vm, &v_info);
  if (!s_info.online || !d_info.online) return STEP_SKIPPED; /* one of its PMs crashed since the snapshot */
  if (v_info.pm != (int32_t)src || v_info.migrating_to != SCHED_NONE)
    return STEP_SKIPPED; /* the VM moved since the snapshot */
  if ((pp->max_out_per_pm && s_info.migrations_out >= pp->max_out_per_pm) ||
      (pp->max_in_per_pm && d_info.migrations_in >= pp->max_in_per_pm)) {
    run->external_wait = true; /* the plan's own migrations wake us; others' are polled */
    return STEP_PENDING;
  }
  if (pp->all_at_once) { /* VMPlaceS checked nothing; memory is still never overcommitted */
    if (d_info.ram_used_bytes + d_info.ram_incoming_bytes + v_info.ram_bytes > d_info.ram_capacity_bytes)
      return STEP_SKIPPED;
  } else if (!fits(&d_info, &v_info)) {
    if (d_info.migrations_out == 0) return STEP_SKIPPED; /* loads grew since the snapshot and nothing is leaving dst */
    run->external_wait = true;
    return STEP_PENDING;
  }
  if (!sched_vm_may_go(run->ctx, vm, dst)) return STEP_SKIPPED; /* it would break a VE's constraint now */
  if (sched_migrate(run->ctx, vm, dst, step_done, &run->slot[s]) != 0) return STEP_SKIPPED;
  run->in_flight++;
  run->report->started++;
  if (run->report->first_start_s < 0) run->report->first_start_s = sched_now(run->ctx);
  XBT_DEBUG("plan step %zu: VM %zu PM %zu -> %zu", s, vm, src, dst);
  return STEP_RUNNING;
}

/* One pass over the pending steps, repeated while skips propagate. Returns the steps still pending. */
static size_t scan(plan_run_t* run)
{
  size_t pending;
  bool progress;
  do {
    progress           = false;
    pending            = 0;
    run->external_wait = false;
    for (size_t s = 0; s < run->res->step_count; s++) {
      if (run->state[s] != STEP_PENDING) continue;
      if (!run->aborted && !sched_node_is_up(run->ctx, run->node)) run->aborted = true;
      step_state_t next = run->aborted ? STEP_PENDING : try_step(run, s);
      if (next == STEP_PENDING) {
        pending++;
        continue;
      }
      run->state[s] = (uint8_t)next;
      progress      = true;
    }
  } while (progress && !run->aborted);
  return pending;
}

static sched_outcome_t outcome_of(const plan_run_t* run)
{
  if (run->aborted) return SCHED_OUTCOME_ABORTED;
  if (run->report->skipped || run->report->failed || run->res->status == CORE_PARTIAL) return SCHED_OUTCOME_PARTIAL;
  return SCHED_OUTCOME_OK;
}

int sched_plan_execute(sched_ctx_t* ctx, size_t node, const core_problem_t* pb, const core_result_t* res,
                       const sched_plan_params_t* pp, sched_plan_report_t* report)
{
  *report = (sched_plan_report_t){.planned = res->step_count, .first_start_s = -1, .last_end_s = -1};
  if (res->status == CORE_NOTHING_TO_DO || res->status == CORE_NO_SOLUTION || res->status == CORE_ERROR_NO_MEMORY) {
    /* out of memory, the core planned nothing: recorded as a round without a solution */
    report->outcome = res->status == CORE_NOTHING_TO_DO ? SCHED_OUTCOME_NOTHING_TO_DO : SCHED_OUTCOME_NO_SOLUTION;
    return 0;
  }
  plan_run_t run = {.ctx = ctx, .node = node, .pb = pb, .res = res, .pp = pp, .report = report};
  run.state      = calloc(res->step_count + 1, sizeof *run.state);
  run.slot       = calloc(res->step_count + 1, sizeof *run.slot);
  xbt_assert(run.state && run.slot, "out of memory (plan of %zu steps)", res->step_count);
  for (size_t s = 0; s < res->step_count; s++)
    run.slot[s] = (plan_slot_t){.run = &run, .step = s};
  run.mutex = sg_mutex_init();
  run.cond  = sg_cond_init();

  sched_state_t before = sched_get_state(ctx, node);
  sched_set_state(ctx, node, SCHED_STATE_RECONFIGURE);
  sg_mutex_lock(run.mutex);
  for (;;) {
    size_t pending = scan(&run);
    if (run.in_flight > 0) {
      sg_cond_wait(run.cond, run.mutex); /* a step ended: its dependents may start */
      continue;
    }
    if (pending == 0 || run.aborted || !run.external_wait) break;
    sg_cond_wait_for(run.cond, run.mutex, PLAN_POLL_S);
  }
  sg_mutex_unlock(run.mutex);
  sched_set_state(ctx, node, before);

  for (size_t s = 0; s < res->step_count; s++)
    report->skipped += run.state[s] == STEP_PENDING || run.state[s] == STEP_SKIPPED;
  report->outcome = outcome_of(&run);
  if (report->first_start_s >= 0) report->reconfiguration_s = report->last_end_s - report->first_start_s;
  sg_cond_destroy(run.cond);
  sg_mutex_destroy(run.mutex);
  free(run.state);
  free(run.slot);
  return 0;
}
