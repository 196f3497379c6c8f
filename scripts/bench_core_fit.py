"""Fits the core's cost model: CPU seconds = base + a*vms + b*nodes + c*lp_iterations + d*bnb_nodes,
by least squares on the raw rows of bench_core (one per solve), with non-negative coefficients
(a coefficient that comes out negative is dropped and the fit redone). Prints the coefficients and the
relative error of the fitted and of the current (header) model. Used once to set CORE_COST_* in core.h."""
import sys

import numpy as np
import pandas as pd

df = pd.read_csv(sys.argv[1])
X = np.column_stack([np.ones(len(df)), df.vms_examined, df.nodes_examined, df.lp_iterations, df.bnb_nodes])
y = df.cpu_s.to_numpy()
w = 1.0 / np.maximum(y, 1e-6)  # relative error: small solves count as much as big ones
keep = list(range(5))
while True:
    coef, *_ = np.linalg.lstsq(X[:, keep] * w[:, None], y * w, rcond=None)
    if (coef >= 0).all():
        break
    keep.pop(int(np.argmin(coef)))
full = np.zeros(5)
full[keep] = coef
names = ["base_s", "per_vm_s", "per_node_s", "per_lp_it_s", "per_bnb_s"]
print("\ncost-model fit on %d solves:" % len(df))
for n, c in zip(names, full):
    print("  %-12s %.3g" % (n, c))
for label, pred in (("fitted", X @ full), ("current", df.charged_s.to_numpy())):
    rel = np.abs(pred - y) / y
    print("  %s model: median relative error %.0f %%, 90th percentile %.0f %%" %
          (label, 100 * np.median(rel), 100 * np.percentile(rel, 90)))
