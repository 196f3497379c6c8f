"""Energy figures of scripts/figures (--energy DIR, repeatable): runs of one experiment with a power
model under different schedulers or power policies (docs/ENERGY.md). Each DIR is one series: a run
folder, or a folder of runs that differ only in their seed (e.g. DIR/s1, DIR/s2), averaged. A series
is named after its scheduler when DIR is one run (with the folder's name when two series share a
scheduler), after DIR's name otherwise. Two panels: energy against violation time (the trade-off:
mean ± 95 % CI over the series' seeds in both directions, each run a faint dot) and the PMs on over
time (load.csv's online_pms, mean over the series' runs). Also energy.csv (one row per run: the
values drawn) and energy-pms-on.csv (the curves). Computes no metric the engine did not write,
except means."""
import os

import matplotlib.pyplot as plt
import pandas as pd

from figures_groups import differing_fields
from figures_style import FIG_H_IN, FIG_W_IN, ci95, run_labels, save, style_for

SUMMARY_COLUMNS = ["energy_kWh", "violation_s", "violation_out_s", "pm_on_s", "pm_boots", "pm_shutdowns",
                   "migrations"]


def read_run(run):
    """(summary row as a dict, load.csv frame) of one run, or None and a note saying why it cannot be drawn."""
    summary_path, load_path = os.path.join(run, "summary.csv"), os.path.join(run, "load.csv")
    if not os.path.isfile(summary_path) or not os.path.isfile(load_path):
        return None, None, f"{run} has no summary.csv or load.csv"
    row = pd.read_csv(summary_path).iloc[0]
    missing = [c for c in SUMMARY_COLUMNS if c not in row]
    if missing:
        return None, None, f"{run}: summary.csv without {', '.join(missing)} (a run of an older lucsim)"
    if pd.isna(pd.to_numeric(row["energy_kWh"], errors="coerce")):
        return None, None, f"{run}: no energy (its platform declares no power: docs/ENERGY.md)"
    load = pd.read_csv(load_path)
    if "online_pms" not in load or "time_s" not in load:
        return None, None, f"{run}: load.csv without time_s or online_pms"
    return ({"run": run, "scheduler": str(row["scheduler"]), "seed": int(row["seed"]),
             **{c: float(row[c]) for c in SUMMARY_COLUMNS}}, load, None)


def read_energy_runs(dirs, find_runs):
    """A frame with one row per run (summary columns, run folder, series label) and {run: load.csv
    frame}, or None and a note saying why the runs cannot be drawn."""
    rows, loads, series = [], {}, []
    for top in dirs:
        runs = find_runs([top])
        if not runs:
            return None, None, f"{top} holds no run (no summary.csv under it)"
        differ, _, _ = differing_fields(runs)
        if differ:
            return None, None, f"the runs under {top} differ in {', '.join(differ)}, not only in their seed"
        got = []
        for run in runs:
            row, load, note = read_run(run)
            if note:
                return None, None, note
            got.append(row)
            loads[run] = load
        series.append((top, got))
    single = [(top, got[0]["scheduler"]) for top, got in series if len(got) == 1]
    names = dict(zip([t for t, _ in single], run_labels([s for _, s in single], [t for t, _ in single])))
    for top, got in series:
        name = names.get(top, os.path.basename(os.path.normpath(top)))
        rows += [{**row, "series": name} for row in got]
    df = pd.DataFrame(rows)
    if df["series"].nunique() != len(dirs):
        return None, None, "two --energy folders have the same name: rename one"
    df["nonviable_s"] = df["violation_s"] + df["violation_out_s"]
    return df, loads, None


def plot_energy(dirs, outdir, formats, find_runs):
    """Draws the two panels for the series dirs; returns the figure's base path, or None and a skip note."""
    df, loads, note = read_energy_runs(dirs, find_runs)
    if note:
        return None, note
    names = list(dict.fromkeys(df["series"]))  # in the order given
    styles = style_for(names)
    fig, (trade, on) = plt.subplots(1, 2, figsize=(FIG_W_IN * 2.0, FIG_H_IN * 1.2))
    curves = []
    for name in names:
        rows = df[df["series"] == name]
        colour, marker = styles[name]
        n = len(rows)
        x, y = rows["nonviable_s"], rows["energy_kWh"]
        trade.scatter(x, y, color=colour, alpha=0.35, s=12, linewidths=0)
        xerr = ci95(x.std(ddof=1), n) if n > 1 else 0.0
        yerr = ci95(y.std(ddof=1), n) if n > 1 else 0.0
        trade.errorbar([x.mean()], [y.mean()], xerr=[xerr], yerr=[yerr], color=colour, marker=marker, capsize=3,
                       linewidth=1.2, markersize=7, label=f"{name} (n = {n})")
        # PMs on: the mean over the series' runs at each sample (its runs share the sampling times)
        merged = pd.concat([loads[r].set_index("time_s")["online_pms"] for r in rows["run"]], axis=1)
        mean_on = merged.mean(axis=1)
        on.step(mean_on.index, mean_on.values, where="post", color=colour, linewidth=1.2)
        curves += [{"series": name, "time_s": t, "pms_on_mean": v, "runs": n} for t, v in mean_on.items()]
    trade.set_xlabel("violation time, load- and migration-caused (PM-s)")
    trade.set_ylabel("energy (kWh)")
    trade.set_title("Energy against violation time\n(mean ± 95 % CI over seeds; dots: runs)", fontsize=10)
    # the trade-off is in the differences: energy is not drawn from 0 (its axis says where it starts)
    span = float(df["nonviable_s"].max()) or 1.0
    trade.set_xlim(left=-0.03 * span)
    trade.grid(True, alpha=0.3)
    on.set_xlabel("simulated time (s)")
    on.set_ylabel("PMs on (load.csv online_pms)")
    on.set_title("PMs on over time (mean over seeds)", fontsize=10)
    on.set_ylim(bottom=0, top=float(max(l["online_pms"].max() for l in loads.values())) * 1.05)
    on.grid(True, alpha=0.3)
    # one legend for both panels (same colours), right of them: never over a point or a curve
    fig.legend(*trade.get_legend_handles_labels(), title="series (n runs)", fontsize=7, title_fontsize=7,
               loc="center right", frameon=False)
    fig.tight_layout(rect=(0, 0, 0.85, 1))
    base = os.path.join(outdir, "energy")
    save(fig, base, formats)
    df[["series", "scheduler", "seed", "run", "nonviable_s"] + SUMMARY_COLUMNS].to_csv(
        base + ".csv", index=False, float_format="%.9g")
    pd.DataFrame(curves).to_csv(base + "-pms-on.csv", index=False, float_format="%.9g")
    return base, None
