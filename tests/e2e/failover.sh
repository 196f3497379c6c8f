#!/usr/bin/env bash
# The central scheduler's node crashing (docs/FAULTS.md, "Failure detection"), through real runs
# with --check on luc-small (5 service nodes): Entropy's heartbeats stop, the next service node
# takes over after the 15 s timeout, every later round runs there and never two leaders at once;
# a successor down too is skipped (two timeouts); without fail-over the rounds wait for the
# repair (300 s without a scheduler); Snooze re-elects its group leader; DVMS has no leader (empty
# columns); drawn service-node failures give byte-identical reruns.
# usage: failover.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--set output.trace=none --log=root.thres:critical --check --set duration=900s)
svc=(--set injector.faults.service_nodes=true)
between() { awk -v x="$1" -v a="$2" -v b="$3" 'BEGIN { exit !(x + 0 >= a + 0 && x + 0 <= b + 0) }'; }
# every round runs on the leader of its time, from entropy_leaders.csv (start, crash, takeover rows)
rounds_on_leader() {
  awk -F, 'NR == FNR { if (FNR > 1) { t[++n] = $1; who[n] = ($5 == "crash") ? -1 : $2 } next }
    FNR > 1 { l = -1; for (i = 1; i <= n && t[i] <= $4; i++) l = who[i]; if (l != $3) bad++ }
    END { exit bad > 0 }' "$1/entropy_leaders.csv" "$1/reconfigurations.csv"
}

printf '100,s0-service-0,down\n400,s0-service-0,up\n' > leader.trace
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=entropy --set injector.faults.trace=leader.trace \
  "${svc[@]}" "${quiet[@]}" -o entropy
check test "$(col entropy/summary.csv leader_changes)" -eq 1
# beats every 5 s: the last one heard 0 to 5 s before the crash, then 15 s of silence
check between "$(col entropy/summary.csv scheduler_downtime_s)" 10 15.01
check test "$(awk -F, '$5 == "takeover" {print $3, $4}' entropy/entropy_leaders.csv)" = "s0-service-1 2"
check rounds_on_leader entropy
check test "$(awk -F, 'NR > 1 && $4 > 115 && $3 == 129' entropy/reconfigurations.csv | wc -l)" -gt 0
check test "$(awk -F, 'NR > 1 && $4 > 100 && $3 == 128' entropy/reconfigurations.csv | wc -l)" -eq 0

# the successor is down too: the one after it takes over, two timeouts after its last beat
printf '100,s0-service-0,down\n103,s0-service-1,down\n400,s0-service-0,up\n500,s0-service-1,up\n' > two.trace
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=entropy --set injector.faults.trace=two.trace \
  "${svc[@]}" "${quiet[@]}" -o entropy-two
check test "$(awk -F, '$5 == "takeover" {print $3}' entropy-two/entropy_leaders.csv)" = "s1-service-0"
check between "$(col entropy-two/summary.csv scheduler_downtime_s)" 20 30.02
check rounds_on_leader entropy-two

# without fail-over: no round from the crash to the repair
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=entropy --set injector.faults.trace=leader.trace \
  --set scheduler.failover=off "${svc[@]}" "${quiet[@]}" -o entropy-off
check test "$(col entropy-off/summary.csv scheduler_downtime_s)" = 300.000000000
check test "$(col entropy-off/summary.csv leader_changes)" -eq 0
check test ! -e entropy-off/entropy_leaders.csv
check test "$(awk -F, 'NR > 1 && $4 > 100 && $4 < 400' entropy-off/reconfigurations.csv | wc -l)" -eq 0

# Snooze elects a new group leader; DVMS and none have no leader
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=snooze --set injector.faults.trace=leader.trace \
  "${svc[@]}" "${quiet[@]}" -o snooze
check test "$(col snooze/summary.csv leader_changes)" -eq 1
check between "$(col snooze/summary.csv scheduler_downtime_s)" 3 6.01
for s in dvms none; do
  check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=$s --set injector.faults.trace=leader.trace \
    "${svc[@]}" "${quiet[@]}" -o $s
  check test -z "$(col $s/summary.csv scheduler_downtime_s)$(col $s/summary.csv leader_changes)"
done

# drawn failures of PMs and service nodes (MTBF 300 s): several take-overs, reruns byte-identical
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=entropy --set injector.faults.mtbf=300s \
  --set injector.faults.mttr=100s "${svc[@]}" "${quiet[@]}" -o drawn
check test "$(col drawn/summary.csv leader_changes)" -ge 2
check rounds_on_leader drawn
check "$lucsim" run drawn/experiment.xml "${quiet[@]}" -o drawn-again
for f in summary.csv entropy_leaders.csv reconfigurations.csv migrations.csv; do
  check cmp -s "drawn/$f" "drawn-again/$f"
done
finish
