/* DVMS internals shared by the files of scheduler/dvms/ (and read by tests/unit/test_dvms.c): the
 * agent and partition records, the protocol messages, the booking table that checks "no PM is in two
 * partitions at once", and the run's DVMS counters. Not part of the public scheduler API
 * (scheduler.h); the protocol itself is described in docs/DVMS.md. */
#ifndef LUCSIM_DVMS_H
#define LUCSIM_DVMS_H

#include "scheduler.h"
#include "timer_heap.h"

#include <stdio.h>

#define DVMS_NONE UINT32_MAX

/* ---- Booking table: who owns each PM (checked invariant) and per-partition metrics ----
 * A checker and a metrics recorder with a god's-eye view: no protocol decision reads it. */

typedef struct dvms_book dvms_book_t;

typedef struct dvms_stats {
  size_t partitions;        /* partitions started (ISPs) */
  size_t solved;            /* ended by a successful reconfiguration (or nothing left to do) */
  size_t dissolved;         /* ended by the deadlock rule 2, no free node left, or a failed plan */
  size_t timeouts;          /* ended because members stopped receiving updates */
  size_t merged;            /* absorbed into another partition (deadlock rule 3) */
  size_t hops;              /* ISP messages sent */
  size_t messages;          /* every DVMS message sent */
  double message_bytes;     /* their simulated sizes */
  size_t bookings;          /* checked bookings (dvms_book_take and switches) */
  size_t member_checks;     /* members verified owned by the solving partition before a core call */
  size_t max_live;          /* most partitions alive at once */
  size_t solves;            /* core calls */
  double partition_pms_sum; /* sum of the partition sizes at core calls */
} dvms_stats_t;

/* Creates the table for pm_count PMs; csv (borrowed, may be NULL) gets one row per ended partition.
 * Owned by the caller: dvms_book_destroy. */
dvms_book_t* dvms_book_create(size_t pm_count);
void dvms_book_destroy(dvms_book_t* b);            /* accepts NULL */
void dvms_book_set_csv(dvms_book_t* b, FILE* csv); /* csv borrowed; writes the header */
/* A new partition pid initiated by pm at now_s (metrics record). */
void dvms_book_open(dvms_book_t* b, uint64_t pid, size_t initiator, double now_s);
/* pm joins partition pid. Aborts (xbt_assert) when pm is already owned by a partition: the invariant.
 * Returns false (nothing booked) when pid has no member left (it ended: a late join). */
bool dvms_book_take(dvms_book_t* b, size_t pm, uint64_t pid);
/* pm moves from partition from to partition to (a merge). Aborts unless pm is owned by from. Returns
 * false (nothing changed) when to has no member left. */
bool dvms_book_switch(dvms_book_t* b, size_t pm, uint64_t from, uint64_t to, double now_s);
/* pm leaves its partition (aborts unless owned by pid); the partition's row is written when its
 * last member leaves. */
void dvms_book_release(dvms_book_t* b, size_t pm, uint64_t pid, double now_s);
uint64_t dvms_book_owner(const dvms_book_t* b, size_t pm); /* 0: free */
/* Metrics of a live partition (no effect on an unknown pid). The first reason set is the outcome. */
void dvms_book_note(dvms_book_t* b, uint64_t pid, size_t size, size_t hops, size_t merges, const char* reason);
void dvms_book_set_members(dvms_book_t* b, uint64_t pid, const uint32_t* members, size_t count);
dvms_stats_t* dvms_book_stats(dvms_book_t* b); /* borrowed, valid until destroy */

/* ---- Partitions, agents, messages ---- */

typedef enum { DVMS_GROWING = 0, DVMS_BLOCKED } dvms_pstate_t;
typedef enum { ROLE_FREE = 0, ROLE_JOINING, ROLE_MEMBER, ROLE_LEADER } dvms_role_t;
/* What a leader is doing: waiting for acks of an update, its ISP out on the ring, computing or
 * executing a plan (a worker actor), or waiting for a merge answer. */
typedef enum { PH_NONE = 0, PH_ACKS, PH_FORWARDED, PH_COMPUTING, PH_MERGING } dvms_phase_t;

/* A partition as one node knows it. members: sorted PM indices, owned by the holder. */
typedef struct dvms_view {
  uint64_t pid; /* (initiator << 32) | sequence; 0 = none. Lower pid = "lower id" of the merge rule */
  uint32_t initiator, leader, version;
  uint8_t state; /* dvms_pstate_t */
  uint32_t hops, merges;
  uint32_t count, cap;
  uint32_t* members;
} dvms_view_t;

