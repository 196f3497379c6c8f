/* fault_trace_t: a failure trace replayed instead of drawn failures (injector.faults.trace). A text
 * file, one event a line, `TIME,TARGET,STATE`: TIME in seconds (>= 0), TARGET a host name of the
 * platform, `site:NAME` (every PM of that site, and its service nodes when
 * injector.faults.service_nodes is true) or `link:A/B` (the backbone link between sites A and B of a
 * generated LUC platform), STATE `down` or `up`. Blank lines and `#` comments are
 * skipped; lines may come in any time order (equal times keep the file's order). Format and
 * examples: docs/FAULTS.md. */
#ifndef LUCSIM_FAULT_TRACE_H
#define LUCSIM_FAULT_TRACE_H

#include "error.h"
#include "platform.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct fault_trace_event {
  double time_s;
  size_t node; /* 0..nodes-1: PMs, then service nodes (the injector's numbering) */
  bool down;   /* true: the node crashes; false: it recovers */
} fault_trace_event_t;

/* A backbone link's failure or repair (a `link:A/B` line). */
typedef struct fault_trace_link_event {
  double time_s;
  size_t link; /* plat_link index */
  bool down;
} fault_trace_link_event_t;

typedef struct fault_trace {
  fault_trace_event_t* events; /* by time; one per node changed (a site line gives one per node) */
  size_t count;
  fault_trace_link_event_t* links; /* by time: the link lines */
  size_t link_count;
} fault_trace_t;

/* Reads path against plat. A node's or link's events must alternate down, up, down... (a site line
 * leaves its nodes already in that state as they are). Returns NULL with err (file, line, field
 * injector.faults.trace) on a bad line, an unknown host, site or link, a node or link going down
 * twice or up while up, or a service node when service_nodes is false. Owned by the caller: fault_trace_free. */
fault_trace_t* fault_trace_load(const char* path, const plat_t* plat, bool service_nodes, lucsim_err_t* err);
void fault_trace_free(fault_trace_t* t); /* accepts NULL */

#endif
