#!/usr/bin/env bash
# The shipped France-wide experiment workloads/luc-france.xml (platform.topology=file on
# platforms/france-backbone.csv, PMs per site from site_pms): it validates, has its 28 sites with
# the PMs site_pms gives, runs byte-identically twice with the same seed (DVMS), its resolved
# experiment.xml runs again to the same results, and the platform `lucsim platform` prints for it
# (platforms/france-backbone.xml) loaded back with platform.kind=file gives the same sites and
# results. --set overrides of the backbone file and of site_pms are checked against the file.
# backbone.csv has the 43 links of the backbone file (site indices in site-line order, 5 us of
# latency per km, wan_bandwidth), and sites.csv the lon,lat of each site line; the file run has
# neither (a platform file gives no coordinates).
# usage: luc_france.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
src=$2
exp="$src/workloads/luc-france.xml"
cd "$work"
run=(--set output.trace=none -q)

check test "$("$lucsim" validate "$exp" 2>&1)" == "$exp: valid"
check "$lucsim" run "$exp" --set scheduler=dvms "${run[@]}" -o a > /dev/null 2>&1
check "$lucsim" run "$exp" --set scheduler=dvms "${run[@]}" -o b > /dev/null 2>&1
check diff -r -I '<output dir=' a b
check test "$(col a/summary.csv sites)" -eq 28
check test "$(col a/summary.csv pms)" -eq 154
check test "$(($(wc -l < a/sites.csv) - 1))" -eq 28
check grep -q '^0,16,1,' a/sites.csv  # paris: 16 PMs, one service node
check grep -q '^20,10,0,' a/sites.csv # lyon: 10 PMs
check test "$(col a/summary.csv migrations)" -gt 0

# the resolved experiment (absolute backbone_file, site_pms, derived sites and pms) runs again alike
check grep -q 'topology="file"' a/experiment.xml
check grep -q "backbone_file=\"$(cd "$src/platforms" && pwd -P)/france-backbone.csv\"" a/experiment.xml
check "$lucsim" run a/experiment.xml "${run[@]}" -o again > /dev/null 2>&1
for f in sites.csv violations.csv migrations.csv load.csv reconfigurations.csv summary.csv; do
  check cmp -s a/$f again/$f
done

# the printed platform is the shipped one, and loaded back as a file gives the same sites and results
check "$lucsim" platform "$exp" > france.xml
check cmp -s france.xml "$src/platforms/france-backbone.xml"
check grep -q '<prop id="site" value="brest"/>' france.xml
as_file_experiment "$exp" france.xml > france-file.xml
check "$lucsim" run france-file.xml --set scheduler=dvms "${run[@]}" -o file > /dev/null 2>&1
for f in violations.csv migrations.csv load.csv reconfigurations.csv; do
  check cmp -s a/$f file/$f
done
check cmp -s <(cut -d, -f1-10 a/sites.csv) file/sites.csv # the same sites, without lon,lat
check test ! -e file/backbone.csv

# backbone.csv and the coordinates in sites.csv, against the backbone file itself
check test "$(($(wc -l < a/backbone.csv) - 1))" -eq 43
check grep -qx 'file backbone.csv' a/.lucsim-results
check python3 - a "$src/platforms/france-backbone.csv" <<'PY'
import csv, sys
run, bb = sys.argv[1], sys.argv[2]
sites, links = [], []
for line in open(bb):
    cols = line.strip().split(",")
    if cols[0] == "site":
        sites.append((cols[1], float(cols[2]), float(cols[3])))
    elif cols[0] == "link":
        names = [s[0] for s in sites]
        a, b = sorted((names.index(cols[1]), names.index(cols[2])))
        links.append((a, b, float(cols[3][:-2]) * 5e-6))
problems = []
rows = list(csv.DictReader(open(f"{run}/backbone.csv")))
if list(rows[0].keys()) != ["site_a", "site_b", "latency_s", "bandwidth_Bps"]:
    problems.append(f"backbone.csv header {list(rows[0].keys())}")
got = {(int(r["site_a"]), int(r["site_b"])): r for r in rows}
if sorted(got) != sorted((a, b) for a, b, _ in links) or len(rows) != len(links) or len(links) != 43:
    problems.append(f"backbone.csv links {sorted(got)} vs the file's {sorted((a, b) for a, b, _ in links)}")
if [(int(r["site_a"]), int(r["site_b"])) for r in rows] != sorted(got):
    problems.append("backbone.csv rows not in (site_a, site_b) order")
for a, b, lat in links:
    r = got.get((a, b))
    if r and (abs(float(r["latency_s"]) - lat) > 1e-12 or r["bandwidth_Bps"] != "1250000000"):
        problems.append(f"link {a}-{b}: {r} vs {lat} s, 10 Gbps")
srows = list(csv.DictReader(open(f"{run}/sites.csv")))
if list(srows[0].keys())[-3:] != ["name", "lon", "lat"]:
    problems.append(f"sites.csv header {list(srows[0].keys())}")
for r, (name, lon, lat) in zip(srows, sites):
    if r["name"] != name or abs(float(r["lon"]) - lon) > 1e-9 or abs(float(r["lat"]) - lat) > 1e-9:
        problems.append(f"sites.csv row {r} vs {name} {lon} {lat}")
if len(srows) != len(sites) != 28:
    problems.append("28 sites")
print("\n".join(problems), file=sys.stderr)
sys.exit(1 if problems else 0)
PY
check grep -q '^0,16,1,.*,paris,2.352200,48.856600$' a/sites.csv

# overrides are checked against the backbone file: sites, PMs per site, total PMs
check "$lucsim" validate "$exp" --set platform.site_pms= --set platform.pms=10000 > /dev/null
out=$("$lucsim" validate "$exp" --set platform.sites=4 2>&1)
check test "$out" == "platform.sites: 4 sites but the backbone file has 28; expected the same (or leave platform.sites out)"
out=$("$lucsim" validate "$exp" --set platform.site_pms=1,2,3 2>&1)
check test "$out" == "platform.site_pms: 3 values for 28 sites; expected one per site"
out=$("$lucsim" validate "$exp" --set platform.topology=ring 2>&1)
check test "$out" == "$exp:13: platform.backbone_file: is set but platform.topology is ring; expected topology file"
out=$("$lucsim" validate "$exp" --set platform.wan_latency=2ms 2>&1)
check test "$out" == "platform.wan_latency: is set but platform.topology is file: the backbone file gives each link's latency; remove it"
check test "$(grep -c wan_latency a/experiment.xml)" -eq 0 # the file gives each link's latency
finish
