/* The virtual-environment and infrastructure-constraint parts of the scheduler API (scheduler.h,
 * "Virtual environments", "Infrastructure constraints"), on the run's ves_t and infra_t. */
#include "sched_ctx_internal.h"

#include <simgrid/engine.h>
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
  return ves_vm_may_go(ctx->run->ves, vm, pm) &&
         infra_vm_allowed(ctx->run->infra, cluster_vm(ctx->run->cluster, vm)->class_id, pm, simgrid_get_clock());
}

/* ---- infrastructure constraints (the run's infra_t) ---- */

_Static_assert((int)SCHED_INFRA_BAN == (int)INFRA_BAN && (int)SCHED_INFRA_MAX_ONLINE == (int)INFRA_MAX_ONLINE,
               "the API's infrastructure constraint kinds are the experiment file's");

size_t sched_infra_count(const sched_ctx_t* ctx)
{
  return infra_count(ctx->run->infra);
}

void sched_infra_constraint(const sched_ctx_t* ctx, size_t i, sched_infra_constraint_t* out)
{
  const infra_constraint_t* c = infra_constraint(ctx->run->infra, i);
  *out = (sched_infra_constraint_t){(sched_infra_kind_t)c->kind, infra_nodes(ctx->run->infra, i), c->class_index,
                                    (size_t)c->count, infra_is_active(ctx->run->infra, i, simgrid_get_clock())};
}
