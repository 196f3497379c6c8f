# Shared pieces of the e2e scripts (tests/e2e/*.sh), sourced by each one right after its header:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
# Not named *.sh: ctest runs every *.sh of this folder as a test (tests/tests.cmake).
# It gives the script:
#   set -uo pipefail
#   $work        a new temporary folder, removed on exit (after e2e_at_exit, which a script may
#                redefine to clean up more, e.g. kill the runs it left in the background)
#   check CMD... runs CMD and counts it passed or failed (a failure is named on stderr)
#   col FILE NAME  prints column NAME of the data row of a one-row CSV (summary.csv)
#   as_file_experiment EXPERIMENT PLATFORM  prints EXPERIMENT with platform.kind=file and
#                platform.file=PLATFORM, without the <platform> attributes a platform file decides
#                (pms, cores, links, LUC fields: refused with kind=file, docs/PLATFORMS.md)
#   under_sanitizers  true in the ASan/UBSan suite (scripts/test sets LUCSIM_TEST_CONTEXTS=thread):
#                scripts skip their determinism reruns there, which the normal suite checks
#   finish       prints "N passed, N failed" and exits: 0 when nothing failed, else 1
# $pass and $fail are the counters; a script with its own kind of check may count into them.
set -uo pipefail

work=$(mktemp -d "${TMPDIR:-/tmp}/lucsim-e2e-XXXXXX") || exit 1
pass=0
fail=0

e2e_at_exit() { :; }
trap 'e2e_at_exit; rm -rf "$work"' EXIT

under_sanitizers() { [ "${LUCSIM_TEST_CONTEXTS:-}" = thread ]; }

check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $*" >&2; fi; }

strip_wall() { # strip_wall SUMMARY.csv: the file with its wall_s column emptied (wall-clock seconds)
  awk -F, -v OFS=, 'NR==1{for(i=1;i<=NF;i++) if($i=="wall_s") c=i} c{$c=""} {print}' "$1"
}

same_result_file() { # same_result_file A B: byte-identical, summary.csv's wall_s (output.wall_time) aside
  if [ "$(basename "$1")" = summary.csv ]; then
    cmp -s <(strip_wall "$1") <(strip_wall "$2")
  else
    cmp -s "$1" "$2"
  fi
}

col() { # col FILE NAME: value of column NAME in the data row of a one-row CSV
  awk -F, -v n="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==n) c=i} NR==2{print $c}' "$1"
}

as_file_experiment() { # as_file_experiment EXPERIMENT PLATFORM
  PLATFORM="$2" perl -0pe 's{<platform\b([^>]*?)/>}{my $a = $1;
    $a =~ s/\s+(?:kind|file|pms|service_nodes|cores|core_speed|bandwidth|latency|backbone|backbone_bandwidth|sites|topology|wan_bandwidth|wan_latency|backbone_file|site_pms)="[^"]*"//g;
    "<platform kind=\"file\" file=\"$ENV{PLATFORM}\"$a/>"}se' "$1"
}

finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ] && exit 0
  exit 1
}
