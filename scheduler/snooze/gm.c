/* Snooze's service nodes: the main actor of each (group manager role, or group leader role through
 * gl.c), the GL election, and the scheduling worker that solves over the GM's own LCs with the
 * shared core and executes the plan (reactive on anomalies by default, periodic as an option).
 * A GM keeps its LCs' reports, beats to them, drops silent ones, and summarizes to the GL.
 * Not the entry point's logic (gl.c) nor the LC's (lc.c). Protocol and rules: docs/SNOOZE.md. */
#include "snooze_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/mailbox.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(snooze);

#define EPS_S 1e-9

static void* grow(void* array, size_t* cap, size_t need, size_t elem)
{
  if (need <= *cap) return array;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need)
    n *= 2;
  array = realloc(array, n * elem);
  xbt_assert(array, "out of memory");
  *cap = n;
  return array;
}

/* ---- the GM's table of LCs ---- */

static snooze_gm_lc_t* gm_find_lc(snooze_svc_t* s, size_t pm)
{
  for (size_t i = 0; i < s->lc_count; i++)
    if (s->lcs[i].pm == pm) return &s->lcs[i];
  return NULL;
}

static void gm_trigger(snooze_svc_t* s)
{
  if (s->sz->trigger != SNOOZE_REACTIVE || s->pending) return;
  s->pending = true;
  sg_sem_release(s->wake);
}

static void gm_handle(snooze_svc_t* s, snooze_msg_t* m)
{
  snooze_t* sz = s->sz;
  double now   = sched_now(sz->ctx);
  switch (m->kind) {
  case SNOOZE_MSG_ANOMALY: {
    snooze_gm_lc_t* lc = gm_find_lc(s, m->pm);
    if (!lc || m->incarnation != s->incarnation) break; /* not (or no longer) ours: it will time out */
    lc->cpu_pct = m->cpu_pct;
    lc->viable  = m->viable;
    if (!m->viable) gm_trigger(s);
    break;
  }
  case SNOOZE_MSG_NEW_LC: {
    snooze_gm_lc_t* lc = gm_find_lc(s, m->pm);
    if (!lc) {
      s->lcs = grow(s->lcs, &s->lc_cap, s->lc_count + 1, sizeof *s->lcs);
      lc     = &s->lcs[s->lc_count++];
    }
    *lc               = (snooze_gm_lc_t){.pm = m->pm, .last_report_s = now, .cpu_pct = m->cpu_pct, .viable = m->viable};
    snooze_msg_t* ack = snooze__msg_new(SNOOZE_MSG_LC_ACK, s->node);
    ack->attempt      = m->attempt;
    ack->incarnation  = s->incarnation;
    snooze__msg_send(sz, sz->lcs[m->pm].mailbox, ack, s->node);
    if (!m->viable) gm_trigger(s);
    break;
  }
  default:
    XBT_DEBUG("GM node %zu drops a %s", s->node, snooze__msg_name(m->kind));
  }
  free(m);
}

/* An LC of this GM answers its beat: the report is its PM's load as the beat arrives; it reaches
 * the GM after the beat's own transfer time (gm_apply_reports). Its timing and bytes are modelled,
 * not sent: at 10,000 PMs the reports were 12 million messages an hour, each waking the LC and the
 * GM. The LC itself is not woken: the watcher renews its heartbeat deadline (watch.c). */
static void lc_answer_beat(snooze_svc_t* s, snooze_gm_lc_t* entry, snooze_lc_t* lc, double now)
{
  snooze_t* sz          = s->sz;
  lc->last_beat_s       = now;
  entry->report_cpu_pct = snooze__lc_load(sz, lc->pm, &entry->report_viable);
  entry->report_due     = true;
  if (entry->report_viable) lc->anomaly_sent = false; /* the next violation is a new anomaly */
  sched_count_message(sz->ctx, lc->pm, s->node, sz->message_bytes);
}

/* The reports answering the last beat arrive: each LC's load, and its heartbeat. A persisting
 * violation re-triggers a round, unless the last round found no solution: then only a new
 * anomaly, a new LC, or `period` later. */
static void gm_apply_reports(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  double now   = sched_now(sz->ctx);
  bool retry   = !s->last_unsolved || now - s->last_round_s >= sz->sched_period_s;
  bool trigger = false;
  for (size_t i = 0; i < s->lc_count; i++) {
    snooze_gm_lc_t* lc = &s->lcs[i];
    if (!lc->report_due) continue;
    lc->report_due    = false;
    lc->cpu_pct       = lc->report_cpu_pct;
    lc->viable        = lc->report_viable;
    lc->last_report_s = now;
    trigger           = trigger || !lc->viable;
  }
  if (trigger && retry) gm_trigger(s);
}

