/* The DVMS protocol (docs/DVMS.md): what one agent does on each message and timer. ISP start on a
 * detected overload, growth along the ring (join with the initiator's version check, new leader,
 * every member updated and acknowledged), the shortcut over booked partitions, the deadlock rules of
 * Akka's DvmsActor (Blocked, dissolve, merge with a handshake, lower id wins), keep-alives and
 * timeouts, and what the leader does once its worker (worker.c) has run the round. Not the actors'
 * loops nor the timer queue (dvms.c), the views (view.c), nor the booking checker (book.c).
 * Handlers change the agent's state first and send afterwards: a send is a SimGrid simcall, at which
 * other actors may run. */
#include "dvms/dvms.h"

#include <math.h>
#include <simgrid/actor.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(dvms);

/* ---- leaving, ending ---- */

void dvms__reset(dvms_agent_t* a, const char* reason)
{
  sched_ctx_t* ctx = a->d->ctx;
  if (a->view.pid != 0)
    XBT_DEBUG("PM %u leaves partition %u.%u (%s)", a->pm, (unsigned)(a->view.pid >> 32),
              (unsigned)(a->view.pid & 0xffffffffu), reason);
  if (dvms__booked(a)) {
    if (reason) dvms__note(a, reason);
    dvms_book_release(a->d->book, a->pm, a->view.pid, sched_now(ctx));
  }
  free(a->held);
  a->held = NULL;
  dvms__view_clear(&a->view);
  a->role                    = ROLE_FREE;
  a->phase                   = PH_NONE;
  a->locked                  = false;
  a->reserved_version        = 0;
  a->acks_missing            = 0;
  a->timeout_queued          = false;
  a->deadline[TIMER_TIMEOUT] = a->deadline[TIMER_KEEPALIVE] = a->deadline[TIMER_ASK] = -1;
  sched_set_state(ctx, a->pm, SCHED_STATE_FREE);
  sched_pm_info_t info;
  sched_pm_info(ctx, a->pm, &info);
  if (info.online && !info.viable && sched_node_is_up(ctx, a->pm)) dvms__arm_detect(a);
}

/* A leader leaving while it holds another partition's ISP (merging) passes that ISP on along the
 * ring instead of losing it. */
static void pass_held(dvms_agent_t* a)
{
  dvms_msg_t* token = a->held;
  if (!token) return;
  a->held     = NULL;
  uint32_t to = dvms__next_node(a->d, token->via, dvms__booked(a) ? &a->view : NULL, &token->view);
  if (to == DVMS_NONE)
    free(token);
  else
    dvms__forward(a, token, to);
}

/* The partition ends for every member (success, deadlock rule 2, nothing left to try). */
static void end_partition(dvms_agent_t* a, const char* reason)
{
  dvms__note(a, reason);
  XBT_VERB("partition %u.%u ends at PM %u: %s, %u PMs, %u hops", (unsigned)(a->view.pid >> 32),
           (unsigned)(a->view.pid & 0xffffffffu), a->pm, reason, a->view.count, a->view.hops);
  dvms_view_t copy = {0};
  dvms__view_copy(&copy, &a->view);
  pass_held(a);
  dvms__reset(a, reason);
  dvms__broadcast_view(a, &copy, MSG_DISSOLVE, false, 0);
  free(copy.members);
}

/* ---- growth ---- */

static void forward_own_token(dvms_agent_t* a)
{
  uint32_t to = dvms__next_node(a->d, a->pm, NULL, &a->view);
  if (to == DVMS_NONE) {
    end_partition(a, "no-free-node");
    return;
  }
  a->phase      = PH_FORWARDED;
  dvms_msg_t* m = dvms__msg(a, MSG_ISP, &a->view);
  m->pid        = a->view.pid;
  m->version    = a->view.version;
  dvms__forward(a, m, to);
}

static void start_worker(dvms_agent_t* a);

/* The leader's view is confirmed: solve once the partition is big enough, else grow. */
static void leader_proceed(dvms_agent_t* a)
{
  a->deadline[TIMER_ASK] = -1;
  dvms_book_set_members(a->d->book, a->view.pid, a->view.members, a->view.count);
  dvms__touch(a);
  if (a->view.count >= a->d->min_size)
    start_worker(a);
  else
    forward_own_token(a);
}

