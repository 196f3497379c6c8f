#!/usr/bin/env bash
# DVMS's locality-aware overlay (scheduler.overlay=locality) against the PM-order ring on the shipped
# multi-site experiment workloads/luc-small.xml (4 sites x 32 PMs, ring of 1 ms backbone links).
# Measured (seed 23, core locality at its default `site`): ring 352 migrations, 18 inter-site, 39 of
# 337 partitions spanning two sites, violation 3548.5 PM-s; locality 354 migrations, 0 inter-site,
# 0 of 336 partitions spanning sites, violation 3583.5 PM-s (+1.0 %). Asserted: the locality overlay
# makes at most a quarter of the ring's inter-site migrations and spanning partitions (the ring making
# at least 8 inter-site migrations), violation time within 10 % of the ring's; two runs byte-identical;
# an unknown overlay refused with one line and exit code 2.
# usage: dvms_locality.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
exp="$2/workloads/luc-small.xml"
cd "$work"
run() { "$lucsim" run "$exp" --set scheduler=dvms --set output.trace=none --log=root.thres:critical "$@" >/dev/null; }
spanning() { # partitions of dvms_partitions.csv whose PMs lie in more than one site (32 PMs a site)
  awk -F, 'NR>1{n=split($10,a," "); for(i=2;i<=n;i++) if(int(a[i]/32)!=int(a[1]/32)) {m++; break}} END{print m+0}' "$1"
}

check run --set scheduler.overlay=ring -o ring
check run --set scheduler.overlay=locality -o out # the same folder name twice: experiment.xml records it
mv out loc1
check run --set scheduler.overlay=locality -o out
mv out loc2
for f in experiment.xml summary.csv sites.csv violations.csv migrations.csv reconfigurations.csv dvms_partitions.csv; do
  check test -s loc1/$f
  check cmp -s loc1/$f loc2/$f
done
ring_x=$(col ring/summary.csv intersite_migrations)
loc_x=$(col loc1/summary.csv intersite_migrations)
check test "$ring_x" -ge 8
check test $((4 * loc_x)) -le "$ring_x"
check test "$(col loc1/summary.csv migrations)" -gt 300
check test $((4 * $(spanning loc1/dvms_partitions.csv))) -le "$(spanning ring/dvms_partitions.csv)"
check awk -v l="$(col loc1/summary.csv violation_s)" -v r="$(col ring/summary.csv violation_s)" \
  'BEGIN{exit !(l <= 1.1 * r && l >= 0.9 * r)}'
# an unknown overlay: one line naming the field, exit code 2, no results folder
"$lucsim" run "$exp" --set scheduler=dvms --set scheduler.overlay=star -o bad >/dev/null 2>err
check test $? -eq 2
check test "$(wc -l < err)" -eq 1
check grep -q "scheduler.overlay" err
check test ! -e bad
finish
