"""Fits the core's cost model on the raw rows of bench_core (one per solve): CPU seconds = base + a*vms
+ b*nodes + c*lp_iterations + d*bnb_nodes + e*milp_size + f*lp_it_size + g*bnb_size (the size-aware GLPK
terms: iterations x (rows + nonzeros), B&B nodes x (rows + columns)), by least squares on the relative error
with non-negative coefficients (a coefficient that comes out negative is dropped and the fit redone).
Prints the coefficients, then the relative error of the fitted and of the current (core.h) model: overall,
per size and per row set (table = default parameters; glpk = GLPK alone, no budget; default = GLPK alone,
default budget). Not run by ctest: scripts/bench-core calls it; its output set CORE_COST_* in core.h."""
import sys

import numpy as np
import pandas as pd

df = pd.read_csv(sys.argv[1])
names = ["base_s", "per_vm_s", "per_node_s", "per_lp_it_s", "per_bnb_s", "per_milp_nz_s", "per_lp_it_size_s",
         "per_bnb_size_s"]
X = np.column_stack([np.ones(len(df)), df.vms_examined, df.nodes_examined, df.lp_iterations, df.bnb_nodes,
                     df.milp_size, df.lp_it_size, df.bnb_size]).astype(float)
y = df.cpu_s.to_numpy()
w = 1.0 / np.maximum(y, 1e-6)  # relative error: small solves count as much as big ones
keep = list(range(X.shape[1]))
while True:
    coef, *_ = np.linalg.lstsq(X[:, keep] * w[:, None], y * w, rcond=None)
    if (coef >= 0).all():
        break
    keep.pop(int(np.argmin(coef)))
full = np.zeros(X.shape[1])
full[keep] = coef
print("\ncost-model fit on %d solves (coefficients in seconds per unit):" % len(df))
for n, c in zip(names, full):
    print("  %-17s %.2g" % (n, c))


def report(label, pred):
    rel = np.abs(pred - y) / y
    print("\n%s model: median relative error %.0f %%, 90th percentile %.0f %% (%d solves)" %
          (label, 100 * np.median(rel), 100 * np.percentile(rel, 90), len(y)))
    print("| set | PMs | solves | median rel. error | 90th pct | median CPU s | median charged s | max CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    d = df.assign(rel=rel, pred=pred)
    for (s, p), g in d.groupby(["set", "pms"], sort=False):
        print("| %s | %d | %d | %.0f %% | %.0f %% | %.4f | %.4f | %.3f |" %
              (s, p, len(g), 100 * g.rel.median(), 100 * g.rel.quantile(0.9), g.cpu_s.median(), g.pred.median(),
               g.cpu_s.max()))


report("fitted", X @ full)
report("current (core.h)", df.charged_s.to_numpy())
