/* Snooze's local controller (LC): one actor per PM. It joins a group manager through the entry
 * point (ask the GL, join the GM it names), answers each GM beat with its PM's load (once per
 * heartbeat period; the report is its heartbeat: modelled in gm.c, without waking this actor),
 * reports an anomaly at once through a one-shot actor, and rejoins when its GM stops beating (the
 * watcher wakes it, watch.c) or sends TERM. While its PM is down it acts dead (sends nothing, drops
 * what arrives) and rejoins after recovery. It decides nothing about placement: GMs do. */
#include "snooze_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/mailbox.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(snooze);

#define EPS_S 1e-9

double snooze__lc_load(snooze_t* sz, size_t pm, bool* viable)
{
  sched_pm_info_t info;
  sched_pm_info(sz->ctx, pm, &info);
  if (viable) *viable = info.viable;
  return info.cpu_capacity > 0 ? 100.0 * info.cpu_demand / info.cpu_capacity : 0.0;
}

/* Waits for a message until deadline_s. Returns SCHED_MSG_OK (*m set), SCHED_MSG_TIMEOUT, or
 * SCHED_MSG_NODE_DOWN (whatever arrived was dropped). */
static int lc_recv(snooze_lc_t* lc, double deadline_s, snooze_msg_t** m)
{
  double wait = deadline_s - sched_now(lc->sz->ctx);
  void* p     = NULL;
  int rc      = snooze__recv(lc->sz, lc->pm, lc->mailbox, wait, &p);
  if (rc == SCHED_MSG_NODE_DOWN) free(p);
  *m = rc == SCHED_MSG_OK ? p : NULL;
  return rc;
}

/* Waits for a reply of kind `kind` to the current attempt until deadline_s; drops anything else. */
static snooze_msg_t* lc_wait_reply(snooze_lc_t* lc, snooze_msg_kind_t kind, double deadline_s)
{
  for (;;) {
    snooze_msg_t* m;
    if (lc_recv(lc, deadline_s, &m) != SCHED_MSG_OK) return NULL;
    if (m->kind == kind && m->attempt == lc->attempt) return m;
    XBT_DEBUG("LC %zu drops a stale %s", lc->pm, snooze__msg_name(m->kind));
    free(m);
  }
}

/* One join attempt: JOIN_REQ to the entry point, ASSIGN back, NEW_LC to the GM, LC_ACK back. */
static void lc_join(snooze_lc_t* lc)
{
  snooze_t* sz = lc->sz;
  lc->attempt++;
  snooze_msg_t* req = snooze__msg_new(SNOOZE_MSG_JOIN_REQ, lc->pm);
  req->pm           = lc->pm;
  req->gm           = lc->avoid;
  req->attempt      = lc->attempt;
  req->cpu_pct      = snooze__lc_load(sz, lc->pm, NULL);
  char entry[SNOOZE_ENTRY_MAX];
  snooze__entry_point(sz, lc->pm, entry);
  snooze__msg_send(sz, entry, req, lc->pm);
  snooze_msg_t* as = lc_wait_reply(lc, SNOOZE_MSG_ASSIGN, sched_now(sz->ctx) + sz->join_timeout_s);
  if (!as) return; /* no leader answered in time: the caller retries */
  size_t gm = as->gm;
  free(as);
  snooze_svc_t* target = snooze__svc_of(sz, gm);
  if (!target) return;
  snooze_msg_t* nl = snooze__msg_new(SNOOZE_MSG_NEW_LC, lc->pm);
  nl->pm           = lc->pm;
  nl->attempt      = lc->attempt;
  nl->cpu_pct      = snooze__lc_load(sz, lc->pm, &nl->viable);
  snooze__msg_send(sz, target->mailbox, nl, lc->pm);
  snooze_msg_t* ack = lc_wait_reply(lc, SNOOZE_MSG_LC_ACK, sched_now(sz->ctx) + sz->join_timeout_s);
  if (!ack) {
    lc->avoid = gm; /* the GL named a GM that did not answer: ask for another one */
    return;
  }
  while (!sg_sem_would_block(lc->sem)) /* forget multicasts delivered before this membership */
    sg_sem_acquire(lc->sem);
  lc->joined_s     = sched_now(sz->ctx);
  lc->gm           = gm;
  lc->incarnation  = ack->incarnation;
  lc->last_beat_s  = sched_now(sz->ctx);
  lc->avoid        = SNOOZE_NONE;
  lc->anomaly_sent = false;
  free(ack);
  sz->joins++;
  snooze__event(sz, "lc-joined", lc->pm, lc->pm, gm, sched_now(sz->ctx) - lc->lost_s);
  XBT_DEBUG("LC %zu joined GM node %zu after %.3f s", lc->pm, gm, sched_now(sz->ctx) - lc->lost_s);
}

