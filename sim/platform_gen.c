/* SimGrid platform XML of the generated platforms. kind=cluster: one <cluster> of PMs then service
 * nodes. kind=luc: one top zone (Full routing) holding, per site, a <cluster> of PMs (private links)
 * and, when the site has some, a <cluster> of service nodes tagged lucsim_role=service, both tagged
 * site=<name> (s<s>, or the backbone file's name), backbone <link>s between site gateways (a built-in
 * topology, or a backbone file) and one <zoneRoute> per pair of zones along a shortest path (hops,
 * or latency for a file). Not the loading (platform.c) nor the checks of the parameters (config_luc.c). */
#include "platform.h"
#include "platform_gen.h"
#include "config_backbone.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A connector from a site's service cluster to its PM cluster: SimGrid forbids empty routes, so one
 * link without latency whose fat pipe never limits a flow. */
#define CONNECTOR_BW "1e15Bps"

size_t plat_gen_share(size_t total, size_t sites, size_t site)
{
  return total / sites + (site < total % sites ? 1 : 0);
}

void plat_gen_pm_name(char* buf, size_t size, size_t site, size_t i)
{
  snprintf(buf, size, "s%zu-node-%zu", site, i);
}

void plat_gen_service_name(char* buf, size_t size, size_t site, size_t j)
{
  snprintf(buf, size, "s%zu-service-%zu", site, j);
}

static void write_header(FILE* f)
{
  fprintf(f, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n");
  fprintf(f, "<platform version=\"4.1\">\n");
}

static int write_cluster_xml(FILE* f, const plat_params_t* p)
{
  int hosts = p->pm_count + p->service_nodes;
  write_header(f);
  fprintf(f, "  <!-- lucsim platform.kind=cluster: PMs node-0..node-%d", p->pm_count - 1);
  if (p->service_nodes > 0)
    fprintf(f,
            ", service nodes node-%d..node-%d. A <cluster> cannot tag single hosts: loaded as kind=file,"
            " the service nodes need lucsim_role=service (or use kind=luc, whose service nodes carry it)",
            p->pm_count, hosts - 1);
  fprintf(f, " -->\n");
  fprintf(f, "  <cluster id=\"lucsim\" prefix=\"node-\" suffix=\"\" radical=\"0-%d\" speed=\"%.17gf\" core=\"%d\"",
          hosts - 1, p->core_speed_flops, p->cores);
  fprintf(f, " bw=\"%.17gBps\" lat=\"%.17gs\" sharing_policy=\"SPLITDUPLEX\"", p->nic_bw_Bps, p->nic_latency_s);
  if (p->shared_backbone)
    fprintf(f, " bb_bw=\"%.17gBps\" bb_lat=\"%.17gs\"", p->backbone_bw_Bps, p->backbone_latency_s);
  fprintf(f, "/>\n</platform>\n");
  return ferror(f) ? -1 : 0;
}

void plat_gen_backbone_free(plat_gen_backbone_t* g)
{
  free(g->link_of);
  free(g->links);
  config_backbone_free(g->file);
}

/* Edges a < b of a built-in topology. */
static bool topology_edge(plat_topology_t topo, size_t n, size_t a, size_t b)
{
  switch (topo) {
  case PLAT_TOPO_RING:
    return b == a + 1 || (a == 0 && b == n - 1);
  case PLAT_TOPO_STAR:
    return a == 0;
  case PLAT_TOPO_MESH:
    return true;
  case PLAT_TOPO_TREE:
    return b == 2 * a + 1 || b == 2 * a + 2;
  case PLAT_TOPO_FILE:
    break;
  }
  return false;
}

int plat_gen_backbone_build(const plat_params_t* p, plat_gen_backbone_t* g)
{
  size_t n = (size_t)p->sites;
  memset(g, 0, sizeof *g);
  g->n       = n;
  g->link_of = malloc(n * n * sizeof *g->link_of);
  if (!g->link_of) return -1;
  for (size_t i = 0; i < n * n; i++)
    g->link_of[i] = -1;
  if (p->topology == PLAT_TOPO_FILE) {
    lucsim_err_t err;
    g->file = config_backbone_load(p->backbone_file, &err);
    if (!g->file || g->file->site_count != n) return -1;
    for (size_t i = 0; i < g->file->link_count; i++) { /* the file's link index, for now */
      const config_backbone_link_t* l = &g->file->links[i];
      g->link_of[l->a * n + l->b] = g->link_of[l->b * n + l->a] = (long)i;
    }
  } else {
    for (size_t a = 0; a < n; a++)
      for (size_t b = a + 1; b < n; b++)
        if (topology_edge(p->topology, n, a, b)) g->link_of[a * n + b] = g->link_of[b * n + a] = 0;
  }
  size_t count = 0;
  for (size_t i = 0; i < n * n; i++)
    count += g->link_of[i] >= 0 && i / n < i % n;
  g->links = calloc(count ? count : 1, sizeof *g->links);
  if (!g->links) return -1;
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++) {
      if (g->link_of[a * n + b] < 0) continue;
      config_backbone_link_t* l = &g->links[g->link_count];
      *l = (config_backbone_link_t){.a = a, .b = b, .latency_s = p->wan_latency_s, .bw_Bps = p->wan_bw_Bps};
      if (g->file) {
        const config_backbone_link_t* given = &g->file->links[g->link_of[a * n + b]];
        l->latency_s                        = given->latency_s;
        if (given->bw_Bps > 0) l->bw_Bps = given->bw_Bps;
      }
      g->link_of[a * n + b] = g->link_of[b * n + a] = (long)g->link_count++;
    }
  return 0;
}