/* A multicast to the GM's LCs (beat or TERM): one message of message_bytes leaves the GM (one
 * SimGrid transfer to the first member, which the GM's actor waits for), then every member the GM
 * reaches gets it. As Snooze's IP multicast. A TERM is written into the LC's record and wakes it;
 * a beat is answered at once by the LCs that serve this GM, without waking them, and their reports
 * reach the GM after the beat's transfer time again (the way back): the GM's actor waits for them
 * as it waited for the beat (what arrives meanwhile waits in its mailbox), rather than with a
 * receive timeout, which costs SimGrid an exception. */
static void gm_multicast(snooze_svc_t* s, snooze_msg_kind_t kind)
{
  snooze_t* sz = s->sz;
  if (s->lc_count == 0) return;
  double sent = sched_now(sz->ctx);
  sched_transfer(sz->ctx, s->node, s->lcs[0].pm, sz->message_bytes);
  if (!sched_node_is_up(sz->ctx, s->node)) return; /* died while sending */
  double now    = sched_now(sz->ctx);
  bool answered = false;
  for (size_t i = 0; i < s->lc_count; i++) {
    snooze_lc_t* lc = &sz->lcs[s->lcs[i].pm];
    if (!sched_nodes_reach(sz->ctx, s->node, s->lcs[i].pm)) continue; /* beyond a split: lost */
    if (kind == SNOOZE_MSG_TERM) {
      lc->term_from = s->node;
      lc->term_s    = now;
      sg_sem_release(lc->sem);
    } else if (lc->gm == s->node && lc->incarnation == s->incarnation && sched_node_is_up(sz->ctx, lc->pm)) {
      lc_answer_beat(s, &s->lcs[i], lc, now); /* others ignore it: joining, or another GM's, or dead */
      answered = true;
    }
  }
  XBT_DEBUG("node %zu multicasts a %s to %zu LCs", s->node, snooze__msg_name(kind), s->lc_count);
  if (!answered) return;
  sg_actor_sleep_for(now - sent);
  if (sched_node_is_up(sz->ctx, s->node)) gm_apply_reports(s);
}

/* Every period: drop LCs silent for the timeout, summarize to the GL, beat to the others. */
static void gm_beat(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  double now   = sched_now(sz->ctx);
  double cpu   = 0;
  size_t kept  = 0;
  for (size_t i = 0; i < s->lc_count; i++) {
    snooze_gm_lc_t* lc = &s->lcs[i];
    if (now - lc->last_report_s > sz->timeout_s + EPS_S) {
      snooze__event(sz, "gm-dropped-lc", s->node, lc->pm, s->node, now - lc->last_report_s);
      continue;
    }
    s->lcs[kept++] = *lc;
    cpu += lc->cpu_pct;
  }
  s->lc_count       = kept;
  snooze_msg_t* sum = snooze__msg_new(SNOOZE_MSG_SUMMARY, s->node);
  sum->incarnation  = s->incarnation;
  sum->count        = kept;
  sum->cpu_pct      = kept ? cpu / (double)kept : 0.0;
  char entry[SNOOZE_ENTRY_MAX];
  snooze__entry_point(sz, s->node, entry);
  snooze__msg_send(sz, entry, sum, s->node);
  gm_multicast(s, SNOOZE_MSG_GM_BEAT);
}

/* Election rule: the live GM with the lowest registration sequence number leads. A GM ranked r
 * among the GMs of the last GL beat (GL excluded, by seq) promotes itself after timeout + r x period
 * without a GL beat: when the GM ranked before it is dead too, it waits one more period each time. */
static double gm_promote_at(const snooze_svc_t* s)
{
  const snooze_t* sz = s->sz;
  return s->last_gl_beat_s + sz->timeout_s + (double)s->gl_rank * sz->period_s;
}

void snooze__gm_update_rank(snooze_svc_t* s)
{
  size_t rank = 0, found = SNOOZE_NONE, count = s->gl_list ? s->gl_list->count : 0;
  for (size_t i = 0; i < count; i++) {
    const snooze_member_t* m = &s->gl_list->member[i];
    if (m->node == s->gl_node) continue;
    if (m->node == s->node) {
      found = rank;
      break;
    }
    rank++;
  }
  if (found == SNOOZE_NONE) found = s->sz->svc_count + s->service; /* not listed yet: after every listed GM */
  s->gl_rank = found;
}

