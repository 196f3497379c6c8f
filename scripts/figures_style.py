"""What every figure of scripts/figures shares: sizes, file formats without timestamps (the same
input gives byte-identical files) and one colour and marker per scheduler. Imported after
scripts/figures has chosen matplotlib's Agg backend."""
import os
import re

import matplotlib.pyplot as plt

# Fixed size and resolution: the PNGs are FIG_W_IN * DPI by FIG_H_IN * DPI pixels, always (300 dpi:
# print quality).
FIG_W_IN, FIG_H_IN, DPI = 6.4, 4.0, 300
# PDFs embed TrueType fonts (Type 42), not Type 3 bitmaps, as publishers require.
plt.rcParams.update({"pdf.fonttype": 42, "ps.fonttype": 42})

from ci95 import T975, ci95  # noqa: F401 (re-exported: the figure modules import them from here)
TIMELINE_H_IN = 6.4
PDF_METADATA = {"CreationDate": None}  # no timestamp: the same input gives byte-identical files
PNG_METADATA = {"Software": None}
FORMATS = ("pdf", "png")  # --formats: a subset, in this order


def save(fig, base, formats):
    if "pdf" in formats:
        fig.savefig(base + ".pdf", metadata=PDF_METADATA)
    if "png" in formats:
        fig.savefig(base + ".png", dpi=DPI, metadata=PNG_METADATA)
    plt.close(fig)


def style_for(schedulers):
    """A fixed colour and marker per scheduler name: the same scheduler looks the same in every figure."""
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    markers = "osD^v<>ph*"
    return {s: (colours[i % len(colours)], markers[i % len(markers)]) for i, s in enumerate(sorted(schedulers))}


def box_plot(ax, series, styles):
    """A box plot of [(name, values)], one box per name in its scheduler's colour: quartiles,
    median, whiskers at 1.5 IQR, outliers as small dots, the mean as a black triangle; the names
    under the boxes."""
    parts = ax.boxplot([v for _, v in series], showmeans=True, patch_artist=True, widths=0.6,
                       flierprops={"markersize": 2}, medianprops={"color": "black"},
                       meanprops={"marker": "^", "markerfacecolor": "black", "markeredgecolor": "black"})
    for patch, (name, _) in zip(parts["boxes"], series):
        patch.set_facecolor(styles[name][0])
        patch.set_alpha(0.5)
    ax.set_xticks(range(1, len(series) + 1))
    ax.set_xticklabels([name for name, _ in series], rotation=30, ha="right", fontsize=8)


def safe(name):
    """A name usable in a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def run_labels(schedulers, runs):
    """One label per run of a side-by-side figure: its scheduler, or, for a scheduler met twice (two
    settings of one scheduler), the scheduler and the run's folder name."""
    return [s if schedulers.count(s) == 1 else f"{s} ({os.path.basename(os.path.normpath(r))})"
            for s, r in zip(schedulers, runs)]
