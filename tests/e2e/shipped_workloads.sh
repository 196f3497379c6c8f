#!/usr/bin/env bash
# Every shipped experiment (workloads/*.xml) validates, and the national LUC experiment
# workloads/luc-national.xml (the 28 sites of the France backbone, 10K PMs, 100K VMs) builds its
# platform and runs its first simulated minute: 28 sites in sites.csv, Paris first, 10,000 PMs and
# 100,000 VMs in all. Its full hour with each scheduler is a benchmark (scripts/bench-luc,
# docs/PERFORMANCE.md), not a test.
# usage: shipped_workloads.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"

for exp in "$src"/workloads/*.xml; do
  check "$lucsim" validate "$exp" > /dev/null
done

check "$lucsim" run "$src/workloads/luc-national.xml" --set duration=60s --log=root.thres:critical -o national \
  > /dev/null
check test "$(col national/summary.csv sites)" -eq 28
check test "$(col national/summary.csv pms)" -eq 10000
check test "$(col national/summary.csv vms)" -eq 100000
check test "$(($(wc -l < national/sites.csv) - 1))" -eq 28
check test "$(awk -F, 'NR>1{s+=$2} END{print s}' national/sites.csv)" -eq 10000
check test "$(awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="name") c=i} NR==2{print $c}' national/sites.csv)" = paris
check test "$(head -1 national/sites.csv | cut -d, -f10-)" = name,lon,lat # the France backbone's coordinates
finish
