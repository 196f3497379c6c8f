#!/usr/bin/env bash
# The example scheduler (scheduler/examples/least_loaded.c) as a plugin: built next to the lucsim
# binary by examples.cmake, loaded with --set scheduler.plugin=PATH, it resolves the sched_* API
# from the executable, runs end to end and moves VMs; bad plugin paths are input errors (exit 2).
# Scheduler ABI versions (test plugins of tests/plugins/): a version-1 table (without the version-2
# members) loads and runs, through crashes; a version-3 scheduler runs rounds handed in with the
# version-3 layout of sched_round_t; versions 0, -1 and a future one are refused (exit 2).
# usage: plugin.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
plugin=$(dirname "$lucsim")/least_loaded.so

check test -f "$plugin"
check "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical --set scheduler.plugin="$plugin" -o "$work/p" >/dev/null
check "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical -o "$work/n" >/dev/null
check test "$(col "$work/p/summary.csv" scheduler)" = least-loaded
check test "$(col "$work/p/summary.csv" migrations)" -gt 0
vp=$(col "$work/p/summary.csv" violation_s)
vn=$(col "$work/n/summary.csv" violation_s)
check awk -v p="$vp" -v n="$vn" 'BEGIN{exit !(p < n)}'
# the run is named after the plugin's scheduler: default folder, experiment.xml; another name is refused
(cd "$work" && "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical --set scheduler.plugin="$plugin" \
  --set duration=30s > named.txt)
check test "$(cat "$work/named.txt")" = results/quickstart-least-loaded-s1
check grep -q '<scheduler name="least-loaded" plugin=' "$work/results/quickstart-least-loaded-s1/experiment.xml"
err=$("$lucsim" run --set scheduler=entropy --set scheduler.plugin="$plugin" -o "$work/other" 2>&1 >/dev/null)
check test $? -eq 2
check test "$err" = "scheduler.name: 'entropy', but the plugin '$plugin' is scheduler 'least-loaded'; expected 'least-loaded' or no name"
check test ! -e "$work/other"
# its own parameter is read; an unknown one is refused
check "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical --set scheduler.plugin="$plugin" \
  --set scheduler.period=5 -o "$work/p5" >/dev/null
err=$("$lucsim" run "$src/workloads/quickstart.xml" --set scheduler.plugin="$plugin" --set scheduler.nope=1 \
  -o "$work/bad" 2>&1 >/dev/null)
check test $? -ne 0
check test "$err" = "scheduler.nope: scheduler 'least-loaded' has no parameter 'nope'"
check test ! -e "$work/bad"
"$lucsim" run --set scheduler.plugin="$work/missing.so" -o "$work/bad" >/dev/null 2>&1
check test $? -eq 2

# ABI version 1: loads, runs with PM crashes (its table has no crash callbacks: the engine must not
# read past it), and its on_violation is called (it marks violations detected, rows in abi_v1.csv)
dir=$(dirname "$lucsim")
check "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical --set scheduler.plugin="$dir/abi_v1.so" \
  --set injector.faults.mtbf=300 --set injector.faults.mttr=60 -o "$work/v1" >/dev/null
check test "$(col "$work/v1/summary.csv" scheduler)" = abi-v1
check test "$(col "$work/v1/summary.csv" crashes)" -gt 0
check test "$(col "$work/v1/summary.csv" detected_intervals)" -gt 0
check test "$(head -1 "$work/v1/abi_v1.csv")" = time_s,pm
check test "$(wc -l <"$work/v1/abi_v1.csv")" -gt 1
# versions 0, -1 and the one after the current are refused with one line naming the plugin and the range
abi_max=$(sed -n 's/^#define SCHED_ABI_VERSION \([0-9]*\).*/\1/p' "$src/scheduler/scheduler.h")
for v in v0:0 negative:-1 future:$((abi_max + 1)); do
  so="$dir/abi_${v%%:*}.so"
  check test -f "$so"
  err=$("$lucsim" run "$src/workloads/quickstart.xml" --set scheduler.plugin="$so" -o "$work/bad-${v%%:*}" 2>&1 >/dev/null)
  rc=$?
  check test "$rc" -eq 2
  check test "$err" = "scheduler.plugin: '$so' was built for scheduler ABI ${v#*:}; expected 1 to ${abi_max}"
  check test ! -e "$work/bad-${v%%:*}"
done
# ABI version 3 running rounds: its sched_round_t ends after userdata, garbage follows; the engine
# reads none of it (a power policy or overload detector read from there would crash the run)
check "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical \
  --set scheduler.plugin="$dir/abi_v3_round.so" -o "$work/v3" > /dev/null
check test "$(col "$work/v3/summary.csv" scheduler)" = abi-v3-round
check test "$(col "$work/v3/summary.csv" migrations)" -gt 0
# ... but reading its solver parameters with sched_param_solver, whose struct grew in version 4:
# refused before anything is written into it, one line, exit 2, no results folder
err=$("$lucsim" run "$src/workloads/quickstart.xml" --set scheduler.plugin="$dir/abi_v3_solver.so" \
  -o "$work/v3s" 2>&1 >/dev/null)
check test $? -eq 2
check test "$err" = "scheduler.plugin: built for scheduler ABI 3 calls sched_param_solver, whose struct grew in ABI 4 (eviction, milp): rebuild it against this scheduler.h"
check test ! -e "$work/v3s"
finish
