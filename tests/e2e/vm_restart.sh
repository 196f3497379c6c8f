#!/usr/bin/env bash
# Lost VMs restarted elsewhere (injector.faults.vm_recovery=restart), through real runs with --check:
# every scheduler restarts the VMs of drawn crashes (latency at least the boot time, PMs back
# empty); a site outage on luc-small sends its 320 VMs to other sites, copying their images
# (image_store local) so they take longer than the boot, and none with image_store shared;
# snapshots bound the lost work; a failed restart (destination crashed while booting) is counted;
# reruns are byte-identical; wait mode loses nothing; Weibull uptimes give other failures, the same loads.
# usage: vm_restart.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--set output.trace=none --log=root.thres:critical --check)
restart=(--set injector.faults.vm_recovery=restart --set injector.faults.boot_time=20s)
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }

# drawn crashes (PM MTBF 1500 s over 1200 s on 128 PMs: 77), every scheduler; a load of 40 % keeps
# room for the restarted VMs (at 60 % the cluster saturates and DVMS grinds through large partitions)
for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=$s --set duration=1200s \
    --set injector.faults.mtbf=1500s --set injector.faults.mttr=200s --set injector.load.mean=40 "${restart[@]}" \
    "${quiet[@]}" -o "mtbf-$s"
  lost=$(col "mtbf-$s/summary.csv" vms_lost)
  check test "$lost" -gt 500
  check test "$(col "mtbf-$s/summary.csv" vms_restarted)" -gt 0
  # every lost VM is restarted, down at the end (lost or booting), or lost again after a failed restart
  check test "$(col "mtbf-$s/summary.csv" vms_restarted)" -le "$lost"
  check ge "$(col "mtbf-$s/summary.csv" restart_latency_mean_s)" 20
  check ge "$(col "mtbf-$s/summary.csv" restart_latency_max_s)" "$(col "mtbf-$s/summary.csv" restart_latency_mean_s)"
  check gt "$(col "mtbf-$s/summary.csv" lost_work_vm_s)" 0
  # a repaired PM comes back empty
  check test "$(awk -F, 'NR > 1 && $2 == "recover" && $7 != 0' "mtbf-$s/faults.csv" | wc -l)" -eq 0
  check test "$(awk -F, 'NR > 1 && $2 == "recover"' "mtbf-$s/faults.csv" | wc -l)" -gt 0
done
check "$lucsim" run mtbf-dvms/experiment.xml "${quiet[@]}" -o mtbf-dvms-again
check cmp -s mtbf-dvms/summary.csv mtbf-dvms-again/summary.csv
check cmp -s mtbf-dvms/migrations.csv mtbf-dvms-again/migrations.csv
# the same crashes in wait mode lose no VM
check "$lucsim" run "$src/workloads/luc-small.xml" --set duration=1200s --set injector.faults.mtbf=1500s \
  --set injector.faults.mttr=200s --set injector.load.mean=40 "${quiet[@]}" -o mtbf-wait
check test "$(col mtbf-wait/summary.csv vms_lost)" -eq 0
check test "$(col mtbf-wait/summary.csv crashes)" -eq "$(col mtbf-none/summary.csv crashes)"

# Weibull uptimes (shape 0.7, steady state from t = 0): failures come, runs repeat exactly
weibull=(--set duration=1200s --set injector.faults.mtbf=1500s --set injector.faults.distribution=weibull
  --set injector.faults.mttr=200s --set injector.load.mean=40 --set scheduler=entropy)
check "$lucsim" run "$src/workloads/luc-small.xml" "${weibull[@]}" "${restart[@]}" "${quiet[@]}" -o weibull
check "$lucsim" run "$src/workloads/luc-small.xml" "${weibull[@]}" "${restart[@]}" "${quiet[@]}" -o weibull-again
check cmp -s weibull/summary.csv weibull-again/summary.csv
check cmp -s weibull/faults.csv weibull-again/faults.csv
check test "$(col weibull/summary.csv crashes)" -gt 50
check test "$(col weibull/summary.csv crashes)" -ne "$(col mtbf-entropy/summary.csv crashes)"
check test "$(col weibull/summary.csv load_events)" -eq "$(col mtbf-entropy/summary.csv load_events)"

