#!/usr/bin/env bash
# `lucsim platform` prints the generated platform of an experiment: loaded back as platform.kind=file
# it gives the same PMs and byte-identical results (violations, migrations, load, rounds), for a
# 4-site LUC platform (and the same sites) and for a single cluster; kind=file is refused with one
# line (exit 2). Also: a multi-site run repeats byte for byte.
# usage: platform_command.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
exp="$2/workloads/vmplaces-128.xml"
cd "$work"
common=(--set scheduler=entropy --set duration=600 --set output.trace=none -q)

same_results() { # same_results DIR_A DIR_B
  local f
  for f in violations.csv migrations.csv load.csv reconfigurations.csv; do
    cmp -s "$1/$f" "$2/$f" || { echo "$f differs between $1 and $2" >&2; return 1; }
  done
  [ "$(col "$1/summary.csv" pms)" == "$(col "$2/summary.csv" pms)" ]
}

# LUC: 4 sites on a ring
luc=(--set platform.kind=luc --set platform.sites=4 --set platform.topology=ring)
check "$lucsim" platform "$exp" "${luc[@]}" "${common[@]}" > luc.xml
check grep -q 'lucsim_role' luc.xml
check "$lucsim" run "$exp" "${luc[@]}" "${common[@]}" -o luc-gen > /dev/null 2>&1
as_file_experiment "$exp" luc.xml > luc-exp.xml # kind=file refuses the fields the file decides
check "$lucsim" run luc-exp.xml "${common[@]}" -o luc-file > /dev/null 2>&1
check same_results luc-gen luc-file
# a relative platform.file given by --set is relative to the current folder, not the experiment's
as_file_experiment "$exp" no-such-file.xml > elsewhere.xml
check "$lucsim" run elsewhere.xml "${common[@]}" --set duration=10 --set platform.file=luc.xml -o luc-relative \
  > /dev/null 2>&1
check test "$(col luc-gen/summary.csv sites)" -eq 4
check test "$(col luc-file/summary.csv sites)" -eq 4 # the host properties site of the printed platform
check cmp -s luc-gen/sites.csv luc-file/sites.csv

# a single cluster without service nodes (a <cluster> cannot tag them: see docs/PLATFORMS.md), so
# with DVMS, whose agents run on the PMs
cl=(--set platform.service_nodes=0 --set scheduler=dvms)
check "$lucsim" platform "$exp" "${common[@]}" "${cl[@]}" > cluster.xml
check "$lucsim" run "$exp" "${common[@]}" "${cl[@]}" -o cl-gen > /dev/null 2>&1
as_file_experiment "$exp" cluster.xml > cl-exp.xml
check "$lucsim" run cl-exp.xml "${common[@]}" --set scheduler=dvms -o cl-file > /dev/null 2>&1
check same_results cl-gen cl-file

# kind=file: nothing generated, one line, exit 2
"$lucsim" platform cl-exp.xml > out.txt 2> err.txt
check test $? -eq 2
check test ! -s out.txt
check test "$(wc -l < err.txt)" -eq 1
check grep -q "platform.kind: file: the platform is already the SimGrid file" err.txt

# determinism of a multi-site run
check "$lucsim" run "$exp" "${luc[@]}" "${common[@]}" -o luc-again > /dev/null 2>&1
for f in violations.csv migrations.csv load.csv reconfigurations.csv summary.csv sites.csv; do
  check cmp -s luc-gen/$f luc-again/$f
done
finish