typedef enum {
  MSG_ISP = 0, /* the partition's token (its view): grow, shortcut, deadlock rules */
  MSG_CHECK,   /* joiner -> initiator: is this version still valid? */
  MSG_CHECK_REPLY,
  MSG_UPDATE, /* new leader (or merge) -> members: the new view; members answer MSG_ACK */
  MSG_ACK,
  MSG_STATE,       /* initiator -> members: the partition is now Blocked */
  MSG_KEEPALIVE,   /* leader -> members while computing or migrating */
  MSG_DISSOLVE,    /* -> members: leave the partition */
  MSG_MERGE_OFFER, /* member of a Blocked partition -> its leader: a Blocked ISP with a higher id met us */
  MSG_MERGE_ASK,   /* leader -> the other leader: CanIMergePartitionWithYou */
  MSG_MERGE_REPLY,
  MSG_KIND_COUNT
} dvms_msg_kind_t;

/* One message, malloc'ed by the sender, owned by the receiver. The view's members follow the
 * struct (flexible array); its size on the network: message_bytes + 8 bytes per member. */
typedef struct dvms_msg {
  uint8_t kind;
  uint32_t from;
  double sent_s; /* dropped by a node that recovered after this time */
  uint64_t pid;
  uint32_t version;
  uint32_t via;      /* MERGE_OFFER: the node the ISP reached */
  uint64_t absorbed; /* UPDATE after a merge: the partition whose members switch */
  int ok;            /* replies */
  dvms_view_t view;  /* ISP, UPDATE, MERGE_OFFER, MERGE_REPLY: members point into tail[] */
  uint32_t tail[];
} dvms_msg_t;

/* TIMER_SUSPECT: on a crashed PM's agent, when its peers' failure detector suspects it.
 * TIMER_HEARD: keepalive=timed, a leader's KEEPALIVE reaches this member (agent.c).
 * TIMER_DELIVER: messages=timed, a message (the timer's data) reaches this agent; not a deadline
 * (several may be on their way to one agent), so never superseded. */
typedef enum {
  TIMER_DETECT = 0,
  TIMER_TIMEOUT,
  TIMER_KEEPALIVE,
  TIMER_ASK,
  TIMER_SUSPECT,
  TIMER_HEARD,
  TIMER_KINDS,
  TIMER_DELIVER = TIMER_KINDS
} dvms_timer_kind_t;

/* ---- Failure detector (detector.c): peers suspect a crashed PM heartbeat_timeout after its last
 * beat (beats every heartbeat_period), and trust it again at its first beat after its repair ---- */
typedef struct dvms_fd dvms_fd_t;
dvms_fd_t* dvms_fd_create(size_t pms, double period_s, double timeout_s); /* NULL: out of memory */
void dvms_fd_destroy(dvms_fd_t* fd);                                      /* accepts NULL */
double dvms_fd_crash(dvms_fd_t* fd, size_t pm, double now);               /* returns when its peers will suspect it */
void dvms_fd_recover(dvms_fd_t* fd, size_t pm, double now);
bool dvms_fd_suspects(const dvms_fd_t* fd, size_t pm, double now);
/* What `observer` believes: pm is suspected (above), or a split has cut pm off from observer for a
 * heartbeat timeout since the last beat that got through (scheduler.h, "Reachability"). */
bool dvms_fd_suspected_by(const dvms_fd_t* fd, const sched_ctx_t* ctx, size_t observer, size_t pm, double now);

struct dvms;
typedef struct dvms_agent {
  struct dvms* d;
  uint32_t pm;
  char mailbox[32];
  sg_actor_t actor;     /* NULL with messages=timed: the timer actor delivers its messages */
  uint32_t epoch;       /* bumped at each crash: stale timers and workers are ignored */
  uint64_t lost_pid;    /* crashed: the partition it was in (0: none), for its leader once suspected */
  uint32_t lost_leader; /* and that partition's leader */
  double up_since;      /* messages sent before are dropped */
  uint32_t seq;         /* partitions this node initiated */
  dvms_role_t role;
  dvms_phase_t phase;
  dvms_view_t view;          /* the partition this node belongs to (pid 0 when free) */
  dvms_msg_t* held;          /* a Blocked ISP held while merging (PH_MERGING), or NULL */
  uint32_t reserved_version; /* initiator: version already promised to a joiner */
  double last_update_s;      /* last sign of life of the partition */
  bool timeout_queued;
  bool locked; /* lockedForFusion */
  uint32_t acks_missing;
  uint8_t* acked; /* leader, PH_ACKS: per member */
  double deadline[TIMER_KINDS];
  /* keepalive=timed: the KEEPALIVE on its way to this member (TIMER_HEARD) */
  uint32_t heard_from;
  uint64_t heard_pid;
  double heard_sent_s;
} dvms_agent_t;

/* overlay.c: the locality-aware rings (scheduler.overlay=locality), one per initiator, as positions
 * 0 .. pms-1 (the initiator at 0): PMs by route latency from the initiator's site, its site first. */
