/* The hierarchical Snooze scheduler (Feller et al., CCGRID 2012, as VMPlaceS re-implemented it,
 * docs/REFERENCES.md §6), on lucsim's shared core: parameters, set-up of the actors (one local controller
 * per PM, one service actor and one scheduling worker per service node used), the crash callbacks,
 * the messages' helpers and the scheduler's own outputs (snooze_events.csv, snooze_groups.csv).
 * The roles are in lc.c (local controller), gm.c (group manager, election) and gl.c (group leader).
 * Not a solver: each GM solves with scheduler/core and executes with plan_exec.c. Protocol: docs/SNOOZE.md. */
#include "snooze_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(snooze, lucsim, "Snooze: hierarchical scheduler (GL, GMs, LCs)");

/* ---- messages ---- */

const char* snooze__msg_name(snooze_msg_kind_t kind)
{
  static const char* const names[] = {"join-req", "assign", "new-lc",  "lc-ack", "anomaly",
                                      "gm-beat",  "term",   "summary", "gl-beat"};
  return (unsigned)kind < SNOOZE_MSG_KINDS ? names[kind] : "?";
}

snooze_msg_t* snooze__msg_new(snooze_msg_kind_t kind, size_t from)
{
  snooze_msg_t* m = calloc(1, sizeof *m);
  xbt_assert(m, "out of memory");
  m->kind = kind;
  m->from = from;
  m->pm   = SNOOZE_NONE;
  m->gm   = SNOOZE_NONE;
  return m;
}

snooze_gl_list_t* snooze__gl_list_new(size_t count)
{
  snooze_gl_list_t* l = malloc(sizeof *l + count * sizeof(snooze_member_t));
  xbt_assert(l, "out of memory");
  l->refs  = 1;
  l->count = count;
  return l;
}

void snooze__gl_list_release(snooze_gl_list_t* list)
{
  if (list && --list->refs == 0) free(list);
}

void snooze__entry_point(const snooze_t* sz, size_t node, char name[SNOOZE_ENTRY_MAX])
{
  size_t island = sched_node_island(sz->ctx, node);
  if (island == 0)
    snprintf(name, SNOOZE_ENTRY_MAX, "%s", SNOOZE_GL_MAILBOX);
  else
    snprintf(name, SNOOZE_ENTRY_MAX, "%s-%zu", SNOOZE_GL_MAILBOX, island);
}

void snooze__svc_restart_as_gm(snooze_svc_t* s)
{
  s->role = SNOOZE_ROLE_GM;
  s->incarnation++;
  s->lc_count = 0;
  s->gm_count = 0;
  snooze__gl_list_release(s->gl_list);
  s->gl_list = NULL;
  s->gl_node = SNOOZE_NONE;
  snooze__gm_update_rank(s);
  s->last_gl_beat_s = sched_now(s->sz->ctx);
}

void snooze__msg_send(snooze_t* sz, const char* mailbox, snooze_msg_t* m, size_t node)
{
  m->sent_s = sched_now(sz->ctx);
  XBT_DEBUG("node %zu -> %s: %s", node, mailbox, snooze__msg_name(m->kind));
  if (sched_send(sz->ctx, node, mailbox, m, sz->message_bytes) != SCHED_MSG_OK) free(m); /* our node is down */
}

int snooze__recv(snooze_t* sz, size_t node, const char* mailbox, double wait_s, void** payload)
{
  *payload = NULL;
  if (wait_s > SNOOZE_MIN_WAIT_S) return sched_recv(sz->ctx, node, mailbox, wait_s, payload);
  return sched_node_is_up(sz->ctx, node) ? SCHED_MSG_TIMEOUT : SCHED_MSG_NODE_DOWN;
}

double snooze__beat_time(const snooze_svc_t* s, double t)
{
  double period = s->sz->period_s;
  double phase  = period * (double)s->service / (double)s->sz->svc_count;
  double k      = ceil((t - phase) / period);
  double at     = phase + k * period;
  return at < t ? at + period : at;
}

snooze_svc_t* snooze__svc_of(snooze_t* sz, size_t node)
{
  if (node < sz->pm_count || node - sz->pm_count >= sched_service_count(sz->ctx)) return NULL;
  size_t i = sz->svc_of_service[node - sz->pm_count];
  return i == SNOOZE_NONE ? NULL : &sz->svcs[i];
}

