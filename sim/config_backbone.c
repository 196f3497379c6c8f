/* Reading and checking a backbone file (platform.topology=file; format in config_backbone.h and
 * docs/PLATFORMS.md), and the PMs of each site of a LUC platform. Values go through the experiment
 * field parsers (config_value.c), so a latency or a bandwidth has the units of experiment files.
 * Not the SimGrid XML written from it (platform_gen.c). */
#include "config_backbone.h"
#include "config_table.h"
#include "rng.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD "platform.backbone_file"
#define MAX_SITES 1000
#define MAX_COLUMNS 6 /* the backbone file's widest record */

static size_t split(char* line, char** cols)
{
  return config_split_columns(line, cols, MAX_COLUMNS);
}

size_t config_split_columns(char* line, char** cols, size_t max_columns)
{
  size_t n = 0;
  for (char* at = line;;) {
    char* comma = strchr(at, ',');
    if (comma) *comma = '\0';
    while (*at == ' ' || *at == '\t')
      at++;
    size_t len = strlen(at);
    while (len > 0 && (at[len - 1] == ' ' || at[len - 1] == '\t'))
      at[--len] = '\0';
    if (n == max_columns) return max_columns + 1;
    cols[n++] = at;
    if (!comma) return n;
    at = comma + 1;
  }
}

static int parse_as(config__type_t type, double min, bool min_open, const char* text, void* out, size_t size,
                    const char* path, int line, lucsim_err_t* err)
{
  const config__field_t f = {
      .path = FIELD, .type = type, .size = size, .min = min, .max = CONFIG__NO_MAX, .min_open = min_open};
  return config__parse_value(&f, text, out, path, line, FIELD, err);
}

static long find_site(const config_backbone_t* bb, const char* name)
{
  for (size_t s = 0; s < bb->site_count; s++)
    if (strcmp(bb->sites[s].name, name) == 0) return (long)s;
  return -1;
}

/* One coordinate in decimal degrees, in [-max, max]; what names it (longitude, latitude). */
static int read_degrees(const char* text, double max, const char* what, const char* site, double* out, const char* path,
                        int line, lucsim_err_t* err)
{
  char* end;
  double v = strtod(text, &end);
  if (text[0] && !*end && isfinite(v) && v >= -max && v <= max) {
    *out = v;
    return 0;
  }
  char shown[96];
  return lucsim_err_set(err, path, line, FIELD,
                        "site '%s': %s '%s' is %s; expected LON in [-180, 180] then LAT in [-90, 90] "
                        "(decimal degrees east and north)",
                        site, what, config__abbrev(text, shown, sizeof shown),
                        text[0] && !*end && isfinite(v) ? "out of range" : "not a number");
}

