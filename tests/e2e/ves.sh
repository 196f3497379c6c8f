#!/usr/bin/env bash
# Virtual environments through real runs of the shipped workloads/ves-small.xml (three-tier VEs
# with spread, latency and root constraints, gathered batch VEs banned from a site, arrivals and
# departures) with --check, under every scheduler: ves.csv has one row per arrived VE, and its
# times agree with each other; the summary's constraint-violation times are 0 for the constraints
# every scheduler must keep (the run's own checker, on the real placement); the VE columns of
# load.csv; VEs that could not fit waited and were admitted later; the resolved experiment reruns
# to the same results; reruns are byte-identical; scripts/figures --ves draws them; --set ves.*
# changes the arrivals; a template's arrivals_file gives exactly its times.
# Bad declarations: tests/e2e/bad/ves_*.
# usage: ves.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--set duration=900s --log=root.thres:critical --check)

for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/ves-small.xml" --set scheduler=$s "${quiet[@]}" -o "$s"
  ves=$(col "$s/summary.csv" ves)
  check test "$ves" -ge 40
  check test "$(($(wc -l < "$s/ves.csv") - 1))" -eq "$ves"
  check test "$(col "$s/summary.csv" ves_admitted)" -ge 35
  check test "$(col "$s/summary.csv" ve_admission_solves)" -ge "$(col "$s/summary.csv" ves_admitted)"
  for k in spread latency root ban lonely fence; do
    check test "$(col "$s/summary.csv" ${k}_violation_s)" = 0.000000000
  done
  # waiting = admitted - arrival, or end - arrival while waiting; departure after admission
  check test "$(awk -F, 'NR > 1 && (($5 != "" && ($7 - ($5 - $4))^2 > 1e-12) || ($5 == "" && ($12 != "waiting" ||
    ($7 - (900 - $4))^2 > 1e-12)) || ($6 != "" && $6 < $5) || ($12 == "departed" && $6 == ""))' "$s/ves.csv" | wc -l)" -eq 0
  check test "$(head -1 "$s/load.csv" | cut -d, -f8-)" = "ves_running,ves_waiting,ves_suspended"
  # VEs counted running at t = 0: those admitted at 0
  check test "$(awk -F, 'NR == 2 {print $8}' "$s/load.csv")" -eq "$(awk -F, 'NR > 1 && $5 == "0.000000000"' "$s/ves.csv" | wc -l)"
done
check test "$(col none/summary.csv migrations)" -eq 0
# the schedulers move VE VMs, and keep their constraints meanwhile (above)
check test "$(awk -F, 'NR > 1 {m += $10} END {print m}' entropy/ves.csv)" -gt 0

# the resolved experiment reruns to the same results; reruns are byte-identical
check "$lucsim" run entropy/experiment.xml "${quiet[@]}" -o again
check "$lucsim" run "$src/workloads/ves-small.xml" --set scheduler=entropy "${quiet[@]}" -o entropy2
for f in summary.csv ves.csv load.csv migrations.csv vms.csv reconfigurations.csv; do
  check cmp -s "entropy/$f" "again/$f"
  check cmp -s "entropy/$f" "entropy2/$f"
done

# the VE figure: counts over time, waiting times, violation time per kind, and the data drawn
check "$src/scripts/figures" --ves none --ves entropy --ves snooze --ves dvms -o fig --formats png
for f in ves.png ves.csv ves-waiting.csv ves-violations.csv; do check test -s "fig/$f"; done
check test "$(($(wc -l < fig/ves-waiting.csv) - 1))" -eq "$(($(col none/summary.csv ves) + $(col entropy/summary.csv ves) +
  $(col snooze/summary.csv ves) + $(col dvms/summary.csv ves)))"
check grep -q '"ves"' fig/figures.json

# --set: 2.5 times as many three-tier arrivals; the platform saturates: VEs wait, and some are
# admitted after waiting (when others leave)
check "$lucsim" run "$src/workloads/ves-small.xml" --set ves.template.three-tier.interarrival=10s "${quiet[@]}" -o often
check test "$(col often/summary.csv ves)" -gt "$(col none/summary.csv ves)"
check grep -q 'interarrival="10s"' often/experiment.xml
check test "$(awk -F, 'NR > 1 && $9 > m {m = $9} END {print m + 0}' often/load.csv)" -gt 0
check test "$(awk -F, 'NR > 1 && $5 != "" && $7 > 0' often/ves.csv | wc -l)" -gt 0
check test "$(col often/summary.csv ves_waiting_at_end)" -gt 0

# a trace file of arrivals (--set: relative to the current folder): header, comment, blank line,
# spaces, CSV fields after the time, a time past the end; exactly its arrivals, at its times
printf 'time_s,note\n# two batch jobs\n30s,first\n 2min , second\n\n99999,after the end\n' > trace.csv
check "$lucsim" run "$src/workloads/ves-small.xml" --set ves.template.batch.initial=0 \
  --set ves.template.batch.interarrival=0 --set ves.template.batch.arrivals_file=trace.csv "${quiet[@]}" -o traced
check test "$(awk -F, '$2 == "batch" {printf "%s ", $4}' traced/ves.csv)" = "30.000000000 120.000000000 "
check grep -q "arrivals_file=\"$(pwd -P)/trace.csv\"" traced/experiment.xml  # absolute: reruns from anywhere
finish
