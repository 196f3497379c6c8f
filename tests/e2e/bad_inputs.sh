#!/usr/bin/env bash
# Bad experiment files through the lucsim binary: for each tests/e2e/bad/NAME.err, runs
# `lucsim run NAME.xml [options from NAME.args] -o OUT` from that folder and checks exit code 2,
# stderr == the .err line exactly (@BAD_DIR@ in it stands for that folder's absolute path), that
# stderr is one line of valid UTF-8 without control characters, and that neither OUT nor a
# temporary OUT.* folder is left. Every input is also checked with `lucsim validate`, which must
# refuse it with the same line: validate checks what run checks. Under the sanitizer suite
# (LUCSIM_TEST_CONTEXTS=thread) only `run` is checked: it goes through the same parser, each
# sanitized start-up costs a quarter of a second, and the normal suite checks validate.
# Usage: bad_inputs.sh LUCSIM_BINARY SOURCE_DIR. Does not check good runs (other e2e scripts do).
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 LUCSIM_BINARY SOURCE_DIR" >&2
  exit 2
fi
lucsim=$(realpath "$1")
bad_dir="$2/tests/e2e/bad"
if [ ! -x "$lucsim" ]; then
  echo "bad_inputs: no lucsim binary at $1" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lucsim-bad-XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

cd "$bad_dir" || exit 1
here=$(pwd -P)
for err_file in *.err; do
  name=${err_file%.err}
  out="$work/$name.out"
  args=()
  if [ -f "$name.args" ]; then
    read -r -a args < "$name.args"
  fi
  "$lucsim" run "$name.xml" "${args[@]}" -o "$out" > "$work/stdout" 2> "$work/stderr"
  code=$?
  expected=$(cat "$err_file")
  expected=${expected//@BAD_DIR@/$here}
  actual=$(cat "$work/stderr")
  problems=()
  if [ "${LUCSIM_TEST_CONTEXTS:-}" != thread ]; then
    "$lucsim" validate "$name.xml" "${args[@]}" > /dev/null 2> "$work/validate"
    vcode=$?
    [ "$vcode" -eq 2 ] || problems+=("validate: exit code $vcode, expected 2")
    [ "$(cat "$work/validate")" == "$expected" ] || problems+=("validate: stderr differs: $(cat "$work/validate")")
  fi
  [ "$code" -eq 2 ] || problems+=("exit code $code, expected 2")
  [ "$actual" == "$expected" ] || problems+=("stderr differs")
  [ "$(wc -l < "$work/stderr")" -eq 1 ] || problems+=("stderr is not exactly one line")
  iconv -f UTF-8 -t UTF-8 "$work/stderr" > /dev/null 2>&1 || problems+=("stderr is not valid UTF-8")
  ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$work/stderr" || problems+=("stderr holds control characters")
  [ ! -e "$out" ] || problems+=("results folder $out was left")
  leftovers=$(compgen -G "$out.*")
  [ -z "$leftovers" ] || problems+=("temporary folder left: $leftovers")
  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: $(IFS=';'; echo "${problems[*]}")"
    echo "  command:  lucsim run $name.xml ${args[*]} -o OUT"
    echo "  expected: $expected"
    echo "  stderr:   $actual"
  fi
  rm -rf "$out" "$out".*
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