/* site,NAME[,PMS][,LON,LAT]: 2 columns (name), 3 (PMs), 4 (coordinates) or 5 (both). */
static int read_site(config_backbone_t* bb, char** cols, size_t n, const char* path, int line, lucsim_err_t* err)
{
  if (n < 2 || n > 5)
    return lucsim_err_set(err, path, line, FIELD, "a site line has %zu columns; expected site,NAME[,PMS][,LON,LAT]", n);
  if (bb->site_count == MAX_SITES) return lucsim_err_set(err, path, line, FIELD, "more than %d sites", MAX_SITES);
  config_backbone_site_t* s = &bb->sites[bb->site_count];
  if (parse_as(CONFIG__NAME, 0, false, cols[1], s->name, sizeof s->name, path, line, err) != 0) return -1;
  if (find_site(bb, s->name) >= 0)
    return lucsim_err_set(err, path, line, FIELD, "site '%s' is declared twice", s->name);
  int coords = n >= 4;
  int has    = (n == 3 || n == 5) && cols[2][0];
  if (bb->site_count > 0 && has != bb->has_pms)
    return lucsim_err_set(err, path, line, FIELD,
                          "site '%s' %s PMs but site '%s' %s; expected PMs on every site line "
                          "or on none",
                          s->name, has ? "gives" : "gives no", bb->sites[0].name, has ? "does not" : "does");
  if (bb->site_count > 0 && coords != bb->has_coords)
    return lucsim_err_set(err, path, line, FIELD,
                          "site '%s' %s coordinates but site '%s' %s; expected LON,LAT on every site line "
                          "or on none",
                          s->name, coords ? "gives" : "gives no", bb->sites[0].name, coords ? "does not" : "does");
  bb->has_pms    = has;
  bb->has_coords = coords;
  s->pms         = 0;
  s->lon = s->lat = 0;
  if (has) {
    const config__field_t f = {.path = FIELD, .type = CONFIG__INT, .size = sizeof(int), .min = 0, .max = 1000000};
    if (config__parse_value(&f, cols[2], &s->pms, path, line, FIELD, err) != 0) return -1;
    if (s->pms == 0)
      return lucsim_err_set(err, path, line, FIELD, "site '%s' has 0 PMs; every site needs at least one PM", s->name);
  }
  if (coords && (read_degrees(cols[n - 2], 180, "longitude", s->name, &s->lon, path, line, err) != 0 ||
                 read_degrees(cols[n - 1], 90, "latitude", s->name, &s->lat, path, line, err) != 0))
    return -1;
  s->line = line;
  bb->site_count++;
  return 0;
}

/* "465km" (latency 5 us/km) or a latency with units ("2.3ms"). */
static int read_length(config_backbone_link_t* l, const char* text, const char* path, int line, lucsim_err_t* err)
{
  size_t len   = strlen(text);
  l->length_km = -1;
  if (text[0] == '-')
    return lucsim_err_set(err, path, line, FIELD,
                          "'%s' is negative; expected a length (e.g. 465km) or a latency "
                          "(e.g. 2.3ms)",
                          text);
  if (len > 2 && strcmp(text + len - 2, "km") == 0) {
    char number[64];
    if (len - 2 >= sizeof number)
      return lucsim_err_set(err, path, line, FIELD, "'%s' is not a length (e.g. 465km)", text);
    memcpy(number, text, len - 2);
    number[len - 2] = '\0';
    if (parse_as(CONFIG__REAL, 0, false, number, &l->length_km, sizeof(double), path, line, err) != 0) return -1;
    l->latency_s = l->length_km * CONFIG_BACKBONE_US_PER_KM * 1e-6;
    return 0;
  }
  if (parse_as(CONFIG__TIME, 0, false, text, &l->latency_s, sizeof(double), path, line, err) == 0) return 0;
  if (strstr(err->message, " is not a time ") == NULL) return -1; /* a time out of range: its own message */
  char shown[96];
  return lucsim_err_set(err, path, line, FIELD, "'%s' is not a length (e.g. 465km) or a latency (e.g. 2.3ms)",
                        config__abbrev(text, shown, sizeof shown));
}

static int read_link(config_backbone_t* bb, char** cols, size_t n, const char* path, int line, lucsim_err_t* err)
{
  if (n < 4 || n > 5)
    return lucsim_err_set(err, path, line, FIELD,
                          "a link line has %zu columns; expected link,SITE_A,SITE_B,LENGTH_km|LATENCY[,BANDWIDTH]", n);
  long a = find_site(bb, cols[1]), b = find_site(bb, cols[2]);
  const char* unknown = a < 0 ? cols[1] : b < 0 ? cols[2] : NULL;
  if (unknown) {
    char shown[96];
    return lucsim_err_set(err, path, line, FIELD, "link to site '%s', which no earlier site line declares",
                          config__abbrev(unknown, shown, sizeof shown));
  }
  if (a == b) return lucsim_err_set(err, path, line, FIELD, "link from site '%s' to itself", cols[1]);
  config_backbone_link_t* l = &bb->links[bb->link_count];
  l->a                      = (size_t)(a < b ? a : b);
  l->b                      = (size_t)(a < b ? b : a);
  for (size_t i = 0; i < bb->link_count; i++)
    if (bb->links[i].a == l->a && bb->links[i].b == l->b)
      return lucsim_err_set(err, path, line, FIELD, "a second link between '%s' and '%s' (the first on line %d)",
                            cols[1], cols[2], bb->links[i].line);
  if (read_length(l, cols[3], path, line, err) != 0) return -1;
  l->bw_Bps = 0;
  if (n == 5 && cols[4][0] && parse_as(CONFIG__RATE, 0, true, cols[4], &l->bw_Bps, sizeof(double), path, line, err))
    return -1;
  l->line = line;
  bb->link_count++;
  return 0;
}

