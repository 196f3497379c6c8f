/* Heartbeats and take-over of a central scheduler's node (failover.h). The members are the service
 * nodes in succession order: the first leader, then the next service indices, wrapping around. */
#include "failover.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(failover, lucsim, "Heartbeats and take-over of a central scheduler");

#define FAILOVER_NAME_MAX 40

typedef enum { ROLE_DOWN, ROLE_WATCHER, ROLE_LEADER } failover_role_t;

typedef struct member {
  size_t node;
  failover_role_t role;
  uint64_t incarnation; /* bumped at each crash and repair: the actors of a past one stop */
  uint64_t lead_epoch;  /* the epoch it leads with (role ROLE_LEADER) */
  /* what this member last heard (a watcher's knowledge, from heartbeats only) */
  size_t known_leader; /* member index */
  uint64_t known_epoch;
  double last_heard_s;
  char mailbox[FAILOVER_NAME_MAX];
} member_t;

struct failover {
  sched_ctx_t* ctx;
  char name[FAILOVER_NAME_MAX];
  size_t count;
  member_t* m;
  double period_s, timeout_s, message_bytes;
  failover_lead_fn lead;
  void* userdata;
  FILE* csv;
  uint64_t epoch; /* the current leader's */
  size_t leader;  /* its member index */
  size_t takeovers;
};

/* What a heartbeat says. */
typedef struct beat {
  uint64_t epoch;
  size_t leader;
} beat_t;

/* What an actor of the module is started with (freed by the actor). */
typedef struct actor_arg {
  failover_t* f;
  size_t member;
  uint64_t token; /* the epoch (leader, heartbeats) or the incarnation (watcher) */
  bool takeover;
} actor_arg_t;

failover_t* failover_create(sched_ctx_t* ctx, const char* name, size_t first_service, double period_s, double timeout_s,
                            double message_bytes, failover_lead_fn lead, void* userdata, FILE* csv)
{
  failover_t* f = calloc(1, sizeof *f);
  size_t count  = sched_service_count(ctx);
  if (!f || !(f->m = calloc(count, sizeof *f->m))) {
    free(f);
    return NULL;
  }
  f->ctx = ctx, f->count = count, f->period_s = period_s, f->timeout_s = timeout_s;
  f->message_bytes = message_bytes, f->lead = lead, f->userdata = userdata, f->csv = csv;
  snprintf(f->name, sizeof f->name, "%s", name);
  for (size_t i = 0; i < count; i++) {
    member_t* m = &f->m[i];
    m->node     = sched_service_node(ctx, (first_service + i) % count);
    m->role     = i == 0 ? ROLE_LEADER : ROLE_WATCHER;
    snprintf(m->mailbox, sizeof m->mailbox, "%s-beat-%zu", name, m->node);
  }
  f->epoch = 1, f->leader = 0;
  if (csv) fprintf(csv, "time_s,node,host,epoch,event,silent_s\n");
  return f;
}

void failover_destroy(failover_t* f)
{
  if (!f) return;
  free(f->m);
  free(f);
}

/* Leaders of different islands coexist during a split: each leads with its own epoch until it
 * crashes or hears a leader of a later epoch. */
bool failover_leading(const failover_t* f, uint64_t epoch)
{
  for (size_t i = 0; i < f->count; i++)
    if (f->m[i].role == ROLE_LEADER && f->m[i].lead_epoch == epoch) return true;
  return false;
}

size_t failover_takeovers(const failover_t* f)
{
  return f->takeovers;
}

static void start_actor(failover_t* f, const char* what, size_t member, uint64_t token, bool takeover,
                        void (*code)(int, char**))
{
  actor_arg_t* a = malloc(sizeof *a);
  xbt_assert(a, "out of memory");
  *a = (actor_arg_t){.f = f, .member = member, .token = token, .takeover = takeover};
  char actor[2 * FAILOVER_NAME_MAX];
  snprintf(actor, sizeof actor, "%s-%s-%zu", f->name, what, f->m[member].node);
  sg_actor_t ac = sg_actor_init(actor, sched_node_host(f->ctx, f->m[member].node));
  sg_actor_set_data(ac, a);
  sg_actor_start(ac, code, 0, NULL);
}

