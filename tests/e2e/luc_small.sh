#!/usr/bin/env bash
# The shipped multi-site experiment workloads/luc-small.xml (4 sites, 128 PMs, ring) runs with every
# built-in scheduler; sites.csv has the 4 sites, whose PMs, VMs, violation time and migrations add up
# to summary.csv, and the inter-site columns agree with it. Entropy (global scope) is locality-blind:
# some of its migrations cross sites; Snooze's groups are per site by default: none do. The platform `lucsim platform` prints for it, loaded
# back with platform.kind=file, has the same sites (host properties site): the same sites.csv.
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
check test "$(col entropy/summary.csv intersite_migrations)" -gt 0
check test "$(col snooze/summary.csv intersite_migrations)" -eq 0 # per-site groups (luc_sites.sh)

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
finish
