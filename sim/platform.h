/* plat_t: the SimGrid side of the infrastructure: PM hosts, service hosts, their sites and the network.
 * A generated cluster or LUC platform becomes SimGrid platform XML (there is no C call to build one,
 * docs/DESIGN.md §7, docs/PLATFORMS.md); a SimGrid platform file is loaded as it is. Our own arrays
 * fix the PM order (sg_host_list() is in hash order). This module owns no simulated state: the
 * cluster does. */
#ifndef LUCSIM_PLATFORM_H
#define LUCSIM_PLATFORM_H

#include "config.h"
#include "error.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct plat plat_t;

/* Builds the platform into the SimGrid engine (simgrid_init must have run; once per process).
 * kind=cluster: hosts "node-0".."node-<P+S-1>": PMs first, then service nodes, each with a private
 * link (bandwidth, latency); a shared backbone link when p->shared_backbone. One site.
 * kind=luc: p->sites sites; site s holds PMs "s<s>-node-<i>" and service nodes "s<s>-service-<j>"
 * (counts plat_gen_share: even, the first sites one more); PM and service indices run site after
 * site, so each site's PMs are contiguous.
 * kind=file: p->file (relative paths resolved against experiment_dir, which may be NULL). Hosts with
 * the property lucsim_role=service are service nodes, all others PMs, each list ordered by name;
 * a host property "ram" (a size with units, as in experiment files: 32GiB, or plain bytes)
 * overrides p->ram_bytes; lucsim_role other than service is refused. Sites: the host property site,
 * else the zones directly holding hosts when there are several, else one (docs/PLATFORMS.md).
 * Returns NULL with err filled on bad input.
 * Owned by the caller: plat_destroy. */
plat_t* plat_load(const plat_params_t* p, const char* experiment_dir, lucsim_err_t* err);

/* Checks that path is a SimGrid platform file SimGrid can read, without risking this process:
 * a readable regular file of sane size, XML with root <platform version=...>, then parsed by
 * SimGrid in a child process (SimGrid aborts on files it refuses). SimGrid must be initialized.
 * *links_fixed (links_fixed may be NULL): no bandwidth or latency profile, no WIFI link in the file
 * (plat_links_fixed). Returns 0, or -1 with err filled (file, line when known, field platform.file). */
int plat_check_file(const char* path, bool* links_fixed, lucsim_err_t* err);
void plat_destroy(plat_t* plat); /* accepts NULL */

/* Writes the SimGrid platform XML of a generated platform (kind cluster or luc), exactly what
 * plat_load loads. Returns 0, or -1 for kind=file or an I/O error. */
int plat_write_xml(const plat_params_t* p, FILE* f);

size_t plat_pm_count(const plat_t* plat);
size_t plat_service_count(const plat_t* plat);
sg_host_t plat_pm_host(const plat_t* plat, size_t pm);
sg_host_t plat_service_host(const plat_t* plat, size_t service);
/* Node numbering of the injector and the schedulers: PMs 0..pms-1, then service nodes. */
sg_host_t plat_node_host(const plat_t* plat, size_t node);

/* Whether every link keeps its latency and bandwidth for the whole run, so a route's latency and
 * bandwidth can be asked once: generated platforms, and platform files without profiles or WIFI links. */
bool plat_links_fixed(const plat_t* plat);

/* Sites: 1 for kind cluster (site 0); p->sites for kind luc; discovered for kind file. */
size_t plat_site_count(const plat_t* plat);
size_t plat_pm_site(const plat_t* plat, size_t pm);
size_t plat_service_site(const plat_t* plat, size_t service);
/* The site's name: the host property site of its hosts (generated LUC platforms: s<k>, or the names
 * of a backbone file), or the name of the zone that makes it a site; NULL when the site has no name
 * (kind=cluster, a file without sites). Owned by SimGrid: valid while the platform is loaded. */
const char* plat_site_name(const plat_t* plat, size_t site);

/* A backbone link of a generated LUC platform, between sites a < b. */
typedef struct plat_link {
  size_t a, b;
  double latency_s;
  double bw_Bps;
} plat_link_t;

/* The backbone links of a generated LUC platform (kind=luc), in (a, b) order: those of its
 * topology or of its backbone file. None for kind=cluster and kind=file (a file's links are
 * SimGrid's own, not lucsim's). */
size_t plat_link_count(const plat_t* plat);
const plat_link_t* plat_link(const plat_t* plat, size_t i);
/* The site's longitude and latitude in degrees when a backbone file gives coordinates: returns
 * true and fills lon, lat; false otherwise (then for every site). */
bool plat_site_coords(const plat_t* plat, size_t site, double* lon, double* lat);
/* Writes backbone.csv: header site_a,site_b,latency_s,bandwidth_Bps and one row per backbone link
 * (docs/METRICS.md). Returns 0, or -1 on a write error. */
int plat_write_backbone_csv(const plat_t* plat, FILE* f);

/* PM classes of power (kind=file: host properties power_curve, power_off, boot_time, boot_power,
 * shutdown_time, shutdown_power, each overriding the experiment's platform.* value; docs/ENERGY.md).
 * Class 0 is the experiment's values (every PM of a generated platform); a class k > 0 gives its
 * overrides: NAN where the property is absent, curve_points 0 without power_curve. */
enum {
  PLAT_POWER_CURVE,
  PLAT_POWER_OFF,
  PLAT_BOOT_TIME,
  PLAT_BOOT_POWER,
  PLAT_SHUTDOWN_TIME,
  PLAT_SHUTDOWN_POWER,
  PLAT_POWER_FIELDS
};
typedef struct plat_power {
  double curve_W[CONFIG_POWER_CURVE_MAX];
  size_t curve_points;
  double value[PLAT_POWER_FIELDS]; /* W or s; [PLAT_POWER_CURVE] unused */
} plat_power_t;
size_t plat_power_class_count(const plat_t* plat);
size_t plat_pm_power_class(const plat_t* plat, size_t pm);
const plat_power_t* plat_power_class(const plat_t* plat, size_t k); /* NULL for class 0 */

/* Capacity offered to VMs: (cores - hypervisor_cores) * 100 load units, and RAM. */
double plat_pm_cpu_capacity(const plat_t* plat, size_t pm);
uint64_t plat_pm_ram_bytes(const plat_t* plat, size_t pm);

#endif
