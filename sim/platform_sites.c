/* Sites of a SimGrid platform file (docs/PLATFORMS.md): a host's site is (a) its host property
 * `site` when the hosts have one (sites numbered in order of first appearance over the PMs in name
 * order, then over the service nodes), else (b) the zone that directly holds it when several zones
 * hold hosts (a <cluster> is its own zone; sites numbered in the natural order of the zone names),
 * else (c) one site. Not the roles and capacities of the hosts (platform_file.c). */
#include "platform_internal.h"

#include <simgrid/host.h>
#include <simgrid/zone.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/dict.h>
#include <xbt/dynar.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(plat_sites, lucsim, "Sites of platform files");

static sg_host_t host_at(const plat_t* plat, size_t i)
{
  return i < plat->pm_count ? plat->pms[i] : plat->services[i - plat->pm_count];
}

static void set_site(plat_t* plat, size_t i, size_t site)
{
  if (i < plat->pm_count)
    plat->pm_site[i] = (uint32_t)site;
  else
    plat->service_site[i - plat->pm_count] = (uint32_t)site;
}

/* (a) host property site on every host. Returns 0, or -1 with err filled. */
static int sites_from_properties(plat_t* plat, size_t hosts, const char* path, lucsim_err_t* err)
{
  const char** names = calloc(hosts, sizeof *names);
  size_t count       = 0;
  for (size_t i = 0; i < hosts; i++) {
    const char* site = sg_host_get_property_value(host_at(plat, i), "site");
    if (!site[0]) {
      free(names);
      const char* name = sg_host_get_name(host_at(plat, i));
      return lucsim_err_set(err, path, plat__host_line(path, name, "site"), "platform.file",
                            "host '%s': property site is empty; expected a site name", name);
    }
    size_t s = 0;
    while (s < count && strcmp(names[s], site) != 0)
      s++;
    if (s == count) names[count++] = site;
    set_site(plat, i, s);
  }
  plat->site_count = count;
  XBT_VERB("%zu sites from the host property site, the first '%s'", count, names[0]);
  free(names);
  return 0;
}

typedef struct zone_ref {
  const char* name;
  sg_netzone_t zone;
} zone_ref_t;

static int compare_zones(const void* a, const void* b)
{
  return plat__natural_cmp(((const zone_ref_t*)a)->name, ((const zone_ref_t*)b)->name);
}

/* The zones of the tree under z that directly hold hosts, appended to *zones (grown as needed). */
static void collect_zones(sg_netzone_t z, zone_ref_t** zones, size_t* count, size_t* cap)
{
  xbt_dynar_t hosts = xbt_dynar_new(sizeof(sg_host_t), NULL);
  sg_zone_get_hosts(z, hosts);
  if (xbt_dynar_length(hosts) > 0) {
    if (*count == *cap) {
      *cap   = *cap ? 2 * *cap : 16;
      *zones = realloc(*zones, *cap * sizeof **zones);
      xbt_assert(*zones, "out of memory");
    }
    (*zones)[(*count)++] = (zone_ref_t){sg_zone_get_name(z), z};
  }
  xbt_dynar_free(&hosts);
  xbt_dict_t sons = xbt_dict_new_homogeneous(NULL);
  sg_zone_get_sons(z, sons);
  xbt_dict_cursor_t cursor = NULL;
  char* key;
  sg_netzone_t son;
  xbt_dict_foreach(sons, cursor, key, son) collect_zones(son, zones, count, cap);
  xbt_dict_free(&sons);
}

/* (b) the zone holding each host, when several zones hold hosts; else (c) one site. */
static void sites_from_zones(plat_t* plat, size_t hosts)
{
  zone_ref_t* zones = NULL;
  size_t count = 0, cap = 0;
  collect_zones(sg_zone_get_root(), &zones, &count, &cap);
  if (count > 1) {
    qsort(zones, count, sizeof *zones, compare_zones);
    xbt_dict_t index = xbt_dict_new_homogeneous(NULL); /* host name -> its index + 1 */
    for (size_t i = 0; i < hosts; i++)
      xbt_dict_set(index, sg_host_get_name(host_at(plat, i)), (void*)(uintptr_t)(i + 1));
    for (size_t s = 0; s < count; s++) {
      xbt_dynar_t in = xbt_dynar_new(sizeof(sg_host_t), NULL);
      sg_zone_get_hosts(zones[s].zone, in);
      unsigned int k;
      sg_host_t h;
      xbt_dynar_foreach(in, k, h)
      {
        uintptr_t at = (uintptr_t)xbt_dict_get_or_null(index, sg_host_get_name(h));
        xbt_assert(at > 0, "host %s of zone %s is not in the platform", sg_host_get_name(h), zones[s].name);
        set_site(plat, at - 1, s);
      }
      xbt_dynar_free(&in);
    }
    xbt_dict_free(&index);
    plat->site_count = count;
    plat->site_name  = malloc(count * sizeof *plat->site_name);
    xbt_assert(plat->site_name, "out of memory for %zu site names", count);
    for (size_t s = 0; s < count; s++)
      plat->site_name[s] = zones[s].name;
    XBT_VERB("%zu sites from the zones holding hosts, the first '%s'", count, zones[0].name);
  }
  free(zones);
}

int plat__discover_sites(plat_t* plat, const char* path, lucsim_err_t* err)
{
  size_t hosts = plat->pm_count + plat->service_count;
  size_t with = hosts, without = hosts; /* a host with a site property, one without (hosts: none yet) */
  for (size_t i = 0; i < hosts; i++) {
    bool has = sg_host_get_property_value(host_at(plat, i), "site") != NULL;
    if (has && with == hosts) with = i;
    if (!has && without == hosts) without = i;
  }
  if (with < hosts && without < hosts)
    return lucsim_err_set(err, path, 0, "platform.file",
                          "host '%s' has no property site but host '%s' has one; expected a site on every host "
                          "(PMs and service nodes) or on none",
                          sg_host_get_name(host_at(plat, without)), sg_host_get_name(host_at(plat, with)));
  if (with < hosts) return sites_from_properties(plat, hosts, path, err);
  sites_from_zones(plat, hosts);
  return 0;
}
