#!/usr/bin/env bash
# Backbone link failures (injector.faults.wan_mtbf, link:A/B lines of a failure trace), through
# real runs with --check on luc-small (4 sites of 32 PMs) with a star backbone, where any link
# failure cuts a site off: every scheduler runs on through splits; no migration completes while
# its two PMs are in different islands; migrations and image copies under way at a split fail;
# Entropy and Snooze elect a leader in the island cut off from theirs and the older (Snooze: later)
# leader steps down when the islands merge; a failed link of a ring splits nothing and changes no result; link
# failures change no node failure; reruns are byte-identical. Bad inputs: tests/e2e/bad/*wan* and
# fault_trace_link_*.
# usage: wan_islands.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"
quiet=(--set output.trace=none --log=root.thres:critical --check)
star=(--set platform.topology=star --set duration=1800s --set injector.faults.vm_recovery=restart)
drawn=(--set injector.faults.wan_mtbf=1500s --set injector.faults.wan_mttr=300s --set injector.faults.mtbf=20000s)

# No OK migration spans an instant when its PMs' sites are apart (islands rebuilt from faults.csv
# and backbone.csv; PM p is in site p / 32). Prints the count of those that do.
crossing() {
  python3 - "$1" <<'PY'
import csv, sys
d = sys.argv[1]
links = [(int(r['site_a']), int(r['site_b'])) for r in csv.DictReader(open(d + '/backbone.csv'))]
sites = 1 + max(max(l) for l in links)
def islands(up):
    lab = list(range(sites))
    def root(x):
        while lab[x] != x: x = lab[x]
        return x
    for i, (a, b) in enumerate(links):
        if up[i]: lab[root(a)] = root(b)
    return [root(s) for s in range(sites)]
up, states = [True] * len(links), [(0.0, islands([True] * len(links)))]
for r in csv.DictReader(open(d + '/faults.csv')):
    if r['role'] == 'link':
        up[int(r['domain'])] = r['event'] == 'recover'
        states.append((float(r['time_s']), islands(up)))
def apart(a, b, t0, t1):
    at_start = [c for t, c in states if t <= t0][-1]
    return at_start[a] != at_start[b] or any(t0 < t <= t1 and c[a] != c[b] for t, c in states)
print(sum(1 for r in csv.DictReader(open(d + '/migrations.csv')) if r['status'] == 'ok' and
          apart(int(r['src']) // 32, int(r['dst']) // 32, float(r['start_s']), float(r['end_s']))))
PY
}

# drawn link failures, every scheduler
for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=$s "${star[@]}" "${drawn[@]}" "${quiet[@]}" \
    -o "drawn-$s"
  check test "$(col "drawn-$s/summary.csv" wan_link_failures)" -ge 2
  check test "$(col "drawn-$s/summary.csv" wan_splits)" -eq "$(col "drawn-$s/summary.csv" wan_link_failures)"
  check awk -v s="$(col "drawn-$s/summary.csv" wan_split_s)" 'BEGIN {exit !(s > 300)}'
  check test "$(col "drawn-$s/summary.csv" vms_down_at_end)" -eq 0
  check test "$(crossing "drawn-$s")" -eq 0
  # the links' rows: host SITE_A/SITE_B, role link, cause wan, the link's index as domain
  check test "$(awk -F, 'NR > 1 && $5 == "link" && ($4 !~ /^s0\/s[123]$/ || $8 != "wan" || $9 == "")' \
    "drawn-$s/faults.csv" | wc -l)" -eq 0
done
# the same node failures as without link failures (their own random streams)
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=none "${star[@]}" --set injector.faults.mtbf=20000s \
  "${quiet[@]}" -o nodes-none
check cmp -s <(awk -F, '$5 != "link" {print $1, $2, $3}' drawn-none/faults.csv) \
  <(awk -F, '{print $1, $2, $3}' nodes-none/faults.csv)
# Entropy: the island cut off from its node elects a leader; merged, the older one steps down
check test "$(grep -c ',takeover,' drawn-entropy/entropy_leaders.csv)" -ge 1
check test "$(grep -c ',stepdown,' drawn-entropy/entropy_leaders.csv)" -ge 1
check awk -F, 'NR > 1 && $10 != "nothing-to-do" && $3 == 128 && $9 < 128 {n++} END {exit !n}' \
  drawn-entropy/reconfigurations.csv # rounds over the PMs its node reaches
# Snooze: the island cut off from the group leader elects one; merged, the later one steps down
check test "$(grep -c ',gl-elected,' drawn-snooze/snooze_events.csv)" -ge 1
check test "$(grep -c ',gl-stepdown,' drawn-snooze/snooze_events.csv)" -ge 1
if ! under_sanitizers; then
  check "$lucsim" run drawn-entropy/experiment.xml "${quiet[@]}" -o drawn-entropy-again
  for f in summary.csv faults.csv migrations.csv restarts.csv reconfigurations.csv entropy_leaders.csv; do
    check cmp -s "drawn-entropy/$f" "drawn-entropy-again/$f"
  done
fi

# a link to s2 flapping (down 5 s every 10 s) and site s1 out from 100 s to 250 s: inter-site
# migrations (locality off) and the image copies of s1's restarted VMs are cut
{
  for k in $(seq 0 59); do echo "$((k * 10 + 3)),link:s0/s2,down"; echo "$((k * 10 + 8)),link:s2/s0,up"; done
  printf '100,site:s1,down\n250,site:s1,up\n'
} > flap.trace
for s in entropy dvms; do
  check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=$s --set scheduler.locality=off "${star[@]}" \
    --set duration=$([ $s = dvms ] && echo 300s || echo 600s) --set injector.faults.trace=flap.trace \
    --set vms.class.small-10.image=1GiB "${quiet[@]}" -o "flap-$s"
  check test "$(col "flap-$s/summary.csv" wan_splits)" -eq "$([ $s = dvms ] && echo 30 || echo 60)"
  check test "$(col "flap-$s/summary.csv" wan_split_s)" = "$([ $s = dvms ] && echo 150 || echo 300).000000000"
  check test "$(col "flap-$s/summary.csv" migrations_cut)" -gt 0
  check test "$(col "flap-$s/summary.csv" migrations_cut)" -le "$(col "flap-$s/summary.csv" migrations_failed)"
  check test "$(col "flap-$s/summary.csv" restarts_cut)" -gt 0
  check test "$(col "flap-$s/summary.csv" restarts_cut)" -le "$(col "flap-$s/summary.csv" restarts_failed)"
  check test "$(crossing "flap-$s")" -eq 0
  check test "$(awk -F, 'NR > 1 && $5 == "link" && $8 != "trace"' "flap-$s/faults.csv" | wc -l)" -eq 0
done

# a ring: one failed link leaves every site reachable, so nothing changes (DVMS: no fail-over traffic)
printf '100,link:s0/s1,down\n900,link:s0/s1,up\n' > ring.trace
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=dvms --set duration=1200s \
  --set injector.faults.trace=ring.trace "${quiet[@]}" -o ring
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=dvms --set duration=1200s "${quiet[@]}" -o whole
check test "$(col ring/summary.csv wan_link_failures)" -eq 1
check test "$(col ring/summary.csv wan_splits)" -eq 0
check test "$(col ring/summary.csv wan_split_s)" = 0.000000000
for f in migrations.csv reconfigurations.csv dvms_partitions.csv violations.csv; do
  check cmp -s "ring/$f" "whole/$f"
done
finish
