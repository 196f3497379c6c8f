/* The "none" scheduler: no reaction at all. It is the baseline every comparison starts from, and
 * the smallest complete example of a scheduler table (it needs only init). */
#include "scheduler.h"

#include <stddef.h>

static int init_none(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)ctx;
  (void)err;
  *state = NULL;
  return 0;
}

/* start, on_violation and fini are left out: nothing to create, react to or free. */
const sched_ops_t none_ops = {
    .abi_version = SCHED_ABI_VERSION,
    .name        = "none",
    .summary     = "no scheduler: the baseline (VMs never move)",
    .init        = init_none,
};
