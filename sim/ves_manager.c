/* The VE manager (ves.h): an actor that lets VEs arrive, admits them (placed through the core,
 * ves_admit.c) or queues them, removes them when their lifetime ends, and, with
 * ves.suspend=lower-priority, suspends running VEs to let a waiting VE of a higher priority in. */
#include "ves_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ves, lucsim, "Virtual environments");

#define VES_RETRY_S 60.0         /* the queue is tried again this often while VEs wait */
#define VES_OVERLOAD_CHECK_S 5.0 /* ves.overload_suspend: the PMs' overloads are checked this often */
#define VES_DEPART_RETRY_S 1.0   /* a VE with a member migrating leaves once it arrived */
#define VES_TRIES_PER_PASS 32    /* admission attempts per pass over the queue (backfill, priority) */

/* ---- the departure heap ---- */

static bool earlier(const ves_departure_t* a, const ves_departure_t* b)
{
  return a->at_s < b->at_s || (a->at_s == b->at_s && a->ve < b->ve);
}

static void heap_push(ves_t* ves, double at_s, size_t ve)
{
  if (ves->heap_len == ves->heap_cap) {
    ves->heap_cap = ves->heap_cap ? 2 * ves->heap_cap : 64;
    ves->heap     = realloc(ves->heap, ves->heap_cap * sizeof *ves->heap);
    xbt_assert(ves->heap, "out of memory (VE departures)");
  }
  ves->heap[ves->heap_len] = (ves_departure_t){at_s, ve};
  for (size_t i = ves->heap_len++; i > 0 && earlier(&ves->heap[i], &ves->heap[(i - 1) / 2]); i = (i - 1) / 2) {
    ves_departure_t t = ves->heap[i];
    ves->heap[i] = ves->heap[(i - 1) / 2], ves->heap[(i - 1) / 2] = t;
  }
}

static ves_departure_t heap_pop(ves_t* ves)
{
  ves_departure_t top = ves->heap[0];
  ves->heap[0]        = ves->heap[--ves->heap_len];
  for (size_t i = 0;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < ves->heap_len && earlier(&ves->heap[l], &ves->heap[m])) m = l;
    if (r < ves->heap_len && earlier(&ves->heap[r], &ves->heap[m])) m = r;
    if (m == i) break;
    ves_departure_t t = ves->heap[i];
    ves->heap[i] = ves->heap[m], ves->heap[m] = t;
    i = m;
  }
  return top;
}

/* ---- admission, the queue, departures, suspension ---- */

static int priority_of(const ves_t* ves, size_t id)
{
  return ves->cfg->ves.templates[ves->ve[id].tmpl].priority;
}

/* Seconds to write (suspend) or read (resume) the memory of VE id at ves.disk_bandwidth. */
static double disk_seconds(const ves_t* ves, size_t id)
{
  double bytes = 0;
  for (uint32_t m = 0; m < ves->ve[id].vm_count; m++)
    bytes += (double)cluster_vm(ves->cl, ves->ve[id].first_vm + m)->ram_bytes;
  return bytes / ves->cfg->ves.disk_bandwidth_Bps;
}

/* Places waiting (or suspended) VE id and keeps the books: a resumed VE runs once its memory is
 * read back (its VMs hold their PMs meanwhile), and lives the rest of its lifetime from then. */
static bool admit(ves_t* ves, size_t id, double now, double* charged_s)
{
  ve_t* v      = &ves->ve[id];
  bool resumed = v->state == VE_SUSPENDED;
  if (!ves__place(ves, id, now, charged_s)) return false;
  double ready = now;
  if (resumed) {
    ready = now + disk_seconds(ves, id);
    v->suspended_s += ready - v->suspended_since;
    ves->suspended--;
  } else {
    v->admitted_s = now;
    ves->waiting--;
  }
  v->state           = VE_RUNNING;
  v->violation_since = now;
  ves->running++;
  ves__evaluate(ves, id, now);
  v->depart_at = ready + v->remaining_s;
  if (isfinite(v->depart_at)) heap_push(ves, v->depart_at, id);
  XBT_DEBUG("VE %zu %s at %.3f", id, resumed ? "resumed" : "admitted", now);
  return true;
}

/* Tries the waiting VEs in queue order: fifo stops at the first that does not fit; backfill and
 * priority admit every one that fits, trying at most max_tries. fresh_only: only those not tried
 * since they arrived (nothing left since the last pass: the others still do not fit, but for load
 * changes, which the periodic pass covers). Returns the seconds charged. */
