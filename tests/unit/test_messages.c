/* Suite "messages": the scheduler messages (sim/sched_msg.c: sched_send, sched_recv,
 * sched_transfer, sched_transfer_gather, sched_message_transit) and their WAN byte count on real SimGrid runs: whole
 * runs (run_create_with + run_execute) in a forked child, with a test scheduler table whose actors each do one call at
 * a set time and record its result and the simulated clock around it. Times are exact: the network is idle but for the
 * test's own messages. Not a test of any scheduler's protocol. */
#include "run.h"
#include "sched_ctx.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 8
#define PMS 3 /* nodes 0-2 are PMs, 3-4 service nodes */
#define SVC0 3
#define SVC1 4

/* SimGrid 3.32's default network model (LV08, as in test_migration.c): between two nodes of the
 * generated cluster (both private links, 1 Gbps and 50 us each) a message of s bytes takes
 * 13.01 x 2 x 50 us + s / (0.97 x 125 MB/s). */
#define LATENCY_S (13.01 * 2 * 50e-6)
#define BANDWIDTH_BPS (0.97 * 125e6)
static double network_time(double bytes)
{
  return LATENCY_S + bytes / BANDWIDTH_BPS;
}

typedef enum { OP_SEND, OP_RECV, OP_TRANSFER, OP_GATHER, OP_NODE_DOWN, OP_TRANSIT } op_kind_t;

/* One call, made by its own actor on node `on`'s host at time at_s. */
typedef struct op {
  op_kind_t kind;
  int on;           /* node whose host runs the actor (a send must run on its from node) */
  double at_s;      /* the actor sleeps until then */
  int node;         /* send: from; recv: the receiving node; transfer, transit: from; node-down: the node */
  int to;           /* transfer, gather, transit: destination node */
  const char* mbox; /* send, recv */
  double bytes;     /* send, transfer; gather: from each PM */
  double timeout_s; /* recv */
  int value;        /* send: the payload's value */
} op_t;

typedef struct op_result {
  int ran;
  int rc;
  double begin_s, end_s; /* clock when the call was made and when it returned */
  int payload_set;       /* recv: *payload was written */
  int has_payload, value;
  double transit_s; /* transit: sched_message_transit's answer */
} op_result_t;

typedef struct scenario {
  op_t ops[MAX_OPS];
  int nops;
  int luc; /* 1: a LUC platform of 2 sites (PMs 0-1 and service node 3 in site 0, PM 2 and node 4 in site 1) */
  const char* platform_file; /* else a SimGrid platform file (platform.kind=file) */
} scenario_t;

typedef struct outcome {
  op_result_t res[MAX_OPS];
  double wan_message_bytes; /* the run's total (sched_ctx_totals) */
} outcome_t;

typedef struct child {
  const scenario_t* sc;
  outcome_t* out;
  lucsim_run_t* run;
} child_t;

typedef struct payload {
  int value;
} payload_t;

