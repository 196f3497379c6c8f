/* Small hand-made core instances for the core_cases and core_constraints suites: up to 8 nodes and
 * 16 VMs of 1 GiB, built node by node, VM by VM, constraint by constraint, and solved with the checks
 * every answer must pass. Header-only (static functions): each suite file includes it once. */
#ifndef LUCSIM_TEST_CORE_INST_H
#define LUCSIM_TEST_CORE_INST_H

#include "core.h"

#include <CUnit/CUnit.h>
#include <string.h>

#define GIB (1024ULL * 1024 * 1024)
#define MAXN 8
#define MAXV 16

typedef struct inst {
  core_node_t nodes[MAXN];
  core_vm_t vms[MAXV];
  core_constraint_t cs[4];
  core_problem_t pb;
} inst_t;

static void inst_init(inst_t* t, size_t nodes, double cap)
{
  memset(t, 0, sizeof *t);
  for (size_t n = 0; n < nodes; n++)
    t->nodes[n] = (core_node_t){cap, 16 * GIB, true, (int64_t)n};
  t->pb = (core_problem_t){.nodes = t->nodes, .node_count = nodes, .vms = t->vms, .constraints = t->cs};
}

static int32_t vm(inst_t* t, int32_t node, double cpu, bool movable)
{
  size_t v  = t->pb.vm_count++;
  t->vms[v] = (core_vm_t){cpu, GIB, node, movable, (int64_t)v};
  return (int32_t)v;
}

static void cstr(inst_t* t, core_cstr_kind_t kind, const int32_t* vms, size_t nv, const int32_t* nodes, size_t nn)
{
  t->cs[t->pb.constraint_count++] = (core_constraint_t){kind, vms, nv, nodes, nn, NULL, 0, 0, 0};
}

/* Solves with p (NULL: defaults), checks the invariants every answer must satisfy, returns the status. */
static core_status_t solve(const inst_t* t, const core_params_t* p, core_result_t* r)
{
  CU_ASSERT_EQUAL_FATAL(core_solve(&t->pb, p, r), 0);
  CU_ASSERT(r->charged_seconds > 0);
  if (r->status == CORE_SOLVED) {
    char msg[256];
    CU_ASSERT_EQUAL(core_check_placement(&t->pb, r->target, msg, sizeof msg), 0);
    CU_ASSERT(r->cost >= r->lower_bound - 1e-9);
  }
  return r->status;
}

/* Node 0 (cap 100) holds a 70 and a 50; the 50 must move: where do the constraints send it? */
static int32_t overload(inst_t* t, size_t nodes)
{
  inst_init(t, nodes, 100);
  vm(t, 0, 70, false);
  return vm(t, 0, 50, true);
}

#endif
