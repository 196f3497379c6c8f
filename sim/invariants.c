/* The run's self-check (see invariants.h). Per event it walks only the lists of the PMs concerned,
 * so a checked run stays proportional to its events; whole-cluster checks are rarer (crashes,
 * recoveries, the end). Sums are compared with a relative tolerance: the cluster keeps them
 * incrementally, so their rounding differs from a fresh sum's. */
#include "invariants.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INVARIANTS_WHY_MAX 512

struct invariants {
  const cluster_t* cl;
  size_t failures;
  char first[INVARIANTS_WHY_MAX + 64];
};

__attribute__((format(printf, 3, 4))) static bool fail(char* why, size_t size, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, size, fmt, ap);
  va_end(ap);
  return false;
}

static bool same_sum(double kept, double recomputed)
{
  return fabs(kept - recomputed) <= 1e-6 * (1.0 + fabs(recomputed));
}

bool invariants_check_pm(size_t pm, const cluster_pm_t* pms, size_t pm_count, const cluster_vm_t* vms, size_t vm_count,
                         char* why, size_t why_size)
{
  const cluster_pm_t* p = &pms[pm];
  uint64_t ram          = 0;
  double cpu            = 0;
  size_t count          = 0;
  int32_t prev          = CLUSTER_NONE;
  for (int32_t v = p->first_vm; v != CLUSTER_NONE; v = vms[v].next_on_pm) {
    if (v < 0 || (size_t)v >= vm_count) return fail(why, why_size, "PM %zu: its VM list holds VM index %d", pm, v);
    if (++count > vm_count) return fail(why, why_size, "PM %zu: its VM list loops", pm);
    const cluster_vm_t* vm = &vms[v];
    if (vm->pm != (int32_t)pm) return fail(why, why_size, "PM %zu lists VM %d, whose PM is %d", pm, v, vm->pm);
    if (vm->prev_on_pm != prev) return fail(why, why_size, "PM %zu: VM %d's previous link is broken", pm, v);
    if (vm->migrating_to != CLUSTER_NONE &&
        (vm->migrating_to < 0 || (size_t)vm->migrating_to >= pm_count || vm->migrating_to == (int32_t)pm))
      return fail(why, why_size, "VM %d on PM %zu migrates to PM %d", v, pm, vm->migrating_to);
    ram += vm->ram_bytes;
    cpu += vm->cpu_demand;
    prev = v;
  }
  if (count != p->vm_count)
    return fail(why, why_size, "PM %zu: %zu VMs in its list, %u counted", pm, count, (unsigned)p->vm_count);
  if (ram != p->ram_used_bytes)
    return fail(why, why_size, "PM %zu: RAM used %llu bytes, its VMs add up to %llu", pm,
                (unsigned long long)p->ram_used_bytes, (unsigned long long)ram);
  double expected_cpu = p->online ? cpu : 0.0; /* an offline PM serves no demand */
  if (!same_sum(p->cpu_demand, expected_cpu))
    return fail(why, why_size, "PM %zu: CPU demand %.9g, its VMs add up to %.9g", pm, p->cpu_demand, expected_cpu);
  if (!p->online && (p->migrations_in || p->migrations_out || p->restarts_in))
    return fail(why, why_size, "PM %zu is down with %u migrations in, %u out and %u restarts", pm,
                (unsigned)p->migrations_in, (unsigned)p->migrations_out, (unsigned)p->restarts_in);
  count = 0;
  prev  = CLUSTER_NONE;
  for (int32_t v = p->first_restarting; v != CLUSTER_NONE; v = vms[v].next_on_pm) {
    if (v < 0 || (size_t)v >= vm_count) return fail(why, why_size, "PM %zu: its restarting list holds VM %d", pm, v);
    if (++count > vm_count) return fail(why, why_size, "PM %zu: its restarting list loops", pm);
    if (vms[v].restart_to != (int32_t)pm || vms[v].pm != CLUSTER_NONE)
      return fail(why, why_size, "PM %zu lists VM %d as restarting, whose PM is %d and restart PM %d", pm, v, vms[v].pm,
                  vms[v].restart_to);
    if (vms[v].prev_on_pm != prev) return fail(why, why_size, "PM %zu: VM %d's previous link is broken", pm, v);
    prev = v;
  }
  if (count != p->restarts_in)
    return fail(why, why_size, "PM %zu: %zu VMs restarting in its list, %u counted", pm, count,
                (unsigned)p->restarts_in);
  return true;
}

/* The lost list: VMs on no PM, restarting nowhere. Returns its length, or SIZE_MAX with why. */
static size_t check_lost(int32_t first_lost, const cluster_vm_t* vms, size_t vm_count, char* why, size_t why_size)
{
  size_t count = 0;
  for (int32_t v = first_lost; v != CLUSTER_NONE; v = vms[v].next_on_pm) {
    if (v < 0 || (size_t)v >= vm_count || ++count > vm_count)
      return fail(why, why_size, "the lost list is broken at VM %d", v), SIZE_MAX;
    if (vms[v].pm != CLUSTER_NONE || vms[v].restart_to != CLUSTER_NONE || vms[v].migrating_to != CLUSTER_NONE)
      return fail(why, why_size, "lost VM %d has PM %d, restart PM %d, migration to %d", v, vms[v].pm,
                  vms[v].restart_to, vms[v].migrating_to),
             SIZE_MAX;
  }
  return count;
}

