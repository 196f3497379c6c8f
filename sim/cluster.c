/* Cluster bookkeeping: placement, demands, migrations in flight, crashes (see cluster.h).
 * Plain arrays indexed by PM and VM; per-PM VM lists are intrusive (no allocation per event).
 * Not the migration transfer (migration.c) nor the viability history (monitor.c). */
#include "cluster.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct cluster_listener {
  cluster_listener_fn fn;
  void* userdata;
} cluster_listener_t;

typedef struct cluster_prefetcher {
  cluster_prefetch_fn fn;
  void* userdata;
} cluster_prefetcher_t;

struct cluster {
  size_t pm_count;
  size_t vm_count;
  cluster_pm_t* pms;
  cluster_vm_t* vms;
  size_t listener_count;
  cluster_listener_t listeners[CLUSTER_MAX_LISTENERS];
  size_t prefetcher_count;
  cluster_prefetcher_t prefetchers[CLUSTER_MAX_LISTENERS];
  bool lose_vms;      /* a crash loses its PM's VMs (vm_recovery=restart) instead of suspending them */
  int32_t first_lost; /* the lost list, oldest first (linked by next_on_pm / prev_on_pm) */
  int32_t last_lost;
  size_t lost_count;
  size_t absent_count;    /* VMs in no state: not placed yet, or departed (virtual environments) */
  size_t down_vms;        /* VMs hosted on offline PMs, lost or restarting */
  double down_vm_seconds; /* integral of down_vms up to down_since */
  double down_since;
  double* empty_since; /* per PM: when it last became empty (cluster_pm_empty_since); -1: hosts a VM */
  size_t boots, shutdowns;
};

cluster_t* cluster_create(size_t pm_count, size_t vm_count)
{
  cluster_t* cl = calloc(1, sizeof *cl);
  if (!cl) return NULL;
  cl->pm_count    = pm_count;
  cl->vm_count    = vm_count;
  cl->pms         = calloc(pm_count ? pm_count : 1, sizeof *cl->pms);
  cl->vms         = calloc(vm_count ? vm_count : 1, sizeof *cl->vms);
  cl->empty_since = malloc((pm_count ? pm_count : 1) * sizeof *cl->empty_since);
  if (!cl->pms || !cl->vms || !cl->empty_since) {
    cluster_destroy(cl);
    return NULL;
  }
  cl->first_lost = cl->last_lost = CLUSTER_NONE;
  cl->absent_count               = vm_count;
  for (size_t i = 0; i < pm_count; i++) {
    cl->pms[i].online           = true;
    cl->pms[i].power            = CLUSTER_POWER_ON;
    cl->empty_since[i]          = 0; /* empty from the start until a VM is linked to it */
    cl->pms[i].first_vm         = CLUSTER_NONE;
    cl->pms[i].first_restarting = CLUSTER_NONE;
  }
  for (size_t i = 0; i < vm_count; i++) {
    cl->vms[i].pm           = CLUSTER_NONE;
    cl->vms[i].migrating_to = CLUSTER_NONE;
    cl->vms[i].restart_to   = CLUSTER_NONE;
    cl->vms[i].next_on_pm   = CLUSTER_NONE;
    cl->vms[i].prev_on_pm   = CLUSTER_NONE;
  }
  return cl;
}

void cluster_destroy(cluster_t* cl)
{
  if (!cl) return;
  free(cl->pms);
  free(cl->vms);
  free(cl->empty_since);
  free(cl);
}

size_t cluster_pm_count(const cluster_t* cl)
{
  return cl->pm_count;
}
size_t cluster_vm_count(const cluster_t* cl)
{
  return cl->vm_count;
}
const cluster_pm_t* cluster_pm(const cluster_t* cl, size_t pm)
{
  return &cl->pms[pm];
}
const cluster_vm_t* cluster_vm(const cluster_t* cl, size_t vm)
{
  return &cl->vms[vm];
}

