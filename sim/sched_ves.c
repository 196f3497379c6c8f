/* The virtual-environment part of the scheduler API (scheduler.h, "Virtual environments"), on the
 * run's ves_t. */
#include "sched_ctx_internal.h"

#include <string.h>

_Static_assert((int)SCHED_VE_SPREAD == (int)VE_CSTR_SPREAD && (int)SCHED_VE_BAN == (int)VE_CSTR_BAN,
               "the API's constraint kinds are the experiment file's");

size_t sched_ve_count(const sched_ctx_t* ctx)
{
  return ves_count(ctx->run->ves);
}

size_t sched_vm_ve(const sched_ctx_t* ctx, size_t vm)
{
  size_t ve = ves_vm_ve(ctx->run->ves, vm);
  return ve == SIZE_MAX ? SCHED_NO_VE : ve;
}

bool sched_ve_is_running(const sched_ctx_t* ctx, size_t ve)
{
  return ve < ves_count(ctx->run->ves) && ves_state(ctx->run->ves, ve) == VE_RUNNING;
}

size_t sched_ve_constraint_count(const sched_ctx_t* ctx, size_t ve)
{
  return ves_constraint_count(ctx->run->ves, ve);
}

void sched_ve_constraint(const sched_ctx_t* ctx, size_t ve, size_t i, sched_ve_constraint_t* out)
{
  size_t first;
  const ves_cstr_t* c = ves_constraint(ctx->run->ves, ve, i, &first);
  *out                = (sched_ve_constraint_t){(sched_ve_kind_t)c->kind, first + c->offset, c->count, c->site_in};
}

bool sched_vm_may_go(const sched_ctx_t* ctx, size_t vm, size_t pm)
{
  return ves_vm_may_go(ctx->run->ves, vm, pm);
}
