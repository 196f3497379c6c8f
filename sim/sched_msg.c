/* Messages between nodes over the simulated network, for schedulers (scheduler.h, "Messages"):
 * detached SimGrid mailbox sends, receives with a timeout, and plain transfers, and the count of
 * the bytes that crossed sites (sched_ctx_count_message). Not a protocol: what the payloads mean is
 * the scheduler's business. Engine side (sim/) only because it feeds the run's totals. */
#include "sched_ctx.h"

#include <simgrid/comm.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <stdlib.h>
#include <xbt/asserts.h>

/* What travels in the mailbox: the scheduler's payload and where it came from, so the receiver
 * knows both ends of the message. The network carries size_bytes, whatever the envelope's size. */
typedef struct sched_envelope {
  size_t from_node;
  double size_bytes;
  void* payload;
} sched_envelope_t;

/* Clean-up of a detached send never received: the payload goes with its envelope. */
static void envelope_free(void* data)
{
  sched_envelope_t* env = data;
  if (!env) return;
  free(env->payload);
  free(env);
}

int sched_send(sched_ctx_t* ctx, size_t from_node, const char* mailbox, void* payload, double size_bytes)
{
  if (!sched_node_is_up(ctx, from_node)) return SCHED_MSG_NODE_DOWN;
  xbt_assert(sg_host_self() == sched_node_host(ctx, from_node), "sched_send from node %zu called by an actor on %s",
             from_node, sg_host_get_name(sg_host_self()));
  sched_envelope_t* env = malloc(sizeof *env);
  xbt_assert(env, "out of memory");
  *env           = (sched_envelope_t){.from_node = from_node, .size_bytes = size_bytes, .payload = payload};
  sg_comm_t comm = sg_mailbox_put_init(sg_mailbox_by_name(mailbox), env, (long)size_bytes);
  sg_comm_detach(comm, envelope_free); /* starts it; an undelivered envelope is freed by SimGrid */
  return SCHED_MSG_OK;
}

int sched_recv(sched_ctx_t* ctx, size_t node, const char* mailbox, double timeout_s, void** payload)
{
  *payload = NULL;
  if (!sched_node_is_up(ctx, node)) return SCHED_MSG_NODE_DOWN;
  /* A zero timeout only polls: posting a receive that times out at once would cancel it, and with it a
   * send matched in the same instant (its payload would be lost). */
  if (timeout_s == 0 && !sg_mailbox_listen(mailbox)) return SCHED_MSG_TIMEOUT;
  void* data     = NULL;
  sg_comm_t comm = sg_mailbox_get_async(sg_mailbox_by_name(mailbox), &data);
  sg_error_t rc  = timeout_s <= 0 ? sg_comm_wait(comm) : sg_comm_wait_for(comm, timeout_s);
  if (rc != SG_OK) return SCHED_MSG_TIMEOUT;
  sched_envelope_t* env = data;
  sched_ctx_count_message(ctx, env->from_node, node, env->size_bytes); /* the bytes did travel */
  *payload = env->payload;
  free(env);
  return sched_node_is_up(ctx, node) ? SCHED_MSG_OK : SCHED_MSG_NODE_DOWN;
}

void sched_transfer(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes)
{
  if (from == to || size_bytes <= 0) return;
  sg_host_sendto(sched_node_host(ctx, from), sched_node_host(ctx, to), size_bytes);
  sched_ctx_count_message(ctx, from, to, size_bytes);
}