/* ---- outputs ---- */

void snooze__event(snooze_t* sz, const char* event, size_t node, size_t pm, size_t gm, double value)
{
  if (!sz->events) return;
  fprintf(sz->events, "%.9f,%s,%zu,", sched_now(sz->ctx), event, node);
  if (pm != SNOOZE_NONE) fprintf(sz->events, "%zu", pm);
  fputc(',', sz->events);
  if (gm != SNOOZE_NONE) fprintf(sz->events, "%zu", gm);
  if (isfinite(value))
    fprintf(sz->events, ",%.9f\n", value);
  else
    fputs(",\n", sz->events);
}

/* Ground truth of the groups (what each service node holds), every groups_period: output only,
 * no protocol decision reads it. Runs on service node 0's host, which never stops. */
static void groups_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_t* sz = sg_actor_self_get_data();
  for (double t = 0; t < sched_end_time(sz->ctx); t += sz->groups_period_s) {
    if (t > sched_now(sz->ctx)) sg_actor_sleep_for(t - sched_now(sz->ctx));
    for (size_t i = 0; i < sz->svc_count; i++) {
      const snooze_svc_t* s = &sz->svcs[i];
      bool up               = sched_node_is_up(sz->ctx, s->node);
      const char* role      = !up ? "down" : s->role == SNOOZE_ROLE_GL ? "gl" : "gm";
      size_t lcs            = up && s->role == SNOOZE_ROLE_GM ? s->lc_count : 0;
      if (up && s->role == SNOOZE_ROLE_GL) lcs = s->gm_count; /* the GL's column: GMs it knows */
      double cpu = 0;
      if (up && s->role == SNOOZE_ROLE_GM)
        for (size_t k = 0; k < s->lc_count; k++)
          cpu += s->lcs[k].cpu_pct;
      fprintf(sz->groups, "%.9f,%zu,%s,%zu,%.3f\n", sched_now(sz->ctx), s->node, role, lcs,
              up && s->role == SNOOZE_ROLE_GM && s->lc_count ? cpu / (double)s->lc_count : 0.0);
    }
    size_t unassigned = 0;
    for (size_t pm = 0; pm < sz->pm_count; pm++)
      unassigned += sched_node_is_up(sz->ctx, pm) && sz->lcs[pm].gm == SNOOZE_NONE;
    fprintf(sz->groups, "%.9f,,unassigned,%zu,\n", sched_now(sz->ctx), unassigned);
  }
}

/* ---- ops ---- */

/* Marks the service nodes Snooze uses (use[], one per service node; returns how many).
 * Global scope or one site: the first `wanted`, as VMPlaceS. Site scope on several sites: service
 * node 0 (the first GL) and, in each site, its first ceil(site's PMs / pms_per_gm) other service
 * nodes (fewer when the site has fewer), then the first unused ones until there are 2. */
static size_t choose_services(sched_ctx_t* ctx, const snooze_t* sz, size_t wanted, bool* use)
{
  size_t services = sched_service_count(ctx), sites = sched_site_count(ctx), used = 0;
  if (sz->scope == SNOOZE_SCOPE_GLOBAL || sites <= 1) {
    for (size_t i = 0; i < services && used < wanted; i++, used++)
      use[i] = true;
    return used;
  }
  size_t* pms = calloc(2 * sites, sizeof *pms); /* PMs, then GMs chosen, per site */
  xbt_assert(pms, "out of memory");
  size_t* gms = pms + sites;
  for (size_t pm = 0; pm < sz->pm_count; pm++)
    pms[sched_pm_site(ctx, pm)]++;
  use[0] = true;
  used   = 1;
  for (size_t i = 1; i < services; i++) {
    size_t site = sched_node_site(ctx, sched_service_node(ctx, i));
    if ((double)gms[site] < ceil((double)pms[site] / sz->pms_per_gm)) {
      gms[site]++;
      use[i] = true;
      used++;
    }
  }
  for (size_t i = 1; i < services && used < 2; i++)
    if (!use[i]) use[i] = true, used++;
  free(pms);
  return used;
}