static void op_main(int argc, char* argv[])
{
  (void)argc;
  child_t* c       = sg_actor_self_get_data();
  sched_ctx_t* ctx = c->run->ctx;
  int i            = atoi(argv[1]);
  const op_t* op   = &c->sc->ops[i];
  op_result_t* r   = &c->out->res[i];
  sg_actor_sleep_until(op->at_s);
  r->begin_s = simgrid_get_clock();
  switch (op->kind) {
  case OP_SEND: {
    payload_t* p = malloc(sizeof *p);
    p->value     = op->value;
    r->rc        = sched_send(ctx, (size_t)op->node, op->mbox, p, op->bytes);
    if (r->rc != SCHED_MSG_OK) free(p); /* refused: still ours */
    break;
  }
  case OP_RECV: {
    static payload_t unset;
    void* p        = &unset; /* the call must set it: NULL or a payload */
    r->rc          = sched_recv(ctx, (size_t)op->node, op->mbox, op->timeout_s, &p);
    r->payload_set = p != &unset;
    r->has_payload = p && p != &unset;
    if (r->has_payload) {
      r->value = ((payload_t*)p)->value;
      free(p);
    }
    break;
  }
  case OP_TRANSFER:
    sched_transfer(ctx, (size_t)op->node, (size_t)op->to, op->bytes);
    break;
  case OP_GATHER: { /* from every PM, 0 to PMS - 1 */
    size_t from[PMS];
    double bytes[PMS];
    for (size_t k = 0; k < PMS; k++)
      from[k] = k, bytes[k] = op->bytes;
    sched_transfer_gather(ctx, from, bytes, PMS, (size_t)op->to);
    break;
  }
  case OP_NODE_DOWN:
    sched_ctx_node_event(ctx, (size_t)op->node, false); /* what run.c's injector hook does */
    break;
  case OP_TRANSIT:
    r->transit_s = sched_message_transit(ctx, (size_t)op->node, (size_t)op->to, op->bytes);
    break;
  }
  r->end_s = simgrid_get_clock();
  r->ran   = 1;
}

static int test_init(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)ctx, (void)err;
  *state = NULL; /* the child's, set by run_scenario */
  return 0;
}

static void test_start(sched_ctx_t* ctx, void* state)
{
  child_t* c = state;
  for (int i = 0; i < c->sc->nops; i++) {
    char name[16], index[12];
    snprintf(name, sizeof name, "op-%d", i);
    snprintf(index, sizeof index, "%d", i);
    char* argv[] = {name, index, NULL}; /* copied by SimGrid */
    sg_actor_t a = sg_actor_init(name, sched_node_host(ctx, (size_t)c->sc->ops[i].on));
    sg_actor_set_data(a, c);
    sg_actor_start(a, op_main, 2, argv);
  }
}

static const sched_ops_t test_ops = {
    .abi_version = SCHED_ABI_VERSION, .name = "messages-test", .init = test_init, .start = test_start};

static int run_scenario(void* arg, void* blob, size_t size)
{
  (void)size;
  const scenario_t* sc = arg;
  outcome_t* out       = blob;
  simrun_init_simgrid();
  char tmp[]    = "/tmp/lucsim-messages-XXXXXX";
  config_t* cfg = malloc(sizeof *cfg);
  int pms       = PMS;
  lucsim_err_t err;
  const char* flat[] = {"platform.service_nodes=2", "duration=60", NULL};
  const char* luc[]  = {"platform.service_nodes=2", "duration=60", "platform.kind=luc", "platform.sites=2", NULL};
  char file_set[512];
  snprintf(file_set, sizeof file_set, "platform.file=%s", sc->platform_file ? sc->platform_file : "");
  const char* file[]      = {"duration=60", "platform.kind=file", file_set, NULL};
  const char* const* sets = sc->platform_file ? file : sc->luc ? luc : flat;
  int rc                  = simrun_experiment(cfg, NULL, simrun_craft_small_cluster, &pms, sets, 4, tmp, &err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create_with(cfg, &test_ops, &err);
  if (!run) return 20;
  child_t c              = {.sc = sc, .out = out, .run = run};
  run->sched_state       = &c;
  rc                     = run_execute(run, &err) == 0 ? 0 : 21;
  out->wan_message_bytes = sched_ctx_totals(run->ctx)->wan_message_bytes;
  run->sched_state       = NULL;
  run_destroy(run);
  free(cfg);
  int rm = simrun_remove(tmp);
  return rc ? rc : rm;
}

static outcome_t run(const scenario_t* sc)
{
  outcome_t out;
  memset(&out, 0, sizeof out);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_scenario, (void*)sc, &out, sizeof out), 0);
  for (int i = 0; i < sc->nops; i++) {
    CU_ASSERT_EQUAL(out.res[i].ran, 1);
    if (sc->ops[i].kind == OP_RECV) CU_ASSERT_EQUAL(out.res[i].payload_set, 1);
  }
  return out;
}

