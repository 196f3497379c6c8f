#!/usr/bin/env bash
# scripts/figures on real runs (3 sizes x 2 seeds x every registered scheduler, 600 s each): each
# figure it makes is a decodable PNG of the fixed size, not blank, with one line per scheduler and
# one point per (scheduler, size) whose value is the mean over seeds of the summary.csv column;
# every metric is either drawn or skipped with a note; same input, byte-identical files; timeline
# (with the scheduler's rounds); duration distributions.
# LUC figures on multi-site runs (luc-small, 3 schedulers x 2 seeds): violation time per site, share
# of inter-site migrations, the backbone on a circle or at the coordinates and edges a run gives;
# luc-france (2 schedulers): the backbone on a map from the lon,lat of sites.csv (projected with
# cos(latitude)), its 43 links from the runs' backbone.csv, labelled with the sites' names.
# usage: figures.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
py=/usr/bin/python3 # Debian's interpreter: matplotlib and pandas are Debian packages
[ -x "$py" ] || py=python3

schedulers=$("$lucsim" schedulers | awk '{print $1}')
check test -n "$schedulers"
for sched in $schedulers; do
  for pms in 8 16 32; do
    for seed in 1 2; do
      check "$lucsim" run "$src/workloads/quickstart.xml" --quiet --log=root.thres:critical \
        --set scheduler="$sched" --seed "$seed" --set platform.pms=$pms --set vms.count=$((pms * 10)) \
        --set duration=600 --set injector.load.mean=65 --set output.trace=none -o "$work/results/$sched/p$pms-s$seed" >/dev/null
    done
  done
done

