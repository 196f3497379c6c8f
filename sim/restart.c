/* Restarts of lost VMs: one SimGrid actor per restart, on the destination's host: the image copy
 * (when it changes site with local stores), then the boot. A destination that crashes kills the
 * actor (it stops using bandwidth at once) and the VM is lost again. See restart.h. */
#include "restart.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(restart, lucsim, "Restarts of lost VMs");

typedef struct restart_vm {
  restart_t* rs;
  sg_actor_t actor;   /* the restart under way, else NULL */
  double lost_s;      /* when it was lost (a failed restart keeps the first loss) */
  double started_s;   /* when it last began running: 0, or its last restart */
  double image_bytes; /* of the restart under way */
  double begun_s;     /* when the restart under way began */
  int32_t former_pm;  /* the PM whose crash lost it */
  bool copying;       /* its image copy is under way */
} restart_vm_t;

struct restart {
  cluster_t* cl;
  const plat_t* plat;
  const config_t* cfg;
  restart_vm_t* vms;
  restart_totals_t totals;
  FILE* rows;               /* restarts.csv, or NULL */
  const islands_t* islands; /* backbone link failures (restart_set_islands), or NULL */
};

void restart_set_csv(restart_t* rs, FILE* rows)
{
  rs->rows = rows;
  if (rows) fprintf(rows, "vm,from_pm,to_pm,lost_s,start_s,end_s,latency_s,image_bytes,status\n");
}

static void write_row(const restart_t* rs, size_t vm, size_t dst, double now, bool ok)
{
  const restart_vm_t* r = &rs->vms[vm];
  if (rs->rows)
    fprintf(rs->rows, "%zu,%d,%zu,%.9f,%.9f,%.9f,%.9f,%.0f,%s\n", vm, (int)r->former_pm, dst, r->lost_s, r->begun_s,
            now, now - r->lost_s, r->image_bytes, ok ? "ok" : "failed");
}

restart_t* restart_create(cluster_t* cl, const plat_t* plat, const config_t* cfg)
{
  restart_t* rs = calloc(1, sizeof *rs);
  if (!rs) return NULL;
  size_t n = cluster_vm_count(cl);
  rs->cl   = cl;
  rs->plat = plat;
  rs->cfg  = cfg;
  rs->vms  = calloc(n ? n : 1, sizeof *rs->vms);
  if (!rs->vms) {
    free(rs);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    rs->vms[i].rs        = rs;
    rs->vms[i].former_pm = CLUSTER_NONE;
  }
  return rs;
}

void restart_destroy(restart_t* rs)
{
  if (!rs) return;
  free(rs->vms);
  free(rs);
}

/* Work lost by a VM crashing now: since its last snapshot (multiples of the period) or start. */
static double lost_work(const restart_t* rs, const restart_vm_t* r, double now)
{
  double since  = r->started_s;
  double period = rs->cfg->injector.snapshot_period_s;
  if (period > 0) {
    double snapshot = floor(now / period) * period;
    if (snapshot > since) since = snapshot;
  }
  return now - since;
}

/* The restart of vm on pm fails now: its actor is killed (its image copy or boot stops), the VM is
 * lost again. */
static void restart_fail(restart_t* rs, size_t vm, size_t pm, double now, const char* why)
{
  restart_vm_t* r = &rs->vms[vm];
  xbt_assert(r->actor, "VM %zu restarts on PM %zu without an actor", vm, pm);
  sg_actor_kill(r->actor); /* cancels its image copy or boot */
  r->actor   = NULL;
  r->copying = false;
  write_row(rs, vm, pm, now, false);
  cluster_restart_abort(rs->cl, vm, now);
  rs->totals.failed++;
  XBT_VERB("VM %zu: its restart on PM %zu fails (%s)", vm, pm, why);
}

void restart_pm_crash(restart_t* rs, size_t pm, double now)
{
  const cluster_pm_t* p = cluster_pm(rs->cl, pm);
  while (p->first_restarting != CLUSTER_NONE)
    restart_fail(rs, (size_t)p->first_restarting, pm, now, "the PM crashes");
  for (int32_t v = p->first_vm; v != CLUSTER_NONE; v = cluster_vm(rs->cl, (size_t)v)->next_on_pm) {
    restart_vm_t* r = &rs->vms[v];
    rs->totals.lost++;
    rs->totals.lost_work_vm_s += lost_work(rs, r, now);
    r->lost_s    = now;
    r->former_pm = (int32_t)pm;
  }
}