/* Every site reachable from the first one; else the first unreachable site (in file order) is named. */
static int check_connected(const config_backbone_t* bb, const char* path, lucsim_err_t* err)
{
  size_t n            = bb->site_count;
  unsigned char* seen = calloc(n, 1);
  size_t* queue       = malloc(n * sizeof *queue);
  size_t head = 0, tail = 0;
  seen[0]       = 1;
  queue[tail++] = 0;
  while (head < tail) {
    size_t s = queue[head++];
    for (size_t i = 0; i < bb->link_count; i++) {
      const config_backbone_link_t* l = &bb->links[i];
      size_t other                    = l->a == s ? l->b : l->b == s ? l->a : SIZE_MAX;
      if (other != SIZE_MAX && !seen[other]) {
        seen[other]   = 1;
        queue[tail++] = other;
      }
    }
  }
  size_t lost = 0;
  while (lost < n && seen[lost])
    lost++;
  free(seen);
  free(queue);
  if (lost == n) return 0;
  return lucsim_err_set(err, path, bb->sites[lost].line, FIELD,
                        "site '%s' is not connected to site '%s' by links; expected a connected backbone",
                        bb->sites[lost].name, bb->sites[0].name);
}

static int read_lines(config_backbone_t* bb, FILE* f, const char* path, lucsim_err_t* err)
{
  char buf[CONFIG_BACKBONE_MAX_LINE + 2];
  int line = 0;
  while (fgets(buf, sizeof buf, f)) {
    line++;
    size_t len = strlen(buf);
    if (len == sizeof buf - 1 && buf[len - 1] != '\n')
      return lucsim_err_set(err, path, line, FIELD, "line longer than %d bytes", CONFIG_BACKBONE_MAX_LINE);
    buf[strcspn(buf, "\r\n")] = '\0';
    if (config__check_text(buf, path, line, FIELD, err) != 0) return -1;
    char* at = buf + strspn(buf, " \t");
    if (!at[0] || at[0] == '#') continue;
    char* cols[MAX_COLUMNS];
    size_t n = split(at, cols);
    if (n > MAX_COLUMNS) return lucsim_err_set(err, path, line, FIELD, "more than %d columns", MAX_COLUMNS);
    int rc;
    if (strcmp(cols[0], "site") == 0)
      rc = read_site(bb, cols, n, path, line, err);
    else if (strcmp(cols[0], "link") == 0) {
      if (bb->link_count % 64 == 0) {
        void* grown = realloc(bb->links, (bb->link_count + 64) * sizeof *bb->links);
        if (!grown) return lucsim_err_set(err, path, line, FIELD, "out of memory");
        bb->links = grown;
      }
      rc = read_link(bb, cols, n, path, line, err);
    } else {
      char shown[96];
      rc = lucsim_err_set(err, path, line, FIELD,
                          "'%s' is not a record; expected a line site,NAME[,PMS][,LON,LAT] or "
                          "link,SITE_A,SITE_B,LENGTH_km|LATENCY[,BANDWIDTH]",
                          config__abbrev(cols[0], shown, sizeof shown));
    }
    if (rc != 0) return -1;
  }
  if (ferror(f)) return lucsim_err_set(err, path, line, FIELD, "cannot read: %s", strerror(errno));
  if (bb->site_count == 0)
    return lucsim_err_set(err, path, 0, FIELD, "no site line; expected site,NAME[,PMS][,LON,LAT] lines");
  return check_connected(bb, path, err);
}

