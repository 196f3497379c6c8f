/* SLA metrics (sla.h): per PM and per VM time integrals closed at every cluster event that touches
 * them, O(1) per event (a crash: O(its VMs + the lost VMs)). */
#include "sla.h"

#include <stdlib.h>

typedef struct sla_pm {
  double since;       /* start of the open segment */
  bool on, violating; /* as of since */
  double on_s, violating_s;
} sla_pm_t;

typedef struct sla_vm {
  double since;
  double rate; /* demand while running (load units), as of since; 0 when not running */
  bool migrating;
  double requested, degradation;
} sla_vm_t;

struct sla {
  const cluster_t* cl;
  sla_pm_t* pms;
  sla_vm_t* vms;
};

static void close_pm(const sla_pm_t* p, double now, double* on_s, double* violating_s)
{
  double dt    = now - p->since;
  *on_s        = p->on_s + (p->on ? dt : 0);
  *violating_s = p->violating_s + (p->on && p->violating ? dt : 0);
}

static void close_vm(const sla_vm_t* v, double now, double* requested, double* degradation)
{
  double used  = v->rate * (now - v->since);
  *requested   = v->requested + used;
  *degradation = v->degradation + (v->migrating ? SLA_MIGRATION_DEGRADATION * used : 0);
}

static void update_pm(sla_t* sla, size_t pm, double now)
{
  sla_pm_t* p = &sla->pms[pm];
  close_pm(p, now, &p->on_s, &p->violating_s);
  p->on        = cluster_pm_is_on(sla->cl, pm);
  p->violating = !cluster_pm_is_viable(sla->cl, pm);
  p->since     = now;
}

static void update_vm(sla_t* sla, size_t vm, double now)
{
  sla_vm_t* v = &sla->vms[vm];
  close_vm(v, now, &v->requested, &v->degradation);
  const cluster_vm_t* c = cluster_vm(sla->cl, vm);
  bool running          = c->pm >= 0 && cluster_pm(sla->cl, (size_t)c->pm)->online;
  v->rate               = running ? c->cpu_demand : 0;
  v->migrating          = running && c->migrating_to >= 0;
  v->since              = now;
}

static void on_cluster(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)role_dest;
  sla_t* sla = userdata;
  update_pm(sla, pm, now);
  if (vm >= 0) update_vm(sla, (size_t)vm, now);
  if (ev != CLUSTER_EV_CRASH && ev != CLUSTER_EV_RECOVER) return;
  /* the PM's VMs went down (or came back) with it; with lost VMs they are on the lost list now */
  for (int32_t v = cluster_pm(sla->cl, pm)->first_vm; v >= 0; v = cluster_vm(sla->cl, (size_t)v)->next_on_pm)
    update_vm(sla, (size_t)v, now);
  if (ev == CLUSTER_EV_CRASH)
    for (int32_t v = cluster_first_lost(sla->cl); v >= 0; v = cluster_vm(sla->cl, (size_t)v)->next_on_pm)
      update_vm(sla, (size_t)v, now);
}

static void prefetch(void* userdata, int32_t pm, int32_t vm)
{
  const sla_t* sla = userdata;
  if (pm >= 0) cluster_prefetch_record(&sla->pms[pm], sizeof *sla->pms);
  if (vm >= 0) cluster_prefetch_record(&sla->vms[vm], sizeof *sla->vms);
}

sla_t* sla_create(cluster_t* cl)
{
  sla_t* sla = calloc(1, sizeof *sla);
  if (!sla) return NULL;
  sla->cl  = cl;
  sla->pms = calloc(cluster_pm_count(cl) + 1, sizeof *sla->pms);
  sla->vms = calloc(cluster_vm_count(cl) + 1, sizeof *sla->vms);
  if (!sla->pms || !sla->vms) {
    sla_destroy(sla);
    return NULL;
  }
  for (size_t pm = 0; pm < cluster_pm_count(cl); pm++)
    update_pm(sla, pm, 0);
  for (size_t vm = 0; vm < cluster_vm_count(cl); vm++)
    update_vm(sla, vm, 0);
  cluster_add_listener(cl, on_cluster, sla);
  cluster_add_prefetcher(cl, prefetch, sla);
  return sla;
}

void sla_destroy(sla_t* sla)
{
  if (!sla) return;
  free(sla->pms);
  free(sla->vms);
  free(sla);
}

sla_totals_t sla_totals(const sla_t* sla, double now)
{
  sla_totals_t t = {0};
  size_t pms_on = 0, vms_requesting = 0;
  for (size_t pm = 0; pm < cluster_pm_count(sla->cl); pm++) {
    double on_s, violating_s;
    close_pm(&sla->pms[pm], now, &on_s, &violating_s);
    t.pm_on_s += on_s;
    t.pm_violation_s += violating_s;
    if (on_s > 0) t.slatah += violating_s / on_s, pms_on++;
  }
  for (size_t vm = 0; vm < cluster_vm_count(sla->cl); vm++) {
    double requested, degradation;
    close_vm(&sla->vms[vm], now, &requested, &degradation);
    t.requested += requested;
    t.degradation += degradation;
    if (requested > 0) t.pdm += degradation / requested, vms_requesting++;
  }
  /* guarded denominators: no PM on, or no CPU requested, gives 0 (CloudSim printed NaN) */
  t.slatah     = pms_on ? t.slatah / (double)pms_on : 0;
  t.slatah_sum = t.pm_on_s > 0 ? t.pm_violation_s / t.pm_on_s : 0;
  t.pdm        = vms_requesting ? t.pdm / (double)vms_requesting : 0;
  t.pdm_sum    = t.requested > 0 ? t.degradation / t.requested : 0;
  return t;
}

const char* sla_summary_header(void)
{
  return ",energy_kWh,pm_on_s,pm_boots,pm_shutdowns,slatah,pdm,slav,esv,slatah_cloudsim,pdm_cloudsim";
}

void sla_write_summary(const sla_t* sla, FILE* f, double now, double energy_kWh)
{
  sla_totals_t t = sla_totals(sla, now);
  double slav    = t.slatah * t.pdm;
  if (energy_kWh >= 0)
    fprintf(f, ",%.6f", energy_kWh);
  else
    fputc(',', f);
  fprintf(f, ",%.3f,%zu,%zu,%.9f,%.9f,%.12f", t.pm_on_s, cluster_boot_count(sla->cl), cluster_shutdown_count(sla->cl),
          t.slatah, t.pdm, slav);
  if (energy_kWh >= 0)
    fprintf(f, ",%.12f", energy_kWh * slav);
  else
    fputc(',', f);
  fprintf(f, ",%.9f,%.9f", t.slatah_sum, t.pdm_sum);
}
