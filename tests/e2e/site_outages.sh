#!/usr/bin/env bash
# Correlated outages drawn by the injector (injector.faults.site_mtbf), through real runs with
# --check: on luc-small every scheduler sees whole sites go down at one instant, their VMs lost
# and restarted outside the failing site, reruns byte-identical; on a single cluster, racks of 16
# consecutive PMs fail together besides the PMs' own failures; outages change no load.
# usage: site_outages.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--set output.trace=none --log=root.thres:critical --check)
sites=(--set duration=1200s --set injector.faults.site_mtbf=2000s --set injector.faults.site_mttr=300s
  --set injector.faults.vm_recovery=restart --set injector.load.mean=30)

# luc-small: 4 sites of 32 PMs (PM p is in site p / 32), no failure but outages
for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=$s "${sites[@]}" "${quiet[@]}" -o "site-$s"
  outages=$(col "site-$s/summary.csv" domain_outages)
  check test "$outages" -ge 2
  # every crash is an outage's, of a PM of the site it names, 32 per outage, all at its instant
  check test "$(awk -F, 'NR > 1 && ($8 != "site" || $6 != $9 || int($3 / 32) != $9)' "site-$s/faults.csv" | wc -l)" -eq 0
  check test "$(col "site-$s/summary.csv" crashes)" -eq $((32 * outages))
  check test "$(awk -F, 'NR > 1 && $2 == "crash" {print $1}' "site-$s/faults.csv" | sort -u | wc -l)" -eq "$outages"
  # the VMs an outage loses are restarted outside its site, and none fails
  check test "$(col "site-$s/summary.csv" vms_lost)" -gt 0
  check test "$(col "site-$s/summary.csv" restarts_failed)" -eq 0
  check test "$(awk -F, 'NR == FNR { if (FNR > 1 && $2 == "crash") out[$1] = $9; next }
    FNR > 1 && ($4 in out) && int($3 / 32) == out[$4]' "site-$s/faults.csv" "site-$s/restarts.csv" | wc -l)" -eq 0
  check test "$(awk -F, 'NR == FNR { if (FNR > 1 && $2 == "crash") out[$1] = 1; next } FNR > 1 && ($4 in out)' \
    "site-$s/faults.csv" "site-$s/restarts.csv" | wc -l)" -gt 0
done
if ! under_sanitizers; then
  check "$lucsim" run site-snooze/experiment.xml "${quiet[@]}" -o site-snooze-again
  for f in summary.csv faults.csv restarts.csv migrations.csv; do
    check cmp -s "site-snooze/$f" "site-snooze-again/$f"
  done
fi

# a single cluster: racks of 16 PMs (rack r holds PMs 16r..16r+15) and the PMs' own failures
racks=(--set duration=1800s --set injector.faults.site_mtbf=2000s --set injector.faults.site_mttr=300s
  --set injector.faults.rack_size=16 --set injector.faults.mtbf=20000s)
check "$lucsim" run "$src/workloads/vmplaces-128.xml" "${racks[@]}" "${quiet[@]}" -o racks
check test "$(awk -F, 'NR > 1 && $8 == "rack" && int($3 / 16) != $9' racks/faults.csv | wc -l)" -eq 0
check test "$(awk -F, 'NR > 1 && $8 == "node"' racks/faults.csv | wc -l)" -gt 0
check test "$(awk -F, 'NR > 1 && $8 == "rack" && $2 == "crash" {print $1, $9}' racks/faults.csv | sort -u | wc -l)" \
  -eq "$(col racks/summary.csv domain_outages)"
check test "$(col racks/summary.csv domain_outages)" -ge 3
# the same experiment without outages: the same load changes
check "$lucsim" run "$src/workloads/vmplaces-128.xml" "${racks[@]}" --set injector.faults.site_mtbf=0 "${quiet[@]}" \
  -o no-racks
check test "$(col racks/summary.csv load_events)" -eq "$(col no-racks/summary.csv load_events)"
check test "$(awk -F, 'NR > 1 && $8 != "node"' no-racks/faults.csv | wc -l)" -eq 0
finish
