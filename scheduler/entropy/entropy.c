/* The centralized Entropy scheduler, as VMPlaceS ran it (docs/REFERENCES.md §5) but on lucsim's core:
 * one actor on a service node (hosts no VM) sleeps a period, gathers every PM's state over the
 * network (one report flow per site, concurrent), solves over the whole cluster in repair mode,
 * charges the computation, marks the violations it handles as detected and executes the plan.
 * With scope=site-first it first repairs each overloaded site alone, then globally what remains.
 * When service nodes may fail, heartbeats guard its node and another service node takes over
 * (failover.c). Not a placement algorithm itself: the solving is scheduler/core's, the execution
 * plan_exec.c's. */
#include "failover.h"
#include "scheduler.h"

#include <math.h>
#include <simgrid/actor.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(entropy, lucsim, "Entropy: centralized periodic scheduler");

typedef enum { ENTROPY_GLOBAL = 0, ENTROPY_SITE_FIRST } entropy_scope_t;
typedef enum { ENTROPY_FAILOVER_AUTO = 0, ENTROPY_FAILOVER_ON, ENTROPY_FAILOVER_OFF } entropy_failover_t;

#define ENTROPY_NAME_MAX 40

typedef struct entropy entropy_t;

/* One leader's working memory: a leader taking over does not share the buffers of a crashed one
 * whose round may still be unwinding. Kept on a list, freed with the scheduler. */
typedef struct entropy_leader {
  entropy_t* e;
  size_t node;              /* the service node it runs on */
  uint64_t epoch;           /* guarded: its epoch (failover.h) */
  sched_problem_t* problem; /* reused every round */
  core_result_t result;     /* reused every round */
  struct entropy_leader* next;
} entropy_leader_t;

struct entropy {
  sched_ctx_t* ctx;
  double period_s;     /* period: time between round starts (the next round starts at the later of
                          start + period and the end of this round) */
  double report_bytes; /* monitoring_bytes: size of one PM's state report */
  double headroom;     /* headroom: CPU share kept free on receivers (sched_problem_set_headroom) */
  sched_solver_params_t solver;
  sched_plan_params_t plan;
  sched_power_params_t power;
  sched_overload_params_t overload_params;
  sched_overload_t* overload;           /* the VMs' CPU histories of CloudSim's detectors; NULL: overload=capacity */
  int scope;                            /* entropy_scope_t */
  size_t node;                          /* the service node of the first leader */
  size_t first_service;                 /* its service index */
  size_t sites;                         /* sched_site_count */
  size_t* site_pms;                     /* every PM, grouped by site (site order, then PM order) */
  size_t* site_start;                   /* sites + 1 offsets into site_pms */
  size_t* gather_from;                  /* per site: the PM whose flow models the site's reports */
  double* gather_bytes;                 /* per site: its size */
  char (*site_actor)[ENTROPY_NAME_MAX]; /* per site: "entropy-site-<k>" */
  entropy_leader_t* leaders;            /* every leader's memory, newest first */
  bool guarded;                         /* failover: heartbeats and take-over (failover.h) */
  failover_t* failover;                 /* created at start when guarded */
  double beat_period_s, beat_timeout_s, beat_bytes;
  size_t rounds;
};

static void entropy_free(entropy_t* e)
{
  if (!e) return;
  while (e->leaders) {
    entropy_leader_t* l = e->leaders;
    e->leaders          = l->next;
    sched_problem_destroy(l->problem);
    core_result_free(&l->result);
    free(l);
  }
  failover_destroy(e->failover);
  sched_overload_destroy(e->overload);
  free(e->site_pms);
  free(e->site_start);
  free(e->gather_from);
  free(e->gather_bytes);
  free(e->site_actor);
  free(e);
}

/* scheduler.site=K: the first service node of site K; absent: service node 0. */
static int choose_node(sched_ctx_t* ctx, entropy_t* e, lucsim_err_t* err)
{
  e->node          = sched_service_node(ctx, 0);
  e->first_service = 0;
  if (!sched_param(ctx, "site")) return 0;
  double k;
  if (sched_param_double(ctx, "site", 0, 0, (double)(e->sites - 1), &k, err) != 0) return -1;
  if (k != floor(k))
    return sched_param_error(ctx, "site", err, "'%s' is not a whole number; expected a site index",
                             sched_param(ctx, "site"));
  for (size_t s = 0; s < sched_service_count(ctx); s++)
    if (sched_node_site(ctx, sched_service_node(ctx, s)) == (size_t)k) {
      e->node          = sched_service_node(ctx, s);
      e->first_service = s;
      return 0;
    }
  return sched_param_error(ctx, "site", err, "site %zu has no service node; expected a site with one", (size_t)k);
}