static void lc_lose_gm(snooze_lc_t* lc, const char* event)
{
  snooze__event(lc->sz, event, lc->pm, lc->pm, lc->gm, NAN);
  lc->avoid  = lc->gm;
  lc->gm     = SNOOZE_NONE;
  lc->lost_s = sched_now(lc->sz->ctx);
}

/* Member of a group: the GM's beats are answered without waking this actor (gm.c), which waits
 * for its heartbeat deadline (the watcher, watch.c), a TERM, or its PM's crash; returns when the
 * GM is lost (no beat for the timeout, or TERM) or the PM goes down. */
static void lc_serve(snooze_lc_t* lc)
{
  snooze_t* sz = lc->sz;
  while (lc->gm != SNOOZE_NONE) {
    double deadline = lc->last_beat_s + sz->timeout_s;
    if (deadline - sched_now(sz->ctx) > SNOOZE_MIN_WAIT_S) {
      snooze__watch_arm(sz, lc, deadline);
      sg_sem_acquire(lc->sem);
      lc->watched = false;
    }
    if (!sched_node_is_up(sz->ctx, lc->pm)) {
      lc_lose_gm(lc, "lc-down");
      return;
    }
    if (lc->term_from == lc->gm && lc->term_s >= lc->joined_s) {
      lc_lose_gm(lc, "lc-term");
      return;
    }
    if (sched_now(sz->ctx) >= lc->last_beat_s + sz->timeout_s - EPS_S) {
      lc_lose_gm(lc, "lc-lost-gm");
      return;
    }
  }
}

void snooze__lc_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_lc_t* lc = sg_actor_self_get_data();
  snooze_t* sz    = lc->sz;
  sg_mailbox_set_receiver(lc->mailbox); /* messages travel as soon as sent (as inbox.c) */
  /* The PMs boot one after the other, in index order over boot_spread, as the GMs' beats are
   * spread over the period: 100,000 LCs joining in the same instant made 100,000 flows into the
   * group leader's link at once, whose sharing SimGrid recomputes at every end of one (the square
   * of the number of PMs), and delayed the first GL beats past the GMs' timeout. */
  double boot_s = sz->boot_spread_s * (double)lc->pm / (double)sz->pm_count;
  if (boot_s > 0) sg_actor_sleep_for(boot_s);
  lc->lost_s = sched_now(sz->ctx);
  for (;;) {
    if (!sched_node_is_up(sz->ctx, lc->pm)) {
      while (!sched_node_is_up(sz->ctx, lc->pm)) /* dead until the recovery wakes it (snooze.c) */
        sg_sem_acquire(lc->sem);
      lc->lost_s = sched_now(sz->ctx);
      lc->avoid  = SNOOZE_NONE;
    }
    if (lc->gm == SNOOZE_NONE)
      lc_join(lc);
    else
      lc_serve(lc);
  }
}

/* The LC's monitoring noticed the overload: a one-shot actor on the PM sends the anomaly at once
 * (the LC's main actor may be blocked in a receive; it reports the state again every period). */
static void anomaly_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_lc_t* lc = sg_actor_self_get_data();
  snooze_t* sz    = lc->sz;
  if (lc->gm == SNOOZE_NONE || !sched_node_is_up(sz->ctx, lc->pm)) {
    lc->anomaly_sent = false;
    return;
  }
  snooze_msg_t* a = snooze__msg_new(SNOOZE_MSG_ANOMALY, lc->pm);
  a->pm           = lc->pm;
  a->incarnation  = lc->incarnation;
  a->cpu_pct      = snooze__lc_load(sz, lc->pm, &a->viable);
  snooze__msg_send(sz, snooze__svc_of(sz, lc->gm)->mailbox, a, lc->pm);
}

void snooze__lc_anomaly(snooze_t* sz, size_t pm)
{
  snooze_lc_t* lc = &sz->lcs[pm];
  if (lc->gm == SNOOZE_NONE || lc->anomaly_sent || !sched_node_is_up(sz->ctx, pm)) return;
  lc->anomaly_sent = true;
  sg_actor_t ac    = sg_actor_init("snooze-anomaly", sched_pm_host(sz->ctx, pm));
  sg_actor_set_data(ac, lc);
  sg_actor_start(ac, anomaly_main, 0, NULL);
}