static double try_queue(ves_t* ves, double now, bool fresh_only, size_t max_tries)
{
  double charged = 0;
  size_t kept = 0, tries = 0;
  bool blocked = false;
  for (size_t i = 0; i < ves->queue_len; i++) {
    size_t id = ves->queue[i];
    ve_t* v   = &ves->ve[id];
    bool skip = blocked || tries == max_tries || (fresh_only && v->tried);
    if (!skip) {
      tries++;
      v->tried = true;
      if (admit(ves, id, now, &charged)) continue;
    }
    /* fifo: the head waits, and every VE behind it */
    blocked            = blocked || (ves->cfg->ves.queue == VE_QUEUE_FIFO && (!skip || v->tried));
    ves->queue[kept++] = id;
  }
  ves->queue_len = kept;
  return charged;
}

/* Queue order: arrival (fifo, backfill), or template priority first (priority); a suspended VE
 * goes after the waiting ones of its priority. */
static void enqueue(ves_t* ves, size_t id, ve_state_t state)
{
  ves->ve[id].state = (uint8_t)state;
  ves->ve[id].tried = false;
  if (state == VE_SUSPENDED)
    ves->suspended++;
  else
    ves->waiting++;
  size_t at = ves->queue_len++;
  if (ves->cfg->ves.queue == VE_QUEUE_PRIORITY)
    while (at > 0 && priority_of(ves, ves->queue[at - 1]) < priority_of(ves, id)) {
      ves->queue[at] = ves->queue[at - 1];
      at--;
    }
  ves->queue[at] = id;
}

/* Takes a running VE's VMs off their PMs; false (nothing done) while one is migrating or restarting. */
static bool take_off(ves_t* ves, size_t id, double now)
{
  ve_t* v = &ves->ve[id];
  for (uint32_t m = 0; m < v->vm_count; m++) {
    const cluster_vm_t* cv = cluster_vm(ves->cl, v->first_vm + m);
    if (cv->migrating_to != CLUSTER_NONE || cv->restart_to != CLUSTER_NONE) return false;
  }
  for (uint32_t m = 0; m < v->vm_count; m++)
    cluster_vm_depart(ves->cl, v->first_vm + m, now);
  ves->running--;
  return true;
}

static bool depart(ves_t* ves, size_t id, double now)
{
  if (!take_off(ves, id, now)) return false;
  ves->ve[id].state      = VE_DEPARTED;
  ves->ve[id].departed_s = now;
  ves__evaluate(ves, id, now);
  return true;
}

/* Whether running VE i may be suspended: none of its VMs moving, and, for an overload (pm != SIZE_MAX),
 * one of them on pm. */
static bool suspendable(const ves_t* ves, size_t i, size_t pm)
{
  const ve_t* v = &ves->ve[i];
  bool on_pm    = pm == SIZE_MAX;
  if (v->suspending) return false;
  for (uint32_t m = 0; m < v->vm_count; m++) {
    const cluster_vm_t* cv = cluster_vm(ves->cl, v->first_vm + m);
    if (cv->migrating_to != CLUSTER_NONE || cv->restart_to != CLUSTER_NONE || cv->pm == CLUSTER_NONE) return false;
    on_pm = on_pm || (size_t)cv->pm == pm;
  }
  return on_pm;
}

/* The running VE to suspend: for waiting VE id (ves.suspend=lower-priority), one of a lower priority;
 * for an overloaded PM (id SIZE_MAX, pm), one with a VM on pm. Of those, the lowest priority, then
 * the latest admitted (then the highest index); none of its VMs moving. SIZE_MAX: none. */
static size_t pick_victim(const ves_t* ves, size_t id, size_t pm)
{
  size_t best = SIZE_MAX;
  for (size_t i = 0; i < ves->count; i++) {
    const ve_t* v = &ves->ve[i];
    if (v->state != VE_RUNNING || (id != SIZE_MAX && priority_of(ves, i) >= priority_of(ves, id))) continue;
    if (!suspendable(ves, i, id == SIZE_MAX ? pm : SIZE_MAX)) continue;
    if (best == SIZE_MAX || priority_of(ves, i) < priority_of(ves, best) ||
        (priority_of(ves, i) == priority_of(ves, best) && v->admitted_s >= ves->ve[best].admitted_s))
      best = i;
  }
  return best;
}

/* Suspends running VE victim: its memory written at ves.disk_bandwidth (the manager sleeps), its VMs
 * holding their PMs meanwhile, then leaving them; back to the queue, its lifetime stopped. Returns
 * false when it left or moved meanwhile (then nothing changed). */