void dvms__start_isp(dvms_agent_t* a)
{
  dvms_t* d = a->d;
  a->seq++;
  dvms__view_clear(&a->view);
  a->view.pid       = ((uint64_t)a->pm << 32) | a->seq;
  a->view.initiator = a->view.leader = a->pm;
  a->view.version                    = 1;
  a->view.state                      = DVMS_GROWING;
  dvms__view_add(&a->view, a->pm);
  dvms_book_open(d->book, a->view.pid, a->pm, sched_now(d->ctx));
  xbt_assert(dvms_book_take(d->book, a->pm, a->view.pid), "a new partition must accept its initiator");
  a->role = ROLE_LEADER;
  sched_set_state(d->ctx, a->pm, SCHED_STATE_BOOKED);
  sched_mark_detected(d->ctx, a->pm);
  XBT_DEBUG("PM %u starts ISP %u.%u", a->pm, a->pm, a->seq);
  leader_proceed(a);
}

/* Removes members with acked[i] != 1 (no answer, or a refusal) from the leader's view. */
static void drop_unacked(dvms_agent_t* a)
{
  for (uint32_t i = a->view.count; i-- > 0;)
    if (a->view.members[i] != a->pm && a->acked[i] != 1) {
      dvms__view_remove_at(&a->view, i);
      memmove(&a->acked[i], &a->acked[i + 1], a->view.count - i);
    }
}

/* The leader sends its new view to every member and waits for their acknowledgements. */
static void update_members(dvms_agent_t* a, uint64_t absorbed)
{
  a->phase = PH_ACKS;
  a->acked = realloc(a->acked, a->view.count ? a->view.count : 1);
  xbt_assert(a->acked, "out of memory");
  memset(a->acked, 0, a->view.count);
  a->acks_missing = a->view.count - 1;
  dvms_book_set_members(a->d->book, a->view.pid, a->view.members, a->view.count);
  dvms__note(a, NULL);
  dvms__touch(a);
  dvms__arm(a, TIMER_ASK, sched_now(a->d->ctx) + a->d->ask_timeout_s);
  if (a->acks_missing == 0) {
    leader_proceed(a);
    return;
  }
  dvms__broadcast(a, MSG_UPDATE, true, absorbed);
}

/* ---- the leader's round: start the worker, then dissolve or grow ---- */

/* Checks the invariant on the partition about to be solved (every member is booked by it; a
 * member the failure detector suspects is dropped, as Akka's rebuild without it), then starts the
 * worker actor. A member dead but not yet suspected stays: its migrations will fail. */
static void start_worker(dvms_agent_t* a)
{
  dvms_t* d = a->d;
  for (uint32_t i = a->view.count; i-- > 0;) {
    uint32_t pm = a->view.members[i];
    if (dvms_fd_suspected_by(d->fd, d->ctx, a->pm, pm, sched_now(d->ctx))) {
      dvms__view_remove_at(&a->view, i);
      continue;
    }
    if (!sched_node_is_up(d->ctx, pm)) continue; /* the checker's view: a dead member's booking went with it */
    xbt_assert(dvms_book_owner(d->book, pm) == a->view.pid,
               "invariant broken: partition %llu solves over PM %u, which belongs to partition %llu",
               (unsigned long long)a->view.pid, pm, (unsigned long long)dvms_book_owner(d->book, pm));
    dvms_book_stats(d->book)->member_checks++;
  }
  if (a->view.count < d->min_size) {
    forward_own_token(a);
    return;
  }
  a->phase         = PH_COMPUTING;
  dvms_worker_t* w = dvms__worker_create(a);
  dvms__touch(a);
  dvms__arm(a, TIMER_KEEPALIVE, sched_now(d->ctx) + d->keepalive_s);
  d->live_workers++;
  dvms__worker_start(w);
}