static void restart_actor_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  restart_vm_t* r = sg_actor_self_get_data();
  restart_t* rs   = r->rs;
  size_t vm       = (size_t)(r - rs->vms);
  size_t dst      = (size_t)cluster_vm(rs->cl, vm)->restart_to;
  if (r->image_bytes > 0) {
    r->copying = true;
    sg_host_sendto(plat_pm_host(rs->plat, (size_t)r->former_pm), plat_pm_host(rs->plat, dst), r->image_bytes);
    r->copying = false;
  }
  if (rs->cfg->injector.boot_s > 0) sg_actor_sleep_for(rs->cfg->injector.boot_s);
  double now = simgrid_get_clock();
  r->actor   = NULL;
  cluster_restart_done(rs->cl, vm, now);
  r->started_s   = now;
  double latency = now - r->lost_s;
  rs->totals.restarted++;
  rs->totals.latency_sum_s += latency;
  if (latency > rs->totals.latency_max_s) rs->totals.latency_max_s = latency;
  rs->totals.image_bytes += r->image_bytes;
  write_row(rs, vm, dst, now, true);
  XBT_VERB("VM %zu runs again on PM %zu, %.3f s after its loss", vm, dst, latency);
}

/* A lost VM's disk is at its former PM's site: a restart needs a destination that site reaches. */
static bool restart_reaches(const restart_t* rs, size_t former_pm, size_t dst)
{
  return !rs->islands ||
         islands_sites_reach(rs->islands, plat_pm_site(rs->plat, former_pm), plat_pm_site(rs->plat, dst));
}

void restart_set_islands(restart_t* rs, const islands_t* islands)
{
  rs->islands = islands;
}

size_t restart_fail_separated(restart_t* rs, double now)
{
  if (!rs->islands) return 0;
  size_t failed = 0;
  for (size_t vm = 0; vm < cluster_vm_count(rs->cl); vm++) {
    const restart_vm_t* r = &rs->vms[vm];
    if (!r->copying) continue;
    size_t dst = (size_t)cluster_vm(rs->cl, vm)->restart_to;
    if (restart_reaches(rs, (size_t)r->former_pm, dst)) continue;
    restart_fail(rs, vm, dst, now, "a split cuts its image copy");
    failed++;
  }
  return failed;
}

int restart_start(restart_t* rs, size_t vm, size_t dst)
{
  if (vm >= cluster_vm_count(rs->cl)) return -1;
  restart_vm_t* r = &rs->vms[vm];
  if (r->former_pm == CLUSTER_NONE) return -1; /* never lost */
  if (dst >= cluster_pm_count(rs->cl) || !restart_reaches(rs, (size_t)r->former_pm, dst)) return -1;
  if (cluster_restart_begin(rs->cl, vm, dst, simgrid_get_clock()) != 0) return -1;
  const vm_class_t* c = &rs->cfg->vms.classes[cluster_vm(rs->cl, vm)->class_id];
  bool other_site     = plat_pm_site(rs->plat, (size_t)r->former_pm) != plat_pm_site(rs->plat, dst);
  bool local_store    = rs->cfg->migration.image_store == MIG_IMAGE_LOCAL;
  r->image_bytes      = other_site && local_store ? (double)c->image_bytes : 0;
  r->begun_s          = simgrid_get_clock();
  r->actor            = sg_actor_init("vm-restart", plat_pm_host(rs->plat, dst));
  sg_actor_set_data(r->actor, r);
  sg_actor_start(r->actor, restart_actor_main, 0, NULL);
  XBT_VERB("VM %zu restarts on PM %zu", vm, dst);
  return 0;
}

int32_t restart_former_pm(const restart_t* rs, size_t vm)
{
  return rs->vms[vm].former_pm;
}

restart_totals_t restart_totals(const restart_t* rs)
{
  return rs->totals;
}
