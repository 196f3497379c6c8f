/* Platform construction: generated XML (platform_gen.c) loaded into SimGrid, or a SimGrid file
 * (platform_file.c), and our ordered host arrays with each host's site. Not the network model itself
 * (SimGrid's), nor any VM bookkeeping (cluster.c). */
#include "platform.h"
#include "platform_gen.h"
#include "platform_internal.h"

#include <ctype.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(plat, lucsim, "Platform construction");

/* Natural order on names (node-2 before node-10), so PM indices follow the file's numbering; names
 * equal as numbers ("a01", "a1") fall back to byte order, so the order is total. */
int plat__natural_cmp(const char* a, const char* b)
{
  const char *na = a, *nb = b;
  while (*na && *nb) {
    if (isdigit((unsigned char)*na) && isdigit((unsigned char)*nb)) {
      char *ea, *eb;
      unsigned long long va = strtoull(na, &ea, 10), vb = strtoull(nb, &eb, 10);
      if (va != vb) return va < vb ? -1 : 1;
      na = ea;
      nb = eb;
      continue;
    }
    if (*na != *nb) return (unsigned char)*na - (unsigned char)*nb;
    na++;
    nb++;
  }
  if (*na != *nb) return (unsigned char)*na - (unsigned char)*nb;
  return strcmp(a, b);
}

int plat__compare_hosts_by_name(const void* a, const void* b)
{
  return plat__natural_cmp(sg_host_get_name(*(const sg_host_t*)a), sg_host_get_name(*(const sg_host_t*)b));
}

plat_t* plat__alloc(size_t pm_count, size_t service_count)
{
  plat_t* plat        = calloc(1, sizeof *plat);
  plat->pm_count      = pm_count;
  plat->service_count = service_count;
  plat->pms           = calloc(pm_count ? pm_count : 1, sizeof(sg_host_t));
  plat->services      = calloc(service_count ? service_count : 1, sizeof(sg_host_t));
  plat->cpu_capacity  = calloc(pm_count ? pm_count : 1, sizeof(double));
  plat->ram_bytes     = calloc(pm_count ? pm_count : 1, sizeof(uint64_t));
  plat->site_count    = 1;
  plat->links_fixed   = true; /* generated platforms; a file's are read by plat__load_file */
  plat->pm_site       = calloc(pm_count ? pm_count : 1, sizeof(uint32_t));
  plat->service_site  = calloc(service_count ? service_count : 1, sizeof(uint32_t));
  return plat;
}

static int load_generated(const plat_params_t* p, lucsim_err_t* err)
{
  char path[] = "/tmp/lucsim-platform-XXXXXX";
  int fd      = mkstemp(path);
  if (fd < 0) return lucsim_err_set(err, NULL, 0, "platform", "cannot create a temporary platform file");
  FILE* f = fdopen(fd, "w");
  int rc  = plat_write_xml(p, f);
  if (fclose(f) != 0 || rc != 0) {
    unlink(path);
    return lucsim_err_set(err, NULL, 0, "platform", "cannot write the temporary platform file %s", path);
  }
  simgrid_load_platform(path);
  unlink(path);
  return 0;
}

static void set_pm_capacities(plat_t* plat, const plat_params_t* p)
{
  for (size_t i = 0; i < plat->pm_count; i++) {
    plat->cpu_capacity[i] = 100.0 * (p->cores - p->hypervisor_cores);
    plat->ram_bytes[i]    = p->ram_bytes;
  }
}

