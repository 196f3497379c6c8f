/* mon_t: viability of each PM over time and the violation accounting of docs/DESIGN.md §6.
 * It listens to the cluster; a violation interval opens when a PM becomes non-viable and closes when
 * it is viable again, crashes, or the run ends. Kinds: "violation" (caused by load) and
 * "violation-out" (caused by an incoming migration). An interval is "detected" when a scheduler
 * called mon_mark_detected() during it, "hidden" otherwise. One CSV row per closed interval. */
#ifndef LUCSIM_MONITOR_H
#define LUCSIM_MONITOR_H

#include "cluster.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct mon mon_t;

typedef enum { MON_NORMAL = 0, MON_VIOLATION, MON_VIOLATION_OUT, MON_OFF } mon_state_t;

/* Called when a PM's state changes (after the cluster update), e.g. for the trace or a reactive
 * scheduler. detected is the interval's detected flag (changes only through mon_mark_detected). */
typedef void (*mon_state_fn)(void* userdata, size_t pm, mon_state_t state, bool detected, double now);

typedef struct mon_totals {
  double violation_s;      /* PM-seconds in "violation" */
  double violation_out_s;  /* PM-seconds in "violation-out" */
  size_t intervals;        /* violation intervals of both kinds */
  size_t detected;         /* of which a scheduler marked detected */
  double detected_s;       /* PM-seconds of the detected intervals */
  size_t pms_in_violation; /* right now */
} mon_totals_t;

/* Registers itself as a cluster listener. rows: CSV stream for violations.csv (header written here),
 * borrowed, may be NULL. Owned by the caller: mon_destroy. */
mon_t* mon_create(cluster_t* cl, FILE* rows);
void mon_destroy(mon_t* mon); /* accepts NULL */

/* Up to 4 state observers, called in registration order. */
void mon_add_observer(mon_t* mon, mon_state_fn fn, void* userdata);

/* A scheduler handles non-viable PM pm (VMPlaceS' violation-det): the current interval, if any,
 * becomes detected; the first call records the detection time. No effect on a viable PM. */
void mon_mark_detected(mon_t* mon, size_t pm, double now);

mon_state_t mon_pm_state(const mon_t* mon, size_t pm);
/* Per-PM totals up to the last closed interval (call mon_finish first for whole-run values). */
double mon_pm_violation_s(const mon_t* mon, size_t pm);
double mon_pm_violation_out_s(const mon_t* mon, size_t pm);
mon_totals_t mon_totals(const mon_t* mon);

/* Closes every open interval at end_s (rows flagged truncated). Call once, at the end of the run. */
void mon_finish(mon_t* mon, double end_s);

const char* mon_state_name(mon_state_t state);

#endif
