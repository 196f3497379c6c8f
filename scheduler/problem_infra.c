/* The infrastructure constraints in a built problem (scheduler.h, "Infrastructure constraints"):
 * each one restricted to the problem. A ban or fence names the problem's VMs of its class and its
 * nodes in the problem (a fence with none of them here pins those VMs: they cannot go where they
 * belong from this partition); an open window is an OFFLINE over its nodes in the problem; a
 * max-online counts the nodes of its set outside the problem that host VMs against its count.
 * Built on the public API only, like the rest of the builder (solving.c). */
#include "problem_infra.h"

#include "problem_cstrs.h"

#include <stdlib.h>
#include <string.h>

struct sched_infra_cstrs {
  sched_cstr_list_t list;
  size_t* vm_class; /* per problem VM */
  size_t class_cap;
};

sched_infra_cstrs_t* sched__infra_cstrs_create(void)
{
  return calloc(1, sizeof(sched_infra_cstrs_t));
}

void sched__infra_cstrs_destroy(sched_infra_cstrs_t* b)
{
  if (!b) return;
  sched__cstrs_free(&b->list);
  free(b->vm_class);
  free(b);
}

typedef struct build {
  sched_infra_cstrs_t* b;
  sched_cstr_list_t* l; /* b's */
} build_t;

/* The problem's nodes in the set into the open constraint; returns how many. */
static size_t add_set_nodes(build_t* w, const core_problem_t* pb, const bool* pm_in)
{
  size_t n = 0;
  for (size_t i = 0; i < pb->node_count; i++)
    if (pm_in[pb->nodes[i].id]) sched__cstrs_add_node(w->l, (int32_t)i), n++;
  return n;
}

static void add_class_rule(build_t* w, const core_problem_t* pb, const sched_infra_constraint_t* c)
{
  bool any = false;
  for (size_t v = 0; v < pb->vm_count && !any; v++)
    any = c->vm_class < 0 || w->b->vm_class[v] == (size_t)c->vm_class;
  if (!any) return;
  core_constraint_t* k = sched__cstrs_open(w->l, c->kind == SCHED_INFRA_BAN ? CORE_BAN : CORE_FENCE);
  size_t nodes         = add_set_nodes(w, pb, c->pm_in);
  if (nodes == 0 && k->kind == CORE_BAN) { /* nothing banned here */
    sched__cstrs_drop_last(w->l);
    return;
  }
  if (nodes == 0) k->kind = CORE_ROOT; /* fenced elsewhere: from here, they cannot go where they belong */
  for (size_t v = 0; v < pb->vm_count; v++)
    if (c->vm_class < 0 || w->b->vm_class[v] == (size_t)c->vm_class) sched__cstrs_add_vm(w->l, (int32_t)v);
}

/* MAX_ONLINE: the count left to the problem's nodes, once those of the set outside it that host a
 * VM are counted; when they already exceed it, the nodes inside may not switch on any more. */
static void add_max_online(build_t* w, const sched_ctx_t* ctx, const core_problem_t* pb,
                           const sched_infra_constraint_t* c, const uint8_t* inside)
{
  size_t outside = 0, active_inside = 0;
  for (size_t pm = 0; pm < sched_pm_count(ctx); pm++)
    if (c->pm_in[pm] && !inside[pm] && sched_pm_vms(ctx, pm, NULL, 0) > 0) outside++;
  core_constraint_t* k = sched__cstrs_open(w->l, CORE_MAX_ONLINE);
  size_t nodes         = add_set_nodes(w, pb, c->pm_in);
  if (nodes == 0) {
    sched__cstrs_drop_last(w->l);
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
  sched__cstrs_reset(&b->list);
  build_t w = {.b = b, .l = &b->list};
  for (size_t i = 0; i < n; i++) {
    sched_infra_constraint_t c;
    sched_infra_constraint(ctx, i, &c);
    if (c.kind == SCHED_INFRA_BAN || c.kind == SCHED_INFRA_FENCE) {
      add_class_rule(&w, pb, &c);
    } else if (c.kind == SCHED_INFRA_OFFLINE) {
      if (!c.active) continue;
      sched__cstrs_open(w.l, CORE_OFFLINE);
      if (add_set_nodes(&w, pb, c.pm_in) == 0) sched__cstrs_drop_last(w.l);
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
  return sched__cstrs_finish(&b->list, out);
}