static void test_messages_payload_arrives_after_the_network_time(void)
{
  /* PM 0 waits (no timeout) from 0 s; service node 3 sends 1 MB at 0.5 s: it returns at once and
   * the payload is received at 0.5 s + the transfer time of 1 MB between the two nodes. */
  scenario_t sc = {
      .nops = 2,
      .ops  = {{.kind = OP_RECV, .on = 0, .node = 0, .mbox = "pm-0", .timeout_s = -1},
               {.kind = OP_SEND, .on = SVC0, .at_s = 0.5, .node = SVC0, .mbox = "pm-0", .bytes = 1e6, .value = 42}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[1].rc, SCHED_MSG_OK);
  CU_ASSERT_DOUBLE_EQUAL(o.res[1].end_s, 0.5, 1e-12); /* detached: the sender does not wait */
  CU_ASSERT_EQUAL(o.res[0].rc, SCHED_MSG_OK);
  CU_ASSERT_TRUE(o.res[0].has_payload);
  CU_ASSERT_EQUAL(o.res[0].value, 42);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 0.5 + network_time(1e6), 1e-9);
  CU_ASSERT_EQUAL(o.wan_message_bytes, 0); /* one site */
}

static void test_messages_empty_message_takes_the_latency_only(void)
{
  scenario_t sc = {.nops = 2,
                   .ops  = {{.kind = OP_RECV, .on = 1, .node = 1, .mbox = "pm-1", .timeout_s = 10},
                            {.kind = OP_SEND, .on = SVC1, .at_s = 2, .node = SVC1, .mbox = "pm-1", .value = 7}}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].rc, SCHED_MSG_OK);
  CU_ASSERT_EQUAL(o.res[0].value, 7);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 2 + LATENCY_S, 1e-9);
}

static void test_messages_a_message_waits_for_its_receiver(void)
{
  /* Sent at 0.5 s to nobody; received from 3 s: the transfer starts when the receive is posted. */
  scenario_t sc = {
      .nops = 2,
      .ops  = {{.kind = OP_SEND, .on = SVC0, .at_s = 0.5, .node = SVC0, .mbox = "pm-2", .bytes = 1e6, .value = 5},
               {.kind = OP_RECV, .on = 2, .at_s = 3, .node = 2, .mbox = "pm-2", .timeout_s = 10}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[1].rc, SCHED_MSG_OK);
  CU_ASSERT_EQUAL(o.res[1].value, 5);
  CU_ASSERT_DOUBLE_EQUAL(o.res[1].end_s, 3 + network_time(1e6), 1e-9);
}

static void test_messages_receive_times_out_at_its_timeout(void)
{
  /* Nothing is sent: the receive posted at 1 s returns at exactly 1.25 s, payload NULL. */
  scenario_t sc = {.nops = 1,
                   .ops  = {{.kind = OP_RECV, .on = 0, .at_s = 1, .node = 0, .mbox = "m", .timeout_s = 0.25}}};
  outcome_t o   = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].rc, SCHED_MSG_TIMEOUT);
  CU_ASSERT_FALSE(o.res[0].has_payload);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].begin_s, 1.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 1.25, 1e-9);
}

static void test_messages_timeout_zero_polls(void)
{
  /* At 1 s nothing waits: TIMEOUT without time passing. At 2 s the message sent at 1.5 s waits:
   * the poll receives it, which takes its transfer (started at 2 s). */
  scenario_t sc = {
      .nops = 3,
      .ops  = {{.kind = OP_RECV, .on = 0, .at_s = 1, .node = 0, .mbox = "m", .timeout_s = 0},
               {.kind = OP_SEND, .on = SVC0, .at_s = 1.5, .node = SVC0, .mbox = "m", .bytes = 1e6, .value = 9},
               {.kind = OP_RECV, .on = 0, .at_s = 2, .node = 0, .mbox = "m", .timeout_s = 0}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].rc, SCHED_MSG_TIMEOUT);
  CU_ASSERT_FALSE(o.res[0].has_payload);
  CU_ASSERT_EQUAL(o.res[0].begin_s, 1.0);
  CU_ASSERT_EQUAL(o.res[0].end_s, 1.0);
  CU_ASSERT_EQUAL(o.res[2].rc, SCHED_MSG_OK);
  CU_ASSERT_EQUAL(o.res[2].value, 9);
  CU_ASSERT_DOUBLE_EQUAL(o.res[2].end_s, 2 + network_time(1e6), 1e-9);
}