void dvms__round_done(dvms_agent_t* a, bool solved, sched_outcome_t outcome)
{
  a->deadline[TIMER_KEEPALIVE] = -1;
  dvms__touch(a);
  if (solved)
    end_partition(a, outcome == SCHED_OUTCOME_NOTHING_TO_DO ? "nothing-to-do" : "solved");
  else
    forward_own_token(a); /* growth goes on */
}

/* ---- message handlers ---- */

static void on_isp(dvms_agent_t* a, dvms_msg_t* m)
{
  dvms_t* d            = a->d;
  const dvms_view_t* p = &m->view;
  if (a->role == ROLE_FREE) { /* join: ask the initiator whether this version is still valid */
    a->role = ROLE_JOINING;
    dvms__view_copy(&a->view, p);
    sched_set_state(d->ctx, a->pm, SCHED_STATE_BOOKED);
    dvms__arm(a, TIMER_ASK, sched_now(d->ctx) + d->ask_timeout_s);
    dvms__send(a, p->initiator, dvms__reply(a, MSG_CHECK, p->pid, p->version, 0));
    free(m);
    return;
  }
  if (a->view.pid == p->pid && a->role != ROLE_JOINING) {
    if (p->version < a->view.version || a->pm != p->initiator) { /* stale token, or not ours to judge */
      uint32_t to = p->version < a->view.version ? DVMS_NONE : dvms__next_node(d, a->pm, NULL, p);
      if (to == DVMS_NONE)
        free(m);
      else
        dvms__forward(a, m, to);
      return;
    }
    if (p->state == DVMS_GROWING) { /* rule 1: back home while Growing */
      a->view.state = m->view.state = DVMS_BLOCKED;
      dvms__note(a, NULL);
      dvms__touch(a);
      uint32_t to = dvms__next_node(d, a->pm, NULL, p);
      dvms__broadcast(a, MSG_STATE, false, 0);
      if (to == DVMS_NONE) {
        free(m);
        end_partition(a, "no-free-node");
      } else {
        dvms__forward(a, m, to);
      }
      return;
    }
    free(m); /* rule 2: back home while Blocked: unsolvable for now */
    end_partition(a, "deadlock");
    return;
  }
  /* booked by another partition q (or joining it) */
  const dvms_view_t* q = &a->view;
  if (dvms__booked(a) && q->state == DVMS_BLOCKED && p->state == DVMS_BLOCKED && q->pid < p->pid) {
    m->via  = a->pm; /* rule 3: offer the merge to our leader, who keeps leader and initiator */
    m->kind = MSG_MERGE_OFFER;
    if (a->role == ROLE_LEADER) {
      dvms__handle(a, m);
    } else {
      dvms__send(a, q->leader, m);
    }
    return;
  }
  uint32_t to = dvms__next_node(d, a->pm, q, p); /* rule 4 and the shortcut: first node after our partition */
  if (to == DVMS_NONE)
    free(m);
  else
    dvms__forward(a, m, to);
}

/* The initiator serializes the partition's changes: it promises each version once, to a joiner
 * (growth) or to its own leader (a merge), so two nodes never both make version + 1. */
static bool reserve_version(dvms_agent_t* a, uint64_t pid, uint32_t version)
{
  bool ok = dvms__booked(a) && a->view.pid == pid && a->view.version == version && a->reserved_version != version;
  if (ok) a->reserved_version = version;
  return ok;
}

static void on_check(dvms_agent_t* a, dvms_msg_t* m)
{
  bool ok          = reserve_version(a, m->pid, m->version);
  uint32_t to      = m->from;
  uint64_t pid     = m->pid;
  uint32_t version = m->version;
  free(m);
  dvms__send(a, to, dvms__reply(a, MSG_CHECK_REPLY, pid, version, ok));
}

static void give_up_merge(dvms_agent_t* a);

/* Version reserved: CanIMergePartitionWithYou to the other partition's leader. */
static void send_merge_ask(dvms_agent_t* a)
{
  dvms_msg_t* ask = dvms__reply(a, MSG_MERGE_ASK, a->held->view.pid, a->held->view.version, 0);
  ask->absorbed   = a->view.pid;
  dvms__send(a, a->held->view.leader, ask);
}

