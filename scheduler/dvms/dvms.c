/* The distributed DVMS scheduler (Quesnel, Lebre, Sudholt; docs/REFERENCES.md §7; docs/DVMS.md):
 * one agent per PM on a ring ordered by PM index, partitions grown by Iterative Scheduling
 * Procedures and solved by the shared core. This file holds the actors and the timer queue: each
 * agent is one actor blocked on its mailbox; every timer (monitor tick, partition timeout,
 * keep-alive, answer timeout) of every agent sits in one heap served by one timer actor. The
 * protocol's rules are in protocol.c, the booking checker and metrics in book.c. */
#include "dvms/dvms.h"

#include <math.h>
#include <simgrid/actor.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(dvms, lucsim, "DVMS: distributed scheduler on a ring of PM agents");

/* Sets agent a's timer kind to fire at at_s; an earlier setting of that kind is superseded. */
void dvms__arm(dvms_agent_t* a, dvms_timer_kind_t kind, double at_s)
{
  dvms_t* d         = a->d;
  a->deadline[kind] = at_s;
  sched_timer_arm(&d->timers,
                  (sched_timer_t){.at_s = at_s, .seq = d->timer_seq++, .node = a->pm, .kind = (uint8_t)kind});
}

/* The monitor's detection latency: a violation is seen at the next tick of a periodic monitor
 * (ticks at k x monitor_period for every PM), strictly after now. */
void dvms__arm_detect(dvms_agent_t* a)
{
  double now  = sched_now(a->d->ctx);
  double tick = (floor(now / a->d->monitor_period_s) + 1) * a->d->monitor_period_s;
  if (a->deadline[TIMER_DETECT] > now && a->deadline[TIMER_DETECT] <= tick) return; /* already armed */
  dvms__arm(a, TIMER_DETECT, tick);
}

/* The size of m on the network: message_bytes plus 8 bytes per member of a carried view. */
static double msg_bytes(const dvms_t* d, const dvms_msg_t* m)
{
  return d->message_bytes + 8.0 * m->view.count;
}

/* a takes m (NULL: none): dropped when sent before a came back up, else handled. */
static void take_message(dvms_agent_t* a, dvms_msg_t* m)
{
  if (!m || m->sent_s < a->up_since) {
    free(m);
    return;
  }
  if (m->view.count) m->view.members = m->tail;
  dvms__handle(a, m);
}

/* messages=timed: m reaches a, as agent_main would take it from its mailbox: lost across a split,
 * its bytes counted, dropped by a node that is down, then taken, by the timer actor wherever it
 * stands (what a sends in turn is timed too: no flow leaves a host). */
static void deliver_timed(dvms_agent_t* a, dvms_msg_t* m)
{
  sched_ctx_t* ctx = a->d->ctx;
  bool reached     = sched_nodes_reach(ctx, m->from, a->pm);
  if (reached) sched_count_message(ctx, m->from, a->pm, msg_bytes(a->d, m));
  if (!reached || !sched_node_is_up(ctx, a->pm)) {
    free(m);
    return;
  }
  take_message(a, m);
}

/* At 100K PMs, reading a timer's agent record (a cache miss) was most of timer_main's time: the
 * agent of a timer a few places behind in the same ring starts coming early. A hint only. */
enum { TIMER_FETCH_AHEAD = 4 };
static void fetch_ahead(const dvms_t* d, uint8_t kind)
{
  const sched_timer_t* later = sched_timer_ahead(&d->timers, kind, TIMER_FETCH_AHEAD);
  if (!later) return;
  __builtin_prefetch(&d->agents[later->node].deadline[later->kind < TIMER_KINDS ? later->kind : 0]);
  if (later->data) __builtin_prefetch(later->data);
}

/* One actor serves every agent's timers. With flows, before acting for a PM it moves to that PM's
 * host (sg_actor_set_host), so what it sends leaves from that PM: it stands for each PM's local
 * timer without 10K actors waking up every period. */
