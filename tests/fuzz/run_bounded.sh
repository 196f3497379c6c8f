#!/usr/bin/env bash
# One bounded, reproducible fuzz run for ctest (tests/fuzz/fuzz.cmake) and scripts/fuzz: runs the
# libFuzzer harness HARNESS (experiment or set) for SECONDS with -seed=1 from a fresh corpus seeded
# with the shipped inputs, and fails on any finding, whose input is kept in OUT/findings/.
# Usage: run_bounded.sh HARNESS_BINARY experiment|set SOURCE_DIR SECONDS [OUT] [extra libFuzzer options]
# OUT defaults to ./fuzz-bounded/NAME, emptied first. Prints libFuzzer's final statistics.
set -u

if [ $# -lt 4 ]; then
  echo "usage: $0 HARNESS_BINARY experiment|set SOURCE_DIR SECONDS [OUT] [libFuzzer options]" >&2
  exit 2
fi
harness=$1
name=$2
src=$3
seconds=$4
out=${5:-$PWD/fuzz-bounded/$name}
shift $(($# < 5 ? $# : 5))

rm -rf "$out"
mkdir -p "$out/corpus" "$out/seeds" "$out/findings"
"$src/tests/fuzz/seeds.sh" "$name" "$src" "$out/seeds" || exit 1

"$harness" -seed=1 -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -max_len=16384 \
  -dict="$src/tests/fuzz/$name.dict" -artifact_prefix="$out/findings/" -print_final_stats=1 "$@" \
  "$out/corpus" "$out/seeds" > "$out/log" 2>&1
code=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$out/log"
echo "corpus: $(find "$out/corpus" -type f | wc -l) inputs"
if [ "$code" -ne 0 ] || [ -n "$(ls -A "$out/findings")" ]; then
  echo "FINDING (libFuzzer exit code $code): input kept in $out/findings/"
  grep -E '^(finding|==[0-9]+==ERROR|SUMMARY)' "$out/log" | head -5
  tail -n 40 "$out/log"
  exit 1
fi
