/* PM energy from the power model of each state (see energy.h). O(1) per cluster event. */
#include "energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

struct energy {
  const cluster_t* cl;
  double (*curves_W)[CONFIG_POWER_CURVE_MAX]; /* per model */
  energy_model_t* models;                     /* per model, curve_W into curves_W */
  uint32_t* model_of;                         /* per PM */
  double* core_capacity;                      /* per PM */
  double* power_W;                            /* per PM, since since[pm] */
  double* since;
  double joules; /* closed segments */
};

bool energy_model_of(const config_t* cfg, double* curve_buf, energy_model_t* m)
{
  const plat_params_t* p = &cfg->platform;
  memset(m, 0, sizeof *m);
  m->curve_W = curve_buf;
  if (p->power_curve[0]) {
    char why[256];
    int n = config_power_curve_parse(p->power_curve, curve_buf, CONFIG_POWER_CURVE_MAX, why, sizeof why);
    if (n < 2) return false; /* config_check refused it already */
    m->curve_points = (size_t)n;
  } else {
    if (p->power_max_W <= 0) return false;
    curve_buf[0] = p->power_idle_W, curve_buf[1] = p->power_max_W;
    m->curve_points = 2;
  }
  m->off_W      = p->power_off_W;
  m->boot_W     = p->boot_power_W > 0 ? p->boot_power_W : curve_buf[m->curve_points - 1];
  m->shutdown_W = p->shutdown_power_W > 0 ? p->shutdown_power_W : curve_buf[0];
  return true;
}

double energy_curve_W(const energy_model_t* m, double u)
{
  if (u <= 0) return m->curve_W[0];
  if (u >= 1) return m->curve_W[m->curve_points - 1];
  double x = u * (double)(m->curve_points - 1);
  size_t i = (size_t)x;
  return m->curve_W[i] + (m->curve_W[i + 1] - m->curve_W[i]) * (x - (double)i);
}

void energy_model_of_class(const energy_model_t* base, const config_t* cfg, const plat_power_t* c, double* curve_buf,
                           energy_model_t* out)
{
  *out = *base;
  if (!c) return;
  if (c->curve_points > 0) {
    memcpy(curve_buf, c->curve_W, c->curve_points * sizeof(double));
    out->curve_W = curve_buf, out->curve_points = c->curve_points;
  }
  const plat_params_t* p = &cfg->platform;
  double boot            = isnan(c->value[PLAT_BOOT_POWER]) ? p->boot_power_W : c->value[PLAT_BOOT_POWER];
  double shut            = isnan(c->value[PLAT_SHUTDOWN_POWER]) ? p->shutdown_power_W : c->value[PLAT_SHUTDOWN_POWER];
  out->off_W             = isnan(c->value[PLAT_POWER_OFF]) ? base->off_W : c->value[PLAT_POWER_OFF];
  out->boot_W            = boot > 0 ? boot : out->curve_W[out->curve_points - 1];
  out->shutdown_W        = shut > 0 ? shut : out->curve_W[0];
}

static double power_of(const energy_t* en, size_t pm)
{
  const cluster_pm_t* p   = cluster_pm(en->cl, pm);
  const energy_model_t* m = &en->models[en->model_of[pm]];
  if (!p->online) return 0;
  switch (p->power) {
  case CLUSTER_POWER_OFF:
    return m->off_W;
  case CLUSTER_POWER_BOOTING:
    return m->boot_W;
  case CLUSTER_POWER_SHUTTING_DOWN:
    return m->shutdown_W;
  default:
    break;
  }
  double u = en->core_capacity[pm] > 0 ? p->cpu_demand / en->core_capacity[pm] : 0;
  return energy_curve_W(m, u);
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

energy_t* energy_create(cluster_t* cl, const double* core_capacity, const energy_model_t* models, size_t model_count,
                        const uint32_t* class_of)
{
  size_t n     = cluster_pm_count(cl);
  energy_t* en = calloc(1, sizeof *en);
  if (!en) return NULL;
  en->cl            = cl;
  en->curves_W      = malloc(model_count * sizeof *en->curves_W);
  en->models        = malloc(model_count * sizeof *en->models);
  en->model_of      = calloc(n ? n : 1, sizeof *en->model_of);
  en->core_capacity = malloc((n ? n : 1) * sizeof(double));
  en->power_W       = calloc(n ? n : 1, sizeof(double));
  en->since         = calloc(n ? n : 1, sizeof(double));
  if (!en->curves_W || !en->models || !en->model_of || !en->core_capacity || !en->power_W || !en->since) {
    energy_destroy(en);
    return NULL;
  }
  for (size_t k = 0; k < model_count; k++) {
    memcpy(en->curves_W[k], models[k].curve_W, models[k].curve_points * sizeof(double));
    en->models[k]         = models[k];
    en->models[k].curve_W = en->curves_W[k];
  }
  if (class_of) memcpy(en->model_of, class_of, n * sizeof *en->model_of);
  for (size_t pm = 0; pm < n; pm++)
    xbt_assert(en->model_of[pm] < model_count, "PM %zu: power class %u of %zu", pm, en->model_of[pm], model_count);
  memcpy(en->core_capacity, core_capacity, n * sizeof(double));
  for (size_t pm = 0; pm < n; pm++)
    en->power_W[pm] = power_of(en, pm);
  cluster_add_listener(cl, on_cluster, en);
  return en;
}

void energy_destroy(energy_t* en)
{
  if (!en) return;
  free(en->curves_W);
  free(en->models);
  free(en->model_of);
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
