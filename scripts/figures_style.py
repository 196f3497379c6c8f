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

# Student's t quantile 0.975 by degrees of freedom (a standard table), for 95 % confidence
# intervals of means over few seeds; beyond the table, the nearest lower entry (conservative).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
        20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
        29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def ci95(std, runs):
    """Half-width of the 95 % confidence interval of a mean of `runs` values of sample standard
    deviation `std` (0 for one run: no interval)."""
    if runs < 2:
        return 0.0
    df = runs - 1
    t = T975[max(k for k in T975 if k <= df)]
    return t * std / runs ** 0.5
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


def safe(name):
    """A name usable in a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def run_labels(schedulers, runs):
    """One label per run of a side-by-side figure: its scheduler, or, for a scheduler met twice (two
    settings of one scheduler), the scheduler and the run's folder name."""
    return [s if schedulers.count(s) == 1 else f"{s} ({os.path.basename(os.path.normpath(r))})"
            for s, r in zip(schedulers, runs)]
