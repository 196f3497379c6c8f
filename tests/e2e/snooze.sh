#!/usr/bin/env bash
# Snooze end to end on vmplaces-128 (5 service nodes: GL + 4 GMs): listed by `lucsim schedulers`,
# a complete results folder with its own files (snooze_events.csv, snooze_groups.csv), one
# reconfigurations.csv actor per GM, fewer violation PM-seconds than none, determinism (same seed:
# byte-identical results folder, trace included), also with service-node crashes from the injector.
# usage: snooze.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
# 1800 s of the 3600 s scenario: the sanitizer build runs it with thread contexts, minutes a run
run() { "$lucsim" run "$src/workloads/vmplaces-128.xml" --log=root.thres:critical --set duration=1800s "$@" >/dev/null; }

check sh -c "'$lucsim' schedulers | grep -q '^snooze'"
check run --set scheduler=snooze -o "$work/out"
mv "$work/out" "$work/a"
if ! under_sanitizers; then
  check run --set scheduler=snooze -o "$work/out"
  mv "$work/out" "$work/b"
fi
check run --set scheduler=none -o "$work/none"
for f in experiment.xml summary.csv violations.csv migrations.csv load.csv reconfigurations.csv trace.paje \
  snooze_events.csv snooze_groups.csv; do
  check test -s "$work/a/$f"
  under_sanitizers || check cmp -s "$work/a/$f" "$work/b/$f"
done
check test "$(head -1 "$work/a/snooze_events.csv")" = "time_s,event,node,pm,gm,value"
check test "$(head -1 "$work/a/snooze_groups.csv")" = "time_s,node,role,lcs,mean_cpu_pct"
# 128 joins, one each; 4 GMs (gm-1 .. gm-4) decide, service node 0 (node 128) leads
check test "$(grep -c ',lc-joined,' "$work/a/snooze_events.csv")" -eq 128
check test "$(cut -d, -f2 "$work/a/reconfigurations.csv" | sort -u | grep -c '^gm-[1-4]$')" -eq 4
check test "$(grep -c '^30.000000000,128,gl,4,' "$work/a/snooze_groups.csv")" -eq 1
check test "$(grep -c '^30.000000000,,unassigned,0,' "$work/a/snooze_groups.csv")" -eq 1
check test "$(col "$work/a/summary.csv" scheduler)" = snooze
check awk -v p="$(col "$work/a/summary.csv" mean_partition_pms)" 'BEGIN{exit !(p > 0 && p <= 32)}'
vs=$(col "$work/a/summary.csv" violation_s)
vn=$(col "$work/none/summary.csv" violation_s)
check awk -v s="$vs" -v n="$vn" 'BEGIN{exit !(s < 0.5 * n)}'
# a PM crashes at 20 s and recovers at 40 s: its LC stops at once and rejoins as its PM boots (a join
# round trip: milliseconds); its GM drops it more than a timeout (6 s) after its last report, sent
# before the crash
printf '20,node-5,down\n40,node-5,up\n' > "$work/pm.trace"
check run --set scheduler=snooze --set duration=60s --set injector.faults.trace="$work/pm.trace" \
  --set output.trace=none -o "$work/pm"
check awk -F, '$2 == "lc-down" && $4 == 5 {t = $1} END {exit !(t == 20)}' "$work/pm/snooze_events.csv"
check awk -F, '$2 == "lc-joined" && $4 == 5 {t = $1} END {exit !(t >= 40 && t < 40.05)}' "$work/pm/snooze_events.csv"
check awk -F, '$2 == "gm-dropped-lc" && $4 == 5 {t = $1; v = $6} END {exit !(v > 6 && t - v <= 20)}' \
  "$work/pm/snooze_events.csv"
# service nodes crash too (MTBF 600 s over 133 nodes, 60 s repairs): elections happen, still deterministic
faults=(--set scheduler=snooze --set injector.faults.mtbf=600 --set injector.faults.mttr=60
  --set injector.faults.service_nodes=true --set output.trace=none)
check run "${faults[@]}" -o "$work/out"
mv "$work/out" "$work/fa"
if ! under_sanitizers; then
  check run "${faults[@]}" -o "$work/out"
  mv "$work/out" "$work/fb"
  check diff -r "$work/fa" "$work/fb"
fi
check test "$(col "$work/fa/summary.csv" crashes)" -gt 0
finish
