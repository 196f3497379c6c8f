/* Infrastructure constraints of a run (infra.h): resolution, queries, accounting, windows. The
 * accounting keeps, per PM, how many of its VMs a ban or a fence refuses there, how many sit in an
 * open window, and whether it hosts any VM; a placement event on a PM recounts that PM (its few VMs)
 * and the totals are integrated over time between events, so the VM-seconds are exact. */
#include "infra.h"

#include "nodeset.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

typedef struct window_event {
  double t;
  size_t i;
  bool open;
} window_event_t;

struct infra {
  const config_t* cfg;
  size_t count, pms;
  const infra_constraint_t* items; /* cfg's */
  bool* nodes;                     /* count x pms */
  bool has_class_rules;            /* a ban or a fence */
  cluster_t* cl;
  /* per PM: the last count */
  uint32_t *ban_cnt, *fence_cnt, *off_cnt, *vm_cnt;
  /* per constraint */
  bool* open;          /* OFFLINE: the window is open (the actor's) */
  size_t* in_set;      /* OFFLINE: VMs on its PMs; MAX_ONLINE: its PMs hosting a VM */
  double* evacuated_s; /* OFFLINE: time from its start until its PMs were empty, or -1 */
  size_t ban_total, fence_total, off_total, max_online_broken;
  double ban_vm_s, fence_vm_s, off_vm_s, max_online_s, last_s;
  window_event_t* events; /* openings and closings, in time order */
  size_t event_count;
  void (*evacuate)(void*, size_t);
  void* userdata;
  double end_s;
};

infra_t* infra_create(const config_t* cfg, const plat_t* plat, lucsim_err_t* err)
{
  infra_t* in = calloc(1, sizeof *in);
  if (!in) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (constraints)"), NULL;
  in->cfg = cfg, in->count = cfg->constraints.count, in->pms = plat_pm_count(plat), in->items = cfg->constraints.items;
  if (in->count == 0) return in;
  in->nodes       = calloc(in->count * in->pms, sizeof *in->nodes);
  in->open        = calloc(in->count, sizeof *in->open);
  in->in_set      = calloc(in->count, sizeof *in->in_set);
  in->evacuated_s = calloc(in->count, sizeof *in->evacuated_s);
  in->events      = calloc(2 * in->count, sizeof *in->events);
  if (!in->nodes || !in->open || !in->in_set || !in->evacuated_s || !in->events) {
    infra_destroy(in);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory (constraints)"), NULL;
  }
  const char* file = cfg->source[0] ? cfg->source : "";
  for (size_t i = 0; i < in->count; i++) {
    const infra_constraint_t* c = &in->items[i];
    char field[64];
    snprintf(field, sizeof field, "constraints.%s.nodes", config_infra_kind_name(c->kind));
    long count      = nodeset_resolve(c->nodes, plat, in->nodes + i * in->pms, file, c->line, field, err);
    const char* why = count == 0 ? "holds no PM"
                      : c->kind == INFRA_OFFLINE && (size_t)count == in->pms
                          ? "is every PM: a maintenance window over it leaves the VMs nowhere to go"
                          : NULL;
    if (count < 0 || why) {
      if (why) lucsim_err_set(err, file, c->line, field, "the node set '%s' %s", c->nodes, why);
      infra_destroy(in);
      return NULL;
    }
    in->has_class_rules = in->has_class_rules || c->kind == INFRA_BAN || c->kind == INFRA_FENCE;
    in->evacuated_s[i]  = -1;
  }
  return in;
}

void infra_destroy(infra_t* in)
{
  if (!in) return;
  free(in->nodes), free(in->open), free(in->in_set), free(in->evacuated_s), free(in->events);
  free(in->ban_cnt), free(in->fence_cnt), free(in->off_cnt), free(in->vm_cnt);
  free(in);
}

size_t infra_count(const infra_t* in)
{
  return in->count;
}

const infra_constraint_t* infra_constraint(const infra_t* in, size_t i)
{
  return &in->items[i];
}

const bool* infra_nodes(const infra_t* in, size_t i)
{
  return in->nodes + i * in->pms;
}

bool infra_is_active(const infra_t* in, size_t i, double now)
{
  const infra_constraint_t* c = &in->items[i];
  return c->kind != INFRA_OFFLINE || (now >= c->at_s && now < c->at_s + c->duration_s);
}