static void leader_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  actor_arg_t a = *(actor_arg_t*)sg_actor_self_get_data();
  free(sg_actor_self_get_data());
  a.f->lead(a.f->userdata, a.f->m[a.member].node, a.token, a.takeover);
}

static void record(failover_t* f, size_t member, uint64_t epoch, const char* event, double silent_s);
static bool hear(failover_t* f, member_t* me, const beat_t* b);
static void watch_main(int argc, char* argv[]);

/* After a split, the leader reads its own mailbox: a beat of a later epoch means that another
 * island elected a leader and the islands merged again. The older leader steps down and watches. */
static bool steps_down(failover_t* f, size_t member, uint64_t epoch)
{
  if (!sched_backbone_has_split(f->ctx)) return false;
  member_t* me  = &f->m[member];
  bool later    = false;
  void* payload = NULL;
  while (sched_recv(f->ctx, me->node, me->mailbox, 0, &payload) == SCHED_MSG_OK) {
    const beat_t* b = payload;
    if (b->epoch > epoch) later |= hear(f, me, b);
    free(payload);
    payload = NULL;
  }
  free(payload);
  if (!later) return false;
  XBT_VERB("%s: node %zu leads epoch %llu and hears epoch %llu: steps down", f->name, me->node,
           (unsigned long long)epoch, (unsigned long long)me->known_epoch);
  me->role       = ROLE_WATCHER;
  me->lead_epoch = 0;
  record(f, member, epoch, "stepdown", 0);
  start_actor(f, "watch", member, me->incarnation, false, watch_main);
  return true;
}

/* The leader's heartbeats: at once, then every period, to every other member, while it leads. */
static void beat_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  actor_arg_t a = *(actor_arg_t*)sg_actor_self_get_data();
  free(sg_actor_self_get_data());
  failover_t* f = a.f;
  size_t node   = f->m[a.member].node;
  double end    = sched_end_time(f->ctx);
  while (failover_leading(f, a.token) && sched_now(f->ctx) < end) {
    if (steps_down(f, a.member, a.token)) return;
    for (size_t i = 0; i < f->count; i++) {
      if (i == a.member) continue;
      beat_t* b = malloc(sizeof *b);
      xbt_assert(b, "out of memory");
      *b = (beat_t){.epoch = a.token, .leader = a.member};
      if (sched_send(f->ctx, node, f->m[i].mailbox, b, f->message_bytes) != SCHED_MSG_OK) free(b);
    }
    sg_actor_sleep_until(fmin(sched_now(f->ctx) + f->period_s, end));
  }
}

static void record(failover_t* f, size_t member, uint64_t epoch, const char* event, double silent_s)
{
  if (!f->csv) return;
  size_t node = f->m[member].node;
  fprintf(f->csv, "%.9f,%zu,%s,%llu,%s,%.9f\n", sched_now(f->ctx), node,
          sg_host_get_name(sched_node_host(f->ctx, node)), (unsigned long long)epoch, event, silent_s);
}

static void become_leader(failover_t* f, size_t member, bool takeover)
{
  member_t* m   = &f->m[member];
  m->role       = ROLE_LEADER;
  m->lead_epoch = f->epoch;
  f->leader     = member;
  sched_set_leader(f->ctx, m->node);
  start_actor(f, "leader", member, f->epoch, takeover, leader_main);
  start_actor(f, "beat", member, f->epoch, false, beat_main);
}

static void take_over(failover_t* f, size_t member)
{
  member_t* m = &f->m[member];
  f->epoch++; /* a new epoch, whatever this member heard: epochs stay unique */
  f->takeovers++;
  XBT_VERB("%s: node %zu heard no heartbeat for %.3f s: takes over (epoch %llu)", f->name, m->node,
           sched_now(f->ctx) - m->last_heard_s, (unsigned long long)f->epoch);
  record(f, member, f->epoch, "takeover", sched_now(f->ctx) - m->last_heard_s);
  become_leader(f, member, true);
}

