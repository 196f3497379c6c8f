#!/usr/bin/env bash
# Every shipped experiment (workloads/*.xml) validates, and the national LUC experiment
# workloads/luc-national.xml (the 28 sites of the France backbone, 10K PMs, 100K VMs) builds its
# platform and runs its first simulated minute: 28 sites in sites.csv, Paris first, 10,000 PMs and
# 100,000 VMs in all. Its full hour with each scheduler is a benchmark (scripts/bench-luc,
# docs/PERFORMANCE.md), not a test. The Euro-Par 2015 profiles validate with every scheduler (their
# parameters are scoped to each), and the 128-PM one runs its hour with each (about 1.5 s in all):
# Entropy charged 128 / 8 = 16 s per round with work, the Snooze GMs 4 s per round of 32 PMs, loads
# starting at 0, and the papers' ranking at this seed (DVMS, Snooze, Entropy, none: docs/VALIDATION.md).
# discovery-10k (10K PMs, 100K VMs) runs its first simulated minute.
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
for n in 128 256 512 1024; do
  for s in none entropy snooze dvms; do
    check "$lucsim" validate "$src/workloads/vmplaces-europar2015-$n.xml" --set scheduler=$s > /dev/null
  done
done
for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/vmplaces-europar2015-128.xml" --set scheduler=$s --set output.trace=none \
    --log=root.thres:critical -o ep-$s > /dev/null
done
check test "$(sed -n 2p ep-none/load.csv | cut -d, -f2)" = 0.000000 # every VM idle at t = 0
check test "$(awk -F, 'NR > 1 && $10 != "nothing-to-do" && $5 != "16.000000000"' ep-entropy/reconfigurations.csv | wc -l)" -eq 0
check test "$(awk -F, 'NR > 1 && $10 != "nothing-to-do"' ep-entropy/reconfigurations.csv | wc -l)" -ge 10
check test "$(awk -F, 'NR > 1 && $10 != "nothing-to-do" && $5 != "4.000000000"' ep-snooze/reconfigurations.csv | wc -l)" -eq 0
check grep -q 'name="scheduling" value="poll" scheduler="snooze"' ep-snooze/experiment.xml
check python3 - ep-none ep-entropy ep-snooze ep-dvms <<'PY'
import csv, sys
total = [sum(float(next(csv.DictReader(open(f"{run}/summary.csv")))[c]) for c in ("violation_s", "violation_out_s"))
         for run in sys.argv[1:]]
sys.exit(0 if total[3] < total[2] < total[1] < total[0] else 1)  # dvms < snooze < entropy < none
PY

check "$lucsim" run "$src/workloads/discovery-10k.xml" --set duration=60s --log=root.thres:critical -o discovery \
  > /dev/null
check test "$(col discovery/summary.csv pms)" -eq 10000
check test "$(col discovery/summary.csv vms)" -eq 100000
finish