/* The PMs grouped by site (counting sort: site order, PM order within a site). */
static int group_sites(sched_ctx_t* ctx, entropy_t* e)
{
  size_t pms      = sched_pm_count(ctx);
  e->site_pms     = malloc((pms ? pms : 1) * sizeof *e->site_pms);
  e->site_start   = calloc(e->sites + 1, sizeof *e->site_start);
  e->gather_from  = malloc(e->sites * sizeof *e->gather_from);
  e->gather_bytes = malloc(e->sites * sizeof *e->gather_bytes);
  e->site_actor   = malloc(e->sites * sizeof *e->site_actor);
  if (!e->site_pms || !e->site_start || !e->gather_from || !e->gather_bytes || !e->site_actor) return -1;
  for (size_t pm = 0; pm < pms; pm++)
    e->site_start[sched_pm_site(ctx, pm) + 1]++;
  for (size_t s = 0; s < e->sites; s++) {
    e->site_start[s + 1] += e->site_start[s];
    snprintf(e->site_actor[s], ENTROPY_NAME_MAX, "entropy-site-%zu", s);
  }
  size_t* next = e->gather_from; /* scratch until the first gather */
  for (size_t s = 0; s < e->sites; s++)
    next[s] = e->site_start[s];
  for (size_t pm = 0; pm < pms; pm++)
    e->site_pms[next[sched_pm_site(ctx, pm)]++] = pm;
  return 0;
}

/* Entropy's own parameters (docs/WRITING-A-SCHEDULER.md, section 6); the solver's, the plan's and the
 * heartbeats' document themselves. */
static const sched_param_doc_t entropy_params[] = {
    {"period",
     "time between round starts; the next round starts at the later of start + period and the end of the round"},
    {"monitoring_bytes", "size of one PM's report in the gather of the states, one transfer per site"},
    {"headroom", "CPU share kept free on receivers, on top of the placement policy"},
    {"scope", "global: one problem over every PM per period; site-first: one per overloaded site first, then one over "
              "every PM if needed"},
    {"failover", "on: heartbeats guard the central node and another service node takes over; off: a crashed central "
                 "node skips its rounds; auto: on when service nodes may crash"},
    {"heartbeat_bytes", "size of one heartbeat of the central node"},
    {"site", "the central node is the first service node of this site (default: service node 0)"},
    {NULL, NULL}};

static int init_entropy(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  static const char* const scopes[]    = {"global", "site-first", NULL};
  static const char* const failovers[] = {"auto", "on", "off", NULL};
  int failover;
  if (sched_service_count(ctx) == 0)
    return lucsim_err_set(err, NULL, 0, "platform.service_nodes",
                          "0 service nodes; entropy runs on a service node: expected at least 1");
  entropy_t* e = calloc(1, sizeof *e);
  if (!e) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  e->ctx   = ctx;
  e->sites = sched_site_count(ctx);
  sched_param_docs(ctx, entropy_params);
  if (sched_param_time(ctx, "period", 30, 0.001, 1e9, &e->period_s, err) != 0 ||
      sched_param_size(ctx, "monitoring_bytes", 1024, 0, 1e9, &e->report_bytes, err) != 0 ||
      sched_param_double(ctx, "headroom", 0, 0, 0.9, &e->headroom, err) != 0 ||
      sched_param_enum(ctx, "scope", scopes, ENTROPY_GLOBAL, &e->scope, err) != 0 ||
      sched_param_solver(ctx, &e->solver, err) != 0 || sched_param_plan(ctx, &e->plan, err) != 0 ||
      sched_param_power(ctx, &e->power, err) != 0 || sched_param_overload(ctx, &e->overload_params, err) != 0 ||
      sched_param_enum(ctx, "failover", failovers, ENTROPY_FAILOVER_AUTO, &failover, err) != 0 ||
      sched_param_heartbeat(ctx, 5, 15, 0.01, &e->beat_period_s, &e->beat_timeout_s, err) != 0 ||
      sched_param_size(ctx, "heartbeat_bytes", 64, 0, 1e9, &e->beat_bytes, err) != 0 || choose_node(ctx, e, err) != 0) {
    entropy_free(e);
    return -1;
  }
  if (e->overload_params.rule != SCHED_OVERLOAD_CAPACITY && e->scope == ENTROPY_SITE_FIRST) {
    int rc = sched_param_error(ctx, "overload", err,
                               "other than capacity needs scope=global: with site-first, the site rounds start only "
                               "on capacity overloads");
    entropy_free(e);
    return rc;
  }
  e->overload = sched_overload_create(ctx, &e->overload_params);
  e->guarded =
      failover == ENTROPY_FAILOVER_ON || (failover == ENTROPY_FAILOVER_AUTO && sched_service_nodes_may_fail(ctx));
  if (group_sites(ctx, e) != 0) {
    entropy_free(e);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  }
  *state = e;
  return 0;
}