static void timer_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  dvms_t* d = sg_actor_self_get_data();
  for (;;) {
    sched_timer_t t = sched_timer_next(&d->timers);
    fetch_ahead(d, t.kind);
    dvms_agent_t* a = &d->agents[t.node];
    if (t.kind == TIMER_DELIVER) {
      deliver_timed(a, t.data);
      continue;
    }
    if (a->deadline[t.kind] != t.at_s) continue; /* superseded or cancelled */
    a->deadline[t.kind] = -1;
    if (t.kind == TIMER_TIMEOUT) a->timeout_queued = false;
    if (!sched_node_is_up(d->ctx, t.node) && t.kind != TIMER_SUSPECT) continue; /* a dead node's own timers */
    if (t.kind != TIMER_HEARD && !d->messages_timed)                            /* what it sends leaves from t.node */
      sg_actor_set_host(sg_actor_self(), sched_pm_host(d->ctx, t.node));
    dvms__on_timer(a, (dvms_timer_kind_t)t.kind);
  }
}

/* ---- messages ---- */

dvms_msg_t* dvms__msg(dvms_agent_t* a, dvms_msg_kind_t kind, const dvms_view_t* view)
{
  uint32_t n    = view ? view->count : 0;
  dvms_msg_t* m = calloc(1, sizeof *m + n * sizeof(uint32_t));
  xbt_assert(m, "out of memory");
  m->kind = (uint8_t)kind;
  m->from = a->pm;
  if (view) {
    m->view         = *view;
    m->view.members = m->tail;
    m->view.cap     = n;
    memcpy(m->tail, view->members, n * sizeof(uint32_t));
    m->pid     = view->pid;
    m->version = view->version;
  }
  return m;
}

/* Sends m (owned by the receiver from now on) from a's PM to PM to: message_bytes plus 8 bytes per
 * member of a carried view. A refused send (a's node is down) drops m. */
void dvms__send(dvms_agent_t* a, uint32_t to, dvms_msg_t* m)
{
  dvms_t* d        = a->d;
  m->from          = a->pm;
  m->sent_s        = sched_now(d->ctx);
  double bytes     = msg_bytes(d, m);
  dvms_stats_t* st = dvms_book_stats(d->book);
  st->messages++;
  st->message_bytes += bytes;
  if (d->messages_timed) { /* docs/DVMS.md, "Timed messages" */
    if (!sched_node_is_up(d->ctx, a->pm)) {
      free(m);
      return;
    }
    double at_s = m->sent_s + sched_message_transit(d->ctx, a->pm, to, bytes);
    sched_timer_arm(&d->timers,
                    (sched_timer_t){.at_s = at_s, .seq = d->timer_seq++, .node = to, .kind = TIMER_DELIVER, .data = m});
    return;
  }
  if (sched_send(d->ctx, a->pm, d->agents[to].mailbox, m, bytes) != SCHED_MSG_OK) free(m);
}

/* ---- the agents ---- */

static void agent_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  dvms_agent_t* a  = sg_actor_self_get_data();
  sched_ctx_t* ctx = a->d->ctx;
  for (;;) {
    if (!sched_node_is_up(ctx, a->pm)) { /* a crashed node acts dead until on_node_recover resumes it */
      sg_actor_suspend(sg_actor_self());
      continue;
    }
    void* payload = NULL;
    int rc        = sched_recv(ctx, a->pm, a->mailbox, -1, &payload);
    if (rc != SCHED_MSG_OK) { /* arrived while down */
      free(payload);
      continue;
    }
    take_message(a, payload);
  }
}

/* DVMS's own parameters (docs/DVMS.md); the solver's, the plan's and the heartbeats' document
 * themselves. */
static const sched_param_doc_t dvms_params[] = {
    {"overlay", "how a partition grows: ring (PM order) or locality (nearest PMs first)"},
    {"monitor_period", "time between two monitor ticks of a PM agent"},
    {"timeout", "time without news before a member leaves its partition"},
    {"keepalive_period", "time between the leader's KEEPALIVEs while it solves or migrates"},
    {"keepalive", "how KEEPALIVEs travel: message (SimGrid flows) or timed (route transit, no flow; scale runs)"},
    {"messages", "how every message travels: flow (SimGrid flows) or timed (route transit, no flow, no agent actors)"},
    {"ask_timeout", "wait for a CHECK answer, the ACKs, or a merge answer"},
    {"message_bytes", "size of a message (plus 8 bytes per member of a carried view)"},
    {"min_partition_size", "members a partition gathers before the core is called"},
    {"headroom", "CPU share kept free on receivers, on top of the placement policy"},
    {NULL, NULL}};

