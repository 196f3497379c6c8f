/* Messages between nodes over the simulated network, for schedulers (scheduler.h, "Messages"):
 * detached SimGrid mailbox sends, receives with a timeout, and plain transfers (one, or several
 * converging on one node at once), and the count of the bytes that crossed sites
 * (sched_ctx_count_message); and which nodes reach each other when backbone links fail
 * (scheduler.h, "Reachability"). Not a protocol: what the payloads mean is the scheduler's
 * business. Engine side (sim/) only because it feeds the run's totals. */
#include "islands.h"
#include "sched_ctx.h"
#include "sched_ctx_internal.h"

#include <simgrid/comm.h>
#include <simgrid/host.h>
#include <simgrid/actor.h>
#include <simgrid/mailbox.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/config.h>

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

bool sched_nodes_reach(const sched_ctx_t* ctx, size_t node_a, size_t node_b)
{
  const islands_t* is = sched_ctx_islands(ctx);
  return !is || islands_sites_reach(is, sched_node_site(ctx, node_a), sched_node_site(ctx, node_b));
}

double sched_nodes_apart_since(const sched_ctx_t* ctx, size_t node_a, size_t node_b)
{
  const islands_t* is = sched_ctx_islands(ctx);
  return is ? islands_separated_since(is, sched_node_site(ctx, node_a), sched_node_site(ctx, node_b)) : -1;
}

size_t sched_island_count(const sched_ctx_t* ctx)
{
  const islands_t* is = sched_ctx_islands(ctx);
  return is ? islands_count(is) : 1;
}

bool sched_backbone_has_split(const sched_ctx_t* ctx)
{
  const islands_t* is = sched_ctx_islands(ctx);
  return is && islands_ever_split(is);
}

size_t sched_node_island(const sched_ctx_t* ctx, size_t node)
{
  const islands_t* is = sched_ctx_islands(ctx);
  return is ? islands_of_site(is, sched_node_site(ctx, node)) : 0;
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
  double deadline = timeout_s > 0 ? sched_now(ctx) + timeout_s : timeout_s;
  for (bool first = true;; first = false) {
    /* A zero timeout only polls: posting a receive that times out at once would cancel it, and with it a
     * send matched in the same instant (its payload would be lost). */
    if (timeout_s == 0 && !sg_mailbox_listen(mailbox)) return SCHED_MSG_TIMEOUT;
    double wait_s = timeout_s > 0 && !first ? deadline - sched_now(ctx) : timeout_s;
    if (timeout_s > 0 && wait_s <= 0) return SCHED_MSG_TIMEOUT; /* the rest of the wait went on lost messages */
    void* data     = NULL;
    sg_comm_t comm = sg_mailbox_get_async(sg_mailbox_by_name(mailbox), &data);
    sg_error_t rc  = wait_s <= 0 ? sg_comm_wait(comm) : sg_comm_wait_for(comm, wait_s);
    if (rc != SG_OK) return SCHED_MSG_TIMEOUT;
    sched_envelope_t* env = data;
    if (!sched_nodes_reach(ctx, env->from_node, node)) { /* sent across a split: lost on the way */
      envelope_free(env);
      continue;
    }
    sched_ctx_count_message(ctx, env->from_node, node, env->size_bytes); /* the bytes did travel */
    *payload = env->payload;
    free(env);
    return sched_node_is_up(ctx, node) ? SCHED_MSG_OK : SCHED_MSG_NODE_DOWN;
  }
}

/* A route's latency and bandwidth, from SimGrid (two route computations: a tenth of DVMS's time
 * with timed messages at 100K PMs) or from a direct-mapped memo on (from, to) that keeps SimGrid's answers:
 * the same doubles, so no result depends on the memo. Only where links never change (plat_links_fixed). */
