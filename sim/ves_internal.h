/* The state of ves_t, shared by its files only (ves.c, ves_manager.c, ves_check.c); the rest of
 * the engine includes ves.h. */
#ifndef LUCSIM_VES_INTERNAL_H
#define LUCSIM_VES_INTERNAL_H

#include "ves.h"

#include "core.h"

typedef struct ve {
  uint32_t first_vm, vm_count;
  uint16_t tmpl;
  uint8_t state;     /* ve_state_t */
  bool tried;        /* waiting, and an admission was tried since it arrived */
  uint16_t violated; /* bit i: constraint i of its template is broken now */
  uint16_t broken;   /* bit i: root constraint i was broken by a migration (stays so until departure) */
  double arrival_s, lifetime_s;
  double admitted_s, departed_s; /* -1 until then */
  double remaining_s;            /* lifetime left (all of it until a suspension stops it) */
  double depart_at;              /* while running: when it leaves (its entry in the heap) */
  double suspended_s;            /* time suspended, from the start of a write to the end of its read */
  double suspended_since;        /* start of the current suspension */
  uint32_t suspensions;
  uint32_t overload_suspensions; /* of them, those that repaired an overload (ves.overload_suspend) */
  bool suspending;               /* its memory is being written (a suspension in progress) */
  uint32_t migrations;
  double violation_s; /* constraint-seconds of this VE, integrated up to violation_since */
  double violation_since;
} ve_t;

typedef struct ves_departure {
  double at_s;
  size_t ve;
} ves_departure_t;

struct ves {
  const config_t* cfg;
  const plat_t* plat;
  cluster_t* cl;
  const infra_t* infra; /* the infrastructure constraints (admissions respect them), or NULL */
  size_t first_vm, vm_total, count;
  ve_t* ve;        /* count VEs: the initial ones, then the arrivals in time order */
  uint32_t* vm_ve; /* VE of VM first_vm + i */
  ves_cstr_t cstr[LUCSIM_MAX_VE_TEMPLATES][LUCSIM_MAX_VE_CONSTRAINTS];
  size_t cstr_count[LUCSIM_MAX_VE_TEMPLATES];
  uint32_t tier_offset[LUCSIM_MAX_VE_TEMPLATES][LUCSIM_MAX_VE_TIERS];
  bool* site_masks;     /* storage of the site_in arrays */
  size_t initial_count; /* VEs [0, initial_count) are there at t = 0 */
  bool has_lonely;      /* some template has a lonely constraint (else nothing checks PMs for one) */
  /* violation accounting, per constraint kind: constraints broken now, constraint-seconds and intervals */
  size_t violated_now[VE_CSTR_KIND_COUNT];
  double violation_s[VE_CSTR_KIND_COUNT];
  size_t violation_intervals[VE_CSTR_KIND_COUNT];
  double violation_since;
  /* the manager */
  double end_s;
  bool first_fit;
  size_t* queue; /* waiting VEs, in admission order */
  size_t queue_len;
  ves_departure_t* heap; /* running VEs by departure time (binary min-heap; stale after a suspension) */
  size_t heap_len, heap_cap;
  size_t next_arrival; /* the next VE to arrive (index into ve) */
  size_t running, waiting, suspended;
  size_t solves, solves_glpk;
  double admission_charged_s;
  double* overloaded_since; /* per PM: since when it is overloaded, or -1 (with ves.overload_suspend) */
  struct ves_switch {
    ves_t* ves;
    size_t ve;
  } * switches;   /* per VE: the data of its overload suspension's actor (with ves.overload_suspend) */
  sg_host_t host; /* the manager's */
  /* admission scratch (ves_manager.c) */
  size_t* cand;
  double* cand_free;
  uint32_t* pm_scratch;
  core_result_t result;
};

#define VES_MIN_CANDIDATES 16 /* candidate PMs of an admission: this many, or twice the VE's VMs */

/* ves_check.c: re-evaluates ve's constraints on the cluster now and updates the accounting. */
void ves__evaluate(ves_t* ves, size_t ve, double now);
/* Adds the constraint-seconds up to now (call before any change of violated_now). */
void ves__integrate(ves_t* ves, double now);
/* ves_admit.c: places the VE's VMs (cluster_vm_admit) where the core finds room for them under its
 * constraints, adding the solves' charged time to *charged_s; false (nothing placed) when it does
 * not fit. Its state is unchanged (the manager keeps the books). */
bool ves__place(ves_t* ves, size_t ve, double now, double* charged_s);
/* The cluster listener of ves_check.c. */
void ves__on_cluster(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now);

#endif
