#!/usr/bin/env bash
# A hand-written SimGrid platform file that SimGrid accepts passes the pre-check: validate says
# valid and the run uses its hosts (service node by the lucsim_role property, RAM by property).
# The refused files are bad inputs (tests/e2e/bad/platform_*).
# usage: platform_file.sh LUCSIM_BINARY SOURCE_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash" || exit 1
lucsim=$1
cd "$work"
cat > platform.xml <<'XML'
<?xml version="1.0"?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
 <zone id="world" routing="Full">
  <cluster id="c" prefix="pm-" suffix="" radical="0-3" speed="1Gf" core="8" bw="125MBps" lat="50us">
    <prop id="ram" value="17179869184"/>
  </cluster>
  <cluster id="s" prefix="service-" suffix="" radical="0-0" speed="1Gf" core="1" bw="125MBps" lat="50us">
    <prop id="lucsim_role" value="service"/>
  </cluster>
  <link id="l" bandwidth="1GBps" latency="100us"/>
  <zoneRoute src="c" dst="s" gw_src="pm-c_router" gw_dst="service-s_router"><link_ctn id="l"/></zoneRoute>
 </zone>
</platform>
XML
cat > exp.xml <<'XML'
<?xml version="1.0"?>
<experiment duration="60">
  <platform kind="file" file="platform.xml"/>
  <vms count="8"/>
</experiment>
XML
out=$("$lucsim" validate exp.xml 2>&1)
check test "$out" = "exp.xml: valid"
check "$lucsim" run exp.xml -q --log=root.thres:critical -o r
check grep -q '^exp,none,1,4,8,' r/summary.csv
finish
