#!/usr/bin/env bash
# scripts/sweep on a tiny product (2 experiments x every registered scheduler x 2 load means x
# 2 seeds, 300 s each): every run gets its folder, the concatenated CSV has one header and one row
# per run; a second invocation runs nothing; a deleted run is listed by --dry-run and redone on
# resume; --slurm writes an array script whose task really runs; a failed run is reported with its
# log; bad options are refused.
# usage: sweep.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
sweep=$src/scripts/sweep

cd "$work"
for pms in 8 16; do
  cat > "tiny$pms.xml" <<EOF
<experiment name="tiny$pms" seed="1" duration="300s">
  <platform pms="$pms"/>
  <vms count="$((pms * 10))"/>
  <output trace="none"/>
</experiment>
EOF
done
nsched=$("$lucsim" schedulers | wc -l)
check test "$nsched" -ge 1
runs=$((2 * nsched * 2 * 2))
args=(tiny8.xml tiny16.xml --lucsim "$lucsim" --out sw --seeds 1-2 --set injector.load.mean=55,65 -j 2)

"$sweep" "${args[@]}" 2>sweep1.err
check test $? -eq 0
check grep -q "sweep: $runs runs, 0 finished, $runs to run" sweep1.err
check test "$(find sw -name summary.csv | wc -l)" -eq "$runs"
check test "$(wc -l < sw/sweep-summary.csv)" -eq $((runs + 1))
check test -d "sw/tiny8-none-s2-injector.load.mean=65"
check python3 - sw/sweep-summary.csv "$runs" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n = int(sys.argv[2])
ok = len(rows) == n
ok &= len({r["run"] for r in rows}) == n                              # one row per run folder
ok &= {r["experiment"] for r in rows} == {"tiny8", "tiny16"}
ok &= all(int(r["pms"]) * 10 == int(r["vms"]) and r["experiment"] == f"tiny{r['pms']}" for r in rows)
ok &= {r["seed"] for r in rows} == {"1", "2"}
ok &= {r["injector.load.mean"] for r in rows} == {"55", "65"}        # the --set column
ok &= all(r["run"] == f"{r['experiment']}-{r['scheduler']}-s{r['seed']}-injector.load.mean={r['injector.load.mean']}"
          for r in rows)
# the load mean reached lucsim: at 65 % the baseline violates more than at 55 %
v = {m: sum(float(r["violation_s"]) for r in rows if r["scheduler"] == "none" and r["injector.load.mean"] == m)
     for m in ("55", "65")}
ok &= v["65"] > v["55"]
sys.exit(0 if ok else 1)
PY

# a second invocation runs nothing: same summaries, untouched
before=$(find sw -name summary.csv -exec stat -c '%n %Y %s' {} + | sort)
"$sweep" "${args[@]}" 2>sweep2.err
check test $? -eq 0
check grep -q "sweep: $runs runs, $runs finished, 0 to run" sweep2.err
check test "$(find sw -name summary.csv -exec stat -c '%n %Y %s' {} + | sort)" = "$before"
check test "$(wc -l < sw/sweep-summary.csv)" -eq $((runs + 1))

# resume: a run that is gone is the only command of --dry-run, which runs nothing; then it is redone
rm -rf "sw/tiny16-none-s1-injector.load.mean=55"
"$sweep" "${args[@]}" --dry-run >dry.out 2>dry.err
check test $? -eq 0
check test "$(wc -l < dry.out)" -eq 1
check grep -q -- "--set scheduler=none --seed 1 --set output.wall_time=true --set injector.load.mean=55 -o $work/sw/tiny16-none-s1-injector.load.mean=55 " dry.out
check test ! -e "sw/tiny16-none-s1-injector.load.mean=55"
"$sweep" "${args[@]}" 2>sweep3.err
check test $? -eq 0
check grep -q "$((runs - 1)) finished, 1 to run" sweep3.err
check test -s "sw/tiny16-none-s1-injector.load.mean=55/summary.csv"
check test "$(wc -l < sw/sweep-summary.csv)" -eq $((runs + 1))
# what produced each row: lucsim's version, and the wall time of every run (output.wall_time)
check python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if rows and all(r["lucsim_version"] and float(r["wall_s"]) >= 0 for r in rows) else 1)' sw/sweep-summary.csv

# --slurm: seed 3 is new; one array task per unfinished run, and a task really runs its run
"$sweep" "${args[@]/1-2/1-3}" --slurm --slurm-opt=--time=00:05:00 >slurm.out 2>slurm.err
check test $? -eq 0
new=$((runs / 2))
check test "$(cat slurm.out)" = "$work/sw/sweep.slurm"
check grep -qx "#SBATCH --array=1-$new%2" sw/sweep.slurm
check grep -qx "#SBATCH --time=00:05:00" sw/sweep.slurm
check test "$(wc -l < sw/sweep.jobs)" -eq "$new"
check bash -n sw/sweep.slurm
check test "$(find sw -name summary.csv | wc -l)" -eq "$runs" # nothing ran
task=$(grep -n -- "-o $work/sw/tiny8-none-s3-injector.load.mean=65 " sw/sweep.jobs | cut -d: -f1)
check test -n "$task"
SLURM_ARRAY_TASK_ID=$task bash sw/sweep.slurm
check test -s "sw/tiny8-none-s3-injector.load.mean=65/summary.csv"

# a run that fails (its VMs do not fit) is reported with its log, and the sweep exits 1
cat > toobig.xml <<'EOF'
<experiment name="toobig" duration="60s"><platform pms="2"/><vms count="100"/><output trace="none"/></experiment>
EOF
"$sweep" toobig.xml --lucsim "$lucsim" --out failed --schedulers none 2>failed.err
check test $? -eq 1
check grep -q "unfinished: toobig-none-s1 (log: $work/failed/logs/toobig-none-s1.log)" failed.err
check grep -q "do not fit" failed/logs/toobig-none-s1.log
check test "$(wc -l < failed/sweep-summary.csv)" -eq 1

# bad options: exit 2 with a message, nothing run
"$sweep" tiny8.xml --lucsim "$lucsim" --out bad --seeds 5-1 2>bad1.err
check test $? -eq 2
check grep -q "empty range" bad1.err
"$sweep" tiny8.xml --lucsim "$lucsim" --out bad --schedulers nosuch 2>bad2.err
check test $? -eq 2
check grep -q "nosuch is not registered" bad2.err
"$sweep" nosuch.xml --lucsim "$lucsim" --out bad 2>/dev/null
check test $? -eq 2
check test ! -e bad
# a plugin (the example scheduler) beside a built-in: its runs are named after its scheduler
plugin=$(dirname "$lucsim")/least_loaded.so
check "$sweep" tiny8.xml --lucsim "$lucsim" --schedulers "none,$plugin" --seeds 1 --out plug 2>/dev/null
check test -s plug/tiny8-least-loaded-s1/summary.csv
check test "$(col plug/tiny8-least-loaded-s1/summary.csv scheduler)" = least-loaded
check test "$(wc -l < plug/sweep-summary.csv)" -eq 3
"$sweep" tiny8.xml --lucsim "$lucsim" --schedulers "$work/missing.so" --out plug2 2>bad3.err
check test $? -eq 2
check grep -q "cannot load '$work/missing.so'" bad3.err
finish
