/* A list of core constraints with their VM, node and group-end lists, grown as a problem builder
 * adds to it, reused from build to build (problem_ves.c, problem_infra.c); and the builders' growth
 * helper. For the problem builder of solving.c only. */
#ifndef LUCSIM_PROBLEM_CSTRS_H
#define LUCSIM_PROBLEM_CSTRS_H

#include "scheduler.h"

typedef struct sched_cstr_list {
  core_constraint_t* cs;
  int32_t *vms, *nodes;
  size_t* ends; /* group ends of the AMONG constraints */
  struct sched_cstr_starts {
    size_t vm, node, end;
  } * first; /* per constraint, where its lists start (the arrays may move while they grow) */
  size_t cs_cap, vms_cap, nodes_cap, ends_cap, first_cap;
  size_t nc, nv, nn, ne; /* in use in this build */
} sched_cstr_list_t;

void sched__cstrs_reset(sched_cstr_list_t* l); /* empty, keeping the arrays */
void sched__cstrs_free(sched_cstr_list_t* l);
/* Starts a constraint of kind k; its lists follow with add_vm, add_node, end_group. */
core_constraint_t* sched__cstrs_open(sched_cstr_list_t* l, core_cstr_kind_t kind);
core_constraint_t* sched__cstrs_last(sched_cstr_list_t* l);
void sched__cstrs_add_vm(sched_cstr_list_t* l, int32_t v);
void sched__cstrs_add_node(sched_cstr_list_t* l, int32_t n);
void sched__cstrs_end_group(sched_cstr_list_t* l); /* the nodes added so far close a group (AMONG) */
void sched__cstrs_drop_last(sched_cstr_list_t* l); /* the last constraint and its list entries go */
/* Points every constraint at its lists, *out at them (NULL when none); returns how many. */
size_t sched__cstrs_finish(sched_cstr_list_t* l, const core_constraint_t** out);

/* The builders' buffers (solving.c too): array grown to at least need elements of elem bytes
 * (doubling from 64), *cap updated; aborts when out of memory. */
void* sched__grow(void* array, size_t* cap, size_t need, size_t elem);

#endif