/* Breadth-first predecessors from site `from` (neighbours visited lowest first: deterministic). */
static void shortest_hops(const plat_gen_backbone_t* g, size_t from, size_t* pred, size_t* queue)
{
  size_t n = g->n;
  for (size_t i = 0; i < n; i++)
    pred[i] = SIZE_MAX;
  pred[from]  = from;
  size_t head = 0, tail = 0;
  queue[tail++] = from;
  while (head < tail) {
    size_t a = queue[head++];
    for (size_t b = 0; b < n; b++)
      if (g->link_of[a * n + b] >= 0 && pred[b] == SIZE_MAX) {
        pred[b]       = a;
        queue[tail++] = b;
      }
  }
}

/* Dijkstra on link latencies from site `from` (O(n^2); the lowest site first among equal distances,
 * and a predecessor replaced only by a strictly shorter path: deterministic). */
static void shortest_latency(const plat_gen_backbone_t* g, size_t from, size_t* pred, double* dist, bool* done)
{
  size_t n = g->n;
  for (size_t i = 0; i < n; i++) {
    pred[i] = SIZE_MAX;
    dist[i] = INFINITY;
    done[i] = false;
  }
  pred[from] = from;
  dist[from] = 0;
  for (;;) {
    size_t a = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
      if (!done[i] && dist[i] < INFINITY && (a == SIZE_MAX || dist[i] < dist[a])) a = i;
    if (a == SIZE_MAX) return;
    done[a] = true;
    for (size_t b = 0; b < n; b++) {
      long l = g->link_of[a * n + b];
      if (l < 0 || done[b]) continue;
      double d = dist[a] + g->links[l].latency_s;
      if (d < dist[b]) {
        dist[b] = d;
        pred[b] = a;
      }
    }
  }
}

/* The backbone links from site `from` to site `to`, in path order; pred comes from a search rooted
 * at `from` (recursion depth: the hops of the path). */
static void write_wan_path(FILE* f, const size_t* pred, size_t from, size_t to)
{
  if (to == from) return;
  size_t a = pred[to];
  write_wan_path(f, pred, from, a);
  fprintf(f, "<link_ctn id=\"wan-%zu-%zu\"/>", a < to ? a : to, a < to ? to : a);
}

static void write_site_clusters(FILE* f, const plat_params_t* p, size_t s, const char* site, size_t pms,
                                size_t services)
{
  const char* link = "sharing_policy=\"SPLITDUPLEX\"";
  fprintf(f,
          "    <cluster id=\"s%zu\" prefix=\"s%zu-node-\" suffix=\"\" radical=\"0-%zu\" speed=\"%.17gf\" core=\"%d\""
          " bw=\"%.17gBps\" lat=\"%.17gs\" %s router_id=\"s%zu-router\">\n"
          "      <prop id=\"site\" value=\"%s\"/>\n    </cluster>\n",
          s, s, pms - 1, p->core_speed_flops, p->cores, p->nic_bw_Bps, p->nic_latency_s, link, s, site);
  if (services == 0) return;
  fprintf(f,
          "    <cluster id=\"s%zu-services\" prefix=\"s%zu-service-\" suffix=\"\" radical=\"0-%zu\" speed=\"%.17gf\""
          " core=\"%d\" bw=\"%.17gBps\" lat=\"%.17gs\" %s router_id=\"s%zu-services-router\">\n"
          "      <prop id=\"lucsim_role\" value=\"service\"/>\n      <prop id=\"site\" value=\"%s\"/>\n"
          "    </cluster>\n",
          s, s, services - 1, p->core_speed_flops, p->cores, p->nic_bw_Bps, p->nic_latency_s, link, s, site);
  fprintf(f,
          "    <link id=\"s%zu-services-link\" bandwidth=\"" CONNECTOR_BW
          "\" latency=\"0s\" sharing_policy=\"FATPIPE\"/>\n",
          s);
}

/* One zoneRoute between zone (site a, service cluster or not) and zone (site b, ...). */
static void write_zone_route(FILE* f, size_t a, bool a_svc, size_t b, bool b_svc, const size_t* pred)
{
  const char* sa = a_svc ? "-services" : "";
  const char* sb = b_svc ? "-services" : "";
  fprintf(f, "    <zoneRoute src=\"s%zu%s\" dst=\"s%zu%s\" gw_src=\"s%zu%s-router\" gw_dst=\"s%zu%s-router\">", a, sa,
          b, sb, a, sa, b, sb);
  if (a_svc) fprintf(f, "<link_ctn id=\"s%zu-services-link\"/>", a);
  write_wan_path(f, pred, a, b);
  if (b_svc) fprintf(f, "<link_ctn id=\"s%zu-services-link\"/>", b);
  fprintf(f, "</zoneRoute>\n");
}

