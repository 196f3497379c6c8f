/* wan_faults_t: failures and repairs of the backbone links of a LUC platform, drawn
 * (injector.faults.wan_mtbf / wan_mttr) or replayed (the link lines of a failure trace), and the
 * SimGrid actor that applies them at their times through a hook. Apart from the load and node
 * injector (injector.h) so that link failures, which have their own random streams, change no
 * other event: with wan_mtbf 0 nothing here exists. */
#ifndef LUCSIM_WAN_FAULTS_H
#define LUCSIM_WAN_FAULTS_H

#include "fault_trace.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wan_faults wan_faults_t;

/* Drawn: each of `links` links fails at rate 1 / mtbf_s (a Poisson process over the links, each
 * event naming a uniform link, dropped when that link is already down) and is repaired after an
 * exponential time of mean mttr_s. Streams RNG_STREAM_WAN_FAULTS and WAN_REPAIRS of seed.
 * Returns NULL when out of memory. Owned by the caller: wan_faults_destroy (after simgrid_run). */
wan_faults_t* wan_faults_create(size_t links, double mtbf_s, double mttr_s, uint64_t seed);
/* Replayed: the events of a trace (borrowed, by time; each link alternating down and up). */
wan_faults_t* wan_faults_replay(const fault_trace_link_event_t* events, size_t count);
void wan_faults_destroy(wan_faults_t* w); /* accepts NULL */

/* The next event: returns 1 and fills link, down and time_s, or 0 when there is none. Times never
 * decrease; at equal times, by link index (repairs before failures). */
int wan_faults_next(wan_faults_t* w, size_t* link, bool* down, double* time_s);

/* One actor "wan-faults" on host (never turned off) that applies every event before end_s through
 * on_event (userdata borrowed). Call between platform loading and simgrid_run(). */
typedef void (*wan_faults_fn)(void* userdata, size_t link, bool down, double now);
void wan_faults_start_actor(wan_faults_t* w, sg_host_t host, double end_s, wan_faults_fn on_event, void* userdata);

#endif