static void test_messages_send_from_a_down_node_is_refused(void)
{
  /* Service node 4 sends at 0.095 s and is down from 0.1 s: that message, already on its way,
   * arrives (at 0.1046 s); its send at 0.5 s is refused (the payload stays the sender's: op_main
   * frees it), so PM 0's second receive, from 1 s, times out at 5 s with nothing. */
  scenario_t sc = {
      .nops = 5,
      .ops  = {{.kind = OP_SEND, .on = SVC1, .at_s = 0.095, .node = SVC1, .mbox = "m", .bytes = 1e6, .value = 1},
               {.kind = OP_NODE_DOWN, .on = SVC0, .at_s = 0.1, .node = SVC1},
               {.kind = OP_SEND, .on = SVC1, .at_s = 0.5, .node = SVC1, .mbox = "m", .bytes = 1e6, .value = 2},
               {.kind = OP_RECV, .on = 0, .node = 0, .mbox = "m", .timeout_s = -1},
               {.kind = OP_RECV, .on = 0, .at_s = 1, .node = 0, .mbox = "m", .timeout_s = 4}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].rc, SCHED_MSG_OK);
  CU_ASSERT_EQUAL(o.res[3].rc, SCHED_MSG_OK);
  CU_ASSERT_EQUAL(o.res[3].value, 1);
  CU_ASSERT_DOUBLE_EQUAL(o.res[3].end_s, 0.095 + network_time(1e6), 1e-9);
  CU_ASSERT_EQUAL(o.res[2].rc, SCHED_MSG_NODE_DOWN);
  CU_ASSERT_DOUBLE_EQUAL(o.res[2].end_s, 0.5, 1e-12); /* refused at once */
  CU_ASSERT_EQUAL(o.res[4].rc, SCHED_MSG_TIMEOUT);
  CU_ASSERT_FALSE(o.res[4].has_payload);
  CU_ASSERT_DOUBLE_EQUAL(o.res[4].end_s, 5.0, 1e-9);
}

