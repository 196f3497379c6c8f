/* Failure domains: sites, or racks of consecutive PMs within a site (fault_domains.h). */
#include "fault_domains.h"
#include "injector.h" /* INJ_NO_DOMAIN */

#include <stdlib.h>

void fault_domains_free(fault_domains_t* d)
{
  if (!d) return;
  free(d->domain_of);
  free(d->site);
  free(d);
}

fault_domains_t* fault_domains_build(const plat_t* plat, size_t crashable, int rack_size)
{
  size_t pms         = plat_pm_count(plat);
  size_t sites       = plat_site_count(plat);
  fault_domains_t* d = calloc(1, sizeof *d);
  size_t* in_site    = calloc(sites, sizeof *in_site);    /* racks: PMs of each site seen so far */
  size_t* open_rack  = malloc(sites * sizeof *open_rack); /* racks: each site's rack being filled */
  if (!d || !in_site || !open_rack) goto fail;
  d->domain_of = malloc((crashable ? crashable : 1) * sizeof *d->domain_of);
  d->site      = malloc((rack_size > 0 ? (pms ? pms : 1) : (sites ? sites : 1)) * sizeof *d->site);
  if (!d->domain_of || !d->site) goto fail;
  d->racks = rack_size > 0;
  if (!d->racks) {
    d->count = sites;
    for (size_t s = 0; s < sites; s++)
      d->site[s] = s;
  }
  for (size_t node = 0; node < crashable; node++) {
    if (node >= pms) { /* a service node: in its site's domain, in no rack */
      d->domain_of[node] = d->racks ? INJ_NO_DOMAIN : plat_service_site(plat, node - pms);
      continue;
    }
    size_t s = plat_pm_site(plat, node);
    if (!d->racks) {
      d->domain_of[node] = s;
      continue;
    }
    if (in_site[s]++ % (size_t)rack_size == 0) { /* this PM opens a new rack of its site */
      open_rack[s]        = d->count;
      d->site[d->count++] = s;
    }
    d->domain_of[node] = open_rack[s];
  }
  free(in_site);
  free(open_rack);
  return d;
fail:
  free(in_site);
  free(open_rack);
  fault_domains_free(d);
  return NULL;
}