static void write_luc_comment(FILE* f, const plat_params_t* p, const plat_gen_backbone_t* g)
{
  static const char* const topologies[] = {"ring", "star", "mesh", "tree", "file"};
  if (!g->file) {
    fprintf(f, "  <!-- lucsim platform.kind=luc: %d PMs and %d service nodes over %zu sites, %s backbone -->\n",
            p->pm_count, p->service_nodes, g->n, topologies[p->topology]);
    return;
  }
  const char* base = strrchr(p->backbone_file, '/');
  fprintf(f,
          "  <!-- lucsim platform.kind=luc: %d PMs and %d service nodes over %zu sites, backbone of %zu links from"
          " %s (a link's latency: %g us per km of its length, or as given); shortest paths by latency.\n       Sites:",
          p->pm_count, p->service_nodes, g->n, g->link_count, base ? base + 1 : p->backbone_file,
          CONFIG_BACKBONE_US_PER_KM);
  for (size_t s = 0; s < g->n; s++)
    fprintf(f, "%s s%zu=%s", s % 8 == 0 && s > 0 ? "\n      " : "", s, g->file->sites[s].name);
  fprintf(f, " -->\n");
}

static int write_luc_xml(FILE* f, const plat_params_t* p)
{
  plat_gen_backbone_t g;
  size_t n       = (size_t)p->sites;
  int built      = plat_gen_backbone_build(p, &g);
  size_t* pred   = malloc(n * sizeof *pred);
  size_t* queue  = malloc(n * sizeof *queue);
  double* dist   = malloc(n * sizeof *dist);
  bool* done     = malloc(n * sizeof *done);
  bool* svc      = malloc(n * sizeof *svc);
  size_t* counts = malloc(n * sizeof *counts);
  if (built != 0 || !pred || !queue || !dist || !done || !svc || !counts) {
    plat_gen_backbone_free(&g);
    free(pred), free(queue), free(dist), free(done), free(svc), free(counts);
    return -1;
  }
  config_site_pm_counts(p, g.file, counts);
  write_header(f);
  write_luc_comment(f, p, &g);
  fprintf(f, "  <zone id=\"luc\" routing=\"Full\">\n");
  for (size_t s = 0; s < n; s++) {
    size_t services = plat_gen_share((size_t)p->service_nodes, n, s);
    svc[s]          = services > 0;
    char name[32];
    snprintf(name, sizeof name, "s%zu", s);
    write_site_clusters(f, p, s, g.file ? g.file->sites[s].name : name, counts[s], services);
  }
  for (size_t i = 0; i < g.link_count; i++)
    fprintf(f, "    <link id=\"wan-%zu-%zu\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n", g.links[i].a, g.links[i].b,
            g.links[i].bw_Bps, g.links[i].latency_s);
  for (size_t a = 0; a < n; a++) {
    if (g.file)
      shortest_latency(&g, a, pred, dist, done);
    else
      shortest_hops(&g, a, pred, queue);
    if (svc[a]) write_zone_route(f, a, true, a, false, pred);
    for (size_t b = a + 1; b < n; b++) {
      write_zone_route(f, a, false, b, false, pred);
      if (svc[b]) write_zone_route(f, a, false, b, true, pred);
      if (svc[a]) write_zone_route(f, a, true, b, false, pred);
      if (svc[a] && svc[b]) write_zone_route(f, a, true, b, true, pred);
    }
  }
  fprintf(f, "  </zone>\n</platform>\n");
  plat_gen_backbone_free(&g);
  free(pred), free(queue), free(dist), free(done), free(svc), free(counts);
  return ferror(f) ? -1 : 0;
}

size_t* plat_gen_site_pms(const plat_params_t* p)
{
  size_t* counts = malloc((size_t)p->sites * sizeof *counts);
  if (!counts) return NULL;
  config_backbone_t* bb = NULL;
  if (p->topology == PLAT_TOPO_FILE && !p->site_pms[0]) {
    lucsim_err_t err;
    bb = config_backbone_load(p->backbone_file, &err);
    if (!bb || bb->site_count != (size_t)p->sites) {
      config_backbone_free(bb);
      free(counts);
      return NULL;
    }
  }
  config_site_pm_counts(p, bb, counts);
  config_backbone_free(bb);
  return counts;
}

int plat_write_xml(const plat_params_t* p, FILE* f)
{
  if (p->kind == PLAT_KIND_LUC) return write_luc_xml(f, p);
  if (p->kind == PLAT_KIND_CLUSTER) return write_cluster_xml(f, p);
  return -1;
}
