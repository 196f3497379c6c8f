/* failover_t: keeps a central scheduler running when its service node crashes, by heartbeats.
 * The leader's node sends a heartbeat every `period` to every other service node; each of those
 * runs a watcher. A watcher that hears nothing for `timeout` times its rank (the leader's
 * successors, in service-node order, wait their turn: 1, 2, 3... timeouts) takes over: it becomes the leader,
 * on its own node, with the next epoch, and its heartbeats stop the later ones. A crashed node
 * loses its role; repaired, it comes back as a watcher. A leader stops as soon as a later epoch
 * exists (the module's shared state stands for the step-down message it would receive; this only
 * matters if beats were lost while it lived). Detection uses only messages: a watcher never reads
 * whether the leader's node is up.
 * Leaders are named to the engine (sched_set_leader), which measures the time without one.
 * Protocol and outputs: docs/FAULTS.md ("Failure detection"), docs/METRICS.md. */
#ifndef LUCSIM_ENTROPY_FAILOVER_H
#define LUCSIM_ENTROPY_FAILOVER_H

#include "scheduler.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct failover failover_t;

/* The body of a leader: runs in its own actor on `node` and must return soon after
 * failover_leading(f, epoch) becomes false. takeover: false for the first leader (t = 0). */
typedef void (*failover_lead_fn)(void* userdata, size_t node, uint64_t epoch, bool takeover);

/* first_service: the service index of the first leader. Every service node takes part. csv:
 * where take-overs are written (entropy_leaders.csv), may be NULL. Returns NULL when out of memory.
 * Owned by the caller: failover_destroy after the simulation. */
failover_t* failover_create(sched_ctx_t* ctx, const char* name, size_t first_service, double period_s, double timeout_s,
                            double message_bytes, failover_lead_fn lead, void* userdata, FILE* csv);
void failover_destroy(failover_t* f); /* accepts NULL */

/* At t = 0: the first leader, its heartbeats and the watchers. */
void failover_start(failover_t* f);

/* Whether the leader of `epoch` is still the leader (its node did not crash, no later epoch). */
bool failover_leading(const failover_t* f, uint64_t epoch);

/* From the scheduler's on_node_crash / on_node_recover (any node: PMs are ignored). */
void failover_node_event(failover_t* f, size_t node, bool up);

/* Take-overs so far. */
size_t failover_takeovers(const failover_t* f);

#endif
