/* The infrastructure constraints of a problem (problem_infra.c), for the problem builder of
 * solving.c only. */
#ifndef LUCSIM_PROBLEM_INFRA_H
#define LUCSIM_PROBLEM_INFRA_H

#include "scheduler.h"

typedef struct sched_infra_cstrs sched_infra_cstrs_t; /* reusable buffers */
sched_infra_cstrs_t* sched__infra_cstrs_create(void);
void sched__infra_cstrs_destroy(sched_infra_cstrs_t* b); /* accepts NULL */
/* The run's infrastructure constraints restricted to pb (nodes and VMs built, ids = PM and VM
 * indices), into b; *out points at them (valid until the next build). Returns their count. */
size_t sched__infra_cstrs_build(const sched_ctx_t* ctx, sched_infra_cstrs_t* b, const core_problem_t* pb,
                                const core_constraint_t** out);

#endif
