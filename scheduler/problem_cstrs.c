/* The constraint lists of the problem builders (problem_cstrs.h). */
#include "problem_cstrs.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

void* sched__grow(void* array, size_t* cap, size_t need, size_t elem)
{
  if (need <= *cap) return array;
  size_t n = *cap ? *cap : 64;
  while (n < need)
    n *= 2;
  array = realloc(array, n * elem);
  xbt_assert(array, "out of memory (a problem of %zu entries)", need);
  *cap = n;
  return array;
}

void sched__cstrs_reset(sched_cstr_list_t* l)
{
  l->nc = l->nv = l->nn = l->ne = 0;
}

void sched__cstrs_free(sched_cstr_list_t* l)
{
  free(l->cs), free(l->vms), free(l->nodes), free(l->ends), free(l->first);
  memset(l, 0, sizeof *l);
}

core_constraint_t* sched__cstrs_open(sched_cstr_list_t* l, core_cstr_kind_t kind)
{
  l->cs                = sched__grow(l->cs, &l->cs_cap, l->nc + 1, sizeof *l->cs);
  l->first             = sched__grow(l->first, &l->first_cap, l->nc + 1, sizeof *l->first);
  l->first[l->nc]      = (struct sched_cstr_starts){l->nv, l->nn, l->ne};
  core_constraint_t* c = &l->cs[l->nc++];
  memset(c, 0, sizeof *c);
  c->kind = kind;
  return c;
}

core_constraint_t* sched__cstrs_last(sched_cstr_list_t* l)
{
  return &l->cs[l->nc - 1];
}

void sched__cstrs_add_vm(sched_cstr_list_t* l, int32_t v)
{
  l->vms          = sched__grow(l->vms, &l->vms_cap, l->nv + 1, sizeof *l->vms);
  l->vms[l->nv++] = v;
  l->cs[l->nc - 1].vm_count++;
}

void sched__cstrs_add_node(sched_cstr_list_t* l, int32_t n)
{
  l->nodes          = sched__grow(l->nodes, &l->nodes_cap, l->nn + 1, sizeof *l->nodes);
  l->nodes[l->nn++] = n;
  l->cs[l->nc - 1].node_count++;
}

void sched__cstrs_end_group(sched_cstr_list_t* l)
{
  core_constraint_t* c = &l->cs[l->nc - 1];
  l->ends              = sched__grow(l->ends, &l->ends_cap, l->ne + 1, sizeof *l->ends);
  l->ends[l->ne++]     = c->node_count;
  c->group_count++;
}

void sched__cstrs_drop_last(sched_cstr_list_t* l)
{
  const struct sched_cstr_starts* f = &l->first[--l->nc];
  l->nv = f->vm, l->nn = f->node, l->ne = f->end;
}

size_t sched__cstrs_finish(sched_cstr_list_t* l, const core_constraint_t** out)
{
  for (size_t c = 0; c < l->nc; c++) { /* the lists are in place: point at them */
    l->cs[c].vms        = l->cs[c].vm_count ? l->vms + l->first[c].vm : NULL;
    l->cs[c].nodes      = l->cs[c].node_count ? l->nodes + l->first[c].node : NULL;
    l->cs[c].group_ends = l->cs[c].group_count ? l->ends + l->first[c].end : NULL;
  }
  *out = l->nc ? l->cs : NULL;
  return l->nc;
}
