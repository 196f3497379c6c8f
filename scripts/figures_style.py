"""What every figure of scripts/figures shares: sizes, file formats without timestamps (the same
input gives byte-identical files) and one colour and marker per scheduler. Imported after
scripts/figures has chosen matplotlib's Agg backend."""
import re

import matplotlib.pyplot as plt

# Fixed size and resolution: the PNGs are FIG_W_IN * DPI by FIG_H_IN * DPI pixels, always.
FIG_W_IN, FIG_H_IN, DPI = 6.4, 4.0, 100
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