/* A beat reached me: it learns the leader and its epoch, unless it knows a later one. */
static bool hear(failover_t* f, member_t* me, const beat_t* b)
{
  if (b->epoch < me->known_epoch) return false;
  me->known_epoch  = b->epoch;
  me->known_leader = b->leader;
  me->last_heard_s = sched_now(f->ctx);
  return true;
}

/* Takes what heartbeats wait in me's mailbox (a poll: nothing is posted when none does). Returns
 * whether one came from a leader of an epoch at least the last known. */
static bool drain_beats(failover_t* f, member_t* me)
{
  bool heard    = false;
  void* payload = NULL;
  while (sched_recv(f->ctx, me->node, me->mailbox, 0, &payload) == SCHED_MSG_OK) {
    heard |= hear(f, me, payload);
    free(payload);
    payload = NULL;
  }
  free(payload);
  return heard;
}

/* A watcher: waits for heartbeats; silent for rank timeouts, it takes over. Its rank: how far it
 * comes after the leader it last heard of, in succession order (1 for the next one). A later rank
 * waits a whole timeout more, not a period: the first beat of a successor that took over then
 * arrives a timeout minus a period before the next rank's deadline, never at it. The mailbox is
 * bound to it, so a beat arriving the instant a wait times out is kept (SimGrid would cancel a
 * pending receive's match) and found by the poll before taking over. */
static void watch_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  actor_arg_t a = *(actor_arg_t*)sg_actor_self_get_data();
  free(sg_actor_self_get_data());
  failover_t* f = a.f;
  member_t* me  = &f->m[a.member];
  double end    = sched_end_time(f->ctx);
  sg_mailbox_set_receiver(me->mailbox);
  while (me->incarnation == a.token && me->role == ROLE_WATCHER && sched_now(f->ctx) < end) {
    size_t rank     = (a.member + f->count - me->known_leader) % f->count;
    double deadline = me->last_heard_s + (double)(rank ? rank : f->count) * f->timeout_s;
    if (deadline <= sched_now(f->ctx)) {
      if (!sched_node_is_up(f->ctx, me->node)) return; /* down: the repair starts a new watcher */
      if (drain_beats(f, me)) continue;
      take_over(f, a.member);
      return;
    }
    void* payload = NULL;
    int rc        = sched_recv(f->ctx, me->node, me->mailbox, fmin(deadline, end) - sched_now(f->ctx), &payload);
    if (rc == SCHED_MSG_OK && me->incarnation == a.token) hear(f, me, payload);
    free(payload);
    if (rc == SCHED_MSG_NODE_DOWN) return; /* the repair starts a new watcher */
  }
}

void failover_start(failover_t* f)
{
  record(f, 0, f->epoch, "start", 0);
  become_leader(f, 0, false);
  for (size_t i = 1; i < f->count; i++)
    start_actor(f, "watch", i, f->m[i].incarnation, false, watch_main);
}

void failover_node_event(failover_t* f, size_t node, bool up)
{
  size_t i = 0;
  while (i < f->count && f->m[i].node != node)
    i++;
  if (i == f->count) return; /* a PM */
  member_t* m = &f->m[i];
  m->incarnation++;
  if (!up) {                                      /* its role and what it knew are lost */
    if (m->role == ROLE_LEADER && f->leader == i) /* the latest leader */
      sched_set_leader(f->ctx, SCHED_NO_LEADER);
    if (m->role == ROLE_LEADER) record(f, i, m->lead_epoch, "crash", 0);
    m->role = ROLE_DOWN;
    return;
  }
  m->role         = ROLE_WATCHER; /* back as a watcher, counting from now */
  m->last_heard_s = sched_now(f->ctx);
  start_actor(f, "watch", i, m->incarnation, false, watch_main);
}
