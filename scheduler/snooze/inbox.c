/* A service node's inbox: one reader actor receives, without a timeout, from the mailbox the node
 * serves (its own as a GM, the entry point as the GL) and queues what arrives; the node's main
 * actor waits on the queue's semaphore, with a timeout until its next beat. Why: a SimGrid receive
 * whose timeout expires while its message is on the wire cancels the message. With receive
 * timeouts at every beat, a message arriving across a beat was lost: at 100,000 PMs the summary of
 * the GM beating 1 ms before the GL never reached it (docs/SNOOZE.md, "Known limits"). A
 * semaphore's timeout cancels nothing. */
#include "snooze_internal.h"

#include <simgrid/actor.h>
#include <simgrid/mailbox.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

static void inbox_push(snooze_inbox_t* in, void* message)
{
  if (in->count == in->cap) { /* a ring: grow and unwrap */
    size_t cap = in->cap ? 2 * in->cap : 16;
    void** q   = malloc(cap * sizeof *q);
    xbt_assert(q, "out of memory");
    for (size_t i = 0; i < in->count; i++)
      q[i] = in->queue[(in->head + i) % in->cap];
    free(in->queue);
    in->queue = q;
    in->cap   = cap;
    in->head  = 0;
  }
  in->queue[(in->head + in->count++) % in->cap] = message;
  sg_sem_release(in->ready);
}

static void* inbox_pop(snooze_inbox_t* in)
{
  void* m  = in->queue[in->head];
  in->head = (in->head + 1) % in->cap;
  in->count--;
  return m;
}

/* The reader: bound to its mailbox (messages travel as soon as sent), it receives while the node
 * is up; a dead node reads nothing, what arrives meanwhile waits in the mailbox. */
static void reader_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_svc_t* s = sg_actor_self_get_data();
  snooze_t* sz    = s->sz;
  char mailbox[SNOOZE_NAME_MAX];
  memcpy(mailbox, s->inbox.mailbox, sizeof mailbox);
  sg_mailbox_set_receiver(mailbox);
  for (;;) {
    while (!sched_node_is_up(sz->ctx, s->node))
      sg_actor_sleep_for(sz->period_s);
    void* p = NULL;
    int rc  = sched_recv(sz->ctx, s->node, mailbox, -1, &p);
    if (rc == SCHED_MSG_OK)
      inbox_push(&s->inbox, p);
    else
      free(p); /* arrived as the node died */
  }
}

void snooze__inbox_serve(snooze_svc_t* s, const char* mailbox)
{
  snooze_inbox_t* in = &s->inbox;
  if (in->reader && strcmp(in->mailbox, mailbox) == 0) return;
  if (!in->ready) in->ready = sg_sem_init(0);
  if (in->reader) sg_actor_kill(in->reader); /* a message on its way to the old mailbox waits there */
  snprintf(in->mailbox, sizeof in->mailbox, "%s", mailbox);
  in->reader = sg_actor_init("snooze-reader", sched_node_host(s->sz->ctx, s->node));
  sg_actor_set_data(in->reader, s);
  sg_actor_start(in->reader, reader_main, 0, NULL);
}

int snooze__inbox_recv(snooze_svc_t* s, double wait_s, void** payload)
{
  snooze_inbox_t* in = &s->inbox;
  sched_ctx_t* ctx   = s->sz->ctx;
  *payload           = NULL;
  if (!sched_node_is_up(ctx, s->node)) return SCHED_MSG_NODE_DOWN;
  if (wait_s > SNOOZE_MIN_WAIT_S) {
    if (sg_sem_acquire_timeout(in->ready, wait_s) != 0) return SCHED_MSG_TIMEOUT;
  } else if (sg_sem_would_block(in->ready))
    return SCHED_MSG_TIMEOUT;
  else
    sg_sem_acquire(in->ready);
  *payload = inbox_pop(in);
  return sched_node_is_up(ctx, s->node) ? SCHED_MSG_OK : SCHED_MSG_NODE_DOWN;
}

void snooze__inbox_free(snooze_inbox_t* in)
{
  while (in->count > 0)
    free(inbox_pop(in));
  free(in->queue);
}
