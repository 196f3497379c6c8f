#!/usr/bin/env bash
# Benchmark of the Paje writer alone (not a test): the trace calls of a synthetic 10K-PM / 100K-VM /
# 3600 s run (1.2M load changes, ~18K migrations, the violations they cause) in each output.trace
# mode: wall time, events, bytes, peak RSS; then pj_dump + scripts/paje_violations.py on the states trace.
# Builds a throw-away program in a temporary directory from sim/trace.c, sim/error.c and sim/log.c.
# Usage: scripts/bench_trace.sh [repeats]   (prints one line per measurement)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
repeats=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bench.c" <<'C'
#include "trace.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
static double wall(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static bool viol[10000];
static size_t in_violation;
static void check(trace_t* tr, double now, int p, double demand, double cap)
{
  bool is = demand > cap;
  if (is == viol[p]) return;
  viol[p] = is;
  in_violation = is ? in_violation + 1 : in_violation - 1;
  trace_pm_state(tr, now, p, is ? TRACE_PM_VIOLATION : TRACE_PM_NORMAL);
  trace_root_variable(tr, now, TRACE_ROOT_PMS_IN_VIOLATION, (double)in_violation);
}
static uint64_t lcg(uint64_t* s) { *s = *s * 6364136223846793005ull + 1442695040888963407ull; return *s >> 33; }
enum { PMS = 10000, VMS = 100000, LOADS = 1200000, MIGS = 18000 };
int main(int argc, char** argv)
{
  out_trace_t mode = strcmp(argv[1], "full") == 0 ? OUT_TRACE_FULL : strcmp(argv[1], "states") == 0 ? OUT_TRACE_STATES : OUT_TRACE_NONE;
  static double load[VMS], demand[PMS];
  static int vm_pm[VMS], count[PMS];
  uint64_t seed = 42;
  for (int v = 0; v < VMS; v++) { vm_pm[v] = v % PMS; load[v] = 60; demand[v % PMS] += 60; count[v % PMS]++; }
  double total = 60.0 * VMS, cap = 600; /* 6 cores of 100 load units for VMs per PM: a busy cluster */
  lucsim_err_t err;
  double t0 = wall();
  trace_t* tr = trace_open(argv[2], mode, PMS, 1, &err);
  if (!tr) { fprintf(stderr, "%s\n", err.message); return 1; }
  for (int p = 0; p < PMS; p++) { trace_pm_variable(tr, 0, p, TRACE_PM_CPU_DEMAND, demand[p]); trace_pm_variable(tr, 0, p, TRACE_PM_VM_COUNT, count[p]); }
  trace_sched_state(tr, 0, true, 0, TRACE_SCHED_FREE);
  long mig_id = 0, mig_open[64]; double mig_end[64]; int mig_n = 0;
  for (long i = 0; i < LOADS; i++) {
    double now = 3600.0 * (double)(i + 1) / LOADS;
    while (mig_n > 0 && mig_end[0] <= now) { /* the oldest migration arrives: VM moves */
      long id = mig_open[0]; int v = (int)(id * 7919 % VMS), src = vm_pm[v], dst = (src + 1 + (int)(id % 97)) % PMS;
      demand[src] -= load[v]; count[src]--; demand[dst] += load[v]; count[dst]++; vm_pm[v] = dst;
      trace_migration_end(tr, mig_end[0], id, src, dst);
      trace_pm_variable(tr, mig_end[0], src, TRACE_PM_VM_COUNT, count[src]);
      trace_pm_variable(tr, mig_end[0], dst, TRACE_PM_VM_COUNT, count[dst]);
      trace_pm_variable(tr, mig_end[0], src, TRACE_PM_CPU_DEMAND, demand[src]);
      trace_pm_variable(tr, mig_end[0], dst, TRACE_PM_CPU_DEMAND, demand[dst]);
      check(tr, mig_end[0], src, demand[src], cap);
      check(tr, mig_end[0], dst, demand[dst], cap);
      memmove(mig_open, mig_open + 1, (size_t)(mig_n - 1) * sizeof *mig_open);
      memmove(mig_end, mig_end + 1, (size_t)(mig_n - 1) * sizeof *mig_end); mig_n--;
    }
    if (i % (LOADS / MIGS) == 0 && mig_n < 64) { /* one migration every 0.2 s, 10 s long */
      int v = (int)(mig_id * 7919 % VMS), src = vm_pm[v], dst = (src + 1 + (int)(mig_id % 97)) % PMS;
      trace_migration_start(tr, now, mig_id, src, dst);
      mig_open[mig_n] = mig_id++; mig_end[mig_n++] = now + 10;
    }
    int v = (int)(lcg(&seed) % VMS), p = vm_pm[v];
    double nl = 10.0 * (double)(lcg(&seed) % 11); /* 10 slots in [0, 100] */
    demand[p] += nl - load[v]; total += nl - load[v]; load[v] = nl;
    trace_pm_variable(tr, now, p, TRACE_PM_CPU_DEMAND, demand[p]);
    trace_root_variable(tr, now, TRACE_ROOT_GLOBAL_LOAD, 100.0 * total / (cap * PMS));
    check(tr, now, p, demand[p], cap);
  }
  uint64_t events = trace_events_written(tr);
  if (trace_close(tr, 3600, &err) != 0) { fprintf(stderr, "%s\n", err.message); return 1; }
  trace_destroy(tr);
  double dt = wall() - t0;
  FILE* f = fopen(argv[2], "rb");
  long bytes = 0;
  if (f) { fseek(f, 0, SEEK_END); bytes = ftell(f); fclose(f); }
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  printf("%-6s: %lu events, %.1f MB, %.1f B/event, %.3f s wall, %.2f M events/s, peak RSS %ld KiB (%zu PMs in violation at the end)\n",
         argv[1], (unsigned long)events, bytes / 1e6, events ? (double)bytes / events : 0.0, dt, events / dt / 1e6,
         ru.ru_maxrss, in_violation);
  return 0;
}
C
cflags="-std=c11 -O2 -D_POSIX_C_SOURCE=200809L -I$src/sim $(pkg-config --cflags simgrid)"
gcc $cflags "$tmp/bench.c" "$src/sim/trace.c" "$src/sim/error.c" "$src/sim/log.c" -o "$tmp/bench" \
  $(pkg-config --libs simgrid) -lm
for mode in none states full; do
  for _ in $(seq "$repeats"); do "$tmp/bench" $mode "$tmp/$mode.paje"; done
done
/usr/bin/time -f "paje_violations.py --trace (states trace, pj_dump included): %e s wall, %M KiB peak" \
  python3 "$src/scripts/paje_violations.py" --trace "$tmp/states.paje" >"$tmp/viol.csv"
echo "paje_violations.py: $(($(wc -l <"$tmp/viol.csv") - 1)) PMs, total violation $(awk -F, 'NR>1{s+=$2+$3} END{printf "%.3f", s}' "$tmp/viol.csv") PM-s"
