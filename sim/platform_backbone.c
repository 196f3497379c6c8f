/* The backbone of a loaded generated LUC platform as the results see it: its links (site pairs,
 * latency, bandwidth), the sites' coordinates from a backbone file, and backbone.csv. Not the
 * SimGrid XML of the links (platform_gen.c) nor the reading of backbone files (config_backbone.c). */
#include "platform_gen.h"
#include "platform_internal.h"

#include <stdlib.h>

int plat__keep_backbone(plat_t* plat, const plat_params_t* p)
{
  plat_gen_backbone_t g;
  if (plat_gen_backbone_build(p, &g) != 0) {
    plat_gen_backbone_free(&g);
    return -1;
  }
  int rc           = 0;
  plat->links      = malloc((g.link_count ? g.link_count : 1) * sizeof *plat->links);
  plat->link_count = plat->links ? g.link_count : 0;
  if (!plat->links) rc = -1;
  for (size_t i = 0; i < plat->link_count; i++)
    plat->links[i] = (plat_link_t){
        .a = g.links[i].a, .b = g.links[i].b, .latency_s = g.links[i].latency_s, .bw_Bps = g.links[i].bw_Bps};
  if (rc == 0 && g.file && g.file->has_coords) {
    plat->site_lonlat = malloc(2 * g.n * sizeof *plat->site_lonlat);
    if (!plat->site_lonlat) rc = -1;
    for (size_t s = 0; rc == 0 && s < g.n; s++) {
      plat->site_lonlat[2 * s]     = g.file->sites[s].lon;
      plat->site_lonlat[2 * s + 1] = g.file->sites[s].lat;
    }
  }
  plat_gen_backbone_free(&g);
  return rc;
}

size_t plat_link_count(const plat_t* plat)
{
  return plat->link_count;
}

const plat_link_t* plat_link(const plat_t* plat, size_t i)
{
  return &plat->links[i];
}

bool plat_site_coords(const plat_t* plat, size_t site, double* lon, double* lat)
{
  if (!plat->site_lonlat) return false;
  *lon = plat->site_lonlat[2 * site];
  *lat = plat->site_lonlat[2 * site + 1];
  return true;
}

int plat_write_backbone_csv(const plat_t* plat, FILE* f)
{
  fprintf(f, "site_a,site_b,latency_s,bandwidth_Bps\n");
  for (size_t i = 0; i < plat->link_count; i++) {
    const plat_link_t* l = &plat->links[i];
    fprintf(f, "%zu,%zu,%.9f,%.0f\n", l->a, l->b, l->latency_s, l->bw_Bps);
  }
  return ferror(f) ? -1 : 0;
}
