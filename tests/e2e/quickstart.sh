#!/usr/bin/env bash
# The default experiment (embedded, no file) runs and writes a complete results folder; the
# CLI's informational commands work.
# usage: quickstart.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1

cd "$work"
out=$("$lucsim" run --log=root.thres:critical)
check test "$out" = "results/quickstart-none-s1"
for f in experiment.xml summary.csv violations.csv migrations.csv load.csv; do
  check test -s "results/quickstart-none-s1/$f"
done
check test "$(ls results)" = "quickstart-none-s1" # no temporary folder left behind
# summary: one header and one row; 32 PMs, 320 VMs, 600 s; load events near 320 * 600 / 300 = 640
check test "$(wc -l < results/quickstart-none-s1/summary.csv)" -eq 2
row=$(sed -n 2p results/quickstart-none-s1/summary.csv)
check test "$(echo "$row" | cut -d, -f1-6)" = "quickstart,none,1,32,320,600.000000000"
events=$(echo "$row" | cut -d, -f7)
check test "$events" -gt 500 -a "$events" -lt 800
# vms.csv: the 320 VMs of t = 0, 10 per PM (placement fill), of the default class
check test "$(head -1 results/quickstart-none-s1/vms.csv)" = "vm,class,vcpus,ram_bytes,image_bytes,initial_pm,initial_site,ve"
check test "$(awk -F, 'NR > 1 {n[$6]++} END {for (p in n) if (n[p] != 10) bad++; print NR - 1, length(n), bad + 0}' \
  results/quickstart-none-s1/vms.csv)" = "320 32 0"
# it joins to migrations.csv: each VM's first migration leaves its initial PM (no crash here)
check "$lucsim" run --log=root.thres:critical --set scheduler=entropy --set injector.load.stddev=30 -o joined
check test "$(tail -n +2 joined/migrations.csv | sort -t, -k4,4g | awk -F, 'NR == FNR {pm[$1] = $6; next}
  !($1 in seen) {seen[$1] = 1; n++; if ($2 != pm[$1]) bad++} END {print (n > 0), bad + 0}' \
  joined/vms.csv -)" = "1 0"
# load.csv: one row every 10 s from 0 to 600 plus the header
check test "$(wc -l < results/quickstart-none-s1/load.csv)" -eq 62
# the resolved experiment is itself a valid experiment
check "$lucsim" validate results/quickstart-none-s1/experiment.xml
# a second run into the same folder is refused; with --force it replaces the earlier results
"$lucsim" run --log=root.thres:critical --set injector.load.mean=70 2>/dev/null
check test $? -eq 2
check "$lucsim" run --log=root.thres:critical --set injector.load.mean=70 --force
check grep -q 'mean="70"' results/quickstart-none-s1/experiment.xml
# the run-size budget refuses a run above limits.* before writing anything; --force runs it anyway
"$lucsim" run --log=root.thres:critical --set limits.events=100 -o budget 2> err.txt
check test $? -eq 2
check grep -q "^vms.count: the run would simulate about 701 events" err.txt
check test ! -e budget
check "$lucsim" run --log=root.thres:critical --set limits.events=100 -o budget --force
check test -s budget/summary.csv
# -q: no INFO line (warnings and errors only); --opt=VALUE forms; COMMAND --help
"$lucsim" run -q --set=duration=20s --seed=3 --output=quiet > out.txt 2> err.txt
check test $? -eq 0
check test ! -s err.txt
check test "$(cat out.txt)" = quiet
check grep -q 'seed="3" duration="20s"' quiet/experiment.xml
"$lucsim" run --set duration=20s -o=loud 2> err.txt > /dev/null
check grep -q "run/INFO" err.txt
check bash -c "'$lucsim' run --help | grep -q '^usage: lucsim run'"
check bash -c "'$lucsim' validate -h | grep -q '^usage: lucsim run'"
# an overloaded start when asked for: placement by capacity lets every PM start above 100 %
"$lucsim" run --log=root.thres:critical --set injector.load.mean=75 -o refused 2>/dev/null
check test $? -eq 2
check "$lucsim" run --log=root.thres:critical --set injector.load.mean=75 --set vms.placement=capacity \
  --set duration=60s -o overloaded
check test "$(sed -n 2p overloaded/load.csv | cut -d, -f2,3)" = "107.142857,32"
check test "$(awk -F, 'NR > 1 {n[$6]++} END {for (p in n) if (n[p] != 10) bad++; print length(n), bad + 0}' \
  overloaded/vms.csv)" = "32 0"
# misspelt options and commands get the nearest one
"$lucsim" run --chek 2> err.txt
check test $? -eq 2
check test "$(cat err.txt)" = "unknown option '--chek'; did you mean '--check'?"
"$lucsim" schedulers -x 2> err.txt
check test $? -eq 2
check test "$(cat err.txt)" = "unknown option '-x' (see lucsim --help)"
"$lucsim" valdate 2> err.txt
check test $? -eq 2
check grep -q "did you mean 'validate'" err.txt
check "$lucsim" schedulers
check bash -c "'$lucsim' schedulers | grep -q '^none '"
check "$lucsim" --version
check "$lucsim" --help
"$lucsim" frobnicate 2>/dev/null
check test $? -eq 2
finish
