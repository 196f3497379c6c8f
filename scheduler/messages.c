/* Messages between nodes over the simulated network, for schedulers (scheduler.h, "Messages"):
 * detached SimGrid mailbox sends, receives with a timeout, and plain transfers. Built only on the
 * public API and SimGrid's C API. Not a protocol: what the payloads mean is the scheduler's business. */
#include "scheduler.h"

#include <simgrid/comm.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <stdlib.h>
#include <xbt/asserts.h>

int sched_send(sched_ctx_t* ctx, size_t from_node, const char* mailbox, void* payload, double size_bytes)
{
  if (!sched_node_is_up(ctx, from_node)) return SCHED_MSG_NODE_DOWN;
  xbt_assert(sg_host_self() == sched_node_host(ctx, from_node), "sched_send from node %zu called by an actor on %s",
             from_node, sg_host_get_name(sg_host_self()));
  sg_comm_t comm = sg_mailbox_put_init(sg_mailbox_by_name(mailbox), payload, (long)size_bytes);
  sg_comm_detach(comm, free); /* starts it; an undelivered payload is freed by SimGrid */
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
  *payload = data;
  return sched_node_is_up(ctx, node) ? SCHED_MSG_OK : SCHED_MSG_NODE_DOWN;
}

void sched_transfer(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes)
{
  if (from == to || size_bytes <= 0) return;
  sg_host_sendto(sched_node_host(ctx, from), sched_node_host(ctx, to), size_bytes);
}