static int init_dvms(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  dvms_t* d = calloc(1, sizeof *d);
  if (!d) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  d->ctx = ctx;
  d->pms = sched_pm_count(ctx);
  double min_size;
  static const char* const overlays[]   = {"ring", "locality", NULL};
  static const char* const keepalives[] = {"message", "timed", NULL};
  static const char* const transports[] = {"flow", "timed", NULL};
  int overlay, keepalive, messages;
  sched_param_docs(ctx, dvms_params);
  if (sched_param_enum(ctx, "overlay", overlays, 0, &overlay, err) != 0 ||
      sched_param_time(ctx, "monitor_period", 1, 0.001, 1e6, &d->monitor_period_s, err) != 0 ||
      sched_param_time(ctx, "timeout", 4.5, 0.01, 1e6, &d->timeout_s, err) != 0 ||
      sched_param_time(ctx, "keepalive_period", 1, 0.001, 1e6, &d->keepalive_s, err) != 0 ||
      sched_param_enum(ctx, "keepalive", keepalives, 0, &keepalive, err) != 0 ||
      sched_param_enum(ctx, "messages", transports, 0, &messages, err) != 0 ||
      sched_param_time(ctx, "ask_timeout", 2, 0.001, 1e6, &d->ask_timeout_s, err) != 0 ||
      sched_param_size(ctx, "message_bytes", 1024, 0, 1e9, &d->message_bytes, err) != 0 ||
      sched_param_double(ctx, "min_partition_size", 4, 1, 1e6, &min_size, err) != 0 ||
      sched_param_double(ctx, "headroom", 0, 0, 0.9, &d->headroom, err) != 0 ||
      sched_param_heartbeat(ctx, 1, 3, 0.001, &d->beat_period_s, &d->beat_timeout_s, err) != 0 ||
      sched_param_solver(ctx, &d->solver, err) != 0 || sched_param_plan(ctx, &d->plan, err) != 0 ||
      sched_param_power(ctx, &d->power, err) != 0) {
    free(d);
    return -1;
  }
  const char* p = sched_param(ctx, "timeout");
  if (d->keepalive_s * 2 > d->timeout_s || d->ask_timeout_s >= d->timeout_s) {
    lucsim_err_set(err, NULL, 0, p ? "scheduler.timeout" : "scheduler.keepalive_period",
                   "timeout %g s must exceed twice keepalive_period (%g s) and ask_timeout (%g s)", d->timeout_s,
                   d->keepalive_s, d->ask_timeout_s);
    free(d);
    return -1;
  }
  if (messages == 1 && keepalive == 0 && sched_param(ctx, "keepalive")) {
    lucsim_err_set(err, NULL, 0, "scheduler.keepalive",
                   "'message' with messages=timed: no message is a SimGrid flow; expected 'timed' or no keepalive");
    free(d);
    return -1;
  }
  d->min_size        = (size_t)min_size;
  d->messages_timed  = messages == 1;
  d->keepalive_timed = keepalive == 1 || d->messages_timed;
  d->overlay         = overlay == 1 ? dvms__overlay_create(ctx) : NULL;
  d->agents          = calloc(d->pms ? d->pms : 1, sizeof *d->agents);
  d->book            = dvms_book_create(d->pms);
  d->fd              = dvms_fd_create(d->pms, d->beat_period_s, d->beat_timeout_s);
  if (!d->agents || !d->fd) {
    dvms__overlay_destroy(d->overlay);
    dvms_fd_destroy(d->fd);
    free(d->agents);
    free(d);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  }
  for (size_t pm = 0; pm < d->pms; pm++) {
    dvms_agent_t* a = &d->agents[pm];
    a->d            = d;
    a->pm           = (uint32_t)pm;
    snprintf(a->mailbox, sizeof a->mailbox, "dvms-%zu", pm);
    for (int k = 0; k < TIMER_KINDS; k++)
      a->deadline[k] = -1;
  }
  *state = d;
  return 0;
}

static void start_dvms(sched_ctx_t* ctx, void* state)
{
  dvms_t* d = state;
  sched_timer_heap_start(&d->timers);
  dvms_book_set_csv(d->book, sched_open_csv(ctx, "dvms_partitions.csv"));
  for (size_t pm = 0; pm < d->pms && !d->messages_timed; pm++) {
    dvms_agent_t* a = &d->agents[pm];
    a->actor        = sg_actor_init(a->mailbox, sched_pm_host(ctx, pm));
    sg_actor_set_data(a->actor, a);
    sg_actor_start(a->actor, agent_main, 0, NULL);
  }
  sg_actor_t timer = sg_actor_init("dvms-timers", sched_pm_host(ctx, 0));
  sg_actor_set_data(timer, d);
  sg_actor_start(timer, timer_main, 0, NULL);
}

