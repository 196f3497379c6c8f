#!/usr/bin/env bash
# The traces load in ViTE, as a user opens them (docs/TRACE.md): ViTE, headless (Qt's offscreen
# platform), exports the trace of a run of every built-in scheduler, one with PM crashes and one on
# a multi-site platform to SVG, and reports 0 errors and 0 warnings, and no complaint about a type;
# the SVG is not empty. ViTE is
# installed by scripts/install-deps; without it the script fails, naming it.
# usage: trace_vite.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$(realpath "$1")
src=$2
cd "$work"
if ! command -v vite > /dev/null; then
  echo "trace_vite: ViTE is not installed (scripts/install-deps installs it: package vite)" >&2
  exit 1
fi
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$work"
quiet=(--quiet --log=root.thres:critical --set duration=300s --set output.trace=full)
for s in none entropy snooze dvms; do
  check "$lucsim" run "$src/workloads/quickstart.xml" --set scheduler=$s "${quiet[@]}" -o $s > /dev/null
done
check "$lucsim" run "$src/workloads/quickstart.xml" --set scheduler=entropy --set injector.faults.mtbf=600s "${quiet[@]}" \
  -o crashes > /dev/null
check "$lucsim" run "$src/workloads/luc-small.xml" --set scheduler=dvms "${quiet[@]}" -o luc > /dev/null
for r in none entropy snooze dvms crashes luc; do
  (cd $r && timeout 300 vite trace.paje -e trace.svg > vite.out 2>&1)
  check grep -q "0 errors and 0 warnings were found during parsing" $r/vite.out || cat $r/vite.out >&2
  check test -s $r/trace.svg
  check test ! -e $r/log.txt                          # ViTE writes its errors and warnings there
  check test "$(grep -c 'instead of' $r/vite.out)" -eq 0 # e.g. an entity value on a link type
done
finish
