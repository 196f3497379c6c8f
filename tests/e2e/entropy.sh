#!/usr/bin/env bash
# Entropy end to end on vmplaces-128: a complete results folder with reconfigurations.csv, the
# summary columns filled, fewer violation PM-seconds than none, and determinism (same seed:
# byte-identical results folder, trace included).
# usage: entropy.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
run() { "$lucsim" run "$src/workloads/vmplaces-128.xml" --log=root.thres:critical "$@" >/dev/null; }

check run --set scheduler=entropy -o "$work/out"
mv "$work/out" "$work/a"
check run --set scheduler=entropy -o "$work/out"
mv "$work/out" "$work/b"
check run --set scheduler=none -o "$work/none"
for f in experiment.xml summary.csv violations.csv migrations.csv load.csv reconfigurations.csv trace.paje; do
  check test -s "$work/a/$f"
  check cmp -s "$work/a/$f" "$work/b/$f"
done
check test "$(head -1 "$work/a/reconfigurations.csv")" = \
  "scheduler,actor,node,start_s,computation_s,reconfiguration_s,migrations_planned,migrations_done,partition_pms,outcome,solver,cost,lower_bound"
# one row per round: rounds every 30 s from 30 s (later when a round overruns), service node 0 = node 128
rows=$(($(wc -l < "$work/a/reconfigurations.csv") - 1))
check test "$rows" -ge 100 -a "$rows" -le 119
check test "$(sed -n 2p "$work/a/reconfigurations.csv" | cut -d, -f1-4)" = "entropy,entropy,128,30.000000000"
check test "$(col "$work/a/summary.csv" scheduler)" = entropy
check test "$(col "$work/a/summary.csv" mean_partition_pms)" = "128.000"
check test "$(col "$work/a/summary.csv" reconfigurations)" -gt 50
check test "$(col "$work/a/summary.csv" migrations)" -gt 150
check test "$(col "$work/none/summary.csv" reconfigurations)" -eq 0
ve=$(col "$work/a/summary.csv" violation_s)
vn=$(col "$work/none/summary.csv" violation_s)
# worst-fit placement (the core's default) leaves receivers headroom: measured 0.31x of none here
check awk -v e="$ve" -v n="$vn" 'BEGIN{exit !(e < 0.5 * n)}'
# the trace has Entropy's states on service node 0
check grep -q compute "$work/a/trace.paje"
finish
