#!/usr/bin/env bash
# Failures replayed from a trace file (injector.faults.trace), through real runs checked with
# --check: two PM failures on vmplaces-128 give exactly the crashes and VM-seconds down they imply
# (10 VMs per PM); the same lines in another order give the same results; a site outage on
# luc-small (site:s1, 32 PMs, 100 s) takes every PM of the site down and back, with every
# scheduler; a service node may be in the trace when service nodes may crash; reruns are
# byte-identical; faults.csv lists every crash and repair with its VMs. Bad traces: tests/e2e/bad/fault_trace_*.
# usage: fault_trace.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--set output.trace=none --log=root.thres:critical --check)

printf '# time, target, state\n100, node-3, down\n300, node-3, up\n1000,node-5,down\n' > two.trace
printf '1000,node-5,down\n300,node-3,up\n# any order\n100,node-3,down\n' > shuffled.trace
check "$lucsim" run "$src/workloads/vmplaces-128.xml" --set injector.faults.trace=two.trace "${quiet[@]}" -o two
check test "$(col two/summary.csv crashes)" -eq 2
check test "$(col two/summary.csv down_vm_s)" = 28000.000000000 # 10 VMs x (200 s + 2600 s)
check "$lucsim" run "$src/workloads/vmplaces-128.xml" --set injector.faults.trace=shuffled.trace "${quiet[@]}" -o shuffled
check cmp -s two/summary.csv shuffled/summary.csv
check "$lucsim" run two/experiment.xml -o two-again "${quiet[@]}" # the resolved experiment names the trace
check cmp -s two/summary.csv two-again/summary.csv

# a site outage, every scheduler
printf '1000,site:s1,down\n1100,site:s1,up\n' > site.trace
for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/luc-small.xml" --set injector.faults.trace=site.trace --set scheduler=$s \
    --set duration=1800s "${quiet[@]}" -o "site-$s"
  check test "$(col "site-$s/summary.csv" crashes)" -eq 32
done
check test "$(col site-none/summary.csv down_vm_s)" = 32000.000000000 # 32 PMs x 10 VMs x 100 s
# faults.csv: 32 crashes at 1000 s then 32 recoveries at 1100 s, the PMs of site 1, 10 VMs each
check test "$(head -1 site-none/faults.csv)" = "time_s,event,node,host,role,site,vms,cause,domain"
check test "$(awk -F, 'NR > 1 && $8 != "trace"' site-none/faults.csv | wc -l)" -eq 0
check test "$(awk -F, 'NR > 1 && $1 == 1000 && $2 == "crash" && $5 == "pm" && $6 == 1 {n++; v += $7} END {print n, v}' \
  site-none/faults.csv)" = "32 320"
check test "$(awk -F, 'NR > 1 && $1 == 1100 && $2 == "recover" {n++} END {print n}' site-none/faults.csv)" -eq 32
check test "$(wc -l < two/faults.csv)" -eq 4 # the header and 3 events
if ! under_sanitizers; then
  check "$lucsim" run "$src/workloads/luc-small.xml" --set injector.faults.trace=site.trace --set scheduler=dvms \
    --set duration=1800s "${quiet[@]}" -o site-dvms-again
  for f in summary.csv migrations.csv reconfigurations.csv dvms_partitions.csv; do
    check cmp -s "site-dvms/$f" "site-dvms-again/$f"
  done
fi

# a service node (the site's, s1-service-0) fails too when service nodes may crash
printf '500,s1-service-0,down\n900,s1-service-0,up\n' > service.trace
check "$lucsim" run "$src/workloads/luc-small.xml" --set injector.faults.trace=service.trace \
  --set injector.faults.service_nodes=true --set scheduler=snooze --set duration=1800s "${quiet[@]}" -o service
check test "$(col service/summary.csv crashes)" -eq 1
check test "$(grep -c s1-service-0 service/faults.csv)" -eq 2
finish
