/* The core's allocations: every allocation of one core_solve (or core_check_placement) goes through its
 * core__mem_t, so that a failure is recorded once (mem->failed, sticky) and unwinds: the function that
 * gets NULL frees what it holds and returns its error, and core_solve reports CORE_ERROR_NO_MEMORY.
 * Tests make the k-th allocation fail (core__mem_t.fail_at). No global state: mem is the caller's. */
#include "core_assert.h"
#include "core_internal.h"

#include <stdint.h>
#include <stdlib.h>

/* Counts the attempt; false (mem->failed set) when it is the one the test asked to fail. */
static bool attempt(core__mem_t* mem)
{
  mem->count++;
  if (mem->fail_at != 0 && mem->count == mem->fail_at) {
    mem->failed = true;
    return false;
  }
  return true;
}

static void* checked(core__mem_t* mem, void* p)
{
  if (!p) mem->failed = true;
  return p;
}

void* core__malloc(core__mem_t* mem, size_t n, size_t size)
{
  CORE_ASSERT(size > 0, "an allocation of elements of 0 bytes");
  if (n == 0) n = 1;
  if (!attempt(mem) || n > SIZE_MAX / size) return checked(mem, NULL);
  return checked(mem, malloc(n * size));
}

void* core__calloc(core__mem_t* mem, size_t n, size_t size)
{
  if (!attempt(mem)) return NULL;
  return checked(mem, calloc(n ? n : 1, size));
}

void* core__realloc(core__mem_t* mem, void* p, size_t n, size_t size)
{
  CORE_ASSERT(size > 0, "an allocation of elements of 0 bytes");
  if (n == 0) n = 1;
  if (!attempt(mem) || n > SIZE_MAX / size) return checked(mem, NULL);
  return checked(mem, realloc(p, n * size));
}