"$src/scripts/figures" "$work/results" -o "$work/fig" --timeline "$work/results/none/p16-s1" 2>"$work/figures.err"
check test $? -eq 0
check grep -q "figures from $((3 * 2 * $(echo "$schedulers" | wc -w))) runs, 1 timelines" "$work/figures.err"
# every PDF embeds its fonts as TrueType, none as Type 3 (publishers refuse those)
for pdf in "$work"/fig/*.pdf; do
  check bash -c "pdffonts '$pdf' | tail -n +3 | awk '\$0 ~ /Type 3/ || \$(NF-4) != \"yes\" {bad++} END {exit bad > 0}'"
  check bash -c "pdffonts '$pdf' | grep -q TrueType"
done

check "$py" - "$work/results" "$work/fig" <<'PY'
import csv, glob, json, math, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.image as mpimg

results, fig = sys.argv[1], sys.argv[2]
rows = []
for path in sorted(glob.glob(os.path.join(results, "*", "*", "summary.csv"))):
    with open(path) as f:
        rows += list(csv.DictReader(f))
index = json.load(open(os.path.join(fig, "figures.json")))
metrics = {"violation_time": ("violation_s", None), "violation_out_time": ("violation_out_s", None),
           "computation_time": ("computation_s", None), "reconfiguration_time": ("reconfiguration_s", None),
           "migration_count": ("migrations", None), "migration_duration": ("mean_migration_s", "migrations"),
           "partition_size": ("mean_partition_pms", "reconfigurations"),
           "scheduler_downtime": ("scheduler_downtime_s", "crashes"), "ve_waiting_time": ("ve_wait_mean_s", "ves")}
problems = []
def expect(cond, what):
    if not cond:
        problems.append(what)

expect(sorted(set(index["figures"]) | set(index["skipped"])) == sorted(metrics), "every metric drawn or skipped")
expect(not set(index["figures"]) & set(index["skipped"]), "no metric both drawn and skipped")
expect("violation_time" in index["figures"] and "migration_count" in index["figures"], "core figures drawn")
for name, (column, valid) in metrics.items():
    # independent recomputation of what the figure must show: mean and sd over seeds per group
    groups = {}
    for r in rows:
        if r.get(column, "") == "" or (valid and not (r.get(valid, "") != "" and float(r[valid]) > 0)):
            continue
        groups.setdefault((r["scheduler"], int(r["pms"])), []).append(float(r[column]))
    # a scheduler that is 0 in every run is left out (none's computation time), and says so
    zero = {s for s, _ in groups if all(v == 0 for (t, _), vals in groups.items() if t == s for v in vals)}
    if groups and zero != {s for s, _ in groups}:
        expect(sorted(zero) == index["figures"].get(name, {}).get("left_out", []), f"{name}: left out {sorted(zero)}")
    groups = {k: v for k, v in groups.items() if k[0] not in zero}
    if not groups:
        expect(name in index["skipped"], f"{name}: no data, so skipped")
        expect(not os.path.exists(os.path.join(fig, name + ".png")), f"{name}: no PNG when skipped")
        continue
    expect(name in index["figures"], f"{name}: data exists, so drawn")
    for ext in ("png", "pdf", "csv"):
        expect(os.path.getsize(os.path.join(fig, f"{name}.{ext}")) > 0, f"{name}.{ext} exists")
    img = mpimg.imread(os.path.join(fig, name + ".png"))
    expect(img.shape[:2] == (1200, 1920), f"{name}.png is 1920x1200 (300 dpi), got {img.shape}")
    expect(float(img[:, :, :3].var()) > 0, f"{name}.png is not blank")
    with open(os.path.join(fig, name + ".csv")) as f:
        drawn = list(csv.DictReader(f))
    expect(len(drawn) == len(groups), f"{name}: {len(drawn)} points drawn, {len(groups)} (scheduler, size) groups")
    expect(index["figures"][name]["points"] == len(groups), f"{name}: figures.json point count")
    expect(index["figures"][name]["lines"] == len({s for s, _ in groups}), f"{name}: one line per scheduler")
    for d in drawn:
        v = groups.get((d["scheduler"], int(d["pms"])))
        if v is None:
            problems.append(f"{name}: point {d['scheduler']} {d['pms']} has no group")
            continue
        mean = sum(v) / len(v)
        sd = math.sqrt(sum((x - mean) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
        expect(int(d["runs"]) == len(v) == 2, f"{name}: two seeds per point")
        expect(abs(float(d["mean"]) - mean) <= 1e-6 * max(1.0, abs(mean)), f"{name}: mean {d['mean']} vs {mean}")
        expect(abs(float(d["std"]) - sd) <= 1e-6 * max(1.0, sd), f"{name}: sd {d['std']} vs {sd}")
        ci = 12.706 * sd / math.sqrt(2)  # Student's t(0.975, 1 degree of freedom): two seeds
        expect(abs(float(d["ci95"]) - ci) <= 1e-6 * max(1.0, ci), f"{name}: 95 % CI {d['ci95']} vs {ci}")
# the baseline's load drives violations: the violation figure cannot be flat zero
viol = [float(d["mean"]) for d in csv.DictReader(open(os.path.join(fig, "violation_time.csv")))]
expect(max(viol) > 0, "some violation time at load mean 65")

tl = os.path.join(fig, "timeline-p16-s1")
img = mpimg.imread(tl + ".png")
expect(img.shape[:2] == (1920, 1920), f"timeline is 1920x1920, got {img.shape}")
expect(float(img[:, :, :3].var()) > 0, "timeline is not blank")
expect(os.path.getsize(tl + ".pdf") > 0, "timeline PDF")
load_rows = sum(1 for _ in open(os.path.join(results, "none", "p16-s1", "load.csv")))
expect(sum(1 for _ in open(tl + ".csv")) == load_rows == 62, "timeline plots every load.csv row (61 + header)")
for p in problems:
    print("  " + p, file=sys.stderr)
print(f"{len(index['figures'])} figures, {len(index['skipped'])} skipped: {sorted(index['skipped'])}")
sys.exit(1 if problems else 0)
PY

# determinism: the same input gives byte-identical PNG, PDF and CSV files (scripts only: checked once,
# in the normal suite)
if ! under_sanitizers; then
  "$src/scripts/figures" "$work/results" -o "$work/fig2" --timeline "$work/results/none/p16-s1" 2>/dev/null
  check test $? -eq 0
  for f in "$work"/fig/*.png "$work"/fig/*.pdf "$work"/fig/*.csv; do
    check cmp -s "$f" "$work/fig2/$(basename "$f")"
  done
fi
check test "$(ls "$work"/fig/*.png | wc -l)" -ge 4

# LUC figures: luc-small (4 sites, ring), 600 s, three schedulers x two seeds
for sched in none entropy dvms; do
  for seed in 1 2; do
    check "$lucsim" run "$src/workloads/luc-small.xml" --quiet --log=root.thres:critical --set scheduler="$sched" \
      --seed "$seed" --set duration=600 --set output.trace=none -o "$work/luc/$sched-s$seed" >/dev/null
  done
done
"$src/scripts/figures" "$work/luc" -o "$work/lucfig" 2>"$work/lucfig.err"
check test $? -eq 0
# the same runs, with site coordinates in sites.csv and a star backbone.csv (as a run on a platform
# with coordinates would give): the drawing uses them instead of the circle and the ring
mkdir -p "$work/luc-geo"
for run in "$work"/luc/*/; do
  name=$(basename "$run")
  mkdir -p "$work/luc-geo/$name"
  cp "$run"/summary.csv "$run"/experiment.xml "$work/luc-geo/$name/"
  awk -F, 'NR == 1 {print $0 ",lon,lat"} NR > 1 {print $0 "," 2 + $1 "," 45 + $1 * $1}' "$run/sites.csv" \
    > "$work/luc-geo/$name/sites.csv"
  printf 'site_a,site_b\n0,1\n0,2\n0,3\n' > "$work/luc-geo/$name/backbone.csv"
