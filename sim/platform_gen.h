/* The generated platforms as SimGrid platform XML: the single cluster (kind=cluster) and the multi-site
 * LUC platform (kind=luc, docs/PLATFORMS.md). Shared by platform.c (which loads it) and by
 * `lucsim platform` (which prints it); not a public interface beyond plat_write_xml in platform.h. */
#ifndef LUCSIM_PLATFORM_GEN_H
#define LUCSIM_PLATFORM_GEN_H

#include "config.h"
#include "config_backbone.h"

#include <stddef.h>

/* Share of `total` items given to `site` out of `sites`: total / sites, plus one for the first
 * total % sites sites. Used for the PMs and for the service nodes of each site. */
size_t plat_gen_share(size_t total, size_t sites, size_t site);

/* The PMs of each site of a LUC platform (p->sites entries, malloc'd: free), as config_site_pm_counts
 * gives them (site_pms, the backbone file, or an even spread). NULL when the backbone file cannot be
 * read back (config_finish read it already) or out of memory. */
size_t* plat_gen_site_pms(const plat_params_t* p);

/* The backbone of a LUC platform: n sites, the link between sites a and b (index into links, -1 when
 * none), each link's latency and bandwidth, and the backbone file (site names, coordinates). */
typedef struct plat_gen_backbone {
  size_t n, link_count;
  long* link_of;                 /* n x n */
  config_backbone_link_t* links; /* in (a, b) order, a < b */
  config_backbone_t* file;       /* topology=file, else NULL */
} plat_gen_backbone_t;

/* Builds the links of p's backbone: of the built-in topology (wan_bandwidth, wan_latency each), or
 * of the backbone file (its latencies; its bandwidths, else wan_bandwidth). Returns 0, or -1 when
 * the backbone file cannot be read back or out of memory; plat_gen_backbone_free g in both cases. */
int plat_gen_backbone_build(const plat_params_t* p, plat_gen_backbone_t* g);
void plat_gen_backbone_free(plat_gen_backbone_t* g);

/* Host names of a LUC platform: PM i (local index) and service node j of site s. */
void plat_gen_pm_name(char* buf, size_t size, size_t site, size_t i);
void plat_gen_service_name(char* buf, size_t size, size_t site, size_t j);

#endif
