/* The round's solve-and-execute sequence, shared by sched_round_run (round.c) and the consolidation
 * rounds of the power policy (power_policy.c), and the refusal of plugins too old for a call.
 * Not for schedulers. */
#ifndef LUCSIM_ROUND_INTERNAL_H
#define LUCSIM_ROUND_INTERNAL_H

#include "scheduler.h"

/* One round over r's PMs (see sched_round_run), with the problem's nodes empty[0..empty_count)
 * (problem node indices) required empty in the target. Does not run the power policy. */
void sched__round_solve(sched_ctx_t* ctx, const sched_round_t* r, const size_t* empty, size_t empty_count,
                        sched_round_report_t* report);

/* A scheduler of ABI version < version calls a sched_param_* whose struct grew in that version: its
 * struct is smaller than what the call writes. Returns 0 when it is recent enough, else -1 with err
 * ("built for scheduler ABI 3 calls CALL, whose struct grew in ABI 4 (GREW): rebuild it ..."),
 * before anything is written (solving.c). */
int sched__refuse_older_abi(sched_ctx_t* ctx, int version, const char* call, const char* grew, lucsim_err_t* err);

#endif
