#!/usr/bin/env bash
# The soak test of heavy failures (workloads/faults-1024.xml, 120 s): 1024 PMs failing every 600 s
# each, sites going out, lost VMs restarted, for every scheduler with --check (any broken invariant
# stops the run with an error). Every scheduler sees the same failures and loads; every lost VM is
# restarted or still down at the end; reruns are byte-identical, every output file. Not in the
# sanitizer build (tests/tests.cmake): there vm_restart.sh and site_outages.sh are the heavy-fault runs.
# usage: soak.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
opts=(--set duration=120s --log=root.thres:critical --check)

for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/faults-1024.xml" --set scheduler=$s "${opts[@]}" -o "$s"
  check test "$(col "$s/summary.csv" crashes)" -gt 250
  check test "$(col "$s/summary.csv" domain_outages)" -ge 1
  check test "$(col "$s/summary.csv" vms_lost)" -gt 2500
  check test "$(col "$s/summary.csv" vms_lost)" -eq \
    $(($(col "$s/summary.csv" vms_restarted) + $(col "$s/summary.csv" vms_down_at_end)))
  for c in crashes load_events domain_outages; do
    check test "$(col "$s/summary.csv" $c)" -eq "$(col none/summary.csv $c)"
  done
  check "$lucsim" run "$s/experiment.xml" "${opts[@]}" -o "$s-again"
  for f in "$s"/*.csv; do
    check cmp -s "$f" "$s-again/${f#*/}"
  done
done
check test "$(col entropy/summary.csv reconfigurations)" -gt 0
check test "$(col dvms/summary.csv migrations)" -gt 0
finish
