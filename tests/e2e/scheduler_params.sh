#!/usr/bin/env bash
# `lucsim schedulers NAME`: each built-in scheduler's parameters, as its init reads them on the
# quickstart experiment, with type, default, accepted values and a meaning for every one (none
# undocumented); the shared solver, plan and heartbeat keys appear under every scheduler that reads
# them; every key listed is in the scheduler's documentation (docs/WRITING-A-SCHEDULER.md for
# Entropy, docs/SNOOZE.md, docs/DVMS.md), and the documented defaults are what the command prints
# for a few; a plugin's parameters too; an unknown name exits 2 with the nearest known one.
# usage: scheduler_params.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"

declare -A doc=([entropy]=docs/WRITING-A-SCHEDULER.md [snooze]=docs/SNOOZE.md [dvms]=docs/DVMS.md)
for s in none entropy snooze dvms; do
  check "$lucsim" schedulers $s > $s.md
  check grep -q "^scheduler $s: " $s.md
  check test "$(grep -c '(undocumented)' $s.md)" -eq 0
  [ $s = none ] && continue
  for k in objective placement locality max_migrations_per_pm heartbeat_period heartbeat_timeout headroom; do
    check grep -q "^| $k | " $s.md
  done
  for k in $(awk -F' [|] ' '/^\| [a-z_]+ \| [a-z]+ \|/ && !/^\| parameter / {print substr($1, 3)}' $s.md); do
    check grep -q "\`$k\`" "$src/${doc[$s]}"
  done
done
check grep -q '^| (none) |' none.md
check grep -q '^| period | time | 30s | \[0.001s, 1e+09s\] | ' entropy.md
check grep -q '^| overlay | enum | ring | ring, locality | ' dvms.md
check grep -q '^| pms_per_gm | number | 32 | ' snooze.md
check grep -q '^| heartbeat_period | time | 3s | ' snooze.md
check grep -q '^| site | | | | ' entropy.md # read only with several sites: listed from its documentation

# a plugin (the example of docs/WRITING-A-SCHEDULER.md, built next to the binary)
plugin=$(dirname "$lucsim")/least_loaded.so
check "$lucsim" schedulers least-loaded "$plugin" > ll.md
check grep -q '^| helpers | number | 2 | \[1, 64\] | ' ll.md
check test "$(grep -c '(undocumented)' ll.md)" -eq 0

# unknown names
"$lucsim" schedulers entrpy > out 2> err
check test $? -eq 2
check test "$(cat err)" = "scheduler: 'entrpy' is not a registered scheduler; did you mean 'entropy'? (lucsim schedulers lists them)"
check test ! -s out
"$lucsim" schedulers entropy dvms > out 2> err
check test $? -eq 2
finish
