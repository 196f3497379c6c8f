#!/usr/bin/env bash
# Loads replayed from a trace (injector.kind=trace) through real runs: a synthetic PlanetLab-format
# folder made by scripts/trace-fixtures drives the loads exactly as its files say (load.csv's
# load_pct at every 10 s sample equals 100 x the sum over VMs of their file's sample, mapped by
# load_trace.csv, over the PMs' capacity); the same samples as a CSV file give byte-identical
# results; reruns are byte-identical, another seed maps the files otherwise; Entropy runs on it
# under --check; a RAM column sets the bytes migrations copy; a looped, linearly interpolated, randomly started trace runs too; two files in the
# Bitbrains layout convert (scripts/bitbrains-to-csv) into a CSV trace a run replays, with --ram
# their memory use too. Bad traces:
# tests/e2e/bad/load_trace_*, and the unit suite load_trace.
# usage: load_trace.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
cd "$work"

check "$src/scripts/trace-fixtures" planetlab pl -n 24 --samples 5 --seed 3 2> /dev/null
check "$src/scripts/trace-fixtures" csv same.csv -n 24 --samples 5 --seed 3 --interval 301 2> /dev/null
# 8 PMs of 700 %, 64 VMs, 1200 s; samples every 301 s so that no change falls on a 10 s sample
run=(run "$src/workloads/quickstart.xml" --set platform.pms=8 --set vms.count=64 --set duration=1200s
  --set injector.kind=trace --set injector.trace.interval=301s --set output.trace=none --log=root.thres:critical)
check "$lucsim" "${run[@]}" --set injector.trace.path=pl -o pl-run > /dev/null
check test "$(($(wc -l < pl-run/load_trace.csv) - 1))" -eq 64
check python3 - pl pl-run <<'PY'
import csv, sys
folder, run = sys.argv[1], sys.argv[2]
series = {}
mapping = list(csv.DictReader(open(f"{run}/load_trace.csv")))
for m in mapping:
    if m["trace"] not in series:
        series[m["trace"]] = [int(x) for x in open(f"{folder}/{m['trace']}").read().split()]
