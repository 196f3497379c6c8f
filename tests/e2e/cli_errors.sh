#!/usr/bin/env bash
# Bad input found after parsing (unknown scheduler, impossible initial placement, bad scheduler
# parameter, unknown option): one line on stderr, exit code 2, no results folder and no temporary one.
# usage: cli_errors.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
expect_error() { # expected-stderr-line lucsim-arguments...
  local expected=$1
  shift
  "$lucsim" "$1" -o "$work/out" "${@:2}" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  local got
  got=$(cat "$work/stderr")
  if [ $rc -eq 2 ] && [ "$got" = "$expected" ] && [ ! -e "$work/out" ] && [ -z "$(ls "$work" | grep -v -e '^stdout$' -e '^stderr$')" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAILED: lucsim $* -> rc=$rc, stderr: $got (expected: $expected)" >&2
  fi
}

expect_error "scheduler: 'frobnicate' is not a registered scheduler; expected $("$lucsim" schedulers | awk '{print $1}' | paste -sd'|' | sed 's/|/ | /g')" \
  run --set scheduler=frobnicate
expect_error "vms.count: 320 VMs do not fit on 32 PMs (VM 224 of class 'small-50' finds no PM with room for 100 load units and its RAM, at most 10 VMs per PM); expected fewer VMs or more PMs, or vms.placement=capacity to start overloaded" \
  run --set injector.load.initial=100
expect_error "scheduler.period: scheduler 'none' has no parameter 'period'" run --set scheduler.period=30
expect_error "unknown option '--frob' (see lucsim --help)" run --frob
expect_error "option --set needs a value" run --set
expect_error "scheduler.plugin: cannot load '/nonexistent.so': /nonexistent.so: cannot open shared object file: No such file or directory" \
  run --set scheduler.plugin=/nonexistent.so
# Long command-line values are refused whole, never cut (a cut --seed 000...0005 would read as 0).
long=$(printf 'a%.0s' $(seq 1100))
expect_error "output.dir: value too long (1100 bytes); at most 1023" run -o "$long"
expect_error "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a field path (1100 bytes; the fields are listed in workloads/README.md)" \
  run --set "$long=1"
expect_error "seed: $(printf '9%.0s' $(seq 60))... (1100 bytes) is out of range; expected an integer in [0, 18446744073709551615]" \
  run --seed "$(printf '9%.0s' $(seq 1100))"
finish