static void on_check_reply(dvms_agent_t* a, dvms_msg_t* m)
{
  if (a->role == ROLE_LEADER && a->phase == PH_MERGING && a->held && a->view.pid == m->pid &&
      a->view.version == m->version) {
    int granted = m->ok;
    free(m);
    if (granted)
      send_merge_ask(a);
    else
      give_up_merge(a); /* a joiner got this version first */
    return;
  }
  bool mine = a->role == ROLE_JOINING && a->view.pid == m->pid && a->view.version == m->version;
  int ok    = m->ok;
  free(m);
  if (!mine) return;
  a->deadline[TIMER_ASK] = -1;
  if (!ok || !dvms_book_take(a->d->book, a->pm, a->view.pid)) {
    a->role = ROLE_FREE; /* never booked: leave quietly */
    dvms__reset(a, NULL);
    return;
  }
  a->role        = ROLE_LEADER; /* prepend itself, lead, bump the version, update every member */
  a->view.leader = a->pm;
  a->view.version++;
  dvms__view_add(&a->view, a->pm);
  XBT_DEBUG("PM %u joins partition %u.%u and leads it (%u PMs)", a->pm, (unsigned)(a->view.pid >> 32),
            (unsigned)(a->view.pid & 0xffffffffu), a->view.count);
  update_members(a, 0);
}

static void on_update(dvms_agent_t* a, dvms_msg_t* m)
{
  const dvms_view_t* v = &m->view;
  bool same            = dvms__booked(a) && a->view.pid == v->pid && v->version > a->view.version;
  bool absorbed        = dvms__booked(a) && m->absorbed != 0 && a->view.pid == m->absorbed && a->role == ROLE_MEMBER;
  if (absorbed && !dvms_book_switch(a->d->book, a->pm, m->absorbed, v->pid, sched_now(a->d->ctx))) {
    absorbed = false; /* the absorbing partition ended before its update arrived */
    pass_held(a);
    dvms__reset(a, NULL);
  }
  if (same || absorbed) {
    dvms_msg_t* held = a->held;
    a->held          = NULL;
    dvms__view_copy(&a->view, v);
    a->role                = v->leader == a->pm ? ROLE_LEADER : ROLE_MEMBER;
    a->phase               = PH_NONE;
    a->locked              = false;
    a->deadline[TIMER_ASK] = a->deadline[TIMER_KEEPALIVE] = -1;
    dvms__touch(a);
    if (held) { /* we were merging another partition: pass its ISP on */
      uint32_t to = dvms__next_node(a->d, held->via, &a->view, &held->view);
      if (to == DVMS_NONE)
        free(held);
      else
        dvms__forward(a, held, to);
    }
  }
  uint32_t leader = v->leader;
  dvms_msg_t* ack = dvms__reply(a, MSG_ACK, v->pid, v->version, same || absorbed);
  free(m);
  dvms__send(a, leader, ack);
}

static void on_ack(dvms_agent_t* a, dvms_msg_t* m)
{
  bool mine = a->role == ROLE_LEADER && a->phase == PH_ACKS && a->view.pid == m->pid && a->view.version == m->version;
  uint32_t from = m->from;
  int ok        = m->ok;
  free(m);
  if (!mine) return;
  for (uint32_t i = 0; i < a->view.count; i++) {
    if (a->view.members[i] != from || a->acked[i]) continue;
    a->acked[i] = ok ? 1 : 2;
    if (--a->acks_missing == 0) {
      drop_unacked(a);
      leader_proceed(a);
    }
    return;
  }
}