static void on_violation_dvms(sched_ctx_t* ctx, void* state, size_t pm)
{
  dvms_t* d = state;
  if (pm < d->pms && sched_node_is_up(ctx, pm)) dvms__arm_detect(&d->agents[pm]);
}

static void on_crash_dvms(sched_ctx_t* ctx, void* state, size_t node)
{
  (void)ctx;
  dvms_t* d = state;
  if (node >= d->pms) return; /* DVMS has no service node */
  dvms_agent_t* a = &d->agents[node];
  a->epoch++;
  a->lost_pid    = dvms__booked(a) ? a->view.pid : 0; /* for its leader, once the detector suspects it */
  a->lost_leader = dvms__booked(a) ? a->view.leader : DVMS_NONE;
  if (a->role == ROLE_LEADER) dvms_book_note(d->book, a->view.pid, 0, 0, 0, "leader-crash");
  dvms__reset(a, NULL); /* its state is lost; without its leader, a partition times out */
  a->deadline[TIMER_DETECT] = -1;
  dvms__arm(a, TIMER_SUSPECT, dvms_fd_crash(d->fd, node, sched_now(ctx)));
}

static void on_recover_dvms(sched_ctx_t* ctx, void* state, size_t node)
{
  dvms_t* d = state;
  if (node >= d->pms) return;
  dvms_agent_t* a = &d->agents[node];
  a->up_since     = sched_now(ctx);
  dvms_fd_recover(d->fd, node, sched_now(ctx));
  if (a->deadline[TIMER_SUSPECT] >= 0) { /* back before anyone noticed: its first beat carries a new */
    a->deadline[TIMER_SUSPECT] = -1;     /* incarnation, so its former leader drops it now */
    dvms__member_suspected(a);
  }
  if (a->actor && sg_actor_is_suspended(a->actor)) sg_actor_resume(a->actor);
  sched_pm_info_t info;
  sched_pm_info(ctx, node, &info);
  if (!info.viable) dvms__arm_detect(a);
}

static void fini_dvms(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  dvms_t* d = state;
  if (!d) return;
  const dvms_stats_t* s = dvms_book_stats(d->book);
  XBT_INFO("%zu partitions: %zu solved, %zu dissolved, %zu merged, %zu timed out; mean size at core calls %.2f; "
           "%zu ISP hops, %zu messages; at most %zu partitions at once, %zu checked bookings",
           s->partitions, s->solved, s->dissolved, s->merged, s->timeouts,
           s->solves ? s->partition_pms_sum / (double)s->solves : 0.0, s->hops, s->messages, s->max_live, s->bookings);
  for (size_t pm = 0; pm < d->pms; pm++) {
    free(d->agents[pm].view.members);
    free(d->agents[pm].held);
    free(d->agents[pm].acked);
  }
  free(d->agents);
  for (size_t i = 0; i < sched_timer_count(&d->timers); i++) { /* messages still on their way (messages=timed) */
    sched_timer_t* t = sched_timer_at(&d->timers, i);
    if (t->kind == TIMER_DELIVER) free(t->data);
  }
  sched_timer_heap_free(&d->timers);
  dvms__overlay_destroy(d->overlay);
  dvms_book_destroy(d->book);
  dvms_fd_destroy(d->fd);
  free(d);
}

const dvms_stats_t* dvms_get_stats(const void* state)
{
  return dvms_book_stats(((const dvms_t*)state)->book); /* read-only for the caller */
}

/* All callbacks are used: detection comes from on_violation (with the monitor's tick latency),
 * crashes make an agent act dead and lose its partition, recoveries resume it. */
const sched_ops_t dvms_ops = {
    .abi_version     = SCHED_ABI_VERSION,
    .name            = "dvms",
    .summary         = "distributed: PM agents on a ring grow partitions from each overload and solve them",
    .init            = init_dvms,
    .start           = start_dvms,
    .on_violation    = on_violation_dvms,
    .fini            = fini_dvms,
    .on_node_crash   = on_crash_dvms,
    .on_node_recover = on_recover_dvms,
};
