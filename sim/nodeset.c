/* Node sets (nodeset.h): parsing and resolution against the platform's host names, looked up by
 * binary search in the PMs sorted by name (service nodes too, to say what they are). */
#include "nodeset.h"

#include <ctype.h>
#include <errno.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct named {
  const char* name;
  long node; /* a PM index, or -1 - service index */
} named_t;

static int by_name(const void* a, const void* b)
{
  return strcmp(((const named_t*)a)->name, ((const named_t*)b)->name);
}

static const named_t* find(const named_t* hosts, size_t n, const char* name)
{
  named_t key = {name, 0};
  return bsearch(&key, hosts, n, sizeof *hosts, by_name);
}

typedef struct ctx {
  const plat_t* plat;
  named_t* hosts;
  size_t host_count;
  bool* in;
  const char *file, *field;
  int line;
  lucsim_err_t* err;
} ctx_t;

static int add_host(ctx_t* c, const char* name)
{
  const named_t* h = find(c->hosts, c->host_count, name);
  if (!h) return lucsim_err_set(c->err, c->file, c->line, c->field, "no host '%s' in the platform", name);
  if (h->node < 0)
    return lucsim_err_set(c->err, c->file, c->line, c->field, "'%s' is a service node, not a PM (it hosts no VM)",
                          name);
  c->in[h->node] = true;
  return 0;
}

static int add_site(ctx_t* c, const char* what)
{
  size_t sites = plat_site_count(c->plat), s = 0;
  char* end;
  errno             = 0;
  unsigned long idx = strtoul(what, &end, 10);
  if (*what && isdigit((unsigned char)*what) && !*end && errno == 0) {
    if (idx >= sites)
      return lucsim_err_set(c->err, c->file, c->line, c->field, "site:%s: the platform has sites 0 to %zu", what,
                            sites - 1);
    s = idx;
  } else {
    while (s < sites && !(plat_site_name(c->plat, s) && strcmp(plat_site_name(c->plat, s), what) == 0))
      s++;
    if (s == sites)
      return lucsim_err_set(c->err, c->file, c->line, c->field, "no site '%s' in the platform (sites: 0 to %zu%s)",
                            what, sites - 1, plat_site_name(c->plat, 0) ? ", or their names" : "");
  }
  for (size_t pm = 0; pm < plat_pm_count(c->plat); pm++)
    if (plat_pm_site(c->plat, pm) == s) c->in[pm] = true;
  return 0;
}

/* prefix[lo..hi]suffix: every name of the range must exist. */
static int add_range(ctx_t* c, const char* item, const char* open)
{
  const char* close = strchr(open, ']');
  long lo, hi;
  int used = 0;
  if (!close || sscanf(open, "[%ld..%ld]%n", &lo, &hi, &used) != 2 || open + used != close + 1 || lo < 0)
    return lucsim_err_set(c->err, c->file, c->line, c->field,
                          "'%s': expected a range such as node-[4..7] (two integers >= 0 in brackets)", item);
  if (lo > hi) return lucsim_err_set(c->err, c->file, c->line, c->field, "'%s': the range is reversed", item);
  char name[512];
  for (long i = lo; i <= hi; i++) {
    int n = snprintf(name, sizeof name, "%.*s%ld%s", (int)(open - item), item, i, close + 1);
    if (n < 0 || (size_t)n >= sizeof name)
      return lucsim_err_set(c->err, c->file, c->line, c->field, "'%s': names too long", item);
    if (add_host(c, name) != 0) return -1;
  }
  return 0;
}

static int add_item(ctx_t* c, const char* item)
{
  if (!*item) return lucsim_err_set(c->err, c->file, c->line, c->field, "empty item in the node set");
  if (strncmp(item, "site:", 5) == 0) return add_site(c, item + 5);
  const char* open = strchr(item, '[');
  return open ? add_range(c, item, open) : add_host(c, item);
}

long nodeset_resolve(const char* text, const plat_t* plat, bool* in, const char* file, int line, const char* field,
                     lucsim_err_t* err)
{
  size_t pms = plat_pm_count(plat), services = plat_service_count(plat);
  memset(in, 0, pms * sizeof *in);
  ctx_t c    = {plat, malloc((pms + services + 1) * sizeof(named_t)), pms + services, in, file, field, line, err};
  char* copy = strdup(text);
  if (!c.hosts || !copy) {
    free(c.hosts), free(copy);
    return lucsim_err_set(err, file, line, field, "out of memory (node set)");
  }
  for (size_t i = 0; i < pms; i++)
    c.hosts[i] = (named_t){sg_host_get_name(plat_pm_host(plat, i)), (long)i};
  for (size_t i = 0; i < services; i++)
    c.hosts[pms + i] = (named_t){sg_host_get_name(plat_service_host(plat, i)), -1 - (long)i};
  qsort(c.hosts, c.host_count, sizeof *c.hosts, by_name);
  int rc = 0;
  for (char *item = copy, *next; item && rc == 0; item = next) {
    next = strchr(item, ',');
    if (next) *next++ = '\0';
    while (isspace((unsigned char)*item))
      item++;
    for (char* e = item + strlen(item); e > item && isspace((unsigned char)e[-1]);)
      *--e = '\0';
    rc = add_item(&c, item);
  }
  free(c.hosts), free(copy);
  if (rc != 0) return -1;
  long count = 0;
  for (size_t i = 0; i < pms; i++)
    count += in[i];
  return count;
}