void cluster_set_pm_capacity(cluster_t* cl, size_t pm, double cpu_capacity, uint64_t ram_bytes)
{
  cl->pms[pm].cpu_capacity       = cpu_capacity;
  cl->pms[pm].ram_capacity_bytes = ram_bytes;
}

void cluster_add_listener(cluster_t* cl, cluster_listener_fn fn, void* userdata)
{
  assert(cl->listener_count < CLUSTER_MAX_LISTENERS);
  cl->listeners[cl->listener_count++] = (cluster_listener_t){fn, userdata};
}

void cluster_add_prefetcher(cluster_t* cl, cluster_prefetch_fn fn, void* userdata)
{
  assert(cl->prefetcher_count < CLUSTER_MAX_LISTENERS);
  cl->prefetchers[cl->prefetcher_count++] = (cluster_prefetcher_t){fn, userdata};
}

static bool pm_is_empty(const cluster_pm_t* p)
{
  return p->vm_count == 0 && p->migrations_in == 0 && p->restarts_in == 0;
}

/* Every change of a PM's content is announced with that PM: the place to follow its emptiness. */
static void notify(cluster_t* cl, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  if (!pm_is_empty(&cl->pms[pm]))
    cl->empty_since[pm] = -1;
  else if (cl->empty_since[pm] < 0)
    cl->empty_since[pm] = now;
  for (size_t i = 0; i < cl->listener_count; i++)
    cl->listeners[i].fn(cl->listeners[i].userdata, ev, pm, vm, role_dest, now);
}

/* The intrusive lists: a PM's hosted VMs, a PM's restarting VMs and the lost list share the VMs'
 * next_on_pm / prev_on_pm links (a VM is on one list at a time). */
static void list_push_front(cluster_t* cl, int32_t* head, size_t vm)
{
  cluster_vm_t* v = &cl->vms[vm];
  v->prev_on_pm   = CLUSTER_NONE;
  v->next_on_pm   = *head;
  if (*head != CLUSTER_NONE) cl->vms[*head].prev_on_pm = (int32_t)vm;
  *head = (int32_t)vm;
}

static void list_remove(cluster_t* cl, int32_t* head, int32_t* tail, size_t vm)
{
  cluster_vm_t* v = &cl->vms[vm];
  if (v->prev_on_pm != CLUSTER_NONE)
    cl->vms[v->prev_on_pm].next_on_pm = v->next_on_pm;
  else
    *head = v->next_on_pm;
  if (v->next_on_pm != CLUSTER_NONE)
    cl->vms[v->next_on_pm].prev_on_pm = v->prev_on_pm;
  else if (tail)
    *tail = v->prev_on_pm;
  v->next_on_pm = v->prev_on_pm = CLUSTER_NONE;
}

static void lost_push_back(cluster_t* cl, size_t vm)
{
  cluster_vm_t* v = &cl->vms[vm];
  v->next_on_pm   = CLUSTER_NONE;
  v->prev_on_pm   = cl->last_lost;
  if (cl->last_lost != CLUSTER_NONE)
    cl->vms[cl->last_lost].next_on_pm = (int32_t)vm;
  else
    cl->first_lost = (int32_t)vm;
  cl->last_lost = (int32_t)vm;
  cl->lost_count++;
}

static void link_vm(cluster_t* cl, size_t vm, size_t pm)
{
  cluster_vm_t* v = &cl->vms[vm];
  cluster_pm_t* p = &cl->pms[pm];
  v->pm           = (int32_t)pm;
  list_push_front(cl, &p->first_vm, vm);
  p->vm_count++;
  cl->empty_since[pm] = -1;
  p->ram_used_bytes += v->ram_bytes;
  if (p->online) p->cpu_demand += v->cpu_demand;
}

static void unlink_vm(cluster_t* cl, size_t vm)
{
  cluster_vm_t* v = &cl->vms[vm];
  cluster_pm_t* p = &cl->pms[v->pm];
  list_remove(cl, &p->first_vm, NULL, vm);
  p->vm_count--;
  p->ram_used_bytes -= v->ram_bytes;
  if (p->online) p->cpu_demand -= v->cpu_demand;
  if (p->vm_count == 0) p->cpu_demand = 0; /* no rounding residue on an empty PM */
  v->pm = CLUSTER_NONE;
}

