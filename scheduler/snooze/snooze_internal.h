/* Shared between the files of the Snooze scheduler (scheduler/snooze/): the run state, the per-PM
 * local controller and per-service-node records, the message format and the helpers each role
 * uses. Not a public API: only snooze.c's ops table (snooze_ops) leaves this folder. The protocol
 * itself (roles, messages, sizes, timers, election rule) is documented in docs/SNOOZE.md. */
#ifndef LUCSIM_SNOOZE_INTERNAL_H
#define LUCSIM_SNOOZE_INTERNAL_H

#include "scheduler.h"
#include "timer_heap.h"

#include <simgrid/semaphore.h>
#include <stdio.h>

#define SNOOZE_NONE ((size_t)-1)
#define SNOOZE_GL_MAILBOX "snooze-gl" /* the well-known entry point, served by whoever leads */
#define SNOOZE_ENTRY_MAX 40
#define SNOOZE_NAME_MAX 40
#define SNOOZE_MIN_WAIT_S 1e-9 /* shorter waits are not waited for (see snooze__recv) */

typedef enum { SNOOZE_REACTIVE = 0, SNOOZE_PERIODIC, SNOOZE_POLL } snooze_trigger_t;
typedef enum { SNOOZE_BESTFIT = 0, SNOOZE_ROUNDROBIN } snooze_assign_t;
typedef enum { SNOOZE_SCOPE_SITE = 0, SNOOZE_SCOPE_GLOBAL } snooze_scope_t; /* where an LC's GM may be */
typedef enum { SNOOZE_ROLE_GM = 0, SNOOZE_ROLE_GL, SNOOZE_ROLE_IDLE } snooze_role_t;

typedef enum {
  SNOOZE_MSG_JOIN_REQ = 0, /* LC -> entry point (GL): which GM should I join? */
  SNOOZE_MSG_ASSIGN,       /* GL -> LC: join GM `gm` */
  SNOOZE_MSG_NEW_LC,       /* LC -> GM: add me */
  SNOOZE_MSG_LC_ACK,       /* GM -> LC: added (carries the GM's incarnation) */
  SNOOZE_MSG_ANOMALY,      /* LC -> GM at once: my PM is overloaded */
  SNOOZE_MSG_GM_BEAT,      /* GM -> its LCs (multicast) every heartbeat period */
  SNOOZE_MSG_TERM,         /* GM -> its LCs (multicast): I stop being your GM (promoted to GL) */
  SNOOZE_MSG_SUMMARY,      /* GM -> entry point (GL) every period: #LCs, mean CPU; registers a GM */
  SNOOZE_MSG_GL_BEAT,      /* GL -> its GMs every period (a multicast, gl.c): the GM list in election order */
  SNOOZE_MSG_KINDS
} snooze_msg_kind_t;

/* One member of the GL's GM list, as carried by GL beats (election order = seq order). */
typedef struct snooze_member {
  size_t node;
  uint32_t seq; /* registration sequence number (ZooKeeper's EPHEMERAL_SEQUENTIAL) */
} snooze_member_t;

/* Every message (payload of sched_send, malloc'ed, freed by the receiver). */
typedef struct snooze_msg {
  snooze_msg_kind_t kind;
  size_t from;          /* sender's node */
  size_t pm;            /* LC messages: the PM; ASSIGN: unused */
  size_t gm;            /* ASSIGN: the GM node; JOIN_REQ: the GM to avoid (SNOOZE_NONE) */
  uint32_t incarnation; /* GM's incarnation (LC_ACK, ANOMALY, SUMMARY) */
  uint32_t attempt;     /* LC join attempt (JOIN_REQ, ASSIGN, NEW_LC, LC_ACK) */
  double sent_s;
  double cpu_pct; /* ANOMALY/JOIN_REQ/NEW_LC: PM's demand / capacity; SUMMARY: mean over the LCs */
  bool viable;    /* ANOMALY, NEW_LC */
  size_t count;   /* SUMMARY: #LCs */
} snooze_msg_t;

/* A GL beat's list: the GL, then its GMs by sequence number (the election order). One per beat,
 * shared by the GMs that got it, freed by the last one to let it go (snooze__gl_list_release). */
typedef struct snooze_gl_list {
  size_t refs, count;
  snooze_member_t member[];
} snooze_gl_list_t;

typedef struct snooze snooze_t;

