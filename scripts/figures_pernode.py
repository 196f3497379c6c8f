"""Violation time per PM of scripts/figures (--per-node RUN_DIR, repeatable): runs of one experiment
under different schedulers, side by side, as the DISCOVERY seed deck showed its 10K-PM experiment.
For every PM of the run (those never in violation count, with 0 s), its cumulated violation time:
the durations of its violations.csv rows summed, both kinds (violation and violation-out). Two
panels: the CDF over the PMs and the box plot. Also per-node.csv: each PM's sums, per kind. Computes
no metric the engine did not write: the sums are of violations.csv's own durations."""
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from figures_style import FIG_H_IN, FIG_W_IN, box_plot, run_labels, save, style_for


def per_node(run):
    """(scheduler, DataFrame pm, violation_s, violation_out_s, total_s over every PM), or a note."""
    paths = {name: os.path.join(run, name) for name in ("summary.csv", "violations.csv")}
    missing = [name for name, path in paths.items() if not os.path.isfile(path)]
    if missing:
        return None, f"{run} has no {' or '.join(missing)}"
    summary, viol = pd.read_csv(paths["summary.csv"]), pd.read_csv(paths["violations.csv"])
    if not {"pm", "kind", "duration_s"} <= set(viol.columns) or "pms" not in summary:
        return None, f"{run}: violations.csv without pm, kind, duration_s (a run of an older lucsim)"
    pms = int(summary.iloc[0]["pms"])
    sums = viol.pivot_table(index="pm", columns="kind", values="duration_s", aggfunc="sum", fill_value=0.0)
    table = pd.DataFrame({"pm": np.arange(pms)})
    for kind, column in (("violation", "violation_s"), ("violation-out", "violation_out_s")):
        got = sums[kind] if kind in sums else pd.Series(dtype=float)
        table[column] = table["pm"].map(got).fillna(0.0).astype(float)
    table["total_s"] = table["violation_s"] + table["violation_out_s"]
    return (str(summary.iloc[0]["scheduler"]), table), None


def plot_per_node(runs, outdir, formats):
    """Draws the CDF and the box plot; returns the figure's base path, or None and a skip note."""
    got = []
    for run in runs:
        one, note = per_node(run)
        if note:
            return None, note
        got.append(one)
    names = run_labels([g[0] for g in got], runs)
    styles = style_for(names)
    fig, (cdf, box) = plt.subplots(1, 2, figsize=(FIG_W_IN * 1.6, FIG_H_IN), gridspec_kw={"width_ratios": [2.2, 1.2]})
    for name, (_, table) in zip(names, got):
        values = np.sort(table["total_s"].to_numpy())
        share = np.arange(1, len(values) + 1) / len(values)
        label = f"{name} (n = {len(values)} PMs, mean {values.mean():.0f} s)"
        cdf.step(values, share, where="post", color=styles[name][0], linewidth=1.3, label=label)
    cdf.set_xlabel("cumulated violation time of a PM (s)")
    cdf.set_ylabel("share of the PMs at most that long")
    cdf.set_ylim(0, 1.02)
    cdf.set_xlim(left=0)
    cdf.set_title("Violation time per node: CDF", fontsize=10)
    cdf.grid(True, alpha=0.3)
    cdf.legend(fontsize=7, loc="lower right")
    box_plot(box, [(name, g[1]["total_s"].to_numpy()) for name, g in zip(names, got)], styles)
    box.set_ylabel("cumulated violation time of a PM (s)")
    box.set_title("quartiles, median; whiskers 1.5 IQR; triangle: mean", fontsize=8)
    box.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    base = os.path.join(outdir, "per-node")
    save(fig, base, formats)
    rows = pd.concat([t.assign(scheduler=name) for name, (_, t) in zip(names, got)], ignore_index=True)
    rows[["scheduler", "pm", "violation_s", "violation_out_s", "total_s"]].to_csv(base + ".csv", index=False,
                                                                                 float_format="%.9f")
    return base, None