static void on_merge_offer(dvms_agent_t* a, dvms_msg_t* m)
{
  if (a->role == ROLE_LEADER && a->view.state == DVMS_BLOCKED && a->phase == PH_FORWARDED && !a->locked && !a->held &&
      m->view.pid > a->view.pid) {
    a->locked = true; /* lockedForFusion */
    a->phase  = PH_MERGING;
    a->held   = m;
    dvms__arm(a, TIMER_ASK, sched_now(a->d->ctx) + a->d->ask_timeout_s);
    if (a->view.initiator != a->pm) { /* reserve our next version at our initiator first */
      dvms__send(a, a->view.initiator, dvms__reply(a, MSG_CHECK, a->view.pid, a->view.version, 0));
    } else if (reserve_version(a, a->view.pid, a->view.version)) {
      send_merge_ask(a);
    } else {
      give_up_merge(a);
    }
    return;
  }
  const dvms_view_t* skip = dvms__booked(a) ? &a->view : NULL;
  uint32_t to             = dvms__next_node(a->d, m->via, skip, &m->view);
  if (to == DVMS_NONE)
    free(m);
  else
    dvms__forward(a, m, to);
}

static void on_merge_ask(dvms_agent_t* a, dvms_msg_t* m)
{
  bool ok = a->role == ROLE_LEADER && a->view.pid == m->pid && a->view.version == m->version &&
            a->view.state == DVMS_BLOCKED && a->phase == PH_FORWARDED && !a->locked && !a->held;
  uint32_t to = m->from;
  free(m);
  dvms_msg_t* r = dvms__msg(a, MSG_MERGE_REPLY, ok ? &a->view : NULL);
  r->pid        = a->view.pid;
  r->ok         = ok;
  if (ok) { /* hand the partition over: this node now waits for the absorbing leader's update */
    a->locked = true;
    a->role   = ROLE_MEMBER;
    a->phase  = PH_NONE;
    dvms__touch(a);
  }
  dvms__send(a, to, r);
}

static void give_up_merge(dvms_agent_t* a)
{
  dvms_msg_t* token      = a->held;
  a->held                = NULL;
  a->locked              = false;
  a->phase               = PH_FORWARDED;
  a->deadline[TIMER_ASK] = -1;
  if (!token) return;
  uint32_t to = dvms__next_node(a->d, token->via, &a->view, &token->view);
  if (to == DVMS_NONE)
    free(token);
  else
    dvms__forward(a, token, to);
}

static void on_merge_reply(dvms_agent_t* a, dvms_msg_t* m)
{
  if (a->role != ROLE_LEADER || a->phase != PH_MERGING || !a->held || a->held->view.pid != m->pid) {
    free(m);
    return;
  }
  if (!m->ok) {
    free(m);
    give_up_merge(a);
    return;
  }
  uint64_t absorbed = m->pid;
  dvms_book_note(a->d->book, absorbed, 0, 0, 0, "merged");
  for (uint32_t i = 0; i < m->view.count; i++)
    dvms__view_add(&a->view, m->view.members[i]);
  if (m->view.hops > a->view.hops) a->view.hops = m->view.hops;
  free(m);
  free(a->held);
  a->held   = NULL;
  a->locked = false;
  a->view.version++;
  a->view.merges++;
  a->view.state = DVMS_GROWING;
  XBT_VERB("partition %u.%u absorbs %u.%u at PM %u: %u PMs", (unsigned)(a->view.pid >> 32),
           (unsigned)(a->view.pid & 0xffffffffu), (unsigned)(absorbed >> 32), (unsigned)(absorbed & 0xffffffffu), a->pm,
           a->view.count);
  update_members(a, absorbed);
}

void dvms__handle(dvms_agent_t* a, dvms_msg_t* m)
{
  XBT_DEBUG("PM %u gets message %d from PM %u", a->pm, m->kind, m->from);
  switch (m->kind) {
  case MSG_ISP:
    on_isp(a, m);
    return;
  case MSG_CHECK:
    on_check(a, m);
    return;
  case MSG_CHECK_REPLY:
    on_check_reply(a, m);
    return;
  case MSG_UPDATE:
    on_update(a, m);
    return;
  case MSG_ACK:
    on_ack(a, m);
    return;
  case MSG_MERGE_OFFER:
    on_merge_offer(a, m);
    return;
  case MSG_MERGE_ASK:
    on_merge_ask(a, m);
    return;
  case MSG_MERGE_REPLY:
    on_merge_reply(a, m);
    return;
  default:
    break;
  }
  /* STATE and DISSOLVE from an older view (an initiator that has not seen a merge yet) are ignored:
   * a member that acknowledged a newer view stays in it. */
  bool mine = dvms__booked(a) && a->view.pid == m->pid && (m->kind == MSG_KEEPALIVE || m->version >= a->view.version);
  int kind  = m->kind;
  free(m);
  if (!mine) return;
  if (kind == MSG_STATE) a->view.state = DVMS_BLOCKED;
  if (kind == MSG_DISSOLVE) {
    pass_held(a);
    dvms__reset(a, NULL);
  } else
    dvms__touch(a);
}