bool invariants_check_all(const cluster_pm_t* pms, size_t pm_count, const cluster_vm_t* vms, size_t vm_count,
                          int32_t first_lost, size_t absent, char* why, size_t why_size)
{
  size_t listed = 0;
  for (size_t pm = 0; pm < pm_count; pm++) {
    if (!invariants_check_pm(pm, pms, pm_count, vms, vm_count, why, why_size)) return false;
    listed += pms[pm].vm_count + pms[pm].restarts_in;
  }
  size_t lost = check_lost(first_lost, vms, vm_count, why, why_size);
  if (lost == SIZE_MAX) return false;
  /* each list's VMs point back to it (above): with as many list entries as VMs, each is in one */
  if (listed + lost + absent != vm_count)
    return fail(why, why_size, "%zu VMs, %zu in the PMs' lists (restarting ones included), %zu lost and %zu absent",
                vm_count, listed, lost, absent);
  uint32_t* in     = calloc(pm_count ? pm_count : 1, sizeof *in);
  uint32_t* out    = calloc(pm_count ? pm_count : 1, sizeof *out);
  double* cpu_in   = calloc(pm_count ? pm_count : 1, sizeof *cpu_in);
  uint64_t* ram_in = calloc(pm_count ? pm_count : 1, sizeof *ram_in);
  bool ok          = in && out && cpu_in && ram_in;
  if (!ok) fail(why, why_size, "out of memory (whole-cluster check)");
  for (size_t v = 0; ok && v < vm_count; v++) {
    if (vms[v].restart_to != CLUSTER_NONE) /* arriving, like a migration, but counted in restarts_in */
      cpu_in[vms[v].restart_to] += vms[v].cpu_demand, ram_in[vms[v].restart_to] += vms[v].ram_bytes;
    int32_t dst = vms[v].migrating_to;
    if (dst == CLUSTER_NONE) continue;
    out[vms[v].pm]++, in[dst]++;
    cpu_in[dst] += vms[v].cpu_demand, ram_in[dst] += vms[v].ram_bytes;
  }
  for (size_t pm = 0; ok && pm < pm_count; pm++) {
    const cluster_pm_t* p = &pms[pm];
    if (p->migrations_in != in[pm] || p->migrations_out != out[pm])
      ok = fail(why, why_size, "PM %zu: migrations in %u and out %u counted, %u and %u in flight", pm,
                (unsigned)p->migrations_in, (unsigned)p->migrations_out, in[pm], out[pm]);
    else if (p->ram_incoming_bytes != ram_in[pm] || !same_sum(p->cpu_incoming, cpu_in[pm]))
      ok = fail(why, why_size, "PM %zu: incoming demand %.9g and RAM %llu, the migrating VMs add up to %.9g and %llu",
                pm, p->cpu_incoming, (unsigned long long)p->ram_incoming_bytes, cpu_in[pm],
                (unsigned long long)ram_in[pm]);
  }
  free(in), free(out), free(cpu_in), free(ram_in);
  return ok;
}

static void record(invariants_t* inv, double now, const char* why)
{
  if (inv->failures++ == 0) snprintf(inv->first, sizeof inv->first, "t=%.6f s: %s", now, why);
}

static void check_all_now(invariants_t* inv, double now)
{
  char why[INVARIANTS_WHY_MAX];
  const cluster_t* cl = inv->cl;
  if (!invariants_check_all(cluster_pm(cl, 0), cluster_pm_count(cl), cluster_vm(cl, 0), cluster_vm_count(cl),
                            cluster_first_lost(cl), cluster_absent_count(cl), why, sizeof why))
    record(inv, now, why);
}

static void on_event(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  invariants_t* inv   = userdata;
  const cluster_t* cl = inv->cl;
  char why[INVARIANTS_WHY_MAX];
  if (ev == CLUSTER_EV_CRASH || ev == CLUSTER_EV_RECOVER) {
    check_all_now(inv, now);
    return;
  }
  if (!invariants_check_pm(pm, cluster_pm(cl, 0), cluster_pm_count(cl), cluster_vm(cl, 0), cluster_vm_count(cl), why,
                           sizeof why)) {
    record(inv, now, why);
    return;
  }
  if (ev == CLUSTER_EV_MIG_START && !role_dest) {
    const cluster_vm_t* v = cluster_vm(cl, (size_t)vm);
    if (v->migrating_to == CLUSTER_NONE)
      snprintf(why, sizeof why, "VM %d started a migration from PM %zu without a destination", vm, pm),
          record(inv, now, why);
    else if (!cluster_pm(cl, pm)->online || !cluster_pm(cl, (size_t)v->migrating_to)->online)
      snprintf(why, sizeof why, "VM %d: migration from PM %zu to PM %d touches a crashed PM", vm, pm, v->migrating_to),
          record(inv, now, why);
  }
}

invariants_t* invariants_attach(cluster_t* cl)
{
  invariants_t* inv = calloc(1, sizeof *inv);
  if (!inv) return NULL;
  inv->cl = cl;
  cluster_add_listener(cl, on_event, inv);
  return inv;
}

void invariants_destroy(invariants_t* inv)
{
  free(inv);
}

void invariants_check_now(invariants_t* inv, double now)
{
  check_all_now(inv, now);
}

size_t invariants_failures(const invariants_t* inv)
{
  return inv->failures;
}

const char* invariants_first_failure(const invariants_t* inv)
{
  return inv->first;
}
