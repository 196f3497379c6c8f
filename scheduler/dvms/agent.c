/* Small operations on one DVMS agent that every protocol step uses: its activity time (which arms
 * the partition timeout), whether it is booked, notes on its partition, and what it sends: replies,
 * copies to every member of its view, and forwarding the ISP token. Not the protocol's decisions
 * (protocol.c) nor the mailboxes and timers themselves (dvms.c). */
#include "dvms/dvms.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(dvms);

void dvms__touch(dvms_agent_t* a)
{
  a->last_update_s = sched_now(a->d->ctx);
  if (!a->timeout_queued) {
    a->timeout_queued = true;
    dvms__arm(a, TIMER_TIMEOUT, a->last_update_s + a->d->timeout_s);
  }
}

bool dvms__booked(const dvms_agent_t* a)
{
  return a->role == ROLE_MEMBER || a->role == ROLE_LEADER;
}

void dvms__note(dvms_agent_t* a, const char* reason)
{
  dvms_book_note(a->d->book, a->view.pid, a->view.count, a->view.hops, a->view.merges, reason);
}

dvms_msg_t* dvms__reply(dvms_agent_t* a, dvms_msg_kind_t kind, uint64_t pid, uint32_t version, int ok)
{
  dvms_msg_t* m = dvms__msg(a, kind, NULL);
  m->pid        = pid;
  m->version    = version;
  m->ok         = ok;
  return m;
}

/* Sends a copy of kind (with view v when with_view) to every member of v but the agent. The member
 * list is copied first: the sends may let other actors run and change the agent's view. */
void dvms__broadcast_view(dvms_agent_t* a, const dvms_view_t* v, dvms_msg_kind_t kind, bool with_view,
                          uint64_t absorbed)
{
  uint32_t n     = v->count;
  uint32_t* to   = malloc((n ? n : 1) * sizeof *to);
  dvms_msg_t* mm = dvms__msg(a, kind, with_view ? v : NULL);
  xbt_assert(to, "out of memory");
  memcpy(to, v->members, n * sizeof *to);
  mm->pid      = v->pid;
  mm->version  = v->version;
  mm->absorbed = absorbed;
  size_t bytes = sizeof *mm + (with_view ? n * sizeof(uint32_t) : 0);
  uint32_t me  = a->pm;
  for (uint32_t i = 0; i < n; i++) {
    if (to[i] == me) continue;
    dvms_msg_t* c = malloc(bytes);
    xbt_assert(c, "out of memory");
    memcpy(c, mm, bytes);
    if (with_view) c->view.members = c->tail;
    dvms__send(a, to[i], c);
  }
  free(mm);
  free(to);
}

void dvms__broadcast(dvms_agent_t* a, dvms_msg_kind_t kind, bool with_view, uint64_t absorbed)
{
  dvms__broadcast_view(a, &a->view, kind, with_view, absorbed);
}

void dvms__forward(dvms_agent_t* a, dvms_msg_t* token, uint32_t to)
{
  token->view.hops++;
  dvms_book_note(a->d->book, token->view.pid, 0, token->view.hops, 0, NULL);
  token->kind = MSG_ISP;
  XBT_DEBUG("PM %u forwards ISP %u.%u to PM %u", a->pm, (unsigned)(token->view.pid >> 32),
            (unsigned)(token->view.pid & 0xffffffffu), to);
  dvms__send(a, to, token);
}

/* keepalive=timed. A KEEPALIVE only tells a member that its partition lives: it changes nothing but
 * the member's partition timeout. At a million VMs they were more than half of DVMS's messages, each
 * a SimGrid flow (docs/DVMS.md, "Timed keepalives"). Here each reaches its member through the timer
 * heap after the transit of a lone message on its route (sched_message_transit): the same arrival as
 * a flow on idle links, without contention. Counted as messages all the same. One on its way per
 * member: a later one meanwhile is dropped (only when the transit exceeds keepalive_period). */
void dvms__keepalive_timed(dvms_agent_t* a)
{
  dvms_t* d        = a->d;
  double now       = sched_now(d->ctx);
  dvms_stats_t* st = dvms_book_stats(d->book);
  for (uint32_t i = 0; i < a->view.count; i++) {
    dvms_agent_t* b = &d->agents[a->view.members[i]];
    if (b == a) continue;
    st->messages++;
    st->message_bytes += d->message_bytes;
    if (b->deadline[TIMER_HEARD] >= 0) continue;
    b->heard_from   = a->pm;
    b->heard_pid    = a->view.pid;
    b->heard_sent_s = now;
    dvms__arm(b, TIMER_HEARD, now + sched_message_transit(d->ctx, a->pm, b->pm, d->message_bytes));
  }
}

/* As the agent takes a KEEPALIVE from its mailbox (dvms.c, agent_main; protocol.c, dvms__handle):
 * lost across a split, counted, dropped if sent before the member came back, else it touches. */
void dvms__keepalive_heard(dvms_agent_t* a)
{
  sched_ctx_t* ctx = a->d->ctx;
  if (!sched_nodes_reach(ctx, a->heard_from, a->pm)) return;
  sched_count_message(ctx, a->heard_from, a->pm, a->d->message_bytes);
  if (a->heard_sent_s < a->up_since) return;
  if (dvms__booked(a) && a->view.pid == a->heard_pid) dvms__touch(a);
}