void snooze__gm_take_gl_beat(snooze_svc_t* s, size_t gl_node, snooze_gl_list_t* list, size_t rank)
{
  s->last_gl_beat_s = sched_now(s->sz->ctx);
  s->gl_node        = gl_node;
  list->refs++;
  snooze__gl_list_release(s->gl_list);
  s->gl_list = list;
  s->gl_rank = rank;
}

static void gm_promote(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  sz->elections++;
  snooze__event(sz, "gl-elected", s->node, SNOOZE_NONE, s->gl_node, sched_now(sz->ctx) - s->last_gl_beat_s);
  XBT_VERB("node %zu becomes the group leader (no beat from node %zu for %.3f s)", s->node, s->gl_node,
           sched_now(sz->ctx) - s->last_gl_beat_s);
  gm_multicast(s, SNOOZE_MSG_TERM); /* VMPlaceS' GLElectionStopGM: its LCs rejoin other GMs */
  s->lc_count = 0;
  s->role     = SNOOZE_ROLE_GL;
  snooze__gl_promote(s);
}

/* GM role until the node dies or the GM is promoted. */
static void gm_run(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  snooze__inbox_serve(s, s->mailbox); /* its own mailbox, read without timeouts (inbox.c) */
  double next_beat = snooze__beat_time(s, sched_now(sz->ctx));
  while (s->role == SNOOZE_ROLE_GM) {
    double promote_at = gm_promote_at(s);
    double deadline   = fmin(next_beat, promote_at);
    double wait       = deadline - sched_now(sz->ctx);
    void* p           = NULL;
    int rc            = snooze__inbox_recv(s, wait, &p);
    if (rc == SCHED_MSG_NODE_DOWN) {
      free(p);
      return;
    }
    if (rc == SCHED_MSG_OK) gm_handle(s, p);
    double now = sched_now(sz->ctx);
    if (now >= gm_promote_at(s) - EPS_S) {
      gm_promote(s);
      return;
    }
    if (now >= next_beat - EPS_S) {
      gm_beat(s);
      next_beat = snooze__beat_time(s, now + EPS_S);
    }
  }
}

/* (Re)start as a fresh GM: no LCs, a new incarnation, no leader known (until a GL beat). */
void snooze__svc_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_svc_t* s = sg_actor_self_get_data();
  snooze_t* sz    = s->sz;
  /* t = 0: every candidate registered in service order (seq = service index), so service node 0
   * leads and every GM knows the list, as after a first GL beat. */
  s->incarnation = 1;
  snooze__gl_list_release(s->gl_list);
  s->gl_list = snooze__gl_list_new(sz->svc_count);
  for (size_t i = 0; i < sz->svc_count; i++)
    s->gl_list->member[i] = (snooze_member_t){.node = sz->svcs[i].node, .seq = (uint32_t)i};
  s->gl_node = sz->svcs[0].node;
  snooze__gm_update_rank(s);
  s->last_gl_beat_s = sched_now(sz->ctx);
  s->role           = s->service == 0 ? SNOOZE_ROLE_GL : SNOOZE_ROLE_GM;
  if (s->role == SNOOZE_ROLE_GL) snooze__gl_promote(s);
  for (;;) {
    if (!sched_node_is_up(sz->ctx, s->node)) {
      s->role = SNOOZE_ROLE_IDLE;
      while (!sched_node_is_up(sz->ctx, s->node)) /* dead: poll for the recovery every period */
        sg_actor_sleep_for(sz->period_s);
      snooze__svc_restart_as_gm(s);
      snooze__event(sz, "gm-restarted", s->node, SNOOZE_NONE, SNOOZE_NONE, NAN);
    }
    if (s->role == SNOOZE_ROLE_GL)
      snooze__gl_run(s);
    else
      gm_run(s);
  }
}

/* ---- scheduling worker ---- */

static int cmp_size(const void* a, const void* b)
{
  size_t x = *(const size_t*)a, y = *(const size_t*)b;
  return (x > y) - (x < y);
}

