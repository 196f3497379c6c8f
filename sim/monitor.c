/* Violation accounting per PM (see monitor.h). O(1) per cluster event, no allocation after create.
 * Not the trace writer (trace.c): it observes the monitor like any other observer. */
#include "monitor.h"

#include <assert.h>
#include <stdlib.h>

#define MON_MAX_OBSERVERS 4

typedef struct mon_pm {
  mon_state_t state;
  double since;       /* start of the current state */
  bool detected;      /* a scheduler handled the current violation */
  double detected_at; /* first detection time in the current interval */
  double violation_s; /* closed intervals only */
  double violation_out_s;
  uint32_t intervals;
} mon_pm_t;

typedef struct mon_observer {
  mon_state_fn fn;
  void* userdata;
} mon_observer_t;

struct mon {
  cluster_t* cl;
  FILE* rows;
  mon_pm_t* pms;
  mon_totals_t totals;
  size_t observer_count;
  mon_observer_t observers[MON_MAX_OBSERVERS];
};

const char* mon_state_name(mon_state_t state)
{
  static const char* const names[] = {"normal", "violation", "violation-out", "off"};
  return names[state];
}

static void emit(mon_t* mon, size_t pm, double now)
{
  const mon_pm_t* p = &mon->pms[pm];
  for (size_t i = 0; i < mon->observer_count; i++)
    mon->observers[i].fn(mon->observers[i].userdata, pm, p->state, p->detected, now);
}

/* Closes pm's violation interval at now, writing its row. */
static void close_interval(mon_t* mon, size_t pm, double now, bool truncated)
{
  mon_pm_t* p     = &mon->pms[pm];
  double duration = now - p->since;
  if (p->state == MON_VIOLATION) {
    p->violation_s += duration;
    mon->totals.violation_s += duration;
  } else {
    p->violation_out_s += duration;
    mon->totals.violation_out_s += duration;
  }
  p->intervals++;
  mon->totals.intervals++;
  mon->totals.pms_in_violation--;
  if (p->detected) {
    mon->totals.detected++;
    mon->totals.detected_s += duration;
  }
  if (mon->rows)
    fprintf(mon->rows, "%zu,%s,%.9f,%.9f,%.9f,%d,%.9f,%d\n", pm, mon_state_name(p->state), p->since, now, duration,
            p->detected ? 1 : 0, p->detected ? p->detected_at - p->since : 0.0, truncated ? 1 : 0);
}

static void set_state(mon_t* mon, size_t pm, mon_state_t state, double now)
{
  mon_pm_t* p = &mon->pms[pm];
  if (p->state == state) return;
  if (p->state == MON_VIOLATION || p->state == MON_VIOLATION_OUT) close_interval(mon, pm, now, false);
  p->state    = state;
  p->since    = now;
  p->detected = false;
  if (state == MON_VIOLATION || state == MON_VIOLATION_OUT) mon->totals.pms_in_violation++;
  emit(mon, pm, now);
}

static void on_cluster_event(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)vm;
  mon_t* mon              = userdata;
  const cluster_pm_t* cpm = cluster_pm(mon->cl, pm);
  mon_state_t cur         = mon->pms[pm].state;
  if (!cpm->online) {
    set_state(mon, pm, MON_OFF, now);
    return;
  }
  if (cluster_pm_is_viable(mon->cl, pm)) {
    set_state(mon, pm, MON_NORMAL, now);
    return;
  }
  if (cur == MON_VIOLATION || cur == MON_VIOLATION_OUT) return; /* an interval keeps the cause that opened it */
  bool caused_by_arrival = ev == CLUSTER_EV_MIG_ARRIVE && role_dest;
  set_state(mon, pm, caused_by_arrival ? MON_VIOLATION_OUT : MON_VIOLATION, now);
}

static void prefetch(void* userdata, int32_t pm, int32_t vm)
{
  (void)vm;
  const mon_t* mon = userdata;
  if (pm >= 0) cluster_prefetch_record(&mon->pms[pm], sizeof *mon->pms);
}

mon_t* mon_create(cluster_t* cl, FILE* rows)
{
  mon_t* mon = calloc(1, sizeof *mon);
  if (!mon) return NULL;
  mon->cl   = cl;
  mon->rows = rows;
  mon->pms  = calloc(cluster_pm_count(cl) ? cluster_pm_count(cl) : 1, sizeof *mon->pms);
  if (!mon->pms) {
    free(mon);
    return NULL;
  }
  for (size_t pm = 0; pm < cluster_pm_count(cl); pm++) {
    mon->pms[pm].state = MON_NORMAL;
    /* the initial placement may already be non-viable (a high initial load): account from t = 0 */
    if (!cluster_pm_is_viable(cl, pm)) {
      mon->pms[pm].state = MON_VIOLATION;
      mon->totals.pms_in_violation++;
    }
  }
  if (rows) fprintf(rows, "pm,kind,start_s,end_s,duration_s,detected,detection_delay_s,truncated\n");
  cluster_add_listener(cl, on_cluster_event, mon);
  cluster_add_prefetcher(cl, prefetch, mon);
  return mon;
}

void mon_destroy(mon_t* mon)
{
  if (!mon) return;
  free(mon->pms);
  free(mon);
}

void mon_add_observer(mon_t* mon, mon_state_fn fn, void* userdata)
{
  assert(mon->observer_count < MON_MAX_OBSERVERS);
  mon->observers[mon->observer_count++] = (mon_observer_t){fn, userdata};
}

void mon_mark_detected(mon_t* mon, size_t pm, double now)
{
  mon_pm_t* p = &mon->pms[pm];
  if ((p->state != MON_VIOLATION && p->state != MON_VIOLATION_OUT) || p->detected) return;
  p->detected    = true;
  p->detected_at = now;
  emit(mon, pm, now);
}

mon_state_t mon_pm_state(const mon_t* mon, size_t pm)
{
  return mon->pms[pm].state;
}
double mon_pm_violation_s(const mon_t* mon, size_t pm)
{
  return mon->pms[pm].violation_s;
}
double mon_pm_violation_out_s(const mon_t* mon, size_t pm)
{
  return mon->pms[pm].violation_out_s;
}
mon_totals_t mon_totals(const mon_t* mon)
{
  return mon->totals;
}

void mon_finish(mon_t* mon, double end_s)
{
  for (size_t pm = 0; pm < cluster_pm_count(mon->cl); pm++) {
    mon_pm_t* p = &mon->pms[pm];
    if (p->state == MON_VIOLATION || p->state == MON_VIOLATION_OUT) {
      close_interval(mon, pm, end_s, true);
      p->state = MON_NORMAL;
      p->since = end_s;
    }
  }
}
