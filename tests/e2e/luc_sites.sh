#!/usr/bin/env bash
# Schedulers on multi-site platforms (docs/PLATFORMS.md "Schedulers and sites"), real runs:
# summary.csv's round_sites_mean / round_sites_max (1 on a single cluster, 0 without a round);
# Snooze's per-site groups on luc-small (no round spans two sites, no inter-site migration; with
# scope=global groups span sites), and with a site left without a GM (its LCs join the nearest
# site's GM, logged as lc-other-site), GMs chosen per site; Entropy's monitoring crossing the WAN (a real delay),
# scope=site-first (per-site rounds, fewer inter-site migrations than global, deterministic) and
# scheduler.site (the central node at that site).
# usage: luc_sites.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$(realpath "$1")
luc=$(realpath "$2/workloads/luc-small.xml")
run() { # run DIR ARGS...: 1800 s of luc-small without trace (the sanitizer build takes minutes a run)
  local dir=$1
  shift
  "$lucsim" run "$luc" --set output.trace=none --set duration=1800s -q -o "$dir" "$@" > "$dir.log" 2>&1
}
cd "$work"

# single cluster (one site): every round spans 1 site; none records no round: 0
check run one --set platform.sites=1 --set scheduler=entropy
check test "$(col one/summary.csv round_sites_mean)" = "1.000"
check test "$(col one/summary.csv round_sites_max)" -eq 1
check run none --set scheduler=none
check test "$(col none/summary.csv round_sites_mean)" = "0.000"
check test "$(col none/summary.csv round_sites_max)" -eq 0

# Snooze, default scope=site: every site has a GM (5 service nodes, site after site: the GL and a GM
# in site 0, one GM in each other site)
check run snooze --set scheduler=snooze
check test "$(col snooze/summary.csv reconfigurations)" -gt 0
check test "$(col snooze/summary.csv round_sites_max)" -eq 1
check test "$(col snooze/summary.csv intersite_migrations)" -eq 0
check test "$(grep -c lc-other-site snooze/snooze_events.csv)" -eq 0
# 8 service nodes (2 per site), 5 wanted: one GM per site (nodes 129, 130, 132, 134; the GL 128),
# where the first 5 (scope=global) would leave site 3 without a GM
check run snooze8 --set scheduler=snooze --set platform.service_nodes=8
check test "$(awk -F, '$1 == 30 && $3 == "gm" {printf "%s ", $2}' snooze8/snooze_groups.csv)" = "129 130 132 134 "
check test "$(col snooze8/summary.csv round_sites_max)" -eq 1
check run snooze-global --set scheduler=snooze --set scheduler.scope=global
check test "$(col snooze-global/summary.csv round_sites_max)" -gt 1
# 3 service nodes: the GL (site 0) and GMs in sites 1 and 2; sites 0 and 3 have none, their 64 LCs
# join the nearest GM (site 1 for site 0, site 2 for site 3, one ring hop): groups span 2 sites
check run snooze3 --set scheduler=snooze --set platform.service_nodes=3
check test "$(grep -c ',lc-other-site,' snooze3/snooze_events.csv)" -eq 64
check test "$(col snooze3/summary.csv round_sites_max)" -eq 2
check test "$(awk -F, '$1 == 30 && $3 == "unassigned" {print $4}' snooze3/snooze_groups.csv)" -eq 0
check test "$(awk -F, '$1 == 30 && $3 == "gm" {print $4}' snooze3/snooze_groups.csv | sort -u)" -eq 64
# the same with the LCs' boots spread over 3 s: joins now cross the GMs' beats, and none is lost
# (a receive timing out at a beat used to cancel a NEW_LC on the wire: 65 LCs went to another site)
check run snooze3-spread --set scheduler=snooze --set platform.service_nodes=3 --set scheduler.boot_spread=3s
check test "$(grep -c ',lc-other-site,' snooze3-spread/snooze_events.csv)" -eq 64

# Entropy, default scope=global: one round over the 4 sites. The scopes are compared with the core's
# locality term off (with it, scheduler.locality=site, no migration crosses sites here: luc_small.sh)
check run entropy --set scheduler=entropy --set scheduler.locality=off
check test "$(col entropy/summary.csv round_sites_mean)" = "4.000"
check test "$(col entropy/summary.csv intersite_migrations)" -gt 0
# site-first: per-site rounds (32 PMs, actor entropy-site-K), fewer inter-site migrations
check run sf --set scheduler=entropy --set scheduler.scope=site-first --set scheduler.locality=off
check grep -q '^entropy,entropy-site-[0-3],128,[0-9.]*,[0-9.]*,[0-9.]*,[0-9]*,[0-9]*,32,' sf/reconfigurations.csv
check test "$(col sf/summary.csv intersite_migrations)" -lt "$(col entropy/summary.csv intersite_migrations)"
check awk -v m="$(col sf/summary.csv round_sites_mean)" 'BEGIN{exit !(m >= 1 && m < 4)}'
if ! under_sanitizers; then
  check run sf2 --set scheduler=entropy --set scheduler.scope=site-first --set scheduler.locality=off
  check diff -r -x experiment.xml sf sf2
fi
# the gather crosses the WAN: the first round of site-first starts after the gather, which waits for
# site 2's report (two ring hops from site 0): with 50 ms WAN links, at least 100 ms after t = 30 s
check run wan --set scheduler=entropy --set scheduler.scope=site-first --set scheduler.locality=off \
  --set platform.wan_latency=50ms
check awk -F, 'NR == 2 {exit !($4 >= 30.1 && $4 < 35)}' wan/reconfigurations.csv
check awk -F, 'NR == 2 {exit !($4 > 30 && $4 < 30.1)}' sf/reconfigurations.csv
# scheduler.site=2: the central node is site 2's service node (service nodes go site after site,
# 2 in site 0: service node 3, node 128 + 3)
check run site2 --set scheduler=entropy --set scheduler.site=2
check test "$(awk -F, 'NR > 1 {print $3}' site2/reconfigurations.csv | sort -u)" -eq 131
finish
