/* SimGrid platform XML of the generated platforms. kind=cluster: one <cluster> of PMs then service
 * nodes. kind=luc: one top zone (Full routing) holding, per site, a <cluster> of PMs (private links,
 * no shared backbone) and, when the site has some, a <cluster> of service nodes tagged
 * lucsim_role=service, both tagged site=s<s> (so the file loaded back has the same sites), plus backbone <link>s
 * between site gateways following the topology and one <zoneRoute> per pair of zones along a shortest path
 * (breadth-first, lowest site first). Not the loading (platform.c) nor any check of the parameters (config.c). */
#include "platform.h"
#include "platform_gen.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

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
  if (p->shared_backbone) fprintf(f, " bb_bw=\"%.17gBps\" bb_lat=\"0s\"", p->backbone_bw_Bps);
  fprintf(f, "/>\n</platform>\n");
  return ferror(f) ? -1 : 0;
}

/* Backbone edges a < b of the topology, as an adjacency matrix of n x n booleans. */
static bool* topology_edges(plat_topology_t topo, size_t n)
{
  bool* adj = calloc(n * n, sizeof *adj);
  if (!adj) return NULL;
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++) {
      bool edge = false;
      switch (topo) {
      case PLAT_TOPO_RING:
        edge = b == a + 1 || (a == 0 && b == n - 1);
        break;
      case PLAT_TOPO_STAR:
        edge = a == 0;
        break;
      case PLAT_TOPO_MESH:
        edge = true;
        break;
      case PLAT_TOPO_TREE:
        edge = b == 2 * a + 1 || b == 2 * a + 2;
        break;
      }
      adj[a * n + b] = adj[b * n + a] = edge;
    }
  return adj;
}

/* Breadth-first predecessors from site `from` (neighbours visited lowest first: deterministic). */
static void shortest_paths(const bool* adj, size_t n, size_t from, size_t* pred, size_t* queue)
{
  for (size_t i = 0; i < n; i++)
    pred[i] = SIZE_MAX;
  pred[from]  = from;
  size_t head = 0, tail = 0;
  queue[tail++] = from;
  while (head < tail) {
    size_t a = queue[head++];
    for (size_t b = 0; b < n; b++)
      if (adj[a * n + b] && pred[b] == SIZE_MAX) {
        pred[b]       = a;
        queue[tail++] = b;
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

static void write_site_clusters(FILE* f, const plat_params_t* p, size_t s, size_t pms, size_t services)
{
  const char* link = "sharing_policy=\"SPLITDUPLEX\"";
  fprintf(f,
          "    <cluster id=\"s%zu\" prefix=\"s%zu-node-\" suffix=\"\" radical=\"0-%zu\" speed=\"%.17gf\" core=\"%d\""
          " bw=\"%.17gBps\" lat=\"%.17gs\" %s router_id=\"s%zu-router\">\n"
          "      <prop id=\"site\" value=\"s%zu\"/>\n    </cluster>\n",
          s, s, pms - 1, p->core_speed_flops, p->cores, p->nic_bw_Bps, p->nic_latency_s, link, s, s);
  if (services == 0) return;
  fprintf(f,
          "    <cluster id=\"s%zu-services\" prefix=\"s%zu-service-\" suffix=\"\" radical=\"0-%zu\" speed=\"%.17gf\""
          " core=\"%d\" bw=\"%.17gBps\" lat=\"%.17gs\" %s router_id=\"s%zu-services-router\">\n"
          "      <prop id=\"lucsim_role\" value=\"service\"/>\n      <prop id=\"site\" value=\"s%zu\"/>\n"
          "    </cluster>\n",
          s, s, services - 1, p->core_speed_flops, p->cores, p->nic_bw_Bps, p->nic_latency_s, link, s, s);
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

static int write_luc_xml(FILE* f, const plat_params_t* p)
{
  size_t n      = (size_t)p->sites;
  bool* adj     = topology_edges(p->topology, n);
  size_t* pred  = malloc(n * sizeof *pred);
  size_t* queue = malloc(n * sizeof *queue);
  bool* svc     = malloc(n * sizeof *svc);
  if (!adj || !pred || !queue || !svc) {
    free(adj), free(pred), free(queue), free(svc);
    return -1;
  }
  static const char* const topologies[] = {"ring", "star", "mesh", "tree"};
  write_header(f);
  fprintf(f, "  <!-- lucsim platform.kind=luc: %d PMs and %d service nodes over %zu sites, %s backbone -->\n",
          p->pm_count, p->service_nodes, n, topologies[p->topology]);
  fprintf(f, "  <zone id=\"luc\" routing=\"Full\">\n");
  for (size_t s = 0; s < n; s++) {
    size_t services = plat_gen_share((size_t)p->service_nodes, n, s);
    svc[s]          = services > 0;
    write_site_clusters(f, p, s, plat_gen_share((size_t)p->pm_count, n, s), services);
  }
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++)
      if (adj[a * n + b])
        fprintf(f, "    <link id=\"wan-%zu-%zu\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n", a, b, p->wan_bw_Bps,
                p->wan_latency_s);
  for (size_t a = 0; a < n; a++) {
    shortest_paths(adj, n, a, pred, queue);
    if (svc[a]) write_zone_route(f, a, true, a, false, pred);
    for (size_t b = a + 1; b < n; b++) {
      write_zone_route(f, a, false, b, false, pred);
      if (svc[b]) write_zone_route(f, a, false, b, true, pred);
      if (svc[a]) write_zone_route(f, a, true, b, false, pred);
      if (svc[a] && svc[b]) write_zone_route(f, a, true, b, true, pred);
    }
  }
  fprintf(f, "  </zone>\n</platform>\n");
  free(adj), free(pred), free(queue), free(svc);
  return ferror(f) ? -1 : 0;
}

int plat_write_xml(const plat_params_t* p, FILE* f)
{
  if (p->kind == PLAT_KIND_LUC) return write_luc_xml(f, p);
  if (p->kind == PLAT_KIND_CLUSTER) return write_cluster_xml(f, p);
  return -1;
}
