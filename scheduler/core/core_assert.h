/* CORE_ASSERT: the solver core's check of its own invariants, on in every build (NDEBUG, which the
 * Release and RelWithDebInfo builds define, does not remove it, unlike assert). A failure is a bug in
 * lucsim: it prints "file:line: function: core assertion `cond' failed: msg" on stderr and aborts.
 * Never for bad input (core_solve returns -1) nor for allocation failures (CORE_ERROR_NO_MEMORY).
 * Internal to scheduler/core. */
#ifndef LUCSIM_CORE_ASSERT_H
#define LUCSIM_CORE_ASSERT_H

#include <stdio.h>
#include <stdlib.h>

_Noreturn static inline void core__assert_fail(const char* cond, const char* msg, const char* file, int line,
                                               const char* func)
{
  fprintf(stderr, "%s:%d: %s: core assertion `%s' failed: %s\n", file, line, func, cond, msg);
  fflush(stderr);
  abort();
}

/* cond: an expression that holds unless the core has a bug; msg: a string literal saying what it means. */
#define CORE_ASSERT(cond, msg) ((cond) ? (void)0 : core__assert_fail(#cond, msg, __FILE__, __LINE__, __func__))

#endif
