/* sites_t: what happened on each site of the platform (sites.csv, and the inter-site columns of
 * summary.csv; docs/METRICS.md). It counts completed migrations by the sites of their source and
 * destination PMs and keeps each site's VMs at t = 0. Not the sites themselves (platform.h). */
#ifndef LUCSIM_SITES_H
#define LUCSIM_SITES_H

#include "cluster.h"
#include "migration.h"
#include "monitor.h"
#include "platform.h"

#include <stdio.h>

typedef struct sites sites_t;

/* Totals of the completed migrations whose source and destination sites differ. */
typedef struct sites_totals {
  size_t intersite_migrations;
  double intersite_bytes;
  double intersite_seconds;     /* sum of their durations */
  double intersite_image_bytes; /* of intersite_bytes, the disk images' */
} sites_totals_t;

/* Reads the sites of plat and each site's VMs from cl (call after the initial placement). plat is
 * borrowed and must outlive the result. Returns NULL when out of memory. Owned: sites_destroy. */
sites_t* sites_create(const plat_t* plat, const cluster_t* cl);
void sites_destroy(sites_t* sites); /* accepts NULL */

/* A migration ended; only completed ones (MIG_OK) count. */
void sites_record_migration(sites_t* sites, const mig_result_t* r);
sites_totals_t sites_totals(const sites_t* sites);

/* Writes sites.csv (header and one row per site; lon,lat columns when the platform has site
 * coordinates, plat_site_coords); violation time per site from mon (call
 * mon_finish first). Returns 0, or -1 on a write error. */
int sites_write_csv(const sites_t* sites, const mon_t* mon, FILE* f);

#endif
