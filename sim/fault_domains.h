/* Failure domains of correlated outages (injector.faults.site_mtbf): which crashable nodes fail
 * together. A domain is a site (rack_size 0: its PMs, and its service nodes when they may crash),
 * or a rack (rack_size N: N consecutive PMs of one site, by PM index; service nodes in none). On a
 * single-cluster platform (one site) racks are the way to get correlated failures smaller than
 * the whole cluster. */
#ifndef LUCSIM_FAULT_DOMAINS_H
#define LUCSIM_FAULT_DOMAINS_H

#include "platform.h"

#include <stddef.h>

typedef struct fault_domains {
  size_t* domain_of; /* per crashable node (PMs, then service nodes): its domain or INJ_NO_DOMAIN */
  size_t count;      /* domains */
  size_t* site;      /* per domain: its site */
  bool racks;        /* domains are racks (else sites) */
} fault_domains_t;

/* The domains of plat's first `crashable` nodes. Returns NULL when out of memory.
 * Owned by the caller: fault_domains_free. */
fault_domains_t* fault_domains_build(const plat_t* plat, size_t crashable, int rack_size);
void fault_domains_free(fault_domains_t* d); /* accepts NULL */

#endif
