#!/usr/bin/env bash
# The shipped multi-site experiment workloads/luc-small.xml (4 sites, 128 PMs, ring) runs with every
# built-in scheduler; sites.csv has the 4 sites, whose PMs, VMs, violation time and migrations add up
# to summary.csv, and the inter-site columns agree with it. The core's locality term (default
# scheduler.locality=site) keeps Entropy's and Snooze's migrations inside their sites here; with
# locality=off, Entropy (global scope) is locality-blind and some of its migrations cross sites;
# Snooze's groups are per site by default (luc_sites.sh). The platform `lucsim platform` prints for it, loaded
# back with platform.kind=file, has the same sites (host properties site): the same sites.csv.
# Scheduler messages between sites are counted (wan_message_bytes): none for none, some for Entropy (its
# per-site monitoring reports), Snooze and DVMS. The Paje trace nests each PM and service node in its site's
# SITE container (read back by pj_dump), and scripts/paje-violations still finds every PM. With a
# disk image per class, inter-site migrations copy it (local stores) or not (shared store).
# backbone.csv lists the 4 links of the ring (1 ms, 10 Gbps each) and is in the folder's marker;
# sites.csv has no lon,lat (no backbone file), and a run on the printed platform (kind=file) writes
# no backbone.csv. Site sizes drawn from the seed (site_sizes=zipf): 128 PMs in all, unequal, the
# same twice with one seed, others with another seed, and the resolved experiment draws them again.
# usage: luc_small.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
exp="$2/workloads/luc-small.xml"
cd "$work"

sum() { # sum FILE COLUMN: sum of a column of sites.csv, by name
  awk -F, -v n="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==n) c=i} NR>1{s+=$c} END{printf "%.6f\n", s}' "$1"
}
same() { awk -v a="$1" -v b="$2" 'BEGIN{d=a-b; if (d<0) d=-d; exit !(d<1e-6)}'; }

for s in none entropy snooze dvms; do
  check "$lucsim" run "$exp" --set scheduler=$s --set output.trace=none -q -o $s > /dev/null 2>&1
  sites=$s/sites.csv
  check test "$(($(wc -l < $sites) - 1))" -eq 4
  check test "$(col $s/summary.csv sites)" -eq 4
  check same "$(sum $sites pms)" 128
  check same "$(sum $sites vms)" 1280
  check same "$(sum $sites violation_s)" "$(col $s/summary.csv violation_s)"
  check same "$(sum $sites migrations_in)" "$(col $s/summary.csv migrations)"
  check same "$(sum $sites migrations_out)" "$(col $s/summary.csv migrations)"
  check same "$(sum $sites intersite_in)" "$(col $s/summary.csv intersite_migrations)"
  check same "$(sum $sites intersite_out)" "$(col $s/summary.csv intersite_migrations)"
  check test "$(col $s/summary.csv intersite_migrations)" -le "$(col $s/summary.csv migrations)"
done
check test "$(col none/summary.csv migrations)" -eq 0
# the ring of 4: 0-1, 0-3, 1-2, 2-3, each of wan_latency 1 ms and wan_bandwidth 10 Gbps (1.25e9 B/s)
printf '%s\n' site_a,site_b,latency_s,bandwidth_Bps 0,1,0.001000000,1250000000 0,3,0.001000000,1250000000 \
  1,2,0.001000000,1250000000 2,3,0.001000000,1250000000 > ring.csv
for s in none entropy snooze dvms; do
  check cmp -s ring.csv $s/backbone.csv
  check grep -qx 'file backbone.csv' $s/.lucsim-results
  check test "$(head -1 $s/sites.csv)" = site,pms,service_nodes,vms,violation_s,migrations_in,migrations_out,intersite_in,intersite_out,name
done
check test "$(col entropy/summary.csv intersite_migrations)" -eq 0
check test "$(col snooze/summary.csv intersite_migrations)" -eq 0
for s in entropy; do
  check "$lucsim" run "$exp" --set scheduler=$s --set scheduler.locality=off --set output.trace=none -q -o $s-off \
    > /dev/null 2>&1
  check test "$(col $s-off/summary.csv intersite_migrations)" -gt 0
done
check test "$(col none/summary.csv wan_message_bytes)" -eq 0
check test "$(col entropy/summary.csv wan_message_bytes)" -gt 0 # its per-site monitoring reports
check test "$(col snooze/summary.csv wan_message_bytes)" -gt 0
check test "$(col dvms/summary.csv wan_message_bytes)" -gt 0

# the printed platform, loaded back: same sites, same results (the experiment with its generated
# platform replaced by the file, keeping the per-PM fields a file does not decide)
check "$lucsim" platform "$exp" > luc-small-platform.xml
as_file_experiment "$exp" luc-small-platform.xml > luc-small-file.xml
check grep -q '<platform kind="file" file="luc-small-platform.xml" *hypervisor_cores="1" ram="32GiB" *vm_model="data"/>' \
  luc-small-file.xml
