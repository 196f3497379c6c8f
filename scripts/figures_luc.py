"""The LUC (multi-site) figures of scripts/figures: violation time per site, the share of inter-site
migrations per scheduler, and the backbone coloured by each site's violation time (on a map when
sites.csv has lon,lat, else on a circle). Imported by scripts/figures, which checks that matplotlib
and pandas are there first; not a command of its own. Column definitions: docs/METRICS.md.
"""
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

import matplotlib.patheffects
import matplotlib.pyplot as plt
import pandas as pd

from figures_style import FIG_H_IN, FIG_W_IN, ci95, safe, save

TOPOLOGIES = ("ring", "star", "mesh", "tree")


def topology_edges(topology, n):
    """Backbone edges (a < b) of a generated luc platform, as docs/PLATFORMS.md defines them."""
    rules = {"ring": lambda a, b: b == a + 1 or (a == 0 and b == n - 1), "star": lambda a, b: a == 0,
             "mesh": lambda a, b: True, "tree": lambda a, b: b in (2 * a + 1, 2 * a + 2)}
    return [(a, b) for a in range(n) for b in range(a + 1, n) if rules[topology](a, b)]


def backbone_edges(run, n):
    """Edges between sites of a run: its backbone.csv (columns site_a, site_b) when present, else the
    platform of its experiment.xml (a generated luc topology, or the wan-A-B links of a platform file
    that `lucsim platform` printed). Returns (edges, source) or (None, reason)."""
    path = os.path.join(run, "backbone.csv")
    if os.path.isfile(path):
        bb = pd.read_csv(path)
        if {"site_a", "site_b"} <= set(bb.columns):
            return sorted({(min(a, b), max(a, b)) for a, b in zip(bb["site_a"].astype(int), bb["site_b"].astype(int))}), \
                "backbone.csv"
    path = os.path.join(run, "experiment.xml")
    if not os.path.isfile(path):
        return None, f"{run} has neither backbone.csv nor experiment.xml"
    platform = ET.parse(path).getroot().find("platform")
    if platform is None:
        return None, f"{path} has no <platform>"
    kind = platform.get("kind")
    if kind == "luc" and platform.get("topology") in TOPOLOGIES:
        return topology_edges(platform.get("topology"), n), "topology " + platform.get("topology")
    if kind == "file" and platform.get("file") and os.path.isfile(platform.get("file")):
        with open(platform.get("file")) as f:
            links = re.findall(r'<link\s[^>]*id="wan-(\d+)-(\d+)"', f.read())
        edges = sorted({(min(int(a), int(b)), max(int(a), int(b))) for a, b in links})
        if edges:
            return edges, "platform file"
    return None, f"{path}: no backbone edges known for platform kind {kind}"


def site_positions(sites):
    """(positions, kind) with positions {site: (x, y)}: on a map when sites.csv has lon,lat (kind
    "map": equirectangular, x = lon * cos(mean latitude), y = lat, so that one unit is about 111 km
    both ways), at its x,y columns as they are ("xy"), else on a circle with site 0 at the top,
    clockwise ("circle")."""
    def given(cx, cy):
        return cx in sites and cy in sites and sites[cx].notna().all() and sites[cy].notna().all()
    if given("lon", "lat"):
        scale = math.cos(math.radians(float(pd.to_numeric(sites["lat"]).mean())))
        return {int(s): (float(lon) * scale, float(lat))
                for s, lon, lat in zip(sites["site"], sites["lon"], sites["lat"])}, "map"
    if given("x", "y"):
        return {int(s): (float(x), float(y)) for s, x, y in zip(sites["site"], sites["x"], sites["y"])}, "xy"
    n = len(sites)
    return {int(s): (math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n))
            for i, s in enumerate(sites["site"])}, "circle"


def site_labels(sites):
    """{site: label}: the name column of sites.csv when every site has one, else the index."""
    if "name" in sites and sites["name"].notna().all():
        return {int(s): str(name) for s, name in zip(sites["site"], sites["name"])}
    return {int(s): str(int(s)) for s in sites["site"]}


def read_sites(df):
    """Per multi-site run: its sites.csv rows with experiment, scheduler and run. Empty when none."""
    frames = []
    for _, r in df.iterrows():
        if "sites" not in df or not (pd.to_numeric(r.get("sites"), errors="coerce") > 1):
            continue
        path = os.path.join(r["run"], "sites.csv")
        if not os.path.isfile(path):
            continue
        s = pd.read_csv(path)
        s["experiment"], s["scheduler"], s["run"] = str(r["experiment"]), str(r["scheduler"]), r["run"]
        frames.append(s)
    return pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()