done
"$src/scripts/figures" "$work/luc-geo" -o "$work/lucgeo" 2>/dev/null
check test $? -eq 0

check "$py" - "$work/luc" "$work/lucfig" "$work/lucgeo" <<'PY'
import csv, glob, json, math, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.image as mpimg

results, fig, geo = sys.argv[1], sys.argv[2], sys.argv[3]
problems = []
def expect(cond, what):
    if not cond:
        problems.append(what)
index = json.load(open(os.path.join(fig, "figures.json")))
for name in ("site_violation-luc-small", "backbone-luc-small", "intersite_share"):
    expect(name in index["figures"], f"{name} drawn")
    img = mpimg.imread(os.path.join(fig, name + ".png"))
    expect(img.shape[:2][1] == 1920, f"{name}.png is 1920 wide, got {img.shape}")
    expect(float(img[:, :, :3].var()) > 0, f"{name}.png is not blank")
    expect(os.path.getsize(os.path.join(fig, name + ".pdf")) > 0, f"{name}.pdf")
# violation per site: the mean over seeds of sites.csv, per (scheduler, site)
per = {}
for path in glob.glob(os.path.join(results, "*", "sites.csv")):
    sched = os.path.basename(os.path.dirname(path)).rsplit("-", 1)[0]
    for r in csv.DictReader(open(path)):
        per.setdefault((sched, int(r["site"])), []).append(float(r["violation_s"]))
drawn = list(csv.DictReader(open(os.path.join(fig, "site_violation-luc-small.csv"))))
expect(len(drawn) == len(per) == 12, f"12 bars (3 schedulers x 4 sites), got {len(drawn)}")
for d in drawn:
    v = per[(d["scheduler"], int(d["site"]))]
    expect(abs(float(d["mean"]) - sum(v) / len(v)) <= 1e-6 * max(1, abs(float(d["mean"]))), f"site mean {d}")
