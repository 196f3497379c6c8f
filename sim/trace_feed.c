/* Trace feed: cluster and monitor events become Paje events (see trace_feed.h). */
#include "trace_feed.h"

#include <stdlib.h>

struct trace_feed {
  trace_t* tr;
  cluster_t* cl;
  mon_t* mon;
  uint64_t next_link_id;
  uint64_t* vm_link_id;  /* link key of each VM's migration in flight */
  uint32_t* vm_link_src; /* its source PM */
};

static trace_pm_state_t pm_state_of(mon_state_t s, bool detected)
{
  switch (s) {
  case MON_VIOLATION:
    return detected ? TRACE_PM_VIOLATION_DET : TRACE_PM_VIOLATION;
  case MON_VIOLATION_OUT:
    return TRACE_PM_VIOLATION_OUT;
  case MON_OFF:
    return TRACE_PM_OFF;
  default:
    return TRACE_PM_NORMAL;
  }
}

static void on_state(void* userdata, size_t pm, mon_state_t state, bool detected, double now)
{
  trace_feed_t* feed = userdata;
  trace_pm_state(feed->tr, now, pm, pm_state_of(state, detected));
}

static void write_pm_variables(trace_feed_t* feed, size_t pm, double now)
{
  const cluster_pm_t* p = cluster_pm(feed->cl, pm);
  trace_pm_variable(feed->tr, now, pm, TRACE_PM_CPU_DEMAND, p->cpu_demand);
  trace_pm_variable(feed->tr, now, pm, TRACE_PM_VM_COUNT, (double)p->vm_count);
}

static void on_cluster(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  trace_feed_t* feed = userdata;
  if (ev == CLUSTER_EV_MIG_START && !role_dest) {
    feed->vm_link_id[vm]  = feed->next_link_id++;
    feed->vm_link_src[vm] = (uint32_t)pm;
    trace_migration_start(feed->tr, now, feed->vm_link_id[vm], pm,
                          (size_t)cluster_vm(feed->cl, (size_t)vm)->migrating_to);
  } else if ((ev == CLUSTER_EV_MIG_ARRIVE || ev == CLUSTER_EV_MIG_ABORT) && role_dest) {
    trace_migration_end(feed->tr, now, feed->vm_link_id[vm], feed->vm_link_src[vm], pm);
  }
  write_pm_variables(feed, pm, now);
}

trace_feed_t* trace_feed_create(trace_t* tr, cluster_t* cl, mon_t* mon)
{
  if (!tr) return NULL;
  trace_feed_t* feed = calloc(1, sizeof *feed);
  feed->tr           = tr;
  feed->cl           = cl;
  feed->mon          = mon;
  size_t vms         = cluster_vm_count(cl) ? cluster_vm_count(cl) : 1;
  feed->vm_link_id   = calloc(vms, sizeof *feed->vm_link_id);
  feed->vm_link_src  = calloc(vms, sizeof *feed->vm_link_src);
  for (size_t pm = 0; pm < cluster_pm_count(cl); pm++) {
    trace_pm_state(tr, 0, pm, pm_state_of(mon_pm_state(mon, pm), false));
    write_pm_variables(feed, pm, 0);
  }
  cluster_add_listener(cl, on_cluster, feed);
  mon_add_observer(mon, on_state, feed);
  return feed;
}

void trace_feed_destroy(trace_feed_t* feed)
{
  if (!feed) return;
  free(feed->vm_link_id);
  free(feed->vm_link_src);
  free(feed);
}

void trace_feed_sample(trace_feed_t* feed, double now)
{
  if (!feed) return;
  trace_root_variable(feed->tr, now, TRACE_ROOT_GLOBAL_LOAD, 100.0 * cluster_global_load(feed->cl));
  trace_root_variable(feed->tr, now, TRACE_ROOT_PMS_IN_VIOLATION, (double)mon_totals(feed->mon).pms_in_violation);
}