/* One round over the GM's LCs (those reported within the timeout), PMs in index order. */
static void gm_round(snooze_svc_t* s)
{
  snooze_t* sz     = s->sz;
  sched_ctx_t* ctx = sz->ctx;
  double start_s   = sched_now(ctx);
  size_t count     = 0;
  s->pms           = realloc(s->pms, (s->lc_count + 1) * sizeof *s->pms);
  xbt_assert(s->pms, "out of memory");
  for (size_t i = 0; i < s->lc_count; i++)
    if (start_s - s->lcs[i].last_report_s <= sz->timeout_s) s->pms[count++] = s->lcs[i].pm;
  if (count == 0) return;
  qsort(s->pms, count, sizeof *s->pms, cmp_size);
  s->last_round_s         = start_s;
  const sched_round_t rnd = {.actor    = s->actor_name,
                             .node     = s->node,
                             .pms      = s->pms,
                             .pm_count = count,
                             .headroom = sz->headroom,
                             .solver   = &sz->solver,
                             .plan     = &sz->plan,
                             .problem  = s->problem,
                             .result   = &s->result,
                             .power    = &sz->power,
                             .overload = sz->overload};
  sched_round_report_t rep;
  sched_round_run(ctx, &rnd, &rep);
  s->last_unsolved = rep.plan.outcome == SCHED_OUTCOME_NO_SOLUTION;
  if (rep.plan.outcome != SCHED_OUTCOME_NOTHING_TO_DO)
    XBT_VERB("%s at %.1f s: %zu LCs, %zu violating, %s, %.3f s computing, %zu/%zu migrations in %.1f s", s->actor_name,
             start_s, count, s->result.violating_nodes, sched_outcome_name(rep.plan.outcome), rep.computation_s,
             rep.plan.completed, rep.plan.planned, rep.plan.reconfiguration_s);
}

/* The periodic trigger's round: only a GM schedules (a GL's worker idles). */
static void periodic_round(sched_ctx_t* ctx, void* userdata)
{
  (void)ctx;
  snooze_svc_t* s = userdata;
  if (s->role == SNOOZE_ROLE_GM) gm_round(s);
}

/* Poll mode: whether one of the GM's LCs (reported within the timeout) sits on a non-viable PM, read
 * from the cluster itself, not from the reports (VMPlaceS' GM read every host's state). */
static bool gm_sees_violation(snooze_svc_t* s)
{
  double now = sched_now(s->sz->ctx);
  for (size_t i = 0; i < s->lc_count; i++) {
    if (now - s->lcs[i].last_report_s > s->sz->timeout_s) continue;
    sched_pm_info_t info;
    sched_pm_info(s->sz->ctx, s->lcs[i].pm, &info);
    if (!info.viable) return true;
  }
  return false;
}

/* Poll mode: every poll period, a round when the group has a non-viable PM, no sooner than the
 * back-off after the previous round's start. Ends with the experiment. */
static void poll_loop(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  for (;;) {
    double next = sched_now(sz->ctx) + sz->poll_period_s;
    if (next >= sched_end_time(sz->ctx)) return;
    sg_actor_sleep_for(sz->poll_period_s);
    if (s->role != SNOOZE_ROLE_GM || !sched_node_is_up(sz->ctx, s->node) || !gm_sees_violation(s)) continue;
    double ready = s->last_round_s + sz->backoff_s;
    if (s->last_round_s > 0 && sched_now(sz->ctx) < ready) sg_actor_sleep_for(ready - sched_now(sz->ctx));
    if (s->role == SNOOZE_ROLE_GM && sched_node_is_up(sz->ctx, s->node)) gm_round(s);
  }
}

void snooze__worker_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_svc_t* s = sg_actor_self_get_data();
  snooze_t* sz    = s->sz;
  sched_set_state(sz->ctx, s->node, SCHED_STATE_FREE);
  if (sz->trigger == SNOOZE_PERIODIC) {
    sched_run_periodic(sz->ctx, s->node, sz->sched_period_s, periodic_round, s);
    return;
  }
  if (sz->trigger == SNOOZE_POLL) {
    poll_loop(s);
    return;
  }
  for (;;) {
    sg_sem_acquire(s->wake);
    while (s->pending) {
      double ready = s->last_round_s + sz->backoff_s;
      if (s->last_round_s > 0 && sched_now(sz->ctx) < ready) sg_actor_sleep_for(ready - sched_now(sz->ctx));
      s->pending = false;
      if (s->role == SNOOZE_ROLE_GM && sched_node_is_up(sz->ctx, s->node)) gm_round(s);
    }
  }
}