/* Chooses the service nodes (choose_services) and allocates their records and both index maps. */
static int alloc_services(sched_ctx_t* ctx, snooze_t* sz, size_t wanted)
{
  size_t services    = sched_service_count(ctx);
  bool* use          = calloc(services, sizeof *use);
  sz->svc_of_service = malloc(services * sizeof *sz->svc_of_service);
  sz->svc_service    = malloc(services * sizeof *sz->svc_service);
  if (!use || !sz->svc_of_service || !sz->svc_service) {
    free(use);
    return -1;
  }
  sz->svc_count = choose_services(ctx, sz, wanted, use);
  sz->svcs      = calloc(sz->svc_count, sizeof *sz->svcs);
  for (size_t i = 0, n = 0; i < services; i++) {
    sz->svc_of_service[i] = use[i] ? n : SNOOZE_NONE;
    if (use[i]) sz->svc_service[n++] = i;
  }
  free(use);
  return sz->svcs ? 0 : -1;
}

/* Snooze's own parameters (docs/SNOOZE.md); the solver's, the plan's and the heartbeats' document
 * themselves. */
static const sched_param_doc_t snooze_params[] = {
    {"join_timeout", "each join step's wait; also the age beyond which the group leader drops a join request"},
    {"boot_spread", "the LCs start (and join) one after the other in PM order over this time (0: all at t = 0)"},
    {"message_bytes", "size of every protocol message"},
    {"pms_per_gm", "PMs per group manager (sets the service nodes used) and the group size best fit fills first"},
    {"scheduling", "reactive: a group manager solves on an anomaly of one of its LCs; periodic: every period; poll: "
                   "every poll_period it checks its LCs' PMs itself (VMPlaceS)"},
    {"poll_period", "poll: time between two checks of the group's PMs (VMPlaceS: 70 ms, a GM-LC round trip)"},
    {"period", "periodic: time between a group manager's rounds; reactive: retry delay after a round without solution"},
    {"backoff", "reactive and poll: minimum time between a group manager's round starts"},
    {"assignment", "bestfit: the group manager of lowest mean load among those under pms_per_gm LCs; roundrobin"},
    {"scope", "site: an LC joins a group manager of its own site first; global: any"},
    {"groups_period", "sampling period of snooze_groups.csv"},
    {"headroom", "CPU share kept free on receivers, on top of the placement policy"},
    {NULL, NULL}};