# inter-site share: runs with migrations only (none has none), in %
share = {}
for path in glob.glob(os.path.join(results, "*", "summary.csv")):
    r = next(csv.DictReader(open(path)))
    if int(r["migrations"]) > 0:
        share.setdefault(r["scheduler"], []).append(100 * int(r["intersite_migrations"]) / int(r["migrations"]))
drawn = list(csv.DictReader(open(os.path.join(fig, "intersite_share.csv"))))
expect(sorted(d["scheduler"] for d in drawn) == sorted(share) == ["dvms", "entropy"], f"share bars {drawn}")
for d in drawn:
    v = share[d["scheduler"]]
    expect(abs(float(d["mean"]) - sum(v) / len(v)) < 1e-6, f"share {d} vs {v}")
# backbone: without coordinates, the 4 sites on the unit circle (site 0 at the top)
pts = list(csv.DictReader(open(os.path.join(fig, "backbone-luc-small.csv"))))
expect(len(pts) == 12, f"backbone: 12 site values, got {len(pts)}")
for p in pts:
    expect(abs(math.hypot(float(p["x"]), float(p["y"])) - 1) < 1e-9, f"circle layout {p}")
    expect(abs(float(p["violation_s"]) - sum(per[(p["scheduler"], int(p["site"]))]) / 2) < 1e-6, f"colour {p}")
expect(index["figures"]["backbone-luc-small"]["edges_from"] == "backbone.csv", "edges of the runs' backbone.csv")
expect(index["figures"]["backbone-luc-small"]["edges"] == 4, "the ring of 4 has 4 links")
# with coordinates: the sites sit at (lon * cos(mean lat), lat) of sites.csv, the 3 links of the star
pts = list(csv.DictReader(open(os.path.join(geo, "backbone-luc-small.csv"))))
scale = math.cos(math.radians(sum(45 + k * k for k in range(4)) / 4))
for p in pts:
    k = int(p["site"])
    expect(abs(float(p["x"]) - (2 + k) * scale) < 1e-6 and float(p["y"]) == 45 + k * k, f"coordinates {p}")
    expect(float(p["lon"]) == 2 + k and float(p["lat"]) == 45 + k * k, f"lon, lat {p}")
gindex = json.load(open(os.path.join(geo, "figures.json")))["figures"]["backbone-luc-small"]
expect(gindex["layout"] == "map" and gindex["edges"] == 3, f"map of the star: {gindex}")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# the France backbone on a map: two schedulers on luc-france (600 s), whose runs write backbone.csv
# (43 links) and lon,lat in sites.csv
for sched in none dvms; do
  check "$lucsim" run "$src/workloads/luc-france.xml" --quiet --log=root.thres:critical --set scheduler="$sched" \
    --set duration=600 --set output.trace=none -o "$work/france/$sched" >/dev/null
done
"$src/scripts/figures" "$work/france" -o "$work/francefig" --formats png 2>/dev/null
check test $? -eq 0
check "$py" - "$work/france" "$work/francefig" <<'PY'
import csv, json, math, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.image as mpimg

results, fig = sys.argv[1], sys.argv[2]
problems = []
def expect(cond, what):
    if not cond:
        problems.append(what)