static void test_messages_receive_on_a_down_node_reports_it(void)
{
  /* PM 1 is down from 0.1 s: its receive at 0.5 s returns NODE_DOWN at once, with no payload.
   * PM 2 waits from 0 s and goes down at 0.2 s: the message sent at 0.5 s still arrives, and the
   * receive reports NODE_DOWN with the payload (the caller's to free). */
  scenario_t sc = {
      .nops = 5,
      .ops  = {{.kind = OP_NODE_DOWN, .on = SVC0, .at_s = 0.1, .node = 1},
               {.kind = OP_RECV, .on = 1, .at_s = 0.5, .node = 1, .mbox = "pm-1", .timeout_s = 10},
               {.kind = OP_RECV, .on = 2, .node = 2, .mbox = "pm-2", .timeout_s = -1},
               {.kind = OP_NODE_DOWN, .on = SVC0, .at_s = 0.2, .node = 2},
               {.kind = OP_SEND, .on = SVC1, .at_s = 0.5, .node = SVC1, .mbox = "pm-2", .bytes = 1e6, .value = 3}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[1].rc, SCHED_MSG_NODE_DOWN);
  CU_ASSERT_FALSE(o.res[1].has_payload);
  CU_ASSERT_EQUAL(o.res[1].end_s, 0.5);
  CU_ASSERT_EQUAL(o.res[4].rc, SCHED_MSG_OK);
  CU_ASSERT_EQUAL(o.res[2].rc, SCHED_MSG_NODE_DOWN);
  CU_ASSERT_TRUE(o.res[2].has_payload);
  CU_ASSERT_EQUAL(o.res[2].value, 3);
  CU_ASSERT_DOUBLE_EQUAL(o.res[2].end_s, 0.5 + network_time(1e6), 1e-9);
}

static void test_messages_transfer_takes_the_time_of_the_transfer(void)
{
  /* An actor on service node 3 waits while 100 MB go from PM 0 to PM 1 (not its own host); to the
   * same node, or nothing, takes no time. */
  scenario_t sc = {.nops = 3,
                   .ops  = {{.kind = OP_TRANSFER, .on = SVC0, .at_s = 1, .node = 0, .to = 1, .bytes = 1e8},
                            {.kind = OP_TRANSFER, .on = SVC0, .at_s = 1, .node = 2, .to = 2, .bytes = 1e8},
                            {.kind = OP_TRANSFER, .on = SVC0, .at_s = 1, .node = 2, .to = 0, .bytes = 0}}};
  outcome_t o   = run(&sc);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s - o.res[0].begin_s, network_time(1e8), 1e-9);
  CU_ASSERT_EQUAL(o.res[1].end_s, 1.0);
  CU_ASSERT_EQUAL(o.res[2].end_s, 1.0);
}

static void test_messages_concurrent_transfers_share_a_link(void)
{
  /* Two 100 MB transfers leave service node 4 at 1 s (to PMs 1 and 2): its link is shared, each
   * gets half the bandwidth and both end at 1 s + latency + 2 x 100 MB / bandwidth. */
  scenario_t sc = {.nops = 2,
                   .ops  = {{.kind = OP_TRANSFER, .on = SVC0, .at_s = 1, .node = SVC1, .to = 1, .bytes = 1e8},
                            {.kind = OP_TRANSFER, .on = SVC0, .at_s = 1, .node = SVC1, .to = 2, .bytes = 1e8}}};
  outcome_t o   = run(&sc);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 1 + network_time(2e8), 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.res[1].end_s, 1 + network_time(2e8), 1e-9);
}

static void test_messages_wan_bytes_count_only_delivered_intersite_ones(void)
{
  /* Two sites: a message inside site 0 (1 MB, not counted), one from site 1 to site 0 (2 MB,
   * counted once received), one from site 1 that nobody receives (7 MB, never travels: not
   * counted), a transfer across sites (3 MB, counted) and one inside site 0 (5 MB, not counted). */
  scenario_t sc = {
      .luc  = 1,
      .nops = 6,
      .ops  = {{.kind = OP_SEND, .on = SVC0, .at_s = 1, .node = SVC0, .mbox = "pm-0", .bytes = 1e6, .value = 1},
               {.kind = OP_SEND, .on = SVC1, .at_s = 1, .node = SVC1, .mbox = "pm-1", .bytes = 2e6, .value = 2},
               {.kind = OP_SEND, .on = SVC1, .at_s = 1, .node = SVC1, .mbox = "nobody", .bytes = 7e6, .value = 3},
               {.kind = OP_RECV, .on = 0, .node = 0, .mbox = "pm-0", .timeout_s = 10},
               {.kind = OP_RECV, .on = 1, .node = 1, .mbox = "pm-1", .timeout_s = 10},
               {.kind = OP_TRANSFER, .on = SVC0, .at_s = 2, .node = 0, .to = 2, .bytes = 3e6}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[3].value, 1);
  CU_ASSERT_EQUAL(o.res[4].value, 2);
  CU_ASSERT_DOUBLE_EQUAL(o.wan_message_bytes, 2e6 + 3e6, 1e-6);
  scenario_t local = {
      .luc = 1, .nops = 1, .ops = {{.kind = OP_TRANSFER, .on = SVC0, .at_s = 2, .node = 0, .to = 1, .bytes = 5e6}}};
  CU_ASSERT_EQUAL(run(&local).wan_message_bytes, 0);
}

static void test_messages_gather_runs_its_transfers_at_once(void)
{
  /* 100 MB from each of the 3 PMs to service node 3 at 1 s: the three flows start together and
   * share its link, so all end at 1 s + latency + 3 x 100 MB / bandwidth (one after the other
   * would add two latencies). To PM 2 at 5 s: its own entry is skipped, two flows share its link. */
  scenario_t sc = {.nops = 2,
                   .ops  = {{.kind = OP_GATHER, .on = SVC0, .at_s = 1, .to = SVC0, .bytes = 1e8},
                            {.kind = OP_GATHER, .on = SVC0, .at_s = 5, .to = 2, .bytes = 1e8}}};
  outcome_t o   = run(&sc);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 1 + network_time(3e8), 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.res[1].end_s, 5 + network_time(2e8), 1e-9);
}

