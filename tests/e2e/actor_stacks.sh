#!/usr/bin/env bash
# Actor stacks (docs/DESIGN.md §7): lucsim runs actors on small stacks without guard pages, so an
# overflow would corrupt memory silently. Here every scheduler runs with a guard page under each
# stack (an overflow crashes), at the default stack size and at half of it: the half size proves a
# 2x margin and fails if the solver (GLPK needs more than 8 KiB) ran on an actor's stack instead of
# its own. The scenarios take the deep paths: solver calls (DVMS on ves-small runs GLPK, VE admission
# solves), trace and CSV writing, actors killed by PM crashes. Outputs equal the plain run's.
# Not in the sanitizer build (tests/tests.cmake): its thread contexts ignore the stack size.
# usage: actor_stacks.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--log=root.thres:critical)

run_three() { # run_three NAME EXPERIMENT OPTIONS...: plain, guard page, guard page + 8 KiB stacks
  local name=$1 exp=$2
  shift 2
  check "$lucsim" run "$exp" "${quiet[@]}" "$@" -o "$name"
  check "$lucsim" run "$exp" "${quiet[@]}" "$@" --cfg=contexts/guard-size:1 -o "$name-guard"
  check "$lucsim" run "$exp" "${quiet[@]}" "$@" --cfg=contexts/guard-size:1 --cfg=contexts/stack-size:8 \
    -o "$name-8k"
  for f in "$name"/*.csv; do
    check cmp -s "$f" "$name-guard/${f#*/}"
    check cmp -s "$f" "$name-8k/${f#*/}"
  done
}

for s in entropy snooze dvms; do
  run_three "vmplaces-$s" "$src/workloads/vmplaces-128.xml" --set scheduler=$s --set duration=1200s
  run_three "ves-$s" "$src/workloads/ves-small.xml" --set scheduler=$s
  run_three "faults-$s" "$src/workloads/faults-1024.xml" --set scheduler=$s --set duration=45s
done
# the solver's own stack was used: DVMS called GLPK on ves-small
check test "$(col ves-dvms/summary.csv core_solves_glpk)" -gt 0
check test "$(col faults-entropy/summary.csv crashes)" -gt 0
finish