# a site outage with 1 GiB images: the VMs restart in other sites, their images copied over the WAN
printf '600,site:s1,down\n1100,site:s1,up\n' > site.trace
images=()
for c in 10 20 30 40 50; do images+=(--set "vms.class.small-$c.image=1GiB"); done
check "$lucsim" run "$src/workloads/luc-small.xml" --set duration=1200s --set injector.faults.trace=site.trace \
  "${images[@]}" "${restart[@]}" "${quiet[@]}" -o site-local
check test "$(col site-local/summary.csv vms_lost)" -eq 320
check test "$(col site-local/summary.csv vms_restarted)" -eq 320
check test "$(col site-local/summary.csv vms_down_at_end)" -eq 0
# the site's PMs all go down before any VM restarts: none is sent to a PM of s1 (32..63) to fail there
check test "$(col site-local/summary.csv restarts_failed)" -eq 0
check test "$(awk -F, 'NR > 1 && $3 >= 32 && $3 < 64' site-local/restarts.csv | wc -l)" -eq 0
check test "$(col site-local/summary.csv restart_image_bytes)" = $((320 * 1024 * 1024 * 1024))
check gt "$(col site-local/summary.csv restart_latency_mean_s)" 28.5 # 1 GiB at most 1 Gbps per PM link: > 8.6 s each
check "$lucsim" run "$src/workloads/luc-small.xml" --set duration=1200s --set injector.faults.trace=site.trace \
  "${images[@]}" --set migration.image_store=shared "${restart[@]}" "${quiet[@]}" -o site-shared
check test "$(col site-shared/summary.csv restart_image_bytes)" -eq 0
check test "$(col site-shared/summary.csv restart_latency_max_s)" = 20.000000000
# lost work: 320 VMs running since t = 0, lost at 600 s; snapshots every 250 s keep all but 100 s each
check test "$(col site-shared/summary.csv lost_work_vm_s)" = 192000.000000000
check "$lucsim" run "$src/workloads/luc-small.xml" --set duration=1200s --set injector.faults.trace=site.trace \
  --set injector.faults.snapshot_period=250s "${restart[@]}" "${quiet[@]}" -o site-snap
check test "$(col site-snap/summary.csv lost_work_vm_s)" = 32000.000000000

# a destination crashing while its VMs boot: those restarts fail (restarts.csv), the VMs are lost
# again with the destination's own and restarted once more, all within the run
printf '100,s0-node-0,down\n' > one.trace
check "$lucsim" run "$src/workloads/luc-small.xml" --set duration=400s --set injector.faults.trace=one.trace \
  "${restart[@]}" "${quiet[@]}" -o boot-one
check test "$(head -1 boot-one/restarts.csv)" = vm,from_pm,to_pm,lost_s,start_s,end_s,latency_s,image_bytes,status
check test "$(awk -F, 'NR > 1 && $2 == 0 && $4 == 100 && $6 == 120 && $9 == "ok"' boot-one/restarts.csv | wc -l)" -eq 10
dst=$(awk -F, 'NR == 2 {print $3}' boot-one/restarts.csv)
booting=$(awk -F, -v d="$dst" 'NR > 1 && $3 == d' boot-one/restarts.csv | wc -l)
printf '100,s0-node-0,down\n110,s0-node-%s,down\n' "$dst" > two.trace
check "$lucsim" run "$src/workloads/luc-small.xml" --set duration=400s --set injector.faults.trace=two.trace \
  "${restart[@]}" "${quiet[@]}" -o boot-two
check test "$(col boot-two/summary.csv restarts_failed)" -eq "$booting"
check test "$(awk -F, -v d="$dst" 'NR > 1 && $3 == d && $6 == 110 && $9 == "failed"' boot-two/restarts.csv | wc -l)" \
  -eq "$booting"
check test "$(col boot-two/summary.csv vms_lost)" -eq 20 # 10 VMs per PM; the failed ones count once
check test "$(col boot-two/summary.csv vms_restarted)" -eq 20
check test "$(col boot-two/summary.csv vms_down_at_end)" -eq 0
check test "$(col boot-two/summary.csv restart_latency_max_s)" = 30.000000000 # lost at 100, cut at 110, booted at 130
finish
