/* The reconfiguration round every scheduler shares (problem -> solve -> mark -> charge -> execute ->
 * record) and the periodic loop, built only on the public API (scheduler.h), as plan_exec.c is.
 * A cross-cutting change to how rounds work lands here once for Entropy, Snooze, DVMS and plugins.
 * Not a policy: which PMs a round covers, on which node and when is each scheduler's choice. */
#include "round_internal.h"

#include <simgrid/actor.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

/* The violations the round handles count as detected from now on (violations.csv "detected"). */
static void mark_detected(sched_ctx_t* ctx, const size_t* pms, size_t count)
{
  size_t n = pms ? count : sched_pm_count(ctx);
  for (size_t i = 0; i < n; i++) {
    size_t pm = pms ? pms[i] : i;
    sched_pm_info_t info;
    sched_pm_info(ctx, pm, &info);
    if (!info.viable) sched_mark_detected(ctx, pm);
  }
}

static void record(sched_ctx_t* ctx, const sched_round_t* r, const sched_round_report_t* rep)
{
  const core_result_t* res = r->result;
  sched_reconf_t rec       = {.actor              = r->actor,
                              .node               = r->node,
                              .start_s            = rep->start_s,
                              .computation_s      = rep->computation_s,
                              .reconfiguration_s  = rep->plan.reconfiguration_s,
                              .migrations_planned = res->step_count,
                              .migrations_done    = rep->plan.completed,
                              .partition_pms      = rep->partition_pms,
                              .outcome            = rep->plan.outcome,
                              .solver             = res->solver,
                              .cost               = res->cost,
                              .lower_bound        = res->lower_bound};
  sched_record_round(ctx, &rec, sched_pms_site_count(ctx, r->pms, r->pm_count));
}

/* While the backbone is split, the PMs of the round that its node reaches (the others are not in
 * its view: no state comes from them, no plan may touch them); NULL otherwise. Caller frees. */
static size_t* reachable_pms(sched_ctx_t* ctx, const sched_round_t* r, size_t* count)
{
  if (sched_island_count(ctx) <= 1) return NULL;
  size_t n    = r->pms ? r->pm_count : sched_pm_count(ctx);
  size_t* pms = malloc((n ? n : 1) * sizeof *pms);
  xbt_assert(pms, "out of memory");
  *count = 0;
  for (size_t i = 0; i < n; i++) {
    size_t pm = r->pms ? r->pms[i] : i;
    if (sched_nodes_reach(ctx, r->node, pm)) pms[(*count)++] = pm;
  }
  return pms;
}

void sched__round_solve(sched_ctx_t* ctx, const sched_round_t* given, const size_t* empty, size_t empty_count,
                        sched_round_report_t* report)
{
  memset(report, 0, sizeof *report);
  report->start_s    = sched_now(ctx);
  sched_round_t view = *given;
  size_t* reachable  = reachable_pms(ctx, given, &view.pm_count);
  if (reachable) view.pms = reachable;
  const sched_round_t* r = &view;
  if (r->monitor) r->monitor(ctx, r->userdata);
  const core_problem_t* pb = sched_problem_build(ctx, r->problem, r->pms, r->pms ? r->pm_count : 0);
  if (r->overload) sched_overload_limit(ctx, r->overload, r->problem, pb, empty_count == 0);
  sched_problem_set_headroom(r->problem, r->headroom);
  if (empty_count > 0) {
    xbt_assert(!reachable, "a round that empties PMs runs on a whole backbone");
    sched_problem_add_offline(r->problem, empty, empty_count);
  }
  report->partition_pms = r->pms ? r->pm_count : pb->node_count;
  report->computation_s = sched_solve(ctx, r->solver, pb, r->result);
  sched_record_solve(ctx, r->result);
  if (r->result->status != CORE_NOTHING_TO_DO) mark_detected(ctx, r->pms, r->pm_count);
  sched_charge(ctx, r->node, report->computation_s);
  report->plan = (sched_plan_report_t){.outcome = SCHED_OUTCOME_ABORTED, .first_start_s = -1, .last_end_s = -1};
  if (!r->still_current || r->still_current(ctx, r->userdata))
    sched_plan_execute(ctx, r->node, pb, r->result, r->plan, &report->plan);
  record(ctx, r, report);
  free(reachable);
}

void sched_round_run(sched_ctx_t* ctx, const sched_round_t* given, sched_round_report_t* report)
{
  sched_round_t old; /* a scheduler built before ABI 4 passed a struct that ends after userdata */
  const sched_round_t* r = given;
  if (sched_abi_version(ctx) < 4) {
    memset(&old, 0, sizeof old);
    memcpy(&old, given, offsetof(sched_round_t, power));
    r = &old;
  }
  sched__round_solve(ctx, r, NULL, 0, report);
  if (r->power && (r->power->manage || r->power->consolidate) && sched_node_is_up(ctx, r->node))
    sched_round_power(ctx, r, report);
}

void sched_run_periodic_while(sched_ctx_t* ctx, size_t node, double first_s, double period_s,
                              void (*round)(sched_ctx_t* ctx, void* userdata),
                              bool (*keep)(sched_ctx_t* ctx, void* userdata), void* userdata)
{
  double next = first_s;
  while (next < sched_end_time(ctx)) {
    if (next > sched_now(ctx)) sg_actor_sleep_for(next - sched_now(ctx));
    if (keep && !keep(ctx, userdata)) return;
    double start_s = sched_now(ctx);
    if (sched_node_is_up(ctx, node)) /* a crashed node skips its rounds */
      round(ctx, userdata);
    next = start_s + period_s;
    if (sched_now(ctx) > next) next = sched_now(ctx);
  }
}

void sched_run_periodic(sched_ctx_t* ctx, size_t node, double period_s, void (*round)(sched_ctx_t* ctx, void* userdata),
                        void* userdata)
{
  /* sleep a period first, as VMPlaceS' schedulers */
  sched_run_periodic_while(ctx, node, period_s, period_s, round, NULL, userdata);
}
