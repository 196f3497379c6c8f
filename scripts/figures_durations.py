"""Duration distributions of scripts/figures (--durations RUN_DIR, repeatable): runs of one experiment
under different schedulers, side by side. Four panels: the CDF and the box plot of the completed
migrations' durations (migrations.csv, status ok), and the CDF and the box plot of the violations'
durations (violations.csv, kind violation; the intervals still open at the end count up to the end,
as the engine wrote them). A run with no migration or no violation has no curve in that pair (its
n = 0 is in the legend). Also durations.csv: every duration drawn. Computes no metric the engine did
not write."""
import os

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter
import pandas as pd

from figures_style import FIG_H_IN, FIG_W_IN, box_plot, run_labels, save, style_for


def read_durations(run):
    """(scheduler, migration durations, violation durations) of one run, or a note saying why not."""
    paths = {name: os.path.join(run, name) for name in ("summary.csv", "migrations.csv", "violations.csv")}
    missing = [name for name, path in paths.items() if not os.path.isfile(path)]
    if missing:
        return None, f"{run} has no {' or '.join(missing)}"
    summary, mig, viol = (pd.read_csv(paths[n]) for n in ("summary.csv", "migrations.csv", "violations.csv"))
    if "duration_s" not in mig or "duration_s" not in viol or "kind" not in viol:
        return None, f"{run}: migrations.csv or violations.csv without duration_s (a run of an older lucsim)"
    done = mig[mig["status"] == "ok"]["duration_s"].to_numpy(dtype=float)
    over = viol[viol["kind"] == "violation"]["duration_s"].to_numpy(dtype=float)
    return (str(summary.iloc[0]["scheduler"]), np.sort(done), np.sort(over)), None


def plain_log_labels(axis):
    """Plain numbers on a log axis (10, 20, 50, not 2 x 10^1): the decades, and between them, as the
    axis spans fewer decades, 2 and 5 times them (up to 2 decades) or every multiple (under one)."""
    def minor(v, _):
        lo, hi = sorted(axis.get_view_interval())
        decades = np.log10(hi / lo) if lo > 0 else 99
        digit = f"{v:.0e}"[0]
        return f"{v:g}" if decades < 1 or (decades <= 2 and digit in "25") else ""
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(FuncFormatter(minor))
    axis.set_tick_params(which="minor", labelsize=7)


def draw_pair(cdf, box, series, styles, what):
    """The CDF and the box plot of one kind of duration, one series per scheduler."""
    drawn = [(name, values) for name, values in series if len(values) > 0]
    for name, values in series:
        label = f"{name} (n = {len(values)})"
        if len(values) == 0:  # in the legend, to say so, but nothing to draw
            cdf.plot([], [], color=styles[name][0], label=label)
            continue
        share = np.arange(1, len(values) + 1) / len(values)
        cdf.step(values, share, where="post", color=styles[name][0], linewidth=1.3, label=label)
    cdf.set_xscale("log")
    plain_log_labels(cdf.xaxis)
    cdf.set_xlabel(f"{what} duration (s, log scale)")
    cdf.set_ylabel("share of them at most that long")
    cdf.set_ylim(0, 1.02)
    cdf.set_title(f"{what.capitalize()} durations: CDF", fontsize=10)
    cdf.grid(True, alpha=0.3, which="both")
    cdf.legend(fontsize=7, loc="lower right")
    if drawn:
        box_plot(box, drawn, styles)
        box.set_yscale("log")
        plain_log_labels(box.yaxis)
    box.set_ylabel(f"{what} duration (s, log scale)")
    box.set_title("quartiles, median; whiskers 1.5 IQR; triangle: mean", fontsize=8)
    box.grid(True, axis="y", alpha=0.3, which="both")


def plot_durations(runs, outdir, formats):
    """Draws the four panels for runs; returns the figure's base path, or None and a skip note."""
    got = []
    for run in runs:
        one, note = read_durations(run)
        if note:
            return None, note
        got.append((*one, run))
    got = [(name, *g[1:3]) for name, g in zip(run_labels([g[0] for g in got], runs), got)]
    styles = style_for([g[0] for g in got])
    fig, axes = plt.subplots(2, 2, figsize=(FIG_W_IN * 1.6, FIG_H_IN * 1.9),
                             gridspec_kw={"width_ratios": [2.2, 1.2]})
    draw_pair(axes[0, 0], axes[0, 1], [(g[0], g[1]) for g in got], styles, "migration")
    draw_pair(axes[1, 0], axes[1, 1], [(g[0], g[2]) for g in got], styles, "violation")
    fig.tight_layout()
    base = os.path.join(outdir, "durations")
    save(fig, base, formats)
    rows = [{"scheduler": g[0], "kind": kind, "duration_s": d}
            for g in got for kind, values in (("migration", g[1]), ("violation", g[2])) for d in values]
    pd.DataFrame(rows, columns=["scheduler", "kind", "duration_s"]).to_csv(base + ".csv", index=False,
                                                                          float_format="%.9g")
    return base, None