static void route_of(sched_ctx_t* ctx, size_t from, size_t to, double* latency, double* bandwidth)
{
  struct sched_route_memo* m = NULL;
  if (ctx->route_memo) { /* Fibonacci hashing: the top bits of the key times 2^64 / golden ratio */
    uint64_t key = ((uint64_t)from << 32 | to) * UINT64_C(0x9E3779B97F4A7C15);
    m            = &ctx->route_memo[key >> (64 - SCHED_ROUTE_MEMO_BITS)];
    if (m->from == from && m->to == to) {
      *latency = m->latency, *bandwidth = m->bandwidth;
      return;
    }
  }
  sg_host_t a = sched_node_host(ctx, from), b = sched_node_host(ctx, to);
  *latency   = sg_host_get_route_latency(a, b);
  *bandwidth = sg_host_get_route_bandwidth(a, b);
  if (m) *m = (struct sched_route_memo){(uint32_t)from, (uint32_t)to, *latency, *bandwidth};
}

double sched_message_transit(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes)
{
  if (from == to) return 0.0;
  if (!ctx->transit_ready) { /* the first call: the same factors as SimGrid applies to every flow (LV08:
                              * 13.01, 0.97), and the memo where links never change */
    ctx->transit_ready    = true;
    ctx->latency_factor   = sg_cfg_get_double("network/latency-factor");
    ctx->bandwidth_factor = sg_cfg_get_double("network/bandwidth-factor");
    if (plat_links_fixed(ctx->run->plat)) {
      ctx->route_memo = malloc(SCHED_ROUTE_MEMO_SIZE * sizeof *ctx->route_memo);
      xbt_assert(ctx->route_memo, "out of memory");
      for (size_t i = 0; i < SCHED_ROUTE_MEMO_SIZE; i++)
        ctx->route_memo[i].from = UINT32_MAX;
    }
  }
  double latency, bandwidth;
  route_of(ctx, from, to, &latency, &bandwidth);
  return latency * ctx->latency_factor + size_bytes / (bandwidth * ctx->bandwidth_factor);
}

void sched_count_message(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes)
{
  sched_ctx_count_message(ctx, from, to, size_bytes);
}

void sched_transfer(sched_ctx_t* ctx, size_t from, size_t to, double size_bytes)
{
  if (from == to || size_bytes <= 0 || !sched_nodes_reach(ctx, from, to)) return;
  sg_host_sendto(sched_node_host(ctx, from), sched_node_host(ctx, to), size_bytes);
  sched_ctx_count_message(ctx, from, to, size_bytes);
}

/* One flow of sched_transfer_gather, in its own actor (on the sending host). */
typedef struct gather_flow {
  sg_host_t from, to;
  double bytes;
  sg_sem_t done;
} gather_flow_t;

static void gather_flow_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  gather_flow_t* f = sg_actor_self_get_data();
  sg_host_sendto(f->from, f->to, f->bytes);
  sg_sem_release(f->done);
}

void sched_transfer_gather(sched_ctx_t* ctx, const size_t* from, const double* size_bytes, size_t count, size_t to)
{
  if (count == 1) sched_transfer(ctx, from[0], to, size_bytes[0]);
  if (count <= 1) return;
  bool* skip = calloc(count, sizeof *skip); /* no flow from the same node, of nothing, or across a split */
  xbt_assert(skip, "out of memory");
  for (size_t i = 0; i < count; i++)
    skip[i] = from[i] == to || size_bytes[i] <= 0 || !sched_nodes_reach(ctx, from[i], to);
  gather_flow_t* flows = calloc(count, sizeof *flows);
  xbt_assert(flows, "out of memory");
  sg_sem_t done  = sg_sem_init(0);
  size_t started = 0;
  for (size_t i = 0; i < count; i++) {
    if (skip[i]) continue;
    flows[i] = (gather_flow_t){
        .from = sched_node_host(ctx, from[i]), .to = sched_node_host(ctx, to), .bytes = size_bytes[i], .done = done};
    sg_actor_t ac = sg_actor_init("gather-flow", flows[i].from);
    sg_actor_set_data(ac, &flows[i]);
    sg_actor_start(ac, gather_flow_main, 0, NULL);
    started++;
  }
  for (size_t i = 0; i < started; i++)
    sg_sem_acquire(done);
  for (size_t i = 0; i < count; i++)
    if (!skip[i]) sched_ctx_count_message(ctx, from[i], to, size_bytes[i]);
  sg_sem_destroy(done);
  free(flows);
  free(skip);
}
