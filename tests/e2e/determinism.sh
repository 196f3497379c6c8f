#!/usr/bin/env bash
# Same experiment + same seed = byte-identical results folder; another seed gives other results.
# usage: determinism.sh LUCSIM_BINARY SOURCE_DIR [extra lucsim run arguments]
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
shift 2

run() { "$lucsim" run "$src/workloads/quickstart.xml" --log=root.thres:critical -o "$work/out" "$@" >/dev/null; }

check run --seed 7 "$@"
mv "$work/out" "$work/first"
check run --seed 7 "$@"
mv "$work/out" "$work/second"
check run --seed 8 "$@"
mv "$work/out" "$work/other"

for f in "$work"/first/*; do
  name=$(basename "$f")
  check cmp -s "$f" "$work/second/$name"
done
check test "$(ls "$work/first" | wc -l)" -ge 5
check test "$(ls "$work/first")" = "$(ls "$work/second")"
# what produced it: the version, and the commit when built from a git checkout (wall_s empty unless asked)
check test "$(col "$work/first/summary.csv" lucsim_version)" = "$("$lucsim" --version | cut -d' ' -f2)"
if git -C "$src" rev-parse --short=12 HEAD > "$work/head" 2>/dev/null; then
  commit=$(col "$work/first/summary.csv" lucsim_commit)
  check test "${commit%-dirty}" = "$(cat "$work/head")"
fi
check test -z "$(col "$work/first/summary.csv" wall_s)"
# another seed: other load events, so load.csv differs
check bash -c "! cmp -s '$work/first/load.csv' '$work/other/load.csv'"
finish