check "$lucsim" run luc-small-file.xml --set scheduler=entropy --set output.trace=none -q -o entropy-file > /dev/null 2>&1
for f in sites.csv violations.csv migrations.csv load.csv reconfigurations.csv; do
  check cmp -s entropy/$f entropy-file/$f
done
check test "$(col entropy-file/summary.csv sites)" -eq 4
check test ! -e entropy-file/backbone.csv # a platform file's links are SimGrid's: no backbone.csv

# disk images across sites: every inter-site migration copies its class's 10 GiB image (local
# stores), which makes them longer; a shared store copies none (locality off, so that Entropy's
# migrations cross sites)
imgs=""
for c in 0 1 2 3 4; do imgs="$imgs --set vms.class.$c.image=10GiB"; done
for store in local shared; do
  check "$lucsim" run "$exp" --set scheduler=entropy --set scheduler.locality=off --set duration=1200 --set output.trace=none $imgs \
    --set migration.image_store=$store -q -o img-$store > /dev/null 2>&1
done
check "$lucsim" run "$exp" --set scheduler=entropy --set scheduler.locality=off --set duration=1200 --set output.trace=none -q -o img-none > /dev/null 2>&1
check test "$(col img-local/summary.csv intersite_migrations)" -gt 0
check test "$(col img-local/summary.csv intersite_image_bytes)" = "$(($(col img-local/summary.csv intersite_migrations) * 10737418240))"
check awk -v a="$(col img-local/summary.csv intersite_mean_migration_s)" -v b="$(col img-none/summary.csv intersite_mean_migration_s)" \
  'BEGIN {exit !(a > b + 10737418240 / 125e6)}'
check grep -q 'image="10GiB"' img-local/experiment.xml
check test "$(col img-shared/summary.csv intersite_image_bytes)" -eq 0
check cmp -s img-shared/migrations.csv img-none/migrations.csv
check test "$(col img-none/summary.csv intersite_image_bytes)" -eq 0

# the trace's hierarchy: root > 4 SITE > their 32 PMs (pm-i in site-(i / 32)) and service nodes
# (round robin: 2 in site 0, 1 in each other site)
check "$lucsim" run "$exp" --set scheduler=dvms --set duration=600 -q -o traced > /dev/null 2>&1
check pj_dump -l 9 traced/trace.paje > traced.dump
awk -F', ' '$1 == "Container" {print $2 " " $3 " " $7}' traced.dump > containers.txt
check test "$(grep -c '^lucsim SITE site-[0-3]$' containers.txt)" -eq 4
check test "$(awk '$2 == "PM" {split($3, n, "-"); if ($1 != "site-" int(n[2] / 32)) bad++; c++}
  END {print c + 0, bad + 0}' containers.txt)" = "128 0"
check test "$(grep -c '^site-0 SERVICE ' containers.txt)" -eq 2
check test "$(grep -c '^site-[1-3] SERVICE ' containers.txt)" -eq 3
check test "$(grep -c ' PM ' containers.txt)" -eq 128
check test "$(grep -c '^Link, lucsim, MIGRATION' traced.dump)" -eq "$(($(wc -l < traced/migrations.csv) - 1))"
python3 "$2/scripts/paje-violations" --trace traced/trace.paje > from_trace.csv
check test "$(($(wc -l < from_trace.csv) - 1))" -eq 128
check same "$(awk -F, 'NR > 1 {s += $2} END {printf "%.6f", s}' from_trace.csv)" "$(col traced/summary.csv violation_s)"
# drawn site sizes, through real runs (scheduler none)
zipf=(--set platform.site_sizes=zipf --set scheduler=none --set output.trace=none)
check "$lucsim" run "$exp" "${zipf[@]}" -o zipf1 --quiet
check "$lucsim" run "$exp" "${zipf[@]}" -o zipf2 --quiet
check "$lucsim" run "$exp" "${zipf[@]}" --seed 24 -o zipf3 --quiet
check "$lucsim" run zipf1/experiment.xml -o zipf4 --quiet
check test "$(awk -F, 'NR > 1 {s += $2} END {print s}' zipf1/sites.csv)" -eq 128
check test "$(cut -d, -f2 zipf1/sites.csv | sed 1d | sort -u | wc -l)" -eq 4 # Zipf 1: 60, 31, 21, 16
check cmp -s zipf1/sites.csv zipf2/sites.csv
check cmp -s zipf1/sites.csv zipf4/sites.csv
check test "$(cut -d, -f2 zipf1/sites.csv)" != "$(cut -d, -f2 zipf3/sites.csv)"
check grep -q 'site_sizes="zipf"' zipf1/experiment.xml
finish