typedef struct dvms_overlay dvms_overlay_t;
dvms_overlay_t* dvms__overlay_create(const sched_ctx_t* ctx); /* owned: dvms__overlay_destroy */
void dvms__overlay_destroy(dvms_overlay_t* o);                /* accepts NULL */
uint32_t dvms__overlay_pos(const dvms_overlay_t* o, uint32_t initiator, uint32_t pm);
uint32_t dvms__overlay_at(const dvms_overlay_t* o, uint32_t initiator, uint32_t pos);

typedef struct dvms {
  sched_ctx_t* ctx;
  size_t pms;
  dvms_overlay_t* overlay; /* NULL: the ring of PM indices (scheduler.overlay=ring) */
  dvms_fd_t* fd;           /* which PMs the agents believe dead */
  double beat_period_s, beat_timeout_s;
  /* parameters */
  double monitor_period_s, timeout_s, keepalive_s, ask_timeout_s, message_bytes, headroom;
  size_t min_size;
  bool keepalive_timed; /* keepalive=timed: KEEPALIVEs through the timer heap, not SimGrid flows */
  bool messages_timed;  /* messages=timed: every message through the timer heap, and no agent actors */
  sched_solver_params_t solver;
  sched_plan_params_t plan;
  sched_power_params_t power; /* power management of its rounds (sched_param_power) */
  dvms_agent_t* agents;
  dvms_book_t* book;
  size_t live_workers;
  /* the timer actor: a heap of (time, arming sequence); a timer's node is its agent's PM */
  sched_timer_heap_t timers;
  uint64_t timer_seq;
} dvms_t;

/* protocol.c */
void dvms__handle(dvms_agent_t* a, dvms_msg_t* m); /* m owned by the handler */
void dvms__start_isp(dvms_agent_t* a);
void dvms__on_timer(dvms_agent_t* a, dvms_timer_kind_t kind);
void dvms__reset(dvms_agent_t* a, const char* reason); /* leave the partition, if any, and become free */
void dvms__member_suspected(dvms_agent_t* a);          /* a's node is suspected: its partition's leader drops it */
void dvms__round_done(dvms_agent_t* a, bool solved, sched_outcome_t outcome); /* the worker's round ended */
/* agent.c: activity time (arms the partition timeout), booked (member or leader), a note on the
 * partition's record, a reply message, copies of kind to every member of v (or of a's view) but a,
 * and forwarding the ISP token to `to` */
void dvms__touch(dvms_agent_t* a);
bool dvms__booked(const dvms_agent_t* a);
void dvms__note(dvms_agent_t* a, const char* reason);
dvms_msg_t* dvms__reply(dvms_agent_t* a, dvms_msg_kind_t kind, uint64_t pid, uint32_t version, int ok);
void dvms__broadcast_view(dvms_agent_t* a, const dvms_view_t* v, dvms_msg_kind_t kind, bool with_view,
                          uint64_t absorbed);
void dvms__broadcast(dvms_agent_t* a, dvms_msg_kind_t kind, bool with_view, uint64_t absorbed);
void dvms__forward(dvms_agent_t* a, dvms_msg_t* token, uint32_t to);
/* keepalive=timed: a's KEEPALIVE to every other member of its view, each delivered by TIMER_HEARD
 * after its route's transit; and its arrival at a member */
void dvms__keepalive_timed(dvms_agent_t* a);
void dvms__keepalive_heard(dvms_agent_t* a);
/* view.c: sorted member sets, and the first up PM after `from` on isp's ring (PM order, or isp's
 * initiator's locality ring) that is in neither skip nor isp (except isp's initiator: reaching it
 * means the ISP went round); DVMS_NONE if none */
bool dvms__view_has(const dvms_view_t* v, uint32_t pm);
void dvms__view_reserve(dvms_view_t* v, uint32_t n);
void dvms__view_add(dvms_view_t* v, uint32_t pm);
void dvms__view_remove_at(dvms_view_t* v, uint32_t i);
void dvms__view_copy(dvms_view_t* dst, const dvms_view_t* src); /* dst keeps its own buffer */
void dvms__view_clear(dvms_view_t* v);
uint32_t dvms__next_node(const dvms_t* d, uint32_t from, const dvms_view_t* skip, const dvms_view_t* isp);
/* worker.c: the leader's worker actor, created on a snapshot of a's view, then started */
typedef struct dvms_worker dvms_worker_t;
dvms_worker_t* dvms__worker_create(dvms_agent_t* a);
void dvms__worker_start(dvms_worker_t* w);
/* dvms.c */
void dvms__arm(dvms_agent_t* a, dvms_timer_kind_t kind, double at_s);
void dvms__arm_detect(dvms_agent_t* a);
void dvms__send(dvms_agent_t* a, uint32_t to, dvms_msg_t* m);
dvms_msg_t* dvms__msg(dvms_agent_t* a, dvms_msg_kind_t kind, const dvms_view_t* view);

/* Counters of a run (state: the scheduler state of a dvms run). Borrowed. */
const dvms_stats_t* dvms_get_stats(const void* state);

#endif