/* Local controller of one PM (lc.c). */
typedef struct snooze_lc {
  snooze_t* sz;
  size_t pm;
  char mailbox[SNOOZE_NAME_MAX];
  size_t gm;            /* node of the current GM, SNOOZE_NONE while joining */
  size_t avoid;         /* the GM just lost (asked the GL not to assign it again), or SNOOZE_NONE */
  uint32_t incarnation; /* of the current GM */
  uint32_t attempt;
  double last_beat_s; /* last beat from the current GM */
  double lost_s;      /* when the LC started (re)joining */
  bool anomaly_sent;  /* an anomaly actor is in flight, or the violation was reported */
  double joined_s;
  double watch_at_s; /* its heartbeat deadline in the watcher's heap (watch.c), when watched */
  bool watched;
  /* Wakes the LC's actor: a TERM from a GM (written here first), its heartbeat deadline (the
   * watcher, watch.c), or its PM's crash. Beats do not wake it: the GM answers them (gm.c). */
  sg_sem_t sem;
  size_t term_from;
  double term_s;
} snooze_lc_t;

/* One LC in a GM's table. */
typedef struct snooze_gm_lc {
  size_t pm;
  double last_report_s;
  double cpu_pct;
  bool viable;
  bool report_due; /* its answer to the last beat, on its way back to the GM (gm_multicast) */
  double report_cpu_pct;
  bool report_viable;
} snooze_gm_lc_t;

/* One GM in the GL's table. */
typedef struct snooze_gl_gm {
  size_t node;
  uint32_t seq;
  uint32_t incarnation;
  double last_summary_s;
  double last_assign_s; /* last LC assigned to it (-inf: none) */
  size_t lcs;           /* as last summarized, plus the LCs assigned since */
  double cpu_sum;       /* mean x lcs, plus the assigned LCs' loads */
} snooze_gl_gm_t;

/* What a service node's reader received and its main actor has not handled yet (inbox.c). */
typedef struct snooze_inbox {
  sg_actor_t reader;             /* receives from mailbox, never with a timeout */
  char mailbox[SNOOZE_NAME_MAX]; /* the node's own as a GM, the entry point as the GL */
  sg_sem_t ready;                /* one token per queued message */
  void** queue;                  /* a ring of snooze_msg_t* */
  size_t head, count, cap;
} snooze_inbox_t;

/* A service node: one main actor (GM or GL role), its reader and one scheduling worker (gm.c, gl.c,
 * inbox.c). */
typedef struct snooze_svc {
  snooze_t* sz;
  size_t service, node;
  char mailbox[SNOOZE_NAME_MAX];
  char actor_name[SNOOZE_NAME_MAX]; /* "gm-<service>": the actor column of reconfigurations.csv */
  snooze_inbox_t inbox;
  snooze_role_t role;
  uint32_t incarnation; /* bumped each time the node (re)starts as a GM */
  /* GM role */
  snooze_gm_lc_t* lcs;
  size_t lc_count, lc_cap;
  double last_gl_beat_s;
  snooze_gl_list_t* gl_list; /* the last GL beat's list (NULL: none yet), one reference */
  size_t gl_node;            /* sender of the last GL beat */
  size_t gl_rank;            /* its election rank in gl_list: set with each GL beat, else snooze__gm_update_rank */
  bool pending;              /* an anomaly waits for the worker */
  sg_sem_t wake;             /* the worker's wake-up */
  sched_problem_t* problem;
  core_result_t result;
  size_t* pms; /* partition buffer */
  double last_round_s;
  bool last_unsolved; /* the last round found no solution: wait for news before solving again */
  /* GL role */
  snooze_gl_gm_t* gms;
  size_t gm_count, gm_cap;
  uint32_t next_seq;
  uint32_t gl_seq; /* the leader's own seq, carried by its beats */
  size_t rr_next;  /* round robin cursor */
} snooze_svc_t;

struct snooze {
  sched_ctx_t* ctx;
  double period_s, timeout_s, join_timeout_s; /* heartbeat period and timeout, join step timeout */
  double boot_spread_s;                       /* LC of PM p starts at boot_spread x p / #PMs (lc.c) */
  double message_bytes;                       /* base size of every message */
  double sched_period_s;                      /* periodic mode: time between rounds */
  double backoff_s;                           /* reactive and poll: minimum time between round starts */
  double poll_period_s;                       /* poll mode: time between two checks of the group's PMs */
  double groups_period_s;                     /* snooze_groups.csv sampling */
  double headroom;
  double pms_per_gm; /* GMs wanted per PM; also the group size bestfit fills first */
  snooze_trigger_t trigger;
  snooze_assign_t assign;
  snooze_scope_t scope;
  sched_solver_params_t solver;
  sched_plan_params_t plan;
  sched_power_params_t power;              /* power management of its rounds (sched_param_power) */
  sched_overload_params_t overload_params; /* when a PM must send (sched_param_overload) */
  sched_overload_t* overload;              /* the VMs' CPU histories; NULL: overload=capacity */
  size_t pm_count;
  snooze_lc_t* lcs;         /* pm_count */
  size_t svc_count;         /* service nodes that run Snooze (GM candidates) */
  snooze_svc_t* svcs;       /* svc_count, in service order */
  size_t* svc_service;      /* svc_count: the service index of each */
  size_t* svc_of_service;   /* sched_service_count: index in svcs, or SNOOZE_NONE when unused */
  sched_timer_heap_t watch; /* the LCs' heartbeat deadlines (watch.c) */
  FILE* events;             /* snooze_events.csv (owned by the engine), or NULL */
  FILE* groups;             /* snooze_groups.csv */
  size_t elections, joins;
};

