/* The DVMS leader's worker: a separate actor that runs the shared reconfiguration round
 * (scheduler/round.c) over a snapshot of the partition's members, so that the leader's agent keeps
 * answering messages meanwhile; its plan runs only if the partition is still the one it solved.
 * Not what happens next (dissolve or grow: dvms__round_done in protocol.c). */
#include "dvms/dvms.h"

#include <simgrid/actor.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>

struct dvms_worker {
  dvms_agent_t* a;
  uint32_t epoch;
  uint64_t pid;
  size_t* pms;
  size_t count;
};

static bool worker_current(const dvms_worker_t* w)
{
  const dvms_agent_t* a = w->a;
  return a->epoch == w->epoch && a->role == ROLE_LEADER && a->view.pid == w->pid && a->phase == PH_COMPUTING &&
         sched_node_is_up(a->d->ctx, a->pm);
}

static bool worker_still_current(sched_ctx_t* ctx, void* userdata)
{
  (void)ctx;
  return worker_current(userdata);
}

static void worker_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  dvms_worker_t* w    = sg_actor_self_get_data();
  dvms_agent_t* a     = w->a;
  dvms_t* d           = a->d;
  sched_ctx_t* ctx    = d->ctx;
  sched_problem_t* sp = sched_problem_create();
  core_result_t res   = CORE_RESULT_INIT;
  char actor[32];
  snprintf(actor, sizeof actor, "dvms-%u", a->pm);
  const sched_round_t rnd = {.actor         = actor,
                             .node          = a->pm,
                             .pms           = w->pms,
                             .pm_count      = w->count,
                             .headroom      = d->headroom,
                             .solver        = &d->solver,
                             .plan          = &d->plan,
                             .problem       = sp,
                             .result        = &res,
                             .still_current = worker_still_current,
                             .userdata      = w,
                             .power         = &d->power};
  sched_round_report_t round;
  sched_round_run(ctx, &rnd, &round);
  const sched_plan_report_t rep = round.plan;
  dvms_stats_t* st              = dvms_book_stats(d->book);
  st->solves++;
  st->partition_pms_sum += (double)w->count;
  bool solved = rep.outcome == SCHED_OUTCOME_NOTHING_TO_DO;
  if (!solved && (rep.outcome == SCHED_OUTCOME_OK || rep.outcome == SCHED_OUTCOME_PARTIAL)) {
    solved = true; /* the partition's problem is gone when every up member is viable now */
    for (size_t i = 0; i < w->count; i++) {
      sched_pm_info_t info;
      sched_pm_info(ctx, w->pms[i], &info);
      solved = solved && (!info.online || info.viable);
    }
  }
  core_result_free(&res);
  sched_problem_destroy(sp);
  d->live_workers--;
  if (worker_current(w)) dvms__round_done(a, solved, rep.outcome);
  free(w->pms);
  free(w);
}

dvms_worker_t* dvms__worker_create(dvms_agent_t* a)
{
  dvms_worker_t* w = malloc(sizeof *w);
  xbt_assert(w, "out of memory");
  *w     = (dvms_worker_t){.a = a, .epoch = a->epoch, .pid = a->view.pid, .count = a->view.count};
  w->pms = malloc(w->count * sizeof *w->pms);
  xbt_assert(w->pms, "out of memory");
  for (size_t i = 0; i < w->count; i++)
    w->pms[i] = a->view.members[i];
  return w;
}

void dvms__worker_start(dvms_worker_t* w)
{
  sg_actor_t actor = sg_actor_init("dvms-worker", sched_pm_host(w->a->d->ctx, w->a->pm));
  sg_actor_set_data(actor, w);
  sg_actor_start(actor, worker_main, 0, NULL);
}