static bool suspend(ves_t* ves, size_t victim)
{
  ve_t* v        = &ves->ve[victim];
  double start   = simgrid_get_clock();
  v->remaining_s = v->depart_at - start; /* its departure, if due while it writes, waits for it */
  v->suspending  = true;
  sg_actor_sleep_for(disk_seconds(ves, victim));
  v->suspending = false;
  double now    = simgrid_get_clock();
  if (v->state != VE_RUNNING || !take_off(ves, victim, now)) return false;
  v->suspended_since = start;
  v->suspensions++;
  ves__evaluate(ves, victim, now);
  enqueue(ves, victim, VE_SUSPENDED);
  return true;
}

/* An overload suspension, in an actor of its own: the manager goes on meanwhile. */
static void overload_switch_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  struct ves_switch* sw = sg_actor_self_get_data();
  if (suspend(sw->ves, sw->ve)) sw->ves->ve[sw->ve].overload_suspensions++;
}

/* A VM of a VE whose suspension is in progress is on pm (pm will be relieved: wait for it). */
static bool relief_under_way(const ves_t* ves, size_t pm)
{
  for (int32_t m = cluster_pm(ves->cl, pm)->first_vm; m != CLUSTER_NONE;
       m         = cluster_vm(ves->cl, (size_t)m)->next_on_pm) {
    size_t id = ves_vm_ve(ves, (size_t)m);
    if (id != SIZE_MAX && ves->ve[id].suspending) return true;
  }
  return false;
}

/* VE context switches to repair overload (ves.overload_suspend): each PM overloaded for that long,
 * and not waiting for a suspension already, suspends one VE with a VM on it (pick_victim). The
 * suspensions run in parallel, each in its own actor (each VE's memory written at
 * ves.disk_bandwidth), so arrivals, admissions and departures go on. */
static void switch_out_overloaded(ves_t* ves)
{
  double grace = ves->cfg->ves.overload_suspend_s;
  for (size_t pm = 0; grace > 0 && pm < cluster_pm_count(ves->cl); pm++) {
    double since = ves->overloaded_since[pm];
    if (since < 0 || simgrid_get_clock() - since < grace || relief_under_way(ves, pm)) continue;
    size_t victim = pick_victim(ves, SIZE_MAX, pm);
    if (victim == SIZE_MAX) continue;
    ves->ve[victim].suspending = true; /* no other PM picks it meanwhile */
    ves->switches[victim]      = (struct ves_switch){ves, victim};
    XBT_DEBUG("VE %zu suspends at %.3f: PM %zu overloaded since %.3f", victim, simgrid_get_clock(), pm, since);
    sg_actor_t ac = sg_actor_init("ve-switch", ves->host);
    sg_actor_set_data(ac, &ves->switches[victim]);
    sg_actor_start(ac, overload_switch_main, 0, NULL);
  }
}

/* VE context switches (ves.suspend=lower-priority): while the first waiting VE does not fit,
 * suspend running VEs of lower priority one at a time (their memory written to disk at
 * ves.disk_bandwidth, their VMs holding their PMs meanwhile, then leaving them) and try it again.
 * The suspended VEs go back to the queue; their lifetime stops until they resume. */
static void switch_in(ves_t* ves)
{
  if (ves->cfg->ves.suspend == VE_SUSPEND_OFF || ves->queue_len == 0) return;
  size_t id = ves->queue[0];
  if (ves->ve[id].state != VE_WAITING) return; /* a suspended VE never makes another one suspend */
  for (size_t victim; (victim = pick_victim(ves, id, SIZE_MAX)) != SIZE_MAX;) {
    if (!suspend(ves, victim)) continue; /* it left or moved meanwhile */
    double now = simgrid_get_clock();    /* its memory is written */
    XBT_DEBUG("VE %zu suspended for VE %zu at %.3f", victim, id, now);
    double charged = 0;
    if (ves->ve[id].state == VE_WAITING && admit(ves, id, now, &charged)) {
      size_t at = 0;
      while (ves->queue[at] != id)
        at++;
      memmove(ves->queue + at, ves->queue + at + 1, (--ves->queue_len - at) * sizeof *ves->queue);
      if (charged > 0) sg_actor_sleep_for(charged);
      return;
    }
    if (charged > 0) sg_actor_sleep_for(charged);
  }
}