/* kind=luc: the hosts of each site, PMs and service nodes numbered site after site. */
static plat_t* load_luc(const plat_params_t* p, lucsim_err_t* err)
{
  size_t* counts = plat_gen_site_pms(p);
  if (!counts) {
    lucsim_err_set(err, p->backbone_file, 0, "platform.backbone_file", "cannot read the backbone file again");
    return NULL;
  }
  if (load_generated(p, err) != 0) {
    free(counts);
    return NULL;
  }
  plat_t* plat     = plat__alloc((size_t)p->pm_count, (size_t)p->service_nodes);
  plat->site_count = (size_t)p->sites;
  size_t pm = 0, sv = 0;
  char name[64];
  for (size_t s = 0; s < plat->site_count; s++) {
    size_t pms = counts[s];
    size_t svs = plat_gen_share(plat->service_count, plat->site_count, s);
    for (size_t i = 0; i < pms; i++, pm++) {
      plat_gen_pm_name(name, sizeof name, s, i);
      plat->pms[pm] = sg_host_by_name(name);
      xbt_assert(plat->pms[pm], "generated host %s is missing", name);
      plat->pm_site[pm] = (uint32_t)s;
    }
    for (size_t j = 0; j < svs; j++, sv++) {
      plat_gen_service_name(name, sizeof name, s, j);
      plat->services[sv] = sg_host_by_name(name);
      xbt_assert(plat->services[sv], "generated host %s is missing", name);
      plat->service_site[sv] = (uint32_t)s;
    }
  }
  free(counts);
  set_pm_capacities(plat, p);
  if (plat__keep_backbone(plat, p) != 0) {
    lucsim_err_set(err, p->backbone_file, 0, "platform.backbone_file", "cannot read the backbone file again");
    plat_destroy(plat);
    return NULL;
  }
  XBT_VERB("generated LUC platform: %zu sites, %zu PMs, %zu service nodes", plat->site_count, plat->pm_count,
           plat->service_count);
  return plat;
}

plat_t* plat_load(const plat_params_t* p, const char* experiment_dir, lucsim_err_t* err)
{
  if (p->kind == PLAT_KIND_LUC) return load_luc(p, err);
  if (p->kind == PLAT_KIND_CLUSTER) {
    if (load_generated(p, err) != 0) return NULL;
    plat_t* plat = plat__alloc((size_t)p->pm_count, (size_t)p->service_nodes);
    char name[64];
    for (size_t i = 0; i < plat->pm_count + plat->service_count; i++) {
      snprintf(name, sizeof name, "node-%zu", i);
      sg_host_t h = sg_host_by_name(name);
      xbt_assert(h, "generated host %s is missing", name);
      if (i < plat->pm_count)
        plat->pms[i] = h;
      else
        plat->services[i - plat->pm_count] = h;
    }
    set_pm_capacities(plat, p);
    XBT_VERB("generated cluster: %zu PMs, %zu service nodes", plat->pm_count, plat->service_count);
    return plat;
  }

  return plat__load_file(p, experiment_dir, err);
}

void plat_destroy(plat_t* plat)
{
  if (!plat) return;
  free(plat->pms);
  free(plat->services);
  free(plat->cpu_capacity);
  free(plat->ram_bytes);
  free(plat->pm_site);
  free(plat->service_site);
  free(plat->site_name);
  free(plat->links);
  free(plat->site_lonlat);
  free(plat->power_class);
  free(plat->power_classes);
  free(plat);
}

size_t plat_pm_count(const plat_t* plat)
{
  return plat->pm_count;
}
size_t plat_service_count(const plat_t* plat)
{
  return plat->service_count;
}
sg_host_t plat_pm_host(const plat_t* plat, size_t pm)
{
  return plat->pms[pm];
}
sg_host_t plat_service_host(const plat_t* plat, size_t service)
{
  return plat->services[service];
}
sg_host_t plat_node_host(const plat_t* plat, size_t node)
{
  return node < plat->pm_count ? plat->pms[node] : plat->services[node - plat->pm_count];
}
double plat_pm_cpu_capacity(const plat_t* plat, size_t pm)
{
  return plat->cpu_capacity[pm];
}
uint64_t plat_pm_ram_bytes(const plat_t* plat, size_t pm)
{
  return plat->ram_bytes[pm];
}

bool plat_links_fixed(const plat_t* plat)
{
  return plat->links_fixed;
}

size_t plat_site_count(const plat_t* plat)
{
  return plat->site_count;
}
size_t plat_pm_site(const plat_t* plat, size_t pm)
{
  return plat->pm_site[pm];
}
size_t plat_service_site(const plat_t* plat, size_t service)
{
  return plat->service_site[service];
}

const char* plat_site_name(const plat_t* plat, size_t site)
{
  if (plat->site_name) return plat->site_name[site];
  for (size_t i = 0; i < plat->pm_count + plat->service_count; i++) {
    bool pm     = i < plat->pm_count;
    size_t s    = pm ? plat->pm_site[i] : plat->service_site[i - plat->pm_count];
    sg_host_t h = pm ? plat->pms[i] : plat->services[i - plat->pm_count];
    if (s == site) return sg_host_get_property_value(h, "site");
  }
  return NULL;
}
