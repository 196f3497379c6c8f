#!/usr/bin/env bash
# Benchmark of the injector alone (not a test): inj_next throughput, with and without crashes, and the
# injector actor replaying the events of a 10K-PM / 100K-VM / 3600 s run in SimGrid with empty hooks.
# Builds a throw-away program in a temporary directory from sim/rng.c, sim/injector.c and sim/log.c.
# Usage: scripts/bench_injector.sh [repeats]   (prints one line per measurement)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
repeats=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bench.c" <<'C'
#include "injector.h"
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double wall(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static void noop_load(void* u, size_t vm, double load, double now) { (void)vm; (void)load; (void)now; ++*(size_t*)u; }
static void noop_node(void* u, size_t node, double now) { (void)node; (void)now; ++*(size_t*)u; }
int main(int argc, char** argv)
{
  inj_params_t p = {.load_period_s = 300, .load_mean = 60, .load_stddev = 20, .load_min = 0, .load_max = 100,
                    .load_slots = 10, .fault_mtbf_s = 0, .fault_mttr_s = 300};
  const size_t vms = 100000, pms = 10000, events = 1200000;
  if (argc > 2) { /* SimGrid replay: argv[1] = platform file */
    simgrid_init(&argc, argv);
    simgrid_load_platform(argv[1]);
    inj_t* inj = inj_create(&p, vms, pms, pms, 1);
    size_t applied = 0;
    inj_hooks_t h = {noop_load, noop_node, noop_node};
    inj_start_actor(inj, sg_host_by_name("h"), 3600, &h, &applied);
    double t0 = wall();
    simgrid_run();
    double dt = wall() - t0;
    printf("actor replay (SimGrid, empty hooks): %zu events to t=3600 s in %.3f s wall = %.0f events/s\n", applied, dt,
           applied / dt);
    inj_destroy(inj);
    return 0;
  }
  for (int faults = 0; faults < 2; faults++) {
    p.fault_mtbf_s = faults ? 3600 : 0; /* 10K PMs, MTBF 1 h: about 2.8 crashes/s, a busy recovery heap */
    inj_t* inj = inj_create(&p, vms, pms, pms, 1);
    inj_event_t ev;
    double sum = 0, t0 = wall();
    for (size_t i = 0; i < events; i++) {
      inj_next(inj, &ev);
      sum += ev.load;
    }
    double dt = wall() - t0;
    printf("inj_next, %s: %zu events (to t=%.0f s) in %.3f s = %.2f M events/s (checksum %.0f)\n",
           faults ? "crashes MTBF 3600 s on 10K PMs" : "loads only", events, ev.time_s, dt, events / dt / 1e6, sum);
    inj_destroy(inj);
  }
  return 0;
}
C
cat >"$tmp/one-host.xml" <<'X'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1"><zone id="z" routing="Full"><host id="h" speed="1Gf"/></zone></platform>
X
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -I"$src/sim" $(pkg-config --cflags simgrid) -o "$tmp/bench" "$tmp/bench.c" \
  "$src/sim/injector.c" "$src/sim/rng.c" "$src/sim/log.c" "$src/sim/error.c" $(pkg-config --libs simgrid) -lm
echo "# $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), cc -O2"
for _ in $(seq "$repeats"); do
  "$tmp/bench"
  "$tmp/bench" "$tmp/one-host.xml" --log=root.thres:critical --log=xbt_cfg.thres:critical
done
