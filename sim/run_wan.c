/* Backbone link failures in a run (docs/FAULTS.md, "Backbone links and islands"): the islands of
 * the backbone, the actor that fails and repairs links, and what a split or a merge does to the
 * run: migrations and image copies across the new split fail, the lost VMs are offered again. The
 * schedulers see islands through the API (sched_nodes_reach); messages across a split are dropped
 * by sched_recv. Not the drawing of the failures (wan_faults.c) nor the components (islands.c). */
#include "run.h"

#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(run_wan, lucsim, "Backbone link failures");

int run_wan_create(lucsim_run_t* run, lucsim_err_t* err)
{
  const config_t* cfg = run->cfg;
  bool traced         = run->fault_trace && run->fault_trace->link_count > 0;
  if (cfg->injector.wan_mtbf_s <= 0 && !traced) return 0;
  xbt_assert(plat_link_count(run->plat) > 0, "link failures without a backbone link (refused by run_create)");
  run->islands = islands_create(run->plat);
  run->wan     = traced ? wan_faults_replay(run->fault_trace->links, run->fault_trace->link_count)
                        : wan_faults_create(plat_link_count(run->plat), cfg->injector.wan_mtbf_s, cfg->injector.wan_mttr_s,
                                            cfg->seed);
  if (!run->islands || !run->wan) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (backbone link failures)");
  mig_set_islands(run->mig, run->islands);
  if (run->restart) restart_set_islands(run->restart, run->islands);
  return 0;
}

/* faults.csv: a link's failure or repair, with its sites as host, role link, its index as domain. */
static void record_link(lucsim_run_t* run, size_t link, bool down, double now)
{
  if (!run->faults_csv) return;
  const plat_link_t* l = plat_link(run->plat, link);
  fprintf(run->faults_csv, "%.9f,%s,,%s/%s,link,,,%s,%zu\n", now, down ? "crash" : "recover",
          plat_site_name(run->plat, l->a), plat_site_name(run->plat, l->b), run->fault_trace ? "trace" : "wan", link);
}

static void apply_link(void* userdata, size_t link, bool down, double now)
{
  lucsim_run_t* run = userdata;
  if (down) run->counters.wan_link_failures++;
  record_link(run, link, down, now);
  size_t islands_before = islands_count(run->islands);
  if (!islands_set_link(run->islands, link, !down, now)) return; /* every site reaches the same ones */
  XBT_VERB("backbone link %zu %s at %.3f: %zu islands", link, down ? "fails" : "is repaired", now,
           islands_count(run->islands));
  if (down) {
    if (islands_count(run->islands) > islands_before) run->counters.wan_splits++;
    run->counters.migrations_cut += mig_fail_separated(run->mig);
    if (run->restart) run->counters.restarts_cut += restart_fail_separated(run->restart, now);
  }
  /* VMs lost again, or room now reachable after a merge: every lost VM is offered. */
  if (run->restart && cluster_lost_count(run->cluster) > 0) run_offer_all_lost(run);
}

void run_wan_start(lucsim_run_t* run, sg_host_t host)
{
  if (run->wan) wan_faults_start_actor(run->wan, host, run->cfg->duration_s, apply_link, run);
}