void cluster_place_vm(cluster_t* cl, size_t vm, size_t pm, uint16_t class_id, uint16_t vcpus, uint64_t ram_bytes,
                      double load)
{
  cluster_vm_t* v = &cl->vms[vm];
  assert(v->pm == CLUSTER_NONE);
  v->class_id   = class_id;
  v->vcpus      = vcpus;
  v->ram_bytes  = ram_bytes;
  v->load       = load;
  v->cpu_demand = load * vcpus;
  link_vm(cl, vm, pm);
  cl->absent_count--;
}

void cluster_vm_set_class(cluster_t* cl, size_t vm, uint16_t class_id, uint16_t vcpus, uint64_t ram_bytes, double load)
{
  cluster_vm_t* v = &cl->vms[vm];
  assert(v->pm == CLUSTER_NONE && v->restart_to == CLUSTER_NONE);
  v->class_id   = class_id;
  v->vcpus      = vcpus;
  v->ram_bytes  = ram_bytes;
  v->load       = load;
  v->cpu_demand = load * vcpus;
}

void cluster_vm_admit(cluster_t* cl, size_t vm, size_t pm, double now)
{
  cluster_vm_t* v = &cl->vms[vm];
  assert(v->pm == CLUSTER_NONE && v->restart_to == CLUSTER_NONE && cluster_pm_is_on(cl, pm));
  link_vm(cl, vm, pm);
  cl->absent_count--;
  notify(cl, CLUSTER_EV_VM_ADMIT, pm, (int32_t)vm, true, now);
}

bool cluster_pm_is_viable(const cluster_t* cl, size_t pm)
{
  const cluster_pm_t* p = &cl->pms[pm];
  if (!p->online) return true;
  return p->cpu_demand <= p->cpu_capacity + CLUSTER_CPU_EPSILON && p->ram_used_bytes <= p->ram_capacity_bytes;
}

void cluster_set_load(cluster_t* cl, size_t vm, double load, double now)
{
  cluster_vm_t* v   = &cl->vms[vm];
  double new_demand = load * v->vcpus;
  if (v->pm == CLUSTER_NONE) { /* lost or restarting: its load applies once it runs again */
    if (v->restart_to != CLUSTER_NONE) cl->pms[v->restart_to].cpu_incoming += new_demand - v->cpu_demand;
    v->load       = load;
    v->cpu_demand = new_demand;
    return;
  }
  cluster_pm_t* p = &cl->pms[v->pm];
  if (p->online) p->cpu_demand += new_demand - v->cpu_demand;
  if (v->migrating_to != CLUSTER_NONE) cl->pms[v->migrating_to].cpu_incoming += new_demand - v->cpu_demand;
  v->load       = load;
  v->cpu_demand = new_demand;
  notify(cl, CLUSTER_EV_LOAD, (size_t)v->pm, (int32_t)vm, false, now);
}

void cluster_prefetch_load(const cluster_t* cl, size_t next_vm, size_t later_vm)
{
  cluster_prefetch_record(&cl->vms[later_vm], sizeof *cl->vms);
  for (size_t i = 0; i < cl->prefetcher_count; i++)
    cl->prefetchers[i].fn(cl->prefetchers[i].userdata, CLUSTER_NONE, (int32_t)later_vm);
  int32_t pm = cl->vms[next_vm].pm; /* its record was fetched as a later_vm a few events ago */
  if (pm < 0) return;
  cluster_prefetch_record(&cl->pms[pm], sizeof *cl->pms);
  cluster_prefetch_record(&cl->empty_since[pm], sizeof *cl->empty_since);
  for (size_t i = 0; i < cl->prefetcher_count; i++)
    cl->prefetchers[i].fn(cl->prefetchers[i].userdata, pm, CLUSTER_NONE);
}

