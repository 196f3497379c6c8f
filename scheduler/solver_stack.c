/* sched_core_solve: core_solve on a stack of its own. Actors run on small stacks (docs/DESIGN.md §7:
 * 16 KiB each, so that 10K of them fit in little memory), and GLPK alone needs more than that. The
 * solver never yields to SimGrid, so one shared stack serves every actor in turn: switch to it,
 * solve, switch back. The stack is mapped once, lazily backed (only the pages a solve touched are
 * resident) and has a guard page below it, so an overflow crashes instead of writing over memory. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, MAP_STACK */
#include "scheduler.h"

#include <xbt/asserts.h>

#ifndef LUCSIM_SANITIZED_BUILD
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define SOLVER_STACK_BYTES ((size_t)8 << 20) /* as a main thread's default stack (ulimit -s) */

static struct {
  ucontext_t caller, solver;
  unsigned char* mapping; /* guard page, then the stack */
  size_t page;
  bool busy;
  const core_problem_t* pb;
  const core_params_t* params;
  core_result_t* out;
  int rc;
} deep;

static void unmap_solver_stack(void)
{
  munmap(deep.mapping, deep.page + SOLVER_STACK_BYTES);
}

static void map_solver_stack(void)
{
  deep.page = (size_t)sysconf(_SC_PAGESIZE);
  void* map = mmap(NULL, deep.page + SOLVER_STACK_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  xbt_assert(map != MAP_FAILED, "cannot map the solver's stack (%zu bytes)", SOLVER_STACK_BYTES);
  xbt_assert(mprotect(map, deep.page, PROT_NONE) == 0, "cannot protect the solver stack's guard page");
  deep.mapping = map;
  atexit(unmap_solver_stack);
}

static void solve_on_solver_stack(void)
{
  deep.rc = core_solve(deep.pb, deep.params, deep.out);
} /* returns to deep.caller (uc_link) */
#endif

int sched_core_solve(const core_problem_t* pb, const core_params_t* params, core_result_t* out)
{
#ifdef LUCSIM_SANITIZED_BUILD
  /* sanitized builds run actors as threads (full-size stacks); the sanitizers do not follow
   * swapcontext */
  return core_solve(pb, params, out);
#else
  /* one shared stack: actors must not solve at the same time (parallel contexts) */
  xbt_assert(!deep.busy, "two solver calls at once (contexts/nthreads > 1 is not supported)");
  if (!deep.mapping) map_solver_stack();
  deep.busy = true, deep.pb = pb, deep.params = params, deep.out = out;
  xbt_assert(getcontext(&deep.solver) == 0, "getcontext failed");
  deep.solver.uc_stack.ss_sp   = deep.mapping + deep.page;
  deep.solver.uc_stack.ss_size = SOLVER_STACK_BYTES;
  deep.solver.uc_link          = &deep.caller;
  makecontext(&deep.solver, solve_on_solver_stack, 0);
  xbt_assert(swapcontext(&deep.caller, &deep.solver) == 0, "swapcontext failed");
  deep.busy = false;
  return deep.rc;
#endif
}