entry = json.load(open(os.path.join(fig, "figures.json")))["figures"].get("backbone-luc-france", {})
expect(entry.get("layout") == "map", f"drawn on a map: {entry}")
expect(entry.get("edges") == 43 and entry.get("edges_from") == "backbone.csv", f"43 links of backbone.csv: {entry}")
links = list(csv.DictReader(open(os.path.join(results, "none", "backbone.csv"))))
expect(len(links) == 43, f"backbone.csv has {len(links)} links")
img = mpimg.imread(os.path.join(fig, "backbone-luc-france.png"))
expect(img.shape[:2] == (1056, 1920), f"backbone-luc-france.png is 1920x1056 (one row of two maps), got {img.shape}")
expect(float(img[:, :, :3].var()) > 0, "not blank")
sites = {int(r["site"]): r for r in csv.DictReader(open(os.path.join(results, "none", "sites.csv")))}
scale = math.cos(math.radians(sum(float(r["lat"]) for r in sites.values()) / len(sites)))
pts = list(csv.DictReader(open(os.path.join(fig, "backbone-luc-france.csv"))))
expect(len(pts) == 2 * 28, f"56 site values (2 schedulers x 28 sites), got {len(pts)}")
for p in pts:
    r = sites[int(p["site"])]
    expect(p["name"] == r["name"], f"label {p['name']} vs {r['name']}")
    expect(abs(float(p["x"]) - float(r["lon"]) * scale) < 1e-6 and abs(float(p["y"]) - float(r["lat"])) < 1e-6,
           f"projection {p}")
byname = {p["name"]: (float(p["x"]), float(p["y"])) for p in pts}
# the shape of France: Brest westernmost, Strasbourg east of Paris, Lille northernmost, Perpignan south
expect(min(byname, key=lambda n: byname[n][0]) == "brest", "brest is the westernmost")
expect(max(byname, key=lambda n: byname[n][1]) == "lille", "lille is the northernmost")
expect(byname["strasbourg"][0] > byname["paris"][0] and byname["perpignan"][1] < byname["lyon"][1], "east, south")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# durations (CDF and box plot of migration and violation durations), one run per scheduler, and a
# timeline with the scheduler's rounds: the data drawn is every completed migration and every
# violation interval of the runs, and the rounds in progress step up and down with reconfigurations.csv
dur=()
for sched in $schedulers; do dur+=(--durations "$work/results/$sched/p32-s1"); done
"$src/scripts/figures" "${dur[@]}" --timeline "$work/results/entropy/p32-s1" -o "$work/figdur" 2>/dev/null
check test $? -eq 0
for f in durations.pdf durations.png durations.csv timeline-p32-s1-rounds.csv; do check test -s "$work/figdur/$f"; done
check test "$(awk -F, 'NR > 1 && $2 == "migration"' "$work/figdur/durations.csv" | wc -l)" -eq \
  "$(cat "$work"/results/*/p32-s1/migrations.csv | awk -F, '$10 == "ok"' | wc -l)"
check test "$(awk -F, 'NR > 1 && $2 == "violation"' "$work/figdur/durations.csv" | wc -l)" -eq \
  "$(cat "$work"/results/*/p32-s1/violations.csv | awk -F, '$2 == "violation"' | wc -l)"
check test "$(awk -F, 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$work/figdur/timeline-p32-s1-rounds.csv")" -ge 1
check test "$(tail -1 "$work/figdur/timeline-p32-s1-rounds.csv" | cut -d, -f2)" -eq 0 # every round ended
check test "$(($(wc -l < "$work/figdur/timeline-p32-s1-rounds.csv") - 1))" -eq \
  "$((2 * $(awk -F, 'NR > 1 && $10 != "nothing-to-do"' "$work/results/entropy/p32-s1/reconfigurations.csv" | wc -l)))"
check bash -c "pdffonts '$work/figdur/durations.pdf' | grep -q TrueType"

