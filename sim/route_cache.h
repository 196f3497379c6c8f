/* Route latency and bandwidth between two hosts, remembered per pair. SimGrid computes a route at
 * every query (a vector of links, a walk through the zones), and a scheduler that times its own
 * messages (DVMS's timed keepalives, sched_message_transit) asks for the same pairs again and again.
 * Links never change during a run, so a remembered answer is SimGrid's own. Direct-mapped: a pair
 * whose slot holds another pair takes it over. */
#ifndef LUCSIM_ROUTE_CACHE_H
#define LUCSIM_ROUTE_CACHE_H

#include <simgrid/host.h>
#include <stddef.h>
#include <stdint.h>

typedef struct route_cache route_cache_t;

/* slots: rounded up to a power of two. NULL on allocation failure. */
route_cache_t* route_cache_create(size_t slots);
void route_cache_destroy(route_cache_t* rc); /* accepts NULL */
/* The route from host a (node index from) to host b (node index to): its latency in s and its
 * bandwidth in B/s, as sg_host_get_route_latency and sg_host_get_route_bandwidth give them. */
void route_cache_get(route_cache_t* rc, uint32_t from, sg_host_t a, uint32_t to, sg_host_t b, double* latency_s,
                     double* bandwidth_Bps);

#endif