/* Lists are walked COLLECT_LANES at a time, one step of each in turn: each step waits for a VM record
 * picked at random among all, and steps of different lists do not depend on each other, so the
 * memory system fetches those records side by side instead of one after the other. */
enum { COLLECT_LANES = 16 };

size_t cluster_collect_vms(const cluster_t* cl, const size_t* pms, size_t count, size_t* vms)
{
  size_t total = 0;
  for (size_t base = 0; base < count; base += COLLECT_LANES) {
    size_t lanes = count - base < COLLECT_LANES ? count - base : COLLECT_LANES;
    int32_t next[COLLECT_LANES];
    size_t at[COLLECT_LANES], end[COLLECT_LANES], live = 0;
    for (size_t l = 0; l < lanes; l++) {
      const cluster_pm_t* p = &cl->pms[pms ? pms[base + l] : base + l];
      next[l] = p->first_vm, at[l] = total, total += p->vm_count, end[l] = total;
      live += next[l] != CLUSTER_NONE;
    }
    while (live > 0)
      for (size_t l = 0; l < lanes; l++) {
        if (next[l] == CLUSTER_NONE) continue;
        assert(at[l] < end[l]); /* a list longer than its PM's vm_count */
        vms[at[l]++] = (size_t)next[l];
        next[l]      = cl->vms[next[l]].next_on_pm;
        live -= next[l] == CLUSTER_NONE;
      }
    for (size_t l = 0; l < lanes; l++)
      assert(at[l] == end[l]); /* a list shorter than its PM's vm_count */
  }
  return total;
}

/* A VM arriving on d (a migration in flight or a restart): its demand and RAM count as incoming
 * until it arrives or gives up. arrival_remove runs after d's counters dropped the VM. */
static void arrival_add(cluster_pm_t* d, const cluster_vm_t* v)
{
  d->cpu_incoming += v->cpu_demand;
  d->ram_incoming_bytes += v->ram_bytes;
}

static void arrival_remove(cluster_pm_t* d, const cluster_vm_t* v)
{
  d->cpu_incoming -= v->cpu_demand;
  d->ram_incoming_bytes -= v->ram_bytes;
  if (d->migrations_in == 0 && d->restarts_in == 0) d->cpu_incoming = 0; /* no rounding residue */
}

int cluster_migration_begin(cluster_t* cl, size_t vm, size_t dst, double now)
{
  cluster_vm_t* v = &cl->vms[vm];
  if (v->pm == CLUSTER_NONE || v->migrating_to != CLUSTER_NONE || (int32_t)dst == v->pm || dst >= cl->pm_count ||
      !cl->pms[v->pm].online || !cluster_pm_is_on(cl, dst))
    return -1;
  v->migrating_to = (int32_t)dst;
  cl->pms[v->pm].migrations_out++;
  cluster_pm_t* d = &cl->pms[dst];
  d->migrations_in++;
  arrival_add(d, v);
  notify(cl, CLUSTER_EV_MIG_START, (size_t)v->pm, (int32_t)vm, false, now);
  notify(cl, CLUSTER_EV_MIG_START, dst, (int32_t)vm, true, now);
  return 0;
}

/* Clears the in-flight counters of vm's migration; returns the destination. */
static size_t end_in_flight(cluster_t* cl, size_t vm)
{
  cluster_vm_t* v = &cl->vms[vm];
  assert(v->migrating_to != CLUSTER_NONE);
  size_t dst      = (size_t)v->migrating_to;
  cluster_pm_t* d = &cl->pms[dst];
  cl->pms[v->pm].migrations_out--;
  d->migrations_in--;
  arrival_remove(d, v);
  v->migrating_to = CLUSTER_NONE;
  return dst;
}

void cluster_migration_arrive(cluster_t* cl, size_t vm, double now)
{
  size_t src = (size_t)cl->vms[vm].pm;
  size_t dst = end_in_flight(cl, vm);
  unlink_vm(cl, vm);
  link_vm(cl, vm, dst);
  notify(cl, CLUSTER_EV_MIG_ARRIVE, src, (int32_t)vm, false, now);
  notify(cl, CLUSTER_EV_MIG_ARRIVE, dst, (int32_t)vm, true, now);
}

