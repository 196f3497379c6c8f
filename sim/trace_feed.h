/* Connects the Paje writer (trace.c) to the run: PM states from the monitor, PM variables and
 * migration links from the cluster, root variables from the load sampler. The writer itself knows
 * nothing of the cluster; this file is the only place that translates. */
#ifndef LUCSIM_TRACE_FEED_H
#define LUCSIM_TRACE_FEED_H

#include "cluster.h"
#include "monitor.h"
#include "trace.h"

typedef struct trace_feed trace_feed_t;

/* Registers as a cluster listener and a monitor observer and writes the initial state at t = 0.
 * tr is borrowed (may be NULL: then nothing is registered and NULL is returned). Owned by the
 * caller: trace_feed_destroy. */
trace_feed_t* trace_feed_create(trace_t* tr, cluster_t* cl, mon_t* mon);
void trace_feed_destroy(trace_feed_t* feed); /* accepts NULL */

/* Root variables (global load %, PMs in violation), at the load sampler's pace. */
void trace_feed_sample(trace_feed_t* feed, double now);

#endif