def plot_site_violation(sites, experiment, styles, outdir, formats):
    """Bars: violation time per site, one bar per scheduler (mean over seeds, 95 % CI as error bar)."""
    d = sites[sites["experiment"] == experiment]
    g = d.groupby(["scheduler", "site"], sort=True)["violation_s"]
    agg = pd.DataFrame({"mean": g.mean(), "std": g.std(ddof=1).fillna(0.0), "runs": g.count()}).reset_index()
    agg["ci95"] = [ci95(sd, n) for sd, n in zip(agg["std"], agg["runs"])]
    scheds = sorted(agg["scheduler"].unique())
    site_ids = sorted(agg["site"].unique())
    names = site_labels(d.drop_duplicates("site"))
    seeds = int(agg["runs"].max())
    width = 0.8 / len(scheds)
    many = len(site_ids) > 8  # names side by side would overlap: turn them, widen the figure
    fig, ax = plt.subplots(figsize=(max(FIG_W_IN, 0.3 * len(site_ids)) if many else FIG_W_IN, FIG_H_IN))
    for i, sched in enumerate(scheds):
        rows = agg[agg["scheduler"] == sched].set_index("site").reindex(site_ids)
        xs = [k + (i - (len(scheds) - 1) / 2) * width for k in range(len(site_ids))]
        err = rows["ci95"] if seeds > 1 else None  # one seed: no interval to draw
        ax.bar(xs, rows["mean"], width, yerr=err, label=sched, color=styles[sched][0], capsize=2)
    ax.set_xticks(range(len(site_ids)))
    labels = [names.get(int(s), str(s)) for s in site_ids]
    if not ("name" in d and d["name"].notna().all()):
        labels = [f"site {s}" for s in site_ids]
    ax.set_xticklabels(labels, rotation=60 if many else 0, ha="right" if many else "center",
                       fontsize=7 if many else None)
    ax.set_xlim(-0.6, len(site_ids) - 0.4)
    ax.set_ylabel("violation time (PM-s)")
    ax.set_title(f"Violation time per site ({experiment})", fontsize=10)
    ax.set_ylim(bottom=0)
    ax.grid(True, axis="y", alpha=0.3)
    what = f"mean ± 95 % CI, n = {seeds} seeds" if seeds > 1 else "n = 1 seed"
    # at the bottom of the figure, under the site names: a legend inside could cover a bar
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, title=f"scheduler ({what})", fontsize=7, title_fontsize=7, loc="lower center",
               ncol=min(4, len(scheds)), frameon=False)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    base = os.path.join(outdir, "site_violation-" + safe(experiment))
    save(fig, base, formats)
    agg.to_csv(base + ".csv", index=False, float_format="%.9g")
    return len(agg)


