#!/usr/bin/env bash
# Experiment-file cost, in process: config_load_file (read, secure parse, RelaxNG validation, field
# parsing) + config_finish per shipped workload, 100 --set overrides, and config_write_xml; then the
# wall time of `lucsim validate` (dominated by process start-up). Builds a throw-away program against
# the engine library of BUILD_DIR. Not a test; results go to docs/PERFORMANCE.md ("Experiment files").
# Usage: scripts/bench_config.sh BUILD_DIR [repeats]
set -eu
build=$(realpath "$1")
repeats=${2:-200}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/lucsim-bench-config-XXXXXX")
trap 'rm -rf "$work"' EXIT
nproc
lscpu | head -n 15

cat > "$work/bench.c" <<'C'
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char** argv)
{
  int repeats = atoi(argv[1]);
  config_t c;
  lucsim_err_t err;
  char set[64];
  for (int f = 3; f < argc; f++) {
    double t0 = now_s();
    for (int i = 0; i < repeats; i++) {
      config_init_defaults(&c);
      if (config_load_file(&c, argv[f], &err) != 0 || config_finish(&c, &err) != 0) { fprintf(stderr, "%s\n", err.message); return 1; }
    }
    printf("| load + finish `%s` | %.0f us |\n", argv[f], (now_s() - t0) / repeats * 1e6);
  }
  double t0 = now_s();
  for (int i = 0; i < repeats; i++)
    for (int k = 0; k < 100; k++) {
      snprintf(set, sizeof set, k % 2 ? "injector.load.mean=%d" : "vms.class.small-30.ram=%dGiB", k % 8 + 1);
      if (config_apply_set(&c, set, &err) != 0) return 1;
    }
  printf("| 100 `--set` overrides | %.1f us |\n", (now_s() - t0) / repeats * 1e6);
  t0 = now_s();
  for (int i = 0; i < repeats; i++)
    if (config_write_xml(&c, argv[2], &err) != 0) return 1;
  printf("| `config_write_xml` (resolved experiment.xml) | %.0f us |\n", (now_s() - t0) / repeats * 1e6);
  return 0;
}
C
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$src/sim" "$work/bench.c" "$build/liblucsim_engine.a" \
  $(xml2-config --libs) -lm -o "$work/bench"
cd "$src/workloads"
"$work/bench" "$repeats" "$work/out.xml" quickstart.xml vmplaces-128.xml vmplaces-1024.xml

start=$(date +%s%N)
for _ in $(seq 20); do "$build/lucsim" --version > /dev/null; done
mid=$(date +%s%N)
for _ in $(seq 20); do "$build/lucsim" validate vmplaces-1024.xml > /dev/null; done
end=$(date +%s%N)
echo "| \`lucsim --version\` (process start-up) | $(( (mid - start) / 20000000 )) ms |"
echo "| \`lucsim validate vmplaces-1024.xml\` | $(( (end - mid) / 20000000 )) ms |"
