#!/usr/bin/env python3
"""Per-PM violation time recomputed from a lucsim Paje trace, through pj_dump (pajeng), a reader
lucsim did not write. Prints CSV `pm,violation_s,violation_out_s` (one row per PM container, in index
order) to cross-check violations.csv. It is not a trace parser: Paje is read by pj_dump only.

violation_s: seconds in PM_STATE "violation" or "violation-det" (non-viable because of load);
violation_out_s: seconds in "violation-out" (non-viable because of an incoming migration).

Usage: paje_violations.py --trace trace.paje     (runs pj_dump -l 9 itself)
       pj_dump -l 9 trace.paje | paje_violations.py [DUMP|-]
"""
import argparse
import csv
import subprocess
import sys

LOAD_STATES = ("violation", "violation-det")
OUT_STATES = ("violation-out",)


def pm_index(name):
    """pm-<i> -> i; the sort key of the output rows."""
    if not name.startswith("pm-") or not name[3:].isdigit():
        raise ValueError("not a lucsim PM container name: %r" % name)
    return int(name[3:])


def violations(lines):
    """Sums PM_STATE intervals per PM from pj_dump lines (streamed: memory grows with PMs, not events). Returns {pm name: [violation_s, violation_out_s]}."""
    per_pm = {}
    for row in csv.reader(lines, skipinitialspace=True):
        if not row:
            continue
        if row[0] == "Container" and row[2] == "PM":
            per_pm.setdefault(row[6], [0.0, 0.0])
        elif row[0] == "State" and row[2] == "PM_STATE":
            container, start, end, value = row[1], float(row[3]), float(row[4]), row[7]
            totals = per_pm.setdefault(container, [0.0, 0.0])
            if value in LOAD_STATES:
                totals[0] += end - start
            elif value in OUT_STATES:
                totals[1] += end - start
    return per_pm


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", nargs="?", default="-", help="pj_dump output (default: stdin)")
    parser.add_argument("--trace", help="a lucsim trace.paje: run pj_dump -l 9 on it")
    args = parser.parse_args()
    if args.trace:
        proc = subprocess.Popen(["pj_dump", "-l", "9", args.trace], stdout=subprocess.PIPE, universal_newlines=True)
        per_pm = violations(proc.stdout)
        if proc.wait() != 0:
            sys.exit("paje_violations: pj_dump failed on %s (exit %d)" % (args.trace, proc.returncode))
    elif args.dump == "-":
        per_pm = violations(sys.stdin)
    else:
        with open(args.dump, encoding="utf-8") as f:
            per_pm = violations(f)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["pm", "violation_s", "violation_out_s"])
    for name in sorted(per_pm, key=pm_index):
        load_s, out_s = per_pm[name]
        out.writerow([pm_index(name), "%.9f" % load_s, "%.9f" % out_s])


if __name__ == "__main__":
    main()
