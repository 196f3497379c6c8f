#!/usr/bin/env bash
# Copies the seed corpus of one fuzz harness into OUT_DIR: for `experiment`, the shipped workloads,
# every bad input of tests/e2e/bad/ and tests/fuzz/seeds/experiment/ (including the regression inputs
# of past findings); for `set`, tests/fuzz/seeds/set/ plus the --set lines of tests/e2e/bad/*.args.
# Usage: seeds.sh experiment|set SOURCE_DIR OUT_DIR
set -eu
name=$1
src=$2
out=$3
mkdir -p "$out"
case "$name" in
  experiment)
    cp "$src"/workloads/*.xml "$src"/tests/e2e/bad/*.xml "$src"/tests/fuzz/seeds/experiment/* "$out"/ ;;
  set)
    cp "$src"/tests/fuzz/seeds/set/* "$out"/
    for args in "$src"/tests/e2e/bad/*.args; do
      # "--set A=B --set C=D" -> an empty first line (the defaults), then one assignment per line
      { echo; sed -e 's/ *--set */\n/g' "$args" | sed -e '/^$/d'; } > "$out/args_$(basename "$args" .args).txt"
    done ;;
  *)
    echo "seeds.sh: unknown harness '$name' (experiment or set)" >&2
    exit 2 ;;
esac
