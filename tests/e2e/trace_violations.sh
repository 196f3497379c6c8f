#!/usr/bin/env bash
# The Paje trace of a real run, read by pj_dump (a reader nobody here wrote), gives every PM the same
# violation and violation-out seconds as violations.csv, to 1e-6 s; states mode has no variables.
# usage: trace_violations.sh LUCSIM_BINARY SOURCE_DIR [extra lucsim run arguments]
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
shift 2

check "$lucsim" run "$src/workloads/quickstart.xml" --quiet --log=root.thres:critical -o "$work/full" \
  --set duration=1800 --set injector.load.mean=70 "$@"
check test -s "$work/full/trace.paje"
python3 "$src/scripts/paje-violations" --trace "$work/full/trace.paje" > "$work/from_trace.csv"
check test $? -eq 0
check python3 - "$work/full/violations.csv" "$work/from_trace.csv" <<'PY'
import csv, sys
expected = {}
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        e = expected.setdefault(int(row["pm"]), [0.0, 0.0])
        e[0 if row["kind"] == "violation" else 1] += float(row["duration_s"])
got = {}
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        got[int(row["pm"])] = [float(row["violation_s"]), float(row["violation_out_s"])]
assert expected, "the run has no violation at all: the check would be empty"
worst = 0.0
for pm in set(expected) | set(got):
    e = expected.get(pm, [0.0, 0.0])
    g = got.get(pm, [0.0, 0.0])
    worst = max(worst, abs(e[0] - g[0]), abs(e[1] - g[1]))
print(f"{len(expected)} PMs with violations, worst difference {worst:.3g} s")
sys.exit(0 if worst <= 1e-6 else 1)
PY
check "$lucsim" run "$src/workloads/quickstart.xml" --quiet --log=root.thres:critical -o "$work/states" \
  --set output.trace=states "$@"
check test "$(pj_dump -l 9 "$work/full/trace.paje" | grep -c '^Variable')" -gt 0
check test "$(pj_dump -l 9 "$work/states/trace.paje" | grep -c '^Variable')" -eq 0
check test "$(pj_dump -l 9 "$work/states/trace.paje" | grep -c '^State')" -gt 0
check "$lucsim" run "$src/workloads/quickstart.xml" --quiet --log=root.thres:critical -o "$work/none" \
  --set output.trace=none "$@"
check test ! -e "$work/none/trace.paje"
finish
