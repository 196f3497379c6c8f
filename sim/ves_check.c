/* The constraints of the VEs on the cluster as it is (ves.h): which hold now, their violation time
 * per kind, and whether a move keeps those that hold at every instant. Only members that run are
 * counted (a lost or restarting member is nowhere yet; a migrating one is on its source). */
#include "ves_internal.h"

#include <stdlib.h>

static size_t pm_site(const ves_t* ves, int32_t pm)
{
  return plat_pm_site(ves->plat, (size_t)pm);
}

static int by_value(const void* a, const void* b)
{
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return (x > y) - (x < y);
}

/* Does constraint c of the VE whose first VM is first hold on the cluster now? */
static bool holds(ves_t* ves, const ves_cstr_t* c, size_t first)
{
  const cluster_t* cl = ves->cl;
  size_t placed       = 0;
  uint32_t* pms       = ves->pm_scratch;
  for (uint32_t i = 0; i < c->count; i++) {
    int32_t pm = cluster_vm(cl, first + c->offset + i)->pm;
    if (pm != CLUSTER_NONE) pms[placed++] = (uint32_t)pm;
  }
  switch (c->kind) {
  case VE_CSTR_SPREAD:
    qsort(pms, placed, sizeof *pms, by_value);
    for (size_t i = 1; i < placed; i++)
      if (pms[i] == pms[i - 1]) return false;
    return true;
  case VE_CSTR_GATHER:
    for (size_t i = 1; i < placed; i++)
      if (pms[i] != pms[0]) return false;
    return true;
  case VE_CSTR_LATENCY:
    for (size_t i = 1; i < placed; i++)
      if (pm_site(ves, (int32_t)pms[i]) != pm_site(ves, (int32_t)pms[0])) return false;
    return true;
  case VE_CSTR_FENCE:
  case VE_CSTR_BAN:
    for (size_t i = 0; i < placed; i++)
      if (c->site_in[pm_site(ves, (int32_t)pms[i])] != (c->kind == VE_CSTR_FENCE)) return false;
    return true;
  case VE_CSTR_LONELY:
    for (size_t i = 0; i < placed; i++)
      for (int32_t v = cluster_pm(cl, pms[i])->first_vm; v != CLUSTER_NONE; v = cluster_vm(cl, (size_t)v)->next_on_pm)
        if ((size_t)v < first + c->offset || (size_t)v >= first + c->offset + c->count) return false;
    return true;
  default: /* ROOT: broken by a migration (ves__on_cluster) */
    return true;
  }
}

void ves__integrate(ves_t* ves, double now)
{
  for (size_t k = 0; k < VE_CSTR_KIND_COUNT; k++)
    ves->violation_s[k] += (double)ves->violated_now[k] * (now - ves->violation_since);
  ves->violation_since = now;
}

void ves__evaluate(ves_t* ves, size_t id, double now)
{
  ve_t* v         = &ves->ve[id];
  uint16_t broken = 0;
  if (v->state == VE_RUNNING)
    for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++)
      if ((v->broken >> i & 1u) || !holds(ves, &ves->cstr[v->tmpl][i], v->first_vm)) broken |= (uint16_t)(1u << i);
  if (broken == v->violated) return;
  ves__integrate(ves, now);
  v->violation_s += (now - v->violation_since) * __builtin_popcount(v->violated);
  v->violation_since = now;
  for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++) {
    bool was = v->violated >> i & 1u, is = broken >> i & 1u;
    ve_cstr_kind_t kind = ves->cstr[v->tmpl][i].kind;
    if (is && !was) ves->violated_now[kind]++, ves->violation_intervals[kind]++;
    if (was && !is) ves->violated_now[kind]--;
  }
  v->violated = broken;
}

/* A VM arrived on or left pm (migration, restart, admission, departure): the VE of a member that
 * arrived may have changed, and the VEs on pm (a lonely group breaks when another VM arrives on its
 * PM, and holds again when it leaves). The manager checks a VE it admits or removes itself. */
