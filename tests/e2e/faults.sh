#!/usr/bin/env bash
# Every scheduler (none, entropy, snooze, dvms) under heavy faults: 32 PMs and 3 service nodes, PMs
# AND service nodes crashing (MTBF 60 s, MTTR 20 s), 300 s. Each run must exit 0 (in the sanitizer
# build that includes LeakSanitizer: the run ends while Snooze group managers are busy in a round,
# which once leaked their semaphores), leave a complete results folder, and conserve the VMs:
# migrations.csv agrees with summary.csv (failed migrations' bytes included), every VM's migrations
# chain from its initial PM without overlapping, and replaying the completed ones over the trace's
# initial VM counts gives the trace's final VM counts (320 VMs in all). The runs are checked (--check:
# the cluster's bookkeeping verified at every event), and a checked run's results equal an unchecked one's.
# usage: faults.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
faults=(--set platform.pms=32 --set platform.service_nodes=3 --set vms.count=320 --set injector.load.mean=64
  --set injector.faults.mtbf=60 --set injector.faults.mttr=20 --set injector.faults.service_nodes=true
  --set duration=300 --log=root.thres:critical)

# VM v starts on PM v / 10 (placement fill, 10 VMs per PM). Sorted by VM then start: each migration
# leaves the VM's current PM, starts after the VM's previous migration ended, and a completed one
# moves the VM to its destination.
chain_ok() {
  tail -n +2 "$1" | sort -t, -k1,1n -k4,4g | awk -F, '
    $1 != vm { vm = $1; pos = int(vm / 10); last = -1 }
    $2 != pos || $4 < last { print "VM " vm ": migration " $0 " does not follow" > "/dev/stderr"; bad = 1 }
    { last = $5; if ($10 == "ok") pos = $3 }
    END { exit bad }'
}

# The trace's per-PM vm_count at t = 0, plus the completed migrations, equals its last vm_count per PM.
replay_ok() {
  awk -F, 'NR==FNR { if (FNR > 1 && $10 == "ok") { delta[$2]--; delta[$3]++ }; next }
    $1 == 8 && $4 == "vc" { pm = substr($3, 2); if ($2 == 0) first[pm] = $5; last[pm] = $5 }
    END {
      for (pm in first) { total += last[pm]; if (first[pm] + delta[pm] != last[pm]) {
        print "PM " pm ": " first[pm] " VMs at 0, " delta[pm] + 0 " by migrations, " last[pm] " at the end" > "/dev/stderr"
        bad = 1 } }
      if (length(first) != 32 || total != 320) { print "VMs at the end: " total > "/dev/stderr"; bad = 1 }
      exit bad }' "$1" FS=' ' "$2"
}

for s in none entropy snooze dvms; do
  extra=()
  [ "$s" = snooze ] && extra=(--set scheduler.pms_per_gm=16) # 3 service nodes used: the GL and 2 GMs
  out=$work/$s
  "$lucsim" run "${faults[@]}" --set scheduler="$s" "${extra[@]}" -o "$out" --check >/dev/null 2>"$work/$s.err"
  rc=$?
  check test "$rc" -eq 0
  [ "$s" = none ] && "$lucsim" run "${faults[@]}" --log=run.thres:info --set scheduler=none -o "$work/none-info" --check \
    >/dev/null 2>"$work/none.check"
  [ "$rc" -eq 0 ] || head -40 "$work/$s.err" >&2
  files="experiment.xml faults.csv load.csv migrations.csv reconfigurations.csv sites.csv summary.csv trace.paje violations.csv vms.csv"
  [ "$s" = snooze ] && files="$files snooze_events.csv snooze_groups.csv"
  [ "$s" = dvms ] && files="$files dvms_partitions.csv"
  [ "$s" = entropy ] && files="$files entropy_leaders.csv" # service nodes crash: fail-over on
  check test "$(ls "$out" 2>/dev/null | tr '\n' ' ')" = "$(echo "$files" | tr ' ' '\n' | sort | tr '\n' ' ')"
  for f in $files; do check test -s "$out/$f"; done
  check test "$(wc -l <"$out/summary.csv")" -eq 2
  check test "$(col "$out/summary.csv" scheduler)" = "$s"
  check test "$(tail -1 "$out/load.csv" | cut -d, -f1)" = 300.000000000

  # both kinds of crash happened: PMs (their `off` states in the trace) and service nodes (the rest)
  crashes=$(col "$out/summary.csv" crashes)
  pm_crashes=$(grep -c '^11 [0-9.]* p[0-9]* PS off$' "$out/trace.paje")
  check test "$pm_crashes" -gt 10
  check test "$((crashes - pm_crashes))" -gt 0

  # migrations.csv against summary.csv
  ok=$(awk -F, '$10=="ok"' "$out/migrations.csv" | wc -l)
  failed=$(awk -F, '$10=="failed"' "$out/migrations.csv" | wc -l)
  check test "$ok" -eq "$(col "$out/summary.csv" migrations)"
  check test "$failed" -eq "$(col "$out/summary.csv" migrations_failed)"
  check test "$((ok + failed + 1))" -eq "$(wc -l <"$out/migrations.csv")"
  check test "$(awk -F, '$10=="ok"{b+=$7} END{printf "%.0f", b}' "$out/migrations.csv")" = \
    "$(col "$out/summary.csv" migrated_bytes)"
  check awk -F, 'NR>1 && $10=="ok" && ($7 < 1073741824 || $8 < 1) {exit 1}' "$out/migrations.csv"
  # a failed migration reports what it sent up to the crash: round 1 (1 GiB) if it completed, else part of it
  check test "$(awk -F, '$10=="failed"{b+=$7} END{printf "%.0f", b}' "$out/migrations.csv")" = \
    "$(col "$out/summary.csv" failed_migration_bytes)"
  check awk -F, 'NR>1 && $10=="failed" && ($8 >= 1 ? $7 < 1073741824 : $7 > 1073741824) {exit 1}' \
    "$out/migrations.csv"
  if [ "$s" = none ]; then
    check test "$ok" -eq 0 -a "$failed" -eq 0
  else # the scheduler migrated, some migrations were cut by crashes, some still run at the end
    check test "$ok" -gt 0 -a "$failed" -gt 0
    check test "$(col "$out/summary.csv" failed_migration_bytes)" -gt 0
    check awk -F, 'NR>1 {exit !($4 > 0)}' <(tail -1 "$out/load.csv")
  fi
  check chain_ok "$out/migrations.csv"
  check replay_ok "$out/migrations.csv" "$out/trace.paje"
done
# Snooze's service-node crashes reached its protocol
check test "$(awk -F, '$2=="node-crash" && $3>=32' "$work/snooze/snooze_events.csv" | wc -l)" -gt 0
# --check changes no result, and says it checked
check grep -q "every invariant held at every cluster event" "$work/none.check"
"$lucsim" run "${faults[@]}" --set scheduler=entropy -o "$work/unchecked" >/dev/null 2>&1
for f in summary.csv migrations.csv reconfigurations.csv trace.paje; do
  check cmp -s "$work/entropy/$f" "$work/unchecked/$f"
done
finish