/* Monitoring cost, a documented approximation (docs/WRITING-A-SCHEDULER.md): the reports of a
 * site's PMs converge on the service node through the same links, so each site's gather is one
 * flow of site_pms x monitoring_bytes from the site's first online PM; the sites' flows run
 * concurrently (sched_transfer_gather), each over its real route (WAN hops included). One site:
 * one flow of pm_count x monitoring_bytes, as before sites existed. */
static void gather_states(sched_ctx_t* ctx, void* userdata)
{
  entropy_leader_t* l = userdata;
  entropy_t* e        = l->e;
  size_t flows        = 0;
  for (size_t s = 0; s < e->sites; s++)
    for (size_t i = e->site_start[s]; i < e->site_start[s + 1]; i++) {
      sched_pm_info_t info;
      sched_pm_info(ctx, e->site_pms[i], &info);
      if (info.online) {
        e->gather_from[flows]  = e->site_pms[i];
        e->gather_bytes[flows] = (double)(e->site_start[s + 1] - e->site_start[s]) * e->report_bytes;
        flows++;
        break;
      }
    }
  sched_transfer_gather(ctx, e->gather_from, e->gather_bytes, flows, l->node);
}

static void log_round(const entropy_leader_t* l, const char* actor, const sched_round_report_t* rep)
{
  if (rep->plan.outcome != SCHED_OUTCOME_NOTHING_TO_DO)
    XBT_VERB("%s round at %.1f s on node %zu: %zu violating PMs, %s (%s), %.3f s computing, %zu/%zu migrations in "
             "%.1f s",
             actor, rep->start_s, l->node, l->result.violating_nodes, sched_outcome_name(rep->plan.outcome),
             core_solver_name(l->result.solver), rep->computation_s, rep->plan.completed, rep->plan.planned,
             rep->plan.reconfiguration_s);
}

/* One round of the shared round (scheduler/round.c) over pms[0..count) (NULL: every PM). */
static void entropy_round(entropy_leader_t* l, const char* actor, const size_t* pms, size_t count, bool monitor)
{
  entropy_t* e            = l->e;
  const sched_round_t rnd = {.actor    = actor,
                             .node     = l->node,
                             .pms      = pms,
                             .pm_count = count,
                             .headroom = e->headroom,
                             .solver   = &e->solver,
                             .plan     = &e->plan,
                             .problem  = l->problem,
                             .result   = &l->result,
                             .monitor  = monitor ? gather_states : NULL,
                             .userdata = l,
                             .power    = &e->power,
                             .overload = e->overload};
  sched_round_report_t rep;
  sched_round_run(e->ctx, &rnd, &rep);
  e->rounds++;
  log_round(l, actor, &rep);
}

/* Whether an online PM of pms[0..count) (NULL: every PM) is not viable. */
static bool any_overloaded(const entropy_t* e, const size_t* pms, size_t count)
{
  size_t n = pms ? count : sched_pm_count(e->ctx);
  for (size_t i = 0; i < n; i++) {
    sched_pm_info_t info;
    sched_pm_info(e->ctx, pms ? pms[i] : i, &info);
    if (info.online && !info.viable) return true;
  }
  return false;
}

/* Every period. global: one round over every PM. site-first: gather every state once, one round
 * per site that has an overloaded PM (that site's PMs only, in site order), then one round over
 * every PM when a PM is still overloaded or no site round ran. */
