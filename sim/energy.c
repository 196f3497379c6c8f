/* PM energy from the linear power model (see energy.h). O(1) per cluster event. */
#include "energy.h"

#include <stdlib.h>
#include <string.h>

struct energy {
  const cluster_t* cl;
  double idle_W, max_W;
  double* core_capacity; /* per PM */
  double* power_W;       /* per PM, since since[pm] */
  double* since;
  double joules; /* closed segments */
};

static double power_of(const energy_t* en, size_t pm)
{
  const cluster_pm_t* p = cluster_pm(en->cl, pm);
  if (!p->online) return 0;
  double u = en->core_capacity[pm] > 0 ? p->cpu_demand / en->core_capacity[pm] : 0;
  if (u > 1) u = 1;
  return en->idle_W + (en->max_W - en->idle_W) * u;
}

static void on_cluster(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)ev, (void)vm, (void)role_dest;
  energy_t* en = userdata;
  double w     = power_of(en, pm);
  en->joules += en->power_W[pm] * (now - en->since[pm]);
  en->power_W[pm] = w;
  en->since[pm]   = now;
}

energy_t* energy_create(cluster_t* cl, const double* core_capacity, double power_idle_W, double power_max_W)
{
  if (power_max_W <= 0) return NULL;
  size_t n          = cluster_pm_count(cl);
  energy_t* en      = calloc(1, sizeof *en);
  en->cl            = cl;
  en->idle_W        = power_idle_W;
  en->max_W         = power_max_W;
  en->core_capacity = malloc((n ? n : 1) * sizeof(double));
  en->power_W       = calloc(n ? n : 1, sizeof(double));
  en->since         = calloc(n ? n : 1, sizeof(double));
  memcpy(en->core_capacity, core_capacity, n * sizeof(double));
  for (size_t pm = 0; pm < n; pm++)
    en->power_W[pm] = power_of(en, pm);
  cluster_add_listener(cl, on_cluster, en);
  return en;
}

void energy_destroy(energy_t* en)
{
  if (!en) return;
  free(en->core_capacity);
  free(en->power_W);
  free(en->since);
  free(en);
}

double energy_joules(const energy_t* en, double now)
{
  double open = 0;
  for (size_t pm = 0; pm < cluster_pm_count(en->cl); pm++)
    open += en->power_W[pm] * (now - en->since[pm]);
  return en->joules + open;
}