/* Writes one row of snooze_events.csv (pm, gm: SNOOZE_NONE for an empty field). */
void snooze__event(snooze_t* sz, const char* event, size_t node, size_t pm, size_t gm, double value);
/* Allocates and sends a message of kind from node to mailbox; size = message_bytes (+ extra). */
snooze_msg_t* snooze__msg_new(snooze_msg_kind_t kind, size_t from);
void snooze__msg_send(snooze_t* sz, const char* mailbox, snooze_msg_t* m, size_t node);
/* The entry point as node sees it: SNOOZE_GL_MAILBOX, suffixed with node's island while the
 * backbone is split (an island's nodes reach only a GL of their island, as a floating address or
 * a multicast group would). */
void snooze__entry_point(const snooze_t* sz, size_t node, char name[SNOOZE_ENTRY_MAX]);
const char* snooze__msg_name(snooze_msg_kind_t kind);
/* sched_recv for wait_s > SNOOZE_MIN_WAIT_S; otherwise SCHED_MSG_TIMEOUT (or NODE_DOWN) at once
 * without posting a receive: a receive with a zero timeout leaves its request in the mailbox
 * (seen on SimGrid 3.32), where it swallows the next message. */
int snooze__recv(snooze_t* sz, size_t node, const char* mailbox, double wait_s, void** payload);
/* Service nodes receive through their inbox (inbox.c): serve makes its reader read mailbox (a new
 * reader when it changes); recv waits up to wait_s for a message, as snooze__recv. */
void snooze__inbox_serve(snooze_svc_t* s, const char* mailbox);
int snooze__inbox_recv(snooze_svc_t* s, double wait_s, void** payload);
void snooze__inbox_free(snooze_inbox_t* in); /* its messages and queue; the caller frees `ready` */
/* The first beat time >= t of service node s: beats follow a fixed grid k x period + phase, the
 * phase period x service / #services. A fixed grid keeps a node's deadlines away from the arrival
 * times of other nodes' periodic messages: a receive that times out at the very instant a message
 * completes loses that message (seen on SimGrid 3.32), and restarts would otherwise lock onto it. */
double snooze__beat_time(const snooze_svc_t* s, double t);
/* The service record of a node, or NULL when the node runs no Snooze service. */
snooze_svc_t* snooze__svc_of(snooze_t* sz, size_t node);

void snooze__lc_main(int argc, char* argv[]);
/* The PM's load as its LC reports it: demand / capacity in %, and whether the PM is viable. */
double snooze__lc_load(snooze_t* sz, size_t pm, bool* viable);
/* The LC heartbeat watcher (watch.c): snooze__watch_arm has the watcher release lc->sem at at_s,
 * unless a beat of the LC's GM came since (then it waits for last beat + timeout instead). */
void snooze__watch_arm(snooze_t* sz, snooze_lc_t* lc, double at_s);
void snooze__watch_main(int argc, char* argv[]);
void snooze__lc_anomaly(snooze_t* sz, size_t pm);
void snooze__svc_main(int argc, char* argv[]);
void snooze__worker_main(int argc, char* argv[]);
/* A service node comes back as a plain GM (after a crash, or a GL stepping down): no LC, no GM
 * table, no GL known; it registers again through the entry point. */
void snooze__svc_restart_as_gm(snooze_svc_t* s);
/* A GM's rank in the election order of its last GL beat's list (the GL excluded), or, not listed,
 * after every listed GM: recomputed when gl_list or gl_node change outside a GL beat, which carries the rank (gm.c). */
void snooze__gm_update_rank(snooze_svc_t* s);
/* A GL beat reaches GM s: gl_node's list (s takes a reference), where s ranks `rank` (gm.c). */
void snooze__gm_take_gl_beat(snooze_svc_t* s, size_t gl_node, snooze_gl_list_t* list, size_t rank);
/* A GL beat's list of count members, with one reference; the release frees it at the last. */
snooze_gl_list_t* snooze__gl_list_new(size_t count);
void snooze__gl_list_release(snooze_gl_list_t* list);
/* GL role (gl.c): serve the entry point until the node dies or a GL of
 * a lower sequence number is in its island again (the islands of a split backbone merged: the
 * GL's ZooKeeper znode is no longer the lowest); returns then. */
void snooze__gl_run(snooze_svc_t* s);
/* Enter the GL role: the table from the last GL beat's list (every listed GM presumed alive). */
void snooze__gl_promote(snooze_svc_t* s);

#endif
