#!/usr/bin/env bash
# DVMS end to end on vmplaces-128: a complete results folder with dvms_partitions.csv, the summary
# columns filled, fewer violation PM-seconds than none, determinism (same seed: byte-identical
# results folder, trace and dvms_partitions.csv included; also with PM crashes, and with timed
# messages), and a bad
# parameter refused with one line and exit code 2.
# usage: dvms.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
run() { "$lucsim" run "$src/workloads/vmplaces-128.xml" --log=root.thres:critical "$@" >/dev/null; }

check run --set scheduler=dvms -o "$work/out" # the same folder name: experiment.xml records it
mv "$work/out" "$work/a"
check run --set scheduler=dvms -o "$work/out"
mv "$work/out" "$work/b"
check run --set scheduler=none -o "$work/none"
# the run ends quietly: no SimGrid warning about the agents still waiting at the end
check test "$("$lucsim" run "$src/workloads/vmplaces-128.xml" --set scheduler=dvms --set output.trace=none \
  -o "$work/quiet" 2>&1 >/dev/null | grep -c WARNING)" = 0
for f in experiment.xml summary.csv violations.csv migrations.csv load.csv reconfigurations.csv trace.paje \
  dvms_partitions.csv; do
  check test -s "$work/a/$f"
  check cmp -s "$work/a/$f" "$work/b/$f"
done
check test "$(ls "$work/a")" = "$(ls "$work/b")"
check test "$(head -1 "$work/a/dvms_partitions.csv")" = \
  "partition,initiator,start_s,end_s,duration_s,max_pms,hops,merges,outcome,pms"
# ISPs start on monitor ticks (whole seconds) and most partitions solve at the minimum size 4
check awk -F, 'NR>1 && $3 != int($3) {exit 1}' "$work/a/dvms_partitions.csv"
check test "$(awk -F, 'NR>1 && $9=="solved"' "$work/a/dvms_partitions.csv" | wc -l)" -gt 300
check test "$(col "$work/a/summary.csv" scheduler)" = dvms
check awk -v m="$(col "$work/a/summary.csv" mean_partition_pms)" 'BEGIN{exit !(m >= 4 && m < 5)}'
check awk -v d="$(col "$work/a/summary.csv" violation_s)" -v n="$(col "$work/none/summary.csv" violation_s)" \
  'BEGIN{exit !(d < 0.5 * n)}'
check grep -q booked "$work/a/trace.paje"
# runs DVMS twice with the given settings into $work/NAME1 and $work/NAME2: byte-identical CSVs
twice() {
  local name=$1
  shift
  for i in 1 2; do
    check run --set scheduler=dvms "$@" -o "$work/out"
    mv "$work/out" "$work/$name$i"
  done
  for f in summary.csv migrations.csv reconfigurations.csv dvms_partitions.csv; do
    check cmp -s "$work/${name}1/$f" "$work/${name}2/$f"
  done
}
# with PM crashes: still byte-identical
crash=(--set injector.faults.mtbf=30 --set injector.faults.mttr=10 --set output.trace=none)
twice c "${crash[@]}"
check test "$(col "$work/c1/summary.csv" crashes)" -gt 50
# messages=timed (no flow, no agent actors), with crashes: deterministic, still repairs; on a ring
# that stays overloaded the run ends with messages on their way (freed: sanitized builds check)
twice t --set scheduler.messages=timed "${crash[@]}"
check test "$(col "$work/t1/summary.csv" crashes)" -gt 50
check test "$(col "$work/t1/summary.csv" reconfigurations_ok)" -gt 100
check test "$("$lucsim" run "$src/workloads/vmplaces-128.xml" --set scheduler=dvms --set scheduler.messages=timed \
  --set injector.load.initial=50 --set injector.load.mean=95 --set injector.load.period=10 --set duration=20 --set output.trace=none \
  -o "$work/busy" 2>&1 >/dev/null | grep -c WARNING)" = 0
check test "$(col "$work/busy/summary.csv" reconfigurations)" -gt 50
# a bad parameter: one line, exit code 2
"$lucsim" run "$src/workloads/vmplaces-128.xml" --set scheduler=dvms --set scheduler.timeout=1 -o "$work/bad" \
  >/dev/null 2>"$work/err"
check test $? -eq 2
check test "$(wc -l < "$work/err")" -eq 1
check grep -q "scheduler.timeout" "$work/err"
check test ! -e "$work/bad"
finish
