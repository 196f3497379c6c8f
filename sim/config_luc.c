/* Cross-field checks of the platform kinds, part of config_finish: the fields a platform file decides
 * (refused with kind=file), the LUC fields (refused with another kind), and for kind=luc the backbone
 * file, the PMs of each site (platform.site_pms) and the totals they give platform.sites and
 * platform.pms. Not the reading of the backbone file itself (config_backbone.c). */
#include "config_backbone.h"
#include "config_table.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_set(const config_t* cfg, const char* path)
{
  return cfg->origin_line[config__find_field(path)] != 0;
}

__attribute__((format(printf, 4, 5))) static int refuse(const config_t* cfg, const char* path, lucsim_err_t* err,
                                                        const char* fmt, ...)
{
  const char* file;
  int line;
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  config_locate(cfg, path, &file, &line);
  return lucsim_err_set(err, file, line, path, "%s", message);
}

/* kind=file: the fields the platform file decides are refused when set (in the file or by --set),
 * never silently ignored; their defaults stay silent. */
static int check_file_decides(const config_t* cfg, lucsim_err_t* err)
{
  for (size_t i = 0; i < config__field_count; i++) {
    if (!config__decided_by_file(&config__fields[i]) || cfg->origin_line[i] == 0) continue;
    return refuse(cfg, config__fields[i].path, err,
                  "is set but platform.kind is file: the platform file decides it; remove it");
  }
  return 0;
}

/* platform.site_pms: comma-separated whole numbers >= 1, one per site. Sets p->sites when it is not
 * set (nor given by a backbone file), checks it otherwise; sets *total. */
static int check_site_pms(config_t* cfg, bool sites_fixed, long long* total, lucsim_err_t* err)
{
  plat_params_t* p = &cfg->platform;
  long long n = 0, sum = 0;
  for (const char* at = p->site_pms;; n++) {
    while (*at == ' ')
      at++;
    if (!isdigit((unsigned char)*at))
      return refuse(cfg, "platform.site_pms", err,
                    "value %lld is not a whole number; expected PMs per site, e.g. "
                    "310,200,96",
                    n + 1);
    char* end;
    unsigned long long v = strtoull(at, &end, 10);
    while (*end == ' ')
      end++;
    if (v == 0)
      return refuse(cfg, "platform.site_pms", err, "value %lld (site %lld) is 0; every site needs at least one PM",
                    n + 1, n);
    if (v > 1000000 || (sum += (long long)v) > 1000000)
      return refuse(cfg, "platform.site_pms", err, "more than %d PMs in all", 1000000);
    if (n >= 1000) return refuse(cfg, "platform.site_pms", err, "more than %d sites", 1000);
    if (!*end) break;
    if (*end != ',')
      return refuse(cfg, "platform.site_pms", err,
                    "value %lld is not a whole number; expected PMs per site, e.g. "
                    "310,200,96",
                    n + 1);
    at = end + 1;
  }
  n++;
  if (sites_fixed && n != p->sites)
    return refuse(cfg, "platform.site_pms", err, "%lld values for %lld sites; expected one per site", n,
                  (long long)p->sites);
  p->sites = (int)n;
  *total   = sum;
  return 0;
}

/* kind=luc: the backbone file (topology=file), the PMs per site and the totals. */
static int check_luc_sizes(config_t* cfg, lucsim_err_t* err)
{
  plat_params_t* p      = &cfg->platform;
  config_backbone_t* bb = NULL;
  bool sites_fixed      = is_set(cfg, "platform.sites");
  if (p->topology == PLAT_TOPO_FILE) {
    if (!p->backbone_file[0])
      return refuse(cfg, "platform.topology", err, "file needs platform.backbone_file (the sites and links)");
    if (is_set(cfg, "platform.wan_latency"))
      return refuse(cfg, "platform.wan_latency", err,
                    "is set but platform.topology is file: the backbone file gives each link's latency; remove it");
    if (!(bb = config_backbone_load(p->backbone_file, err))) return -1;
    if (sites_fixed && (size_t)p->sites != bb->site_count) {
      long long has = (long long)bb->site_count;
      config_backbone_free(bb);
      return refuse(cfg, "platform.sites", err,
                    "%lld sites but the backbone file has %lld; expected the same (or leave platform.sites out)",
                    (long long)p->sites, has);
    }
    p->sites    = (int)bb->site_count;
    sites_fixed = true;
  } else if (p->backbone_file[0]) {
    return refuse(cfg, "platform.backbone_file", err, "is set but platform.topology is %s; expected topology file",
                  config__fields[config__find_field("platform.topology")].names[p->topology]);
  }
  long long total   = -1;
  int rc            = 0;
  p->site_size_seed = cfg->seed;
  bool drawn        = p->site_sizes != PLAT_SITE_SIZES_EVEN;
  if (drawn && p->site_pms[0])
    rc = refuse(cfg, "platform.site_sizes", err,
                "is %s but platform.site_pms lists the PMs of each site; expected one of them",
                config__fields[config__find_field("platform.site_sizes")].names[p->site_sizes]);
  else if (drawn && bb && bb->has_pms)
    rc = refuse(cfg, "platform.site_sizes", err,
                "is %s but the backbone file gives the PMs of each site; expected one of them",
                config__fields[config__find_field("platform.site_sizes")].names[p->site_sizes]);
  else if (!drawn && is_set(cfg, "platform.site_size_spread"))
    rc = refuse(cfg, "platform.site_size_spread", err,
                "is set but platform.site_sizes is even; expected site_sizes lognormal or zipf");
  else if (p->site_pms[0] && bb && bb->has_pms)
    rc = refuse(cfg, "platform.site_pms", err,
                "is set but the backbone file gives the PMs of each site; expected one "
                "of them");
  else if (p->site_pms[0])
    rc = check_site_pms(cfg, sites_fixed, &total, err);
  else if (bb && bb->has_pms) {
    total = 0;
    for (size_t s = 0; s < bb->site_count; s++)
      total += bb->sites[s].pms;
    if (total > 1000000) rc = refuse(cfg, "platform.backbone_file", err, "more than %d PMs in all", 1000000);
  }
  config_backbone_free(bb);
  if (rc != 0 || total < 0) return rc;
  if (is_set(cfg, "platform.pms") && total != p->pm_count)
    return refuse(cfg, "platform.pms", err,
                  "%lld PMs but the sites add up to %lld; expected the same total (or leave "
                  "platform.pms out)",
                  (long long)p->pm_count, total);
  p->pm_count = (int)total;
  return 0;
}

int config__check_platform_kind(config_t* cfg, lucsim_err_t* err)
{
  plat_params_t* p = &cfg->platform;
  if (p->kind == PLAT_KIND_FILE) return check_file_decides(cfg, err);
  if (p->kind != PLAT_KIND_LUC) {
    for (size_t i = 0; i < config__field_count; i++) {
      if (!config__fields[i].luc_only || cfg->origin_line[i] == 0) continue;
      return refuse(cfg, config__fields[i].path, err, "is set but platform.kind is %s; expected kind luc",
                    config__fields[config__find_field("platform.kind")].names[p->kind]);
    }
    return 0;
  }
  if (check_luc_sizes(cfg, err) != 0) return -1;
  if (p->sites > p->pm_count)
    return refuse(cfg, "platform.sites", err, "%lld sites for %lld PMs; every site needs at least one PM",
                  (long long)p->sites, (long long)p->pm_count);
  if (p->shared_backbone)
    return refuse(cfg, "platform.backbone", err, "kind luc keeps flows inside a site on private links; expected false");
  return 0;
}