void dvms__on_timer(dvms_agent_t* a, dvms_timer_kind_t kind)
{
  dvms_t* d  = a->d;
  double now = sched_now(d->ctx);
  switch (kind) {
  case TIMER_DETECT: {                /* the monitor's tick: start an ISP if overloaded, free and not migrating */
    if (a->role != ROLE_FREE) return; /* leaving the partition re-arms the tick */
    sched_pm_info_t info;
    sched_pm_info(d->ctx, a->pm, &info);
    if (!info.online || info.viable) return;
    if (info.migrations_out > 0)
      dvms__arm_detect(a); /* VMPlaceS: a PM with a VM migrating does not start an ISP */
    else
      dvms__start_isp(a);
    return;
  }
  case TIMER_TIMEOUT:
    a->timeout_queued = false;
    if (!dvms__booked(a)) return;
    if (now + 1e-9 >= a->last_update_s + d->timeout_s) {
      XBT_DEBUG("PM %u: partition %u.%u silent for %.1f s", a->pm, (unsigned)(a->view.pid >> 32),
                (unsigned)(a->view.pid & 0xffffffffu), now - a->last_update_s);
      pass_held(a);
      dvms__reset(a, "timeout");
    } else {
      a->timeout_queued = true;
      dvms__arm(a, TIMER_TIMEOUT, a->last_update_s + d->timeout_s);
    }
    return;
  case TIMER_KEEPALIVE:
    if (a->role != ROLE_LEADER || a->phase != PH_COMPUTING) return;
    dvms__touch(a);
    dvms__arm(a, TIMER_KEEPALIVE, now + d->keepalive_s);
    if (d->keepalive_timed)
      dvms__keepalive_timed(a);
    else
      dvms__broadcast(a, MSG_KEEPALIVE, false, 0);
    return;
  case TIMER_HEARD:
    dvms__keepalive_heard(a);
    return;
  case TIMER_SUSPECT:
    dvms__member_suspected(a);
    return;
  case TIMER_ASK:
    if (a->role == ROLE_JOINING) {
      dvms__reset(a, NULL); /* the initiator never answered: the partition is gone */
    } else if (a->role == ROLE_LEADER && a->phase == PH_ACKS) {
      drop_unacked(a);
      leader_proceed(a);
    } else if (a->role == ROLE_LEADER && a->phase == PH_MERGING) {
      give_up_merge(a);
    }
    return;
  default:
    return;
  }
}

/* The failure detector suspects a's node (TIMER_SUSPECT, heartbeat_timeout after its last beat):
 * the leader of the partition it was in drops it from its view, as Akka rebuilds a partition without
 * a crashed member. Changes state only, sends nothing; a leader waiting for acknowledgements
 * re-checks them at once through its answer timer. */
void dvms__member_suspected(dvms_agent_t* a)
{
  if (a->lost_pid == 0 || a->lost_leader == a->pm) return;
  dvms_agent_t* l = &a->d->agents[a->lost_leader];
  if (l->role != ROLE_LEADER || l->view.pid != a->lost_pid) return;
  for (uint32_t i = 0; i < l->view.count; i++) {
    if (l->view.members[i] != a->pm) continue;
    if (l->phase == PH_ACKS) {
      if (l->acked[i] == 0 && --l->acks_missing == 0) dvms__arm(l, TIMER_ASK, sched_now(a->d->ctx));
      l->acked[i] = 2; /* removed by drop_unacked */
    } else {
      dvms__view_remove_at(&l->view, i);
    }
    return;
  }
}