used = {m["trace"] for m in mapping}
ok = len(used) == 24  # every traced VM used before one is reused (64 VMs over 24 files)
checked = 0
for row in csv.DictReader(open(f"{run}/load.csv")):
    t = float(row["time_s"])
    if t == 0:
        continue
    k = lambda s: min(int(t // 301), len(s) - 1)  # step; the last sample held
    want = 100 * sum(series[m["trace"]][k(series[m["trace"]])] for m in mapping) / (8 * 700)
    ok &= abs(float(row["load_pct"]) - want) < 1e-4
    checked += 1
sys.exit(0 if ok and checked == 120 else 1)
PY
check "$lucsim" "${run[@]}" --set injector.trace.path=same.csv -o csv-run > /dev/null
for f in pl-run/*.csv; do
  [ "$(basename "$f")" = summary.csv ] || check cmp -s "$f" "csv-run/$(basename "$f")"
done
check cmp -s <(cut -d, -f1,3- pl-run/summary.csv) <(cut -d, -f1,3- csv-run/summary.csv)
check "$lucsim" "${run[@]}" --set injector.trace.path=pl -o pl-again > /dev/null
for f in pl-run/*; do # experiment.xml names the results folder
  [ "$(basename "$f")" = experiment.xml ] || check cmp -s "$f" "pl-again/$(basename "$f")"
done
check "$lucsim" "${run[@]}" --set injector.trace.path=pl --seed 2 -o pl-seed2 > /dev/null
check bash -c "! cmp -s pl-run/load_trace.csv pl-seed2/load_trace.csv"
# a scheduler on the replayed loads, its bookkeeping checked at every event
check "$lucsim" "${run[@]}" --set injector.trace.path=pl --set scheduler=entropy --check -o entropy > /dev/null
check test "$(col entropy/summary.csv load_events)" -gt 64
# looped, linear, random starts: 1200 s of a 5-sample trace (1505 s long) held then looped
check "$lucsim" "${run[@]}" --set injector.trace.path=pl --set injector.trace.loop=true \
  --set injector.trace.interpolation=linear --set injector.trace.start=random --set duration=3600s -o looped > /dev/null
check test "$(col looped/summary.csv load_events)" -gt "$(col pl-run/summary.csv load_events)"
check grep -q '<injector kind="trace">' looped/experiment.xml
check grep -q '<trace path="[^"]*/pl" interval="301s" interpolation="linear" loop="true" start="random"/>' \
  looped/experiment.xml

# RAM in use (ram_pct column): 100 % gives the same migrations as no column; 25 % makes the first
# migration (the same VM, the same time) copy a quarter of the bytes, in less time
python3 - <<'PY'
import random
r = random.Random(1)
rows = [(v, k * 301, r.choice([5, 95])) for v in range(24) for k in range(5)]
for name, ram in (("hot.csv", None), ("hot100.csv", 100), ("hot25.csv", 25)):
    with open(name, "w") as f:
        f.write("vm,time_s,cpu_pct" + (",ram_pct" if ram else "") + "\n")
        f.writelines(f"v{v},{t},{c}" + (f",{ram}" if ram else "") + "\n" for v, t, c in rows)
PY
dense=(run "$src/workloads/energy-dense.xml" --set duration=1200s --set injector.kind=trace --set scheduler=entropy
  --set injector.trace.interval=301s --set output.trace=none --log=root.thres:critical)
for t in hot hot100 hot25; do
  check "$lucsim" "${dense[@]}" --set injector.trace.path=$t.csv -o ram-$t > /dev/null
done
check test "$(wc -l < ram-hot/migrations.csv)" -gt 10
check cmp -s ram-hot/migrations.csv ram-hot100/migrations.csv
check python3 - ram-hot/migrations.csv ram-hot25/migrations.csv <<'PY'
import csv, sys
full, quarter = (next(csv.DictReader(open(p))) for p in sys.argv[1:])
same = (full["vm"], full["start_s"]) == (quarter["vm"], quarter["start_s"])
ratio = float(quarter["bytes"]) / float(full["bytes"])
sys.exit(0 if same and 0.2499 < ratio < 0.2501 and float(quarter["duration_s"]) < float(full["duration_s"]) / 3 else 1)
PY

# Bitbrains layout: ';' and a tab between fields, Unix-second timestamps under a "[ms]" header
mkdir bb
head='Timestamp [ms];	CPU cores;	CPU capacity provisioned [MHZ];	CPU usage [MHZ];	CPU usage [%];	Memory usage [KB]'
printf '%s\n1376314846;\t4;\t11703.99;\t10.4;\t12.5;\t6129274.4\n1376315146;\t4;\t11703.99;\t0;\t101.2;\t1\n' \
  "$head" > bb/1.csv
printf '%s\n1376314900;\t2;\t5851.99;\t10.4;\t40;\t1\n' "$head" > bb/2.csv
check "$src/scripts/bitbrains-to-csv" bb.csv bb 2> bb.err
check test "$(cat bb.csv)" = "$(printf 'vm,time_s,cpu_pct\n1,0.000,12.5\n1,300.000,100\n2,0.000,40')"
check grep -q "2 VMs, 3 samples in bb.csv; 1 clipped to \[0, 100\]" bb.err
check "$lucsim" "${run[@]}" --set injector.trace.path=bb.csv -o bb-run > /dev/null
check test "$(cut -d, -f2 bb-run/load_trace.csv | sort -u | tr '\n' ' ')" = "1 2 trace "
printf '%s\n1376314846;\t4;\t1;\tx;\tbusy;\t1\n' "$head" > bb/3.csv
"$src/scripts/bitbrains-to-csv" bb2.csv bb 2> bb2.err
check test $? -eq 2
check grep -q "bb/3.csv:2: expected numbers" bb2.err
check test ! -e bb2.csv
# --ram: memory usage over provisioned memory as ram_pct (clipped too); a run replays it
mkdir bbr
head='Timestamp [ms];	CPU usage [%];	Memory capacity provisioned [KB];	Memory usage [KB]'
printf '%s\n1376314846;\t12.5;\t4000;\t1000\n1376315146;\t50;\t4000;\t5000\n' "$head" > bbr/7.csv
check "$src/scripts/bitbrains-to-csv" --ram bbr.csv bbr 2> bbr.err
check test "$(cat bbr.csv)" = "$(printf 'vm,time_s,cpu_pct,ram_pct\n7,0.000,12.5,25\n7,300.000,50,100')"
check grep -q "1 VMs, 2 samples in bbr.csv; 1 clipped" bbr.err
check "$lucsim" "${run[@]}" --set injector.trace.path=bbr.csv -o bbr-run > /dev/null
"$src/scripts/bitbrains-to-csv" --ram bbr2.csv bb 2> bbr2.err # no memory columns
check test $? -eq 2
check grep -q "bb/1.csv:1: --ram needs" bbr2.err
"$src/scripts/bitbrains-to-csv" bb.csv bb/1.csv 2> bb3.err # never overwrites
check test $? -eq 2
finish