def plot_intersite_share(df, styles, outdir, formats):
    """Bars: share of completed migrations that crossed sites, per scheduler, one group per experiment."""
    d = df[pd.to_numeric(df["sites"], errors="coerce") > 1].copy()
    d["share"] = pd.to_numeric(d["intersite_migrations"], errors="coerce") / pd.to_numeric(d["migrations"],
                                                                                          errors="coerce")
    d = d[pd.to_numeric(d["migrations"], errors="coerce") > 0]  # no migration: no share
    if d.empty:
        return None
    g = d.groupby(["experiment", "scheduler"], sort=True)["share"]
    agg = pd.DataFrame({"mean": 100 * g.mean(), "std": 100 * g.std(ddof=1).fillna(0.0), "runs": g.count()})
    agg = agg.reset_index()
    agg["ci95"] = [ci95(sd, n) for sd, n in zip(agg["std"], agg["runs"])]
    exps = sorted(agg["experiment"].unique())
    scheds = sorted(agg["scheduler"].unique())
    width = 0.7 / len(exps)
    hatches = ["", "//", "..", "xx", "\\\\", "oo"]
    fig, ax = plt.subplots(figsize=(FIG_W_IN, FIG_H_IN))
    for j, exp in enumerate(exps):
        rows = agg[agg["experiment"] == exp].set_index("scheduler").reindex(scheds)
        xs = [k + (j - (len(exps) - 1) / 2) * width for k in range(len(scheds))]
        bars = ax.bar(xs, rows["mean"], width, yerr=rows["ci95"], color=[styles[s][0] for s in scheds],
                      hatch=hatches[j % len(hatches)], edgecolor="black", linewidth=0.6, capsize=2, label=exp)
        for bar, v, sd in zip(bars, rows["mean"], rows["ci95"]):
            if not math.isnan(v):
                ax.annotate(f"{v:.0f} %", (bar.get_x() + bar.get_width() / 2, v + sd), ha="center", va="bottom",
                            fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(range(len(scheds)))
    ax.set_xticklabels(scheds)
    ax.set_xlabel("scheduler (mean ± 95 % CI over seeds; runs without migration left out)")
    if len(exps) > 1:
        ax.legend(title="experiment", fontsize=7, title_fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16),
                  ncol=min(3, len(exps)), frameon=False)  # below the axes: never over a bar
    else:
        ax.set_title(f"Share of migrations that cross sites ({exps[0]})", fontsize=10)
    ax.set_ylabel("inter-site migrations (% of completed)")
    ax.set_ylim(0, 110)
    if len(exps) > 1:
        ax.set_title("Share of migrations that cross sites", fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    base = os.path.join(outdir, "intersite_share")
    save(fig, base, formats)
    agg.to_csv(base + ".csv", index=False, float_format="%.9g")
    return len(agg)


MAP_KM_PER_UNIT = 111.2  # one degree of latitude; the map's x is scaled to match (site_positions)


def draw_scale_bar(ax, pos):
    """A 100 or 200 km bar in the lower left corner of a map panel."""
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span_km = (max(xs) - min(xs)) * MAP_KM_PER_UNIT
    km = 200 if span_km > 800 else 100 if span_km > 300 else 20
    x0, y0 = min(xs), min(ys) - 0.06 * (max(ys) - min(ys))
    ax.plot([x0, x0 + km / MAP_KM_PER_UNIT], [y0, y0], color="black", linewidth=1.5, solid_capstyle="butt", zorder=3)
    ax.annotate(f"{km} km", (x0 + km / MAP_KM_PER_UNIT / 2, y0), xytext=(0, 2), textcoords="offset points",
                ha="center", va="bottom", fontsize=6)


# Where a site's name goes, tried in this order (offsets in points from the disc's centre).
LABEL_SPOTS = [((5, 0), "left", "center"), ((-5, 0), "right", "center"), ((0, 5), "center", "bottom"),
               ((0, -5), "center", "top"), ((4, 4), "left", "bottom"), ((-4, 4), "right", "bottom"),
               ((4, -4), "left", "top"), ((-4, -4), "right", "top")]


def label_sites(fig, axes, pos, labels):
    """Names beside the discs of every map panel, each at the first spot of LABEL_SPOTS where it
    overlaps no disc, no name placed before and stays inside its panel (measured on the rendered
    figure, so deterministic); the same spots in every panel."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ref = axes[0]
    discs = {s: ref.transData.transform(xy) for s, xy in pos.items()}
    radius = 4.0 * fig.dpi / 72  # the disc (s=42 points^2) and a margin, in pixels
    placed, spots = [], {}
    panel = ref.get_window_extent(renderer)
    for s in sorted(pos, key=lambda k: (-pos[k][1], pos[k][0])):  # from the north
        choice = LABEL_SPOTS[0]
        for spot in LABEL_SPOTS:
            t = ref.annotate(labels[s], pos[s], xytext=spot[0], textcoords="offset points", ha=spot[1], va=spot[2],
                             fontsize=5.5)
            box = t.get_window_extent(renderer)
            t.remove()
            hit = any(box.x0 - radius < c[0] < box.x1 + radius and box.y0 - radius < c[1] < box.y1 + radius
                      for c in discs.values()) or any(box.overlaps(b) for b in placed)
            inside = panel.x0 <= box.x0 and box.x1 <= panel.x1 and panel.y0 <= box.y0 and box.y1 <= panel.y1
            if not hit and inside:
                choice = spot
                break
        t = ref.annotate(labels[s], pos[s], xytext=choice[0], textcoords="offset points", ha=choice[1], va=choice[2],
                         fontsize=5.5)
        placed.append(t.get_window_extent(renderer))
        t.remove()
        spots[s] = choice
    halo = [matplotlib.patheffects.withStroke(linewidth=1.6, foreground="white")]
    for ax in axes:
        for s, (offset, ha, va) in spots.items():
            ax.annotate(labels[s], pos[s], xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=5.5,
                        zorder=3, path_effects=halo)


def plot_backbone(sites, experiment, outdir, formats):
    """One panel per scheduler: the backbone, each site a disc coloured by its violation time (mean
    over seeds, one colour scale for all panels), on a map labelled with the sites' names when
    sites.csv has lon,lat. Returns ({points, edges, edges_from, layout}, None) or (None, reason)."""
    d = sites[sites["experiment"] == experiment]
    first = d["run"].iloc[0]
    one = d[d["run"] == first].sort_values("site")
    edges, source = backbone_edges(first, len(one))
    if edges is None:
        return None, source
    pos, layout = site_positions(one)
    labels = site_labels(one)
    geo = layout == "map"
    agg = d.groupby(["scheduler", "site"], sort=True)["violation_s"].mean().reset_index()
    scheds = sorted(agg["scheduler"].unique())
    vmax = max(float(agg["violation_s"].max()), 1e-9)
    cols = min(len(scheds), 2)
    nrows = math.ceil(len(scheds) / cols)
    if geo:  # square panels on a map: the figure is as tall as wide for two rows
        height = FIG_W_IN * (0.55 if nrows == 1 else 1.0) * max(1, nrows / 2)
    else:
        height = FIG_H_IN * (0.75 if nrows == 1 else 1.25)
    fig, axes = plt.subplots(nrows, cols, figsize=(FIG_W_IN, height), squeeze=False)
    cmap = plt.get_cmap("YlOrRd")
    norm = matplotlib.colors.Normalize(vmin=0, vmax=vmax)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, sched in zip(axes.flat, scheds):
        ax.set_axis_on()
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        for a, b in edges:
            if a in pos and b in pos:
                ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="0.55",
                        linewidth=0.9 if geo else 1.5, zorder=1)
        values = agg[agg["scheduler"] == sched].set_index("site")["violation_s"]
        xs = [pos[s][0] for s in values.index]
        ys = [pos[s][1] for s in values.index]
        ax.scatter(xs, ys, c=list(values), cmap=cmap, norm=norm, s=42 if geo else 260, edgecolors="black",
                   linewidths=0.6 if geo else 0.8, zorder=2)
        if not geo:
            for s, x, y, v in zip(values.index, xs, ys, values):
                ax.annotate(str(s), (x, y), ha="center", va="center", fontsize=8, zorder=3,
                            color="white" if v > 0.6 * vmax else "black")
        ax.set_title(sched, fontsize=9)
        if geo:
            ax.set_aspect("equal", adjustable="datalim")
            draw_scale_bar(ax, pos)
            ax.margins(x=0.16, y=0.06)
        else:
            ax.set_aspect("equal" if layout == "circle" else "auto")
            ax.margins(0.18)
    fig.suptitle(f"Violation time per site on the backbone ({experiment})", fontsize=10)
    if geo:
        top = 1 - 0.55 / height  # room for the title, whatever the height
        fig.subplots_adjust(left=0.01, right=0.85, top=top, bottom=0.01, wspace=0.04, hspace=0.08)
        cax = fig.add_axes([0.87, 0.2 * top, 0.022, 0.6 * top])
        bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax)
        label_sites(fig, [ax for ax, _ in zip(axes.flat, scheds)], pos, labels)
    else:
        bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes.ravel().tolist(), shrink=0.8)
    bar.set_label("violation time (PM-s, mean over seeds)", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    base = os.path.join(outdir, "backbone-" + safe(experiment))
    save(fig, base, formats)
    out = agg.copy()
    out["x"] = [pos[s][0] for s in out["site"]]
    out["y"] = [pos[s][1] for s in out["site"]]
    if geo:
        where = one.set_index("site")
        out["name"] = [labels[s] for s in out["site"]]
        out["lon"] = [float(where.loc[s, "lon"]) for s in out["site"]]
        out["lat"] = [float(where.loc[s, "lat"]) for s in out["site"]]
    out.to_csv(base + ".csv", index=False, float_format="%.9g")
    return {"points": len(out), "edges": len(edges), "edges_from": source, "layout": layout}, None


def plot_luc(df, styles, outdir, formats, index):
    """The LUC figures of every multi-site experiment among the runs (nothing when there is none)."""
    sites = read_sites(df)
    if sites.empty:
        return
    for experiment in sorted(sites["experiment"].unique()):
        name = "site_violation-" + safe(experiment)
        index["figures"][name] = {"column": "violation_s", "points": plot_site_violation(
            sites, experiment, styles, outdir, formats), "lines": int(sites[sites["experiment"] == experiment][
                "scheduler"].nunique())}
        drawn, note = plot_backbone(sites, experiment, outdir, formats)
        name = "backbone-" + safe(experiment)
        if note:
            index["skipped"][name] = note
            print(f"figures: {name} skipped: {note}", file=sys.stderr)
        else:
            index["figures"][name] = {"column": "violation_s", "points": drawn["points"],
                                      "lines": int(sites[sites["experiment"] == experiment]["scheduler"].nunique()),
                                      "edges": drawn["edges"], "edges_from": drawn["edges_from"],
                                      "layout": drawn["layout"]}
    if "intersite_migrations" in df and "migrations" in df:
        points = plot_intersite_share(df, styles, outdir, formats)
        if points is None:
            index["skipped"]["intersite_share"] = "no multi-site run with migrations"
            print("figures: intersite_share skipped: no multi-site run with migrations", file=sys.stderr)
        else:
            index["figures"]["intersite_share"] = {"column": "intersite_migrations", "points": points,
                                                   "lines": int(df["scheduler"].nunique())}