static void test_messages_transit_is_the_time_of_a_lone_message(void)
{
  /* sched_message_transit against real messages on two sites: 1 MB from site 1's service node to
   * PM 0 at 1 s (across the backbone), 1 kB inside site 0 at 3 s; and 0 from a node to itself. */
  scenario_t sc = {
      .luc  = 1,
      .nops = 7,
      .ops  = {{.kind = OP_RECV, .on = 0, .node = 0, .mbox = "pm-0", .timeout_s = 10},
               {.kind = OP_SEND, .on = SVC1, .at_s = 1, .node = SVC1, .mbox = "pm-0", .bytes = 1e6, .value = 1},
               {.kind = OP_RECV, .on = 1, .node = 1, .mbox = "pm-1", .timeout_s = 10},
               {.kind = OP_SEND, .on = SVC0, .at_s = 3, .node = SVC0, .mbox = "pm-1", .bytes = 1e3, .value = 2},
               {.kind = OP_TRANSIT, .on = 0, .node = SVC1, .to = 0, .bytes = 1e6},
               {.kind = OP_TRANSIT, .on = 0, .node = SVC0, .to = 1, .bytes = 1e3},
               {.kind = OP_TRANSIT, .on = 0, .node = 2, .to = 2, .bytes = 1e6}}};
  outcome_t o = run(&sc);
  CU_ASSERT_EQUAL(o.res[0].value, 1);
  CU_ASSERT_EQUAL(o.res[2].value, 2);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].end_s, 1 + o.res[4].transit_s, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.res[2].end_s, 3 + o.res[5].transit_s, 1e-9);
  CU_ASSERT(o.res[4].transit_s > network_time(1e6)); /* the backbone's hops add latency */
  CU_ASSERT_EQUAL(o.res[6].transit_s, 0);
  /* one site: the formula above, the same when asked again (the route then comes from the memo) */
  scenario_t flat = {.nops = 2,
                     .ops  = {{.kind = OP_TRANSIT, .on = 0, .node = SVC0, .to = 1, .bytes = 1e3},
                              {.kind = OP_TRANSIT, .on = 0, .at_s = 1, .node = SVC0, .to = 1, .bytes = 1e3}}};
  outcome_t f     = run(&flat);
  CU_ASSERT_DOUBLE_EQUAL(f.res[0].transit_s, network_time(1e3), 1e-12);
  CU_ASSERT_EQUAL(f.res[1].transit_s, f.res[0].transit_s);
}

/* A platform file of PMs pm-0..2 and service nodes svc-0..1 whose routes all cross one link "lan"
 * (125 MBps, 50 us) that a latency profile sets to 1 ms at t = 5 s. Returns its folder's path. */