static int init_snooze(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  static const char* const triggers[] = {"reactive", "periodic", "poll", NULL};
  static const char* const assigns[]  = {"bestfit", "roundrobin", NULL};
  static const char* const scopes[]   = {"site", "global", NULL};
  size_t services                     = sched_service_count(ctx);
  if (services < 2)
    return lucsim_err_set(err, NULL, 0, "platform.service_nodes",
                          "%zu service nodes; snooze needs at least 2 (a group leader and a group manager)", services);
  snooze_t* sz = calloc(1, sizeof *sz);
  if (!sz) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  sz->ctx = ctx;
  sched_param_docs(ctx, snooze_params);
  int trigger, assign, scope;
  if (sched_param_heartbeat(ctx, 3, 6, 0.01, &sz->period_s, &sz->timeout_s, err) != 0 ||
      sched_param_time(ctx, "join_timeout", 1, 0.001, 1e6, &sz->join_timeout_s, err) != 0 ||
      sched_param_time(ctx, "boot_spread", 0, 0, 1e6, &sz->boot_spread_s, err) != 0 ||
      sched_param_size(ctx, "message_bytes", 1024, 0, 1e9, &sz->message_bytes, err) != 0 ||
      sched_param_double(ctx, "pms_per_gm", 32, 1, 1e9, &sz->pms_per_gm, err) != 0 ||
      sched_param_enum(ctx, "scheduling", triggers, SNOOZE_REACTIVE, &trigger, err) != 0 ||
      sched_param_time(ctx, "period", 30, 0.001, 1e9, &sz->sched_period_s, err) != 0 ||
      sched_param_time(ctx, "poll_period", 0.07, 0.001, 1e6, &sz->poll_period_s, err) != 0 ||
      sched_param_time(ctx, "backoff", 1, 0, 1e6, &sz->backoff_s, err) != 0 ||
      sched_param_enum(ctx, "assignment", assigns, SNOOZE_BESTFIT, &assign, err) != 0 ||
      sched_param_enum(ctx, "scope", scopes, SNOOZE_SCOPE_SITE, &scope, err) != 0 ||
      sched_param_time(ctx, "groups_period", 30, 0.1, 1e9, &sz->groups_period_s, err) != 0 ||
      sched_param_double(ctx, "headroom", 0, 0, 0.9, &sz->headroom, err) != 0 ||
      sched_param_solver(ctx, &sz->solver, err) != 0 || sched_param_plan(ctx, &sz->plan, err) != 0 ||
      sched_param_power(ctx, &sz->power, err) != 0 || sched_param_overload(ctx, &sz->overload_params, err) != 0) {
    free(sz);
    return -1;
  }
  if (sz->overload_params.rule != SCHED_OVERLOAD_CAPACITY && trigger != SNOOZE_PERIODIC) {
    int rc = sched_param_error(ctx, "overload", err,
                               "other than capacity needs scheduling=periodic: with %s, a group manager starts "
                               "rounds only on capacity overloads",
                               triggers[trigger]);
    free(sz);
    return rc;
  }
  sz->trigger  = (snooze_trigger_t)trigger;
  sz->assign   = (snooze_assign_t)assign;
  sz->scope    = (snooze_scope_t)scope;
  sz->pm_count = sched_pm_count(ctx);
  /* one GM per pms_per_gm PMs plus the GL (a promoted GM that stops managing), as VMPlaceS */
  size_t wanted = (size_t)ceil((double)sz->pm_count / sz->pms_per_gm) + 1;
  sz->lcs       = calloc(sz->pm_count, sizeof *sz->lcs);
  if (!sz->lcs || alloc_services(ctx, sz, wanted) != 0) {
    free(sz->lcs);
    free(sz->svcs);
    free(sz->svc_service);
    free(sz->svc_of_service);
    free(sz);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  }
  for (size_t pm = 0; pm < sz->pm_count; pm++) { /* on_violation may run before start */
    snooze_lc_t* lc = &sz->lcs[pm];
    lc->sz          = sz;
    lc->pm          = pm;
    lc->gm          = SNOOZE_NONE;
    lc->avoid       = SNOOZE_NONE;
    lc->term_from   = SNOOZE_NONE;
  }
  sz->overload = sched_overload_create(ctx, &sz->overload_params);
  *state       = sz;
  return 0;
}

static void start_actor(const char* name, sg_host_t host, void* data, xbt_main_func_t fn)
{
  sg_actor_t ac = sg_actor_init(name, host);
  sg_actor_set_data(ac, data);
  sg_actor_start(ac, fn, 0, NULL);
}

static void start_snooze(sched_ctx_t* ctx, void* state)
{
  snooze_t* sz = state;
  sz->events   = sched_open_csv(ctx, "snooze_events.csv");
  sz->groups   = sched_open_csv(ctx, "snooze_groups.csv");
  if (sz->events) fputs("time_s,event,node,pm,gm,value\n", sz->events);
  if (sz->groups) fputs("time_s,node,role,lcs,mean_cpu_pct\n", sz->groups);
  for (size_t i = 0; i < sz->svc_count; i++) {
    snooze_svc_t* s = &sz->svcs[i];
    s->sz           = sz;
    s->service      = i;
    s->node         = sched_service_node(ctx, sz->svc_service[i]);
    snprintf(s->mailbox, sizeof s->mailbox, "snooze-gm-%zu", s->node);
    snprintf(s->actor_name, sizeof s->actor_name, "gm-%zu", i);
    s->wake    = sg_sem_init(0);
    s->problem = sched_problem_create();
    s->result  = (core_result_t)CORE_RESULT_INIT;
    start_actor(s->actor_name, sched_node_host(ctx, s->node), s, snooze__svc_main);
    start_actor("snooze-worker", sched_node_host(ctx, s->node), s, snooze__worker_main);
  }
  for (size_t pm = 0; pm < sz->pm_count; pm++) {
    snooze_lc_t* lc = &sz->lcs[pm];
    lc->sem         = sg_sem_init(0);
    snprintf(lc->mailbox, sizeof lc->mailbox, "snooze-lc-%zu", pm);
    start_actor("snooze-lc", sched_pm_host(ctx, pm), lc, snooze__lc_main);
  }
  sched_timer_heap_start(&sz->watch);
  start_actor("snooze-watch", sched_service_host(ctx, 0), sz, snooze__watch_main);
  if (sz->groups) start_actor("snooze-groups", sched_service_host(ctx, 0), sz, groups_main);
  XBT_INFO("snooze: %zu service nodes (1 group leader, %zu group managers), %zu local controllers, %s scheduling",
           sz->svc_count, sz->svc_count - 1, sz->pm_count,
           sz->trigger == SNOOZE_REACTIVE   ? "reactive"
           : sz->trigger == SNOOZE_PERIODIC ? "periodic"
                                            : "poll");
}

