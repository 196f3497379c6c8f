/* islands_t: which sites of a LUC platform reach each other while backbone links are down
 * (injector.faults.wan_mtbf, or link lines of a failure trace). An island is a connected component
 * of the backbone's up links: a real backbone reroutes around a failed link, so two sites stay in
 * touch while any path of up links joins them. SimGrid 3.32 cannot change a route once the platform
 * is loaded, so a flow between two sites of one island keeps its original route (docs/FAULTS.md);
 * what islands decide is which flows, messages and decisions are possible at all. */
#ifndef LUCSIM_ISLANDS_H
#define LUCSIM_ISLANDS_H

#include "platform.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct islands islands_t;

/* Every backbone link of plat up: one island. Memory O(sites^2) (the time each pair of sites got
 * separated). Returns NULL when out of memory. Owned by the caller: islands_destroy. */
islands_t* islands_create(const plat_t* plat);
void islands_destroy(islands_t* is); /* accepts NULL */

/* Backbone link `link` (plat_link index) goes down (up = false) or comes back at `now`. Returns
 * true when the islands changed (a split or a merge), false when the sites reach the same sites as
 * before (a redundant link, or a link already in that state). */
bool islands_set_link(islands_t* is, size_t link, bool up, double now);

/* The island of a site: the smallest site index in it (stable while the island does not change). */
size_t islands_of_site(const islands_t* is, size_t site);
size_t islands_count(const islands_t* is);
bool islands_sites_reach(const islands_t* is, size_t site_a, size_t site_b);
/* Since when sites a and b are in different islands (simulated seconds), or -1 when they reach
 * each other. */
double islands_separated_since(const islands_t* is, size_t site_a, size_t site_b);
/* True from the first split of the run on (even after the islands merged again). */
bool islands_ever_split(const islands_t* is);
/* Simulated seconds until `now` during which the backbone was split (more than one island). */
double islands_split_s(const islands_t* is, double now);

#endif
