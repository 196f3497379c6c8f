/* Reading a failure trace (see fault_trace.h): parse every line, order by time (file order at equal
 * times), then replay the states once to expand site lines and refuse impossible sequences, so
 * the injector only merges a ready list. */
#include "fault_trace.h"

#include "config_backbone.h" /* config_split_columns */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD "injector.faults.trace"
#define NO_SITE ((size_t)-1)
#define NO_LINK ((size_t)-1)

typedef struct named_node {
  const char* name;
  size_t node;
} named_node_t;

typedef struct raw_line {
  double time_s;
  size_t order; /* line index in the file: the tie-break */
  int line;
  size_t node; /* a host, or NO_SITE... */
  size_t site; /* ...a site (node unused), or NO_SITE */
  size_t link; /* ...a backbone link (node and site unused), or NO_LINK */
  bool down;
} raw_line_t;

static int by_name(const void* a, const void* b)
{
  return strcmp(((const named_node_t*)a)->name, ((const named_node_t*)b)->name);
}

static int by_time(const void* a, const void* b)
{
  const raw_line_t *x = a, *y = b;
  if (x->time_s != y->time_s) return x->time_s < y->time_s ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static char* trim(char* s)
{
  while (isspace((unsigned char)*s))
    s++;
  char* end = s + strlen(s);
  while (end > s && isspace((unsigned char)end[-1]))
    *--end = '\0';
  return s;
}

static size_t site_named(const plat_t* plat, const char* name)
{
  for (size_t site = 0; site < plat_site_count(plat); site++) {
    const char* its = plat_site_name(plat, site); /* NULL: an unnamed site (one cluster) */
    if (its && strcmp(its, name) == 0) return site;
  }
  return NO_SITE;
}

/* link:A/B (either order): the backbone link between sites A and B. */
static int parse_link(char* target, const char* path, int line, const plat_t* plat, raw_line_t* r, lucsim_err_t* err)
{
  char* slash = strchr(target, '/');
  if (!slash)
    return lucsim_err_set(err, path, line, FIELD, "'link:%s' names no link; expected link:SITE_A/SITE_B", target);
  *slash   = '\0';
  size_t a = site_named(plat, target), b = site_named(plat, slash + 1);
  if (a == NO_SITE || b == NO_SITE)
    return lucsim_err_set(err, path, line, FIELD, "no site named '%s' on this platform (sites.csv lists them)",
                          a == NO_SITE ? target : slash + 1);
  for (size_t l = 0; l < plat_link_count(plat); l++) {
    const plat_link_t* pl = plat_link(plat, l);
    if ((pl->a == a && pl->b == b) || (pl->a == b && pl->b == a)) r->link = l;
  }
  if (r->link == NO_LINK)
    return lucsim_err_set(err, path, line, FIELD,
                          "no backbone link between '%s' and '%s' (backbone.csv lists the links of a LUC platform)",
                          target, slash + 1);
  return 0;
}

/* One line into *r; 0, 1 for a blank or comment line, or -1 with err. */
static int parse_line(char* text, const char* path, int line, const named_node_t* names, size_t node_count,
                      const plat_t* plat, raw_line_t* r, lucsim_err_t* err)
{
  char* s = trim(text);
  if (!*s || *s == '#') return 1;
  char* cols[3];
  size_t n = config_split_columns(s, cols, 3);
  if (n > 3) return lucsim_err_set(err, path, line, FIELD, "more than 3 columns; expected TIME,TARGET,STATE");
  if (n != 3) return lucsim_err_set(err, path, line, FIELD, "%zu columns; expected TIME,TARGET,STATE", n);
  char* end;
  errno     = 0;
  r->time_s = strtod(cols[0], &end);
  if (!*cols[0] || *end || errno || !isfinite(r->time_s) || r->time_s < 0)
    return lucsim_err_set(err, path, line, FIELD, "time '%s' is not a number of seconds >= 0", cols[0]);
  if (strcmp(cols[2], "down") == 0)
    r->down = true;
  else if (strcmp(cols[2], "up") == 0)
    r->down = false;
  else
    return lucsim_err_set(err, path, line, FIELD, "state '%s'; expected down or up", cols[2]);
  r->line = line;
  r->site = NO_SITE;
  r->link = NO_LINK;
  if (strncmp(cols[1], "link:", 5) == 0) return parse_link(cols[1] + 5, path, line, plat, r, err);
  if (strncmp(cols[1], "site:", 5) == 0) {
    r->site = site_named(plat, cols[1] + 5);
    if (r->site == NO_SITE)
      return lucsim_err_set(err, path, line, FIELD, "no site named '%s' on this platform (sites.csv lists them)",
                            cols[1] + 5);
    return 0;
  }
  named_node_t key        = {.name = cols[1]};
  const named_node_t* hit = bsearch(&key, names, node_count, sizeof *names, by_name);
  if (!hit) return lucsim_err_set(err, path, line, FIELD, "no host named '%s' on this platform", cols[1]);
  r->node = hit->node;
  return 0;
}

/* Reads every line of path into *lines (sorted by time). Returns the count, or -1 with err. */
static long read_lines(const char* path, const plat_t* plat, raw_line_t** lines, lucsim_err_t* err)
{
  size_t pms = plat_pm_count(plat), nodes = pms + plat_service_count(plat);
  named_node_t* names = malloc((nodes ? nodes : 1) * sizeof *names);
  FILE* f             = fopen(path, "r");
  char* text          = NULL;
  size_t text_cap = 0, count = 0, cap = 0;
  long rc = -1;
  if (!names) {
    lucsim_err_set(err, path, 0, FIELD, "out of memory");
    goto done;
  }
  if (!f) {
    lucsim_err_set(err, path, 0, FIELD, "cannot read: %s", strerror(errno));
    goto done;
  }
  for (size_t i = 0; i < nodes; i++)
    names[i] = (named_node_t){sg_host_get_name(plat_node_host(plat, i)), i};
  qsort(names, nodes, sizeof *names, by_name);
  int line = 0;
  while (getline(&text, &text_cap, f) >= 0) {
    line++;
    if (count == cap) {
      cap             = cap ? 2 * cap : 64;
      raw_line_t* big = realloc(*lines, cap * sizeof **lines);
      if (!big) {
        lucsim_err_set(err, path, line, FIELD, "out of memory");
        goto done;
      }
      *lines = big;
    }
    raw_line_t* r = &(*lines)[count];
    r->order      = count;
    int parsed    = parse_line(text, path, line, names, nodes, plat, r, err);
    if (parsed < 0) goto done;
    if (parsed == 0) count++;
  }
  if (count > 0) qsort(*lines, count, sizeof **lines, by_time);
  rc = (long)count;
done:
  free(text);
  free(names);
  if (f) fclose(f);
  return rc;
}

static bool push(fault_trace_t* t, size_t* cap, double time_s, size_t node, bool down)
{
  if (t->count == *cap) {
    *cap                     = *cap ? 2 * *cap : 64;
    fault_trace_event_t* big = realloc(t->events, *cap * sizeof *big);
    if (!big) return false;
    t->events = big;
  }
  t->events[t->count++] = (fault_trace_event_t){time_s, node, down};
  return true;
}

/* A link line: the link must change state. */
static bool push_link(fault_trace_t* t, size_t* cap, bool* link_down, const raw_line_t* r, const char* path,
                      const plat_t* plat, lucsim_err_t* err)
{
  const plat_link_t* pl = plat_link(plat, r->link);
  if (link_down[r->link] == r->down)
    return lucsim_err_set(err, path, r->line, FIELD, "link %s/%s is already %s at %g s", plat_site_name(plat, pl->a),
                          plat_site_name(plat, pl->b), r->down ? "down" : "up", r->time_s) == 0;
  link_down[r->link] = r->down;
  if (t->link_count == *cap) {
    *cap                          = *cap ? 2 * *cap : 16;
    fault_trace_link_event_t* big = realloc(t->links, *cap * sizeof *big);
    if (!big) return lucsim_err_set(err, path, r->line, FIELD, "out of memory") == 0;
    t->links = big;
  }
  t->links[t->link_count++] = (fault_trace_link_event_t){r->time_s, r->link, r->down};
  return true;
}

fault_trace_t* fault_trace_load(const char* path, const plat_t* plat, bool service_nodes, lucsim_err_t* err)
{
  raw_line_t* lines = NULL;
  long count        = read_lines(path, plat, &lines, err);
  size_t pms = plat_pm_count(plat), nodes = pms + plat_service_count(plat), cap = 0, link_cap = 0;
  size_t links     = plat_link_count(plat);
  fault_trace_t* t = calloc(1, sizeof *t);
  bool* down       = calloc(nodes ? nodes : 1, sizeof *down);
  bool* link_down  = calloc(links ? links : 1, sizeof *link_down);
  bool ok          = count >= 0;
  if (ok && (!t || !down || !link_down)) ok = lucsim_err_set(err, path, 0, FIELD, "out of memory") == 0;
  for (long i = 0; ok && i < count; i++) {
    const raw_line_t* r = &lines[i];
    if (r->link != NO_LINK) {
      ok = push_link(t, &link_cap, link_down, r, path, plat, err);
      continue;
    }
    if (r->site == NO_SITE) {
      if (r->node >= pms && !service_nodes)
        ok = lucsim_err_set(err, path, r->line, FIELD,
                            "'%s' is a service node and injector.faults.service_nodes is false",
                            sg_host_get_name(plat_node_host(plat, r->node))) == 0;
      else if (down[r->node] == r->down)
        ok = lucsim_err_set(err, path, r->line, FIELD, "'%s' is already %s at %g s",
                            sg_host_get_name(plat_node_host(plat, r->node)), r->down ? "down" : "up", r->time_s) == 0;
      else {
        down[r->node] = r->down;
        ok            = push(t, &cap, r->time_s, r->node, r->down);
        if (!ok) lucsim_err_set(err, path, r->line, FIELD, "out of memory");
      }
      continue;
    }
    for (size_t node = 0; ok && node < nodes; node++) { /* a site line: its nodes not yet in that state */
      bool in_site = node < pms ? plat_pm_site(plat, node) == r->site
                                : service_nodes && plat_service_site(plat, node - pms) == r->site;
      if (!in_site || down[node] == r->down) continue;
      down[node] = r->down;
      ok         = push(t, &cap, r->time_s, node, r->down);
    }
    if (!ok && err && !err->message[0]) lucsim_err_set(err, path, r->line, FIELD, "out of memory");
  }
  free(lines);
  free(down);
  free(link_down);
  if (!ok) {
    fault_trace_free(t);
    return NULL;
  }
  return t;
}

void fault_trace_free(fault_trace_t* t)
{
  if (!t) return;
  free(t->events);
  free(t->links);
  free(t);
}