bool infra_pm_in_maintenance(const infra_t* in, size_t pm, double now)
{
  for (size_t i = 0; i < in->count; i++)
    if (in->items[i].kind == INFRA_OFFLINE && in->nodes[i * in->pms + pm] && infra_is_active(in, i, now)) return true;
  return false;
}

/* The kind (INFRA_BAN or INFRA_FENCE) of a class rule refusing class_id on pm, or INFRA_KIND_COUNT. */
static infra_kind_t refused_by(const infra_t* in, size_t class_id, size_t pm)
{
  for (size_t i = 0; i < in->count; i++) {
    const infra_constraint_t* c = &in->items[i];
    if ((c->kind != INFRA_BAN && c->kind != INFRA_FENCE) || (c->class_index >= 0 && (size_t)c->class_index != class_id))
      continue;
    if (in->nodes[i * in->pms + pm] == (c->kind == INFRA_BAN)) return c->kind;
  }
  return INFRA_KIND_COUNT;
}

bool infra_vm_allowed(const infra_t* in, size_t class_id, size_t pm, double now)
{
  if (in->count == 0) return true;
  return refused_by(in, class_id, pm) == INFRA_KIND_COUNT && !infra_pm_in_maintenance(in, pm, now);
}

/* ---- accounting ---- */

static void integrate(infra_t* in, double now)
{
  double dt = now - in->last_s;
  if (dt <= 0) return;
  in->ban_vm_s += (double)in->ban_total * dt;
  in->fence_vm_s += (double)in->fence_total * dt;
  in->off_vm_s += (double)in->off_total * dt;
  in->max_online_s += (double)in->max_online_broken * dt;
  in->last_s = now;
}

static bool in_open_window(const infra_t* in, size_t pm)
{
  for (size_t i = 0; i < in->count; i++)
    if (in->open[i] && in->nodes[i * in->pms + pm]) return true;
  return false;
}

/* PM pm's counts again; totals and the constraints over pm follow; a window emptied now is evacuated. */
static void recount(infra_t* in, size_t pm, double now)
{
  const cluster_pm_t* p = cluster_pm(in->cl, pm);
  uint32_t ban = 0, fence = 0;
  if (in->has_class_rules)
    for (int32_t v = p->first_vm; v != CLUSTER_NONE; v = cluster_vm(in->cl, (size_t)v)->next_on_pm) {
      infra_kind_t k = refused_by(in, cluster_vm(in->cl, (size_t)v)->class_id, pm);
      ban += k == INFRA_BAN, fence += k == INFRA_FENCE;
    }
  uint32_t off    = in_open_window(in, pm) ? p->vm_count : 0;
  in->ban_total   = in->ban_total + ban - in->ban_cnt[pm]; /* size_t arithmetic: no uint32_t wrap */
  in->fence_total = in->fence_total + fence - in->fence_cnt[pm];
  in->off_total   = in->off_total + off - in->off_cnt[pm];
  uint32_t was    = in->vm_cnt[pm];
  for (size_t i = 0; i < in->count; i++) {
    const infra_constraint_t* c = &in->items[i];
    if (!in->nodes[i * in->pms + pm]) continue;
    if (c->kind == INFRA_OFFLINE) {
      in->in_set[i] += p->vm_count, in->in_set[i] -= was;
      if (in->open[i] && in->in_set[i] == 0 && in->evacuated_s[i] < 0) in->evacuated_s[i] = now - c->at_s;
    } else if (c->kind == INFRA_MAX_ONLINE && (was > 0) != (p->vm_count > 0)) {
      bool broken_before = in->in_set[i] > (size_t)c->count;
      in->in_set[i]      = in->in_set[i] + (p->vm_count > 0) - (was > 0);
      bool broken        = in->in_set[i] > (size_t)c->count;
      in->max_online_broken += (size_t)broken - (size_t)broken_before;
    }
  }
  in->ban_cnt[pm] = ban, in->fence_cnt[pm] = fence, in->off_cnt[pm] = off, in->vm_cnt[pm] = p->vm_count;
}

static void on_cluster(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)vm, (void)role_dest;
  infra_t* in = userdata;
  if (ev == CLUSTER_EV_LOAD || ev == CLUSTER_EV_MIG_START || ev == CLUSTER_EV_RESTART_BEGIN) return; /* nothing moved */
  integrate(in, now);
  recount(in, pm, now);
}

