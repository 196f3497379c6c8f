#!/usr/bin/env bash
# The shared e2e helper (tests/e2e/lib.bash) itself, in scripts run as child processes: a failed
# check makes finish exit 1 and is named on stderr, passing checks exit 0, the counts line is exact,
# col reads a column by name, and the temporary folder is removed on exit after e2e_at_exit.
# Its own verdict does not go through lib.bash (every other e2e script relies on it).
# usage: lib_selftest.sh [LUCSIM_BINARY SOURCE_DIR] (unused)
set -uo pipefail
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.bash
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lucsim-libtest-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
expect() { # expect WHAT CONDITION...: counts a failed condition
  local what=$1
  shift
  if ! "$@"; then
    bad=$((bad + 1))
    echo "FAILED: $what" >&2
  fi
}
# runs BODY (bash text) after sourcing lib.bash; sets rc, out, err; the script writes $work to $tmp/work
run_script() {
  printf '. %q || exit 1\necho "$work" > %q\n%s\n' "$lib" "$tmp/work" "$1" > "$tmp/script.sh"
  bash "$tmp/script.sh" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

run_script 'check true; check false; check test 1 -eq 1; finish; echo unreachable'
expect "a failed check: exit 1, got $rc" test "$rc" -eq 1
expect "a failed check: counts line, got '$out'" test "$out" = "2 passed, 1 failed"
expect "a failed check is named, got '$err'" test "$err" = "FAILED: false"
expect "the work folder was created" test -n "$(cat "$tmp/work")"
expect "the work folder is removed on exit" test ! -e "$(cat "$tmp/work")"

run_script 'check true; check test -d "$work"; finish'
expect "passing checks: exit 0, got $rc" test "$rc" -eq 0
expect "passing checks: counts line, got '$out'" test "$out" = "2 passed, 0 failed"
expect "passing checks: nothing on stderr" test -z "$err"

run_script 'printf "a,b,c\n1,two,3\n" > "$work/s.csv"; check test "$(col "$work/s.csv" b)" = two
check test "$(col "$work/s.csv" c)" = 3; finish'
expect "col: exit 0, got $rc ($err)" test "$rc" -eq 0
expect "col: counts line, got '$out'" test "$out" = "2 passed, 0 failed"

# e2e_at_exit runs on exit, before the folder is removed (it can still see it)
run_script "e2e_at_exit() { test -d \"\$work\" && echo cleaned > $(printf %q "$tmp/hook"); }; finish"
expect "e2e_at_exit: exit 0, got $rc" test "$rc" -eq 0
expect "e2e_at_exit ran while the folder existed" test "$(cat "$tmp/hook" 2>/dev/null)" = cleaned
expect "the work folder is removed after e2e_at_exit" test ! -e "$(cat "$tmp/work")"

# set -u comes with the helper: an unset variable stops the script (non-zero) before finish
run_script 'check true; echo "$no_such_variable"; finish'
expect "set -u: non-zero exit, got $rc" test "$rc" -ne 0
expect "set -u: finish never ran, got '$out'" test -z "$out"

echo "lib.bash: $bad failed conditions"
[ "$bad" -eq 0 ]
