/* The plat_t record shared by the files of the platform module only: platform.c (generated
 * platforms, accessors) and platform_file.c (SimGrid platform files: roles, ram, sites).
 * Not a public interface: other modules include platform.h. */
#ifndef LUCSIM_PLATFORM_INTERNAL_H
#define LUCSIM_PLATFORM_INTERNAL_H

#include "platform.h"

struct plat {
  size_t pm_count;
  size_t service_count;
  sg_host_t* pms;
  sg_host_t* services;
  double* cpu_capacity;
  uint64_t* ram_bytes;
  size_t site_count;
  uint32_t* pm_site;      /* per PM */
  uint32_t* service_site; /* per service node */
  const char** site_name; /* per site when sites come from zones (SimGrid's zone names), else NULL */
  size_t link_count;      /* backbone links of a generated LUC platform (platform_backbone.c) */
  plat_link_t* links;
  double* site_lonlat;         /* 2 per site (lon, lat) when the backbone file gives coordinates, else NULL */
  size_t power_class_count;    /* kind=file: 1 + the distinct sets of power properties; else 0 */
  uint32_t* power_class;       /* per PM (kind=file), else NULL: every PM in class 0 */
  plat_power_t* power_classes; /* power_class_count entries; [0] unused (the experiment's values) */
  bool links_fixed;            /* no link changes latency or bandwidth during the run (plat_links_fixed) */
};

/* Natural order on names (node-2 before node-10; a total order), and on host names for qsort over
 * sg_host_t. */
int plat__natural_cmp(const char* a, const char* b);
int plat__compare_hosts_by_name(const void* a, const void* b);

/* A platform of pm_count PMs and service_count service nodes, all in site 0 (site_count 1). */
plat_t* plat__alloc(size_t pm_count, size_t service_count);

/* kind=file: loads p->file (relative to experiment_dir, which may be NULL). Returns NULL with err
 * filled on bad input. */
/* Sets the sites of a loaded file's hosts (plat's PMs and service nodes filled): the host property
 * site, else the zones holding hosts, else one site (platform_sites.c). Returns 0, or -1 with err
 * filled (site on some hosts only, an empty site). */
int plat__discover_sites(plat_t* plat, const char* path, lucsim_err_t* err);
/* Reads the power properties of a loaded file's PMs into classes (platform_power.c). Returns 0, or -1
 * with err filled (a bad value, or properties without a power model in the experiment). */
int plat__power_classes(plat_t* plat, const plat_params_t* p, const char* path, lucsim_err_t* err);

/* The line of host's declaration in the platform file at path (its <prop id=prop> when prop is not
 * NULL and the host element has one; the <cluster> that generates it), or 0 (platform_lines.c). */
int plat__host_line(const char* path, const char* host, const char* prop);

/* kind=luc: keeps the backbone links of p and the coordinates of its backbone file in plat
 * (platform_backbone.c). Returns 0, or -1 when out of memory or the file cannot be read back. */
int plat__keep_backbone(plat_t* plat, const plat_params_t* p);

plat_t* plat__load_file(const plat_params_t* p, const char* experiment_dir, lucsim_err_t* err);

#endif