static void write_profiled_platform(char* dir, char* path, size_t size)
{
  snprintf(dir, 64, "/tmp/lucsim-messages-plat-XXXXXX");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  char profile[128];
  snprintf(profile, sizeof profile, "%s/lan-latency.txt", dir);
  FILE* f = fopen(profile, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("5 0.001\n", f);
  fclose(f);
  snprintf(path, size, "%s/platform.xml", dir);
  f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  const char* hosts[] = {"pm-0", "pm-1", "pm-2", "svc-0", "svc-1"};
  fprintf(f, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
             "<platform version=\"4.1\">\n<zone id=\"z\" routing=\"Full\">\n");
  for (int h = 0; h < 5; h++)
    fprintf(f, "  <host id=\"%s\" speed=\"1Gf\" core=\"8\">%s</host>\n", hosts[h],
            h >= 3 ? "<prop id=\"lucsim_role\" value=\"service\"/>" : "");
  /* named relative to the platform file: SimGrid 3.32 looks a profile up in the current folder, then the file's */
  fputs("  <link id=\"lan\" bandwidth=\"125MBps\" latency=\"50us\" latency_file=\"lan-latency.txt\"/>\n", f);
  for (int a = 0; a < 5; a++)
    for (int b = a + 1; b < 5; b++)
      fprintf(f, "  <route src=\"%s\" dst=\"%s\"><link_ctn id=\"lan\"/></route>\n", hosts[a], hosts[b]);
  fputs("</zone>\n</platform>\n", f);
  fclose(f);
}

static void test_messages_transit_follows_a_link_whose_latency_changes(void)
{
  /* The same route before and after its link's latency profile moves it from 50 us to 1 ms: the
   * second answer must come from SimGrid again, not from what sched_message_transit kept of the first. */
  char dir[64], path[128];
  write_profiled_platform(dir, path, sizeof path);
  scenario_t sc = {.platform_file = path,
                   .nops          = 2,
                   .ops           = {{.kind = OP_TRANSIT, .on = 0, .at_s = 1, .node = 0, .to = 1, .bytes = 1e3},
                                     {.kind = OP_TRANSIT, .on = 0, .at_s = 10, .node = 0, .to = 1, .bytes = 1e3}}};
  outcome_t o   = run(&sc);
  CU_ASSERT_DOUBLE_EQUAL(o.res[0].transit_s, 13.01 * 50e-6 + 1e3 / BANDWIDTH_BPS, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(o.res[1].transit_s, 13.01 * 1e-3 + 1e3 / BANDWIDTH_BPS, 1e-12);
  CU_ASSERT_EQUAL(simrun_remove(dir), 0);
}

CU_TestInfo messages_tests[] = {
    {"payload_arrives_after_the_network_time", test_messages_payload_arrives_after_the_network_time},
    {"empty_message_takes_the_latency_only", test_messages_empty_message_takes_the_latency_only},
    {"a_message_waits_for_its_receiver", test_messages_a_message_waits_for_its_receiver},
    {"receive_times_out_at_its_timeout", test_messages_receive_times_out_at_its_timeout},
    {"timeout_zero_polls", test_messages_timeout_zero_polls},
    {"send_from_a_down_node_is_refused", test_messages_send_from_a_down_node_is_refused},
    {"receive_on_a_down_node_reports_it", test_messages_receive_on_a_down_node_reports_it},
    {"transfer_takes_the_time_of_the_transfer", test_messages_transfer_takes_the_time_of_the_transfer},
    {"concurrent_transfers_share_a_link", test_messages_concurrent_transfers_share_a_link},
    {"wan_bytes_count_only_delivered_intersite_ones", test_messages_wan_bytes_count_only_delivered_intersite_ones},
    {"gather_runs_its_transfers_at_once", test_messages_gather_runs_its_transfers_at_once},
    {"transit_is_the_time_of_a_lone_message", test_messages_transit_is_the_time_of_a_lone_message},
    {"transit_follows_a_link_whose_latency_changes", test_messages_transit_follows_a_link_whose_latency_changes},
    CU_TEST_INFO_NULL,
};