void ves__on_cluster(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  ves_t* ves = userdata;
  if (ves->overloaded_since) { /* ves.overload_suspend: when each PM became overloaded */
    bool over = !cluster_pm_is_viable(ves->cl, pm);
    if (over && ves->overloaded_since[pm] < 0) ves->overloaded_since[pm] = now;
    if (!over) ves->overloaded_since[pm] = -1;
  }
  bool arrived = (ev == CLUSTER_EV_MIG_ARRIVE && role_dest) || ev == CLUSTER_EV_RESTART_DONE;
  if (!arrived && ev != CLUSTER_EV_MIG_ARRIVE && ev != CLUSTER_EV_VM_ADMIT && ev != CLUSTER_EV_VM_DEPART) return;
  size_t id = ves_vm_ve(ves, (size_t)vm);
  if (ev == CLUSTER_EV_MIG_ARRIVE && role_dest && id != SIZE_MAX) { /* a root member moved: broken for good */
    ve_t* v = &ves->ve[id];
    for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++) {
      const ves_cstr_t* c = &ves->cstr[v->tmpl][i];
      size_t lo           = v->first_vm + c->offset;
      if (c->kind == VE_CSTR_ROOT && (size_t)vm >= lo && (size_t)vm < lo + c->count) v->broken |= (uint16_t)(1u << i);
    }
  }
  if (arrived && id != SIZE_MAX) ves__evaluate(ves, id, now);
  for (int32_t v = cluster_pm(ves->cl, pm)->first_vm; v != CLUSTER_NONE;
       v         = cluster_vm(ves->cl, (size_t)v)->next_on_pm) {
    size_t other = ves_vm_ve(ves, (size_t)v);
    if (other != SIZE_MAX && other != id) ves__evaluate(ves, other, now);
  }
}

/* Where member m is or is going: its PM, or the destination of its migration or restart. */
static void where(const cluster_t* cl, size_t m, int32_t* at, int32_t* going)
{
  const cluster_vm_t* v = cluster_vm(cl, m);
  *at                   = v->pm;
  *going                = v->migrating_to != CLUSTER_NONE ? v->migrating_to : v->restart_to;
}

/* pm hosts (or receives) a member of a lonely group that vm is not in. */
static bool lonely_elsewhere(const ves_t* ves, size_t vm, size_t pm)
{
  if (!ves->has_lonely) return false;
  const cluster_t* cl = ves->cl;
  for (int32_t o = cluster_pm(cl, pm)->first_vm; o != CLUSTER_NONE; o = cluster_vm(cl, (size_t)o)->next_on_pm) {
    size_t id = ves_vm_ve(ves, (size_t)o);
    if (id == SIZE_MAX) continue;
    const ve_t* v = &ves->ve[id];
    for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++) {
      const ves_cstr_t* c = &ves->cstr[v->tmpl][i];
      size_t lo = v->first_vm + c->offset, hi = lo + c->count;
      if (c->kind == VE_CSTR_LONELY && (size_t)o >= lo && (size_t)o < hi && !(vm >= lo && vm < hi)) return true;
    }
  }
  return false;
}

bool ves_vm_may_go(const ves_t* ves, size_t vm, size_t pm)
{
  if (ves->count == 0) return true;
  if (lonely_elsewhere(ves, vm, pm)) return false;
  size_t id = ves_vm_ve(ves, vm);
  if (id == SIZE_MAX) return true;
  const ve_t* v       = &ves->ve[id];
  const cluster_t* cl = ves->cl;
  size_t site         = plat_pm_site(ves->plat, pm);
  for (size_t i = 0; i < ves->cstr_count[v->tmpl]; i++) {
    const ves_cstr_t* c = &ves->cstr[v->tmpl][i];
    size_t lo = v->first_vm + c->offset, hi = lo + c->count;
    if (vm < lo || vm >= hi) continue;
    switch (c->kind) {
    case VE_CSTR_ROOT:
      return false;
    case VE_CSTR_FENCE:
    case VE_CSTR_BAN:
      if (c->site_in[site] != (c->kind == VE_CSTR_FENCE)) return false;
      break;
    case VE_CSTR_SPREAD:
      for (size_t m = lo; m < hi; m++) {
        int32_t at, going;
        where(cl, m, &at, &going);
        if (m != vm && (at == (int32_t)pm || going == (int32_t)pm)) return false;
      }
      break;
    case VE_CSTR_LATENCY: { /* every other member in pm's site; or the group already spans sites (a repair) */
      size_t other_site = SIZE_MAX;
      bool away = false, split = false;
      for (size_t m = lo; m < hi; m++) {
        int32_t at, going;
        where(cl, m, &at, &going);
        int32_t places[2] = {at, going};
        for (size_t p = 0; p < 2 && m != vm; p++) {
          if (places[p] == CLUSTER_NONE) continue;
          size_t s   = pm_site(ves, places[p]);
          away       = away || s != site;
          split      = split || (other_site != SIZE_MAX && s != other_site);
          other_site = s;
        }
      }
      if (away && !split) return false;
      break;
    }
    case VE_CSTR_LONELY:
      for (int32_t o = cluster_pm(cl, pm)->first_vm; o != CLUSTER_NONE; o = cluster_vm(cl, (size_t)o)->next_on_pm)
        if ((size_t)o < lo || (size_t)o >= hi) return false;
      break;
    default: /* GATHER: the group moves as one block, broken meanwhile (discrete semantics) */
      break;
    }
  }
  return true;
}
