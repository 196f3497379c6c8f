/* The infrastructure constraints in a built problem (scheduler.h, "Infrastructure constraints"):
 * each one restricted to the problem. A ban or fence names the problem's VMs of its class and its
 * nodes in the problem (a fence with none of them here pins those VMs: they cannot go where they
 * belong from this partition); an open window is an OFFLINE over its nodes in the problem; a
 * max-online counts the nodes of its set outside the problem that host VMs against its count.
 * Built on the public API only, like the rest of the builder (solving.c). */
#include "problem_infra.h"

#include "problem_ves.h" /* sched__grow */

#include <stdlib.h>
#include <string.h>

struct sched_infra_cstrs {
  core_constraint_t* cs;
  int32_t *vms, *nodes;
  size_t cs_cap, vms_cap, nodes_cap;
  size_t* vm_class; /* per problem VM */
  size_t class_cap;
  struct starts {
    size_t vm, node;
  } * first;
  size_t first_cap;
};

sched_infra_cstrs_t* sched__infra_cstrs_create(void)
{
  return calloc(1, sizeof(sched_infra_cstrs_t));
}

void sched__infra_cstrs_destroy(sched_infra_cstrs_t* b)
{
  if (!b) return;
  free(b->cs), free(b->vms), free(b->nodes), free(b->vm_class), free(b->first);
  free(b);
}

typedef struct build {
  sched_infra_cstrs_t* b;
  size_t nc, nv, nn;
} build_t;

static core_constraint_t* open_cstr(build_t* w, core_cstr_kind_t kind)
{
  sched_infra_cstrs_t* b = w->b;
  b->cs                  = sched__grow(b->cs, &b->cs_cap, w->nc + 1, sizeof *b->cs);
  b->first               = sched__grow(b->first, &b->first_cap, w->nc + 1, sizeof *b->first);
  b->first[w->nc]        = (struct starts){w->nv, w->nn};
  core_constraint_t* c   = &b->cs[w->nc++];
  memset(c, 0, sizeof *c);
  c->kind = kind;
  return c;
}

static void add_vm(build_t* w, int32_t v)
{
  w->b->vms          = sched__grow(w->b->vms, &w->b->vms_cap, w->nv + 1, sizeof *w->b->vms);
  w->b->vms[w->nv++] = v;
  w->b->cs[w->nc - 1].vm_count++;
}

static void add_node(build_t* w, int32_t n)
{
  w->b->nodes          = sched__grow(w->b->nodes, &w->b->nodes_cap, w->nn + 1, sizeof *w->b->nodes);
  w->b->nodes[w->nn++] = n;
  w->b->cs[w->nc - 1].node_count++;
}

/* The problem's nodes in the set into the open constraint; returns how many. */
static size_t add_set_nodes(build_t* w, const core_problem_t* pb, const bool* pm_in)
{
  size_t n = 0;
  for (size_t i = 0; i < pb->node_count; i++)
    if (pm_in[pb->nodes[i].id]) add_node(w, (int32_t)i), n++;
  return n;
}

static void add_class_rule(build_t* w, const core_problem_t* pb, const sched_infra_constraint_t* c)
{
  bool any = false;
  for (size_t v = 0; v < pb->vm_count && !any; v++)
    any = c->vm_class < 0 || w->b->vm_class[v] == (size_t)c->vm_class;
  if (!any) return;
  core_constraint_t* k = open_cstr(w, c->kind == SCHED_INFRA_BAN ? CORE_BAN : CORE_FENCE);
  size_t nodes         = add_set_nodes(w, pb, c->pm_in);
  if (nodes == 0 && k->kind == CORE_BAN) { /* nothing banned here */
    w->nc--;
    return;
  }
  if (nodes == 0) k->kind = CORE_ROOT; /* fenced elsewhere: from here, they cannot go where they belong */
  for (size_t v = 0; v < pb->vm_count; v++)
    if (c->vm_class < 0 || w->b->vm_class[v] == (size_t)c->vm_class) add_vm(w, (int32_t)v);
}

/* MAX_ONLINE: the count left to the problem's nodes, once those of the set outside it that host a
 * VM are counted; when they already exceed it, the nodes inside may not switch on any more. */
static void add_max_online(build_t* w, const sched_ctx_t* ctx, const core_problem_t* pb,
                           const sched_infra_constraint_t* c, const uint8_t* inside)
{
  size_t outside = 0, active_inside = 0;
  for (size_t pm = 0; pm < sched_pm_count(ctx); pm++)
    if (c->pm_in[pm] && !inside[pm] && sched_pm_vms(ctx, pm, NULL, 0) > 0) outside++;
  core_constraint_t* k = open_cstr(w, CORE_MAX_ONLINE);
  size_t nodes         = add_set_nodes(w, pb, c->pm_in);
  if (nodes == 0) {
    w->nc--;
    return;
  }
  for (size_t v = 0; v < pb->vm_count; v++) /* nodes of the set in the problem hosting a VM now */
    if (c->pm_in[pb->nodes[pb->vms[v].node].id] && (v == 0 || pb->vms[v].node != pb->vms[v - 1].node)) active_inside++;
  k->k = outside <= c->count ? c->count - outside : 0;
  if (outside > c->count) k->k = active_inside; /* broken outside this problem: no worse here */
}

size_t sched__infra_cstrs_build(const sched_ctx_t* ctx, sched_infra_cstrs_t* b, const core_problem_t* pb,
                                const core_constraint_t** out)
{
  *out     = NULL;
  size_t n = sched_infra_count(ctx);
  if (n == 0) return 0;
  b->vm_class = sched__grow(b->vm_class, &b->class_cap, pb->vm_count + 1, sizeof *b->vm_class);
  for (size_t v = 0; v < pb->vm_count; v++) {
    sched_vm_info_t info;
    sched_vm_info(ctx, (size_t)pb->vms[v].id, &info);
    b->vm_class[v] = info.vm_class;
  }
  uint8_t* inside = NULL; /* per PM: in the problem (max-online only) */
  build_t w       = {.b = b};
  for (size_t i = 0; i < n; i++) {
    sched_infra_constraint_t c;
    sched_infra_constraint(ctx, i, &c);
    if (c.kind == SCHED_INFRA_BAN || c.kind == SCHED_INFRA_FENCE) {
      add_class_rule(&w, pb, &c);
    } else if (c.kind == SCHED_INFRA_OFFLINE) {
      if (!c.active) continue;
      open_cstr(&w, CORE_OFFLINE);
      if (add_set_nodes(&w, pb, c.pm_in) == 0) w.nc--;
    } else {
      if (!inside) {
        inside = calloc(sched_pm_count(ctx) + 1, 1);
        if (!inside) abort();
        for (size_t k = 0; k < pb->node_count; k++)
          inside[pb->nodes[k].id] = 1;
      }
      add_max_online(&w, ctx, pb, &c, inside);
    }
  }
  free(inside);
  for (size_t c = 0; c < w.nc; c++) { /* the lists are in place: point at them */
    b->cs[c].vms   = b->cs[c].vm_count ? b->vms + b->first[c].vm : NULL;
    b->cs[c].nodes = b->cs[c].node_count ? b->nodes + b->first[c].node : NULL;
  }
  *out = w.nc ? b->cs : NULL;
  return w.nc;
}
