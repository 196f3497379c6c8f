/* Locality of the core: checks the problem's optional sites (node_site, site_distance), decides
 * whether the locality applies to this solve (two sites or more, not CORE_LOCALITY_OFF), scales the
 * distances to [0, 1], and sums a placement's distance cost. Where the distance weighs (candidate
 * order, MILP objective) is the heuristic's and the MILP's business. */
#include "core_internal.h"

#include <math.h>
#include <stdio.h>

static int invalid(char* err, size_t es, const char* what)
{
  if (err && es) snprintf(err, es, "%s", what);
  return CORE__ERR_INVALID;
}

int core__locality_build(core__ws_t* ws, char* err, size_t es)
{
  const core_problem_t* pb = ws->pb;
  size_t ns                = pb->site_count;
  char buf[256];
  if (!pb->node_site) return 0;
  if (ns > UINT32_MAX) return invalid(err, es, "site_count must fit in uint32");
  for (size_t n = 0; n < ws->nn; n++)
    if (pb->node_site[n] >= ns) {
      snprintf(buf, sizeof buf, "node %zu: site %u out of range [0, %zu)", n, (unsigned)pb->node_site[n], ns);
      return invalid(err, es, buf);
    }
  double dmax = 0;
  for (size_t i = 0; pb->site_distance && i < ns * ns; i++) {
    double d = pb->site_distance[i];
    if (!(d >= 0) || !isfinite(d)) {
      snprintf(buf, sizeof buf, "site_distance[%zu] %g is invalid; expected a finite value >= 0", i, d);
      return invalid(err, es, buf);
    }
    dmax = d > dmax ? d : dmax;
  }
  if (ns < 2 || ws->prm->locality == CORE_LOCALITY_OFF) return 0;
  ws->site = pb->node_site, ws->ns = ns;
  if (ws->prm->locality != CORE_LOCALITY_DISTANCE || !pb->site_distance) return 0;
  ws->site_dist = core__malloc(ws->mem, ns * ns, sizeof(double));
  if (!ws->site_dist) return CORE__ERR_NOMEM;
  for (size_t i = 0; i < ns * ns; i++) /* all distances 0: every site is as near as the VM's own */
    ws->site_dist[i] = dmax > 0 ? pb->site_distance[i] / dmax : 0;
  return 0;
}

double core__locality_cost(const core__ws_t* ws, const int32_t* pos)
{
  double c = 0;
  if (!ws->site) return 0;
  for (size_t v = 0; v < ws->nv; v++)
    if (pos[v] >= 0 && pos[v] != ws->pb->vms[v].node) c += ws->w[v] * core__dist(ws, ws->pb->vms[v].node, pos[v]);
  return c;
}