void cluster_migration_abort(cluster_t* cl, size_t vm, double now)
{
  size_t src = (size_t)cl->vms[vm].pm;
  size_t dst = end_in_flight(cl, vm);
  notify(cl, CLUSTER_EV_MIG_ABORT, src, (int32_t)vm, false, now);
  notify(cl, CLUSTER_EV_MIG_ABORT, dst, (int32_t)vm, true, now);
}

static void integrate_down(cluster_t* cl, double now)
{
  cl->down_vm_seconds += (double)cl->down_vms * (now - cl->down_since);
  cl->down_since = now;
}

void cluster_set_lose_vms(cluster_t* cl, bool lose)
{
  cl->lose_vms = lose;
}

void cluster_pm_crash(cluster_t* cl, size_t pm, double now)
{
  cluster_pm_t* p = &cl->pms[pm];
  assert(p->migrations_in == 0 && p->migrations_out == 0 && p->restarts_in == 0);
  if (!p->online) return;
  integrate_down(cl, now);
  p->online     = false;
  p->cpu_demand = 0;
  cl->down_vms += p->vm_count;
  if (cl->lose_vms) { /* the VMs leave the PM in its list order: the lost list keeps that order */
    while (p->first_vm != CLUSTER_NONE) {
      size_t vm = (size_t)p->first_vm;
      unlink_vm(cl, vm);
      lost_push_back(cl, vm);
    }
  }
  notify(cl, CLUSTER_EV_CRASH, pm, CLUSTER_NONE, false, now);
}

void cluster_pm_recover(cluster_t* cl, size_t pm, double now)
{
  cluster_pm_t* p = &cl->pms[pm];
  if (p->online) return;
  integrate_down(cl, now);
  p->online     = true;
  p->cpu_demand = 0;
  for (int32_t v = p->first_vm; v != CLUSTER_NONE; v = cl->vms[v].next_on_pm)
    p->cpu_demand += cl->vms[v].cpu_demand;
  cl->down_vms -= p->vm_count;
  notify(cl, CLUSTER_EV_RECOVER, pm, CLUSTER_NONE, false, now);
}

bool cluster_pm_is_on(const cluster_t* cl, size_t pm)
{
  return cl->pms[pm].online && cl->pms[pm].power == CLUSTER_POWER_ON;
}

int cluster_pm_set_power(cluster_t* cl, size_t pm, cluster_power_t state, double now)
{
  cluster_pm_t* p = &cl->pms[pm];
  bool ok;
  switch (state) {
  case CLUSTER_POWER_SHUTTING_DOWN:
  case CLUSTER_POWER_OFF:
    ok = (p->power == CLUSTER_POWER_ON && p->online && pm_is_empty(p)) ||
         (state == CLUSTER_POWER_OFF && p->power == CLUSTER_POWER_SHUTTING_DOWN);
    if (ok && p->power == CLUSTER_POWER_ON) cl->shutdowns++;
    break;
  case CLUSTER_POWER_BOOTING:
  case CLUSTER_POWER_ON:
    ok = p->power == CLUSTER_POWER_OFF || (state == CLUSTER_POWER_ON && p->power == CLUSTER_POWER_BOOTING);
    if (ok && p->power == CLUSTER_POWER_OFF) cl->boots++;
    break;
  default:
    ok = false;
  }
  if (!ok) return -1;
  p->power = (uint8_t)state;
  notify(cl, CLUSTER_EV_POWER, pm, CLUSTER_NONE, false, now);
  return 0;
}

double cluster_pm_empty_since(const cluster_t* cl, size_t pm)
{
  if (!pm_is_empty(&cl->pms[pm])) return -1;
  return cl->empty_since[pm];
}

size_t cluster_boot_count(const cluster_t* cl)
{
  return cl->boots;
}

