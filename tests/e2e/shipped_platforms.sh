#!/usr/bin/env bash
# The shipped platforms of platforms/ (platforms/README.md): they are what scripts/platforms writes
# (france-backbone.csv, and france-backbone.xml through this lucsim: luc_france.sh runs those two),
# `lucsim validate` accepts both, and both run 60 simulated seconds with DVMS. vmplaces-cluster.xml
# gives the same results as the generated cluster of workloads/vmplaces-128.xml (5 service nodes
# marked); g5k-like.xml has its 8 sites (host property site), 252 PMs and 4 service nodes.
# usage: shipped_platforms.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
run=(--set scheduler=dvms --set duration=60 --set output.trace=none -q)

check "$src/scripts/platforms" --check --lucsim "$lucsim"

# vmplaces-cluster.xml: the experiment of vmplaces-128.xml on the file, against the generated cluster
as_file_experiment "$src/workloads/vmplaces-128.xml" "$src/platforms/vmplaces-cluster.xml" > vmplaces.xml
check test "$("$lucsim" validate vmplaces.xml 2>&1)" == "vmplaces.xml: valid"
check "$lucsim" run vmplaces.xml "${run[@]}" -o cl-file > /dev/null 2>&1
check "$lucsim" run "$src/workloads/vmplaces-128.xml" "${run[@]}" -o cl-gen > /dev/null 2>&1
for f in violations.csv migrations.csv load.csv reconfigurations.csv sites.csv; do
  check cmp -s cl-gen/$f cl-file/$f
done
check test "$(col cl-file/summary.csv pms)" -eq 128
check test "$(col cl-file/summary.csv sites)" -eq 1
check grep -q '^0,128,5,' cl-file/sites.csv

# g5k-like.xml: the embedded quickstart experiment with more VMs, on the file
as_file_experiment "$src/workloads/quickstart.xml" "$src/platforms/g5k-like.xml" > g5k.xml
check test "$("$lucsim" validate g5k.xml 2>&1)" == "g5k.xml: valid"
check "$lucsim" run g5k.xml "${run[@]}" --set vms.count=2000 -o g5k > /dev/null 2>&1
check test "$(col g5k/summary.csv pms)" -eq 252
check test "$(col g5k/summary.csv sites)" -eq 8
check test "$(($(wc -l < g5k/sites.csv) - 1))" -eq 8
check test "$(awk -F, 'NR>1{s+=$3} END{print s}' g5k/sites.csv)" -eq 4 # service nodes
check grep -q '^4,64,2,' g5k/sites.csv                                 # nancy: 64 PMs, 2 frontends
finish
