"""Which runs scripts/figures may average: runs that differ only in their seed. Each run's resolved
experiment.xml gives its parameters as field paths (injector.load.mean, scheduler.period,
vms.class.small-10.ram: workloads/README.md); a field whose value differs between runs, other than
the seed and the size axis of the figures, splits the scheduler's line into one line per value."""
import os
import xml.etree.ElementTree as ET

# Fields that never split a line: the seed (averaged over), the experiment's name and where its
# results went, the size axis (a sweep scales VMs and service nodes with the PMs), what only
# changes the outputs written (trace, sampling) or the run-size limits, and the scheduler itself
# (a line already), with the path of its plugin.
IGNORED = {"seed", "name", "output.dir", "output.trace", "output.load_period", "platform.pms", "vms.count",
           "platform.service_nodes", "platform.site_pms", "scheduler.name", "scheduler.plugin"}
IGNORED_PREFIXES = ("limits.",)


def parameters(run):
    """{field path: value} of run/experiment.xml, or None when the run has none (an older lucsim)."""
    path = os.path.join(run, "experiment.xml")
    if not os.path.isfile(path):
        return None
    out = {}

    def walk(element, prefix):
        for key, value in element.attrib.items():
            out[prefix + key] = value
        for child in element:
            if child.tag == "param":  # <scheduler><param name= value=>: scheduler.NAME
                out[prefix + child.get("name", "")] = child.get("value", "")
            elif child.tag == "class":  # <vms><class name=>: vms.class.NAME.FIELD
                walk(child, f"{prefix}class.{child.get('name', '')}.")
            else:
                walk(child, f"{prefix}{child.tag}.")

    walk(ET.parse(path).getroot(), "")
    return out


def differing_fields(runs):
    """The fields (sorted) whose values differ between runs, the ignored ones left out, and the runs
    without experiment.xml. A field some runs lack counts as differing."""
    params = {run: parameters(run) for run in runs}
    known = [p for p in params.values() if p is not None]
    fields = set().union(*known) if known else set()
    differ = sorted(f for f in fields if f not in IGNORED and not f.startswith(IGNORED_PREFIXES)
                    and len({p.get(f) for p in known}) > 1)
    return differ, params, [run for run, p in params.items() if p is None]


def series_labels(df, differ, params):
    """Per row of df (one run each, column 'run'), its line's label: the scheduler, followed by the
    differing fields' values when there are any (e.g. 'entropy, injector.load.mean=70')."""
    labels = []
    for run, scheduler in zip(df["run"], df["scheduler"].astype(str)):
        p = params.get(run) or {}
        extra = ", ".join(f"{f}={p.get(f, '?')}" for f in differ)
        labels.append(f"{scheduler}, {extra}" if extra else scheduler)
    return labels
