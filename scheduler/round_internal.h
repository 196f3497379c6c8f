/* The round's solve-and-execute sequence, shared by sched_round_run (round.c) and the consolidation
 * rounds of the power policy (power_policy.c). Not for schedulers. */
#ifndef LUCSIM_ROUND_INTERNAL_H
#define LUCSIM_ROUND_INTERNAL_H

#include "scheduler.h"

/* One round over r's PMs (see sched_round_run), with the problem's nodes empty[0..empty_count)
 * (problem node indices) required empty in the target. Does not run the power policy. */
void sched__round_solve(sched_ctx_t* ctx, const sched_round_t* r, const size_t* empty, size_t empty_count,
                        sched_round_report_t* report);

#endif
