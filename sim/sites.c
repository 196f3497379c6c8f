/* Per-site accounting: completed migrations by source and destination site, VMs at t = 0, and
 * sites.csv (with the sites' lon,lat when the platform has coordinates). Not the sites themselves
 * (platform.c) nor the violation intervals (monitor.c). */
#include "sites.h"

#include <stdlib.h>
#include <string.h>

typedef struct site_row {
  size_t pms, services, vms_t0;
  size_t migrations_in, migrations_out; /* completed, whatever the other end's site */
  size_t intersite_in, intersite_out;   /* completed, the other end in another site */
} site_row_t;

struct sites {
  const plat_t* plat;
  size_t count;
  site_row_t* rows;
  sites_totals_t totals;
};

sites_t* sites_create(const plat_t* plat, const cluster_t* cl)
{
  sites_t* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->plat  = plat;
  s->count = plat_site_count(plat);
  s->rows  = calloc(s->count, sizeof *s->rows);
  if (!s->rows) {
    free(s);
    return NULL;
  }
  for (size_t pm = 0; pm < plat_pm_count(plat); pm++) {
    site_row_t* row = &s->rows[plat_pm_site(plat, pm)];
    row->pms++;
    row->vms_t0 += cluster_pm(cl, pm)->vm_count;
  }
  for (size_t sv = 0; sv < plat_service_count(plat); sv++)
    s->rows[plat_service_site(plat, sv)].services++;
  return s;
}

void sites_destroy(sites_t* sites)
{
  if (!sites) return;
  free(sites->rows);
  free(sites);
}

void sites_record_migration(sites_t* sites, const mig_result_t* r)
{
  if (r->status != MIG_OK) return;
  size_t from = plat_pm_site(sites->plat, r->src), to = plat_pm_site(sites->plat, r->dst);
  sites->rows[from].migrations_out++;
  sites->rows[to].migrations_in++;
  if (from == to) return;
  sites->rows[from].intersite_out++;
  sites->rows[to].intersite_in++;
  sites->totals.intersite_migrations++;
  sites->totals.intersite_bytes += r->bytes_sent;
  sites->totals.intersite_image_bytes += r->image_bytes;
  sites->totals.intersite_seconds += r->end_s - r->start_s;
}

sites_totals_t sites_totals(const sites_t* sites)
{
  return sites->totals;
}

/* A CSV field: empty for NULL, quoted (quotes doubled) when it holds a comma, quote or line break. */
static void write_csv_text(FILE* f, const char* text)
{
  if (!text) return;
  if (!strpbrk(text, ",\"\r\n")) {
    fputs(text, f);
    return;
  }
  fputc('"', f);
  for (const char* c = text; *c; c++) {
    if (*c == '"') fputc('"', f);
    fputc(*c, f);
  }
  fputc('"', f);
}

int sites_write_csv(const sites_t* sites, const mon_t* mon, FILE* f)
{
  double lon, lat;
  bool coords = sites->count > 0 && plat_site_coords(sites->plat, 0, &lon, &lat);
  fprintf(f, "site,pms,service_nodes,vms,violation_s,migrations_in,migrations_out,intersite_in,intersite_out,name%s\n",
          coords ? ",lon,lat" : "");
  double* violation = calloc(sites->count, sizeof *violation);
  if (!violation) return -1;
  for (size_t pm = 0; pm < plat_pm_count(sites->plat); pm++)
    violation[plat_pm_site(sites->plat, pm)] += mon_pm_violation_s(mon, pm);
  for (size_t i = 0; i < sites->count; i++) {
    const site_row_t* r = &sites->rows[i];
    fprintf(f, "%zu,%zu,%zu,%zu,%.9f,%zu,%zu,%zu,%zu,", i, r->pms, r->services, r->vms_t0, violation[i],
            r->migrations_in, r->migrations_out, r->intersite_in, r->intersite_out);
    write_csv_text(f, plat_site_name(sites->plat, i));
    if (coords && plat_site_coords(sites->plat, i, &lon, &lat)) fprintf(f, ",%.6f,%.6f", lon, lat);
    fputc('\n', f);
  }
  free(violation);
  return ferror(f) ? -1 : 0;
}
