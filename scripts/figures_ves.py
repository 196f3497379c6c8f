"""Virtual-environment figures of scripts/figures (--ves RUN_DIR, repeatable): runs of one VE
experiment under different schedulers (docs/VES.md), side by side. Three panels:
VEs running and waiting over time (load.csv), the distribution of the VEs' waiting times (ves.csv;
box plot, the mean marked), and the constraint-violation time per kind (summary.csv). Also
ves.csv, ves-waiting.csv and ves-violations.csv: the data drawn. Computes no metric the engine did
not write."""
import os

import matplotlib.pyplot as plt
import pandas as pd

from figures_style import FIG_H_IN, FIG_W_IN, run_labels, save, style_for

KINDS = ["spread", "gather", "latency", "root", "lonely", "fence", "ban"]


def read_ves_run(run):
    """(scheduler, load.csv, ves.csv, summary row) of one run, or a note saying why it cannot be drawn."""
    paths = {name: os.path.join(run, name) for name in ("load.csv", "ves.csv", "summary.csv")}
    missing = [name for name, path in paths.items() if not os.path.isfile(path)]
    if missing:
        return None, f"{run} has no {' or '.join(missing)} (a run without <ves>?)"
    load, ves, summary = (pd.read_csv(paths[n]) for n in ("load.csv", "ves.csv", "summary.csv"))
    if "ves_running" not in load:
        return None, f"{run}: load.csv without ves_running (a run of an older lucsim)"
    row = summary.iloc[0]
    return (str(row["scheduler"]), load, ves, row), None


def plot_ves(runs, outdir, formats):
    """Draws the three panels for runs; returns the figure's base path, or None and a skip note."""
    curves = []
    for run in runs:
        got, note = read_ves_run(run)
        if note:
            return None, note
        curves.append((*got, run))
    names = run_labels([c[0] for c in curves], runs)  # e.g. two queue policies of one scheduler
    curves = [(name, *c[1:4]) for name, c in zip(names, curves)]
    styles = style_for(names)
    fig, (count, wait, viol) = plt.subplots(1, 3, figsize=(FIG_W_IN * 2.0, FIG_H_IN),
                                            gridspec_kw={"width_ratios": [2.2, 1.3, 1.6]})
    over_time = []
    for name, load, _, _ in curves:
        colour = styles[name][0]
        count.step(load["time_s"], load["ves_running"], where="post", color=colour, linewidth=1.3,
                   label=f"{name}: running")
        count.step(load["time_s"], load["ves_waiting"], where="post", color=colour, linewidth=1.0, linestyle="--",
                   label=f"{name}: waiting")
        over_time += [{"scheduler": name, "time_s": t, "ves_running": r, "ves_waiting": w}
                      for t, r, w in zip(load["time_s"], load["ves_running"], load["ves_waiting"])]
    count.set_xlabel("simulated time (s)")
    count.set_ylabel("virtual environments")
    count.set_title("VEs running (solid) and waiting (dashed)", fontsize=10)
    count.set_ylim(bottom=0)
    count.grid(True, alpha=0.3)
    count.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)

    waits = [c[2]["waiting_s"].astype(float) for c in curves]
    box = wait.boxplot(waits, showmeans=True, widths=0.6, patch_artist=True, medianprops={"color": "black"},
                       meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black",
                                  "markersize": 4})
    for patch, name in zip(box["boxes"], names):
        patch.set_facecolor(styles[name][0])
        patch.set_alpha(0.6)
    wait.set_xticks(range(1, len(names) + 1))
    wait.set_xticklabels([f"{n}\n(n = {len(w)})" for n, w in zip(names, waits)], rotation=30, ha="right", fontsize=7)
    wait.set_ylabel("waiting time (s)")
    wait.set_title("Waiting time per VE (box: quartiles, ◇ mean)", fontsize=9)
    wait.grid(True, axis="y", alpha=0.3)

    kinds = [k for k in KINDS if any(float(c[3].get(f"{k}_violation_s", 0) or 0) > 0 for c in curves)]
    width = 0.8 / max(1, len(curves))
    violations = []
    for i, (name, _, _, row) in enumerate(curves):
        values = [float(row.get(f"{k}_violation_s", 0) or 0) for k in KINDS]
        violations += [{"scheduler": name, "kind": k, "violation_s": v} for k, v in zip(KINDS, values)]
        shown = [v for k, v in zip(KINDS, values) if k in kinds]
        viol.bar([k + (i - (len(curves) - 1) / 2) * width for k in range(len(shown))], shown, width=width,
                 color=styles[name][0], label=name)
    viol.set_title("Constraint violation time", fontsize=10)
    viol.set_ylabel("constraint-seconds broken")
    if kinds:
        viol.set_xticks(range(len(kinds)))
        viol.set_xticklabels(kinds, fontsize=8)
        viol.set_ylim(bottom=0)
        viol.grid(True, axis="y", alpha=0.3)
        viol.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    else:  # an empty bar chart would read as "not measured"
        viol.set_xticks([])
        viol.set_yticks([])
        viol.text(0.5, 0.5, "no constraint of any kind\nwas broken in any run\n(" + ", ".join(names) + ")",
                  ha="center", va="center", fontsize=8, transform=viol.transAxes)
    fig.tight_layout()
    base = os.path.join(outdir, "ves")
    save(fig, base, formats)
    pd.DataFrame(over_time).to_csv(base + ".csv", index=False, float_format="%.9g")
    pd.DataFrame([{"scheduler": name, "ve": int(v), "waiting_s": w} for (name, _, ves, _) in curves
                  for v, w in zip(ves["ve"], ves["waiting_s"])]).to_csv(base + "-waiting.csv", index=False,
                                                                        float_format="%.9g")
    pd.DataFrame(violations).to_csv(base + "-violations.csv", index=False, float_format="%.9g")
    return base, None