config_backbone_t* config_backbone_load(const char* path, lucsim_err_t* err)
{
  FILE* f = fopen(path, "r");
  if (!f) {
    lucsim_err_set(err, path, 0, FIELD, "cannot read the backbone file: %s", strerror(errno));
    return NULL;
  }
  config_backbone_t* bb = calloc(1, sizeof *bb);
  if (bb) bb->sites = calloc(MAX_SITES, sizeof *bb->sites);
  int rc = bb && bb->sites ? read_lines(bb, f, path, err) : lucsim_err_set(err, path, 0, FIELD, "out of memory");
  fclose(f);
  if (rc != 0) {
    config_backbone_free(bb);
    return NULL;
  }
  return bb;
}

void config_backbone_free(config_backbone_t* bb)
{
  if (!bb) return;
  free(bb->sites);
  free(bb->links);
  free(bb);
}

/* platform.site_sizes lognormal or zipf: a weight per site from the experiment seed, then each site
 * gets one PM plus its share of the others by largest remainder (ties to the lower index). */
static void draw_site_pm_counts(const plat_params_t* p, size_t* counts)
{
  size_t n      = (size_t)p->sites;
  double* w     = malloc(n * sizeof *w);
  double* rest  = malloc(n * sizeof *rest);
  size_t* order = malloc(n * sizeof *order);
  if (!w || !rest || !order) { /* a few KB at most (1000 sites): no recovery worth having */
    fputs("lucsim: out of memory (site sizes)\n", stderr);
    abort();
  }
  rng_t rng;
  rng_init_named(&rng, p->site_size_seed, "platform.site_sizes");
  for (size_t s = 0; s < n; s++)
    order[s] = s;
  for (size_t s = n; s > 1; s--) { /* Fisher-Yates: which site gets which Zipf rank */
    size_t j = (size_t)rng_below(&rng, s), t = order[s - 1];
    order[s - 1] = order[j], order[j] = t;
  }
  double total = 0;
  for (size_t s = 0; s < n; s++) {
    w[s] = p->site_sizes == PLAT_SITE_SIZES_ZIPF ? pow((double)order[s] + 1, -p->site_size_spread)
                                                 : exp(rng_normal(&rng, 0, p->site_size_spread));
    total += w[s];
  }
  size_t spare = (size_t)p->pm_count - n, given = 0;
  for (size_t s = 0; s < n; s++) {
    double share = (double)spare * w[s] / total;
    counts[s]    = 1 + (size_t)floor(share);
    rest[s]      = share - floor(share);
    given += counts[s] - 1;
  }
  for (; given < spare; given++) { /* the largest remainders get the PMs rounding left over */
    size_t best = 0;
    for (size_t s = 1; s < n; s++)
      if (rest[s] > rest[best]) best = s;
    counts[best]++;
    rest[best] = -1;
  }
  free(w), free(rest), free(order);
}

void config_site_pm_counts(const plat_params_t* p, const config_backbone_t* bb, size_t* counts)
{
  size_t n = (size_t)p->sites;
  if (p->site_pms[0]) {
    const char* at = p->site_pms;
    for (size_t s = 0; s < n; s++) {
      char* end;
      counts[s]         = (size_t)strtoul(at, &end, 10);
      const char* comma = strchr(end, ',');
      at                = comma ? comma + 1 : end;
    }
    return;
  }
  if (!(bb && bb->has_pms) && p->site_sizes != PLAT_SITE_SIZES_EVEN) {
    draw_site_pm_counts(p, counts);
    return;
  }
  for (size_t s = 0; s < n; s++)
    counts[s] =
        bb && bb->has_pms ? (size_t)bb->sites[s].pms : (size_t)p->pm_count / n + (s < (size_t)p->pm_count % n ? 1 : 0);
}