# violation time per PM (CDF and box plot), one run per scheduler: one row per PM of each run, and
# each PM's sums equal its violations.csv rows summed, per kind (checked for every PM of every run)
pn=()
for sched in $schedulers; do pn+=(--per-node "$work/results/$sched/p32-s1"); done
"$src/scripts/figures" "${pn[@]}" -o "$work/figpn" --formats png 2>/dev/null
check test $? -eq 0
check test -s "$work/figpn/per-node.png"
check python3 - "$work/figpn/per-node.csv" "$work/results" $schedulers <<'PY'
import csv, sys
from collections import defaultdict
drawn, results, schedulers = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = list(csv.DictReader(open(drawn)))
ok = True
for sched in schedulers:
    run = f"{results}/{sched}/p32-s1"
    pms = int(next(csv.DictReader(open(f"{run}/summary.csv")))["pms"])
    want = defaultdict(float)
    for v in csv.DictReader(open(f"{run}/violations.csv")):
        want[(int(v["pm"]), v["kind"])] += float(v["duration_s"])
    mine = [r for r in rows if r["scheduler"] == sched]
    ok &= len(mine) == pms and sorted(int(r["pm"]) for r in mine) == list(range(pms))
    for r in mine:
        pm = int(r["pm"])
        ok &= abs(float(r["violation_s"]) - want[(pm, "violation")]) < 1e-6
        ok &= abs(float(r["violation_out_s"]) - want[(pm, "violation-out")]) < 1e-6
        ok &= abs(float(r["total_s"]) - float(r["violation_s"]) - float(r["violation_out_s"])) < 1e-6
    ok &= sum(want.values()) > 0 or sched == "none"
sys.exit(0 if ok else 1)
PY

# a timeline of a folder without load.csv is skipped with a note, not a crash; no input at all is an error
mkdir -p "$work/empty"
"$src/scripts/figures" -o "$work/fig3" --timeline "$work/empty" 2>"$work/fig3.err"
check test $? -eq 0
check grep -q "timeline skipped" "$work/fig3.err"
"$src/scripts/figures" "$work/empty" -o "$work/fig4" 2>/dev/null
check test $? -eq 1
# availability under failures: a PM lost at 100 s (restart: its 10 VMs back after the 30 s boot)
# against the same crash waiting for a 300 s repair; downtime 10 x 30 s and 10 x 300 s
printf '100,node-3,down\n' > "$work/one.trace"
for mode in wait restart; do
  check "$lucsim" run "$src/workloads/quickstart.xml" --quiet --log=root.thres:critical --set output.trace=none \
    --set injector.faults.trace="$work/one.trace" --set injector.faults.mttr=300s --set injector.faults.vm_recovery=$mode \
    -o "$work/avail/$mode" >/dev/null
done
check test "$(col "$work/avail/restart/summary.csv" down_vm_s)" = 300.000000000
"$src/scripts/figures" --availability "$work/avail/wait" --availability "$work/avail/restart" -o "$work/fig5" \
  --formats png 2>/dev/null
check test $? -eq 0
check test -s "$work/fig5/availability.png"
check test "$(sed -n 2p "$work/fig5/availability-downtime.csv")" = "none (wait),5000"
check test "$(sed -n 3p "$work/fig5/availability-downtime.csv")" = "none (restart),300"
# the restart run's curve dips to 310/320 VMs at the samples of 110 s and 120 s (back by 130 s)
check test "$(awk -F, '$1 == "none (restart)" && $3 < 100' "$work/fig5/availability.csv" | wc -l)" -eq 2

# runs that differ in more than the seed are never averaged: two load means, two seeds each, give
# two lines of two runs each, and the figures say which field split them
for mean in 65 70; do
  for seed in 1 2; do
    "$lucsim" run --log=root.thres:critical --set duration=120s --set injector.load.mean=$mean --seed $seed \
      -o "$work/mixed/m$mean-s$seed" >/dev/null
  done
done
"$src/scripts/figures" "$work/mixed" -o "$work/fig6" --formats png 2>"$work/fig6.err"
check grep -q "the runs differ in injector.load.mean (besides the seed and the size)" "$work/fig6.err"
check test "$(python3 -c 'import csv, sys
print(sorted((r["scheduler"], r["runs"]) for r in csv.DictReader(open(sys.argv[1]))))' "$work/fig6/violation_time.csv")" \
  = "[('none, injector.load.mean=65', '2'), ('none, injector.load.mean=70', '2')]"
check grep -q '"differ": \[' "$work/fig6/figures.json"
finish
