/* The VE constraints of a problem (problem_ves.c), for the problem builder of solving.c only. */
#ifndef LUCSIM_PROBLEM_VES_H
#define LUCSIM_PROBLEM_VES_H

#include "scheduler.h"

typedef struct sched_ve_cstrs sched_ve_cstrs_t; /* reusable buffers */
sched_ve_cstrs_t* sched__ve_cstrs_create(void);
void sched__ve_cstrs_destroy(sched_ve_cstrs_t* b); /* accepts NULL */
/* The constraints of the running VEs with a VM in pb (nodes and VMs built, ids = PM and VM
 * indices), into b; *out points at them (valid until the next build). Returns their count. */
size_t sched__ve_cstrs_build(const sched_ctx_t* ctx, sched_ve_cstrs_t* b, const core_problem_t* pb,
                             const core_constraint_t** out);

#endif