static void round_entropy(sched_ctx_t* ctx, void* userdata)
{
  entropy_leader_t* l = userdata;
  entropy_t* e        = l->e;
  if (e->scope == ENTROPY_GLOBAL) {
    entropy_round(l, "entropy", NULL, 0, true);
    return;
  }
  gather_states(ctx, l);
  bool site_rounds = false;
  for (size_t s = 0; s < e->sites; s++) {
    const size_t* pms = e->site_pms + e->site_start[s];
    size_t count      = e->site_start[s + 1] - e->site_start[s];
    if (count == 0 || !any_overloaded(e, pms, count)) continue;
    entropy_round(l, e->site_actor[s], pms, count, false);
    site_rounds = true;
  }
  if (!site_rounds || any_overloaded(e, NULL, 0)) entropy_round(l, "entropy", NULL, 0, false);
}

/* A leader's memory, on e's list. */
static entropy_leader_t* new_leader(entropy_t* e, size_t node)
{
  entropy_leader_t* l = calloc(1, sizeof *l);
  xbt_assert(l, "out of memory");
  l->problem = sched_problem_create();
  xbt_assert(l->problem, "out of memory");
  l->e       = e;
  l->node    = node;
  l->next    = e->leaders;
  e->leaders = l;
  sched_set_state(e->ctx, node, SCHED_STATE_FREE);
  return l;
}

/* Unguarded: one leader for the whole run; a crash of its node skips rounds until its repair. */
static void entropy_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  entropy_t* e = sg_actor_self_get_data();
  sched_set_leader(e->ctx, e->node);
  sched_run_periodic(e->ctx, e->node, e->period_s, round_entropy, new_leader(e, e->node));
}

static bool still_leading(sched_ctx_t* ctx, void* userdata)
{
  (void)ctx;
  const entropy_leader_t* l = userdata;
  return failover_leading(l->e->failover, l->epoch);
}

/* Guarded (failover.h): the leader of `epoch`, until its node crashes. The first one sleeps a period
 * first, as VMPlaceS' schedulers; one taking over starts a round at once (the cluster went
 * unwatched meanwhile). */
static void entropy_lead(void* userdata, size_t node, uint64_t epoch, bool takeover)
{
  entropy_t* e        = userdata;
  entropy_leader_t* l = new_leader(e, node);
  l->epoch            = epoch;
  sched_run_periodic_while(e->ctx, node, sched_now(e->ctx) + (takeover ? 0 : e->period_s), e->period_s, round_entropy,
                           still_leading, l);
}

static void start_entropy(sched_ctx_t* ctx, void* state)
{
  entropy_t* e = state;
  if (e->guarded) {
    e->failover = failover_create(ctx, "entropy", e->first_service, e->beat_period_s, e->beat_timeout_s, e->beat_bytes,
                                  entropy_lead, e, sched_open_csv(ctx, "entropy_leaders.csv"));
    xbt_assert(e->failover, "out of memory");
    failover_start(e->failover);
    return;
  }
  sg_actor_t ac = sg_actor_init("entropy", sched_node_host(ctx, e->node));
  sg_actor_set_data(ac, e);
  sg_actor_start(ac, entropy_main, 0, NULL);
}

static void node_event(sched_ctx_t* ctx, void* state, size_t node, bool up)
{
  (void)ctx;
  entropy_t* e = state;
  if (e->failover) failover_node_event(e->failover, node, up);
}
static void on_node_crash(sched_ctx_t* ctx, void* state, size_t node)
{
  node_event(ctx, state, node, false);
}
static void on_node_recover(sched_ctx_t* ctx, void* state, size_t node)
{
  node_event(ctx, state, node, true);
}

static void fini_entropy(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  entropy_t* e = state;
  if (!e) return;
  XBT_DEBUG("%zu rounds, %zu take-overs", e->rounds, e->failover ? failover_takeovers(e->failover) : 0);
  entropy_free(e);
}

/* on_violation is left out: Entropy is periodic and reads node states (sched_node_is_up) at each
 * round; the plan executor aborts plans whose PMs fail. The crash callbacks only drive fail-over. */
const sched_ops_t entropy_ops = {
    .abi_version     = SCHED_ABI_VERSION,
    .name            = "entropy",
    .summary         = "centralized: every period, solve over all PMs on a service node and apply the plan",
    .init            = init_entropy,
    .start           = start_entropy,
    .fini            = fini_entropy,
    .on_node_crash   = on_node_crash,
    .on_node_recover = on_node_recover,
};
