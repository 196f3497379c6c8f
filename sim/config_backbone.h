/* Backbone files of generated LUC platforms (platform.topology=file, platform.backbone_file): the
 * sites (names, optional PMs and coordinates per site) and the links between them (a length in km, whose latency is
 * 5 us/km, or a latency; an optional bandwidth), read and checked (connected, no duplicate).
 * Also the PMs of each site of a LUC platform, whatever their source. Not the XML (platform_gen.c). */
#ifndef LUCSIM_CONFIG_BACKBONE_H
#define LUCSIM_CONFIG_BACKBONE_H

#include "config.h"
#include "error.h"

#include <stddef.h>

#define CONFIG_BACKBONE_US_PER_KM 5.0 /* light in fibre: about 2e8 m/s, 5 us per km */
#define CONFIG_BACKBONE_MAX_LINE 1024

typedef struct config_backbone_site {
  char name[LUCSIM_NAME_MAX];
  int pms;         /* PMs of the site from the file, 0 when the file gives none */
  double lon, lat; /* degrees (east, north) when the file gives coordinates (has_coords) */
  int line;
} config_backbone_site_t;

typedef struct config_backbone_link {
  size_t a, b;      /* site indices, a < b */
  double latency_s; /* given, or 5 us per km of length_km */
  double length_km; /* -1 when the file gives a latency */
  double bw_Bps;    /* 0: platform.wan_bandwidth */
  int line;
} config_backbone_link_t;

typedef struct config_backbone {
  size_t site_count, link_count;
  config_backbone_site_t* sites; /* in file order: site index = order of its site line */
  config_backbone_link_t* links; /* in file order */
  int has_pms;                   /* every site line gives its PMs */
  int has_coords;                /* every site line gives its LON,LAT */
} config_backbone_t;

/* Reads and checks the backbone file at path (format: docs/PLATFORMS.md):
 *   site,NAME[,PMS][,LON,LAT]
 *   link,SITE_A,SITE_B,LENGTH_km|LATENCY[,BANDWIDTH]
 * with '#' comments and blank lines. Refuses (one error: path, line, field platform.backbone_file)
 * an unknown record, a bad or duplicate name, a link to an undeclared site or to itself, a second
 * link between two sites, a negative length or latency, PMs or coordinates on some site lines only,
 * a longitude outside [-180, 180] or a latitude outside [-90, 90], no site, more
 * than 1000 sites, and a backbone that does not connect every site. Returns NULL on error; free with
 * config_backbone_free. */
config_backbone_t* config_backbone_load(const char* path, lucsim_err_t* err);
void config_backbone_free(config_backbone_t* bb); /* accepts NULL */

/* The PMs of each of the p->sites sites of a LUC platform (counts[p->sites], caller-owned): the list
 * platform.site_pms, else the PMs of the backbone file, else platform.pms spread evenly (the first
 * pms mod sites sites one more). bb is the loaded backbone file or NULL. Assumes config_finish
 * accepted p. */
/* Splits line (modified) at commas into at most max_columns columns trimmed of spaces and tabs
 * (cols[0..count-1] point into line). Returns their count, or max_columns + 1 when there are more.
 * Shared by the backbone file and failure trace readers. */
size_t config_split_columns(char* line, char** cols, size_t max_columns);

void config_site_pm_counts(const plat_params_t* p, const config_backbone_t* bb, size_t* counts);

#endif