size_t cluster_shutdown_count(const cluster_t* cl)
{
  return cl->shutdowns;
}

int cluster_restart_begin(cluster_t* cl, size_t vm, size_t dst, double now)
{
  cluster_vm_t* v = &cl->vms[vm];
  if (v->pm != CLUSTER_NONE || v->restart_to != CLUSTER_NONE || dst >= cl->pm_count || !cluster_pm_is_on(cl, dst))
    return -1;
  list_remove(cl, &cl->first_lost, &cl->last_lost, vm);
  cl->lost_count--;
  cluster_pm_t* d = &cl->pms[dst];
  v->restart_to   = (int32_t)dst;
  list_push_front(cl, &d->first_restarting, vm);
  d->restarts_in++;
  arrival_add(d, v);
  notify(cl, CLUSTER_EV_RESTART_BEGIN, dst, (int32_t)vm, true, now);
  return 0;
}

/* Takes vm off its destination's restarting list and counters; returns the destination. */
static size_t end_restart(cluster_t* cl, size_t vm)
{
  cluster_vm_t* v = &cl->vms[vm];
  assert(v->pm == CLUSTER_NONE && v->restart_to != CLUSTER_NONE);
  size_t dst      = (size_t)v->restart_to;
  cluster_pm_t* d = &cl->pms[dst];
  list_remove(cl, &d->first_restarting, NULL, vm);
  d->restarts_in--;
  arrival_remove(d, v);
  v->restart_to = CLUSTER_NONE;
  return dst;
}

void cluster_restart_done(cluster_t* cl, size_t vm, double now)
{
  size_t dst = end_restart(cl, vm);
  assert(cl->pms[dst].online);
  integrate_down(cl, now);
  cl->down_vms--;
  link_vm(cl, vm, dst);
  notify(cl, CLUSTER_EV_RESTART_DONE, dst, (int32_t)vm, true, now);
}

void cluster_restart_abort(cluster_t* cl, size_t vm, double now)
{
  size_t dst = end_restart(cl, vm);
  lost_push_back(cl, vm);
  notify(cl, CLUSTER_EV_RESTART_ABORT, dst, (int32_t)vm, true, now);
}

int32_t cluster_vm_depart(cluster_t* cl, size_t vm, double now)
{
  cluster_vm_t* v = &cl->vms[vm];
  assert(v->migrating_to == CLUSTER_NONE && v->restart_to == CLUSTER_NONE);
  int32_t pm = v->pm;
  if (pm == CLUSTER_NONE) { /* lost with its PM (vm_recovery=restart) */
    integrate_down(cl, now);
    list_remove(cl, &cl->first_lost, &cl->last_lost, vm);
    cl->lost_count--;
    cl->down_vms--;
  } else {
    if (!cl->pms[pm].online) integrate_down(cl, now), cl->down_vms--;
    unlink_vm(cl, vm);
  }
  cl->absent_count++;
  if (pm != CLUSTER_NONE) notify(cl, CLUSTER_EV_VM_DEPART, (size_t)pm, (int32_t)vm, false, now);
  return pm;
}

size_t cluster_absent_count(const cluster_t* cl)
{
  return cl->absent_count;
}

size_t cluster_lost_count(const cluster_t* cl)
{
  return cl->lost_count;
}

int32_t cluster_first_lost(const cluster_t* cl)
{
  return cl->first_lost;
}

double cluster_down_vm_seconds(const cluster_t* cl, double now)
{
  return cl->down_vm_seconds + (double)cl->down_vms * (now - cl->down_since);
}

size_t cluster_down_vm_count(const cluster_t* cl)
{
  return cl->down_vms;
}

double cluster_global_load(const cluster_t* cl)
{
  double demand = 0, capacity = 0;
  for (size_t i = 0; i < cl->pm_count; i++) {
    demand += cl->pms[i].cpu_demand;
    if (cluster_pm_is_on(cl, i)) capacity += cl->pms[i].cpu_capacity;
  }
  return capacity > 0 ? demand / capacity : 0;
}