static void on_violation_snooze(sched_ctx_t* ctx, void* state, size_t pm)
{
  (void)ctx;
  snooze__lc_anomaly(state, pm);
}

static void on_node_crash_snooze(sched_ctx_t* ctx, void* state, size_t node)
{
  snooze_t* sz = state;
  snooze__event(sz, "node-crash", node, SNOOZE_NONE, SNOOZE_NONE, NAN);
  /* a PM's LC stops serving at once (beats no longer wake it: watch.c) */
  if (node < sz->pm_count && sz->lcs[node].sem && sz->lcs[node].gm != SNOOZE_NONE) sg_sem_release(sz->lcs[node].sem);
  for (size_t i = 0; i < sz->svc_count; i++) /* a GL's node crashed: no GL until the next election */
    if (sz->svcs[i].node == node && sz->svcs[i].role == SNOOZE_ROLE_GL) sched_set_leader(ctx, SCHED_NO_LEADER);
}

static void on_node_recover_snooze(sched_ctx_t* ctx, void* state, size_t node)
{
  (void)ctx;
  snooze_t* sz = state;
  snooze__event(sz, "node-recover", node, SNOOZE_NONE, SNOOZE_NONE, NAN);
  if (node < sz->pm_count && sz->lcs[node].sem) sg_sem_release(sz->lcs[node].sem); /* the LC boots with its PM */
}

/* Frees a semaphore an actor may still wait on (NULL: start never ran). Nothing else frees it:
 * SimGrid's teardown at exit skips its cleanups while actors live. The simulation is over and no
 * actor runs again, but SimGrid refuses to destroy a semaphore with a pending acquisition: the
 * waiter, at most one (the LC's main actor, or the worker), is granted first. */
static void sem_free(sg_sem_t sem)
{
  if (!sem) return;
  while (sg_sem_would_block(sem))
    sg_sem_release(sem);
  sg_sem_destroy(sem);
}

static void fini_snooze(sched_ctx_t* ctx, void* state)
{
  (void)ctx;
  snooze_t* sz = state;
  if (!sz) return;
  XBT_VERB("%zu joins, %zu elections", sz->joins, sz->elections);
  for (size_t pm = 0; pm < sz->pm_count; pm++)
    sem_free(sz->lcs[pm].sem);
  sched_timer_heap_free(&sz->watch);
  for (size_t i = 0; i < sz->svc_count; i++) {
    snooze_svc_t* s = &sz->svcs[i];
    sem_free(s->wake);
    snooze__inbox_free(&s->inbox);
    sem_free(s->inbox.ready);
    sched_problem_destroy(s->problem);
    core_result_free(&s->result);
    free(s->lcs);
    snooze__gl_list_release(s->gl_list);
    free(s->gms);
    free(s->pms);
  }
  free(sz->svcs);
  free(sz->svc_service);
  free(sz->svc_of_service);
  free(sz->lcs);
  sched_overload_destroy(sz->overload);
  free(sz);
}

/* Every callback is used: violations wake the PM's local controller (an anomaly report), crashes
 * and recoveries are logged; the actors themselves read sched_node_is_up to act dead. */
const sched_ops_t snooze_ops = {
    .abi_version     = SCHED_ABI_VERSION,
    .name            = "snooze",
    .summary         = "hierarchical: group leader, group managers solving over their LCs, heartbeats, re-election",
    .init            = init_snooze,
    .start           = start_snooze,
    .on_violation    = on_violation_snooze,
    .fini            = fini_snooze,
    .on_node_crash   = on_node_crash_snooze,
    .on_node_recover = on_node_recover_snooze,
};