static void manager_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  ves_t* ves        = sg_actor_self_get_data();
  double last_retry = 0, last_check = 0;
  bool freed = false; /* a VE left since the last full pass */
  for (;;) {
    double next = ves->next_arrival < ves->count ? ves->ve[ves->next_arrival].arrival_s : INFINITY;
    if (ves->heap_len && ves->heap[0].at_s < next) next = ves->heap[0].at_s;
    if (ves->queue_len && last_retry + VES_RETRY_S < next) next = last_retry + VES_RETRY_S;
    if (ves->overloaded_since && last_check + VES_OVERLOAD_CHECK_S < next) next = last_check + VES_OVERLOAD_CHECK_S;
    if (!(next < ves->end_s)) return;
    if (next > simgrid_get_clock()) sg_actor_sleep_for(next - simgrid_get_clock());
    double now = simgrid_get_clock();
    while (ves->heap_len && ves->heap[0].at_s <= now) {
      ves_departure_t d = heap_pop(ves);
      ve_t* v           = &ves->ve[d.ve];
      if (v->state != VE_RUNNING || d.at_s != v->depart_at) continue; /* suspended since: stale */
      if (depart(ves, d.ve, now))
        freed = true;
      else
        heap_push(ves, v->depart_at = now + VES_DEPART_RETRY_S, d.ve);
    }
    while (ves->next_arrival < ves->count && ves->ve[ves->next_arrival].arrival_s <= now)
      enqueue(ves, ves->next_arrival++, VE_WAITING);
    bool full = freed || now >= last_retry + VES_RETRY_S;
    if (full) last_retry = now, freed = false;
    double charged = try_queue(ves, now, !full, VES_TRIES_PER_PASS);
    if (charged > 0) sg_actor_sleep_for(charged); /* the manager computed meanwhile */
    switch_in(ves);
    if (ves->overloaded_since && simgrid_get_clock() >= last_check + VES_OVERLOAD_CHECK_S) {
      last_check = simgrid_get_clock();
      switch_out_overloaded(ves);
    }
  }
}

int ves_attach(ves_t* ves, cluster_t* cl, const config_t* cfg, double initial_load, bool first_fit, lucsim_err_t* err)
{
  ves->cl        = cl;
  ves->first_fit = first_fit;
  if (ves->count == 0) return 0;
  size_t pms = cluster_pm_count(cl), biggest = 0;
  for (size_t i = 0; i < ves->count; i++)
    biggest = ves->ve[i].vm_count > biggest ? ves->ve[i].vm_count : biggest;
  size_t want     = 2 * biggest > VES_MIN_CANDIDATES ? 2 * biggest : VES_MIN_CANDIDATES;
  ves->queue      = malloc(ves->count * sizeof *ves->queue);
  ves->cand       = malloc((want < pms ? want : pms) * sizeof *ves->cand + 1);
  ves->cand_free  = malloc((want < pms ? want : pms) * sizeof *ves->cand_free + 1);
  ves->pm_scratch = malloc((biggest ? biggest : 1) * sizeof *ves->pm_scratch);
  if (cfg->ves.overload_suspend_s > 0) {
    ves->switches         = malloc(ves->count * sizeof *ves->switches);
    ves->overloaded_since = malloc(pms * sizeof *ves->overloaded_since);
    for (size_t pm = 0; ves->overloaded_since && pm < pms; pm++)
      ves->overloaded_since[pm] = cluster_pm_is_viable(cl, pm) ? -1 : 0;
  }
  if (!ves->queue || !ves->cand || !ves->cand_free || !ves->pm_scratch ||
      (cfg->ves.overload_suspend_s > 0 && (!ves->overloaded_since || !ves->switches)))
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VEs)");
  for (size_t i = 0; i < ves->count; i++) {
    const ve_t* v          = &ves->ve[i];
    const ve_template_t* t = &cfg->ves.templates[v->tmpl];
    size_t vm              = v->first_vm;
    for (size_t r = 0; r < t->tier_count; r++) {
      const vm_class_t* c = &cfg->vms.classes[t->tiers[r].class_index];
      for (int k = 0; k < t->tiers[r].count; k++)
        cluster_vm_set_class(cl, vm++, (uint16_t)t->tiers[r].class_index, (uint16_t)c->vcpus, c->ram_bytes,
                             initial_load);
    }
  }
  while (ves->next_arrival < ves->initial_count) /* there before the run: nothing is charged */
    enqueue(ves, ves->next_arrival++, VE_WAITING);
  try_queue(ves, 0, false, SIZE_MAX);
  cluster_add_listener(cl, ves__on_cluster, ves);
  return 0;
}

void ves_start(ves_t* ves, sg_host_t host, double end_s)
{
  ves->end_s = end_s;
  ves->host  = host;
  if (ves->count == 0) return;
  sg_actor_t ac = sg_actor_init("ve-manager", host);
  sg_actor_set_data(ac, ves);
  sg_actor_start(ac, manager_main, 0, NULL);
}