int infra_attach(infra_t* in, cluster_t* cl, lucsim_err_t* err)
{
  if (in->count == 0) return 0;
  in->cl        = cl;
  in->ban_cnt   = calloc(in->pms, sizeof *in->ban_cnt);
  in->fence_cnt = calloc(in->pms, sizeof *in->fence_cnt);
  in->off_cnt   = calloc(in->pms, sizeof *in->off_cnt);
  in->vm_cnt    = calloc(in->pms, sizeof *in->vm_cnt);
  if (!in->ban_cnt || !in->fence_cnt || !in->off_cnt || !in->vm_cnt)
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory (constraints)");
  for (size_t pm = 0; pm < in->pms; pm++)
    recount(in, pm, 0);
  cluster_add_listener(cl, on_cluster, in);
  return 0;
}

/* Opens or closes window i at now: its PMs recounted; at opening, the scheduler is told which to empty. */
static void set_window(infra_t* in, size_t i, bool open, double now)
{
  integrate(in, now);
  in->open[i]    = open;
  const bool* on = in->nodes + i * in->pms;
  for (size_t pm = 0; pm < in->pms; pm++)
    if (on[pm]) recount(in, pm, now);
  if (open && in->in_set[i] == 0 && in->evacuated_s[i] < 0) in->evacuated_s[i] = 0;
  for (size_t pm = 0; open && in->evacuate && pm < in->pms; pm++)
    if (on[pm] && cluster_pm(in->cl, pm)->vm_count > 0) in->evacuate(in->userdata, pm);
}

static int by_time(const void* a, const void* b)
{
  const window_event_t *x = a, *y = b;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  if (x->open != y->open) return x->open ? 1 : -1; /* a window closing frees its PMs first */
  return (x->i > y->i) - (x->i < y->i);
}

/* The window actor: every opening and closing before the end, in time order. */
static void windows_main(int argc, char** argv)
{
  (void)argc, (void)argv;
  infra_t* in = sg_actor_get_data(sg_actor_self());
  for (size_t e = 0; e < in->event_count && in->events[e].t < in->end_s; e++) {
    const window_event_t* ev = &in->events[e];
    if (ev->t > simgrid_get_clock()) sg_actor_sleep_for(ev->t - simgrid_get_clock());
    set_window(in, ev->i, ev->open, simgrid_get_clock());
  }
}

void infra_start(infra_t* in, sg_host_t host, double end_s, void (*evacuate)(void* userdata, size_t pm), void* userdata)
{
  for (size_t i = 0; i < in->count; i++)
    if (in->items[i].kind == INFRA_OFFLINE) {
      in->events[in->event_count++] = (window_event_t){in->items[i].at_s, i, true};
      in->events[in->event_count++] = (window_event_t){in->items[i].at_s + in->items[i].duration_s, i, false};
    }
  if (in->event_count == 0) return;
  qsort(in->events, in->event_count, sizeof *in->events, by_time);
  in->evacuate = evacuate, in->userdata = userdata, in->end_s = end_s;
  sg_actor_t a = sg_actor_init("maintenance", host);
  sg_actor_set_data(a, in);
  sg_actor_start(a, windows_main, 0, NULL);
}

const char* infra_summary_header(void)
{
  return ",infra_ban_vm_s,infra_fence_vm_s,infra_offline_vm_s,infra_max_online_s,infra_windows,"
         "infra_windows_evacuated,infra_evacuation_max_s";
}

void infra_write_summary(infra_t* in, FILE* f, double end_s)
{
  if (in->cl) integrate(in, end_s);
  size_t windows = 0, evacuated = 0;
  double longest = 0;
  for (size_t i = 0; i < in->count; i++) {
    if (in->items[i].kind != INFRA_OFFLINE || in->items[i].at_s >= end_s) continue;
    windows++;
    if (in->evacuated_s[i] >= 0) {
      evacuated++;
      longest = in->evacuated_s[i] > longest ? in->evacuated_s[i] : longest;
    }
  }
  fprintf(f, ",%.9f,%.9f,%.9f,%.9f,%zu,%zu,%.9f", in->ban_vm_s, in->fence_vm_s, in->off_vm_s, in->max_online_s, windows,
          evacuated, longest);
}
